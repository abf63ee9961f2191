//! Mutation harness: damages seed files of one format and reads each damaged input through the
//! whole per-file chain (detect, extract, understand), checking that no panic escapes (a caught
//! panic is an `internal` error: a failure), that every input gets a report entry, that none
//! runs past the hard deadline a worker process would be killed at, and how much memory each
//! one takes. Where `cargo fuzz` cannot run (it needs nightly), this is the fuzzer.
//!
//! ```text
//! cargo run --release --example mutate -- FORMAT N SEED [--out DIR] [--file-timeout S]
//! cargo run --release --example mutate -- all 10000 7        # every format in turn
//! cargo run --release --example mutate -- fixtures/archive 10000 7   # a folder, any format
//! ```
//!
//! FORMAT is one of `pdf docx odt xlsx xls ods csv doc eml zip image dates`. Seeds are the files
//! of that format under `fixtures/` and `tests/data/` (format by content, up to 4 MiB each);
//! `dates` feeds mutated date-bearing text straight to the date parser
//! (`understand::dates::find_dates`, `find_dates_in_order`, `parse_date`, `parse_pdf_date`).
//!
//! Mutations (seeded by SEED, reproducible):
//! - bytes, every format: truncation, 1–16 bit flips, a chunk cut, a chunk repeated, random
//!   bytes written over a chunk;
//! - ZIP members (docx, odt, xlsx, ods, zip): a member deleted, renamed, duplicated under the
//!   same name, its bytes damaged (then re-compressed), its header fields changed (compression
//!   method, sizes, CRC, flags, extra-field length) in the local or central header;
//! - XML parts of the office formats: a closing tag removed, 10,000–200,000 nested elements, a
//!   1–16 MiB attribute, an entity-expansion ("billion laughs") DOCTYPE, invalid UTF-8 bytes, the
//!   part cut short;
//! - text (csv, eml, dates): characters replaced or inserted (digits, separators, month names,
//!   non-ASCII), a line repeated thousands of times, a very long digit run.
//!
//! Each input is written under a temporary folder (never in the fixtures) while it is read;
//! failing inputs (panic, missing entry, past the deadline, over 250 MB resident) are copied to
//! `target/mutate-failures/FORMAT/` (or `--out`) with a `.why.txt` beside them. Peak memory per
//! input is the process's resident high-water mark (`VmHWM`), reset before each input through
//! `/proc/self/clear_refs`. A hang cannot be interrupted in-process: past the deadline the
//! watchdog saves the input, prints the summary so far and exits 1. Exit code 1 on any failure.

use preuves::error::ErrorCode;
use preuves::extract::Limits;
use preuves::model::Format;
use preuves::understand::dates;
use preuves::walk::{WalkOptions, walk};
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The issue's target for every hostile input.
const MAX_RSS_MB: f64 = 250.0;
/// Seed files larger than this are left out (each input is read whole; runs stay short).
const MAX_SEED_BYTES: u64 = 4 << 20;

/// splitmix64: small, seeded, good enough to pick offsets.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

// ---------------------------------------------------------------- byte mutations

fn mutate_bytes(bytes: &[u8], rng: &mut Rng) -> (Vec<u8>, String) {
    let mut b = bytes.to_vec();
    match rng.below(5) {
        0 => {
            let at = rng.below(b.len());
            b.truncate(at);
            (b, format!("truncated at {at}"))
        }
        1 => {
            let n = 1 + rng.below(16);
            for _ in 0..n {
                if !b.is_empty() {
                    let i = rng.below(b.len());
                    b[i] ^= 1 << rng.below(8);
                }
            }
            (b, format!("{n} bit flips"))
        }
        2 => {
            let from = rng.below(b.len());
            let len = rng.below((b.len() - from).min(4096) + 1);
            b.drain(from..from + len);
            (b, format!("{len} bytes cut at {from}"))
        }
        3 => {
            let from = rng.below(b.len());
            let len = rng.below((b.len() - from).min(512) + 1);
            let times = 1 + rng.below(64);
            let chunk = b[from..from + len].to_vec();
            let mut ins = Vec::with_capacity(len * times);
            for _ in 0..times {
                ins.extend_from_slice(&chunk);
            }
            b.splice(from..from, ins);
            (b, format!("{len} bytes at {from} repeated {times}×"))
        }
        _ => {
            let from = rng.below(b.len());
            let len = rng.below((b.len() - from).min(256) + 1);
            for x in &mut b[from..from + len] {
                *x = rng.next() as u8;
            }
            (b, format!("{len} random bytes at {from}"))
        }
    }
}

