//! Year-scale re-scans (issue 9): the results cache and shards, end to end on a copy of part of
//! the fixture archive (born-digital PDF, Word, ODT, spreadsheets, CSV and a scanned PDF).

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};

/// A copy of one organisation's 2025 sessions (about 40 files, one scan) in a temporary folder.
fn archive() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("archive");
    common::copy_dir(&common::archive().join("Formacoeur Lyon/2025"), &root);
    (dir, root)
}

/// Every entry under `root`: path, size, modification time and content digest (folders too).
fn snapshot(root: &Path) -> Vec<(String, u64, std::time::SystemTime, String)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let e = e.unwrap();
            let m = e.metadata().unwrap();
            let digest = if m.is_dir() {
                stack.push(e.path());
                String::new()
            } else {
                blake3::hash(&std::fs::read(e.path()).unwrap())
                    .to_hex()
                    .to_string()
            };
            out.push((
                e.path().display().to_string(),
                m.len(),
                m.modified().unwrap(),
                digest,
            ));
        }
    }
    out.sort();
    out
}

/// A report without what differs between two runs of one archive: timings and cache counters.
fn comparable(mut r: Value) -> Value {
    let s = r["summary"].as_object_mut().unwrap();
    s.remove("elapsed_ms");
    s.remove("cache");
    r
}

fn counters(r: &Value) -> (u64, u64, u64) {
    let c = &r["summary"]["cache"];
    (
        c["files_from_cache"].as_u64().unwrap(),
        c["files_read"].as_u64().unwrap(),
        c["files_stored"].as_u64().unwrap(),
    )
}

fn lib_scan(root: &Path, cache: Option<&Path>) -> preuves::report::Report {
    let options = preuves::ScanOptions {
        cache: cache.map(Path::to_path_buf),
        ..preuves::ScanOptions::default()
    };
    preuves::scan(root, &options, &preuves::NoProgress).unwrap()
}

fn to_value(r: &preuves::report::Report) -> Value {
    serde_json::to_value(r).unwrap()
}

#[test]
fn cache_unchanged_rescan_reads_nothing_and_gives_the_same_report_and_a_changed_file_is_reread() {
    let (dir, root) = archive();
    let cache = dir.path().join("cache");
    let before = snapshot(&root);
    let plain = to_value(&lib_scan(&root, None));
    let first = to_value(&lib_scan(&root, Some(&cache)));
    let files = first["summary"]["files"].as_u64().unwrap();
    assert!(files > 30, "{files}");
    assert_eq!(counters(&first), (0, files, files));
    assert_eq!(comparable(first.clone()), comparable(plain));

    let second = to_value(&lib_scan(&root, Some(&cache)));
    assert_eq!(counters(&second), (files, 0, 0));
    assert_eq!(
        second["summary"]["cache"]["documents_from_cache"],
        second["summary"]["documents"]
    );
    assert_eq!(comparable(second), comparable(first.clone()));
    // Read-only, proven: a scan and a re-scan with the cache leave the tree as it was.
    assert_eq!(snapshot(&root), before);

    // One file changed (an invoice rewritten as a quote): only it is read again, and the report
    // follows the new content.
    let session = root.join("2025-09 Prise de parole en public - Camille Perrin");
    std::fs::write(
        session.join("Facture 2025-131.pdf"),
        std::fs::read(root.join(
            "2025-05 Management d'équipe - Transports Giraud/Convocation_Transports_Giraud.pdf",
        ))
        .unwrap(),
    )
    .unwrap();
    let third = to_value(&lib_scan(&root, Some(&cache)));
    assert_eq!(counters(&third), (files - 1, 1, 1));
    let plain_after = to_value(&lib_scan(&root, None));
    assert_eq!(comparable(third), comparable(plain_after));

    // A file moved to another session folder keeps nothing from the old place: its context
    // (name and folders) is part of the key, so it is read again there.
    let from = root.join("2025-09 Prise de parole en public - Camille Perrin/Sans titre 1.odt");
    let to = root.join("2025-04 SST initial - EHPAD Les Tilleuls/Sans titre 1.odt");
    std::fs::rename(&from, &to).unwrap();
    let fourth = to_value(&lib_scan(&root, Some(&cache)));
    assert_eq!(counters(&fourth), (files - 1, 1, 1));
}

