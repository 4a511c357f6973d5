//! What the decision tests share (`mod common;` in tests/compiled.rs, tests/brief.rs and
//! tests/decision_json.rs): the seed rule sets, a one-file rule set around a script, and a
//! decision or error as its JSON text.
// Each test crate uses only some of these.
#![allow(dead_code)]

use eligo::engine::rule_dirs;
use eligo::ruleset::{Evaluator, Files};
use eligo::{EvalOptions, RuleSet};
use serde_json::Value;
use std::path::Path;

/// The five seed rule sets under rules/, loaded.
pub fn seed_rule_sets() -> Vec<RuleSet> {
    let dirs = rule_dirs(&Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")).unwrap();
    assert_eq!(dirs.len(), 5, "the seed rule sets: {dirs:?}");
    dirs.iter().map(|dir| RuleSet::from_dir(dir).unwrap()).collect()
}

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
