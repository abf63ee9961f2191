//! A read-only, normalised view of one extracted document, computed once and shared by the
//! classifier, the date extractor's callers and the signature analysis: normalised lines, the
//! title zone, table header rows, file and folder name tokens.

use super::normalize::normalize_line;
use crate::model::{Extracted, Format, Table};

/// One normalised line with where it came from.
#[derive(Clone, Debug)]
pub struct Line {
    pub page: u32,
    pub norm: String,
    /// The original text of the line.
    pub raw: String,
}

pub struct DocView<'a> {
    pub path: &'a str,
    pub format: Format,
    pub ex: &'a Extracted,
    /// All non-empty lines, in order.
    pub lines: Vec<Line>,
    /// The lines a document names itself with (first lines of page 1, large-font lines, the
    /// e-mail subject, "Objet :" lines), normalised.
    pub title_lines: Vec<String>,
    /// Normalised text of the whole document (lines joined by '\n').
    pub norm: String,
    /// Normalised header cells of each table (first rows that hold text).
    pub headers: Vec<Vec<String>>,
    /// Normalised file name without extension.
    pub file_name: String,
    /// Normalised names of the parent folders (nearest first, at most 2).
    pub folders: Vec<String>,
    /// The document's e-signature trail, read once (`esign::trail` is asked by the classifier,
    /// the signature analysis and the dates).
    pub(crate) trail: std::cell::OnceCell<Option<super::esign::Trail>>,
}

const TITLE_LINES: usize = 12;

/// Folders above a file that its understanding reads (`DocView::folders`).
pub const CONTEXT_FOLDERS: usize = 2;

/// The part of a path that understanding reads: the file name and its `CONTEXT_FOLDERS`
/// nearest folders. Two files with the same bytes and the same context are understood the same
/// way (the results cache keys on it).
pub fn path_context(path: &str) -> &str {
    let mut cut = path.len();
    for _ in 0..=CONTEXT_FOLDERS {
        match path[..cut].rfind('/') {
            Some(i) => cut = i,
            None => return path,
        }
    }
    &path[cut + 1..]
}

impl<'a> DocView<'a> {
    pub fn new(path: &'a str, format: Format, ex: &'a Extracted) -> DocView<'a> {
        let mut lines = Vec::new();
        for p in &ex.pages {
            for raw in p.text.lines() {
                let norm = normalize_line(raw);
                if !norm.is_empty() {
                    lines.push(Line {
                        page: p.number,
                        norm,
                        raw: raw.trim().to_string(),
                    });
                }
            }
        }
        let mut title_lines: Vec<String> = Vec::new();
        if let Some(subject) = ex
            .metadata
            .other
            .get("subject")
            .or(ex.metadata.title.as_ref())
            && format == Format::Eml
        {
            title_lines.push(normalize_line(subject));
        }
        if let Some(first) = ex.pages.first() {
            // Large-font lines of page 1 (PDF).
            if !first.spans.is_empty() {
                let mut sizes: Vec<f32> = first.spans.iter().map(|s| s.font_size).collect();
                sizes.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
                let median = sizes[sizes.len() / 2];
                for s in first
                    .spans
                    .iter()
                    .filter(|s| s.font_size >= median * 1.25)
                    .take(10)
                {
                    let n = normalize_line(&s.text);
                    if !n.is_empty() {
                        title_lines.push(n);
                    }
                }
            }
        }
        let page1: Vec<&Line> = lines
            .iter()
            .filter(|l| l.page == 1)
            .take(TITLE_LINES)
            .collect();
        for l in page1 {
            title_lines.push(l.norm.clone());
        }
        for l in lines.iter().take(60) {
            if let Some(rest) = l
                .norm
                .strip_prefix("objet :")
                .or_else(|| l.norm.strip_prefix("objet:"))
            {
                title_lines.push(rest.trim().to_string());
            }
        }
        // Sheet names say what a workbook is.
        for p in &ex.pages {
            if let Some(label) = &p.label {
                title_lines.push(normalize_line(label));
            }
        }
        let norm = lines
            .iter()
            .map(|l| l.norm.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let headers = ex
            .pages
            .iter()
            .flat_map(|p| p.tables.iter())
            .flat_map(header_rows)
            .collect();
        let mut parts: Vec<&str> = path.split('/').collect();
        let file = parts.pop().unwrap_or("");
        let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
        let file_name = normalize_line(&stem.replace(['_', '.'], " "));
        let folders = parts
            .iter()
            .rev()
            .take(CONTEXT_FOLDERS)
            .map(|f| normalize_line(&f.replace(['_', '-', '.'], " ")))
            .collect();
        DocView {
            path,
            format,
            ex,
            lines,
            title_lines,
            norm,
            headers,
            file_name,
            folders,
            trail: std::cell::OnceCell::new(),
        }
    }
}

/// The header rows of a table, normalised: the first row holding at least two non-empty
/// cells, and any later row (among the first 30) that looks like a header — three or more text
/// cells, at most one holding a digit (exports such as Teams' put several sections in one file).
pub fn header_rows(t: &Table) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    for (i, row) in t.rows.iter().take(30).enumerate() {
        let cells: Vec<String> = row.iter().map(|c| normalize_line(&c.text)).collect();
        let filled = cells.iter().filter(|c| !c.is_empty()).count();
        let digits = cells
            .iter()
            .filter(|c| c.chars().any(|ch| ch.is_ascii_digit()))
            .count();
        if (out.is_empty() && filled >= 2 && i < 6) || (filled >= 3 && digits <= 1) {
            if !out.contains(&cells) {
                out.push(cells);
            }
            if out.len() >= 4 {
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_context_is_the_name_and_the_folders_the_view_reads() {
        assert_eq!(path_context("a/b/c/d/f.pdf"), "c/d/f.pdf");
        assert_eq!(path_context("d/f.pdf"), "d/f.pdf");
        assert_eq!(path_context("f.pdf"), "f.pdf");
        let ex = Extracted::default();
        let a = DocView::new("x/y/c/d/Convention.pdf", Format::Pdf, &ex);
        let b = DocView::new("other/c/d/Convention.pdf", Format::Pdf, &ex);
        assert_eq!(
            path_context(a.path),
            path_context(b.path),
            "same context, same view"
        );
        assert_eq!((a.file_name, a.folders), (b.file_name, b.folders));
    }
}
