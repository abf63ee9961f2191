//! The *understood document*: one file's entry in the report (kind, dates and their roles,
//! signatures, errors, session). Built from an [`crate::model::Extracted`] by `understand`;
//! read by `sessions`, `rules` and `report`. Field names follow ../shared/report-contract.md.

use crate::error::Error;
use crate::model::{Format, Metadata};
use serde::{Deserialize, Serialize};

/// The kind vocabulary of the report contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Convention,
    Quote,
    Invoice,
    Programme,
    Convocation,
    AttendanceSheet,
    ConnectionLog,
    CompletionCertificate,
    SatisfactionHot,
    SatisfactionCold,
    Assessment,
    Positioning,
    NeedsAnalysis,
    TrainerCv,
    TrainerContract,
    FundingAgreement,
    WelcomeBooklet,
    InternalRules,
    Complaint,
    ViolenceProcedure,
    RiskAnalysis,
    ResultsNote,
    WatchRecord,
    Accessibility,
    SkillsDevelopment,
    Catalogue,
    Other,
}

impl Kind {
    pub const ALL: [Kind; 27] = [
        Kind::Convention,
        Kind::Quote,
        Kind::Invoice,
        Kind::Programme,
        Kind::Convocation,
        Kind::AttendanceSheet,
        Kind::ConnectionLog,
        Kind::CompletionCertificate,
        Kind::SatisfactionHot,
        Kind::SatisfactionCold,
        Kind::Assessment,
        Kind::Positioning,
        Kind::NeedsAnalysis,
        Kind::TrainerCv,
        Kind::TrainerContract,
        Kind::FundingAgreement,
        Kind::WelcomeBooklet,
        Kind::InternalRules,
        Kind::Complaint,
        Kind::ViolenceProcedure,
        Kind::RiskAnalysis,
        Kind::ResultsNote,
        Kind::WatchRecord,
        Kind::Accessibility,
        Kind::SkillsDevelopment,
        Kind::Catalogue,
        Kind::Other,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Kind::Convention => "convention",
            Kind::Quote => "quote",
            Kind::Invoice => "invoice",
            Kind::Programme => "programme",
            Kind::Convocation => "convocation",
            Kind::AttendanceSheet => "attendance_sheet",
            Kind::ConnectionLog => "connection_log",
            Kind::CompletionCertificate => "completion_certificate",
            Kind::SatisfactionHot => "satisfaction_hot",
            Kind::SatisfactionCold => "satisfaction_cold",
            Kind::Assessment => "assessment",
            Kind::Positioning => "positioning",
            Kind::NeedsAnalysis => "needs_analysis",
            Kind::TrainerCv => "trainer_cv",
            Kind::TrainerContract => "trainer_contract",
            Kind::FundingAgreement => "funding_agreement",
            Kind::WelcomeBooklet => "welcome_booklet",
            Kind::InternalRules => "internal_rules",
            Kind::Complaint => "complaint",
            Kind::ViolenceProcedure => "violence_procedure",
            Kind::RiskAnalysis => "risk_analysis",
            Kind::ResultsNote => "results_note",
            Kind::WatchRecord => "watch_record",
            Kind::Accessibility => "accessibility",
            Kind::SkillsDevelopment => "skills_development",
            Kind::Catalogue => "catalogue",
            Kind::Other => "other",
        }
    }

    pub fn from_id(id: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.id() == id)
    }

    /// French label (HTML report).
    pub fn label_fr(self) -> &'static str {
        match self {
            Kind::Convention => "Convention / contrat de formation",
            Kind::Quote => "Devis / proposition",
            Kind::Invoice => "Facture",
            Kind::Programme => "Programme de formation",
            Kind::Convocation => "Convocation",
            Kind::AttendanceSheet => "Feuille d'émargement",
            Kind::ConnectionLog => "Relevé de connexion",
            Kind::CompletionCertificate => "Certificat de réalisation / attestation",
            Kind::SatisfactionHot => "Évaluation à chaud",
            Kind::SatisfactionCold => "Évaluation à froid",
            Kind::Assessment => "Évaluation des acquis",
            Kind::Positioning => "Test de positionnement",
            Kind::NeedsAnalysis => "Analyse du besoin",
            Kind::TrainerCv => "CV formateur",
            Kind::TrainerContract => "Contrat formateur / sous-traitance",
            Kind::FundingAgreement => "Accord de prise en charge",
            Kind::WelcomeBooklet => "Livret d'accueil",
            Kind::InternalRules => "Règlement intérieur",
            Kind::Complaint => "Réclamation / incident",
            Kind::ViolenceProcedure => "Procédure violences, harcèlement, discriminations",
            Kind::RiskAnalysis => "Analyse des risques qualité",
            Kind::ResultsNote => "Note de calcul des indicateurs de résultats",
            Kind::WatchRecord => "Veille (légale, métiers, pédagogique)",
            Kind::Accessibility => "Handicap et accessibilité",
            Kind::SkillsDevelopment => "Développement des compétences des formateurs",
            Kind::Catalogue => "Catalogue / offre de formation",
            Kind::Other => "Autre",
        }
    }

    /// English label (`--lang en`).
    pub fn label_en(self) -> &'static str {
        match self {
            Kind::Convention => "Training agreement / contract",
            Kind::Quote => "Quote / proposal",
            Kind::Invoice => "Invoice",
            Kind::Programme => "Training programme",
            Kind::Convocation => "Notice to attend",
            Kind::AttendanceSheet => "Attendance sheet",
            Kind::ConnectionLog => "Connection log",
            Kind::CompletionCertificate => "Certificate of completion",
            Kind::SatisfactionHot => "End-of-course satisfaction",
            Kind::SatisfactionCold => "Delayed evaluation",
            Kind::Assessment => "Learning assessment",
            Kind::Positioning => "Positioning test",
            Kind::NeedsAnalysis => "Needs analysis",
            Kind::TrainerCv => "Trainer CV",
            Kind::TrainerContract => "Trainer / subcontracting contract",
            Kind::FundingAgreement => "Funding agreement",
            Kind::WelcomeBooklet => "Welcome booklet",
            Kind::InternalRules => "Internal rules",
            Kind::Complaint => "Complaint / incident",
            Kind::ViolenceProcedure => "Violence, harassment and discrimination procedure",
            Kind::RiskAnalysis => "Quality risk analysis",
            Kind::ResultsNote => "Results calculation note",
            Kind::WatchRecord => "Watch record (legal, jobs, pedagogical)",
            Kind::Accessibility => "Disability and accessibility",
            Kind::SkillsDevelopment => "Staff skills development",
            Kind::Catalogue => "Training catalogue",
            Kind::Other => "Other",
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// What a date means in its document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateRole {
    /// Issue date of a letter, an invoice, a quote.
    Document,
    /// "Fait à …, le …", "Signé le", e-signature timestamps.
    Signature,
    SessionStart,
    SessionEnd,
    Other,
}

