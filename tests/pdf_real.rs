//! The PDF extractor on real PDFs made by LibreOffice and Chromium (tests/data/pdf/).
//!
//! For each fixture, `<name>.pdftotext.txt` holds poppler's `pdftotext -enc UTF-8` output,
//! generated once; every word pdftotext finds must be in our text (word recall ≥ 0.99, accents
//! included, counted with multiplicity).

use preuves::extract::{Input, Limits, extract_guarded};
use preuves::model::{Anchor, Extracted, Format};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pdf")
}

fn extract(bytes: &[u8], name: &str) -> preuves::Result<Extracted> {
    let limits = Limits::default();
    let input = Input {
        bytes,
        name,
        limits: &limits,
        depth: 0,
        started: Instant::now(),
    };
    extract_guarded(Format::Pdf, &input)
}

fn words(text: &str) -> HashMap<String, usize> {
    let mut m = HashMap::new();
    for w in text.split(char::is_whitespace).filter(|w| !w.is_empty()) {
        *m.entry(w.to_string()).or_insert(0) += 1;
    }
    m
}

/// (found, total, missing words) of `reference`'s words in `ours`, with multiplicity.
fn recall(reference: &str, ours: &str) -> (usize, usize, Vec<String>) {
    let theirs = words(reference);
    let mine = words(ours);
    let (mut found, mut total) = (0, 0);
    let mut missing = Vec::new();
    for (w, n) in theirs {
        let m = mine.get(&w).copied().unwrap_or(0);
        total += n;
        found += n.min(m);
        if m < n {
            missing.push(format!("{w} ({m}/{n})"));
        }
    }
    missing.sort();
    (found, total, missing)
}

fn fixtures() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(data_dir())
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.retain(|p| p.extension().is_some_and(|e| e == "pdf"));
    v.sort();
    v
}

#[test]
fn word_recall_against_pdftotext() {
    let files = fixtures();
    assert!(
        files.len() >= 4,
        "fixtures missing in {}",
        data_dir().display()
    );
    for path in files {
        let reference_path = path.with_extension("pdftotext.txt");
        let Ok(reference) = std::fs::read_to_string(&reference_path) else {
            continue;
        };
        let bytes = std::fs::read(&path).expect("fixture readable");
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        let doc = extract(&bytes, name).unwrap_or_else(|e| panic!("{name}: {e}"));
        let (found, total, missing) = recall(&reference, &doc.full_text());
        let r = found as f64 / total.max(1) as f64;
        eprintln!("{name}: recall {found}/{total} = {r:.4}; missing: {missing:?}");
        assert!(total > 50, "{name}: reference too small");
        assert!(
            r >= 0.99,
            "{name}: recall {r:.4} < 0.99; missing {missing:?}"
        );
        assert!(
            doc.pages.iter().all(|p| !p.scanned),
            "{name}: a text page marked scanned"
        );
        assert!(
            doc.warnings.is_empty(),
            "{name}: warnings {:?}",
            doc.warnings
        );
    }
}

