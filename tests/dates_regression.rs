//! Regression tests for the date extractor (`preuves::understand::dates`).
//!
//! First the failures of generic tools (paperless-ngx, dateparser) that this extractor must not
//! repeat, each named after its issue; then one test per supported format, rejection and role;
//! then a property-style round trip over every date of 2024–2026.

use jiff::civil::{Date, Time, date};
use preuves::document::DateRole::{self, *};
use preuves::understand::dates::{
    FoundDate, excel_serial_to_date, find_dates, parse_date, parse_pdf_date,
};

fn iso(d: Date) -> String {
    d.to_string()
}

/// (date, role) of every found date.
fn found(text: &str) -> Vec<(String, DateRole)> {
    find_dates(text)
        .into_iter()
        .map(|f| (iso(f.date), f.role))
        .collect()
}

/// The dates only.
fn days(text: &str) -> Vec<String> {
    find_dates(text).into_iter().map(|f| iso(f.date)).collect()
}

/// Exactly one date is found; returns it.
fn only(text: &str) -> FoundDate {
    let all = find_dates(text);
    assert_eq!(all.len(), 1, "expected one date in {text:?}, got {all:#?}");
    all.into_iter().next().expect("one date")
}

fn assert_days(text: &str, expected: &[&str]) {
    assert_eq!(days(text), expected, "in {text:?}");
}

fn assert_found(text: &str, expected: &[(&str, DateRole)]) {
    let exp: Vec<(String, DateRole)> = expected.iter().map(|(d, r)| (d.to_string(), *r)).collect();
    assert_eq!(found(text), exp, "in {text:?}: {:#?}", find_dates(text));
}

fn role_of(text: &str) -> DateRole {
    only(text).role
}

// =============================================================================================
// Failures of generic tools

/// paperless-ngx #7099: "13 décembre 2023" was read as 1 December (the accented month lost the
/// day); only February, August and December were affected.
#[test]
fn paperless_7099_accented_months_keep_the_day() {
    assert_days("12 décembre 2024", &["2024-12-12"]);
    assert_days("3 février 2025", &["2025-02-03"]);
    assert_days("15 août 2024", &["2024-08-15"]);
    assert_days("13 décembre 2023", &["2023-12-13"]);
    assert_days("12 DÉCEMBRE 2024", &["2024-12-12"]);
    // decomposed accent (e + U+0301), as some PDF text layers give it
    assert_days("3 fe\u{301}vrier 2025", &["2025-02-03"]);
}

/// paperless-ngx #4271: dd.mm.yy read as yy.mm.dd (day and year swapped).
#[test]
fn paperless_4271_short_year_is_last() {
    assert_days("12.03.25", &["2025-03-12"]);
    assert_days("Date : 18.11.17", &["2017-11-18"]);
    assert_days("12/03/25", &["2025-03-12"]);
}

/// paperless-ngx #4850: ISO dates read as YYYY-DD-MM.
#[test]
fn paperless_4850_iso_is_year_month_day() {
    assert_days("2025-03-12", &["2025-03-12"]);
    assert_days("2025-12-03", &["2025-12-03"]);
    // file names (#9163 shows the same family of failure on file names)
    assert_eq!(
        parse_date("Car_Insurance-2025-02-19.pdf"),
        Some(date(2025, 2, 19))
    );
    assert_eq!(
        parse_date("2025-01-23_Health_Insurance.pdf"),
        Some(date(2025, 1, 23))
    );
}

/// paperless-ngx #14018: a document number glued to a date ("80101911/26.06.2025") gave a
/// creation date in 1911, and "09.04.2026 - 14:56" gave 1907. Decision: a date glued to digits
/// with its own separator is rejected, a date after a *different* separator is kept, and a clean
/// date elsewhere on the line is still found.
#[test]
fn paperless_14018_number_glued_to_a_date() {
    let f = only("80101911/26.06.2025");
    assert_eq!(f.date, date(2025, 6, 26));
    assert_eq!(f.text, "26.06.2025");

    let f = only("09.04.2026 - 14:56");
    assert_eq!(f.date, date(2026, 4, 9));
    assert_eq!(f.time, Some(Time::constant(14, 56, 0, 0)));

    assert_days("Nummer 80101911 vom 26.06.2025", &["2025-06-26"]);
    assert_days("Réf 202512/03/2025", &[]);
    assert_days("N°112/03/2025", &[]);
    assert_days("N°112/03/2025 du 14/03/2025", &["2025-03-14"]);
    assert_days("Facture N°1203202512", &[]);
    for text in [
        "80101911/26.06.2025",
        "09.04.2026 - 14:56",
        "Réf 202512/03/2025",
    ] {
        for f in find_dates(text) {
            assert!(f.date.year() >= 2000, "{text:?} gave {f:?}");
        }
    }
}

/// dateparser #960 (and #819, #962, #1285): "sept." read as July (sept = seven).
#[test]
fn dateparser_960_sept_is_september() {
    assert_days("12 sept. 2025", &["2025-09-12"]);
    assert_days("18 sept. 2018", &["2018-09-18"]);
    assert_days("1 sept. 2024", &["2024-09-01"]);
    assert_days("1 sept 2024", &["2024-09-01"]);
    assert_days("14 Sept. 2026", &["2026-09-14"]);
    // the issue's own input has no year: it is read only with a year nearby
    let all = find_dates("Export du 01/09/2021\njeu. 2 sept. 10:34");
    assert_eq!(all.len(), 2, "{all:#?}");
    assert_eq!(all[1].date, date(2021, 9, 2));
    assert_eq!(all[1].time, Some(Time::constant(10, 34, 0, 0)));
    assert_days("jeu. 2 sept. 10:34", &[]);
}

/// dateparser #518: "Actualisé le 17 avril 2019" gave nothing (extra word before the date).
#[test]
fn dateparser_518_actualise_le_is_a_document_date() {
    let f = only("Actualisé le 17 avril 2019");
    assert_eq!(f.date, date(2019, 4, 17));
    assert_eq!(f.role, Document);
    let f = only("Publié le 16 avril 2019");
    assert_eq!(f.date, date(2019, 4, 16));
    assert_eq!(f.role, Document);
}

/// dateparser #268: "mar." (mardi) before a date must not hide it.
#[test]
fn dateparser_268_mar_weekday_before_a_date() {
    let f = only("mar. 12 mars 2025");
    assert_eq!(f.date, date(2025, 3, 12));
    assert_eq!(f.text, "mar. 12 mars 2025");
}

// =============================================================================================
// Numeric formats

#[test]
fn numeric_slash_four_digit_year() {
    assert_days("Le stage commence 12/03/2025.", &["2025-03-12"]);
}

#[test]
fn numeric_slash_two_digit_year() {
    assert_days("12/03/25", &["2025-03-12"]);
    assert_days("01/02/99", &["1999-02-01"]);
}

#[test]
fn numeric_dot() {
    assert_days("12.03.2025", &["2025-03-12"]);
}

#[test]
fn numeric_dash() {
    assert_days("12-03-2025", &["2025-03-12"]);
}

#[test]
fn numeric_single_digit_day_and_month() {
    assert_days("1/4/2025", &["2025-04-01"]);
    assert_days("1.4.2025", &["2025-04-01"]);
}

#[test]
fn iso_date_and_datetime() {
    assert_days("2025-03-12", &["2025-03-12"]);
    let f = only("2025-03-12T14:32:10");
    assert_eq!(f.date, date(2025, 3, 12));
    assert_eq!(f.time, Some(Time::constant(14, 32, 10, 0)));
    let f = only("Submit Date (UTC): 2025-03-12 14:32:10");
    assert_eq!(f.time, Some(Time::constant(14, 32, 10, 0)));
    let f = only("2025-03-12T14:32:10.123+01:00");
    assert_eq!(f.text, "2025-03-12T14:32:10.123+01:00");
}

