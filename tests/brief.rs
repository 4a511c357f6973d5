//! Brief decisions (`EvalOptions::brief`): the full decision less each reason's wording.
//! Over every seed rule set's test cases and a generated caseload, a brief decision is the
//! full one with the messages taken out, from the compiled script and the interpreter alike;
//! wording that could change what the script does next is still evaluated; wording that
//! changes nothing is skipped (seen by wording that would fail).

mod common;

use common::{load, output, seed_rule_sets};
use eligo::generate::Generator;
use eligo::ruleset::Evaluator;
use eligo::{EvalOptions, RuleSet};
use serde_json::{json, Value};

const GENERATED: u64 = 1000;


/// The full decision's JSON with every reason's message removed.
fn unworded(full: &str) -> String {
    let mut v: Value = serde_json::from_str(full).unwrap();
    if let Some(reasons) = v.get_mut("reasons").and_then(Value::as_array_mut) {
        for r in reasons {
            assert!(r.as_object_mut().unwrap().remove("message").is_some(), "a full reason without a message: {full}");
        }
    }
    // Field order is kept (serde_json's preserve_order is off: compare as values).
    serde_json::to_string(&v).unwrap()
}

fn as_value(text: &str) -> String {
    serde_json::to_string(&serde_json::from_str::<Value>(text).unwrap()).unwrap()
}

/// Brief from both evaluators, against the full decision unworded; the number that differ.
fn brief_is_full_unworded(rs: &RuleSet, input: &Value, as_of: Option<String>) -> usize {
    let full = EvalOptions { as_of: as_of.clone(), ..EvalOptions::default() };
    let brief = EvalOptions { as_of, brief: true, ..EvalOptions::default() };
    let want = unworded(&output(rs, input, &full, Evaluator::Compiled));
    let mut differ = 0;
    for on in [Evaluator::Compiled, Evaluator::Interpreter] {
        let got = output(rs, input, &brief, on);
        assert!(!got.contains("\"message\":") || got.contains("\"error\""), "{}: a brief decision with wording: {got}", rs.id());
        if as_value(&got) != want {
            differ += 1;
            eprintln!("{} ({on:?}): {input}\n  brief:           {got}\n  full, unworded:  {want}", rs.id());
        }
    }
    differ
}

#[test]
fn every_seed_rule_set_decides_briefly_as_in_full_less_the_wording() {
    for rs in seed_rule_sets() {
        let mut differ = 0;
        for case in &rs.tests {
            differ += brief_is_full_unworded(&rs, &case.input, case.as_of.clone());
        }
        let generator = Generator::new(&rs, 11);
        for i in 0..GENERATED {
            differ += brief_is_full_unworded(&rs, &generator.case(i), None);
        }
        assert_eq!(differ, 0, "{}: brief decisions differ from full ones", rs.id());
    }
}

/// The rule set around `script`, which must compile (these tests are about the compiled form).
fn compiled(script: &str) -> RuleSet {
    let rs = load(script);
    assert_eq!(rs.compiled(), Ok(()), "{script}");
    rs
}

fn brief() -> EvalOptions {
    EvalOptions { brief: true, ..EvalOptions::default() }
}

fn input() -> Value {
    json!({"on": "2024-02-29", "n": 3})
}

/// Wording with an effect is evaluated in a brief decision too: the brief decision is the
/// full one unworded, from the compiled script alone (it does not hand over).
#[test]
fn wording_that_changes_what_follows_is_still_evaluated() {
    let scripts = [
        // Assigns a variable of the script's.
        "let count = 0;\nrule(\"a\", true, { count += 1; `one` });\nvalue(\"count\", count);\noutcome(\"done\");",
        // Records a value.
        "rule(\"a\", true, { value(\"seen\", 1); `one` });\noutcome(\"done\");",
        // Calls a function that records a rule.
        "fn inner() { rule(\"b\", false, \"two\"); \"one\" }\nrule(\"a\", true, inner());\noutcome(\"done\");",
        // Changes the variable it is called on (`this`).
        "fn tick() { this += 1; `${this}` }\nlet t = 1;\nrule(\"a\", true, t.tick());\nvalue(\"t\", t);\noutcome(\"done\");",
        // Changes a list in place.
        "let l = [];\nrule(\"a\", true, { l.push(1); \"one\" });\nvalue(\"l\", l);\noutcome(\"done\");",
        // Leaves the loop it is in.
        "let n = 0;\nfor i in [0, 1, 2] { n += 1; rule(\"a\", true, if i == 1 { break } else { \"go on\" }); }\nvalue(\"n\", n);\noutcome(\"done\");",
        // A rule as the message of another.
        "rule(\"a\", true, if rule(\"b\", true, \"inner\") { \"yes\" } else { \"no\" });\noutcome(\"done\");",
        // A message built before its rule, with an effect: records a value, assigns a variable.
        "let m = { value(\"seen\", 1); \"one\" };\nrule(\"a\", true, m);\noutcome(\"done\");",
        "let count = 0;\nlet m = { count += 1; \"one\" };\nrule(\"a\", true, m);\nvalue(\"count\", count);\noutcome(\"done\");",
    ];
    let mut wrong = Vec::new();
    for script in scripts {
        let rs = compiled(script);
        let full = output(&rs, &input(), &EvalOptions::default(), Evaluator::CompiledOnly);
        assert!(full.contains("\"outcome\":\"done\""), "{script}: {full}");
        let got = output(&rs, &input(), &brief(), Evaluator::CompiledOnly);
        if as_value(&got) != unworded(&full) || got != output(&rs, &input(), &brief(), Evaluator::Interpreter) {
            wrong.push(format!("{script}\n  brief: {got}\n  full:  {full}"));
        }
    }
    assert!(wrong.is_empty(), "{} of {} differ:\n{}", wrong.len(), scripts.len(), wrong.join("\n"));
}

