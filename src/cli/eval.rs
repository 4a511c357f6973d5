//! `eligo eval`, `describe` and `bundle`: the CLI contract in CONTRACTS.md. Decisions and
//! errors are JSON on stdout; usage problems go to stderr with exit 2.

use super::{EXIT_LOAD, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};
use crate::decision::EvalOptions;
use crate::engine::{parse_json, Engine};
use crate::ruleset::RuleSet;
use crate::error::ErrorEnvelope;
use crate::{bundle, Error};
use std::io::Read;
use std::path::Path;

/// Where a rule set's load error goes besides stderr: `eval`'s contract is its JSON on
/// stdout, indented with `--pretty` as a decision is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum ErrorOut {
    StderrOnly,
    Json,
    PrettyJson,
}

impl ErrorOut {
    pub(super) fn json(pretty: bool) -> ErrorOut {
        if pretty {
            ErrorOut::PrettyJson
        } else {
            ErrorOut::Json
        }
    }
}

fn load(dir: &Path, out: ErrorOut) -> Result<RuleSet, i32> {
    if !dir.is_dir() {
        eprintln!("eligo: {} is not a rule-set folder", dir.display());
        return Err(EXIT_USAGE);
    }
    RuleSet::from_dir(dir).map_err(|e| {
        print_error(&e, out);
        eprintln!("eligo: {e}");
        EXIT_LOAD
    })
}

/// A rule-set folder, or a folder of one rule set's versions (`rules/<id>/<version>/`,
/// each with its own `effective_from`): an engine holding that one rule set. Problems go to
/// stderr after `prefix` and, as `out` says (`eval`'s contract), as JSON on stdout.
pub(super) fn load_versions(dir: &Path, prefix: &str, out: ErrorOut) -> Result<Engine, i32> {
    if out != ErrorOut::StderrOnly && (!dir.is_dir() || dir.join(crate::ruleset::MANIFEST_FILE).is_file()) {
        let mut engine = Engine::new();
        engine.add(load(dir, out)?).map_err(|_| EXIT_LOAD)?;
        return Ok(engine);
    }
    let engine = Engine::load_dir(dir).map_err(|e| {
        print_error(&e, out);
        eprintln!("{prefix}: {e}");
        EXIT_LOAD
    })?;
    let ids: Vec<String> = engine.rulesets().into_iter().map(|s| s.id).collect();
    if ids.len() != 1 {
        eprintln!("{prefix}: {} holds {} rule sets ({}); give one rule set's folder, or a folder of one rule set's versions", dir.display(), ids.len(), ids.join(", "));
        return Err(EXIT_USAGE);
    }
    Ok(engine)
}

fn print_json(v: &impl serde::Serialize, pretty: bool) {
    let text = if pretty { serde_json::to_string_pretty(v) } else { serde_json::to_string(v) };
    println!("{}", text.unwrap_or_default());
}

/// The error as JSON on stdout (none for `StderrOnly`); exit 1, the work's problem.
fn print_error(e: &Error, out: ErrorOut) -> i32 {
    match out {
        ErrorOut::StderrOnly => {}
        ErrorOut::Json => println!("{}", e.to_json()),
        ErrorOut::PrettyJson => print_json(&ErrorEnvelope { error: e.clone() }, true),
    }
    EXIT_PROBLEMS
}

pub fn run(dir: &Path, input: &str, opts: &EvalOptions, pretty: bool, record: Option<&Path>) -> i32 {
    let text = if input == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map(|_| s)
    } else {
        std::fs::read_to_string(input)
    };
    let text = match text {
        Ok(t) => t,
        Err(e) => {
            eprintln!("eligo eval: cannot read input {input}: {e}");
            return EXIT_USAGE;
        }
    };
    let out = ErrorOut::json(pretty);
    let versions = match load_versions(dir, "eligo", out) {
        Ok(v) => v,
        Err(code) => return code,
    };
    // A byte-order mark, as some Windows editors begin a file with, is not part of the JSON.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let value = match parse_json(text, "/") {
        Ok(v) => v,
        Err(e) => return print_error(&e, out),
    };
    let Some(id) = versions.rulesets().first().map(|s| s.id.clone()) else {
        return EXIT_LOAD;
    };
    match versions.evaluate(&id, &value, opts) {
        Ok(d) => {
            if let Some(path) = record {
                if let Err(code) = super::replay::record(path, &value, &d) {
                    return code;
                }
            }
            print_json(&d, pretty);
            EXIT_OK
        }
        Err(mut e) => {
            // Numbers quoted as the file writes them (`1E400`), not as parsed (`1e+400`).
            crate::schema::quote_numbers_as_written(text, &mut e.issues);
            print_error(&e, out)
        }
    }
}

/// A rule set's description; of a folder of versions, the latest version's.
pub fn describe(dir: &Path, json_schema: bool) -> i32 {
    let engine = match load_versions(dir, "eligo", ErrorOut::Json) {
        Ok(e) => e,
        Err(code) => return code,
    };
    match engine.rulesets().first().and_then(|s| engine.get(&s.id).ok()) {
        Some(rs) => {
            print_json(&if json_schema { rs.json_schema() } else { rs.describe() }, true);
            EXIT_OK
        }
        None => EXIT_LOAD,
    }
}

pub fn bundle(dir: &Path, output: &Path, sign: Option<&Path>) -> i32 {
    let engine = match Engine::load_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("eligo bundle: {e}");
            return EXIT_LOAD;
        }
    };
    let mut b = match bundle::build(engine.iter()) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("eligo bundle: {e}");
            return EXIT_LOAD;
        }
    };
    if let Some(key_file) = sign {
        if let Err(code) = super::sign::sign(&mut b, key_file) {
            return code;
        }
    }
    let text = serde_json::to_string(&b).unwrap_or_default();
    if let Err(e) = std::fs::write(output, &text) {
        eprintln!("eligo bundle: cannot write {}: {e}", output.display());
        return EXIT_USAGE;
    }
    for r in &b.rulesets {
        eprintln!("bundled {} {} {}", r.id, r.version, r.hash);
    }
    eprintln!("wrote {} ({} bytes)", output.display(), text.len());
    EXIT_OK
}
