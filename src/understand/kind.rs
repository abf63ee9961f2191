//! Kind classification: which Qualiopi document this is, with its reasons and runner-up.
//!
//! Content first: how the document names itself in its title zone weighs most, then its
//! characteristic phrases and legal mentions, then structure (a names × half-days grid is an
//! attendance sheet; one row per respondent with a timestamp column is a survey export; CV
//! sections make a CV); the file and folder names count, but less (many say nothing, some lie).
//! The vocabulary is data: `kinds.toml`, embedded. Never reads bytes or files.

use super::normalize::{PhraseSet, contains_phrase, find_phrase, normalize_line, words};
use super::view::DocView;
use super::vocab::{is_date_header, is_person_header, mentions_half_day};
use crate::document::Kind;
use crate::model::Format;
use serde::Deserialize;
use std::sync::LazyLock;

#[derive(Deserialize)]
struct Vocabulary {
    version: u32,
    kind: Vec<KindWords>,
}

#[derive(Deserialize)]
struct KindWords {
    id: String,
    #[serde(default)]
    titles: Vec<String>,
    #[serde(default)]
    phrases: Vec<String>,
    #[serde(default)]
    headers: Vec<String>,
    #[serde(default)]
    filename: Vec<String>,
}

struct KindDef {
    kind: Kind,
    words: KindWords,
}

static VOCABULARY: LazyLock<(u32, Vec<KindDef>)> = LazyLock::new(|| {
    let v: Vocabulary = toml::from_str(include_str!("kinds.toml"))
        .unwrap_or_else(|e| panic!("src/understand/kinds.toml is invalid: {e}"));
    let defs = v
        .kind
        .into_iter()
        .map(|w| KindDef {
            kind: Kind::from_id(&w.id)
                .unwrap_or_else(|| panic!("kinds.toml: unknown kind id {}", w.id)),
            words: w,
        })
        .collect();
    (v.version, defs)
});

/// One vocabulary field of every kind (titles, phrases, headers or file names) in one phrase
/// set, so that a text is read once for all kinds (`normalize::PhraseSet`), not once per phrase.
struct FieldSet {
    set: PhraseSet,
    /// Where each kind's phrases start in the set's answers (in `VOCABULARY` order).
    start: Vec<usize>,
}

impl FieldSet {
    fn new(pick: fn(&KindWords) -> &Vec<String>) -> FieldSet {
        let mut all: Vec<&str> = Vec::new();
        let mut start = Vec::new();
        for d in &VOCABULARY.1 {
            start.push(all.len());
            all.extend(pick(&d.words).iter().map(String::as_str));
        }
        FieldSet {
            set: PhraseSet::new(&all),
            start,
        }
    }

    /// `find_phrase(hay, p)` for every phrase of the field, indexed by `at`.
    fn find_all(&self, hay: &str) -> Vec<Option<usize>> {
        self.set.find_all(hay)
    }

    /// The answer for the `j`-th phrase of the kind numbered `def`.
    fn at(&self, found: &[Option<usize>], def: usize, j: usize) -> Option<usize> {
        found[self.start[def] + j]
    }
}

static TITLES: LazyLock<FieldSet> = LazyLock::new(|| FieldSet::new(|w| &w.titles));
static PHRASES: LazyLock<FieldSet> = LazyLock::new(|| FieldSet::new(|w| &w.phrases));
static HEADERS: LazyLock<FieldSet> = LazyLock::new(|| FieldSet::new(|w| &w.headers));
static FILE_NAMES: LazyLock<FieldSet> = LazyLock::new(|| FieldSet::new(|w| &w.filename));

/// Version of the classifier's vocabulary.
pub fn vocabulary_version() -> u32 {
    VOCABULARY.0
}

/// The classifier's answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Classification {
    pub kind: Kind,
    pub confidence: f32,
    pub reasons: Vec<String>,
    pub runner_up: Option<(Kind, f32)>,
    /// Every kind's score, best first (for `preuves explain`).
    pub scores: Vec<(Kind, f32)>,
}

