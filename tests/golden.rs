//! Golden snapshots of the reports: one organisation of the fixture archive (72 files: client
//! sessions, trainers' CVs, quality documents, a zip) scanned by the binary with a fixed audit
//! date and link base, and every report it writes compared byte for byte with the files in
//! `tests/golden/atelier-nord/` — `report.json`, `report.html` (French and English),
//! `report.csv`, `documents.csv`, `indicators.csv`, `actions.csv`. Only what differs between two
//! runs is masked: the scan's duration and the scanned folder's absolute path.
//!
//! A change to any report shows here as a diff to review. When the change is intended,
//! regenerate with `PREUVES_UPDATE_GOLDEN=1 cargo test --test golden` and commit the files.

mod common;

use std::path::{Path, PathBuf};

const FILES: [&str; 6] = [
    "report.json",
    "report.html",
    "report.csv",
    "documents.csv",
    "indicators.csv",
    "actions.csv",
];

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/atelier-nord")
}

/// A report file with what varies between runs masked.
fn masked(name: &str, text: &str, root: &str) -> String {
    let text = text.replace(root, "ARCHIVE");
    match name {
        "report.json" => regex::Regex::new(r#""elapsed_ms": \d+"#)
            .unwrap()
            .replace_all(&text, r#""elapsed_ms": 0"#)
            .into_owned(),
        // The duration card: `<b>0.5 s</b>Durée (71 fichiers)`.
        _ if name.ends_with(".html") => regex::Regex::new(r"<b>[0-9.,]+ s</b>")
            .unwrap()
            .replace_all(&text, "<b>0 s</b>")
            .into_owned(),
        _ => text,
    }
}

fn check(lang: &str, golden_names: &[(&str, &str)]) {
    let root = common::archive().join("Atelier Nord Formation");
    let out = tempfile::tempdir().unwrap();
    common::run_scan(
        &root,
        out.path(),
        &[
            "--no-ocr",
            "--audit-date",
            "2026-12-01",
            "--link-base",
            "../archive/",
            "--lang",
            lang,
        ],
    );
    let update = std::env::var_os("PREUVES_UPDATE_GOLDEN").is_some();
    let mut differ = Vec::new();
    for (written, golden) in golden_names {
        let text = std::fs::read_to_string(out.path().join(written)).unwrap();
        let got = masked(written, &text, &root.to_string_lossy());
        let path = golden_dir().join(golden);
        if update {
            std::fs::create_dir_all(golden_dir()).unwrap();
            std::fs::write(&path, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (PREUVES_UPDATE_GOLDEN=1 writes it)",
                path.display()
            )
        });
        if got != want {
            let line = got
                .lines()
                .zip(want.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| got.lines().count().min(want.lines().count()));
            differ.push(format!(
                "{golden}: first difference at line {}\n  got:  {}\n  want: {}",
                line + 1,
                got.lines().nth(line).unwrap_or("<end>"),
                want.lines().nth(line).unwrap_or("<end>")
            ));
        }
    }
    assert!(
        differ.is_empty(),
        "reports differ from tests/golden/atelier-nord (review; if intended, regenerate with \
         PREUVES_UPDATE_GOLDEN=1):\n{}",
        differ.join("\n")
    );
}

#[test]
fn golden_reports_in_french_match_the_committed_snapshots() {
    let names: Vec<(&str, &str)> = FILES.iter().map(|f| (*f, *f)).collect();
    check("fr", &names);
}

#[test]
fn golden_html_report_in_english_matches_the_committed_snapshot() {
    check("en", &[("report.html", "report.en.html")]);
}
