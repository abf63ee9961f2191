//! Signatures: is this document signed, by what evidence, and for attendance sheets how many
//! signature cells are expected and found.
//!
//! Evidence, strongest first: PDF digital signature fields (`/FT /Sig` with `/V`), e-signature
//! service markers (DocuSign envelope ids, Yousign/Lex Persona proof pages, "Signé
//! électroniquement par …"), and handwritten signatures as images placed in a signature zone
//! (below or beside "Signature du stagiaire", "Pour l'organisme de formation", "Cachet et
//! signature", or in the signature / half-day cells of a grid). A typed "Lu et approuvé" and a
//! name is weak evidence: reported, never enough to call a document signed. Scanned pages are
//! `unknown` until OCR reads them: never a guess presented as a finding.

use super::normalize::{contains_phrase, normalize_line};
use super::view::DocView;
use crate::document::{EmptyCell, Evidence, Kind, Signature, SignatureStatus};
use crate::model::{Anchor, Format, ImageRef, Page, Rect, Table, TextSpan};
use regex::Regex;
use std::sync::LazyLock;

/// Whether signing applies to a kind: always, never, or when the document has a zone for it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Applies {
    Always,
    IfZone,
    Never,
}

fn applies(kind: Kind) -> Applies {
    match kind {
        Kind::Convention
        | Kind::AttendanceSheet
        | Kind::CompletionCertificate
        | Kind::TrainerContract => Applies::Always,
        Kind::Quote | Kind::NeedsAnalysis | Kind::Assessment | Kind::Positioning | Kind::Complaint => {
            Applies::IfZone
        }
        _ => Applies::Never,
    }
}

/// Labels that open a signature zone (normalised).
const ZONE_LABELS: [&str; 30] = [
    "signature du stagiaire",
    "signature du participant",
    "signature de l'apprenant",
    "signature du beneficiaire",
    "signature du formateur",
    "signature de la formatrice",
    "signature de l'intervenant",
    "signature du representant",
    "signature et cachet",
    "cachet et signature",
    "cachet de l'organisme",
    "cachet de l'entreprise",
    "pour l'organisme de formation",
    "pour l'organisme",
    "pour le client",
    "pour l'entreprise",
    "pour le prestataire",
    "pour le sous-traitant",
    "pour le donneur d'ordre",
    "le stagiaire",
    "le beneficiaire",
    "le representant legal",
    "la direction",
    "bon pour accord",
    "signature",
    "signatures",
    "for the training provider",
    "for the client",
    "trainee signature",
    "trainer signature",
];

static ESIGN: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        (r"(?i)docusign envelope id\s*:\s*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "DocuSign envelope id"),
        (r"(?i)sign[ée]e? [ée]lectroniquement par\s+[^\n]{2,80}", "signed electronically"),
        (r"(?i)electronically signed by\s+[^\n]{2,80}", "signed electronically"),
        (r"(?i)\byousign\b", "Yousign"),
        (r"(?i)dossier de preuves?", "e-signature proof file"),
        (r"(?i)\blex persona\b", "Lex Persona"),
        (r"(?i)certificate of completion[\s\S]{0,400}envelope id", "DocuSign certificate of completion"),
        (r"(?i)\baudit trail\b", "e-signature audit trail"),
        (r"(?i)certificat de signature", "signature certificate"),
    ]
    .into_iter()
    .map(|(p, what)| (Regex::new(p).expect("valid regex"), what))
    .collect()
});

static ABSENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(absente?s?|abs\.?|excus[ée]e?s?|absence justifi[ée]e|malade|retard|cong[ée])\s*$")
        .expect("valid regex")
});

/// Text that is an electronic signature in a grid cell ("Signé 09:02", "signed at 14:01").
static CELL_ESIGN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(sign[ée]|signed|valid[ée])").expect("valid regex")
});

