//! Shared helpers for the zip + XML word-processing extractors (docx, odt; usable by xlsx drawings).
//!
//! Owns four things: [`Package`], a zip read in memory whose parts are read with a size bound
//! (zip bombs → `too_large`, damage → `corrupt`); [`Events`], a quick-xml event loop that turns
//! syntax errors and unclosed elements into `corrupt` and checks the time budget; relationship
//! parsing ([`parse_rels`], [`resolve_target`]); and [`Flow`], the builder that turns a stream of
//! "paragraph / table / cell / image" calls into lines of text, table grids and anchored images,
//! the same way for Word and OpenDocument. It also sniffs image formats and sizes from header
//! bytes ([`image_dimensions`]) without decoding pixels. It must not know Word or ODF element
//! names (those live in `docx` and `odt`) and never allocates more than the limits allow.

use super::Input;
use crate::error::{Error, ErrorCode, Result};
use crate::model::{Anchor, Cell, CellRange, ImageRef, Table};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{Cursor, Read};

// ---------------------------------------------------------------------------------------------
// Zip package

/// A zip container read from memory, each part read with a size bound.
pub struct Package<'a> {
    archive: ::zip::ZipArchive<Cursor<&'a [u8]>>,
}

fn zip_error(what: &str, e: ::zip::result::ZipError) -> Error {
    use ::zip::result::ZipError;
    match e {
        ZipError::UnsupportedArchive(m) if m == ZipError::PASSWORD_REQUIRED => {
            Error::encrypted(format!("{what}: the zip entry is password-protected"))
        }
        ZipError::InvalidPassword => {
            Error::encrypted(format!("{what}: the zip entry is password-protected"))
        }
        ZipError::CompressionMethodNotSupported(m) => Error::unsupported(format!(
            "{what}: zip compression method {m} is not supported"
        )),
        other => Error::corrupt(format!("{what}: damaged zip container ({other})")),
    }
}

impl<'a> Package<'a> {
    /// Opens the zip; a damaged central directory is `corrupt`.
    pub fn open(bytes: &'a [u8]) -> Result<Package<'a>> {
        let archive = ::zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| zip_error("cannot open the file", e))?;
        Ok(Package { archive })
    }

    /// The stored name of a part, matched exactly, then case-insensitively (OPC part names are
    /// case-insensitive), ignoring a leading `/`.
    pub fn find(&self, name: &str) -> Option<String> {
        let name = name.trim_start_matches('/');
        if self.archive.index_for_name(name).is_some() {
            return Some(name.to_string());
        }
        self.archive
            .file_names()
            .filter_map(|n| n.ok())
            .find(|n| n.eq_ignore_ascii_case(name))
            .map(|n| n.into_owned())
    }

    pub fn has(&self, name: &str) -> bool {
        self.find(name).is_some()
    }

    /// All member names (undecodable names skipped).
    pub fn names(&self) -> Vec<String> {
        self.archive
            .file_names()
            .filter_map(|n| n.ok())
            .map(|n| n.into_owned())
            .collect()
    }

    /// Reads a whole part, failing with `too_large` past `max` bytes. `Ok(None)` if absent.
    pub fn read(&mut self, name: &str, max: u64) -> Result<Option<Vec<u8>>> {
        self.read_bounded(name, max, true)
    }

    /// Reads at most the first `n` bytes of a part (for image headers). `Ok(None)` if absent.
    pub fn read_prefix(&mut self, name: &str, n: u64) -> Result<Option<Vec<u8>>> {
        self.read_bounded(name, n, false)
    }

    fn read_bounded(&mut self, name: &str, max: u64, whole: bool) -> Result<Option<Vec<u8>>> {
        let Some(stored) = self.find(name) else {
            return Ok(None);
        };
        let file = match self.archive.by_name(&stored) {
            Ok(f) => f,
            Err(::zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(zip_error(&format!("part {stored}"), e)),
        };
        let declared = file.size();
        if whole && declared > max {
            return Err(too_large_part(&stored, max));
        }
        // Never trust the declared size for the allocation beyond a small amount.
        let mut out = Vec::with_capacity(declared.min(max).min(1 << 20) as usize);
        let bound = if whole { max.saturating_add(1) } else { max };
        file.take(bound)
            .read_to_end(&mut out)
            .map_err(|e| Error::corrupt(format!("part {stored}: damaged zip data ({e})")))?;
        if whole && out.len() as u64 > max {
            return Err(too_large_part(&stored, max));
        }
        Ok(Some(out))
    }

    /// Reads a part as text (see [`xml_text`]), bounded like [`Package::read`].
    pub fn read_string(&mut self, name: &str, max: u64) -> Result<Option<String>> {
        Ok(self
            .read(name, max)?
            .map(|bytes| match String::from_utf8(bytes) {
                // The usual case, without a copy.
                Ok(s) if !s.starts_with('\u{feff}') => s,
                Ok(s) => s.trim_start_matches('\u{feff}').to_string(),
                Err(e) => xml_text(e.as_bytes()).into_owned(),
            }))
    }
}

fn too_large_part(name: &str, max: u64) -> Error {
    Error::too_large(format!(
        "part {name} expands beyond {} MB (per-part limit; possibly a zip bomb)",
        max / (1024 * 1024)
    ))
}

/// Decodes an XML part's bytes: UTF-8 (BOM stripped, invalid bytes replaced) or UTF-16 with BOM.
pub fn xml_text(bytes: &[u8]) -> Cow<'_, str> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(rest);
    }
    if bytes.starts_with(b"\xFF\xFE") {
        return Cow::Owned(
            encoding_rs::UTF_16LE
                .decode_with_bom_removal(bytes)
                .0
                .into_owned(),
        );
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return Cow::Owned(
            encoding_rs::UTF_16BE
                .decode_with_bom_removal(bytes)
                .0
                .into_owned(),
        );
    }
    String::from_utf8_lossy(bytes)
}

// ---------------------------------------------------------------------------------------------
// XML events

