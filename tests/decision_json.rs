//! A decision written straight to JSON text (`RuleSet::evaluate_to_json`, what
//! `evaluateJson`, `eligo batch` and the engine's JSON API send; from parsed input or from
//! its text) is byte for byte the
//! decision serialized through its derived `Serialize` (and `Decision::to_json`, which
//! shares the writer): for every seed rule set over its own test cases and a generated
//! caseload, with and without a trace, and for values of every kind a script can record,
//! including the ones that cannot be JSON.

mod common;

use common::seed_rule_sets;
use eligo::generate::Generator;
use eligo::ruleset::{Files, Input};
use eligo::{EvalOptions, RuleSet};
use serde_json::{json, Value};

const GENERATED: u64 = 1000;

fn both(rs: &RuleSet, input: &Value, opts: &EvalOptions) -> (String, String) {
    let serialized = match rs.evaluate(input, opts) {
        // Serialized as derived, the reference both writers must match.
        Ok(d) => {
            let derived = serde_json::to_string(&d).unwrap();
            assert_eq!(d.to_json(), derived);
            derived
        }
        Err(e) => e.to_json(),
    };
    let direct = |input: Input| match rs.evaluate_to_json(input, opts) {
        Ok(d) => {
            // The outcome handed back beside the text is the decision's.
            let outcome = serde_json::from_str::<Value>(&d.json).unwrap()["outcome"].as_str().unwrap().to_string();
            assert_eq!(d.outcome, outcome);
            d.json
        }
        Err(e) => e.to_json(),
    };
    let from_value = direct(Input::Json(input));
    // The input as text, read without parsing when it is plainly valid: the same bytes.
    assert_eq!(direct(Input::Text(&input.to_string())), from_value, "{input}");
    (serialized, from_value)
}

#[test]
fn seed_rule_sets_write_the_same_decision_text() {
    for rs in seed_rule_sets() {
        let mut inputs: Vec<(Value, Option<String>)> = rs.tests.iter().map(|c| (c.input.clone(), c.as_of.clone())).collect();
        let generator = Generator::new(&rs, 11);
        inputs.extend((0..GENERATED).map(|i| (generator.case(i), None)));
        let mut decided = 0;
        for (input, as_of) in &inputs {
            for trace in [false, true] {
                let opts = EvalOptions { as_of: as_of.clone(), trace, brief: false };
                let (serialized, direct) = both(&rs, input, &opts);
                assert_eq!(direct, serialized, "{}: {input} (trace: {trace})", rs.id());
                decided += usize::from(!direct.starts_with("{\"error\""));
            }
        }
        assert!(decided > inputs.len(), "{}: only {decided} of {} evaluations decided", rs.id(), 2 * inputs.len());
    }
}

const MANIFEST: &str = "id = \"r\"\ntitle = \"t\"\nversion = \"1\"\nowner = \"o\"\ndescription = \"d\"\n\
    [as_of]\nfield = \"on\"\n[[outcomes]]\nid = \"done\"\nlabel = \"Done\"\n\
    [[input]]\nname = \"on\"\ntype = \"date\"\n";

fn decide(script: &str) -> String {
    decide_traced(script, true)
}

fn decide_traced(script: &str, trace: bool) -> String {
    let mut files = Files::new();
    files.insert("ruleset.toml".into(), MANIFEST.into());
    files.insert("rules.rhai".into(), script.into());
    let rs = RuleSet::from_files("r", files).unwrap();
    let input = json!({"on": "2024-02-29"});
    let opts = EvalOptions { as_of: None, trace, brief: false };
    let (serialized, direct) = both(&rs, &input, &opts);
    assert_eq!(direct, serialized, "{script}");
    direct
}

#[test]
fn every_kind_of_value_is_written_as_serialized() {
    let out = decide(
        "value(\"zeta\", ()); value(\"text\", \"quote \\\" backslash \\\\ tab \\t newline \\n bell \\x07 £ “curly” 😀\");\n\
         value(\"numbers\", [0, -7, 9223372036854775807, 1.50, -0.0, 0.003, -12.5]);\n\
         value(\"dates\", [as_of, date(\"2017-05-01\")]); value(\"flags\", [true, false]);\n\
         value(\"map\", #{ b: 1, a: #{ \"z z\": [], \"a\\\"\": #{} }, \"10\": 2, \"9\": 3 });\n\
         value(\"Alpha\", 1); value(\"alpha\", 2); value(\"_\", []);\n\
         rule(\"r\", true, \"a \\\"message\\\"\\n\"); outcome(\"done\");",
    );
    let d: Value = serde_json::from_str(&out).unwrap();
    // Decimals keep their exact text (scale included).
    assert!(out.contains("\"numbers\":[0,-7,9223372036854775807,1.50,0.0,0.003,-12.5]"), "{out}");
    assert_eq!(d["values"]["zeta"], Value::Null);
    assert_eq!(d["values"]["dates"], json!(["2024-02-29", "2017-05-01"]));
    // Names in byte order, as a JSON object here keeps them.
    let names: Vec<&String> = d["values"].as_object().unwrap().keys().collect();
    assert_eq!(names, ["Alpha", "_", "alpha", "dates", "flags", "map", "numbers", "text", "zeta"]);
}

#[test]
fn a_name_recorded_twice_keeps_its_last_value() {
    let out = decide("value(\"b\", 1); value(\"a\", 2); value(\"b\", [3]); value(\"a\", \"4\"); value(\"c\", 5); rule(\"r\", true, \"m\"); outcome(\"done\");");
    assert!(out.contains("\"values\":{\"a\":\"4\",\"b\":[3],\"c\":5}"), "{out}");
}

#[test]
fn a_value_that_cannot_be_json_is_the_same_error() {
    let script = "value(\"z\", Fn(\"f\")); value(\"a\", [Fn(\"g\")]); value(\"z\", 1); rule(\"r\", true, \"m\"); outcome(\"done\");";
    // Traced, each value is written into the trace as it is recorded: the first fails there.
    let out = decide_traced(script, true);
    assert!(out.starts_with("{\"error\"") && out.contains("value \\\"z\\\": a value of type"), "{out}");
    // Untraced, a value replaced before the end never reaches the decision: the one left fails.
    let out = decide_traced(script, false);
    assert!(out.starts_with("{\"error\"") && out.contains("value \\\"a\\\": a value of type"), "{out}");
    assert!(out.contains("cannot be part of a decision"), "{out}");
    let out = decide_traced("value(\"ok\", 1); value(\"m\", #{ inner: [1, Fn(\"g\")] }); rule(\"r\", true, \"m\"); outcome(\"done\");", false);
    assert!(out.contains("value \\\"m\\\""), "{out}");
}

#[test]
fn a_script_that_names_no_outcome_is_the_same_error() {
    // Named, but not reached on this date.
    let out = decide_traced("value(\"x\", 1); rule(\"r\", true, \"m\"); if as_of < date(\"2000-01-01\") { outcome(\"done\"); }", false);
    assert!(out.starts_with("{\"error\"") && out.contains("without calling outcome"), "{out}");
}
