//! The documents of a scan: in memory, or spilled to a temporary file with only a small head
//! per document kept in memory.
//!
//! A year of archives is tens of thousands of documents of about 3 KB each; the command line
//! keeps them in a temporary file (JSON lines, written as they arrive from the readers and the
//! cache) so that its memory does not grow with the archive. Every stage after reading goes
//! through [`Documents`]: grouping reads the heads (path, container, kind, format), each
//! session's documents are loaded in turn to be described and judged, and the reports are
//! written from the store one document at a time. The library's [`crate::scan`] keeps them in
//! memory (`Documents::from_vec`), and a report read back from JSON is in memory too.
//!
//! The temporary file is created unlinked (`tempfile::tempfile`, in the system's temporary
//! folder, never in the scanned folder) and disappears with the process, even when killed.

use crate::document::{Document, Kind};
use crate::model::Format;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::sync::{Arc, Mutex};

/// What grouping, filtering and the indicator grid need of a document, always in memory.
#[derive(Clone, Debug, PartialEq)]
pub struct Head {
    /// Shared with what lists the document by path (the indicator grid's proofs).
    pub path: Arc<str>,
    pub kind: Kind,
    pub format: Format,
    pub container: Option<Box<str>>,
    /// Shared by the documents of one session.
    pub session: Option<Arc<str>>,
    /// The document holds at least one error (it is no proof of anything).
    pub has_errors: bool,
    /// Where the document is: an index into the memory body, or an offset in the spill file.
    slot: u64,
    /// Its length in the spill file.
    len: u32,
}

impl Head {
    fn of(d: &Document, slot: u64, len: u32) -> Head {
        Head {
            path: d.path.as_str().into(),
            kind: d.kind,
            format: d.format,
            container: d.container.as_deref().map(Box::from),
            session: d.session.as_deref().map(Arc::from),
            has_errors: !d.errors.is_empty(),
            slot,
            len,
        }
    }
}

enum Body {
    Memory(Vec<Document>),
    Spilled(Arc<Spill>),
}

/// The spill file: appended to while documents arrive, read at offsets afterwards.
struct Spill {
    file: File,
    /// The writer (gone once a write failed) and the file's length: shared by the store's
    /// clones, so that every line gets its own offset whichever clone appends it.
    writer: Mutex<(Option<BufWriter<File>>, u64)>,
}

/// The documents of a scan, in path order once [`Documents::sort`] has run.
pub struct Documents {
    heads: Vec<Head>,
    body: Body,
}

impl Default for Documents {
    fn default() -> Documents {
        Documents::from_vec(Vec::new())
    }
}

impl Documents {
    /// Documents held in memory.
    pub fn from_vec(docs: Vec<Document>) -> Documents {
        let heads = docs
            .iter()
            .enumerate()
            .map(|(i, d)| Head::of(d, i as u64, 0))
            .collect();
        Documents {
            heads,
            body: Body::Memory(docs),
        }
    }

    /// An empty store whose documents go to an unlinked temporary file; in memory when no
    /// temporary file can be made (the scan goes on, only its memory grows).
    pub fn spilled() -> Documents {
        let spill = tempfile::tempfile().and_then(|file| {
            let writer = file.try_clone()?;
            Ok(Spill {
                file,
                writer: Mutex::new((Some(BufWriter::with_capacity(1 << 16, writer)), 0)),
            })
        });
        match spill {
            Ok(s) => Documents {
                heads: Vec::new(),
                body: Body::Spilled(Arc::new(s)),
            },
            Err(_) => Documents::default(),
        }
    }

    /// Room for `n` more documents (sized once: no vector doubling at the end of a large
    /// scan).
    pub fn reserve(&mut self, n: usize) {
        self.heads.reserve_exact(n);
        if let Body::Memory(docs) = &mut self.body {
            docs.reserve_exact(n);
        }
    }

