//! Batch re-screening and the caseload generator: order kept across threads, bad rows
//! reported by row number without stopping the run, summary counts, CSV conversion, and
//! generated caseloads that are reproducible and valid for every rule set in rules/.

use eligo::batch::{self, rows::Format, BatchError, Options, Summary};
use eligo::engine::rule_dirs;
use eligo::generate::{self, Generator};
use eligo::ruleset::{read_dir, Files};
use eligo::{EvalOptions, RuleSet};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn rules_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("rules").join(name)
}

fn files(name: &str) -> Files {
    read_dir(&rules_dir(name)).unwrap_or_else(|e| panic!("{name} does not read: {e}"))
}

fn every_ruleset() -> Vec<(String, Files)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    rule_dirs(&root)
        .expect("rules/ holds rule sets")
        .into_iter()
        .map(|d| {
            let name = d.file_name().unwrap().to_string_lossy().to_string();
            let f = read_dir(&d).unwrap();
            (name, f)
        })
        .collect()
}

fn generated(name: &str, f: &Files, count: u64, seed: u64, format: Format) -> Vec<u8> {
    let rs = RuleSet::from_files(name, f.clone()).unwrap();
    let g = Generator::new(&rs, seed);
    let mut out = Vec::new();
    match format {
        Format::Jsonl => generate::write_jsonl(&g, count, &mut out).unwrap(),
        Format::Csv => generate::write_csv(&g, count, &mut out).unwrap(),
    }
    out
}

