//! Word (.docx) extractor: zip + quick-xml streaming over `word/document.xml`.
//!
//! Owns the mapping from WordprocessingML to the extracted model: body paragraphs and tables in
//! order (one [`Page`]), headers and footers (their lines first / last), text boxes and content
//! controls, images resolved through the relationships to their media part and anchored to a
//! paragraph or a table cell (how handwritten signatures are found later), legacy form fields
//! and content-control fields, and `docProps` metadata. Tracked deletions, field instructions
//! and `mc:Fallback` duplicates are skipped. It must not use docx-rs's reader (it hangs and
//! panics on damaged files, see research/stack.md §4), decode images, or read a part without
//! the per-part size bound. Encrypted .docx files are recognised earlier, by `detect`.

use super::xml::{
    Events, Flow, FlowOut, ImageCache, Package, Rel, VMerge, attr, attr_ns, declared_prefix,
    element_name, event_text, image_ref, optional, parse_rels, rels_part, resolve_target,
    simple_elements, split_qname, text_budget, trim_blank_lines,
};
use super::{Extractor, Input};
use crate::error::{Error, Result};
use crate::model::{Extracted, FormField, Metadata, Page};
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;

pub struct DocxExtractor;

/// Segments a freeform shape needs to be reported as a drawing (a box, an arrow or a callout
/// has a handful).
const FREEFORM_MIN_SEGMENTS: u32 = 8;

/// Segments of a VML path (`m 0,0 l 10,5 c …`) or point list: its coordinate pairs, less the
/// starting one, over the pairs a curve command takes when there are curves.
fn vml_segments(d: &str) -> u32 {
    let numbers = d
        .replace('-', " -")
        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .filter(|t| t.chars().any(|c| c.is_ascii_digit()))
        .count() as u32;
    let pairs = (numbers / 2).saturating_sub(1);
    if d.contains('c') { pairs / 3 } else { pairs }
}

impl Extractor for DocxExtractor {
    fn name(&self) -> &'static str {
        "docx-xml"
    }
    fn version(&self) -> u32 {
        2
    }
    fn formats(&self) -> &'static [crate::model::Format] {
        &[crate::model::Format::Docx]
    }
    fn extract(&self, input: &Input) -> Result<Extracted> {
        extract_docx(input)
    }
}

fn extract_docx(input: &Input) -> Result<Extracted> {
    let mut pkg = Package::open(input.bytes)?;
    let max = input.limits.max_part_bytes;
    let budget = text_budget(input);
    let mut out = Extracted::default();

    let main = main_part(&mut pkg, input);
    let xml = pkg
        .read_string(&main, max)?
        .ok_or_else(|| Error::corrupt(format!("not a usable Word document: {main} is missing")))?;
    let rels = optional(read_rels(&mut pkg, &main, input), &mut out.warnings)?.unwrap_or_default();
    input.check_time()?;
    let body = parse_part(&xml, &main, &rels, None, budget, input, &mut out.warnings)?;
    drop(xml);

    // Headers and footers, in part-name order (header1, header2, ... header10).
    let mut hf: Vec<&Rel> = rels
        .iter()
        .filter(|r| !r.external && (r.kind == "header" || r.kind == "footer"))
        .collect();
    hf.sort_by_key(|r| natural_key(&r.target));
    let mut header_lines: Vec<Vec<String>> = Vec::new();
    let mut footer_lines: Vec<Vec<String>> = Vec::new();
    let mut header_images = Vec::new();
    let mut footer_images = Vec::new();
    for rel in hf {
        input.check_time()?;
        let part = resolve_target(&main, &rel.target);
        let parsed = optional(
            read_header_footer(&mut pkg, &part, budget, input, &mut out.warnings),
            &mut out.warnings,
        )?;
        let Some(Some(p)) = parsed else { continue };
        let (lines, images) = if rel.kind == "header" {
            (&mut header_lines, &mut header_images)
        } else {
            (&mut footer_lines, &mut footer_images)
        };
        let text: Vec<String> = trim_blank_lines(p.flow.lines);
        if !text.is_empty() && !lines.contains(&text) {
            lines.push(text);
        }
        images.extend(p.flow.images);
        out.fields.extend(p.fields);
    }

    let mut lines: Vec<String> = header_lines.into_iter().flatten().collect();
    lines.extend(body.flow.lines);
    lines.extend(footer_lines.into_iter().flatten());

    let mut cache = ImageCache::new();
    let mut images = Vec::new();
    let all = header_images
        .into_iter()
        .chain(body.flow.images)
        .chain(footer_images);
    for (name, anchor) in all {
        input.check_time()?;
        images.push(image_ref(
            &mut pkg,
            name,
            anchor,
            &mut cache,
            &mut out.warnings,
        )?);
    }
    out.fields.splice(0..0, body.fields);
    if body.flow.truncated {
        out.warnings
            .push("very large document: some table cells or text were left out".into());
    }

    out.pages.push(Page {
        number: 1,
        label: None,
        text: lines.join("\n"),
        tables: body.flow.tables,
        images,
        ..Page::default()
    });
    out.metadata = optional(metadata(&mut pkg, input), &mut out.warnings)?.unwrap_or_default();
    Ok(out)
}

