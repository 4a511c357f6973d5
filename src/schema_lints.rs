//! Checks of the input schema made where rule files are read (`eligo check`, `eligo bundle`,
//! the playground), for mistakes that load and then quietly never matter: a field shown
//! only when an enum field has a value that is not one of its options (so never shown), and
//! an enum option listed twice. Each is a problem at its line and column in ruleset.toml.
//! The runtime module leaves these out: it loads bundles, checked when they were built.

use crate::error::line_col;
use crate::ruleset::field_table;
use crate::schema::{Field, FieldType};
use crate::script_lints::similar_name;
use serde_json::Value;

/// A problem: line, column (from 1; 0 when the text does not show it) and message.
pub type Found = (usize, usize, String);

/// Every check here, over `fields` (the manifest's `input`) as written in `text`.
pub fn check(fields: &[Field], text: &str) -> Vec<Found> {
    let mut found = Vec::new();
    check_fields(fields, "input", text, &mut found);
    found
}

fn check_fields(fields: &[Field], path: &str, text: &str, found: &mut Vec<Found>) {
    for f in fields {
        let here = format!("{path}.{}", f.name);
        let table = field_table(text, &f.name);
        if let Some(c) = &f.visible_when {
            let sibling = fields.iter().find(|s| s.name == c.field && s.kind == FieldType::Enum);
            for v in c.equals.iter().chain(&c.one_of) {
                if let Some(s) = sibling {
                    found.extend(not_an_option(&here, s, v, text, table));
                }
            }
        }
        for (i, o) in f.options.iter().enumerate() {
            let before = f.options[..i].iter().filter(|p| p.value == o.value).count();
            if before > 0 {
                let (line, col) = place(text, table, "options", &o.value, before + 1);
                found.push((line, col, format!("{here}: option {:?} is listed twice", o.value)));
            }
        }
        let mut inner = Some(f);
        while let Some(g) = inner {
            if g.kind == FieldType::Object {
                check_fields(&g.fields, &here, text, found);
            }
            inner = g.items.as_deref();
        }
    }
}

/// `visible_when` comparing `sibling` (an enum field) with `v`, which it never has.
fn not_an_option(here: &str, sibling: &Field, v: &Value, text: &str, table: Option<(usize, usize)>) -> Option<Found> {
    let mut values: Vec<&str> = Vec::new();
    for o in &sibling.options {
        if !values.contains(&o.value.as_str()) {
            values.push(&o.value);
        }
    }
    let given = v.as_str();
    if given.is_some_and(|s| values.contains(&s)) {
        return None;
    }
    let hint = given.and_then(|s| similar_name(s, values.iter().copied())).map(|s| format!("; did you mean {s:?}?")).unwrap_or_default();
    let (line, col) = place(text, table, "visible_when", given.unwrap_or(""), 1);
    let message = format!(
        "{here}: visible_when compares {} with {v}, which it never is (its options are {}), so this never shows the field{hint}",
        sibling.name,
        values.join(", ")
    );
    Some((line, col, message))
}

/// Line and column, in the field's table, of the `nth` (from 1) `"value"` that follows `key`
/// (`options = [{ value = "x", … }]`, `visible_when = { … equals = "x" }`); else of the key; else of the table;
/// (0, 0) when the table is not found.
fn place(text: &str, table: Option<(usize, usize)>, key: &str, value: &str, nth: usize) -> (usize, usize) {
    let Some((start, end)) = table else { return (0, 0) };
    let body = &text[start..end];
    let Some(key_at) = body.find(key) else { return line_col(text, start) };
    let quoted = format!("\"{value}\"");
    // A label may read as its value (`{ value = "a", label = "a" }`): it is not counted.
    let is_label = |at: usize| body[..at].trim_end().strip_suffix('=').is_some_and(|b| b.trim_end().ends_with("label"));
    let at = body[key_at..].match_indices(&quoted).map(|(at, _)| key_at + at).filter(|&at| !is_label(at)).nth(nth.saturating_sub(1));
    line_col(text, start + at.unwrap_or(key_at))
}
