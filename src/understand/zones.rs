//! Signature zones of born-digital documents: where a party is asked to sign, and whether a
//! handwritten mark (an image, a signature drawn as vector paths, an ink annotation) sits there.
//!
//! Owns the zone vocabulary (`signature_zones.toml`: parties, leads, articles, fillers, generic
//! words, acceptance formulas, in French and English) and the geometry of zones:
//! - PDF pages (and OCR-laid-out scans): label lines of one block (a label wrapped over several
//!   lines, "Pour le client" / name / "Cachet et signature") are one zone; a zone is the region
//!   below and beside its label, up to the next label below it and the next block beside it; a
//!   mark whose centre lies in that region signs it (nearest label above wins).
//! - Word / ODT / spreadsheets: a label in a table cell opens a zone over the cells below it in
//!   its column (a label wrapped over two cells is one zone) up to the next label, and over the
//!   empty cells on its right; an image anchored in a paragraph signs the label at or just before
//!   it (a label wrapped over two paragraphs included).
//!
//! Every zone carries what was found in it (mark names and sizes) or where it was looked for,
//! so that `preuves explain` shows why. It must not decide a document's status: that is
//! `signature::analyse`, which also says which marks are not signatures (logos, scans).

use super::normalize::normalize_line;
use crate::model::{Anchor, ImageRef, Page, Rect, Table, TextSpan};
use regex::Regex;
use serde::Deserialize;
use std::sync::LazyLock;

/// How a label names a zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelClass {
    /// A party that must sign: "Pour l'organisme de formation", "Signature du stagiaire",
    /// "La responsable pédagogique", "Bon pour accord", "For the training provider".
    Party,
    /// A call for a signature naming nobody: "Signature :", "Date et cachet".
    Generic,
    /// Names a signatory without asking for a signature ("Directeur", "Responsable qualité",
    /// "Isabelle Moreau, gérante"): a mark under it counts, an empty one is not a missing
    /// signature.
    Weak,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    /// The label as read (normalised, trailing colon dropped), e.g. "pour l'organisme de
    /// formation".
    pub text: String,
    pub class: LabelClass,
}

/// One zone and what it holds.
#[derive(Clone, Debug)]
pub struct Zone {
    pub label: String,
    pub class: LabelClass,
    pub page: Option<u32>,
    /// The marks found in it ("image Im4 (200×80 px, 150×55 pt)", "vector drawing, 3 paths,
    /// 42 segments (150×50 pt)", "ink annotation…").
    pub marks: Vec<String>,
    /// Methods of the marks (`image_in_signature_zone`, `drawing_in_signature_zone`,
    /// `ink_annotation_in_signature_zone`), parallel to `marks`.
    pub methods: Vec<&'static str>,
    /// Where the zone was looked for, for an empty zone ("below and beside the label, x 300–550,
    /// y 180–372; nearest mark Im1, 120 pt away").
    pub looked: String,
    /// Stamps found in it (evidence of the organisation's stamp, not a signature).
    pub stamps: Vec<String>,
}

#[derive(Default, Debug)]
pub struct Zones {
    pub signed: Vec<Zone>,
    pub empty: Vec<Zone>,
    /// Marks ignored as not signatures (a header logo, a full-page scan), for the evidence.
    pub ignored: Vec<(String, Option<u32>)>,
}

#[derive(Deserialize)]
struct Vocabulary {
    version: u32,
    parties: Vec<String>,
    leads: Vec<String>,
    articles: Vec<String>,
    fillers: Vec<String>,
    generic: Vec<String>,
    acceptance: Vec<String>,
    titles: Vec<String>,
}

struct Vocab {
    parties: Vec<Vec<String>>,
    leads: Vec<Vec<String>>,
    articles: Vec<String>,
    fillers: Vec<String>,
    generic: Vec<Vec<String>>,
    acceptance: Vec<Vec<String>>,
    titles: Vec<String>,
}

/// Leads that ask for a signature (the others are connectors).
const STRONG_LEADS: [&str; 12] = [
    "signature",
    "signatures",
    "cachet",
    "visa",
    "tampon",
    "pour",
    "for",
    "on",
    "signed",
    "stamp",
    "seal",
    "approval",
];

static VOCAB: LazyLock<Vocab> = LazyLock::new(|| {
    let v: Vocabulary = toml::from_str(include_str!("signature_zones.toml"))
        .unwrap_or_else(|e| panic!("src/understand/signature_zones.toml is invalid: {e}"));
    let split = |list: Vec<String>| -> Vec<Vec<String>> {
        let mut out: Vec<Vec<String>> = list.iter().map(|p| tokens(p)).collect();
        // Longest first: "organisme de formation" before "organisme".
        out.sort_by_key(|p| std::cmp::Reverse(p.len()));
        out
    };
    let _ = v.version;
    Vocab {
        parties: split(v.parties),
        leads: split(v.leads),
        articles: v.articles,
        fillers: v.fillers,
        generic: split(v.generic),
        acceptance: split(v.acceptance),
        titles: v.titles,
    }
});

/// Version of the zone vocabulary (`signature_zones.toml`), for reports that name it.
pub fn vocabulary_version() -> u32 {
    toml::from_str::<Vocabulary>(include_str!("signature_zones.toml"))
        .map(|v| v.version)
        .unwrap_or(0)
}

/// Inclusive and alternative forms folded: "le/la", "le ou la", "(e)", "(s)", "·trice", "le
/// formateur / la formatrice".
static INCLUSIVE: LazyLock<[(Regex, &'static str); 4]> = LazyLock::new(|| {
    [
        (
            Regex::new(r"\b(le|la|les)\s*(?:/|·|\bou\b|\()\s*(?:le|la|les)\)?(\s|$)")
                .expect("valid regex"),
            "$1$2",
        ),
        (
            Regex::new(r"\((?:e|ne|le|se|trice|es|s)\)").expect("valid regex"),
            "",
        ),
        (
            Regex::new(r"\s*/\s*(?:le|la|l')\s*[a-z-]+").expect("valid regex"),
            "",
        ),
        (
            Regex::new(r"[·.](?:e|ne|trice|es)\b").expect("valid regex"),
            "",
        ),
    ]
});

