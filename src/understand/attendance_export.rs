//! E-sign-in platform exports: attendance in the long format, one row per person per slot.
//!
//! Digital sign-in platforms export xlsx or csv files such as
//! `Apprenant | Email | Date | Créneau | Statut | Signé le | Méthode`, one row per trainee per
//! half-day. Read as a wide grid every cell is empty; read here as what it is: rows grouped by
//! person (e-mail, else name) and slot (date + half-day, or date + start time → morning /
//! afternoon), a cell signed when its status says signed or it carries a signed-at timestamp,
//! never when its status says "Non signé", "À signer", "Invalidé", "En attente", "Refusé"…; cells
//! marked "Absent", "Excusé", "Justifié" are not expected.
//!
//! Also owns the vocabulary of cell texts ([`cell_text`]) that wide grids use, so that
//! "Non signé" is never a signature anywhere.

use super::dates::find_dates;
use super::normalize::normalize_line;
use super::view::DocView;
use crate::document::{EmptyCell, Evidence, SignatureStatus};
use crate::model::{Cell, CellValue, Format, Table};
use jiff::civil::{Date, Time};
use regex::Regex;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// What a cell's text says about signing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CellText {
    Signed,
    NotSigned,
    Absent,
    /// Empty or not about signing.
    Other,
}

/// Says a signature is missing or void (normalised text). Checked before [`SIGNED_WORD`]:
/// "Non signé" contains "signé".
static NOT_SIGNED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:non[ -]?signee?s?|pas signee?|not (?:yet )?signed|unsigned|a signer|to (?:be )?sign|invalidee?s?|invalid|invalidated|en attente|attente|pending|awaiting|refusee?s?|refus|rejetee?s?|rejected|declined?|expiree?s?|expired|annulee?s?|cancell?ed|manquante?s?|missing|non|no|false|faux)\b",
    )
    .expect("valid regex")
});

/// Marks an absence (normalised text).
static ABSENT_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:absente?s?|abs\.?|absent excusee?|excusee?s?|excused|justifiee?s?|absence justifiee|absence|absent \(justifiee?\)|malade|conge)\b",
    )
    .expect("valid regex")
});

/// Says signed (normalised text).
static SIGNED_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:signee?s?|signed|e-signed|e-signee?|valide|validee?s?|validated|present signee?|emargee?s?)\b",
    )
    .expect("valid regex")
});

/// Yes-like values of a "Signé ?" status column.
static YES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:oui|yes|true|vrai|ok|x|✓|✔|1)$").expect("valid regex"));

/// What a cell's text says: "Signé 09:02" and "Validé" are signatures; "Non signé", "À signer",
/// "Unsigned", "Invalidé", "En attente", "Refusé" never are; "Absent", "Excusé", "Justifié" mark
/// an absence.
pub fn cell_text(text: &str) -> CellText {
    let n = normalize_line(text);
    let n = n.trim();
    if n.is_empty() {
        CellText::Other
    } else if ABSENT_WORD.is_match(n) {
        CellText::Absent
    } else if NOT_SIGNED.is_match(n) {
        CellText::NotSigned
    } else if SIGNED_WORD.is_match(n) {
        CellText::Signed
    } else {
        CellText::Other
    }
}

/// A grid cell's text is an electronic signature ("Signé 09:02", "signed at 14:01").
pub fn is_signed_text(text: &str) -> bool {
    cell_text(text) == CellText::Signed
}

/// The columns of an export.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Columns {
    name: Option<usize>,
    first_name: Option<usize>,
    email: Option<usize>,
    role: Option<usize>,
    date: Option<usize>,
    slot: Option<usize>,
    start: Option<usize>,
    status: Option<usize>,
    signed_at: Option<usize>,
    method: Option<usize>,
}

#[derive(Clone, Copy, PartialEq)]
enum Col {
    Name,
    FirstName,
    Email,
    Role,
    Date,
    Slot,
    Start,
    Status,
    SignedAt,
    Method,
}

fn starts_word(n: &str, w: &str) -> bool {
    n.strip_prefix(w)
        .is_some_and(|r| r.chars().next().is_none_or(|c| !c.is_alphanumeric()))
}

