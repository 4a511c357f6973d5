//! Rhai's error messages in the rule language's words. Rhai names types as Rust spells
//! them (`i64`, `&str | ImmutableString | String`, `chrono::naive::date::NaiveDate`) and
//! functions as `rule (…)`; policy staff know strings, integers, decimals, dates, lists
//! and maps. Every script error a user sees, at load and during evaluation, passes through
//! here, so the rule language's type names live in one place.
//!
//! The messages are rebuilt from the error's parts (rhai's own type-name fields), not by
//! searching the text, so names and strings from the script are never rewritten.

use chrono::NaiveDate;
use rhai::{Dynamic, EvalAltResult, ParseErrorType};
use std::any::type_name as rust_name;

/// How rhai spells a string argument in a "function not found" signature.
const RHAI_STRING_ARG: &str = "&str | ImmutableString | String";

/// A type as the rule language names it, from any name rhai puts in an error: its short
/// names (`i64`, `decimal`, `array`, `Fn`, `Date`, registered via `register_type_with_name`)
/// and full Rust paths (a date that rhai does not map, ranges).
pub fn type_name(rhai: &str) -> String {
    let rhai = rhai.trim();
    let is = |names: &[&str]| names.contains(&rhai);
    let word = if is(&["i64", "INT", rust_name::<i64>()]) {
        "integer"
    } else if is(&[
        RHAI_STRING_ARG,
        "string",
        "String",
        "&str",
        "ImmutableString",
        rust_name::<rhai::ImmutableString>(),
        rust_name::<String>(),
        rust_name::<&str>(),
    ]) {
        "string"
    } else if is(&["decimal", "Decimal", rust_name::<rust_decimal::Decimal>()]) {
        "decimal"
    } else if is(&["bool", "boolean"]) {
        "bool"
    } else if is(&["array", "Array", rust_name::<rhai::Array>()]) {
        "list"
    } else if is(&["map", "Map", rust_name::<rhai::Map>()]) {
        "map"
    } else if is(&["Date", rust_name::<NaiveDate>()]) {
        "date"
    } else if is(&["Fn", "FnPtr", rust_name::<rhai::FnPtr>()]) {
        "function pointer"
    } else if is(&["char", "character"]) {
        "character"
    } else if is(&[
        "range",
        "range=",
        rust_name::<std::ops::Range<i64>>(),
        rust_name::<std::ops::RangeInclusive<i64>>(),
    ]) {
        "range"
    } else if rhai.contains("::") {
        // Any other Rust path: its last segment, without generics, in lower case.
        let bare = rhai.split('<').next().unwrap_or(rhai);
        return bare.rsplit("::").next().unwrap_or(bare).to_lowercase();
    } else {
        rhai
    };
    word.to_string()
}

/// `a date`, `an integer`, `()`: a type name to put in a sentence.
fn with_article(type_name: &str) -> String {
    match type_name {
        "()" => "()".to_string(),
        t if t.starts_with(['a', 'e', 'i', 'o', 'u']) => format!("an {t}"),
        t => format!("a {t}"),
    }
}

/// The message for an error raised while a script runs (the place is reported apart).
pub fn eval_message(e: &EvalAltResult) -> String {
    match e {
        EvalAltResult::ErrorFunctionNotFound(signature, _) => match call_signature(signature) {
            Some(call) => call,
            None => format!("Function not found: {signature}"),
        },
        EvalAltResult::ErrorMismatchDataType(expected, actual, _) => {
            mismatch("Data type incorrect", expected, actual)
        }
        EvalAltResult::ErrorMismatchOutputType(expected, actual, _) => {
            mismatch("Output type incorrect", expected, actual)
        }
        EvalAltResult::ErrorIndexingType(what, _) => indexing(what),
        EvalAltResult::ErrorDotExpr(what, _) => property(what),
        EvalAltResult::ErrorArrayBounds(len, index, _) => match len {
            0 => format!("List index {index} out of bounds: the list is empty"),
            1 => format!("List index {index} out of bounds: only 1 item in the list"),
            _ => format!("List index {index} out of bounds: only {len} items in the list"),
        },
        EvalAltResult::ErrorRuntime(v, _) => format!("the rules stopped: {}", thrown(v)),
        // rhai's own words name no types; drop the place it appends (reported apart).
        other => other
            .to_string()
            .split(" (line ")
            .next()
            .unwrap_or_default()
            .to_string(),
    }
}

/// The message for a script that does not compile. Where rule files are written (feature
/// `toml-files`), what is wrong and, where one thing would fix it, what to write
/// ([`plain`]). The runtime module keeps Rhai's words for those: it loads bundles, whose
/// scripts compiled when the bundle was built, and the wording costs it about 2 KB gzip.
pub fn parse_message(e: &ParseErrorType) -> String {
    #[cfg(feature = "toml-files")]
    if let Some(said) = plain::parse_message(e) {
        return said;
    }
    match e {
        ParseErrorType::MismatchedType(expected, actual) => {
            format!("Expecting {}, not {}", words(expected), described(actual))
        }
        ParseErrorType::MalformedIndexExpr(_)
        | ParseErrorType::MissingToken(..)
        | ParseErrorType::LiteralTooLarge(..)
        | ParseErrorType::DuplicatedProperty(_) => words(&e.to_string()),
        other => other.to_string(),
    }
}

