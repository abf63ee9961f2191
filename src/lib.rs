//! preuves: audit the Qualiopi evidence of training sessions in an archive folder.
//!
//! The pipeline, one stage per module, each a function of the previous one:
//!
//! ```text
//! walk::walk        root folder      → Walk (sorted files, skipped system files)
//! process::*        each file        → extract::Extracted → understand → document::Document
//!                   (rayon, one file per task; containers recurse into their members)
//! sessions::group   documents        → sessions (folders holding session evidence)
//! scope::retain     sessions         → those within --since/--until (globs act in the walk)
//! rules::judge      sessions + rules → verdicts (status, missing kinds, findings)
//! report::Report    everything       → report.json / report.html / report.csv
//! ```
//!
//! The library never prints and never writes inside the scanned folder; `main.rs` parses the
//! command line, calls [`scan`], writes the reports and maps the outcome to an exit code.
//!
//! Formats are decided by content, not by name:
//!
//! ```
//! use preuves::{detect::detect, model::Format};
//! let d = detect(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n", "convention.docx");
//! assert_eq!(d.format, Format::Pdf);
//! assert!(d.note.unwrap().contains("named .docx"));
//! ```

pub mod cache;
pub mod clients;
pub mod detect;
pub mod document;
pub mod error;
pub mod extract;
pub mod model;
pub mod ocr;
pub mod panic_guard;
pub mod process;
pub mod report;
pub mod review;
pub mod rules;
pub mod sample;
pub mod scope;
pub mod sessions;
pub mod shard;
pub mod store;
pub mod textenc;
pub mod understand;
pub mod walk;
pub mod worker;

pub use error::{Error, ErrorCode, Result};

use document::Document;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

/// How to scan.
#[derive(Clone, Debug, Default)]
pub struct ScanOptions {
    /// Worker threads (default: all cores).
    pub jobs: Option<usize>,
    pub walk: walk::WalkOptions,
    pub limits: extract::Limits,
    pub sessions: sessions::SessionOptions,
    /// The rule set sessions are judged against (default: the embedded set for an audit today).
    pub rules: rules::RuleSet,
    /// The audit date, the categories of action and conditions the indicator grid applies.
    pub audit: rules::Audit,
    /// Why this rule set (French, English): shown in the report.
    pub rules_reason: Option<(String, String)>,
    /// The results cache folder (`cache` module); `None`: every file is read (the default).
    pub cache: Option<PathBuf>,
    /// `--since` / `--until`: sessions wholly outside the range are left out, with their
    /// documents (see [`scope`]).
    pub dates: scope::DateRange,
    /// Read files in killable worker processes (`None`, the default: in this process).
    pub workers: Option<worker::WorkerOptions>,
    /// Keep the documents in a temporary file as they are read, only a head of each in memory
    /// (the command line: its memory then does not grow with the archive; see [`store`]).
    pub spill: bool,
}

impl ScanOptions {
    /// How many jobs run at once: `jobs`, or one per core (1 when the machine cannot say).
    pub fn jobs(&self) -> usize {
        self.jobs.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        })
    }
}

/// Told about the scan's progress (the CLI draws a bar; the library prints nothing).
pub trait Progress: Sync {
    fn start(&self, _files: u64) {}
    fn file_done(&self, _path: &str) {}
}

/// No progress reporting.
pub struct NoProgress;
impl Progress for NoProgress {}

/// What was read from a tree (or from one shard of it): the documents, before sessions.
#[derive(Debug, Default)]
pub struct Collected {
    /// Every document, sorted by path (files, their container members, unreadable entries).
    pub documents: store::Documents,
    /// System and lock files found and deliberately not read.
    pub skipped: Vec<walk::Skipped>,
    /// Files found on disk and read.
    pub files: usize,
    /// What the results cache did (`None` without a cache).
    pub cache: Option<cache::CacheCounters>,
}

/// Scans `root` and builds the report. Fails only when the root itself cannot be read.
pub fn scan(root: &Path, options: &ScanOptions, progress: &dyn Progress) -> Result<report::Report> {
    let started = Instant::now();
    let collected = collect(root, options, progress, None)?;
    Ok(judge(
        &root.to_string_lossy(),
        options,
        collected,
        started.elapsed(),
    ))
}

