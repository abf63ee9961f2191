//! Signatures: is this document signed, by what evidence, and for attendance sheets how many
//! signature cells are expected and found.
//!
//! Evidence, strongest first: PDF digital signature fields (`/FT /Sig` with `/V`), e-signature
//! audit trails read by their structure (signers tied to signing events and timestamps, see
//! `esign`; never a service's name in running text), and handwritten signatures as images
//! placed in a signature zone (below or beside "Signature du stagiaire", "Pour l'organisme de formation", "Cachet et
//! signature", or in the signature / half-day cells of a grid). A typed "Lu et approuvé" and a
//! name is weak evidence: reported, never enough to call a document signed. Scanned pages are
//! `unknown` until OCR reads them: never a guess presented as a finding.

use super::normalize::{contains_phrase, normalize_line};
use super::view::DocView;
use super::vocab::{is_clock_time, is_date_header, is_half_day, is_person_header, is_time_slot};
use crate::document::{EmptyCell, Evidence, Kind, Signature, SignatureStatus};
use crate::model::{Anchor, Format, ImageRef, Page, Table, TextSpan};
use regex::Regex;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// Whether signing applies to a kind: always; when the document has a zone for it (a quote's
/// "Bon pour accord"); optionally (a signed convocation or evaluation is signed, an unsigned one
/// is not a defect); never.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Applies {
    Always,
    IfZone,
    Optional,
    Never,
}

fn applies(kind: Kind) -> Applies {
    match kind {
        Kind::Convention
        | Kind::AttendanceSheet
        | Kind::CompletionCertificate
        | Kind::TrainerContract => Applies::Always,
        Kind::Quote | Kind::NeedsAnalysis => Applies::IfZone,
        Kind::Convocation
        | Kind::Assessment
        | Kind::Positioning
        | Kind::SatisfactionHot
        | Kind::SatisfactionCold
        | Kind::Complaint => Applies::Optional,
        _ => Applies::Never,
    }
}

static ABSENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(absente?s?|abs\.?|excus[ée]e?s?|absence justifi[ée]e|malade|retard|cong[ée])\s*$")
        .expect("valid regex")
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
                let who = v
                    .signer
                    .as_deref()
                    .or(v.name.as_deref())
                    .unwrap_or("unknown signer");
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

    // 2. E-signature audit trails, recognised by their structure (signer, event, timestamp),
    // never by a service's name (`esign`).
    let export = (kind == Kind::AttendanceSheet)
        .then(|| super::attendance_export::read(view))
        .flatten();
    // An export's rows ("Jean Dupont | j.dupont@… | Signé | 12/05/2025 09:04") are cells, not
    // a trail.
    let trail = if export.is_some() {
        None
    } else {
        super::esign::trail(view)
    };
    let esign = trail.as_ref().map_or(0, |t| t.signed());
    if let Some(t) = &trail {
        sig.evidence.push(t.evidence());
    }

    // 3. Attendance: an e-sign-in export (one row per person and slot), else a grid.
    if let Some(x) = export {
        sig.expected = Some(x.expected);
        sig.found = Some(x.found);
        sig.evidence.push(x.evidence());
        sig.status = x.status();
        sig.empty_cells = x.cells;
        return sig;
    }
    if kind == Kind::AttendanceSheet
        && let Some(grid) = attendance(view)
    {
        sig.expected = Some(grid.expected);
        sig.found = Some(grid.found);
        let count = |state: &str| grid.cells.iter().filter(|c| c.state == state).count();
        let (empty, uncertain) = (count("empty"), count("uncertain"));
        sig.evidence.push(Evidence {
            method: grid.method.into(),
            detail: format!(
                "{} of {} signature cells signed ({} trainee rows × {} slots{}); {} empty, {} marked absent{}",
                grid.found,
                grid.expected,
                grid.rows,
                grid.slots,
                if grid.trainer_cells > 0 { format!(", including {} trainer cells", grid.trainer_cells) } else { String::new() },
                empty,
                count("absent"),
                if uncertain > 0 { format!(", {uncertain} uncertain (to check by eye)") } else { String::new() }
            ),
            page: grid.page,
        });
        if !grid.ink_notes.is_empty() {
            sig.evidence.push(Evidence {
                method: "scan_cell_ink".into(),
                detail: grid.ink_notes.join(" | "),
                page: grid.page,
            });
        }
        for (image, signers) in shared_images(&grid.images) {
            sig.evidence.push(Evidence {
                method: "same_image_several_signers".into(),
                detail: format!(
                    "one image ({image}) signs the cells of {} different people: {}",
                    signers.len(),
                    signers.join(", ")
                ),
                page: grid.page,
            });
        }
        for (image, who, cells) in repeated_images(&grid.images) {
            sig.evidence.push(Evidence {
                method: "same_image_every_cell".into(),
                detail: format!(
                    "one image ({image}) fills all {cells} signed cells of {who}: one signature \
                     pasted rather than signed each half-day"
                ),
                page: grid.page,
            });
        }
        sig.empty_cells = grid.cells;
        sig.status = if grid.found == 0 && esign == 0 && digital_signed == 0 {
            SignatureStatus::Unsigned
        } else if empty + uncertain > 0 {
            SignatureStatus::Partial
        } else {
            SignatureStatus::Signed
        };
        return sig;
    }

    // 4. Signature zones and the marks placed in them (images, vector drawings, ink).
    let zones = super::zones::zones(
        &ex.pages,
        view.format == Format::Pdf,
        &|img, page| {
            if is_logo_like(img, page) {
                Err("a full-page image (a scan) or a header image")
            } else if is_uncertain_ink(img) {
                Err("ink too faint to tell from noise")
            } else {
                Ok(())
            }
        },
        &laid_out_scan,
    );
    let typed = typed_approval(view);
    if let Some(t) = &typed {
        sig.evidence.push(Evidence {
            method: "typed_approval".into(),
            detail: format!("typed «{t}» (weak evidence: not a signature)"),
            page: None,
        });
    }
    zone_evidence(&zones, &mut sig.evidence);
    // Scanned and not read by OCR (OCR fills `text` and `spans`).
    let scanned = ex.is_scanned() && ex.pages.iter().all(|p| p.text.trim().is_empty());
    sig.status = if let Some(t) = trail.as_ref().filter(|_| applies == Applies::Never) {
        // A trail on its own (a certificate of completion next to the signed document) is
        // itself the proof of a signing.
        t.status()
    } else if applies == Applies::Never {
        SignatureStatus::NotApplicable
    } else if let Some(t) = trail
        .as_ref()
        .filter(|t| t.status() != SignatureStatus::Signed)
    {
        // A trail that shows a signer who has not signed: not signed, whatever else is there.
        t.status()
    } else if digital_signed > 0 || esign > 0 {
        if digital_empty > 0 {
            SignatureStatus::Partial
        } else {
            SignatureStatus::Signed
        }
    } else if scanned {
        sig.evidence.push(Evidence {
            method: "scanned".into(),
            detail: "scanned document: signatures are read by OCR and ink detection".into(),
            page: None,
        });
        SignatureStatus::Unknown
    } else if kind == Kind::AttendanceSheet && ex.is_scanned() && zones.signed.is_empty() {
        // A scanned sheet read by OCR whose grid was not found (a phone photo of the sheet, a
        // faint or skewed copy): no grid, no cell to judge. Calling it unsigned would be a
        // false alarm whenever the grid is there but unread; it is said to be checked by hand.
        sig.evidence.push(Evidence {
            method: "scanned_grid_not_read".into(),
            detail: "scanned sign-in sheet whose signature grid was not found by OCR (a phone \
                     photo, a faint or skewed copy): its signatures are not judged, check it by \
                     hand"
                .into(),
            page: None,
        });
        SignatureStatus::Unknown
    } else {
        let status = if !zones.signed.is_empty() {
            if zones.empty.is_empty() || applies == Applies::Optional {
                SignatureStatus::Signed
            } else {
                SignatureStatus::Partial
            }
        } else {
            match applies {
                Applies::Never | Applies::Optional => SignatureStatus::NotApplicable,
                Applies::IfZone if zones.empty.is_empty() && digital_empty == 0 => {
                    SignatureStatus::NotApplicable
                }
                _ => SignatureStatus::Unsigned,
            }
        };
        sig.evidence.push(zone_rule(&zones, applies, status));
        status
    };
    sig
}

