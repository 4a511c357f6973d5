//! A loaded rule set. Loading does every fallible and expensive step once: parse the
//! manifest, check the schema, build the dated parameters, compile and lint the script,
//! read the test cases, hash the files. Evaluation then only validates input and runs.

use crate::compiled;
use crate::decision::{self, Decision, DecisionJson, EvalOptions, Reason, RulesetRef, RulesetRefView};
use crate::error::{line_col, Error, ErrorCode, Issue, Location};
use crate::manifest::Manifest;
use crate::params::{ParamSpec, Parameters};
use crate::rulefile::{Parsed, ReadError, Reader};
use crate::schema::{self, FieldType};
use crate::script::{self, Recorder};
use crate::script_errors;
#[cfg(feature = "toml-files")]
use crate::script_lints;
use crate::testcases::TestCase;
use crate::{date, value, ENGINE_VERSION};
use chrono::NaiveDate;
use rhai::{Dynamic, EvalAltResult, Map, Scope, AST};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;
use std::rc::Rc;

pub const MANIFEST_FILE: &str = "ruleset.toml";
pub const PARAMETERS_FILE: &str = "parameters.toml";
pub const RULES_FILE: &str = "rules.rhai";
pub const TESTS_DIR: &str = "tests";

/// A rule set's files by relative path (`ruleset.toml`, `tests/boundaries.toml`, ...).
pub type Files = BTreeMap<String, String>;

pub struct RuleSet {
    pub manifest: Manifest,
    /// `sha256:<hex>` over every file.
    pub hash: String,
    /// Rule ids in the order the script first names them.
    pub rules: Vec<String>,
    pub tests: Vec<TestCase>,
    files: Files,
    params: Rc<Parameters>,
    outcomes: Rc<[String]>,
    engine: rhai::Engine,
    ast: AST,
    /// Function-resolution caches kept between evaluations: resolution depends only on
    /// the engine and the compiled script, both fixed once loaded.
    caches: std::cell::RefCell<rhai::Caches>,
    /// The script compiled for evaluation, or why it is not (then Rhai's interpreter runs it).
    compiled: Result<compiled::Program, compiled::NotCompiled>,
    /// Where the as-of field and its year fallback are among the input fields, found at load.
    as_of_fields: [Option<usize>; 2],
    /// Whether input text can be read straight into field values (`schema::reads_directly`).
    reads_text: bool,
}

/// Which evaluator decides: the compiled script (which hands anything unusual to the
/// interpreter), or Rhai's interpreter alone. Both give the same decisions; the choice is
/// there to show it (tests/compiled.rs) and to measure the difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Evaluator {
    #[default]
    Compiled,
    Interpreter,
    /// The compiled script alone: an evaluation it would hand to the interpreter is an
    /// error instead. For tests and measurement: shows the compiled script decided.
    CompiledOnly,
}

/// A case's input: parsed JSON, or JSON text, which is read straight into field values
/// when it is plainly valid and parsed only otherwise (`schema::read_valid`).
#[derive(Clone, Copy)]
pub enum Input<'a> {
    Json(&'a serde_json::Value),
    Text(&'a str),
}

impl<'a> Input<'a> {
    /// The input parsed: as given, or its text parsed into `slot` (once).
    fn parsed<'s>(self, slot: &'s mut Option<serde_json::Value>) -> Result<&'s serde_json::Value, Error>
    where
        'a: 's,
    {
        Ok(match (self, slot) {
            (Input::Json(v), _) => v,
            (Input::Text(_), Some(v)) => v,
            (Input::Text(text), slot) => slot.insert(crate::engine::parse_json(text, "/")?),
        })
    }

    /// The input's problems as an error, each number quoted as the text writes it (not in
    /// the runtime WebAssembly module, where finding the text again cost 3.4 KB of its budget:
    /// there an exponent is quoted as parsed, `1e+400` for `1E400`).
    #[cfg_attr(not(feature = "toml-files"), allow(unused_mut))]
    fn invalid(self, mut issues: Vec<Issue>) -> Error {
        #[cfg(feature = "toml-files")]
        if let Input::Text(text) = self {
            schema::quote_numbers_as_written(text, &mut issues);
        }
        Error::invalid_input(issues)
    }
}

impl std::fmt::Debug for RuleSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuleSet").field("id", &self.manifest.id).field("hash", &self.hash).finish()
    }
}

/// Collects load problems, each with a place in a file, so `check` can show them all.
struct Problems {
    ruleset: String,
    issues: Vec<Issue>,
}

impl Problems {
    fn add(&mut self, file: &str, line: usize, column: usize, message: impl Into<String>) {
        let location = Location { ruleset: self.ruleset.clone(), file: file.to_string(), line, column };
        let path = location.to_string();
        self.issues.push(Issue { path, message: message.into(), location: Some(location) });
    }

    /// A problem about a named thing: placed on the first line that mentions `needle`.
    fn add_near(&mut self, file: &str, text: &str, needle: &str, message: impl Into<String>) {
        let (line, col) = text.find(needle).map(|at| line_col(text, at)).unwrap_or((0, 0));
        self.add(file, line, col, message);
    }

