//! Worker processes: each file's extraction runs where it can be killed.
//!
//! Extractors are guarded against panics and check a cooperative time budget, but a parser that
//! loops inside a dependency (lopdf, calamine, quick-xml) or allocates without bound cannot be
//! stopped from inside the process. With [`WorkerOptions`] set in `ScanOptions::workers`, `scan`
//! hands the files to a pool of child processes instead (the `preuves` binary re-executed with
//! the hidden `__worker` subcommand, see [`worker_main`]), as many as `--jobs`:
//!
//! * the parent sends a job (a batch of files) as one JSON line on the worker's stdin; the worker
//!   answers one JSON line per file (`{"done": {"index", "documents"}}`) on its stdout, plus a
//!   `"beat"` line each time a container member starts;
//! * each file (or member) has a hard wall-clock deadline counted from the previous line: past
//!   it the worker's process group is killed, the file is reported `timeout`, a fresh worker
//!   takes the rest of the batch;
//! * the worker limits its own address space (`RLIMIT_AS`); when an allocation fails it aborts,
//!   and the file it was on is reported `too_large` (memory limit);
//! * any other death of a worker reports that file `internal`, and the scan goes on.
//!
//! The library default stays in-process (`ScanOptions::default()`); the CLI turns workers on.

use crate::Progress;
use crate::document::Document;
use crate::error::Error;
use crate::extract::Limits;
use crate::model::Format;
use crate::process;
use crate::walk::FoundFile;
use serde::{Deserialize, Serialize};
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The hidden subcommand that runs a worker.
pub const WORKER_COMMAND: &str = "__worker";

/// Test-only hooks, honoured by workers only: a file whose path contains the value of
/// `PREUVES_TEST_HANG` makes the worker loop forever, one matching `PREUVES_TEST_ALLOC` makes it
/// allocate until its memory limit stops it. The end-to-end tests use them to show that the
/// scan completes anyway.
pub const TEST_HANG_ENV: &str = "PREUVES_TEST_HANG";
/// See [`TEST_HANG_ENV`].
pub const TEST_ALLOC_ENV: &str = "PREUVES_TEST_ALLOC";

/// How to run workers. A program using them should ignore `SIGPIPE` (the CLI does): writing
/// a job to a worker that just died must be an error, not the end of the program.
#[derive(Clone, Debug)]
pub struct WorkerOptions {
    /// The program to run (the `preuves` binary) and its arguments (`__worker`).
    pub program: PathBuf,
    pub args: Vec<OsString>,
    /// Environment variables set for each worker (on top of this process's).
    pub env: Vec<(OsString, OsString)>,
    /// Address-space limit of each worker, in bytes (`None`: no limit).
    pub memory_limit: Option<u64>,
    /// Hard wall-clock limit for one file or container member.
    pub deadline: Duration,
    /// Most files sent in one job.
    pub batch: usize,
}

impl WorkerOptions {
    /// Workers running the current executable with `__worker`, a hard deadline of three times the
    /// cooperative time budget plus two seconds (extraction and OCR each have the budget), and
    /// the given memory limit.
    pub fn current_exe(limits: &Limits, memory_limit: Option<u64>) -> std::io::Result<Self> {
        Ok(WorkerOptions {
            program: std::env::current_exe()?,
            args: vec![WORKER_COMMAND.into()],
            env: Vec::new(),
            memory_limit,
            deadline: limits.time_budget * 3 + Duration::from_secs(2),
            batch: 16,
        })
    }
}

/// The first line sent to a worker: the limits of the scan.
#[derive(Serialize, Deserialize)]
struct Setup {
    max_file_bytes: u64,
    max_part_bytes: u64,
    max_depth: u32,
    max_expanded_bytes: u64,
    max_members: usize,
    time_budget_ms: u64,
    ocr: bool,
    memory_limit: Option<u64>,
}

