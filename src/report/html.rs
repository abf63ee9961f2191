//! `report.html`: the page a quality manager opens. One self-contained file (inline CSS and JS,
//! no network, no external asset), French by default, English with `--lang en`, printable.
//!
//! Top: counts by status, sessions by month and status, organisation-level checks. Then the
//! sessions table (sortable, filterable by status, client, month, missing kind), each session
//! expanding to its checklist, its documents (relative links that open the files) and its
//! findings; a documents tab (kind, confidence, reasons); an errors tab; the skipped files.
//! Rendered with askama from a view model built here, so the template holds only layout and
//! every value is escaped.

use super::{Lang, Report};
use crate::document::{DateRole, Document, Kind, SignatureStatus};
use crate::rules::RuleSet;
use crate::sessions::{Severity, Status};
use crate::store::Documents;
use askama::Template;
use std::collections::BTreeMap;

/// How to render.
#[derive(Clone, Debug, Default)]
pub struct HtmlOptions {
    pub lang: Lang,
    /// Prefix of the links to the documents (a folder path or URL ending in `/`), e.g. the
    /// archive's path relative to the report's folder. `None`: no links.
    pub link_base: Option<String>,
}

/// Labels in the report's language.
pub struct Labels {
    pub lang: &'static str,
    pub title: &'static str,
    pub scanned_folder: &'static str,
    pub rules: &'static str,
    pub documents: &'static str,
    pub sessions: &'static str,
    pub errors: &'static str,
    pub skipped: &'static str,
    pub files: &'static str,
    pub elapsed: &'static str,
    pub path: &'static str,
    pub format: &'static str,
    pub kind: &'static str,
    pub pages: &'static str,
    pub signature: &'static str,
    pub dates: &'static str,
    pub confidence: &'static str,
    pub reasons: &'static str,
    pub error: &'static str,
    pub reason: &'static str,
    pub filter: &'static str,
    pub all_statuses: &'static str,
    pub all_clients: &'static str,
    pub all_months: &'static str,
    pub any_missing: &'static str,
    pub no_errors: &'static str,
    pub no_sessions: &'static str,
    pub scanned: &'static str,
    pub generated_by: &'static str,
    pub complete: &'static str,
    pub at_risk: &'static str,
    pub incomplete: &'static str,
    pub session: &'static str,
    pub client: &'static str,
    pub period: &'static str,
    pub status: &'static str,
    pub missing: &'static str,
    pub findings: &'static str,
    pub checklist: &'static str,
    pub by_month: &'static str,
    pub organisation: &'static str,
    pub org_ok: &'static str,
    pub updated: &'static str,
    pub not_dated: &'static str,
    pub indicators: &'static str,
    pub trainers: &'static str,
    pub no_date: &'static str,
    pub blocking: &'static str,
    pub warning: &'static str,
    pub info: &'static str,
    pub present: &'static str,
    pub absent: &'static str,
    pub expand_all: &'static str,
    pub no_findings: &'static str,
    pub grid: &'static str,
    pub criterion: &'static str,
    pub indicator: &'static str,
    pub verdict: &'static str,
    pub finding: &'static str,
    pub proofs: &'static str,
    pub sessions_breaking: &'static str,
    pub recommendation: &'static str,
    pub provisional: &'static str,
    pub gradable: &'static str,
    pub no_indicators: &'static str,
    pub funder: &'static str,
    /// Above the list of stages that crashed after reading (`summary.internal`).
    pub internal: &'static str,
}

