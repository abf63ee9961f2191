//! Organisation-level evidence of the référentiel 2026 and of auditors' practice, recognised as
//! kinds (three differently worded documents each, French and English, written as Word files),
//! and the freshness rule ("datez chaque mise à jour"): a stale document raises `<piece>.stale`,
//! a fresh one does not.

use docx_rs::{Docx, Paragraph, Run};
use preuves::document::Kind;
use std::path::Path;

fn docx(path: &Path, title: &str, body: &[&str]) {
    let mut d = Docx::new().add_paragraph(
        Paragraph::new()
            .add_run(Run::new().add_text(title).bold().size(36))
            .style("Heading1"),
    );
    for line in body {
        d = d.add_paragraph(Paragraph::new().add_run(Run::new().add_text(*line)));
    }
    let f = std::fs::File::create(path).unwrap();
    d.build().pack(f).unwrap();
}

/// (file name, kind, title, body): three per kind, French and English, other wordings.
fn documents() -> Vec<(&'static str, Kind, &'static str, Vec<&'static str>)> {
    use Kind::*;
    vec![
        (
            "Procédure VSS.docx",
            ViolenceProcedure,
            "Procédure de prévention des violences sexistes et sexuelles",
            vec![
                "Objet : prévenir et traiter les violences sexistes et sexuelles, le harcèlement moral et sexuel et les discriminations.",
                "Signalement : tout stagiaire, victime ou témoin, peut écrire à la référente VSS (vss@exemple.fr).",
                "Mise à jour le 3 mars 2026.",
            ],
        ),
        (
            "Dispositif harcèlement.docx",
            ViolenceProcedure,
            "Dispositif de signalement",
            vec![
                "Lutte contre le harcèlement et les discriminations (art. L1153-1 et L1152-1 du Code du travail).",
                "La cellule d'écoute reçoit les signalements et garantit la confidentialité au lanceur d'alerte.",
                "Version du 12/01/2026.",
            ],
        ),
        (
            "Harassment policy.docx",
            ViolenceProcedure,
            "Anti-harassment policy",
            vec![
                "We apply zero tolerance to violence, sexual harassment and discrimination.",
                "How to report an incident: any learner, victim or witness may contact our referent.",
                "Last updated: 5 February 2026.",
            ],
        ),
        (
            "Analyse des risques 2026.docx",
            RiskAnalysis,
            "Analyse des risques qualité",
            vec![
                "Risque : absence du formateur. Probabilité : 2. Gravité : 3. Criticité : 6.",
                "Mesures de maîtrise : vivier de formateurs remplaçants. Risque résiduel : faible.",
                "Mise à jour le 10 janvier 2026.",
            ],
        ),
        (
            "Cartographie.docx",
            RiskAnalysis,
            "Cartographie des risques",
            vec![
                "Niveau de risque évalué pour chaque processus : commercial, pédagogique, administratif.",
                "Plan de traitement et mesures de maîtrise décidées en revue de direction.",
                "Révisée le 02/02/2026.",
            ],
        ),
        (
            "Risk register.docx",
            RiskAnalysis,
            "Quality risk register",
            vec![
                "Risk: low attendance in distance modules. Likelihood: medium. Severity: high.",
                "Mitigation: weekly follow-up calls. Risk owner: pedagogical manager. Residual risk: low.",
                "Reviewed on March 1, 2026.",
            ],
        ),
        (
            "Nos indicateurs.docx",
            ResultsNote,
            "Méthode de calcul des indicateurs de résultats",
            vec![
                "Taux de satisfaction : moyenne des notes des questionnaires à chaud, calculé sur l'année civile.",
                "Taux d'abandon : nombre de stagiaires sortis avant la fin / nombre d'entrées (numérateur, dénominateur).",
                "Mise à jour le 15 janvier 2026.",
            ],
        ),
        (
            "Note méthodologique.docx",
            ResultsNote,
            "Note méthodologique des indicateurs",
            vec![
                "Période de référence : 2025. Nombre de répondants : 214.",
                "Le taux de réussite est calculé sur les stagiaires présentés à la certification.",
                "Édition du 20/01/2026.",
            ],
        ),
        (
            "Results methodology.docx",
            ResultsNote,
            "How our results are calculated",
            vec![
                "Satisfaction rate: average score of end-of-course surveys; number of respondents shown.",
                "Completion rate is calculated as learners completing / learners starting, over the reference period.",
                "Updated on 2026-01-31.",
            ],
        ),
        (
            "Veille 2026.docx",
            WatchRecord,
            "Registre de veille légale et réglementaire",
            vec![
                "Source : Légifrance, Journal officiel du 4 août 2026. Sujet : nouveau référentiel qualité.",
                "Impact sur nos prestations : mise à jour des procédures. Action décidée : formation de l'équipe.",
                "Dernière mise à jour : 14/09/2026.",
            ],
        ),
        (
            "Veille pédagogique.docx",
            WatchRecord,
            "Veille pédagogique et technologique",
            vec![
                "Webinaire sur les classes virtuelles, Centre Inffo ; innovation pédagogique retenue : quiz interactifs.",
                "Enseignements tirés pour nos formations à distance.",
                "Mis à jour le 2 octobre 2026.",
            ],
        ),
        (
            "Monitoring log.docx",
            WatchRecord,
            "Regulatory watch log",
            vec![
                "Topic: CPF reform. Impact on our services: new funding rules. Action taken: catalogue updated.",
                "Lessons learned shared at the team meeting.",
                "Last update: October 20, 2026.",
            ],
        ),
        (
            "Référent handicap.docx",
            Accessibility,
            "Procédure d'accueil des personnes en situation de handicap",
            vec![
                "Notre référent handicap étudie les aménagements raisonnables avec chaque stagiaire.",
                "Partenaires : Agefiph, Cap emploi, Ressource Handicap Formation (RHF), MDPH.",
                "Mise à jour le 6 juin 2026.",
            ],
        ),
        (
            "Politique handicap.docx",
            Accessibility,
            "Politique handicap",
            vec![
                "Accueil des publics en situation de handicap (PSH) et compensation du handicap.",
                "Contact du référent handicap : handicap@exemple.fr.",
                "Version du 01/04/2026.",
            ],
        ),
        (
            "Accessibility policy.docx",
            Accessibility,
            "Accessibility policy",
            vec![
                "We make reasonable adjustments for learners with disabilities.",
                "Our disability referent coordinates with partner networks.",
                "Updated: 12 May 2026.",
            ],
        ),
        (
            "Plan compétences.docx",
            SkillsDevelopment,
            "Plan de développement des compétences",
            vec![
                "Formateur : Claire Dubois. Formation suivie : classe virtuelle, 14 heures. Compétences à développer : tutorat.",
                "Besoins de formation recensés lors de l'entretien annuel.",
                "Mis à jour le 30/06/2026.",
            ],
        ),
        (
            "Entretiens professionnels.docx",
            SkillsDevelopment,
            "Entretiens professionnels",
            vec![
                "Synthèse des entretiens professionnels des intervenants : montée en compétences sur l'accessibilité.",
                "Professionnalisation prévue au second semestre.",
                "Mise à jour le 15 juillet 2026.",
            ],
        ),
        (
            "CPD plan.docx",
            SkillsDevelopment,
            "Trainer development plan",
            vec![
                "Continuing professional development: training attended by each trainer, skills to develop.",
                "Development needs reviewed at the annual review.",
                "Last updated on August 3, 2026.",
            ],
        ),
        (
            "Catalogue 2026.docx",
            Catalogue,
            "Catalogue des formations 2026",
            vec![
                "Formations inter-entreprises et intra-entreprise, tarifs sur devis.",
                "Délai d'accès : 15 jours après la signature de la convention.",
                "Mis à jour le 05/01/2026.",
            ],
        ),
        (
            "Notre catalogue.docx",
            Catalogue,
            "Notre catalogue",
            vec![
                "Gestes et postures, SST, management : délais d'accès et modalités précisés pour chaque formation.",
                "Intra-entreprise sur devis.",
                "Édition de janvier 2026, mise à jour le 10/02/2026.",
            ],
        ),
        (
            "Course catalog.docx",
            Catalogue,
            "Training catalogue",
            vec![
                "Our courses: management, languages, office software. Access time: two weeks.",
                "In-company sessions on request.",
                "Updated on 2026-02-01.",
            ],
        ),
    ]
}