/// Words of a normalised label, elided articles split off ("l'organisme" → "l'", "organisme"),
/// punctuation dropped.
fn tokens(norm: &str) -> Vec<String> {
    let mut out = Vec::new();
    for w in norm
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '"' | '/' | '*'))
    {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-');
        let w = w.trim_matches('-');
        if w.is_empty() {
            continue;
        }
        let mut rest = w;
        for el in ["l'", "d'", "qu'"] {
            if let Some(r) = rest.strip_prefix(el)
                && !r.is_empty()
            {
                out.push(el.to_string());
                rest = r;
                break;
            }
        }
        let rest = rest.trim_matches('\'');
        if !rest.is_empty() {
            out.push(rest.to_string());
        }
    }
    out
}

fn starts_with_seq(t: &[String], seq: &[String]) -> bool {
    t.len() >= seq.len() && t.iter().zip(seq).all(|(a, b)| a == b)
}

fn longest<'a>(t: &[String], list: &'a [Vec<String>]) -> Option<&'a [String]> {
    list.iter()
        .find(|p| !p.is_empty() && starts_with_seq(t, p))
        .map(|p| p.as_slice())
}

/// Reads a normalised line as a zone label.
pub fn zone_label(norm: &str) -> Option<Label> {
    let v = &*VOCAB;
    let mut n = norm.to_string();
    for (re, with) in INCLUSIVE.iter() {
        n = re.replace_all(&n, *with).into_owned();
    }
    let n = n.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != ')');
    let t = tokens(n);
    if t.is_empty() || t.len() > 12 {
        return None;
    }
    let text = n.trim_end_matches([':', ' ']).to_string();
    // "Stagiaire : Jean Dupont", "Pour l'organisme : Forma Plus": a value after a colon makes
    // the line a field, naming a signatory at most.
    let value_after_colon = n
        .split_once(':')
        .map(|(_, after)| after.trim())
        .is_some_and(|a| a.chars().any(char::is_alphanumeric));
    if let Some(a) = longest(&t, &v.acceptance) {
        return Some(Label {
            text: a.join(" "),
            class: LabelClass::Party,
        });
    }
    // [leads…] [article] PARTY [fillers…]
    let mut i = 0;
    let mut strong = false;
    while let Some(l) = longest(&t[i..], &v.leads) {
        strong |= STRONG_LEADS.contains(&l[0].as_str());
        i += l.len();
    }
    let article = t.get(i).is_some_and(|w| v.articles.contains(w));
    if article {
        i += 1;
    }
    if value_after_colon && !strong {
        return None;
    }
    if let Some(p) = longest(&t[i..], &v.parties) {
        let rest = &t[i + p.len()..];
        let fits = rest.len() <= 2 || rest.iter().all(|w| v.fillers.contains(w));
        if fits && (t.len() <= 10) {
            let asks = strong
                || article
                || rest
                    .iter()
                    .any(|w| matches!(w.as_str(), "signature" | "signatures" | "cachet"));
            return Some(Label {
                text,
                class: if asks && !value_after_colon {
                    LabelClass::Party
                } else {
                    LabelClass::Weak
                },
            });
        }
    }
    // "Signature :", "Date et signature", "Cachet de l'organisme et signature".
    if t.len() <= 6 && (0..t.len()).any(|k| longest(&t[k..], &v.generic).is_some()) {
        return Some(Label {
            text: if t
                .iter()
                .any(|w| w == "cachet" || w == "stamp" || w == "tampon")
            {
                "cachet et signature"
            } else {
                "signature"
            }
            .to_string(),
            class: LabelClass::Generic,
        });
    }
    // "Isabelle Moreau, gérante": a signatory's name and title.
    if t.len() <= 6
        && let Some((_, title)) = n.split_once(", ")
        && v.titles.iter().any(|x| title.starts_with(x.as_str()))
    {
        return Some(Label {
            text: "signataire".into(),
            class: LabelClass::Weak,
        });
    }
    // "Pour Forma Plus", "For Acme Ltd": a party by its name.
    if t.len() <= 3 && matches!(t[0].as_str(), "pour" | "for") && !value_after_colon {
        return Some(Label {
            text,
            class: LabelClass::Party,
        });
    }
    None
}

/// What a mark is, for the evidence: its name, its size, and the method.
fn describe(img: &ImageRef) -> (String, &'static str) {
    let size = match &img.anchor {
        Some(Anchor::Page { rect }) => format!(" ({:.0}×{:.0} pt)", rect.width, rect.height),
        _ => String::new(),
    };
    let word_ink = img.name.contains("/ink/") && img.name.ends_with(".xml");
    match img.encoding.as_deref() {
        _ if img.name.starts_with("freeform drawing") => {
            (img.name.clone(), "drawing_in_signature_zone")
        }
        _ if word_ink => (
            format!("ink drawing {}", img.name),
            "ink_annotation_in_signature_zone",
        ),
        Some("vector") => (format!("{}{size}", img.name), "drawing_in_signature_zone"),
        Some("ink_annotation") => (
            format!("{}{size}", img.name),
            "ink_annotation_in_signature_zone",
        ),
        _ => {
            let px = match (img.width_px, img.height_px) {
                (Some(w), Some(h)) => format!(", {w}×{h} px"),
                _ => String::new(),
            };
            let enc = img.encoding.as_deref().unwrap_or("image");
            (
                format!("image {} ({enc}{px}){size}", img.name),
                "image_in_signature_zone",
            )
        }
    }
}

/// The zones of a document. `is_mark` says which images can be signatures, or why one cannot
/// (a scan's page image, a header image, ink too faint to tell from noise); `laid_out` which non-PDF pages are positioned like a
/// PDF page (OCR output).
pub fn zones(
    pages: &[Page],
    pdf: bool,
    is_mark: &dyn Fn(&ImageRef, &Page) -> Result<(), &'static str>,
    laid_out: &dyn Fn(&Page) -> bool,
) -> Zones {
    let mut z = Zones::default();
    let repeated = repeated_marks(pages);
    for page in pages {
        if pdf || laid_out(page) {
            pdf_zones(page, is_mark, &repeated, &mut z);
        } else {
            flow_zones(page, &mut z);
        }
    }
    // A bare "Signature" / "Cachet" line in a document whose zones name their parties belongs to
    // a party's zone on that page: it is not a zone of its own.
    let named_pages: Vec<Option<u32>> = z
        .signed
        .iter()
        .chain(&z.empty)
        .filter(|h| h.class == LabelClass::Party)
        .map(|h| h.page)
        .collect();
    z.empty.retain(|h| match h.class {
        LabelClass::Weak => false,
        LabelClass::Generic => !named_pages.contains(&h.page),
        LabelClass::Party => true,
    });
    z
}

