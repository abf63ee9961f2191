//! CSV: delimiter (`;`, `,`, tab) and encoding (UTF-8 with or without BOM, Windows-1252, which
//! French Excel writes) detected; the file becomes one page holding one table. Survey exports
//! (Google Forms "Horodateur", Typeform "Submit Date (UTC)") arrive here.

use super::{Extractor, Input};
use crate::error::{Error, Result};
use crate::model::{Cell, Extracted, Format, Page, Table};

pub struct CsvExtractor;

/// Guesses the delimiter from the first lines: the candidate that appears the same non-zero
/// number of times on most lines (quoted fields aside). `None` when the text is not tabular.
pub fn sniff_delimiter(text: &str) -> Option<u8> {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(30)
        .collect();
    if lines.len() < 2 {
        return None;
    }
    // Allow the last sampled line to be cut by the sniffing window.
    let considered = &lines[..lines.len() - usize::from(lines.len() > 2)];
    let mut best: Option<(u8, usize)> = None;
    for d in [b';', b'\t', b','] {
        let counts: Vec<usize> = considered
            .iter()
            .map(|l| count_outside_quotes(l, d))
            .collect();
        let with = counts.iter().filter(|&&c| c > 0).count();
        if with * 10 < considered.len() * 7 {
            continue;
        }
        // The most common non-zero count, and how many lines share it.
        let mut freq: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
        for &c in counts.iter().filter(|&&c| c > 0) {
            *freq.entry(c).or_default() += 1;
        }
        let (mode, share) = freq
            .iter()
            .max_by_key(|(c, n)| (**n, **c))
            .map(|(c, n)| (*c, *n))
            .unwrap_or((0, 0));
        if share * 10 < considered.len() * 4 {
            continue;
        }
        let score = with * 100 + share * 10 + mode.min(9);
        if best.is_none_or(|(_, s)| score > s) {
            best = Some((d, score));
        }
    }
    best.map(|(d, _)| d)
}

fn count_outside_quotes(line: &str, d: u8) -> usize {
    let mut quoted = false;
    let mut n = 0;
    for &b in line.as_bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == d && !quoted {
            n += 1;
        }
    }
    n
}

impl Extractor for CsvExtractor {
    fn name(&self) -> &'static str {
        "csv"
    }
    fn version(&self) -> u32 {
        1
    }
    fn formats(&self) -> &'static [Format] {
        &[Format::Csv]
    }
    fn extract(&self, input: &Input) -> Result<Extracted> {
        let (text, encoding) = crate::textenc::decode(input.bytes);
        let sample_end = text
            .char_indices()
            .nth(16 * 1024)
            .map_or(text.len(), |(i, _)| i);
        let delimiter = sniff_delimiter(&text[..sample_end]).unwrap_or(b',');
        let mut reader = ::csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut rows = Vec::new();
        for (i, record) in reader.records().enumerate() {
            if i % 4096 == 0 {
                input.check_time()?;
            }
            let record = record.map_err(|e| Error::corrupt(format!("CSV: {e}")))?;
            rows.push(record.iter().map(Cell::text).collect::<Vec<_>>());
        }
        let mut page_text = String::new();
        for row in &rows {
            let cells: Vec<&str> = row.iter().map(|c| c.text.as_str()).collect();
            page_text.push_str(&cells.join("\t"));
            page_text.push('\n');
        }
        let mut extracted = Extracted {
            pages: vec![Page {
                number: 1,
                text: page_text,
                tables: vec![Table {
                    rows,
                    ..Table::default()
                }],
                ..Page::default()
            }],
            ..Extracted::default()
        };
        let delimiter_name = match delimiter {
            b';' => "semicolon",
            b'\t' => "tab",
            _ => "comma",
        };
        extracted
            .metadata
            .other
            .insert("encoding".into(), encoding.as_str().into());
        extracted
            .metadata
            .other
            .insert("delimiter".into(), delimiter_name.into());
        Ok(extracted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Limits;

    fn run(bytes: &[u8]) -> Extracted {
        let limits = Limits::default();
        let input = Input {
            bytes,
            name: "x.csv",
            limits: &limits,
            depth: 0,
            started: std::time::Instant::now(),
        };
        CsvExtractor.extract(&input).unwrap()
    }

    #[test]
    fn french_excel_semicolon_cp1252() {
        let e = run(b"Nom;Pr\xE9nom;Signature\r\nDupr\xE9;H\xE9l\xE8ne;ok\r\n");
        let t = &e.pages[0].tables[0];
        assert_eq!(t.rows[0][1].text, "Prénom");
        assert_eq!(t.rows[1][1].text, "Hélène");
        assert_eq!(e.metadata.other["encoding"], "windows-1252");
        assert_eq!(e.metadata.other["delimiter"], "semicolon");
    }

    #[test]
    fn google_forms_comma_quoted_utf8_bom() {
        let e = run(
            "\u{feff}\"Horodateur\",\"Nom\",\"Êtes-vous satisfait, globalement ?\"\n\"12/03/2025 14:32:10\",\"Léa\",\"Oui, très\"\n"
                .as_bytes(),
        );
        let t = &e.pages[0].tables[0];
        assert_eq!(t.rows[0][0].text, "Horodateur");
        assert_eq!(t.rows[0][2].text, "Êtes-vous satisfait, globalement ?");
        assert_eq!(t.rows[1][2].text, "Oui, très");
        assert_eq!(e.metadata.other["delimiter"], "comma");
    }

    #[test]
    fn tab_separated() {
        assert_eq!(sniff_delimiter("a\tb\tc\n1\t2\t3\n"), Some(b'\t'));
    }

    #[test]
    fn prose_is_not_csv() {
        assert_eq!(
            sniff_delimiter("Bonjour, voici le programme.\nMerci de confirmer.\n"),
            None
        );
        assert_eq!(sniff_delimiter("une seule ligne;avec;point-virgule"), None);
    }
}
