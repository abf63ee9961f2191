//! Closed-world French and English date extractor, with date roles.
//!
//! Owns: finding the dates written in a document's text (numeric day-first, ISO, long French and
//! English forms, ranges, timestamps), parsing one date string alone (cells, file names), PDF
//! metadata dates and Excel serials, and giving each found date a [`DateRole`] from the words
//! around it (the previous line and the current line before the date, normalised without accents
//! or case). It is "closed-world": only the listed formats are recognised, with regexes compiled
//! once and no NLP; anything else is ignored rather than guessed.
//!
//! Must not: read files, know about document kinds (the caller refines roles with the kind),
//! guess a year that is not written nearby, or read US month-first numeric dates (except with an
//! AM/PM time, see [`find_dates`]). It keeps no global mutable state.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use jiff::civil::{Date, Time};
use regex::{Captures, Regex};

use crate::document::{DateFact, DateRole};

/// Years outside MIN_YEAR..=MAX_YEAR are not dates (phone numbers, amounts, references).
/// Earliest year accepted: birth dates on individual contracts go back that far.
const MIN_YEAR: i32 = 1920;
const MAX_YEAR: i32 = 2100;
/// A year-less date ("le 12 mars") takes its year from a complete date at most this far away.
const YEARLESS_WINDOW: usize = 4096;
/// The "head" of a document: its first non-empty lines, capped in bytes.
const HEAD_LINES: usize = 20;
const HEAD_BYTES: usize = 2500;
/// How much text before a date is read to choose its role.
const CONTEXT_BYTES: usize = 200;
/// How much text after a date is read (for "Date : … Signature").
const AFTER_BYTES: usize = 160;

/// A date found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundDate {
    pub date: Date,
    pub role: DateRole,
    /// The matched source text, e.g. "du 12 au 14 mars 2025" for both ends of a range.
    pub text: String,
    /// Byte offsets of the match in the input.
    pub start: usize,
    pub end: usize,
    /// For timestamps "12/03/2025 14:32:10".
    pub time: Option<Time>,
    /// Why this role, e.g. "after 'Fait à …, le'".
    pub reason: &'static str,
    /// When the words around the date say someone answered a form then ("Date de réponse",
    /// "Rempli le", "Completed on", "Horodatage", "Date :" in the respondent block…): why. The
    /// caller, knowing the document's kind, makes it an answer date (role `document`, `answer`)
    /// on evaluation, assessment and positioning forms; elsewhere `role` stands.
    pub answer: Option<&'static str>,
    /// How an ambiguous all-numeric date was read when not day first ("read month first: the
    /// document is in English").
    pub reading: Option<&'static str>,
}

impl FoundDate {
    /// The report form of this date (`source` is `text`, `cell`, `file_name`…).
    pub fn to_fact(&self, source: &str, page: Option<u32>) -> DateFact {
        DateFact {
            date: self.date.to_string(),
            role: self.role,
            text: self.text.clone(),
            page,
            source: source.to_string(),
            reason: Some(match self.reading {
                Some(r) => format!("{}; {r}", self.reason),
                None => self.reason.to_string(),
            }),
            answer: false,
        }
    }
}

/// Reasons of the version, update and edition dates of a document ("Version du", "Mis à jour
/// le", "Édité le"): the date of the form or template, never when it was filled, signed or
/// sent. Rules must not judge a session on them.
pub const EDITION_REASONS: [&str; 3] = [REASON_VERSION, REASON_UPDATE, REASON_EDITION];
const REASON_VERSION: &str = "after 'Version du'";
const REASON_UPDATE: &str = "after 'Mis à jour le' / 'Actualisé le'";
const REASON_EDITION: &str = "after 'Édité/Généré le'";

/// Whether a date's `reason` makes it a version, update or edition date.
pub fn is_edition_reason(reason: &str) -> bool {
    EDITION_REASONS.iter().any(|r| reason.starts_with(r))
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

/// Month names and abbreviations (accent-less, lower case; `^` marks the letter that carries an
/// accent in French), month number, and whether the name
/// may be used without a year ("le 12 mars"): not for ambiguous short forms ("mar", "sept", "may")
/// unless written with a dot.
const MONTHS: &[(&str, i8, bool)] = &[
    ("janvier", 1, true),
    ("january", 1, true),
    ("janv", 1, false),
    ("jan", 1, false),
    ("f^evrier", 2, true),
    ("february", 2, true),
    ("f^evr", 2, false),
    ("f^ev", 2, false),
    ("feb", 2, false),
    ("mars", 3, true),
    ("march", 3, true),
    ("mar", 3, false),
    ("avril", 4, true),
    ("april", 4, true),
    ("avr", 4, false),
    ("apr", 4, false),
    ("mai", 5, true),
    ("may", 5, false),
    ("juin", 6, true),
    ("june", 6, true),
    ("jun", 6, false),
    ("juillet", 7, true),
    ("july", 7, true),
    ("juil", 7, false),
    ("jul", 7, false),
    ("ao^ut", 8, true),
    ("august", 8, true),
    ("ao^u", 8, false),
    ("aug", 8, false),
    ("septembre", 9, true),
    ("september", 9, true),
    ("sept", 9, false),
    ("sep", 9, false),
    ("octobre", 10, true),
    ("october", 10, true),
    ("oct", 10, false),
    ("novembre", 11, true),
    ("november", 11, true),
    ("nov", 11, false),
    ("d^ecembre", 12, true),
    ("december", 12, true),
    ("d^ec", 12, false),
];

const WEEKDAYS: &[&str] = &[
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "lun",
    "mar",
    "mer",
    "jeu",
    "ven",
    "sam",
    "dim",
    "mon",
    "tues",
    "tue",
    "wed",
    "thurs",
    "thu",
    "fri",
    "sat",
    "sun",
];

/// A node of the word trie used to build the month and weekday alternations.
#[derive(Default)]
struct Trie {
    /// Child per letter, and whether that letter may carry an accent.
    children: BTreeMap<char, (bool, Trie)>,
    end: bool,
}

impl Trie {
    fn insert(&mut self, word: &str) {
        let mut node = self;
        let mut accent = false;
        for c in word.chars() {
            if c == '^' {
                accent = true;
                continue;
            }
            let child = node.children.entry(c).or_default();
            child.0 |= accent;
            accent = false;
            node = &mut child.1;
        }
        node.end = true;
    }

    /// The regex of this node. A word that is a prefix of another makes the rest optional and
    /// greedy, so the longest word wins as with a longest-first alternation.
    fn regex(&self) -> String {
        let alts: Vec<String> = self
            .children
            .iter()
            .map(|(&c, (accent, child))| {
                let edge = match (accent, c) {
                    (true, 'e') => r"[eéèê][\x{300}-\x{36F}]?".to_string(),
                    (true, 'u') => r"[uûü][\x{300}-\x{36F}]?".to_string(),
                    _ => c.to_string(),
                };
                format!("{edge}{}", child.regex())
            })
            .collect();
        match (alts.len(), self.end) {
            (0, _) => String::new(),
            (1, false) => alts.concat(),
            (_, false) => format!("(?:{})", alts.join("|")),
            (_, true) => format!("(?:{})?", alts.join("|")),
        }
    }
}

/// Accent-tolerant alternation of table words, as a trie (an alternation of 42 names would
/// make the backtracking capture engine try each name in turn). The letter after `^` may carry
/// an accent, precomposed or as a combining mark ("f^evrier" matches "février", "FÉVRIER" under
/// `(?i)`, "fevrier" and "fe\u{301}vrier"); only those letters are folded.
fn alternation(words: &[&str]) -> String {
    let mut trie = Trie::default();
    for w in words {
        trie.insert(w);
    }
    format!("(?:{})", trie.regex())
}

/// Horizontal white space (with the French non-breaking spaces).
const H: &str = r"[ \t\x{A0}\x{202F}\x{2009}]";
/// Optional time after a date: "14:32:10", "14:32", "à 14h32", "T14:32:10Z", ", 10:15 AM".
const TIME: &str = r"(?:(?P<tc>[ \t]*,[ \t]*|<H>+(?i:à|a|at|@|-|–)<H>+|<H>+|(?i:T))(?P<hh>[01]?\d|2[0-3])(?:[:hH](?P<mi>[0-5]\d)(?::(?P<ss>[0-5]\d)(?:[.,]\d{1,9})?)?|[hH])(?:<H>?(?P<ap>[AaPp])\.?[Mm]\.?)?(?:<H>?(?:Z|UTC|GMT|CEST|CET|[+-]\d\d(?::?\d\d|'\d\d'?)?))?)?";
const YEAR4: &str = r"(?:19|20|21)\d\d";
const ORD: &str = r"(?:er|ᵉʳ|st|nd|rd|th)";

/// ASCII digits and spaces only: Unicode `\\d`/`\\s` are large classes that bloat the automata
/// (and a date is never written in other scripts' digits).
fn ascii_classes(p: &str) -> String {
    p.replace(r"\d", "[0-9]")
        .replace(r"\s", r"[ \t\r\n\x0C\x{A0}\x{202F}\x{2009}]")
}

fn expand(template: &str) -> String {
    let month = alternation(&MONTHS.iter().map(|m| m.0).collect::<Vec<_>>());
    let weekday = alternation(WEEKDAYS);
    let p = template
        .replace("<T>", TIME)
        .replace("<W>", &format!(r"(?:{weekday}[.,]?<S>)"))
        .replace("<S>", r"(?:<H>*\r?\n<H>*|<H>+)")
        .replace("<M>", &month)
        .replace("<Y>", YEAR4)
        .replace("<O>", ORD)
        .replace("<H>", H);
    ascii_classes(&p)
}

/// Day-first numeric date: 12/03/2025, 12.03.25, 12-03-2025, 1/4/2025, OCR "l2/O3/2O25".
const P_NUM: &str = r"(?P<d>[0-9lIO]{1,2})(?P<s1>[/.]<H>?|-)(?P<m>[0-9lIO]{1,2})(?P<s2>[/.]<H>?|-)(?P<y>[0-9lIO]{4}|[0-9lIO]{2})<T>";
/// Year-first numeric date: 2025-03-12, 2025/03/12, 2025-03-12T14:32:10.
const P_YMD: &str = r"(?P<y><Y>)(?P<s1>[-/.])(?P<m>[01]?\d)(?P<s2>[-/.])(?P<d>[0-3]?\d)<T>";
/// Day-first long form: "mercredi 12 mars 2025", "1er avril 2025", "12th March 2025",
/// "12-Mar-2025", "le 12 mars" (year-less).
const P_DMY: &str = r"(?i)(?P<wd><W>)?(?P<d>[0-3]?\d)(?P<o><O>)?(?P<sep><S>(?:of<S>)?|-)(?P<m><M>)(?P<dot>\.)?(?:(?:,?<S>|-)(?P<y><Y>))?<T>";
/// Month-first English form: "March 12, 2025", "Wednesday, March 12th, 2025", "Mar. 12, 2025".
const P_MDY: &str = r"(?i)(?P<wd><W>)?(?P<m><M>)(?P<dot>\.)?<S>(?P<d>[0-3]?\d)(?P<o>st|nd|rd|th)?,?<S>(?P<y><Y>)<T>";
/// Long day-first range: "du 12 au 14 mars 2025", "du 28 février au 2 mars 2025",
/// "les 12, 13 et 14 mars 2025", "12-14 mars 2025", "from 12 to 14 March 2025".
const P_RANGE_DMY: &str = r"(?i)(?P<pre>(?:du|from|between|entre(?:<H>+le)?|les|le)<H>+)?<W>?(?P<d1>[0-3]?\d)(?P<o1><O>)?(?:<S>(?P<m1><M>)\.?(?:,?<S>(?P<y1><Y>))?)?(?P<mid>(?:<H>*,<H>*[0-3]?\d(?:er|ᵉʳ)?)*)(?P<conn>\s+(?:au|to|until|till|through|and|et(?:<H>+le)?|jusqu['’]au)\s+|[-–—]|\s+[-–—]\s+)(?:le<H>+)?<W>?(?P<d2>[0-3]?\d)(?P<o2><O>)?<S>(?P<m2><M>)(?P<dot2>\.)?(?:,?<S>(?P<y2><Y>))?";
/// Month-first English range: "March 12-14, 2025", "from March 12 to March 14, 2025".
const P_RANGE_MDY: &str = r"(?i)(?P<pre>(?:from|between)<H>+)?<W>?(?P<m1><M>)\.?<S>(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?(?:,?<S>(?P<y1><Y>))?(?P<conn>\s+(?:to|until|till|through|and)\s+|[-–—]|\s+[-–—]\s+)(?:<W>?(?P<m2><M>)\.?<S>)?(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?,?<S>(?P<y2><Y>)";
/// Numeric range: "du 12/03/2025 au 14/03/2025", "du 12/03 au 14/03/2025", "12-14/03/2025".
const P_RANGE_NUM: &str = r"(?P<pre>(?i:du|from|between|entre(?:<H>+le)?|les|le)<H>+)?(?P<d1>\d{1,2})(?:(?P<s1>[/.-])(?P<m1>\d{1,2})(?:(?P<s1b>[/.-])(?P<y1>\d{4}|\d{2}))?)?(?P<conn>\s+(?i:au|to|until|till|through|and|et(?:<H>+le)?|jusqu['’]au)\s+|[-–—]|\s+[-–—]\s+)(?P<d2>\d{1,2})(?P<s2>[/.-])(?P<m2>\d{1,2})(?P<s2b>[/.-])(?P<y2>\d{4}|\d{2})";

/// The C `asctime` / Unix `date` form, year after the time: "Wed Aug 05 12:00:00 2015",
/// "Aug 5 12:00:00 UTC 2015".
const P_MDTY: &str = r"(?i)(?P<wd><W>)?(?P<m><M>)(?P<dot>\.)?<H>+(?P<d>[0-3]?\d)(?P<tc><H>+)(?P<hh>[01]?\d|2[0-3]):(?P<mi>[0-5]\d)(?::(?P<ss>[0-5]\d))?(?:<H>+(?:UTC|GMT|CEST|CET|[A-Z]{3,4}|[+-]\d{4}))?<H>+(?P<y><Y>)";
/// Year first with a month name: "2016 july 13", "2016 July 13th", "2016-Jul-13".
const P_YMD_LONG: &str = r"(?i)(?P<y><Y>)(?P<sep><H>+|-|,<H>*)(?P<m><M>)(?P<dot>\.)?(?:<H>+|-)(?P<d>[0-3]?\d)(?P<o>st|nd|rd|th)?<T>";

type Parse = fn(&str, &Caps) -> Option<Cand>;

/// Index of [`P_YMD`] in [`PATTERNS`].
const YMD_PATTERN: usize = 4;

/// The patterns, ranges first; each with its parser.
const PATTERNS: [(&str, Parse); 9] = [
    (P_RANGE_DMY, parse_range_dmy),
    (P_RANGE_MDY, parse_range_mdy),
    (P_RANGE_NUM, parse_range_num),
    (P_NUM, parse_num),
    (P_YMD, parse_ymd),
    (P_DMY, parse_long),
    (P_MDY, parse_long),
    (P_MDTY, parse_time_year),
    (P_YMD_LONG, parse_year_first_long),
];

/// A regex with room for its lazy DFA: the month and weekday tries make many states, and a
/// cache that fills up is cleared and rebuilt during the search.
fn big_regex(p: &str) -> Regex {
    regex::RegexBuilder::new(p)
        .dfa_size_limit(4 << 20)
        .build()
        .expect("date regex is valid")
}

/// Each pattern alone, with its capture groups.
static RE_EACH: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    PATTERNS
        .iter()
        .map(|(p, _)| big_regex(&expand(p)))
        .collect()
});

