//! The compiled form of rule scripts decides exactly as Rhai's interpreter does: for every
//! seed rule set (each must compile), over its own test cases and a generated caseload,
//! with and without a trace, the decision or error is the same JSON from both.
//! Scripts outside what compiles, and scripts that give up part-way (errors, limits),
//! still decide exactly as before.

mod common;

use common::{load, output, MANIFEST, seed_rule_sets};
use eligo::generate::Generator;
use eligo::ruleset::{Evaluator, Files};
use eligo::{EvalOptions, RuleSet};
use serde_json::{json, Value};

/// Generated cases per rule set: enough to reach every rule both ways several times.
const GENERATED: u64 = 1500;


fn same_both_ways(rs: &RuleSet, input: &Value, as_of: Option<String>) -> usize {
    let mut differ = 0;
    for trace in [false, true] {
        let opts = EvalOptions { as_of: as_of.clone(), trace, brief: false };
        let compiled = output(rs, input, &opts, Evaluator::Compiled);
        let interpreted = output(rs, input, &opts, Evaluator::Interpreter);
        if compiled != interpreted {
            differ += 1;
            if differ == 1 {
                eprintln!("{}: {input}\n  compiled:    {compiled}\n  interpreter: {interpreted}", rs.id());
            }
        }
    }
    differ
}

#[test]
fn every_seed_rule_set_compiles_and_decides_as_the_interpreter_does() {
    for rs in seed_rule_sets() {
        assert_eq!(rs.compiled(), Ok(()), "{} does not compile", rs.id());
        let mut differ = 0;
        for case in &rs.tests {
            differ += same_both_ways(&rs, &case.input, case.as_of.clone());
            // Cases that decide are decided by the compiled script itself, not handed over.
            let opts = EvalOptions { as_of: case.as_of.clone(), trace: false, brief: false };
            if case.expect.error.is_none() {
                let alone = rs.evaluate_on(&case.input, &opts, Evaluator::CompiledOnly);
                assert!(alone.is_ok(), "{} {}: {:?}", rs.id(), case.name, alone.err());
            }
        }
        let generator = Generator::new(&rs, 7);
        let mut decided = 0;
        for i in 0..GENERATED {
            let input = generator.case(i);
            differ += same_both_ways(&rs, &input, None);
            let decision = rs.evaluate(&input, &EvalOptions::default());
            if decision.is_ok() {
                decided += 1;
                assert!(rs.evaluate_on(&input, &EvalOptions::default(), Evaluator::CompiledOnly).is_ok(), "{}: {input}", rs.id());
            }
        }
        assert_eq!(differ, 0, "{}: compiled and interpreted decisions differ", rs.id());
        // The caseload reaches decisions, not only input errors.
        assert!(decided as u64 > GENERATED / 2, "{}: only {decided} generated cases decided", rs.id());
    }
}

/// The script's decision (or error) from the compiled script and the interpreter, which
/// must agree, and from the compiled script alone.
fn both(script: &str, n: Value) -> (RuleSet, String, String) {
    let rs = load(script);
    let input = json!({"on": "2024-02-29", "n": n});
    // Untraced too: rules' `used` maps are then not built by the compiled script.
    let untraced = EvalOptions { as_of: None, trace: false, brief: false };
    assert_eq!(output(&rs, &input, &untraced, Evaluator::Compiled), output(&rs, &input, &untraced, Evaluator::Interpreter), "{script}");
    let opts = EvalOptions { as_of: None, trace: true, brief: false };
    let compiled = output(&rs, &input, &opts, Evaluator::Compiled);
    assert_eq!(compiled, output(&rs, &input, &opts, Evaluator::Interpreter), "{script}");
    let alone = output(&rs, &input, &opts, Evaluator::CompiledOnly);
    (rs, compiled, alone)
}