// ---------------------------------------------------------------- zip members

struct Member {
    name: String,
    data: Vec<u8>,
    deflated: bool,
}

fn read_members(bytes: &[u8]) -> Option<Vec<Member>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut out = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).ok()?;
        let mut data = Vec::new();
        f.read_to_end(&mut data).ok()?;
        out.push(Member {
            name: f.name().ok()?.to_string(),
            deflated: f.compression() != zip::CompressionMethod::Stored,
            data,
        });
    }
    Some(out)
}

/// Writes members; a member named in `dup_of` is written under a placeholder name of the same
/// length, then every occurrence of the placeholder in headers is patched to the real name
/// (zip refuses two members with one name).
fn write_members(members: &[Member]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let mut seen = std::collections::HashSet::new();
    let mut patches: Vec<(String, String)> = Vec::new();
    for m in members {
        let method = if m.deflated {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        };
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(method)
            .large_file(m.data.len() as u64 >= u32::MAX as u64);
        let mut name = m.name.clone();
        if !seen.insert(name.clone()) {
            // Same length, different bytes: '~' repeated.
            let placeholder: String = "~".repeat(name.len().max(1));
            patches.push((placeholder.clone(), name.clone()));
            name = placeholder;
        }
        if w.start_file(name, opts).is_err() || w.write_all(&m.data).is_err() {
            continue;
        }
    }
    let mut bytes = w.finish().map(|c| c.into_inner()).unwrap_or_default();
    for (from, to) in patches {
        if from.len() != to.len() {
            continue;
        }
        let mut at = 0;
        while let Some(i) = find(&bytes[at..], from.as_bytes()) {
            bytes[at + i..at + i + to.len()].copy_from_slice(to.as_bytes());
            at += i + to.len();
        }
    }
    bytes
}

fn find(h: &[u8], n: &[u8]) -> Option<usize> {
    if n.is_empty() || h.len() < n.len() {
        return None;
    }
    h.windows(n.len()).position(|w| w == n)
}

fn all(h: &[u8], n: &[u8]) -> Vec<usize> {
    let mut v = Vec::new();
    let mut at = 0;
    while let Some(i) = find(&h[at..], n) {
        v.push(at + i);
        at += i + 1;
    }
    v
}

fn mutate_zip(bytes: &[u8], members: &[Member], rng: &mut Rng) -> (Vec<u8>, String) {
    if members.is_empty() {
        return mutate_bytes(bytes, rng);
    }
    let i = rng.below(members.len());
    let name = members[i].name.clone();
    let rebuilt = |f: &dyn Fn(&mut Vec<Member>)| {
        let mut ms: Vec<Member> = members
            .iter()
            .map(|m| Member {
                name: m.name.clone(),
                data: m.data.clone(),
                deflated: m.deflated,
            })
            .collect();
        f(&mut ms);
        write_members(&ms)
    };
    match rng.below(5) {
        0 => (
            rebuilt(&|ms| {
                ms.remove(i);
            }),
            format!("member {name} deleted"),
        ),
        1 => {
            let to = match rng.below(4) {
                0 => format!("{name}.old"),
                1 => name.to_uppercase(),
                2 => format!("../{name}"),
                _ => "\u{fffd}é\\x".to_string(),
            };
            let t = to.clone();
            (
                rebuilt(&move |ms| ms[i].name = t.clone()),
                format!("member {name} renamed {to}"),
            )
        }
        2 => (
            rebuilt(&|ms| {
                let copy = Member {
                    name: ms[i].name.clone(),
                    data: ms[i].data.iter().rev().copied().collect(),
                    deflated: ms[i].deflated,
                };
                ms.push(copy);
            }),
            format!("member {name} duplicated (second copy reversed)"),
        ),
        3 => {
            let (data, how) = mutate_bytes(&members[i].data, rng);
            (
                rebuilt(&move |ms| ms[i].data = data.clone()),
                format!("member {name}: {how}"),
            )
        }
        _ => header_edit(bytes, rng),
    }
}

