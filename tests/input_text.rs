//! Input given as JSON text (`evaluateJson`, `Engine::evaluate_json`) is read straight into
//! field values when it is plainly valid (`schema::read_valid`) and parsed only otherwise.
//! Read either way it is the same input: the values are the ones `validate_values` gives,
//! and the decision or error is the same JSON, over every seed rule set's test cases, a
//! generated caseload, the same cases pretty-printed and with each field spoiled in turn.

mod common;

use common::seed_rule_sets;
use eligo::generate::Generator;
use eligo::ruleset::Input;
use eligo::schema::{read_valid, reads_directly, validate_values, Field};
use eligo::{value, Engine, EvalOptions, RuleSet};
use proptest::prelude::*;
use rhai::Dynamic;
use serde_json::{json, Value};

const GENERATED: u64 = 600;

/// Values as comparable text: each one's type and JSON.
fn shown(values: &[Dynamic]) -> Vec<String> {
    values
        .iter()
        .map(|v| {
            let mut out = Vec::new();
            value::write_json(&mut out, v).unwrap();
            format!("{} {}", v.type_name(), String::from_utf8(out).unwrap())
        })
        .collect()
}

/// Read from `text` directly, if it is read so, gives what parsing and validating gives;
/// whether it was read directly.
fn read_alike(fields: &[Field], text: &str) -> bool {
    let Some(quick) = read_valid(fields, text) else { return false };
    let parsed: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("read directly, but not JSON ({e}): {text}"));
    let full = validate_values(fields, &parsed).unwrap_or_else(|e| panic!("read directly, but invalid ({e:?}): {text}"));
    assert_eq!(shown(&quick), shown(&full), "{text}");
    true
}

fn decide_alike(rs: &RuleSet, text: &str) {
    let opts = EvalOptions::default();
    let from_text = match rs.evaluate_to_json(Input::Text(text), &opts) {
        Ok(d) => d.json,
        Err(e) => e.to_json(),
    };
    let from_parsed = match eligo::engine::parse_json(text, "/").and_then(|v| rs.evaluate(&v, &opts)) {
        Ok(d) => d.to_json(),
        Err(e) => e.to_json(),
    };
    assert_eq!(from_text, from_parsed, "{}: {text}", rs.id());
}

/// Values a field might be spoiled with: wrong types, out of range, exponents, escapes,
/// numbers as text, lists of the wrong things.
fn spoilers() -> Vec<Value> {
    let mut v: Vec<Value> = ["null", "true", "0", "-1", "1.5", "-0", "1e3", "12345678901234567890123456789012345678901", "[]", "[null]", "[1, \"a\"]", "{}", "[{}]"]
        .iter()
        .map(|t| serde_json::from_str(t).unwrap())
        .collect();
    for s in ["", "x", "a\"b", "line\nbreak", "2020-02-30", "2021-06-01", "£1,200", "1,200.50", "0.001", "ünïcödé"] {
        v.push(Value::String(s.into()));
    }
    v
}

#[test]
fn plainly_valid_text_is_read_as_validation_reads_it() {
    for rs in seed_rule_sets() {
        let fields = &rs.manifest.input;
        let generator = Generator::new(&rs, 11);
        let inputs: Vec<Value> = rs.tests.iter().map(|c| c.input.clone()).chain((0..GENERATED).map(|i| generator.case(i))).collect();
        let (mut valid, mut read) = (0, 0);
        for input in &inputs {
            let compact = input.to_string();
            let pretty = serde_json::to_string_pretty(input).unwrap();
            if validate_values(fields, input).is_ok() {
                valid += 1;
                let direct = read_alike(fields, &compact);
                read += usize::from(direct);
                assert_eq!(read_alike(fields, &pretty), direct, "{pretty}");
            } else {
                read_alike(fields, &pretty);
            }
        }
        // Objects (space-funding's sessions) are always parsed, and a schema with them is
        // not read directly at all; every other field's usual values are.
        assert_eq!(reads_directly(fields), rs.id() != "space-funding", "{}", rs.id());
        if reads_directly(fields) {
            assert_eq!(read, valid, "{}: valid inputs read directly", rs.id());
        }
        assert!(valid > 100, "{}: {valid} valid inputs", rs.id());
        for input in inputs.iter().take(40) {
            decide_alike(&rs, &input.to_string());
            let Value::Object(obj) = input else { continue };
            for f in fields {
                for bad in spoilers() {
                    let mut spoiled = obj.clone();
                    spoiled.insert(f.name.clone(), bad);
                    let text = Value::Object(spoiled.clone()).to_string();
                    read_alike(fields, &text);
                    decide_alike(&rs, &text);
                }
                let mut without = obj.clone();
                without.remove(&f.name);
                let text = Value::Object(without).to_string();
                read_alike(fields, &text);
                decide_alike(&rs, &text);
            }
        }
    }
}