/// What a header cell names (normalised text). Order matters: "date de signature" is a
/// signed-at column, not a date; "nom de la session" is not a person.
fn col_of(n: &str) -> Option<Col> {
    let n = n.trim();
    let any = |ws: &[&str]| ws.iter().any(|w| starts_word(n, w));
    if n.is_empty() || n.split_whitespace().count() > 6 {
        return None;
    }
    if any(&[
        "signe le",
        "signee le",
        "signed at",
        "signed on",
        "signed_at",
        "signing time",
        "signature time",
        "signature date",
        "date de signature",
        "date et heure de signature",
        "date/heure de signature",
        "heure de signature",
        "horodatage",
        "horodatage de signature",
        "timestamp",
        "date d'emargement",
        "heure d'emargement",
    ]) {
        return Some(Col::SignedAt);
    }
    if any(&[
        "statut",
        "status",
        "etat",
        "signature",
        "signe",
        "signed",
        "emargement",
        "emarge",
        "presence",
        "attendance",
    ]) {
        return Some(Col::Status);
    }
    if any(&[
        "e-mail",
        "email",
        "courriel",
        "adresse mail",
        "adresse e-mail",
        "mail",
    ]) {
        return Some(Col::Email);
    }
    if any(&["prenom", "first name", "firstname", "given name"]) {
        return Some(Col::FirstName);
    }
    if any(&[
        "nom",
        "noms",
        "name",
        "last name",
        "full name",
        "apprenant",
        "apprenants",
        "stagiaire",
        "stagiaires",
        "participant",
        "participants",
        "learner",
        "trainee",
        "attendee",
        "beneficiaire",
        "signataire",
        "personne",
    ]) && ![
        "session",
        "formation",
        "cours",
        "module",
        "training",
        "course",
        "entreprise",
        "client",
        "groupe",
    ]
    .iter()
    .any(|w| n.contains(w))
    {
        return Some(Col::Name);
    }
    if any(&[
        "role",
        "profil",
        "profile",
        "qualite",
        "fonction",
        "type de participant",
        "type",
    ]) {
        return Some(Col::Role);
    }
    if any(&["date", "jour", "day"]) || n.ends_with(" date") {
        return Some(Col::Date);
    }
    if any(&[
        "creneau",
        "demi-journee",
        "demi journee",
        "session",
        "seance",
        "slot",
        "periode",
        "half-day",
        "half day",
        "plage",
        "horaire",
        "horaires",
        "moment",
    ]) {
        return Some(Col::Slot);
    }
    if any(&[
        "heure de debut",
        "debut",
        "start",
        "start time",
        "heure",
        "time",
    ]) && !["fin", "end", "sortie", "depart"]
        .iter()
        .any(|w| n.contains(w))
    {
        return Some(Col::Start);
    }
    if any(&[
        "methode",
        "method",
        "moyen",
        "canal",
        "ip",
        "adresse ip",
        "appareil",
        "device",
        "mode",
    ]) {
        return Some(Col::Method);
    }
    None
}

/// The export's columns if `header` (normalised cells) is the header of a long-format
/// attendance export: a person column, a signing column (status or signed-at) and a slot
/// column (date, slot or start time). A wide grid (two half-day columns) is not one.
pub fn columns(header: &[String]) -> Option<Columns> {
    if header
        .iter()
        .filter(|c| super::vocab::mentions_half_day(c))
        .count()
        >= 2
    {
        return None;
    }
    let mut c = Columns::default();
    for (i, cell) in header.iter().enumerate() {
        let slot = match col_of(cell) {
            Some(Col::Name) => &mut c.name,
            Some(Col::FirstName) => &mut c.first_name,
            Some(Col::Email) => &mut c.email,
            Some(Col::Role) => &mut c.role,
            Some(Col::Date) => &mut c.date,
            Some(Col::Slot) => &mut c.slot,
            Some(Col::Start) => &mut c.start,
            Some(Col::Status) => &mut c.status,
            Some(Col::SignedAt) => &mut c.signed_at,
            Some(Col::Method) => &mut c.method,
            None => continue,
        };
        if slot.is_none() {
            *slot = Some(i);
        }
    }
    let person = c.name.is_some() || c.email.is_some() || c.first_name.is_some();
    let signing = c.status.is_some() || c.signed_at.is_some();
    let when = c.date.is_some() || c.slot.is_some() || c.start.is_some();
    (person && signing && when).then_some(c)
}