/// Changes one field of one local or central header.
fn header_edit(bytes: &[u8], rng: &mut Rng) -> (Vec<u8>, String) {
    let mut b = bytes.to_vec();
    let local = all(&b, b"PK\x03\x04");
    let central = all(&b, b"PK\x01\x02");
    let use_local = central.is_empty() || (!local.is_empty() && rng.below(2) == 0);
    let (at, offsets): (usize, [(usize, usize, &str); 6]) = if use_local {
        if local.is_empty() {
            return mutate_bytes(bytes, rng);
        }
        (
            *rng.pick(&local),
            [
                (8, 2, "method"),
                (18, 4, "compressed size"),
                (22, 4, "size"),
                (14, 4, "crc"),
                (6, 2, "flags"),
                (28, 2, "extra length"),
            ],
        )
    } else {
        (
            *rng.pick(&central),
            [
                (10, 2, "method"),
                (20, 4, "compressed size"),
                (24, 4, "size"),
                (16, 4, "crc"),
                (8, 2, "flags"),
                (30, 2, "extra length"),
            ],
        )
    };
    let (off, len, what) = *rng.pick(&offsets);
    if at + off + len > b.len() {
        return mutate_bytes(bytes, rng);
    }
    let value: u32 = match (what, rng.below(4)) {
        ("method", _) => *rng.pick(&[0u32, 8, 9, 12, 14, 93, 95, 99, 0xFFFF]),
        ("flags", _) => *rng.pick(&[1u32, 8, 0x41, 0x800, 0xFFFF]),
        (_, 0) => 0,
        (_, 1) => u32::MAX,
        (_, 2) => rng.next() as u32,
        _ => 0xFFFF,
    };
    b[at + off..at + off + len].copy_from_slice(&value.to_le_bytes()[..len]);
    let which = if use_local { "local" } else { "central" };
    (b, format!("{which} header at {at}: {what} = {value}"))
}

// ---------------------------------------------------------------- XML parts

fn is_xml(name: &str) -> bool {
    name.ends_with(".xml") || name.ends_with(".rels")
}

