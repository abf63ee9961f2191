//! The OCR engine: the `tesseract` command, found once per process, run once per page as a
//! child process with a time limit, its TSV output parsed into word boxes.
//!
//! Owns the subprocess: `OMP_THREAD_LIMIT=1` (tesseract's own threads fight rayon's workers on
//! small machines), the page image given on standard input as PGM (nothing is written to disk),
//! the child killed past its deadline. It must not interpret the words (that is `layout`'s and
//! `ink`'s job).

use super::raster::Gray;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Environment variable naming the tesseract program (default: `tesseract` on the PATH).
pub const PROGRAM_ENV: &str = "PREUVES_TESSERACT";

/// Tesseract's page segmentation mode: 11, "sparse text", finds every line of text, including
/// the short labels of table cells that mode 3 (automatic layout) merges with their neighbours
/// or misses; it was also the fastest on the fixture scans (1.6 s against 2.6 s per page).
const PSM: &str = "11";

/// How to install the engine, for messages.
pub const INSTALL_HINT: &str = "install tesseract-ocr, tesseract-ocr-fra and tesseract-ocr-eng";

/// A usable tesseract.
#[derive(Clone, Debug)]
pub struct Engine {
    pub program: String,
    /// `tesseract 5.3.0`
    pub version: String,
    /// `fra+eng`, or `fra` when English is not installed.
    pub langs: String,
}

/// One recognised word, in image pixels (y down).
#[derive(Clone, Debug, PartialEq)]
pub struct Word {
    pub block: u32,
    pub par: u32,
    pub line: u32,
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
    /// 0–100.
    pub conf: f32,
    pub text: String,
}

impl Word {
    pub fn right(&self) -> i32 {
        self.x + self.w
    }
    pub fn bottom(&self) -> i32 {
        self.y + self.h
    }
}

/// Why a page was not read.
#[derive(Clone, Debug, PartialEq)]
pub enum Failure {
    Timeout(Duration),
    Failed(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Timeout(d) => write!(f, "timeout: OCR stopped after {} s", d.as_secs()),
            Failure::Failed(m) => write!(f, "OCR failed: {m}"),
        }
    }
}

/// The engine, detected once: `Err` says why OCR is unavailable.
pub fn engine() -> &'static Result<Engine, String> {
    static ENGINE: OnceLock<Result<Engine, String>> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let program = std::env::var(PROGRAM_ENV).unwrap_or_else(|_| "tesseract".to_string());
        detect(&program)
    })
}

fn detect(program: &str) -> Result<Engine, String> {
    let run = |arg: &str| {
        Command::new(program)
            .arg(arg)
            .env("OMP_THREAD_LIMIT", "1")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("OCR unavailable: `{program}` not found ({e}); {INSTALL_HINT}"))
    };
    let out = run("--version")?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let version = text
        .lines()
        .find(|l| l.trim_start().starts_with("tesseract"))
        .map(|l| l.trim().to_string())
        .ok_or_else(|| {
            format!(
                "OCR unavailable: `{program} --version` did not answer as tesseract; {INSTALL_HINT}"
            )
        })?;
    let out = run("--list-langs")?;
    let listed = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let langs: Vec<&str> = listed.lines().map(str::trim).collect();
    if !langs.contains(&"fra") {
        return Err(format!(
            "OCR unavailable: tesseract has no French model (install tesseract-ocr-fra); found {}",
            langs.iter().skip(1).copied().collect::<Vec<_>>().join(", ")
        ));
    }
    let langs = if langs.contains(&"eng") {
        "fra+eng"
    } else {
        "fra"
    };
    Ok(Engine {
        program: program.to_string(),
        version,
        langs: langs.to_string(),
    })
}

impl Engine {
    /// OCR of one page image (sparse-text segmentation, TSV word boxes).
    pub fn recognise(&self, img: &Gray, dpi: u32, timeout: Duration) -> Result<Vec<Word>, Failure> {
        self.recognise_with(img, dpi, timeout, PSM)
    }

