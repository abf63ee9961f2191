//! The `preuves` command line: parses arguments, calls the library, writes the reports, maps the
//! outcome to an exit code (0 done, 1 `--fail-on` matched, 2 usage error or unreadable root).

use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use preuves::extract::Limits;
use preuves::report::Lang;
use preuves::{Progress, ScanOptions};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// mimalloc instead of the system allocator: the reading of a document makes and drops many
/// small strings and vectors, and glibc's malloc/free were 15 % of a born-digital scan's CPU
/// (BENCHMARKS.md, "Build and allocator").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "preuves",
    version,
    about = "Audit the Qualiopi evidence of training sessions in an archive folder (offline).",
    long_about = "preuves scans a folder of training archives (PDF, Word, ODT, spreadsheets, CSV, \
                  e-mails, zips, scans) and reports, for every session, what evidence is there, \
                  what is missing, unsigned or mis-dated. Nothing leaves the machine and the \
                  scanned folder is never modified."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan a folder and write report.json, report.html and report.csv.
    Scan(ScanArgs),
    /// Put together the shards of one scan (`preuves scan ROOT --shard K/N --out DIR`, one
    /// folder per shard): sessions, rules and the reports, as one `preuves scan ROOT` writes them.
    Merge(MergeArgs),
    /// Draw the sessions an auditor would ask for (stratified by category and modality of
    /// action, spread over trainings, clients, trainers and months; reproducible from --seed)
    /// and write sample.json, sample.html (one checklist page per session), sample.csv and
    /// the sample's action plan.
    Sample(SampleArgs),
    /// Print what was extracted from one file (text per page or sheet, tables, images, fields).
    Text(TextArgs),
    /// Internal: a worker process reading files for `scan` (jobs on stdin, results on stdout).
    #[command(name = "__worker", hide = true)]
    Worker,
    /// Explain how one file is understood: text outline, kind with its reasons and runner-up,
    /// every date with its role and source text, every signature evidence.
    Explain {
        /// The file to explain.
        file: PathBuf,
        #[command(flatten)]
        limits: OneFileLimits,
    },
    /// Compare two scans of the same archive (the monthly review): sessions newly complete,
    /// still incomplete or worse, findings added and resolved, documents added, changed or
    /// removed, organisation documents gone stale. Writes review.json and review.html.
    Review {
        /// The previous report.json.
        old: PathBuf,
        /// The current report.json.
        new: PathBuf,
        /// Where to write review.json and review.html.
        #[arg(long, default_value = "reports")]
        out: PathBuf,
        /// Language of the review page.
        #[arg(long, value_enum, default_value = "fr")]
        lang: LangArg,
    },
    /// Print the rule set for an audit date (rnq-v9 up to 31 October 2026, rnq-2026 from
    /// 1 November 2026), or the file given with --rules.
    Rules {
        /// A rule set file to print instead of the embedded one (validated).
        #[arg(long)]
        rules: Option<PathBuf>,
        /// The audit date (YYYY-MM-DD) that selects the référentiel (default: today).
        #[arg(long, value_parser = parse_date)]
        audit_date: Option<jiff::civil::Date>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    /// Exit 1 when a session is incomplete.
    Incomplete,
    /// Exit 1 when a session is incomplete or at risk.
    AtRisk,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Fr,
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Fr => Lang::Fr,
            LangArg::En => Lang::En,
        }
    }
}

/// Compares two reports and writes review.json and review.html into `out`.
fn write_review(old: &Path, new: &Path, out: &Path, lang: Lang) -> Result<PathBuf, String> {
    let (o, od) = preuves::review::load(old)?;
    let (n, nd) = preuves::review::load(new)?;
    let rv = preuves::review::compare(&o, old, od, &n, new, nd);
    save_review(&rv, out, lang)
}

fn save_review(rv: &preuves::review::Review, out: &Path, lang: Lang) -> Result<PathBuf, String> {
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let json = serde_json::to_string_pretty(rv).map_err(|e| e.to_string())?;
    let today = preuves::rules::today();
    let day = match lang {
        Lang::Fr => preuves::rules::french_date(&today.to_string()),
        Lang::En => today.to_string(),
    };
    let page = preuves::review::html(rv, lang, &day);
    std::fs::write(out.join("review.json"), json)
        .map_err(|e| format!("cannot write review.json: {e}"))?;
    let html = out.join("review.html");
    std::fs::write(&html, page).map_err(|e| format!("cannot write review.html: {e}"))?;
    Ok(html)
}

