//! E-signature audit trails and certificates of completion, recognised by their structure.
//!
//! A trail is a list of signers, each tied to signing events with timestamps: "Signed:
//! 31/03/2025 | 16:07" under a signer's name and e-mail (DocuSign certificate of completion),
//! "Document e-signed by Marie Durand (m.durand@…)" followed by "Signature Date: …" (Adobe
//! Acrobat Sign audit report), "10/03/2025 09:12 Marie Durand a signé le document" (Yousign,
//! Universign, Lex Persona event lists), or a signer table whose header has a signature-time
//! column ("Signataire | E-mail | … | Signature | Adresse IP") with one row per signer. Envelope
//! or transaction ids, IP addresses and hashes are read when present.
//!
//! Never a brand name: "Yousign", "audit trail" or "dossier de preuves" in running text is not a
//! signature. A signer whose last status is "sent", "en attente", "declined", "refusé",
//! "expired"… has not signed, and the trail then says so.
//!
//! Reads only the document's lines ([`DocView`]); dates come from [`super::dates`].

use super::dates::find_dates;
use super::facts::looks_like_name;
use super::normalize::normalize_line;
use super::view::DocView;
use crate::document::{DateFact, DateRole, Evidence, SignatureStatus};
use jiff::civil::{Date, Time};
use regex::Regex;
use std::sync::LazyLock;

/// One signer of a trail.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Signer {
    pub name: Option<String>,
    pub email: Option<String>,
    /// The latest signing event: date, time, source text, page.
    pub signed_at: Option<(Date, Option<Time>, String, u32)>,
    /// A status that says this signer has not signed ("en attente", "declined", "sent").
    pub pending: Option<String>,
    /// Invited, sent to, viewed by: an expected signer.
    pub recipient: bool,
    /// Line index where this signer was last named.
    last_seen: usize,
}

impl Signer {
    fn who(&self) -> String {
        match (&self.name, &self.email) {
            (Some(n), Some(e)) => format!("{n} <{e}>"),
            (Some(n), None) => n.clone(),
            (None, Some(e)) => format!("<{e}>"),
            (None, None) => "unnamed signer".into(),
        }
    }
    fn is_signer(&self) -> bool {
        self.signed_at.is_some() || self.pending.is_some() || self.recipient
    }
}

/// What the trail says.
#[derive(Clone, Debug, Default)]
pub struct Trail {
    pub signers: Vec<Signer>,
    pub envelope: Option<String>,
    pub ips: usize,
    pub hash: bool,
    pub page: Option<u32>,
}

impl Trail {
    pub fn signed(&self) -> usize {
        self.signers
            .iter()
            .filter(|s| s.signed_at.is_some())
            .count()
    }

    pub fn status(&self) -> SignatureStatus {
        let signed = self.signed();
        if signed == 0 {
            SignatureStatus::Unsigned
        } else if signed < self.signers.len() {
            SignatureStatus::Partial
        } else {
            SignatureStatus::Signed
        }
    }

    pub fn evidence(&self) -> Evidence {
        let mut parts: Vec<String> = Vec::new();
        for s in &self.signers {
            match (&s.signed_at, &s.pending) {
                (Some((d, t, _, _)), _) => parts.push(format!(
                    "{} signed on {d}{}",
                    s.who(),
                    t.map(|t| format!(" {:02}:{:02}", t.hour(), t.minute()))
                        .unwrap_or_default()
                )),
                (None, Some(p)) => parts.push(format!("{} has NOT signed (status «{p}»)", s.who())),
                (None, None) => parts.push(format!(
                    "{} was sent the document, no signing event",
                    s.who()
                )),
            }
        }
        let mut extra: Vec<String> = Vec::new();
        if let Some(e) = &self.envelope {
            extra.push(format!("envelope {e}"));
        }
        if self.ips > 0 {
            extra.push(format!(
                "{} IP address{}",
                self.ips,
                if self.ips > 1 { "es" } else { "" }
            ));
        }
        if self.hash {
            extra.push("document hash".into());
        }
        let extra = if extra.is_empty() {
            String::new()
        } else {
            format!(" ({})", extra.join(", "))
        };
        Evidence {
            method: "esign_audit_trail".into(),
            detail: format!(
                "{}{extra}; {} of {} signers",
                parts.join("; "),
                self.signed(),
                self.signers.len()
            ),
            page: self.page,
        }
    }

    /// The signed-at dates, as `signature` dates.
    pub fn signing_dates(&self) -> Vec<DateFact> {
        self.signers
            .iter()
            .filter_map(|s| {
                let (d, _, text, page) = s.signed_at.as_ref()?;
                Some(DateFact {
                    date: d.to_string(),
                    role: DateRole::Signature,
                    text: text.clone(),
                    page: Some(*page),
                    source: "text".into(),
                    reason: Some(format!(
                        "signed-at time of {} in an e-signature trail",
                        s.who()
                    )),
                    answer: false,
                })
            })
            .collect()
    }
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*")
        .expect("valid regex")
});

/// A domain's end cut by a line break ("v.lambin@ville-" / "roubaix.fr").
static DOMAIN_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})\b").expect("valid regex")
});

static IPV4: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b")
        .expect("valid regex")
});

static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b([01]?\d|2[0-3])\s*[:h]\s*([0-5]\d)(?:\s*:\s*([0-5]\d))?(?:\s*([ap])\.?m\b)?",
    )
    .expect("valid regex")
});

