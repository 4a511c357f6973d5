//! The WebAssembly facade: the engine for JS through wasm-bindgen, compiled only for
//! wasm32. It is deliberately thin: every call takes and returns JSON text (the same serde
//! contract as the CLI and the Rust API), because passing strings across the boundary was
//! faster than converting objects, and it keeps the bytes of a decision identical to the
//! native ones. The friendlier JS API (objects in, objects out) is `js/index.js`.
//!
//! Failures are thrown as JS `Error`s carrying `code`, `issues` and, for rule-set and
//! evaluation errors, `location` (`{ruleset, file, line, column}`).

use crate::engine::Engine as Core;
use crate::error::{Error, ErrorCode};
use crate::ruleset::{Files, RuleSet};
#[cfg(feature = "toml-files")]
use crate::testcases;
use serde::Deserialize;
use wasm_bindgen::prelude::*;

/// The name given to a rule set loaded from loose files without an `id`, until its
/// manifest names it (it only shows in errors about a manifest that does not parse).
const UNNAMED: &str = "untitled";

/// Loose rule-set files, as the playground sends them.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FilesRequest {
    #[serde(default)]
    id: Option<String>,
    files: Files,
}

/// The rule sets a page has loaded. In JS: `new Engine()`.
#[wasm_bindgen(js_name = Engine)]
#[derive(Default)]
pub struct WasmEngine {
    core: Core,
}

#[wasm_bindgen(js_class = Engine)]
impl WasmEngine {
    #[wasm_bindgen(constructor)]
    pub fn new() -> WasmEngine {
        WasmEngine::default()
    }

    /// The engine version every decision records (`eligo/x.y.z`).
    #[wasm_bindgen(getter)]
    pub fn version(&self) -> String {
        crate::ENGINE_VERSION.to_string()
    }

    /// Load a bundle (as written by `eligo bundle`) or one rule set's files
    /// (`{ id?, files: { "ruleset.toml": "...", ... } }`), as JSON text or a plain object.
    /// Returns the ids loaded, as a JSON array; a rule set with the same id is replaced.
    /// With `publicKey` (the publisher's ed25519 public key, hex or `.pub` file text) only
    /// a bundle signed by that key and unchanged since is accepted; anything else throws.
    pub fn load(&mut self, bundle_or_files: JsValue, public_key: Option<String>) -> Result<String, JsValue> {
        let text = match bundle_or_files.as_string() {
            Some(s) => s,
            None => js_sys::JSON::stringify(&bundle_or_files).ok().and_then(|s| s.as_string()).ok_or_else(|| {
                throw(&request_error("load expects a rule bundle or { files }, as JSON text or an object"))
            })?,
        };
        let ids = self.load_text(&text, public_key.as_deref()).map_err(|e| throw(&e))?;
        Ok(to_json(&ids))
    }

    /// Every loaded rule set: `[{id, title, version, hash, outcomes}]`, as JSON.
    #[wasm_bindgen(js_name = rulesets)]
    pub fn rulesets_json(&self) -> String {
        to_json(&self.core.rulesets())
    }

    /// Forget a rule set; true when one was loaded under that id.
    pub fn remove(&mut self, id: &str) -> bool {
        self.core.remove(id)
    }

    /// A rule set's schema, outcomes, parameters and rules (for building a form), as JSON:
    /// of its version in effect on `as_of` (`YYYY-MM-DD`) when given, else its latest.
    pub fn describe(&self, id: &str, as_of: Option<String>) -> Result<String, JsValue> {
        self.core.describe_on(id, as_of.as_deref()).map(|v| to_json(&v)).map_err(|e| throw(&e))
    }

    /// A rule set's input schema as JSON Schema (draft 2020-12), as JSON.
    #[wasm_bindgen(js_name = jsonSchema)]
    pub fn json_schema(&self, id: &str) -> Result<String, JsValue> {
        self.core.get(id).map(|rs| to_json(&rs.json_schema())).map_err(|e| throw(&e))
    }