/// Walks `root` and reads every file (or only the files of one `shard`): the first half of a
/// scan, the part worth caching and spreading over machines.
pub fn collect(
    root: &Path,
    options: &ScanOptions,
    progress: &dyn Progress,
    shard: Option<shard::Shard>,
) -> Result<Collected> {
    let mut walked = walk::walk(root, &options.walk)?;
    if let Some(s) = shard {
        walked.files.retain(|f| s.holds(&f.rel_path));
        walked.skipped.retain(|f| s.holds(&f.path));
        walked.unreadable.retain(|(p, _)| s.holds(p));
    }
    progress.start(walked.files.len() as u64);

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.unwrap_or(0))
        .build()
        .map_err(|e| Error::internal(format!("cannot start worker threads: {e}")))?;
    // A cache that cannot be opened at all (a read-only folder) is reported, and the scan
    // reads every file.
    let (cache, cache_error) = match &options.cache {
        Some(dir) => match cache::Cache::open(dir, &options.limits) {
            Ok(c) => (Some(c), None),
            Err(e) => (None, Some((dir.clone(), e))),
        },
        None => (None, None),
    };
    // Each document goes to the store as it arrives (from a worker, a reading thread or the
    // cache): nothing holds the archive's documents but the store.
    let mut documents = if options.spill {
        store::Documents::spilled()
    } else {
        store::Documents::default()
    };
    // About one document per file, and room for container members: sized once (a vector
    // that outgrows its room by one document doubles).
    let expected = walked.files.len() + walked.unreadable.len();
    documents.reserve(expected + expected / 16 + 16);
    let store = Mutex::new(documents);
    let keep = |docs: Vec<Document>| {
        let mut s = store.lock().unwrap_or_else(|e| e.into_inner());
        docs.into_iter().for_each(|d| s.push(d));
    };
    // --- worker isolation hook (src/worker.rs): files read in killable child processes ---
    if let Some(workers) = &options.workers {
        let jobs = options.jobs.unwrap_or_else(|| pool.current_num_threads());
        // Cache hits are served here; only the files not in the cache go to the workers, and
        // what they read is stored on the way back.
        match &cache {
            Some(c) => {
                let missed: Vec<(usize, Option<String>)> = pool.install(|| {
                    walked
                        .files
                        .par_iter()
                        .enumerate()
                        .filter_map(
                            |(i, f)| match process::cache_lookup(f, &options.limits, c) {
                                Ok(docs) => {
                                    keep(docs);
                                    progress.file_done(&f.rel_path);
                                    None
                                }
                                Err(content) => Some((i, content)),
                            },
                        )
                        .collect()
                });
                let to_read: Vec<walk::FoundFile> = missed
                    .iter()
                    .map(|&(i, _)| walked.files[i].clone())
                    .collect();
                worker::process_all(
                    &to_read,
                    &options.limits,
                    jobs,
                    workers,
                    progress,
                    &|k, docs| {
                        let (i, content) = &missed[k];
                        if let Some(content) = content {
                            process::cache_store(&walked.files[*i], content, &docs, c);
                        }
                        keep(docs);
                    },
                );
            }
            // Without a cache every file is read: the walk's list is handed over as it is (a
            // copy of it is as large as the archive's paths).
            None => worker::process_all(
                &walked.files,
                &options.limits,
                jobs,
                workers,
                progress,
                &|_, docs| keep(docs),
            ),
        }
    } else {
        pool.install(|| {
            walked.files.par_iter().for_each(|f| {
                let docs = match &cache {
                    Some(c) => process::process_file_cached(f, &options.limits, c),
                    None => process::process_file(f, &options.limits),
                };
                keep(docs);
                progress.file_done(&f.rel_path);
            })
        });
    }
    // --- end of worker isolation hook ---
    let mut documents = store.into_inner().unwrap_or_else(|e| e.into_inner());
    for (path, error) in &walked.unreadable {
        documents.push(process::error_document(
            path,
            model::Format::Other,
            0,
            error.clone(),
        ));
    }
    documents.sort();
    // In path order, like the documents: the same whichever shards they were read in.
    walked.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    let cache = match (cache, cache_error) {
        (Some(c), _) => Some(c.finish()),
        (None, Some((dir, e))) => Some(cache::CacheCounters {
            path: dir.display().to_string(),
            files_read: walked.files.len(),
            note: Some(format!("cache not used: {e}")),
            ..Default::default()
        }),
        (None, None) => None,
    };
    Ok(Collected {
        documents,
        skipped: walked.skipped,
        files: walked.files.len(),
        cache,
    })
}

