//! OCR of scanned pages, and the handwriting on them.
//!
//! Runs after extraction, on the pages the extractor marked `scanned` (image-only PDF pages,
//! PDF pages whose text layer is garbage, image files), and only on those: a page with a text
//! layer is never OCRed. For each such page it takes the page's own image (the scan's image
//! XObject decoded from the PDF bytes, or the image file; never a rasterised PDF), straightens
//! it (phone photos: perspective; scans: skew), normalises the light, runs tesseract
//! ([`engine`]), and fills the page as a born-digital page would be: `text` in reading order,
//! `spans` positioned in page units (PDF points; for image files, points of the sheet at the
//! image's resolution, `size` set), and one [`ImageRef`] per cluster of handwriting or stamp
//! found on the page ([`ink`]): `name: "ink:<stroke length in letter heights>"`, `encoding:
//! "ink"`, `"ink-uncertain"` or `"ink-trace"` (a little ink inside a grid cell, never a signature
//! by itself), anchored by its box on the page. The signature analysis then reads scans as it reads PDFs. Pages stay
//! `scanned = true`; `metadata.other["ocr"]` says how the text was obtained.
//!
//! When tesseract is missing, disabled (`Limits::ocr`), too slow for a page, or the page image
//! cannot be decoded, nothing fails: the page stays as it was and the document gets a warning
//! naming the pages not read and why (`metadata.other["ocr_pages_not_read"]` counts them). It
//! must not classify, date or judge signatures, and it never writes files.

pub mod bilevel;
pub mod engine;
pub mod ink;
pub mod layout;
pub mod libtess;
pub mod raster;
pub mod source;
mod tiff;

use crate::extract::Limits;
use crate::model::{Anchor, Extracted, Format, ImageRef, Rect};
use engine::{Engine, Failure, Word};
use raster::Gray;
use source::PageImage;
use std::time::{Duration, Instant};

/// Longest time one page may take in tesseract.
pub const PAGE_TIMEOUT: Duration = Duration::from_secs(60);
/// Largest page image decoded (pixels).
const MAX_PIXELS: usize = 80_000_000;
/// Longest side given to tesseract; larger images (phone photos) are shrunk first.
const MAX_SIDE: usize = 3600;
/// Printed capitals shorter than this many pixels are read on the page enlarged twice.
const SMALL_LETTERS_PX: f32 = 12.0;

/// Below this resolution a page is a phone photo of a whole sheet (about 100–130 dpi once the
/// sheet is found), not a scan (150 dpi and more): only such pages are read a second time when
/// their print is faint (scans with light grey print gain nothing from it, measured on the
/// held-out archive: 17 of 19 such scan pages got no word from the second reading).
const PHOTO_DPI: f32 = 140.0;
/// A4, in points: the size given to a photographed sheet.
const A4_LONG: f32 = 842.0;

/// Local binarisation of the ink: window (inches), Sauvola's k, and the grey level above which
/// a pixel is paper whatever its neighbourhood (pages are light-normalised: paper ≈ 255).
const SAUVOLA_WINDOW: f32 = 0.25;
const SAUVOLA_K: f32 = 0.12;
const PAPER: u8 = 232;

/// Name of the ink placements: the prefix, then the stroke length in printed-letter heights
/// (`ink:3.42`), which the attendance grid compares between cells ([`ink_measure`]).
pub const INK_NAME_PREFIX: &str = "ink:";

/// The stroke length carried by an ink placement's name, if it is one.
pub fn ink_measure(img: &ImageRef) -> Option<f32> {
    img.name
        .strip_prefix(INK_NAME_PREFIX)
        .and_then(|v| v.parse::<f32>().ok())
        .filter(|v| v.is_finite())
}

/// Key of `Extracted.metadata.other` that says how scanned pages were read.
pub const META_OCR: &str = "ocr";
/// Key of `Extracted.metadata.other` counting the scanned pages left unread.
pub const META_NOT_READ: &str = "ocr_pages_not_read";

/// Pages read by OCR in this process so far (the progress bar shows it: OCR is most of a long
/// scan's time).
static PAGES_READ: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Pages read by OCR in this process so far.
pub fn pages_read() -> usize {
    PAGES_READ.load(std::sync::atomic::Ordering::Relaxed)
}

