//! The blind evaluation: the held-out archive (`fixtures/heldout/`, made by a second generator
//! configuration that the understanding code is never tuned on) beside the training archive
//! (`fixtures/archive/`). Prints one table, train beside held-out, with the targets, and
//! fails when a held-out figure falls below its floor.
//!
//! `cargo test --release --test heldout -- --nocapture` (release: the two scans run OCR);
//! `PREUVES_EVAL_VERBOSE=1` also lists the wrong files of each measure.
//!
//! The floors are what the code achieved when the archive was made, minus a small margin: they
//! guard against regressions; raise them as the fixes land. Never tune on the held-out files:
//! fix the general cause, add a regression case to the training side, and regenerate the
//! held-out archive with a new seed (`fixtures/heldout/generate/README.md`).

mod common;

use common::eval::{Cells, Eval, evaluate};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::OnceLock;

// Floors on the held-out archive: the targets of issue 8. The committed draw is seed 20261208,
// measured blind (2026-12-04, stop 20) once the 20261207 draw's failures had been looked at:
// every figure met its target (scan cell recall 0.959, signature on scans 1.000, kind 0.995,
// answer dates 0.990, session status 1.000, no false alarm on clean sessions). Draws measured
// blind before: 20261207 met every target (scan cell recall 0.981); 20261204 met every
// target; 20261205 fell below on scan cell recall (0.937), session status (0.929) and false
// alarms (1 of 7); 20261206 on signature status of scans (0.905).
// Raise them as fixes land.
const FLOOR_KIND_ALL: f64 = 0.97;
const FLOOR_SIG_BORN: f64 = 0.95;
const FLOOR_SIG_SCANS: f64 = 0.92;
const FLOOR_CELLS_PRECISION: f64 = 0.95;
const FLOOR_CELLS_RECALL: f64 = 0.95;
const CEIL_CELLS_UNCERTAIN: f64 = 0.05;
const FLOOR_CELLS_EXACT: f64 = 0.80;
const FLOOR_ANSWER_DAY_ROLE: f64 = 0.95;
const FLOOR_DATE_RECALL: f64 = 0.97;
const FLOOR_SESSIONS_FOUND: f64 = 0.95;
const FLOOR_DOCS_GROUPED: f64 = 0.97;
const FLOOR_STATUS: f64 = 0.95;
const CEIL_CLEAN_FALSE_ALARM: f64 = 0.05;
const FLOOR_INJECTED: f64 = 0.90;

fn heldout_root() -> PathBuf {
    common::fixtures().join("heldout")
}

fn heldout_truth() -> Value {
    let text = std::fs::read_to_string(heldout_root().join("truth.json"))
        .expect("fixtures/heldout/truth.json");
    serde_json::from_str(&text).expect("held-out truth is JSON")
}

fn heldout_report() -> &'static Value {
    static R: OnceLock<Value> = OnceLock::new();
    R.get_or_init(|| {
        let report = preuves::scan(
            &heldout_root().join("archive"),
            &preuves::ScanOptions::default(),
            &preuves::NoProgress,
        )
        .expect("scan of the held-out archive");
        serde_json::to_value(&report).expect("report as JSON")
    })
}

fn train_report() -> Value {
    serde_json::to_value(common::report()).expect("report as JSON")
}

fn pct(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

fn cells_row(c: &Cells) -> [String; 4] {
    [
        format!("{:.3} ({}/{})", c.precision(), c.tp, c.predicted),
        format!("{:.3} ({}/{})", c.recall(), c.tp, c.actual),
        format!("{} ({}/{})", pct(c.uncertain_share()), c.uncertain, c.total),
        format!(
            "{:.3} ({}/{}; fallback {}, no grid {})",
            c.exact_share(),
            c.exact,
            c.sheets,
            c.fallback,
            c.no_grid
        ),
    ]
}

fn table(train: &Eval, held: &Eval) -> String {
    let mut rows: Vec<(String, String, String, &str)> = Vec::new();
    let mut row = |m: &str, a: String, b: String, target: &'static str| {
        rows.push((m.to_string(), a, b, target))
    };
    row(
        "files in truth",
        train.files.to_string(),
        held.files.to_string(),
        "",
    );
    row(
        "kind (born-digital)",
        train.kinds_born.show(),
        held.kinds_born.show(),
        "≥ 0.97",
    );
    row(
        "kind (scans)",
        train.kinds_scans.show(),
        held.kinds_scans.show(),
        "≥ 0.97",
    );
    row(
        "kind (all)",
        train.kinds_all.show(),
        held.kinds_all.show(),
        "≥ 0.97",
    );
    row(
        "signature (born-digital)",
        train.sig_born.show(),
        held.sig_born.show(),
        "≥ 0.95",
    );
    row(
        "signature (scans)",
        train.sig_scans.show(),
        held.sig_scans.show(),
        "≥ 0.92",
    );
    for (label, a, b) in [
        ("cells (scans)", &train.cells_scans, &held.cells_scans),
        ("cells (all sheets)", &train.cells_all, &held.cells_all),
    ] {
        let (ra, rb) = (cells_row(a), cells_row(b));
        let names = [
            "signed precision",
            "signed recall",
            "uncertain share",
            "exact count sheets",
        ];
        let targets = ["≥ 0.95", "≥ 0.95", "≤ 5%", "≥ 0.80"];
        for i in 0..4 {
            row(
                &format!("{label}: {}", names[i]),
                ra[i].clone(),
                rb[i].clone(),
                targets[i],
            );
        }
    }
    row(
        "answer dates: same day, role document",
        train.answer_day_role.show(),
        held.answer_day_role.show(),
        "≥ 0.95",
    );
    row(
        "answer dates: flagged answer",
        train.answer_flagged.show(),
        held.answer_flagged.show(),
        "≥ 0.95",
    );
    row(
        "date recall",
        train.date_recall.show(),
        held.date_recall.show(),
        "",
    );
    row(
        "sessions found",
        train.sessions_found.show(),
        held.sessions_found.show(),
        "",
    );
    row(
        "documents grouped right",
        train.docs_grouped.show(),
        held.docs_grouped.show(),
        "",
    );
    row(
        "session status right",
        train.status_right.show(),
        held.status_right.show(),
        "≥ 0.95",
    );
    row(
        "clean sessions with a false alarm",
        train.clean_false_alarm.show(),
        held.clean_false_alarm.show(),
        "≤ 0.05",
    );
    row(
        "injected defects found",
        train.injected.show(),
        held.injected.show(),
        "",
    );
    let w0 = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(10);
    let w1 = rows
        .iter()
        .map(|r| r.1.chars().count())
        .max()
        .unwrap_or(10)
        .max(5);
    let w2 = rows
        .iter()
        .map(|r| r.2.chars().count())
        .max()
        .unwrap_or(10)
        .max(8);
    let mut out = format!(
        "{:<w0$}  {:<w1$}  {:<w2$}  target\n",
        "measure", "train", "held-out"
    );
    for (m, a, b, t) in rows {
        out.push_str(&format!("{m:<w0$}  {a:<w1$}  {b:<w2$}  {t}\n"));
    }
    out
}

