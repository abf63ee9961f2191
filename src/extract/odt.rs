//! OpenDocument text (.odt) extractor: zip + quick-xml streaming over `content.xml`.
//!
//! Owns the mapping from ODF text documents to the extracted model: the body's paragraphs,
//! headings, lists and tables in order (one [`Page`]; spanned, covered and repeated cells kept
//! aligned, repeats bounded), frames with images (`Pictures/...`) anchored to a paragraph or a
//! table cell, text boxes, headers and footers from the master pages of `styles.xml` (their lines
//! first / last), and `meta.xml` metadata. Tracked deletions, comments and index templates are
//! skipped. Password-protected files (encrypted entries in `META-INF/manifest.xml`) are
//! `encrypted`. It must not decode images or read a part without the per-part size bound.

use super::xml::{
    Events, Flow, ImageCache, Package, attr_ns, declared_prefix, element_name, event_text,
    image_ref, optional, simple_elements, text_budget, trim_blank_lines,
};
use super::{Extractor, Input};
use crate::error::{Error, Result};
use crate::model::{Anchor, Extracted, Metadata, Page};
use quick_xml::events::{BytesStart, Event};

pub struct OdtExtractor;

/// Segments a freeform shape needs to be reported as a drawing (a box or an arrow has a
/// handful).
const FREEFORM_MIN_SEGMENTS: usize = 8;

/// Segments of an SVG path (`svg:d`) or a point list (`draw:points`): the drawing commands, or
/// the coordinate pairs when commands repeat implicitly.
fn path_segments(d: &str) -> usize {
    let commands = d
        .chars()
        .filter(|c| c.is_ascii_alphabetic() && !matches!(c, 'M' | 'm' | 'Z' | 'z' | 'e' | 'E'))
        .count();
    let numbers = d
        .replace('-', " -")
        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .filter(|t| t.chars().any(|c| c.is_ascii_digit()))
        .count();
    commands.max((numbers / 2).saturating_sub(1) / 3)
}

impl Extractor for OdtExtractor {
    fn name(&self) -> &'static str {
        "odt-xml"
    }
    fn version(&self) -> u32 {
        2
    }
    fn formats(&self) -> &'static [crate::model::Format] {
        &[crate::model::Format::Odt]
    }
    fn extract(&self, input: &Input) -> Result<Extracted> {
        extract_odt(input)
    }
}

/// Part names used in header / footer image anchors.
const HEADER_PART: &str = "styles.xml#header";
const FOOTER_PART: &str = "styles.xml#footer";

fn extract_odt(input: &Input) -> Result<Extracted> {
    let mut pkg = Package::open(input.bytes)?;
    let max = input.limits.max_part_bytes;
    let budget = text_budget(input);
    let mut out = Extracted::default();

    if let Some(manifest) = pkg.read_string("META-INF/manifest.xml", max.min(16 << 20))?
        && manifest.contains("encryption-data")
    {
        return Err(Error::encrypted("password-protected OpenDocument file"));
    }

    let xml = pkg
        .read_string("content.xml", max)?
        .ok_or_else(|| Error::corrupt("not a usable OpenDocument file: content.xml is missing"))?;
    let body = walk(&xml, "content.xml", Mode::Content, budget, input)?;
    drop(xml);

    let hf = match pkg.read_string("styles.xml", max)? {
        Some(xml) => optional(
            walk(&xml, "styles.xml", Mode::Styles, budget, input),
            &mut out.warnings,
        )?,
        None => None,
    };
    let hf = hf.unwrap_or_default();

    let mut lines: Vec<String> = hf.headers.iter().flatten().cloned().collect();
    let mut images_in = hf.header_images;
    let mut body_flow = body.body.unwrap_or_default();
    lines.append(&mut body_flow.lines);
    lines.extend(hf.footers.iter().flatten().cloned());
    images_in.append(&mut body_flow.images);
    images_in.extend(hf.footer_images);
    if body_flow.truncated {
        out.warnings
            .push("very large document: some table cells or text were left out".into());
    }

    let mut cache = ImageCache::new();
    let mut images = Vec::with_capacity(images_in.len());
    for (name, anchor) in images_in {
        input.check_time()?;
        images.push(image_ref(
            &mut pkg,
            name,
            anchor,
            &mut cache,
            &mut out.warnings,
        )?);
    }

    out.pages.push(Page {
        number: 1,
        label: None,
        text: lines.join("\n"),
        tables: body_flow.tables,
        images,
        ..Page::default()
    });
    out.metadata = optional(metadata(&mut pkg, input), &mut out.warnings)?.unwrap_or_default();
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// ODF walking

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// `content.xml`: the body.
    Content,
    /// `styles.xml`: only the headers and footers of the master pages.
    Styles,
}