fn run(
    name: &str,
    f: &Files,
    input: &[u8],
    format: Format,
    opts: &Options,
) -> Result<(Summary, Vec<Value>), BatchError> {
    let mut out = Vec::new();
    let summary = batch::run(name, f, input, format, &mut out, opts, |_| {})?;
    let lines = String::from_utf8(out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    Ok((summary, lines))
}

fn opts(threads: usize, chunk_rows: usize) -> Options {
    Options { as_of: None, threads, chunk_rows, brief: false }
}

#[test]
fn order_is_kept_with_many_threads_and_each_line_is_the_single_decision() {
    let f = files("community-grant");
    let input = generated("community-grant", &f, 600, 7, Format::Jsonl);
    // Tiny chunks over many threads: chunks finish out of order and must be put back.
    let (summary, lines) = run("community-grant", &f, &input, Format::Jsonl, &opts(6, 3)).unwrap();
    assert_eq!(summary.rows, 600);
    assert_eq!(lines.len(), 600);
    let rs = RuleSet::from_files("community-grant", f.clone()).unwrap();
    for (i, (line, text)) in lines.iter().zip(String::from_utf8(input).unwrap().lines()).enumerate() {
        assert_eq!(line["row"], (i + 1) as u64, "line {} is out of order", i + 1);
        let case: Value = serde_json::from_str(text).unwrap();
        let expected = match rs.evaluate(&case, &EvalOptions::default()) {
            Ok(d) => serde_json::to_value(&d).unwrap(),
            Err(e) => serde_json::json!({ "error": e }),
        };
        let mut got = line.clone();
        got.as_object_mut().unwrap().remove("row");
        assert_eq!(got, expected, "row {} differs from deciding it alone", i + 1);
    }
    // The same run on one thread writes the same bytes.
    let mut one = Vec::new();
    let input = generated("community-grant", &f, 600, 7, Format::Jsonl);
    batch::run("community-grant", &f, &input[..], Format::Jsonl, &mut one, &opts(1, 1000), |_| {}).unwrap();
    let mut many = Vec::new();
    batch::run("community-grant", &f, &input[..], Format::Jsonl, &mut many, &opts(5, 2), |_| {}).unwrap();
    assert!(one == many, "one thread and five threads wrote different results");
}

#[test]
fn bad_rows_are_reported_by_row_number_and_the_run_goes_on() {
    let f = files("community-grant");
    let good = r#"{"fund":"people_power","applicant_type":"community_group","requested_amount":2500,"application_date":"2019-03-01","priorities":["victims_and_witnesses"]}"#;
    let negative = good.replace("2500", "-5");
    let input = [good, "{not json", "", good, &negative, "[1, 2]", good, "   ", "\u{0}"].join("\n");
    let (summary, lines) = run("community-grant", &f, input.as_bytes(), Format::Jsonl, &opts(2, 2)).unwrap();
    let rows: Vec<u64> = lines.iter().map(|l| l["row"].as_u64().unwrap()).collect();
    // Blank lines (3 and 8) are not rows; every other line is answered, in order.
    assert_eq!(rows, vec![1, 2, 4, 5, 6, 7, 9]);
    let is_error = |l: &Value| l.get("error").is_some();
    let errors: Vec<u64> = lines.iter().filter(|l| is_error(l)).map(|l| l["row"].as_u64().unwrap()).collect();
    assert_eq!(errors, vec![2, 5, 6, 9]);
    for l in lines.iter().filter(|l| is_error(l)) {
        assert_eq!(l["error"]["code"], "invalid_input", "{l}");
    }
    assert!(lines[1]["error"]["issues"][0]["message"].as_str().unwrap().contains("not valid JSON"));
    assert_eq!(lines[3]["error"]["issues"][0]["path"], "/requested_amount");
    for l in lines.iter().filter(|l| !is_error(l)) {
        assert_eq!(l["ruleset"]["id"], "community-grant");
        assert!(l["outcome"].is_string());
    }
    assert_eq!(summary.rows, 7);
    assert_eq!(summary.decided, 3);
    assert_eq!(summary.errors, 4);
    assert_eq!(summary.errors_by_code.get("invalid_input"), Some(&4));
    assert_eq!(summary.first_error_rows, vec![2, 5, 6, 9]);
}

#[test]
fn summary_counts_match_the_lines_written() {
    for (name, f) in every_ruleset() {
        let input = generated(&name, &f, 150, 11, Format::Jsonl);
        let (summary, lines) = run(&name, &f, &input, Format::Jsonl, &opts(3, 16)).unwrap();
        assert_eq!(summary.rows, lines.len() as u64, "{name}");
        let mut decided = 0;
        for o in &summary.outcomes {
            let n = lines.iter().filter(|l| l["outcome"] == o.outcome.as_str()).count() as u64;
            assert_eq!(o.count, n, "{name}: outcome {}", o.outcome);
            decided += n;
        }
        let errors = lines.iter().filter(|l| l.get("error").is_some()).count() as u64;
        assert_eq!(summary.decided, decided, "{name}");
        assert_eq!(summary.errors, errors, "{name}");
        assert_eq!(summary.errors_by_code.values().sum::<u64>(), errors, "{name}");
        assert_eq!(decided + errors, summary.rows, "{name}");
    }
}

#[test]
fn as_of_override_applies_to_every_row() {
    let f = files("community-grant");
    let input = generated("community-grant", &f, 50, 3, Format::Jsonl);
    let o = Options { as_of: Some("2018-06-30".into()), ..opts(2, 8) };
    let (_, lines) = run("community-grant", &f, &input, Format::Jsonl, &o).unwrap();
    for l in lines.iter().filter(|l| l.get("error").is_none()) {
        assert_eq!(l["as_of"], "2018-06-30");
    }
    assert!(lines.iter().any(|l| l.get("error").is_none()));
}

#[test]
fn csv_and_jsonl_of_the_same_cases_give_the_same_results() {
    for (name, f) in every_ruleset() {
        let jsonl = generated(&name, &f, 120, 5, Format::Jsonl);
        let csv = generated(&name, &f, 120, 5, Format::Csv);
        let mut a = Vec::new();
        let sa = batch::run(&name, &f, &jsonl[..], Format::Jsonl, &mut a, &opts(2, 32), |_| {}).unwrap();
        let mut b = Vec::new();
        let sb = batch::run(&name, &f, &csv[..], Format::Csv, &mut b, &opts(2, 32), |_| {}).unwrap();
        assert_eq!(sa, sb, "{name}: summaries differ");
        let (a, b) = (String::from_utf8(a).unwrap(), String::from_utf8(b).unwrap());
        for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
            assert_eq!(x, y, "{name}: row {} differs between JSON Lines and CSV", i + 1);
        }
    }
}

