//! Memory ceilings on hostile inputs (issue 10): a scan of a nested zip bomb, and of a 200-page
//! Chromium-printed PDF, stays under 250 MB resident in every process it starts (the parent and
//! its workers), with the default limits.
//!
//! A test binary of its own with one test: `getrusage(RUSAGE_CHILDREN)` reports the largest
//! resident set of any process started from here and waited for (the scans, and the workers
//! they waited for), so no other test may start processes in this binary.

mod common;

use serde_json::Value;
use std::fs;
use std::path::Path;

const CEILING_MB: i64 = 250;

/// The largest peak resident set, in MB, of the children (and their waited-for descendants)
/// that this process has waited for so far.
fn children_peak_mb() -> i64 {
    // SAFETY: getrusage writes into the zeroed struct it is given and reads nothing else.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        assert_eq!(libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage), 0);
        usage
    };
    usage.ru_maxrss / 1024 // kilobytes on Linux
}

/// Scans `root` with workers, then in-process (`--no-cache` and `extra`), checking the ceiling
/// after each run; returns the two reports. `what` names the input in messages.
fn scan_both_ways(root: &Path, out: &Path, extra: &[&str], what: &str) -> Vec<Value> {
    let mut reports = Vec::new();
    for mode in [&[][..], &["--in-process"][..]] {
        let out = out.join(format!("out{}", mode.len()));
        let args: Vec<&str> = ["--no-cache"]
            .iter()
            .chain(extra)
            .chain(mode)
            .copied()
            .collect();
        common::run_scan(root, &out, &args);
        let peak = children_peak_mb();
        assert!(
            peak < CEILING_MB,
            "{what} {mode:?}: {peak} MB resident at the peak (ceiling {CEILING_MB} MB)"
        );
        eprintln!("{what} {mode:?}: peak resident so far {peak} MB");
        reports.push(common::read_report(&out));
    }
    reports
}

#[test]
fn a_nested_zip_bomb_and_a_200_page_pdf_stay_under_250_mb_resident() {
    let dir = tempfile::tempdir().unwrap();
    assert!(children_peak_mb() < 50, "a child ran before the scans");

    let bomb = dir.path().join("bomb");
    fs::create_dir_all(&bomb).unwrap();
    fs::write(bomb.join("bombe.zip"), common::bombs::nested_bomb()).unwrap();
    fs::write(bomb.join("note.txt"), "Programme de formation Excel").unwrap();
    for report in scan_both_ways(&bomb, dir.path(), &["--no-ocr"], "nested zip bomb") {
        let docs = report["documents"].as_array().unwrap();
        // The default cap (2 GiB expanded in all, across the levels) was reached: the bomb was
        // really read, and the rest refused.
        let read: u64 = docs
            .iter()
            .filter(|d| d["path"].as_str().unwrap().starts_with("bombe.zip/"))
            .map(|d| d["size"].as_u64().unwrap())
            .sum();
        assert!(read >= 1 << 30, "only {read} bytes read out of the bomb");
        assert!(
            docs.iter().any(|d| d["errors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["code"] == "too_large")),
            "nothing refused"
        );
    }

    // A register of 200 sign-in sheets printed by Chromium (Skia/PDF, subset fonts, 2 MB): read
    // whole, every page, under the same ceiling.
    let register = dir.path().join("register");
    fs::create_dir_all(&register).unwrap();
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/hostile/chromium_200_pages.pdf"),
        register.join("chromium_200_pages.pdf"),
    )
    .unwrap();
    let out = dir.path().join("register-out");
    for report in scan_both_ways(&register, &out, &[], "200-page Chromium PDF") {
        let doc = &report["documents"][0];
        assert_eq!(doc["pages"], 200, "{doc}");
        assert_eq!(doc["errors"].as_array().unwrap().len(), 0, "{doc}");
        assert_eq!(doc["kind"], "attendance_sheet");
    }
}
