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

/// The same rule id at two places one evaluation reaches gave two reasons under one id,
/// and coverage counted them as one rule. The same id in arms that exclude each other is
/// one rule, written once per way it can go (as the seed rule sets do).
#[test]
fn a_rule_id_recorded_twice_is_found_at_load() {
    let rules = "rule(\"a\", true, \"ok\");\n\
        rule(\"b\", true, \"ok\");\n\
        rule(\"a\", false, \"again\");\n\
        if input.fund == \"space\" { rule(\"e\", true, \"x\"); }\n\
        rule(\"e\", false, \"y\");\n\
        fn f(x) { rule(\"g\", x, \"m\"); rule(\"g\", !x, \"n\") }\n\
        outcome(\"eligible\");\n";
    let e = load(MANIFEST, rules).unwrap_err();
    let twice = |id: &str, line: usize| {
        format!("rule id {id:?} is already used at line {line}: an evaluation that reaches both would give two reasons under one id (and coverage would count them as one rule); give this rule its own id")
    };
    let at = |line: usize, column: usize, message: String| ("rules.rhai".to_string(), line, column, message);
    assert_eq!(problems(&e), [at(3, 1, twice("a", 1)), at(5, 1, twice("e", 4)), at(6, 30, twice("g", 6))]);

    // Apart: the two arms of an `if` (an `else if` chain too) or a `switch`, and an arm that
    // ends by leaving before the second. And one place run many times is one place.
    let rules = "let big = input.requested_amount > 5;\n\
        if big { rule(\"c\", true, \"x\"); } else if input.fund == \"space\" { rule(\"c\", false, \"y\"); } else { rule(\"c\", false, \"z\"); }\n\
        switch input.fund { \"space\" => rule(\"h\", true, \"x\"), _ => { rule(\"h\", false, \"y\") } }\n\
        fn twice(x) { rule(\"t\", x, \"t\") }\n\
        twice(true);\n\
        switch input.fund { \"space\" | \"people_power\" => rule(\"k\", true, \"x\"), _ => rule(\"k\", false, \"y\") }\n\
        if input.fund == \"space\" { rule(\"m\", true, \"x\"); }\n\
        if input.fund == \"people_power\" { rule(\"m\", true, \"y\"); }\n\
        if !big { rule(\"d\", true, \"x\"); outcome(\"ineligible\"); return; }\n\
        rule(\"d\", false, \"y\");\n\
        outcome(\"eligible\");\n";
    let rs = load(MANIFEST, rules).unwrap_or_else(|e| panic!("should load: {e}"));
    let d = rs.evaluate(&good(), &EvalOptions::default()).unwrap();
    let ids: Vec<&str> = d.reasons.iter().map(|r| r.rule.as_str()).collect();
    assert_eq!(ids, ["c", "h", "t", "k", "m", "d"]);
}

