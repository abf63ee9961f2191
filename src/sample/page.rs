//! The sample's files: `sample.json` (the draw and the drawn sessions' full results),
//! `sample.html` (French, printable: the sample listed by category of action, then one page per
//! drawn session as a checklist to work through), `sample.csv` (`;`, UTF-8 with BOM) and the
//! action plan restricted to the sample (`actions.csv`, `actions.xlsx`).
//!
//! Built from the report's own helpers (escaping, dates, labels, checklist, links, CSV writer,
//! action plan); writes only into the output folder.

use super::{Sample, restrict};
use crate::document::Document;
use crate::report::html::{
    HtmlOptions, checklist, format_date, href, kind_label, month_label, sig_label,
};
use crate::report::{Lang, Report, RulesInfo, Tool, html_escape as esc};
use crate::rules::RuleSet;
use crate::sessions::{Session, Severity, Status};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// `sample.json`: the draw, then the drawn sessions (in the order of the draw) and their
/// documents, as in `report.json`.
#[derive(Serialize)]
pub struct SampleFile<'a> {
    pub tool: &'a Tool,
    pub root: &'a str,
    pub rules: &'a RulesInfo,
    #[serde(flatten)]
    pub sample: &'a Sample,
    pub sessions: Vec<&'a Session>,
    pub documents: Vec<std::borrow::Cow<'a, Document>>,
}

fn drawn_sessions<'a>(report: &'a Report, sample: &Sample) -> Vec<&'a Session> {
    let by_id: BTreeMap<&str, &Session> =
        report.sessions.iter().map(|s| (s.id.as_str(), s)).collect();
    sample
        .drawn
        .iter()
        .filter_map(|d| by_id.get(d.session.as_str()).copied())
        .collect()
}

pub fn json(report: &Report, sample: &Sample) -> String {
    let sessions = drawn_sessions(report, sample);
    let documents = report.documents.load(report.documents.which(|d| {
        d.session
            .as_deref()
            .is_some_and(|id| sessions.iter().any(|s| s.id == id))
    }));
    let f = SampleFile {
        tool: &report.tool,
        root: &report.root,
        rules: &report.rules,
        sample,
        sessions,
        documents,
    };
    serde_json::to_string_pretty(&f).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

fn status_fr(s: Status) -> &'static str {
    match s {
        Status::Complete => "complète",
        Status::AtRisk => "à risque",
        Status::Incomplete => "incomplète",
    }
}

fn period(s: &Session) -> String {
    match (&s.start, &s.end) {
        (Some(a), Some(b)) if a != b => format!(
            "{} → {}",
            format_date(a, Lang::Fr),
            format_date(b, Lang::Fr)
        ),
        (Some(a), _) => format_date(a, Lang::Fr),
        _ => "non datée".into(),
    }
}

fn title(s: &Session) -> String {
    s.title
        .clone()
        .unwrap_or_else(|| s.path.rsplit('/').next().unwrap_or("").to_string())
}

/// `sample.csv`: one row per drawn session, in the order of the draw.
pub fn csv(report: &Report, sample: &Sample) -> Vec<u8> {
    let mut w = crate::report::csv::writer();
    let _ = w.write_record([
        "ordre",
        "catégorie",
        "strate",
        "population de la strate",
        "session",
        "dossier",
        "formation",
        "client",
        "formateurs",
        "début",
        "fin",
        "statut",
        "pièces manquantes",
        "constats bloquants",
        "raisons du tirage",
    ]);
    let sessions = drawn_sessions(report, sample);
    for (d, s) in sample.drawn.iter().zip(sessions) {
        let stratum = sample.strata.iter().find(|x| x.id == d.stratum);
        let missing: Vec<&str> = s.missing.iter().map(|k| k.label_fr()).collect();
        let blocking = s
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Blocking)
            .count();
        let _ = w.write_record([
            d.order.to_string().as_str(),
            stratum.map_or("", |x| x.category.as_str()),
            stratum.map_or("", |x| x.label.as_str()),
            stratum
                .map(|x| x.population.to_string())
                .unwrap_or_default()
                .as_str(),
            s.id.as_str(),
            s.path.as_str(),
            title(s).as_str(),
            s.client.as_deref().unwrap_or(""),
            s.trainers.join(", ").as_str(),
            s.start.as_deref().unwrap_or(""),
            s.end.as_deref().unwrap_or(""),
            status_fr(s.status),
            missing.join(", ").as_str(),
            blocking.to_string().as_str(),
            d.reasons.join(" ; ").as_str(),
        ]);
    }
    crate::report::csv::finish(w)
}

