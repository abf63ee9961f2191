//! What a document says about its session: the training title, the client, trainers and
//! trainees, and for a CV the person it describes. Read from labelled lines ("Intitulé : …",
//! "Formateur : …") and from attendance grids (the names column). Used to describe sessions and
//! to match trainers with their CVs; never to decide a kind.

use super::normalize::{contains_phrase, normalize_line};
use super::view::DocView;
use crate::document::{DocFacts, Kind, Marker};

const TITLE_LABELS: [&str; 14] = [
    "intitule de la formation",
    "intitule du stage",
    "intitule de l'action",
    "intitule",
    "titre de la formation",
    "nom de la formation",
    "formation",
    "action de formation",
    "stage",
    "module",
    "training",
    "course title",
    "course",
    "title of the training",
];
const TRAINER_LABELS: [&str; 16] = [
    "formateur(trice)",
    "formateur(s)/formatrice(s)",
    "nom du formateur",
    "nom de la formatrice",
    "formateur(s)",
    "formateurs",
    "formateur",
    "formatrice",
    "intervenant(e)",
    "intervenants",
    "intervenant",
    "intervenante",
    "animateur",
    "animatrice",
    "trainer",
    "instructor",
];
const CLIENT_LABELS: [&str; 9] = [
    "raison sociale",
    "entreprise",
    "client",
    "societe",
    "employeur",
    "company",
    "organisation cliente",
    "nom du client",
    "structure",
];
const TRAINEE_LABELS: [&str; 7] = [
    "nom du stagiaire",
    "stagiaire",
    "participant",
    "apprenant",
    "beneficiaire",
    "nom du participant",
    "trainee",
];

/// The value after "label :" when the normalised line starts with one of `labels`.
/// The value after "label :" (or "label<TAB>value", a two-column table row) when the line
/// starts with one of `labels`.
fn labelled<'l>(norm: &str, raw: &'l str, labels: &[&str]) -> Option<&'l str> {
    let ok = |v: &'l str| (!v.is_empty() && v.chars().count() <= 120).then_some(v);
    for label in labels {
        if let Some(rest) = norm.strip_prefix(label) {
            let rest = rest.trim_start();
            // The label may carry a variant or a qualifier before its colon ("Formateur /
            // formatrice :", "Intervenant (e) :", "Formateur - référent :").
            let qualified = rest.split_once(':').is_some_and(|(q, _)| {
                q.starts_with(['/', '(', '-'])
                    && q.split_whitespace().count() <= 3
                    && !q.chars().any(|c| c.is_ascii_digit())
            });
            if rest.starts_with(':') || qualified {
                return raw.split_once(':').and_then(|(_, v)| ok(v.trim()));
            }
        }
    }
    // A key-value table row: the first cell is exactly the label.
    let (key, value) = raw.split_once('\t')?;
    let key = normalize_line(key);
    let key = key.trim_end_matches([':', ' ']);
    labels
        .contains(&key)
        .then_some(())
        .and_then(|_| ok(value.split('\t').next().unwrap_or("").trim()))
}

fn clean_value(v: &str) -> String {
    v.trim_matches(|c: char| {
        c == '«' || c == '»' || c == '"' || c == '“' || c == '”' || c.is_whitespace()
    })
    .to_string()
}

/// A stated duration: a duration label, then a number of hours ("Durée : 14 heures",
/// "durée totale de 13 h 30", "Duration: 7 hours", "Nombre d'heures : 21").
static DURATION: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)\b(?:dur[ée]e(?: totale)?(?: de la formation| de l'action)?|nombre d'heures|volume horaire|total (?:des )?heures|heures r[ée]alis[ée]es|duration|total hours|number of hours|hours completed)\s*(?:[:=]|de|of)?\s*(\d{1,4}(?:[.,]\d{1,2})?)\s*(?:(h)\s*(\d{2})\b|h\b|heures?\b|hours?\b|hrs?\b)",
    )
    .expect("valid regex")
});

