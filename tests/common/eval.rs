//! Evaluation metrics of a scan against a ground truth, shared by the evaluation tests.
//!
//! Both sides are report.json-shaped `serde_json::Value`s (`serde_json::to_value(&report)`), so
//! the metrics read optional fields that a branch may or may not have added (e.g. `answer` on a
//! date) without breaking the build. The truth is `fixtures/archive.truth.json` or
//! `fixtures/heldout/truth.json` (the latter adds `answer` dates and attendance `cells`).

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// `ok` out of `n`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Ratio {
    pub ok: usize,
    pub n: usize,
}

impl Ratio {
    pub fn value(&self) -> f64 {
        if self.n == 0 {
            1.0
        } else {
            self.ok as f64 / self.n as f64
        }
    }
    pub fn add(&mut self, ok: bool) {
        self.n += 1;
        if ok {
            self.ok += 1;
        }
    }
    pub fn show(&self) -> String {
        if self.n == 0 {
            return "n/a (0/0)".into();
        }
        format!("{:.3} ({}/{})", self.value(), self.ok, self.n)
    }
}

/// Attendance cells of a set of sheets.
#[derive(Clone, Debug, Default)]
pub struct Cells {
    pub sheets: usize,
    /// Sheets whose reported `found` equals the truth's.
    pub exact: usize,
    /// Sheets whose reported non-signed cells could not all be matched to truth cells (or
    /// whose truth has no cells): counted by numbers, TP = min(found, truth found).
    pub fallback: usize,
    /// Sheets with no signature count in the report (nothing read as a grid).
    pub no_grid: usize,
    pub tp: usize,
    /// Cells the report counts as signed.
    pub predicted: usize,
    /// Cells signed in the truth.
    pub actual: usize,
    pub uncertain: usize,
    /// Cells of the sheets (signed, empty and absent, truth side).
    pub total: usize,
}

impl Cells {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.predicted)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.actual)
    }
    pub fn uncertain_share(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.uncertain as f64 / self.total as f64
        }
    }
    pub fn exact_share(&self) -> f64 {
        ratio(self.exact, self.sheets)
    }
}

pub fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// Every figure of one archive.
#[derive(Clone, Debug, Default)]
pub struct Eval {
    pub files: usize,
    pub kinds_born: Ratio,
    pub kinds_scans: Ratio,
    pub kinds_all: Ratio,
    pub sig_born: Ratio,
    pub sig_scans: Ratio,
    /// "truth→report" → count.
    pub sig_confusion: BTreeMap<String, usize>,
    pub cells_all: Cells,
    pub cells_scans: Cells,
    /// Answer dates of evaluation forms: the same day with role `document`.
    pub answer_day_role: Ratio,
    /// … and flagged `answer: true` by the report.
    pub answer_flagged: Ratio,
    pub date_recall: Ratio,
    pub sessions_found: Ratio,
    pub docs_grouped: Ratio,
    pub status_right: Ratio,
    /// Clean sessions (truth `complete`) given any blocking or warning finding.
    pub clean_false_alarm: Ratio,
    pub injected: Ratio,
    /// Human-readable lists of what went wrong, by measure.
    pub wrong: BTreeMap<&'static str, Vec<String>>,
}