/// The main document part named by `_rels/.rels` (`word/document.xml` almost always).
fn main_part(pkg: &mut Package, input: &Input) -> String {
    let default = "word/document.xml".to_string();
    let Ok(Some(xml)) = pkg.read_string("_rels/.rels", 1 << 20) else {
        return default;
    };
    let Ok(rels) = parse_rels(&xml, "_rels/.rels", input) else {
        return default;
    };
    rels.iter()
        .find(|r| r.kind == "officeDocument" && !r.external)
        .map(|r| resolve_target("", &r.target))
        .filter(|p| pkg.has(p))
        .unwrap_or(default)
}

fn read_rels(pkg: &mut Package, part: &str, input: &Input) -> Result<Vec<Rel>> {
    let name = rels_part(part);
    match pkg.read_string(&name, input.limits.max_part_bytes)? {
        Some(xml) => parse_rels(&xml, &name, input),
        None => Ok(Vec::new()),
    }
}

fn read_header_footer(
    pkg: &mut Package,
    part: &str,
    budget: usize,
    input: &Input,
    warnings: &mut Vec<String>,
) -> Result<Option<PartOut>> {
    let Some(xml) = pkg.read_string(part, input.limits.max_part_bytes)? else {
        warnings.push(format!("{part} is referenced but missing"));
        return Ok(None);
    };
    let rels = optional(read_rels(pkg, part, input), warnings)?.unwrap_or_default();
    parse_part(
        &xml,
        part,
        &rels,
        Some(part.to_string()),
        budget,
        input,
        warnings,
    )
    .map(Some)
}

/// `header10.xml` after `header9.xml`: (text before the last number, that number).
fn natural_key(s: &str) -> (String, u64) {
    let Some(end) = s.rfind(|c: char| c.is_ascii_digit()).map(|i| i + 1) else {
        return (s.to_string(), 0);
    };
    // After the last non-digit *character* (it may be several bytes long: "en-tête1.xml").
    let start = s[..end]
        .char_indices()
        .rfind(|(_, c)| !c.is_ascii_digit())
        .map_or(0, |(i, c)| i + c.len_utf8());
    (s[..start].to_string(), s[start..end].parse().unwrap_or(0))
}

// ---------------------------------------------------------------------------------------------
// WordprocessingML walking

struct PartOut {
    flow: FlowOut,
    fields: Vec<FormField>,
}

/// Namespace prefixes in use (read from the root element; the usual ones otherwise).
struct Prefixes {
    w: String,
    r: String,
    a: String,
    v: String,
    mc: String,
    m: String,
    w14: String,
}

impl Prefixes {
    fn from_root(e: &BytesStart) -> Prefixes {
        let p = |uris: &[&str], default: &str| {
            declared_prefix(e, uris).unwrap_or_else(|| default.to_string())
        };
        Prefixes {
            w: p(
                &[
                    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                    "http://purl.oclc.org/ooxml/wordprocessingml/main",
                ],
                "w",
            ),
            r: p(
                &[
                    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                    "http://purl.oclc.org/ooxml/officeDocument/relationships",
                ],
                "r",
            ),
            a: p(
                &[
                    "http://schemas.openxmlformats.org/drawingml/2006/main",
                    "http://purl.oclc.org/ooxml/drawingml/main",
                ],
                "a",
            ),
            v: p(&["urn:schemas-microsoft-com:vml"], "v"),
            mc: p(
                &["http://schemas.openxmlformats.org/markup-compatibility/2006"],
                "mc",
            ),
            m: p(
                &[
                    "http://schemas.openxmlformats.org/officeDocument/2006/math",
                    "http://purl.oclc.org/ooxml/officeDocument/math",
                ],
                "m",
            ),
            w14: p(
                &["http://schemas.microsoft.com/office/word/2010/wordml"],
                "w14",
            ),
        }
    }
}

/// A legacy form field's `w:ffData`.
#[derive(Default)]
struct FfData {
    name: String,
    kind: &'static str,
    checked: Option<bool>,
    default: Option<String>,
    result: Option<usize>,
    entries: Vec<String>,
}

/// An open complex field (`w:fldChar begin` ... `end`).
#[derive(Default)]
struct FieldFrame {
    ff: Option<FfData>,
    in_result: bool,
    result: String,
}

/// An open content control (`w:sdt`).
#[derive(Default)]
struct SdtFrame {
    in_pr: bool,
    name: String,
    kind: Option<&'static str>,
    checked: Option<bool>,
    placeholder: bool,
    date: Option<String>,
    text: String,
}

/// Longest form-field value captured.
const MAX_FIELD_CHARS: usize = 4096;

struct Walker<'r> {
    part: String,
    rels: HashMap<&'r str, &'r Rel>,
    ns: Option<Prefixes>,
    flow: Flow,
    in_t: bool,
    fields: Vec<FieldFrame>,
    ff: Option<FfData>,
    sdts: Vec<SdtFrame>,
    out_fields: Vec<FormField>,
    unresolved: usize,
    /// Segments of the DrawingML freeform (`a:custGeom`) being read: a shape drawn by hand
    /// (a signature drawn with Word's draw tools) is reported as an image placement.
    freeform: Option<u32>,
}

