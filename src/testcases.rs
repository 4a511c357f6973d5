//! Rule-set test cases: data beside the rules (`tests/*.toml`), the rule set's
//! specification. One runner checks them natively, in the CLI and through wasm, and
//! reports rule coverage: which rules no case ever exercised.

use crate::decision::{Decision, EvalOptions};
use crate::error::Error;
use crate::money;
use crate::ruleset::RuleSet;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TestFile {
    #[serde(rename = "case", default)]
    cases: Vec<TestCase>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestCase {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "crate::value::de_opt_date_text", skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    pub input: Value,
    pub expect: Expect,
    /// The file the case came from.
    #[serde(default, skip_deserializing)]
    pub file: String,
}

/// What a case expects. Everything is optional; what is given must hold.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// Named values that must equal these (numbers compared exactly as decimals).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub values: Map<String, Value>,
    /// For list values: each listed item must match some item (objects match on the keys given).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub includes: Map<String, Value>,
    /// For list values: no item may match any of these.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub excludes: Map<String, Value>,
    /// Rule ids that must have passed / failed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub passed: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failed: Vec<String>,
    /// An error code (`invalid_input`, ...) instead of a decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// For `invalid_input`: field paths that must be among the issues.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub error_paths: Vec<String>,
}

/// Read one test file (`tests/*.toml`), from its text or a bundle's parsed form.
pub fn read(reader: crate::rulefile::Reader, file: &str, text: &str) -> Result<Vec<TestCase>, crate::rulefile::ReadError> {
    let parsed: TestFile = reader.read(file, text)?;
    Ok(parsed
        .cases
        .into_iter()
        .map(|mut c| {
            crate::value::fix_toml_dates(&mut c.input);
            c.file = file.to_string();
            c
        })
        .collect())
}

