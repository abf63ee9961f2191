//! Sessions: documents → the training sessions they prove.
//!
//! By default a session is a folder holding session evidence. Real archives nest it in
//! different ways — `<year>/<YYYY-MM title - client>/…`, `Clients/<client>/<session>/…`, and a
//! session folder split into family sub-folders (`Émargements/`, `1 - Administratif/`,
//! `Evaluations/`) that belong to their parent. Organisation-level folders (trainer CVs, quality
//! documents) are recognised by name and content; their documents have `session: null`, and so
//! do year-level files such as a yearly planning. `--session-depth N` overrides the heuristics.
//!
//! This module only groups and describes (title, client, trainers, trainees, dates, from the
//! documents first, the folder name last); judging is `rules`' job.

use crate::document::{DateRole, Kind};
use crate::store::{Documents, Head};
use crate::understand::normalize::{contains_phrase, normalize_line};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SessionOptions {
    /// Force session folders at this depth below the root (1 = the root's sub-folders).
    pub session_depth: Option<usize>,
    /// Folders inside zip files are folders like the others (a client's whole archive sent as
    /// one zip); by default a zip's members belong to the folder holding the zip.
    pub zip_as_folder: bool,
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
    /// What was found, in French.
    pub message: String,
    /// The same in English (`--lang en`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message_en: String,
    pub indicators: Vec<u32>,
    pub documents: Vec<String>,
}

impl Finding {
    /// The message in the report's language (French when no English text exists).
    pub fn message_in(&self, lang: crate::report::Lang) -> &str {
        if lang == crate::report::Lang::En && !self.message_en.is_empty() {
            &self.message_en
        } else {
            &self.message
        }
    }
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
    /// Paths of the documents of this session (shared with the documents' heads).
    pub documents: Vec<std::sync::Arc<str>>,
    pub trainers: Vec<String>,
    pub trainees: Vec<String>,
    /// Distance learning (connection logs, no attendance sheet, "FOAD"/"à distance").
    pub distance: bool,
    /// The organisation folder this session belongs to ("" when the root is the organisation).
    pub organisation: String,
    /// How `title`, `start`, `end` were found.
    pub sources: Vec<String>,
    /// What a funder (OPCO, CPF, France Travail) checks before paying, apart from the Qualiopi
    /// verdict: these findings never change `status`.
    #[serde(default)]
    pub funder_findings: Vec<Finding>,
}

impl Session {
    /// The rules could not judge this session (they crashed, see `summary.internal`): never
    /// shown complete, with a blocking finding saying why.
    pub fn not_judged(&mut self) {
        self.status = Status::Incomplete;
        self.findings.retain(|f| f.code != "internal");
        self.findings.push(Finding {
            code: "internal".into(),
            severity: Severity::Blocking,
            message: "Les règles n'ont pas pu être appliquées à cette session (erreur interne de \
                      preuves) : à vérifier à la main."
                .into(),
            message_en: "The rules could not be applied to this session (an internal error in \
                         preuves): check it by hand."
                .into(),
            indicators: Vec::new(),
            documents: Vec::new(),
        });
    }
}

/// A session with nothing found yet (no path, title, dates, documents or findings), complete
/// until judged: what tests build their sessions from.
impl Default for Session {
    fn default() -> Session {
        Session {
            id: String::new(),
            path: String::new(),
            title: None,
            client: None,
            start: None,
            end: None,
            status: Status::Complete,
            missing: Vec::new(),
            findings: Vec::new(),
            documents: Vec::new(),
            trainers: Vec::new(),
            trainees: Vec::new(),
            distance: false,
            organisation: String::new(),
            sources: Vec::new(),
            funder_findings: Vec::new(),
        }
    }
}

/// Kinds that belong to a session (the others are organisation-level).
pub fn is_session_kind(k: Kind) -> bool {
    !matches!(
        k,
        Kind::TrainerCv
            | Kind::WelcomeBooklet
            | Kind::InternalRules
            | Kind::Complaint
            | Kind::ViolenceProcedure
            | Kind::RiskAnalysis
            | Kind::ResultsNote
            | Kind::WatchRecord
            | Kind::Accessibility
            | Kind::SkillsDevelopment
            | Kind::Catalogue
            | Kind::Other
    )
}