/// Parse errors where Rhai's words are a parser's (`Open string is not terminated`,
/// `Possibly a typo of '=='?`), rebuilt from the error's parts.
#[cfg(feature = "toml-files")]
mod plain {
    use rhai::{LexError, ParseErrorType, Token};

    /// None: Rhai's words (through [`super::parse_message`]) are plain enough.
    pub(super) fn parse_message(e: &ParseErrorType) -> Option<String> {
        Some(match e {
            ParseErrorType::BadInput(lex) => lex_message(lex)?,
            ParseErrorType::MissingToken(token, what) => missing(token, what)?,
            // Raised where a value should start: `let x = 1 +` as the script's last line.
            ParseErrorType::UnexpectedEOF => "The script ends where a value should follow".into(),
            ParseErrorType::Reserved(s) => match s.as_str() {
                "#" => "'#' does not start a comment in rules: a comment starts with //".into(),
                "null" | "nil" => format!("'{s}' is not a value in rules: no value is written ()"),
                "var" => "'var' is not used in rules: a variable is declared with let".into(),
                s if !rhai::is_valid_identifier(s) => outside_text(s),
                _ => return None,
            },
            ParseErrorType::VariableExpected => {
                "Expecting a variable name here (a name cannot start with a digit, or be a word such as `if` or `fn`)".into()
            }
            ParseErrorType::WrongFnDefinition => {
                "A function (fn) is defined at the top level of the script, not inside a block or another function: is a '}' missing above it?".into()
            }
            ParseErrorType::FnMissingName => "Expecting the function's name after fn".into(),
            ParseErrorType::FnMissingParams(name) => {
                format!("Expecting '(' after fn {name}: a function's parameters are listed in brackets, () if none")
            }
            ParseErrorType::FnMissingBody(name) if !name.is_empty() => {
                format!("Expecting '{{' to start the body of function {name}")
            }
            ParseErrorType::AssignmentToInvalidLHS(s) if s.is_empty() => {
                "Only a variable, or an item or field of one, can be set with '='; to compare, write '=='".into()
            }
            // Rhai says "Break statement" for `continue` too.
            ParseErrorType::LoopBreak => "'break' and 'continue' can only be used inside a loop".into(),
            _ => return None,
        })
    }

    /// A mistake in the script's characters: a string, a symbol, a character Rhai has no use for.
    fn lex_message(e: &LexError) -> Option<String> {
        Some(match e {
            LexError::UnterminatedString => "This string has no closing quote".into(),
            // `'people_power'`: single quotes hold one character (Rhai's `char`).
            LexError::MalformedChar(s) => {
                format!("Text goes between double quotes: \"{s}\" (single quotes hold one character)")
            }
            LexError::MalformedEscapeSequence(s) => {
                format!("'{s}' is not an escape a string can hold: a backslash is written \\\\")
            }
            LexError::UnexpectedInput(s) => match s.as_str() {
                // Raised by the parser: a token where a value should start (`x <= ;`, `let x = let`).
                ")" | "]" | "}" => format!("'{s}' here closes nothing: is a value missing before it, or is it one too many?"),
                s if Token::lookup_symbol_from_syntax(s).is_some() => format!("Expecting a value here, not '{s}'"),
                // Raised by the tokenizer: a character that is no part of the language (`£`, `“`).
                s => outside_text(s),
            },
            LexError::ImproperSymbol(s, _) => match s.as_str() {
                // In a condition (`if a = b`), or after `&&`/`||`.
                "=" => "'=' sets a value: to compare two values, write '=='".into(),
                // Symbols of other languages: what this one writes.
                s => match [("===", "=="), ("!==", "!="), (":=", "="), ("<-", "<="), ("->", "=>")]
                    .iter()
                    .find(|(symbol, _)| *symbol == s)
                {
                    Some((_, fix)) => format!("'{s}' is not an operator in rules: did you mean '{fix}'?"),
                    // `print`, `debug`, `eval` (disabled in src/script.rs); `this` keeps rhai's words.
                    None if s != "this" && rhai::is_valid_identifier(s) => format!("'{s}' cannot be used in rules"),
                    None => return None,
                },
            },
            _ => return None,
        })
    }

    /// A character or symbol the rule language only has inside strings.
    fn outside_text(s: &str) -> String {
        match s {
            "\u{201c}" | "\u{201d}" | "\u{2018}" | "\u{2019}" => {
                format!("'{s}' is a curly quote: a string is written between straight quotes, \"like this\"")
            }
            _ => format!("'{s}' can only be written inside a string"),
        }
    }

