//! The results cache: what was read and understood from each file (its `Document` entries,
//! container members included), kept between runs so that a re-scan of an unchanged archive
//! reads nothing twice (the monthly review re-runs the same year of archives).
//!
//! **Key.** An entry is found by
//! - the file's content (blake3 of its bytes: a copy or a move of a file is still a hit),
//! - its *context*, the file name and the folders that understanding reads
//!   ([`crate::understand::view::path_context`]: a kind can depend on them),
//! - the *settings* that produced it: the version and the build id of preuves (a digest of its
//!   sources, vocabularies, rule sets and locked dependencies made by `build.rs`, so a new build
//!   never serves an older build's results), the read limits, whether OCR ran and with which
//!   engine and languages.
//!
//! Sessions, rules and reports are never cached: they depend on the whole tree and are cheap.
//! Results that depend on the machine's load (a file or an OCR page that ran out of time, an
//! internal error) are not stored, so a busy run does not leave degraded results behind.
//!
//! **Store.** One SQLite file (`rusqlite`, SQLite compiled in), `preuves-cache.sqlite3` in the
//! cache folder, in WAL mode: several scans may share it at once (readers never block, writers
//! wait their turn for up to a minute), and a scan killed mid-way never leaves a torn entry
//! (each entry is one transaction). Each value also carries its own blake3 checksum, checked
//! on every read. A file that is not a preuves cache, or that SQLite finds damaged, is set
//! aside (`*.damaged`) and rebuilt, and the report says so ([`Cache::note`]). Entries made by
//! other builds or settings and not used for 30 days are dropped at the end of a scan.
//!
//! The cache never touches the scanned folder: it lives in the user's cache folder
//! (`~/.cache/preuves` on Linux, per the platform's convention) or where `--cache DIR` says.

use crate::document::Document;
use crate::error::ErrorCode;
use crate::extract::Limits;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// The build of preuves (a digest of its sources and dependencies, from `build.rs`).
pub const BUILD_ID: &str = env!("PREUVES_BUILD_ID");

/// The cache file's name inside the cache folder.
pub const FILE_NAME: &str = "preuves-cache.sqlite3";

/// The layout of the cache file; another value means a file this build must not read.
const SCHEMA: &str = "preuves-cache 1";

/// Entries of other settings unused this long are dropped.
const PRUNE_AFTER_SECS: i64 = 30 * 24 * 3600;

/// The default cache folder: the platform's user cache folder + `preuves`.
pub fn default_dir() -> Option<PathBuf> {
    dirs::cache_dir().map(|d| d.join("preuves"))
}

/// What a scan did with the cache (in `summary.cache`; not part of the comparison of two runs).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CacheCounters {
    /// The cache file used.
    pub path: String,
    /// Files found in the cache (not read again).
    pub files_from_cache: usize,
    /// Documents those files gave (container members included).
    pub documents_from_cache: usize,
    /// Files read and understood in this run.
    pub files_read: usize,
    /// Of those, the ones stored for the next run.
    pub files_stored: usize,
    /// What went wrong with the cache file, if anything (set aside and rebuilt, not writable...).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub note: Option<String>,
}

/// An open cache, shared by the scan's worker threads.
pub struct Cache {
    conn: Mutex<Connection>,
    path: PathBuf,
    settings: String,
    note: Mutex<Option<String>>,
    hits: AtomicUsize,
    hit_docs: AtomicUsize,
    misses: AtomicUsize,
    stored: AtomicUsize,
}