/// Folder names of organisation-level evidence (normalised, number prefixes removed).
const ORG_FOLDERS: [&str; 22] = [
    "formateurs",
    "formateur",
    "cv formateurs",
    "cv des formateurs",
    "cv",
    "intervenants",
    "equipe pedagogique",
    "qualite",
    "documents qualite",
    "qualiopi",
    "demarche qualite",
    "reclamations",
    "veille",
    "procedures",
    "modeles",
    "ressources humaines",
    "rh",
    "administratif general",
    "documents generaux",
    "charte",
    "communication",
    "organisme",
];

/// Folder names that split a session by document family.
const FAMILY_FOLDERS: [&str; 34] = [
    "emargement",
    "emargements",
    "feuilles d'emargement",
    "presence",
    "presences",
    "feuilles de presence",
    "administratif",
    "admin",
    "administration",
    "contractuel",
    "contrats",
    "conventions",
    "convention",
    "convocations",
    "pedagogie",
    "pedagogique",
    "documents pedagogiques",
    "evaluations",
    "evaluation",
    "questionnaires",
    "satisfaction",
    "attestations",
    "certificats",
    "facturation",
    "factures",
    "financement",
    "scans",
    "signes",
    "documents signes",
    "bilan",
    "suivi",
    "stagiaires",
    "positionnement",
    "programme",
];

/// Strips "1 - ", "01_", "2. " number prefixes and normalises.
fn folder_key(name: &str) -> String {
    let n = normalize_line(&name.replace('_', " "));
    let trimmed = n.trim_start_matches(|c: char| c.is_ascii_digit());
    if trimmed.len() < n.len() {
        let t = trimmed.trim_start_matches([' ', '-', '.', ')']).trim();
        if !t.is_empty() {
            return t.to_string();
        }
    }
    n
}

fn is_org_folder(name: &str) -> bool {
    let k = folder_key(name);
    ORG_FOLDERS
        .iter()
        .any(|o| k == *o || k.starts_with(&format!("{o} ")))
}

/// Words that make a sub-folder a family of session documents wherever they stand in its name
/// ("Évaluations finales", "Final assessment", "Sign-in sheets", "Attestations signées").
const FAMILY_WORDS: [&str; 28] = [
    "emargement",
    "emargements",
    "presences",
    "evaluations",
    "attestations",
    "certificats",
    "factures",
    "convocations",
    "questionnaires",
    "positionnement",
    "assessment",
    "assessments",
    "evaluation",
    "attendance",
    "sign-in",
    "certificates",
    "invoices",
    "feedback",
    "surveys",
    "survey",
    "quizzes",
    "tests",
    "contracts",
    "agreements",
    "signed",
    "signees",
    "signes",
    "scans",
];

fn is_family_folder(name: &str) -> bool {
    let k = folder_key(name);
    FAMILY_FOLDERS.iter().any(|f| k == *f)
        || (k.split_whitespace().count() <= 3
            && k.split_whitespace().any(|w| FAMILY_WORDS.contains(&w)))
}

fn is_year_folder(name: &str) -> bool {
    name.len() == 4 && name.chars().all(|c| c.is_ascii_digit())
}

/// The outermost file of a nested path (`a/b.zip/c/d.pdf` → `a/b.zip`), for documents inside
/// containers.
/// With `zip_as_folder`, the walk up stops at a zip: its members keep their inner folders.
fn disk_path<'a>(
    d: &'a Head,
    all: &std::collections::HashMap<&'a str, &'a Head>,
    zip_as_folder: bool,
) -> &'a str {
    let mut path = &*d.path;
    let mut container = d.container.as_deref();
    while let Some(c) = container {
        let parent = all.get(c).copied();
        if zip_as_folder && parent.is_some_and(|p| p.format == crate::model::Format::Zip) {
            break;
        }
        path = c;
        container = parent.and_then(|x| x.container.as_deref());
    }
    path
}

