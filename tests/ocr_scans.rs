//! Scanned documents through the public API: OCR, kind, dates, signatures and attendance cells
//! measured against the ground truth of tests/data/scans (made by make_scans.py there).
//!
//! Needs tesseract with the French model (Debian: tesseract-ocr tesseract-ocr-fra
//! tesseract-ocr-eng): the measuring test fails, it does not skip, when it is missing.
//! `OCR_SCANS_VERBOSE=1` prints every document's text, spans and ink.

use preuves::document::{Document, SignatureStatus};
use preuves::understand::normalize::normalize_line;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/scans")
}

fn truth() -> Value {
    let text =
        std::fs::read_to_string(folder().join("truth.json")).expect("tests/data/scans/truth.json");
    serde_json::from_str(&text).expect("truth is JSON")
}

fn require_tesseract() {
    if let Err(why) = preuves::ocr::engine::engine() {
        panic!(
            "this test needs tesseract: {why}\n\
             install it with `apt-get install tesseract-ocr tesseract-ocr-fra tesseract-ocr-eng`"
        );
    }
}

/// The scan of the fixtures, and its wall time in seconds.
fn report() -> &'static (preuves::report::Report, f32) {
    static R: OnceLock<(preuves::report::Report, f32)> = OnceLock::new();
    R.get_or_init(|| {
        let t = std::time::Instant::now();
        let report = preuves::scan(
            &folder(),
            &preuves::ScanOptions::default(),
            &preuves::NoProgress,
        )
        .expect("scan of tests/data/scans");
        (report, t.elapsed().as_secs_f32())
    })
}

fn status_id(s: SignatureStatus) -> &'static str {
    match s {
        SignatureStatus::Signed => "signed",
        SignatureStatus::Unsigned => "unsigned",
        SignatureStatus::Partial => "partial",
        SignatureStatus::NotApplicable => "not_applicable",
        SignatureStatus::Unknown => "unknown",
    }
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push(
                (prev[j] + (ca != *cb) as usize)
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1),
            );
        }
        prev = cur;
    }
    prev[b.len()]
}

fn same_person(printed: &str, found: &str) -> bool {
    let (a, b) = (normalize_line(printed), normalize_line(found));
    a == b
        || levenshtein(&a, &b) <= 2
        || (a.len() > 6 && b.contains(&a))
        || (b.len() > 6 && a.contains(&b))
}

/// Whether a reported slot label ("12/03/2025 Matin") is the truth's slot.
fn same_slot(label: &str, date_iso: &str, half: &str) -> bool {
    let n = normalize_line(label);
    let half_ok = if normalize_line(half).starts_with("matin") {
        n.contains("matin")
    } else {
        n.contains("apres") || n.contains("midi")
    };
    let (y, m, d) = (&date_iso[0..4], &date_iso[5..7], &date_iso[8..10]);
    half_ok && n.contains(&format!("{d}/{m}/{y}"))
}

#[derive(Default)]
struct Cells {
    tp: usize,
    fp: usize,
    fn_: usize,
}

/// Cell-level outcome of one attendance sheet: signed cells are those the report does not list
/// as empty/absent/uncertain, cross-checked against its `found` count.
fn cells_of(doc: &Document, truth: &Value, log: &mut String) -> Cells {
    let sig = &doc.signature;
    let mut c = Cells::default();
    let cells = truth["cells"].as_array().expect("cells");
    let listed = |t: &Value| {
        sig.empty_cells.iter().any(|e| {
            same_person(t["row_text"].as_str().unwrap_or(""), &e.trainee)
                && same_slot(
                    &e.slot,
                    t["date"].as_str().unwrap_or(""),
                    t["half"].as_str().unwrap_or(""),
                )
        })
    };
    let mut truth_signed = 0;
    for t in cells {
        let signed = t["signed"].as_bool().unwrap_or(false);
        truth_signed += signed as usize;
        let predicted_signed = !listed(t);
        match (signed, predicted_signed) {
            (true, true) => c.tp += 1,
            (false, true) => {
                c.fp += 1;
                log.push_str(&format!(
                    "    FP cell {} {} {}\n",
                    t["row_text"], t["date"], t["half"]
                ));
            }
            (true, false) => {
                c.fn_ += 1;
                log.push_str(&format!(
                    "    FN cell {} {} {}\n",
                    t["row_text"], t["date"], t["half"]
                ));
            }
            _ => {}
        }
    }
    let found = sig.found.unwrap_or(0) as usize;
    // Cells marked absent may or may not count as expected signatures.
    let absent = cells
        .iter()
        .filter(|t| t["absent"].as_bool().unwrap_or(false))
        .count();
    let expected_ok = sig
        .expected
        .is_some_and(|e| e as usize == cells.len() || e as usize == cells.len() - absent);
    if found != c.tp + c.fp || !expected_ok {
        log.push_str(&format!(
            "    grid mismatch: expected {:?} (truth {}), found {found} (cells say {}); empty cells listed: {:?}\n",
            sig.expected,
            cells.len(),
            c.tp + c.fp,
            sig.empty_cells.iter().map(|e| format!("{} | {} | {}", e.trainee, e.slot, e.state)).collect::<Vec<_>>()
        ));
        let tp = c.tp.min(found);
        c = Cells {
            tp,
            fp: found - tp,
            fn_: truth_signed - tp,
        };
    }
    c
}

