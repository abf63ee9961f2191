//! The checks on the pieces a session holds. One function per finding code; each says what it
//! checks, why auditors care, and what evidence it reads. Severity, indicators and the words
//! shown to users are in the rule set (`rnq-v9.toml`), not here.

use super::RuleSet;
use crate::document::{DateFact, DateRole, Document, Kind, SignatureStatus};
use crate::sessions::Session;
use crate::understand::dates::{REASON_GRID_DAY, is_edition_reason};
use crate::understand::normalize::normalize_line;

/// Every code this module can raise (a rule set naming another code is rejected).
pub const KNOWN: [&str; 12] = [
    "convention.unsigned",
    "convention.signed_after_start",
    "convocation.after_start",
    "attendance.unsigned",
    "attendance.missing_signatures",
    "attendance.outside_session",
    "completion_certificate.before_end",
    "satisfaction_hot.before_last_day",
    "satisfaction_cold.before_end",
    "evaluation.answer_date_unknown",
    "trainer_cv.missing",
    "trainer_cv.outdated",
];

/// A check's raw outcome, before the rule set gives it a severity and words.
pub struct Raw {
    pub code: &'static str,
    /// The specifics, in French and in English (appended to the rule set's words).
    pub detail: String,
    pub detail_en: String,
    pub documents: Vec<String>,
}

fn raw(code: &'static str, (detail, detail_en): (String, String), docs: Vec<&Document>) -> Raw {
    Raw {
        code,
        detail,
        detail_en,
        documents: docs.iter().map(|d| d.path.clone()).collect(),
    }
}

fn fr_date(iso: &str) -> String {
    crate::report::html::format_date(iso, crate::report::Lang::Fr)
}

pub fn run(s: &Session, docs: &[&Document], cvs: &[Cv], rules: &RuleSet) -> Vec<Raw> {
    let mut out = Vec::new();
    let of = |k: Kind| docs.iter().copied().filter(move |d| d.kind == k);
    convention_unsigned(of(Kind::Convention).collect(), &mut out);
    convention_signed_after_start(s, of(Kind::Convention).collect(), &mut out);
    convocation_after_start(s, of(Kind::Convocation).collect(), &mut out);
    attendance_unsigned(of(Kind::AttendanceSheet).collect(), &mut out);
    attendance_missing_signatures(of(Kind::AttendanceSheet).collect(), &mut out);
    attendance_outside_session(s, of(Kind::AttendanceSheet).collect(), &mut out);
    certificate_before_end(s, of(Kind::CompletionCertificate).collect(), &mut out);
    satisfaction_hot_before_last_day(s, of(Kind::SatisfactionHot).collect(), &mut out);
    satisfaction_cold_before_end(s, of(Kind::SatisfactionCold).collect(), &mut out);
    trainer_cvs(s, cvs, rules.settings.cv_max_age_months, &mut out);
    out
}

/// A version, update or edition date of the document itself (a template's date): it says
/// nothing about when the piece was signed, sent or filled in.
fn is_edition(x: &DateFact) -> bool {
    x.reason.as_deref().is_some_and(is_edition_reason)
}

/// The date a document was signed or issued: its signature dates (latest), else its issue
/// date (role `document`, not a version or edition date). Dates without a role never count.
fn issued(d: &Document) -> Option<String> {
    let pick = |role: DateRole| {
        d.dates
            .iter()
            .filter(|x| x.role == role && !is_edition(x))
            .map(|x| x.date.clone())
            .max()
    };
    pick(DateRole::Signature).or_else(|| pick(DateRole::Document))
}

/// Earliest answer date of an evaluation (surveys carry one timestamp per answer): only dates
/// the understanding marked as answers; a form's printed, version or session dates never count.
fn answered(d: &Document) -> Option<String> {
    d.dates
        .iter()
        .filter(|x| x.answer)
        .map(|x| x.date.clone())
        .min()
}

