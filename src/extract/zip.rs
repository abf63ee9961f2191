//! ZIP archives: members → [`Child`] documents, under limits.
//!
//! Owns reading a `.zip`'s central directory, decoding member names (UTF-8 or the CP850 that
//! Windows Explorer writes), skipping directories / `__MACOSX` / system files, and every guard
//! against hostile archives: nesting depth, member count, per-member size (declared and actual),
//! the archive's total expanded size and the compression ratio. It must not interpret the
//! members (the pipeline processes each child as a document of its own, under
//! `archive.zip/inner/path`) and never writes anything to disk: member names are only displayed,
//! so `..` or absolute names are harmless and kept readable rather than "sanitised" away.
//!
//! Member name heuristic (zip 9 replaces the raw name by a valid Info-ZIP Unicode Path extra
//! field and then sets the UTF-8 flag, so that case is covered by the flag):
//! - UTF-8 flag (bit 11) set → UTF-8 (lossy);
//! - plain ASCII → as is;
//! - valid UTF-8 with non-ASCII bytes → UTF-8 (macOS Archive Utility, some Java tools write UTF-8
//!   without the flag; a French CP850 name is practically never valid UTF-8, since é, è, à are
//!   the lone continuation bytes 0x82, 0x8A, 0x85);
//! - otherwise → CP850 (Windows Explorer / "Dossier compressé" on a French Windows).

use super::{Extractor, Input};
use crate::error::{Error, Result};
use crate::model::{Child, Extracted, Format, Page};
use std::io::{Cursor, Read};
use zip::ZipArchive;
use zip::result::ZipError;

pub struct ZipExtractor;

/// A member whose expansion ratio is above this *and* whose size is above
/// [`RATIO_MIN_BYTES`] is treated as a zip bomb.
pub const MAX_RATIO: u64 = 1000;
/// See [`MAX_RATIO`]: small highly compressible members (blank forms, text) are fine.
pub const RATIO_MIN_BYTES: u64 = 100 * 1024 * 1024;

/// The general-purpose flag bit meaning "name and comment are UTF-8".
const FLAG_UTF8: u16 = 1 << 11;

impl Extractor for ZipExtractor {
    fn name(&self) -> &'static str {
        "zip"
    }
    fn version(&self) -> u32 {
        1
    }
    fn formats(&self) -> &'static [Format] {
        &[Format::Zip]
    }
    fn extract(&self, input: &Input) -> Result<Extracted> {
        extract_zip(input)
    }
}

/// Decodes a member name per the heuristic in the module doc.
pub fn decode_member_name(raw: &[u8], utf8_flag: bool) -> String {
    if utf8_flag {
        return String::from_utf8_lossy(raw).into_owned();
    }
    if raw.is_ascii() {
        return String::from_utf8_lossy(raw).into_owned();
    }
    match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) => crate::textenc::decode_cp850(raw),
    }
}

/// A member name as displayed: `\` → `/`, no leading `/` or drive letter, no empty or `.`
/// segments, NUL and control characters dropped. `..` stays as a literal segment.
pub fn display_name(name: &str) -> String {
    let name: String = name
        .chars()
        .map(|c| if c == '\\' { '/' } else { c })
        .filter(|c| !c.is_control())
        .collect();
    let mut rest = name.as_str();
    // "C:/x" → "x"
    let b = rest.as_bytes();
    if b.len() >= 2 && b[1] == b':' && b[0].is_ascii_alphabetic() {
        rest = &rest[2..];
    }
    rest.split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect::<Vec<_>>()
        .join("/")
}

fn extract_zip(input: &Input) -> Result<Extracted> {
    let mut children = Vec::new();
    let mut out = stream(input, &mut |child| {
        children.push(child);
        0
    })?;
    out.children = children;
    Ok(out)
}