/// Every rule gives a plain-English reason: an empty message gave an empty one, and `()`
/// (written, or an `if` without `else`) stopped the evaluation. An outcome written in a
/// branch was checked only when that branch ran.
#[test]
fn empty_messages_and_undeclared_outcomes_in_branches_are_found_at_load() {
    let rules = "rule(\"a\", true, \"\");\n\
        rule(\"b\", true, ());\n\
        rule(\"c\", true, \"ok\", \" \");\n\
        rule(\"d\", true, if input.requested_amount > 5 { \"x\" });\n\
        rule(\"e\", true, \"ok\", #{ x: 1 });\n\
        outcome(if input.requested_amount > 5 { \"eligible\" } else { \"inelgible\" });\n";
    let e = load(MANIFEST, rules).unwrap_err();
    let at = |line: usize, column: usize, message: &str| ("rules.rhai".to_string(), line, column, message.to_string());
    assert_eq!(
        problems(&e),
        [
            at(1, 17, "a rule's message must say why it passed or failed: \"\" would give this rule an empty reason"),
            at(2, 17, "a rule's message must be text saying why it passed or failed, not (): this call would fail whenever it ran"),
            at(3, 23, "a rule's message must say why it passed or failed: \" \" would give this rule an empty reason"),
            at(4, 17, "this `if` has no `else`: when its condition is false the rule's message is (), not text, and the call would fail; give it an `else` with a message"),
            at(6, 61, "unknown outcome \"inelgible\": the manifest declares eligible, ineligible; did you mean \"ineligible\"?"),
        ]
    );

    // A literal outcome is checked where every build loads, worded the same, hint and all.
    let e = load(MANIFEST, "rule(\"a\", true, \"ok\");\noutcome(\"inelgible\");\n").unwrap_err();
    assert_eq!(problems(&e), [at(2, 1, "unknown outcome \"inelgible\": the manifest declares eligible, ineligible; did you mean \"ineligible\"?")]);

    // Messages worked out, and outcomes in branches that are all declared, are fine.
    let rules = "let ok = input.requested_amount > 5;\n\
        let why = `asked for ${input.requested_amount}`;\n\
        rule(\"a\", ok, why);\n\
        rule(\"b\", ok, if ok { \"big enough\" } else { `too small: ${why}` }, #{ why: why });\n\
        outcome(if ok { \"eligible\" } else if input.fund == \"space\" { \"ineligible\" } else { \"ineligible\" });\n";
    let rs = load(MANIFEST, rules).unwrap_or_else(|e| panic!("should load: {e}"));
    assert_eq!(rs.evaluate(&good(), &EvalOptions::default()).unwrap().outcome, "eligible");
}

/// A field shown only when an enum field has a value that is not one of its options was
/// never shown (and never asked for); an option listed twice was offered twice.
#[test]
fn visible_when_values_and_enum_options_are_checked_against_the_options() {
    let manifest = MANIFEST
        .replace("visible_when = { field = \"fund\", equals = \"space\" }", "visible_when = { field = \"fund\", in = [\"space\", \"spcae\"] }")
        .replace(
            "options = [{ value = \"people_power\", label = \"People Power\" }, { value = \"space\", label = \"Space\" }]",
            // A label that reads as its value is not taken for the repeat.
            "options = [\n  { value = \"people_power\", label = \"people_power\" },\n  { value = \"space\", label = \"Space\" },\n  { value = \"people_power\", label = \"Again\" },\n]",
        );
    let rules = "rule(\"r\", true, \"ok\");\noutcome(\"eligible\");\n";
    let e = load(&manifest, rules).unwrap_err();
    let line_of = |needle: &str| manifest.lines().position(|l| l.contains(needle)).unwrap() + 1;
    assert_eq!(
        problems(&e),
        [
            ("ruleset.toml".to_string(), line_of("label = \"Again\""), 13, "input.fund: option \"people_power\" is listed twice".to_string()),
            (
                "ruleset.toml".to_string(),
                line_of("\"spcae\""),
                49,
                "input.space_reason: visible_when compares fund with \"spcae\", which it never is (its options are people_power, space), so this never shows the field; did you mean \"space\"?".to_string()
            ),
        ]
    );

    // Options and values that match load: booleans compared with true (the sibling is not
    // an enum), and every option once.
    let manifest = MANIFEST.replace("name = \"note\"\ntype = \"string\"", "name = \"note\"\ntype = \"string\"\nvisible_when = { field = \"fund\", in = [\"people_power\", \"space\"] }");
    load(&manifest, rules).unwrap_or_else(|e| panic!("should load: {e}"));
}

