//! E-mails (`.eml`, RFC 5322 / MIME) via mail-parser.
//!
//! Owns: the headers (from, to, cc, date, subject → metadata and the page's first lines), the
//! body as text (the text/plain parts, else the HTML parts converted to text here), and the
//! attachments as [`Child`] documents (nested `message/rfc822` parts as `.eml` children with
//! their raw bytes). It must not interpret the attachments: the pipeline processes each child as
//! a document of its own under `mail.eml/<attachment name>`.

use super::{Extractor, Input};
use crate::error::{Error, Result};
use crate::model::{Child, Extracted, Format, Page};
use mail_parser::{Address, HeaderName, Message, MessageParser, MimeHeaders, PartType};

pub struct EmlExtractor;

impl Extractor for EmlExtractor {
    fn name(&self) -> &'static str {
        "eml-mail-parser"
    }
    fn version(&self) -> u32 {
        1
    }
    fn formats(&self) -> &'static [Format] {
        &[Format::Eml]
    }
    fn extract(&self, input: &Input) -> Result<Extracted> {
        extract_eml(input)
    }
}

fn extract_eml(input: &Input) -> Result<Extracted> {
    let message = MessageParser::default()
        .parse(input.bytes)
        .ok_or_else(|| Error::corrupt("not a readable e-mail (no headers or body)"))?;
    // mail-parser accepts anything; an e-mail has at least one standard header.
    let standard = message
        .headers()
        .iter()
        .any(|h| !matches!(h.name, HeaderName::Other(_)));
    if message.parts.is_empty() || !standard {
        return Err(Error::corrupt("not a readable e-mail (no e-mail headers)"));
    }
    input.check_time()?;

    let mut out = Extracted::default();
    let from = message
        .from()
        .map(format_addresses)
        .filter(|s| !s.is_empty());
    let to = message.to().map(format_addresses).filter(|s| !s.is_empty());
    let cc = message.cc().map(format_addresses).filter(|s| !s.is_empty());
    let date = message.date().map(|d| d.to_rfc3339());
    let subject = message
        .subject()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());

    let meta = &mut out.metadata;
    for (key, value) in [
        ("from", &from),
        ("to", &to),
        ("cc", &cc),
        ("date", &date),
        ("subject", &subject),
    ] {
        if let Some(v) = value {
            meta.other.insert(key.to_string(), v.clone());
        }
    }
    meta.title = subject.clone();
    meta.created = date.clone();
    meta.author = from.clone();

    // Attachments first: their names go into the page's header block.
    let mut used_names: Vec<String> = Vec::new();
    let mut attachment_names = Vec::new();
    for (k, &part_id) in message.attachments.iter().enumerate() {
        input.check_time()?;
        let Some(part) = message.parts.get(part_id as usize) else {
            continue;
        };
        let n = k + 1;
        let (base, data) = match &part.body {
            PartType::Message(nested) => {
                let stem = nested
                    .subject()
                    .map(sanitize_name)
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| format!("attachment-{n}"));
                // `raw_message` indexes the first part: guard against an empty message.
                let raw = if nested.parts.is_empty() {
                    Vec::new()
                } else {
                    nested.raw_message().to_vec()
                };
                (format!("{stem}.eml"), raw)
            }
            _ => {
                let name = part
                    .attachment_name()
                    .map(|s| sanitize_name(base_name(s)))
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| {
                        let ext = part
                            .content_type()
                            .map(|ct| {
                                extension_for(&ct.c_type, ct.c_subtype.as_deref().unwrap_or(""))
                            })
                            .unwrap_or("bin");
                        format!("attachment-{n}.{ext}")
                    });
                (name, part.contents().to_vec())
            }
        };
        let name = unique_name(&base, &used_names);
        used_names.push(name.clone());
        attachment_names.push(name.clone());
        let data = if input.depth >= input.limits.max_depth {
            Err(Error::too_large(format!(
                "attachment of an e-mail nested {} levels deep (limit {}): not opened",
                input.depth, input.limits.max_depth
            )))
        } else if data.len() as u64 > input.limits.max_file_bytes {
            Err(Error::too_large(format!(
                "attachment of {} bytes (limit {} per file): not read",
                data.len(),
                input.limits.max_file_bytes
            )))
        } else {
            Ok(data)
        };
        out.children.push(Child { name, data });
    }

    let mut text = String::new();
    for (label, value) in [
        ("From", &from),
        ("To", &to),
        ("Cc", &cc),
        ("Date", &date),
        ("Subject", &subject),
    ] {
        if let Some(v) = value {
            text.push_str(&format!("{label}: {v}\n"));
        }
    }
    if !attachment_names.is_empty() {
        text.push_str(&format!("Attachments: {}\n", attachment_names.join(", ")));
    }
    let body = body_text(&message);
    if !body.is_empty() {
        text.push('\n');
        text.push_str(&body);
    }
    out.pages.push(Page {
        number: 1,
        text: text.trim_end().to_string(),
        ..Page::default()
    });
    Ok(out)
}

