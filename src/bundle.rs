//! Bundles: every rule set's files in one JSON document, each with its sha256 content
//! hash, so a page loads one file and can check it carries the published rules.

use crate::error::{Error, ErrorCode};
use crate::ruleset::{hash_files, Files, RuleSet};
use serde::{Deserialize, Serialize};

pub const FORMAT: &str = "eligo-bundle/1";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    pub format: String,
    pub rulesets: Vec<BundledRuleSet>,
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
    }
}

/// Parse a bundle, check every hash, and load every rule set in it.
pub fn load(json: &str) -> Result<Vec<RuleSet>, Error> {
    let bundle: Bundle =
        serde_json::from_str(json).map_err(|e| Error::new(ErrorCode::InvalidRequest, format!("not a valid rule bundle: {e}")))?;
    if bundle.format != FORMAT {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!("bundle format {:?} is not supported (expected {FORMAT:?})", bundle.format),
        ));
    }
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