/// **What it checks**: a convention is present but no copy carries a signature.
/// **Why auditors care**: an unsigned agreement is not a contract; OPCOs reject the file.
/// **Evidence**: the documents' signature status (digital fields, e-signature markers,
/// signature images in the zones). Scanned copies not yet read are not judged.
fn convention_unsigned(conv: Vec<&Document>, out: &mut Vec<Raw>) {
    if conv.is_empty() {
        return;
    }
    let signed = conv.iter().any(|d| {
        matches!(
            d.signature.status,
            SignatureStatus::Signed | SignatureStatus::Partial | SignatureStatus::Unknown
        )
    });
    if !signed {
        out.push(raw("convention.unsigned", Default::default(), conv));
    }
}

/// **What it checks**: the convention's signature date is after the session's first day.
/// **Why auditors care**: the agreement must be signed before the start (OPCO rules).
/// **Evidence**: dates with role `signature` in the conventions, the session start.
fn convention_signed_after_start(s: &Session, conv: Vec<&Document>, out: &mut Vec<Raw>) {
    let Some(start) = &s.start else { return };
    // The agreement binds once the last party has signed: its latest signature date counts.
    let late: Vec<(&Document, String)> = conv
        .into_iter()
        .filter_map(|d| {
            let last = d
                .dates
                .iter()
                .filter(|x| x.role == DateRole::Signature)
                .map(|x| x.date.clone())
                .max()?;
            (last > *start).then_some((d, last))
        })
        .collect();
    if let Some((_, when)) = late.first() {
        let detail = (
            format!("(signée le {}, début le {})", fr_date(when), fr_date(start)),
            format!("(signed on {when}, start on {start})"),
        );
        out.push(raw(
            "convention.signed_after_start",
            detail,
            late.iter().map(|(d, _)| *d).collect(),
        ));
    }
}

/// **What it checks**: the convocation's date (issue or e-mail date) is after the first day.
/// **Why auditors care**: a convocation informs the trainee beforehand (indicator 9).
/// **Evidence**: document/signature dates of the convocations, the e-mail `Date:` header.
fn convocation_after_start(s: &Session, conv: Vec<&Document>, out: &mut Vec<Raw>) {
    let Some(start) = &s.start else { return };
    for d in conv {
        let date = issued(d).or_else(|| {
            d.metadata
                .other
                .get("date")
                .and_then(|x| x.get(..10))
                .map(str::to_string)
        });
        if let Some(date) = date
            && date > *start
        {
            out.push(raw(
                "convocation.after_start",
                (
                    format!("(datée du {}, début le {})", fr_date(&date), fr_date(start)),
                    format!("(dated {date}, start on {start})"),
                ),
                vec![d],
            ));
        }
    }
}

/// **What it checks**: attendance sheets exist but none bears a single signature.
/// **Why auditors care**: an unsigned sheet proves nothing about attendance.
/// **Evidence**: the sheets' signature status and signature-cell counts.
fn attendance_unsigned(sheets: Vec<&Document>, out: &mut Vec<Raw>) {
    if sheets.is_empty() {
        return;
    }
    if sheets
        .iter()
        .all(|d| d.signature.status == SignatureStatus::Unsigned)
    {
        out.push(raw("attendance.unsigned", Default::default(), sheets));
    }
}

/// **What it checks**: some signature cells are empty without an absence being marked.
/// **Why auditors care**: each trainee signs each half-day; absences must be justified.
/// **Evidence**: the attendance grid's empty cells (state `empty`, not `absent`).
fn attendance_missing_signatures(sheets: Vec<&Document>, out: &mut Vec<Raw>) {
    let partial: Vec<&Document> = sheets
        .into_iter()
        .filter(|d| {
            d.signature.status != SignatureStatus::Unsigned
                && d.signature.empty_cells.iter().any(|c| c.state == "empty")
        })
        .collect();
    if partial.is_empty() {
        return;
    }
    let n: usize = partial
        .iter()
        .map(|d| {
            d.signature
                .empty_cells
                .iter()
                .filter(|c| c.state == "empty")
                .count()
        })
        .sum();
    let who: Vec<String> = partial
        .iter()
        .flat_map(|d| {
            d.signature
                .empty_cells
                .iter()
                .filter(|c| c.state == "empty")
        })
        .take(4)
        .map(|c| format!("{} ({})", c.trainee, c.slot))
        .collect();
    out.push(raw(
        "attendance.missing_signatures",
        (
            format!("({n} cases vides : {})", who.join(", ")),
            format!("({n} empty cells: {})", who.join(", ")),
        ),
        partial,
    ));
}