    fn finish(self) -> Result<(), Error> {
        let Some(first) = self.issues.first() else {
            return Ok(());
        };
        let message = if self.issues.len() == 1 {
            first.message.clone()
        } else {
            format!("{} (and {} more problems)", first.message, self.issues.len() - 1)
        };
        Err(Error { code: ErrorCode::RulesetError, message, location: first.location.clone(), issues: self.issues })
    }
}

/// Where a parameter problem lies in parameters.toml: `name` at its table's header,
/// `name.values[i]` at the i-th entry of its `values` list (the `{` that opens it), so that
/// the error shows the value that is wrong. (0, 0) when the text does not show it.
#[cfg(feature = "toml-files")]
fn param_position(text: &str, path: &str) -> (usize, usize) {
    let (name, entry) = match path.split_once(".values[") {
        Some((name, rest)) => (name, rest.trim_end_matches(']').parse::<usize>().ok()),
        None => (path, None),
    };
    let header = format!("[{name}]");
    let table = text
        .match_indices(&header)
        .map(|(at, _)| at)
        .find(|&at| at == 0 || text[..at].ends_with('\n'))
        .or_else(|| text.find(name));
    let Some(table) = table else { return (0, 0) };
    let body_end = text[table + 1..].find("\n[").map_or(text.len(), |e| table + 1 + e);
    let entry_at = entry.and_then(|i| {
        let body = &text[table..body_end];
        let values = table + body.find("\nvalues")?;
        // The entries are the `{`s directly inside the list; a table value holds its own.
        let (mut depth, mut in_text, mut escaped, mut seen) = (0, false, false, 0);
        for (at, c) in text[values..body_end].char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' if in_text => escaped = true,
                '"' => in_text = !in_text,
                _ if in_text => {}
                '{' if depth == 1 && seen == i => return Some(values + at),
                '[' | '{' => {
                    seen += usize::from(c == '{' && depth == 1);
                    depth += 1;
                }
                ']' | '}' if depth <= 1 => break,
                ']' | '}' => depth -= 1,
                _ => {}
            }
        }
        None
    });
    line_col(text, entry_at.unwrap_or(table))
}

/// Without TOML files (the runtime WebAssembly module), bundles carry parameters as JSON
/// checked when they were bundled: the parameter's name is near enough, for fewer bytes.
#[cfg(not(feature = "toml-files"))]
fn param_position(text: &str, path: &str) -> (usize, usize) {
    let name = path.split('.').next().unwrap_or(path);
    text.find(name).map_or((0, 0), |at| line_col(text, at))
}

/// The memory limit (crate::memory) while a decision's values are written out, after the
/// script: a script shares one large string among thousands of values cheaply, and each is
/// a copy in the decision (2,000 of 99,000 characters made 198 MB of JSON).
/// An outcome the manifest does not declare, worded once for every place that finds one (a
/// literal `outcome("…")` here, one in a branch in `script_lints`). The "did you mean" comes
/// with the lints, where rule sets are written; the runtime module leaves it out.
pub(crate) fn unknown_outcome(name: &str, declared: &[&str]) -> String {
    #[cfg(feature = "toml-files")]
    let (hint, listed) = (
        script_lints::similar_name(name, declared.iter().copied()).map(|s| format!("; did you mean {s:?}?")).unwrap_or_default(),
        script_lints::listed(declared),
    );
    #[cfg(not(feature = "toml-files"))]
    let (hint, listed) = ("", declared.join(", "));
    format!("unknown outcome {name:?}: the manifest declares {listed}{hint}")
}

/// A rule in `information_rules` the script never names, with the nearest it does.
#[cfg(feature = "toml-files")]
fn unknown_information_rule(id: &str, named: &[&str]) -> String {
    let hint = match script_lints::similar_name(id, named.iter().copied()) {
        Some(s) => format!("; did you mean {s:?}?"),
        None => format!(" (it names {})", script_lints::listed(named)),
    };
    format!("information_rules: {RULES_FILE} names no rule {id:?}{hint}")
}

/// Where `item` is in the list given by top-level `key` in `text`: the item's quoted text
/// after the key, else the key, else (0, 0).
#[cfg(feature = "toml-files")]
fn listed_position(text: &str, key: &str, item: &str) -> (usize, usize) {
    let key_at = text.match_indices(key).map(|(at, _)| at).find(|&at| {
        let line = &text[text[..at].rfind('\n').map_or(0, |n| n + 1)..];
        line.trim_start().starts_with(key) && line.trim_start()[key.len()..].trim_start().starts_with('=')
    });
    let Some(key_at) = key_at else { return (0, 0) };
    let item_at = [format!("\"{item}\""), format!("'{item}'")].iter().filter_map(|q| text[key_at..].find(q.as_str())).min();
    line_col(text, key_at + item_at.unwrap_or(0))
}

fn decision_within_memory(value: &str) -> Result<(), String> {
    match crate::memory::over() == Some(crate::memory::Limit::Held) {
        true => Err(format!("value {value:?}: the decision held more than {} MB of memory and was stopped", crate::memory::MAX_BYTES >> 20)),
        false => Ok(()),
    }
}