fn mutate_xml(xml: &[u8], rng: &mut Rng) -> (Vec<u8>, String) {
    let mut b = xml.to_vec();
    // After the prolog and the root element's start tag, if they can be found.
    let body = {
        let mut at = 0;
        for _ in 0..2 {
            match find(&b[at..], b">") {
                Some(i) => at += i + 1,
                None => break,
            }
        }
        at.min(b.len())
    };
    match rng.below(6) {
        0 => {
            let closes = all(&b, b"</");
            if closes.is_empty() {
                return mutate_bytes(xml, rng);
            }
            let at = *rng.pick(&closes);
            let end = find(&b[at..], b">").map_or(b.len(), |e| at + e + 1);
            b.drain(at..end);
            (b, format!("closing tag at {at} removed"))
        }
        1 => {
            let depth = 10_000 + rng.below(190_000);
            let mut ins = b"<a>".repeat(depth);
            if rng.below(2) == 0 {
                ins.extend_from_slice(&b"</a>".repeat(depth));
            }
            b.splice(body..body, ins);
            (b, format!("{depth} nested elements at {body}"))
        }
        2 => {
            let size = (1 + rng.below(16)) << 20;
            let opens: Vec<usize> = all(&b, b"<")
                .into_iter()
                .filter(|&i| b.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic()))
                .collect();
            if opens.is_empty() {
                return mutate_bytes(xml, rng);
            }
            let at = *rng.pick(&opens);
            let name_end = b[at + 1..]
                .iter()
                .position(|c| c.is_ascii_whitespace() || *c == b'>' || *c == b'/')
                .map_or(b.len(), |p| at + 1 + p);
            let mut ins = b" huge=\"".to_vec();
            ins.extend(std::iter::repeat_n(b'A', size));
            ins.push(b'"');
            b.splice(name_end..name_end, ins);
            (b, format!("{} MiB attribute at {at}", size >> 20))
        }
        3 => {
            let mut dtd = String::from("<!DOCTYPE lolz [<!ENTITY lol \"lol\">");
            for i in 1..10 {
                let prev = if i == 1 {
                    "lol".to_string()
                } else {
                    format!("lol{}", i - 1)
                };
                dtd.push_str(&format!(
                    "<!ENTITY lol{i} \"{}\">",
                    format!("&{prev};").repeat(10)
                ));
            }
            dtd.push_str("]>");
            let prolog_end = if b.starts_with(b"<?xml") {
                find(&b, b"?>").map_or(0, |i| i + 2)
            } else {
                0
            };
            // The entity used in text, right after the root's start tag.
            let use_at = body.max(prolog_end);
            b.splice(use_at..use_at, b"&lol9;".iter().copied());
            b.splice(prolog_end..prolog_end, dtd.bytes());
            (b, "billion laughs DOCTYPE".into())
        }
        4 => {
            let n = 1 + rng.below(8);
            for _ in 0..n {
                let at = rng.below(b.len() + 1);
                const BAD: [&[u8]; 6] = [
                    b"\xff",
                    b"\xc3\x28",
                    b"\xed\xa0\x80",
                    b"\xf4\x90\x80\x80",
                    b"\xc0\xaf",
                    b"\x00",
                ];
                let bad: &[u8] = BAD[rng.below(BAD.len())];
                b.splice(at..at, bad.iter().copied());
            }
            (b, format!("{n} invalid UTF-8 sequences"))
        }
        _ => {
            let at = rng.below(b.len());
            b.truncate(at);
            (b, format!("part cut at {at}"))
        }
    }
}

fn mutate_office(bytes: &[u8], members: &[Member], rng: &mut Rng) -> (Vec<u8>, String) {
    let xml: Vec<usize> = (0..members.len())
        .filter(|&i| is_xml(&members[i].name))
        .collect();
    if xml.is_empty() || rng.below(2) == 0 {
        return mutate_zip(bytes, members, rng);
    }
    // The main parts more often than the others.
    let main: Vec<usize> = xml
        .iter()
        .copied()
        .filter(|&i| {
            let n = &members[i].name;
            n == "word/document.xml"
                || n == "content.xml"
                || n.starts_with("xl/worksheets/")
                || n == "xl/workbook.xml"
                || n == "xl/sharedStrings.xml"
        })
        .collect();
    let i = if !main.is_empty() && rng.below(3) > 0 {
        *rng.pick(&main)
    } else {
        *rng.pick(&xml)
    };
    let (data, how) = mutate_xml(&members[i].data, rng);
    let ms: Vec<Member> = members
        .iter()
        .enumerate()
        .map(|(j, m)| Member {
            name: m.name.clone(),
            data: if j == i { data.clone() } else { m.data.clone() },
            deflated: m.deflated || j == i,
        })
        .collect();
    (write_members(&ms), format!("{}: {how}", members[i].name))
}

// ---------------------------------------------------------------- text

const PIECES: &[&str] = &[
    "0",
    "1",
    "9",
    "12",
    "31",
    "2025",
    "99999999999999999999",
    "/",
    "-",
    ".",
    ":",
    " ",
    "\n",
    "\t",
    ";",
    ",",
    "janvier",
    "févr.",
    "août",
    "Décembre",
    "1er",
    "lundi",
    "le",
    "du",
    "au",
    "Date :",
    "Signé le",
    "AM",
    "PM",
    "h",
    "T",
    "Z",
    "+01'00'",
    "D:2025",
    "é",
    "\u{00a0}",
    "\u{202f}",
    "\u{fffd}",
    "年",
    "𝟚",
    "٣",
    "\u{0}",
    "\"",
    "''",
];