/// A quick-xml event loop over one part: errors become `corrupt` (with the part's name), an
/// element left open at the end is `corrupt`, and the time budget is checked every few
/// thousand events.
pub struct Events<'a> {
    reader: Reader<&'a [u8]>,
    part: String,
    depth: usize,
    seen_root: bool,
    count: u64,
}

impl<'a> Events<'a> {
    pub fn new(xml: &'a str, part: &str) -> Events<'a> {
        let mut reader = Reader::from_str(xml);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = false;
        config.trim_text(false);
        Events {
            reader,
            part: part.to_string(),
            depth: 0,
            seen_root: false,
            count: 0,
        }
    }

    /// Element nesting depth after the last event (a `Start` counts until its `End`).
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// The next event, or `None` at the end of a well-formed part.
    pub fn next(&mut self, input: &Input) -> Result<Option<Event<'a>>> {
        self.count += 1;
        if self.count.is_multiple_of(4096) {
            input.check_time()?;
        }
        let ev = self.reader.read_event().map_err(|e| {
            Error::corrupt(format!(
                "{}: malformed XML near byte {} ({e})",
                self.part,
                self.reader.error_position()
            ))
        })?;
        match &ev {
            Event::Start(_) => {
                self.depth += 1;
                self.seen_root = true;
            }
            Event::Empty(_) => self.seen_root = true,
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            Event::Eof => {
                if self.depth > 0 {
                    return Err(Error::corrupt(format!(
                        "{}: XML ends inside an open element (truncated part)",
                        self.part
                    )));
                }
                if !self.seen_root {
                    return Err(Error::corrupt(format!("{}: empty XML part", self.part)));
                }
                return Ok(None);
            }
            _ => {}
        }
        Ok(Some(ev))
    }

    /// Skips the rest of the element whose `Start` was just returned.
    pub fn skip_element(&mut self, input: &Input) -> Result<()> {
        let target = self.depth.saturating_sub(1);
        while self.depth > target {
            if self.next(input)?.is_none() {
                break;
            }
        }
        Ok(())
    }
}

/// The characters an event stands for, if it is character data: text, CDATA, or an entity /
/// character reference (`&amp;`, `&#233;`). Unknown entities give `None`.
pub fn event_text<'e>(ev: &Event<'e>) -> Option<Cow<'e, str>> {
    match ev {
        Event::Text(t) => Some(t.xml10_content()),
        Event::CData(t) => Some(t.xml10_content()),
        Event::GeneralRef(r) => {
            if r.is_char_ref() {
                match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(Cow::Owned(c.to_string())),
                    _ => None,
                }
            } else {
                quick_xml::escape::resolve_xml_entity(r).map(Cow::Borrowed)
            }
        }
        _ => None,
    }
}

/// `w:p` → (`"w"`, `"p"`); `p` → (`""`, `"p"`).
pub fn split_qname(q: &str) -> (&str, &str) {
    match q.split_once(':') {
        Some((p, l)) => (p, l),
        None => ("", q),
    }
}

/// The (prefix, local name) of an element.
pub fn element_name<'e>(e: &'e BytesStart) -> (&'e str, &'e str) {
    split_qname(e.name().0)
}

fn attr_value(a: &quick_xml::events::attributes::Attribute) -> String {
    match a.normalized_value(quick_xml::XmlVersion::Implicit1_0) {
        Ok(v) => v.into_owned(),
        Err(_) => a.value.to_string(),
    }
}

/// The value of the first attribute whose *local* name is `local` (any prefix).
pub fn attr(e: &BytesStart, local: &str) -> Option<String> {
    let mut attrs = e.attributes();
    attrs.with_checks(false);
    for a in attrs {
        let Ok(a) = a else { break };
        if split_qname(a.key.0).1 == local {
            return Some(attr_value(&a));
        }
    }
    None
}

/// The value of the attribute with the given prefix and local name.
pub fn attr_ns(e: &BytesStart, prefix: &str, local: &str) -> Option<String> {
    let mut attrs = e.attributes();
    attrs.with_checks(false);
    for a in attrs {
        let Ok(a) = a else { break };
        if split_qname(a.key.0) == (prefix, local) {
            return Some(attr_value(&a));
        }
    }
    None
}

/// The prefix an element declares for one of `uris` (`""` for a default namespace).
pub fn declared_prefix(e: &BytesStart, uris: &[&str]) -> Option<String> {
    let mut attrs = e.attributes();
    attrs.with_checks(false);
    for a in attrs {
        let Ok(a) = a else { break };
        let key = a.key.0;
        let prefix = if key == "xmlns" {
            ""
        } else if let Some(p) = key.strip_prefix("xmlns:") {
            p
        } else {
            continue;
        };
        if uris.contains(&a.value.as_ref()) {
            return Some(prefix.to_string());
        }
    }
    None
}

/// Three strings read from a metadata part (see [`simple_elements`]).
pub type Item = (String, String, String);

/// Reads a flat metadata part (`docProps/core.xml`, `meta.xml`): (prefix, local name, text) of
/// every element that directly holds non-empty text, plus the attributes of `attr_elements`
/// (by local name) as (local element name, attribute local name, value).
pub fn simple_elements(
    xml: &str,
    part: &str,
    input: &Input,
    attr_elements: &[&str],
) -> Result<(Vec<Item>, Vec<Item>)> {
    let mut ev = Events::new(xml, part);
    let mut stack: Vec<Item> = Vec::new();
    let mut out = Vec::new();
    let mut attrs_out = Vec::new();
    let grab_attrs = |e: &BytesStart, attrs_out: &mut Vec<Item>| {
        let (_, local) = element_name(e);
        if attr_elements.contains(&local) {
            let mut attrs = e.attributes();
            attrs.with_checks(false);
            for a in attrs.flatten() {
                let k = split_qname(a.key.0).1.to_string();
                attrs_out.push((local.to_string(), k, attr_value(&a)));
            }
        }
    };
    while let Some(e) = ev.next(input)? {
        match &e {
            Event::Start(s) => {
                grab_attrs(s, &mut attrs_out);
                let (p, l) = element_name(s);
                stack.push((p.to_string(), l.to_string(), String::new()));
            }
            Event::Empty(s) => grab_attrs(s, &mut attrs_out),
            Event::End(_) => {
                if let Some((p, l, t)) = stack.pop() {
                    let t = t.trim();
                    if !t.is_empty() {
                        out.push((p, l, t.to_string()));
                    }
                }
            }
            other => {
                if let (Some(t), Some(top)) = (event_text(other), stack.last_mut())
                    && top.2.len() < 64 * 1024
                {
                    top.2.push_str(&t);
                }
            }
        }
    }
    Ok((out, attrs_out))
}