#[test]
fn csv_conversion_errors_name_the_row_and_column() {
    let f = files("community-grant");
    let csv = "fund,applicant_type,requested_amount,application_date,priorities\n\
        people_power,community_group,\"£2,500.00\",2019-03-01,victims_and_witnesses;early_intervention\n\
        people_power,community_group,lots,2019-03-01,victims_and_witnesses\n\
        people_power,community_group,100\n\
        people_power,charity,-3,2019-03-01,victims_and_witnesses\n";
    let (summary, lines) = run("community-grant", &f, csv.as_bytes(), Format::Csv, &opts(2, 1)).unwrap();
    assert_eq!(summary.rows, 4);
    assert!(lines[0].get("error").is_none(), "£2,500.00 and a ;-list should convert: {}", lines[0]);
    assert_eq!(lines[0]["values"]["matched_priorities"].as_array().map(Vec::len), Some(2));
    let e = &lines[1];
    assert_eq!(e["row"], 2);
    assert_eq!(e["error"]["issues"][0]["path"], "/requested_amount");
    let msg = e["error"]["issues"][0]["message"].as_str().unwrap();
    assert!(msg.contains("column 3") && msg.contains("requested_amount") && msg.contains("lots"), "{msg}");
    assert_eq!(lines[2]["row"], 3);
    assert!(lines[2]["error"]["issues"][0]["message"].as_str().unwrap().contains("3 cells but the header has 5"));
    // Range checks come from the schema, as for JSON input.
    assert_eq!(lines[3]["row"], 4);
    assert_eq!(lines[3]["error"]["issues"][0]["path"], "/requested_amount");
    assert_eq!(summary.errors, 3);

    let bad_header = "fund,applicant,requested_amount\n";
    match run("community-grant", &f, bad_header.as_bytes(), Format::Csv, &opts(1, 1)) {
        Err(BatchError::Input(m)) => assert!(m.contains("column 2") && m.contains("applicant"), "{m}"),
        other => panic!("an unknown column should stop the run before any row: {:?}", other.map(|x| x.0)),
    }
    // An empty file has no header to read rows by: not a caseload of no rows.
    for empty in ["", "\n", "\r\n\r\n"] {
        match run("community-grant", &f, empty.as_bytes(), Format::Csv, &opts(1, 1)) {
            Err(BatchError::Input(m)) => assert!(m.contains("no header row") && m.contains("fund,applicant_type"), "{m}"),
            other => panic!("{empty:?}: a CSV without a header should stop the run: {:?}", other.map(|x| x.0)),
        }
    }
}

/// A CSV cell of money is read as JSON text is: a comma only between thousands.
#[test]
fn csv_money_with_a_decimal_comma_is_refused_not_read_as_pounds() {
    let f = files("community-grant");
    let csv = "fund,applicant_type,requested_amount,application_date,priorities\n\
        people_power,community_group,\"150,00\",2019-03-01,victims_and_witnesses\n\
        people_power,community_group,\"£1,500\",2019-03-01,victims_and_witnesses\n";
    let (summary, lines) = run("community-grant", &f, csv.as_bytes(), Format::Csv, &opts(1, 1)).unwrap();
    assert_eq!((summary.rows, summary.errors), (2, 1));
    let msg = lines[0]["error"]["issues"][0]["message"].as_str().unwrap_or_default();
    assert!(msg.contains("column 3") && msg.contains("a comma may only separate thousands") && msg.contains("150.00"), "{}", lines[0]);
    assert!(lines[1].get("error").is_none(), "{}", lines[1]);
}

