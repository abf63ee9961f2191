//! The action plan: one row per thing to do, from every blocking or warning finding of the
//! sessions, every funder finding and every organisation finding (missing or stale documents),
//! with a suggested action in French (English with `--lang en`) and empty owner and due-date
//! columns for the user. Sorted by severity, then session date. Written as `actions.csv`
//! (`;`, UTF-8 with BOM, for French Excel) and `actions.xlsx`.

use super::{Lang, Report};
use crate::document::Kind;
use crate::sessions::{Finding, Severity};

/// One thing to do.
#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    pub severity: Severity,
    /// Session start date (`YYYY-MM-DD`), empty for organisation-level actions.
    pub date: String,
    /// Session folder, or the organisation folder for organisation-level actions.
    pub session: String,
    pub indicators: String,
    pub code: String,
    pub finding: String,
    /// The files concerned, or the missing piece.
    pub piece: String,
    pub action: String,
}

impl Action {
    /// The cells of its row in actions.csv and actions.xlsx (before the user's owner and due
    /// date).
    fn cells(&self, lang: Lang) -> [&str; 8] {
        [
            severity_label(self.severity, lang),
            self.date.as_str(),
            self.session.as_str(),
            self.indicators.as_str(),
            self.code.as_str(),
            self.finding.as_str(),
            self.piece.as_str(),
            self.action.as_str(),
        ]
    }
}

/// The action plan of a report, most severe first, then by date.
pub fn plan(report: &Report, lang: Lang) -> Vec<Action> {
    planned(report, lang).collect()
}

/// The action plan made one action at a time, in `plan`'s order: only the findings are
/// sorted (by reference), each action's words are made as it is written.
pub fn planned<'a>(report: &'a Report, lang: Lang) -> impl ExactSizeIterator<Item = Action> + 'a {
    let mut out: Vec<(&Finding, std::borrow::Cow<'a, str>, &str)> = Vec::new();
    for s in &report.sessions {
        let date = s.start.as_deref().unwrap_or_default();
        for f in s
            .findings
            .iter()
            .chain(s.funder_findings.iter())
            .filter(|f| f.severity != Severity::Info)
        {
            out.push((f, s.path.as_str().into(), date));
        }
    }
    for o in &report.organisations {
        let place: std::borrow::Cow<str> = if o.path.is_empty() {
            match lang {
                Lang::Fr => "(organisme)".into(),
                Lang::En => "(organisation)".into(),
            }
        } else {
            o.path.as_str().into()
        };
        for f in o.findings.iter().filter(|f| f.severity != Severity::Info) {
            out.push((f, place.clone(), ""));
        }
    }
    out.sort_by(|(a, pa, da), (b, pb, db)| {
        a.severity
            .cmp(&b.severity)
            .then(da.cmp(db))
            .then(pa.cmp(pb))
            .then(a.code.cmp(&b.code))
    });
    out.into_iter()
        .map(move |(f, place, date)| action(f, &place, date, lang))
}

fn action(f: &Finding, place: &str, date: &str, lang: Lang) -> Action {
    let piece = if f.documents.is_empty() {
        missing_piece(&f.code, lang)
    } else {
        f.documents.join("\n")
    };
    Action {
        severity: f.severity,
        date: date.to_string(),
        session: place.to_string(),
        indicators: super::indicator_list(&f.indicators),
        code: f.code.clone(),
        finding: f.message_in(lang).to_string(),
        piece,
        action: suggest(&f.code, lang),
    }
}

/// The kind a `<kind>.missing` / `<kind>.stale` code names (requirement ids are kind ids, except
/// `attendance`).
fn kind_of(code: &str) -> Option<Kind> {
    let piece = code.split('.').next()?;
    match piece {
        "attendance" => Some(Kind::AttendanceSheet),
        p => Kind::from_id(p),
    }
}

fn missing_piece(code: &str, lang: Lang) -> String {
    match (kind_of(code), code.ends_with(".missing"), lang) {
        (Some(k), true, Lang::Fr) => format!("pièce manquante : {}", k.label_fr()),
        (Some(k), true, Lang::En) => format!("missing: {}", k.label_en()),
        _ => String::new(),
    }
}

