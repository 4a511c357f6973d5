//! Property tests (proptest), with modest case counts so CI stays fast:
//! - determinism: deciding the seed cases in any order, with and without traces, gives
//!   each the same bytes as deciding them in file order, and the same bytes again;
//! - a decision (with its trace) survives a JSON round trip unchanged;
//! - money is exact: random pence amounts summed by a script equal the integer-pence sum,
//!   and `money()` shows it to the penny;
//! - monotonic rules stay monotonic: a community-grant request refused for being above the
//!   maximum is never made eligible by asking for more.

use eligo::engine::rule_dirs;
use eligo::{Decision, EvalOptions, RuleSet};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::Path;

fn rules_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")
}

/// A seed test case: its rule-set folder, input and options, and what it decides to
/// (without and with a trace) when a freshly loaded rule set decides the cases in file order.
struct Case {
    dir: std::path::PathBuf,
    input: Value,
    opts: EvalOptions,
    alone: [String; 2],
}

thread_local! {
    // Loading is the slow part in a debug build: do it once per test thread.
    static CASES: Vec<Case> = {
        let mut out = Vec::new();
        for dir in rule_dirs(&rules_dir()).expect("rule sets") {
            let rs = RuleSet::from_dir(&dir).expect("loads");
            let traced = RuleSet::from_dir(&dir).expect("loads");
            for c in &rs.tests {
                let opts = EvalOptions { as_of: c.as_of.clone(), trace: false, brief: false };
                let alone = [
                    output(rs.evaluate(&c.input, &opts)),
                    output(traced.evaluate(&c.input, &EvalOptions { trace: true, ..opts.clone() })),
                ];
                out.push(Case { dir: dir.clone(), input: c.input.clone(), opts, alone });
            }
        }
        out
    };
    static GRANT: RuleSet = RuleSet::from_dir(rules_dir().join("community-grant")).expect("loads");
}