const FR: Labels = Labels {
    lang: "fr",
    title: "Rapport d'audit des preuves Qualiopi",
    scanned_folder: "Dossier analysé",
    rules: "Référentiel",
    documents: "Documents",
    sessions: "Sessions",
    errors: "Erreurs de lecture",
    skipped: "Fichiers non lus (système, verrous, filtres --include/--exclude)",
    files: "fichiers",
    elapsed: "Durée",
    path: "Chemin",
    format: "Format",
    kind: "Type",
    pages: "Pages",
    signature: "Signature",
    dates: "Dates",
    confidence: "Confiance",
    reasons: "Raisons",
    error: "Erreur",
    reason: "Raison",
    filter: "Rechercher…",
    all_statuses: "Tous les statuts",
    all_clients: "Tous les clients",
    all_months: "Tous les mois",
    any_missing: "Toute pièce manquante",
    no_errors: "Aucune erreur de lecture.",
    no_sessions: "Aucune session détectée.",
    scanned: "numérisé",
    generated_by: "Généré par",
    complete: "Complète",
    at_risk: "À risque",
    incomplete: "Incomplète",
    session: "Session",
    client: "Client",
    period: "Période",
    status: "Statut",
    missing: "Pièces manquantes",
    findings: "Constats",
    checklist: "Liste de contrôle",
    by_month: "Sessions par mois",
    organisation: "Documents de l'organisme",
    org_ok: "Documents qualité présents.",
    updated: "mis à jour le",
    not_dated: "non daté",
    indicators: "Indicateurs",
    trainers: "Formateurs",
    no_date: "sans date",
    blocking: "Bloquant",
    warning: "Avertissement",
    info: "Recommandation",
    present: "présent",
    absent: "absent",
    expand_all: "Tout déplier",
    no_findings: "Aucun constat.",
    grid: "Indicateurs",
    criterion: "Critère",
    indicator: "Indicateur",
    verdict: "Statut",
    finding: "Constat",
    proofs: "Preuves",
    sessions_breaking: "Sessions en écart",
    recommendation: "Recommandation",
    provisional: "provisoire",
    gradable: "NC mineure possible",
    no_indicators: "Le jeu de règles ne définit pas d'indicateurs.",
    internal: "Rapport incomplet : une étape de l'analyse a échoué (erreur interne de preuves, \
               l'analyse a continué sans elle). Les résultats qui en dépendent manquent ou sont \
               marqués incomplets ; les documents lus sont tous dans le rapport. Détail technique :",
    funder: "Contrôles des financeurs (sans effet sur le statut Qualiopi)",
};

const EN: Labels = Labels {
    lang: "en",
    title: "Qualiopi evidence audit report",
    scanned_folder: "Scanned folder",
    rules: "Rule set",
    documents: "Documents",
    sessions: "Sessions",
    errors: "Read errors",
    skipped: "Files not read (system, lock, --include/--exclude filters)",
    files: "files",
    elapsed: "Time",
    path: "Path",
    format: "Format",
    kind: "Kind",
    pages: "Pages",
    signature: "Signature",
    dates: "Dates",
    confidence: "Confidence",
    reasons: "Reasons",
    error: "Error",
    reason: "Reason",
    filter: "Search…",
    all_statuses: "All statuses",
    all_clients: "All clients",
    all_months: "All months",
    any_missing: "Any missing piece",
    no_errors: "No read errors.",
    no_sessions: "No session detected.",
    scanned: "scanned",
    generated_by: "Generated by",
    complete: "Complete",
    at_risk: "At risk",
    incomplete: "Incomplete",
    session: "Session",
    client: "Client",
    period: "Period",
    status: "Status",
    missing: "Missing pieces",
    findings: "Findings",
    checklist: "Checklist",
    by_month: "Sessions by month",
    organisation: "Organisation documents",
    org_ok: "Quality documents present.",
    updated: "updated",
    not_dated: "not dated",
    indicators: "Indicators",
    trainers: "Trainers",
    no_date: "no date",
    blocking: "Blocking",
    warning: "Warning",
    info: "Recommendation",
    present: "present",
    absent: "missing",
    expand_all: "Expand all",
    no_findings: "No findings.",
    grid: "Indicators",
    criterion: "Criterion",
    indicator: "Indicator",
    verdict: "Verdict",
    finding: "Finding",
    proofs: "Proofs",
    sessions_breaking: "Sessions with a gap",
    recommendation: "Recommendation",
    provisional: "provisional",
    gradable: "minor NC possible",
    no_indicators: "The rule set defines no indicators.",
    internal: "Incomplete report: a stage of the analysis failed (an internal error of preuves; \
               the scan went on without it). The results that depend on it are missing or \
               marked incomplete; every document read is in the report. Technical detail:",
    funder: "Funder checks (no effect on the Qualiopi status)",
};