fn review(old: &Path, new: &Path, out: &Path, lang: Lang) -> ExitCode {
    match write_review(old, new, out, lang) {
        Ok(html) => {
            eprintln!("review written: {}", html.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("preuves: {e}");
            ExitCode::from(2)
        }
    }
}

#[derive(clap::Args)]
struct ScanArgs {
    /// The folder to scan (never modified).
    root: PathBuf,
    /// Where to write the reports (must be outside the scanned folder).
    #[arg(long, default_value = "reports")]
    out: PathBuf,
    /// No progress bar and no summary.
    #[arg(long, short)]
    quiet: bool,
    /// Worker threads (default: one per core).
    #[arg(long, short)]
    jobs: Option<usize>,
    /// Follow symbolic links (loops are detected).
    #[arg(long)]
    follow_symlinks: bool,
    /// Language of the HTML report.
    #[arg(long, value_enum, default_value = "fr")]
    lang: LangArg,
    /// Largest file read, in MiB.
    #[arg(long, default_value_t = 512)]
    max_file_mib: u64,
    /// Time limit per file, in seconds.
    #[arg(long, default_value_t = 120)]
    file_timeout: u64,
    /// Session folders are exactly the folders at this depth below ROOT (overrides detection).
    #[arg(long)]
    session_depth: Option<usize>,
    /// A rule set file (TOML) replacing the embedded one (see `preuves rules`).
    #[arg(long)]
    rules: Option<PathBuf>,
    /// The audit date (YYYY-MM-DD, default: today): selects the référentiel (rnq-v9 for audits up
    /// to 31 October 2026, rnq-2026 from 1 November 2026).
    #[arg(long, value_parser = parse_date)]
    audit_date: Option<jiff::civil::Date>,
    /// Categories of action the organisation is certified for, comma-separated: af (actions de
    /// formation), bilan, vae, cfa. Indicators of other categories are "non applicable".
    #[arg(long, value_delimiter = ',', value_parser = parse_category, default_value = "af")]
    categories: Vec<preuves::rules::Category>,
    /// The organisation runs certifying programmes (RNCP/RS): indicators 3, 7, 16 apply.
    #[arg(long)]
    certifying: bool,
    /// The organisation runs work-study or work-based learning: indicators 13, 28 apply.
    #[arg(long)]
    alternance: bool,
    /// The organisation sub-contracts (also detected from trainer contracts): indicator 27 applies.
    #[arg(long)]
    subcontracting: bool,
    /// Prefix for the HTML report's links to documents (default: the archive's path relative
    /// to the output folder, so links open the files when the report sits next to the archive).
    #[arg(long)]
    link_base: Option<String>,
    /// Exit with code 1 when a session has this status (or worse), for scripts.
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// Do not OCR scanned pages (they are reported as not read).
    #[arg(long)]
    no_ocr: bool,
    /// The results cache folder (default: the user's cache folder, ~/.cache/preuves on Linux):
    /// files already read with the same build and settings are not read again.
    #[arg(long, value_name = "DIR", conflicts_with = "no_cache")]
    cache: Option<PathBuf>,
    /// Read every file, without the results cache.
    #[arg(long)]
    no_cache: bool,
    /// Read only shard K of N (1-based) of the files, chosen by a hash of their path, and write
    /// OUT/documents.jsonl instead of the reports; `preuves merge` puts the shards together.
    #[arg(long, value_name = "K/N", conflicts_with_all = ["clients", "compare"])]
    shard: Option<preuves::shard::Shard>,
    /// A previous report.json of the same archive: also write review.json and review.html
    /// (what changed since then).
    #[arg(long)]
    compare: Option<PathBuf>,
    /// A consultant's folder of clients: each top-level folder or zip file of ROOT is one
    /// client organisation, with its reports in OUT/<client>/ and an index comparing them
    /// (OUT/index.html, OUT/index.csv).
    #[arg(long)]
    clients: bool,
    /// Only sessions whose dates reach this day or later (YYYY-MM-DD; with `sample`: the last
    /// audit, sessions before it are not drawn and new trainings come first).
    #[arg(long, value_parser = parse_date)]
    since: Option<jiff::civil::Date>,
    /// Only sessions whose dates start on this day or earlier (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    until: Option<jiff::civil::Date>,
    /// Read only the files (or folders) whose path relative to ROOT matches this glob
    /// (repeatable; `*` crosses folders, case ignored), e.g. --include "*/2025/**".
    #[arg(long)]
    include: Vec<String>,
    /// Never read the files (or folders) whose path relative to ROOT matches this glob
    /// (repeatable), e.g. --exclude "*/Archives" --exclude "*.jpg".
    #[arg(long)]
    exclude: Vec<String>,
    /// Read every file in this process instead of killable worker processes (for debugging:
    /// a file that hangs a parser then stalls the scan).
    #[arg(long)]
    in_process: bool,
    /// Memory (address space) limit of each worker process, in MiB.
    #[arg(long, default_value_t = 2048)]
    worker_memory_mib: u64,
}

// ---- preuves sample (begin) ----
#[derive(clap::Args)]
struct SampleArgs {
    #[command(flatten)]
    scan: ScanArgs,
    /// Sessions to draw (default: one per stratum and about √N, said in the output).
    #[arg(long)]
    size: Option<usize>,
    /// Seed of the draw (default: a new one, printed and stored in sample.json).
    #[arg(long)]
    seed: Option<u64>,
}

fn sample(args: SampleArgs) -> ExitCode {
    if args.scan.clients
        || args.scan.compare.is_some()
        || args.scan.fail_on.is_some()
        || args.scan.shard.is_some()
    {
        eprintln!("preuves: sample takes neither --clients, --compare, --fail-on nor --shard");
        return ExitCode::from(2);
    }
    let started = Instant::now();
    if let Err(e) = preuves::check_output_outside_root(&args.scan.root, &args.scan.out) {
        eprintln!("preuves: {}", e.message);
        return ExitCode::from(2);
    }
    let mut options = match scan_options(&args.scan) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("preuves: {e}");
            return ExitCode::from(2);
        }
    };
    // The period restricts the draw, not the scan: trainings delivered before --since tell
    // which ones are new.
    let dates = std::mem::take(&mut options.dates);
    let seed = args.seed.unwrap_or_else(preuves::sample::fresh_seed);
    let bar = progress_bar(args.scan.quiet);
    let sample_options = preuves::sample::SampleOptions {
        size: args.size,
        seed,
        dates,
    };
    let (report, drawn) = match bar.done(
        preuves::sample::run(&args.scan.root, &options, &sample_options, &bar)
            .map_err(|e| e.message),
    ) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let html_options = preuves::report::html::HtmlOptions {
        lang: args.scan.lang.into(),
        link_base: args
            .scan
            .link_base
            .clone()
            .or_else(|| preuves::report::relative_link_base(&args.scan.out, &args.scan.root)),
    };
    let written = match preuves::sample::page::write_all(
        &args.scan.out,
        &report,
        &drawn,
        &options.rules,
        &html_options,
    ) {
        Ok(w) => w,
        Err(e) => {
            eprintln!(
                "preuves: cannot write the sample into {}: {e}",
                args.scan.out.display()
            );
            return ExitCode::from(2);
        }
    };
    // The seed and the rule are printed even with --quiet: they identify the draw.
    eprintln!("seed {} — {}", drawn.seed, drawn.rule);
    if !args.scan.quiet {
        for d in &drawn.drawn {
            let label = drawn
                .strata
                .iter()
                .find(|s| s.id == d.stratum)
                .map_or("", |s| s.label.as_str());
            eprintln!("{:>3}. {}  [{label}]", d.order, d.path);
        }
        eprintln!(
            "{} sessions drawn out of {} in the period ({} strata) in {:.1} s; {}",
            drawn.size,
            drawn.population,
            drawn.strata.len(),
            started.elapsed().as_secs_f64(),
            drawn.reading
        );
        for p in &written {
            eprintln!("  {}", p.display());
        }
    }
    ExitCode::SUCCESS
}
// ---- preuves sample (end) ----

