//! The spreadsheet extractor on files made by real producers: an attendance sheet written by
//! openpyxl (merged title rows, accents, real date headers, times, a formula, two PNG
//! signatures anchored in cells) and a Google-Forms-style export, each converted by LibreOffice
//! to .xlsx, .ods and .xls. See tests/data/sheets/make_fixtures.py.
//!
//! The same facts must come out of all four formats.

use preuves::extract::{Input, Limits, extract_guarded};
use preuves::model::{Anchor, Cell, CellRange, CellValue, Extracted, Format, Page};
use std::time::Instant;

fn extract(file: &str) -> Extracted {
    let path = format!("{}/tests/data/sheets/{file}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let format = Format::from_extension(file).expect("spreadsheet extension");
    let limits = Limits::default();
    let input = Input {
        bytes: &bytes,
        name: file,
        limits: &limits,
        depth: 0,
        started: Instant::now(),
    };
    extract_guarded(format, &input).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The cell at sheet coordinates (0-based), through the table's origin.
fn cell(page: &Page, row: u32, col: u32) -> Cell {
    let table = page.tables.first().expect("a table");
    let (r0, c0) = table.origin;
    if row < r0 || col < c0 {
        return Cell::default();
    }
    table
        .rows
        .get((row - r0) as usize)
        .and_then(|r| r.get((col - c0) as usize))
        .cloned()
        .unwrap_or_default()
}

const EMARGEMENT: [&str; 4] = [
    "emargement_openpyxl.xlsx",
    "emargement_libreoffice.xlsx",
    "emargement.ods",
    "emargement.xls",
];

#[test]
fn attendance_sheet_cells_are_the_same_in_all_formats() {
    for file in EMARGEMENT {
        let doc = extract(file);
        let labels: Vec<_> = doc
            .pages
            .iter()
            .map(|p| p.label.clone().unwrap_or_default())
            .collect();
        assert_eq!(labels, ["Émargement", "Infos"], "{file}");
        assert_eq!(doc.pages[0].number, 1);
        assert_eq!(doc.pages[1].number, 2);
        let p = &doc.pages[0];
        assert_eq!(p.tables[0].origin, (0, 0), "{file}");

        assert_eq!(cell(p, 0, 0).text, "Feuille d'émargement", "{file}");
        // Date headers: real dates, same value whatever the container.
        let d = cell(p, 2, 1);
        assert_eq!(d.value, CellValue::Date("2025-03-12".into()), "{file}");
        assert_eq!(d.text, "12/03/2025", "{file}");
        assert_eq!(
            cell(p, 2, 3).value,
            CellValue::Date("2025-03-13".into()),
            "{file}"
        );
        assert_eq!(cell(p, 3, 2).text, "Après-midi", "{file}");
        // Times of day.
        let t = cell(p, 4, 1);
        assert_eq!(t.value, CellValue::Time("09:00:00".into()), "{file}");
        assert_eq!(t.text, "09:00", "{file}");
        assert_eq!(
            cell(p, 4, 2).value,
            CellValue::Time("13:30:00".into()),
            "{file}"
        );
        // Names with accents, exact.
        assert_eq!(cell(p, 5, 0).text, "Hélène Dupré", "{file}");
        assert_eq!(cell(p, 6, 0).text, "François Müller-Léger", "{file}");
        assert_eq!(cell(p, 7, 0).text, "Zoé Çelik", "{file}");
        // Numbers: 1250-style integers, 3.5-style decimals.
        assert_eq!(cell(p, 5, 5).text, "14", "{file}");
        assert_eq!(cell(p, 5, 5).value, CellValue::Number(14.0), "{file}");
        assert_eq!(cell(p, 6, 5).text, "10.5", "{file}");
        // A date-time.
        let dt = cell(p, 10, 1);
        assert_eq!(
            dt.value,
            CellValue::DateTime("2025-03-13T17:45:00".into()),
            "{file}"
        );
        assert_eq!(dt.text, "13/03/2025 17:45:00", "{file}");
        // The formula: openpyxl stores no cached value, LibreOffice computed one.
        let total = cell(p, 8, 5);
        if file == "emargement_openpyxl.xlsx" {
            assert_eq!(total.value, CellValue::Empty, "{file}");
        } else {
            assert_eq!(total.value, CellValue::Number(28.0), "{file}");
        }

        // Page text: one line per non-empty row, tabs between cells.
        assert!(
            p.text.starts_with("Feuille d'émargement\n"),
            "{file}: {:?}",
            p.text
        );
        assert!(
            p.text
                .contains("Stagiaire\t12/03/2025\t\t13/03/2025\t\tHeures\n"),
            "{file}: {:?}",
            p.text
        );
        assert!(
            p.text.contains("Horaires\t09:00\t13:30\t09:00\t13:30\n"),
            "{file}"
        );
        assert!(
            p.text.contains("Fait à Lyon, le\t13/03/2025 17:45:00\n"),
            "{file}"
        );
        assert!(
            !p.text.contains("\n\n"),
            "{file}: empty rows are skipped in the text"
        );

        let infos = &doc.pages[1];
        assert!(
            infos.text.contains("Formateur\tJérôme Bézier\n"),
            "{file}: {:?}",
            infos.text
        );
        assert!(infos.text.contains("Salle Écully — 2ᵉ étage"), "{file}");
        // LibreOffice turns an imported xlsx boolean into `=TRUE()` with a float value in ODS.
        let expected = if file.ends_with(".ods") {
            CellValue::Number(1.0)
        } else {
            CellValue::Bool(true)
        };
        assert_eq!(cell(infos, 3, 1).value, expected, "{file}");
    }
}

#[test]
fn attendance_sheet_merged_regions_in_all_formats() {
    let range = |first_row, first_col, last_row, last_col| CellRange {
        first_row,
        first_col,
        last_row,
        last_col,
    };
    for file in EMARGEMENT {
        let doc = extract(file);
        let mut merged = doc.pages[0].tables[0].merged.clone();
        merged.sort_by_key(|r| (r.first_row, r.first_col));
        assert_eq!(
            merged,
            [
                range(0, 0, 0, 5),
                range(1, 0, 1, 5),
                range(2, 1, 2, 2),
                range(2, 3, 2, 4)
            ],
            "{file}"
        );
    }
}

#[test]
fn signatures_pasted_in_cells_are_anchored() {
    for file in [
        "emargement_openpyxl.xlsx",
        "emargement_libreoffice.xlsx",
        "emargement.ods",
    ] {
        let doc = extract(file);
        let mut images = doc.pages[0].images.clone();
        images.sort_by_key(|i| i.width_px);
        assert_eq!(images.len(), 2, "{file}: {images:?}");
        // sig2.png (150×50) in C7, sig1.png (180×60) in B6.
        assert_eq!(
            images[0].anchor,
            Some(Anchor::SheetCell { row: 6, col: 2 }),
            "{file}"
        );
        assert_eq!(
            (images[0].width_px, images[0].height_px),
            (Some(150), Some(50)),
            "{file}"
        );
        assert_eq!(
            images[1].anchor,
            Some(Anchor::SheetCell { row: 5, col: 1 }),
            "{file}"
        );
        assert_eq!(
            (images[1].width_px, images[1].height_px),
            (Some(180), Some(60)),
            "{file}"
        );
        for i in &images {
            assert_eq!(i.encoding.as_deref(), Some("png"), "{file}");
        }
        assert!(doc.pages[1].images.is_empty(), "{file}");
    }
    // .xls keeps pictures in Escher records without an anchor we read: none reported.
    assert!(extract("emargement.xls").pages[0].images.is_empty());
}

#[test]
fn attendance_sheet_metadata() {
    for file in EMARGEMENT {
        let doc = extract(file);
        assert_eq!(
            doc.metadata.title.as_deref(),
            Some("Émargement Gestes et postures"),
            "{file}"
        );
        assert_eq!(
            doc.metadata.author.as_deref(),
            Some("Amélie Fournier"),
            "{file}"
        );
    }
}

#[test]
fn forms_export_timestamps_are_the_same_in_all_formats() {
    let files = [
        "satisfaction_forms.xlsx",
        "satisfaction_forms_libreoffice.xlsx",
        "satisfaction_forms.ods",
        "satisfaction_forms.xls",
    ];
    let stamps = [
        ("2025-03-13T17:02:11", "13/03/2025 17:02:11"),
        ("2025-03-13T17:05:47", "13/03/2025 17:05:47"),
        ("2025-03-14T08:31:02", "14/03/2025 08:31:02"),
        ("2025-03-14T09:00:00", "14/03/2025 09:00:00"),
    ];
    for file in files {
        let doc = extract(file);
        assert_eq!(doc.pages.len(), 1, "{file}");
        let p = &doc.pages[0];
        assert_eq!(
            p.label.as_deref(),
            Some("Réponses au formulaire 1"),
            "{file}"
        );
        assert_eq!(cell(p, 0, 0).text, "Horodateur", "{file}");
        assert_eq!(
            cell(p, 0, 4).text,
            "Êtes-vous satisfait(e) de la formation ?",
            "{file}"
        );
        for (i, (value, text)) in stamps.iter().enumerate() {
            let c = cell(p, i as u32 + 1, 0);
            assert_eq!(
                c.value,
                CellValue::DateTime(value.to_string()),
                "{file} row {i}"
            );
            assert_eq!(c.text, *text, "{file} row {i}");
        }
        assert_eq!(
            cell(p, 1, 3).value,
            CellValue::Date("2025-03-12".into()),
            "{file}"
        );
        assert_eq!(
            cell(p, 4, 3).value,
            CellValue::Date("2025-03-13".into()),
            "{file}"
        );
        assert_eq!(cell(p, 1, 5).text, "9", "{file}");
        assert_eq!(
            cell(p, 3, 6).text,
            "Trop de théorie l’après-midi.",
            "{file}"
        );
        assert_eq!(cell(p, 4, 2).text, "Noël Garçon", "{file}");
        // The last answer has no comment: the text line stops at the last non-empty cell.
        assert!(
            p.text.contains("14/03/2025 09:00:00\tnoel.garcon@example.fr\tNoël Garçon\t13/03/2025\tTrès satisfait(e)\t10\n"),
            "{file}: {:?}",
            p.text
        );
        assert!(
            p.images.is_empty() && p.tables[0].merged.is_empty(),
            "{file}"
        );
    }
}
