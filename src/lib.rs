//! preuves: audit the Qualiopi evidence of training sessions in an archive folder.
//!
//! The pipeline, one stage per module, each a function of the previous one:
//!
//! ```text
//! walk::walk        root folder      → Walk (sorted files, skipped system files)
//! process::*        each file        → extract::Extracted → understand → document::Document
//!                   (rayon, one file per task; containers recurse into their members)
//! sessions::group   documents        → sessions (folders holding session evidence)
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
pub mod sessions;
pub mod textenc;
pub mod understand;
pub mod walk;
pub mod worker;

pub use error::{Error, ErrorCode, Result};

use document::Document;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
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
    /// Read files in killable worker processes (`None`, the default: in this process).
    pub workers: Option<worker::WorkerOptions>,
}

/// Told about the scan's progress (the CLI draws a bar; the library prints nothing).
pub trait Progress: Sync {
    fn start(&self, _files: u64) {}
    fn file_done(&self, _path: &str) {}
}

/// No progress reporting.
pub struct NoProgress;
impl Progress for NoProgress {}

/// Scans `root` and builds the report. Fails only when the root itself cannot be read.
pub fn scan(root: &Path, options: &ScanOptions, progress: &dyn Progress) -> Result<report::Report> {
    let started = Instant::now();
    let walked = walk::walk(root, &options.walk)?;
    progress.start(walked.files.len() as u64);

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.unwrap_or(0))
        .build()
        .map_err(|e| Error::internal(format!("cannot start worker threads: {e}")))?;
    // --- worker isolation hook (src/worker.rs): files read in killable child processes ---
    let per_file: Vec<Vec<Document>> = if let Some(workers) = &options.workers {
        let jobs = options.jobs.unwrap_or_else(|| pool.current_num_threads());
        worker::process_all(&walked.files, &options.limits, jobs, workers, progress)
    } else {
        pool.install(|| {
            walked
                .files
                .par_iter()
                .map(|f| {
                    let docs = process::process_file(f, &options.limits);
                    progress.file_done(&f.rel_path);
                    docs
                })
                .collect()
        })
    };
    // --- end of worker isolation hook ---
    let mut documents: Vec<Document> = per_file.into_iter().flatten().collect();
    for (path, error) in &walked.unreadable {
        documents.push(process::error_document(
            path,
            model::Format::Other,
            0,
            error.clone(),
        ));
    }
    documents.sort_by(|a, b| a.path.cmp(&b.path));

    let mut sessions = sessions::group(&mut documents, &options.sessions);
    rules::judge(&mut sessions, &documents, &options.rules);
    let organisations =
        rules::judge_organisations(&sessions, &documents, &options.rules, options.audit.date);
    let indicators = rules::indicators::grid(
        &options.rules,
        &options.audit,
        &sessions,
        &organisations,
        &documents,
    );
    let mut report = report::Report::build(
        root,
        &options.rules,
        documents,
        sessions,
        organisations,
        walked.skipped,
        walked.files.len(),
        started.elapsed(),
    );
    report.rules = report::RulesInfo::new(
        &options.rules,
        &options.audit,
        options.rules_reason.as_ref(),
    );
    report.indicators = indicators;
    Ok(report)
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