impl Setup {
    fn new(l: &Limits, memory_limit: Option<u64>) -> Setup {
        Setup {
            max_file_bytes: l.max_file_bytes,
            max_part_bytes: l.max_part_bytes,
            max_depth: l.max_depth,
            max_expanded_bytes: l.max_expanded_bytes,
            max_members: l.max_members,
            time_budget_ms: l.time_budget.as_millis() as u64,
            ocr: l.ocr,
            memory_limit,
        }
    }
    fn limits(&self) -> Limits {
        Limits {
            max_file_bytes: self.max_file_bytes,
            max_part_bytes: self.max_part_bytes,
            max_depth: self.max_depth,
            max_expanded_bytes: self.max_expanded_bytes,
            max_members: self.max_members,
            time_budget: Duration::from_millis(self.time_budget_ms),
            ocr: self.ocr,
        }
    }
}

/// A path on the wire: text when it is UTF-8, raw bytes otherwise (Unix file names need not be
/// UTF-8).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum WirePath {
    Text(String),
    Bytes(Vec<u8>),
}

impl WirePath {
    fn new(p: &std::path::Path) -> WirePath {
        match p.to_str() {
            Some(s) => WirePath::Text(s.to_string()),
            None => WirePath::Bytes(path_bytes(p)),
        }
    }
    fn path(self) -> PathBuf {
        match self {
            WirePath::Text(s) => PathBuf::from(s),
            WirePath::Bytes(b) => bytes_path(b),
        }
    }
}

#[cfg(unix)]
fn path_bytes(p: &std::path::Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    p.as_os_str().as_bytes().to_vec()
}
#[cfg(not(unix))]
fn path_bytes(p: &std::path::Path) -> Vec<u8> {
    p.to_string_lossy().as_bytes().to_vec()
}
#[cfg(unix)]
fn bytes_path(b: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(OsString::from_vec(b))
}
#[cfg(not(unix))]
fn bytes_path(b: Vec<u8>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&b).into_owned())
}

#[derive(Serialize, Deserialize)]
struct JobFile {
    index: usize,
    rel_path: String,
    abs_path: WirePath,
    size: u64,
    modified: Option<i64>,
    warnings: Vec<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Reply {
    /// A container member started (the deadline starts again).
    Beat,
    Done {
        index: usize,
        documents: Vec<Document>,
    },
}

/// Processes `files` in `jobs` worker processes, handing each file's documents to `done` (with
/// the file's index) as they come back, in any order. Files whose worker hangs, runs out of
/// memory or dies are reported with an error and the rest go on.
pub fn process_all(
    files: &[FoundFile],
    limits: &Limits,
    jobs: usize,
    options: &WorkerOptions,
    progress: &dyn Progress,
    done: &(dyn Fn(usize, Vec<Document>) + Sync),
) {
    let jobs = jobs.max(1).min(files.len().max(1));
    // Small batches at the end keep the workers busy together; never more than `batch`.
    let batch = (files.len() / (jobs * 4)).clamp(1, options.batch.max(1));
    let batches: Vec<std::ops::Range<usize>> = (0..files.len())
        .step_by(batch)
        .map(|s| s..(s + batch).min(files.len()))
        .collect();
    let next = AtomicUsize::new(0);
    let answered: Vec<std::sync::atomic::AtomicBool> = (0..files.len())
        .map(|_| std::sync::atomic::AtomicBool::new(false))
        .collect();
    let setup = serde_json::to_string(&Setup::new(limits, options.memory_limit))
        .expect("the setup serialises");
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| {
                let mut pool = Slot {
                    options,
                    setup: &setup,
                    worker: None,
                };
                loop {
                    let b = next.fetch_add(1, Ordering::Relaxed);
                    let Some(range) = batches.get(b) else { break };
                    pool.run_batch(files, range.clone(), limits, &|i, docs| {
                        progress.file_done(&files[i].rel_path);
                        if !answered[i].swap(true, Ordering::Relaxed) {
                            done(i, docs);
                        }
                    });
                }
                if let Some(w) = pool.worker.take() {
                    w.finish();
                }
            });
        }
    });
    for (i, a) in answered.iter().enumerate() {
        if !a.load(Ordering::Relaxed) {
            done(
                i,
                vec![failed(
                    &files[i],
                    Error::internal("no result from the worker (a bug in preuves)"),
                )],
            );
        }
    }
}

