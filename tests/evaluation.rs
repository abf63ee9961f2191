//! Document understanding measured against the fixtures' ground truth: kind accuracy (all
//! born-digital documents, and those with uninformative names), per-kind precision and recall,
//! signature status accuracy, attendance-sheet signature counts, date recall and role accuracy.
//! Prints the figures (`cargo test --test evaluation -- --nocapture`) and fails below the floors.

mod common;

use common::{report, truth_files};
use preuves::document::Document;
use serde_json::Value;
use std::collections::BTreeMap;

struct Case<'a> {
    path: &'a str,
    truth: &'a Value,
    doc: &'a Document,
}

/// Born-digital, readable documents that the truth describes.
fn cases(scanned: bool) -> Vec<Case<'static>> {
    let r = report();
    truth_files()
        .into_iter()
        .filter(|(_, t)| t["error"].is_null() && (t["scanned"] == true) == scanned)
        .filter_map(|(p, t)| {
            r.documents
                .in_memory()
                .expect("documents in memory")
                .iter()
                .find(|d| &d.path == p)
                .map(|doc| Case {
                    path: p,
                    truth: t,
                    doc,
                })
        })
        .collect()
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

#[test]
fn kind_accuracy_and_per_kind_table() {
    let cases = cases(false);
    let mut ok = 0;
    let mut uninformative = (0, 0);
    let mut per_kind: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new(); // tp, fp, fn
    let mut wrong = Vec::new();
    for c in &cases {
        let want = c.truth["kind"].as_str().unwrap_or("other").to_string();
        let got = c.doc.kind.id().to_string();
        let informative = c.truth["name_informative"] != false;
        if want == got {
            ok += 1;
            per_kind.entry(want.clone()).or_default().0 += 1;
        } else {
            per_kind.entry(got.clone()).or_default().1 += 1;
            per_kind.entry(want.clone()).or_default().2 += 1;
            wrong.push(format!(
                "  {} → {} (truth {}) {:?}",
                c.path, got, want, c.doc.reasons
            ));
        }
        if !informative {
            uninformative.1 += 1;
            if want == got {
                uninformative.0 += 1;
            }
        }
    }
    let acc = ratio(ok, cases.len());
    let acc_u = ratio(uninformative.0, uninformative.1);
    println!(
        "kind accuracy (born-digital): {acc:.3} ({ok}/{})",
        cases.len()
    );
    println!(
        "kind accuracy (uninformative names): {acc_u:.3} ({}/{})",
        uninformative.0, uninformative.1
    );
    println!(
        "{:<24} {:>9} {:>7} {:>4}",
        "kind", "precision", "recall", "n"
    );
    for (k, (tp, fp, fn_)) in &per_kind {
        println!(
            "{:<24} {:>9.2} {:>7.2} {:>4}",
            k,
            ratio(*tp, tp + fp),
            ratio(*tp, tp + fn_),
            tp + fn_
        );
    }
    for w in &wrong {
        println!("{w}");
    }
    assert!(
        cases.len() >= 40,
        "the truth should describe at least 40 born-digital documents"
    );
    assert!(acc >= 0.97, "kind accuracy {acc:.3} < 0.97");
    assert!(
        acc_u >= 0.95,
        "kind accuracy on uninformative names {acc_u:.3} < 0.95"
    );
}

