//! The input schema: declared in a rule set's manifest, rich enough to validate input and
//! to generate a form. Validation converts input to script values in the same pass, and
//! reports every problem together, each with its JSON path; nothing invalid reaches a script.

use crate::error::Issue;
use crate::{date, money, value};
use chrono::NaiveDate;
use rhai::{Dynamic, ImmutableString, Map};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

mod quick;
pub use quick::{read_valid, reads_directly};

/// Longest string accepted when a field sets no `max_length`, so public input stays bounded.
pub const DEFAULT_MAX_LENGTH: usize = 2_000;
/// Most list items accepted when a field sets no `max_items`.
pub const DEFAULT_MAX_ITEMS: usize = 1_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    Integer,
    Number,
    Money,
    Boolean,
    String,
    Enum,
    Date,
    List,
    Object,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumOption {
    pub value: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

/// Show a field only when a sibling field has one of some values; a hidden field is not required.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub field: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<Value>,
    #[serde(default, rename = "in", skip_serializing_if = "Vec::is_empty")]
    pub one_of: Vec<Value>,
}

impl Condition {
    fn holds(&self, sibling: Option<&Value>) -> bool {
        let v = sibling.unwrap_or(&Value::Null);
        self.equals.as_ref().is_some_and(|e| e == v) || self.one_of.iter().any(|e| e == v)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Empty for a list's `items`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(rename = "type")]
    pub kind: FieldType,
    #[serde(default = "default_required")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_items: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<usize>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<EnumOption>,
    /// A string field's (or a list's string items') usual values, for forms to offer as
    /// choices; unlike an enum's `options`, any other text is still accepted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<EnumOption>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Box<Field>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Field>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visible_when: Option<Condition>,
    /// Bounds parsed once at load, by `prepare`.
    #[serde(skip)]
    bounds: Bounds,
}

fn default_required() -> bool {
    true
}

#[derive(Debug, Clone, Default)]
struct Bounds {
    min: Option<Bound>,
    max: Option<Bound>,
}

#[derive(Debug, Clone)]
enum Bound {
    Num(Decimal),
    Date(NaiveDate),
}

impl Bound {
    fn show(&self, kind: FieldType) -> String {
        match (self, kind) {
            (Bound::Num(d), FieldType::Money) => money::format_money(*d),
            (Bound::Num(d), _) => d.normalize().to_string(),
            (Bound::Date(d), _) => date::format(*d),
        }
    }
}

/// Check a schema and parse its bounds; returns problems as (field path, message).
pub fn prepare(fields: &mut [Field], path: &str, problems: &mut Vec<(String, String)>) {
    let mut seen = std::collections::BTreeSet::new();
    let names: Vec<String> = fields.iter().map(|f| f.name.clone()).collect();
    for f in fields.iter_mut() {
        let here = format!("{path}.{}", f.name);
        if !rhai::is_valid_identifier(&f.name) {
            problems.push((here.clone(), format!("field name {:?} must be letters, digits and _ (used as input.{})", f.name, f.name)));
        }
        if !seen.insert(f.name.clone()) {
            problems.push((here.clone(), format!("field {:?} is declared twice", f.name)));
        }
        if let Some(c) = &f.visible_when {
            if !names.contains(&c.field) {
                problems.push((here.clone(), format!("visible_when names {:?}, which is not a field here", c.field)));
            }
            if c.equals.is_none() && c.one_of.is_empty() {
                problems.push((here.clone(), "visible_when needs `equals` or `in`".into()));
            }
        }
        prepare_one(f, &here, problems);
    }
}

fn prepare_one(f: &mut Field, here: &str, problems: &mut Vec<(String, String)>) {
    let parse_bound = |v: &Option<Value>, which: &str, problems: &mut Vec<(String, String)>| -> Option<Bound> {
        let v = v.as_ref()?;
        // The problem's path ends in the key, so it is shown at the key's line.
        let at = format!("{here}.{which}");
        let parsed = match f.kind {
            FieldType::Integer | FieldType::Number | FieldType::Money => bound_number(v).map(Bound::Num).ok_or_else(|| format!("`{which}` = {v} is not a number")),
            FieldType::Date => match v.as_str().map(date::parse) {
                Some(Ok(d)) => Ok(Bound::Date(d)),
                Some(Err(e)) => Err(format!("`{which}`: {e}")),
                None => Err(format!("`{which}` = {v} is not a date: write it as text, \"YYYY-MM-DD\"")),
            },
            _ => {
                problems.push((at, format!("`{which}` does not apply to a {:?} field", f.kind)));
                return None;
            }
        };
        match parsed {
            Ok(b) => Some(b),
            Err(why) => {
                problems.push((at, why));
                None
            }
        }
    };
    let min = parse_bound(&f.min, "min", problems);
    let max = parse_bound(&f.max, "max", problems);
    f.bounds = Bounds { min, max };
    match f.kind {
        FieldType::Enum if f.options.is_empty() => problems.push((here.into(), "an enum field needs `options`".into())),
        FieldType::List => match f.items.as_deref_mut() {
            None => problems.push((here.into(), "a list field needs `items`".into())),
            Some(items) => prepare_one(items, &format!("{here}[]"), problems),
        },
        FieldType::Object if f.fields.is_empty() => problems.push((here.into(), "an object field needs `fields`".into())),
        FieldType::Object => prepare(&mut f.fields, here, problems),
        _ => {}
    }
    if f.kind != FieldType::Enum && !f.options.is_empty() {
        problems.push((here.into(), "`options` only applies to enum fields".into()));
    }
    if f.kind != FieldType::String && !f.suggestions.is_empty() {
        problems.push((here.into(), "`suggestions` only applies to string fields (for an enum, use `options`)".into()));
    }
    // Suggestions decide nothing, so their finer checks are for authors (the CLI and the
    // playground): the runtime module loads only bundles, which `eligo bundle` checked.
    #[cfg(feature = "toml-files")]
    check_suggestions(f, here, problems);
    if let Some(d) = &f.default {
        let mut issues = Vec::new();
        let _ = convert(f, d, &At::Root, &mut issues);
        if !issues.is_empty() {
            problems.push((here.into(), format!("default {d} does not fit the field: {}", issues[0].message)));
        }
    }
}

/// Each suggestion is a value the field takes, listed once.
#[cfg(feature = "toml-files")]
fn check_suggestions(f: &Field, here: &str, problems: &mut Vec<(String, String)>) {
    let max = f.max_length.unwrap_or(DEFAULT_MAX_LENGTH);
    for (i, o) in f.suggestions.iter().enumerate() {
        if o.value.is_empty() || o.value.chars().count() > max {
            problems.push((here.into(), format!("suggestion {:?} must be 1 to {max} characters, as the field's values are", o.value)));
        }
        if f.suggestions[..i].iter().any(|p| p.value == o.value) {
            problems.push((here.into(), format!("suggestion {:?} is listed twice", o.value)));
        }
    }
}

fn bound_number(v: &Value) -> Option<Decimal> {
    match v {
        Value::Number(n) => money::parse_decimal(&n.to_string()),
        Value::String(s) => money::parse_decimal(s),
        _ => None,
    }
}

fn issue(at: &At, message: impl Into<String>) -> Issue {
    let path = at.pointer();
    Issue { path: if path.is_empty() { "/".into() } else { path }, message: message.into(), location: None }
}

/// Where a value sits in the input. Its JSON pointer is written only when a problem is
/// reported there, not for every field of every valid input.
enum At<'a> {
    Root,
    Key(&'a At<'a>, &'a str),
    Item(&'a At<'a>, usize),
}

impl At<'_> {
    fn pointer(&self) -> String {
        match self {
            At::Root => String::new(),
            At::Key(up, key) => format!("{}/{}", up.pointer(), value::pointer_segment(key)),
            At::Item(up, i) => format!("{}/{i}", up.pointer()),
        }
    }
}

