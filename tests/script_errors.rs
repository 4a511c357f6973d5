//! Script errors name types in the rule language's words (string, integer, decimal, date,
//! list, map, ...), never as Rust spells them, at load and during evaluation, each at
//! its line and column in rules.rhai.

use eligo::ruleset::Files;
use eligo::{Error, ErrorCode, EvalOptions, RuleSet};
use serde_json::json;

const MANIFEST: &str = r#"
id = "types"
title = "Type errors"
version = "1"
owner = "tests"
description = "Scripts that use values of the wrong type."

[as_of]
field = "on"

[[outcomes]]
id = "done"
label = "Done"

[[input]]
name = "on"
type = "date"

[[input]]
name = "amount"
type = "money"

[[input]]
name = "count"
type = "integer"
"#;

/// Rust's and rhai's names for types, none of which a user should see.
const RUST_WORDS: [&str; 11] = [
    "ImmutableString",
    "i64",
    "rust_decimal",
    "Decimal",
    "chrono",
    "NaiveDate",
    "&str",
    "array",
    "Fn",
    "anon$",
    "getter",
];

fn files(script: &str) -> Files {
    let mut f = Files::new();
    f.insert("ruleset.toml".into(), MANIFEST.into());
    f.insert("rules.rhai".into(), script.into());
    f
}

/// The script, after a first line that records a rule: its error's code, message and place.
fn outcome_of(body: &str) -> Result<serde_json::Value, (ErrorCode, String, usize, usize)> {
    let script = format!("rule(\"first\", true, \"ok\");\n{body}\noutcome(\"done\");\n");
    let placed = |e: Error| {
        let at = e.location.clone().expect("a script error has a place");
        assert_eq!(at.file, "rules.rhai");
        (e.code, e.message, at.line, at.column)
    };
    let rs = RuleSet::from_files("types", files(&script)).map_err(placed)?;
    let input = json!({"on": "2020-01-01", "amount": "12.50", "count": 3});
    let d = rs
        .evaluate(&input, &EvalOptions::default())
        .map_err(placed)?;
    Ok(serde_json::Value::Object(d.values))
}

/// An evaluation error: its message (checked free of Rust words) and line:column.
fn eval_error(body: &str) -> (String, usize, usize) {
    let (code, message, line, column) = outcome_of(body).expect_err("the script should stop");
    assert_eq!(code, ErrorCode::EvaluationError, "{message}");
    assert_rule_language(&message);
    (message, line, column)
}

/// A load error: its message (checked free of Rust words) and line:column.
fn load_error(body: &str) -> (String, usize, usize) {
    let (code, message, line, column) = outcome_of(body).expect_err("the script should not load");
    assert_eq!(code, ErrorCode::RulesetError, "{message}");
    assert_rule_language(&message);
    (message, line, column)
}

fn assert_rule_language(message: &str) {
    for word in RUST_WORDS {
        assert!(!message.contains(word), "{message:?} names {word:?}");
    }
}

fn at(message: &str, line: usize, column: usize) -> (String, usize, usize) {
    (message.to_string(), line, column)
}

#[test]
fn a_wrongly_typed_call_to_rule_shows_its_signature_in_rule_language_types() {
    assert_eq!(
        eval_error("rule(\"b\", false, \"bad\", 3);"),
        at(
            "Function not found: rule(string, bool, string, integer)",
            2,
            1
        )
    );
    assert_eq!(
        eval_error("let ok = input.count;\nrule(\"b\", ok, \"fine\");"),
        at("Function not found: rule(string, integer, string)", 3, 1)
    );
    assert_eq!(
        eval_error("rule(\"b\", true, \"fine\", [input.on]);"),
        at("Function not found: rule(string, bool, string, list)", 2, 1)
    );
    assert_eq!(
        eval_error("value(\"x\", money(\"12\"));"),
        at("Function not found: money(string)", 2, 12)
    );
}

