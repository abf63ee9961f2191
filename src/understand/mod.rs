//! Understanding: an extracted document → its kind, its dates and their roles, its signatures,
//! and what it says about its session. Reads only the [`Extracted`] model (never bytes, never
//! the file system); every answer carries its reasons.

pub mod dates;

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
pub fn understand(_path: &str, _format: Format, _ex: &Extracted) -> Understanding {
    Understanding {
        kind: Kind::Other,
        confidence: 0.0,
        reasons: Vec::new(),
        dates: Vec::new(),
        signature: Signature::unknown(),
        facts: DocFacts::default(),
    }
}