#[test]
fn text_that_is_not_plainly_valid_is_parsed_and_its_problems_worded() {
    let rs = seed_rule_sets().into_iter().find(|r| r.id() == "community-grant").unwrap();
    let fields = &rs.manifest.input;
    let good = json!({"fund": "locality_deal", "applicant_type": "charity", "application_date": "2021-05-28",
        "priorities": ["modern_policing"], "requested_amount": 1065});
    let text = good.to_string();
    assert!(read_valid(fields, &text).is_some(), "the plain case is read directly");
    let body = &text[1..text.len() - 1];
    for odd in [
        format!("{{{body},}}"),                                   // trailing comma
        format!("{{{body}}} x"),                                  // something after the object
        format!("{{{body},\"fund\":\"locality_deal\"}}"),         // a repeated key
        format!("{{{body},\"extra\":1}}"),                        // not a field
        text.replace("charity", "char\\u0069ty"),                 // an escape
        text.replace("1065", "1065e0"),                           // an exponent
        text.replace("1065", "01065"),                            // a leading zero
        text.replace("1065", "1065."),                            // a bare point
        text.replace("1065", "-"),                                // a bare sign
        text.replace("1065", "tru"),                              // a word JSON does not have
        format!("[{text}]"),
        String::new(),
        "{".into(),
        "{\"fund\"".into(),
        "{\"fund\":".into(),
        "{\"priorities\":[\"a\",".into(),
    ] {
        assert!(read_valid(fields, &odd).is_none(), "read directly: {odd}");
        decide_alike(&rs, &odd);
    }
    // Whitespace anywhere JSON allows it.
    let spaced = " \n{ \"fund\" :\t\"locality_deal\" , \"applicant_type\":\"charity\",\r\n\"application_date\" : \"2021-05-28\", \"priorities\" : [ \"modern_policing\" , \"other\" ] , \"requested_amount\" : 1065.5 } \n".to_string();
    assert!(read_alike(fields, &spaced), "{spaced}");
    decide_alike(&rs, &spaced);
}

#[test]
fn a_request_problem_comes_after_the_inputs_own_json_problem() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let engine = Engine::load_dir(&dir).unwrap();
    let code = |r: Result<String, String>| -> String {
        let text = r.unwrap_or_else(|e| e);
        let v: Value = serde_json::from_str(&text).unwrap();
        format!("{} {}", v["error"]["code"].as_str().unwrap_or("decided"), v["error"]["message"].as_str().unwrap_or(""))
    };
    let bad_json = code(engine.evaluate_json("community-grant", "{", ""));
    assert!(bad_json.starts_with("invalid_input"), "{bad_json}");
    // Not JSON, and also an unknown rule set, bad options, or brief with trace: the JSON first.
    assert_eq!(code(engine.evaluate_json("no-such-rules", "{", "")), bad_json);
    assert_eq!(code(engine.evaluate_json("community-grant", "{", "{\"bogus\":1}")), bad_json);
    assert_eq!(code(engine.evaluate_json("community-grant", "{", "{\"brief\":true,\"trace\":true}")), bad_json);
    // With good JSON, each request problem is its own.
    let input = r#"{"fund":"locality_deal","applicant_type":"charity","application_date":"2021-05-28","priorities":[],"requested_amount":1}"#;
    assert!(code(engine.evaluate_json("no-such-rules", input, "")).contains("no-such-rules"));
    assert!(code(engine.evaluate_json("community-grant", input, "{\"bogus\":1}")).contains("options"));
    assert!(code(engine.evaluate_json("community-grant", input, "{\"brief\":true,\"trace\":true}")).contains("brief and trace"));
}