/// What an open element means, to act on its end.
#[derive(Clone, Copy)]
enum Open {
    Paragraph,
    /// An element whose direct character data is text of the document (`text:span`...).
    Inline,
    /// Any other element (its direct character data is layout whitespace).
    Other,
    Table,
    Row {
        repeat: usize,
    },
    Cell {
        repeat: usize,
    },
    Frame,
    HeaderFooter {
        header: bool,
    },
}

#[derive(Default)]
struct Walked {
    body: Option<super::xml::FlowOut>,
    headers: Vec<Vec<String>>,
    footers: Vec<Vec<String>>,
    header_images: Vec<(String, Anchor)>,
    footer_images: Vec<(String, Anchor)>,
}

struct Prefixes {
    text: String,
    table: String,
    draw: String,
    xlink: String,
    office: String,
    style: String,
    svg: String,
}

impl Prefixes {
    fn from_root(e: &BytesStart) -> Prefixes {
        let p = |uri: &str, default: &str| {
            declared_prefix(e, &[uri]).unwrap_or_else(|| default.to_string())
        };
        Prefixes {
            text: p("urn:oasis:names:tc:opendocument:xmlns:text:1.0", "text"),
            table: p("urn:oasis:names:tc:opendocument:xmlns:table:1.0", "table"),
            draw: p("urn:oasis:names:tc:opendocument:xmlns:drawing:1.0", "draw"),
            xlink: p("http://www.w3.org/1999/xlink", "xlink"),
            office: p("urn:oasis:names:tc:opendocument:xmlns:office:1.0", "office"),
            style: p("urn:oasis:names:tc:opendocument:xmlns:style:1.0", "style"),
            svg: p(
                "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
                "svg",
            ),
        }
    }
}

/// Most spaces one `text:s` stands for.
const MAX_SPACES: usize = 128;
/// Most repeats of one cell / row taken from `number-*-repeated`.
const MAX_REPEAT: usize = 1024;

struct Walker {
    mode: Mode,
    budget: usize,
    ns: Option<Prefixes>,
    flow: Option<Flow>,
    stack: Vec<Open>,
    /// Per open frame: whether it already gave its image (LO writes an SVG and its PNG twin).
    frames: Vec<bool>,
    /// The last character put in the paragraph was white space (ODF collapses runs of it).
    ws: bool,
    /// `ws` of the enclosing paragraphs.
    ws_saved: Vec<bool>,
    walked: Walked,
}

fn walk(xml: &str, part: &str, mode: Mode, budget: usize, input: &Input) -> Result<Walked> {
    let mut w = Walker {
        mode,
        budget,
        ns: None,
        flow: (mode == Mode::Content).then(|| Flow::new(None, budget)),
        stack: Vec::new(),
        frames: Vec::new(),
        ws: true,
        ws_saved: Vec::new(),
        walked: Walked::default(),
    };
    let mut ev = Events::new(xml, part);
    while let Some(e) = ev.next(input)? {
        match &e {
            Event::Start(s) => match w.start(s) {
                Some(open) => w.stack.push(open),
                None => ev.skip_element(input)?,
            },
            Event::Empty(s) => {
                if let Some(open) = w.start(s) {
                    w.end(open);
                }
            }
            Event::End(_) => {
                if let Some(open) = w.stack.pop() {
                    w.end(open);
                }
            }
            other => {
                if matches!(w.stack.last(), Some(Open::Paragraph | Open::Inline))
                    && let Some(t) = event_text(other)
                {
                    w.collapsed_text(&t);
                }
            }
        }
    }
    if let Some(flow) = w.flow.take() {
        w.walked.body = Some(flow.finish());
    }
    Ok(w.walked)
}

