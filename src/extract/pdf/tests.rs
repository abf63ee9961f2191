//! PDFs built in memory with lopdf, one feature at a time.

use super::*;
use crate::error::ErrorCode;
use crate::extract::Limits;
use crate::model::{FormField, ImageRef, Rect};
use lopdf::{Stream, StringFormat, dictionary};
use std::time::Instant;

fn run(bytes: &[u8]) -> Result<Extracted> {
    let limits = Limits::default();
    let input = Input {
        bytes,
        name: "t.pdf",
        limits: &limits,
        depth: 0,
        started: Instant::now(),
    };
    PdfExtractor.extract(&input)
}

fn save(doc: &mut Document) -> Vec<u8> {
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save");
    out
}

/// A document under construction: pages share one /Pages node.
struct Builder {
    doc: Document,
    pages: ObjectId,
    kids: Vec<ObjectId>,
}

impl Builder {
    fn new() -> Builder {
        let mut doc = Document::with_version("1.5");
        let pages = doc.new_object_id();
        Builder {
            doc,
            pages,
            kids: Vec::new(),
        }
    }

    fn page(&mut self, content: impl AsRef<[u8]>, resources: Dictionary) -> ObjectId {
        self.page_with(content, resources, Dictionary::new())
    }

    fn page_with(
        &mut self,
        content: impl AsRef<[u8]>,
        resources: Dictionary,
        extra: Dictionary,
    ) -> ObjectId {
        let content = self
            .doc
            .add_object(Stream::new(Dictionary::new(), content.as_ref().to_vec()));
        let mut page = dictionary! {
            "Type" => "Page",
            "Parent" => self.pages,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Contents" => content,
            "Resources" => resources,
        };
        for (k, v) in extra.iter() {
            page.set(k.clone(), v.clone());
        }
        let id = self.doc.add_object(page);
        self.kids.push(id);
        id
    }

    fn finish_doc(mut self, catalog_extra: Dictionary) -> Document {
        let kids: Vec<Object> = self.kids.iter().map(|&k| k.into()).collect();
        let count = kids.len() as i64;
        self.doc.objects.insert(
            self.pages,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
        );
        let mut catalog = dictionary! { "Type" => "Catalog", "Pages" => self.pages };
        for (k, v) in catalog_extra.iter() {
            catalog.set(k.clone(), v.clone());
        }
        let catalog = self.doc.add_object(catalog);
        self.doc.trailer.set("Root", catalog);
        self.doc
    }

    fn finish(self) -> Vec<u8> {
        save(&mut self.finish_doc(Dictionary::new()))
    }
}

fn helvetica(doc: &mut Document) -> ObjectId {
    doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
    })
}

fn fonts(name: &str, id: ObjectId) -> Dictionary {
    dictionary! { "Font" => dictionary! { name => id } }
}

fn image(doc: &mut Document, w: i64, h: i64, filter: Option<&str>) -> ObjectId {
    let mut d = dictionary! {
        "Type" => "XObject", "Subtype" => "Image", "Width" => w, "Height" => h,
        "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
    };
    if let Some(f) = filter {
        d.set("Filter", f);
    }
    doc.add_object(Stream::new(d, vec![0x80; (w * h) as usize]).with_compression(false))
}

fn page_rect(img: &ImageRef) -> Rect {
    match &img.anchor {
        Some(Anchor::Page { rect }) => *rect,
        other => panic!("no page anchor: {other:?}"),
    }
}

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() < 0.01
}

#[test]
fn winansi_text_with_accents_and_lines() {
    let mut b = Builder::new();
    let f = helvetica(&mut b.doc);
    // 0xE9 é, 0x8C Œ, 0x80 €, 0xAB «, 0xBB », 0x9C œ (WinAnsi).
    let content = b"BT /F1 12 Tf 72 700 Td (Feuille d'\xe9margement r\xe9alis\xe9e) Tj 0 -20 Td (\x8cuvre \xab 12 \x80 \xbb c\x9cur) Tj ET";
    b.page(content, fonts("F1", f));
    let out = run(&b.finish()).expect("extract");
    assert_eq!(out.pages.len(), 1);
    let p = &out.pages[0];
    assert_eq!(p.text, "Feuille d'émargement réalisée\nŒuvre « 12 € » cœur");
    assert_eq!(p.size, Some((595.0, 842.0)));
    assert!(!p.scanned);
    assert_eq!(p.spans.len(), 2);
    assert!(
        close(p.spans[0].x, 72.0)
            && close(p.spans[0].y, 700.0)
            && close(p.spans[0].font_size, 12.0)
    );
    // Helvetica metrics: the span is about as wide as the words.
    assert!(
        p.spans[0].width > 120.0 && p.spans[0].width < 200.0,
        "{}",
        p.spans[0].width
    );
}

