//! The indicator grid: for each indicator of the référentiel, the verdict an auditor would give on
//! the scanned sample (conforme, non-conformité mineure or majeure, non applicable, non évalué),
//! with the proofs found, the sessions that support or break it, and the finding in words.
//!
//! Reads only judged sessions and organisation results (never documents' content): an
//! indicator is broken by the blocking and warning findings that name it (`info` never breaks
//! one). Verdict rules, from the référentiel: a minor non-conformity only on a gradable
//! indicator and only when the gap is occasional (some sampled sessions, not all); a gap in
//! every sampled session, or an organisation-level absence, is systematic and major; a
//! major-only indicator with any gap is major. Indicators that no requirement or check of the
//! rule set judges are `non_evalue`, with the proofs found for the auditor to weigh.

use super::{Audit, Category, Condition, Indicator, Organisation, RuleSet};
use crate::document::Kind;
use crate::report::Lang;
use crate::sessions::{Session, Severity};
use crate::store::{Documents, Head};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Conforme,
    NcMineure,
    NcMajeure,
    NonApplicable,
    NonEvalue,
}

impl Verdict {
    pub fn id(self) -> &'static str {
        match self {
            Verdict::Conforme => "conforme",
            Verdict::NcMineure => "nc_mineure",
            Verdict::NcMajeure => "nc_majeure",
            Verdict::NonApplicable => "non_applicable",
            Verdict::NonEvalue => "non_evalue",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Verdict::Conforme, Lang::Fr) => "Conforme",
            (Verdict::NcMineure, Lang::Fr) => "NC mineure",
            (Verdict::NcMajeure, Lang::Fr) => "NC majeure",
            (Verdict::NonApplicable, Lang::Fr) => "Non applicable",
            (Verdict::NonEvalue, Lang::Fr) => "Non évalué",
            (Verdict::Conforme, Lang::En) => "Compliant",
            (Verdict::NcMineure, Lang::En) => "Minor NC",
            (Verdict::NcMajeure, Lang::En) => "Major NC",
            (Verdict::NonApplicable, Lang::En) => "Not applicable",
            (Verdict::NonEvalue, Lang::En) => "Not assessed",
        }
    }
}

/// One row of the grid (`report.json` → `indicators[]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorResult {
    pub number: u32,
    pub criterion: u32,
    /// The indicator's wording (French).
    pub label: String,
    pub label_en: String,
    pub gradable: bool,
    /// Its wording or reading is not settled (référentiel 2026 before guide V10).
    pub provisional: bool,
    pub applicable: bool,
    pub verdict: Verdict,
    /// What was found, in French.
    pub finding: String,
    pub finding_en: String,
    /// What to do, in French (empty when conforme).
    pub recommendation: String,
    pub recommendation_en: String,
    /// Documents that prove it (kinds named by the référentiel), sessions' and organisation's.
    /// Shared with the documents' heads (a year's archive lists tens of thousands of proofs).
    pub proofs: Vec<std::sync::Arc<str>>,
    /// Ids of the sessions it was judged on (supporting or breaking it).
    pub sessions: Vec<String>,
    /// Ids of the sessions with a blocking or warning finding on it.
    pub sessions_breaking: Vec<String>,
    /// Finding codes behind a non-conformity (sessions' and organisation's).
    pub codes: Vec<String>,
}