/// The language the compiled form covers, each piece checked against the interpreter.
#[test]
fn covered_constructs_decide_as_the_interpreter_does() {
    let scripts = [
        // Arithmetic on integers and decimals, mixed, and comparisons across types.
        "let a = input.n; let d = 0.10 + a; let e = a * 2 - 1; let f = d / 3; let g = a % 3;\n\
         value(\"x\", [a, d, e, f, g, -a, -d, a == d, a != (), () == (), \"a\" < \"b\", as_of > as_of - 1, as_of - date(\"2024-01-01\")]);\n\
         rule(\"r\", a > 2 && d >= 1 || !(a < 0), `${a} ${d} ${as_of} ${true} ${e}`);\noutcome(\"done\");",
        // Strings, lists and maps, in place and by value.
        "fn count_first(a, b) { a.len() }\n\
         let s = \"a_b\"; s.replace(\"_\", \" \"); let l = [1, \"x\"]; l += 2; l += [3, 4]; l.push(5); let p = l.pop();\n\
         let m = #{ a: 1, b: [1, 2] }; let k = m.b; let q = [1, 2]; let popped = intersect(q, [q.pop()]); let q2 = [1, 2]; let n2 = count_first(q2, q2.pop());\n\
         value(\"x\", [s, l, p, l.len(), s.len(), l.is_empty(), l.contains(\"x\"), l.contains(9), \"a\" in m, m.a, k[-1], l[0], m[\"b\"], \"ab\".contains(\"b\"), popped, q, n2, q2]);\n\
         rule(\"r\", true, join_words([\"a\", \"b\", \"c\"]) + join([as_of, 2], \"/\"));\n\
         // Which is evaluated first, a method's object or its arguments, shows in the reasons' order.\n\
         let joined = [rule(\"object\", true, \"o\")].join(if rule(\"argument\", true, \"a\") { \",\" } else { \";\" });\n\
         let item = [rule(\"indexed\", true, \"o\")][if rule(\"index\", true, \"i\") { 0 } else { 0 }];\n\
         outcome(\"done\");",
        // Functions, methods with `this`, closures, switch, loops and early returns.
        "fn f(x) { if x > 2 { return x * 10; } switch x { 1 => \"one\", 2 if x > 5 => \"no\", 2 => \"two\", _ => { let w = \"many\"; w } } }\n\
         fn g() { this += 1; this * 2 }\n\
         let m = #{ a: 1 }; let c = 1; let r = c.g(); let t = 0; for (v, i) in [1, 2, 3, 4] { if v == 2 { continue; } if v == 4 { break; } t += v * i; }\n\
         let w = 0; while w < 5 { w += 1; }\n\
         value(\"x\", [f(1), f(2), f(3), f(input.n ?? 0), r, c, m, t, w, [1, 2, 3].map(|v| f(v)), [\"\", \"a\"].filter(|v| v != \"\"), input.n ?? \"none\"]);\n\
         rule(\"r\", true, \"ok\");\noutcome(\"done\");",
        // The library: dates, money, parameters by name, lists.
        "let d = as_of;\n\
         value(\"x\", [long_date(d), weekday(d), age_on(date(\"2000-02-29\"), d), add_years(d, 1), add_days(d, -1), money(1234.5), percent(0.3),\n\
           decimal(\"1.10\"), pence(1.005), min(1, 2), max(1.0, 1.00), min(2, 1.5), round(2.345, 2), round_up(2.341, 2), round_down(2.349, 2), floor(2.7),\n\
           intersect([\"a\", \"b\"], [\"b\"]), contains_any([1], [1]), sum([1, 2.5]), sum([#{ c: 1 }, #{ c: 2 }], \"c\")]);\n\
         rule(\"r\", true, \"yes\", \"no\", #{ d: d });\noutcome(\"done\");",
        // Last reads move a variable's value out (compiled/moves.rs): a read that looks last
        // but is followed by another through a loop, a `break`, a branch or a second call
        // must still see the value.
        "fn h(list) { let out = []; for v in list { out += v; } out }\n\
         fn grow() { this += [0]; this.len() }\n\
         let n = input.n ?? 0; let l = [1, 2]; let t = []; for i in [1, 2, 3] { t += l; }\n\
         let w = [1, 2, 3]; let k = 0; while k < w.len() { k += 1; }\n\
         let a = [n]; let b = []; loop { if true { b = a; break; } } \n\
         let x = [5]; let y = []; for i in [1, 2] { let z = if i == 2 { break; } else { 1 }; y = x; }\n\
         let s = [1]; s = [s, 2]; let base = [1, 2];\n\
         let l2 = [7]; let t2 = []; for i in [1, 2] { t2 += l2; } let w2 = [8]; let acc = []; while acc.len() < 2 { acc += w2; }\n\
         let v = [n, n]; if n == 1 { value(\"once\", v); } else { value(\"once\", []); }\n\
         let me = [9]; let grown = me.grow();\n\
         let sv = if n > 1 { \"b\" } else { \"a\" }; let picked = switch sv { \"a\" => 1, \"b\" => 2, _ => 3 };\n\
         value(\"x\", [t, l, k, w, a, b, x, y, s, t2, acc, h(base), h(base), base, v, me, grown, picked, sv]);\n\
         rule(\"r\", true, \"ok\");\noutcome(\"done\");",
    ];
    for n in [json!(1), json!(4), Value::Null] {
        for script in scripts {
            let (rs, out, alone) = both(script, n.clone());
            assert_eq!(rs.compiled(), Ok(()), "{script}");
            // Without n, the first script's arithmetic on () is an error (the same from both).
            if !n.is_null() {
                assert!(out.contains("\"outcome\":\"done\""), "{script}: {out}");
                assert_eq!(alone, out, "decided by the compiled script itself: {script}");
            }
        }
    }
}