/// **What it checks**: dates printed on attendance sheets fall outside the session's dates.
/// **Why auditors care**: a sheet dated outside the session (or signed in advance) is suspect.
/// **Evidence**: the sheets' attendance days (the period they state, role `session_start` /
/// `session_end`, and the days heading their signing grid); the session period. A date without
/// a role elsewhere on the sheet (a footer, a printing date) never counts.
fn attendance_outside_session(s: &Session, sheets: Vec<&Document>, out: &mut Vec<Raw>) {
    let (Some(start), Some(end)) = (&s.start, &s.end) else {
        return;
    };
    let attendance_day = |x: &&DateFact| match x.role {
        DateRole::SessionStart | DateRole::SessionEnd => true,
        DateRole::Other => x.reason.as_deref() == Some(REASON_GRID_DAY),
        DateRole::Signature | DateRole::Document => false,
    };
    for d in sheets {
        let outside: Vec<&str> = d
            .dates
            .iter()
            .filter(attendance_day)
            .map(|x| x.date.as_str())
            .filter(|x| *x < start.as_str() || *x > end.as_str())
            .collect();
        if let Some(first) = outside.first() {
            out.push(raw(
                "attendance.outside_session",
                (
                    format!(
                        "({} hors de la période du {} au {})",
                        fr_date(first),
                        fr_date(start),
                        fr_date(end)
                    ),
                    format!("({first} outside the period {start} to {end})"),
                ),
                vec![d],
            ));
        }
    }
}

/// **What it checks**: the certificate/attestation is dated before the last day.
/// **Why auditors care**: it certifies completion; issued before the end it certifies nothing.
/// **Evidence**: signature/issue dates of the certificates; the session end.
fn certificate_before_end(s: &Session, certs: Vec<&Document>, out: &mut Vec<Raw>) {
    let Some(end) = &s.end else { return };
    for d in certs {
        if let Some(date) = issued(d)
            && date < *end
        {
            out.push(raw(
                "completion_certificate.before_end",
                (
                    format!("(daté du {}, fin le {})", fr_date(&date), fr_date(end)),
                    format!("(dated {date}, end on {end})"),
                ),
                vec![d],
            ));
        }
    }
}

/// **What it checks**: the end-of-course evaluation is dated before the last day.
/// **Why auditors care**: an evaluation "à chaud" is filled in at the end of the course.
/// **Evidence**: the earliest answer date of the evaluations (dates marked `answer`: "Date de
/// réponse", survey timestamps, the respondent's signing date); the session end. Without an
/// answer date no warning is raised from another date: `evaluation.answer_date_unknown` (info).
fn satisfaction_hot_before_last_day(s: &Session, evals: Vec<&Document>, out: &mut Vec<Raw>) {
    let Some(end) = &s.end else { return };
    for d in evals {
        let Some(date) = answered(d) else {
            answer_date_unknown(d, out);
            continue;
        };
        if date < *end {
            out.push(raw(
                "satisfaction_hot.before_last_day",
                (
                    format!(
                        "(datée du {}, dernier jour le {})",
                        fr_date(&date),
                        fr_date(end)
                    ),
                    format!("(dated {date}, last day {end})"),
                ),
                vec![d],
            ));
        }
    }
}

