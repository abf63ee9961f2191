//! The auditor's sample (`preuves sample`): which sessions an auditor would ask for, drawn from a
//! scanned archive the way the guide de lecture and certifiers' practice describe it
//! (../shared/domain/referentiel-2026.md §2).
//!
//! Owns the draw and its explanation; reads a [`Report`], never a file, never prints.
//!
//! 1. **Strata.** Every session gets a profile: its category of action (action de formation,
//!    bilan de compétences, VAE, apprentissage) and its modality — certifying (RNCP/RS, CPF),
//!    delivery (présentiel, à distance, mixte), intra/inter, sub-contracted (a trainer contract
//!    or the words), work-study — from its documents' words ([`crate::document::Marker`]), its
//!    folder name and title, and what the scan already knows (`distance`, trainer contracts).
//!    What nothing states is "non précisé". Sessions with the same profile form a stratum.
//! 2. **Size.** `--size`, else the rule of thumb [`rule_of_thumb`]: one session per stratum,
//!    and at least ⌈√N⌉ sessions (N the sessions in the period), at most 15 beyond the strata —
//!    an audit of one to two days examines a few actions per category.
//! 3. **Draw.** First round: one session per stratum, the strata auditors ask for specifically
//!    (certifying, distance, sub-contracted, apprenticeship) first, then the largest. No stratum
//!    gets a second session before every stratum has one. Further sessions go to the stratum
//!    with the highest population per session already drawn (proportional, D'Hondt). Inside a
//!    stratum: with `--since` (the last audit), trainings never delivered before it first; then
//!    the session that brings the most training, client, trainer and month not yet in the
//!    sample; ties are broken by the seed.
//! 4. **Reproducible.** Every random choice comes from one 64-bit seed through splitmix64: the
//!    same report and seed give the same sample, another seed another order among ties.

pub mod page;

use crate::document::{Document, Kind, Marker};
use crate::report::Report;
use crate::rules::Category;
use crate::scope::{DateRange, InRange};
use crate::sessions::Session;
use crate::understand::normalize::normalize_line;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// How to draw.
#[derive(Clone, Debug, Default)]
pub struct SampleOptions {
    /// Sessions to draw; `None`: the rule of thumb.
    pub size: Option<usize>,
    pub seed: u64,
    /// `--since` (the last audit) / `--until`: only sessions of this period are drawn.
    pub dates: DateRange,
}

/// The sample: `sample.json` (published as `schema/sample.schema.json`, checked by a test).
#[derive(Clone, Debug, Serialize)]
pub struct Sample {
    pub schema: String,
    pub seed: u64,
    pub size: usize,
    /// How the size was chosen (French).
    pub rule: String,
    /// Sessions in the period, drawn from.
    pub population: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// Sessions of the archive outside the period (not drawn).
    pub outside_period: usize,
    /// Sessions that nothing dates (kept in the population when a period is given).
    pub undated: usize,
    pub strata: Vec<Stratum>,
    /// The sessions drawn, in the order of the draw.
    pub drawn: Vec<Drawn>,
    /// How the archive was read for the draw (French).
    #[serde(default)]
    pub reading: String,
}

/// Sessions with the same category and modality.
#[derive(Clone, Debug, Serialize)]
pub struct Stratum {
    pub id: String,
    /// "Action de formation · certifiante · à distance · intra/inter non précisé".
    pub label: String,
    pub category: String,
    pub modality: Vec<String>,
    pub population: usize,
    /// Every session of the stratum (ids).
    pub sessions: Vec<String>,
    /// Those drawn (ids, in the order of the draw).
    pub drawn: Vec<String>,
}

/// One session drawn and why.
#[derive(Clone, Debug, Serialize)]
pub struct Drawn {
    /// 1, 2, … in the order of the draw.
    pub order: usize,
    pub session: String,
    pub path: String,
    pub stratum: String,
    /// 1 for the first session of its stratum, 2 for the second…
    pub rank_in_stratum: usize,
    /// Why this session (French sentences).
    pub reasons: Vec<String>,
}

