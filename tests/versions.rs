//! Versions of a rule set with effective dates: the version in effect on a case's as-of
//! date decides it (src/versions.rs), through the Rust API, bundles and the CLI.

mod common;
use common::{eligo, temp_dir};
use eligo::ruleset::{read_dir, Files};
use eligo::{bundle, Engine, EvalOptions, RuleSet};
use serde_json::{json, Value};
use std::path::Path;

fn seed() -> Files {
    read_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/community-grant")).expect("seed rule set reads")
}

/// community-grant as published, and a version `version` from `effective_from` whose People
/// Power Fund maximum is `max` (the seed's is £3,000).
fn version(version: &str, effective_from: Option<&str>, max: u32) -> Files {
    let mut files = seed();
    let manifest = files["ruleset.toml"].replacen("version = \"2022.1\"", &format!("version = \"{version}\""), 1);
    let manifest = match effective_from {
        Some(d) => manifest.replacen(&format!("version = \"{version}\""), &format!("version = \"{version}\"\neffective_from = {d}"), 1),
        None => manifest,
    };
    files.insert("ruleset.toml".into(), manifest);
    let params = files["parameters.toml"].replacen("value = 3000 }", &format!("value = {max} }}"), 1);
    assert!(params.contains(&format!("value = {max} }}")), "the maximum is where this test expects it");
    files.insert("parameters.toml".into(), params);
    // The seed's test cases expect its maximum.
    files.retain(|path, _| !path.starts_with("tests/"));
    files
}

fn load(files: Files) -> RuleSet {
    RuleSet::from_files("community-grant", files).expect("version loads")
}

/// Two versions: the seed's rules (£3,000), and from 2027-04-01 £5,000.
fn two_versions() -> Engine {
    let mut engine = Engine::new();
    let ids = engine.add_all(vec![load(version("2027.1", Some("2027-04-01"), 5000)), load(version("2022.1", None, 3000))]).expect("versions load");
    assert_eq!(ids, ["community-grant"], "one rule set, listed once");
    engine
}

/// A People Power application for £4,000: over the old maximum, within the new one.
fn application(date: Option<&str>) -> Value {
    let mut input = json!({
        "applicant_type": "charity",
        "fund": "people_power",
        "priorities": ["support_victims_witnesses"],
        "project_start": "2027-06-01",
        "project_end": "2027-09-14",
        "requested_amount": 4000
    });
    if let Some(d) = date {
        input["application_date"] = json!(d);
    }
    input
}

fn decided(engine: &Engine, input: &Value, opts: &EvalOptions) -> (String, String) {
    let d = engine.evaluate("community-grant", input, opts).expect("decides");
    (d.ruleset.version.clone(), d.outcome.clone())
}

fn as_of(date: &str) -> EvalOptions {
    EvalOptions { as_of: Some(date.into()), ..Default::default() }
}

#[test]
fn the_version_in_effect_on_the_as_of_date_decides() {
    let engine = two_versions();
    let none = EvalOptions::default();
    // The day before, the day of, and long after the new version takes effect.
    assert_eq!(decided(&engine, &application(Some("2027-03-31")), &none), ("2022.1".into(), "ineligible".into()));
    assert_eq!(decided(&engine, &application(Some("2027-04-01")), &none), ("2027.1".into(), "eligible".into()));
    assert_eq!(decided(&engine, &application(Some("2031-01-01")), &none), ("2027.1".into(), "eligible".into()));
    // A version without effective_from is in effect from the beginning.
    assert_eq!(decided(&engine, &application(Some("2014-06-01")), &none).0, "2022.1");
    // The as-of option chooses as it decides.
    assert_eq!(decided(&engine, &application(Some("2027-03-31")), &as_of("2027-04-01")), ("2027.1".into(), "eligible".into()));
    assert_eq!(decided(&engine, &application(Some("2027-05-01")), &as_of("2027-03-31")), ("2022.1".into(), "ineligible".into()));
    // JSON text in (what wasm and batch hosts call) chooses the same way, to the byte.
    for date in ["2027-03-31", "2027-04-01"] {
        let input = application(Some(date));
        let text = engine.evaluate_json("community-grant", &input.to_string(), "").expect("decides");
        let value = engine.evaluate("community-grant", &input, &EvalOptions::default()).expect("decides");
        assert_eq!(text, serde_json::to_string(&value).unwrap(), "{date}");
    }
}

#[test]
fn a_case_before_every_version_goes_to_the_earliest() {
    let mut engine = Engine::new();
    engine
        .add_all(vec![load(version("2022.1", Some("2022-04-01"), 3000)), load(version("2027.1", Some("2027-04-01"), 5000))])
        .expect("versions load");
    assert_eq!(decided(&engine, &application(Some("2019-01-01")), &EvalOptions::default()).0, "2022.1");
}

