//! Turns positioned glyphs into reading-order text: lines by baseline, spaces from gaps.
//!
//! Owns the geometry heuristics: glyphs are grouped by baseline direction, then into lines
//! (baselines within half a font size), sorted along the baseline; a space is inserted where the
//! gap to the previous glyph exceeds a fraction of the font size (or where the file drew one),
//! and a wide gap (table columns) starts a new span, written as a tab in the page text. It must
//! not read the PDF: it sees only the interpreter's [`PageSink`].

use super::content::{Glyph, PageSink};
use crate::model::TextSpan;

/// Gap (in font sizes) above which two glyphs belong to different words.
const WORD_GAP: f32 = 0.15;
/// The same when the font's widths were guessed (glyph ends are then approximate).
const WORD_GAP_GUESSED: f32 = 0.3;
/// Gap (in font sizes) above which a line is split into separate spans (table cells, columns).
const SPAN_GAP: f32 = 1.5;
/// Baselines closer than this (in font sizes) are one line.
const LINE_TOL: f32 = 0.5;

/// A vertical ruling line (a table's cell border) in page space: where it crosses a text line
/// between two words, the words sit in different cells, however narrow the gap (a header row
/// "Matin 12/03 | Après-midi 12/03" printed by Chromium with 6 pt of padding).
#[derive(Clone, Copy, Debug)]
struct Rule {
    x: f32,
    y0: f32,
    y1: f32,
}

/// The vertical edges of the page's straight painted paths (borders drawn as thin lines or thin
/// filled rectangles, cells drawn as boxes), sorted by x. Curved or slanted paths (drawings,
/// signatures) and annotation appearances are not rulings.
fn vertical_rules(sink: &PageSink) -> Vec<Rule> {
    let mut rules = Vec::new();
    for s in &sink.strokes {
        if s.curves > 0 || s.diagonal > 0 || s.annotation.is_some() || s.bbox.height < 4.0 {
            continue;
        }
        let (y0, y1) = (s.bbox.y, s.bbox.top());
        rules.push(Rule {
            x: s.bbox.x,
            y0,
            y1,
        });
        if s.bbox.width > 2.0 {
            rules.push(Rule {
                x: s.bbox.right(),
                y0,
                y1,
            });
        }
    }
    rules.sort_by(|a, b| a.x.total_cmp(&b.x));
    rules
}

/// A ruling crosses the baseline `v` between `u0` and `u1` (horizontal text only).
fn ruled_between(rules: &[Rule], u0: f32, u1: f32, v: f32) -> bool {
    let from = rules.partition_point(|r| r.x < u0 - 0.5);
    rules[from..]
        .iter()
        .take_while(|r| r.x <= u1 + 0.5)
        .any(|r| r.y0 - 1.0 <= v && v <= r.y1 + 1.0)
}

/// A page's text and spans.
#[derive(Debug, Default)]
pub(super) struct Laid {
    pub(super) text: String,
    pub(super) spans: Vec<TextSpan>,
}

#[derive(Clone, Copy)]
struct Item {
    idx: usize,
    u0: f32,
    u1: f32,
    v: f32,
    size: f32,
}

/// Coordinates along (u) and across (v, up) a baseline turned `rot` quarter turns.
fn frame(rot: u8, x: f32, y: f32) -> (f32, f32) {
    match rot {
        1 => (y, -x),
        2 => (-x, -y),
        3 => (-y, x),
        _ => (x, y),
    }
}

