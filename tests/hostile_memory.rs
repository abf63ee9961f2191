//! Memory ceilings on hostile inputs (issue 10): a scan of a nested zip bomb, and of a 200-page
//! Chromium-printed PDF, stays under 250 MB resident in every process it starts (the parent and
//! its workers), with the default limits.
//!
//! A test binary of its own with one test: `getrusage(RUSAGE_CHILDREN)` reports the largest
//! resident set of any process started from here and waited for (the scans, and the workers
//! they waited for), so no other test may start processes in this binary.

mod common;

use assert_cmd::Command;
use std::fs;

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

#[test]
fn a_nested_zip_bomb_and_a_200_page_pdf_stay_under_250_mb_resident() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("archive");
    fs::create_dir_all(&root).unwrap();
    fs::write(root.join("bombe.zip"), common::bombs::nested_bomb()).unwrap();
    fs::write(root.join("note.txt"), "Programme de formation Excel").unwrap();
    assert!(children_peak_mb() < 50, "a child ran before the scans");
    for extra in [&[][..], &["--in-process"][..]] {
        let out = dir.path().join(format!("out{}", extra.len()));
        Command::cargo_bin("preuves")
            .unwrap()
            .arg("scan")
            .arg(&root)
            .arg("--out")
            .arg(&out)
            .args(["--quiet", "--no-cache", "--no-ocr"])
            .args(extra)
            .assert()
            .success();
        let report: serde_json::Value =
            serde_json::from_slice(&fs::read(out.join("report.json")).unwrap()).unwrap();
        let docs = report["documents"].as_array().unwrap();
        // The default cap (2 GiB expanded in all, across the levels) was reached: the bomb was
        // really read, and the rest refused.
        let read: u64 = docs
            .iter()
            .filter(|d| d["path"].as_str().unwrap().starts_with("bombe.zip/"))
            .map(|d| d["size"].as_u64().unwrap())
            .sum();
        assert!(
            read >= 1 << 30,
            "only {read} bytes read out of the bomb {extra:?}"
        );
        assert!(
            docs.iter().any(|d| d["errors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["code"] == "too_large")),
            "nothing refused {extra:?}"
        );
        let peak = children_peak_mb();
        assert!(
            peak < CEILING_MB,
            "{peak} MB resident at the peak {extra:?} (ceiling {CEILING_MB} MB)"
        );
        eprintln!("nested zip bomb {extra:?}: peak resident {peak} MB");
    }

    // A register of 200 sign-in sheets printed by Chromium (Skia/PDF, subset fonts, 2 MB): read
    // whole, every page, under the same ceiling.
    let register = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/hostile/chromium_200_pages.pdf");
    for doc in scan_alone(dir.path(), &register) {
        assert_eq!(doc["pages"], 200, "{doc}");
        assert_eq!(doc["errors"].as_array().unwrap().len(), 0, "{doc}");
        assert_eq!(doc["kind"], "attendance_sheet");
    }
    let peak = children_peak_mb();
    assert!(
        peak < CEILING_MB,
        "{peak} MB resident at the peak (200-page PDF)"
    );
    eprintln!("200-page Chromium PDF: peak resident {peak} MB (the bomb's included)");
}

/// Scans `file` alone with and without workers and returns the report's one document.
fn scan_alone(dir: &std::path::Path, file: &std::path::Path) -> Vec<serde_json::Value> {
    let root = dir.join("alone");
    fs::create_dir_all(&root).unwrap();
    fs::copy(file, root.join(file.file_name().unwrap())).unwrap();
    let mut docs = Vec::new();
    for extra in [&[][..], &["--in-process"][..]] {
        let out = dir.join(format!("alone-out{}", extra.len()));
        Command::cargo_bin("preuves")
            .unwrap()
            .arg("scan")
            .arg(&root)
            .arg("--out")
            .arg(&out)
            .args(["--quiet", "--no-cache"])
            .args(extra)
            .assert()
            .success();
        let report: serde_json::Value =
            serde_json::from_slice(&fs::read(out.join("report.json")).unwrap()).unwrap();
        docs.push(report["documents"][0].clone());
    }
    docs
}