#[test]
fn a_case_whose_date_cannot_be_read_is_refused_by_the_latest_version() {
    let engine = two_versions();
    for input in [application(None), application(Some("31/03/2027"))] {
        let e = engine.evaluate("community-grant", &input, &EvalOptions::default()).expect_err("refused");
        assert_eq!(e.code.as_str(), "invalid_input");
        assert_eq!(e.issues[0].path, "/application_date", "{e}");
        let text = engine.evaluate_json("community-grant", &input.to_string(), "").expect_err("refused");
        assert!(text.contains("/application_date"), "{text}");
    }
    // A bad as-of option is the option's error, as with one version.
    let e = engine.evaluate("community-grant", &application(Some("2027-05-01")), &as_of("2027-13-01")).expect_err("refused");
    assert!(e.message.starts_with("as-of date:"), "{e}");
}

#[test]
fn versions_that_cannot_stand_together_are_refused_and_nothing_loads() {
    let mut engine = Engine::new();
    engine.add(load(version("2022.1", None, 3000))).unwrap();
    let clash = engine.add_all(vec![load(version("2027.1", Some("2027-04-01"), 5000)), load(version("2027.2", Some("2027-04-01"), 6000))]);
    let e = clash.expect_err("two versions from one date");
    assert_eq!(e.code.as_str(), "ruleset_error");
    assert!(e.message.contains("2027.1 and 2027.2") && e.message.contains("2027-04-01") && e.message.contains("effective_from"), "{e}");
    let unversioned = engine.add_all(vec![load(version("2022.1", None, 3000)), load(version("2022.2", None, 3000))]);
    assert!(unversioned.expect_err("two from the beginning").message.contains("from the beginning (no effective_from)"));
    // Another as-of field: a case could not choose a version.
    let mut other = version("2027.1", Some("2027-04-01"), 5000);
    let manifest = other["ruleset.toml"].replacen("field = \"application_date\"", "field = \"project_start\"", 1);
    other.insert("ruleset.toml".into(), manifest);
    let e = engine.add_all(vec![load(version("2022.1", None, 3000)), load(other)]).expect_err("different as-of fields");
    assert!(e.message.contains("different input fields"), "{e}");
    // What was loaded before is untouched.
    let summary = &engine.rulesets()[0];
    assert_eq!((summary.version.as_str(), summary.versions.len()), ("2022.1", 0));
}

#[test]
fn a_load_replaces_every_version_of_the_rule_sets_it_holds() {
    let mut engine = two_versions();
    let summary = &engine.rulesets()[0];
    assert_eq!(summary.version, "2027.1", "a rule set is listed by its latest version");
    assert_eq!(summary.effective_from.as_deref(), Some("2027-04-01"));
    let listed: Vec<(&str, Option<&str>)> = summary.versions.iter().map(|v| (v.version.as_str(), v.effective_from.as_deref())).collect();
    assert_eq!(listed, [("2022.1", None), ("2027.1", Some("2027-04-01"))]);
    assert_eq!(engine.iter().count(), 2);
    // One rule set added on its own (the playground's edit) stands alone.
    engine.add(load(version("2028.1", Some("2028-01-01"), 4000))).unwrap();
    assert_eq!(engine.iter().count(), 1);
    assert_eq!(decided(&engine, &application(Some("2014-06-01")), &EvalOptions::default()).0, "2028.1");
    assert!(engine.rulesets()[0].versions.is_empty());
    assert!(engine.remove("community-grant"));
    assert!(!engine.remove("community-grant"));
}

#[test]
fn describe_on_a_date_describes_the_version_then_in_effect() {
    let engine = two_versions();
    let version_on = |on: Option<&str>| engine.describe_on("community-grant", on).expect("describes")["version"].clone();
    assert_eq!(version_on(None), "2027.1");
    assert_eq!(version_on(Some("2027-03-31")), "2022.1");
    assert_eq!(version_on(Some("2027-04-01")), "2027.1");
    let e = engine.describe_on("community-grant", Some("tomorrow")).expect_err("not a date");
    assert_eq!(e.code.as_str(), "invalid_request");
    assert!(e.message.starts_with("as-of date:"), "{e}");
}

