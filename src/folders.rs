//! Telling a rule-set folder without its manifest from a folder that is not a rule set, so
//! that `eligo check`, `test` and `bundle` on the parent refuse it rather than leave it out
//! unseen (publishing would silently drop the rule set). Where rule files are read only.

use crate::error::{Error, Location};
use crate::ruleset::{MANIFEST_FILE, PARAMETERS_FILE, RULES_FILE};
use crate::script_lints::similar_name;
use std::path::Path;

/// An error for `dir` when it holds a rule set's files (rules.rhai, parameters.toml, or a
/// file named nearly ruleset.toml) but no ruleset.toml; None when it has one, or holds
/// none of them (a folder of versions, or not a rule set at all).
pub fn missing_manifest(dir: &Path) -> Option<Error> {
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
    let hint = match &near {
        Some(n) => format!("; is {n} meant to be {MANIFEST_FILE}?"),
        None => "; add one (id, title, version, owner, description, [as_of], outcomes and input)".to_string(),
    };
    let message = format!(
        "{} holds {holds} but no {MANIFEST_FILE}, so it is not loaded as a rule set and would be left out{hint}",
        dir.display()
    );
    Some(Error::ruleset(Location { ruleset: folder, file: MANIFEST_FILE.to_string(), line: 0, column: 0 }, message))
}