pub struct DocRow {
    pub path: String,
    pub href: String,
    pub format: String,
    pub kind: String,
    pub kind_id: String,
    pub confidence: String,
    pub pages: u32,
    pub scanned: bool,
    pub signature: String,
    pub signature_class: String,
    pub signature_detail: String,
    pub dates: String,
    pub reasons: String,
    pub errors: Vec<(String, String)>,
    pub warnings: Vec<String>,
}

/// Rows of a table, each made as the page is written from its item: the rows of a large
/// archive are never all in memory at once (the page lists every document twice, in its
/// session and in the documents tab; each session's checklist, findings and links; each
/// indicator's proofs and sessions with a gap).
pub struct Rows<'a, T, R> {
    items: Vec<T>,
    make: Box<dyn Fn(&T) -> R + 'a>,
}

impl<'a, T, R> Rows<'a, T, R> {
    fn new(items: Vec<T>, make: impl Fn(&T) -> R + 'a) -> Rows<'a, T, R> {
        Rows {
            items,
            make: Box::new(make),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }
}

pub struct RowIter<'a, 'b, T, R> {
    items: std::slice::Iter<'b, T>,
    make: &'b (dyn Fn(&T) -> R + 'a),
}

impl<T, R> Iterator for RowIter<'_, '_, T, R> {
    type Item = R;
    fn next(&mut self) -> Option<R> {
        self.items.next().map(|t| (self.make)(t))
    }
}

impl<'a, 'b, T, R> IntoIterator for &'b Rows<'a, T, R> {
    type Item = R;
    type IntoIter = RowIter<'a, 'b, T, R>;
    fn into_iter(self) -> RowIter<'a, 'b, T, R> {
        RowIter {
            items: self.items.iter(),
            make: &*self.make,
        }
    }
}

/// The rows of a list of documents: their indexes in the report's documents, each loaded (from
/// the scan's temporary file, see `crate::store`) when its row is written.
pub type DocRows<'a> = Rows<'a, usize, DocRow>;

fn doc_rows<'a>(docs: &'a Documents, which: Vec<usize>, o: &'a HtmlOptions) -> DocRows<'a> {
    Rows::new(which, move |&i| doc_row(&docs.get(i), o))
}

pub struct CheckItem {
    pub label: String,
    pub ok: bool,
    pub class: String,
    pub indicators: String,
}

pub struct FindingRow {
    pub severity: String,
    pub class: String,
    pub message: String,
    pub indicators: String,
    pub documents: Vec<(String, String)>,
}

pub struct SessionRow<'a> {
    pub id: String,
    pub path: String,
    pub title: String,
    pub client: String,
    pub period: String,
    pub start: String,
    pub month: String,
    pub status_id: String,
    pub status: String,
    pub missing: String,
    pub missing_ids: String,
    pub n_findings: usize,
    pub trainers: String,
    pub checklist: Vec<CheckItem>,
    pub docs: DocRows<'a>,
    pub findings: Vec<FindingRow>,
    pub funder: Vec<FindingRow>,
}

pub struct MonthBar {
    pub label: String,
    pub complete: usize,
    pub at_risk: usize,
    pub incomplete: usize,
    pub h_complete: usize,
    pub h_at_risk: usize,
    pub h_incomplete: usize,
}

pub struct OrgRow {
    pub path: String,
    pub documents: Vec<(String, String, String, String)>,
    pub findings: Vec<FindingRow>,
}

