//! Batch re-screening: a whole caseload through one rule set, streamed.
//!
//! Rows are read a chunk at a time, decided in parallel, and written in input order, one
//! line each: the decision with its row number in front (`{"row":3,"ruleset":...}`), or
//! `{"row":17,"error":{...}}`. A bad row (invalid JSON, invalid input, a CSV cell that is
//! not a number) is reported on its line and the run goes on. Memory stays flat: only a
//! few chunks are ever held at once (see [`pipeline`]).

pub mod diff;
pub mod pipeline;
pub mod rows;

use crate::decision::EvalOptions;
use crate::error::Error;
use crate::ruleset::{Files, RuleSet};
use crate::versions::Versions;
use pipeline::Settings;
use rows::{Decoder, Format, Row, RowReader};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, Read, Write};

/// Rows per chunk: large enough that handing chunks between threads costs little next to
/// deciding them, small enough that a few chunks in flight stay a few megabytes.
pub const DEFAULT_CHUNK_ROWS: usize = 512;

#[derive(Debug, Clone)]
pub struct Options {
    /// Decide every row as on this date instead of each row's own as-of date.
    pub as_of: Option<String>,
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    pub chunk_rows: usize,
    /// Brief decisions (`EvalOptions::brief`).
    pub brief: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { as_of: None, threads: 0, chunk_rows: DEFAULT_CHUNK_ROWS, brief: false }
    }
}

impl Options {
    pub(crate) fn settings(&self) -> Settings {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        Settings { threads: if self.threads == 0 { cores } else { self.threads }, chunk_rows: self.chunk_rows }
    }
}

/// Why a run stopped before the end. Bad rows never stop a run; these do.
#[derive(Debug)]
pub enum BatchError {
    /// The rule set does not load.
    Ruleset(Error),
    /// The input as a whole cannot be read as a caseload (a CSV header naming no field).
    Input(String),
    Read(io::Error),
    Write(io::Error),
}

impl fmt::Display for BatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BatchError::Ruleset(e) => write!(f, "{e}"),
            BatchError::Input(m) => write!(f, "{m}"),
            BatchError::Read(e) => write!(f, "cannot read the input: {e}"),
            BatchError::Write(e) => write!(f, "cannot write the results: {e}"),
        }
    }
}

impl std::error::Error for BatchError {}

/// How far a run has got, for a progress bar.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    pub rows: u64,
    pub bytes: u64,
}

/// What a run decided: rows by outcome (in the manifest's order) and errors by code.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub ruleset: String,
    pub rows: u64,
    pub decided: u64,
    pub outcomes: Vec<OutcomeCount>,
    pub errors: u64,
    pub errors_by_code: BTreeMap<String, u64>,
    /// The first few rows that were errors, to look at first.
    pub first_error_rows: Vec<u64>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct OutcomeCount {
    pub outcome: String,
    pub count: u64,
}

const FIRST_ERRORS_KEPT: usize = 10;

impl Summary {
    pub fn count(&self, outcome: &str) -> u64 {
        self.outcomes.iter().find(|o| o.outcome == outcome).map_or(0, |o| o.count)
    }
}

