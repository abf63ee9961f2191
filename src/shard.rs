//! Shards: one scan spread over several machines (or several runs of one machine).
//!
//! `preuves scan ROOT --shard K/N --out DIR` reads only the files whose path falls in shard K
//! of N and writes what it read to `DIR/documents.jsonl`; `preuves merge DIR1 DIR2 … --out
//! OUT` puts the N shards together, builds the sessions, runs the rules and writes the reports:
//! the same `report.json` a single `preuves scan ROOT` writes (timings and cache counters
//! aside).
//!
//! A file's shard is decided by its path relative to ROOT (blake3 of the path, modulo N), so
//! every machine draws the same partition without talking to the others, whatever order its
//! walk lists files in; a container's members go with the container.
//!
//! **`documents.jsonl`**: UTF-8, one JSON value per line. Line 1 is the [`Header`] (what was
//! scanned, by which build, with which settings; `"format": "preuves-shard 1"`); every
//! following line is one `Document` exactly as in `report.json`'s `documents` array (paths
//! relative to ROOT, `session` not set yet). The judging settings (rule set, audit date and
//! categories, session options) travel in the header, so the merge judges exactly as the
//! single scan would; every shard must carry the same ones.

use crate::store::Documents;
use crate::walk::Skipped;
use crate::{Collected, Error, Result, ScanOptions};
use serde::{Deserialize, Serialize};
use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};

/// The file a shard run writes into its output folder.
pub const FILE_NAME: &str = "documents.jsonl";

const FORMAT: &str = "preuves-shard 1";

/// Shard `index` (1-based) of `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// Whether the file at `rel_path` (relative to the root) belongs to this shard.
    pub fn holds(&self, rel_path: &str) -> bool {
        shard_of(rel_path, self.count) == self.index
    }
}

/// The shard (1-based) of `count` a path falls in.
pub fn shard_of(rel_path: &str, count: u32) -> u32 {
    let h = blake3::hash(rel_path.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&h.as_bytes()[..8]);
    (u64::from_le_bytes(first) % u64::from(count.max(1))) as u32 + 1
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Shard, String> {
        let (k, n) = s
            .split_once('/')
            .ok_or_else(|| format!("«{s}»: expected K/N, e.g. 2/8"))?;
        let parse = |x: &str| {
            x.trim()
                .parse::<u32>()
                .map_err(|_| format!("«{s}»: K and N must be whole numbers (K/N, e.g. 2/8)"))
        };
        let (index, count) = (parse(k)?, parse(n)?);
        if count == 0 || index == 0 || index > count {
            return Err(format!(
                "«{s}»: K must be between 1 and N (1-based), N at least 1"
            ));
        }
        Ok(Shard { index, count })
    }
}

/// What judging needs besides the documents: every shard carries the same.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Judging {
    pub rules: crate::rules::RuleSet,
    pub rules_reason: Option<(String, String)>,
    pub audit: crate::rules::Audit,
    pub sessions: crate::sessions::SessionOptions,
    /// `--since` / `--until`.
    #[serde(default)]
    pub dates: crate::scope::DateRange,
}

impl Judging {
    pub fn of(options: &ScanOptions) -> Judging {
        Judging {
            rules: options.rules.clone(),
            rules_reason: options.rules_reason.clone(),
            audit: options.audit.clone(),
            sessions: options.sessions.clone(),
            dates: options.dates,
        }
    }

    /// Scan options that judge the same way.
    pub fn options(&self) -> ScanOptions {
        ScanOptions {
            rules: self.rules.clone(),
            rules_reason: self.rules_reason.clone(),
            audit: self.audit.clone(),
            sessions: self.sessions.clone(),
            dates: self.dates,
            ..ScanOptions::default()
        }
    }

