//! The manifest, `ruleset.toml`: who a rule set is, what it can decide, which input field
//! gives the as-of date, and the input schema.

use crate::schema::Field;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub id: String,
    pub title: String,
    pub version: String,
    pub owner: String,
    pub description: String,
    /// The date this version of the rules was published to take effect.
    #[serde(default, deserialize_with = "crate::value::de_opt_date_text", skip_serializing_if = "Option::is_none")]
    pub effective_from: Option<String>,
    /// Rules whose reasons are information, not a test the case can fail: a fact about the
    /// case, or one of several routes to an outcome (whether any route held is a rule of its
    /// own). Forms show them as notes, without ✓ or ✗; decisions are unchanged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub information_rules: Vec<String>,
    pub outcomes: Vec<Outcome>,
    pub as_of: AsOf,
    pub input: Vec<Field>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    pub id: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Where the as-of date comes from: an input date field, or failing that a date within a
/// year given by an integer field (a programme year, say). `--as-of` overrides both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AsOf {
    pub field: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year_field: Option<String>,
    /// `MM-DD` within `year_field`'s year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year_day: Option<String>,
}
