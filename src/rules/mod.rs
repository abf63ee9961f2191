//! Rules: the Qualiopi rule set (versioned data, `rnq-v9.toml`) and the judging of sessions.
//!
//! A rule set has requirements (pieces that must be present, with a severity when missing) and
//! checks (conditions on the pieces present: signatures, dates, trainers' CVs). Each check is a
//! small function in `checks.rs`, documented where it is defined; its severity, indicators and
//! words are data. Status: `incomplete` with any blocking finding, else `at_risk` with any
//! warning, else `complete`; `info` never changes it.

pub mod checks;
pub mod funder;
pub mod indicators;

use crate::document::{Document, Kind};
use crate::error::{Error, Result};
use crate::sessions::{Finding, Session, Severity, Status};
use crate::store::Documents;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The V9 rule set (audits up to 31 October 2026).
pub const RNQ_V9: &str = include_str!("rnq-v9.toml");
/// The 2026 rule set (audits from 1 November 2026; provisional, based on rnq-v9).
pub const RNQ_2026: &str = include_str!("rnq-2026.toml");
/// The rule set used when nothing selects another (kept for `--rules` examples and tests).
pub const DEFAULT_RULES: &str = RNQ_V9;

/// The embedded rule sets, oldest first: `(id, text)`.
pub const EMBEDDED: [(&str, &str); 2] = [("rnq-v9", RNQ_V9), ("rnq-2026", RNQ_2026)];

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct RuleSet {
    pub id: String,
    pub version: String,
    /// An embedded rule set this one starts from: its requirements, checks, organisation checks,
    /// settings and criteria when this file gives none, and its indicators unless redefined
    /// here (by number).
    #[serde(default)]
    pub base: Option<String>,
    /// The référentiel this set judges, and the audit dates it applies to.
    #[serde(default)]
    pub referentiel: Option<Referentiel>,
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
    #[serde(default)]
    pub criterion: Vec<Criterion>,
    #[serde(default)]
    pub indicator: Vec<Indicator>,
    /// What funders check before paying (reported apart, never changing a session's status).
    #[serde(default)]
    pub funder_check: Vec<Check>,
}

/// Which audits a rule set judges.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Referentiel {
    pub id: String,
    /// First audit date it applies to (`YYYY-MM-DD`), if bounded.
    #[serde(default)]
    pub valid_from: Option<String>,
    /// Last audit date it applies to, if bounded.
    #[serde(default)]
    pub valid_until: Option<String>,
    /// Parts of it are not settled (e.g. the reading guide was not published).
    #[serde(default)]
    pub provisional: bool,
    #[serde(default)]
    pub source_fr: String,
    #[serde(default)]
    pub source_en: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Criterion {
    pub number: u32,
    pub fr: String,
    pub en: String,
}

/// Categories of action an organisation is certified for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Actions de formation.
    Af,
    /// Bilans de compétences.
    Bilan,
    /// Validation des acquis de l'expérience.
    Vae,
    /// Apprentissage (CFA).
    Cfa,
}

impl Category {
    pub const ALL: [Category; 4] = [Category::Af, Category::Bilan, Category::Vae, Category::Cfa];

    pub fn id(self) -> &'static str {
        match self {
            Category::Af => "af",
            Category::Bilan => "bilan",
            Category::Vae => "vae",
            Category::Cfa => "cfa",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL
            .into_iter()
            .find(|c| c.id().eq_ignore_ascii_case(s.trim()))
    }

    pub fn label(self, lang: crate::report::Lang) -> &'static str {
        use crate::report::Lang::*;
        match (self, lang) {
            (Category::Af, Fr) => "actions de formation",
            (Category::Af, En) => "training actions",
            (Category::Bilan, Fr) => "bilans de compétences",
            (Category::Bilan, En) => "skills assessments",
            (Category::Vae, Fr) => "VAE",
            (Category::Vae, En) => "accreditation of prior learning (VAE)",
            (Category::Cfa, Fr) => "apprentissage (CFA)",
            (Category::Cfa, En) => "apprenticeship (CFA)",
        }
    }
}

