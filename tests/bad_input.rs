//! Bad input never reaches a script. For every rule set in `rules/`, malformed inputs are
//! generated from its own schema (wrong types for each field, missing required fields,
//! unknown fields, huge and over-precise numbers, impossible dates, negative money,
//! over-long text and lists, deep nesting, a non-object top level) and each must be refused
//! as `invalid_input` naming the field's path, without a panic.
//!
//! "Never reaches the script" is checked with a tripwire: the same manifest with a script
//! whose first statement throws. A valid input trips it (so the check can fail); a bad one
//! must be refused before it runs.

use eligo::engine::{parse_json, rule_dirs};
use eligo::schema::{Field, FieldType};
use eligo::{Engine, Error, ErrorCode, EvalOptions, RuleSet};
use serde_json::{json, Value};
use std::path::Path;

const TRIPWIRE: &str = "the script ran";

/// A seed rule set, its tripwire twin, and a valid input with its as-of date.
struct Subject {
    real: RuleSet,
    tripwire: RuleSet,
    valid: Value,
    as_of: Option<String>,
}

fn subjects() -> Vec<Subject> {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let dirs = rule_dirs(&rules).unwrap_or_else(|e| panic!("no rule sets: {e}"));
    dirs.iter().map(|d| subject(d)).collect()
}

fn subject(dir: &Path) -> Subject {
    let real = RuleSet::from_dir(dir).unwrap_or_else(|e| panic!("{} does not load: {e}", dir.display()));
    let first_outcome = &real.manifest.outcomes[0].id;
    // The twin keeps the schema and parameters; the real script's test cases name its rules,
    // and so may the manifest's `information_rules`, which the twin names too (never run).
    let mut files = real.files().clone();
    files.retain(|name, _| !name.starts_with("tests/"));
    let named: String = real.manifest.information_rules.iter().map(|id| format!("rule(\"{id}\", true, \"never\");\n")).collect();
    files.insert(
        "rules.rhai".into(),
        format!("throw \"{TRIPWIRE}\";\nrule(\"tripwire\", true, \"never\");\n{named}outcome(\"{first_outcome}\");\n"),
    );
    let tripwire = RuleSet::from_files(real.id(), files).unwrap_or_else(|e| panic!("tripwire for {}: {e}", real.id()));
    // The first test case the real rules decide without error is the valid base input.
    let case = real
        .tests
        .iter()
        .find(|c| real.evaluate(&c.input, &opts(&c.as_of)).is_ok())
        .unwrap_or_else(|| panic!("{} has no test case that decides", real.id()));
    let (valid, as_of) = (case.input.clone(), case.as_of.clone());
    Subject {
        real,
        tripwire,
        valid,
        as_of,
    }
}

fn opts(as_of: &Option<String>) -> EvalOptions {
    EvalOptions {
        as_of: as_of.clone(),
        ..EvalOptions::default()
    }
}

/// One malformed input and the path that must be among its issues.
struct Bad {
    what: String,
    input: Value,
    path: String,
}

fn pointer(segments: &[String]) -> String {
    segments
        .iter()
        .map(|s| format!("/{}", s.replace('~', "~0").replace('/', "~1")))
        .collect()
}

/// `base` with the value at `at` replaced (or removed when `new` is `None`).
fn with(base: &Value, at: &[String], new: Option<Value>) -> Value {
    let mut out = base.clone();
    let (last, parents) = at.split_last().expect("a path has at least one segment");
    let mut cur = &mut out;
    for seg in parents {
        cur = match cur {
            Value::Object(o) => o.get_mut(seg).expect("path exists in the base input"),
            Value::Array(a) => a
                .get_mut(seg.parse::<usize>().expect("list index"))
                .expect("index exists"),
            _ => panic!("path goes through a plain value"),
        };
    }
    match (cur, new) {
        (Value::Object(o), Some(v)) => {
            o.insert(last.clone(), v);
        }
        (Value::Object(o), None) => {
            o.remove(last);
        }
        (Value::Array(a), Some(v)) => a[last.parse::<usize>().expect("list index")] = v,
        _ => panic!("cannot remove a list item here"),
    }
    out
}

fn huge_number(text: &str) -> Value {
    // arbitrary_precision keeps the literal's text, as when it arrives from a client.
    serde_json::from_str(text).expect("a JSON number")
}

