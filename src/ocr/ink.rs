//! Ink on a scanned page: binarisation, skew, ruling lines, printed text, and the handwriting
//! that remains.
//!
//! Owns the pixel-level judgement of "something was written here by hand": the page is
//! binarised (after light normalisation), its ruling lines (long straight runs) and its printed
//! words (confident OCR boxes of ordinary text height) are removed, and the remaining dark
//! pixels are grouped into blobs, one per table cell or per nearby cluster. Each blob is then
//! measured against the page's own noise (the specks found on the sheet) and physical sizes:
//! signed ink, uncertain, or dropped. It knows nothing of what a cell or a zone means (that is
//! the signature analysis' job); it only reports where ink is.

use super::engine::Word;
use super::raster::Gray;

/// A binary page: 1 = dark.
pub struct Bitmap {
    pub w: usize,
    pub h: usize,
    pub px: Vec<u8>,
}

impl Bitmap {
    pub fn threshold(g: &Gray, t: u8) -> Bitmap {
        Bitmap {
            w: g.w,
            h: g.h,
            px: g.px.iter().map(|&v| (v <= t) as u8).collect(),
        }
    }
    #[inline]
    fn at(&self, x: usize, y: usize) -> bool {
        self.px[y * self.w + x] != 0
    }
}

/// The binarisation threshold of a light-normalised page: Otsu's, kept within sane bounds
/// (paper is near 255 after normalisation).
pub fn threshold_of(norm: &Gray) -> u8 {
    norm.otsu().clamp(110, 190)
}

/// The skew of the page's text lines and rules, in degrees (positive: lines descend to the
/// right, y down), within ±3°.
pub fn estimate_skew(bin: &Bitmap) -> f32 {
    // Dark points, subsampled to at most ~60k.
    let total = bin.px.iter().filter(|&&v| v != 0).count();
    if total < 200 {
        return 0.0;
    }
    let step = (total / 60_000).max(1);
    let mut pts: Vec<(f32, f32)> = Vec::with_capacity(total / step + 1);
    let mut k = 0usize;
    for y in 0..bin.h {
        for x in 0..bin.w {
            if bin.at(x, y) {
                if k.is_multiple_of(step) {
                    pts.push((x as f32, y as f32));
                }
                k += 1;
            }
        }
    }
    let rows = bin.h + 2 * bin.w / 10 + 8;
    let offset = (bin.w / 10 + 4) as f32;
    let mut hist = vec![0u32; rows];
    let mut score = |deg: f32, bin_px: f32| -> f64 {
        hist.iter_mut().for_each(|v| *v = 0);
        let t = deg.to_radians().tan();
        for &(x, y) in &pts {
            let r = ((y - t * x) / bin_px + offset).round();
            if r >= 0.0 && (r as usize) < rows {
                hist[r as usize] += 1;
            }
        }
        hist.iter().map(|&c| (c as f64) * (c as f64)).sum()
    };
    let mut best = (0.0f32, f64::MIN);
    let mut a = -3.0f32;
    while a <= 3.0 {
        let s = score(a, 2.0);
        if s > best.1 {
            best = (a, s);
        }
        a += 0.1;
    }
    let coarse = best.0;
    let mut a = coarse - 0.12;
    while a <= coarse + 0.12 {
        let s = score(a, 1.0);
        if s > best.1 {
            best = (a, s);
        }
        a += 0.02;
    }
    best.0
}

/// A ruling line: horizontal (`pos` = y, from `a` to `b` in x) or vertical (`pos` = x, `a`..`b`
/// in y), in pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rule {
    pub pos: i32,
    pub a: i32,
    pub b: i32,
}

#[derive(Default, Debug)]
pub struct Rules {
    pub horizontal: Vec<Rule>,
    pub vertical: Vec<Rule>,
}

