//! The docx / odt extractors on documents made by real producers (see
//! `tests/data/office/README.md`): python-docx with Word's default template, and LibreOffice
//! 7.4 writing .odt and .docx. Checked through the public API, as the pipeline calls it.

use preuves::extract::{Input, Limits, extract_guarded};
use preuves::model::{Anchor, CellRange, Extracted, Format, Page};
use std::time::Instant;

fn extract(file: &str, format: Format) -> Extracted {
    let path = format!("{}/tests/data/office/{file}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).expect("fixture");
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

fn grid(page: &Page, t: usize) -> Vec<Vec<&str>> {
    page.tables[t]
        .rows
        .iter()
        .map(|r| r.iter().map(|c| c.text.as_str()).collect())
        .collect()
}

/// An image as checked: encoding, pixel size, anchor.
type Seen<'a> = (&'a str, Option<(u32, u32)>, &'a Anchor);

fn anchors(page: &Page) -> Vec<Seen<'_>> {
    page.images
        .iter()
        .map(|i| {
            let size = i.width_px.zip(i.height_px);
            (
                i.encoding.as_deref().unwrap_or("?"),
                size,
                i.anchor.as_ref().expect("anchor"),
            )
        })
        .collect()
}

/// The attendance sheet: python-docx (Word template) and its LibreOffice .odt conversion must
/// read the same.
fn check_emargement(x: &Extracted, header_part: &str, producer: &str) {
    assert_eq!(x.pages.len(), 1);
    let page = &x.pages[0];
    let lines: Vec<&str> = page.text.lines().collect();
    assert_eq!(
        lines[0],
        "Organisme Lumière Formation — N° de déclaration 84 69 12345 69"
    );
    assert_eq!(lines[1], "Feuille d'émargement");
    assert_eq!(
        lines[2],
        "Formation : Excel avancé — niveau 2 (œuvre collective, façade « été »)"
    );
    assert_eq!(lines[4], "Lieu : Lyon\tSalle Berlioz");
    assert_eq!(lines[5], "Nom\tPrénom\tEntreprise\tSignature");
    assert_eq!(lines[6], "Durand\tÉloïse\tSociété Générale d'Études\t");
    assert_eq!(lines[8], "Nombre de stagiaires présents\t\t\t2");
    assert!(page.text.contains("\nSignature du formateur :\n"));
    assert!(page.text.contains("\nFait à Lyon, le 12 mars 2025\n"));
    assert_eq!(
        lines.last().copied(),
        Some("Organisme certifié Qualiopi « actions de formation » – tarif 1 200 €")
    );

    assert_eq!(page.tables.len(), 1);
    assert_eq!(
        grid(page, 0),
        vec![
            vec!["Nom", "Prénom", "Entreprise", "Signature"],
            vec!["Durand", "Éloïse", "Société Générale d'Études", ""],
            vec!["Müller", "François", "Ça Roule SARL", ""],
            vec!["Nombre de stagiaires présents", "", "", "2"],
        ]
    );
    assert_eq!(
        page.tables[0].merged,
        vec![CellRange {
            first_row: 3,
            first_col: 0,
            last_row: 3,
            last_col: 2
        }]
    );

    assert_eq!(
        anchors(page),
        vec![
            (
                "jpeg",
                Some((160, 60)),
                &Anchor::HeaderFooter {
                    part: header_part.into()
                }
            ),
            (
                "png",
                Some((240, 80)),
                &Anchor::TableCell {
                    table: 0,
                    row: 1,
                    col: 3,
                    header: "Signature".into()
                }
            ),
            (
                "png",
                Some((200, 70)),
                &Anchor::Paragraph {
                    index: 6,
                    context: "Signature du formateur :".into()
                }
            ),
        ]
    );

    let m = &x.metadata;
    assert_eq!(
        m.title.as_deref(),
        Some("Feuille d'émargement – Excel avancé")
    );
    assert_eq!(m.author.as_deref(), Some("Marie Dupré"));
    assert_eq!(m.subject.as_deref(), Some("Session du 12 mars 2025"));
    assert!(
        m.created
            .as_deref()
            .is_some_and(|d| d.starts_with("2025-03-10T09:30:00"))
    );
    assert!(
        m.modified
            .as_deref()
            .is_some_and(|d| d.starts_with("2025-03-12T17:45:00"))
    );
    assert_eq!(
        m.other.get("last_modified_by").map(String::as_str),
        Some("Jean Économe")
    );
    assert!(
        m.producer.as_deref().is_some_and(|p| p.contains(producer)),
        "{:?}",
        m.producer
    );
    assert!(x.warnings.is_empty(), "{:?}", x.warnings);
}

#[test]
fn python_docx_attendance_sheet() {
    let x = extract("emargement_word.docx", Format::Docx);
    check_emargement(&x, "word/header1.xml", "Word");
    let names: Vec<&str> = x.pages[0].images.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "word/media/image1.jpg",
            "word/media/image2.png",
            "word/media/image3.png"
        ]
    );
}