static ENVELOPE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:envelope\s*id|enveloppe|identifiant\s+(?:de\s+(?:la\s+|l')?)?(?:proc[ée]dure|transaction|enveloppe|dossier|signature)|transaction\s*(?:id|number|n°)|id\s+(?:de\s+(?:la\s+)?)?(?:transaction|proc[ée]dure)|agreement\s+id|procedure\s+id|document\s+id|r[ée]f[ée]rence\s+(?:de\s+(?:la\s+)?)?(?:transaction|proc[ée]dure|signature))\s*[:#n°]*\s*([A-Za-z0-9][A-Za-z0-9_-]{7,})",
    )
    .expect("valid regex")
});

static HASH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bsha-?(?:1|256|384|512)\b|\bempreinte\b|\bhash\b|\bchecksum\b")
        .expect("valid regex")
});

/// A signing event (normalised text).
static SIGNED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:e-)?signed\b|\ba signe\b|\bhas signed\b|\bsigne(?:e|s)?\b|\bsignature apposee\b|\bsignature (?:effectuee|realisee|validee)\b|\bsigne(?:e)? electroniquement\b|\belectronically signed\b",
    )
    .expect("valid regex")
});

/// Words that negate a signing event or say a signer has not signed (normalised).
static PENDING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:non signee?s?|not (?:yet )?signed|unsigned|a signer|en attente(?: de signature)?|pending|awaiting(?: signature)?|waiting for signature|declined|decline|refusee?s?|refus|rejected|rejetee?|expired|expiree?|voided|annulee?|cancell?ed|invalidee?)\b",
    )
    .expect("valid regex")
});

/// Events of a recipient that has not signed (yet): the document was sent to them or seen.
static RECIPIENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:sent|emailed|delivered|viewed|opened|envoyee?s?|invitation|invitee?|consultee?|ouvert|remis|notifiee?|for signature|pour signature)\b",
    )
    .expect("valid regex")
});

/// A status field whose value is a recipient event ("Status: Sent", "Statut : Envoyé"): the
/// signer has not signed.
static STATUS_SENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:statut|status|etat)\s*:?\s*(?:sent|envoyee?|delivered|remis|viewed|consultee?|ouvert)\b")
        .expect("valid regex")
});

/// A section of recipients who do not sign (copies, viewers, approvers): their "Sent" and
/// "Viewed" events do not make them expected signers (normalised text).
static NON_SIGNER_SECTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:carbon copy|certified delivery|editor delivery|agent delivery|intermediary delivery|witness|notary|copie carbone|destinataires? en copie|en copie|observateurs?|lecteurs?|approbateurs?|approvers?|cc recipients?|recipients? in copy)\b")
        .expect("valid regex")
});

/// A section of signers ("Signer Events", "Événements de signataire", "Signataires").
static SIGNER_SECTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:in person )?signer events|evenements? de(?:s)? signataires?|signataires?\b|signers?\b)")
        .expect("valid regex")
});

/// A recipient who receives a copy or approves, and does not sign (normalised text).
static NOT_FOR_SIGNATURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:for approval|pour approbation|for review|pour relecture|pour information|for information|in copy|en copie|cc|carbon copy)\b")
        .expect("valid regex")
});

/// "Completed" / "Terminé" as a signer's status in a row that names the signer.
static COMPLETED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:completed|complete|terminee?)\b").expect("valid regex"));

/// A name introduced by a preposition after an event ("signed by Marie Durand", "envoyée à …").
static NAME_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:by|par|to|a|à|pour)\s+((?:M\.|Mme|Mr|Mrs|Ms|Dr)?\s*\p{Lu}[\p{L}'’.-]+(?:\s+(?:de|du|van|von|le|la|d')?\s*\p{Lu}[\p{L}'’-]+){1,3})")
        .expect("valid regex")
});

/// A labelled signer ("Signataire : Marie Durand", "Signer name: …").
static NAME_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:signataire|signer(?:\s+name)?|signatory|destinataire|recipient|nom(?:\s+du\s+signataire)?|name)\s*[:：]\s*(.+)$")
        .expect("valid regex")
});

/// Words that make a capitalised line a heading, not a person.
const NOT_NAME_WORDS: &[&str] = &[
    "events",
    "event",
    "signer",
    "signers",
    "signature",
    "signatures",
    "envelope",
    "summary",
    "status",
    "document",
    "record",
    "tracking",
    "certificate",
    "completion",
    "audit",
    "trail",
    "history",
    "historique",
    "timestamp",
    "timestamps",
    "security",
    "authentication",
    "dossier",
    "preuves",
    "procedure",
    "signataire",
    "signataires",
    "evenements",
    "recipient",
    "disclosure",
    "report",
    "rapport",
    "agreement",
    "originator",
    "source",
    "pages",
    "details",
    "holder",
    "location",
    "verification",
    "certified",
    "signing",
    "complete",
    "adoption",
    "level",
    "carbon",
    "copy",
    "copie",
    "editor",
    "intermediary",
    "witness",
    "code",
    "sms",
    "otp",
    "email",
    "e-mail",
    "mail",
    "telephone",
    "phone",
    "account",
    "compte",
    "password",
    "using",
    "address",
    "adresse",
    "ip",
    "via",
    "style",
    "device",
    "drawn",
    "selected",
    "pre-selected",
];

fn plausible_name(s: &str) -> Option<String> {
    let s = s
        .trim()
        .trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '-' | '–' | '(' | ')' | '.'))
        .trim();
    let stripped = ["M. ", "Mme ", "Mr ", "Mrs ", "Ms ", "Dr ", "Me "]
        .iter()
        .find_map(|p| s.strip_prefix(p))
        .unwrap_or(s);
    if !looks_like_name(stripped) {
        return None;
    }
    let n = normalize_line(stripped);
    if n.split_whitespace().any(|w| NOT_NAME_WORDS.contains(&w))
        || event_of(&n, true) != Event::None
    {
        return None;
    }
    Some(s.to_string())
}