/// The first stated duration in hours, and the words it was read from.
pub fn stated_hours(text: &str) -> Option<(f32, String)> {
    let c = DURATION.captures(text)?;
    let whole: f32 = c.get(1)?.as_str().replace(',', ".").parse().ok()?;
    let minutes: f32 = c
        .get(3)
        .and_then(|m| m.as_str().parse::<f32>().ok())
        .unwrap_or(0.0);
    if minutes >= 60.0 {
        return None;
    }
    let hours = whole + minutes / 60.0;
    let text = c.get(0)?.as_str().trim().to_string();
    (hours > 0.0 && hours <= 2000.0).then_some((hours, text))
}

static LED_BY: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i:anim[ée]e?s?|dispens[ée]e?s?|assur[ée]e?s?|encadr[ée]e?s?|led|delivered|taught) (?i:par|by) (?:(?:M\.|Mme|Mr|Ms|Monsieur|Madame) )?(\p{Lu}[\p{L}'-]+(?: \p{Lu}[\p{L}'-]+){1,2})",
    )
    .expect("valid regex")
});

/// Splits "Claire Dubois et Marc Petit, Léa Roux" into names.
fn split_names(v: &str) -> Vec<String> {
    first_sentence(v)
        .split([',', ';', '/'])
        .flat_map(|p| p.split(" et "))
        .flat_map(|p| p.split(" and "))
        .map(|n| clean_value(n.trim_start_matches(['-', '•', ' '])))
        .filter(|n| looks_like_name(n))
        .collect()
}

/// A value up to the end of its sentence: "Ophélie Nguyen. Le livret d'accueil est joint." →
/// "Ophélie Nguyen" (a full stop after a word of three letters or more, then a capital; initials
/// and titles such as "J. Dupont" or "Mme. Roux" do not end it).
fn first_sentence(v: &str) -> &str {
    let mut from = 0;
    while let Some(i) = v[from..].find(". ").map(|i| i + from) {
        let word = v[..i]
            .rsplit(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("");
        let next_capital = v[i + 2..].chars().next().is_some_and(char::is_uppercase);
        if next_capital
            && word.chars().count() >= 3
            && !["Mme", "Mlle", "Mrs", "Dr", "Pr"].contains(&word)
        {
            return &v[..i];
        }
        from = i + 2;
    }
    v
}

/// Two to four words of letters, at least two starting with a capital.
pub fn looks_like_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    if !(2..=4).contains(&words.len()) {
        return false;
    }
    let letters = words.iter().all(|w| {
        w.chars()
            .all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '.')
    });
    // Every word capitalised, but name particles ("de", "van", "d'Arc").
    const PARTICLES: [&str; 8] = ["de", "du", "des", "la", "le", "van", "von", "da"];
    let capitalised = words.iter().all(|w| {
        w.chars().next().is_some_and(char::is_uppercase)
            || PARTICLES.contains(w)
            || w.starts_with("d'")
    });
    let caps = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    letters && capitalised && caps >= 2
}

