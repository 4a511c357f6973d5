//! Rule-change impact: the same cases through an old and a new rule set, tallied into a
//! report of how many change outcome (a from → to table with example cases for each
//! change) and how many keep their outcome but change a value (an award, a deadline). An
//! error is an outcome too (`error:invalid_input`), so a schema change that starts refusing
//! old cases shows up in the table.
//!
//! One comparison for every host: `eligo diff` streams a caseload through it on every
//! core, and the playground runs the cases it holds through it in the page (the authoring
//! module's `compareWith` and `Comparison`), each reading rows with `batch::rows`, so both
//! number and count them the same way.

use crate::decision::{Decision, EvalOptions, RulesetRef};
use crate::error::Error;
use crate::money;
use crate::ruleset::RuleSet;
use crate::versions::VersionSummary;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

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
    /// A side given as several versions (`eligo diff` on a folder of versions): each, its
    /// cases decided by the one in effect on their dates. `old` and `new` name the latest.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub old_versions: Vec<VersionSummary>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub new_versions: Vec<VersionSummary>,
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

/// One case compared: its labels and, only when something changed, what is kept for examples.
pub struct CaseDiff {
    from: String,
    to: String,
    /// Changed values as (name, old, new), for cases whose outcome stayed the same.
    values: Vec<(String, Value, Value)>,
    input: Option<Value>,
}

/// Decide one case (its input as read, or why it could not be read) by both rule sets.
pub fn compare_case(old: &RuleSet, new: &RuleSet, input: Result<Value, Error>, opts: &EvalOptions) -> CaseDiff {
    let (a, b) = match &input {
        Ok(v) => (old.evaluate(v, opts), new.evaluate(v, opts)),
        Err(e) => (Err(e.clone()), Err(e.clone())),
    };
    let (from, to) = (label(&a), label(&b));
    let values = match (&a, &b) {
        (Ok(da), Ok(db)) if from == to => changed_values(da, db),
        _ => Vec::new(),
    };
    let keep = from != to || !values.is_empty();
    CaseDiff { from, to, values, input: if keep { Some(input.unwrap_or(Value::Null)) } else { None } }
}

/// A comparison fed its cases in row order, a piece at a time where the caller wants (the
/// playground shows its progress between pieces). `batch::diff` reads caseloads into it.
pub struct Comparison {
    tally: Tally,
    opts: EvalOptions,
}

impl Comparison {
    pub fn new(opts: EvalOptions, examples: usize) -> Comparison {
        Comparison { tally: Tally::new(examples), opts }
    }

    /// Count one case already compared (its row numbered by the caller).
    pub fn add_case(&mut self, row: u64, case: CaseDiff) {
        self.tally.add(row, case);
    }

    pub fn options(&self) -> &EvalOptions {
        &self.opts
    }

    /// How many cases are counted so far.
    pub fn cases(&self) -> u64 {
        self.tally.cases
    }

    pub fn report(self, old: &RuleSet, new: &RuleSet) -> Report {
        self.tally.report(ruleset_ref(old), ruleset_ref(new))
    }
}

pub fn ruleset_ref(rs: &RuleSet) -> RulesetRef {
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

/// The running count of compared cases, taken in row order.
#[derive(Default)]
pub struct Tally {
    examples: usize,
    cases: u64,
    outcome_changed: u64,
    value_only: u64,
    pairs: BTreeMap<(String, String), (u64, Vec<Example>)>,
    values: BTreeMap<String, (u64, Vec<ValueExample>)>,
}

impl Tally {
    /// A tally keeping up to `examples` example rows per change.
    pub fn new(examples: usize) -> Tally {
        Tally { examples, ..Tally::default() }
    }

    pub fn add(&mut self, row: u64, d: CaseDiff) {
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

    pub fn report(self, old: RulesetRef, new: RulesetRef) -> Report {
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
            old_versions: Vec::new(),
            new_versions: Vec::new(),
        }
    }
}
