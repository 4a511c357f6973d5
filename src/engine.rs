//! The engine: the rule sets a host has loaded, by id, and the calls every host makes
//! (list, describe, evaluate). `evaluate_json` is the JSON-in/JSON-out contract that the
//! wasm facade and other hosts use unchanged.

use crate::bundle;
use crate::decision::{Decision, DecisionJson, EvalOptions};
use crate::error::{Error, ErrorCode, Issue};
use crate::ruleset::{Input, RuleSet, MANIFEST_FILE};
use crate::versions::{VersionSummary, Versions};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Default, Debug)]
pub struct Engine {
    /// Each rule set's versions by effective date (see [`crate::versions`]).
    rulesets: BTreeMap<String, Versions>,
}

/// A line in the list of loaded rule sets.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub id: String,
    pub title: String,
    pub version: String,
    pub hash: String,
    pub outcomes: Vec<String>,
    /// Of the latest version; see `versions`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective_from: Option<String>,
    /// Every version loaded, earliest first, when there is more than one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<VersionSummary>,
}

/// The rule-set folders at `path`: the folder itself if it holds a manifest, else each
/// sub-folder that does, and each rule-set folder in a sub-folder that does not (a rule
/// set's versions, `rules/<id>/<version>/`), in name order. A folder that holds a rule
/// set's files but no `ruleset.toml` (say a misspelt `rulset.toml`) is an error, not left out unseen: a check
/// or a bundle of the parent would otherwise pass without it. So is `path` holding rule files
/// of its own beside rule-set folders (see [`find_rule_dirs`]).
pub fn rule_dirs(path: &Path) -> Result<Vec<PathBuf>, Error> {
    let (dirs, incomplete) = find_rule_dirs(path)?;
    let incomplete: Vec<Error> = incomplete.into_iter().map(|(_, e)| e).collect();
    let Some(first) = incomplete.first() else { return Ok(dirs) };
    if incomplete.len() == 1 {
        return Err(first.clone());
    }
    let mut e = first.clone();
    e.message = format!("{} (and {} more folders without one)", e.message, incomplete.len() - 1);
    e.issues = incomplete
        .into_iter()
        .map(|i| Issue { path: i.location.as_ref().map(ToString::to_string).unwrap_or_default(), message: i.message, location: i.location })
        .collect();
    Err(e)
}

/// A folder holding a rule set's files but no manifest, and the error saying so.
pub type Incomplete = (PathBuf, Error);

/// The rule-set folders at `path` (as `rule_dirs` finds them), and each folder there that
/// holds a rule set's files but no manifest with its error, for a caller that goes on with
/// the others and shows the folder's path (`eligo check`, `eligo test`).
pub fn find_rule_dirs(path: &Path) -> Result<(Vec<PathBuf>, Vec<Incomplete>), Error> {
    if path.join(MANIFEST_FILE).is_file() {
        return Ok((vec![path.to_path_buf()], Vec::new()));
    }
    #[allow(unused_mut)] // Pushed to only where rule files are read (toml-files).
    let mut incomplete = Vec::new();
    let read = |path: &Path| -> Result<Vec<PathBuf>, Error> {
        let entries = std::fs::read_dir(path)
            .map_err(|e| Error::new(ErrorCode::InvalidRequest, format!("cannot read {}: {e}", path.display())))?;
        let mut dirs: Vec<PathBuf> = entries.flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
        dirs.sort();
        Ok(dirs)
    };
    let mut dirs = Vec::new();
    for sub in read(path)? {
        if sub.join(MANIFEST_FILE).is_file() {
            dirs.push(sub);
            continue;
        }
        #[cfg(feature = "toml-files")]
        if let Some(e) = crate::folders::missing_manifest(&sub) {
            incomplete.push((sub, e));
            continue;
        }
        // A folder of one rule set's versions.
        for version in read(&sub)? {
            if version.join(MANIFEST_FILE).is_file() {
                dirs.push(version);
                continue;
            }
            #[cfg(feature = "toml-files")]
            incomplete.extend(crate::folders::missing_manifest(&version).map(|e| (version, e)));
        }
    }
    // The folder itself holding rule files without a manifest is a rule set missing it, unless
    // there are rule sets in its folders too: then its files are strays beside them, and the
    // rule sets are checked as well (they were not looked for, and went unchecked).
    #[cfg(feature = "toml-files")]
    if dirs.is_empty() && incomplete.is_empty() {
        if let Some(e) = crate::folders::missing_manifest(path) {
            return Ok((Vec::new(), vec![(path.to_path_buf(), e)]));
        }
    } else {
        let found: Vec<PathBuf> = dirs.iter().chain(incomplete.iter().map(|(d, _)| d)).cloned().collect();
        if let Some(e) = crate::folders::rule_files_beside_rule_sets(path, &found) {
            incomplete.insert(0, (path.to_path_buf(), e));
        }
    }
    if dirs.is_empty() && incomplete.is_empty() {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!("{} is not a rule set and holds none (no {MANIFEST_FILE} found)", path.display()),
        ));
    }
    Ok((dirs, incomplete))
}