/// A number too large to hold exactly is said to be too large, with the limit, in a CSV cell
/// and in JSON alike: "is not a number" sent people looking for a typo in a number.
#[test]
fn a_number_too_large_to_hold_is_called_too_large_in_csv_and_json_alike() {
    let f = files("community-grant");
    let amounts = ["123456789012345678901234567890", "-123456789012345678901234567890.5", "1e400"];
    let mut csv = "fund,applicant_type,requested_amount,application_date,priorities\n".to_string();
    let mut jsonl = String::new();
    for amount in amounts {
        csv += &format!("people_power,community_group,{amount},2019-03-01,victims_and_witnesses\n");
        jsonl += &format!("{{\"fund\":\"people_power\",\"applicant_type\":\"community_group\",\"requested_amount\":{amount},\"application_date\":\"2019-03-01\",\"priorities\":[\"victims_and_witnesses\"]}}\n");
    }
    let (_, from_csv) = run("community-grant", &f, csv.as_bytes(), Format::Csv, &opts(1, 10)).unwrap();
    let (_, from_json) = run("community-grant", &f, jsonl.as_bytes(), Format::Jsonl, &opts(1, 10)).unwrap();
    let limit = "79,228,162,514,264,337,593,543,950,335";
    for (i, amount) in amounts.iter().enumerate() {
        let said = if amount.starts_with('-') {
            format!("\"{amount}\" is too large a negative number: the smallest that can be held exactly is -{limit}")
        } else {
            format!("\"{amount}\" is too large: the largest number that can be held exactly is {limit}")
        };
        let issue = |line: &Value| line["error"]["issues"][0].clone();
        assert_eq!(issue(&from_csv[i])["message"], format!("column 3 (requested_amount): {said}"), "{}", from_csv[i]);
        assert_eq!(issue(&from_json[i])["message"], said, "{}", from_json[i]);
        assert_eq!(issue(&from_json[i])["path"], "/requested_amount");
    }
}

/// A CSV cell that is not UTF-8 (as Excel's plain "CSV" saves "café") is named by its column
/// as people count them, from 1, and its header, with the text before the bad byte: it was
/// "invalid UTF-8 in field 0". So for the header row, which stops the run.
#[test]
fn a_csv_cell_that_is_not_utf8_is_named_by_its_column() {
    let f = files("community-grant");
    let mut csv = b"fund,applicant_type,requested_amount,application_date,priorities\n".to_vec();
    csv.extend_from_slice(b"people_power,caf\xe9,100,2019-03-01,victims_and_witnesses\n");
    csv.extend_from_slice(b"\xe9people_power,charity,100,2019-03-01,victims_and_witnesses\n");
    csv.extend_from_slice(b"people_power,charity,100,2019-03-01,victims_and_witnesses\n");
    let (summary, lines) = run("community-grant", &f, &csv, Format::Csv, &opts(1, 10)).unwrap();
    assert_eq!((summary.rows, summary.errors), (3, 2));
    let save = "save the file as UTF-8 (in Excel, as \"CSV UTF-8\")";
    let issue = |i: usize| (lines[i]["error"]["issues"][0]["path"].clone(), lines[i]["error"]["issues"][0]["message"].clone());
    assert_eq!(issue(0), (Value::from("/applicant_type"), Value::from(format!("column 2 (applicant_type): not UTF-8 text after \"caf\" (line 2); {save}"))));
    assert_eq!(issue(1), (Value::from("/fund"), Value::from(format!("column 1 (fund): not UTF-8 text (line 3); {save}"))));
    assert!(lines[2].get("error").is_none(), "{}", lines[2]);

    let header = b"fund,applicant_type,caf\xe9\n";
    match run("community-grant", &f, header, Format::Csv, &opts(1, 1)) {
        Err(BatchError::Input(m)) => assert_eq!(m, format!("column 3 of the header row: not UTF-8 text after \"caf\"; {save}")),
        other => panic!("a header that is not UTF-8 should stop the run: {:?}", other.map(|x| x.0)),
    }
}