fn fixture(name: &str) -> Extracted {
    let bytes = std::fs::read(data_dir().join(name)).expect("fixture readable");
    extract(&bytes, name).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn image_count(doc: &Extracted) -> Vec<usize> {
    doc.pages.iter().map(|p| p.images.len()).collect()
}

#[test]
fn libreoffice_writer_table_rows_and_images() {
    let doc = fixture("lo_writer_convention.pdf");
    assert_eq!(doc.pages.len(), 4);
    let p3 = &doc.pages[2].text;
    // Table rows come out as rows, cells separated by tabs.
    assert!(p3.contains("Nom\tPrénom\tDate\tSignature"), "{p3}");
    assert!(p3.contains("Nguyễn\tThị Hoa\t12 mars 2025"), "{p3}");
    assert!(p3.contains("Fait à Lyon, le 12 mars 2025."), "{p3}");
    // Same placements as `pdfimages -list`: 3 signatures in the table, 1 below.
    assert_eq!(image_count(&doc), vec![0, 0, 3, 1]);
    let img = &doc.pages[2].images[0];
    assert_eq!(
        (img.encoding.as_deref(), img.width_px, img.height_px),
        (Some("flate"), Some(240), Some(80))
    );
    let Some(Anchor::Page { rect }) = &img.anchor else {
        panic!("no anchor")
    };
    // The image sits in the "Signature" column, under its header.
    let header = doc.pages[2]
        .spans
        .iter()
        .find(|s| s.text == "Signature")
        .expect("header span");
    assert!(
        rect.x >= header.x - 5.0 && rect.top() < header.y,
        "{rect:?} vs {header:?}"
    );
    let m = &doc.metadata;
    assert_eq!(
        (m.producer.as_deref(), m.creator.as_deref()),
        (Some("LibreOffice 7.4"), Some("Writer"))
    );
    assert!(
        m.created
            .as_deref()
            .is_some_and(|d| d.starts_with("D:2026"))
    );
}

#[test]
fn libreoffice_metadata_and_header_footer() {
    let doc = fixture("lo_writer_attestation.pdf");
    assert_eq!(
        doc.metadata.title.as_deref(),
        Some("Attestation de fin de formation")
    );
    assert_eq!(
        doc.metadata.subject.as_deref(),
        Some("Qualiopi — indicateur 11")
    );
    let t = &doc.pages[0].text;
    assert!(
        t.starts_with("Équinoxe Formation — SIRET"),
        "header first: {t}"
    );
    assert!(
        t.contains("intitulée «\nSécurité au travail, gestes et postures »"),
        "{t}"
    );
    assert!(
        t.lines().last().is_some_and(|l| l.starts_with("Page 1 —")),
        "footer last: {t}"
    );
}

#[test]
fn chromium_table_and_images() {
    let doc = fixture("chrome_emargement.pdf");
    let t = &doc.pages[0].text;
    assert!(
        t.contains("Feuille d'émargement — Formation « Sécurité & prévention »"),
        "{t}"
    );
    assert!(
        t.contains("Coût : 1 250,00 € HT — Œuvre Commune, cœur de métier"),
        "{t}"
    );
    // Chromium draws glyph by glyph; words must not be split or glued.
    assert!(t.contains("l'évaluation de l'indicateur"), "{t}");
    assert_eq!(image_count(&doc), vec![26, 0], "as pdfimages -list");
    let logo = &doc.pages[0].images[0];
    assert_eq!(logo.encoding.as_deref(), Some("jpeg"));
    let page_h = doc.pages[0].size.map(|s| s.1).unwrap_or(0.0);
    let Some(Anchor::Page { rect }) = &logo.anchor else {
        panic!("no anchor")
    };
    assert!(rect.top() > page_h - 80.0, "logo at the top: {rect:?}");
}

#[test]
fn signed_pdf_fields() {
    let bytes = std::fs::read(data_dir().join("lo_signed_pyhanko.pdf")).expect("fixture");
    let doc = extract(&bytes, "lo_signed_pyhanko.pdf").expect("extract");
    assert_eq!(doc.fields.len(), 2, "{:?}", doc.fields);
    let signed = doc
        .fields
        .iter()
        .find(|f| f.name == "SignatureFormateur")
        .expect("field");
    assert_eq!((signed.kind.as_str(), signed.page), ("signature", Some(1)));
    let sig = signed.signature.as_ref().expect("signed");
    assert_eq!(sig.sub_filter.as_deref(), Some("adbe.pkcs7.detached"));
    assert_eq!(sig.covers_whole_file, Some(true));
    // The signing certificate's subject, not its issuer ("Autorité de certification Équinoxe").
    assert_eq!(sig.signer.as_deref(), Some("Hélène Dupré"));
    assert_eq!(sig.reason.as_deref(), Some("Convention acceptée"));
    assert!(
        sig.signing_time
            .as_deref()
            .is_some_and(|m| m.starts_with("D:2026"))
    );
    assert_eq!(sig.byte_range.len(), 4);
    assert_eq!(sig.byte_range[2] + sig.byte_range[3], bytes.len() as i64);
    let empty = doc
        .fields
        .iter()
        .find(|f| f.name == "SignatureStagiaire")
        .expect("field");
    assert_eq!(
        (empty.kind.as_str(), empty.signature.is_none()),
        ("signature", true)
    );
    assert!(empty.rect.is_some_and(|r| r.x == 60.0 && r.width == 220.0));
    // The visible signature's appearance is on the page, as viewers show it.
    assert!(
        doc.pages[0]
            .text
            .contains("Digitally signed by Hélène Dupré."),
        "{}",
        doc.pages[0].text
    );

    // Appending bytes after signing breaks the coverage.
    let mut longer = bytes.clone();
    longer.extend_from_slice(b"\n%%EOF\n");
    let doc = extract(&longer, "x.pdf").expect("extract");
    let sig = doc
        .fields
        .iter()
        .find_map(|f| f.signature.clone())
        .expect("signed");
    assert_eq!(sig.covers_whole_file, Some(false));
}

#[test]
fn owner_password_only_is_read() {
    let doc = fixture("lo_calc_owner_aes128.pdf");
    assert!(
        doc.pages[0].text.contains("DUPRÉ\tHélène\tŒuvre Commune"),
        "{}",
        doc.pages[0].text
    );
    assert!(doc.metadata.other.contains_key("encryption"));
}

/// Garbage made for real: the Chromium fixture with every /ToUnicode removed (Identity-H fonts
/// then map to glyph ids only).
#[test]
fn chromium_without_to_unicode_is_scanned_not_garbage_text() {
    let bytes = std::fs::read(data_dir().join("chrome_emargement.pdf")).expect("fixture");
    let mut doc = lopdf::Document::load_mem(&bytes).expect("lopdf");
    let mut removed = 0;
    for obj in doc.objects.values_mut() {
        if let Ok(d) = obj.as_dict_mut()
            && d.remove(b"ToUnicode").is_some()
        {
            removed += 1;
        }
    }
    assert!(removed > 0);
    let mut stripped = Vec::new();
    doc.save_to(&mut stripped).expect("save");
    let out = extract(&stripped, "stripped.pdf").expect("extract");
    assert!(
        out.pages.iter().all(|p| p.scanned && p.text.is_empty()),
        "{:?}",
        out.pages.iter().map(|p| &p.text).collect::<Vec<_>>()
    );
    assert!(out.is_scanned());
    assert!(
        out.warnings
            .iter()
            .any(|w| w.contains("treated as scanned"))
    );
    // Images are still reported.
    assert_eq!(out.pages[0].images.len(), 26);
}

#[test]
fn truncated_and_damaged_fixtures_fail_cleanly() {
    for name in ["lo_writer_convention.pdf", "chrome_emargement.pdf"] {
        let bytes = std::fs::read(data_dir().join(name)).expect("fixture");
        // Cut anywhere: an error or a document with pages, never a panic or an empty document.
        for cut in [10, bytes.len() / 4, bytes.len() / 2, bytes.len() - 200] {
            match extract(&bytes[..cut], name) {
                Ok(doc) => assert!(!doc.pages.is_empty()),
                Err(e) => assert!(
                    matches!(e.code, preuves::ErrorCode::Corrupt),
                    "{name} cut at {cut}: {e}"
                ),
            }
        }
        // Flipped bytes.
        let mut flipped = bytes.clone();
        for i in (0..flipped.len()).step_by(997) {
            flipped[i] ^= 0x5a;
        }
        if let Ok(doc) = extract(&flipped, name) {
            assert!(!doc.pages.is_empty());
        }
    }
}

/// `PDF_PROBE=file.pdf cargo test --test pdf_real probe -- --ignored --nocapture`
#[test]
#[ignore]
fn probe() {
    let Ok(path) = std::env::var("PDF_PROBE") else {
        return;
    };
    let bytes = std::fs::read(&path).expect("readable");
    let t = Instant::now();
    let doc = extract(&bytes, &path);
    let elapsed = t.elapsed();
    match doc {
        Err(e) => println!("ERROR {e}"),
        Ok(doc) => {
            for p in &doc.pages {
                println!(
                    "=== page {} size {:?} scanned {} spans {} images {}",
                    p.number,
                    p.size,
                    p.scanned,
                    p.spans.len(),
                    p.images.len()
                );
                if std::env::var("PDF_PROBE_SPANS").is_ok() {
                    for s in &p.spans {
                        println!(
                            "  span x={:.1} y={:.1} w={:.1} fs={:.1} {:?}",
                            s.x, s.y, s.width, s.font_size, s.text
                        );
                    }
                }
                for i in &p.images {
                    if let Some(Anchor::Page { rect }) = &i.anchor {
                        println!(
                            "  image {} {:?} {:?}x{:?} at {:.1},{:.1} {:.1}x{:.1}",
                            i.name,
                            i.encoding,
                            i.width_px,
                            i.height_px,
                            rect.x,
                            rect.y,
                            rect.width,
                            rect.height
                        );
                    }
                }
                println!("{}", p.text);
            }
            println!("fields: {:#?}", doc.fields);
            println!("metadata: {:?}", doc.metadata);
            println!("warnings: {:?}", doc.warnings);
            if let Ok(reference) = std::env::var("PDF_PROBE_REF") {
                let reference = std::fs::read_to_string(reference).expect("reference");
                let (found, total, missing) = recall(&reference, &doc.full_text());
                println!(
                    "recall {found}/{total} = {:.4}; missing {missing:?}",
                    found as f64 / total.max(1) as f64
                );
            }
        }
    }
    println!("elapsed {elapsed:?}");
}

/// `PDF_BATCH=list.txt cargo test --test pdf_real batch -- --ignored --nocapture`: recall against
/// `pdftotext` (run here) for every PDF listed, one path per line.
#[test]
#[ignore]
fn batch() {
    let Ok(list) = std::env::var("PDF_BATCH") else {
        return;
    };
    let list = std::fs::read_to_string(list).expect("list");
    for path in list.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let t = Instant::now();
        let doc = extract(&bytes, path);
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let reference = std::process::Command::new("pdftotext")
            .args(["-enc", "UTF-8", path, "-"])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default();
        match doc {
            Err(e) => println!("ERR   {ms:7.1} ms {path}: {e}"),
            Ok(doc) => {
                let (found, total, missing) = recall(&reference, &doc.full_text());
                let scanned = doc.pages.iter().filter(|p| p.scanned).count();
                let images: usize = doc.pages.iter().map(|p| p.images.len()).sum();
                let sigs = doc.fields.iter().filter(|f| f.signature.is_some()).count();
                println!(
                    "{:.4} {ms:7.1} ms pages {} scanned {scanned} images {images} fields {} signed {sigs} {path}{}",
                    found as f64 / total.max(1) as f64,
                    doc.pages.len(),
                    doc.fields.len(),
                    if missing.is_empty() {
                        String::new()
                    } else {
                        format!("\n      missing {:?}", &missing[..missing.len().min(12)])
                    }
                );
                if !doc.warnings.is_empty() {
                    println!("      warnings {:?}", doc.warnings);
                }
            }
        }
    }
}