#[test]
fn timestamp_with_seconds() {
    let f = only("12/03/2025 14:32:10");
    assert_eq!(f.date, date(2025, 3, 12));
    assert_eq!(f.time, Some(Time::constant(14, 32, 10, 0)));
    assert_eq!(f.text, "12/03/2025 14:32:10");
}

#[test]
fn timestamp_with_minutes() {
    let f = only("12/03/2025 14:32");
    assert_eq!(f.time, Some(Time::constant(14, 32, 0, 0)));
    let f = only("Signé le 12/03/2025 à 14h32");
    assert_eq!(f.time, Some(Time::constant(14, 32, 0, 0)));
}

#[test]
fn timestamp_am_pm_is_us_month_first() {
    // DocuSign certificates of completion print US dates with a 12-hour clock.
    let f = only("Completed 3/12/2025 10:15:00 PM");
    assert_eq!(f.date, date(2025, 3, 12));
    assert_eq!(f.time, Some(Time::constant(22, 15, 0, 0)));
}

#[test]
fn ocr_l_and_o_inside_numeric_dates() {
    assert_days("l2/03/2025", &["2025-03-12"]);
    assert_days("12/O3/2O25", &["2025-03-12"]);
    assert_days("1l/03/2025", &["2025-03-11"]);
    // too many letters: not a date
    assert_days("lI/lO/IOII", &[]);
}

#[test]
fn stray_space_after_slash() {
    assert_days("12/ 03/ 2025", &["2025-03-12"]);
    assert_days("12/03/ 2025", &["2025-03-12"]);
}

// =============================================================================================
// Long forms

#[test]
fn long_with_weekday() {
    let f = only("mercredi 12 mars 2025");
    assert_eq!(f.date, date(2025, 3, 12));
    assert_eq!(f.text, "mercredi 12 mars 2025");
    assert_days("Mercredi, 12 mars 2025", &["2025-03-12"]);
}

#[test]
fn long_premier() {
    assert_days("1er avril 2025", &["2025-04-01"]);
    assert_days("1ᵉʳ avril 2025", &["2025-04-01"]);
}

#[test]
fn long_capitalised_month() {
    assert_days("12 Mars 2025", &["2025-03-12"]);
    assert_days("12 MARS 2025", &["2025-03-12"]);
}

#[test]
fn long_year_less_inferred_from_a_nearby_date() {
    let text = "Convention du 01/03/2025.\nLa formation aura lieu le 12 mars de 9h à 17h.";
    let all = find_dates(text);
    assert_eq!(all.len(), 2, "{all:#?}");
    assert_eq!(all[1].date, date(2025, 3, 12));
    assert_eq!(all[1].text, "12 mars");
    // across a year end the closest year wins
    assert_days(
        "Facture du 28/12/2024. Intervention le 3 janvier.",
        &["2024-12-28", "2025-01-03"],
    );
}

#[test]
fn long_year_less_skipped_without_a_year() {
    assert_days("La formation aura lieu le 12 mars de 9h à 17h.", &[]);
}

#[test]
fn long_abbreviations_with_and_without_dot() {
    let cases = [
        ("3 janv. 2025", "2025-01-03"),
        ("3 janv 2025", "2025-01-03"),
        ("3 févr. 2025", "2025-02-03"),
        ("3 fév 2025", "2025-02-03"),
        ("3 fev 2025", "2025-02-03"),
        ("3 mars 2025", "2025-03-03"),
        ("3 avr. 2025", "2025-04-03"),
        ("3 avr 2025", "2025-04-03"),
        ("3 mai 2025", "2025-05-03"),
        ("3 juin 2025", "2025-06-03"),
        ("3 juil. 2025", "2025-07-03"),
        ("3 juil 2025", "2025-07-03"),
        ("3 août 2025", "2025-08-03"),
        ("3 aout 2025", "2025-08-03"),
        ("3 sept. 2025", "2025-09-03"),
        ("3 sept 2025", "2025-09-03"),
        ("3 oct. 2025", "2025-10-03"),
        ("3 nov. 2025", "2025-11-03"),
        ("3 déc. 2025", "2025-12-03"),
        ("3 dec 2025", "2025-12-03"),
        ("3-Mar-2025", "2025-03-03"),
    ];
    for (text, want) in cases {
        assert_days(text, &[want]);
    }
}

#[test]
fn long_accentless_spellings() {
    assert_days("3 fevrier 2025", &["2025-02-03"]);
    assert_days("15 aout 2025", &["2025-08-15"]);
    assert_days("12 decembre 2025", &["2025-12-12"]);
}

// =============================================================================================
// English

#[test]
fn english_month_day_year() {
    assert_days("March 12, 2025", &["2025-03-12"]);
}

#[test]
fn english_day_month_year() {
    assert_days("12 March 2025", &["2025-03-12"]);
}

#[test]
fn english_ordinal_day_month() {
    assert_days("12th March 2025", &["2025-03-12"]);
    assert_days("1st April 2025", &["2025-04-01"]);
}

#[test]
fn english_ordinal_month_day() {
    assert_days("March 12th, 2025", &["2025-03-12"]);
}

#[test]
fn english_weekday() {
    let f = only("Wednesday, March 12, 2025");
    assert_eq!(f.date, date(2025, 3, 12));
    assert_eq!(f.text, "Wednesday, March 12, 2025");
}

#[test]
fn english_abbreviation_with_dot() {
    assert_days("Mar. 12, 2025", &["2025-03-12"]);
}

#[test]
fn email_date_header() {
    let f = only("Date: Wed, 12 Mar 2025 10:15:00 +0100");
    assert_eq!(f.date, date(2025, 3, 12));
    assert_eq!(f.time, Some(Time::constant(10, 15, 0, 0)));
}

// =============================================================================================
// Ranges

fn assert_range(text: &str, start: &str, end: &str, matched: &str) {
    let all = find_dates(text);
    assert_eq!(all.len(), 2, "{text:?}: {all:#?}");
    assert_eq!(iso(all[0].date), start, "{text:?}");
    assert_eq!(iso(all[1].date), end, "{text:?}");
    assert_eq!(all[0].role, SessionStart, "{text:?}");
    assert_eq!(all[1].role, SessionEnd, "{text:?}");
    assert_eq!(all[0].text, matched);
    assert_eq!(all[1].text, matched);
}

#[test]
fn range_du_au_same_month() {
    assert_range(
        "La formation aura lieu du 12 au 14 mars 2025 dans nos locaux.",
        "2025-03-12",
        "2025-03-14",
        "du 12 au 14 mars 2025",
    );
}

#[test]
fn range_du_au_across_months() {
    assert_range(
        "du 28 février au 2 mars 2025",
        "2025-02-28",
        "2025-03-02",
        "du 28 février au 2 mars 2025",
    );
}

#[test]
fn range_du_au_across_years() {
    assert_range(
        "du 28 décembre 2024 au 3 janvier 2025",
        "2024-12-28",
        "2025-01-03",
        "du 28 décembre 2024 au 3 janvier 2025",
    );
    // year written on the end only
    assert_range(
        "du 28 décembre au 3 janvier 2025",
        "2024-12-28",
        "2025-01-03",
        "du 28 décembre au 3 janvier 2025",
    );
}

#[test]
fn range_les_et() {
    assert_range(
        "les 12 et 13 mars 2025",
        "2025-03-12",
        "2025-03-13",
        "les 12 et 13 mars 2025",
    );
    assert_range(
        "les 12, 13 et 14 mars 2025",
        "2025-03-12",
        "2025-03-14",
        "les 12, 13 et 14 mars 2025",
    );
}

#[test]
fn range_dash() {
    assert_range(
        "12-14 mars 2025",
        "2025-03-12",
        "2025-03-14",
        "12-14 mars 2025",
    );
    assert_range(
        "12–14 March 2025",
        "2025-03-12",
        "2025-03-14",
        "12–14 March 2025",
    );
}

