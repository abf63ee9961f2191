//! Signatures drawn as vector paths: an inline SVG printed by a browser, a LibreOffice drawing,
//! the appearance of a tablet's ink or of a stamp annotation, a Form XObject holding strokes.
//!
//! Owns the decision "these painted paths look like a handwritten mark": the interpreter's
//! [`Stroke`] summaries are filtered (rectangles, boxes, circles, horizontal / vertical rules and
//! short ticks are never signature strokes), grouped by proximity, and a group becomes a mark
//! when it has many segments, mostly slanted, with direction changes, in a box of a plausible
//! signature size. Marks are reported as [`ImageRef`]s with `encoding` `"vector"` (the name says
//! how many paths and segments) so that every consumer of image placements (signature zones,
//! attendance grids) sees them without a model change. Round stamp outlines (closed circles and
//! ellipses of a stamp's size) are reported apart, as `"vector_stamp"`: evidence of the
//! organisation's stamp, never a signature. It must not judge zones: that is
//! `understand::signature`.

use super::content::Stroke;
use crate::model::{Anchor, ImageRef, Rect};

/// Candidates looked at per page (the rest are ignored: a page of 10 000 curves is a drawing,
/// not a form).
const MAX_CANDIDATES: usize = 2_000;
/// Paths closer than this (points) belong to one mark.
const GAP: f32 = 10.0;

/// A path that could be part of a handwritten mark.
fn candidate(s: &Stroke) -> bool {
    let segments = s.curves + s.lines;
    s.rects == 0
        && !s.box_like
        && !s.round
        && segments >= 1
        && s.diagonal * 3 >= segments
        && s.bbox.width.max(s.bbox.height) >= 3.0
}

/// Whether a group of paths is a plausible signature (or initials: a quick "JD" in a sign-in
/// cell is 5–8 mm, 14–23 pt, across).
fn signature_like(segments: u32, diagonal: u32, turns: u32, r: &Rect) -> bool {
    let (w, h) = (r.width, r.height);
    segments >= 8
        && diagonal * 2 >= segments
        && turns >= 4
        && (14.0..=420.0).contains(&w)
        && (6.0..=220.0).contains(&h)
}

fn union(a: &Rect, b: &Rect) -> Rect {
    let x = a.x.min(b.x);
    let y = a.y.min(b.y);
    Rect {
        x,
        y,
        width: a.right().max(b.right()) - x,
        height: a.top().max(b.top()) - y,
    }
}

fn near(a: &Rect, b: &Rect) -> bool {
    a.x - GAP <= b.right() && b.x - GAP <= a.right() && a.y - GAP <= b.top() && b.y - GAP <= a.top()
}

/// A stamp's outline: a closed circle or ellipse (curves only) of a stamp's size.
fn stamp_outline(s: &Stroke) -> bool {
    let (w, h) = (s.bbox.width, s.bbox.height);
    (s.round || (s.box_like && s.lines == 0))
        && s.curves >= 4
        && s.rects == 0
        && (35.0..=220.0).contains(&w)
        && (35.0..=220.0).contains(&h)
        && (0.4..=2.5).contains(&(w / h))
}

/// Stamp outlines (concentric circles are one stamp), reported with `encoding`
/// `"vector_stamp"`: the organisation's stamp, never a signature by itself.
fn stamps(strokes: &[Stroke]) -> Vec<ImageRef> {
    let mut boxes: Vec<Rect> = Vec::new();
    for s in strokes
        .iter()
        .filter(|s| stamp_outline(s))
        .take(MAX_CANDIDATES)
    {
        match boxes.iter_mut().find(|b| near(b, &s.bbox)) {
            Some(b) => *b = union(b, &s.bbox),
            None => boxes.push(s.bbox),
        }
    }
    boxes
        .into_iter()
        .take(50)
        .map(|rect| ImageRef {
            name: format!(
                "stamp outline (vector, {:.0}×{:.0} pt)",
                rect.width, rect.height
            ),
            encoding: Some("vector_stamp".into()),
            width_px: None,
            height_px: None,
            anchor: Some(Anchor::Page { rect }),
        })
        .collect()
}

/// The signature-like marks among a page's painted paths, then the stamp outlines.
pub(super) fn marks(strokes: &[Stroke]) -> Vec<ImageRef> {
    let mut out = signatures(strokes);
    out.extend(stamps(strokes));
    out
}