#[test]
fn heldout_figures_beside_training_figures() {
    let train = evaluate(common::truth(), &train_report());
    let truth = heldout_truth();
    let held = evaluate(&truth, heldout_report());
    println!("\n{}", table(&train, &held));
    println!(
        "signature confusions (truth→report), train: {}",
        train.confusion()
    );
    println!(
        "signature confusions (truth→report), held-out: {}\n",
        held.confusion()
    );
    if std::env::var("PREUVES_EVAL_VERBOSE").is_ok_and(|v| v == "1") {
        for (name, e) in [("train", &train), ("held-out", &held)] {
            for (measure, lines) in &e.wrong {
                println!("{name} — {measure} ({}):", lines.len());
                for l in lines {
                    println!("  {l}");
                }
            }
        }
    }
    // The held-out archive must be what its README promises.
    let files = truth["files"].as_object().expect("files");
    let scans = files.values().filter(|t| t["scanned"] == true).count();
    assert!(
        files.len() >= 150,
        "held-out archive: {} files",
        files.len()
    );
    assert!(
        scans * 5 >= files.len(),
        "held-out archive: {scans} scans of {}",
        files.len()
    );
    let checks = [
        ("kind (all)", held.kinds_all.value(), FLOOR_KIND_ALL),
        (
            "signature (born-digital)",
            held.sig_born.value(),
            FLOOR_SIG_BORN,
        ),
        ("signature (scans)", held.sig_scans.value(), FLOOR_SIG_SCANS),
        (
            "cells precision (scans)",
            held.cells_scans.precision(),
            FLOOR_CELLS_PRECISION,
        ),
        (
            "cells recall (scans)",
            held.cells_scans.recall(),
            FLOOR_CELLS_RECALL,
        ),
        (
            "exact count sheets (scans)",
            held.cells_scans.exact_share(),
            FLOOR_CELLS_EXACT,
        ),
        (
            "answer dates (same day, role document)",
            held.answer_day_role.value(),
            FLOOR_ANSWER_DAY_ROLE,
        ),
        ("date recall", held.date_recall.value(), FLOOR_DATE_RECALL),
        (
            "sessions found",
            held.sessions_found.value(),
            FLOOR_SESSIONS_FOUND,
        ),
        (
            "documents grouped",
            held.docs_grouped.value(),
            FLOOR_DOCS_GROUPED,
        ),
        ("session status", held.status_right.value(), FLOOR_STATUS),
        (
            "injected defects found",
            held.injected.value(),
            FLOOR_INJECTED,
        ),
    ];
    let mut failed: Vec<String> = checks
        .iter()
        .filter(|(_, v, floor)| v < floor)
        .map(|(m, v, floor)| format!("{m}: {v:.3} < floor {floor:.3}"))
        .collect();
    if held.cells_scans.uncertain_share() > CEIL_CELLS_UNCERTAIN {
        failed.push(format!(
            "uncertain cells (scans): {:.3} > ceiling {CEIL_CELLS_UNCERTAIN:.3}",
            held.cells_scans.uncertain_share()
        ));
    }
    if held.clean_false_alarm.value() > CEIL_CLEAN_FALSE_ALARM {
        failed.push(format!(
            "clean sessions with a false alarm: {:.3} > ceiling {CEIL_CLEAN_FALSE_ALARM:.3}",
            held.clean_false_alarm.value()
        ));
    }
    assert!(
        failed.is_empty(),
        "held-out regressions:\n{}",
        failed.join("\n")
    );
}
