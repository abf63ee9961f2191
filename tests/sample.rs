//! `preuves sample` on an archive built here: three strata (présentiel intra, à distance inter,
//! certifying RNCP), trainings delivered before and after a last audit. The draw is
//! reproducible from its seed, covers every stratum before any gets a second session, keeps to
//! `--since`, puts new trainings first, and its page prints one page per drawn session in
//! Chromium without a script error.

mod common;

use preuves::sample::{Sample, SampleOptions, draw};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// (month, training, client, modality words, trainer)
const SESSIONS: [(&str, &str, &str, &str, &str); 13] = [
    (
        "2024-05",
        "Excel",
        "Boulangerie Alpha",
        "présentiel, intra-entreprise",
        "Claire Dubois",
    ),
    (
        "2024-10",
        "Excel",
        "Garage Beta",
        "présentiel, intra-entreprise",
        "Marc Petit",
    ),
    (
        "2025-01",
        "Excel",
        "Mairie Gamma",
        "présentiel, intra-entreprise",
        "Claire Dubois",
    ),
    (
        "2025-02",
        "Excel",
        "Pharmacie Delta",
        "présentiel, intra-entreprise",
        "Marc Petit",
    ),
    (
        "2025-03",
        "Excel",
        "Hôtel Epsilon",
        "présentiel, intra-entreprise",
        "Claire Dubois",
    ),
    (
        "2025-04",
        "Excel",
        "Cabinet Zeta",
        "présentiel, intra-entreprise",
        "Marc Petit",
    ),
    (
        "2025-05",
        "Excel",
        "Transports Eta",
        "présentiel, intra-entreprise",
        "Claire Dubois",
    ),
    (
        "2025-06",
        "Excel",
        "Imprimerie Theta",
        "présentiel, intra-entreprise",
        "Marc Petit",
    ),
    (
        "2025-07",
        "PowerPoint",
        "Librairie Iota",
        "présentiel, intra-entreprise",
        "Léa Roux",
    ),
    (
        "2025-02",
        "Anglais",
        "Société Kappa",
        "à distance (classe virtuelle), inter-entreprises",
        "Jennifer Hall",
    ),
    (
        "2025-05",
        "Anglais",
        "Société Lambda",
        "à distance (classe virtuelle), inter-entreprises",
        "Jennifer Hall",
    ),
    (
        "2025-03",
        "Titre pro comptable",
        "Société Mu",
        "présentiel, intra-entreprise, certification RNCP 35635",
        "Paul Martin",
    ),
    (
        "2025-09",
        "Titre pro comptable",
        "Société Nu",
        "présentiel, intra-entreprise, certification RNCP 35635",
        "Paul Martin",
    ),
];

/// Writes the archive: one folder per session with a convention and an attendance sheet.
fn archive(root: &Path) {
    for (month, title, client, modality, trainer) in SESSIONS {
        common::write_session(
            root,
            "Centre Alpha",
            month,
            title,
            client,
            modality,
            trainer,
        );
    }
}

fn report() -> &'static preuves::report::Report {
    static R: std::sync::OnceLock<(tempfile::TempDir, preuves::report::Report)> =
        std::sync::OnceLock::new();
    &R.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        archive(dir.path());
        let r = preuves::scan(
            dir.path(),
            &preuves::ScanOptions::default(),
            &preuves::NoProgress,
        )
        .unwrap();
        (dir, r)
    })
    .1
}

fn sample(size: Option<usize>, seed: u64, since: Option<&str>) -> Sample {
    draw(
        report(),
        &SampleOptions {
            size,
            seed,
            dates: preuves::scope::DateRange {
                since: since.map(|d| d.parse().unwrap()),
                until: None,
            },
        },
    )
}

fn ids(s: &Sample) -> Vec<String> {
    s.drawn.iter().map(|d| d.session.clone()).collect()
}

#[test]
fn the_archive_gives_three_strata() {
    assert_eq!(report().sessions.len(), SESSIONS.len());
    let s = sample(None, 1, None);
    let labels: Vec<&str> = s.strata.iter().map(|x| x.label.as_str()).collect();
    assert_eq!(s.strata.len(), 3, "{labels:?}");
    assert!(
        labels
            .iter()
            .any(|l| l.contains("à distance") && l.contains("inter"))
    );
    assert!(labels.iter().any(|l| l.contains("certifiante")));
    assert!(labels.iter().any(|l| l.contains("présentiel · intra")));
    // The rule of thumb: max(3 strata, ⌈√13⌉ = 4) = 4, and the output says so.
    assert_eq!(s.size, 4);
    assert!(s.rule.contains("⌈√N⌉ = 4"), "{}", s.rule);
    let total: usize = s.strata.iter().map(|x| x.population).sum();
    assert_eq!(total, s.population);
    for d in &s.drawn {
        assert!(!d.reasons.is_empty());
        assert!(d.reasons[0].starts_with("strate « "), "{:?}", d.reasons);
    }
}