/// The people a line names: e-mails, and names in it.
fn identities(raw: &str, next: &[&str]) -> (Vec<String>, Vec<String>) {
    let mut emails: Vec<String> = Vec::new();
    for m in EMAIL.find_iter(raw) {
        let mut e = m.as_str().trim_end_matches(['.', '-']).to_string();
        let domain_has_dot = e.split_once('@').is_some_and(|(_, d)| d.contains('.'));
        if !domain_has_dot {
            // Cut by a line break: glue the first of the next lines that starts with a domain's
            // end ("v.lambin@ville-" … "roubaix.fr"); else keep what is there.
            if !m.as_str().ends_with('-') {
                continue;
            }
            e = match next.iter().find_map(|n| DOMAIN_TAIL.captures(n)) {
                Some(t) => format!("{}{}", m.as_str(), &t[1]),
                None => m.as_str().to_string(),
            };
        }
        emails.push(e.to_lowercase());
    }
    let mut names: Vec<String> = Vec::new();
    if let Some(c) = NAME_LABEL.captures(raw) {
        let v = c[1]
            .split(['\t', '<', '(', '–', '|', ','])
            .next()
            .unwrap_or("");
        let v = EMAIL.replace_all(v, "");
        if let Some(n) = plausible_name(&v) {
            names.push(n);
        }
    }
    for c in NAME_AFTER.captures_iter(raw) {
        if let Some(n) = plausible_name(&c[1]) {
            names.push(n);
        }
    }
    // A cell (tab-separated) or the whole line that is a name; or the words before an event
    // ("Marie Durand a signé", "Marie Durand (m.durand@…) a signé").
    for cell in raw.split('\t') {
        let before = cell
            .split(" a signé")
            .next()
            .unwrap_or(cell)
            .split(" has signed")
            .next()
            .unwrap_or(cell)
            .split(['(', '<', '|', '–'])
            .next()
            .unwrap_or("");
        let before = if before
            .trim_start()
            .starts_with(|c: char| c.is_ascii_digit())
        {
            strip_leading_timestamp(before)
        } else {
            before
        };
        if let Some(n) = plausible_name(before) {
            names.push(n);
            break;
        }
    }
    names.dedup();
    (emails, names)
}

/// "10/03/2025 09:12:03 UTC Marie Durand" → "Marie Durand".
fn strip_leading_timestamp(s: &str) -> &str {
    let t = s.trim_start();
    let Some(d) = find_dates(t).into_iter().next().filter(|d| d.start == 0) else {
        return t;
    };
    let mut rest = t.get(d.end..).unwrap_or("");
    if let Some(m) = TIME
        .find(rest)
        .filter(|m| rest[..m.start()].trim().len() <= 3)
    {
        rest = rest.get(m.end()..).unwrap_or("");
    }
    rest.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '|' | '-' | '–' | ','))
        .trim_start_matches("UTC")
        .trim_start_matches("GMT")
        .trim_start_matches("CET")
        .trim_start()
}

/// The last timestamp of a line: a date and the time right after it.
pub(crate) fn timestamps(raw: &str) -> Vec<(Date, Option<Time>, String)> {
    let mut out = Vec::new();
    if !raw.bytes().any(|b| b.is_ascii_digit()) {
        return out;
    }
    for d in find_dates(raw) {
        let time = d.time.or_else(|| {
            let rest = raw.get(d.end..)?;
            let m = TIME.captures(rest)?;
            let gap = rest.get(..m.get(0)?.start())?;
            if gap.chars().count() > 4
                || !gap.chars().all(|c| {
                    c.is_whitespace() || matches!(c, '|' | '-' | '–' | ',' | 'T' | 'à' | '@')
                })
            {
                return None;
            }
            time_of(&m)
        });
        out.push((d.date, time, d.text.clone()));
    }
    out
}

fn time_of(m: &regex::Captures) -> Option<Time> {
    let mut h: i8 = m[1].parse().ok()?;
    let mi: i8 = m[2].parse().ok()?;
    let s: i8 = m.get(3).and_then(|x| x.as_str().parse().ok()).unwrap_or(0);
    if let Some(ap) = m.get(4) {
        let pm = ap.as_str().eq_ignore_ascii_case("p");
        h = if pm { h % 12 + 12 } else { h % 12 };
    }
    Time::new(h, mi, s, 0).ok()
}