/// One evidence line per zone: the marks that sign it, or where it was looked for in vain;
/// then the marks that were set aside (logos, scans, images outside every zone).
fn zone_evidence(zones: &super::zones::Zones, out: &mut Vec<Evidence>) {
    for z in &zones.signed {
        for (what, method) in z.marks.iter().zip(&z.methods) {
            out.push(Evidence {
                method: (*method).into(),
                detail: format!("{what} in zone «{}»", z.label),
                page: z.page,
            });
        }
    }
    for z in &zones.signed {
        for st in &z.stamps {
            out.push(Evidence {
                method: "stamp_in_signature_zone".into(),
                detail: format!(
                    "{st} in zone «{}»: the organisation's stamp (the zone is signed by the mark above)",
                    z.label
                ),
                page: z.page,
            });
        }
    }
    for z in &zones.empty {
        out.push(Evidence {
            method: "signature_zone_empty".into(),
            detail: format!("zone «{}» is empty: {}", z.label, z.looked),
            page: z.page,
        });
    }
    for (what, page) in zones.ignored.iter().take(5) {
        out.push(Evidence {
            method: "mark_not_a_signature".into(),
            detail: what.clone(),
            page: *page,
        });
    }
}

/// The rule that turned the zones into a status, said in words.
fn zone_rule(zones: &super::zones::Zones, applies: Applies, status: SignatureStatus) -> Evidence {
    let (signed, empty) = (zones.signed.len(), zones.empty.len());
    let total = signed + empty;
    let detail = match (status, applies) {
        (SignatureStatus::Signed, Applies::Optional) if empty > 0 => format!(
            "{signed} of {total} signature zones signed (signing is optional for this kind: one mark is enough)"
        ),
        (SignatureStatus::Signed, _) => format!("{signed} of {total} signature zones signed"),
        (SignatureStatus::Partial, _) => format!(
            "{signed} of {total} signature zones signed: {} left empty",
            zones
                .empty
                .iter()
                .map(|z| format!("«{}»", z.label))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        (SignatureStatus::NotApplicable, Applies::IfZone) => {
            "no signature zone for this kind of document (a quote is signed only where it asks for the client's acceptance)".into()
        }
        (SignatureStatus::NotApplicable, _) => {
            "no signature mark and signing is optional for this kind of document".into()
        }
        _ if total == 0 => {
            "no signature zone found and no image, drawing or ink in one: unsigned".into()
        }
        _ => format!("0 of {total} signature zones signed"),
    };
    Evidence {
        method: "signature_zones_rule".into(),
        detail,
        page: None,
    }
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
            .map(|rest| {
                rest.trim_start_matches(|c: char| c.is_alphabetic())
                    .trim_matches([' ', ',', ':', '\t', '-', '»', '"'])
            })
            .unwrap_or("");
        let next = view.lines.get(i + 1).map(|n| n.raw.trim()).unwrap_or("");
        [after, next]
            .into_iter()
            .find(|c| super::facts::looks_like_name(c))
            .map(|name| format!("Lu et approuvé {name}"))
    })
}

fn is_logo_like(img: &ImageRef, page: &Page) -> bool {
    // A stamp's outline drawn as vector paths: the organisation's stamp, never a signature.
    if img.encoding.as_deref() == Some("vector_stamp") {
        return true;
    }
    match (&img.anchor, page.size) {
        (Some(Anchor::Page { rect }), Some((w, h))) => {
            // A full-page image is a scan, not a signature. (Letterhead logos are excluded by
            // construction: no signature label stands above them.)
            rect.width * rect.height / (w * h).max(1.0) > 0.5
        }
        (Some(Anchor::HeaderFooter { .. }), _) => true,
        _ => false,
    }
}

/// An image file read by OCR: positioned spans and ink boxes in page units, like a PDF page.
fn laid_out_scan(page: &Page) -> bool {
    page.tables.is_empty() && !page.spans.is_empty()
}

/// Ink that the OCR stage could not tell from noise, or a mere trace of ink (`crate::ocr`):
/// never a signature by itself.
fn is_uncertain_ink(img: &ImageRef) -> bool {
    matches!(img.encoding.as_deref(), Some("ink-uncertain" | "ink-trace"))
}

// ---------------------------------------------------------------------------------------------
// Attendance grids

struct Grid {
    /// Signature cells expected: trainee and trainer cells, minus cells marked absent.
    expected: u32,
    found: u32,
    rows: usize,
    slots: usize,
    trainer_cells: usize,
    cells: Vec<EmptyCell>,
    page: Option<u32>,
    method: &'static str,
    /// Scanned pages: the page's ink levels and the measures of the cells not counted signed.
    ink_notes: Vec<String>,
    /// Image files placed in signed cells: (the image's identity, the signer of the cell).
    images: Vec<(String, String)>,
}

