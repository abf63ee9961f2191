//! `preuves text` and `preuves explain` read one file under the limits `scan` applies to each
//! file: the size bound (`--max-file-mib`), and the hard deadline a scan's worker is killed at
//! (three times `--file-timeout` plus 2 s), shown with the hang hook scans' workers honour
//! (`PREUVES_TEST_HANG`).

use assert_cmd::Command;
use std::fs;
use std::time::Duration;

fn preuves(args: &[&str], env: &[(&str, &str)]) -> assert_cmd::assert::Assert {
    let mut cmd = Command::cargo_bin("preuves").unwrap();
    cmd.args(args).timeout(Duration::from_secs(60));
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.assert()
}

fn stdout(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

#[test]
fn a_file_over_the_size_limit_is_refused_by_text_and_explain() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("gros.txt");
    fs::write(&big, "Programme de formation\n".repeat(100_000)).unwrap(); // 2.3 MB
    let big = big.to_str().unwrap();
    for command in ["text", "explain"] {
        let a = preuves(&[command, big, "--max-file-mib", "1"], &[]).code(2);
        let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
        assert!(err.contains("too_large"), "{command}: {err}");
        // Under the default limit the same file is read.
        let a = preuves(&[command, big], &[]).success();
        assert!(stdout(&a).contains("Programme de formation"), "{command}");
    }
}

#[test]
fn a_file_that_hangs_is_stopped_at_the_hard_deadline() {
    let dir = tempfile::tempdir().unwrap();
    let stuck = dir.path().join("bloque-ici.txt");
    fs::write(&stuck, "Feuille d'émargement du 12/03/2025").unwrap();
    let stuck = stuck.to_str().unwrap();
    let hang = [("PREUVES_TEST_HANG", "bloque-ici")];
    // --file-timeout 1: stopped after 1 × 3 + 2 = 5 s (the command's own timeout is 60 s).
    let a = preuves(&["text", stuck, "--file-timeout", "1"], &hang).success();
    let out = stdout(&a);
    assert!(
        out.starts_with("# error timeout: still being read after 5 s"),
        "{out}"
    );
    let a = preuves(&["text", "--json", stuck, "--file-timeout", "1"], &hang).success();
    let v: serde_json::Value = serde_json::from_str(stdout(&a).trim()).unwrap();
    assert_eq!(v["error"]["code"], "timeout");
    let a = preuves(&["explain", stuck, "--file-timeout", "1"], &hang).success();
    let out = stdout(&a);
    assert!(out.contains("not read: timeout"), "{out}");
    // The same file without the hook is read and understood.
    let a = preuves(&["explain", stuck, "--file-timeout", "1"], &[]).success();
    assert!(stdout(&a).contains("Kind:"));
}

/// Found by `cargo run --release --example mutate -- ods 10000 7` (input 502): an .ods whose
/// content.xml is cut inside a table made calamine loop forever; it is `corrupt`.
#[test]
fn an_ods_cut_inside_a_table_is_corrupt_not_a_hang() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/hostile/ods_content_cut_hang.ods"
    );
    let a = preuves(&["text", path, "--file-timeout", "5"], &[]).success();
    let out = stdout(&a);
    assert!(
        out.contains("# error corrupt: content.xml ends inside a table"),
        "{out}"
    );
}
