//! Funder checks ("service fait"): each fires on a session made for it (Word documents written
//! here: a convention, an attendance sheet as a Word table, a certificate of completion, an
//! invoice) and stays silent on a clean one. Funder findings never change the Qualiopi status.

use docx_rs::{Docx, Paragraph, Pic, Run, Table, TableCell, TableRow};
use std::path::Path;

fn para(t: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(t))
}

/// A hand-drawn-looking signature: a dark wavy stroke on white, as PNG.
fn signature_png(seed: u32) -> Vec<u8> {
    let (w, h) = (160u32, 60u32);
    let mut px = vec![255u8; (w * h) as usize];
    for x in 10..150 {
        let t = x as f32 / 9.0 + seed as f32;
        let y = 30.0 + 14.0 * t.sin() * (0.6 + 0.4 * (t / 3.0).cos());
        for dy in -1..=1 {
            let yy = (y as i32 + dy).clamp(0, h as i32 - 1) as u32;
            px[(yy * w + x) as usize] = 20;
        }
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut wr = enc.write_header().unwrap();
        wr.write_image_data(&px).unwrap();
    }
    out
}

/// Cell text "SIG" becomes a signature image.
fn cell(c: &str, seed: u32) -> TableCell {
    if c == "SIG" {
        TableCell::new().add_paragraph(Paragraph::new().add_run(Run::new().add_image(
            Pic::new_with_dimensions(signature_png(seed), 160, 60).size(1_000_000, 380_000),
        )))
    } else {
        TableCell::new().add_paragraph(para(c))
    }
}

fn docx(path: &Path, title: &str, body: &[&str], table: Option<Vec<Vec<&str>>>) {
    let mut d = Docx::new()
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text(title).bold().size(36)));
    for line in body {
        d = d.add_paragraph(para(line));
    }
    if let Some(rows) = table {
        let rows = rows
            .into_iter()
            .enumerate()
            .map(|(ri, r)| {
                // Each person signs with their own hand: one image per row and column.
                TableRow::new(
                    r.into_iter()
                        .enumerate()
                        .map(|(i, c)| cell(c, (ri * 10 + i) as u32))
                        .collect(),
                )
            })
            .collect();
        d = d.add_table(Table::new(rows));
    }
    d.build()
        .pack(std::fs::File::create(path).unwrap())
        .unwrap();
}

/// A two-day session (10–11 March 2025). `defects` plants the funder defects.
fn session(dir: &Path, defects: bool) {
    std::fs::create_dir_all(dir).unwrap();
    docx(
        &dir.join("Convention.docx"),
        "Convention de formation professionnelle",
        &[
            "Entre les soussignés : Formations du Nord, organisme de formation, et la société Dupuis SA.",
            "Intitulé de la formation : Sécurité au travail",
            "Dates : du 10/03/2025 au 11/03/2025",
            "Durée : 14 heures",
            "Fait à Lille, le 3 février 2025",
        ],
        None,
    );
    let sheet_rows = vec![
        vec![
            "Nom du stagiaire",
            "10/03/2025 Matin",
            "10/03/2025 Après-midi",
            "11/03/2025 Matin",
            "11/03/2025 Après-midi",
        ],
        vec!["Alice Durand", "SIG", "SIG", "SIG", "SIG"],
        vec!["Bruno Petit", "SIG", "SIG", "SIG", "SIG"],
    ];
    docx(
        &dir.join("Feuille d'émargement.docx"),
        "Feuille d'émargement",
        &["Formation : Sécurité au travail", "Durée : 14 heures"],
        Some(sheet_rows),
    );
    docx(
        &dir.join("Certificat de réalisation.docx"),
        "Certificat de réalisation",
        &[
            "Nom du stagiaire : Alice Durand",
            if defects {
                "Nom du stagiaire : Chloé Martin"
            } else {
                "Nom du stagiaire : Bruno Petit"
            },
            "Intitulé de la formation : Sécurité au travail",
            if defects {
                "Dates : du 10/03/2025 au 12/03/2025"
            } else {
                "Dates : du 10/03/2025 au 11/03/2025"
            },
            if defects {
                "Durée : 13 h 30"
            } else {
                "Durée : 14 heures"
            },
            if defects {
                "Fait à Lille, le 1er mai 2025"
            } else {
                "Fait à Lille, le 12 mars 2025"
            },
        ],
        None,
    );
    docx(
        &dir.join("Facture.docx"),
        "Facture n° 2025-031",
        &[
            "Date de facture : 14/03/2025",
            "Formation Sécurité au travail du 10/03/2025 au 11/03/2025",
            "Durée : 14 heures — Total HT : 1 400,00 €",
        ],
        None,
    );
}