#[derive(Template)]
#[template(path = "report.html")]
struct Page<'a> {
    l: &'a Labels,
    root: &'a str,
    version: &'a str,
    rules: String,
    summary: &'a super::Summary,
    sessions: Rows<'a, &'a crate::sessions::Session, SessionRow<'a>>,
    clients: Vec<String>,
    months: Vec<(String, String)>,
    missing_kinds: Vec<(String, String)>,
    bars: Vec<MonthBar>,
    orgs: Vec<OrgRow>,
    docs: DocRows<'a>,
    errors: DocRows<'a>,
    skipped: &'a [crate::walk::Skipped],
    elapsed: String,
    rules_reason: String,
    provisional: bool,
    grid: Rows<'a, &'a crate::rules::indicators::IndicatorResult, IndicatorRow<'a>>,
    nc_count: usize,
}

/// One row of the indicator grid.
struct IndicatorRow<'a> {
    number: u32,
    criterion: u32,
    label: String,
    provisional: bool,
    gradable: bool,
    verdict: String,
    class: &'static str,
    finding: String,
    recommendation: String,
    /// (path, href), made as the page is written (an indicator of a year's archive can have
    /// tens of thousands of proofs).
    proofs: Rows<'a, &'a std::sync::Arc<str>, (String, String)>,
    /// Session paths with a gap.
    breaking: Vec<String>,
}

/// The indicator grid's rows.
fn indicator_rows<'a>(
    report: &'a Report,
    o: &'a HtmlOptions,
) -> Rows<'a, &'a crate::rules::indicators::IndicatorResult, IndicatorRow<'a>> {
    // Session id → path.
    let paths: BTreeMap<&str, &str> = report
        .sessions
        .iter()
        .map(|s| (s.id.as_str(), s.path.as_str()))
        .collect();
    Rows::new(report.indicators.iter().collect(), move |r| {
        indicator_row(r, &paths, o)
    })
}

fn indicator_row<'a>(
    r: &'a crate::rules::indicators::IndicatorResult,
    paths: &BTreeMap<&str, &str>,
    o: &'a HtmlOptions,
) -> IndicatorRow<'a> {
    use crate::rules::indicators::Verdict;
    let lang = o.lang;
    let session_path = |id: &String| {
        paths
            .get(id.as_str())
            .map(|p| p.to_string())
            .unwrap_or_else(|| id.clone())
    };
    IndicatorRow {
        number: r.number,
        criterion: r.criterion,
        label: match lang {
            Lang::Fr => r.label.clone(),
            Lang::En => r.label_en.clone(),
        },
        provisional: r.provisional,
        gradable: r.gradable,
        verdict: r.verdict.label(lang).to_string(),
        class: match r.verdict {
            Verdict::Conforme => "ok",
            Verdict::NcMineure => "warning",
            Verdict::NcMajeure => "blocking",
            Verdict::NonApplicable | Verdict::NonEvalue => "muted",
        },
        finding: match lang {
            Lang::Fr => r.finding.clone(),
            Lang::En => r.finding_en.clone(),
        },
        recommendation: match lang {
            Lang::Fr => r.recommendation.clone(),
            Lang::En => r.recommendation_en.clone(),
        },
        proofs: Rows::new(r.proofs.iter().collect(), move |p| {
            (p.to_string(), href(p, o))
        }),
        breaking: r.sessions_breaking.iter().map(session_path).collect(),
    }
}

pub fn kind_label(k: Kind, lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => k.label_fr(),
        Lang::En => k.label_en(),
    }
}

pub fn sig_label(s: SignatureStatus, lang: Lang) -> &'static str {
    match (s, lang) {
        (SignatureStatus::Signed, Lang::Fr) => "signé",
        (SignatureStatus::Unsigned, Lang::Fr) => "non signé",
        (SignatureStatus::Partial, Lang::Fr) => "partiel",
        (SignatureStatus::NotApplicable, Lang::Fr) => "sans objet",
        (SignatureStatus::Unknown, Lang::Fr) => "à vérifier",
        (SignatureStatus::Signed, Lang::En) => "signed",
        (SignatureStatus::Unsigned, Lang::En) => "unsigned",
        (SignatureStatus::Partial, Lang::En) => "partial",
        (SignatureStatus::NotApplicable, Lang::En) => "not applicable",
        (SignatureStatus::Unknown, Lang::En) => "to check",
    }
}

