//! Rules: the Qualiopi rule set (versioned data, `rnq-v9.toml`) and the judging of sessions.
//!
//! A rule set has requirements (pieces that must be present, with a severity when missing) and
//! checks (conditions on the pieces present: signatures, dates, trainers' CVs). Each check is a
//! small function in `checks.rs`, documented where it is defined; its severity, indicators and
//! words are data. Status: `incomplete` with any blocking finding, else `at_risk` with any
//! warning, else `complete`; `info` never changes it.

pub mod checks;

use crate::document::{Document, Kind};
use crate::error::{Error, Result};
use crate::sessions::{Finding, Session, Severity, Status};
use serde::{Deserialize, Serialize};

pub const DEFAULT_RULES: &str = include_str!("rnq-v9.toml");

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct RuleSet {
    pub id: String,
    pub version: String,
    #[serde(default)]
    pub title_fr: String,
    #[serde(default)]
    pub title_en: String,
    #[serde(default)]
    pub settings: Settings,
    #[serde(default)]
    pub requirement: Vec<Requirement>,
    #[serde(default)]
    pub check: Vec<Check>,
    #[serde(default)]
    pub organisation_check: Vec<OrganisationCheck>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Settings {
    #[serde(default = "default_cv_age")]
    pub cv_max_age_months: u32,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            cv_max_age_months: default_cv_age(),
        }
    }
}

