//! End-to-end tests of the `preuves` binary on small archives made in each test.

mod common;
use common::{copy_dir, preuves, scan_report as scan};
use serde_json::Value;
use std::fs;
use std::path::Path;

/// A temporary archive with one session folder holding a programme (most pieces missing).
fn one_session_archive() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("archive");
    let session = root.join("2025/2025-03 Excel - Client");
    fs::create_dir_all(&session).unwrap();
    fs::write(
        session.join("programme.csv"),
        "Programme de formation;Excel\nObjectifs;Tableaux croisés\n",
    )
    .unwrap();
    (dir, root, session)
}

fn doc<'a>(report: &'a Value, path: &str) -> &'a Value {
    report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["path"] == path)
        .unwrap_or_else(|| panic!("{path} missing from the report"))
}

fn first_error(report: &Value, path: &str) -> String {
    doc(report, path)["errors"][0]["code"]
        .as_str()
        .unwrap_or("none")
        .to_string()
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    preuves()
        .args(["scan", "/definitely/not/here", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .code(2);
    preuves().args(["scan"]).assert().code(2);
    fs::write(dir.path().join("f.txt"), "x").unwrap();
    preuves()
        .arg("scan")
        .arg(dir.path().join("f.txt"))
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .code(2);
}

#[test]
fn never_writes_inside_the_scanned_folder() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("archive");
    fs::create_dir(&root).unwrap();
    fs::write(root.join("a.txt"), "x").unwrap();
    let out = preuves()
        .arg("scan")
        .arg(&root)
        .arg("--out")
        .arg(root.join("reports"))
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(stderr.contains("inside the scanned folder"), "{stderr}");
    let entries: Vec<_> = fs::read_dir(&root).unwrap().collect();
    assert_eq!(
        entries.len(),
        1,
        "nothing may be created inside the archive"
    );
}

#[test]
fn broken_files_become_error_entries_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("archive");
    fs::create_dir_all(root.join("Session")).unwrap();
    fs::write(root.join("Session/vide.docx"), b"").unwrap();
    let noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
        .collect();
    fs::write(root.join("Session/bruit.pdf"), &noise).unwrap();
    fs::write(
        root.join("Session/page.pdf"),
        b"<!DOCTYPE html><html><body>Convention</body></html>",
    )
    .unwrap();
    fs::write(
        root.join("Session/tronque.docx"),
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00broken",
    )
    .unwrap();
    fs::write(
        root.join("Session/présence.csv"),
        "Nom;Matin;Après-midi\nDupont Jean;signé;signé\n",
    )
    .unwrap();
    fs::write(root.join("Session/~$vide.docx"), b"lock").unwrap();
    fs::write(root.join("Thumbs.db"), b"cache").unwrap();
    let out = dir.path().join("out");
    let r = scan(&root, &out, &[]);
    assert_eq!(first_error(&r, "Session/vide.docx"), "corrupt");
    assert_eq!(doc(&r, "Session/vide.docx")["format"], "docx");
    assert_eq!(first_error(&r, "Session/bruit.pdf"), "corrupt");
    assert_eq!(first_error(&r, "Session/page.pdf"), "unsupported");
    assert_eq!(first_error(&r, "Session/tronque.docx"), "corrupt");
    assert_eq!(doc(&r, "Session/présence.csv")["format"], "csv");
    assert_eq!(
        doc(&r, "Session/présence.csv")["errors"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(r["summary"]["documents"], 5);
    assert_eq!(r["summary"]["errors"], 4);
    assert_eq!(r["summary"]["skipped"], 2);
    let skipped: Vec<&str> = r["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["path"].as_str().unwrap())
        .collect();
    assert_eq!(skipped, ["Session/~$vide.docx", "Thumbs.db"]);
    for f in ["report.json", "report.html", "report.csv", "documents.csv"] {
        assert!(out.join(f).exists(), "{f}");
    }
}

#[test]
fn size_limit_gives_too_large_and_time_limit_gives_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("a");
    fs::create_dir(&root).unwrap();
    fs::write(root.join("liste.csv"), "Nom;Date\nDupont;12/03/2025\n").unwrap();
    let r = scan(&root, &dir.path().join("o1"), &["--max-file-mib", "0"]);
    assert_eq!(first_error(&r, "liste.csv"), "too_large");
    let r = scan(&root, &dir.path().join("o2"), &["--file-timeout", "0"]);
    assert_eq!(first_error(&r, "liste.csv"), "timeout");
}

#[cfg(unix)]
#[test]
fn dangling_symlink_followed_is_unreadable_not_lost() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("a");
    fs::create_dir(&root).unwrap();
    std::os::unix::fs::symlink(dir.path().join("nowhere.pdf"), root.join("lien.pdf")).unwrap();
    let r = scan(&root, &dir.path().join("o1"), &[]);
    assert_eq!(r["skipped"][0]["path"], "lien.pdf");
    let r = scan(&root, &dir.path().join("o2"), &["--follow-symlinks"]);
    assert_eq!(first_error(&r, "lien.pdf"), "unreadable");
}

#[test]
fn text_command_prints_extraction() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("export (3).xlsx");
    fs::write(&f, "Horodateur,Nom\n12/03/2025 14:32:10,Léa\n").unwrap();
    let out = preuves().arg("text").arg(&f).assert().success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(stdout.contains("format: csv"), "{stdout}");
    assert!(
        stdout.contains("named .xlsx but the content is CSV text"),
        "{stdout}"
    );
    assert!(stdout.contains("| 12/03/2025 14:32:10 | Léa |"), "{stdout}");
}