fn mutate_text(text: &str, rng: &mut Rng) -> (String, String) {
    let chars: Vec<char> = text.chars().collect();
    let at = rng.below(chars.len() + 1);
    let head: String = chars[..at].iter().collect();
    let tail: String = chars[at..].iter().collect();
    match rng.below(6) {
        0 => {
            let n = 1 + rng.below(12);
            let mut s = text.to_string();
            for _ in 0..n {
                let cs: Vec<char> = s.chars().collect();
                let i = rng.below(cs.len() + 1);
                let piece = *rng.pick(PIECES);
                let h: String = cs[..i].iter().collect();
                let t: String = cs[i..].iter().collect();
                s = format!("{h}{piece}{t}");
            }
            (s, format!("{n} pieces inserted"))
        }
        1 => {
            let n = 1 + rng.below(12);
            let mut cs = chars.clone();
            for _ in 0..n {
                if !cs.is_empty() {
                    let i = rng.below(cs.len());
                    cs[i] = rng.pick(PIECES).chars().next().unwrap_or('x');
                }
            }
            (cs.into_iter().collect(), format!("{n} characters replaced"))
        }
        2 => {
            let lines: Vec<&str> = text.lines().collect();
            if lines.is_empty() {
                return (text.to_string(), "unchanged".into());
            }
            let line = *rng.pick(&lines);
            let times = 100 + rng.below(5000);
            let rep = format!("{line}\n").repeat(times);
            (
                format!("{head}{rep}{tail}"),
                format!("a line repeated {times}×"),
            )
        }
        3 => {
            let n = 20 + rng.below(20_000);
            let digits: String = (0..n).map(|i| if i % 3 == 2 { '/' } else { '1' }).collect();
            (
                format!("{head}{digits}{tail}"),
                format!("{n} digits and slashes"),
            )
        }
        4 => (head, format!("cut at {at}")),
        _ => {
            // Dates of every shape, glued together.
            let n = 1 + rng.below(200);
            let mut s = String::new();
            for _ in 0..n {
                s.push_str(&format!(
                    "{}/{}/{}{}",
                    rng.below(40),
                    rng.below(15),
                    rng.below(3000),
                    rng.pick(&[" ", "", "-", "\n", " au ", " 10:15 AM "])
                ));
            }
            (
                format!("{head}{s}{tail}"),
                format!("{n} raw dates inserted"),
            )
        }
    }
}

fn mutate_text_bytes(bytes: &[u8], rng: &mut Rng) -> (Vec<u8>, String) {
    if rng.below(2) == 0 {
        return mutate_bytes(bytes, rng);
    }
    let text = String::from_utf8_lossy(bytes);
    let (t, how) = mutate_text(&text, rng);
    (t.into_bytes(), how)
}

/// Date-bearing texts the date parser is fed, besides the text files of the fixtures.
const DATE_SEEDS: &[&str] = &[
    "Formation du 12/03/2025 au 14/03/2025, Lyon",
    "Fait à Lyon, le 1er avril 2025\nSignature du stagiaire",
    "Date de réponse : 14 mars 2025 10:32",
    "Session : lundi 3, mardi 4 et mercredi 5 février 2025",
    "Convention signée le 2025-01-15 ; édition du 02/01/2024",
    "Completed 3/12/2025 10:15 AM | Sent 3/11/2025 9:02 PM",
    "Du 6 au 8 octobre 2025 (21 heures)",
    "Emargement\tMatin\tAprès-midi\n12/03\t\t\n13/03\t\t\nAnnée 2025",
    "D:20250314103200+01'00'",
    "Version 3 du 05.06.2024 — mise à jour le 1/9/24",
    "Rempli le 31/02/2025 à 25:61",
    "du 28 février au 2 mars 2024 ; 29/02/2023",
];

fn date_input(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let _ = dates::find_dates(&text);
    let _ = dates::find_dates_in_order(&text, dates::DayOrder::MonthFirst("harness"));
    for line in text.lines().take(2000) {
        let _ = dates::parse_date(line);
        let _ = dates::parse_date_in_order(line, dates::DayOrder::MonthFirst("harness"));
        let _ = dates::parse_pdf_date(line);
    }
    // Excel serials from the digits of the text.
    let digits: String = text
        .chars()
        .filter(|c| c.is_ascii_digit())
        .take(18)
        .collect();
    if let Ok(n) = digits.parse::<f64>() {
        for v in [n, -n, n / 7.0, f64::NAN, f64::INFINITY] {
            let _ = dates::excel_serial_to_date(v);
        }
    }
}