/// When an indicator applies beyond its categories.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// Programmes leading to a professional certification (RNCP/RS).
    Certifying,
    /// Work-study or work-based learning.
    Alternance,
    /// Sub-contracting or umbrella-company trainers (detected from trainer contracts too).
    Subcontracting,
    /// Actions longer than two days (judged per session).
    LongAction,
}

/// One indicator of the référentiel.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Indicator {
    pub number: u32,
    pub criterion: u32,
    /// A minor non-conformity is possible (otherwise major only).
    pub gradable: bool,
    /// Categories of action it applies to (empty: all).
    #[serde(default)]
    pub categories: Vec<Category>,
    #[serde(default)]
    pub condition: Option<Condition>,
    /// Kinds of document that prove it (listed as proofs).
    #[serde(default)]
    pub evidence: Vec<Kind>,
    /// Its wording or its reading is not settled yet.
    #[serde(default)]
    pub provisional: bool,
    pub fr: String,
    pub en: String,
    /// What changed from the previous référentiel.
    #[serde(default)]
    pub changed_fr: String,
    #[serde(default)]
    pub changed_en: String,
}

/// What the organisation is audited for, and when: selects the référentiel and which
/// indicators apply.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Audit {
    pub date: jiff::civil::Date,
    /// Whether `date` was given (`--audit-date`) or is today.
    pub date_given: bool,
    pub categories: Vec<Category>,
    /// The organisation runs certifying programmes (RNCP/RS).
    pub certifying: bool,
    /// The organisation runs work-study / work-based learning.
    pub alternance: bool,
    /// The organisation sub-contracts (also detected from trainer contracts).
    pub subcontracting: bool,
}

impl Default for Audit {
    fn default() -> Audit {
        Audit {
            date: today(),
            date_given: false,
            categories: vec![Category::Af],
            certifying: false,
            alternance: false,
            subcontracting: false,
        }
    }
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
    /// `<piece>.missing`; its freshness finding is `<piece>.stale`.
    pub code: String,
    /// Severity when no document of these kinds exists.
    pub severity: Severity,
    #[serde(default)]
    pub indicators: Vec<u32>,
    pub kinds: Vec<Kind>,
    pub fr: String,
    pub en: String,
    /// Freshness: the latest update date found in the documents must be at most this many
    /// months before the audit date ("datez chaque mise à jour").
    #[serde(default)]
    pub max_age_months: Option<u32>,
    /// Severity of a stale or undated document (default: warning, info when `severity` is info).
    #[serde(default)]
    pub stale_severity: Option<Severity>,
}

impl OrganisationCheck {
    /// The code of the freshness finding.
    pub fn stale_code(&self) -> String {
        let piece = self.code.split('.').next().unwrap_or(&self.code);
        format!("{piece}.stale")
    }
}

impl Default for RuleSet {
    /// The embedded rule set for an audit today.
    fn default() -> RuleSet {
        RuleSet::for_audit_date(today()).0
    }
}

impl RuleSet {
    /// The embedded default rule set.
    pub fn default_set() -> RuleSet {
        RuleSet::parse(DEFAULT_RULES).unwrap_or_else(|e| panic!("embedded rule set invalid: {e}"))
    }

    /// The embedded rule set with this id.
    pub fn embedded(id: &str) -> Option<RuleSet> {
        EMBEDDED
            .iter()
            .find(|(i, _)| *i == id)
            .and_then(|(_, text)| RuleSet::parse(text).ok())
    }

