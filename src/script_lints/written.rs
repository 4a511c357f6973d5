//! Slips in how a script is written that Rhai reads as something else without a word: a
//! block comment opened with `/*` and never closed (the rest of the script is the comment).
//! Each is reported at its place, where rule files are read.

use super::Finding;
use rhai::{Engine, Token};

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