#[test]
fn an_option_given_as_null_is_not_given() {
    // As `asOf` always was; `trace` and `brief` were refused ("invalid type: null").
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let engine = Engine::load_dir(&dir).unwrap();
    let input = r#"{"fund":"locality_deal","applicant_type":"charity","application_date":"2021-05-28","priorities":[],"requested_amount":1}"#;
    let plain = engine.evaluate_json("community-grant", input, "").expect("decides");
    for options in [r#"{"asOf":null}"#, r#"{"trace":null}"#, r#"{"brief":null}"#, r#"{"asOf":null,"trace":null,"brief":null}"#] {
        assert_eq!(engine.evaluate_json("community-grant", input, options).as_ref(), Ok(&plain), "{options}");
    }
    let brief = engine.evaluate_json("community-grant", input, r#"{"brief":true}"#).expect("decides");
    assert_ne!(brief, plain);
    assert_eq!(engine.evaluate_json("community-grant", input, r#"{"brief":true,"trace":null}"#), Ok(brief));
    let opts: EvalOptions = serde_json::from_str(r#"{"asOf":null,"trace":null,"brief":null}"#).expect("reads");
    assert_eq!(opts, EvalOptions::default());
    // Any other value that is not true or false is still refused.
    let e = engine.evaluate_json("community-grant", input, r#"{"brief":"yes"}"#).unwrap_err();
    assert!(e.contains(r#""code":"invalid_request""#), "{e}");
}

#[test]
fn a_case_over_a_megabyte_of_json_is_refused_before_it_is_read() {
    // Parsing costs several times the text in memory before any field is checked: a 260 MB
    // case ran the WebAssembly module out of memory. Refused the same way on every path.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let engine = Engine::load_dir(&dir).unwrap();
    let input = |pad: usize| {
        format!(r#"{{"fund":"locality_deal","applicant_type":"charity","application_date":"2021-05-28","priorities":[],"requested_amount":1{}}}"#, " ".repeat(pad))
    };
    let at_limit = input(0);
    let at_limit = input(eligo::engine::MAX_INPUT_BYTES - at_limit.len());
    assert_eq!(at_limit.len(), eligo::engine::MAX_INPUT_BYTES);
    assert!(engine.evaluate_json("community-grant", &at_limit, "").is_ok(), "exactly the limit decides");
    let over = format!("{at_limit} ");
    for options in ["", "{\"brief\":true}", "{\"trace\":true}"] {
        let e = engine.evaluate_json("community-grant", &over, options).unwrap_err();
        assert!(e.contains(r#""code":"invalid_input""#) && e.contains("is 1.0 MB of JSON: a case may be at most 1 MB"), "{e}");
    }
    let e = engine.evaluate_json("no-such-rules", &over, "").unwrap_err();
    assert!(e.contains("a case may be at most 1 MB"), "{e}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Any object of community-grant's fields with values of any shape: read directly only
    /// if valid, and then as validation reads it.
    #[test]
    fn any_text_read_directly_is_read_as_validation_reads_it(
        picks in prop::collection::vec((0usize..6, 0usize..40), 0..8),
        pretty in any::<bool>(),
    ) {
        thread_local!(static RS: RuleSet = seed_rule_sets().into_iter().find(|r| r.id() == "community-grant").unwrap());
        RS.with(|rs| {
            let fields = &rs.manifest.input;
            let mut pool = spoilers();
            pool.extend([json!("proceeds_of_crime"), json!("charity"), json!("2021-12-01"), json!(["modern_policing", "other"]), json!(12000), json!(0.01)]);
            let mut obj = serde_json::Map::new();
            for (f, v) in picks {
                let name = fields.get(f).map_or("unknown", |f| f.name.as_str());
                obj.insert(name.to_string(), pool[v % pool.len()].clone());
            }
            let v = Value::Object(obj);
            let text = if pretty { serde_json::to_string_pretty(&v).unwrap() } else { v.to_string() };
            read_alike(fields, &text);
            decide_alike(rs, &text);
        });
    }
}
