//! `eligo diff`: a caseload streamed through an old and a new rule set on every core, each
//! row compared and tallied in input order by [`crate::impact`] (which says what counts as
//! a change, and what the report holds).

use super::pipeline::{self, Results};
use super::rows::{Decoder, Format, Row, RowReader};
use super::{load_versions as load, open_rows, BatchError, Options, Progress};
use crate::decision::EvalOptions;
use crate::error::{Error, ErrorCode};
use crate::impact::{self, CaseDiff, Comparison, Tally};
pub use crate::impact::Report;
use crate::ruleset::{Files, Input, RuleSet};
use crate::versions::Versions;
use std::io::Read;

/// Compare `old` and `new` on every row of `input`, each side one rule set's versions (each
/// a name and its files; usually one): on each side a row is decided by the version in
/// effect on its as-of date, so a new version published with an effective date changes
/// only the cases from that date. `examples` caps the example rows kept per change. CSV
/// input is read by the old side's latest schema. The report names each side's latest
/// version, and lists the versions of a side that has several.
pub fn run<R: Read + Send>(
    old: &[(String, Files)],
    new: &[(String, Files)],
    input: R,
    format: Format,
    opts: &Options,
    examples: usize,
    mut progress: impl FnMut(Progress),
) -> Result<Report, BatchError> {
    let old_vs = load(old).map_err(BatchError::Ruleset)?;
    let new_vs = load(new).map_err(BatchError::Ruleset)?;
    let refs = (impact::ruleset_ref(old_vs.latest()), impact::ruleset_ref(new_vs.latest()));
    let several = |vs: &Versions| if vs.iter().count() > 1 { vs.summaries() } else { Vec::new() };
    let listed = (several(&old_vs), several(&new_vs));
    let (reader, decoder) = open_rows(input, format, old_vs.latest())?;
    drop((old_vs, new_vs));

    let eval_opts = EvalOptions { as_of: opts.as_of.clone(), trace: false, brief: opts.brief };
    let init = || Ok((load(old)?, load(new)?));
    // Parsed once for both sides, and kept for the examples.
    let work = |pair: &mut (Versions, Versions), _row: u64, input: Result<Row, Error>| -> CaseDiff {
        let input = input.and_then(Row::into_value);
        let (a, b) = match &input {
            Ok(v) => (pair.0.for_case(Input::Json(v), &eval_opts), pair.1.for_case(Input::Json(v), &eval_opts)),
            Err(_) => (pair.0.latest(), pair.1.latest()),
        };
        impact::compare_case(a, b, input, &eval_opts)
    };

    let mut tally = Tally::new(examples);
    let mut rows = 0u64;
    let sink = |results: Results<CaseDiff>, bytes: u64| -> std::io::Result<()> {
        for (row, d) in results {
            rows += 1;
            tally.add(row, d);
        }
        progress(Progress { rows, bytes });
        Ok(())
    };
    pipeline::run(reader, &decoder, opts.settings(), init, work, sink)?;
    let mut report = tally.report(refs.0, refs.1);
    (report.old_versions, report.new_versions) = listed;
    Ok(report)
}

/// A caseload held in memory (a file a page has read), compared a chunk of rows at a time
/// so the page can show progress between chunks: its rows read, numbered and decoded as
/// `run` reads them (CSV by the old rule set's schema), on one thread.
pub struct Stepper {
    reader: RowReader<std::io::Cursor<Vec<u8>>>,
    decoder: Decoder,
    comparison: Comparison,
    bytes: u64,
}

impl Stepper {
    /// JSON Lines text may also be one JSON array of inputs: its items are then the rows,
    /// counted from 1. An array that is not valid JSON is an error: its lines are not cases.
    pub fn new(caseload: String, format: Format, old: &RuleSet, comparison: Comparison) -> Result<Stepper, BatchError> {
        let caseload = match format {
            Format::Jsonl if caseload.trim_start().starts_with('[') => array_as_lines(&caseload)?,
            _ => caseload.into_bytes(),
        };
        let bytes = caseload.len() as u64;
        let (reader, decoder) = open_rows(std::io::Cursor::new(caseload), format, old)?;
        Ok(Stepper { reader, decoder, comparison, bytes })
    }

    /// The size of the caseload as read, in bytes (what `step` counts towards).
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Compare up to `max` more rows: how many bytes of the caseload are read so far, or
    /// `None` once every row has been compared.
    pub fn step(&mut self, old: &RuleSet, new: &RuleSet, max: usize) -> Result<Option<u64>, BatchError> {
        step_rows(&mut self.reader, &self.decoder, &mut self.comparison, (old, new), max, 0)
    }

    pub fn report(self, old: &RuleSet, new: &RuleSet) -> Report {
        self.comparison.report(old, new)
    }
}

/// A JSON array of inputs as JSON Lines, one item a line.
fn array_as_lines(text: &str) -> Result<Vec<u8>, BatchError> {
    let items: Vec<serde_json::Value> = serde_json::from_str(text)
        .map_err(|e| BatchError::Input(format!("the cases are not a JSON array of inputs, nor JSON Lines: {e}")))?;
    let mut lines = Vec::with_capacity(text.len());
    for item in items {
        // A parsed value always writes back out.
        let _ = serde_json::to_writer(&mut lines, &item);
        lines.push(b'\n');
    }
    Ok(lines)
}

/// Up to `max` rows of `reader` into the comparison, each row numbered `row_offset` past
/// the reader's own count: the bytes read so far, or `None` at the end.
fn step_rows<R: Read>(
    reader: &mut RowReader<R>,
    decoder: &Decoder,
    comparison: &mut Comparison,
    (old, new): (&RuleSet, &RuleSet),
    max: usize,
    row_offset: u64,
) -> Result<Option<u64>, BatchError> {
    let Some(chunk) = reader.next_chunk(max.max(1)).map_err(BatchError::Read)? else {
        return Ok(None);
    };
    for row in chunk.rows {
        let input = decoder.decode(row.raw).and_then(Row::into_value);
        let case = impact::compare_case(old, new, input, comparison.options());
        comparison.add_case(row_offset + row.number, case);
    }
    Ok(Some(chunk.bytes_end))
}

/// A piece of a caseload as JSON Lines, its first line row `first_row` of the whole: the
/// number of cases compared so far.
pub fn add_lines(comparison: &mut Comparison, old: &RuleSet, new: &RuleSet, lines: &str, first_row: u64) -> u64 {
    let mut reader = RowReader::jsonl(lines.as_bytes());
    // Reading from memory cannot fail, nor can JSON Lines' header (it has none).
    while let Ok(Some(_)) = step_rows(&mut reader, &Decoder::Json, comparison, (old, new), 4096, first_row.saturating_sub(1)) {}
    comparison.cases()
}

/// Every case of a caseload held as text (JSON Lines, or one JSON array of inputs, as
/// [`Stepper`] reads them), through both rule sets.
pub fn compare(old: &RuleSet, new: &RuleSet, cases: &str, opts: &EvalOptions, examples: usize) -> Result<Report, Error> {
    let request = |e: BatchError| Error::new(ErrorCode::InvalidRequest, e.to_string());
    let mut s = Stepper::new(cases.to_string(), Format::Jsonl, old, Comparison::new(opts.clone(), examples)).map_err(request)?;
    while s.step(old, new, 4096).map_err(request)?.is_some() {}
    Ok(s.report(old, new))
}
