//! Spreadsheets (.xlsx, .xlsb, .xls, .ods) → one [`Page`] per sheet, with the used range as a
//! typed [`Table`], merged regions, and the images anchored to cells (scanned signatures pasted
//! into attendance sheets).
//!
//! Owns: reading workbooks with calamine (cells, merged regions for xlsx/xls, document
//! properties), normalising cell values across formats (Excel serials and ODF ISO strings become
//! the same `Date`/`DateTime`/`Time`), and its own small readers for what calamine does not give
//! without its `picture` feature (xlsx drawings, the ODS `content.xml` merges and frames). Before
//! handing a file to calamine it bounds what calamine would allocate (calamine builds dense
//! grids, and an .xls `DIMENSIONS` record or two far-apart cells can make it ask for terabytes,
//! which aborts the process instead of panicking).
//!
//! Must not: enable calamine's `picture` feature (an `unreachable!()` on some .xls), evaluate
//! formulas (cached values only; none → empty cell), decode images (only their header is read
//! for the pixel size), or touch anything but `input.bytes`.

use super::xml::{IMAGE_HEADER_BYTES, image_dimensions, image_encoding};
use super::{Extractor, Input};
use crate::error::{Error, Result};
use crate::model::{
    Anchor, Cell, CellRange, CellValue, Extracted, Format, ImageRef, Metadata, Page, Table,
};
use calamine::{
    Data, DataRef, Dimensions, ExcelDateTime, ExcelDateTimeType, Ods, OdsError, Range, Reader,
    WorkbookProperties, Xls, XlsError, Xlsb, XlsbError, Xlsx, XlsxError,
};
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::io::{Cursor, Read};

/// A sheet whose used range (bounding box of non-empty cells) is larger is refused.
const MAX_SHEET_CELLS: u64 = 2_000_000;
/// Sum over the sheets of one workbook (calamine parses every .xls/.ods sheet at open).
const MAX_BOOK_CELLS: u64 = 5_000_000;
/// The largest grid an .xls `DIMENSIONS` record may declare (BIFF8's 65,536 × 256): calamine
/// reserves that many cells up front, and a damaged record asking for more aborts the process.
const MAX_XLS_DIMENSIONS: u64 = 65_536 * 256;
/// Merged regions kept per sheet, images kept per workbook.
const MAX_MERGED: usize = 100_000;
const MAX_IMAGES: usize = 10_000;
/// Cells between two time checks while streaming a sheet.
const CELLS_PER_TIME_CHECK: usize = 1 << 16;

pub struct SheetExtractor;

impl Extractor for SheetExtractor {
    fn name(&self) -> &'static str {
        "sheet-calamine"
    }
    fn version(&self) -> u32 {
        1
    }
    fn formats(&self) -> &'static [Format] {
        &[Format::Xlsx, Format::Xls, Format::Ods]
    }
    fn extract(&self, input: &Input) -> Result<Extracted> {
        if input.bytes.len() as u64 > input.limits.max_file_bytes {
            return Err(Error::too_large(format!(
                "workbook of {} bytes is over the {} byte limit",
                input.bytes.len(),
                input.limits.max_file_bytes
            )));
        }
        match sniff(input)? {
            Kind::Xlsx => read_xlsx(input),
            Kind::Xlsb => read_xlsb(input),
            Kind::Ods => read_ods(input),
            Kind::Xls => read_xls(input),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Format sniffing (from the content, never the name)

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Xlsx,
    Xlsb,
    Ods,
    Xls,
}

type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

fn sniff(input: &Input) -> Result<Kind> {
    let b = input.bytes;
    if b.starts_with(b"PK\x03\x04") || b.starts_with(b"PK\x05\x06") {
        let mut zip = open_zip(input)?;
        if zip_has(&zip, "xl/workbook.xml") {
            return Ok(Kind::Xlsx);
        }
        if zip_has(&zip, "xl/workbook.bin") {
            return Ok(Kind::Xlsb);
        }
        if zip_has(&zip, "mimetype") || zip_has(&zip, "content.xml") {
            if let Some(manifest) = read_part(&mut zip, "META-INF/manifest.xml", 1 << 20)?
                && find_bytes(&manifest, b"encryption-data").is_some()
            {
                return Err(Error::encrypted(
                    "password-protected OpenDocument spreadsheet",
                ));
            }
            return Ok(Kind::Ods);
        }
        // A workbook part under another name (`xl/workbook2.xml`...) is found through the
        // package relationships.
        if office_document_part(&mut zip)?.is_some_and(|p| p.ends_with(".xml")) {
            return Ok(Kind::Xlsx);
        }
        return Err(Error::corrupt(
            "ZIP container without a workbook (not a spreadsheet)",
        ));
    }
    if b.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Ok(Kind::Xls);
    }
    Err(Error::corrupt(
        "not a spreadsheet (neither a ZIP package nor an OLE compound file)",
    ))
}

/// Opens the ZIP package and refuses members whose declared size is over the limits (the zip
/// crate then enforces the declared sizes while inflating).
fn open_zip<'a>(input: &Input<'a>) -> Result<Zip<'a>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(input.bytes))
        .map_err(|e| Error::corrupt(format!("damaged ZIP container: {e}")))?;
    if zip.len() > input.limits.max_members {
        return Err(Error::too_large(format!(
            "package with {} members (limit {})",
            zip.len(),
            input.limits.max_members
        )));
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let member = zip
            .by_index_raw(i)
            .map_err(|e| Error::corrupt(format!("damaged ZIP member: {e}")))?;
        // Deflate cannot expand more than ~1032:1: a larger claim is a damaged directory.
        if member.size()
            > member
                .compressed_size()
                .saturating_mul(1100)
                .saturating_add(1 << 16)
        {
            return Err(Error::corrupt(format!(
                "damaged ZIP directory: part {} claims {} bytes from {} compressed bytes",
                String::from_utf8_lossy(member.name_raw()),
                member.size(),
                member.compressed_size()
            )));
        }
        if member.size() > input.limits.max_part_bytes {
            return Err(Error::too_large(format!(
                "part {} expands to {} bytes (limit {})",
                String::from_utf8_lossy(member.name_raw()),
                member.size(),
                input.limits.max_part_bytes
            )));
        }
        total = total.saturating_add(member.size());
    }
    if total > input.limits.max_expanded_bytes {
        return Err(Error::too_large(format!(
            "package expands to {total} bytes (limit {})",
            input.limits.max_expanded_bytes
        )));
    }
    Ok(zip)
}

fn zip_has(zip: &Zip, name: &str) -> bool {
    zip.index_for_name(name).is_some()
}

/// Reads a package part (exact name, else case-insensitive as OPC allows), at most `max` bytes.
/// `Ok(None)` when there is no such part.
fn read_part(zip: &mut Zip, name: &str, max: u64) -> Result<Option<Vec<u8>>> {
    let found = zip.index_for_name(name).or_else(|| {
        zip.file_names_raw()
            .position(|n| n.eq_ignore_ascii_case(name.as_bytes()))
    });
    let Some(index) = found else {
        return Ok(None);
    };
    let file = zip
        .by_index(index)
        .map_err(|e| Error::corrupt(format!("cannot open part {name}: {e}")))?;
    let mut buf = Vec::new();
    file.take(max)
        .read_to_end(&mut buf)
        .map_err(|e| Error::corrupt(format!("cannot read part {name}: {e}")))?;
    Ok(Some(buf))
}

/// Reads an XML part as text (invalid UTF-8 replaced).
fn read_xml_part(zip: &mut Zip, name: &str, max: u64) -> Result<Option<String>> {
    Ok(
        read_part(zip, name, max)?.map(|b| match String::from_utf8(b) {
            Ok(s) => s,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        }),
    )
}

// ---------------------------------------------------------------------------------------------
// Readers, one per container

/// Runs calamine code: a panic inside calamine (it indexes record bytes without bounds checks
/// in places, and overflows in debug builds) means a damaged file, reported as `corrupt`; a
/// panic anywhere else is ours and stays `internal`.
fn guarded<T>(what: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    match crate::panic_guard::catch(f) {
        Ok(result) => result,
        Err(panic) if panic.contains("/calamine-") => Err(Error::corrupt(format!(
            "damaged {what} (the spreadsheet reader stopped: {panic})"
        ))),
        Err(panic) => Err(Error::internal(format!(
            "sheet-calamine extractor crashed: {panic} (a bug in preuves; the run went on)"
        ))),
    }
}

/// An optional part of the job: its failure becomes a warning, except a timeout.
fn soft<T: Default>(r: Result<T>, what: &str, warnings: &mut Vec<String>) -> Result<T> {
    match r {
        Ok(v) => Ok(v),
        Err(e) if e.code == crate::error::ErrorCode::Timeout => Err(e),
        Err(e) => {
            warnings.push(format!("{what}: {}", e.message));
            Ok(T::default())
        }
    }
}

/// A workbook calamine opened but in which it found no sheet is damaged (the sheet list is
/// required).
fn non_empty(out: Extracted) -> Result<Extracted> {
    if out.pages.is_empty() {
        return Err(Error::corrupt("workbook without any sheet"));
    }
    Ok(out)
}