/// Read a rule set's files from its folder: the manifest, parameters, rules and `tests/*`.
pub fn read_dir(dir: &Path) -> Result<Files, Error> {
    let name = dir.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let io_err = |file: &str, e: std::io::Error| {
        Error::ruleset(Location { ruleset: name.clone(), file: file.to_string(), line: 0, column: 0 }, format!("cannot read: {e}"))
    };
    let mut files = Files::new();
    for f in [MANIFEST_FILE, PARAMETERS_FILE, RULES_FILE] {
        let p = dir.join(f);
        if p.exists() || f != PARAMETERS_FILE {
            files.insert(f.to_string(), std::fs::read_to_string(&p).map_err(|e| io_err(f, e))?);
        }
    }
    let tests = dir.join(TESTS_DIR);
    if tests.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(&tests).map_err(|e| io_err(TESTS_DIR, e))?.flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            if p.extension().is_some_and(|e| e == "toml") {
                let rel = format!("{TESTS_DIR}/{}", p.file_name().unwrap_or_default().to_string_lossy());
                let text = std::fs::read_to_string(&p).map_err(|e| io_err(&rel, e))?;
                files.insert(rel, text);
            }
        }
    }
    Ok(files)
}

/// `sha256:<hex>` over the files in path order, each as name, NUL, length, NUL, content.
pub fn hash_files(files: &Files) -> String {
    let mut h = Sha256::new();
    for (name, text) in files {
        h.update(name.as_bytes());
        h.update([0]);
        h.update(text.len().to_string().as_bytes());
        h.update([0]);
        h.update(text.as_bytes());
    }
    sha256_hex(h.finalize().as_slice())
}

/// `sha256:<hex>` for a digest.
pub fn sha256_hex(digest: &[u8]) -> String {
    let mut hex = String::with_capacity(71);
    hex.push_str("sha256:");
    for b in digest {
        hex.push_str(&format!("{b:02x}"));
    }
    hex
}

fn read_error(p: &mut Problems, file: &str, e: &ReadError) {
    p.add(file, e.line, e.column, e.message.clone());
}

impl RuleSet {
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<RuleSet, Error> {
        let dir = dir.as_ref();
        let name = dir.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        RuleSet::from_files(&name, read_dir(dir)?)
    }

    /// Load from file texts: the loader behind folders and loose files (a bundle's rule
    /// sets go through `from_bundle`). Needs the TOML reader (feature `toml-files`).
    pub fn from_files(name: &str, files: Files) -> Result<RuleSet, Error> {
        RuleSet::load(name, files, Reader::Toml, None)
    }

    /// Load from file texts with the TOML files read from their JSON form (a bundle's
    /// `parsed`), which any build can read.
    pub fn from_parsed(name: &str, files: Files, parsed: &Parsed) -> Result<RuleSet, Error> {
        RuleSet::load(name, files, Reader::Json(parsed), None)
    }

    /// A bundle's rule set, whose files the bundle has just checked against `hash`: the
    /// hash is not worked out a second time (SHA-256 was a sixth of a bundle's load).
    pub(crate) fn from_bundle(name: &str, files: Files, hash: String, parsed: Option<&Parsed>) -> Result<RuleSet, Error> {
        let reader = match parsed {
            Some(parsed) => Reader::Json(parsed),
            None => Reader::Toml,
        };
        RuleSet::load(name, files, reader, Some(hash))
    }