#[test]
fn signature_status_accuracy_and_attendance_counts() {
    let cases = cases(false);
    let mut applicable = (0, 0);
    let mut sheets = (0, 0);
    let mut wrong = Vec::new();
    for c in &cases {
        let want = c.truth["signature"]["status"].as_str().unwrap_or("unknown");
        let got = serde_json::to_value(c.doc.signature.status).unwrap();
        let got = got.as_str().unwrap();
        if matches!(want, "signed" | "unsigned" | "partial") {
            applicable.1 += 1;
            if want == got {
                applicable.0 += 1;
            } else {
                wrong.push(format!(
                    "  status {}: {got} (truth {want}) {:?}",
                    c.path, c.doc.signature.evidence
                ));
            }
        }
        if c.truth["kind"] == "attendance_sheet" && c.truth["signature"]["found"].is_u64() {
            sheets.1 += 1;
            let want_found = c.truth["signature"]["found"].as_u64();
            let want_expected = c.truth["signature"]["expected"].as_u64();
            let got_found = c.doc.signature.found.map(u64::from);
            let got_expected = c.doc.signature.expected.map(u64::from);
            if want_found == got_found && want_expected == got_expected {
                sheets.0 += 1;
            } else {
                wrong.push(format!(
                    "  counts {}: found {got_found:?}/{got_expected:?} (truth {want_found:?}/{want_expected:?})",
                    c.path
                ));
            }
        }
    }
    let acc = ratio(applicable.0, applicable.1);
    let exact = ratio(sheets.0, sheets.1);
    println!(
        "signature status accuracy: {acc:.3} ({}/{})",
        applicable.0, applicable.1
    );
    println!(
        "attendance sheets with exact counts: {exact:.3} ({}/{})",
        sheets.0, sheets.1
    );
    for w in &wrong {
        println!("{w}");
    }
    assert!(
        applicable.1 >= 15,
        "too few signable documents in the truth"
    );
    assert!(acc >= 0.95, "signature status accuracy {acc:.3} < 0.95");
    assert!(exact >= 0.90, "exact attendance counts {exact:.3} < 0.90");
}

#[test]
fn date_recall_and_role_accuracy() {
    let cases = cases(false);
    let mut recall = (0, 0);
    let mut roles = (0, 0);
    let mut missed = Vec::new();
    for c in &cases {
        for d in c.truth["dates"].as_array().into_iter().flatten() {
            let date = d["date"].as_str().unwrap_or("");
            let role = d["role"].as_str().unwrap_or("other");
            recall.1 += 1;
            let ours: Vec<_> = c.doc.dates.iter().filter(|x| x.date == date).collect();
            if ours.is_empty() {
                missed.push(format!("  missed {date} ({role}) in {}", c.path));
                continue;
            }
            recall.0 += 1;
            if matches!(role, "signature" | "session_start" | "session_end") {
                roles.1 += 1;
                let r = |x: &preuves::document::DateFact| {
                    serde_json::to_value(x.role)
                        .unwrap()
                        .as_str()
                        .unwrap()
                        .to_string()
                };
                if ours.iter().any(|x| r(x) == role) {
                    roles.0 += 1;
                } else {
                    missed.push(format!(
                        "  role of {date} in {}: {:?} (truth {role})",
                        c.path,
                        ours.iter().map(|x| r(x)).collect::<Vec<_>>()
                    ));
                }
            }
        }
    }
    // Answer dates of evaluation forms: by the truth convention, the `document` dates of
    // satisfaction, assessment and positioning forms are when they were answered; they must
    // come out as `document` dates marked `answer` (the dates the timing rules read).
    let mut answers = (0, 0);
    for c in &cases {
        let kind = c.truth["kind"].as_str().unwrap_or("");
        if !matches!(
            kind,
            "satisfaction_hot" | "satisfaction_cold" | "assessment" | "positioning"
        ) {
            continue;
        }
        for d in c.truth["dates"].as_array().into_iter().flatten() {
            if d["role"].as_str() != Some("document") {
                continue;
            }
            let date = d["date"].as_str().unwrap_or("");
            answers.1 += 1;
            let found = c.doc.dates.iter().any(|x| {
                x.date == date && x.answer && x.role == preuves::document::DateRole::Document
            });
            if found {
                answers.0 += 1;
            } else {
                missed.push(format!("  answer date {date} not found in {}", c.path));
            }
        }
    }
    let answer_rate = ratio(answers.0, answers.1);
    println!(
        "answer dates of evaluation forms (document + answer): {answer_rate:.3} ({}/{})",
        answers.0, answers.1
    );
    let rec = ratio(recall.0, recall.1);
    let role_acc = ratio(roles.0, roles.1);
    println!("date recall: {rec:.3} ({}/{})", recall.0, recall.1);
    println!(
        "role accuracy (signature, session dates): {role_acc:.3} ({}/{})",
        roles.0, roles.1
    );
    for m in &missed {
        println!("{m}");
    }
    assert!(recall.1 >= 50, "too few dates in the truth");
    assert!(rec >= 0.97, "date recall {rec:.3} < 0.97");
    assert!(role_acc >= 0.90, "role accuracy {role_acc:.3} < 0.90");
    assert!(
        answer_rate >= 0.90,
        "answer dates of evaluation forms {answer_rate:.3} < 0.90"
    );
}
