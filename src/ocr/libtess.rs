//! Tesseract as a library, kept loaded: one engine per worker thread, initialised once, reads
//! every page that thread OCRs. Running the `tesseract` command costs a process start and a
//! model load per call (0.1 to 0.2 s of CPU with French and English, about a quarter of the
//! OCR time per page on the archives measured); this path pays it once per thread.
//!
//! The library is found at run time (`libtesseract.so.5`, the one the `tesseract` command of
//! Debian's tesseract-ocr package uses) through its stable C API, so preuves builds and runs
//! without it: when it cannot be loaded, or `PREUVES_OCR=command` is set, or `PREUVES_TESSERACT`
//! names another program, OCR runs the command instead ([`super::engine`]). The results are the
//! same (same engine, languages, page segmentation, resolution and TSV output).
//!
//! A page past its deadline is cancelled by tesseract's own progress monitor. Unlike a child
//! process, a crash inside the library would stop this process: scans that must survive any
//! file run their extraction in worker processes.

use super::engine::{Failure, Word, parse_tsv};
use super::raster::Gray;
use libloading::{Library, Symbol};
use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::sync::OnceLock;
use std::time::Duration;

/// Set to `command` to always run the `tesseract` command.
pub const MODE_ENV: &str = "PREUVES_OCR";

/// OpenMP's thread limit, which must be 1 before the library is loaded.
pub const OMP_ENV: &str = "OMP_THREAD_LIMIT";

type Create = unsafe extern "C" fn() -> *mut c_void;
type Delete = unsafe extern "C" fn(*mut c_void);
type Init3 = unsafe extern "C" fn(*mut c_void, *const c_char, *const c_char) -> c_int;
type SetPsm = unsafe extern "C" fn(*mut c_void, c_int);
type SetVariable = unsafe extern "C" fn(*mut c_void, *const c_char, *const c_char) -> c_int;
type SetImage = unsafe extern "C" fn(*mut c_void, *const u8, c_int, c_int, c_int, c_int);
type SetResolution = unsafe extern "C" fn(*mut c_void, c_int);
type Recognize = unsafe extern "C" fn(*mut c_void, *mut c_void) -> c_int;
type GetTsv = unsafe extern "C" fn(*mut c_void, c_int) -> *mut c_char;
type DeleteText = unsafe extern "C" fn(*const c_char);
type Clear = unsafe extern "C" fn(*mut c_void);
type MonitorCreate = unsafe extern "C" fn() -> *mut c_void;
type MonitorDelete = unsafe extern "C" fn(*mut c_void);
type MonitorDeadline = unsafe extern "C" fn(*mut c_void, c_int);
type OmpThreads = unsafe extern "C" fn(c_int);

/// The loaded library and the C API functions preuves calls.
struct Api {
    _lib: Library,
    _gomp: Option<Library>,
    create: Create,
    delete: Delete,
    init3: Init3,
    set_psm: SetPsm,
    set_variable: SetVariable,
    set_image: SetImage,
    set_resolution: SetResolution,
    recognize: Recognize,
    get_tsv: GetTsv,
    delete_text: DeleteText,
    clear: Clear,
    monitor_create: MonitorCreate,
    monitor_delete: MonitorDelete,
    monitor_deadline: MonitorDeadline,
    omp_threads: Option<OmpThreads>,
}

fn load() -> Result<Api, String> {
    // SAFETY: loading the system's tesseract library runs its initialisers, as starting the
    // tesseract command does; the symbols are the documented C API (capi.h) with the types
    // declared above.
    unsafe {
        let lib = [
            "libtesseract.so.5",
            "libtesseract.so",
            "libtesseract.5.dylib",
        ]
        .iter()
        .find_map(|n| Library::new(n).ok())
        .ok_or("libtesseract not found")?;
        let gomp = Library::new("libgomp.so.1").ok();
        fn get<T: Copy>(lib: &Library, name: &[u8]) -> Result<T, String> {
            // SAFETY: see `load`.
            let s: Symbol<T> = unsafe { lib.get(name) }
                .map_err(|e| format!("{}: {e}", String::from_utf8_lossy(name)))?;
            Ok(*s)
        }
        let omp_threads = gomp
            .as_ref()
            .and_then(|g| get::<OmpThreads>(g, b"omp_set_num_threads\0").ok());
        Ok(Api {
            create: get(&lib, b"TessBaseAPICreate\0")?,
            delete: get(&lib, b"TessBaseAPIDelete\0")?,
            init3: get(&lib, b"TessBaseAPIInit3\0")?,
            set_psm: get(&lib, b"TessBaseAPISetPageSegMode\0")?,
            set_variable: get(&lib, b"TessBaseAPISetVariable\0")?,
            set_image: get(&lib, b"TessBaseAPISetImage\0")?,
            set_resolution: get(&lib, b"TessBaseAPISetSourceResolution\0")?,
            recognize: get(&lib, b"TessBaseAPIRecognize\0")?,
            get_tsv: get(&lib, b"TessBaseAPIGetTsvText\0")?,
            delete_text: get(&lib, b"TessDeleteText\0")?,
            clear: get(&lib, b"TessBaseAPIClear\0")?,
            monitor_create: get(&lib, b"TessMonitorCreate\0")?,
            monitor_delete: get(&lib, b"TessMonitorDelete\0")?,
            monitor_deadline: get(&lib, b"TessMonitorSetDeadlineMSecs\0")?,
            omp_threads,
            _gomp: gomp,
            _lib: lib,
        })
    }
}

