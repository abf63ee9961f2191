//! Understanding: an extracted document → its kind, its dates and their roles, its signatures,
//! and what it says about its session. Reads only the [`Extracted`] model (never bytes, never
//! the file system); every answer carries its reasons.

pub mod dates;
pub mod facts;
pub mod kind;
pub mod normalize;
// Enabled once dates.rs lands (needs parse_date / parse_pdf_date).
// pub mod signature;
pub mod view;

use crate::document::{DateFact, DocFacts, Kind, Signature};
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
}

/// Understands one document.
pub fn understand(path: &str, format: Format, ex: &Extracted) -> Understanding {
    let view = view::DocView::new(path, format, ex);
    let class = kind::classify(&view);
    let facts = facts::extract(&view, class.kind);
    let signature = Signature::unknown();
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
        dates: Vec::new(),
        signature,
        facts,
    }
}