    /// Comparable form (the rule set has no equality of its own).
    fn fingerprint(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Line 1 of `documents.jsonl`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Header {
    /// `preuves-shard 1`.
    pub format: String,
    pub version: String,
    /// The build of preuves (`cache::BUILD_ID`): shards of different builds are not merged.
    pub build: String,
    /// The scanned root, as given on the command line.
    pub root: String,
    pub shard: Shard,
    /// Files of this shard read from disk.
    pub files: usize,
    /// Documents on the following lines.
    pub documents: usize,
    pub skipped: Vec<Skipped>,
    pub elapsed_ms: u64,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cache: Option<crate::cache::CacheCounters>,
    pub judging: Judging,
}

/// Writes one shard's results into `dir` (created if needed). Returns the file written.
pub fn write(
    dir: &Path,
    root: &str,
    shard: Shard,
    options: &ScanOptions,
    collected: &Collected,
    elapsed: std::time::Duration,
) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let header = Header {
        format: FORMAT.into(),
        version: env!("CARGO_PKG_VERSION").into(),
        build: crate::cache::BUILD_ID.into(),
        root: root.into(),
        shard,
        files: collected.files,
        documents: collected.documents.len(),
        skipped: collected.skipped.clone(),
        elapsed_ms: elapsed.as_millis() as u64,
        cache: collected.cache.clone(),
        judging: Judging::of(options),
    };
    // Written beside, then renamed: a killed run never leaves a half file under the real name.
    let path = dir.join(FILE_NAME);
    let partial = dir.join(format!("{FILE_NAME}.partial"));
    {
        let mut w = BufWriter::new(std::fs::File::create(&partial)?);
        serde_json::to_writer(&mut w, &header)?;
        w.write_all(b"\n")?;
        for d in &collected.documents {
            serde_json::to_writer(&mut w, &*d)?;
            w.write_all(b"\n")?;
        }
        w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    }
    std::fs::rename(&partial, &path)?;
    Ok(path)
}

/// Reads one shard folder (or a `documents.jsonl` file), its documents into `docs`.
pub fn read(path: &Path, docs: &mut Documents) -> Result<Header> {
    let file = if path.is_dir() {
        path.join(FILE_NAME)
    } else {
        path.to_path_buf()
    };
    let bad = |why: String| Error::usage(format!("{}: {why}", file.display()));
    let f = std::fs::File::open(&file).map_err(|e| bad(format!("cannot open: {e}")))?;
    let mut lines = std::io::BufReader::new(f).lines();
    let first = lines
        .next()
        .ok_or_else(|| bad("empty: not a shard of preuves".into()))?
        .map_err(|e| bad(format!("cannot read: {e}")))?;
    let header: Header = serde_json::from_str(&first)
        .map_err(|e| bad(format!("not a shard of preuves (line 1: {e})")))?;
    if header.format != FORMAT {
        return Err(bad(format!(
            "written in format «{}», this build reads «{FORMAT}»",
            header.format
        )));
    }
    let before = docs.len();
    for (i, line) in lines.enumerate() {
        let line = line.map_err(|e| bad(format!("cannot read: {e}")))?;
        if line.trim().is_empty() {
            continue;
        }
        docs.push(
            serde_json::from_str(&line)
                .map_err(|e| bad(format!("line {}: not a document: {e}", i + 2)))?,
        );
    }
    if docs.len() - before != header.documents {
        return Err(bad(format!(
            "{} documents where the header says {} (a truncated file?)",
            docs.len() - before,
            header.documents
        )));
    }
    Ok(header)
}

/// Reads the shard folders and checks they are the N shards of one scan, made by this build
/// with the same settings. Returns the root, the judging settings and everything read (the
/// documents in a temporary file with `spill`, as a scan's, see [`crate::store`]).
pub fn merge(paths: &[PathBuf], spill: bool) -> Result<(String, Judging, Collected, u64)> {
    let mut documents = if spill {
        Documents::spilled()
    } else {
        Documents::default()
    };
    let mut shards: Vec<(PathBuf, Header)> = Vec::new();
    for p in paths {
        let h = read(p, &mut documents)?;
        shards.push((p.clone(), h));
    }
    let Some((first_path, first)) = shards.first() else {
        return Err(Error::usage("merge: no shard folder given"));
    };
    let (first_path, first) = (first_path.clone(), first.clone());
    let n = first.shard.count;
    for (p, h) in &shards {
        let differs = |what: &str, a: &str, b: &str| {
            Error::usage(format!(
                "{} and {} are not shards of one scan: {what} differs ({a} / {b})",
                first_path.display(),
                p.display()
            ))
        };
        if h.build != crate::cache::BUILD_ID {
            return Err(Error::usage(format!(
                "{}: made by another build of preuves ({} {}; this is {} {}): run every shard \
                 and the merge with the same build",
                p.display(),
                h.version,
                h.build,
                env!("CARGO_PKG_VERSION"),
                crate::cache::BUILD_ID
            )));
        }
        if h.root != first.root {
            return Err(differs("the scanned folder", &first.root, &h.root));
        }
        if h.shard.count != n {
            return Err(differs(
                "the number of shards",
                &n.to_string(),
                &h.shard.count.to_string(),
            ));
        }
        if h.judging.fingerprint() != first.judging.fingerprint() {
            return Err(differs(
                "the rule set, audit date, categories or session options",
                "shard 1",
                "this shard",
            ));
        }
    }
    let mut seen = vec![0u32; n as usize];
    for (_, h) in &shards {
        seen[h.shard.index as usize - 1] += 1;
    }
    let missing: Vec<String> = (1..=n)
        .filter(|k| seen[*k as usize - 1] == 0)
        .map(|k| format!("{k}/{n}"))
        .collect();
    if !missing.is_empty() {
        return Err(Error::usage(format!(
            "merge: shard(s) {} missing",
            missing.join(", ")
        )));
    }
    if let Some(k) = (1..=n).find(|k| seen[*k as usize - 1] > 1) {
        return Err(Error::usage(format!(
            "merge: shard {k}/{n} given more than once"
        )));
    }
    documents.sort();
    let mut collected = Collected {
        documents,
        ..Collected::default()
    };
    let mut elapsed = 0u64;
    let mut cache: Option<crate::cache::CacheCounters> = None;
    for (_, h) in shards {
        collected.skipped.extend(h.skipped);
        collected.files += h.files;
        elapsed = elapsed.max(h.elapsed_ms);
        if let Some(c) = h.cache {
            let total = cache.get_or_insert_with(|| crate::cache::CacheCounters {
                path: c.path.clone(),
                ..Default::default()
            });
            total.files_from_cache += c.files_from_cache;
            total.documents_from_cache += c.documents_from_cache;
            total.files_read += c.files_read;
            total.files_stored += c.files_stored;
            if total.note.is_none() {
                total.note = c.note;
            }
        }
    }
    collected.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    collected.cache = cache;
    Ok((first.root, first.judging, collected, elapsed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_arguments_are_one_based_k_of_n() {
        assert_eq!(
            "2/8".parse::<Shard>().unwrap(),
            Shard { index: 2, count: 8 }
        );
        for bad in ["0/3", "4/3", "1/0", "3", "a/b", "-1/2"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn every_path_falls_in_exactly_one_shard() {
        for i in 0..200 {
            let p = format!("2025/session {i}/Convention.pdf");
            let held: Vec<u32> = (1..=3)
                .filter(|k| {
                    Shard {
                        index: *k,
                        count: 3,
                    }
                    .holds(&p)
                })
                .collect();
            assert_eq!(held.len(), 1, "{p}");
        }
        // Spread: no shard empty over 200 paths.
        for k in 1..=3 {
            assert!((0..200).any(|i| shard_of(&format!("f{i}"), 3) == k));
        }
    }
}
