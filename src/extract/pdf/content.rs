//! A PDF content-stream interpreter reduced to what extraction needs: positioned glyphs, image
//! placements and the shape of painted paths (for signatures drawn as vector paths, see
//! `drawings`).
//!
//! Owns the graphics/text state machine (`q/Q/cm`, `BT/ET`, `Tm/Td/TD/T*/TL`, `Tf/Tc/Tw/Tz/Ts`,
//! `Tj/TJ/'/"`), `Do` into image XObjects and Form XObjects (their `/Matrix` and `/Resources`,
//! cycle- and depth-guarded), inline images, and path construction / painting (`m l c v y h re`,
//! `S s f F f* B B* b b* n`: each painted path summarised as a [`Stroke`]). Everything is expressed in the page's displayed
//! space (the caller's base matrix carries the MediaBox origin and `/Rotate`). It must not group
//! glyphs into lines (see `layout`) nor paint anything; and it bounds its own work (operations,
//! glyphs, images, nesting) because content streams come from untrusted files.

use super::fonts::{Font, Tables};
use crate::error::Result;
use crate::extract::Input;
use crate::model::{Anchor, ImageRef, Rect};
use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use std::collections::HashMap;

/// An affine matrix `[a b c d e f]`, PDF row-vector convention: `[x y 1] × M`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Matrix {
    pub(super) a: f32,
    pub(super) b: f32,
    pub(super) c: f32,
    pub(super) d: f32,
    pub(super) e: f32,
    pub(super) f: f32,
}

impl Matrix {
    pub(super) const IDENTITY: Matrix = Matrix {
        a: 1.0,
        b: 0.0,
        c: 0.0,
        d: 1.0,
        e: 0.0,
        f: 0.0,
    };

    pub(super) fn new(a: f32, b: f32, c: f32, d: f32, e: f32, f: f32) -> Matrix {
        Matrix { a, b, c, d, e, f }
    }

    pub(super) fn translate(x: f32, y: f32) -> Matrix {
        Matrix {
            e: x,
            f: y,
            ..Matrix::IDENTITY
        }
    }

    /// `self × o`: apply `self` first, then `o`.
    pub(super) fn then(&self, o: &Matrix) -> Matrix {
        Matrix {
            a: self.a * o.a + self.b * o.c,
            b: self.a * o.b + self.b * o.d,
            c: self.c * o.a + self.d * o.c,
            d: self.c * o.b + self.d * o.d,
            e: self.e * o.a + self.f * o.c + o.e,
            f: self.e * o.b + self.f * o.d + o.f,
        }
    }

    pub(super) fn apply(&self, x: f32, y: f32) -> (f32, f32) {
        (
            x * self.a + y * self.c + self.e,
            x * self.b + y * self.d + self.f,
        )
    }

    /// Six numbers from an operand list or a `/Matrix` array.
    pub(super) fn from_objects(o: &[Object]) -> Option<Matrix> {
        if o.len() < 6 {
            return None;
        }
        let v: Vec<f32> = o.iter().take(6).filter_map(num).collect();
        if v.len() < 6 {
            return None;
        }
        Some(Matrix::new(v[0], v[1], v[2], v[3], v[4], v[5]))
    }

    fn is_finite(&self) -> bool {
        [self.a, self.b, self.c, self.d, self.e, self.f]
            .iter()
            .all(|v| v.is_finite())
    }

    /// Bounding box of the image of the rectangle (x0, y0)–(x1, y1).
    pub(super) fn bbox(&self, x0: f32, y0: f32, x1: f32, y1: f32) -> Rect {
        let pts = [
            self.apply(x0, y0),
            self.apply(x1, y0),
            self.apply(x0, y1),
            self.apply(x1, y1),
        ];
        let (mut lx, mut ly, mut hx, mut hy) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for (x, y) in pts {
            lx = lx.min(x);
            ly = ly.min(y);
            hx = hx.max(x);
            hy = hy.max(y);
        }
        Rect {
            x: lx,
            y: ly,
            width: hx - lx,
            height: hy - ly,
        }
    }
}

