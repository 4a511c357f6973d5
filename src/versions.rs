//! The versions of one rule set an engine holds, and which of them decides a case.
//!
//! Policy staff publish a new version of a rule set with an `effective_from` date and keep
//! the old one beside it: a case is decided by the version in effect on its as-of date (the
//! latest whose `effective_from` is on or before it), so a case dated before the new
//! version took effect is still decided by the old one. A case dated before every version
//! is decided by the earliest (the oldest rules there are; the decision names its version).
//! A version without `effective_from` is in effect from the beginning.
//!
//! Every version validates input by its own schema; to choose one, the as-of date is read
//! from the input before that (the option, else the as-of field all versions share). When
//! it cannot be read, the latest version decides, and so reports what is wrong with it.

use crate::date;
use crate::decision::EvalOptions;
use crate::error::{Error, ErrorCode};
use crate::ruleset::{Input, RuleSet};
use chrono::NaiveDate;
use serde::Serialize;

/// One rule set's versions, earliest `effective_from` first; never empty.
#[derive(Debug)]
pub struct Versions(Vec<(Option<NaiveDate>, RuleSet)>);

/// A version, as lists show it.
#[derive(Debug, Clone, Serialize)]
pub struct VersionSummary {
    pub version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective_from: Option<String>,
    pub hash: String,
}

impl Versions {
    /// Versions of one rule set, as loaded together (a bundle, a folder of rule-set folders).
    /// Refused: two in effect from the same date (which would decide?), or versions that
    /// take the as-of date from different input fields (a case could not choose).
    pub fn new(rulesets: Vec<RuleSet>) -> Result<Versions, Error> {
        // In date order by insertion, not a sort: versions are few, and a sort's code would
        // cost the WebAssembly runtime module 3 KB.
        let mut all: Vec<(Option<NaiveDate>, RuleSet)> = Vec::with_capacity(rulesets.len());
        for rs in rulesets {
            let from = effective_from(&rs);
            let at = all.partition_point(|(f, _)| *f <= from);
            all.insert(at, (from, rs));
        }
        for pair in all.windows(2) {
            let ((a_from, a), (b_from, b)) = (&pair[0], &pair[1]);
            if a_from == b_from {
                let when = a.manifest.effective_from.as_deref().map_or("the beginning (no effective_from)".to_string(), |d| d.to_string());
                return Err(Error::new(
                    ErrorCode::RulesetError,
                    format!(
                        "rule set {:?} has two versions in effect from {when} ({} and {}): give each version its own effective_from in ruleset.toml",
                        a.id(),
                        a.manifest.version,
                        b.manifest.version
                    ),
                ));
            }
            if a.manifest.as_of != b.manifest.as_of {
                return Err(Error::new(
                    ErrorCode::RulesetError,
                    format!(
                        "versions {} and {} of rule set {:?} take the as-of date from different input fields ([as_of] in ruleset.toml): every version must read it from the same field, so that a case can be given to the version in effect on its date",
                        a.manifest.version,
                        b.manifest.version,
                        a.id()
                    ),
                ));
            }
        }
        if all.is_empty() {
            return Err(Error::new(ErrorCode::InvalidRequest, "no rule set to load"));
        }
        Ok(Versions(all))
    }

    pub fn one(rs: RuleSet) -> Versions {
        Versions(vec![(effective_from(&rs), rs)])
    }

    /// The version with the latest `effective_from`.
    pub fn latest(&self) -> &RuleSet {
        &self.0[self.0.len() - 1].1
    }

    /// The version in effect on `on`: the latest in effect by then, else the earliest.
    pub fn on(&self, on: NaiveDate) -> &RuleSet {
        let after = self.0.partition_point(|(from, _)| from.is_none_or(|f| f <= on));
        &self.0[after.saturating_sub(1)].1
    }

    /// The version that decides `input` (see the module above).
    pub fn for_case(&self, input: Input<'_>, opts: &EvalOptions) -> &RuleSet {
        if self.0.len() == 1 {
            return self.latest();
        }
        match as_of_hint(self.latest(), input, opts) {
            Some(on) => self.on(on),
            None => self.latest(),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &RuleSet> {
        self.0.iter().map(|(_, rs)| rs)
    }

    pub fn summaries(&self) -> Vec<VersionSummary> {
        self.iter()
            .map(|rs| VersionSummary { version: rs.manifest.version.clone(), effective_from: rs.manifest.effective_from.clone(), hash: rs.hash.clone() })
            .collect()
    }
}

/// `items` grouped by the id of the rule set each holds (`rs`), in the order ids are first
/// met: the versions of each rule set, as a load hands them to [`Versions::new`].
pub fn by_id<T>(items: Vec<T>, rs: impl Fn(&T) -> &RuleSet) -> Vec<Vec<T>> {
    let mut groups: Vec<Vec<T>> = Vec::new();
    for item in items {
        match groups.iter_mut().find(|g| rs(&g[0]).id() == rs(&item).id()) {
            Some(group) => group.push(item),
            None => groups.push(vec![item]),
        }
    }
    groups
}

/// A version's `effective_from` (checked to be a date when it loaded).
fn effective_from(rs: &RuleSet) -> Option<NaiveDate> {
    rs.manifest.effective_from.as_deref().and_then(|d| date::parse(d).ok())
}

/// A case's as-of date read before validation, as the rule set will read it: the option,
/// else the as-of field, else the year field on its day. `None` when it cannot be read.
fn as_of_hint(rs: &RuleSet, input: Input<'_>, opts: &EvalOptions) -> Option<NaiveDate> {
    if let Some(text) = &opts.as_of {
        return date::parse(text).ok();
    }
    let parsed;
    let input = match input {
        Input::Json(v) => v,
        Input::Text(t) => {
            parsed = serde_json::from_str::<serde_json::Value>(t).ok()?;
            &parsed
        }
    };
    let spec = &rs.manifest.as_of;
    if let Some(d) = input.get(&spec.field).and_then(|v| v.as_str()).and_then(|t| date::parse(t).ok()) {
        return Some(d);
    }
    let year = input.get(spec.year_field.as_ref()?)?.as_i64()?;
    date::parse(&format!("{year:04}-{}", spec.year_day.as_ref()?)).ok()
}
