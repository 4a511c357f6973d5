//! The engine: the rule sets a host has loaded, by id, and the calls every host makes
//! (list, describe, evaluate). `evaluate_json` is the JSON-in/JSON-out contract that the
//! wasm facade and other hosts use unchanged.

use crate::bundle;
use crate::decision::{Decision, DecisionJson, EvalOptions};
use crate::error::{Error, ErrorCode, Issue};
use crate::ruleset::{Input, RuleSet, MANIFEST_FILE};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Default, Debug)]
pub struct Engine {
    rulesets: BTreeMap<String, RuleSet>,
}

/// A line in the list of loaded rule sets.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub id: String,
    pub title: String,
    pub version: String,
    pub hash: String,
    pub outcomes: Vec<String>,
}

/// The rule-set folders at `path`: the folder itself if it holds a manifest, else each
/// sub-folder that does, in name order.
pub fn rule_dirs(path: &Path) -> Result<Vec<PathBuf>, Error> {
    if path.join(MANIFEST_FILE).is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let entries = std::fs::read_dir(path)
        .map_err(|e| Error::new(ErrorCode::InvalidRequest, format!("cannot read {}: {e}", path.display())))?;
    let mut dirs: Vec<PathBuf> = entries.flatten().map(|e| e.path()).filter(|p| p.join(MANIFEST_FILE).is_file()).collect();
    dirs.sort();
    if dirs.is_empty() {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!("{} is not a rule set and holds none (no {MANIFEST_FILE} found)", path.display()),
        ));
    }
    Ok(dirs)
}

impl Engine {
    pub fn new() -> Self {
        Engine::default()
    }

    /// Load a rule-set folder, or every rule set in a folder of them.
    pub fn load_dir(path: impl AsRef<Path>) -> Result<Engine, Error> {
        let mut engine = Engine::new();
        for dir in rule_dirs(path.as_ref())? {
            engine.add(RuleSet::from_dir(&dir)?)?;
        }
        Ok(engine)
    }

    /// Load every rule set in a bundle (see [`bundle`]), checking each content hash.
    pub fn load_bundle(&mut self, json: &str) -> Result<Vec<String>, Error> {
        let mut ids = Vec::new();
        for rs in bundle::load(json)? {
            ids.push(rs.id().to_string());
            self.add(rs)?;
        }
        Ok(ids)
    }

    /// Load a bundle only if it is signed by `public_key` (see [`crate::signing`]); an
    /// unsigned or tampered bundle is refused and nothing from it is loaded.
    pub fn load_signed_bundle(&mut self, json: &str, public_key: &str) -> Result<Vec<String>, Error> {
        let mut ids = Vec::new();
        for rs in bundle::load_signed(json, public_key)? {
            ids.push(rs.id().to_string());
            self.add(rs)?;
        }
        Ok(ids)
    }

    /// Add a rule set, replacing one with the same id.
    pub fn add(&mut self, rs: RuleSet) -> Result<(), Error> {
        self.rulesets.insert(rs.id().to_string(), rs);
        Ok(())
    }

    pub fn remove(&mut self, id: &str) -> Option<RuleSet> {
        self.rulesets.remove(id)
    }

    pub fn rulesets(&self) -> Vec<Summary> {
        self.rulesets
            .values()
            .map(|rs| Summary {
                id: rs.id().to_string(),
                title: rs.manifest.title.clone(),
                version: rs.manifest.version.clone(),
                hash: rs.hash.clone(),
                outcomes: rs.manifest.outcomes.iter().map(|o| o.id.clone()).collect(),
            })
            .collect()
    }

    pub fn iter(&self) -> impl Iterator<Item = &RuleSet> {
        self.rulesets.values()
    }

    pub fn get(&self, id: &str) -> Result<&RuleSet, Error> {
        self.rulesets.get(id).ok_or_else(|| {
            let known: Vec<&str> = self.rulesets.keys().map(String::as_str).collect();
            Error::new(ErrorCode::UnknownRuleset, format!("no rule set {id:?} is loaded (loaded: {})", known.join(", ")))
        })
    }

    pub fn describe(&self, id: &str) -> Result<serde_json::Value, Error> {
        Ok(self.get(id)?.describe())
    }

    pub fn evaluate(&self, id: &str, input: &serde_json::Value, opts: &EvalOptions) -> Result<Decision, Error> {
        self.get(id)?.evaluate(input, opts)
    }

    /// JSON text in, JSON text out: a decision, or `{"error": ...}`. `Ok` is a decision.
    pub fn evaluate_json(&self, id: &str, input: &str, options: &str) -> Result<String, String> {
        self.evaluate_text(id, input, options).map(|d| d.json).map_err(|e| e.to_json())
    }

    /// [`Engine::evaluate_json`], the error not yet written out.
    pub fn evaluate_text(&self, id: &str, input: &str, options: &str) -> Result<DecisionJson, Error> {
        let options = || -> Result<EvalOptions, Error> {
            if options.trim().is_empty() {
                return Ok(EvalOptions::default());
            }
            serde_json::from_str(options).map_err(|e| Error::new(ErrorCode::InvalidRequest, format!("options: {e}")))
        };
        match options().and_then(|opts| Ok((self.get(id)?, opts))) {
            Ok((rs, opts)) => rs.evaluate_to_json(Input::Text(input), &opts),
            // The input's own JSON errors come first, as they always have.
            Err(e) => Err(parse_json(input, "/").err().unwrap_or(e)),
        }
    }
}

/// Parse input JSON; a syntax error is invalid input at the top level, with line and column.
pub fn parse_json(text: &str, path: &str) -> Result<serde_json::Value, Error> {
    serde_json::from_str(text).map_err(|e| {
        Error::invalid_input(vec![Issue {
            path: path.to_string(),
            message: format!("is not valid JSON: {e}"),
            location: None,
        }])
    })
}
