//! The core engine through its Rust API: schema types and their errors, dated parameters,
//! exact money, calendar arithmetic, sandbox limits, load errors with line and column, and
//! determinism. Rule sets are built from strings, as the browser builds them.

use eligo::ruleset::Files;
use eligo::{Decision, Error, ErrorCode, EvalOptions, RuleSet};
use serde_json::{json, Value};

const MANIFEST: &str = r#"
id = "sample"
title = "Every feature"
version = "1"
owner = "tests"
description = "A rule set using every schema type."

[as_of]
field = "on"

[[outcomes]]
id = "yes"
label = "Yes"

[[outcomes]]
id = "no"
label = "No"

[[input]]
name = "on"
type = "date"
min = "2000-01-01"

[[input]]
name = "count"
type = "integer"
min = 0
max = 10

[[input]]
name = "ratio"
type = "number"
required = false

[[input]]
name = "amount"
type = "money"
min = 0

[[input]]
name = "flag"
type = "boolean"
default = false

[[input]]
name = "note"
type = "string"
required = false
max_length = 5

[[input]]
name = "colour"
type = "enum"
options = [{ value = "red", label = "Red" }, { value = "blue", label = "Blue" }]

[[input]]
name = "why_blue"
type = "string"
visible_when = { field = "colour", equals = "blue" }

[[input]]
name = "items"
type = "list"
required = false
max_items = 3
[input.items]
type = "object"
[[input.items.fields]]
name = "cost"
type = "money"
min = 0
[[input.items.fields]]
name = "when"
type = "date"
"#;

const PARAMS: &str = r#"
[limit]
type = "money"
values = [
  { from = 2000-01-01, value = 100 },
  { from = "2017-05-01", value = 150.5 },
]

[holidays]
type = "list"
item = "date"
values = [{ from = "2000-01-01", value = ["2023-04-07", "2023-04-10"] }]
"#;