pub(super) fn num(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) if r.is_finite() => Some(*r),
        _ => None,
    }
}

/// One shown glyph, in displayed page space.
#[derive(Clone, Debug)]
pub(super) struct Glyph {
    /// Byte range of its text in [`PageSink::arena`].
    pub(super) start: u32,
    pub(super) end: u32,
    /// Origin and end of its advance.
    pub(super) x: f32,
    pub(super) y: f32,
    pub(super) ex: f32,
    pub(super) ey: f32,
    /// Effective font size (points).
    pub(super) size: f32,
    /// Baseline direction in quarter turns counter-clockwise (0 = left to right).
    pub(super) rot: u8,
    pub(super) space: bool,
}

/// What the interpreter collected for one page.
#[derive(Default, Debug)]
pub(super) struct PageSink {
    pub(super) glyphs: Vec<Glyph>,
    pub(super) arena: String,
    pub(super) images: Vec<ImageRef>,
    /// Painted paths, summarised (clipping-only paths are not kept).
    pub(super) strokes: Vec<Stroke>,
    /// Some limit stopped the interpretation early.
    pub(super) truncated: bool,
    /// A content stream had a syntax error (what came before it was kept).
    pub(super) bad_content: bool,
    /// At least one glyph came from a font whose widths are guessed.
    pub(super) guessed_widths: bool,
}

impl PageSink {
    pub(super) fn text(&self, g: &Glyph) -> &str {
        self.arena
            .get(g.start as usize..g.end as usize)
            .unwrap_or("")
    }
}

/// One painted path in displayed page space, summarised by the features that tell a drawn
/// signature from table borders, underlines, boxes and checkboxes.
#[derive(Clone, Debug, Default)]
pub(super) struct Stroke {
    pub(super) bbox: Rect,
    /// Curve segments (`c v y`) and straight segments (`l`, closing `h` not counted).
    pub(super) curves: u32,
    pub(super) lines: u32,
    /// Segments whose chord is neither horizontal nor vertical.
    pub(super) diagonal: u32,
    /// Direction changes of more than 25° between consecutive chords of a subpath.
    pub(super) turns: u32,
    /// Rectangles (`re`).
    pub(super) rects: u32,
    /// Every point (ends and control points) lies on the bounding box's edges and some subpath
    /// is closed: a box, a rounded box, a circle or an ellipse.
    pub(super) box_like: bool,
    /// Closed, with every point on the ellipse inscribed in its box: a circle or an ellipse
    /// however many curves draw it.
    pub(super) round: bool,
    /// The annotation whose appearance drew it (`Stamp`, `Widget`…), if any.
    pub(super) annotation: Option<String>,
}

/// The path being built (between the first construction operator and the painting one).
#[derive(Default)]
struct PathBuild {
    points: Vec<(f32, f32)>,
    /// Start of the current subpath and the last chord direction in it.
    start: Option<(f32, f32)>,
    current: Option<(f32, f32)>,
    last_dir: Option<f32>,
    closed: bool,
    s: Stroke,
}

const MAX_PATH_POINTS: usize = 4_096;
const MAX_STROKES: usize = 50_000;

impl PathBuild {
    fn point(&mut self, p: (f32, f32)) {
        if self.points.len() < MAX_PATH_POINTS && p.0.is_finite() && p.1.is_finite() {
            self.points.push(p);
        }
    }

    fn move_to(&mut self, p: (f32, f32)) {
        self.point(p);
        self.start = Some(p);
        self.current = Some(p);
        self.last_dir = None;
    }

