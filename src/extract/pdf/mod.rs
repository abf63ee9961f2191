//! PDF extraction over lopdf: text per page in reading order, positioned lines, image
//! placements, AcroForm fields (signatures included), Info metadata, scanned-page detection.
//!
//! Owns the PDF format end to end: loading (size-bounded decompression, password and damaged
//! page-tree detection), page geometry (MediaBox, `/Rotate`: every coordinate it reports is in
//! the page as displayed, origin bottom-left), and the assembly of the [`Extracted`] model from
//! its submodules: `fonts` (codes → Unicode, widths), `content` (the content-stream
//! interpreter), `layout` (glyphs → lines and spans), `quality` (garbage text detection),
//! `drawings` (signatures drawn as vector paths) and `forms` (fields and signatures). Ink
//! annotations (tablet signing) are reported as image placements with `encoding`
//! `"ink_annotation"`, vector signatures with `"vector"` (see `model::ImageRef`). It must not classify, OCR, or validate signatures, and it
//! reads only the bytes it is given.

mod content;
mod drawings;
mod fonts;
mod forms;
mod layout;
mod quality;

use super::{Extractor, Input};
use crate::error::{Error, Result};
use crate::model::{Anchor, Extracted, Format, Metadata, Page};
use content::{FontCache, GState, Interp, Matrix, num};
use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId};
use quality::Verdict;

pub struct PdfExtractor;

impl Extractor for PdfExtractor {
    fn name(&self) -> &'static str {
        "pdf-lopdf"
    }
    fn version(&self) -> u32 {
        3
    }
    fn formats(&self) -> &'static [Format] {
        &[Format::Pdf]
    }
    fn extract(&self, input: &Input) -> Result<Extracted> {
        extract_pdf(input)
    }
}

/// Share of the page an image must cover for an otherwise text-less page to count as scanned.
const SCAN_COVERAGE: f32 = 0.5;
/// Fewer letters than this on a page mostly covered by an image: still a scan (a scanner's
/// stamp or a page number is not a text layer).
const SCAN_MAX_LETTERS: usize = 40;
/// Annotations drawn per page (appearance streams).
const MAX_ANNOTS: usize = 1_000;
/// Strokes read from one ink annotation.
const MAX_INK_STROKES: usize = 1_000;
/// Parent links followed for inherited page attributes.
const MAX_PARENTS: usize = 64;

fn load_error(e: lopdf::Error) -> Error {
    match e {
        lopdf::Error::InvalidPassword
        | lopdf::Error::Decryption(_)
        | lopdf::Error::UnsupportedSecurityHandler(_) => Error::encrypted(format!(
            "the PDF is encrypted and could not be opened without a password ({e})"
        )),
        lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }) => {
            Error::too_large(format!(
                "a PDF stream decompresses beyond the size limit ({e})"
            ))
        }
        _ => Error::corrupt(format!("not a readable PDF: {e}")),
    }
}

fn extract_pdf(input: &Input) -> Result<Extracted> {
    let limit = usize::try_from(input.limits.max_part_bytes).unwrap_or(usize::MAX);
    let options = LoadOptions {
        max_decompressed_size: Some(limit),
        ..LoadOptions::default()
    };
    let doc = Document::load_mem_with_options(input.bytes, options).map_err(load_error)?;
    if doc.is_encrypted() {
        return Err(Error::encrypted("the PDF needs a password to be opened"));
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(Error::corrupt(
            "the PDF has no readable page (damaged or looping page tree)",
        ));
    }
    input.check_time()?;

    let mut out = Extracted {
        metadata: metadata(&doc),
        ..Extracted::default()
    };
    let mut fonts = FontCache::new(&doc);
    let mut widgets = forms::WidgetPages::new();
    for (&number, &page_id) in &pages {
        input.check_time()?;
        let page = extract_page(
            &doc,
            page_id,
            number,
            &mut fonts,
            input,
            limit,
            &mut widgets,
            &mut out.warnings,
        )?;
        out.pages.push(page);
    }
    out.fields = forms::read_fields(&doc, input.bytes, &widgets);
    Ok(out)
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map(|(_, o)| o).unwrap_or(o)
}

