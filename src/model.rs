//! The data that flows between the pipeline's stages.
//!
//! Owns the *extracted document* model: what every extractor produces, whatever the format
//! (text per page or sheet, tables as cell grids, images with where they sit, form fields,
//! metadata, embedded children). It must not know about kinds, sessions or rules: those live in
//! `understand`, `sessions` and `rules`, which read this model and never the raw bytes.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A file's format, decided from its content (see `detect`), never from its extension alone.
/// The serialised names are those of the report contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Pdf,
    Docx,
    Doc,
    Odt,
    Xlsx,
    Xls,
    Ods,
    Csv,
    Eml,
    Image,
    Zip,
    Other,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Doc => "doc",
            Format::Odt => "odt",
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Csv => "csv",
            Format::Eml => "eml",
            Format::Image => "image",
            Format::Zip => "zip",
            Format::Other => "other",
        }
    }

    /// The format a file name's extension claims (used only as a fallback when the content is
    /// not recognisable, e.g. a truncated `.docx` or a zero-byte `.pdf`).
    pub fn from_extension(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match ext.as_str() {
            "pdf" => Format::Pdf,
            "docx" | "docm" | "dotx" => Format::Docx,
            "doc" | "dot" => Format::Doc,
            "odt" | "ott" => Format::Odt,
            "xlsx" | "xlsm" | "xltx" => Format::Xlsx,
            "xls" | "xlt" => Format::Xls,
            "ods" | "ots" => Format::Ods,
            "csv" | "tsv" => Format::Csv,
            "eml" => Format::Eml,
            "jpg" | "jpeg" | "png" | "tif" | "tiff" | "gif" | "bmp" | "webp" | "heic" => {
                Format::Image
            }
            "zip" => Format::Zip,
            _ => return None,
        })
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rectangle in the page's own units (PDF points, origin bottom-left, y up).
#[derive(Clone, Copy, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

impl Rect {
    pub fn right(&self) -> f32 {
        self.x + self.width
    }
    pub fn top(&self) -> f32 {
        self.y + self.height
    }
}

/// One typed spreadsheet / table cell.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum CellValue {
    #[default]
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// `YYYY-MM-DD`, normalised across xlsx serials, xls serials and ods ISO text.
    Date(String),
    /// `YYYY-MM-DDTHH:MM:SS`.
    DateTime(String),
    /// `HH:MM:SS` (a time-of-day or a duration cell).
    Time(String),
    /// A cell whose value could not be read (e.g. `#DIV/0!`).
    Error(String),
}

#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Cell {
    /// The cell as a person reads it (dates as `DD/MM/YYYY`, numbers without trailing `.0`).
    pub text: String,
    pub value: CellValue,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        let s = s.into();
        if s.trim().is_empty() {
            Cell {
                text: s,
                value: CellValue::Empty,
            }
        } else {
            Cell {
                text: s.clone(),
                value: CellValue::Text(s),
            }
        }
    }
    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// A merged range in a grid, 0-based inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellRange {
    pub first_row: u32,
    pub first_col: u32,
    pub last_row: u32,
    pub last_col: u32,
}

/// A table (a Word/ODT table, a spreadsheet's used range, a CSV file) as a grid of cells.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Table {
    pub rows: Vec<Vec<Cell>>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub merged: Vec<CellRange>,
    /// Sheet coordinates of `rows[0][0]` (spreadsheets whose used range starts at, say, B3).
    #[serde(default)]
    pub origin: (u32, u32),
}

impl Table {
    pub fn width(&self) -> usize {
        self.rows.iter().map(|r| r.len()).max().unwrap_or(0)
    }
}

/// Where an embedded image sits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Anchor {
    /// PDF: the image's box on the page (from the `cm` matrix in force at `Do`).
    Page { rect: Rect },
    /// DOCX/ODT: inside the body paragraph number `index` (0-based, counting body paragraphs
    /// outside tables); `context` is the nearest non-empty text at or before that paragraph.
    Paragraph { index: usize, context: String },
    /// DOCX/ODT: inside a table cell (0-based); `header` is the text of that column's first row.
    TableCell {
        table: usize,
        row: usize,
        col: usize,
        header: String,
    },
    /// Spreadsheet: anchored at a cell (0-based sheet coordinates, from `xl/drawings`).
    SheetCell { row: u32, col: u32 },
    /// Header or footer of a word-processing document.
    HeaderFooter { part: String },
}

