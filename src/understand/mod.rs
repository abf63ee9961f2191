//! Understanding: an extracted document → its kind, its dates and their roles, its signatures,
//! and what it says about its session. Reads only the [`Extracted`] model (never bytes, never
//! the file system); every answer carries its reasons.

pub mod dates;
pub mod facts;
pub mod kind;
pub mod normalize;
pub mod signature;
pub mod view;

use crate::document::{DateFact, DocFacts, Kind, Signature};
use std::collections::BTreeSet;
use crate::model::{Extracted, Format};

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
    let class = kind::classify(&view);
    let facts = facts::extract(&view, class.kind);
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
        dates: document_dates(ex),
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
                reason: Some(format!("signing time of the digital signature «{}»", f.name)),
            };
            if seen.insert((fact.date.clone(), fact.role)) {
                out.push(fact);
            }
        }
    }
    out
}