/// Reads the scanned pages of `ex` (see the module doc). Never fails: problems become warnings.
pub fn complete(format: Format, bytes: &[u8], ex: &mut Extracted, limits: &Limits) {
    let targets: Vec<usize> = ex
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.scanned)
        .map(|(i, _)| i)
        .collect();
    if targets.is_empty() || !matches!(format, Format::Pdf | Format::Image) {
        return;
    }
    let numbers = |idx: &[usize]| -> Vec<u32> {
        idx.iter()
            .filter_map(|&i| ex.pages.get(i))
            .map(|p| p.number)
            .collect()
    };
    if !limits.ocr {
        let n = numbers(&targets);
        not_read(ex, &n, "OCR disabled (--no-ocr)");
        return;
    }
    let engine = match engine::engine() {
        Ok(e) => e,
        Err(why) => {
            let n = numbers(&targets);
            not_read(ex, &n, why);
            return;
        }
    };
    complete_with(engine, format, bytes, ex, limits, &targets);
}

fn complete_with(
    engine: &Engine,
    format: Format,
    bytes: &[u8],
    ex: &mut Extracted,
    limits: &Limits,
    targets: &[usize],
) {
    let started = Instant::now();
    let max_part = usize::try_from(limits.max_part_bytes).unwrap_or(usize::MAX);
    let pdf = match format {
        Format::Pdf => match source::PdfSource::open(bytes, limits.max_part_bytes) {
            Ok(p) => Some(p),
            Err(e) => {
                let n: Vec<u32> = targets
                    .iter()
                    .filter_map(|&i| ex.pages.get(i))
                    .map(|p| p.number)
                    .collect();
                not_read(ex, &n, &e);
                return;
            }
        },
        _ => None,
    };
    let mut failures: Vec<(u32, String)> = Vec::new();
    let mut read = 0usize;
    for &i in targets {
        let Some(page) = ex.pages.get(i) else {
            continue;
        };
        let number = page.number;
        let remaining = limits.time_budget.saturating_sub(started.elapsed());
        if remaining.is_zero() {
            failures.push((
                number,
                format!(
                    "timeout: the per-file time limit ({} s) was spent",
                    limits.time_budget.as_secs()
                ),
            ));
            continue;
        }
        let image = match &pdf {
            Some(p) => p.page_image(page, MAX_PIXELS, max_part),
            None => source::file_image(bytes, number, MAX_PIXELS),
        };
        let image = match image {
            Ok(im) => im,
            Err(e) => {
                failures.push((number, e));
                continue;
            }
        };
        match read_page(engine, image, PAGE_TIMEOUT.min(remaining)) {
            Ok(r) => {
                let page = &mut ex.pages[i];
                page.text = r.text;
                page.spans = r.spans;
                page.images.extend(r.ink);
                if page.size.is_none() {
                    page.size = Some(r.size);
                }
                read += 1;
                PAGES_READ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            Err(f) => failures.push((number, f.to_string())),
        }
        // A page's images and tesseract's buffers are tens of megabytes, freed now; give them
        // back to the system rather than let each worker's allocator arena keep its high-water
        // mark (the peak memory of a scan with OCR drops by a third on 2 workers).
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        // SAFETY: malloc_trim only releases free memory; it is safe to call at any time.
        unsafe {
            libc::malloc_trim(0);
        }
    }
    if read > 0 {
        ex.metadata.other.insert(
            META_OCR.into(),
            format!(
                "{} ({}): {read} page{} read",
                engine.version,
                engine.langs,
                if read > 1 { "s" } else { "" },
            ),
        );
    }
    // Group failures by reason for the warnings.
    let mut reasons: Vec<(String, Vec<u32>)> = Vec::new();
    for (n, why) in failures {
        match reasons.iter_mut().find(|(r, _)| *r == why) {
            Some((_, pages)) => pages.push(n),
            None => reasons.push((why, vec![n])),
        }
    }
    for (why, pages) in reasons {
        not_read(ex, &pages, &why);
    }
}

/// Records pages left unread: one warning per reason, and the count in the metadata.
fn not_read(ex: &mut Extracted, pages: &[u32], why: &str) {
    if pages.is_empty() {
        return;
    }
    let list: Vec<String> = pages.iter().take(20).map(u32::to_string).collect();
    let more = if pages.len() > 20 {
        format!(" and {} more", pages.len() - 20)
    } else {
        String::new()
    };
    let what = if pages.len() == 1 { "page" } else { "pages" };
    ex.warnings
        .push(format!("{what} {}{more} not read: {why}", list.join(", ")));
    let before: usize = ex
        .metadata
        .other
        .get(META_NOT_READ)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    ex.metadata
        .other
        .insert(META_NOT_READ.into(), (before + pages.len()).to_string());
}

/// What one page became.
struct PageResult {
    text: String,
    spans: Vec<crate::model::TextSpan>,
    ink: Vec<ImageRef>,
    size: (f32, f32),
}

/// The whole per-page chain: straighten, normalise, OCR, remove rules and print, find ink, lay
/// out the text in page units.
fn read_page(engine: &Engine, image: PageImage, timeout: Duration) -> Result<PageResult, Failure> {
    let PageImage {
        mut img,
        dpi,
        placement,
    } = image;
    let mut rectified = false;
    if placement.is_none()
        && let Some(corners) = raster::find_sheet(&img)
        && let Some(r) = raster::rectify(&img, corners)
    {
        img = r;
        rectified = true;
    }
    let long = img.w.max(img.h);
    let mut scale_down = 1usize;
    if long > MAX_SIDE {
        scale_down = long.div_ceil(MAX_SIDE);
        img = img.downscale(scale_down);
    }
    // Resolution: the PDF placement's, a declared one that gives a plausible sheet, else the
    // image taken as an A4 sheet.
    let a4_dpi = img.w.max(img.h) as f32 / (A4_LONG / 72.0);
    let dpi = match (placement, dpi) {
        (Some(_), Some(d)) => d / scale_down as f32,
        (None, Some(d))
            if !rectified && (a4_dpi * 0.6..=a4_dpi * 1.7).contains(&(d / scale_down as f32)) =>
        {
            d / scale_down as f32
        }
        _ => a4_dpi,
    };
    let dpi = dpi.clamp(50.0, 1200.0);
    let (norm, bin0) = straighten(&img, dpi);
    // Full-page buffers are dropped as soon as they are used (a 300 dpi page is 9 MB each, and
    // tesseract's own buffers come on top while it reads).
    drop(img);
    let prepared = prepare(&norm, bin0, dpi);
    let (w, h) = (norm.w as f32, norm.h as f32);
    drop(norm);
    let started = Instant::now();
    let mut words = recognise_page(engine, &prepared.clean, prepared.letter_h, dpi, timeout)?;
    // Faint print on a photo of a whole sheet: tesseract's global threshold loses whole words of
    // light grey print (a "Matin" header, a date over two slots). The page is read once more
    // darkened, and the confident words found where the first reading has none are added; the
    // ink analysis below then judges them with the others (darkening the page for the one
    // reading instead makes its letters touch, and some read as handwriting).
    if dpi < PHOTO_DPI
        && let Some(dark) = prepared.clean.faint_ink_stretched()
    {
        let budget = timeout.saturating_sub(started.elapsed());
        if let Ok(more) = recognise_page(engine, &dark, prepared.letter_h, dpi, budget) {
            let before = words.len();
            add_missed_words(&mut words, more);
            if debug_dir().is_some() {
                eprintln!(
                    "ocr debug: faint print read again darkened, {} words added",
                    words.len() - before
                );
            }
        }
    }
    second_look(
        engine,
        &prepared.local,
        &mut words,
        dpi,
        timeout.saturating_sub(started.elapsed()),
    );
    let debug_clean = debug_dir().map(|d| {
        eprintln!(
            "ocr debug: dpi {dpi:.0}, letter height {:.0} px",
            prepared.letter_h
        );
        (d, prepared.clean.clone())
    });
    let analysis = analyse(prepared, &words, dpi);
    if let Some((dir, clean)) = debug_clean {
        write_debug(&dir, &clean, &words, &analysis.keep);
    }
    let (map, size) = match placement {
        Some(r) => (
            layout::ToPage {
                x0: r.x,
                y_top: r.y + r.height,
                sx: r.width / w,
                sy: r.height / h,
            },
            (0.0, 0.0),
        ),
        None => {
            let s = 72.0 / dpi;
            (
                layout::ToPage {
                    x0: 0.0,
                    y_top: h * s,
                    sx: s,
                    sy: s,
                },
                (w * s, h * s),
            )
        }
    };
    let (text, spans) = layout::lay_out(&words, &analysis.keep, &analysis.rules, &map);
    let ink = analysis
        .blobs
        .iter()
        .map(|b| {
            let x = map.x(b.x0 as f32);
            let top = map.y(b.y0 as f32);
            let bottom = map.y(b.y1 as f32);
            ImageRef {
                name: format!("{INK_NAME_PREFIX}{:.2}", b.measure),
                encoding: Some(match b.verdict {
                    ink::Verdict::Ink => "ink".into(),
                    ink::Verdict::Uncertain => "ink-uncertain".into(),
                    ink::Verdict::Trace => "ink-trace".into(),
                }),
                width_px: Some((b.x1 - b.x0).max(0) as u32),
                height_px: Some((b.y1 - b.y0).max(0) as u32),
                anchor: Some(Anchor::Page {
                    rect: Rect {
                        x,
                        y: bottom,
                        width: map.x(b.x1 as f32) - x,
                        height: top - bottom,
                    },
                }),
            }
        })
        .collect();
    Ok(PageResult {
        text,
        spans,
        ink,
        size,
    })
}

/// Most words read again on their own per page.
const SECOND_LOOKS: usize = 12;

/// Printed words that sparse-text OCR misread (a header squeezed between two ruling lines comes
/// out as "Apcesnidl", confidence 0) are read again out of their context, from the page without
/// its rules (the local binarisation), all of a page's in one more tesseract call (their boxes
/// stacked as a block of lines): words read back with a good confidence replace the misread
/// ones. Only text-sized, barely legible runs of letters, at most `SECOND_LOOKS` per page.
fn second_look(
    engine: &Engine,
    local: &ink::Bitmap,
    words: &mut Vec<Word>,
    dpi: f32,
    budget: Duration,
) {
    let median_h = ink::median_text_height(words);
    // Runs of barely legible words side by side (a word misread as two pieces is one run).
    let weak = |w: &Word| w.conf < 40.0 && (w.h as f32) <= 2.5 * median_h && w.w > 0 && w.h > 0;
    let mut runs: Vec<(usize, usize)> = Vec::new(); // [start, end)
    let mut i = 0;
    while i < words.len() {
        if !weak(&words[i]) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < words.len()
            && weak(&words[j])
            && words[j].y < words[j - 1].bottom()
            && words[j - 1].y < words[j].bottom()
            && ((words[j].x - words[j - 1].right()) as f32) <= 2.0 * median_h
        {
            j += 1;
        }
        let alnum: usize = words[i..j]
            .iter()
            .map(|w| w.text.chars().filter(|c| c.is_alphanumeric()).count())
            .sum();
        if alnum >= 3 {
            runs.push((i, j));
        }
        i = j;
    }
    // The runs' boxes, cut from the page without rules and stacked one under the other with
    // white between them: one more tesseract call per page, whatever the number of runs.
    let pad = (median_h * 0.4) as i32;
    let gap = (median_h * 1.5) as usize;
    // (word run [a, b), box on the page (x0, y0, x1, y1), top of the box on the stacked sheet)
    type Boxed = ((usize, usize), (usize, usize, usize, usize), usize);
    let mut boxes: Vec<Boxed> = Vec::new();
    let (mut height, mut width) = (gap, 0usize);
    for (a, b) in runs.into_iter().take(SECOND_LOOKS) {
        let run = &words[a..b];
        let bx0 = run.iter().map(|w| w.x).min().unwrap_or(0);
        let by0 = run.iter().map(|w| w.y).min().unwrap_or(0);
        let bx1 = run.iter().map(Word::right).max().unwrap_or(0);
        let by1 = run.iter().map(Word::bottom).max().unwrap_or(0);
        let (x0, y0) = ((bx0 - pad).max(0) as usize, (by0 - pad).max(0) as usize);
        let x1 = ((bx1 + pad).max(0) as usize).min(local.w);
        let y1 = ((by1 + pad).max(0) as usize).min(local.h);
        if x0 >= x1 || y0 >= y1 {
            continue;
        }
        boxes.push(((a, b), (x0, y0, x1, y1), height));
        height += y1 - y0 + gap;
        width = width.max(x1 - x0);
    }
    if boxes.is_empty() || budget < Duration::from_secs(2) {
        return;
    }
    let margin = gap;
    let mut sheet = Gray::new(width + 2 * margin, height, 255);
    for &(_, (x0, y0, x1, y1), top) in &boxes {
        for y in y0..y1 {
            for x in x0..x1 {
                if local.px[y * local.w + x] != 0 {
                    sheet.px[(top + y - y0) * sheet.w + margin + x - x0] = 0;
                }
            }
        }
    }
    let Ok(again) = engine.recognise_with(&sheet, dpi.round() as u32, budget, "6") else {
        return;
    };
    let mut replaced: Vec<((usize, usize), Vec<Word>)> = Vec::new();
    for &((a, b), (x0, y0, _, y1), top) in &boxes {
        let first = &words[a];
        let good: Vec<Word> = again
            .iter()
            .filter(|w| {
                let cy = w.y + w.h / 2;
                cy >= top as i32 && cy < (top + y1 - y0) as i32
            })
            .filter(|w| w.conf >= 80.0 && w.text.chars().any(char::is_alphanumeric))
            .map(|w| Word {
                x: w.x - margin as i32 + x0 as i32,
                y: w.y - top as i32 + y0 as i32,
                block: first.block,
                par: first.par,
                line: first.line,
                ..w.clone()
            })
            .collect();
        if !good.is_empty() {
            replaced.push(((a, b), good));
        }
    }
    for ((a, b), good) in replaced.into_iter().rev() {
        words.splice(a..b, good);
    }
}

/// `PREUVES_OCR_DEBUG=DIR`: each OCRed page's cleaned image (what tesseract read, PGM) and its
/// words (TSV with the keep decision) are written to DIR, for whoever tunes the OCR stage. Never
/// set in normal use; DIR must be outside the scanned tree.
fn debug_dir() -> Option<std::path::PathBuf> {
    std::env::var_os("PREUVES_OCR_DEBUG").map(std::path::PathBuf::from)
}

fn write_debug(dir: &std::path::Path, clean: &Gray, words: &[Word], keep: &[bool]) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let _ = std::fs::create_dir_all(dir);
    let name = format!("page-{n:04}-{}", std::process::id());
    let _ = std::fs::write(dir.join(format!("{name}.pgm")), clean.to_pgm());
    let mut tsv = String::from("keep\tblock\tpar\tline\tx\ty\tw\th\tconf\ttext\n");
    for (w, k) in words.iter().zip(keep) {
        tsv.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{:.1}\t{}\n",
            *k as u8, w.block, w.par, w.line, w.x, w.y, w.w, w.h, w.conf, w.text
        ));
    }
    let _ = std::fs::write(dir.join(format!("{name}.tsv")), tsv);
}