/// Why a header makes a document an attendance export.
fn header_signal(header: &[String]) -> Option<String> {
    let c = columns(header)?;
    let name = |i: Option<usize>| i.and_then(|i| header.get(i)).map(|s| format!("«{s}»"));
    let parts: Vec<String> = [
        name(c.name.or(c.email).or(c.first_name)),
        name(c.date.or(c.slot).or(c.start)),
        name(c.status.or(c.signed_at)),
    ]
    .into_iter()
    .flatten()
    .collect();
    Some(format!(
        "one row per person and slot with a signing column {} (e-sign-in export)",
        parts.join(" × ")
    ))
}

/// A cell's date and time: typed spreadsheet values, else the date extractor on its text.
fn cell_when(cell: &Cell) -> (Option<Date>, Option<Time>) {
    let parse_date = |s: &str| s.get(..10).and_then(|d| d.parse::<Date>().ok());
    let parse_time = |s: &str| s.parse::<Time>().ok();
    match &cell.value {
        CellValue::Date(s) => (parse_date(s), None),
        CellValue::DateTime(s) => (
            parse_date(s),
            s.split_once('T').and_then(|(_, t)| parse_time(t)),
        ),
        CellValue::Time(s) => (None, parse_time(s)),
        _ => {
            let text = cell.text.trim();
            if text.is_empty() {
                return (None, None);
            }
            let stamp = super::esign::timestamps(text).into_iter().next();
            match stamp {
                Some((d, t, _)) => (Some(d), t),
                None => (None, time_in(text)),
            }
        }
    }
}

static TIME_TEXT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b([01]?\d|2[0-3])\s*[:h]\s*([0-5]\d)?").expect("valid regex"));

fn time_in(text: &str) -> Option<Time> {
    let c = TIME_TEXT.captures(text)?;
    let h: i8 = c[1].parse().ok()?;
    let m: i8 = c.get(2).and_then(|m| m.as_str().parse().ok()).unwrap_or(0);
    Time::new(h, m, 0, 0).ok()
}

fn half_day_of(text: &str) -> Option<&'static str> {
    let n = normalize_line(text);
    let has = |ws: &[&str]| ws.iter().any(|w| super::normalize::contains_phrase(&n, w));
    if has(&["apres-midi", "apres midi", "afternoon", "pm"]) {
        Some("après-midi")
    } else if has(&["matin", "matinee", "morning", "am"]) {
        Some("matin")
    } else if has(&["soir", "evening"]) {
        Some("soir")
    } else {
        None
    }
}

fn half_day_of_time(t: Time) -> &'static str {
    if t.hour() < 12 {
        "matin"
    } else {
        "après-midi"
    }
}

fn is_trainer(n: &str) -> bool {
    [
        "formateur",
        "formatrice",
        "intervenant",
        "intervenante",
        "trainer",
        "instructor",
        "animateur",
        "animatrice",
        "teacher",
        "enseignant",
    ]
    .iter()
    .any(|w| super::normalize::contains_phrase(n, w))
}

#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum State {
    Empty,
    Absent,
    Signed,
}

/// What one export table says.
#[derive(Clone, Debug, Default)]
pub struct Export {
    pub expected: u32,
    pub found: u32,
    pub trainees: usize,
    pub slots: usize,
    pub trainer_cells: usize,
    pub cells: Vec<EmptyCell>,
    pub page: Option<u32>,
    pub columns: Vec<String>,
}

impl Export {
    pub fn status(&self) -> SignatureStatus {
        let missing = self.cells.iter().filter(|c| c.state != "absent").count();
        if self.found == 0 {
            SignatureStatus::Unsigned
        } else if missing > 0 {
            SignatureStatus::Partial
        } else {
            SignatureStatus::Signed
        }
    }

