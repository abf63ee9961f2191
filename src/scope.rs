//! Scope filters: which files are read and which sessions are kept, on every command.
//!
//! Owns two things: [`PathFilter`] (`--include` / `--exclude` globs on paths relative to the
//! scanned root, applied by the walk, so a file left out is never opened) and [`DateRange`]
//! (`--since` / `--until` on the sessions' dates, applied right after grouping: a session whose
//! period overlaps the range is kept). It never reads a file and never prints.
//!
//! Globs follow the `globset` syntax (`*`, `?`, `[ab]`, `{a,b}`, `**`), are matched without
//! regard to case, and `*` also crosses `/` (`*.pdf` matches a PDF in any folder). A glob that
//! matches a folder matches everything under it (`--exclude "*/Archives"`). Files inside a zip
//! or an e-mail follow their container (the globs see files on disk only).

use crate::sessions::Session;
use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use jiff::civil::Date;

/// `--include` / `--exclude` globs; the default keeps everything.
#[derive(Clone, Debug, Default)]
pub struct PathFilter {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
    include_src: Vec<String>,
    exclude_src: Vec<String>,
}

fn glob(pattern: &str) -> Result<Glob, String> {
    GlobBuilder::new(pattern.trim_start_matches("./"))
        .case_insensitive(true)
        .build()
        .map_err(|e| format!("invalid glob «{pattern}»: {e}"))
}

fn set(patterns: &[String]) -> Result<Option<GlobSet>, String> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        b.add(glob(p)?);
    }
    b.build().map(Some).map_err(|e| e.to_string())
}

impl PathFilter {
    /// Compiles the globs; an invalid one is a usage error (its message says which).
    pub fn new(include: &[String], exclude: &[String]) -> Result<PathFilter, String> {
        Ok(PathFilter {
            include: set(include)?,
            exclude: set(exclude)?,
            include_src: include.to_vec(),
            exclude_src: exclude.to_vec(),
        })
    }

    /// No glob given.
    pub fn is_empty(&self) -> bool {
        self.include.is_none() && self.exclude.is_none()
    }

    fn excluded_by(&self, rel: &str) -> Option<String> {
        let ex = self.exclude.as_ref()?;
        let hit = ex.matches(rel);
        hit.first().map(|&i| {
            format!(
                "excluded by --exclude {}",
                self.exclude_src.get(i).map(String::as_str).unwrap_or("")
            )
        })
    }

    /// Why a folder (relative path, `/`-separated) is not entered, if it is excluded.
    pub fn skip_folder(&self, rel: &str) -> Option<String> {
        self.excluded_by(rel)
    }

    /// Why a file (relative path, `/`-separated) is not read, if it is filtered out. A file is
    /// read when it, or one of its folders, matches an `--include` glob (or none is given), and
    /// neither it nor one of its folders matches an `--exclude` glob.
    pub fn skip_file(&self, rel: &str) -> Option<String> {
        let ancestors = || {
            std::iter::once(rel).chain(
                rel.char_indices()
                    .filter(|(_, c)| *c == '/')
                    .map(|(i, _)| &rel[..i]),
            )
        };
        if let Some(why) = ancestors().find_map(|p| self.excluded_by(p)) {
            return Some(why);
        }
        match &self.include {
            Some(inc) if !ancestors().any(|p| inc.is_match(p)) => Some(format!(
                "not matched by --include {}",
                self.include_src.join(" ")
            )),
            _ => None,
        }
    }
}

/// `--since` / `--until` on session dates (both inclusive); the default keeps everything.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DateRange {
    pub since: Option<Date>,
    pub until: Option<Date>,
}

/// How a session stands against a [`DateRange`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InRange {
    /// Its period overlaps the range.
    Yes,
    /// Its period is wholly outside.
    No,
    /// Neither the documents nor the folder name date it: kept (it cannot be shown to be out of
    /// the range), and said so.
    Undated,
}

impl DateRange {
    pub fn is_empty(&self) -> bool {
        self.since.is_none() && self.until.is_none()
    }

    /// Whether the session's period overlaps the range. Without dates from the documents, the
    /// month its folder name starts with (`2025-03 …`) stands for the period.
    pub fn check(&self, s: &Session) -> InRange {
        if self.is_empty() {
            return InRange::Yes;
        }
        let Some((start, end)) = period(s) else {
            return InRange::Undated;
        };
        let after_since = self.since.is_none_or(|since| end >= since);
        let before_until = self.until.is_none_or(|until| start <= until);
        if after_since && before_until {
            InRange::Yes
        } else {
            InRange::No
        }
    }
}

