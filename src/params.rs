//! Dated parameters: named values, each with the date it takes effect. A lookup takes the
//! value in force on the as-of date, so a threshold that changed in 2017 decides old and
//! new cases alike. Values are typed and converted to script values once, at load.

use crate::{date, money, value};
use chrono::NaiveDate;
use rhai::Dynamic;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamType {
    Integer,
    Number,
    Money,
    Boolean,
    String,
    Date,
    /// A list of `item`s (bank holidays, priorities).
    List,
    /// Any nested table of numbers, strings and booleans.
    Table,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatedValue {
    /// The date this value takes effect (inclusive).
    #[serde(deserialize_with = "value::de_date_text")]
    pub from: String,
    pub value: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamSpec {
    #[serde(rename = "type")]
    pub kind: ParamType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<ParamType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub values: Vec<DatedValue>,
}

/// One parameter ready for lookup: values sorted by the date they take effect.
#[derive(Debug, Clone)]
pub struct Parameter {
    pub spec: ParamSpec,
    resolved: Vec<Resolved>,
}

/// One dated value: script form, and for date lists (bank holidays) a native copy, so
/// working-day arithmetic never copies the list into the script.
#[derive(Debug, Clone)]
struct Resolved {
    from: NaiveDate,
    value: Dynamic,
    dates: Vec<NaiveDate>,
}

#[derive(Debug, Clone, Default)]
pub struct Parameters {
    /// Sorted by name: found by binary search, and by position from compiled scripts
    /// (`index_of` at load, `lookup_at` when evaluating).
    by_name: Vec<(String, Parameter)>,
}

impl Parameters {
    /// Check and convert every value; problems come back as (parameter path, message).
    pub fn build(specs: BTreeMap<String, ParamSpec>) -> Result<Self, Vec<(String, String)>> {
        let mut problems = Vec::new();
        let mut by_name = Vec::new();
        for (name, spec) in specs {
            if !rhai::is_valid_identifier(&name) {
                problems.push((name.clone(), "a parameter name must be letters, digits and _".into()));
            }
            if spec.kind == ParamType::List && spec.item.is_none() {
                problems.push((name.clone(), "a list parameter needs `item` (the type of each element)".into()));
            }
            if spec.values.is_empty() {
                problems.push((name.clone(), "needs at least one value with the date it takes effect".into()));
            }
            let mut resolved = Vec::new();
            // Each entry's date, by where it is written, to name any two sharing one.
            let mut effective = Vec::new();
            for (i, dv) in spec.values.iter().enumerate() {
                let here = format!("{name}.values[{i}]");
                let from = match date::parse(&dv.from) {
                    Ok(d) => d,
                    Err(m) => {
                        problems.push((here, format!("`from` {m}")));
                        continue;
                    }
                };
                effective.push((from, i));
                match convert(spec.kind, spec.item, &dv.value) {
                    Ok(value) => {
                        let dates = match (spec.kind, spec.item, value.read_lock::<rhai::Array>()) {
                            (ParamType::List, Some(ParamType::Date), Some(list)) => {
                                // Sorted, for date::add_working_days's binary search.
                                let mut dates: Vec<NaiveDate> = list.iter().filter_map(|d| d.clone().try_cast::<NaiveDate>()).collect();
                                dates.sort_unstable();
                                dates
                            }
                            _ => Vec::new(),
                        };
                        resolved.push(Resolved { from, value, dates });
                    }
                    Err(m) => problems.push((here, m)),
                }
            }
            resolved.sort_by_key(|r| r.from);
            // Which would be in force from that date? Each later entry is named, at its line,
            // with the first of that date. (A search, not a sort: a parameter has a few values,
            // and a sort's code costs the WebAssembly module 3.5 KB.)
            for (k, &(on, j)) in effective.iter().enumerate() {
                if let Some(&(_, first)) = effective[..k].iter().find(|(d, _)| *d == on) {
                    problems.push((
                        format!("{name}.values[{j}]"),
                        format!("takes effect on {}, as values[{first}] does: two values of a parameter cannot take effect on the same date; change one's `from`, or remove one", date::format(on)),
                    ));
                }
            }
            // `specs` is a BTreeMap: names arrive sorted.
            by_name.push((name, Parameter { spec, resolved }));
        }
        if problems.is_empty() {
            Ok(Parameters { by_name })
        } else {
            Err(problems)
        }
    }

    pub fn contains(&self, name: &str) -> bool {
        self.index_of(name).is_some()
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.by_name.iter().map(|(k, _)| k.as_str())
    }

    pub fn specs(&self) -> impl Iterator<Item = (&str, &ParamSpec)> {
        self.by_name.iter().map(|(k, p)| (k.as_str(), &p.spec))
    }

    /// Where the parameter `name` is, for [`Parameters::lookup_at`].
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.by_name.binary_search_by(|(n, _)| n.as_str().cmp(name)).ok()
    }

    fn get(&self, name: &str) -> Result<&Parameter, String> {
        self.index_of(name).map(|i| &self.by_name[i].1).ok_or_else(|| format!("there is no parameter named {name:?}"))
    }

    /// The value in force on `on`, with the date it took effect.
    pub fn lookup(&self, name: &str, on: NaiveDate) -> Result<(&Dynamic, NaiveDate), String> {
        resolve(self.get(name)?, name, on).map(|r| (&r.value, r.from))
    }

    /// [`Parameters::lookup`] of the parameter at `index` (from `index_of`), named `name`.
    pub fn lookup_at(&self, index: usize, name: &str, on: NaiveDate) -> Result<(&Dynamic, NaiveDate), String> {
        match self.by_name.get(index) {
            Some((n, p)) if n == name => resolve(p, name, on).map(|r| (&r.value, r.from)),
            _ => self.lookup(name, on),
        }
    }

    /// A date-list parameter (bank holidays) in force on `on`, sorted, without copying.
    pub fn lookup_dates(&self, name: &str, on: NaiveDate) -> Result<(&[NaiveDate], NaiveDate), String> {
        let p = self.get(name)?;
        if !(p.spec.kind == ParamType::List && p.spec.item == Some(ParamType::Date)) {
            return Err(format!("parameter {name:?} is not a list of dates"));
        }
        resolve(p, name, on).map(|r| (r.dates.as_slice(), r.from))
    }
}

fn resolve<'p>(p: &'p Parameter, name: &str, on: NaiveDate) -> Result<&'p Resolved, String> {
    let idx = p.resolved.partition_point(|r| r.from <= on);
    idx.checked_sub(1).and_then(|i| p.resolved.get(i)).ok_or_else(|| {
        format!(
            "parameter {name:?} has no value in force on {} (its first value takes effect on {})",
            date::format(on),
            p.resolved.first().map(|r| date::format(r.from)).unwrap_or_default()
        )
    })
}