fn without_names(p: &str) -> String {
    static NAMES: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\(\?P<[a-z0-9]+>").expect("valid regex"));
    NAMES.replace_all(&expand(p), "(?:").into_owned()
}

/// All patterns in one: finds where any date may start, in a single pass over the text.
static RE_ANY: LazyLock<Regex> = LazyLock::new(|| {
    let alts: Vec<String> = PATTERNS
        .iter()
        .map(|(p, _)| format!("(?:{})", without_names(p)))
        .collect();
    big_regex(&alts.join("|"))
});

/// The patterns anchored at the start: which of them match where [`RE_ANY`] stopped.
static RE_SET: LazyLock<regex::RegexSet> = LazyLock::new(|| {
    regex::RegexSet::new(
        PATTERNS
            .iter()
            .map(|(p, _)| format!("^(?:{})", without_names(p))),
    )
    .expect("date regex set is valid")
});

/// What may stand between two complete dates to make a range of them.
static RE_CONNECTOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&ascii_classes(
        r"^\s*(?i:au|to|until|till|through|and|et(?:\s+le)?|jusqu['’]au|[-–—])\s*$",
    ))
    .expect("valid regex")
});
/// What may stand before the first date of a range and belongs to it.
static RE_RANGE_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&ascii_classes(
        r"(?i:du|from|between|entre(?:\s+le)?|les)[ \t\x{A0}]+$",
    ))
    .expect("valid regex")
});

// ---------------------------------------------------------------------------------------------
// Candidates

/// Month and day of a range end whose year may be unknown yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Md {
    m: i8,
    d: i8,
}

#[derive(Clone, Copy, Debug)]
enum Val {
    /// One date; `y` is `None` for a year-less "le 12 mars".
    Single {
        y: Option<i32>,
        md: Md,
        time: Option<Time>,
    },
    /// A range; `y` is the year of the end (`None` if year-less), the start is `back` years
    /// earlier.
    Range {
        y: Option<i32>,
        a: Md,
        back: i32,
        b: Md,
    },
}

#[derive(Clone, Copy, Debug)]
struct Cand {
    start: usize,
    end: usize,
    val: Val,
    /// An all-numeric date read day first whose two parts could be swapped ("06/05/2014"):
    /// read month first in a month-first document.
    flip: bool,
}

/// A candidate with its year(s) settled.
#[derive(Clone, Copy, Debug)]
enum Settled {
    Single(Date, Option<Time>),
    Range(Date, Date),
}

fn mk_date(y: i32, m: i8, d: i8) -> Option<Date> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
        return None;
    }
    Date::new(i16::try_from(y).ok()?, m, d).ok()
}

/// Month and day that exist in some year (29 February allowed).
fn md_ok(m: i8, d: i8) -> bool {
    mk_date(2024, m, d).is_some()
}

/// The capture groups of the date patterns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(clippy::upper_case_acronyms)]
enum G {
    AP,
    CONN,
    D,
    D1,
    D2,
    DOT,
    DOT2,
    HH,
    M,
    M1,
    M2,
    MI,
    MID,
    O,
    O1,
    O2,
    PRE,
    S1,
    S1B,
    S2,
    S2B,
    SEP,
    SS,
    TC,
    WD,
    Y,
    Y1,
    Y2,
}

const GROUPS: usize = 28;

impl G {
    fn of(name: &str) -> Option<G> {
        match name {
            "ap" => Some(G::AP),
            "conn" => Some(G::CONN),
            "d" => Some(G::D),
            "d1" => Some(G::D1),
            "d2" => Some(G::D2),
            "dot" => Some(G::DOT),
            "dot2" => Some(G::DOT2),
            "hh" => Some(G::HH),
            "m" => Some(G::M),
            "m1" => Some(G::M1),
            "m2" => Some(G::M2),
            "mi" => Some(G::MI),
            "mid" => Some(G::MID),
            "o" => Some(G::O),
            "o1" => Some(G::O1),
            "o2" => Some(G::O2),
            "pre" => Some(G::PRE),
            "s1" => Some(G::S1),
            "s1b" => Some(G::S1B),
            "s2" => Some(G::S2),
            "s2b" => Some(G::S2B),
            "sep" => Some(G::SEP),
            "ss" => Some(G::SS),
            "tc" => Some(G::TC),
            "wd" => Some(G::WD),
            "y" => Some(G::Y),
            "y1" => Some(G::Y1),
            "y2" => Some(G::Y2),
            _ => None,
        }
    }
}

/// Captures of one pattern, with its groups looked up by index rather than by name (hashing
/// the names showed in profiles).
struct Caps<'t> {
    caps: Captures<'t>,
    slots: &'t [Option<usize>; GROUPS],
}

impl<'t> Caps<'t> {
    fn m(&self, g: G) -> Option<regex::Match<'t>> {
        self.caps.get((*self.slots.get(g as usize)?)?)
    }

    fn s(&self, g: G) -> Option<&'t str> {
        self.m(g).map(|m| m.as_str())
    }

    fn get(&self, i: usize) -> Option<regex::Match<'t>> {
        self.caps.get(i)
    }
}

/// For each pattern, the capture index of each group.
static SLOTS: LazyLock<Vec<[Option<usize>; GROUPS]>> = LazyLock::new(|| {
    RE_EACH
        .iter()
        .map(|re| {
            let mut slots = [None; GROUPS];
            for (i, name) in re.capture_names().enumerate() {
                if let Some(g) = name.and_then(G::of) {
                    slots[g as usize] = Some(i);
                }
            }
            slots
        })
        .collect()
});

fn num(s: &str) -> Option<i32> {
    s.parse().ok()
}

/// Two-digit years: 90–99 → 1990s, 00–89 → 2000s.
fn expand_year(s: &str) -> Option<i32> {
    let y = num(s)?;
    if s.len() == 2 {
        Some(if y >= 90 { 1900 + y } else { 2000 + y })
    } else {
        Some(y)
    }
}

/// [`MONTHS`] without the accent markers, for look-ups.
static MONTH_KEYS: LazyLock<Vec<(String, i8, bool)>> = LazyLock::new(|| {
    MONTHS
        .iter()
        .map(|&(name, m, free)| (name.replace('^', ""), m, free))
        .collect()
});

fn month_of(word: &str) -> Option<(i8, bool)> {
    let key = normalise(word.trim_end_matches('.'));
    MONTH_KEYS
        .iter()
        .find(|(name, _, _)| *name == key)
        .map(|&(_, m, free)| (m, free))
}

/// Digits with OCR confusions l/I → 1 and O → 0. Returns the number, how many letters were
/// read as digits, and how many real digits there were.
fn ocr_num(s: &str) -> Option<(i32, usize, usize)> {
    let mut n = 0i32;
    let (mut letters, mut digits) = (0, 0);
    for c in s.chars() {
        let v = match c {
            '0'..='9' => {
                digits += 1;
                c as i32 - '0' as i32
            }
            'l' | 'I' => {
                letters += 1;
                1
            }
            'O' => {
                letters += 1;
                0
            }
            _ => return None,
        };
        n = n.checked_mul(10)?.checked_add(v)?;
    }
    Some((n, letters, digits))
}

fn prev_char(text: &str, at: usize) -> Option<char> {
    text.get(..at)?.chars().next_back()
}

fn next_char(text: &str, at: usize) -> Option<char> {
    text.get(at..)?.chars().next()
}

fn is_num_sep(c: char) -> bool {
    matches!(c, '/' | '.' | '-' | ',' | ':')
}

/// Nothing glued before `start`: no letter or digit, no "digit + separator" (a longer number
/// like a phone "06.12.03.20.25"), no "N°". A separator different from the date's own one is
/// accepted ("80101911/26.06.2025": a document number, then a date).
fn left_ok(text: &str, start: usize, own_sep: Option<char>) -> bool {
    let Some(c) = prev_char(text, start) else {
        return true;
    };
    if c.is_alphanumeric() || c == '°' || c == '#' {
        return false;
    }
    if is_num_sep(c) && own_sep != Some(c) && own_sep.is_some() {
        return true;
    }
    if is_num_sep(c) {
        let before = start - c.len_utf8();
        return !prev_char(text, before).is_some_and(|p| p.is_ascii_digit());
    }
    true
}

/// Nothing glued after `end` (same rules as [`left_ok`]).
fn right_ok(text: &str, end: usize, own_sep: Option<char>) -> bool {
    let Some(c) = next_char(text, end) else {
        return true;
    };
    if c.is_alphanumeric() {
        return false;
    }
    if is_num_sep(c) && own_sep != Some(c) && own_sep.is_some() {
        return true;
    }
    if is_num_sep(c) {
        return !next_char(text, end + c.len_utf8()).is_some_and(|n| n.is_ascii_digit());
    }
    true
}

/// The time of a match, and whether it reads as a 12-hour US clock (AM/PM).
fn time_of(c: &Caps) -> Option<(Time, bool)> {
    let hh: i32 = num(c.s(G::HH)?)?;
    let mi = match c.s(G::MI) {
        Some(s) => num(s)?,
        None => {
            // "14h" alone is a time only after "à"/"at": "12/03/2025 - 14h" is not.
            let tc = normalise(c.s(G::TC).unwrap_or("")).trim().to_string();
            if !matches!(tc.as_str(), "a" | "at" | "@") {
                return None;
            }
            0
        }
    };
    let ss = c.s(G::SS).and_then(num).unwrap_or(0);
    let (h, us) = match c.s(G::AP).map(|s| s.to_ascii_lowercase()) {
        Some(ap) => {
            if !(1..=12).contains(&hh) {
                return None;
            }
            (if ap == "p" { hh % 12 + 12 } else { hh % 12 }, true)
        }
        None => (hh, false),
    };
    let t = Time::new(
        i8::try_from(h).ok()?,
        i8::try_from(mi).ok()?,
        i8::try_from(ss).ok()?,
        0,
    )
    .ok()?;
    Some((t, us))
}

/// Where the date part of an atom ends (before its optional time).
fn date_end(c: &Caps) -> Option<usize> {
    [G::Y, G::D, G::DOT, G::M, G::O]
        .iter()
        .filter_map(|&g| c.m(g))
        .map(|m| m.end())
        .max()
}

