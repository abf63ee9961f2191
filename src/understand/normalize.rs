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
    let (first_alnum, last_alnum) = alnum_ends(phrase);
    let mut from = 0;
    while let Some(i) = hay[from..].find(phrase) {
        let start = from + i;
        let end = start + phrase.len();
        if on_boundaries(hay, start, end, first_alnum, last_alnum) {
            return Some(start);
        }
        from = start + hay[start..].chars().next().map_or(1, |c| c.len_utf8());
    }
    None
}

/// Whether a phrase starts and ends with a letter or digit (only those ends need a boundary).
fn alnum_ends(phrase: &str) -> (bool, bool) {
    (
        phrase.chars().next().is_some_and(|c| c.is_alphanumeric()),
        phrase.chars().last().is_some_and(|c| c.is_alphanumeric()),
    )
}

/// Whether the match `hay[start..end]` stands on word boundaries (at its alphanumeric ends).
fn on_boundaries(hay: &str, start: usize, end: usize, first_alnum: bool, last_alnum: bool) -> bool {
    let before_ok = !first_alnum
        || start == 0
        || !hay[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric());
    let after_ok = !last_alnum
        || end >= hay.len()
        || !hay[end..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric());
    before_ok && after_ok
}

/// A fixed set of phrases (a vocabulary) searched in one pass: [`PhraseSet::find_all`] answers,
/// for every phrase, what [`find_phrase`] answers, reading the text once (Aho-Corasick) instead
/// of once per phrase.
pub struct PhraseSet {
    /// Over the distinct non-empty phrases.
    ac: Option<aho_corasick::AhoCorasick>,
    /// For each distinct phrase: its alphanumeric ends.
    ends: Vec<(bool, bool)>,
    /// For each phrase given (in order): its index among the distinct ones (`None`: empty).
    slot: Vec<Option<usize>>,
}

impl PhraseSet {
    /// The set of `phrases`; answers are indexed like `phrases` (duplicates and empty phrases
    /// allowed: an empty phrase is never found, as with `find_phrase`).
    pub fn new<S: AsRef<str>>(phrases: &[S]) -> PhraseSet {
        let mut distinct: Vec<&str> = Vec::new();
        let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        let slot = phrases
            .iter()
            .map(|p| {
                let p = p.as_ref();
                (!p.is_empty()).then(|| {
                    *index.entry(p).or_insert_with(|| {
                        distinct.push(p);
                        distinct.len() - 1
                    })
                })
            })
            .collect();
        let ends = distinct.iter().map(|p| alnum_ends(p)).collect();
        // Standard semantics: overlapping search reports every occurrence of every phrase.
        let ac = (!distinct.is_empty()).then(|| {
            aho_corasick::AhoCorasick::new(&distinct)
                .unwrap_or_else(|e| panic!("phrase set cannot be built: {e}"))
        });
        PhraseSet { ac, ends, slot }
    }

    /// For each phrase of the set (in the order given to `new`), the byte offset of its first
    /// occurrence in `hay` on word boundaries: `find_phrase(hay, phrase)` for every phrase.
    pub fn find_all(&self, hay: &str) -> Vec<Option<usize>> {
        let mut first: Vec<Option<usize>> = vec![None; self.ends.len()];
        if let Some(ac) = &self.ac {
            // Matches come by increasing end; a phrase has one length, so its first match on
            // boundaries is its earliest start.
            for m in ac.find_overlapping_iter(hay) {
                let id = m.pattern().as_usize();
                if first[id].is_none() {
                    let (a, b) = self.ends[id];
                    if on_boundaries(hay, m.start(), m.end(), a, b) {
                        first[id] = Some(m.start());
                    }
                }
            }
        }
        self.slot.iter().map(|s| s.and_then(|i| first[i])).collect()
    }
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

    #[test]
    fn phrase_set_answers_like_find_phrase() {
        let phrases = [
            "convention",
            "cv",
            "l6353-1",
            "",
            "a",
            "aa",
            "convention de formation",
            "cv",
            "(cv)",
            "emargement",
            "-",
            "é",
        ];
        let set = PhraseSet::new(&phrases);
        for hay in [
            "la convention de formation",
            "conventionnel convention",
            "art. l6353-1 du code l6353-10",
            "cvs (cv) cv",
            "aaa aa a",
            "",
            "feuille d'emargement-signee",
            "café é xé",
            "a-b -",
        ] {
            let all = set.find_all(hay);
            for (p, got) in phrases.iter().zip(&all) {
                assert_eq!(*got, find_phrase(hay, p), "{p:?} in {hay:?}");
            }
        }
        assert_eq!(
            PhraseSet::new::<&str>(&[]).find_all("x"),
            Vec::<Option<usize>>::new()
        );
    }
}