/// Reads the archive one member at a time: each member is handed to `on_member` as soon as it
/// is read (and dropped by the caller when done), so at most one member of this archive is
/// held in memory. `on_member` returns the bytes it expanded further (members of a nested
/// archive): they count against this archive's `max_expanded_bytes` too, so the cap is
/// cumulative across nesting. The time `on_member` takes does not count against this archive's
/// time budget. The result has no `children`.
pub fn stream(input: &Input, on_member: &mut dyn FnMut(Child) -> u64) -> Result<Extracted> {
    let limits = input.limits;
    let mut in_members = std::time::Duration::ZERO;
    if input.depth >= limits.max_depth {
        return Err(Error::too_large(format!(
            "archive nested {} levels deep inside other archives/e-mails (limit {}): not opened",
            input.depth, limits.max_depth
        )));
    }
    let mut archive = ZipArchive::new(Cursor::new(input.bytes)).map_err(|e| match e {
        ZipError::UnsupportedArchive(m) => {
            Error::unsupported(format!("ZIP variant not supported: {m}"))
        }
        e => Error::corrupt(format!("damaged ZIP archive (central directory): {e}")),
    })?;

    let mut out = Extracted::default();
    let total = archive.len();
    if archive.metadata().has_duplicate_names() {
        out.warnings.push(
            "the archive lists the same member name more than once; only one copy is read".into(),
        );
    }
    let comment = String::from_utf8_lossy(archive.comment())
        .trim()
        .to_string();
    if !comment.is_empty() {
        out.metadata
            .other
            .insert("comment".into(), comment.chars().take(1000).collect());
    }

    let mut listing: Vec<String> = Vec::new();
    let mut expanded: u64 = 0;
    let mut files = 0usize;
    for index in 0..total {
        if input.started.elapsed().saturating_sub(in_members) > limits.time_budget {
            input.check_time()?;
        }
        let (name, is_dir, is_symlink, encrypted, declared, compressed) = {
            let entry = match archive.by_index_data(index) {
                Ok(e) => e,
                Err(e) => {
                    out.warnings
                        .push(format!("member #{index} unreadable in the directory: {e}"));
                    continue;
                }
            };
            let flag = entry.flags().as_u16() & FLAG_UTF8 != 0;
            (
                display_name(&decode_member_name(entry.name_raw(), flag)),
                entry.is_dir() || entry.name_raw().ends_with(b"\\"),
                entry.is_symlink(),
                entry.encrypted(),
                entry.size(),
                entry.compressed_size(),
            )
        };
        if is_dir || name.is_empty() {
            continue;
        }
        if name.split('/').any(|s| s == "__MACOSX") {
            out.warnings
                .push(format!("{name}: skipped (macOS resource fork folder)"));
            continue;
        }
        let base = name.rsplit('/').next().unwrap_or(&name);
        if let Some(reason) = crate::walk::system_file_reason(base) {
            out.warnings.push(format!("{name}: skipped ({reason})"));
            continue;
        }
        if is_symlink {
            out.warnings
                .push(format!("{name}: skipped (symbolic link)"));
            continue;
        }
        files += 1;
        if files > limits.max_members {
            continue; // counted for the warning below
        }
        listing.push(name.clone());

        let data = if encrypted {
            Err(Error::encrypted("password-protected archive member"))
        } else if declared > limits.max_file_bytes {
            Err(Error::too_large(format!(
                "archive member of {} declared bytes (limit {} per file): not read",
                declared, limits.max_file_bytes
            )))
        } else if compressed > 0 && declared > RATIO_MIN_BYTES && declared / compressed > MAX_RATIO
        {
            Err(Error::too_large(format!(
                "archive member expands {}× ({} → {} bytes): treated as a zip bomb, not read",
                declared / compressed,
                compressed,
                declared
            )))
        } else if expanded.saturating_add(declared) > limits.max_expanded_bytes {
            Err(budget_error(limits.max_expanded_bytes))
        } else {
            read_member(&mut archive, index, compressed, declared, expanded, input)
        };
        if let Ok(d) = &data {
            expanded += d.len() as u64;
        }
        let handed = std::time::Instant::now();
        expanded = expanded.saturating_add(on_member(Child { name, data }));
        in_members += handed.elapsed();
    }
    if files > limits.max_members {
        out.warnings.push(format!(
            "the archive holds {files} files; only the first {} were read (limit)",
            limits.max_members
        ));
    }

    out.metadata
        .other
        .insert("members".into(), files.to_string());
    let mut text = listing.join("\n");
    if files > listing.len() {
        text.push_str(&format!("\n… and {} more", files - listing.len()));
    }
    out.pages.push(Page {
        number: 1,
        text,
        ..Page::default()
    });
    Ok(out)
}

fn budget_error(limit: u64) -> Error {
    Error::too_large(format!(
        "the archive expands to more than {limit} bytes in total (limit); this member was not read"
    ))
}

