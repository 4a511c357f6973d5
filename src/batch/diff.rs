//! Rule-change impact: the same caseload through an old and a new rule set, streamed, to
//! say how many cases change outcome (with a from → to table and example rows for each
//! change) and how many keep their outcome but change a value (an award, a deadline).
//! An error is an outcome too (`error:invalid_input`), so a schema change that starts
//! refusing old cases shows up in the table.

use super::pipeline::{self, Results};
use super::rows::{Format, Row};
use super::{open_rows, BatchError, Options, Progress};
use crate::decision::{Decision, EvalOptions, RulesetRef};
use crate::error::Error;
use crate::money;
use crate::ruleset::{Files, RuleSet};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::io::Read;

/// The whole comparison, as `eligo diff --json` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub old: RulesetRef,
    pub new: RulesetRef,
    pub cases: u64,
    /// Cases whose outcome (or error) differs.
    pub outcome_changed: u64,
    /// Cases with the same outcome but some value different.
    pub value_only_changed: u64,
    pub unchanged: u64,
    /// Every from → to pair seen, changes first, then by count.
    pub transitions: Vec<Transition>,
    /// For value-only changes: how often each value changed.
    pub value_changes: Vec<ValueChange>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Transition {
    pub from: String,
    pub to: String,
    pub changed: bool,
    pub count: u64,
    /// The first rows with this change (none kept for unchanged pairs).
    pub examples: Vec<Example>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Example {
    pub row: u64,
    /// The row's input as read (null when the row was not valid JSON).
    pub input: Value,
}

#[derive(Debug, Clone, Serialize)]
pub struct ValueChange {
    pub value: String,
    pub count: u64,
    pub examples: Vec<ValueExample>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ValueExample {
    pub row: u64,
    pub old: Value,
    pub new: Value,
    pub input: Value,
}

/// One row compared: its labels and, only when something changed, what is kept for examples.
struct RowDiff {
    from: String,
    to: String,
    /// Changed values as (name, old, new), for rows whose outcome stayed the same.
    values: Vec<(String, Value, Value)>,
    input: Option<Value>,
}

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
    let refs = (ruleset_ref(&old_rs), ruleset_ref(&new_rs));
    let (reader, decoder) = open_rows(input, format, &old_rs)?;
    drop((old_rs, new_rs));

    let eval_opts = EvalOptions { as_of: opts.as_of.clone(), trace: false, brief: opts.brief };
    let init = || Ok((load(old.0, old.1)?, load(new.0, new.1)?));
    let work = |pair: &mut (RuleSet, RuleSet), _row: u64, input: Result<Row, Error>| -> RowDiff {
        // Parsed once for both rule sets, and kept for the examples.
        let input = input.and_then(Row::into_value);
        let (a, b) = match &input {
            Ok(v) => (pair.0.evaluate(v, &eval_opts), pair.1.evaluate(v, &eval_opts)),
            Err(e) => (Err(e.clone()), Err(e.clone())),
        };
        let (from, to) = (label(&a), label(&b));
        let values = match (&a, &b) {
            (Ok(da), Ok(db)) if from == to => changed_values(da, db),
            _ => Vec::new(),
        };
        let keep = from != to || !values.is_empty();
        RowDiff { from, to, values, input: if keep { Some(input.unwrap_or(Value::Null)) } else { None } }
    };

    let mut tally = Tally { examples, ..Tally::default() };
    let mut rows = 0u64;
    let sink = |results: Results<RowDiff>, bytes: u64| -> std::io::Result<()> {
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

fn ruleset_ref(rs: &RuleSet) -> RulesetRef {
    RulesetRef { id: rs.id().to_string(), version: rs.manifest.version.clone(), hash: rs.hash.clone() }
}

fn label(r: &Result<Decision, Error>) -> String {
    match r {
        Ok(d) => d.outcome.clone(),
        Err(e) => format!("error:{}", e.code.as_str()),
    }
}

/// Values that differ between two decisions, by name; numbers compare as exact decimals
/// (3000 and 3000.00 are the same amount).
fn changed_values(a: &Decision, b: &Decision) -> Vec<(String, Value, Value)> {
    let mut out = Vec::new();
    let names: std::collections::BTreeSet<&String> = a.values.keys().chain(b.values.keys()).collect();
    for name in names {
        let (x, y) = (a.values.get(name).unwrap_or(&Value::Null), b.values.get(name).unwrap_or(&Value::Null));
        if !same(x, y) {
            out.push((name.clone(), x.clone(), y.clone()));
        }
    }
    out
}

fn same(x: &Value, y: &Value) -> bool {
    match (x, y) {
        (Value::Number(a), Value::Number(b)) => {
            match (money::parse_decimal(&a.to_string()), money::parse_decimal(&b.to_string())) {
                (Some(p), Some(q)) => p == q,
                _ => a == b,
            }
        }
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(p, q)| same(p, q)),
        (Value::Object(a), Value::Object(b)) => same_map(a, b),
        _ => x == y,
    }
}

fn same_map(a: &Map<String, Value>, b: &Map<String, Value>) -> bool {
    a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| same(v, w)))
}

#[derive(Default)]
struct Tally {
    examples: usize,
    cases: u64,
    outcome_changed: u64,
    value_only: u64,
    pairs: BTreeMap<(String, String), (u64, Vec<Example>)>,
    values: BTreeMap<String, (u64, Vec<ValueExample>)>,
}

impl Tally {
    fn add(&mut self, row: u64, d: RowDiff) {
        self.cases += 1;
        let changed = d.from != d.to;
        if changed {
            self.outcome_changed += 1;
        } else if !d.values.is_empty() {
            self.value_only += 1;
        }
        let keep = self.examples;
        let entry = self.pairs.entry((d.from, d.to)).or_default();
        entry.0 += 1;
        if changed && entry.1.len() < keep {
            entry.1.push(Example { row, input: d.input.clone().unwrap_or(Value::Null) });
        }
        for (name, old, new) in d.values {
            let e = self.values.entry(name).or_default();
            e.0 += 1;
            if e.1.len() < keep {
                e.1.push(ValueExample { row, old, new, input: d.input.clone().unwrap_or(Value::Null) });
            }
        }
    }

    fn report(self, old: RulesetRef, new: RulesetRef) -> Report {
        let mut transitions: Vec<Transition> = self
            .pairs
            .into_iter()
            .map(|((from, to), (count, examples))| Transition { changed: from != to, from, to, count, examples })
            .collect();
        transitions.sort_by(|a, b| b.changed.cmp(&a.changed).then(b.count.cmp(&a.count)).then(a.from.cmp(&b.from)));
        let mut value_changes: Vec<ValueChange> =
            self.values.into_iter().map(|(value, (count, examples))| ValueChange { value, count, examples }).collect();
        value_changes.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
        Report {
            old,
            new,
            cases: self.cases,
            outcome_changed: self.outcome_changed,
            value_only_changed: self.value_only,
            unchanged: self.cases - self.outcome_changed - self.value_only,
            transitions,
            value_changes,
        }
    }
}
