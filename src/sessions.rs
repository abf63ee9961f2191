//! Sessions: documents → the training sessions they prove.
//!
//! TODO(issue 4): folder-based grouping. Until then no session is reported.

use crate::document::{Document, Kind};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default)]
pub struct SessionOptions {
    /// Force session folders at this depth below the root.
    pub session_depth: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Complete,
    AtRisk,
    Incomplete,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Blocking,
    Warning,
    Info,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub indicators: Vec<u32>,
    pub documents: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub id: String,
    pub path: String,
    pub title: Option<String>,
    pub client: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub status: Status,
    pub missing: Vec<Kind>,
    pub findings: Vec<Finding>,
    pub documents: Vec<String>,
}

/// Groups documents into sessions, setting each document's `session`.
pub fn group(_documents: &mut [Document], _options: &SessionOptions) -> Vec<Session> {
    Vec::new()
}