#[test]
fn csv_booleans_accept_yes_and_no_and_name_bad_cells() {
    let f = files("space-participant");
    let rs = RuleSet::from_files("space-participant", f.clone()).unwrap();
    let bools: Vec<&str> = rs
        .manifest
        .input
        .iter()
        .filter(|x| x.kind == eligo::schema::FieldType::Boolean)
        .map(|x| x.name.as_str())
        .collect();
    assert!(bools.contains(&"youth_asb_marker"));
    let csv = "date_of_birth,attendance_date,referral_source,youth_asb_marker,area_risk_evidence\n\
        2010-05-01,2022-08-01,school,yes,No\n\
        2010-05-01,2022-08-01,school,perhaps,false\n";
    let (_, lines) = run("space-participant", &f, csv.as_bytes(), Format::Csv, &opts(1, 10)).unwrap();
    assert!(lines[0].get("error").is_none(), "{}", lines[0]);
    let msg = lines[1]["error"]["issues"][0]["message"].as_str().unwrap();
    assert!(msg.contains("column 4") && msg.contains("youth_asb_marker") && msg.contains("perhaps"), "{msg}");
    assert_eq!(lines[1]["row"], 2);
}

#[test]
fn generator_is_reproducible_and_its_cases_fit_the_schema() {
    for (name, f) in every_ruleset() {
        let a = generated(&name, &f, 250, 2024, Format::Jsonl);
        let b = generated(&name, &f, 250, 2024, Format::Jsonl);
        assert!(a == b, "{name}: the same seed gave different JSON Lines");
        assert!(
            generated(&name, &f, 250, 2024, Format::Csv) == generated(&name, &f, 250, 2024, Format::Csv),
            "{name}: CSV"
        );
        assert!(a != generated(&name, &f, 250, 2025, Format::Jsonl), "{name}: another seed gave the same cases");
        let rs = RuleSet::from_files(&name, f.clone()).unwrap();
        let mut outcomes = std::collections::BTreeSet::new();
        for (i, line) in String::from_utf8(a).unwrap().lines().enumerate() {
            let case: Value = serde_json::from_str(line).unwrap();
            if let Err(issues) = eligo::schema::validate(&rs.manifest.input, &case) {
                panic!("{name}: generated case {} does not fit the schema: {issues:?}\n{line}", i + 1);
            }
            if let Ok(d) = rs.evaluate(&case, &EvalOptions::default()) {
                outcomes.insert(d.outcome);
            }
        }
        assert!(outcomes.len() >= 2, "{name}: 250 generated cases reached only {outcomes:?}");
    }
}

#[test]
fn generator_hits_parameter_edges() {
    let f = files("community-grant");
    let rs = RuleSet::from_files("community-grant", f.clone()).unwrap();
    let max: f64 = rs.parameters().specs().find(|(n, _)| *n == "people_power_max").unwrap().1.values[0]
        .value
        .to_string()
        .parse()
        .unwrap();
    let text = String::from_utf8(generated("community-grant", &f, 2000, 9, Format::Jsonl)).unwrap();
    let amounts: Vec<String> =
        text.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["requested_amount"].to_string()).collect();
    let at = |x: f64| amounts.iter().filter(|a| a.parse::<f64>().ok() == Some(x)).count();
    assert!(at(max) > 0, "no case asks for exactly the People Power maximum");
    assert!(at(max + 0.01) > 0, "no case asks for a penny over the People Power maximum");
    assert!(at(max - 0.01) > 0, "no case asks for a penny under the People Power maximum");
}