// ---------------------------------------------------------------------------------------------
// Relationships (OPC)

/// One relationship of a `_rels/*.rels` part.
#[derive(Clone, Debug, PartialEq)]
pub struct Rel {
    pub id: String,
    /// The last segment of the relationship type URI (`image`, `header`, `footer`...).
    pub kind: String,
    pub target: String,
    pub external: bool,
}

/// Parses a `.rels` part.
pub fn parse_rels(xml: &str, part: &str, input: &Input) -> Result<Vec<Rel>> {
    let mut ev = Events::new(xml, part);
    let mut out = Vec::new();
    while let Some(e) = ev.next(input)? {
        if let Event::Start(s) | Event::Empty(s) = &e
            && element_name(s).1 == "Relationship"
        {
            let (Some(id), Some(target)) = (attr(s, "Id"), attr(s, "Target")) else {
                continue;
            };
            let kind = attr(s, "Type")
                .map(|t| t.rsplit('/').next().unwrap_or_default().to_string())
                .unwrap_or_default();
            let external =
                attr(s, "TargetMode").is_some_and(|m| m.eq_ignore_ascii_case("External"));
            out.push(Rel {
                id,
                kind,
                target,
                external,
            });
        }
    }
    Ok(out)
}

/// `word/document.xml` → `word/_rels/document.xml.rels`.
pub fn rels_part(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// Resolves a relationship target against the part that holds the relationship:
/// (`word/document.xml`, `media/image1.png`) → `word/media/image1.png`; absolute targets
/// (`/word/media/x.png`) are taken from the root; `..` and `%20` are handled.
pub fn resolve_target(base_part: &str, target: &str) -> String {
    let target = percent_decode(target);
    let mut segments: Vec<&str> = Vec::new();
    let rest: &str = if let Some(abs) = target.strip_prefix('/') {
        abs
    } else {
        if let Some((dir, _)) = base_part.rsplit_once('/') {
            segments.extend(dir.split('/').filter(|s| !s.is_empty()));
        }
        &target
    };
    for seg in rest.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    segments.join("/")
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

// ---------------------------------------------------------------------------------------------
// Image sniffing

/// The image format from its magic bytes: `png`, `jpeg`, `gif`, `bmp`, `tiff`, `webp`, `emf`,
/// `wmf`, `svg`.
pub fn image_encoding(b: &[u8]) -> Option<&'static str> {
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if b.starts_with(b"\xFF\xD8\xFF") {
        Some("jpeg")
    } else if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        Some("gif")
    } else if b.starts_with(b"BM") && b.len() >= 26 {
        Some("bmp")
    } else if b.starts_with(b"II*\0") || b.starts_with(b"MM\0*") {
        Some("tiff")
    } else if b.starts_with(b"RIFF") && b.get(8..12) == Some(b"WEBP") {
        Some("webp")
    } else if b.starts_with(b"\x01\0\0\0") && b.get(40..44) == Some(b" EMF") {
        Some("emf")
    } else if b.starts_with(b"\xD7\xCD\xC6\x9A")
        || b.starts_with(b"\x01\0\x09\0")
        || b.starts_with(b"\x02\0\x09\0")
    {
        Some("wmf")
    } else {
        let head = &b[..b.len().min(1024)];
        let head = String::from_utf8_lossy(head);
        let t = head.trim_start_matches('\u{feff}').trim_start();
        if (t.starts_with("<?xml") || t.starts_with("<svg") || t.starts_with("<!--"))
            && head.contains("<svg")
        {
            Some("svg")
        } else {
            None
        }
    }
}

/// Width, height (pixels) and format of an image, read from its header bytes without decoding
/// (PNG, JPEG, GIF, BMP, TIFF, WebP): the image extractor's reader, re-exported for the zip + XML
/// extractors. Vector formats (EMF, WMF, SVG) have no pixel size: see [`image_encoding`].
pub use super::image::image_dimensions;

// ---------------------------------------------------------------------------------------------
// Shared extractor plumbing

/// Bytes of an image part enough to find its format and size (a JPEG's size can follow large
/// EXIF / ICC / XMP segments).
pub const IMAGE_HEADER_BYTES: u64 = 1 << 20;
/// Bytes read first; the rest of [`IMAGE_HEADER_BYTES`] only when the size was not found.
pub const IMAGE_HEADER_FIRST_BYTES: u64 = 64 << 10;

/// Text produced is bounded too (a few expanding constructs exist): twice the part limit.
pub fn text_budget(input: &Input) -> usize {
    usize::try_from(input.limits.max_part_bytes.saturating_mul(2)).unwrap_or(usize::MAX)
}