    fn load(name: &str, files: Files, reader: Reader, hash: Option<String>) -> Result<RuleSet, Error> {
        let mut p = Problems { ruleset: name.to_string(), issues: Vec::new() };
        let empty = String::new();
        let manifest_text = files.get(MANIFEST_FILE);
        let rules_text = files.get(RULES_FILE);
        if manifest_text.is_none() {
            p.add(MANIFEST_FILE, 0, 0, format!("a rule set needs a {MANIFEST_FILE}"));
        }
        if rules_text.is_none() {
            p.add(RULES_FILE, 0, 0, format!("a rule set needs a {RULES_FILE}"));
        }
        let manifest_text = manifest_text.unwrap_or(&empty);
        let rules_text = rules_text.unwrap_or(&empty);

        // Manifest and schema.
        let mut manifest = match reader.read::<Manifest>(MANIFEST_FILE, manifest_text) {
            Ok(m) => Some(m),
            Err(e) => {
                if !manifest_text.is_empty() {
                    read_error(&mut p, MANIFEST_FILE, &e);
                } else if files.contains_key(MANIFEST_FILE) {
                    // Found by fuzzing: an empty manifest used to fail with no place or reason.
                    p.add(MANIFEST_FILE, 1, 1, format!("{MANIFEST_FILE} is empty: it needs id, title, version, owner, description, [as_of], outcomes and input"));
                }
                None
            }
        };
        if let Some(m) = manifest.as_mut() {
            p.ruleset = m.id.clone();
            check_manifest(m, manifest_text, &mut p);
        }

        // Parameters.
        let params_text = files.get(PARAMETERS_FILE).unwrap_or(&empty);
        let specs = match files.get(PARAMETERS_FILE) {
            Some(text) => reader.read::<BTreeMap<String, ParamSpec>>(PARAMETERS_FILE, text),
            None => Ok(BTreeMap::new()),
        };
        // The names parameters.toml declares, even when one of its values is wrong (None when
        // the file cannot be read at all): a script's `param("…")` is reported unknown only
        // against these, so that one bad value is one error, not one per parameter used.
        let mut declared = None;
        let params = match specs {
            Ok(mut specs) => {
                declared = Some(specs.keys().cloned().collect::<Vec<_>>());
                for s in specs.values_mut() {
                    s.values.iter_mut().for_each(|v| value::fix_toml_dates(&mut v.value));
                }
                match Parameters::build(specs) {
                    Ok(ps) => ps,
                    Err(problems) => {
                        for (path, msg) in problems {
                            let (line, col) = param_position(params_text, &path);
                            p.add(PARAMETERS_FILE, line, col, format!("parameter {path}: {msg}"));
                        }
                        Parameters::default()
                    }
                }
            }
            Err(e) => {
                read_error(&mut p, PARAMETERS_FILE, &e);
                Parameters::default()
            }
        };

        // Script: compile with `input` and `as_of` declared, so misspelt variables fail here.
        let engine = script::new_engine();
        let mut scope = Scope::new();
        scope.push("input", Map::new());
        scope.push("as_of", NaiveDate::MIN);
        // The AST is evaluated as written: Rhai's optimizer is left out of the build (Cargo.toml).
        let compiled = engine.compile_with_scope(&scope, rules_text).map_err(Some);
        // A `/*` never closed hides the rest of the script from Rhai, without an error. Where
        // rule files are written it is reported at its place, and the script is read no
        // further: its missing rules (and test cases naming them), or a parse error at the
        // script's end, would only be what the comment hid. A parse error before it stands.
        #[cfg(feature = "toml-files")]
        let unclosed = script_lints::unclosed_comment(rules_text);
        #[cfg(feature = "toml-files")]
        let compiled = match (&unclosed, compiled) {
            (Some(found), Err(Some(e))) if e.position() < found.pos => Err(Some(e)),
            (Some(_), _) => Err(None),
            (None, compiled) => compiled,
        };
        let ast = match compiled {
            Ok(ast) => Some(ast),
            Err(None) => None,
            Err(Some(e)) => {
                let pos = e.position();
                #[allow(unused_mut)] // Added to only where rule files are written (toml-files).
                let mut message = script_errors::parse_message(e.err_type());
                #[cfg(feature = "toml-files")]
                message.push_str(&script_lints::parse_hint(e.err_type(), rules_text, pos));
                p.add(RULES_FILE, pos.line().unwrap_or(0), pos.position().unwrap_or(0), message);
                None
            }
        };
        #[cfg(feature = "toml-files")]
        if let Some(found) = unclosed {
            p.add(RULES_FILE, found.pos.line().unwrap_or(0), found.pos.position().unwrap_or(0), found.message);
        }
        let mut rules = Vec::new();
        if let Some(ast) = &ast {
            let facts = script::facts(ast);
            let at = |pos: rhai::Position| (pos.line().unwrap_or(0), pos.position().unwrap_or(0));
            // Without parameters.toml at all, one error at the first `param`, not one per name.
            let no_file = !files.contains_key(PARAMETERS_FILE);
            if let (true, Some((name, pos))) = (no_file, facts.params.first()) {
                let (l, c) = at(*pos);
                let mut names: Vec<&String> = facts.params.iter().map(|(n, _)| n).collect();
                names.sort();
                names.dedup();
                let more = names.len() - 1;
                let others = if more > 0 { format!(" and {more} more") } else { String::new() };
                p.add(RULES_FILE, l, c, format!("the script reads parameter {name:?}{others}, but the rule set has no {PARAMETERS_FILE}"));
            }
            for (name, pos) in facts.params.iter().filter(|_| !no_file) {
                if declared.as_ref().is_some_and(|d| !d.contains(name)) {
                    let (l, c) = at(*pos);
                    p.add(RULES_FILE, l, c, format!("unknown parameter {name:?}: {PARAMETERS_FILE} does not define it"));
                }
            }
            if let Some(m) = &manifest {
                for (name, pos) in &facts.outcomes {
                    if !m.outcomes.iter().any(|o| &o.id == name) {
                        let (l, c) = at(*pos);
                        let declared: Vec<&str> = m.outcomes.iter().map(|o| o.id.as_str()).collect();
                        p.add(RULES_FILE, l, c, unknown_outcome(name, &declared));
                    }
                }
            }
            // Where rule sets are written (the runtime module loads bundles, checked when they
            // were built; there a rule listed in error would only be shown as met or not).
            #[cfg(feature = "toml-files")]
            if let Some(m) = &manifest {
                let named: Vec<&str> = facts.rules.iter().map(|(n, _)| n.as_str()).collect();
                for id in m.information_rules.iter().filter(|id| !named.contains(&id.as_str())) {
                    let (l, c) = listed_position(manifest_text, "information_rules", id);
                    p.add(MANIFEST_FILE, l, c, unknown_information_rule(id, &named));
                }
            }
            for (kind, pos) in &facts.non_literal {
                if *kind == "rule" {
                    let (l, c) = at(*pos);
                    p.add(RULES_FILE, l, c, "a rule id must be a string literal, so coverage and reasons can name it");
                }
            }
            for (name, function, pos) in &facts.unseen_globals {
                let (l, c) = at(*pos);
                // Closures are compiled to functions named `anon$…`.
                let (what, example) = match function.starts_with("anon$") {
                    true => ("a closure".to_string(), "f"),
                    false => (format!("function {function}"), function.as_str()),
                };
                p.add(RULES_FILE, l, c, format!("{what} cannot see `{name}`: a Rhai function sees only its parameters, so pass it in (fn {example}({name}, …))"));
            }
            #[cfg(feature = "toml-files")]
            for found in script_lints::check(ast, rules_text, manifest.as_ref()) {
                let (l, c) = at(found.pos);
                p.add(RULES_FILE, l, c, found.message);
            }
            if facts.rules.is_empty() {
                p.add(RULES_FILE, 1, 1, "the script names no rules: use rule(\"id\", condition, message) so decisions can explain themselves");
            }
            if facts.outcomes.is_empty() && !facts.non_literal.iter().any(|(k, _)| *k == "outcome") {
                p.add(RULES_FILE, 1, 1, "the script never calls outcome(...)");
            }
            rules = facts.rules.into_iter().map(|(n, _)| n).collect();
        }

        // Test cases: where rule sets are written and checked (the CLI, the authoring module).
        // The runtime module only decides cases, and leaves a bundle's test cases unread.
        #[allow(unused_mut)]
        let mut tests = Vec::new();
        #[cfg(feature = "toml-files")]
        for (file, text) in files.iter().filter(|(f, _)| f.starts_with(&format!("{TESTS_DIR}/"))) {
            match crate::testcases::read(reader, file, text) {
                Ok(mut cases) => {
                    let outcomes: Vec<String> = manifest.as_ref().map(|m| m.outcomes.iter().map(|o| o.id.clone()).collect()).unwrap_or_default();
                    // Rules are known once the script compiled; outcomes once the manifest read.
                    if ast.is_some() && manifest.is_some() {
                        for (line, column, message) in crate::testcases::lint(&cases, text, &rules, &outcomes) {
                            p.add(file, line, column, message);
                        }
                    }
                    tests.append(&mut cases);
                }
                Err(e) => read_error(&mut p, file, &e),
            }
        }

        p.finish()?;
        let (Some(manifest), Some(ast)) = (manifest, ast) else {
            return Err(Error::new(ErrorCode::RulesetError, "rule set did not load"));
        };
        let outcomes: Rc<[String]> = manifest.outcomes.iter().map(|o| o.id.clone()).collect();
        let field_names: Vec<&str> = manifest.input.iter().map(|f| f.name.as_str()).collect();
        let compiled = compiled::compile(&ast, &params, &field_names);
        let position = |name: Option<&String>| name.and_then(|n| field_names.iter().position(|f| f == n));
        let as_of_fields = [position(Some(&manifest.as_of.field)), position(manifest.as_of.year_field.as_ref())];
        let reads_text = schema::reads_directly(&manifest.input);
        Ok(RuleSet {
            hash: hash.unwrap_or_else(|| hash_files(&files)),
            manifest,
            rules,
            tests,
            files,
            params: Rc::new(params),
            outcomes,
            engine,
            compiled,
            as_of_fields,
            reads_text,
            ast,
            caches: std::cell::RefCell::new(rhai::Caches::new()),
        })
    }