/// Tesseract's words of a prepared page, in the page's pixels. Small print (a phone photo of a
/// whole sheet, a 100 dpi scan): tesseract misreads letters under about a dozen pixels; it
/// reads the page enlarged twice, and its boxes are brought back to the page's pixels.
fn recognise_page(
    engine: &Engine,
    page: &Gray,
    letter_h: f32,
    dpi: f32,
    timeout: Duration,
) -> Result<Vec<Word>, Failure> {
    if letter_h < SMALL_LETTERS_PX && page.w <= MAX_SIDE / 2 {
        let big = page.upscale2();
        let mut words = engine.recognise(&big, (dpi * 2.0).round() as u32, timeout)?;
        drop(big);
        for w in &mut words {
            (w.x, w.y, w.w, w.h) = (w.x / 2, w.y / 2, (w.w + 1) / 2, (w.h + 1) / 2);
        }
        Ok(words)
    } else {
        engine.recognise(page, dpi.round() as u32, timeout)
    }
}

/// Adds to `words` the words of another reading of the page that are read with confidence
/// (80 % or more, a letter or digit) where `words` has none. They keep their lines, numbered
/// after the first reading's blocks so that no line of one reading runs into the other's.
fn add_missed_words(words: &mut Vec<Word>, more: Vec<Word>) {
    let overlaps = |a: &Word, b: &Word| {
        a.x < b.right() && b.x < a.right() && a.y < b.bottom() && b.y < a.bottom()
    };
    let first_block = words.iter().map(|w| w.block).max().unwrap_or(0) + 1;
    let missed: Vec<Word> = more
        .into_iter()
        .filter(|w| w.conf >= 80.0 && w.text.chars().any(char::is_alphanumeric))
        .filter(|w| !words.iter().any(|o| overlaps(w, o)))
        .map(|w| Word {
            block: first_block + w.block,
            ..w
        })
        .collect();
    words.extend(missed);
}

