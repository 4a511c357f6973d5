//! The one error contract every host sees (CLI, Rust API, wasm): a code, a plain-English
//! message, field issues for invalid input, and a source location for rule-set errors.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The input does not match the rule set's schema; nothing was evaluated.
    InvalidInput,
    /// No rule set with that id is loaded.
    UnknownRuleset,
    /// A rule file could not be loaded: syntax, schema, unknown parameter, bad test case.
    RulesetError,
    /// The script failed while deciding: a resource limit, a thrown error, a missing outcome.
    EvaluationError,
    /// The request itself is malformed (bad as-of date, bad bundle, bad options).
    InvalidRequest,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 5] =
        [ErrorCode::InvalidInput, ErrorCode::UnknownRuleset, ErrorCode::RulesetError, ErrorCode::EvaluationError, ErrorCode::InvalidRequest];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::UnknownRuleset => "unknown_ruleset",
            ErrorCode::RulesetError => "ruleset_error",
            ErrorCode::EvaluationError => "evaluation_error",
            ErrorCode::InvalidRequest => "invalid_request",
        }
    }
}

/// One problem: a JSON path into the input (`/activities/3/cost`), or a place in a rule file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    pub path: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// Where in a rule set's files a problem is. Line and column count from 1; 0 means unknown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    pub ruleset: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.ruleset, self.file)?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<Issue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// The wire form: `{"error": {...}}`, as the CLI prints it and wasm throws it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorEnvelope {
    pub error: Error,
}

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error { code, message: message.into(), issues: Vec::new(), location: None }
    }

    pub fn invalid_input(issues: Vec<Issue>) -> Self {
        let n = issues.len();
        let message = if n == 1 {
            "the input has 1 problem".to_string()
        } else {
            format!("the input has {n} problems")
        };
        Error { code: ErrorCode::InvalidInput, message, issues, location: None }
    }

    pub fn ruleset(location: Location, message: impl Into<String>) -> Self {
        Error { code: ErrorCode::RulesetError, message: message.into(), issues: Vec::new(), location: Some(location) }
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(&ErrorEnvelope { error: self.clone() })
            .unwrap_or_else(|_| format!("{{\"error\":{{\"code\":\"{}\"}}}}", self.code.as_str()))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = &self.location {
            write!(f, "{loc}: ")?;
        }
        write!(f, "{}", self.message)?;
        // One issue that is the error itself (a rule set with one problem) is not repeated.
        if let [only] = &self.issues[..] {
            if only.message == self.message && only.location == self.location {
                return Ok(());
            }
        }
        for issue in &self.issues {
            match &issue.location {
                Some(loc) => write!(f, "\n  {loc}: {}", issue.message)?,
                None => write!(f, "\n  {}: {}", issue.path, issue.message)?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Line and column (from 1) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map(|s| s.chars().count()).unwrap_or(0) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_issue_that_is_the_error_itself_is_shown_once() {
        let loc = Location { ruleset: "r".into(), file: "ruleset.toml".into(), line: 2, column: 1 };
        let issue = |m: &str| Issue { path: "r/ruleset.toml:2:1".into(), message: m.into(), location: Some(loc.clone()) };
        let mut e = Error::ruleset(loc.clone(), "unknown field `x`");
        e.issues = vec![issue("unknown field `x`")];
        assert_eq!(e.to_string(), "r/ruleset.toml:2:1: unknown field `x`");
        e.issues.push(issue("unknown field `y`"));
        assert_eq!(e.to_string().lines().count(), 3, "{e}");
    }
}