/// **What it checks**: the delayed evaluation is dated on or before the last day.
/// **Why auditors care**: "à froid" means weeks or months after the course.
/// **Evidence**: the earliest answer date of the delayed evaluations (dates marked `answer`; a
/// "sent to the trainees" date counts: the answers cannot precede it); the session end. Without
/// an answer date: `evaluation.answer_date_unknown` (info), never a warning from another date.
fn satisfaction_cold_before_end(s: &Session, evals: Vec<&Document>, out: &mut Vec<Raw>) {
    let Some(end) = &s.end else { return };
    for d in evals {
        let Some(date) = answered(d) else {
            answer_date_unknown(d, out);
            continue;
        };
        if date <= *end {
            out.push(raw(
                "satisfaction_cold.before_end",
                (
                    format!("(datée du {}, fin le {})", fr_date(&date), fr_date(end)),
                    format!("(dated {date}, end on {end})"),
                ),
                vec![d],
            ));
        }
    }
}

/// **What it checks**: an evaluation whose timing a rule judges shows no answer date (no
/// "Date de réponse", "Rempli le", survey timestamp, respondent's signing date…).
/// **Why auditors care**: the timing of an evaluation "à chaud" or "à froid" is then not
/// proven by the piece itself; its printed dates (version, session recalled) prove nothing.
/// **Evidence**: the document's dates, none marked `answer`.
fn answer_date_unknown(d: &Document, out: &mut Vec<Raw>) {
    out.push(raw(
        "evaluation.answer_date_unknown",
        {
            let name = format!("({})", d.path.rsplit('/').next().unwrap_or(&d.path));
            (name.clone(), name)
        },
        vec![d],
    ));
}

/// Tokens of a person's name, normalised ("Claire Dubois" → ["claire", "dubois"]).
fn name_tokens(name: &str) -> Vec<String> {
    normalize_line(name)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| t.len() > 1)
        .map(str::to_string)
        .collect()
}

/// A trainer's CV with the words that name its person (the person named inside it, then its
/// file name), normalised once per scan: every session's trainers are matched against every
/// CV of the archive.
pub struct Cv {
    pub path: String,
    /// Its latest date (`update_date`).
    pub updated: Option<String>,
    words: Vec<String>,
}

impl Cv {
    pub fn new(doc: &Document) -> Cv {
        let mut hay = normalize_line(doc.facts.person.as_deref().unwrap_or(""));
        hay.push(' ');
        hay.push_str(&normalize_line(
            &doc.path
                .rsplit('/')
                .next()
                .unwrap_or("")
                .replace(['_', '-', '.'], " "),
        ));
        let words = hay
            .split(|c: char| !c.is_alphanumeric())
            .map(str::to_string)
            .collect();
        Cv {
            path: doc.path.clone(),
            updated: update_date(doc),
            words,
        }
    }

    /// Whether this CV is about `trainer` (its name's tokens).
    fn matches(&self, trainer: &[String]) -> bool {
        let has = |t: &str| self.words.iter().any(|w| w == t);
        // "Thomas Vermeulen" matches "Thomas Vermeulen", "VERMEULEN Thomas" and "CV T.
        // Vermeulen": every surname word, and the first name or its initial.
        let Some((first, surname)) = trainer.split_first() else {
            return false;
        };
        let surname_ok = !surname.is_empty() && surname.iter().all(|t| has(t));
        let initial = first
            .chars()
            .next()
            .map(|c| c.to_string())
            .unwrap_or_default();
        surname_ok && (has(first) || has(&initial))
    }
}

/// The latest update date a document prints ("Mis à jour le", "Version du"), or its latest
/// issue or signature date. Dates without a role (years of experience on a CV, a date in the
/// running text) are not update dates: none of them, no date.
pub fn update_date(d: &Document) -> Option<String> {
    d.dates
        .iter()
        .filter(|x| matches!(x.role, DateRole::Document | DateRole::Signature))
        .map(|x| x.date.clone())
        .max()
}