/// A page attribute, inherited through `/Parent` when the page lacks it.
fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..MAX_PARENTS {
        if let Ok(o) = node.get(key) {
            return Some(deref(doc, o));
        }
        node = node
            .get(b"Parent")
            .ok()
            .map(|p| deref(doc, p))
            .and_then(|p| p.as_dict().ok())?;
    }
    None
}

/// Displayed size and the matrix from default user space to displayed space (MediaBox origin
/// moved to 0,0, then `/Rotate` applied clockwise).
fn page_geometry(doc: &Document, page: &Dictionary) -> (Option<(f32, f32)>, Matrix) {
    let mb: Option<Vec<f32>> = inherited(doc, page, b"MediaBox")
        .and_then(|o| o.as_array().ok())
        .map(|a| a.iter().filter_map(|o| num(deref(doc, o))).collect());
    let Some([x0, y0, x1, y1]) = mb.and_then(|v| <[f32; 4]>::try_from(v).ok()) else {
        return (None, Matrix::IDENTITY);
    };
    let (lx, ly, hx, hy) = (x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1));
    let (w, h) = (hx - lx, hy - ly);
    if !(w > 0.0 && h > 0.0) {
        return (None, Matrix::IDENTITY);
    }
    let rotate = inherited(doc, page, b"Rotate")
        .and_then(|o| o.as_i64().ok())
        .unwrap_or(0)
        .rem_euclid(360);
    let origin = Matrix::translate(-lx, -ly);
    let (size, rot) = match rotate {
        90 => ((h, w), Matrix::new(0.0, -1.0, 1.0, 0.0, 0.0, w)),
        180 => ((w, h), Matrix::new(-1.0, 0.0, 0.0, -1.0, w, h)),
        270 => ((h, w), Matrix::new(0.0, 1.0, -1.0, 0.0, h, 0.0)),
        _ => ((w, h), Matrix::IDENTITY),
    };
    (Some(size), origin.then(&rot))
}

#[allow(clippy::too_many_arguments)]
fn extract_page(
    doc: &Document,
    page_id: ObjectId,
    number: u32,
    fonts: &mut FontCache,
    input: &Input,
    limit: usize,
    widgets: &mut forms::WidgetPages,
    warnings: &mut Vec<String>,
) -> Result<Page> {
    let mut page = Page {
        number,
        ..Page::default()
    };
    let Ok(dict) = doc.get_dictionary(page_id) else {
        warnings.push(format!("page {number}: page object unreadable"));
        return Ok(page);
    };
    let (size, base) = page_geometry(doc, dict);
    page.size = size;
    widgets.insert(page_id, (number, base));
    let annots: Vec<&Object> = dict
        .get(b"Annots")
        .ok()
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_array().ok())
        .map(|a| a.iter().take(MAX_ANNOTS).collect())
        .unwrap_or_default();
    for a in &annots {
        if let Ok(id) = a.as_reference() {
            widgets.entry(id).or_insert((number, base));
        }
    }

    let resources = inherited(doc, dict, b"Resources").and_then(|o| o.as_dict().ok());
    let mut interp = Interp::new(doc, fonts, input, limit);
    match doc.get_page_content_with_limit(page_id, limit) {
        Ok(content) => interp.run(&content, resources, GState::new(base), 0)?,
        Err(e) => warnings.push(format!("page {number}: content not read ({e})")),
    }
    for a in &annots {
        draw_annotation(&mut interp, doc, a, &base)?;
    }
    let sink = interp.sink;
    if sink.bad_content {
        warnings.push(format!("page {number}: content stream partly unreadable"));
    }
    if sink.truncated {
        warnings.push(format!(
            "page {number}: too much content, extraction stopped early"
        ));
    }

    let laid = layout::lay_out(&sink, size);
    let assessment = quality::assess(&laid.text);
    let coverage = image_coverage(&sink.images, size);
    page.images = sink.images;
    page.images.extend(drawings::marks(&sink.strokes));
    if assessment.verdict == Verdict::Garbage {
        warnings.push(format!(
            "page {number}: the text layer does not decode to readable text (fonts without Unicode mapping); treated as scanned"
        ));
        page.scanned = true;
    } else {
        page.scanned = coverage >= SCAN_COVERAGE && assessment.letters < SCAN_MAX_LETTERS;
        page.text = laid.text;
        page.spans = laid.spans;
    }
    Ok(page)
}