    /// A segment from the current point to `end` (`ctrl`: a curve's control points).
    fn segment(&mut self, ctrl: &[(f32, f32)], end: (f32, f32), curve: bool) {
        let Some(from) = self.current else {
            self.move_to(end);
            return;
        };
        for c in ctrl {
            self.point(*c);
        }
        self.point(end);
        if curve {
            self.s.curves += 1;
        } else {
            self.s.lines += 1;
        }
        let (dx, dy) = (end.0 - from.0, end.1 - from.1);
        if dx.abs() + dy.abs() > 0.2 {
            let a = dy.atan2(dx);
            let deg = a.to_degrees().rem_euclid(90.0);
            if deg > 5.0 && deg < 85.0 {
                self.s.diagonal += 1;
            }
            if let Some(last) = self.last_dir {
                let mut d = (a - last).abs();
                if d > std::f32::consts::PI {
                    d = 2.0 * std::f32::consts::PI - d;
                }
                if d > 25f32.to_radians() {
                    self.s.turns += 1;
                }
            }
            self.last_dir = Some(a);
        }
        self.current = Some(end);
    }

    fn close(&mut self) {
        self.closed = true;
        if let Some(s) = self.start {
            self.current = Some(s);
        }
        self.last_dir = None;
    }

    /// The summary of the finished path, if it drew anything.
    fn finish(&mut self) -> Option<Stroke> {
        let b = std::mem::take(self);
        if b.points.len() < 2 {
            return None;
        }
        let (mut lx, mut ly, mut hx, mut hy) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for (x, y) in &b.points {
            lx = lx.min(*x);
            ly = ly.min(*y);
            hx = hx.max(*x);
            hy = hy.max(*y);
        }
        let mut s = b.s;
        s.bbox = Rect {
            x: lx,
            y: ly,
            width: hx - lx,
            height: hy - ly,
        };
        let tol = 1.0f32.max((hx - lx).min(hy - ly) * 0.02);
        s.box_like = b.closed
            && b.points.iter().all(|(x, y)| {
                (x - lx).abs() < tol
                    || (x - hx).abs() < tol
                    || (y - ly).abs() < tol
                    || (y - hy).abs() < tol
            });
        let (cx, cy, rx, ry) = (
            (lx + hx) / 2.0,
            (ly + hy) / 2.0,
            (hx - lx) / 2.0,
            (hy - ly) / 2.0,
        );
        s.round = b.closed
            && b.points.len() >= 5
            && rx > 1.0
            && ry > 1.0
            && b.points.iter().all(|(x, y)| {
                let r = ((x - cx) / rx).powi(2) + ((y - cy) / ry).powi(2);
                (0.8..=1.3).contains(&r)
            });
        Some(s)
    }
}

/// Fonts of one document, built once and shared by its pages.
pub(super) struct FontCache {
    pub(super) tables: Tables,
    by_dict: HashMap<usize, usize>,
    list: Vec<Font>,
    fallback: Font,
}

impl FontCache {
    pub(super) fn new(doc: &Document) -> FontCache {
        let tables = Tables::new(doc);
        let fallback = Font::fallback(&tables);
        FontCache {
            tables,
            by_dict: HashMap::new(),
            list: Vec::new(),
            fallback,
        }
    }

    /// Index of the font for `dict` (keyed by the dictionary's address: the document is not
    /// mutated during extraction, so addresses are stable and shared by every page using it).
    fn index(&mut self, doc: &Document, dict: &Dictionary, limit: usize) -> Option<usize> {
        let key = dict as *const Dictionary as usize;
        if let Some(&i) = self.by_dict.get(&key) {
            return Some(i);
        }
        if self.list.len() >= MAX_FONTS {
            return None;
        }
        let font = Font::new(doc, dict, &mut self.tables, limit);
        self.list.push(font);
        let i = self.list.len() - 1;
        self.by_dict.insert(key, i);
        Some(i)
    }

    fn get(&self, i: Option<usize>) -> &Font {
        i.and_then(|i| self.list.get(i)).unwrap_or(&self.fallback)
    }
}

const MAX_FONTS: usize = 5_000;
/// Operations interpreted per page (forms included).
const MAX_OPS: u64 = 5_000_000;
const MAX_GLYPHS: usize = 1_000_000;
const MAX_IMAGES: usize = 10_000;
const MAX_FORM_DEPTH: u32 = 12;
const MAX_STACK: usize = 512;
const MAX_CODE_CHARS: usize = 32;
const MAX_ARENA: usize = 64 * 1024 * 1024;

