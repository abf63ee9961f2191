//! Understanding: an extracted document → its kind, its dates and their roles, its signatures,
//! and what it says about its session. Reads only the [`Extracted`] model (never bytes, never
//! the file system); every answer carries its reasons.

pub mod attendance_export;
pub mod dates;
pub mod esign;
pub mod facts;
pub mod kind;
pub mod normalize;
pub mod signature;
pub mod view;
pub mod vocab;
pub mod zones;

use crate::document::{DateFact, DateRole, DocFacts, Kind, Signature};
use crate::model::{Extracted, Format};
use std::collections::BTreeSet;

/// What understanding one document produced.
#[derive(Clone, Debug)]
pub struct Understanding {
    pub kind: Kind,
    pub confidence: f32,
    pub reasons: Vec<String>,
    pub dates: Vec<DateFact>,
    pub signature: Signature,
    pub facts: DocFacts,
    /// The kind that came second, and every kind's score (for `preuves explain`).
    pub runner_up: Option<(Kind, f32)>,
    pub scores: Vec<(Kind, f32)>,
}

/// Understands one document.
pub fn understand(path: &str, format: Format, ex: &Extracted) -> Understanding {
    let view = view::DocView::new(path, format, ex);
    let class = if format == Format::Zip {
        // An archive is a container: its members are documents of their own.
        kind::Classification {
            kind: Kind::Other,
            confidence: 1.0,
            reasons: vec!["archive: its members are classified one by one".into()],
            runner_up: None,
            scores: Vec::new(),
        }
    } else {
        kind::classify(&view)
    };
    let facts = facts::extract(&view, class.kind);
    let mut dates = document_dates(ex, class.kind);
    refine_dates(class.kind, &mut dates);
    let signature = signature::analyse(&view, class.kind);
    // The signed-at times of an e-signature trail are signature dates, whatever words
    // surround them (a signer table's "Signature" column).
    if let Some(t) = esign::trail(&view) {
        for f in t.signing_dates() {
            // The same written date read the other way round without the AM/PM clock that
            // wrapped onto the next line ("3/10/2025" / "9:03:02 AM"): the trail's reading holds.
            dates.retain(|d| {
                d.date == f.date || d.text.len() < 6 || !f.text.starts_with(d.text.as_str())
            });
            if !dates
                .iter()
                .any(|d| d.date == f.date && d.role == crate::document::DateRole::Signature)
            {
                dates.push(f);
            }
        }
    }
    let mut reasons = class.reasons;
    if let Some((k, score)) = class.runner_up
        && class.kind != Kind::Other
    {
        reasons.push(format!("runner-up: {} ({score:.1})", k.id()));
    }
    Understanding {
        kind: class.kind,
        confidence: class.confidence,
        reasons,
        dates,
        signature,
        facts,
        runner_up: class.runner_up,
        scores: class.scores,
    }
}

/// Forms a trainee fills in: their dates may be answer dates.
pub fn is_answer_form(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::SatisfactionHot
            | Kind::SatisfactionCold
            | Kind::Assessment
            | Kind::Positioning
            | Kind::NeedsAnalysis
    )
}

/// A date made an answer date (role `document`, `answer`), with the deciding words.
fn as_answer(mut fact: DateFact, why: &str) -> DateFact {
    fact.role = DateRole::Document;
    fact.answer = true;
    fact.reason = Some(why.to_string());
    fact
}

