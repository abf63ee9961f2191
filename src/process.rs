//! One file, start to finish: read → detect → extract → understand → [`Document`] entries.
//!
//! Owns the per-file chain and the recursion into containers (zip members, e-mail
//! attachments), each child becoming a document of its own under `parent/child`. It returns
//! small `Document` records and drops the extracted text as soon as the file is understood, so
//! memory stays flat however large the archive. Never panics (the extractor call is guarded),
//! never writes anything.

use crate::detect::detect;
use crate::document::{ContentStats, Document, ExtractorInfo, Kind, Signature};
use crate::error::Error;
use crate::extract::{self, Input, Limits};
use crate::model::{Extracted, Format, Metadata};
use crate::understand;
use crate::walk::FoundFile;
use std::cell::Cell;
use std::io::Read;
use std::time::Instant;

/// Reads and understands one file found by the walk (plus its embedded children).
pub fn process_file(file: &FoundFile, limits: &Limits) -> Vec<Document> {
    let mut out = Vec::new();
    match read_bounded(file, limits) {
        Ok(bytes) => process_bytes(
            &file.rel_path,
            &bytes,
            file.warnings.clone(),
            0,
            None,
            limits,
            &mut out,
        ),
        Err(error) => {
            let format = Format::from_extension(&file.rel_path).unwrap_or(Format::Other);
            let mut d = error_document(&file.rel_path, format, file.size, error);
            d.warnings = file.warnings.clone();
            out.push(d);
        }
    }
    out
}

/// [`process_file`] through the results cache: a file whose bytes, context and settings are in
/// the cache is not extracted again; one that is not is read and stored.
pub fn process_file_cached(
    file: &FoundFile,
    limits: &Limits,
    cache: &crate::cache::Cache,
) -> Vec<Document> {
    let bytes = match read_bounded(file, limits) {
        Ok(b) => b,
        Err(_) => return process_file(file, limits),
    };
    let content = blake3::hash(&bytes).to_hex().to_string();
    if let Some(docs) = cache.get(&content, &file.rel_path) {
        return with_walk_warnings(file, docs);
    }
    let mut out = Vec::new();
    process_bytes(
        &file.rel_path,
        &bytes,
        Vec::new(),
        0,
        None,
        limits,
        &mut out,
    );
    cache.put(&content, &file.rel_path, &out);
    with_walk_warnings(file, out)
}

/// A file looked up in the results cache (for reading elsewhere, e.g. in a worker process, on
/// a miss): `Ok` with its documents, or `Err` with the content digest to store the result
/// under (`None`: the file cannot be read here; reading it elsewhere says why).
pub fn cache_lookup(
    file: &FoundFile,
    limits: &Limits,
    cache: &crate::cache::Cache,
) -> Result<Vec<Document>, Option<String>> {
    let bytes = read_bounded(file, limits).map_err(|_| None)?;
    let content = blake3::hash(&bytes).to_hex().to_string();
    match cache.get(&content, &file.rel_path) {
        Some(docs) => Ok(with_walk_warnings(file, docs)),
        None => Err(Some(content)),
    }
}

/// Stores what [`process_file`] gave for a file missed by [`cache_lookup`].
pub fn cache_store(
    file: &FoundFile,
    content: &str,
    docs: &[Document],
    cache: &crate::cache::Cache,
) {
    // The walk's warnings are not part of the content: stored without them.
    let mut docs = docs.to_vec();
    if let Some(top) = docs.iter_mut().find(|d| d.path == file.rel_path)
        && top.warnings.starts_with(&file.warnings)
    {
        top.warnings.drain(..file.warnings.len());
    }
    cache.put(content, &file.rel_path, &docs);
}

/// The walk's warnings belong to this place on disk, not to the content: added in front of the
/// file's own.
fn with_walk_warnings(file: &FoundFile, mut docs: Vec<Document>) -> Vec<Document> {
    if let Some(top) = docs.iter_mut().find(|d| d.path == file.rel_path)
        && !file.warnings.is_empty()
    {
        let mut w = file.warnings.clone();
        w.append(&mut top.warnings);
        top.warnings = w;
    }
    docs
}

