//! `eligo diff`: a caseload streamed through an old and a new rule set on every core, each
//! row compared and tallied in input order by [`crate::impact`] (which says what counts as
//! a change, and what the report holds).

use super::pipeline::{self, Results};
use super::rows::{Decoder, Format, Row, RowReader};
use super::{open_rows, BatchError, Options, Progress};
use crate::decision::EvalOptions;
use crate::error::Error;
use crate::impact::{self, CaseDiff, Comparison, Tally};
pub use crate::impact::Report;
use crate::ruleset::{Files, RuleSet};
use std::io::Read;

/// Load a rule set by name and files, or say which side failed.
fn load(name: &str, files: &Files) -> Result<RuleSet, Error> {
    RuleSet::from_files(name, files.clone())
}

/// Compare `old` and `new` (each a rule-set name and its files) on every row of `input`.
/// `examples` caps the example rows kept per change. CSV input is read by the old rule
/// set's schema.
pub fn run<R: Read + Send>(
    old: (&str, &Files),
    new: (&str, &Files),
    input: R,
    format: Format,
    opts: &Options,
    examples: usize,
    mut progress: impl FnMut(Progress),
) -> Result<Report, BatchError> {
    let old_rs = load(old.0, old.1).map_err(BatchError::Ruleset)?;
    let new_rs = load(new.0, new.1).map_err(BatchError::Ruleset)?;
    let refs = (impact::ruleset_ref(&old_rs), impact::ruleset_ref(&new_rs));
    let (reader, decoder) = open_rows(input, format, &old_rs)?;
    drop((old_rs, new_rs));

    let eval_opts = EvalOptions { as_of: opts.as_of.clone(), trace: false, brief: opts.brief };
    let init = || Ok((load(old.0, old.1)?, load(new.0, new.1)?));
    // Parsed once for both rule sets, and kept for the examples.
    let work = |pair: &mut (RuleSet, RuleSet), _row: u64, input: Result<Row, Error>| -> CaseDiff {
        impact::compare_case(&pair.0, &pair.1, input.and_then(Row::into_value), &eval_opts)
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
    Ok(tally.report(refs.0, refs.1))
}

/// A caseload held in memory (a file a page has read), compared a chunk of rows at a time
/// so the page can show progress between chunks: its rows read, numbered and decoded as
/// `run` reads them (CSV by the old rule set's schema), one thread.
pub struct Stepper {
    reader: RowReader<std::io::Cursor<Vec<u8>>>,
    decoder: Decoder,
    comparison: Comparison,
}

impl Stepper {
    pub fn new(caseload: Vec<u8>, format: Format, old: &RuleSet, comparison: Comparison) -> Result<Stepper, BatchError> {
        let (reader, decoder) = open_rows(std::io::Cursor::new(caseload), format, old)?;
        Ok(Stepper { reader, decoder, comparison })
    }

    /// Compare up to `max` more rows: how many bytes of the caseload are read so far, or
    /// `None` once every row has been compared.
    pub fn step(&mut self, old: &RuleSet, new: &RuleSet, max: usize) -> Result<Option<u64>, BatchError> {
        let Some(chunk) = self.reader.next_chunk(max.max(1)).map_err(BatchError::Read)? else {
            return Ok(None);
        };
        for row in chunk.rows {
            let input = self.decoder.decode(row.raw).and_then(Row::into_value);
            self.comparison.add_case(row.number, impact::compare_case(old, new, input, self.comparison.options()));
        }
        Ok(Some(chunk.bytes_end))
    }

    pub fn report(self, old: &RuleSet, new: &RuleSet) -> Report {
        self.comparison.report(old, new)
    }
}