/// Every date printed in the document, with its role, once per (date, role, answer); digital
/// signature times count as signature dates. Metadata dates (PDF CreationDate...) are kept
/// apart, in `metadata`. On forms a trainee fills in, the dates the words mark as answers
/// ("Date de réponse", "Completed on", a timestamp column…) and the respondent's signature
/// date are answer dates.
fn document_dates(ex: &Extracted, kind: Kind) -> Vec<DateFact> {
    let form = is_answer_form(kind);
    let mut out: Vec<DateFact> = Vec::new();
    let mut seen: BTreeSet<(String, DateRole, bool)> = BTreeSet::new();
    let mut push = |fact: DateFact, out: &mut Vec<DateFact>| {
        if seen.insert((fact.date.clone(), fact.role, fact.answer)) {
            out.push(fact);
        }
    };
    let order = dates::DayOrder::of_document(ex.pages.iter().map(|p| p.text.as_str()));
    for page in &ex.pages {
        for d in dates::find_dates_in_order(&page.text, order) {
            let fact = d.to_fact("text", Some(page.number));
            let answer = d.answer.or_else(|| {
                form.then(|| dates::table_header_answer(&page.text, d.start))
                    .flatten()
            });
            let fact = match (form, answer, fact.role) {
                (true, Some(why), _) => as_answer(fact, why),
                (true, None, DateRole::Signature) => {
                    let why = format!(
                        "answer: the respondent's signing date on the form ({})",
                        fact.reason.as_deref().unwrap_or("signature")
                    );
                    as_answer(fact, &why)
                }
                (false, _, DateRole::Other)
                    if kind == Kind::AttendanceSheet
                        && dates::is_grid_day(&page.text, d.start, d.end) =>
                {
                    DateFact {
                        reason: Some(dates::REASON_GRID_DAY.to_string()),
                        ..fact
                    }
                }
                _ => fact,
            };
            push(fact, &mut out);
        }
        if form {
            for fact in answer_column_dates(page, order) {
                push(fact, &mut out);
            }
        }
    }
    for f in &ex.fields {
        if let Some(v) = &f.signature
            && let Some((date, _)) = v.signing_time.as_deref().and_then(dates::parse_pdf_date)
        {
            let fact = DateFact {
                date: date.to_string(),
                role: DateRole::Signature,
                text: v.signing_time.clone().unwrap_or_default(),
                page: f.page,
                source: "signature_field".into(),
                reason: Some(format!(
                    "signing time of the digital signature «{}»",
                    f.name
                )),
                answer: false,
            };
            let fact = if form {
                as_answer(fact, "answer: signing time of the form's digital signature")
            } else {
                fact
            };
            push(fact, &mut out);
        }
    }
    // A date read both as an answer and as a plain document date or a date without a role
    // (the same timestamp, read in the text and in its column) is an answer.
    let answers: BTreeSet<String> = out
        .iter()
        .filter(|d| d.answer)
        .map(|d| d.date.clone())
        .collect();
    out.retain(|d| {
        d.answer
            || !matches!(d.role, DateRole::Document | DateRole::Other)
            || !answers.contains(&d.date)
    });
    out
}

/// The dates of a form's answer columns ("Horodateur", "Timestamp", "Submit Date", "Date" in a
/// table of respondents): one per answer row.
fn answer_column_dates(page: &crate::model::Page, order: dates::DayOrder) -> Vec<DateFact> {
    let mut out = Vec::new();
    for table in &page.tables {
        let Some((h, header)) = table
            .rows
            .iter()
            .enumerate()
            .find(|(_, r)| r.iter().filter(|c| !c.text.trim().is_empty()).count() >= 2)
        else {
            continue;
        };
        let names: Vec<&str> = header.iter().map(|c| c.text.as_str()).collect();
        for (col, name) in names.iter().enumerate() {
            let Some(why) = dates::answer_column(name, &names) else {
                continue;
            };
            for row in table.rows.iter().skip(h + 1) {
                let Some(cell) = row.get(col) else { continue };
                let date = match &cell.value {
                    crate::model::CellValue::Date(d) | crate::model::CellValue::DateTime(d) => d
                        .get(..10)
                        .and_then(|x| x.parse::<jiff::civil::Date>().ok()),
                    _ => dates::parse_date_in_order(&cell.text, order),
                };
                let Some(date) = date else { continue };
                out.push(DateFact {
                    date: date.to_string(),
                    role: DateRole::Document,
                    text: cell.text.clone(),
                    page: Some(page.number),
                    source: "cell".into(),
                    reason: Some(format!("{why} (column «{}»)", name.trim())),
                    answer: true,
                });
            }
        }
    }
    out
}