/// The session's first and last day: its dates, else the month its folder name starts with.
pub fn period(s: &Session) -> Option<(Date, Date)> {
    let parse = |d: &Option<String>| d.as_deref().and_then(|d| d.parse::<Date>().ok());
    match (parse(&s.start), parse(&s.end)) {
        (Some(a), Some(b)) => Some((a.min(b), a.max(b))),
        (Some(a), None) | (None, Some(a)) => Some((a, a)),
        (None, None) => folder_month(&s.path),
    }
}

/// `…/2025-03 Gestes et postures` → 1–31 March 2025; `2025_06_12 Excel` → that month too.
pub fn folder_month(path: &str) -> Option<(Date, Date)> {
    let name = path.rsplit('/').next()?;
    let b = name.as_bytes();
    if b.len() < 7 || !b[..4].iter().all(u8::is_ascii_digit) || !matches!(b[4], b'-' | b'_' | b'.')
    {
        return None;
    }
    let year: i16 = name.get(..4)?.parse().ok()?;
    let month: i8 = name.get(5..7)?.parse().ok()?;
    let first = Date::new(year, month, 1).ok()?;
    Some((first, first.last_of_month()))
}

/// Keeps the sessions whose period overlaps `range` (and the undated ones), removing the
/// documents of the others. Returns the number of sessions removed.
pub fn retain_sessions(
    sessions: &mut Vec<Session>,
    documents: &mut crate::store::Documents,
    range: &DateRange,
) -> usize {
    if range.is_empty() {
        return 0;
    }
    let before = sessions.len();
    let mut dropped = std::collections::BTreeSet::new();
    sessions.retain(|s| {
        let keep = range.check(s) != InRange::No;
        if !keep {
            dropped.insert(s.id.clone());
        }
        keep
    });
    documents.retain(|h| h.session.as_deref().is_none_or(|id| !dropped.contains(id)));
    before - sessions.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(inc: &[&str], exc: &[&str]) -> PathFilter {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        PathFilter::new(&s(inc), &s(exc)).unwrap()
    }

    #[test]
    fn globs_on_files_and_their_folders() {
        let none = PathFilter::default();
        assert!(none.is_empty());
        assert_eq!(none.skip_file("a/b.pdf"), None);
        let ex = f(&[], &["*/Archives", "*.jpg"]);
        assert!(ex.skip_file("Org/Qualité/Archives/x.pdf").is_some());
        assert!(ex.skip_folder("Org/Qualité/Archives").is_some());
        assert!(
            ex.skip_file("Org/2025/s/IMG_1.JPG").is_some(),
            "case ignored"
        );
        assert_eq!(ex.skip_file("Org/2025/s/conv.pdf"), None);
        let inc = f(&["*/2025/**"], &[]);
        assert_eq!(inc.skip_file("Org/2025/s/conv.pdf"), None);
        assert!(inc.skip_file("Org/2024/s/conv.pdf").is_some());
        let inc = f(&["**/2024"], &["**/*.ods"]);
        assert_eq!(inc.skip_file("Org/2024/s/conv.pdf"), None);
        assert!(inc.skip_file("Org/2024/Planning 2024.ods").is_some());
        assert!(PathFilter::new(&["[".into()], &[]).is_err());
    }

    fn session(path: &str, start: Option<&str>, end: Option<&str>) -> Session {
        Session {
            id: crate::sessions::session_id(path),
            path: path.into(),
            start: start.map(str::to_string),
            end: end.map(str::to_string),
            ..Session::default()
        }
    }

    #[test]
    fn overlap_with_the_range() {
        let r = DateRange {
            since: "2025-03-10".parse().ok(),
            until: "2025-06-30".parse().ok(),
        };
        let s = |a: &str, b: &str| session("x", Some(a), Some(b));
        assert_eq!(r.check(&s("2025-03-01", "2025-03-12")), InRange::Yes);
        assert_eq!(r.check(&s("2025-03-01", "2025-03-09")), InRange::No);
        assert_eq!(r.check(&s("2025-06-30", "2025-07-02")), InRange::Yes);
        assert_eq!(r.check(&s("2025-07-01", "2025-07-02")), InRange::No);
        assert_eq!(r.check(&s("2024-01-01", "2026-01-01")), InRange::Yes);
        assert_eq!(
            r.check(&session("O/2025/2025-04 SST", None, None)),
            InRange::Yes
        );
        assert_eq!(
            r.check(&session("O/2025/2025-02 SST", None, None)),
            InRange::No
        );
        assert_eq!(r.check(&session("O/SST", None, None)), InRange::Undated);
        assert_eq!(
            DateRange::default().check(&session("O/SST", None, None)),
            InRange::Yes
        );
    }
}