#[test]
fn the_same_seed_gives_the_same_sample_and_another_seed_another() {
    let a = sample(Some(4), 11, None);
    let again = sample(Some(4), 11, None);
    assert_eq!(ids(&a), ids(&again));
    assert_eq!(
        serde_json::to_value(&a).unwrap(),
        serde_json::to_value(&again).unwrap()
    );
    // Nine présentiel sessions tie for their stratum's places: the seed decides.
    let others: BTreeSet<Vec<String>> = (0..12)
        .map(|seed| ids(&sample(Some(4), seed, None)))
        .collect();
    assert!(others.len() >= 3, "only {} different samples", others.len());
    assert_ne!(ids(&sample(Some(4), 12, None)), ids(&a));
}

#[test]
fn every_stratum_gets_one_before_any_gets_a_second() {
    let n = report().sessions.len();
    for seed in [1, 2, 3] {
        for size in 1..=n {
            let s = sample(Some(size), seed, None);
            assert_eq!(s.drawn.len(), size);
            let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
            for d in &s.drawn {
                if counts.get(d.stratum.as_str()).copied().unwrap_or(0) >= 1 {
                    assert_eq!(
                        counts.len(),
                        s.strata.len(),
                        "size {size}: a second session for {} while a stratum has none",
                        d.stratum
                    );
                }
                *counts.entry(&d.stratum).or_default() += 1;
                assert_eq!(d.rank_in_stratum, counts[d.stratum.as_str()]);
            }
        }
        // Certifying and distance strata (asked for specifically) come first.
        let s = sample(Some(2), seed, None);
        let first: Vec<&str> = s
            .drawn
            .iter()
            .filter_map(|d| s.strata.iter().find(|x| x.id == d.stratum))
            .map(|x| x.label.as_str())
            .collect();
        assert!(
            first
                .iter()
                .all(|l| !l.contains("présentiel · intra") || l.contains("certifiante")),
            "{first:?}"
        );
    }
}

#[test]
fn since_restricts_the_draw_and_puts_new_trainings_first() {
    let since = "2025-01-01";
    let day: jiff::civil::Date = since.parse().unwrap();
    let by_id: BTreeMap<&str, &preuves::sessions::Session> = report()
        .sessions
        .iter()
        .map(|s| (s.id.as_str(), s))
        .collect();
    for seed in 0..6 {
        let s = sample(Some(100), seed, Some(since));
        assert_eq!(s.outside_period, 2, "the two 2024 sessions");
        assert_eq!(s.population, SESSIONS.len() - 2);
        assert_eq!(s.drawn.len(), s.population);
        for d in &s.drawn {
            let end: jiff::civil::Date = by_id[d.session.as_str()]
                .end
                .as_deref()
                .unwrap()
                .parse()
                .unwrap();
            assert!(end >= day, "{} ends before --since", d.path);
        }
        // One per stratum: PowerPoint is the only training of its stratum new since the last
        // audit (Excel was delivered in 2024), so it is drawn first there.
        let s = sample(Some(3), seed, Some(since));
        let p = s
            .drawn
            .iter()
            .find(|d| {
                s.strata.iter().any(|x| {
                    x.id == d.stratum
                        && x.label.contains("présentiel · intra")
                        && !x.label.contains("certifiante")
                })
            })
            .expect("the présentiel stratum is drawn");
        assert!(p.path.contains("PowerPoint"), "seed {seed}: {}", p.path);
        assert!(
            p.reasons.iter().any(|r| r.contains("formation nouvelle")),
            "{:?}",
            p.reasons
        );
    }
    // Without --since, the 2024 sessions can be drawn.
    let all = sample(Some(100), 0, None);
    assert_eq!(all.drawn.len(), SESSIONS.len());
}