#[derive(clap::Args)]
struct MergeArgs {
    /// The shard folders (each holds the documents.jsonl of one `scan --shard K/N`).
    #[arg(required = true)]
    shards: Vec<PathBuf>,
    /// Where to write the reports.
    #[arg(long, default_value = "reports")]
    out: PathBuf,
    /// No summary.
    #[arg(long, short)]
    quiet: bool,
    /// Language of the HTML report.
    #[arg(long, value_enum, default_value = "fr")]
    lang: LangArg,
    /// Prefix for the HTML report's links to documents (default: the scanned folder's path
    /// relative to the output folder).
    #[arg(long)]
    link_base: Option<String>,
    /// Exit with code 1 when a session has this status (or worse), for scripts.
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// A previous report.json of the same archive: also write review.json and review.html.
    #[arg(long)]
    compare: Option<PathBuf>,
}

#[derive(clap::Args)]
struct TextArgs {
    /// The file to read.
    file: PathBuf,
    /// Print the full extraction as JSON instead of text.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    limits: OneFileLimits,
}

/// The limits `scan` applies to each file, for `text` and `explain` (same flags, same
/// defaults): the size bound, the cooperative time budget, and the hard deadline and memory
/// limit a scan's worker process would be killed at.
#[derive(clap::Args, Clone, Debug)]
struct OneFileLimits {
    /// Largest file read, in MiB.
    #[arg(long, default_value_t = 512)]
    max_file_mib: u64,
    /// Time limit per file, in seconds (reading stops at three times this plus 2 s whatever the
    /// parser is doing, as in a scan's worker).
    #[arg(long, default_value_t = 120)]
    file_timeout: u64,
    /// Memory (address space) limit of this process, in MiB (a scan's worker limit).
    #[arg(long, default_value_t = 2048)]
    worker_memory_mib: u64,
}

impl OneFileLimits {
    fn limits(&self) -> Limits {
        Limits {
            max_file_bytes: self.max_file_mib * 1024 * 1024,
            time_budget: std::time::Duration::from_secs(self.file_timeout),
            ..Limits::default()
        }
    }
}

fn main() -> ExitCode {
    // Like other command-line tools, stop quietly when the reader of our output goes away
    // (`preuves explain f.pdf | head`) instead of panicking on a broken pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default SIGPIPE disposition before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // One OpenMP thread inside tesseract when it runs as a library in this process
    // (`ocr::libtess`): the scan's workers are the parallelism.
    if std::env::var_os(preuves::ocr::libtess::OMP_ENV).is_none() {
        // SAFETY: no other thread exists yet to read the environment concurrently.
        unsafe { std::env::set_var(preuves::ocr::libtess::OMP_ENV, "1") };
    }
    let cli = Cli::parse();
    match cli.command {
        Command::Scan(args) => scan(args),
        Command::Merge(args) => merge(args),
        Command::Sample(args) => sample(args),
        Command::Text(args) => text(args),
        Command::Rules { rules, audit_date } => print_rules(rules, audit_date),
        Command::Review {
            old,
            new,
            out,
            lang,
        } => review(&old, &new, &out, lang.into()),
        Command::Explain { file, limits } => explain(&file, &limits),
        Command::Worker => ExitCode::from(preuves::worker::worker_main() as u8),
    }
}

