//! Legacy Word 97–2003 `.doc` files, read from the OLE compound file with `cfb`.
//!
//! Owns the binary Word format as far as text goes ([MS-DOC]): the FIB of the `WordDocument`
//! stream (offsets computed from its `csw`/`cslw`/`cbRgFcLcb` counts), the piece table (Clx →
//! PlcPcd: 8-bit CP1252 "compressed" pieces and UTF-16LE pieces), the paragraph properties
//! (PlcBtePapx → PAPX FKPs) only to know which paragraph marks end table cells and rows, the
//! `\x05SummaryInformation` property set (title, author, dates), and the cleaning of Word's
//! control characters. It must not try to render formatting, lists numbering or shapes.
//!
//! Text model produced (one [`Page`]):
//! - main document text, one line per paragraph (`0x0D`); `0x0B` (line break), `0x0C` (page or
//!   section break) and `0x0E` (column break) become newlines;
//! - tables: each row is one line, cells separated by tabs, and the row also goes to
//!   `Page::tables`. A `0x07` is a row end when its paragraph has `sprmPFTtp` (read from the
//!   PAPX); when the PAPX cannot be read, the approximation "a `0x07` right after a cell mark is
//!   a row end" is used instead (wrong for an empty cell: the row is cut there — a warning says
//!   so). Nested tables (depth ≥ 2, whose marks are `0x0D`) are flattened into their outer cell;
//! - fields `0x13 instruction 0x14 result 0x15`: only results are kept (nested fields too);
//! - `0x01` (inline picture) and `0x08` (drawn object) outside field instructions become
//!   [`ImageRef`]s named `picture N` (no encoding or size: the pictures are not decoded), anchored
//!   at their body paragraph ([`Anchor::Paragraph`], counting body paragraphs outside tables) or
//!   table cell ([`Anchor::TableCell`]). A drawn object may be a line or a text box, not a photo;
//! - then the header/footer story and the text-box stories, as extra lines (identical lines are
//!   kept once), pictures there anchored [`Anchor::HeaderFooter`];
//! - other control characters are dropped; footnotes and comments are not read.

use super::{Extractor, Input};
use crate::error::{Error, Result};
use crate::model::{Anchor, Cell, Extracted, Format, ImageRef, Page, Table};
use std::io::{Cursor, Read};

pub struct DocExtractor;

impl Extractor for DocExtractor {
    fn name(&self) -> &'static str {
        "doc-cfb"
    }
    fn version(&self) -> u32 {
        1
    }
    fn formats(&self) -> &'static [Format] {
        &[Format::Doc]
    }
    fn extract(&self, input: &Input) -> Result<Extracted> {
        extract_doc(input)
    }
}

/// Longest context string kept in an image anchor.
const MAX_CONTEXT: usize = 200;

fn extract_doc(input: &Input) -> Result<Extracted> {
    let mut cf = cfb::CompoundFile::open(Cursor::new(input.bytes))
        .map_err(|e| Error::corrupt(format!("damaged OLE compound file: {e}")))?;
    // No stream can be larger than the file holding it.
    let max = input.limits.max_part_bytes.min(input.bytes.len() as u64);
    let word = read_stream(&mut cf, "/WordDocument", max)?
        .ok_or_else(|| Error::corrupt("no WordDocument stream: not a Word document"))?;
    let fib = Fib::parse(&word)?;
    if fib.encrypted {
        return Err(Error::encrypted("password-protected Word document"));
    }
    let table_name = if fib.one_table { "/1Table" } else { "/0Table" };
    let table = read_stream(&mut cf, table_name, max)?
        .ok_or_else(|| Error::corrupt(format!("the {} stream is missing", &table_name[1..])))?;
    input.check_time()?;

    let pieces = parse_clx(&word, &table, fib.fc_clx, fib.lcb_clx)?;
    let mut out = Extracted::default();
    let papx = match parse_papx(&word, &table, fib.fc_papx, fib.lcb_papx) {
        Ok(runs) => Some(runs),
        Err(why) => {
            out.warnings.push(format!(
                "paragraph properties unreadable ({why}); table rows are approximated and may \
                 be cut at empty cells"
            ));
            None
        }
    };

    // Main document text.
    let mut b = Builder::new(papx.as_deref());
    let main_end = fib.ccp_text;
    let mut count = 0u64;
    for_each_char(&word, &pieces, 0, main_end, &mut |c, fc| {
        count += 1;
        if count.is_multiple_of(65_536) {
            input.check_time()?;
        }
        b.push(c, fc);
        Ok(())
    })?;
    b.finish();
    if b.fallback_rows > 0 {
        out.warnings.push(format!(
            "{} table row(s) delimited by approximation",
            b.fallback_rows
        ));
    }

    // Headers/footers and text boxes: extra lines.
    let mut extra = Vec::new();
    let mut extra_images = Vec::new();
    let hdd_start = fib.ccp_text.saturating_add(fib.ccp_ftn);
    let hdd_end = hdd_start.saturating_add(fib.ccp_hdd);
    let txbx_start = hdd_end
        .saturating_add(fib.ccp_atn)
        .saturating_add(fib.ccp_edn);
    let txbx_end = txbx_start
        .saturating_add(fib.ccp_txbx)
        .saturating_add(fib.ccp_hdr_txbx);
    for (start, end, part) in [
        (hdd_start, hdd_end, "header"),
        (txbx_start, txbx_end, "text box"),
    ] {
        input.check_time()?;
        if end <= start {
            continue;
        }
        let mut s = Story::default();
        for_each_char(&word, &pieces, start, end, &mut |c, _| {
            s.push(c);
            Ok(())
        })?;
        s.line_end();
        for _ in 0..s.pictures {
            b.picture_count += 1;
            extra_images.push(ImageRef {
                name: format!("picture {}", b.picture_count),
                encoding: None,
                width_px: None,
                height_px: None,
                anchor: Some(Anchor::HeaderFooter {
                    part: part.to_string(),
                }),
            });
        }
        for line in s.lines {
            let known = b
                .lines
                .iter()
                .chain(extra.iter())
                .any(|l: &String| *l == line);
            if !line.trim().is_empty() && !known {
                extra.push(line);
            }
        }
    }

    let mut lines = std::mem::take(&mut b.lines);
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    lines.extend(extra);
    let text = lines.join("\n");
    let mut images = std::mem::take(&mut b.images);
    images.extend(extra_images);
    let scanned = text.trim().is_empty() && !images.is_empty();
    out.pages.push(Page {
        number: 1,
        text,
        tables: std::mem::take(&mut b.tables),
        images,
        scanned,
        ..Page::default()
    });

    if let Ok(Some(summary)) = read_stream(&mut cf, "/\u{5}SummaryInformation", max.min(1 << 20)) {
        read_summary(&summary, &mut out.metadata);
    }
    Ok(out)
}

