//! `eligo test`: run each rule set's test cases and report coverage.

use super::{report, EXIT_LOAD, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};
use crate::engine::rule_dirs;
use crate::ruleset::{read_dir, RuleSet};
use crate::testcases;
use std::path::Path;

pub fn run(dir: &Path, require_coverage: bool, verbose: bool) -> i32 {
    let dirs = match rule_dirs(dir) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("eligo test: {}", e.message);
            return EXIT_USAGE;
        }
    };
    let (mut passed, mut failed, mut uncovered, mut unloadable) = (0, 0, 0, 0);
    for d in &dirs {
        let name = d.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        let loaded = read_dir(d).and_then(|files| RuleSet::from_files(&name, files.clone()).map_err(|e| (e, files)).map_err(|(e, files)| {
            report::show_error(&e, &files, true);
            e
        }));
        let rs = match loaded {
            Ok(rs) => rs,
            Err(_) => {
                println!("{name}: could not be loaded (run `eligo check` for details)");
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
                println!("  FAIL {} ({}): {}", c.name, c.file, c.problems.join("; "));
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