fn parse_part(
    xml: &str,
    part: &str,
    rels: &[Rel],
    header_footer: Option<String>,
    budget: usize,
    input: &Input,
    warnings: &mut Vec<String>,
) -> Result<PartOut> {
    let mut w = Walker {
        part: part.to_string(),
        rels: rels.iter().map(|r| (r.id.as_str(), r)).collect(),
        ns: None,
        flow: Flow::new(header_footer, budget),
        in_t: false,
        fields: Vec::new(),
        ff: None,
        sdts: Vec::new(),
        out_fields: Vec::new(),
        unresolved: 0,
        freeform: None,
    };
    let mut ev = Events::new(xml, part);
    while let Some(e) = ev.next(input)? {
        match &e {
            Event::Start(s) => {
                if w.start(s, false) {
                    ev.skip_element(input)?;
                }
            }
            Event::Empty(s) => {
                w.start(s, true);
            }
            Event::End(s) => {
                let (p, l) = split_qname(s.name().0);
                w.end(p, l);
            }
            other => {
                if w.in_t
                    && let Some(t) = event_text(other)
                {
                    w.emit(&t);
                }
            }
        }
    }
    if w.unresolved > 0 {
        warnings.push(format!(
            "{part}: {} image reference(s) not found",
            w.unresolved
        ));
    }
    Ok(PartOut {
        flow: w.flow.finish(),
        fields: w.out_fields,
    })
}

fn is_on(v: Option<String>) -> bool {
    !matches!(v.as_deref(), Some("0" | "false" | "off"))
}

fn count(e: &BytesStart, prefix: &str) -> usize {
    attr_ns(e, prefix, "val")
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(1)
}