/// Validate a whole input object and convert it to a script map. Every declared field is
/// present in the result (absent optional fields as `()`), so scripts can rely on them.
pub fn validate(fields: &[Field], input: &Value) -> Result<Map, Vec<Issue>> {
    validate_values(fields, input).map(|values| into_map(fields, values))
}

/// [`validate`], giving the values in the order of `fields` (absent ones `()`) rather than
/// as a map: compiled scripts that read `input` only field by field take them so.
pub fn validate_values(fields: &[Field], input: &Value) -> Result<Vec<Dynamic>, Vec<Issue>> {
    let mut issues = Vec::new();
    let values = match input {
        Value::Object(_) => validate_fields(fields, input, &At::Root, &mut issues),
        _ => {
            issues.push(issue(&At::Root, "the input must be a JSON object of field names and values"));
            Vec::new()
        }
    };
    if issues.is_empty() {
        Ok(values)
    } else {
        Err(issues)
    }
}

/// The map a script sees as `input`, from values in the order of `fields`.
pub fn into_map(fields: &[Field], values: Vec<Dynamic>) -> Map {
    let mut map = Map::new();
    for (f, v) in fields.iter().zip(values) {
        map.insert(f.name.as_str().into(), v);
    }
    map
}

fn validate_object(fields: &[Field], input: &Value, at: &At, issues: &mut Vec<Issue>) -> Map {
    into_map(fields, validate_fields(fields, input, at, issues))
}

