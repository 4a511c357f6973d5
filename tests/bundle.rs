//! Bundles carry each rule set's TOML files twice: as text (hashed into every decision)
//! and in parsed JSON form (what the browser runtime, built without a TOML reader, loads).
//! These tests hold the two forms to the same rule set.

use eligo::bundle::{self, Bundle};
use eligo::rulefile;
use eligo::{Engine, RuleSet};
use std::path::Path;

fn seed_bundle() -> Bundle {
    let engine = Engine::load_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")).expect("the seed rule sets load");
    bundle::build(engine.iter()).expect("the seed rule sets bundle")
}

/// A rule set loaded from a bundle carries the hash of its files, worked out as a folder's
/// is: the bundle's check hands its hash on rather than hashing twice.
#[test]
fn a_bundled_rule_set_has_its_files_hash() {
    let b = seed_bundle();
    let text = serde_json::to_string(&b).expect("the bundle serializes");
    let loaded = bundle::load(&text).expect("the seed bundle loads");
    assert_eq!(loaded.len(), b.rulesets.len());
    for (rs, entry) in loaded.iter().zip(&b.rulesets) {
        let from_dir = RuleSet::from_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules").join(&entry.id)).expect("the folder loads");
        assert_eq!(rs.hash, from_dir.hash, "{}: the bundle-loaded hash is the folder's", entry.id);
        assert_eq!(rs.hash, eligo::ruleset::hash_files(rs.files()), "{}: and the hash of the files it holds", entry.id);
    }
}

/// Every seed rule set read from its parsed form describes itself, runs its test cases
/// and decides with a trace exactly as when read from its TOML text.
#[test]
fn the_parsed_form_loads_the_same_rule_set_as_the_toml() {
    let b = seed_bundle();
    assert_eq!(b.rulesets.len(), 5, "every seed rule set is bundled");
    for entry in &b.rulesets {
        let parsed = entry.parsed.as_ref().expect("every bundled rule set has a parsed form").files(&entry.id).expect("its hash holds");
        let toml_names: Vec<&String> = entry.files.keys().filter(|f| f.ends_with(".toml")).collect();
        assert_eq!(parsed.keys().collect::<Vec<_>>(), toml_names, "{}: one parsed form per TOML file", entry.id);

        let from_toml = RuleSet::from_files(&entry.id, entry.files.clone()).expect("loads from TOML");
        let from_json = RuleSet::from_parsed(&entry.id, entry.files.clone(), &parsed).expect("loads from the parsed form");
        assert_eq!(from_json.hash, entry.hash, "the content hash is the files' either way");
        assert_eq!(from_json.describe(), from_toml.describe(), "{}: describe", entry.id);
        assert!(!from_toml.tests.is_empty());
        let report = |rs: &RuleSet| serde_json::to_string(&eligo::testcases::run(rs)).expect("report serializes");
        assert_eq!(report(&from_json), report(&from_toml), "{}: every test case's output", entry.id);
        let traced = eligo::EvalOptions { as_of: None, trace: true, brief: false };
        for case in &from_toml.tests {
            let decide = |rs: &RuleSet| rs.evaluate(&case.input, &traced).map(|d| d.to_json()).map_err(|e| e.to_json());
            assert_eq!(decide(&from_json), decide(&from_toml), "{} / {}: traced decision", entry.id, case.name);
        }
    }
}

/// Bare TOML dates, floats and nested tables keep their meaning in the JSON form.
#[test]
fn the_json_form_keeps_dates_and_numbers() {
    let v = rulefile::to_json("[p]\nvalues = [{ from = 2017-05-01, value = 0.30 }, { from = \"2018-01-01\", value = 12 }]\n")
        .expect("valid TOML");
    let v: serde_json::Value = serde_json::from_str(v.get()).expect("JSON text");
    assert_eq!(v["p"]["values"][0]["from"], serde_json::json!({"$__toml_private_datetime": "2017-05-01"}));
    assert_eq!(v["p"]["values"][0]["value"].to_string(), "0.3");
    assert_eq!(v["p"]["values"][1]["value"].to_string(), "12");
    assert_eq!(v["p"]["values"][1]["from"], "2018-01-01");
}

/// A parsed form that does not fit its type is a rule-set error naming the file; one that
/// is missing is named too. Neither has a line: the JSON form has none.
#[test]
fn a_bad_parsed_form_is_named() {
    let b = seed_bundle();
    let entry = &b.rulesets[0];
    let parsed_of = |e: &bundle::BundledRuleSet| e.parsed.as_ref().expect("parsed").files(&e.id).expect("its hash holds");
    let mut parsed = parsed_of(entry);
    let mut manifest: serde_json::Value = serde_json::from_str(parsed["ruleset.toml"].get()).expect("manifest");
    manifest.as_object_mut().expect("manifest").insert("colour".into(), "red".into());
    parsed.insert("ruleset.toml".into(), serde_json::value::to_raw_value(&manifest).unwrap());
    let e = RuleSet::from_parsed(&entry.id, entry.files.clone(), &parsed).expect_err("unknown manifest key");
    assert_eq!(e.code, eligo::ErrorCode::RulesetError);
    // serde_json's words, without its line and column (within text no one wrote by hand).
    assert!(
        e.issues.iter().any(|i| i.path.contains("ruleset.toml") && i.message.contains("unknown field `colour`") && !i.message.contains(" at line ")),
        "{e:?}"
    );

    let mut parsed = parsed_of(entry);
    parsed.remove("parameters.toml");
    let e = RuleSet::from_parsed(&entry.id, entry.files.clone(), &parsed).expect_err("no parsed parameters");
    assert!(e.issues.iter().any(|i| i.message.contains("no parsed form of parameters.toml")), "{e:?}");

    // Read the other way, from TOML, the same manifest error has its line and column.
    let mut files = entry.files.clone();
    let manifest = files.get_mut("ruleset.toml").expect("manifest");
    manifest.insert_str(0, "colour = \"red\"\n");
    let e = RuleSet::from_files(&entry.id, files).expect_err("unknown manifest key");
    let at = e.issues.iter().find_map(|i| i.location.clone()).expect("placed");
    assert_eq!((at.file.as_str(), at.line, at.column), ("ruleset.toml", 1, 1));
}

/// A bundle made before the parsed form existed still loads where TOML can be read, and a
/// parsed form changed after bundling is refused by its hash.
#[test]
fn old_bundles_load_and_changed_parsed_forms_are_refused() {
    let mut b = seed_bundle();
    let with = serde_json::to_string(&b).expect("serializes");
    assert_eq!(bundle::load(&with).expect("loads").len(), 5);
    for entry in &mut b.rulesets {
        entry.parsed = None;
    }
    let without = serde_json::to_string(&b).expect("serializes");
    assert!(!without.contains("\"parsed\""));
    assert_eq!(bundle::load(&without).expect("an old bundle loads from TOML").len(), 5);

    let mut b: Bundle = serde_json::from_str(&with).expect("parses");
    let p = b.rulesets[1].parsed.as_mut().expect("parsed");
    p.text = p.text.replacen("\"title\":\"", "\"title\":\"Renamed ", 1);
    let e = bundle::load(&serde_json::to_string(&b).expect("serializes")).expect_err("changed");
    assert!(e.message.contains("parsed form was changed after bundling"), "{e}");
}