    /// The embedded rule set for an audit on `date`, and why it was chosen (French and English).
    pub fn for_audit_date(date: jiff::civil::Date) -> (RuleSet, String, String) {
        let sets: Vec<RuleSet> = EMBEDDED
            .iter()
            .filter_map(|(_, text)| RuleSet::parse(text).ok())
            .collect();
        let day = date.to_string();
        let chosen = sets
            .iter()
            .find(|r| r.applies_on(&day))
            .or(sets.last())
            .cloned()
            .unwrap_or_else(RuleSet::default_set);
        let (fr, en) = match chosen.referentiel.as_ref() {
            Some(rf) => match (&rf.valid_from, &rf.valid_until) {
                (Some(from), _) => (
                    format!(
                        "audit du {} : le référentiel {} s'applique aux audits à partir du {}",
                        french_date(&day),
                        rf.id,
                        french_date(from)
                    ),
                    format!("audit on {day}: {} applies to audits from {from}", rf.id),
                ),
                (None, Some(until)) => (
                    format!(
                        "audit du {} : le référentiel {} s'applique aux audits jusqu'au {}",
                        french_date(&day),
                        rf.id,
                        french_date(until)
                    ),
                    format!("audit on {day}: {} applies to audits up to {until}", rf.id),
                ),
                (None, None) => (
                    format!("audit du {} : référentiel {}", french_date(&day), rf.id),
                    format!("audit on {day}: {}", rf.id),
                ),
            },
            None => (
                format!(
                    "audit du {} : jeu de règles {}",
                    french_date(&day),
                    chosen.id
                ),
                format!("audit on {day}: rule set {}", chosen.id),
            ),
        };
        (chosen, fr, en)
    }

    /// Whether this set's référentiel covers an audit on `day` (`YYYY-MM-DD`).
    pub fn applies_on(&self, day: &str) -> bool {
        self.referentiel.as_ref().is_some_and(|rf| {
            rf.valid_from.as_deref().is_none_or(|f| f <= day)
                && rf.valid_until.as_deref().is_none_or(|u| day <= u)
        })
    }

    /// The référentiel id (the rule set's id when it names none).
    pub fn referentiel_id(&self) -> &str {
        self.referentiel
            .as_ref()
            .map(|r| r.id.as_str())
            .unwrap_or(self.id.as_str())
    }

    pub fn provisional(&self) -> bool {
        self.referentiel.as_ref().is_some_and(|r| r.provisional)
    }

    pub fn parse(text: &str) -> Result<RuleSet> {
        RuleSet::parse_depth(text, 0)
    }