/// Light normalisation and deskew; returns the straight grey page and its binarisation.
fn straighten(img: &Gray, dpi: f32) -> (Gray, ink::Bitmap) {
    let norm = img.normalise_light(((dpi / 4.0) as usize).max(16));
    let bin = ink::Bitmap::threshold(&norm, ink::threshold_of(&norm));
    let skew = ink::estimate_skew(&bin);
    if skew.abs() < 0.05 {
        return (norm, bin);
    }
    let norm = norm.rotate(skew);
    let bin = ink::Bitmap::threshold(&norm, ink::threshold_of(&norm));
    (norm, bin)
}

/// A straightened page split into what tesseract should read and what it should not.
pub struct Prepared {
    pub rules: ink::Rules,
    /// Components of the binarised page without its rules.
    pub labelled: ink::Labelled,
    /// Height of printed letters, in pixels.
    pub letter_h: f32,
    /// The grey page with every non-letter shape (handwriting, stamp frames) whitened: what OCR
    /// reads, so that scribbles do not turn into words nor disturb the printed lines next to
    /// them.
    pub clean: Gray,
    pub size: (usize, usize),
    /// The page binarised by a local (Sauvola) threshold, its ruling lines removed: faint and
    /// thin pen strokes that the global threshold loses are in it. Handwriting is measured on it.
    pub local: ink::Bitmap,
}