/// An image embedded in a document, or a mark placed like one: besides real images, PDF pages
/// report a signature drawn as vector paths (`encoding` `"vector"`, `name` "vector drawing, N
/// paths, M segments") and an ink annotation (`"ink_annotation"`, tablet signing); OCR reports
/// the ink it found on a scan (`"ink"`, `"ink-uncertain"`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImageRef {
    /// The XObject name (`Im4`), the media path (`word/media/image1.png`), ...
    pub name: String,
    /// `jpeg`, `png`, `tiff`, `jbig2`, `ccitt`, `jpx`, `raw`, `gif`, `bmp`, `emf`, `wmf`...;
    /// `vector`, `ink_annotation`, `ink`, `ink-uncertain` for marks that are not image files.
    pub encoding: Option<String>,
    pub width_px: Option<u32>,
    pub height_px: Option<u32>,
    pub anchor: Option<Anchor>,
}

/// A positioned run of text on a PDF page (a line once spans on one baseline are merged).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TextSpan {
    pub x: f32,
    pub y: f32,
    /// Estimated width in points (0 when unknown).
    pub width: f32,
    pub font_size: f32,
    pub text: String,
}

/// A page of a PDF, a sheet of a workbook, the body of a word-processing document or e-mail.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Page {
    /// 1-based.
    pub number: u32,
    /// The sheet name for spreadsheets; `None` elsewhere.
    pub label: Option<String>,
    /// All the text in reading order, one line per paragraph / text line / table row (cells
    /// separated by tabs). What the classifier and the date extractor read.
    pub text: String,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub tables: Vec<Table>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub images: Vec<ImageRef>,
    /// Positioned text lines (PDF only).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub spans: Vec<TextSpan>,
    /// Page size in points (PDF only).
    pub size: Option<(f32, f32)>,
    /// No usable text layer: image-only page, or text that decodes to garbage.
    pub scanned: bool,
}

/// A digital signature's dictionary (`/V` of a `/FT /Sig` field).
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct SignatureValue {
    pub sub_filter: Option<String>,
    /// `/M`, raw PDF date string (`D:20250312...`).
    pub signing_time: Option<String>,
    pub name: Option<String>,
    pub reason: Option<String>,
    pub location: Option<String>,
    pub byte_range: Vec<i64>,
    /// Whether the /ByteRange covers the whole file except the /Contents hole.
    pub covers_whole_file: Option<bool>,
    /// Signer common name from the certificate in /Contents, when it could be read.
    pub signer: Option<String>,
    pub contents_len: usize,
}

/// An AcroForm field (PDF) or a form control.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct FormField {
    pub name: String,
    /// `signature`, `text`, `button`, `choice`, or the raw /FT.
    pub kind: String,
    pub value: Option<String>,
    pub page: Option<u32>,
    pub rect: Option<Rect>,
    /// For signature fields: present when the field is signed (`/V` set).
    pub signature: Option<SignatureValue>,
}

/// Document metadata, as far as the format has it.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Metadata {
    pub title: Option<String>,
    pub author: Option<String>,
    pub subject: Option<String>,
    pub producer: Option<String>,
    pub creator: Option<String>,
    /// Raw creation date as stored (`D:2025...`, ISO...).
    pub created: Option<String>,
    pub modified: Option<String>,
    /// E-mail headers and anything else (`from`, `to`, `date`, `pages_declared`...).
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub other: BTreeMap<String, String>,
}

/// A document embedded in another (a zip member, an e-mail attachment), to be processed as a
/// document of its own under `parent_path/name`.
#[derive(Clone, Debug, PartialEq)]
pub struct Child {
    /// Path inside the container, `/`-separated (`inner/dir/file.pdf`).
    pub name: String,
    /// The bytes, or the error that prevented reading them (too large, corrupt member...).
    pub data: Result<Vec<u8>, crate::error::Error>,
}

/// What an extractor produced for one file.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Extracted {
    pub pages: Vec<Page>,
    pub fields: Vec<FormField>,
    pub metadata: Metadata,
    pub children: Vec<Child>,
    /// Things worth telling the user that did not prevent reading (a member skipped...).
    pub warnings: Vec<String>,
}

impl Extracted {
    /// The whole text, pages separated by form feeds.
    pub fn full_text(&self) -> String {
        let mut out = String::new();
        for (i, p) in self.pages.iter().enumerate() {
            if i > 0 {
                out.push('\u{c}');
            }
            out.push_str(&p.text);
        }
        out
    }

    /// True when every page lacks a usable text layer (and there is at least one page).
    pub fn is_scanned(&self) -> bool {
        !self.pages.is_empty() && self.pages.iter().all(|p| p.scanned)
    }
}