#[test]
fn cache_file_truncated_mid_write_is_detected_set_aside_and_rebuilt() {
    let (dir, root) = archive();
    let cache = dir.path().join("cache");
    let first = to_value(&lib_scan(&root, Some(&cache)));
    let files = first["summary"]["files"].as_u64().unwrap();
    let db = cache.join(preuves::cache::FILE_NAME);
    // Fold the write-ahead log into the file, then cut the file in the middle of a page.
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
    }
    let len = std::fs::metadata(&db).unwrap().len();
    assert!(len > 8192, "{len}");
    let f = std::fs::OpenOptions::new().write(true).open(&db).unwrap();
    f.set_len(len / 2 + 100).unwrap();
    drop(f);

    let second = to_value(&lib_scan(&root, Some(&cache)));
    let note = second["summary"]["cache"]["note"].as_str().unwrap_or("");
    assert!(note.contains("set aside"), "{note}");
    assert_eq!(counters(&second), (0, files, files));
    assert_eq!(comparable(second), comparable(first.clone()));
    assert!(
        cache
            .join(format!("{}.damaged", preuves::cache::FILE_NAME))
            .exists()
    );
    // Rebuilt: the next run is served from it again.
    let third = to_value(&lib_scan(&root, Some(&cache)));
    assert_eq!(counters(&third), (files, 0, 0));
    assert!(third["summary"]["cache"]["note"].is_null());

    // A file that is not a preuves cache at all (another program's file, garbage) is never
    // trusted either.
    std::fs::write(&db, b"not a database, just bytes".repeat(500)).unwrap();
    let _ = std::fs::remove_file(cache.join(format!("{}-wal", preuves::cache::FILE_NAME)));
    let fourth = to_value(&lib_scan(&root, Some(&cache)));
    assert!(
        fourth["summary"]["cache"]["note"]
            .as_str()
            .unwrap()
            .contains("set aside")
    );
    assert_eq!(comparable(fourth), comparable(first));
}

#[test]
fn cache_two_concurrent_scans_with_one_cache_both_complete_correctly() {
    let (dir, root) = archive();
    let cache = dir.path().join("cache");
    let plain = comparable(common::scan_report(
        &root,
        &dir.path().join("plain"),
        &["--no-cache"],
    ));
    let spawn = |out: &str| {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("preuves"))
            .arg("scan")
            .arg(&root)
            .arg("--out")
            .arg(dir.path().join(out))
            .arg("--cache")
            .arg(&cache)
            .arg("--quiet")
            .arg("--jobs")
            .arg("1")
            .spawn()
            .unwrap()
    };
    let (mut a, mut b) = (spawn("a"), spawn("b"));
    assert!(a.wait().unwrap().success());
    assert!(b.wait().unwrap().success());
    let (ra, rb) = (
        common::read_report(&dir.path().join("a")),
        common::read_report(&dir.path().join("b")),
    );
    for r in [&ra, &rb] {
        assert!(r["summary"]["cache"]["note"].is_null(), "{}", r["summary"]);
    }
    assert_eq!(comparable(ra), plain);
    assert_eq!(comparable(rb), plain);
    // Between them, every file is in the cache now.
    let again = common::scan_report(
        &root,
        &dir.path().join("c"),
        &["--cache", cache.to_str().unwrap()],
    );
    let files = again["summary"]["files"].as_u64().unwrap();
    assert_eq!(counters(&again), (files, 0, 0));
}