    pub fn evidence(&self) -> Evidence {
        let count = |s: &str| self.cells.iter().filter(|c| c.state == s).count();
        Evidence {
            method: "esign_attendance_export".into(),
            detail: format!(
                "{} of {} signature cells signed ({} trainees × {} slots{}); {} not signed, {} marked absent; columns {}",
                self.found,
                self.expected,
                self.trainees,
                self.slots,
                if self.trainer_cells > 0 {
                    format!(", including {} trainer cells", self.trainer_cells)
                } else {
                    String::new()
                },
                count("empty"),
                count("absent"),
                self.columns.join(", ")
            ),
            page: self.page,
        }
    }
}

/// The header row and columns of a long-format export in `t`, if its values say signing: a
/// status cell that reads signed or not signed ("Signé", "Non signé", "Oui"), or timestamps in
/// a column whose header names signing ("Signé le", "Horodatage de signature"). An LMS report
/// whose "Statut" says "Terminé" / "En cours", a presence list, a blank paper form laid out in
/// the long format are not exports.
fn export_header(t: &Table) -> Option<(usize, Columns)> {
    let norm = |r: &Vec<Cell>| {
        r.iter()
            .map(|c| normalize_line(&c.text))
            .collect::<Vec<_>>()
    };
    let (hr, cols) = t
        .rows
        .iter()
        .take(15)
        .enumerate()
        .find_map(|(i, r)| columns(&norm(r)).map(|c| (i, c)))?;
    let head = &t.rows[hr];
    let signing_header = cols
        .signed_at
        .and_then(|i| head.get(i))
        .map(|c| normalize_line(&c.text))
        // "Horodatage" is the signing platforms' word; survey tools say "Horodateur" or
        // "Timestamp", which alone are not signing.
        .is_some_and(|h| h.contains("sign") || h.contains("emarg") || h.contains("horodatage"));
    let data = || t.rows.iter().skip(hr + 1);
    let status_says = cols.status.is_some_and(|i| {
        data().any(|r| {
            r.get(i).is_some_and(|c| {
                matches!(cell_text(&c.text), CellText::Signed | CellText::NotSigned)
                    || YES.is_match(&normalize_line(&c.text))
            })
        })
    });
    let stamped = signing_header
        && cols.signed_at.is_some_and(|i| {
            data().any(|r| r.get(i).is_some_and(|c| cell_when(c) != (None, None)))
        });
    (status_says || stamped).then_some((hr, cols))
}

/// Why a document is an e-sign-in export (for the classifier): the header and values of one of
/// its tables.
pub fn signal(view: &DocView) -> Option<String> {
    view.ex.pages.iter().flat_map(|p| &p.tables).find_map(|t| {
        let (hr, _) = export_header(t)?;
        let header: Vec<String> = t.rows[hr].iter().map(|c| normalize_line(&c.text)).collect();
        header_signal(&header)
    })
}