/// `PDF_MUTANTS=300 cargo test --test pdf_real mutants -- --ignored --nocapture`: byte flips,
/// deletions and truncations of the fixtures; no panic (`internal`), no empty document.
#[test]
#[ignore]
fn mutants() {
    let n: usize = std::env::var("PDF_MUTANTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let (mut ok, mut err, mut panics, mut slowest) = (0, 0, 0, 0.0f64);
    for path in fixtures() {
        let bytes = std::fs::read(&path).expect("fixture");
        for _ in 0..n {
            let mut m = bytes.clone();
            match next() % 3 {
                0 => {
                    for _ in 0..1 + next() % 20 {
                        let i = (next() as usize) % m.len();
                        m[i] = next() as u8;
                    }
                }
                1 => {
                    let i = (next() as usize) % m.len();
                    let len = ((next() as usize) % 2000).min(m.len() - i);
                    m.drain(i..i + len);
                }
                _ => {
                    let keep = (next() as usize) % m.len();
                    m.truncate(keep.max(1));
                }
            }
            let t = Instant::now();
            let r = extract(&m, "mutant.pdf");
            slowest = slowest.max(t.elapsed().as_secs_f64());
            match r {
                Ok(doc) => {
                    assert!(!doc.pages.is_empty());
                    ok += 1;
                }
                Err(e) if e.code == preuves::ErrorCode::Internal => {
                    println!("PANIC {}: {e}", path.display());
                    panics += 1;
                }
                Err(_) => err += 1,
            }
        }
    }
    println!("mutants: {ok} ok, {err} errors, {panics} panics, slowest {slowest:.3} s");
    assert_eq!(panics, 0);
}
