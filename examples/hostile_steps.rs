//! How long the sandbox lets a hostile loop run when each step copies or searches a large
//! value (a 99,000-character string, a 999-item list, a 1,400-entry map), and which limit
//! stops it: `cargo run --release --example hostile_steps [name ...]`. README, "Known
//! limits", quotes its figures. Each loop runs until it is stopped; a decision would be a
//! hole in the sandbox.
use eligo::{EvalOptions, RuleSet};
use std::collections::BTreeMap;
#[global_allocator]
static ALLOCATOR: eligo::memory::Counting<std::alloc::System> = eligo::memory::Counting(std::alloc::System);
const MANIFEST: &str = r#"
id = "hostile"
title = "t"
version = "1"
owner = "tests"
description = "d"
[as_of]
field = "on"
[[outcomes]]
id = "done"
label = "Done"
[[input]]
name = "on"
type = "date"
"#;
fn main() {
    let pre_s = r#"let s = ""; s.pad(99000, "x"); let t = ""; t.pad(99000, "x"); let n = 0;"#;
    let pre_a = r#"let a = []; for i in 0..999 { a.push("abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij"); } let b = a; let n = 0;"#;
    let pre_m = r#"let m = #{}; for i in 0..1400 { m[`k${i}`] = i; } let m2 = m; let n = 0;"#;
    let cases: Vec<(&str, String)> = vec![
        ("index_of", format!("{pre_s} loop {{ n += s.index_of(\"y\"); }}")),
        ("contains", format!("{pre_s} loop {{ if s.contains(\"y\") {{ n += 1; }} }}")),
        ("s==t", format!("{pre_s} loop {{ if s == t {{ n += 1; }} }}")),
        ("len", format!("{pre_s} loop {{ n += s.len(); }}")),
        ("s[i]", format!("{pre_s} loop {{ if s[98000] == 'x' {{ n += 1; }} }}")),
        ("sub_string", format!("{pre_s} loop {{ n += s.sub_string(98000, 5).len(); }}")),
        ("replace", format!("{pre_s} loop {{ let u = s; u.replace(\"x\", \"x\"); }}")),
        ("to_upper", format!("{pre_s} loop {{ let u = s.to_upper(); }}")),
        ("s+''", format!("{pre_s} loop {{ let u = s + \"\"; }}")),
        ("interp", format!("{pre_s} loop {{ let u = `${{s}}`; }}")),
        ("ends_with", format!("{pre_s} loop {{ if s.ends_with(t) {{ n += 1; }} }}")),
        ("a.contains", format!("{pre_a} loop {{ if a.contains(\"y\") {{ n += 1; }} }}")),
        ("a.index_of", format!("{pre_a} loop {{ n += a.index_of(\"y\"); }}")),
        ("a==b", format!("{pre_a} loop {{ if a == b {{ n += 1; }} }}")),
        ("a+[]", format!("{pre_a} loop {{ let c = a + []; }}")),
        ("a.reverse", format!("{pre_a} loop {{ a.reverse(); }}")),
        ("a.sort", format!("{pre_a} loop {{ a.sort(); }}")),
        ("a.dedup", format!("{pre_a} loop {{ let c = a; c.dedup(); }}")),
        ("in", format!("{pre_a} loop {{ if \"y\" in a {{ n += 1; }} }}")),
        ("m==m2", format!("{pre_m} loop {{ if m == m2 {{ n += 1; }} }}")),
        ("m.keys", format!("{pre_m} loop {{ n += m.keys().len(); }}")),
        ("m.values", format!("{pre_m} loop {{ n += m.values().len(); }}")),
        ("m+", format!("{pre_m} loop {{ let c = m + #{{}}; }}")),
        ("join", format!("{pre_a} loop {{ n += join(a, \",\").len(); }}")),
        ("sum", "let a = []; for i in 0..999 { a.push(i); } let n = 0; loop { n += sum(a); }".to_string()),
        ("to_string a", format!("{pre_a} loop {{ let u = a.to_string(); }}")),
        ("to_string m", format!("{pre_m} loop {{ let u = m.to_string(); }}")),
        ("split", format!("{pre_s} loop {{ let u = s.split(\"y\"); }}")),
        ("trim", format!("{pre_s} loop {{ let u = s; u.trim(); }}")),
    ];
    let only: Vec<String> = std::env::args().skip(1).collect();
    for (name, body) in cases {
        if !only.is_empty() && !only.iter().any(|o| o == name) { continue; }
        let script = format!("rule(\"r\", true, \"ok\");\n{body}\noutcome(\"done\");\n");
        let files = BTreeMap::from([("ruleset.toml".to_string(), MANIFEST.to_string()), ("rules.rhai".to_string(), script)]);
        let rs = match RuleSet::from_files("hostile", files) { Ok(r) => r, Err(e) => { println!("{name:12} LOAD {e}"); continue; } };
        let t = std::time::Instant::now();
        let r = rs.evaluate(&serde_json::json!({"on": "2020-01-01"}), &EvalOptions::default());
        let el = t.elapsed();
        let msg = match r { Ok(d) => format!("decided {}", d.outcome), Err(e) => e.message.chars().take(70).collect() };
        println!("{name:12} {:>8.3} s  {msg}", el.as_secs_f64());
    }
}
