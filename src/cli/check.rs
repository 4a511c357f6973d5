//! `eligo check`: load and lint every rule set, showing every problem with its source.

use super::{report, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};
use crate::engine::find_rule_dirs;
use crate::ruleset::{read_dir, RuleSet};
use crate::versions::{by_id, Versions};
use std::path::Path;

pub fn run(dir: &Path, plain: bool) -> i32 {
    let (dirs, incomplete) = match find_rule_dirs(dir) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("eligo check: {}", e.message);
            return EXIT_USAGE;
        }
    };
    // Folders holding a rule set's files without its manifest: each a failed rule set.
    let mut bad = incomplete.len();
    // Each named by its path, as a folder that fails to load is, to be opened from here.
    for (d, e) in &incomplete {
        println!("FAIL {}", d.display());
        report::show_error(e, &Default::default(), plain, Some(d));
    }
    let mut loaded = Vec::new();
    for d in &dirs {
        let name = d.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        let files = match read_dir(d) {
            Ok(f) => f,
            Err(e) => {
                report::show_error(&e, &Default::default(), plain, Some(d));
                bad += 1;
                continue;
            }
        };
        match RuleSet::from_files(&name, files.clone()) {
            Ok(rs) => {
                let from = rs.manifest.effective_from.as_deref().map(|d| format!(" from {d}")).unwrap_or_default();
                println!(
                    "ok   {} {}{from} ({} rules, {} parameters, {} test cases)",
                    rs.id(),
                    rs.manifest.version,
                    rs.rules.len(),
                    rs.parameters().names().count(),
                    rs.tests.len()
                );
                // Not an error: the rules decide the same, only more slowly.
                if let Err(why) = rs.compiled() {
                    println!("     not compiled (evaluates on Rhai's interpreter, more slowly): {why}");
                }
                // Not an error either: a parameter may be published before the rules use it.
                let unused = rs.unused_parameters();
                if !unused.is_empty() {
                    let (what, verb) = if unused.len() == 1 { ("parameter", "is") } else { ("parameters", "are") };
                    println!("     unused: {what} {} {verb} in parameters.toml but never read by rules.rhai", unused.join(", "));
                }
                loaded.push((d, rs));
            }
            Err(e) => {
                println!("FAIL {}", d.display());
                report::show_error(&e, &files, plain, Some(d));
                bad += 1;
            }
        }
    }
    // Versions of one rule set (folders sharing an id) must be able to stand together.
    for group in by_id(loaded, |(_, rs)| rs) {
        let folders: Vec<String> = group.iter().map(|(d, _)| d.display().to_string()).collect();
        let id = group[0].1.id().to_string();
        if let Err(e) = Versions::new(group.into_iter().map(|(_, rs)| rs).collect()) {
            println!("FAIL {id} (folders {}): {}", folders.join(", "), e.message);
            bad += 1;
        }
    }
    println!("{} rule sets checked, {bad} with errors", dirs.len() + incomplete.len());
    if bad == 0 {
        EXIT_OK
    } else {
        EXIT_PROBLEMS
    }
}