fn read_xlsx(input: &Input) -> Result<Extracted> {
    let mut out = Extracted::default();
    // Drawings first, with our own reader: a failure there costs the images, not the cells.
    let mut zip = open_zip(input)?;
    let parts = soft(
        xlsx_sheet_parts(&mut zip, input),
        "workbook structure not read",
        &mut out.warnings,
    )?;
    let mut images = soft(
        xlsx_images(&mut zip, &parts, input),
        "images not read",
        &mut out.warnings,
    )?;
    let mut book: Xlsx<_> = guarded(".xlsx workbook", || {
        calamine::open_workbook_from_rs(Cursor::new(input.bytes)).map_err(|e| xlsx_error(&e))
    })?;
    out.metadata = metadata(guarded("properties", || {
        Ok(book.workbook_properties().ok())
    })?);
    let names = book.sheet_names();
    let mut book_cells: u64 = 0;
    let mut failed = 0;
    for (index, name) in names.iter().enumerate() {
        input.check_time()?;
        let read = guarded(".xlsx sheet", || {
            let mut sparse = Sparse::default();
            let mut reader = match book.worksheet_cells_reader(name) {
                Ok(r) => r,
                Err(XlsxError::NotAWorksheet(_)) => return Ok(sparse), // a chart sheet
                Err(e) => return Err(xlsx_error(&e)),
            };
            while let Some(cell) = reader.next_cell().map_err(|e| xlsx_error(&e))? {
                let (row, col) = cell.get_position();
                sparse.push(row, col, convert_ref(cell.get_value()), input)?;
            }
            Ok(sparse)
        });
        let sparse = match read {
            Ok(s) => s,
            Err(e) if e.code == crate::error::ErrorCode::Corrupt => {
                failed += 1;
                out.warnings
                    .push(format!("sheet {name} could not be read: {}", e.message));
                Sparse::default()
            }
            Err(e) => return Err(e),
        };
        let own = parts
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, part)| xlsx_merged(&mut zip, part, input).ok());
        let merged = match own {
            Some(m) => m,
            None => guarded(".xlsx merged cells", || {
                Ok(match book.merge_cells_by_sheet_name(name) {
                    Ok(dims) => merged_ranges(&dims),
                    Err(XlsxError::NotAWorksheet(_)) => Vec::new(),
                    Err(e) => {
                        out.warnings
                            .push(format!("sheet {name}: merged cells not read: {e}"));
                        Vec::new()
                    }
                })
            })
            .unwrap_or_default(),
        };
        book_cells = add_book_cells(book_cells, sparse.area())?;
        let imgs = images.remove(name).unwrap_or_default();
        out.pages
            .push(build_page(index, name, sparse, merged, imgs));
    }
    if failed > 0 && failed == names.len() {
        return Err(Error::corrupt("no sheet of the workbook could be read"));
    }
    non_empty(out)
}

fn read_xlsb(input: &Input) -> Result<Extracted> {
    let mut out = Extracted::default();
    let mut book: Xlsb<_> = guarded(".xlsb workbook", || {
        calamine::open_workbook_from_rs(Cursor::new(input.bytes)).map_err(|e| match e {
            XlsbError::Password => Error::encrypted("password-protected workbook"),
            e => Error::corrupt(format!("unreadable .xlsb workbook: {e}")),
        })
    })?;
    out.metadata = metadata(guarded("properties", || {
        Ok(book.workbook_properties().ok())
    })?);
    let names = book.sheet_names();
    let mut book_cells: u64 = 0;
    for (index, name) in names.iter().enumerate() {
        input.check_time()?;
        let read = guarded(".xlsb sheet", || {
            let mut sparse = Sparse::default();
            let mut reader = book
                .worksheet_cells_reader(name)
                .map_err(|e| Error::corrupt(e.to_string()))?;
            while let Some(cell) = reader
                .next_cell()
                .map_err(|e| Error::corrupt(e.to_string()))?
            {
                let (row, col) = cell.get_position();
                sparse.push(row, col, convert_ref(cell.get_value()), input)?;
            }
            Ok(sparse)
        });
        let sparse = match read {
            Ok(s) => s,
            Err(e) if e.code == crate::error::ErrorCode::Corrupt => {
                out.warnings
                    .push(format!("sheet {name} could not be read: {}", e.message));
                Sparse::default()
            }
            Err(e) => return Err(e),
        };
        book_cells = add_book_cells(book_cells, sparse.area())?;
        // .xlsb: no merged cells or images (binary parts calamine does not expose).
        out.pages
            .push(build_page(index, name, sparse, Vec::new(), Vec::new()));
    }
    non_empty(out)
}

fn read_xls(input: &Input) -> Result<Extracted> {
    prescan_xls(input)?;
    let mut out = Extracted::default();
    // calamine parses every sheet and formula here.
    let mut book: Xls<_> = guarded(".xls workbook", || {
        calamine::open_workbook_from_rs(Cursor::new(input.bytes)).map_err(|e| match e {
            XlsError::Password => Error::encrypted("password-protected workbook"),
            e => Error::corrupt(format!("unreadable .xls workbook: {e}")),
        })
    })?;
    out.metadata = metadata(guarded("properties", || {
        Ok(book.workbook_properties().ok())
    })?);
    let names = book.sheet_names();
    for (index, name) in names.iter().enumerate() {
        input.check_time()?;
        let range = match book.worksheet_range(name) {
            Ok(r) => r,
            Err(e) => {
                out.warnings
                    .push(format!("sheet {name} could not be read: {e}"));
                Range::empty()
            }
        };
        let sparse = sparse_from_range(&range, input)?;
        drop(range);
        let merged = book
            .merge_cells_by_sheet_name(name)
            .map(|d| merged_ranges(&d))
            .unwrap_or_default();
        // Images in .xls live in Escher records without a cell anchor calamine exposes.
        out.pages
            .push(build_page(index, name, sparse, merged, Vec::new()));
    }
    non_empty(out)
}

fn read_ods(input: &Input) -> Result<Extracted> {
    let mut out = Extracted::default();
    // Our own pass over content.xml: merged cells, frames, and the bound on what calamine
    // will materialise.
    let (scan, mut zip) = {
        let mut zip = open_zip(input)?;
        let content = read_xml_part(&mut zip, "content.xml", input.limits.max_part_bytes)?
            .ok_or_else(|| Error::corrupt("OpenDocument package without content.xml"))?;
        (scan_ods(&content, input)?, zip)
    };
    // calamine parses every sheet here.
    let mut book: Ods<_> = guarded(".ods spreadsheet", || {
        calamine::open_workbook_from_rs(Cursor::new(input.bytes)).map_err(|e| match e {
            OdsError::Password => Error::encrypted("password-protected spreadsheet"),
            OdsError::CellLimitExceeded { requested, .. } => {
                Error::too_large(format!("spreadsheet with {requested} cells"))
            }
            e => Error::corrupt(format!("unreadable .ods spreadsheet: {e}")),
        })
    })?;
    out.metadata = metadata(guarded("properties", || {
        Ok(book.workbook_properties().ok())
    })?);
    let names = book.sheet_names();
    let mut extras: HashMap<&str, &OdsSheet> = HashMap::new();
    for s in &scan.sheets {
        extras.entry(s.name.as_str()).or_insert(s);
    }
    let mut image_budget = MAX_IMAGES;
    for (index, name) in names.iter().enumerate() {
        input.check_time()?;
        let range = match book.worksheet_range(name) {
            Ok(r) => r,
            Err(e) => {
                out.warnings
                    .push(format!("sheet {name} could not be read: {e}"));
                Range::empty()
            }
        };
        let sparse = sparse_from_range(&range, input)?;
        drop(range);
        let (merged, images) = match extras.get(name.as_str()) {
            Some(s) => {
                let mut images = Vec::new();
                for (anchor, href) in s.frames.iter().take(image_budget) {
                    images.push(image_ref(&mut zip, href, anchor.clone(), input));
                }
                image_budget = image_budget.saturating_sub(images.len());
                (s.merged.clone(), images)
            }
            None => (Vec::new(), Vec::new()),
        };
        out.pages
            .push(build_page(index, name, sparse, merged, images));
    }
    non_empty(out)
}

fn xlsx_error(e: &XlsxError) -> Error {
    match e {
        XlsxError::Password => Error::encrypted("password-protected workbook"),
        e => Error::corrupt(format!("unreadable .xlsx workbook: {e}")),
    }
}

fn add_book_cells(sum: u64, area: u64) -> Result<u64> {
    let sum = sum.saturating_add(area);
    if sum > MAX_BOOK_CELLS {
        return Err(Error::too_large(format!(
            "workbook whose sheets span more than {MAX_BOOK_CELLS} cells"
        )));
    }
    Ok(sum)
}

fn merged_ranges(dims: &[Dimensions]) -> Vec<CellRange> {
    dims.iter()
        .take(MAX_MERGED)
        .map(|d| CellRange {
            first_row: d.start.0,
            first_col: d.start.1,
            last_row: d.end.0,
            last_col: d.end.1,
        })
        .collect()
}

fn metadata(props: Option<WorkbookProperties>) -> Metadata {
    let mut m = Metadata::default();
    let Some(p) = props else {
        return m;
    };
    let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    m.title = clean(p.title);
    m.subject = clean(p.subject);
    // `dc:creator` is the person (what PDFs call Author); the application is the creator tool.
    m.author = clean(p.creator);
    m.creator = clean(p.application);
    m.created = clean(p.created);
    m.modified = clean(p.modified);
    if let Some(v) = clean(p.last_modified_by) {
        m.other.insert("last_modified_by".into(), v);
    }
    if let Some(v) = clean(p.company) {
        m.other.insert("company".into(), v);
    }
    m
}

// ---------------------------------------------------------------------------------------------
// Cells → grid → page

/// The non-empty cells of one sheet, with their bounding box, refused once the box is absurd.
#[derive(Default)]
struct Sparse {
    cells: Vec<(u32, u32, Cell)>,
    /// (first_row, first_col, last_row, last_col) once a cell was pushed.
    bounds: Option<(u32, u32, u32, u32)>,
}

impl Sparse {
    fn push(&mut self, row: u32, col: u32, cell: Cell, input: &Input) -> Result<()> {
        if cell.is_empty() {
            return Ok(());
        }
        let b = match self.bounds {
            None => (row, col, row, col),
            Some((r0, c0, r1, c1)) => (r0.min(row), c0.min(col), r1.max(row), c1.max(col)),
        };
        let area = box_area(b);
        if area > MAX_SHEET_CELLS {
            return Err(Error::too_large(format!(
                "sheet whose used range spans {area} cells (limit {MAX_SHEET_CELLS})"
            )));
        }
        self.bounds = Some(b);
        self.cells.push((row, col, cell));
        if self.cells.len().is_multiple_of(CELLS_PER_TIME_CHECK) {
            input.check_time()?;
        }
        Ok(())
    }