/// Each field's value, in the order of `fields`.
fn validate_fields(fields: &[Field], input: &Value, at: &At, issues: &mut Vec<Issue>) -> Vec<Dynamic> {
    let Value::Object(obj) = input else {
        issues.push(issue(at, "must be an object"));
        return Vec::new();
    };
    let mut out = Vec::with_capacity(fields.len());
    let first = issues.len();
    let mut known = 0;
    for f in fields {
        let here = At::Key(at, &f.name);
        let visible = f.visible_when.as_ref().is_none_or(|c| c.holds(obj.get(&c.field)));
        let given = obj.get(&f.name);
        known += usize::from(given.is_some());
        let converted = match given {
            None | Some(Value::Null) => absent(f, visible, &here, issues),
            Some(v) => convert(f, v, &here, issues),
        };
        out.push(converted);
    }
    // Every key was a field (the usual case) unless fewer fields were found than keys; only
    // then is each key looked for, and those that are not fields reported first.
    if known < obj.len() {
        let unknown = obj
            .keys()
            .filter(|key| !fields.iter().any(|f| &f.name == *key))
            .map(|key| issue(&At::Key(at, key), "is not a field of this form"))
            .collect::<Vec<_>>();
        issues.splice(first..first, unknown);
    }
    out
}

/// A field given no value (or null): its default if it is shown, else `()`; a problem if it
/// is shown and required.
fn absent(f: &Field, visible: bool, at: &At, issues: &mut Vec<Issue>) -> Dynamic {
    match &f.default {
        Some(d) if visible => convert(f, d, at, issues),
        _ => {
            if f.required && visible {
                issues.push(issue(at, "is required"));
            }
            Dynamic::UNIT
        }
    }
}

fn convert(f: &Field, v: &Value, at: &At, issues: &mut Vec<Issue>) -> Dynamic {
    match (f.kind, v) {
        (FieldType::List, Value::Array(items)) => convert_list(f, items.len(), at, issues, |item, i, here, issues| {
            if items[i].is_null() {
                bad(issues, here, "must not be empty")
            } else {
                convert(item, &items[i], here, issues)
            }
        }),
        (FieldType::Object, _) => Dynamic::from_map(validate_object(&f.fields, v, at, issues)),
        _ => convert_leaf(f, leaf(v), at, issues),
    }
}

/// A JSON value as the checks of one value see it, whether it comes from a parsed `Value`
/// or straight from input text (`quick`): lists and objects are `Other` here.
#[derive(Clone, Copy)]
enum Leaf<'a> {
    Bool(bool),
    Str(&'a str),
    /// A number's own text (arbitrary_precision keeps it).
    Num(&'a str),
    Other,
}

fn leaf(v: &Value) -> Leaf<'_> {
    match v {
        Value::Bool(b) => Leaf::Bool(*b),
        Value::String(s) => Leaf::Str(s),
        Value::Number(n) => Leaf::Num(n.as_str()),
        _ => Leaf::Other,
    }
}

