//! Text-extraction quality on the fixture PDFs: the words that poppler's `pdftotext` finds must
//! be found in preuves' text (word recall ≥ 0.99 overall, accents included).
//! Needs `pdftotext` (Debian poppler-utils; `.ci/run` installs it).

mod common;

use common::{archive, truth_files};
use preuves::extract::{Input, Limits, extract_guarded};
use preuves::model::Format;
use std::collections::BTreeSet;
use std::process::Command;

fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

#[test]
fn word_recall_against_pdftotext_is_at_least_0_99() {
    let mut total = 0usize;
    let mut found = 0usize;
    let mut lines = Vec::new();
    let mut files = 0;
    for (path, t) in truth_files() {
        if t["format"] != "pdf"
            || !t["error"].is_null()
            || t["scanned"] == true
            || path.contains(".zip/")
            || path.contains(".eml/")
        {
            continue;
        }
        let file = archive().join(path);
        let out = Command::new("pdftotext")
            .args(["-enc", "UTF-8"])
            .arg(&file)
            .arg("-")
            .output()
            .expect("pdftotext is needed (apt-get install poppler-utils)");
        assert!(out.status.success(), "pdftotext failed on {path}");
        let reference = words(&String::from_utf8_lossy(&out.stdout));
        let bytes = std::fs::read(&file).unwrap();
        let limits = Limits::default();
        let input = Input {
            bytes: &bytes,
            name: path,
            limits: &limits,
            depth: 0,
            started: std::time::Instant::now(),
        };
        let ours = extract_guarded(Format::Pdf, &input).unwrap_or_else(|e| panic!("{path}: {e}"));
        let ours = words(&ours.full_text());
        let hit = reference.iter().filter(|w| ours.contains(*w)).count();
        let missing: Vec<&String> = reference
            .iter()
            .filter(|w| !ours.contains(*w))
            .take(8)
            .collect();
        total += reference.len();
        found += hit;
        files += 1;
        lines.push(format!(
            "{:>6.3} {:>5}/{:<5} {path} {}",
            hit as f64 / reference.len().max(1) as f64,
            hit,
            reference.len(),
            if missing.is_empty() {
                String::new()
            } else {
                format!("missing: {missing:?}")
            }
        ));
    }
    let recall = found as f64 / total.max(1) as f64;
    println!("PDF word recall vs pdftotext: {recall:.4} ({found}/{total} words, {files} PDFs)");
    for l in &lines {
        println!("  {l}");
    }
    assert!(
        files >= 10,
        "expected at least 10 text PDFs in the fixtures, found {files}"
    );
    assert!(recall >= 0.99, "word recall {recall:.4} < 0.99");
}