#[test]
fn tj_kerning_keeps_words_and_gaps_make_spaces() {
    let mut b = Builder::new();
    let f = helvetica(&mut b.doc);
    let content = b"BT /F1 10 Tf 50 800 Td [(Fo) 30 (rm) -20 (a) 15 (tion) -400 (continue)] TJ \
                   0 -14 Td [(Cha) 80 (que)] TJ 100 0 Td (stagiaire) Tj \
                   -100 -14 Td 2 Tc (espac\xe9) Tj 0 Tc ET \
                   BT /F1 10 Tf 50 700 Td (Nom) Tj 200 0 Td (Date) Tj ET";
    b.page(content, fonts("F1", f));
    let out = run(&b.finish()).expect("extract");
    let p = &out.pages[0];
    let lines: Vec<&str> = p.text.lines().collect();
    assert_eq!(lines[0], "Formation continue");
    assert_eq!(lines[1], "Chaque\tstagiaire");
    assert_eq!(
        lines[2], "espacé",
        "letter spacing (Tc) is part of the advance: {lines:?}"
    );
    assert_eq!(lines[3], "Nom\tDate");
    assert_eq!(p.spans.iter().filter(|s| s.text == "Date").count(), 1);
}

#[test]
fn chromium_style_one_glyph_per_td_is_one_line() {
    // Skia writes each glyph with its own Td under a flipped CTM and text matrix.
    let mut b = Builder::new();
    let f = helvetica(&mut b.doc);
    let mut content = String::from("1 0 0 -1 0 842 cm BT /F1 10 Tf 1 0 0 -1 40 100 Tm ");
    let word = |s: &str, content: &mut String| {
        for c in s.chars() {
            // Helvetica advances at 10 pt.
            let w = match c {
                'F' => 6.11,
                'i' => 2.22,
                't' | ' ' => 2.78,
                'y' => 5.0,
                _ => 5.56,
            };
            content.push_str(&format!("({c}) Tj {w} 0 Td "));
        }
    };
    word("Fait a Lyon", &mut content);
    content.push_str("ET");
    b.page(&content, fonts("F1", f));
    let out = run(&b.finish()).expect("extract");
    assert_eq!(out.pages[0].text, "Fait a Lyon");
    let s = &out.pages[0].spans[0];
    assert!(close(s.x, 40.0) && close(s.y, 742.0), "{s:?}");
}

#[test]
fn differences_and_standard_encoding() {
    let mut b = Builder::new();
    let f = b.doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Times-Roman",
        "Encoding" => dictionary! {
            "Type" => "Encoding", "BaseEncoding" => "StandardEncoding",
            "Differences" => vec![128.into(), "eacute".into(), "Euro".into(), "OE".into(), "uni0153".into(), "f_i".into(), "g17".into()],
        },
    });
    b.page(
        "BT /F1 12 Tf 72 700 Td (r\\200alis\\200e \\201 \\202uvre c\\203ur \\204n A\\205) Tj ET",
        fonts("F1", f),
    );
    let out = run(&b.finish()).expect("extract");
    assert_eq!(out.pages[0].text, "réalisée € Œuvre cœur fin A");
}

/// A Type0 / Identity-H font with a ToUnicode CMap and /W widths, like Chromium's and Word's.
fn identity_font(doc: &mut Document, with_to_unicode: bool) -> ObjectId {
    let cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
1 begincodespacerange <0000> <FFFF> endcodespacerange
4 beginbfchar <0003> <0020> <0024> <00C9> <0025> <20AC> <0026> <0152> endbfchar
1 beginbfrange <0044> <005D> <0061> endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end";
    let tu = doc.add_object(Stream::new(Dictionary::new(), cmap.to_vec()));
    let desc = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "AAAAAA+LiberationSans",
        "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
        "DW" => 556, "W" => vec![3.into(), vec![278.into()].into(), 36.into(), 38.into(), 667.into()],
    });
    let mut font = dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "AAAAAA+LiberationSans",
        "Encoding" => "Identity-H", "DescendantFonts" => vec![desc.into()],
    };
    if with_to_unicode {
        font.set("ToUnicode", tu);
    }
    doc.add_object(font)
}

/// Glyph ids for text over the test font: a-z → 0x44.., space → 3, É € Œ.
fn gids(s: &str) -> String {
    let mut hex = String::from("<");
    for c in s.chars() {
        let g: u16 = match c {
            ' ' => 3,
            'É' => 0x24,
            '€' => 0x25,
            'Œ' => 0x26,
            'a'..='z' => 0x44 + (c as u16 - 'a' as u16),
            _ => 0,
        };
        hex.push_str(&format!("{g:04X}"));
    }
    hex.push('>');
    hex
}

#[test]
fn identity_h_with_to_unicode() {
    let mut b = Builder::new();
    let f = identity_font(&mut b.doc, true);
    let content = format!(
        "BT /F1 11 Tf 60 760 Td {} Tj 0 -15 Td [{} -250 {}] TJ ET",
        gids("Émargement réalisée"),
        gids("Œuvre"),
        gids("€")
    );
    b.page(&content, fonts("F1", f));
    let out = run(&b.finish()).expect("extract");
    // 'é' is outside the CMap's a–z range: U+FFFD keeps the word in one piece.
    assert_eq!(
        out.pages[0].text,
        "Émargement r\u{fffd}alis\u{fffd}e\nŒuvre €"
    );
    assert!(!out.pages[0].scanned);
}