#[test]
fn a_bundle_carries_every_version_and_decides_as_the_folders_do() {
    let engine = two_versions();
    let b = bundle::build(engine.iter()).expect("bundles");
    assert_eq!(b.rulesets.iter().map(|r| r.version.as_str()).collect::<Vec<_>>(), ["2022.1", "2027.1"]);
    let mut loaded = Engine::new();
    let ids = loaded.load_bundle(&serde_json::to_string(&b).unwrap()).expect("loads");
    assert_eq!(ids, ["community-grant"]);
    for date in ["2014-06-01", "2027-03-31", "2027-04-01", "2030-02-28"] {
        let input = application(Some(date)).to_string();
        assert_eq!(loaded.evaluate_json("community-grant", &input, ""), engine.evaluate_json("community-grant", &input, ""), "{date}");
    }
}


fn write(dir: &Path, files: &Files) {
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}


#[test]
fn cli_a_folder_of_versions_is_one_rule_set() {
    // rules/community-grant/2022.1/ and rules/community-grant/2027.1/.
    let d = temp_dir("versions-cli");
    write(&d.join("rules/community-grant/2022.1"), &version("2022.1", None, 3000));
    write(&d.join("rules/community-grant/2027.1"), &version("2027.1", Some("2027-04-01"), 5000));
    std::fs::write(d.join("march.json"), application(Some("2027-03-31")).to_string()).unwrap();
    std::fs::write(d.join("april.json"), application(Some("2027-04-01")).to_string()).unwrap();
    let version_of = |stdout: &str| -> String {
        let v: Value = serde_json::from_str(stdout).expect("a decision");
        format!("{} {}", v["ruleset"]["version"].as_str().unwrap(), v["outcome"].as_str().unwrap())
    };
    let (code, out, err) = eligo(&["eval", "rules/community-grant", "--input", "march.json"], &d);
    assert_eq!(code, 0, "{err}");
    assert_eq!(version_of(&out), "2022.1 ineligible");
    let (code, out, _) = eligo(&["eval", "rules/community-grant", "--input", "april.json"], &d);
    assert_eq!((code, version_of(&out)), (0, "2027.1 eligible".to_string()));
    let (code, out, _) = eligo(&["eval", "rules/community-grant", "--input", "april.json", "--as-of", "2027-03-31"], &d);
    assert_eq!((code, version_of(&out)), (0, "2022.1 ineligible".to_string()));
    // describe gives the latest version.
    let (code, out, _) = eligo(&["describe", "rules/community-grant"], &d);
    assert_eq!(code, 0);
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap()["version"], "2027.1");
    // One version's folder is that version, whatever the date.
    let (code, out, _) = eligo(&["eval", "rules/community-grant/2027.1", "--input", "march.json"], &d);
    assert_eq!((code, version_of(&out)), (0, "2027.1 eligible".to_string()));
    // check and bundle see both versions; the bundle decides like the folders.
    let (code, out, _) = eligo(&["check", "rules"], &d);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("ok   community-grant 2022.1 (") && out.contains("ok   community-grant 2027.1 from 2027-04-01 (") && out.contains("2 rule sets checked, 0 with errors"), "{out}");
    let (code, _, err) = eligo(&["bundle", "rules", "-o", "rules.bundle.json"], &d);
    assert_eq!(code, 0, "{err}");
    let mut engine = Engine::new();
    engine.load_bundle(&std::fs::read_to_string(d.join("rules.bundle.json")).unwrap()).expect("loads");
    assert_eq!(engine.iter().count(), 2);

    // A decision recorded from the folder of versions replays against it: the same bytes,
    // until the version that decided it changes.
    let (code, _, err) = eligo(&["eval", "rules/community-grant", "--input", "march.json", "--record", "march.record.json"], &d);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = eligo(&["eval", "rules/community-grant", "--replay", "march.record.json"], &d);
    assert_eq!(code, 0, "{out}{err}");
    write(&d.join("rules/community-grant/2022.1"), &version("2022.1", None, 4500));
    let (code, out, err) = eligo(&["eval", "rules/community-grant", "--replay", "march.record.json"], &d);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("differs:"), "{err}");
    write(&d.join("rules/community-grant/2022.1"), &version("2022.1", None, 3000));

    // Two versions from one date: check and eval say which and what to do.
    write(&d.join("rules/community-grant/2027.2"), &version("2027.2", Some("2027-04-01"), 6000));
    let (code, out, _) = eligo(&["check", "rules"], &d);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("FAIL community-grant (folders rules/community-grant/2022.1, rules/community-grant/2027.1, rules/community-grant/2027.2): rule set \"community-grant\" has two versions in effect from 2027-04-01 (2027.1 and 2027.2)"),
        "{out}"
    );
    let (code, out, _) = eligo(&["eval", "rules/community-grant", "--input", "april.json"], &d);
    assert_eq!(code, 3, "{out}");
    let e: Value = serde_json::from_str(&out).expect("the error as JSON");
    assert_eq!(e["error"]["code"], "ruleset_error");
    std::fs::remove_dir_all(d.join("rules/community-grant/2027.2")).unwrap();

    // A folder of different rule sets is not one rule set.
    let mut other = seed();
    other.insert("ruleset.toml".into(), other["ruleset.toml"].replacen("id = \"community-grant\"", "id = \"other-grant\"", 1));
    other.retain(|path, _| !path.starts_with("tests/"));
    write(&d.join("rules/community-grant/other"), &other);
    let (code, _, err) = eligo(&["eval", "rules/community-grant", "--input", "april.json"], &d);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("holds 2 rule sets (community-grant, other-grant)"), "{err}");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn batch_decides_each_row_by_its_version_in_order_on_every_thread() {
    use eligo::batch::{self, rows::Format, Options};
    let sources = [("2022.1".to_string(), version("2022.1", None, 3000)), ("2027.1".to_string(), version("2027.1", Some("2027-04-01"), 5000))];
    let engine = two_versions();
    // Rows either side of the change, one with no date (refused by the latest) and one not JSON.
    let dates = ["2027-03-31", "2027-04-01", "2014-06-01", "2030-01-01"];
    let mut lines: Vec<String> = (0..200).map(|i| application(Some(dates[i % dates.len()])).to_string()).collect();
    lines[7] = application(None).to_string();
    lines[11] = "{not json".into();
    let input = lines.join("\n");
    let expected: Vec<String> = lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let out = engine.evaluate_json("community-grant", line, "").unwrap_or_else(|e| e);
            format!("{{\"row\":{},{}", i + 1, &out[1..])
        })
        .collect();
    for threads in [1, 3] {
        let mut out = Vec::new();
        let opts = Options { as_of: None, threads, chunk_rows: 7, brief: false };
        let summary = batch::run_versions(&sources, input.as_bytes(), Format::Jsonl, &mut out, &opts, |_| {}).expect("runs");
        let got: Vec<&str> = std::str::from_utf8(&out).unwrap().lines().collect();
        assert_eq!(got, expected, "{threads} threads");
        assert_eq!((summary.rows, summary.errors), (200, 2));
        // 2027-03-31 and 2014-06-01 rows are over the old maximum, the others within the new
        // one (less the two refused rows, both dated 2030).
        assert_eq!((summary.count("ineligible"), summary.count("eligible")), (100, 98), "{threads} threads");
    }
    // Two versions from one date do not run.
    let clash = [sources[1].clone(), ("2027.2".to_string(), version("2027.2", Some("2027-04-01"), 6000))];
    let e = batch::run_versions(&clash, input.as_bytes(), Format::Jsonl, &mut Vec::new(), &Options::default(), |_| {});
    assert!(e.expect_err("refused").to_string().contains("two versions in effect from 2027-04-01"));
}