fn read_table(t: &Table, page: u32) -> Option<Export> {
    let (hr, cols) = export_header(t)?;
    let head = &t.rows[hr];
    let text_at = |r: &[Cell], i: Option<usize>| -> String {
        i.and_then(|i| r.get(i))
            .map(|c| c.text.trim().to_string())
            .unwrap_or_default()
    };
    // (person key) → (display, trainer); (slot key) → display; cells.
    let mut persons: BTreeMap<String, (String, bool, usize)> = BTreeMap::new();
    let mut slots: BTreeMap<(Option<Date>, String), String> = BTreeMap::new();
    let mut cells: BTreeMap<(String, (Option<Date>, String)), State> = BTreeMap::new();
    for row in t.rows.iter().skip(hr + 1) {
        let email = text_at(row, cols.email).to_lowercase();
        let name = [text_at(row, cols.first_name), text_at(row, cols.name)]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let key = if email.contains('@') {
            email.clone()
        } else {
            normalize_line(&name)
        };
        if key.is_empty() {
            continue;
        }
        let display = match (name.is_empty(), email.contains('@')) {
            (false, true) => format!("{name} <{email}>"),
            (false, false) => name.clone(),
            _ => email.clone(),
        };
        let role = normalize_line(&text_at(row, cols.role));
        let trainer = is_trainer(&role) || is_trainer(&normalize_line(&name));
        // The slot: a date (date column, else the slot text, else the signed-at time) and a
        // half-day (slot text, else start time).
        let slot_text = text_at(row, cols.slot);
        let (mut date, _) = cols
            .date
            .and_then(|i| row.get(i))
            .map(cell_when)
            .unwrap_or_default();
        let slot_cell = cols.slot.and_then(|i| row.get(i));
        if date.is_none() {
            date = slot_cell.and_then(|c| cell_when(c).0);
        }
        let start = cols
            .start
            .and_then(|i| row.get(i))
            .and_then(|c| cell_when(c).1)
            .or_else(|| slot_cell.and_then(|c| cell_when(c).1))
            .or_else(|| {
                cols.date
                    .and_then(|i| row.get(i))
                    .and_then(|c| cell_when(c).1)
            });
        let signed_at = cols.signed_at.and_then(|i| row.get(i)).map(cell_when);
        if date.is_none() {
            date = signed_at.and_then(|w| w.0);
        }
        let half = half_day_of(&slot_text)
            .map(str::to_string)
            .or_else(|| start.map(|t| half_day_of_time(t).to_string()))
            .or_else(|| {
                // A slot that is neither a half-day nor a time ("Session 2", "Module A").
                let s = slot_text.trim();
                (!s.is_empty() && find_dates(s).is_empty()).then(|| s.to_string())
            })
            .unwrap_or_default();
        if date.is_none() && half.is_empty() {
            continue;
        }
        let slot_key = (date, normalize_line(&half));
        let slot_display = match date {
            Some(d) => format!("{} {half}", d.strftime("%d/%m/%Y"))
                .trim()
                .to_string(),
            None => half.clone(),
        };
        slots.entry(slot_key.clone()).or_insert(slot_display);
        // The cell: a negative status wins over a timestamp (an invalidated signature).
        let status = cell_text(&text_at(row, cols.status));
        let status_yes = YES.is_match(&normalize_line(&text_at(row, cols.status)));
        let has_stamp = signed_at.is_some_and(|(d, t)| d.is_some() || t.is_some());
        let state = match status {
            CellText::Absent => State::Absent,
            CellText::NotSigned => State::Empty,
            CellText::Signed => State::Signed,
            CellText::Other if status_yes || has_stamp => State::Signed,
            CellText::Other => State::Empty,
        };
        let n = persons.len();
        persons.entry(key.clone()).or_insert((display, trainer, n));
        let e = cells.entry((key, slot_key)).or_insert(state);
        if state > *e || (*e == State::Absent && state == State::Signed) {
            *e = state;
        }
    }
    if persons.is_empty() || slots.is_empty() {
        return None;
    }
    let mut x = Export {
        page: Some(page),
        slots: slots.len(),
        trainees: persons.values().filter(|p| !p.1).count(),
        columns: [
            cols.name,
            cols.first_name,
            cols.email,
            cols.role,
            cols.date,
            cols.slot,
            cols.start,
            cols.status,
            cols.signed_at,
            cols.method,
        ]
        .into_iter()
        .flatten()
        .filter_map(|i| head.get(i))
        .map(|c| format!("«{}»", c.text.trim()))
        .collect(),
        ..Export::default()
    };
    // Persons in order of appearance; every trainee is expected at every slot of the export
    // (a missing row is a missing signature); trainers only where they have a row.
    let mut order: Vec<(&String, &(String, bool, usize))> = persons.iter().collect();
    order.sort_by_key(|(_, p)| p.2);
    for (key, (display, trainer, _)) in order {
        for (slot_key, slot_display) in &slots {
            let k = (key.clone(), slot_key.clone());
            let state = match cells.get(&k) {
                Some(s) => *s,
                None if *trainer => continue,
                None => State::Empty,
            };
            if state != State::Absent {
                x.expected += 1;
                if *trainer {
                    x.trainer_cells += 1;
                }
            }
            match state {
                State::Signed => x.found += 1,
                State::Empty | State::Absent => x.cells.push(EmptyCell {
                    trainee: display.clone(),
                    slot: slot_display.clone(),
                    state: if state == State::Absent {
                        "absent"
                    } else {
                        "empty"
                    }
                    .into(),
                }),
            }
        }
    }
    Some(x)
}

