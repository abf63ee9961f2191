//! Micro-benchmarks (divan): extraction and understanding per format on the fixture files, and
//! a whole scan of the fixture archive. Whole-command figures (500-file corpus, memory) are in
//! BENCHMARKS.md, measured with hyperfine and /usr/bin/time.
//!
//! Run: `cargo bench --bench scan`

use preuves::extract::{Input, Limits, extract_guarded};
use preuves::model::Format;
use std::path::{Path, PathBuf};

fn main() {
    divan::main();
}

fn archive() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/archive")
}

/// The fixture files of one format that read without error.
fn samples(format: Format) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(archive()).sort_by_file_name() {
        let Ok(entry) = entry else { continue };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(bytes) = std::fs::read(entry.path()) else {
            continue;
        };
        let name = entry.file_name().to_string_lossy().into_owned();
        let d = preuves::detect::detect(&bytes, &name);
        if d.format == format && d.error.is_none() {
            out.push((name, bytes));
        }
    }
    out
}

#[divan::bench(args = [Format::Pdf, Format::Docx, Format::Odt, Format::Xlsx, Format::Ods, Format::Xls, Format::Csv, Format::Doc, Format::Eml, Format::Zip])]
fn extract_format(bencher: divan::Bencher, format: Format) {
    let files = samples(format);
    let limits = Limits::default();
    bencher.bench(|| {
        for (name, bytes) in &files {
            let input = Input {
                bytes,
                name,
                limits: &limits,
                depth: 0,
                started: std::time::Instant::now(),
            };
            let _ = divan::black_box(extract_guarded(format, &input));
        }
    });
}

#[divan::bench(sample_count = 10)]
fn scan_fixture_archive() {
    let r = preuves::scan(
        &archive(),
        &preuves::ScanOptions::default(),
        &preuves::NoProgress,
    );
    divan::black_box(r.ok());
}