/// Share of the page covered by images (sum of their clipped areas, at most 1).
fn image_coverage(images: &[crate::model::ImageRef], size: Option<(f32, f32)>) -> f32 {
    let Some((w, h)) = size else { return 0.0 };
    let mut covered = 0.0f32;
    for img in images {
        if let Some(Anchor::Page { rect }) = &img.anchor {
            let cw = (rect.right().min(w) - rect.x.max(0.0)).max(0.0);
            let ch = (rect.top().min(h) - rect.y.max(0.0)).max(0.0);
            covered += cw * ch;
        }
    }
    (covered / (w * h)).min(1.0)
}

/// Draws an annotation's normal appearance (form field values, stamps, visible signatures)
/// the way viewers do: its /BBox (through its /Matrix) mapped onto its /Rect.
fn draw_annotation<'d>(
    interp: &mut Interp<'d, '_>,
    doc: &'d Document,
    annot: &'d Object,
    base: &Matrix,
) -> Result<()> {
    let Ok(d) = deref(doc, annot).as_dict() else {
        return Ok(());
    };
    let flags = d.get(b"F").ok().and_then(|o| o.as_i64().ok()).unwrap_or(0);
    if flags & (2 | 32) != 0 {
        return Ok(()); // Hidden or NoView
    }
    let subtype = d
        .get(b"Subtype")
        .ok()
        .and_then(|o| o.as_name().ok())
        .map(|n| String::from_utf8_lossy(n).into_owned());
    if subtype.as_deref() == Some("Ink") {
        ink_annotation(interp, doc, d, base);
        return Ok(());
    }
    let Some(normal) = d
        .get(b"AP")
        .ok()
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_dict().ok())
        .and_then(|ap| ap.get(b"N").ok())
    else {
        return Ok(());
    };
    let (id, stream) = match deref(doc, normal) {
        Object::Stream(s) => (normal.as_reference().ok(), s),
        Object::Dictionary(states) => {
            let Some(state) = d.get(b"AS").ok().and_then(|o| o.as_name().ok()) else {
                return Ok(());
            };
            let Some(o) = states.get(state).ok() else {
                return Ok(());
            };
            match deref(doc, o) {
                Object::Stream(s) => (o.as_reference().ok(), s),
                _ => return Ok(()),
            }
        }
        _ => return Ok(()),
    };
    let nums = |o: Option<&Object>| -> Option<[f32; 4]> {
        let a = deref(doc, o?).as_array().ok()?;
        let v: Vec<f32> = a.iter().filter_map(|o| num(deref(doc, o))).collect();
        <[f32; 4]>::try_from(v).ok()
    };
    let (Some(rect), Some(bbox)) = (
        nums(d.get(b"Rect").ok()),
        nums(stream.dict.get(b"BBox").ok()),
    ) else {
        return Ok(());
    };
    let matrix = stream
        .dict
        .get(b"Matrix")
        .ok()
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_array().ok())
        .and_then(|a| Matrix::from_objects(a))
        .unwrap_or(Matrix::IDENTITY);
    let b = matrix.bbox(bbox[0], bbox[1], bbox[2], bbox[3]);
    let (rx, ry) = (rect[0].min(rect[2]), rect[1].min(rect[3]));
    let (rw, rh) = ((rect[2] - rect[0]).abs(), (rect[3] - rect[1]).abs());
    if !(b.width > 0.0 && b.height > 0.0 && rw > 0.0 && rh > 0.0) {
        return Ok(());
    }
    let fit = Matrix::translate(-b.x, -b.y)
        .then(&Matrix::new(
            rw / b.width,
            0.0,
            0.0,
            rh / b.height,
            0.0,
            0.0,
        ))
        .then(&Matrix::translate(rx, ry));
    interp.annotation = subtype;
    let r = interp.run_form(stream, id, None, &GState::new(fit.then(base)), 0);
    interp.annotation = None;
    r
}

