//! `eligo test`: run each rule set's test cases and report coverage.

use super::{report, EXIT_LOAD, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};
use crate::decision::EvalOptions;
use crate::engine::find_rule_dirs;
use crate::ruleset::{read_dir, Input, RuleSet};
use crate::testcases;
use serde::Serialize;
use std::path::Path;

/// One case's native output, for `--emit-json`: what other hosts (wasm) must reproduce.
#[derive(Serialize)]
struct EmittedCase<'a> {
    ruleset: &'a str,
    name: &'a str,
    file: &'a str,
    as_of: Option<&'a str>,
    input: &'a serde_json::Value,
    output: &'a str,
    /// The same case decided briefly (`EvalOptions::brief`).
    brief_output: String,
}

fn brief_output(rs: &RuleSet, case: &testcases::TestCase) -> String {
    let opts = EvalOptions { as_of: case.as_of.clone(), brief: true, ..EvalOptions::default() };
    match rs.evaluate_to_json(Input::Json(&case.input), &opts) {
        Ok(d) => d.json,
        Err(e) => e.to_json(),
    }
}

/// The line of a case's `name = "…"` in its file, so that a failure reads `file:line` (which
/// editors and terminals open at the line). None when the name is written with escapes.
fn case_line(text: Option<&String>, name: &str) -> Option<usize> {
    let text = text?;
    text.lines().position(|line| {
        let Some((key, value)) = line.split_once('=') else { return false };
        let value = value.trim();
        key.trim() == "name" && value.len() >= 2 && [b'"', b'\''].contains(&value.as_bytes()[0]) && &value[1..value.len() - 1] == name
    })
    .map(|i| i + 1)
}

pub fn run(dir: &Path, require_coverage: bool, verbose: bool, emit_json: Option<&Path>) -> i32 {
    let (dirs, incomplete) = match find_rule_dirs(dir) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("eligo test: {}", e.message);
            return EXIT_USAGE;
        }
    };
    let (mut passed, mut failed, mut uncovered, mut unloadable) = (0, 0, 0, incomplete.len());
    // Folders holding a rule set's files without its manifest: no test of theirs can run.
    for (d, e) in &incomplete {
        println!("{}: could not be loaded: {}", d.display(), e.message);
    }
    let mut emitted: Vec<serde_json::Value> = Vec::new();
    for d in &dirs {
        let name = d.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        let loaded = read_dir(d).and_then(|files| RuleSet::from_files(&name, files.clone()).map_err(|e| (e, files)).map_err(|(e, files)| {
            report::show_error(&e, &files, true, Some(d));
            e
        }));
        let rs = match loaded {
            Ok(rs) => rs,
            Err(_) => {
                println!("{}: could not be loaded (run `eligo check` for details)", d.display());
                unloadable += 1;
                continue;
            }
        };
        let rep = testcases::run(&rs);
        println!("{} {} ({} cases)", rs.id(), rs.manifest.version, rep.cases.len());
        for c in &rep.cases {
            if c.passed {
                if verbose {
                    println!("  PASS {}", c.name);
                }
            } else {
                let at = case_line(rs.files().get(&c.file), &c.name).map(|l| format!(":{l}")).unwrap_or_default();
                println!("  FAIL {} ({}{at}): {}", c.name, c.file, c.problems.join("; "));
            }
        }
        let total = rep.coverage.len();
        let fired = total - rep.never_fired.len();
        println!("  coverage: {fired} of {total} rules exercised");
        for (rule, count) in &rep.coverage {
            if verbose {
                println!("    {rule}: passed in {}, failed in {}", count.passed, count.failed);
            }
        }
        if !rep.never_fired.is_empty() {
            println!("  never exercised: {}", rep.never_fired.join(", "));
            uncovered += 1;
        }
        passed += rep.passed();
        failed += rep.failed();
        if emit_json.is_some() {
            // `run` reports the cases in the rule set's order, so they pair up one to one.
            for (case, result) in rs.tests.iter().zip(&rep.cases) {
                let entry = EmittedCase {
                    ruleset: rs.id(),
                    name: &case.name,
                    file: &case.file,
                    as_of: case.as_of.as_deref(),
                    input: &case.input,
                    output: &result.output,
                    brief_output: brief_output(&rs, case),
                };
                emitted.push(serde_json::to_value(&entry).unwrap_or_default());
            }
        }
    }
    if let Some(path) = emit_json {
        let text = serde_json::to_string_pretty(&emitted).unwrap_or_default();
        if let Err(e) = std::fs::write(path, text) {
            eprintln!("eligo test: cannot write {}: {e}", path.display());
            return EXIT_USAGE;
        }
    }
    println!("{passed} passed, {failed} failed");
    if unloadable > 0 {
        EXIT_LOAD
    } else if failed > 0 || (require_coverage && uncovered > 0) {
        EXIT_PROBLEMS
    } else {
        EXIT_OK
    }
}