/// Builds a single-date candidate: checks the right boundary with and without the time, and
/// swaps day and month for a US 12-hour timestamp.
fn single(
    text: &str,
    c: &Caps,
    ymd: (Option<i32>, i8, i8),
    own_sep: Option<char>,
    allow_us: bool,
) -> Option<Cand> {
    let all = c.get(0)?;
    let dend = date_end(c)?;
    let (y, mut m, mut d) = ymd;
    let mut time = None;
    let mut end = dend;
    if c.m(G::HH).is_some()
        && let Some((t, us)) = time_of(c)
        && right_ok(text, all.end(), own_sep)
    {
        time = Some(t);
        end = all.end();
        if us && allow_us {
            std::mem::swap(&mut m, &mut d);
        }
    }
    if end == dend && !right_ok(text, dend, own_sep) {
        return None;
    }
    match y {
        Some(y) => {
            // "1/27/2025" (Google Forms in English), "06/17/2014", "06-17-2014": impossible
            // day first, unambiguous month first (a four-digit year, US separators).
            if mk_date(y, m, d).is_none()
                && matches!(own_sep, Some('/' | '-'))
                && m > 12
                && d <= 12
                && c.s(G::Y).is_some_and(|ys| ys.len() == 4)
            {
                std::mem::swap(&mut m, &mut d);
            }
            mk_date(y, m, d)?;
        }
        None => {
            if !md_ok(m, d) {
                return None;
            }
        }
    }
    Some(Cand {
        start: all.start(),
        end,
        val: Val::Single {
            y,
            md: Md { m, d },
            time,
        },
        flip: false,
    })
}

fn parse_num(text: &str, c: &Caps) -> Option<Cand> {
    let start = c.get(0)?.start();
    let s1 = c.s(G::S1)?.chars().next()?;
    let s2 = c.s(G::S2)?.chars().next()?;
    if s1 != s2 || !left_ok(text, start, Some(s1)) {
        return None;
    }
    let (ds, ms, ys) = (c.s(G::D)?, c.s(G::M)?, c.s(G::Y)?);
    let (d, l1, _) = ocr_num(ds)?;
    let (m, l2, _) = ocr_num(ms)?;
    let (y, l3, yd) = ocr_num(ys)?;
    if l1 + l2 + l3 > 2 || yd < 2 {
        return None;
    }
    // "1.2.25" is a section number, not a date: short years need two-digit day and month
    // unless the separator is a slash.
    if ys.len() == 2 && s1 != '/' && (ds.len() != 2 || ms.len() != 2) {
        return None;
    }
    // "11. 12. 2014": a dot and a space only with a four-digit year ("1. 2. Objectifs" is a
    // numbered list).
    let spaced = c.s(G::S1)?.len() > 1 || c.s(G::S2)?.len() > 1;
    if spaced && s1 == '.' && ys.len() != 4 {
        return None;
    }
    let y = if ys.len() == 2 {
        if y >= 90 { 1900 + y } else { 2000 + y }
    } else {
        y
    };
    let mut cand = single(
        text,
        c,
        (Some(y), i8::try_from(m).ok()?, i8::try_from(d).ok()?),
        Some(s1),
        true,
    )?;
    // Still read day first (no AM/PM or impossible-day swap) and both parts could be months.
    if let Val::Single { md, .. } = cand.val {
        cand.flip = i32::from(md.m) == m && i32::from(md.d) == d && d <= 12 && m != d;
    }
    Some(cand)
}

fn parse_ymd(text: &str, c: &Caps) -> Option<Cand> {
    let start = c.get(0)?.start();
    let s1 = c.s(G::S1)?.chars().next()?;
    if c.s(G::S2)?.chars().next()? != s1 || !left_ok(text, start, Some(s1)) {
        return None;
    }
    let y = num(c.s(G::Y)?)?;
    let m = i8::try_from(num(c.s(G::M)?)?).ok()?;
    let d = i8::try_from(num(c.s(G::D)?)?).ok()?;
    single(text, c, (Some(y), m, d), Some(s1), false)
}

/// Day number with its ordinal suffix: "1er" only for day 1.
fn day_of(d: &str, ord: Option<&str>) -> Option<i8> {
    let d = i8::try_from(num(d)?).ok()?;
    if let Some(o) = ord {
        let o = o.to_lowercase();
        if (o == "er" || o == "ᵉʳ") && d != 1 {
            return None;
        }
    }
    Some(d)
}

fn parse_long(text: &str, c: &Caps) -> Option<Cand> {
    let start = c.get(0)?.start();
    if !left_ok(text, start, None) {
        return None;
    }
    let d = day_of(c.s(G::D)?, c.s(G::O))?;
    let (m, free) = month_of(c.s(G::M)?)?;
    let y = c.s(G::Y).and_then(num);
    if y.is_none() {
        // Year-less: only unambiguous month names (or dotted abbreviations), and never
        // glued to a following word ("12 maisons").
        let dotted = c.m(G::DOT).is_some();
        if !(free || dotted) || c.s(G::SEP) == Some("-") {
            return None;
        }
        let after = c.m(G::DOT).or_else(|| c.m(G::M))?.end();
        if next_char(text, after).is_some_and(|n| n.is_alphanumeric()) {
            return None;
        }
    }
    if c.s(G::SEP).is_some_and(|s| s.contains('\n')) && !day_introduced(text, c) {
        return None;
    }
    single(text, c, (y, m, d), None, false)
}

/// "Wed Aug 05 12:00:00 2015": the year after the time.
fn parse_time_year(text: &str, c: &Caps) -> Option<Cand> {
    let start = c.get(0)?.start();
    if !left_ok(text, start, None) {
        return None;
    }
    let d = day_of(c.s(G::D)?, None)?;
    let (m, _) = month_of(c.s(G::M)?)?;
    let y = num(c.s(G::Y)?)?;
    single(text, c, (Some(y), m, d), None, false)
}

/// "2016 july 13", "2016 July 13th": the year first, then a month name and the day.
fn parse_year_first_long(text: &str, c: &Caps) -> Option<Cand> {
    let start = c.get(0)?.start();
    if !left_ok(text, start, None) {
        return None;
    }
    let d = day_of(c.s(G::D)?, c.s(G::O))?;
    let (m, free) = month_of(c.s(G::M)?)?;
    // An ambiguous short name ("mar", "may") only as a month between a year and a day when
    // written with a capital or a dot, or with a dash ("2016-Mar-13").
    if !free && c.m(G::DOT).is_none() && c.s(G::SEP) != Some("-") {
        let name = c.s(G::M)?;
        if !name.starts_with(|ch: char| ch.is_uppercase()) {
            return None;
        }
    }
    let y = num(c.s(G::Y)?)?;
    single(text, c, (Some(y), m, d), None, false)
}

/// A day whose month is on the next line ("le 5\nmars") is read only when introduced by a
/// weekday, punctuation, the start of a line or a date word: "Module 2\nMars 2025" (two table
/// cells) is not a date.
fn day_introduced(text: &str, c: &Caps) -> bool {
    if c.m(G::WD).is_some() {
        return true;
    }
    let Some(start) = c.get(0).map(|m| m.start()) else {
        return false;
    };
    let lo = floor_boundary(text, start.saturating_sub(24));
    let before = text
        .get(lo..start)
        .unwrap_or("")
        .trim_end_matches([' ', '\t', '\u{A0}']);
    match before.chars().next_back() {
        None | Some('\n') => true,
        Some(ch) if !ch.is_alphanumeric() => true,
        Some(_) => {
            let word = before
                .rsplit(|ch: char| !ch.is_alphanumeric())
                .next()
                .unwrap_or("");
            matches!(
                normalise(word).as_str(),
                "le" | "du" | "au" | "et" | "les" | "from" | "to" | "on" | "the" | "until"
            )
        }
    }
}

/// Connector checks shared by the ranges: a spaced dash needs a month on the first end or a
/// "du/from" prefix ("Page 1 - 12 mars 2025" is not a range).
fn conn_ok(c: &Caps, first_has_month: bool) -> bool {
    let conn = c.s(G::CONN).unwrap_or("");
    let spaced_dash = conn.trim() != conn && matches!(conn.trim(), "-" | "–" | "—");
    if spaced_dash && !first_has_month && c.m(G::PRE).is_none() {
        return false;
    }
    let word = conn.trim().to_lowercase();
    let is_list = word.starts_with("et") || word == "and";
    if c.m(G::MID).is_some_and(|m| !m.as_str().is_empty()) && !is_list {
        return false;
    }
    true
}

/// Builds a range candidate from two month-days and optional years. When the first end has no
/// month it takes the second's (or the month before when its day is larger: "du 28 au 2 mars").
fn range(
    text: &str,
    c: &Caps,
    a: (Option<i32>, Option<i8>, i8),
    b: (Option<i32>, i8, i8),
) -> Option<Cand> {
    let all = c.get(0)?;
    if !left_ok(text, all.start(), None) || !right_ok(text, all.end(), None) {
        return None;
    }
    let (ya, ma, da) = a;
    let (yb, mb, db) = b;
    let words = c.s(G::CONN).is_some_and(|s| {
        let w = s.trim();
        !w.is_empty()
            && w.chars()
                .all(|ch| ch.is_alphabetic() || ch.is_whitespace() || ch == '\'' || ch == '’')
    });
    let ma = match ma {
        Some(m) => m,
        None if da < db => mb,
        // "du 28 au 2 mars": the start is in the month before; not for "12-3 mars".
        None if words => {
            if mb == 1 {
                12
            } else {
                mb - 1
            }
        }
        None => return None,
    };
    if !md_ok(ma, da) || !md_ok(mb, db) {
        return None;
    }
    let a_md = Md { m: ma, d: da };
    let b_md = Md { m: mb, d: db };
    let wraps = (ma, da) > (mb, db);
    let back = match (ya, yb) {
        (Some(ya), Some(yb)) => yb - ya,
        _ => i32::from(wraps),
    };
    if !(0..=3).contains(&back) || (back == 0 && wraps) {
        return None;
    }
    // A year on the first end only ("du 28 décembre 2024 au 3 janvier") is not a format.
    if ya.is_some() && yb.is_none() {
        return None;
    }
    if let Some(yb) = yb {
        mk_date(yb - back, ma, da)?;
        mk_date(yb, mb, db)?;
    }
    Some(Cand {
        start: all.start(),
        end: all.end(),
        val: Val::Range {
            y: yb,
            a: a_md,
            back,
            b: b_md,
        },
        flip: false,
    })
}

fn parse_range_dmy(text: &str, c: &Caps) -> Option<Cand> {
    let m1 = match c.s(G::M1) {
        Some(s) => Some(month_of(s)?.0),
        None => None,
    };
    if !conn_ok(c, m1.is_some()) {
        return None;
    }
    let d1 = day_of(c.s(G::D1)?, c.s(G::O1))?;
    let d2 = day_of(c.s(G::D2)?, c.s(G::O2))?;
    let (m2, free) = month_of(c.s(G::M2)?)?;
    let y2 = c.s(G::Y2).and_then(num);
    if y2.is_none() {
        if !(free || c.m(G::DOT2).is_some()) {
            return None;
        }
        let after = c.m(G::DOT2).or_else(|| c.m(G::M2))?.end();
        if next_char(text, after).is_some_and(|n| n.is_alphanumeric()) {
            return None;
        }
    }
    range(text, c, (c.s(G::Y1).and_then(num), m1, d1), (y2, m2, d2))
}

fn parse_range_mdy(text: &str, c: &Caps) -> Option<Cand> {
    if !conn_ok(c, true) {
        return None;
    }
    let m1 = month_of(c.s(G::M1)?)?.0;
    let m2 = match c.s(G::M2) {
        Some(s) => month_of(s)?.0,
        None => m1,
    };
    let d1 = day_of(c.s(G::D1)?, None)?;
    let d2 = day_of(c.s(G::D2)?, None)?;
    range(
        text,
        c,
        (c.s(G::Y1).and_then(num), Some(m1), d1),
        (c.s(G::Y2).and_then(num), m2, d2),
    )
}

/// "et"/"and" between two complete dates is a list of days ("Dates : 12/03/2025, 19/03/2025 et
/// 26/03/2025"), not a range, unless introduced by "les"/"entre"/"between".
fn is_list_word(conn: &str) -> bool {
    let w = conn.trim().to_lowercase();
    w.starts_with("et") || w == "and"
}

fn parse_range_num(text: &str, c: &Caps) -> Option<Cand> {
    if !conn_ok(c, c.m(G::M1).is_some()) {
        return None;
    }
    if c.m(G::Y1).is_some() && is_list_word(c.s(G::CONN)?) && c.m(G::PRE).is_none() {
        return None;
    }
    let s2 = c.s(G::S2)?;
    if Some(s2) != c.s(G::S2B) {
        return None;
    }
    if let (Some(a), Some(b)) = (c.s(G::S1), c.s(G::S1B))
        && a != b
    {
        return None;
    }
    let short_ok = |y: &str, d: &str, m: &str, sep: &str| {
        y.len() == 4 || sep == "/" || (d.len() == 2 && m.len() == 2)
    };
    let (d2s, m2s, y2s) = (c.s(G::D2)?, c.s(G::M2)?, c.s(G::Y2)?);
    if !short_ok(y2s, d2s, m2s, s2) {
        return None;
    }
    let y1 = match c.s(G::Y1) {
        Some(y1s) => {
            if !short_ok(y1s, c.s(G::D1)?, c.s(G::M1)?, c.s(G::S1)?) {
                return None;
            }
            Some(expand_year(y1s)?)
        }
        None => None,
    };
    let m1 = match c.s(G::M1) {
        Some(s) => Some(i8::try_from(num(s)?).ok()?),
        None => None,
    };
    let d1 = i8::try_from(num(c.s(G::D1)?)?).ok()?;
    let d2 = i8::try_from(num(d2s)?).ok()?;
    let m2 = i8::try_from(num(m2s)?).ok()?;
    let mut cand = range(text, c, (y1, m1, d1), (Some(expand_year(y2s)?), m2, d2))?;
    cand.flip = m1.is_some_and(|m1| m1 <= 12 && d1 <= 12) && m2 <= 12 && d2 <= 12;
    Some(cand)
}

