//! Bundles: every rule set's files in one JSON document, each with its sha256 content
//! hash, so a page loads one file and can check it carries the published rules. A bundle
//! may also carry a publisher's ed25519 signature over those hashes (see [`crate::signing`]).

use crate::error::{Error, ErrorCode};
use crate::ruleset::{hash_files, Files, RuleSet};
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
}

pub fn build<'a>(rulesets: impl IntoIterator<Item = &'a RuleSet>) -> Bundle {
    Bundle {
        format: FORMAT.to_string(),
        rulesets: rulesets
            .into_iter()
            .map(|rs| BundledRuleSet {
                id: rs.id().to_string(),
                version: rs.manifest.version.clone(),
                hash: rs.hash.clone(),
                files: rs.files().clone(),
            })
            .collect(),
        signature: None,
    }
}

/// Parse a bundle, check every hash, and load every rule set in it.
pub fn load(json: &str) -> Result<Vec<RuleSet>, Error> {
    load_parsed(parse(json)?)
}

/// Like [`load`], but first check that the bundle is signed by `public_key` (a public key
/// file's text or its 64 hexadecimal digits); an unsigned or tampered bundle is refused.
pub fn load_signed(json: &str, public_key: &str) -> Result<Vec<RuleSet>, Error> {
    let key = crate::signing::parse_public_key(public_key)?;
    let bundle = parse(json)?;
    crate::signing::verify_bundle(&bundle, &key)?;
    load_parsed(bundle)
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

/// Check every rule set's files against its hash, and load them.
pub fn load_parsed(bundle: Bundle) -> Result<Vec<RuleSet>, Error> {
    let mut out = Vec::with_capacity(bundle.rulesets.len());
    for entry in bundle.rulesets {
        let actual = hash_files(&entry.files);
        if actual != entry.hash {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                format!("rule set {:?} in the bundle does not match its hash: its files were changed after bundling", entry.id),
            ));
        }
        out.push(RuleSet::from_files(&entry.id, entry.files)?);
    }
    Ok(out)
}
