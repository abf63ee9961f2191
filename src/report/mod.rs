//! The report: what `scan` found, in the shape of ../shared/report-contract.md.
//!
//! `report.json` is a public interface (other programs read it): the contract's field names and
//! meanings never change without raising `schema_version`; the JSON Schema published in
//! `schema/report.schema.json` is checked by a test. `report.html` (French by default) and
//! `report.csv` (`;`, UTF-8 with BOM, for French Excel) are rendered from the same `Report`.
//!
//! Output is deterministic: documents sorted by path, sessions by path, ids derived from paths;
//! only `summary.elapsed_ms` varies between two runs on the same archive.

pub mod actions;
pub mod csv;
pub mod html;

use crate::sessions::{Session, Status};
use crate::store::Documents;
use crate::walk::Skipped;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

pub const SCHEMA_VERSION: &str = "1";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
    /// Version of the classifier's vocabulary (`src/understand/kinds.toml`): a report made
    /// with another vocabulary may classify documents differently.
    pub kinds_vocabulary: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RulesInfo {
    pub id: String,
    pub version: String,
    /// The audit date the référentiel was chosen for (`YYYY-MM-DD`).
    #[serde(default)]
    pub audit_date: String,
    /// The référentiel judged (`rnq-v9`, `rnq-2026`).
    #[serde(default)]
    pub referentiel: String,
    /// Parts of the référentiel are not settled (e.g. its reading guide was not published).
    #[serde(default)]
    pub provisional: bool,
    /// Why this référentiel (French), and in English.
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub reason_en: String,
    /// Categories of action the organisation is audited for (`af`, `bilan`, `vae`, `cfa`).
    #[serde(default)]
    pub categories: Vec<String>,
}