const CSS: &str = "body{font:13px system-ui,sans-serif;margin:24px;max-width:980px;color:#111}\
h1{font-size:20px}h2{font-size:16px;margin:18px 0 6px}h3{font-size:14px;margin:12px 0 4px}\
table{border-collapse:collapse;width:100%;margin:4px 0}td,th{border:1px solid #ccc;padding:3px 6px;\
text-align:left;vertical-align:top}th{background:#f3f3f3}.muted{color:#666}.ok{color:#1a7f37}\
.bad{color:#b42318}.warn{color:#9a6700}ul{margin:4px 0;padding-left:20px}\
section.session{break-before:page;page-break-before:always}\
td.box{width:22px;text-align:center}.lines{border:1px solid #ccc;height:110px}\
.verdict label{margin-right:18px}\
@page{size:A4;margin:14mm}@media print{body{margin:0;max-width:none}a{color:inherit}}";

/// `sample.html`: French, printable.
pub fn html(report: &Report, sample: &Sample, rules: &RuleSet, o: &HtmlOptions) -> String {
    // The page is French whatever `o.lang` (an audit file); only its links come from `o`.
    let lang = Lang::Fr;
    let today = crate::rules::french_date(&crate::rules::today().to_string());
    let mut h = String::new();
    h.push_str(&format!(
        "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\">\
         <title>Échantillon d'audit Qualiopi</title><style>{CSS}</style></head><body>"
    ));
    h.push_str(&format!(
        "<h1>Échantillon d'audit Qualiopi</h1><table class=meta>\
         <tr><th>Dossier analysé</th><td><code>{}</code></td></tr>\
         <tr><th>Tiré le</th><td>{}</td></tr>\
         <tr><th>Référentiel</th><td>{} — {}</td></tr>\
         <tr><th>Période</th><td>{}</td></tr>\
         <tr><th>Population</th><td>{} sessions dans la période ({} hors période, {} non datées \
         gardées) en {} strates</td></tr>\
         <tr><th>Taille</th><td>{} sessions — {}</td></tr>\
         <tr><th>Lecture</th><td>{}</td></tr>\
         <tr><th>Graine</th><td><b>{}</b> (<code>--seed {}</code> redonne le même échantillon)</td></tr>\
         </table>",
        esc(&report.root),
        esc(&today),
        esc(&report.rules.referentiel),
        esc(&report.rules.reason),
        esc(&period_text(sample)),
        sample.population,
        sample.outside_period,
        sample.undated,
        sample.strata.len(),
        sample.size,
        esc(&sample.rule),
        esc(&sample.reading),
        sample.seed,
        sample.seed,
    ));
    // The sample listed by category, as the audit report must.
    h.push_str("<h2>Échantillon par catégorie d'action</h2>");
    let by_id: BTreeMap<&str, &Session> =
        report.sessions.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut categories: Vec<&str> = Vec::new();
    for st in &sample.strata {
        if !categories.contains(&st.category.as_str()) {
            categories.push(&st.category);
        }
    }
    for c in categories {
        h.push_str(&format!("<h3>{}</h3><table class=by-category><thead><tr><th>Strate</th><th>Sessions</th>\
             <th>N°</th><th>Session tirée</th><th>Client</th><th>Période</th><th>Preuves</th></tr></thead><tbody>",
            esc(c)));
        for st in sample.strata.iter().filter(|s| s.category == c) {
            if st.drawn.is_empty() {
                h.push_str(&format!(
                    "<tr class=not-drawn><td>{}</td><td>{}</td><td colspan=5 class=warn>aucune \
                     session tirée (taille inférieure au nombre de strates)</td></tr>",
                    esc(&st.modality.join(" · ")),
                    st.population
                ));
            }
            for (i, id) in st.drawn.iter().enumerate() {
                let (Some(s), Some(d)) = (
                    by_id.get(id.as_str()),
                    sample.drawn.iter().find(|d| &d.session == id),
                ) else {
                    continue;
                };
                let strat = if i == 0 {
                    format!(
                        "<td rowspan={n}>{}</td><td rowspan={n}>{}</td>",
                        esc(&st.modality.join(" · ")),
                        st.population,
                        n = st.drawn.len()
                    )
                } else {
                    String::new()
                };
                h.push_str(&format!(
                    "<tr class=drawn>{strat}<td>{}</td><td><a href=\"#s{}\">{}</a><br>\
                     <span class=muted>{}</span></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    d.order,
                    d.order,
                    esc(&title(s)),
                    esc(&s.path),
                    esc(s.client.as_deref().unwrap_or("")),
                    esc(&period(s)),
                    status_fr(s.status)
                ));
            }
        }
        h.push_str("</tbody></table>");
    }
    // One page per drawn session.
    for d in &sample.drawn {
        let Some(s) = by_id.get(d.session.as_str()) else {
            continue;
        };
        let stratum = sample.strata.iter().find(|x| x.id == d.stratum);
        h.push_str(&session_page(
            report,
            s,
            d,
            sample.size,
            stratum,
            rules,
            o,
            lang,
        ));
    }
    h.push_str(&format!(
        "<p class=muted>Généré par preuves {} — l'échantillon d'un auditeur n'est pas annoncé \
         à l'avance : celui-ci sert à s'y préparer.</p></body></html>",
        env!("CARGO_PKG_VERSION")
    ));
    h
}