#[test]
fn identity_h_without_to_unicode_is_garbage_and_scanned() {
    let mut b = Builder::new();
    let f = identity_font(&mut b.doc, false);
    let content = format!(
        "BT /F1 11 Tf 60 760 Td {} Tj ET",
        gids("feuille de presence signee par les stagiaires")
    );
    b.page(&content, fonts("F1", f));
    let out = run(&b.finish()).expect("extract");
    let p = &out.pages[0];
    assert!(p.scanned);
    assert!(p.text.is_empty() && p.spans.is_empty());
    assert!(
        out.warnings
            .iter()
            .any(|w| w.contains("treated as scanned")),
        "{:?}",
        out.warnings
    );
}

#[test]
fn images_placed_with_cm_and_inside_forms() {
    let mut b = Builder::new();
    let f = helvetica(&mut b.doc);
    let im = image(&mut b.doc, 4, 2, Some("DCTDecode"));
    let raw = image(&mut b.doc, 3, 3, None);
    let form_content =
        b"q 30 0 0 10 0 0 cm /Sig Do Q BT /F1 9 Tf 0 20 Td (Sign\xe9 par Z\xf6e) Tj ET".to_vec();
    let form = b.doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 200.into(), 100.into()],
            "Matrix" => vec![1.into(), 0.into(), 0.into(), 1.into(), 50.into(), 50.into()],
            "Resources" => dictionary! { "XObject" => dictionary! { "Sig" => raw }, "Font" => dictionary! { "F1" => f } },
        },
        form_content,
    ));
    let res = dictionary! { "XObject" => dictionary! { "Im1" => im, "Fm1" => form } };
    b.page(
        b"q 100 0 0 50 200 300 cm /Im1 Do Q q 2 0 0 2 10 10 cm /Fm1 Do Q \
         q 1 0 0 1 400 400 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x01\x02\x03\x04 EI Q",
        res,
    );
    let out = run(&b.finish()).expect("extract");
    let p = &out.pages[0];
    assert_eq!(p.images.len(), 3, "{:?}", p.images);
    let jpeg = &p.images[0];
    assert_eq!(
        (jpeg.name.as_str(), jpeg.encoding.as_deref()),
        ("Im1", Some("jpeg"))
    );
    assert_eq!((jpeg.width_px, jpeg.height_px), (Some(4), Some(2)));
    let r = page_rect(jpeg);
    assert!(
        close(r.x, 200.0) && close(r.y, 300.0) && close(r.width, 100.0) && close(r.height, 50.0),
        "{r:?}"
    );
    // Inside the form: 30×10 unit square, form matrix (+50,+50), page cm ×2 +10.
    let sig = &p.images[1];
    assert_eq!(
        (sig.name.as_str(), sig.encoding.as_deref()),
        ("Sig", Some("raw"))
    );
    let r = page_rect(sig);
    assert!(
        close(r.x, 110.0) && close(r.y, 110.0) && close(r.width, 60.0) && close(r.height, 20.0),
        "{r:?}"
    );
    let inline = &p.images[2];
    assert_eq!(inline.name, "inline");
    assert_eq!((inline.width_px, inline.height_px), (Some(2), Some(2)));
    // The form's text, at its place (y = (50 + 20) × 2 + 10).
    assert_eq!(p.text, "Signé par Zöe");
    assert!(
        close(p.spans[0].y, 150.0) && close(p.spans[0].font_size, 18.0),
        "{:?}",
        p.spans[0]
    );
    assert!(!p.scanned);
}

#[test]
fn form_cycles_do_not_loop() {
    let mut b = Builder::new();
    let form = b.doc.new_object_id();
    b.doc.objects.insert(
        form,
        Object::Stream(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 1.into(), 1.into()],
                "Resources" => dictionary! { "XObject" => dictionary! { "Me" => form } },
            },
            b"/Me Do /Me Do".to_vec(),
        )),
    );
    b.page(
        "/Me Do",
        dictionary! { "XObject" => dictionary! { "Me" => form } },
    );
    let out = run(&b.finish()).expect("extract");
    assert_eq!(out.pages.len(), 1);
}

#[test]
fn full_page_image_is_scanned() {
    let mut b = Builder::new();
    let f = helvetica(&mut b.doc);
    let im = image(&mut b.doc, 8, 8, Some("DCTDecode"));
    let mut res = fonts("F1", f);
    res.set("XObject", dictionary! { "Scan" => im });
    b.page(
        "q 595 0 0 842 0 0 cm /Scan Do Q BT /F1 6 Tf 10 10 Td (Page 1) Tj ET",
        res.clone(),
    );
    b.page("q 100 0 0 100 0 0 cm /Scan Do Q", res);
    let out = run(&b.finish()).expect("extract");
    assert!(out.pages[0].scanned, "a scan with a page number is a scan");
    assert_eq!(out.pages[0].text, "Page 1");
    assert!(!out.pages[1].scanned, "a small image is not a scan");
    assert!(!out.is_scanned());
}

