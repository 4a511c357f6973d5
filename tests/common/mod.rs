//! What the tests share (`mod common;`): the seed rule sets, a one-file rule set around a
//! script, a decision or error as its JSON text (tests/compiled.rs, tests/brief.rs,
//! tests/decision_json.rs); the CLI run in a fresh folder (tests/signing.rs, tests/versions.rs).
// Each test crate uses only some of these.
#![allow(dead_code)]

use eligo::engine::rule_dirs;
use eligo::ruleset::{Evaluator, Files};
use eligo::{EvalOptions, RuleSet};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

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

/// Run the `eligo` binary in `dir`: exit code, stdout, stderr.
pub fn eligo(args: &[&str], dir: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_eligo")).args(args).current_dir(dir).output().expect("eligo runs");
    let s = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
    (out.status.code().unwrap_or(-1), s(out.stdout), s(out.stderr))
}

/// An empty folder of its own under the system's temporary folder (`name` unique per test).
pub fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("eligo-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}