    pub fn len(&self) -> usize {
        self.heads.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heads.is_empty()
    }

    pub fn heads(&self) -> &[Head] {
        &self.heads
    }

    /// Adds one document (from a reader, the cache, a shard).
    pub fn push(&mut self, d: Document) {
        match &mut self.body {
            Body::Memory(docs) => {
                self.heads.push(Head::of(&d, docs.len() as u64, 0));
                docs.push(d);
            }
            Body::Spilled(spill) => {
                let mut line = serde_json::to_vec(&d).unwrap_or_default();
                line.push(b'\n');
                let mut w = spill.writer.lock().unwrap_or_else(|e| e.into_inner());
                let (out, end) = &mut *w;
                let at = *end;
                let written = line.len() <= u32::MAX as usize
                    && out.as_mut().is_some_and(|o| o.write_all(&line).is_ok());
                if written {
                    *end += line.len() as u64;
                } else {
                    *out = None;
                }
                drop(w);
                if written {
                    self.heads.push(Head::of(&d, at, line.len() as u32 - 1));
                } else {
                    // The temporary file cannot take it (disk full): this document and the
                    // ones after stay in memory rather than be lost (those already written
                    // are read back; one that cannot be is an entry with an `internal` error).
                    self.move_to_memory();
                    self.push(d);
                }
            }
        }
    }

    /// Moves every document to memory (the spill file failed).
    fn move_to_memory(&mut self) {
        let docs: Vec<Document> = (0..self.len()).map(|i| self.get(i).into_owned()).collect();
        let heads = std::mem::take(&mut self.heads);
        *self = Documents::from_vec(docs);
        for (h, old) in self.heads.iter_mut().zip(heads) {
            h.session = old.session;
        }
    }

    /// Sorts by path (the order of the reports, whichever order the documents arrived in).
    pub fn sort(&mut self) {
        match &mut self.body {
            // In memory the documents themselves stay in head order (`in_memory`).
            Body::Memory(docs) => {
                docs.sort_unstable_by(|a, b| a.path.cmp(&b.path));
                *self = Documents::from_vec(std::mem::take(docs));
            }
            // Paths are unique: an unstable sort gives the same order, without a buffer.
            Body::Spilled(_) => self.heads.sort_unstable_by(|a, b| a.path.cmp(&b.path)),
        }
    }