/// The text bodies, each text/plain as is and each HTML-only body converted to text.
fn body_text(message: &Message) -> String {
    let ids = if message.text_body.is_empty() {
        &message.html_body
    } else {
        &message.text_body
    };
    let mut parts = Vec::new();
    for &id in ids {
        let Some(part) = message.parts.get(id as usize) else {
            continue;
        };
        let t = match &part.body {
            PartType::Text(t) => normalize_newlines(t),
            PartType::Html(h) => html_to_text(h),
            _ => continue,
        };
        let t = t.trim().to_string();
        if !t.is_empty() {
            parts.push(t);
        }
    }
    parts.join("\n\n")
}

fn normalize_newlines(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

/// `Name <addr>` items separated by `, ` (groups flattened).
fn format_addresses(a: &Address) -> String {
    a.iter()
        .map(|addr| {
            let name = addr.name().map(str::trim).filter(|s| !s.is_empty());
            let address = addr.address().map(str::trim).filter(|s| !s.is_empty());
            match (name, address) {
                (Some(n), Some(a)) if n != a => format!("{n} <{a}>"),
                (_, Some(a)) => a.to_string(),
                (Some(n), None) => n.to_string(),
                (None, None) => String::new(),
            }
        })
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The last path segment of a file name (old Outlook sends `C:\Users\...\scan.pdf`).
fn base_name(s: &str) -> &str {
    s.rsplit(['/', '\\']).next().unwrap_or(s)
}

/// A name usable as one path segment: no `/`, `\` or control characters, at most 120 chars.
fn sanitize_name(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect();
    let collapsed = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    let trimmed = collapsed.trim_matches(|c: char| c == '.' || c.is_whitespace());
    trimmed.chars().take(120).collect()
}

/// `name`, or `name (2).ext`, `name (3).ext`... when already used.
fn unique_name(name: &str, used: &[String]) -> String {
    if !used.iter().any(|u| u == name) {
        return name.to_string();
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s, format!(".{e}")),
        _ => (name, String::new()),
    };
    (2..)
        .map(|k| format!("{stem} ({k}){ext}"))
        .find(|c| !used.iter().any(|u| u == c))
        .unwrap_or_else(|| name.to_string())
}

/// A file extension for an attachment without a name.
fn extension_for(c_type: &str, c_subtype: &str) -> &'static str {
    let t = c_type.to_ascii_lowercase();
    let s = c_subtype.to_ascii_lowercase();
    match (t.as_str(), s.as_str()) {
        ("application", "pdf") => "pdf",
        ("application", "msword") => "doc",
        ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document") => "docx",
        ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet") => "xlsx",
        ("application", "vnd.ms-excel") => "xls",
        ("application", "vnd.oasis.opendocument.text") => "odt",
        ("application", "vnd.oasis.opendocument.spreadsheet") => "ods",
        ("application", "zip" | "x-zip-compressed") => "zip",
        ("image", "jpeg" | "jpg" | "pjpeg") => "jpg",
        ("image", "png") => "png",
        ("image", "tiff") => "tif",
        ("image", "gif") => "gif",
        ("image", "bmp") => "bmp",
        ("image", "webp") => "webp",
        ("image", "heic") => "heic",
        ("text", "plain") => "txt",
        ("text", "csv") => "csv",
        ("text", "html") => "html",
        ("text", "calendar") => "ics",
        ("message", "rfc822") => "eml",
        _ => "bin",
    }
}

// ---------------------------------------------------------------------------------------------
// HTML → text