#[test]
fn money_with_a_string_or_a_date_names_the_operator_and_both_types() {
    assert_eq!(
        eval_error("value(\"x\", input.amount - \"5\");"),
        at("Operator not found: decimal - string", 2, 25)
    );
    assert_eq!(
        eval_error("value(\"x\", input.amount + true);"),
        at("Operator not found: decimal + bool", 2, 25)
    );
    assert_eq!(
        eval_error("value(\"x\", as_of + input.amount);"),
        at("Operator not found: date + decimal", 2, 18)
    );
    assert_eq!(
        eval_error("let n = \"s\";\nvalue(\"x\", !n);"),
        at("Operator not found: !string", 3, 12)
    );
    // `+` with a string on either side joins text (Rhai's rule), so it is not an error.
    assert_eq!(
        outcome_of("value(\"x\", input.amount + \" pounds\");").unwrap(),
        json!({"x": "12.50 pounds"})
    );
}

#[test]
fn a_method_or_property_on_the_wrong_type_names_that_type() {
    assert_eq!(
        eval_error("value(\"x\", as_of.len());"),
        at("Function not found: len(date)", 2, 18)
    );
    assert_eq!(
        eval_error("value(\"x\", input.count.len());"),
        at("Function not found: len(integer)", 2, 24)
    );
    assert_eq!(
        eval_error("value(\"x\", input.count.year);"),
        at("Unknown property 'year' on an integer", 2, 24)
    );
    assert_eq!(
        eval_error("value(\"x\", \"abc\".month);"),
        at("Unknown property 'month' on a string", 2, 18)
    );
    assert_eq!(
        eval_error("let d = as_of;\nd.year = 2021;"),
        at("Cannot set property 'year' on a date", 3, 3)
    );
    assert_eq!(
        eval_error("value(\"x\", [1, 2].map(5));"),
        at("Function not found: map(list, integer)", 2, 19)
    );
}

#[test]
fn indexing_a_value_that_is_not_a_list_names_both_types() {
    assert_eq!(
        eval_error("value(\"x\", as_of[0]);"),
        at("Cannot index a date with an integer", 2, 17)
    );
    assert_eq!(
        eval_error("value(\"x\", input.amount[0]);"),
        at("Cannot index a decimal with an integer", 2, 24)
    );
    assert_eq!(
        eval_error("let d = as_of;\nd[0] = 1;"),
        at(
            "Cannot assign to an item of a date indexed with an integer",
            3,
            2
        )
    );
    assert_eq!(
        eval_error("value(\"x\", input[0]);"),
        at("Data type incorrect: integer (expecting string)", 2, 18)
    );
    assert_eq!(
        eval_error("let l = [1, 2];\nvalue(\"x\", l[as_of]);"),
        at("Data type incorrect: date (expecting integer)", 3, 14)
    );
    assert_eq!(
        eval_error("value(\"x\", [1][5]);"),
        at("List index 5 out of bounds: only 1 item in the list", 2, 16)
    );
}

#[test]
fn a_date_against_an_integer_is_false_when_compared_and_an_error_when_combined() {
    // Rhai compares values of different types as unequal and unordered, without an error.
    let compared = outcome_of("let d = as_of;\nvalue(\"x\", d < 5);\nvalue(\"y\", () == 0);").unwrap();
    assert_eq!(compared, json!({"x": false, "y": false}));
    // Where the date is `as_of` itself (or an input field) and the other side a literal, that
    // is found at load.
    assert_eq!(
        load_error("value(\"x\", as_of < 5);"),
        at("`as_of` is a date, never a number, so this comparison always comes out the same way", 2, 18)
    );
    assert_eq!(
        eval_error("value(\"x\", days_between(as_of, 5));"),
        at("Function not found: days_between(date, integer)", 2, 12)
    );
    assert_eq!(
        eval_error("value(\"x\", min(as_of, 5));"),
        at("Function not found: min(date, integer)", 2, 12)
    );
    assert_eq!(
        eval_error("let d = as_of;\nif d { value(\"x\", 1); }"),
        at("Data type incorrect: date (expecting bool)", 3, 4)
    );
}

