//! The monthly review: what changed between two scans of the same archive ("si je suis audité
//! demain sur ce dossier, ai-je tout ?"). Reads two `report.json` files and says which sessions
//! became complete, which are still incomplete (and since when at least), which got worse, the
//! findings added and resolved, the documents added, changed (content hash) or removed, and the
//! organisation documents that became stale. Written as `review.json` and a short French HTML
//! page (English with `--lang en`) that a quality manager files as proof of the review.
//!
//! Sessions and documents are matched by their stable ids and paths; findings by
//! (session, code). A run's date is its report file's modification time (the report itself
//! carries no clock time, so that two scans of the same archive give the same report).

use crate::report::{Lang, Report};
use crate::sessions::{Severity, Status};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Run {
    pub report: String,
    /// When the report was written (file modification time, UTC, `YYYY-MM-DD HH:MM`).
    pub date: String,
    pub root: String,
    pub referentiel: String,
    pub audit_date: String,
    pub sessions: usize,
    pub complete: usize,
    pub at_risk: usize,
    pub incomplete: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionChange {
    pub id: String,
    pub path: String,
    pub title: Option<String>,
    pub old_status: Option<Status>,
    pub new_status: Option<Status>,
    /// Blocking and warning finding codes in the new run.
    pub open: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FindingChange {
    /// Session id, or the organisation folder for organisation findings.
    pub id: String,
    pub path: String,
    pub code: String,
    pub severity: Severity,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Review {
    pub old: Run,
    pub new: Run,
    pub newly_complete: Vec<SessionChange>,
    /// Incomplete in both runs: incomplete since at least the old run's date.
    pub still_incomplete: Vec<SessionChange>,
    /// Worse than before (complete → at risk or incomplete, at risk → incomplete).
    pub newly_incomplete: Vec<SessionChange>,
    pub sessions_added: Vec<SessionChange>,
    pub sessions_removed: Vec<SessionChange>,
    pub findings_added: Vec<FindingChange>,
    pub findings_resolved: Vec<FindingChange>,
    pub documents_added: Vec<String>,
    pub documents_changed: Vec<String>,
    pub documents_removed: Vec<String>,
    /// Organisation documents that became stale (`<piece>.stale` new in this run).
    pub organisation_stale: Vec<FindingChange>,
}

/// Reads a report.json.
pub fn load(path: &Path) -> Result<(Report, String), String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let report: Report = serde_json::from_str(&text)
        .map_err(|e| format!("{} is not a preuves report.json: {e}", path.display()))?;
    let date = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| jiff::Timestamp::try_from(t).ok())
        .map(|t| t.strftime("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default();
    Ok((report, date))
}

fn run(r: &Report, path: &Path, date: String) -> Run {
    Run {
        report: path.to_string_lossy().into_owned(),
        date,
        root: r.root.clone(),
        referentiel: r.rules.referentiel.clone(),
        audit_date: r.rules.audit_date.clone(),
        sessions: r.summary.sessions,
        complete: r.summary.complete,
        at_risk: r.summary.at_risk,
        incomplete: r.summary.incomplete,
    }
}

fn rank(s: Status) -> u8 {
    match s {
        Status::Complete => 0,
        Status::AtRisk => 1,
        Status::Incomplete => 2,
    }
}

/// Compares two reports.
pub fn compare(
    old: &Report,
    old_path: &Path,
    old_date: String,
    new: &Report,
    new_path: &Path,
    new_date: String,
) -> Review {
    let mut rv = Review {
        old: run(old, old_path, old_date),
        new: run(new, new_path, new_date),
        newly_complete: Vec::new(),
        still_incomplete: Vec::new(),
        newly_incomplete: Vec::new(),
        sessions_added: Vec::new(),
        sessions_removed: Vec::new(),
        findings_added: Vec::new(),
        findings_resolved: Vec::new(),
        documents_added: Vec::new(),
        documents_changed: Vec::new(),
        documents_removed: Vec::new(),
        organisation_stale: Vec::new(),
    };
    let olds: BTreeMap<&str, &crate::sessions::Session> =
        old.sessions.iter().map(|s| (s.id.as_str(), s)).collect();
    let news: BTreeMap<&str, &crate::sessions::Session> =
        new.sessions.iter().map(|s| (s.id.as_str(), s)).collect();
    let open = |s: &crate::sessions::Session| -> Vec<String> {
        s.findings
            .iter()
            .filter(|f| f.severity != Severity::Info)
            .map(|f| f.code.clone())
            .collect()
    };
    let change = |o: Option<&crate::sessions::Session>, n: Option<&crate::sessions::Session>| {
        let s = n.or(o).expect("one side");
        SessionChange {
            id: s.id.clone(),
            path: s.path.clone(),
            title: s.title.clone(),
            old_status: o.map(|x| x.status),
            new_status: n.map(|x| x.status),
            open: n.map(open).unwrap_or_default(),
        }
    };
    for (id, n) in &news {
        match olds.get(id) {
            None => rv.sessions_added.push(change(None, Some(n))),
            Some(o) => {
                if n.status == Status::Complete && o.status != Status::Complete {
                    rv.newly_complete.push(change(Some(o), Some(n)));
                } else if n.status == Status::Incomplete && o.status == Status::Incomplete {
                    rv.still_incomplete.push(change(Some(o), Some(n)));
                } else if rank(n.status) > rank(o.status) {
                    rv.newly_incomplete.push(change(Some(o), Some(n)));
                }
                let codes = |s: &crate::sessions::Session| -> BTreeSet<String> {
                    s.findings
                        .iter()
                        .filter(|f| f.severity != Severity::Info)
                        .map(|f| f.code.clone())
                        .collect()
                };
                let (oc, nc) = (codes(o), codes(n));
                for f in n
                    .findings
                    .iter()
                    .filter(|f| f.severity != Severity::Info && !oc.contains(&f.code))
                {
                    rv.findings_added.push(FindingChange {
                        id: n.id.clone(),
                        path: n.path.clone(),
                        code: f.code.clone(),
                        severity: f.severity,
                        message: f.message.clone(),
                    });
                }
                for f in o
                    .findings
                    .iter()
                    .filter(|f| f.severity != Severity::Info && !nc.contains(&f.code))
                {
                    rv.findings_resolved.push(FindingChange {
                        id: o.id.clone(),
                        path: o.path.clone(),
                        code: f.code.clone(),
                        severity: f.severity,
                        message: f.message.clone(),
                    });
                }
            }
        }
    }
    for (id, o) in &olds {
        if !news.contains_key(id) {
            rv.sessions_removed.push(change(Some(o), None));
        }
    }
    // Documents by path and content hash.
    let hashes = |r: &'_ Report| -> BTreeMap<String, Option<String>> {
        r.documents
            .iter()
            .map(|d| (d.path.clone(), d.hash.clone()))
            .collect()
    };
    let (od, nd) = (hashes(old), hashes(new));
    for (p, h) in &nd {
        match od.get(p.as_str()) {
            None => rv.documents_added.push(p.to_string()),
            Some(oh) if oh != h => rv.documents_changed.push(p.to_string()),
            _ => {}
        }
    }
    for p in od.keys() {
        if !nd.contains_key(p) {
            rv.documents_removed.push(p.to_string());
        }
    }
    // Organisation documents gone stale.
    let old_stale: BTreeSet<(String, String)> = old
        .organisations
        .iter()
        .flat_map(|o| {
            o.findings
                .iter()
                .filter(|f| f.code.ends_with(".stale"))
                .map(move |f| (o.path.clone(), f.code.clone()))
        })
        .collect();
    for o in &new.organisations {
        for f in o.findings.iter().filter(|f| f.code.ends_with(".stale")) {
            if !old_stale.contains(&(o.path.clone(), f.code.clone())) {
                rv.organisation_stale.push(FindingChange {
                    id: o.path.clone(),
                    path: o.path.clone(),
                    code: f.code.clone(),
                    severity: f.severity,
                    message: f.message.clone(),
                });
            }
        }
    }
    rv
}

use crate::report::html_escape as esc;

fn status_label(s: Option<Status>, lang: Lang) -> &'static str {
    match (s, lang) {
        (Some(Status::Complete), Lang::Fr) => "complète",
        (Some(Status::AtRisk), Lang::Fr) => "à risque",
        (Some(Status::Incomplete), Lang::Fr) => "incomplète",
        (None, Lang::Fr) => "—",
        (Some(Status::Complete), Lang::En) => "complete",
        (Some(Status::AtRisk), Lang::En) => "at risk",
        (Some(Status::Incomplete), Lang::En) => "incomplete",
        (None, Lang::En) => "—",
    }
}

/// The review page: short, printable, self-contained.
pub fn html(rv: &Review, lang: Lang, today: &str) -> String {
    let fr = lang == Lang::Fr;
    let t = |a: &'static str, b: &'static str| if fr { a } else { b };
    let mut h = String::new();
    h.push_str(&format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><style>\
         body{{font:14px system-ui,sans-serif;margin:24px;max-width:960px}}h1{{font-size:20px}}\
         h2{{font-size:16px;margin-top:20px}}table{{border-collapse:collapse}}td,th{{border:1px solid #ddd;padding:4px 8px;text-align:left}}\
         .ok{{color:#1a7f37}}.bad{{color:#b42318}}.warn{{color:#9a6700}}.muted{{color:#666}}li{{margin:2px 0}}\
         </style></head><body>",
        if fr { "fr" } else { "en" },
        t("Revue mensuelle des preuves Qualiopi", "Monthly review of the Qualiopi evidence")
    ));
    h.push_str(&format!(
        "<h1>{}</h1><p>{} <b>{}</b>. {} <code>{}</code>.</p>",
        t(
            "Revue mensuelle des preuves Qualiopi",
            "Monthly review of the Qualiopi evidence"
        ),
        t("Revue du", "Review of"),
        esc(today),
        t("Dossier", "Folder"),
        esc(&rv.new.root)
    ));
    h.push_str(&format!(
        "<table><tr><th></th><th>{}</th><th>{}</th></tr>\
         <tr><td>{}</td><td>{}</td><td>{}</td></tr>\
         <tr><td>{}</td><td>{}</td><td>{}</td></tr>\
         <tr><td>{}</td><td>{}</td><td>{}</td></tr>\
         <tr><td>{}</td><td class=ok>{}</td><td class=ok>{}</td></tr>\
         <tr><td>{}</td><td class=warn>{}</td><td class=warn>{}</td></tr>\
         <tr><td>{}</td><td class=bad>{}</td><td class=bad>{}</td></tr></table>",
        t("analyse précédente", "previous scan"),
        t("analyse actuelle", "current scan"),
        t("date", "date"),
        esc(&rv.old.date),
        esc(&rv.new.date),
        t("référentiel (date d'audit)", "referential (audit date)"),
        esc(&format!("{} ({})", rv.old.referentiel, rv.old.audit_date)),
        esc(&format!("{} ({})", rv.new.referentiel, rv.new.audit_date)),
        t("sessions", "sessions"),
        rv.old.sessions,
        rv.new.sessions,
        t("complètes", "complete"),
        rv.old.complete,
        rv.new.complete,
        t("à risque", "at risk"),
        rv.old.at_risk,
        rv.new.at_risk,
        t("incomplètes", "incomplete"),
        rv.old.incomplete,
        rv.new.incomplete,
    ));
    let sessions = |h: &mut String, title: &str, list: &[SessionChange], class: &str| {
        h.push_str(&format!("<h2>{} ({})</h2>", esc(title), list.len()));
        if list.is_empty() {
            h.push_str(&format!("<p class=muted>{}</p>", t("Aucune.", "None.")));
            return;
        }
        h.push_str("<ul>");
        for s in list {
            h.push_str(&format!(
                "<li class={class}><b>{}</b> — {} → {}{}</li>",
                esc(&s.path),
                status_label(s.old_status, lang),
                status_label(s.new_status, lang),
                if s.open.is_empty() {
                    String::new()
                } else {
                    format!(" <span class=muted>({})</span>", esc(&s.open.join(", ")))
                }
            ));
        }
        h.push_str("</ul>");
    };
    sessions(
        &mut h,
        t("Sessions devenues complètes", "Sessions now complete"),
        &rv.newly_complete,
        "ok",
    );
    sessions(
        &mut h,
        t("Sessions qui se sont dégradées", "Sessions that got worse"),
        &rv.newly_incomplete,
        "bad",
    );
    sessions(
        &mut h,
        &if fr {
            format!(
                "Sessions toujours incomplètes (au moins depuis le {})",
                rv.old.date
            )
        } else {
            format!("Sessions still incomplete (since at least {})", rv.old.date)
        },
        &rv.still_incomplete,
        "bad",
    );
    sessions(
        &mut h,
        t("Nouvelles sessions", "New sessions"),
        &rv.sessions_added,
        "",
    );
    let findings = |h: &mut String, title: &str, list: &[FindingChange], class: &str| {
        h.push_str(&format!("<h2>{} ({})</h2>", esc(title), list.len()));
        if list.is_empty() {
            h.push_str(&format!("<p class=muted>{}</p>", t("Aucun.", "None.")));
            return;
        }
        h.push_str("<ul>");
        for f in list {
            h.push_str(&format!(
                "<li class={class}><b>{}</b> — {} <span class=muted>({})</span></li>",
                esc(&f.path),
                esc(&f.message),
                esc(&f.code)
            ));
        }
        h.push_str("</ul>");
    };
    findings(
        &mut h,
        t("Constats nouveaux", "New findings"),
        &rv.findings_added,
        "bad",
    );
    findings(
        &mut h,
        t("Constats levés", "Findings resolved"),
        &rv.findings_resolved,
        "ok",
    );
    findings(
        &mut h,
        t(
            "Documents de l'organisme devenus obsolètes",
            "Organisation documents gone stale",
        ),
        &rv.organisation_stale,
        "warn",
    );
    h.push_str(&format!(
        "<h2>{}</h2><p>{} : {} · {} : {} · {} : {}</p>",
        t("Documents", "Documents"),
        t("ajoutés", "added"),
        rv.documents_added.len(),
        t("modifiés", "changed"),
        rv.documents_changed.len(),
        t("retirés", "removed"),
        rv.documents_removed.len()
    ));
    for (title, list) in [
        (t("Ajoutés", "Added"), &rv.documents_added),
        (t("Modifiés", "Changed"), &rv.documents_changed),
        (t("Retirés", "Removed"), &rv.documents_removed),
    ] {
        if !list.is_empty() {
            h.push_str(&format!("<details><summary>{title}</summary><ul>"));
            for p in list {
                h.push_str(&format!("<li><code>{}</code></li>", esc(p)));
            }
            h.push_str("</ul></details>");
        }
    }
    h.push_str(&format!(
        "<p class=muted>{} preuves {} — {}</p></body></html>",
        t("Généré par", "Generated by"),
        env!("CARGO_PKG_VERSION"),
        t(
            "à classer comme preuve de la revue (amélioration continue, indicateur 32).",
            "file it as proof of the review (continuous improvement, indicator 32)."
        )
    ));
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sessions::{Finding, Session};

    fn session(id: &str, status: Status, codes: &[&str]) -> Session {
        Session {
            id: id.into(),
            path: format!("2025/{id}"),
            status,
            findings: codes
                .iter()
                .map(|c| Finding {
                    code: c.to_string(),
                    severity: Severity::Blocking,
                    message: format!("{c} message"),
                    message_en: String::new(),
                    indicators: Vec::new(),
                    documents: Vec::new(),
                })
                .collect(),
            ..Session::default()
        }
    }

    fn report(sessions: Vec<Session>) -> Report {
        let mut r = Report::build(
            Path::new("archive"),
            &crate::rules::RuleSet::default(),
            Default::default(),
            sessions,
            Vec::new(),
            Vec::new(),
            0,
            std::time::Duration::ZERO,
        );
        r.summary.sessions = r.sessions.len();
        r
    }

    #[test]
    fn sessions_and_findings_are_compared_by_id_and_code() {
        let old = report(vec![
            session("a", Status::Incomplete, &["convention.missing"]),
            session("b", Status::Incomplete, &["attendance.missing"]),
            session("c", Status::Complete, &[]),
        ]);
        let new = report(vec![
            session("a", Status::Complete, &[]),
            session("b", Status::Incomplete, &["attendance.missing"]),
            session("c", Status::Incomplete, &["convention.unsigned"]),
            session("d", Status::Complete, &[]),
        ]);
        let p = Path::new("r.json");
        let rv = compare(&old, p, "2026-11-02".into(), &new, p, "2026-12-02".into());
        let ids = |l: &[SessionChange]| l.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&rv.newly_complete), vec!["a"]);
        assert_eq!(ids(&rv.still_incomplete), vec!["b"]);
        assert_eq!(ids(&rv.newly_incomplete), vec!["c"]);
        assert_eq!(ids(&rv.sessions_added), vec!["d"]);
        assert_eq!(rv.findings_resolved.len(), 1);
        assert_eq!(rv.findings_resolved[0].code, "convention.missing");
        assert_eq!(rv.findings_added.len(), 1);
        assert_eq!(rv.findings_added[0].code, "convention.unsigned");
        let page = html(&rv, Lang::Fr, "2 décembre 2026");
        assert!(page.contains("Sessions devenues complètes (1)"));
        assert!(page.contains("au moins depuis le 2026-11-02"));
    }
}