/// **What it checks**: each trainer named by the session's documents has a CV in the archive
/// (matched by the name inside the CV, accents and case ignored, or its file name); a CV whose
/// latest date is older than `cv_max_age_months` before the session is reported (info).
/// **Why auditors care**: indicator 21 — the competences of every trainer are proven, also
/// for sub-contractors; any gap in the sample is a major non-conformity.
/// **Evidence**: `facts.trainers` of the session's documents; CVs anywhere in the archive.
fn trainer_cvs(s: &Session, cvs: &[Cv], max_age_months: u32, out: &mut Vec<Raw>) {
    for trainer in &s.trainers {
        let tokens = name_tokens(trainer);
        let matching: Vec<&Cv> = cvs.iter().filter(|cv| cv.matches(&tokens)).collect();
        if matching.is_empty() {
            out.push(raw(
                "trainer_cv.missing",
                (format!("({trainer})"), format!("({trainer})")),
                Vec::new(),
            ));
            continue;
        }
        let Some(start) = &s.start else { continue };
        let newest = matching.iter().filter_map(|cv| cv.updated.clone()).max();
        if let Some(updated) = newest
            && let (Ok(u), Ok(st)) = (
                updated.parse::<jiff::civil::Date>(),
                start.parse::<jiff::civil::Date>(),
            )
            && let Ok(limit) = st.checked_sub(jiff::Span::new().months(max_age_months as i64))
            && u < limit
        {
            out.push(Raw {
                code: "trainer_cv.outdated",
                detail: format!(
                    "({trainer} : CV du {}, plus de {max_age_months} mois avant la session)",
                    fr_date(&updated)
                ),
                detail_en: format!(
                    "({trainer}: CV of {updated}, more than {max_age_months} months before the session)"
                ),
                documents: matching.iter().map(|cv| cv.path.clone()).collect(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::DateFact;

    fn session() -> Session {
        Session {
            id: "S".into(),
            path: "S".into(),
            start: Some("2025-03-12".into()),
            end: Some("2025-03-14".into()),
            ..Session::default()
        }
    }

    fn fact(date: &str, role: DateRole, reason: &str, answer: bool) -> DateFact {
        DateFact {
            date: date.into(),
            role,
            text: date.into(),
            page: Some(1),
            source: "text".into(),
            reason: Some(reason.into()),
            answer,
        }
    }

    fn doc(kind: Kind, dates: Vec<DateFact>) -> Document {
        let mut d = crate::process::blank_document("S/x.pdf", kind);
        d.dates = dates;
        d
    }

    fn codes(docs: &[Document]) -> Vec<&'static str> {
        let refs: Vec<&Document> = docs.iter().collect();
        run(
            &session(),
            &refs,
            &[],
            &crate::rules::RuleSet::default_set(),
        )
        .into_iter()
        .map(|r| r.code)
        .collect()
    }

    #[test]
    fn evaluation_version_or_unlabelled_date_never_makes_a_timing_finding() {
        // "Formulaire v3 – mis à jour le 05/01/2024", a recalled session date, a footer date.
        let cold = doc(
            Kind::SatisfactionCold,
            vec![
                fact(
                    "2024-01-05",
                    DateRole::Document,
                    "after 'Mis à jour le' / 'Actualisé le'",
                    false,
                ),
                fact(
                    "2025-03-12",
                    DateRole::SessionStart,
                    "after 'Session du' / 'from'",
                    false,
                ),
                fact(
                    "2025-03-01",
                    DateRole::Other,
                    "no role keyword nearby",
                    false,
                ),
            ],
        );
        let hot = doc(
            Kind::SatisfactionHot,
            vec![fact(
                "2025-03-01",
                DateRole::Document,
                "after 'Version du'",
                false,
            )],
        );
        let got = codes(&[cold, hot]);
        assert!(!got.contains(&"satisfaction_cold.before_end"), "{got:?}");
        assert!(
            !got.contains(&"satisfaction_hot.before_last_day"),
            "{got:?}"
        );
        // Said as an info, never as a warning.
        assert_eq!(
            got.iter()
                .filter(|c| **c == "evaluation.answer_date_unknown")
                .count(),
            2
        );
        let rules = crate::rules::RuleSet::default_set();
        let check = rules.check("evaluation.answer_date_unknown").unwrap();
        assert_eq!(check.severity, crate::sessions::Severity::Info);
    }

    #[test]
    fn evaluation_answer_date_decides_the_timing() {
        let early = doc(
            Kind::SatisfactionCold,
            vec![fact(
                "2025-03-13",
                DateRole::Document,
                "answer: after 'Rempli le'",
                true,
            )],
        );
        assert!(codes(&[early]).contains(&"satisfaction_cold.before_end"));
        let late = doc(
            Kind::SatisfactionCold,
            vec![
                fact(
                    "2025-06-13",
                    DateRole::Document,
                    "answer: after 'Rempli le'",
                    true,
                ),
                fact(
                    "2025-01-02",
                    DateRole::Document,
                    "after 'Version du'",
                    false,
                ),
            ],
        );
        assert!(codes(&[late]).is_empty());
        let hot = doc(
            Kind::SatisfactionHot,
            vec![fact(
                "2025-03-12",
                DateRole::Document,
                "answer: horodatage",
                true,
            )],
        );
        assert!(codes(&[hot]).contains(&"satisfaction_hot.before_last_day"));
    }

    #[test]
    fn certificate_and_convocation_ignore_edition_and_unlabelled_dates() {
        let cert = doc(
            Kind::CompletionCertificate,
            vec![
                fact(
                    "2025-01-01",
                    DateRole::Document,
                    "after 'Édité/Généré le'",
                    false,
                ),
                fact(
                    "2025-03-13",
                    DateRole::Other,
                    "no role keyword nearby",
                    false,
                ),
            ],
        );
        let conv = doc(
            Kind::Convocation,
            vec![
                fact(
                    "2025-03-20",
                    DateRole::Document,
                    "after 'Version du'",
                    false,
                ),
                fact(
                    "2025-03-20",
                    DateRole::Other,
                    "no role keyword nearby",
                    false,
                ),
            ],
        );
        assert!(codes(&[cert, conv]).is_empty());
        let signed_early = doc(
            Kind::CompletionCertificate,
            vec![fact(
                "2025-03-13",
                DateRole::Signature,
                "after 'Fait à …, le'",
                false,
            )],
        );
        assert_eq!(
            codes(&[signed_early]),
            ["completion_certificate.before_end"]
        );
    }

    #[test]
    fn attendance_other_dates_count_only_as_grid_days() {
        let footer = doc(
            Kind::AttendanceSheet,
            vec![fact(
                "2025-04-30",
                DateRole::Other,
                "no role keyword nearby",
                false,
            )],
        );
        assert!(!codes(&[footer]).contains(&"attendance.outside_session"));
        let grid = doc(
            Kind::AttendanceSheet,
            vec![fact("2025-03-15", DateRole::Other, REASON_GRID_DAY, false)],
        );
        assert!(codes(&[grid]).contains(&"attendance.outside_session"));
    }

    #[test]
    fn cv_names_a_trainer_by_every_surname_word_and_the_first_name_or_its_initial() {
        let cv = |file: &str, person: Option<&str>| {
            let mut d = doc(Kind::TrainerCv, Vec::new());
            d.path = format!("Formateurs/{file}");
            d.facts.person = person.map(str::to_string);
            d
        };
        let thomas = name_tokens("Thomas Vermeulen");
        for (file, person) in [
            ("CV_Thomas_Vermeulen.pdf", None),
            ("cv-VERMEULEN-Thomas.docx", None),
            ("CV T. Vermeulen.pdf", None),
            ("cv-2025.pdf", Some("Thomas VERMEULEN")),
        ] {
            let d = cv(file, person);
            assert!(Cv::new(&d).matches(&thomas), "{file} {person:?}");
        }
        for (file, person) in [
            ("CV_Vermeulen.pdf", None),
            ("CV_Thomas_Martin.pdf", None),
            ("CV_A_Vermeulen.pdf", None),
            ("cv-2025.pdf", Some("Anne Vermeulen")),
        ] {
            let d = cv(file, person);
            assert!(!Cv::new(&d).matches(&thomas), "{file} {person:?}");
        }
        // A one-word name has no surname to match.
        assert!(!Cv::new(&cv("CV_Thomas.pdf", None)).matches(&name_tokens("Thomas")));
    }
}