/// The settings an entry was made with: everything besides the file's bytes and context that
/// changes what is read from it.
pub fn settings(limits: &Limits) -> String {
    let ocr = if !limits.ocr {
        "off".to_string()
    } else {
        match crate::ocr::engine::engine() {
            Ok(e) => format!("{} {}", e.version, e.langs),
            Err(why) => format!("unavailable ({why})"),
        }
    };
    let text = format!(
        "preuves {} build {BUILD_ID}; limits file {} part {} depth {} expanded {} members {}; ocr {ocr}",
        env!("CARGO_PKG_VERSION"),
        limits.max_file_bytes,
        limits.max_part_bytes,
        limits.max_depth,
        limits.max_expanded_bytes,
        limits.max_members,
    );
    blake3::hash(text.as_bytes()).to_hex()[..32].to_string()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Opens the file and checks that it is a sound preuves cache.
fn open_checked(path: &Path) -> Result<Connection, String> {
    let conn = Connection::open(path).map_err(|e| e.to_string())?;
    conn.busy_timeout(Duration::from_secs(60))
        .map_err(|e| e.to_string())?;
    // WAL: concurrent readers and one writer, atomic commits that survive a kill.
    let mode: String = conn
        .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(format!("journal mode {mode} instead of wal"));
    }
    conn.execute_batch(
        "PRAGMA synchronous=NORMAL;
         CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
         INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', 'preuves-cache 1');
         CREATE TABLE IF NOT EXISTS entries (
             content TEXT NOT NULL,
             context TEXT NOT NULL,
             settings TEXT NOT NULL,
             path TEXT NOT NULL,
             value BLOB NOT NULL,
             checksum TEXT NOT NULL,
             used INTEGER NOT NULL,
             PRIMARY KEY (content, context, settings)
         );",
    )
    .map_err(|e| e.to_string())?;
    let schema: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'schema'", [], |r| {
            r.get(0)
        })
        .optional()
        .map_err(|e| e.to_string())?;
    if schema.as_deref() != Some(SCHEMA) {
        return Err(format!(
            "written by another program or layout ({})",
            schema.unwrap_or_else(|| "no layout".into())
        ));
    }
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    if check != "ok" {
        return Err(format!("SQLite finds it damaged: {check}"));
    }
    Ok(conn)
}

impl Cache {
    /// Opens (or creates) the cache in `dir`. A damaged or foreign cache file is set aside and
    /// rebuilt; only a folder that cannot be written at all is an error.
    pub fn open(dir: &Path, limits: &Limits) -> Result<Cache, String> {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create the cache folder {}: {e}", dir.display()))?;
        let path = dir.join(FILE_NAME);
        let mut note = None;
        let conn = match open_checked(&path) {
            Ok(c) => c,
            Err(why) => {
                let aside = dir.join(format!("{FILE_NAME}.damaged"));
                let _ = std::fs::rename(&path, &aside);
                for ext in ["-wal", "-shm"] {
                    let _ = std::fs::remove_file(dir.join(format!("{FILE_NAME}{ext}")));
                }
                note = Some(format!(
                    "the cache file {} was not usable ({why}): set aside as {} and rebuilt",
                    path.display(),
                    aside.display()
                ));
                open_checked(&path)
                    .map_err(|e| format!("cannot create the cache file {}: {e}", path.display()))?
            }
        };
        Ok(Cache {
            conn: Mutex::new(conn),
            path,
            settings: settings(limits),
            note: Mutex::new(note),
            hits: AtomicUsize::new(0),
            hit_docs: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
            stored: AtomicUsize::new(0),
        })
    }

    fn set_note(&self, note: String) {
        if let Ok(mut n) = self.note.lock()
            && n.is_none()
        {
            *n = Some(note);
        }
    }