pub fn analyse(view: &DocView, kind: Kind) -> Signature {
    let mut sig = Signature::unknown();
    let applies = applies(kind);
    let ex = view.ex;

    // 1. Digital signature fields.
    let mut digital_signed = 0;
    let mut digital_empty = 0;
    for f in ex.fields.iter().filter(|f| f.kind == "signature") {
        match &f.signature {
            Some(v) => {
                digital_signed += 1;
                let who = v.signer.as_deref().or(v.name.as_deref()).unwrap_or("unknown signer");
                let when = v
                    .signing_time
                    .as_deref()
                    .and_then(super::dates::parse_pdf_date)
                    .map(|(d, _)| d.to_string())
                    .unwrap_or_else(|| "no signing time".into());
                let cover = match v.covers_whole_file {
                    Some(true) => "covers the whole file",
                    Some(false) => "does NOT cover the whole file (modified after signing)",
                    None => "coverage unknown",
                };
                sig.evidence.push(Evidence {
                    method: "pdf_signature_field".into(),
                    detail: format!("field «{}» signed by {who} on {when}; {cover}", f.name),
                    page: f.page,
                });
            }
            None => {
                digital_empty += 1;
                sig.evidence.push(Evidence {
                    method: "pdf_signature_field_empty".into(),
                    detail: format!("signature field «{}» is empty", f.name),
                    page: f.page,
                });
            }
        }
    }

    // 2. E-signature services' markers.
    let mut esign = 0;
    for p in &ex.pages {
        for (re, what) in ESIGN.iter() {
            if let Some(m) = re.find(&p.text) {
                esign += 1;
                sig.evidence.push(Evidence {
                    method: "esign_marker".into(),
                    detail: format!("{what}: «{}»", m.as_str().trim()),
                    page: Some(p.number),
                });
                break;
            }
        }
    }

    // 3. Attendance grids.
    if kind == Kind::AttendanceSheet
        && let Some(grid) = attendance(view)
    {
        sig.expected = Some(grid.expected);
        sig.found = Some(grid.found);
        let empty = grid.cells.iter().filter(|c| c.state == "empty").count();
        sig.evidence.push(Evidence {
            method: grid.method.into(),
            detail: format!(
                "{} of {} signature cells signed ({} trainee rows × {} slots{}); {} empty, {} marked absent",
                grid.found,
                grid.expected,
                grid.rows,
                grid.slots,
                if grid.trainer_cells > 0 { format!(", plus {} trainer cells", grid.trainer_cells) } else { String::new() },
                empty,
                grid.cells.iter().filter(|c| c.state == "absent").count()
            ),
            page: grid.page,
        });
        sig.empty_cells = grid.cells;
        sig.status = if grid.found == 0 && esign == 0 && digital_signed == 0 {
            SignatureStatus::Unsigned
        } else if empty > 0 {
            SignatureStatus::Partial
        } else {
            SignatureStatus::Signed
        };
        return sig;
    }

    // 4. Signature zones and the images placed in them.
    let zones = zones(view);
    let typed = typed_approval(view);
    if let Some(t) = &typed {
        sig.evidence.push(Evidence {
            method: "typed_approval".into(),
            detail: format!("typed «{t}» (weak evidence: not a signature)"),
            page: None,
        });
    }
    for z in &zones.signed {
        sig.evidence.push(Evidence {
            method: "image_in_signature_zone".into(),
            detail: format!("image {} in zone «{}»", z.image, z.label),
            page: z.page,
        });
    }
    for z in &zones.empty {
        sig.evidence.push(Evidence {
            method: "signature_zone_empty".into(),
            detail: format!("zone «{}» has no signature image", z.label),
            page: z.page,
        });
    }

    let scanned = ex.is_scanned();
    sig.status = if digital_signed > 0 || esign > 0 {
        if digital_empty > 0 { SignatureStatus::Partial } else { SignatureStatus::Signed }
    } else if scanned {
        sig.evidence.push(Evidence {
            method: "scanned".into(),
            detail: "scanned document: signatures are read by OCR and ink detection".into(),
            page: None,
        });
        if applies == Applies::Never { SignatureStatus::NotApplicable } else { SignatureStatus::Unknown }
    } else if !zones.signed.is_empty() {
        if zones.empty.is_empty() { SignatureStatus::Signed } else { SignatureStatus::Partial }
    } else {
        match applies {
            Applies::Never => SignatureStatus::NotApplicable,
            Applies::IfZone if zones.empty.is_empty() && digital_empty == 0 => {
                SignatureStatus::NotApplicable
            }
            _ => SignatureStatus::Unsigned,
        }
    };
    sig
}