    pub fn id(&self) -> &str {
        &self.manifest.id
    }

    pub fn files(&self) -> &Files {
        &self.files
    }

    pub fn parameters(&self) -> &Parameters {
        &self.params
    }

    /// Everything a host needs to build a form and explain a rule set.
    pub fn describe(&self) -> serde_json::Value {
        let params: serde_json::Map<String, serde_json::Value> = self
            .params
            .specs()
            .map(|(n, s)| (n.to_string(), serde_json::to_value(s).unwrap_or_default()))
            .collect();
        serde_json::json!({
            "id": self.manifest.id,
            "title": self.manifest.title,
            "version": self.manifest.version,
            "owner": self.manifest.owner,
            "description": self.manifest.description,
            "effective_from": self.manifest.effective_from,
            "hash": self.hash,
            "outcomes": self.manifest.outcomes,
            "as_of": self.manifest.as_of,
            "input": self.manifest.input,
            "parameters": params,
            "rules": self.rules,
            "information_rules": self.manifest.information_rules,
        })
    }

    pub fn json_schema(&self) -> serde_json::Value {
        schema::json_schema(&self.manifest.title, &self.manifest.input)
    }

    /// Decide one case. Invalid input is rejected with every problem listed before any
    /// script runs; the script is bounded by the sandbox limits.
    pub fn evaluate(&self, input: &serde_json::Value, opts: &EvalOptions) -> Result<Decision, Error> {
        self.evaluate_on(input, opts, Evaluator::Compiled)
    }

    /// Whether the script is compiled for evaluation, or why not.
    pub fn compiled(&self) -> Result<(), &str> {
        self.compiled.as_ref().map(|_| ()).map_err(|e| e.0.as_str())
    }

    /// Parameters the rule set defines that its script never names (in `param("…")` or a
    /// working-day helper's holiday list): left behind by a rename, or not yet used. Empty
    /// when the script names a parameter other than by a literal, as nothing can be said then.
    pub fn unused_parameters(&self) -> Vec<&str> {
        let facts = script::facts(&self.ast);
        if facts.non_literal.iter().any(|(kind, _)| *kind == "param") {
            return Vec::new();
        }
        self.parameters().names().filter(|n| !facts.params.iter().any(|(used, _)| used == n)).collect()
    }

