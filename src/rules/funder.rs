//! Funder checks: what an OPCO, the Caisse des dépôts (CPF) or France Travail checks before
//! paying ("service fait"), reported next to the Qualiopi verdict and never changing a
//! session's status. Each check is one documented function; its severity and words are data
//! (`[[funder_check]]` in the rule set).
//!
//! Typical rejections (../shared/domain/referentiel-2026.md §4): a half-day without a signature;
//! hours or dates that differ between the convention, the sheets, the certificate of completion
//! and the invoice; signatures dated on a public holiday or a Sunday; names that differ between
//! documents; one signature image in the cells of two different people.

use super::RuleSet;
use crate::document::{DateRole, Document, Kind};
use crate::sessions::{Finding, Session};
use jiff::civil::{Date, Weekday};
use std::collections::BTreeMap;

/// The funder check codes this module implements.
pub const KNOWN: [&str; 7] = [
    "funder.half_day_unsigned",
    "funder.hours_disagree",
    "funder.dates_disagree",
    "funder.signature_on_holiday",
    "funder.name_mismatch",
    "funder.same_signature_image",
    "funder.signature_image_repeated",
];

struct Raw {
    code: &'static str,
    detail: String,
    detail_en: String,
    documents: Vec<String>,
}

/// Runs every funder check of the rule set on one session.
pub fn run(s: &Session, docs: &[&Document], rules: &RuleSet) -> Vec<Finding> {
    let mut raw = Vec::new();
    half_day_unsigned(docs, &mut raw);
    hours_disagree(docs, &mut raw);
    dates_disagree(docs, &mut raw);
    signature_on_holiday(s, docs, &mut raw);
    name_mismatch(docs, &mut raw);
    same_signature_image(docs, &mut raw);
    signature_image_repeated(docs, &mut raw);
    raw.into_iter()
        .filter_map(|r| {
            let c = rules.funder_check.iter().find(|c| c.code == r.code)?;
            Some(Finding {
                code: c.code.clone(),
                severity: c.severity,
                message: format!("{} {}", c.fr, r.detail).trim().to_string(),
                message_en: format!("{} {}", c.en, r.detail_en).trim().to_string(),
                indicators: Vec::new(),
                documents: r.documents,
            })
        })
        .collect()
}

/// **What it checks**: every signature cell of the attendance sheets is signed (absences marked
/// as such are not expected). **Why funders care**: a half-day without the trainee's signature
/// is not paid (a signature per half-day, CAA Nantes 2021). **Evidence**: each sheet's
/// `signature.empty_cells` (`empty`, and `uncertain` cells to check by eye).
fn half_day_unsigned(docs: &[&Document], out: &mut Vec<Raw>) {
    for d in docs.iter().filter(|d| d.kind == Kind::AttendanceSheet) {
        let cells: Vec<&crate::document::EmptyCell> = d
            .signature
            .empty_cells
            .iter()
            .filter(|c| c.state == "empty" || c.state == "uncertain")
            .collect();
        if cells.is_empty() {
            continue;
        }
        let list = |check: &str, sep: &str| {
            let shown: Vec<String> = cells
                .iter()
                .take(8)
                .map(|c| {
                    if c.state == "uncertain" {
                        format!("{} — {} ({check})", c.trainee, c.slot)
                    } else {
                        format!("{} — {}", c.trainee, c.slot)
                    }
                })
                .collect();
            let more = if cells.len() > shown.len() {
                " ; …"
            } else {
                ""
            };
            format!("{}{more}", shown.join(sep))
        };
        out.push(Raw {
            code: "funder.half_day_unsigned",
            detail: format!("{} cellule(s) : {}", cells.len(), list("à vérifier", " ; ")),
            detail_en: format!("{} cell(s): {}", cells.len(), list("to check", "; ")),
            documents: vec![d.path.clone()],
        });
    }
}

/// Kinds whose stated duration and dates a funder compares.
const MONEY_KINDS: [Kind; 4] = [
    Kind::Convention,
    Kind::AttendanceSheet,
    Kind::CompletionCertificate,
    Kind::Invoice,
];