impl Engine {
    pub fn new() -> Self {
        Engine::default()
    }

    /// Load a rule-set folder, or every rule set in a folder of them (several folders may
    /// hold versions of one rule set, each with its own `effective_from`).
    pub fn load_dir(path: impl AsRef<Path>) -> Result<Engine, Error> {
        let mut engine = Engine::new();
        let rulesets = rule_dirs(path.as_ref())?.iter().map(RuleSet::from_dir).collect::<Result<Vec<_>, _>>()?;
        engine.add_all(rulesets)?;
        Ok(engine)
    }

    /// Load every rule set in a bundle (see [`bundle`]), checking each content hash.
    /// Returns the ids loaded, each once.
    pub fn load_bundle(&mut self, json: &str) -> Result<Vec<String>, Error> {
        self.add_all(bundle::load(json)?)
    }

    /// Load a bundle only if it is signed by `public_key` (see [`crate::signing`]); an
    /// unsigned or tampered bundle is refused and nothing from it is loaded.
    pub fn load_signed_bundle(&mut self, json: &str, public_key: &str) -> Result<Vec<String>, Error> {
        self.add_all(bundle::load_signed(json, public_key)?)
    }

    /// Add rule sets loaded together: those sharing an id are its versions, and replace
    /// every version of it loaded before. Nothing is added if any id's versions clash.
    /// Returns the ids, each once, in the order first met.
    pub fn add_all(&mut self, rulesets: Vec<RuleSet>) -> Result<Vec<String>, Error> {
        let groups = crate::versions::by_id(rulesets, |rs| rs);
        let checked = groups.into_iter().map(Versions::new).collect::<Result<Vec<_>, Error>>()?;
        let mut ids = Vec::with_capacity(checked.len());
        for versions in checked {
            let id = versions.latest().id().to_string();
            ids.push(id.clone());
            self.rulesets.insert(id, versions);
        }
        Ok(ids)
    }

    /// Add a rule set, replacing every version loaded under its id.
    pub fn add(&mut self, rs: RuleSet) -> Result<(), Error> {
        self.rulesets.insert(rs.id().to_string(), Versions::one(rs));
        Ok(())
    }

    /// Forget a rule set, every version of it; true when one was loaded under that id.
    pub fn remove(&mut self, id: &str) -> bool {
        self.rulesets.remove(id).is_some()
    }

    /// One line per rule set, describing its latest version.
    pub fn rulesets(&self) -> Vec<Summary> {
        self.rulesets
            .values()
            .map(|versions| {
                let rs = versions.latest();
                let all = versions.summaries();
                Summary {
                    id: rs.id().to_string(),
                    title: rs.manifest.title.clone(),
                    version: rs.manifest.version.clone(),
                    hash: rs.hash.clone(),
                    outcomes: rs.manifest.outcomes.iter().map(|o| o.id.clone()).collect(),
                    effective_from: rs.manifest.effective_from.clone(),
                    versions: if all.len() > 1 { all } else { Vec::new() },
                }
            })
            .collect()
    }