/// Reads one member with every limit enforced while reading (declared sizes can lie).
fn read_member(
    archive: &mut ZipArchive<Cursor<&[u8]>>,
    index: usize,
    compressed: u64,
    declared: u64,
    expanded: u64,
    input: &Input,
) -> Result<Vec<u8>, Error> {
    let limits = input.limits;
    let mut file = archive.by_index(index).map_err(member_error)?;
    let budget = limits.max_expanded_bytes.saturating_sub(expanded);
    let ratio_cap = compressed.saturating_mul(MAX_RATIO).max(RATIO_MIN_BYTES);
    let cap = limits.max_file_bytes.min(budget).min(ratio_cap);
    let mut data = Vec::with_capacity(declared.min(cap).min(64 * 1024 * 1024) as usize);
    (&mut file)
        .take(cap.saturating_add(1))
        .read_to_end(&mut data)
        .map_err(|e| member_error(ZipError::Io(e)))?;
    let got = data.len() as u64;
    if got > cap {
        return Err(if got > limits.max_file_bytes {
            Error::too_large(format!(
                "archive member larger than {} bytes (per-file limit): not read",
                limits.max_file_bytes
            ))
        } else if got > budget {
            budget_error(limits.max_expanded_bytes)
        } else {
            Error::too_large(format!(
                "archive member expands more than {MAX_RATIO}× ({compressed} compressed bytes): \
                 treated as a zip bomb, not read"
            ))
        });
    }
    Ok(data)
}