/// Values named by string literals are recorded by their place among the script's value
/// names (`ValueAt`); named otherwise, by name. Either way, recorded out of name order, again
/// under a name already used, in functions and branches, the decision is the interpreter's.
#[test]
fn values_recorded_by_place_or_by_name_decide_as_the_interpreter_does() {
    let by_place = "fn note(v) { value(\"m_from_fn\", v); v }\n\
         value(\"zeta\", 1); value(\"alpha\", [1, 2]); value(\"mid\", note(input.n ?? 0));\n\
         if (input.n ?? 0) > 2 { value(\"beta\", \"big\"); } else { value(\"zz_small\", true); }\n\
         value(\"alpha\", \"again\"); for i in [1, 2, 3] { value(\"a_loop\", i); }\n\
         rule(\"r\", true, \"ok\");\noutcome(\"done\");";
    // 70 names: more than the 64 a recorder marks, so recorded by name.
    let many: String = (0..70).rev().map(|i| format!("value(\"v{i:02}\", {i}); ")).collect::<String>() + "rule(\"r\", true, \"ok\");\noutcome(\"done\");";
    let scripts = [
        by_place.to_string(),
        // One name that is not a literal: every value by name.
        format!("let k = \"computed\"; value(k, 5); {by_place}"),
        // A method call `value` is not looked for at load: by name, all of them.
        format!("\"dotted\".value(3); {by_place}"),
        many,
    ];
    for n in [json!(1), json!(4)] {
        for script in &scripts {
            let (rs, out, alone) = both(script, n.clone());
            assert!(out.contains("\"outcome\":\"done\""), "{script}: {out}");
            if rs.compiled().is_ok() {
                assert_eq!(alone, out, "decided by the compiled script itself: {script}");
            }
        }
    }
    let (_, out, _) = both(by_place, json!(4));
    assert!(out.contains("\"values\":{\"a_loop\":3,\"alpha\":\"again\",\"beta\":\"big\",\"m_from_fn\":4,\"mid\":4,\"zeta\":1}"), "{out}");
}

