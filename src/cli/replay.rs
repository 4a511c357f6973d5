//! `eligo eval --record FILE` and `eligo eval --replay FILE`: an audit trail for single
//! decisions. A record holds the input exactly as given and the decision it produced
//! (which names the rule set id, version and content hash, the as-of date and the engine):
//!
//! ```json
//! {"format": "eligo-record/1", "input": {...}, "decision": {...}}
//! ```
//!
//! Replay decides the recorded input again with the recorded as-of date (and a trace if
//! the record has one) and confirms the decision is byte-identical, or lists what differs
//! (rule-set hash, engine, outcome, values, reasons) and exits 1.

use super::{EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};
use crate::decision::{Decision, EvalOptions};
use crate::Engine;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::Path;

pub const FORMAT: &str = "eligo-record/1";

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub format: String,
    pub input: Value,
    pub decision: Decision,
}

/// Write a record of `decision` for `input` (for `eligo eval --record`).
pub fn record(path: &Path, input: &Value, decision: &Decision) -> Result<(), i32> {
    let rec = Record {
        format: FORMAT.to_string(),
        input: input.clone(),
        decision: decision.clone(),
    };
    let text = serde_json::to_string_pretty(&rec).unwrap_or_default();
    std::fs::write(path, text + "\n").map_err(|e| {
        eprintln!("eligo eval: cannot write the record {}: {e}", path.display());
        EXIT_USAGE
    })
}

/// Decide a recorded input again with the rule set `engine` holds (the version in effect on
/// the recorded as-of date, when it holds several) and compare. Exit 0 identical, 1
/// different, 2 unreadable.
pub fn run(engine: &Engine, record_file: &Path) -> i32 {
    let rec: Record = match std::fs::read_to_string(record_file)
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!(
                "eligo eval --replay: {} is not a decision record ({FORMAT}): {e}",
                record_file.display()
            );
            return EXIT_USAGE;
        }
    };
    if rec.format != FORMAT {
        eprintln!(
            "eligo eval --replay: record format {:?} is not supported (expected {FORMAT:?})",
            rec.format
        );
        return EXIT_USAGE;
    }
    let opts = EvalOptions {
        as_of: Some(rec.decision.as_of.clone()),
        trace: rec.decision.trace.is_some(),
        // Recorded brief, replayed brief.
        brief: rec.decision.reasons.iter().any(|r| r.message.is_none()),
    };
    let Some(id) = engine.rulesets().first().map(|s| s.id.clone()) else {
        return EXIT_USAGE;
    };
    let differences = match engine.evaluate(&id, &rec.input, &opts) {
        Ok(now) if now.to_json() == rec.decision.to_json() => Vec::new(),
        Ok(now) => differences(&rec.decision, &now),
        Err(e) => vec![format!(
            "the recorded input now gives an error instead of a decision: {e}"
        )],
    };
    let d = &rec.decision;
    if differences.is_empty() {
        let report =
            serde_json::json!({"replay": "identical", "ruleset": d.ruleset, "as_of": d.as_of, "outcome": d.outcome});
        println!("{report}");
        EXIT_OK
    } else {
        for line in &differences {
            eprintln!("differs: {line}");
        }
        println!(
            "{}",
            serde_json::json!({"replay": "differs", "differences": differences})
        );
        EXIT_PROBLEMS
    }
}

/// What changed between a recorded decision and a new one, in plain words.
pub fn differences(was: &Decision, now: &Decision) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = |name: &str, a: &str, b: &str| {
        if a != b {
            out.push(format!("{name}: recorded {a}, now {b}"));
        }
    };
    field("rule set id", &was.ruleset.id, &now.ruleset.id);
    field("rule set version", &was.ruleset.version, &now.ruleset.version);
    field("rule set hash", &was.ruleset.hash, &now.ruleset.hash);
    field("engine", &was.engine, &now.engine);
    field("as-of date", &was.as_of, &now.as_of);
    field("outcome", &was.outcome, &now.outcome);
    for (name, a) in &was.values {
        match now.values.get(name) {
            Some(b) if b == a => {}
            Some(b) => out.push(format!("value {name}: recorded {a}, now {b}")),
            None => out.push(format!("value {name}: recorded {a}, now absent")),
        }
    }
    for (name, b) in &now.values {
        if !was.values.contains_key(name) {
            out.push(format!("value {name}: not recorded, now {b}"));
        }
    }
    for r in &was.reasons {
        match now.reasons.iter().find(|n| n.rule == r.rule) {
            None => out.push(format!("rule {}: recorded, now not evaluated", r.rule)),
            Some(n) if n.passed != r.passed => {
                let word = |p: bool| if p { "passed" } else { "failed" };
                out.push(format!(
                    "rule {}: recorded {}, now {}",
                    r.rule,
                    word(r.passed),
                    word(n.passed)
                ));
            }
            Some(n) if n.message != r.message => out.push(format!(
                "rule {}: message was {:?}, now {:?}",
                r.rule, r.message, n.message
            )),
            Some(_) => {}
        }
    }
    for n in &now.reasons {
        if !was.reasons.iter().any(|r| r.rule == n.rule) {
            out.push(format!("rule {}: not recorded, now evaluated", n.rule));
        }
    }
    if out.is_empty() {
        // Same fields, different bytes: the order of reasons or the trace changed.
        out.push("the reasons' order or the trace differ".to_string());
    }
    out
}
