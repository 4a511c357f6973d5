//! Conversions between script values (Rhai `Dynamic`) and JSON, shared by inputs,
//! parameters and decisions. Dates travel as `YYYY-MM-DD`, decimals as exact number text.

use crate::money;
use chrono::NaiveDate;
use rhai::{Array, Dynamic, Map};
use serde_json::Value;

/// Rhai's `as_int()`, `as_decimal()` and `as_bool()` work out the value's type name when it
/// is not one (for their error), wasted where types are tried in turn; these look first.
pub fn int_of(d: &Dynamic) -> Option<i64> {
    d.is_int().then(|| d.as_int().ok()).flatten()
}

pub fn decimal_of(d: &Dynamic) -> Option<rust_decimal::Decimal> {
    d.is_decimal().then(|| d.as_decimal().ok()).flatten()
}

pub fn bool_of(d: &Dynamic) -> Option<bool> {
    d.is_bool().then(|| d.as_bool().ok()).flatten()
}

/// A script value as JSON. Fails on values a decision cannot carry (functions, custom types).
pub fn to_json(d: &Dynamic) -> Result<Value, String> {
    if d.is_unit() {
        return Ok(Value::Null);
    }
    // Read in place: a clone here would copy whole lists and maps once per type tried.
    if let Some(b) = bool_of(d) {
        return Ok(Value::Bool(b));
    }
    if let Some(i) = int_of(d) {
        return Ok(Value::from(i));
    }
    if let Some(x) = decimal_of(d) {
        return Ok(money::decimal_to_json(x));
    }
    // `as_str().to_owned()`, not `to_string()`, which goes through `Display` and its padding.
    if let Some(s) = d.read_lock::<rhai::ImmutableString>() {
        return Ok(Value::String(s.as_str().to_owned()));
    }
    if let Some(date) = d.read_lock::<NaiveDate>() {
        return Ok(Value::String(crate::date::format(*date)));
    }
    if d.is_array() {
        let arr = d.read_lock::<Array>().ok_or("unreadable list")?;
        let mut out = Vec::with_capacity(arr.len());
        for v in arr.iter() {
            out.push(to_json(v)?);
        }
        return Ok(Value::Array(out));
    }
    if d.is_map() {
        let map = d.read_lock::<Map>().ok_or("unreadable map")?;
        let mut out = serde_json::Map::new();
        for (k, v) in map.iter() {
            out.insert(k.as_str().to_owned(), to_json(v)?);
        }
        return Ok(Value::Object(out));
    }
    Err(not_json(d))
}

/// Why `d` cannot be part of a decision (a function, a custom type).
fn not_json(d: &Dynamic) -> String {
    format!("a value of type {} cannot be part of a decision", crate::script_errors::type_name(d.type_name()))
}

/// `d` written as JSON text: exactly what serializing `to_json(d)` writes (decimals as
/// their exact text, dates as `YYYY-MM-DD`, map keys in order), without building the
/// `Value`. Fails as `to_json` does. Two writers for two forms, kept in step by
/// tests/decision_json.rs: `to_json` for `Decision` and traces, this for decision text.
pub fn write_json(out: &mut Vec<u8>, d: &Dynamic) -> Result<(), String> {
    if d.is_unit() {
        out.extend_from_slice(b"null");
    } else if let Some(b) = bool_of(d) {
        out.extend_from_slice(if b { b"true" } else { b"false" });
    } else if let Some(i) = int_of(d) {
        write_serialized(out, &i);
    } else if let Some(x) = decimal_of(d) {
        // Decimal text is always a JSON number (no exponent, no leading zeros but one).
        money::write_decimal(out, x);
    } else if let Some(s) = d.read_lock::<rhai::ImmutableString>() {
        write_str(out, &s);
    } else if let Some(date) = d.read_lock::<NaiveDate>() {
        write_str(out, &crate::date::format(*date));
    } else if d.is_array() {
        let arr = d.read_lock::<Array>().ok_or("unreadable list")?;
        out.push(b'[');
        for (i, v) in arr.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_json(out, v)?;
        }
        out.push(b']');
    } else if d.is_map() {
        let map = d.read_lock::<Map>().ok_or("unreadable map")?;
        out.push(b'{');
        for (i, (k, v)) in map.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_str(out, k);
            out.push(b':');
            write_json(out, v)?;
        }
        out.push(b'}');
    } else {
        return Err(not_json(d));
    }
    Ok(())
}