/// What a file's cases expect that the rule set cannot give, found at load rather than as a
/// failing case with a misleading reason ("should have passed (it was not evaluated)" for a
/// misspelt rule id): rules and outcomes it does not have, error codes that do not exist, and
/// a case name used twice in one file. Each at its case's name in `text`, with did-you-mean.
#[cfg(feature = "toml-files")]
pub(crate) fn lint(cases: &[TestCase], text: &str, rules: &[String], outcomes: &[String]) -> Vec<(usize, usize, String)> {
    use crate::script_lints::similar_name;
    let codes = crate::error::ErrorCode::ALL.map(crate::error::ErrorCode::as_str);
    let hint = |name: &str, among: &mut dyn Iterator<Item = &str>| {
        similar_name(name, among).map(|s| format!("; did you mean {s:?}?")).unwrap_or_default()
    };
    let mut found = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    let mut from = 0;
    for case in cases {
        // The case's name where it is written, after the previous case's.
        let quoted = serde_json::to_string(&case.name).unwrap_or_default();
        // Written otherwise ('…', escapes): unplaced (0, 0), and the search stays where it was.
        let (line, column) = match text.get(from..).and_then(|t| t.find(&quoted)) {
            Some(i) => {
                from += i + quoted.len();
                crate::error::line_col(text, from - quoted.len())
            }
            None => (0, 0),
        };
        let mut problem = |m: String| found.push((line, column, format!("case {:?}: {m}", case.name)));
        if seen.contains(&case.name.as_str()) {
            problem("another case in this file has the same name: give each its own, so a failure says which".into());
        }
        seen.push(&case.name);
        let e = &case.expect;
        if let Some(o) = &e.outcome {
            if !outcomes.contains(o) {
                let h = hint(o, &mut outcomes.iter().map(String::as_str));
                problem(format!("expects outcome {o:?}, which is not one of the rule set's ({}){h}", outcomes.join(", ")));
            }
        }
        for (key, ids) in [("passed", &e.passed), ("failed", &e.failed)] {
            for id in ids.iter().filter(|id| !rules.contains(id)) {
                let h = hint(id, &mut rules.iter().map(String::as_str));
                problem(format!("{key} names rule {id:?}, which rules.rhai does not have{h}"));
            }
        }
        if let Some(code) = e.error.as_deref().filter(|c| !codes.contains(c)) {
            let h = hint(code, &mut codes.iter().copied());
            problem(format!("expects error {code:?}, which is not an error code ({}){h}", codes.join(", ")));
        }
    }
    found
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseResult {
    pub name: String,
    pub file: String,
    pub passed: bool,
    pub problems: Vec<String>,
    /// The decision or error as JSON, for display and for comparing hosts.
    pub output: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub ruleset: String,
    /// The version whose cases these are (`ruleset.toml`'s `version`).
    pub version: String,
    pub cases: Vec<CaseResult>,
    /// Per rule: how many cases it passed and failed in.
    pub coverage: BTreeMap<String, RuleCount>,
    pub never_fired: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct RuleCount {
    pub passed: usize,
    pub failed: usize,
}

impl Report {
    pub fn passed(&self) -> usize {
        self.cases.iter().filter(|c| c.passed).count()
    }
    pub fn failed(&self) -> usize {
        self.cases.len() - self.passed()
    }
}

/// Run every case of a rule set.
pub fn run(rs: &RuleSet) -> Report {
    let mut coverage: BTreeMap<String, RuleCount> = rs.rules.iter().map(|r| (r.clone(), RuleCount::default())).collect();
    let mut cases = Vec::new();
    for case in &rs.tests {
        let opts = EvalOptions { as_of: case.as_of.clone(), ..EvalOptions::default() };
        let result = rs.evaluate(&case.input, &opts);
        if let Ok(d) = &result {
            for r in &d.reasons {
                let c = coverage.entry(r.rule.clone()).or_default();
                if r.passed {
                    c.passed += 1;
                } else {
                    c.failed += 1;
                }
            }
        }
        let problems = check(&case.expect, &result);
        let output = match &result {
            Ok(d) => d.to_json(),
            Err(e) => e.to_json(),
        };
        cases.push(CaseResult { name: case.name.clone(), file: case.file.clone(), passed: problems.is_empty(), problems, output });
    }
    let never_fired = coverage.iter().filter(|(_, c)| c.passed + c.failed == 0).map(|(r, _)| r.clone()).collect();
    Report { ruleset: rs.id().to_string(), version: rs.manifest.version.clone(), cases, coverage, never_fired }
}

/// The inputs of a rule set's test cases that reach a decision, each with its as-of date
/// (untraced): realistic cases to time or count evaluations over (benches/engine.rs,
/// examples/evaluate_many.rs).
pub fn deciding_inputs(rs: &RuleSet) -> Vec<(Value, EvalOptions)> {
    rs.tests
        .iter()
        .map(|t| (t.input.clone(), EvalOptions { as_of: t.as_of.clone(), ..EvalOptions::default() }))
        .filter(|(input, o)| rs.evaluate(input, o).is_ok())
        .collect()
}

/// Every way `result` falls short of `expect`, in plain words.
pub fn check(expect: &Expect, result: &Result<Decision, Error>) -> Vec<String> {
    let mut problems = Vec::new();
    let d = match (result, &expect.error) {
        (Err(e), Some(code)) => {
            if e.code.as_str() != code {
                problems.push(format!("error {}, expected {code}", e.code.as_str()));
            }
            for p in &expect.error_paths {
                if !e.issues.iter().any(|i| &i.path == p) {
                    let got: Vec<&str> = e.issues.iter().map(|i| i.path.as_str()).collect();
                    problems.push(format!("no error at {p} (errors at: {})", got.join(", ")));
                }
            }
            return problems;
        }
        (Err(e), None) => {
            problems.push(format!("expected a decision, got an error: {e}"));
            return problems;
        }
        (Ok(d), Some(code)) => {
            problems.push(format!("expected error {code}, got outcome {}", d.outcome));
            return problems;
        }
        (Ok(d), None) => d,
    };
    if let Some(o) = &expect.outcome {
        if &d.outcome != o {
            problems.push(format!("outcome {}, expected {o}", d.outcome));
        }
    }
    for (k, want) in &expect.values {
        match d.values.get(k) {
            None => problems.push(format!("value {k} missing")),
            Some(got) if !same(want, got) => problems.push(format!("value {k} = {got}, expected {want}")),
            _ => {}
        }
    }
    for (k, wanted) in &expect.includes {
        let items = d.values.get(k).and_then(Value::as_array);
        for w in wanted.as_array().map(|a| a.as_slice()).unwrap_or(std::slice::from_ref(wanted)) {
            if !items.is_some_and(|items| items.iter().any(|g| matches(w, g))) {
                problems.push(format!("{k} has no item matching {w}"));
            }
        }
    }
    for (k, unwanted) in &expect.excludes {
        let items = d.values.get(k).and_then(Value::as_array);
        for w in unwanted.as_array().map(|a| a.as_slice()).unwrap_or(std::slice::from_ref(unwanted)) {
            if items.is_some_and(|items| items.iter().any(|g| matches(w, g))) {
                problems.push(format!("{k} should have no item matching {w}"));
            }
        }
    }
    let result_of = |id: &str| d.reasons.iter().find(|r| r.rule == id).map(|r| r.passed);
    for id in &expect.passed {
        if result_of(id) != Some(true) {
            problems.push(format!("rule {id} should have passed ({})", describe_rule(result_of(id))));
        }
    }
    for id in &expect.failed {
        if result_of(id) != Some(false) {
            problems.push(format!("rule {id} should have failed ({})", describe_rule(result_of(id))));
        }
    }
    problems
}

fn describe_rule(r: Option<bool>) -> &'static str {
    match r {
        Some(true) => "it passed",
        Some(false) => "it failed",
        None => "it was not evaluated",
    }
}

fn number(v: &Value) -> Option<rust_decimal::Decimal> {
    match v {
        Value::Number(n) => money::parse_decimal(&n.to_string()),
        _ => None,
    }
}

/// Equal, with numbers compared as exact decimals and lists of scalars in any order.
pub fn same(want: &Value, got: &Value) -> bool {
    if let (Some(a), Some(b)) = (number(want), number(got)) {
        return a == b;
    }
    match (want, got) {
        (Value::Array(a), Value::Array(b)) if a.iter().all(|x| !x.is_object() && !x.is_array()) => {
            let mut a: Vec<String> = a.iter().map(scalar_key).collect();
            let mut b: Vec<String> = b.iter().map(scalar_key).collect();
            a.sort();
            b.sort();
            a == b
        }
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y)),
        (Value::Object(a), Value::Object(b)) => a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|g| same(v, g))),
        _ => want == got,
    }
}

fn scalar_key(v: &Value) -> String {
    match number(v) {
        Some(d) => d.normalize().to_string(),
        None => v.to_string(),
    }
}

/// `want` matches `got` when every key `want` gives matches (objects), or they are the same.
fn matches(want: &Value, got: &Value) -> bool {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => w.iter().all(|(k, v)| g.get(k).is_some_and(|x| matches(v, x))),
        _ => same(want, got),
    }
}