pub fn role_label(r: DateRole, lang: Lang) -> &'static str {
    match (r, lang) {
        (DateRole::Document, Lang::Fr) => "date du document",
        (DateRole::Signature, Lang::Fr) => "signature",
        (DateRole::SessionStart, Lang::Fr) => "début",
        (DateRole::SessionEnd, Lang::Fr) => "fin",
        (DateRole::Other, Lang::Fr) => "autre",
        (DateRole::Document, Lang::En) => "document date",
        (DateRole::Signature, Lang::En) => "signature",
        (DateRole::SessionStart, Lang::En) => "start",
        (DateRole::SessionEnd, Lang::En) => "end",
        (DateRole::Other, Lang::En) => "other",
    }
}

fn status_label(s: Status, l: &Labels) -> &'static str {
    match s {
        Status::Complete => l.complete,
        Status::AtRisk => l.at_risk,
        Status::Incomplete => l.incomplete,
    }
}

fn status_id(s: Status) -> &'static str {
    match s {
        Status::Complete => "complete",
        Status::AtRisk => "at_risk",
        Status::Incomplete => "incomplete",
    }
}

fn severity_label(s: Severity, l: &Labels) -> &'static str {
    match s {
        Severity::Blocking => l.blocking,
        Severity::Warning => l.warning,
        Severity::Info => l.info,
    }
}

/// `2025-03-12` → `12/03/2025` (French); unchanged in English.
pub fn format_date(iso: &str, lang: Lang) -> String {
    match (lang, iso.split('-').collect::<Vec<_>>().as_slice()) {
        (Lang::Fr, [y, m, d]) => format!("{d}/{m}/{y}"),
        _ => iso.to_string(),
    }
}

/// Percent-encodes a relative path for an href (keeps `/`).
fn encode_path(p: &str) -> String {
    /// Everything but the unreserved characters of RFC 3986 and the path separator.
    const PATH: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~')
        .remove(b'/');
    percent_encoding::utf8_percent_encode(p, PATH).to_string()
}

/// The link to a document (its container for a member of a zip or an e-mail), or "" without a
/// link base.
pub fn href(path: &str, o: &HtmlOptions) -> String {
    match &o.link_base {
        // A document inside a zip or an e-mail opens its container.
        Some(base) => {
            let disk = disk_part(path);
            format!("{base}{}", encode_path(disk))
        }
        None => String::new(),
    }
}

/// The on-disk part of a path (`a/b.zip/c.pdf` → `a/b.zip`).
fn disk_part(path: &str) -> &str {
    // Searched in `path`'s bytes, ASCII case ignored: an offset taken from a lower-cased copy
    // is not an offset in `path` ("İ" and "ẞ" change length when lower-cased), and an ASCII
    // '.' never falls inside a multi-byte character, so a match is on a character boundary.
    let end = path
        .as_bytes()
        .windows(5)
        .position(|w| w.eq_ignore_ascii_case(b".zip/") || w.eq_ignore_ascii_case(b".eml/"))
        .map(|i| i + 4);
    end.and_then(|end| path.get(..end)).unwrap_or(path)
}

fn doc_row(d: &Document, o: &HtmlOptions) -> DocRow {
    let lang = o.lang;
    let dates: Vec<String> = d
        .dates
        .iter()
        .take(12)
        .map(|x| {
            let role = if x.answer {
                match lang {
                    Lang::Fr => "date de réponse",
                    Lang::En => "answer date",
                }
            } else {
                role_label(x.role, lang)
            };
            format!("{} ({role})", format_date(&x.date, lang))
        })
        .collect();
    let mut signature = sig_label(d.signature.status, lang).to_string();
    if let (Some(e), Some(f)) = (d.signature.expected, d.signature.found) {
        signature.push_str(&format!(" — {f}/{e}"));
    }
    DocRow {
        path: d.path.clone(),
        href: href(&d.path, o),
        format: d.format.as_str().to_string(),
        kind: kind_label(d.kind, lang).to_string(),
        kind_id: d.kind.id().to_string(),
        confidence: format!("{:.0} %", d.confidence * 100.0),
        pages: d.pages,
        scanned: d.scanned,
        signature,
        signature_class: format!("{:?}", d.signature.status).to_lowercase(),
        signature_detail: d
            .signature
            .evidence
            .iter()
            .map(|e| e.detail.clone())
            .collect::<Vec<_>>()
            .join(" · "),
        dates: dates.join(" · "),
        reasons: d.reasons.join(" · "),
        errors: d
            .errors
            .iter()
            .map(|e| (e.code.as_str().to_string(), e.message.clone()))
            .collect(),
        warnings: d.warnings.clone(),
    }
}

