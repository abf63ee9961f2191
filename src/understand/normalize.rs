//! Text normalisation for matching: lower case, accents and ligatures folded ("Œuvre" →
//! "oeuvre", "émargement" → "emargement", "ﬁ" → "fi"), typographic apostrophes and dashes
//! unified, runs of white space collapsed. Matching never depends on accents or case.

/// Folds one character; returns the replacement (possibly two chars for ligatures).
fn fold(c: char, out: &mut String) {
    let s: &str = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "a",
        'ç' | 'Ç' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
        'ñ' | 'Ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
        'ý' | 'ÿ' | 'Ý' | 'Ÿ' => "y",
        'œ' | 'Œ' => "oe",
        'æ' | 'Æ' => "ae",
        'ß' => "ss",
        'ﬁ' => "fi",
        'ﬂ' => "fl",
        'ﬀ' => "ff",
        'ﬃ' => "ffi",
        'ﬄ' => "ffl",
        '’' | '‘' | '`' | '´' | 'ʼ' => "'",
        '–' | '—' | '‐' | '‑' | '−' => "-",
        '«' | '»' | '“' | '”' => "\"",
        '\u{a0}' | '\u{202f}' | '\t' => " ",
        _ => {
            for l in c.to_lowercase() {
                // Combining accents (decomposed text) are dropped.
                if !('\u{300}'..='\u{36f}').contains(&l) {
                    out.push(l);
                }
            }
            return;
        }
    };
    out.push_str(s);
}

/// Normalises text for matching, keeping line breaks (each line trimmed, inner spaces collapsed).
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut folded = String::with_capacity(line.len());
        for c in line.chars() {
            fold(c, &mut folded);
        }
        let mut first = true;
        for word in folded.split_whitespace() {
            if !first {
                out.push(' ');
            }
            out.push_str(word);
            first = false;
        }
        out.push('\n');
    }
    out
}

/// Normalises one short string (a name, a cell, a file name) to a single line.
pub fn normalize_line(text: &str) -> String {
    normalize(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Words of a normalised string (letters and digits runs).
pub fn words(norm: &str) -> impl Iterator<Item = &str> {
    norm.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Whether `phrase` (normalised) occurs in `hay` (normalised) on word boundaries.
pub fn contains_phrase(hay: &str, phrase: &str) -> bool {
    find_phrase(hay, phrase).is_some()
}

/// Byte offset of the first occurrence of `phrase` in `hay` on word boundaries.
pub fn find_phrase(hay: &str, phrase: &str) -> Option<usize> {
    if phrase.is_empty() {
        return None;
    }
    let bytes = hay.as_bytes();
    let first_alnum = phrase.chars().next().is_some_and(|c| c.is_alphanumeric());
    let last_alnum = phrase.chars().last().is_some_and(|c| c.is_alphanumeric());
    let mut from = 0;
    while let Some(i) = hay[from..].find(phrase) {
        let start = from + i;
        let end = start + phrase.len();
        let before_ok = !first_alnum
            || start == 0
            || !hay[..start]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric());
        let after_ok = !last_alnum
            || end >= bytes.len()
            || !hay[end..]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric());
        if before_ok && after_ok {
            return Some(start);
        }
        from = start + hay[start..].chars().next().map_or(1, |c| c.len_utf8());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_ligatures_case_and_spaces() {
        assert_eq!(
            normalize_line("  Feuille  d’ÉMARGEMENT – Œuvre ﬁnale "),
            "feuille d'emargement - oeuvre finale"
        );
        // Decomposed accents (NFD) fold too.
        assert_eq!(normalize_line("e\u{301}margement"), "emargement");
    }

    #[test]
    fn phrase_on_word_boundaries() {
        assert!(contains_phrase("la convention de formation", "convention"));
        assert!(!contains_phrase("conventionnel", "convention"));
        assert!(contains_phrase("art. l6353-1 du code", "l6353-1"));
        assert!(!contains_phrase("cvs", "cv"));
        assert!(contains_phrase("(cv)", "cv"));
    }
}
