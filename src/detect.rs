//! Format detection by content: magic bytes and container structure, not the extension.
//!
//! A `.pdf` that is really a `.docx` is read as a `.docx`; a `.xlsx` that is really a CSV is read
//! as CSV. The extension is used only when the content is not recognisable at all (a truncated or
//! zero-byte file), so that the report can still say "this `.docx` is corrupt". Detection never
//! fails: it returns a format and, when the content is hopeless, the error to report.

use crate::error::Error;
use crate::model::Format;
use std::io::Cursor;

/// What detection decided.
#[derive(Clone, Debug, PartialEq)]
pub struct Detection {
    pub format: Format,
    /// Why the content does not match the name, when it does not (for the report's warnings).
    pub note: Option<String>,
    /// Set when the content cannot be read at all (empty, unrecognised, encrypted container).
    pub error: Option<Error>,
}

impl Detection {
    fn ok(format: Format) -> Detection {
        Detection {
            format,
            note: None,
            error: None,
        }
    }
}

/// Detects the format of `bytes`, using `name` only as a fallback and to note mismatches.
pub fn detect(bytes: &[u8], name: &str) -> Detection {
    let claimed = Format::from_extension(name);
    let mut d = sniff(bytes, claimed);
    if d.error.is_none()
        && let Some(c) = claimed
        && c != d.format
        && !(c == Format::Csv && d.format == Format::Other)
    {
        d.note = Some(format!(
            "named .{} but the content is {}; read as {}",
            name.rsplit_once('.').map(|x| x.1).unwrap_or(""),
            describe(d.format),
            d.format
        ));
    }
    d
}

fn describe(f: Format) -> &'static str {
    match f {
        Format::Pdf => "a PDF",
        Format::Docx => "a Word document (.docx)",
        Format::Doc => "a Word 97-2003 document (.doc)",
        Format::Odt => "an OpenDocument text (.odt)",
        Format::Xlsx => "an Excel workbook (.xlsx)",
        Format::Xls => "an Excel 97-2003 workbook (.xls)",
        Format::Ods => "an OpenDocument spreadsheet (.ods)",
        Format::Csv => "CSV text",
        Format::Eml => "an e-mail",
        Format::Image => "an image",
        Format::Zip => "a ZIP archive",
        Format::Other => "something else",
    }
}

