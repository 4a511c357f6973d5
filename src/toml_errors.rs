//! TOML's syntax errors in a policy author's words, at the place to correct. toml says what
//! its parser expected (`unclosed table, expected `]``, `string values must be quoted,
//! expected literal string`), and where it noticed: for a header without its `]`, the end
//! of the line; for a list without its `]`, the next table. Here the kind of error is
//! taken from toml's message and the rest from the file's text at that place: the header,
//! the value, the key as written. Anything not recognised keeps toml's message and place.
//! Authoring only (feature `toml-files`): bundles carry their TOML already read.

use std::ops::Range;

/// A reworded message and the byte offset it is about, for toml's `message` at `at`; None
/// to keep toml's.
pub(crate) fn explain(text: &str, message: &str, at: usize) -> Option<(String, usize)> {
    let at = at.min(text.len());
    let line = line_around(text, at);
    let content_start = line.start + (text[line.clone()].len() - text[line.clone()].trim_start().len());
    let content = &text[content_start..line.end];
    let here = &text[at..line.end];
    if message.starts_with("unclosed table") || message.starts_with("unclosed array table") {
        let header = content.split('#').next().unwrap_or(content).trim_end();
        if header.starts_with("[[") && !header.ends_with("]]") && !header[2..].contains(|c: char| c == ' ' || c == '\t') {
            return Some((format!("the table header `{header}` is missing its closing `]]`"), content_start));
        }
        if !header.contains(']') {
            return Some((format!("the table header `{header}` is missing its closing `]`"), content_start));
        }
        if here.starts_with([' ', '\t']) {
            return Some((format!("the table header `{header}` has a space in its name: a name is one word (join words with `_`)"), at));
        }
        return None;
    }
    if message.starts_with("missing comma between array elements") && starts_line(text, at) && (here.starts_with('[') || is_key_line(here)) {
        // A table header or a key inside a list: the list above was never closed.
        let open = open_brackets(text, at).into_iter().rev().find(|&i| text[i..].starts_with('['))?;
        return Some(("this list is missing its closing `]`".to_string(), open));
    }
    if message.starts_with("key with no value") {
        if here.starts_with(']') && !content.starts_with('[') {
            let header = content.split('#').next().unwrap_or(content).trim_end();
            return Some((format!("the table header `{header}` is missing its opening `[`"), content_start));
        }
        return None;
    }
    None
}

/// The byte range of the line holding `at`, without its line break.
fn line_around(text: &str, at: usize) -> Range<usize> {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let end = if text[start..end].ends_with('\r') { end - 1 } else { end };
    start..end.max(at)
}

/// Whether only spaces come before `at` on its line.
fn starts_line(text: &str, at: usize) -> bool {
    text[..at].rsplit('\n').next().unwrap_or("").trim().is_empty()
}

/// `name = …` (a bare key and its `=`).
fn is_key_line(s: &str) -> bool {
    let key = s.split('=').next().unwrap_or("");
    s.contains('=') && !key.trim().is_empty() && key.trim().chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// The `[` and `{` still open at `until`, outside strings, comments and table headers.
fn open_brackets(text: &str, until: usize) -> Vec<usize> {
    let mut open = Vec::new();
    let mut chars = text[..until].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '#' => while chars.next_if(|(_, c)| *c != '\n').is_some() {},
            '"' | '\'' => {
                let multi = text[i..].starts_with(if c == '"' { "\"\"\"" } else { "'''" });
                let close = if multi { &text[i..i + 3] } else { &text[i..i + 1] };
                let from = i + close.len();
                let end = match c {
                    '"' if !multi => basic_string_end(text, from),
                    _ => text[from..].find(close).map(|j| from + j + close.len()),
                };
                let end = end.unwrap_or(text.len());
                while chars.next_if(|(j, _)| *j < end).is_some() {}
            }
            '[' if open.is_empty() && starts_line(text, i) => while chars.next_if(|(_, c)| *c != '\n').is_some() {},
            '[' | '{' => open.push(i),
            ']' | '}' => {
                open.pop();
            }
            _ => {}
        }
    }
    open
}

/// Where a `"…"` string that opened before `from` ends (after its closing quote), if on its line.
fn basic_string_end(text: &str, from: usize) -> Option<usize> {
    let mut escaped = false;
    for (j, c) in text[from..].char_indices() {
        match c {
            '\n' => return None,
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return Some(from + j + 1),
            _ => escaped = false,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::rulefile::Reader;

    /// Every slip of one character anywhere in a rule file gives an error or a value, never a
    /// panic: the rewording reads the text around toml's place, whatever is there.
    #[test]
    fn any_one_character_slip_is_read_without_a_panic() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/community-grant/parameters.toml")).unwrap();
        let text: String = text.lines().skip(5).take(16).collect::<Vec<_>>().join("\n");
        let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
        for &i in &cuts {
            for slip in ["", "]", "[", "\"", "'", "\u{201c}", ",", "=", "\n", "#", "\u{a3}", "{", "}", " ", ":"] {
                let next = text[i..].chars().next().map_or(i, |c| i + c.len_utf8());
                for changed in [format!("{}{slip}{}", &text[..i], &text[i..]), format!("{}{slip}{}", &text[..i], &text[next..])] {
                    let _ = Reader::Toml.read::<serde_json::Value>("parameters.toml", &changed);
                }
            }
        }
    }
}