/// The candidate read month first instead of day first (`None` when that reading is not a
/// date).
fn flipped(c: &Cand) -> Option<Cand> {
    let swap = |md: Md| Md { m: md.d, d: md.m };
    let val = match c.val {
        Val::Single { y, md, time } => {
            let md = swap(md);
            match y {
                Some(y) => {
                    mk_date(y, md.m, md.d)?;
                }
                None if !md_ok(md.m, md.d) => return None,
                None => {}
            }
            Val::Single { y, md, time }
        }
        Val::Range { y, a, back, b } => {
            let (a, b) = (swap(a), swap(b));
            let y = y?;
            if mk_date(y - back, a.m, a.d)? > mk_date(y, b.m, b.d)? {
                return None;
            }
            Val::Range {
                y: Some(y),
                a,
                back,
                b,
            }
        }
    };
    Some(Cand { val, ..*c })
}

/// How a document writes its all-numeric dates whose two first parts could both be a month
/// ("06/05/2014"): day first (French), or month first, with the reason.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DayOrder {
    #[default]
    DayFirst,
    MonthFirst(&'static str),
}

/// Numeric dates with a four-digit year, for the document-level order decision.
static RE_NUMERIC_ORDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9./-])([0-9]{1,2})[/-]([0-9]{1,2})[/-](?:19|20)[0-9]{2}(?:[^0-9]|$)")
        .expect("valid regex")
});

/// Every numeric date with a four-digit year (adjacent ones in a table row included).
static RE_NUMERIC_AMBIGUOUS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([0-9]{1,2})[/-]([0-9]{1,2})[/-]((?:19|20)[0-9]{2})\b").expect("valid regex")
});

/// British English writes numeric dates day first: "£", "Ltd", "+44", "United Kingdom".
static RE_BRITISH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"£|(?i:\bltd\b|\+44[ 0-9]|\bunited kingdom\b|\bengland\b)").expect("valid regex")
});

/// English month names (and their usual abbreviations), for the written-date order test.
const EN_MONTH_NAMES: &str = "january|february|march|april|may|june|july|august|september|october|\
november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec";

/// A date written month first, American style: "January 2, 2025", "Jan. 2nd 2025".
static RE_WRITTEN_MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:{EN_MONTH_NAMES})\.? [0-9]{{1,2}}(?:st|nd|rd|th)?,? (?:19|20)[0-9]{{2}}\b"
    ))
    .expect("valid regex")
});

/// A date written day first: "2 January 2025", "2nd Jan 2025", "2 janvier 2025".
static RE_WRITTEN_DAY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b[0-9]{{1,2}}(?:st|nd|rd|th|er)? (?:of )?(?:{EN_MONTH_NAMES}|janvier|février|\
mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)\.?,? (?:19|20)[0-9]{{2}}\b"
    ))
    .expect("valid regex")
});

/// Words only English (resp. French) prose uses often.
const EN_WORDS: &[&str] = &[
    "the", "and", "of", "to", "for", "with", "your", "you", "is", "are", "this", "from", "by",
    "on", "at", "we", "our", "will", "please", "have",
];
/// Words of English (resp. French) form and survey exports, whose text is a few headers: a
/// short text made of these is in that language even without prose.
const EN_FORM_WORDS: &[&str] = &[
    "submitted",
    "timestamp",
    "respondent",
    "response",
    "responses",
    "rating",
    "recommend",
    "completed",
    "feedback",
    "overall",
    "comments",
    "course",
    "trainer",
    "yes",
    "signed",
    "unsigned",
    "attendee",
    "attendees",
    "participant",
    "score",
    "answer",
    "answers",
];
const FR_FORM_WORDS: &[&str] = &[
    "horodateur",
    "réponse",
    "réponses",
    "note",
    "oui",
    "non",
    "commentaires",
    "formation",
    "stagiaire",
    "stagiaires",
    "nom",
    "prénom",
    "signé",
    "satisfaction",
    "formateur",
    "formatrice",
    "répondant",
    "envoyé",
    "appréciation",
];
const FR_WORDS: &[&str] = &[
    "le", "la", "les", "des", "du", "et", "pour", "avec", "vous", "est", "sont", "ce", "cette",
    "une", "dans", "sur", "par", "aux", "nous", "votre",
];

impl DayOrder {
    /// The order of one document (all its texts together): month first when its unambiguous
    /// numeric dates are all month-first ("06/17/2014"), or when it has none either way and is
    /// written in English (not British English: "£", "Ltd", "+44"); day first otherwise.
    pub fn of_document<'a>(texts: impl IntoIterator<Item = &'a str>) -> DayOrder {
        let (mut month_first, mut day_first) = (0usize, 0usize);
        let (mut en, mut fr) = (0usize, 0usize);
        let (mut en_form, mut fr_form, mut words) = (0usize, 0usize, 0usize);
        let mut british = false;
        // Dates written with their month's name: month first ("January 2, 2025") or day first.
        let (mut written_month_day, mut written_day_month) = (0usize, 0usize);
        // Ambiguous dates (both parts ≤ 12), with their year, for the consecutive-days test.
        let mut ambiguous: Vec<(i16, i8, i8)> = Vec::new();
        for text in texts {
            british |= RE_BRITISH.is_match(text);
            written_month_day += RE_WRITTEN_MONTH_DAY.find_iter(text).count();
            written_day_month += RE_WRITTEN_DAY_MONTH.find_iter(text).count();
            for c in RE_NUMERIC_ORDER.captures_iter(text) {
                let a: u32 = c.get(1).and_then(|m| m.as_str().parse().ok()).unwrap_or(0);
                let b: u32 = c.get(2).and_then(|m| m.as_str().parse().ok()).unwrap_or(0);
                match (a, b) {
                    (1..=12, 13..=31) => month_first += 1,
                    (13..=31, 1..=12) => day_first += 1,
                    _ => {}
                }
            }
            for c in RE_NUMERIC_AMBIGUOUS.captures_iter(text) {
                let n = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<i16>().ok());
                if let (Some(a @ 1..=12), Some(b @ 1..=12), Some(y)) = (n(1), n(2), n(3)) {
                    ambiguous.push((y, a as i8, b as i8));
                }
            }
            for w in text
                .split(|c: char| !c.is_alphabetic())
                .filter(|w| w.len() >= 2)
            {
                words += 1;
                let w = w.to_lowercase();
                if (2..=6).contains(&w.len()) && EN_WORDS.contains(&w.as_str()) {
                    en += 1;
                } else if (2..=6).contains(&w.len()) && FR_WORDS.contains(&w.as_str()) {
                    fr += 1;
                }
                if EN_FORM_WORDS.contains(&w.as_str()) {
                    en_form += 1;
                } else if FR_FORM_WORDS.contains(&w.as_str()) {
                    fr_form += 1;
                }
            }
        }
        if day_first > 0 {
            DayOrder::DayFirst
        } else if month_first > 0 {
            DayOrder::MonthFirst(
                "read month first: the document's other numeric dates are month-first",
            )
        } else if let Some(order) = consecutive_order(&ambiguous) {
            order
        } else if written_month_day > 0 && written_day_month == 0 {
            // The writer's own habit outweighs hints of the country ("Ltd" in a client's name).
            DayOrder::MonthFirst(
                "read month first: the document writes its dates month first (\"January 2, 2025\")",
            )
        } else if written_day_month > 0 && written_month_day == 0 {
            DayOrder::DayFirst
        } else if en >= 8 && en >= 3 * fr && !british {
            DayOrder::MonthFirst("read month first: the document is in English")
        } else if en_form >= 3 && fr_form == 0 && fr == 0 && en + en_form >= words / 20 && !british
        {
            DayOrder::MonthFirst("read month first: an export with English headers")
        } else {
            DayOrder::DayFirst
        }
    }
}

/// A training runs on consecutive days: when a document's ambiguous dates ("02/04/2025",
/// "02/05/2025", "02/06/2025") are consecutive days read one way and not the other, that way is
/// the document's order. `None` when fewer than three dates or no clear winner.
fn consecutive_order(dates: &[(i16, i8, i8)]) -> Option<DayOrder> {
    if dates.len() < 3 {
        return None;
    }
    let runs = |month_first: bool| {
        let mut days: Vec<Date> = dates
            .iter()
            .filter_map(|&(y, a, b)| {
                let (m, d) = if month_first { (a, b) } else { (b, a) };
                Date::new(y, m, d).ok()
            })
            .collect();
        days.sort();
        days.dedup();
        days.windows(2)
            .filter(|w| (w[1] - w[0]).get_days() == 1)
            .count()
    };
    let (mf, df) = (runs(true), runs(false));
    if mf >= 2 && df == 0 {
        Some(DayOrder::MonthFirst(
            "read month first: the document's dates are consecutive days only that way",
        ))
    } else if df >= 2 && mf == 0 {
        Some(DayOrder::DayFirst)
    } else {
        None
    }
}

/// Two complete dates joined by "au", "to", "-", "et"… make a range ("du 12 mars 2025 à 9h au
/// 14 mars 2025 à 17h", "du 28 décembre 2024 au 3 janvier 2025").
fn combine(text: &str, atoms: &[Cand], out: &mut Vec<Cand>) {
    let mut sorted: Vec<&Cand> = atoms.iter().collect();
    sorted.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end)));
    for (i, a) in sorted.iter().enumerate() {
        let Val::Single {
            y: Some(ya),
            md: ma,
            ..
        } = a.val
        else {
            continue;
        };
        let Some(b) = sorted[i + 1..].iter().find(|b| b.start >= a.end) else {
            continue;
        };
        let Val::Single {
            y: Some(yb),
            md: mb,
            ..
        } = b.val
        else {
            continue;
        };
        let Some(gap) = text.get(a.end..b.start) else {
            continue;
        };
        if gap.len() > 24 || !RE_CONNECTOR.is_match(gap) {
            continue;
        }
        let prefix = {
            let lo = floor_boundary(text, a.start.saturating_sub(16));
            text.get(lo..a.start)
                .and_then(|w| RE_RANGE_PREFIX.find(w))
                .map(|m| lo + m.start())
                .filter(|&s| prev_char(text, s).is_none_or(|p| !p.is_alphanumeric()))
        };
        if is_list_word(gap) && prefix.is_none() {
            continue;
        }
        let (Some(da), Some(db)) = (mk_date(ya, ma.m, ma.d), mk_date(yb, mb.m, mb.d)) else {
            continue;
        };
        let back = yb - ya;
        if da > db || back > 3 {
            continue;
        }
        out.push(Cand {
            start: prefix.unwrap_or(a.start),
            end: b.end,
            val: Val::Range {
                y: Some(yb),
                a: ma,
                back,
                b: mb,
            },
            flip: false,
        });
    }
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Keeps the longest candidates that do not overlap.
fn select(mut cands: Vec<Cand>) -> Vec<Cand> {
    cands.sort_by_key(|c| {
        (
            std::cmp::Reverse(c.end - c.start),
            c.start,
            !matches!(c.val, Val::Range { .. }),
        )
    });
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    let mut out = Vec::new();
    for c in cands {
        let before = taken.range(..=c.start).next_back();
        if before.is_some_and(|(_, &e)| e > c.start) {
            continue;
        }
        let after = taken.range(c.start..).next();
        if after.is_some_and(|(&s, _)| s < c.end) {
            continue;
        }
        taken.insert(c.start, c.end);
        out.push(c);
    }
    out.sort_by_key(|c| c.start);
    out
}

/// Days between two dates.
fn gap_days(a: Date, b: Date) -> i64 {
    (a.duration_since(b).as_secs() / 86_400).abs()
}

/// Gives year-less dates the year of the complete date written just before them (else just
/// after, within [`YEARLESS_WINDOW`]), choosing among that year ±1 the one closest in time;
/// drops them when there is none.
fn settle(cands: &[Cand]) -> Vec<(Cand, Settled)> {
    let refs: Vec<(usize, Date)> = cands
        .iter()
        .filter_map(|c| match c.val {
            Val::Single { y: Some(y), md, .. } => Some((c.start, mk_date(y, md.m, md.d)?)),
            Val::Range { y: Some(y), b, .. } => Some((c.start, mk_date(y, b.m, b.d)?)),
            _ => None,
        })
        .collect();
    let mut out = Vec::with_capacity(cands.len());
    for c in cands {
        let known = match c.val {
            Val::Single { y, .. } | Val::Range { y, .. } => y,
        };
        let year = match known {
            Some(y) => y,
            None => {
                // The year written last before it ("du 10 au 12 mars 2025 … avant le 5 mars"),
                // else the next one.
                let i = refs.partition_point(|(p, _)| *p < c.start);
                let near = [i.checked_sub(1), Some(i)]
                    .into_iter()
                    .flatten()
                    .filter_map(|j| refs.get(j))
                    .find(|(p, _)| p.abs_diff(c.start) <= YEARLESS_WINDOW);
                let Some(&(_, refd)) = near else { continue };
                let probe = match c.val {
                    Val::Single { md, .. } => md,
                    Val::Range { b, .. } => b,
                };
                let ry = i32::from(refd.year());
                let best = (ry - 1..=ry + 1)
                    .filter_map(|y| Some((y, mk_date(y, probe.m, probe.d)?)))
                    .min_by_key(|(_, d)| gap_days(*d, refd));
                let Some((y, _)) = best else { continue };
                y
            }
        };
        let settled = match c.val {
            Val::Single { md, time, .. } => {
                let Some(d) = mk_date(year, md.m, md.d) else {
                    continue;
                };
                Settled::Single(d, time)
            }
            Val::Range { a, back, b, .. } => {
                let (Some(da), Some(db)) =
                    (mk_date(year - back, a.m, a.d), mk_date(year, b.m, b.d))
                else {
                    continue;
                };
                if da > db {
                    continue;
                }
                Settled::Range(da, db)
            }
        };
        out.push((*c, settled));
    }
    out
}