#[test]
fn rotated_page_reports_displayed_geometry() {
    let mut b = Builder::new();
    let f = helvetica(&mut b.doc);
    // Landscape made by /Rotate 90: text drawn rotated so that it reads left to right.
    b.page_with(
        "BT /F1 12 Tf 0 1 -1 0 500 100 Tm (Paysage) Tj ET",
        fonts("F1", f),
        dictionary! { "Rotate" => 90 },
    );
    let out = run(&b.finish()).expect("extract");
    let p = &out.pages[0];
    assert_eq!(p.size, Some((842.0, 595.0)));
    assert_eq!(p.text, "Paysage");
    let s = &p.spans[0];
    // User (500, 100) → displayed (100, 595 − 500).
    assert!(close(s.x, 100.0) && close(s.y, 95.0), "{s:?}");
}

#[test]
fn columns_and_lines_in_reading_order() {
    let mut b = Builder::new();
    let f = helvetica(&mut b.doc);
    // Drawn bottom-up and right-to-left; read top-down, left to right.
    b.page(
        b"BT /F1 10 Tf 300 600 Td (12 mars 2025) Tj ET BT /F1 10 Tf 72 600 Td (Dupr\xe9) Tj ET \
         BT /F1 10 Tf 300 620 Td (Date) Tj ET BT /F1 10 Tf 72 620 Td (Nom) Tj ET \
         BT /F1 6 Tf 100 604 Td (er) Tj ET",
        fonts("F1", f),
    );
    let out = run(&b.finish()).expect("extract");
    assert_eq!(out.pages[0].text, "Nom\tDate\nDupréer\t12 mars 2025");
}

#[test]
fn metadata_from_info() {
    let mut b = Builder::new();
    b.page("", Dictionary::new());
    let mut doc = b.finish_doc(Dictionary::new());
    let title: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain("Émargement €".encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    let info = doc.add_object(dictionary! {
        "Title" => Object::String(title, StringFormat::Hexadecimal),
        "Author" => Object::string_literal(b"H\xe9l\xe8ne".to_vec()),
        "Producer" => Object::string_literal("LibreOffice 7.4"),
        "Creator" => Object::string_literal("Writer"),
        "Subject" => Object::string_literal(""),
        "CreationDate" => Object::string_literal("D:20250312101500+01'00'"),
        "ModDate" => Object::string_literal("D:20250313"),
    });
    doc.trailer.set("Info", info);
    let out = run(&save(&mut doc)).expect("extract");
    let m = &out.metadata;
    assert_eq!(m.title.as_deref(), Some("Émargement €"));
    assert_eq!(m.author.as_deref(), Some("Hélène"));
    assert_eq!(m.subject, None);
    assert_eq!(m.producer.as_deref(), Some("LibreOffice 7.4"));
    assert_eq!(m.creator.as_deref(), Some("Writer"));
    assert_eq!(m.created.as_deref(), Some("D:20250312101500+01'00'"));
    assert_eq!(m.modified.as_deref(), Some("D:20250313"));
    assert_eq!(out.pages[0].text, "");
    assert!(!out.pages[0].scanned, "a blank page is not a scan");
}

// ---------------------------------------------------------------------------------------------
// Signatures

fn der(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut v = vec![tag];
    match body.len() {
        n if n < 128 => v.push(n as u8),
        n => {
            v.push(0x82);
            v.extend_from_slice(&(n as u16).to_be_bytes());
        }
    }
    v.extend_from_slice(body);
    v
}

fn der_name(cn: &str) -> Vec<u8> {
    let c = der(
        0x31,
        &der(
            0x30,
            &[der(0x06, &[0x55, 0x04, 0x06]), der(0x13, b"FR")].concat(),
        ),
    );
    let n = der(
        0x31,
        &der(
            0x30,
            &[der(0x06, &[0x55, 0x04, 0x03]), der(0x0c, cn.as_bytes())].concat(),
        ),
    );
    der(0x30, &[c, n].concat())
}

/// A CMS SignedData with a CA certificate and the signer's (issued by the CA, serial 5).
fn cms(signer: &str) -> Vec<u8> {
    let cert = |serial: u8, issuer: &str, subject: &str| {
        let tbs = [
            der(0xa0, &der(0x02, &[2])),
            der(0x02, &[serial]),
            der(0x30, &der(0x06, &[0x2a, 0x86, 0x48])),
            der_name(issuer),
            der(0x30, &[]),
            der_name(subject),
        ]
        .concat();
        der(
            0x30,
            &[der(0x30, &tbs), der(0x30, &[]), der(0x03, &[0])].concat(),
        )
    };
    let certs = [
        cert(1, "Autorité Test", "Autorité Test"),
        cert(5, "Autorité Test", signer),
    ]
    .concat();
    let sid = der(0x30, &[der_name("Autorité Test"), der(0x02, &[5])].concat());
    let si = der(0x30, &[der(0x02, &[1]), sid].concat());
    let sd = der(
        0x30,
        &[
            der(0x02, &[1]),
            der(0x31, &[]),
            der(0x30, &der(0x06, &[1])),
            der(0xa0, &certs),
            der(0x31, &si),
        ]
        .concat(),
    );
    der(
        0x30,
        &[
            der(
                0x06,
                &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02],
            ),
            der(0xa0, &sd),
        ]
        .concat(),
    )
}