/// A test case that names a rule or outcome the rule set does not have, or an error code
/// that does not exist, failed only when run, saying "should have passed (it was not
/// evaluated)"; two cases of one name made a failure ambiguous. Each is found at load, at the
/// case's name.
#[test]
fn test_cases_expecting_what_the_rule_set_cannot_give_are_found_at_load() {
    let rules = "rule(\"within_maximum\", input.requested_amount <= 5000, \"within\");\noutcome(\"eligible\");\n";
    let case = |name: &str, expect: &str| {
        format!("[[case]]\nname = \"{name}\"\n[case.input]\non = 2024-01-01\nrequested_amount = 1\nfund = \"space\"\nspace_reason = \"x\"\n[case.expect]\n{expect}\n")
    };
    let good = case("fine", "outcome = \"eligible\"\npassed = [\"within_maximum\"]");
    let mut f = files(MANIFEST, rules);
    f.insert("tests/cases.toml".into(), good.clone());
    assert!(RuleSet::from_files("checks", f.clone()).is_ok(), "the good case loads");
    let bad = [
        case("rule", "passed = [\"within_maximm\"]"),
        case("outcome", "outcome = \"elegible\""),
        case("code", "error = \"invalid_inptu\""),
        case("fine", "failed = [\"within_maximum\"]"),
    ]
    .concat();
    f.insert("tests/cases.toml".into(), format!("{good}{bad}"));
    let e = RuleSet::from_files("checks", f).expect_err("refused");
    let found = problems(&e);
    let line_of = |name: &str| format!("{good}{bad}").lines().position(|l| l == format!("name = \"{name}\"")).unwrap() + 1;
    let expect = [
        ("rule", "passed names rule \"within_maximm\", which rules.rhai does not have; did you mean \"within_maximum\"?"),
        ("outcome", "expects outcome \"elegible\", which is not one of the rule set's (eligible, ineligible); did you mean \"eligible\"?"),
        ("code", "expects error \"invalid_inptu\", which is not an error code"),
        ("fine", "another case in this file has the same name"),
    ];
    assert_eq!(found.len(), expect.len(), "{found:?}");
    for ((name, words), (file, line, column, message)) in expect.iter().zip(&found) {
        assert_eq!((file.as_str(), *column), ("tests/cases.toml", 8), "{message}");
        assert!(message.starts_with(&format!("case \"{name}\": {words}")), "{message}");
        if *name != "fine" {
            assert_eq!(*line, line_of(name), "{message}");
        }
    }
    // The repeated name is found at its second place, not its first.
    assert_eq!(found[3].1, format!("{good}{bad}").lines().enumerate().filter(|(_, l)| *l == "name = \"fine\"").nth(1).unwrap().0 + 1);
}

/// A bad `min` or `max` was placed at the first mention of its field's name, which could be
/// another section's (`[as_of] field = "on"`), and said only "is not a valid bound".
#[test]
fn a_bad_bound_is_placed_at_its_key_and_says_why() {
    let rules = "rule(\"r\", true, \"ok\");\noutcome(\"eligible\");\n";
    for (field, key, value, words) in [
        ("name = \"on\"\ntype = \"date\"", "min", "\"2013-02-30\"", "`min`: 2013-02-30 is not a real calendar date"),
        ("name = \"requested_amount\"\ntype = \"money\"", "max", "\"zero\"", "`max` = \"zero\" is not a number"),
    ] {
        let manifest = MANIFEST.replacen(field, &format!("{field}\n{key} = {value}"), 1);
        assert_ne!(manifest, MANIFEST, "{field}");
        let e = load(&manifest, rules).expect_err("refused");
        let line = manifest.lines().position(|l| l == format!("{key} = {value}")).unwrap() + 1;
        assert_eq!(problems(&e), vec![("ruleset.toml".to_string(), line, 1, format!("input.{}.{key}: {words}", if key == "min" { "on" } else { "requested_amount" }))]);
    }
}

/// Without parameters.toml, every `param("…")` was its own "unknown parameter" error.
#[test]
fn a_script_reading_parameters_without_parameters_toml_is_one_error() {
    let rules = "let a = param(\"low\");\nlet b = param(\"high\");\nlet c = param(\"low\");\nrule(\"r\", a < b, \"ok\");\noutcome(\"eligible\");\n";
    let e = load(MANIFEST, rules).expect_err("refused");
    assert_eq!(
        problems(&e),
        vec![("rules.rhai".to_string(), 1, 9, "the script reads parameter \"low\" and 1 more, but the rule set has no parameters.toml".to_string())]
    );
}