fn period_text(sample: &Sample) -> String {
    let f = |d: &Option<String>| d.as_deref().map(crate::rules::french_date);
    match (f(&sample.since), f(&sample.until)) {
        (Some(a), Some(b)) => format!("du {a} au {b}"),
        (Some(a), None) => format!("depuis le {a} (dernier audit : formations nouvelles d'abord)"),
        (None, Some(b)) => format!("jusqu'au {b}"),
        (None, None) => "toute l'archive".into(),
    }
}

#[allow(clippy::too_many_arguments)]
fn session_page(
    report: &Report,
    s: &Session,
    d: &super::Drawn,
    total: usize,
    stratum: Option<&super::Stratum>,
    rules: &RuleSet,
    o: &HtmlOptions,
    lang: Lang,
) -> String {
    let loaded = report.documents.load(
        report
            .documents
            .which(|x| x.session.as_deref() == Some(s.id.as_str())),
    );
    let docs = crate::store::refs(&loaded);
    let link = |p: &str| {
        let url = href(p, o);
        if url.is_empty() {
            format!("<code>{}</code>", esc(p))
        } else {
            format!("<a href=\"{}\"><code>{}</code></a>", esc(&url), esc(p))
        }
    };
    let doc_line = |x: &Document| {
        format!(
            "{} — {} ({})",
            link(&x.path),
            esc(kind_label(x.kind, lang)),
            sig_label(x.signature.status, lang)
        )
    };
    let mut h = format!(
        "<section class=session id=\"s{}\"><h2>Session {} / {} — {}</h2><table>\
         <tr><th>Dossier</th><td><code>{}</code></td></tr>\
         <tr><th>Client</th><td>{}</td></tr>\
         <tr><th>Période</th><td>{}{}</td></tr>\
         <tr><th>Formateurs</th><td>{}</td></tr>\
         <tr><th>Stagiaires</th><td>{}</td></tr>\
         <tr><th>Strate</th><td>{}</td></tr>\
         <tr><th>Pourquoi cette session</th><td><ul>{}</ul></td></tr>\
         <tr><th>Verdict de preuves</th><td class={}>{}</td></tr></table>",
        d.order,
        d.order,
        total,
        esc(&title(s)),
        esc(&s.path),
        esc(s.client.as_deref().unwrap_or("non trouvé")),
        esc(&period(s)),
        s.start
            .as_deref()
            .map(|m| format!(" ({})", month_label(&m[..m.len().min(7)], lang)))
            .unwrap_or_default(),
        esc(&if s.trainers.is_empty() {
            "non trouvés".to_string()
        } else {
            s.trainers.join(", ")
        }),
        esc(&match s.trainees.len() {
            0 => "non trouvés".to_string(),
            n if n <= 12 => format!("{n} : {}", s.trainees.join(", ")),
            n => format!("{n} : {}…", s.trainees[..12].join(", ")),
        }),
        esc(stratum.map_or("", |x| x.label.as_str())),
        d.reasons
            .iter()
            .map(|r| format!("<li>{}</li>", esc(r)))
            .collect::<String>(),
        match s.status {
            Status::Complete => "ok",
            Status::AtRisk => "warn",
            Status::Incomplete => "bad",
        },
        status_fr(s.status),
    );
    h.push_str(
        "<h3>Pièces à vérifier</h3><table class=checklist><thead><tr><th></th><th>Pièce attendue\
         </th><th>Ce que preuves a trouvé</th><th>Indicateurs</th></tr></thead><tbody>",
    );
    let mut shown: Vec<&str> = Vec::new();
    for (r, item) in rules.requirement.iter().zip(checklist(s, rules, lang)) {
        let kinds = if s.distance && !r.distance_kinds.is_empty() {
            &r.distance_kinds
        } else {
            &r.kinds
        };
        let found: Vec<&&Document> = docs.iter().filter(|x| kinds.contains(&x.kind)).collect();
        shown.extend(found.iter().map(|x| x.path.as_str()));
        let what = if found.is_empty() {
            if item.ok {
                "<span class=muted>rien de ce type (sans objet ou couvert autrement)</span>"
                    .to_string()
            } else {
                "<span class=bad>manquante</span>".to_string()
            }
        } else {
            found
                .iter()
                .map(|x| doc_line(x))
                .collect::<Vec<_>>()
                .join("<br>")
        };
        h.push_str(&format!(
            "<tr class=check><td class=box><input type=checkbox></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&item.label),
            what,
            esc(&item.indicators)
        ));
    }
    h.push_str("</tbody></table>");
    let findings: Vec<_> = s
        .findings
        .iter()
        .chain(s.funder_findings.iter())
        .filter(|f| f.severity != Severity::Info)
        .collect();
    h.push_str(&format!(
        "<h3>Constats de preuves ({})</h3>",
        findings.len()
    ));
    if findings.is_empty() {
        h.push_str("<p class=muted>Aucun constat bloquant ni avertissement.</p>");
    } else {
        h.push_str("<table class=findings><tbody>");
        for f in findings {
            h.push_str(&format!(
                "<tr class=check><td class=box><input type=checkbox></td><td class={}>{}</td>\
                 <td>{}</td><td>{}</td></tr>",
                if f.severity == Severity::Blocking {
                    "bad"
                } else {
                    "warn"
                },
                if f.severity == Severity::Blocking {
                    "bloquant"
                } else {
                    "avertissement"
                },
                esc(f.message_in(lang)),
                esc(&crate::report::indicator_list(&f.indicators))
            ));
        }
        h.push_str("</tbody></table>");
    }
    let others: Vec<&&Document> = docs
        .iter()
        .filter(|x| !shown.contains(&x.path.as_str()))
        .collect();
    if !others.is_empty() {
        h.push_str(&format!(
            "<h3>Autres documents de la session ({})</h3><ul>",
            others.len()
        ));
        for x in others {
            h.push_str(&format!("<li>{}</li>", doc_line(x)));
        }
        h.push_str("</ul>");
    }
    h.push_str(
        "<h3>Observations de l'auditeur</h3><div class=lines></div>\
         <p class=verdict><b>Conclusion :</b> <label><input type=checkbox> Conforme</label>\
         <label><input type=checkbox> NC mineure</label><label><input type=checkbox> NC majeure\
         </label><label><input type=checkbox> Non évalué</label></p></section>",
    );
    h
}

/// Writes sample.json, sample.html, sample.csv and the action plan of the sample
/// (actions.csv, actions.xlsx, in `o.lang`; the page is French) into `out`.
pub fn write_all(
    out: &Path,
    report: &Report,
    sample: &Sample,
    rules: &RuleSet,
    o: &HtmlOptions,
) -> std::io::Result<Vec<PathBuf>> {
    use crate::report::{actions, write_atomic};
    std::fs::create_dir_all(out)?;
    let restricted = restrict(report, sample);
    let files = [
        ("sample.json", json(report, sample).into_bytes()),
        ("sample.html", html(report, sample, rules, o).into_bytes()),
        ("sample.csv", csv(report, sample)),
        ("actions.csv", actions::actions_csv(&restricted, o.lang)),
        ("actions.xlsx", {
            let mut xlsx = Vec::new();
            actions::actions_xlsx(&restricted, o.lang, &mut xlsx).map_err(std::io::Error::other)?;
            xlsx
        }),
    ];
    let mut written = Vec::new();
    for (name, bytes) in files {
        let p = out.join(name);
        write_atomic(&p, &bytes)?;
        written.push(p);
    }
    Ok(written)
}
