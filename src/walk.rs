//! Walk: the scanned folder → the sorted list of files to read.
//!
//! Recursive, sorted by name, never follows symbolic links unless asked (and then loops are
//! detected by walkdir), never writes anything. System and lock files (`~$x.docx`,
//! `.~lock.x#`, `.DS_Store`, `Thumbs.db`, `desktop.ini`) are not read but are listed as skipped,
//! with their reason, so nothing disappears silently. Names that are not UTF-8 or very long are
//! kept (with a warning), never dropped.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// A file to read.
#[derive(Clone, Debug)]
pub struct FoundFile {
    /// Relative to the root, `/`-separated (lossy for non-UTF-8 names).
    pub rel_path: String,
    /// Where to open it: the root joined with `rel_path`, or the exact path when that is not
    /// the same (a name that is not UTF-8). Not a copy of every path: a year's archive lists
    /// tens of thousands of files while they are read.
    location: Location,
    pub size: u64,
    /// Unix seconds of the last modification, when known (for the future incremental cache).
    pub modified: Option<i64>,
    pub warnings: Vec<String>,
}

#[derive(Clone, Debug)]
enum Location {
    Under(std::sync::Arc<Path>),
    Exact(Box<Path>),
}

impl FoundFile {
    /// A file to open at `abs_path` (a worker's job, tests).
    pub fn at(
        rel_path: String,
        abs_path: PathBuf,
        size: u64,
        modified: Option<i64>,
        warnings: Vec<String>,
    ) -> FoundFile {
        FoundFile {
            rel_path,
            location: Location::Exact(abs_path.into_boxed_path()),
            size,
            modified,
            warnings,
        }
    }

    /// The path to open.
    pub fn abs_path(&self) -> PathBuf {
        match &self.location {
            Location::Under(root) => root.join(&self.rel_path),
            Location::Exact(p) => p.to_path_buf(),
        }
    }
}

/// An entry found and deliberately not read.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

/// The walk's result.
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<FoundFile>,
    pub skipped: Vec<Skipped>,
    /// Entries that could not be listed at all (permission denied on a folder...).
    pub unreadable: Vec<(String, Error)>,
}

#[derive(Clone, Debug, Default)]
pub struct WalkOptions {
    pub follow_symlinks: bool,
    /// Folders never entered (absolute paths), e.g. an output folder.
    pub exclude: Vec<PathBuf>,
    /// When not empty, only these entries of the root are walked (paths as `root.join(name)`),
    /// e.g. one client's zip file in a consultant's folder of clients.
    pub only: Vec<PathBuf>,
    /// `--include` / `--exclude` globs: files filtered out are listed as skipped, never read.
    pub filter: crate::scope::PathFilter,
}

/// Why a file name is a system or lock file, if it is one.
pub fn system_file_reason(name: &str) -> Option<&'static str> {
    let lower = name.to_lowercase();
    if name.starts_with("~$") {
        Some("Office lock/owner file")
    } else if name.starts_with(".~lock.") {
        Some("LibreOffice lock file")
    } else if lower == ".ds_store" || name.starts_with("._") {
        Some("macOS metadata file")
    } else if lower == "thumbs.db" || lower == "ehthumbs.db" {
        Some("Windows thumbnail cache")
    } else if lower == "desktop.ini" {
        Some("Windows folder settings")
    } else if lower.ends_with(".tmp") && name.starts_with('~') {
        Some("temporary file")
    } else {
        None
    }
}

const LONG_PATH: usize = 240;