/// How much larger than its zone's label a name read by OCR is written to be taken for the
/// signatory's hand (handwriting is two to four times the size of 9–11 pt print).
const HANDWRITTEN_NAME_MIN_RATIO: f32 = 1.7;
const HANDWRITTEN_NAME_MAX_RATIO: f32 = 6.0;

/// A name as OCR reads handwriting: two to five words of letters, the first and at least one
/// other capitalised ("Franck Debruyne", "F. DEBRUYNE"); the others are particles ("de") or
/// short pieces a wide hand got cut into ("Franck Debruy ne"). Or a surname alone, of four
/// letters or more, capitalised or in block capitals: OCR drops a handwritten initial ("V.
/// ALLARD" read "ALLARD").
fn written_name(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    let capitalised = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    if let [word] = words[..] {
        let letters: Vec<char> = word.chars().filter(|c| *c != '-').collect();
        return letters.len() >= 4
            && letters.iter().all(|c| c.is_alphabetic())
            && capitalised(word)
            && (letters.iter().all(|c| c.is_uppercase())
                || letters[1..].iter().all(|c| c.is_lowercase()));
    }
    (2..=5).contains(&words.len())
        && words.iter().all(|w| {
            w.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
        })
        && words.first().is_some_and(|w| capitalised(w))
        && words.iter().filter(|w| capitalised(w)).count() >= 2
        && words
            .iter()
            .all(|w| capitalised(w) || w.chars().count() <= 3)
        && text.chars().filter(|c| c.is_alphabetic()).count() >= 5
}

/// One block of label lines on a PDF page.
struct Block {
    label: Label,
    /// Lines of the block, top first.
    lines: Vec<usize>,
    top: f32,
    bottom: f32,
    left: f32,
    right: f32,
}

/// How far a mark's centre is from a block, for choosing between zones whose regions both
/// hold it: below or beside the label is near; above it (a signatory's name line signed above)
/// comes after any label the mark is under.
fn distance(b: &Block, cx: f32, cy: f32) -> f32 {
    let vertical = if cy > b.top {
        cy - b.top + 300.0
    } else {
        (b.bottom - cy).max(0.0)
    };
    vertical + (b.left - cx).max(0.0) * 0.5
}

fn span_right(s: &TextSpan) -> f32 {
    s.x + s
        .width
        .max(s.font_size * s.text.chars().count() as f32 * 0.45)
}

/// PDF: label lines → blocks → regions; marks → the block whose region holds their centre.
/// Where a placed mark sits, rounded to 2 pt, with what it is.
type MarkKey = (Option<String>, [i32; 4]);

fn mark_key(img: &ImageRef) -> Option<MarkKey> {
    match &img.anchor {
        Some(Anchor::Page { rect }) => Some((
            img.encoding.clone(),
            [rect.x, rect.y, rect.width, rect.height].map(|v| (v / 2.0).round() as i32),
        )),
        _ => None,
    }
}

/// Marks found at the same place in the top or bottom margin of several pages (a letterhead
/// logo, a footer logo): never a signature. (The same signature at the same place on every page
/// of a PDF of certificates is a signature on each: only the margins are letterheads.)
fn repeated_marks(pages: &[Page]) -> Vec<(MarkKey, usize)> {
    let in_margin = |img: &ImageRef, page: &Page| match (&img.anchor, page.size) {
        (Some(Anchor::Page { rect }), Some((_, h))) => rect.y >= h * 0.85 || rect.top() <= h * 0.08,
        _ => false,
    };
    let mut count: Vec<(MarkKey, usize)> = Vec::new();
    for page in pages.iter().take(200) {
        let mut seen: Vec<MarkKey> = Vec::new();
        for k in page
            .images
            .iter()
            .take(200)
            .filter(|i| in_margin(i, page))
            .filter_map(mark_key)
        {
            if seen.contains(&k) {
                continue;
            }
            seen.push(k.clone());
            match count.iter_mut().find(|(c, _)| *c == k) {
                Some(c) => c.1 += 1,
                None => count.push((k, 1)),
            }
        }
    }
    count.retain(|(_, n)| *n >= 2);
    count
}