/// The longest a match can be (a range with weekdays and times is under 100 bytes).
const MAX_MATCH: usize = 400;
/// Text before the first digit of a date ("entre le mercredi ", "from Wednesday, September ").
const LOOKBACK: usize = 64;
/// Text after the last digit of a date ("12 septembre.", "14:32 UTC"), and the largest gap
/// between two digits of one date ("12 septembre au mercredi 14").
const LOOKAHEAD: usize = 64;

/// The end of the run of letters, digits and date separators around `at`, when that run is
/// longer than any date.
fn glued_run(bytes: &[u8], at: usize) -> Option<usize> {
    const LONGEST: usize = 32;
    let glued = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'/' | b'-' | b':');
    let before = bytes
        .get(..at)?
        .iter()
        .rev()
        .take(LONGEST + 1)
        .take_while(|b| glued(b))
        .count();
    let after = bytes.get(at..)?.iter().take_while(|b| glued(b)).count();
    (before + after > LONGEST && after > 0).then_some(at + after)
}

/// Every candidate of the text. [`RE_ANY`] finds the next place where some pattern matches; the
/// anchored set says which ones, and only those are run with captures. A rejected match does
/// not hide a date starting inside it: the search goes on one character after its start.
fn candidates(text: &str, order: DayOrder) -> Vec<(Cand, Settled)> {
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return Vec::new();
    }
    let mut all = Vec::new();
    let mut pos = 0;
    let bytes = text.as_bytes();
    // Every pattern holds a digit at most LOOKBACK bytes after its start and ends at most
    // LOOKAHEAD bytes after its last digit: the locator only runs over windows around clusters
    // of digits, and skips prose.
    let mut window_end = 0;
    while pos < text.len() {
        if pos >= window_end {
            let Some(d) = bytes[pos..]
                .iter()
                .position(u8::is_ascii_digit)
                .map(|i| pos + i)
            else {
                break;
            };
            let mut e = d;
            while let Some(i) = bytes
                .get(e + 1..(e + 1 + LOOKAHEAD).min(bytes.len()))
                .and_then(|w| w.iter().position(u8::is_ascii_digit))
            {
                e += 1 + i;
            }
            pos = pos.max(floor_boundary(text, d.saturating_sub(LOOKBACK)));
            window_end = ceil_boundary(text, e + 1 + LOOKAHEAD);
        }
        let Some(m) = RE_ANY.find_at(&text[..window_end], pos) else {
            pos = window_end;
            continue;
        };
        let s = m.start();
        let hay = &text[..ceil_boundary(text, s + MAX_MATCH)];
        let mut next = None;
        for i in RE_SET.matches(&hay[s..]).iter() {
            let (Some(re), Some(&(_, parse)), Some(slots)) =
                (RE_EACH.get(i), PATTERNS.get(i), SLOTS.get(i))
            else {
                continue;
            };
            let Some(caps) = re.captures_at(hay, s) else {
                continue;
            };
            let c = Caps { caps, slots };
            if c.get(0).is_none_or(|g| g.start() != s) {
                continue;
            }
            if let Some(cand) = parse(text, &c) {
                next = next.max(Some(cand.end));
                all.push(cand);
            }
        }
        pos = match next {
            Some(e) if e > s => e,
            // Rejected inside a long glued run ("12/12/12/…", a reference number): a date
            // starting further in would be glued too; skip the run rather than retry each byte.
            _ => match glued_run(bytes, s) {
                Some(run_end) => run_end,
                None => s + next_char(text, s).map_or(1, char::len_utf8),
            },
        };
    }
    if let DayOrder::MonthFirst(_) = order {
        for c in all.iter_mut().filter(|c| c.flip) {
            match flipped(c) {
                Some(f) => *c = f,
                None => c.flip = false,
            }
        }
    } else {
        for c in &mut all {
            c.flip = false;
        }
    }
    let mut ranges = Vec::new();
    combine(text, &all, &mut ranges);
    all.extend(ranges);
    settle(&select(all))
}

// ---------------------------------------------------------------------------------------------
// Roles

/// Lower case, accents removed, typographic apostrophes and spaces made plain.
pub(crate) fn normalise(s: &str) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(s.len());
    let mut rest = s;
    while !rest.is_empty() {
        // ASCII runs: one bulk, vectorisable copy.
        let n = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let (ascii, tail) = rest.split_at(n);
        out.extend(ascii.bytes().map(|b| match b {
            b'\t' | b'\r' | 0x0C => b' ',
            _ => b.to_ascii_lowercase(),
        }));
        rest = tail;
        let Some(c) = rest.chars().next() else {
            break;
        };
        rest = &rest[c.len_utf8()..];
        if ('\u{300}'..='\u{36F}').contains(&c) {
            continue;
        }
        for l in c.to_lowercase() {
            let mapped: &str = match l {
                'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => "a",
                'ç' => "c",
                'é' | 'è' | 'ê' | 'ë' => "e",
                'î' | 'ï' | 'í' | 'ì' => "i",
                'ô' | 'ö' | 'ó' | 'ò' | 'õ' => "o",
                'ù' | 'û' | 'ü' | 'ú' => "u",
                'ÿ' | 'ý' => "y",
                'ñ' => "n",
                'œ' => "oe",
                'æ' => "ae",
                '’' | '‘' | '`' | 'ʼ' => "'",
                '\u{A0}' | '\u{202F}' | '\u{2009}' => " ",
                'ᵉ' => "e",
                'ʳ' => "r",
                _ => {
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(l.encode_utf8(&mut buf).as_bytes());
                    continue;
                }
            };
            out.extend_from_slice(mapped.as_bytes());
        }
    }
    // Only whole UTF-8 sequences were written.
    String::from_utf8(out).unwrap_or_default()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cue {
    Signature,
    Document,
    /// A session keyword: start for a single date, start/end for a range.
    Session,
    Start,
    End,
    Other,
    /// "Date :" just before: signature, document or other depending on the surroundings.
    DateLabel,
}

/// Role keywords, read on the normalised context before a date. When several match, the last
/// one (the closest to the date) wins; at the same position the first listed wins.
const RULES: &[(&str, Cue, &str)] = &[
    // other (before the session/end words they contain)
    (
        r"valable\s+jusqu|validite|valid\s+(?:until|through)|expir",
        Cue::Other,
        "after a validity word ('valable jusqu'au', 'validité')",
    ),
    (
        r"\bnee?s?\s+le\b|date\s+de\s+naissance|\bnaissance\b|\bborn\b|\bbirth",
        Cue::Other,
        "after a birth word ('né le')",
    ),
    (
        r"echeance|date\s+limite|due\s+date|\bpayable\b|a\s+regler|au\s+plus\s+tard|\bavant\s+le\b|date\s+de\s+(?:paiement|reglement)|\breglement\b|\bpaiement\b",
        Cue::Other,
        "after a due-date word ('échéance')",
    ),
    (
        r"\b(?:viewed|sent|delivered|opened|created)\b|envoye(?:e)?\s+le|consulte(?:e)?\s+le|cree(?:e)?\s+le|recu(?:e)?\s+le",
        Cue::Other,
        "after an event word that is not signing ('envoyé le', 'sent')",
    ),
    // signature
    (
        r"\bissued\s+(?:in|at)\s+[a-z' -]{1,40}?\s+on\s*$",
        Cue::Signature,
        "after 'Issued in … on' (place and date of signing)",
    ),
    (
        r"\bfait\s+(?:a|au|en|le)\b",
        Cue::Signature,
        "after 'Fait à …, le'",
    ),
    (
        r"date\s*(?:et|&|/)\s*signature|signature\s*(?:et|&|/)\s*date",
        Cue::Signature,
        "after 'Date et signature'",
    ),
    (
        r"date\s+(?:de|of)\s+(?:la\s+)?signature|signature\s+date|signing\s+date",
        Cue::Signature,
        "after 'Date de signature'",
    ),
    (
        r"\bsigne(?:e|s|es)?\b|\bsigned\b",
        Cue::Signature,
        "after 'Signé …' / 'Signed'",
    ),
    (
        r"\bcompleted\s*(?:at|on|le)?\s*:?\s*$",
        Cue::Signature,
        "after 'Completed' (e-signature audit)",
    ),
    (
        r"horodat|timestamp",
        Cue::Signature,
        "after 'Horodatage' (timestamp)",
    ),
    (
        r"lu\s+et\s+approuve",
        Cue::Signature,
        "after 'Lu et approuvé'",
    ),
    (
        r"bon\s+pour\s+accord",
        Cue::Signature,
        "after 'Bon pour accord'",
    ),
    (
        r"\bpour\s+(?:le|la|l')\s*[a-z' -]{0,40}?\s+le\s*:?\s*$",
        Cue::Signature,
        "after 'Pour le … le :'",
    ),
    // document
    (
        r"date\s+(?:de\s+|d')?(?:la\s+)?factur|invoice\s+date|date\s+of\s+invoice",
        Cue::Document,
        "after 'Date de facture'",
    ),
    (
        r"date\s+d'?\s*emission|\bemise?\s+le\b|\bdelivree?s?\s+le\b|date\s+of\s+issue|issue\s+date|\bissued\b|\bdated\b",
        Cue::Document,
        "after 'Date d'émission'",
    ),
    (
        r"date\s+du\s+(?:devis|document|courrier|bon)|date\s+de\s+(?:la\s+)?(?:proposition|commande|l'offre|l'avoir)",
        Cue::Document,
        "after 'Date du devis'",
    ),
    (
        r"\b(?:facture|devis|avoir|proposition|bon\s+de\s+commande|convention|contrat|avenant|courrier|lettre|invoice|quote)(?:\s+(?:n|no|num|numero|ref|reference|#)\s*[°o.:]*\s*[a-z0-9/_.-]+)?\s+(?:du|of|dated)\s*:?\s*$",
        Cue::Document,
        "after 'Facture/Devis … du'",
    ),
    (
        r"version\s+du\b|\bversion\s*:|\bv\d[\d.]*\s+du\b",
        Cue::Document,
        REASON_VERSION,
    ),
    (
        r"mise?s?\s+a\s+jour|\bmaj\b|actualise(?:e)?|publie(?:e)?\s+le|revise(?:e)?\s+le|derniere\s+modification|updated|last\s+update|revised",
        Cue::Document,
        REASON_UPDATE,
    ),
    (
        r"date\s+d'edition|edite(?:e)?\s+le|genere(?:e)?\s+le|generated|exporte(?:e)?s?\s+le|extraite?s?\s+(?:de\s+[a-z' ]{1,30}\s+)?le\b|imprime(?:e)?\s+le|printed",
        Cue::Document,
        REASON_EDITION,
    ),
    // session
    (
        r"date\s+de\s+debut|debut\s+de\s+(?:la\s+)?(?:formation|session|stage|l'action)|\bstart\s+date|\bstarting\b|\bdebut\s*:",
        Cue::Start,
        "after 'Date de début'",
    ),
    (
        r"date\s+de\s+fin|fin\s+de\s+(?:la\s+)?(?:formation|session|stage|l'action)|\bend\s+date|\bfin\s*:|\bjusqu'au\b|\buntil\b",
        Cue::End,
        "after 'Date de fin'",
    ),
    (r"\bperiode\b|\bperiod\b", Cue::Session, "near 'Période'"),
    (
        r"\bcalendrier\b|\bschedule\b",
        Cue::Session,
        "after 'Calendrier'",
    ),
    (
        r"\bdemarre(?:ra)?\s+le|\bdebute(?:ra)?\s+le|\bcommence(?:ra)?\s+le|\bstarts?\s+on",
        Cue::Start,
        "after 'démarre le' / 'débute le'",
    ),
    (
        r"(?:devra|doit)\s+etre\s+termine(?:e)?s?\s+le|se\s+termine(?:ra)?\s+le|prend(?:ra)?\s+fin\s+le|\bends?\s+on",
        Cue::End,
        "after 'se termine le'",
    ),
    (
        r"\b(?:realisee?s?|effectuee?s?|dispensee?s?)\s+(?:le|les)\b|\bheld\s+on",
        Cue::Session,
        "after 'réalisée le' / 'held on'",
    ),
    (
        r"\bdates?\s*,\s*(?:duree|horaires?|lieu)",
        Cue::Session,
        "after 'Dates, durée et lieu'",
    ),
    (
        r"dates?\s*\(s\)|dates?\s+(?:de\s+|d'|du\s+|des\s+)?(?:la\s+|l')?(?:formation|session|stage|action|intervention|realisation|cours)|\bdates\s*:|training\s+dates?|course\s+dates?",
        Cue::Session,
        "near 'Date(s) de formation'",
    ),
    (
        r"s'est\s+deroulee?s?|se\s+deroulera|se\s+deroulant|se\s+deroule|(?:aura|auront|a|ont|a\s+eu|ont\s+eu)\s+lieu|s'est\s+tenue?|a\s+suivi|a\s+participe|attended",
        Cue::Session,
        "after 'qui s'est déroulée / se déroulera'",
    ),
    (
        r"\b(?:session|formation|stage|journee|module)(?:\s+du)?\s*$|\bfrom\s*$",
        Cue::Session,
        "after 'Session du' / 'from'",
    ),
    // "Date :" right before the date
    (
        r"(?:^|[^a-z'])date\s*:?\s*$",
        Cue::DateLabel,
        "after 'Date :'",
    ),
];

