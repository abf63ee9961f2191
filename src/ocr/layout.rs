//! OCR words → the page's text lines and positioned spans, in the page's coordinate system.
//!
//! Owns the text geometry of scanned pages: which words to keep (printed text; OCR "words" read
//! inside handwriting are dropped), lines in tesseract's reading order, a line split into spans
//! at ruling lines and wide gaps (table cells, as the PDF layout does), each span's baseline
//! and font size estimated from its words' boxes, and the mapping from image pixels to page
//! units. It must not judge signatures.

use super::engine::Word;
use super::ink::{Blob, Rules};
use crate::model::TextSpan;

/// Maps image pixels (y down) to page units (y up).
#[derive(Clone, Copy, Debug)]
pub struct ToPage {
    pub x0: f32,
    pub y_top: f32,
    pub sx: f32,
    pub sy: f32,
}

impl ToPage {
    pub fn x(&self, px: f32) -> f32 {
        self.x0 + px * self.sx
    }
    pub fn y(&self, py: f32) -> f32 {
        self.y_top - py * self.sy
    }
}

/// Whether a word is made of digits and date separators only (a date or a piece of one);
/// a handwritten 0 read as the letter O counts as a digit beside other digits ("O5/").
pub fn date_piece(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '/' | '.' | '-' | 'O' | 'o'))
        && text.chars().any(|c| c.is_ascii_digit())
}

/// A date piece with its letters O read as the digits they are.
fn date_digits(text: &str) -> String {
    text.replace(['O', 'o'], "0")
}

/// A handwritten 1 is a single stroke: tesseract reads it as a bracket, a bar or a letter l/I
/// ("{5/11/2024", "l0/O9/2025").
fn one_like(c: char) -> bool {
    matches!(c, '{' | '}' | '(' | ')' | '[' | ']' | '|' | 'l' | 'I' | '!')
}

/// A lone narrow stroke ("fl", "il", "|" for a handwritten 1 with its flag): letters that a
/// single digit stroke is read as, in a box at most half as wide as it is tall.
fn single_stroke(w: &Word) -> bool {
    !w.text.is_empty()
        && w.text.chars().count() <= 2
        && w.text
            .chars()
            .all(|c| one_like(c) || matches!(c, 'f' | 't' | 'i' | 'j'))
        && w.w * 2 <= w.h
}

/// Whether a word can be a piece of a handwritten date once its misread digits are repaired.
fn loose_date_piece(w: &Word) -> bool {
    single_stroke(w)
        || (!w.text.is_empty()
            && w.text.chars().all(|c| {
                c.is_ascii_digit() || matches!(c, '/' | '.' | '-' | 'O' | 'o') || one_like(c)
            }))
}

/// The digits a handwritten date piece stands for (O → 0, one-like strokes → 1).
fn repaired_digits(w: &Word) -> String {
    if single_stroke(w) {
        return "1".into();
    }
    w.text
        .chars()
        .map(|c| match c {
            'O' | 'o' => '0',
            c if one_like(c) => '1',
            c => c,
        })
        .collect()
}

/// Whether glued pieces make a whole numeric date ("15/11/2024", "09.10.25").
fn whole_date(s: &str) -> bool {
    let s = s.trim_end_matches(['.', '-', '/']);
    let parts: Vec<&str> = s.split(['/', '.', '-']).collect();
    parts.len() == 3
        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))
        && (1..=2).contains(&parts[0].len())
        && (1..=2).contains(&parts[1].len())
        && matches!(parts[2].len(), 2 | 4)
        && s.chars().filter(|c| matches!(c, '/' | '.' | '-')).count() == 2
}