/// Removes rules, labels components, and makes the image given to OCR.
pub fn prepare(norm: &Gray, mut bin: ink::Bitmap, dpi: f32) -> Prepared {
    let min_rule = ((dpi * 0.5) as usize).max(20);
    let pad = ((dpi / 100.0).round() as usize).max(1);
    let rules = ink::remove_rules(&mut bin, min_rule, pad);
    let mut local = ink::sauvola(
        norm,
        ((dpi * SAUVOLA_WINDOW) as usize).max(8),
        SAUVOLA_K,
        PAPER,
    );
    ink::remove_rules(&mut local, min_rule, pad + 1);
    let labelled = ink::components(&bin, 50_000);
    let letter_h = ink::letter_height(&labelled.comps, dpi);
    // Pixels to whiten: every component shaped unlike print, grown by a few pixels so that its
    // anti-aliased edges go too. The rules stay: tesseract finds table cells with them (without
    // them it merges lines across cells), and what it reads on them is dropped as junk.
    let (w, h) = (norm.w, norm.h);
    let mut mask = vec![false; w * h];
    let dotted = ink::dotted_line_parts(&labelled.comps, letter_h, dpi);
    let unprinted: Vec<bool> = labelled
        .comps
        .iter()
        .zip(&dotted)
        .map(|(c, &d)| {
            d || ink::is_unprinted_shape(c, letter_h) || ink::is_hole_or_border(c, dpi, w, h)
        })
        .collect();
    for &(y, x0, x1, c) in &labelled.runs {
        if unprinted.get(c as usize).copied().unwrap_or(false) {
            let row = y as usize * w;
            mask[row + x0 as usize..row + x1 as usize]
                .iter_mut()
                .for_each(|m| *m = true);
        }
    }
    let grow = ((dpi / 75.0).round() as usize).max(2);
    let mask = dilate(&mask, w, h, grow);
    let mut clean = norm.clone();
    for (v, m) in clean.px.iter_mut().zip(&mask) {
        if *m {
            *v = 255;
        }
    }
    Prepared {
        rules,
        labelled,
        letter_h,
        clean,
        size: (norm.w, norm.h),
        local,
    }
}