/// One parent thread's worker, respawned after each death.
struct Slot<'a> {
    options: &'a WorkerOptions,
    setup: &'a str,
    worker: Option<Worker>,
}

impl Slot<'_> {
    fn run_batch(
        &mut self,
        files: &[FoundFile],
        range: std::ops::Range<usize>,
        limits: &Limits,
        done: &dyn Fn(usize, Vec<Document>),
    ) {
        let mut pending: std::collections::VecDeque<usize> = range.collect();
        let mut failed_sends = 0;
        while let Some(&first) = pending.front() {
            if self.worker.is_none() {
                match Worker::spawn(self.options, self.setup) {
                    Ok(w) => self.worker = Some(w),
                    Err(_) => {
                        // No worker can start (the program is gone?): read in-process rather
                        // than lose the files.
                        for i in pending.drain(..) {
                            done(i, process::process_file(&files[i], limits));
                        }
                        return;
                    }
                }
            }
            let worker = self.worker.as_mut().expect("spawned above");
            let job: Vec<JobFile> = pending
                .iter()
                .map(|&i| {
                    let f = &files[i];
                    JobFile {
                        index: i,
                        rel_path: f.rel_path.clone(),
                        abs_path: WirePath::new(&f.abs_path()),
                        size: f.size,
                        modified: f.modified,
                        warnings: f.warnings.clone(),
                    }
                })
                .collect();
            let line = serde_json::to_string(&job).expect("a job serialises");
            let sent = writeln!(worker.stdin, "{line}").and_then(|_| worker.stdin.flush());
            if sent.is_err() && failed_sends < 2 {
                // The worker was gone before it got the job: no file to blame, start another.
                failed_sends += 1;
                if let Some(w) = self.worker.take() {
                    w.kill();
                }
                continue;
            }
            let mut outcome = if sent.is_err() {
                Outcome::Died
            } else {
                Outcome::Finished
            };
            while outcome == Outcome::Finished && !pending.is_empty() {
                match worker.replies.recv_timeout(self.options.deadline) {
                    Ok(line) => match serde_json::from_str::<Reply>(&line) {
                        Ok(Reply::Beat) => {}
                        Ok(Reply::Done { index, documents }) if Some(&index) == pending.front() => {
                            pending.pop_front();
                            done(index, documents);
                        }
                        _ => outcome = Outcome::Died,
                    },
                    Err(RecvTimeoutError::Timeout) => outcome = Outcome::Hung,
                    Err(RecvTimeoutError::Disconnected) => outcome = Outcome::Died,
                }
            }
            if outcome == Outcome::Finished {
                return;
            }
            // The worker hung or died on the first pending file: report it, start afresh.
            let culprit = pending.pop_front().unwrap_or(first);
            let worker = self.worker.take().expect("present");
            let error = match outcome {
                Outcome::Hung => {
                    worker.kill();
                    Error::timeout(format!(
                        "the reading was stopped after {} s (hard limit per file; the worker was \
                         killed and the run went on)",
                        self.options.deadline.as_secs()
                    ))
                }
                _ => worker.death(self.options.memory_limit),
            };
            done(culprit, vec![failed(&files[culprit], error)]);
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Finished,
    Hung,
    Died,
}

fn failed(f: &FoundFile, error: Error) -> Document {
    let format = Format::from_extension(&f.rel_path).unwrap_or(Format::Other);
    let mut d = process::error_document(&f.rel_path, format, f.size, error);
    d.warnings = f.warnings.clone();
    d
}

/// A running worker process with a thread reading its replies and one keeping its stderr's tail.
struct Worker {
    child: Child,
    stdin: ChildStdin,
    replies: Receiver<String>,
    stderr_tail: Arc<Mutex<Vec<u8>>>,
    stderr_reader: std::thread::JoinHandle<()>,
}

const STDERR_TAIL: usize = 4096;

impl Worker {
    fn spawn(options: &WorkerOptions, setup: &str) -> std::io::Result<Worker> {
        let mut cmd = Command::new(&options.program);
        cmd.args(&options.args)
            .envs(options.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            // Its own process group, so that killing it also kills what it started (tesseract).
            cmd.process_group(0);
        }
        let mut child = cmd.spawn()?;
        let mut stdin = child.stdin.take().expect("piped");
        let stdout = child.stdout.take().expect("piped");
        let mut stderr = child.stderr.take().expect("piped");
        let (tx, replies) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stderr_tail = Arc::new(Mutex::new(Vec::new()));
        let tail = Arc::clone(&stderr_tail);
        let stderr_reader = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let mut t = tail.lock().unwrap_or_else(|e| e.into_inner());
                t.extend_from_slice(&buf[..n]);
                if t.len() > STDERR_TAIL {
                    let cut = t.len() - STDERR_TAIL;
                    t.drain(..cut);
                }
            }
        });
        writeln!(stdin, "{setup}")?;
        stdin.flush()?;
        Ok(Worker {
            child,
            stdin,
            replies,
            stderr_tail,
            stderr_reader,
        })
    }

    fn kill(mut self) {
        self.kill_group();
        let _ = self.child.wait();
    }

    /// Kills the worker and whatever it started (its process group).
    fn kill_group(&mut self) {
        #[cfg(unix)]
        // SAFETY: kill(2) on the worker's own process group (created at spawn).
        unsafe {
            libc::kill(-(self.child.id() as libc::pid_t), libc::SIGKILL);
        }
        let _ = self.child.kill();
    }

    /// Why the worker died, as the error of the file it was reading.
    fn death(mut self, memory_limit: Option<u64>) -> Error {
        // Its stdout closed or it wrote nonsense: make sure it is gone.
        let status = match self.child.try_wait() {
            Ok(Some(s)) => Ok(s),
            _ => {
                std::thread::sleep(Duration::from_millis(50));
                if !matches!(self.child.try_wait(), Ok(Some(_))) {
                    self.kill_group();
                }
                self.child.wait()
            }
        };
        // Let the stderr reader collect the last words (bounded: a grandchild may hold the pipe).
        for _ in 0..50 {
            if self.stderr_reader.is_finished() {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let tail =
            String::from_utf8_lossy(&self.stderr_tail.lock().unwrap_or_else(|e| e.into_inner()))
                .into_owned();
        let status = status
            .map(|s| s.to_string())
            .unwrap_or_else(|e| format!("status unknown: {e}"));
        if tail.contains("memory allocation of") {
            let limit = memory_limit
                .map(|m| format!(" of {} MiB", m / (1024 * 1024)))
                .unwrap_or_default();
            return Error::too_large(format!(
                "reading this file needed more than the memory limit{limit} (the worker was \
                 stopped and the run went on)"
            ));
        }
        let last = tail
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        Error::internal(format!(
            "the worker reading this file died ({status}{}{last}); a bug in preuves, the run went on",
            if last.is_empty() { "" } else { ": " }
        ))
    }

    /// Closes the worker's stdin (it exits at end of input) and waits for it.
    fn finish(self) {
        let Worker {
            mut child, stdin, ..
        } = self;
        drop(stdin);
        let _ = child.wait();
    }
}

/// The worker side: reads the setup line then jobs on stdin, writes replies on stdout, until
/// end of input. Returns the process exit code.
pub fn worker_main() -> i32 {
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let Some(Ok(first)) = lines.next() else {
        return 2;
    };
    let Ok(setup) = serde_json::from_str::<Setup>(&first) else {
        eprintln!("preuves worker: bad setup line");
        return 2;
    };
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_PDEATHSIG only sets a flag of this process: die with the parent.
    unsafe {
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
    }
    if let Some(limit) = setup.memory_limit {
        limit_memory(limit);
    }
    // One process per job already: no thread pool inside a worker.
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build_global();
    process::on_member_started(beat);
    let limits = setup.limits();
    let hang = std::env::var(TEST_HANG_ENV).ok().filter(|s| !s.is_empty());
    let alloc = std::env::var(TEST_ALLOC_ENV).ok().filter(|s| !s.is_empty());
    for line in lines {
        let Ok(line) = line else { break };
        let Ok(job) = serde_json::from_str::<Vec<JobFile>>(&line) else {
            eprintln!("preuves worker: bad job line");
            return 2;
        };
        for jf in job {
            if hang.as_deref().is_some_and(|h| jf.rel_path.contains(h)) {
                loop {
                    std::thread::sleep(Duration::from_secs(3600));
                }
            }
            if alloc.as_deref().is_some_and(|a| jf.rel_path.contains(a)) {
                let mut hog: Vec<Vec<u8>> = Vec::new();
                loop {
                    hog.push(std::hint::black_box(Vec::with_capacity(64 << 20)));
                }
            }
            let file = FoundFile::at(
                jf.rel_path,
                jf.abs_path.path(),
                jf.size,
                jf.modified,
                jf.warnings,
            );
            let documents =
                match crate::panic_guard::catch(|| process::process_file(&file, &limits)) {
                    Ok(d) => d,
                    Err(message) => vec![failed(
                        &file,
                        Error::internal(format!(
                            "crashed: {message} (a bug in preuves; the run went on)"
                        )),
                    )],
                };
            let reply = Reply::Done {
                index: jf.index,
                documents,
            };
            let mut out = std::io::stdout().lock();
            let ok = serde_json::to_writer(&mut out, &reply).is_ok()
                && out.write_all(b"\n").is_ok()
                && out.flush().is_ok();
            if !ok {
                return 1;
            }
        }
    }
    0
}

fn beat(_path: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(b"\"beat\"\n").and_then(|_| out.flush());
}

/// Limits this process's address space (`RLIMIT_AS`): past it an allocation fails and the
/// process aborts. What each worker does; `preuves text` and `explain` too.
#[cfg(unix)]
pub fn limit_memory(bytes: u64) {
    let lim = libc::rlimit {
        rlim_cur: bytes as libc::rlim_t,
        rlim_max: bytes as libc::rlim_t,
    };
    // SAFETY: setrlimit on this process with a valid struct.
    unsafe {
        libc::setrlimit(libc::RLIMIT_AS, &lim);
    }
}
/// See the Unix version: no limit elsewhere.
#[cfg(not(unix))]
pub fn limit_memory(_bytes: u64) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_and_paths_round_trip() {
        let r: Reply = serde_json::from_str("\"beat\"").unwrap();
        assert!(matches!(r, Reply::Beat));
        let d = process::error_document("a/b.pdf", Format::Pdf, 3, Error::timeout("x"));
        let line = serde_json::to_string(&Reply::Done {
            index: 7,
            documents: vec![d.clone()],
        })
        .unwrap();
        match serde_json::from_str::<Reply>(&line).unwrap() {
            Reply::Done { index, documents } => {
                assert_eq!(index, 7);
                assert_eq!(documents, vec![d]);
            }
            Reply::Beat => panic!("done expected"),
        }
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let odd = std::path::Path::new(std::ffi::OsStr::from_bytes(b"/tmp/caf\xe9.pdf"));
            let wire = serde_json::to_string(&WirePath::new(odd)).unwrap();
            let back: WirePath = serde_json::from_str(&wire).unwrap();
            assert_eq!(back.path(), odd);
        }
    }
}