    fn area(&self) -> u64 {
        self.bounds.map(box_area).unwrap_or(0)
    }
}

fn box_area((r0, c0, r1, c1): (u32, u32, u32, u32)) -> u64 {
    (u64::from(r1.saturating_sub(r0)) + 1) * (u64::from(c1.saturating_sub(c0)) + 1)
}

fn sparse_from_range(range: &Range<Data>, input: &Input) -> Result<Sparse> {
    let mut sparse = Sparse::default();
    let Some((r0, c0)) = range.start() else {
        return Ok(sparse);
    };
    for (r, c, value) in range.used_cells() {
        let (Ok(r), Ok(c)) = (u32::try_from(r), u32::try_from(c)) else {
            continue;
        };
        sparse.push(
            r0.saturating_add(r),
            c0.saturating_add(c),
            convert(value),
            input,
        )?;
    }
    Ok(sparse)
}

fn build_page(
    index: usize,
    name: &str,
    sparse: Sparse,
    merged: Vec<CellRange>,
    images: Vec<ImageRef>,
) -> Page {
    let mut page = Page {
        number: u32::try_from(index)
            .unwrap_or(u32::MAX - 1)
            .saturating_add(1),
        label: Some(name.to_string()),
        images,
        ..Page::default()
    };
    let Some((r0, c0, r1, c1)) = sparse.bounds else {
        if !merged.is_empty() {
            page.tables.push(Table {
                rows: Vec::new(),
                merged,
                origin: (0, 0),
            });
        }
        return page;
    };
    // Bounded by MAX_SHEET_CELLS through `Sparse::push`.
    let height = (r1 - r0) as usize + 1;
    let width = (c1 - c0) as usize + 1;
    let mut rows = vec![vec![Cell::default(); width]; height];
    for (r, c, cell) in sparse.cells {
        if let Some(slot) = rows
            .get_mut((r - r0) as usize)
            .and_then(|row| row.get_mut((c - c0) as usize))
        {
            *slot = cell;
        }
    }
    let mut text = String::new();
    for row in &rows {
        let Some(last) = row.iter().rposition(|c| !c.is_empty()) else {
            continue;
        };
        for (i, cell) in row.iter().take(last + 1).enumerate() {
            if i > 0 {
                text.push('\t');
            }
            push_one_line(&mut text, &cell.text);
        }
        text.push('\n');
    }
    page.text = text;
    page.tables.push(Table {
        rows,
        merged,
        origin: (r0, c0),
    });
    page
}

/// Appends a cell's text with its own line breaks and tabs turned into spaces, so that the
/// page text keeps one line per row and one tab between cells.
fn push_one_line(out: &mut String, s: &str) {
    let s = s.trim();
    if !s.contains(['\n', '\r', '\t']) {
        out.push_str(s);
        return;
    }
    let mut space = false;
    for ch in s.chars() {
        if matches!(ch, '\n' | '\r' | '\t') {
            if !space {
                out.push(' ');
                space = true;
            }
        } else {
            out.push(ch);
            space = false;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Cell values

fn int_cell(i: i64) -> Cell {
    Cell {
        text: i.to_string(),
        value: CellValue::Number(i as f64),
    }
}

fn error_cell(e: &impl std::fmt::Display) -> Cell {
    let t = e.to_string();
    Cell {
        text: t.clone(),
        value: CellValue::Error(t),
    }
}

/// Both calamine cell types (`Data` from ranges, `DataRef` from the streaming reader) map the
/// same way.
fn convert(v: &Data) -> Cell {
    match v {
        Data::Empty => Cell::default(),
        Data::String(s) => Cell::text(s.as_str()),
        Data::Int(i) => int_cell(*i),
        Data::Float(f) => number_cell(*f),
        Data::Bool(b) => bool_cell(*b),
        Data::DateTime(d) => excel_datetime_cell(d),
        Data::DateTimeIso(s) => iso_datetime_cell(s),
        Data::DurationIso(s) => iso_duration_cell(s),
        Data::Error(e) => error_cell(e),
    }
}

fn convert_ref(v: &DataRef) -> Cell {
    match v {
        DataRef::Empty => Cell::default(),
        DataRef::String(s) => Cell::text(s.as_str()),
        DataRef::SharedString(s) => Cell::text(*s),
        DataRef::Int(i) => int_cell(*i),
        DataRef::Float(f) => number_cell(*f),
        DataRef::Bool(b) => bool_cell(*b),
        DataRef::DateTime(d) => excel_datetime_cell(d),
        DataRef::DateTimeIso(s) => iso_datetime_cell(s),
        DataRef::DurationIso(s) => iso_duration_cell(s),
        DataRef::Error(e) => error_cell(e),
    }
}

fn bool_cell(b: bool) -> Cell {
    // As a French spreadsheet shows it.
    let text = if b { "VRAI" } else { "FAUX" };
    Cell {
        text: text.into(),
        value: CellValue::Bool(b),
    }
}

fn number_cell(f: f64) -> Cell {
    Cell {
        text: number_text(f),
        value: CellValue::Number(f),
    }
}

/// `1250`, `3.5`, `0.3` (binary noise such as `0.30000000000000004` rounded away).
fn number_text(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    if f.abs() >= 1e15 || f.abs() < 1e-6 {
        return f.to_string();
    }
    let s = format!("{f:.10}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// A calamine Excel date/time (the serial as stored) → a cell.
fn excel_datetime_cell(d: &ExcelDateTime) -> Cell {
    let serial = d.as_f64();
    let kind = if d.is_duration() {
        ExcelDateTimeType::TimeDelta
    } else {
        ExcelDateTimeType::DateTime
    };
    // calamine keeps the workbook's epoch private; equality with a 1900-based value tells.
    let is_1904 = *d != ExcelDateTime::new(serial, kind, false);
    let converted = if d.is_duration() {
        duration_cell(serial * 86_400.0)
    } else {
        serial_cell(serial, is_1904)
    };
    converted.unwrap_or_else(|| number_cell(serial))
}

/// An Excel serial (days since 1899-12-30, or 1904-01-01) → `Date`, `DateTime`, or `Time` for
/// a serial below 1 (a time of day). `None` for values outside Excel's range.
fn serial_cell(serial: f64, is_1904: bool) -> Option<Cell> {
    if !serial.is_finite() || !(0.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let mut days = serial.floor() as i64;
    let mut secs = ((serial - serial.floor()) * 86_400.0).round() as i64;
    if secs >= 86_400 {
        days += 1;
        secs -= 86_400;
    }
    if serial < 1.0 && days == 0 {
        return Some(time_cell(secs));
    }
    let date = serial_date(days, is_1904)?;
    Some(civil_cell(date, (secs > 0).then_some(secs)))
}

/// Whole days of a serial → a date. In the 1900 system Excel counts a 29 February 1900 that did
/// not exist (serial 60): serials 1–59 are one day later than the 1899-12-30 epoch gives.
fn serial_date(days: i64, is_1904: bool) -> Option<jiff::civil::Date> {
    let (epoch, days) = if is_1904 {
        (jiff::civil::date(1904, 1, 1), days)
    } else if days < 61 {
        (jiff::civil::date(1899, 12, 31), days.min(59))
    } else {
        (jiff::civil::date(1899, 12, 30), days)
    };
    epoch
        .checked_add(jiff::Span::new().try_days(days).ok()?)
        .ok()
}

/// A date with an optional time of day (seconds since midnight) → `Date` or `DateTime`.
fn civil_cell(date: jiff::civil::Date, secs: Option<i64>) -> Cell {
    let (y, m, d) = (date.year(), date.month(), date.day());
    match secs {
        None => Cell {
            text: format!("{d:02}/{m:02}/{y:04}"),
            value: CellValue::Date(format!("{y:04}-{m:02}-{d:02}")),
        },
        Some(s) => {
            let (h, mi, se) = (s / 3600, s / 60 % 60, s % 60);
            Cell {
                text: format!("{d:02}/{m:02}/{y:04} {h:02}:{mi:02}:{se:02}"),
                value: CellValue::DateTime(format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{se:02}")),
            }
        }
    }
}

/// Seconds (a time of day, or a duration that may pass 24 h) → `Time`; the text drops the
/// seconds when they are zero (`09:00`).
fn time_cell(secs: i64) -> Cell {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let text = if s == 0 {
        format!("{h:02}:{m:02}")
    } else {
        format!("{h:02}:{m:02}:{s:02}")
    };
    Cell {
        text,
        value: CellValue::Time(format!("{h:02}:{m:02}:{s:02}")),
    }
}

fn duration_cell(secs: f64) -> Option<Cell> {
    if !secs.is_finite() || !(0.0..1e12).contains(&secs) {
        return None;
    }
    Some(time_cell(secs.round() as i64))
}

/// ODF `office:date-value`: `2025-03-10` or `2025-03-10T14:32:10[.123][Z|±hh:mm]`.
fn iso_datetime_cell(s: &str) -> Cell {
    parse_iso_datetime(s.trim()).unwrap_or_else(|| Cell::text(s))
}

fn parse_iso_datetime(s: &str) -> Option<Cell> {
    let (date_part, time_part) = match s.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let date: jiff::civil::Date = date_part.parse().ok()?;
    let Some(t) = time_part else {
        return Some(civil_cell(date, None));
    };
    // Drop a zone designator: civil values only.
    let t = t.trim_end_matches('Z');
    let t = match t.rfind(['+', '-']) {
        Some(i) => &t[..i],
        None => t,
    };
    let time: jiff::civil::Time = t.parse().ok()?;
    let mut secs =
        i64::from(time.hour()) * 3600 + i64::from(time.minute()) * 60 + i64::from(time.second());
    if time.subsec_nanosecond() >= 500_000_000 {
        secs += 1;
    }
    if secs >= 86_400 {
        let next = date.tomorrow().ok()?;
        return Some(civil_cell(next, None));
    }
    Some(civil_cell(date, (secs > 0).then_some(secs)))
}

/// ODF `office:time-value`: `PT09H00M00S`, `PT35H30M`, `P1DT2H`, `PT0.5S`...
fn iso_duration_cell(s: &str) -> Cell {
    parse_iso_duration(s.trim())
        .and_then(duration_cell)
        .unwrap_or_else(|| Cell::text(s))
}

fn parse_iso_duration(s: &str) -> Option<f64> {
    let rest = s.strip_prefix('P')?;
    let mut total = 0.0f64;
    let mut number = String::new();
    let mut in_time = false;
    for ch in rest.chars() {
        match ch {
            'T' => in_time = true,
            '0'..='9' | '.' | ',' => number.push(if ch == ',' { '.' } else { ch }),
            unit => {
                let n: f64 = number.parse().ok()?;
                number.clear();
                total += n * match (unit, in_time) {
                    ('D', false) => 86_400.0,
                    ('W', false) => 7.0 * 86_400.0,
                    ('H', true) => 3_600.0,
                    ('M', true) => 60.0,
                    ('S', true) => 1.0,
                    _ => return None, // years and months have no fixed length
                };
            }
        }
    }
    number.is_empty().then_some(total)
}

// ---------------------------------------------------------------------------------------------
// XLSX drawings: sheet → drawing part → anchored pictures

/// One package relationship.
struct Rel {
    id: String,
    kind: String,
    target: String,
    external: bool,
}

fn parse_rels(xml: &str) -> Vec<Rel> {
    let mut rels = Vec::new();
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "Relationship" => {
                let id = attr(&e, "Id").unwrap_or_default();
                let kind = attr(&e, "Type").unwrap_or_default();
                let target = attr(&e, "Target").unwrap_or_default();
                let external =
                    attr(&e, "TargetMode").is_some_and(|m| m.eq_ignore_ascii_case("External"));
                rels.push(Rel {
                    id,
                    kind,
                    target,
                    external,
                });
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    rels
}

/// The value of the attribute whose local name is `local` (any prefix).
fn attr(e: &BytesStart, local: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == local).then(|| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.into_owned())
        })
    })
}

/// Like [`attr`] but only for a prefixed attribute (`r:id`, `r:embed`), whatever the prefix.
fn prefixed_attr(e: &BytesStart, local: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.prefix().is_some() && a.key.local_name().as_ref() == local).then(|| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.into_owned())
        })
    })
}