/// Lists the files under `root`.
pub fn walk(root: &Path, options: &WalkOptions) -> Result<Walk> {
    let meta = std::fs::metadata(root)
        .map_err(|e| Error::usage(format!("cannot read {}: {e}", root.display())))?;
    if !meta.is_dir() {
        return Err(Error::usage(format!("{} is not a folder", root.display())));
    }
    let mut out = Walk::default();
    let shared_root: std::sync::Arc<Path> = root.into();
    let walker = walkdir::WalkDir::new(root)
        .follow_links(options.follow_symlinks)
        .sort_by(|a, b| a.file_name().cmp(b.file_name()));
    let mut it = walker.into_iter();
    while let Some(entry) = it.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| rel(root, p).0)
                    .unwrap_or_else(|| "?".to_string());
                let msg = if e.loop_ancestor().is_some() {
                    "symbolic link loop (not followed again)".to_string()
                } else {
                    e.to_string()
                };
                out.unreadable.push((path, Error::unreadable(msg)));
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let path = entry.path();
        if entry.depth() == 1 && !options.only.is_empty() && !options.only.iter().any(|x| x == path)
        {
            if entry.file_type().is_dir() {
                it.skip_current_dir();
            }
            continue;
        }
        if entry.file_type().is_dir() {
            if options.exclude.iter().any(|x| x == path) {
                it.skip_current_dir();
            } else if !options.filter.is_empty() {
                let folder = rel(root, path).0;
                if let Some(reason) = options.filter.skip_folder(&folder) {
                    out.skipped.push(Skipped {
                        path: format!("{folder}/"),
                        reason,
                    });
                    it.skip_current_dir();
                }
            }
            continue;
        }
        let (rel_path, lossy) = rel(root, path);
        if let Some(reason) = options.filter.skip_file(&rel_path) {
            out.skipped.push(Skipped {
                path: rel_path,
                reason,
            });
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if entry.path_is_symlink() && !options.follow_symlinks {
            out.skipped.push(Skipped {
                path: rel_path,
                reason: "symbolic link (not followed; use --follow-symlinks)".into(),
            });
            continue;
        }
        if !entry.file_type().is_file() && !entry.path_is_symlink() {
            out.skipped.push(Skipped {
                path: rel_path,
                reason: "not a regular file (socket, device or pipe)".into(),
            });
            continue;
        }
        if let Some(reason) = system_file_reason(&name) {
            out.skipped.push(Skipped {
                path: rel_path,
                reason: reason.into(),
            });
            continue;
        }
        let mut warnings = Vec::new();
        if lossy {
            warnings.push(
                "the file name is not valid UTF-8: shown with replacement characters".to_string(),
            );
        }
        if rel_path.chars().count() > LONG_PATH {
            warnings.push(format!(
                "very long path ({} characters): Windows tools may fail to open it",
                rel_path.chars().count()
            ));
        }
        let (size, modified) = match entry.metadata() {
            Ok(m) => (
                m.len(),
                m.modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map(|d| d.as_secs() as i64),
            ),
            Err(_) => (0, None),
        };
        // The root and the relative path give the file back, except for names that are not
        // UTF-8 (their relative path is lossy): those keep their exact path.
        let location = if !lossy && shared_root.join(&rel_path) == path {
            Location::Under(shared_root.clone())
        } else {
            Location::Exact(path.into())
        };
        out.files.push(FoundFile {
            rel_path,
            location,
            size,
            modified,
            warnings,
        });
    }
    Ok(out)
}

/// The path relative to root with `/` separators, and whether it had to be decoded lossily.
fn rel(root: &Path, path: &Path) -> (String, bool) {
    let r = path.strip_prefix(root).unwrap_or(path);
    let mut lossy = false;
    let parts: Vec<String> = r
        .components()
        .map(|c| {
            let s = c.as_os_str();
            match s.to_str() {
                Some(s) => s.to_string(),
                None => {
                    lossy = true;
                    s.to_string_lossy().into_owned()
                }
            }
        })
        .collect();
    (parts.join("/"), lossy)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn sorted_skips_system_files_and_keeps_them_listed() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        fs::create_dir_all(r.join("b/sub")).unwrap();
        fs::write(r.join("b/sub/z.pdf"), b"x").unwrap();
        fs::write(r.join("a.docx"), b"x").unwrap();
        fs::write(r.join("~$a.docx"), b"x").unwrap();
        fs::write(r.join(".~lock.a.docx#"), b"x").unwrap();
        fs::write(r.join("Thumbs.db"), b"x").unwrap();
        fs::write(r.join("b/.DS_Store"), b"x").unwrap();
        fs::write(r.join("b/desktop.ini"), b"x").unwrap();
        let w = walk(r, &WalkOptions::default()).unwrap();
        let names: Vec<_> = w.files.iter().map(|f| f.rel_path.as_str()).collect();
        assert_eq!(names, ["a.docx", "b/sub/z.pdf"]);
        assert_eq!(w.skipped.len(), 5);
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loop_is_safe_and_not_followed_by_default() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        fs::create_dir_all(r.join("d")).unwrap();
        fs::write(r.join("d/f.txt"), b"x").unwrap();
        std::os::unix::fs::symlink(r, r.join("d/loop")).unwrap();
        let w = walk(r, &WalkOptions::default()).unwrap();
        assert_eq!(w.files.len(), 1);
        assert_eq!(w.skipped[0].path, "d/loop");
        let w = walk(
            r,
            &WalkOptions {
                follow_symlinks: true,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(w.files.len(), 1, "a loop must not be walked twice");
        assert_eq!(w.unreadable.len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_name_is_kept_with_a_warning() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let name = std::ffi::OsStr::from_bytes(b"\xE9margement.pdf");
        fs::write(dir.path().join(name), b"x").unwrap();
        let w = walk(dir.path(), &WalkOptions::default()).unwrap();
        assert_eq!(w.files.len(), 1);
        assert!(w.files[0].rel_path.ends_with("margement.pdf"));
        assert!(w.files[0].warnings[0].contains("UTF-8"));
    }

    #[test]
    fn root_must_be_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("f"), b"x").unwrap();
        assert!(
            walk(&dir.path().join("f"), &WalkOptions::default())
                .unwrap_err()
                .is_usage()
        );
        assert!(
            walk(&dir.path().join("missing"), &WalkOptions::default())
                .unwrap_err()
                .is_usage()
        );
    }
}