/// Groups documents into sessions, setting each document's `session`.
/// Works on the documents' heads; each session's documents are loaded (from the store) only
/// to describe it.
pub fn group(documents: &mut Documents, options: &SessionOptions) -> Vec<Session> {
    // Every folder below is a slice of a head's path (nothing copied per document: at year
    // scale, copies of every path were the largest thing in memory while grouping).
    let heads = documents.heads();
    // 1. The effective folder of each document: family sub-folders lifted to their parent.
    let by_path: std::collections::HashMap<&str, &Head> =
        heads.iter().map(|h| (&*h.path, h)).collect();
    let disk: Vec<&str> = heads
        .iter()
        .map(|d| disk_path(d, &by_path, options.zip_as_folder))
        .collect();
    drop(by_path);
    let kinds: Vec<Kind> = heads.iter().map(|h| h.kind).collect();
    let mut effective: Vec<Option<&str>> = disk
        .iter()
        .map(|d| Some(d.rsplit_once('/').map_or("", |(f, _)| f)))
        .collect();
    if let Some(depth) = options.session_depth {
        for (e, d) in effective.iter_mut().zip(&disk) {
            // The first `depth` components, when the path has more.
            *e = depth
                .checked_sub(1)
                .and_then(|n| d.match_indices('/').nth(n))
                .map(|(at, _)| &d[..at]);
        }
    } else {
        // Lift family folders (any depth) to the nearest ancestor that is not a family folder.
        for e in effective.iter_mut() {
            let Some(f) = e.as_mut() else { continue };
            while let Some((parent, name)) = f.rsplit_once('/')
                && is_family_folder(name)
            {
                *f = parent;
            }
        }
        // A sub-folder with evidence inside a folder that has evidence of its own and whose
        // name does not look like a session of its own is a family folder too.
        let mut changed = true;
        while changed {
            changed = false;
            // Documents of session kinds per effective folder, kept exact as folders are lifted.
            let mut evidence: std::collections::HashMap<&str, usize> =
                std::collections::HashMap::new();
            for (e, k) in effective.iter().zip(&kinds) {
                if let Some(f) = e
                    && is_session_kind(*k)
                {
                    *evidence.entry(f).or_default() += 1;
                }
            }
            let folders: BTreeSet<&str> = effective.iter().flatten().copied().collect();
            for f in folders {
                let Some((parent, name)) = f.rsplit_once('/') else {
                    continue;
                };
                if looks_like_session_name(name) || is_org_folder(name) {
                    continue;
                }
                let here = evidence.get(f).copied().unwrap_or(0);
                if evidence.get(parent).copied().unwrap_or(0) >= 2 && here >= 1 {
                    for e in effective.iter_mut() {
                        if *e == Some(f) {
                            *e = Some(parent);
                            changed = true;
                        }
                    }
                    *evidence.entry(parent).or_default() += here;
                    evidence.insert(f, 0);
                }
            }
        }
    }

    // 2. Session folders: enough session evidence, not organisation-level, not a year folder.
    let mut by_folder: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, e) in effective.iter().enumerate() {
        if let Some(f) = e {
            by_folder.entry(f).or_default().push(i);
        }
    }
    drop(effective);
    drop(disk);
    let mut sessions = Vec::new();
    let mut members: Vec<Vec<usize>> = Vec::new();
    for (folder, idx) in by_folder {
        let name = folder.rsplit('/').next().unwrap_or(folder);
        if folder.is_empty()
            || is_org_folder(name)
            || (options.session_depth.is_none() && is_year_folder(name))
        {
            continue;
        }
        // Below an organisation-level folder ("Documents qualité/…", but also "Qualiopi
        // 2025/…" or "Organisme de formation X/…" holding a whole archive), a folder is a
        // session only when its own name is a session's and it holds a key piece.
        let under_org_folder = folder
            .rsplit_once('/')
            .is_some_and(|(parents, _)| parents.split('/').any(is_org_folder));
        let evidence: Vec<usize> = idx
            .iter()
            .copied()
            .filter(|&i| is_session_kind(kinds[i]))
            .collect();
        let key = evidence.iter().any(|&i| {
            matches!(
                kinds[i],
                Kind::Convention
                    | Kind::AttendanceSheet
                    | Kind::CompletionCertificate
                    | Kind::Programme
                    | Kind::ConnectionLog
            )
        });
        if options.session_depth.is_none()
            && !(evidence.len() >= 2 || (key && looks_like_session_name(name)))
        {
            continue;
        }
        if under_org_folder && !(key && looks_like_session_name(name)) {
            continue;
        }
        sessions.push(describe(session_id(folder), folder, &idx, documents));
        members.push(idx);
    }
    // 3. Each document of a session names it. Organisation-level kinds found inside a session
    // folder still belong to it (a CV dropped in the session), except quality documents which
    // stay global.
    for (s, idx) in sessions.iter().zip(members) {
        let id: std::sync::Arc<str> = s.id.as_str().into();
        for i in idx {
            if !matches!(kinds[i], Kind::WelcomeBooklet | Kind::InternalRules) {
                documents.set_session(i, Some(id.clone()));
            }
        }
    }
    sessions
}