    fn parse_depth(text: &str, depth: usize) -> Result<RuleSet> {
        let table: toml::Table =
            toml::from_str(text).map_err(|e| Error::usage(format!("invalid rule set: {e}")))?;
        let has_settings = table.contains_key("settings");
        let mut r: RuleSet =
            toml::from_str(text).map_err(|e| Error::usage(format!("invalid rule set: {e}")))?;
        let mut seen = std::collections::BTreeSet::new();
        for i in &r.indicator {
            if !seen.insert(i.number) {
                return Err(Error::usage(format!(
                    "rule set: indicator {} defined twice",
                    i.number
                )));
            }
        }
        if let Some(base_id) = r.base.clone() {
            let base_text = EMBEDDED
                .iter()
                .find(|(i, _)| *i == base_id)
                .map(|(_, t)| *t)
                .ok_or_else(|| {
                    Error::usage(format!(
                        "rule set: unknown base «{base_id}» (embedded: {})",
                        EMBEDDED.map(|(i, _)| i).join(", ")
                    ))
                })?;
            if depth > 4 || base_id == r.id {
                return Err(Error::usage(format!("rule set: base «{base_id}» loops")));
            }
            let base = RuleSet::parse_depth(base_text, depth + 1)?;
            r.inherit(base, has_settings);
        }
        for c in &r.funder_check {
            if !funder::KNOWN.contains(&c.code.as_str()) {
                return Err(Error::usage(format!(
                    "rule set: unknown funder check code «{}» (known: {})",
                    c.code,
                    funder::KNOWN.join(", ")
                )));
            }
        }
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

    /// Takes from `base` what this set does not define itself.
    fn inherit(&mut self, base: RuleSet, has_settings: bool) {
        if !has_settings {
            self.settings = base.settings;
        }
        // Lists merge by key: an entry given here replaces the base's, the others are kept.
        let own: Vec<String> = self.requirement.iter().map(|r| r.id.clone()).collect();
        let mut merged: Vec<Requirement> = base
            .requirement
            .into_iter()
            .filter(|r| !own.contains(&r.id))
            .collect();
        merged.append(&mut self.requirement);
        self.requirement = merged;
        let own: Vec<String> = self.check.iter().map(|c| c.code.clone()).collect();
        let mut merged: Vec<Check> = base
            .check
            .into_iter()
            .filter(|c| !own.contains(&c.code))
            .collect();
        merged.append(&mut self.check);
        self.check = merged;
        let own: Vec<String> = self
            .organisation_check
            .iter()
            .map(|c| c.code.clone())
            .collect();
        let mut merged: Vec<OrganisationCheck> = base
            .organisation_check
            .into_iter()
            .filter(|c| !own.contains(&c.code))
            .collect();
        merged.append(&mut self.organisation_check);
        self.organisation_check = merged;
        let own: Vec<String> = self.funder_check.iter().map(|c| c.code.clone()).collect();
        let mut merged: Vec<Check> = base
            .funder_check
            .into_iter()
            .filter(|c| !own.contains(&c.code))
            .collect();
        merged.append(&mut self.funder_check);
        self.funder_check = merged;
        if self.criterion.is_empty() {
            self.criterion = base.criterion;
        }
        let own: Vec<u32> = self.indicator.iter().map(|i| i.number).collect();
        self.indicator.extend(
            base.indicator
                .into_iter()
                .filter(|i| !own.contains(&i.number)),
        );
        self.indicator.sort_by_key(|i| i.number);
    }

    /// The indicator numbers that a requirement, a check or an organisation check of this set
    /// judges (the others are listed with their proofs, `non_evalue`).
    pub fn judged_indicators(&self) -> std::collections::BTreeSet<u32> {
        self.requirement
            .iter()
            .filter(|r| r.missing != Severity::Info)
            .flat_map(|r| r.indicators.iter().copied())
            .chain(
                self.check
                    .iter()
                    .filter(|c| c.severity != Severity::Info)
                    .flat_map(|c| c.indicators.iter().copied()),
            )
            .chain(
                self.organisation_check
                    .iter()
                    .filter(|c| c.severity != Severity::Info)
                    .flat_map(|c| c.indicators.iter().copied()),
            )
            .collect()
    }
}

/// Today's date (UTC: the audit date is a calendar day, a few hours either side do not matter).
pub fn today() -> jiff::civil::Date {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0);
    jiff::civil::date(1970, 1, 1)
        .checked_add(jiff::Span::new().days(days as i64))
        .unwrap_or(jiff::civil::date(2026, 11, 1))
}

/// The freshness finding of an organisation document: the latest update date printed in any
/// of `docs` is more than `max` months before the audit, or no document is dated.
fn freshness(
    c: &OrganisationCheck,
    docs: &[&Document],
    max: u32,
    audit_date: jiff::civil::Date,
) -> Option<Finding> {
    let severity = c.stale_severity.unwrap_or(if c.severity == Severity::Info {
        Severity::Info
    } else {
        Severity::Warning
    });
    let latest = docs
        .iter()
        .filter_map(|d| checks::update_date(d).map(|u| (u, d.path.clone())))
        .max();
    let kind = c.kinds.first().map(|k| k.label_fr()).unwrap_or("document");
    let kind_en = c.kinds.first().map(|k| k.label_en()).unwrap_or("document");
    let (message, message_en, documents) = match latest {
        None => (
            format!(
                "{kind} : aucune date de mise à jour trouvée ; datez chaque mise à jour (au plus {max} mois avant l'audit)."
            ),
            format!(
                "{kind_en}: no update date found; date every update (at most {max} months before the audit)."
            ),
            docs.iter().map(|d| d.path.clone()).collect(),
        ),
        Some((day, path)) => {
            let updated = day.parse::<jiff::civil::Date>().ok()?;
            let limit = audit_date
                .checked_sub(jiff::Span::new().months(max as i64))
                .ok()?;
            if updated >= limit {
                return None;
            }
            (
                format!(
                    "{kind} : dernière mise à jour le {}, plus de {max} mois avant l'audit du {}.",
                    french_date(&day),
                    french_date(&audit_date.to_string())
                ),
                format!(
                    "{kind_en}: last updated on {day}, more than {max} months before the audit on {audit_date}."
                ),
                vec![path],
            )
        }
    };
    Some(Finding {
        code: c.stale_code(),
        severity,
        message,
        message_en,
        indicators: c.indicators.clone(),
        documents,
    })
}

