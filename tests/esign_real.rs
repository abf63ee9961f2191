//! E-signatures (issue 8, failure classes 3 and 4) on realistic files: audit trails and
//! certificates of completion printed by Chromium in the layouts of the services' reports, a
//! convention that only talks about e-signature services, and e-sign-in platform exports
//! (openpyxl xlsx, `;` and `,` CSV with a UTF-8 BOM). See tests/data/esign/make_esign.py.

use preuves::document::{DateRole, Kind, Signature, SignatureStatus};
use preuves::extract::{Input, Limits, extract_guarded};
use preuves::model::Format;
use preuves::understand::{Understanding, understand};
use std::time::Instant;

fn read(file: &str) -> Understanding {
    let path = format!("{}/tests/data/esign/{file}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let format = Format::from_extension(file).expect("known extension");
    let limits = Limits::default();
    let input = Input {
        bytes: &bytes,
        name: file,
        limits: &limits,
        depth: 0,
        started: Instant::now(),
    };
    let ex = extract_guarded(format, &input).unwrap_or_else(|e| panic!("{file}: {e}"));
    understand(file, format, &ex)
}

fn evidence<'a>(s: &'a Signature, method: &str) -> &'a str {
    s.evidence
        .iter()
        .find(|e| e.method == method)
        .map(|e| e.detail.as_str())
        .unwrap_or_else(|| panic!("no {method} evidence in {:?}", s.evidence))
}

#[test]
fn esign_docusign_certificate_of_completion_is_a_signed_trail() {
    let u = read("docusign_certificate_of_completion.pdf");
    assert_eq!(u.signature.status, SignatureStatus::Signed);
    let d = evidence(&u.signature, "esign_audit_trail");
    assert!(
        d.contains(
            "Sarah Collins <s.collins@brightpath-training.co.uk> signed on 2025-03-10 09:03"
        ),
        "{d}"
    );
    assert!(
        d.contains(
            "James Whitaker <j.whitaker@northwind-logistics.com> signed on 2025-03-11 14:16"
        ),
        "{d}"
    );
    assert!(d.contains("envelope 4F3A9C21"), "{d}");
    assert!(d.contains("2 of 2 signers"), "{d}");
    // The certificate of a signing is not a training completion certificate: its kind follows
    // the document it certifies ("Subject: … Training agreement - Northwind Logistics.pdf").
    assert_eq!(u.kind, Kind::Convention, "{:?}", u.reasons);
    // Signed-at times are signature dates, read month first with their AM/PM clock.
    let sig_dates: Vec<&str> = u
        .dates
        .iter()
        .filter(|d| d.role == DateRole::Signature)
        .map(|d| d.date.as_str())
        .collect();
    assert!(sig_dates.contains(&"2025-03-11"), "{:?}", u.dates);
    assert!(!sig_dates.contains(&"2025-11-03"), "{:?}", u.dates);
}

#[test]
fn esign_yousign_dossier_de_preuves_with_events_is_signed() {
    let u = read("yousign_dossier_de_preuves.pdf");
    assert_eq!(u.signature.status, SignatureStatus::Signed);
    // "Document : Convention_formation_BATIPLUS_2025-03.pdf"
    assert_eq!(u.kind, Kind::Convention, "{:?}", u.reasons);
    let d = evidence(&u.signature, "esign_audit_trail");
    assert!(
        d.contains("Marie Durand <m.durand@batiplus.fr> signed on 2025-03-10 09:12"),
        "{d}"
    );
    assert!(d.contains("2 of 2 signers"), "{d}");
    assert!(d.contains("document hash"), "{d}");
}

#[test]
fn esign_adobe_sign_audit_report_is_signed() {
    let u = read("adobe_sign_audit_report.pdf");
    assert_eq!(u.signature.status, SignatureStatus::Signed);
    assert_eq!(u.kind, Kind::CompletionCertificate, "{:?}", u.reasons);
    let d = evidence(&u.signature, "esign_audit_trail");
    assert!(
        d.contains("Daniel Hughes <d.hughes@keystone-learning.com> signed on 2025-06-20 16:16"),
        "{d}"
    );
    // The sender created the agreement: not a signer.
    assert!(d.contains("1 of 1 signers"), "{d}");
}

#[test]
fn esign_trail_with_pending_signer_is_partial() {
    let u = read("trail_pending_signer.pdf");
    assert_eq!(u.signature.status, SignatureStatus::Partial);
    // The trail does not name the document it certifies.
    assert_eq!(u.kind, Kind::Other, "{:?}", u.reasons);
    let d = evidence(&u.signature, "esign_audit_trail");
    assert!(d.contains("Hugo Bernard"), "{d}");
    assert!(d.contains("NOT signed"), "{d}");
    assert!(d.contains("1 of 2 signers"), "{d}");
}

