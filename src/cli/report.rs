//! Showing rule-set errors: rich source snippets on a terminal, or one plain line each.

use crate::error::{Error, Issue, Location};
use crate::ruleset::Files;
use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};
use std::io::IsTerminal;
use std::path::Path;

/// Where a problem is, for a person to open: the file's path under `dir` (the rule set's
/// folder as given) when known, else `<rule set id>/<file>`, with line and column (none for
/// a whole file, or one that is missing). The id alone cannot tell two versions' folders
/// apart, nor be opened in an editor.
fn place(loc: &Location, dir: Option<&Path>) -> String {
    match dir {
        Some(d) if !loc.file.is_empty() && loc.line > 0 => format!("{}:{}:{}", d.join(&loc.file).display(), loc.line, loc.column),
        Some(d) if !loc.file.is_empty() => d.join(&loc.file).display().to_string(),
        _ => loc.to_string(),
    }
}

/// Print a load error: each issue with its source line and a caret under the column; `dir`
/// is the rule set's folder, when the error is about one read from a folder.
pub fn show_error(err: &Error, files: &Files, plain: bool, dir: Option<&Path>) {
    let issues: Vec<Issue> = if err.issues.is_empty() {
        vec![Issue { path: String::new(), message: err.message.clone(), location: err.location.clone() }]
    } else {
        err.issues.clone()
    };
    if plain {
        for i in &issues {
            match &i.location {
                Some(loc) => println!("{}: error: {}", place(loc, dir), i.message),
                None => println!("{}: error: {}", i.path, i.message),
            }
        }
        return;
    }
    let mut db = SimpleFiles::new();
    let shown = |name: &str| dir.map_or_else(|| name.to_string(), |d| d.join(name).display().to_string());
    let ids: Vec<(String, usize)> = files.iter().map(|(name, text)| (name.clone(), db.add(shown(name), text.clone()))).collect();
    let color = if std::io::stdout().is_terminal() { termcolor::ColorChoice::Auto } else { termcolor::ColorChoice::Never };
    let mut out = termcolor::StandardStream::stdout(color);
    let config = term::Config::default();
    for i in &issues {
        let mut diag = Diagnostic::error().with_message(&i.message);
        if let Some(loc) = &i.location {
            let found = ids.iter().find(|(n, _)| *n == loc.file);
            match (found, files.get(&loc.file)) {
                (Some((_, id)), Some(text)) if loc.line > 0 => {
                    let start = offset(text, loc.line, loc.column);
                    // A place at a line's end (where something is missing): a caret after its
                    // last character, not a span running into the next line.
                    let end = match text[start..].starts_with(['\n', '\r']) {
                        true => start,
                        false => (start + 1).min(text.len()).max(start),
                    };
                    diag = diag.with_labels(vec![Label::primary(*id, start..end)]);
                }
                _ => diag = diag.with_notes(vec![format!("in {}", place(loc, dir))]),
            }
        }
        if term::emit(&mut out, &config, &db, &diag).is_err() {
            println!("error: {}", i.message);
        }
    }
}

/// Byte offset of a 1-based line and column.
fn offset(text: &str, line: usize, column: usize) -> usize {
    let mut at = 0;
    for (n, l) in text.split_inclusive('\n').enumerate() {
        if n + 1 == line {
            let col: usize = l.chars().take(column.saturating_sub(1)).map(char::len_utf8).sum();
            return at + col;
        }
        at += l.len();
    }
    text.len()
}