fn output(r: Result<Decision, eligo::Error>) -> String {
    match r {
        Ok(d) => d.to_json(),
        Err(e) => e.to_json(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn decisions_do_not_depend_on_what_was_decided_before(picks in prop::collection::vec((any::<prop::sample::Index>(), any::<bool>()), 1..60)) {
        CASES.with(|cases| {
            // Another rule set per folder decides the picked cases in a random order, with and
            // without traces: each gives the same bytes as in file order, and again.
            let mut loaded: BTreeMap<std::path::PathBuf, RuleSet> = BTreeMap::new();
            for (p, trace) in &picks {
                let c = &cases[p.index(cases.len())];
                let opts = EvalOptions { trace: *trace, ..c.opts.clone() };
                let rs = loaded.entry(c.dir.clone()).or_insert_with(|| RuleSet::from_dir(&c.dir).expect("loads"));
                let first = output(rs.evaluate(&c.input, &opts));
                prop_assert_eq!(&first, &c.alone[usize::from(*trace)]);
                prop_assert_eq!(&first, &output(rs.evaluate(&c.input, &opts)));
            }
            Ok(())
        })?;
    }

    #[test]
    fn a_decision_survives_a_json_round_trip(pick in any::<prop::sample::Index>(), trace in any::<bool>()) {
        CASES.with(|cases| {
            let c = &cases[pick.index(cases.len())];
            let text = &c.alone[usize::from(trace)];
            if let Ok(d) = serde_json::from_str::<Decision>(text) {
                // Parsed from the engine's bytes; written back, the same bytes; parsed again, equal.
                prop_assert_eq!(&d.to_json(), text);
                let again: Decision = serde_json::from_str(&d.to_json()).expect("parses back");
                prop_assert_eq!(&again, &d);
            } else {
                prop_assert!(text.starts_with("{\"error\""), "neither a decision nor an error: {}", text);
            }
            Ok(())
        })?;
    }
}

const SUM_MANIFEST: &str = r#"
id = "sums"
title = "Sums of money"
version = "1"
owner = "tests"
description = "Adds amounts of money three ways."
[as_of]
field = "on"
[[outcomes]]
id = "done"
label = "Done"
[[input]]
name = "on"
type = "date"
[[input]]
name = "amounts"
type = "list"
items = { type = "money" }
"#;

const SUM_SCRIPT: &str = r#"
let total = decimal(0);
for a in input.amounts { total += a; }
value("loop_total", total);
value("sum_total", decimal(0) + sum(input.amounts));
value("shown", money(total));
value("scaled", total * 3 / 3);
rule("added", true, "added");
outcome("done");
"#;

fn sums() -> RuleSet {
    let files = BTreeMap::from([
        ("ruleset.toml".to_string(), SUM_MANIFEST.to_string()),
        ("rules.rhai".to_string(), SUM_SCRIPT.to_string()),
    ]);
    RuleSet::from_files("sums", files).expect("the sums rule set loads")
}

/// `£1,234.05` from integer pence, written independently of the engine.
fn pounds(pence: i128) -> String {
    let sign = if pence < 0 { "-" } else { "" };
    let (whole, p) = (pence.abs() / 100, pence.abs() % 100);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}£{grouped}.{p:02}")
}

fn decimal_value(d: &Decision, name: &str) -> Decimal {
    let text = d.values.get(name).map(|v| v.to_string()).unwrap_or_default();
    text.trim_matches('"')
        .parse()
        .unwrap_or_else(|_| panic!("{name} = {text} is not a decimal"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn money_sums_are_exact_to_the_penny(pence in prop::collection::vec(-1_000_000_000i64..1_000_000_000, 0..60), as_text in any::<bool>()) {
        // Amounts as JSON numbers (1234.05) or text ("1234.05"), never through binary floating point.
        let amounts: Vec<Value> = pence
            .iter()
            .map(|p| {
                let text = format!("{}{}.{:02}", if *p < 0 { "-" } else { "" }, p.abs() / 100, p.abs() % 100);
                if as_text { Value::String(text) } else { serde_json::from_str(&text).expect("a JSON number") }
            })
            .collect();
        let d = sums().evaluate(&json!({"on": "2020-01-01", "amounts": amounts}), &EvalOptions::default()).expect("decides");
        let expected: i128 = pence.iter().map(|p| i128::from(*p)).sum();
        let exact = Decimal::from_i128_with_scale(expected, 2);
        prop_assert_eq!(decimal_value(&d, "loop_total"), exact);
        prop_assert_eq!(decimal_value(&d, "sum_total"), exact);
        prop_assert_eq!(decimal_value(&d, "scaled"), exact);
        prop_assert_eq!(d.values.get("shown"), Some(&Value::String(pounds(expected))));
    }
}

/// A valid community-grant application with this amount.
fn grant_input(fund: &str, applicant: &str, date: &str, priorities: &[&str], pence: i64) -> Value {
    json!({
        "fund": fund, "applicant_type": applicant, "application_date": date, "priorities": priorities,
        "requested_amount": format!("{}.{:02}", pence / 100, pence % 100),
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn asking_for_more_never_makes_a_too_high_request_eligible(
        fund in prop::sample::select(vec!["people_power", "proceeds_of_crime", "locality_deal"]),
        applicant in prop::sample::select(vec!["community_group", "charity", "social_enterprise", "community_safety_partnership", "statutory_body", "business", "individual"]),
        day in 0i64..4_000,
        priorities in prop::sample::subsequence(vec!["early_intervention", "victims_and_witnesses", "managing_offenders", "public_confidence", "modern_policing", "local_responsive_service", "prevent_harm_protect_people", "support_victims_witnesses", "reduce_offending_reoffending", "effective_criminal_justice"], 0..4),
        amount in 0i64..3_000_000,
        more in 1i64..3_000_000,
    ) {
        GRANT.with(|rs| monotonic(rs, fund, applicant, day, &priorities, amount, more))?;
    }
}

fn monotonic(
    rs: &RuleSet,
    fund: &str,
    applicant: &str,
    day: i64,
    priorities: &[&str],
    amount: i64,
    more: i64,
) -> Result<(), TestCaseError> {
    {
        let date = chrono::NaiveDate::from_ymd_opt(2013, 4, 1).expect("a date") + chrono::Days::new(day as u64);
        let date = date.format("%Y-%m-%d").to_string();
        let opts = EvalOptions::default();
        let Ok(low) = rs.evaluate(&grant_input(fund, applicant, &date, priorities, amount), &opts) else {
            return Ok(()); // refused input (e.g. a date its rules do not cover): nothing to compare
        };
        let too_high = low.reasons.iter().any(|r| r.rule == "within_maximum" && !r.passed);
        if too_high {
            prop_assert_eq!(&low.outcome, "ineligible");
            let high = rs
                .evaluate(&grant_input(fund, applicant, &date, priorities, amount + more), &opts)
                .expect("decides");
            prop_assert_eq!(
                &high.outcome,
                "ineligible",
                "raising {} to {} made it eligible",
                amount,
                amount + more
            );
            prop_assert!(high.reasons.iter().any(|r| r.rule == "within_maximum" && !r.passed));
        }
        // And the other way: within the maximum, asking for less stays within it.
        if low.reasons.iter().any(|r| r.rule == "within_maximum" && r.passed) && amount > 0 {
            let lower = rs
                .evaluate(&grant_input(fund, applicant, &date, priorities, amount / 2), &opts)
                .expect("decides");
            prop_assert!(lower.reasons.iter().any(|r| r.rule == "within_maximum" && r.passed));
        }
    }
    Ok(())
}

#[test]
fn the_monotonic_property_is_exercised() {
    // The property above only bites if some generated requests are too high: check that a
    // request well above every fund's maximum is refused by that rule.
    let rs = RuleSet::from_dir(rules_dir().join("community-grant")).expect("loads");
    let d = rs
        .evaluate(
            &grant_input(
                "people_power",
                "community_group",
                "2019-03-01",
                &["early_intervention"],
                2_000_000,
            ),
            &EvalOptions::default(),
        )
        .expect("decides");
    assert!(
        d.reasons.iter().any(|r| r.rule == "within_maximum" && !r.passed),
        "{}",
        d.to_json()
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Decimals are written into decisions and reasons from their digits; the text is
    /// rust_decimal's own, whatever the sign, size and scale (zeros of either sign included).
    #[test]
    fn decimal_text_is_rust_decimals_own(lo in any::<u32>(), mid in any::<u32>(), hi in any::<u32>(), negative in any::<bool>(), scale in 0u32..=28, small in any::<bool>()) {
        let d = if small {
            Decimal::from_parts(lo % 1000, 0, 0, negative, scale % 6)
        } else {
            Decimal::from_parts(lo, mid, hi, negative, scale)
        };
        prop_assert_eq!(eligo::money::decimal_text(d), d.to_string());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    /// Decision text escapes strings itself, eight bytes at a time; the bytes are
    /// serde_json's, for any text: quotes, backslashes and control characters at any
    /// offset, next to multi-byte characters, in runs longer and shorter than a word.
    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them(
        parts in prop::collection::vec(prop_oneof![
            "[a-z ]{0,12}",
            Just("\"".to_string()), Just("\\".to_string()), Just("£".to_string()), Just("\u{7f}".to_string()),
            (0u8..0x20).prop_map(|b| char::from(b).to_string()),
            any::<String>(),
        ], 0..12)
    ) {
        let s: String = parts.concat();
        let mut out = Vec::new();
        eligo::value::write_str(&mut out, &s);
        prop_assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&s).unwrap());
    }
}