fn pdf_zones(
    page: &Page,
    is_mark: &dyn Fn(&ImageRef, &Page) -> Result<(), &'static str>,
    repeated: &[(MarkKey, usize)],
    z: &mut Zones,
) {
    let spans = &page.spans;
    let labels: Vec<(usize, Label)> = spans
        .iter()
        .enumerate()
        .filter_map(|(i, s)| zone_label(&normalize_line(&s.text)).map(|l| (i, l)))
        .collect();
    // Blocks: a label line under another one of the same column (horizontal overlap, less than
    // ~3 lines apart) continues its block: a wrapped label ("Signature du représentant de" /
    // "l'organisme de formation"), or "Pour le client" / "Cachet et signature".
    let mut blocks: Vec<Block> = Vec::new();
    let mut order: Vec<(usize, Label)> = labels;
    order.sort_by(|a, b| spans[b.0].y.total_cmp(&spans[a.0].y));
    for (i, label) in order {
        let s = &spans[i];
        let (l, r) = (s.x, span_right(s));
        if let Some(b) = blocks.iter_mut().find(|b| {
            let gap = b.bottom - s.y;
            gap > 0.0 && gap < (s.font_size * 3.2).max(36.0) && l < b.right && r > b.left
        }) {
            b.lines.push(i);
            b.bottom = s.y;
            b.left = b.left.min(l);
            b.right = b.right.max(r);
            // The block is named by its strongest label (a party over a generic word).
            let rank = |c: LabelClass| match c {
                LabelClass::Party => 2,
                LabelClass::Generic => 1,
                LabelClass::Weak => 0,
            };
            if rank(label.class) > rank(b.label.class) {
                b.label = label;
            }
            continue;
        }
        blocks.push(Block {
            label,
            lines: vec![i],
            top: s.y + s.font_size,
            bottom: s.y,
            left: l,
            right: r,
        });
    }
    let signatory: Vec<bool> = blocks
        .iter()
        .map(|b| b.label.text == "signataire")
        .collect();
    // The label's text: its first line and the lines that continue it directly below (a
    // wrapped label: "Signature du représentant de" / "l'organisme de" / "formation").
    for b in blocks.iter_mut() {
        let Some(&first) = b.lines.first() else {
            continue;
        };
        let mut cur = &spans[first];
        let mut text = normalize_line(&cur.text);
        for _ in 0..3 {
            let Some((k, next)) = spans.iter().enumerate().find(|(_, s)| {
                let gap = cur.y - s.y;
                gap > 0.0
                    && gap < cur.font_size * 1.6
                    && s.x < span_right(cur)
                    && span_right(s) > cur.x
            }) else {
                break;
            };
            let n = normalize_line(&next.text);
            let joins = if b.lines.contains(&k) {
                true
            } else {
                n.split_whitespace().count() <= 3
                    && zone_label(&n).is_none()
                    && !super::facts::looks_like_name(next.text.trim())
                    && !n.chars().any(|c| c.is_ascii_digit())
            };
            if !joins || text.ends_with(':') {
                break;
            }
            text = format!("{text} {n}");
            cur = next;
        }
        b.label.text = text.trim_end_matches([':', ' ']).to_string();
    }
    // Regions.
    let regions: Vec<Rect> = (0..blocks.len())
        .map(|k| {
            let b = &blocks[k];
            let mut left = b.left - 60.0;
            // A bare title takes the marks under it only (a letterhead logo may stand on the
            // right of a "Directeur" line); a name and title line is signed beside it too.
            let mut right = if b.label.class == LabelClass::Weak && !signatory[k] {
                b.right + 40.0
            } else {
                b.right + 250.0
            };
            let mut bottom = b.bottom - 170.0;
            for (j, o) in blocks.iter().enumerate() {
                if j == k {
                    continue;
                }
                let same_band = o.top > bottom && o.bottom < b.top;
                let h_overlap = o.left < b.right && o.right > b.left;
                if h_overlap && o.top <= b.bottom {
                    bottom = bottom.max(o.top);
                } else if same_band && o.left >= b.right {
                    right = right.min(o.left - 2.0);
                } else if same_band && o.right <= b.left {
                    left = left.max(o.right + 2.0);
                }
            }
            // A paragraph or a footer line below the label closes the zone (a logo in the
            // footer under it does not sign it). Short lines (a name, "(précédée de la mention
            // Lu et approuvé)") do not.
            let last = b.lines.last().map(|&i| &spans[i]);
            for s in spans {
                let below_label = last.is_some_and(|l| l.y - s.y > l.font_size * 1.6);
                if below_label
                    && s.y < b.bottom
                    && s.y + s.font_size > bottom
                    && s.text.split_whitespace().count() >= 8
                    && !s.text.trim_start().starts_with('(')
                    && s.x < b.right
                    && span_right(s) > b.left
                {
                    bottom = s.y + s.font_size;
                }
            }
            // A signatory's name line ("Isabelle Moreau, gérante") is signed above or below.
            let above = if signatory[k] { 90.0 } else { 20.0 };
            Rect {
                x: left,
                y: bottom,
                width: right - left,
                height: b.top + above - bottom,
            }
        })
        .collect();
    let mut marks: Vec<(Vec<String>, Vec<&'static str>)> =
        vec![(Vec::new(), Vec::new()); blocks.len()];
    let mut free: Vec<(String, f32, f32)> = Vec::new();
    let mut stamps: Vec<Vec<String>> = vec![Vec::new(); blocks.len()];
    let zone_of = |rect: &Rect| {
        let (cx, cy) = (rect.x + rect.width / 2.0, rect.y + rect.height / 2.0);
        let inside = |r: &Rect| cx >= r.x && cx <= r.right() && cy >= r.y && cy <= r.top();
        (0..blocks.len())
            .filter(|&k| inside(&regions[k]))
            .min_by(|&a, &b| distance(&blocks[a], cx, cy).total_cmp(&distance(&blocks[b], cx, cy)))
    };
    for img in &page.images {
        let Some(Anchor::Page { rect }) = &img.anchor else {
            continue;
        };
        if img.encoding.as_deref() == Some("vector_stamp") {
            match zone_of(rect) {
                Some(k) => stamps[k].push(img.name.clone()),
                None => z.ignored.push((
                    format!("{} outside any signature zone", img.name),
                    Some(page.number),
                )),
            }
            continue;
        }
        if let Some((_, n)) = mark_key(img).and_then(|k| repeated.iter().find(|(r, _)| *r == k)) {
            z.ignored.push((
                format!(
                    "{} not a signature: the same mark at the same place on {n} pages (letterhead, footer)",
                    describe(img).0
                ),
                Some(page.number),
            ));
            continue;
        }
        if let Err(why) = is_mark(img, page) {
            z.ignored.push((
                format!("{} not a signature: {why}", describe(img).0),
                Some(page.number),
            ));
            continue;
        }
        let (cx, cy) = (rect.x + rect.width / 2.0, rect.y + rect.height / 2.0);
        let best = zone_of(rect);
        let (what, method) = describe(img);
        match best {
            Some(k) => {
                marks[k].0.push(what);
                marks[k].1.push(method);
            }
            None => free.push((what, cx, cy)),
        }
    }
    // On a page read by OCR, a name written by hand in the zone may be legible enough for
    // OCR to read it confidently as words ("Franck Debruyne" in a flowing hand, "F. DEBRUYNE"
    // in block capitals): it is then text, not ink. Such a name, set well above the label's
    // size (print in a signature zone is the label's size: a typed name, "Le 26/04/2025"),
    // is the signatory's hand.
    if page.scanned {
        for (j, s) in spans.iter().enumerate() {
            let text = s.text.trim().trim_matches(|c: char| !c.is_alphanumeric());
            if blocks.iter().any(|b| b.lines.contains(&j)) || !written_name(text) {
                continue;
            }
            let rect = Rect {
                x: s.x,
                y: s.y,
                width: s.width.max(s.font_size),
                height: s.font_size,
            };
            let Some(k) = zone_of(&rect) else {
                continue;
            };
            let label_size = blocks[k]
                .lines
                .iter()
                .map(|&i| spans[i].font_size)
                .fold(f32::INFINITY, f32::min);
            let ratio = s.font_size / label_size.max(1.0);
            if !(HANDWRITTEN_NAME_MIN_RATIO..=HANDWRITTEN_NAME_MAX_RATIO).contains(&ratio)
                || s.y >= blocks[k].top
            {
                continue;
            }
            marks[k].0.push(format!(
                "handwritten name «{text}» read by OCR ({:.0} pt high, {ratio:.1}× the label)",
                s.font_size
            ));
            marks[k].1.push("handwritten_name_in_signature_zone");
        }
    }
    for (k, b) in blocks.into_iter().enumerate() {
        let (m, methods) = std::mem::take(&mut marks[k]);
        let st = std::mem::take(&mut stamps[k]);
        let r = &regions[k];
        let zone = Zone {
            label: b.label.text.clone(),
            class: b.label.class,
            page: Some(page.number),
            looked: if m.is_empty() {
                let nearest = free
                    .iter()
                    .map(|(w, x, y)| {
                        let dx = (r.x - x).max(x - r.right()).max(0.0);
                        let dy = (r.y - y).max(y - r.top()).max(0.0);
                        (w, (dx * dx + dy * dy).sqrt())
                    })
                    .min_by(|a, b| a.1.total_cmp(&b.1))
                    .map(|(w, d)| format!("; nearest mark outside any zone: {w}, {d:.0} pt away"))
                    .unwrap_or_default();
                let stamp = if st.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; only a stamp there ({}): a stamp is not a signature",
                        st.join(", ")
                    )
                };
                format!(
                    "no image, drawing or ink below or beside the label (x {:.0}–{:.0}, y {:.0}–{:.0}){stamp}{nearest}",
                    r.x.max(0.0),
                    r.right(),
                    r.y.max(0.0),
                    r.top()
                )
            } else {
                String::new()
            },
            marks: m,
            methods,
            stamps: st,
        };
        if zone.marks.is_empty() {
            z.empty.push(zone);
        } else {
            z.signed.push(zone);
        }
    }
}