    /// Decide one case: input and options (`{"asOf": "YYYY-MM-DD", "trace": true, "brief": true}`, or "")
    /// as JSON text; the decision as JSON text. Any failure is thrown.
    pub fn evaluate(&self, id: &str, input_json: &str, options_json: &str) -> Result<String, JsValue> {
        self.core.evaluate_text(id, input_json, options_json).map(|d| d.json).map_err(|e| throw(&e))
    }

    /// Like `evaluate`, but never throws: the decision JSON, or the error JSON
    /// (`{"error": {...}}`), byte for byte what `eligo eval` prints natively.
    #[wasm_bindgen(js_name = evaluateJson)]
    pub fn evaluate_json(&self, id: &str, input_json: &str, options_json: &str) -> String {
        match self.core.evaluate_json(id, input_json, options_json) {
            Ok(s) | Err(s) => s,
        }
    }

    /// `count` synthetic cases for a rule set from `seed`, starting at case `first` (0 when
    /// not given), as JSON Lines: those lines of what `eligo generate --seed` writes for the
    /// same rule set. Authoring module only.
    #[cfg(feature = "toml-files")]
    #[wasm_bindgen(js_name = generateCases)]
    pub fn generate_cases(&self, id: &str, count: u32, seed: f64, first: Option<u32>) -> Result<String, JsValue> {
        // All of it is held in the page's memory at once: ask for more a piece at a time.
        const MAX: u32 = 1_000_000;
        if count > MAX {
            return Err(throw(&request_error(format!("generateCases makes at most {MAX} cases a call, not {count}: ask for the rest from `first`"))));
        }
        let rs = self.core.get(id).map_err(|e| throw(&e))?;
        // A whole number up to 2^53 (authoring.js checks it), so `eligo generate --seed`'s.
        let g = crate::generate::Generator::new(rs, seed as u64);
        let mut out = Vec::new();
        // Writing to memory cannot fail.
        let _ = crate::generate::write_jsonl_from(&g, first.unwrap_or(0).into(), count.into(), &mut out);
        Ok(String::from_utf8(out).unwrap_or_default())
    }

    /// What deciding `cases` (JSON Lines, or a JSON array of inputs) by this engine's rule
    /// set `id` instead of `old`'s rule set `old_id` would change: the report `eligo diff
    /// --json` prints, as JSON. Options: `{"asOf": "YYYY-MM-DD", "examples": 3}`, or "".
    /// Authoring module only; `Comparison` takes the cases a piece at a time.
    #[cfg(feature = "toml-files")]
    #[wasm_bindgen(js_name = compareWith)]
    pub fn compare_with(&self, id: &str, old: &WasmEngine, old_id: &str, cases: &str, options_json: &str) -> Result<String, JsValue> {
        let run = || -> Result<String, Error> {
            let (opts, examples) = compare_options(options_json)?;
            Ok(to_json(&crate::batch::diff::compare(old.core.get(old_id)?, self.core.get(id)?, cases, &opts, examples)?))
        };
        run().map_err(|e| throw(&e))
    }

    /// Run a rule set's own test cases (`tests/*.toml`), each version's by that version, as
    /// `eligo test` does: the report as JSON, with every case's pass/fail, problems and
    /// output, and rule coverage. It is the latest version's, with, when several versions
    /// are loaded, `versions`: every version's own report, earliest first. Authoring module
    /// only: the runtime module decides cases, and leaves the test cases in a bundle unread.
    #[cfg(feature = "toml-files")]
    #[wasm_bindgen(js_name = runTests)]
    pub fn run_tests(&self, id: &str) -> Result<String, JsValue> {
        let reports: Vec<testcases::Report> = self.core.versions(id).map_err(|e| throw(&e))?.iter().map(testcases::run).collect();
        // A loaded rule set has a version; when it has only one, that is the report.
        let latest = reports.last().map(to_json).ok_or_else(|| throw(&request_error(format!("no version of {id:?} is loaded"))))?;
        // `versions` added as text: with serde's flatten the module was 0.5 KB gzip larger.
        match latest.strip_suffix('}') {
            Some(open) if reports.len() > 1 => Ok(format!("{open},\"versions\":{}}}", to_json(&reports))),
            _ => Ok(latest),
        }
    }
}