fn codes(report: &preuves::report::Report, folder: &str) -> Vec<String> {
    let s = report
        .sessions
        .iter()
        .find(|s| s.path.ends_with(folder))
        .unwrap_or_else(|| {
            panic!(
                "{folder}: {:?}",
                report.sessions.iter().map(|s| &s.path).collect::<Vec<_>>()
            )
        });
    let mut c: Vec<String> = s.funder_findings.iter().map(|f| f.code.clone()).collect();
    c.sort();
    c
}

#[test]
fn funder_checks_fire_on_their_defects_and_stay_silent_on_a_clean_session() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("OF");
    session(&root.join("2025/2025-03 Sécurité - Dupuis clean"), false);
    session(&root.join("2025/2025-03 Sécurité - Dupuis defects"), true);
    let report = preuves::scan(
        &root,
        &preuves::ScanOptions::default(),
        &preuves::NoProgress,
    )
    .unwrap();
    let clean = report
        .sessions
        .iter()
        .find(|s| s.path.ends_with("clean"))
        .unwrap();
    assert!(
        clean.funder_findings.is_empty(),
        "{:?}",
        clean.funder_findings
    );
    let found = codes(&report, "defects");
    for want in [
        "funder.dates_disagree",
        "funder.hours_disagree",
        "funder.name_mismatch",
        "funder.signature_on_holiday",
    ] {
        assert!(found.contains(&want.to_string()), "{want} not in {found:?}");
    }
    let s = report
        .sessions
        .iter()
        .find(|s| s.path.ends_with("defects"))
        .unwrap();
    let hours = s
        .funder_findings
        .iter()
        .find(|f| f.code == "funder.hours_disagree")
        .unwrap();
    assert!(hours.message.contains("13,5 h"), "{}", hours.message);
    let holiday = s
        .funder_findings
        .iter()
        .find(|f| f.code == "funder.signature_on_holiday")
        .unwrap();
    assert!(
        holiday.message.contains("fête du travail"),
        "{}",
        holiday.message
    );
    // Funder findings do not change the Qualiopi status: both sessions have the same one.
    let clean = report
        .sessions
        .iter()
        .find(|s| s.path.ends_with("clean"))
        .unwrap();
    assert_eq!(clean.status, s.status);
}

#[test]
fn unsigned_half_day_is_a_funder_finding() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("OF");
    let folder = root.join("2025/2025-03 Sécurité - Dupuis");
    session(&folder, false);
    docx(
        &folder.join("Feuille d'émargement.docx"),
        "Feuille d'émargement",
        &["Formation : Sécurité au travail"],
        Some(vec![
            vec![
                "Nom du stagiaire",
                "10/03/2025 Matin",
                "10/03/2025 Après-midi",
                "11/03/2025 Matin",
                "11/03/2025 Après-midi",
            ],
            vec!["Alice Durand", "SIG", "SIG", "", "SIG"],
            vec!["Bruno Petit", "SIG", "SIG", "SIG", "SIG"],
        ]),
    );
    let report = preuves::scan(
        &root,
        &preuves::ScanOptions::default(),
        &preuves::NoProgress,
    )
    .unwrap();
    let s = &report.sessions[0];
    let f = s
        .funder_findings
        .iter()
        .find(|f| f.code == "funder.half_day_unsigned")
        .unwrap_or_else(|| panic!("{:?}", s.funder_findings));
    assert!(
        f.message
            .contains("1 cellule(s) : Alice Durand — 11/03/2025 Matin"),
        "{}",
        f.message
    );
}

/// One signature image in the cells of two people (a Chromium-printed sheet where Marie Curie's
/// cell holds Jean Dupont's image; Chromium stores the copy once, under one XObject name).
#[test]
fn funder_same_signature_image_in_two_peoples_cells() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("OF/2026/2026-03 Bureautique - Lumen");
    std::fs::create_dir_all(&session).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/signatures/attendance_narrow_ruled_columns_same_image.pdf"),
        session.join("Emargement.pdf"),
    )
    .unwrap();
    let report = preuves::scan(
        &dir.path().join("OF"),
        &preuves::ScanOptions::default(),
        &preuves::NoProgress,
    )
    .unwrap();
    let s = &report.sessions[0];
    let f = s
        .funder_findings
        .iter()
        .find(|f| f.code == "funder.same_signature_image")
        .unwrap_or_else(|| panic!("{:?}", s.funder_findings));
    assert!(
        f.message.contains("Jean Dupont") && f.message.contains("Marie Curie"),
        "{}",
        f.message
    );
    assert_eq!(f.documents.len(), 1);
    // The trainer's one image in all four of his cells: pasted, not signed each half-day.
    let r = s
        .funder_findings
        .iter()
        .find(|f| f.code == "funder.signature_image_repeated")
        .unwrap_or_else(|| panic!("{:?}", s.funder_findings));
    assert!(r.message.contains("Paul Martin (4)"), "{}", r.message);
    assert!(
        !r.message.contains("Jean Dupont") && !r.message.contains("Marie Curie"),
        "{}",
        r.message
    );
}