/// "Lu et approuvé" followed by a typed name (on the same line or the next one).
fn typed_approval(view: &DocView) -> Option<String> {
    view.lines.iter().enumerate().find_map(|(i, l)| {
        if !contains_phrase(&l.norm, "lu et approuve") {
            return None;
        }
        let lower = l.raw.to_lowercase();
        let after = lower
            .find("approuv")
            .and_then(|at| l.raw.get(at..))
            .map(|rest| rest.trim_start_matches(|c: char| c.is_alphabetic()).trim_matches([' ', ',', ':', '\t', '-', '»', '"']))
            .unwrap_or("");
        let next = view.lines.get(i + 1).map(|n| n.raw.trim()).unwrap_or("");
        [after, next]
            .into_iter()
            .find(|c| super::facts::looks_like_name(c))
            .map(|name| format!("Lu et approuvé {name}"))
    })
}

struct ZoneHit {
    label: String,
    image: String,
    page: Option<u32>,
}

#[derive(Default)]
struct Zones {
    signed: Vec<ZoneHit>,
    empty: Vec<ZoneHit>,
}

fn zone_label(norm: &str) -> Option<&'static str> {
    ZONE_LABELS.iter().copied().find(|z| contains_phrase(norm, z))
}

fn is_logo_like(img: &ImageRef, page: &Page) -> bool {
    match (&img.anchor, page.size) {
        (Some(Anchor::Page { rect }), Some((w, h))) => {
            let area = rect.width * rect.height / (w * h).max(1.0);
            // Letterhead logos sit at the top; full-page images are scans.
            rect.y > h * 0.82 || area > 0.5
        }
        (Some(Anchor::HeaderFooter { .. }), _) => true,
        _ => false,
    }
}

fn zones(view: &DocView) -> Zones {
    let mut z = Zones::default();
    for page in &view.ex.pages {
        match view.format {
            Format::Pdf => pdf_zones(page, &mut z),
            _ => flow_zones(page, &mut z),
        }
    }
    z
}