const RULES: &str = r#"
let limit = param("limit");
let total = input.amount + sum(if input.items == () { [] } else { input.items }, "cost");
let ok = rule("under_limit", total <= limit,
    `Total ${money(total)} is within ${money(limit)}.`,
    `Total ${money(total)} is over ${money(limit)}.`,
    #{ total: total, limit: limit });
value("total", total);
value("limit", limit);
value("point_three", 0.1 + 0.2 == 0.3);
value("deadline", add_working_days(as_of, 2, param("holidays")));
outcome(if ok { "yes" } else { "no" });
"#;

fn files(manifest: &str, params: &str, rules: &str) -> Files {
    let mut f = Files::new();
    f.insert("ruleset.toml".into(), manifest.into());
    f.insert("parameters.toml".into(), params.into());
    f.insert("rules.rhai".into(), rules.into());
    f
}

fn sample() -> RuleSet {
    match RuleSet::from_files("sample", files(MANIFEST, PARAMS, RULES)) {
        Ok(rs) => rs,
        Err(e) => panic!("sample rule set should load: {e}"),
    }
}

fn good() -> Value {
    json!({"on": "2017-05-01", "count": 3, "amount": "50.25", "colour": "red",
           "items": [{"cost": 100.25, "when": "2017-06-01"}]})
}

fn eval(rs: &RuleSet, input: Value) -> Result<Decision, Error> {
    rs.evaluate(&input, &EvalOptions::default())
}

fn issue_paths(e: &Error) -> Vec<String> {
    e.issues.iter().map(|i| i.path.clone()).collect()
}

#[test]
fn decides_with_reasons_and_exact_values() {
    let d = eval(&sample(), good()).unwrap();
    assert_eq!(d.outcome, "yes");
    assert_eq!(d.values["total"].to_string(), "150.50");
    assert_eq!(d.values["point_three"], json!(true));
    assert_eq!(d.reasons.len(), 1);
    assert_eq!(d.reasons[0].message.as_deref(), Some("Total £150.50 is within £150.50."));
    assert_eq!(d.as_of, "2017-05-01");
    assert!(d.ruleset.hash.starts_with("sha256:"));
    assert!(d.engine.starts_with("eligo/"));
}

#[test]
fn a_penny_over_fails() {
    let mut input = good();
    input["amount"] = json!(50.26);
    let d = eval(&sample(), input).unwrap();
    assert_eq!(d.outcome, "no");
    assert_eq!(d.reasons[0].message.as_deref(), Some("Total £150.51 is over £150.50."));
}

#[test]
fn parameter_value_changes_on_its_effective_date() {
    let rs = sample();
    let mut input = good();
    input["on"] = json!("2017-04-30");
    let before = eval(&rs, input.clone()).unwrap();
    assert_eq!(before.values["limit"], json!(100));
    input["on"] = json!("2017-05-01");
    assert_eq!(eval(&rs, input.clone()).unwrap().values["limit"].to_string(), "150.5");
    // --as-of overrides the input's own date.
    let opts = EvalOptions { as_of: Some("2010-01-01".into()), trace: false, brief: false };
    assert_eq!(rs.evaluate(&input, &opts).unwrap().values["limit"], json!(100));
    // No value yet in force.
    let opts = EvalOptions { as_of: Some("1999-12-31".into()), trace: false, brief: false };
    let e = rs.evaluate(&input, &opts).unwrap_err();
    assert_eq!(e.code, ErrorCode::EvaluationError);
    assert!(e.message.contains("no value in force on 1999-12-31"), "{}", e.message);
}

#[test]
fn working_days_skip_weekends_and_holidays() {
    let rs = sample();
    let mut input = good();
    // Thursday before Good Friday 2023: Fri 7 and Mon 10 April are holidays.
    input["on"] = json!("2023-04-06");
    assert_eq!(eval(&rs, input.clone()).unwrap().values["deadline"], json!("2023-04-12"));
    input["on"] = json!("2022-09-30"); // a Friday
    assert_eq!(eval(&rs, input).unwrap().values["deadline"], json!("2022-10-04"));
}

#[test]
fn every_schema_error_is_reported_together_with_its_path() {
    let bad = json!({
        "on": "2023-02-29", "count": 11, "ratio": "lots", "amount": -1, "flag": "yes",
        "note": "toolong", "colour": "green", "items": [{"cost": 1.001, "when": "2020-13-01", "extra": 2}, null],
        "surprise": 1, "we/ird~": 0
    });
    let e = eval(&sample(), bad).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    let msg = |p: &str| e.issues.iter().find(|i| i.path == p).map(|i| i.message.clone()).unwrap_or_default();
    assert!(msg("/on").contains("not a real calendar date"), "{e}");
    assert_eq!(msg("/count"), "must be at most 10");
    assert!(msg("/ratio").contains("not a number"), "{e}");
    assert_eq!(msg("/amount"), "must not be negative");
    assert_eq!(msg("/flag"), "must be true or false");
    assert_eq!(msg("/note"), "must be at most 5 characters");
    assert_eq!(msg("/colour"), "must be one of: red, blue");
    assert!(msg("/items/0/cost").contains("at most 2 decimal places"), "{e}");
    assert!(msg("/items/0/when").contains("not a real calendar date"), "{e}");
    assert_eq!(msg("/items/1"), "must not be empty");
    assert_eq!(msg("/surprise"), "is not a field of this form");
    // Keys that are not fields, at any depth, as JSON pointers (~ and / escaped), and at
    // each level before the fields' own problems.
    assert_eq!(msg("/we~1ird~0"), "is not a field of this form");
    assert_eq!(msg("/items/0/extra"), "is not a field of this form");
    assert_eq!(&issue_paths(&e)[..2], ["/surprise", "/we~1ird~0"]);
    assert_eq!(e.issues.len(), 13, "{e}");
}

#[test]
fn required_conditional_and_typed_errors() {
    let rs = sample();
    let e = eval(&rs, json!({})).unwrap_err();
    let paths = issue_paths(&e);
    for p in ["/on", "/count", "/amount", "/colour"] {
        assert!(paths.contains(&p.to_string()), "{p} missing from {paths:?}");
    }
    assert!(!paths.contains(&"/ratio".to_string()) && !paths.contains(&"/flag".to_string()));
    // A field shown only for blue is required only then.
    assert!(!paths.contains(&"/why_blue".to_string()));
    let mut input = good();
    input["colour"] = json!("blue");
    assert_eq!(issue_paths(&eval(&rs, input.clone()).unwrap_err()), vec!["/why_blue"]);
    input["why_blue"] = json!("sky");
    assert!(eval(&rs, input).is_ok());
    // Wrong JSON types.
    let mut input = good();
    input["count"] = json!(2.5);
    input["items"] = json!("none");
    input["on"] = json!(20170501);
    let e = eval(&rs, input).unwrap_err();
    let msg = |p: &str| e.issues.iter().find(|i| i.path == p).map(|i| i.message.clone()).unwrap_or_default();
    assert_eq!(msg("/count"), "must be a whole number");
    assert_eq!(msg("/items"), "must be a list");
    assert_eq!(msg("/on"), "must be a date in the form YYYY-MM-DD");
    let e = eval(&rs, json!([1, 2])).unwrap_err();
    assert_eq!(issue_paths(&e), vec!["/"]);
    let mut input = good();
    input["items"] = json!([{"cost": 1, "when": "2020-01-01"}, {"cost": 1, "when": "2020-01-01"},
                            {"cost": 1, "when": "2020-01-01"}, {"cost": 1, "when": "2020-01-01"}]);
    assert_eq!(eval(&rs, input).unwrap_err().issues[0].message, "must have at most 3 items");
    let mut input = good();
    input["on"] = json!("1999-12-31");
    assert_eq!(eval(&rs, input).unwrap_err().issues[0].message, "must be on or after 2000-01-01");
}

#[test]
fn money_is_exact() {
    let rules = r#"
        let a = input.amount;
        rule("r", true, "ok");
        value("sum", 0.1 + 0.2);
        value("thirds", pence(a / 3));
        value("times", a * 3);
        value("fmt", money(a * 1000000));
        outcome("yes");
    "#;
    let rs = RuleSet::from_files("m", files(MANIFEST, PARAMS, rules)).unwrap();
    let mut input = good();
    input["amount"] = json!(0.01);
    let d = eval(&rs, input).unwrap();
    assert_eq!(d.values["sum"].to_string(), "0.3");
    assert_eq!(d.values["thirds"].to_string(), "0.00");
    assert_eq!(d.values["times"].to_string(), "0.03");
    assert_eq!(d.values["fmt"], json!("£10,000.00"));
    let mut input = good();
    input["amount"] = json!("£1,234.56");
    let d = eval(&rs, input).unwrap();
    assert_eq!(d.values["times"].to_string(), "3703.68");
}

#[test]
fn ages_count_birthdays_on_the_day_and_leap_days() {
    let rules = r#"
        rule("r", true, "ok");
        value("age", age_on(date("2004-02-29"), as_of));
        value("age2", age_on(date("2002-06-01"), as_of));
        outcome("yes");
    "#;
    let rs = RuleSet::from_files("a", files(MANIFEST, PARAMS, rules)).unwrap();
    let at = |d: &str| {
        let mut input = good();
        input["on"] = json!(d);
        let d = eval(&rs, input).unwrap();
        (d.values["age"].as_i64().unwrap(), d.values["age2"].as_i64().unwrap())
    };
    assert_eq!(at("2022-02-28"), (17, 19));
    assert_eq!(at("2022-03-01"), (18, 19));
    assert_eq!(at("2020-05-31"), (16, 17));
    assert_eq!(at("2020-06-01"), (16, 18));
    assert_eq!(at("2024-02-29"), (20, 21));
}

#[test]
fn syntax_error_has_line_and_column() {
    let rules = "let a = 1;\nlet b = ;\noutcome(\"yes\");\n";
    let e = RuleSet::from_files("s", files(MANIFEST, PARAMS, rules)).unwrap_err();
    assert_eq!(e.code, ErrorCode::RulesetError);
    let loc = e.location.clone().unwrap();
    assert_eq!((loc.file.as_str(), loc.line, loc.column), ("rules.rhai", 2, 9));
    assert_eq!(loc.ruleset, "sample");
}

#[test]
fn a_bad_parameter_value_is_one_error_at_its_entry() {
    let params = PARAMS.replace("value = 150.5", "value = \"150.5x\"");
    let e = RuleSet::from_files("s", files(MANIFEST, &params, RULES)).unwrap_err();
    // Not also an "unknown parameter" for every param("…") the script names.
    assert_eq!(e.issues.len(), 1, "{:?}", e.issues);
    let loc = e.location.unwrap();
    assert_eq!((loc.file.as_str(), loc.line, loc.column), ("parameters.toml", 6, 3));
    assert!(e.message.starts_with("parameter limit.values[1]: "), "{}", e.message);
    // A table value's own braces are not counted as entries, nor braces in its text.
    let table = "\n[names]\ntype = \"table\"\nvalues = [{ from = 2000-01-01, value = { a = \"A \\\"{\\\" }\" } }, { from = 2001-01-01, value = 5 }]\n";
    let e = RuleSet::from_files("s", files(MANIFEST, &format!("{PARAMS}{table}"), RULES)).unwrap_err();
    let loc = e.location.unwrap();
    let second = table.lines().nth(3).unwrap().find(", {").unwrap() + 3;
    assert_eq!((loc.line, loc.column), (16, second), "{}", e.message);
    assert!(e.message.starts_with("parameter names.values[1]: "), "{}", e.message);
}

/// Two values of a parameter taking effect on one date are named, with the date, at the later
/// one's line: it was "parameter limit: two values take effect on the same date", at the
/// parameter's header, leaving the reader to find which two.
#[test]
fn two_values_on_one_date_are_named_with_the_date_at_the_later_ones_line() {
    let params = PARAMS.replace("  { from = \"2017-05-01\", value = 150.5 },\n", "  { from = \"2017-05-01\", value = 150.5 },\n  { from = \"2000-01-01\", value = 120 },\n");
    assert_ne!(params, PARAMS);
    let e = RuleSet::from_files("s", files(MANIFEST, &params, RULES)).unwrap_err();
    assert_eq!(e.issues.len(), 1, "{:?}", e.issues);
    let loc = e.location.unwrap();
    assert_eq!((loc.file.as_str(), loc.line, loc.column), ("parameters.toml", 7, 3));
    assert_eq!(
        e.message,
        "parameter limit.values[2]: takes effect on 2000-01-01, as values[0] does: two values of a parameter cannot take effect on the same date; change one's `from`, or remove one"
    );
}

#[test]
fn lint_finds_unknown_parameters_outcomes_and_variables() {
    let rules = "rule(\"r\", true, \"ok\");\nlet x = param(\"limmit\");\noutcome(\"maybe\");\n";
    let e = RuleSet::from_files("s", files(MANIFEST, PARAMS, rules)).unwrap_err();
    let lines: Vec<(usize, String)> =
        e.issues.iter().map(|i| (i.location.as_ref().unwrap().line, i.message.clone())).collect();
    assert!(lines.iter().any(|(l, m)| *l == 2 && m.contains("unknown parameter \"limmit\"")), "{lines:?}");
    assert!(lines.iter().any(|(l, m)| *l == 3 && m.contains("unknown outcome \"maybe\"")), "{lines:?}");
    let rules = "rule(\"r\", true, \"ok\");\nif inptu.count > 1 {}\noutcome(\"yes\");\n";
    let e = RuleSet::from_files("s", files(MANIFEST, PARAMS, rules)).unwrap_err();
    assert_eq!(e.location.unwrap().line, 2);
    assert!(e.message.contains("inptu"), "{}", e.message);
}

#[test]
fn calls_to_functions_that_do_not_exist_are_found_at_load() {
    // Rhai looks a function up only when it is called: each of these would load and then
    // stop an evaluation part way. They are reported at load, where the call is.
    let rules = "rule(\"r\", true, \"ok\");\n\
        let a = [1, 2];\n\
        let b = sqrt(4);\n\
        let c = a.contians(1);\n\
        let d = contains(a, 1, 2);\n\
        let e = a.contains(1, 2);\n\
        let f = ronud(1.5);\n\
        outcome(\"yes\");\n";
    let e = RuleSet::from_files("s", files(MANIFEST, PARAMS, rules)).unwrap_err();
    assert_eq!(e.code, ErrorCode::RulesetError);
    let found: Vec<(usize, usize, &str)> = e
        .issues
        .iter()
        .map(|i| i.location.as_ref().map(|l| (l.line, l.column, i.message.as_str())).unwrap())
        .collect();
    assert_eq!(
        found,
        [
            (3, 9, "there is no function `sqrt`: neither this script nor the rule library defines one, so `sqrt(…)` would fail whenever it ran; did you mean `sort`?"),
            (4, 11, "there is no method `contians`: neither this script nor the rule library defines one, so `….contians(…)` would fail whenever it ran; did you mean `contains`?"),
            (5, 9, "`contains(…)` takes 2 arguments, not 3: this call would fail whenever it ran"),
            (6, 11, "`….contains(…)` takes 1 argument, not 2: this call would fail whenever it ran"),
            (7, 9, "there is no function `ronud`: neither this script nor the rule library defines one, so `ronud(…)` would fail whenever it ran; did you mean `round`?"),
        ]
    );

    // What does exist is left alone: the script's own functions (as methods too, with
    // `this`), the library's, Rhai's own (`type_of`, `Fn`, `call`), and calls through a
    // function pointer held in a map or a variable.
    let rules = "fn double(v) { v * 2 }\n\
        fn plus(v) { this + v }\n\
        rule(\"r\", true, \"ok\");\n\
        let a = [1, 2];\n\
        let m = #{ f: |v| v + 1 };\n\
        let g = Fn(\"double\");\n\
        let total = double(1) + 3.plus(1) + m.f(1) + g.call(2) + a.len() + \"abc\".len() + floor(decimal(1));\n\
        value(\"total\", total);\n\
        value(\"kind\", type_of(total));\n\
        outcome(if a.contains(1) { \"yes\" } else { \"no\" });\n";
    let rs = RuleSet::from_files("s", files(MANIFEST, PARAMS, rules)).unwrap_or_else(|e| panic!("should load: {e}"));
    let d = eval(&rs, good()).unwrap();
    assert_eq!(d.outcome, "yes");
    assert_eq!(d.values["total"], json!(18));
    assert_eq!(d.values["kind"], json!("decimal"));
}

#[test]
fn comparisons_that_always_come_out_one_way_are_found_at_load() {
    // Rhai compares values of different types as unequal instead of stopping, so each of
    // these would load and quietly always decide the same way.
    let rules = "rule(\"r\", true, \"ok\");\n\
        let colour = input.colour;\n\
        let a = colour == \"rde\";\n\
        let b = input.flag == \"true\";\n\
        let c = input.on > \"2020-01-01\";\n\
        let d = 3 != input.note;\n\
        let e = input.count == true;\n\
        let f = input.items == \"none\";\n\
        let g = as_of < 5;\n\
        outcome(\"yes\");\n";
    let e = RuleSet::from_files("s", files(MANIFEST, PARAMS, rules)).unwrap_err();
    assert_eq!(e.code, ErrorCode::RulesetError);
    let found: Vec<(usize, &str)> =
        e.issues.iter().map(|i| (i.location.as_ref().unwrap().line, i.message.as_str())).collect();
    let same = "so this comparison always comes out the same way";
    assert_eq!(
        found,
        [
            (3, format!("`colour` (input.colour) is never \"rde\": its options are red, blue, {same}").as_str()),
            (4, format!("`input.flag` is true or false, never the text \"true\", {same}").as_str()),
            (5, format!("`input.on` is a date, never the text \"2020-01-01\", {same} (for the date itself, write date(\"2020-01-01\"))").as_str()),
            (6, format!("`input.note` is text, never a number, {same}").as_str()),
            (7, format!("`input.count` is a whole number, never true, {same}").as_str()),
            (8, format!("`input.items` is a list, never the text \"none\", {same}").as_str()),
            (9, format!("`as_of` is a date, never a number, {same}").as_str()),
        ]
    );

    // Left alone: comparisons that can go either way, a variable that is changed after it
    // is set from a field (assigned, or changed in place by a method), and `input` inside a
    // function, which is whatever was passed.
    let rules = "fn is_red(input) { input.colour == \"rde\" }\n\
        rule(\"r\", input.colour == \"red\" && input.count >= 3 && input.flag != false && input.on > date(\"2020-01-01\"), \"ok\");\n\
        let colour = input.colour;\n\
        colour = \"green\";\n\
        let g = colour == \"green\";\n\
        let shade = input.colour;\n\
        shade.make_upper();\n\
        let k = shade == \"RED\";\n\
        let h = input.note < \"b\";\n\
        let i = input.amount > 100;\n\
        let j = is_red(#{ colour: \"rde\" });\n\
        outcome(if g && j && k { \"yes\" } else { \"no\" });\n";
    let rs = RuleSet::from_files("s", files(MANIFEST, PARAMS, rules)).unwrap_or_else(|e| panic!("should load: {e}"));
    assert_eq!(eval(&rs, good()).unwrap().outcome, "yes");
}

#[test]
fn manifest_errors_point_at_the_line() {
    let broken = MANIFEST.replace("type = \"integer\"", "type = \"integr\"");
    let e = RuleSet::from_files("s", files(&broken, PARAMS, RULES)).unwrap_err();
    let loc = e.location.unwrap();
    assert_eq!(loc.file, "ruleset.toml");
    let line = broken.lines().nth(loc.line - 1).unwrap_or("");
    assert!(line.contains("integr"), "line {} is {line:?}", loc.line);
    let broken = MANIFEST.replace("options = [{ value = \"red\", label = \"Red\" }, { value = \"blue\", label = \"Blue\" }]", "");
    let e = RuleSet::from_files("s", files(&broken, PARAMS, RULES)).unwrap_err();
    assert!(e.message.contains("an enum field needs `options`"), "{}", e.message);
    let bad_params = PARAMS.replace("150.5", "150.555");
    let e = RuleSet::from_files("s", files(MANIFEST, &bad_params, RULES)).unwrap_err();
    assert_eq!(e.location.as_ref().unwrap().file, "parameters.toml");
    assert!(e.message.contains("pounds and pence"), "{}", e.message);
}

/// A string field's suggestions are offered to forms (in `describe`) and never enforced;
/// misplaced or malformed ones are load errors naming the field.
#[test]
fn suggestions_are_offered_not_enforced() {
    let note = "name = \"note\"\ntype = \"string\"\nrequired = false\nmax_length = 5\n";
    let offered = MANIFEST.replace(note, &format!("{note}suggestions = [{{ value = \"hi\", label = \"Hello\", help = \"A greeting\" }}, {{ value = \"bye\", label = \"Goodbye\" }}]\n"));
    let rs = RuleSet::from_files("s", files(&offered, PARAMS, RULES)).unwrap_or_else(|e| panic!("{e}"));
    let described = rs.describe();
    let field = described["input"].as_array().unwrap().iter().find(|f| f["name"] == "note").unwrap();
    assert_eq!(field["suggestions"], json!([{"value": "hi", "label": "Hello", "help": "A greeting"}, {"value": "bye", "label": "Goodbye"}]));
    let mut input = good();
    input["note"] = json!("other");
    let d = eval(&rs, input).unwrap_or_else(|e| panic!("a value not suggested is still accepted: {e}"));
    assert_eq!(d.outcome, "yes");

    let load_error = |manifest: String| RuleSet::from_files("s", files(&manifest, PARAMS, RULES)).unwrap_err().to_string();
    let on_integer = MANIFEST.replace("max = 10\n", "max = 10\nsuggestions = [{ value = \"3\", label = \"Three\" }]\n");
    let e = load_error(on_integer);
    assert!(e.contains("count") && e.contains("`suggestions` only applies to string fields"), "{e}");
    let too_long = offered.replace("value = \"bye\"", "value = \"goodbye\"");
    let e = load_error(too_long);
    assert!(e.contains("note") && e.contains("suggestion \"goodbye\" must be 1 to 5 characters"), "{e}");
    let twice = offered.replace("value = \"bye\"", "value = \"hi\"");
    let e = load_error(twice);
    assert!(e.contains("note") && e.contains("suggestion \"hi\" is listed twice"), "{e}");
}

fn limit_error(body: &str) -> Error {
    let rules = format!("rule(\"r\", true, \"ok\");\n{body}\noutcome(\"yes\");\n");
    let rs = RuleSet::from_files("h", files(MANIFEST, PARAMS, &rules)).unwrap_or_else(|e| panic!("{e}"));
    eval(&rs, good()).unwrap_err()
}

#[test]
fn sandbox_limits_stop_scripts_with_a_located_error() {
    let e = limit_error("loop { }");
    assert_eq!(e.code, ErrorCode::EvaluationError);
    assert!(e.message.contains("endless loop"), "{}", e.message);
    assert_eq!(e.location.unwrap().line, 2);
    let e = limit_error("fn f(n) { f(n + 1) }\nf(0);");
    assert!(e.message.contains("called each other"), "{}", e.message);
    let e = limit_error("let s = \"x\"; loop { s += s; }");
    assert!(e.message.contains("past the sandbox limit"), "{}", e.message);
    let e = limit_error("let a = []; loop { a.push(1); }");
    assert!(e.message.contains("past the sandbox limit"), "{}", e.message);
    // Rhai does not re-measure a map on every new key, so a growing map is stopped by the
    // map limit or by the operations limit, whichever comes first; memory stays bounded.
    let e = limit_error("let m = #{}; let i = 0; loop { m[`k${i}`] = i; i += 1; }");
    assert!(e.message.contains("past the sandbox limit") || e.message.contains("endless loop"), "{}", e.message);
    let e = limit_error("throw \"no\";");
    assert!(e.message.contains("the rules stopped: no"), "{}", e.message);
    let deep = format!("let x = {}1{};", "(".repeat(200), ")".repeat(200));
    let rules = format!("rule(\"r\", true, \"ok\");\n{deep}\noutcome(\"yes\");\n");
    let e = RuleSet::from_files("h", files(MANIFEST, PARAMS, &rules)).unwrap_err();
    assert_eq!(e.code, ErrorCode::RulesetError);
}

#[test]
fn scripts_cannot_reach_outside() {
    for (body, what) in [("eval(\"1\");", "eval"), ("import \"x\" as y;", "import"), ("let t = timestamp();", "timestamp")] {
        let rules = format!("rule(\"r\", true, \"ok\");\n{body}\noutcome(\"yes\");\n");
        match RuleSet::from_files("h", files(MANIFEST, PARAMS, &rules)) {
            Err(e) => assert_eq!(e.code, ErrorCode::RulesetError, "{what}"),
            Ok(rs) => {
                let e = eval(&rs, good()).unwrap_err();
                assert_eq!(e.code, ErrorCode::EvaluationError, "{what}: {e}");
            }
        }
    }
}

#[test]
fn outcome_must_be_declared_and_set() {
    let e = limit_error("let o = \"ma\" + \"ybe\"; outcome(o);");
    assert!(e.message.contains("not one of this rule set's outcomes"), "{}", e.message);
    let rules = "rule(\"r\", true, \"ok\");\nif input.count > 100 { outcome(\"yes\"); }\n";
    let rs = RuleSet::from_files("h", files(MANIFEST, PARAMS, rules)).unwrap();
    let e = eval(&rs, good()).unwrap_err();
    assert!(e.message.contains("without calling outcome"), "{}", e.message);
}

#[test]
fn decisions_are_deterministic_to_the_byte() {
    let rs = sample();
    let opts = EvalOptions { as_of: None, trace: true, brief: false };
    let a = rs.evaluate(&good(), &opts).unwrap().to_json();
    let b = rs.evaluate(&good(), &opts).unwrap().to_json();
    let c = sample().evaluate(&good(), &opts).unwrap().to_json();
    assert_eq!(a, b);
    assert_eq!(a, c);
    assert!(a.contains("\"trace\":[{\"kind\":\"parameter\",\"name\":\"limit\",\"value\":150.5,\"from\":\"2017-05-01\"}"), "{a}");
}

#[test]
fn hash_covers_every_file() {
    let a = sample().hash;
    let b = RuleSet::from_files("sample", files(MANIFEST, PARAMS, &format!("{RULES}\n"))).unwrap().hash;
    assert_ne!(a, b);
    assert_eq!(a, sample().hash);
}

#[test]
fn json_schema_describes_the_form() {
    let s = sample().json_schema();
    assert_eq!(s["properties"]["colour"]["oneOf"][1], json!({"const": "blue", "title": "Blue"}));
    assert_eq!(s["properties"]["items"]["items"]["properties"]["when"]["format"], json!("date"));
    let required: Vec<&str> = s["required"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert_eq!(required, vec!["on", "count", "amount", "colour"]);
}

#[test]
fn deeply_nested_values_are_stopped_before_they_can_overflow_the_stack() {
    // Rhai walks nested values recursively; the list and map limits count nested items, so
    // they bound nesting depth too. Hosts run scripts on 8 MB stacks (enough for this in a
    // release build: `eligo eval` stops it in about a second); an unoptimized test build
    // has far larger frames, so this thread gets 64 MB.
    let handle = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(|| limit_error("let a = []; loop { a = [#{ x: a }]; }"))
        .unwrap();
    let e = handle.join().unwrap();
    assert_eq!(e.code, ErrorCode::EvaluationError);
    assert!(e.message.contains("sandbox limit"), "{}", e.message);
    assert_eq!(e.location.unwrap().line, 2);
}

#[test]
fn lambdas_that_capture_a_variable_are_refused_at_load() {
    // rhai is built with `no_closure`: a lambda cannot see `limit`, and strict variables
    // make that a load error rather than a failure at decision time.
    let script = |lambda: &str| {
        format!("let limit = 5;\nlet f = {lambda};\nrule(\"r\", f.call(1) > limit, \"ok\");\noutcome(\"yes\");\n")
    };
    let rules = script("|x| x + limit");
    let e = RuleSet::from_files("c", files(MANIFEST, PARAMS, &rules)).unwrap_err();
    assert_eq!(e.code, ErrorCode::RulesetError, "{e}");
    // Where the captured `limit` is inside the lambda, counted from 1 in the script text.
    let (line, text) = rules.lines().enumerate().find(|(_, l)| l.contains("|x|")).unwrap();
    let column = text.find("x + limit").unwrap() + "x + ".len() + 1;
    assert_eq!((line + 1, column), (2, 17));
    let issue = e
        .issues
        .iter()
        .find(|i| i.location.as_ref().is_some_and(|l| l.file == "rules.rhai"))
        .unwrap_or_else(|| panic!("no issue in rules.rhai: {e}"));
    let loc = issue.location.as_ref().unwrap();
    assert_eq!((loc.line, loc.column), (line + 1, column), "{e}");
    assert!(issue.message.contains("limit"), "{}", issue.message);
    assert_eq!(e.location.as_ref(), Some(loc));
    // The same lambda without the capture loads and runs: the refusal is about capture.
    let rs = RuleSet::from_files("c", files(MANIFEST, PARAMS, &script("|x| x + 1"))).unwrap();
    let d = eval(&rs, good()).unwrap();
    assert_eq!((d.reasons[0].rule.as_str(), d.reasons[0].passed), ("r", false));
}

#[test]
fn rule_with_one_message_and_used_values_records_both() {
    let rules = r#"
let limit = param("limit");
let amount = input.amount * 2;
rule("under_limit", amount <= limit, `${money(amount)} against ${money(limit)}.`,
    #{ amount: amount, colour: input.colour });
rule("is_blue", input.colour == "blue", `The colour is ${input.colour}.`,
    #{ colour: input.colour, count: input.count });
outcome("yes");
"#;
    let rs = RuleSet::from_files("u", files(MANIFEST, PARAMS, rules)).unwrap();
    let traced = rs.evaluate(&good(), &EvalOptions { as_of: None, trace: true, brief: false }).unwrap();
    let results: Vec<(&str, bool, &str)> =
        traced.reasons.iter().map(|r| (r.rule.as_str(), r.passed, r.message.as_deref().unwrap_or_default())).collect();
    assert_eq!(
        results,
        vec![("under_limit", true, "£100.50 against £150.50."), ("is_blue", false, "The colour is red.")]
    );
    let used = |id: &str| {
        traced.trace.iter().flatten().find_map(|t| match t {
            eligo::TraceEntry::Rule { rule, used, .. } if rule == id => Some(used.clone()),
            _ => None,
        })
    };
    let first = used("under_limit").unwrap();
    assert_eq!(first.keys().collect::<Vec<_>>(), vec!["amount", "colour"]);
    // Money keeps its pence exactly, as a JSON number.
    assert!(first["amount"].is_number());
    assert_eq!(first["amount"].to_string(), "100.50");
    assert_eq!(first["colour"], json!("red"));
    assert_eq!(used("is_blue").unwrap(), json!({"colour": "red", "count": 3}).as_object().unwrap().clone());
    let wire = traced.to_json();
    let entry = concat!(
        r#"{"kind":"rule","rule":"under_limit","passed":true,"#,
        r#""message":"£100.50 against £150.50.","used":{"amount":100.50,"colour":"red"}}"#
    );
    assert!(wire.contains(entry), "{wire}");
    // Without the trace the reasons are the same.
    let plain = eval(&rs, good()).unwrap();
    assert_eq!(plain.reasons, traced.reasons);
    assert!(plain.trace.is_none());

    // A fourth argument that is a string is the other overload: the message if failed.
    let rules = "rule(\"r\", false, \"fine\", \"not fine\");\noutcome(\"yes\");\n";
    let rs = RuleSet::from_files("u", files(MANIFEST, PARAMS, rules)).unwrap();
    assert_eq!(eval(&rs, good()).unwrap().reasons[0].message.as_deref(), Some("not fine"));
    // Neither a map nor a string: loads (Rhai checks types only when it calls), then stops
    // the evaluation at the call, naming the function but not the rule id.
    let rules = "rule(\"a\", true, \"fine\");\nrule(\"b\", false, \"bad\", 3);\noutcome(\"yes\");\n";
    let rs = RuleSet::from_files("u", files(MANIFEST, PARAMS, rules)).unwrap();
    let e = eval(&rs, good()).unwrap_err();
    assert_eq!(e.code, ErrorCode::EvaluationError);
    assert_eq!(e.message, "Function not found: rule(string, bool, string, integer)");
    let loc = e.location.unwrap();
    assert_eq!((loc.file.as_str(), loc.line, loc.column), ("rules.rhai", 2, 1));
}