/// A list of `len` items, each converted by `item_at` (given the items' field, the index,
/// where the item sits and the issues), after the list's own bounds are checked.
fn convert_list(
    f: &Field,
    len: usize,
    at: &At,
    issues: &mut Vec<Issue>,
    mut item_at: impl FnMut(&Field, usize, &At, &mut Vec<Issue>) -> Dynamic,
) -> Dynamic {
    let max = f.max_items.unwrap_or(DEFAULT_MAX_ITEMS);
    if len > max {
        return bad(issues, at, format!("must have at most {max} items"));
    }
    if let Some(min) = f.min_items {
        if len < min {
            issues.push(issue(at, format!("must have at least {min} item{}", if min == 1 { "" } else { "s" })));
        }
    }
    let Some(item) = f.items.as_deref() else {
        return Dynamic::UNIT;
    };
    Dynamic::from_array((0..len).map(|i| item_at(item, i, &At::Item(at, i), issues)).collect())
}

fn convert_leaf(f: &Field, v: Leaf, at: &At, issues: &mut Vec<Issue>) -> Dynamic {
    match f.kind {
        FieldType::Boolean => match v {
            Leaf::Bool(b) => Dynamic::from_bool(b),
            _ => bad(issues, at, "must be true or false"),
        },
        FieldType::String => match v {
            Leaf::Str(s) => {
                let max = f.max_length.unwrap_or(DEFAULT_MAX_LENGTH);
                if s.chars().count() > max {
                    bad(issues, at, format!("must be at most {max} characters"))
                } else {
                    Dynamic::from(ImmutableString::from(s))
                }
            }
            _ => bad(issues, at, "must be text"),
        },
        FieldType::Enum => match v {
            // From the text, not a copy of the `String` (which the script's string would copy again).
            Leaf::Str(s) if f.options.iter().any(|o| o.value == s) => Dynamic::from(ImmutableString::from(s)),
            _ => {
                let allowed: Vec<&str> = f.options.iter().map(|o| o.value.as_str()).collect();
                bad(issues, at, format!("must be one of: {}", allowed.join(", ")))
            }
        },
        FieldType::Date => match v {
            Leaf::Str(s) => match date::parse(s) {
                Ok(d) => {
                    if let Some(m) = check_bounds(f, &Bound::Date(d)) {
                        bad(issues, at, m)
                    } else {
                        Dynamic::from(d)
                    }
                }
                Err(m) => bad(issues, at, m),
            },
            _ => bad(issues, at, "must be a date in the form YYYY-MM-DD"),
        },
        FieldType::Integer | FieldType::Number | FieldType::Money => convert_number(f, v, at, issues),
        FieldType::List => bad(issues, at, "must be a list"),
        // Only `quick` hands an object field here, and only to give up on it.
        FieldType::Object => bad(issues, at, "must be an object"),
    }
}

fn convert_number(f: &Field, v: Leaf, at: &At, issues: &mut Vec<Issue>) -> Dynamic {
    // The number as written (for a string, before `£` and commas are dropped), to quote.
    let (written, text) = match v {
        Leaf::Num(n) => (n, std::borrow::Cow::Borrowed(n)),
        Leaf::Str(s) if !s.trim().is_empty() => match money::plain_number(s) {
            Ok(t) => (s.trim(), t),
            Err(m) => return bad(issues, at, m),
        },
        _ => {
            let what = match f.kind {
                FieldType::Integer => "must be a whole number",
                FieldType::Money => "must be an amount of money in pounds, like 1250.50",
                _ => "must be a number",
            };
            return bad(issues, at, what);
        }
    };
    let Some(d) = money::parse_decimal(&text) else {
        return bad(issues, at, format!("{written:?} {}", money::number_problem(&text)));
    };
    if let Some(m) = check_bounds(f, &Bound::Num(d)) {
        return bad(issues, at, m);
    }
    match f.kind {
        FieldType::Integer => {
            if !d.fract().is_zero() {
                return bad(issues, at, "must be a whole number");
            }
            match i64::try_from(d.trunc()) {
                Ok(i) => Dynamic::from_int(i),
                Err(_) if d.is_sign_negative() => {
                    let min = money::group_thousands(&i64::MIN.unsigned_abs().to_string());
                    bad(issues, at, format!("{written:?} is too large a negative number: a whole number may be no less than -{min}"))
                }
                Err(_) => bad(issues, at, format!("{written:?} is too large: a whole number may be at most {}", money::group_thousands(&i64::MAX.to_string()))),
            }
        }
        FieldType::Money => {
            if d.normalize().scale() > 2 {
                return bad(issues, at, "must be in pounds and pence, with at most 2 decimal places");
            }
            Dynamic::from_decimal(d)
        }
        _ => Dynamic::from_decimal(d),
    }
}

