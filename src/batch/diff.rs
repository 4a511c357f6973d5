//! `eligo diff`: a caseload streamed through an old and a new rule set on every core, each
//! row compared and tallied in input order by [`crate::impact`] (which says what counts as
//! a change, and what the report holds).

use super::pipeline::{self, Results};
use super::rows::{Format, Row};
use super::{open_rows, BatchError, Options, Progress};
use crate::decision::EvalOptions;
use crate::error::Error;
use crate::impact::{self, CaseDiff, Tally};
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