fn sniff(bytes: &[u8], claimed: Option<Format>) -> Detection {
    if bytes.is_empty() {
        return Detection {
            format: claimed.unwrap_or(Format::Other),
            note: None,
            error: Some(Error::corrupt("empty file (0 bytes)")),
        };
    }
    let head = &bytes[..bytes.len().min(1024)];
    if find(head, b"%PDF-").is_some() {
        return Detection::ok(Format::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(b"PK\x05\x06")
        || bytes.starts_with(b"PK\x07\x08")
    {
        return sniff_zip(bytes, claimed);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return sniff_cfb(bytes, claimed);
    }
    if is_image(bytes) {
        return Detection::ok(Format::Image);
    }
    if bytes.starts_with(b"{\\rtf") {
        return Detection {
            format: Format::Other,
            note: None,
            error: Some(Error::unsupported(
                "RTF document: not read yet (save it as .docx or PDF)",
            )),
        };
    }
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    if !utf16 && looks_binary(head) {
        let format = match claimed {
            Some(Format::Csv) | Some(Format::Eml) | None => Format::Other,
            Some(f) => f,
        };
        let error = if claimed.is_some() {
            Error::corrupt(format!(
                "the content is not {} (unrecognised bytes)",
                describe(format)
            ))
        } else {
            Error::unsupported("unrecognised binary format")
        };
        return Detection {
            format,
            note: None,
            error: Some(error),
        };
    }
    // Text from here on (UTF-16 decoded whole: its head may cut a code unit).
    let text = if utf16 {
        crate::textenc::decode_lossy(&bytes[..bytes.len().min(8192) & !1])
    } else {
        crate::textenc::decode_lossy(head)
    };
    let lower = text.trim_start().to_lowercase();
    if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
        return Detection {
            format: Format::Other,
            note: None,
            error: Some(Error::unsupported("the content is an HTML page")),
        };
    }
    if looks_like_email(&text) {
        return Detection::ok(Format::Eml);
    }
    if looks_like_csv(&crate::textenc::decode_lossy(
        &bytes[..bytes.len().min(16 * 1024)],
    )) {
        return Detection::ok(Format::Csv);
    }
    match claimed {
        // A text file named like a binary format is not that format.
        Some(
            f @ (Format::Pdf
            | Format::Docx
            | Format::Doc
            | Format::Odt
            | Format::Xlsx
            | Format::Xls
            | Format::Ods
            | Format::Zip
            | Format::Image),
        ) => Detection {
            format: f,
            note: None,
            error: Some(Error::corrupt(format!(
                "the content is plain text, not {}",
                describe(f)
            ))),
        },
        Some(Format::Csv) => Detection::ok(Format::Csv),
        _ => Detection::ok(Format::Other),
    }
}

fn sniff_zip(bytes: &[u8], claimed: Option<Format>) -> Detection {
    let fallback = |why: String| {
        let format = match claimed {
            Some(f @ (Format::Docx | Format::Xlsx | Format::Odt | Format::Ods | Format::Zip)) => f,
            _ => Format::Zip,
        };
        Detection {
            format,
            note: None,
            error: Some(Error::corrupt(why)),
        }
    };
    let mut archive = match ::zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(a) => a,
        Err(e) => return fallback(format!("damaged ZIP container: {e}")),
    };
    let has =
        |archive: &::zip::ZipArchive<Cursor<&[u8]>>, n: &str| archive.index_for_name(n).is_some();
    if has(&archive, "word/document.xml") {
        return Detection::ok(Format::Docx);
    }
    if has(&archive, "xl/workbook.xml") || has(&archive, "xl/workbook.bin") {
        return Detection::ok(Format::Xlsx);
    }
    if has(&archive, "mimetype") {
        let mut mime = String::new();
        if let Ok(f) = archive.by_name("mimetype") {
            use std::io::Read;
            let _ = f.take(200).read_to_string(&mut mime);
        }
        let mime = mime.trim();
        if mime == "application/vnd.oasis.opendocument.text"
            || mime == "application/vnd.oasis.opendocument.text-template"
        {
            return Detection::ok(Format::Odt);
        }
        if mime.starts_with("application/vnd.oasis.opendocument.spreadsheet") {
            return Detection::ok(Format::Ods);
        }
    }
    if has(&archive, "content.xml") && matches!(claimed, Some(Format::Odt | Format::Ods)) {
        return Detection::ok(claimed.unwrap_or(Format::Zip));
    }
    // A .docx/.xlsx/.odt/.ods whose container lacks its main part is a damaged document, not
    // a zip of attachments: reporting it readable (kind `other`) would hide the damage.
    let main_part = match claimed {
        Some(Format::Docx) => Some("word/document.xml"),
        Some(Format::Xlsx) => Some("xl/workbook.xml"),
        Some(Format::Odt | Format::Ods) => Some("content.xml"),
        _ => None,
    };
    if let (Some(f), Some(part)) = (claimed, main_part) {
        return Detection {
            format: f,
            note: None,
            error: Some(Error::corrupt(format!(
                "{} without its main part ({part} is missing)",
                describe(f)
            ))),
        };
    }
    Detection::ok(Format::Zip)
}

fn sniff_cfb(bytes: &[u8], claimed: Option<Format>) -> Detection {
    let cf = match cfb::CompoundFile::open(Cursor::new(bytes)) {
        Ok(cf) => cf,
        Err(e) => {
            let format = match claimed {
                Some(f @ (Format::Doc | Format::Xls)) => f,
                _ => Format::Other,
            };
            return Detection {
                format,
                note: None,
                error: Some(Error::corrupt(format!("damaged OLE compound file: {e}"))),
            };
        }
    };
    let names: Vec<String> = cf
        .read_root_storage()
        .map(|e| e.name().to_string())
        .collect();
    let has = |n: &str| names.iter().any(|x| x.eq_ignore_ascii_case(n));
    if has("WordDocument") {
        return Detection::ok(Format::Doc);
    }
    if has("Workbook") || has("Book") {
        return Detection::ok(Format::Xls);
    }
    if has("EncryptedPackage") {
        // Password-protected .docx/.xlsx are stored as an encrypted OLE container.
        let format = match claimed {
            Some(f @ (Format::Docx | Format::Xlsx | Format::Doc | Format::Xls)) => f,
            _ => Format::Other,
        };
        return Detection {
            format,
            note: None,
            error: Some(Error::encrypted(
                "password-protected Office document (encrypted package)",
            )),
        };
    }
    Detection {
        format: claimed.unwrap_or(Format::Other),
        note: None,
        error: Some(Error::unsupported(
            "OLE compound file that is neither Word nor Excel (e.g. PowerPoint 97 or Outlook .msg)",
        )),
    }
}