/// Reads the long-format attendance exports of a document (all its tables), if any.
pub fn read(view: &DocView) -> Option<Export> {
    if !matches!(
        view.format,
        Format::Csv | Format::Xlsx | Format::Xls | Format::Ods
    ) {
        return None;
    }
    let mut out: Option<Export> = None;
    for p in &view.ex.pages {
        for t in &p.tables {
            if let Some(x) = read_table(t, p.number) {
                out = Some(match out {
                    None => x,
                    Some(mut o) => {
                        o.expected += x.expected;
                        o.found += x.found;
                        o.trainees += x.trainees;
                        o.slots = o.slots.max(x.slots);
                        o.trainer_cells += x.trainer_cells;
                        o.cells.extend(x.cells);
                        o
                    }
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Extracted, Page};

    fn table(rows: &[&[&str]]) -> Table {
        Table {
            rows: rows
                .iter()
                .map(|r| r.iter().map(|c| Cell::text(*c)).collect())
                .collect(),
            ..Table::default()
        }
    }

    fn read_rows(rows: &[&[&str]]) -> Option<Export> {
        let ex = Extracted {
            pages: vec![Page {
                number: 1,
                tables: vec![table(rows)],
                ..Page::default()
            }],
            ..Extracted::default()
        };
        read(&DocView::new("export.csv", Format::Csv, &ex))
    }

    #[test]
    fn esign_cell_texts_non_signe_is_never_signed() {
        for t in [
            "Non signé",
            "À signer",
            "Unsigned",
            "Not signed",
            "Invalidé",
            "En attente",
            "Pending",
            "Refusé",
            "non-signé",
            "Non émargé",
            "Signature manquante",
        ] {
            assert_eq!(cell_text(t), CellText::NotSigned, "{t}");
            assert!(!is_signed_text(t), "{t}");
        }
        for t in [
            "Signé",
            "Signed",
            "Présent signé",
            "Validé",
            "Signé 09:02",
            "signed at 14:01",
            "Émargé",
        ] {
            assert_eq!(cell_text(t), CellText::Signed, "{t}");
        }
        for t in ["Absent", "Excusé", "Justifié", "ABS"] {
            assert_eq!(cell_text(t), CellText::Absent, "{t}");
        }
    }

    #[test]
    fn esign_export_status_column_grouped_by_trainee_and_slot() {
        let x = read_rows(&[
            &[
                "Apprenant",
                "Email",
                "Date",
                "Créneau",
                "Statut",
                "Signé le",
            ],
            &[
                "Jean Dupont",
                "j.dupont@x.fr",
                "12/03/2025",
                "Matin",
                "Signé",
                "12/03/2025 09:04",
            ],
            &[
                "Jean Dupont",
                "j.dupont@x.fr",
                "12/03/2025",
                "Après-midi",
                "Non signé",
                "",
            ],
            &[
                "Léa Martin",
                "l.martin@x.fr",
                "12/03/2025",
                "Matin",
                "Absent",
                "",
            ],
            &[
                "Léa Martin",
                "l.martin@x.fr",
                "12/03/2025",
                "Après-midi",
                "Signé",
                "12/03/2025 13:40",
            ],
            &["Paul Roux", "", "12/03/2025", "Matin", "À signer", ""],
            &[
                "Paul Roux",
                "",
                "12/03/2025",
                "Après-midi",
                "Invalidé",
                "12/03/2025 13:41",
            ],
        ])
        .expect("an export");
        assert_eq!(x.slots, 2);
        assert_eq!(x.trainees, 3);
        assert_eq!(x.found, 2);
        assert_eq!(x.expected, 5);
        assert_eq!(x.status(), SignatureStatus::Partial);
        assert!(
            x.cells
                .iter()
                .any(|c| c.state == "absent" && c.trainee.starts_with("Léa"))
        );
    }

    #[test]
    fn esign_export_timestamp_column_and_start_times() {
        let x = read_rows(&[
            &[
                "Nom",
                "Prénom",
                "Rôle",
                "Date",
                "Heure de début",
                "Horodatage",
            ],
            &[
                "Dupont",
                "Jean",
                "Apprenant",
                "2025-03-12",
                "09:00",
                "2025-03-12 09:03:11",
            ],
            &[
                "Dupont",
                "Jean",
                "Apprenant",
                "2025-03-12",
                "13:30",
                "2025-03-12 13:35:40",
            ],
            &[
                "Moreau",
                "Isabelle",
                "Formatrice",
                "2025-03-12",
                "09:00",
                "2025-03-12 08:58:02",
            ],
            &[
                "Moreau",
                "Isabelle",
                "Formatrice",
                "2025-03-12",
                "13:30",
                "",
            ],
        ])
        .expect("an export");
        assert_eq!((x.found, x.expected), (3, 4));
        assert_eq!(x.trainer_cells, 2);
        assert_eq!(x.trainees, 1);
        assert_eq!(x.cells[0].slot, "12/03/2025 après-midi");
    }

    #[test]
    fn esign_export_with_an_uninformative_name_is_an_attendance_sheet() {
        use crate::document::Kind;
        let kind_of = |rows: &[&[&str]]| {
            let ex = Extracted {
                pages: vec![Page {
                    number: 1,
                    text: rows
                        .iter()
                        .map(|r| r.join("\t"))
                        .collect::<Vec<_>>()
                        .join("\n"),
                    tables: vec![table(rows)],
                    ..Page::default()
                }],
                ..Extracted::default()
            };
            super::super::kind::classify(&DocView::new("Client/export (4).csv", Format::Csv, &ex))
                .kind
        };
        assert_eq!(
            kind_of(&[
                &[
                    "Participant",
                    "Email",
                    "Date",
                    "Créneau",
                    "Statut",
                    "Horodatage"
                ],
                &[
                    "Jean Dupont",
                    "j.dupont@x.fr",
                    "12/03/2025",
                    "Matin",
                    "Signé",
                    "12/03/2025 09:04"
                ],
                &[
                    "Jean Dupont",
                    "j.dupont@x.fr",
                    "12/03/2025",
                    "Après-midi",
                    "Non signé",
                    ""
                ],
            ]),
            Kind::AttendanceSheet
        );
        // A survey export with a timestamp and the trainee's name is still a survey.
        assert_ne!(
            kind_of(&[
                &[
                    "Horodateur",
                    "Nom",
                    "Prénom",
                    "Date de la formation",
                    "Êtes-vous satisfait de la formation ?"
                ],
                &[
                    "12/03/2025 17:02:11",
                    "Dupont",
                    "Jean",
                    "12/03/2025",
                    "Très satisfait"
                ],
            ]),
            Kind::AttendanceSheet
        );
    }

    #[test]
    fn lms_progress_report_with_a_status_column_is_not_an_export() {
        assert!(
            read_rows(&[
                &["Apprenant", "Email", "Date", "Statut", "Temps passé"],
                &[
                    "Jean Dupont",
                    "j.dupont@x.fr",
                    "12/03/2025",
                    "Terminé",
                    "1 h 12 min"
                ],
                &[
                    "Léa Martin",
                    "l.martin@x.fr",
                    "12/03/2025",
                    "En cours",
                    "25 min"
                ],
            ])
            .is_none()
        );
        // A blank long-format paper form: nothing in the signing column.
        assert!(
            read_rows(&[
                &["Nom", "Date", "Créneau", "Signature"],
                &["Jean Dupont", "12/03/2025", "Matin", ""],
            ])
            .is_none()
        );
    }

    #[test]
    fn survey_and_connection_log_headers_are_not_exports() {
        let h = |cells: &[&str]| cells.iter().map(|c| normalize_line(c)).collect::<Vec<_>>();
        assert!(
            columns(&h(&[
                "Horodateur",
                "Nom",
                "Prénom",
                "La formation a-t-elle répondu à vos attentes ?"
            ]))
            .is_none()
        );
        assert!(
            columns(&h(&[
                "Nom",
                "Première participation",
                "Dernière sortie",
                "Durée",
                "E-mail",
                "Rôle"
            ]))
            .is_none()
        );
        assert!(
            columns(&h(&[
                "Nom et prénom",
                "12/03 Matin",
                "12/03 Après-midi",
                "Signature"
            ]))
            .is_none()
        );
        assert!(columns(&h(&["Participant", "Session", "Status", "Signed at"])).is_some());
    }
}
