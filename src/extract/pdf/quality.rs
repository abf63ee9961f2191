//! "Does this look like real text?" — tells a usable text layer from decoding garbage.
//!
//! Owns one heuristic: text decoded through a font without a Unicode mapping (Identity-H without
//! `/ToUnicode`, custom-encoded subsets) comes out as replacement characters or as shifted
//! letters (`)HXLOOH G«PDUJHPHQW` for "Feuille d'émargement"). Real French or English text has
//! vowels in nearly every word, few long consonant runs, sane letter case and stop-words. It must
//! not decide what a page *is* (scanned or not): the extractor combines this verdict with images.

/// What a page's text layer is worth.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Verdict {
    /// Nothing (or too little) to judge.
    Empty,
    Garbage,
    Usable,
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Assessment {
    pub(super) verdict: Verdict,
    /// Alphabetic characters in the text.
    pub(super) letters: usize,
}

const STOP_WORDS: &[&str] = &[
    "le",
    "la",
    "les",
    "de",
    "des",
    "du",
    "un",
    "une",
    "et",
    "en",
    "au",
    "aux",
    "pour",
    "par",
    "sur",
    "dans",
    "avec",
    "est",
    "sont",
    "ce",
    "cette",
    "ces",
    "qui",
    "que",
    "se",
    "sa",
    "son",
    "ses",
    "il",
    "elle",
    "nous",
    "vous",
    "ils",
    "on",
    "ne",
    "pas",
    "plus",
    "ou",
    "leur",
    "été",
    "the",
    "of",
    "and",
    "to",
    "in",
    "for",
    "is",
    "on",
    "with",
    "by",
    "at",
    "from",
    "this",
    "that",
    "be",
    "are",
    "as",
    "an",
    "or",
    "it",
    "not",
    "date",
    "nom",
    "signature",
    "formation",
];

fn is_vowel(c: char) -> bool {
    matches!(
        c,
        'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'A' | 'E' | 'I' | 'O' | 'U' | 'Y'
            | 'à'..='æ' | 'è'..='ï' | 'ò'..='ö' | 'ø'..='ü' | 'ÿ'
            | 'À'..='Æ' | 'È'..='Ï' | 'Ò'..='Ö' | 'Ø'..='Ü' | 'Ÿ' | 'œ' | 'Œ'
    )
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || ('\u{c0}'..='\u{24f}').contains(&c)
}

/// None: no opinion (acronym, non-Latin script).
fn plausible(word: &str) -> Option<bool> {
    let chars: Vec<char> = word.chars().collect();
    if !chars.iter().all(|c| is_latin(*c)) {
        return None;
    }
    let upper = chars.iter().filter(|c| c.is_uppercase()).count();
    let vowels = chars.iter().filter(|c| is_vowel(**c)).count();
    if upper == chars.len() && chars.len() <= 4 && vowels == 0 {
        return None;
    }
    // Case: all lower, all upper, or capitalised (one leading capital).
    let case_ok = upper == 0
        || upper == chars.len()
        || (upper == 1 && chars.first().is_some_and(|c| c.is_uppercase()));
    if !case_ok || vowels == 0 {
        return Some(false);
    }
    let mut run = 0;
    let mut repeat = 1;
    for (i, c) in chars.iter().enumerate() {
        run = if is_vowel(*c) { 0 } else { run + 1 };
        if run >= 5 {
            return Some(false);
        }
        repeat = if i > 0 && chars[i - 1] == *c {
            repeat + 1
        } else {
            1
        };
        if repeat >= 4 {
            return Some(false);
        }
    }
    Some(true)
}

/// Below this share of vowels among Latin letters, text is not French/English (real pages:
/// 0.43–0.48; glyph-id garbage: 0.11–0.21; random letters: about 0.23).
const MIN_VOWEL_SHARE: f32 = 0.28;
/// Above this share of tokens mixing letters with symbols (`SU«YHQWLRQ`), text is garbage
/// (real pages: 0; glyph-id garbage: 0.87–1).
const MAX_MIXED_SHARE: f32 = 0.3;

/// Punctuation that may sit inside a real word or code (`l'été`, `2025-03`, `n°2`, `EQX/03`).
fn word_inner(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(
            c,
            '\'' | '’' | '-' | '.' | ',' | '/' | '&' | '@' | '_' | '°' | ':' | '+' | '%'
        )
}