#[test]
fn libreoffice_odt_attendance_sheet() {
    let x = extract("emargement_lo.odt", Format::Odt);
    check_emargement(&x, "styles.xml#header", "LibreOffice");
    assert!(
        x.pages[0]
            .images
            .iter()
            .all(|i| i.name.starts_with("Pictures/"))
    );
}

/// The agreement: written by LibreOffice as .odt, then as .docx (`<a:blip ...></a:blip>`, a text
/// box in `mc:AlternateContent` with its VML fallback, a tracked deletion, a nested table,
/// horizontally and vertically merged cells).
fn check_convention(x: &Extracted, header_part_prefix: &str) {
    let page = &x.pages[0];
    let lines: Vec<&str> = page.text.lines().collect();
    assert_eq!(
        lines,
        vec![
            "Lumière Formation — Convention n° 2025-017",
            "Convention de formation professionnelle",
            "Entre les soussignés : l’organisme Lumière Formation",
            "Article 1 :   objet\tde la convention",
            "Intitulé : Excel avancé",
            "Durée : 14 heures",
            "Voir l’encadré ci-contre.",
            "Tarif : 1 200 € HT",
            "Prise en charge OPCO",
            "Rôle\tNom et signature\t",
            "Parties\tPour l’organisme\t",
            "\tPour le client\tLu et approuvé Cachet",
            "Signature du stagiaire :",
            "",
            "Fait à Lyon, le 12 mars 2025",
            "Page 1 — SIRET 123 456 789 00012",
        ]
    );
    assert!(!page.text.contains("SUPPRIMÉ"), "tracked deletion leaked");
    assert_eq!(
        page.tables.len(),
        1,
        "the nested table is flattened into its cell"
    );
    assert_eq!(
        grid(page, 0),
        vec![
            vec!["Rôle", "Nom et signature", ""],
            vec!["Parties", "Pour l’organisme", ""],
            vec!["", "Pour le client", "Lu et approuvé Cachet"],
        ]
    );
    let merged = &page.tables[0].merged;
    assert!(merged.contains(&CellRange {
        first_row: 0,
        first_col: 1,
        last_row: 0,
        last_col: 2
    }));
    assert!(merged.contains(&CellRange {
        first_row: 1,
        first_col: 0,
        last_row: 2,
        last_col: 0
    }));
    assert_eq!(
        anchors(page),
        vec![
            (
                "png",
                Some((240, 80)),
                &Anchor::TableCell {
                    table: 0,
                    row: 1,
                    col: 2,
                    header: "Nom et signature".into()
                }
            ),
            (
                "png",
                Some((200, 70)),
                &Anchor::Paragraph {
                    index: 7,
                    context: "Signature du stagiaire :".into()
                }
            ),
        ]
    );
    assert!(
        page.images
            .iter()
            .all(|i| i.name.starts_with(header_part_prefix))
    );
    let m = &x.metadata;
    assert_eq!(
        m.title.as_deref(),
        Some("Convention de formation professionnelle")
    );
    assert_eq!(m.author.as_deref(), Some("Sophie Lefèvre"));
    assert_eq!(
        m.other.get("last_modified_by").map(String::as_str),
        Some("Paul Bérard")
    );
    assert!(
        m.created
            .as_deref()
            .is_some_and(|d| d.starts_with("2025-02-20T10:00:00"))
    );
    assert!(
        m.producer
            .as_deref()
            .is_some_and(|p| p.starts_with("LibreOffice"))
    );
}

#[test]
fn libreoffice_odt_agreement() {
    check_convention(&extract("convention_lo.odt", Format::Odt), "Pictures/");
}

#[test]
fn libreoffice_docx_agreement() {
    check_convention(&extract("convention_lo.docx", Format::Docx), "word/media/");
}