/// Quote numbers in `issues` as the input's JSON `text` writes them. Parsed JSON keeps a
/// number's digits but writes its exponent its own way (`1E400` and `1e400` both become
/// `1e+400`), so a problem found in parsed input quotes a number the person never wrote;
/// each such issue's value is found in the text by its path, and its quote put back. Only
/// on the way out with problems, and each list or object on the way parsed once, however
/// many of its items have a problem.
#[cfg(feature = "toml-files")]
pub fn quote_numbers_as_written(text: &str, issues: &mut [Issue]) {
    let mut found = RawValues::default();
    for issue in issues {
        // Only an exponent is written differently, and parsed it always has a sign.
        if !(issue.message.contains("e+") || issue.message.contains("e-")) {
            continue;
        }
        let Some(raw) = found.at(text, &issue.path) else { continue };
        if !raw.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
            continue;
        }
        let Ok(parsed) = raw.parse::<serde_json::Number>() else { continue };
        let (parsed, raw) = (format!("{:?}", parsed.as_str()), format!("{raw:?}"));
        if parsed != raw {
            issue.message = issue.message.replacen(&parsed, &raw, 1);
        }
    }
}

/// The lists and objects of an input's text met so far, by their JSON pointer, each split
/// into its items' text as written.
#[cfg(feature = "toml-files")]
#[derive(Default)]
struct RawValues<'a> {
    containers: std::collections::HashMap<String, Container<'a>>,
}

