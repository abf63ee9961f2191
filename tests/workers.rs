//! Worker isolation, end to end: the `preuves` binary reads files in worker processes; a file
//! that hangs its worker or exhausts its memory (the workers' test-only hooks
//! `PREUVES_TEST_HANG` / `PREUVES_TEST_ALLOC`) is reported with an error, and every other file
//! is read as in-process. The scans run with `--no-cache` (tests/common): a result of the same
//! content already in a cache would be served without a worker, and the hooks never fire.

mod common;

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

const SESSIONS: [&str; 2] = [
    "Atelier Nord Formation/Clients/Northwind Logistics/2025-02 Cross-cultural management",
    "Atelier Nord Formation/Clients/Mairie de Roubaix/2025-06 Excel perfectionnement",
];

/// Two sessions of the fixture archive (PDF, DOCX, CSV, a zip) and a folder of two CSV files
/// named for the hooks.
fn archive() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("archive");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/archive");
    for s in SESSIONS {
        let to = root.join(s);
        fs::create_dir_all(&to).unwrap();
        for e in fs::read_dir(fixtures.join(s)).unwrap() {
            let e = e.unwrap();
            fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
    let other = root.join("Divers");
    fs::create_dir_all(&other).unwrap();
    let csv = "Nom;Date de reponse;Note\nJulie Martin;14/03/2025;5\n";
    fs::write(other.join("bloque-ici.csv"), csv).unwrap();
    fs::write(other.join("gourmand-ici.csv"), csv).unwrap();
    (dir, root)
}

fn scan(root: &Path, out: &Path, extra: &[&str], env: &[(&str, &str)]) -> Value {
    common::run_scan_env(root, out, extra, env);
    common::read_report(out)
}

/// path → (kind, error codes, hash) of every document.
fn documents(report: &Value) -> Vec<(String, Value, Value, Value)> {
    report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let codes: Vec<Value> = d["errors"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["code"].clone())
                .collect();
            (
                d["path"].as_str().unwrap().to_string(),
                d["kind"].clone(),
                Value::Array(codes),
                d["hash"].clone(),
            )
        })
        .collect()
}

fn error_codes(report: &Value, path: &str) -> Vec<String> {
    let d = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["path"] == path)
        .unwrap_or_else(|| panic!("{path} not in the report"));
    d["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap().to_string())
        .collect()
}

/// Every document but `except`, as the in-process scan sees them.
fn same_as_in_process(root: &Path, report: &Value, except: &str) {
    let out = tempfile::tempdir().unwrap();
    let reference = scan(root, out.path(), &["--in-process"], &[]);
    let keep = |v: Vec<(String, Value, Value, Value)>| -> Vec<_> {
        v.into_iter().filter(|d| d.0 != except).collect()
    };
    let (a, b) = (keep(documents(report)), keep(documents(&reference)));
    assert!(a.len() > 15, "{} documents", a.len());
    assert_eq!(a, b);
}

#[test]
fn a_file_that_hangs_its_worker_is_reported_timeout_and_the_scan_completes() {
    let (_dir, root) = archive();
    let out = tempfile::tempdir().unwrap();
    let report = scan(
        &root,
        out.path(),
        &["--file-timeout", "1", "--jobs", "2"],
        &[("PREUVES_TEST_HANG", "bloque-ici")],
    );
    assert_eq!(error_codes(&report, "Divers/bloque-ici.csv"), ["timeout"]);
    assert!(error_codes(&report, "Divers/gourmand-ici.csv").is_empty());
    same_as_in_process(&root, &report, "Divers/bloque-ici.csv");
}

#[test]
fn a_file_that_exhausts_its_worker_memory_is_reported_too_large_and_the_scan_completes() {
    let (_dir, root) = archive();
    let out = tempfile::tempdir().unwrap();
    let report = scan(
        &root,
        out.path(),
        &["--worker-memory-mib", "512", "--jobs", "1"],
        &[("PREUVES_TEST_ALLOC", "gourmand-ici")],
    );
    assert_eq!(
        error_codes(&report, "Divers/gourmand-ici.csv"),
        ["too_large"]
    );
    let d = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["path"] == "Divers/gourmand-ici.csv")
        .unwrap();
    assert!(
        d["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("memory limit of 512 MiB"),
        "{}",
        d["errors"][0]
    );
    assert!(error_codes(&report, "Divers/bloque-ici.csv").is_empty());
    same_as_in_process(&root, &report, "Divers/gourmand-ici.csv");
}

#[test]
fn the_hooks_are_ignored_in_process() {
    let (_dir, root) = archive();
    let out = tempfile::tempdir().unwrap();
    let report = scan(
        &root,
        out.path(),
        &["--in-process"],
        &[("PREUVES_TEST_HANG", "bloque-ici")],
    );
    assert!(error_codes(&report, "Divers/bloque-ici.csv").is_empty());
}
