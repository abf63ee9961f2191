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
    let mut hruns: Vec<(i32, i32, i32)> = Vec::new();
    let mut vruns: Vec<(i32, i32, i32)> = Vec::new();
    // Vertical runs are followed row by row (each column's current run), never down a column:
    // the page is read in memory order.
    let mut v_start = vec![0usize; w];
    let mut v_len = vec![0usize; w];
    for y in 0..h {
        let row = &bin.px[y * w..(y + 1) * w];
        let mut x = 0;
        while x < w {
            if row[x] == 0 {
                x += 1;
                continue;
            }
            let start = x;
            while x < w && row[x] != 0 {
                x += 1;
            }
            if x - start >= min_len {
                hruns.push((y as i32, start as i32, x as i32));
            }
        }
        for (x, &v) in row.iter().enumerate() {
            if v != 0 {
                if v_len[x] == 0 {
                    v_start[x] = y;
                }
                v_len[x] += 1;
            } else {
                if v_len[x] >= min_len {
                    vruns.push((x as i32, v_start[x] as i32, y as i32));
                }
                v_len[x] = 0;
            }
        }
    }
    for x in 0..w {
        if v_len[x] >= min_len {
            vruns.push((x as i32, v_start[x] as i32, h as i32));
        }
    }
    // Clear the rules and their ragged edges: `pad` pixels above and below a horizontal run,
    // left and right of a vertical one.
    for &(y, x0, x1) in &hruns {
        let y = y as usize;
        for yy in y.saturating_sub(pad)..(y + pad + 1).min(h) {
            bin.px[yy * w + x0 as usize..yy * w + x1 as usize].fill(0);
        }
    }
    for &(x, y0, y1) in &vruns {
        let x = x as usize;
        let (a, b) = (x.saturating_sub(pad), (x + pad + 1).min(w));
        for y in y0 as usize..y1 as usize {
            bin.px[y * w + a..y * w + b].fill(0);
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
    let alnum_of = |w: &Word| w.text.chars().filter(|c| c.is_alphanumeric()).count();
    // A bold title's letters touch ("Auto-diagnostic d'entrée" in a heavy serif): its long
    // words are one wide piece of ink each, like a signature's stroke. Such a word, read with
    // high confidence, is print when at least two other confident words of its line and height
    // are print-shaped or such words too, one of them print-shaped; a signature in a cell has
    // no such neighbours.
    let bold_candidate =
        |w: &Word| w.conf >= 90.0 && alnum_of(w) >= 6 && w.h as f32 > 1.6 * median_h;
    let shaped: Vec<bool> = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if shaped[i] || !bold_candidate(w) {
                return shaped[i];
            }
            let h = w.h as f32;
            let (mut print, mut bold) = (0, 0);
            for (j, o) in words.iter().enumerate() {
                if j == i
                    || (o.block, o.par, o.line) != (w.block, w.par, w.line)
                    || (o.h as f32) < 0.7 * h
                    || (o.h as f32) > h / 0.7
                {
                    continue;
                }
                if shaped[j] && o.conf >= 85.0 && alnum_of(o) >= 2 {
                    print += 1;
                } else if bold_candidate(o) {
                    bold += 1;
                }
            }
            print >= 1 && print + bold >= 2
        })
        .collect();
    // A large title (a form's name set in 20–28 pt over 9–11 pt body text) is up to about five
    // body heights tall: its words are print when read with high confidence and either long or
    // beside another such word of their height on their line. A signature or a handwritten
    // name is rarely read as two confident words of one height, nor as one long word.
    let title_word = |w: &Word| w.conf >= 85.0 && alnum_of(w) >= 2;
    let title: Vec<bool> = words
        .iter()
        .zip(&shaped)
        .map(|(w, &s)| {
            let h = w.h as f32;
            if !s || !title_word(w) || h <= median_h * 3.2 || h > median_h * 5.5 {
                return false;
            }
            (alnum_of(w) >= 6 && w.conf >= 90.0)
                || words.iter().any(|o| {
                    !std::ptr::eq(o, w)
                        && title_word(o)
                        && (o.block, o.par, o.line) == (w.block, w.par, w.line)
                        && (o.h as f32) >= 0.7 * h
                        && (o.h as f32) <= h / 0.7
                })
        })
        .collect();
    let sure: Vec<bool> = words
        .iter()
        .zip(&shaped)
        .zip(&title)
        .map(|((w, &s), &t)| {
            t || (s
                && alnum_of(w) >= 1
                && w.conf >= 80.0
                && (w.h as f32) <= median_h * 3.2
                && (w.h as f32) >= 0.45 * median_h)
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

/// Which components are the dots or dashes of a dotted or dashed line (a form's leader
/// "Nom : ..........", a dotted rule under a title): flat specks, each at most a letter wide,
/// at least six in a row on one level with letter-sized gaps. Tesseract reads such a line as
/// garbage and merges it with the text just above (a title comes out as "TR ee"); the
/// ruling-line finder does not see it (no long run).
pub fn dotted_line_parts(comps: &[Component], letter_h: f32, dpi: f32) -> Vec<bool> {
    // A leader's dot or dash is about a point high (small print's x-height is four or five):
    // the physical size, not the letter height, tells it from a row of small letters.
    let flat_max = ((dpi / 60.0).round().max(2.0)).min((0.35 * letter_h).max(2.0)) as i32;
    let is_flat = |c: &Component| {
        let (w, h) = (c.x1 - c.x0, c.y1 - c.y0);
        h <= flat_max && (w as f32) <= 1.5 * letter_h && w >= 1
    };
    // The dots of an i, the accents of é or è, are flat too, but a letter sits right under each
    // of them: a dot with a taller component just below it is not a leader's.
    const BUCKET: i32 = 32;
    let mut below: std::collections::HashMap<i32, Vec<usize>> = std::collections::HashMap::new();
    for (i, c) in comps.iter().enumerate() {
        if !is_flat(c) && c.y1 - c.y0 > flat_max {
            for b in c.x0.div_euclid(BUCKET)..=(c.x1 - 1).div_euclid(BUCKET) {
                below.entry(b).or_default().push(i);
            }
        }
    }
    let reach = (0.6 * letter_h).ceil() as i32;
    let over_a_letter = |d: &Component| {
        (d.x0.div_euclid(BUCKET)..=(d.x1 - 1).div_euclid(BUCKET)).any(|b| {
            below.get(&b).is_some_and(|list| {
                list.iter().any(|&j| {
                    let c = &comps[j];
                    c.x0 < d.x1 && d.x0 < c.x1 && c.y0 >= d.y0 && c.y0 <= d.y1 + reach
                })
            })
        })
    };
    // Between two dots of a leader there is paper: a letter (or a broken piece of one: serifs
    // and bars of a poor scan are flat specks too) in the gap means the specks are text.
    let band = ((0.3 * letter_h).ceil() as i32).max(2);
    let gap_is_clear = |l: &Component, r: &Component| {
        let (gx0, gx1) = (l.x1, r.x0);
        let (gy0, gy1) = (l.cy().min(r.cy()) - band, l.cy().max(r.cy()) + band);
        (gx0.div_euclid(BUCKET)..=gx1.max(gx0).div_euclid(BUCKET)).all(|b| {
            below.get(&b).is_none_or(|list| {
                !list.iter().any(|&j| {
                    let c = &comps[j];
                    c.x0 < gx1 && gx0 < c.x1 && c.y0 < gy1 && gy0 < c.y1
                })
            })
        })
    };
    let mut dots: Vec<usize> = (0..comps.len())
        .filter(|&i| is_flat(&comps[i]) && !over_a_letter(&comps[i]))
        .collect();
    dots.sort_by_key(|&i| (comps[i].cy(), comps[i].x0));
    let mut out = vec![false; comps.len()];
    let level_tol = (flat_max / 2).max(1);
    let max_gap = 1.5 * letter_h;
    // Group by level (centre rows within tolerance), then chain along x; a leader's dots are
    // evenly spaced and of one size.
    let mut start = 0;
    while start < dots.len() {
        let mut end = start + 1;
        while end < dots.len() && comps[dots[end]].cy() - comps[dots[end - 1]].cy() <= level_tol {
            end += 1;
        }
        let mut level: Vec<usize> = dots[start..end].to_vec();
        level.sort_by_key(|&i| comps[i].x0);
        let mut a = 0;
        while a < level.len() {
            let mut b = a + 1;
            while b < level.len()
                && ((comps[level[b]].x0 - comps[level[b - 1]].x1) as f32) <= max_gap
                && gap_is_clear(&comps[level[b - 1]], &comps[level[b]])
            {
                b += 1;
            }
            if b - a >= 6 && regular(&level[a..b], comps) {
                level[a..b].iter().for_each(|&i| out[i] = true);
            }
            a = b;
        }
        start = end;
    }
    out
}

/// Whether a chain of dots is evenly spaced and of one size (a leader, not scattered specks).
fn regular(chain: &[usize], comps: &[Component]) -> bool {
    let mut gaps: Vec<i32> = chain
        .windows(2)
        .map(|p| comps[p[1]].x0 - comps[p[0]].x0)
        .collect();
    let mut widths: Vec<i32> = chain.iter().map(|&i| comps[i].x1 - comps[i].x0).collect();
    gaps.sort_unstable();
    widths.sort_unstable();
    let (g_mid, w_mid) = (gaps[gaps.len() / 2], widths[widths.len() / 2]);
    // Most pitches within a third of the median (a dot lost to binarisation doubles one).
    let even = gaps
        .iter()
        .filter(|&&g| (g - g_mid).abs() * 3 <= g_mid + 3)
        .count();
    let alike = widths
        .iter()
        .filter(|&&w| (w - w_mid).abs() * 2 <= w_mid + 3)
        .count();
    // A long chain may follow a pattern (dots grouped in dashes: two pitches).
    (even * 4 >= gaps.len() * 3 || chain.len() >= 12) && alike * 4 >= widths.len() * 3
}

/// How sure we are that a blob is handwriting.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Verdict {
    Ink,
    Uncertain,
    /// A little ink (a dot, a dash, residue) inside a cell of the rule grid: never a signature by
    /// itself, reported so that the cell's measure and the page's empty-cell level are known.
    Trace,
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
    /// Length of the pen strokes, in heights of the page's printed letters (see
    /// [`stroke_length`]): the measure the attendance grid compares between cells.
    pub measure: f32,
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

/// Sauvola's local threshold (T = m·(1 + k·(s/128 − 1)) over a window of about `window`
/// pixels) on a light-normalised page, where paper is near 255: 1 = dark. The mean and deviation
/// are taken per block of a quarter window and over the 5×5 blocks around, interpolated between
/// block centres: one pass over the pixels and a small grid, whatever the page size. Pixels
/// lighter than `paper` are never dark (flat paper, JPEG noise).
pub fn sauvola(g: &Gray, window: usize, k: f32, paper: u8) -> Bitmap {
    let b = (window / 4).max(2);
    let (bw, bh) = (g.w.div_ceil(b).max(1), g.h.div_ceil(b).max(1));
    let mut s1 = vec![0f64; bw * bh];
    let mut s2 = vec![0f64; bw * bh];
    let mut n = vec![0f64; bw * bh];
    for y in 0..g.h {
        let by = y / b;
        for (x, &v) in g.px[y * g.w..(y + 1) * g.w].iter().enumerate() {
            let i = by * bw + x / b;
            let v = v as f64;
            s1[i] += v;
            s2[i] += v * v;
            n[i] += 1.0;
        }
    }
    let mut t = vec![0f32; bw * bh];
    for by in 0..bh {
        for bx in 0..bw {
            let (mut a1, mut a2, mut an) = (0f64, 0f64, 0f64);
            for ny in by.saturating_sub(2)..(by + 3).min(bh) {
                for nx in bx.saturating_sub(2)..(bx + 3).min(bw) {
                    let i = ny * bw + nx;
                    a1 += s1[i];
                    a2 += s2[i];
                    an += n[i];
                }
            }
            let m = a1 / an.max(1.0);
            let sd = (a2 / an.max(1.0) - m * m).max(0.0).sqrt();
            t[by * bw + bx] = (m * (1.0 + k as f64 * (sd / 128.0 - 1.0))) as f32;
        }
    }
    let mut out = Bitmap {
        w: g.w,
        h: g.h,
        px: vec![0; g.w * g.h],
    };
    let centre = |p: usize, len: usize| -> (usize, usize, f32) {
        let f = (p as f32 + 0.5) / b as f32 - 0.5;
        let i0 = (f.floor().max(0.0) as usize).min(len - 1);
        let i1 = (i0 + 1).min(len - 1);
        (i0, i1, (f - i0 as f32).clamp(0.0, 1.0))
    };
    // Pixels a little lighter than the threshold (up to `LOOSE` grey levels) count when they
    // touch dark ones (hysteresis, a few steps): a faint stroke stays one stroke instead of
    // breaking into specks.
    const LOOSE: f32 = 10.0;
    let mut loose = vec![false; g.w * g.h];
    for y in 0..g.h {
        let (y0, y1, ty) = centre(y, bh);
        for x in 0..g.w {
            let v = g.px[y * g.w + x];
            if v >= paper {
                continue;
            }
            let (x0, x1, tx) = centre(x, bw);
            let top = t[y0 * bw + x0] * (1.0 - tx) + t[y0 * bw + x1] * tx;
            let bot = t[y1 * bw + x0] * (1.0 - tx) + t[y1 * bw + x1] * tx;
            let th = top * (1.0 - ty) + bot * ty;
            if (v as f32) < th {
                out.px[y * g.w + x] = 1;
            } else if (v as f32) < th + LOOSE {
                loose[y * g.w + x] = true;
            }
        }
    }
    for _ in 0..3 {
        let mut grown = Vec::new();
        for y in 0..g.h {
            for x in 0..g.w {
                if !loose[y * g.w + x] {
                    continue;
                }
                let touches = (y.saturating_sub(1)..(y + 2).min(g.h)).any(|yy| {
                    (x.saturating_sub(1)..(x + 2).min(g.w)).any(|xx| out.px[yy * g.w + xx] != 0)
                });
                if touches {
                    grown.push(y * g.w + x);
                }
            }
        }
        if grown.is_empty() {
            break;
        }
        for i in grown {
            out.px[i] = 1;
            loose[i] = false;
        }
    }
    out
}

/// The length of the pen strokes drawn in a box, in pixels, whatever their width: a stroke of
/// length L at angle θ crosses L·|sin θ| rows and L·|cos θ| columns, so the rows' and columns'
/// runs of dark pixels add up to about 1.27·L (averaged over angles).
pub fn stroke_length(bin: &Bitmap, x0: i32, y0: i32, x1: i32, y1: i32) -> f32 {
    let (x0, y0) = (x0.max(0) as usize, y0.max(0) as usize);
    let (x1, y1) = (
        (x1.max(0) as usize).min(bin.w),
        (y1.max(0) as usize).min(bin.h),
    );
    if x0 >= x1 || y0 >= y1 {
        return 0.0;
    }
    let mut runs = 0usize;
    for y in y0..y1 {
        let mut prev = false;
        for x in x0..x1 {
            let d = bin.at(x, y);
            runs += (d && !prev) as usize;
            prev = d;
        }
    }
    for x in x0..x1 {
        let mut prev = false;
        for y in y0..y1 {
            let d = bin.at(x, y);
            runs += (d && !prev) as usize;
            prev = d;
        }
    }
    runs as f32 / 1.27
}

/// Whether a component is a punched hole (a filled, round disc a few millimetres wide) or a
/// shadow touching the image's border: whitened before OCR (tesseract turns them into junk
/// letters and loses the words next to them) and never handwriting.
pub fn is_hole_or_border(c: &Component, dpi: f32, w: usize, h: usize) -> bool {
    let (cw, ch) = ((c.x1 - c.x0) as f32, (c.y1 - c.y0) as f32);
    let density = c.mass as f32 / (cw * ch).max(1.0);
    // A filled disc covers π/4 of its box; bold letters, even run together, much less.
    let round =
        cw.min(ch) >= 0.15 * dpi && cw.max(ch) <= 1.3 * cw.min(ch) && cw.max(ch) <= 0.5 * dpi;
    if round && density > 0.68 {
        return true;
    }
    let touches = c.x0 <= 1 || c.y0 <= 1 || c.x1 as usize >= w - 1 || c.y1 as usize >= h - 1;
    let edge = (0.3 * dpi) as i32;
    let (cx, cy) = (c.cx(), c.cy());
    touches && (cx < edge || cy < edge || cx > w as i32 - edge || cy > h as i32 - edge)
}

/// Whether a residual component is not handwriting whatever its size: a punched hole (a filled,
/// round disc), something at the very edge of the image (scanner shadow, the sheet's border), or
/// residue of a ruling line (a thin sliver along a rule).
pub fn is_margin_or_residue(c: &Component, rules: &Rules, dpi: f32, w: usize, h: usize) -> bool {
    let (cw, ch) = ((c.x1 - c.x0) as f32, (c.y1 - c.y0) as f32);
    if is_hole_or_border(c, dpi, w, h) {
        return true;
    }
    let edge = (0.2 * dpi) as i32;
    let (cx, cy) = (c.cx(), c.cy());
    if cx < edge || cy < edge || cx > w as i32 - edge || cy > h as i32 - edge {
        return true;
    }
    let near = (0.02 * dpi).max(2.0);
    let thin = (0.025 * dpi).max(2.0);
    let along_h = ch <= thin
        && cw >= 2.0 * ch
        && rules.horizontal.iter().any(|r| {
            (r.pos as f32 - (c.y0 + c.y1) as f32 / 2.0).abs() <= near + ch
                && c.x0 >= r.a - 4
                && c.x1 <= r.b + 4
        });
    let along_v = cw <= thin
        && ch >= 2.0 * cw
        && rules.vertical.iter().any(|r| {
            (r.pos as f32 - (c.x0 + c.x1) as f32 / 2.0).abs() <= near + cw
                && c.y0 >= r.a - 4
                && c.y1 <= r.b + 4
        });
    along_h || along_v
}

/// Physical thresholds, at 200 dpi (scaled by the page's resolution).
const SPECK_MASS: f32 = 40.0;
const UNCERTAIN_MASS: f32 = 80.0;
const INK_MASS: f32 = 200.0;
const INK_EXTENT: f32 = 45.0;
/// Smallest stroke length (in letter heights) reported as a trace.
const TRACE_MEASURE: f32 = 0.15;

/// Groups the residual components into blobs and judges each.
pub fn blobs(
    comps: &[Component],
    rules: &Rules,
    dpi: f32,
    page_area: f32,
    residual: &Bitmap,
    letter_h: f32,
) -> Vec<Blob> {
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
        .filter(|c| (c.mass as f32) >= (SPECK_MASS * area_k * 0.1).max(4.0))
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
        let measure = stroke_length(residual, g.x0, g.y0, g.x1, g.y1) / letter_h.max(4.0);
        let in_cell = {
            let (above, left) = cell_key(rules, (g.x0 + g.x1) / 2, (g.y0 + g.y1) / 2, tol);
            above >= 0 && left >= 0
        };
        let verdict = if mass >= ink && extent >= INK_EXTENT * k {
            Verdict::Ink
        } else if mass >= uncertain && extent >= INK_EXTENT * k * 0.4 {
            Verdict::Uncertain
        } else if in_cell && measure >= TRACE_MEASURE {
            Verdict::Trace
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
            measure,
        });
    }
    out.sort_by(|a, b| a.y0.cmp(&b.y0).then(a.x0.cmp(&b.x0)));
    out
}