/// The relationships part of a package part: `xl/worksheets/sheet1.xml` →
/// `xl/worksheets/_rels/sheet1.xml.rels`.
fn rels_path(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// Resolves a relationship target against the part that holds the relationship.
fn resolve(source_part: &str, target: &str) -> String {
    let target = target.replace('\\', "/");
    let joined = if let Some(abs) = target.strip_prefix('/') {
        abs.to_string()
    } else {
        match source_part.rsplit_once('/') {
            Some((dir, _)) => format!("{dir}/{target}"),
            None => target,
        }
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// The main part named by `_rels/.rels` (`xl/workbook.xml` normally).
fn office_document_part(zip: &mut Zip) -> Result<Option<String>> {
    let Some(xml) = read_xml_part(zip, "_rels/.rels", 1 << 20)? else {
        return Ok(None);
    };
    Ok(parse_rels(&xml)
        .into_iter()
        .find(|r| r.kind.ends_with("/officeDocument") && !r.external)
        .map(|r| resolve("", &r.target)))
}

/// Sheet name → worksheet part (`xl/worksheets/sheet1.xml`), in workbook order, from the
/// workbook part and its relationships.
fn xlsx_sheet_parts(zip: &mut Zip, input: &Input) -> Result<Vec<(String, String)>> {
    let max = input.limits.max_part_bytes;
    let workbook = office_document_part(zip)?.unwrap_or_else(|| "xl/workbook.xml".to_string());
    let Some(wb_xml) = read_xml_part(zip, &workbook, max)? else {
        return Ok(Vec::new());
    };
    // Sheet name → relationship id.
    let mut sheets: Vec<(String, String)> = Vec::new();
    let mut reader = quick_xml::Reader::from_str(&wb_xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "sheet" => {
                if let (Some(name), Some(id)) = (attr(&e, "name"), prefixed_attr(&e, "id")) {
                    sheets.push((name, id));
                }
            }
            Ok(Event::Eof) => break,
            Err(e) => return Err(Error::corrupt(format!("{workbook}: {e}"))),
            _ => {}
        }
    }
    drop(wb_xml);
    let wb_rels = match read_xml_part(zip, &rels_path(&workbook), max)? {
        Some(x) => parse_rels(&x),
        None => return Ok(Vec::new()),
    };
    Ok(sheets
        .into_iter()
        .filter_map(|(name, id)| {
            let rel = wb_rels.iter().find(|r| r.id == id && !r.external)?;
            Some((name, resolve(&workbook, &rel.target)))
        })
        .collect())
}

/// The merged regions of a worksheet part. `<mergeCells>` follows `<sheetData>`, so only the
/// part's tail is parsed (calamine's own call re-parses every cell: 50 ms on 10,000 rows).
fn xlsx_merged(zip: &mut Zip, part: &str, input: &Input) -> Result<Vec<CellRange>> {
    let Some(xml) = read_part(zip, part, input.limits.max_part_bytes)? else {
        return Err(Error::corrupt(format!("missing worksheet part {part}")));
    };
    let tail = match rfind_bytes(&xml, b"sheetData>") {
        Some(i) => &xml[i..],
        None => &xml[..],
    };
    if find_bytes(tail, b"mergeCell").is_none() {
        return Ok(Vec::new());
    }
    let tail = String::from_utf8_lossy(tail);
    let mut out = Vec::new();
    let mut reader = quick_xml::Reader::from_str(&tail);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "mergeCell" => {
                if let Some(range) = attr(&e, "ref").and_then(|r| parse_a1_range(&r)) {
                    out.push(range);
                    if out.len() >= MAX_MERGED {
                        break;
                    }
                }
            }
            Ok(Event::Eof) => break,
            // The tail starts mid-document: unmatched end tags are expected.
            Err(_) => break,
            _ => {}
        }
    }
    Ok(out)
}

/// `B3:C3` (or a single `B3`) → 0-based range.
fn parse_a1_range(s: &str) -> Option<CellRange> {
    let (a, b) = s.split_once(':').unwrap_or((s, s));
    let (r0, c0) = parse_a1(a)?;
    let (r1, c1) = parse_a1(b)?;
    Some(CellRange {
        first_row: r0.min(r1),
        first_col: c0.min(c1),
        last_row: r0.max(r1),
        last_col: c0.max(c1),
    })
}

/// `XFD1048576` → (1048575, 16383); `$` markers allowed.
fn parse_a1(s: &str) -> Option<(u32, u32)> {
    let s = s.trim().replace('$', "");
    let digits = s.find(|c: char| c.is_ascii_digit())?;
    let (letters, number) = s.split_at(digits);
    if letters.is_empty() || letters.len() > 3 || !letters.chars().all(|c| c.is_ascii_alphabetic())
    {
        return None;
    }
    let col = letters.bytes().fold(0u32, |acc, c| {
        acc * 26 + u32::from(c.to_ascii_uppercase() - b'A') + 1
    });
    let row: u32 = number.parse().ok()?;
    ((1..=1_048_576).contains(&row) && col <= 16_384).then(|| (row - 1, col - 1))
}

fn rfind_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// Images anchored in each sheet's drawing, by sheet name.
fn xlsx_images(
    zip: &mut Zip,
    sheets: &[(String, String)],
    input: &Input,
) -> Result<HashMap<String, Vec<ImageRef>>> {
    let max = input.limits.max_part_bytes;
    let mut out: HashMap<String, Vec<ImageRef>> = HashMap::new();
    let mut budget = MAX_IMAGES;
    for (name, sheet_part) in sheets {
        input.check_time()?;
        let Some(sheet_rels) = read_xml_part(zip, &rels_path(sheet_part), max)? else {
            continue;
        };
        for drawing in parse_rels(&sheet_rels)
            .into_iter()
            .filter(|r| r.kind.ends_with("/drawing") && !r.external)
        {
            let drawing_part = resolve(sheet_part, &drawing.target);
            let Some(xml) = read_xml_part(zip, &drawing_part, max)? else {
                continue;
            };
            let anchors = drawing_blips(&xml);
            if anchors.is_empty() {
                continue;
            }
            let rels = match read_xml_part(zip, &rels_path(&drawing_part), max)? {
                Some(x) => parse_rels(&x),
                None => continue,
            };
            for (embed, cell) in anchors {
                if budget == 0 {
                    break;
                }
                let Some(r) = rels.iter().find(|r| r.id == embed && !r.external) else {
                    continue;
                };
                let media = resolve(&drawing_part, &r.target);
                let anchor = cell.map(|(row, col)| Anchor::SheetCell { row, col });
                out.entry(name.clone())
                    .or_default()
                    .push(image_ref(zip, &media, anchor, input));
                budget -= 1;
            }
        }
    }
    Ok(out)
}

