//! The indicator grid of the fixture archive against a grid made by hand from the archive's
//! ground truth (fixtures/generate/README.md: the planted defects of the 12 sessions), for the
//! 2026 référentiel and the V9 one.
//!
//! How the expected grid was made, indicator by indicator (blocking/warning defects only; info
//! never breaks an indicator): 1 ← S12 programme missing (1 session of 12, gradable → minor);
//! 4 ← S2, S4, S5, S6, S11 (major only); 5, 6 ← S4 convention, S12 programme; 8 ← S6 positioning
//! (gradable → minor); 9 ← S5 late convocation, S8 no convocation (gradable, 2 of 12 → minor);
//! 10 ← S3, S8, S9; 11 ← S8, S9, S10; 12: only the actions longer than two days count (S1, S6,
//! S10, S11), none has a gap → conforme; 21 ← S3 trainer without CV (major only); 30 ← S2, S10,
//! S11 (gradable → minor); 31: both organisations keep complaint records → conforme; 22–26: no
//! organisation keeps a watch record, a disability procedure or a skills-development record
//! (organisation-level absence: systematic → major), nor, for 2026, a violence/harassment
//! procedure (12) or a quality-risk analysis (32).
//! Indicators no rule judges are `non_evalue`; those of other categories or conditions
//! (certifying, alternance, CFA) `non_applicable`; 27 applies because trainer contracts exist.

mod common;

use preuves::rules::indicators::{Verdict, grid};
use preuves::rules::{Audit, Category, RuleSet};

fn audit(day: &str) -> Audit {
    Audit {
        date: day.parse().unwrap(),
        date_given: true,
        categories: vec![Category::Af],
        certifying: false,
        alternance: false,
        subcontracting: false,
    }
}

fn expected(set: &str, n: u32) -> Verdict {
    use Verdict::*;
    match (set, n) {
        (_, 1 | 8 | 9 | 30) => NcMineure,
        (_, 4 | 5 | 6 | 10 | 11 | 21) => NcMajeure,
        // Neither organisation keeps a watch record, a disability procedure or a skills plan.
        (_, 22..=26) => NcMajeure,
        // 2026: nor a violence/harassment procedure (12) or a quality-risk analysis (32).
        ("rnq-2026", 12 | 32) => NcMajeure,
        (_, 12 | 31) => Conforme,
        (_, 3 | 7 | 13 | 14 | 15 | 16 | 20 | 28 | 29 | 33) => NonApplicable,
        _ => NonEvalue,
    }
}

#[test]
fn fixture_archive_grid_matches_the_hand_made_grid() {
    let r = common::report();
    for (set, day, count) in [("rnq-2026", "2026-11-15", 33), ("rnq-v9", "2026-10-15", 32)] {
        let rules = RuleSet::embedded(set).unwrap();
        assert!(rules.applies_on(day));
        let a = audit(day);
        let orgs = preuves::rules::judge_organisations(&r.sessions, &r.documents, &rules, a.date);
        let g = grid(&rules, &a, &r.sessions, &orgs, &r.documents);
        assert_eq!(g.len(), count, "{set}");
        let mut wrong = Vec::new();
        for row in &g {
            println!(
                "{set} {:>2} {:<14} {}",
                row.number,
                row.verdict.id(),
                row.finding
            );
            if row.verdict != expected(set, row.number) {
                wrong.push(format!(
                    "{set} indicator {}: {:?}, expected {:?} — {}",
                    row.number,
                    row.verdict,
                    expected(set, row.number),
                    row.finding
                ));
            }
            if row.verdict == Verdict::NcMineure {
                assert!(
                    row.gradable,
                    "minor NC on a major-only indicator {}",
                    row.number
                );
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}