fn finding_row(f: &crate::sessions::Finding, l: &Labels, o: &HtmlOptions) -> FindingRow {
    FindingRow {
        severity: severity_label(f.severity, l).to_string(),
        class: format!("{:?}", f.severity).to_lowercase(),
        message: f
            .message_in(if l.lang == "en" { Lang::En } else { Lang::Fr })
            .to_string(),
        indicators: super::indicator_list(&f.indicators),
        documents: f
            .documents
            .iter()
            .map(|p| (p.clone(), href(p, o)))
            .collect(),
    }
}

/// A session's checklist: one item per requirement of the rule set, ticked when no
/// `<requirement>.missing` finding says otherwise (the report's and the sample's pages).
pub fn checklist(s: &crate::sessions::Session, rules: &RuleSet, lang: Lang) -> Vec<CheckItem> {
    rules
        .requirement
        .iter()
        .map(|r| {
            let missing = s
                .findings
                .iter()
                .any(|f| f.code == format!("{}.missing", r.id));
            let kinds = if s.distance && !r.distance_kinds.is_empty() {
                &r.distance_kinds
            } else {
                &r.kinds
            };
            let label = kinds
                .first()
                .map(|k| kind_label(*k, lang))
                .unwrap_or("?")
                .to_string();
            CheckItem {
                label,
                ok: !missing,
                class: if missing {
                    format!("{:?}", r.missing).to_lowercase()
                } else {
                    "ok".into()
                },
                indicators: super::indicator_list(&r.indicators),
            }
        })
        .collect()
}

fn session_month(s: &crate::sessions::Session) -> String {
    s.start
        .as_deref()
        .and_then(|d| d.get(..7))
        .unwrap_or("")
        .to_string()
}

fn session_row<'a>(
    s: &'a crate::sessions::Session,
    documents: &'a Documents,
    rules: &RuleSet,
    l: &Labels,
    o: &'a HtmlOptions,
) -> SessionRow<'a> {
    let lang = o.lang;
    let month = session_month(s);
    let checklist = checklist(s, rules, lang);
    let period = match (&s.start, &s.end) {
        (Some(a), Some(b)) if a != b => {
            format!("{} → {}", format_date(a, lang), format_date(b, lang))
        }
        (Some(a), _) => format_date(a, lang),
        _ => l.no_date.to_string(),
    };
    SessionRow {
        id: s.id.clone(),
        path: s.path.clone(),
        title: s
            .title
            .clone()
            .unwrap_or_else(|| s.path.rsplit('/').next().unwrap_or("").to_string()),
        client: s.client.clone().unwrap_or_default(),
        period,
        start: s.start.clone().unwrap_or_default(),
        month,
        status_id: status_id(s.status).to_string(),
        status: status_label(s.status, l).to_string(),
        missing: s
            .missing
            .iter()
            .map(|k| kind_label(*k, lang))
            .collect::<Vec<_>>()
            .join(", "),
        missing_ids: s
            .missing
            .iter()
            .map(|k| k.id())
            .collect::<Vec<_>>()
            .join(" "),
        n_findings: s.findings.len(),
        trainers: s.trainers.join(", "),
        checklist,
        docs: doc_rows(
            documents,
            s.documents
                .iter()
                .filter_map(|p| documents.position(p))
                .collect(),
            o,
        ),
        findings: s.findings.iter().map(|f| finding_row(f, l, o)).collect(),
        funder: s
            .funder_findings
            .iter()
            .map(|f| finding_row(f, l, o))
            .collect(),
    }
}