/// The suggested action for a finding code.
pub fn suggest(code: &str, lang: Lang) -> String {
    let fr = lang == Lang::Fr;
    let label = kind_of(code).map(|k| if fr { k.label_fr() } else { k.label_en() });
    let s = match code {
        "trainer_cv.missing" => {
            if fr {
                "Ajouter le CV à jour du formateur (daté, avec ses compétences en lien avec la formation)."
            } else {
                "Add the trainer's up-to-date CV (dated, showing skills relevant to the course)."
            }
        }
        "attendance.missing_signatures" | "funder.half_day_unsigned" => {
            if fr {
                "Faire compléter les émargements manquants ou joindre la justification des absences."
            } else {
                "Have the missing signatures completed or attach the justification of the absences."
            }
        }
        "attendance.outside_session" | "funder.dates_disagree" => {
            if fr {
                "Vérifier les dates des documents et corriger celles qui diffèrent de la convention (ou justifier le report par un avenant)."
            } else {
                "Check the documents' dates and correct those that differ from the agreement (or justify the change with an amendment)."
            }
        }
        "funder.hours_disagree" => {
            if fr {
                "Aligner la durée en heures de la convention, des émargements, du certificat de réalisation et de la facture (ou justifier l'écart : absences, heures non réalisées)."
            } else {
                "Align the hours of the agreement, sheets, certificate of completion and invoice (or justify the gap: absences, hours not delivered)."
            }
        }
        "funder.signature_on_holiday" => {
            if fr {
                "Vérifier la date de signature (dimanche ou jour férié) et l'expliquer si elle est juste."
            } else {
                "Check the signing date (Sunday or public holiday) and explain it if it is right."
            }
        }
        "funder.same_signature_image" => {
            if fr {
                "Vérifier la présence de chaque personne ce jour-là et faire signer chacune de sa main ; une signature copiée n'est pas une preuve."
            } else {
                "Check that each person attended that day and have each sign in person; a copied signature is no proof."
            }
        }
        "funder.signature_image_repeated" => {
            if fr {
                "Faire signer à la main chaque demi-journée ; une signature numérisée recopiée ne prouve pas la présence."
            } else {
                "Have each half-day signed by hand; a copied scanned signature does not prove attendance."
            }
        }
        "funder.name_mismatch" => {
            if fr {
                "Vérifier l'orthographe du nom ou la présence du stagiaire sur les émargements."
            } else {
                "Check the name's spelling or the trainee's presence on the sheets."
            }
        }
        "convention.signed_after_start" => {
            if fr {
                "Vérifier la date de signature ; à l'avenir, faire signer la convention avant l'entrée en formation."
            } else {
                "Check the signing date; in future, have the agreement signed before the course starts."
            }
        }
        c if c.ends_with(".unsigned") => {
            return match (fr, label) {
                (true, Some(l)) => format!(
                    "Faire signer : {l} (ou retrouver l'exemplaire signé et le classer dans le dossier)."
                ),
                (false, Some(l)) => {
                    format!("Get it signed: {l} (or find the signed copy and file it).")
                }
                (true, None) => "Faire signer le document.".into(),
                (false, None) => "Get the document signed.".into(),
            };
        }
        c if c.ends_with(".stale") => {
            return match (fr, label) {
                (true, Some(l)) => format!("Mettre à jour : {l}, et dater la mise à jour."),
                (false, Some(l)) => format!("Update: {l}, and date the update."),
                (true, None) => "Mettre à jour le document et dater la mise à jour.".into(),
                (false, None) => "Update the document and date the update.".into(),
            };
        }
        c if c.ends_with(".missing") => {
            return match (fr, label) {
                (true, Some(l)) => {
                    format!("Retrouver ou produire : {l}, et le classer dans le dossier.")
                }
                (false, Some(l)) => format!("Find or produce: {l}, and file it."),
                (true, None) => "Retrouver ou produire la pièce manquante.".into(),
                (false, None) => "Find or produce the missing piece.".into(),
            };
        }
        c if c.contains("before") || c.contains("after") => {
            if fr {
                "Vérifier la date du document par rapport aux dates de la session ; corriger ou justifier."
            } else {
                "Check the document's date against the session's dates; correct or justify."
            }
        }
        _ => {
            if fr {
                "Examiner le constat et corriger le dossier."
            } else {
                "Review the finding and correct the file."
            }
        }
    };
    s.to_string()
}