pub(super) fn lay_out(sink: &PageSink, page: Option<(f32, f32)>) -> Laid {
    // A glyph is kept when its box touches the page (what poppler does; text clipped by the
    // page edge, e.g. a spreadsheet cell spilling over, is otherwise read twice).
    let keep = |g: &Glyph| match page {
        Some((w, h)) => {
            let (mut lx, mut hx) = (g.x.min(g.ex), g.x.max(g.ex));
            let (mut ly, mut hy) = (g.y.min(g.ey), g.y.max(g.ey));
            if g.rot.is_multiple_of(2) {
                ly -= g.size;
                hy += g.size;
            } else {
                lx -= g.size;
                hx += g.size;
            }
            hx >= 0.0 && lx <= w && hy >= 0.0 && ly <= h
        }
        None => true,
    };
    let mut groups: [Vec<Item>; 4] = Default::default();
    for (idx, g) in sink.glyphs.iter().enumerate() {
        if !keep(g) {
            continue;
        }
        let (u0, v) = frame(g.rot, g.x, g.y);
        let (u1, _) = frame(g.rot, g.ex, g.ey);
        groups[usize::from(g.rot & 3)].push(Item {
            idx,
            u0,
            u1: u1.max(u0),
            v,
            size: g.size.max(1.0),
        });
    }
    let word_gap = if sink.guessed_widths {
        WORD_GAP_GUESSED
    } else {
        WORD_GAP
    };
    let rules = vertical_rules(sink);
    let mut order: Vec<usize> = (0..4).filter(|&r| !groups[r].is_empty()).collect();
    order.sort_by_key(|&r| std::cmp::Reverse(groups[r].len()));

    let mut out = Laid::default();
    let mut lines: Vec<Line> = Vec::new();
    for r in order {
        let items = &mut groups[r];
        let turned = deskew(sink, r as u8, items);
        // Rulings are in page space: they split upright, unturned text only.
        let line_rules: &[Rule] = if r == 0 && !turned { &rules } else { &[] };
        items.sort_by(|a, b| b.v.total_cmp(&a.v).then(a.u0.total_cmp(&b.u0)));
        let mut start = 0;
        while start < items.len() {
            let ref_v = items[start].v;
            let mut max_size = items[start].size;
            let mut end = start + 1;
            while end < items.len() {
                let it = items[end];
                if ref_v - it.v <= LINE_TOL * max_size.max(it.size) {
                    max_size = max_size.max(it.size);
                    end += 1;
                } else {
                    break;
                }
            }
            let line = &mut items[start..end];
            line.sort_by(|a, b| a.u0.total_cmp(&b.u0));
            if let Some(l) = emit_line(sink, line, word_gap, line_rules, &mut out.spans) {
                lines.push(l);
            }
            start = end;
        }
        dehyphenate(&mut lines);
        for l in lines.drain(..) {
            let text: Vec<&str> = l
                .cells
                .iter()
                .map(|c| c.text.as_str())
                .filter(|t| !t.is_empty())
                .collect();
            if text.is_empty() {
                continue;
            }
            if !out.text.is_empty() {
                out.text.push('\n');
            }
            out.text.push_str(&text.join("\t"));
        }
    }
    out
}

/// Skew (radians) above which a group's frame is turned: a scan's OCR layer drawn along slightly
/// tilted baselines would otherwise split every long line in two.
const MIN_SKEW: f32 = 0.002;
const MAX_SKEW: f32 = 0.2;

/// Turns a group's (u, v) frame by the median angle of its glyph baselines, when they all lean
/// the same small way (OCR text layers of skewed scans). Ordinary pages have no skew: no-op.
/// Returns whether it turned the frame.
fn deskew(sink: &PageSink, rot: u8, items: &mut [Item]) -> bool {
    let mut angles: Vec<f32> = items
        .iter()
        .filter_map(|it| {
            let g = &sink.glyphs[it.idx];
            let (u0, v0) = frame(rot, g.x, g.y);
            let (u1, v1) = frame(rot, g.ex, g.ey);
            let du = u1 - u0;
            (du > 0.1).then(|| (v1 - v0).atan2(du))
        })
        .collect();
    if angles.len() < 3 {
        return false;
    }
    let mid = angles.len() / 2;
    let (_, &mut theta, _) = angles.select_nth_unstable_by(mid, |a, b| a.total_cmp(b));
    if !(MIN_SKEW..=MAX_SKEW).contains(&theta.abs()) {
        return false;
    }
    let (sin, cos) = theta.sin_cos();
    for it in items.iter_mut() {
        let (u0, u1, v) = (it.u0, it.u1, it.v);
        it.u0 = u0 * cos + v * sin;
        it.u1 = u1 * cos + v * sin;
        it.v = -u0 * sin + v * cos;
    }
    true
}

/// A line's text, cell by cell (cells are the spans: runs separated by wide gaps).
struct Line {
    cells: Vec<Cell>,
    v: f32,
    size: f32,
}

struct Cell {
    text: String,
    u0: f32,
}