/// A time of day that opens a line ("09:12:03 UTC  IP: …", a wrapped table cell), or that
/// opens one of its table cells when the line is a wrapped table row (every cell of the row
/// continued: "validé)\tmarie@…\t09:40:11") and states no date of its own.
fn time_at_start(line: &str) -> Option<Time> {
    let at_start = |t: &str| {
        let t = t.trim_start();
        TIME.captures(t)
            .filter(|c| c.get(0).is_some_and(|m| m.start() == 0))
            .and_then(|c| time_of(&c))
    };
    at_start(line).or_else(|| {
        if !line.contains('\t') || !timestamps(line).is_empty() {
            return None;
        }
        let mut found = line.split('\t').filter_map(at_start);
        let first = found.next()?;
        found.next().is_none().then_some(first)
    })
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Event {
    Signed,
    Pending,
    Recipient,
    None,
}

fn event_of(norm: &str, has_identity: bool) -> Event {
    if PENDING.is_match(norm) || STATUS_SENT.is_match(norm) {
        Event::Pending
    } else if SIGNED.is_match(norm) || (has_identity && COMPLETED.is_match(norm)) {
        // "Completed" is a signer's status only in a row that names the signer.
        Event::Signed
    } else if RECIPIENT.is_match(norm) {
        Event::Recipient
    } else {
        Event::None
    }
}

/// A trail table header: a signer column and a signature(-time) column.
fn is_trail_header(norm: &str) -> bool {
    let cells: Vec<&str> = norm.split('\t').map(str::trim).collect();
    let signer = cells.iter().any(|c| {
        [
            "signataire",
            "signataires",
            "signer",
            "signers",
            "recipient",
            "destinataire",
        ]
        .iter()
        .any(|w| c.starts_with(w))
    });
    let time = cells.iter().any(|c| {
        [
            "signature",
            "signed",
            "signe le",
            "date de signature",
            "horodatage",
            "timestamp",
        ]
        .iter()
        .any(|w| c.starts_with(w))
    });
    signer && time && norm.split_whitespace().count() <= 16
}

/// Titles of a trail document: what e-signature services call the report they issue.
const TRAIL_TITLES: [&str; 16] = [
    "certificate of completion",
    "certificat de realisation",
    "certificat d'achevement",
    "audit report",
    "audit trail",
    "signature audit",
    "dossier de preuves",
    "dossier de preuve",
    "fichier de preuve",
    "fichier de preuves",
    "certificat de signature",
    "rapport de transaction",
    "journal des evenements",
    "journal de preuve",
    "piste d'audit",
    "transaction report",
];

/// The document IS an e-signature trail (a certificate of completion or an audit report in a
/// file of its own, next to the document it certifies): a trail on its first page, and a
/// trail title among its first lines. Returns the title.
pub fn standalone(view: &DocView) -> Option<&'static str> {
    let title = TRAIL_TITLES.iter().find(|t| {
        view.lines
            .iter()
            .take(6)
            .any(|l| l.page == 1 && super::normalize::contains_phrase(&l.norm, t))
    })?;
    let t = trail(view)?;
    // "Certificate of completion" / "Certificat de réalisation" also name the certificate a
    // trainee receives: a service's certificate carries an envelope id and IP addresses.
    let ambiguous = AMBIGUOUS_TITLES.contains(title);
    (t.page == Some(1) && (!ambiguous || (t.envelope.is_some() && t.ips > 0))).then_some(*title)
}

/// Trail titles that are also the names of training documents.
const AMBIGUOUS_TITLES: [&str; 3] = [
    "certificate of completion",
    "certificat de realisation",
    "certificat d'achevement",
];

/// The name of the document a trail certifies ("Subject: Complete with Docusign: Training
/// agreement - Northwind.pdf", "Document : Convention_formation_BATIPLUS.pdf", "Title …"),
/// read from the labelled lines of the trail's first page.
pub fn certified_document(view: &DocView) -> Option<String> {
    static LABEL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\s*(?:subject|objet|document(?:\s+sign[ée])?|documents?\s+name|nom\s+du\s+document|title|titre|file\s+name|fichier|proc[ée]dure|agreement)\s*[:\t]\s*(.{4,160})$")
            .expect("valid regex")
    });
    static PREFIX: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:complete\s+with\s+docusign|please\s+(?:docusign|sign)|veuillez\s+signer|signature\s+de|à\s+signer)\s*:?\s*")
            .expect("valid regex")
    });
    view.lines
        .iter()
        .filter(|l| l.page == 1)
        .take(20)
        .find_map(|l| {
            let first = l.raw.split('\t').take(2).collect::<Vec<_>>().join("\t");
            let c = LABEL.captures(&first)?;
            let v = c[1]
                .split('\t')
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches('"');
            let v = PREFIX.replace(v, "");
            let v = v
                .trim_end_matches(".pdf")
                .trim_end_matches(".PDF")
                .trim_end_matches(".docx")
                .replace(['_', '.'], " ");
            let v = v.trim().to_string();
            (v.chars().filter(|c| c.is_alphabetic()).count() >= 4).then_some(v)
        })
}

/// Moves a page's signers into the document's list, merging the same person (same e-mail, or
/// same name) seen on several pages of the trail.
fn flush(page: &mut Vec<Signer>, all: &mut Vec<Signer>) {
    for s in page.drain(..).filter(Signer::is_signer) {
        let same = all.iter_mut().find(|o| {
            (s.email.is_some() && o.email == s.email)
                || (s.name.is_some()
                    && o.name.as_deref().map(normalize_line)
                        == s.name.as_deref().map(normalize_line))
        });
        match same {
            Some(o) => {
                if o.email.is_none() {
                    o.email = s.email;
                }
                if o.name.is_none() {
                    o.name = s.name;
                }
                o.recipient |= s.recipient;
                match (&o.signed_at, s.signed_at) {
                    (None, Some(x)) => {
                        o.signed_at = Some(x);
                        o.pending = None;
                    }
                    (Some(a), Some(b)) if (b.0, b.1) > (a.0, a.1) => o.signed_at = Some(b),
                    _ => {}
                }
                if o.signed_at.is_none() && s.pending.is_some() {
                    o.pending = s.pending;
                }
            }
            None => all.push(s),
        }
    }
}

/// Lines a signer's name stays "current" for (a DocuSign signer block is ~6 lines).
const BLOCK_LINES: usize = 8;

/// Finds the e-signature trail of a document, if any (read once per view).
pub fn trail(view: &DocView) -> Option<Trail> {
    view.trail.get_or_init(|| read_trail(view)).clone()
}

