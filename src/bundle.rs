//! Bundles: every rule set's files in one JSON document, each with its sha256 content
//! hash, so a page loads one file and can check it carries the published rules. A bundle
//! may also carry a publisher's ed25519 signature over those hashes (see [`crate::signing`]).
//!
//! Beside its files' text, each rule set carries the JSON form of its TOML files
//! (`parsed`, with a hash of its own), so an engine built without the TOML parser (the
//! browser runtime module) can load it; loading prefers that form in every build, so
//! every host reads a bundle the same way.

use crate::error::{Error, ErrorCode};
use crate::rulefile::Parsed;
use crate::ruleset::{hash_files, Files, RuleSet};
use sha2::{Digest, Sha256};
use serde::{Deserialize, Serialize};

pub const FORMAT: &str = "eligo-bundle/1";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    pub format: String,
    pub rulesets: Vec<BundledRuleSet>,
    /// Absent in an unsigned bundle, which still loads where no public key is required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<crate::signing::BundleSignature>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundledRuleSet {
    pub id: String,
    pub version: String,
    pub hash: String,
    pub files: Files,
    /// Absent in bundles made before it existed, which load only where TOML can be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parsed: Option<ParsedFiles>,
}

/// The JSON form of a rule set's TOML files, as JSON text, with `sha256:<hex>` over that
/// text. Text rather than a nested object: a page may parse a bundle and hand it back as
/// an object, and JavaScript rewrites numbers (`1.0` becomes `1`) but never strings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParsedFiles {
    pub hash: String,
    pub text: String,
}

impl ParsedFiles {
    pub fn new(files: &Parsed) -> ParsedFiles {
        let text = serde_json::to_string(files).unwrap_or_default();
        ParsedFiles { hash: hash_text(&text), text }
    }

    /// The parsed files, once the text is checked against its hash.
    pub fn files(&self, id: &str) -> Result<Parsed, Error> {
        if hash_text(&self.text) != self.hash {
            return Err(changed(id, "parsed form was"));
        }
        serde_json::from_str(&self.text).map_err(|_| changed(id, "parsed form was"))
    }
}

/// `sha256:<hex>` over a text.
pub fn hash_text(text: &str) -> String {
    crate::ruleset::sha256_hex(Sha256::digest(text.as_bytes()).as_slice())
}

fn changed(id: &str, what: &str) -> Error {
    Error::new(
        ErrorCode::InvalidRequest,
        format!("rule set {id:?} in the bundle does not match its hash: its {what} changed after bundling"),
    )
}

/// A bundle of loaded rule sets, each with its parsed form.
#[cfg(feature = "toml-files")]
pub fn build<'a>(rulesets: impl IntoIterator<Item = &'a RuleSet>) -> Result<Bundle, Error> {
    let mut entries = Vec::new();
    for rs in rulesets {
        // The files loaded, so they parse; an error here would be a reader bug.
        let parsed = crate::rulefile::parse_all(rs.files()).map_err(|(file, e)| {
            Error::new(ErrorCode::RulesetError, format!("{}: {file}: {}", rs.id(), e.message))
        })?;
        entries.push(BundledRuleSet {
            id: rs.id().to_string(),
            version: rs.manifest.version.clone(),
            hash: rs.hash.clone(),
            files: rs.files().clone(),
            parsed: Some(ParsedFiles::new(&parsed)),
        });
    }
    Ok(Bundle { format: FORMAT.to_string(), rulesets: entries, signature: None })
}

/// Parse a bundle, check every hash, and load every rule set in it.
pub fn load(json: &str) -> Result<Vec<RuleSet>, Error> {
    load_checked(parse(json)?)
}

/// Like [`load`], but first check that the bundle is signed by `public_key` (a public key
/// file's text or its 64 hexadecimal digits); an unsigned or tampered bundle is refused.
pub fn load_signed(json: &str, public_key: &str) -> Result<Vec<RuleSet>, Error> {
    let key = crate::signing::parse_public_key(public_key)?;
    let bundle = parse(json)?;
    crate::signing::verify_bundle(&bundle, &key)?;
    load_checked(bundle)
}

/// Parse a bundle's JSON text and check its format (not yet its hashes).
pub fn parse(json: &str) -> Result<Bundle, Error> {
    let bundle: Bundle =
        serde_json::from_str(json).map_err(|e| Error::new(ErrorCode::InvalidRequest, format!("not a valid rule bundle: {e}")))?;
    if bundle.format != FORMAT {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!("bundle format {:?} is not supported (expected {FORMAT:?})", bundle.format),
        ));
    }
    Ok(bundle)
}

/// Where TOML can be read, a bundle's parsed form must be what its files parse to: the
/// runtime module decides by the parsed form, and a decision's hash is the files', so an
/// unsigned bundle whose parsed form alone was edited (its own hash recomputed) would decide
/// by other rules under the published hash. (The runtime module cannot check this; a signed
/// bundle covers both.)
#[cfg(feature = "toml-files")]
fn parsed_form_matches_files(id: &str, files: &Files, parsed: &Parsed) -> Result<(), Error> {
    // Compared as this version reads both, not as text: a bundle made by an older `eligo`
    // (another serializer, a field added since with a default) still matches.
    let written = |p: &Parsed| serde_json::to_string(p).unwrap_or_default();
    match crate::rulefile::parse_all(files) {
        Ok(from_files) if written(&from_files) == written(parsed) => Ok(()),
        Ok(_) => Err(Error::new(
            ErrorCode::InvalidRequest,
            format!("rule set {id:?} in the bundle has a parsed form that is not what its files parse to: it changed after bundling"),
        )),
        Err((file, e)) => Err(Error::new(ErrorCode::InvalidRequest, format!("rule set {id:?} in the bundle: {file}: {}", e.message))),
    }
}

/// Check every rule set's files (and parsed form) against its hash, and load them.
pub fn load_checked(bundle: Bundle) -> Result<Vec<RuleSet>, Error> {
    let mut out = Vec::with_capacity(bundle.rulesets.len());
    for entry in bundle.rulesets {
        let hash = hash_files(&entry.files);
        if hash != entry.hash {
            return Err(changed(&entry.id, "files were"));
        }
        let rs = match &entry.parsed {
            Some(parsed) => {
                let from_parsed = parsed.files(&entry.id)?;
                #[cfg(feature = "toml-files")]
                parsed_form_matches_files(&entry.id, &entry.files, &from_parsed)?;
                RuleSet::from_bundle(&entry.id, entry.files, hash, Some(&from_parsed))?
            }
            None if cfg!(feature = "toml-files") => RuleSet::from_bundle(&entry.id, entry.files, hash, None)?,
            None => {
                return Err(Error::new(
                    ErrorCode::InvalidRequest,
                    format!(
                        "rule set {:?} in the bundle has no parsed form, which this engine (the runtime build, without a TOML reader) needs: rebuild the bundle with `eligo bundle`",
                        entry.id
                    ),
                ))
            }
        };
        out.push(rs);
    }
    Ok(out)
}