    /// Rhai's `Expecting 'token' description`: the commonest in words that say where.
    fn missing(token: &str, what: &str) -> Option<String> {
        // `f(a b)`, `f(a;`: the call's name, from rhai's description.
        let call = |prefix: &str| what.strip_prefix(prefix).and_then(|n| n.strip_suffix('\''));
        if let Some(name) = call("to separate the arguments to function call '") {
            return Some(format!("Expecting ')' to close the call to {name}, or ',' before another argument"));
        }
        if let Some(name) = call("to close the arguments list of this function call '") {
            return Some(format!("Expecting ')' to close the call to {name}"));
        }
        Some(match (token, what) {
            // Placed at what follows the statement: often the next line's first word.
            (";", "to terminate this statement") => "Expecting ';' to end the statement before this".into(),
            // Raised only at the end of the script.
            ("}", "to terminate this block") => "The script ends with a block still open: expecting '}' to close it".into(),
            (")", "for a matching ( in this expression") => "Expecting ')' to close an earlier '('".into(),
            _ => return None,
        })
    }
}

/// `rule (&str | ImmutableString | String, bool, i64)` → `Function not found: rule(string,
/// bool, integer)`; operators as they are written (`decimal + bool`, `!date`).
fn call_signature(signature: &str) -> Option<String> {
    let (name, rest) = signature.split_once(" (")?;
    let args = rest.strip_suffix(')')?;
    let args: Vec<String> = if args.is_empty() {
        Vec::new()
    } else {
        args.split(", ").map(type_name).collect()
    };
    let is_operator = !name.starts_with(|c: char| c.is_alphanumeric() || c == '_');
    Some(match args.as_slice() {
        [a, b] if is_operator => format!("Operator not found: {a} {name} {b}"),
        [a] if is_operator => format!("Operator not found: {name}{a}"),
        // A lambda (`|x| …`) is compiled to a function named `anon$<hash>`.
        _ if name.starts_with("anon$") => {
            format!("Function not found: a lambda taking ({})", args.join(", "))
        }
        _ => format!("Function not found: {name}({})", args.join(", ")),
    })
}

fn mismatch(what: &str, expected: &str, actual: &str) -> String {
    match (type_name(actual), type_name(expected)) {
        (a, e) if a.is_empty() => format!("{what}, expecting {e}"),
        (a, e) if e.is_empty() => format!("{what}: {a}"),
        (a, e) => format!("{what}: {a} (expecting {e})"),
    }
}

/// `Date [i64]` (reading) or `Date [i64] = i64` (assigning): no indexer for that pair.
fn indexing(what: &str) -> String {
    let (target, rest) = what.split_once(" [").unwrap_or((what, ""));
    let (index, value) = rest.split_once(']').unwrap_or((rest, ""));
    let target = with_article(&type_name(target));
    let index = with_article(&type_name(index));
    if value.trim_start().starts_with('=') {
        format!("Cannot assign to an item of {target} indexed with {index}")
    } else {
        format!("Cannot index {target} with {index}")
    }
}

/// rhai's "a getter/setter is not registered" messages; other dot-expression errors as they are.
fn property(what: &str) -> String {
    const GETTER: (&str, &str) = (
        "Unknown property '",
        "' - a getter is not registered for type '",
    );
    const SETTER: (&str, &str) = (
        "No writable property '",
        "' - a setter is not registered for type '",
    );
    for ((start, middle), verb) in [
        (GETTER, "Unknown property"),
        (SETTER, "Cannot set property"),
    ] {
        let found = what
            .strip_prefix(start)
            .and_then(|rest| rest.split_once(middle));
        if let Some((prop, rest)) = found {
            // The setter message goes on "' to handle '<value type>'".
            let target = rest.split('\'').next().unwrap_or(rest);
            return format!("{verb} '{prop}' on {}", with_article(&type_name(target)));
        }
    }
    what.to_string()
}

/// A thrown value as text: dates as `YYYY-MM-DD` (rhai shows a date by its Rust type),
/// lists and maps as JSON so the dates inside them read the same way.
fn thrown(v: &Dynamic) -> String {
    if v.is_array() || v.is_map() {
        if let Ok(json) = crate::value::to_json(v) {
            return json.to_string();
        }
    }
    crate::script::item_text(v)
}

/// rhai's words for kinds of value in its parse errors, as the rule language says them.
fn words(text: &str) -> String {
    const PHRASES: [(&str, &str); 7] = [
        (
            "Array, string or bit-field expects numeric index",
            "A list or string expects an integer index",
        ),
        (
            "Array, string or bit-field expects integer index",
            "A list or string expects an integer index",
        ),
        (
            "Object map expects string index",
            "A map expects a string index",
        ),
        ("not a number", "not an integer"),
        (
            "Duplicated property for object map literal",
            "Duplicated property in map",
        ),
        ("object map literal", "map"),
        ("array literal", "list"),
    ];
    PHRASES
        .iter()
        .fold(text.to_string(), |t, (from, to)| t.replace(from, to))
}

/// The kind of value a literal is, from a parse error: rhai says `a number`, `an array`,
/// `an object map`, or a bare type name for other constants (`decimal`).
fn described(actual: &str) -> String {
    match actual {
        "a number" => "an integer".to_string(),
        "an array" => "a list".to_string(),
        "an object map" => "a map".to_string(),
        "a boolean" | "a character" | "a string" | "()" => actual.to_string(),
        other => with_article(&type_name(other)),
    }
}