/// A date found in a document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DateFact {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub role: DateRole,
    /// The matched source text.
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub page: Option<u32>,
    /// `text`, `cell`, `metadata`, `signature_field`, `file_name`.
    #[serde(default = "default_source")]
    pub source: String,
    /// Why this role (the words around the date that decided it).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub reason: Option<String>,
    /// On an evaluation, assessment, positioning or needs-analysis form: this date is when the
    /// respondent answered ("Date de réponse", "Rempli le", "Completed on", a survey export's
    /// timestamp column…); its role is then `document`, and `reason` gives the deciding words.
    /// Version, update and edition dates of a form are never answers.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub answer: bool,
}

fn default_source() -> String {
    "text".into()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignatureStatus {
    Signed,
    Unsigned,
    Partial,
    NotApplicable,
    Unknown,
}

/// One piece of evidence for (or against) a signature.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// `pdf_signature_field`, `esign_marker`, `esign_audit_trail`, `image_in_signature_zone`,
    /// `handwritten_name_in_signature_zone` (scans: a name written by hand that OCR read as
    /// words), `typed_approval`, `signature_zone_empty`, `attendance_grid`,
    /// `scanned_grid_not_read` (a scanned sign-in sheet whose grid OCR did not find: status
    /// `unknown`)...
    pub method: String,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub page: Option<u32>,
}