/// Finds straight runs of at least `min_len` dark pixels (horizontal and vertical), groups them
/// into rules, and clears them (with `pad` pixels of their ragged edges) from `bin`.
pub fn remove_rules(bin: &mut Bitmap, min_len: usize, pad: usize) -> Rules {
    let (w, h) = (bin.w, bin.h);
    let mut hmask = vec![false; w * h];
    let mut vmask = vec![false; w * h];
    let mut hruns: Vec<(i32, i32, i32)> = Vec::new();
    for y in 0..h {
        let mut x = 0;
        while x < w {
            if !bin.at(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < w && bin.at(x, y) {
                x += 1;
            }
            if x - start >= min_len {
                hmask[y * w + start..y * w + x]
                    .iter_mut()
                    .for_each(|m| *m = true);
                hruns.push((y as i32, start as i32, x as i32));
            }
        }
    }
    let mut vruns: Vec<(i32, i32, i32)> = Vec::new();
    for x in 0..w {
        let mut y = 0;
        while y < h {
            if !bin.at(x, y) {
                y += 1;
                continue;
            }
            let start = y;
            while y < h && bin.at(x, y) {
                y += 1;
            }
            if y - start >= min_len {
                for yy in start..y {
                    vmask[yy * w + x] = true;
                }
                vruns.push((x as i32, start as i32, y as i32));
            }
        }
    }
    // Clear the rules and their ragged edges.
    for y in 0..h {
        for x in 0..w {
            let i = y * w + x;
            if hmask[i] {
                for yy in y.saturating_sub(pad)..(y + pad + 1).min(h) {
                    bin.px[yy * w + x] = 0;
                }
            }
            if vmask[i] {
                for xx in x.saturating_sub(pad)..(x + pad + 1).min(w) {
                    bin.px[y * w + xx] = 0;
                }
            }
        }
    }
    Rules {
        horizontal: group_runs(hruns),
        vertical: group_runs(vruns),
    }
}

/// Merges runs on neighbouring lines that overlap into one rule each.
fn group_runs(mut runs: Vec<(i32, i32, i32)>) -> Vec<Rule> {
    runs.sort_unstable();
    let mut rules: Vec<(Rule, i32, i32)> = Vec::new(); // rule, first pos, last pos
    for (pos, a, b) in runs {
        let found = rules.iter_mut().rev().take(64).find(|(r, _, last)| {
            pos - *last <= 2
                && a < r.b
                && b > r.a
                && (a.max(r.a) - a.min(r.a)) < (b - a).max(r.b - r.a) / 2 + 8
        });
        match found {
            Some((r, _, last)) => {
                r.a = r.a.min(a);
                r.b = r.b.max(b);
                *last = pos;
            }
            None => rules.push((Rule { pos, a, b }, pos, pos)),
        }
    }
    rules
        .into_iter()
        .map(|(mut r, first, last)| {
            r.pos = (first + last) / 2;
            r
        })
        .collect()
}

/// The median height of confidently read words (printed body text), at least 1.
pub fn median_text_height(words: &[Word]) -> f32 {
    let mut hs: Vec<i32> = words
        .iter()
        .filter(|w| w.conf >= 80.0 && w.text.chars().filter(|c| c.is_alphanumeric()).count() >= 2)
        .map(|w| w.h)
        .collect();
    if hs.is_empty() {
        return 20.0;
    }
    hs.sort_unstable();
    hs[hs.len() / 2].max(1) as f32
}

/// Whether a word is shaped like print: of text height and made of letter-sized pieces of ink
/// (`pieces`: the largest width and height of the components lying inside its box; printed
/// letters are separate small components, cursive handwriting is long connected strokes).
fn letter_like(w: &Word, median_h: f32, pieces: Option<(i32, i32)>) -> bool {
    let alnum = w.text.chars().filter(|c| c.is_alphanumeric()).count();
    let h = w.h as f32;
    // Titles are larger than body text: judge their pieces against their own height.
    let ref_h = if w.conf >= 85.0 && alnum >= 2 {
        median_h.max(h)
    } else {
        median_h
    };
    // Touching letters (bold print, blur) make wide pieces of text height; loops and strokes of
    // handwriting rise above it.
    match pieces {
        Some((pw, ph)) => {
            let (pw, ph) = (pw as f32, ph as f32);
            ph <= 1.4 * ref_h && (pw <= 1.7 * ref_h || (w.conf >= 75.0 && ph <= 1.15 * median_h))
        }
        None => true,
    }
}

/// Which words are printed text (to be kept as text, and removed before looking for
/// handwriting). A word is printed when it is shaped like print and either read with high
/// confidence, or long enough and read with fair confidence, or sitting next to confidently read
/// words of its own line (tesseract is unsure of some printed words of a poor scan). Tiny marks
/// read as letters, and scribbles read as short words, are not.
pub fn printed_words(words: &[Word], median_h: f32, pieces: &[Option<(i32, i32)>]) -> Vec<bool> {
    let shaped: Vec<bool> = words
        .iter()
        .zip(pieces)
        .map(|(w, p)| letter_like(w, median_h, *p))
        .collect();
    let sure: Vec<bool> = words
        .iter()
        .zip(&shaped)
        .map(|(w, &s)| {
            let alnum = w.text.chars().filter(|c| c.is_alphanumeric()).count();
            s && alnum >= 1
                && w.conf >= 80.0
                && (w.h as f32) <= median_h * 3.2
                && (w.h as f32) >= 0.45 * median_h
        })
        .collect();
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if !shaped[i] {
                return false;
            }
            let alnum = w.text.chars().filter(|c| c.is_alphanumeric()).count();
            let h = w.h as f32;
            if alnum == 0 {
                // punctuation of a printed line (":", "—", "/") is small
                return w.conf >= 60.0 && h <= median_h * 1.3 && (w.w as f32) <= median_h * 2.0;
            }
            if sure[i] {
                return true;
            }
            if h < 0.45 * median_h || h > 1.6 * median_h {
                return false;
            }
            let near_sure = words.iter().enumerate().any(|(j, o)| {
                j != i
                    && sure[j]
                    && (o.block, o.par, o.line) == (w.block, w.par, w.line)
                    && (o.x - w.right()).max(w.x - o.right()) as f32 <= 3.0 * median_h
            });
            (w.conf >= 50.0 && alnum >= 4) || (w.conf >= 30.0 && alnum >= 2 && near_sure)
        })
        .collect()
}

