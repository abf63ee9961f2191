//! Mutation harness: damages files of a fixture folder and reads each one, checking that no
//! panic escapes (a caught panic is an `internal` error: counted as a failure), that every file
//! gets a report entry, and that each file is read within a bound.
//!
//! ```text
//! cargo run --release --example mutate -- fixtures/archive 2000 [SEED]
//! ```
//!
//! Mutations (seeded, reproducible): truncation at a random point, 1–16 random byte flips, a
//! chunk cut out of the middle. Mutated inputs are written under a temporary folder (never in
//! the fixtures); failing ones are copied to `target/mutate-failures/`. Exit code 1 on any
//! failure. A file that takes longer than twice the per-file time budget ends the run with its
//! path (a hang cannot be interrupted in-process).

use preuves::error::ErrorCode;
use preuves::extract::Limits;
use preuves::walk::{FoundFile, WalkOptions, walk};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// splitmix64: small, seeded, good enough to pick offsets.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn mutate(bytes: &[u8], rng: &mut Rng) -> (Vec<u8>, String) {
    let mut b = bytes.to_vec();
    match rng.below(3) {
        0 => {
            let at = rng.below(b.len());
            b.truncate(at);
            (b, format!("truncated at {at}"))
        }
        1 => {
            let n = 1 + rng.below(16);
            for _ in 0..n {
                if !b.is_empty() {
                    let i = rng.below(b.len());
                    b[i] ^= 1 << rng.below(8);
                }
            }
            (b, format!("{n} bit flips"))
        }
        _ => {
            let from = rng.below(b.len());
            let len = rng.below((b.len() - from).min(4096) + 1);
            b.drain(from..from + len);
            (b, format!("{len} bytes cut at {from}"))
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(n)) = (
        args.first(),
        args.get(1).and_then(|n| n.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: mutate FIXTURE_DIR N [SEED]");
        std::process::exit(2);
    };
    let seed = args
        .get(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261203u64);
    let sources = walk(Path::new(dir), &WalkOptions::default()).expect("fixture folder");
    let sources: Vec<_> = sources.files.into_iter().filter(|f| f.size > 0).collect();
    let tmp = tempfile::tempdir().expect("temporary folder");
    let failures = PathBuf::from("target/mutate-failures");
    let limits = Limits {
        ocr: false,
        time_budget: Duration::from_secs(10),
        ..Limits::default()
    };
    let bound = limits.time_budget * 2;
    let mut rng = Rng(seed);
    let started = Instant::now();
    let (mut failed, mut slowest) = (0usize, (Duration::ZERO, String::new()));
    // A watchdog: a file past the bound is a hang; report it and stop.
    let current: Arc<Mutex<(Instant, String)>> =
        Arc::new(Mutex::new((Instant::now(), String::new())));
    let done = Arc::new(AtomicBool::new(false));
    {
        let (current, done) = (Arc::clone(&current), Arc::clone(&done));
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(200));
                let (since, what) = current.lock().unwrap().clone();
                if !what.is_empty() && since.elapsed() > bound {
                    eprintln!("HANG: {what} still being read after {} s", bound.as_secs());
                    std::process::exit(1);
                }
            }
        });
    }
    for i in 0..n {
        let src = &sources[rng.below(sources.len())];
        let bytes = std::fs::read(&src.abs_path).expect("fixture readable");
        let (damaged, how) = mutate(&bytes, &mut rng);
        let name = src.rel_path.rsplit('/').next().unwrap_or("f");
        let path = tmp.path().join(format!("{i:06}-{name}"));
        std::fs::write(&path, &damaged).expect("temporary file");
        let file = FoundFile {
            rel_path: format!("{i:06}-{name}"),
            abs_path: path.clone(),
            size: damaged.len() as u64,
            modified: None,
            warnings: Vec::new(),
        };
        let what = format!("{} ({how})", src.rel_path);
        *current.lock().unwrap() = (Instant::now(), what.clone());
        let t = Instant::now();
        let docs = preuves::process::process_file(&file, &limits);
        let took = t.elapsed();
        if took > slowest.0 {
            slowest = (took, what.clone());
        }
        let internal = docs
            .iter()
            .flat_map(|d| &d.errors)
            .find(|e| e.code == ErrorCode::Internal);
        let reported = docs.iter().any(|d| d.path == file.rel_path);
        if internal.is_some() || !reported {
            failed += 1;
            eprintln!(
                "FAIL {what}: {}",
                internal.map_or("not in the report".to_string(), |e| e.message.clone())
            );
            let _ = std::fs::create_dir_all(&failures);
            let _ = std::fs::copy(&path, failures.join(file.rel_path));
        }
        let _ = std::fs::remove_file(&path);
    }
    done.store(true, Ordering::Relaxed);
    println!(
        "{n} mutated inputs from {} files, seed {seed}: {failed} failures (panics or missing \
         entries), 0 hangs over {} s; slowest {:.2} s ({}); total {:.1} s",
        sources.len(),
        bound.as_secs(),
        slowest.0.as_secs_f64(),
        slowest.1,
        started.elapsed().as_secs_f64()
    );
    if failed > 0 {
        std::process::exit(1);
    }
}
