//! Rule-change impact: the same caseload through two versions of a rule set. The crafted
//! caseload below is built so the expected counts follow from its own numbers.

use eligo::batch::diff::{self, Report};
use eligo::batch::{rows::Format, Options};
use eligo::ruleset::{read_dir, Files, RuleSet, PARAMETERS_FILE};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

const OLD_MAX: &str = "3000";
const NEW_MAX: &str = "3500";

fn community_grant() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/community-grant")
}

/// community-grant with every People Power maximum of £3,000 raised to £3,500: only that
/// parameter's section of parameters.toml is touched.
fn raised(files: &Files) -> Files {
    let mut files = files.clone();
    let text = files.get(PARAMETERS_FILE).expect("community-grant has parameters").clone();
    let start = text.find("[people_power_max]").expect("community-grant defines people_power_max");
    let end = text[start + 1..].find("\n[").map_or(text.len(), |i| start + 1 + i);
    let section = &text[start..end];
    let changed = section.replace(&format!("value = {OLD_MAX}"), &format!("value = {NEW_MAX}"));
    assert_ne!(section, changed, "people_power_max should hold the value {OLD_MAX}");
    files.insert(PARAMETERS_FILE.into(), format!("{}{changed}{}", &text[..start], &text[end..]));
    files
}

fn case(fund: &str, amount: &str) -> Value {
    let amount: Value = serde_json::from_str(amount).unwrap();
    json!({
        "fund": fund,
        "applicant_type": if fund == "locality_deal" { "community_safety_partnership" } else { "community_group" },
        "requested_amount": amount,
        "application_date": "2019-06-03",
        "priorities": ["victims_and_witnesses"],
    })
}

const PEOPLE_POWER: [&str; 11] =
    ["99.99", "100", "2500", "2999.99", "3000", "3000.01", "3250", "3499.99", "3500", "3500.01", "4000"];

/// The crafted caseload: People Power requests around both maxima, other funds' requests
/// in the same range (which the change must not touch), and a bad row.
fn caseload() -> (String, Vec<u64>) {
    let mut lines = Vec::new();
    let mut flips = Vec::new();
    for (i, a) in PEOPLE_POWER.iter().enumerate() {
        lines.push(case("people_power", a).to_string());
        let x: f64 = a.parse().unwrap();
        let old_max: f64 = OLD_MAX.parse().unwrap();
        let new_max: f64 = NEW_MAX.parse().unwrap();
        if x > old_max && x <= new_max {
            flips.push(i as u64 + 1);
        }
        lines.push(case("proceeds_of_crime", a).to_string());
    }
    lines.push("{\"fund\": ".to_string());
    (lines.join("\n") + "\n", flips)
}

fn run(old: &Files, new: &Files, input: &str, examples: usize) -> Report {
    run_with(old, new, input, examples, false)
}

fn run_with(old: &Files, new: &Files, input: &str, examples: usize, brief: bool) -> Report {
    let opts = Options { threads: 3, chunk_rows: 2, brief, ..Options::default() };
    diff::run(
        &[("community-grant".to_string(), old.clone())],
        &[("community-grant".to_string(), new.clone())],
        input.as_bytes(),
        Format::Jsonl,
        &opts,
        examples,
        |_| {},
    )
    .unwrap()
}

#[test]
fn raising_the_people_power_maximum_flips_exactly_the_requests_in_between() {
    let old = read_dir(&community_grant()).unwrap();
    let new = raised(&old);
    let (input, flip_indexes) = caseload();
    // People Power cases sit on odd rows (1, 3, 5, ...): index i is row 2i - 1.
    let flip_rows: Vec<u64> = flip_indexes.iter().map(|i| 2 * i - 1).collect();
    assert_eq!(flip_rows.len(), 4, "3000.01, 3250, 3499.99 and 3500 lie in (3000, 3500]");
    let r = run(&old, &new, &input, 3);

    let rows = 2 * PEOPLE_POWER.len() as u64 + 1;
    assert_eq!(r.cases, rows);
    assert_eq!(r.outcome_changed, flip_rows.len() as u64);
    let changes: Vec<_> = r.transitions.iter().filter(|t| t.changed).collect();
    assert_eq!(changes.len(), 1, "only one kind of change: {changes:?}");
    assert_eq!((changes[0].from.as_str(), changes[0].to.as_str()), ("ineligible", "eligible"));
    assert_eq!(changes[0].count, flip_rows.len() as u64);
    let example_rows: Vec<u64> = changes[0].examples.iter().map(|e| e.row).collect();
    assert_eq!(example_rows, flip_rows[..3].to_vec(), "the first three flipped rows are the examples");
    assert_eq!(changes[0].examples[0].input["requested_amount"].to_string(), "3000.01");

    // Every other People Power case keeps its outcome but sees the new maximum.
    let value_only = PEOPLE_POWER.len() as u64 - flip_rows.len() as u64;
    assert_eq!(r.value_only_changed, value_only);
    let max_award = r.value_changes.iter().find(|v| v.value == "max_award").expect("max_award changes");
    assert_eq!(max_award.count, value_only);
    assert_eq!(max_award.examples[0].old.to_string(), OLD_MAX);
    assert_eq!(max_award.examples[0].new.to_string(), NEW_MAX);
    // Proceeds of Crime cases and the bad row are untouched.
    assert_eq!(r.unchanged, rows - flip_rows.len() as u64 - value_only);
    let bad = r.transitions.iter().find(|t| t.from == "error:invalid_input").expect("the bad row is counted");
    assert_eq!((bad.to.as_str(), bad.count, bad.changed), ("error:invalid_input", 1, false));
    assert_ne!(r.old.hash, r.new.hash);
}