    /// Whether the compiled script reads `input` field by field, so that no input map is
    /// built for it (see `compiled::fields`).
    pub fn compiled_input_by_field(&self) -> bool {
        self.compiled.as_ref().is_ok_and(|p| p.input_by_field())
    }

    /// Decide one case on the evaluator given (see [`Evaluator`]).
    pub fn evaluate_on(&self, input: &serde_json::Value, opts: &EvalOptions, on: Evaluator) -> Result<Decision, Error> {
        let (as_of, rec) = self.run_case(Input::Json(input), opts, on)?;
        self.decision(as_of, rec)
    }

    /// Decide one case straight to its JSON text: byte for byte `evaluate(..)?.to_json()`,
    /// without building the decision's values as `serde_json::Value`s first (what
    /// `evaluateJson`, `Engine::evaluate_json` and `eligo batch` send on). Input given as
    /// text is parsed only if it is not plainly valid (see `schema::read_valid`).
    pub fn evaluate_to_json(&self, input: Input<'_>, opts: &EvalOptions) -> Result<DecisionJson, Error> {
        let (as_of, rec) = self.run_case(input, opts, Evaluator::Compiled)?;
        self.decision_json(as_of, rec)
    }

    /// Validate the input and run the script: the as-of date and what the script recorded.
    fn run_case(&self, input: Input<'_>, opts: &EvalOptions, on: Evaluator) -> Result<(NaiveDate, Recorder), Error> {
        let fields = &self.manifest.input;
        let recorder = |as_of| Recorder {
            params: Rc::clone(&self.params),
            as_of,
            outcomes: Rc::clone(&self.outcomes),
            outcome: None,
            // Room for a seed rule set's values and reasons without growing (each growth
            // is an allocation and a copy).
            values: Vec::with_capacity(8),
            reasons: Vec::with_capacity(8),
            trace: opts.trace.then(Vec::new),
            brief: opts.brief,
            value_ranks: 0,
        };
        // The input text, parsed when it has to be (once), and its JSON errors reported
        // before any other, as when every input was parsed first.
        if let Input::Text(text) = input {
            crate::engine::input_within_size(text)?;
        }
        let mut parsed = None;
        if opts.brief && opts.trace {
            input.parsed(&mut parsed)?;
            return Err(Error::new(ErrorCode::InvalidRequest, "brief and trace cannot be asked for together: a trace records each reason's wording"));
        }
        let only = || Error::new(ErrorCode::EvaluationError, "the compiled script handed this evaluation to the interpreter");
        match (&self.compiled, on) {
            (Ok(program), Evaluator::Compiled | Evaluator::CompiledOnly) => {
                let quick = match input {
                    Input::Text(text) if self.reads_text => schema::read_valid(fields, text),
                    _ => None,
                };
                let values = match quick {
                    Some(values) => values,
                    None => schema::validate_values(fields, input.parsed(&mut parsed)?).map_err(|issues| input.invalid(issues))?,
                };
                let [date_value, year_value] = self.as_of_fields.map(|i| i.and_then(|i| values.get(i)));
                let as_of = self.as_of(date_value, year_value, opts)?;
                let (ran, rec) = script::with_recorder(recorder(as_of), || program.run(values, Dynamic::from(as_of)));
                match ran {
                    compiled::Ran::Finished => return Ok((as_of, rec)),
                    compiled::Ran::Rejected(e) => return Err(self.script_failure(&e)),
                    compiled::Ran::GaveUp if on == Evaluator::CompiledOnly => return Err(only()),
                    // Start again on the interpreter, from the input (validated again: the
                    // compiled run may have moved its values) with a fresh recorder.
                    compiled::Ran::GaveUp => {}
                }
            }
            (Err(_), Evaluator::CompiledOnly) => return Err(only()),
            _ => {}
        }
        let map = schema::validate(fields, input.parsed(&mut parsed)?).map_err(|issues| input.invalid(issues))?;
        let spec = &self.manifest.as_of;
        let as_of = self.as_of(map.get(spec.field.as_str()), spec.year_field.as_ref().and_then(|f| map.get(f.as_str())), opts)?;
        let mut scope = Scope::new();
        scope.push_constant_dynamic("input", Dynamic::from_map(map));
        scope.push_constant("as_of", as_of);
        let (result, rec) = script::with_recorder(recorder(as_of), || self.run(&mut scope));
        result.map_err(|e| self.script_failure(&e))?;
        Ok((as_of, rec))
    }

    fn script_failure(&self, e: &EvalAltResult) -> Error {
        match script::rejected_input(e) {
            Some((path, message)) => Error::invalid_input(vec![Issue { path, message, location: None }]),
            None => self.script_error(e),
        }
    }

    /// The decision the script recorded.
    fn decision(&self, as_of: NaiveDate, rec: Recorder) -> Result<Decision, Error> {
        let Some(outcome) = rec.outcome else {
            return Err(self.eval_error("the rules finished without calling outcome(...)", 0, 0));
        };
        let mut values = serde_json::Map::new();
        for (name, v) in rec.values {
            let json = value::to_json(&v).map_err(|m| self.eval_error(format!("value {name:?}: {m}"), 0, 0))?;
            values.insert(name.as_str().to_owned(), json);
            decision_within_memory(&name).map_err(|m| self.eval_error(m, 0, 0))?;
        }
        Ok(Decision {
            ruleset: RulesetRef { id: self.manifest.id.clone(), version: self.manifest.version.clone(), hash: self.hash.clone() },
            as_of: date::format(as_of),
            outcome,
            values,
            reasons: rec.reasons.into_iter().map(Reason::from).collect(),
            trace: rec.trace,
            engine: ENGINE_VERSION.to_string(),
        })
    }