pub(super) fn assess(text: &str) -> Assessment {
    let mut total = 0usize;
    let mut bad = 0usize;
    let mut letters = 0usize;
    let mut latin = 0usize;
    let mut vowels = 0usize;
    for c in text.chars() {
        if c.is_whitespace() {
            continue;
        }
        total += 1;
        if c.is_alphabetic() {
            letters += 1;
            if is_latin(c) {
                latin += 1;
                if is_vowel(c) {
                    vowels += 1;
                }
            }
        }
        if c == '\u{fffd}' || ('\u{e000}'..='\u{f8ff}').contains(&c) || c.is_control() {
            bad += 1;
        }
    }
    if total == 0 {
        return Assessment {
            verdict: Verdict::Empty,
            letters,
        };
    }
    if bad * 5 > total {
        return Assessment {
            verdict: Verdict::Garbage,
            letters,
        };
    }
    let mut words = 0usize;
    let mut good = 0usize;
    let mut stops = 0usize;
    let mut letter_tokens = 0usize;
    let mut mixed = 0usize;
    for token in text.split_whitespace() {
        let t = token.trim_matches(|c: char| !c.is_alphanumeric());
        if t.chars().any(char::is_alphabetic) {
            letter_tokens += 1;
            if !t.chars().all(word_inner) {
                mixed += 1;
            }
        }
        for part in t.split(['\'', '’', '-', '/']) {
            let w = part.trim_matches(|c: char| !c.is_alphanumeric());
            if w.chars().count() < 2 || !w.chars().all(char::is_alphabetic) {
                continue;
            }
            let lower = w.to_lowercase();
            if STOP_WORDS.contains(&lower.as_str()) {
                stops += 1;
            }
            if let Some(ok) = plausible(w) {
                words += 1;
                if ok {
                    good += 1;
                }
            }
        }
    }
    if latin >= 40 {
        let vowel_share = vowels as f32 / latin as f32;
        let mixed_share = mixed as f32 / letter_tokens.max(1) as f32;
        if vowel_share < MIN_VOWEL_SHARE && (mixed_share > MAX_MIXED_SHARE / 2.0 || stops == 0) {
            return Assessment {
                verdict: Verdict::Garbage,
                letters,
            };
        }
        if letter_tokens >= 8 && mixed_share > MAX_MIXED_SHARE {
            return Assessment {
                verdict: Verdict::Garbage,
                letters,
            };
        }
    }
    let verdict = if words == 0 {
        if letters >= 12 {
            Verdict::Garbage
        } else if letters == 0 {
            Verdict::Empty
        } else {
            Verdict::Usable
        }
    } else {
        let ratio = good as f32 / words as f32;
        let stop_ratio = stops as f32 / words as f32;
        if words < 8 {
            if ratio >= 0.5 {
                Verdict::Usable
            } else {
                Verdict::Garbage
            }
        } else if ratio >= 0.8 || (ratio >= 0.5 && stop_ratio >= 0.03) {
            Verdict::Usable
        } else {
            Verdict::Garbage
        }
    };
    Assessment { verdict, letters }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_text_is_usable() {
        for t in [
            "Feuille d'émargement\nSession réalisée du 10 mars 2025 au 12 mars 2025 à Lyon",
            "MÉRIEUX\tÈve\tSociété Œuvre & Cie\nTHÉVENIN\tChloé\tSociété Côté Forêt\nDUPRÉ\tHélène",
            "Convention de formation professionnelle entre les soussignés, l'organisme et l'entreprise",
            "Page 1",
            "CERTIFICATE OF COMPLETION awarded to John Smith for the training on workplace safety",
            "N° SIRET 123 456 789 00012 – RGPD – TTC 1 500,00 €",
            "N°\tNOM\tPrénom\tEntreprise\t10/03/2025 matin 11/03/2025 après-midi\t12/03/2025\n1 MÉRIEUX\tÈve\tSociété Œuvre & Cie\n2 THÉVENIN Chloé\tSociété Côté Forêt\n3 GÉRARD\tZoé\tSociété Œuvre & Cie",
            "Référence : EQX/2025/03 – « clôturé » – 12,50 € – naïveté, œuvre, Œdipe. Taux de réussite : 95 %.",
        ] {
            assert_eq!(assess(t).verdict, Verdict::Usable, "{t}");
        }
    }

    #[test]
    fn glyph_id_garbage_is_garbage() {
        // pdftotext on a Chromium PDF whose /ToUnicode was removed (glyph ids shown as chars).
        for t in [
            // From `pdftotext` on a Chromium PDF whose /ToUnicode entries were removed (control
            // characters turned into spaces).
            ")HXLOOH G «PDUJHPHQW ߠ )RUPDWLRQ m 6«FXULW«   SU«YHQWLRQ }\n6HVVLRQ Qr         U«DOLV«H GX OXQGL    PDUV      DX PHUFUHGL    PDUV       ¢ /\\RQ          )RUPDWHXU",
            "&KDTXH VWDJLDLUH «PDUJH SDU GHPL MRXUQ«H  / «PDUJHPHQW DWWHVWH GH OD SU«VHQFH HIIHFWLYH   WRXWH DEVHQFH GRLW ¬WUH MXVWLIL«H",
            "/HV  GRQQ«HV  SHUVRQQHOOHV  VRQW  WUDLW«HV  FRQIRUP«PHQW  DX  UªJOHPHQW  J«Q«UDO  VXU  OD  SURWHFWLRQ  GHV  GRQQ«HV  5*3'    /H",
            "&KOR«\n6RFL«W« &¶W« )RU¬W\n=R«\n6RFL«W« ĔXYUH   &LH\n&KOR«\n6RFL«W« &UªPH EU½O«H 6$\n)RU¬W &KOR« =R« 6RFL«W«",
            // Letters in a font whose codes are arbitrary (no symbols, few vowels).
            "Xkqtb zmrw Pvlsd gtnkc Wrbqz hfjpl Dmcnt qrsvb Lkjhg fdswq Zxcvb nmlkj",
            "\u{fffd}\u{fffd}\u{fffd}\u{fffd} \u{fffd}\u{fffd}\u{fffd}",
            "H X L O O H G P D U J H P H Q W",
        ] {
            assert_eq!(assess(t).verdict, Verdict::Garbage, "{t}");
        }
    }

    #[test]
    fn empty_is_empty() {
        assert_eq!(assess("  \n\t").verdict, Verdict::Empty);
        assert_eq!(assess("12 / 3").verdict, Verdict::Empty);
    }
}