fn parse_date(s: &str) -> Result<jiff::civil::Date, String> {
    s.trim()
        .parse::<jiff::civil::Date>()
        .map_err(|e| format!("expected a date as YYYY-MM-DD: {e}"))
}

fn parse_category(s: &str) -> Result<preuves::rules::Category, String> {
    preuves::rules::Category::parse(s)
        .ok_or_else(|| format!("unknown category «{s}» (af, bilan, vae, cfa)"))
}

/// The rule set: the file given, or the embedded one for the audit date; with the reason.
fn load_rules(
    path: Option<&Path>,
    audit_date: jiff::civil::Date,
) -> Result<(preuves::rules::RuleSet, (String, String)), String> {
    match path {
        None => {
            let (r, fr, en) = preuves::rules::RuleSet::for_audit_date(audit_date);
            Ok((r, (fr, en)))
        }
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .map_err(|e| format!("cannot read {}: {e}", p.display()))?;
            let r = preuves::rules::RuleSet::parse(&text)
                .map_err(|e| format!("{}: {}", p.display(), e.message))?;
            let why = (
                format!("jeu de règles {} donné par --rules {}", r.id, p.display()),
                format!("rule set {} given with --rules {}", r.id, p.display()),
            );
            Ok((r, why))
        }
    }
}

fn print_rules(path: Option<PathBuf>, audit_date: Option<jiff::civil::Date>) -> ExitCode {
    let date = audit_date.unwrap_or_else(preuves::rules::today);
    match load_rules(path.as_deref(), date) {
        Err(e) => {
            eprintln!("preuves: {e}");
            ExitCode::from(2)
        }
        Ok((r, (_, why))) => {
            let text = match &path {
                Some(p) => std::fs::read_to_string(p).unwrap_or_default(),
                None => preuves::rules::EMBEDDED
                    .iter()
                    .find(|(id, _)| *id == r.id)
                    .map(|(_, t)| t.to_string())
                    .unwrap_or_default(),
            };
            println!("# {why}");
            if let Some(base) = &r.base {
                println!(
                    "# based on {base}: {} requirements, {} checks, {} indicators after inheritance",
                    r.requirement.len(),
                    r.check.len(),
                    r.indicator.len()
                );
            }
            print!("{text}");
            ExitCode::SUCCESS
        }
    }
}

struct Bar(ProgressBar);

impl Bar {
    /// Clears the bar; on an error, prints it and gives the exit code of a failed run.
    fn done<T, E: std::fmt::Display>(&self, r: Result<T, E>) -> Result<T, ExitCode> {
        self.0.finish_and_clear();
        r.map_err(|e| {
            eprintln!("preuves: {e}");
            ExitCode::from(2)
        })
    }
}

impl Progress for Bar {
    fn start(&self, files: u64) {
        self.0.set_length(files);
    }
    fn file_done(&self, path: &str) {
        // Scanned pages are most of a long scan's time: say how many were OCRed so far.
        let ocr = preuves::ocr::pages_read();
        if ocr > 0 {
            self.0.set_message(format!("[OCR {ocr} p.] {path}"));
        } else {
            self.0.set_message(path.to_string());
        }
        self.0.inc(1);
    }
}

/// The cache folder: `--cache DIR`, else the user's cache folder; never inside the scanned
/// folder (an explicit one there is refused, the default one is not used).
fn cache_dir(args: &ScanArgs) -> Result<Option<PathBuf>, String> {
    if args.no_cache {
        return Ok(None);
    }
    match &args.cache {
        Some(dir) => preuves::check_output_outside_root(&args.root, dir)
            .map(|_| Some(dir.clone()))
            .map_err(|e| format!("--cache: {}", e.message)),
        None => Ok(preuves::cache::default_dir()
            .filter(|d| preuves::check_output_outside_root(&args.root, d).is_ok())),
    }
}

/// The scan options the arguments describe (rules loaded, globs compiled).
fn scan_options(args: &ScanArgs) -> Result<ScanOptions, String> {
    let audit = preuves::rules::Audit {
        date: args.audit_date.unwrap_or_else(preuves::rules::today),
        date_given: args.audit_date.is_some(),
        categories: args.categories.clone(),
        certifying: args.certifying,
        alternance: args.alternance,
        subcontracting: args.subcontracting,
    };
    let (rules, rules_reason) = load_rules(args.rules.as_deref(), audit.date)?;
    let filter = preuves::scope::PathFilter::new(&args.include, &args.exclude)?;
    if let (Some(a), Some(b)) = (args.since, args.until)
        && a > b
    {
        return Err(format!("--since {a} is after --until {b}"));
    }
    let cache = cache_dir(args)?;
    let options = ScanOptions {
        cache,
        rules,
        audit,
        rules_reason: Some(rules_reason),
        sessions: preuves::sessions::SessionOptions {
            session_depth: args.session_depth,
            zip_as_folder: false,
        },
        jobs: args.jobs,
        walk: preuves::walk::WalkOptions {
            follow_symlinks: args.follow_symlinks,
            exclude: Vec::new(),
            only: Vec::new(),
            filter,
        },
        limits: Limits {
            max_file_bytes: args.max_file_mib * 1024 * 1024,
            time_budget: std::time::Duration::from_secs(args.file_timeout),
            ocr: !args.no_ocr,
            ..Limits::default()
        },
        dates: preuves::scope::DateRange {
            since: args.since,
            until: args.until,
        },
        workers: None,
        // The documents wait in a temporary file, not in memory (see `preuves::store`).
        spill: true,
    };
    // --- worker isolation (src/worker.rs) ---
    let mut options = options;
    if !args.in_process {
        let memory = Some(args.worker_memory_mib * 1024 * 1024);
        match preuves::worker::WorkerOptions::current_exe(&options.limits, memory) {
            Ok(mut w) => {
                // mimalloc reserves its first arena (1 GiB of address space) when the process
                // starts: inside the worker's address-space limit that reservation would count
                // in full and leave a smaller limit nothing for thread stacks or C libraries
                // (tesseract). Without it the address space grows with what is really used.
                w.env.push(("MIMALLOC_ARENA_RESERVE".into(), "0".into()));
                // A worker that dies must give an error on its pipe, not end this process.
                #[cfg(unix)]
                // SAFETY: setting a signal disposition to SIG_IGN.
                unsafe {
                    libc::signal(libc::SIGPIPE, libc::SIG_IGN);
                }
                options.workers = Some(w);
            }
            Err(e) => eprintln!("preuves: no worker processes ({e}); reading in this process"),
        }
    }
    // --- end of worker isolation ---
    Ok(options)
}