/// Reads a whole stream (at most `max` bytes), `None` when it does not exist.
fn read_stream(
    cf: &mut cfb::CompoundFile<Cursor<&[u8]>>,
    path: &str,
    max: u64,
) -> Result<Option<Vec<u8>>> {
    if !cf.is_stream(path) {
        return Ok(None);
    }
    let mut s = cf
        .open_stream(path)
        .map_err(|e| Error::corrupt(format!("damaged {} stream: {e}", &path[1..])))?;
    let len = s.len();
    if len > max {
        return Err(Error::too_large(format!(
            "the {} stream declares {len} bytes (more than the file or the part limit)",
            &path[1..]
        )));
    }
    let mut buf = Vec::with_capacity(len as usize);
    (&mut s)
        .take(max)
        .read_to_end(&mut buf)
        .map_err(|e| Error::corrupt(format!("damaged {} stream: {e}", &path[1..])))?;
    Ok(Some(buf))
}

// ---------------------------------------------------------------------------------------------
// Little-endian readers (bounds-checked)

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        b.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}
fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}
fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(
        b.get(at..at.checked_add(8)?)?.try_into().ok()?,
    ))
}

// ---------------------------------------------------------------------------------------------
// FIB

#[derive(Debug, Default)]
struct Fib {
    encrypted: bool,
    one_table: bool,
    ccp_text: u32,
    ccp_ftn: u32,
    ccp_hdd: u32,
    ccp_atn: u32,
    ccp_edn: u32,
    ccp_txbx: u32,
    ccp_hdr_txbx: u32,
    fc_clx: u32,
    lcb_clx: u32,
    fc_papx: u32,
    lcb_papx: u32,
}