/// The largest width and height of the ink pieces inside a word's box (`None`: no piece).
pub type Pieces = Option<(i32, i32)>;

/// For each word, the largest width and height among the components lying (mostly) inside its
/// box, and which components those are.
pub fn pieces_of(words: &[Word], comps: &[Component]) -> (Vec<Pieces>, Vec<Vec<usize>>) {
    let mut out = Vec::with_capacity(words.len());
    let mut inside_lists = Vec::with_capacity(words.len());
    for w in words {
        let (x0, y0, x1, y1) = (w.x - 2, w.y - 2, w.right() + 2, w.bottom() + 2);
        let mut best: Option<(i32, i32)> = None;
        let mut inside = Vec::new();
        for (i, c) in comps.iter().enumerate() {
            if c.x1 <= x0 || c.x0 >= x1 || c.y1 <= y0 || c.y0 >= y1 {
                continue;
            }
            let ix = (c.x1.min(x1) - c.x0.max(x0)).max(0) as i64;
            let iy = (c.y1.min(y1) - c.y0.max(y0)).max(0) as i64;
            let area = ((c.x1 - c.x0) as i64 * (c.y1 - c.y0) as i64).max(1);
            if ix * iy * 10 >= area * 6 {
                inside.push(i);
                let (cw, ch) = (c.x1 - c.x0, c.y1 - c.y0);
                best = Some(best.map_or((cw, ch), |(bw, bh)| (bw.max(cw), bh.max(ch))));
            }
        }
        out.push(best);
        inside_lists.push(inside);
    }
    (out, inside_lists)
}

/// A connected group of dark pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Component {
    pub x0: i32,
    pub y0: i32,
    pub x1: i32,
    pub y1: i32,
    pub mass: u32,
}

impl Component {
    fn merge(&mut self, o: &Component) {
        self.x0 = self.x0.min(o.x0);
        self.y0 = self.y0.min(o.y0);
        self.x1 = self.x1.max(o.x1);
        self.y1 = self.y1.max(o.y1);
        self.mass += o.mass;
    }
    fn cx(&self) -> i32 {
        (self.x0 + self.x1) / 2
    }
    fn cy(&self) -> i32 {
        (self.y0 + self.y1) / 2
    }
}

fn find(parent: &mut [u32], mut i: u32) -> u32 {
    while parent[i as usize] != i {
        parent[i as usize] = parent[parent[i as usize] as usize];
        i = parent[i as usize];
    }
    i
}

/// Connected components and the runs of pixels that make them.
pub struct Labelled {
    /// Largest first.
    pub comps: Vec<Component>,
    /// (y, x0, x1 exclusive, index in `comps` or `u32::MAX` for components beyond the limit).
    pub runs: Vec<(u32, u32, u32, u32)>,
}