/// Renders the page.
pub fn render(report: &Report, rules: &RuleSet, o: &HtmlOptions) -> String {
    let mut out = Vec::new();
    match render_into(report, rules, o, &mut out) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(e) => format!("<!doctype html><p>render error: {e}</p>"),
    }
}

/// Writes the page into `w` as it is rendered (a large archive's page is never held whole in
/// memory).
pub fn render_into(
    report: &Report,
    rules: &RuleSet,
    o: &HtmlOptions,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let lang = o.lang;
    let l = match lang {
        Lang::Fr => &FR,
        Lang::En => &EN,
    };
    let mut clients: Vec<String> = Vec::new();
    let mut months: BTreeMap<String, [usize; 3]> = BTreeMap::new();
    let mut missing_kinds: BTreeMap<String, String> = BTreeMap::new();
    for s in &report.sessions {
        let counts = months.entry(session_month(s)).or_default();
        counts[match s.status {
            Status::Complete => 0,
            Status::AtRisk => 1,
            Status::Incomplete => 2,
        }] += 1;
        if let Some(c) = &s.client
            && !clients.contains(c)
        {
            clients.push(c.clone());
        }
        for k in &s.missing {
            missing_kinds.insert(k.id().to_string(), kind_label(*k, lang).to_string());
        }
    }
    clients.sort();
    let max = months
        .values()
        .map(|c| c.iter().sum::<usize>())
        .max()
        .unwrap_or(1)
        .max(1);
    let scale = |n: usize| n * 120 / max;
    let bars = months
        .iter()
        .map(|(m, c)| MonthBar {
            label: if m.is_empty() {
                l.no_date.to_string()
            } else {
                month_label(m, lang)
            },
            complete: c[0],
            at_risk: c[1],
            incomplete: c[2],
            h_complete: scale(c[0]),
            h_at_risk: scale(c[1]),
            h_incomplete: scale(c[2]),
        })
        .collect();
    let month_options = months
        .keys()
        .filter(|m| !m.is_empty())
        .map(|m| (m.clone(), month_label(m, lang)))
        .collect();
    let orgs = report
        .organisations
        .iter()
        .map(|org| OrgRow {
            path: if org.path.is_empty() {
                report.root.clone()
            } else {
                org.path.clone()
            },
            documents: org
                .documents
                .iter()
                .map(|d| {
                    (
                        kind_label(d.kind, lang).to_string(),
                        d.path.clone(),
                        href(&d.path, o),
                        d.updated
                            .as_deref()
                            .map(|u| format!("{} {}", l.updated, format_date(u, lang)))
                            .unwrap_or_else(|| l.not_dated.to_string()),
                    )
                })
                .collect(),
            findings: org.findings.iter().map(|f| finding_row(f, l, o)).collect(),
        })
        .collect();
    let docs = doc_rows(&report.documents, (0..report.documents.len()).collect(), o);
    let errors = doc_rows(
        &report.documents,
        report.documents.which(|d| d.has_errors).collect(),
        o,
    );
    let ms = report.summary.elapsed_ms;
    let elapsed = if ms < 10_000 {
        let secs = ms as f64 / 1000.0;
        match lang {
            Lang::Fr => format!("{} s", super::fr_decimal(secs, 1)),
            Lang::En => format!("{secs:.1} s"),
        }
    } else {
        format!("{} s", ms / 1000)
    };
    // Documents not read again this run: served by the results cache.
    let elapsed = match &report.summary.cache {
        Some(c) if c.documents_from_cache > 0 => match lang {
            Lang::Fr => format!(
                "{elapsed} ({} documents repris du cache, {} fichiers lus)",
                c.documents_from_cache, c.files_read
            ),
            Lang::En => format!(
                "{elapsed} ({} documents from the cache, {} files read)",
                c.documents_from_cache, c.files_read
            ),
        },
        _ => elapsed,
    };
    let rules_label = format!(
        "{} {} — {}",
        rules.id,
        rules.version,
        match lang {
            Lang::Fr => &rules.title_fr,
            Lang::En => &rules.title_en,
        }
    );
    let grid = indicator_rows(report, o);
    let nc_count = report
        .indicators
        .iter()
        .filter(|r| {
            matches!(
                r.verdict,
                crate::rules::indicators::Verdict::NcMineure
                    | crate::rules::indicators::Verdict::NcMajeure
            )
        })
        .count();
    let page = Page {
        l,
        rules_reason: match lang {
            Lang::Fr => report.rules.reason.clone(),
            Lang::En => report.rules.reason_en.clone(),
        },
        provisional: report.rules.provisional,
        grid,
        nc_count,
        root: &report.root,
        version: &report.tool.version,
        rules: rules_label,
        summary: &report.summary,
        sessions: Rows::new(report.sessions.iter().collect(), |s| {
            session_row(s, &report.documents, rules, l, o)
        }),
        clients,
        months: month_options,
        missing_kinds: missing_kinds.into_iter().collect(),
        bars,
        orgs,
        docs,
        errors,
        skipped: &report.skipped,
        elapsed,
    };
    page.write_into(w)
}

