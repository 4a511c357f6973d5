//! What the compiled-form tests share (`mod common;` in tests/compiled.rs and tests/brief.rs):
//! a one-file rule set around a script, and a decision or error as its JSON text.
// Each test crate uses only some of these.
#![allow(dead_code)]

use eligo::ruleset::{Evaluator, Files};
use eligo::{EvalOptions, RuleSet};
use serde_json::Value;

/// A manifest with a date `on` (the as-of field) and an optional integer `n`.
pub const MANIFEST: &str = "id = \"r\"\ntitle = \"t\"\nversion = \"1\"\nowner = \"o\"\ndescription = \"d\"\n\
    [as_of]\nfield = \"on\"\n[[outcomes]]\nid = \"done\"\nlabel = \"Done\"\n\
    [[input]]\nname = \"on\"\ntype = \"date\"\n[[input]]\nname = \"n\"\ntype = \"integer\"\nrequired = false\n";

/// The rule set `r` with `script` as its rules.
pub fn load(script: &str) -> RuleSet {
    let mut files = Files::new();
    files.insert("ruleset.toml".into(), MANIFEST.into());
    files.insert("rules.rhai".into(), script.into());
    RuleSet::from_files("r", files).unwrap()
}

/// The decision's JSON text, or the error's.
pub fn output(rs: &RuleSet, input: &Value, opts: &EvalOptions, on: Evaluator) -> String {
    match rs.evaluate_on(input, opts, on) {
        Ok(d) => d.to_json(),
        Err(e) => e.to_json(),
    }
}