#[test]
fn the_command_writes_the_sample_files_and_replays_from_the_seed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("archive");
    archive(&root);
    let run = |out: &str, seed: &str| {
        let o = assert_cmd::Command::cargo_bin("preuves")
            .unwrap()
            .arg("sample")
            .arg(&root)
            .args([
                "--out",
                out,
                "--seed",
                seed,
                "--size",
                "5",
                "--since",
                "2025-01-01",
                "-q",
            ])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        let json: serde_json::Value = serde_json::from_slice(
            &std::fs::read(dir.path().join(out).join("sample.json")).unwrap(),
        )
        .unwrap();
        (err, json)
    };
    let (err, a) = run("a", "77");
    assert!(err.contains("seed 77"), "{err}");
    let (_, b) = run("b", "77");
    // The published schema holds, and is not vacuous.
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/sample.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("valid schema");
    let errors: Vec<String> = validator
        .iter_errors(&a)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let mut broken = a.clone();
    broken["drawn"][0]["session"] = "S-nothex".into();
    assert!(!validator.is_valid(&broken));
    assert_eq!(a["seed"], 77);
    assert_eq!(a["drawn"], b["drawn"]);
    assert_eq!(a["strata"], b["strata"]);
    assert_eq!(a["size"], 5);
    assert_eq!(a["since"], "2025-01-01");
    assert_eq!(a["sessions"].as_array().unwrap().len(), 5);
    assert!(a["documents"].as_array().unwrap().len() >= 10);
    let out = dir.path().join("a");
    let csv = std::fs::read(out.join("sample.csv")).unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8_lossy(&csv);
    assert_eq!(text.lines().count(), 6, "header + 5 sessions");
    assert!(text.lines().next().unwrap().contains(";strate;"));
    let html = std::fs::read_to_string(out.join("sample.html")).unwrap();
    assert_eq!(html.matches("<section class=session").count(), 5);
    assert!(html.contains("Échantillon par catégorie d'action"));
    assert!(out.join("actions.xlsx").exists());
    // The action plan is the sample's: every session row names a drawn session.
    let drawn: Vec<&str> = a["drawn"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    let actions = std::fs::read_to_string(out.join("actions.csv")).unwrap();
    let mut rows = 0;
    for line in actions.lines().skip(1) {
        let place = line.split(';').nth(2).unwrap_or("");
        if place.contains("/20") {
            assert!(drawn.contains(&place), "{place} is not in the sample");
            rows += 1;
        }
    }
    let findings: usize = a["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| {
            s["findings"]
                .as_array()
                .unwrap()
                .iter()
                .chain(s["funder_findings"].as_array().unwrap())
        })
        .filter(|f| f["severity"] != "info")
        .count();
    assert_eq!(
        rows, findings,
        "one row per blocking or warning finding of the sample"
    );
    // Without a seed, one is made up, printed and stored.
    let o = assert_cmd::Command::cargo_bin("preuves")
        .unwrap()
        .arg("sample")
        .arg(&root)
        .args(["--out", "d", "-q"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("d/sample.json")).unwrap()).unwrap();
    assert!(err.contains(&format!("seed {}", json["seed"])), "{err}");
}

const HARNESS: &str = r#"
<script>
(function () {
  function run() {
    var out = { errors: window.__errors.slice() };
    try {
      var pages = document.querySelectorAll('section.session');
      out.pages = pages.length;
      out.break_before = Array.prototype.every.call(pages, function (p) {
        var b = getComputedStyle(p).breakBefore; return b === 'page' || b === 'always'; });
      out.checkboxes = Array.prototype.map.call(pages, function (p) {
        return p.querySelectorAll('input[type=checkbox]').length; });
      out.listed = document.querySelectorAll('table.by-category tr.drawn').length;
      out.links_ok = Array.prototype.every.call(document.querySelectorAll('table.by-category a'), function (a) {
        return document.getElementById(a.getAttribute('href').slice(1)) !== null; });
    } catch (e) { out.errors.push('harness: ' + e.message); }
    var pre = document.createElement('pre'); pre.id = 'harness-result';
    pre.textContent = JSON.stringify(out);
    document.body.appendChild(pre);
  }
  if (document.readyState === 'complete') run(); else window.addEventListener('load', run);
})();
</script>
"#;

#[test]
fn sample_html_prints_one_page_per_session_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let s = sample(Some(4), 5, None);
    let html = preuves::sample::page::html(
        report(),
        &s,
        &preuves::rules::RuleSet::default_set(),
        &preuves::report::html::HtmlOptions {
            lang: preuves::report::Lang::Fr,
            link_base: Some("../archive/".into()),
        },
    );
    let r = common::browser::run(dir.path(), "sample.html", &html, HARNESS);
    println!("{r}");
    assert_eq!(
        r["errors"].as_array().map(|a| a.len()),
        Some(0),
        "{}",
        r["errors"]
    );
    assert_eq!(r["pages"], 4);
    assert_eq!(r["break_before"], true);
    assert_eq!(r["listed"], 4, "the sample listed by category");
    assert_eq!(r["links_ok"], true);
    let rules = preuves::rules::RuleSet::default_set();
    for n in r["checkboxes"].as_array().unwrap() {
        // One per requirement, and the four conclusion boxes.
        assert!(
            n.as_u64().unwrap() as usize >= rules.requirement.len() + 4,
            "{n}"
        );
    }
    // Printed: the listing, then each session on pages of its own.
    let pages = common::browser::print_pages(dir.path(), "print.html", &html);
    assert!(
        pages > 4,
        "{pages} printed pages for 4 sessions and the listing"
    );
}