/// A one-page PDF with a signed and an empty signature field; the signed one's /ByteRange is
/// fixed up after saving so that it covers the file (as signing tools do).
fn signed_pdf(tamper: bool) -> Vec<u8> {
    let mut b = Builder::new();
    let f = helvetica(&mut b.doc);
    let mut blob = cms("Hélène Dupré");
    blob.resize(1024, 0);
    let sig_v = b.doc.add_object(dictionary! {
        "Type" => "Sig", "Filter" => "Adobe.PPKLite", "SubFilter" => "adbe.pkcs7.detached",
        "M" => Object::string_literal("D:20250312101500+01'00'"),
        "Reason" => Object::string_literal("Emargement"),
        "Location" => Object::string_literal("Lyon"),
        "Contents" => Object::String(blob.clone(), StringFormat::Hexadecimal),
        "ByteRange" => vec![0.into(), 0.into(), 0.into(), 0.into()],
    });
    let page_id = b.doc.new_object_id();
    let signed = b.doc.add_object(dictionary! {
        "Type" => "Annot", "Subtype" => "Widget", "FT" => "Sig", "T" => Object::string_literal("Formateur"),
        "V" => sig_v, "P" => page_id, "F" => 4,
        "Rect" => vec![350.into(), 150.into(), 550.into(), 210.into()],
    });
    let parent = b.doc.new_object_id();
    let empty_widget = b.doc.add_object(dictionary! {
        "Type" => "Annot", "Subtype" => "Widget", "Parent" => parent, "P" => page_id,
        "Rect" => vec![350.into(), 80.into(), 550.into(), 140.into()],
    });
    b.doc.objects.insert(
        parent,
        Object::Dictionary(dictionary! {
            "FT" => "Sig", "T" => Object::string_literal(b"Stagiaire \xe9l\xe8ve".to_vec()), "Kids" => vec![empty_widget.into()],
        }),
    );
    let text_field = b.doc.add_object(dictionary! {
        "Type" => "Annot", "Subtype" => "Widget", "FT" => "Tx", "T" => Object::string_literal("Nom"),
        "V" => Object::string_literal(b"Dupr\xe9".to_vec()), "Rect" => vec![50.into(), 50.into(), 150.into(), 70.into()],
    });
    let present = b
        .doc
        .add_object(dictionary! { "T" => Object::string_literal("present"), "V" => "Yes" });
    let group = b.doc.add_object(dictionary! {
        "T" => Object::string_literal("session"), "FT" => "Btn", "Kids" => vec![present.into()],
    });
    b.kids.push(page_id);
    let content = b.doc.add_object(Stream::new(
        Dictionary::new(),
        b"BT /F1 12 Tf 72 700 Td (Sign\xe9) Tj ET".to_vec(),
    ));
    b.doc.objects.insert(
        page_id,
        Object::Dictionary(dictionary! {
            "Type" => "Page", "Parent" => b.pages,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Contents" => content, "Resources" => fonts("F1", f),
            "Annots" => vec![signed.into(), empty_widget.into(), text_field.into()],
        }),
    );
    let acro = dictionary! { "Fields" => vec![signed.into(), parent.into(), text_field.into(), group.into()], "SigFlags" => 3 };
    let mut doc = b.finish_doc(dictionary! { "AcroForm" => acro });
    // Fix the byte range until the file stops moving.
    let hex: Vec<u8> = blob
        .iter()
        .flat_map(|b| format!("{b:02X}").into_bytes())
        .collect();
    let mut bytes = save(&mut doc);
    for _ in 0..6 {
        let upper = bytes.to_ascii_uppercase();
        let start = upper
            .windows(hex.len())
            .position(|w| w == hex)
            .expect("contents written as hex")
            - 1;
        let end = start + hex.len() + 2;
        let range = [0i64, start as i64, end as i64, (bytes.len() - end) as i64];
        let current = doc
            .get_dictionary(sig_v)
            .ok()
            .and_then(|d| d.get(b"ByteRange").ok())
            .cloned();
        let wanted: Object = range
            .iter()
            .map(|&v| v.into())
            .collect::<Vec<Object>>()
            .into();
        if current.as_ref() == Some(&wanted) {
            break;
        }
        if let Ok(d) = doc.get_dictionary_mut(sig_v) {
            d.set("ByteRange", wanted);
        }
        bytes = save(&mut doc);
    }
    if tamper {
        bytes.extend_from_slice(b"\n% appended after signing\n");
    }
    bytes
}