fn read_trail(view: &DocView) -> Option<Trail> {
    // A trail ties its signers to an e-mail, an envelope id, an IP address or an electronic
    // signing phrase (see the end): without any of these there is none to find.
    let tied_somewhere = view.ex.pages.iter().any(|p| {
        EMAIL.is_match(&p.text)
            || IPV4.is_match(&p.text)
            || ENVELOPE.is_match(&p.text)
            || p.text.to_lowercase().contains("lectroni")
    });
    if !tied_somewhere {
        return None;
    }
    let lines: Vec<(u32, &str)> = view
        .ex
        .pages
        .iter()
        .flat_map(|p| p.text.lines().map(move |l| (p.number, l)))
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    let mut t = Trail::default();
    let mut signers: Vec<Signer> = Vec::new();
    let mut all: Vec<Signer> = Vec::new();
    let mut current: Option<usize> = None;
    let mut table_mode = false;
    let mut copies_section = false;
    let mut electronic = false;
    let mut ips = std::collections::BTreeSet::new();
    let mut first_page: Option<u32> = None;
    let mut last_page = 0;
    for (i, &(page, raw)) in lines.iter().enumerate() {
        if page != last_page {
            // People named on another page (a letterhead, the contract's parties) are not
            // tied to this page's events.
            flush(&mut signers, &mut all);
            table_mode = false;
            copies_section = false;
            current = None;
            last_page = page;
        }
        // Normalised cell by cell: tabs separate the columns of a laid-out table.
        let norm = raw
            .split('\t')
            .map(normalize_line)
            .collect::<Vec<_>>()
            .join("\t");
        if t.envelope.is_none()
            && let Some(c) = ENVELOPE.captures(raw)
            && c[1].chars().any(|ch| ch.is_ascii_digit())
        {
            t.envelope = Some(c[1].to_string());
        }
        for m in IPV4.find_iter(raw) {
            ips.insert(m.as_str().to_string());
        }
        t.hash |= HASH.is_match(raw);
        let flat = norm.replace('\t', " ");
        if NON_SIGNER_SECTION.is_match(&flat) {
            copies_section = true;
            current = None;
            continue;
        }
        if SIGNER_SECTION.is_match(&flat) && !flat.contains('@') {
            copies_section = false;
        }
        if is_trail_header(&norm) {
            table_mode = true;
            continue;
        }
        let next = lines
            .get(i + 1)
            .filter(|(p, _)| *p == page)
            .map(|(_, l)| *l);
        let following: Vec<&str> = lines
            .iter()
            .skip(i + 1)
            .take(2)
            .filter(|(p, _)| *p == page)
            .map(|(_, l)| *l)
            .collect();
        let (emails, names) = identities(raw, &following);
        let has_identity = !emails.is_empty() || !names.is_empty();
        // Who this line is about.
        if has_identity {
            let found = signers.iter().position(|s| {
                emails
                    .iter()
                    .any(|e| s.email.as_deref() == Some(e.as_str()))
                    || names.iter().any(|n| {
                        s.name
                            .as_deref()
                            .is_some_and(|m| normalize_line(m) == normalize_line(n))
                    })
            });
            let attach = current.filter(|&c| {
                let s = &signers[c];
                i - s.last_seen <= 3
                    && ((s.email.is_none() && !emails.is_empty() && names.is_empty())
                        || (s.name.is_none() && emails.is_empty() && !names.is_empty()))
            });
            // The previous line's signer completed by this line (a table row wrapped over two
            // lines: e-mail, then name) wins over a namesake seen elsewhere.
            let same_row = attach.filter(|&a| i - signers[a].last_seen <= 1);
            let idx = match (same_row, found, attach) {
                (Some(a), _, _) => a,
                (None, Some(f), _) => f,
                (None, None, Some(a)) => a,
                (None, None, None) => {
                    signers.push(Signer::default());
                    signers.len() - 1
                }
            };
            let s = &mut signers[idx];
            if s.email.is_none() {
                s.email = emails.first().cloned();
            }
            if s.name.is_none() {
                s.name = names.first().cloned();
            }
            s.last_seen = i;
            current = Some(idx);
        } else if current.is_some_and(|c| i - signers[c].last_seen > BLOCK_LINES) {
            current = None;
        }
        let Some(c) = current else {
            continue;
        };
        let mut event = event_of(&norm, has_identity);
        let mut stamps = timestamps(raw);
        if event == Event::None && table_mode && !stamps.is_empty() {
            // A row of a signer table (or its wrapped continuation): its last timestamp is the
            // signature column's.
            if (has_identity || i - signers[c].last_seen <= 1)
                && stamps.iter().any(|s| s.1.is_some())
            {
                event = Event::Signed;
            }
        }
        electronic |= norm.contains("electroniquement") || norm.contains("electronically");
        match event {
            Event::Signed => {
                if let Some(n) = next {
                    if stamps.is_empty() && event_of(&normalize_line(n), false) == Event::None {
                        // "Document e-signed by …" / "Signature Date: …" on the next line.
                        stamps = timestamps(n);
                    } else if stamps.last().is_some_and(|s| s.1.is_none())
                        && let Some(time) = time_at_start(n)
                    {
                        // The time wrapped onto the next line ("Signed: 3/10/2025" / "9:03:02
                        // AM"): read both together, so that an AM/PM clock sets the date order;
                        // else the date keeps the time that opens the next line.
                        let joined = timestamps(&format!("{raw} {}", n.trim_start()));
                        stamps = if joined.last().is_some_and(|s| s.1.is_some()) {
                            joined
                        } else {
                            stamps
                                .into_iter()
                                .map(|(d, _, text)| (d, Some(time), text))
                                .collect()
                        };
                    }
                }
                let electronic_phrase = norm.contains("electroniquement")
                    || norm.contains("electronically")
                    || norm.contains("e-signed");
                if let Some((d, time, text)) = stamps
                    .into_iter()
                    .rfind(|s| s.1.is_some() || electronic_phrase)
                {
                    let s = &mut signers[c];
                    if s.signed_at
                        .as_ref()
                        .is_none_or(|(d0, t0, _, _)| (d, time) > (*d0, *t0))
                    {
                        s.signed_at = Some((d, time, text, page));
                    }
                    s.pending = None;
                    first_page.get_or_insert(page);
                }
            }
            Event::Pending if copies_section => {}
            Event::Pending => {
                let s = &mut signers[c];
                if s.signed_at.is_none() {
                    let word = PENDING
                        .find(&norm)
                        .or_else(|| STATUS_SENT.find(&norm))
                        .map(|m| m.as_str().to_string())
                        .unwrap_or_default();
                    s.pending = Some(word);
                    first_page.get_or_insert(page);
                }
            }
            Event::Recipient => {
                if !copies_section && !NOT_FOR_SIGNATURE.is_match(&norm) {
                    signers[c].recipient = true;
                }
            }
            Event::None => {}
        }
    }
    t.ips = ips.len();
    t.page = first_page;
    flush(&mut signers, &mut all);
    t.signers = all;
    let signed = t.signed();
    let pending = t.signers.iter().filter(|s| s.pending.is_some()).count();
    let tied = t.signers.iter().any(|s| s.email.is_some())
        || t.envelope.is_some()
        || t.ips > 0
        || electronic;
    // Without any signature, "en attente" / "pending" near a name is a trail only when the
    // document has a trail's structure (an envelope id, IP addresses, a trail title): an
    // invoice "en attente de paiement" is not an unsigned document.
    let strong = t.envelope.is_some()
        || t.ips > 0
        || view.lines.iter().take(12).any(|l| {
            TRAIL_TITLES
                .iter()
                .any(|title| super::normalize::contains_phrase(&l.norm, title))
        });
    (tied && (signed > 0 || (pending > 0 && strong))).then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Extracted, Format, Page};

    fn trail_of(text: &str) -> Option<Trail> {
        trail_of_pages(&[text])
    }

    fn trail_of_pages(texts: &[&str]) -> Option<Trail> {
        let ex = Extracted {
            pages: texts
                .iter()
                .enumerate()
                .map(|(i, t)| Page {
                    number: i as u32 + 1,
                    text: t.to_string(),
                    ..Page::default()
                })
                .collect(),
            ..Extracted::default()
        };
        let view = DocView::new("x.pdf", Format::Pdf, &ex);
        trail(&view)
    }

    #[test]
    fn esign_docusign_certificate_signers_and_envelope() {
        let t = trail_of_pages(&[
            "FL Formacoeur Lyon\ncontact@formacoeur-lyon.fr – 04 78 00 00 00\nConvention de formation\n\
             Pour l'organisme de formation\tPour l'établissement\nDocuSigned by:\tDocuSigned by:",
            "Certificate Of Completion\nEnvelope Id\t6F1C2A3B8D4E4F7A9B21C03D5E7F9A12\nStatus\tCompleted\n\
             Envelope Originator\tIsabelle Moreau – contact@formacoeur-lyon.fr\nSigner Events\n\
             Signer\tSignature\tTimestamp\nIsabelle Moreau\nSent: 31/03/2025 | 16:05\n\
             contact@formacoeur-lyon.fr\nViewed: 31/03/2025 | 16:06\nSigned: 31/03/2025 | 16:07\n\
             Authentication (None)\tUsing IP Address: 92.154.18.77\nDr Anne Vasseur\n\
             Sent: 31/03/2025 | 16:07\ndirection@ehpad.fr\nViewed: 03/04/2025 | 10:38\n\
             Signed: 03/04/2025 | 10:42\nEnvelope Summary Events\nStatus\tTimestamps\n\
             Envelope Sent\t31/03/2025 | 16:05\nCertified Delivered\t03/04/2025 | 10:38\n\
             Signing Complete\t03/04/2025 | 10:42\nCompleted\t03/04/2025 | 10:42\n",
        ])
        .expect("a trail");
        assert_eq!(t.signers.len(), 2, "{:?}", t.signers);
        assert_eq!(t.status(), SignatureStatus::Signed);
        assert_eq!(
            t.envelope.as_deref(),
            Some("6F1C2A3B8D4E4F7A9B21C03D5E7F9A12")
        );
        let e = t.evidence();
        assert!(
            e.detail.contains(
                "Isabelle Moreau <contact@formacoeur-lyon.fr> signed on 2025-03-31 16:07"
            ),
            "{}",
            e.detail
        );
        assert!(e.detail.contains("2 of 2 signers"), "{}", e.detail);
    }

    #[test]
    fn esign_pending_signer_makes_the_trail_partial() {
        let t = trail_of(
            "Dossier de preuves\nIdentifiant de la procédure : proc_4f3a9c21b7\n\
             10/03/2025 09:05:40 UTC Invitation envoyée à Marie Durand (m.durand@exemple.fr)\n\
             10/03/2025 09:12:03 UTC Marie Durand (m.durand@exemple.fr) a signé le document – IP 90.12.4.8\n\
             10/03/2025 09:05:41 UTC Invitation envoyée à Paul Lefèvre (p.lefevre@client.fr)\n\
             Paul Lefèvre (p.lefevre@client.fr) – Statut : en attente de signature\n",
        )
        .expect("a trail");
        assert_eq!(t.signers.len(), 2, "{:?}", t.signers);
        assert_eq!(t.status(), SignatureStatus::Partial);
        assert!(t.evidence().detail.contains("NOT signed"));
    }

    #[test]
    fn esign_brand_in_running_text_is_not_a_signature() {
        for text in [
            "Nos conventions sont signées via Yousign ; le dossier de preuves (audit trail) est conservé 10 ans.\nLa signature électronique a la même valeur qu'une signature manuscrite.",
            "Contact : Marie Durand – m.durand@exemple.fr\nFait à Lyon, le 12/03/2025",
            "Signature du stagiaire\nJean Dupont\nLe 12/03/2025",
            "Facture FA-2025-031\nClient : Marie Durand – m.durand@exemple.fr\nStatut : en attente de paiement\nÉmise le 12/03/2025 10:04",
        ] {
            assert!(trail_of(text).is_none(), "{text}");
        }
    }

    #[test]
    fn esign_table_trail_with_wrapped_email() {
        let t = trail_of(
            "Dossier de preuves – Audit trail\nIdentifiant de la procédure proc_8f3e2c1a-44b7\n\
             Créée le\t2025-05-22 09:10:02 UTC par Hélène Masson\nTerminée le\t2025-05-22 14:31:26 UTC\n\
             Document signé\tConvention.pdf (SHA-256 : 9f2c41e0…a7d3)\n\
             Signataire\tE-mail / téléphone\tAuthentification\tConsentement\tSignature\tAdresse IP\n\
             h.masson@ateliernord.fr\t2025-05-22 09:12:40\t2025-05-22 09:12:58\n\
             Hélène Masson\tCode e-mail\t81.250.132.14\n\
             v.lambin@ville-\nVéronique\t2025-05-22 14:31:05\t2025-05-22 14:31:26\nroubaix.fr\tCode SMS\t193.252.1.90\n",
        )
        .expect("a trail");
        assert_eq!(t.signed(), 2, "{:?}", t.signers);
        assert_eq!(t.signers.len(), 2, "{:?}", t.signers);
        assert_eq!(t.signers[0].name.as_deref(), Some("Hélène Masson"));
        assert_eq!(
            t.signers[0].email.as_deref(),
            Some("h.masson@ateliernord.fr")
        );
        assert_eq!(
            t.signers[1].email.as_deref(),
            Some("v.lambin@ville-roubaix.fr")
        );
        assert_eq!(t.signers[1].name, None);
        assert!(t.hash);
    }

    #[test]
    fn esign_docusign_time_wrapped_on_the_next_line_is_read_month_first() {
        let t = trail_of(
            "Certificate Of Completion\nEnvelope Id: 4F3A9C217B8E4D2AA1C35E6F7A8B9C0D\n\
             Signer Events\tSignature\tTimestamp\n\
             Sarah Collins\tSignature Adoption: Pre-selected\tSent: 3/10/2025 9:01:40\n\
             s.collins@brightpath.co.uk\tStyle\tAM\nSigned: 3/10/2025\n9:03:02 AM\n",
        )
        .expect("a trail");
        let (d, time, _, _) = t.signers[0].signed_at.clone().expect("signed");
        assert_eq!(d.to_string(), "2025-03-10");
        assert_eq!(time.map(|t| (t.hour(), t.minute())), Some((9, 3)));
    }

    #[test]
    fn esign_other_services_layouts() {
        // Universign-like signer blocks: labelled name, e-mail, status, signing date.
        let t = trail_of(
            "Preuve de transaction\nIdentifiant de transaction : 7d2f9a0c41e8\n\
             Signataire : Marie Durand\nE-mail : m.durand@batiplus.fr\nStatut : Signé\n\
             Date de signature : 12/03/2025 10:04:33 (UTC+1)\n\
             Signataire : Paul Martin\nE-mail : p.martin@horizon.fr\nStatut : Refusé\n",
        )
        .expect("a trail");
        assert_eq!(t.signed(), 1, "{:?}", t.signers);
        assert_eq!(t.status(), SignatureStatus::Partial);
        assert_eq!(t.signers[1].pending.as_deref(), Some("refuse"));
        // Lex Persona / Oodrive-like sentences.
        let t = trail_of(
            "Journal de preuve – transaction n° LP-2025-88412\n\
             Signature apposée le 12/03/2025 à 10:04:33 par Marie Durand (m.durand@batiplus.fr)\n",
        )
        .expect("a trail");
        assert_eq!(t.status(), SignatureStatus::Signed);
        assert_eq!(t.signers[0].name.as_deref(), Some("Marie Durand"));
        // Dropbox-Sign-like history: time on the line after the event.
        let t = trail_of(
            "Audit trail\nDocument ID 0c8f3b2a9d7e41f6\n\
             SENT\t12/03/2025\tSent for signature to Marie Durand (m.durand@batiplus.fr)\n09:00:12 UTC\tIP: 90.1.2.3\n\
             SIGNED\t12/03/2025\tSigned by Marie Durand (m.durand@batiplus.fr)\n09:12:03 UTC\tIP: 90.1.2.3\n",
        )
        .expect("a trail");
        let (d, time, _, _) = t.signers[0].signed_at.clone().expect("signed");
        assert_eq!(
            (d.to_string(), time.map(|t| t.minute())),
            ("2025-03-12".into(), Some(12))
        );
    }

    #[test]
    fn esign_training_certificate_signed_electronically_is_not_a_standalone_trail() {
        let page1 = "Certificat de réalisation\nJe soussignée Claire Fontaine, représentant l'organisme Forma Sud, atteste que Hugo Bernard a suivi l'action.\n\
             Signé électroniquement par Claire Fontaine le 15/04/2025 à 10:22 (c.fontaine@forma-sud.fr)\n";
        let ex = Extracted {
            pages: vec![Page {
                number: 1,
                text: page1.into(),
                ..Page::default()
            }],
            ..Extracted::default()
        };
        let view = DocView::new("x.pdf", Format::Pdf, &ex);
        assert_eq!(
            trail(&view).map(|t| t.status()),
            Some(SignatureStatus::Signed)
        );
        assert_eq!(standalone(&view), None);
        // The service's own certificate (envelope id, IP addresses) is one.
        let cert = "Certificat de réalisation\nID d'enveloppe : 4F3A9C217B8E4D2AA1C35E6F7A8B9C0D\n\
             Claire Fontaine\nc.fontaine@forma-sud.fr\nEnvoyé : 15/04/2025 | 10:20\n\
             Signé : 15/04/2025 | 10:22\nAdresse IP : 90.1.2.3\n";
        let ex = Extracted {
            pages: vec![Page {
                number: 1,
                text: cert.into(),
                ..Page::default()
            }],
            ..Extracted::default()
        };
        let view = DocView::new("x.pdf", Format::Pdf, &ex);
        assert_eq!(standalone(&view), Some("certificat de realisation"));
    }

    #[test]
    fn esign_copy_recipients_are_not_expected_signers() {
        let t = trail_of(
            "Certificate Of Completion\nEnvelope Id: 4F3A9C217B8E4D2AA1C35E6F7A8B9C0D\n\
             Signer Events\tSignature\tTimestamp\nSarah Collins\ns.collins@brightpath.co.uk\n\
             Sent: 3/10/2025 9:01:40 AM\nSigned: 3/10/2025 9:03:02 AM\n\
             Using IP Address: 81.2.69.142\nCarbon Copy Events\tStatus\tTimestamp\n\
             Tom Baker\nt.baker@brightpath.co.uk\nSent: 3/10/2025 9:03:05 AM\nViewed: 3/10/2025 9:30:00 AM\n\
             Witness Events\tSignature\tTimestamp\n",
        )
        .expect("a trail");
        assert_eq!(t.signers.len(), 1, "{:?}", t.signers);
        assert_eq!(t.status(), SignatureStatus::Signed);
        let t = trail_of(
            "Audit Report\nTransaction ID: CBJCHBCAABAAx7Yq2\n\
             Document emailed to Paul Roux (p.roux@org.fr) for approval\n2025-03-10 - 8:00:10 AM GMT\n\
             Document emailed to Marie Durand (m.durand@client.fr) for signature\n2025-03-10 - 8:00:10 AM GMT\n\
             Document e-signed by Marie Durand (m.durand@client.fr)\nSignature Date: 2025-03-10 - 9:12:31 AM GMT\n",
        )
        .expect("a trail");
        assert_eq!(t.status(), SignatureStatus::Signed, "{:?}", t.signers);
    }

    #[test]
    fn hostile_inputs_do_not_panic() {
        let long = format!(
            "Signed: 12/03/2025 10:00 {}@{}",
            "a".repeat(5000),
            "é".repeat(3000)
        );
        for text in [
            "",
            "@",
            "a@-\n-\n\t\t\t",
            "Signed:\nSigned:\n9:99 PM",
            "Signataire : \u{0}\u{feff}Jean Dupont\nStatut : Signé\n31/02/2025 25:61",
            "v.lambin@ville-\n\n\nroubaix.fr",
            "é@é.é\tSigné\t12/03/2025 10:00:00\tÀ signer",
            long.as_str(),
        ] {
            let _ = trail_of(text).map(|t| t.evidence());
            let _ = trail_of_pages(&[text, text]);
        }
    }

    #[test]
    fn esign_adobe_events_with_timestamps_on_the_next_line() {
        let t = trail_of(
            "Audit Report\nTransaction ID: CBJCHBCAABAAx7Yq2\n\
             Document created by Jean Martin (jean.martin@org.fr)\n2025-03-10 - 8:00:00 AM GMT- IP address: 81.1.2.3\n\
             Document emailed to Marie Durand (m.durand@client.fr) for signature\n2025-03-10 - 8:00:10 AM GMT\n\
             Document e-signed by Marie Durand (m.durand@client.fr)\nSignature Date: 2025-03-10 - 9:12:31 AM GMT - Time Source: server- IP address: 90.1.1.1\n\
             Agreement completed.\n2025-03-10 - 9:12:31 AM GMT\n",
        )
        .expect("a trail");
        assert_eq!(t.signers.len(), 1, "{:?}", t.signers);
        assert_eq!(t.status(), SignatureStatus::Signed);
        let (d, time, _, _) = t.signers[0].signed_at.clone().unwrap();
        assert_eq!(d.to_string(), "2025-03-10");
        assert_eq!(time.map(|t| t.hour()), Some(9));
    }

    /// Regression (class: SMS-code proofs read as empty zones): a French proof file whose event
    /// table wraps "Signature apposée (code SMS validé)" and each signer's e-mail over two lines.
    #[test]
    fn sms_code_proof_with_wrapped_event_rows() {
        let t = trail_of("Fichier de preuve de la signature électronique\nIdentifiant de la procédure :\t1074ee8b-8fdd-57c4-e8aa-7113d9a78d13\nDocument :\tContrat de formation\nStatut :\tTerminée\nJournal des événements\nÉvénement\tSignataire\tHorodatage\n(UTC+1)\nCréation de la procédure\t—\t25/09/2024\n09:12:00\nDocument consulté\tAnne-Sophie Delcourt\t25/09/2024\n09:37:11\nSignature apposée (code SMS\tAnne-Sophie Delcourt –\t25/09/2024\nvalidé)\tbonjour@capsavoirs.fr\t09:40:11\nAdresse IP : 186.206.58.210\nDocument consulté\tJérôme Delattre\t26/09/2024\n14:02:52\nSignature apposée (code SMS\tJérôme Delattre –\t26/09/2024\nvalidé)\tdelattre@boulangeriedelat.com\t14:05:52\nAdresse IP : 209.147.148.230\nSignature électronique avancée conforme au règlement eIDAS.\n").expect("a trail");
        let who: Vec<String> = t.signers.iter().map(Signer::who).collect();
        assert_eq!(t.signed(), 2, "{who:?} {:?}", t.signers);
        assert_eq!(t.status(), SignatureStatus::Signed);
    }
}