fn read_bounded(file: &FoundFile, limits: &Limits) -> Result<Vec<u8>, Error> {
    if file.size > limits.max_file_bytes {
        return Err(Error::too_large(format!(
            "{} bytes, over the {} MiB limit per file",
            file.size,
            limits.max_file_bytes / (1024 * 1024)
        )));
    }
    let f = std::fs::File::open(file.abs_path())
        .map_err(|e| Error::unreadable(format!("cannot open: {e}")))?;
    let mut bytes = Vec::with_capacity(file.size as usize);
    f.take(limits.max_file_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::unreadable(format!("cannot read: {e}")))?;
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(Error::too_large(
            "the file grew past the size limit while being read",
        ));
    }
    Ok(bytes)
}

/// Called when a container member starts being read (worker processes use it to restart their
/// deadline: the hard time limit applies per document, not per archive).
static MEMBER_STARTED: std::sync::OnceLock<fn(&str)> = std::sync::OnceLock::new();

/// Sets the function told about each container member (once per process; later calls are
/// ignored).
pub fn on_member_started(hook: fn(&str)) {
    let _ = MEMBER_STARTED.set(hook);
}

/// Processes bytes that came from a file or a container member.
pub fn process_bytes(
    path: &str,
    bytes: &[u8],
    warnings: Vec<String>,
    depth: u32,
    container: Option<&str>,
    limits: &Limits,
    out: &mut Vec<Document>,
) {
    let budget = Cell::new(limits.max_expanded_bytes);
    process_in(
        path, bytes, warnings, depth, container, limits, &budget, out,
    );
}