/// Groups of signature-like paths.
fn signatures(strokes: &[Stroke]) -> Vec<ImageRef> {
    let cands: Vec<&Stroke> = strokes
        .iter()
        .filter(|s| candidate(s))
        .take(MAX_CANDIDATES)
        .collect();
    // Groups: (box, paths, segments, slanted segments, turns, annotation subtype).
    let mut groups: Vec<(Rect, u32, u32, u32, u32, Option<String>)> = Vec::new();
    for s in cands {
        let mut g = (
            s.bbox,
            1,
            s.curves + s.lines,
            s.diagonal,
            s.turns,
            s.annotation.clone(),
        );
        // Absorb every group this one touches (repeat: a merge can bridge two groups).
        while let Some(i) = groups.iter().position(|o| near(&o.0, &g.0)) {
            let o = groups.swap_remove(i);
            g = (
                union(&o.0, &g.0),
                o.1 + g.1,
                o.2 + g.2,
                o.3 + g.3,
                o.4 + g.4,
                o.5.or(g.5),
            );
        }
        groups.push(g);
    }
    groups.sort_by(|a, b| {
        b.0.top()
            .total_cmp(&a.0.top())
            .then(a.0.x.total_cmp(&b.0.x))
    });
    groups
        .into_iter()
        .filter(|g| signature_like(g.2, g.3, g.4, &g.0))
        .map(|(rect, paths, segments, _, _, annot)| ImageRef {
            name: match annot {
                Some(a) => {
                    format!("{a} annotation: vector drawing, {paths} paths, {segments} segments")
                }
                None => format!("vector drawing, {paths} paths, {segments} segments"),
            },
            encoding: Some("vector".into()),
            width_px: None,
            height_px: None,
            anchor: Some(Anchor::Page { rect }),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(clippy::too_many_arguments)]
    fn stroke(
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        curves: u32,
        lines: u32,
        diag: u32,
        turns: u32,
    ) -> Stroke {
        Stroke {
            bbox: Rect {
                x,
                y,
                width: w,
                height: h,
            },
            curves,
            lines,
            diagonal: diag,
            turns,
            ..Stroke::default()
        }
    }

    #[test]
    fn vector_signature_strokes_are_one_mark() {
        let strokes = [
            stroke(100.0, 100.0, 120.0, 40.0, 20, 0, 18, 12),
            stroke(110.0, 95.0, 110.0, 8.0, 1, 0, 1, 0),
        ];
        let m = marks(&strokes);
        assert_eq!(m.len(), 1, "{m:?}");
        assert_eq!(m[0].encoding.as_deref(), Some("vector"));
        assert!(m[0].name.contains("2 paths, 21 segments"), "{}", m[0].name);
    }

    #[test]
    fn vector_small_initials_are_a_mark() {
        // Initials of 24 × 19 pt in a sign-in cell (48 segments, tablet ink), and smaller ones.
        for (w, h) in [(24.0, 19.0), (16.0, 11.0), (14.5, 14.0)] {
            let m = marks(&[stroke(207.0, 225.0, w, h, 40, 8, 40, 14)]);
            assert_eq!(m.len(), 1, "{w}×{h}: {m:?}");
            assert_eq!(m[0].encoding.as_deref(), Some("vector"));
        }
        // A dot-sized scribble is not.
        assert!(marks(&[stroke(207.0, 225.0, 10.0, 8.0, 40, 8, 40, 14)]).is_empty());
    }

    #[test]
    fn vector_borders_underlines_boxes_and_ticks_are_not_signatures() {
        let mut boxed = stroke(50.0, 50.0, 9.0, 9.0, 0, 4, 0, 3);
        boxed.box_like = true;
        let mut circle = stroke(300.0, 300.0, 80.0, 80.0, 4, 0, 4, 3);
        circle.box_like = true;
        let mut rect = stroke(0.0, 0.0, 500.0, 300.0, 0, 0, 0, 0);
        rect.rects = 12;
        let strokes = [
            // A table border and an underline: straight, axis-aligned.
            stroke(40.0, 400.0, 500.0, 0.0, 0, 1, 0, 0),
            stroke(40.0, 200.0, 150.0, 0.0, 0, 1, 0, 0),
            boxed,
            circle,
            rect,
            // A check mark: two slanted lines, one turn.
            stroke(60.0, 52.0, 7.0, 6.0, 0, 2, 2, 1),
        ];
        let m = marks(&strokes);
        assert!(
            m.iter()
                .all(|i| i.encoding.as_deref() == Some("vector_stamp")),
            "{m:?}"
        );
        assert_eq!(m.len(), 1, "the circle is a stamp outline: {m:?}");
    }
}
