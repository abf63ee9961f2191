//! `report.csv` (one row per session) and `documents.csv` (one row per document): `;`-separated,
//! UTF-8 with a BOM, so that French Excel opens them with accents and columns right.

use super::Report;
use crate::sessions::Severity;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A `;`-separated writer that starts with the UTF-8 BOM (every CSV of the reports).
pub fn writer() -> ::csv::Writer<Vec<u8>> {
    ::csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(::csv::Terminator::CRLF)
        .from_writer(BOM.to_vec())
}

/// The bytes written.
pub fn finish(w: ::csv::Writer<Vec<u8>>) -> Vec<u8> {
    w.into_inner()
        .unwrap_or_else(|e| e.into_inner().get_ref().clone())
}

/// One row per session.
pub fn sessions_csv(report: &Report) -> Vec<u8> {
    let mut w = writer();
    let _ = w.write_record([
        "id",
        "path",
        "title",
        "client",
        "start",
        "end",
        "status",
        "missing",
        "findings",
        "first_blocking",
    ]);
    for s in &report.sessions {
        let missing: Vec<&str> = s.missing.iter().map(|k| k.id()).collect();
        let first_blocking = s
            .findings
            .iter()
            .find(|f| f.severity == Severity::Blocking)
            .map(|f| format!("{}: {}", f.code, f.message))
            .unwrap_or_default();
        let status = serde_json::to_value(s.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let _ = w.write_record([
            s.id.as_str(),
            s.path.as_str(),
            s.title.as_deref().unwrap_or(""),
            s.client.as_deref().unwrap_or(""),
            s.start.as_deref().unwrap_or(""),
            s.end.as_deref().unwrap_or(""),
            status.as_str(),
            missing.join(", ").as_str(),
            s.findings.len().to_string().as_str(),
            first_blocking.as_str(),
        ]);
    }
    finish(w)
}

/// One row per document.
pub fn documents_csv(report: &Report) -> Vec<u8> {
    let mut w = writer();
    let _ = w.write_record([
        "path",
        "format",
        "kind",
        "confidence",
        "pages",
        "scanned",
        "signature",
        "dates",
        "errors",
        "session",
    ]);
    for d in &report.documents {
        let dates: Vec<String> = d
            .dates
            .iter()
            .map(|x| {
                let role = serde_json::to_value(x.role)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                format!("{} ({role})", x.date)
            })
            .collect();
        let errors: Vec<String> = d
            .errors
            .iter()
            .map(|e| format!("{}: {}", e.code.as_str(), e.message))
            .collect();
        let sig = serde_json::to_value(d.signature.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let _ = w.write_record([
            d.path.as_str(),
            d.format.as_str(),
            d.kind.id(),
            // A decimal comma: French Excel reads "0,95" as a number, "0.95" as text.
            super::fr_decimal(d.confidence as f64, 2).as_str(),
            d.pages.to_string().as_str(),
            if d.scanned { "oui" } else { "non" },
            sig.as_str(),
            dates.join(", ").as_str(),
            errors.join(" | ").as_str(),
            d.session.as_deref().unwrap_or(""),
        ]);
    }
    finish(w)
}

/// The indicator grid, one row per indicator, with the columns of a consultant's audit grid
/// (indicateur, critère, libellé, applicable, preuves, sessions, constat, statut,
/// recommandation); French, or English with `--lang en`.
pub fn indicators_csv(report: &Report, lang: super::Lang) -> Vec<u8> {
    let en = lang == super::Lang::En;
    let mut w = writer();
    let header: [&str; 11] = if en {
        [
            "indicator",
            "criterion",
            "label",
            "applicable",
            "gradable",
            "proofs",
            "sessions",
            "sessions_with_gap",
            "finding",
            "verdict",
            "recommendation",
        ]
    } else {
        [
            "indicateur",
            "critère",
            "libellé",
            "applicable",
            "nc_mineure_possible",
            "preuves",
            "sessions",
            "sessions_en_écart",
            "constat",
            "statut",
            "recommandation",
        ]
    };
    let _ = w.write_record(header);
    let path_of = |id: &String| {
        report
            .sessions
            .iter()
            .find(|s| &s.id == id)
            .map(|s| s.path.clone())
            .unwrap_or_else(|| id.clone())
    };
    let yes_no = |b: bool| match (b, en) {
        (true, false) => "oui",
        (false, false) => "non",
        (true, true) => "yes",
        (false, true) => "no",
    };
    for r in &report.indicators {
        let label = if en { &r.label_en } else { &r.label };
        let label = if r.provisional {
            format!(
                "{label} ({})",
                if en { "provisional" } else { "provisoire" }
            )
        } else {
            label.clone()
        };
        let _ = w.write_record([
            r.number.to_string().as_str(),
            r.criterion.to_string().as_str(),
            label.as_str(),
            yes_no(r.applicable),
            yes_no(r.gradable),
            r.proofs.join("\n").as_str(),
            r.sessions.len().to_string().as_str(),
            r.sessions_breaking
                .iter()
                .map(path_of)
                .collect::<Vec<_>>()
                .join("\n")
                .as_str(),
            if en { &r.finding_en } else { &r.finding },
            r.verdict.label(lang),
            if en {
                &r.recommendation_en
            } else {
                &r.recommendation
            },
        ]);
    }
    finish(w)
}