#[test]
fn range_numeric() {
    assert_range(
        "du 12/03/2025 au 14/03/2025",
        "2025-03-12",
        "2025-03-14",
        "du 12/03/2025 au 14/03/2025",
    );
    assert_range(
        "du 12/03 au 14/03/2025",
        "2025-03-12",
        "2025-03-14",
        "du 12/03 au 14/03/2025",
    );
    assert_range(
        "12/03/2025 - 14/03/2025",
        "2025-03-12",
        "2025-03-14",
        "12/03/2025 - 14/03/2025",
    );
    // split over two lines, as text extractors often do with table cells
    assert_range(
        "Période : du 12/03/2025\nau 14/03/2025",
        "2025-03-12",
        "2025-03-14",
        "du 12/03/2025\nau 14/03/2025",
    );
}

#[test]
fn range_english() {
    assert_range(
        "from 12 to 14 March 2025",
        "2025-03-12",
        "2025-03-14",
        "from 12 to 14 March 2025",
    );
    assert_range(
        "March 12-14, 2025",
        "2025-03-12",
        "2025-03-14",
        "March 12-14, 2025",
    );
    assert_range(
        "from March 12, 2025 to March 14, 2025",
        "2025-03-12",
        "2025-03-14",
        "from March 12, 2025 to March 14, 2025",
    );
}

#[test]
fn range_with_weekdays_and_times() {
    assert_range(
        "Du lundi 10 mars au mercredi 12 mars 2025",
        "2025-03-10",
        "2025-03-12",
        "Du lundi 10 mars au mercredi 12 mars 2025",
    );
    assert_range(
        "du 12 mars 2025 à 9h00 au 14 mars 2025 à 17h00",
        "2025-03-12",
        "2025-03-14",
        "du 12 mars 2025 à 9h00 au 14 mars 2025 à 17h00",
    );
}

#[test]
fn range_validity_is_not_a_session() {
    assert_found(
        "Validité du devis : du 01/03/2025 au 31/03/2025",
        &[("2025-03-01", Other), ("2025-03-31", Other)],
    );
}

#[test]
fn range_near_periode_has_reason() {
    let all = find_dates("Période : du 12 au 14 mars 2025");
    assert_eq!(all[0].reason, "range near 'Période'");
}

#[test]
fn range_page_number_then_date_is_not_a_range() {
    assert_days("Page 1 - 12 mars 2025", &["2025-03-12"]);
    assert_days("Version 2 - 12/03/2025", &["2025-03-12"]);
}

// =============================================================================================
// Rejections

#[test]
fn rejects_invalid_dates() {
    assert_days("31/02/2025", &[]);
    assert_days("00/01/2025", &[]);
    assert_days("13/13/2025", &[]);
    assert_days("30 février 2025", &[]);
    assert_days("2025-02-30", &[]);
    assert_days("29/02/2025", &[]);
    assert_days("29/02/2024", &["2024-02-29"]);
}

#[test]
fn rejects_numbers_glued_to_digits() {
    assert_days("112/03/20255", &[]);
    assert_days("N°1203202512", &[]);
    assert_days("12/03/20255", &[]);
    assert_days("412/03/2025", &[]);
}

#[test]
fn rejects_sept_the_number() {
    assert_days(
        "La formation dure sept jours, le 12/03/2025 étant le premier.",
        &["2025-03-12"],
    );
    assert_days("sept stagiaires, 12 sept 2025", &["2025-09-12"]);
    assert_days("Durée : sept jours. Il y a 7 sept stagiaires en 2025", &[]);
    assert_days("Session du 01/09/2025 : sept stagiaires.", &["2025-09-01"]);
}

#[test]
fn mar_can_be_mardi() {
    let f = only("mar. 12 mars 2025");
    assert_eq!(f.date, date(2025, 3, 12));
    let f = only("Mar 12 Mar 2025");
    assert_eq!(f.date, date(2025, 3, 12));
}

#[test]
fn rejects_years_out_of_range() {
    // From 1920: birth dates are printed on individual training contracts ("née le 14/06/1989").
    assert_days("12/03/1919", &[]);
    assert_days("Née le 14/06/1989 à Lyon", &["1989-06-14"]);
    assert_days("12 mars 1789", &[]);
    assert_days("2150-03-12", &[]);
    assert_days("12/03/2100", &["2100-03-12"]);
    assert_days("12/03/1990", &["1990-03-12"]);
}

#[test]
fn rejects_phone_siret_amounts() {
    assert_days("Tél. : 06.12.03.20.25", &[]);
    assert_days("Tél : 06-12-03-20-25", &[]);
    assert_days("Tel 04 72 12 03 25", &[]);
    assert_days("SIRET : 123 456 789 00012", &[]);
    assert_days("SIRET 12345678900012", &[]);
    assert_days("Montant : 1.250,00 €", &[]);
    assert_days("Total 12.50 €", &[]);
    assert_days("12,50 € HT", &[]);
    assert_days("NDA 11 75 12345 75", &[]);
    assert_days("IBAN FR76 3000 4000 0312 0000 1234 567", &[]);
}

#[test]
fn rejects_times_and_durations() {
    assert_days("de 9h00 à 12h30", &[]);
    assert_days("14h-17h30, soit 3,5 heures", &[]);
    assert_days("9:00 - 12:00", &[]);
    assert_days("2 jours (14 heures)", &[]);
}

#[test]
fn rejects_section_numbers_and_versions() {
    assert_days("1.2.25 Objectifs", &[]);
    assert_days("v10.12.20", &[]);
    assert_days("Article 3.1.12", &[]);
}

#[test]
fn premier_only_for_day_one() {
    assert_days("2er avril 2025", &[]);
    assert_days("1er avril 2025", &["2025-04-01"]);
}

#[test]
fn year_less_glued_word_is_not_a_month() {
    assert_days("Le 12/03/2025 : 12 maisons visitées", &["2025-03-12"]);
}

// =============================================================================================
// Roles

#[test]
fn role_signature_fait_a_le() {
    let f = only("Fait à Lyon, le 12 mars 2025");
    assert_eq!(f.role, Signature);
    assert_eq!(f.reason, "after 'Fait à …, le'");
    assert_eq!(role_of("Fait à Saint-Étienne, le 12/03/2025"), Signature);
    // text extractors put table cells on their own lines
    assert_eq!(role_of("Fait à Lyon, le\n12/03/2025"), Signature);
}

#[test]
fn role_signature_fait_le() {
    assert_eq!(role_of("Fait le 12/03/2025 en deux exemplaires"), Signature);
}

#[test]
fn role_signature_date_et_signature() {
    assert_eq!(role_of("Date et signature : 12/03/2025"), Signature);
    assert_eq!(
        role_of("Date et signature du stagiaire\n12/03/2025"),
        Signature
    );
}

#[test]
fn role_signature_signe_le() {
    assert_eq!(role_of("Signé le 12/03/2025"), Signature);
    assert_eq!(
        role_of("Signé électroniquement par Jean Dupont le 12/03/2025 à 14:32"),
        Signature
    );
}

#[test]
fn role_signature_date_label_then_signature() {
    assert_eq!(role_of("Date : 12/03/2025          Signature :"), Signature);
    let text = format!(
        "{}\nDate : 12/03/2025\nSignature du formateur",
        "Texte.\n".repeat(30)
    );
    assert_eq!(role_of(&text), Signature);
}

#[test]
fn role_signature_pour_le_formateur_le() {
    assert_eq!(role_of("Pour le Formateur le : 12/03/2025"), Signature);
}

#[test]
fn role_signature_esign_audit() {
    assert_eq!(role_of("Signed: 2025-03-12 14:32:10 UTC"), Signature);
    assert_eq!(role_of("Signé : 12/03/2025 14:32:10"), Signature);
    assert_eq!(role_of("Completed 12/03/2025 14:32:10"), Signature);
    assert_eq!(role_of("Horodatage : 2025-03-12T14:32:10Z"), Signature);
    assert_eq!(role_of("Horodateur\n12/03/2025 14:32:10"), Signature);
}