pub fn extract(view: &DocView, kind: Kind) -> DocFacts {
    let mut f = DocFacts::default();
    for line in view.lines.iter().take(400) {
        if f.title.is_none()
            && let Some(v) = labelled(&line.norm, &line.raw, &TITLE_LABELS)
        {
            let v = clean_value(v);
            if v.chars().count() >= 3
                && !v
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '/' || c == ' ')
            {
                f.title = Some(v);
            }
        }
        if let Some(v) = labelled(&line.norm, &line.raw, &TRAINER_LABELS) {
            for n in split_names(v) {
                if !f.trainers.contains(&n) {
                    f.trainers.push(n);
                }
            }
        }
        if f.client.is_none()
            && let Some(v) = labelled(&line.norm, &line.raw, &CLIENT_LABELS)
        {
            f.client = Some(clean_value(v));
        }
        if let Some(v) = labelled(&line.norm, &line.raw, &TRAINEE_LABELS) {
            for n in split_names(v) {
                if !f.trainees.contains(&n) {
                    f.trainees.push(n);
                }
            }
        }
    }
    // "La formation sera animée par Marc Lefèvre", "dispensée par Mme Sophie Garnier".
    for line in view.lines.iter().take(400) {
        if let Some(caps) = LED_BY.captures(&line.raw) {
            let n = caps[1].trim().to_string();
            if looks_like_name(&n) && !f.trainers.contains(&n) {
                f.trainers.push(n);
            }
        }
    }
    if kind == Kind::AttendanceSheet {
        for n in grid_names(view) {
            if !f.trainees.contains(&n) && !f.trainers.contains(&n) {
                f.trainees.push(n);
            }
        }
    }
    if kind == Kind::TrainerCv {
        f.person = cv_person(view);
    }
    if matches!(
        kind,
        Kind::Convention
            | Kind::Quote
            | Kind::Invoice
            | Kind::CompletionCertificate
            | Kind::AttendanceSheet
            | Kind::Convocation
            | Kind::Programme
            | Kind::FundingAgreement
    ) && let Some((h, text)) = view
        .lines
        .iter()
        .take(600)
        .find_map(|l| stated_hours(&l.raw))
    {
        f.hours = Some(h);
        f.hours_text = Some(text);
    }
    if matches!(kind, Kind::Convention | Kind::Quote) {
        f.needs_analysis_section = view.lines.iter().any(|l| {
            l.norm.split_whitespace().count() <= 10
                && [
                    "analyse du besoin",
                    "analyse des besoins",
                    "recueil des besoins",
                    "recueil du besoin",
                    "besoins identifies",
                    "needs analysis",
                ]
                .iter()
                .any(|p| contains_phrase(&l.norm, p))
        });
    }
    f.markers = markers(view);
    f
}

/// `MARKER_PHRASES` in one phrase set (`normalize::PhraseSet`).
static MARKER_SET: std::sync::LazyLock<super::normalize::PhraseSet> =
    std::sync::LazyLock::new(|| super::normalize::PhraseSet::new(&MARKER_PHRASES.map(|(p, _)| p)));

/// Phrases (normalised) that state a category or modality of action.
const MARKER_PHRASES: [(&str, Marker); 37] = [
    ("rncp", Marker::Certifying),
    ("repertoire specifique", Marker::Certifying),
    (
        "repertoire national des certifications professionnelles",
        Marker::Certifying,
    ),
    ("compte personnel de formation", Marker::Certifying),
    ("cpf", Marker::Certifying),
    ("mon compte formation", Marker::Certifying),
    ("a distance", Marker::Distance),
    ("distanciel", Marker::Distance),
    ("foad", Marker::Distance),
    ("e-learning", Marker::Distance),
    ("classe virtuelle", Marker::Distance),
    ("visioconference", Marker::Distance),
    ("presentiel", Marker::OnSite),
    ("en salle", Marker::OnSite),
    ("intra-entreprise", Marker::Intra),
    ("intra entreprise", Marker::Intra),
    ("en intra", Marker::Intra),
    ("inter-entreprises", Marker::Inter),
    ("inter-entreprise", Marker::Inter),
    ("inter entreprises", Marker::Inter),
    ("en inter", Marker::Inter),
    ("sous-traitance", Marker::Subcontracted),
    ("sous-traitant", Marker::Subcontracted),
    ("contrat d'apprentissage", Marker::Apprenticeship),
    ("apprenti", Marker::Apprenticeship),
    ("apprentie", Marker::Apprenticeship),
    ("apprentis", Marker::Apprenticeship),
    ("par apprentissage", Marker::Apprenticeship),
    ("contrat de professionnalisation", Marker::WorkStudy),
    ("en alternance", Marker::WorkStudy),
    ("contrat en alternance", Marker::WorkStudy),
    ("formation intra", Marker::Intra),
    ("formation inter", Marker::Inter),
    ("bilan de competences", Marker::SkillsAssessment),
    ("validation des acquis de l'experience", Marker::Vae),
    ("vae", Marker::Vae),
    ("cfa", Marker::Apprenticeship),
];