/// What one row came to, for the summary.
enum Tally {
    Outcome(usize),
    Error(&'static str),
}

/// A reader and decoder for `format`; CSV headers are checked against the rule set's schema.
pub fn open_rows<R: Read>(input: R, format: Format, rs: &RuleSet) -> Result<(RowReader<R>, Decoder), BatchError> {
    match format {
        Format::Jsonl => Ok((RowReader::jsonl(input), Decoder::Json)),
        Format::Csv => RowReader::csv(input, &rs.manifest.input).map_err(BatchError::Input),
    }
}

/// Decide every row of `input` with the rule set in `files`, writing one line per row to
/// `output` in input order. `progress` is called after each chunk is written.
pub fn run<R: Read + Send, W: Write>(
    name: &str,
    files: &Files,
    input: R,
    format: Format,
    output: &mut W,
    opts: &Options,
    progress: impl FnMut(Progress),
) -> Result<Summary, BatchError> {
    run_versions(&[(name.to_string(), files.clone())], input, format, output, opts, progress)
}

/// One rule set's versions, each a name and its files (usually one), loaded together: what
/// `batch`, `diff` and `generate` are given.
pub fn load_versions(sources: &[(String, Files)]) -> Result<Versions, Error> {
    Versions::new(sources.iter().map(|(name, files)| RuleSet::from_files(name, files.clone())).collect::<Result<_, _>>()?)
}

/// [`run`] with versions of one rule set (each source a name and its files): each row is
/// decided by the version in effect on its as-of date (see [`crate::versions`]). CSV is
/// read by the latest version's schema; the summary counts every version's outcomes.
pub fn run_versions<R: Read + Send, W: Write>(
    sources: &[(String, Files)],
    input: R,
    format: Format,
    output: &mut W,
    opts: &Options,
    mut progress: impl FnMut(Progress),
) -> Result<Summary, BatchError> {
    let load = || load_versions(sources);
    let versions = load().map_err(BatchError::Ruleset)?;
    let latest = versions.latest();
    let mut outcomes: Vec<String> = Vec::new();
    for rs in std::iter::once(latest).chain(versions.iter()) {
        for o in &rs.manifest.outcomes {
            if !outcomes.contains(&o.id) {
                outcomes.push(o.id.clone());
            }
        }
    }
    let (reader, decoder) = open_rows(input, format, latest)?;
    let eval_opts = EvalOptions { as_of: opts.as_of.clone(), trace: false, brief: opts.brief };
    let mut summary = Summary {
        ruleset: latest.id().to_string(),
        outcomes: outcomes.iter().map(|o| OutcomeCount { outcome: o.clone(), count: 0 }).collect(),
        ..Summary::default()
    };
    drop(versions);

    // Each worker loads its own (a rule set's script values are not shared between threads).
    let init = load;
    let work = |versions: &mut Versions, row: u64, input: Result<Row, Error>| -> (String, Tally) {
        match input.and_then(|row| versions.for_case(row.input(), &eval_opts).evaluate_to_json(row.input(), &eval_opts)) {
            Ok(d) => {
                let at = outcomes.iter().position(|o| *o == d.outcome).unwrap_or(0);
                (with_row(row, &d.json), Tally::Outcome(at))
            }
            Err(e) => (with_row(row, &e.to_json()), Tally::Error(e.code.as_str())),
        }
    };
    let sink = |results: pipeline::Results<(String, Tally)>, bytes: u64| -> io::Result<()> {
        for (row, (line, tally)) in results {
            output.write_all(line.as_bytes())?;
            output.write_all(b"\n")?;
            summary.rows += 1;
            match tally {
                Tally::Outcome(i) => {
                    summary.decided += 1;
                    if let Some(o) = summary.outcomes.get_mut(i) {
                        o.count += 1;
                    }
                }
                Tally::Error(code) => {
                    summary.errors += 1;
                    *summary.errors_by_code.entry(code.to_string()).or_default() += 1;
                    if summary.first_error_rows.len() < FIRST_ERRORS_KEPT {
                        summary.first_error_rows.push(row);
                    }
                }
            }
        }
        progress(Progress { rows: summary.rows, bytes });
        Ok(())
    };
    pipeline::run(reader, &decoder, opts.settings(), init, work, sink)?;
    output.flush().map_err(BatchError::Write)?;
    Ok(summary)
}

/// `{"row":N,` in front of a JSON object's fields.
fn with_row(row: u64, object_json: &str) -> String {
    let rest = object_json.strip_prefix('{').unwrap_or(object_json);
    let mut line = String::with_capacity(object_json.len() + 16);
    line.push_str("{\"row\":");
    line.push_str(&row.to_string());
    if rest != "}" {
        line.push(',');
    }
    line.push_str(rest);
    line
}