fn api() -> Option<&'static Api> {
    static API: OnceLock<Option<Api>> = OnceLock::new();
    API.get_or_init(|| {
        if std::env::var(MODE_ENV).is_ok_and(|m| m == "command") {
            return None;
        }
        // Tesseract's LSTM asks OpenMP for up to 10 threads per line, which fight the scan's
        // own workers (3× slower on 2 cores). OpenMP reads its limit from the environment once,
        // when it is loaded: the program sets it before any thread starts (`main`), and a
        // process without it keeps the command (which is given it per call).
        if std::env::var(OMP_ENV).as_deref() != Ok("1") {
            return None;
        }
        load().ok()
    })
    .as_ref()
}

/// One initialised engine (models loaded), owned by one thread.
struct Handle {
    api: &'static Api,
    ptr: *mut c_void,
    langs: String,
}

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: `ptr` came from TessBaseAPICreate and is deleted once.
        unsafe { (self.api.delete)(self.ptr) }
    }
}

thread_local! {
    static HANDLE: std::cell::RefCell<Option<Handle>> = const { std::cell::RefCell::new(None) };
}

/// Whether pages can be read through the library for these languages (loads it once).
pub fn available(program: &str) -> bool {
    program == "tesseract" && api().is_some()
}

/// OCR of one image through the library: `None` when the library cannot be used (the caller
/// runs the command).
pub fn recognise(
    img: &Gray,
    langs: &str,
    dpi: u32,
    timeout: Duration,
    psm: &str,
) -> Option<Result<Vec<Word>, Failure>> {
    let api = api()?;
    let psm: c_int = psm.parse().ok()?;
    let (w, h) = (c_int::try_from(img.w).ok()?, c_int::try_from(img.h).ok()?);
    HANDLE.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.as_ref().is_none_or(|h| h.langs != langs) {
            *slot = None;
            let c_langs = CString::new(langs).ok()?;
            // SAFETY: C API calls on a handle this thread owns; strings are NUL-terminated and
            // outlive the calls.
            unsafe {
                let ptr = (api.create)();
                if ptr.is_null() {
                    return None;
                }
                let handle = Handle {
                    api,
                    ptr,
                    langs: langs.to_string(),
                };
                if (api.init3)(ptr, std::ptr::null(), c_langs.as_ptr()) != 0 {
                    return None;
                }
                *slot = Some(handle);
            }
        }
        let handle = slot.as_ref()?;
        // SAFETY: as above; the image buffer (`img.px`, w × h bytes, one byte per pixel)
        // outlives Recognize (tesseract copies it in SetImage), the TSV text is freed with
        // TessDeleteText, the monitor with TessMonitorDelete.
        unsafe {
            if let Some(omp) = api.omp_threads {
                omp(1);
            }
            (api.set_psm)(handle.ptr, psm);
            (api.set_variable)(handle.ptr, c"debug_file".as_ptr(), c"/dev/null".as_ptr());
            (api.set_image)(handle.ptr, img.px.as_ptr(), w, h, 1, w);
            (api.set_resolution)(handle.ptr, dpi.clamp(70, 1200) as c_int);
            let monitor = (api.monitor_create)();
            let ms = c_int::try_from(timeout.as_millis()).unwrap_or(c_int::MAX);
            if !monitor.is_null() {
                (api.monitor_deadline)(monitor, ms);
            }
            let started = std::time::Instant::now();
            let rc = (api.recognize)(handle.ptr, monitor);
            if !monitor.is_null() {
                (api.monitor_delete)(monitor);
            }
            if rc != 0 {
                (api.clear)(handle.ptr);
                return Some(if started.elapsed() >= timeout {
                    Err(Failure::Timeout(timeout))
                } else {
                    Err(Failure::Failed(format!(
                        "tesseract could not read the page ({rc})"
                    )))
                });
            }
            let text = (api.get_tsv)(handle.ptr, 0);
            let words = if text.is_null() {
                Vec::new()
            } else {
                let tsv = CStr::from_ptr(text).to_string_lossy().into_owned();
                (api.delete_text)(text);
                // The command prints a header line first; the API does not.
                parse_tsv(&format!("header\n{tsv}"))
            };
            (api.clear)(handle.ptr);
            Some(Ok(words))
        }
    })
}