#[test]
fn other_values_in_messages_read_as_the_rule_language_writes_them() {
    assert_eq!(
        eval_error("throw as_of;"),
        at("the rules stopped: 2020-01-01", 2, 1)
    );
    assert_eq!(
        eval_error("throw [as_of];"),
        at("the rules stopped: [\"2020-01-01\"]", 2, 1)
    );
    assert_eq!(
        eval_error("value(\"x\", sum([as_of]));"),
        at("the rules stopped: sum needs numbers, not date", 2, 12)
    );
    assert_eq!(
        eval_error("let f = |a| a;\nvalue(\"x\", f.call(1, 2));"),
        at(
            "Function not found: a lambda taking (integer, integer)",
            3,
            14
        )
    );
    let (message, ..) = eval_error("let f = |a| a;\nvalue(\"x\", f);");
    assert_eq!(
        message,
        "value \"x\": a value of type function pointer cannot be part of a decision"
    );
}

#[test]
fn load_errors_name_literals_as_the_rule_language_does() {
    assert_eq!(
        load_error("if 1 { value(\"x\", 1); }"),
        at("Expecting a boolean expression, not an integer", 2, 4)
    );
    assert_eq!(
        load_error("if [1] { value(\"x\", 1); }"),
        at("Expecting a boolean expression, not a list", 2, 4)
    );
    assert_eq!(
        load_error("for x in #{} { value(\"x\", x); }"),
        at("Expecting an iterable value, not a map", 2, 10)
    );
    assert_eq!(
        load_error("value(\"x\", [1, 2][\"a\"]);"),
        at(
            "A list or string expects an integer index, not a string",
            2,
            19
        )
    );
    assert_eq!(
        load_error("value(\"x\", #{a: 1}[0]);"),
        at("A map expects a string index, not an integer", 2, 20)
    );
    assert_eq!(
        load_error("value(\"x\", [1, 2);"),
        at("Expecting ',' to separate the items of this list", 2, 17)
    );
}

/// A whole script that does not load (for mistakes at its end): its message and line:column.
fn script_error(script: &str) -> (String, usize, usize) {
    let e = RuleSet::from_files("types", files(script)).expect_err("the script should not load");
    assert_eq!(e.code, ErrorCode::RulesetError, "{}", e.message);
    let at = e.location.expect("a script error has a place");
    assert_eq!(at.file, "rules.rhai");
    assert_rule_language(&e.message);
    (e.message, at.line, at.column)
}

#[test]
fn strings_and_characters_rhai_cannot_read_say_how_to_write_them() {
    assert_eq!(
        load_error("value(\"x\", \"no end);"),
        at("This string has no closing quote", 2, 12)
    );
    assert_eq!(
        load_error("value(\"x\", 'people_power');"),
        at("Text goes between double quotes: \"people_power\" (single quotes hold one character)", 2, 12)
    );
    assert_eq!(
        load_error("value(\"x\", “yes”);"),
        at("'“' is a curly quote: a string is written between straight quotes, \"like this\"", 2, 12)
    );
    assert_eq!(
        load_error("value(\"x\", £5);"),
        at("'£' can only be written inside a string", 2, 12)
    );
    assert_eq!(
        load_error("value(\"x\", @5);"),
        at("'@' can only be written inside a string", 2, 12)
    );
    assert_eq!(
        load_error("value(\"x\", \"C:\\q\");"),
        at("'\\q' is not an escape a string can hold: a backslash is written \\\\", 2, 16)
    );
    assert_eq!(
        load_error("# a note\nvalue(\"x\", 1);"),
        at("'#' does not start a comment in rules: a comment starts with //", 2, 1)
    );
}

#[test]
fn an_operator_from_another_language_says_what_rules_write() {
    assert_eq!(
        load_error("if input.count = 3 { value(\"x\", 1); }"),
        at("'=' sets a value: to compare two values, write '=='", 2, 16)
    );
    assert_eq!(
        load_error("if input.count > 1 && input.count = 3 { value(\"x\", 1); }"),
        at("'=' sets a value: to compare two values, write '=='", 2, 35)
    );
    assert_eq!(
        load_error("value(\"x\", input.count === 3);"),
        at("'===' is not an operator in rules: did you mean '=='?", 2, 24)
    );
    assert_eq!(
        load_error("let n := 3;"),
        at("':=' is not an operator in rules: did you mean '='?", 2, 7)
    );
    assert_eq!(
        load_error("input.count + 1 = 2;"),
        at("Only a variable, or an item or field of one, can be set with '='; to compare, write '=='", 2, 13)
    );
}