    /// The document at `i` (in head order), with its session as last set.
    pub fn get(&self, i: usize) -> Cow<'_, Document> {
        let h = &self.heads[i];
        match &self.body {
            Body::Memory(docs) => Cow::Borrowed(&docs[h.slot as usize]),
            Body::Spilled(spill) => {
                let mut d = spill.read(h).unwrap_or_else(|why| {
                    crate::process::error_document(
                        &h.path,
                        h.format,
                        0,
                        crate::error::Error::internal(format!(
                            "the document could not be read back from the scan's temporary \
                             file: {why}"
                        )),
                    )
                });
                d.session = h.session.as_deref().map(str::to_string);
                Cow::Owned(d)
            }
        }
    }

    /// Every document in order, loaded one at a time.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Cow<'_, Document>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// The indexes of the documents whose head `keep` accepts, in order.
    pub fn which<'a>(
        &'a self,
        mut keep: impl FnMut(&Head) -> bool + 'a,
    ) -> impl Iterator<Item = usize> + 'a {
        self.heads
            .iter()
            .enumerate()
            .filter_map(move |(i, h)| keep(h).then_some(i))
    }

    /// The documents at `which`, loaded (a session's documents, while it is described or
    /// judged); [`refs`] lends them as the `&Document`s the checks take.
    pub fn load(&self, which: impl IntoIterator<Item = usize>) -> Vec<Cow<'_, Document>> {
        which.into_iter().map(|i| self.get(i)).collect()
    }

    /// The index of the document at `path`: a binary search of the heads (in path order once
    /// sorted), a scan when they are not (a report made by hand).
    pub fn position(&self, path: &str) -> Option<usize> {
        match self.heads.binary_search_by(|h| (*h.path).cmp(path)) {
            Ok(i) => Some(i),
            Err(_) => self.heads.iter().position(|h| &*h.path == path),
        }
    }

    /// Sets the session of the document at `i`.
    pub fn set_session(&mut self, i: usize, session: Option<Arc<str>>) {
        if let Body::Memory(docs) = &mut self.body {
            docs[self.heads[i].slot as usize].session = session.as_deref().map(str::to_string);
        }
        self.heads[i].session = session;
    }

    /// Keeps the documents whose head `keep` accepts.
    pub fn retain(&mut self, mut keep: impl FnMut(&Head) -> bool) {
        match &mut self.body {
            Body::Memory(docs) => {
                let mut i = 0;
                docs.retain(|_| {
                    i += 1;
                    keep(&self.heads[i - 1])
                });
                *self = Documents::from_vec(std::mem::take(docs));
            }
            Body::Spilled(_) => self.heads.retain(keep),
        }
    }

    /// The documents, when they are in memory (the library's scans, a report read back from
    /// JSON), in order.
    pub fn in_memory(&self) -> Option<&[Document]> {
        match &self.body {
            Body::Memory(docs) => Some(docs),
            Body::Spilled(_) => None,
        }
    }

    /// Every document, in memory (library users, tests).
    pub fn into_vec(self) -> Vec<Document> {
        match self.body {
            Body::Memory(docs) => docs,
            Body::Spilled(_) => self.iter().map(Cow::into_owned).collect(),
        }
    }

    /// Whether the documents are in a temporary file (the command line's scans).
    pub fn is_spilled(&self) -> bool {
        matches!(self.body, Body::Spilled(_))
    }
}

impl Spill {
    fn read(&self, h: &Head) -> std::io::Result<Document> {
        // Whatever is still in the write buffer goes to the file first.
        if let Some(w) = self
            .writer
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .0
            .as_mut()
        {
            w.flush()?;
        }
        let mut buf = vec![0u8; h.len as usize];
        read_exact_at(&self.file, &mut buf, h.slot)?;
        serde_json::from_slice(&buf).map_err(std::io::Error::other)
    }
}

/// Loaded documents ([`Documents::load`]) as references.
pub fn refs<'a>(loaded: &'a [Cow<'_, Document>]) -> Vec<&'a Document> {
    loaded.iter().map(AsRef::as_ref).collect()
}

#[cfg(unix)]
fn read_exact_at(f: &File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(f, buf, at)
}

#[cfg(windows)]
fn read_exact_at(f: &File, mut buf: &mut [u8], mut at: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match f.seek_read(buf, at)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                at += n as u64;
            }
        }
    }
    Ok(())
}

impl Clone for Documents {
    fn clone(&self) -> Documents {
        Documents {
            heads: self.heads.clone(),
            body: match &self.body {
                Body::Memory(d) => Body::Memory(d.clone()),
                Body::Spilled(s) => Body::Spilled(Arc::clone(s)),
            },
        }
    }
}

impl std::fmt::Debug for Documents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for Documents {
    fn eq(&self, other: &Documents) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}

impl<'a> IntoIterator for &'a Documents {
    type Item = Cow<'a, Document>;
    type IntoIter = Box<dyn ExactSizeIterator<Item = Cow<'a, Document>> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

/// Serialised as the array of documents (report.json's `documents`), one loaded at a time.
impl Serialize for Documents {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Documents {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Documents, D::Error> {
        Vec::<Document>::deserialize(d).map(Documents::from_vec)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::process::blank_document as doc;

    fn both(docs: &[Document]) -> [Documents; 2] {
        let mut spilled = Documents::spilled();
        assert!(spilled.is_spilled());
        for d in docs {
            spilled.push(d.clone());
        }
        [Documents::from_vec(docs.to_vec()), spilled]
    }

