//! The foundation on the realistic fixture archive: every file found is in the report with the
//! right format and error code; the report matches its published JSON Schema; two runs give the
//! same report; the HTML is self-contained.

mod common;

use common::{archive, report, truth, truth_files};
use serde_json::Value;
use std::collections::BTreeSet;

#[test]
fn every_fixture_file_is_reported_with_its_format_and_error_code() {
    let r = report();
    let mut problems = Vec::new();
    for (path, t) in truth_files() {
        let Some(d) = r.documents.iter().find(|d| &d.path == path) else {
            problems.push(format!("{path}: missing from the report"));
            continue;
        };
        if d.format.as_str() != t["format"].as_str().unwrap_or("?") {
            problems.push(format!(
                "{path}: format {} (truth {})",
                d.format, t["format"]
            ));
        }
        let want_error = t["error"].as_str();
        let got_error = d.errors.first().map(|e| e.code.as_str());
        if want_error != got_error {
            problems.push(format!(
                "{path}: error {:?} (truth {:?}) {}",
                got_error,
                want_error,
                d.errors.first().map(|e| e.message.as_str()).unwrap_or("")
            ));
        }
    }
    // Nothing reported that the truth does not know (every document is accounted for).
    let known: BTreeSet<&str> = truth_files().iter().map(|(p, _)| p.as_str()).collect();
    for d in &r.documents {
        if !known.contains(d.path.as_str()) {
            problems.push(format!("{}: reported but not in the truth file", d.path));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn system_files_are_skipped_and_listed() {
    let r = report();
    let mut got: Vec<&str> = r.skipped.iter().map(|s| s.path.as_str()).collect();
    let mut want: Vec<&str> = truth()["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn every_format_is_present_in_the_fixtures() {
    let r = report();
    for f in [
        "pdf", "docx", "doc", "odt", "xlsx", "xls", "ods", "csv", "eml", "image", "zip",
    ] {
        assert!(
            r.documents
                .iter()
                .any(|d| d.format.as_str() == f && d.errors.is_empty()),
            "no readable {f} in the fixtures"
        );
    }
    for code in ["encrypted", "corrupt", "unsupported"] {
        assert!(
            r.documents
                .iter()
                .any(|d| d.errors.iter().any(|e| e.code.as_str() == code)),
            "no {code} error in the fixtures"
        );
    }
}

#[test]
fn report_matches_the_published_json_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/report.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("valid schema");
    let instance: Value = serde_json::from_str(&report().to_json()).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .take(20)
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    // And the schema is not vacuous: a broken report fails it.
    let mut broken = instance.clone();
    broken["documents"][0]["format"] = Value::String("pptx".into());
    assert!(!validator.is_valid(&broken));
}

#[test]
fn the_same_archive_gives_the_same_report() {
    let again = preuves::scan(
        &archive(),
        &preuves::ScanOptions {
            jobs: Some(1),
            ..Default::default()
        },
        &preuves::NoProgress,
    )
    .unwrap();
    let mut a: Value = serde_json::from_str(&report().to_json()).unwrap();
    let mut b: Value = serde_json::from_str(&again.to_json()).unwrap();
    a["summary"]["elapsed_ms"] = 0.into();
    b["summary"]["elapsed_ms"] = 0.into();
    assert!(a == b, "two scans of the same archive differ");
}

#[test]
fn html_report_is_self_contained_and_french() {
    let rules = preuves::rules::RuleSet::default_set();
    let fr = preuves::report::html::HtmlOptions {
        lang: preuves::report::Lang::Fr,
        link_base: Some("../archive/".into()),
    };
    let html = preuves::report::html::render(report(), &rules, &fr);
    for forbidden in [
        "src=\"http",
        "href=\"http",
        "src='http",
        "@import",
        "url(http",
    ] {
        assert!(!html.contains(forbidden), "external asset: {forbidden}");
    }
    assert!(html.contains("<html lang=\"fr\">"));
    assert!(html.contains("Feuille d'émargement") || html.contains("Feuille d&#39;émargement"));
    let en = preuves::report::html::render(
        report(),
        &rules,
        &preuves::report::html::HtmlOptions {
            lang: preuves::report::Lang::En,
            link_base: None,
        },
    );
    assert!(en.contains("<html lang=\"en\">"));
}