/// The progress bar on stderr (hidden with --quiet or without a terminal).
fn progress_bar(quiet: bool) -> Bar {
    let show = !quiet && std::io::stderr().is_terminal();
    let bar = ProgressBar::with_draw_target(
        None,
        if show {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        },
    );
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} {wide_msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    Bar(bar)
}

fn scan(args: ScanArgs) -> ExitCode {
    let started = Instant::now();
    if let Err(e) = preuves::check_output_outside_root(&args.root, &args.out) {
        eprintln!("preuves: {}", e.message);
        return ExitCode::from(2);
    }
    let options = match scan_options(&args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("preuves: {e}");
            return ExitCode::from(2);
        }
    };
    let bar = progress_bar(args.quiet);
    if args.clients {
        let html_options = preuves::report::html::HtmlOptions {
            lang: args.lang.into(),
            link_base: None,
        };
        let rows = match bar.done(preuves::clients::scan_all(
            &args.root,
            &args.out,
            &options,
            &html_options,
            &bar,
        )) {
            Ok(r) => r,
            Err(code) => return code,
        };
        if !args.quiet {
            for r in &rows {
                eprintln!(
                    "{}: {} sessions ({} complete, {} at risk, {} incomplete){}",
                    r.client,
                    r.sessions,
                    r.complete,
                    r.at_risk,
                    r.incomplete,
                    r.error
                        .as_deref()
                        .map(|e| format!(" — {e}"))
                        .unwrap_or_default()
                );
            }
            eprintln!(
                "{} clients in {:.1} s; index: {}",
                rows.len(),
                started.elapsed().as_secs_f64(),
                args.out.join("index.html").display()
            );
        }
        return ExitCode::SUCCESS;
    }
    if let Some(shard) = args.shard {
        let collected = match bar
            .done(preuves::collect(&args.root, &options, &bar, Some(shard)).map_err(|e| e.message))
        {
            Ok(c) => c,
            Err(code) => return code,
        };
        let root = args.root.to_string_lossy();
        return match preuves::shard::write(
            &args.out,
            &root,
            shard,
            &options,
            &collected,
            started.elapsed(),
        ) {
            Ok(path) => {
                if !args.quiet {
                    eprintln!(
                        "shard {}/{}: {} files read ({} documents) in {:.1} s",
                        shard.index,
                        shard.count,
                        collected.files,
                        collected.documents.len(),
                        started.elapsed().as_secs_f64()
                    );
                    print_cache(collected.cache.as_ref());
                    eprintln!("  {}", path.display());
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!(
                    "preuves: cannot write the shard into {}: {e}",
                    args.out.display()
                );
                ExitCode::from(2)
            }
        };
    }
    let report = match bar.done(preuves::scan(&args.root, &options, &bar).map_err(|e| e.message)) {
        Ok(r) => r,
        Err(code) => return code,
    };
    publish(
        &report,
        &options.rules,
        &Publish {
            root: &args.root,
            out: &args.out,
            lang: args.lang,
            link_base: args.link_base.clone(),
            compare: args.compare.clone(),
            quiet: args.quiet,
            fail_on: args.fail_on,
            jobs: options.jobs(),
        },
        started,
    )
}

fn merge(args: MergeArgs) -> ExitCode {
    let started = Instant::now();
    let (root, judging, collected, shard_ms) = match preuves::shard::merge(&args.shards, true) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("preuves: {}", e.message);
            return ExitCode::from(2);
        }
    };
    if let Err(e) = preuves::check_output_outside_root(Path::new(&root), &args.out) {
        eprintln!("preuves: {}", e.message);
        return ExitCode::from(2);
    }
    let options = judging.options();
    let elapsed = started.elapsed() + std::time::Duration::from_millis(shard_ms);
    let report = preuves::judge(&root, &options, collected, elapsed);
    publish(
        &report,
        &options.rules,
        &Publish {
            root: Path::new(&root),
            out: &args.out,
            lang: args.lang,
            link_base: args.link_base.clone(),
            compare: args.compare.clone(),
            quiet: args.quiet,
            fail_on: args.fail_on,
            jobs: options.jobs(),
        },
        started,
    )
}