/// `2025-03 Gestes et postures`, `2025_06_12 Excel`, `Session 12`, `Excel - mars 2025`.
fn looks_like_session_name(name: &str) -> bool {
    let k = normalize_line(name);
    // By characters, not bytes: a name may start with any letter ("Été 2025", "2é…").
    let mut chars = k.chars();
    let starts_dated = k.chars().count() >= 7
        && chars.by_ref().take(4).all(|c| c.is_ascii_digit())
        && matches!(chars.next(), Some('-' | '_' | ' ' | '.'));
    starts_dated
        || contains_phrase(&k, "session")
        || [
            "janvier",
            "fevrier",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "aout",
            "septembre",
            "octobre",
            "novembre",
            "decembre",
        ]
        .iter()
        .any(|m| contains_phrase(&k, m))
}

/// Stable id from the folder path.
pub fn session_id(folder: &str) -> String {
    format!("S-{}", &blake3::hash(folder.as_bytes()).to_hex()[..10])
}

fn most_common(values: impl Iterator<Item = String>) -> Option<String> {
    let mut counts: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for v in values {
        let k = normalize_line(&v);
        if k.is_empty() {
            continue;
        }
        counts.entry(k).or_insert((0, v)).0 += 1;
    }
    counts
        .into_values()
        .max_by_key(|(n, v)| (*n, std::cmp::Reverse(v.len())))
        .map(|(_, v)| v)
}

