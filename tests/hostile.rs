//! Hostile archives: a nested zip bomb is capped cumulatively across its levels, and a scan
//! leaves the scanned tree exactly as it was (content, sizes, mtimes, listing): with workers
//! and in-process, cold and warm with the results cache, and in shards.

mod common;

use assert_cmd::Command;
use common::bombs::nested_bomb;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

#[test]
fn a_nested_zip_bomb_is_capped_across_its_levels() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("archive");
    fs::create_dir_all(&root).unwrap();
    fs::write(root.join("bombe.zip"), nested_bomb()).unwrap();
    fs::write(root.join("note.txt"), "Programme de formation Excel").unwrap();
    let cap: u64 = 64 << 20;
    let options = preuves::ScanOptions {
        limits: preuves::extract::Limits {
            max_expanded_bytes: cap,
            ocr: false,
            ..Default::default()
        },
        ..Default::default()
    };
    let report = preuves::scan(&root, &options, &preuves::NoProgress).unwrap();
    let inside: Vec<_> = report
        .documents
        .iter()
        .filter(|d| d.path.starts_with("bombe.zip/"))
        .collect();
    // Every byte expanded out of the bomb, at every level, counts against one cap.
    // (a member refused has size 0; zeros are read, then reported as an unknown binary).
    let expanded: u64 = inside.iter().map(|d| d.size).sum();
    assert!(expanded <= cap, "{expanded} bytes expanded, cap {cap}");
    assert!(
        inside.iter().any(|d| d
            .errors
            .iter()
            .any(|e| e.code == preuves::ErrorCode::TooLarge
                && e.message.contains("expands to more than"))),
        "no member refused for the total"
    );
    // Some members were read before the cap, and the other file too.
    let read = |d: &&std::borrow::Cow<preuves::document::Document>| d.size == 16 << 20;
    assert!(inside.iter().filter(read).count() >= 2, "{inside:?}");
    let note = report
        .documents
        .iter()
        .find(|d| d.path == "note.txt")
        .unwrap();
    assert!(note.errors.is_empty());
}

/// Path → (is dir, size, mtime, blake3) of everything under `root`, the root included.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, (bool, u64, std::time::SystemTime, String)> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(root) {
        let e = e.unwrap();
        let m = fs::symlink_metadata(e.path()).unwrap();
        let hash = if m.is_file() {
            blake3::hash(&fs::read(e.path()).unwrap())
                .to_hex()
                .to_string()
        } else {
            String::new()
        };
        out.insert(
            e.path().to_path_buf(),
            (m.is_dir(), m.len(), m.modified().unwrap(), hash),
        );
    }
    out
}

#[test]
fn a_scan_leaves_the_scanned_tree_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("archive");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/archive/Formacoeur Lyon");
    common::copy_dir(&fixtures, &root);
    fs::write(root.join("bombe.zip"), nested_bomb()).unwrap();
    let before = snapshot(&root);
    assert!(before.len() > 80, "{} entries", before.len());
    let cache = dir.path().join("cache");
    let cache_arg = cache.to_str().unwrap();
    // Workers and in-process; a cold scan that fills a cache and a warm re-scan that reads it;
    // the two halves of a sharded run.
    let runs: [&[&str]; 6] = [
        &["--no-cache"],
        &["--no-cache", "--in-process", "--jobs", "1"],
        &["--cache", cache_arg],
        &["--cache", cache_arg],
        &["--cache", cache_arg, "--shard", "1/2"],
        &["--cache", cache_arg, "--shard", "2/2"],
    ];
    let mut shards = Vec::new();
    for (i, extra) in runs.iter().enumerate() {
        let out = dir.path().join(format!("out{i}"));
        common::run_scan(&root, &out, extra);
        if extra.contains(&"--shard") {
            assert!(out.join("documents.jsonl").is_file());
            shards.push(out);
        } else {
            assert!(out.join("report.json").is_file());
        }
        assert_eq!(snapshot(&root), before, "after scan {extra:?}");
    }
    assert!(cache.is_dir(), "the cache was not written");
    let merged = dir.path().join("merged");
    Command::cargo_bin("preuves")
        .unwrap()
        .arg("merge")
        .args(&shards)
        .arg("--out")
        .arg(&merged)
        .arg("--quiet")
        .assert()
        .success();
    assert!(merged.join("report.json").is_file());
    assert_eq!(snapshot(&root), before, "after merging the shards");
}
