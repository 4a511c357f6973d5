//! The fuzz entry points, shared by the cargo-fuzz targets (fuzz/fuzz_targets/) and by the
//! corpus regression test (tests/fuzz_corpus.rs), so CI replays every corpus file through
//! exactly the code the fuzzer ran.
//!
//! Each entry point takes arbitrary bytes, must never panic, and checks the invariants
//! that hold for any input: errors carry the right code and a place, decisions are
//! deterministic and survive a JSON round trip.

#![allow(dead_code)]

use eligo::engine::rule_dirs;
use eligo::ruleset::{read_dir, Files};
use eligo::{Decision, ErrorCode, EvalOptions, RuleSet};
use std::path::{Path, PathBuf};

/// One seed rule set: its files, the loaded rule set and the inputs of its test cases.
pub struct Seed {
    pub id: String,
    pub files: Files,
    pub ruleset: RuleSet,
    pub inputs: Vec<serde_json::Value>,
}

pub struct Seeds {
    pub seeds: Vec<Seed>,
}

/// The repository's `rules/` folder (built from fuzz/ for the fuzzer, from the root for
/// the corpus test).
pub fn rules_dir() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    if here.join("rules").is_dir() {
        here.join("rules")
    } else {
        here.join("..").join("rules")
    }
}

impl Seeds {
    /// Every rule set in `rules/` that loads (one that does not is another test's failure).
    pub fn load() -> Seeds {
        let mut seeds = Vec::new();
        for dir in rule_dirs(&rules_dir()).unwrap_or_default() {
            let Ok(files) = read_dir(&dir) else { continue };
            let name = dir.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            match RuleSet::from_files(&name, files.clone()) {
                Ok(rs) => {
                    let inputs = rs.tests.iter().map(|t| t.input.clone()).collect();
                    seeds.push(Seed { id: rs.id().to_string(), files, ruleset: rs, inputs });
                }
                Err(e) => eprintln!("fuzz seeds: skipping {}: {e}", dir.display()),
            }
        }
        assert!(!seeds.is_empty(), "no seed rule set loaded from {}", rules_dir().display());
        Seeds { seeds }
    }

    /// The seed whose `file` shares the longest prefix with `text`: a mutated manifest or
    /// script is tried together with the other files of the rule set it came from.
    fn closest(&self, file: &str, text: &str) -> &Seed {
        let common = |s: &Seed| {
            let other = s.files.get(file).map(String::as_bytes).unwrap_or_default();
            other.iter().zip(text.as_bytes()).take_while(|(a, b)| a == b).count()
        };
        let mut best = &self.seeds[0];
        for s in &self.seeds[1..] {
            if common(s) > common(best) {
                best = s;
            }
        }
        best
    }
}

/// Arbitrary `ruleset.toml` text, with the other files of the closest seed rule set.
pub fn load_manifest(seeds: &Seeds, data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    let seed = seeds.closest("ruleset.toml", &text);
    let mut files = seed.files.clone();
    files.insert("ruleset.toml".into(), text);
    try_load(seed, files);
}

/// Arbitrary `rules.rhai` text, with the other files of the closest seed rule set.
pub fn load_script(seeds: &Seeds, data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    let seed = seeds.closest("rules.rhai", &text);
    let mut files = seed.files.clone();
    files.insert("rules.rhai".into(), text);
    try_load(seed, files);
}

/// Load the files; if they load, decide the seed's first test input (and an empty one)
/// with them: a fuzzed schema or script must still give a decision or a clean error.
fn try_load(seed: &Seed, files: Files) {
    let rs = match RuleSet::from_files(&seed.id, files) {
        Ok(rs) => rs,
        Err(e) => {
            assert_eq!(e.code, ErrorCode::RulesetError, "load error with the wrong code: {e}");
            assert!(e.location.is_some() || !e.issues.is_empty(), "load error with no place: {e}");
            let _ = e.to_json();
            return;
        }
    };
    let mut inputs: Vec<serde_json::Value> = seed.inputs.iter().take(1).cloned().collect();
    inputs.push(serde_json::json!({}));
    for input in &inputs {
        let opts = EvalOptions { as_of: Some("2020-06-01".into()), trace: true, brief: false };
        match rs.evaluate(input, &opts) {
            Ok(d) => check_decision(&rs, input, &opts, &d),
            Err(e) => match e.code {
                ErrorCode::InvalidInput => assert!(!e.issues.is_empty(), "invalid_input with no issues: {e}"),
                ErrorCode::EvaluationError => {
                    let loc = e.location.as_ref();
                    assert!(loc.is_some_and(|l| l.file == "rules.rhai"), "evaluation error not placed in rules.rhai: {e}");
                }
                other => panic!("unexpected error code {other:?}: {e}"),
            },
        }
    }
}

/// First line: a seed rule set id (optionally followed by ` trace`); the rest: JSON input
/// text. An unknown id picks a rule set by the first byte.
pub fn eval_input(seeds: &Seeds, data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (head, json) = text.split_once('\n').unwrap_or(("", &text));
    let mut words = head.split_whitespace();
    let id = words.next().unwrap_or("");
    let trace = words.next() == Some("trace");
    let seed = match seeds.seeds.iter().find(|s| s.id == id) {
        Some(s) => s,
        None => &seeds.seeds[usize::from(data.first().copied().unwrap_or(0)) % seeds.seeds.len()],
    };
    let input = match eligo::engine::parse_json(json, "/") {
        Ok(v) => v,
        Err(e) => {
            assert_eq!(e.code, ErrorCode::InvalidInput);
            return;
        }
    };
    let opts = EvalOptions { as_of: None, trace, brief: false };
    match seed.ruleset.evaluate(&input, &opts) {
        Ok(d) => check_decision(&seed.ruleset, &input, &opts, &d),
        Err(e) => match e.code {
            ErrorCode::InvalidInput => {
                assert!(!e.issues.is_empty(), "invalid_input with no issues");
                for i in &e.issues {
                    assert!(i.path.starts_with('/'), "issue path {:?} is not a JSON pointer", i.path);
                }
            }
            // A seed rule set may refuse an input its schema allows (a date its parameters
            // do not cover, say), but only as a placed evaluation error.
            ErrorCode::EvaluationError | ErrorCode::InvalidRequest => {
                assert!(e.code == ErrorCode::InvalidRequest || e.location.is_some(), "evaluation error with no place: {e}");
            }
            other => panic!("unexpected error code {other:?}: {e}"),
        },
    }
}

/// A decision is deterministic and survives a JSON round trip unchanged.
fn check_decision(rs: &RuleSet, input: &serde_json::Value, opts: &EvalOptions, d: &Decision) {
    let text = d.to_json();
    let again = rs.evaluate(input, opts).map(|d| d.to_json());
    assert_eq!(again.as_deref(), Ok(text.as_str()), "the same input decided twice gave different bytes");
    let back: Decision = match serde_json::from_str(&text) {
        Ok(b) => b,
        Err(e) => panic!("a decision does not parse back: {e}\n{text}"),
    };
    assert_eq!(back.to_json(), text, "a decision changed through a JSON round trip");
}