#[test]
fn role_signature_lu_et_approuve() {
    assert_eq!(role_of("Lu et approuvé, le 12/03/2025"), Signature);
}

#[test]
fn role_session_periode() {
    assert_found(
        "Période : du 12/03/2025 au 14/03/2025",
        &[("2025-03-12", SessionStart), ("2025-03-14", SessionEnd)],
    );
}

#[test]
fn role_session_dates_de_la_formation() {
    assert_eq!(role_of("Dates de la formation : 12/03/2025"), SessionStart);
    assert_eq!(role_of("Date(s) de formation : 12/03/2025"), SessionStart);
    assert_eq!(role_of("Date de la formation : 12/03/2025"), SessionStart);
    assert_found(
        "Dates : 12/03/2025, 19/03/2025 et 26/03/2025",
        &[
            ("2025-03-12", SessionStart),
            ("2025-03-19", SessionStart),
            ("2025-03-26", SessionStart),
        ],
    );
}

#[test]
fn role_session_qui_s_est_deroulee() {
    assert_found(
        "a suivi la formation « Excel » qui s'est déroulée du 12/03/2025 au 14/03/2025",
        &[("2025-03-12", SessionStart), ("2025-03-14", SessionEnd)],
    );
}

#[test]
fn role_session_single_date_is_start_only() {
    assert_found(
        "la formation qui se déroulera le 12 mars 2025",
        &[("2025-03-12", SessionStart)],
    );
}

#[test]
fn role_session_debut_fin() {
    assert_found(
        "Date de début : 12/03/2025\nDate de fin : 14/03/2025",
        &[("2025-03-12", SessionStart), ("2025-03-14", SessionEnd)],
    );
    assert_found(
        "Date de début : 12/03/2025   Date de fin : 14/03/2025",
        &[("2025-03-12", SessionStart), ("2025-03-14", SessionEnd)],
    );
    assert_found(
        "Start date: 2025-03-12\nEnd date: 2025-03-14",
        &[("2025-03-12", SessionStart), ("2025-03-14", SessionEnd)],
    );
}

#[test]
fn role_document_invoice_and_quote() {
    assert_eq!(role_of("Date de facture : 15/03/2025"), Document);
    assert_eq!(role_of("Date d'émission : 15/03/2025"), Document);
    assert_eq!(role_of("Date du devis : 15/03/2025"), Document);
    assert_eq!(role_of("Facture n° F2025-012 du 15/03/2025"), Document);
    assert_eq!(role_of("Invoice date: March 15, 2025"), Document);
    assert_eq!(role_of("Date of issue: 15 March 2025"), Document);
}

#[test]
fn role_document_letter_heading() {
    let f = only(
        "ACME Formation\n12 rue de la Paix\n69001 Lyon\n\nLyon, le 12 mars 2025\n\nObjet : convocation",
    );
    assert_eq!(f.role, Document);
    assert_eq!(role_of("Le 12 mars 2025\nMadame, Monsieur,"), Document);
    // a sentence ending in "le" is not a city
    assert_eq!(
        role_of("Le stagiaire a rendu son dossier le\n12 mars 2025"),
        Other
    );
    assert_eq!(role_of("Attestation délivrée le 12 mars 2025."), Document);
}

#[test]
fn role_document_date_label_at_head() {
    assert_eq!(
        role_of("FACTURE\nDate : 15/03/2025\nClient : ACME"),
        Document
    );
    let far = format!("{}Date : 15/03/2025\n", "Ligne de texte.\n".repeat(40));
    assert_eq!(role_of(&far), Other);
}

#[test]
fn role_document_versions() {
    assert_eq!(role_of("Version du 01/09/2024"), Document);
    assert_eq!(role_of("Mis à jour le 01/09/2024"), Document);
    assert_eq!(role_of("Actualisé le 17 avril 2019"), Document);
    assert_eq!(role_of("Programme – mise à jour : 01/09/2024"), Document);
}

#[test]
fn role_other() {
    assert_eq!(role_of("Né le 12/03/1995 à Lyon"), Other);
    assert_eq!(role_of("Date d'échéance : 15/04/2025"), Other);
    assert_eq!(role_of("Offre valable jusqu'au 15/04/2025"), Other);
    assert_eq!(
        role_of("Le stage a été annulé. Le 12/03/2025, nous avons écrit."),
        Other
    );
}

#[test]
fn role_previous_date_keywords_do_not_leak() {
    // the "Période" keyword belongs to the range; the next line's date is a letter date
    assert_found(
        "Période : du 12 au 14 mars 2025\nLe 15 mars 2025",
        &[
            ("2025-03-12", SessionStart),
            ("2025-03-14", SessionEnd),
            ("2025-03-15", Document),
        ],
    );
}

#[test]
fn realistic_certificat_de_realisation() {
    let text = "\
CERTIFICAT DE RÉALISATION
Je soussigné(e) Marie Martin, représentant légal du dispensateur de l'action concourant au
développement des compétences ACME Formation, atteste que :
Mme Julie Durand, salariée de l'entreprise Boulangerie Dupont,
a suivi l'action Excel perfectionnement
Nature de l'action concourant au développement des compétences :
☒ action de formation
qui s'est déroulée du 10/03/2025 au 12/03/2025
pour une durée de 21 heures.
Assiduité du stagiaire : 21 heures.
Fait à Lyon, le 14/03/2025
Cachet et signature du responsable du dispensateur de formation";
    assert_found(
        text,
        &[
            ("2025-03-10", SessionStart),
            ("2025-03-12", SessionEnd),
            ("2025-03-14", Signature),
        ],
    );
}