/// A session's category and modality, with the words they were read from.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    pub category: Category,
    /// Whether a word or a convention states it (else "action de formation" is assumed).
    pub category_stated: bool,
    pub certifying: bool,
    /// "présentiel", "à distance", "mixte" or "non précisé".
    pub delivery: &'static str,
    /// "intra", "inter" or "intra/inter non précisé".
    pub intra_inter: &'static str,
    pub subcontracted: bool,
    pub work_study: bool,
}

impl Profile {
    fn modality(&self) -> Vec<String> {
        let mut m = Vec::new();
        if self.certifying {
            m.push("certifiante (RNCP/RS)".to_string());
        }
        m.push(self.delivery.to_string());
        m.push(self.intra_inter.to_string());
        if self.subcontracted {
            m.push("sous-traitée".to_string());
        }
        if self.work_study {
            m.push("alternance".to_string());
        }
        m
    }

    fn category_label(&self) -> String {
        let l = match self.category {
            Category::Af => "Action de formation",
            Category::Bilan => "Bilan de compétences",
            Category::Vae => "VAE",
            Category::Cfa => "Apprentissage (CFA)",
        };
        if self.category_stated || self.category != Category::Af {
            l.to_string()
        } else {
            format!("{l} (catégorie non précisée)")
        }
    }

    fn key(&self) -> String {
        format!("{}|{}", self.category.id(), self.modality().join("|"))
    }

    /// Strata auditors ask for specifically come first in the first round.
    fn specific(&self) -> bool {
        self.certifying
            || self.delivery != "présentiel"
            || self.subcontracted
            || self.category != Category::Af
            || self.work_study
    }
}

/// The profile of a session from its documents.
pub fn profile(s: &Session, documents: &[&Document]) -> Profile {
    let mut markers: BTreeSet<Marker> = documents
        .iter()
        .flat_map(|d| d.facts.markers.iter().copied())
        .collect();
    let name = s.path.rsplit('/').next().unwrap_or(&s.path);
    markers.extend(crate::understand::facts::markers_in(&format!(
        "{name}\n{}",
        s.title.as_deref().unwrap_or("")
    )));
    let has = |m: Marker| markers.contains(&m);
    let category = if has(Marker::SkillsAssessment) {
        Category::Bilan
    } else if has(Marker::Vae) {
        Category::Vae
    } else if has(Marker::Apprenticeship) {
        Category::Cfa
    } else {
        Category::Af
    };
    let attendance = documents.iter().any(|d| d.kind == Kind::AttendanceSheet);
    let delivery = match (s.distance || has(Marker::Distance), has(Marker::OnSite)) {
        (true, true) if !s.distance => "mixte",
        (true, _) => "à distance",
        (false, true) => "présentiel",
        (false, false) if attendance => "présentiel",
        (false, false) => "présentiel ou distance non précisé",
    };
    let intra_inter = match (has(Marker::Intra), has(Marker::Inter)) {
        (true, false) => "intra",
        (false, true) => "inter",
        _ => "intra/inter non précisé",
    };
    Profile {
        category,
        category_stated: markers.iter().any(|m| {
            matches!(
                m,
                Marker::SkillsAssessment | Marker::Vae | Marker::Apprenticeship
            )
        }) || documents.iter().any(|d| d.kind == Kind::Convention),
        certifying: has(Marker::Certifying),
        delivery,
        intra_inter,
        subcontracted: has(Marker::Subcontracted)
            || documents.iter().any(|d| d.kind == Kind::TrainerContract),
        work_study: has(Marker::WorkStudy),
    }
}

/// splitmix64: a small, well-mixed, reproducible generator step.
pub fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The seed's random key for a name (a session id, a stratum key): independent of the order
/// sessions are listed in.
fn key_for(seed: u64, name: &str) -> u64 {
    let h = blake3::hash(name.as_bytes());
    let mut b = [0u8; 8];
    b.copy_from_slice(&h.as_bytes()[..8]);
    splitmix64(seed ^ u64::from_le_bytes(b))
}

/// A seed when none is given: from the clock and the process id, mixed (printed and stored so
/// the draw can be replayed with `--seed`). Kept below 2^53 so JSON readers keep it exact.
pub fn fresh_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    splitmix64(nanos ^ (u64::from(std::process::id()) << 32)) >> 11
}

