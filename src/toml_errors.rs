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
    if let Some(found) = amount_with_commas(text, line.start, at) {
        return Some(found);
    }
    if message.starts_with("unclosed table") || message.starts_with("unclosed array table") {
        let header = content.split('#').next().unwrap_or(content).trim_end();
        if header.starts_with("[[") && !header.ends_with("]]") && !header[2..].contains([' ', '\t']) {
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
    if message.starts_with("string values must be quoted") {
        let value = value_at(text, at);
        let written = text[value.clone()].trim_end();
        if written.is_empty() {
            let key = key_before(text, line.start, at)?;
            return Some((format!("`{}` has no value after its `=`", &text[key.clone()]), key.start));
        }
        return Some((unquoted(written), at));
    }
    if message.starts_with("duplicate key") {
        return Some(duplicate(text, at, content));
    }
    if message.starts_with("key with no value") {
        if content.starts_with("//") {
            return Some(("a comment in a TOML file starts with `#`, not `//`".to_string(), content_start));
        }
        if here.starts_with(']') && !content.starts_with('[') {
            let header = content.split('#').next().unwrap_or(content).trim_end();
            return Some((format!("the table header `{header}` is missing its opening `[`"), content_start));
        }
        let key = content.get(..at.saturating_sub(content_start)).unwrap_or("").trim_end();
        if let Some(key) = here.starts_with(':').then_some(key).or_else(|| key.strip_suffix(':')) {
            return Some((format!("a key and its value are joined with `=`, not `:` (`{key} = …`)"), content_start));
        }
        if here.contains('=') {
            let written = content.split('=').next().unwrap_or(content).trim_end();
            return Some((format!("the key `{written}` has a space in it: a key is one word (join words with `_`)"), content_start));
        }
        return None;
    }
    if message.starts_with("invalid basic string") {
        // Placed at the line's end: the string to close starts at its opening quote.
        let open = unclosed_quote(text, line.start, at)?;
        return Some(("this text is missing its closing `\"`".to_string(), open));
    }
    // A date or number toml could not read as one (`01.04.2024`, `2022.1.1`).
    let token = token_around(text, at);
    let written = &text[token.clone()];
    if let Some(words) = date_written_otherwise(written) {
        return Some((words, token.start));
    }
    if message.starts_with("invalid float") || message.starts_with("unexpected leading zero") {
        return Some((format!("`{written}` is not a number: text goes in double quotes, \"{written}\""), token.start));
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

/// The offset just after the character at `i` of `s`.
fn after(s: &str, i: usize) -> usize {
    i + s[i..].chars().next().map_or(1, char::len_utf8)
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

/// The opening quote of the `"…"` string on the line from `start` that is not closed by `at`.
fn unclosed_quote(text: &str, start: usize, at: usize) -> Option<usize> {
    let mut i = start;
    while let Some(j) = text[i..at].find('"') {
        let open = i + j;
        match basic_string_end(text, open + 1) {
            Some(end) if end <= at => i = end,
            _ => return Some(open),
        }
    }
    None
}

/// The value written from `at`: to the line's end or its comment, or within a list or
/// inline table to the next `,`, `]` or `}`.
fn value_at(text: &str, at: usize) -> Range<usize> {
    let line = line_around(text, at);
    let inline = !open_brackets(text, at).is_empty();
    let stops: &[char] = if inline { &[',', ']', '}', '#'] } else { &['#'] };
    let end = text[at..line.end].find(stops).map_or(line.end, |i| at + i);
    at..end
}

/// The key of the `=` before `at` on the line from `start`.
fn key_before(text: &str, start: usize, at: usize) -> Option<Range<usize>> {
    let eq = start + text[start..at].rfind('=')?;
    let before = text[start..eq].trim_end();
    let key_start = before.rfind(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))).map_or(0, |i| after(before, i));
    (key_start < before.len()).then(|| start + key_start..start + before.len())
}

/// The word or number around `at`, as far as spaces and TOML's punctuation.
fn token_around(text: &str, at: usize) -> Range<usize> {
    let line = line_around(text, at);
    let stop = |c: char| c.is_whitespace() || matches!(c, '=' | ',' | '[' | ']' | '{' | '}' | '#');
    let start = text[line.start..at].rfind(stop).map_or(line.start, |i| line.start + after(&text[line.start..at], i));
    let end = text[at..line.end].find(stop).map_or(line.end, |i| at + i);
    start..end
}

/// A value written without quotes: what it was meant to be, and how to write it.
fn unquoted(written: &str) -> String {
    if written.starts_with(['\u{201c}', '\u{201d}', '\u{2018}', '\u{2019}']) {
        return "this text is in curly quotes: TOML needs straight ones, \"like this\"".to_string();
    }
    let first = written.split_whitespace().next().unwrap_or(written);
    if let Some(words) = date_written_otherwise(first) {
        return words;
    }
    if let Some(amount) = written.strip_prefix('£') {
        return format!("an amount is written as a plain number, without `£`: {}", amount.replace(',', ""));
    }
    format!("text goes in double quotes: \"{written}\"")
}

/// `01/04/2024`, `1.4.2024`, `01-04-2024`: a date as day, month and year, in TOML's
/// year-month-day (as the day and month it was read as, in case it was meant the other way
/// round). None for anything else.
fn date_written_otherwise(written: &str) -> Option<String> {
    let parts: Vec<&str> = written.split(['/', '.', '-']).collect();
    let [a, b, year] = parts[..] else { return None };
    let number = |s: &str, len: std::ops::RangeInclusive<usize>| len.contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit());
    if !(number(a, 1..=2) && number(b, 1..=2) && number(year, 4..=4)) {
        return None;
    }
    let (a, b): (u32, u32) = (a.parse().ok()?, b.parse().ok()?);
    // Day first, as written in the UK, unless that cannot be a date.
    let (day, month) = if b <= 12 { (a, b) } else { (b, a) };
    const MONTHS: [&str; 12] =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    let name = MONTHS.get(month.checked_sub(1)? as usize)?;
    Some(format!(
        "a date is written year-month-day, without quotes: {year}-{month:02}-{day:02} for {day} {name} {year}, not {written}"
    ))
}

/// `3,000` or `£3,000.50` after an `=` before `at` on the line from `start`: toml reads the
/// comma as the end of the value and fails further on.
fn amount_with_commas(text: &str, start: usize, at: usize) -> Option<(String, usize)> {
    let line = line_around(text, at);
    let mut from = start;
    while let Some(i) = text[from..line.end].find('=') {
        let value_start = from + i + 1;
        let rest = &text[value_start..line.end];
        let value_start = value_start + (rest.len() - rest.trim_start().len());
        let written = text[value_start..line.end].split(|c: char| c.is_whitespace() || matches!(c, '}' | ']' | '#')).next().unwrap_or("");
        let written = written.trim_end_matches(',');
        let digits = written.trim_start_matches('£');
        let (whole, _pence) = digits.split_once('.').unwrap_or((digits, ""));
        let mut groups = whole.split(',');
        let first = groups.next().unwrap_or("");
        let grouped = whole.contains(',')
            && (1..=3).contains(&first.len())
            && first.chars().all(|c| c.is_ascii_digit())
            && groups.all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()));
        if grouped && value_start <= at {
            return Some((format!("an amount is written without commas: {}", digits.replace(',', "")), value_start));
        }
        from = value_start.max(from + i + 1);
    }
    None
}

/// A key or table given twice: which, and the line it was first given at.
fn duplicate(text: &str, at: usize, content: &str) -> (String, usize) {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let header = content.split('#').next().unwrap_or(content).trim_end();
    if header.starts_with('[') {
        let first = text[..line_start].lines().position(|l| l.split('#').next().unwrap_or(l).trim() == header);
        let said = match first {
            Some(n) => format!("the table `{header}` is already defined at line {}: each table once", n + 1),
            None => format!("the table `{header}` is defined twice"),
        };
        return (said, at);
    }
    let key = &text[token_around(text, at)];
    // An earlier line of the same table setting it (back to the table's header).
    let mut first = None;
    for (n, l) in text[..line_start].lines().enumerate().collect::<Vec<_>>().into_iter().rev() {
        let l = l.trim_start();
        if l.starts_with('[') {
            break;
        }
        if l.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with('=')) {
            first = Some(n + 1);
            break;
        }
    }
    let said = match first {
        Some(n) => format!("`{key}` is already set at line {n}: a key is set once in each table"),
        None => format!("`{key}` is set twice in this table"),
    };
    (said, at)
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