// ---------------------------------------------------------------- memory

fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

// ---------------------------------------------------------------- the run

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Bytes,
    Zip,
    Office,
    Text,
    Dates,
}

struct Seed {
    name: String,
    bytes: Vec<u8>,
    members: Vec<Member>,
}

fn format_of(arg: &str) -> Option<(Vec<Format>, Mode)> {
    Some(match arg {
        "pdf" => (vec![Format::Pdf], Mode::Bytes),
        "docx" => (vec![Format::Docx], Mode::Office),
        "odt" => (vec![Format::Odt], Mode::Office),
        "xlsx" => (vec![Format::Xlsx], Mode::Office),
        "ods" => (vec![Format::Ods], Mode::Office),
        "xls" => (vec![Format::Xls], Mode::Bytes),
        "csv" => (vec![Format::Csv], Mode::Text),
        "doc" => (vec![Format::Doc], Mode::Bytes),
        "eml" => (vec![Format::Eml], Mode::Text),
        "zip" => (vec![Format::Zip], Mode::Zip),
        "image" => (vec![Format::Image], Mode::Bytes),
        "dates" => (vec![Format::Other, Format::Csv], Mode::Dates),
        _ => return None,
    })
}

const FORMATS: &[&str] = &[
    "pdf", "docx", "odt", "xlsx", "xls", "ods", "csv", "doc", "eml", "zip", "image", "dates",
];

fn seeds(dirs: &[PathBuf], formats: &[Format], mode: Mode) -> Vec<Seed> {
    let mut out = Vec::new();
    for dir in dirs {
        let Ok(w) = walk(dir, &WalkOptions::default()) else {
            continue;
        };
        for f in w.files {
            if f.size == 0 || f.size > MAX_SEED_BYTES {
                continue;
            }
            let Ok(bytes) = std::fs::read(f.abs_path()) else {
                continue;
            };
            let name = f.rel_path.rsplit('/').next().unwrap_or("f").to_string();
            if mode != Mode::Bytes && formats.is_empty() {
                continue;
            }
            let d = preuves::detect::detect(&bytes, &name);
            if !formats.is_empty() && (d.error.is_some() || !formats.contains(&d.format)) {
                continue;
            }
            if mode == Mode::Dates
                && !(name.ends_with(".txt") || name.ends_with(".csv") || name.ends_with(".md"))
            {
                continue;
            }
            let members = match mode {
                Mode::Zip | Mode::Office => read_members(&bytes).unwrap_or_default(),
                _ => Vec::new(),
            };
            out.push(Seed {
                name,
                bytes,
                members,
            });
        }
    }
    if mode == Mode::Dates {
        for (i, s) in DATE_SEEDS.iter().enumerate() {
            out.push(Seed {
                name: format!("dates-{i}.txt"),
                bytes: s.as_bytes().to_vec(),
                members: Vec::new(),
            });
        }
    }
    out
}

#[derive(Default)]
struct Outcome {
    inputs: usize,
    panics: usize,
    missing: usize,
    hangs: usize,
    over_memory: usize,
    /// Inputs past the cooperative budget (reported `timeout` by the extractor: not a failure).
    past_budget: usize,
    peak_mb: f64,
    peak_what: String,
    slowest: Duration,
    slowest_what: String,
    total: Duration,
    sources: usize,
}

impl Outcome {
    fn failures(&self) -> usize {
        self.panics + self.missing + self.hangs + self.over_memory
    }
    fn row(&self, label: &str, seed: u64) -> String {
        format!(
            "| {label} | {} seeds | {} | {seed} | {} | {} | {} | {:.0} MB | {:.2} s | {:.1} s |",
            self.sources,
            self.inputs,
            self.panics + self.missing,
            self.hangs,
            self.over_memory,
            self.peak_mb,
            self.slowest.as_secs_f64(),
            self.total.as_secs_f64()
        )
    }
}