/// Every `a:blip r:embed` of a drawing part with the `from` cell of its anchor (none for an
/// `absoluteAnchor`).
fn drawing_blips(xml: &str) -> Vec<(String, Option<(u32, u32)>)> {
    #[derive(PartialEq)]
    enum In {
        Other,
        Col,
        Row,
    }
    let mut out = Vec::new();
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut in_from = false;
    let mut field = In::Other;
    let (mut row, mut col): (Option<u32>, Option<u32>) = (None, None);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => match e.local_name().as_ref() {
                "twoCellAnchor" | "oneCellAnchor" | "absoluteAnchor" => {
                    (row, col) = (None, None);
                    in_from = false;
                }
                "from" => in_from = true,
                "col" if in_from => field = In::Col,
                "row" if in_from => field = In::Row,
                "blip" => push_blip(&e, row, col, &mut out),
                _ => {}
            },
            Ok(Event::Empty(e)) if e.local_name().as_ref() == "blip" => {
                push_blip(&e, row, col, &mut out)
            }
            Ok(Event::Text(t)) if field != In::Other => {
                let v = t.trim().parse::<u32>().ok();
                if field == In::Col {
                    col = v;
                } else {
                    row = v;
                }
            }
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                "from" => in_from = false,
                "col" | "row" => field = In::Other,
                "twoCellAnchor" | "oneCellAnchor" | "absoluteAnchor" => (row, col) = (None, None),
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        if out.len() >= MAX_IMAGES {
            break;
        }
    }
    out
}

fn push_blip(
    e: &BytesStart,
    row: Option<u32>,
    col: Option<u32>,
    out: &mut Vec<(String, Option<(u32, u32)>)>,
) {
    if let Some(id) = prefixed_attr(e, "embed") {
        out.push((id, row.zip(col)));
    }
}

/// An image of the package: its kind and pixel size from its first bytes (header readers
/// shared with the other OOXML/ODF extractors in `xml`).
fn image_ref(zip: &mut Zip, path: &str, anchor: Option<Anchor>, input: &Input) -> ImageRef {
    let head = read_part(
        zip,
        path,
        IMAGE_HEADER_BYTES.min(input.limits.max_part_bytes),
    )
    .ok()
    .flatten()
    .unwrap_or_default();
    let size = image_dimensions(&head);
    ImageRef {
        name: path.to_string(),
        encoding: size
            .map(|s| s.2)
            .or_else(|| image_encoding(&head))
            .map(str::to_string),
        width_px: size.map(|s| s.0),
        height_px: size.map(|s| s.1),
        anchor,
    }
}

// ---------------------------------------------------------------------------------------------
// ODS content.xml: merged cells, frames anchored in cells, and calamine's allocation bound

#[derive(Debug, Default)]
struct OdsSheet {
    name: String,
    merged: Vec<CellRange>,
    /// (anchor cell, `xlink:href` of the picture) for each frame; no cell for page-anchored
    /// shapes.
    frames: Vec<(Option<Anchor>, String)>,
}

#[derive(Debug, Default)]
struct OdsScan {
    sheets: Vec<OdsSheet>,
}

/// calamine's ODS limits (rows and columns a repeat is capped to).
const ODS_MAX_ROWS: u64 = 1_048_576;
const ODS_MAX_COLS: u64 = 16_384;
/// `text:s text:c` spaces over a whole document.
const MAX_ODS_SPACES: u64 = 16 * 1024 * 1024;

/// One pass over `content.xml`. Errors with `too_large` when calamine would materialise more
/// than our limits (it stores each row element up to its last non-empty cell, then expands the
/// used range with its repeats).
fn scan_ods(xml: &str, input: &Input) -> Result<OdsScan> {
    let mut scan = OdsScan::default();
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut table_depth = 0u32;
    let mut sheet = OdsSheet::default();
    // Position and state inside the current top-level table.
    let mut row: u64 = 0;
    let mut row_rep: u64 = 1;
    let mut col: u64 = 0;
    let mut row_width: u64 = 0; // calamine's stored width of this row element
    let mut bounds: Option<(u64, u64, u64, u64)> = None;
    let mut raw_total: u64 = 0; // Σ stored row widths, all sheets
    let mut area_total: u64 = 0;
    // The open cell: (columns repeated, has a value).
    let mut cell: Option<(u64, bool)> = None;
    let mut spaces: u64 = 0;
    let mut frame_open = false;
    let mut frame_has_image = false;
    let mut events: usize = 0;
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| Error::corrupt(format!("content.xml: {e}")))?;
        events += 1;
        if events.is_multiple_of(CELLS_PER_TIME_CHECK * 4) {
            input.check_time()?;
        }
        let (e, empty) = match ev {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                match e.name().as_ref() {
                    "table:table" => {
                        table_depth = table_depth.saturating_sub(1);
                        if table_depth == 0 {
                            let area = bounds.map(|(r0, c0, r1, c1)| (r1 - r0 + 1) * (c1 - c0 + 1));
                            check_ods_area(area.unwrap_or(0), &mut area_total)?;
                            scan.sheets.push(std::mem::take(&mut sheet));
                            bounds = None;
                        }
                    }
                    "table:table-row" if table_depth == 1 => {
                        raw_total = raw_total.saturating_add(row_width);
                        if raw_total > MAX_BOOK_CELLS {
                            return Err(ods_too_large(raw_total));
                        }
                        row = row.saturating_add(row_rep).min(ODS_MAX_ROWS);
                    }
                    "table:table-cell" | "table:covered-table-cell" if table_depth == 1 => {
                        if let Some((rep, has)) = cell.take() {
                            end_ods_cell(
                                rep,
                                has,
                                row,
                                row_rep,
                                &mut col,
                                &mut row_width,
                                &mut bounds,
                            );
                        }
                    }
                    "draw:frame" => frame_open = false,
                    _ => {}
                }
                continue;
            }
            // calamine 0.38 loops forever on a table cut short (`read_table` never sees its
            // end): such a content.xml is refused here, before calamine reads it.
            Event::Eof if table_depth > 0 => {
                return Err(Error::corrupt(
                    "content.xml ends inside a table (the file is cut short)",
                ));
            }
            Event::Eof => break,
            _ => continue,
        };
        match e.name().as_ref() {
            "table:table" => {
                if table_depth == 0 {
                    sheet = OdsSheet {
                        name: attr(&e, "name").unwrap_or_default(),
                        ..OdsSheet::default()
                    };
                    (row, col, row_width) = (0, 0, 0);
                    if empty {
                        scan.sheets.push(std::mem::take(&mut sheet));
                    }
                }
                if !empty {
                    table_depth += 1;
                }
            }
            "table:table-row" if table_depth == 1 => {
                let rep = ods_count(&e, "number-rows-repeated");
                if empty {
                    row = row.saturating_add(rep).min(ODS_MAX_ROWS);
                } else {
                    (row_rep, col, row_width) = (rep, 0, 0);
                }
            }
            "table:table-cell" | "table:covered-table-cell" if table_depth == 1 => {
                // One pass over the attributes (this runs for every cell of the file).
                let (mut rep, mut rs, mut cs, mut has_value) = (1, 1, 1, false);
                let mut attrs = e.attributes();
                attrs.with_checks(false);
                for a in attrs.flatten() {
                    let count = || {
                        a.value
                            .trim()
                            .parse::<u64>()
                            .ok()
                            .filter(|&n| n >= 1)
                            .unwrap_or(1)
                    };
                    match a.key.as_ref() {
                        "table:number-columns-repeated" => rep = count(),
                        "table:number-rows-spanned" => rs = count(),
                        "table:number-columns-spanned" => cs = count(),
                        // What calamine reads as a value: `office:*` value attributes or a
                        // formula.
                        k => has_value |= k.starts_with("office:") || k == "table:formula",
                    }
                }
                if (rs > 1 || cs > 1) && sheet.merged.len() < MAX_MERGED {
                    let clamp = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
                    sheet.merged.push(CellRange {
                        first_row: clamp(row),
                        first_col: clamp(col),
                        last_row: clamp(row.saturating_add(rs - 1)),
                        last_col: clamp(col.saturating_add(cs - 1)),
                    });
                }
                if empty {
                    end_ods_cell(
                        rep,
                        has_value,
                        row,
                        row_rep,
                        &mut col,
                        &mut row_width,
                        &mut bounds,
                    );
                } else {
                    cell = Some((rep, has_value));
                }
            }
            "text:s" => {
                // calamine expands `text:c` spaces into the cell string: bound the total.
                spaces = spaces.saturating_add(ods_count(&e, "c"));
                if spaces > MAX_ODS_SPACES {
                    return Err(Error::too_large(
                        "spreadsheet text with absurd runs of spaces",
                    ));
                }
            }
            "draw:frame" if table_depth >= 1 => {
                frame_open = !empty;
                frame_has_image = false;
            }
            "draw:image" if table_depth >= 1 && frame_open && !frame_has_image => {
                frame_has_image = true;
                if let Some(href) = attr(&e, "href")
                    && !href.contains("://")
                    && sheet.frames.len() < MAX_IMAGES
                {
                    let href = resolve("", href.trim_start_matches("./"));
                    let anchor = (table_depth == 1 && cell.is_some()).then(|| Anchor::SheetCell {
                        row: u32::try_from(row).unwrap_or(u32::MAX),
                        col: u32::try_from(col).unwrap_or(u32::MAX),
                    });
                    sheet.frames.push((anchor, href));
                }
            }
            _ => {}
        }
    }
    Ok(scan)
}

/// Closes one cell element: moves the column on and, when the cell holds a value, grows the
/// row's stored width and the sheet's used range.
fn end_ods_cell(
    rep: u64,
    has_value: bool,
    row: u64,
    row_rep: u64,
    col: &mut u64,
    row_width: &mut u64,
    bounds: &mut Option<(u64, u64, u64, u64)>,
) {
    let start = *col;
    *col = col.saturating_add(rep).min(ODS_MAX_COLS);
    if has_value && start < ODS_MAX_COLS {
        let last_col = *col - 1;
        let last_row = row.saturating_add(row_rep - 1).min(ODS_MAX_ROWS - 1);
        *row_width = (*row_width).max(*col);
        *bounds = Some(match *bounds {
            None => (row, start, last_row, last_col),
            Some((r0, c0, r1, c1)) => (
                r0.min(row),
                c0.min(start),
                r1.max(last_row),
                c1.max(last_col),
            ),
        });
    }
}