/// Converts an HTML body to text: tags stripped, `script`/`style`/`head` dropped, block tags
/// and `<br>` → newlines, table cells → tabs, common named and numeric entities decoded,
/// whitespace (no-break spaces included) collapsed to single spaces.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    let mut cell_in_row = 0usize;
    while let Some(lt) = rest.find('<') {
        push_text(&mut out, &rest[..lt]);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map(|e| &after[e + 3..]).unwrap_or("");
            continue;
        }
        let Some(gt) = tag_end(rest) else {
            // A lone `<`: keep it as text.
            push_text(&mut out, "<");
            rest = &rest[1..];
            continue;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match name.as_str() {
            "script" | "style" | "head" | "title" if !closing => {
                let close = format!("</{name}");
                rest = find_ci(rest, &close)
                    .map(|i| {
                        let r = &rest[i..];
                        r.find('>').map(|e| &r[e + 1..]).unwrap_or("")
                    })
                    .unwrap_or("");
            }
            "br" => out.push('\n'),
            "td" | "th" if !closing => {
                if cell_in_row > 0 {
                    trim_trailing_spaces(&mut out);
                    out.push('\t');
                }
                cell_in_row += 1;
            }
            "tr" => {
                cell_in_row = 0;
                newline(&mut out);
            }
            "p" | "div" | "li" | "ul" | "ol" | "table" | "h1" | "h2" | "h3" | "h4" | "h5"
            | "h6" | "blockquote" | "hr" | "pre" | "section" | "article" | "header" | "footer"
            | "address" | "dl" | "dt" | "dd" | "tbody" | "thead" | "center" | "form" => {
                newline(&mut out);
            }
            _ => {}
        }
    }
    push_text(&mut out, rest);
    // Tidy: trim each line, at most one blank line in a row.
    let mut tidy = String::with_capacity(out.len());
    let mut blank = 0;
    for line in out.lines() {
        let line = line.trim_matches(' ');
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 || tidy.is_empty() {
                continue;
            }
        } else {
            blank = 0;
        }
        tidy.push_str(line);
        tidy.push('\n');
    }
    tidy.trim_end().to_string()
}

/// The index of the `>` closing the tag at the start of `s`, skipping quoted attribute values.
fn tag_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if b.len() < 2 || !(b[1].is_ascii_alphabetic() || b[1] == b'/' || b[1] == b'!' || b[1] == b'?')
    {
        return None;
    }
    let mut quote = None;
    for (i, &c) in b.iter().enumerate().skip(1) {
        match (quote, c) {
            (None, b'"' | b'\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, b'>') => return Some(i),
            _ => {}
        }
    }
    None
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let n = needle.as_bytes();
    hay.as_bytes()
        .windows(n.len())
        .position(|w| w.eq_ignore_ascii_case(n))
}

