//! `report.csv` (one row per session) and `documents.csv` (one row per document): `;`-separated,
//! UTF-8 with a BOM, so that French Excel opens them with accents and columns right.

use super::Report;
use crate::sessions::Severity;
use std::io::Write;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A `;`-separated writer that starts with the UTF-8 BOM (every CSV of the reports).
pub fn writer() -> ::csv::Writer<Vec<u8>> {
    writer_into(BOM.to_vec())
}

/// A `;`-separated CRLF writer into `out` (the BOM already written, or `writer`'s buffer).
fn writer_into<W: Write>(out: W) -> ::csv::Writer<W> {
    ::csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(::csv::Terminator::CRLF)
        .from_writer(out)
}

/// The bytes written.
pub fn finish(w: ::csv::Writer<Vec<u8>>) -> Vec<u8> {
    w.into_inner()
        .unwrap_or_else(|e| e.into_inner().get_ref().clone())
}

/// A CSV written straight into `out` (a report file, through its buffer): the BOM, then the
/// rows `rows` writes; an output error is returned, not swallowed. Never the whole file in
/// memory (at year scale, indicators.csv lists every proof of every indicator).
pub fn write_into(
    out: &mut dyn Write,
    rows: impl FnOnce(&mut ::csv::Writer<&mut dyn Write>) -> ::csv::Result<()>,
) -> std::io::Result<()> {
    out.write_all(BOM)?;
    let mut w = writer_into(out);
    rows(&mut w).map_err(std::io::Error::other)?;
    w.flush()
}

/// One row per session.
pub fn sessions_csv(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    write_into(out, |w| {
        w.write_record([
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
        ])?;
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
            w.write_record([
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
            ])?;
        }
        Ok(())
    })
}

/// One row per document.
pub fn documents_csv(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    write_into(out, |w| {
        w.write_record([
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
        ])?;
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
            w.write_record([
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
            ])?;
        }
        Ok(())
    })
}

/// The indicator grid, one row per indicator, with the columns of a consultant's audit grid
/// (indicateur, critère, libellé, applicable, preuves, sessions, constat, statut,
/// recommandation); French, or English with `--lang en`.
pub fn indicators_csv(
    report: &Report,
    lang: super::Lang,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    write_into(out, |w| {
        let en = lang == super::Lang::En;
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
        w.write_record(header)?;
        // By id in a map: a scan of every session per entry is quadratic at year scale.
        let paths: std::collections::HashMap<&str, &str> = report
            .sessions
            .iter()
            .map(|s| (s.id.as_str(), s.path.as_str()))
            .collect();
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
            w.write_record([
                r.number.to_string().as_str(),
                r.criterion.to_string().as_str(),
                label.as_str(),
                yes_no(r.applicable),
                yes_no(r.gradable),
                r.proofs.join("\n").as_str(),
                r.sessions.len().to_string().as_str(),
                r.sessions_breaking
                    .iter()
                    .map(|id| paths.get(id.as_str()).copied().unwrap_or(id))
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
            ])?;
        }
        Ok(())
    })
}