/// The second half of a scan: sessions, rules, indicator grid and report, from what was read
/// (by one `collect`, or by several shards merged).
pub fn judge(
    root: &str,
    options: &ScanOptions,
    collected: Collected,
    elapsed: std::time::Duration,
) -> report::Report {
    let Collected {
        mut documents,
        skipped,
        files,
        cache,
    } = collected;
    // Every stage under the panic guard: a crash is an `internal` error in the summary and a
    // degraded result in its place (no sessions, sessions marked incomplete, no grid), never
    // the end of the scan.
    let mut internal = Vec::new();
    let mut sessions = panic_guard::stage("grouping sessions", &mut internal, || {
        sessions::group(&mut documents, &options.sessions)
    })
    .unwrap_or_else(|| {
        (0..documents.len()).for_each(|i| documents.set_session(i, None));
        Vec::new()
    });
    panic_guard::stage("the --since/--until filter", &mut internal, || {
        scope::retain_sessions(&mut sessions, &mut documents, &options.dates)
    });
    if panic_guard::stage("judging sessions", &mut internal, || {
        rules::judge(&mut sessions, &documents, &options.rules)
    })
    .is_none()
    {
        sessions.iter_mut().for_each(sessions::Session::not_judged);
    }
    let organisations = panic_guard::stage("judging organisation documents", &mut internal, || {
        rules::judge_organisations(&sessions, &documents, &options.rules, options.audit.date)
    })
    .unwrap_or_default();
    let indicators = panic_guard::stage("the indicator grid", &mut internal, || {
        rules::indicators::grid(
            &options.rules,
            &options.audit,
            &sessions,
            &organisations,
            &documents,
        )
    })
    .unwrap_or_default();
    let mut report = report::Report::build(
        Path::new(root),
        &options.rules,
        documents,
        sessions,
        organisations,
        skipped,
        files,
        elapsed,
    );
    report.rules = report::RulesInfo::new(
        &options.rules,
        &options.audit,
        options.rules_reason.as_ref(),
    );
    report.indicators = indicators;
    report.summary.cache = cache;
    if !internal.is_empty() {
        *report
            .summary
            .by_error
            .entry("internal".into())
            .or_default() += internal.len();
        report.summary.internal = internal;
    }
    report
}