fn convert(kind: ParamType, item: Option<ParamType>, v: &Value) -> Result<Dynamic, String> {
    let number = |v: &Value| match v {
        Value::Number(n) => money::parse_decimal(&n.to_string()),
        Value::String(s) => money::parse_decimal(s),
        _ => None,
    };
    match kind {
        ParamType::Integer => v.as_i64().map(Dynamic::from_int).ok_or_else(|| format!("{v} is not a whole number")),
        ParamType::Number => number(v).map(Dynamic::from_decimal).ok_or_else(|| format!("{v} is not a number")),
        ParamType::Money => match number(v) {
            Some(d) if d.normalize().scale() <= 2 => Ok(Dynamic::from_decimal(d)),
            _ => Err(format!("{v} is not an amount in pounds and pence")),
        },
        ParamType::Boolean => v.as_bool().map(Dynamic::from_bool).ok_or_else(|| format!("{v} is not true or false")),
        ParamType::String => v.as_str().map(|s| Dynamic::from(s.to_string())).ok_or_else(|| format!("{v} is not text")),
        ParamType::Date => match v.as_str() {
            Some(s) => date::parse(s).map(Dynamic::from),
            None => Err(format!("{v} is not a date")),
        },
        ParamType::List => {
            let Value::Array(items) = v else {
                return Err(format!("{v} is not a list"));
            };
            let item = item.unwrap_or(ParamType::Table);
            let mut out = Vec::with_capacity(items.len());
            for x in items {
                out.push(convert(item, None, x)?);
            }
            // Dates sorted so scripts and working-day arithmetic see them in order.
            if item == ParamType::Date {
                out.sort_by_key(|d| d.clone().try_cast::<NaiveDate>());
            }
            Ok(Dynamic::from_array(out))
        }
        ParamType::Table => match v {
            Value::Object(_) => Ok(value::from_json(v)),
            _ => Err(format!("{v} is not a table ({{ name = value, … }})")),
        },
    }
}