    /// The decision the script recorded, as JSON text: what `decision(..)?.to_json()` gives,
    /// with the values written straight from the script's own (recorded in name order, as
    /// the decision's JSON object lists them).
    fn decision_json(&self, as_of: NaiveDate, rec: Recorder) -> Result<DecisionJson, Error> {
        let Some(outcome) = rec.outcome else {
            return Err(self.eval_error("the rules finished without calling outcome(...)", 0, 0));
        };
        let ruleset = RulesetRefView { id: &self.manifest.id, version: &self.manifest.version, hash: &self.hash };
        let mut values = |out: &mut Vec<u8>| {
            out.push(b'{');
            for (i, (name, v)) in rec.values.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                value::write_str(out, name);
                out.push(b':');
                value::write_json(out, v).map_err(|m| format!("value {name:?}: {m}"))?;
                decision_within_memory(name)?;
            }
            out.push(b'}');
            Ok(())
        };
        let json = decision::write_json(&ruleset, &date::format(as_of), &outcome, &mut values, &mut rec.reasons.iter().map(|r| (r.rule.as_str(), r.passed, r.message.as_deref())), rec.trace.as_deref(), ENGINE_VERSION)
            .map_err(|m| self.eval_error(m, 0, 0))?;
        Ok(DecisionJson { outcome, json })
    }

    /// Run the compiled script as `Engine::run_ast_with_scope` does, but reusing the
    /// function-resolution caches, which rhai otherwise rebuilds on every run.
    #[allow(deprecated)]
    fn run(&self, scope: &mut Scope) -> Result<(), Box<EvalAltResult>> {
        let Ok(mut caches) = self.caches.try_borrow_mut() else {
            // Re-entered (cannot happen through the public API): run without the cache.
            return self.engine.run_ast_with_scope(scope, &self.ast);
        };
        let mut global = self.engine.new_global_runtime_state();
        global.lib.push(self.ast.shared_lib().clone());
        let result = self.engine.eval_statements_raw(&mut global, &mut caches, scope, self.ast.statements());
        // An error can leave nested caches on the stack; keep only the top level.
        caches.rewind_fn_resolution_caches(1);
        result.map(|_| ())
    }

    /// The as-of date: the option, else the validated input's as-of field (`on`), else its
    /// year field (`year`) on the manifest's day.
    fn as_of(&self, on: Option<&Dynamic>, year: Option<&Dynamic>, opts: &EvalOptions) -> Result<NaiveDate, Error> {
        if let Some(text) = &opts.as_of {
            return date::parse(text).map_err(|m| Error::new(ErrorCode::InvalidRequest, format!("as-of date: {m}")));
        }
        let spec = &self.manifest.as_of;
        if let Some(d) = on.and_then(|v| v.read_lock::<NaiveDate>().map(|d| *d)) {
            return Ok(d);
        }
        if let (Some(_), Some(day)) = (&spec.year_field, &spec.year_day) {
            if let Ok(year) = year.map_or(Ok(0), Dynamic::as_int) {
                if let Ok(d) = date::parse(&format!("{year:04}-{day}")) {
                    return Ok(d);
                }
            }
        }
        Err(Error::invalid_input(vec![Issue {
            path: format!("/{}", spec.field),
            message: "is needed: it decides which rules and values apply (or give an as-of date)".into(),
            location: None,
        }]))
    }

    fn eval_error(&self, message: impl Into<String>, line: usize, column: usize) -> Error {
        let loc = Location { ruleset: self.manifest.id.clone(), file: RULES_FILE.into(), line, column };
        Error::new(ErrorCode::EvaluationError, message).at(loc)
    }

    fn script_error(&self, e: &EvalAltResult) -> Error {
        let inner = e.unwrap_inner();
        let pos = if inner.position().is_none() { e.position() } else { inner.position() };
        let message = match inner {
            // Terminated with `true`: the memory the evaluation holds; with `false`: the data
            // it has allocated or read (script::new_engine).
            EvalAltResult::ErrorTerminated(token, _) if token.as_bool() == Ok(true) => format!(
                "the rules held more than {} MB of memory and were stopped",
                crate::memory::MAX_BYTES >> 20
            ),
            EvalAltResult::ErrorTerminated(token, _) if token.as_bool() == Ok(false) => format!(
                "the rules copied or searched more than {} MB of data and were stopped (is a loop working through a large list, map or text?)",
                crate::memory::MAX_WORK_BYTES >> 20
            ),
            // Terminated otherwise: the step count of script::new_engine, which counts closures' steps too.
            EvalAltResult::ErrorTooManyOperations(_) | EvalAltResult::ErrorTerminated(..) => format!(
                "the rules took more than {} steps and were stopped (is there an endless loop?)",
                script::limits::MAX_OPERATIONS
            ),
            EvalAltResult::ErrorStackOverflow(_) => {
                format!("functions called each other more than {} deep and were stopped", script::limits::MAX_CALL_LEVELS)
            }
            EvalAltResult::ErrorDataTooLarge(what, _) => {
                // rhai names the limit in its own words ("Size of array/BLOB"); say it plainly.
                let n = |x: usize| crate::money::group_thousands(&x.to_string());
                let (max_string, max_list, max_map) = (
                    n(script::limits::MAX_STRING_SIZE),
                    n(script::limits::MAX_ARRAY_SIZE),
                    n(script::limits::MAX_MAP_SIZE),
                );
                let what = match what.as_str() {
                    "Length of string" => format!(
                        "a string (or all the text in one list or map) grew past the sandbox limit of {max_string} characters"
                    ),
                    "Size of array/BLOB" => {
                        format!("a list grew past the sandbox limit of {max_list} items (nested items count)")
                    }
                    "Size of object map" => {
                        format!("a map grew past the sandbox limit of {max_map} entries (nested entries count)")
                    }
                    other => format!("{} grew past the sandbox limit", other.to_lowercase()),
                };
                format!("{what}, and the rules were stopped")
            }
            // Everything else in the rule language's words (types as policy staff name them).
            other => script_errors::eval_message(other),
        };
        self.eval_error(message, pos.line().unwrap_or(0), pos.position().unwrap_or(0))
    }
}