/// A signature cell of an attendance grid that is not signed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmptyCell {
    pub trainee: String,
    pub slot: String,
    /// `empty`, `absent` (marked Absent/ABS/Excusé), `uncertain`.
    pub state: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Signature {
    pub status: SignatureStatus,
    pub evidence: Vec<Evidence>,
    /// Attendance sheets: signature cells expected and found.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub expected: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub found: Option<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub empty_cells: Vec<EmptyCell>,
}

impl Signature {
    pub fn unknown() -> Signature {
        Signature {
            status: SignatureStatus::Unknown,
            evidence: Vec::new(),
            expected: None,
            found: None,
            empty_cells: Vec::new(),
        }
    }
}

/// Which extractor read the file (name and version: the future cache key).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExtractorInfo {
    pub name: String,
    pub version: u32,
}

/// One file's entry in the report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub path: String,
    pub format: Format,
    pub kind: Kind,
    pub confidence: f32,
    pub reasons: Vec<String>,
    pub scanned: bool,
    pub dates: Vec<DateFact>,
    pub signature: Signature,
    pub errors: Vec<Error>,
    pub session: Option<String>,
    // Additions beyond the contract.
    pub size: u64,
    pub pages: u32,
    /// blake3 of the content (same file in several folders or zips).
    pub hash: Option<String>,
    pub extractor: Option<ExtractorInfo>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub warnings: Vec<String>,
    pub metadata: Metadata,
    /// Counts of what extraction found, for the HTML report and `preuves text`.
    pub content: ContentStats,
    /// The container this document came out of (`archive.zip`), if any.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub container: Option<String>,
    /// What the document says about its session (title, people), for grouping and the report.
    #[serde(skip_serializing_if = "DocFacts::is_empty", default)]
    pub facts: DocFacts,
}

/// What a document says about the session it belongs to.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct DocFacts {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub client: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub trainers: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub trainees: Vec<String>,
    /// For CVs: the person the CV is about.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub person: Option<String>,
    /// A convention or quote with its own needs-analysis section (satisfies indicator 4).
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub needs_analysis_section: bool,
    /// The training's duration in hours as the document states it ("Durée : 14 heures",
    /// "Duration: 13.5 hours"), with the words it was read from (funder checks compare them).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub hours: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub hours_text: Option<String>,
    /// Words that tell the category or modality of the action ("RNCP 35635", "à distance",
    /// "contrat d'apprentissage", "intra-entreprise"…): the auditor's sample is stratified by them.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub markers: Vec<Marker>,
}

/// A category or modality of action that a document's words state (see `DocFacts::markers`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Marker {
    /// RNCP or RS certification, or CPF funding (which requires one).
    Certifying,
    /// "à distance", "FOAD", "e-learning", "classe virtuelle", "distanciel".
    Distance,
    /// "présentiel", "en salle".
    OnSite,
    /// "intra-entreprise", "en intra".
    Intra,
    /// "inter-entreprises", "en inter".
    Inter,
    /// "sous-traitance", "sous-traitant".
    Subcontracted,
    /// "contrat d'apprentissage", "apprenti", "CFA".
    Apprenticeship,
    /// "contrat de professionnalisation", "alternance".
    WorkStudy,
    /// "bilan de compétences".
    SkillsAssessment,
    /// "validation des acquis de l'expérience", "VAE".
    Vae,
}

impl DocFacts {
    pub fn is_empty(&self) -> bool {
        self.title.is_none()
            && self.client.is_none()
            && self.trainers.is_empty()
            && self.trainees.is_empty()
            && self.person.is_none()
            && !self.needs_analysis_section
            && self.hours.is_none()
            && self.markers.is_empty()
    }
}

#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct ContentStats {
    pub chars: usize,
    pub tables: usize,
    pub images: usize,
    pub form_fields: usize,
    pub scanned_pages: usize,
}