fn default_cv_age() -> u32 {
    24
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Requirement {
    pub id: String,
    pub kinds: Vec<Kind>,
    #[serde(default)]
    pub distance_kinds: Vec<Kind>,
    pub missing: Severity,
    /// Another way to satisfy it: `needs_analysis_section` (a needs-analysis section inside the
    /// convention or the quote).
    #[serde(default)]
    pub also: Option<String>,
    #[serde(default)]
    pub indicators: Vec<u32>,
    pub fr: String,
    pub en: String,
    #[serde(default)]
    pub why_fr: String,
    #[serde(default)]
    pub why_en: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Check {
    pub code: String,
    pub severity: Severity,
    #[serde(default)]
    pub indicators: Vec<u32>,
    pub fr: String,
    pub en: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct OrganisationCheck {
    pub code: String,
    pub severity: Severity,
    #[serde(default)]
    pub indicators: Vec<u32>,
    pub kinds: Vec<Kind>,
    pub fr: String,
    pub en: String,
}

impl Default for RuleSet {
    fn default() -> RuleSet {
        RuleSet::default_set()
    }
}

impl RuleSet {
    /// The embedded default rule set.
    pub fn default_set() -> RuleSet {
        RuleSet::parse(DEFAULT_RULES).unwrap_or_else(|e| panic!("embedded rule set invalid: {e}"))
    }

    pub fn parse(text: &str) -> Result<RuleSet> {
        let r: RuleSet =
            toml::from_str(text).map_err(|e| Error::usage(format!("invalid rule set: {e}")))?;
        for c in &r.check {
            if !checks::KNOWN.contains(&c.code.as_str()) {
                return Err(Error::usage(format!(
                    "rule set: unknown check code «{}» (known: {})",
                    c.code,
                    checks::KNOWN.join(", ")
                )));
            }
        }
        Ok(r)
    }

    pub fn check(&self, code: &str) -> Option<&Check> {
        self.check.iter().find(|c| c.code == code)
    }
}

/// Organisation-level results (quality documents), reported apart from sessions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Organisation {
    /// The organisation's folder ("" for the root).
    pub path: String,
    pub findings: Vec<Finding>,
    /// Quality documents found, with their latest update date when printed.
    pub documents: Vec<OrgDocument>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrgDocument {
    pub path: String,
    pub kind: Kind,
    pub updated: Option<String>,
}

/// Judges every session: fills `status`, `missing` and `findings`.
pub fn judge(sessions: &mut [Session], documents: &[Document], rules: &RuleSet) {
    for s in sessions.iter_mut() {
        let docs: Vec<&Document> = documents
            .iter()
            .filter(|d| d.session.as_deref() == Some(s.id.as_str()))
            .collect();
        let mut findings = Vec::new();
        let mut missing = Vec::new();
        for req in &rules.requirement {
            let kinds = if s.distance && !req.distance_kinds.is_empty() {
                &req.distance_kinds
            } else {
                &req.kinds
            };
            let present = docs.iter().any(|d| kinds.contains(&d.kind))
                || (!s.distance
                    && req
                        .distance_kinds
                        .iter()
                        .any(|k| docs.iter().any(|d| d.kind == *k)))
                || req.also.as_deref().is_some_and(|a| {
                    a == "needs_analysis_section"
                        && docs.iter().any(|d| {
                            matches!(d.kind, Kind::Convention | Kind::Quote)
                                && d.facts.needs_analysis_section
                        })
                });
            if !present {
                if req.missing != Severity::Info
                    && let Some(k) = kinds.first()
                {
                    missing.push(*k);
                }
                findings.push(Finding {
                    code: format!("{}.missing", req.id),
                    severity: req.missing,
                    message: req.fr.clone(),
                    indicators: req.indicators.clone(),
                    documents: Vec::new(),
                });
            }
        }
        let cvs: Vec<&Document> = documents
            .iter()
            .filter(|d| d.kind == Kind::TrainerCv)
            .collect();
        for raw in checks::run(s, &docs, &cvs, rules) {
            if let Some(c) = rules.check(raw.code) {
                let message = if raw.detail.is_empty() {
                    c.fr.clone()
                } else {
                    format!("{} {}", c.fr, raw.detail)
                };
                findings.push(Finding {
                    code: c.code.clone(),
                    severity: c.severity,
                    message,
                    indicators: c.indicators.clone(),
                    documents: raw.documents,
                });
            }
        }
        // A trainer without a CV is a missing piece too.
        if findings
            .iter()
            .any(|f| f.code == "trainer_cv.missing" && f.severity != Severity::Info)
        {
            missing.push(Kind::TrainerCv);
        }
        findings.sort_by(|a, b| a.severity.cmp(&b.severity).then(a.code.cmp(&b.code)));
        s.status = if findings.iter().any(|f| f.severity == Severity::Blocking) {
            Status::Incomplete
        } else if findings.iter().any(|f| f.severity == Severity::Warning) {
            Status::AtRisk
        } else {
            Status::Complete
        };
        s.missing = missing;
        s.findings = findings;
    }
}

/// Organisation-level checks: one entry per organisation folder holding sessions (or the root).
pub fn judge_organisations(
    sessions: &[Session],
    documents: &[Document],
    rules: &RuleSet,
) -> Vec<Organisation> {
    let mut orgs: Vec<String> = sessions.iter().map(|s| s.organisation.clone()).collect();
    orgs.sort();
    orgs.dedup();
    // A single organisation at the root when the sessions do not share a top-level folder
    // with others (the root is the organisation).
    let multi = orgs.len() > 1 && documents.iter().all(|d| d.path.contains('/'));
    if !multi {
        orgs = vec![String::new()];
    }
    orgs.iter()
        .map(|org| {
            let inside = |d: &&Document| org.is_empty() || d.path.starts_with(&format!("{org}/"));
            let mut found = Vec::new();
            let mut findings = Vec::new();
            for c in &rules.organisation_check {
                let docs: Vec<&Document> = documents
                    .iter()
                    .filter(inside)
                    .filter(|d| c.kinds.contains(&d.kind))
                    .collect();
                for d in &docs {
                    found.push(OrgDocument {
                        path: d.path.clone(),
                        kind: d.kind,
                        updated: checks::update_date(d),
                    });
                }
                if docs.is_empty() {
                    findings.push(Finding {
                        code: c.code.clone(),
                        severity: c.severity,
                        message: c.fr.clone(),
                        indicators: c.indicators.clone(),
                        documents: Vec::new(),
                    });
                }
            }
            Organisation {
                path: org.clone(),
                findings,
                documents: found,
            }
        })
        .collect()
}