/// `--brief` compares outcomes and values only, as a full run does: the same report.
#[test]
fn a_brief_diff_reports_what_a_full_one_does() {
    let old = read_dir(&community_grant()).unwrap();
    let new = raised(&old);
    let (input, _) = caseload();
    let full = serde_json::to_value(run_with(&old, &new, &input, 3, false)).unwrap();
    assert_eq!(serde_json::to_value(run_with(&old, &new, &input, 3, true)).unwrap(), full);
    assert_ne!(full["outcome_changed"], 0);
}

/// The comparison the playground runs in the page (`diff::compare`, one thread, the
/// caseload held as text) reports what the streamed, parallel `eligo diff` does, row
/// numbers and examples included, and the same for the caseload as one JSON array.
#[test]
fn the_in_page_comparison_reports_what_the_streamed_one_does() {
    let old_files = read_dir(&community_grant()).unwrap();
    let new_files = raised(&old_files);
    let (input, _) = caseload();
    let streamed = serde_json::to_value(run(&old_files, &new_files, &input, 2)).unwrap();
    let (old, new) = (RuleSet::from_files("community-grant", old_files).unwrap(), RuleSet::from_files("community-grant", new_files).unwrap());
    let opts = eligo::EvalOptions::default();
    let held = diff::compare(&old, &new, &input, &opts, 2).unwrap();
    assert_eq!(serde_json::to_value(&held).unwrap(), streamed);

    // As an array, rows count from 1 through it (here, every line of the caseload that is JSON).
    let inputs: Vec<Value> = input.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    let array = diff::compare(&old, &new, &serde_json::to_string(&inputs).unwrap(), &opts, 2).unwrap();
    assert_eq!(array.cases, inputs.len() as u64);
    assert_eq!(array.outcome_changed, held.outcome_changed);
    let e = diff::compare(&old, &new, "[{\"fund\": ", &opts, 2).unwrap_err();
    assert!(e.message.contains("not a JSON array"), "{e}");
}

#[test]
fn a_rule_set_against_itself_changes_nothing() {
    let files = read_dir(&community_grant()).unwrap();
    let (input, _) = caseload();
    let r = run(&files, &files, &input, 3);
    assert_eq!(r.outcome_changed, 0);
    assert_eq!(r.value_only_changed, 0);
    assert_eq!(r.unchanged, r.cases);
    assert!(r.value_changes.is_empty());
    assert!(r.transitions.iter().all(|t| !t.changed && t.examples.is_empty()));
    assert_eq!(r.transitions.iter().map(|t| t.count).sum::<u64>(), r.cases);
}

#[test]
fn cli_diff_reports_the_table_and_examples() {
    let dir = std::env::temp_dir().join(format!("eligo-diff-cli-{}", std::process::id()));
    let new_dir = dir.join("community-grant");
    std::fs::create_dir_all(new_dir.join("tests")).unwrap();
    let old = read_dir(&community_grant()).unwrap();
    for (name, text) in raised(&old) {
        // Only the rules: the copy's own test cases expect the old maximum.
        if !name.starts_with("tests/") {
            std::fs::write(new_dir.join(&name), text).unwrap();
        }
    }
    let (input, flips) = caseload();
    let cases = dir.join("cases.jsonl");
    std::fs::write(&cases, input).unwrap();
    let exe = env!("CARGO_BIN_EXE_eligo");
    let args = |json: bool| {
        let mut a = vec!["diff".to_string(), community_grant().display().to_string(), new_dir.display().to_string()];
        a.extend(["--input".into(), cases.display().to_string(), "--examples".into(), "2".into()]);
        if json {
            a.push("--json".into());
        }
        a
    };
    let out = Command::new(exe).args(args(true)).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["outcome_changed"], flips.len());
    assert_eq!(report["transitions"][0]["examples"].as_array().unwrap().len(), 2);

    let out = Command::new(exe).args(args(false)).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&format!("{} change outcome", flips.len())), "{text}");
    assert!(text.contains("ineligible -> eligible"), "{text}");
    assert!(text.contains("max_award"), "{text}");

    // --as-of moves every case to another date: before May 2017, victims_and_witnesses is
    // still a priority, so the same rows flip.
    let mut a = args(true);
    a.extend(["--as-of".into(), "2016-01-04".into()]);
    let out = Command::new(exe).args(a).output().unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["outcome_changed"], flips.len());
    std::fs::remove_dir_all(&dir).ok();
}
