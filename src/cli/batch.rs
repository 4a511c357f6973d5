//! `eligo batch`: decide a whole caseload (JSON Lines or CSV) into a JSON Lines file, with
//! a progress bar on a terminal and a summary at the end. Also the pieces `diff` shares:
//! reading a rule-set folder, opening the input, the progress bar.

use super::{EXIT_LOAD, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};
use crate::batch::{self, rows::Format, BatchError, Progress, Summary};
use crate::money::group_thousands;
use crate::engine::rule_dirs;
use crate::ruleset::{read_dir, Files, MANIFEST_FILE};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct Args {
    /// The rule-set folder (e.g. rules/community-grant), or a folder of one rule set's
    /// versions, each case decided by the version in effect on its date.
    ruleset: PathBuf,
    /// The caseload: a .jsonl file (one JSON object per line) or a .csv file with a header
    /// row of field names; - for standard input (then give --format).
    #[arg(long)]
    input: String,
    /// Where to write one decision or error per input row, in input order; - for standard output.
    #[arg(short, long)]
    output: String,
    /// Decide every row as on this date (YYYY-MM-DD) instead of its own date.
    #[arg(long, value_name = "DATE", value_parser = super::as_of_date)]
    as_of: Option<String>,
    #[command(flatten)]
    run: RunArgs,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(a: Args) -> i32 {
    if let Err(code) = super::refuse_output_over_input("batch", &a.input, Path::new(&a.output)) {
        return code;
    }
    let sources = match read_versions(&a.ruleset, "batch") {
        Ok(s) => s,
        Err(code) => return code,
    };
    let (input, format, total) = match open_input(&a.input, a.run.format.as_deref(), "batch") {
        Ok(x) => x,
        Err(code) => return code,
    };
    let to_stdout = a.output == "-";
    let out: Box<dyn Write> = if to_stdout {
        Box::new(io::stdout().lock())
    } else {
        match std::fs::File::create(&a.output) {
            Ok(f) => Box::new(f),
            Err(e) => {
                eprintln!("eligo batch: cannot create {}: {e}", a.output);
                return EXIT_USAGE;
            }
        }
    };
    let mut out = BufWriter::with_capacity(1 << 20, out);
    let opts = batch::Options { as_of: a.as_of.clone(), threads: a.run.threads, brief: a.run.brief, ..batch::Options::default() };
    let threads = opts.settings().threads;
    let bar = progress_bar(total, a.run.quiet);
    let started = Instant::now();
    let result = batch::run_versions(&sources, input, format, &mut out, &opts, |p| bar.update(p));
    bar.finish();
    let summary = match result {
        Ok(s) => s,
        Err(e) => return report_failure(&e, "batch", &a.input),
    };
    let text = if a.json {
        serde_json::to_string_pretty(&summary).unwrap_or_default()
    } else {
        summary_text(&summary, started.elapsed(), threads, &a.output)
    };
    // The summary must not mix into results written to standard output.
    if to_stdout {
        eprintln!("{text}");
    } else {
        println!("{text}");
    }
    if summary.errors > 0 {
        EXIT_PROBLEMS
    } else {
        EXIT_OK
    }
}

/// A rule-set folder's name and files, checked to load; problems go to stderr.
pub(super) fn read_ruleset(dir: &Path, cmd: &str) -> Option<(String, Files)> {
    if !dir.is_dir() {
        eprintln!("eligo {cmd}: {} is not a rule-set folder", dir.display());
        return None;
    }
    if !dir.join(MANIFEST_FILE).is_file() {
        if let Ok(dirs) = rule_dirs(dir) {
            let names: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
            eprintln!("eligo {cmd}: {} holds rule-set folders, not a rule set's files: give one of {}", dir.display(), names.join(", "));
            return None;
        }
    }
    let name = dir.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let loaded = read_dir(dir).and_then(|files| crate::RuleSet::from_files(&name, files.clone()).map(|_| files));
    match loaded {
        Ok(files) => Some((name, files)),
        Err(e) => {
            eprintln!("eligo {cmd}: {} does not load: {e}", dir.display());
            None
        }
    }
}

/// A rule-set folder, or a folder of one rule set's versions (`rules/<id>/<version>/`):
/// each version's name and files, checked to load together; problems go to stderr.
pub(super) fn read_versions(dir: &Path, cmd: &str) -> Result<Vec<(String, Files)>, i32> {
    if !dir.is_dir() || dir.join(MANIFEST_FILE).is_file() {
        return read_ruleset(dir, cmd).map(|one| vec![one]).ok_or(EXIT_LOAD);
    }
    let engine = super::eval::load_versions(dir, &format!("eligo {cmd}"), super::eval::ErrorOut::StderrOnly)?;
    Ok(engine.iter().map(|rs| (rs.manifest.version.clone(), rs.files().clone())).collect())
}

/// The input stream, its format, and its size in bytes when known (for the progress bar).
/// An opened caseload: the stream, its format, and its size when known.
pub(super) type Opened = (Box<dyn Read + Send>, Format, Option<u64>);

pub(super) fn open_input(path: &str, format: Option<&str>, cmd: &str) -> Result<Opened, i32> {
    let format = match format.and_then(Format::parse).or_else(|| Format::from_path(Path::new(path))) {
        Some(f) => f,
        None => {
            eprintln!("eligo {cmd}: cannot tell the format of {path}: name it .jsonl or .csv, or give --format");
            return Err(EXIT_USAGE);
        }
    };
    if path == "-" {
        return Ok((Box::new(io::stdin()), format, None));
    }
    match std::fs::File::open(path) {
        Ok(f) => {
            let size = f.metadata().ok().map(|m| m.len());
            Ok((Box::new(f), format, size))
        }
        Err(e) => {
            eprintln!("eligo {cmd}: cannot read {path}: {e}");
            Err(EXIT_USAGE)
        }
    }
}

/// A run's failure on stderr; a caseload that cannot be read names its file.
pub(super) fn report_failure(e: &BatchError, cmd: &str, input: &str) -> i32 {
    match e {
        BatchError::Input(m) if input == "-" => eprintln!("eligo {cmd}: standard input: {m}"),
        BatchError::Input(m) => eprintln!("eligo {cmd}: {input}: {m}"),
        _ => eprintln!("eligo {cmd}: {e}"),
    }
    match e {
        BatchError::Ruleset(_) => EXIT_LOAD,
        BatchError::Input(_) | BatchError::Read(_) | BatchError::Write(_) => EXIT_USAGE,
    }
}

/// A progress bar over the input's bytes (so the ETA is real) with rows and rows/s;
/// hidden when stderr is not a terminal or with --quiet.
pub(super) struct Bar {
    bar: ProgressBar,
    started: Instant,
}

pub(super) fn progress_bar(total: Option<u64>, quiet: bool) -> Bar {
    let bar = match total {
        Some(n) => ProgressBar::new(n),
        None => ProgressBar::new_spinner(),
    };
    if quiet || !io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    } else {
        let template = if total.is_some() {
            "{elapsed_precise} [{wide_bar}] {percent:>3}% {msg}, eta {eta}"
        } else {
            "{spinner} {elapsed_precise} {msg}"
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.enable_steady_tick(Duration::from_millis(200));
    }
    Bar { bar, started: Instant::now() }
}

impl Bar {
    pub(super) fn update(&self, p: Progress) {
        self.bar.set_position(p.bytes);
        let secs = self.started.elapsed().as_secs_f64();
        let rate = if secs > 0.0 { (p.rows as f64 / secs) as u64 } else { 0 };
        self.bar.set_message(format!("{} rows, {} rows/s", thousands(p.rows), thousands(rate)));
    }

    pub(super) fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

pub(super) fn thousands(n: u64) -> String {
    group_thousands(&n.to_string())
}

fn summary_text(s: &Summary, took: Duration, threads: usize, output: &str) -> String {
    let secs = took.as_secs_f64();
    let rate = if secs > 0.0 { (s.rows as f64 / secs) as u64 } else { 0 };
    let mut t = format!(
        "{}: {} row{} in {:.1} s ({} rows/s, {} thread{}) -> {}\n",
        s.ruleset,
        thousands(s.rows),
        if s.rows == 1 { "" } else { "s" },
        secs,
        thousands(rate),
        threads,
        if threads == 1 { "" } else { "s" },
        if output == "-" { "standard output" } else { output }
    );
    let width = s.outcomes.iter().map(|o| o.outcome.len()).max().unwrap_or(0).max(6);
    for o in &s.outcomes {
        t.push_str(&format!("  {:<width$}  {:>12}\n", o.outcome, thousands(o.count)));
    }
    t.push_str(&format!("  {:<width$}  {:>12}", "errors", thousands(s.errors)));
    if s.errors > 0 {
        let codes: Vec<String> = s.errors_by_code.iter().map(|(c, n)| format!("{c} {}", thousands(*n))).collect();
        let rows: Vec<String> = s.first_error_rows.iter().map(u64::to_string).collect();
        let noun = if rows.len() == 1 { "row" } else { "rows" };
        t.push_str(&format!("  ({}; first at {noun} {})", codes.join(", "), rows.join(", ")));
    }
    t
}

/// How a caseload is read and run: shared by `batch` and `diff`.
#[derive(clap::Args)]
pub struct RunArgs {
    /// The input format when the file name does not say it.
    #[arg(long, value_parser = ["jsonl", "csv"])]
    pub format: Option<String>,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,
    /// Brief decisions: outcome, values and which rules passed, without the reasons'
    /// wording. Faster (19-40% less work for the seed rule sets); a script error that lies
    /// only in a reason's wording is then not met.
    #[arg(long)]
    pub brief: bool,
}
