//! Shared helpers for the tests that run on the fixture archive and its ground truth.
#![allow(dead_code)]

pub mod bombs;
pub mod browser;
pub mod eval;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

pub fn archive() -> PathBuf {
    fixtures().join("archive")
}

/// The ground truth (fixtures/archive.truth.json).
pub fn truth() -> &'static Value {
    static TRUTH: OnceLock<Value> = OnceLock::new();
    TRUTH.get_or_init(|| {
        let text = std::fs::read_to_string(fixtures().join("archive.truth.json"))
            .expect("fixtures/archive.truth.json");
        serde_json::from_str(&text).expect("truth is JSON")
    })
}

/// One scan of the fixture archive through the library, shared by the tests of a binary.
pub fn report() -> &'static preuves::report::Report {
    static REPORT: OnceLock<preuves::report::Report> = OnceLock::new();
    REPORT.get_or_init(|| {
        preuves::scan(
            &archive(),
            &preuves::ScanOptions::default(),
            &preuves::NoProgress,
        )
        .expect("scan of the fixture archive")
    })
}

pub fn truth_files() -> Vec<(&'static String, &'static Value)> {
    truth()["files"]
        .as_object()
        .expect("files")
        .iter()
        .collect()
}

/// The `preuves` binary of this build.
pub fn preuves() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("preuves").expect("binary built")
}

/// Runs `preuves scan ROOT --out OUT --quiet [extra]` and asserts that it succeeded. Unless
/// `extra` says `--cache DIR` or `--no-cache`, the run is given `--no-cache`: a test never reads
/// or writes the user's results cache, and never sees another test's results in it (two tests
/// scanning files of the same content at once would otherwise depend on which finished first).
pub fn run_scan(root: &Path, out: &Path, extra: &[&str]) {
    run_scan_env(root, out, extra, &[]);
}

/// [`run_scan`] with environment variables set for the run.
pub fn run_scan_env(root: &Path, out: &Path, extra: &[&str], env: &[(&str, &str)]) {
    let mut cmd = preuves();
    cmd.arg("scan")
        .arg(root)
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .args(extra);
    if !extra.iter().any(|a| *a == "--cache" || *a == "--no-cache") {
        cmd.arg("--no-cache");
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.assert().success();
}

/// [`run_scan`], then the report.json it wrote.
pub fn scan_report(root: &Path, out: &Path, extra: &[&str]) -> Value {
    run_scan(root, out, extra);
    read_report(out)
}

/// The report.json a run wrote into `out`.
pub fn read_report(out: &Path) -> Value {
    let json = std::fs::read_to_string(out.join("report.json")).expect("report.json written");
    serde_json::from_str(&json).expect("valid JSON")
}

/// Copies a folder tree (a fixture into a temporary folder that a test may change).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// Writes one session folder `<org>/<year>/<month> <title> - <client>` holding a convention
/// (dates, modality words, trainer) and an attendance sheet, as text files; returns the folder.
pub fn write_session(
    root: &Path,
    org: &str,
    month: &str,
    title: &str,
    client: &str,
    modality: &str,
    trainer: &str,
) -> PathBuf {
    let (y, m) = month.split_once('-').expect("YYYY-MM");
    let dir = root
        .join(org)
        .join(y)
        .join(format!("{month} {title} - {client}"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("Convention.txt"),
        format!(
            "CONVENTION DE FORMATION PROFESSIONNELLE\nEntre l'organisme {org} et \
             l'entreprise {client}\nIntitulé de la formation : {title}\nDates : du 10/{m}/{y} \
             au 11/{m}/{y}\nDurée : 14 heures\nModalité : {modality}\nFormateur : {trainer}\n\
             Fait à Lyon, le 01/{m}/{y}\nSignature du client\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("Feuille d'émargement.txt"),
        format!(
            "FEUILLE D'ÉMARGEMENT\nFormation : {title}\nDate : 10/{m}/{y}\n\
             Nom\tMatin\tAprès-midi\nJean Dupont\tsigné\tsigné\n"
        ),
    )
    .unwrap();
    dir
}