/// A mask grown by `r` pixels in every direction (square neighbourhood).
fn dilate(mask: &[bool], w: usize, h: usize, r: usize) -> Vec<bool> {
    // Sliding-window counts along each row, then down the columns with one count per column
    // (the rows read in memory order).
    let mut horiz = vec![false; mask.len()];
    for (src, out) in mask.chunks_exact(w).zip(horiz.chunks_exact_mut(w)) {
        let mut count = 0usize;
        for &m in &src[..r.min(w)] {
            count += m as usize;
        }
        for i in 0..w {
            if i + r < w {
                count += src[i + r] as usize;
            }
            if i > r {
                count -= src[i - r - 1] as usize;
            }
            out[i] = count > 0;
        }
    }
    let mut out = vec![false; mask.len()];
    let mut counts = vec![0usize; w];
    let row = |y: usize| &horiz[y * w..(y + 1) * w];
    for y in 0..r.min(h) {
        for (c, &m) in counts.iter_mut().zip(row(y)) {
            *c += m as usize;
        }
    }
    for y in 0..h {
        if y + r < h {
            for (c, &m) in counts.iter_mut().zip(row(y + r)) {
                *c += m as usize;
            }
        }
        if y > r {
            for (c, &m) in counts.iter_mut().zip(row(y - r - 1)) {
                *c -= m as usize;
            }
        }
        for (o, &c) in out[y * w..(y + 1) * w].iter_mut().zip(&counts) {
            *o = c > 0;
        }
    }
    out
}