fn number(e: &BytesStart, prefix: &str, local: &str) -> usize {
    attr_ns(e, prefix, local)
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .max(1)
}

impl Walker {
    fn flow(&mut self) -> Option<&mut Flow> {
        self.flow.as_mut()
    }

    /// Explicit text (`text:s`, `text:tab`...): not subject to white-space collapsing.
    fn put(&mut self, s: &str) {
        if let Some(f) = self.flow() {
            f.text(s);
        }
        self.ws = false;
    }

    /// Character data: runs of white space collapse to one space, none at a paragraph's start.
    fn collapsed_text(&mut self, t: &str) {
        let mut out = String::with_capacity(t.len());
        let mut ws = self.ws;
        for c in t.chars() {
            if matches!(c, ' ' | '\t' | '\n' | '\r') {
                if !ws {
                    out.push(' ');
                    ws = true;
                }
            } else {
                out.push(c);
                ws = false;
            }
        }
        self.ws = ws;
        if let Some(f) = self.flow() {
            f.text(&out);
        }
    }

    /// Handles an opening (or empty) element: `None` to skip its content, else what it opens.
    fn start(&mut self, e: &BytesStart) -> Option<Open> {
        if self.ns.is_none() {
            self.ns = Some(Prefixes::from_root(e));
        }
        let ns = self.ns.as_ref()?;
        let (prefix, local) = element_name(e);
        if prefix == ns.text {
            match local {
                "p" | "h" => {
                    self.ws_saved.push(self.ws);
                    self.ws = true;
                    self.flow()?.start_paragraph();
                    return Some(Open::Paragraph);
                }
                "s" => {
                    let n = number(e, &ns.text, "c").min(MAX_SPACES);
                    self.put(&" ".repeat(n));
                }
                "tab" => self.put("\t"),
                "line-break" => {
                    self.put("\n");
                    self.ws = true;
                }
                "tracked-changes"
                | "note-citation"
                | "sequence-decls"
                | "variable-decls"
                | "user-field-decls"
                | "dde-connection-decls" => return None,
                l if l.ends_with("-source") => return None,
                "list" | "list-item" | "list-header" | "section" | "table-of-content"
                | "index-body" | "index-title" | "note" | "note-body" | "alphabetical-index"
                | "illustration-index" | "table-index" | "object-index" | "user-index"
                | "bibliography" | "numbered-paragraph" => return Some(Open::Other),
                _ => return Some(Open::Inline),
            }
            return Some(Open::Other);
        }
        if prefix == ns.table {
            return match local {
                "table" => {
                    self.flow()?.start_table();
                    Some(Open::Table)
                }
                "table-row" => {
                    let repeat = number(e, &ns.table, "number-rows-repeated").min(MAX_REPEAT);
                    self.flow()?.start_row();
                    Some(Open::Row { repeat })
                }
                "table-cell" => {
                    let repeat = number(e, &ns.table, "number-columns-repeated").min(MAX_REPEAT);
                    let cols = number(e, &ns.table, "number-columns-spanned");
                    let rows = number(e, &ns.table, "number-rows-spanned");
                    let f = self.flow()?;
                    f.start_cell();
                    f.set_col_span(cols, false);
                    f.set_row_span(rows);
                    Some(Open::Cell { repeat })
                }
                "covered-table-cell" => {
                    let repeat = number(e, &ns.table, "number-columns-repeated").min(MAX_REPEAT);
                    self.flow()?.empty_cells(repeat);
                    None
                }
                "table-column"
                | "table-columns"
                | "table-header-columns"
                | "table-column-group"
                | "table-source"
                | "scenario" => None,
                _ => Some(Open::Other),
            };
        }
        if prefix == ns.draw {
            return match local {
                "frame" => {
                    self.frames.push(false);
                    Some(Open::Frame)
                }
                "image" => {
                    let first = match self.frames.last_mut() {
                        Some(taken) => !std::mem::replace(taken, true),
                        None => true,
                    };
                    if first && let Some(href) = attr_ns(e, &ns.xlink, "href") {
                        let name = href.trim().trim_start_matches("./").to_string();
                        if !name.is_empty()
                            && let Some(f) = self.flow()
                        {
                            f.image(name);
                        }
                    }
                    None
                }
                "object" | "object-ole" | "applet" | "plugin" => None,
                "path" | "polyline" => {
                    // A freeform line drawn in the document (a signature drawn with the draw
                    // tools): reported as an image placement when it has many segments.
                    let n = attr_ns(e, &ns.svg, "d")
                        .map(|d| path_segments(&d))
                        .or_else(|| attr_ns(e, &ns.draw, "points").map(|p| path_segments(&p)))
                        .unwrap_or(0);
                    if n >= FREEFORM_MIN_SEGMENTS
                        && let Some(f) = self.flow()
                    {
                        f.image(format!("freeform drawing, {n} segments"));
                    }
                    Some(Open::Other)
                }
                _ => Some(Open::Other),
            };
        }
        if prefix == ns.office {
            return match local {
                "annotation" | "forms" | "scripts" | "font-face-decls" | "automatic-styles"
                | "event-listeners" | "styles" | "settings" | "binary-data" => None,
                _ => Some(Open::Other),
            };
        }
        if prefix == ns.svg && (local == "title" || local == "desc") {
            return None;
        }
        if prefix == ns.style && self.mode == Mode::Styles {
            let header = match local {
                "header" | "header-left" | "header-first" => true,
                "footer" | "footer-left" | "footer-first" => false,
                _ => return Some(Open::Other),
            };
            if attr_ns(e, &ns.style, "display").is_some_and(|d| d == "false") || self.flow.is_some()
            {
                return None;
            }
            let part = if header { HEADER_PART } else { FOOTER_PART };
            self.flow = Some(Flow::new(Some(part.to_string()), self.budget));
            return Some(Open::HeaderFooter { header });
        }
        // Extension elements inside a paragraph (LibreOffice's `loext:content-control`,
        // `field:fieldmark`...) hold text of the paragraph.
        let known = [&ns.draw, &ns.office, &ns.style, &ns.svg, &ns.table]
            .iter()
            .any(|p| *p == prefix);
        if !known && self.flow.as_ref().is_some_and(|f| f.in_paragraph()) {
            return Some(Open::Inline);
        }
        Some(Open::Other)
    }

