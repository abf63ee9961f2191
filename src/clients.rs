//! A consultant's scan of many client organisations (`preuves scan ROOT --clients`): each
//! top-level folder or zip file of ROOT is one client, scanned on its own (a zip is read in
//! place through the zip extractor, nothing is unpacked), with its reports in `OUT/<client>/`,
//! and an index comparing them (`OUT/index.html`, `OUT/index.csv`).

use crate::report::html::HtmlOptions;
use crate::report::{Lang, Report};
use crate::rules::indicators::Verdict;
use crate::{Progress, ScanOptions};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One client of the folder: a sub-folder or a zip file.
#[derive(Clone, Debug, PartialEq)]
pub struct Client {
    pub name: String,
    /// The folder scanned (the client's folder, or ROOT for a zip).
    pub root: PathBuf,
    /// For a zip: its path, the only entry of ROOT walked.
    pub zip: Option<PathBuf>,
}

/// The clients under `root`: its sub-folders and zip files, sorted, system files left out.
pub fn list(root: &Path) -> std::io::Result<Vec<Client>> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(root)?.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || crate::walk::system_file_reason(&name).is_some() {
            continue;
        }
        let path = e.path();
        if path.is_dir() {
            out.push(Client {
                name,
                root: path,
                zip: None,
            });
        } else if name.to_lowercase().ends_with(".zip") {
            out.push(Client {
                name: name[..name.len() - 4].to_string(),
                root: root.to_path_buf(),
                zip: Some(path),
            });
        }
    }
    Ok(out)
}

/// A client's line in the index.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct IndexRow {
    pub client: String,
    /// The client's report folder, relative to OUT.
    pub folder: String,
    pub sessions: usize,
    pub complete: usize,
    pub at_risk: usize,
    pub incomplete: usize,
    pub documents: usize,
    pub errors: usize,
    /// The most frequent missing kinds, with their counts.
    pub top_missing: Vec<(String, usize)>,
    /// Organisation-level blocking/warning findings.
    pub organisation_findings: usize,
    pub conforme: usize,
    pub nc_mineure: usize,
    pub nc_majeure: usize,
    /// Why the client could not be scanned.
    pub error: Option<String>,
}

/// A folder name safe on every file system.
pub fn folder_name(client: &str) -> String {
    let s: String = client
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let s = s.trim().trim_matches('.').to_string();
    if s.is_empty() { "client".into() } else { s }
}

/// Summarises one client's report.
pub fn row(client: &str, folder: &str, r: &Report, lang: Lang) -> IndexRow {
    let mut missing: BTreeMap<String, usize> = BTreeMap::new();
    for s in &r.sessions {
        for k in &s.missing {
            let label = match lang {
                Lang::Fr => k.label_fr(),
                Lang::En => k.label_en(),
            };
            *missing.entry(label.to_string()).or_default() += 1;
        }
    }
    let mut top: Vec<(String, usize)> = missing.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    top.truncate(3);
    let count = |v: Verdict| r.indicators.iter().filter(|i| i.verdict == v).count();
    IndexRow {
        client: client.to_string(),
        folder: folder.to_string(),
        sessions: r.summary.sessions,
        complete: r.summary.complete,
        at_risk: r.summary.at_risk,
        incomplete: r.summary.incomplete,
        documents: r.summary.documents,
        errors: r.summary.errors,
        top_missing: top,
        organisation_findings: r
            .organisations
            .iter()
            .flat_map(|o| o.findings.iter())
            .filter(|f| f.severity != crate::sessions::Severity::Info)
            .count(),
        conforme: count(Verdict::Conforme),
        nc_mineure: count(Verdict::NcMineure),
        nc_majeure: count(Verdict::NcMajeure),
        error: None,
    }
}

/// Scans every client and writes its reports; returns the index rows.
pub fn scan_all(
    root: &Path,
    out: &Path,
    options: &ScanOptions,
    html: &HtmlOptions,
    progress: &dyn Progress,
) -> std::io::Result<Vec<IndexRow>> {
    let mut rows = Vec::new();
    for c in list(root)? {
        let folder = folder_name(&c.name);
        let dir = out.join(&folder);
        let mut opts = options.clone();
        if let Some(z) = &c.zip {
            opts.walk.only = vec![z.clone()];
            opts.sessions.zip_as_folder = true;
        }
        match crate::scan(&c.root, &opts, progress) {
            Ok(report) => {
                std::fs::create_dir_all(&dir)?;
                // Links open the client's files from its report folder.
                let mut h = html.clone();
                h.link_base = crate::report::relative_link_base(&dir, &c.root);
                report.write_all(&dir, &opts.rules, &h, opts.jobs())?;
                rows.push(row(&c.name, &folder, &report, html.lang));
            }
            Err(e) => rows.push(IndexRow {
                client: c.name.clone(),
                folder,
                sessions: 0,
                complete: 0,
                at_risk: 0,
                incomplete: 0,
                documents: 0,
                errors: 0,
                top_missing: Vec::new(),
                organisation_findings: 0,
                conforme: 0,
                nc_mineure: 0,
                nc_majeure: 0,
                error: Some(e.message),
            }),
        }
    }
    std::fs::write(out.join("index.csv"), index_csv(&rows, html.lang))?;
    std::fs::write(out.join("index.html"), index_html(&rows, html.lang, root))?;
    Ok(rows)
}