/// Handwritten dates on one line (words sorted left to right): runs of adjacent words that,
/// glued and repaired, make a whole date. Tesseract cuts handwritten dates at the wide gaps
/// between digits ("0" "9/" "1" "0/2" "025") and reads a 1 as "{" or "|"; no piece alone says
/// it is a date, the run does. A run of pieces that makes no date is left alone (a SIRET's
/// digit groups).
pub fn date_runs(line: &[&Word], median_h: f32) -> Vec<std::ops::Range<usize>> {
    let fits = |w: &Word| {
        loose_date_piece(w)
            && w.conf >= 30.0
            && (w.h as f32) <= median_h * 3.0
            && (w.h as f32) >= median_h * 0.5
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < line.len() {
        if !fits(line[i]) {
            i += 1;
            continue;
        }
        // The maximal run of touching pieces from i.
        let mut end = i + 1;
        while end < line.len()
            && fits(line[end])
            && ((line[end].x - line[end - 1].right()) as f32)
                <= 0.6 * line[end].h.max(line[end - 1].h) as f32
        {
            end += 1;
        }
        // Its longest sub-runs that are dates, left to right.
        let mut a = i;
        while a < end {
            let found = (a + 1..=end).rev().find(|&b| {
                let glued: String = line[a..b].iter().map(|w| repaired_digits(w)).collect();
                let conf = line[a..b].iter().map(|w| w.conf).sum::<f32>() / (b - a) as f32;
                conf >= 50.0 && whole_date(&glued)
            });
            match found {
                Some(b) => {
                    out.push(a..b);
                    a = b;
                }
                None => a += 1,
            }
        }
        i = end;
    }
    out
}

/// Keeps the words of handwritten dates ([`date_runs`]) that the per-word test dropped.
pub fn keep_date_runs(words: &[Word], keep: &mut [bool], median_h: f32) {
    let mut order: Vec<usize> = (0..words.len()).collect();
    order.sort_by_key(|&i| (words[i].block, words[i].par, words[i].line, words[i].x));
    for line in order.chunk_by(|&a, &b| {
        (words[a].block, words[a].par, words[a].line)
            == (words[b].block, words[b].par, words[b].line)
    }) {
        let ws: Vec<&Word> = line.iter().map(|&i| &words[i]).collect();
        for run in date_runs(&ws, median_h) {
            for &i in &line[run] {
                keep[i] = true;
            }
        }
    }
}

/// Whether an OCR word is noise read inside handwriting or a stray mark.
pub fn is_junk(w: &Word, printed: bool, blobs: &[Blob], median_h: f32) -> bool {
    if printed {
        return false;
    }
    // A handwritten date ("Rempli le : 17/09/2025") is handwriting, but it is what the
    // document says: digits read with fair confidence are kept, over ink too (a signature is
    // not read as digits and slashes).
    if date_piece(&w.text) {
        // Digits (an O among them is a 0): what is not a separator.
        let digits = w
            .text
            .chars()
            .filter(|c| !matches!(c, '/' | '.' | '-'))
            .count();
        let separated = digits < w.text.chars().count();
        if (w.conf >= 50.0 || (w.conf >= 35.0 && separated && digits >= 2))
            && (digits >= 3 || (digits >= 2 && separated))
            && (w.h as f32) <= median_h * 3.0
            && (w.h as f32) >= median_h * 0.6
        {
            return false;
        }
    }
    let alnum = w.text.chars().filter(|c| c.is_alphanumeric()).count();
    if alnum < 2 || w.conf < 80.0 || (w.h as f32) > median_h * 2.2 || (w.h as f32) < median_h * 0.45
    {
        return true;
    }
    let area = (w.w.max(1) * w.h.max(1)) as f32;
    blobs.iter().any(|b| {
        let ix = (w.right().min(b.x1) - w.x.max(b.x0)).max(0);
        let iy = (w.bottom().min(b.y1) - w.y.max(b.y0)).max(0);
        (ix * iy) as f32 >= 0.3 * area
    })
}

/// Letters that reach below the baseline.
fn has_descender(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(
            c,
            'g' | 'j'
                | 'p'
                | 'q'
                | 'y'
                | 'ç'
                | ','
                | ';'
                | '('
                | ')'
                | '['
                | ']'
                | '{'
                | '}'
                | '|'
                | '/'
                | 'Q'
                | '@'
                | '_'
        )
    })
}