fn describe(id: String, folder: &str, idx: &[usize], documents: &Documents) -> Session {
    let loaded = documents.load(idx.iter().copied());
    let docs = crate::store::refs(&loaded);
    let mut sources = Vec::new();
    // Title: from documents that name the training, best first.
    let title_from = |kinds: &[Kind]| {
        most_common(
            docs.iter()
                .filter(|d| kinds.contains(&d.kind))
                .filter_map(|d| d.facts.title.clone()),
        )
    };
    let mut title = title_from(&[
        Kind::Convention,
        Kind::Programme,
        Kind::CompletionCertificate,
    ])
    .or_else(|| {
        title_from(&[
            Kind::AttendanceSheet,
            Kind::Convocation,
            Kind::Quote,
            Kind::Invoice,
        ])
    })
    .or_else(|| title_from(&Kind::ALL));
    if title.is_some() {
        sources.push("title from the documents".into());
    } else {
        title = title_from_folder(folder);
        if title.is_some() {
            sources.push("title from the folder name (no document names the training)".into());
        }
    }
    let client = most_common(
        docs.iter()
            .filter(|d| {
                matches!(
                    d.kind,
                    Kind::Convention | Kind::Quote | Kind::Invoice | Kind::CompletionCertificate
                )
            })
            .filter_map(|d| d.facts.client.as_deref().and_then(client_name)),
    )
    .or_else(|| client_from_folder(folder));
    let mut trainers: Vec<String> = Vec::new();
    let mut trainees: Vec<String> = Vec::new();
    for d in &docs {
        for t in &d.facts.trainers {
            if !trainers
                .iter()
                .any(|x| normalize_line(x) == normalize_line(t))
            {
                trainers.push(t.clone());
            }
        }
        for t in &d.facts.trainees {
            if !trainees
                .iter()
                .any(|x| normalize_line(x) == normalize_line(t))
            {
                trainees.push(t.clone());
            }
        }
    }
    // Dates: the session period stated by the contractual and completion documents first.
    // The period most documents state: each document votes once for each start and end it
    // states; the most cited wins (ties: the earliest start, the latest end). One document's
    // stray date ("un entretien préalable s'est tenu le …") does not move the session.
    let period = |kinds: &[Kind]| {
        let mut starts: BTreeMap<String, usize> = BTreeMap::new();
        let mut ends: BTreeMap<String, usize> = BTreeMap::new();
        for d in docs.iter().filter(|d| kinds.contains(&d.kind)) {
            let mut seen: BTreeSet<(DateRole, &str)> = BTreeSet::new();
            for x in &d.dates {
                if !seen.insert((x.role, x.date.as_str())) {
                    continue;
                }
                match x.role {
                    DateRole::SessionStart => *starts.entry(x.date.clone()).or_default() += 1,
                    DateRole::SessionEnd => *ends.entry(x.date.clone()).or_default() += 1,
                    _ => {}
                }
            }
        }
        let start = starts
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(d, _)| d.clone());
        let end = ends
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(a.0.cmp(b.0)))
            .map(|(d, _)| d.clone());
        (start, end)
    };
    let mut dates_src = "convention / programme / certificate";
    let (mut start, mut end) = period(&[
        Kind::Convention,
        Kind::CompletionCertificate,
        Kind::Programme,
        Kind::Convocation,
    ]);
    if start.is_none() {
        (start, end) = period(&Kind::ALL);
        dates_src = "session dates in the documents";
    }
    if start.is_none() {
        // The attendance sheets' own dates.
        let ds: Vec<&String> = docs
            .iter()
            .filter(|d| matches!(d.kind, Kind::AttendanceSheet | Kind::ConnectionLog))
            .flat_map(|d| d.dates.iter().map(|x| &x.date))
            .collect();
        start = ds.iter().min().map(|s| s.to_string());
        end = ds.iter().max().map(|s| s.to_string());
        dates_src = "attendance sheet dates";
    }
    if end.is_none() {
        end = start.clone();
    }
    if start.is_some() {
        sources.push(format!("dates from {dates_src}"));
    }
    let has_attendance = docs.iter().any(|d| d.kind == Kind::AttendanceSheet);
    let has_log = docs.iter().any(|d| d.kind == Kind::ConnectionLog);
    let distance = has_log && !has_attendance;
    let mut documents_paths: Vec<std::sync::Arc<str>> = idx
        .iter()
        .map(|&i| documents.heads()[i].path.clone())
        .collect();
    documents_paths.sort();
    let organisation = folder.split('/').next().unwrap_or("").to_string();
    Session {
        id,
        path: folder.to_string(),
        title,
        client,
        start,
        end,
        status: Status::Complete,
        missing: Vec::new(),
        findings: Vec::new(),
        documents: documents_paths,
        trainers,
        trainees,
        distance,
        organisation,
        sources,
        funder_findings: Vec::new(),
    }
}

/// "Garage Vasseur, 230 rue de Lannoy, 59100 Roubaix" → "Garage Vasseur".
fn client_name(v: &str) -> Option<String> {
    let name = v.split([',', ';', '(']).next().unwrap_or(v).trim();
    (name.chars().filter(|c| c.is_alphabetic()).count() >= 2).then(|| name.to_string())
}

/// The client a folder names: `Clients/<client>/…`, or "<date> <title> - <client>".
fn client_from_folder(folder: &str) -> Option<String> {
    let parts: Vec<&str> = folder.split('/').collect();
    if let Some(i) = parts.iter().position(|p| {
        let k = normalize_line(p);
        k == "clients" || k == "client"
    }) && let Some(c) = parts.get(i + 1)
        && i + 1 < parts.len() - 1
    {
        return Some(c.to_string());
    }
    let name = parts.last()?;
    let (_, client) = name.rsplit_once(" - ")?;
    client_name(client)
}