/// `s` as a JSON string, escaped as serde_json escapes it (short forms for `\n`, `\t` and
/// the like, `\u00xx` for other control characters; tests/properties.rs holds the two to
/// the same bytes for any text, tests/decision_json.rs for whole decisions). Plain runs
/// are found eight bytes at a time and copied whole: serde_json looks every byte up in a
/// table, which was a tenth of a decision's instructions.
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    out.reserve(s.len() + 2);
    out.push(b'"');
    let mut rest = s.as_bytes();
    loop {
        let plain = plain_prefix(rest);
        out.extend_from_slice(&rest[..plain]);
        let Some(&b) = rest.get(plain) else { break };
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.extend_from_slice(&[HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]]);
            }
        }
        rest = &rest[plain + 1..];
    }
    out.push(b'"');
}

/// How many leading bytes of `bytes` a JSON string carries as they are: all but `"`, `\`
/// and control characters (so also where an unescaped string in JSON text ends). Eight at
/// a time by word arithmetic: a byte below 0x20, or equal to `"` or `\` (zero after an
/// XOR), sets its high bit in the test word.
pub(crate) fn plain_prefix(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |w: u64| w.wrapping_sub(ONES) & !w & HIGH;
    let mut plain = 0;
    for chunk in bytes.chunks_exact(8) {
        let w = u64::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7]]);
        let below_space = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
        if below_space | zero_byte(w ^ (ONES * u64::from(b'"'))) | zero_byte(w ^ (ONES * u64::from(b'\\'))) != 0 {
            break;
        }
        plain += 8;
    }
    plain + bytes[plain..].iter().take_while(|&&b| b >= 0x20 && b != b'"' && b != b'\\').count()
}

/// Plain data serialized onto the end of `out`.
pub fn write_serialized<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) {
    // Writing plain data with string keys into a Vec cannot fail.
    let _ = serde_json::to_writer(out, v);
}

/// Untyped JSON → script value: whole numbers become integers, other numbers exact
/// decimals. Used for parameters of type `table` and for test expectations.
pub fn from_json(v: &Value) -> Dynamic {
    match v {
        Value::Null => Dynamic::UNIT,
        Value::Bool(b) => Dynamic::from_bool(*b),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Dynamic::from_int(i)
            } else {
                money::parse_decimal(&n.to_string()).map(Dynamic::from_decimal).unwrap_or(Dynamic::UNIT)
            }
        }
        Value::String(s) => Dynamic::from(s.clone()),
        Value::Array(a) => Dynamic::from_array(a.iter().map(from_json).collect()),
        Value::Object(o) => {
            let mut m = Map::new();
            for (k, v) in o {
                m.insert(k.as_str().into(), from_json(v));
            }
            Dynamic::from_map(m)
        }
    }
}

/// TOML dates arrive through serde as `{"$__toml_private_datetime": "..."}`; turn them
/// into plain strings so policy staff may write dates quoted or not.
pub fn fix_toml_dates(v: &mut Value) {
    match v {
        Value::Object(o) => {
            if o.len() == 1 {
                if let Some(Value::String(s)) = o.get("$__toml_private_datetime") {
                    *v = Value::String(s.clone());
                    return;
                }
            }
            o.values_mut().for_each(fix_toml_dates);
        }
        Value::Array(a) => a.iter_mut().for_each(fix_toml_dates),
        _ => {}
    }
}

/// JSON Pointer escaping for one path segment.
pub fn pointer_segment(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

#[derive(serde::Deserialize)]
#[serde(untagged)]
enum DateText {
    Text(String),
    Toml(TomlDate),
}

/// A bare TOML date as serde sees it (toml's datetime marker table), read without toml,
/// so a bundle's parsed form reads the same in a build without the TOML parser.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlDate {
    #[serde(rename = "$__toml_private_datetime")]
    text: String,
}

/// A date written quoted (`"2017-05-01"`) or as a bare TOML date (`2017-05-01`).
pub fn de_date_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match <DateText as serde::Deserialize>::deserialize(d)? {
        DateText::Text(s) => s,
        DateText::Toml(t) => t.text,
    })
}

pub fn de_opt_date_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    de_date_text(d).map(Some)
}