fn field<'a>(fields: &'a [FormField], name: &str) -> &'a FormField {
    fields
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no field {name}: {fields:?}"))
}

#[test]
fn signature_fields_signed_and_empty() {
    let bytes = signed_pdf(false);
    let out = run(&bytes).expect("extract");
    assert_eq!(out.fields.len(), 4, "{:?}", out.fields);
    let s = field(&out.fields, "Formateur");
    assert_eq!(s.kind, "signature");
    assert_eq!(s.page, Some(1));
    assert_eq!(
        s.rect,
        Some(Rect {
            x: 350.0,
            y: 150.0,
            width: 200.0,
            height: 60.0
        })
    );
    let v = s.signature.as_ref().expect("signed");
    assert_eq!(v.sub_filter.as_deref(), Some("adbe.pkcs7.detached"));
    assert_eq!(v.signing_time.as_deref(), Some("D:20250312101500+01'00'"));
    assert_eq!(v.reason.as_deref(), Some("Emargement"));
    assert_eq!(v.location.as_deref(), Some("Lyon"));
    assert_eq!(v.contents_len, 1024);
    assert_eq!(v.byte_range.len(), 4);
    assert_eq!(v.covers_whole_file, Some(true), "{:?}", v.byte_range);
    assert_eq!(v.signer.as_deref(), Some("Hélène Dupré"));

    let e = field(&out.fields, "Stagiaire élève");
    assert_eq!(e.kind, "signature");
    assert_eq!(e.signature, None);
    assert_eq!(e.page, Some(1), "page from the page's /Annots");
    assert_eq!(e.rect.map(|r| r.y), Some(80.0));

    let t = field(&out.fields, "Nom");
    assert_eq!(
        (t.kind.as_str(), t.value.as_deref(), t.page),
        ("text", Some("Dupré"), Some(1))
    );
    let b = field(&out.fields, "session.present");
    assert_eq!(
        (b.kind.as_str(), b.value.as_deref()),
        ("button", Some("Yes")),
        "inherited /FT"
    );

    let tampered = run(&signed_pdf(true)).expect("extract");
    let v = field(&tampered.fields, "Formateur")
        .signature
        .clone()
        .expect("signed");
    assert_eq!(v.covers_whole_file, Some(false));
    assert_eq!(v.signer.as_deref(), Some("Hélène Dupré"));
}

// ---------------------------------------------------------------------------------------------
// Failures

fn code(r: Result<Extracted>) -> ErrorCode {
    match r {
        Ok(x) => panic!("expected an error, got {} pages", x.pages.len()),
        Err(e) => e.code,
    }
}

#[test]
fn not_pdfs_are_corrupt() {
    assert_eq!(code(run(b"")), ErrorCode::Corrupt);
    assert_eq!(
        code(run(b"<html><body>hello</body></html>")),
        ErrorCode::Corrupt
    );
    assert_eq!(
        code(run(b"%PDF-1.4\n\x00\x01garbage garbage")),
        ErrorCode::Corrupt
    );
    let good = {
        let mut b = Builder::new();
        b.page("", Dictionary::new());
        b.finish()
    };
    assert_eq!(code(run(&good[..good.len() / 3])), ErrorCode::Corrupt);
}

#[test]
fn looping_page_tree_is_corrupt_not_empty() {
    let mut b = Builder::new();
    b.page("BT ET", Dictionary::new());
    let mut doc = b.finish_doc(Dictionary::new());
    let pages = doc
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
        .expect("pages");
    if let Ok(d) = doc.get_dictionary_mut(pages) {
        d.set("Kids", vec![pages.into()]);
    }
    assert_eq!(code(run(&save(&mut doc))), ErrorCode::Corrupt);
}

fn encrypted(user: &str) -> Vec<u8> {
    let mut b = Builder::new();
    let f = helvetica(&mut b.doc);
    b.page(
        b"BT /F1 12 Tf 72 700 Td (Confidentiel \xe9t\xe9) Tj ET",
        fonts("F1", f),
    );
    let mut doc = b.finish_doc(Dictionary::new());
    doc.trailer.set(
        "ID",
        vec![
            Object::String(b"0123456789abcdef".to_vec(), StringFormat::Hexadecimal),
            Object::String(b"0123456789abcdef".to_vec(), StringFormat::Hexadecimal),
        ],
    );
    let version = lopdf::EncryptionVersion::V2 {
        document: &doc,
        owner_password: "owner-secret",
        user_password: user,
        key_length: 128,
        permissions: lopdf::Permissions::all(),
    };
    let state = lopdf::EncryptionState::try_from(version).expect("encryption state");
    doc.encrypt(&state).expect("encrypt");
    save(&mut doc)
}