/// PDF: a label span opens a zone; an image whose box lies below it (within ~140 pt) or on its
/// right on the same band signs it.
fn pdf_zones(page: &Page, z: &mut Zones) {
    let labels: Vec<(&TextSpan, &'static str)> = page
        .spans
        .iter()
        .filter_map(|s| {
            let n = normalize_line(&s.text);
            // A zone label is a short line, not a sentence that mentions signatures.
            (n.split_whitespace().count() <= 8).then(|| zone_label(&n)).flatten().map(|l| (s, l))
        })
        .collect();
    let images: Vec<(&ImageRef, Rect)> = page
        .images
        .iter()
        .filter(|i| !is_logo_like(i, page))
        .filter_map(|i| match &i.anchor {
            Some(Anchor::Page { rect }) => Some((i, *rect)),
            _ => None,
        })
        .collect();
    let mut used = vec![false; images.len()];
    for (span, label) in &labels {
        let span_right = span.x + span.width.max(span.font_size * span.text.chars().count() as f32 * 0.45);
        let hit = images.iter().enumerate().find(|(i, (_, r))| {
            if used[*i] {
                return false;
            }
            let below = r.top() <= span.y + span.font_size && r.top() >= span.y - 150.0;
            let h_overlap = r.x < span_right + 120.0 && r.right() > span.x - 60.0;
            let beside = r.x >= span.x && r.x < span_right + 250.0
                && (r.y - span.y).abs() < r.height.max(20.0);
            (below && h_overlap) || beside
        });
        match hit {
            Some((i, (img, _))) => {
                used[i] = true;
                z.signed.push(ZoneHit { label: label.to_string(), image: img.name.clone(), page: Some(page.number) });
            }
            None => z.empty.push(ZoneHit { label: label.to_string(), image: String::new(), page: Some(page.number) }),
        }
    }
}

/// Word, ODT, spreadsheets: an image anchored in a table cell under a signature header, or in /
/// right after a paragraph that names a signature zone.
fn flow_zones(page: &Page, z: &mut Zones) {
    let mut labelled_paragraphs: Vec<(usize, &'static str)> = Vec::new();
    for (i, line) in page.text.lines().enumerate() {
        let n = normalize_line(line);
        if n.split_whitespace().count() <= 10
            && let Some(l) = zone_label(&n)
        {
            labelled_paragraphs.push((i, l));
        }
    }
    let mut signed_labels: Vec<&str> = Vec::new();
    for img in &page.images {
        let label = match &img.anchor {
            Some(Anchor::TableCell { table, row, col, header }) => {
                // The zone is named by the cells on the image's left in its row (a label
                // column), else the cell above, else the column header.
                page.tables.get(*table).and_then(|t| {
                    let left = t.rows.get(*row).map(|r| r.iter().take(*col).rev().collect::<Vec<_>>()).unwrap_or_default();
                    let above = row.checked_sub(1).and_then(|r| t.rows.get(r)).and_then(|r| r.get(*col));
                    left.into_iter()
                        .chain(above)
                        .find_map(|c| zone_label(&normalize_line(&c.text)))
                })
                .or_else(|| zone_label(&normalize_line(header)))
            }
            Some(Anchor::Paragraph { context, .. }) => zone_label(&normalize_line(context)),
            Some(Anchor::SheetCell { row, col }) => sheet_cell_label(page, *row, *col),
            _ => None,
        };
        if let Some(l) = label {
            signed_labels.push(l);
            z.signed.push(ZoneHit { label: l.to_string(), image: img.name.clone(), page: None });
        }
    }
    // Zones named in the text that received no image.
    let mut seen: Vec<&str> = Vec::new();
    for (_, l) in labelled_paragraphs {
        if l == "signature" && !signed_labels.is_empty() {
            continue;
        }
        if !signed_labels.contains(&l) && !seen.contains(&l) {
            seen.push(l);
            z.empty.push(ZoneHit { label: l.to_string(), image: String::new(), page: None });
        }
    }
}

fn sheet_cell_label(page: &Page, row: u32, col: u32) -> Option<&'static str> {
    let t = page.tables.first()?;
    let (r0, c0) = t.origin;
    let c = col.checked_sub(c0)? as usize;
    let r = row.checked_sub(r0)? as usize;
    (0..r).rev().take(12).find_map(|rr| {
        t.rows.get(rr).and_then(|x| x.get(c)).and_then(|cell| zone_label(&normalize_line(&cell.text)))
    })
}

// ---------------------------------------------------------------------------------------------
// Attendance grids

struct Grid {
    expected: u32,
    found: u32,
    rows: usize,
    slots: usize,
    trainer_cells: usize,
    cells: Vec<EmptyCell>,
    page: Option<u32>,
    method: &'static str,
}

fn is_slot_header(n: &str) -> bool {
    ["matin", "apres-midi", "apres midi", "am", "pm", "morning", "afternoon", "signature", "emargement"]
        .iter()
        .any(|p| contains_phrase(n, p))
        || super::dates::parse_date(n).is_some()
}

fn is_person_header(n: &str) -> bool {
    ["nom", "noms", "stagiaire", "stagiaires", "participant", "participants", "apprenant", "name", "trainee", "prenom", "noms - prenoms"]
        .iter()
        .any(|p| n.starts_with(p))
}

fn is_trainer_row(n: &str) -> bool {
    ["formateur", "formatrice", "intervenant", "trainer", "signature du formateur"].iter().any(|p| contains_phrase(n, p))
}

fn attendance(view: &DocView) -> Option<Grid> {
    let mut total: Option<Grid> = None;
    for page in &view.ex.pages {
        let g = if view.format == Format::Pdf {
            pdf_grid(page)
        } else {
            page.tables.iter().enumerate().filter_map(|(ti, t)| table_grid(page, ti, t, view.format)).reduce(merge)
        };
        if let Some(g) = g {
            total = Some(match total {
                Some(t) => merge(t, g),
                None => g,
            });
        }
    }
    total
}

fn merge(mut a: Grid, b: Grid) -> Grid {
    a.expected += b.expected;
    a.found += b.found;
    a.rows += b.rows;
    a.slots = a.slots.max(b.slots);
    a.trainer_cells += b.trainer_cells;
    a.cells.extend(b.cells);
    a
}

/// A grid in a table model (docx, odt, spreadsheets, csv).
fn table_grid(page: &Page, ti: usize, t: &Table, format: Format) -> Option<Grid> {
    // Header row: the first row naming people; slot columns from it and the row below it
    // (a date row above "Matin | Après-midi" is common).
    let norm: Vec<Vec<String>> =
        t.rows.iter().map(|r| r.iter().map(|c| normalize_line(&c.text)).collect()).collect();
    let (hr, name_col) = norm.iter().enumerate().take(12).find_map(|(ri, r)| {
        r.iter().position(|c| is_person_header(c)).map(|ci| (ri, ci))
    })?;
    let mut slot_cols: Vec<(usize, String)> = Vec::new();
    let width = t.width();
    for c in 0..width {
        if c == name_col {
            continue;
        }
        let mut label = String::new();
        for r in hr.saturating_sub(1)..=(hr + 1).min(norm.len().saturating_sub(1)) {
            if let Some(cell) = norm.get(r).and_then(|row| row.get(c))
                && is_slot_header(cell)
            {
                if !label.is_empty() {
                    label.push(' ');
                }
                label.push_str(&t.rows[r][c].text);
            }
        }
        if !label.is_empty() {
            slot_cols.push((c, label));
        }
    }
    if slot_cols.is_empty() {
        return None;
    }
    // Rows below the header (skipping a "Matin/Après-midi" sub-header row).
    let first_data = if norm.get(hr + 1).is_some_and(|r| r.iter().any(|c| is_slot_header(c)) && !r.get(name_col).is_some_and(|c| super::facts::looks_like_name(c))) {
        hr + 2
    } else {
        hr + 1
    };
    let images: Vec<(usize, usize)> = page
        .images
        .iter()
        .filter_map(|i| match &i.anchor {
            Some(Anchor::TableCell { table, row, col, .. }) if *table == ti => Some((*row, *col)),
            Some(Anchor::SheetCell { row, col }) if matches!(format, Format::Xlsx | Format::Xls | Format::Ods) => {
                let (r0, c0) = t.origin;
                Some(((row.checked_sub(r0)?) as usize, (col.checked_sub(c0)?) as usize))
            }
            _ => None,
        })
        .collect();
    let mut g = Grid { expected: 0, found: 0, rows: 0, slots: slot_cols.len(), trainer_cells: 0, cells: Vec::new(), page: Some(page.number), method: "attendance_grid" };
    for r in first_data..t.rows.len() {
        let Some(name_cell) = t.rows[r].get(name_col) else { continue };
        let name = name_cell.text.trim();
        let nn = normalize_line(name);
        let trainer = is_trainer_row(&nn);
        if name.is_empty() || (!trainer && !super::facts::looks_like_name(name)) {
            continue;
        }
        if !trainer {
            g.rows += 1;
        }
        for (c, label) in &slot_cols {
            g.expected += 1;
            if trainer {
                g.trainer_cells += 1;
            }
            let text = t.rows[r].get(*c).map(|x| x.text.trim()).unwrap_or("");
            let has_image = images.contains(&(r, *c));
            if has_image || (!text.is_empty() && CELL_ESIGN.is_match(text)) {
                g.found += 1;
            } else {
                let state = if ABSENT.is_match(text) { "absent" } else { "empty" };
                g.cells.push(EmptyCell { trainee: name.to_string(), slot: label.clone(), state: state.into() });
            }
        }
    }
    (g.expected > 0).then_some(g)
}

/// A grid on a PDF page: slot columns from the "Matin"/"Après-midi" (or date) header spans,
/// rows from the name spans below them, signatures from the images placed in each cell.
fn pdf_grid(page: &Page) -> Option<Grid> {
    let spans = &page.spans;
    let header_spans: Vec<&TextSpan> = spans
        .iter()
        .filter(|s| {
            let n = normalize_line(&s.text);
            ["matin", "apres-midi", "apres midi", "morning", "afternoon", "am", "pm"].iter().any(|p| n == *p)
        })
        .collect();
    if header_spans.is_empty() {
        return None;
    }
    // The header band: spans at the most common y among half-day labels (several tables on one
    // page are handled by bands below).
    let mut bands: Vec<f32> = Vec::new();
    for s in &header_spans {
        if !bands.iter().any(|b| (b - s.y).abs() < 3.0) {
            bands.push(s.y);
        }
    }
    bands.sort_by(|a, b| b.partial_cmp(a).unwrap_or(std::cmp::Ordering::Equal));
    let mut out: Option<Grid> = None;
    for (bi, band_y) in bands.iter().enumerate() {
        let next_band = bands.get(bi + 1).copied().unwrap_or(f32::MIN);
        let mut cols: Vec<(f32, String)> = header_spans
            .iter()
            .filter(|s| (s.y - band_y).abs() < 3.0)
            .map(|s| (s.x + s.width / 2.0, s.text.trim().to_string()))
            .collect();
        cols.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
        // Label slots with the date spans just above them.
        for (cx, label) in cols.iter_mut() {
            if let Some(d) = spans
                .iter()
                .filter(|s| s.y > *band_y && s.y < band_y + 40.0 && super::dates::parse_date(&normalize_line(&s.text)).is_some())
                .min_by(|a, b| {
                    let da = (a.x + a.width / 2.0 - *cx).abs();
                    let db = (b.x + b.width / 2.0 - *cx).abs();
                    da.partial_cmp(&db).unwrap_or(std::cmp::Ordering::Equal)
                })
            {
                *label = format!("{} {}", d.text.trim(), label);
            }
        }
        let first_col_x = cols.first().map(|c| c.0)?;
        let spacing = cols.windows(2).map(|w| w[1].0 - w[0].0).fold(f32::MAX, f32::min);
        let spacing = if spacing == f32::MAX { 120.0 } else { spacing };
        // Rows: name-like spans left of the first slot column, below the header band.
        let mut rows: Vec<(&TextSpan, bool)> = spans
            .iter()
            .filter(|s| s.y < *band_y - 2.0 && s.y > next_band && s.x + 5.0 < first_col_x - spacing / 2.0)
            .filter_map(|s| {
                let t = s.text.trim();
                let n = normalize_line(t);
                if is_trainer_row(&n) {
                    Some((s, true))
                } else if super::facts::looks_like_name(t) {
                    Some((s, false))
                } else {
                    None
                }
            })
            .collect();
        rows.sort_by(|a, b| b.0.y.partial_cmp(&a.0.y).unwrap_or(std::cmp::Ordering::Equal));
        rows.dedup_by(|a, b| (a.0.y - b.0.y).abs() < 2.0);
        if rows.is_empty() {
            continue;
        }
        let row_gap = rows.windows(2).map(|w| w[0].0.y - w[1].0.y).fold(f32::MAX, f32::min);
        let row_gap = if row_gap == f32::MAX { 40.0 } else { row_gap.max(12.0) };
        let mut filled = vec![vec![false; cols.len()]; rows.len()];
        for img in &page.images {
            let Some(Anchor::Page { rect }) = &img.anchor else { continue };
            if is_logo_like(img, page) {
                continue;
            }
            let cx = rect.x + rect.width / 2.0;
            let cy = rect.y + rect.height / 2.0;
            let col = cols
                .iter()
                .enumerate()
                .min_by(|a, b| (a.1.0 - cx).abs().partial_cmp(&(b.1.0 - cx).abs()).unwrap_or(std::cmp::Ordering::Equal))
                .filter(|(_, c)| (c.0 - cx).abs() < spacing * 0.75)
                .map(|(i, _)| i);
            let row = rows
                .iter()
                .enumerate()
                .min_by(|a, b| {
                    let da = (a.1.0.y + a.1.0.font_size * 0.3 - cy).abs();
                    let db = (b.1.0.y + b.1.0.font_size * 0.3 - cy).abs();
                    da.partial_cmp(&db).unwrap_or(std::cmp::Ordering::Equal)
                })
                .filter(|(_, r)| (r.0.y + r.0.font_size * 0.3 - cy).abs() < row_gap * 0.75)
                .map(|(i, _)| i);
            if let (Some(r), Some(c)) = (row, col) {
                filled[r][c] = true;
            }
        }
        let mut g = Grid {
            expected: 0,
            found: 0,
            rows: rows.iter().filter(|r| !r.1).count(),
            slots: cols.len(),
            trainer_cells: 0,
            cells: Vec::new(),
            page: Some(page.number),
            method: "attendance_grid_layout",
        };
        for (ri, (span, trainer)) in rows.iter().enumerate() {
            for (ci, (cx, label)) in cols.iter().enumerate() {
                g.expected += 1;
                if *trainer {
                    g.trainer_cells += 1;
                }
                if filled[ri][ci] {
                    g.found += 1;
                } else {
                    let absent = spans.iter().any(|s| {
                        (s.y - span.y).abs() < row_gap * 0.5
                            && (s.x + s.width / 2.0 - cx).abs() < spacing * 0.6
                            && ABSENT.is_match(s.text.trim())
                    });
                    g.cells.push(EmptyCell {
                        trainee: span.text.trim().to_string(),
                        slot: label.clone(),
                        state: if absent { "absent" } else { "empty" }.into(),
                    });
                }
            }
        }
        out = Some(match out {
            Some(o) => merge(o, g),
            None => g,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cell, Extracted, FormField, SignatureValue};

    fn view_of(ex: &Extracted, format: Format) -> DocView<'_> {
        DocView::new("x", format, ex)
    }

    #[test]
    fn signed_pdf_field_is_signed_with_its_signer() {
        let ex = Extracted {
            pages: vec![Page { number: 1, text: "Convention".into(), ..Page::default() }],
            fields: vec![FormField {
                name: "Sig1".into(),
                kind: "signature".into(),
                page: Some(1),
                signature: Some(SignatureValue {
                    signer: Some("Claire Dubois".into()),
                    signing_time: Some("D:20250310120000+01'00'".into()),
                    covers_whole_file: Some(true),
                    ..SignatureValue::default()
                }),
                ..FormField::default()
            }],
            ..Extracted::default()
        };
        let s = analyse(&view_of(&ex, Format::Pdf), Kind::Convention);
        assert_eq!(s.status, SignatureStatus::Signed);
        assert!(s.evidence[0].detail.contains("Claire Dubois"), "{:?}", s.evidence);
    }

    #[test]
    fn programme_is_not_applicable_and_typed_approval_is_not_a_signature() {
        let ex = Extracted {
            pages: vec![Page { number: 1, text: "Programme\nObjectifs".into(), ..Page::default() }],
            ..Extracted::default()
        };
        assert_eq!(analyse(&view_of(&ex, Format::Docx), Kind::Programme).status, SignatureStatus::NotApplicable);
        let ex = Extracted {
            pages: vec![Page { number: 1, text: "Convention\nPour le client\nLu et approuvé\nJean Martin".into(), ..Page::default() }],
            ..Extracted::default()
        };
        let s = analyse(&view_of(&ex, Format::Docx), Kind::Convention);
        assert_eq!(s.status, SignatureStatus::Unsigned);
        assert!(s.evidence.iter().any(|e| e.method == "typed_approval"));
    }

    #[test]
    fn docx_grid_counts_images_in_cells_and_absences() {
        let t = Table {
            rows: vec![
                vec![Cell::text("Nom et prénom"), Cell::text("12/03/2025 Matin"), Cell::text("12/03/2025 Après-midi")],
                vec![Cell::text("Jean Dupont"), Cell::text(""), Cell::text("")],
                vec![Cell::text("Léa Martin"), Cell::text(""), Cell::text("Absent")],
                vec![Cell::text("Signature du formateur"), Cell::text(""), Cell::text("")],
            ],
            ..Table::default()
        };
        let img = |row, col| ImageRef {
            name: "sig.png".into(),
            encoding: Some("png".into()),
            width_px: None,
            height_px: None,
            anchor: Some(Anchor::TableCell { table: 0, row, col, header: String::new() }),
        };
        let ex = Extracted {
            pages: vec![Page {
                number: 1,
                text: "Feuille d'émargement".into(),
                tables: vec![t],
                images: vec![img(1, 1), img(1, 2), img(2, 1), img(3, 1), img(3, 2)],
                ..Page::default()
            }],
            ..Extracted::default()
        };
        let s = analyse(&view_of(&ex, Format::Docx), Kind::AttendanceSheet);
        assert_eq!(s.expected, Some(6));
        assert_eq!(s.found, Some(5));
        assert_eq!(s.empty_cells.len(), 1);
        assert_eq!(s.empty_cells[0].state, "absent");
        assert_eq!(s.status, SignatureStatus::Signed, "an absence marked is justified");
    }
}