/// Where and how the reports of a scan (or a merge) are written.
struct Publish<'a> {
    root: &'a Path,
    out: &'a Path,
    lang: LangArg,
    link_base: Option<String>,
    compare: Option<PathBuf>,
    quiet: bool,
    fail_on: Option<FailOn>,
    /// `--jobs`: how many report files are made at once.
    jobs: usize,
}

fn print_cache(cache: Option<&preuves::cache::CacheCounters>) {
    if let Some(c) = cache {
        eprintln!(
            "cache {}: {} files from the cache, {} read ({} stored){}",
            c.path,
            c.files_from_cache,
            c.files_read,
            c.files_stored,
            c.note
                .as_deref()
                .map(|n| format!(" — {n}"))
                .unwrap_or_default()
        );
    }
}

/// Writes the reports (and the review with `--compare`), prints the summary, maps the result
/// to the exit code.
fn publish(
    report: &preuves::report::Report,
    rules: &preuves::rules::RuleSet,
    args: &Publish,
    started: Instant,
) -> ExitCode {
    let lang = match args.lang {
        LangArg::Fr => Lang::Fr,
        LangArg::En => Lang::En,
    };
    let html_options = preuves::report::html::HtmlOptions {
        lang,
        link_base: args
            .link_base
            .clone()
            .or_else(|| preuves::report::relative_link_base(args.out, args.root)),
    };
    // The previous report is read before this scan's report (maybe the same file) is written.
    let previous = match &args.compare {
        None => None,
        Some(p) => match preuves::review::load(p) {
            Ok(x) => Some((p.clone(), x)),
            Err(e) => {
                eprintln!("preuves: --compare: {e}");
                return ExitCode::from(2);
            }
        },
    };
    let mut written = match report.write_all(args.out, rules, &html_options, args.jobs) {
        Ok(w) => w,
        Err(e) => {
            eprintln!(
                "preuves: cannot write the reports into {}: {e}",
                args.out.display()
            );
            return ExitCode::from(2);
        }
    };
    if let Some((old_path, (old, old_date))) = previous {
        let new_path = args.out.join("report.json");
        let new_date = preuves::review::load(&new_path)
            .map(|(_, d)| d)
            .unwrap_or_default();
        let rv = preuves::review::compare(&old, &old_path, old_date, report, &new_path, new_date);
        match save_review(&rv, args.out, lang) {
            Ok(html) => written.push(html),
            Err(e) => {
                eprintln!("preuves: {e}");
                return ExitCode::from(2);
            }
        }
    }
    if !args.quiet {
        let s = &report.summary;
        eprintln!(
            "{} files read ({} documents, {} inside containers), {} sessions \
             ({} complete, {} at risk, {} incomplete), {} with errors, {} files skipped (system files, filters), \
             in {:.1} s",
            s.files,
            s.documents,
            s.embedded,
            s.sessions,
            s.complete,
            s.at_risk,
            s.incomplete,
            s.errors,
            s.skipped,
            started.elapsed().as_secs_f64()
        );
        if s.pages_not_read > 0 {
            eprintln!(
                "{} scanned pages not read (no text): see the documents' warnings",
                s.pages_not_read
            );
        }
        print_cache(s.cache.as_ref());
        for p in &written {
            eprintln!("  {}", p.display());
        }
    }
    let s = &report.summary;
    match args.fail_on {
        Some(FailOn::Incomplete) if s.incomplete > 0 => ExitCode::from(1),
        Some(FailOn::AtRisk) if s.incomplete + s.at_risk > 0 => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    }
}

/// One file read, its format detected and its content extracted (with OCR), as a scan sees it.
struct OneFile {
    name: String,
    detection: preuves::detect::Detection,
    /// The extraction, or why there is none (detection or extraction error).
    extracted: Result<preuves::model::Extracted, preuves::Error>,
}

/// How `text` / `explain` say that reading a file ran past the hard deadline.
#[derive(Clone, Copy)]
enum Style {
    Text,
    Json,
    Explain,
}