/// 8-connected components (by runs), at most `max` (the largest kept).
pub fn components(bin: &Bitmap, max: usize) -> Labelled {
    let mut runs: Vec<(usize, usize, usize)> = Vec::new(); // y, x0, x1 (exclusive)
    let mut row_start = vec![0usize; bin.h + 1];
    for (y, start) in row_start.iter_mut().enumerate().take(bin.h) {
        *start = runs.len();
        let mut x = 0;
        while x < bin.w {
            if !bin.at(x, y) {
                x += 1;
                continue;
            }
            let s = x;
            while x < bin.w && bin.at(x, y) {
                x += 1;
            }
            runs.push((y, s, x));
        }
    }
    row_start[bin.h] = runs.len();
    let mut parent: Vec<u32> = (0..runs.len() as u32).collect();
    for y in 1..bin.h {
        let (prev, cur) = (
            (row_start[y - 1], row_start[y]),
            (row_start[y], row_start[y + 1]),
        );
        let mut j = prev.0;
        for i in cur.0..cur.1 {
            let (_, a, b) = runs[i];
            while j < prev.1 && runs[j].2 < a {
                j += 1;
            }
            let mut k = j;
            while k < prev.1 && runs[k].1 <= b {
                let (ri, rk) = (find(&mut parent, i as u32), find(&mut parent, k as u32));
                if ri != rk {
                    parent[ri.max(rk) as usize] = ri.min(rk);
                }
                k += 1;
            }
        }
    }
    let mut by_root: std::collections::HashMap<u32, Component> = std::collections::HashMap::new();
    let mut roots = Vec::with_capacity(runs.len());
    for (i, &(y, a, b)) in runs.iter().enumerate() {
        let r = find(&mut parent, i as u32);
        roots.push(r);
        let c = Component {
            x0: a as i32,
            y0: y as i32,
            x1: b as i32,
            y1: y as i32 + 1,
            mass: (b - a) as u32,
        };
        by_root.entry(r).and_modify(|e| e.merge(&c)).or_insert(c);
    }
    let mut all: Vec<(u32, Component)> = by_root.into_iter().collect();
    all.sort_by(|(_, a), (_, b)| {
        b.mass
            .cmp(&a.mass)
            .then(a.y0.cmp(&b.y0))
            .then(a.x0.cmp(&b.x0))
    });
    all.truncate(max);
    let index: std::collections::HashMap<u32, u32> = all
        .iter()
        .enumerate()
        .map(|(i, (root, _))| (*root, i as u32))
        .collect();
    let labelled_runs = runs
        .iter()
        .zip(&roots)
        .map(|(&(y, a, b), r)| {
            (
                y as u32,
                a as u32,
                b as u32,
                index.get(r).copied().unwrap_or(u32::MAX),
            )
        })
        .collect();
    Labelled {
        comps: all.into_iter().map(|(_, c)| c).collect(),
        runs: labelled_runs,
    }
}

/// The height of printed letters on the page (capitals and ascenders): a high quantile of the
/// heights of letter-sized components.
pub fn letter_height(comps: &[Component], dpi: f32) -> f32 {
    let (lo, hi) = ((dpi / 40.0).max(4.0) as i32, (dpi / 4.0) as i32);
    let mut hs: Vec<i32> = comps
        .iter()
        .map(|c| (c.x1 - c.x0, c.y1 - c.y0))
        .filter(|&(w, h)| h >= lo && h <= hi && w <= 2 * h && w * 6 >= h)
        .map(|(_, h)| h)
        .collect();
    if hs.len() < 20 {
        return dpi / 10.0;
    }
    hs.sort_unstable();
    hs[hs.len() * 3 / 4] as f32
}

/// Whether a component is too large or too sprawling to be a printed letter (or a word of
/// touching letters): handwriting, a stamp's frame, a drawing.
pub fn is_unprinted_shape(c: &Component, letter_h: f32) -> bool {
    let (w, h) = ((c.x1 - c.x0) as f32, (c.y1 - c.y0) as f32);
    let density = c.mass as f32 / (w * h).max(1.0);
    // Pen strokes are thin lines across their box; printed glyphs, even large bold title letters
    // run together, fill theirs.
    let dense = density > 0.3;
    let tall = h > 1.6 * letter_h
        && (w > 2.2 * letter_h || h > 2.6 * letter_h)
        && (!dense || h > 3.5 * letter_h);
    // Wider than a few letters: a stroke, unless it is a dense run of touching printed letters.
    let long = w > 3.0 * letter_h
        && !(h <= 1.15 * letter_h && density > 0.35)
        && !(dense && h <= 3.5 * letter_h);
    tall || long
}