#[test]
fn fixtures_stay_small() {
    let dir = format!("{}/tests/data/office", env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(dir).expect("fixture dir") {
        let entry = entry.expect("entry");
        let len = entry.metadata().expect("metadata").len();
        assert!(len <= 40 * 1024, "{:?} is {len} bytes", entry.file_name());
    }
}

/// Timing, in release: `cargo test --release --test office_real perf -- --ignored --nocapture`.
/// `OFFICE_PERF=a.docx:b.odt` times other files instead of the fixtures.
#[test]
#[ignore]
fn perf() {
    let files: Vec<String> = match std::env::var("OFFICE_PERF") {
        Ok(list) => list.split(':').map(str::to_string).collect(),
        Err(_) => [
            "emargement_word.docx",
            "emargement_lo.odt",
            "convention_lo.docx",
        ]
        .iter()
        .map(|f| format!("{}/tests/data/office/{f}", env!("CARGO_MANIFEST_DIR")))
        .collect(),
    };
    let limits = Limits::default();
    for path in files {
        let bytes = std::fs::read(&path).expect("file");
        let format = if path.ends_with(".odt") {
            Format::Odt
        } else {
            Format::Docx
        };
        let mut times = Vec::new();
        let mut summary = String::new();
        for _ in 0..15 {
            let input = Input {
                bytes: &bytes,
                name: &path,
                limits: &limits,
                depth: 0,
                started: Instant::now(),
            };
            let t = Instant::now();
            let x = extract_guarded(format, &input).expect("extract");
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            let p = &x.pages[0];
            summary = format!(
                "{} lines, {} tables, {} images",
                p.text.lines().count(),
                p.tables.len(),
                p.images.len()
            );
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{path}: median {:.2} ms, min {:.2} ms ({summary})",
            times[7], times[0]
        );
    }
}

/// Robustness on damaged copies of the fixtures: byte flips and truncations of the zip, and
/// of the main XML part re-zipped (so that the XML reader, not the CRC check, meets the damage).
/// Never a panic (`internal`), never a hang. In release:
/// `cargo test --release --test office_real mutations -- --ignored --nocapture`.
#[test]
#[ignore]
fn mutations() {
    use std::io::{Cursor, Read, Write};
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut rand = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n.max(1) as u64) as usize
    };
    let limits = Limits::default();
    let fixtures = [
        ("emargement_word.docx", Format::Docx, "word/document.xml"),
        ("convention_lo.docx", Format::Docx, "word/document.xml"),
        ("emargement_lo.odt", Format::Odt, "content.xml"),
        ("convention_lo.odt", Format::Odt, "content.xml"),
    ];
    for (file, format, main) in fixtures {
        let path = format!("{}/tests/data/office/{file}", env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(&path).expect("fixture");
        let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
        let mut archive = zip::ZipArchive::new(Cursor::new(&bytes)).expect("zip");
        for i in 0..archive.len() {
            let mut f = archive.by_index(i).expect("member");
            let mut data = Vec::new();
            f.read_to_end(&mut data).expect("read");
            parts.push((f.name().expect("name").to_string(), data));
        }
        let (mut ok, mut errors, mut slowest) = (0, 0, 0.0f64);
        for round in 0..1500 {
            let damaged = if round % 3 == 0 {
                let mut b = bytes.clone();
                if round % 2 == 0 {
                    b.truncate(rand(b.len()));
                } else {
                    for _ in 0..1 + rand(8) {
                        let i = rand(b.len());
                        b[i] ^= 1 + rand(255) as u8;
                    }
                }
                b
            } else {
                let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
                let opts = zip::write::SimpleFileOptions::default();
                for (name, data) in &parts {
                    let mut data = data.clone();
                    if name == main {
                        for _ in 0..1 + rand(6) {
                            match rand(3) {
                                0 => {
                                    let i = rand(data.len());
                                    data[i] = b"<>/&\"'=x#;"[rand(10)];
                                }
                                1 => {
                                    let (a, n) = (rand(data.len()), rand(200));
                                    data.drain(a..(a + n).min(data.len()));
                                }
                                _ => {
                                    let (a, n) = (rand(data.len()), rand(400));
                                    let chunk = data[a..(a + n).min(data.len())].to_vec();
                                    let at = rand(data.len());
                                    data.splice(at..at, chunk);
                                }
                            }
                        }
                    }
                    w.start_file(name.as_str(), opts).expect("start");
                    w.write_all(&data).expect("write");
                }
                w.finish().expect("finish").into_inner()
            };
            let input = Input {
                bytes: &damaged,
                name: file,
                limits: &limits,
                depth: 0,
                started: Instant::now(),
            };
            let t = Instant::now();
            match extract_guarded(format, &input) {
                Ok(_) => ok += 1,
                Err(e) => {
                    assert_ne!(
                        e.code,
                        preuves::ErrorCode::Internal,
                        "{file} round {round}: {e}"
                    );
                    errors += 1;
                }
            }
            slowest = slowest.max(t.elapsed().as_secs_f64() * 1000.0);
        }
        println!("{file}: {ok} read, {errors} errors, slowest {slowest:.1} ms");
        assert!(slowest < 1000.0);
    }
}