#[derive(Clone, Copy, Debug)]
pub(super) struct GState {
    pub(super) ctm: Matrix,
    font: Option<usize>,
    size: f32,
    tc: f32,
    tw: f32,
    th: f32,
    tl: f32,
    rise: f32,
}

impl GState {
    pub(super) fn new(ctm: Matrix) -> GState {
        GState {
            ctm,
            font: None,
            size: 0.0,
            tc: 0.0,
            tw: 0.0,
            th: 1.0,
            tl: 0.0,
            rise: 0.0,
        }
    }
}

pub(super) struct Interp<'d, 'c> {
    pub(super) doc: &'d Document,
    pub(super) fonts: &'c mut FontCache,
    pub(super) input: &'c Input<'c>,
    /// Largest decoded stream.
    pub(super) limit: usize,
    pub(super) sink: PageSink,
    forms: Vec<ObjectId>,
    ops: u64,
    buf: String,
    path: PathBuild,
    /// The annotation subtype whose appearance is being drawn.
    pub(super) annotation: Option<String>,
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map(|(_, o)| o).unwrap_or(o)
}

fn sub_dict<'a>(
    doc: &'a Document,
    d: Option<&'a Dictionary>,
    key: &[u8],
) -> Option<&'a Dictionary> {
    d?.get(key)
        .ok()
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_dict().ok())
}

/// The report's name for an image stream's encoding, from its last filter.
pub(super) fn image_encoding(dict: &Dictionary) -> String {
    let last = match dict.get(b"Filter").or_else(|_| dict.get(b"F")) {
        Ok(Object::Name(n)) => Some(n.clone()),
        Ok(Object::Array(a)) => a
            .iter()
            .rev()
            .find_map(|o| o.as_name().ok())
            .map(<[u8]>::to_vec),
        _ => None,
    };
    match last.as_deref() {
        None => "raw".into(),
        Some(b"DCTDecode" | b"DCT") => "jpeg".into(),
        Some(b"JPXDecode") => "jpx".into(),
        Some(b"CCITTFaxDecode" | b"CCF") => "ccitt".into(),
        Some(b"JBIG2Decode") => "jbig2".into(),
        Some(b"FlateDecode" | b"Fl") => "flate".into(),
        Some(b"LZWDecode" | b"LZW") => "lzw".into(),
        Some(b"RunLengthDecode" | b"RL") => "runlength".into(),
        Some(other) => String::from_utf8_lossy(other).to_lowercase(),
    }
}

/// Keeps what a reader sees: drops control characters, expands Latin ligatures, turns the
/// no-break spaces into spaces and the soft hyphen into a hyphen.
fn push_normalized(out: &mut String, text: &str) {
    // One code rarely maps to more than a few characters; a hostile ToUnicode may map it to
    // kilobytes.
    for c in text.chars().take(MAX_CODE_CHARS) {
        match c {
            '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{200b}'..='\u{200d}' | '\u{feff}' => {}
            '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => {
                out.push(' ')
            }
            '\u{ad}' => out.push('-'),
            '\u{fb00}' => out.push_str("ff"),
            '\u{fb01}' => out.push_str("fi"),
            '\u{fb02}' => out.push_str("fl"),
            '\u{fb03}' => out.push_str("ffi"),
            '\u{fb04}' => out.push_str("ffl"),
            '\u{fb05}' | '\u{fb06}' => out.push_str("st"),
            c => out.push(c),
        }
    }
}

impl<'d, 'c> Interp<'d, 'c> {
    pub(super) fn new(
        doc: &'d Document,
        fonts: &'c mut FontCache,
        input: &'c Input<'c>,
        limit: usize,
    ) -> Self {
        Interp {
            doc,
            fonts,
            input,
            limit,
            sink: PageSink::default(),
            forms: Vec::new(),
            ops: 0,
            buf: String::new(),
            path: PathBuild::default(),
            annotation: None,
        }
    }