/// Joins a word broken at a line end after a hyphen with its continuation on the next line,
/// keeping the hyphen: `demi-` / `journée` → `demi-journée`, `10h45-` / `12h30` (a narrow table
/// cell) → `10h45-12h30`. Word processors used for such archives do not hyphenate
/// automatically, so a line-end hyphen is nearly always a real one (`pdftotext` drops it and
/// writes `demijournée`). Cell by cell: the continuation must start where the broken cell
/// starts (a paragraph's margin, a table cell's edge). The spans are left as drawn.
fn dehyphenate(lines: &mut [Line]) {
    for i in 1..lines.len() {
        let (head, tail) = lines.split_at_mut(i);
        let (Some(a), Some(b)) = (head.last_mut(), tail.first_mut()) else {
            continue;
        };
        let size = a.size.max(b.size);
        if a.v - b.v > 2.0 * size {
            continue;
        }
        for cell in a.cells.iter_mut() {
            let mut rev = cell.text.chars().rev();
            if rev.next() != Some('-') || !rev.next().is_some_and(char::is_alphanumeric) {
                continue;
            }
            let Some(next) = b
                .cells
                .iter_mut()
                .find(|c| (c.u0 - cell.u0).abs() <= 0.5 * size)
            else {
                continue;
            };
            if !next.text.chars().next().is_some_and(char::is_alphanumeric) {
                continue;
            }
            let cut = next.text.find(' ').unwrap_or(next.text.len());
            cell.text.push_str(&next.text[..cut]);
            next.text = next.text[cut..].trim_start().to_string();
        }
    }
}

struct Segment {
    text: String,
    x: f32,
    y: f32,
    u0: f32,
    u1: f32,
    size: f32,
}

impl Segment {
    fn new(g: &Glyph, it: &Item) -> Segment {
        Segment {
            text: String::new(),
            x: g.x,
            y: g.y,
            u0: it.u0,
            u1: it.u1,
            size: it.size,
        }
    }
}

fn emit_line(
    sink: &PageSink,
    line: &[Item],
    word_gap: f32,
    rules: &[Rule],
    spans: &mut Vec<TextSpan>,
) -> Option<Line> {
    let mut segments: Vec<Segment> = Vec::new();
    let mut last: Option<Item> = None;
    let mut pending_space = false;
    for it in line {
        let g = &sink.glyphs[it.idx];
        if g.space {
            if last.is_some() {
                pending_space = true;
            }
            continue;
        }
        let text = sink.text(g);
        match (last, segments.last_mut()) {
            (Some(prev), Some(seg)) => {
                let pg = &sink.glyphs[prev.idx];
                let size = prev.size.max(it.size);
                let gap = it.u0 - seg.u1;
                // A glyph drawn twice at (almost) the same place: fake bold, shadows.
                let width = (prev.u1 - prev.u0).max(0.05 * size);
                if sink.text(pg) == text
                    && (it.u0 - prev.u0).abs() < 0.3 * width
                    && (it.v - prev.v).abs() < 0.2 * size
                {
                    continue;
                }
                if gap > SPAN_GAP * size
                    || (gap > word_gap * size && ruled_between(rules, seg.u1, it.u0, it.v))
                {
                    segments.push(Segment::new(g, it));
                } else if pending_space || gap > word_gap * size || gap < -0.5 * size {
                    seg.text.push(' ');
                }
            }
            _ => segments.push(Segment::new(g, it)),
        }
        pending_space = false;
        if let Some(seg) = segments.last_mut() {
            seg.text.push_str(text);
            seg.u1 = seg.u1.max(it.u1);
            seg.size = seg.size.max(it.size);
        }
        last = Some(*it);
    }
    let mut cells = Vec::new();
    let mut size = 0.0f32;
    for seg in segments {
        let t = seg.text.trim();
        if t.is_empty() {
            continue;
        }
        size = size.max(seg.size);
        cells.push(Cell {
            text: t.to_string(),
            u0: seg.u0,
        });
        spans.push(TextSpan {
            x: seg.x,
            y: seg.y,
            width: (seg.u1 - seg.u0).max(0.0),
            font_size: seg.size,
            text: t.to_string(),
        });
    }
    let v = line.first().map(|i| i.v)?;
    (!cells.is_empty()).then_some(Line { cells, v, size })
}
