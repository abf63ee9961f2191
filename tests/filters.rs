//! Scope filters on an archive built here: `--include` / `--exclude` globs leave files unread
//! (the walk never lists them, the report has no document for them and says why they were
//! skipped), `--since` / `--until` keep the sessions whose dates overlap the range, on `scan`,
//! `scan --clients` and the library.

mod common;

use preuves::scope::{DateRange, PathFilter};
use std::path::Path;

const ORG: &str = "Centre Alpha";

/// Four sessions (two in 2024, two in 2025), an old quality folder, a photo.
fn archive(root: &Path) {
    for (month, title, client) in [
        ("2024-05", "Excel", "Garage Beta"),
        ("2024-11", "Word", "Mairie Gamma"),
        ("2025-03", "Excel", "Hôtel Epsilon"),
        ("2025-09", "Anglais", "Société Kappa"),
    ] {
        let dir = common::write_session(
            root,
            ORG,
            month,
            title,
            client,
            "présentiel, intra-entreprise",
            "Claire Dubois",
        );
        std::fs::write(
            dir.join("IMG_0001.jpg"),
            b"\xFF\xD8\xFF\xE0 not really a photo",
        )
        .unwrap();
    }
    let old = root.join(ORG).join("Qualité").join("Archives");
    std::fs::create_dir_all(&old).unwrap();
    std::fs::write(
        old.join("Règlement intérieur 2019.txt"),
        "RÈGLEMENT INTÉRIEUR\n",
    )
    .unwrap();
}

fn scan(root: &Path, walk: PathFilter, dates: DateRange) -> preuves::report::Report {
    preuves::scan(
        root,
        &preuves::ScanOptions {
            walk: preuves::walk::WalkOptions {
                filter: walk,
                ..Default::default()
            },
            dates,
            ..Default::default()
        },
        &preuves::NoProgress,
    )
    .unwrap()
}

fn globs(include: &[&str], exclude: &[&str]) -> PathFilter {
    let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    PathFilter::new(&v(include), &v(exclude)).unwrap()
}

#[test]
fn excluded_files_are_never_listed_for_reading() {
    let dir = tempfile::tempdir().unwrap();
    archive(dir.path());
    let all = scan(dir.path(), PathFilter::default(), DateRange::default());
    assert_eq!(all.sessions.len(), 4);
    assert!(all.documents.iter().any(|d| d.path.ends_with(".jpg")));
    assert!(all.documents.iter().any(|d| d.path.contains("/Archives/")));

    let f = globs(&[], &["*.JPG", "*/Archives"]);
    // The walk is the list of files read: the filtered ones are not in it.
    let walked = preuves::walk::walk(
        dir.path(),
        &preuves::walk::WalkOptions {
            filter: f.clone(),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(walked.files.len(), all.summary.files - 5);
    assert!(
        walked
            .files
            .iter()
            .all(|x| !x.rel_path.ends_with(".jpg") && !x.rel_path.contains("Archives"))
    );
    let r = scan(dir.path(), f, DateRange::default());
    assert_eq!(r.sessions.len(), 4);
    assert!(
        r.documents
            .iter()
            .all(|d| !d.path.ends_with(".jpg") && !d.path.contains("/Archives/"))
    );
    // Nothing disappears silently: the photos and the folder are listed with the glob.
    let skipped: Vec<_> = r
        .skipped
        .iter()
        .filter(|s| s.reason.starts_with("excluded by --exclude"))
        .collect();
    assert_eq!(skipped.len(), 5, "{skipped:?}");
    assert!(
        skipped
            .iter()
            .any(|s| s.path == format!("{ORG}/Qualité/Archives/"))
    );
}

#[test]
fn include_keeps_only_the_matching_files_and_folders() {
    let dir = tempfile::tempdir().unwrap();
    archive(dir.path());
    let r = scan(
        dir.path(),
        globs(&["*/2025"], &["*.jpg"]),
        DateRange::default(),
    );
    assert_eq!(r.sessions.len(), 2);
    assert!(r.sessions.iter().all(|s| s.path.contains("/2025/")));
    assert_eq!(r.summary.files, 4, "two conventions and two sheets");
    assert!(
        r.skipped
            .iter()
            .any(|s| s.reason.starts_with("not matched by --include"))
    );
}

#[test]
fn since_and_until_keep_the_sessions_that_overlap() {
    let dir = tempfile::tempdir().unwrap();
    archive(dir.path());
    let range = |a: Option<&str>, b: Option<&str>| DateRange {
        since: a.map(|d| d.parse().unwrap()),
        until: b.map(|d| d.parse().unwrap()),
    };
    let paths = |r: &preuves::report::Report| {
        r.sessions
            .iter()
            .map(|s| s.path.rsplit('/').next().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let r = scan(
        dir.path(),
        PathFilter::default(),
        range(Some("2024-11-11"), None),
    );
    // Word ran on 10–11 November 2024: it overlaps a range starting on the 11th.
    assert_eq!(
        paths(&r),
        [
            "2024-11 Word - Mairie Gamma",
            "2025-03 Excel - Hôtel Epsilon",
            "2025-09 Anglais - Société Kappa"
        ]
    );
    // The documents of the sessions left out go with them.
    assert!(r.documents.iter().all(|d| !d.path.contains("2024-05")));
    let r = scan(
        dir.path(),
        PathFilter::default(),
        range(Some("2024-11-12"), Some("2025-03-10")),
    );
    assert_eq!(paths(&r), ["2025-03 Excel - Hôtel Epsilon"]);
    assert_eq!(r.summary.sessions, 1);
}

#[test]
fn the_command_line_filters_scan_and_clients_mode() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("clients");
    archive(&root.join("Client one"));
    archive(&root.join("Client two"));
    let run = |args: &[&str]| {
        let o = assert_cmd::Command::cargo_bin("preuves")
            .unwrap()
            .args(args)
            .arg("--no-cache")
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    let read = |p: &str| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(dir.path().join(p)).unwrap()).unwrap()
    };
    run(&[
        "scan",
        "clients/Client one",
        "--out",
        "one",
        "-q",
        "--since",
        "2025-01-01",
        "--exclude",
        "*.jpg",
    ]);
    let r = read("one/report.json");
    assert_eq!(r["sessions"].as_array().unwrap().len(), 2);
    assert!(
        r["documents"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| !d["path"].as_str().unwrap().ends_with(".jpg"))
    );
    run(&[
        "scan",
        "clients",
        "--clients",
        "--out",
        "all",
        "-q",
        "--until",
        "2024-12-31",
        "--include",
        "*/2024/**",
    ]);
    for c in ["Client one", "Client two"] {
        let r = read(&format!("all/{c}/report.json"));
        assert_eq!(r["sessions"].as_array().unwrap().len(), 2, "{c}");
        assert_eq!(r["summary"]["files"], 6, "{c}: two sessions of three files");
    }
    // An invalid glob is a usage error.
    let o = assert_cmd::Command::cargo_bin("preuves")
        .unwrap()
        .args(["scan", "clients", "--out", "x", "--include", "[oops"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("invalid glob"));
    let o = assert_cmd::Command::cargo_bin("preuves")
        .unwrap()
        .args([
            "sample",
            "clients",
            "--out",
            "x",
            "--since",
            "2025-02-01",
            "--until",
            "2025-01-01",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("is after --until"));
}