/// An `/Ink` annotation (freehand drawing, tablet signing): one mark over its strokes
/// (`/InkList`, else its `/Rect`), whatever its appearance stream draws.
fn ink_annotation(interp: &mut Interp<'_, '_>, doc: &Document, d: &Dictionary, base: &Matrix) {
    let strokes: Vec<Vec<f32>> = d
        .get(b"InkList")
        .ok()
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_array().ok())
        .map(|a| {
            a.iter()
                .take(MAX_INK_STROKES)
                .filter_map(|s| deref(doc, s).as_array().ok())
                .map(|s| s.iter().filter_map(|v| num(deref(doc, v))).collect())
                .collect()
        })
        .unwrap_or_default();
    let points: Vec<(f32, f32)> = strokes
        .iter()
        .flat_map(|s| s.chunks_exact(2).map(|p| base.apply(p[0], p[1])))
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect();
    let rect = if points.len() >= 2 {
        let (mut lx, mut ly, mut hx, mut hy) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for (x, y) in &points {
            lx = lx.min(*x);
            ly = ly.min(*y);
            hx = hx.max(*x);
            hy = hy.max(*y);
        }
        Some(crate::model::Rect {
            x: lx,
            y: ly,
            width: hx - lx,
            height: hy - ly,
        })
    } else {
        d.get(b"Rect")
            .ok()
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_array().ok())
            .map(|a| {
                a.iter()
                    .filter_map(|v| num(deref(doc, v)))
                    .collect::<Vec<f32>>()
            })
            .and_then(|v| <[f32; 4]>::try_from(v).ok())
            .map(|r| base.bbox(r[0], r[1], r[2], r[3]))
    };
    let Some(rect) = rect.filter(|r| r.width > 0.0 || r.height > 0.0) else {
        return;
    };
    interp.sink.images.push(crate::model::ImageRef {
        name: format!(
            "ink annotation, {} strokes, {} points",
            strokes.len(),
            points.len()
        ),
        encoding: Some("ink_annotation".into()),
        width_px: None,
        height_px: None,
        anchor: Some(Anchor::Page { rect }),
    });
}

fn metadata(doc: &Document) -> Metadata {
    let mut m = Metadata::default();
    m.other.insert("pdf_version".into(), doc.version.clone());
    if doc.was_encrypted() {
        m.other.insert(
            "encryption".into(),
            "owner password only (opened without a password)".into(),
        );
    }
    let Some(info) = doc
        .trailer
        .get(b"Info")
        .ok()
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_dict().ok())
    else {
        return m;
    };
    let text = |k: &[u8]| {
        info.get(k)
            .ok()
            .map(|o| deref(doc, o))
            .and_then(forms::text_string)
            .map(|s| {
                s.trim_matches(|c: char| c.is_whitespace() || c == '\0')
                    .to_string()
            })
            .filter(|s| !s.is_empty())
    };
    m.title = text(b"Title");
    m.author = text(b"Author");
    m.subject = text(b"Subject");
    m.producer = text(b"Producer");
    m.creator = text(b"Creator");
    m.created = text(b"CreationDate");
    m.modified = text(b"ModDate");
    m
}

#[cfg(test)]
mod tests;