/// Where a field's key is in ruleset.toml, for a problem path that ends in one
/// (`input.application_date.min`): the key's line within the field's table, found from the
/// field's `name = "…"` line. (A search for the field's name alone found its first mention,
/// which can be another section's, like `[as_of] field = "application_date"`.)
fn key_position(text: &str, path: &str) -> Option<(usize, usize)> {
    let (field, key) = path.rsplit_once('.').filter(|(_, k)| matches!(*k, "min" | "max"))?;
    let (start, end) = field_table(text, field.rsplit('.').next()?)?;
    let mut offset = start;
    for line in text[start..end].split_inclusive('\n') {
        let t = line.trim_start();
        if t.strip_prefix(key).is_some_and(|r| r.trim_start().starts_with('=')) {
            return Some(line_col(text, offset + (line.len() - t.len())));
        }
        offset += line.len();
    }
    None
}

/// Where field `name`'s table lies in `text`: from its `name = "…"` to the next table
/// header (a line starting `[`), as byte offsets.
pub(crate) fn field_table(text: &str, name: &str) -> Option<(usize, usize)> {
    let quoted = format!("\"{name}\"");
    let start = text.match_indices(&quoted).map(|(at, _)| at).find(|&at| {
        let before = text[..at].trim_end();
        before.strip_suffix('=').is_some_and(|b| b.trim_end().ends_with("name"))
    })?;
    let end = text[start..].find("\n[").map_or(text.len(), |e| start + e);
    Some((start, end))
}


fn check_manifest(m: &mut Manifest, text: &str, p: &mut Problems) {
    let mut problems = Vec::new();
    schema::prepare(&mut m.input, "input", &mut problems);
    for (path, msg) in problems {
        let last = path.rsplit('.').next().unwrap_or(&path).trim_end_matches("[]");
        match key_position(text, &path) {
            Some((line, column)) => p.add(MANIFEST_FILE, line, column, format!("{path}: {msg}")),
            None => p.add_near(MANIFEST_FILE, text, &format!("\"{last}\""), format!("{path}: {msg}")),
        }
    }
    // Finer checks for authors, placed at the line concerned (the runtime module loads
    // bundles, which were checked when they were built).
    #[cfg(feature = "toml-files")]
    for (line, column, message) in crate::schema_lints::check(&m.input, text) {
        p.add(MANIFEST_FILE, line, column, message);
    }
    if m.outcomes.is_empty() {
        p.add_near(MANIFEST_FILE, text, "outcomes", "declare at least one outcome");
    }
    let mut seen = std::collections::BTreeSet::new();
    for o in &m.outcomes {
        if !seen.insert(&o.id) {
            p.add_near(MANIFEST_FILE, text, &format!("\"{}\"", o.id), format!("outcome {:?} is declared twice", o.id));
        }
    }
    let top = |name: &str| m.input.iter().find(|f| f.name == name).map(|f| f.kind);
    match top(&m.as_of.field) {
        Some(FieldType::Date) => {}
        _ => p.add_near(MANIFEST_FILE, text, "[as_of]", format!("as_of.field {:?} must name a top-level date field", m.as_of.field)),
    }
    if let Some(yf) = &m.as_of.year_field {
        if top(yf) != Some(FieldType::Integer) {
            p.add_near(MANIFEST_FILE, text, "year_field", format!("as_of.year_field {yf:?} must name a top-level integer field"));
        }
        let ok = m.as_of.year_day.as_deref().is_some_and(|d| date::parse(&format!("2000-{d}")).is_ok());
        if !ok {
            p.add_near(MANIFEST_FILE, text, "year_field", "as_of.year_field needs year_day as \"MM-DD\"");
        }
    }
    if let Some(e) = &m.effective_from {
        if let Err(msg) = date::parse(e) {
            p.add_near(MANIFEST_FILE, text, "effective_from", format!("effective_from {msg}"));
        }
    }
}
