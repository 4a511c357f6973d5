//! Telling a rule-set folder without its manifest from a folder that is not a rule set, so
//! that `eligo check`, `test` and `bundle` on the parent refuse it rather than leave it out
//! unseen (publishing would silently drop the rule set). Where rule files are read only.

use crate::error::{Error, Location};
use crate::ruleset::{MANIFEST_FILE, PARAMETERS_FILE, RULES_FILE};
use crate::script_lints::similar_name;
use std::path::{Path, PathBuf};

/// An error for `dir` when it holds a rule set's files (rules.rhai, parameters.toml, or a
/// file named nearly ruleset.toml) but no ruleset.toml; None when it has one, or holds
/// none of them (a folder of versions, or not a rule set at all).
pub fn missing_manifest(dir: &Path) -> Option<Error> {
    manifest_less(dir, &[])
}

/// [`missing_manifest`] for a folder that also holds rule-set folders (`rule_sets`, found
/// inside it): its own rule files are strays beside them, not a rule set wanting its
/// manifest (which, added, would make the folder one rule set and hide the others).
pub fn rule_files_beside_rule_sets(dir: &Path, rule_sets: &[PathBuf]) -> Option<Error> {
    manifest_less(dir, rule_sets)
}

fn manifest_less(dir: &Path, rule_sets: &[PathBuf]) -> Option<Error> {
    if dir.join(MANIFEST_FILE).is_file() {
        return None;
    }
    let mut names: Vec<String> = std::fs::read_dir(dir).ok()?.flatten().filter(|e| e.path().is_file()).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    let near = similar_name(MANIFEST_FILE, names.iter().map(String::as_str));
    let held: Vec<&str> = [RULES_FILE, PARAMETERS_FILE].into_iter().filter(|f| names.iter().any(|n| n == f)).collect();
    if held.is_empty() && near.is_none() {
        return None;
    }
    let folder = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| dir.display().to_string());
    let holds = match (held.as_slice(), &near) {
        ([], Some(n)) => n.clone(),
        ([one], _) => one.to_string(),
        (_, _) => held.join(" and "),
    };
    let hint = match (&near, rule_sets) {
        (_, [_, ..]) => {
            let mut names: Vec<String> = rule_sets.iter().take(3).map(|d| d.strip_prefix(dir).unwrap_or(d).display().to_string()).collect();
            if rule_sets.len() > 3 {
                names.push(format!("{} more", rule_sets.len() - 3));
            }
            let it = if holds.contains(" and ") { "them" } else { "it" };
            format!(
                ", beside the rule sets in its folders ({}); a rule set's files belong in a folder of their own: move {holds} into one, with its {MANIFEST_FILE}, or remove {it}",
                names.join(", ")
            )
        }
        (Some(n), []) => format!(", so it is not loaded as a rule set and would be left out; is {n} meant to be {MANIFEST_FILE}?"),
        (None, []) => ", so it is not loaded as a rule set and would be left out; add one (id, title, version, owner, description, [as_of], outcomes and input)".to_string(),
    };
    let message = format!("{} holds {holds} but no {MANIFEST_FILE}{hint}", dir.display());
    // Where to look: the manifest to add, or for strays the first of them, to move.
    let file = match (rule_sets, held.first()) {
        ([_, ..], Some(first)) => first.to_string(),
        _ => MANIFEST_FILE.to_string(),
    };
    Some(Error::ruleset(Location { ruleset: folder, file, line: 0, column: 0 }, message))
}