fn member_error(e: ZipError) -> Error {
    match e {
        ZipError::UnsupportedArchive(m) if m.to_lowercase().contains("password") => {
            Error::encrypted("password-protected archive member")
        }
        ZipError::UnsupportedArchive(m) => {
            Error::unsupported(format!("archive member not readable: {m}"))
        }
        ZipError::CompressionMethodNotSupported(m) => Error::unsupported(format!(
            "archive member uses compression method {m} (only stored and deflate are read)"
        )),
        ZipError::InvalidPassword => Error::encrypted("password-protected archive member"),
        e => Error::corrupt(format!("damaged archive member: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use crate::extract::Limits;
    use std::io::Write;
    use std::time::Instant;
    use zip::ZipWriter;
    use zip::write::SimpleFileOptions;

    fn run_with(bytes: &[u8], limits: &Limits, depth: u32) -> Result<Extracted> {
        let input = Input {
            bytes,
            name: "a.zip",
            limits,
            depth,
            started: Instant::now(),
        };
        ZipExtractor.extract(&input)
    }
    fn run(bytes: &[u8]) -> Result<Extracted> {
        run_with(bytes, &Limits::default(), 0)
    }

    fn stored() -> SimpleFileOptions {
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored)
    }

    /// Builds a zip from (raw name, data, deflate?) members.
    fn build(members: &[(&[u8], &[u8], bool)]) -> Vec<u8> {
        let mut w = ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data, deflate) in members {
            let opts = if *deflate {
                SimpleFileOptions::default()
            } else {
                stored()
            };
            w.start_file_with_options(opts.name(name)).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn child<'a>(x: &'a Extracted, name: &str) -> &'a Child {
        x.children
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no child {name}: {:?}", names(x)))
    }
    fn names(x: &Extracted) -> Vec<&str> {
        x.children.iter().map(|c| c.name.as_str()).collect()
    }

    #[test]
    fn members_become_children_and_listing() {
        let inner = build(&[(b"feuille.pdf", b"%PDF-1.4 inner", true)]);
        let z = build(&[
            (b"Emargements/", b"", false),
            (b"Emargements/mars.pdf", b"%PDF-1.4 hello", true),
            ("Émargés/été.txt".as_bytes(), b"texte", true),
            (b"inner.zip", &inner, false),
            (b"__MACOSX/._mars.pdf", b"junk", false),
            (b"Emargements/Thumbs.db", b"junk", false),
            (b"~$convention.docx", b"junk", false),
        ]);
        let x = run(&z).unwrap();
        assert_eq!(
            names(&x),
            vec!["Emargements/mars.pdf", "Émargés/été.txt", "inner.zip"]
        );
        assert_eq!(
            child(&x, "Emargements/mars.pdf").data.as_deref().unwrap(),
            b"%PDF-1.4 hello"
        );
        // The nested zip is handed over as bytes; reading it again works (one level down).
        let nested = child(&x, "inner.zip").data.clone().unwrap();
        let y = run_with(&nested, &Limits::default(), 1).unwrap();
        assert_eq!(names(&y), vec!["feuille.pdf"]);
        assert_eq!(x.pages.len(), 1);
        assert_eq!(
            x.pages[0].text,
            "Emargements/mars.pdf\nÉmargés/été.txt\ninner.zip"
        );
        assert_eq!(x.warnings.len(), 3, "{:?}", x.warnings);
        assert!(x.warnings.iter().any(|w| w.contains("__MACOSX")));
        assert!(x.warnings.iter().any(|w| w.contains("Thumbs.db")));
        assert_eq!(
            x.metadata.other.get("members").map(String::as_str),
            Some("3")
        );
    }

    #[test]
    fn cp850_name_without_utf8_flag() {
        // "À traiter/Être émargé.pdf" as Windows Explorer writes it (CP850, no flag).
        let raw: &[u8] = b"\xB7 traiter/\xD2tre \x82marg\x82.pdf";
        let z = build(&[(raw, b"%PDF-1.4", true)]);
        // The writer must not have set the UTF-8 flag (bit 11 of the flags at offset 6).
        assert_eq!(z[7] & 0x08, 0);
        let x = run(&z).unwrap();
        assert_eq!(names(&x), vec!["À traiter/Être émargé.pdf"]);
    }

    #[test]
    fn name_heuristic() {
        assert_eq!(decode_member_name("é.pdf".as_bytes(), true), "é.pdf");
        assert_eq!(decode_member_name("é.pdf".as_bytes(), false), "é.pdf");
        assert_eq!(decode_member_name(b"\x82.pdf", false), "é.pdf");
        assert_eq!(display_name("\\dossier\\sous\\x.pdf"), "dossier/sous/x.pdf");
        assert_eq!(display_name("/etc/../x.pdf"), "etc/../x.pdf");
        assert_eq!(display_name("C:\\Users\\a.pdf"), "Users/a.pdf");
        assert_eq!(display_name("./a//b.pdf"), "a/b.pdf");
    }

    #[test]
    fn oversize_member_with_small_limit() {
        let big = vec![b'a'; 5000];
        let z = build(&[(b"small.txt", b"ok", true), (b"big.txt", &big, true)]);
        let limits = Limits {
            max_file_bytes: 1000,
            ..Limits::default()
        };
        let x = run_with(&z, &limits, 0).unwrap();
        assert_eq!(child(&x, "small.txt").data.as_deref().unwrap(), b"ok");
        let e = child(&x, "big.txt").data.clone().unwrap_err();
        assert_eq!(e.code, ErrorCode::TooLarge);
    }

    #[test]
    fn lying_declared_size_is_caught_while_reading() {
        // Declared uncompressed size patched down to 10: never more than that is accepted.
        let big = vec![b'a'; 5000];
        let mut z = build(&[(b"big.txt", &big, true)]);
        let cd = find(&z, b"PK\x01\x02").unwrap();
        z[cd + 24..cd + 28].copy_from_slice(&10u32.to_le_bytes());
        z[22..26].copy_from_slice(&10u32.to_le_bytes());
        let limits = Limits {
            max_file_bytes: 1000,
            ..Limits::default()
        };
        let x = run_with(&z, &limits, 0).unwrap();
        let data = &child(&x, "big.txt").data;
        // zip 9 itself stops at the declared size ("larger than its declared size").
        assert!(data.is_err(), "{data:?}");
    }

    #[test]
    fn expanded_budget() {
        let a = vec![b'a'; 600];
        let z = build(&[
            (b"1.txt", &a, true),
            (b"2.txt", &a, true),
            (b"3.txt", &a, true),
        ]);
        let limits = Limits {
            max_expanded_bytes: 1000,
            ..Limits::default()
        };
        let x = run_with(&z, &limits, 0).unwrap();
        assert!(child(&x, "1.txt").data.is_ok());
        assert_eq!(
            child(&x, "2.txt").data.clone().unwrap_err().code,
            ErrorCode::TooLarge
        );
        assert_eq!(
            child(&x, "3.txt").data.clone().unwrap_err().code,
            ErrorCode::TooLarge
        );
    }

    #[test]
    fn zip_bomb_ratio_from_declared_sizes() {
        let text = b"a".repeat(2000);
        let mut z = build(&[(b"bomb.txt", &text, true)]);
        let cd = find(&z, b"PK\x01\x02").unwrap();
        z[cd + 24..cd + 28].copy_from_slice(&200_000_000u32.to_le_bytes());
        let x = run(&z).unwrap();
        let e = child(&x, "bomb.txt").data.clone().unwrap_err();
        assert_eq!(e.code, ErrorCode::TooLarge);
        assert!(e.message.contains("zip bomb"), "{e:?}");
    }

    #[test]
    fn member_count_limit() {
        let z = build(&[
            (b"1.txt", b"1", false),
            (b"2.txt", b"2", false),
            (b"3.txt", b"3", false),
        ]);
        let limits = Limits {
            max_members: 2,
            ..Limits::default()
        };
        let x = run_with(&z, &limits, 0).unwrap();
        assert_eq!(x.children.len(), 2);
        assert!(x.warnings.iter().any(|w| w.contains("only the first 2")));
        assert!(x.pages[0].text.ends_with("… and 1 more"));
    }

    fn find(h: &[u8], n: &[u8]) -> Option<usize> {
        h.windows(n.len()).position(|w| w == n)
    }

    #[test]
    fn corrupted_crc_member_is_a_corrupt_child() {
        let z0 = build(&[
            (b"ok.txt", b"fine", false),
            (b"bad.txt", b"SIGNATURE-DATA", false),
        ]);
        let mut z = z0.clone();
        let at = find(&z, b"SIGNATURE-DATA").unwrap();
        z[at] = b'X';
        let x = run(&z).unwrap();
        assert!(child(&x, "ok.txt").data.is_ok());
        let e = child(&x, "bad.txt").data.clone().unwrap_err();
        assert_eq!(e.code, ErrorCode::Corrupt, "{e:?}");
    }

    #[test]
    fn bad_deflate_member_is_a_corrupt_child() {
        let text = b"Feuille d'emargement ".repeat(50);
        let mut z = build(&[(b"a.txt", &text, true)]);
        // Local header is 30 bytes + name: garble the deflate stream right after it.
        for b in &mut z[30 + 5..30 + 5 + 8] {
            *b = 0xFF;
        }
        let x = run(&z).unwrap();
        let e = child(&x, "a.txt").data.clone().unwrap_err();
        assert_eq!(e.code, ErrorCode::Corrupt, "{e:?}");
    }

    #[test]
    fn encrypted_member() {
        let mut z = build(&[(b"secret.pdf", b"%PDF-1.4 xx", false)]);
        z[6] |= 1; // local header flags
        let cd = find(&z, b"PK\x01\x02").unwrap();
        z[cd + 8] |= 1; // central directory flags
        let x = run(&z).unwrap();
        let e = child(&x, "secret.pdf").data.clone().unwrap_err();
        assert_eq!(e.code, ErrorCode::Encrypted);
    }

    #[test]
    fn damaged_central_directory_is_corrupt() {
        let z = build(&[(b"a.txt", b"hello", true)]);
        let e = run(&z[..z.len() - 30]).unwrap_err();
        assert_eq!(e.code, ErrorCode::Corrupt);
        let e = run(b"PK\x03\x04garbage").unwrap_err();
        assert_eq!(e.code, ErrorCode::Corrupt);
    }

    #[test]
    fn depth_limit() {
        let z = build(&[(b"a.txt", b"hello", true)]);
        let limits = Limits {
            max_depth: 2,
            ..Limits::default()
        };
        assert!(run_with(&z, &limits, 1).is_ok());
        let e = run_with(&z, &limits, 2).unwrap_err();
        assert_eq!(e.code, ErrorCode::TooLarge);
        assert!(e.message.contains("nested"));
    }

    #[test]
    fn truncations_never_panic() {
        let inner = build(&[(b"x.pdf", b"%PDF", true)]);
        let z = build(&[
            (b"a.txt", &b"hello ".repeat(40), true),
            (b"in.zip", &inner, false),
        ]);
        for n in 0..z.len() {
            let _ = run(&z[..n]);
        }
        for i in 0..z.len() {
            let mut m = z.clone();
            m[i] ^= 0x55;
            let _ = run(&m);
        }
    }
}