/// Keeps going without an optional part: a damaged one becomes a warning, but a bomb-like
/// part (`too_large`), a timeout or an encrypted entry still fail the file.
pub fn optional<T>(r: Result<T>, warnings: &mut Vec<String>) -> Result<Option<T>> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e) if matches!(e.code, ErrorCode::Corrupt | ErrorCode::Unsupported) => {
            warnings.push(e.message);
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

pub fn trim_blank_lines(lines: Vec<String>) -> Vec<String> {
    let mut lines = lines;
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    let first = lines
        .iter()
        .position(|l| !l.trim().is_empty())
        .unwrap_or(lines.len());
    lines.drain(..first);
    lines
}

/// Format and pixel size of image parts already read, by name.
pub type ImageCache = HashMap<String, (Option<&'static str>, Option<(u32, u32)>)>;

/// Builds an [`ImageRef`], reading only the start of the media part.
pub fn image_ref(
    pkg: &mut Package,
    name: String,
    anchor: Anchor,
    cache: &mut ImageCache,
    warnings: &mut Vec<String>,
) -> Result<ImageRef> {
    let info = match cache.get(&name) {
        Some(i) => *i,
        None => {
            let mut head = pkg.read_prefix(&name, IMAGE_HEADER_FIRST_BYTES);
            if let Ok(Some(b)) = &head
                && b.len() as u64 == IMAGE_HEADER_FIRST_BYTES
                && image_dimensions(b).is_none()
            {
                head = pkg.read_prefix(&name, IMAGE_HEADER_BYTES);
            }
            let i = match head {
                Ok(Some(bytes)) => match image_dimensions(&bytes) {
                    Some((w, h, enc)) => (Some(enc), Some((w, h))),
                    None => (image_encoding(&bytes), None),
                },
                Ok(None) => (None, None),
                Err(e) if e.code == ErrorCode::Timeout => return Err(e),
                Err(e) => {
                    warnings.push(format!("image {name}: {}", e.message));
                    (None, None)
                }
            };
            cache.insert(name.clone(), i);
            i
        }
    };
    Ok(ImageRef {
        name,
        encoding: info.0.map(str::to_string),
        width_px: info.1.map(|d| d.0),
        height_px: info.1.map(|d| d.1),
        anchor: Some(anchor),
    })
}

// ---------------------------------------------------------------------------------------------
// Flow builder

/// Largest number of cells kept in one row / rows in one table / cells in one part.
const MAX_COLS: usize = 1024;
const MAX_ROWS: usize = 50_000;
const MAX_CELLS: usize = 1_000_000;
/// Longest image context kept (characters, the end of the paragraph).
const MAX_CONTEXT_CHARS: usize = 300;

/// Vertical merge state of a Word table cell (`w:vMerge`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum VMerge {
    #[default]
    None,
    Restart,
    Continue,
}

struct ParaBuf {
    text: String,
    /// Lines of paragraphs nested in this one (text boxes, notes), emitted after it.
    after: Vec<String>,
    /// Index among the body's top-level paragraphs.
    index: Option<usize>,
}

struct CellBuild {
    col: usize,
    paras: Vec<String>,
    col_span: usize,
    row_span: usize,
    /// Word: add `col_span - 1` empty cells after this one (ODF writes covered cells itself).
    fill: bool,
    vmerge: VMerge,
}

struct TableBuild {
    /// Open paragraphs when the table started (a table inside a text box sits in a paragraph).
    para_depth: usize,
    /// Index among the body's top-level tables.
    top: Option<usize>,
    rows: Vec<Vec<Cell>>,
    merged: Vec<CellRange>,
    cell: Option<CellBuild>,
    /// Columns whose vertical merge is still open: (column, index in `merged`).
    vopen: Vec<(usize, usize)>,
}

enum Pending {
    Para(usize),
    Cell {
        table: usize,
        row: usize,
        col: usize,
    },
    HeaderFooter,
}

/// What a [`Flow`] built.
#[derive(Debug, Default)]
pub struct FlowOut {
    /// One line per paragraph, one per table row (cells separated by tabs).
    pub lines: Vec<String>,
    /// The top-level tables, in order.
    pub tables: Vec<Table>,
    /// Image names (media paths) with their anchors, in document order.
    pub images: Vec<(String, Anchor)>,
    /// Something was dropped (too many cells...).
    pub truncated: bool,
}

/// Builds text lines, table grids and image anchors from a word-processing document's flow.
///
/// The caller maps its XML to calls: `start_paragraph` / `text` / `end_paragraph`,
/// `start_table` / `start_row` / `start_cell` ... `end_table`, `image`. Paragraphs nested in a
/// paragraph (text boxes, frames, notes) become lines after it; tables nested in a table or a
/// text box are flattened into the text of their enclosing cell or paragraph.
pub struct Flow {
    header_footer: Option<String>,
    lines: Vec<String>,
    tables: Vec<Table>,
    para_texts: Vec<String>,
    paras: Vec<ParaBuf>,
    open: Vec<TableBuild>,
    images: Vec<(String, Pending)>,
    budget: usize,
    used: usize,
    cells: usize,
    truncated: bool,
}

impl Flow {
    /// `header_footer`: the part name when building a header or footer (all images are then
    /// anchored [`Anchor::HeaderFooter`]). `budget`: largest amount of text (bytes) produced.
    pub fn new(header_footer: Option<String>, budget: usize) -> Flow {
        Flow {
            header_footer,
            lines: Vec::new(),
            tables: Vec::new(),
            para_texts: Vec::new(),
            paras: Vec::new(),
            open: Vec::new(),
            images: Vec::new(),
            budget,
            used: 0,
            cells: 0,
            truncated: false,
        }
    }

    pub fn in_paragraph(&self) -> bool {
        !self.paras.is_empty()
    }

    /// The text of the innermost open paragraph so far.
    pub fn paragraph_text(&self) -> &str {
        self.paras.last().map(|p| p.text.as_str()).unwrap_or("")
    }

    pub fn start_paragraph(&mut self) {
        // Top-level paragraphs cannot nest, so the count of finished ones is this one's index.
        let index =
            (self.open.is_empty() && self.paras.is_empty()).then_some(self.para_texts.len());
        self.paras.push(ParaBuf {
            text: String::new(),
            after: Vec::new(),
            index,
        });
    }

    /// Adds text to the innermost open paragraph (ignored outside paragraphs).
    pub fn text(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        let Some(p) = self.paras.last_mut() else {
            return;
        };
        if self.used.saturating_add(s.len()) > self.budget {
            self.truncated = true;
            return;
        }
        self.used += s.len();
        p.text.push_str(s);
    }

    pub fn end_paragraph(&mut self) {
        let Some(p) = self.paras.pop() else { return };
        let mut lines = Vec::with_capacity(1 + p.after.len());
        lines.push(p.text);
        lines.extend(p.after);
        if p.index.is_some()
            && let Some(first) = lines.first()
        {
            self.para_texts.push(first.clone());
        }
        self.deliver(lines);
    }

    /// Gives finished lines to whatever encloses the current position: an open paragraph (text
    /// box), the current table cell, or the body.
    fn deliver(&mut self, lines: Vec<String>) {
        let table_depth = self.open.last().map(|t| t.para_depth).unwrap_or(0);
        if self.paras.len() > table_depth {
            if let Some(p) = self.paras.last_mut() {
                p.after.extend(lines);
            }
        } else if !self.open.is_empty() {
            self.ensure_cell();
            if let Some(c) = self.open.last_mut().and_then(|t| t.cell.as_mut()) {
                c.paras.extend(lines);
            }
        } else {
            self.lines.extend(lines);
        }
    }

    pub fn start_table(&mut self) {
        let top = (self.open.is_empty() && self.paras.is_empty()).then_some(self.tables.len());
        self.open.push(TableBuild {
            para_depth: self.paras.len(),
            top,
            rows: Vec::new(),
            merged: Vec::new(),
            cell: None,
            vopen: Vec::new(),
        });
    }

    pub fn end_table(&mut self) {
        self.end_cell();
        // Paragraphs left open inside the table (malformed input) are closed first.
        while self.paras.len() > self.open.last().map(|t| t.para_depth).unwrap_or(0) {
            self.end_paragraph();
        }
        let Some(t) = self.open.pop() else { return };
        let merged: Vec<CellRange> = t
            .merged
            .into_iter()
            .filter(|r| r.first_row != r.last_row || r.first_col != r.last_col)
            .collect();
        let table = Table {
            rows: t.rows,
            merged,
            origin: (0, 0),
        };
        if t.top.is_some() {
            self.lines
                .extend(table.rows.iter().map(|r| row_line(r, "\t")));
            self.tables.push(table);
        } else {
            let lines = table
                .rows
                .iter()
                .map(|r| row_line(r, " "))
                .filter(|l| !l.is_empty());
            let lines: Vec<String> = lines.collect();
            self.deliver(lines);
        }
    }

    pub fn start_row(&mut self) {
        self.end_cell();
        let Some(t) = self.open.last_mut() else {
            return;
        };
        if t.rows.len() >= MAX_ROWS {
            self.truncated = true;
            return;
        }
        t.rows.push(Vec::new());
    }

    pub fn end_row(&mut self) {
        self.end_cell();
    }

    /// Opens a cell at the next free column of the current row.
    pub fn start_cell(&mut self) {
        self.end_cell();
        let Some(t) = self.open.last_mut() else {
            return;
        };
        if t.rows.is_empty() {
            t.rows.push(Vec::new());
        }
        let col = t.rows.last().map(|r| r.len()).unwrap_or(0);
        t.cell = Some(CellBuild {
            col,
            paras: Vec::new(),
            col_span: 1,
            row_span: 1,
            fill: false,
            vmerge: VMerge::None,
        });
    }

    fn ensure_cell(&mut self) {
        if self.open.last().is_some_and(|t| t.cell.is_none()) {
            self.start_cell();
        }
    }

    fn cell_mut(&mut self) -> Option<&mut CellBuild> {
        self.open.last_mut().and_then(|t| t.cell.as_mut())
    }

    /// The open cell spans `n` grid columns; `fill` adds the `n - 1` empty cells after it
    /// (Word), where ODF lists covered cells itself.
    pub fn set_col_span(&mut self, n: usize, fill: bool) {
        if let Some(c) = self.cell_mut() {
            c.col_span = n.clamp(1, MAX_COLS);
            c.fill = fill;
        }
    }

    /// The open cell spans `n` rows (ODF `number-rows-spanned`).
    pub fn set_row_span(&mut self, n: usize) {
        if let Some(c) = self.cell_mut() {
            c.row_span = n.clamp(1, MAX_ROWS);
        }
    }

    pub fn set_vmerge(&mut self, v: VMerge) {
        if let Some(c) = self.cell_mut() {
            c.vmerge = v;
        }
    }

    pub fn end_cell(&mut self) {
        // Paragraphs left open in the cell (malformed input) are closed first.
        if self.open.last().is_some_and(|t| t.cell.is_some()) {
            let depth = self.open.last().map(|t| t.para_depth).unwrap_or(0);
            while self.paras.len() > depth {
                self.end_paragraph();
            }
        }
        let Some(t) = self.open.last_mut() else {
            return;
        };
        let Some(c) = t.cell.take() else { return };
        let row = t.rows.len().saturating_sub(1);
        let col = c.col;
        match c.vmerge {
            VMerge::Continue => {
                if let Some(&(_, idx)) = t.vopen.iter().find(|(vc, _)| *vc == col)
                    && let Some(r) = t.merged.get_mut(idx)
                {
                    r.last_row = row as u32;
                }
            }
            _ => t
                .vopen
                .retain(|(vc, _)| *vc < col || *vc >= col + c.col_span),
        }
        if c.col_span > 1 || c.row_span > 1 || c.vmerge == VMerge::Restart {
            t.merged.push(CellRange {
                first_row: row as u32,
                first_col: col as u32,
                last_row: (row + c.row_span - 1) as u32,
                last_col: (col + c.col_span - 1) as u32,
            });
            if c.vmerge == VMerge::Restart {
                t.vopen.push((col, t.merged.len() - 1));
            }
        }
        let Some(cells) = t.rows.last_mut() else {
            return;
        };
        let extra = if c.fill { c.col_span - 1 } else { 0 };
        if cells.len() + 1 + extra > MAX_COLS || self.cells + 1 + extra > MAX_CELLS {
            self.truncated = true;
            return;
        }
        // Word needs an (often empty) paragraph after a nested table: drop blank edges.
        let first = c
            .paras
            .iter()
            .position(|p| !p.trim().is_empty())
            .unwrap_or(c.paras.len());
        let last = c
            .paras
            .iter()
            .rposition(|p| !p.trim().is_empty())
            .map_or(first, |i| i + 1);
        cells.push(Cell::text(
            c.paras.get(first..last).unwrap_or_default().join("\n"),
        ));
        cells.extend(std::iter::repeat_n(Cell::default(), extra));
        self.cells += 1 + extra;
    }

    /// Adds `n` empty cells to the current row (Word `gridBefore`, ODF covered cells).
    pub fn empty_cells(&mut self, n: usize) {
        self.end_cell();
        let Some(t) = self.open.last_mut() else {
            return;
        };
        if t.rows.is_empty() {
            t.rows.push(Vec::new());
        }
        let Some(cells) = t.rows.last_mut() else {
            return;
        };
        let room = MAX_COLS
            .saturating_sub(cells.len())
            .min(MAX_CELLS.saturating_sub(self.cells));
        if n > room {
            self.truncated = true;
        }
        let n = n.min(room);
        cells.extend(std::iter::repeat_n(Cell::default(), n));
        self.cells += n;
    }

    /// Repeats the last cell of the current row `n` more times (ODF `number-columns-repeated`).
    pub fn repeat_last_cell(&mut self, n: usize) {
        self.end_cell();
        let Some(cells) = self.open.last_mut().and_then(|t| t.rows.last_mut()) else {
            return;
        };
        let Some(last) = cells.last().cloned() else {
            return;
        };
        let room = MAX_COLS
            .saturating_sub(cells.len())
            .min(MAX_CELLS.saturating_sub(self.cells));
        let mut n = n.min(room);
        if !last.is_empty() {
            let per = last.text.len().max(1);
            n = n.min(self.budget.saturating_sub(self.used) / per);
            self.used += n * last.text.len();
        }
        cells.extend(std::iter::repeat_n(last, n));
        self.cells += n;
    }

    /// Repeats the last row `n` more times (ODF `number-rows-repeated`).
    pub fn repeat_last_row(&mut self, n: usize) {
        self.end_cell();
        let Some(t) = self.open.last_mut() else {
            return;
        };
        let Some(last) = t.rows.last().cloned() else {
            return;
        };
        let per_cells = last.len().max(1);
        let per_text: usize = last.iter().map(|c| c.text.len()).sum();
        let mut n = n.min(MAX_ROWS.saturating_sub(t.rows.len()));
        n = n.min(MAX_CELLS.saturating_sub(self.cells) / per_cells);
        if let Some(room) = self.budget.saturating_sub(self.used).checked_div(per_text) {
            n = n.min(room);
            self.used += n * per_text;
        }
        // Repeated empty rows (a table padded to a page) say nothing: keep one.
        if last.iter().all(|c| c.is_empty()) {
            return;
        }
        t.rows.extend(std::iter::repeat_n(last, n));
        self.cells += n * per_cells;
    }

    /// An image at the current position (`name`: its media path, or the unresolved reference).
    pub fn image(&mut self, name: String) {
        let pending = if self.header_footer.is_some() {
            Pending::HeaderFooter
        } else if let Some(t) = self.open.first()
            && let Some(table) = t.top
        {
            let row = t.rows.len().saturating_sub(1);
            let col = match &t.cell {
                Some(c) => c.col,
                None => t.rows.last().map(|r| r.len()).unwrap_or(0),
            };
            Pending::Cell { table, row, col }
        } else if let Some(i) = self.paras.first().and_then(|p| p.index) {
            Pending::Para(i)
        } else {
            Pending::Para(self.para_texts.len().saturating_sub(1))
        };
        if self.images.len() < MAX_CELLS {
            self.images.push((name, pending));
        }
    }

    /// Closes whatever is left open and resolves the image anchors.
    pub fn finish(mut self) -> FlowOut {
        while !self.open.is_empty() {
            self.end_table();
        }
        while !self.paras.is_empty() {
            self.end_paragraph();
        }
        let part = self.header_footer.clone().unwrap_or_default();
        let images = std::mem::take(&mut self.images)
            .into_iter()
            .map(|(name, p)| {
                let anchor = match p {
                    Pending::HeaderFooter => Anchor::HeaderFooter { part: part.clone() },
                    Pending::Para(index) => Anchor::Paragraph {
                        index,
                        context: self.context_at(index),
                    },
                    Pending::Cell { table, row, col } => Anchor::TableCell {
                        table,
                        row,
                        col,
                        header: self.header_of(table, col),
                    },
                };
                (name, anchor)
            })
            .collect();
        FlowOut {
            lines: self.lines,
            tables: self.tables,
            images,
            truncated: self.truncated,
        }
    }

    fn context_at(&self, index: usize) -> String {
        let end = index.min(self.para_texts.len().saturating_sub(1));
        let found = self
            .para_texts
            .get(..=end)
            .and_then(|ps| ps.iter().rev().map(|t| t.trim()).find(|t| !t.is_empty()));
        let text = found.unwrap_or("").replace(['\n', '\t'], " ");
        let n = text.chars().count();
        if n > MAX_CONTEXT_CHARS {
            text.chars().skip(n - MAX_CONTEXT_CHARS).collect()
        } else {
            text
        }
    }

    fn header_of(&self, table: usize, col: usize) -> String {
        let Some(t) = self.tables.get(table) else {
            return String::new();
        };
        let first = t
            .merged
            .iter()
            .find(|r| {
                r.first_row == 0 && (r.first_col as usize) <= col && col <= r.last_col as usize
            })
            .map(|r| r.first_col as usize)
            .unwrap_or(col);
        t.rows
            .first()
            .and_then(|r| r.get(first))
            .map(|c| c.text.trim().replace(['\n', '\t'], " "))
            .unwrap_or_default()
    }
}

/// A table row as one line: cell texts (line breaks and tabs inside cells made spaces) joined
/// by `sep`; an all-empty row gives an empty line.
fn row_line(row: &[Cell], sep: &str) -> String {
    if row.iter().all(|c| c.is_empty()) {
        return String::new();
    }
    let parts: Vec<String> = row
        .iter()
        .map(|c| c.text.trim().replace(['\n', '\t'], " "))
        .collect();
    if sep == "\t" {
        parts.join(sep)
    } else {
        parts
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(sep)
    }
}

/// Zips and limits for the tests of the zip + XML extractors.
#[cfg(test)]
pub(crate) mod test_util {
    use crate::extract::{Input, Limits};
    use std::io::{Cursor, Write};
    use std::time::Instant;

    /// A deflated zip of the given (name, bytes) members.
    pub fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = ::zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = ::zip::write::SimpleFileOptions::default()
            .compression_method(::zip::CompressionMethod::Deflated);
        for (name, data) in members {
            w.start_file(*name, opts).expect("start member");
            w.write_all(data).expect("write member");
        }
        w.finish().expect("finish zip").into_inner()
    }

    pub fn input<'a>(bytes: &'a [u8], limits: &'a Limits) -> Input<'a> {
        Input {
            bytes,
            name: "test",
            limits,
            depth: 0,
            started: Instant::now(),
        }
    }

    /// A 1×1 PNG header of the given size (enough for `image_dimensions`).
    pub fn png(w: u32, h: u32) -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        b.extend_from_slice(&w.to_be_bytes());
        b.extend_from_slice(&h.to_be_bytes());
        b.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
        b
    }
}

