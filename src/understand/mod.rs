//! Understanding: an extracted document → its kind, its dates and their roles, its signatures,
//! and what it says about its session. Reads only the [`Extracted`] model (never bytes, never
//! the file system); every answer carries its reasons.

pub mod dates;
pub mod facts;
pub mod kind;
pub mod normalize;
pub mod signature;
pub mod view;
pub mod vocab;
pub mod zones;

use crate::document::{DateFact, DocFacts, Kind, Signature};
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
    let mut dates = document_dates(ex);
    refine_dates(class.kind, &mut dates);
    let signature = signature::analyse(&view, class.kind);
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

/// Every date printed in the document, with its role, once per (date, role); digital signature
/// times count as signature dates. Metadata dates (PDF CreationDate...) are kept apart, in
/// `metadata`.
fn document_dates(ex: &Extracted) -> Vec<DateFact> {
    let mut out: Vec<DateFact> = Vec::new();
    let mut seen: BTreeSet<(String, crate::document::DateRole)> = BTreeSet::new();
    for page in &ex.pages {
        for d in dates::find_dates(&page.text) {
            let fact = d.to_fact("text", Some(page.number));
            if seen.insert((fact.date.clone(), fact.role)) {
                out.push(fact);
            }
        }
    }
    for f in &ex.fields {
        if let Some(v) = &f.signature
            && let Some((date, _)) = v.signing_time.as_deref().and_then(dates::parse_pdf_date)
        {
            let fact = DateFact {
                date: date.to_string(),
                role: crate::document::DateRole::Signature,
                text: v.signing_time.clone().unwrap_or_default(),
                page: f.page,
                source: "signature_field".into(),
                reason: Some(format!(
                    "signing time of the digital signature «{}»",
                    f.name
                )),
            };
            if seen.insert((fact.date.clone(), fact.role)) {
                out.push(fact);
            }
        }
    }
    out
}

/// Session dates that the wording leaves implicit: a single session date ("qui se déroulera le
/// 16 juin 2025") is also the last day; an attendance sheet without a stated period spans its
/// first to its last date.
fn refine_dates(kind: Kind, dates: &mut Vec<DateFact>) {
    use crate::document::DateRole;
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