/// A cell zone in a table: its label cell, the rows below it in its column up to the next
/// label, and the empty cells on its right.
struct CellZone {
    label: Label,
    col: usize,
    first_row: usize,
    /// Last row of the label (a label wrapped over several cells).
    label_row: usize,
    end_row: usize,
    right_end: usize,
    marks: Vec<String>,
    methods: Vec<&'static str>,
}

fn table_zones(t: &Table) -> Vec<CellZone> {
    let mut zs: Vec<CellZone> = Vec::new();
    for (r, row) in t.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let Some(label) = zone_label(&normalize_line(&cell.text)) else {
                continue;
            };
            // A label cell right under a label cell of the same column continues it.
            if let Some(z) = zs.iter_mut().find(|z| z.col == c && z.label_row + 1 == r) {
                z.label_row = r;
                z.label.text = format!("{} {}", z.label.text, label.text);
                if label.class == LabelClass::Party {
                    z.label.class = LabelClass::Party;
                }
                continue;
            }
            zs.push(CellZone {
                label,
                col: c,
                first_row: r,
                label_row: r,
                end_row: t.rows.len().saturating_sub(1),
                right_end: c,
                marks: Vec::new(),
                methods: Vec::new(),
            });
        }
    }
    // Non-label continuation cells ("formation" under "Pour l'organisme de") join the label.
    for z in zs.iter_mut() {
        if z.label_row == z.first_row
            && let Some(next) = t.rows.get(z.first_row + 1).and_then(|r| r.get(z.col))
            && !next.is_empty()
            && next.text.split_whitespace().count() <= 3
            && z.label.text.split_whitespace().count() <= 4
            && !super::facts::looks_like_name(next.text.trim())
        {
            z.label.text = format!("{} {}", z.label.text, normalize_line(&next.text))
                .trim_end_matches([':', ' '])
                .to_string();
        }
    }
    let n = zs.len();
    for k in 0..n {
        let (col, first, label_row) = (zs[k].col, zs[k].first_row, zs[k].label_row);
        let next = zs
            .iter()
            .filter(|o| o.col == col && o.first_row > label_row)
            .map(|o| o.first_row)
            .min();
        if let Some(nr) = next {
            zs[k].end_row = nr - 1;
        }
        // Beside: empty, unlabelled cells on the label's right.
        let mut c = col + 1;
        while t
            .rows
            .get(first)
            .and_then(|r| r.get(c))
            .is_some_and(|cell| {
                cell.is_empty() && !zs.iter().any(|o| o.col == c && o.first_row == first)
            })
        {
            c += 1;
        }
        zs[k].right_end = c.saturating_sub(1).max(col);
    }
    zs
}