#[test]
fn user_password_is_encrypted_owner_only_is_read() {
    assert_eq!(code(run(&encrypted("user-secret"))), ErrorCode::Encrypted);
    let out = run(&encrypted("")).expect("owner-password-only PDFs open without a password");
    assert_eq!(out.pages[0].text, "Confidentiel été");
    assert!(out.metadata.other.contains_key("encryption"));
}

#[test]
fn decompression_limit_is_respected() {
    let mut b = Builder::new();
    let f = helvetica(&mut b.doc);
    let big = "BT /F1 12 Tf 72 700 Td (x) Tj ET\n".repeat(20_000);
    let mut stream = Stream::new(Dictionary::new(), big.into_bytes());
    stream.compress().expect("compress");
    let content = b.doc.add_object(stream);
    let page = b.doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => b.pages, "Contents" => content, "Resources" => fonts("F1", f),
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    b.kids.push(page);
    let bytes = b.finish();
    let limits = Limits {
        max_part_bytes: 10_000,
        ..Limits::default()
    };
    let input = Input {
        bytes: &bytes,
        name: "t.pdf",
        limits: &limits,
        depth: 0,
        started: Instant::now(),
    };
    let out = PdfExtractor
        .extract(&input)
        .expect("the page is skipped, not the file");
    assert!(out.pages[0].text.is_empty());
    assert!(
        out.warnings.iter().any(|w| w.contains("page 1")),
        "{:?}",
        out.warnings
    );
}

#[test]
fn hostile_content_is_bounded() {
    let mut b = Builder::new();
    let f = helvetica(&mut b.doc);
    let mut content = "q ".repeat(5_000);
    content.push_str("BT /F1 1e30 Tf 1e30 0 0 1e30 1e30 1e30 Tm (overflow) Tj ET ");
    content.push_str(&"Q ".repeat(6_000));
    content.push_str("BT /F1 12 Tf /Missing 3 Tf 72 700 Td (ok) Tj ] ) >> ET (unbalanced");
    b.page(&content, fonts("F1", f));
    let out = run(&b.finish()).expect("extract");
    assert_eq!(out.pages.len(), 1);
}

#[test]
fn line_end_hyphens_join_within_a_column() {
    let mut b = Builder::new();
    let f = helvetica(&mut b.doc);
    // A paragraph broken after "demi-", a narrow cell "10h45-" / "12h30", and a hyphen that
    // ends a cell whose next line is another column (not joined).
    b.page(
        b"BT /F1 10 Tf 72 700 Td (Chaque stagiaire signe par demi-) Tj 0 -12 Td (journ\xe9e, matin et soir.) Tj ET \
          BT /F1 10 Tf 72 650 Td (J1 10h45-) Tj 0 -12 Td (12h30) Tj ET \
          BT /F1 10 Tf 200 650 Td (S\xe9quence 2) Tj ET \
          BT /F1 10 Tf 72 600 Td (Total -) Tj 200 -12 Td (autre) Tj ET",
        fonts("F1", f),
    );
    let out = run(&b.finish()).expect("extract");
    let p = &out.pages[0];
    assert_eq!(
        p.text,
        "Chaque stagiaire signe par demi-journée,\nmatin et soir.\nJ1 10h45-12h30\tSéquence 2\nTotal -\nautre"
    );
    // Spans stay as drawn.
    assert!(p.spans.iter().any(|s| s.text == "J1 10h45-"));
    assert!(p.spans.iter().any(|s| s.text == "12h30"));
}

#[test]
fn embedded_type1_builtin_encoding() {
    // TeX fonts: no /Encoding in the font dictionary; the program says code 58 is a period.
    let mut b = Builder::new();
    let program = b"%!PS-AdobeFont-1.0: CMMI10\n/FontName /CMMI10 def\n/Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\ndup 58 /period put\ndup 59 /comma put\ndup 65 /A put\nreadonly def\ncurrentdict end\ncurrentfile eexec\n\x8a\x9b\x00";
    let ff = b.doc.add_object(Stream::new(
        dictionary! { "Length1" => 200 },
        program.to_vec(),
    ));
    let desc = b.doc.add_object(
        dictionary! { "Type" => "FontDescriptor", "FontName" => "CMMI10", "FontFile" => ff },
    );
    let f = b.doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "CMMI10", "FontDescriptor" => desc,
        "FirstChar" => 58, "LastChar" => 65,
        "Widths" => vec![278.into(), 278.into(), 0.into(), 0.into(), 0.into(), 0.into(), 0.into(), 750.into()],
    });
    b.page("BT /F1 10 Tf 72 700 Td (A:A;) Tj ET", fonts("F1", f));
    let out = run(&b.finish()).expect("extract");
    assert_eq!(out.pages[0].text, "A.A,");
}