impl Walker<'_> {
    /// Handles an opening (or empty) element; returns true when its content must be skipped.
    fn start(&mut self, e: &BytesStart, empty: bool) -> bool {
        if self.ns.is_none() {
            self.ns = Some(Prefixes::from_root(e));
        }
        let Some(ns) = &self.ns else { return false };
        let (prefix, local) = element_name(e);
        if prefix == ns.w {
            match local {
                // No text of the final document in there (or deleted / instruction text).
                "pPr"
                | "rPr"
                | "del"
                | "moveFrom"
                | "delText"
                | "instrText"
                | "sectPr"
                | "tblPr"
                | "tblGrid"
                | "tblPrEx"
                | "object"
                | "customXmlDelRangeStart" => {
                    return !empty;
                }
                "p" => {
                    self.flow.start_paragraph();
                    if empty {
                        self.flow.end_paragraph();
                    }
                }
                "t" => self.in_t = !empty,
                "tab" | "ptab" => self.emit("\t"),
                "br" | "cr" => self.emit("\n"),
                "noBreakHyphen" => self.emit("-"),
                "sym" => {
                    if let Some(c) = attr_ns(e, &ns.w, "char").and_then(|c| symbol(&c)) {
                        self.emit(c.encode_utf8(&mut [0; 4]));
                    }
                }
                "tbl" => {
                    self.flow.start_table();
                    if empty {
                        self.flow.end_table();
                    }
                }
                "tr" => {
                    self.flow.start_row();
                    if empty {
                        self.flow.end_row();
                    }
                }
                "tc" => {
                    self.flow.start_cell();
                    if empty {
                        self.flow.end_cell();
                    }
                }
                "gridSpan" => self.flow.set_col_span(count(e, &ns.w), true),
                "gridBefore" => self.flow.empty_cells(count(e, &ns.w).min(64)),
                "vMerge" => {
                    let restart = attr_ns(e, &ns.w, "val").is_some_and(|v| v == "restart");
                    self.flow.set_vmerge(if restart {
                        VMerge::Restart
                    } else {
                        VMerge::Continue
                    });
                }
                "fldChar" => match attr_ns(e, &ns.w, "fldCharType").as_deref() {
                    Some("begin") => self.fields.push(FieldFrame::default()),
                    Some("separate") => {
                        if let Some(f) = self.fields.last_mut() {
                            f.in_result = true;
                        }
                    }
                    Some("end") => self.end_field(),
                    _ => {}
                },
                "ffData" if !empty => self.ff = Some(FfData::default()),
                "name" | "checkBox" | "checked" | "default" | "textInput" | "ddList" | "result"
                | "listEntry"
                    if self.ff.is_some() =>
                {
                    let val = attr_ns(e, &ns.w, "val");
                    if let Some(ff) = self.ff.as_mut() {
                        match local {
                            "name" => ff.name = val.unwrap_or_default(),
                            "checkBox" => ff.kind = "button",
                            "textInput" => ff.kind = "text",
                            "ddList" => ff.kind = "choice",
                            "checked" => ff.checked = Some(is_on(val)),
                            "default" => ff.default = val,
                            "result" => ff.result = val.and_then(|v| v.parse().ok()),
                            _ => ff.entries.extend(val.into_iter().take(1000)),
                        }
                    }
                }
                "sdt" if !empty => self.sdts.push(SdtFrame::default()),
                "sdtPr" if !empty => {
                    if let Some(s) = self.sdts.last_mut() {
                        s.in_pr = true;
                    }
                }
                "alias" | "tag" | "text" | "date" | "dropDownList" | "comboBox"
                | "showingPlcHdr" => {
                    let val = attr_ns(e, &ns.w, "val");
                    let full = attr_ns(e, &ns.w, "fullDate");
                    if let Some(s) = self.sdts.last_mut().filter(|s| s.in_pr) {
                        match local {
                            "alias" => s.name = val.unwrap_or_default(),
                            "tag" if s.name.is_empty() => s.name = val.unwrap_or_default(),
                            "text" => s.kind = Some("text"),
                            "date" => {
                                s.kind = Some("text");
                                s.date = full;
                            }
                            "dropDownList" | "comboBox" => s.kind = Some("choice"),
                            "showingPlcHdr" => s.placeholder = is_on(val),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        } else if prefix == ns.a && local == "custGeom" {
            self.freeform = Some(0);
        } else if prefix == ns.a && matches!(local, "lnTo" | "cubicBezTo" | "quadBezTo" | "arcTo") {
            if let Some(n) = self.freeform.as_mut() {
                *n += 1;
            }
        } else if local == "contentPart" && (prefix == ns.w || prefix == ns.w14) {
            // Ink (pen or touch drawing, `w:contentPart` → an InkML part): a handwritten mark.
            if let Some(id) = attr_ns(e, &ns.r, "id") {
                self.image(&id);
            }
        } else if prefix == ns.v && matches!(local, "shape" | "polyline" | "curve") {
            // VML freeform (older Word, pen drawings): its `path` or `points`.
            let n = attr(e, "path")
                .or_else(|| attr(e, "points"))
                .map(|d| vml_segments(&d))
                .unwrap_or(0);
            if n >= FREEFORM_MIN_SEGMENTS {
                self.flow.image(format!("freeform drawing, {n} segments"));
            }
        } else if prefix == ns.a && local == "blip" {
            match attr_ns(e, &ns.r, "embed").or_else(|| attr_ns(e, &ns.r, "link")) {
                Some(id) => self.image(&id),
                None => self.unresolved += 1,
            }
        } else if prefix == ns.v && local == "imagedata" {
            if let Some(id) = attr_ns(e, &ns.r, "id").or_else(|| attr(e, "relid")) {
                self.image(&id);
            }
        } else if prefix == ns.mc && local == "Fallback" {
            // The same content as the mc:Choice next to it, for older readers.
            return !empty;
        } else if prefix == ns.m && local == "t" {
            self.in_t = !empty;
        } else if prefix == ns.w14 && (local == "checkbox" || local == "checked") {
            let val = attr_ns(e, &ns.w14, "val");
            if let Some(s) = self.sdts.last_mut().filter(|s| s.in_pr) {
                s.kind = Some("button");
                if local == "checked" {
                    s.checked = Some(is_on(val));
                }
            }
        }
        false
    }

    fn end(&mut self, prefix: &str, local: &str) {
        let Some(ns) = &self.ns else { return };
        if prefix == ns.a && local == "custGeom" {
            if let Some(n) = self.freeform.take().filter(|n| *n >= FREEFORM_MIN_SEGMENTS) {
                self.flow.image(format!("freeform drawing, {n} segments"));
            }
            return;
        }
        if prefix == ns.w {
            match local {
                "p" => self.flow.end_paragraph(),
                "t" => self.in_t = false,
                "tbl" => self.flow.end_table(),
                "tr" => self.flow.end_row(),
                "tc" => self.flow.end_cell(),
                "ffData" => {
                    let ff = self.ff.take();
                    if let Some(f) = self.fields.last_mut() {
                        f.ff = ff;
                    }
                }
                "sdtPr" => {
                    if let Some(s) = self.sdts.last_mut() {
                        s.in_pr = false;
                    }
                }
                "sdt" => self.end_sdt(),
                _ => {}
            }
        } else if prefix == ns.m && local == "t" {
            self.in_t = false;
        }
    }

    /// Text of the final document at the current position.
    fn emit(&mut self, s: &str) {
        self.flow.text(s);
        if let Some(f) = self.fields.last_mut()
            && f.in_result
            && f.ff.is_some()
            && f.result.len() < MAX_FIELD_CHARS
        {
            f.result.push_str(s);
        }
        for sdt in &mut self.sdts {
            if !sdt.in_pr && sdt.text.len() < MAX_FIELD_CHARS {
                sdt.text.push_str(s);
            }
        }
    }

    fn image(&mut self, id: &str) {
        let name = match self.rels.get(id) {
            Some(r) if r.external => r.target.clone(),
            Some(r) => resolve_target(&self.part, &r.target),
            None => {
                self.unresolved += 1;
                format!("{}#{id}", self.part)
            }
        };
        self.flow.image(name);
    }

    fn end_field(&mut self) {
        let Some(f) = self.fields.pop() else { return };
        let Some(ff) = f.ff else { return };
        let (kind, value) = match ff.kind {
            "button" => {
                let on = ff.checked.unwrap_or_else(|| is_on(ff.default.clone()));
                // Word draws the box itself: show it in the text too.
                self.emit(if on { "☒" } else { "☐" });
                ("button", Some(if on { "Yes" } else { "Off" }.to_string()))
            }
            "choice" => {
                let i = ff
                    .result
                    .or_else(|| ff.default.and_then(|d| d.parse().ok()))
                    .unwrap_or(0);
                ("choice", ff.entries.get(i).cloned())
            }
            _ => {
                let v = f.result.trim().trim_matches('\u{2002}').trim();
                ("text", (!v.is_empty()).then(|| v.to_string()))
            }
        };
        self.out_fields.push(FormField {
            name: ff.name,
            kind: kind.to_string(),
            value,
            ..FormField::default()
        });
    }

    fn end_sdt(&mut self) {
        let Some(s) = self.sdts.pop() else { return };
        let Some(kind) = s.kind else { return };
        let value = if kind == "button" {
            let on = s.checked.unwrap_or(false);
            Some(if on { "Yes" } else { "Off" }.to_string())
        } else if s.placeholder {
            None
        } else {
            let t = s.text.trim();
            s.date
                .filter(|_| !t.is_empty())
                .or_else(|| (!t.is_empty()).then(|| t.to_string()))
        };
        self.out_fields.push(FormField {
            name: s.name,
            kind: kind.to_string(),
            value,
            ..FormField::default()
        });
    }
}

/// The character of a `w:sym` (`w:char="F0FE"`): Wingdings boxes become ☐ / ☒ / ☑, symbols in
/// the private-use area of symbol fonts are dropped.
fn symbol(hex: &str) -> Option<char> {
    let code = u32::from_str_radix(hex.trim(), 16).ok()?;
    if !(0xF000..=0xF0FF).contains(&code) {
        return char::from_u32(code).filter(|c| !c.is_control());
    }
    match code - 0xF000 {
        0xA8 | 0x6F | 0x71 | 0x72 => Some('☐'),
        0xFE | 0x78 | 0xFD | 0xFB => Some('☒'),
        0xFC => Some('✓'),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Metadata

fn metadata(pkg: &mut Package, input: &Input) -> Result<Metadata> {
    let mut m = Metadata::default();
    let max = input.limits.max_part_bytes.min(16 << 20);
    if let Some(xml) = pkg.read_string("docProps/core.xml", max)? {
        let (elements, _) = simple_elements(&xml, "docProps/core.xml", input, &[])?;
        for (_, local, text) in elements {
            match local.as_str() {
                "title" => m.title = Some(text),
                "creator" => m.author = Some(text),
                "subject" => m.subject = Some(text),
                "created" => m.created = Some(text),
                "modified" => m.modified = Some(text),
                "lastModifiedBy" => _ = m.other.insert("last_modified_by".into(), text),
                "keywords" => _ = m.other.insert("keywords".into(), text),
                "description" => _ = m.other.insert("description".into(), text),
                "revision" => _ = m.other.insert("revision".into(), text),
                "lastPrinted" => _ = m.other.insert("last_printed".into(), text),
                _ => {}
            }
        }
    }
    if let Some(xml) = pkg.read_string("docProps/app.xml", max)? {
        let (elements, _) = simple_elements(&xml, "docProps/app.xml", input, &[])?;
        for (_, local, text) in elements {
            match local.as_str() {
                "Application" => {
                    m.producer = Some(text.clone());
                    m.creator = Some(text);
                }
                "AppVersion" => _ = m.other.insert("app_version".into(), text),
                "Pages" => _ = m.other.insert("pages_declared".into(), text),
                "Company" => _ = m.other.insert("company".into(), text),
                "Template" => _ = m.other.insert("template".into(), text),
                _ => {}
            }
        }
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docx_part_name_multibyte_before_number_no_panic() {
        assert_eq!(
            natural_key("word/en-tête12.xml"),
            ("word/en-tête".to_string(), 12)
        );
        assert_eq!(natural_key("word/têteé12"), ("word/têteé".to_string(), 12));
        assert_eq!(natural_key("é1"), ("é".to_string(), 1));
        assert_eq!(natural_key("header10.xml").1, 10);
        assert_eq!(natural_key("header10"), ("header".to_string(), 10));
    }
    use crate::error::ErrorCode;
    use crate::extract::Limits;
    use crate::extract::xml::test_util::{input, png, zip_of};
    use crate::model::{Anchor, CellRange};

    const NS: &str = concat!(
        r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#,
        r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" "#,
        r#"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" "#,
        r#"xmlns:v="urn:schemas-microsoft-com:vml" "#,
        r#"xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" "#,
        r#"xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" "#,
        r#"xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#
    );

    const RELS: &str = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="/word/media/image2.png"/><Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>"#;

    fn document(body: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>{body}<w:sectPr><w:headerReference w:type="default" r:id="rId8"/></w:sectPr></w:body></w:document>"#
        )
    }

    fn p(text: &str) -> String {
        format!(
            r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#
        )
    }

    fn blip(id: &str) -> String {
        format!(
            r#"<w:r><w:drawing><a:graphic><a:graphicData><a:blip r:embed="{id}"/></a:graphicData></a:graphic></w:drawing></w:r>"#
        )
    }

    fn docx_with(body: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
        let doc = document(body);
        let img1 = png(240, 80);
        let img2 = png(10, 20);
        let mut members: Vec<(&str, &[u8])> = vec![
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", doc.as_bytes()),
            ("word/_rels/document.xml.rels", RELS.as_bytes()),
            ("word/media/image1.png", &img1),
            ("word/media/image2.png", &img2),
        ];
        members.extend_from_slice(extra);
        zip_of(&members)
    }

    #[test]
    fn drawings_freeform_shapes_and_ink_are_placements() {
        let beziers: String = (0..12)
            .map(|i| {
                format!(
                    r#"<a:cubicBezTo><a:pt x="{}" y="0"/><a:pt x="{}" y="50"/><a:pt x="{}" y="20"/></a:cubicBezTo>"#,
                    i * 30,
                    i * 30 + 10,
                    i * 30 + 20
                )
            })
            .collect();
        let body = format!(
            r#"{}<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><a:graphic><a:graphicData><wps:wsp><wps:spPr><a:custGeom><a:pathLst><a:path><a:moveTo><a:pt x="0" y="0"/></a:moveTo>{beziers}</a:path></a:pathLst></a:custGeom></wps:spPr></wps:wsp></a:graphicData></a:graphic></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape path="m0,0 l10,10 e"/></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>{}<w:p><w:r><w:pict><v:shape path="m 0,0 l 10,5, 20,0, 30,7, 40,1, 50,9, 60,2, 70,8, 80,0, 90,6 e"/></w:pict></w:r></w:p>{}<w:p><w:r><w:pict><v:rect style="width:100pt"/><v:shape path="m0,0 l100,0 100,50 0,50 x e"/></w:pict></w:r></w:p>"#,
            p("Signature du stagiaire"),
            p("Signature du formateur"),
            p("Cachet")
        );
        let x = run(&docx_with(&body, &[])).expect("reads");
        let names: Vec<&str> = x.pages[0].images.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "freeform drawing, 12 segments",
                "freeform drawing, 9 segments"
            ],
            "{:?}",
            x.pages[0].images
        );
    }

    fn run(bytes: &[u8]) -> Result<Extracted> {
        let limits = Limits::default();
        DocxExtractor.extract(&input(bytes, &limits))
    }

    fn text(body: &str) -> String {
        let x = run(&docx_with(body, &[])).unwrap();
        x.pages[0].text.clone()
    }

    fn grid(x: &Extracted, t: usize) -> Vec<Vec<String>> {
        x.pages[0].tables[t]
            .rows
            .iter()
            .map(|r| r.iter().map(|c| c.text.clone()).collect())
            .collect()
    }

    #[test]
    fn header_parts_in_natural_order() {
        let mut names = vec![
            "footer1.xml",
            "header10.xml",
            "header2.xml",
            "header1.xml",
            "h.xml",
        ];
        names.sort_by_key(|n| natural_key(n));
        assert_eq!(
            names,
            [
                "footer1.xml",
                "h.xml",
                "header1.xml",
                "header2.xml",
                "header10.xml"
            ]
        );
    }

    #[test]
    fn runs_tabs_breaks_symbols_entities() {
        let body = concat!(
            r#"<w:p><w:r><w:t>Nom :</w:t><w:tab/><w:t>Dupré</w:t><w:br/><w:t>Date&#160;: 12/03</w:t>"#,
            r#"<w:noBreakHyphen/><w:t>2025 &amp; co</w:t><w:sym w:font="Wingdings" w:char="F0FE"/>"#,
            r#"<w:softHyphen/></w:r></w:p><w:p/>"#
        );
        assert_eq!(text(body), "Nom :\tDupré\nDate\u{a0}: 12/03-2025 & co☒\n");
    }

    #[test]
    fn deleted_text_and_field_instructions_are_skipped() {
        let body = concat!(
            r#"<w:p><w:r><w:t xml:space="preserve">Le </w:t></w:r>"#,
            r#"<w:del w:id="1" w:author="X"><w:r><w:delText>10</w:delText></w:r></w:del>"#,
            r#"<w:ins w:id="2" w:author="X"><w:r><w:t>12</w:t></w:r></w:ins>"#,
            r#"<w:moveFrom w:id="3"><w:r><w:t>ancien</w:t></w:r></w:moveFrom>"#,
            r#"<w:r><w:t xml:space="preserve"> mars, page </w:t></w:r>"#,
            r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE \* MERGEFORMAT </w:instrText></w:r>"#,
            r#"<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#,
            r#"<w:fldSimple w:instr=" DATE "><w:r><w:t xml:space="preserve"> (12/03/2025)</w:t></w:r></w:fldSimple></w:p>"#
        );
        assert_eq!(text(body), "Le 12 mars, page 3 (12/03/2025)");
    }

    #[test]
    fn text_boxes_once_after_their_paragraph() {
        let tb = r#"<w:txbxContent><w:p><w:r><w:t>Tarif : 1 200 €</w:t></w:r></w:p><w:p><w:r><w:t>OPCO</w:t></w:r></w:p></w:txbxContent>"#;
        let body = format!(
            r#"<w:p><w:r><w:t>Voir l'encadré</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><a:graphic><a:graphicData><wps:wsp><wps:txbx>{tb}</wps:txbx></wps:wsp></a:graphicData></a:graphic></w:drawing></mc:Choice><mc:Fallback><w:pict><v:rect><v:textbox>{tb}</v:textbox></v:rect></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>{}<w:p><w:r><w:pict><v:shape><v:textbox><w:txbxContent>{}</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>"#,
            p("Suite"),
            p("VML seul"),
        );
        assert_eq!(
            text(&body),
            "Voir l'encadré\nTarif : 1 200 €\nOPCO\nSuite\n\nVML seul"
        );
    }

    #[test]
    fn table_grid_span_vmerge_grid_before() {
        let tc = |attrs: &str, t: &str| {
            format!(
                r#"<w:tc><w:tcPr><w:tcW w:w="100" w:type="dxa"/>{attrs}</w:tcPr>{}</w:tc>"#,
                p(t)
            )
        };
        let body = format!(
            "{}<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/></w:tblGrid><w:tr>{}{}{}{}</w:tr><w:tr>{}{}{}</w:tr><w:tr>{}{}{}{}</w:tr><w:tr><w:trPr><w:gridBefore w:val=\"2\"/></w:trPr>{}{}</w:tr></w:tbl>{}",
            p("Feuille d'émargement"),
            tc("", "Nom"),
            tc("", "Matin"),
            tc("", "Après-midi"),
            tc("", "Signature"),
            tc(r#"<w:vMerge w:val="restart"/>"#, "Durand"),
            tc(r#"<w:gridSpan w:val="2"/>"#, "Présent toute la journée"),
            tc("", ""),
            tc("<w:vMerge/>", ""),
            tc("", "x"),
            tc("", "x"),
            tc("", "y"),
            tc("", "Total"),
            tc("", "2"),
            p("Fin"),
        );
        let x = run(&docx_with(&body, &[])).unwrap();
        assert_eq!(
            grid(&x, 0),
            vec![
                vec!["Nom", "Matin", "Après-midi", "Signature"],
                vec!["Durand", "Présent toute la journée", "", ""],
                vec!["", "x", "x", "y"],
                vec!["", "", "Total", "2"],
            ]
        );
        let merged = &x.pages[0].tables[0].merged;
        assert!(merged.contains(&CellRange {
            first_row: 1,
            first_col: 0,
            last_row: 2,
            last_col: 0
        }));
        assert!(merged.contains(&CellRange {
            first_row: 1,
            first_col: 1,
            last_row: 1,
            last_col: 2
        }));
        assert_eq!(
            x.pages[0].text,
            "Feuille d'émargement\nNom\tMatin\tAprès-midi\tSignature\nDurand\tPrésent toute la journée\t\t\n\tx\tx\ty\n\t\tTotal\t2\nFin"
        );
    }

    #[test]
    fn images_anchor_to_cells_paragraphs_and_headers() {
        let header = format!(
            r#"<w:hdr {NS}><w:p><w:r><w:t>En-tête Lumière</w:t></w:r></w:p><w:p>{}</w:p></w:hdr>"#,
            blip("rIdH")
        );
        let header_rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdH" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image2.png"/></Relationships>"#;
        let footer =
            format!(r#"<w:ftr {NS}><w:p><w:r><w:t>Pied de page</w:t></w:r></w:p></w:ftr>"#);
        let inner = format!(
            "<w:tbl><w:tr><w:tc><w:p>{}</w:p></w:tc></w:tr></w:tbl><w:p/>",
            r#"<w:r><w:pict><v:shape><v:imagedata r:id="rId2" o:title=""/></v:shape></w:pict></w:r>"#
        );
        let body = format!(
            "{}<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr><w:tr><w:tc>{}</w:tc><w:tc><w:p>{}</w:p></w:tc></w:tr><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>{}{}<w:p>{}</w:p>{}<w:p>{}</w:p>",
            p("Intro"),
            p("Nom"),
            p("Signature"),
            p("Durand"),
            blip("rId1"),
            p("Müller"),
            inner,
            p("Signature du formateur :"),
            p(" "),
            blip("rId1"),
            p("Fait à Lyon, le 12 mars 2025"),
            blip("rId404"),
        );
        let bytes = docx_with(
            &body,
            &[
                ("word/header1.xml", header.as_bytes()),
                ("word/_rels/header1.xml.rels", header_rels.as_bytes()),
                ("word/footer1.xml", footer.as_bytes()),
            ],
        );
        let x = run(&bytes).unwrap();
        let page = &x.pages[0];
        assert!(
            page.text
                .starts_with("En-tête Lumière\nIntro\nNom\tSignature\n"),
            "{}",
            page.text
        );
        assert!(
            page.text
                .ends_with("Fait à Lyon, le 12 mars 2025\n\nPied de page"),
            "{}",
            page.text
        );
        let got: Vec<(&str, Option<&str>, Option<u32>, &Anchor)> = page
            .images
            .iter()
            .map(|i| {
                (
                    i.name.as_str(),
                    i.encoding.as_deref(),
                    i.width_px,
                    i.anchor.as_ref().unwrap(),
                )
            })
            .collect();
        let cell = |row, col: usize, header: &str| Anchor::TableCell {
            table: 0,
            row,
            col,
            header: header.into(),
        };
        assert_eq!(
            got,
            vec![
                (
                    "word/media/image2.png",
                    Some("png"),
                    Some(10),
                    &Anchor::HeaderFooter {
                        part: "word/header1.xml".into()
                    }
                ),
                (
                    "word/media/image1.png",
                    Some("png"),
                    Some(240),
                    &cell(1, 1, "Signature")
                ),
                (
                    "word/media/image2.png",
                    Some("png"),
                    Some(10),
                    &cell(2, 1, "Signature")
                ),
                (
                    "word/media/image1.png",
                    Some("png"),
                    Some(240),
                    &Anchor::Paragraph {
                        index: 3,
                        context: "Signature du formateur :".into()
                    }
                ),
                (
                    "word/document.xml#rId404",
                    None,
                    None,
                    &Anchor::Paragraph {
                        index: 5,
                        context: "Fait à Lyon, le 12 mars 2025".into()
                    }
                ),
            ]
        );
        assert!(
            x.warnings.iter().any(|w| w.contains("not found")),
            "{:?}",
            x.warnings
        );
    }

    #[test]
    fn nested_table_text_flattened_into_parent_cell() {
        let body = format!(
            "<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr><w:tr><w:tc>{}</w:tc><w:tc>{}<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl><w:p/></w:tc></w:tr></w:tbl>",
            p("A"),
            p("B"),
            p("C"),
            p("avant"),
            p("Lu et approuvé"),
            p("Cachet"),
        );
        let x = run(&docx_with(&body, &[])).unwrap();
        assert_eq!(x.pages[0].tables.len(), 1);
        assert_eq!(
            grid(&x, 0),
            vec![vec!["A", "B"], vec!["C", "avant\nLu et approuvé Cachet"]]
        );
        assert_eq!(x.pages[0].text, "A\tB\nC\tavant Lu et approuvé Cachet");
    }

    #[test]
    fn form_fields_legacy_and_content_controls() {
        let body = concat!(
            r#"<w:p><w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Present"/><w:enabled/><w:checkBox><w:sizeAuto/><w:default w:val="0"/><w:checked/></w:checkBox></w:ffData></w:fldChar></w:r>"#,
            r#"<w:r><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> Présent</w:t></w:r></w:p>"#,
            r#"<w:p><w:r><w:t xml:space="preserve">Nom : </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Nom"/><w:textInput/></w:ffData></w:fldChar></w:r>"#,
            r#"<w:r><w:instrText> FORMTEXT </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>Durand</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#,
            r#"<w:sdt><w:sdtPr><w:alias w:val="Accord"/><w14:checkbox><w14:checked w14:val="0"/></w14:checkbox></w:sdtPr><w:sdtContent><w:p><w:r><w:t>☐</w:t></w:r></w:p></w:sdtContent></w:sdt>"#,
            r#"<w:p><w:sdt><w:sdtPr><w:tag w:val="date_session"/><w:date w:fullDate="2025-03-12T00:00:00Z"/></w:sdtPr><w:sdtContent><w:r><w:t>12/03/2025</w:t></w:r></w:sdtContent></w:sdt></w:p>"#
        );
        let x = run(&docx_with(body, &[])).unwrap();
        assert_eq!(x.pages[0].text, "☒ Présent\nNom : Durand\n☐\n12/03/2025");
        let f: Vec<(&str, &str, Option<&str>)> = x
            .fields
            .iter()
            .map(|f| (f.name.as_str(), f.kind.as_str(), f.value.as_deref()))
            .collect();
        assert_eq!(
            f,
            vec![
                ("Present", "button", Some("Yes")),
                ("Nom", "text", Some("Durand")),
                ("Accord", "button", Some("Off")),
                ("date_session", "text", Some("2025-03-12T00:00:00Z")),
            ]
        );
    }

    #[test]
    fn metadata_from_doc_props() {
        let core = r#"<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>Convention</dc:title><dc:creator>Marie Dupré</dc:creator><cp:lastModifiedBy>Jean</cp:lastModifiedBy><dcterms:created xsi:type="dcterms:W3CDTF">2025-03-10T09:30:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2025-03-12T17:45:00Z</dcterms:modified></cp:coreProperties>"#;
        let app = r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Office Word</Application><Pages>2</Pages></Properties>"#;
        let x = run(&docx_with(
            &p("x"),
            &[
                ("docProps/core.xml", core.as_bytes()),
                ("docProps/app.xml", app.as_bytes()),
            ],
        ))
        .unwrap();
        let m = &x.metadata;
        assert_eq!(m.title.as_deref(), Some("Convention"));
        assert_eq!(m.author.as_deref(), Some("Marie Dupré"));
        assert_eq!(m.created.as_deref(), Some("2025-03-10T09:30:00Z"));
        assert_eq!(m.modified.as_deref(), Some("2025-03-12T17:45:00Z"));
        assert_eq!(m.producer.as_deref(), Some("Microsoft Office Word"));
        assert_eq!(
            m.other.get("last_modified_by").map(String::as_str),
            Some("Jean")
        );
        assert_eq!(m.other.get("pages_declared").map(String::as_str), Some("2"));
    }

    #[test]
    fn damaged_files_are_errors_not_panics() {
        // Missing main part.
        let no_doc = zip_of(&[("[Content_Types].xml", b"<Types/>")]);
        assert_eq!(run(&no_doc).unwrap_err().code, ErrorCode::Corrupt);
        // Malformed XML (mismatched / unclosed), garbage bytes.
        for body in ["<w:p><w:r><w:t>x</w:r></w:p>", "<w:p><w:r><w:t>x"] {
            let doc = format!(r#"<w:document {NS}><w:body>{body}"#);
            let doc = if body.ends_with('x') {
                doc
            } else {
                doc + "</w:body></w:document>"
            };
            let bytes = zip_of(&[("word/document.xml", doc.as_bytes())]);
            assert_eq!(run(&bytes).unwrap_err().code, ErrorCode::Corrupt, "{body}");
        }
        let bytes = zip_of(&[("word/document.xml", &[0xFF, 0x00, 0x13, 0x37])]);
        assert_eq!(run(&bytes).unwrap_err().code, ErrorCode::Corrupt);
        // Truncated zip.
        let good = docx_with(&p("Bonjour"), &[]);
        assert_eq!(
            run(&good[..good.len() - 30]).unwrap_err().code,
            ErrorCode::Corrupt
        );
        // A part expanding beyond the limit (a zip bomb in miniature).
        let padding = " ".repeat(200_000);
        let big = document(&format!("{}{padding}", p("x")));
        let bomb = zip_of(&[("word/document.xml", big.as_bytes())]);
        assert!(bomb.len() < 5_000);
        let limits = Limits {
            max_part_bytes: 64 * 1024,
            ..Limits::default()
        };
        let err = DocxExtractor.extract(&input(&bomb, &limits)).unwrap_err();
        assert_eq!(err.code, ErrorCode::TooLarge);
        // Every single-byte corruption of a small document: an error or a result, no panic.
        for i in (0..good.len()).step_by(3) {
            let mut bad = good.clone();
            bad[i] ^= 0x5A;
            let _ = run(&bad);
        }
    }
}