/// One rule alone, with ASCII word boundaries and classes (the context is normalised).
fn rule_pattern(p: &str) -> String {
    ascii_classes(&p.replace(r"\b", r"(?-u:\b)"))
}

/// All rules in one: finds the keywords of a context in a single pass.
static RE_RULES: LazyLock<Regex> = LazyLock::new(|| {
    let alts: Vec<String> = RULES
        .iter()
        .map(|(p, _, _)| format!("(?:{})", rule_pattern(p)))
        .collect();
    big_regex(&alts.join("|"))
});

/// The rules anchored at the start: which one matched where [`RE_RULES`] found a keyword.
static RE_RULE_SET: LazyLock<regex::RegexSet> = LazyLock::new(|| {
    regex::RegexSet::new(
        RULES
            .iter()
            .map(|(p, _, _)| format!("^(?:{})", rule_pattern(p))),
    )
    .expect("role regex set is valid")
});

/// A time range right after a date: ", 9h00 – 12h30", " de 9h à 17h".
static RE_HOURS_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&ascii_classes(
        r"^[\s,;:(]*(?:(?:de\s+)?\d{1,2}\s*[h:]\s*\d{0,2}\s*)?(?:-|–|—|a|au)\s*\d{1,2}\s*[h:]",
    ))
    .expect("valid regex")
});

/// "Pour valoir ce que de droit. Lyon, le" — a city and "le" after a sentence on the line.
static RE_SENTENCE_CITY_LE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&ascii_classes(r"[.;]\s+[a-z][a-z' -]{1,40}\s*,\s*le\s*$")).expect("valid regex")
});

/// "Lyon, le" / "À Lyon, le" / "Le" alone before a date at the start of a line.
static RE_CITY_LE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&ascii_classes(
        r"^\s*(?P<a>a\s+)?[a-z][a-z0-9' .-]{0,40}?\s*,\s*le\s*$",
    ))
    .expect("valid regex")
});

/// The closest role keyword in `ctx`: the last keyword found, and the first rule (in table
/// order) that matches there.
fn closest_cue(ctx: &str) -> Option<(Cue, &'static str)> {
    let last = RE_RULES.find_iter(ctx).last()?;
    let i = RE_RULE_SET
        .matches(ctx.get(last.start()..)?)
        .iter()
        .next()?;
    RULES.get(i).map(|&(_, cue, why)| (cue, why))
}

/// Answer keywords: the words saying a form was filled, submitted, taken or collected then
/// (read on the normalised context before a date, like [`RULES`]).
const ANSWER_RULES: &[(&str, &str)] = &[
    (
        r"date\s+(?:de\s+(?:la\s+)?|des\s+)?reponses?\b|\breponse\s+(?:du|le|recue?\s+le)\b|\brepondu(?:e|s|es)?\b|response\s+date|date\s+of\s+(?:the\s+)?response|\bresponded\b|\banswered\b",
        "answer: after 'Date de réponse' / 'Répondu le'",
    ),
    (
        r"\b(?:rempli|complete|renseigne|saisi|soumis)(?:e|s|es)?\b[^.\n]{0,40}?(?:\b(?:le|les|entre|du|on))?\s*:?\s*$|date\s+de\s+(?:saisie|soumission|remplissage|completion)",
        "answer: after 'Rempli le' / 'Complété le'",
    ),
    (
        r"\b(?:evaluations?|tests?|qcm|quiz|questionnaires?|positionnements?|autodiagnostics?|auto-positionnements?|grilles?|entretiens?|recueils?|bilans?|epreuves?|assessments?|surveys?)\b[^.\n]{0,30}?\b(?:realise|effectue|passe|conduit|mene|administre|organise)(?:e|s|es)?\b[^.\n]{0,30}?$|(?:^|\n)\s*(?:realise|effectue|passe)(?:e|s|es)?\s+(?:le|les|entre)\b",
        "answer: after 'Évaluation réalisée le' (when the form was taken)",
    ),
    (
        r"\bcompleted\s*(?:at|on)?\s*:?\s*$|date\s+completed|\bsubmi(?:tted|ssion|t)\b|filled\s+(?:in|out)(?:\s+on)?",
        "answer: after 'Completed on' / 'Submitted'",
    ),
    (
        r"\bpassation\b|\bpasse(?:e)?\s+le\b|\btaken\s+on\b",
        "answer: after 'Date de passation'",
    ),
    (
        r"\b(?:recueilli|collecte|retourne)(?:e|s|es)?\s+le\b|date\s+de\s+retour\b|\bcollected\s+on\b|\breturned\s+on\b",
        "answer: after 'Recueilli le' (answers collected)",
    ),
    (
        r"date\s+d'envoi\s+(?:du\s+questionnaire|de\s+l'enquete|aux\s+)|\b(?:envoye|adresse|diffuse|transmis|administre|propose|soumis)(?:e|s|es)?\s+(?:aux|au|a\s+l'|aux\s+\d+|a)\s*[a-z' ]{0,24}?(?:stagiaires|apprenants|participants|beneficiaires|repondants|salaries|stagiaire|apprenant|participant|beneficiaire)\b|\b(?:sent|administered|distributed)\s+to\s+(?:the\s+|all\s+)?(?:participants|trainees|learners|respondents|attendees)\b",
        "answer: after 'Envoyé aux stagiaires' (the form was put to its respondents then)",
    ),
    (
        r"horodat|timestamp",
        "answer: after 'Horodatage' / 'Timestamp' (survey answer time)",
    ),
    (
        r"date\s+(?:de\s+l'|d')(?:evaluation|entretien|examen)|date\s+du\s+(?:test|qcm|quiz)|date\s+of\s+(?:the\s+)?(?:survey|assessment|evaluation|test)|(?:survey|assessment|test)\s+date|\bevalue(?:e|s|es)?\s+le\b|\b(?:evaluation|test|qcm|quiz|examen|entretien|positionnement|autodiagnostic)\s+(?:a\s+(?:chaud|froid)\s+)?(?:du|le)\s*:?\s*$|date\s+de\s+passage\b",
        "answer: after 'Date de l'évaluation' / 'Date du test' / 'Date de l'entretien'",
    ),
];

static RE_ANSWER: LazyLock<Regex> = LazyLock::new(|| {
    let alts: Vec<String> = ANSWER_RULES
        .iter()
        .map(|(p, _)| format!("(?:{})", rule_pattern(p)))
        .collect();
    big_regex(&alts.join("|"))
});

static RE_ANSWER_SET: LazyLock<regex::RegexSet> = LazyLock::new(|| {
    regex::RegexSet::new(
        ANSWER_RULES
            .iter()
            .map(|(p, _)| format!("^(?:{})", rule_pattern(p))),
    )
    .expect("answer regex set is valid")
});

/// The respondent block of a form: who answered ("Nom", "Prénom", "Stagiaire", "Name"…).
static RE_RESPONDENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&rule_pattern(
        r"\bnom\s*(?:\([^)\n]{0,30}\)\s*)?(?::|\t|$|et\s+prenom|du\s+(?:stagiaire|participant|salarie|repondant)|de\s+l'(?:apprenant|eleve))|\b(?:prenom|stagiaire|participant|participante|apprenant|apprenante|beneficiaire|repondant|name|trainee|learner|respondent|participant|evaluateur|evaluatrice|correcteur|correctrice|examinateur|examinatrice|assessor|evaluator)\b",
    ))
    .expect("valid regex")
});

/// Whether the words before a date (and, for a bare "Date :", around it) say it is when a
/// form was answered: the closest answer keyword, with no other role keyword after it
/// ("Formulaire v3 – mis à jour le 05/01/2024" is an update date, not an answer).
fn answer_cue(before: &str, after: &str, cue: Option<Cue>) -> Option<&'static str> {
    // A due-date, validity or event word, or a version/edition word, after the answer word
    // wins ("à compléter avant le", "complété … mis à jour le"); session words inside the
    // answer phrase do not ("complété en début de formation, le").
    let overridden = |from: usize| {
        RE_RULES
            .find_iter(before)
            .filter(|r| r.start() > from)
            .filter_map(|r| {
                let i = RE_RULE_SET
                    .matches(before.get(r.start()..)?)
                    .iter()
                    .next()?;
                RULES.get(i).map(|x| x.1)
            })
            .any(|c| matches!(c, Cue::Other | Cue::Document))
    };
    if let Some(m) = RE_ANSWER.find_iter(before).last()
        && !overridden(m.start())
        && let Some(i) = before
            .get(m.start()..)
            .and_then(|rest| RE_ANSWER_SET.matches(rest).iter().next())
    {
        return ANSWER_RULES.get(i).map(|&(_, why)| why);
    }
    // "Nom : Julie Martin    Date : 14/03/2025": a bare date label in the respondent block.
    if cue == Some(Cue::DateLabel) {
        // The rest of the line and the next one ("Date : 01/04/2025" above "Stagiaire | …").
        if RE_RESPONDENT.is_match(before) || RE_RESPONDENT.is_match(after) {
            return Some(
                "answer: after 'Date :' in the respondent block ('Nom', 'Stagiaire', 'Évaluateur')",
            );
        }
    }
    None
}

/// "Completion time", "Heure de fin", "Start date": the columns of a survey export (Microsoft
/// Forms, Typeform…) that hold each answer's start or end, read as answers only next to
/// another answer column or a respondent column.
static RE_EXPORT_TIME_COLUMN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&rule_pattern(
        r"^(?:(?:start|end|completion|submission)\s+(?:date|time)|heure\s+de\s+(?:debut|fin))\b",
    ))
    .expect("valid regex")
});

/// Why a table column holds answer dates, from its header and the other headers of its row:
/// an answer keyword ("Horodateur", "Timestamp", "Submit Date", "Date de réponse"), a survey
/// export's start/end time next to another answer or respondent column, or a bare "Date"
/// column in a table of respondents ("Nom", "E-mail").
pub fn answer_column(header: &str, headers: &[&str]) -> Option<&'static str> {
    let h = normalise(header);
    let h = h.trim();
    if h.is_empty() {
        return None;
    }
    if let Some(m) = RE_ANSWER.find(h)
        && let Some(i) = h
            .get(m.start()..)
            .and_then(|rest| RE_ANSWER_SET.matches(rest).iter().next())
    {
        return ANSWER_RULES.get(i).map(|&(_, why)| why);
    }
    let others: Vec<String> = headers
        .iter()
        .map(|o| normalise(o))
        .filter(|o| o.trim() != h)
        .collect();
    let respondent = others.iter().any(|o| {
        RE_RESPONDENT.is_match(o)
            || o.contains("e-mail")
            || o.contains("email")
            || o.contains("messagerie")
    });
    let other_answer = others
        .iter()
        .any(|o| RE_ANSWER.is_match(o.trim()) || RE_EXPORT_TIME_COLUMN.is_match(o.trim()));
    if RE_EXPORT_TIME_COLUMN.is_match(h) && (other_answer || respondent) {
        return Some("answer: start/end time column of a survey export");
    }
    let bare_date = h == "date" || (h.starts_with("date") && h.len() <= 12 && !h.contains(' '));
    if bare_date && respondent {
        return Some("answer: 'Date' column of a table of respondents");
    }
    None
}

/// The longest line looked at around a date (a table row, a grid heading), in bytes.
const LINE_WINDOW: usize = 2048;

/// Start and end of the line holding byte `at`, when that line reaches at most [`LINE_WINDOW`]
/// bytes on each side of `at` (longer lines are not table rows).
fn line_around(text: &str, at: usize) -> Option<(usize, usize)> {
    let at = floor_boundary(text, at);
    let lo = floor_boundary(text, at.saturating_sub(LINE_WINDOW));
    let hi = ceil_boundary(text, at + LINE_WINDOW);
    let start = match text.get(lo..at)?.rfind('\n') {
        Some(i) => lo + i + 1,
        None if lo == 0 => 0,
        None => return None,
    };
    let end = match text.get(at..hi)?.find('\n') {
        Some(i) => at + i,
        None if hi == text.len() => text.len(),
        None => return None,
    };
    Some((start, end))
}

/// How many lines above a table row its header may sit (headers wrap over a few lines).
const TABLE_HEADER_LINES: usize = 6;