/// Wording that changes nothing is skipped, and so is a `let` only it reads: wording that
/// would fail shows it. The full decision is an error; the brief one decides (the
/// documented difference). Where the same failing wording also has an effect, or the
/// variable is read elsewhere, it is evaluated, and both are errors.
#[test]
fn wording_that_changes_nothing_is_skipped() {
    let quiet = [
        "rule(\"a\", true, `£${money(())}`);\noutcome(\"done\");",
        "fn name(x) { `${money(x)}` }\nrule(\"a\", true, name(()));\noutcome(\"done\");",
        "let t = 1;\nfn show() { `${money(())} ${this}` }\nrule(\"a\", input.n > 2, \"fine\", t.show());\noutcome(\"done\");",
        "rule(\"a\", true, { let words = []; for i in [0, 1] { words += money(()); } words.join(\", \") });\noutcome(\"done\");",
        // Built before its rule: in a variable only the wording reads, through another such
        // variable, in a block, in a function.
        "let m = money(());\nrule(\"a\", true, m);\noutcome(\"done\");",
        "let m = money(());\nlet n = `(${m})`;\nrule(\"a\", true, n);\noutcome(\"done\");",
        "if input.n > 0 { let m = money(()); rule(\"a\", true, `${m}`); }\noutcome(\"done\");",
        "fn f() { let m = money(()); rule(\"a\", true, m); }\nf();\noutcome(\"done\");",
    ];
    for script in quiet {
        let rs = compiled(script);
        let full = output(&rs, &input(), &EvalOptions::default(), Evaluator::Compiled);
        assert!(full.contains("\"error\""), "{script}: the wording should fail in full: {full}");
        let got = output(&rs, &input(), &brief(), Evaluator::CompiledOnly);
        assert!(got.contains("\"outcome\":\"done\"") && got.contains("{\"rule\":\"a\",\"passed\":true}"), "{script}: {got}");
    }
    let loud = [
        "let count = 0;\nrule(\"a\", true, { count += 1; `£${money(())}` });\noutcome(\"done\");",
        // The variable is read by more than wording: a value, a variable kept, wording with
        // an effect.
        "let m = money(());\nrule(\"a\", true, m);\nvalue(\"m\", m);\noutcome(\"done\");",
        "let m = money(());\nlet n = m;\nrule(\"a\", true, m);\nvalue(\"n\", n);\noutcome(\"done\");",
        "let m = money(());\nlet count = 0;\nrule(\"a\", true, { count += 1; m });\nvalue(\"count\", count);\noutcome(\"done\");",
        // Read by nothing at all: not wording, so evaluated (and failing) as in full.
        "let unused = money(());\nrule(\"a\", true, \"fine\");\noutcome(\"done\");",
        "let m = money(());\nlet m = 5;\nrule(\"a\", true, `${m}`);\noutcome(\"done\");",
    ];
    for script in loud {
        let rs = compiled(script);
        let got = output(&rs, &input(), &brief(), Evaluator::Compiled);
        assert!(got.contains("\"error\""), "{script}: {got}");
        assert_eq!(got, output(&rs, &input(), &EvalOptions::default(), Evaluator::Compiled), "{script}");
    }
}

#[test]
fn brief_and_trace_together_are_refused_by_name() {
    let rs = compiled("rule(\"a\", true, \"one\");\noutcome(\"done\");");
    let opts = EvalOptions { brief: true, trace: true, ..EvalOptions::default() };
    let e = rs.evaluate(&input(), &opts).unwrap_err();
    assert_eq!(e.code.as_str(), "invalid_request");
    assert!(e.message.contains("brief") && e.message.contains("trace"), "{}", e.message);
    // And as options text, as every host sends them.
    let opts: EvalOptions = serde_json::from_str(r#"{"brief": true}"#).unwrap();
    assert!(opts.brief && !opts.trace);
    assert!(serde_json::from_str::<EvalOptions>(r#"{"brief": "yes"}"#).is_err());
}