/// Money text whose commas, pound signs or signs are not how an amount is written: read
/// leniently, "150,00" was 15000 and "2,50" was 250.
const MISWRITTEN_MONEY: [(&str, &str); 12] = [
    ("a decimal comma", "150,00"),
    ("a decimal comma with £", "£2,50"),
    ("commas every digit", "1,2,3"),
    ("leading commas", ",,,1"),
    ("a trailing comma", "1,"),
    ("a group of four", "1,0000"),
    ("a first group of four", "1000,000"),
    ("a comma after the point", "1,000.5,0"),
    ("two pound signs", "££5"),
    ("a pound sign at the end", "5£"),
    ("an underscore", "1_000"),
    ("a plus sign", "+5"),
];

/// Values of the wrong type (or impossible values) for a field of `kind`.
fn wrong_values(f: &Field) -> Vec<(&'static str, Value)> {
    let mut v: Vec<(&'static str, Value)> = vec![("a list", json!([1])), ("an object", json!({"a": 1}))];
    match f.kind {
        FieldType::Integer | FieldType::Number | FieldType::Money => {
            v.push(("text", json!("abc")));
            v.push(("a boolean", json!(true)));
            v.push(("1e400", huge_number("1e400")));
            v.push(("30 digits", huge_number("123456789012345678901234567890")));
            v.push(("1e400 as text", json!("1e400")));
            v.push(("infinity as text", json!("inf")));
            v.push(("NaN as text", json!("NaN")));
            v.push(("empty text", json!("")));
            if f.kind == FieldType::Integer {
                v.push(("a fraction", json!(1.5)));
                v.push(("past i64", huge_number("9223372036854775808")));
            }
            if f.kind == FieldType::Money {
                v.push(("three decimal places", huge_number("10.001")));
                v.push(("a fraction of a penny as text", json!("£1,000.005")));
                for (what, text) in MISWRITTEN_MONEY {
                    v.push((what, json!(text)));
                }
            }
            if bound(&f.min).is_some_and(|m| m >= 0.0) {
                v.push(("below zero", huge_number("-0.01")));
                v.push(("far below zero", huge_number("-99999999999")));
            }
            if bound(&f.max).is_some() {
                v.push(("far above the maximum", huge_number("99999999999999")));
            }
        }
        FieldType::Boolean => {
            v.push(("text", json!("yes")));
            v.push(("a number", json!(1)));
        }
        FieldType::String => {
            v.push(("a number", json!(1)));
            v.push(("a boolean", json!(true)));
            let max = f.max_length.unwrap_or(eligo::schema::DEFAULT_MAX_LENGTH);
            v.push(("over-long text", Value::String("x".repeat(max + 1))));
        }
        FieldType::Enum => {
            v.push(("not an option", json!("not_an_option")));
            v.push(("an option's label", json!(f.options[0].label.clone())));
            v.push(("an option in capitals", json!(f.options[0].value.to_uppercase() + "_X")));
            v.push(("a number", json!(1)));
        }
        FieldType::Date => {
            v.push(("29 February in a common year", json!("2023-02-29")));
            v.push(("month 13", json!("2020-13-01")));
            v.push(("30 February", json!("2020-02-30")));
            v.push(("day first", json!("01/02/2020")));
            v.push(("a date and time", json!("2020-01-01T00:00:00Z")));
            v.push(("a number", json!(20200101)));
            v.push(("a huge year", json!("99999-01-01")));
        }
        FieldType::List => {
            v.retain(|(w, _)| *w != "a list");
            v.push(("text", json!("x")));
            v.push(("a number", json!(1)));
            let max = f.max_items.unwrap_or(eligo::schema::DEFAULT_MAX_ITEMS);
            let item = sample(f.items.as_deref());
            v.push(("too many items", Value::Array(vec![item; max + 1])));
            v.push(("a list holding null /0", json!([null])));
        }
        FieldType::Object => {
            v.retain(|(w, _)| *w != "an object");
            v.push(("text", json!("x")));
            v.push(("an unknown field inside /not_a_field", json!({"not_a_field": 1})));
        }
    }
    v
}

fn bound(b: &Option<Value>) -> Option<f64> {
    match b {
        Some(Value::Number(n)) => n.to_string().parse().ok(),
        Some(Value::String(s)) => s.parse().ok(),
        _ => None,
    }
}

/// Some value of roughly the right shape for `f` (used to fill over-long lists).
fn sample(f: Option<&Field>) -> Value {
    match f.map(|f| f.kind) {
        Some(FieldType::Integer | FieldType::Number | FieldType::Money) => json!(1),
        Some(FieldType::Boolean) => json!(true),
        Some(FieldType::Date) => json!("2020-01-01"),
        Some(FieldType::Enum) => json!(f.map(|f| f.options[0].value.clone()).unwrap_or_default()),
        _ => json!("x"),
    }
}

/// Whether `f` is shown (so required) given its siblings in `obj`.
fn visible(f: &Field, obj: &serde_json::Map<String, Value>) -> bool {
    match &f.visible_when {
        None => true,
        Some(c) => {
            let v = obj.get(&c.field).unwrap_or(&Value::Null);
            c.equals.as_ref() == Some(v) || c.one_of.contains(v)
        }
    }
}

/// Where the issue must be: the field itself, or inside it when the description of the
/// bad value ends in a path (`"a list holding null /0"`).
fn expected_path(at: &[String], what: &str) -> String {
    match what.rsplit_once(' ') {
        Some((_, tail)) if tail.starts_with('/') => pointer(at) + tail,
        _ => pointer(at),
    }
}

/// Bad inputs for the fields of one object, at `at` within `base`, recursing into nested
/// objects and list items that the base input has.
fn bad_fields(fields: &[Field], base: &Value, at: &[String], out: &mut Vec<Bad>) {
    let here = object_at(base, at);
    for f in fields {
        let mut path = at.to_vec();
        path.push(f.name.clone());
        for (what, v) in wrong_values(f) {
            let p = expected_path(&path, what);
            out.push(Bad {
                what: format!("{}: {what}", pointer(&path)),
                input: with(base, &path, Some(v)),
                path: p,
            });
        }
        let present = here.get(&f.name).is_some_and(|v| !v.is_null());
        if f.required && f.default.is_none() && visible(f, &here) && present {
            out.push(Bad {
                what: format!("{}: missing", pointer(&path)),
                input: with(base, &path, None),
                path: pointer(&path),
            });
            out.push(Bad {
                what: format!("{}: null", pointer(&path)),
                input: with(base, &path, Some(Value::Null)),
                path: pointer(&path),
            });
        }
        match (f.kind, here.get(&f.name)) {
            (FieldType::Object, Some(Value::Object(_))) => bad_fields(&f.fields, base, &path, out),
            (FieldType::List, Some(Value::Array(items))) if !items.is_empty() => {
                let mut item_path = path.clone();
                item_path.push("0".into());
                if let Some(item) = f.items.as_deref() {
                    for (what, v) in wrong_values(item) {
                        let p = expected_path(&item_path, what);
                        out.push(Bad {
                            what: format!("{p}: {what}"),
                            input: with(base, &item_path, Some(v)),
                            path: p,
                        });
                    }
                    if item.kind == FieldType::Object {
                        bad_fields(&item.fields, base, &item_path, out);
                    }
                }
            }
            _ => {}
        }
    }
    let mut extra = at.to_vec();
    extra.push("not_a_field".into());
    if !at.is_empty() || !here.is_empty() {
        out.push(Bad {
            what: format!("{}: unknown field", pointer(&extra)),
            input: with(base, &extra, Some(json!(1))),
            path: pointer(&extra),
        });
    }
}

fn object_at(base: &Value, at: &[String]) -> serde_json::Map<String, Value> {
    let mut cur = base;
    for seg in at {
        cur = match cur {
            Value::Object(o) => &o[seg],
            Value::Array(a) => &a[seg.parse::<usize>().unwrap_or(0)],
            _ => &Value::Null,
        };
    }
    cur.as_object().cloned().unwrap_or_default()
}

fn assert_refused(s: &Subject, what: &str, result: Result<eligo::Decision, Error>, path: &str) {
    let id = s.real.id();
    let e = match result {
        Ok(d) => panic!("{id}, {what}: decided {} instead of refusing the input", d.outcome),
        Err(e) => e,
    };
    assert_eq!(
        e.code,
        ErrorCode::InvalidInput,
        "{id}, {what}: expected invalid_input, got {e}"
    );
    assert!(!e.message.contains(TRIPWIRE), "{id}, {what}: the script ran");
    let paths: Vec<&str> = e.issues.iter().map(|i| i.path.as_str()).collect();
    assert!(
        paths.contains(&path),
        "{id}, {what}: no issue at {path} (issues: {paths:?})"
    );
    for i in &e.issues {
        assert!(
            i.path.starts_with('/'),
            "{id}, {what}: issue path {:?} is not a JSON pointer",
            i.path
        );
        assert!(!i.message.is_empty(), "{id}, {what}: an issue with no message");
    }
}

#[test]
fn the_tripwire_fires_on_valid_input() {
    for s in subjects() {
        let e = s
            .tripwire
            .evaluate(&s.valid, &opts(&s.as_of))
            .expect_err("the tripwire script throws");
        assert_eq!(e.code, ErrorCode::EvaluationError, "{}: {e}", s.real.id());
        assert!(e.message.contains(TRIPWIRE), "{}: {e}", s.real.id());
        assert!(s.real.evaluate(&s.valid, &opts(&s.as_of)).is_ok());
    }
}

#[test]
fn every_malformed_field_is_refused_before_the_script_runs() {
    for s in subjects() {
        let mut bad = Vec::new();
        bad_fields(&s.real.manifest.input, &s.valid, &[], &mut bad);
        assert!(
            bad.len() > 20,
            "{}: only {} bad inputs were generated",
            s.real.id(),
            bad.len()
        );
        eprintln!("{}: {} malformed inputs", s.real.id(), bad.len());
        for b in &bad {
            assert_refused(&s, &b.what, s.tripwire.evaluate(&b.input, &opts(&s.as_of)), &b.path);
            // The real rules refuse it the same way: validation does not depend on the script.
            let real = s.real.evaluate(&b.input, &opts(&s.as_of));
            let trip = s.tripwire.evaluate(&b.input, &opts(&s.as_of));
            assert_eq!(
                real.err(),
                trip.err(),
                "{}, {}: real and tripwire rule sets disagree",
                s.real.id(),
                b.what
            );
        }
    }
}

#[test]
fn every_problem_is_listed_at_once() {
    for s in subjects() {
        // Break every top-level field the same way: each gets its own issue.
        let fields = &s.real.manifest.input;
        let mut input = serde_json::Map::new();
        for f in fields {
            let wrong = if f.kind == FieldType::List {
                json!({"a": 1})
            } else {
                json!([1])
            };
            input.insert(f.name.clone(), wrong);
        }
        let e = s
            .tripwire
            .evaluate(&Value::Object(input), &opts(&s.as_of))
            .expect_err("all wrong");
        for f in fields {
            let p = format!("/{}", f.name);
            assert!(
                e.issues.iter().any(|i| i.path == p),
                "{}: no issue at {p}: {e}",
                s.real.id()
            );
        }
    }
}

#[test]
fn a_non_object_top_level_is_refused() {
    for s in subjects() {
        for v in [
            json!([]),
            json!([s.valid.clone()]),
            json!("text"),
            json!(1),
            json!(true),
            Value::Null,
        ] {
            let r = s.tripwire.evaluate(&v, &opts(&s.as_of));
            assert_refused(&s, &format!("top level {v}"), r, "/");
        }
    }
}

#[test]
fn deep_and_malformed_json_text_is_refused_cleanly() {
    let deep_list = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let deep_object = format!("{}1{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
    let unclosed = "[".repeat(100_000);
    let texts = [
        deep_list.as_str(),
        deep_object.as_str(),
        unclosed.as_str(),
        "",
        "{",
        "{\"a\": NaN}",
        "{\"a\": Infinity}",
        "{'a': 1}",
        "{\"a\": 1,}",
        "\u{feff}{}",
    ];
    for s in subjects() {
        let mut engine = Engine::new();
        let id = s.real.id().to_string();
        engine.add(s.tripwire).expect("add");
        for text in texts {
            let shown: String = text.chars().take(20).collect();
            let e = parse_json(text, "/").expect_err("not valid JSON");
            assert_eq!(e.code, ErrorCode::InvalidInput, "{shown}");
            assert_eq!(e.issues[0].path, "/", "{shown}");
            // The JSON-in/JSON-out contract that wasm uses gives the same error.
            let out = engine.evaluate_json(&id, text, "").expect_err("refused");
            assert!(out.contains("\"invalid_input\""), "{id}, {shown}: {out}");
            assert!(!out.contains(TRIPWIRE), "{id}, {shown}: the script ran");
        }
        // Deep nesting inside a field (below serde_json's limit): a wrong type, not a crash.
        let nested: Value =
            serde_json::from_str(&format!("{}{}", "[".repeat(100), "]".repeat(100))).expect("100 deep parses");
        let first = &s.real.manifest.input[0];
        let input = with(&s.valid, std::slice::from_ref(&first.name), Some(nested));
        let r = engine.evaluate(&id, &input, &opts(&s.as_of));
        assert!(matches!(&r, Err(e) if e.code == ErrorCode::InvalidInput), "{id}: {r:?}");
    }
}

/// Money text is refused with what is wrong with it, whether the input arrives as JSON
/// text (read directly, `schema::quick`) or parsed; amounts written as the README says
/// are read to the penny.
#[test]
fn money_text_is_read_only_as_amounts_are_written() {
    let rs = RuleSet::from_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/community-grant")).unwrap();
    let base = json!({"fund": "locality_deal", "applicant_type": "charity", "application_date": "2021-05-28",
        "priorities": ["modern_policing"], "requested_amount": 1065});
    let run = |amount: &str| {
        let input = with(&base, &["requested_amount".to_string()], Some(json!(amount)));
        let parsed = rs.evaluate(&input, &EvalOptions::default()).map(|d| d.to_json()).map_err(|e| e.to_json());
        let text = rs
            .evaluate_to_json(eligo::ruleset::Input::Text(&input.to_string()), &EvalOptions::default())
            .map(|d| d.json)
            .map_err(|e| e.to_json());
        assert_eq!(parsed, text, "{amount}: read directly and parsed differ");
        parsed
    };
    for (amount, wording) in [
        ("150,00", "\\\"150,00\\\": a comma may only separate thousands; for pence write a point, like \\\"150.00\\\""),
        ("£2,50", "like \\\"2.50\\\""),
        // Points between thousands, a comma before the pence: not "like 1.250.50".
        ("1.250,50", "like \\\"1250.50\\\""),
        ("1,2,3", "a comma may only separate thousands, like 1,250.50"),
        (",,,1", "a comma may only separate thousands"),
        ("££5", "£ may be written once, at the start"),
        ("1_000", "_ is not part of a number"),
        ("+5", "a number takes no + sign"),
        // Quoted as written, not as the digits left once £ and commas are dropped.
        ("£123,456,789,012,345,678,901,234,567,890", "\\\"£123,456,789,012,345,678,901,234,567,890\\\" is too large: the largest number that can be held exactly is 79,228,"),
    ] {
        let e = run(amount).expect_err(amount);
        assert!(e.contains("\"invalid_input\"") && e.contains("\"path\":\"/requested_amount\""), "{amount}: {e}");
        assert!(e.contains(wording), "{amount}: {e}");
    }
    for (amount, read) in [("1250.5", "£1,250.50"), ("£1,250.50", "£1,250.50"), ("1,234,567", "£1,234,567.00"), ("£999", "£999.00"), ("12,345.6", "£12,345.60")] {
        let d = run(amount).unwrap_or_else(|e| panic!("{amount}: {e}"));
        assert!(d.contains(&format!("Your request of {read} is")), "{amount}: {d}");
    }
}

/// A whole number past what a whole number can be (an integer field with no `max`) is too
/// large, quoted, with the limit: it was "is too large", with neither.
#[test]
fn a_whole_number_too_large_names_the_limit() {
    let manifest = r#"
id = "whole"
title = "Whole numbers"
version = "1"
owner = "tests"
description = "An integer field without a max."

[as_of]
field = "on"

[[outcomes]]
id = "eligible"
label = "Eligible"

[[input]]
name = "on"
type = "date"

[[input]]
name = "count"
type = "integer"
"#;
    let mut files = eligo::ruleset::Files::new();
    files.insert("ruleset.toml".into(), manifest.into());
    files.insert("rules.rhai".into(), "rule(\"counted\", true, \"ok\");\noutcome(\"eligible\");\n".into());
    let rs = RuleSet::from_files("whole", files).unwrap_or_else(|e| panic!("should load: {e}"));
    for (count, said) in [
        ("9223372036854775808", "\"9223372036854775808\" is too large: a whole number may be at most 9,223,372,036,854,775,807"),
        ("-9223372036854775809", "\"-9223372036854775809\" is too large a negative number: a whole number may be no less than -9,223,372,036,854,775,808"),
    ] {
        let input: Value = serde_json::from_str(&format!(r#"{{"on":"2024-01-01","count":{count}}}"#)).unwrap();
        let e = rs.evaluate(&input, &EvalOptions::default()).expect_err(count);
        assert_eq!((e.issues[0].path.as_str(), e.issues[0].message.as_str()), ("/count", said));
    }
    let fits = json!({"on": "2024-01-01", "count": 9223372036854775807i64});
    assert!(rs.evaluate(&fits, &EvalOptions::default()).is_ok());
}