/// Parameters named in the script are found at load; the value in force on the as-of date
/// or on a date given, traced with the date it took effect, and the error for a date before
/// the first value, are the interpreter's.
#[test]
fn parameters_found_at_load_decide_as_the_interpreter_does() {
    let mut files = Files::new();
    files.insert("ruleset.toml".into(), MANIFEST.into());
    files.insert(
        "parameters.toml".into(),
        "[cap]\ntype = \"money\"\nvalues = [{ from = 2013-01-01, value = 3000 }, { from = 2020-01-01, value = 3500 }]\n\
         [ages]\ntype = \"list\"\nitem = \"integer\"\nvalues = [{ from = 2013-01-01, value = [10, 18] }]\n\
         [kinds]\ntype = \"list\"\nitem = \"string\"\nvalues = [{ from = 2013-01-01, value = [\"a\", \"b\"] }]\n\
         [days_off]\ntype = \"list\"\nitem = \"date\"\nvalues = [{ from = 2013-01-01, value = [2024-12-25, 2024-01-01, 2024-05-06, 2024-03-29] }]\n"
            .into(),
    );
    files.insert(
        "rules.rhai".into(),
        "let on = if input.n == 1 { date(\"2015-06-01\") } else if input.n == 2 { as_of } else { date(\"2001-01-01\") };\n\
         let ages = param(\"ages\");\n\
         value(\"x\", [param(\"cap\"), param(\"cap\", on), ages, ages.len()]);\n\
         // Searched where they are kept (Builtin::ParamContains), each lookup traced in its turn.\n\
         let k = \"b\"; value(\"in\", [input.n in param(\"ages\"), 18 in param(\"ages\"), param(\"ages\").contains(10), k in param(\"kinds\"), param(\"kinds\").contains(\"z\")]);\n\
         // Holidays after the first date and up to the second (the list is sorted at load).\n\
         let d = date(\"2024-01-01\"); value(\"off\", [holidays_between(d, date(\"2024-12-25\"), \"days_off\"), holidays_between(date(\"2024-03-29\"), date(\"2024-05-05\"), \"days_off\"), holidays_between(date(\"2024-06-01\"), d, \"days_off\")]);\n\
         rule(\"r\", true, \"ok\");\noutcome(\"done\");"
            .into(),
    );
    let rs = RuleSet::from_files("r", files).unwrap();
    assert_eq!(rs.compiled(), Ok(()));
    for n in [1, 2, 3] {
        let input = json!({"on": "2024-02-29", "n": n});
        for trace in [false, true] {
            let opts = EvalOptions { as_of: None, trace, brief: false };
            let compiled = output(&rs, &input, &opts, Evaluator::Compiled);
            assert_eq!(compiled, output(&rs, &input, &opts, Evaluator::Interpreter), "n = {n}");
            match n {
                1 => {
                    assert!(compiled.contains("\"x\":[3500,3000,[10,18],2]"), "{compiled}");
                    assert!(compiled.contains("\"in\":[false,true,true,true,false]"), "{compiled}");
                    assert!(compiled.contains("\"off\":[[\"2024-03-29\",\"2024-05-06\",\"2024-12-25\"],[],[]]"), "{compiled}");
                }
                2 => assert!(compiled.contains("\"x\":[3500,3500,"), "{compiled}"),
                _ => assert!(compiled.contains("no value in force on 2001-01-01"), "{compiled}"),
            }
        }
        if n != 3 {
            assert!(rs.evaluate_on(&input, &EvalOptions::default(), Evaluator::CompiledOnly).is_ok());
        }
    }
}

/// Indexing a variable's list or map (`l[i]`, `m[k]`, `this[k]` in a method) reads the item
/// where the list or map is kept: the same items, negative indices from the end, and an
/// index or key that is not there left to the interpreter, which words the error.
#[test]
fn indexing_variables_in_place_decides_as_the_interpreter_does() {
    let script = "fn label(k) { if k in this { this[k] } else { k } }\n\
        let l = [10, \"b\", [1, 2], #{ z: 1 }]; let m = #{ a: 1, b: [3, 4], \"long key beyond twenty-three bytes\": \"x\" };\n\
        let i = input.n - 2; let k = \"b\";\n\
        value(\"x\", [l[0], l[i], l[-1], l[-4], m[k], m[\"a\"], m[\"long key beyond twenty-three bytes\"], m.label(\"a\"), m.label(\"q\")]);\n\
        // The table is still whole after its items were read.\n\
        value(\"m\", m); value(\"l\", l.len());\n\
        rule(\"r\", true, `${l[1]} ${m[\"a\"]}`);\noutcome(\"done\");";
    let (rs, out, alone) = both(script, json!(3));
    assert_eq!(rs.compiled(), Ok(()));
    assert!(out.contains("\"x\":[10,\"b\",{\"z\":1},10,[3,4],1,\"x\",1,\"q\"]"), "{out}");
    assert!(out.contains("\"m\":{\"a\":1,\"b\":[3,4],\"long key beyond twenty-three bytes\":\"x\"}"), "{out}");
    assert!(out.contains("\"message\":\"b 1\""), "{out}");
    assert_eq!(out, alone, "decided by the compiled form itself");
    // Out of range, a missing key: the compiled form hands over; the interpreter's answer.
    for (n, want) in [(9, "out of bounds"), (1, "property not found: missing")] {
        let script = "let l = [1, 2]; let m = #{ a: 1 }; let i = input.n;\n\
            value(\"y\", if i == 1 { m[\"missing\"] } else { l[i] });\nrule(\"r\", true, \"m\");\noutcome(\"done\");";
        let (_, out, _) = both(script, json!(n));
        assert!(out.to_lowercase().contains(want), "{n}: {out}");
    }
}

