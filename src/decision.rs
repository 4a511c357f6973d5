//! The decision: the one output shape every host sees, natively as JSON and in JS as a
//! plain object. Field order is fixed so the same decision is the same bytes everywhere.

use crate::value;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// How to evaluate: an as-of date overriding the input's, whether to record a trace, and
/// whether the decision may be brief. In options JSON, an option that is `null` is not given,
/// for each of them alike (the JS API's rule for its optional arguments).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvalOptions {
    #[serde(default, rename = "asOf", alias = "as_of", skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    #[serde(default, deserialize_with = "null_is_false")]
    pub trace: bool,
    /// A brief decision: outcome, values and which rules passed, with no reason worded
    /// (each reason's `message` is left out), for callers that tally or compare outcomes.
    /// Wording is a large part of a decision's work (two fifths of community-grant's), so this
    /// is faster; a script error that lies only in a reason's wording is not met. Not with
    /// `trace`, which records wording.
    #[serde(default, skip_serializing_if = "std::ops::Not::not", deserialize_with = "null_is_false")]
    pub brief: bool,
}

/// An option that is `null` is not given.
fn null_is_false<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(Option::<bool>::deserialize(d)?.unwrap_or(false))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulesetRef {
    pub id: String,
    pub version: String,
    /// `sha256:<hex>` over the rule set's files: which exact rules decided.
    pub hash: String,
}

/// `RulesetRef` borrowed from the rule set, to write a decision's text without copying it.
pub(crate) struct RulesetRefView<'a> {
    pub id: &'a str,
    pub version: &'a str,
    pub hash: &'a str,
}

/// A decision as JSON text (`RuleSet::evaluate_to_json`), with its outcome for tallies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionJson {
    pub outcome: String,
    pub json: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub ruleset: RulesetRef,
    pub as_of: String,
    pub outcome: String,
    pub values: Map<String, Value>,
    pub reasons: Vec<Reason>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<Vec<TraceEntry>>,
    /// The engine that decided, so the decision can be reproduced later.
    pub engine: String,
}

impl Decision {
    /// The decision as JSON text, laid out as its `Serialize` does (tests/decision_json.rs
    /// checks the two agree), by the writer that writes evaluations straight to text.
    pub fn to_json(&self) -> String {
        let r = &self.ruleset;
        let ruleset = RulesetRefView { id: &r.id, version: &r.version, hash: &r.hash };
        let mut values = |out: &mut Vec<u8>| {
            value::write_serialized(out, &self.values);
            Ok(())
        };
        let mut reasons = self.reasons.iter().map(|r| (r.rule.as_str(), r.passed, r.message.as_deref()));
        write_json(&ruleset, &self.as_of, &self.outcome, &mut values, &mut reasons, self.trace.as_deref(), &self.engine).unwrap_or_default()
    }
}

/// A decision's JSON text, field by field in `Decision`'s order; `values` writes the
/// values object (members in name order), or fails with a message; `reasons` gives each
/// rule, whether it passed and its message. (`dyn`, so both
/// writers share one copy of this in the wasm module.)
pub(crate) fn write_json(
    ruleset: &RulesetRefView,
    as_of: &str,
    outcome: &str,
    values: &mut dyn FnMut(&mut Vec<u8>) -> Result<(), String>,
    reasons: &mut dyn Iterator<Item = (&str, bool, Option<&str>)>,
    trace: Option<&[TraceEntry]>,
    engine: &str,
) -> Result<String, String> {
    let mut out = Vec::with_capacity(2048);
    out.extend_from_slice(b"{\"ruleset\":{\"id\":");
    value::write_str(&mut out, ruleset.id);
    out.extend_from_slice(b",\"version\":");
    value::write_str(&mut out, ruleset.version);
    out.extend_from_slice(b",\"hash\":");
    value::write_str(&mut out, ruleset.hash);
    out.extend_from_slice(b"},\"as_of\":");
    value::write_str(&mut out, as_of);
    out.extend_from_slice(b",\"outcome\":");
    value::write_str(&mut out, outcome);
    out.extend_from_slice(b",\"values\":");
    values(&mut out)?;
    out.extend_from_slice(b",\"reasons\":[");
    for (i, (rule, passed, message)) in reasons.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"rule\":");
        value::write_str(&mut out, rule);
        out.extend_from_slice(if passed { b",\"passed\":true" } else { b",\"passed\":false" });
        if let Some(message) = message {
            out.extend_from_slice(b",\"message\":");
            value::write_str(&mut out, message);
        }
        out.push(b'}');
    }
    out.push(b']');
    if let Some(trace) = trace {
        out.extend_from_slice(b",\"trace\":");
        value::write_serialized(&mut out, trace);
    }
    out.extend_from_slice(b",\"engine\":");
    value::write_str(&mut out, engine);
    out.push(b'}');
    // Only whole strings (UTF-8) and ASCII were written.
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// One rule's result in plain English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub rule: String,
    pub passed: bool,
    /// Left out of a brief decision (`EvalOptions::brief`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// One step of an evaluation, in order: rules with the values they used, parameter
/// lookups with the date the value took effect, values set, and the outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TraceEntry {
    Rule {
        rule: String,
        passed: bool,
        message: String,
        #[serde(default, skip_serializing_if = "Map::is_empty")]
        used: Map<String, Value>,
    },
    Parameter {
        name: String,
        value: Value,
        from: String,
    },
    Value {
        name: String,
        value: Value,
    },
    Outcome {
        outcome: String,
    },
}