#[test]
fn type3_font_matrix_scales_widths_and_size() {
    let mut b = Builder::new();
    let f = b.doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type3",
        "FontMatrix" => vec![0.01.into(), 0.into(), 0.into(), 0.01.into(), 0.into(), 0.into()],
        "FontBBox" => vec![0.into(), 0.into(), 100.into(), 100.into()],
        "CharProcs" => Dictionary::new(),
        "Encoding" => dictionary! { "Differences" => vec![97.into(), "a".into(), "b".into(), "space".into()] },
        "FirstChar" => 97, "LastChar" => 99, "Widths" => vec![50.into(), 50.into(), 25.into()],
    });
    // "ab ab" then, a column further, "ba": widths of 0.5 em keep words whole.
    b.page(
        "BT /F1 12 Tf 72 700 Td (abcab) Tj 60 0 Td (ba) Tj ET",
        fonts("F1", f),
    );
    let out = run(&b.finish()).expect("extract");
    let p = &out.pages[0];
    assert_eq!(p.text, "ab ab\tba");
    assert!(close(p.spans[0].font_size, 12.0), "{:?}", p.spans[0]);
    assert!(close(p.spans[0].width, 27.0), "{:?}", p.spans[0]);
}

/// A wavy polyline of `n` slanted segments starting at (x, y), as content-stream operators.
fn scribble(x: f32, y: f32, n: usize) -> String {
    let mut s = format!("{x} {y} m\n");
    for i in 1..=n {
        let dy = if i % 2 == 0 {
            0.0
        } else {
            14.0 + (i % 3) as f32 * 3.0
        };
        s.push_str(&format!("{} {} l\n", x + i as f32 * 6.0, y + dy));
    }
    s.push_str("S\n");
    s
}

#[test]
fn vector_signatures_in_forms_stamp_and_ink_annotations_but_not_rules_or_boxes() {
    let mut b = Builder::new();
    // A Form XObject holding a drawn signature, placed at (300, 200) by `cm`.
    let form = b.doc.add_object(Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 200.into(), 60.into()] },
        scribble(0.0, 10.0, 20).into_bytes(),
    ));
    // A stamp annotation whose appearance is a drawn signature.
    let ap = b.doc.add_object(Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 150.into(), 40.into()] },
        scribble(0.0, 5.0, 16).into_bytes(),
    ));
    let stamp = b.doc.add_object(dictionary! {
        "Type" => "Annot", "Subtype" => "Stamp",
        "Rect" => vec![50.into(), 100.into(), 200.into(), 140.into()],
        "AP" => dictionary! { "N" => ap },
    });
    // A tablet's ink annotation without appearance: its /InkList.
    let ink_points: Vec<Object> = (0..20)
        .flat_map(|i| {
            [
                Object::Real(350.0 + i as f32 * 5.0),
                Object::Real(420.0 + (i % 4) as f32 * 6.0),
            ]
        })
        .collect();
    let ink = b.doc.add_object(dictionary! {
        "Type" => "Annot", "Subtype" => "Ink",
        "Rect" => vec![340.into(), 410.into(), 460.into(), 450.into()],
        "InkList" => vec![Object::Array(ink_points)],
    });
    // Table borders, an underline, a checkbox and a circle: never signatures.
    let content = "q 1 0 0 1 300 200 cm /Sig Do Q\n\
         50 700 m 550 700 l 50 650 m 550 650 l 50 700 m 50 650 l 550 700 m 550 650 l S\n\
         60 600 m 200 600 l S\n\
         60 580 9 9 re S\n\
         400 600 m 400 622 418 640 440 640 c 462 640 480 622 480 600 c 480 578 462 560 440 560 c 418 560 400 578 400 600 c h S\n";
    b.page_with(
        content,
        dictionary! { "XObject" => dictionary! { "Sig" => form } },
        dictionary! { "Annots" => vec![stamp.into(), ink.into()] },
    );
    let x = run(&b.finish()).expect("reads");
    let imgs = &x.pages[0].images;
    let vector: Vec<&ImageRef> = imgs
        .iter()
        .filter(|i| i.encoding.as_deref() == Some("vector"))
        .collect();
    assert_eq!(vector.len(), 2, "{imgs:?}");
    // The circle is reported as a stamp outline, apart.
    assert_eq!(
        imgs.iter()
            .filter(|i| i.encoding.as_deref() == Some("vector_stamp"))
            .count(),
        1,
        "{imgs:?}"
    );
    let form_mark = vector
        .iter()
        .find(|i| !i.name.starts_with("Stamp"))
        .expect("form mark");
    let r = page_rect(form_mark);
    assert!(close(r.x, 300.0) && close(r.y, 210.0), "{r:?}");
    assert!(
        vector
            .iter()
            .any(|i| i.name.starts_with("Stamp annotation: vector drawing")),
        "{imgs:?}"
    );
    let inks: Vec<&ImageRef> = imgs
        .iter()
        .filter(|i| i.encoding.as_deref() == Some("ink_annotation"))
        .collect();
    assert_eq!(inks.len(), 1, "{imgs:?}");
    assert!(
        inks[0].name.contains("1 strokes, 20 points"),
        "{}",
        inks[0].name
    );
    let r = page_rect(inks[0]);
    assert!(close(r.x, 350.0) && close(r.width, 95.0), "{r:?}");
}