#[test]
fn cli_batch_diff_and_generate_take_a_folder_of_versions() {
    let d = temp_dir("versions-batch");
    write(&d.join("rules/community-grant/2022.1"), &version("2022.1", None, 3000));
    write(&d.join("rules/community-grant/2027.1"), &version("2027.1", Some("2027-04-01"), 5000));
    let cases = [application(Some("2027-03-31")), application(Some("2027-04-01"))].map(|c| c.to_string()).join("\n");
    std::fs::write(d.join("cases.jsonl"), cases).unwrap();
    let (code, out, err) = eligo(&["batch", "rules/community-grant", "--input", "cases.jsonl", "-o", "-", "--quiet"], &d);
    assert_eq!(code, 0, "{err}");
    let versions: Vec<String> = out
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .map(|v| format!("{} {}", v["ruleset"]["version"].as_str().unwrap(), v["outcome"].as_str().unwrap()))
        .collect();
    assert_eq!(versions, ["2022.1 ineligible", "2027.1 eligible"]);

    // What publishing 2027.1 beside 2022.1 flips: the case from its date, not the one before.
    let (code, out, err) = eligo(&["diff", "rules/community-grant/2022.1", "rules/community-grant", "--input", "cases.jsonl", "--quiet"], &d);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("old: community-grant 2022.1 sha256:"), "{out}");
    assert!(out.contains("new: community-grant versions 2022.1, 2027.1 from 2027-04-01 (rules/community-grant)"), "{out}");
    assert!(out.contains("2 cases: 1 change outcome, 0 change a value only, 1 unchanged"), "{out}");
    assert!(out.contains("  ineligible -> eligible             1  rows 2\n"), "{out}");
    let (code, out, err) = eligo(&["diff", "rules/community-grant/2022.1", "rules/community-grant", "--input", "cases.jsonl", "--quiet", "--json"], &d);
    assert_eq!(code, 0, "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["new"]["version"], "2027.1");
    assert_eq!(report["new_versions"], json!([
        {"version": "2022.1", "hash": report["old"]["hash"]},
        {"version": "2027.1", "effective_from": "2027-04-01", "hash": report["new"]["hash"]},
    ]));
    assert!(report.get("old_versions").is_none(), "one version is not listed: {report}");

    // A folder of versions generates cases for the latest version's form.
    let (code, out, err) = eligo(&["generate", "rules/community-grant", "--count", "20", "--seed", "3", "--quiet"], &d);
    assert_eq!(code, 0, "{err}");
    let (code, latest, _) = eligo(&["generate", "rules/community-grant/2027.1", "--count", "20", "--seed", "3", "--quiet"], &d);
    assert_eq!((code, out), (0, latest));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn diff_decides_each_side_by_the_version_in_effect_on_the_cases_date() {
    use eligo::batch::{diff, rows::Format, Options};
    let old = [("2022.1".to_string(), version("2022.1", None, 3000))];
    // Given out of date order: the side's versions are put in order by effective_from.
    let new = [("2027.1".to_string(), version("2027.1", Some("2027-04-01"), 5000)), old[0].clone()];
    // £4,000 People Power applications a day either side of 2027.1, and two that decide
    // nothing on either side (no date; not JSON).
    let dates = ["2027-03-31", "2027-04-01", "2019-01-01", "2031-12-31"];
    let mut lines: Vec<String> = (0..40).map(|i| application(Some(dates[i % dates.len()])).to_string()).collect();
    lines[5] = application(None).to_string();
    lines[6] = "{not json".into();
    let input = lines.join("\n");
    let run = |as_of: Option<&str>| {
        let opts = Options { as_of: as_of.map(String::from), threads: 2, chunk_rows: 3, brief: false };
        diff::run(&old, &new, input.as_bytes(), Format::Jsonl, &opts, 2, |_| {}).expect("runs")
    };
    let r = run(None);
    // Rows dated 2027-04-01 or 2031-12-31 flip, except row 6 (no date: refused on both sides).
    assert_eq!((r.cases, r.outcome_changed, r.unchanged), (40, 19, 21));
    let flips = r.transitions.iter().find(|t| t.changed).expect("a change");
    assert_eq!((flips.from.as_str(), flips.to.as_str(), flips.count), ("ineligible", "eligible", 19));
    assert_eq!(flips.examples.iter().map(|e| e.row).collect::<Vec<_>>(), [2, 4]);
    assert_eq!(r.new_versions.iter().map(|v| v.version.as_str()).collect::<Vec<_>>(), ["2022.1", "2027.1"]);
    // Every case as on one date: the version in effect then decides them all.
    assert_eq!(run(Some("2027-03-31")).outcome_changed, 0);
    assert_eq!(run(Some("2027-04-01")).outcome_changed, 38);
}

#[test]
fn any_date_goes_to_the_latest_version_in_effect_by_then_whatever_the_load_order() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    // Loaded out of order: versions are ordered by date, not by how they arrive.
    let mut engine = Engine::new();
    engine
        .add_all(vec![
            load(version("2027.1", Some("2027-04-01"), 5000)),
            load(version("2013.1", None, 3000)),
            load(version("2022.1", Some("2022-04-01"), 4000)),
        ])
        .expect("versions load");
    // The schema takes application dates from 2013.
    let first = chrono::NaiveDate::from_ymd_opt(2013, 1, 1).unwrap();
    let expected = |d: chrono::NaiveDate| {
        let at = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        if d >= at("2027-04-01") {
            "2027.1"
        } else if d >= at("2022-04-01") {
            "2022.1"
        } else {
            "2013.1"
        }
    };
    let mut runner = TestRunner::new(Config { cases: 300, ..Config::default() });
    runner
        .run(&(0i64..11_000), |days| {
            let d = first + chrono::Duration::days(days);
            let text = d.format("%Y-%m-%d").to_string();
            prop_assert_eq!(engine.get_on("community-grant", d).unwrap().manifest.version.as_str(), expected(d));
            let decided = engine.evaluate("community-grant", &application(Some(&text)), &EvalOptions::default()).unwrap();
            prop_assert_eq!(decided.ruleset.version.as_str(), expected(d));
            prop_assert_eq!(decided.as_of, text);
            Ok(())
        })
        .unwrap();
}