/// For a date in a row of a text table (cells separated by tabs, as extractors write table
/// rows): why its table holds answer dates, when a header line above, in the same block of
/// tabbed lines, names an answer column ("Apprenant · Date du test", "Horodateur").
pub fn table_header_answer(text: &str, at: usize) -> Option<&'static str> {
    let (line_start, line_end) = line_around(text, at)?;
    if !text.get(line_start..line_end)?.contains('\t') {
        return None;
    }
    // Bounded: a table row and its header are short; never rescan a huge text per date.
    let lo = floor_boundary(text, line_start.saturating_sub(LINE_WINDOW));
    let above = text.get(lo..line_start)?;
    for line in above.lines().rev().take(TABLE_HEADER_LINES) {
        if !line.contains('\t') {
            break;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        if let Some(why) = cells.iter().find_map(|c| answer_column(c, &cells)) {
            return Some(why);
        }
    }
    None
}

/// Reason of a date that heads a column or a row of an attendance grid: a day trainees sign.
pub const REASON_GRID_DAY: &str =
    "a day of the attendance grid (a table heading with its half-days or hours)";

/// Half-day and hour words of an attendance grid.
static RE_SLOT_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&rule_pattern(
        r"\b(?:matin|apres-midi|apres\s+midi|am|pm|morning|afternoon|demi-journee)\b|\b\d{1,2}\s*[h:]\s*\d{0,2}\b",
    ))
    .expect("valid regex")
});

/// Whether the date at `start..end` of `text` heads an attendance grid: it sits in a table row
/// (cells separated by tabs) or right above the half-days or hours of a grid.
pub fn is_grid_day(text: &str, start: usize, end: usize) -> bool {
    let end = ceil_boundary(text, end);
    let Some((line_start, line_end)) = line_around(text, start) else {
        return false;
    };
    if line_end < end {
        return false;
    }
    if text
        .get(line_start..line_end)
        .is_some_and(|l| l.contains('\t'))
    {
        return true;
    }
    let below: String = text
        .get(line_end..ceil_boundary(text, line_end + LINE_WINDOW))
        .unwrap_or("")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(2)
        .collect::<Vec<_>>()
        .join("\n");
    let here = text.get(end..line_end).unwrap_or("");
    RE_SLOT_WORDS.is_match(&normalise(here)) || RE_SLOT_WORDS.is_match(&normalise(&below))
}

/// End of the head of the text: the first [`HEAD_LINES`] non-empty lines, at most
/// [`HEAD_BYTES`] bytes.
fn head_end(text: &str) -> usize {
    let mut lines = 0;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        pos += line.len();
        if !line.trim().is_empty() {
            lines += 1;
        }
        if lines >= HEAD_LINES || pos >= HEAD_BYTES {
            break;
        }
    }
    pos.min(HEAD_BYTES)
}

struct Ctx<'a> {
    text: &'a str,
    head_end: usize,
}

impl Ctx<'_> {
    /// Normalised text before `start`: the previous line and the current line, but not before
    /// the end of the previous date (its keywords were its own). Also returns where the current
    /// line starts in it, or `None` when the window does not reach the line's start.
    fn before(&self, start: usize, floor: usize) -> (String, Option<usize>) {
        let lo = floor_boundary(self.text, start.saturating_sub(CONTEXT_BYTES)).max(floor);
        let window = self.text.get(lo..start).unwrap_or("");
        let (ctx_raw, reaches_line_start) = match window.rfind('\n') {
            Some(i) => {
                // The previous line is the last non-blank one (blank lines are layout).
                let mut end = i;
                let from = loop {
                    let from = window[..end].rfind('\n').map_or(0, |j| j + 1);
                    if from == 0 || !window[from..end].trim().is_empty() {
                        break from;
                    }
                    end = from - 1;
                };
                (&window[from..], true)
            }
            None => {
                let at = lo == 0 || self.text.as_bytes().get(lo - 1) == Some(&b'\n');
                (window, at)
            }
        };
        let ctx = normalise(ctx_raw);
        // Normalising keeps the newlines, so the line start is found again by position.
        let line_start = reaches_line_start.then(|| ctx.rfind('\n').map_or(0, |i| i + 1));
        (ctx, line_start)
    }

    /// Normalised rest of the line after `end`, plus the next line.
    fn after(&self, end: usize) -> String {
        let hi = ceil_boundary(self.text, end + AFTER_BYTES);
        let window = self.text.get(end..hi).unwrap_or("");
        let cut = window
            .match_indices('\n')
            .nth(1)
            .map_or(window.len(), |(i, _)| i);
        normalise(&window[..cut])
    }

    fn rest_of_line_empty(&self, end: usize) -> bool {
        let hi = ceil_boundary(self.text, end + AFTER_BYTES);
        let rest = self.text.get(end..hi).unwrap_or("");
        let line = rest.split('\n').next().unwrap_or("");
        line.chars()
            .all(|c| c.is_whitespace() || matches!(c, '.' | ',' | ';' | ':'))
    }
}

/// Role of a single date.
fn single_role(ctx: &Ctx, start: usize, end: usize, floor: usize) -> (DateRole, &'static str) {
    let (before, line_start) = ctx.before(start, floor);
    let line = line_start.and_then(|i| before.get(i..));
    let in_head = start < ctx.head_end;
    if let Some((cue, why)) = closest_cue(&before) {
        return match cue {
            Cue::Signature => (DateRole::Signature, why),
            Cue::Document => (DateRole::Document, why),
            Cue::Session | Cue::Start => (DateRole::SessionStart, why),
            Cue::End => (DateRole::SessionEnd, why),
            Cue::Other => (DateRole::Other, why),
            Cue::DateLabel => {
                if before.contains("signature") || ctx.after(end).contains("signature") {
                    (DateRole::Signature, "after 'Date :' next to 'Signature'")
                } else if in_head {
                    (
                        DateRole::Document,
                        "after 'Date :' at the head of the document",
                    )
                } else {
                    (
                        DateRole::Other,
                        "after 'Date :' (not at the head of the document)",
                    )
                }
            }
        };
    }
    // "Le lundi 16 juin 2025, 9h00 – 12h30": a sentence giving the day and its hours.
    if line.is_some_and(|l| l.trim() == "le") && RE_HOURS_AFTER.is_match(&ctx.after(end)) {
        return (DateRole::SessionStart, "followed by the day's hours");
    }
    // Under a signing block ("Bon pour accord – date, cachet et signature", a name, then
    // "Le 02/09/2024" or "Véronique Lambin – le 06/05/2025").
    let near = normalise(
        ctx.text
            .get(floor_boundary(ctx.text, start.saturating_sub(220))..start)
            .unwrap_or(""),
    );
    let signing_block = near.contains("bon pour accord")
        || near.contains("signature")
        || near.contains("lu et approuve");
    if let Some(line) = line.filter(|_| ctx.rest_of_line_empty(end)) {
        let short_le = line.trim() == "le"
            || (line.trim_end().ends_with(" le") && line.split_whitespace().count() <= 6);
        if short_le {
            if signing_block {
                return (DateRole::Signature, "'Le <date>' in a signing block");
            }
            return (
                DateRole::Document,
                "'Le <date>' alone at the start of a line",
            );
        }
        if let Some(c) = RE_CITY_LE.captures(line) {
            if !in_head {
                return (
                    DateRole::Signature,
                    "after '<Ville>, le' near the end (place and date of signing)",
                );
            }
            let _ = c;
            return (DateRole::Document, "after '<Ville>, le' (letter date)");
        }
        if !in_head && RE_SENTENCE_CITY_LE.is_match(line) {
            return (
                DateRole::Signature,
                "after '… <Ville>, le' near the end (place and date of signing)",
            );
        }
    }
    (DateRole::Other, "no role keyword nearby")
}

/// Roles of a range: a session period unless a validity/due-date word says otherwise.
fn range_role(ctx: &Ctx, start: usize, floor: usize) -> (DateRole, DateRole, &'static str) {
    let (before, _) = ctx.before(start, floor);
    match closest_cue(&before) {
        Some((Cue::Other, why)) => (DateRole::Other, DateRole::Other, why),
        Some((Cue::Session | Cue::Start | Cue::End, _)) if before.contains("period") => (
            DateRole::SessionStart,
            DateRole::SessionEnd,
            "range near 'Période'",
        ),
        Some((Cue::Session | Cue::Start | Cue::End, _)) => (
            DateRole::SessionStart,
            DateRole::SessionEnd,
            "range near a session word",
        ),
        _ => (
            DateRole::SessionStart,
            DateRole::SessionEnd,
            "range (default: session period)",
        ),
    }
}

static RE_LIST_GAP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&ascii_classes(
        r"^(?:\s*(?:,|;|/|&|\+|et|and|puis)\s*(?:le\s+)?|\s+(?:le\s+)?)$",
    ))
    .expect("valid regex")
});

/// Finds the dates of a text, sorted by start, each with its role.
///
/// Numeric dates are read day first; the only exception is a timestamp with AM/PM
/// ("3/12/2025 10:15 AM", DocuSign certificates), read month first. Year-less dates take the
/// year of the nearest complete date and are dropped when there is none.
pub fn find_dates(text: &str) -> Vec<FoundDate> {
    find_dates_in_order(text, DayOrder::of_document([text]))
}

/// [`find_dates`] with the document's numeric order decided by the caller (over all its pages,
/// see [`DayOrder::of_document`]).
pub fn find_dates_in_order(text: &str, order: DayOrder) -> Vec<FoundDate> {
    let settled = candidates(text, order);
    let reading = match order {
        DayOrder::MonthFirst(why) => Some(why),
        DayOrder::DayFirst => None,
    };
    let ctx = Ctx {
        text,
        // The head is the top of the text, and never its second half (a one-page certificate
        // ends with its place and date of signing).
        head_end: head_end(text).min(text.len() / 2),
    };
    let mut out: Vec<FoundDate> = Vec::with_capacity(settled.len() + 4);
    let mut floor = 0usize;
    let mut prev: Option<(usize, DateRole)> = None;
    for (c, s) in settled {
        let source = text.get(c.start..c.end).unwrap_or("").to_string();
        match s {
            Settled::Single(date, time) => {
                let (mut role, mut reason) = single_role(&ctx, c.start, c.end, floor);
                let answer = {
                    let (before, _) = ctx.before(c.start, floor);
                    answer_cue(
                        &before,
                        &ctx.after(c.end),
                        closest_cue(&before).map(|x| x.0),
                    )
                };
                // "Dates : 12/03/2025, 19/03/2025 et 26/03/2025": the list shares the first role.
                if let Some((pend, prole)) = prev {
                    let gap = text.get(pend..c.start).unwrap_or("");
                    if reason == "no role keyword nearby"
                        && gap.len() <= 12
                        && RE_LIST_GAP.is_match(&normalise(gap))
                        && prole != DateRole::Other
                    {
                        role = match prole {
                            DateRole::SessionEnd => DateRole::SessionStart,
                            r => r,
                        };
                        reason = "in a list after a date with this role";
                    }
                }
                prev = Some((c.end, role));
                out.push(FoundDate {
                    date,
                    role,
                    text: source,
                    start: c.start,
                    end: c.end,
                    time,
                    reason,
                    answer,
                    reading: reading.filter(|_| c.flip),
                });
            }
            Settled::Range(a, b) => {
                let (ra, rb, reason) = range_role(&ctx, c.start, floor);
                // "Questionnaires complétés entre le 23/09 et le 26/09/2024": answers over days.
                let answer = {
                    let (before, _) = ctx.before(c.start, floor);
                    answer_cue(&before, "", None)
                };
                prev = Some((c.end, ra));
                for (date, role) in [(a, ra), (b, rb)] {
                    out.push(FoundDate {
                        date,
                        role,
                        text: source.clone(),
                        start: c.start,
                        end: c.end,
                        time: None,
                        reason,
                        answer,
                        reading: reading.filter(|_| c.flip),
                    });
                }
            }
        }
        floor = c.end;
    }
    out.dedup_by(|x, y| {
        x.start == y.start && x.end == y.end && x.date == y.date && x.role == y.role
    });
    out
}

/// One date string alone (a cell, a file name): `Some` when the string holds exactly one
/// distinct complete date (ranges give `None`). Also reads compact `YYYYMMDD` / `DDMMYYYY`
/// tokens of exactly 8 digits (file names) when nothing else is found.
pub fn parse_date(s: &str) -> Option<Date> {
    parse_date_in_order(s, DayOrder::DayFirst)
}

/// [`parse_date`] for a string of a document whose numeric order is known (a cell of an
/// English survey export).
pub fn parse_date_in_order(s: &str, order: DayOrder) -> Option<Date> {
    let t = s.trim();
    if t.is_empty() || t.len() > 512 {
        return None;
    }
    let found = candidates(t, order);
    if !found.is_empty() {
        let mut dates = found.iter().map(|(_, s)| match s {
            Settled::Single(d, _) => Some(*d),
            Settled::Range(..) => None,
        });
        let first = dates.next()??;
        return dates.all(|d| d == Some(first)).then_some(first);
    }
    let mut hits = Vec::new();
    for tok in t.split(|c: char| !c.is_ascii_digit()) {
        if tok.len() != 8 {
            continue;
        }
        let ymd = compact(tok, (0..4, 4..6, 6..8));
        let dmy = compact(tok, (4..8, 2..4, 0..2));
        match (ymd, dmy) {
            (Some(d), None) | (None, Some(d)) => hits.push(d),
            _ => {}
        }
    }
    hits.dedup();
    match hits.as_slice() {
        [d] => Some(*d),
        _ => None,
    }
}

