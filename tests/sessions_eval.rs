//! Sessions and verdicts on the fixture archive, against the ground truth: every session folder
//! found (nested layouts and family sub-folders included), each session's status, missing kinds
//! and findings; organisation-level documents outside sessions. Prints the status table.

mod common;

use common::{report, truth};
use std::collections::BTreeSet;

fn status(s: &preuves::sessions::Session) -> String {
    serde_json::to_value(s.status)
        .unwrap()
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn session_detection_is_exact() {
    let r = report();
    let want: BTreeSet<&str> = truth()["sessions"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let got: BTreeSet<&str> = r.sessions.iter().map(|s| s.path.as_str()).collect();
    let missing: Vec<_> = want.difference(&got).collect();
    let extra: Vec<_> = got.difference(&want).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing sessions: {missing:?}\nextra sessions: {extra:?}"
    );
}

#[test]
fn documents_belong_to_the_right_session_or_to_none() {
    let r = report();
    let mut wrong = Vec::new();
    for (path, t) in truth()["files"].as_object().unwrap() {
        let Some(d) = r.documents.iter().find(|d| &d.path == path) else {
            continue;
        };
        let want = t["session"].as_str();
        let got = d
            .session
            .as_deref()
            .and_then(|id| r.sessions.iter().find(|s| s.id == id))
            .map(|s| s.path.as_str());
        if want != got {
            wrong.push(format!("{path}: {got:?} (truth {want:?})"));
        }
    }
    let total = truth()["files"].as_object().unwrap().len();
    let acc = 1.0 - wrong.len() as f64 / total as f64;
    println!("document → session accuracy: {acc:.3}");
    for w in &wrong {
        println!("  {w}");
    }
    assert!(
        acc >= 0.97,
        "{} documents in the wrong session",
        wrong.len()
    );
}

#[test]
fn statuses_missing_kinds_and_findings() {
    let r = report();
    let sessions = truth()["sessions"].as_object().unwrap();
    let mut ok = 0;
    let mut problems = Vec::new();
    let mut injected = (0, 0);
    let mut false_alarms = 0;
    println!(
        "{:<70} {:<11} {:<11} findings",
        "session", "status", "truth"
    );
    for (path, t) in sessions {
        let Some(s) = r.sessions.iter().find(|s| &s.path == path) else {
            problems.push(format!("{path}: not found"));
            continue;
        };
        let want = t["expected_status"].as_str().unwrap_or("?");
        let got = status(s);
        let codes: BTreeSet<&str> = s.findings.iter().map(|f| f.code.as_str()).collect();
        println!(
            "{:<70} {:<11} {:<11} {}",
            path,
            got,
            want,
            codes.iter().copied().collect::<Vec<_>>().join(", ")
        );
        if got == want {
            ok += 1;
        } else {
            problems.push(format!(
                "{path}: status {got} (truth {want}); findings {codes:?}"
            ));
        }
        let want_codes: BTreeSet<&str> = t["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c.as_str())
            .collect();
        for code in &want_codes {
            injected.1 += 1;
            if codes.contains(code) {
                injected.0 += 1;
            } else {
                problems.push(format!("{path}: expected finding {code} not reported"));
            }
        }
        // False alarms: a blocking or warning finding the truth does not expect.
        for f in &s.findings {
            if f.severity != preuves::sessions::Severity::Info
                && !want_codes.contains(f.code.as_str())
            {
                false_alarms += 1;
                problems.push(format!("{path}: unexpected {} ({})", f.code, f.message));
            }
        }
        let want_missing: BTreeSet<&str> = t["missing"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c.as_str())
            .collect();
        let got_missing: BTreeSet<&str> = s.missing.iter().map(|k| k.id()).collect();
        if want_missing != got_missing {
            problems.push(format!(
                "{path}: missing {got_missing:?} (truth {want_missing:?})"
            ));
        }
    }
    let acc = ok as f64 / sessions.len().max(1) as f64;
    println!(
        "status accuracy: {acc:.3} ({ok}/{}); injected defects reported: {}/{}; false alarms: {false_alarms}",
        sessions.len(),
        injected.0,
        injected.1
    );
    for p in &problems {
        println!("  {p}");
    }
    assert!(
        sessions.len() >= 8,
        "the truth should describe at least 8 sessions"
    );
    assert!(acc >= 0.95, "status accuracy {acc:.3} < 0.95");
    assert_eq!(
        injected.0, injected.1,
        "every injected defect must be reported with its code"
    );
    assert_eq!(
        false_alarms, 0,
        "blocking or warning findings the truth does not expect"
    );
}

#[test]
fn fail_on_gives_exit_code_1_for_scripts() {
    let dir = tempfile::tempdir().unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_preuves"))
        .args([
            "scan",
            "--quiet",
            "--no-cache",
            "--fail-on",
            "incomplete",
            "--out",
        ])
        .arg(dir.path())
        .arg(common::archive())
        .status()
        .unwrap();
    let any_incomplete = report().summary.incomplete > 0;
    assert_eq!(status.code(), Some(if any_incomplete { 1 } else { 0 }));
}