impl Eval {
    fn wrong(&mut self, measure: &'static str, line: String) {
        self.wrong.entry(measure).or_default().push(line);
    }
    pub fn confusion(&self) -> String {
        if self.sig_confusion.is_empty() {
            return "—".into();
        }
        self.sig_confusion
            .iter()
            .map(|(k, n)| format!("{k} ×{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

/// The report's documents by path.
fn docs_by_path(report: &Value) -> HashMap<&str, &Value> {
    report["documents"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| (s(&d["path"]), d))
        .collect()
}

/// Evaluate one report against its truth.
pub fn evaluate(truth: &Value, report: &Value) -> Eval {
    let mut e = Eval::default();
    let docs = docs_by_path(report);
    let files = truth["files"].as_object().cloned().unwrap_or_default();
    e.files = files.len();
    for (path, t) in &files {
        let readable = t["error"].is_null();
        let scanned = t["scanned"] == true;
        let d = docs.get(path.as_str()).copied();
        if !readable {
            continue;
        }
        let Some(d) = d else {
            e.wrong("missing", format!("{path}: not in the report"));
            continue;
        };
        // kinds
        let want = s(&t["kind"]);
        let got = s(&d["kind"]);
        let ok = want == got;
        e.kinds_all.add(ok);
        if scanned {
            e.kinds_scans.add(ok)
        } else {
            e.kinds_born.add(ok)
        }
        if !ok {
            e.wrong(
                "kind",
                format!(
                    "{path}: {got} (truth {want}){}",
                    if scanned { " [scan]" } else { "" }
                ),
            );
        }
        // signature status
        let want = s(&t["signature"]["status"]);
        if !want.is_empty() && want != "not_applicable" {
            let got = s(&d["signature"]["status"]);
            let ok = want == got;
            if scanned {
                e.sig_scans.add(ok)
            } else {
                e.sig_born.add(ok)
            }
            if !ok {
                *e.sig_confusion.entry(format!("{want}→{got}")).or_default() += 1;
                let ev: Vec<String> = d["signature"]["evidence"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|x| format!("{}: {}", s(&x["method"]), s(&x["detail"])))
                    .collect();
                e.wrong(
                    "signature",
                    format!(
                        "{path}: {got} (truth {want}){} {ev:?}",
                        if scanned { " [scan]" } else { "" }
                    ),
                );
            }
        }
        // attendance cells
        if t["kind"] == "attendance_sheet" && t["signature"]["found"].is_u64() {
            let line = cells_of_sheet(t, d, &mut e.cells_all);
            if scanned {
                cells_of_sheet(t, d, &mut e.cells_scans);
            }
            if let Some(line) = line {
                e.wrong("cells", format!("{path}: {line}"));
            }
        }
        // dates
        let got_dates: Vec<&Value> = d["dates"].as_array().into_iter().flatten().collect();
        for td in t["dates"].as_array().into_iter().flatten() {
            let day = s(&td["date"]);
            let found = got_dates.iter().any(|x| s(&x["date"]) == day);
            e.date_recall.add(found);
            if !found {
                e.wrong(
                    "dates",
                    format!("{path}: missed {day} ({})", s(&td["role"])),
                );
            }
            if td["answer"] == true {
                let same: Vec<&&Value> = got_dates
                    .iter()
                    .filter(|x| s(&x["date"]) == day && s(&x["role"]) == "document")
                    .collect();
                e.answer_day_role.add(!same.is_empty());
                let flagged = same.iter().any(|x| x["answer"] == true);
                e.answer_flagged.add(flagged);
                if !flagged {
                    let roles: Vec<&str> = got_dates
                        .iter()
                        .filter(|x| s(&x["date"]) == day)
                        .map(|x| s(&x["role"]))
                        .collect();
                    e.wrong(
                        "answer dates",
                        format!("{path}: answer {day} read as {roles:?}, not flagged"),
                    );
                }
            }
        }
    }
    sessions(truth, report, &mut e);
    e
}

/// Adds one sheet to `c`; returns a line describing a miscount.
fn cells_of_sheet(t: &Value, d: &Value, c: &mut Cells) -> Option<String> {
    let truth_found = t["signature"]["found"].as_u64().unwrap_or(0) as usize;
    let truth_cells: Vec<&Value> = t["cells"].as_array().into_iter().flatten().collect();
    let total = if truth_cells.is_empty() {
        t["signature"]["expected"].as_u64().unwrap_or(0) as usize
    } else {
        truth_cells.len()
    };
    c.sheets += 1;
    c.actual += truth_found;
    c.total += total;
    let Some(found) = d["signature"]["found"].as_u64().map(|x| x as usize) else {
        c.no_grid += 1;
        return Some(format!(
            "no grid read (truth {truth_found} signed of {total} cells; status {})",
            s(&d["signature"]["status"])
        ));
    };
    let empty: Vec<&Value> = d["signature"]["empty_cells"]
        .as_array()
        .into_iter()
        .flatten()
        .collect();
    c.uncertain += empty.iter().filter(|x| x["state"] == "uncertain").count();
    c.predicted += found;
    if found == truth_found {
        c.exact += 1;
    }
    let tp = match match_cells(&truth_cells, &empty) {
        Some(flagged) => {
            // truth-signed cells that the report did not list as empty/absent/uncertain
            let signed_not_flagged = truth_cells
                .iter()
                .enumerate()
                .filter(|(i, x)| x["state"] == "signed" && !flagged.contains(i))
                .count();
            signed_not_flagged.min(found)
        }
        None => {
            c.fallback += 1;
            found.min(truth_found)
        }
    };
    c.tp += tp;
    (found != truth_found).then(|| {
        let states: Vec<String> = empty
            .iter()
            .take(6)
            .map(|x| format!("{} / {} = {}", s(&x["trainee"]), s(&x["slot"]), s(&x["state"])))
            .collect();
        format!(
            "found {found} (truth {truth_found}) of {} expected; non-signed cells reported {}: {states:?}",
            d["signature"]["expected"],
            empty.len()
        )
    })
}

/// Lowercase, accents stripped, alphanumeric tokens.
pub fn tokens(x: &str) -> Vec<String> {
    let folded: String = x
        .to_lowercase()
        .chars()
        .map(|ch| match ch {
            'à' | 'â' | 'ä' | 'á' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' => 'i',
            'ô' | 'ö' | 'ó' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ç' => 'c',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        })
        .collect();
    folded.split_whitespace().map(str::to_string).collect()
}

const MOIS: [&str; 12] = [
    "janvier",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "decembre",
];
const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Whether a slot label printed by the report names this ISO day.
fn slot_has_day(slot: &str, iso: &str) -> bool {
    let (Some(y), Some(m), Some(d)) = (
        iso.get(0..4),
        iso.get(5..7).and_then(|x| x.parse::<usize>().ok()),
        iso.get(8..10).and_then(|x| x.parse::<usize>().ok()),
    ) else {
        return false;
    };
    let low = tokens(slot).join(" ");
    let raw = slot.to_lowercase();
    let forms = [
        format!("{d:02}/{m:02}/{y}"),
        format!("{m:02}/{d:02}/{y}"),
        format!("{y}-{m:02}-{d:02}"),
        format!("{d:02}-{m:02}-{y}"),
        format!("{m:02}-{d:02}-{y}"),
        format!("{d:02}.{m:02}.{y}"),
        format!("{d}/{m}/{y}"),
        format!("{m}/{d}/{y}"),
    ];
    if forms.iter().any(|f| raw.contains(f.as_str())) {
        return true;
    }
    let words = [
        format!("{d} {} {y}", MOIS[m - 1]),
        format!("{} {d} {y}", MONTHS[m - 1]),
        format!("{d} {} {y}", MONTHS[m - 1]),
    ];
    words.iter().any(|w| low.contains(w.as_str()))
}

/// am / pm / unknown from a slot label: half-day words first, else the first time printed
/// ("9h00 – 12h30", "13:30", a sign-in timestamp "2025-06-03 09:18:21").
fn slot_half(slot: &str) -> Option<&'static str> {
    let padded = format!(" {} ", tokens(slot).join(" "));
    let is_pm = [" apres midi ", " afternoon ", " pm "]
        .iter()
        .any(|w| padded.contains(w));
    let is_am = [" matin ", " morning ", " am "]
        .iter()
        .any(|w| padded.contains(w));
    match (is_am, is_pm) {
        (true, false) => return Some("am"),
        (false, true) => return Some("pm"),
        (true, true) => return None,
        _ => {}
    }
    first_hour(slot).map(|h| if h < 12 { "am" } else { "pm" })
}

/// The hour of the first "9h00", "9h", "13:30" or "09:18:21" in a text.
fn first_hour(text: &str) -> Option<u32> {
    let chars: Vec<char> = text.chars().collect();
    for i in 0..chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_ascii_digit()) {
            continue;
        }
        let mut j = i;
        while j < chars.len() && chars[j].is_ascii_digit() {
            j += 1;
        }
        let sep = chars.get(j).copied();
        let before_ok = i == 0 || !matches!(chars[i - 1], '/' | '-' | '.' | ':');
        if j - i <= 2 && before_ok && matches!(sep, Some(':') | Some('h') | Some('H')) {
            let digits: String = chars[i..j].iter().collect();
            if let Ok(h) = digits.parse::<u32>()
                && h < 24
            {
                return Some(h);
            }
        }
    }
    None
}

/// Whether a slot label prints any date (a year, or digits around '/', '-', '.').
fn slot_has_any_date(slot: &str) -> bool {
    let chars: Vec<char> = slot.chars().collect();
    let year = tokens(slot)
        .iter()
        .any(|t| t.len() == 4 && t.parse::<u32>().is_ok_and(|y| (1990..2100).contains(&y)));
    let numeric = chars
        .windows(3)
        .any(|w| w[0].is_ascii_digit() && matches!(w[1], '/' | '-' | '.') && w[2].is_ascii_digit());
    year || numeric
}

/// Indices of the truth cells that the report's non-signed cells designate, or None when one
/// of them designates no single truth cell.
fn match_cells(truth: &[&Value], empty: &[&Value]) -> Option<BTreeSet<usize>> {
    if truth.is_empty() {
        return None;
    }
    let days: BTreeSet<&str> = truth
        .iter()
        .map(|t| s(&t["slot"]).split(' ').next().unwrap_or(""))
        .collect();
    let mut used = BTreeSet::new();
    for cell in empty {
        let who = tokens(s(&cell["trainee"]));
        let slot = s(&cell["slot"]);
        let half = slot_half(slot);
        // a slot without a date ("Matin" on a one-day sheet) names the sheet's only day
        let any_day = days.len() == 1 && !slot_has_any_date(slot);
        let candidates: Vec<usize> = truth
            .iter()
            .enumerate()
            .filter(|(i, t)| {
                if used.contains(i) {
                    return false;
                }
                let name = tokens(s(&t["trainee"]));
                let overlap = name
                    .iter()
                    .filter(|x| x.len() > 1 && who.contains(x))
                    .count();
                if overlap == 0 {
                    return false;
                }
                let tslot = s(&t["slot"]);
                let (day, th) = tslot.split_once(' ').unwrap_or((tslot, ""));
                (half.is_none() || half == Some(th)) && (any_day || slot_has_day(slot, day))
            })
            .map(|(i, _)| i)
            .collect();
        // prefer the candidate sharing the most name tokens
        let best = candidates.iter().copied().max_by_key(|&i| {
            tokens(s(&truth[i]["trainee"]))
                .iter()
                .filter(|x| who.contains(x))
                .count()
        })?;
        if half.is_none() {
            // without a half-day only a unique candidate is a match
            let ties = candidates.len();
            if ties != 1 {
                return None;
            }
        }
        used.insert(best);
    }
    Some(used)
}

/// Sessions: found, documents grouped, status, false alarms on clean sessions, defects found.
fn sessions(truth: &Value, report: &Value, e: &mut Eval) {
    let rs: Vec<&Value> = report["sessions"]
        .as_array()
        .into_iter()
        .flatten()
        .collect();
    let by_id: HashMap<&str, &str> = rs.iter().map(|x| (s(&x["id"]), s(&x["path"]))).collect();
    let docs = docs_by_path(report);
    for (path, t) in truth["files"].as_object().into_iter().flatten() {
        let Some(d) = docs.get(path.as_str()) else {
            e.docs_grouped.add(false);
            continue;
        };
        let want = t["session"].as_str();
        let got = d["session"].as_str().and_then(|id| by_id.get(id).copied());
        e.docs_grouped.add(want == got);
        if want != got {
            e.wrong("grouping", format!("{path}: {got:?} (truth {want:?})"));
        }
    }
    for (path, t) in truth["sessions"].as_object().into_iter().flatten() {
        let Some(got) = rs.iter().find(|x| s(&x["path"]) == path) else {
            e.sessions_found.add(false);
            e.status_right.add(false);
            e.wrong("sessions", format!("{path}: not found"));
            continue;
        };
        e.sessions_found.add(true);
        let want = s(&t["expected_status"]);
        let status = s(&got["status"]);
        e.status_right.add(want == status);
        let findings: Vec<(&str, &str)> = got["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| (s(&f["code"]), s(&f["severity"])))
            .collect();
        let want_codes: BTreeSet<&str> = t["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .map(s)
            .collect();
        let alarms: Vec<&str> = findings
            .iter()
            .filter(|(c, sev)| *sev != "info" && !want_codes.contains(c))
            .map(|(c, _)| *c)
            .collect();
        if want != status {
            e.wrong(
                "status",
                format!("{path}: {status} (truth {want}); unexpected {alarms:?}"),
            );
        }
        if want == "complete" {
            e.clean_false_alarm.add(!alarms.is_empty());
        }
        for code in &want_codes {
            let found = findings.iter().any(|(c, _)| c == code);
            e.injected.add(found);
            if !found {
                e.wrong("defects", format!("{path}: {code} not reported"));
            }
        }
    }
}
