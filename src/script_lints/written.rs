//! Slips in how a script is written that Rhai reads as something else without a word: a
//! block comment opened with `/*` and never closed (the rest of the script is the comment),
//! and a date written bare, `2024-01-01` (a subtraction). Each is reported at its place,
//! where rule files are read. And a map written without its `#`, which Rhai does refuse,
//! but in words about a block: for that, a hint added to its parse error.

use super::Finding;
use crate::script::walk;
use rhai::{ASTNode, Engine, Expr, Position, Token, AST};

/// A `/*` never closed with `*/`: Rhai reads everything after it as the comment and says
/// nothing, so the rules after it vanish ("the script names no rules", or no error at all).
/// Found with Rhai's own tokenizer, so a `/*` inside a string or after `//` opens nothing,
/// and comments nest as Rhai nests them (`/* a /* b */` is still open).
pub(crate) fn unclosed_comment(text: &str) -> Option<Finding> {
    let engine = Engine::new_raw();
    let inputs = [text];
    let (mut tokens, control) = engine.lex(&inputs);
    tokens.state.include_comments = true;
    // In a string written between backticks, `${` starts code and its `}` goes back to the
    // text: the parser tells the tokenizer so, and here the braces do. For each `${` still
    // open, how many braces were open before it.
    let mut braces = 0usize;
    let mut interpolations: Vec<usize> = Vec::new();
    // Not a `for`: the tokenizer's state is read between tokens.
    #[allow(clippy::while_let_on_iterator)]
    while let Some((token, pos)) = tokens.next() {
        match token {
            Token::EOF => return None,
            Token::Comment(c) if c.starts_with("/*") && tokens.state.comment_level > 0 => {
                let message = "this comment, opened with /*, is never closed with */: everything after it is ignored".to_string();
                return Some(Finding { message, pos });
            }
            Token::InterpolatedString(_) => interpolations.push(braces),
            Token::LeftBrace | Token::MapStart => braces += 1,
            Token::RightBrace => {
                braces = braces.saturating_sub(1);
                if interpolations.last() == Some(&braces) {
                    interpolations.pop();
                    control.borrow_mut().is_within_text = true;
                }
            }
            _ => {}
        }
    }
    None
}

/// Dates written bare, as in TOML files (`input.on < 2024-01-01`, `let start = 2022-04-01;`):
/// Rhai reads them as whole numbers taken away (2024 − 1 − 1), so the script loads and then
/// compares a date with 2022, or stops. Found from the text at each whole-number literal: a
/// 4-digit year, `-`, a month 01–12, `-`, a day 01–31, with no spaces and nothing more of a
/// number after it (`2024-1-1` and `2024 - 01 - 01` are left alone).
pub(crate) fn bare_dates(ast: &AST, text: &str) -> Vec<Finding> {
    let mut found = Vec::new();
    walk(ast, &mut |path: &[ASTNode]| {
        if let Some(ASTNode::Expr(Expr::IntegerConstant(year, pos))) = path.last() {
            if let Some(date) = date_at(text, *pos).filter(|d| d.0 == *year) {
                found.push(bare_date(date, *pos));
            }
        }
        true
    });
    // The walk takes the top level before the functions: in the order written.
    found.sort_by_key(|f| f.pos);
    found
}

/// The date written at `pos` in `text`, `yyyy-mm-dd` as (year, month, day), if one is.
fn date_at(text: &str, pos: Position) -> Option<(i64, u32, u32)> {
    let (line, column) = (pos.line()?, pos.position()?);
    let here: Vec<char> = text.lines().nth(line - 1)?.chars().skip(column - 1).take(11).collect();
    let digits = |from: usize, to: usize| -> Option<u32> {
        let part = here.get(from..to)?;
        part.iter().all(char::is_ascii_digit).then(|| part.iter().fold(0, |n, c| n * 10 + c.to_digit(10).unwrap_or(0)))
    };
    let more = here.get(10).is_some_and(|c| c.is_alphanumeric() || *c == '_');
    if here.get(4) != Some(&'-') || here.get(7) != Some(&'-') || more {
        return None;
    }
    let (year, month, day) = (digits(0, 4)?, digits(5, 7)?, digits(8, 10)?);
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some((i64::from(year), month, day))
}

fn bare_date((year, month, day): (i64, u32, u32), pos: Position) -> Finding {
    let written = format!("{year:04}-{month:02}-{day:02}");
    let message = format!("{written} is read as a sum ({year} \u{2212} {month} \u{2212} {day}): write a date as date(\"{written}\")");
    Finding { message, pos }
}

/// Whether a parse error at `pos` is at the first `name: value` of a map written without
/// its `#` (`let caps = { small: 100, large: 500 };`). Rhai reads the `{` as a block, so
/// the error is at `small` ("Undefined variable: small") or, when the script has a variable
/// of that name or the name is quoted, at the `:`. The `{` must stand where a value goes
/// (after `=`, `(`, `[`, `,`, `:`, `=>`, `|` or `return`): a `switch`'s `{ "a": …` is
/// another slip. Read from the text, as the script did not compile.
pub(super) fn map_without_hash(text: &str, pos: Position) -> bool {
    let (Some(line), Some(column)) = (pos.line(), pos.position()) else { return false };
    let Some(current) = text.lines().nth(line - 1) else { return false };
    let here: String = current.chars().skip(column - 1).collect();
    let mut before: String = text.lines().take(line - 1).flat_map(|l| l.chars().chain(['\n'])).collect();
    before.extend(current.chars().take(column - 1));
    let is_name = |c: char| c.is_alphanumeric() || c == '_';
    let colon = |s: &str| s.starts_with(':') && !s.starts_with("::");
    let opening = if colon(&here) {
        // At the `:`: before it, the name, or the quoted name.
        let key_end = before.trim_end();
        match key_end.strip_suffix('"') {
            Some(quoted) => quoted.rfind('"').map_or("", |at| &quoted[..at]),
            None if key_end.ends_with(is_name) => key_end.trim_end_matches(is_name),
            None => return false,
        }
    } else {
        // At the name: after it (or after its closing quote), the `:`.
        let after = match here.strip_prefix('"') {
            Some(quoted) => quoted.find('"').map_or("", |at| &quoted[at + 1..]),
            None if here.starts_with(is_name) => here.trim_start_matches(is_name),
            None => return false,
        };
        if !colon(after.trim_start()) {
            return false;
        }
        before.as_str()
    };
    let Some(value_place) = opening.trim_end().strip_suffix('{').map(str::trim_end) else { return false };
    let after_return = value_place.strip_suffix("return").is_some_and(|b| !b.ends_with(is_name));
    after_return || value_place.ends_with(['=', '(', '[', ',', ':', '>', '|'])
}