/// "2025-03 Gestes et postures - Boulangerie Martin" → "Gestes et postures".
fn title_from_folder(folder: &str) -> Option<String> {
    let name = folder.rsplit('/').next()?;
    let mut s = name.trim();
    // Drop a leading date (2025-03, 2025_03_12, 2025-03-12).
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() && (bytes[i].is_ascii_digit() || matches!(bytes[i], b'-' | b'_' | b'.')) {
        i += 1;
    }
    s = s[i..].trim_start_matches([' ', '-', '_']);
    let s = s.split(" - ").next().unwrap_or(s).trim();
    (!s.is_empty()).then(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn family_folders_by_their_words_in_french_and_english() {
        for f in [
            "Final assessment",
            "Évaluations finales",
            "Sign-in sheets",
            "Attestations signées",
            "03 - Feedback",
        ] {
            assert!(is_family_folder(f), "{f}");
        }
        for f in [
            "2025-03 Excel - Client",
            "Gestion des conflits",
            "Formateurs",
        ] {
            assert!(!is_family_folder(f), "{f}");
        }
    }

    #[test]
    fn session_folder_non_ascii_prefix_no_panic() {
        // The 4th byte falls inside a multi-byte character: no slicing by bytes.
        for name in [
            "Été 2025",
            "2é25-03 Excel",
            "20€5 session",
            "2025年03 研修",
            "ŒŒ",
            "İİİİ formation",
            "",
        ] {
            let _ = looks_like_session_name(name);
            let _ = title_from_folder(name);
        }
        assert!(looks_like_session_name("2025-03 Gestes et postures"));
        assert!(!looks_like_session_name("20€5 Gestes et postures"));
    }

    #[test]
    fn folder_keys() {
        assert!(is_family_folder("1 - Administratif"));
        assert!(is_family_folder("Émargements"));
        assert!(is_family_folder("02_Evaluations"));
        assert!(!is_family_folder("2025-03 Gestes et postures"));
        assert!(is_org_folder("Formateurs"));
        assert!(is_org_folder("CV formateurs"));
        assert!(is_org_folder("Documents qualité"));
        assert!(is_year_folder("2025"));
    }

    use crate::document::Document;
    use crate::process::blank_document as doc_of;

    #[test]
    fn archive_inside_a_folder_named_like_an_organisation_folder_keeps_its_sessions() {
        // The whole archive under "Qualiopi 2025/" or "Organisme de formation …/": its dated
        // session folders are sessions; folders of organisation documents are not, nor are
        // undated or keyless folders below them.
        for top in ["Qualiopi 2025", "Organisme de formation Dupont", "Qualité"] {
            let docs = vec![
                doc_of(
                    &format!("{top}/2025/2025-03 Excel - ACME/Convention.pdf"),
                    Kind::Convention,
                ),
                doc_of(
                    &format!("{top}/2025/2025-03 Excel - ACME/Emargement.pdf"),
                    Kind::AttendanceSheet,
                ),
                doc_of(
                    &format!("{top}/Documents qualité/Modèle convention.pdf"),
                    Kind::Convention,
                ),
                doc_of(
                    &format!("{top}/Documents qualité/Modèle émargement.pdf"),
                    Kind::AttendanceSheet,
                ),
                doc_of(
                    &format!("{top}/Divers/Satisfaction.pdf"),
                    Kind::SatisfactionHot,
                ),
                doc_of(&format!("{top}/Divers/Evaluation.pdf"), Kind::Assessment),
            ];
            let sessions = group(
                &mut crate::store::Documents::from_vec(docs),
                &SessionOptions::default(),
            );
            let paths: Vec<&str> = sessions.iter().map(|s| s.path.as_str()).collect();
            assert_eq!(paths, [format!("{top}/2025/2025-03 Excel - ACME")], "{top}");
        }
    }

    /// Groups `docs` in memory and through a spilled store; both must agree. Returns the
    /// sessions' (path, number of documents) and each document's session path.
    fn grouped(
        docs: Vec<Document>,
        options: &SessionOptions,
    ) -> (Vec<(String, usize)>, Vec<String>) {
        let mut results = Vec::new();
        for spill in [false, true] {
            let mut store = if spill {
                Documents::spilled()
            } else {
                Documents::default()
            };
            docs.iter().cloned().for_each(|d| store.push(d));
            store.sort();
            let sessions = group(&mut store, options);
            let paths: Vec<(String, usize)> = sessions
                .iter()
                .map(|s| (s.path.clone(), s.documents.len()))
                .collect();
            let of: Vec<String> = store
                .iter()
                .map(|d| {
                    let id = d.session.clone().unwrap_or_default();
                    sessions
                        .iter()
                        .find(|s| s.id == id)
                        .map(|s| s.path.clone())
                        .unwrap_or_default()
                })
                .collect();
            results.push((paths, of));
        }
        assert_eq!(results[0], results[1], "in memory and spilled differ");
        results.pop().expect("two runs")
    }

    #[test]
    fn session_depth_groups_by_the_first_folders_whatever_the_evidence() {
        let docs = vec![
            doc_of("Org/A/x/Convention.pdf", Kind::Convention),
            doc_of("Org/A/y/Feuille.pdf", Kind::AttendanceSheet),
            doc_of("Org/B/Devis.pdf", Kind::Quote),
            doc_of("Org/Planning.pdf", Kind::Other),
            doc_of("Lisez-moi.pdf", Kind::Other),
        ];
        let options = SessionOptions {
            session_depth: Some(2),
            ..SessionOptions::default()
        };
        let (sessions, of) = grouped(docs, &options);
        assert_eq!(
            sessions,
            [("Org/A".to_string(), 2), ("Org/B".to_string(), 1)]
        );
        // In path order: Lisez-moi, Org/A/x, Org/A/y, Org/B, Org/Planning.
        assert_eq!(of, ["", "Org/A", "Org/A", "Org/B", ""]);
    }

    #[test]
    fn family_and_evidence_sub_folders_and_zip_members_belong_to_their_session() {
        let s = "Org/2025/2025-03 Excel - ACME";
        let mut member = doc_of(
            &format!("{s}/pieces.zip/scans/Feuille 2.pdf"),
            Kind::AttendanceSheet,
        );
        member.container = Some(format!("{s}/pieces.zip"));
        let docs = vec![
            doc_of(&format!("{s}/Convention.pdf"), Kind::Convention),
            doc_of(&format!("{s}/Programme.pdf"), Kind::Programme),
            doc_of(
                &format!("{s}/Émargements/Feuille 1.pdf"),
                Kind::AttendanceSheet,
            ),
            doc_of(
                &format!("{s}/Retours stagiaires/Satisfaction.pdf"),
                Kind::SatisfactionHot,
            ),
            doc_of(&format!("{s}/pieces.zip"), Kind::Other),
            member,
            doc_of("Org/CV/CV Martin.pdf", Kind::TrainerCv),
        ];
        let (sessions, of) = grouped(docs, &SessionOptions::default());
        assert_eq!(sessions, [(s.to_string(), 6)]);
        assert_eq!(of.iter().filter(|p| p.as_str() == s).count(), 6, "{of:?}");
        assert_eq!(
            of.last().map(String::as_str),
            Some(""),
            "the CV folder is no session"
        );
    }

    #[test]
    fn titles_from_folder_names() {
        assert_eq!(
            title_from_folder("2025/2025-03 Gestes et postures - Boulangerie Martin").as_deref(),
            Some("Gestes et postures")
        );
        assert_eq!(
            title_from_folder("Clients/Mairie/2025-06 Excel perfectionnement").as_deref(),
            Some("Excel perfectionnement")
        );
    }

    #[test]
    fn clients_from_documents_or_folders() {
        assert_eq!(
            client_name("Garage Vasseur, 230 rue de Lannoy").as_deref(),
            Some("Garage Vasseur")
        );
        assert_eq!(
            client_from_folder("ANF/Clients/Mairie de Roubaix/2025-06 Excel").as_deref(),
            Some("Mairie de Roubaix")
        );
        assert_eq!(
            client_from_folder("FL/2025/2025-03 Gestes et postures - Boulangerie Martin")
                .as_deref(),
            Some("Boulangerie Martin")
        );
        assert_eq!(
            client_from_folder("FL/2025/2025-03 Gestes et postures"),
            None
        );
    }

    #[test]
    fn ids_are_stable() {
        assert_eq!(session_id("a/b"), session_id("a/b"));
        assert_ne!(session_id("a/b"), session_id("a/c"));
    }
}