/// What the signature cells of one grid on a scanned page say about each other: the page's own
/// empty-cell level and signed-cell level of ink (stroke length in printed-letter heights), and
/// the split between them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CellLevels {
    /// Typical ink of an empty cell on this page (noise, JPEG artefacts, ruling residue).
    pub empty: f32,
    /// Typical ink of a signed cell on this page.
    pub signed: f32,
    /// The split: a cell is signed above it, empty below it (with an uncertain band around it).
    pub split: f32,
    /// Whether both levels were measured on the page (else one comes from the defaults).
    pub measured: bool,
}

/// A cell's decision against its page's levels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CellInk {
    Signed,
    Empty,
    Uncertain,
}

/// Defaults used when a page shows only one population of cells (all signed, or all empty).
const DEFAULT_EMPTY: f32 = 0.0;
const DEFAULT_SIGNED: f32 = 6.0;
/// Largest ink an empty cell may hold, and smallest a signed cell may, in letter heights: a
/// cluster beyond these is not what it claims to be.
const EMPTY_MAX: f32 = 1.2;
const SIGNED_MIN: f32 = 1.5;
/// Fraction of the gap between the levels, on each side of the split, left uncertain.
const UNCERTAIN_BAND: f32 = 0.08;

fn median(v: &[f32]) -> f32 {
    if v.is_empty() {
        return 0.0;
    }
    let mut s = v.to_vec();
    s.sort_by(f32::total_cmp);
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

/// Robust spread (1.4826 × median absolute deviation), at least `floor`.
fn spread(v: &[f32], floor: f32) -> f32 {
    let m = median(v);
    let dev: Vec<f32> = v.iter().map(|x| (x - m).abs()).collect();
    (1.4826 * median(&dev)).max(floor)
}

/// Judges the cells of one grid against each other. Measures are compared in log space
/// (ln(1 + m)), where a faint signature and a bold one are closer than an empty cell and a faint
/// signature: the cells are split in two where the between-cluster variance is largest (Otsu's
/// criterion in one dimension); the lower cluster's median is the page's empty level and the
/// upper one's its signed level, each with its robust spread. When the cells do not fall into
/// two clusters (every cell signed, or none), the missing level is the default. The split lies
/// between the levels in proportion to their spreads; a cell within a narrow band around it, or
/// not clearly above the empty level's noise, is uncertain. Returns the levels and, per cell,
/// the decision and its margin (distance to the split over the gap between levels, in log
/// space: +0.5 = at the signed level, −0.5 = at the empty level).
pub fn judge_cells(measures: &[f32]) -> (CellLevels, Vec<(CellInk, f32)>) {
    let lx = |m: f32| m.max(0.0).ln_1p();
    let xs: Vec<f32> = measures.iter().map(|&m| lx(m)).collect();
    let mut sorted = xs.clone();
    sorted.sort_by(f32::total_cmp);
    let n = sorted.len();
    // Otsu's split of the sorted values.
    let mut best: Option<(usize, f32)> = None;
    if n >= 2 {
        let total: f32 = sorted.iter().sum();
        let mut left = 0f32;
        for i in 1..n {
            left += sorted[i - 1];
            let (n1, n2) = (i as f32, (n - i) as f32);
            let (m1, m2) = (left / n1, (total - left) / n2);
            let between = n1 * n2 * (m1 - m2) * (m1 - m2);
            if best.is_none_or(|(_, b)| between > b) {
                best = Some((i, between));
            }
        }
    }
    let (lo, hi): (&[f32], &[f32]) = match best {
        Some((i, _)) => (&sorted[..i], &sorted[i..]),
        None => (&sorted[..], &[]),
    };
    let two = !lo.is_empty()
        && !hi.is_empty()
        && median(lo) <= lx(EMPTY_MAX)
        && median(hi) >= lx(SIGNED_MIN)
        && median(hi) - median(lo) >= 0.6;
    let (e, se, s, ss, measured) = if two {
        (
            median(lo),
            spread(lo, 0.08),
            median(hi),
            spread(hi, 0.15),
            true,
        )
    } else if median(&sorted) >= lx(SIGNED_MIN) {
        (
            lx(DEFAULT_EMPTY),
            0.12,
            median(&sorted),
            spread(&sorted, 0.15),
            false,
        )
    } else {
        (
            median(&sorted),
            spread(&sorted, 0.08),
            lx(DEFAULT_SIGNED),
            0.4,
            false,
        )
    };
    let gap = (s - e).max(0.3);
    let t = e + gap * se / (se + ss);
    // Not clearly above the empty cells' own noise: never signed.
    let floor = e + 3.0 * se;
    let decisions = xs
        .iter()
        .map(|&x| {
            let margin = (x - t) / gap;
            let d = if margin >= UNCERTAIN_BAND && x >= floor {
                CellInk::Signed
            } else if margin <= -UNCERTAIN_BAND || x <= floor {
                CellInk::Empty
            } else {
                CellInk::Uncertain
            };
            (d, margin)
        })
        .collect();
    let back = |x: f32| x.exp_m1();
    (
        CellLevels {
            empty: back(e),
            signed: back(s),
            split: back(t),
            measured,
        },
        decisions,
    )
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
    fn sauvola_finds_a_faint_stroke_that_a_global_threshold_misses() {
        // Paper at 250 with light noise, a bold printed bar (40) and a faint pen line (215).
        let (w, h) = (200, 100);
        let mut g = Gray::new(w, h, 250);
        for (i, v) in g.px.iter_mut().enumerate() {
            *v = 250 - (i * 7 % 5) as u8;
        }
        for x in 20..60 {
            for y in 20..30 {
                g.px[y * w + x] = 40;
            }
        }
        for x in 100..180 {
            g.px[60 * w + x] = 215;
            g.px[61 * w + x] = 222;
        }
        let otsu = Bitmap::threshold(&g, threshold_of(&g));
        assert_eq!(
            otsu.px[60 * w + 140],
            0,
            "the global threshold loses the faint line"
        );
        let b = sauvola(&g, 50, 0.12, 236);
        assert_eq!(b.px[60 * w + 140], 1);
        assert_eq!(b.px[25 * w + 40], 1);
        // Paper noise stays paper.
        let dark_paper = (0..h)
            .flat_map(|y| (0..w).map(move |x| (x, y)))
            .filter(|&(x, y)| {
                !(18..32).contains(&y) && !(58..64).contains(&y) && b.px[y * w + x] != 0
            })
            .count();
        assert_eq!(dark_paper, 0);
    }

    #[test]
    fn stroke_length_ignores_stroke_width() {
        let mut thin = bitmap(200, 60);
        let mut thick = bitmap(200, 60);
        line(&mut thin, (20, 30), (139, 30));
        line(&mut thick, (20, 28), (139, 33));
        let (a, b) = (
            stroke_length(&thin, 0, 0, 200, 60),
            stroke_length(&thick, 0, 0, 200, 60),
        );
        // A horizontal stroke: 120 columns crossed, plus one run per row.
        assert!((a - 121.0 / 1.27).abs() < 1.0, "{a}");
        assert!((b - a).abs() / a < 0.06, "{a} {b}");
        assert_eq!(stroke_length(&thin, 300, 0, 400, 60), 0.0);
    }

    #[test]
    fn holes_and_border_shadows_are_not_ink() {
        let c = |x0, y0, x1, y1, mass| Component {
            x0,
            y0,
            x1,
            y1,
            mass,
        };
        // A 6 mm hole at 200 dpi: a filled disc of 48 px.
        assert!(is_hole_or_border(
            &c(60, 500, 108, 548, 1800),
            200.0,
            1654,
            2339
        ));
        // A bold letter of the same size is not filled like a disc.
        assert!(!is_hole_or_border(
            &c(600, 500, 640, 548, 900),
            200.0,
            1654,
            2339
        ));
        // A shadow along the left edge.
        assert!(is_hole_or_border(
            &c(0, 10, 20, 2300, 30000),
            200.0,
            1654,
            2339
        ));
        // A signature in the middle of the page.
        assert!(!is_hole_or_border(
            &c(700, 900, 900, 960, 1500),
            200.0,
            1654,
            2339
        ));
    }

    #[test]
    fn cells_are_judged_against_each_other() {
        // Empty cells with a little noise, signed cells from initials to full signatures.
        let m = [
            0.0, 0.2, 0.1, 0.0, 0.3, 5.5, 12.0, 8.0, 20.0, 6.5, 9.0, 15.0,
        ];
        let (levels, d) = judge_cells(&m);
        assert!(levels.measured, "{levels:?}");
        assert!(levels.empty < 0.3 && levels.signed > 8.0, "{levels:?}");
        let signed = d.iter().filter(|(c, _)| *c == CellInk::Signed).count();
        let empty = d.iter().filter(|(c, _)| *c == CellInk::Empty).count();
        assert_eq!((signed, empty), (7, 5), "{d:?}");
        // Every cell signed: no empty cluster, the empty level is the default.
        let (levels, d) = judge_cells(&[6.0, 9.0, 14.0, 7.5, 22.0]);
        assert!(!levels.measured);
        assert!(d.iter().all(|(c, _)| *c == CellInk::Signed), "{d:?}");
        // Nothing signed: noise alone is never a signature.
        let (_, d) = judge_cells(&[0.0, 0.4, 0.2, 0.0, 0.6, 0.1]);
        assert!(d.iter().all(|(c, _)| *c == CellInk::Empty), "{d:?}");
        // A cell halfway between the page's levels is uncertain, not guessed.
        let (_, d) = judge_cells(&[0.0, 0.1, 0.0, 0.2, 12.0, 10.0, 14.0, 11.0, 2.6]);
        assert_eq!(d[8].0, CellInk::Uncertain, "{d:?}");
        assert!(judge_cells(&[]).1.is_empty());
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
    fn rules_touching_the_page_edges_are_found_and_cleared() {
        // A vertical rule running off the bottom, a horizontal one off the right edge.
        let mut b = bitmap(200, 150);
        line(&mut b, (60, 20), (61, 149));
        line(&mut b, (0, 10), (199, 11));
        let rules = remove_rules(&mut b, 80, 1);
        assert_eq!(rules.vertical.len(), 1, "{rules:?}");
        assert_eq!((rules.vertical[0].a, rules.vertical[0].b), (20, 150));
        assert_eq!(rules.horizontal.len(), 1, "{rules:?}");
        assert!(b.px.iter().all(|&v| v == 0), "every rule pixel cleared");
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
        let bin = bitmap(1000, 1000);
        let b = blobs(&comps, &rules, 200.0, 1_000_000.0, &bin, 20.0);
        assert_eq!(b.len(), 2, "{b:?}");
        assert_eq!((b[0].x0, b[0].x1, b[0].verdict), (200, 295, Verdict::Ink));
        assert_eq!(b[1].verdict, Verdict::Uncertain);
    }

    #[test]
    fn dotted_leaders_are_found_and_periods_are_not() {
        let c = |x0, y0, w, h| Component {
            x0,
            y0,
            x1: x0 + w,
            y1: y0 + h,
            mass: (w * h) as u32,
        };
        let mut comps: Vec<Component> = (0..12).map(|k| c(100 + 9 * k, 300, 4, 2)).collect();
        // a dotted line drifting by one pixel (skew)
        comps.extend((0..8).map(|k| c(100 + 12 * k, 500 + k / 4, 6, 2)));
        // letters and a sentence's periods
        comps.push(c(100, 200, 12, 20));
        comps.push(c(300, 218, 3, 3));
        comps.push(c(600, 218, 3, 3));
        // five dots: too few for a leader
        comps.extend((0..5).map(|k| c(100 + 9 * k, 700, 4, 2)));
        // the dots and accents of a word ("activité"), each over its letter
        for k in 0..8 {
            comps.push(c(100 + 11 * k, 900, 3, 3));
            comps.push(c(100 + 11 * k, 906, 4, 14));
        }
        // broken serifs and bars at the foot of a line of letters
        for k in 0..8 {
            comps.push(c(100 + 12 * k, 1316, 4, 2));
            comps.push(c(106 + 12 * k, 1300, 5, 16));
        }
        // dots grouped by four (a dash-dot pattern)
        comps.extend((0..16).map(|k| c(100 + 3 * k + 13 * (k / 4), 1700, 2, 2)));
        // a line of small print (x-height a third of the page's letters)
        comps.extend((0..12).map(|k| c(100 + 8 * k, 1500, 6, 7)));
        // specks of uneven sizes and spacing
        for (x, w) in [
            (100, 2),
            (107, 9),
            (130, 3),
            (136, 2),
            (160, 8),
            (166, 2),
            (190, 3),
        ] {
            comps.push(c(x, 1100, w, 2));
        }
        let d = dotted_line_parts(&comps, 20.0, 200.0);
        let pattern = d.len() - 12 - 16 - 7;
        assert!(d[..20].iter().all(|&x| x), "{d:?}");
        assert!(d[pattern..pattern + 16].iter().all(|&x| x), "{d:?}");
        assert!(d[20..pattern].iter().all(|&x| !x), "{d:?}");
        assert!(d[pattern + 16..].iter().all(|&x| !x), "{d:?}");
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
            w(1100, 35, 93.0, "CD"),     // a cursive stroke read as letters
            w(1200, 6, 79.0, "f"),       // a speck
            w(1300, 90, 96.0, "Grille"), // a large title: two confident words of one height
            w(1400, 86, 95.0, "d'évaluation"),
            Word {
                line: 2,
                ..w(2000, 92, 97.0, "Brun") // one short confident word that tall, alone on its line: not a title
            },
            w(2100, 130, 96.0, "Questionnaire"), // over five body heights: not a title
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
            Some((40, 90)),
            Some((40, 86)),
            Some((40, 92)),
            Some((40, 130)),
        ];
        let p = printed_words(&words, 22.0, &pieces);
        assert_eq!(
            p,
            vec![
                true, true, false, true, false, false, false, false, false, true, true, false,
                false
            ]
        );
    }

    /// Regression (class: bold title words with touching letters): in a heavy serif title
    /// ("Auto-diagnostic d'entrée en formation", about twice the body height) the long words are
    /// one wide piece of ink each; with confident neighbours of their height they are print. The
    /// same wide piece, confidently read but alone in a cell (a signature), is not.
    #[test]
    fn bold_title_words_with_touching_letters_are_print() {
        let w = |x, line, text: &str| Word {
            block: 1,
            par: 1,
            line,
            x,
            y: 100 * line as i32,
            w: 200,
            h: 48,
            conf: 93.0,
            text: text.into(),
        };
        let words = vec![
            w(0, 1, "Auto-diagnostic"),
            w(420, 1, "d'entrée"),
            Word {
                h: 30, // no ascender: shorter than its line's other words
                ..w(640, 1, "en")
            },
            w(720, 1, "formation"),
            w(0, 2, "Dominique"),
            w(300, 2, "Lambert"),
        ];
        // Touching letters: pieces far wider than the word is tall.
        let wide = Some((190, 50));
        let pieces = vec![wide, Some((40, 48)), Some((30, 36)), wide, wide, wide];
        let p = printed_words(&words, 22.0, &pieces);
        // "formation" touches too: the two long words vouch for each other beside "d'entrée".
        assert_eq!(p, vec![true, true, true, true, false, false]);
    }
}