fn is_signature_header(n: &str) -> bool {
    n.split_whitespace().count() <= 6
        && (contains_phrase(n, "signature")
            || contains_phrase(n, "emargement")
            || contains_phrase(n, "signatures"))
}

fn is_slot_header(n: &str) -> bool {
    is_half_day(n) || is_signature_header(n) || is_date_header(n)
}

/// The header of the first column of a grid: who signs, or which slot a row is.
fn is_row_header(n: &str) -> bool {
    is_person_header(n)
        || ["date", "dates", "jour"]
            .iter()
            .any(|p| n == *p || n.starts_with(&format!("{p} ")) || n.starts_with(&format!("{p}:")))
}

fn is_trainer_row(n: &str) -> bool {
    [
        "formateur",
        "formatrice",
        "intervenant",
        "intervenante",
        "trainer",
        "instructor",
        "formateur(trice)",
    ]
    .iter()
    .any(|p| contains_phrase(n, p))
}

fn attendance(view: &DocView) -> Option<Grid> {
    let mut total: Option<Grid> = None;
    let mut carried: Option<Columns> = None;
    for page in &view.ex.pages {
        let g = if view.format == Format::Pdf || laid_out_scan(page) {
            let (g, cols) = pdf_grid(page, carried.as_ref());
            carried = cols;
            g
        } else {
            page.tables
                .iter()
                .enumerate()
                .filter_map(|(ti, t)| table_grid(page, ti, t, view.format))
                .reduce(merge)
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
    a.ink_notes.extend(b.ink_notes);
    a.images.extend(b.images);
    a
}

/// The identity of an image file placed in a cell, when it has one: producers store an image
/// used twice once (a PDF XObject named per page, a Word media part named per document), so one
/// identity in the cells of two people is one signature copied. Marks drawn or read from a
/// scan (`vector`, `ink`, `ink_annotation`) have none.
fn image_identity(img: &ImageRef, page: u32, format: Format) -> Option<String> {
    let enc = img.encoding.as_deref()?;
    if matches!(
        enc,
        "vector" | "ink_annotation" | "ink" | "ink-uncertain" | "ink-trace"
    ) {
        return None;
    }
    Some(if format == Format::Pdf {
        format!("page {page}, image {}", img.name)
    } else {
        img.name.clone()
    })
}

/// The signer of a cell: the row's label, or the column's for a grid whose rows are slots.
fn cell_signer(kind: RowKind, row_label: &str, slot: &str) -> String {
    if kind == RowKind::Slot {
        slot.to_string()
    } else {
        row_label.to_string()
    }
}

/// One image in the signed cells of two or more people, while the others sign with their own
/// images (an image in every cell is the template's tick, not a copied signature).
fn shared_images(images: &[(String, String)]) -> Vec<(String, Vec<String>)> {
    let mut by_image: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (id, who) in images {
        let key = normalize_line(who);
        let signers = by_image.entry(id.as_str()).or_default();
        if !signers.iter().any(|s| normalize_line(s) == key) {
            signers.push(who.clone());
        }
    }
    if by_image.len() < 2 {
        return Vec::new();
    }
    by_image
        .into_iter()
        .filter(|(_, signers)| signers.len() >= 2)
        .map(|(id, signers)| (id.to_string(), signers))
        .collect()
}

/// People whose signed cells (at least `REPEATED_MIN`) all hold one same image file, used by
/// nobody else: one signature pasted into every half-day rather than signed each time.
fn repeated_images(images: &[(String, String)]) -> Vec<(String, String, usize)> {
    let mut by_signer: BTreeMap<String, (String, Vec<&str>)> = BTreeMap::new();
    for (id, who) in images {
        let e = by_signer
            .entry(normalize_line(who))
            .or_insert_with(|| (who.clone(), Vec::new()));
        e.1.push(id.as_str());
    }
    let users = |id: &str| {
        by_signer
            .values()
            .filter(|(_, ids)| ids.contains(&id))
            .count()
    };
    by_signer
        .values()
        .filter(|(_, ids)| ids.len() >= REPEATED_MIN && ids.iter().all(|i| *i == ids[0]))
        .filter(|(_, ids)| users(ids[0]) == 1)
        .map(|(who, ids)| (ids[0].to_string(), who.clone(), ids.len()))
        .collect()
}

/// Fewest cells of one person that make a repetition worth saying (a morning and an afternoon).
const REPEATED_MIN: usize = 2;

/// What a row of a grid is.
#[derive(Clone, Copy, PartialEq)]
enum RowKind {
    Trainee,
    Trainer,
    /// A slot (date / half-day) in a grid whose columns are the signers (individual sheet).
    Slot,
}

fn row_kind(label: &str) -> Option<RowKind> {
    let n = normalize_line(label);
    if n.is_empty() {
        None
    } else if is_trainer_row(&n) {
        Some(RowKind::Trainer)
    } else if super::facts::looks_like_name(label.trim()) {
        Some(RowKind::Trainee)
    } else if is_date_header(&n) || is_half_day(&n) {
        Some(RowKind::Slot)
    } else {
        None
    }
}

/// Counts one cell into the grid.
#[allow(clippy::too_many_arguments)]
/// What a grid cell holds.
#[derive(Clone, Copy, PartialEq)]
enum CellMark {
    None,
    /// Some ink that OCR could not tell from noise: to check by eye, never counted as signed.
    Uncertain,
    Signed,
}

fn count_cell(
    g: &mut Grid,
    kind: RowKind,
    col_is_trainer: bool,
    mark: CellMark,
    text: &str,
    who: &str,
    slot: &str,
) {
    let trainer = kind == RowKind::Trainer || (kind == RowKind::Slot && col_is_trainer);
    // A cell that says it was signed electronically ("Signé à 09:02", "Validé"), in any grid;
    // "Non signé", "À signer", "Invalidé" never are (`attendance_export::cell_text`).
    if mark == CellMark::Signed || super::attendance_export::is_signed_text(text) {
        g.expected += 1;
        g.found += 1;
        if trainer {
            g.trainer_cells += 1;
        }
        return;
    }
    let state = if ABSENT.is_match(text)
        || super::attendance_export::cell_text(text) == super::attendance_export::CellText::Absent
    {
        "absent"
    } else if mark == CellMark::Uncertain {
        "uncertain"
    } else {
        "empty"
    };
    if state != "absent" {
        g.expected += 1;
        if trainer {
            g.trainer_cells += 1;
        }
    }
    g.cells.push(EmptyCell {
        trainee: who.to_string(),
        slot: slot.to_string(),
        state: state.into(),
    });
}

/// A grid in a table model (docx, odt, spreadsheets, csv).
fn table_grid(page: &Page, ti: usize, t: &Table, format: Format) -> Option<Grid> {
    let norm: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|r| r.iter().map(|c| normalize_line(&c.text)).collect())
        .collect();
    let width = t.width();
    // Slot columns of a header row `hr` (labels from it, the row above and the row below).
    let slot_cols = |hr: usize, first: usize| -> Vec<(usize, String)> {
        let mut cols = Vec::new();
        for c in (first + 1)..width {
            let mut label = String::new();
            let mut half_day = false;
            for r in hr.saturating_sub(1)..=(hr + 1).min(norm.len().saturating_sub(1)) {
                if let Some(cell) = norm.get(r).and_then(|row| row.get(c))
                    && is_slot_header(cell)
                {
                    half_day |= is_half_day(cell) || is_signature_header(cell);
                    if !label.is_empty() {
                        label.push(' ');
                    }
                    label.push_str(t.rows[r][c].text.trim());
                }
            }
            // A date spanning two half-day columns labels the second one too.
            if label.is_empty()
                && let Some(h) = norm.get(hr + 1).and_then(|row| row.get(c))
                && is_half_day(h)
            {
                label = t.rows[hr + 1][c].text.trim().to_string();
                half_day = true;
            }
            if !label.is_empty() && (half_day || is_date_header(&normalize_line(&label))) {
                cols.push((c, label));
            }
        }
        cols
    };
    let (hr, first, cols) = norm.iter().enumerate().take(30).find_map(|(ri, r)| {
        let first = r.iter().position(|c| is_row_header(c))?;
        let cols = slot_cols(ri, first);
        (!cols.is_empty()).then_some((ri, first, cols))
    })?;
    let sub_header = norm.get(hr + 1).is_some_and(|r| {
        r.iter().any(|c| is_half_day(c)) && r.get(first).is_none_or(|c| row_kind(c).is_none())
    });
    let first_data = if sub_header { hr + 2 } else { hr + 1 };
    let images: Vec<(usize, usize, Option<String>)> = page
        .images
        .iter()
        .filter_map(|i| {
            let (r, c) = match &i.anchor {
                Some(Anchor::TableCell {
                    table, row, col, ..
                }) if *table == ti => (*row, *col),
                Some(Anchor::SheetCell { row, col })
                    if matches!(format, Format::Xlsx | Format::Xls | Format::Ods) =>
                {
                    let (r0, c0) = t.origin;
                    (
                        (row.checked_sub(r0)?) as usize,
                        (col.checked_sub(c0)?) as usize,
                    )
                }
                _ => return None,
            };
            Some((r, c, image_identity(i, page.number, format)))
        })
        .collect();
    let mut g = Grid {
        expected: 0,
        found: 0,
        rows: 0,
        slots: cols.len(),
        trainer_cells: 0,
        cells: Vec::new(),
        page: Some(page.number),
        method: "attendance_grid",
        ink_notes: Vec::new(),
        images: Vec::new(),
    };
    for r in first_data..t.rows.len() {
        let label = t.rows[r].get(first).map(|c| c.text.trim()).unwrap_or("");
        let Some(kind) = row_kind(label) else {
            continue;
        };
        if kind == RowKind::Trainee {
            g.rows += 1;
        }
        for (c, slot) in &cols {
            let text = t.rows[r].get(*c).map(|x| x.text.trim()).unwrap_or("");
            let mut signed = false;
            for (_, _, id) in images.iter().filter(|i| i.0 == r && i.1 == *c) {
                signed = true;
                if let Some(id) = id {
                    g.images.push((id.clone(), cell_signer(kind, label, slot)));
                }
            }
            let col_is_trainer = is_trainer_row(&normalize_line(slot));
            count_cell(
                &mut g,
                kind,
                col_is_trainer,
                if signed {
                    CellMark::Signed
                } else {
                    CellMark::None
                },
                text,
                label,
                slot,
            );
        }
    }
    (g.expected + g.cells.len() as u32 > 0).then_some(g)
}

/// Stroke length of one letter read by OCR in a signature cell, in letter heights.
const LETTER_INK: f32 = 2.5;

/// The cells of a grid on a scanned page judged against each other (`crate::ocr::ink::judge_cells`),
/// and what to say about it.
struct InkJudgement {
    levels: crate::ocr::ink::CellLevels,
    decisions: Vec<Vec<crate::ocr::ink::CellInk>>,
    /// Cells not counted signed: (row label, slot, measure, decision, margin).
    doubtful: Vec<(String, String, f32, crate::ocr::ink::CellInk, f32)>,
    cells: usize,
}

impl InkJudgement {
    fn note(&self, page: u32) -> String {
        use crate::ocr::ink::CellInk;
        let l = &self.levels;
        let mut out = format!(
            "page {page}: ink per cell = pen-stroke length in printed-letter heights; {} cells; \
             empty-cell level {:.2}, signed-cell level {:.2}{}, split at {:.2}",
            self.cells,
            l.empty,
            l.signed,
            if l.measured {
                ""
            } else {
                " (one level from defaults: the cells form one group)"
            },
            l.split
        );
        for (label, slot, m, d, margin) in self.doubtful.iter().take(12) {
            let what = match d {
                CellInk::Uncertain => "uncertain",
                CellInk::Empty => "empty",
                CellInk::Signed => "signed",
            };
            out.push_str(&format!(
                "; {label} × {slot}: ink {m:.2} → {what} (margin {margin:+.2})"
            ));
        }
        if self.doubtful.len() > 12 {
            out.push_str(&format!("; and {} more", self.doubtful.len() - 12));
        }
        out
    }
}

fn ink_judgement(
    rows: &[(String, RowKind, f32)],
    cols: &[(f32, String, f32)],
    ink: &[Vec<f32>],
    absent: impl Fn(usize, usize) -> bool,
) -> InkJudgement {
    use crate::ocr::ink::{CellInk, judge_cells};
    let mut index = Vec::new();
    let mut measures = Vec::new();
    for (ri, row) in ink.iter().enumerate() {
        for (ci, &m) in row.iter().enumerate() {
            // Cells marked absent hold print, not a signature: they say nothing of the ink.
            if !absent(ri, ci) {
                index.push((ri, ci));
                measures.push(m);
            }
        }
    }
    let (levels, judged) = judge_cells(&measures);
    let mut decisions = vec![vec![CellInk::Empty; cols.len()]; rows.len()];
    let mut doubtful = Vec::new();
    for (&(ri, ci), &(d, margin)) in index.iter().zip(&judged) {
        decisions[ri][ci] = d;
        if d != CellInk::Signed {
            doubtful.push((
                rows[ri].0.clone(),
                cols[ci].1.clone(),
                ink[ri][ci],
                d,
                margin,
            ));
        }
    }
    InkJudgement {
        levels,
        decisions,
        doubtful,
        cells: measures.len(),
    }
}

fn center_x(s: &TextSpan) -> f32 {
    s.x + s.width / 2.0
}

/// A grid on a PDF page. The header band is found from the first column's header ("Nom et
/// prénom", "Stagiaire", "Date") and the slot headers on its right ("Matin" / "Après-midi",
/// dates, "Signature…"); rows are the labels below it (names, the trainer, or dates for an
/// individual sheet), multi-line labels merged; a cell is signed when an image's centre falls in
/// it.
/// The columns of a grid on a laid-out page: (centre x, slot label, lowest y of the header).
type Columns = Vec<(f32, String, f32)>;

/// The attendance grids of a laid-out page (PDF, scan), and the columns of its last grid. A
/// page without a grid header carries on `carried`, the previous page's columns (a sheet whose
/// grid runs over two pages and whose second page repeats no header).
fn pdf_grid(page: &Page, carried: Option<&Columns>) -> (Option<Grid>, Option<Columns>) {
    let spans = &page.spans;
    let norm: Vec<String> = spans.iter().map(|s| normalize_line(&s.text)).collect();
    let mut out: Option<Grid> = None;
    let mut columns: Option<Columns> = None;
    let heads: Vec<usize> = (0..spans.len())
        .filter(|&i| is_row_header(&norm[i]) && norm[i].split_whitespace().count() <= 5)
        .collect();
    let mut used_bands: Vec<f32> = Vec::new();
    for h in heads {
        let head = &spans[h];
        if used_bands.iter().any(|y| (y - head.y).abs() < 40.0) {
            continue;
        }
        let near = |s: &TextSpan| (s.y - head.y).abs() <= 30.0 && s.x > head.x + head.width * 0.5;
        let mut half: Vec<usize> = (0..spans.len())
            .filter(|&i| near(&spans[i]) && is_half_day(&norm[i]))
            .collect();
        // Beside slots headed by their hours, a lone clock time is a slot whose end the scan
        // lost ("9:00 – 12:30" … "1:30").
        if half.iter().filter(|&&i| is_time_slot(&norm[i])).count() >= 2 {
            let lone: Vec<usize> = (0..spans.len())
                .filter(|&i| near(&spans[i]) && is_clock_time(&norm[i]) && !half.contains(&i))
                .collect();
            half.extend(lone);
        }
        let sig: Vec<usize> = (0..spans.len())
            .filter(|&i| near(&spans[i]) && is_signature_header(&norm[i]))
            .collect();
        let chosen = if !half.is_empty() { half } else { sig };
        if chosen.is_empty() {
            continue;
        }
        // Columns: merge header spans of one column (wrapped headers).
        let mut cols: Vec<(f32, String, f32)> = Vec::new(); // (centre x, label, lowest y)
        let mut sorted = chosen.clone();
        sorted.sort_by(|a, b| center_x(&spans[*a]).total_cmp(&center_x(&spans[*b])));
        for i in sorted {
            let s = &spans[i];
            match cols.iter_mut().find(|c| (c.0 - center_x(s)).abs() < 25.0) {
                Some(c) => {
                    c.1 = format!("{} {}", c.1, s.text.trim());
                    c.2 = c.2.min(s.y);
                }
                None => cols.push((center_x(s), s.text.trim().to_string(), s.y)),
            }
        }
        // Wrapped signature headers continue on the next line ("Signature de la" / "formatrice").
        for c in cols.iter_mut() {
            if let Some(s) = spans
                .iter()
                .find(|s| (center_x(s) - c.0).abs() < 30.0 && s.y < c.2 && s.y > c.2 - 14.0)
            {
                c.1 = format!("{} {}", c.1, s.text.trim());
                c.2 = s.y;
            }
        }
        // Date labels above half-day columns.
        for c in cols.iter_mut() {
            if let Some(d) = spans
                .iter()
                .filter(|s| {
                    s.y > c.2 + 2.0 && s.y < c.2 + 40.0 && is_date_header(&normalize_line(&s.text))
                })
                .min_by(|a, b| {
                    (center_x(a) - c.0)
                        .abs()
                        .total_cmp(&(center_x(b) - c.0).abs())
                })
                .filter(|d| (center_x(d) - c.0).abs() < 120.0)
            {
                c.1 = format!("{} {}", d.text.trim(), c.1);
            }
        }
        let band_bottom = cols.iter().map(|c| c.2).fold(head.y, f32::min);
        used_bands.push(head.y);
        let Some(g) = fill_grid(page, &cols, band_bottom, false) else {
            continue;
        };
        columns = Some(cols);
        out = Some(match out {
            Some(o) => merge(o, g),
            None => g,
        });
    }
    if out.is_none()
        && let Some(cols) = carried
        && let Some(mut g) = fill_grid(page, cols, f32::MAX, true)
    {
        g.method = "attendance_grid_layout_continued";
        return (Some(g), Some(cols.clone()));
    }
    (out, columns)
}

/// The grid under a header band: row labels left of the first slot column, the cells' ink or
/// images. `continued`: a page with no header of its own that carries on the previous page's
/// grid (a two-page sheet): its rows start at the first name or trainer label (the repeated
/// letterhead above is not a row).
fn fill_grid(
    page: &Page,
    cols: &[(f32, String, f32)],
    mut band_bottom: f32,
    continued: bool,
) -> Option<Grid> {
    let spans = &page.spans;
    let first_col_x = cols.iter().map(|c| c.0).fold(f32::MAX, f32::min);
    let spacing = cols
        .windows(2)
        .map(|w| w[1].0 - w[0].0)
        .fold(f32::MAX, f32::min);
    let spacing = if spacing == f32::MAX { 150.0 } else { spacing };
    let label_limit = first_col_x - spacing * 0.45;
    // Row labels: spans below the band, left of the first slot column; skip time ranges.
    let mut labels: Vec<&TextSpan> = spans
        .iter()
        .filter(|s| s.y < band_bottom - 3.0 && s.x < label_limit)
        .filter(|s| s.text.split_whitespace().count() <= 8)
        .collect();
    labels.sort_by(|a, b| b.y.total_cmp(&a.y));
    if continued {
        let first = labels
            .iter()
            .position(|s| matches!(row_kind(&s.text), Some(RowKind::Trainee | RowKind::Trainer)))?;
        band_bottom = labels[first].y + labels[first].font_size * 1.2;
        labels.drain(..first);
    }
    // Cluster into rows (multi-line labels), stop at the first large gap.
    let mut rows: Vec<(Vec<&TextSpan>, f32)> = Vec::new();
    let mut last_y = band_bottom;
    let mut gaps: Vec<f32> = Vec::new();
    for s in labels {
        let gap = last_y - s.y;
        if let Some(row) = rows.last_mut()
            && gap < s.font_size * 1.7
        {
            row.0.push(s);
        } else {
            let typical = if gaps.is_empty() {
                60.0
            } else {
                gaps.iter().sum::<f32>() / gaps.len() as f32
            };
            if !rows.is_empty() && gap > typical * 2.2 + 10.0 {
                break;
            }
            if !rows.is_empty() {
                gaps.push(gap);
            }
            rows.push((vec![s], 0.0));
        }
        last_y = s.y;
    }
    for r in rows.iter_mut() {
        let n = r.0.len() as f32;
        r.1 = r.0.iter().map(|s| s.y + s.font_size * 0.3).sum::<f32>() / n;
    }
    // Rows follow the header without interruption: the first label row must be a name,
    // the trainer or a slot (else this "header" was a key-value line such as "Date : …"),
    // and the grid ends at the first row that is none of these.
    let mut grid_rows: Vec<(String, RowKind, f32)> = Vec::new();
    for (spans, cy) in rows {
        let label = spans
            .iter()
            .map(|s| s.text.trim())
            .collect::<Vec<_>>()
            .join(" ");
        match spans
            .iter()
            .find_map(|s| row_kind(&s.text))
            .or_else(|| row_kind(&label))
        {
            Some(kind) => grid_rows.push((label, kind, cy)),
            None => break,
        }
    }
    let mut rows = grid_rows;
    if continued {
        // A letterhead read as a name ("Atelier Horizon Compétences") sits well above the
        // grid's first row: rows of a grid follow each other at one pitch.
        while rows.len() >= 3 {
            let gaps: Vec<f32> = rows.windows(2).map(|w| w[0].2 - w[1].2).collect();
            let mut rest = gaps[1..].to_vec();
            rest.sort_by(f32::total_cmp);
            if gaps[0] > 1.8 * rest[rest.len() / 2] {
                rows.remove(0);
            } else {
                break;
            }
        }
    }
    if rows.is_empty() {
        return None;
    }
    let row_gap = rows
        .windows(2)
        .map(|w| w[0].2 - w[1].2)
        .fold(f32::MAX, f32::min);
    let row_gap = if row_gap == f32::MAX {
        40.0
    } else {
        row_gap.max(12.0)
    };
    // 0: nothing, 1: uncertain ink, 2: signed.
    let mut filled = vec![vec![0u8; cols.len()]; rows.len()];
    // Scanned pages: the ink measured in each cell (stroke length, in letter heights).
    let mut ink = vec![vec![0f32; cols.len()]; rows.len()];
    let mut measured_page = false;
    let mut placed: Vec<(usize, usize, String)> = Vec::new();
    for img in &page.images {
        let Some(Anchor::Page { rect }) = &img.anchor else {
            continue;
        };
        if is_logo_like(img, page) {
            continue;
        }
        let mark = if is_uncertain_ink(img) { 1 } else { 2 };
        let cx = rect.x + rect.width / 2.0;
        let cy = rect.y + rect.height / 2.0;
        let col = cols
            .iter()
            .enumerate()
            .min_by(|a, b| (a.1.0 - cx).abs().total_cmp(&(b.1.0 - cx).abs()))
            .filter(|(_, c)| (c.0 - cx).abs() < spacing * 0.6)
            .map(|(i, _)| i);
        let row = rows
            .iter()
            .enumerate()
            .min_by(|a, b| (a.1.2 - cy).abs().total_cmp(&(b.1.2 - cy).abs()))
            .filter(|(_, r)| (r.2 - cy).abs() < row_gap * 0.6)
            .map(|(i, _)| i);
        let measure = crate::ocr::ink_measure(img);
        measured_page |= measure.is_some();
        if let (Some(r), Some(c)) = (row, col) {
            filled[r][c] = filled[r][c].max(mark);
            ink[r][c] += measure.unwrap_or(0.0);
            if let Some(id) = image_identity(img, page.number, Format::Pdf) {
                placed.push((r, c, id));
            }
        }
    }
    let mut g = Grid {
        expected: 0,
        found: 0,
        rows: rows.iter().filter(|r| r.1 == RowKind::Trainee).count(),
        slots: cols.len(),
        trainer_cells: 0,
        cells: Vec::new(),
        page: Some(page.number),
        method: "attendance_grid_layout",
        ink_notes: Vec::new(),
        images: Vec::new(),
    };
    let cell_text = |cy: f32, cx: f32| -> String {
        spans
            .iter()
            .filter(|s| {
                (s.y + s.font_size * 0.3 - cy).abs() < row_gap * 0.45
                    && (center_x(s) - cx).abs() < spacing * 0.5
            })
            .map(|s| s.text.trim())
            .collect::<Vec<_>>()
            .join(" ")
    };
    // A scanned page: each cell is judged against the page's own cells (ink_judgement).
    // Words that OCR read inside a signature cell are handwriting shaped like print
    // (initials, a name in block letters): they count as ink, about the stroke length of
    // their letters.
    if measured_page {
        for (ri, row) in ink.iter_mut().enumerate() {
            for (ci, m) in row.iter_mut().enumerate() {
                let text = cell_text(rows[ri].2, cols[ci].0);
                if !ABSENT.is_match(&text) {
                    *m += LETTER_INK * text.chars().filter(|c| c.is_alphanumeric()).count() as f32;
                }
            }
        }
    }
    let judged = measured_page.then(|| {
        ink_judgement(&rows, cols, &ink, |ri, ci| {
            ABSENT.is_match(&cell_text(rows[ri].2, cols[ci].0))
        })
    });
    for (ri, (label, kind, cy)) in rows.iter().enumerate() {
        for (ci, (cx, slot, _)) in cols.iter().enumerate() {
            let text = cell_text(*cy, *cx);
            let col_is_trainer = is_trainer_row(&normalize_line(slot));
            let cell = match &judged {
                Some(j) => match j.decisions[ri][ci] {
                    crate::ocr::ink::CellInk::Signed => CellMark::Signed,
                    crate::ocr::ink::CellInk::Uncertain => CellMark::Uncertain,
                    crate::ocr::ink::CellInk::Empty => CellMark::None,
                },
                None => match filled[ri][ci] {
                    2 => CellMark::Signed,
                    1 => CellMark::Uncertain,
                    _ => CellMark::None,
                },
            };
            count_cell(&mut g, *kind, col_is_trainer, cell, &text, label, slot);
        }
    }
    if let Some(j) = judged {
        g.ink_notes.push(j.note(page.number));
    }
    for (r, c, id) in placed {
        let (label, kind, _) = &rows[r];
        g.images.push((id, cell_signer(*kind, label, &cols[c].1)));
    }
    Some(g)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cell, Extracted, FormField, SignatureValue};

    fn view_of(ex: &Extracted, format: Format) -> DocView<'_> {
        DocView::new("x", format, ex)
    }

    #[test]
    fn one_image_for_two_signers_is_reported_but_a_template_tick_in_every_cell_is_not() {
        let cells = |v: &[(&str, &str)]| {
            v.iter()
                .map(|(i, w)| (i.to_string(), w.to_string()))
                .collect::<Vec<_>>()
        };
        let copied = cells(&[
            ("X6", "Jean Dupont"),
            ("X6", "Marie Curie"),
            ("X9", "Marie Curie"),
            ("X6", "jean dupont"),
        ]);
        assert_eq!(
            shared_images(&copied),
            vec![(
                "X6".to_string(),
                vec!["Jean Dupont".to_string(), "Marie Curie".to_string()]
            )]
        );
        let tick = cells(&[
            ("Im1", "Jean Dupont"),
            ("Im1", "Marie Curie"),
            ("Im1", "Paul Girard"),
        ]);
        assert!(shared_images(&tick).is_empty());
        let own = cells(&[
            ("Im1", "Jean Dupont"),
            ("Im2", "Marie Curie"),
            ("Im1", "Jean Dupont"),
        ]);
        assert!(shared_images(&own).is_empty());
    }

    #[test]
    fn signed_pdf_field_is_signed_with_its_signer() {
        let ex = Extracted {
            pages: vec![Page {
                number: 1,
                text: "Convention".into(),
                ..Page::default()
            }],
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
        assert!(
            s.evidence[0].detail.contains("Claire Dubois"),
            "{:?}",
            s.evidence
        );
    }

    #[test]
    fn programme_is_not_applicable_and_typed_approval_is_not_a_signature() {
        let ex = Extracted {
            pages: vec![Page {
                number: 1,
                text: "Programme\nObjectifs".into(),
                ..Page::default()
            }],
            ..Extracted::default()
        };
        assert_eq!(
            analyse(&view_of(&ex, Format::Docx), Kind::Programme).status,
            SignatureStatus::NotApplicable
        );
        let ex = Extracted {
            pages: vec![Page {
                number: 1,
                text: "Convention\nPour le client\nLu et approuvé\nJean Martin".into(),
                ..Page::default()
            }],
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
                vec![
                    Cell::text("Nom et prénom"),
                    Cell::text("12/03/2025 Matin"),
                    Cell::text("12/03/2025 Après-midi"),
                ],
                vec![Cell::text("Jean Dupont"), Cell::text(""), Cell::text("")],
                vec![
                    Cell::text("Léa Martin"),
                    Cell::text(""),
                    Cell::text("Absent"),
                ],
                vec![
                    Cell::text("Signature du formateur"),
                    Cell::text(""),
                    Cell::text(""),
                ],
            ],
            ..Table::default()
        };
        let img = |row, col| ImageRef {
            name: "sig.png".into(),
            encoding: Some("png".into()),
            width_px: None,
            height_px: None,
            anchor: Some(Anchor::TableCell {
                table: 0,
                row,
                col,
                header: String::new(),
            }),
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
        // Léa's afternoon is marked absent: not expected.
        assert_eq!(s.expected, Some(5));
        assert_eq!(s.found, Some(5));
        assert_eq!(s.empty_cells.len(), 1);
        assert_eq!(s.empty_cells[0].state, "absent");
        assert_eq!(
            s.status,
            SignatureStatus::Signed,
            "an absence marked is justified"
        );
    }

    /// Regression (class: two-page scanned sheets whose second page repeats no header): the
    /// rows of page 2 are counted in page 1's columns; the letterhead above them is no row.
    #[test]
    fn scan_grid_continued_on_a_page_without_header() {
        let ink = |x: f32, y: f32| ink_at(x, y, 12.0, "ink");
        let page = |number: u32, header: bool, names: &[&str], signed: usize| {
            let mut spans = vec![span(40.0, 800.0, "Atelier Horizon Compétences")];
            if header {
                spans.push(span(40.0, 700.0, "Nom du stagiaire"));
                spans.push(span(230.0, 700.0, "9h00 - 12h30"));
                spans.push(span(380.0, 700.0, "13h30 - 17h00"));
            }
            let top = if header { 670.0 } else { 740.0 };
            let mut images = Vec::new();
            for (i, n) in names.iter().enumerate() {
                let y = top - 30.0 * i as f32;
                spans.push(span(40.0, y, n));
                for c in 0..2 {
                    if i * 2 + c < signed {
                        images.push(ink(260.0 + 155.0 * c as f32, y + 2.0));
                    }
                }
            }
            Page {
                number,
                text: "Feuille d'émargement".into(),
                spans,
                images,
                size: Some((595.0, 842.0)),
                scanned: true,
                ..Page::default()
            }
        };
        let ex = Extracted {
            pages: vec![
                page(1, true, &["Jean Dupont", "Léa Martin", "Karim Benali"], 6),
                page(2, false, &["Sophie Leroy", "Thomas Girard"], 3),
            ],
            ..Extracted::default()
        };
        let sig = analyse(&view_of(&ex, Format::Pdf), Kind::AttendanceSheet);
        assert_eq!(
            (sig.found, sig.expected),
            (Some(9), Some(10)),
            "{:?}",
            sig.evidence
        );
        // Without page 1, page 2 alone is no grid.
        let alone = Extracted {
            pages: vec![page(1, false, &["Sophie Leroy", "Thomas Girard"], 3)],
            ..Extracted::default()
        };
        let sig = analyse(&view_of(&alone, Format::Pdf), Kind::AttendanceSheet);
        assert_eq!(sig.expected, None, "{:?}", sig.evidence);
    }

    /// Regression (class: a scanned slot heading that lost its end): beside slots headed by
    /// their hours, a heading read as one clock time ("1:30" for "1:30 – 5:00") is a slot too.
    #[test]
    fn scan_grid_slot_heading_read_as_a_lone_clock_time() {
        let mut spans = vec![
            span(40.0, 700.0, "Participant"),
            span(200.0, 700.0, "9:00 – 12:30"),
            span(300.0, 700.0, "1:30 – 5:00"),
            span(400.0, 700.0, "9:00 – 12:30"),
            span(510.0, 700.0, "1:30"),
        ];
        let mut images = Vec::new();
        for (i, n) in ["Hannah Barnes", "Thomas Carter"].iter().enumerate() {
            let y = 670.0 - 30.0 * i as f32;
            spans.push(span(40.0, y, n));
            for x in [236.0, 333.0, 436.0, 522.0] {
                images.push(ink_at(x, y + 2.0, 12.0, "ink"));
            }
        }
        let ex = Extracted {
            pages: vec![Page {
                number: 1,
                text: "Sign-in sheet".into(),
                spans,
                images,
                size: Some((595.0, 842.0)),
                scanned: true,
                ..Page::default()
            }],
            ..Extracted::default()
        };
        let sig = analyse(&view_of(&ex, Format::Pdf), Kind::AttendanceSheet);
        assert_eq!(
            (sig.found, sig.expected),
            (Some(8), Some(8)),
            "{:?}",
            sig.evidence
        );
        assert!(!is_clock_time("1:30 – 5:00") && is_clock_time("13h30"));
    }

    /// Regression (class: a phone photo of a sign-in sheet whose grid OCR did not find): the
    /// sheet was `unsigned` (a blocking false alarm) although every cell was signed; without a
    /// grid its signatures are `unknown`, with the reason. A born-digital sheet without a grid
    /// keeps its verdict.
    #[test]
    fn scan_sheet_whose_grid_was_not_read_is_unknown_not_unsigned() {
        let page = |scanned: bool| Page {
            number: 1,
            text: "Feuille d'émargement\nGestion du temps".into(),
            spans: vec![
                span(40.0, 760.0, "Feuille d'émargement"),
                span(40.0, 740.0, "Gestion du temps"),
            ],
            images: vec![ink_at(300.0, 500.0, 2.5, "ink-uncertain")],
            size: Some((595.0, 842.0)),
            scanned,
            ..Page::default()
        };
        let photo = Extracted {
            pages: vec![page(true)],
            ..Extracted::default()
        };
        let sig = analyse(&view_of(&photo, Format::Image), Kind::AttendanceSheet);
        assert_eq!(sig.status, SignatureStatus::Unknown, "{:?}", sig.evidence);
        assert!(
            sig.evidence
                .iter()
                .any(|e| e.method == "scanned_grid_not_read"),
            "{:?}",
            sig.evidence
        );
        let born = Extracted {
            pages: vec![page(false)],
            ..Extracted::default()
        };
        let sig = analyse(&view_of(&born, Format::Pdf), Kind::AttendanceSheet);
        assert_eq!(sig.status, SignatureStatus::Unsigned, "{:?}", sig.evidence);
    }

    /// An OCR text span of a scanned page (10 pt, 6 pt per character).
    fn span(x: f32, y: f32, text: &str) -> TextSpan {
        TextSpan {
            x,
            y,
            width: 6.0 * text.len() as f32,
            font_size: 10.0,
            text: text.into(),
        }
    }

    /// An ink placement centred at (x, y), named with its stroke length `m`.
    fn ink_at(x: f32, y: f32, m: f32, enc: &str) -> ImageRef {
        ImageRef {
            name: format!("{}{m:.2}", crate::ocr::INK_NAME_PREFIX),
            encoding: Some(enc.into()),
            width_px: Some(40),
            height_px: Some(20),
            anchor: Some(Anchor::Page {
                rect: crate::model::Rect {
                    x: x - 15.0,
                    y: y - 5.0,
                    width: 30.0,
                    height: 12.0,
                },
            }),
        }
    }

    /// A scanned grid (OCR spans, ink placements named with their stroke length): each cell is
    /// judged against the page's own cells, faint initials count, residue does not, and the
    /// evidence carries the page's levels and the measure of the cells not counted.
    #[test]
    fn scan_grid_cells_are_judged_against_the_page() {
        let mut spans = vec![
            span(40.0, 700.0, "Nom et prénom"),
            span(230.0, 700.0, "Matin"),
            span(380.0, 700.0, "Après-midi"),
        ];
        let names = [
            "Jean Dupont",
            "Léa Martin",
            "Karim Benali",
            "Sophie Leroy",
            "Thomas Girard",
        ];
        for (i, n) in names.iter().enumerate() {
            spans.push(span(40.0, 670.0 - 30.0 * i as f32, n));
        }
        let ink = ink_at;
        // (row, column, measure, encoding): faint initials judged "uncertain" by size alone
        // are signed here, being far above this page's empty cells.
        let marks = [
            (0, 0, 14.0, "ink"),
            (0, 1, 9.0, "ink"),
            (1, 0, 5.5, "ink-uncertain"),
            (1, 1, 0.3, "ink-trace"),
            (2, 0, 11.0, "ink"),
            (3, 0, 7.0, "ink"),
            (3, 1, 12.0, "ink"),
            (4, 1, 0.2, "ink-trace"),
        ];
        let images = marks
            .iter()
            .map(|&(r, c, m, e)| ink(245.0 + 165.0 * c as f32, 672.0 - 30.0 * r as f32, m, e))
            .collect();
        let ex = Extracted {
            pages: vec![Page {
                number: 1,
                text: "Feuille d'émargement".into(),
                spans,
                images,
                size: Some((595.0, 842.0)),
                scanned: true,
                ..Page::default()
            }],
            ..Extracted::default()
        };
        let sig = analyse(&view_of(&ex, Format::Pdf), Kind::AttendanceSheet);
        assert_eq!(
            (sig.found, sig.expected),
            (Some(6), Some(10)),
            "{:?}",
            sig.evidence
        );
        assert!(
            sig.empty_cells.iter().all(|c| c.state == "empty"),
            "{:?}",
            sig.empty_cells
        );
        let e = sig
            .evidence
            .iter()
            .find(|e| e.method == "scan_cell_ink")
            .expect("scan_cell_ink evidence");
        assert!(e.detail.contains("empty-cell level"), "{}", e.detail);
        assert!(
            e.detail
                .contains("Léa Martin × Après-midi: ink 0.30 → empty"),
            "{}",
            e.detail
        );
    }
}