fn severity_label(s: Severity, lang: Lang) -> &'static str {
    match (s, lang) {
        (Severity::Blocking, Lang::Fr) => "bloquant",
        (Severity::Warning, Lang::Fr) => "à risque",
        (Severity::Info, Lang::Fr) => "info",
        (Severity::Blocking, Lang::En) => "blocking",
        (Severity::Warning, Lang::En) => "warning",
        (Severity::Info, Lang::En) => "info",
    }
}

fn header(lang: Lang) -> [&'static str; 10] {
    match lang {
        Lang::Fr => [
            "gravité",
            "date",
            "session",
            "indicateurs",
            "code",
            "constat",
            "fichier ou pièce manquante",
            "action suggérée",
            "responsable",
            "échéance",
        ],
        Lang::En => [
            "severity",
            "date",
            "session",
            "indicators",
            "code",
            "finding",
            "file or missing piece",
            "suggested action",
            "owner",
            "due date",
        ],
    }
}

/// `actions.csv`: `;`, CRLF, UTF-8 with BOM.
pub fn actions_csv(report: &Report, lang: Lang) -> Vec<u8> {
    let mut out = Vec::new();
    // Into a vector only a CSV error can fail, and the rows up to it are kept.
    let _ = write_actions_csv(report, lang, &mut out);
    out
}

/// `actions.csv` written into `out` as the actions are made (the report's file).
pub fn write_actions_csv(
    report: &Report,
    lang: Lang,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    super::csv::write_into(out, |w| {
        w.write_record(header(lang))?;
        for a in planned(report, lang) {
            let [c0, c1, c2, c3, c4, c5, c6, c7] = a.cells(lang);
            // The owner and due-date columns are the user's.
            w.write_record([c0, c1, c2, c3, c4, c5, c6, c7, "", ""])?;
        }
        Ok(())
    })
}

/// `actions.xlsx`: the same rows as a formatted sheet (bold frozen header, filters, widths,
/// wrapped text), with the owner and due-date columns left for the user.
///
/// Written into `out` as it is made: the sheet in "constant memory" mode (each row goes to a
/// temporary file of the system's temporary folder as soon as it is complete), the actions made
/// one at a time.
pub fn actions_xlsx<W: std::io::Write + Send>(
    report: &Report,
    lang: Lang,
    out: W,
) -> Result<(), String> {
    use rust_xlsxwriter::{Format, FormatAlign, Workbook};
    let mut wb = Workbook::new();
    let sheet = wb
        .add_worksheet_with_constant_memory()
        .map_err(|e| e.to_string())?;
    let name = if lang == Lang::Fr {
        "Plan d'actions"
    } else {
        "Action plan"
    };
    sheet.set_name(name).map_err(|e| e.to_string())?;
    let bold = Format::new().set_bold().set_background_color(0xEEEEEE);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let widths = [10.0, 11.0, 40.0, 11.0, 26.0, 60.0, 45.0, 55.0, 16.0, 12.0];
    for (c, (h, w)) in header(lang).iter().zip(widths).enumerate() {
        let c = c as u16;
        sheet
            .write_with_format(0, c, *h, &bold)
            .map_err(|e| e.to_string())?;
        sheet.set_column_width(c, w).map_err(|e| e.to_string())?;
    }
    let rows = planned(report, lang);
    let n = rows.len();
    for (i, a) in rows.enumerate() {
        let r = (i + 1) as u32;
        let cells = a.cells(lang);
        for (c, v) in cells.iter().enumerate() {
            sheet
                .write_with_format(r, c as u16, *v, &wrap)
                .map_err(|e| e.to_string())?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(|e| e.to_string())?;
    sheet
        .autofilter(0, 0, n as u32, 9)
        .map_err(|e| e.to_string())?;
    wb.save_to_writer(out).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_class_gets_a_concrete_action() {
        assert!(suggest("convention.missing", Lang::Fr).contains("Convention"));
        assert!(suggest("convention.unsigned", Lang::Fr).starts_with("Faire signer"));
        assert!(suggest("attendance.missing", Lang::Fr).contains("émargement"));
        assert!(suggest("watch_record.stale", Lang::Fr).starts_with("Mettre à jour"));
        assert!(suggest("satisfaction_cold.before_end", Lang::Fr).contains("date"));
        assert!(suggest("convention.unsigned", Lang::En).starts_with("Get it signed"));
    }
}