fn scan(root: &Path, day: &str) -> preuves::report::Report {
    let rules = preuves::rules::RuleSet::embedded("rnq-2026").unwrap();
    let options = preuves::ScanOptions {
        rules,
        audit: preuves::rules::Audit {
            date: day.parse().unwrap(),
            date_given: true,
            ..preuves::rules::Audit::default()
        },
        ..preuves::ScanOptions::default()
    };
    preuves::scan(root, &options, &preuves::NoProgress).unwrap()
}

#[test]
fn organisation_kinds_are_recognised_in_french_and_english() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("OF");
    std::fs::create_dir_all(root.join("Qualité")).unwrap();
    for (name, _, title, body) in documents() {
        docx(&root.join("Qualité").join(name), title, &body);
    }
    let report = scan(&root, "2026-11-15");
    let mut wrong = Vec::new();
    for (name, kind, _, _) in documents() {
        let path = format!("Qualité/{name}");
        let d = report
            .documents
            .iter()
            .find(|d| d.path == path)
            .unwrap_or_else(|| panic!("{path} missing"));
        if d.kind != kind {
            wrong.push(format!(
                "{path}: {} (expected {kind}) {:?}",
                d.kind, d.reasons
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // All present and fresh on 15 November 2026: no missing or stale finding for them.
    let findings: Vec<String> = report
        .organisations
        .iter()
        .flat_map(|o| o.findings.iter().map(|f| f.code.clone()))
        .collect();
    for piece in [
        "violence_procedure",
        "risk_analysis",
        "results_note",
        "watch_record",
        "accessibility",
        "skills_development",
        "catalogue",
    ] {
        assert!(
            !findings.iter().any(|c| c.starts_with(&format!("{piece}."))),
            "{piece}: {findings:?}"
        );
    }
}

#[test]
fn stale_organisation_document_raises_its_freshness_finding() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("OF");
    std::fs::create_dir_all(&root).unwrap();
    docx(
        &root.join("Veille.docx"),
        "Registre de veille réglementaire",
        &[
            "Source : Légifrance. Impact sur nos prestations : néant. Action décidée : aucune.",
            "Dernière mise à jour : 12/03/2024.",
        ],
    );
    docx(
        &root.join("Procédure VSS.docx"),
        "Procédure de signalement des violences et du harcèlement",
        &[
            "Violences sexistes et sexuelles, harcèlement, discriminations : signalement à la référente VSS.",
            "Mise à jour le 4 septembre 2026.",
        ],
    );
    let report = scan(&root, "2026-11-15");
    let org = &report.organisations[0];
    let stale: Vec<&preuves::sessions::Finding> = org
        .findings
        .iter()
        .filter(|f| f.code.ends_with(".stale"))
        .collect();
    assert_eq!(stale.len(), 1, "{:?}", org.findings);
    assert_eq!(stale[0].code, "watch_record.stale");
    assert!(
        stale[0].message.contains("12 mars 2024"),
        "{}",
        stale[0].message
    );
    assert_eq!(stale[0].documents, vec!["Veille.docx".to_string()]);
    // The stale veille breaks indicators 23–25 at organisation level.
    let i23 = report.indicators.iter().find(|i| i.number == 23).unwrap();
    assert_eq!(i23.verdict, preuves::rules::indicators::Verdict::NcMajeure);
    assert!(i23.codes.contains(&"watch_record.stale".to_string()));
    // Judged a year earlier, the same record is fresh.
    let report = scan(&root, "2024-12-01");
    assert!(
        !report.organisations[0]
            .findings
            .iter()
            .any(|f| f.code == "watch_record.stale"),
        "{:?}",
        report.organisations[0].findings
    );
}