    /// Interprets one content stream with `resources`, starting from `gs`.
    pub(super) fn run(
        &mut self,
        content: &[u8],
        resources: Option<&'d Dictionary>,
        start: GState,
        depth: u32,
    ) -> Result<()> {
        let doc = self.doc;
        let mut gs = start;
        let mut stack: Vec<GState> = Vec::new();
        let mut skipped_pushes = 0usize;
        let mut tm = Matrix::IDENTITY;
        let mut tlm = Matrix::IDENTITY;
        for op in Content::decode_iter(content) {
            let Ok(op) = op else {
                self.sink.bad_content = true;
                break;
            };
            self.ops += 1;
            if self.ops.is_multiple_of(20_000) {
                self.input.check_time()?;
            }
            if self.ops > MAX_OPS {
                self.sink.truncated = true;
                break;
            }
            let o = &op.operands;
            let n = |i: usize| o.get(i).and_then(num);
            match op.operator.as_str() {
                "q" => {
                    if stack.len() < MAX_STACK {
                        stack.push(gs);
                    } else {
                        skipped_pushes += 1;
                    }
                }
                "Q" => {
                    if skipped_pushes > 0 {
                        skipped_pushes -= 1;
                    } else if let Some(s) = stack.pop() {
                        gs = s;
                    }
                }
                "cm" => {
                    if let Some(m) = Matrix::from_objects(o) {
                        let next = m.then(&gs.ctm);
                        if next.is_finite() {
                            gs.ctm = next;
                        }
                    }
                }
                "BT" => {
                    tm = Matrix::IDENTITY;
                    tlm = Matrix::IDENTITY;
                }
                "Tm" => {
                    if let Some(m) = Matrix::from_objects(o)
                        && m.is_finite()
                    {
                        tm = m;
                        tlm = m;
                    }
                }
                "Td" | "TD" => {
                    if let (Some(x), Some(y)) = (n(0), n(1)) {
                        if op.operator == "TD" {
                            gs.tl = -y;
                        }
                        tlm = Matrix::translate(x, y).then(&tlm);
                        tm = tlm;
                    }
                }
                "T*" => {
                    tlm = Matrix::translate(0.0, -gs.tl).then(&tlm);
                    tm = tlm;
                }
                "TL" => gs.tl = n(0).unwrap_or(gs.tl),
                "Tc" => gs.tc = n(0).unwrap_or(gs.tc),
                "Tw" => gs.tw = n(0).unwrap_or(gs.tw),
                "Tz" => gs.th = n(0).map(|v| v / 100.0).unwrap_or(gs.th),
                "Ts" => gs.rise = n(0).unwrap_or(gs.rise),
                "Tf" => {
                    if let Some(name) = o.first().and_then(|x| x.as_name().ok()) {
                        let dict = sub_dict(doc, resources, b"Font")
                            .and_then(|fonts| fonts.get(name).ok())
                            .map(|f| deref(doc, f))
                            .and_then(|f| f.as_dict().ok());
                        gs.font = dict.and_then(|d| self.fonts.index(doc, d, self.limit));
                    }
                    if let Some(s) = n(1) {
                        gs.size = s;
                    }
                }
                "Tj" => {
                    if let Some(Ok(s)) = o.first().map(Object::as_str) {
                        self.show(&gs, &mut tm, s);
                    }
                }
                "'" | "\"" => {
                    if op.operator == "\"" {
                        gs.tw = n(0).unwrap_or(gs.tw);
                        gs.tc = n(1).unwrap_or(gs.tc);
                    }
                    tlm = Matrix::translate(0.0, -gs.tl).then(&tlm);
                    tm = tlm;
                    if let Some(Ok(s)) = o.last().map(Object::as_str) {
                        self.show(&gs, &mut tm, s);
                    }
                }
                "TJ" => {
                    if let Some(Ok(items)) = o.first().map(Object::as_array) {
                        let vertical = self.fonts.get(gs.font).vertical;
                        for item in items {
                            match item {
                                Object::String(s, _) => self.show(&gs, &mut tm, s),
                                other => {
                                    if let Some(adj) = num(other) {
                                        let d = -adj / 1000.0 * gs.size;
                                        tm = if vertical {
                                            Matrix::translate(0.0, d).then(&tm)
                                        } else {
                                            Matrix::translate(d * gs.th, 0.0).then(&tm)
                                        };
                                    }
                                }
                            }
                        }
                    }
                }
                "Do" => {
                    if let Some(name) = o.first().and_then(|x| x.as_name().ok())
                        && let Some(xobj) =
                            sub_dict(doc, resources, b"XObject").and_then(|x| x.get(name).ok())
                    {
                        let id = xobj.as_reference().ok();
                        if let Ok(stream) = deref(doc, xobj).as_stream() {
                            let name = String::from_utf8_lossy(name).into_owned();
                            self.x_object(stream, id, &name, resources, &gs, depth)?;
                        }
                    }
                }
                "m" => {
                    if let (Some(x), Some(y)) = (n(0), n(1)) {
                        self.path.move_to(gs.ctm.apply(x, y));
                    }
                }
                "l" => {
                    if let (Some(x), Some(y)) = (n(0), n(1)) {
                        self.path.segment(&[], gs.ctm.apply(x, y), false);
                    }
                }
                "c" | "v" | "y" => {
                    let v: Vec<f32> = o.iter().filter_map(num).collect();
                    let pts: Vec<(f32, f32)> = v
                        .chunks_exact(2)
                        .map(|p| gs.ctm.apply(p[0], p[1]))
                        .collect();
                    if let Some((end, ctrl)) = pts.split_last()
                        && pts.len() == if op.operator == "c" { 3 } else { 2 }
                    {
                        self.path.segment(ctrl, *end, true);
                    }
                }
                "h" => self.path.close(),
                "re" => {
                    if let (Some(x), Some(y), Some(w), Some(h)) = (n(0), n(1), n(2), n(3)) {
                        let r = gs.ctm.bbox(x, y, x + w, y + h);
                        self.path.move_to((r.x, r.y));
                        self.path.point((r.right(), r.top()));
                        self.path.s.rects += 1;
                        self.path.close();
                    }
                }
                "S" | "s" | "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" => {
                    if op.operator == "s" || op.operator.starts_with('b') {
                        self.path.close();
                    }
                    if let Some(mut st) = self.path.finish() {
                        if self.sink.strokes.len() < MAX_STROKES {
                            st.annotation = self.annotation.clone();
                            self.sink.strokes.push(st);
                        } else {
                            self.sink.truncated = true;
                        }
                    }
                }
                "n" => self.path = PathBuild::default(),
                "BI" => {
                    let dict = match o.first() {
                        Some(Object::Stream(s)) => Some(&s.dict),
                        _ => None,
                    };
                    self.place_image("inline", dict, &gs.ctm, true);
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn x_object(
        &mut self,
        stream: &'d Stream,
        id: Option<ObjectId>,
        name: &str,
        resources: Option<&'d Dictionary>,
        gs: &GState,
        depth: u32,
    ) -> Result<()> {
        let subtype = stream
            .dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .unwrap_or(b"");
        match subtype {
            b"Image" => self.place_image(name, Some(&stream.dict), &gs.ctm, false),
            b"Form" => self.run_form(stream, id, resources, gs, depth)?,
            _ => {}
        }
        Ok(())
    }

    /// Runs a Form XObject (also an annotation appearance) under `gs` (its `/Matrix` is applied
    /// here; the caller applies anything else).
    pub(super) fn run_form(
        &mut self,
        stream: &'d Stream,
        id: Option<ObjectId>,
        resources: Option<&'d Dictionary>,
        gs: &GState,
        depth: u32,
    ) -> Result<()> {
        if depth >= MAX_FORM_DEPTH || id.is_some_and(|id| self.forms.contains(&id)) {
            return Ok(());
        }
        let Ok(content) = stream.get_plain_content_with_limit(self.limit) else {
            self.sink.bad_content = true;
            return Ok(());
        };
        let doc = self.doc;
        let matrix = stream
            .dict
            .get(b"Matrix")
            .ok()
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_array().ok())
            .and_then(|a| Matrix::from_objects(a))
            .filter(Matrix::is_finite)
            .unwrap_or(Matrix::IDENTITY);
        let own = stream
            .dict
            .get(b"Resources")
            .ok()
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_dict().ok());
        let mut inner = *gs;
        inner.ctm = matrix.then(&gs.ctm);
        if let Some(id) = id {
            self.forms.push(id);
        }
        let result = self.run(&content, own.or(resources), inner, depth + 1);
        if id.is_some() {
            self.forms.pop();
        }
        result
    }

    fn place_image(&mut self, name: &str, dict: Option<&Dictionary>, ctm: &Matrix, inline: bool) {
        if self.sink.images.len() >= MAX_IMAGES {
            self.sink.truncated = true;
            return;
        }
        let dim = |keys: &[&[u8]]| -> Option<u32> {
            let d = dict?;
            keys.iter()
                .find_map(|k| d.get(k).ok())
                .and_then(|o| o.as_i64().ok())
                .and_then(|v| u32::try_from(v).ok())
        };
        let (width_px, height_px) = if inline {
            (dim(&[b"W", b"Width"]), dim(&[b"H", b"Height"]))
        } else {
            (dim(&[b"Width"]), dim(&[b"Height"]))
        };
        let encoding = dict.map(image_encoding);
        let rect = ctm.bbox(0.0, 0.0, 1.0, 1.0);
        self.sink.images.push(ImageRef {
            name: name.to_string(),
            encoding,
            width_px,
            height_px,
            anchor: Some(Anchor::Page { rect }),
        });
    }

    fn show(&mut self, gs: &GState, tm: &mut Matrix, bytes: &[u8]) {
        let font = self.fonts.get(gs.font);
        let sink = &mut self.sink;
        if !font.widths_known() {
            sink.guessed_widths = true;
        }
        let mut buf = std::mem::take(&mut self.buf);
        let size = gs.size;
        let vertical = font.vertical;
        let v_scale = font.v_scale;
        font.decode(bytes, &mut buf, |d| {
            let extra = gs.tc + if d.word_space { gs.tw } else { 0.0 };
            let (adv_x, adv_y) = if vertical {
                (0.0, -(size + extra))
            } else {
                ((d.width * size + extra) * gs.th, 0.0)
            };
            let m = tm.then(&gs.ctm);
            let (x, y) = m.apply(0.0, gs.rise);
            let (ex, ey) = m.apply(adv_x, gs.rise + adv_y);
            *tm = Matrix::translate(adv_x, adv_y).then(tm);
            if sink.glyphs.len() >= MAX_GLYPHS || sink.arena.len() >= MAX_ARENA {
                sink.truncated = true;
                return;
            }
            let start = sink.arena.len();
            push_normalized(&mut sink.arena, d.text);
            let end = sink.arena.len();
            if end == start || !(x.is_finite() && y.is_finite() && ex.is_finite() && ey.is_finite())
            {
                sink.arena.truncate(start);
                return;
            }
            let space = sink.arena[start..end].chars().all(char::is_whitespace);
            // Direction of the baseline: the advance when there is one, else the text x axis.
            let (dx, dy) = if (ex - x).abs() + (ey - y).abs() > 1e-3 {
                (ex - x, ey - y)
            } else if vertical {
                (-m.c, -m.d)
            } else {
                (m.a, m.b)
            };
            let rot = if dx.abs() >= dy.abs() {
                if dx >= 0.0 { 0 } else { 2 }
            } else if dy > 0.0 {
                1
            } else {
                3
            };
            let eff = if vertical {
                size.abs() * (m.a * m.a + m.b * m.b).sqrt()
            } else {
                size.abs() * (m.c * m.c + m.d * m.d).sqrt()
            };
            let eff = eff * v_scale;
            sink.glyphs.push(Glyph {
                start: start as u32,
                end: end as u32,
                x,
                y,
                ex,
                ey,
                size: if eff.is_finite() { eff } else { 0.0 },
                rot,
                space,
            });
        });
        self.buf = buf;
    }
}