fn missing_text(r: &IndexRow) -> String {
    r.top_missing
        .iter()
        .map(|(k, n)| format!("{k} ×{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `index.csv`: one row per client (`;`, UTF-8 with BOM).
pub fn index_csv(rows: &[IndexRow], lang: Lang) -> Vec<u8> {
    let mut w = crate::report::csv::writer();
    let header: [&str; 12] = match lang {
        Lang::Fr => [
            "client",
            "rapport",
            "sessions",
            "complètes",
            "à risque",
            "incomplètes",
            "documents",
            "erreurs de lecture",
            "pièces manquantes les plus fréquentes",
            "constats organisme",
            "indicateurs conformes / NC mineures / NC majeures",
            "erreur",
        ],
        Lang::En => [
            "client",
            "report",
            "sessions",
            "complete",
            "at risk",
            "incomplete",
            "documents",
            "read errors",
            "most frequent missing pieces",
            "organisation findings",
            "indicators compliant / minor NC / major NC",
            "error",
        ],
    };
    let _ = w.write_record(header);
    for r in rows {
        let _ = w.write_record([
            r.client.clone(),
            format!("{}/report.html", r.folder),
            r.sessions.to_string(),
            r.complete.to_string(),
            r.at_risk.to_string(),
            r.incomplete.to_string(),
            r.documents.to_string(),
            r.errors.to_string(),
            missing_text(r),
            r.organisation_findings.to_string(),
            format!("{} / {} / {}", r.conforme, r.nc_mineure, r.nc_majeure),
            r.error.clone().unwrap_or_default(),
        ]);
    }
    crate::report::csv::finish(w)
}

use crate::report::html_escape as esc;

/// `index.html`: the clients side by side, each linked to its report.
pub fn index_html(rows: &[IndexRow], lang: Lang, root: &Path) -> String {
    let fr = lang == Lang::Fr;
    let t = |a: &'static str, b: &'static str| if fr { a } else { b };
    let mut h = format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><style>\
         body{{font:14px system-ui,sans-serif;margin:24px}}table{{border-collapse:collapse}}\
         td,th{{border:1px solid #ddd;padding:4px 8px;text-align:left}}th{{background:#f4f4f4}}\
         .ok{{color:#1a7f37}}.bad{{color:#b42318}}.warn{{color:#9a6700}}.num{{text-align:right}}\
         </style></head><body><h1>{}</h1><p>{} <code>{}</code> — {} {}</p><table><thead><tr>",
        if fr { "fr" } else { "en" },
        t("Clients — preuves Qualiopi", "Clients — Qualiopi evidence"),
        t("Clients — preuves Qualiopi", "Clients — Qualiopi evidence"),
        t("Dossier", "Folder"),
        esc(&root.to_string_lossy()),
        rows.len(),
        t("client(s)", "client(s)")
    );
    for head in [
        t("Client", "Client"),
        t("Sessions", "Sessions"),
        t("Complètes", "Complete"),
        t("À risque", "At risk"),
        t("Incomplètes", "Incomplete"),
        t(
            "Pièces manquantes les plus fréquentes",
            "Most frequent missing pieces",
        ),
        t("Constats organisme", "Organisation findings"),
        t("Indicateurs C / m / M", "Indicators C / m / M"),
        t("Erreurs de lecture", "Read errors"),
    ] {
        h.push_str(&format!("<th>{head}</th>"));
    }
    h.push_str("</tr></thead><tbody>");
    for r in rows {
        let name = match &r.error {
            None => format!(
                "<a href=\"{}/report.html\">{}</a>",
                esc(&r.folder),
                esc(&r.client)
            ),
            Some(e) => format!("{} <span class=bad>({})</span>", esc(&r.client), esc(e)),
        };
        h.push_str(&format!(
            "<tr><td>{name}</td><td class=num>{}</td><td class='num ok'>{}</td><td class='num warn'>{}</td>\
             <td class='num bad'>{}</td><td>{}</td><td class=num>{}</td><td>{} / {} / {}</td><td class=num>{}</td></tr>",
            r.sessions,
            r.complete,
            r.at_risk,
            r.incomplete,
            esc(&missing_text(r)),
            r.organisation_findings,
            r.conforme,
            r.nc_mineure,
            r.nc_majeure,
            r.errors
        ));
    }
    h.push_str(&format!(
        "</tbody></table><p style=\"color:#666\">{} — {}</p></body></html>",
        t(
            "C : conformes, m : NC mineures, M : NC majeures",
            "C: compliant, m: minor NC, M: major NC"
        ),
        t("généré par preuves", "generated by preuves")
    ));
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_folder_names_are_safe() {
        assert_eq!(folder_name("Client: A/B"), "Client_ A_B");
        assert_eq!(folder_name(".."), "client");
    }
}