#[test]
fn a_missing_bracket_semicolon_or_value_says_what_is_missing_where() {
    assert_eq!(
        load_error("value(\"x\", input.count;"),
        at("Expecting ')' to close the call to value, or ',' before another argument", 2, 23)
    );
    assert_eq!(
        load_error("value(\"x\", (input.count + 1;"),
        at("Expecting ')' to close an earlier '('", 2, 28)
    );
    // Rhai finds a missing `;` at what follows: the next line's first word.
    assert_eq!(
        load_error("let n = input.count\nvalue(\"x\", n);"),
        at("Expecting ';' to end the statement before this", 3, 1)
    );
    assert_eq!(
        load_error("let n = input.count + ;"),
        at("Expecting a value here, not ';'", 2, 23)
    );
    assert_eq!(
        load_error("let n = input.count *\nlet m = 2;"),
        at("Expecting a value here, not 'let'", 3, 1)
    );
    assert_eq!(
        load_error("let n = 1;\n}"),
        at("'}' here closes nothing: is a value missing before it, or is it one too many?", 3, 1)
    );
    // At the end of the script.
    assert_eq!(
        script_error("rule(\"a\", true, \"ok\");\nif input.count > 1 {\noutcome(\"done\");\n"),
        at("The script ends with a block still open: expecting '}' to close it", 4, 1)
    );
    assert_eq!(
        script_error("rule(\"a\", true, \"ok\");\noutcome(\"done\");\nlet n = 1 +\n"),
        at("The script ends where a value should follow", 4, 1)
    );
    assert_eq!(
        script_error("rule(\"a\", true, \"ok\");\noutcome(\"done\""),
        at("Expecting ')' to close the call to outcome", 2, 15)
    );
}

#[test]
fn names_and_keywords_rules_do_not_have_say_what_to_write() {
    assert_eq!(
        load_error("let = input.count;"),
        at("Expecting a variable name here (a name cannot start with a digit, or be a word such as `if` or `fn`)", 2, 5)
    );
    assert_eq!(
        load_error("var n = input.count;"),
        at("'var' is not used in rules: a variable is declared with let", 2, 1)
    );
    assert_eq!(
        load_error("value(\"x\", input.count == null);"),
        at("'null' is not a value in rules: no value is written ()", 2, 27)
    );
    assert_eq!(
        load_error("print(input.count);"),
        at("'print' cannot be used in rules", 2, 1)
    );
    assert_eq!(
        load_error("continue;"),
        at("'break' and 'continue' can only be used inside a loop", 2, 1)
    );
}

#[test]
fn a_function_written_where_it_cannot_be_says_where_it_goes() {
    assert_eq!(
        load_error("if input.count > 1 {\n  fn f(x) { x }\n}"),
        at("A function (fn) is defined at the top level of the script, not inside a block or another function: is a '}' missing above it?", 3, 3)
    );
    // A function whose `}` is missing: the next function is found inside it.
    assert_eq!(
        load_error("fn f(x) {\n  if x > 1 { 1 } else { 2 }\nfn g(x) { x }"),
        at("A function (fn) is defined at the top level of the script, not inside a block or another function: is a '}' missing above it?", 4, 1)
    );
    assert_eq!(
        load_error("fn (x) { x }"),
        at("Expecting the function's name after fn", 2, 4)
    );
    assert_eq!(
        load_error("fn double { 2 }"),
        at("Expecting '(' after fn double: a function's parameters are listed in brackets, () if none", 2, 11)
    );
    assert_eq!(
        load_error("fn double(x) x * 2"),
        at("Expecting '{' to start the body of function double", 2, 14)
    );
}