/// An RS or RNCP registration number ("RS5643", "RNCP 35635").
static CERT_CODE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"\b(?:RNCP|RS) ?\d{3,6}\b").expect("valid regex")
});

/// The categories and modalities the document's words state, sorted, each once. A phrase in a
/// negation ("non certifiante", "pas à distance") is not read as one.
fn markers(view: &DocView) -> Vec<Marker> {
    let mut out = std::collections::BTreeSet::new();
    for line in view.lines.iter().take(600) {
        line_markers(&line.raw, &line.norm, &mut out);
    }
    out.into_iter().collect()
}

/// The markers a short text states (a folder name, a training title).
pub fn markers_in(text: &str) -> Vec<Marker> {
    let mut out = std::collections::BTreeSet::new();
    for raw in text.lines() {
        line_markers(raw, &normalize_line(raw), &mut out);
    }
    out.into_iter().collect()
}

fn line_markers(raw: &str, norm: &str, out: &mut std::collections::BTreeSet<Marker>) {
    // An unticked box of a form ("☐ bilan de compétences" on the certificate of completion)
    // states nothing.
    let t = raw.trim_start();
    if ['☐', '□', '❑', '❏', '○'].iter().any(|b| t.starts_with(*b)) || t.starts_with("[ ]")
    {
        return;
    }
    if CERT_CODE.is_match(raw) {
        out.insert(Marker::Certifying);
    }
    // Every phrase in one pass over the line (as `find_phrase` finds them).
    let found = MARKER_SET.find_all(norm);
    for (&(_, m), at) in MARKER_PHRASES.iter().zip(found) {
        if let Some(i) = at {
            let before = &norm[..i];
            let negated = ["non ", "pas ", "ni ", "hors "]
                .iter()
                .any(|n| before.ends_with(n));
            if !negated {
                out.insert(m);
            }
        }
    }
}

/// Names in the first column of attendance grids (rows under a header naming people).
fn grid_names(view: &DocView) -> Vec<String> {
    let mut out = Vec::new();
    for t in view.ex.pages.iter().flat_map(|p| p.tables.iter()) {
        let mut col = None;
        for row in &t.rows {
            match col {
                None => {
                    col = row
                        .iter()
                        .position(|c| super::vocab::is_person_header(&normalize_line(&c.text)));
                }
                Some(c) => {
                    if let Some(cell) = row.get(c) {
                        let name = cell.text.trim();
                        if looks_like_name(name) && !out.iter().any(|n: &String| n == name) {
                            out.push(name.to_string());
                        }
                    }
                }
            }
        }
    }
    out
}

