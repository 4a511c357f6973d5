//! Reading a rule set's TOML files (`ruleset.toml`, `parameters.toml`, `tests/*.toml`) into
//! their types, from one of two forms of the same content:
//!
//! - the TOML text, through [`crate::toml_de`] (errors at a line and column). Needs the
//!   `toml-files` feature, on by default;
//! - the JSON form of that text that a bundle carries beside it (`eligo bundle` writes it
//!   with [`to_json`]), read with serde_json alone. The browser runtime module is built
//!   without `toml-files`, so it carries no TOML parser (about 45 KB gzip) and loads
//!   rule sets from bundles only.
//!
//! Both forms give the same values: the JSON form is what the TOML reader itself produces
//! for `serde_json::Value` (a bare date is toml's one-entry datetime table in both).

use serde::de::DeserializeOwned;
use std::collections::BTreeMap;

/// The JSON form of each of a rule set's TOML files, by file name, as JSON text. Text, read
/// into each type with `serde_json::from_str` as bundles and options are: reading types out
/// of a `serde_json::Value` instead added a `Value` deserializer per type and, with
/// `arbitrary_precision`, float formatting and parsing: 15.6 KB gzip of the runtime module.
pub type Parsed = BTreeMap<String, Box<serde_json::value::RawValue>>;

/// A file that could not be read into its type: why, and where when known (1-based line
/// and column; 0 when the form read has no lines, as a bundle's JSON form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

impl ReadError {
    fn unplaced(message: impl Into<String>) -> ReadError {
        ReadError { message: message.into(), line: 0, column: 0 }
    }
}

/// Which form of the files to read.
#[derive(Debug, Clone, Copy)]
pub enum Reader<'a> {
    /// The TOML text.
    Toml,
    /// A bundle's JSON form of the files.
    Json(&'a Parsed),
}

impl Reader<'_> {
    /// Read `file` (whose TOML text is `text`) as a `T`.
    pub fn read<T: DeserializeOwned>(self, file: &str, text: &str) -> Result<T, ReadError> {
        match self {
            Reader::Toml => from_toml(text),
            Reader::Json(parsed) => {
                let value = parsed.get(file).ok_or_else(|| {
                    ReadError::unplaced(format!("the bundle has no parsed form of {file}: rebuild it with `eligo bundle`"))
                })?;
                serde_json::from_str(value.get()).map_err(|e| {
                    // serde_json's line and column are within this one file's JSON: left out.
                    let message = e.to_string();
                    let place = format!(" at line {} column {}", e.line(), e.column());
                    let message = message.strip_suffix(&place).unwrap_or(&message);
                    ReadError::unplaced(format!("{message} (in the bundle's parsed form of {file})"))
                })
            }
        }
    }
}

#[cfg(feature = "toml-files")]
fn from_toml<T: DeserializeOwned>(text: &str) -> Result<T, ReadError> {
    crate::toml_de::from_str(text).map_err(|e| {
        let message = e.message().trim();
        // A syntax slip in the author's words, at the place to correct (crate::toml_errors).
        let explained = e.span().and_then(|s| crate::toml_errors::explain(text, message, s.start));
        let (message, at) = match explained {
            Some((m, at)) => (m, Some(at)),
            None => (message.to_string(), e.span().map(|s| s.start)),
        };
        let (line, column) = at.map(|at| crate::error::line_col(text, at)).unwrap_or((0, 0));
        ReadError { message, line, column }
    })
}

#[cfg(not(feature = "toml-files"))]
fn from_toml<T: DeserializeOwned>(_text: &str) -> Result<T, ReadError> {
    Err(ReadError::unplaced(
        "this build of the engine reads rule sets from bundles only (`eligo bundle`), not from TOML text",
    ))
}

/// The JSON form of a TOML file, as a bundle carries it.
#[cfg(feature = "toml-files")]
pub fn to_json(text: &str) -> Result<Box<serde_json::value::RawValue>, ReadError> {
    let value: serde_json::Value = from_toml(text)?;
    serde_json::value::to_raw_value(&value).map_err(|e| ReadError::unplaced(e.to_string()))
}

/// The JSON form of every TOML file in `files` (the other files, the script, are text).
#[cfg(feature = "toml-files")]
pub fn parse_all(files: &crate::ruleset::Files) -> Result<Parsed, (String, ReadError)> {
    files
        .iter()
        .filter(|(name, _)| name.ends_with(".toml"))
        .map(|(name, text)| to_json(text).map(|v| (name.clone(), v)).map_err(|e| (name.clone(), e)))
        .collect()
}