    #[test]
    fn spilled_and_in_memory_documents_read_back_the_same_after_sort_session_and_retain() {
        let docs = vec![
            doc("b/convention.pdf", Kind::Convention),
            doc("a/émargement.pdf", Kind::AttendanceSheet),
            doc("c/cv.pdf", Kind::TrainerCv),
        ];
        let [mut mem, mut sp] = both(&docs);
        for s in [&mut mem, &mut sp] {
            s.sort();
            s.set_session(0, Some("S-1".into()));
            s.retain(|h| h.kind != Kind::TrainerCv);
        }
        assert_eq!(mem, sp);
        assert_eq!(sp.len(), 2);
        let first = sp.get(0);
        assert_eq!(first.path, "a/émargement.pdf");
        assert_eq!(first.session.as_deref(), Some("S-1"));
        assert_eq!(&*sp.heads()[1].path, "b/convention.pdf");
        assert_eq!(sp.get(1).session, None);
        assert_eq!(sp.position("b/convention.pdf"), Some(1));
        assert_eq!(sp.position("c/cv.pdf"), None);
        assert_eq!(
            serde_json::to_string(&mem).unwrap(),
            serde_json::to_string(&sp).unwrap()
        );
        let back: Documents = serde_json::from_str(&serde_json::to_string(&sp).unwrap()).unwrap();
        assert_eq!(back, sp);
        let v = sp.clone().into_vec();
        assert_eq!(v, mem.into_vec());
        assert_eq!(v[0].session.as_deref(), Some("S-1"));
    }

    #[test]
    fn clones_of_a_spilled_store_append_to_one_file_without_overwriting() {
        let mut a = Documents::spilled();
        a.push(doc("a.pdf", Kind::Invoice));
        let mut b = a.clone();
        a.push(doc("b.pdf", Kind::Quote));
        b.push(doc("c.pdf", Kind::Programme));
        a.push(doc("d.pdf", Kind::Convention));
        let paths = |s: &Documents| s.iter().map(|d| d.path.clone()).collect::<Vec<_>>();
        assert_eq!(paths(&a), ["a.pdf", "b.pdf", "d.pdf"]);
        assert_eq!(paths(&b), ["a.pdf", "c.pdf"]);
        assert_eq!(b.get(1).kind, Kind::Programme);
    }

    /// The path a full disk takes: once the temporary file refuses a line (its writer is then
    /// dropped, as here), every document moves to memory, sessions included, and none is lost.
    #[test]
    fn a_spill_file_that_fails_moves_the_documents_to_memory_without_losing_any() {
        let mut sp = Documents::spilled();
        sp.push(doc("a.pdf", Kind::Invoice));
        sp.push(doc("b.pdf", Kind::Programme));
        sp.set_session(1, Some("S-1".into()));
        let Body::Spilled(spill) = &sp.body else {
            panic!("not spilled")
        };
        spill.writer.lock().unwrap().0 = None;
        sp.push(doc("c.pdf", Kind::Quote));
        assert!(!sp.is_spilled());
        let docs = sp.into_vec();
        let got: Vec<_> = docs
            .iter()
            .map(|d| (d.path.as_str(), d.kind, d.session.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("a.pdf", Kind::Invoice, None),
                ("b.pdf", Kind::Programme, Some("S-1")),
                ("c.pdf", Kind::Quote, None),
            ]
        );
    }

    #[test]
    fn pushing_after_reading_keeps_every_document() {
        let mut sp = Documents::spilled();
        sp.push(doc("x.pdf", Kind::Invoice));
        assert_eq!(sp.get(0).kind, Kind::Invoice);
        sp.push(doc("y.pdf", Kind::Quote));
        assert_eq!(sp.get(1).kind, Kind::Quote);
        assert_eq!(sp.get(0).path, "x.pdf");
    }
}