#[test]
fn shards_three_merged_equal_one_scan() {
    let (dir, root) = archive();
    let before = snapshot(&root);
    let single = comparable(common::scan_report(
        &root,
        &dir.path().join("single"),
        &["--no-cache"],
    ));
    let mut shard_dirs = Vec::new();
    let mut documents = 0;
    for k in 1..=3 {
        let out = dir.path().join(format!("shard{k}"));
        common::preuves()
            .arg("scan")
            .arg(&root)
            .args([
                "--shard",
                &format!("{k}/3"),
                "--no-cache",
                "--quiet",
                "--out",
            ])
            .arg(&out)
            .assert()
            .success();
        let lines = std::fs::read_to_string(out.join(preuves::shard::FILE_NAME)).unwrap();
        let header: Value = serde_json::from_str(lines.lines().next().unwrap()).unwrap();
        assert_eq!(header["format"], "preuves-shard 1");
        let n = header["documents"].as_u64().unwrap();
        assert!(n > 0, "shard {k} is empty");
        assert_eq!(lines.lines().count() as u64, n + 1);
        documents += n;
        assert!(!out.join("report.json").exists());
        shard_dirs.push(out);
    }
    assert_eq!(Some(documents), single["summary"]["documents"].as_u64());
    // In any order.
    let merged = dir.path().join("merged");
    common::preuves()
        .arg("merge")
        .args([&shard_dirs[2], &shard_dirs[0], &shard_dirs[1]])
        .arg("--out")
        .arg(&merged)
        .arg("--quiet")
        .assert()
        .success();
    assert_eq!(comparable(common::read_report(&merged)), single);
    // Read-only, proven: the shard runs and the merge left the tree as it was.
    assert_eq!(snapshot(&root), before);
    for page in ["report.html", "report.csv", "actions.csv"] {
        assert!(merged.join(page).exists(), "{page}");
    }

    // A missing or repeated shard is refused with the reason.
    let out = common::preuves()
        .arg("merge")
        .args([&shard_dirs[0], &shard_dirs[2]])
        .arg("--out")
        .arg(dir.path().join("bad"))
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("2/3 missing"), "{err}");
    let out = common::preuves()
        .arg("merge")
        .args([
            &shard_dirs[0],
            &shard_dirs[1],
            &shard_dirs[2],
            &shard_dirs[0],
        ])
        .arg("--out")
        .arg(dir.path().join("bad"))
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("more than once"), "{err}");
}

#[test]
fn store_documents_spilled_to_a_temporary_file_give_the_same_report_as_in_memory() {
    // The command line keeps the documents in a temporary file (`preuves::store`), the library
    // in memory: same report, with two reading threads (documents arriving in any order) and
    // from the cache too.
    let (dir, root) = archive();
    let before = snapshot(&root);
    let scan = |spill: bool, cache: Option<PathBuf>| {
        let options = preuves::ScanOptions {
            spill,
            cache,
            jobs: Some(2),
            ..preuves::ScanOptions::default()
        };
        preuves::scan(&root, &options, &preuves::NoProgress).unwrap()
    };
    let memory = scan(false, None);
    let spilled = scan(true, None);
    assert!(memory.documents.in_memory().is_some());
    assert!(spilled.documents.is_spilled());
    assert!(spilled.documents.len() > 30);
    assert_eq!(
        comparable(to_value(&spilled)),
        comparable(to_value(&memory))
    );
    // Sessions were set through the store: every session's documents name it.
    let with_session = spilled
        .documents
        .iter()
        .filter(|d| d.session.is_some())
        .count();
    assert!(with_session > 20, "{with_session}");
    // Filled from the cache on a second run: the same again.
    let cache = dir.path().join("cache");
    scan(true, Some(cache.clone()));
    let warm = scan(true, Some(cache));
    assert_eq!(comparable(to_value(&warm)), comparable(to_value(&memory)));
    // The temporary file is never in the scanned folder.
    assert_eq!(snapshot(&root), before);
}