/// Stops the process when one file's reading and understanding run past the hard deadline a
/// scan's worker would be killed at (a parser looping inside a dependency cannot be
/// interrupted otherwise), after printing the `timeout` the scan would report.
struct Deadline(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl Deadline {
    fn arm(file: &Path, limits: &Limits, style: Style) -> Deadline {
        use std::sync::atomic::{AtomicBool, Ordering};
        let done = std::sync::Arc::new(AtomicBool::new(false));
        let deadline = limits.time_budget * 3 + std::time::Duration::from_secs(2);
        let (flag, file) = (std::sync::Arc::clone(&done), file.display().to_string());
        std::thread::spawn(move || {
            let started = Instant::now();
            while !flag.load(Ordering::Relaxed) {
                if started.elapsed() > deadline {
                    let message = format!(
                        "still being read after {} s (hard limit per file, as in a scan); \
                         stopped",
                        deadline.as_secs()
                    );
                    match style {
                        Style::Text => println!("# error timeout: {message}"),
                        Style::Json => println!(
                            "{}",
                            serde_json::json!({"error": preuves::Error::timeout(message)})
                        ),
                        Style::Explain => println!("{file}: not read: timeout — {message}"),
                    }
                    std::process::exit(0);
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
        });
        Deadline(done)
    }
    fn disarm(self) {
        self.0.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

fn load_one(file: &Path, limits: &Limits) -> Result<OneFile, ExitCode> {
    // The same size limit as a scan: a huge file is refused, never read whole into memory.
    let limits = limits.clone();
    // The test hooks a scan's workers honour (`tests/cli.rs`): a file that hangs, or allocates
    // without bound.
    let path = file.to_string_lossy();
    let hook = |name: &str| {
        std::env::var(name)
            .ok()
            .filter(|h| !h.is_empty() && path.contains(h.as_str()))
    };
    if hook(preuves::worker::TEST_HANG_ENV).is_some() {
        loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        }
    }
    if hook(preuves::worker::TEST_ALLOC_ENV).is_some() {
        let mut hog: Vec<Vec<u8>> = Vec::new();
        loop {
            hog.push(std::hint::black_box(Vec::with_capacity(64 << 20)));
        }
    }
    let bytes = {
        use std::io::Read;
        let f = std::fs::File::open(file).map_err(|e| {
            eprintln!("preuves: cannot read {}: {e}", file.display());
            ExitCode::from(2)
        })?;
        let mut bytes = Vec::new();
        f.take(limits.max_file_bytes + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| {
                eprintln!("preuves: cannot read {}: {e}", file.display());
                ExitCode::from(2)
            })?;
        if bytes.len() as u64 > limits.max_file_bytes {
            eprintln!(
                "preuves: {} is larger than {} MiB (too_large)",
                file.display(),
                limits.max_file_bytes / (1024 * 1024)
            );
            return Err(ExitCode::from(2));
        }
        bytes
    };
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let detection = preuves::detect::detect(&bytes, &name);
    let extracted = match &detection.error {
        Some(e) => Err(e.clone()),
        None => preuves::process::extract_one(detection.format, &bytes, &name, 0, &limits),
    };
    Ok(OneFile {
        name,
        detection,
        extracted,
    })
}

fn text(args: TextArgs) -> ExitCode {
    let limits = args.limits.limits();
    preuves::worker::limit_memory(args.limits.worker_memory_mib * 1024 * 1024);
    let style = if args.json { Style::Json } else { Style::Text };
    let deadline = Deadline::arm(&args.file, &limits, style);
    let one = match load_one(&args.file, &limits) {
        Ok(one) => one,
        Err(code) => return code,
    };
    deadline.disarm();
    let detection = &one.detection;
    if !args.json {
        println!("# {}  format: {}", args.file.display(), detection.format);
        if let Some(note) = &detection.note {
            println!("# note: {note}");
        }
    }
    match &one.extracted {
        Ok(ex) if args.json => print_json(ex),
        Ok(ex) => print_text(ex, Path::new(&one.name)),
        Err(e) if args.json => println!(
            "{}",
            serde_json::json!({"format": detection.format, "error": e})
        ),
        Err(e) => println!("# error {}: {}", e.code.as_str(), e.message),
    }
    ExitCode::SUCCESS
}

fn print_json(ex: &preuves::model::Extracted) {
    let children: Vec<_> = ex
        .children
        .iter()
        .map(|c| {
            serde_json::json!({
                "name": c.name,
                "bytes": c.data.as_ref().map(|d| d.len()).ok(),
                "error": c.data.as_ref().err().map(|e| e.message.clone()),
            })
        })
        .collect();
    let v = serde_json::json!({
        "metadata": ex.metadata,
        "pages": ex.pages,
        "fields": ex.fields,
        "children": children,
        "warnings": ex.warnings,
    });
    println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
}

fn print_text(ex: &preuves::model::Extracted, _name: &Path) {
    let m = &ex.metadata;
    for (k, v) in [
        ("title", &m.title),
        ("author", &m.author),
        ("producer", &m.producer),
        ("creator", &m.creator),
        ("created", &m.created),
        ("modified", &m.modified),
    ] {
        if let Some(v) = v {
            println!("# {k}: {v}");
        }
    }
    for (k, v) in &m.other {
        println!("# {k}: {v}");
    }
    for w in &ex.warnings {
        println!("# warning: {w}");
    }
    for p in &ex.pages {
        let label = p
            .label
            .as_deref()
            .map(|l| format!(" «{l}»"))
            .unwrap_or_default();
        let scanned = if p.scanned {
            " (scanned: no text layer)"
        } else {
            ""
        };
        println!("\n=== page {}{label}{scanned} ===", p.number);
        println!("{}", p.text.trim_end());
        for (i, t) in p.tables.iter().enumerate() {
            println!(
                "--- table {} ({} rows × {} columns{}) ---",
                i + 1,
                t.rows.len(),
                t.width(),
                if t.merged.is_empty() {
                    String::new()
                } else {
                    format!(", {} merged", t.merged.len())
                }
            );
            for row in t.rows.iter().take(50) {
                let cells: Vec<String> = row.iter().map(|c| c.text.replace('\n', " ")).collect();
                println!("| {} |", cells.join(" | "));
            }
            if t.rows.len() > 50 {
                println!("| … {} more rows |", t.rows.len() - 50);
            }
        }
        for img in &p.images {
            let size = match (img.width_px, img.height_px) {
                (Some(w), Some(h)) => format!("{w}×{h} px"),
                _ => "size unknown".into(),
            };
            let anchor = match &img.anchor {
                Some(a) => serde_json::to_string(a).unwrap_or_default(),
                None => "no position".into(),
            };
            println!(
                "[image {} {} {size} at {anchor}]",
                img.name,
                img.encoding.as_deref().unwrap_or("?")
            );
        }
    }
    for f in &ex.fields {
        let signed = match &f.signature {
            Some(s) => format!(
                " SIGNED {} signer={} covers_whole_file={:?}",
                s.signing_time.as_deref().unwrap_or(""),
                s.signer.as_deref().unwrap_or("?"),
                s.covers_whole_file
            ),
            None if f.kind == "signature" => " (empty signature field)".into(),
            None => String::new(),
        };
        println!(
            "[field {} {} page={:?} value={:?}{signed}]",
            f.name, f.kind, f.page, f.value
        );
    }
    for c in &ex.children {
        match &c.data {
            Ok(d) => println!("[embedded {} ({} bytes)]", c.name, d.len()),
            Err(e) => println!(
                "[embedded {} error {}: {}]",
                c.name,
                e.code.as_str(),
                e.message
            ),
        }
    }
}

fn explain(file: &Path, one_file: &OneFileLimits) -> ExitCode {
    let limits = one_file.limits();
    preuves::worker::limit_memory(one_file.worker_memory_mib * 1024 * 1024);
    let deadline = Deadline::arm(file, &limits, Style::Explain);
    let one = match load_one(file, &limits) {
        Ok(one) => one,
        Err(code) => return code,
    };
    let path = file.to_string_lossy().replace('\\', "/");
    let detection = &one.detection;
    println!("{}", file.display());
    println!("  format: {}", detection.format);
    if let Some(note) = &detection.note {
        println!("  note: {note}");
    }
    let ex = match &one.extracted {
        Ok(ex) => ex,
        Err(e) => {
            println!("  not read: {} — {}", e.code.as_str(), e.message);
            return ExitCode::SUCCESS;
        }
    };
    println!("\nText outline ({} pages):", ex.pages.len());
    for p in ex.pages.iter().take(10) {
        let lines: Vec<&str> = p.text.lines().filter(|l| !l.trim().is_empty()).collect();
        let label = p
            .label
            .as_deref()
            .map(|l| format!(" «{l}»"))
            .unwrap_or_default();
        println!(
            "  page {}{label}: {} lines, {} tables, {} images{}",
            p.number,
            lines.len(),
            p.tables.len(),
            p.images.len(),
            if p.scanned { ", scanned" } else { "" }
        );
        for l in lines.iter().take(6) {
            let short: String = l.chars().take(100).collect();
            println!("    | {short}");
        }
    }
    let u = match preuves::panic_guard::catch(|| {
        preuves::understand::understand(&path, detection.format, ex)
    }) {
        Ok(u) => u,
        Err(message) => {
            println!("  not understood: internal — understanding crashed: {message}");
            return ExitCode::FAILURE;
        }
    };
    deadline.disarm();
    println!(
        "\nKind: {} ({}), confidence {:.2}",
        u.kind.id(),
        u.kind.label_fr(),
        u.confidence
    );
    for r in u.reasons.iter().filter(|r| !r.starts_with("runner-up")) {
        println!("  because {r}");
    }
    if let Some((k, s)) = u.runner_up {
        println!("  runner-up: {} (score {s:.1})", k.id());
    }
    let top: Vec<String> = u
        .scores
        .iter()
        .take(5)
        .map(|(k, s)| format!("{}={s:.1}", k.id()))
        .collect();
    println!("  scores: {}", top.join(", "));
    println!("\nDates ({}):", u.dates.len());
    for d in &u.dates {
        println!(
            "  {} {:<13} «{}» page {} — {}",
            d.date,
            serde_json::to_value(d.role)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            d.text,
            d.page.map(|p| p.to_string()).unwrap_or_else(|| "-".into()),
            d.reason.as_deref().unwrap_or(d.source.as_str())
        );
    }
    let sig = &u.signature;
    println!(
        "\nSignature: {}{}",
        serde_json::to_value(sig.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        match (sig.expected, sig.found) {
            (Some(e), Some(f)) => format!(" — {f} of {e} signature cells"),
            _ => String::new(),
        }
    );
    for e in &sig.evidence {
        println!(
            "  {}: {}{}",
            e.method,
            e.detail,
            e.page.map(|p| format!(" (page {p})")).unwrap_or_default()
        );
    }
    for c in sig.empty_cells.iter().take(30) {
        println!("  cell {} / {}: {}", c.trainee, c.slot, c.state);
    }
    let f = &u.facts;
    if !f.is_empty() {
        println!("\nSession facts:");
        if let Some(t) = &f.title {
            println!("  title: {t}");
        }
        if let Some(c) = &f.client {
            println!("  client: {c}");
        }
        if !f.trainers.is_empty() {
            println!("  trainers: {}", f.trainers.join(", "));
        }
        if !f.trainees.is_empty() {
            println!("  trainees: {}", f.trainees.join(", "));
        }
        if let Some(p) = &f.person {
            println!("  CV of: {p}");
        }
    }
    ExitCode::SUCCESS
}