#[cfg(feature = "toml-files")]
enum Container<'a> {
    /// For a key given twice, the last, as parsing keeps.
    Object(std::collections::HashMap<String, &'a serde_json::value::RawValue>),
    List(Vec<&'a serde_json::value::RawValue>),
}

#[cfg(feature = "toml-files")]
impl<'a> RawValues<'a> {
    /// The JSON text of the value at `pointer` (`/requested_amount`, `/sessions/0/hours`).
    fn at(&mut self, text: &'a str, pointer: &str) -> Option<&'a str> {
        let mut raw = text.trim();
        let mut here = String::new();
        for segment in pointer.strip_prefix('/').filter(|p| !p.is_empty())?.split('/') {
            let container = match self.containers.entry(here.clone()) {
                std::collections::hash_map::Entry::Occupied(c) => c.into_mut(),
                std::collections::hash_map::Entry::Vacant(v) => v.insert(match raw.as_bytes().first() {
                    Some(b'{') => Container::Object(serde_json::from_str(raw).ok()?),
                    Some(b'[') => Container::List(serde_json::from_str(raw).ok()?),
                    _ => return None,
                }),
            };
            let key = segment.replace("~1", "/").replace("~0", "~");
            raw = match container {
                Container::Object(members) => members.get(&key)?.get(),
                Container::List(items) => items.get(key.parse::<usize>().ok()?)?.get(),
            };
            here.push('/');
            here.push_str(segment);
        }
        Some(raw)
    }
}

fn check_bounds(f: &Field, x: &Bound) -> Option<String> {
    let below = |b: &Bound| match (x, b) {
        (Bound::Num(a), Bound::Num(m)) => a < m,
        (Bound::Date(a), Bound::Date(m)) => a < m,
        _ => false,
    };
    let above = |b: &Bound| match (x, b) {
        (Bound::Num(a), Bound::Num(m)) => a > m,
        (Bound::Date(a), Bound::Date(m)) => a > m,
        _ => false,
    };
    if let Some(min) = f.bounds.min.as_ref().filter(|m| below(m)) {
        if matches!(min, Bound::Num(d) if d.is_zero()) {
            return Some("must not be negative".into());
        }
        return Some(match min {
            Bound::Date(_) => format!("must be on or after {}", min.show(f.kind)),
            Bound::Num(_) => format!("must be at least {}", min.show(f.kind)),
        });
    }
    if let Some(max) = f.bounds.max.as_ref().filter(|m| above(m)) {
        return Some(match max {
            Bound::Date(_) => format!("must be on or before {}", max.show(f.kind)),
            Bound::Num(_) => format!("must be at most {}", max.show(f.kind)),
        });
    }
    None
}

fn bad(issues: &mut Vec<Issue>, at: &At, message: impl Into<String>) -> Dynamic {
    issues.push(issue(at, message));
    Dynamic::UNIT
}

/// The schema as JSON Schema (draft 2020-12), for other tools and form libraries.
pub fn json_schema(title: &str, fields: &[Field]) -> Value {
    let mut root = object_schema(fields);
    if let Value::Object(o) = &mut root {
        o.insert("$schema".into(), "https://json-schema.org/draft/2020-12/schema".into());
        o.insert("title".into(), title.into());
    }
    root
}

fn object_schema(fields: &[Field]) -> Value {
    let mut props = serde_json::Map::new();
    let mut required = Vec::new();
    for f in fields {
        props.insert(f.name.clone(), field_schema(f));
        if f.required && f.default.is_none() && f.visible_when.is_none() {
            required.push(Value::String(f.name.clone()));
        }
    }
    serde_json::json!({"type": "object", "properties": props, "required": required, "additionalProperties": false})
}

fn field_schema(f: &Field) -> Value {
    let mut s = match f.kind {
        FieldType::Integer => serde_json::json!({"type": "integer"}),
        FieldType::Number => serde_json::json!({"type": "number"}),
        FieldType::Money => serde_json::json!({"type": "number", "multipleOf": 0.01}),
        FieldType::Boolean => serde_json::json!({"type": "boolean"}),
        FieldType::String => serde_json::json!({"type": "string", "maxLength": f.max_length.unwrap_or(DEFAULT_MAX_LENGTH)}),
        FieldType::Date => serde_json::json!({"type": "string", "format": "date"}),
        FieldType::Enum => {
            let one_of: Vec<Value> =
                f.options.iter().map(|o| serde_json::json!({"const": o.value, "title": o.label})).collect();
            serde_json::json!({"type": "string", "oneOf": one_of})
        }
        FieldType::List => {
            let items = f.items.as_deref().map(field_schema).unwrap_or(Value::Bool(true));
            let mut s = serde_json::json!({"type": "array", "items": items, "maxItems": f.max_items.unwrap_or(DEFAULT_MAX_ITEMS)});
            if let (Some(n), Value::Object(o)) = (f.min_items, &mut s) {
                o.insert("minItems".into(), n.into());
            }
            s
        }
        FieldType::Object => object_schema(&f.fields),
    };
    if let Value::Object(o) = &mut s {
        let num_kind = matches!(f.kind, FieldType::Integer | FieldType::Number | FieldType::Money);
        let (lo, hi) = if num_kind { ("minimum", "maximum") } else { ("formatMinimum", "formatMaximum") };
        if let Some(m) = &f.min {
            o.insert(lo.into(), m.clone());
        }
        if let Some(m) = &f.max {
            o.insert(hi.into(), m.clone());
        }
        if let Some(l) = &f.label {
            o.insert("title".into(), l.clone().into());
        }
        if let Some(h) = &f.help {
            o.insert("description".into(), h.clone().into());
        }
        if let Some(d) = &f.default {
            o.insert("default".into(), d.clone());
        }
    }
    s
}