fn newline(out: &mut String) {
    trim_trailing_spaces(out);
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

fn trim_trailing_spaces(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
}

/// Appends source text: entities decoded, whitespace runs collapsed to one space.
fn push_text(out: &mut String, raw: &str) {
    let decoded = decode_entities(raw);
    for c in decoded.chars() {
        // No-break spaces too: in mail HTML they are mostly layout (`&nbsp;&nbsp;`).
        if c.is_whitespace() {
            if !(out.is_empty() || out.ends_with([' ', '\n', '\t'])) {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

/// Decodes `&name;`, `&#123;` and `&#x1F;` entities (unknown names are kept as written).
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map(|e| e + 1);
        let decoded = end
            .filter(|&e| rest.as_bytes().get(e) == Some(&b';'))
            .and_then(|e| {
                let ent = &rest[1..e];
                let c = if let Some(num) = ent.strip_prefix('#') {
                    let v = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => num.parse::<u32>().ok(),
                    };
                    v.and_then(char::from_u32)
                } else {
                    named_entity(ent)
                };
                c.map(|c| (c, e + 1))
            });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "nbsp" => '\u{a0}',
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "eacute" => 'é',
        "Eacute" => 'É',
        "egrave" => 'è',
        "Egrave" => 'È',
        "ecirc" => 'ê',
        "Ecirc" => 'Ê',
        "euml" => 'ë',
        "agrave" => 'à',
        "Agrave" => 'À',
        "acirc" => 'â',
        "Acirc" => 'Â',
        "auml" => 'ä',
        "ccedil" => 'ç',
        "Ccedil" => 'Ç',
        "icirc" => 'î',
        "Icirc" => 'Î',
        "iuml" => 'ï',
        "ocirc" => 'ô',
        "Ocirc" => 'Ô',
        "ouml" => 'ö',
        "ugrave" => 'ù',
        "Ugrave" => 'Ù',
        "ucirc" => 'û',
        "uuml" => 'ü',
        "yuml" => 'ÿ',
        "oelig" => 'œ',
        "OElig" => 'Œ',
        "aelig" => 'æ',
        "laquo" => '«',
        "raquo" => '»',
        "euro" => '€',
        "copy" => '©',
        "reg" => '®',
        "deg" => '°',
        "hellip" => '…',
        "ndash" => '–',
        "mdash" => '—',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "bull" => '•',
        "middot" => '·',
        "times" => '×',
        "shy" => '\u{ad}',
        "thinsp" => '\u{2009}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "zwnj" => '\u{200c}',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use crate::extract::Limits;
    use std::time::Instant;

    fn run(raw: &str) -> Result<Extracted> {
        let limits = Limits::default();
        let input = Input {
            bytes: raw.as_bytes(),
            name: "mail.eml",
            limits: &limits,
            depth: 0,
            started: Instant::now(),
        };
        EmlExtractor.extract(&input)
    }

    const PDF_B64: &str = "JVBERi0xLjQKJcOkw7zDtsOfCjEgMCBvYmoKPDwvVHlwZS9DYXRhbG9nPj4KZW5kb2JqCnRyYWlsZXIKPDwvUm9vdCAxIDAgUj4+CiUlRU9GCg==";

    fn sample() -> String {
        format!(
            "From: =?UTF-8?Q?Fran=C3=A7oise_L=C3=A9ger?= <f.leger@exemple.fr>\r\n\
To: Jean Dupont <jean.dupont@client.fr>, rh@client.fr\r\n\
Cc: \"Marie Curie\" <marie@exemple.fr>\r\n\
Subject: =?UTF-8?Q?Convocation_=C3=A0_la_formation?=\r\n\
Date: Wed, 12 Mar 2025 10:15:00 +0100\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"XYZ\"\r\n\
\r\n\
--XYZ\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
\r\n\
Bonjour,\r\n\
\r\n\
Veuillez trouver ci-joint la convention sign=C3=A9e pour la session du 12 m=\r\n\
ars 2025 =C3=A0 Lyon.\r\n\
--XYZ\r\n\
Content-Type: application/pdf\r\n\
Content-Disposition: attachment; filename*=UTF-8''convention%20sign%C3%A9e.pdf\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
{PDF_B64}\r\n\
--XYZ\r\n\
Content-Type: application/pdf\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
{PDF_B64}\r\n\
--XYZ--\r\n"
        )
    }

    #[test]
    fn headers_body_and_attachments() {
        let x = run(&sample()).unwrap();
        let m = &x.metadata;
        assert_eq!(m.title.as_deref(), Some("Convocation à la formation"));
        assert_eq!(m.created.as_deref(), Some("2025-03-12T10:15:00+01:00"));
        assert_eq!(
            m.other.get("from").map(String::as_str),
            Some("Françoise Léger <f.leger@exemple.fr>")
        );
        assert_eq!(
            m.other.get("to").map(String::as_str),
            Some("Jean Dupont <jean.dupont@client.fr>, rh@client.fr")
        );
        assert_eq!(
            m.other.get("cc").map(String::as_str),
            Some("Marie Curie <marie@exemple.fr>")
        );
        let text = &x.pages[0].text;
        assert!(
            text.starts_with("From: Françoise Léger <f.leger@exemple.fr>\nTo: "),
            "{text}"
        );
        assert!(
            text.contains("Subject: Convocation à la formation\n"),
            "{text}"
        );
        assert!(text.contains("Date: 2025-03-12T10:15:00+01:00\n"), "{text}");
        assert!(
            text.contains("convention signée pour la session du 12 mars 2025 à Lyon."),
            "{text}"
        );
        assert_eq!(x.children.len(), 2);
        assert_eq!(x.children[0].name, "convention signée.pdf");
        let pdf = x.children[0].data.as_ref().unwrap();
        assert!(pdf.starts_with(b"%PDF-1.4"));
        assert_eq!(x.children[1].name, "attachment-2.pdf");
        assert!(
            text.contains("Attachments: convention signée.pdf, attachment-2.pdf"),
            "{text}"
        );
    }

    #[test]
    fn html_only_mail() {
        let raw = "From: a@b.fr\r\nSubject: Feuille\r\nContent-Type: text/html; charset=iso-8859-1\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\r\n\
<html><head><title>T</title><style>p {color:red}</style></head><body>\
<p>Bonjour,</p><p>Voici la feuille d'=E9margement&nbsp;:</p>\
<table><tr><th>Nom</th><th>Signature</th></tr><tr><td>Dupont</td><td>&laquo;sign&eacute;&raquo;</td></tr></table>\
Fait &agrave; Lyon, le 12&#160;mars&#x20;2025<br>Cordialement<!-- commentaire --></body></html>\r\n";
        let x = run(raw).unwrap();
        let text = &x.pages[0].text;
        let body = text.split_once("\n\n").unwrap().1;
        assert_eq!(
            body,
            "Bonjour,\nVoici la feuille d'émargement :\nNom\tSignature\nDupont\t«signé»\n\
Fait à Lyon, le 12 mars 2025\nCordialement"
        );
    }

    #[test]
    fn nested_message_becomes_eml_child() {
        let raw = "From: a@b.fr\r\nSubject: Fwd: emargement\r\n\
Content-Type: multipart/mixed; boundary=\"B\"\r\n\r\n\
--B\r\nContent-Type: text/plain\r\n\r\nVoir ci-dessous.\r\n\
--B\r\nContent-Type: message/rfc822\r\n\r\n\
From: c@d.fr\r\nSubject: =?ISO-8859-1?Q?Feuille_d'=E9margement_sign=E9e?=\r\n\
Content-Type: text/plain\r\n\r\nCi-joint.\r\n\
--B--\r\n";
        let x = run(raw).unwrap();
        assert_eq!(x.children.len(), 1);
        assert_eq!(x.children[0].name, "Feuille d'émargement signée.eml");
        let inner = x.children[0].data.clone().unwrap();
        let y = run(std::str::from_utf8(&inner).unwrap()).unwrap();
        assert_eq!(
            y.metadata.title.as_deref(),
            Some("Feuille d'émargement signée")
        );
        assert!(y.pages[0].text.ends_with("Ci-joint."));
    }

    #[test]
    fn duplicate_and_path_names() {
        let att = |name: &str| {
            format!(
                "--B\r\nContent-Type: application/pdf; name=\"{name}\"\r\n\
Content-Transfer-Encoding: base64\r\n\r\n{PDF_B64}\r\n"
            )
        };
        let raw = format!(
            "From: a@b.fr\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n\
--B\r\nContent-Type: text/plain\r\n\r\nx\r\n{}{}--B--\r\n",
            att("C:\\\\Users\\\\scan.pdf"),
            att("scan.pdf")
        );
        let x = run(&raw).unwrap();
        let names: Vec<_> = x.children.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, vec!["scan.pdf", "scan (2).pdf"]);
    }

    #[test]
    fn garbage_is_corrupt() {
        let limits = Limits::default();
        for bytes in [&b""[..], b"\0\0\0\0", b"\r\n\r\n"] {
            let input = Input {
                bytes,
                name: "x.eml",
                limits: &limits,
                depth: 0,
                started: Instant::now(),
            };
            let r = EmlExtractor.extract(&input);
            assert_eq!(r.unwrap_err().code, ErrorCode::Corrupt, "{bytes:?}");
        }
    }

    #[test]
    fn truncations_never_panic() {
        let s = sample();
        for n in 0..s.len() {
            let limits = Limits::default();
            let input = Input {
                bytes: &s.as_bytes()[..n],
                name: "x.eml",
                limits: &limits,
                depth: 0,
                started: Instant::now(),
            };
            let _ = EmlExtractor.extract(&input);
        }
    }

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("a &amp; b &eacute;&#233;&#xE9; &bogus; &"),
            "a & b ééé &bogus; &"
        );
    }
}