/// Errors and limits: the compiled form gives up and the interpreter words the error, so
/// the error is the same, with its line and column.
#[test]
fn errors_and_limits_are_the_interpreters() {
    let scripts = [
        "let x = input.n + true;\noutcome(\"done\");",
        "let x = 1 / (input.n - input.n);\noutcome(\"done\");",
        "let l = []; while true { l += \"xxxxxxxxxx\"; }\noutcome(\"done\");",
        "let s = \"x\"; while true { s += s; }\noutcome(\"done\");",
        "fn f(n) { f(n + 1) }\nf(1);\noutcome(\"done\");",
        "let n = 0; while true { n += 1; }\noutcome(\"done\");",
        "throw \"stop\";\noutcome(\"done\");",
        "let o = \"no\" + \"pe\";\noutcome(\"done\");\noutcome(o);",
        "reject_input(\"/n\", \"give a smaller n\");\noutcome(\"done\");",
        "let m = #{}; let x = m.missing;\noutcome(\"done\");",
        "let l = [1]; let x = l[5];\noutcome(\"done\");",
        "rule(\"one\", 1, \"m\");\noutcome(\"done\");",
        // A rule's `used` map is checked against the size limits even when no trace keeps it.
        "let a = []; while a.len() < 450 { a += 1; } let b = a; let c = a;\nrule(\"big\", true, \"m\", #{ a: a, b: b, c: c });\noutcome(\"done\");",
    ];
    for script in scripts {
        let (_, out, _) = both(&format!("rule(\"r\", true, \"m\");\n{script}"), json!(3));
        assert!(out.contains("\"error\""), "{script}: {out}");
    }
}

/// A script that reads `input` only through its fields gets them without an input map; one
/// that uses `input` whole gets the map. Both decide as the interpreter does, and so does
/// one that gives up after a field's last read has moved its value away.
#[test]
fn input_read_field_by_field_or_whole_decides_as_the_interpreter_does() {
    let by_field = [
        "let a = input.n; value(\"x\", [a, input.on, input.n ?? 0, `${input.on}`]);\nrule(\"r\", input.n != (), \"m\", #{ n: input.n });\noutcome(\"done\");",
        "fn f(v) { v * 2 }\nlet t = 0; for i in [1, 2] { t += f(input.n ?? 0); }\nrule(\"r\", true, \"m\");\nvalue(\"t\", t);\noutcome(\"done\");",
    ];
    for script in by_field {
        for n in [json!(3), Value::Null] {
            let (rs, out, alone) = both(script, n);
            assert!(rs.compiled_input_by_field(), "{script}");
            assert!(out.contains("\"outcome\":\"done\""), "{script}: {out}");
            assert_eq!(out, alone, "{script}");
        }
    }
    let whole = [
        "fn f(i) { i.n }\nrule(\"r\", true, \"m\");\nvalue(\"x\", [f(input), \"n\" in input, input[\"n\"], input.n]);\noutcome(\"done\");",
        "rule(\"r\", true, \"m\");\nlet i = input;\nvalue(\"x\", i.n);\noutcome(\"done\");",
        // A property the schema does not have: Rhai's error, worded by the interpreter.
        // (Read through a variable: `input.missing` itself is refused at load.)
        "rule(\"r\", true, \"m\");\nlet i = input;\nvalue(\"x\", i.missing);\noutcome(\"done\");",
    ];
    for script in whole {
        let (rs, out, _) = both(script, json!(3));
        assert!(rs.compiled().is_ok() && !rs.compiled_input_by_field(), "{script}");
        assert!(out.contains("\"outcome\":\"done\"") || out.contains("missing"), "{script}: {out}");
    }
    // `input.n` moves into `a` at its last read; `"n=" + a` is left to the interpreter,
    // which must see the input as given, not as the compiled run left it.
    let (rs, out, alone) = both("let a = input.n;\nlet s = \"n=\" + a;\nrule(\"r\", true, s);\noutcome(\"done\");", json!(3));
    assert!(rs.compiled_input_by_field());
    assert!(out.contains("\"message\":\"n=3\""), "{out}");
    assert!(alone.contains("handed this evaluation to the interpreter"), "{alone}");
}

