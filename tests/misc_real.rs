//! Real files made by real producers (LibreOffice .doc, Python `email` .eml, Info-ZIP .zip with
//! CP850 names, Pillow JPEG with EXIF), read through the public extraction API.
//! How each fixture was made: tests/data/misc/README.md.

use preuves::extract::{Input, Limits, extract_guarded};
use preuves::model::{Anchor, Extracted, Format};
use std::collections::HashMap;
use std::time::Instant;

fn data(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/misc/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn extract_at(format: Format, bytes: &[u8], name: &str, depth: u32) -> preuves::Result<Extracted> {
    let limits = Limits::default();
    let input = Input {
        bytes,
        name,
        limits: &limits,
        depth,
        started: Instant::now(),
    };
    extract_guarded(format, &input)
}

fn extract(format: Format, name: &str) -> Extracted {
    extract_at(format, &data(name), name, 0).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn words(text: &str) -> Vec<String> {
    text.replace("[pic]", " ")
        .to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || "€«»'’-".contains(c)))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn doc_text_matches_antiword() {
    let x = extract(Format::Doc, "emargement.doc");
    let ours = x.full_text();
    let reference = String::from_utf8(data("emargement.antiword.txt")).unwrap();
    let mut have: HashMap<String, usize> = HashMap::new();
    for w in words(&ours) {
        *have.entry(w).or_default() += 1;
    }
    let reference = words(&reference);
    let mut hits = 0;
    for w in &reference {
        if let Some(n) = have.get_mut(w)
            && *n > 0
        {
            *n -= 1;
            hits += 1;
        }
    }
    let recall = hits as f64 / reference.len() as f64;
    assert!(
        recall >= 0.98,
        "word recall {recall:.3} vs antiword\n{ours}"
    );

    for needle in [
        "Fait à Lyon, le 12 mars 2025",
        "« Sécurité électrique et habilitation » — session n° 2025-03",
        "Centre de formation Œuvre & Compétences, coût 1 250 € HT",
        "Nom\tPrénom\tEntreprise\tSignature",
        "Lefèvre\tFrançoise\t\t",
    ] {
        assert!(ours.contains(needle), "missing {needle:?} in\n{ours}");
    }
}

#[test]
fn doc_table_pictures_and_metadata() {
    let x = extract(Format::Doc, "emargement.doc");
    let page = &x.pages[0];
    assert_eq!(page.tables.len(), 1);
    let t = &page.tables[0];
    assert_eq!(t.rows.len(), 5);
    assert_eq!(t.rows[0][3].text, "Signature");
    assert_eq!(t.rows[1][2].text, "Électricité Générale");
    assert!(t.rows[2][2].is_empty() && t.rows[2][3].is_empty());

    // Two signature pictures in the Signature column (rows 1 and 3), one after the trainer's
    // statement.
    assert_eq!(page.images.len(), 3, "{:?}", page.images);
    let cells: Vec<(usize, usize)> = page
        .images
        .iter()
        .filter_map(|i| match &i.anchor {
            Some(Anchor::TableCell {
                row, col, header, ..
            }) if header == "Signature" => Some((*row, *col)),
            _ => None,
        })
        .collect();
    assert_eq!(cells, vec![(1, 3), (3, 3)]);
    match &page.images[2].anchor {
        Some(Anchor::Paragraph { context, .. }) => {
            assert!(context.contains("Le formateur atteste"), "{context}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(x.metadata.title.as_deref(), Some("Émargement mars 2025"));
    assert_eq!(x.metadata.author.as_deref(), Some("Hélène Martin"));
}

#[test]
fn doc_plain_letter() {
    let x = extract(Format::Doc, "convention.doc");
    let text = x.full_text();
    assert!(
        text.contains("Le coût total s'élève à 2 400,00 € nets de taxe."),
        "{text}"
    );
    assert!(text.contains("ci-après « le client »"), "{text}");
    assert!(x.pages[0].tables.is_empty() && x.pages[0].images.is_empty());
}

#[test]
fn eml_headers_body_attachment_and_forward() {
    let x = extract(Format::Eml, "convocation.eml");
    let m = &x.metadata;
    assert_eq!(
        m.title.as_deref(),
        Some("Convocation à la formation « Habilitation électrique » du 10 au 12 mars 2025")
    );
    assert_eq!(m.created.as_deref(), Some("2025-03-12T10:15:00+01:00"));
    assert_eq!(
        m.other.get("from").map(String::as_str),
        Some("Hélène Martin <helene.martin@centre-sud.fr>")
    );
    assert_eq!(
        m.other.get("to").map(String::as_str),
        Some("Jérôme Dupont <jerome.dupont@client.fr>, rh@client.fr")
    );
    let text = x.full_text();
    assert!(text.starts_with("From: Hélène Martin"), "{text}");
    assert!(text.contains("convention signée pour la session du 10 au 12 mars 2025 à Lyon."));
    assert!(text.contains("1 250 € HT"), "{text}");

    let names: Vec<&str> = x.children.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "convention signée.pdf",
            "Feuille d'émargement signée – session du 10 mars.eml"
        ]
    );
    let pdf = x.children[0].data.as_ref().unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(pdf.len(), 9630);

    // The forwarded message is an e-mail of its own.
    let inner = x.children[1].data.as_ref().unwrap();
    let y = extract_at(Format::Eml, inner, &x.children[1].name, 1).unwrap();
    assert_eq!(
        y.metadata.created.as_deref(),
        Some("2025-03-11T17:02:11+01:00")
    );
    assert!(
        y.full_text()
            .contains("voici la feuille d'émargement signée")
    );
}

#[test]
fn zip_with_cp850_names() {
    let x = extract(Format::Zip, "emargements_cp850.zip");
    let names: Vec<&str> = x.children.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        vec!["À traiter/Émargement été.csv", "Reçu/convention signée.pdf"]
    );
    let csv = x.children[0].data.as_ref().unwrap();
    assert!(csv.starts_with(b"Nom;Pr\xe9nom;Signature"));
    assert!(
        x.warnings.iter().any(|w| w.contains("Thumbs.db")),
        "{:?}",
        x.warnings
    );
    assert_eq!(
        x.pages[0].text,
        "À traiter/Émargement été.csv\nReçu/convention signée.pdf"
    );

    // At the nesting limit the archive is not opened.
    let limits = Limits::default();
    let bytes = data("emargements_cp850.zip");
    let e = extract_at(Format::Zip, &bytes, "x.zip", limits.max_depth).unwrap_err();
    assert_eq!(e.code, preuves::ErrorCode::TooLarge);
}

#[test]
fn photo_with_exif_date() {
    let x = extract(Format::Image, "photo_emargement.jpg");
    assert!(x.is_scanned());
    let img = &x.pages[0].images[0];
    assert_eq!((img.width_px, img.height_px), (Some(320), Some(240)));
    assert_eq!(img.encoding.as_deref(), Some("jpeg"));
    assert_eq!(x.metadata.created.as_deref(), Some("2025-03-12T17:45:09"));
}