#[test]
fn csv_reports_have_bom_and_semicolons() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("a");
    fs::create_dir(&root).unwrap();
    fs::write(root.join("notes.txt"), "Réunion qualité").unwrap();
    let out = dir.path().join("o");
    scan(&root, &out, &[]);
    for f in ["report.csv", "documents.csv"] {
        let bytes = fs::read(out.join(f)).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{f} starts with a BOM");
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert!(
            text.lines().next().unwrap().contains(";path;") || text.starts_with("path;"),
            "{text}"
        );
    }
    // Numbers as French Excel reads them: the confidence with a decimal comma.
    let docs =
        String::from_utf8(fs::read(out.join("documents.csv")).unwrap()[3..].to_vec()).unwrap();
    let row: Vec<&str> = docs.lines().nth(1).unwrap().split(';').collect();
    assert!(
        row[3].contains(',') && !row[3].contains('.'),
        "confidence {:?} in {docs}",
        row[3]
    );
}

/// Regression: `preuves explain f | head -1` panicked with "failed printing to stdout: Broken
/// pipe" once `head` closed the pipe.
#[cfg(unix)]
#[test]
fn piping_into_head_does_not_panic() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("notes.txt");
    let body: String = (0..2000)
        .map(|i| format!("ligne {i} du 12/03/2025\n"))
        .collect();
    fs::write(&f, body).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("preuves");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "'{}' text '{}' | head -1",
            bin.display(),
            f.display()
        ))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
}