/// A rule-change comparison fed its cases a piece at a time, so a page can show progress and
/// stay responsive: `add` pieces of JSON Lines in order, or `openCases` a whole caseload
/// file and `step` through it; then `report` (as `Engine.compareWith` gives it). In JS:
/// `new Comparison(optionsJson)`. Authoring module only.
#[cfg(feature = "toml-files")]
#[wasm_bindgen(js_name = Comparison)]
pub struct WasmComparison {
    opts: crate::decision::EvalOptions,
    examples: usize,
    /// Replaced by `openCases` (with a stepper), taken by `report`.
    inner: Option<Compared>,
}

#[cfg(feature = "toml-files")]
enum Compared {
    Pieces(crate::impact::Comparison),
    File(crate::batch::diff::Stepper),
}

#[cfg(feature = "toml-files")]
#[wasm_bindgen(js_class = Comparison)]
impl WasmComparison {
    #[wasm_bindgen(constructor)]
    pub fn new(options_json: &str) -> Result<WasmComparison, JsValue> {
        let (opts, examples) = compare_options(options_json).map_err(|e| throw(&e))?;
        let inner = Some(Compared::Pieces(crate::impact::Comparison::new(opts.clone(), examples)));
        Ok(WasmComparison { opts, examples, inner })
    }

    /// Compare the JSON Lines in `lines` (the first being row `first_row` of the caseload)
    /// by `old`'s rule set `old_id` and `new`'s `id`; the number of cases compared so far.
    pub fn add(&mut self, new: &WasmEngine, id: &str, old: &WasmEngine, old_id: &str, lines: &str, first_row: u32) -> Result<u32, JsValue> {
        let (a, b) = pair(old, old_id, new, id)?;
        match &mut self.inner {
            Some(Compared::Pieces(c)) => Ok(crate::batch::diff::add_lines(c, a, b, lines, first_row.into()) as u32),
            _ => Err(throw(&request_error("add takes pieces of cases; this comparison has a caseload open, or has reported"))),
        }
    }

    /// Hold a whole caseload file's text to `step` through: `format` "jsonl" (JSON Lines, or
    /// one JSON array of inputs) or "csv" (read by `old`'s rule set's schema, as `eligo diff`
    /// reads it); its size in bytes as read, for progress. Throws for a CSV header that names
    /// no field, or an array that is not JSON; the comparison can then open another.
    #[wasm_bindgen(js_name = openCases)]
    pub fn open_cases(&mut self, old: &WasmEngine, old_id: &str, text: String, format: &str) -> Result<f64, JsValue> {
        let fail = |message: String| throw(&request_error(message));
        let format = crate::batch::rows::Format::parse(format).ok_or_else(|| fail(format!("a caseload is jsonl or csv, not {format:?}")))?;
        let rs = old.core.get(old_id).map_err(|e| throw(&e))?;
        if !matches!(&self.inner, Some(Compared::Pieces(c)) if c.cases() == 0) {
            return Err(fail("openCases needs a comparison that has not started".into()));
        }
        let fresh = crate::impact::Comparison::new(self.opts.clone(), self.examples);
        let stepper = crate::batch::diff::Stepper::new(text, format, rs, fresh).map_err(|e| fail(e.to_string()))?;
        let bytes = stepper.bytes() as f64;
        self.inner = Some(Compared::File(stepper));
        Ok(bytes)
    }

    /// Compare up to `max` more rows of the open caseload: the bytes read so far, or
    /// `undefined` once every row is compared.
    pub fn step(&mut self, new: &WasmEngine, id: &str, old: &WasmEngine, old_id: &str, max: u32) -> Result<Option<f64>, JsValue> {
        let (a, b) = pair(old, old_id, new, id)?;
        match &mut self.inner {
            Some(Compared::File(s)) => Ok(s.step(a, b, max as usize).map_err(|e| throw(&request_error(e.to_string())))?.map(|n| n as f64)),
            _ => Err(throw(&request_error("step needs a caseload opened with openCases"))),
        }
    }