    fn end(&mut self, open: Open) {
        match open {
            Open::Paragraph => {
                if let Some(f) = self.flow() {
                    f.end_paragraph();
                }
                // Back in the enclosing paragraph (after a text box), its state resumes.
                self.ws = self.ws_saved.pop().unwrap_or(true);
            }
            Open::Table => {
                if let Some(f) = self.flow() {
                    f.end_table();
                }
            }
            Open::Row { repeat } => {
                if let Some(f) = self.flow() {
                    f.end_row();
                    if repeat > 1 {
                        f.repeat_last_row(repeat - 1);
                    }
                }
            }
            Open::Cell { repeat } => {
                if let Some(f) = self.flow() {
                    f.end_cell();
                    if repeat > 1 {
                        f.repeat_last_cell(repeat - 1);
                    }
                }
            }
            Open::Frame => {
                self.frames.pop();
            }
            Open::HeaderFooter { header } => {
                let Some(flow) = self.flow.take() else { return };
                let out = flow.finish();
                let lines = trim_blank_lines(out.lines);
                let w = &mut self.walked;
                let (blocks, images) = if header {
                    (&mut w.headers, &mut w.header_images)
                } else {
                    (&mut w.footers, &mut w.footer_images)
                };
                if !lines.is_empty() && !blocks.contains(&lines) {
                    blocks.push(lines);
                }
                images.extend(out.images);
            }
            Open::Inline | Open::Other => {}
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Metadata

fn metadata(pkg: &mut Package, input: &Input) -> Result<Metadata> {
    let mut m = Metadata::default();
    let max = input.limits.max_part_bytes.min(16 << 20);
    let Some(xml) = pkg.read_string("meta.xml", max)? else {
        return Ok(m);
    };
    let (elements, attrs) = simple_elements(&xml, "meta.xml", input, &["document-statistic"])?;
    let mut last_editor = None;
    for (_, local, text) in elements {
        match local.as_str() {
            "title" => m.title = Some(text),
            "subject" => m.subject = Some(text),
            "initial-creator" => m.author = Some(text),
            "creator" => last_editor = Some(text),
            "creation-date" => m.created = Some(text),
            "date" => m.modified = Some(text),
            "generator" => {
                m.producer = Some(text.clone());
                m.creator = Some(text);
            }
            "keyword" => {
                let k = m.other.entry("keywords".into()).or_default();
                if !k.is_empty() {
                    k.push_str("; ");
                }
                k.push_str(&text);
            }
            "description" => _ = m.other.insert("description".into(), text),
            "editing-cycles" => _ = m.other.insert("revision".into(), text),
            "print-date" => _ = m.other.insert("last_printed".into(), text),
            _ => {}
        }
    }
    if let Some(editor) = last_editor {
        if m.author.is_none() {
            m.author = Some(editor.clone());
        }
        m.other.insert("last_modified_by".into(), editor);
    }
    for (_, key, value) in attrs {
        if key == "page-count" {
            m.other.insert("pages_declared".into(), value);
        }
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use crate::extract::Limits;
    use crate::extract::xml::test_util::{input, png, zip_of};
    use crate::model::CellRange;

    const NS: &str = concat!(
        r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#,
        r#"xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" "#,
        r#"xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" "#,
        r#"xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" "#,
        r#"xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" "#,
        r#"xmlns:xlink="http://www.w3.org/1999/xlink" "#,
        r#"xmlns:dc="http://purl.org/dc/elements/1.1/" "#,
        r#"xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" "#,
        r#"xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0""#
    );

    fn content(body: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS} office:version="1.3"><office:automatic-styles><style:style style:name="P1"><style:text-properties fo:x="y"/></style:style></office:automatic-styles><office:body><office:text>{body}</office:text></office:body></office:document-content>"#
        )
    }

    fn odt_with(body: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
        let c = content(body);
        let img = png(240, 80);
        let mut members: Vec<(&str, &[u8])> = vec![
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", c.as_bytes()),
            ("Pictures/sig.png", &img),
        ];
        members.extend_from_slice(extra);
        zip_of(&members)
    }

    fn run(bytes: &[u8]) -> Result<Extracted> {
        let limits = Limits::default();
        OdtExtractor.extract(&input(bytes, &limits))
    }

    fn text(body: &str) -> String {
        run(&odt_with(body, &[])).unwrap().pages[0].text.clone()
    }

    #[test]
    fn spaces_tabs_breaks_and_white_space_collapsing() {
        let body = concat!(
            "<text:h text:outline-level=\"1\">Convention</text:h>\n  ",
            "<text:p>  Article 1 :<text:s text:c=\"3\"/>objet<text:tab/>de la   \n convention</text:p>",
            "<text:p>Fait à <text:span>Lyon</text:span>,<text:line-break/>le 12 mars 2025 &amp; après</text:p>",
            "<text:list><text:list-item>\n <text:p>Durée : 14 h</text:p>\n</text:list-item></text:list>",
            "<text:p><text:s text:c=\"99999999\"/>x</text:p><text:p/>",
            "<text:tracked-changes><text:changed-region><text:deletion><text:p>SUPPRIMÉ</text:p></text:deletion></text:changed-region></text:tracked-changes>",
            "<text:p>Note<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>Voir annexe</text:p></text:note-body></text:note> fin<office:annotation><dc:creator>X</dc:creator><text:p>commentaire</text:p></office:annotation></text:p>"
        );
        let t = text(body);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "Convention");
        assert_eq!(lines[1], "Article 1 :   objet\tde la convention");
        assert_eq!(lines[2], "Fait à Lyon,");
        assert_eq!(lines[3], "le 12 mars 2025 & après");
        assert_eq!(lines[4], "Durée : 14 h");
        assert_eq!(lines[5].len(), MAX_SPACES + 1);
        assert_eq!(lines[6], "");
        assert_eq!(lines[7..], ["Note fin", "Voir annexe"]);
        assert!(!t.contains("SUPPRIMÉ") && !t.contains("commentaire"));
    }

    #[test]
    fn extension_elements_in_paragraphs_keep_their_text() {
        let body = concat!(
            r#"<text:p xmlns:loext="urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0">"#,
            r#"<loext:content-control loext:checkbox="true" loext:checked="true">☒</loext:content-control> Présent</text:p>"#
        );
        assert_eq!(text(body), "☒ Présent");
    }

    #[test]
    fn table_spans_covered_and_repeated_cells() {
        let body = concat!(
            "<text:p>Avant</text:p><table:table table:name=\"T\"><table:table-column table:number-columns-repeated=\"3\"/>",
            "<table:table-header-rows><table:table-row><table:table-cell><text:p>Rôle</text:p></table:table-cell>",
            "<table:table-cell table:number-columns-spanned=\"2\"><text:p>Nom et signature</text:p></table:table-cell><table:covered-table-cell/></table:table-row></table:table-header-rows>",
            "<table:table-row><table:table-cell table:number-rows-spanned=\"2\"><text:p>Parties</text:p></table:table-cell>",
            "<table:table-cell><text:p>Organisme</text:p></table:table-cell><table:table-cell><text:p><draw:frame draw:name=\"S\"><draw:image xlink:href=\"Pictures/sig.png\"><office:binary-data>AAAA</office:binary-data></draw:image><draw:image xlink:href=\"Pictures/sig.svg\"/></draw:frame></text:p></table:table-cell></table:table-row>",
            "<table:table-row><table:covered-table-cell/><table:table-cell table:number-columns-repeated=\"2\"><text:p>x</text:p></table:table-cell></table:table-row>",
            "<table:table-row table:number-rows-repeated=\"100000\"><table:table-cell table:number-columns-repeated=\"100000000\"/></table:table-row>",
            "</table:table><text:p>Après</text:p>"
        );
        let x = run(&odt_with(body, &[])).unwrap();
        let page = &x.pages[0];
        let t = &page.tables[0];
        let grid: Vec<Vec<&str>> = t.rows[..3]
            .iter()
            .map(|r| r.iter().map(|c| c.text.as_str()).collect())
            .collect();
        assert_eq!(
            grid,
            vec![
                vec!["Rôle", "Nom et signature", ""],
                vec!["Parties", "Organisme", ""],
                vec!["", "x", "x"]
            ]
        );
        // The padding row is kept once, bounded.
        assert_eq!(t.rows.len(), 4);
        assert!(t.rows[3].len() <= 1024);
        assert!(t.merged.contains(&CellRange {
            first_row: 0,
            first_col: 1,
            last_row: 0,
            last_col: 2
        }));
        assert!(t.merged.contains(&CellRange {
            first_row: 1,
            first_col: 0,
            last_row: 2,
            last_col: 0
        }));
        assert!(
            page.text
                .starts_with("Avant\nRôle\tNom et signature\t\nParties\tOrganisme\t\n\tx\tx\n")
        );
        assert!(page.text.ends_with("\nAprès"));
        assert_eq!(
            page.images.len(),
            1,
            "one image per frame (SVG twin ignored)"
        );
        let img = &page.images[0];
        assert_eq!(img.name, "Pictures/sig.png");
        assert_eq!(
            (img.width_px, img.height_px, img.encoding.as_deref()),
            (Some(240), Some(80), Some("png"))
        );
        assert_eq!(
            img.anchor,
            Some(Anchor::TableCell {
                table: 0,
                row: 1,
                col: 2,
                header: "Nom et signature".into()
            })
        );
    }

    #[test]
    fn frames_text_boxes_headers_footers_and_meta() {
        let body = concat!(
            "<text:p>Signature du formateur :</text:p>",
            "<text:p><draw:frame text:anchor-type=\"as-char\"><draw:image xlink:href=\"./Pictures/sig.png\"/><svg:title>Signature</svg:title></draw:frame></text:p>",
            "<text:p>Voir<draw:frame><draw:text-box><text:p>Tarif : 1 200 €</text:p></draw:text-box></draw:frame> ci-contre</text:p>"
        );
        let styles = format!(
            r#"<office:document-styles {NS}><office:styles><style:style style:name="Header"/></office:styles><office:master-styles><style:master-page style:name="Standard"><style:header><text:p>Lumière Formation</text:p><text:p><draw:frame><draw:image xlink:href="Pictures/sig.png"/></draw:frame></text:p></style:header><style:header-left style:display="false"><text:p>caché</text:p></style:header-left><style:footer><text:p>Page <text:page-number>1</text:page-number></text:p></style:footer></style:master-page><style:master-page style:name="First"><style:header><text:p>Lumière Formation</text:p></style:header></style:master-page></office:master-styles></office:document-styles>"#
        );
        let meta = format!(
            r#"<office:document-meta {NS}><office:meta><meta:generator>LibreOffice/7.4</meta:generator><dc:title>Convention</dc:title><meta:initial-creator>Sophie</meta:initial-creator><dc:creator>Paul</dc:creator><meta:creation-date>2025-02-20T10:00:00</meta:creation-date><dc:date>2025-03-01T16:20:00</dc:date><meta:document-statistic meta:page-count="2" meta:word-count="10"/></office:meta></office:document-meta>"#
        );
        let x = run(&odt_with(
            body,
            &[
                ("styles.xml", styles.as_bytes()),
                ("meta.xml", meta.as_bytes()),
            ],
        ))
        .unwrap();
        let page = &x.pages[0];
        assert_eq!(
            page.text,
            "Lumière Formation\nSignature du formateur :\n\nVoir ci-contre\nTarif : 1 200 €\nPage 1"
        );
        let anchors: Vec<_> = page
            .images
            .iter()
            .map(|i| i.anchor.clone().unwrap())
            .collect();
        assert_eq!(
            anchors,
            vec![
                Anchor::HeaderFooter {
                    part: HEADER_PART.into()
                },
                Anchor::Paragraph {
                    index: 1,
                    context: "Signature du formateur :".into()
                },
            ]
        );
        let m = &x.metadata;
        assert_eq!(m.title.as_deref(), Some("Convention"));
        assert_eq!(m.author.as_deref(), Some("Sophie"));
        assert_eq!(m.producer.as_deref(), Some("LibreOffice/7.4"));
        assert_eq!(m.created.as_deref(), Some("2025-02-20T10:00:00"));
        assert_eq!(m.modified.as_deref(), Some("2025-03-01T16:20:00"));
        assert_eq!(
            m.other.get("last_modified_by").map(String::as_str),
            Some("Paul")
        );
        assert_eq!(m.other.get("pages_declared").map(String::as_str), Some("2"));
    }

    #[test]
    fn damaged_encrypted_and_oversized_files() {
        let no_content = zip_of(&[("mimetype", b"application/vnd.oasis.opendocument.text")]);
        assert_eq!(run(&no_content).unwrap_err().code, ErrorCode::Corrupt);
        let manifest = br#"<manifest:manifest><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data manifest:checksum-type="SHA1/1K"/></manifest:file-entry></manifest:manifest>"#;
        let enc = zip_of(&[
            ("META-INF/manifest.xml", manifest),
            ("content.xml", &[0x8F, 0x01, 0x77]),
        ]);
        assert_eq!(run(&enc).unwrap_err().code, ErrorCode::Encrypted);
        let bad = zip_of(&[(
            "content.xml",
            b"<office:document-content><text:p>x</office:document-content>",
        )]);
        assert_eq!(run(&bad).unwrap_err().code, ErrorCode::Corrupt);
        let good = odt_with("<text:p>Bonjour</text:p>", &[]);
        assert_eq!(
            run(&good[..good.len() / 2]).unwrap_err().code,
            ErrorCode::Corrupt
        );
        // A damaged styles.xml costs the header, not the document.
        let x = run(&odt_with(
            "<text:p>Corps</text:p>",
            &[("styles.xml", b"<a><b></a>")],
        ))
        .unwrap();
        assert_eq!(x.pages[0].text, "Corps");
        assert_eq!(x.warnings.len(), 1);
        let big = content(&format!("<text:p>x</text:p>{}", " ".repeat(300_000)));
        let bomb = zip_of(&[("content.xml", big.as_bytes())]);
        let limits = Limits {
            max_part_bytes: 64 * 1024,
            ..Limits::default()
        };
        let err = OdtExtractor.extract(&input(&bomb, &limits)).unwrap_err();
        assert_eq!(err.code, ErrorCode::TooLarge);
        for i in (0..good.len()).step_by(3) {
            let mut b = good.clone();
            b[i] ^= 0xA5;
            let _ = run(&b);
        }
    }
}