/// `2026-11-01` → `1er novembre 2026`.
pub fn french_date(iso: &str) -> String {
    const MONTHS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    match iso.parse::<jiff::civil::Date>() {
        Ok(d) => {
            let day = if d.day() == 1 {
                "1er".to_string()
            } else {
                d.day().to_string()
            };
            format!("{day} {} {}", MONTHS[(d.month() - 1) as usize], d.year())
        }
        Err(_) => iso.to_string(),
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
pub fn judge(sessions: &mut [Session], documents: &Documents, rules: &RuleSet) {
    // Each session's documents, and the archive's CVs (matched against every session's
    // trainers), gathered once: looking them up per session made judging grow with sessions ×
    // documents. A session's documents are loaded (from the store) while it is judged.
    let mut by_session: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, h) in documents.heads().iter().enumerate() {
        if let Some(id) = h.session.as_deref() {
            by_session.entry(id).or_default().push(i);
        }
    }
    let cvs: Vec<checks::Cv> = documents
        .which(|h| h.kind == Kind::TrainerCv)
        .map(|i| checks::Cv::new(&documents.get(i)))
        .collect();
    for s in sessions.iter_mut() {
        let loaded = documents.load(by_session.remove(s.id.as_str()).unwrap_or_default());
        let docs = crate::store::refs(&loaded);
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
                    message_en: req.en.clone(),
                    indicators: req.indicators.clone(),
                    documents: Vec::new(),
                });
            }
        }
        for raw in checks::run(s, &docs, &cvs, rules) {
            if let Some(c) = rules.check(raw.code) {
                let join = |words: &str, detail: &str| {
                    if detail.is_empty() {
                        words.to_string()
                    } else {
                        format!("{words} {detail}")
                    }
                };
                findings.push(Finding {
                    code: c.code.clone(),
                    severity: c.severity,
                    message: join(&c.fr, &raw.detail),
                    message_en: join(&c.en, &raw.detail_en),
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
        s.funder_findings = funder::run(s, &docs, rules);
    }
}

/// Organisation-level checks: one entry per organisation folder holding sessions (or the root).
pub fn judge_organisations(
    sessions: &[Session],
    documents: &Documents,
    rules: &RuleSet,
    audit_date: jiff::civil::Date,
) -> Vec<Organisation> {
    let mut orgs: Vec<String> = sessions.iter().map(|s| s.organisation.clone()).collect();
    orgs.sort();
    orgs.dedup();
    // A single organisation at the root when the sessions do not share a top-level folder
    // with others (the root is the organisation).
    let multi = orgs.len() > 1 && documents.heads().iter().all(|d| d.path.contains('/'));
    if !multi {
        orgs = vec![String::new()];
    }
    // The documents of the kinds some organisation check looks for (quality documents: few),
    // picked once, not once per organisation.
    let loaded = documents.load(documents.which(|d| {
        rules
            .organisation_check
            .iter()
            .any(|c| c.kinds.contains(&d.kind))
    }));
    let quality = crate::store::refs(&loaded);
    orgs.iter()
        .map(|org| {
            let prefix = format!("{org}/");
            let inside = |d: &&&Document| org.is_empty() || d.path.starts_with(&prefix);
            let mut found = Vec::new();
            let mut findings = Vec::new();
            for c in &rules.organisation_check {
                let docs: Vec<&Document> = quality
                    .iter()
                    .filter(inside)
                    .filter(|d| c.kinds.contains(&d.kind))
                    .copied()
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
                        message_en: c.en.clone(),
                        indicators: c.indicators.clone(),
                        documents: Vec::new(),
                    });
                } else if let Some(max) = c.max_age_months {
                    findings.extend(freshness(c, &docs, max, audit_date));
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
