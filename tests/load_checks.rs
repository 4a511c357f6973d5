//! Mistakes in a rule set that load would otherwise let through, to show up only part way
//! through an evaluation or quietly in every decision: each is a load error at the line and
//! column concerned, saying what would fix it. And what is left alone, because it is right.

use eligo::ruleset::Files;
use eligo::{Error, EvalOptions, RuleSet};
use serde_json::json;

const MANIFEST: &str = r#"
id = "checks"
title = "Load checks"
version = "1"
owner = "tests"
description = "A rule set for load-time checks."

[as_of]
field = "on"

[[outcomes]]
id = "eligible"
label = "Eligible"

[[outcomes]]
id = "ineligible"
label = "Not eligible"

[[input]]
name = "on"
type = "date"

[[input]]
name = "requested_amount"
type = "money"

[[input]]
name = "fund"
type = "enum"
options = [{ value = "people_power", label = "People Power" }, { value = "space", label = "Space" }]

[[input]]
name = "note"
type = "string"
required = false

[[input]]
name = "space_reason"
type = "string"
visible_when = { field = "fund", equals = "space" }

[[input]]
name = "address"
type = "object"
required = false
[[input.fields]]
name = "postcode"
type = "string"
"#;

fn files(manifest: &str, rules: &str) -> Files {
    let mut f = Files::new();
    f.insert("ruleset.toml".into(), manifest.into());
    f.insert("rules.rhai".into(), rules.into());
    f
}

fn load(manifest: &str, rules: &str) -> Result<RuleSet, Error> {
    RuleSet::from_files("checks", files(manifest, rules))
}

/// Each problem as (file, line, column, message).
fn problems(e: &Error) -> Vec<(String, usize, usize, String)> {
    e.issues
        .iter()
        .map(|i| {
            let l = i.location.clone().unwrap_or_else(|| panic!("no location: {}", i.message));
            (l.file, l.line, l.column, i.message.clone())
        })
        .collect()
}

fn good() -> serde_json::Value {
    json!({"on": "2024-01-01", "requested_amount": 100, "fund": "people_power"})
}

/// A misspelt input field loaded, and then every evaluation stopped ("Property not found").
#[test]
fn input_fields_the_manifest_does_not_declare_are_found_at_load() {
    let rules = "let amount = input.requsted_amount;\n\
        let f = input[\"fnd\"];\n\
        let n = \"nte\" in input;\n\
        let m = input.contains(\"spaec_reason\");\n\
        let p = input.adress.postcode;\n\
        let q = input.colour;\n\
        rule(\"r\", true, \"ok\");\n\
        outcome(\"eligible\");\n";
    let e = load(MANIFEST, rules).unwrap_err();
    let declared = "ruleset.toml declares on, requested_amount, fund, note, space_reason, address";
    let at = |line: usize, column: usize, message: String| ("rules.rhai".to_string(), line, column, message);
    assert_eq!(
        problems(&e),
        [
            at(1, 20, format!("unknown input field `requsted_amount`: {declared}, did you mean `requested_amount`?")),
            at(2, 15, format!("unknown input field `fnd`: {declared}, did you mean `fund`?")),
            at(3, 9, format!("unknown input field `nte`: {declared}, did you mean `note`?")),
            at(4, 24, format!("unknown input field `spaec_reason`: {declared}, did you mean `space_reason`?")),
            at(5, 15, format!("unknown input field `adress`: {declared}, did you mean `address`?")),
            at(6, 15, format!("unknown input field `colour`: {declared}")),
        ]
    );

    // Left alone: declared fields, optional or shown only sometimes (they are `()` when
    // absent), an object's own fields, names the script works out, `input` in a function
    // (whatever the caller passed), and a script's own variable called `input`.
    let rules = "let a = input.requested_amount + 1;\n\
        let b = input[\"note\"] == () && input.space_reason == () && \"fund\" in input;\n\
        let c = if input.address == () { \"\" } else { input.address.postcode };\n\
        let key = \"no\" + \"te\";\n\
        let d = input[key];\n\
        fn other(input) { input.anything }\n\
        let e = other(#{ anything: 1 });\n\
        rule(\"r\", b && c == \"\" && d == () && e == 1 && a > 0, \"ok\");\n\
        outcome(\"eligible\");\n";
    let rs = load(MANIFEST, rules).unwrap_or_else(|e| panic!("should load: {e}"));
    assert!(rs.evaluate(&good(), &EvalOptions::default()).unwrap().reasons[0].passed);
    let rules = "let input = #{ x: 1 };\nrule(\"r\", input.x == 1, \"ok\");\noutcome(\"eligible\");\n";
    load(MANIFEST, rules).unwrap_or_else(|e| panic!("should load: {e}"));
}