#[test]
fn a_misspelt_variable_is_found_at_load_with_the_name_it_is_near() {
    let at = |line: usize, column: usize, message: &str| ("rules.rhai".to_string(), line, column, message.to_string());
    // `input` misspelt: the constant every script has.
    let e = load(MANIFEST, "let amount = inptu.requested_amount;\nrule(\"a\", true, \"ok\");\noutcome(\"eligible\");\n").unwrap_err();
    assert_eq!(problems(&e), [at(1, 14, "Undefined variable: inptu; did you mean `input`?")]);
    // A variable the script declares, misspelt where it is read.
    let e = load(MANIFEST, "let amount = input.requested_amount;\nlet big = amout > 5;\nrule(\"a\", big, \"ok\");\noutcome(\"eligible\");\n").unwrap_err();
    assert_eq!(problems(&e), [at(2, 11, "Undefined variable: amout; did you mean `amount`?")]);
    // Nothing near: no guess.
    let e = load(MANIFEST, "let big = zzzzzz > 5;\nrule(\"a\", big, \"ok\");\noutcome(\"eligible\");\n").unwrap_err();
    assert_eq!(problems(&e), [at(1, 11, "Undefined variable: zzzzzz")]);
}

/// `information_rules` names rules whose reasons a form shows as notes, not as met or not
/// met. A rule there that the script never names (misspelt, or renamed in rules.rhai) would
/// quietly be shown with ✓ or ✗ again: it is a load error at its line, with the name it is near.
#[test]
fn information_rules_name_rules_the_script_names() {
    let rules = "let big = input.requested_amount > 5;\n\
        rule(\"within_band\", big, \"ok\");\n\
        rule(\"under_age\", false, \"a fact\");\n\
        outcome(if big { \"eligible\" } else { \"ineligible\" });\n";
    let listed = |ids: &str| MANIFEST.replacen("\n[as_of]", &format!("information_rules = [\n  {ids},\n]\n\n[as_of]"), 1);
    let manifest = listed("\"under_age\",\n  \"within_bnad\",\n  \"colour\"");
    let e = load(&manifest, rules).expect_err("refused");
    let line = |item: &str| manifest.lines().position(|l| l.trim_start().starts_with(item)).unwrap() + 1;
    let at = |line: usize, column: usize, message: &str| ("ruleset.toml".to_string(), line, column, message.to_string());
    assert_eq!(
        problems(&e),
        [
            at(line("\"within_bnad\""), 3, "information_rules: rules.rhai names no rule \"within_bnad\"; did you mean \"within_band\"?"),
            at(line("\"colour\""), 3, "information_rules: rules.rhai names no rule \"colour\" (it names within_band, under_age)"),
        ]
    );

    // Named rules load, and `describe` carries them for forms; decisions are unchanged.
    let rs = load(&listed("\"under_age\""), rules).unwrap_or_else(|e| panic!("should load: {e}"));
    assert_eq!(rs.manifest.information_rules, ["under_age"]);
    assert_eq!(rs.describe()["information_rules"], json!(["under_age"]));
    let d = rs.evaluate(&good(), &EvalOptions::default()).unwrap().to_json();
    let plain = load(MANIFEST, rules).unwrap().evaluate(&good(), &EvalOptions::default()).unwrap().to_json();
    let without_hash = |s: &str| s.replace(&rs.hash, "").replace(&load(MANIFEST, rules).unwrap().hash, "");
    assert_eq!(without_hash(&d), without_hash(&plain), "the decision is the same but for the files' hash");
    assert!(d.contains(r#"{"rule":"under_age","passed":false,"message":"a fact"}"#), "{d}");
    // Without the key, describe still gives the list (empty), so forms need not test for it.
    assert_eq!(load(MANIFEST, rules).unwrap().describe()["information_rules"], json!([]));
}

/// A misspelt keyword (`esle`) or another language's word (`elif`, `and`) read as "Undefined
/// variable: esle" or "Expecting ';'", with nothing to say what rules write instead.
#[test]
fn a_misspelt_keyword_or_another_languages_word_says_what_rules_write() {
    let at = |line: usize, column: usize, message: &str| ("rules.rhai".to_string(), line, column, message.to_string());
    let error = |script: &str| {
        let e = load(MANIFEST, &format!("let big = input.requested_amount > 5;\n{script}\nrule(\"a\", true, \"ok\");\noutcome(\"eligible\");\n")).unwrap_err();
        problems(&e)
    };
    assert_eq!(error("if big { 1 } esle { 2 }"), [at(2, 14, "Undefined variable: esle; did you mean the keyword `else`?")]);
    assert_eq!(error("Let small = !big;"), [at(2, 1, "Undefined variable: Let; did you mean `let`?")]);
    assert_eq!(error("if big { 1 } elif big { 2 }"), [at(2, 14, "Undefined variable: elif; did you mean `else if`?")]);
    assert_eq!(error("let small = not big;"), [at(2, 13, "Undefined variable: not; did you mean `!`?")]);
    assert_eq!(
        error("if big and input.fund == \"space\" { 1 }"),
        [at(2, 8, "Expecting '{' to start a statement block (`and` is written `&&` in rules)")]
    );
    assert_eq!(
        error("let either = big or input.fund == \"space\";"),
        [at(2, 18, "Expecting ';' to end the statement before this (`or` is written `||` in rules)")]
    );
    assert_eq!(
        error("let other = input.fund <> \"space\";"),
        [at(2, 25, "Expecting a value here, not '>' (`<>` is written `!=` in rules)")]
    );
    assert_eq!(
        error("let small = input.requested_amount =< 5;"),
        [at(2, 36, "Expecting ';' to end the statement before this (`=<` is written `<=` in rules)")]
    );
    // A short name is not taken for a keyword (`n` for `in`).
    assert_eq!(error("let total = n + 1;"), [at(2, 13, "Undefined variable: n")]);
}

/// The problems of the rule set with `params` as its parameters.toml (and `manifest` as its
/// ruleset.toml), whose script reads no parameter.
fn toml_problems(manifest: &str, params: &str) -> Vec<(String, usize, usize, String)> {
    let mut f = files(manifest, "rule(\"r\", true, \"ok\");\noutcome(\"eligible\");\n");
    f.insert("parameters.toml".into(), params.into());
    problems(&RuleSet::from_files("checks", f).expect_err("refused"))
}

/// A problem in parameters.toml at line and column, as `problems` lists it.
fn params_at(line: usize, column: usize, message: &str) -> (String, usize, usize, String) {
    ("parameters.toml".to_string(), line, column, message.to_string())
}

/// The problems of [`PARAMS`] with its first `from` written `to`.
fn slip(from: &str, to: &str) -> Vec<(String, usize, usize, String)> {
    let params = PARAMS.replacen(from, to, 1);
    assert_ne!(params, PARAMS, "{from}");
    toml_problems(MANIFEST, &params)
}

/// parameters.toml with `slip` in place of `[cap]` (or of its first value line).
const PARAMS: &str = "# Amounts.\n\n[cap]\ntype = \"money\"\nlabel = \"The most a grant can be\"\nvalues = [{ from = 2020-01-01, value = 500 }]\n\n[floor]\ntype = \"money\"\nvalues = [{ from = 2020-01-01, value = 5 }]\n";

/// A table header without its closing `]` was "unclosed table, expected `]`" at the end of
/// its line, which the terminal drew as a span ending at the next line's start: for a table
/// with no keys, the next table.
#[test]
fn a_table_header_without_its_closing_bracket_is_found_at_its_line() {
    let at = |file: &str, line: usize, column: usize, message: &str| (file.to_string(), line, column, message.to_string());
    let params = |header: &str| PARAMS.replace("[cap]", header);
    assert_eq!(
        toml_problems(MANIFEST, &params("[cap")),
        [at("parameters.toml", 3, 1, "the table header `[cap` is missing its closing `]`")]
    );
    assert_eq!(
        toml_problems(MANIFEST, &params("[cap   # the most")),
        [at("parameters.toml", 3, 1, "the table header `[cap` is missing its closing `]`")]
    );
    let manifest = MANIFEST.replace("[as_of]", "[as_of");
    let line = manifest.lines().position(|l| l == "[as_of").unwrap() + 1;
    assert_eq!(toml_problems(&manifest, PARAMS), [at("ruleset.toml", line, 1, "the table header `[as_of` is missing its closing `]`")]);
    let manifest = MANIFEST.replacen("[[outcomes]]", "[[outcomes]", 1);
    let line = manifest.lines().position(|l| l == "[[outcomes]").unwrap() + 1;
    assert_eq!(toml_problems(&manifest, PARAMS), [at("ruleset.toml", line, 1, "the table header `[[outcomes]` is missing its closing `]]`")]);
    // Its other bracket, or a space in its name.
    assert_eq!(
        toml_problems(MANIFEST, &params("cap]")),
        [at("parameters.toml", 3, 1, "the table header `cap]` is missing its opening `[`")]
    );
    assert_eq!(
        toml_problems(MANIFEST, &params("[grant cap]")),
        [at("parameters.toml", 3, 7, "the table header `[grant cap]` has a space in its name: a name is one word (join words with `_`)")]
    );
}

/// A list without its closing `]` was "missing comma between array elements" at the next
/// table's header: the line after the mistake, or many lines after it.
#[test]
fn a_list_without_its_closing_bracket_is_found_where_it_opens() {
    let params = PARAMS.replace("value = 500 }]", "value = 500 }");
    assert_eq!(toml_problems(MANIFEST, &params), [params_at(6, 10, "this list is missing its closing `]`")]);
    let params = PARAMS.replace("values = [{ from = 2020-01-01, value = 500 }]", "values = [\n  { from = 2020-01-01, value = 500 },\n  { from = 2021-01-01, value = 600 },\n");
    assert_eq!(toml_problems(MANIFEST, &params), [params_at(6, 10, "this list is missing its closing `]`")]);
    // A comma missing between two items is where toml says, in its words.
    let params = PARAMS.replace("values = [{ from = 2020-01-01, value = 500 }]", "values = [\n  { from = 2020-01-01, value = 500 }\n  { from = 2021-01-01, value = 600 },\n]");
    assert_eq!(toml_problems(MANIFEST, &params), [params_at(8, 3, "missing comma between array elements, expected `,`")]);
}

/// A value written as a policy document writes it: text without quotes was "string values
/// must be quoted, expected literal string", and so were a date written 01/04/2024 and an
/// amount written £500 (which quotes would not have made right); 3,000 was "invalid literal
/// string, expected `'`" further along the line.
#[test]
fn a_value_written_without_toml_quotes_or_form_says_how_to_write_it() {
    assert_eq!(
        slip("label = \"The most a grant can be\"", "label = The most a grant can be"),
        [params_at(5, 9, "text goes in double quotes: \"The most a grant can be\"")]
    );
    assert_eq!(slip("type = \"money\"", "type = money"), [params_at(4, 8, "text goes in double quotes: \"money\"")]);
    assert_eq!(
        slip("label = \"The most a grant can be\"", "label = “The most”"),
        [params_at(5, 9, "this text is in curly quotes: TOML needs straight ones, \"like this\"")]
    );
    assert_eq!(slip("label = \"The most a grant can be\"", "label ="), [params_at(5, 1, "`label` has no value after its `=`")]);
    let date = "a date is written year-month-day, without quotes: 2020-04-01 for 1 April 2020, not ";
    assert_eq!(slip("2020-01-01", "01/04/2020"), [params_at(6, 20, &format!("{date}01/04/2020"))]);
    assert_eq!(slip("2020-01-01", "1.4.2020"), [params_at(6, 20, &format!("{date}1.4.2020"))]);
    assert_eq!(slip("2020-01-01", "01-04-2020"), [params_at(6, 20, &format!("{date}01-04-2020"))]);
    // Month first where the day cannot be: said as read, so a misreading shows.
    assert_eq!(
        slip("2020-01-01", "04/13/2020"),
        [params_at(6, 20, "a date is written year-month-day, without quotes: 2020-04-13 for 13 April 2020, not 04/13/2020")]
    );
    assert_eq!(slip("value = 500 }", "value = £500 }"), [params_at(6, 40, "an amount is written as a plain number, without `£`: 500")]);
    assert_eq!(slip("value = 500 }", "value = 3,000.50 }"), [params_at(6, 40, "an amount is written without commas: 3000.50")]);
    let manifest = MANIFEST.replace("version = \"1\"", "version = 2024.1.1");
    let line = manifest.lines().position(|l| l.starts_with("version")).unwrap() + 1;
    assert_eq!(
        toml_problems(&manifest, PARAMS),
        [("ruleset.toml".to_string(), line, 11, "`2024.1.1` is not a number: text goes in double quotes, \"2024.1.1\"".to_string())]
    );
}

/// A key or table given twice was "duplicate key" (a table's name is a key to toml), with
/// nothing to say where the first was. Other slips at a key: a `//` comment, `:` for `=`, a
/// key of two words, text without its closing quote (placed at the line's end).
#[test]
fn a_key_written_wrong_or_twice_says_which_and_where() {
    assert_eq!(
        slip("values = [{ from = 2020-01-01, value = 500 }]", "values = [{ from = 2020-01-01, value = 500 }]\nlabel = \"Again\""),
        [params_at(7, 1, "`label` is already set at line 5: a key is set once in each table")]
    );
    assert_eq!(slip("[floor]", "[cap]"), [params_at(8, 2, "the table `[cap]` is already defined at line 3: each table once")]);
    assert_eq!(slip("# Amounts.", "// Amounts."), [params_at(1, 1, "a comment in a TOML file starts with `#`, not `//`")]);
    assert_eq!(
        slip("label = \"The most a grant can be\"", "label: \"The most a grant can be\""),
        [params_at(5, 1, "a key and its value are joined with `=`, not `:` (`label = …`)")]
    );
    assert_eq!(
        slip("label = \"The most a grant can be\"", "grant label = \"The most a grant can be\""),
        [params_at(5, 1, "the key `grant label` has a space in it: a key is one word (join words with `_`)")]
    );
    assert_eq!(
        slip("label = \"The most a grant can be\"", "label = \"The most a grant can be"),
        [params_at(5, 9, "this text is missing its closing `\"`")]
    );
}

/// A `/*` never closed made the rest of rules.rhai a comment without a word: "the script
/// names no rules", or, with rules before it, nothing at all while the rest vanished.
#[test]
fn a_block_comment_never_closed_is_found_where_it_opens() {
    let at = |line: usize, column: usize, message: &str| ("rules.rhai".to_string(), line, column, message.to_string());
    let open = "this comment, opened with /*, is never closed with */: everything after it is ignored";
    // Rules before it: without the check this loaded, with one rule and no outcome said.
    let e = load(MANIFEST, "rule(\"a\", true, \"ok\");\n/* for now\nrule(\"b\", true, \"ok\");\noutcome(\"eligible\");\n").unwrap_err();
    assert_eq!(problems(&e), [at(2, 1, open)]);
    // Nested as Rhai nests them; text with £ and curly quotes before it on its line.
    let e = load(MANIFEST, "let s = \"£“”\"; /* a /* b */ still open\nrule(\"a\", true, \"ok\");\noutcome(\"eligible\");\n").unwrap_err();
    assert_eq!(problems(&e), [at(1, 16, open)]);
    // A block left open by the comment is the comment's doing: one problem, not two.
    let e = load(MANIFEST, "rule(\"a\", true, \"ok\");\nif true {\n  /* x\n}\noutcome(\"eligible\");\n").unwrap_err();
    assert_eq!(problems(&e), [at(3, 3, open)]);
    // A slip before it is a slip of its own.
    let e = load(MANIFEST, "let x = ;\n/* x\nrule(\"a\", true, \"ok\");\noutcome(\"eligible\");\n").unwrap_err();
    let p = problems(&e);
    assert_eq!((p.len(), &p[1]), (2, &at(2, 1, open)), "{p:?}");
    assert_eq!((p[0].1, p[0].2), (1, 9), "{p:?}");

    // Not comments: `/*` in strings (backtick ones with `${…}` too) and after `//`; closed
    // comments, nested ones included.
    let rules = "let s = \"a /* b\";\n\
        let t = `x ${ #{ k: \"/*\" }.k } y /* ${ if true { \"}\" } else { \"{\" } } /*`;\n\
        // a /* in a line comment\n\
        /* one /* two */ still one */ /**/ /***/\n\
        rule(\"a\", s.len() > 0 && t.len() > 0, \"ok\");\n\
        outcome(\"eligible\");\n";
    let rs = load(MANIFEST, rules).unwrap_or_else(|e| panic!("should load: {e}"));
    assert!(rs.evaluate(&good(), &EvalOptions::default()).unwrap().reasons[0].passed);
}

/// A date written bare, as in the TOML files, is whole numbers taken away (2024 − 1 − 1):
/// the script loaded, then compared a date with 2022, or stopped.
#[test]
fn a_date_written_bare_is_found_where_it_is_written() {
    let rules = "let s = \"£“”\"; if input.on < 2024-01-01 { rule(\"a\", true, \"ok\"); }\n\
        fn start() { let start = 2022-04-01; start }\n\
        let later = input.requested_amount + 2024-12-31;\n\
        rule(\"b\", start() == 0 && later > 0, \"ok\");\n\
        outcome(\"eligible\");\n";
    let e = load(MANIFEST, rules).unwrap_err();
    let at = |line: usize, column: usize, message: &str| ("rules.rhai".to_string(), line, column, message.to_string());
    assert_eq!(
        problems(&e),
        [
            at(1, 30, "2024-01-01 is read as a sum (2024 \u{2212} 1 \u{2212} 1): write a date as date(\"2024-01-01\")"),
            at(2, 26, "2022-04-01 is read as a sum (2022 \u{2212} 4 \u{2212} 1): write a date as date(\"2022-04-01\")"),
            at(3, 38, "2024-12-31 is read as a sum (2024 \u{2212} 12 \u{2212} 31): write a date as date(\"2024-12-31\")"),
        ]
    );

    // Left alone: dates written as dates, in text, and sums that are no date's shape.
    let rules = "let on = date(\"2024-01-01\");\n\
        let text = \"2024-01-01\";\n\
        let a = 2024 - 01 - 01;\n\
        let b = 2024-1-1;\n\
        let c = 2024-13-01 + 2024-01-32 + 2024-01-011 + 2024-01-00 + 12024-01-01;\n\
        rule(\"a\", on < as_of && text != \"\" && a == b && c != 0, \"ok\");\n\
        outcome(\"eligible\");\n";
    load(MANIFEST, rules).unwrap_or_else(|e| panic!("should load: {e}"));
}

/// A map written without its `#` is read as a block: "Undefined variable: small", or, when
/// the script has a `small` or the name is quoted, "Expecting ';'", with nothing to say that
/// a map was meant.
#[test]
fn a_map_without_its_hash_says_how_a_map_is_written() {
    let at = |line: usize, column: usize, message: &str| ("rules.rhai".to_string(), line, column, message.to_string());
    let error = |script: &str| {
        let e = load(MANIFEST, &format!("let big = input.requested_amount > 5;\n{script}\nrule(\"a\", true, \"ok\");\noutcome(\"eligible\");\n")).unwrap_err();
        problems(&e)
    };
    let hint = " (a map is written #{ name: value })";
    assert_eq!(error("let caps = { small: 100, large: 500 };"), [at(2, 14, &format!("Undefined variable: small{hint}"))]);
    assert_eq!(
        error("let s = \"£“”\"; let small = 1;\nlet caps = {\n  small: 100,\n  large: 500\n};"),
        [at(4, 8, &format!("Expecting ';' to end the statement before this{hint}"))]
    );
    assert_eq!(
        error("rule(\"b\", big, \"ok\", { \"amount\": input.requested_amount });"),
        [at(2, 32, &format!("Expecting ';' to end the statement before this{hint}"))]
    );
    assert_eq!(error("let caps = [#{ small: 1 }, { large: 2 }];"), [at(2, 30, &format!("Undefined variable: large{hint}"))]);
    // Not where a value goes: a block's, with the error's own words.
    assert_eq!(error("if big { smal: 1 }"), [at(2, 10, "Undefined variable: smal")]);
    assert_eq!(error("let caps = #{ small: 100, large: 500 }; { small: 1 }"), [at(2, 43, "Undefined variable: small")]);
}