/// Session dates that the wording leaves implicit: a single session date ("qui se déroulera le
/// 16 juin 2025") is also the last day; an attendance sheet without a stated period spans its
/// first to its last date.
fn refine_dates(kind: Kind, dates: &mut Vec<DateFact>) {
    let singles: Vec<DateFact> = dates
        .iter()
        .filter(|d| d.role == DateRole::SessionStart)
        .filter(|d| {
            !dates
                .iter()
                .any(|e| e.role == DateRole::SessionEnd && e.text == d.text)
        })
        .cloned()
        .collect();
    if dates.iter().any(|d| d.role == DateRole::SessionEnd) {
        // A stated period exists: single starts are part of it.
    } else {
        for d in singles {
            dates.push(DateFact {
                role: DateRole::SessionEnd,
                reason: Some("single session date: also the last day".into()),
                ..d
            });
        }
    }
    if kind == Kind::AttendanceSheet && !dates.iter().any(|d| d.role == DateRole::SessionStart) {
        let grid: Vec<&DateFact> = dates
            .iter()
            .filter(|d| !matches!(d.role, DateRole::Signature))
            .filter(|d| !d.reason.as_deref().is_some_and(dates::is_edition_reason))
            .collect();
        if let (Some(first), Some(last)) = (
            grid.iter().min_by(|a, b| a.date.cmp(&b.date)),
            grid.iter().max_by(|a, b| a.date.cmp(&b.date)),
        ) {
            let (first, last) = ((*first).clone(), (*last).clone());
            dates.push(DateFact {
                role: DateRole::SessionStart,
                reason: Some("first date of the attendance sheet".into()),
                ..first
            });
            dates.push(DateFact {
                role: DateRole::SessionEnd,
                reason: Some("last date of the attendance sheet".into()),
                ..last
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cell, Page, Table};

    fn extracted(text: &str, tables: Vec<Table>) -> Extracted {
        Extracted {
            pages: vec![Page {
                number: 1,
                text: text.to_string(),
                tables,
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    fn answers(d: &[DateFact]) -> Vec<&str> {
        d.iter()
            .filter(|x| x.answer)
            .map(|x| x.date.as_str())
            .collect()
    }

    #[test]
    fn form_answer_date_is_a_document_date_marked_answer() {
        let text = "Questionnaire de satisfaction à froid\nFormulaire v3 – mis à jour le 05/01/2024\n\
                    Formation du 12 au 14 mars 2025\nNom : Julie Martin\tDate : 16/06/2025\n\
                    Fait à Lyon, le 16 juin 2025\nSignature du stagiaire";
        let d = document_dates(&extracted(text, Vec::new()), Kind::SatisfactionCold);
        assert_eq!(answers(&d), ["2025-06-16"], "{d:#?}");
        assert!(
            d.iter()
                .filter(|x| x.answer)
                .all(|x| x.role == DateRole::Document
                    && x.reason.as_deref().unwrap_or("").starts_with("answer"))
        );
        let version = d.iter().find(|x| x.date == "2024-01-05").unwrap();
        assert!(!version.answer);
        // The same words on a convention are not answers (kind-aware).
        let c = document_dates(&extracted(text, Vec::new()), Kind::Convention);
        assert!(answers(&c).is_empty());
        assert!(c.iter().any(|x| x.role == DateRole::Signature));
    }

    #[test]
    fn survey_export_timestamp_column_gives_answer_dates() {
        let rows = [
            ["Horodateur", "Nom", "Note"],
            ["04/06/2025 09:12:06", "Julie", "5"],
            ["05/06/2025 14:32:04", "Kevin", "4"],
        ];
        let table = Table {
            rows: rows
                .iter()
                .map(|r| r.iter().map(|c| Cell::text(*c)).collect())
                .collect(),
            ..Default::default()
        };
        let text = rows.map(|r| r.join("\t")).join("\n");
        let d = document_dates(&extracted(&text, vec![table]), Kind::Positioning);
        assert_eq!(answers(&d), ["2025-06-04", "2025-06-05"], "{d:#?}");
        assert!(d.iter().all(|x| x.answer), "{d:#?}");
    }

    #[test]
    fn long_lines_and_long_tables_stay_linear() {
        // One huge line of dates, then a huge tabbed table: the per-date looks around the
        // date's line are bounded (no rescan of the text per date).
        let line = "Date de réponse : 12/03/2025 ".repeat(8_000);
        let table = format!(
            "Horodateur\tNom\n{}",
            "12/03/2025 10:00\tJulie\n".repeat(8_000)
        );
        let t = std::time::Instant::now();
        for kind in [Kind::Positioning, Kind::AttendanceSheet] {
            for text in [&line, &table] {
                let d = document_dates(&extracted(text, Vec::new()), kind);
                assert!(!d.is_empty());
            }
        }
        assert!(t.elapsed().as_secs() < 60, "{:?}", t.elapsed());
    }

    #[test]
    fn english_survey_export_reads_its_dates_month_first() {
        let text = "Timestamp\tEmail Address\tFull name\n\
                    1/27/2025 14:19:23\temma@example.com\tEmma Wilson\n\
                    2/03/2025 10:39:39\tpieter@example.com\tPieter de Vries";
        let d = document_dates(&extracted(text, Vec::new()), Kind::Positioning);
        assert_eq!(answers(&d), ["2025-01-27", "2025-02-03"], "{d:#?}");
    }
}
