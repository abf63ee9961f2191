//! Extraction: bytes of one file → an [`Extracted`] document.
//!
//! One extractor per format behind the [`Extractor`] trait, each with a name and a version (the
//! version is part of any future cache key: bump it whenever its output changes). This module
//! owns the dispatch (format → extractor), the limits, and the panic guard. Extractors read bytes
//! in memory and must never touch the file system, the network, or global state; they return
//! errors as [`Error`] values with the report's codes and never panic on purpose.

pub mod csv;
pub mod doc;
pub mod docx;
pub mod eml;
pub mod image;
pub mod odt;
pub mod pdf;
pub mod sheet;
pub mod text;
pub mod xml;
pub mod zip;

use crate::error::{Error, Result};
use crate::model::{Extracted, Format};
use std::time::{Duration, Instant};

/// Resource limits for one file. Shared by all extractors.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Largest file (or container member) read at all.
    pub max_file_bytes: u64,
    /// Largest decompressed stream or XML part inside a file.
    pub max_part_bytes: u64,
    /// Nesting of containers (zip in zip in e-mail...).
    pub max_depth: u32,
    /// Sum of the expanded sizes of one archive's members.
    pub max_expanded_bytes: u64,
    /// Members of one archive.
    pub max_members: usize,
    /// Wall-clock budget for one file's extraction, checked between pages/parts.
    pub time_budget: Duration,
    /// OCR of scanned pages with tesseract when it is installed (see `crate::ocr`).
    pub ocr: bool,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_bytes: 512 * 1024 * 1024,
            max_part_bytes: 256 * 1024 * 1024,
            max_depth: 4,
            max_expanded_bytes: 2 * 1024 * 1024 * 1024,
            max_members: 20_000,
            time_budget: Duration::from_secs(120),
            ocr: true,
        }
    }
}

/// What an extractor is given.
pub struct Input<'a> {
    pub bytes: &'a [u8],
    /// The file's own name (hints only: never trusted for the format).
    pub name: &'a str,
    pub limits: &'a Limits,
    /// Containers nesting level of this input (0 for a file on disk).
    pub depth: u32,
    pub started: Instant,
}

impl Input<'_> {
    /// Call between pages / parts: fails with `timeout` once the budget is spent.
    pub fn check_time(&self) -> Result<()> {
        if self.started.elapsed() > self.limits.time_budget {
            Err(Error::timeout(format!(
                "extraction stopped after {} s (per-file limit)",
                self.limits.time_budget.as_secs()
            )))
        } else {
            Ok(())
        }
    }
}

/// One extractor per format.
pub trait Extractor: Sync {
    /// Stable identifier, e.g. `pdf-lopdf`.
    fn name(&self) -> &'static str;
    /// Bumped whenever the output for the same input changes.
    fn version(&self) -> u32;
    /// Formats this extractor reads.
    fn formats(&self) -> &'static [Format];
    fn extract(&self, input: &Input) -> Result<Extracted>;
}

/// The extractor for a format.
pub fn extractor_for(format: Format) -> &'static dyn Extractor {
    match format {
        Format::Pdf => &pdf::PdfExtractor,
        Format::Docx => &docx::DocxExtractor,
        Format::Odt => &odt::OdtExtractor,
        Format::Xlsx | Format::Xls | Format::Ods => &sheet::SheetExtractor,
        Format::Csv => &csv::CsvExtractor,
        Format::Doc => &doc::DocExtractor,
        Format::Eml => &eml::EmlExtractor,
        Format::Zip => &zip::ZipExtractor,
        Format::Image => &image::ImageExtractor,
        Format::Other => &text::TextExtractor,
    }
}

/// Runs the extractor for `format` on `input`, turning a panic into an `internal` error.
pub fn extract_guarded(format: Format, input: &Input) -> Result<Extracted> {
    run_guarded(extractor_for(format), input)
}

/// Runs `extractor` on `input` under the panic guard: a panic becomes an `internal` error for
/// this file and the run goes on.
pub fn run_guarded(extractor: &dyn Extractor, input: &Input) -> Result<Extracted> {
    match crate::panic_guard::catch(|| extractor.extract(input)) {
        Ok(result) => result,
        Err(message) => Err(Error::internal(format!(
            "{} extractor crashed: {message} (a bug in preuves; the run went on)",
            extractor.name()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    struct Panicker;
    impl Extractor for Panicker {
        fn name(&self) -> &'static str {
            "panicker"
        }
        fn version(&self) -> u32 {
            1
        }
        fn formats(&self) -> &'static [Format] {
            &[]
        }
        fn extract(&self, input: &Input) -> Result<Extracted> {
            let v: Vec<u8> = Vec::new();
            // An out-of-bounds index, as a buggy parser would do on hostile bytes.
            let _ = v[input.bytes.len()];
            Ok(Extracted::default())
        }
    }

    #[test]
    fn a_panicking_extractor_becomes_an_internal_error() {
        let limits = Limits::default();
        let input = Input {
            bytes: b"abc",
            name: "x",
            limits: &limits,
            depth: 0,
            started: Instant::now(),
        };
        let err = run_guarded(&Panicker, &input).unwrap_err();
        assert_eq!(err.code, ErrorCode::Internal);
        assert!(
            err.message.contains("panicker extractor crashed"),
            "{}",
            err.message
        );
        assert!(
            err.message.contains("index out of bounds"),
            "{}",
            err.message
        );
    }

    #[test]
    fn every_format_has_an_extractor_that_lists_it() {
        for f in [
            Format::Pdf,
            Format::Docx,
            Format::Doc,
            Format::Odt,
            Format::Xlsx,
            Format::Xls,
            Format::Ods,
            Format::Csv,
            Format::Eml,
            Format::Image,
            Format::Zip,
            Format::Other,
        ] {
            assert!(extractor_for(f).formats().contains(&f), "{f}");
        }
    }
}