/// Word, ODT, spreadsheets: zones in tables and in paragraphs.
fn flow_zones(page: &Page, z: &mut Zones) {
    let mut tzs: Vec<Vec<CellZone>> = page.tables.iter().map(table_zones).collect();
    let table_lines: Vec<String> = page
        .tables
        .iter()
        .flat_map(|t| t.rows.iter())
        .map(|r| {
            normalize_line(
                &r.iter()
                    .map(|c| c.text.trim().replace(['\n', '\t'], " "))
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        })
        .collect();
    let raw_lines: Vec<&str> = page
        .text
        .lines()
        .filter(|l| {
            let n = normalize_line(l);
            !n.is_empty() && !table_lines.contains(&n)
        })
        .collect();
    let lines: Vec<String> = raw_lines.iter().map(|l| normalize_line(l)).collect();
    let mut paragraph_signed: Vec<(Label, String, &'static str)> = Vec::new();
    // Images seen so far per paragraph context (the n-th image of a paragraph goes to the n-th
    // label of a tab-separated label line).
    let mut per_context: Vec<(String, usize)> = Vec::new();
    for img in &page.images {
        let (what, method) = describe(img);
        match &img.anchor {
            Some(Anchor::TableCell {
                table, row, col, ..
            }) => {
                let Some(zs) = tzs.get_mut(*table) else {
                    continue;
                };
                // The zone of this column whose label is the nearest above, else a zone whose
                // label is on the image's left in its row.
                let k = zs
                    .iter()
                    .enumerate()
                    .filter(|(_, zz)| zz.col == *col && zz.first_row <= *row && *row <= zz.end_row)
                    .max_by_key(|(_, zz)| zz.first_row)
                    .or_else(|| {
                        // Beside the label: its row, or the rows of its zone (a label cell
                        // merged over two rows, the image in the second).
                        zs.iter()
                            .enumerate()
                            .filter(|(_, zz)| {
                                zz.first_row <= *row
                                    && *row <= zz.end_row.max(zz.label_row + 1)
                                    && zz.col < *col
                                    && *col <= zz.right_end
                            })
                            .max_by_key(|(_, zz)| zz.first_row)
                    })
                    .map(|(k, _)| k);
                match k {
                    Some(k) => {
                        zs[k].marks.push(what);
                        zs[k].methods.push(method);
                    }
                    None => z.ignored.push((
                        format!("{what} in a table cell outside any signature zone"),
                        None,
                    )),
                }
            }
            Some(Anchor::Paragraph { context, .. }) => {
                // The label at the image's paragraph, or within the two lines before it (a
                // label wrapped over two paragraphs).
                let cn = normalize_line(context);
                let labels = {
                    let own = line_labels(context);
                    if own.is_empty() {
                        lines
                            .iter()
                            .enumerate()
                            .filter(|(_, l)| **l == cn)
                            .find_map(|(i, _)| {
                                (i.saturating_sub(2)..i).rev().find_map(|j| {
                                    Some(line_labels(raw_lines[j])).filter(|v| !v.is_empty())
                                })
                            })
                            .unwrap_or_default()
                    } else {
                        own
                    }
                };
                let nth = match per_context.iter_mut().find(|(c, _)| *c == cn) {
                    Some(c) => {
                        c.1 += 1;
                        c.1
                    }
                    None => {
                        per_context.push((cn.clone(), 0));
                        0
                    }
                };
                let label = labels.get(nth.min(labels.len().saturating_sub(1))).cloned();
                match label {
                    Some(l) => paragraph_signed.push((l, what, method)),
                    None => z.ignored.push((
                        format!(
                            "{what} after «{}»: no signature label there",
                            context.trim()
                        ),
                        None,
                    )),
                }
            }
            Some(Anchor::SheetCell { row, col }) => {
                if let Some(l) = sheet_cell_label(page, *row, *col) {
                    paragraph_signed.push((l, what, method));
                }
            }
            _ => z
                .ignored
                .push((format!("{what} in a header or footer (letterhead)"), None)),
        }
    }
    for (ti, zs) in tzs.into_iter().enumerate() {
        for cz in zs {
            let zone = Zone {
                label: cz.label.text.clone(),
                class: cz.label.class,
                page: None,
                looked: if cz.marks.is_empty() {
                    format!(
                        "no image in table {} column {} rows {}–{} under the label, nor on its right",
                        ti + 1,
                        cz.col + 1,
                        cz.first_row + 1,
                        cz.end_row + 1
                    )
                } else {
                    String::new()
                },
                methods: cz.methods,
                stamps: Vec::new(),
                marks: cz.marks,
            };
            if zone.marks.is_empty() {
                z.empty.push(zone);
            } else {
                z.signed.push(zone);
            }
        }
    }
    let mut seen: Vec<String> = Vec::new();
    for (l, what, method) in paragraph_signed {
        match z
            .signed
            .iter_mut()
            .find(|s| s.label == l.text && s.page.is_none())
        {
            Some(s) => {
                s.marks.push(what);
                s.methods.push(method);
            }
            None => {
                seen.push(l.text.clone());
                z.signed.push(Zone {
                    label: l.text,
                    class: l.class,
                    page: None,
                    marks: vec![what],
                    methods: vec![method],
                    looked: String::new(),
                    stamps: Vec::new(),
                });
            }
        }
    }
    // Paragraph labels that received no image (wrapped labels: the second line of a label is
    // not a zone of its own).
    let mut prev_dangling = false;
    for raw in &raw_lines {
        let labels = line_labels(raw);
        // A label line right under a label line that ends mid-phrase ("Signature du représentant
        // de" / "l'organisme de formation") continues it; stacked labels ("Le stagiaire" / "Le
        // formateur") do not.
        let continuation = prev_dangling && labels.len() == 1;
        prev_dangling = !labels.is_empty() && ends_mid_phrase(&normalize_line(raw));
        for label in labels {
            if continuation
                || seen.contains(&label.text)
                || (label.class == LabelClass::Generic && !z.signed.is_empty())
                || z.signed.iter().any(|s| s.label == label.text)
                || z.empty.iter().any(|s| s.label == label.text)
            {
                continue;
            }
            seen.push(label.text.clone());
            z.empty.push(Zone {
                label: label.text,
                class: label.class,
                page: None,
                marks: Vec::new(),
                methods: Vec::new(),
                looked: "no image anchored at or after this paragraph".into(),
                stamps: Vec::new(),
            });
        }
    }
}

/// A label line cut before its end ("… de", "pour l'", "on behalf of the").
fn ends_mid_phrase(norm: &str) -> bool {
    tokens(norm).last().is_some_and(|w| {
        matches!(
            w.as_str(),
            "de" | "du"
                | "des"
                | "d'"
                | "la"
                | "le"
                | "les"
                | "l'"
                | "et"
                | "pour"
                | "of"
                | "the"
                | "for"
                | "and"
                | "by"
        )
    })
}

/// The labels of one paragraph line: each tab-separated part when several are labels
/// ("Pour l'organisme de formation⇥⇥Pour le client"), else the line as a whole.
fn line_labels(raw: &str) -> Vec<Label> {
    let parts: Vec<Label> = raw
        .split('\t')
        .filter_map(|p| zone_label(&normalize_line(p)))
        .collect();
    if parts.len() >= 2 {
        parts
    } else {
        zone_label(&normalize_line(raw)).into_iter().collect()
    }
}

fn sheet_cell_label(page: &Page, row: u32, col: u32) -> Option<Label> {
    let t = page.tables.first()?;
    let (r0, c0) = t.origin;
    let c = col.checked_sub(c0)? as usize;
    let r = row.checked_sub(r0)? as usize;
    (0..r).rev().take(12).find_map(|rr| {
        t.rows
            .get(rr)
            .and_then(|x| x.get(c))
            .and_then(|cell| zone_label(&normalize_line(&cell.text)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(s: &str) -> Option<LabelClass> {
        zone_label(&normalize_line(s)).map(|l| l.class)
    }

    #[test]
    fn zone_labels_french_and_english_parties() {
        use LabelClass::*;
        for s in [
            "Pour l'organisme de formation",
            "Pour l'organisme de",
            "Signature du représentant de",
            "l'organisme de formation",
            "Le/La responsable pédagogique",
            "La responsable pédagogique :",
            "Le directeur",
            "Le représentant légal",
            "Cachet et signature de l'organisme",
            "Pour l'entreprise bénéficiaire, cachet et signature",
            "For the training provider",
            "On behalf of the client",
            "Signature of the trainee",
            "Signature of the participant",
            "The trainer",
            "Bon pour accord",
            "Accepted by the Client – “Good for approval”",
            "Bon pour acceptation",
            "Date, signature et cachet du client :",
            "Le client",
            "L'employeur",
            "Signature du (de la) stagiaire",
            "Le·la formateur·trice",
            "Le formateur / la formatrice Sophie Garnier",
            "Le(s) stagiaire(s)",
        ] {
            assert_eq!(class(s), Some(Party), "{s}");
        }
        for s in [
            "Directeur",
            "Director",
            "Authorised signatory",
            "Responsable qualité",
            "Isabelle Moreau, gérante",
        ] {
            assert_eq!(class(s), Some(Weak), "{s}");
        }
        assert_eq!(class("Signature :"), Some(Generic));
        assert_eq!(class("Date et signature"), Some(Generic));
        assert_eq!(class("Cachet et signature de"), Some(Generic));
        for s in [
            "Le client s'engage à régler la facture à réception",
            "L'organisme de formation s'engage à fournir",
            "Nom : Jean Dupont",
            "Stagiaire : Jean Dupont",
            "Organisme de formation : Forma Plus",
            "Date : 12/03/2025",
            "Fait à Lyon, le 12/03/2025",
            "Objectifs de la formation",
        ] {
            assert_eq!(class(s), None, "{s}");
        }
    }
}

#[cfg(test)]
mod layout_tests {
    use super::*;
    use crate::model::Cell;

    fn span(x: f32, y: f32, text: &str) -> TextSpan {
        TextSpan {
            x,
            y,
            width: text.chars().count() as f32 * 5.0,
            font_size: 10.0,
            text: text.into(),
        }
    }

    fn mark(name: &str, encoding: &str, x: f32, y: f32, w: f32, h: f32) -> ImageRef {
        ImageRef {
            name: name.into(),
            encoding: Some(encoding.into()),
            width_px: None,
            height_px: None,
            anchor: Some(Anchor::Page {
                rect: Rect {
                    x,
                    y,
                    width: w,
                    height: h,
                },
            }),
        }
    }

    fn pdf(spans: Vec<TextSpan>, images: Vec<ImageRef>) -> Zones {
        let page = Page {
            number: 1,
            spans,
            images,
            size: Some((595.0, 842.0)),
            ..Page::default()
        };
        zones(&[page], true, &|_, _| Ok(()), &|_| false)
    }

    #[test]
    fn zones_handwritten_name_read_by_ocr_signs_a_scanned_zone() {
        let page = |scanned: bool, under: Vec<TextSpan>| {
            let mut spans = vec![
                span(
                    200.0,
                    640.0,
                    "Bon pour accord – date, cachet et signature du client",
                ),
                span(200.0, 627.0, "Le 26/04/2025"),
            ];
            spans.extend(under);
            let p = Page {
                number: 1,
                spans,
                size: Some((595.0, 842.0)),
                scanned,
                ..Page::default()
            };
            zones(&[p], true, &|_, _| Ok(()), &|_| false)
        };
        let tall = |y: f32, text: &str, size: f32| TextSpan {
            font_size: size,
            ..span(210.0, y, text)
        };
        // A flowing hand cut by OCR, and block capitals with an initial: signed.
        for name in ["Franck Debruy ne", "F. DEBRUYNE", "Ophélie Nguyen-Tran"] {
            let z = page(true, vec![tall(600.0, name, 23.0)]);
            assert_eq!(z.signed.len(), 1, "{name}: {:?}", z.empty);
            assert_eq!(z.signed[0].methods, ["handwritten_name_in_signature_zone"]);
            assert!(
                z.signed[0].marks[0].contains(name),
                "{:?}",
                z.signed[0].marks
            );
        }
        // Not a hand: a typed name of the label's size, a born-digital page, a heading of
        // words, a date, a name far below the zone, a name above the label.
        for (scanned, under) in [
            (true, vec![tall(600.0, "Franck Debruyne", 10.0)]),
            (false, vec![tall(600.0, "Franck Debruyne", 23.0)]),
            (
                true,
                vec![tall(600.0, "Conditions générales de vente", 23.0)],
            ),
            (true, vec![tall(600.0, "Le 26/04/2025", 23.0)]),
            (true, vec![tall(300.0, "Franck Debruyne", 23.0)]),
            (true, vec![tall(700.0, "Franck Debruyne", 23.0)]),
        ] {
            let z = page(scanned, under.clone());
            assert!(z.signed.is_empty(), "{scanned} {under:?}: {:?}", z.signed);
            assert_eq!(z.empty.len(), 1);
        }
    }

    /// Regression (held-out class: a surname in block capitals whose initial OCR dropped, "V.
    /// ALLARD" read "ALLARD", in a scanned certificate's director zone): a surname alone,
    /// written large in the zone, signs it; a short word, a mixed-case misreading or a typed
    /// surname of the label's size do not.
    #[test]
    fn zones_handwritten_surname_alone_read_by_ocr_signs_a_scanned_zone() {
        let page = |text: &str, size: f32| {
            let p = Page {
                number: 1,
                spans: vec![
                    span(200.0, 640.0, "La responsable de l'organisme de formation"),
                    TextSpan {
                        font_size: size,
                        ..span(210.0, 610.0, text)
                    },
                ],
                size: Some((595.0, 842.0)),
                scanned: true,
                ..Page::default()
            };
            zones(&[p], true, &|_, _| Ok(()), &|_| false)
        };
        for name in ["ALLARD", "ALLAKD", "Allard", "LE-GOFF"] {
            let z = page(name, 20.0);
            assert_eq!(z.signed.len(), 1, "{name}: {:?}", z.empty);
            assert_eq!(z.signed[0].methods, ["handwritten_name_in_signature_zone"]);
        }
        for (text, size) in [
            ("Lu", 20.0),
            ("AllArd", 20.0),
            ("ALLARD", 10.0),
            ("2025", 20.0),
        ] {
            let z = page(text, size);
            assert!(z.signed.is_empty(), "{text} {size}: {:?}", z.signed);
        }
    }

    #[test]
    fn zones_wrapped_label_lines_are_one_zone_signed_by_a_mark_under_them() {
        // "Signature du représentant de" / "l'organisme de formation" (the second line alone
        // reads as a party label), a client column beside it, a signature under each.
        let z = pdf(
            vec![
                span(60.0, 300.0, "Signature du représentant de"),
                span(60.0, 288.0, "l'organisme de formation"),
                span(320.0, 300.0, "Pour le client"),
            ],
            vec![
                mark("Im1", "png", 60.0, 220.0, 150.0, 50.0),
                mark(
                    "vector drawing, 1 paths, 30 segments",
                    "vector",
                    330.0,
                    230.0,
                    120.0,
                    40.0,
                ),
            ],
        );
        assert!(z.empty.is_empty(), "{:?}", z.empty);
        assert_eq!(z.signed.len(), 2, "{:?}", z.signed);
        assert_eq!(
            z.signed[0].label,
            "signature du representant de l'organisme de formation"
        );
        assert_eq!(z.signed[1].methods, vec!["drawing_in_signature_zone"]);
    }

    #[test]
    fn zones_mark_beside_the_other_party_does_not_sign_this_one() {
        let z = pdf(
            vec![
                span(60.0, 300.0, "Pour l'organisme de formation"),
                span(320.0, 300.0, "Pour le client"),
            ],
            vec![mark("Im1", "png", 330.0, 220.0, 150.0, 50.0)],
        );
        assert_eq!(z.signed.len(), 1);
        assert_eq!(z.signed[0].label, "pour le client");
        assert_eq!(z.empty.len(), 1);
        assert!(
            z.empty[0].looked.contains("no image, drawing or ink"),
            "{}",
            z.empty[0].looked
        );
    }

    #[test]
    fn zones_letterhead_logo_above_the_labels_signs_nothing() {
        let z = pdf(
            vec![
                span(60.0, 760.0, "Forma Plus – 12 rue des Lilas"),
                span(60.0, 300.0, "Le stagiaire"),
            ],
            vec![mark("Logo", "png", 60.0, 780.0, 120.0, 45.0)],
        );
        assert!(z.signed.is_empty());
        assert_eq!(z.empty.len(), 1);
        assert!(
            z.empty[0].looked.contains("nearest mark"),
            "{}",
            z.empty[0].looked
        );
    }

    #[test]
    fn zones_footer_logo_under_a_footer_line_signs_nothing() {
        let z = pdf(
            vec![
                span(60.0, 150.0, "Cachet et signature de l'organisme"),
                span(
                    40.0,
                    60.0,
                    "Forma Plus – 12 rue des Lilas 69003 Lyon – SIRET 812 345 678 00021",
                ),
            ],
            vec![mark("Qualiopi", "png", 60.0, 10.0, 80.0, 40.0)],
        );
        assert!(z.signed.is_empty(), "{:?}", z.signed);
        assert_eq!(z.empty.len(), 1);
    }

    #[test]
    fn zones_margin_logo_repeated_on_pages_is_not_a_signature_but_a_repeated_signature_is() {
        let page = |n| Page {
            number: n,
            spans: vec![span(300.0, 300.0, "Le directeur")],
            images: vec![
                // The same signature under the label on every certificate of the PDF.
                mark("Im1", "png", 300.0, 220.0, 150.0, 50.0),
                // A logo in the bottom margin, under a short label near the page bottom.
                mark("Logo", "png", 60.0, 10.0, 80.0, 40.0),
            ],
            size: Some((595.0, 842.0)),
            ..Page::default()
        };
        let mut p1 = page(1);
        p1.spans.push(span(60.0, 80.0, "Le stagiaire"));
        let z = zones(&[p1, page(2)], true, &|_, _| Ok(()), &|_| false);
        assert_eq!(z.signed.len(), 2, "{:?}", z.signed);
        assert_eq!(z.empty.len(), 1, "{:?}", z.empty);
        assert_eq!(z.empty[0].label, "le stagiaire");
        assert!(
            z.ignored.iter().any(|(w, _)| w.contains("on 2 pages")),
            "{:?}",
            z.ignored
        );
    }

    #[test]
    fn zones_tab_separated_labels_in_a_paragraph_are_two_zones() {
        let img = |name: &str| ImageRef {
            name: name.into(),
            encoding: Some("png".into()),
            width_px: None,
            height_px: None,
            anchor: Some(Anchor::Paragraph {
                index: 3,
                context: "Pour l'organisme de formation\t\tPour le client".into(),
            }),
        };
        let page = Page {
            number: 1,
            text: "Convention\nPour l'organisme de formation\t\tPour le client\n".into(),
            images: vec![img("word/media/image1.png")],
            ..Page::default()
        };
        let z = zones(std::slice::from_ref(&page), false, &|_, _| Ok(()), &|_| {
            false
        });
        assert_eq!(z.signed.len(), 1, "{:?}", z.signed);
        assert_eq!(z.signed[0].label, "pour l'organisme de formation");
        assert_eq!(z.empty.len(), 1, "{:?}", z.empty);
        assert_eq!(z.empty[0].label, "pour le client");
        // Stacked labels, the second left unsigned: two zones, one empty.
        let page = Page {
            text: "Le stagiaire\nLe formateur\n".into(),
            images: vec![ImageRef {
                anchor: Some(Anchor::Paragraph {
                    index: 1,
                    context: "Le stagiaire".into(),
                }),
                ..img("word/media/image1.png")
            }],
            ..page
        };
        let z = zones(&[page], false, &|_, _| Ok(()), &|_| false);
        assert_eq!(z.signed.len(), 1, "{:?}", z.signed);
        assert_eq!(z.empty.len(), 1, "{:?}", z.empty);
        assert_eq!(z.empty[0].label, "le formateur");
    }

    #[test]
    fn zones_label_wrapped_over_two_cells_is_one_zone() {
        let t = Table {
            rows: vec![
                vec![
                    Cell::text("Signature du représentant de"),
                    Cell::text("Pour le client"),
                ],
                vec![Cell::text("l'organisme de formation"), Cell::text("")],
                vec![Cell::text(""), Cell::text("")],
            ],
            ..Table::default()
        };
        let img = |col| ImageRef {
            name: format!("word/media/image{col}.png"),
            encoding: Some("png".into()),
            width_px: None,
            height_px: None,
            anchor: Some(Anchor::TableCell {
                table: 0,
                row: 2,
                col,
                header: String::new(),
            }),
        };
        let page = Page {
            number: 1,
            text: "Signature du représentant de\tPour le client\nl'organisme de formation\t".into(),
            tables: vec![t],
            images: vec![img(0)],
            ..Page::default()
        };
        let z = zones(std::slice::from_ref(&page), false, &|_, _| Ok(()), &|_| {
            false
        });
        assert_eq!(z.signed.len(), 1, "{:?}", z.signed);
        assert_eq!(z.empty.len(), 1, "{:?}", z.empty);
        assert_eq!(z.empty[0].label, "pour le client");
        let page = Page {
            images: vec![img(0), img(1)],
            ..page
        };
        let z = zones(&[page], false, &|_, _| Ok(()), &|_| false);
        assert_eq!(z.signed.len(), 2, "{:?}", z.signed);
        assert!(z.empty.is_empty(), "{:?}", z.empty);
    }
}