#[test]
fn scanned_documents_meet_the_issue_floors() {
    require_tesseract();
    let truth = truth();
    let files = truth["files"].as_object().expect("files");
    let (report, wall) = report();
    let docs: BTreeMap<&str, &Document> = report
        .documents
        .in_memory()
        .expect("a library scan keeps its documents in memory")
        .iter()
        .map(|d| (d.path.as_str(), d))
        .collect();
    let verbose = std::env::var("OCR_SCANS_VERBOSE").is_ok();
    let (mut kinds_ok, mut n) = (0usize, 0usize);
    let (mut dates_found, mut dates_total) = (0usize, 0usize);
    let (mut status_ok, mut status_n) = (0usize, 0usize);
    let mut cells = Cells::default();
    let mut pages_read = 0usize;
    let mut log = String::new();
    for (name, t) in files {
        let d = docs
            .get(name.as_str())
            .unwrap_or_else(|| panic!("{name} not in the report"));
        n += 1;
        let kind_ok = d.kind.id() == t["kind"].as_str().unwrap_or("");
        kinds_ok += kind_ok as usize;
        let found: Vec<&str> = d.dates.iter().map(|f| f.date.as_str()).collect();
        let want: Vec<&str> = t["dates"]
            .as_array()
            .expect("dates")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let hit = want.iter().filter(|w| found.contains(w)).count();
        dates_found += hit;
        dates_total += want.len();
        let status = status_id(d.signature.status);
        let want_status = t["signature"].as_str().unwrap_or("");
        status_n += 1;
        status_ok += (status == want_status) as usize;
        let ocr = d
            .metadata
            .other
            .get("ocr")
            .cloned()
            .unwrap_or_else(|| "NOT READ".into());
        if d.metadata.other.contains_key("ocr") {
            pages_read += d.pages as usize;
        }
        log.push_str(&format!(
            "{name}\n  kind {} (want {}){}  dates {hit}/{} {:?}  signature {status} (want {want_status}) {:?}/{:?}\n  {ocr}; warnings {:?}\n",
            d.kind.id(),
            t["kind"].as_str().unwrap_or(""),
            if kind_ok { "" } else { " ✗" },
            want.len(),
            found,
            d.signature.found,
            d.signature.expected,
            d.warnings
        ));
        if verbose {
            for e in &d.signature.evidence {
                log.push_str(&format!("    evidence {}: {}\n", e.method, e.detail));
            }
        }
        if t["kind"] == "attendance_sheet" && t.get("cells").is_some() {
            let c = cells_of(d, t, &mut log);
            log.push_str(&format!("  cells tp {} fp {} fn {}\n", c.tp, c.fp, c.fn_));
            cells.tp += c.tp;
            cells.fp += c.fp;
            cells.fn_ += c.fn_;
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    let kind_acc = ratio(kinds_ok, n);
    let date_recall = ratio(dates_found, dates_total);
    let status_acc = ratio(status_ok, status_n);
    let precision = ratio(cells.tp, cells.tp + cells.fp);
    let recall = ratio(cells.tp, cells.tp + cells.fn_);
    // Wall time of the whole scan (all workers) over the pages OCRed: an upper bound of the OCR
    // cost per page on this machine and build profile.
    let per_page = wall / pages_read.max(1) as f32;
    println!("{log}");
    println!(
        "scanned documents: {n}; kind accuracy {kind_acc:.3}; date recall {date_recall:.3} ({dates_found}/{dates_total}); \
         signature status accuracy {status_acc:.3}; cells: precision {precision:.3} recall {recall:.3} \
         (tp {} fp {} fn {}); {pages_read} pages OCRed, scan wall time {wall:.1} s = {per_page:.2} s per page",
        cells.tp, cells.fp, cells.fn_,
    );
    assert!(
        kind_acc >= 0.93,
        "kind accuracy {kind_acc:.3} < 0.93\n{log}"
    );
    assert!(
        date_recall >= 0.9,
        "date recall {date_recall:.3} < 0.9\n{log}"
    );
    assert!(
        status_acc >= 0.93,
        "signature status accuracy {status_acc:.3} < 0.93\n{log}"
    );
    assert!(
        precision >= 0.95,
        "cell precision {precision:.3} < 0.95\n{log}"
    );
    assert!(recall >= 0.95, "cell recall {recall:.3} < 0.95\n{log}");
}

/// Without OCR the scan completes and every scanned page is reported as not read.
#[test]
fn without_ocr_scans_complete_and_say_what_was_not_read() {
    let options = preuves::ScanOptions {
        limits: preuves::extract::Limits {
            ocr: false,
            ..Default::default()
        },
        ..Default::default()
    };
    let report = preuves::scan(&folder(), &options, &preuves::NoProgress).expect("scan");
    let truth = truth();
    let files = truth["files"].as_object().expect("files").len();
    assert_eq!(report.summary.pages_not_read, files, "one page per fixture");
    for name in truth["files"].as_object().expect("files").keys() {
        let d = report
            .documents
            .iter()
            .find(|d| &d.path == name)
            .expect("document");
        assert!(d.errors.is_empty(), "{name}: {:?}", d.errors);
        assert!(d.scanned, "{name}");
        assert!(
            d.warnings
                .iter()
                .any(|w| w.contains("not read: OCR disabled")),
            "{name}: {:?}",
            d.warnings
        );
        assert!(
            d.metadata.other.contains_key("ocr_pages_not_read"),
            "{name}"
        );
        assert!(!d.metadata.other.contains_key("ocr"), "{name}");
    }
}

/// With tesseract missing (a program that does not exist), the CLI scan completes and its report
/// names the pages not read and how to install OCR.
#[test]
fn missing_tesseract_is_reported_not_fatal() {
    let out = tempfile::tempdir().expect("temp dir");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_preuves"))
        .args(["scan", "--quiet", "--no-cache", "--out"])
        .arg(out.path())
        .arg(folder())
        .env(
            "PREUVES_TESSERACT",
            "/nonexistent/tesseract-for-preuves-tests",
        )
        .status()
        .expect("run preuves");
    assert!(status.success(), "{status}");
    let json = std::fs::read_to_string(out.path().join("report.json")).expect("report.json");
    let report: Value = serde_json::from_str(&json).expect("json");
    let docs = report["documents"].as_array().expect("documents");
    let doc = docs
        .iter()
        .find(|d| d["path"] == "scan_0051.pdf")
        .expect("scan_0051.pdf");
    let warnings = doc["warnings"].to_string();
    assert!(
        warnings.contains("page 1 not read: OCR unavailable"),
        "{warnings}"
    );
    assert!(warnings.contains("tesseract-ocr-fra"), "{warnings}");
}

/// Development aid: `OCR_SCANS_FILE=name cargo test --test ocr_scans dump -- --ignored --nocapture`
/// prints what extraction + OCR made of one file (spans with positions, ink boxes).
#[test]
#[ignore]
fn dump() {
    let name = std::env::var("OCR_SCANS_FILE").unwrap_or_else(|_| "scan_0051.pdf".into());
    let bytes = std::fs::read(folder().join(&name)).expect("file");
    let detection = preuves::detect::detect(&bytes, &name);
    let limits = preuves::extract::Limits::default();
    let input = preuves::extract::Input {
        bytes: &bytes,
        name: &name,
        limits: &limits,
        depth: 0,
        started: std::time::Instant::now(),
    };
    let mut ex = preuves::extract::extract_guarded(detection.format, &input).expect("extract");
    let t = std::time::Instant::now();
    preuves::ocr::complete(detection.format, &bytes, &mut ex, &limits);
    println!(
        "ocr in {:.2} s; {:?}; warnings {:?}",
        t.elapsed().as_secs_f32(),
        ex.metadata.other,
        ex.warnings
    );
    for p in &ex.pages {
        println!("=== page {} size {:?}\n{}", p.number, p.size, p.text);
        for s in &p.spans {
            println!(
                "span x {:7.1} y {:7.1} w {:6.1} fs {:5.1} «{}»",
                s.x, s.y, s.width, s.font_size, s.text
            );
        }
        for i in &p.images {
            println!(
                "image {} {:?} {:?}x{:?} {:?}",
                i.name, i.encoding, i.width_px, i.height_px, i.anchor
            );
        }
    }
}