    /// OCR of one image with a given page segmentation mode (`7`: a single line of text).
    pub fn recognise_with(
        &self,
        img: &Gray,
        dpi: u32,
        timeout: Duration,
        psm: &str,
    ) -> Result<Vec<Word>, Failure> {
        // The library kept loaded when it can be (`libtess`), else one command per call.
        if super::libtess::available(&self.program)
            && let Some(r) = super::libtess::recognise(img, &self.langs, dpi, timeout, psm)
        {
            return r;
        }
        let pgm = img.to_pgm();
        let mut child = Command::new(&self.program)
            .args([
                "stdin",
                "stdout",
                "-l",
                &self.langs,
                "--psm",
                psm,
                "--dpi",
                &dpi.clamp(70, 1200).to_string(),
                "tsv",
            ])
            .env("OMP_THREAD_LIMIT", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| Failure::Failed(format!("cannot start {}: {e}", self.program)))?;
        let started = Instant::now();
        let mut stdin = child.stdin.take();
        let mut stdout = child.stdout.take();
        let mut stderr = child.stderr.take();
        let (status, out, err) = std::thread::scope(|s| {
            let writer = s.spawn(move || {
                if let Some(mut w) = stdin.take() {
                    let _ = w.write_all(&pgm);
                }
            });
            let reader = s.spawn(move || {
                let mut buf = Vec::new();
                if let Some(r) = stdout.as_mut() {
                    let _ = r.take(64 << 20).read_to_end(&mut buf);
                }
                buf
            });
            let err_reader = s.spawn(move || {
                let mut buf = Vec::new();
                if let Some(r) = stderr.as_mut() {
                    let _ = r.take(1 << 16).read_to_end(&mut buf);
                }
                buf
            });
            let status = loop {
                match child.try_wait() {
                    Ok(Some(st)) => break Ok(st),
                    Ok(None) if started.elapsed() > timeout => {
                        let _ = child.kill();
                        let _ = child.wait();
                        break Err(Failure::Timeout(timeout));
                    }
                    Ok(None) => std::thread::sleep(Duration::from_millis(10)),
                    Err(e) => {
                        let _ = child.kill();
                        let _ = child.wait();
                        break Err(Failure::Failed(format!("lost the tesseract process: {e}")));
                    }
                }
            };
            let _ = writer.join();
            let out = reader.join().unwrap_or_default();
            let err = err_reader.join().unwrap_or_default();
            (status, out, err)
        });
        let status = status?;
        if !status.success() {
            let msg = String::from_utf8_lossy(&err);
            let msg = msg
                .lines()
                .rfind(|l| !l.trim().is_empty())
                .unwrap_or("no message")
                .trim();
            return Err(Failure::Failed(format!(
                "tesseract exited with {status}: {msg}"
            )));
        }
        Ok(parse_tsv(&String::from_utf8_lossy(&out)))
    }
}

/// Words (level 5 rows with text) of tesseract's TSV output.
pub fn parse_tsv(tsv: &str) -> Vec<Word> {
    let mut words = Vec::new();
    for line in tsv.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 12 || f[0] != "5" {
            continue;
        }
        let text = f[11].trim();
        if text.is_empty() {
            continue;
        }
        let num = |i: usize| f[i].trim().parse::<i32>().ok();
        let (Some(block), Some(par), Some(l), Some(x), Some(y), Some(w), Some(h)) =
            (num(2), num(3), num(4), num(6), num(7), num(8), num(9))
        else {
            continue;
        };
        let conf = f[10].trim().parse::<f32>().unwrap_or(0.0);
        words.push(Word {
            block: block.max(0) as u32,
            par: par.max(0) as u32,
            line: l.max(0) as u32,
            x,
            y,
            w: w.max(0),
            h: h.max(0),
            conf,
            text: text.to_string(),
        });
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_words_are_parsed() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   1\t1\t0\t0\t0\t0\t0\t0\t1654\t2339\t-1\t\n\
                   4\t1\t1\t1\t1\t0\t101\t119\t413\t27\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t101\t121\t179\t26\t95.592758\tFormations\n\
                   5\t1\t1\t1\t1\t2\t292\t120\t121\t25\t96.2\tHorizon\n\
                   5\t1\t2\t1\t1\t1\t1\t1\t1\t1\t95\t \n\
                   5\t1\t2\t1\t1\t1\tx\t1\t1\t1\t95\tbad\n";
        let w = parse_tsv(tsv);
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].text, "Formations");
        assert_eq!((w[0].x, w[0].y, w[0].w, w[0].h), (101, 121, 179, 26));
        assert!((w[1].conf - 96.2).abs() < 0.01);
    }

    #[test]
    fn a_missing_program_is_reported_with_the_install_hint() {
        let e = detect("/nonexistent/tesseract-for-preuves-tests").unwrap_err();
        assert!(
            e.contains("OCR unavailable") && e.contains("tesseract-ocr-fra"),
            "{e}"
        );
    }
}
