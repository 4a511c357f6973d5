//! The command line as a shell uses it.

use std::path::Path;
use std::process::{Command, Stdio};

/// `eligo check rules/ | head -1`: when the reader goes away, the command stops quietly
/// (as Unix tools do, by SIGPIPE), never with a panic and a backtrace.
#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    for _ in 0..3 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_eligo"))
            .args(["check", &rules.display().to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the reading end before the command has loaded the rule sets and written.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_ne!(out.status.code(), Some(101), "{stderr}");
    }
}

/// `eligo check` notes a parameter the rules never read (left behind by a rename, say),
/// without failing the rule set; the seed rule sets read every one of theirs.
#[test]
fn check_notes_parameters_the_rules_never_read() {
    let eligo = env!("CARGO_BIN_EXE_eligo");
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let out = Command::new(eligo).args(["check", &seeds.display().to_string()]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(!stdout.contains("unused"), "{stdout}");

    let dir = std::env::temp_dir().join(format!("eligo-check-unused-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("tests")).unwrap();
    let from = seeds.join("space-participant");
    for f in ["ruleset.toml", "rules.rhai", "tests/ages.toml"] {
        std::fs::copy(from.join(f), dir.join(f)).unwrap();
    }
    let params = std::fs::read_to_string(from.join("parameters.toml")).unwrap();
    let extra = "\n[old_max_age]\ntype = \"integer\"\nlabel = \"x\"\nsource = \"x\"\nvalues = [{ from = \"2015-01-01\", value = 18 }]\n";
    std::fs::write(dir.join("parameters.toml"), format!("{params}{extra}")).unwrap();
    let out = Command::new(eligo).args(["check", &dir.display().to_string()]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("unused: parameter old_max_age is in parameters.toml but never read by rules.rhai"), "{stdout}");
    assert!(!stdout.contains("min_age,") && !stdout.contains("parameters "), "{stdout}");
}

/// A failing test case is reported as `file:line` of its name, which editors open there.
#[test]
fn a_failing_test_case_names_its_file_and_line() {
    let eligo = env!("CARGO_BIN_EXE_eligo");
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/community-grant");
    let dir = std::env::temp_dir().join(format!("eligo-test-line-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("tests")).unwrap();
    for f in ["ruleset.toml", "parameters.toml", "rules.rhai", "tests/bands.toml"] {
        std::fs::copy(from.join(f), dir.join(f)).unwrap();
    }
    // The first case in bands.toml expecting "eligible" now expects the other outcome.
    let cases = std::fs::read_to_string(from.join("tests/bands.toml")).unwrap();
    let at = cases.find("outcome = \"eligible\"").unwrap();
    let changed = format!("{}outcome = \"ineligible\"{}", &cases[..at], &cases[at + "outcome = \"eligible\"".len()..]);
    std::fs::write(dir.join("tests/bands.toml"), &changed).unwrap();
    let name_line = changed[..at].rfind("\nname = ").map(|i| changed[..=i].lines().count() + 1).unwrap();
    let out = Command::new(eligo).args(["test", &dir.display().to_string()]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let fail: Vec<&str> = stdout.lines().filter(|l| l.contains("FAIL")).collect();
    assert_eq!(fail.len(), 1, "{stdout}");
    assert!(fail[0].contains(&format!("(tests/bands.toml:{name_line}): outcome eligible, expected ineligible")), "{stdout}");
}

/// A scratch folder for one test, emptied first.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("eligo-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("a")).unwrap();
    dir
}

/// The community-grant rule set's folder, and one case it decides "eligible" as JSON text.
fn grant_case() -> (String, &'static str) {
    let grant = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/community-grant").display().to_string();
    (grant, r#"{"fund":"people_power","applicant_type":"community_group","application_date":"2019-03-01","priorities":["victims_and_witnesses"],"requested_amount":100}"#)
}

/// `batch --input X -o X` (however X is spelt) and `eval --input X --record X` are refused
/// as usage errors naming both, before the input is emptied by opening it for writing.
#[test]
fn an_output_that_is_the_input_is_refused_before_anything_is_written() {
    let eligo = env!("CARGO_BIN_EXE_eligo");
    let (grant, _) = grant_case();
    let dir = scratch("same-file");
    let out = Command::new(eligo).current_dir(&dir).args(["generate", &grant, "--count", "20", "-q", "-o", "cases.jsonl"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let cases = std::fs::read(dir.join("cases.jsonl")).unwrap();
    let first = cases.split(|b| *b == b'\n').next().unwrap().to_vec();
    std::fs::write(dir.join("case.json"), &first).unwrap();
    let runs: [&[&str]; 4] = [
        &["batch", "rules", "--input", "cases.jsonl", "-o", "cases.jsonl"],
        &["batch", "rules", "--input", "cases.jsonl", "-o", "./a/../cases.jsonl"],
        &["batch", "rules", "--input", "./cases.jsonl", "--output", "cases.jsonl", "--as-of", "2021-01-01"],
        &["eval", "rules", "--input", "case.json", "--record", "a/../case.json"],
    ];
    for args in runs {
        let args: Vec<String> = args.iter().map(|a| if *a == "rules" { grant.clone() } else { a.to_string() }).collect();
        let out = Command::new(eligo).current_dir(&dir).args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        let (input, output) = (&args[3], &args[5]);
        assert!(stderr.contains(&format!("the output {output} is the input {input}")), "{args:?}: {stderr}");
    }
    assert_eq!(std::fs::read(dir.join("cases.jsonl")).unwrap(), cases, "the caseload is untouched");
    assert_eq!(std::fs::read(dir.join("case.json")).unwrap(), first, "the case is untouched");
    // A different file, existing or not, is written as before.
    let out = Command::new(eligo).current_dir(&dir).args(["batch", &grant, "--input", "cases.jsonl", "-o", "a/results.jsonl", "-q"]).output().unwrap();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read_to_string(dir.join("a/results.jsonl")).unwrap().lines().count(), 20);
    let _ = std::fs::remove_dir_all(&dir);
}

/// An empty CSV has no header row: an error naming the file, not a run of 0 rows.
#[test]
fn an_empty_csv_is_an_error_naming_the_file() {
    let eligo = env!("CARGO_BIN_EXE_eligo");
    let (grant, _) = grant_case();
    let dir = scratch("empty-csv");
    std::fs::write(dir.join("empty.csv"), "").unwrap();
    let out = Command::new(eligo).current_dir(&dir).args(["batch", &grant, "--input", "empty.csv", "-o", "out.jsonl", "-q"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("empty.csv: the CSV has no header row"), "{stderr}");
}

/// An impossible `--as-of` is a usage error naming the option in every command that takes
/// one, before any work: `batch` made every row an error and `diff` called them unchanged.
#[test]
fn an_impossible_as_of_date_is_a_usage_error() {
    let eligo = env!("CARGO_BIN_EXE_eligo");
    let (grant, case) = grant_case();
    let dir = scratch("as-of");
    std::fs::write(dir.join("cases.jsonl"), format!("{case}\n")).unwrap();
    std::fs::write(dir.join("case.json"), case).unwrap();
    for (date, problem) in [("2023-02-30", "2023-02-30 is not a real calendar date"), ("23-2-1", "must be a date in the form YYYY-MM-DD")] {
        let runs: [Vec<&str>; 3] = [
            vec!["eval", &grant, "--input", "case.json", "--as-of", date],
            vec!["batch", &grant, "--input", "cases.jsonl", "-o", "out.jsonl", "--as-of", date],
            vec!["diff", &grant, &grant, "--input", "cases.jsonl", "--as-of", date],
        ];
        for args in runs {
            let out = Command::new(eligo).current_dir(&dir).args(&args).output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
            assert!(stderr.contains("--as-of") && stderr.contains(problem), "{args:?}: {stderr}");
            assert!(out.stdout.is_empty(), "{args:?}: {}", String::from_utf8_lossy(&out.stdout));
        }
    }
    let written = dir.join("out.jsonl").exists();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(!written, "batch wrote results for an impossible date");
}

/// A file that begins with a UTF-8 byte-order mark (as some Windows editors save it) is
/// read as without one: `eval --input`, and the first line of JSON Lines for batch and diff.
#[test]
fn a_byte_order_mark_at_the_start_of_json_input_is_skipped() {
    let eligo = env!("CARGO_BIN_EXE_eligo");
    let (grant, case) = grant_case();
    let dir = scratch("bom");
    std::fs::write(dir.join("case.json"), format!("\u{feff}{case}")).unwrap();
    std::fs::write(dir.join("cases.jsonl"), format!("\u{feff}{case}\n{case}\n")).unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(eligo).current_dir(&dir).args(args).output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stdout).to_string(), String::from_utf8_lossy(&out.stderr).to_string())
    };
    let (code, stdout, stderr) = run(&["eval", &grant, "--input", "case.json"]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("\"outcome\":\"eligible\""), "{stdout}");
    let (code, stdout, stderr) = run(&["batch", &grant, "--input", "cases.jsonl", "-o", "-", "-q"]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert_eq!(stdout.lines().filter(|l| l.contains("\"outcome\":\"eligible\"")).count(), 2, "{stdout}");
    let (code, stdout, stderr) = run(&["diff", &grant, &grant, "--input", "cases.jsonl", "--json"]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!((report["cases"].as_u64(), report["unchanged"].as_u64()), (Some(2), Some(2)), "{stdout}");
    assert!(!stdout.contains("invalid_input"), "{stdout}");
}

/// `eval --pretty` indents an error as it indents a decision: the same JSON, on many lines,
/// for an input's problems (exit 1) and for a rule set that does not load (exit 3).
#[test]
fn eval_pretty_indents_errors_too() {
    let eligo = env!("CARGO_BIN_EXE_eligo");
    let (grant, _) = grant_case();
    let dir = scratch("pretty");
    std::fs::write(dir.join("bad.json"), r#"{"fund":"people_power","requested_amount":-5}"#).unwrap();
    std::fs::create_dir_all(dir.join("broken")).unwrap();
    std::fs::write(dir.join("broken/ruleset.toml"), "id = ").unwrap();
    for (rules, code) in [(grant.as_str(), 1), ("broken", 3)] {
        let run = |extra: &[&str]| {
            let out = Command::new(eligo).current_dir(&dir).args(["eval", rules, "--input", "bad.json"]).args(extra).output().unwrap();
            (out.status.code(), String::from_utf8_lossy(&out.stdout).to_string())
        };
        let (plain_code, plain) = run(&[]);
        let (pretty_code, pretty) = run(&["--pretty"]);
        assert_eq!((plain_code, pretty_code), (Some(code), Some(code)), "{rules}: {plain}{pretty}");
        assert_eq!(plain.lines().count(), 1, "{rules}: {plain}");
        assert!(pretty.lines().count() > 3 && pretty.contains("\n  \"error\": {"), "{rules}: {pretty}");
        let parsed = |t: &str| serde_json::from_str::<serde_json::Value>(t).unwrap();
        assert_eq!(parsed(&plain), parsed(&pretty), "{rules}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Copy a rule-set folder (its files and `tests/`).
fn copy_ruleset(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.join("tests")).unwrap();
    for dir in [from.to_path_buf(), from.join("tests")] {
        for entry in std::fs::read_dir(&dir).unwrap().flatten().filter(|e| e.path().is_file()) {
            let rel = entry.path().strip_prefix(from).unwrap().to_path_buf();
            std::fs::copy(entry.path(), to.join(rel)).unwrap();
        }
    }
}

/// A folder that holds a rule set's files but no ruleset.toml (misnamed, or missing) was
/// left out of `check`, `test` and `bundle` of its parent without a word, so a bundle
/// silently dropped the rule set. Each command now names the folder and the missing file,
/// in a folder of rule sets and in a folder of a rule set's versions alike.
#[test]
fn a_rule_set_folder_without_its_manifest_is_an_error_not_left_out() {
    let eligo = env!("CARGO_BIN_EXE_eligo");
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/space-participant");
    let root = std::env::temp_dir().join(format!("eligo-no-manifest-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    copy_ruleset(&seed, &root.join("good"));
    copy_ruleset(&seed, &root.join("misnamed"));
    std::fs::rename(root.join("misnamed/ruleset.toml"), root.join("misnamed/rulset.toml")).unwrap();
    copy_ruleset(&seed, &root.join("versioned/v2"));
    std::fs::remove_file(root.join("versioned/v2/ruleset.toml")).unwrap();
    std::fs::create_dir_all(root.join("docs")).unwrap();
    std::fs::write(root.join("docs/notes.md"), "not a rule set").unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(eligo).args(args).output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let at = |sub: &str| root.join(sub).display().to_string();
    let misnamed = format!("{} holds rules.rhai and parameters.toml but no ruleset.toml, so it is not loaded as a rule set and would be left out; is rulset.toml meant to be ruleset.toml?", at("misnamed"));
    let missing = format!("{} holds rules.rhai and parameters.toml but no ruleset.toml, so it is not loaded as a rule set and would be left out; add one", at("versioned/v2"));

    let (code, stdout, _) = run(&["check", "--plain", &at("")]);
    assert_eq!(code, Some(1), "{stdout}");
    // Each named by the path to open (it was the folder's bare name: "FAIL misnamed",
    // "misnamed/ruleset.toml: error: …"), as a rule set that fails to load is.
    assert!(stdout.contains(&format!("FAIL {0}\n{0}/ruleset.toml: error: {misnamed}\n", at("misnamed"))), "{stdout}");
    assert!(stdout.contains(&format!("FAIL {0}\n{0}/ruleset.toml: error: {missing}", at("versioned/v2"))), "{stdout}");
    assert!(stdout.contains("ok   space-participant") && stdout.ends_with("3 rule sets checked, 2 with errors\n"), "{stdout}");

    let (code, stdout, _) = run(&["test", &at("")]);
    assert_eq!(code, Some(3), "{stdout}");
    assert!(stdout.contains(&format!("{}: could not be loaded: {misnamed}", at("misnamed"))), "{stdout}");

    let bundle = root.join("out.json").display().to_string();
    let (code, _, stderr) = run(&["bundle", &at(""), "-o", &bundle]);
    assert_eq!(code, Some(3), "{stderr}");
    assert!(stderr.contains(&misnamed) && stderr.contains("(and 1 more folders without one)"), "{stderr}");
    assert!(!root.join("out.json").exists());

    // The folder itself, given alone.
    let (code, stdout, _) = run(&["check", "--plain", &at("misnamed")]);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.contains(&misnamed), "{stdout}");
    let _ = std::fs::remove_dir_all(&root);
}

/// `check --plain` and `test` name a problem's file by its path, to be opened in an editor;
/// the rule set's id (`space-participant/rules.rhai`) could not tell two versions' folders
/// apart, nor be opened from anywhere but the folder above.
#[test]
fn check_names_a_problem_by_its_files_path() {
    let eligo = env!("CARGO_BIN_EXE_eligo");
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/space-participant");
    let root = std::env::temp_dir().join(format!("eligo-problem-path-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let version = root.join("space-participant/2027.1");
    copy_ruleset(&seed, &root.join("space-participant/2022.1"));
    copy_ruleset(&seed, &version);
    let script = std::fs::read_to_string(version.join("rules.rhai")).unwrap();
    let line = script.lines().count() + 1;
    std::fs::write(version.join("rules.rhai"), format!("{script}let x = ;\n")).unwrap();
    let out = Command::new(eligo).args(["check", "--plain", &root.display().to_string()]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let expected = format!("{}:{line}:9: error: ", version.join("rules.rhai").display());
    assert!(stdout.lines().any(|l| l.starts_with(&expected)), "no line starts {expected:?}:\n{stdout}");
    // The folder that failed is named by its path too: "FAIL 2027.1" did not say whose.
    assert!(stdout.lines().any(|l| l == format!("FAIL {}", version.display())), "{stdout}");
    let out = Command::new(eligo).args(["test", &root.display().to_string()]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(&expected), "test: {stdout}");
    let _ = std::fs::remove_dir_all(&root);
}

/// A number in the input is quoted back as it was written: `1E400` was quoted as `1e+400`,
/// how the JSON parser writes an exponent, in `eval` and in `batch` of JSON Lines.
#[test]
fn a_number_in_a_problem_is_quoted_as_written() {
    let eligo = env!("CARGO_BIN_EXE_eligo");
    let (grant, case) = grant_case();
    let dir = scratch("number-as-written");
    let cases: Vec<String> = ["1E400", "1e400", "2.5E+400"].iter().map(|n| case.replace("\"requested_amount\":100", &format!("\"requested_amount\":{n}"))).collect();
    std::fs::write(dir.join("cases.jsonl"), cases.join("\n")).unwrap();
    std::fs::write(dir.join("case.json"), &cases[0]).unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(eligo).current_dir(&dir).args(args).output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let too_large = "is too large: the largest number that can be held exactly is 79,228,162,514,264,337,593,543,950,335";
    let (code, stdout) = run(&["eval", &grant, "--input", "case.json"]);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.contains(&format!(r#""message":"\"1E400\" {too_large}""#)), "{stdout}");
    let (code, stdout) = run(&["batch", &grant, "--input", "cases.jsonl", "-o", "-", "-q"]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, Some(1), "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    for (line, written) in lines.iter().zip(["1E400", "1e400", "2.5E+400"]) {
        assert!(line.contains(&format!(r#""message":"\"{written}\" {too_large}""#)), "{written}: {line}");
    }
    assert_eq!(lines.len(), 3, "{stdout}");
}

/// `eligo check dir/` where dir holds rule-set folders and also a rules.rhai of its own (left
/// there, or copied up by mistake): the scan stopped at dir's own files, so the rule sets in
/// its folders went unchecked ("1 rule sets checked") and the advice was to add a
/// ruleset.toml, which would have made dir one rule set and hidden them for good. Now they
/// are checked, and the stray file is an error saying to move or remove it.
#[test]
fn rule_files_beside_rule_set_folders_do_not_hide_them() {
    let eligo = env!("CARGO_BIN_EXE_eligo");
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/space-participant");
    let root = scratch("stray-rules");
    copy_ruleset(&seed, &root.join("space-participant"));
    std::fs::copy(seed.join("rules.rhai"), root.join("rules.rhai")).unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(eligo).args(args).output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let dir = root.display().to_string();
    let stray = format!("{dir} holds rules.rhai but no ruleset.toml, beside the rule sets in its folders (space-participant); a rule set's files belong in a folder of their own: move rules.rhai into one, with its ruleset.toml, or remove it");

    let (code, stdout, _) = run(&["check", "--plain", &dir]);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.starts_with(&format!("FAIL {dir}\n{dir}/rules.rhai: error: {stray}\n")), "{stdout}");
    assert!(stdout.contains("\nok   space-participant 2022.1 "), "{stdout}");
    let (code, stdout, _) = run(&["test", &dir]);
    assert_eq!(code, Some(3), "{stdout}");
    assert!(stdout.contains(&format!("{dir}: could not be loaded: {stray}")) && stdout.contains("space-participant 2022.1 (25 cases)"), "{stdout}");
    let bundle = root.join("out.json").display().to_string();
    let (code, _, stderr) = run(&["bundle", &dir, "-o", &bundle]);
    assert_eq!(code, Some(3), "{stderr}");
    assert!(stderr.contains(&stray), "{stderr}");

    // Without rule sets beside them, the files are a rule set wanting its manifest, as before.
    std::fs::remove_dir_all(root.join("space-participant")).unwrap();
    let (code, stdout, _) = run(&["check", "--plain", &dir]);
    let _ = std::fs::remove_dir_all(&root);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.contains(&format!("{dir}/ruleset.toml: error: {dir} holds rules.rhai but no ruleset.toml, so it is not loaded as a rule set and would be left out; add one")), "{stdout}");
}

/// A problem placed at the end of a line (what is missing there: toml's `label` with no
/// `= value`, rhai's block never closed) was drawn as a span from that line's end to the
/// next line's start, its caret under the next line, as if the problem were there.
#[test]
fn a_problem_at_the_end_of_a_line_is_shown_on_that_line() {
    let eligo = env!("CARGO_BIN_EXE_eligo");
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/community-grant");
    let dir = std::env::temp_dir().join(format!("eligo-line-end-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_ruleset(&seed, &dir);
    let params = std::fs::read_to_string(dir.join("parameters.toml")).unwrap();
    let changed = params.replacen("label = \"People Power Fund: largest grant\"", "label", 1);
    assert_ne!(changed, params);
    std::fs::write(dir.join("parameters.toml"), &changed).unwrap();
    let line = changed.lines().position(|l| l == "label").unwrap() + 1;
    let out = Command::new(eligo).args(["check", &dir.display().to_string()]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains(&format!("parameters.toml:{line}:6\n")), "{stdout}");
    // The source line, then the caret just after its last character; nothing drawn below.
    assert!(stdout.contains(&format!("{line} │ label\n   │      ^\n")), "{stdout}");
    assert!(!stdout.contains('╭'), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}