/// Refuses an output folder inside the scanned folder (the archive is never written to).
pub fn check_output_outside_root(root: &Path, out: &Path) -> Result<()> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // Canonicalise the longest existing ancestor (the output folder may not exist yet).
        let mut existing = p.clone();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_os_string());
                    existing = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut c = existing.canonicalize().unwrap_or(existing);
        for n in rest.iter().rev() {
            c.push(n);
        }
        c
    };
    let (root, out) = (abs(root), abs(out));
    if out.starts_with(&root) {
        return Err(Error::usage(format!(
            "the output folder {} is inside the scanned folder {}: preuves never writes into the \
             archive; choose another folder with --out",
            out.display(),
            root.display()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::panic_guard::inject;

    /// Two documents of one session folder, read from bytes (no file system).
    fn collected() -> Collected {
        let mut documents = Vec::new();
        for (path, text) in [
            (
                "2025-03 Excel - ACME/Convention.txt",
                "Convention de formation professionnelle\nFormation Excel du 12/03/2025 au \
                 14/03/2025\nSigné le 01/03/2025",
            ),
            (
                "2025-03 Excel - ACME/Emargement.txt",
                "Feuille d'émargement\nFormation Excel\n12/03/2025 matin",
            ),
        ] {
            process::process_bytes(
                path,
                text.as_bytes(),
                Vec::new(),
                0,
                None,
                &extract::Limits::default(),
                &mut documents,
            );
        }
        Collected {
            files: documents.len(),
            documents: store::Documents::from_vec(documents),
            ..Collected::default()
        }
    }

    fn judged_with_panic_in(stage: Option<&str>) -> report::Report {
        inject::set(stage);
        let r = judge(
            "root",
            &ScanOptions::default(),
            collected(),
            std::time::Duration::ZERO,
        );
        inject::set(None);
        r
    }

    #[test]
    fn no_crash_no_internal_entry() {
        let r = judged_with_panic_in(None);
        assert!(r.summary.internal.is_empty());
        assert_eq!(r.sessions.len(), 1, "{:?}", r.sessions);
        assert!(!r.indicators.is_empty());
        assert!(!r.to_json().contains("\"internal\""));
    }

    #[test]
    fn a_crash_in_grouping_gives_a_report_without_sessions() {
        let r = judged_with_panic_in(Some("grouping sessions"));
        assert_eq!(r.documents.len(), 2);
        assert!(r.sessions.is_empty());
        assert!(r.documents.iter().all(|d| d.session.is_none()));
        let [e] = r.summary.internal.as_slice() else {
            panic!("{:?}", r.summary.internal)
        };
        assert_eq!(e.code, ErrorCode::Internal);
        assert!(
            e.message
                .starts_with("grouping sessions crashed: injected panic")
        );
        assert_eq!(r.summary.by_error.get("internal"), Some(&1));
        assert!(r.to_json().contains("grouping sessions crashed"));
    }

    #[test]
    fn a_crash_in_the_rules_leaves_every_session_incomplete() {
        let r = judged_with_panic_in(Some("judging sessions"));
        assert_eq!(r.sessions.len(), 1);
        let s = &r.sessions[0];
        assert_eq!(s.status, sessions::Status::Incomplete);
        assert!(
            s.findings
                .iter()
                .any(|f| f.code == "internal" && f.severity == sessions::Severity::Blocking)
        );
        assert_eq!(r.summary.incomplete, 1);
        assert!(
            r.summary.internal[0]
                .message
                .starts_with("judging sessions")
        );
    }

    #[test]
    fn a_crash_in_the_grid_or_organisations_leaves_them_empty() {
        let r = judged_with_panic_in(Some("the indicator grid"));
        assert!(r.indicators.is_empty());
        assert_eq!(r.sessions.len(), 1);
        assert_eq!(r.summary.internal.len(), 1);
        let r = judged_with_panic_in(Some("judging organisation documents"));
        assert!(r.organisations.is_empty());
        assert_eq!(r.summary.internal.len(), 1);
    }

    #[test]
    fn a_crash_while_rendering_one_output_leaves_the_others_whole() {
        let r = judged_with_panic_in(None);
        let dir = tempfile::tempdir().unwrap();
        inject::set(Some("report.html"));
        let written = r.write_all(
            dir.path(),
            &ScanOptions::default().rules,
            &report::html::HtmlOptions::default(),
            2,
        );
        inject::set(None);
        let written = written.unwrap();
        assert_eq!(written.len(), 7);
        let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
        assert!(
            html.starts_with("internal error: report.html crashed"),
            "{html}"
        );
        let json = std::fs::read_to_string(dir.path().join("report.json")).unwrap();
        assert!(json.contains("Convention.txt"));
    }

    /// Regression (class: report files sharing a stem written at once). report.json,
    /// report.html and report.csv were each written through `report.tmp~`: once report.html
    /// was rendered beside the others, one file's rename took another's temporary file away.
    #[test]
    fn report_files_sharing_a_stem_written_at_once_each_have_their_own_temporary_file() {
        let r = judged_with_panic_in(None);
        let dir = tempfile::tempdir().unwrap();
        for _ in 0..5 {
            let written = r
                .write_all(
                    dir.path(),
                    &ScanOptions::default().rules,
                    &report::html::HtmlOptions::default(),
                    2,
                )
                .unwrap();
            assert_eq!(written.len(), 7);
        }
        let json = std::fs::read_to_string(dir.path().join("report.json")).unwrap();
        serde_json::from_str::<serde_json::Value>(&json).unwrap();
        let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
        assert!(
            html.to_ascii_lowercase().starts_with("<!doctype html>"),
            "{}",
            &html[..80]
        );
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with("tmp~"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
        let temporary = |n: &str| report::temporary_path(&dir.path().join(n));
        assert_ne!(temporary("report.json"), temporary("report.html"));
        assert_ne!(temporary("report.json"), temporary("report.csv"));
        assert_ne!(temporary("actions.csv"), temporary("actions.xlsx"));
    }

    #[test]
    fn a_crashed_stage_is_said_at_the_top_of_the_html_report() {
        let render = |r: &report::Report, lang| {
            let mut html = Vec::new();
            let o = report::html::HtmlOptions {
                lang,
                ..Default::default()
            };
            report::html::render_into(r, &ScanOptions::default().rules, &o, &mut html).unwrap();
            String::from_utf8(html).unwrap()
        };
        let clean = render(&judged_with_panic_in(None), report::Lang::Fr);
        assert!(!clean.contains("internal-errors"));
        let r = judged_with_panic_in(Some("the indicator grid"));
        let fr = render(&r, report::Lang::Fr);
        let banner = fr.find("id=\"internal-errors\"").expect("no banner");
        assert!(
            banner < fr.find("class=\"cards\"").unwrap(),
            "banner below the cards"
        );
        assert!(fr.contains("Rapport incomplet"));
        assert!(fr.contains("the indicator grid crashed: injected panic"));
        let en = render(&r, report::Lang::En);
        assert!(en.contains("Incomplete report"));
    }
}