#[test]
fn audit_date_selects_the_referentiel() {
    let (dir, root, _) = one_session_archive();
    let v9 = scan(
        &root,
        &dir.path().join("out-v9"),
        &["--audit-date", "2026-10-15", "--no-ocr"],
    );
    assert_eq!(v9["rules"]["referentiel"], "rnq-v9");
    assert_eq!(v9["rules"]["audit_date"], "2026-10-15");
    assert_eq!(v9["rules"]["provisional"], false);
    assert_eq!(v9["indicators"].as_array().unwrap().len(), 32);
    let y26 = scan(
        &root,
        &dir.path().join("out-2026"),
        &["--audit-date", "2026-11-15", "--no-ocr"],
    );
    assert_eq!(y26["rules"]["referentiel"], "rnq-2026");
    assert_eq!(y26["rules"]["provisional"], true);
    assert!(
        y26["rules"]["reason"]
            .as_str()
            .unwrap()
            .contains("1er novembre 2026"),
        "{}",
        y26["rules"]["reason"]
    );
    let grid = y26["indicators"].as_array().unwrap();
    assert_eq!(grid.len(), 33);
    let i33 = grid.iter().find(|i| i["number"] == 33).unwrap();
    assert_eq!(i33["verdict"], "non_applicable");
    assert_eq!(i33["applicable"], false);
    // A CFA: indicator 33 applies.
    let cfa = scan(
        &root,
        &dir.path().join("out-cfa"),
        &[
            "--audit-date",
            "2026-11-15",
            "--no-ocr",
            "--categories",
            "af,cfa",
        ],
    );
    let i33 = cfa["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["number"] == 33)
        .unwrap()
        .clone();
    assert_eq!(i33["applicable"], true);
    // The HTML says which référentiel and why; indicators.csv has the grid's columns.
    let html = fs::read_to_string(dir.path().join("out-2026/report.html")).unwrap();
    assert!(html.contains("id=\"indicators\""));
    assert!(html.contains("rnq-2026"));
    let csv = fs::read(dir.path().join("out-2026/indicators.csv")).unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8_lossy(&csv);
    assert!(text.starts_with("\u{feff}indicateur;critère;libellé;applicable;"));
    assert_eq!(text.lines().filter(|l| l.starts_with("33;")).count(), 1);
}

#[test]
fn rules_command_prints_the_set_for_the_audit_date() {
    let out = preuves()
        .args(["rules", "--audit-date", "2026-10-15"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(text.contains("id = \"rnq-v9\""), "{text}");
    let out = preuves()
        .args(["rules", "--audit-date", "2026-11-01"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("id = \"rnq-2026\""), "{text}");
    assert!(text.contains("33 indicators"), "{text}");
    preuves()
        .args(["rules", "--audit-date", "1er novembre"])
        .assert()
        .code(2);
}

#[test]
fn action_plan_lists_each_finding_with_a_suggested_action() {
    let (dir, root, _) = one_session_archive();
    let out = dir.path().join("out");
    scan(&root, &out, &["--no-ocr", "--audit-date", "2026-11-15"]);
    let csv = fs::read_to_string(out.join("actions.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "\u{feff}gravité;date;session;indicateurs;code;constat;fichier ou pièce manquante;action suggérée;responsable;échéance"
    );
    let rows: Vec<&str> = lines.collect();
    let convention = rows
        .iter()
        .find(|l| l.contains(";convention.missing;"))
        .expect("a row for the missing convention");
    assert!(convention.starts_with("bloquant;"), "{convention}");
    assert!(convention.contains("Retrouver ou produire"), "{convention}");
    // Blocking rows come before warnings.
    let first_warning = rows.iter().position(|l| l.starts_with("à risque;"));
    let last_blocking = rows.iter().rposition(|l| l.starts_with("bloquant;"));
    if let (Some(w), Some(b)) = (first_warning, last_blocking) {
        assert!(b < w, "blocking rows first");
    }
    // The same plan as a spreadsheet, read back by preuves itself.
    let text = preuves()
        .arg("text")
        .arg(out.join("actions.xlsx"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Plan d'actions"), "{text}");
    assert!(text.contains("convention.missing"), "{text}");
}

#[test]
fn english_report_shows_no_french_finding_text() {
    let (dir, root, _) = one_session_archive();
    let out = dir.path().join("out");
    let report = scan(
        &root,
        &out,
        &["--no-ocr", "--audit-date", "2026-11-15", "--lang", "en"],
    );
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    let rules = preuves::rules::RuleSet::for_audit_date("2026-11-15".parse().unwrap()).0;
    let french: Vec<&String> = rules
        .requirement
        .iter()
        .map(|r| &r.fr)
        .chain(rules.check.iter().map(|c| &c.fr))
        .chain(rules.organisation_check.iter().map(|c| &c.fr))
        .chain(rules.funder_check.iter().map(|c| &c.fr))
        .chain(rules.indicator.iter().map(|i| &i.fr))
        .collect();
    // The report has findings (in French in report.json, in English on the page).
    let findings = report["sessions"][0]["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        assert!(!f["message_en"].as_str().unwrap_or("").is_empty(), "{f}");
    }
    // Apostrophes are escaped in HTML: compare on the words before the first one.
    let shown: Vec<&&String> = french
        .iter()
        .filter(|fr| {
            let head: String = fr
                .split('\'')
                .next()
                .unwrap_or("")
                .chars()
                .take(40)
                .collect();
            head.chars().count() >= 15 && html.contains(&head)
        })
        .collect();
    assert!(
        shown.is_empty(),
        "French text in the English report: {shown:?}"
    );
    let csv = fs::read_to_string(out.join("actions.csv")).unwrap();
    assert!(csv.starts_with("\u{feff}severity;date;session;"), "{csv}");
    assert!(csv.contains("Find or produce"), "{csv}");
}

#[test]
fn monthly_review_says_what_changed_since_the_last_scan() {
    let (dir, root, session) = one_session_archive();
    let out = dir.path().join("reports");
    scan(&root, &out, &["--no-ocr"]);
    let old = dir.path().join("report-november.json");
    fs::copy(out.join("report.json"), &old).unwrap();
    // A month later: the programme was revised, a convocation was added.
    fs::write(
        session.join("programme.csv"),
        "Programme de formation;Excel avancé\nObjectifs;Tableaux croisés\n",
    )
    .unwrap();
    fs::write(
        session.join("convocation.csv"),
        "Convocation à la formation;Excel\nLieu;Salle 2\nHoraires;9h00 - 17h00\n",
    )
    .unwrap();
    let compared = dir.path().join("reports-december");
    scan(
        &root,
        &compared,
        &["--no-ocr", "--compare", old.to_str().unwrap()],
    );
    let rv: Value =
        serde_json::from_str(&fs::read_to_string(compared.join("review.json")).unwrap()).unwrap();
    let strs = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(
        strs(&rv["documents_added"]),
        vec!["2025/2025-03 Excel - Client/convocation.csv"]
    );
    assert_eq!(
        strs(&rv["documents_changed"]),
        vec!["2025/2025-03 Excel - Client/programme.csv"]
    );
    assert!(rv["documents_removed"].as_array().unwrap().is_empty());
    let resolved: Vec<&str> = rv["findings_resolved"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(resolved.contains(&"convocation.missing"), "{resolved:?}");
    assert_eq!(rv["still_incomplete"].as_array().unwrap().len(), 1);
    let page = fs::read_to_string(compared.join("review.html")).unwrap();
    assert!(page.contains("Revue mensuelle"));
    assert!(page.contains("Constats levés (1)") || page.contains("Constats levés"));
    // The same through `preuves review OLD NEW`.
    let again = dir.path().join("again");
    preuves()
        .arg("review")
        .arg(&old)
        .arg(compared.join("report.json"))
        .arg("--out")
        .arg(&again)
        .assert()
        .success();
    assert!(again.join("review.json").exists());
    // A file that is not a report is a usage error.
    preuves()
        .arg("review")
        .arg(session.join("programme.csv"))
        .arg(&old)
        .arg("--out")
        .arg(&again)
        .assert()
        .code(2);
}

/// A zip with the given members.
fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in members {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn container_without_main_part_is_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("archive");
    fs::create_dir_all(&root).unwrap();
    // A .docx without word/document.xml (and without [Content_Types].xml), an .odt whose
    // mimetype says text but has no content.xml, an .xlsx package without its workbook.
    fs::write(
        root.join("Convention.docx"),
        zip_of(&[
            ("word/styles.xml", b"<w:styles/>"),
            ("docProps/app.xml", b"<x/>"),
        ]),
    )
    .unwrap();
    fs::write(
        root.join("Programme.odt"),
        zip_of(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("styles.xml", b"<x/>"),
        ]),
    )
    .unwrap();
    fs::write(
        root.join("Emargement.xlsx"),
        zip_of(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("xl/styles.xml", b"<x/>"),
        ]),
    )
    .unwrap();
    // A real zip of attachments stays a zip.
    fs::write(root.join("Pièces.zip"), zip_of(&[("note.txt", b"bonjour")])).unwrap();
    let report = scan(&root, &dir.path().join("out"), &["--no-ocr"]);
    for (path, format) in [
        ("Convention.docx", "docx"),
        ("Programme.odt", "odt"),
        ("Emargement.xlsx", "xlsx"),
    ] {
        assert_eq!(first_error(&report, path), "corrupt", "{path}");
        assert_eq!(doc(&report, path)["format"], format, "{path}");
    }
    assert_eq!(first_error(&report, "Pièces.zip"), "none");
}

fn zip_dir(dir: &Path, prefix: &str, out: &Path) {
    use std::io::Write;
    fn add(w: &mut zip::ZipWriter<fs::File>, dir: &Path, name: &str) {
        let mut entries: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap()).collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let n = format!("{name}/{}", e.file_name().to_string_lossy());
            if e.file_type().unwrap().is_dir() {
                add(w, &e.path(), &n);
            } else {
                w.start_file(n.as_str(), zip::write::SimpleFileOptions::default())
                    .unwrap();
                w.write_all(&fs::read(e.path()).unwrap()).unwrap();
            }
        }
    }
    let mut w = zip::ZipWriter::new(fs::File::create(out).unwrap());
    add(&mut w, dir, prefix);
    w.finish().unwrap();
}

#[test]
fn clients_mode_one_report_per_client_folder_or_zip_and_an_index() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/archive");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("clients");
    copy_dir(
        &fixtures.join("Formacoeur Lyon"),
        &root.join("Formacoeur Lyon"),
    );
    zip_dir(
        &fixtures.join("Atelier Nord Formation"),
        "Atelier Nord Formation",
        &root.join("Atelier Nord Formation.zip"),
    );
    let before: Vec<_> = walk_names(&root);
    let out = dir.path().join("out");
    preuves()
        .arg("scan")
        .arg(&root)
        .args(["--clients", "--no-ocr", "--no-cache", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert_eq!(
        walk_names(&root),
        before,
        "nothing written or unpacked in the archive"
    );
    let index = fs::read_to_string(out.join("index.csv")).unwrap();
    let rows: Vec<&str> = index.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "{index}");
    assert!(rows[0].starts_with("Atelier Nord Formation;Atelier Nord Formation/report.html;6;"));
    assert!(rows[1].starts_with("Formacoeur Lyon;Formacoeur Lyon/report.html;6;"));
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("href=\"Formacoeur Lyon/report.html\""));
    // The zipped client is judged as the same organisation scanned as a folder.
    let zipped: Value = serde_json::from_str(
        &fs::read_to_string(out.join("Atelier Nord Formation/report.json")).unwrap(),
    )
    .unwrap();
    let folder = scan(
        &fixtures.join("Atelier Nord Formation"),
        &dir.path().join("folder"),
        &["--no-ocr"],
    );
    let statuses = |r: &Value| -> Vec<String> {
        let mut v: Vec<String> = r["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let p = s["path"].as_str().unwrap();
                let tail = p.rsplit('/').next().unwrap();
                format!("{tail}: {}", s["status"])
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(statuses(&zipped), statuses(&folder));
}

fn walk_names(root: &Path) -> Vec<String> {
    let mut v = Vec::new();
    fn rec(p: &Path, v: &mut Vec<String>) {
        for e in fs::read_dir(p).unwrap() {
            let e = e.unwrap();
            v.push(e.path().to_string_lossy().into_owned());
            if e.file_type().unwrap().is_dir() {
                rec(&e.path(), v);
            }
        }
    }
    rec(root, &mut v);
    v.sort();
    v
}