/// How sure we are that a blob is handwriting.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Verdict {
    Ink,
    Uncertain,
}

/// A cluster of handwriting (or stamp) in one cell or region, in pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct Blob {
    pub x0: i32,
    pub y0: i32,
    pub x1: i32,
    pub y1: i32,
    pub mass: u32,
    pub verdict: Verdict,
}

/// The cell of the rule grid a point lies in: (rule above, rule to the left), -1 when none.
fn cell_key(rules: &Rules, x: i32, y: i32, tol: i32) -> (i32, i32) {
    let above = rules
        .horizontal
        .iter()
        .filter(|r| r.pos < y && r.a - tol <= x && x <= r.b + tol)
        .map(|r| r.pos)
        .max()
        .unwrap_or(-1);
    let left = rules
        .vertical
        .iter()
        .filter(|r| r.pos < x && r.a - tol <= y && y <= r.b + tol)
        .map(|r| r.pos)
        .max()
        .unwrap_or(-1);
    (above, left)
}

/// Physical thresholds, at 200 dpi (scaled by the page's resolution).
const SPECK_MASS: f32 = 40.0;
const UNCERTAIN_MASS: f32 = 80.0;
const INK_MASS: f32 = 200.0;
const INK_EXTENT: f32 = 45.0;

/// Groups the residual components into blobs and judges each.
pub fn blobs(comps: &[Component], rules: &Rules, dpi: f32, page_area: f32) -> Vec<Blob> {
    let k = dpi / 200.0;
    let area_k = k * k;
    // The sheet's own noise: specks per pixel of page.
    let speck_mass: f32 = comps
        .iter()
        .filter(|c| (c.mass as f32) < SPECK_MASS * area_k)
        .map(|c| c.mass as f32)
        .sum();
    let noise_density = speck_mass / page_area.max(1.0);
    let kept: Vec<&Component> = comps
        .iter()
        .filter(|c| (c.mass as f32) >= SPECK_MASS * area_k * 0.5)
        .collect();
    let (gx, gy) = ((0.22 * dpi) as i32, (0.12 * dpi) as i32);
    let tol = (0.05 * dpi) as i32;
    let keys: Vec<(i32, i32)> = kept
        .iter()
        .map(|c| cell_key(rules, c.cx(), c.cy(), tol))
        .collect();
    let n = kept.len();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    for i in 0..n {
        for j in i + 1..n {
            if keys[i] != keys[j] {
                continue;
            }
            let (a, b) = (kept[i], kept[j]);
            let dx = (a.x0.max(b.x0) - a.x1.min(b.x1)).max(0);
            let dy = (a.y0.max(b.y0) - a.y1.min(b.y1)).max(0);
            if dx <= gx && dy <= gy {
                let (ri, rj) = (find(&mut parent, i as u32), find(&mut parent, j as u32));
                if ri != rj {
                    parent[ri.max(rj) as usize] = ri.min(rj);
                }
            }
        }
    }
    let mut groups: std::collections::BTreeMap<u32, Component> = std::collections::BTreeMap::new();
    for (i, c) in kept.iter().enumerate() {
        let r = find(&mut parent, i as u32);
        groups.entry(r).and_modify(|g| g.merge(c)).or_insert(**c);
    }
    let mut out = Vec::new();
    for g in groups.into_values() {
        let mass = g.mass as f32;
        let extent = ((g.x1 - g.x0).max(g.y1 - g.y0)) as f32;
        let expected_noise = noise_density * ((g.x1 - g.x0) * (g.y1 - g.y0)) as f32;
        let ink = INK_MASS * area_k + 4.0 * expected_noise;
        let uncertain = UNCERTAIN_MASS * area_k + 2.0 * expected_noise;
        let verdict = if mass >= ink && extent >= INK_EXTENT * k {
            Verdict::Ink
        } else if mass >= uncertain && extent >= INK_EXTENT * k * 0.4 {
            Verdict::Uncertain
        } else {
            continue;
        };
        out.push(Blob {
            x0: g.x0,
            y0: g.y0,
            x1: g.x1,
            y1: g.y1,
            mass: g.mass,
            verdict,
        });
    }
    out.sort_by(|a, b| a.y0.cmp(&b.y0).then(a.x0.cmp(&b.x0)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bitmap(w: usize, h: usize) -> Bitmap {
        Bitmap {
            w,
            h,
            px: vec![0; w * h],
        }
    }

    fn line(b: &mut Bitmap, (x0, y0): (usize, usize), (x1, y1): (usize, usize)) {
        for y in y0..=y1 {
            for x in x0..=x1 {
                b.px[y * b.w + x] = 1;
            }
        }
    }

    #[test]
    fn skew_is_measured() {
        let mut b = bitmap(600, 400);
        for row in 0..8 {
            for x in 20..580 {
                // lines descending 1 px every 100 px (0.57°)
                let y = 40 + row * 40 + x / 100;
                b.px[y * 600 + x] = 1;
            }
        }
        let s = estimate_skew(&b);
        assert!((s - 0.57).abs() < 0.08, "{s}");
    }

    #[test]
    fn rules_are_found_and_cleared_text_is_kept() {
        let mut b = bitmap(300, 200);
        line(&mut b, (10, 50), (290, 51));
        line(&mut b, (10, 150), (290, 152));
        line(&mut b, (100, 40), (101, 160));
        line(&mut b, (30, 80), (40, 95)); // a blob of "ink"
        let rules = remove_rules(&mut b, 80, 1);
        assert_eq!(rules.horizontal.len(), 2, "{rules:?}");
        assert_eq!(rules.vertical.len(), 1);
        assert_eq!(rules.vertical[0].pos, 100);
        let comps = components(&b, 100).comps;
        assert_eq!(comps.len(), 1, "{comps:?}");
        assert_eq!(comps[0].mass, 11 * 16);
        assert_eq!(cell_key(&rules, 35, 90, 5), (50, -1));
        assert_eq!(cell_key(&rules, 150, 90, 5), (50, 100));
    }

    #[test]
    fn blobs_merge_within_a_cell_not_across_rules() {
        let rules = Rules {
            horizontal: vec![Rule {
                pos: 100,
                a: 0,
                b: 1000,
            }],
            vertical: vec![Rule {
                pos: 300,
                a: 0,
                b: 1000,
            }],
        };
        let c = |x0, y0, x1, y1, mass| Component {
            x0,
            y0,
            x1,
            y1,
            mass,
        };
        let comps = vec![
            c(200, 120, 260, 150, 300),
            c(270, 125, 295, 150, 200), // same cell, close: merged → ink
            c(305, 120, 330, 150, 200), // across the vertical rule: alone → uncertain
            c(500, 500, 503, 503, 9),   // a speck
        ];
        let b = blobs(&comps, &rules, 200.0, 1_000_000.0);
        assert_eq!(b.len(), 2, "{b:?}");
        assert_eq!((b[0].x0, b[0].x1, b[0].verdict), (200, 295, Verdict::Ink));
        assert_eq!(b[1].verdict, Verdict::Uncertain);
    }

    #[test]
    fn printed_words_are_told_from_scribbles() {
        let w = |x, h, conf: f32, text: &str| Word {
            block: 1,
            par: 1,
            line: 1,
            x,
            y: 0,
            w: 50,
            h,
            conf,
            text: text.into(),
        };
        let letters = Some((18, 22));
        let words = vec![
            w(0, 22, 96.0, "Parc,"),
            w(60, 24, 42.0, "Lyon"), // printed, unsure, next to sure words
            w(600, 20, 62.0, "nav"), // a scribble read as a short word, far away
            w(3000, 44, 90.0, "d'émargement"), // a title
            w(800, 49, 43.0, "Ouoses,"), // tall junk
            w(900, 50, 78.0, "th"),
            w(1000, 81, 87.0, "|"),
            w(1100, 35, 93.0, "CD"), // a cursive stroke read as letters
            w(1200, 6, 79.0, "f"),   // a speck
        ];
        let pieces = vec![
            letters,
            letters,
            letters,
            Some((30, 44)),
            letters,
            letters,
            letters,
            Some((120, 35)),
            Some((3, 6)),
        ];
        let p = printed_words(&words, 22.0, &pieces);
        assert_eq!(
            p,
            vec![true, true, false, true, false, false, false, false, false]
        );
    }
}