/// **What it checks**: the duration in hours stated by the convention, the attendance sheets,
/// the certificate of completion and the invoice is the same (e.g. 14 h on the convention and
/// 13.5 h on the certificate). **Why funders care**: the certificate's hours are what is paid;
/// a difference is a rejection or a partial payment. **Evidence**: `facts.hours` and the words
/// it was read from.
fn hours_disagree(docs: &[&Document], out: &mut Vec<Raw>) {
    let stated: Vec<(&Document, f32)> = docs
        .iter()
        .filter(|d| MONEY_KINDS.contains(&d.kind) && d.errors.is_empty())
        .filter_map(|d| d.facts.hours.map(|h| (*d, h)))
        .collect();
    let mut values: Vec<f32> = stated.iter().map(|(_, h)| *h).collect();
    values.sort_by(f32::total_cmp);
    values.dedup_by(|a, b| (*a - *b).abs() < 0.01);
    if values.len() > 1 {
        out.push(Raw {
            code: "funder.hours_disagree",
            detail: stated
                .iter()
                .map(|(d, h)| {
                    format!(
                        "{} : {} h («{}»)",
                        d.kind.label_fr(),
                        format_hours(*h),
                        d.facts.hours_text.as_deref().unwrap_or("")
                    )
                })
                .collect::<Vec<_>>()
                .join(" ; "),
            detail_en: stated
                .iter()
                .map(|(d, h)| {
                    format!(
                        "{}: {h} h (“{}”)",
                        d.kind.label_en(),
                        d.facts.hours_text.as_deref().unwrap_or("")
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
            documents: stated.iter().map(|(d, _)| d.path.clone()).collect(),
        });
    }
}

fn format_hours(h: f32) -> String {
    if (h - h.round()).abs() < 0.01 {
        format!("{}", h.round() as i64)
    } else {
        crate::report::fr_decimal(h as f64, 1)
    }
}

/// **What it checks**: the training period stated by the convention, the certificate of
/// completion and the invoice (dates with the roles `session_start` / `session_end`) is the
/// same, and the attendance sheets' days fall inside it. **Why funders care**: dates on the
/// sheets that differ from the convention and the invoice are a classic rejection.
/// **Evidence**: each document's period dates with their source text.
fn dates_disagree(docs: &[&Document], out: &mut Vec<Raw>) {
    let period = |d: &Document| -> Option<(String, String)> {
        // A period stated in one expression ("du 20/05 au 21/05/2025", "les 20 et 21 mai")
        // first: a lone start date elsewhere may be another event (an interview, a deadline).
        let starts: Vec<&crate::document::DateFact> = d
            .dates
            .iter()
            .filter(|x| x.role == DateRole::SessionStart)
            .collect();
        let ends: Vec<&crate::document::DateFact> = d
            .dates
            .iter()
            .filter(|x| x.role == DateRole::SessionEnd)
            .collect();
        let paired = starts.iter().find_map(|a| {
            ends.iter()
                .find(|b| b.text == a.text && b.date >= a.date)
                .map(|b| (a.date.clone(), b.date.clone()))
        });
        paired.or_else(|| match (starts.as_slice(), ends.as_slice()) {
            ([a], [b]) if b.date >= a.date => Some((a.date.clone(), b.date.clone())),
            _ => None,
        })
    };
    let stated: Vec<(&Document, (String, String))> = docs
        .iter()
        .filter(|d| {
            matches!(
                d.kind,
                Kind::Convention | Kind::CompletionCertificate | Kind::Invoice
            ) && d.errors.is_empty()
        })
        .filter_map(|d| period(d).map(|p| (*d, p)))
        .collect();
    let mut periods: Vec<&(String, String)> = stated.iter().map(|(_, p)| p).collect();
    periods.sort();
    periods.dedup();
    if periods.len() > 1 {
        out.push(Raw {
            code: "funder.dates_disagree",
            detail: stated
                .iter()
                .map(|(d, (a, b))| {
                    format!(
                        "{} : du {} au {}",
                        d.kind.label_fr(),
                        super::french_date(a),
                        super::french_date(b)
                    )
                })
                .collect::<Vec<_>>()
                .join(" ; "),
            detail_en: stated
                .iter()
                .map(|(d, (a, b))| format!("{}: {a} to {b}", d.kind.label_en()))
                .collect::<Vec<_>>()
                .join("; "),
            documents: stated.iter().map(|(d, _)| d.path.clone()).collect(),
        });
    }
}

/// **What it checks**: no signature is dated on a Sunday or a French public holiday (metropolitan
/// list: 1 January, Easter Monday, 1 and 8 May, Ascension, Whit Monday, 14 July, 15 August,
/// 1 and 11 November, 25 December) unless the session was scheduled that day (the day lies in
/// the session's period). **Why funders care**: signatures on a public holiday are a red flag
/// of sheets filled in after the fact (CAA Nantes, 2021). **Evidence**: dates with the
/// `signature` role.
fn signature_on_holiday(s: &Session, docs: &[&Document], out: &mut Vec<Raw>) {
    let in_period = |day: &str| matches!((&s.start, &s.end), (Some(a), Some(b)) if a.as_str() <= day && day <= b.as_str());
    // (French label, English label) → documents.
    let mut seen: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for d in docs {
        for x in d.dates.iter().filter(|x| x.role == DateRole::Signature) {
            let Ok(day) = x.date.parse::<Date>() else {
                continue;
            };
            if in_period(&x.date) {
                continue;
            }
            if let Some(why) = non_working_day(day) {
                let e = seen
                    .entry((
                        format!("{} ({why})", super::french_date(&x.date)),
                        format!(
                            "{} ({})",
                            x.date,
                            if why == "dimanche" {
                                "Sunday"
                            } else {
                                "public holiday"
                            }
                        ),
                    ))
                    .or_default();
                if !e.contains(&d.path) {
                    e.push(d.path.clone());
                }
            }
        }
    }
    if !seen.is_empty() {
        out.push(Raw {
            code: "funder.signature_on_holiday",
            detail: seen
                .keys()
                .map(|(fr, _)| fr.clone())
                .collect::<Vec<_>>()
                .join(" ; "),
            detail_en: seen
                .keys()
                .map(|(_, en)| en.clone())
                .collect::<Vec<_>>()
                .join("; "),
            documents: seen.into_values().flatten().collect(),
        });
    }
}

/// `Some("dimanche")` or the public holiday's name for a non-working day in metropolitan France.
pub fn non_working_day(day: Date) -> Option<&'static str> {
    if day.weekday() == Weekday::Sunday {
        return Some("dimanche");
    }
    let (m, d) = (day.month(), day.day());
    let fixed = match (m, d) {
        (1, 1) => Some("jour de l'an"),
        (5, 1) => Some("fête du travail"),
        (5, 8) => Some("victoire 1945"),
        (7, 14) => Some("fête nationale"),
        (8, 15) => Some("Assomption"),
        (11, 1) => Some("Toussaint"),
        (11, 11) => Some("armistice 1918"),
        (12, 25) => Some("Noël"),
        _ => None,
    };
    if fixed.is_some() {
        return fixed;
    }
    let easter = easter_sunday(day.year())?;
    let offset = (day - easter).get_days();
    match offset {
        1 => Some("lundi de Pâques"),
        39 => Some("Ascension"),
        50 => Some("lundi de Pentecôte"),
        _ => None,
    }
}

/// Easter Sunday of the Gregorian calendar (the anonymous "Meeus/Jones/Butcher" computus).
pub fn easter_sunday(year: i16) -> Option<Date> {
    let y = year as i32;
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date::new(year, month as i8, day as i8).ok()
}

/// **What it checks**: every trainee named on a certificate of completion appears on the
/// session's attendance sheets (names compared without accents or case, surname and first name
/// in any order). **Why funders care**: a certificate for someone who never signed in, or a
/// misspelled name, is rejected. **Evidence**: `facts.trainees` of the certificates and sheets.
fn name_mismatch(docs: &[&Document], out: &mut Vec<Raw>) {
    let on_sheets: Vec<Vec<String>> = docs
        .iter()
        .filter(|d| d.kind == Kind::AttendanceSheet)
        .flat_map(|d| d.facts.trainees.iter().map(|n| tokens(n)))
        .filter(|t| !t.is_empty())
        .collect();
    if on_sheets.is_empty() {
        return;
    }
    for d in docs
        .iter()
        .filter(|d| d.kind == Kind::CompletionCertificate)
    {
        let missing: Vec<&String> = d
            .facts
            .trainees
            .iter()
            .filter(|n| {
                let t = tokens(n);
                t.len() >= 2 && !on_sheets.iter().any(|s| t.iter().all(|w| s.contains(w)))
            })
            .collect();
        if !missing.is_empty() {
            out.push(Raw {
                code: "funder.name_mismatch",
                detail: format!(
                    "{} (absent des feuilles d'émargement)",
                    missing
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                detail_en: format!(
                    "{} (not on the attendance sheets)",
                    missing
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                documents: vec![d.path.clone()],
            });
        }
    }
}

/// **What it checks**: no signature image signs the cells of two different people on an
/// attendance sheet (Jean's signature pasted in Marie's row). **Why funders care**: a copied
/// signature is the first sign of a sheet filled in for an absent trainee; OPCO controls and
/// the CPF's look for it, and it voids the half-day. **Evidence**: the sheet's
/// `same_image_several_signers` evidence (the image and the people whose cells it signs).
/// Producers that store each copy of an image separately are not caught (no pixel digest yet).
fn same_signature_image(docs: &[&Document], out: &mut Vec<Raw>) {
    for d in docs.iter().filter(|d| d.kind == Kind::AttendanceSheet) {
        // One finding per sheet: each group of people sharing one image, once.
        let mut groups: Vec<String> = Vec::new();
        for e in d
            .signature
            .evidence
            .iter()
            .filter(|e| e.method == "same_image_several_signers")
        {
            let who = e.detail.rsplit(": ").next().unwrap_or("").to_string();
            if !groups.contains(&who) {
                groups.push(who);
            }
        }
        if groups.is_empty() {
            continue;
        }
        out.push(Raw {
            code: "funder.same_signature_image",
            detail: format!("{} ({})", groups.join(" ; "), d.path),
            detail_en: format!("{} ({})", groups.join("; "), d.path),
            documents: vec![d.path.clone()],
        });
    }
}

/// **What it checks**: nobody's signed cells all hold one same image (a scanned signature pasted
/// into every half-day). **Why funders care**: a signature per half-day means signed each
/// half-day; a pasted image proves nothing about presence and is a classic reason to refuse a
/// sheet. **Evidence**: the sheet's `same_image_every_cell` evidence. Weaker than a signature
/// shared by two people (some e-sign-in tools stamp each person's one signature): `info`.
fn signature_image_repeated(docs: &[&Document], out: &mut Vec<Raw>) {
    for d in docs.iter().filter(|d| d.kind == Kind::AttendanceSheet) {
        let who: Vec<String> = d
            .signature
            .evidence
            .iter()
            .filter(|e| e.method == "same_image_every_cell")
            .filter_map(|e| {
                let (_, rest) = e.detail.split_once(" signed cells of ")?;
                let (name, _) = rest.rsplit_once(": ")?;
                let (_, cells) = e.detail.split_once(" fills all ")?;
                let cells = cells.split_whitespace().next()?;
                Some((name.to_string(), cells.to_string()))
            })
            .map(|(n, c)| format!("{n} ({c})"))
            .collect();
        if who.is_empty() {
            continue;
        }
        out.push(Raw {
            code: "funder.signature_image_repeated",
            detail: format!("{} ({})", who.join(" ; "), d.path),
            detail_en: format!("{} ({})", who.join("; "), d.path),
            documents: vec![d.path.clone()],
        });
    }
}

fn tokens(name: &str) -> Vec<String> {
    crate::understand::normalize::normalize_line(name)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2 && !["mme", "mr", "mlle", "m"].contains(w))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn easter_and_the_french_public_holidays() {
        assert_eq!(easter_sunday(2024), Some(jiff::civil::date(2024, 3, 31)));
        assert_eq!(easter_sunday(2025), Some(jiff::civil::date(2025, 4, 20)));
        assert_eq!(easter_sunday(2026), Some(jiff::civil::date(2026, 4, 5)));
        let h = |y, m, d| non_working_day(jiff::civil::date(y, m, d));
        assert_eq!(h(2025, 4, 21), Some("lundi de Pâques"));
        assert_eq!(h(2025, 5, 29), Some("Ascension"));
        assert_eq!(h(2025, 6, 9), Some("lundi de Pentecôte"));
        assert_eq!(h(2025, 7, 14), Some("fête nationale"));
        assert_eq!(h(2025, 3, 16), Some("dimanche"));
        assert_eq!(h(2025, 3, 17), None);
        assert_eq!(h(2026, 11, 11), Some("armistice 1918"));
    }

    #[test]
    fn names_compare_without_accents_case_or_order() {
        assert_eq!(tokens("Mme Hélène DUPONT"), vec!["helene", "dupont"]);
    }
}