#[test]
fn cli_batch_writes_results_and_a_summary() {
    let dir = std::env::temp_dir().join(format!("eligo-batch-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("cases.jsonl");
    let output = dir.join("results.jsonl");
    let good = r#"{"fund":"people_power","applicant_type":"community_group","requested_amount":2500,"application_date":"2019-03-01","priorities":["victims_and_witnesses"]}"#;
    std::fs::write(&input, format!("{good}\n{{oops\n{good}\n")).unwrap();
    let exe = env!("CARGO_BIN_EXE_eligo");
    let out = Command::new(exe)
        .args([
            "batch",
            rules_dir("community-grant").to_str().unwrap(),
            "--input",
            input.to_str().unwrap(),
            "--output",
            output.to_str().unwrap(),
            "--quiet",
            "--json",
            "--threads",
            "2",
        ])
        .output()
        .unwrap();
    // Exit 1: the run finished, and some rows were errors.
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["rows"], 3);
    assert_eq!(summary["errors"], 1);
    assert_eq!(summary["first_error_rows"], serde_json::json!([2]));
    let written = std::fs::read_to_string(&output).unwrap();
    assert_eq!(written.lines().count(), 3);
    assert!(written.lines().nth(1).unwrap().starts_with(r#"{"row":2,"error":"#));

    // Text summary names each outcome; no progress bar when stderr is not a terminal.
    let out = Command::new(exe)
        .args([
            "batch",
            rules_dir("community-grant").to_str().unwrap(),
            "--input",
            input.to_str().unwrap(),
            "-o",
            output.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("3 rows") && text.contains("eligible") && text.contains("errors"), "{text}");
    assert!(text.contains("(invalid_input 1; first at row 2)"), "{text}");
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));

    let out = Command::new(exe)
        .args([
            "batch",
            rules_dir("community-grant").to_str().unwrap(),
            "--input",
            dir.join("cases.txt").to_str().unwrap(),
            "-o",
            "-",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "an input of unknown format is a usage error");
    std::fs::remove_dir_all(&dir).ok();
}

/// `--brief`: every line is the full run's line less each reason's message, for every seed
/// rule set, and the summary is the same.
#[test]
fn a_brief_run_writes_the_full_decisions_unworded() {
    for (name, f) in every_ruleset() {
        let input = generated(&name, &f, 400, 3, Format::Jsonl);
        let (summary, full) = run(&name, &f, &input, Format::Jsonl, &opts(2, 50)).unwrap();
        let brief_opts = Options { brief: true, ..opts(2, 50) };
        let (brief_summary, brief) = run(&name, &f, &input, Format::Jsonl, &brief_opts).unwrap();
        assert_eq!(brief_summary, summary, "{name}");
        assert!(summary.decided > 100, "{name}: only {} rows decided", summary.decided);
        for (i, (mut want, got)) in full.into_iter().zip(brief).enumerate() {
            if let Some(reasons) = want.get_mut("reasons").and_then(Value::as_array_mut) {
                reasons.iter_mut().for_each(|r| assert!(r.as_object_mut().unwrap().remove("message").is_some()));
            }
            assert_eq!(got, want, "{name}: row {}", i + 1);
        }
    }
    // From the command line.
    let dir = std::env::temp_dir().join(format!("eligo-batch-brief-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("cases.jsonl");
    std::fs::write(&input, generated("community-grant", &files("community-grant"), 50, 5, Format::Jsonl)).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_eligo"))
        .args(["batch", rules_dir("community-grant").to_str().unwrap(), "--input", input.to_str().unwrap(), "-o", "-", "--brief", "--quiet"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().count(), 50, "{}", String::from_utf8_lossy(&out.stderr));
    let decisions: Vec<Value> = text.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()).filter(|l| l.get("reasons").is_some()).collect();
    assert!(decisions.len() > 25, "{text}");
    for d in decisions {
        assert!(d["reasons"].as_array().unwrap().iter().all(|r| r.get("rule").is_some() && r.get("message").is_none()), "{d}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn cli_generate_is_reproducible() {
    let exe = env!("CARGO_BIN_EXE_eligo");
    let gen = |seed: &str, format: &str| {
        Command::new(exe)
            .args([
                "generate",
                rules_dir("community-grant").to_str().unwrap(),
                "--count",
                "50",
                "--seed",
                seed,
                "--format",
                format,
            ])
            .output()
            .unwrap()
    };
    let (a, b) = (gen("17", "jsonl"), gen("17", "jsonl"));
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout);
    // Standard error is not a terminal here, so no bar is drawn, with or without --quiet.
    assert!(a.stderr.is_empty(), "{}", String::from_utf8_lossy(&a.stderr));
    assert_eq!(String::from_utf8_lossy(&a.stdout).lines().count(), 50);
    let csv = gen("17", "csv");
    let text = String::from_utf8_lossy(&csv.stdout);
    assert!(text.starts_with("fund,"), "{text}");
    assert_eq!(text.lines().count(), 51);
}

/// The writer behind `eligo generate`'s progress bar reports every 10,000 cases and at the
/// end, and writes the same bytes as the plain writers; a piece from case `first` is those
/// lines of the whole.
#[test]
fn generating_reports_progress_and_writes_the_same_cases() {
    let rs = RuleSet::from_files("space-participant", files("space-participant")).unwrap();
    let g = Generator::new(&rs, 3);
    for format in [Format::Jsonl, Format::Csv] {
        let (mut seen, mut out) = (Vec::new(), Vec::new());
        generate::write(&g, format, 25_000, &mut out, |n| seen.push(n)).unwrap();
        assert_eq!(seen, [10_000, 20_000, 25_000], "{format:?}");
        assert_eq!(out, generated("space-participant", &files("space-participant"), 25_000, 3, format), "{format:?}");
    }
    let whole = String::from_utf8(generated("space-participant", &files("space-participant"), 10_005, 3, Format::Jsonl)).unwrap();
    let mut piece = Vec::new();
    generate::write_jsonl_from(&g, 10_000, 5, &mut piece).unwrap();
    let tail: String = whole.lines().skip(10_000).map(|l| format!("{l}\n")).collect();
    assert_eq!(String::from_utf8(piece).unwrap(), tail);
}

/// A writer that fails once `limit` bytes are written, like a full disk.
struct FullDisk {
    written: usize,
    limit: usize,
}

impl std::io::Write for FullDisk {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.written + buf.len() > self.limit {
            return Err(std::io::Error::other("no space left on device"));
        }
        self.written += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A reader of endless rows, so a run that does not stop on a write failure never ends.
struct Endless {
    line: Vec<u8>,
    at: usize,
}

impl std::io::Read for Endless {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut n = 0;
        while n < buf.len() {
            buf[n] = self.line[self.at];
            self.at = (self.at + 1) % self.line.len();
            n += 1;
        }
        Ok(n)
    }
}

#[test]
fn a_failing_writer_stops_the_run_instead_of_reading_on() {
    let f = files("community-grant");
    let line = br#"{"fund":"people_power","applicant_type":"community_group","requested_amount":2500,"application_date":"2019-03-01","priorities":["victims_and_witnesses"]}
"#;
    let input = Endless { line: line.to_vec(), at: 0 };
    let mut out = FullDisk { written: 0, limit: 200_000 };
    match batch::run("community-grant", &f, input, Format::Jsonl, &mut out, &opts(3, 16), |_| {}) {
        Err(BatchError::Write(e)) => assert!(e.to_string().contains("no space")),
        other => panic!("expected a write error, got {:?}", other.map(|s| s.rows)),
    }
}

/// A reader that fails after some rows, like a dropped network mount.
struct Broken {
    rows: std::io::Cursor<Vec<u8>>,
}

impl std::io::Read for Broken {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self.rows.read(buf)? {
            0 => Err(std::io::Error::other("connection reset")),
            n => Ok(n),
        }
    }
}

#[test]
fn a_failing_reader_is_an_error_after_the_rows_read_are_written() {
    let f = files("community-grant");
    let good = r#"{"fund":"people_power","applicant_type":"community_group","requested_amount":2500,"application_date":"2019-03-01","priorities":["victims_and_witnesses"]}"#;
    let text = format!("{good}\n").repeat(40);
    let mut out = Vec::new();
    let r = batch::run(
        "community-grant",
        &f,
        Broken { rows: std::io::Cursor::new(text.into_bytes()) },
        Format::Jsonl,
        &mut out,
        &opts(2, 7),
        |_| {},
    );
    match r {
        Err(BatchError::Read(e)) => assert!(e.to_string().contains("connection reset")),
        other => panic!("expected a read error, got {:?}", other.map(|s| s.rows)),
    }
    let written = String::from_utf8(out).unwrap();
    assert_eq!(written.lines().count(), 40, "every row read before the failure is answered");
}