fn check_ods_area(area: u64, total: &mut u64) -> Result<()> {
    if area > MAX_SHEET_CELLS {
        return Err(Error::too_large(format!(
            "sheet whose used range spans {area} cells (limit {MAX_SHEET_CELLS})"
        )));
    }
    *total = total.saturating_add(area);
    if *total > MAX_BOOK_CELLS {
        return Err(ods_too_large(*total));
    }
    Ok(())
}

fn ods_too_large(cells: u64) -> Error {
    Error::too_large(format!(
        "spreadsheet whose sheets span more than {cells} cells (limit {MAX_BOOK_CELLS})"
    ))
}

/// A positive repeat/span count attribute (1 when absent or invalid).
fn ods_count(e: &BytesStart, local: &str) -> u64 {
    attr(e, local)
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|&n| n >= 1)
        .unwrap_or(1)
}

// ---------------------------------------------------------------------------------------------
// XLS pre-scan: mirror calamine's record walk to bound what it allocates

fn prescan_xls(input: &Input) -> Result<()> {
    let mut cf = cfb::CompoundFile::open(Cursor::new(input.bytes))
        .map_err(|e| Error::corrupt(format!("damaged OLE compound file: {e}")))?;
    let names: Vec<String> = cf
        .read_root_storage()
        .map(|e| e.name().to_string())
        .collect();
    let has = |n: &str| names.iter().any(|x| x.eq_ignore_ascii_case(n));
    if has("EncryptedPackage") || has("EncryptionInfo") {
        return Err(Error::encrypted(
            "password-protected Office document (encrypted package)",
        ));
    }
    let stream_name = if has("Workbook") {
        "Workbook"
    } else if has("Book") {
        "Book"
    } else {
        return Err(Error::corrupt(
            "OLE compound file without an Excel workbook stream",
        ));
    };
    let path = names
        .iter()
        .find(|x| x.eq_ignore_ascii_case(stream_name))
        .cloned()
        .unwrap_or_else(|| stream_name.to_string());
    let mut stream = cf
        .open_stream(format!("/{path}"))
        .map_err(|e| Error::corrupt(format!("cannot open the workbook stream: {e}")))?;
    if stream.len() > input.limits.max_part_bytes {
        return Err(Error::too_large(format!(
            "workbook stream of {} bytes (limit {})",
            stream.len(),
            input.limits.max_part_bytes
        )));
    }
    let mut data = Vec::new();
    (&mut stream)
        .take(input.limits.max_part_bytes)
        .read_to_end(&mut data)
        .map_err(|e| Error::corrupt(format!("cannot read the workbook stream: {e}")))?;
    check_biff(&data, input)
}

/// One BIFF record as calamine's `RecordIter` sees it (CONTINUE records folded in).
fn biff_records(stream: &[u8]) -> impl Iterator<Item = Result<(u16, &[u8])>> {
    let mut rest = stream;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let (Some(typ), Some(len)) = (le_u16(rest, 0), le_u16(rest, 2)) else {
            rest = &[];
            return Some(Err(Error::corrupt("truncated .xls record")));
        };
        let Some(data) = rest.get(4..4 + len as usize) else {
            rest = &[];
            return Some(Err(Error::corrupt("truncated .xls record")));
        };
        rest = &rest[4 + len as usize..];
        while le_u16(rest, 0) == Some(0x003C) {
            let Some(clen) = le_u16(rest, 2) else { break };
            if rest.len() < 4 + clen as usize {
                rest = &[];
                return Some(Err(Error::corrupt("truncated .xls CONTINUE record")));
            }
            rest = &rest[4 + clen as usize..];
        }
        Some(Ok((typ, data)))
    })
}

fn le_u16(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(i..i + 2)?.try_into().ok()?))
}

fn le_u32(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?))
}