pub fn month_label(m: &str, lang: Lang) -> String {
    const FR_MONTHS: [&str; 12] = [
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
        "déc.",
    ];
    const EN_MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (y, mo) = m.split_once('-').unwrap_or((m, "01"));
    let i = mo.parse::<usize>().unwrap_or(1).clamp(1, 12) - 1;
    match lang {
        Lang::Fr => format!("{} {y}", FR_MONTHS[i]),
        Lang::En => format!("{} {y}", EN_MONTHS[i]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_link_path_lowercase_length_change_no_panic() {
        // "İ" (2 bytes) lower-cases to 3 bytes, "ẞ" (3 bytes) to "ß" (2 bytes): offsets of the
        // lower-cased copy are not offsets of the path.
        assert_eq!(disk_part("İİİİ/a.zip/b.pdf"), "İİİİ/a.zip");
        assert_eq!(disk_part("ẞẞẞẞẞẞ/Mail.EML/pj.pdf"), "ẞẞẞẞẞẞ/Mail.EML");
        assert_eq!(disk_part("İ/x.pdf"), "İ/x.pdf");
        assert_eq!(disk_part("a.eml/b.zip/c.pdf"), "a.eml");
        for p in ["İ.zip", "ẞ.zip/", ".zip/", "", "İİİİİİİİİİ.zip/é"] {
            let _ = disk_part(p);
        }
    }

    #[test]
    fn links_point_at_the_file_or_its_container() {
        let o = HtmlOptions {
            lang: Lang::Fr,
            link_base: Some("../archive/".into()),
        };
        assert_eq!(
            href("2025/Émargement 1.pdf", &o),
            "../archive/2025/%C3%89margement%201.pdf"
        );
        assert_eq!(
            href("a/Emargements.zip/x.pdf", &o),
            "../archive/a/Emargements.zip"
        );
        assert_eq!(href("a/b.pdf", &HtmlOptions::default()), "");
    }

    #[test]
    fn french_dates_and_months() {
        assert_eq!(format_date("2025-03-12", Lang::Fr), "12/03/2025");
        assert_eq!(format_date("2025-03-12", Lang::En), "2025-03-12");
        assert_eq!(month_label("2025-08", Lang::Fr), "août 2025");
    }

    #[test]
    fn french_durations_with_a_decimal_comma() {
        let rules = RuleSet::default_set();
        let report = Report::build(
            std::path::Path::new("archive"),
            &rules,
            Default::default(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
            0,
            std::time::Duration::from_millis(2_400),
        );
        let page = |lang| {
            render(
                &report,
                &rules,
                &HtmlOptions {
                    lang,
                    link_base: None,
                },
            )
        };
        assert!(page(Lang::Fr).contains("<b>2,4 s</b>"));
        assert!(page(Lang::En).contains("<b>2.4 s</b>"));
    }
}
