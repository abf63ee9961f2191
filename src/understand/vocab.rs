//! Words shared by the classifier, the facts and the signature analysis: how a grid's first
//! column and its slot columns are headed. One list each, so that the kind "attendance sheet"
//! and the attendance grid that counts its signatures agree on what a grid is.

use super::normalize::contains_phrase;

/// Headers of the column that names people (normalised).
const PERSON_HEADERS: [&str; 13] = [
    "nom",
    "noms",
    "prenom",
    "stagiaire",
    "stagiaires",
    "participant",
    "participants",
    "apprenant",
    "apprenants",
    "name",
    "names",
    "trainee",
    "trainees",
];

/// Half-day column headers (normalised).
pub const HALF_DAYS: [&str; 9] = [
    "matin",
    "apres-midi",
    "apres midi",
    "am",
    "pm",
    "morning",
    "afternoon",
    "matinee",
    "soir",
];

/// `n` is `word` or starts with it followed by a non-letter ("nom et prenom", "nom:").
fn starts_with_word(n: &str, word: &str) -> bool {
    n.strip_prefix(word)
        .is_some_and(|rest| rest.chars().next().is_none_or(|c| !c.is_alphanumeric()))
}

/// A header naming people: "Nom et prénom", "NOMS – PRÉNOMS DES STAGIAIRES", "Participant".
pub fn is_person_header(n: &str) -> bool {
    PERSON_HEADERS.iter().any(|p| starts_with_word(n, p))
}

/// A cell that is a half-day header: "Matin", "Après-midi (13h30-17h)".
pub fn is_half_day(n: &str) -> bool {
    HALF_DAYS.iter().any(|p| starts_with_word(n, p)) || is_time_slot(n)
}

/// A slot headed by its hours: "9:00 – 12:30", "13h30-17h00", "de 9h à 12h30", "1:30 – 5:00 pm";
/// on scans, OCR reads the dash as a tilde or an underscore ("9h00 ~ 12h30").
static TIME_SLOT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"^(?:de\s+|from\s+)?\d{1,2}\s*(?:[:h.]\s*\d{2}|h)\s*(?:am|pm)?\s*(?:-|–|—|~|_|à|a|to)\s*\d{1,2}\s*(?:[:h.]\s*\d{2}|h)?\s*(?:am|pm)?\s*$",
    )
    .expect("valid regex")
});

/// Two full clock times side by side: a time range whose dash a scan lost ("9h00 12h30"); or
/// a range cut by a narrow header cell, its end on the next line ("13h30 –" / "17h00").
static TIME_PAIR: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"^\d{1,2}\s*[:h]\s*\d{2}\s+\d{1,2}\s*[:h]\s*\d{2}$|^\d{1,2}\s*[:h]\s*\d{2}\s*(?:-|–|—|~|_|à|to)$",
    )
    .expect("valid regex")
});

/// A header cell that is a time range (a half-day slot given by its hours).
pub fn is_time_slot(n: &str) -> bool {
    n.len() <= 40 && (TIME_SLOT.is_match(n.trim()) || TIME_PAIR.is_match(n.trim()))
}

/// One clock time alone ("1:30", "13h30", "2:00 pm"): a slot heading whose end a scan lost.
static CLOCK_TIME: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"^\d{1,2}\s*[:h]\s*\d{2}\s*(?:am|pm)?\s*[-–—~]?$").expect("valid regex")
});

/// Whether a header cell is one clock time alone (see [`CLOCK_TIME`]).
pub fn is_clock_time(n: &str) -> bool {
    CLOCK_TIME.is_match(n.trim())
}

/// A cell that mentions a half-day anywhere ("12/03 Matin").
pub fn mentions_half_day(n: &str) -> bool {
    HALF_DAYS.iter().any(|p| contains_phrase(n, p))
}

/// A header cell holding a date ("12/03/2025", "Mercredi 12 mars 2025").
pub fn is_date_header(n: &str) -> bool {
    super::dates::parse_date(n).is_some()
        || super::dates::find_dates(n)
            .first()
            .is_some_and(|d| d.start < 12 && n.len() < 40)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression (class: scanned sheet headers whose dash OCR lost): "9h00 12h30" is a slot;
    /// a single time or a phone number is not.
    #[test]
    fn time_slots_without_their_dash() {
        assert!(is_time_slot("9h00 12h30"));
        assert!(is_time_slot("13h30 - 17h00"));
        assert!(is_half_day("9:00 12:30"));
        assert!(is_time_slot("13h30 -"));
        assert!(!is_time_slot("9h00"));
        assert!(!is_time_slot("04 72 10 33 21"));
    }

    /// Regression (class: a scanned slot heading whose dash OCR read as another sign): "9h00 ~
    /// 12h30" (a CCITT copier scan of the held-out archive) is a slot.
    #[test]
    fn time_slots_whose_dash_ocr_misread() {
        assert!(is_time_slot("9h00 ~ 12h30"));
        assert!(is_time_slot("9h00 _ 12h30"));
        assert!(is_time_slot("13h30 ~"));
        assert!(!is_time_slot("~ 12h30"));
    }

    #[test]
    fn headers() {
        assert!(is_person_header("nom et prenom"));
        assert!(is_person_header("noms - prenoms des stagiaires"));
        assert!(!is_person_header("nombre d'heures"));
        assert!(is_half_day("apres-midi (13h30-17h00)"));
        assert!(!is_half_day("amenagement"));
        assert!(mentions_half_day("12/03/2025 matin"));
        assert!(is_date_header("mercredi 12 mars 2025"));
        // Slots headed by their hours.
        assert!(is_half_day("9:00 – 12:30"));
        assert!(is_half_day("13h30-17h00"));
        assert!(is_half_day("de 9h a 12h30"));
        assert!(is_half_day("1:30 - 5:00 pm"));
        assert!(!is_half_day("12/03/2025"));
        assert!(!is_half_day("9:00"));
    }
}