fn is_image(b: &[u8]) -> bool {
    b.starts_with(&[0xFF, 0xD8, 0xFF])
        || b.starts_with(b"\x89PNG\r\n\x1a\n")
        || b.starts_with(b"II*\0")
        || b.starts_with(b"MM\0*")
        || b.starts_with(b"GIF87a")
        || b.starts_with(b"GIF89a")
        || (b.len() >= 12 && &b[0..4] == b"RIFF" && &b[8..12] == b"WEBP")
        || (b.len() >= 12
            && &b[4..8] == b"ftyp"
            && matches!(&b[8..12], b"heic" | b"heix" | b"mif1"))
        || (b.starts_with(b"BM") && b.len() > 26 && b[6..10] == [0, 0, 0, 0])
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// NUL bytes or many control characters: not text.
fn looks_binary(head: &[u8]) -> bool {
    if head.contains(&0) {
        // UTF-16 text with a BOM is text, but we do not read it: treat as binary.
        return true;
    }
    let controls = head
        .iter()
        .filter(|&&c| c < 0x20 && !matches!(c, b'\n' | b'\r' | b'\t' | 0x0C))
        .count();
    controls * 20 > head.len()
}

fn looks_like_email(text: &str) -> bool {
    const HEADERS: [&str; 10] = [
        "from",
        "to",
        "date",
        "subject",
        "message-id",
        "mime-version",
        "received",
        "return-path",
        "content-type",
        "delivered-to",
    ];
    let mut known = 0;
    let mut strong = false;
    for line in text.lines().take(40) {
        if line.is_empty() {
            break;
        }
        if line.starts_with(' ') || line.starts_with('\t') {
            continue; // folded header line
        }
        let Some((name, _)) = line.split_once(':') else {
            return false;
        };
        if name.is_empty() || name.contains(' ') {
            return false;
        }
        let name = name.to_ascii_lowercase();
        if HEADERS.contains(&name.as_str()) {
            known += 1;
            strong |= matches!(
                name.as_str(),
                "from" | "message-id" | "mime-version" | "received" | "return-path"
            );
        }
    }
    known >= 2 && strong
}

/// At least two lines, and a delimiter that appears the same number of times (≥1) on most of
/// the first lines.
fn looks_like_csv(text: &str) -> bool {
    crate::extract::csv::sniff_delimiter(text).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_by_magic_even_named_docx() {
        let d = detect(b"%PDF-1.7\n...", "contrat.docx");
        assert_eq!(d.format, Format::Pdf);
        assert!(d.note.unwrap().contains("named .docx"));
    }

    #[test]
    fn empty_file_keeps_claimed_format_and_is_corrupt() {
        let d = detect(b"", "vide.pdf");
        assert_eq!(d.format, Format::Pdf);
        assert_eq!(d.error.unwrap().code, crate::error::ErrorCode::Corrupt);
    }

    #[test]
    fn random_bytes_named_pdf_are_a_corrupt_pdf() {
        let bytes: Vec<u8> = (0..2000u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        let d = detect(&bytes, "x.pdf");
        assert_eq!(d.format, Format::Pdf);
        assert_eq!(d.error.unwrap().code, crate::error::ErrorCode::Corrupt);
    }

    #[test]
    fn html_renamed_pdf_is_unsupported_other() {
        let d = detect(b"<!DOCTYPE html><html><body>x</body></html>", "x.pdf");
        assert_eq!(d.format, Format::Other);
        assert_eq!(d.error.unwrap().code, crate::error::ErrorCode::Unsupported);
    }

    #[test]
    fn csv_named_xlsx_is_csv() {
        let d = detect(
            b"Nom;Prenom;Date\nDupont;Jean;12/03/2025\nMartin;Lea;12/03/2025\n",
            "export.xlsx",
        );
        assert_eq!(d.format, Format::Csv);
        assert!(d.error.is_none());
    }

    #[test]
    fn email_headers() {
        let d = detect(
            b"From: Alice <a@x.fr>\r\nTo: b@y.fr\r\nSubject: Convocation\r\nDate: Wed, 12 Mar 2025 10:00:00 +0100\r\nMIME-Version: 1.0\r\n\r\nBonjour",
            "message.txt",
        );
        assert_eq!(d.format, Format::Eml);
    }

    #[test]
    fn images_by_magic() {
        assert_eq!(
            detect(b"\xFF\xD8\xFF\xE0\0\x10JFIF", "scan").format,
            Format::Image
        );
        assert_eq!(
            detect(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "a.bin").format,
            Format::Image
        );
        assert_eq!(detect(b"II*\0\x08\0\0\0", "a.tif").format, Format::Image);
    }

    #[test]
    fn plain_text_is_other_without_error() {
        let d = detect(
            b"Notes de la reunion du 12 mars\nRien a signaler.\n",
            "notes.txt",
        );
        assert_eq!(d.format, Format::Other);
        assert!(d.error.is_none());
    }

    #[test]
    fn truncated_zip_named_docx_is_a_corrupt_docx() {
        let d = detect(b"PK\x03\x04\x14\0\0\0\x08\0garbage", "convention.docx");
        assert_eq!(d.format, Format::Docx);
        assert_eq!(d.error.unwrap().code, crate::error::ErrorCode::Corrupt);
    }
}