#[cfg(test)]
mod tests {
    use super::test_util::{input, png, zip_of};
    use super::*;
    use crate::error::ErrorCode;
    use crate::extract::Limits;

    #[test]
    fn image_headers() {
        assert_eq!(image_dimensions(&png(240, 80)), Some((240, 80, "png")));
        // JPEG: SOI, an APP0 segment, then SOF0 with height 60, width 160.
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
        jpeg.extend_from_slice(&[0; 14]);
        jpeg.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x3C, 0x00, 0xA0, 0x03]);
        assert_eq!(image_dimensions(&jpeg), Some((160, 60, "jpeg")));
        let gif = b"GIF89a\x20\x03\x58\x02\0\0\0";
        assert_eq!(image_dimensions(gif), Some((800, 600, "gif")));
        let mut bmp = b"BM".to_vec();
        bmp.extend_from_slice(&[0; 12]);
        bmp.extend_from_slice(&40u32.to_le_bytes());
        bmp.extend_from_slice(&300i32.to_le_bytes());
        bmp.extend_from_slice(&(-100i32).to_le_bytes());
        assert_eq!(image_dimensions(&bmp), Some((300, 100, "bmp")));
        // Little-endian TIFF with ImageWidth (SHORT) and ImageLength (LONG).
        let mut tiff = b"II*\0\x08\0\0\0\x02\0".to_vec();
        tiff.extend_from_slice(&[0x00, 0x01, 3, 0, 1, 0, 0, 0, 0x2C, 0x01, 0, 0]);
        tiff.extend_from_slice(&[0x01, 0x01, 4, 0, 1, 0, 0, 0, 0xC8, 0, 0, 0]);
        assert_eq!(image_dimensions(&tiff), Some((300, 200, "tiff")));
        let mut emf = vec![1, 0, 0, 0];
        emf.resize(40, 0);
        emf.extend_from_slice(b" EMF");
        assert_eq!(image_encoding(&emf), Some("emf"));
        assert_eq!(image_dimensions(&emf), None);
        assert_eq!(image_encoding(b"<?xml version='1.0'?><svg/>"), Some("svg"));
        // Truncated or garbage headers never panic.
        for n in 0..30 {
            let _ = image_dimensions(&jpeg[..n.min(jpeg.len())]);
            let _ = image_dimensions(&tiff[..n.min(tiff.len())]);
        }
        assert_eq!(image_dimensions(b"\xFF\xD8\xFF\xE0\xFF\xFF"), None);
    }

    #[test]
    fn image_ref_reads_far_enough_for_late_jpeg_headers() {
        let mut jpeg = vec![0xFF, 0xD8];
        for marker in [0xE1, 0xE2] {
            jpeg.extend_from_slice(&[0xFF, marker, 0xFD, 0xE8]);
            jpeg.resize(jpeg.len() + 0xFDE8 - 2, b' ');
        }
        jpeg.extend_from_slice(&[0xFF, 0xC2, 0x00, 0x11, 0x08, 0x00, 0x7B, 0x01, 0x41, 0x03]);
        assert!(jpeg.len() as u64 > IMAGE_HEADER_FIRST_BYTES);
        let zip = zip_of(&[("word/media/big.jpeg", &jpeg)]);
        let mut pkg = Package::open(&zip).unwrap();
        let (mut cache, mut warnings) = (ImageCache::new(), Vec::new());
        let anchor = Anchor::HeaderFooter { part: "x".into() };
        let r = image_ref(
            &mut pkg,
            "word/media/big.jpeg".into(),
            anchor,
            &mut cache,
            &mut warnings,
        );
        let r = r.unwrap();
        assert_eq!(
            (r.encoding.as_deref(), r.width_px, r.height_px),
            (Some("jpeg"), Some(321), Some(123))
        );
        let missing = image_ref(
            &mut pkg,
            "word/media/none.png".into(),
            r.anchor.clone().unwrap(),
            &mut cache,
            &mut warnings,
        );
        assert_eq!(missing.unwrap().encoding, None);
    }

    #[test]
    fn targets_resolve_like_opc() {
        assert_eq!(
            resolve_target("word/document.xml", "media/image1.png"),
            "word/media/image1.png"
        );
        assert_eq!(
            resolve_target("word/header1.xml", "/word/media/a.jpeg"),
            "word/media/a.jpeg"
        );
        assert_eq!(
            resolve_target("word/document.xml", "../media/x%20y.png"),
            "media/x y.png"
        );
        assert_eq!(resolve_target("", "word/document.xml"), "word/document.xml");
        assert_eq!(
            rels_part("word/document.xml"),
            "word/_rels/document.xml.rels"
        );
        assert_eq!(percent_decode("100%"), "100%");
    }

    #[test]
    fn package_bounds_and_damage() {
        let limits = Limits {
            max_part_bytes: 1000,
            ..Limits::default()
        };
        let big = vec![b' '; 5000];
        let zip = zip_of(&[("a.xml", b"<a/>"), ("Big.xml", &big)]);
        let mut pkg = Package::open(&zip).unwrap();
        assert_eq!(
            pkg.read("a.xml", 1000).unwrap().as_deref(),
            Some(&b"<a/>"[..])
        );
        assert_eq!(pkg.read("missing.xml", 1000).unwrap(), None);
        // Case-insensitive lookup, and the bound.
        let err = pkg.read("big.xml", limits.max_part_bytes).unwrap_err();
        assert_eq!(err.code, ErrorCode::TooLarge);
        assert_eq!(
            pkg.read_prefix("big.xml", 10).unwrap().map(|b| b.len()),
            Some(10)
        );
        let truncated = &zip[..zip.len() / 2];
        assert_eq!(
            Package::open(truncated).err().map(|e| e.code),
            Some(ErrorCode::Corrupt)
        );
        assert_eq!(
            Package::open(b"not a zip").err().map(|e| e.code),
            Some(ErrorCode::Corrupt)
        );
    }

    #[test]
    fn events_reject_malformed_xml() {
        let limits = Limits::default();
        let inp = input(b"", &limits);
        let run = |xml: &str| -> Result<usize> {
            let mut ev = Events::new(xml, "x.xml");
            let mut n = 0;
            while ev.next(&inp)?.is_some() {
                n += 1;
            }
            Ok(n)
        };
        assert!(run("<a><b>t</b></a>").is_ok());
        // (Broken attributes are tolerated: attribute readers skip them.)
        for bad in [
            "<a><b></a>",
            "<a><b>",
            "",
            "<a>&#xZZ;</a>x</b>",
            "<a>&#233</a>",
        ] {
            let e = run(bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::Corrupt, "{bad}");
        }
        assert_eq!(
            event_text(&Event::GeneralRef(quick_xml::events::BytesRef::new("#233"))).as_deref(),
            Some("é")
        );
        assert_eq!(
            event_text(&Event::GeneralRef(quick_xml::events::BytesRef::new("amp"))).as_deref(),
            Some("&")
        );
    }

    #[test]
    fn rels_parse() {
        let limits = Limits::default();
        let inp = input(b"", &limits);
        let xml = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/><Relationship Id="rId2" Type="http://x/hyperlink" Target="https://example.org/?a=1&amp;b=2" TargetMode="External"/></Relationships>"#;
        let rels = parse_rels(xml, "r", &inp).unwrap();
        assert_eq!(rels.len(), 2);
        assert_eq!(rels[0].kind, "image");
        assert!(rels[1].external);
        assert_eq!(rels[1].target, "https://example.org/?a=1&b=2");
    }

    fn cells(t: &Table) -> Vec<Vec<&str>> {
        t.rows
            .iter()
            .map(|r| r.iter().map(|c| c.text.as_str()).collect())
            .collect()
    }

    #[test]
    fn flow_grid_spans_and_vertical_merges() {
        let mut f = Flow::new(None, 1 << 20);
        let para = |f: &mut Flow, s: &str| {
            f.start_paragraph();
            f.text(s);
            f.end_paragraph();
        };
        para(&mut f, "Avant");
        f.start_table();
        f.start_row();
        for h in ["Nom", "Date", "Signature"] {
            f.start_cell();
            para(&mut f, h);
            f.end_cell();
        }
        f.end_row();
        f.start_row();
        f.start_cell();
        f.set_vmerge(VMerge::Restart);
        para(&mut f, "Durand");
        f.end_cell();
        f.start_cell();
        f.set_col_span(2, true);
        para(&mut f, "absent");
        f.image("word/media/image1.png".into());
        f.end_cell();
        f.end_row();
        f.start_row();
        f.start_cell();
        f.set_vmerge(VMerge::Continue);
        f.start_paragraph();
        f.end_paragraph();
        f.end_cell();
        f.start_cell();
        para(&mut f, "12/03");
        f.end_cell();
        f.start_cell();
        f.image("word/media/image2.png".into());
        f.end_cell();
        f.end_row();
        f.end_table();
        f.start_paragraph();
        f.image("word/media/image3.png".into());
        f.end_paragraph();
        let out = f.finish();
        assert_eq!(out.tables.len(), 1);
        let t = &out.tables[0];
        assert_eq!(
            cells(t),
            vec![
                vec!["Nom", "Date", "Signature"],
                vec!["Durand", "absent", ""],
                vec!["", "12/03", ""]
            ]
        );
        assert!(t.merged.contains(&CellRange {
            first_row: 1,
            first_col: 0,
            last_row: 2,
            last_col: 0
        }));
        assert!(t.merged.contains(&CellRange {
            first_row: 1,
            first_col: 1,
            last_row: 1,
            last_col: 2
        }));
        assert_eq!(
            out.lines,
            vec![
                "Avant",
                "Nom\tDate\tSignature",
                "Durand\tabsent\t",
                "\t12/03\t",
                ""
            ]
        );
        let anchors: Vec<&Anchor> = out.images.iter().map(|(_, a)| a).collect();
        assert_eq!(
            anchors,
            vec![
                &Anchor::TableCell {
                    table: 0,
                    row: 1,
                    col: 1,
                    header: "Date".into()
                },
                &Anchor::TableCell {
                    table: 0,
                    row: 2,
                    col: 2,
                    header: "Signature".into()
                },
                &Anchor::Paragraph {
                    index: 1,
                    context: "Avant".into()
                },
            ]
        );
    }

    #[test]
    fn flow_repeats_are_bounded() {
        let mut f = Flow::new(None, 10_000);
        f.start_table();
        f.start_row();
        f.start_cell();
        f.start_paragraph();
        f.text("x");
        f.end_paragraph();
        f.end_cell();
        f.repeat_last_cell(usize::MAX / 2);
        f.end_row();
        f.repeat_last_row(usize::MAX / 2);
        f.end_table();
        let out = f.finish();
        let t = &out.tables[0];
        assert_eq!(t.rows[0].len(), MAX_COLS);
        let total: usize = t.rows.iter().map(|r| r.len()).sum();
        assert!(total <= 10_000, "{total} cells for a 10 kB text budget");
    }
}