/// Walks the globals (sheet positions, encryption) then each sheet substream from its
/// position, as calamine does, and refuses what would make it allocate absurdly.
fn check_biff(stream: &[u8], input: &Input) -> Result<()> {
    let mut positions = Vec::new();
    for record in biff_records(stream) {
        let (typ, data) = record?;
        match typ {
            0x002F => return Err(Error::encrypted("password-protected workbook (FilePass)")),
            0x0085 => {
                if data.len() < 6 {
                    return Err(Error::corrupt("damaged sheet record (BoundSheet)"));
                }
                positions.push(le_u32(data, 0).unwrap_or(0) as usize);
            }
            0x000A => break,
            _ => {}
        }
    }
    let mut book: u64 = 0;
    for pos in positions {
        input.check_time()?;
        let Some(sheet) = stream.get(pos..) else {
            return Err(Error::corrupt("sheet position outside the workbook stream"));
        };
        let mut seen_bof = false;
        let mut depth = 0usize;
        let mut bounds: Option<(u32, u32, u32, u32)> = None;
        let mut grow = |r: u32, c0: u32, c1: u32| {
            bounds = Some(match bounds {
                None => (r, c0, r, c1),
                Some((a, b, c, d)) => (a.min(r), b.min(c0), c.max(r), d.max(c1)),
            });
        };
        for record in biff_records(sheet) {
            let Ok((typ, data)) = record else { break };
            if depth > 0 {
                match typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let cell = || Some((u32::from(le_u16(data, 0)?), u32::from(le_u16(data, 2)?)));
            match typ {
                0x0809 if seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x000A => break,
                0x0200 => {
                    let declared = xls_dimensions_cells(data);
                    if declared > MAX_XLS_DIMENSIONS {
                        return Err(Error::corrupt(format!(
                            "damaged sheet: its DIMENSIONS record declares {declared} cells \
                             (an .xls sheet holds at most 65,536 × 256)"
                        )));
                    }
                }
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x0207 | 0x027E | 0x00FD | 0x0006 => {
                    if let Some((r, c)) = cell() {
                        grow(r, c, c);
                    }
                }
                0x00BD => {
                    if let (Some((r, first)), Some(last)) = (
                        cell(),
                        data.len().checked_sub(2).and_then(|i| le_u16(data, i)),
                    ) {
                        let last = u32::from(last);
                        if last < first {
                            return Err(Error::corrupt("damaged MULRK record"));
                        }
                        grow(r, first, last);
                    }
                }
                _ => {}
            }
        }
        let area = bounds.map(box_area).unwrap_or(0);
        if area > MAX_SHEET_CELLS {
            return Err(Error::too_large(format!(
                "sheet whose used range spans {area} cells (limit {MAX_SHEET_CELLS})"
            )));
        }
        book = add_book_cells(book, area)?;
    }
    Ok(())
}

/// The cell count calamine reserves for a DIMENSIONS record (same arithmetic, wrapping as a
/// release build would).
fn xls_dimensions_cells(r: &[u8]) -> u64 {
    let (rf, rl, mut cf, cl) = match r.len() {
        10 => (
            u32::from(le_u16(r, 0).unwrap_or(0)),
            u32::from(le_u16(r, 2).unwrap_or(0)),
            u32::from(le_u16(r, 4).unwrap_or(0)),
            u32::from(le_u16(r, 6).unwrap_or(0)),
        ),
        14 | 16 => (
            le_u32(r, 0).unwrap_or(0),
            le_u32(r, 4).unwrap_or(0),
            u32::from(le_u16(r, 8).unwrap_or(0)),
            u32::from(le_u16(r, 10).unwrap_or(0)),
        ),
        _ => return 0,
    };
    if 0xFF < cf || cl < cf {
        cf = 0;
    }
    let (start, end) = if rl >= 1 && cl >= 1 {
        ((rf, cf), (rl - 1, cl - 1))
    } else {
        ((rf, cf), (rf, cf))
    };
    let rows = u64::from(end.0.wrapping_sub(start.0).wrapping_add(1));
    let cols = u64::from(end.1.wrapping_sub(start.1).wrapping_add(1));
    if rows == 0 || cols == 0 {
        // Wrapped to 2^32: as absurd as it gets.
        return u64::MAX;
    }
    rows.saturating_mul(cols)
}

fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use crate::extract::Limits;
    use std::io::Write;
    use std::time::Instant;

    fn run(bytes: &[u8]) -> Result<Extracted> {
        let limits = Limits::default();
        let input = Input {
            bytes,
            name: "t",
            limits: &limits,
            depth: 0,
            started: Instant::now(),
        };
        crate::extract::extract_guarded(Format::Xlsx, &input)
    }

    fn code(r: Result<Extracted>) -> ErrorCode {
        match r {
            Ok(_) => panic!("expected an error"),
            Err(e) => e.code,
        }
    }

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/tests/data/sheets/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(path).expect("fixture")
    }

    fn serial(v: f64) -> Cell {
        serial_cell(v, false).expect("in range")
    }

    #[test]
    fn serial_to_date() {
        let c = serial(45728.0);
        assert_eq!(c.value, CellValue::Date("2025-03-12".into()));
        assert_eq!(c.text, "12/03/2025");
    }

    #[test]
    fn serial_below_one_is_a_time_of_day() {
        let c = serial(0.375);
        assert_eq!(c.value, CellValue::Time("09:00:00".into()));
        assert_eq!(c.text, "09:00");
        assert_eq!(serial(0.5 + 15.0 / 86_400.0).text, "12:00:15");
    }

    #[test]
    fn serial_with_fraction_is_a_datetime() {
        // 0.6057 day = 52,332.48 s → 14:32:12.
        let c = serial(45728.6057);
        assert_eq!(c.value, CellValue::DateTime("2025-03-12T14:32:12".into()));
        assert_eq!(c.text, "12/03/2025 14:32:12");
        // Rounding up to midnight moves to the next day.
        assert_eq!(
            serial(45_728.999_999_9).value,
            CellValue::Date("2025-03-13".into())
        );
    }

    #[test]
    fn serial_edges() {
        // Excel's phantom 29/02/1900 (serial 60): serials before it are one day later.
        assert_eq!(serial(1.0).value, CellValue::Date("1900-01-01".into()));
        assert_eq!(serial(59.0).value, CellValue::Date("1900-02-28".into()));
        assert_eq!(serial(61.0).value, CellValue::Date("1900-03-01".into()));
        assert!(serial_cell(-1.0, false).is_none());
        assert!(serial_cell(f64::NAN, false).is_none());
        assert!(serial_cell(3e6, false).is_none());
        // The 1904 system, as calamine flags it.
        let d = ExcelDateTime::new(44266.0, ExcelDateTimeType::DateTime, true);
        assert_eq!(
            excel_datetime_cell(&d).value,
            CellValue::Date("2025-03-12".into())
        );
        let d = ExcelDateTime::new(45728.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(
            excel_datetime_cell(&d).value,
            CellValue::Date("2025-03-12".into())
        );
        // A duration format (`[hh]:mm`) past 24 h.
        let d = ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false);
        assert_eq!(excel_datetime_cell(&d).text, "36:00");
    }

    #[test]
    fn odf_iso_values() {
        assert_eq!(
            iso_datetime_cell("2025-03-10").value,
            CellValue::Date("2025-03-10".into())
        );
        assert_eq!(iso_datetime_cell("2025-03-10").text, "10/03/2025");
        let c = iso_datetime_cell("2025-03-13T17:02:11");
        assert_eq!(c.value, CellValue::DateTime("2025-03-13T17:02:11".into()));
        assert_eq!(c.text, "13/03/2025 17:02:11");
        assert_eq!(
            iso_datetime_cell("2025-03-10T00:00:00").value,
            CellValue::Date("2025-03-10".into())
        );
        assert_eq!(
            iso_datetime_cell("2025-03-10T14:32:10.6Z").value,
            CellValue::DateTime("2025-03-10T14:32:11".into())
        );
        assert_eq!(
            iso_datetime_cell("2025-02-31").value,
            CellValue::Text("2025-02-31".into())
        );
        assert_eq!(
            iso_duration_cell("PT09H00M00S").value,
            CellValue::Time("09:00:00".into())
        );
        assert_eq!(iso_duration_cell("PT09H00M00S").text, "09:00");
        assert_eq!(iso_duration_cell("PT35H30M").text, "35:30");
        assert_eq!(iso_duration_cell("P1DT2H").text, "26:00");
        assert_eq!(iso_duration_cell("PT0.4S").text, "00:00");
        assert_eq!(
            iso_duration_cell("-PT1H").value,
            CellValue::Text("-PT1H".into())
        );
        assert_eq!(
            iso_duration_cell("P1Y").value,
            CellValue::Text("P1Y".into())
        );
    }

    #[test]
    fn numbers_as_people_read_them() {
        assert_eq!(number_text(1250.0), "1250");
        assert_eq!(number_text(3.5), "3.5");
        assert_eq!(number_text(0.1 + 0.2), "0.3");
        assert_eq!(number_text(-2.0), "-2");
        assert_eq!(number_text(-0.0), "0");
        assert_eq!(number_text(1e20), "100000000000000000000");
        assert_eq!(convert(&Data::Int(1250)).text, "1250");
        assert_eq!(convert(&Data::Bool(true)).text, "VRAI");
    }

    #[test]
    fn page_text_keeps_one_line_per_row() {
        let mut s = Sparse::default();
        let limits = Limits::default();
        let input = Input {
            bytes: b"",
            name: "t",
            limits: &limits,
            depth: 0,
            started: Instant::now(),
        };
        s.push(2, 1, Cell::text("Nom"), &input).unwrap();
        s.push(2, 3, Cell::text("deux\nlignes"), &input).unwrap();
        s.push(4, 2, Cell::text("x"), &input).unwrap();
        s.push(5, 5, Cell::text("   "), &input).unwrap(); // blank: not part of the range
        let page = build_page(0, "S", s, Vec::new(), Vec::new());
        assert_eq!(page.text, "Nom\t\tdeux lignes\n\tx\n");
        assert_eq!(page.tables[0].origin, (2, 1));
        assert_eq!(page.tables[0].rows.len(), 3);
        assert_eq!(page.tables[0].width(), 3);
    }

    #[test]
    fn truncated_xlsx_and_random_bytes_are_corrupt() {
        let xlsx = fixture("emargement_openpyxl.xlsx");
        assert_eq!(code(run(&xlsx[..xlsx.len() / 2])), ErrorCode::Corrupt);
        assert_eq!(code(run(&xlsx[..200])), ErrorCode::Corrupt);
        let noise: Vec<u8> = (0..5000u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        assert_eq!(code(run(&noise)), ErrorCode::Corrupt);
        let mut zipish = b"PK\x03\x04".to_vec();
        zipish.extend_from_slice(&noise);
        assert_eq!(code(run(&zipish)), ErrorCode::Corrupt);
        let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        ole.extend_from_slice(&noise);
        assert_eq!(code(run(&ole)), ErrorCode::Corrupt);
        assert_eq!(code(run(b"")), ErrorCode::Corrupt);
        let xls = fixture("emargement.xls");
        assert_eq!(code(run(&xls[..xls.len() / 2])), ErrorCode::Corrupt);
        let ods = fixture("emargement.ods");
        assert_eq!(code(run(&ods[..ods.len() - 100])), ErrorCode::Corrupt);
    }

    #[test]
    fn every_truncation_and_byte_flip_fails_cleanly() {
        // No panic (an `internal` error) and no abort on damaged copies of real files.
        for name in [
            "emargement_openpyxl.xlsx",
            "emargement.xls",
            "emargement.ods",
        ] {
            let bytes = fixture(name);
            for cut in (0..bytes.len()).step_by(bytes.len() / 40 + 1) {
                if let Err(e) = run(&bytes[..cut]) {
                    assert_ne!(e.code, ErrorCode::Internal, "{name} cut at {cut}: {e}");
                }
            }
            for i in (0..bytes.len()).step_by(97) {
                let mut b = bytes.clone();
                b[i] ^= 0x5A;
                if let Err(e) = run(&b) {
                    assert_ne!(e.code, ErrorCode::Internal, "{name} flip at {i}: {e}");
                }
            }
        }
    }

    #[test]
    fn absurd_xlsx_range_is_too_large_without_allocating_it() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "A1").unwrap();
        ws.write_string(1_048_575, 16_383, "XFD1048576").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let started = Instant::now();
        assert_eq!(code(run(&bytes)), ErrorCode::TooLarge);
        assert!(started.elapsed().as_secs() < 5);
    }

    #[test]
    fn excel_style_package_with_chartsheet_hidden_sheet_and_picture() {
        use rust_xlsxwriter as xw;
        // A PNG from a fixture.
        let fx = fixture("emargement_openpyxl.xlsx");
        let mut z = zip::ZipArchive::new(Cursor::new(&fx[..])).unwrap();
        let mut png = Vec::new();
        z.by_name("xl/media/image1.png")
            .unwrap()
            .read_to_end(&mut png)
            .unwrap();

        let mut wb = xw::Workbook::new();
        let date = xw::Format::new().set_num_format("dd/mm/yyyy");
        let stamp = xw::Format::new().set_num_format("dd/mm/yyyy hh:mm:ss");
        let ws = wb.add_worksheet().set_name("Présences & Co").unwrap();
        ws.merge_range(1, 1, 1, 4, "Feuille d'émargement", &xw::Format::new())
            .unwrap();
        ws.write_string(3, 1, "Date").unwrap();
        ws.write_datetime_with_format(
            3,
            2,
            xw::ExcelDateTime::from_ymd(2025, 3, 12).unwrap(),
            &date,
        )
        .unwrap();
        let at = xw::ExcelDateTime::parse_from_str("2025-03-12 14:32:10").unwrap();
        ws.write_datetime_with_format(4, 2, &at, &stamp).unwrap();
        ws.write_number(5, 2, 1250).unwrap();
        ws.insert_image(7, 3, &xw::Image::new_from_buffer(&png).unwrap())
            .unwrap();
        let mut chart = xw::Chart::new(xw::ChartType::Column);
        chart.add_series().set_values("='Présences & Co'!$C$6:$C$6");
        wb.add_chartsheet().insert_chart(0, 0, &chart).unwrap();
        wb.add_worksheet()
            .set_name("Caché")
            .unwrap()
            .set_hidden(true)
            .write_string(0, 0, "x")
            .unwrap();
        let bytes = wb.save_to_buffer().unwrap();

        let doc = run(&bytes).unwrap();
        assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
        let labels: Vec<_> = doc
            .pages
            .iter()
            .map(|p| p.label.as_deref().unwrap_or(""))
            .collect();
        assert_eq!(labels, ["Présences & Co", "Chart1", "Caché"]);
        let p = &doc.pages[0];
        let t = &p.tables[0];
        assert_eq!(t.origin, (1, 1));
        assert_eq!(
            t.merged,
            [CellRange {
                first_row: 1,
                first_col: 1,
                last_row: 1,
                last_col: 4
            }]
        );
        assert_eq!(t.rows[2][1].value, CellValue::Date("2025-03-12".into()));
        assert_eq!(
            t.rows[3][1].value,
            CellValue::DateTime("2025-03-12T14:32:10".into())
        );
        assert_eq!(t.rows[4][1].text, "1250");
        assert_eq!(p.images.len(), 1);
        assert_eq!(
            p.images[0].anchor,
            Some(Anchor::SheetCell { row: 7, col: 3 })
        );
        assert_eq!(
            (p.images[0].width_px, p.images[0].height_px),
            (Some(180), Some(60))
        );
        assert!(doc.pages[1].tables.is_empty() && doc.pages[1].text.is_empty());
        assert_eq!(doc.pages[2].text, "x\n");
    }

    /// Sets the last-row field of the first DIMENSIONS record of a real .xls (the record sits
    /// in one sector of the compound file, so the raw bytes can be patched in place).
    fn xls_with_dimensions(last_row: u32) -> Vec<u8> {
        let mut xls = fixture("emargement.xls");
        let at = find_bytes(&xls, &[0x00, 0x02, 0x0E, 0x00]).expect("DIMENSIONS record");
        xls[at + 8..at + 12].copy_from_slice(&last_row.to_le_bytes());
        xls
    }

    #[test]
    fn xls_declaring_absurd_dimensions_is_refused_before_calamine() {
        // calamine reserves rows × cols cells for this record: 1 TB, a process abort.
        let e = run(&xls_with_dimensions(u32::MAX)).unwrap_err();
        assert_eq!(e.code, ErrorCode::Corrupt);
        assert!(e.message.contains("DIMENSIONS"), "{e}");
        // A plausible declaration still reads.
        assert!(run(&xls_with_dimensions(65_536)).is_ok());
    }

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend_from_slice(&(data.len() as u16).to_le_bytes());
        r.extend_from_slice(data);
        r
    }

    fn number_record(row: u16, col: u16) -> Vec<u8> {
        let mut d = row.to_le_bytes().to_vec();
        d.extend_from_slice(&col.to_le_bytes());
        d.extend_from_slice(&[0; 10]);
        record(0x0203, &d)
    }

    /// A BIFF stream: globals with one BoundSheet, then one sheet substream.
    fn biff(globals_extra: &[u8], sheet: &[u8]) -> Vec<u8> {
        let bof = record(0x0809, &[0; 16]);
        let eof = record(0x000A, &[]);
        let globals_len = bof.len() + globals_extra.len() + 4 + 8 + eof.len();
        let mut bound = (globals_len as u32).to_le_bytes().to_vec();
        bound.extend_from_slice(&[0, 0, 1, 0]);
        let mut s = bof.clone();
        s.extend_from_slice(globals_extra);
        s.extend(record(0x0085, &bound));
        s.extend_from_slice(&eof);
        assert_eq!(s.len(), globals_len);
        s.extend_from_slice(&bof);
        s.extend_from_slice(sheet);
        s.extend_from_slice(&eof);
        s
    }

    #[test]
    fn biff_prescan() {
        let limits = Limits::default();
        let input = Input {
            bytes: b"",
            name: "t",
            limits: &limits,
            depth: 0,
            started: Instant::now(),
        };
        let mut cells = number_record(0, 0);
        cells.extend(number_record(10, 5));
        assert!(check_biff(&biff(&[], &cells), &input).is_ok());
        // Two cells far apart: calamine would fill a 65,536 × 256 grid.
        let mut far = number_record(0, 0);
        far.extend(number_record(65_535, 255));
        let e = check_biff(&biff(&[], &far), &input).unwrap_err();
        assert_eq!(e.code, ErrorCode::TooLarge);
        // FilePass: encrypted.
        let e = check_biff(&biff(&record(0x002F, &[1, 0, 0, 0]), &cells), &input).unwrap_err();
        assert_eq!(e.code, ErrorCode::Encrypted);
        // A sheet position outside the stream.
        let mut bad = record(0x0809, &[0; 16]);
        bad.extend(record(0x0085, &[0xFF, 0xFF, 0xFF, 0x0F, 0, 0, 1, 0]));
        let e = check_biff(&bad, &input).unwrap_err();
        assert_eq!(e.code, ErrorCode::Corrupt);
        // A MULRK whose last column is before its first.
        let mulrk = record(0x00BD, &[0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
        let e = check_biff(&biff(&[], &mulrk), &input).unwrap_err();
        assert_eq!(e.code, ErrorCode::Corrupt);
        assert_eq!(
            xls_dimensions_cells(&[0, 0, 0, 0, 11, 0, 0, 0, 0, 0, 6, 0, 0, 0]),
            66
        );
    }

    fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in files {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    const ODS_MIME: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

    fn ods_content(body: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.3"><office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"#
        )
    }

    #[test]
    fn ods_repeats_that_would_explode_are_too_large() {
        let body = r#"<table:table table:name="S"><table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="16384"><text:p>1</text:p></table:table-cell></table:table-row></table:table>"#;
        let content = ods_content(body);
        let bytes = zip_of(&[("mimetype", ODS_MIME), ("content.xml", content.as_bytes())]);
        let started = Instant::now();
        assert_eq!(code(run(&bytes)), ErrorCode::TooLarge);
        assert!(started.elapsed().as_secs() < 5);
    }

    #[test]
    fn ods_scan_counts_repeats_spans_and_frames() {
        let body = r#"<table:table table:name="Feuille 1"><table:table-column table:number-columns-repeated="3"/>
            <table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="3"/></table:table-row>
            <table:table-row><table:table-cell table:number-columns-repeated="2"/><table:table-cell office:value-type="string" table:number-columns-spanned="2" table:number-rows-spanned="3"><text:p>Titre</text:p></table:table-cell><table:covered-table-cell/></table:table-row>
            <table:table-row><table:table-cell/><table:table-cell><draw:frame draw:name="Image 1"><draw:image xlink:href="Pictures/sig.png"/><draw:image xlink:href="Pictures/fallback.svm"/></draw:frame></table:table-cell></table:table-row>
            <table:table-row><table:table-cell><table:table table:name="sub"/></table:table-cell><table:table-cell office:value-type="float" office:value="2" table:number-rows-spanned="2"/></table:table-row>
            </table:table><table:table table:name="Vide"/>"#;
        let limits = Limits::default();
        let input = Input {
            bytes: b"",
            name: "t",
            limits: &limits,
            depth: 0,
            started: Instant::now(),
        };
        let scan = scan_ods(&ods_content(body), &input).unwrap();
        assert_eq!(scan.sheets.len(), 2);
        let s = &scan.sheets[0];
        assert_eq!(s.name, "Feuille 1");
        assert_eq!(
            s.merged,
            [
                CellRange {
                    first_row: 2,
                    first_col: 2,
                    last_row: 4,
                    last_col: 3
                },
                CellRange {
                    first_row: 4,
                    first_col: 1,
                    last_row: 5,
                    last_col: 1
                },
            ]
        );
        assert_eq!(
            s.frames,
            [(
                Some(Anchor::SheetCell { row: 3, col: 1 }),
                "Pictures/sig.png".to_string()
            )]
        );
        assert_eq!(scan.sheets[1].name, "Vide");
    }

    #[test]
    fn encrypted_packages() {
        let manifest = br#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry></manifest:manifest>"#;
        let ods = zip_of(&[
            ("mimetype", ODS_MIME),
            ("content.xml", b"\x8f\x12binary"),
            ("META-INF/manifest.xml", manifest),
        ]);
        assert_eq!(code(run(&ods)), ErrorCode::Encrypted);
        let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        cf.create_stream("/EncryptionInfo")
            .unwrap()
            .write_all(b"info")
            .unwrap();
        cf.create_stream("/EncryptedPackage")
            .unwrap()
            .write_all(&[7; 600])
            .unwrap();
        cf.flush().unwrap();
        let bytes = cf.into_inner().into_inner();
        assert_eq!(code(run(&bytes)), ErrorCode::Encrypted);
    }

    #[test]
    fn zip_without_workbook_is_corrupt() {
        let bytes = zip_of(&[("readme.txt", b"hello")]);
        assert_eq!(code(run(&bytes)), ErrorCode::Corrupt);
    }

    #[test]
    fn part_paths() {
        assert_eq!(
            resolve("xl/worksheets/sheet1.xml", "../drawings/drawing1.xml"),
            "xl/drawings/drawing1.xml"
        );
        assert_eq!(
            resolve("xl/workbook.xml", "/xl/worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve("xl/workbook.xml", "worksheets/sheet2.xml"),
            "xl/worksheets/sheet2.xml"
        );
        assert_eq!(resolve("", "xl/workbook.xml"), "xl/workbook.xml");
        assert_eq!(
            rels_path("xl/worksheets/sheet1.xml"),
            "xl/worksheets/_rels/sheet1.xml.rels"
        );
    }

    #[test]
    fn a1_references() {
        assert_eq!(parse_a1("A1"), Some((0, 0)));
        assert_eq!(parse_a1("$F$9"), Some((8, 5)));
        assert_eq!(parse_a1("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(parse_a1("XFE1"), None);
        assert_eq!(parse_a1("A0"), None);
        assert_eq!(parse_a1("A1048577"), None);
        assert_eq!(parse_a1("ZZZZ1"), None);
        assert_eq!(parse_a1("12"), None);
        assert_eq!(
            parse_a1_range("C3:B2"),
            Some(CellRange {
                first_row: 1,
                first_col: 1,
                last_row: 2,
                last_col: 2
            })
        );
        assert_eq!(
            parse_a1_range("D4"),
            Some(CellRange {
                first_row: 3,
                first_col: 3,
                last_row: 3,
                last_col: 3
            })
        );
    }

    #[test]
    fn drawing_anchors() {
        let xml = r#"<xdr:wsDr xmlns:xdr="x" xmlns:a="a" xmlns:r="r">
            <xdr:twoCellAnchor><xdr:from><xdr:col>3</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>12</xdr:row><xdr:rowOff>5</xdr:rowOff></xdr:from><xdr:to><xdr:col>5</xdr:col><xdr:row>14</xdr:row></xdr:to>
              <xdr:pic><xdr:blipFill><a:blip r:embed="rId2"/></xdr:blipFill></xdr:pic></xdr:twoCellAnchor>
            <xdr:absoluteAnchor><xdr:pos x="0" y="0"/><xdr:pic><xdr:blipFill><a:blip r:embed="rId3"></a:blip></xdr:blipFill></xdr:pic></xdr:absoluteAnchor>
            </xdr:wsDr>"#;
        assert_eq!(
            drawing_blips(xml),
            [
                ("rId2".to_string(), Some((12, 3))),
                ("rId3".to_string(), None)
            ]
        );
    }
}