/// [`process_bytes`] with the expanded-bytes budget of the top-level file, shared by every
/// container inside it (a zip of zips cannot expand `max_expanded_bytes` at each level). ZIP
/// archives are streamed: each member is processed as soon as it is read, then dropped.
#[allow(clippy::too_many_arguments)]
fn process_in(
    path: &str,
    bytes: &[u8],
    mut warnings: Vec<String>,
    depth: u32,
    container: Option<&str>,
    limits: &Limits,
    budget: &Cell<u64>,
    out: &mut Vec<Document>,
) {
    if depth > 0
        && let Some(hook) = MEMBER_STARTED.get()
    {
        hook(path);
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    let detection = detect(bytes, name);
    if let Some(note) = detection.note {
        warnings.push(note);
    }
    let hash = blake3::hash(bytes).to_hex()[..16].to_string();
    if let Some(error) = detection.error {
        let mut d = error_document(path, detection.format, bytes.len() as u64, error);
        d.hash = Some(hash);
        d.warnings = warnings;
        d.container = container.map(str::to_string);
        out.push(d);
        return;
    }
    let extractor = extract::extractor_for(detection.format);
    let here = Limits {
        max_expanded_bytes: budget.get(),
        ..limits.clone()
    };
    let result = if detection.format == Format::Zip {
        stream_zip(path, bytes, name, depth, &here, budget, out)
    } else {
        extract_stages(detection.format, bytes, name, depth, &here)
    };
    let info = ExtractorInfo {
        name: extractor.name().to_string(),
        version: extractor.version(),
    };
    let mut doc = match result {
        Ok((mut extracted, ocr_error)) => {
            let children = std::mem::take(&mut extracted.children);
            warnings.append(&mut extracted.warnings);
            let mut d = understand_document(path, detection.format, bytes.len() as u64, &extracted);
            d.errors.extend(ocr_error);
            d.warnings = warnings;
            d.extractor = Some(info);
            d.hash = Some(hash);
            d.container = container.map(str::to_string);
            out.push(d);
            drop(extracted);
            for child in children {
                let child_path = format!("{path}/{}", child.name);
                match child.data {
                    Ok(data) => {
                        budget.set(budget.get().saturating_sub(data.len() as u64));
                        process_in(
                            &child_path,
                            &data,
                            Vec::new(),
                            depth + 1,
                            Some(path),
                            limits,
                            budget,
                            out,
                        )
                    }
                    Err(error) => {
                        let format = Format::from_extension(&child.name).unwrap_or(Format::Other);
                        let mut d = error_document(&child_path, format, 0, error);
                        d.container = Some(path.to_string());
                        out.push(d);
                    }
                }
            }
            return;
        }
        Err(error) => error_document(path, detection.format, bytes.len() as u64, error),
    };
    doc.warnings = warnings;
    doc.extractor = Some(info);
    doc.hash = Some(hash);
    doc.container = container.map(str::to_string);
    out.push(doc);
}

/// A ZIP archive, streamed: each member is processed (recursively) as soon as it is read and
/// its documents go to `out`; the archive's own extraction (its listing) is returned.
fn stream_zip(
    path: &str,
    bytes: &[u8],
    name: &str,
    depth: u32,
    limits: &Limits,
    budget: &Cell<u64>,
    out: &mut Vec<Document>,
) -> Result<(Extracted, Option<Error>), Error> {
    let input = Input {
        bytes,
        name,
        limits,
        depth,
        started: Instant::now(),
    };
    let mut members = Vec::new();
    let result = crate::panic_guard::catch(|| {
        extract::zip::stream(&input, &mut |child| {
            let child_path = format!("{path}/{}", child.name);
            match child.data {
                Ok(data) => {
                    budget.set(budget.get().saturating_sub(data.len() as u64));
                    let before = budget.get();
                    process_in(
                        &child_path,
                        &data,
                        Vec::new(),
                        depth + 1,
                        Some(path),
                        limits,
                        budget,
                        &mut members,
                    );
                    before.saturating_sub(budget.get())
                }
                Err(error) => {
                    let format = Format::from_extension(&child.name).unwrap_or(Format::Other);
                    let mut d = error_document(&child_path, format, 0, error);
                    d.container = Some(path.to_string());
                    members.push(d);
                    0
                }
            }
        })
    });
    out.append(&mut members);
    match result {
        Ok(r) => r.map(|x| (x, None)),
        Err(message) => Err(Error::internal(format!(
            "zip extractor crashed: {message} (a bug in preuves; the run went on)"
        ))),
    }
}

/// Extraction of one document's bytes, then OCR of its scanned pages: what `scan`, `preuves
/// text` and `preuves explain` all see.
pub fn extract_one(
    format: Format,
    bytes: &[u8],
    name: &str,
    depth: u32,
    limits: &Limits,
) -> Result<Extracted, Error> {
    let (mut extracted, ocr_error) = extract_stages(format, bytes, name, depth, limits)?;
    if let Some(e) = ocr_error {
        extracted.warnings.push(e.message);
    }
    Ok(extracted)
}

/// Extraction, then OCR, each under the per-file panic guard. A crash of the OCR stage keeps
/// what was extracted and comes back as an `internal` error beside it.
fn extract_stages(
    format: Format,
    bytes: &[u8],
    name: &str,
    depth: u32,
    limits: &Limits,
) -> Result<(Extracted, Option<Error>), Error> {
    let input = Input {
        bytes,
        name,
        limits,
        depth,
        started: Instant::now(),
    };
    let mut extracted = extract::extract_guarded(format, &input)?;
    let ocr = crate::panic_guard::catch(|| {
        #[cfg(test)]
        test_hook::maybe_panic(test_hook::Stage::Ocr);
        crate::ocr::complete(format, bytes, &mut extracted, limits);
    });
    let ocr_error = ocr.err().map(|message| {
        Error::internal(format!(
            "OCR crashed: {message} (a bug in preuves; the text extracted before OCR is kept, \
             the run went on)"
        ))
    });
    Ok((extracted, ocr_error))
}

/// The understanding stage for one extracted document, under the per-file panic guard: a crash
/// leaves the document reported as `other` with what was extracted (metadata, pages, content
/// counts) and an `internal` error.
fn understand_document(path: &str, format: Format, size: u64, ex: &Extracted) -> Document {
    let understood = crate::panic_guard::catch(|| {
        #[cfg(test)]
        test_hook::maybe_panic(test_hook::Stage::Understand);
        understand::understand(path, format, ex)
    });
    let u = match understood {
        Ok(u) => u,
        Err(message) => {
            let mut d = error_document(
                path,
                format,
                size,
                Error::internal(format!(
                    "understanding crashed: {message} (a bug in preuves; the run went on)"
                )),
            );
            d.reasons = vec!["not understood: internal".into()];
            d.scanned = ex.is_scanned();
            d.pages = ex.pages.len() as u32;
            d.metadata = ex.metadata.clone();
            d.content = stats(ex);
            return d;
        }
    };
    Document {
        path: path.to_string(),
        format,
        kind: u.kind,
        confidence: u.confidence,
        reasons: u.reasons,
        scanned: ex.is_scanned(),
        dates: u.dates,
        signature: u.signature,
        errors: Vec::new(),
        session: None,
        size,
        pages: ex.pages.len() as u32,
        hash: None,
        extractor: None,
        warnings: Vec::new(),
        metadata: ex.metadata.clone(),
        content: stats(ex),
        container: None,
        facts: u.facts,
    }
}

fn stats(ex: &Extracted) -> ContentStats {
    ContentStats {
        chars: ex.pages.iter().map(|p| p.text.chars().count()).sum(),
        tables: ex.pages.iter().map(|p| p.tables.len()).sum(),
        images: ex.pages.iter().map(|p| p.images.len()).sum(),
        form_fields: ex.fields.len(),
        scanned_pages: ex.pages.iter().filter(|p| p.scanned).count(),
    }
}

/// A read PDF of `kind` at `path` with nothing else known (unit tests of grouping, judging and
/// the store).
#[cfg(test)]
pub(crate) fn blank_document(path: &str, kind: crate::document::Kind) -> Document {
    let mut d = error_document(path, Format::Pdf, 0, Error::internal("-"));
    d.errors.clear();
    d.kind = kind;
    d
}

/// The entry of a file that could not be read.
pub fn error_document(path: &str, format: Format, size: u64, error: Error) -> Document {
    let signature = Signature::unknown();
    Document {
        path: path.to_string(),
        format,
        kind: Kind::Other,
        confidence: 0.0,
        reasons: vec![format!("not read: {}", error.code.as_str())],
        scanned: false,
        dates: Vec::new(),
        signature,
        errors: vec![error],
        session: None,
        size,
        pages: 0,
        hash: None,
        extractor: None,
        warnings: Vec::new(),
        metadata: Metadata::default(),
        content: ContentStats::default(),
        container: None,
        facts: Default::default(),
    }
}

/// Test-only fault injection: makes one stage of the next files processed on this thread panic.
#[cfg(test)]
mod test_hook {
    use std::cell::Cell;

    #[derive(Clone, Copy, PartialEq, Eq, Debug)]
    pub enum Stage {
        Ocr,
        Understand,
    }

    thread_local! {
        static PANIC_IN: Cell<Option<Stage>> = const { Cell::new(None) };
    }

    pub fn set(stage: Option<Stage>) {
        PANIC_IN.with(|p| p.set(stage));
    }

    pub fn maybe_panic(stage: Stage) {
        if PANIC_IN.with(|p| p.get()) == Some(stage) {
            panic!("injected panic in the {stage:?} stage");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_hook::{Stage, set};
    use super::*;
    use crate::error::ErrorCode;

    const CSV: &[u8] =
        b"Nom;Date de reponse;Note\nJulie Martin;14/03/2025;5\nKevin Lopez;14/03/2025;4\n";

    fn run(name: &str) -> Vec<Document> {
        let mut out = Vec::new();
        process_bytes(name, CSV, Vec::new(), 0, None, &Limits::default(), &mut out);
        out
    }

    #[test]
    fn understand_panic_becomes_internal_error_and_scan_goes_on() {
        set(Some(Stage::Understand));
        let crashed = run("a/Questionnaire.csv");
        set(None);
        let [d] = crashed.as_slice() else {
            panic!("one document expected: {crashed:?}")
        };
        assert_eq!(d.errors.len(), 1, "{:?}", d.errors);
        assert_eq!(d.errors[0].code, ErrorCode::Internal);
        assert!(
            d.errors[0].message.contains("injected panic"),
            "{:?}",
            d.errors
        );
        // Still reported with what was extracted.
        assert!(d.content.chars > 0);
        assert!(d.extractor.is_some() && d.hash.is_some());
        // The next file is understood as usual.
        let next = run("a/Questionnaire2.csv");
        assert!(next[0].errors.is_empty(), "{:?}", next[0].errors);
        assert!(!next[0].dates.is_empty());
    }

    #[test]
    fn ocr_panic_becomes_internal_error_and_keeps_the_extracted_text() {
        set(Some(Stage::Ocr));
        let crashed = run("b/Questionnaire.csv");
        set(None);
        let d = &crashed[0];
        assert_eq!(d.errors.len(), 1, "{:?}", d.errors);
        assert_eq!(d.errors[0].code, ErrorCode::Internal);
        assert!(
            d.errors[0].message.starts_with("OCR crashed"),
            "{:?}",
            d.errors
        );
        // Understanding still ran on the extracted text.
        assert!(!d.dates.is_empty());
        assert!(d.content.chars > 0);
    }
}