    /// The report of every case compared, as JSON; the comparison is finished after it.
    pub fn report(&mut self, new: &WasmEngine, id: &str, old: &WasmEngine, old_id: &str) -> Result<String, JsValue> {
        let (a, b) = pair(old, old_id, new, id)?;
        let report = match self.inner.take() {
            Some(Compared::Pieces(c)) => c.report(a, b),
            Some(Compared::File(s)) => s.report(a, b),
            None => return Err(throw(&request_error("this comparison has reported already"))),
        };
        Ok(to_json(&report))
    }
}

/// The old and the new rule set of a comparison.
#[cfg(feature = "toml-files")]
fn pair<'a>(old: &'a WasmEngine, old_id: &str, new: &'a WasmEngine, id: &str) -> Result<(&'a RuleSet, &'a RuleSet), JsValue> {
    Ok((old.core.get(old_id).map_err(|e| throw(&e))?, new.core.get(id).map_err(|e| throw(&e))?))
}

/// A comparison's options: `{"asOf": "YYYY-MM-DD", "examples": 3}`, or "" for none.
#[cfg(feature = "toml-files")]
fn compare_options(json: &str) -> Result<(crate::decision::EvalOptions, usize), Error> {
    #[derive(Deserialize, Default)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    struct CompareOptions {
        #[serde(default)]
        as_of: Option<String>,
        #[serde(default)]
        examples: Option<usize>,
    }
    let o: CompareOptions = match json.trim() {
        "" => CompareOptions::default(),
        text => serde_json::from_str(text).map_err(|e| request_error(format!("options: {e}")))?,
    };
    if let Some(d) = &o.as_of {
        crate::date::parse(d).map_err(|e| request_error(format!("options.asOf {e}")))?;
    }
    Ok((crate::decision::EvalOptions { as_of: o.as_of, ..Default::default() }, o.examples.unwrap_or(3)))
}

impl WasmEngine {
    fn load_text(&mut self, text: &str, public_key: Option<&str>) -> Result<Vec<String>, Error> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| request_error(format!("load expects JSON: {e}")))?;
        let is_object_with = |key: &str| value.as_object().is_some_and(|o| o.contains_key(key));
        if is_object_with("format") || is_object_with("rulesets") {
            return match public_key {
                Some(key) => self.core.load_signed_bundle(text, key),
                None => self.core.load_bundle(text),
            };
        }
        if public_key.is_some() {
            return Err(request_error(
                "a public key was given, so only a signed bundle can be loaded, not loose rule files",
            ));
        }
        if !is_object_with("files") {
            return Err(request_error(
                "load expects a rule bundle ({\"format\": \"eligo-bundle/1\", \"rulesets\": [...]}) or one rule set's files ({\"id\"?, \"files\": {...}})",
            ));
        }
        if !cfg!(feature = "toml-files") {
            return Err(request_error(
                "this is the runtime module, which loads bundles (`eligo bundle`) only; loose rule files ({files}) load in the authoring module (authoring.js)",
            ));
        }
        let req: FilesRequest = serde_json::from_value(value).map_err(|e| request_error(format!("load: {e}")))?;
        let rs = RuleSet::from_files(req.id.as_deref().unwrap_or(UNNAMED), req.files)?;
        let id = rs.id().to_string();
        self.core.add(rs)?;
        Ok(vec![id])
    }
}

fn request_error(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidRequest, message)
}

fn to_json<T: serde::Serialize + ?Sized>(v: &T) -> String {
    // Plain data with string keys: serializing cannot fail.
    serde_json::to_string(v).unwrap_or_default()
}

/// A JS `Error` (name `EligoError`) with the error's `code`, `issues` and `location`.
fn throw(e: &Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("EligoError");
    let target: &JsValue = err.as_ref();
    let set = |key: &str, value: JsValue| {
        // Setting a property on a fresh Error object cannot fail.
        let _ = js_sys::Reflect::set(target, &JsValue::from_str(key), &value);
    };
    let parse = |json: String| js_sys::JSON::parse(&json).unwrap_or(JsValue::NULL);
    set("code", JsValue::from_str(e.code.as_str()));
    set("issues", parse(to_json(&e.issues)));
    if let Some(loc) = &e.location {
        set("location", parse(to_json(loc)));
    }
    err.into()
}
