//! A plainly valid input read straight from its JSON text into field values, without
//! building a `serde_json::Value` first: a quarter of a small decision's time in
//! WebAssembly went to parsing the input into a tree of maps and strings and validating
//! the tree. Only the usual shape is read here (an object of known fields holding text,
//! numbers, true/false, null or lists of those); anything else, and any value that fails a
//! check, gives up, and the caller parses and validates as before, which words every
//! problem. The checks themselves are the ones `validate` makes (`convert_leaf`,
//! `convert_list`), so a value read here is the value `validate` gives; tests/input_text.rs
//! compares the two over every seed rule set's caseload.

use super::{absent, convert_leaf, convert_list, At, Field, FieldType, Leaf};
use rhai::Dynamic;

/// Whether `read_valid` can read inputs of `fields` at all: not with objects, which it
/// gives up on (space-funding's sessions), so a schema with them is not worth scanning.
/// Decided once, at load.
pub fn reads_directly(fields: &[Field]) -> bool {
    !fields.iter().any(|f| f.kind == FieldType::Object || f.items.as_ref().is_some_and(|i| i.kind == FieldType::Object))
}

/// The values of `fields` (in their order, absent ones `()`) from an input's JSON text, as
/// `validate_values` gives them; `None` when the text is not a plainly valid input.
pub fn read_valid(fields: &[Field], text: &str) -> Option<Vec<Dynamic>> {
    let given = scan_object(fields, text)?;
    let mut issues = Vec::new();
    let mut out = Vec::with_capacity(fields.len());
    for (f, g) in fields.iter().zip(&given) {
        let v = match g.as_ref().map(|g| &g.token) {
            None | Some(Token::Null) => {
                let visible = match &f.visible_when {
                    None => true,
                    Some(c) => {
                        let i = fields.iter().position(|s| s.name == c.field)?;
                        // The sibling as `validate` sees it: rare, so parsed from its text.
                        let sibling = given[i].as_ref().map(|g| serde_json::from_str(g.text)).transpose().ok()?;
                        c.holds(sibling.as_ref())
                    }
                };
                absent(f, visible, &At::Root, &mut issues)
            }
            Some(Token::Leaf(leaf)) => convert_leaf(f, *leaf, &At::Root, &mut issues),
            Some(Token::List(items)) if f.kind == FieldType::List => {
                convert_list(f, items.len(), &At::Root, &mut issues, |item, i, here, issues| convert_leaf(item, items[i], here, issues))
            }
            Some(Token::List(_)) => return None,
        };
        if !issues.is_empty() {
            return None;
        }
        out.push(v);
    }
    Some(out)
}

/// A field's value as written: its text (for a sibling a `visible_when` looks at) and what
/// it holds.
struct Given<'a> {
    text: &'a str,
    token: Token<'a>,
}

enum Token<'a> {
    Null,
    Leaf(Leaf<'a>),
    /// A list of text, numbers or true/false (no null, list or object in it).
    List(Vec<Leaf<'a>>),
}

/// The object's values by field; `None` if it is not an object of distinct known fields
/// with values `Token` can hold, followed by nothing but whitespace.
fn scan_object<'a>(fields: &[Field], text: &'a str) -> Option<Vec<Option<Given<'a>>>> {
    let mut s = Scan { text, at: 0 };
    let mut given: Vec<Option<Given>> = fields.iter().map(|_| None).collect();
    s.skip(b'{')?;
    if s.peek()? == b'}' {
        s.at += 1;
    } else {
        loop {
            let key = s.string()?;
            s.skip(b':')?;
            let i = fields.iter().position(|f| f.name == key)?;
            s.space();
            let start = s.at;
            let token = s.value()?;
            // A repeated key would leave `validate` the last value; rare enough to give up on.
            if given[i].replace(Given { text: &text[start..s.at], token }).is_some() {
                return None;
            }
            match s.peek()? {
                b',' => s.at += 1,
                b'}' => {
                    s.at += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    s.space();
    (s.at == text.len()).then_some(given)
}

/// A cursor over JSON text; every reader gives up (`None`) on what it does not take.
struct Scan<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Scan<'a> {
    fn space(&mut self) {
        let bytes = self.text.as_bytes();
        while matches!(bytes.get(self.at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// The next byte after whitespace, not taken.
    fn peek(&mut self) -> Option<u8> {
        self.space();
        self.text.as_bytes().get(self.at).copied()
    }

    fn skip(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// A string without escapes or control characters (which JSON does not allow raw).
    fn string(&mut self) -> Option<&'a str> {
        self.skip(b'"')?;
        let start = self.at;
        let end = start + crate::value::plain_prefix(&self.text.as_bytes()[start..]);
        self.at = end;
        self.word("\"", ())?;
        // Cut at ASCII quotes, so on character boundaries.
        Some(&self.text[start..end])
    }

    /// `token` if the text goes on with `word`.
    fn word<T>(&mut self, word: &str, token: T) -> Option<T> {
        self.text.as_bytes()[self.at..].starts_with(word.as_bytes()).then(|| {
            self.at += word.len();
            token
        })
    }

    fn value(&mut self) -> Option<Token<'a>> {
        if self.peek()? != b'[' {
            return self.scalar();
        }
        self.at += 1;
        let mut items = Vec::new();
        if self.peek()? == b']' {
            self.at += 1;
            return Some(Token::List(items));
        }
        loop {
            let Token::Leaf(item) = self.scalar()? else { return None };
            items.push(item);
            match self.peek()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Some(Token::List(items));
                }
                _ => return None,
            }
        }
    }

    fn scalar(&mut self) -> Option<Token<'a>> {
        match self.peek()? {
            b'"' => self.string().map(|s| Token::Leaf(Leaf::Str(s))),
            b'-' | b'0'..=b'9' => self.number().map(|n| Token::Leaf(Leaf::Num(n))),
            b't' => self.word("true", Token::Leaf(Leaf::Bool(true))),
            b'f' => self.word("false", Token::Leaf(Leaf::Bool(false))),
            b'n' => self.word("null", Token::Null),
            _ => None,
        }
    }

    /// A number as JSON writes it, without an exponent: `-?(0|[1-9][0-9]*)(\.[0-9]+)?`.
    fn number(&mut self) -> Option<&'a str> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        let digits = |at: usize| bytes[at..].iter().take_while(|b| b.is_ascii_digit()).count();
        let mut at = start + usize::from(bytes[start] == b'-');
        let whole = digits(at);
        if whole == 0 || (whole > 1 && bytes[at] == b'0') {
            return None;
        }
        at += whole;
        if bytes.get(at) == Some(&b'.') {
            let fraction = digits(at + 1);
            if fraction == 0 {
                return None;
            }
            at += 1 + fraction;
        }
        // An exponent, or a letter run on from the number, is left to serde_json.
        if bytes.get(at).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'.') {
            return None;
        }
        self.at = at;
        Some(&self.text[start..at])
    }
}