#[test]
fn realistic_convention() {
    let text = "\
CONVENTION DE FORMATION PROFESSIONNELLE
(Article L. 6353-1 et D. 6353-1 du Code du travail)
Entre les soussignés : ACME Formation, SIRET 123 456 789 00012, NDA 84 69 12345 69
Article 1 – Objet
Intitulé : Excel perfectionnement
Dates : du 10 au 12 mars 2025, de 9h00 à 12h30 et de 13h30 à 17h00
Durée : 21 heures
Article 4 – Dispositions financières
Prix : 1 250,00 € HT. Règlement à 30 jours, au plus tard le 30/04/2025.
Fait en deux exemplaires, à Lyon, le 20 février 2025
Pour l'organisme de formation           Pour le client
Lu et approuvé";
    assert_found(
        text,
        &[
            ("2025-03-10", SessionStart),
            ("2025-03-12", SessionEnd),
            ("2025-04-30", Other),
            ("2025-02-20", Signature),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// Real extractions: HTML documents printed to PDF by Chromium (headless), text extracted by
// pdftotext (poppler), kept verbatim — including Chromium's header with a US date and AM/PM.

const CONVOCATION_PDFTOTEXT: &str = r#"11/26/26, 4:24 PM

ACME Formation
12 rue de la République, 69002 Lyon
Madame Julie Durand
Boulangerie Dupont
4 place Bellecour
69002 Lyon
Lyon, le 24 février 2025
Objet : convocation à la formation Excel perfectionnement
Madame,
Nous avons le plaisir de vous inviter à la formation « Excel perfectionnement » qui se déroulera
du lundi 10 au mercredi 12 mars 2025, de 9h00 à 17h00, dans nos locaux. Merci de vous
présenter le premier jour à 8h45. Le dernier délai pour nous signaler un empêchement est le 5
mars.
Vous trouverez ci-joint le programme (version du 1er septembre 2024), le règlement intérieur et
le livret d'accueil.
Nous vous prions d'agréer, Madame, l'expression de nos salutations distinguées.
Marie Martin
Gérante

file:///tmp/dates/docs/convocation.html

1/1

"#;

const FACTURE_PDFTOTEXT: &str = r#"11/26/26, 4:24 PM

ACME Formation – SIRET 812 345 678 00021 – TVA FR12 812345678

FACTURE N° F2025-0315
Date de facture

15/03/2025

Date d'échéance 14/04/2025
Client

Boulangerie Dupont SARL

Formation Excel perfectionnement – session du 10/03/2025 au 12/03/2025 – 21 h – stagiaires : Julie Durand,
Marc Petit.

Désignation

Qté PU HT Total HT

Excel perfectionnement (3 jours) 2

625,00 1 250,00

Exonération de TVA, article 261-4-4° a du CGI. IBAN FR76 3000 4000 0312 3456 7890 143. En cas de retard
de paiement, indemnité forfaitaire de 40 €.

file:///tmp/dates/docs/facture.html

1/1

"#;

const AUDIT_TRAIL_PDFTOTEXT: &str = r#"11/26/26, 4:24 PM

Certificate Of Completion
Envelope Id: 4F3C2A1B-9D8E-4F7A-B6C5-1A2B3C4D5E6F Status: Completed
Subject: Please DocuSign: Convention 2025-0042.pdf
Envelope Originator: Marie Martin
Signer Events / Signature / Timestamp
Julie Durand julie.durand@example.com
Sent: 2/3/2025 9:12:40 AM
Viewed: 2/4/2025 6:02:11 PM
Signed: 2/4/2025 6:05:32 PM
Envelope Summary Events
Envelope Sent Hashed/Encrypted 2/3/2025 9:12:40 AM
Completed Security Checked 2/4/2025 6:05:32 PM

Dossier de preuves
Procédure : Convention 2025-0042 — créée le 03/02/2025 à 09:10
Signataire : Julie Durand — Signé le 04/02/2025 à 18:05:32 (UTC+01:00)
Horodatage : 2025-02-04T17:05:32Z

file:///tmp/dates/docs/audit.html

1/1

"#;

const CERTIFICAT_PDFTOTEXT: &str = r#"11/26/26, 4:24 PM

CERTIFICAT DE RÉALISATION
Je soussigné(e) Marie Martin, représentant légal du dispensateur de l'action concourant au
développement des compétences ACME Formation,
atteste que : Mme Julie Durand
salarié(e) de l'entreprise Boulangerie Dupont
a suivi l'action Excel perfectionnement
Nature de l'action concourant au développement des compétences :
☒ action de formation ☐ bilan de compétences ☐ action de VAE ☐ action de formation par
apprentissage
qui s'est déroulée du 10/03/2025 au 12/03/2025
pour une durée de 21 heures.
Assiduité du stagiaire : 21 heures réalisées.
Sans préjudice des délais imposés par les règles fixées par les financeurs de l'action, je m'engage
à conserver l'ensemble des pièces justificatives qui ont permis d'établir le présent certificat
pendant une durée de 3 ans à compter de la fin de l'année du dernier paiement.
Fait à : Lyon
Le : 14/03/2025
Cachet et signature du responsable du dispensateur de formation

file:///tmp/dates/docs/certificat.html

1/1

"#;

/// A DOCX made with python-docx, converted to PDF by LibreOffice, text by pdftotext.
const PROGRAMME_LIBREOFFICE_PDFTOTEXT: &str = r#"PROGRAMME DE FORMATION – Excel
perfectionnement
Version du 01/09/2024 – Mis à jour le 17 avril 2025
Public visé : salariés utilisant Excel au quotidien. Prérequis : aucun. Durée :
21 heures (3 jours). Délai d'accès : 15 jours.
Dates des sessions 2025 : du 10 au 12 mars 2025 ; les 2, 3 et 4 juin 2025 ;
15-17 sept. 2025.
Tarif : 1 250,00 € HT par stagiaire. Contact : 04 72 12 03 25.
Date
Horaire
Module
lun. 10/03/2025
9h00-12h30
Module 1
mar. 11/03/2025 9h00-12h30
Module 2
mer. 12/03/2025 13h30-17h00
Module 3
Attestation de présence délivrée le 12 mars 2025.
Fait à Villeurbanne, le 12/03/2025
Signature du formateur

Signature

"#;

#[test]
fn real_libreoffice_programme() {
    assert_found(
        PROGRAMME_LIBREOFFICE_PDFTOTEXT,
        &[
            ("2024-09-01", Document),
            ("2025-04-17", Document),
            ("2025-03-10", SessionStart),
            ("2025-03-12", SessionEnd),
            ("2025-06-02", SessionStart),
            ("2025-06-04", SessionEnd),
            ("2025-09-15", SessionStart),
            ("2025-09-17", SessionEnd),
            // table cells "lun. 10/03/2025": no keyword, the caller knows it is a programme
            ("2025-03-10", Other),
            ("2025-03-11", Other),
            ("2025-03-12", Other),
            ("2025-03-12", Document),
            ("2025-03-12", Signature),
        ],
    );
}

#[test]
fn real_pdftotext_convocation() {
    // "est le 5\nmars." is wrapped by the extractor and has no year: it takes the year of the
    // session written just before it (2025), not of the "version du 1er septembre 2024" after it.
    assert_found(
        CONVOCATION_PDFTOTEXT,
        &[
            ("2026-11-26", Other),
            ("2025-02-24", Document),
            ("2025-03-10", SessionStart),
            ("2025-03-12", SessionEnd),
            ("2025-03-05", Other),
            ("2024-09-01", Document),
        ],
    );
}

#[test]
fn real_pdftotext_facture_label_and_value_split_by_blank_line() {
    assert_found(
        FACTURE_PDFTOTEXT,
        &[
            ("2026-11-26", Other),
            ("2025-03-15", Document),
            ("2025-04-14", Other),
            ("2025-03-10", SessionStart),
            ("2025-03-12", SessionEnd),
        ],
    );
}

#[test]
fn real_pdftotext_esignature_audit_trail() {
    let all = find_dates(AUDIT_TRAIL_PDFTOTEXT);
    let signed: Vec<(String, Option<Time>)> = all
        .iter()
        .filter(|f| f.role == Signature)
        .map(|f| (iso(f.date), f.time))
        .collect();
    assert_eq!(
        signed,
        [
            ("2025-02-04".to_string(), Some(Time::constant(18, 5, 32, 0))),
            ("2025-02-04".to_string(), Some(Time::constant(18, 5, 32, 0))),
            ("2025-02-04".to_string(), Some(Time::constant(17, 5, 32, 0))),
        ],
        "{all:#?}"
    );
    // "Sent"/"Viewed"/"créée le" are not signatures
    assert!(
        all.iter()
            .any(|f| f.text == "2/3/2025 9:12:40 AM" && f.role == Other)
    );
    assert!(
        all.iter()
            .any(|f| f.text == "03/02/2025 à 09:10" && f.role == Other)
    );
}

#[test]
fn real_pdftotext_certificat_de_realisation() {
    assert_found(
        CERTIFICAT_PDFTOTEXT,
        &[
            ("2026-11-26", Other),
            ("2025-03-10", SessionStart),
            ("2025-03-12", SessionEnd),
            ("2025-03-14", Signature),
        ],
    );
}

#[test]
fn chromium_header_us_timestamp() {
    let f = only("11/26/26, 4:24 PM");
    assert_eq!(f.date, date(2026, 11, 26));
    assert_eq!(f.time, Some(Time::constant(16, 24, 0, 0)));
}

#[test]
fn long_dates_wrapped_over_lines() {
    assert_days("Mer. 12\nmars\n2025", &["2025-03-12"]);
    assert_range(
        "qui se déroulera du 10 au 12\nmars 2025",
        "2025-03-10",
        "2025-03-12",
        "du 10 au 12\nmars 2025",
    );
    assert_days("Date limite : le 5\nmars 2025", &["2025-03-05"]);
    // but never over two line breaks, nor after a word that does not introduce a day (two
    // table cells: "Module 2" then "Mars 2025")
    assert_days("12\n\nmars 2025", &[]);
    assert_days("Module 2\nMars 2025", &[]);
}

#[test]
fn role_document_convention_numero_du() {
    assert_eq!(role_of("Convention n° 2025-0042 du 03/02/2025"), Document);
    assert_eq!(role_of("Devis N°D-118 du 03/02/2025"), Document);
    // a session word closer to the date wins
    assert_eq!(
        role_of("Convention de formation pour la session du 12/03/2025"),
        SessionStart
    );
}

#[test]
fn role_signature_fait_a_and_le_on_two_lines() {
    assert_eq!(role_of("Fait à : Lyon\nLe : 14/03/2025"), Signature);
}

#[test]
fn range_les_complete_dates() {
    assert_range(
        "les 12/03/2025 et 13/03/2025",
        "2025-03-12",
        "2025-03-13",
        "les 12/03/2025 et 13/03/2025",
    );
}

// =============================================================================================
// parse_date, PDF dates, Excel serials

#[test]
fn parse_date_alone() {
    assert_eq!(parse_date("12/03/2025"), Some(date(2025, 3, 12)));
    assert_eq!(parse_date(" 12 mars 2025 "), Some(date(2025, 3, 12)));
    assert_eq!(parse_date("2025-03-12T10:00:00"), Some(date(2025, 3, 12)));
    assert_eq!(
        parse_date("emargement_12-03-2025.xlsx"),
        Some(date(2025, 3, 12))
    );
    assert_eq!(
        parse_date("20250312_convention.pdf"),
        Some(date(2025, 3, 12))
    );
    assert_eq!(
        parse_date("convention 12032025.pdf"),
        Some(date(2025, 3, 12))
    );
    assert_eq!(parse_date("du 12/03/2025 au 14/03/2025"), None);
    assert_eq!(parse_date("12/03/2025 et 01/04/2025 (deux dates)"), None);
    assert_eq!(parse_date("31/02/2025"), None);
    assert_eq!(parse_date("12 mars"), None);
    assert_eq!(parse_date(""), None);
}

#[test]
fn pdf_metadata_dates() {
    assert_eq!(
        parse_pdf_date("D:20250312101500+01'00'"),
        Some((date(2025, 3, 12), Some(Time::constant(10, 15, 0, 0))))
    );
    assert_eq!(
        parse_pdf_date("D:20250312"),
        Some((date(2025, 3, 12), None))
    );
    assert_eq!(parse_pdf_date("D:20250230"), None);
}

#[test]
fn excel_serials() {
    assert_eq!(excel_serial_to_date(45728.0), Some(date(2025, 3, 12)));
    assert_eq!(excel_serial_to_date(45658.0), Some(date(2025, 1, 1)));
    assert_eq!(excel_serial_to_date(f64::INFINITY), None);
}

// =============================================================================================
// Property-style round trip

const MOIS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MOIS_ABR: [&str; 12] = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
    "déc.",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const JOURS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];

fn strip_accents(s: &str) -> String {
    s.replace(['é', 'è'], "e").replace('û', "u")
}

fn formats(d: Date) -> Vec<String> {
    let (y, m, day) = (d.year(), d.month() as usize, d.day());
    let mi = m - 1;
    let wd = JOURS[d.weekday().to_monday_zero_offset() as usize];
    let ord = match day {
        1 | 21 | 31 => "st",
        2 | 22 => "nd",
        3 | 23 => "rd",
        _ => "th",
    };
    let fr_day = if day == 1 {
        "1er".to_string()
    } else {
        day.to_string()
    };
    vec![
        format!("{day:02}/{m:02}/{y}"),
        format!("{day}/{m}/{y}"),
        format!("{day:02}/{m:02}/{:02}", y % 100),
        format!("{day:02}.{m:02}.{y}"),
        format!("{day:02}.{m:02}.{:02}", y % 100),
        format!("{day:02}-{m:02}-{y}"),
        format!("{y}-{m:02}-{day:02}"),
        format!("{y}-{m:02}-{day:02}T09:30:00"),
        format!("{day:02}/{m:02}/{y} 14:32:10"),
        format!("{day} {} {y}", MOIS[mi]),
        format!("{fr_day} {} {y}", MOIS[mi]),
        format!("{wd} {day} {} {y}", MOIS[mi]),
        format!("{day} {} {y}", MOIS_ABR[mi]),
        format!("{day} {} {y}", strip_accents(MOIS[mi])),
        format!("{day} {} {y}", MOIS[mi].to_uppercase()),
        format!("{} {day}, {y}", MONTHS_EN[mi]),
        format!("{day} {} {y}", MONTHS_EN[mi]),
        format!("{day}{ord} {} {y}", MONTHS_EN[mi]),
        format!("{} {day}{ord}, {y}", MONTHS_EN[mi]),
        format!("{}. {day}, {y}", &MONTHS_EN[mi][..3]),
    ]
}

#[test]
fn property_every_date_of_2024_2026_round_trips_in_every_format() {
    let mut d = date(2024, 1, 1);
    let end = date(2026, 12, 31);
    let mut checked = 0;
    while d <= end {
        for text in formats(d) {
            let all = find_dates(&text);
            assert_eq!(all.len(), 1, "{text:?} gave {all:#?}");
            assert_eq!(all[0].date, d, "{text:?}");
            assert_eq!(all[0].text, text, "{text:?} matched only part");
            assert_eq!(parse_date(&text), Some(d), "parse_date({text:?})");
            // in a sentence too
            let sentence = format!("Fait à Lyon, le {text}.");
            let all = find_dates(&sentence);
            assert_eq!(all.len(), 1, "{sentence:?} gave {all:#?}");
            assert_eq!((all[0].date, all[0].role), (d, Signature), "{sentence:?}");
            checked += 1;
        }
        d = d.tomorrow().expect("in range");
    }
    assert_eq!(checked, 1096 * 20);
}

#[test]
fn property_every_range_of_2025_round_trips() {
    let mut d = date(2025, 1, 1);
    while d.year() == 2025 {
        let e = d.checked_add(jiff::Span::new().days(2)).expect("in range");
        let texts = [
            format!(
                "du {} au {} {} {}",
                d.day(),
                e.day(),
                MOIS[e.month() as usize - 1],
                e.year()
            ),
            format!(
                "du {:02}/{:02}/{} au {:02}/{:02}/{}",
                d.day(),
                d.month(),
                d.year(),
                e.day(),
                e.month(),
                e.year()
            ),
        ];
        for text in texts {
            if d.month() != e.month() && text.starts_with("du ") && !text.contains('/') {
                continue; // "du 30 au 1 mars" is not how a cross-month range is written
            }
            let all = find_dates(&text);
            assert_eq!(all.len(), 2, "{text:?} gave {all:#?}");
            assert_eq!((all[0].date, all[1].date), (d, e), "{text:?}");
        }
        d = d.tomorrow().expect("in range");
    }
}

// =============================================================================================
// Performance (run with: cargo test --release --test dates_regression -- --ignored --nocapture)

/// One A4 page of a convention/sign-in sheet: many dates (about 13 a page).
const DENSE_PAGE: &str = "\
CONVENTION DE FORMATION PROFESSIONNELLE — ACME Formation, SIRET 123 456 789 00012
Intitulé : Excel perfectionnement. Période : du 12/03/2025 au 14/03/2025, de 9h00 à 17h00.
Tél. 04 72 12 03 25 — Prix 1 250,00 € HT — Réf. F2025-0312 — version du 1er septembre 2024.
La formation se déroulera dans nos locaux, 12 rue de la République, 69002 Lyon. Les stagiaires
signent une feuille d'émargement par demi-journée ; le formateur atteste de la présence.
Article 4 – Dispositions financières. Le règlement est dû au plus tard le 30 avril 2025.
Nom Prénom | Lundi 10 mars 2025 | Mardi 11 mars 2025 | Matin | Après-midi | Signature
Dupont Jean | 10/03/2025 | 11/03/2025 | présent | présent | ...
Fait à Lyon, le 20 février 2025. Pour l'organisme de formation. Pour le client. Lu et approuvé.
";

/// One page of programme or règlement intérieur prose: few dates.
const PROSE_PAGE: &str = "\
Article 12 – Objectifs pédagogiques. À l'issue de la formation, le stagiaire sera capable de
concevoir des tableaux croisés dynamiques, d'automatiser des calculs et de présenter des données
de façon claire. Les méthodes pédagogiques alternent apports théoriques, démonstrations et mises
en situation sur des cas concrets issus de l'activité des participants. Les supports de cours sont
remis à chaque stagiaire. L'évaluation des acquis se fait par un questionnaire en fin de session
et par la réalisation d'un exercice pratique corrigé par le formateur. Les personnes en situation
de handicap sont invitées à contacter notre référent handicap afin d'étudier les adaptations
possibles. Le délai d'accès est de quinze jours ouvrés après réception de la demande complète.
Les locaux sont accessibles aux personnes à mobilité réduite ; un parking est à disposition.
En cas de réclamation, le stagiaire peut s'adresser par écrit à la direction de l'organisme, qui
s'engage à répondre dans un délai raisonnable et à en tenir compte dans l'amélioration continue.
Le règlement intérieur s'applique à tous les stagiaires, pour la durée de la formation suivie.
Programme mis à jour le 17 avril 2024 — page 3 sur 12 — ACME Formation, 69002 Lyon.
";

fn build_500k(page: &str) -> String {
    let mut text = String::with_capacity(510_000);
    while text.len() < 500_000 {
        text.push_str(page);
        text.push('\u{c}');
    }
    text
}

fn time_it(name: &str, text: &str) {
    let _ = find_dates(text); // warm up (regex compilation, lazy DFA caches)
    let mut best = std::time::Duration::MAX;
    let mut n = 0;
    for _ in 0..30 {
        let t = std::time::Instant::now();
        n = std::hint::black_box(find_dates(text)).len();
        best = best.min(t.elapsed());
    }
    println!(
        "{name}: {} bytes, {n} dates, best of 30: {best:?}",
        text.len()
    );
}

#[test]
#[ignore = "timing; run in release"]
fn perf_200_pages() {
    time_it(
        "dense (sign-in sheets, conventions)",
        &build_500k(DENSE_PAGE),
    );
    time_it("prose (programme, règlement)", &build_500k(PROSE_PAGE));
    let real = [
        CONVOCATION_PDFTOTEXT,
        FACTURE_PDFTOTEXT,
        AUDIT_TRAIL_PDFTOTEXT,
        CERTIFICAT_PDFTOTEXT,
        PROGRAMME_LIBREOFFICE_PDFTOTEXT,
    ]
    .join("\u{c}");
    time_it("real extractions, repeated", &build_500k(&real));
}

/// Developer aid: prints the dates found in the files listed in `DATES_DUMP` (colon-separated).
#[test]
#[ignore = "developer aid"]
fn dump_files() {
    let Some(list) = std::env::var_os("DATES_DUMP") else {
        return;
    };
    for path in std::env::split_paths(&list) {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        println!("== {}", path.display());
        for f in find_dates(&text) {
            let time = f.time.map(|t| format!(" {t}")).unwrap_or_default();
            println!(
                "  {}{time:<9} {:<13} {:<45} {:?}",
                f.date,
                format!("{:?}", f.role),
                format!("{:?}", f.text),
                f.reason
            );
        }
    }
}

/// Hostile inputs of 500 KB: long glued numeric runs, separators, no newlines.
#[test]
#[ignore = "timing; run in release"]
fn perf_hostile_inputs() {
    let cases: Vec<(&str, String)> = vec![
        ("12/12/12/… run", "12/".repeat(170_000)),
        ("1-1-1-… run", "1-".repeat(250_000)),
        ("digits only", "1".repeat(500_000)),
        ("dates, no newline", "le 12/03/2025 ".repeat(36_000)),
        ("year-less, no year", "le 12 mars ".repeat(45_000)),
        ("range-like", "du 1 au 2 ".repeat(50_000)),
        (
            "spaces then digit",
            format!("{}12 mars 2025", " ".repeat(500_000)),
        ),
        ("time-like", "12:30 ".repeat(83_000)),
    ];
    let t = std::time::Instant::now();
    let _ = find_dates("le 12/03/2025"); // compiles the regexes once
    println!("first call (regex compilation): {:?}", t.elapsed());
    for (name, text) in cases {
        let t = std::time::Instant::now();
        let n = find_dates(&text).len();
        println!("{name}: {} bytes, {n} dates, {:?}", text.len(), t.elapsed());
    }
}

// --- Regressions found on the fixture archive (issue 3 evaluation) ---------------------------

#[test]
fn fixture_signing_block_name_then_le_date_is_a_signature() {
    assert_found(
        "Bon pour accord – nom, qualité, date et\nsignature\nVéronique Lambin – le 06/05/2025",
        &[("2025-05-06", DateRole::Signature)],
    );
}

#[test]
fn fixture_calendar_day_with_hours_is_the_session_day() {
    assert_found(
        "3. Calendrier proposé\nLe lundi 16 juin 2025, 9h00 – 12h30 et 13h30 – 17h00.",
        &[("2025-06-16", DateRole::SessionStart)],
    );
}

#[test]
fn fixture_issued_in_city_on_is_a_signature() {
    assert_found(
        "held on February 11–12, 2025 – total duration 14 hours.\nIssued in Lille on February 13, 2025",
        &[
            ("2025-02-11", DateRole::SessionStart),
            ("2025-02-12", DateRole::SessionEnd),
            ("2025-02-13", DateRole::Signature),
        ],
    );
}

#[test]
fn fixture_starts_and_must_end_by() {
    assert_found(
        "Votre parcours démarre le 3 mars 2025 et devra\nêtre terminé le 11 avril 2025 au plus tard.",
        &[
            ("2025-03-03", DateRole::SessionStart),
            ("2025-04-11", DateRole::SessionEnd),
        ],
    );
}

#[test]
fn fixture_service_performed_on_is_the_session_day() {
    assert_eq!(
        role_of("Prestation : action de formation « Excel » réalisée le 16/06/2025 (7 heures)"),
        DateRole::SessionStart
    );
}

#[test]
fn fixture_us_google_forms_timestamp_month_first_when_unambiguous() {
    assert_days("1/27/2025 9:14:03", &["2025-01-27"]);
    // Without a time too (issue 8): impossible day first, the only reading is month first.
    assert_days("12/13/2025", &["2025-12-13"]);
    // Both parts above 12: no reading.
    assert_days("13/13/2025", &[]);
}

#[test]
fn fixture_city_le_after_a_sentence_at_the_end_is_a_signature() {
    let text = "ATTESTATION\nNous attestons que Camille Perrin a suivi la formation.\nCompétences visées : structurer une intervention.\nÉvaluation des acquis : objectifs atteints.\nObservations : aucune.\nLe présent document est remis à la stagiaire.\nPour valoir ce que de droit. Lyon, le 23 septembre 2025";
    assert_eq!(role_of(text), DateRole::Signature);
}

// =============================================================================================
// Issue 8: English date forms dateparser reads and we missed; answer dates of forms

/// dateparser: US dates whose day is above 12, without a time, with `/` or `-`.
#[test]
fn en_us_numeric_day_above_12() {
    assert_days("06/17/2014", &["2014-06-17"]);
    assert_days("06-17-2014", &["2014-06-17"]);
    assert_days("1/27/2025", &["2025-01-27"]);
    let d = only("Invoice date: 06/17/2014");
    assert_eq!(iso(d.date), "2014-06-17");
    assert_eq!(d.role, Document, "{d:?}");
    // Day-first dates are untouched.
    assert_days("17/06/2014", &["2014-06-17"]);
    // Two-digit years stay day first only (not a US form we can tell apart).
    assert_days("06/17/14", &[]);
}

/// dateparser: the C `asctime` form, the year after the time.
#[test]
fn en_year_after_time() {
    let d = only("Wed Aug 05 12:00:00 2015");
    assert_eq!(iso(d.date), "2015-08-05");
    assert_eq!(d.time, Some(Time::constant(12, 0, 0, 0)));
    assert_days(
        "Last login: Tue Mar 4 09:15:22 2025 from 10.0.0.1",
        &["2025-03-04"],
    );
    assert_days("Aug 5 23:59:59 UTC 2015", &["2015-08-05"]);
}

/// dateparser: year first with a month name.
#[test]
fn en_year_first_month_name() {
    assert_days("2016 july 13", &["2016-07-13"]);
    assert_days("2016 July 13th", &["2016-07-13"]);
    assert_days("2016-Jul-13", &["2016-07-13"]);
    assert_days("2025 mars 12", &["2025-03-12"]);
    // A lower-case ambiguous short name between numbers is not a month ("2025 mar 12").
    assert_days("2025 mar 12", &[]);
}

/// dateparser: dotted numeric dates with spaces after the dots.
#[test]
fn spaced_dotted_numeric() {
    assert_days("11. 12. 2014", &["2014-12-11"]);
    assert_days("Le 3. 4. 2025", &["2025-04-03"]);
    // A numbered list is not a date (no four-digit year).
    assert_days("1. 2. 25 participants", &[]);
}

/// An ambiguous all-numeric date is day first in a French document and month first in an
/// English one, or where the document's other numeric dates are month-first; said in `reason`.
#[test]
fn en_document_month_first_when_ambiguous() {
    assert_days("Facture du 06/05/2014 pour la formation", &["2014-05-06"]);
    let en = "Thank you for your order. Please find the invoice for the training of your team \
              attached, with the schedule we agreed on. Invoice date: 06/05/2014. We will \
              send the certificate by e-mail.";
    let d = only(en);
    assert_eq!(iso(d.date), "2014-06-05");
    let fact = d.to_fact("text", None);
    assert!(
        fact.reason.as_deref().unwrap_or("").contains("month first"),
        "{fact:?}"
    );
    // Other dates of the document are unambiguously month-first.
    assert_days(
        "Start 06/17/2014, review 07/02/2014",
        &["2014-06-17", "2014-07-02"],
    );
    // One unambiguous day-first date keeps the document day first, English or not.
    assert_days(
        "Thank you for your order. Please find the invoice for the training of your team \
         attached, with the schedule we agreed on: 17/06/2014 and 02/07/2014.",
        &["2014-06-17", "2014-07-02"],
    );
    // Ranges follow the document's order too.
    let range = "Thank you for your order, we will be with you and your team from 06/02/2014 \
                 to 06/04/2014 for the training. Please bring your laptop to the room.";
    assert_days(range, &["2014-06-02", "2014-06-04"]);
}

fn ordinal(d: i8) -> &'static str {
    match (d % 10, d) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

/// Property: every date of 2014–2016 written in the English forms above is found, once.
#[test]
fn en_forms_property_every_day_of_three_years() {
    const MONTHS_EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const WD: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let mut day = date(2014, 1, 1);
    while day <= date(2016, 12, 31) {
        let (y, m, d) = (day.year(), day.month(), day.day());
        let name = MONTHS_EN[(m - 1) as usize];
        let wd = WD[day.weekday().to_monday_zero_offset() as usize];
        let mut forms = vec![
            format!("{wd} {} {d:02} 08:30:00 {y}", &name[..3]),
            format!("{y} {name} {d}"),
            format!("{y} {name} {d}{}", ordinal(d)),
            // Lower case: every full name but "may" (also a verb; see en_year_first_month_name).
            format!(
                "{y} {} {d}",
                if m == 5 {
                    name.to_string()
                } else {
                    name.to_lowercase()
                }
            ),
            format!("{d:02}. {m:02}. {y}"),
        ];
        if d > 12 {
            forms.push(format!("{m:02}/{d:02}/{y}"));
            forms.push(format!("{m:02}-{d:02}-{y}"));
        }
        for f in forms {
            let got = days(&f);
            assert_eq!(got, vec![iso(day)], "in {f:?}");
        }
        day = day.tomorrow().unwrap();
    }
}

/// Answer cues on forms: the words saying when a trainee filled it.
#[test]
fn form_answer_date_cues() {
    for (text, want) in [
        ("Date de réponse : 14/03/2025", "2025-03-14"),
        (
            "Questionnaire rempli le 14/03/2025 par le stagiaire",
            "2025-03-14",
        ),
        ("Complété le 14 mars 2025", "2025-03-14"),
        ("Completed on March 14, 2025", "2025-03-14"),
        // A colon set off by spaces after the cue (French typography in English forms).
        ("Completed on : March 14, 2025", "2025-03-14"),
        ("Submitted: 2025-03-14 10:12", "2025-03-14"),
        ("Date de passation : 14/03/2025", "2025-03-14"),
        (
            "Questionnaires recueillis le 01/04/2025 – 5 répondants",
            "2025-04-01",
        ),
        ("Envoyé aux participants le 04/04/2025", "2025-04-04"),
        ("Sent to all participants on 04/04/2025", "2025-04-04"),
        ("Nom : Julie Martin    Date : 14/03/2025", "2025-03-14"),
    ] {
        let d = only(text);
        assert_eq!(iso(d.date), want, "{text}");
        assert!(d.answer.is_some(), "{text}: {d:?}");
    }
}

/// A form's version, update or edition date, a footer date or a recalled session date is never
/// an answer.
#[test]
fn form_version_date_is_not_an_answer() {
    for text in [
        "Formulaire v3 – mis à jour le 05/01/2024",
        "Version du 05/01/2024",
        "Questionnaire de satisfaction – édité le 05/01/2024",
        "Formation du 12/03/2025",
        "Envoyé le 04/04/2025",
        "Réponse attendue avant le 04/04/2025",
    ] {
        let d = only(text);
        assert!(d.answer.is_none(), "{text}: {d:?}");
    }
}

/// The respondent block of a paper form: "Nom (facultatif) : … Date : …", "Date :" above the
/// table of trainees, "Évaluatrice : …".
#[test]
fn form_respondent_block_date_is_an_answer() {
    for text in [
        "Questionnaire de satisfaction\nNom (facultatif) : Bruno Vasseur Date : 10/12/2024",
        "Questionnaire de positionnement\nDate :\t01/04/2025\nStagiaire\tScore\tNiveau",
        "Évaluation des acquis\nDate :\t16/06/2025\nÉvaluatrice :\tNadia Benali",
    ] {
        assert!(only(text).answer.is_some(), "{text}: {:?}", only(text));
    }
    // "Nom de la formation" is not a respondent.
    assert!(
        only("Nom de la formation : Excel\nDate : 16/06/2025")
            .answer
            .is_none()
    );
}

/// More answer wordings: "Évaluation à chaud du …", "Date de retour", "Answered on".
#[test]
fn form_answer_date_more_wordings() {
    for text in [
        "Évaluation à chaud du 14/03/2025",
        "QCM du 14/03/2025",
        "Date de retour du questionnaire : 14/03/2025",
        "Answered on 03/14/2025",
        "Response date: 2025-03-14",
        "Entretien de positionnement du 14/03/2025",
        "Date de passage : 14/03/2025",
        "Date d'envoi du questionnaire : 14/03/2025",
    ] {
        let d = only(text);
        assert_eq!(iso(d.date), "2025-03-14", "{text}");
        assert!(d.answer.is_some(), "{text}: {d:?}");
    }
    // The course recalled in an evaluation's title is not an answer.
    assert!(
        find_dates("Évaluation de la formation du 12/03/2025")
            .iter()
            .all(|d| d.answer.is_none())
    );
}