#[test]
fn esign_brand_in_running_text_is_not_a_signature() {
    let u = read("convention_mentions_esign_services.pdf");
    assert_eq!(u.kind, Kind::Convention);
    assert_eq!(u.signature.status, SignatureStatus::Unsigned);
    assert!(
        u.signature
            .evidence
            .iter()
            .all(|e| !e.method.starts_with("esign")),
        "{:?}",
        u.signature.evidence
    );
}

/// (trainee, slot, state) of the cells that are not signed.
fn cells(s: &Signature) -> Vec<(String, String, String)> {
    s.empty_cells
        .iter()
        .map(|c| (c.trainee.clone(), c.slot.clone(), c.state.clone()))
        .collect()
}

#[test]
fn esign_attendance_export_xlsx_status_column() {
    let u = read("emargement_export_statuts.xlsx");
    assert_eq!(u.kind, Kind::AttendanceSheet);
    let s = &u.signature;
    // 3 trainees × 4 half-days, one absent; "Non signé", "À signer" and an "Invalidé" row that
    // keeps its timestamp are not signed; the trainer signed her 4 slots.
    assert_eq!((s.found, s.expected), (Some(12), Some(15)));
    assert_eq!(s.status, SignatureStatus::Partial);
    let d = evidence(s, "esign_attendance_export");
    assert!(d.contains("including 4 trainer cells"), "{d}");
    assert!(d.contains("«Statut»") && d.contains("«Signé le»"), "{d}");
    let c = cells(s);
    assert!(c.contains(&(
        "Paul Roux <p.roux@batiplus.fr>".into(),
        "13/05/2025 matin".into(),
        "absent".into()
    )));
    assert!(c.contains(&(
        "Paul Roux <p.roux@batiplus.fr>".into(),
        "12/05/2025 matin".into(),
        "empty".into()
    )));
    assert_eq!(c.len(), 4, "{c:?}");
}

#[test]
fn esign_attendance_export_csv_semicolon_bom_timestamps() {
    let u = read("emargement_export_horodatage.csv");
    assert_eq!(u.kind, Kind::AttendanceSheet);
    let s = &u.signature;
    // No status column: a cell is signed when it has a signed-at timestamp; the start time
    // gives the half-day.
    assert_eq!((s.found, s.expected), (Some(8), Some(12)));
    assert_eq!(s.status, SignatureStatus::Partial);
    assert!(cells(s).contains(&(
        "Jean Dupont <j.dupont@batiplus.fr>".into(),
        "13/05/2025 après-midi".into(),
        "empty".into()
    )));
}

#[test]
fn esign_attendance_export_csv_comma_english_statuses() {
    let u = read("attendance_export_en.csv");
    assert_eq!(u.kind, Kind::AttendanceSheet);
    let s = &u.signature;
    // "Not signed", "Pending", "Unsigned" are not signatures; "Excused" is an absence.
    assert_eq!((s.found, s.expected), (Some(8), Some(11)));
    let c = cells(s);
    assert_eq!(c.iter().filter(|c| c.2 == "absent").count(), 1, "{c:?}");
    assert_eq!(c.iter().filter(|c| c.2 == "empty").count(), 3, "{c:?}");
}

#[test]
fn esign_wide_grid_non_signe_cells_are_not_signed() {
    let u = read("emargement_grille_non_signe.xlsx");
    assert_eq!(u.kind, Kind::AttendanceSheet);
    let s = &u.signature;
    // 12 trainee cells (one "Absent") + 4 trainer cells; "Non signé", "À signer", "Invalidé"
    // are empty cells, "Signé 09:02" a signature.
    assert_eq!((s.found, s.expected), (Some(11), Some(15)));
    assert_eq!(s.status, SignatureStatus::Partial);
    assert_eq!(
        s.empty_cells.iter().filter(|c| c.state == "empty").count(),
        4
    );
}

#[test]
fn esign_platform_pdf_grid_cell_texts() {
    // A PDF export of an e-sign-in platform: no images, the cells say "Signé à 09:03",
    // "Non signé", "À signer", "Invalidé" or "Absent".
    let u = read("emargement_plateforme_grille.pdf");
    assert_eq!(u.kind, Kind::AttendanceSheet);
    let s = &u.signature;
    assert_eq!((s.found, s.expected), (Some(12), Some(15)));
    assert_eq!(s.status, SignatureStatus::Partial);
    let c = cells(s);
    assert_eq!(c.iter().filter(|c| c.2 == "empty").count(), 3, "{c:?}");
    assert_eq!(c.iter().filter(|c| c.2 == "absent").count(), 1, "{c:?}");
}