/// Letters that reach the cap height.
fn has_ascender(s: &str) -> bool {
    s.chars().any(|c| {
        c.is_uppercase()
            || c.is_ascii_digit()
            || matches!(
                c,
                'b' | 'd'
                    | 'f'
                    | 'h'
                    | 'k'
                    | 'l'
                    | 't'
                    | 'é'
                    | 'è'
                    | 'à'
                    | 'ê'
                    | 'â'
                    | 'î'
                    | 'ô'
                    | 'û'
            )
    })
}

fn median(mut v: Vec<f32>) -> Option<f32> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f32::total_cmp);
    Some(v[v.len() / 2])
}

/// The page's text (one line per OCR line, spans separated by tabs) and its spans.
pub fn lay_out(
    words: &[Word],
    keep: &[bool],
    rules: &Rules,
    map: &ToPage,
) -> (String, Vec<TextSpan>) {
    // Lines in tesseract's reading order.
    let mut lines: Vec<Vec<&Word>> = Vec::new();
    let mut last_key = None;
    for (w, _) in words.iter().zip(keep).filter(|(_, k)| **k) {
        let key = (w.block, w.par, w.line);
        if last_key != Some(key) {
            lines.push(Vec::new());
            last_key = Some(key);
        }
        if let Some(l) = lines.last_mut() {
            l.push(w);
        }
    }
    let mut text = String::new();
    let mut spans = Vec::new();
    for mut line in lines {
        line.sort_by_key(|w| w.x);
        let bottoms_plain: Vec<f32> = line
            .iter()
            .filter(|w| !has_descender(&w.text))
            .map(|w| w.bottom() as f32)
            .collect();
        let hs: Vec<f32> = line.iter().map(|w| w.h as f32).collect();
        let median_h = median(hs).unwrap_or(10.0);
        let baseline = median(bottoms_plain).unwrap_or_else(|| {
            median(line.iter().map(|w| w.bottom() as f32).collect()).unwrap_or(0.0)
                - 0.22 * median_h
        });
        let caps: Vec<f32> = line
            .iter()
            .filter(|w| has_ascender(&w.text))
            .map(|w| (baseline - w.y as f32) / 0.72)
            .collect();
        let font_px = median(caps).unwrap_or(median_h / 0.72 * 0.75).max(4.0);
        let centre = baseline - font_px * 0.35;
        // Split at rules and wide gaps.
        let mut groups: Vec<Vec<&Word>> = Vec::new();
        for w in line {
            let split = match groups.last().and_then(|g| g.last()) {
                Some(prev) => {
                    let gap = (w.x - prev.right()) as f32;
                    gap > 1.2 * font_px
                        || rules.vertical.iter().any(|r| {
                            r.pos > prev.right() - 2
                                && r.pos < w.x + 2
                                && (r.a as f32) < centre
                                && (r.b as f32) > centre
                        })
                }
                None => true,
            };
            if split {
                groups.push(Vec::new());
            }
            if let Some(g) = groups.last_mut() {
                g.push(w);
            }
        }
        let mut parts = Vec::new();
        for g in groups {
            let (Some(first), Some(last)) = (g.first(), g.last()) else {
                continue;
            };
            // Handwritten digits are spaced wider than print: tesseract cuts a date in pieces
            // ("15/05/2 025", "09/1 0/2 025"); the pieces of one date are glued and repaired.
            let runs = date_runs(&g, median_h);
            let run_of = |i: usize| runs.iter().position(|r| r.contains(&i));
            let mut s = String::new();
            for (i, w) in g.iter().enumerate() {
                let run = run_of(i);
                let glued = i > 0 && run.is_some() && run == run_of(i - 1);
                if i > 0 && !glued {
                    s.push(' ');
                }
                if run.is_some() {
                    s.push_str(&repaired_digits(w));
                } else if date_piece(&w.text) {
                    s.push_str(&date_digits(&w.text));
                } else {
                    s.push_str(&w.text);
                }
            }
            let x = map.x(first.x as f32);
            spans.push(TextSpan {
                x,
                y: map.y(baseline),
                width: (map.x(last.right() as f32) - x).max(0.0),
                font_size: (font_px * map.sy).max(1.0),
                text: s.clone(),
            });
            parts.push(s);
        }
        if !parts.is_empty() {
            text.push_str(&parts.join("\t"));
            text.push('\n');
        }
    }
    (text, spans)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::ink::Rule;

    fn word(line: u32, x: i32, y: i32, w: i32, h: i32, text: &str) -> Word {
        Word {
            block: 1,
            par: 1,
            line,
            x,
            y,
            w,
            h,
            conf: 95.0,
            text: text.into(),
        }
    }

    #[test]
    fn spans_split_at_rules_and_gaps_baseline_ignores_descenders() {
        let words = vec![
            word(1, 100, 100, 60, 20, "Matin"),
            word(1, 300, 100, 110, 26, "Après-midi"),
            word(2, 100, 200, 40, 20, "Jean"),
            word(2, 146, 200, 60, 20, "Dupont"),
            word(2, 230, 200, 60, 20, "Absent"),
        ];
        let keep = vec![true; words.len()];
        let rules = Rules {
            horizontal: vec![],
            vertical: vec![Rule {
                pos: 220,
                a: 0,
                b: 1000,
            }],
        };
        let map = ToPage {
            x0: 0.0,
            y_top: 1000.0,
            sx: 0.5,
            sy: 0.5,
        };
        let (text, spans) = lay_out(&words, &keep, &rules, &map);
        assert_eq!(text, "Matin\tAprès-midi\nJean Dupont\tAbsent\n");
        assert_eq!(spans.len(), 4);
        assert_eq!(spans[0].y, spans[1].y, "one baseline per line");
        assert_eq!(spans[0].y, 1000.0 - 120.0 * 0.5);
        assert_eq!(spans[2].text, "Jean Dupont");
        assert_eq!(spans[2].x, 50.0);
        assert!((spans[2].font_size - 20.0 / 0.72 * 0.5).abs() < 0.1);
    }

    /// Regression (class: handwritten answer dates on scanned forms): a date written by hand,
    /// read by tesseract in pieces or over the ink of the handwriting, stays one date.
    #[test]
    fn handwritten_dates_are_kept_and_glued() {
        let blob = Blob {
            x0: 280,
            y0: 90,
            x1: 500,
            y1: 130,
            mass: 900,
            verdict: super::super::ink::Verdict::Ink,
            measure: 12.0,
        };
        let mut words = vec![
            word(1, 100, 100, 80, 20, "Rempli"),
            word(1, 186, 100, 20, 20, "le"),
            word(1, 210, 104, 4, 12, ":"),
            word(1, 297, 92, 124, 32, "22/O5/2"),
            word(1, 425, 92, 58, 29, "025"),
            word(2, 100, 200, 40, 20, "SIRET"),
            word(2, 150, 200, 30, 20, "834"),
            word(2, 186, 200, 30, 20, "100"),
        ];
        words[3].conf = 38.0;
        words[4].conf = 84.0;
        let keep: Vec<bool> = words
            .iter()
            .map(|w| {
                w.y > 150 || w.x < 250 || !is_junk(w, false, std::slice::from_ref(&blob), 20.0)
            })
            .collect();
        assert!(keep.iter().all(|k| *k), "{keep:?}");
        let map = ToPage {
            x0: 0.0,
            y_top: 1000.0,
            sx: 0.5,
            sy: 0.5,
        };
        let (text, _) = lay_out(&words, &keep, &Rules::default(), &map);
        assert_eq!(text, "Rempli le :\t22/05/2025\nSIRET 834 100\n");
        // a signature read as a short number is still junk
        let mut scrawl = word(1, 300, 95, 40, 30, "7");
        scrawl.conf = 60.0;
        assert!(is_junk(&scrawl, false, std::slice::from_ref(&blob), 20.0));
    }

    /// Regression (class: handwritten dates cut into one-digit pieces or with a 1 read as a
    /// bracket or a letter): "0" "9/" "fl" "0/2" "025" over the handwriting's ink is one date
    /// (the flagged 1 a narrow stroke read "fl"), "{5/11/2024"
    /// is 15/11/2024; digit groups that make no date stay apart and dropped as before.
    #[test]
    fn handwritten_dates_in_single_digit_pieces_or_with_a_bracket_for_one() {
        let blob = Blob {
            x0: 500,
            y0: 680,
            x1: 800,
            y1: 750,
            mass: 900,
            verdict: super::super::ink::Verdict::Ink,
            measure: 12.0,
        };
        let mut words = vec![
            word(1, 264, 703, 171, 36, "Completed"),
            word(1, 447, 713, 37, 19, "on"),
            word(1, 498, 713, 5, 19, ":"),
            word(1, 519, 692, 30, 44, "0"),
            word(1, 555, 692, 47, 47, "9/"),
            word(1, 594, 688, 22, 60, "fl"),
            word(1, 621, 692, 76, 47, "0/2"),
            word(1, 704, 692, 87, 44, "025"),
            word(2, 176, 800, 88, 26, "Rempli"),
            word(2, 274, 800, 20, 20, "le"),
            word(2, 306, 806, 3, 13, ":"),
            word(2, 321, 793, 159, 32, "{5/11/2024"),
            word(3, 100, 900, 30, 40, "7"),
            word(3, 134, 900, 30, 40, "12"),
        ];
        words[3].conf = 60.3;
        words[5].conf = 33.9;
        words[11].conf = 85.0;
        words[12].conf = 60.0;
        words[13].conf = 60.0;
        // The second date is handwriting too: its own ink.
        let blobs = [
            blob.clone(),
            Blob {
                x0: 310,
                y0: 785,
                x1: 490,
                y1: 830,
                ..blob
            },
        ];
        let mut keep: Vec<bool> = words
            .iter()
            .map(|w| {
                (w.conf >= 80.0 && w.text.chars().any(|c| c.is_alphabetic() && c != 'O'))
                    || w.text == ":"
                    || !is_junk(w, false, &blobs, 27.0)
            })
            .collect();
        assert!(!keep[3] && !keep[4] && !keep[5] && !keep[11] && !keep[12]);
        keep_date_runs(&words, &mut keep, 27.0);
        assert!(keep[3..8].iter().all(|k| *k), "{keep:?}");
        assert!(keep[11]);
        assert!(!keep[12] && !keep[13], "7 12 is no date");
        let map = ToPage {
            x0: 0.0,
            y_top: 1000.0,
            sx: 0.5,
            sy: 0.5,
        };
        let (text, _) = lay_out(&words, &keep, &Rules::default(), &map);
        assert_eq!(text, "Completed on : 09/10/2025\nRempli le : 15/11/2024\n");
    }

    #[test]
    fn junk_words_in_handwriting_are_dropped() {
        let blob = Blob {
            x0: 0,
            y0: 0,
            x1: 100,
            y1: 60,
            mass: 900,
            verdict: super::super::ink::Verdict::Ink,
            measure: 12.0,
        };
        let mut w = word(1, 10, 10, 40, 30, "WU");
        w.conf = 85.0;
        assert!(is_junk(&w, false, std::slice::from_ref(&blob), 22.0));
        assert!(!is_junk(&w, true, std::slice::from_ref(&blob), 22.0));
        let mut far = w.clone();
        far.x = 500;
        assert!(!is_junk(&far, false, std::slice::from_ref(&blob), 22.0));
        far.conf = 10.0;
        assert!(is_junk(&far, false, &[], 22.0));
    }
}