/// The default size: max(strata, min(⌈√N⌉, strata + 15)), at most N.
pub fn rule_of_thumb(population: usize, strata: usize) -> (usize, String) {
    let root = (population as f64).sqrt().ceil() as usize;
    let size = strata.max(root.min(strata + 15)).min(population);
    let text = format!(
        "taille par défaut : une session par strate ({strata} strates), au moins ⌈√N⌉ = {root} \
         pour N = {population} sessions de la période, au plus 15 au-delà des strates → {size} \
         (aucune taille officielle n'existe ; un audit d'un à deux jours examine quelques \
         actions par catégorie ; --size N pour en choisir une autre)"
    );
    (size, text)
}

fn month(s: &Session) -> Option<String> {
    crate::scope::period(s).map(|(a, _)| format!("{:04}-{:02}", a.year(), a.month()))
}

fn norm_title(s: &Session) -> Option<String> {
    s.title
        .as_deref()
        .map(normalize_line)
        .filter(|t| !t.is_empty())
}

/// What the sample already covers, for spreading the draw.
#[derive(Default)]
struct Covered {
    titles: BTreeSet<String>,
    clients: BTreeSet<String>,
    trainers: BTreeSet<String>,
    months: BTreeSet<String>,
}

impl Covered {
    /// What this session would add, as French phrases.
    fn news(&self, s: &Session) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(t) = norm_title(s)
            && !self.titles.contains(&t)
        {
            out.push(format!(
                "formation pas encore dans l'échantillon : {}",
                s.title.as_deref().unwrap_or("")
            ));
        }
        if let Some(c) = &s.client
            && !self.clients.contains(&normalize_line(c))
        {
            out.push(format!("client pas encore dans l'échantillon : {c}"));
        }
        let new_trainers: Vec<&String> = s
            .trainers
            .iter()
            .filter(|t| !self.trainers.contains(&normalize_line(t)))
            .collect();
        if !new_trainers.is_empty() {
            out.push(format!(
                "formateur pas encore dans l'échantillon : {}",
                new_trainers
                    .iter()
                    .map(|t| t.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if let Some(m) = month(s)
            && !self.months.contains(&m)
        {
            out.push(format!(
                "mois pas encore dans l'échantillon : {}",
                crate::report::html::month_label(&m, crate::report::Lang::Fr)
            ));
        }
        out
    }

    fn add(&mut self, s: &Session) {
        self.titles.extend(norm_title(s));
        self.clients.extend(s.client.as_deref().map(normalize_line));
        self.trainers
            .extend(s.trainers.iter().map(|t| normalize_line(t)));
        self.months.extend(month(s));
    }
}

/// Draws the sample from a scanned archive.
pub fn draw(report: &Report, options: &SampleOptions) -> Sample {
    let seed = options.seed;
    // Each session's documents by index (the heads); loaded when the session is profiled.
    let mut docs_of: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, d) in report.documents.heads().iter().enumerate() {
        if let Some(id) = &d.session {
            docs_of.entry(&**id).or_default().push(i);
        }
    }
    // The population: sessions of the period (undated ones kept, counted).
    let mut outside = 0;
    let mut undated = 0;
    let mut population: Vec<&Session> = Vec::new();
    for s in &report.sessions {
        match options.dates.check(s) {
            InRange::No => outside += 1,
            InRange::Undated => {
                undated += 1;
                population.push(s);
            }
            InRange::Yes => population.push(s),
        }
    }
    // Trainings already delivered before --since: the others are new.
    let old_titles: BTreeSet<String> = match options.dates.since {
        None => BTreeSet::new(),
        Some(since) => report
            .sessions
            .iter()
            .filter(|s| crate::scope::period(s).is_some_and(|(a, _)| a < since))
            .filter_map(norm_title)
            .collect(),
    };
    let is_new = |s: &Session| {
        options.dates.since.is_some() && norm_title(s).is_some_and(|t| !old_titles.contains(&t))
    };
    // Strata.
    let mut strata: BTreeMap<String, (Profile, Vec<&Session>)> = BTreeMap::new();
    for s in &population {
        let loaded = report
            .documents
            .load(docs_of.get(s.id.as_str()).into_iter().flatten().copied());
        let p = profile(s, &crate::store::refs(&loaded));
        strata.entry(p.key()).or_insert((p, Vec::new())).1.push(s);
    }
    let mut order: Vec<&String> = strata.keys().collect();
    order.sort_by(|a, b| {
        let (pa, sa) = &strata[*a];
        let (pb, sb) = &strata[*b];
        pb.specific()
            .cmp(&pa.specific())
            .then(sb.len().cmp(&sa.len()))
            .then(key_for(seed, a).cmp(&key_for(seed, b)))
    });
    let (size, rule) = match options.size {
        Some(n) => {
            let n = n.min(population.len());
            (
                n,
                format!(
                    "taille donnée par --size : {n} ({} strates, {} sessions dans la période)",
                    strata.len(),
                    population.len()
                ),
            )
        }
        None => rule_of_thumb(population.len(), strata.len()),
    };
    let mut taken: BTreeMap<String, Vec<&Session>> = BTreeMap::new();
    let mut drawn: Vec<Drawn> = Vec::new();
    let mut covered = Covered::default();
    let since_text = options
        .dates
        .since
        .map(|d| crate::rules::french_date(&d.to_string()));
    let mut pick = |key: &str, round_one: bool, drawn: &mut Vec<Drawn>| -> bool {
        let (p, members) = &strata[key];
        let already = taken.entry(key.to_string()).or_default();
        let candidates: Vec<&Session> = members
            .iter()
            .copied()
            .filter(|s| !already.iter().any(|x| x.id == s.id))
            .collect();
        let score = |s: &Session| (is_new(s), covered.news(s).len());
        let Some(best) = candidates.iter().map(|s| score(s)).max() else {
            return false;
        };
        let tied: Vec<&Session> = candidates
            .iter()
            .copied()
            .filter(|s| score(s) == best)
            .collect();
        let chosen = *tied
            .iter()
            .min_by_key(|s| key_for(seed, &s.id))
            .expect("a candidate");
        let rank = already.len() + 1;
        let mut reasons = vec![if round_one {
            format!(
                "strate « {} » ({} session{}) : première session de la strate (chaque strate \
                 est représentée avant qu'une autre n'en reçoive une deuxième)",
                label(p),
                members.len(),
                if members.len() > 1 { "s" } else { "" }
            )
        } else {
            format!(
                "strate « {} » ({} sessions) : {rank}e session, la strate ayant le plus de \
                 sessions par session déjà tirée (répartition proportionnelle)",
                label(p),
                members.len()
            )
        }];
        if is_new(chosen)
            && let Some(d) = &since_text
        {
            reasons.push(format!(
                "formation nouvelle : aucune session de cette formation avant le {d} (dernier audit)"
            ));
        }
        if options.dates.check(chosen) == InRange::Undated {
            reasons.push(
                "session non datée : gardée dans la population, rien ne montre qu'elle est hors \
                 de la période"
                    .to_string(),
            );
        }
        reasons.extend(covered.news(chosen));
        if tied.len() > 1 {
            reasons.push(format!(
                "tirée au sort (graine {seed}) parmi {} sessions à égalité",
                tied.len()
            ));
        } else if candidates.len() > 1 {
            reasons.push(format!(
                "la seule des {} sessions restantes de la strate à apporter autant",
                candidates.len()
            ));
        }
        covered.add(chosen);
        already.push(chosen);
        drawn.push(Drawn {
            order: drawn.len() + 1,
            session: chosen.id.clone(),
            path: chosen.path.clone(),
            stratum: key.to_string(),
            rank_in_stratum: rank,
            reasons,
        });
        true
    };
    for key in &order {
        if drawn.len() >= size {
            break;
        }
        pick(key, true, &mut drawn);
    }
    while drawn.len() < size {
        let counts: BTreeMap<&str, usize> = drawn.iter().fold(BTreeMap::new(), |mut m, d| {
            *m.entry(d.stratum.as_str()).or_default() += 1;
            m
        });
        let next = order
            .iter()
            .filter(|k| counts.get(k.as_str()).copied().unwrap_or(0) < strata[**k].1.len())
            .max_by(|a, b| {
                // population / (drawn + 1), compared without division; ties: the earlier stratum.
                let (na, da) = (
                    strata[**a].1.len(),
                    counts.get(a.as_str()).copied().unwrap_or(0),
                );
                let (nb, db) = (
                    strata[**b].1.len(),
                    counts.get(b.as_str()).copied().unwrap_or(0),
                );
                (na * (db + 1)).cmp(&(nb * (da + 1))).then(
                    order
                        .iter()
                        .position(|k| k == *b)
                        .cmp(&order.iter().position(|k| k == *a)),
                )
            })
            .map(|k| k.to_string());
        match next {
            Some(k) => {
                if !pick(&k, false, &mut drawn) {
                    break;
                }
            }
            None => break,
        }
    }
    let strata_out = order
        .iter()
        .map(|k| {
            let (p, members) = &strata[*k];
            Stratum {
                id: k.to_string(),
                label: label(p),
                category: p.category_label(),
                modality: p.modality(),
                population: members.len(),
                sessions: members.iter().map(|s| s.id.clone()).collect(),
                drawn: drawn
                    .iter()
                    .filter(|d| &d.stratum == *k)
                    .map(|d| d.session.clone())
                    .collect(),
            }
        })
        .collect();
    Sample {
        schema: "preuves-sample/1".into(),
        seed,
        size: drawn.len(),
        rule,
        population: population.len(),
        since: options.dates.since.map(|d| d.to_string()),
        until: options.dates.until.map(|d| d.to_string()),
        outside_period: outside,
        undated,
        strata: strata_out,
        drawn,
        reading: String::new(),
    }
}

/// Scans what the sample needs and draws it. With OCR on, a first pass reads the whole archive
/// without OCR (text layers, spreadsheets, e-mails: enough to group the sessions and tell their
/// category and modality) and the draw is made on it; a second pass reads, with OCR, only the
/// drawn sessions' folders and what belongs to no session (organisation documents, which the
/// checks need). Should the second pass not find a drawn session again (its scanned pages
/// changed the grouping), the whole archive is read with OCR and the draw made again on it.
pub fn run(
    root: &std::path::Path,
    options: &crate::ScanOptions,
    sample: &SampleOptions,
    progress: &dyn crate::Progress,
) -> crate::Result<(Report, Sample)> {
    let started = std::time::Instant::now();
    if !options.limits.ocr {
        let report = crate::scan(root, options, progress)?;
        let mut s = draw(&report, sample);
        s.reading = format!(
            "archive lue en entier sans OCR (--no-ocr) : {} fichiers en {} s",
            report.summary.files,
            crate::report::fr_decimal(started.elapsed().as_secs_f64(), 1)
        );
        return Ok((report, s));
    }
    let mut quick = options.clone();
    quick.limits.ocr = false;
    let first = crate::scan(root, &quick, progress)?;
    let mut s = draw(&first, sample);
    let first_secs = crate::report::fr_decimal(started.elapsed().as_secs_f64(), 1);
    let drawn: BTreeSet<&str> = s.drawn.iter().map(|d| d.path.as_str()).collect();
    let mut full = options.clone();
    for other in first
        .sessions
        .iter()
        .filter(|x| !drawn.contains(x.path.as_str()))
    {
        // Never leave out a folder that holds a drawn session.
        if !drawn
            .iter()
            .any(|d| d.starts_with(&format!("{}/", other.path)))
        {
            full.walk.exclude.push(root.join(&other.path));
        }
    }
    let second_started = std::time::Instant::now();
    let report = crate::scan(root, &full, progress)?;
    let found: BTreeSet<&str> = report.sessions.iter().map(|x| x.id.as_str()).collect();
    if s.drawn.iter().all(|d| found.contains(d.session.as_str())) {
        s.reading = format!(
            "premier passage sans OCR sur toute l'archive ({} fichiers, {first_secs} s) pour \
             former les strates et tirer ; second passage complet, avec OCR, sur les seuls {} \
             fichiers des sessions tirées et de l'organisme ({} s)",
            first.summary.files,
            report.summary.files,
            crate::report::fr_decimal(second_started.elapsed().as_secs_f64(), 1)
        );
        return Ok((report, s));
    }
    let report = crate::scan(root, options, progress)?;
    let mut s = draw(&report, sample);
    s.reading = format!(
        "archive lue en entier avec OCR ({} fichiers, {} s) : le passage rapide sans OCR ne \
         regroupait pas les sessions de la même façon",
        report.summary.files,
        crate::report::fr_decimal(started.elapsed().as_secs_f64(), 1)
    );
    Ok((report, s))
}

fn label(p: &Profile) -> String {
    format!("{} · {}", p.category_label(), p.modality().join(" · "))
}

/// The report restricted to the drawn sessions (their documents, the organisation-level ones,
/// the organisation checks): what the action plan and the pages of the sample are made from.
pub fn restrict(report: &Report, sample: &Sample) -> Report {
    let ids: BTreeSet<&str> = sample.drawn.iter().map(|d| d.session.as_str()).collect();
    let mut r = report.clone();
    r.sessions.retain(|s| ids.contains(s.id.as_str()));
    r.documents
        .retain(|d| d.session.as_deref().is_none_or(|id| ids.contains(id)));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(path: &str, title: &str, start: &str) -> Session {
        Session {
            id: crate::sessions::session_id(path),
            path: path.into(),
            title: Some(title.into()),
            start: Some(start.into()),
            end: Some(start.into()),
            ..Session::default()
        }
    }

    fn report(sessions: Vec<Session>) -> Report {
        Report::build(
            std::path::Path::new("a"),
            &crate::rules::RuleSet::default(),
            Default::default(),
            sessions,
            Vec::new(),
            Vec::new(),
            0,
            std::time::Duration::ZERO,
        )
    }

    #[test]
    fn rule_of_thumb_sizes() {
        assert_eq!(rule_of_thumb(100, 3).0, 10);
        assert_eq!(rule_of_thumb(12, 6).0, 6);
        assert_eq!(rule_of_thumb(10_000, 4).0, 19);
        assert_eq!(rule_of_thumb(2, 2).0, 2);
        assert_eq!(rule_of_thumb(0, 0).0, 0);
    }

    #[test]
    fn strata_from_words_and_seeded_ties() {
        let mut sessions: Vec<Session> = (0..8)
            .map(|i| {
                session(
                    &format!("O/2025/2025-0{} Excel", i + 1),
                    "Excel",
                    "2025-01-10",
                )
            })
            .collect();
        sessions.push(session(
            "O/2025/2025-03 Anglais FOAD",
            "Anglais",
            "2025-03-02",
        ));
        sessions.push(session(
            "O/2025/2025-04 Titre RNCP 35635",
            "Titre pro",
            "2025-04-02",
        ));
        let r = report(sessions);
        let one = |seed| {
            draw(
                &r,
                &SampleOptions {
                    size: Some(3),
                    seed,
                    ..Default::default()
                },
            )
        };
        let a = one(7);
        assert_eq!(a.strata.len(), 3);
        assert_eq!(a.drawn.len(), 3);
        // One per stratum in the first round.
        let strata: BTreeSet<&str> = a.drawn.iter().map(|d| d.stratum.as_str()).collect();
        assert_eq!(strata.len(), 3);
        assert!(a.strata.iter().any(|s| s.label.contains("à distance")));
        assert!(a.strata.iter().any(|s| s.label.contains("certifiante")));
        let ids = |s: &Sample| {
            s.drawn
                .iter()
                .map(|d| d.session.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&a), ids(&one(7)));
        // Among the eight tied Excel sessions, some other seed picks another one.
        assert!((0..20).any(|seed| ids(&one(seed)) != ids(&a)));
    }

    #[test]
    fn undated_sessions_stay_in_a_period_and_say_so() {
        let mut undated = session("O/Divers/Excel", "Excel", "2025-01-01");
        undated.start = None;
        undated.end = None;
        let r = report(vec![
            session("O/2025/2024-03 Excel", "Excel", "2024-03-02"),
            undated,
        ]);
        let s = draw(
            &r,
            &SampleOptions {
                size: None,
                seed: 1,
                dates: DateRange {
                    since: "2025-01-01".parse().ok(),
                    until: None,
                },
            },
        );
        assert_eq!((s.population, s.outside_period, s.undated), (1, 1, 1));
        assert!(s.drawn[0].reasons.iter().any(|x| x.contains("non datée")));
    }
}