impl Fib {
    fn parse(w: &[u8]) -> Result<Fib> {
        let bad = |what: &str| Error::corrupt(format!("damaged Word header (FIB): {what}"));
        let ident = u16_at(w, 0).ok_or_else(|| bad("too short"))?;
        if ident != 0xA5EC {
            return Err(bad("wrong signature"));
        }
        let nfib = u16_at(w, 2).ok_or_else(|| bad("too short"))?;
        let flags = u16_at(w, 0x0A).ok_or_else(|| bad("too short"))?;
        let encrypted = flags & 0x0100 != 0;
        let one_table = flags & 0x0200 != 0;
        if nfib < 0x00C0 && !encrypted {
            return Err(Error::unsupported(
                "Word 6.0/95 document (older than Word 97): not read; save it as .docx",
            ));
        }
        // FibBase (32 bytes), csw + FibRgW97, cslw + FibRgLw97, cbRgFcLcb + FibRgFcLcb.
        let csw = u16_at(w, 32).ok_or_else(|| bad("too short"))? as usize;
        let rglw_count_at = 34 + 2 * csw;
        let cslw = u16_at(w, rglw_count_at).ok_or_else(|| bad("too short"))? as usize;
        let rglw = rglw_count_at + 2;
        let fclcb_count_at = rglw + 4 * cslw;
        let cb_fclcb = u16_at(w, fclcb_count_at).ok_or_else(|| bad("too short"))? as usize;
        let fclcb = fclcb_count_at + 2;
        if cslw < 11 || cb_fclcb < 34 || fclcb + 8 * cb_fclcb > w.len() {
            return Err(bad("field counts out of range"));
        }
        let lw = |i: usize| u32_at(w, rglw + 4 * i).unwrap_or(0);
        let pair = |i: usize| {
            (
                u32_at(w, fclcb + 8 * i).unwrap_or(0),
                u32_at(w, fclcb + 8 * i + 4).unwrap_or(0),
            )
        };
        let (fc_clx, lcb_clx) = pair(33);
        let (fc_papx, lcb_papx) = pair(13);
        Ok(Fib {
            encrypted,
            one_table,
            ccp_text: lw(3),
            ccp_ftn: lw(4),
            ccp_hdd: lw(5),
            ccp_atn: lw(7),
            ccp_edn: lw(8),
            ccp_txbx: lw(9),
            ccp_hdr_txbx: lw(10),
            fc_clx,
            lcb_clx,
            fc_papx,
            lcb_papx,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Piece table

#[derive(Debug, Clone, Copy)]
struct Piece {
    cp_start: u32,
    cp_end: u32,
    /// Byte offset of the piece's first character in the WordDocument stream.
    offset: u32,
    compressed: bool,
}

fn parse_clx(word: &[u8], table: &[u8], fc: u32, lcb: u32) -> Result<Vec<Piece>> {
    let bad = |what: &str| Error::corrupt(format!("damaged Word piece table: {what}"));
    let start = fc as usize;
    let clx = start
        .checked_add(lcb as usize)
        .and_then(|end| table.get(start..end))
        .ok_or_else(|| bad("outside the table stream"))?;
    let mut pos = 0usize;
    let plc = loop {
        match clx.get(pos) {
            Some(0x01) => {
                let cb = u16_at(clx, pos + 1).ok_or_else(|| bad("truncated"))? as i16;
                if cb < 0 {
                    return Err(bad("negative property size"));
                }
                pos += 3 + cb as usize;
            }
            Some(0x02) => {
                let lcb = u32_at(clx, pos + 1).ok_or_else(|| bad("truncated"))? as usize;
                let s = pos + 5;
                break s
                    .checked_add(lcb)
                    .and_then(|e| clx.get(s..e))
                    .ok_or_else(|| bad("piece list truncated"))?;
            }
            _ => return Err(bad("no piece list")),
        }
    };
    if plc.len() < 16 || (plc.len() - 4) % 12 != 0 {
        return Err(bad("piece list of impossible size"));
    }
    let n = (plc.len() - 4) / 12;
    let mut pieces = Vec::with_capacity(n);
    for i in 0..n {
        let cp_start = u32_at(plc, 4 * i).ok_or_else(|| bad("truncated"))?;
        let cp_end = u32_at(plc, 4 * i + 4).ok_or_else(|| bad("truncated"))?;
        let raw = u32_at(plc, 4 * (n + 1) + 8 * i + 2).ok_or_else(|| bad("truncated"))?;
        if cp_end < cp_start {
            return Err(bad("pieces out of order"));
        }
        let compressed = raw & 0x4000_0000 != 0;
        let fc = raw & 0x3FFF_FFFF;
        let offset = if compressed { fc / 2 } else { fc };
        let bytes = (cp_end - cp_start) as u64 * if compressed { 1 } else { 2 };
        if offset as u64 + bytes > word.len() as u64 {
            return Err(bad("a piece lies outside the document stream"));
        }
        pieces.push(Piece {
            cp_start,
            cp_end,
            offset,
            compressed,
        });
    }
    Ok(pieces)
}

/// CP1252 bytes 0x80..=0x9F (the rest of an 8-bit piece is Latin-1).
const CP1252_80: [u16; 32] = [
    0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
];

/// Calls `f(char, byte offset in WordDocument)` for each character with a CP in
/// `[from, to)`, in CP order.
fn for_each_char(
    word: &[u8],
    pieces: &[Piece],
    from: u32,
    to: u32,
    f: &mut dyn FnMut(char, u32) -> Result<()>,
) -> Result<()> {
    for p in pieces {
        let s = p.cp_start.max(from);
        let e = p.cp_end.min(to);
        if s >= e {
            continue;
        }
        let skip = s - p.cp_start;
        if p.compressed {
            let at = (p.offset + skip) as usize;
            let bytes = word.get(at..at + (e - s) as usize).unwrap_or(&[]);
            for (k, &byte) in bytes.iter().enumerate() {
                let code = match byte {
                    0x80..=0x9F => CP1252_80[(byte - 0x80) as usize],
                    _ => byte as u16,
                };
                f(
                    char::from_u32(code as u32).unwrap_or('\u{FFFD}'),
                    (at + k) as u32,
                )?;
            }
        } else {
            let at = (p.offset + 2 * skip) as usize;
            let bytes = word.get(at..at + 2 * (e - s) as usize).unwrap_or(&[]);
            let units = bytes
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]));
            let mut k = 0u32;
            for c in char::decode_utf16(units) {
                let fc = at as u32 + 2 * k;
                let c = c.unwrap_or('\u{FFFD}');
                k += c.len_utf16() as u32;
                f(c, fc)?;
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Paragraph properties (only what tells cells and rows apart)

#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct ParaRun {
    start: u32,
    end: u32,
    in_table: bool,
    row_end: bool,
}

/// All paragraph runs from the PAPX FKPs, sorted by start offset.
fn parse_papx(
    word: &[u8],
    table: &[u8],
    fc: u32,
    lcb: u32,
) -> std::result::Result<Vec<ParaRun>, String> {
    let start = fc as usize;
    let plc = start
        .checked_add(lcb as usize)
        .and_then(|e| table.get(start..e))
        .ok_or("PlcBtePapx outside the table stream")?;
    if plc.len() < 12 || (plc.len() - 4) % 8 != 0 {
        return Err("PlcBtePapx of impossible size".into());
    }
    let n = (plc.len() - 4) / 8;
    if n > word.len() / 512 + 1 {
        return Err("more paragraph pages than the stream holds".into());
    }
    let mut runs = Vec::new();
    for i in 0..n {
        let pn = (u32_at(plc, 4 * (n + 1) + 4 * i).ok_or("truncated")? & 0x3F_FFFF) as usize;
        let page = pn
            .checked_mul(512)
            .and_then(|s| word.get(s..s + 512))
            .ok_or("paragraph page outside the stream")?;
        let crun = page[511] as usize;
        if (crun + 1) * 4 + crun * 13 > 511 {
            return Err("paragraph page with too many runs".into());
        }
        for j in 0..crun {
            let s = u32_at(page, 4 * j).ok_or("truncated")?;
            let e = u32_at(page, 4 * j + 4).ok_or("truncated")?;
            let b_offset = page[(crun + 1) * 4 + 13 * j] as usize * 2;
            let mut run = ParaRun {
                start: s,
                end: e,
                ..ParaRun::default()
            };
            if b_offset != 0 {
                let cb = *page.get(b_offset).ok_or("truncated")? as usize;
                let (from, len) = if cb == 0 {
                    (
                        b_offset + 2,
                        2 * *page.get(b_offset + 1).ok_or("truncated")? as usize,
                    )
                } else {
                    (b_offset + 1, 2 * cb - 1)
                };
                // GrpPrlAndIstd: istd (2 bytes) then the sprms.
                let grpprl = page.get(from + 2..(from + len).min(511)).unwrap_or(&[]);
                apply_sprms(grpprl, &mut run);
            }
            runs.push(run);
        }
    }
    runs.sort_by_key(|r| r.start);
    Ok(runs)
}

/// Reads the table-related sprms of a PAPX grpprl; stops quietly at anything malformed.
fn apply_sprms(g: &[u8], run: &mut ParaRun) {
    let mut i = 0usize;
    while let Some(sprm) = u16_at(g, i) {
        let op = i + 2;
        let size = match sprm >> 13 {
            0 | 1 => 1,
            2 | 4 | 5 => 2,
            3 => 4,
            7 => 3,
            _ => match sprm {
                // sprmTDefTable: 2-byte size, counting itself minus one
                0xD608 | 0xD606 => match u16_at(g, op) {
                    Some(cb) => 2 + (cb as usize).saturating_sub(1),
                    None => return,
                },
                // sprmPChgTabs: 255 means the PChgTabsDelClose + PChgTabsAdd layout
                0xC615 if g.get(op) == Some(&255) => {
                    let Some(&del) = g.get(op + 1) else { return };
                    let add_at = op + 2 + 4 * del as usize;
                    let Some(&add) = g.get(add_at) else { return };
                    add_at + 1 + 3 * add as usize - op
                }
                _ => match g.get(op) {
                    Some(&cb) => 1 + cb as usize,
                    None => return,
                },
            },
        };
        let Some(operand) = g.get(op..op + size) else {
            return;
        };
        match sprm {
            0x2416 => run.in_table |= operand[0] != 0, // sprmPFInTable
            0x2417 => run.row_end |= operand[0] != 0,  // sprmPFTtp
            0x6649 => run.in_table |= u32_at(operand, 0).unwrap_or(0) > 0, // sprmPItap
            _ => {}
        }
        i = op + size;
    }
}

fn para_at(runs: &[ParaRun], fc: u32) -> Option<ParaRun> {
    let k = runs.partition_point(|r| r.start <= fc);
    let r = runs.get(k.checked_sub(1)?)?;
    (fc < r.end).then_some(*r)
}

// ---------------------------------------------------------------------------------------------
// Text builder (main story)

struct Builder<'a> {
    papx: Option<&'a [ParaRun]>,
    lines: Vec<String>,
    para: String,
    /// Pictures of the current paragraph (names) not yet anchored.
    para_pictures: Vec<String>,
    cell: String,
    cell_pictures: Vec<String>,
    row: Vec<String>,
    rows: Vec<Vec<String>>,
    tables: Vec<Table>,
    images: Vec<ImageRef>,
    body_index: usize,
    last_context: String,
    picture_count: usize,
    /// Open fields: `true` while in the instruction part.
    fields: Vec<bool>,
    /// Fallback mode: the previous mark was a cell end with nothing after it.
    after_cell_mark: bool,
    fallback_rows: usize,
}

impl<'a> Builder<'a> {
    fn new(papx: Option<&'a [ParaRun]>) -> Builder<'a> {
        Builder {
            papx,
            lines: Vec::new(),
            para: String::new(),
            para_pictures: Vec::new(),
            cell: String::new(),
            cell_pictures: Vec::new(),
            row: Vec::new(),
            rows: Vec::new(),
            tables: Vec::new(),
            images: Vec::new(),
            body_index: 0,
            last_context: String::new(),
            picture_count: 0,
            fields: Vec::new(),
            after_cell_mark: false,
            fallback_rows: 0,
        }
    }

    fn visible(&self) -> bool {
        !self.fields.iter().any(|&instr| instr)
    }

    fn push(&mut self, c: char, fc: u32) {
        match c {
            '\u{13}' => {
                if self.fields.len() < 64 {
                    self.fields.push(true);
                }
            }
            '\u{14}' => {
                if let Some(top) = self.fields.last_mut() {
                    *top = false;
                }
            }
            '\u{15}' => {
                self.fields.pop();
            }
            '\r' => self.paragraph_mark(fc),
            '\u{7}' => self.cell_mark(fc),
            _ if !self.visible() => {}
            '\u{1}' | '\u{8}' => {
                self.picture_count += 1;
                self.para_pictures
                    .push(format!("picture {}", self.picture_count));
                self.after_cell_mark = false;
            }
            '\u{B}' | '\u{C}' | '\u{E}' => self.para.push('\n'),
            '\t' => self.para.push('\t'),
            '\u{1E}' => self.para.push('-'), // non-breaking hyphen
            c if (c as u32) < 0x20 => {}     // optional hyphen 0x1F, footnote refs...
            c => {
                self.para.push(c);
                self.after_cell_mark = false;
            }
        }
    }

    fn props(&self, fc: u32) -> Option<ParaRun> {
        self.papx.map(|runs| para_at(runs, fc).unwrap_or_default())
    }

    fn paragraph_mark(&mut self, fc: u32) {
        let in_table = match self.props(fc) {
            Some(p) => p.in_table,
            None => !self.row.is_empty() || !self.cell.is_empty(),
        };
        if in_table {
            // A paragraph inside a cell.
            let para = std::mem::take(&mut self.para);
            self.cell.push_str(&para);
            self.cell.push('\n');
            self.cell_pictures.append(&mut self.para_pictures);
            self.after_cell_mark = false;
            return;
        }
        self.close_table();
        let para = std::mem::take(&mut self.para);
        let trimmed = para.trim();
        let context = if trimmed.is_empty() {
            self.last_context.clone()
        } else {
            shorten(trimmed)
        };
        for name in std::mem::take(&mut self.para_pictures) {
            self.images.push(ImageRef {
                name,
                encoding: None,
                width_px: None,
                height_px: None,
                anchor: Some(Anchor::Paragraph {
                    index: self.body_index,
                    context: context.clone(),
                }),
            });
        }
        if !trimmed.is_empty() {
            self.last_context = shorten(trimmed);
        }
        self.lines.push(para.trim_end().to_string());
        self.body_index += 1;
        self.after_cell_mark = false;
    }

    fn cell_mark(&mut self, fc: u32) {
        let row_end = match self.props(fc) {
            Some(p) => p.row_end,
            None => {
                let guess = self.after_cell_mark && self.para.is_empty() && self.cell.is_empty();
                if guess {
                    self.fallback_rows += 1;
                }
                guess
            }
        };
        if row_end {
            // Stray text in the row-end paragraph goes to the last cell.
            if !self.para.trim().is_empty()
                && let Some(last) = self.row.last_mut()
            {
                last.push_str(&std::mem::take(&mut self.para));
            }
            self.para.clear();
            self.end_row();
            self.after_cell_mark = false;
            return;
        }
        let para = std::mem::take(&mut self.para);
        self.cell.push_str(&para);
        self.cell_pictures.append(&mut self.para_pictures);
        let text = std::mem::take(&mut self.cell)
            .trim_end_matches('\n')
            .to_string();
        let col = self.row.len();
        let header = self
            .rows
            .first()
            .and_then(|r| r.get(col))
            .cloned()
            .unwrap_or_else(|| text.clone());
        for name in std::mem::take(&mut self.cell_pictures) {
            self.images.push(ImageRef {
                name,
                encoding: None,
                width_px: None,
                height_px: None,
                anchor: Some(Anchor::TableCell {
                    table: self.tables.len(),
                    row: self.rows.len(),
                    col,
                    header: header.trim().to_string(),
                }),
            });
        }
        self.row.push(text);
        self.after_cell_mark = true;
    }

    fn end_row(&mut self) {
        if !self.cell.is_empty() || !self.cell_pictures.is_empty() {
            // A row end without its last cell mark: close the cell first.
            let text = std::mem::take(&mut self.cell)
                .trim_end_matches('\n')
                .to_string();
            self.row.push(text);
        }
        let row = std::mem::take(&mut self.row);
        let line: Vec<String> = row
            .iter()
            .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        self.lines.push(line.join("\t"));
        self.rows.push(row);
    }

    fn close_table(&mut self) {
        if !self.row.is_empty() || !self.cell.is_empty() {
            self.end_row();
        }
        if self.rows.is_empty() {
            return;
        }
        let rows = std::mem::take(&mut self.rows)
            .into_iter()
            .map(|r| {
                r.into_iter()
                    .map(|c| Cell::text(c.trim().to_string()))
                    .collect()
            })
            .collect();
        self.tables.push(Table {
            rows,
            ..Table::default()
        });
    }

    fn finish(&mut self) {
        if !self.para.is_empty() || !self.para_pictures.is_empty() {
            if self.row.is_empty() && self.cell.is_empty() {
                self.paragraph_mark(u32::MAX);
            } else {
                let p = std::mem::take(&mut self.para);
                self.cell.push_str(&p);
            }
        }
        self.close_table();
    }
}

fn shorten(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= MAX_CONTEXT {
        return s;
    }
    // Keep the end: the text nearest to the picture.
    let skip = s.chars().count() - MAX_CONTEXT;
    s.chars().skip(skip).collect()
}

/// Header/footer and text-box stories: plain lines, pictures counted.
#[derive(Default)]
struct Story {
    lines: Vec<String>,
    line: String,
    fields: Vec<bool>,
    pictures: usize,
}

impl Story {
    fn push(&mut self, c: char) {
        match c {
            '\u{13}' => {
                if self.fields.len() < 64 {
                    self.fields.push(true);
                }
            }
            '\u{14}' => {
                if let Some(t) = self.fields.last_mut() {
                    *t = false;
                }
            }
            '\u{15}' => {
                self.fields.pop();
            }
            '\r' | '\u{B}' | '\u{C}' | '\u{E}' => self.line_end(),
            '\u{7}' => self.line.push('\t'),
            _ if self.fields.iter().any(|&i| i) => {}
            '\u{1}' | '\u{8}' => self.pictures += 1,
            '\t' => self.line.push('\t'),
            '\u{1E}' => self.line.push('-'),
            c if (c as u32) < 0x20 => {}
            c => self.line.push(c),
        }
    }
    fn line_end(&mut self) {
        let l = std::mem::take(&mut self.line);
        let l = l.trim();
        if !l.is_empty() {
            self.lines.push(l.to_string());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// SummaryInformation (title, author, dates)

fn read_summary(s: &[u8], meta: &mut crate::model::Metadata) {
    // PropertySetStream header: byte order, version, system id, CLSID, count, then FMTID+offset.
    if u16_at(s, 0) != Some(0xFFFE) {
        return;
    }
    let Some(set) = u32_at(s, 44).map(|o| o as usize) else {
        return;
    };
    let Some(n) = u32_at(s, set + 4) else { return };
    let n = n.min(256) as usize;
    let mut codepage = 1252u16;
    let mut props = Vec::new();
    for k in 0..n {
        let (Some(id), Some(off)) = (u32_at(s, set + 8 + 8 * k), u32_at(s, set + 12 + 8 * k))
        else {
            return;
        };
        let at = set.saturating_add(off as usize);
        if id == 1 && u32_at(s, at) == Some(2) {
            codepage = u16_at(s, at + 4).unwrap_or(1252);
        }
        props.push((id, at));
    }
    for (id, at) in props {
        let Some(vt) = u32_at(s, at) else { continue };
        let value = match vt {
            0x1E => {
                let Some(len) = u32_at(s, at + 4) else {
                    continue;
                };
                let Some(raw) = s.get(at + 8..at + 8 + (len as usize).min(4096)) else {
                    continue;
                };
                let raw = raw.split(|&b| b == 0).next().unwrap_or(raw);
                let text = if codepage == 65001 {
                    String::from_utf8_lossy(raw).into_owned()
                } else {
                    let (t, _, _) = encoding_rs::WINDOWS_1252.decode(raw);
                    t.into_owned()
                };
                text.trim().to_string()
            }
            0x40 => match u64_at(s, at + 4).and_then(filetime_to_iso) {
                Some(t) => t,
                None => continue,
            },
            _ => continue,
        };
        if value.is_empty() {
            continue;
        }
        match id {
            2 => meta.title = Some(value),
            3 => meta.subject = Some(value),
            4 => meta.author = Some(value),
            8 => {
                meta.other.insert("last_author".into(), value);
            }
            0x0C => meta.created = Some(value),
            0x0D => meta.modified = Some(value),
            0x12 => meta.creator = Some(value),
            _ => {}
        }
    }
}

/// FILETIME (100 ns since 1601-01-01 UTC) → `YYYY-MM-DDTHH:MM:SSZ`; `None` for 0 or absurd.
fn filetime_to_iso(ft: u64) -> Option<String> {
    if ft == 0 {
        return None;
    }
    let secs = (ft / 10_000_000) as i64 - 11_644_473_600;
    // 1980-01-01 ..= 2100-01-01
    if !(315_532_800..=4_102_444_800).contains(&secs) {
        return None;
    }
    let ts = jiff::Timestamp::from_second(secs).ok()?;
    Some(ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
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
            name: "x.doc",
            limits: &limits,
            depth: 0,
            started: Instant::now(),
        };
        DocExtractor.extract(&input)
    }

    /// Text pieces: (text, compressed).
    struct Spec<'a> {
        pieces: &'a [(&'a str, bool)],
        flags: u16,
        nfib: u16,
    }

    /// A minimal Word 97 file: FIB, pieces at 2048, Clx in 1Table, no PAPX.
    fn make_doc(spec: &Spec) -> Vec<u8> {
        let mut word = vec![0u8; 2048];
        word[0..2].copy_from_slice(&0xA5ECu16.to_le_bytes());
        word[2..4].copy_from_slice(&spec.nfib.to_le_bytes());
        word[0x0A..0x0C].copy_from_slice(&spec.flags.to_le_bytes());
        word[32..34].copy_from_slice(&14u16.to_le_bytes());
        let rglw = 34 + 28 + 2;
        word[62..64].copy_from_slice(&22u16.to_le_bytes());
        let fclcb_count = rglw + 88;
        word[fclcb_count..fclcb_count + 2].copy_from_slice(&93u16.to_le_bytes());
        let fclcb = fclcb_count + 2;

        let mut cps = vec![0u32];
        let mut pcds = Vec::new();
        for (text, compressed) in spec.pieces {
            let offset = word.len() as u32;
            let n = if *compressed {
                let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
                word.extend_from_slice(&bytes);
                bytes.len() as u32
            } else {
                let units: Vec<u16> = text.encode_utf16().collect();
                for u in &units {
                    word.extend_from_slice(&u.to_le_bytes());
                }
                units.len() as u32
            };
            cps.push(cps.last().unwrap() + n);
            let fc = if *compressed {
                (offset * 2) | 0x4000_0000
            } else {
                offset
            };
            let mut pcd = vec![0u8; 8];
            pcd[2..6].copy_from_slice(&fc.to_le_bytes());
            pcds.push(pcd);
        }
        let ccp_text = *cps.last().unwrap();
        word[rglw + 12..rglw + 16].copy_from_slice(&ccp_text.to_le_bytes());
        let mut plc = Vec::new();
        for cp in &cps {
            plc.extend_from_slice(&cp.to_le_bytes());
        }
        for p in &pcds {
            plc.extend_from_slice(p);
        }
        // A Prc (ignored) before the Pcdt.
        let mut clx = vec![0x01, 2, 0, 0xAA, 0xBB, 0x02];
        clx.extend_from_slice(&(plc.len() as u32).to_le_bytes());
        clx.extend_from_slice(&plc);
        let table = clx.clone();
        word[fclcb + 33 * 8..fclcb + 33 * 8 + 4].copy_from_slice(&0u32.to_le_bytes());
        word[fclcb + 33 * 8 + 4..fclcb + 33 * 8 + 8]
            .copy_from_slice(&(clx.len() as u32).to_le_bytes());

        let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        cf.create_stream("/WordDocument")
            .unwrap()
            .write_all(&word)
            .unwrap();
        cf.create_stream("/1Table")
            .unwrap()
            .write_all(&table)
            .unwrap();
        cf.flush().unwrap();
        cf.into_inner().into_inner()
    }

    fn doc(pieces: &[(&str, bool)]) -> Vec<u8> {
        make_doc(&Spec {
            pieces,
            flags: 0x0200,
            nfib: 0x00C1,
        })
    }

    #[test]
    fn compressed_and_unicode_pieces() {
        let d = doc(&[
            ("Fait \u{e0} Lyon, le 12 mars 2025\r\u{c9}t\u{e9} ", true),
            ("\u{153}uvre 1 250 \u{20ac} \u{ab}sign\u{e9}\u{bb}\r", false),
            ("co\u{fb}t \u{152}\u{201c}x\u{201d}\r", true),
        ]);
        let x = run(&d).unwrap();
        assert_eq!(
            x.pages[0].text,
            "Fait à Lyon, le 12 mars 2025\nÉté œuvre 1 250 € «signé»\ncoût Œ“x”"
        );
        assert!(
            x.warnings
                .iter()
                .any(|w| w.contains("paragraph properties"))
        );
    }

    #[test]
    fn fields_keep_results_only() {
        let d = doc(&[(
            "Voir \u{13}HYPERLINK \"http://x\"\u{14}le site\u{15} et \u{13} PAGE \u{14}3\u{15}.\r\
             \u{13}DATE \u{13}nested\u{14}in\u{15}\u{14}12/03/2025\u{15}\r\
             \u{13}EMBED Word.Picture \u{15}fin\r",
            false,
        )]);
        let x = run(&d).unwrap();
        assert_eq!(x.pages[0].text, "Voir le site et 3.\n12/03/2025\nfin");
    }

    #[test]
    fn pictures_and_fallback_table() {
        // Table rows without PAPX: a 0x07 right after a cell mark closes the row.
        let d = doc(&[(
            "Feuille\rNom\x07Signature\x07\x07Dupont\x07\u{1}\x07\x07\rLe formateur\r\u{1}\rFait \u{e0} Lyon\u{b}le 12 mars\x0c\r",
            false,
        )]);
        let x = run(&d).unwrap();
        let p = &x.pages[0];
        assert_eq!(
            p.text,
            "Feuille\nNom\tSignature\nDupont\t\n\nLe formateur\n\nFait à Lyon\nle 12 mars"
        );
        assert_eq!(p.tables.len(), 1);
        assert_eq!(p.tables[0].rows.len(), 2);
        assert_eq!(p.tables[0].rows[1][0].text, "Dupont");
        assert_eq!(p.images.len(), 2);
        assert_eq!(p.images[0].name, "picture 1");
        assert_eq!(
            p.images[0].anchor,
            Some(Anchor::TableCell {
                table: 0,
                row: 1,
                col: 1,
                header: "Signature".into()
            })
        );
        assert_eq!(
            p.images[1].anchor,
            Some(Anchor::Paragraph {
                index: 3,
                context: "Le formateur".into()
            })
        );
    }

    #[test]
    fn encrypted_old_and_broken() {
        let d = make_doc(&Spec {
            pieces: &[("x\r", true)],
            flags: 0x0300,
            nfib: 0xC1,
        });
        assert_eq!(run(&d).unwrap_err().code, ErrorCode::Encrypted);
        let d = make_doc(&Spec {
            pieces: &[("x\r", true)],
            flags: 0x0200,
            nfib: 0x68,
        });
        assert_eq!(run(&d).unwrap_err().code, ErrorCode::Unsupported);
        let d = make_doc(&Spec {
            pieces: &[("x\r", true)],
            flags: 0x0000,
            nfib: 0xC1,
        });
        assert_eq!(run(&d).unwrap_err().code, ErrorCode::Corrupt); // no 0Table
        assert_eq!(
            run(b"\xD0\xCF\x11\xE0garbage").unwrap_err().code,
            ErrorCode::Corrupt
        );
    }

    #[test]
    fn piece_outside_stream_is_corrupt() {
        let mut d = doc(&[("Bonjour\r", false)]);
        // Patch the 1Table stream's PCD fc (a unique byte pattern: 2048 as u32 after 2 bytes).
        let pat = [0u8, 0, 0, 8, 0, 0];
        let at = d.windows(6).position(|w| w == pat).unwrap();
        d[at + 2..at + 6].copy_from_slice(&0x0FFF_0000u32.to_le_bytes());
        let e = run(&d).unwrap_err();
        assert_eq!(e.code, ErrorCode::Corrupt, "{e:?}");
    }

    #[test]
    fn mutations_never_panic() {
        let d = doc(&[
            ("Nom\x07Sig\x07\x07\r\u{13}X\u{14}y\u{15}\r", true),
            ("é\r", false),
        ]);
        for i in (0..d.len()).step_by(7) {
            let mut m = d.clone();
            m[i] ^= 0xA5;
            let _ = run(&m);
        }
        for n in (0..d.len()).step_by(97) {
            let _ = run(&d[..n]);
        }
    }

    #[test]
    fn sprm_walk() {
        // sprmTDefTable (variable, 2-byte size) before sprmPFTtp must not derail the walk.
        let mut g = Vec::new();
        g.extend_from_slice(&0x2416u16.to_le_bytes());
        g.push(1);
        g.extend_from_slice(&0xD608u16.to_le_bytes());
        g.extend_from_slice(&5u16.to_le_bytes());
        g.extend_from_slice(&[9, 9, 9, 9]);
        g.extend_from_slice(&0x2417u16.to_le_bytes());
        g.push(1);
        let mut r = ParaRun::default();
        apply_sprms(&g, &mut r);
        assert!(r.in_table && r.row_end);
    }

    #[test]
    fn filetime() {
        // 2025-03-12T09:30:00Z
        let secs: u64 = 1_741_771_800 + 11_644_473_600;
        assert_eq!(
            filetime_to_iso(secs * 10_000_000).as_deref(),
            Some("2025-03-12T09:30:00Z")
        );
        assert_eq!(filetime_to_iso(0), None);
    }
}