/// An 8-digit token read with the given year, month and day slices.
fn compact(
    tok: &str,
    (y, m, d): (
        std::ops::Range<usize>,
        std::ops::Range<usize>,
        std::ops::Range<usize>,
    ),
) -> Option<Date> {
    let n = |r: std::ops::Range<usize>| tok.get(r).and_then(num);
    mk_date(n(y)?, i8::try_from(n(m)?).ok()?, i8::try_from(n(d)?).ok()?)
}

/// A PDF date ("D:20250312101500+01'00'", "D:2025", also the XMP form
/// "2025-03-12T10:15:00+01:00"). The date and time are those written (local to the given offset,
/// not converted to UTC). Missing month/day default to 1 as in the PDF specification; the time is
/// `None` when no hour is written.
pub fn parse_pdf_date(s: &str) -> Option<(Date, Option<Time>)> {
    let t = s.trim().trim_start_matches('\u{feff}');
    let t = t.strip_prefix("D:").unwrap_or(t);
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    let rest = &t[digits.len()..];
    if digits.len() >= 4 && !rest.starts_with(['-', '/', '.']) {
        let n = |r: std::ops::Range<usize>, default: i32| -> Option<i32> {
            match digits.get(r) {
                Some(p) if p.len() == 2 || p.len() == 4 => num(p),
                _ => Some(default),
            }
        };
        // PDF dates before 1990 are software defaults (the Unix epoch), not dates.
        let date = mk_date(
            n(0..4, 0).filter(|y| *y >= 1990)?,
            i8::try_from(n(4..6, 1)?).ok()?,
            i8::try_from(n(6..8, 1)?).ok()?,
        )?;
        let time = if digits.len() >= 10 {
            Some(
                Time::new(
                    i8::try_from(n(8..10, 0)?).ok()?,
                    i8::try_from(n(10..12, 0)?).ok()?,
                    i8::try_from(n(12..14, 0)?.min(59)).ok()?,
                    0,
                )
                .ok()?,
            )
        } else {
            None
        };
        return Some((date, time));
    }
    let c = Caps {
        caps: RE_EACH.get(YMD_PATTERN)?.captures(t)?,
        slots: SLOTS.get(YMD_PATTERN)?,
    };
    if c.get(0)?.start() != 0 {
        return None;
    }
    let cand = parse_ymd(t, &c)?;
    match cand.val {
        Val::Single {
            y: Some(y),
            md,
            time,
        } => Some((mk_date(y, md.m, md.d)?, time)),
        _ => None,
    }
}

/// An Excel serial day number (1900 date system): 1899-12-30 + `serial` days, the fraction
/// (time of day) ignored. `None` for non-finite values and outside Excel's range
/// (1 ..= 2 958 465). Serials below 61 are off by one day because of Excel's fictitious
/// 29 February 1900; no year-range filter is applied (the cell is known to be a date).
pub fn excel_serial_to_date(serial: f64) -> Option<Date> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    Date::constant(1899, 12, 30)
        .checked_add(jiff::Span::new().try_days(days).ok()?)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i16, m: i8, day: i8) -> Date {
        Date::constant(y, m, day)
    }

    #[test]
    fn normalise_strips_accents_and_case() {
        assert_eq!(normalise("Actualisé LE"), "actualise le");
        assert_eq!(normalise("Fait à Lyon’s"), "fait a lyon's");
        assert_eq!(normalise("fe\u{301}vrier"), "fevrier");
        assert_eq!(normalise("ŒUVRE"), "oeuvre");
    }

    #[test]
    fn month_lookup() {
        assert_eq!(month_of("Févr."), Some((2, false)));
        assert_eq!(month_of("AOÛT"), Some((8, true)));
        assert_eq!(month_of("sept."), Some((9, false)));
        assert_eq!(month_of("Décembre"), Some((12, true)));
        assert_eq!(month_of("foo"), None);
    }

    #[test]
    fn boundaries() {
        assert!(left_ok("a 12", 2, None));
        assert!(!left_ok("112/03", 1, Some('/')));
        assert!(!left_ok("06.12.03", 3, Some('.')));
        assert!(left_ok("80101911/26.06.2025", 9, Some('.')));
        assert!(!left_ok("N°12/03/2025", 3, Some('/')));
        assert!(right_ok("2025. Fin", 4, Some('/')));
        assert!(!right_ok("2025.5", 4, Some('.')));
    }

    #[test]
    fn pdf_dates() {
        assert_eq!(
            parse_pdf_date("D:20250312101500+01'00'"),
            Some((d(2025, 3, 12), Some(Time::constant(10, 15, 0, 0))))
        );
        assert_eq!(parse_pdf_date("D:20250312"), Some((d(2025, 3, 12), None)));
        assert_eq!(parse_pdf_date("D:2025"), Some((d(2025, 1, 1), None)));
        assert_eq!(
            parse_pdf_date("20250312101500Z"),
            Some((d(2025, 3, 12), Some(Time::constant(10, 15, 0, 0))))
        );
        assert_eq!(
            parse_pdf_date("2025-03-12T10:15:00+01:00"),
            Some((d(2025, 3, 12), Some(Time::constant(10, 15, 0, 0))))
        );
        assert_eq!(parse_pdf_date("D:19700101000000Z"), None);
        assert_eq!(parse_pdf_date("D:20251332"), None);
        assert_eq!(parse_pdf_date(""), None);
        assert_eq!(parse_pdf_date("garbage"), None);
    }

    #[test]
    fn excel_serials() {
        assert_eq!(excel_serial_to_date(45728.0), Some(d(2025, 3, 12)));
        assert_eq!(excel_serial_to_date(45728.75), Some(d(2025, 3, 12)));
        assert_eq!(excel_serial_to_date(f64::NAN), None);
        assert_eq!(excel_serial_to_date(-3.0), None);
        assert_eq!(excel_serial_to_date(1e12), None);
        assert_eq!(excel_serial_to_date(2_958_465.0), Some(d(9999, 12, 31)));
    }

    #[test]
    fn ocr_digits() {
        assert_eq!(ocr_num("2O25"), Some((2025, 1, 3)));
        assert_eq!(ocr_num("l2"), Some((12, 1, 1)));
        assert_eq!(ocr_num("x"), None);
    }

    #[test]
    fn head_is_bounded() {
        let t = "a\n".repeat(100);
        assert_eq!(head_end(&t), 40);
        let long = "x".repeat(10_000);
        assert_eq!(head_end(&long), HEAD_BYTES);
    }

    #[test]
    fn every_capture_group_has_a_slot() {
        for re in RE_EACH.iter() {
            for name in re.capture_names().flatten() {
                assert!(G::of(name).is_some(), "group {name} has no slot");
            }
        }
        assert_eq!(RE_EACH.len(), SLOTS.len());
    }

    #[test]
    fn month_table_keys_are_unique() {
        let mut keys: Vec<&str> = MONTH_KEYS.iter().map(|(k, _, _)| k.as_str()).collect();
        keys.sort_unstable();
        let n = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), n);
    }

    #[test]
    fn day_order_from_consecutive_training_days() {
        // A sign-in sheet of a British company whose days are 4, 5, 6 February only month first.
        let sheet = "Harbour Ltd\nParticipant\t02/04/2025\t02/05/2025\t02/06/2025";
        assert!(matches!(
            DayOrder::of_document([sheet]),
            DayOrder::MonthFirst(_)
        ));
        // 12, 13, 14 March day first: unambiguous anyway; 03/04, 04/04, 05/04 consecutive day first.
        let fr = "Emargement\t03/04/2025\t04/04/2025\t05/04/2025";
        assert_eq!(DayOrder::of_document([fr]), DayOrder::DayFirst);
        // Two dates say nothing.
        assert_eq!(
            DayOrder::of_document(["Ltd\t02/04/2025\t02/05/2025"]),
            DayOrder::DayFirst
        );
    }

    /// Regression (class: English survey exports read day first): a sheet of a few English
    /// headers and US timestamps is month-first; the same sheet with French headers is not.
    #[test]
    fn day_order_of_english_exports() {
        let en = "Submitted at\tRespondent\tOverall rating (1-5)\tWould recommend\tComments\n\
                  09/10/2025 16:00:00\tLiam Carter\t4\tYes\n09/10/2025 16:01:00\tEmily Doyle\t4\tYes";
        assert!(matches!(
            DayOrder::of_document([en]),
            DayOrder::MonthFirst(_)
        ));
        let fr = "Horodateur\tNom\tNote globale\tCommentaires\n09/10/2025 16:00:00\tLéa Roux\t4";
        assert_eq!(DayOrder::of_document([fr]), DayOrder::DayFirst);
        // English headers of a British company stay day first.
        let uk = format!("{en}\nHarbour Ltd");
        assert_eq!(DayOrder::of_document([uk.as_str()]), DayOrder::DayFirst);
    }

    /// Regression (class: written dates tell the order): an English quotation that writes
    /// "January 2, 2025" reads its numeric dates month first, even when a client's name says
    /// "Ltd"; one that writes "2 January 2025" reads them day first.
    #[test]
    fn day_order_from_dates_written_with_the_month_name() {
        let us = "QUOTATION\nDate: January 2, 2025\nClient: Harbour Freight Ltd\n\
                  Valid until 01/06/2025";
        assert!(matches!(
            DayOrder::of_document([us]),
            DayOrder::MonthFirst(_)
        ));
        assert_eq!(
            find_dates(us)
                .iter()
                .map(|d| d.date.to_string())
                .collect::<Vec<_>>(),
            ["2025-01-02", "2025-01-06"]
        );
        let uk = "Quotation for your team, with the schedule and the price of the course\n\
                  Date: 2 January 2025\nValid until 01/06/2025";
        assert_eq!(DayOrder::of_document([uk]), DayOrder::DayFirst);
        let both = "Date: January 2, 2025 — signed 3 January 2025 — 01/06/2025";
        assert_eq!(DayOrder::of_document([both]), DayOrder::DayFirst);
    }

    #[test]
    fn day_order_per_document() {
        assert_eq!(
            DayOrder::of_document(["Facture du 06/05/2014"]),
            DayOrder::DayFirst
        );
        assert!(matches!(
            DayOrder::of_document(["Start 06/17/2014", "then 06/05/2014"]),
            DayOrder::MonthFirst(_)
        ));
        // One day-first date wins over English words.
        let en = "Thank you for the training of your team, we will send the invoice by e-mail \
                  with the schedule you asked for and the list of the attendees to the course";
        assert!(matches!(
            DayOrder::of_document([en]),
            DayOrder::MonthFirst(_)
        ));
        assert_eq!(
            DayOrder::of_document([en, "Date: 17/06/2014"]),
            DayOrder::DayFirst
        );
        assert_eq!(
            DayOrder::of_document([en, "Northwind Logistics Ltd, Leeds"]),
            DayOrder::DayFirst
        );
        // An ambiguous date is read as the document says; an impossible reading is not taken.
        let d = find_dates_in_order("06/05/2014", DayOrder::MonthFirst("test"));
        assert_eq!(d[0].date, Date::constant(2014, 6, 5));
        assert_eq!(d[0].reading, Some("test"));
        let d = find_dates_in_order("17/05/2014", DayOrder::MonthFirst("test"));
        assert_eq!(d[0].date, Date::constant(2014, 5, 17));
        assert_eq!(d[0].reading, None);
    }

    #[test]
    fn answer_columns_and_grid_days() {
        let h = ["Horodateur", "Nom", "Note"];
        assert!(answer_column("Horodateur", &h).is_some());
        assert!(answer_column("Note", &h).is_none());
        let ms = [
            "ID",
            "Heure de début",
            "Heure de fin",
            "Adresse de messagerie",
        ];
        assert!(answer_column("Heure de fin", &ms).is_some());
        assert!(answer_column("Heure de fin", &["Heure de fin", "Salle"]).is_none());
        assert!(answer_column("Date", &["Apprenant", "Date", "Score"]).is_some());
        assert!(answer_column("Date", &["Module", "Date", "Durée"]).is_none());
        let t = "Apprenant\tDate du test\nécrite\torale\nAnna\t10/04/2025\t84 %";
        let at = t.find("10/04").unwrap();
        assert!(table_header_answer(t, at).is_some());
        assert!(table_header_answer("Note : 10/04/2025", 7).is_none());
        let g = "Nom\t12/03/2025\t13/03/2025\nMatin\tAprès-midi";
        assert!(is_grid_day(g, 4, 14));
        let footer = "Imprimé par le service formation\nLyon 12/03/2025";
        assert!(!is_grid_day(footer, footer.len() - 10, footer.len()));
    }

    #[test]
    fn hostile_inputs_do_not_panic() {
        for s in [
            "",
            "1",
            "/",
            "é1/2/2025é",
            "12/03/20",
            "\u{0}12/03/2025",
            "１２/０３/２０２５",
            "12 mars",
            "du  au ",
            "du 12 au",
            "31/02/2025 - 12/03/2025",
            "99999999999999999999/1/2025",
        ] {
            let _ = find_dates(s);
            let _ = parse_date(s);
            let _ = parse_pdf_date(s);
        }
    }
}