/// Builds the grid for every indicator of the rule set.
pub fn grid(
    rules: &RuleSet,
    audit: &Audit,
    sessions: &[Session],
    organisations: &[Organisation],
    documents: &Documents,
) -> Vec<IndicatorResult> {
    let judged = rules.judged_indicators();
    let documents = documents.heads();
    let contracts = documents.iter().any(|d| d.kind == Kind::TrainerContract);
    rules
        .indicator
        .iter()
        .map(|ind| {
            one(
                ind,
                rules,
                audit,
                judged.contains(&ind.number),
                sessions,
                organisations,
                documents,
                contracts,
            )
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn one(
    ind: &Indicator,
    rules: &RuleSet,
    audit: &Audit,
    judged: bool,
    sessions: &[Session],
    organisations: &[Organisation],
    documents: &[Head],
    contracts: bool,
) -> IndicatorResult {
    let mut r = IndicatorResult {
        number: ind.number,
        criterion: ind.criterion,
        label: ind.fr.clone(),
        label_en: ind.en.clone(),
        gradable: ind.gradable,
        provisional: ind.provisional,
        applicable: true,
        verdict: Verdict::NonEvalue,
        finding: String::new(),
        finding_en: String::new(),
        recommendation: String::new(),
        recommendation_en: String::new(),
        proofs: Vec::new(),
        sessions: Vec::new(),
        sessions_breaking: Vec::new(),
        codes: Vec::new(),
    };

    // 1. Does it apply to what the organisation is audited for?
    if let Some((fr, en)) = not_applicable(ind, audit, sessions, contracts) {
        r.applicable = false;
        r.verdict = Verdict::NonApplicable;
        r.finding = fr;
        r.finding_en = en;
        return r;
    }

    // 2. The sessions it is judged on (actions longer than two days for `long_action`).
    let relevant: Vec<&Session> = sessions
        .iter()
        .filter(|s| ind.condition != Some(Condition::LongAction) || !short_action(s))
        .collect();
    r.sessions = relevant.iter().map(|s| s.id.clone()).collect();

    // 3. Proofs: documents of the named kinds in those sessions and at organisation level.
    let session_ids: std::collections::HashSet<&str> =
        relevant.iter().map(|s| s.id.as_str()).collect();
    r.proofs = documents
        .iter()
        .filter(|d| ind.evidence.contains(&d.kind) && !d.has_errors)
        .filter(|d| match &d.session {
            Some(id) => session_ids.contains(&**id),
            None => true,
        })
        .map(|d| d.path.clone())
        .collect();

    if !judged {
        r.verdict = Verdict::NonEvalue;
        let kinds = kind_list(&ind.evidence, Lang::Fr);
        let kinds_en = kind_list(&ind.evidence, Lang::En);
        if r.proofs.is_empty() {
            r.finding = "Non évalué automatiquement : aucune preuve reconnue par preuves pour cet indicateur ; à vérifier lors de l'audit.".into();
            r.finding_en =
                "Not assessed automatically: no proof recognised for this indicator; to check at the audit.".into();
        } else {
            r.finding = format!(
                "Non évalué automatiquement : {} preuve(s) trouvée(s) ({kinds}), à apprécier lors de l'audit.",
                r.proofs.len()
            );
            r.finding_en = format!(
                "Not assessed automatically: {} proof(s) found ({kinds_en}), to weigh at the audit.",
                r.proofs.len()
            );
        }
        if !ind.evidence.is_empty() {
            r.recommendation = format!("Tenir prêtes les preuves : {kinds}.");
            r.recommendation_en = format!("Keep the proofs ready: {kinds_en}.");
        }
        return r;
    }

    // 4. Gaps: blocking and warning findings that name the indicator.
    let mut codes: BTreeMap<String, usize> = BTreeMap::new();
    let mut messages: BTreeMap<String, (String, String)> = BTreeMap::new();
    for s in &relevant {
        let mut broke = false;
        for f in s
            .findings
            .iter()
            .filter(|f| f.severity != Severity::Info && f.indicators.contains(&ind.number))
        {
            broke = true;
            *codes.entry(f.code.clone()).or_default() += 1;
            messages
                .entry(f.code.clone())
                .or_insert_with(|| rule_words(rules, &f.code));
        }
        if broke {
            r.sessions_breaking.push(s.id.clone());
        }
    }
    let mut org_gaps: Vec<String> = Vec::new();
    for o in organisations {
        for f in o
            .findings
            .iter()
            .filter(|f| f.severity != Severity::Info && f.indicators.contains(&ind.number))
        {
            org_gaps.push(f.code.clone());
            *codes.entry(f.code.clone()).or_default() += 1;
            messages
                .entry(f.code.clone())
                .or_insert_with(|| rule_words(rules, &f.code));
        }
    }
    r.codes = codes.keys().cloned().collect();
    let n = relevant.len();
    let broken = r.sessions_breaking.len();

    if n == 0
        && org_gaps.is_empty()
        && (organisations.is_empty() || !has_org_check(rules, ind.number))
    {
        r.verdict = Verdict::NonEvalue;
        r.finding = "Non évalué : aucune session de l'échantillon n'est concernée.".into();
        r.finding_en = "Not assessed: no session of the sample is concerned.".into();
        return r;
    }
    if broken == 0 && org_gaps.is_empty() {
        r.verdict = Verdict::Conforme;
        r.finding = format!(
            "Conforme : aucun écart sur {n} session(s) ; {} preuve(s) trouvée(s).",
            r.proofs.len()
        );
        r.finding_en = format!(
            "Compliant: no gap in {n} session(s); {} proof(s) found.",
            r.proofs.len()
        );
        return r;
    }
    let systematic = !org_gaps.is_empty() || (n >= 2 && broken == n);
    r.verdict = if ind.gradable && !systematic {
        Verdict::NcMineure
    } else {
        Verdict::NcMajeure
    };
    let list = |en: bool| {
        codes
            .iter()
            .map(|(c, k)| {
                let (fr, en_w) = &messages[c];
                let words = if en { en_w } else { fr };
                format!("{words} ({c} ×{k})")
            })
            .collect::<Vec<_>>()
            .join(" ; ")
    };
    let why = match (systematic, ind.gradable) {
        (true, _) if !org_gaps.is_empty() => (
            "absence au niveau de l'organisme (systématique)".to_string(),
            "missing at organisation level (systematic)".to_string(),
        ),
        (true, _) => (
            "écart dans toutes les sessions de l'échantillon (systématique)".to_string(),
            "gap in every session of the sample (systematic)".to_string(),
        ),
        (false, true) => (
            "écart ponctuel sur un indicateur gradable".to_string(),
            "occasional gap on a gradable indicator".to_string(),
        ),
        (false, false) => (
            "indicateur sans non-conformité mineure possible".to_string(),
            "indicator with no minor non-conformity".to_string(),
        ),
    };
    r.finding = format!(
        "{} : {broken} session(s) sur {n} en écart{} — {} ({}).",
        r.verdict.label(Lang::Fr),
        if org_gaps.is_empty() {
            String::new()
        } else {
            format!(", {} écart(s) de l'organisme", org_gaps.len())
        },
        list(false),
        why.0
    );
    r.finding_en = format!(
        "{}: {broken} of {n} session(s) with a gap{} — {} ({}).",
        r.verdict.label(Lang::En),
        if org_gaps.is_empty() {
            String::new()
        } else {
            format!(", {} organisation-level gap(s)", org_gaps.len())
        },
        list(true),
        why.1
    );
    r.recommendation = format!(
        "Corriger dans les sessions concernées : {}.",
        codes
            .keys()
            .map(|c| messages[c].0.trim_end_matches('.').to_string())
            .collect::<Vec<_>>()
            .join(" ; ")
    );
    r.recommendation_en = format!(
        "Fix in the sessions concerned: {}.",
        codes
            .keys()
            .map(|c| messages[c].1.trim_end_matches('.').to_string())
            .collect::<Vec<_>>()
            .join("; ")
    );
    r
}

/// Why an indicator does not apply (French, English), or `None` when it does.
fn not_applicable(
    ind: &Indicator,
    audit: &Audit,
    sessions: &[Session],
    contracts: bool,
) -> Option<(String, String)> {
    if !ind.categories.is_empty() && !audit.categories.iter().any(|c| ind.categories.contains(c)) {
        let fr = ind
            .categories
            .iter()
            .map(|c| c.label(Lang::Fr))
            .collect::<Vec<_>>()
            .join(", ");
        let en = ind
            .categories
            .iter()
            .map(|c| c.label(Lang::En))
            .collect::<Vec<_>>()
            .join(", ");
        return Some((
            format!(
                "Non applicable : indicateur propre à {fr} (catégories déclarées : {}).",
                categories(audit, Lang::Fr)
            ),
            format!(
                "Not applicable: for {en} only (declared categories: {}).",
                categories(audit, Lang::En)
            ),
        ));
    }
    // A CFA meets every condition (all 32/33 indicators apply to it).
    if audit.categories.contains(&Category::Cfa) {
        return None;
    }
    match ind.condition {
        Some(Condition::Certifying) if !audit.certifying => Some((
            "Non applicable : ne concerne que les prestations certifiantes (RNCP/RS) ; option --certifying si l'organisme en propose.".into(),
            "Not applicable: certifying programmes only (RNCP/RS); use --certifying if the organisation runs them.".into(),
        )),
        Some(Condition::Alternance) if !audit.alternance => Some((
            "Non applicable : ne concerne que l'alternance ou la formation en situation de travail ; option --alternance si l'organisme en propose.".into(),
            "Not applicable: work-study or work-based learning only; use --alternance if the organisation runs it.".into(),
        )),
        Some(Condition::Subcontracting) if !audit.subcontracting && !contracts => Some((
            "Non applicable : aucune sous-traitance déclarée ni contrat de sous-traitance trouvé ; option --subcontracting sinon.".into(),
            "Not applicable: no sub-contracting declared and no sub-contracting contract found; use --subcontracting otherwise.".into(),
        )),
        Some(Condition::LongAction)
            if !sessions.is_empty() && sessions.iter().all(short_action) =>
        {
            Some((
                "Non applicable : aucune action de plus de deux jours dans l'échantillon.".into(),
                "Not applicable: no action longer than two days in the sample.".into(),
            ))
        }
        _ => None,
    }
}

/// A session of two days or less (known dates only).
fn short_action(s: &Session) -> bool {
    match (
        s.start
            .as_deref()
            .and_then(|d| d.parse::<jiff::civil::Date>().ok()),
        s.end
            .as_deref()
            .and_then(|d| d.parse::<jiff::civil::Date>().ok()),
    ) {
        (Some(a), Some(b)) => (b - a).get_days() < 2,
        _ => false,
    }
}

fn has_org_check(rules: &RuleSet, n: u32) -> bool {
    rules
        .organisation_check
        .iter()
        .any(|c| c.severity != Severity::Info && c.indicators.contains(&n))
}

/// The rule set's words for a finding code (French, English).
fn rule_words(rules: &RuleSet, code: &str) -> (String, String) {
    if let Some(c) = rules.check(code) {
        return (c.fr.clone(), c.en.clone());
    }
    if let Some(c) = rules.organisation_check.iter().find(|c| c.code == code) {
        return (c.fr.clone(), c.en.clone());
    }
    if let Some(req) = code
        .strip_suffix(".missing")
        .and_then(|id| rules.requirement.iter().find(|r| r.id == id))
    {
        return (req.fr.clone(), req.en.clone());
    }
    (code.to_string(), code.to_string())
}

fn kind_list(kinds: &[Kind], lang: Lang) -> String {
    kinds
        .iter()
        .map(|k| match lang {
            Lang::Fr => k.label_fr(),
            Lang::En => k.label_en(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn categories(audit: &Audit, lang: Lang) -> String {
    audit
        .categories
        .iter()
        .map(|c| c.label(lang))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sessions::Finding;

    /// The grid of `sessions` alone (no organisation results, no documents).
    fn grid_of(rules: &RuleSet, category: Category, sessions: &[Session]) -> Vec<IndicatorResult> {
        grid(
            rules,
            &audit(&[category]),
            sessions,
            &[],
            &crate::store::Documents::default(),
        )
    }

    fn session(id: &str, start: &str, end: &str, findings: Vec<Finding>) -> Session {
        Session {
            id: id.into(),
            path: id.into(),
            start: Some(start.into()),
            end: Some(end.into()),
            findings,
            ..Session::default()
        }
    }

    fn finding(code: &str, severity: Severity, indicators: &[u32]) -> Finding {
        Finding {
            code: code.into(),
            severity,
            message: String::new(),
            message_en: String::new(),
            indicators: indicators.to_vec(),
            documents: Vec::new(),
        }
    }

    fn audit(categories: &[Category]) -> Audit {
        Audit {
            date: jiff::civil::date(2026, 12, 1),
            date_given: true,
            categories: categories.to_vec(),
            certifying: false,
            alternance: false,
            subcontracting: false,
        }
    }

    fn verdict(g: &[IndicatorResult], n: u32) -> Verdict {
        g.iter().find(|r| r.number == n).map(|r| r.verdict).unwrap()
    }

    #[test]
    fn minor_only_on_gradable_indicators_and_occasional_gaps() {
        let rules = RuleSet::embedded("rnq-v9").unwrap();
        let sessions = vec![
            // 9 is gradable (convocation after start), 4 is major only.
            session(
                "a",
                "2025-03-10",
                "2025-03-14",
                vec![
                    finding("convocation.after_start", Severity::Warning, &[9]),
                    finding("convention.signed_after_start", Severity::Warning, &[4]),
                ],
            ),
            session("b", "2025-04-10", "2025-04-14", vec![]),
        ];
        let g = grid_of(&rules, Category::Af, &sessions);
        assert_eq!(verdict(&g, 9), Verdict::NcMineure);
        assert_eq!(verdict(&g, 4), Verdict::NcMajeure);
        assert_eq!(verdict(&g, 11), Verdict::Conforme);
        for r in &g {
            if r.verdict == Verdict::NcMineure {
                assert!(
                    r.gradable,
                    "minor NC on non-gradable indicator {}",
                    r.number
                );
            }
        }
    }

    #[test]
    fn a_gap_in_every_sampled_session_is_systematic_and_major() {
        let rules = RuleSet::embedded("rnq-v9").unwrap();
        let f = || vec![finding("convocation.after_start", Severity::Warning, &[9])];
        let sessions = vec![
            session("a", "2025-03-10", "2025-03-14", f()),
            session("b", "2025-04-10", "2025-04-14", f()),
        ];
        let g = grid_of(&rules, Category::Af, &sessions);
        assert_eq!(verdict(&g, 9), Verdict::NcMajeure);
        let r = g.iter().find(|r| r.number == 9).unwrap();
        assert_eq!(r.sessions_breaking, vec!["a", "b"]);
        assert!(r.finding.contains("systématique"), "{}", r.finding);
    }

    #[test]
    fn info_findings_never_break_an_indicator() {
        let rules = RuleSet::embedded("rnq-v9").unwrap();
        let sessions = vec![session(
            "a",
            "2025-03-10",
            "2025-03-14",
            vec![finding("trainer_cv.outdated", Severity::Info, &[21, 22])],
        )];
        let g = grid_of(&rules, Category::Af, &sessions);
        assert_eq!(verdict(&g, 21), Verdict::Conforme);
    }

    #[test]
    fn categories_and_conditions_make_indicators_non_applicable() {
        let v9 = RuleSet::embedded("rnq-v9").unwrap();
        let y26 = RuleSet::embedded("rnq-2026").unwrap();
        let sessions = vec![session("a", "2025-03-10", "2025-03-11", vec![])];
        let g = grid_of(&y26, Category::Af, &sessions);
        assert_eq!(g.len(), 33);
        for n in [3, 7, 13, 14, 15, 16, 20, 27, 28, 29, 33] {
            assert_eq!(verdict(&g, n), Verdict::NonApplicable, "indicator {n}");
        }
        // A two-day action: indicator 12 (actions longer than two days) does not apply.
        assert_eq!(verdict(&g, 12), Verdict::NonApplicable);
        // A CFA: every indicator applies.
        let g = grid_of(&y26, Category::Cfa, &sessions);
        assert!(g.iter().all(|r| r.applicable));
        let g = grid_of(&v9, Category::Cfa, &sessions);
        assert_eq!(g.len(), 32);
    }

    #[test]
    fn unjudged_indicators_are_non_evalue_with_their_proofs() {
        let rules = RuleSet::embedded("rnq-v9").unwrap();
        let g = grid_of(&rules, Category::Af, &[]);
        // Indicator 17 (moyens humains et techniques): no check in the rule set.
        let r = g.iter().find(|r| r.number == 17).unwrap();
        assert_eq!(r.verdict, Verdict::NonEvalue);
        assert!(r.finding.starts_with("Non évalué"));
    }
}
