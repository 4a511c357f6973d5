//! The decision: the one output shape every host sees, natively as JSON and in JS as a
//! plain object. Field order is fixed so the same decision is the same bytes everywhere.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// How to evaluate: an as-of date overriding the input's, and whether to record a trace.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvalOptions {
    #[serde(default, rename = "asOf", alias = "as_of", skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    #[serde(default)]
    pub trace: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulesetRef {
    pub id: String,
    pub version: String,
    /// `sha256:<hex>` over the rule set's files: which exact rules decided.
    pub hash: String,
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
    pub fn to_json(&self) -> String {
        // Serializing plain data with string keys cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// One rule's result in plain English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub rule: String,
    pub passed: bool,
    pub message: String,
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