    /// The documents of a file with these bytes (`content` = blake3 hex) found at `rel_path`,
    /// their paths moved from where they were stored to `rel_path`.
    pub fn get(&self, content: &str, rel_path: &str) -> Option<Vec<Document>> {
        let context = crate::understand::view::path_context(rel_path);
        let row: Option<(String, Vec<u8>, String)> = {
            let conn = self.conn.lock().ok()?;
            conn.query_row(
                "SELECT path, value, checksum FROM entries
                 WHERE content = ?1 AND context = ?2 AND settings = ?3",
                params![content, context, self.settings],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .unwrap_or_else(|e| {
                self.set_note(format!("a cache read failed: {e}"));
                None
            })
        };
        let decoded = row.and_then(|(stored_path, value, checksum)| {
            if blake3::hash(&value).to_hex().as_str() != checksum {
                self.set_note("a cache entry failed its checksum: read the file again".into());
                return None;
            }
            let mut docs: Vec<Document> = serde_json::from_slice(&value).ok()?;
            for d in &mut docs {
                d.path = rebase(&d.path, &stored_path, rel_path)?;
                if let Some(c) = &d.container {
                    d.container = Some(rebase(c, &stored_path, rel_path)?);
                }
            }
            Some(docs)
        });
        match &decoded {
            Some(docs) => {
                self.hits.fetch_add(1, Ordering::Relaxed);
                self.hit_docs.fetch_add(docs.len(), Ordering::Relaxed);
            }
            None => {
                self.misses.fetch_add(1, Ordering::Relaxed);
            }
        }
        decoded
    }

    /// Stores what was read from a file at `rel_path` (documents without the walk's warnings),
    /// unless it depends on this run's load.
    pub fn put(&self, content: &str, rel_path: &str, docs: &[Document]) {
        if docs.iter().any(depends_on_load) {
            return;
        }
        let Ok(value) = serde_json::to_vec(docs) else {
            return;
        };
        let checksum = blake3::hash(&value).to_hex().to_string();
        let context = crate::understand::view::path_context(rel_path);
        let Ok(conn) = self.conn.lock() else {
            return;
        };
        match conn.execute(
            "INSERT OR REPLACE INTO entries (content, context, settings, path, value, checksum, used)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                content,
                context,
                self.settings,
                rel_path,
                value,
                checksum,
                now()
            ],
        ) {
            Ok(_) => {
                self.stored.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => {
                drop(conn);
                self.set_note(format!("a cache write failed: {e}"));
            }
        }
    }

    /// Marks this run's settings as used and drops entries of other settings unused for 30
    /// days. Returns the counters for the report.
    pub fn finish(&self) -> CacheCounters {
        if let Ok(conn) = self.conn.lock() {
            let t = now();
            let _ = conn.execute(
                "UPDATE entries SET used = ?1 WHERE settings = ?2",
                params![t, self.settings],
            );
            let _ = conn.execute(
                "DELETE FROM entries WHERE settings != ?1 AND used < ?2",
                params![self.settings, t - PRUNE_AFTER_SECS],
            );
        }
        CacheCounters {
            path: self.path.display().to_string(),
            files_from_cache: self.hits.load(Ordering::Relaxed),
            documents_from_cache: self.hit_docs.load(Ordering::Relaxed),
            files_read: self.misses.load(Ordering::Relaxed),
            files_stored: self.stored.load(Ordering::Relaxed),
            note: self.note.lock().ok().and_then(|n| n.clone()),
        }
    }
}

/// `stored/x.zip/member.pdf` stored under `stored/x.zip` and found at `now/x.zip` →
/// `now/x.zip/member.pdf`.
fn rebase(path: &str, stored: &str, now: &str) -> Option<String> {
    if path == stored {
        Some(now.to_string())
    } else {
        path.strip_prefix(stored)
            .filter(|rest| rest.starts_with('/'))
            .map(|rest| format!("{now}{rest}"))
    }
}

/// Results that another run could get better: out of time, a crash, an I/O error, OCR pages
/// not read for a reason other than OCR being off or missing (both part of the settings).
fn depends_on_load(d: &Document) -> bool {
    d.errors.iter().any(|e| {
        matches!(
            e.code,
            ErrorCode::Timeout | ErrorCode::Internal | ErrorCode::Unreadable
        )
    }) || d.warnings.iter().any(|w| {
        w.contains(" not read: ") && !w.contains("OCR disabled") && !w.contains("OCR unavailable")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rebase_moves_a_file_and_its_members() {
        assert_eq!(rebase("a/x.zip", "a/x.zip", "b/x.zip").unwrap(), "b/x.zip");
        assert_eq!(
            rebase("a/x.zip/m/p.pdf", "a/x.zip", "b/x.zip").unwrap(),
            "b/x.zip/m/p.pdf"
        );
        assert!(rebase("a/x.zipper", "a/x.zip", "b/x.zip").is_none());
    }

    #[test]
    fn settings_change_with_the_limits_and_ocr() {
        let l = Limits::default();
        let no_ocr = Limits {
            ocr: false,
            ..Limits::default()
        };
        let small = Limits {
            max_file_bytes: 1024,
            ..Limits::default()
        };
        assert_eq!(settings(&l), settings(&l.clone()));
        assert_ne!(settings(&l), settings(&no_ocr));
        assert_ne!(settings(&l), settings(&small));
    }
}