/// The page's rules, the words worth keeping, and the ink.
pub struct Analysis {
    pub rules: ink::Rules,
    pub keep: Vec<bool>,
    pub blobs: Vec<ink::Blob>,
}

/// Ink analysis of a prepared page and its OCR words.
pub fn analyse(prepared: Prepared, words: &[Word], dpi: f32) -> Analysis {
    let Prepared {
        rules,
        labelled,
        size,
        letter_h,
        mut local,
        ..
    } = prepared;
    let comps = labelled.comps;
    let median_h = ink::median_text_height(words);
    let (pieces, inside) = ink::pieces_of(words, &comps);
    let printed = ink::printed_words(words, median_h, &pieces);
    // The components of printed words are not handwriting.
    let mut is_print = vec![false; comps.len()];
    for (list, _) in inside.iter().zip(&printed).filter(|(_, p)| **p) {
        for &i in list {
            is_print[i] = true;
        }
    }
    // Handwriting is what the local binarisation shows once rules and print (grown by a few
    // pixels: the local threshold draws letters a little fatter) are gone.
    let (w, h) = size;
    let mut print_mask = vec![false; w * h];
    for &(y, x0, x1, c) in &labelled.runs {
        if is_print.get(c as usize).copied().unwrap_or(false) {
            let row = y as usize * w;
            print_mask[row + x0 as usize..row + x1 as usize]
                .iter_mut()
                .for_each(|m| *m = true);
        }
    }
    let grow = ((dpi / 75.0).round() as usize).max(2);
    let print_mask = dilate(&print_mask, w, h, grow);
    for (v, m) in local.px.iter_mut().zip(&print_mask) {
        if *m {
            *v = 0;
        }
    }
    drop(print_mask);
    let residual_labelled = ink::components(&local, 50_000);
    let residual: Vec<ink::Component> = residual_labelled
        .comps
        .iter()
        .filter(|c| !ink::is_margin_or_residue(c, &rules, dpi, w, h))
        .copied()
        .collect();
    let blobs = ink::blobs(&residual, &rules, dpi, (w * h) as f32, &local, letter_h);
    let seen: Vec<ink::Blob> = blobs
        .iter()
        .filter(|b| b.verdict != ink::Verdict::Trace)
        .cloned()
        .collect();
    let mut keep: Vec<bool> = words
        .iter()
        .zip(&printed)
        .map(|(w, &p)| !layout::is_junk(w, p, &seen, median_h))
        .collect();
    layout::keep_date_runs(words, &mut keep, median_h);
    Analysis { rules, keep, blobs }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Page;

    #[test]
    fn disabled_ocr_reports_the_pages_not_read() {
        let mut ex = Extracted {
            pages: vec![
                Page {
                    number: 1,
                    scanned: true,
                    ..Page::default()
                },
                Page {
                    number: 2,
                    text: "texte".into(),
                    ..Page::default()
                },
                Page {
                    number: 3,
                    scanned: true,
                    ..Page::default()
                },
            ],
            ..Extracted::default()
        };
        let limits = Limits {
            ocr: false,
            ..Limits::default()
        };
        complete(Format::Pdf, b"%PDF-1.4", &mut ex, &limits);
        assert_eq!(
            ex.warnings,
            vec!["pages 1, 3 not read: OCR disabled (--no-ocr)".to_string()]
        );
        assert_eq!(
            ex.metadata.other.get(META_NOT_READ).map(String::as_str),
            Some("2")
        );
        assert!(ex.pages[0].text.is_empty() && ex.pages[0].scanned);
    }

    #[test]
    fn an_unreadable_pdf_leaves_pages_unread_with_a_reason() {
        let engine = Engine {
            program: "/nonexistent/tesseract".into(),
            version: "tesseract 0".into(),
            langs: "fra".into(),
        };
        let mut ex = Extracted {
            pages: vec![Page {
                number: 1,
                scanned: true,
                ..Page::default()
            }],
            ..Extracted::default()
        };
        complete_with(
            &engine,
            Format::Pdf,
            b"not a pdf",
            &mut ex,
            &Limits::default(),
            &[0],
        );
        assert_eq!(ex.warnings.len(), 1);
        assert!(
            ex.warnings[0].starts_with("page 1 not read: PDF not reopened"),
            "{:?}",
            ex.warnings
        );
    }

    #[test]
    fn dilation_grows_a_mask_by_r() {
        let (w, h) = (9, 7);
        let mut m = vec![false; w * h];
        m[3 * w + 4] = true;
        let d = dilate(&m, w, h, 2);
        for y in 0..h {
            for x in 0..w {
                let inside = (2..=6).contains(&x) && (1..=5).contains(&y);
                assert_eq!(d[y * w + x], inside, "{x},{y}");
            }
        }
        let d = dilate(&m, w, h, 0);
        assert_eq!(d, m);
    }

    #[test]
    fn dilation_equals_the_square_neighbourhood_at_the_edges_too() {
        // A pseudo-random mask; every radius, including ones larger than the page.
        let (w, h) = (23, 17);
        let mut seed = 12345u32;
        let m: Vec<bool> = (0..w * h)
            .map(|_| {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                (seed >> 16).is_multiple_of(13)
            })
            .collect();
        for r in [0, 1, 2, 5, 20, 40] {
            let d = dilate(&m, w, h, r);
            for y in 0..h {
                for x in 0..w {
                    let want = (y.saturating_sub(r)..(y + r + 1).min(h)).any(|yy| {
                        (x.saturating_sub(r)..(x + r + 1).min(w)).any(|xx| m[yy * w + xx])
                    });
                    assert_eq!(d[y * w + x], want, "r {r} at {x},{y}");
                }
            }
        }
    }

    #[test]
    fn born_digital_pages_are_left_alone() {
        let mut ex = Extracted {
            pages: vec![Page {
                number: 1,
                text: "Convention".into(),
                ..Page::default()
            }],
            ..Extracted::default()
        };
        let before = ex.clone();
        complete(
            Format::Pdf,
            b"",
            &mut ex,
            &Limits {
                ocr: false,
                ..Limits::default()
            },
        );
        assert_eq!(ex, before);
    }
}