/// A script outside what compiles still runs, on the interpreter.
#[test]
fn scripts_outside_the_compiled_language_run_on_the_interpreter() {
    let (rs, out, alone) = both("let m = #{ a: 1 }; m.a = 2;\nrule(\"r\", true, \"m\");\nvalue(\"a\", m.a);\noutcome(\"done\");", json!(1));
    assert!(rs.compiled().unwrap_err().contains("assignment to a property"), "{:?}", rs.compiled());
    assert!(out.contains("\"a\":2"), "{out}");
    // Asked for the compiled form alone, such a rule set says it has none to offer.
    assert!(alone.contains("handed this evaluation to the interpreter"), "{alone}");
}

/// The number functions scripts keep from Rhai's math package (src/script_math.rs) give
/// Rhai's results and errors; trigonometry, roots and logarithms are not there.
#[test]
fn number_functions_are_rhais_less_trigonometry_and_logarithms() {
    let script = "rule(\"r\", true, \"m\");\n\
        value(\"x\", [parse_int(\" 12 \"), parse_int(\"ff\", 16), to_int(2.9), to_int(-2.9), to_int(7), to_decimal(3), parse_decimal(\"1e3\"), parse_float(\"0.25\"),\n\
          round(2.5), 2.5.round, floor(-1.5), (-1.5).floor, ceiling(1.1), int(-1.7), fraction(-1.7), 1.7.int,\n\
          round(1.005, 2), round_up(1.001, 2), round_down(1.019, 2), round_half_up(1.005, 2), round_half_down(1.005, 2), round(1.5, 99999999999)]);\n\
        outcome(\"done\");";
    let (_, out, _) = both(script, json!(1));
    let want = "\"x\":[12,255,2,-2,7,3,1000,0.25,2,2,-2,-2,2,-1,-0.7,1,1.00,1.01,1.01,1.01,1.00,1.5]";
    assert!(out.contains(want), "{out}");
    for (call, error) in [
        ("parse_int(\"1\", 1)", "Invalid radix: '1'"),
        ("parse_int(\"x\")", "Error parsing integer number 'x'"),
        ("round(1.5, -1)", "Invalid number of digits for rounding: -1"),
        ("round_half_up(1.5, -2)", "Invalid number of digits for rounding: -2"),
        ("to_int(decimal(\"99999999999999999999\"))", "Integer overflow: to_int(99999999999999999999)"),
    ] {
        let (_, out, _) = both(&format!("rule(\"r\", true, \"m\");\nvalue(\"x\", {call});\noutcome(\"done\");"), json!(1));
        assert!(out.contains(error), "{call}: {out}");
    }
    // The functions left out are not there at all: a call to one is found at load.
    for (call, name) in [("sqrt(4.0)", "sqrt"), ("ln(4.0)", "ln"), ("PI()", "PI")] {
        let mut files = Files::new();
        files.insert("ruleset.toml".into(), MANIFEST.into());
        files.insert("rules.rhai".into(), format!("rule(\"r\", true, \"m\");\nvalue(\"x\", {call});\noutcome(\"done\");"));
        let e = RuleSet::from_files("r", files).err().unwrap_or_else(|| panic!("{call} loaded"));
        assert!(e.message.contains(&format!("there is no function `{name}`")), "{call}: {e}");
        assert_eq!(e.location.map(|l| (l.line, l.column)), Some((2, 12)), "{call}");
    }
}