    /// Every rule set loaded, every version of each.
    pub fn iter(&self) -> impl Iterator<Item = &RuleSet> {
        self.rulesets.values().flat_map(Versions::iter)
    }

    /// A rule set's versions.
    pub fn versions(&self, id: &str) -> Result<&Versions, Error> {
        self.rulesets.get(id).ok_or_else(|| {
            let known: Vec<&str> = self.rulesets.keys().map(String::as_str).collect();
            Error::new(ErrorCode::UnknownRuleset, format!("no rule set {id:?} is loaded (loaded: {})", known.join(", ")))
        })
    }

    /// A rule set: its latest version (the one a rule set loaded on its own always is).
    pub fn get(&self, id: &str) -> Result<&RuleSet, Error> {
        self.versions(id).map(Versions::latest)
    }

    /// The version of a rule set in effect on `on` (see [`crate::versions`]).
    pub fn get_on(&self, id: &str, on: chrono::NaiveDate) -> Result<&RuleSet, Error> {
        self.versions(id).map(|v| v.on(on))
    }

    pub fn describe(&self, id: &str) -> Result<serde_json::Value, Error> {
        Ok(self.get(id)?.describe())
    }

    /// [`Engine::describe`] of the version in effect on `on` (`YYYY-MM-DD`), when given.
    pub fn describe_on(&self, id: &str, on: Option<&str>) -> Result<serde_json::Value, Error> {
        let Some(on) = on else { return self.describe(id) };
        let on = crate::date::parse(on).map_err(|m| Error::new(ErrorCode::InvalidRequest, format!("as-of date: {m}")))?;
        Ok(self.get_on(id, on)?.describe())
    }

    /// Decided by the version in effect on the case's as-of date.
    pub fn evaluate(&self, id: &str, input: &serde_json::Value, opts: &EvalOptions) -> Result<Decision, Error> {
        self.versions(id)?.for_case(Input::Json(input), opts).evaluate(input, opts)
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
        match options().and_then(|opts| Ok((self.versions(id)?, opts))) {
            Ok((versions, opts)) => versions.for_case(Input::Text(input), &opts).evaluate_to_json(Input::Text(input), &opts),
            // The input's own JSON errors come first, as they always have.
            Err(e) => Err(parse_json(input, "/").err().unwrap_or(e)),
        }
    }
}

/// The most JSON text one case may be. The largest seed input (a space-funding plan of 120
/// activities) is tens of kilobytes; parsing a case costs several times its size in memory
/// before any field is checked, and a 260 MB case ran the WebAssembly module out of memory.
pub const MAX_INPUT_BYTES: usize = 1 << 20;

/// Input text over [`MAX_INPUT_BYTES`] is invalid input, refused before it is read.
pub fn input_within_size(text: &str) -> Result<(), Error> {
    // Tenths of a megabyte as a whole number: no float formatting in the wasm module for this.
    let tenths = (text.len() as u64 * 10) >> 20;
    match text.len() > MAX_INPUT_BYTES {
        true => Err(Error::invalid_input(vec![Issue {
            path: "/".to_string(),
            message: format!("is {}.{} MB of JSON: a case may be at most {} MB", tenths / 10, tenths % 10, MAX_INPUT_BYTES >> 20),
            location: None,
        }])),
        false => Ok(()),
    }
}

/// Parse input JSON; a syntax error is invalid input at the top level, with line and column.
pub fn parse_json(text: &str, path: &str) -> Result<serde_json::Value, Error> {
    input_within_size(text)?;
    serde_json::from_str(text).map_err(|e| {
        Error::invalid_input(vec![Issue {
            path: path.to_string(),
            message: format!("is not valid JSON: {e}"),
            location: None,
        }])
    })
}