const TITLE: f32 = 6.0;
const TITLE_ELSEWHERE: f32 = 1.5;
const PHRASE: f32 = 1.0;
const PHRASE_CAP: f32 = 6.0;
const HEADER: f32 = 1.5;
const HEADER_CAP: f32 = 6.0;
const FILE_NAME: f32 = 2.5;
const FOLDER_NAME: f32 = 1.0;
const STRUCTURE: f32 = 6.0;
const MIN_SCORE: f32 = 3.0;

#[derive(Default, Clone)]
struct Score {
    total: f32,
    reasons: Vec<String>,
    /// Position of the earliest title-zone match (lower is earlier).
    title_pos: Option<usize>,
    /// The title-zone match: (phrase, line, points).
    title: Option<(String, usize, f32)>,
}

impl Score {
    fn add(&mut self, points: f32, reason: String) {
        self.total += points;
        self.reasons.push(reason);
    }
}

/// Classifies one document.
pub fn classify(view: &DocView) -> Classification {
    let defs = &VOCABULARY.1;
    let mut scores: Vec<(Kind, Score)> = defs.iter().map(|d| (d.kind, Score::default())).collect();
    let structure = Structure::of(view);

    // Each text read once for the whole vocabulary (answers as `find_phrase` gives them).
    let title_words: Vec<usize> = view.title_lines.iter().map(|l| words(l).count()).collect();
    let title_found: Vec<Option<Vec<Option<usize>>>> = view
        .title_lines
        .iter()
        .zip(&title_words)
        .map(|(line, &n)| (n <= 16).then(|| TITLES.find_all(line)))
        .collect();
    let titles_in_text = TITLES.find_all(&view.norm);
    let phrases_in_text = PHRASES.find_all(&view.norm);
    let mut header_found: Vec<bool> = Vec::new();
    for c in view.headers.iter().flatten() {
        let f = HEADERS.find_all(c);
        header_found.resize(f.len(), false);
        for (h, x) in header_found.iter_mut().zip(f) {
            *h |= x.is_some();
        }
    }
    let titles_in_name = structure
        .survey
        .is_some()
        .then(|| TITLES.find_all(&view.file_name));
    let names_in_name = FILE_NAMES.find_all(&view.file_name);
    let mut names_in_folders: Vec<bool> = Vec::new();
    for f in &view.folders {
        let found = FILE_NAMES.find_all(f);
        names_in_folders.resize(found.len(), false);
        for (h, x) in names_in_folders.iter_mut().zip(found) {
            *h |= x.is_some();
        }
    }

    for (di, (def, (_, score))) in defs.iter().zip(scores.iter_mut()).enumerate() {
        let w = &def.words;
        // 1. How the document names itself.
        let mut best_title: Option<(f32, &str, usize)> = None;
        for (j, t) in w.titles.iter().enumerate() {
            for (pos, found) in title_found.iter().enumerate() {
                let Some(found) = found else {
                    continue;
                };
                if let Some(at) = TITLES.at(found, di, j) {
                    let specific = (words(t).count() as f32 - 1.0).clamp(0.0, 2.0) * 0.5;
                    let starts = if at == 0 { 1.0 } else { 0.0 };
                    let pts = TITLE + specific + starts;
                    if best_title.is_none_or(|(p, _, _)| pts > p) {
                        best_title = Some((pts, t, pos));
                    }
                }
            }
        }
        if let Some((pts, t, pos)) = best_title {
            score.add(pts, format!("title «{t}»"));
            score.title_pos = Some(pos);
            score.title = Some((t.to_string(), pos, pts));
        } else if let Some((_, t)) =
            w.titles.iter().enumerate().find(|(j, t)| {
                words(t).count() >= 2 && TITLES.at(&titles_in_text, di, *j).is_some()
            })
        {
            score.add(TITLE_ELSEWHERE, format!("mentions «{t}»"));
        }
        // 2. Characteristic phrases and legal mentions.
        let mut matched: Vec<&str> = Vec::new();
        for (j, p) in w.phrases.iter().enumerate() {
            if PHRASES.at(&phrases_in_text, di, j).is_some() {
                matched.push(p);
            }
        }
        if !matched.is_empty() {
            let pts = (matched.len() as f32 * PHRASE).min(PHRASE_CAP);
            let shown: Vec<String> = matched.iter().take(6).map(|p| format!("«{p}»")).collect();
            score.add(pts, format!("phrases {}", shown.join(", ")));
        }
        // 3. Table headers.
        if !w.headers.is_empty() && !view.headers.is_empty() {
            let mut hits: Vec<&str> = Vec::new();
            for (j, h) in w.headers.iter().enumerate() {
                if header_found
                    .get(HEADERS.start[di] + j)
                    .copied()
                    .unwrap_or(false)
                {
                    hits.push(h);
                }
            }
            if !hits.is_empty() {
                let pts = (hits.len() as f32 * HEADER).min(HEADER_CAP);
                let shown: Vec<String> = hits.iter().take(5).map(|p| format!("«{p}»")).collect();
                score.add(pts, format!("column headers {}", shown.join(", ")));
            }
        }
        // 4. File and folder names. A survey export is named after its form ("<form title>
        // (réponses).csv"): there the file name is the title.
        if let Some(in_name) = &titles_in_name
            && let Some((_, t)) = w
                .titles
                .iter()
                .enumerate()
                .filter(|(j, _)| TITLES.at(in_name, di, *j).is_some())
                .max_by_key(|(_, t)| t.len())
        {
            score.add(
                TITLE,
                format!("form title «{t}» (file name of a survey export)"),
            );
            score.title_pos = Some(0);
        } else if let Some((_, t)) = w
            .filename
            .iter()
            .enumerate()
            .find(|(j, _)| FILE_NAMES.at(&names_in_name, di, *j).is_some())
        {
            if structure.survey.is_some() {
                // A survey export's file name is its form's name ("Froid.xlsx", "Suivi à 3
                // mois.csv"): more than a file name, less than a full title.
                score.add(
                    TITLE * 0.5,
                    format!("form name «{t}» (file name of a survey export)"),
                );
            } else if view.ex.is_scanned() {
                // OCR of a scan often loses lines (a title in a light or stylised font): the
                // name someone gave the scan counts more than for a born-digital file.
                score.add(
                    FILE_NAME * 1.5,
                    format!("file name «{t}» (scanned: its OCR text may be partial)"),
                );
            } else {
                score.add(FILE_NAME, format!("file name «{t}»"));
            }
        } else if let Some((_, t)) = w.filename.iter().enumerate().find(|(j, t)| {
            t.len() > 3
                && names_in_folders
                    .get(FILE_NAMES.start[di] + j)
                    .copied()
                    .unwrap_or(false)
        }) {
            score.add(FOLDER_NAME, format!("folder name «{t}»"));
        }
    }

    // Phrases alone are weak: a kind that neither names itself, nor has the structure, the
    // headers or the file name of its kind is only mentioned.
    for (_, sc) in scores.iter_mut() {
        if sc.reasons.iter().all(|r| {
            r.starts_with("phrases") || r.starts_with("mentions") || r.starts_with("folder")
        }) {
            sc.total *= 0.5;
        }
    }
    // 5. Structure.
    let bump = |scores: &mut Vec<(Kind, Score)>, kind: Kind, pts: f32, why: &str| {
        if let Some((_, s)) = scores.iter_mut().find(|(k, _)| *k == kind) {
            s.add(pts, why.to_string());
        }
    };
    if let Some(why) = &structure.attendance_grid {
        bump(&mut scores, Kind::AttendanceSheet, STRUCTURE, why);
    }
    if let Some(why) = &structure.attendance_export {
        bump(&mut scores, Kind::AttendanceSheet, STRUCTURE, why);
    }
    if let Some(why) = &structure.connection_log {
        bump(&mut scores, Kind::ConnectionLog, STRUCTURE, why);
    }
    if let Some(why) = &structure.cv_sections {
        bump(&mut scores, Kind::TrainerCv, STRUCTURE, why);
    }
    if let Some(why) = &structure.survey {
        // A survey export: one of the questionnaire kinds, decided by its questions.
        for k in [
            Kind::SatisfactionHot,
            Kind::SatisfactionCold,
            Kind::Positioning,
            Kind::Assessment,
            Kind::NeedsAnalysis,
        ] {
            bump(&mut scores, k, 2.0, why);
        }
        // A survey is not a grid of people to sign, nor a log.
        if let Some((_, s)) = scores.iter_mut().find(|(k, _)| *k == Kind::AttendanceSheet) {
            s.total *= 0.5;
        }
    }
    // A title that is only part of a longer title of another kind on the same line is not the
    // document's name: "contrat de prestation" inside "contrat de prestation de formation",
    // "evaluation" inside "evaluation a froid". The longer, more specific name wins.
    let titles: Vec<(Kind, String, usize)> = scores
        .iter()
        .filter_map(|(k, s)| s.title.as_ref().map(|(t, pos, _)| (*k, t.clone(), *pos)))
        .collect();
    for (k, s) in scores.iter_mut() {
        let Some((t, pos, pts)) = s.title.clone() else {
            continue;
        };
        if let Some((other, longer, _)) = titles.iter().find(|(o, longer, p)| {
            o != k && *p == pos && longer.len() > t.len() && find_phrase(longer, &t).is_some()
        }) {
            s.add(
                -pts,
                format!("title «{t}» is part of «{longer}» ({other}): not this kind's name"),
            );
            s.title_pos = None;
            s.title = None;
        }
    }
    // The earliest self-naming wins ties between documents that mention each other (a
    // convention annexing its programme, a convocation attaching the rules).
    if let Some((_, s)) = scores
        .iter_mut()
        .filter(|(_, s)| s.title_pos.is_some())
        .min_by_key(|(_, s)| s.title_pos)
    {
        s.add(2.0, "named first".to_string());
    }

    // An e-signature trail in a file of its own certifies another document: it is not a
    // training document itself (a DocuSign "Certificate Of Completion" is not a certificat de
    // réalisation).
    // Its kind follows the document it certifies when the trail names it ("Subject: Training
    // agreement - Northwind.pdf"), else `other`.
    if let Some(title) = &structure.esign_trail {
        let all: Vec<(Kind, f32)> = scores.iter().map(|(k, s)| (*k, s.total)).collect();
        let runner_up = scores
            .iter()
            .max_by(|a, b| a.1.total.total_cmp(&b.1.total))
            .map(|(k, s)| (*k, s.total));
        let mut reasons = vec![format!(
            "e-signature trail «{title}» with signers, events and timestamps on its first page: the proof of another document's signing"
        )];
        let certified = super::esign::certified_document(view).and_then(|name| {
            let n = normalize_line(&name);
            let by = |pick: fn(&KindWords) -> &Vec<String>| {
                defs.iter()
                    .filter_map(|d| {
                        pick(&d.words)
                            .iter()
                            .filter(|t| contains_phrase(&n, t))
                            .map(|t| t.len())
                            .max()
                            .map(|len| (d.kind, len))
                    })
                    .max_by_key(|x| x.1)
                    .map(|x| x.0)
            };
            by(|w| &w.titles)
                .or_else(|| by(|w| &w.filename))
                .map(|k| (k, name))
        });
        let kind = match certified {
            Some((k, name)) => {
                reasons.push(format!("certifies «{name}»: {}", k.id()));
                k
            }
            None => Kind::Other,
        };
        return Classification {
            kind,
            confidence: 0.9,
            reasons,
            runner_up,
            scores: all,
        };
    }
    scores.sort_by(|a, b| {
        b.1.total
            .partial_cmp(&a.1.total)
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let (best_kind, best) = scores[0].clone();
    let second = scores.get(1).map(|(k, s)| (*k, s.total));
    let all: Vec<(Kind, f32)> = scores.iter().map(|(k, s)| (*k, s.total)).collect();
    if best.total < MIN_SCORE {
        let mut reasons = vec![format!(
            "no kind reached the threshold (best: {} with {:.1})",
            best_kind.id(),
            best.total
        )];
        reasons.extend(best.reasons);
        return Classification {
            kind: Kind::Other,
            confidence: (1.0 - best.total / MIN_SCORE).clamp(0.3, 0.9),
            reasons,
            runner_up: Some((best_kind, best.total)),
            scores: all,
        };
    }
    let second_total = second.map_or(0.0, |s| s.1);
    let margin = (best.total - second_total) / best.total;
    let strength = (best.total / 10.0).min(1.0);
    let confidence = (0.35 + 0.35 * strength + 0.3 * margin).clamp(0.0, 0.99);
    Classification {
        kind: best_kind,
        confidence: (confidence * 100.0).round() / 100.0,
        reasons: best.reasons,
        runner_up: second,
        scores: all,
    }
}

/// Structural signals read from tables and line layout.
#[derive(Default, Debug)]
struct Structure {
    attendance_grid: Option<String>,
    /// One row per person and slot with a signing column (e-sign-in platform export).
    attendance_export: Option<String>,
    /// The document is an e-signature trail of its own (its title).
    esign_trail: Option<&'static str>,
    survey: Option<String>,
    connection_log: Option<String>,
    cv_sections: Option<String>,
}

const TIMESTAMP_HEADERS: [&str; 8] = [
    "horodateur",
    "timestamp",
    "submit date (utc)",
    "submit date",
    "start date (utc)",
    "date de soumission",
    "date de reponse",
    "submitted at",
];

impl Structure {
    fn of(view: &DocView) -> Structure {
        let mut s = Structure::default();
        for header in &view.headers {
            let has = |p: &str| header.iter().any(|c| contains_phrase(c, p));
            let halfdays = header.iter().filter(|c| mentions_half_day(c)).count();
            let dates = header.iter().filter(|c| is_date_header(c)).count();
            let person = header.iter().any(|c| is_person_header(c));
            if person && (halfdays >= 1 || dates >= 2) && !has("horodateur") {
                s.attendance_grid = Some(format!(
                    "grid of names × {} (attendance structure)",
                    if halfdays > 0 { "half-days" } else { "dates" }
                ));
            }
            if TIMESTAMP_HEADERS.iter().any(|t| has(t)) && header.len() >= 3 {
                s.survey =
                    Some("one row per respondent with a timestamp column (survey export)".into());
            }
            let conn = [
                "connexion",
                "connection",
                "login",
                "derniere connexion",
                "first access",
                "last access",
            ]
            .iter()
            .any(|p| has(p));
            let measure = [
                "duree",
                "temps passe",
                "time spent",
                "adresse ip",
                "ip",
                "progression",
                "duration",
            ]
            .iter()
            .any(|p| has(p));
            if conn && measure {
                s.connection_log = Some("table of connections with durations (LMS log)".into());
            }
        }
        // Attendance grids in PDFs have no table model: look for the half-day header words
        // and a signature column on the same lines.
        if s.attendance_grid.is_none() && view.format == Format::Pdf {
            let halfday_lines = view
                .lines
                .iter()
                .filter(|l| {
                    (contains_phrase(&l.norm, "matin")
                        && (contains_phrase(&l.norm, "apres-midi")
                            || contains_phrase(&l.norm, "apres midi")))
                        || (contains_phrase(&l.norm, "morning")
                            && contains_phrase(&l.norm, "afternoon"))
                })
                .count();
            if halfday_lines >= 1
                && (contains_phrase(&view.norm, "signature")
                    || contains_phrase(&view.norm, "emargement"))
            {
                s.attendance_grid =
                    Some("half-day columns with signatures (attendance layout)".into());
            }
        }
        if !matches!(
            view.format,
            Format::Csv | Format::Xlsx | Format::Xls | Format::Ods
        ) {
            s.esign_trail = super::esign::standalone(view);
        }
        s.attendance_export = super::attendance_export::signal(view);
        if s.attendance_export.is_some() {
            // Its signed-at column is not a survey's timestamp.
            s.survey = None;
        }
        const CV_SECTIONS: [&str; 14] = [
            "experience professionnelle",
            "experiences professionnelles",
            "parcours professionnel",
            "formation",
            "formations",
            "diplomes",
            "competences",
            "langues",
            "centres d'interet",
            "certifications",
            "work experience",
            "professional experience",
            "education",
            "skills",
        ];
        let sections: Vec<&str> = CV_SECTIONS
            .iter()
            .copied()
            .filter(|sec| {
                view.lines
                    .iter()
                    .any(|l| l.norm.len() <= sec.len() + 4 && l.norm.starts_with(sec))
            })
            .collect();
        if sections.len() >= 3 {
            s.cv_sections = Some(format!("CV sections: {}", sections.join(", ")));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cell, Extracted, Page, Table};

    fn doc(text: &str) -> Extracted {
        Extracted {
            pages: vec![Page {
                number: 1,
                text: text.to_string(),
                ..Page::default()
            }],
            ..Extracted::default()
        }
    }

    fn kind_of(path: &str, ex: &Extracted) -> Classification {
        let v = DocView::new(path, Format::Docx, ex);
        classify(&v)
    }

    #[test]
    fn vocabulary_parses_and_covers_every_kind_but_other() {
        let ids: Vec<Kind> = VOCABULARY.1.iter().map(|d| d.kind).collect();
        for k in Kind::ALL {
            assert_eq!(ids.contains(&k), k != Kind::Other, "{k}");
        }
    }

    #[test]
    fn convention_by_title_even_with_misleading_name() {
        let ex = doc(
            "Formacoeur\n12 rue X, Lyon\nCONVENTION DE FORMATION PROFESSIONNELLE\n(articles L6353-1 et D6353-1 du Code du travail)\nEntre les soussignés\nArticle 2 - Programme\nLes feuilles d'émargement seront signées par demi-journée.",
        );
        let c = kind_of("2025/x/programme.docx", &ex);
        assert_eq!(c.kind, Kind::Convention, "{:?}", c.reasons);
        assert!(
            c.reasons.iter().any(|r| r.contains("title")),
            "{:?}",
            c.reasons
        );
        assert!(c.confidence > 0.6);
    }

    /// Regression (class: a title word that is also a common word): "avoir" (a credit note) is
    /// the verb in "atteste avoir suivi la formation", a line OCR cut short at the top of a
    /// phone photo of a sign-in sheet; the sheet was read as an invoice.
    #[test]
    fn kind_title_word_that_is_a_common_verb_is_not_a_title() {
        let ex = doc(
            "Atelier Nord Formation\nFeuille d'é arge ent\natteste avoir\nNom et prénom\nMatin\nAprès-midi\nSignature du formateur",
        );
        let c = kind_of("2025/x/IMG_2031.jpg", &ex);
        assert_ne!(c.kind, Kind::Invoice, "{:?}", c.reasons);
        let ex = doc("Organisme Exemple\nAvoir n° A25-003\nMontant TTC : 120,00 €");
        let c = kind_of("2025/x/A25-003.pdf", &ex);
        assert_eq!(c.kind, Kind::Invoice, "{:?}", c.reasons);
    }

    #[test]
    fn kind_scan_with_partial_ocr_text_falls_back_on_its_file_name() {
        // OCR lost the title: the letterhead and a name are left.
        let text = "Organisme Exemple\n7 rue Sainte, 13001 Marseille\nNom : Julie Martin";
        let mut ex = doc(text);
        ex.pages[0].scanned = true;
        let c = kind_of("2025/x/Positionnement Martin.pdf", &ex);
        assert_eq!(c.kind, Kind::Positioning, "{:?}", c.reasons);
        // The same text born digital is not enough to name a kind.
        let c = kind_of("2025/x/Positionnement Martin.pdf", &doc(text));
        assert_eq!(c.kind, Kind::Other, "{:?}", c.reasons);
    }

    #[test]
    fn kind_title_part_of_a_longer_title_of_another_kind() {
        // "contrat de prestation" (a trainer's contract) is only part of "contrat de prestation
        // de formation" (the client's training contract): the longer name wins.
        let ex = doc(
            "Organisme Exemple\nContrat de prestation de formation professionnelle\nEntre les soussignés\nArticle 1 - Objet\nLe prestataire s'engage à organiser l'action de formation.",
        );
        let c = kind_of("2025/x/contrat.pdf", &ex);
        assert_eq!(c.kind, Kind::Convention, "{:?}", c.reasons);
        // A trainer's contract keeps its own name.
        let ex = doc(
            "Organisme Exemple\nContrat de prestation\nEntre l'organisme et le formateur intervenant, sous-traitant.\nHonoraires : tarif journalier 450 €.",
        );
        let c = kind_of("2025/x/contrat.pdf", &ex);
        assert_eq!(c.kind, Kind::TrainerContract, "{:?}", c.reasons);
    }

    #[test]
    fn attendance_sheet_from_grid_structure_with_uninformative_name() {
        let mut ex = doc("Gestes et postures\nNom\tMatin\tAprès-midi\nDupont Jean\t\t\n");
        ex.pages[0].tables.push(Table {
            rows: vec![
                vec![
                    Cell::text("Nom et prénom"),
                    Cell::text("Matin"),
                    Cell::text("Après-midi"),
                ],
                vec![Cell::text("Dupont Jean"), Cell::text(""), Cell::text("")],
            ],
            ..Table::default()
        });
        let c = kind_of("scan_0042.docx", &ex);
        assert_eq!(c.kind, Kind::AttendanceSheet, "{:?}", c.reasons);
    }

    #[test]
    fn google_forms_export_is_a_survey_decided_by_questions() {
        let mut ex = doc("");
        ex.pages[0].tables.push(Table {
            rows: vec![
                vec![
                    Cell::text("Horodateur"),
                    Cell::text("Êtes-vous satisfait de la formation ?"),
                    Cell::text("Recommanderiez-vous cette formation ?"),
                ],
                vec![
                    Cell::text("12/03/2025 14:32:10"),
                    Cell::text("Très satisfait"),
                    Cell::text("Oui"),
                ],
            ],
            ..Table::default()
        });
        ex.pages[0].text = "Horodateur\tÊtes-vous satisfait de la formation ?\tRecommanderiez-vous cette formation ?\n12/03/2025 14:32:10\tTrès satisfait\tOui".into();
        let c = kind_of("export (3).csv", &ex);
        assert_eq!(c.kind, Kind::SatisfactionHot, "{:?}", c.reasons);
    }

    #[test]
    fn nothing_recognisable_is_other() {
        let c = kind_of("notes.txt", &doc("Liste de courses\npain\nlait"));
        assert_eq!(c.kind, Kind::Other);
    }

    #[test]
    fn accents_case_and_ligatures_do_not_matter() {
        let a = kind_of("a.docx", &doc("ÉVALUATION À CHAUD\nTout à fait d'accord"));
        let b = kind_of("a.docx", &doc("evaluation a chaud\ntout a fait d'accord"));
        assert_eq!(a.kind, Kind::SatisfactionHot);
        assert_eq!(a.kind, b.kind);
        assert_eq!(a.confidence, b.confidence);
    }
}