struct Run<'a> {
    label: String,
    n: usize,
    seed: u64,
    limits: &'a Limits,
    deadline: Duration,
    failures: PathBuf,
    tmp: &'a Path,
}

fn save_failure(dir: &Path, name: &str, bytes: &[u8], why: &str) {
    let _ = std::fs::create_dir_all(dir);
    let _ = std::fs::write(dir.join(name), bytes);
    let _ = std::fs::write(dir.join(format!("{name}.why.txt")), why);
}

fn run(r: &Run, seeds: &[Seed], mode: Mode) -> Outcome {
    let mut o = Outcome {
        sources: seeds.len(),
        ..Outcome::default()
    };
    if seeds.is_empty() {
        eprintln!("{}: no seed file found", r.label);
        return o;
    }
    let mut rng = Rng(r.seed);
    let started = Instant::now();
    // A watchdog: an input past the deadline is a hang; save it, report and stop.
    let current: Arc<Mutex<Option<(Instant, String, PathBuf)>>> = Arc::new(Mutex::new(None));
    let done = Arc::new(AtomicBool::new(false));
    let watchdog = {
        let (current, done) = (Arc::clone(&current), Arc::clone(&done));
        let (deadline, failures, label) = (r.deadline, r.failures.clone(), r.label.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                let cur = current.lock().unwrap().clone();
                if let Some((since, what, path)) = cur
                    && since.elapsed() > deadline
                {
                    let name = path.file_name().unwrap().to_string_lossy().into_owned();
                    let bytes = std::fs::read(&path).unwrap_or_default();
                    let why = format!("HANG past {} s: {what}", deadline.as_secs());
                    save_failure(&failures, &name, &bytes, &why);
                    eprintln!(
                        "{label}: {why} (saved as {})",
                        failures.join(&name).display()
                    );
                    std::process::exit(1);
                }
            }
        })
    };
    for i in 0..r.n {
        let src = &seeds[rng.below(seeds.len())];
        let (damaged, how) = match mode {
            Mode::Bytes => mutate_bytes(&src.bytes, &mut rng),
            Mode::Zip => mutate_zip(&src.bytes, &src.members, &mut rng),
            Mode::Office => mutate_office(&src.bytes, &src.members, &mut rng),
            Mode::Text | Mode::Dates => mutate_text_bytes(&src.bytes, &mut rng),
        };
        let name = format!("{i:06}-{}", src.name);
        let path = r.tmp.join(&name);
        std::fs::write(&path, &damaged).expect("temporary file");
        let what = format!("{} ({how})", src.name);
        reset_peak_rss();
        *current.lock().unwrap() = Some((Instant::now(), what.clone(), path.clone()));
        let t = Instant::now();
        let problem: Option<String> = if mode == Mode::Dates {
            preuves::panic_guard::catch(|| date_input(&damaged))
                .err()
                .map(|m| format!("panic: {m}"))
        } else {
            let mut docs = Vec::new();
            preuves::process::process_bytes(
                &name,
                &damaged,
                Vec::new(),
                0,
                None,
                r.limits,
                &mut docs,
            );
            let internal = docs
                .iter()
                .flat_map(|d| &d.errors)
                .find(|e| e.code == ErrorCode::Internal);
            if let Some(e) = internal {
                Some(format!("internal: {}", e.message))
            } else if !docs.iter().any(|d| d.path == name) {
                o.missing += 1;
                Some("not in the report".into())
            } else {
                if docs
                    .iter()
                    .flat_map(|d| &d.errors)
                    .any(|e| e.code == ErrorCode::Timeout)
                {
                    o.past_budget += 1;
                }
                None
            }
        };
        let took = t.elapsed();
        *current.lock().unwrap() = None;
        let rss = peak_rss_mb();
        o.inputs += 1;
        if rss > o.peak_mb {
            o.peak_mb = rss;
            o.peak_what = what.clone();
        }
        if took > o.slowest {
            o.slowest = took;
            o.slowest_what = what.clone();
        }
        let mut problem = problem;
        if problem
            .as_deref()
            .is_some_and(|p| p.starts_with("internal") || p.starts_with("panic"))
        {
            o.panics += 1;
        }
        if problem.is_none() && rss > MAX_RSS_MB {
            o.over_memory += 1;
            problem = Some(format!("peak resident {rss:.0} MB (over {MAX_RSS_MB} MB)"));
        }
        if let Some(p) = problem {
            eprintln!("{} FAIL {what}: {p}", r.label);
            save_failure(&r.failures, &name, &damaged, &format!("{what}\n{p}\n"));
        }
        let _ = std::fs::remove_file(&path);
    }
    done.store(true, Ordering::Relaxed);
    let _ = watchdog.join();
    o.total = started.elapsed();
    o
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut positional = Vec::new();
    let mut out: Option<PathBuf> = None;
    let mut timeout = 5u64;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--out" => out = it.next().map(PathBuf::from),
            "--file-timeout" => timeout = it.next().and_then(|s| s.parse().ok()).unwrap_or(5),
            _ => positional.push(a.clone()),
        }
    }
    let (Some(what), Some(n)) = (
        positional.first(),
        positional.get(1).and_then(|n| n.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: mutate FORMAT|all|FOLDER N [SEED] [--out DIR] [--file-timeout S]");
        eprintln!("FORMAT: {}", FORMATS.join(" "));
        std::process::exit(2);
    };
    let seed = positional
        .get(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261203u64);
    let limits = Limits {
        ocr: false,
        time_budget: Duration::from_secs(timeout),
        ..Limits::default()
    };
    // The hard deadline a worker process would be killed at (`WorkerOptions::current_exe`).
    let deadline = limits.time_budget * 3 + Duration::from_secs(2);
    let tmp = tempfile::tempdir().expect("temporary folder");
    let base_out = out.unwrap_or_else(|| PathBuf::from("target/mutate-failures"));
    let seed_dirs = vec![PathBuf::from("fixtures"), PathBuf::from("tests/data")];

    let jobs: Vec<(String, Vec<PathBuf>, Vec<Format>, Mode)> = if what == "all" {
        FORMATS
            .iter()
            .map(|f| {
                let (formats, mode) = format_of(f).unwrap();
                (f.to_string(), seed_dirs.clone(), formats, mode)
            })
            .collect()
    } else if let Some((formats, mode)) = format_of(what) {
        vec![(what.clone(), seed_dirs.clone(), formats, mode)]
    } else if Path::new(what).is_dir() {
        vec![(
            what.clone(),
            vec![PathBuf::from(what)],
            Vec::new(),
            Mode::Bytes,
        )]
    } else {
        eprintln!(
            "unknown format or folder: {what} (formats: {})",
            FORMATS.join(" ")
        );
        std::process::exit(2);
    };

    println!(
        "| format | seeds | inputs | seed | panics | hangs (> {} s) | over {MAX_RSS_MB} MB | peak RSS | slowest | wall |",
        deadline.as_secs()
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let mut failed = 0;
    let mut notes = Vec::new();
    for (label, dirs, formats, mode) in jobs {
        let seeds = seeds(&dirs, &formats, mode);
        let safe = label.replace('/', "_");
        let r = Run {
            label: label.clone(),
            n,
            seed,
            limits: &limits,
            deadline,
            failures: base_out.join(&safe),
            tmp: tmp.path(),
        };
        let o = run(&r, &seeds, mode);
        failed += o.failures();
        println!("{}", o.row(&label, seed));
        notes.push(format!(
            "{label}: slowest {} ({:.2} s); peak {:.0} MB on {}; {} past the {} s budget (timeout)",
            o.slowest_what,
            o.slowest.as_secs_f64(),
            o.peak_mb,
            o.peak_what,
            o.past_budget,
            timeout
        ));
    }
    for n in notes {
        println!("{n}");
    }
    if failed > 0 {
        println!(
            "{failed} failures, inputs saved under {}",
            base_out.display()
        );
        std::process::exit(1);
    }
}