/// The person a CV is about: "Nom : X" or the first name-like line of the first page.
fn cv_person(view: &DocView) -> Option<String> {
    for line in view.lines.iter().take(60) {
        if let Some(v) = labelled(
            &line.norm,
            &line.raw,
            &["nom", "nom et prenom", "name", "prenom nom"],
        ) {
            let v = clean_value(v);
            if looks_like_name(&v) {
                return Some(v);
            }
        }
    }
    view.lines
        .iter()
        .take(8)
        .map(|l| l.raw.trim())
        .find(|raw| {
            let n = normalize_line(raw);
            looks_like_name(raw)
                && ![
                    "curriculum vitae",
                    "cv",
                    "formateur",
                    "formatrice",
                    "consultant",
                ]
                .iter()
                .any(|w| contains_phrase(&n, w))
        })
        .map(|s| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Extracted, Format, Page};

    fn facts(text: &str, kind: Kind) -> DocFacts {
        let ex = Extracted {
            pages: vec![Page {
                number: 1,
                text: text.into(),
                ..Page::default()
            }],
            ..Extracted::default()
        };
        let v = DocView::new("x.docx", Format::Docx, &ex);
        extract(&v, kind)
    }

    #[test]
    fn stated_durations_in_hours() {
        let h = |t: &str| stated_hours(t).map(|(h, _)| h);
        assert_eq!(h("Durée : 14 heures (2 jours)"), Some(14.0));
        assert_eq!(h("durée totale de 13 h 30"), Some(13.5));
        assert_eq!(h("Durée de la formation : 13h30"), Some(13.5));
        assert_eq!(h("Duration: 7 hours"), Some(7.0));
        assert_eq!(h("Nombre d'heures : 10,5 h"), Some(10.5));
        // Times of day and other numbers are not durations.
        assert_eq!(h("Horaires : 9h00 - 12h30"), None);
        assert_eq!(h("14 heures de formation"), None);
        assert_eq!(h("Durée : 2 jours"), None);
    }

    #[test]
    fn labelled_lines() {
        let f = facts(
            "Intitulé de la formation : « Gestes et postures »\nFormatrice : Claire Dubois\nEntreprise : Boulangerie Martin\nStagiaire : Jean Dupont",
            Kind::Convention,
        );
        assert_eq!(f.title.as_deref(), Some("Gestes et postures"));
        assert_eq!(f.trainers, ["Claire Dubois"]);
        assert_eq!(f.client.as_deref(), Some("Boulangerie Martin"));
        assert_eq!(f.trainees, ["Jean Dupont"]);
    }

    #[test]
    fn trainer_labels_with_a_variant_or_a_sentence_after_the_name() {
        let f = facts(
            "Formateur / formatrice : Ophélie Nguyen\nFormation : Tutorat",
            Kind::AttendanceSheet,
        );
        assert_eq!(f.trainers, ["Ophélie Nguyen"]);
        let f = facts(
            "Intervenant(e) : Ophélie Nguyen. Le livret d'accueil et le règlement intérieur sont joints.",
            Kind::Convocation,
        );
        assert_eq!(f.trainers, ["Ophélie Nguyen"]);
        let f = facts("Formatrice : J. Dupont et Mme. Roux", Kind::Convocation);
        assert_eq!(f.trainers, ["J. Dupont", "Mme. Roux"]);
        // a label with a number before its colon is another field
        let f = facts("Formateur (2 jours) : Marc Petit", Kind::Convocation);
        assert!(f.trainers.is_empty(), "{:?}", f.trainers);
    }

    #[test]
    fn markers_of_category_and_modality() {
        let f = facts(
            "Formation certifiante inscrite au RS5643, éligible au CPF\nModalité : à distance (classe virtuelle)\nFormation intra-entreprise",
            Kind::Programme,
        );
        assert_eq!(
            f.markers,
            [Marker::Certifying, Marker::Distance, Marker::Intra]
        );
        let f = facts(
            "Formation non certifiante, pas à distance\nContrat d'apprentissage",
            Kind::Convention,
        );
        assert_eq!(f.markers, [Marker::Apprenticeship]);
        let f = facts(
            "Nature de l'action :\n☒ action de formation\n☐ bilan de compétences\n☐ action de VAE\nMéthode : alternance d'apports et de mises en situation",
            Kind::CompletionCertificate,
        );
        assert_eq!(f.markers, []);
    }

    #[test]
    fn several_trainers() {
        let f = facts(
            "Formateurs : Claire Dubois et Marc Petit",
            Kind::AttendanceSheet,
        );
        assert_eq!(f.trainers, ["Claire Dubois", "Marc Petit"]);
    }

    #[test]
    fn cv_person_from_first_lines() {
        let f = facts(
            "Curriculum vitae\nClaire Dubois\nFormatrice en prévention\nExpériences professionnelles",
            Kind::TrainerCv,
        );
        assert_eq!(f.person.as_deref(), Some("Claire Dubois"));
    }
}