impl RulesInfo {
    pub fn new(
        rules: &crate::rules::RuleSet,
        audit: &crate::rules::Audit,
        reason: Option<&(String, String)>,
    ) -> RulesInfo {
        let day = audit.date.to_string();
        let (fr, en) = match reason {
            Some((fr, en)) => (fr.clone(), en.clone()),
            None => {
                let (_, fr, en) = crate::rules::RuleSet::for_audit_date(audit.date);
                if crate::rules::RuleSet::for_audit_date(audit.date).0.id == rules.id {
                    (fr, en)
                } else {
                    (
                        format!("jeu de règles {} choisi explicitement", rules.id),
                        format!("rule set {} chosen explicitly", rules.id),
                    )
                }
            }
        };
        let given = |fr: String, en: String| {
            if audit.date_given {
                (fr, en)
            } else {
                (
                    format!("{fr} (date d'audit : aujourd'hui)"),
                    format!("{en} (audit date: today)"),
                )
            }
        };
        let (reason, reason_en) = given(fr, en);
        RulesInfo {
            id: rules.id.clone(),
            version: rules.version.clone(),
            audit_date: day,
            referentiel: rules.referentiel_id().to_string(),
            provisional: rules.provisional(),
            reason,
            reason_en,
            categories: audit
                .categories
                .iter()
                .map(|c| c.id().to_string())
                .collect(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Summary {
    /// Entries in `documents` (files on disk plus documents inside containers).
    pub documents: usize,
    pub sessions: usize,
    pub complete: usize,
    pub at_risk: usize,
    pub incomplete: usize,
    /// Documents with at least one error.
    pub errors: usize,
    pub elapsed_ms: u64,
    /// Files found on disk and read (containers' members not counted).
    pub files: usize,
    /// System and lock files found and deliberately not read (listed in `skipped`).
    pub skipped: usize,
    /// Documents found inside containers (zip members, e-mail attachments).
    pub embedded: usize,
    pub scanned: usize,
    /// Scanned pages left without text (OCR not installed, disabled, failed or too slow); each
    /// such document says which pages and why in its `warnings`.
    #[serde(default)]
    pub pages_not_read: usize,
    pub bytes: u64,
    pub by_format: BTreeMap<String, usize>,
    pub by_kind: BTreeMap<String, usize>,
    pub by_error: BTreeMap<String, usize>,
    /// The results cache: where, and how many files and documents came from it (absent with
    /// `--no-cache` and in the library's default). Like `elapsed_ms`, differs between two runs
    /// of one archive.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cache: Option<crate::cache::CacheCounters>,
    /// Stages after reading (sessions, rules, grid) that crashed: each an `internal` error
    /// naming the stage; the report is degraded where it says (absent when none crashed).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub internal: Vec<crate::error::Error>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: String,
    pub tool: Tool,
    pub root: String,
    pub rules: RulesInfo,
    pub summary: Summary,
    /// In memory, or in the scan's temporary file (the command line; see [`crate::store`]).
    pub documents: Documents,
    pub sessions: Vec<Session>,
    /// Organisation-level checks (quality documents), apart from sessions.
    pub organisations: Vec<crate::rules::Organisation>,
    /// The indicator grid: one verdict per indicator of the référentiel.
    #[serde(default)]
    pub indicators: Vec<crate::rules::indicators::IndicatorResult>,
    pub skipped: Vec<Skipped>,
}

impl Report {
    #[allow(clippy::too_many_arguments)]
    pub fn build(
        root: &Path,
        rules: &crate::rules::RuleSet,
        documents: Documents,
        sessions: Vec<Session>,
        organisations: Vec<crate::rules::Organisation>,
        skipped: Vec<Skipped>,
        files: usize,
        elapsed: Duration,
    ) -> Report {
        let mut summary = Summary {
            documents: documents.len(),
            sessions: sessions.len(),
            files,
            skipped: skipped.len(),
            elapsed_ms: elapsed.as_millis() as u64,
            ..Summary::default()
        };
        for d in &documents {
            if !d.errors.is_empty() {
                summary.errors += 1;
            }
            for e in &d.errors {
                *summary
                    .by_error
                    .entry(e.code.as_str().to_string())
                    .or_default() += 1;
            }
            if d.container.is_some() {
                summary.embedded += 1;
            } else {
                summary.bytes += d.size;
            }
            if d.scanned {
                summary.scanned += 1;
            }
            summary.pages_not_read += d
                .metadata
                .other
                .get(crate::ocr::META_NOT_READ)
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0);
            *summary
                .by_format
                .entry(d.format.as_str().to_string())
                .or_default() += 1;
            *summary.by_kind.entry(d.kind.id().to_string()).or_default() += 1;
        }
        for s in &sessions {
            match s.status {
                Status::Complete => summary.complete += 1,
                Status::AtRisk => summary.at_risk += 1,
                Status::Incomplete => summary.incomplete += 1,
            }
        }
        Report {
            schema_version: SCHEMA_VERSION.to_string(),
            tool: Tool {
                name: "preuves".to_string(),
                version: env!("CARGO_PKG_VERSION").to_string(),
                kinds_vocabulary: crate::understand::kind::vocabulary_version(),
            },
            root: root.to_string_lossy().into_owned(),
            rules: RulesInfo::new(rules, &crate::rules::Audit::default(), None),
            summary,
            documents,
            sessions,
            organisations,
            indicators: Vec::new(),
            skipped,
        }
    }

    /// Pretty JSON (stable key order: struct order, maps sorted).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// Writes report.json, report.html, report.csv, documents.csv, indicators.csv, actions.csv and
    /// actions.xlsx into `out` (created if needed; each file written atomically). `jobs` is the
    /// scan's `--jobs`: with 1 the files are written one after the other, with more report.html
    /// is rendered beside the others.
    pub fn write_all(
        &self,
        out: &Path,
        rules: &crate::rules::RuleSet,
        html_options: &html::HtmlOptions,
        jobs: usize,
    ) -> std::io::Result<Vec<std::path::PathBuf>> {
        std::fs::create_dir_all(out)?;
        let json = out.join("report.json");
        let html = out.join("report.html");
        let csv_path = out.join("report.csv");
        let docs_csv = out.join("documents.csv");
        let indicators_csv = out.join("indicators.csv");
        let actions_csv = out.join("actions.csv");
        let actions_xlsx = out.join("actions.xlsx");
        let lang = html_options.lang;
        // Each rendering under the panic guard: a crash leaves that file saying so (and the
        // others, report.json first, complete), never the end of the run.
        let page = || {
            streamed(&html, "report.html", |w| {
                html::render_into(self, rules, html_options, w)
            })
        };
        let others = || -> std::io::Result<bool> {
            // Written as serialised and rendered: neither page is ever held whole in memory.
            write_atomic_with(&json, |w| {
                serde_json::to_writer_pretty(w, self).map_err(std::io::Error::other)
            })?;
            streamed(&csv_path, "report.csv", |w| csv::sessions_csv(self, w))?;
            streamed(&docs_csv, "documents.csv", |w| csv::documents_csv(self, w))?;
            streamed(&indicators_csv, "indicators.csv", |w| {
                csv::indicators_csv(self, lang, w)
            })?;
            streamed(&actions_csv, "actions.csv", |w| {
                actions::write_actions_csv(self, lang, w)
            })?;
            let mut crashed = Vec::new();
            match crate::panic_guard::stage("actions.xlsx", &mut crashed, || {
                write_atomic_with(&actions_xlsx, |w| {
                    actions::actions_xlsx(self, lang, w).map_err(std::io::Error::other)
                })
            }) {
                Some(done) => done.map(|()| true),
                // No workbook rather than half of one.
                None => {
                    let _ = std::fs::remove_file(temporary_path(&actions_xlsx));
                    Ok(false)
                }
            }
        };
        // With two jobs or more, report.html (the longest to make) is rendered on this thread
        // while another writes report.json and the tables: the files do not depend on each
        // other, and on a year of archives this is a tenth of a scan's time on two cores.
        let (page, workbook) = if jobs > 1 {
            std::thread::scope(|s| {
                let others = s.spawn(others);
                let page = page();
                let workbook = others
                    .join()
                    .unwrap_or_else(|_| Err(std::io::Error::other("report writer crashed")));
                (page, workbook)
            })
        } else {
            let workbook = others();
            (page(), workbook)
        };
        // report.json's error first: it is the file other programs read.
        let workbook = workbook?;
        page?;
        let mut written = vec![json, html, csv_path, docs_csv, indicators_csv, actions_csv];
        if workbook {
            written.push(actions_xlsx);
        }
        Ok(written)
    }
}

/// One output file written as it is rendered; when rendering crashes, the file says so
/// instead (the others and report.json stay whole).
fn streamed(
    path: &Path,
    name: &str,
    render: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut crashed = Vec::new();
    match crate::panic_guard::stage(name, &mut crashed, || {
        write_atomic_with(path, |w| render(w))
    }) {
        Some(written) => written,
        None => write_atomic(path, &crash_note(&crashed)),
    }
}

/// What a file whose rendering crashed holds instead.
fn crash_note(crashed: &[crate::error::Error]) -> Vec<u8> {
    let why = crashed.first().map(|e| e.message.as_str()).unwrap_or("");
    format!("internal error: {why}. report.json holds the full results.\n").into_bytes()
}

/// Escapes text for the hand-built HTML pages (review, clients index); `report.html` is escaped
/// by its askama template.
pub fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A number with `decimals` decimals and a decimal comma, as French readers and French Excel
/// expect it ("0,95", "2,4", "13,5").
pub fn fr_decimal(value: f64, decimals: usize) -> String {
    format!("{value:.decimals$}").replace('.', ",")
}

/// Indicator numbers as the reports print them: "4, 5, 6".
pub fn indicator_list(numbers: &[u32]) -> String {
    numbers
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Report language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Fr,
    En,
}

/// The temporary file a report file is written to before it is renamed into place: the whole
/// file name plus `.tmp~` (`report.json.tmp~`), so that files sharing a stem (report.json,
/// report.html and report.csv), written at the same time, never share a temporary file.
pub(crate) fn temporary_path(path: &Path) -> std::path::PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp~");
    path.with_file_name(name)
}

pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = temporary_path(path);
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

/// `write_atomic` for a file written as it is produced (through a buffer).
pub(crate) fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    use std::io::Write;
    let tmp = temporary_path(path);
    let mut w = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
    write(&mut w)?;
    w.flush()?;
    drop(w);
    std::fs::rename(&tmp, path)
}

/// The scanned folder's path relative to the output folder, as a link prefix ending in `/`
/// (`../archive/`), so the HTML report's links open the files. `None` when no relative path
/// exists (different drives).
pub fn relative_link_base(out: &Path, root: &Path) -> Option<String> {
    let abs = |p: &Path| -> Option<std::path::PathBuf> {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().ok()?.join(p)
        };
        // The output folder exists once written; canonicalise what exists.
        p.canonicalize().ok().or(Some(p))
    };
    let (out, root) = (abs(out)?, abs(root)?);
    let o: Vec<_> = out.components().collect();
    let r: Vec<_> = root.components().collect();
    let common = o.iter().zip(&r).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return None;
    }
    let mut rel = String::new();
    for _ in common..o.len() {
        rel.push_str("../");
    }
    for c in &r[common..] {
        rel.push_str(&c.as_os_str().to_string_lossy());
        rel.push('/');
    }
    Some(rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_base_is_the_archive_seen_from_the_reports() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("archive/2025")).unwrap();
        std::fs::create_dir_all(dir.path().join("reports")).unwrap();
        assert_eq!(
            relative_link_base(&dir.path().join("reports"), &dir.path().join("archive")).as_deref(),
            Some("../archive/")
        );
        assert_eq!(
            relative_link_base(
                &dir.path().join("reports"),
                &dir.path().join("archive/2025")
            )
            .as_deref(),
            Some("../archive/2025/")
        );
    }
}
