//! Checks of a rule script made where rule files are read (`eligo check`, `eligo bundle`,
//! the playground), for mistakes Rhai would let load and then only show part way through an
//! evaluation, or never: calls no function answers, input fields the manifest does not
//! declare, comparisons of an input field that can only ever come out one way, a rule id
//! recorded twice, a rule without a message, an outcome that is not declared, and (from the
//! text) a block comment never closed and a date written bare (`2024-01-01`, a subtraction).
//! Each is a load problem at the line and column concerned.
//! The runtime module leaves these out: it loads bundles, checked when they were built.

use crate::manifest::Manifest;
use crate::schema::{EnumOption, Field, FieldType};
use crate::script::{new_engine, walk};
use rhai::{Position, AST};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

mod recorded;
mod written;

pub(crate) use written::unclosed_comment;
use written::{bare_dates, map_without_hash};

/// A mistake found in a script: worded for whoever writes the rules, and where it is.
pub struct Finding {
    pub message: String,
    pub pos: Position,
}

/// Every check here, over `ast` (compiled from `text`), for the rule set `manifest`
/// describes (None when it did not load: then only the checks that do not need it).
pub fn check(ast: &AST, text: &str, manifest: Option<&Manifest>) -> Vec<Finding> {
    let fields = manifest.map_or(&[][..], |m| &m.input[..]);
    let mut found = impossible_comparisons(ast, fields);
    found.extend(unknown_fields(ast, fields));
    found.extend(recorded::repeated_rules(ast));
    found.extend(recorded::arguments_given_nothing(ast, manifest));
    found.extend(unknown_calls(ast).iter().map(|c| Finding { message: unknown_call(c), pos: c.pos }));
    found.extend(bare_dates(ast, text));
    // A `switch` case written `"a" | "b" => …` is one expression under each value, and the
    // walk visits it once per value: one finding per place and message.
    let mut seen = Vec::new();
    found.retain(|f| {
        let key = (f.pos, f.message.clone());
        let new = !seen.contains(&key);
        seen.push(key);
        new
    });
    found
}

/// A name a function can have, as opposed to an operator's (`+`) or Rhai's internal ones.
fn is_identifier(name: &str) -> bool {
    name.starts_with(|c: char| c.is_alphabetic() || c == '_') && !name.contains('$')
}

/// A call no function answers: the name, the arguments it is given (not counting a method
/// call's value), and where.
struct UnknownCall {
    name: String,
    args: usize,
    /// Called as a method: `value.name(args)`.
    method: bool,
    /// The numbers of arguments functions by that name do take, called the same way.
    takes: Vec<usize>,
    /// A defined function with a similar name, when there is one.
    similar: Option<String>,
    pos: Position,
}

/// Rhai's own functions, which no library registers.
const KEYWORD_FUNCTIONS: &[&str] =
    &["print", "debug", "type_of", "eval", "Fn", "call", "curry", "is_shared", "is_def_var", "is_def_fn", "this", "global"];

thread_local! {
    // The rule library's functions (every engine has the same: `new_engine`), by name, with
    // the numbers of arguments each takes. Built once per thread, for `unknown_calls`.
    static LIBRARY_FUNCTIONS: Rc<HashMap<String, Vec<usize>>> = {
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (name, n) in new_engine().collect_fn_metadata(None, |f| Some((f.metadata.name.to_string(), f.metadata.num_params)), true) {
            by_name.entry(name).or_default().push(n);
        }
        Rc::new(by_name)
    };
}

/// Calls that fail whenever they run because no function by that name takes that many
/// arguments: not the script's, not the rule library's, not Rhai's. Rhai finds a function
/// only when it is called, so without this a misspelt or missing function loads and fails
/// in the middle of an evaluation. Left alone: operators, and calls whose name is also a
/// variable, a parameter, a map key or a property anywhere in the script (they may be
/// calls through a function pointer held there). Checked where rule files are read (it
/// needs the library's function list); a bundle is checked when it is built.
fn unknown_calls(ast: &AST) -> Vec<UnknownCall> {
    use rhai::{ASTNode, Expr, Stmt};
    let library = LIBRARY_FUNCTIONS.with(Rc::clone);
    let mut own: HashMap<String, Vec<usize>> = HashMap::new();
    let mut other_names: HashSet<String> = HashSet::new();
    for f in ast.iter_fn_def() {
        own.entry(f.name.to_string()).or_default().push(f.params.len());
        other_names.extend(f.params.iter().map(|p| p.to_string()));
    }
    let mut calls = Vec::new();
    walk(ast, &mut |path: &[ASTNode]| {
        match path.last() {
            Some(ASTNode::Expr(Expr::FnCall(call, pos))) | Some(ASTNode::Stmt(Stmt::FnCall(call, pos))) => {
                calls.push((call.name.clone(), call.args.len(), false, call.op_token.is_some(), *pos))
            }
            Some(ASTNode::Expr(Expr::MethodCall(call, pos))) => {
                calls.push((call.name.clone(), call.args.len(), true, call.op_token.is_some(), *pos))
            }
            Some(ASTNode::Stmt(Stmt::Var(var, ..))) => {
                other_names.insert(var.0.name.to_string());
            }
            Some(ASTNode::Stmt(Stmt::For(x, _))) => {
                other_names.insert(x.0.name.to_string());
                other_names.extend(x.1.as_ref().map(|c| c.name.to_string()));
            }
            Some(ASTNode::Expr(Expr::Map(x, _))) => other_names.extend(x.0.iter().map(|(k, _)| k.name.to_string())),
            Some(ASTNode::Expr(Expr::Property(x, _))) => {
                other_names.insert(x.2.to_string());
            }
            _ => {}
        }
        true
    });
    let mut unknown: Vec<UnknownCall> = Vec::new();
    for (name, args, method, operator, pos) in calls {
        let name = name.as_str();
        if operator || !is_identifier(name) || KEYWORD_FUNCTIONS.contains(&name) || other_names.contains(name) {
            continue;
        }
        // A method call passes its value first; a script function called as a method gets
        // it as `this` instead.
        let native = library.get(name).map_or(&[][..], Vec::as_slice);
        let script = own.get(name).map_or(&[][..], Vec::as_slice);
        let first = usize::from(method);
        if native.iter().chain(script).any(|n| *n == args + first) || (method && script.contains(&args)) {
            continue;
        }
        if unknown.iter().any(|u| u.name == name && u.args == args && u.method == method) {
            continue;
        }
        let mut takes: Vec<usize> = native.iter().chain(script).filter_map(|n| n.checked_sub(first)).collect();
        takes.sort_unstable();
        takes.dedup();
        let similar = match takes.is_empty() {
            true => similar_name(name, library.keys().chain(own.keys()).map(String::as_str)),
            false => None,
        };
        unknown.push(UnknownCall { name: name.to_string(), args, method, takes, similar, pos });
    }
    unknown
}

/// "; did you mean `input`?" for a variable `name` the script uses but never declares, when
/// one it does declare is close: `input`, `as_of`, and each name written after `let`,
/// `const` or `for` in `text`. Read from the text, as the script did not compile (a hint: a
/// `let` inside a comment counts too).
pub(crate) fn undefined_variable_hint(name: &str, text: &str) -> String {
    // A keyword misspelt (`esle`, `Let`) or another language's word (`elif`, `not`) is read
    // as a variable: say what rules write.
    if let Some(written) = written_as(name) {
        return format!("; did you mean `{written}`?");
    }
    let words: Vec<&str> = text.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|w| !w.is_empty()).collect();
    let declared = words.windows(2).filter(|w| matches!(w[0], "let" | "const" | "for")).map(|w| w[1]);
    let names: Vec<&str> = ["input", "as_of"].into_iter().chain(declared).collect();
    let hint = |s: String| match KEYWORDS.contains(&s.as_str()) {
        true => format!("; did you mean the keyword `{s}`?"),
        false => format!("; did you mean `{s}`?"),
    };
    // Keywords only for names of 3 letters or more: `n` is not a misspelt `in`.
    let keywords = KEYWORDS.into_iter().filter(|_| name.chars().count() >= 3);
    similar_name(name, names.into_iter().chain(keywords)).map(hint).unwrap_or_default()
}

/// The rule language's keywords, for a "did you mean" when one is misspelt.
const KEYWORDS: [&str; 20] = [
    "if", "else", "let", "const", "for", "in", "while", "loop", "do", "until", "switch", "return", "fn", "true",
    "false", "break", "continue", "throw", "try", "catch",
];

/// How rules write a word of another language (or a keyword written with a capital).
fn written_as(word: &str) -> Option<&'static str> {
    const OTHER: [(&str, &str); 10] = [
        ("and", "&&"),
        ("or", "||"),
        ("not", "!"),
        ("elif", "else if"),
        ("elsif", "else if"),
        ("elseif", "else if"),
        ("function", "fn"),
        ("def", "fn"),
        ("None", "()"),
        ("undefined", "()"),
    ];
    let lower = word.to_lowercase();
    OTHER.iter().find(|(w, _)| *w == word || *w == lower).map(|(_, fix)| *fix).or_else(|| {
        KEYWORDS.into_iter().find(|k| *k == lower && word != lower)
    })
}

/// A hint for a script that does not compile, from the words at the error's place: `and`,
/// `or` and `not` written as words (`if a and b {`: Rhai expects the `{` at `and`), `=<`
/// and `<>`, and a map written without its `#` (`{ small: 100 }`, read as a block). Read
/// from the text, as for [`undefined_variable_hint`].
pub(crate) fn parse_hint(e: &rhai::ParseErrorType, text: &str, pos: Position) -> String {
    if map_without_hash(text, pos) {
        return " (a map is written #{ name: value })".to_string();
    }
    if let rhai::ParseErrorType::VariableUndefined(name) = e {
        return undefined_variable_hint(name, text);
    }
    let (Some(line), Some(column)) = (pos.line(), pos.position()) else { return String::new() };
    let Some(line) = text.lines().nth(line - 1) else { return String::new() };
    let before: String = line.chars().take(column - 1).collect();
    let here: String = line.chars().skip(column - 1).collect();
    let word: String = here.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    let operator = if before.ends_with('<') && here.starts_with('>') {
        Some(("<>", "!="))
    } else if here.starts_with("=<") {
        Some(("=<", "<="))
    } else {
        match written_as(&word) {
            Some(fix) if matches!(fix, "&&" | "||" | "!") => Some((word.as_str(), fix)),
            _ => None,
        }
    };
    operator.map(|(w, fix)| format!(" (`{w}` is written `{fix}` in rules)")).unwrap_or_default()
}

/// The closest of `names` to `name` (at most two edits, or a third of its length), for a
/// "did you mean".
pub(crate) fn similar_name<'a>(name: &str, names: impl Iterator<Item = &'a str>) -> Option<String> {
    let limit = (name.chars().count() / 3).clamp(1, 2);
    names
        .filter(|n| is_identifier(n) && *n != name)
        .map(|n| (edit_distance(name, n), n))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, n)| n.to_string())
}

/// Edits between two names (insert, delete, change, or swap two neighbouring characters:
/// the usual typing slips), over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let change = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + change);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// A call no function answers, worded for whoever writes the rules (see `unknown_calls`).
fn unknown_call(c: &UnknownCall) -> String {
    let name = &c.name;
    let called = if c.method { format!("`….{name}(…)`") } else { format!("`{name}(…)`") };
    if c.takes.is_empty() {
        let what = if c.method { "method" } else { "function" };
        let hint = c.similar.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default();
        return format!("there is no {what} `{name}`: neither this script nor the rule library defines one, so {called} would fail whenever it ran{hint}");
    }
    let counts: Vec<String> = c.takes.iter().map(usize::to_string).collect();
    let takes = match counts.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    };
    let noun = if c.takes.last() == Some(&1) { "argument" } else { "arguments" };
    format!("{called} takes {takes} {noun}, not {}: this call would fail whenever it ran", c.args)
}

/// Comparisons of an input field that always come out the same way: with a literal of
/// another type (`input.consent == "true"` for a true/false field: Rhai compares values of
/// different types as unequal rather than stopping), or, for `==` and `!=`, an enum field
/// with text that is not one of its options (`input.fund == "people_powr"`); each worded
/// with what the field holds. The field is `input.fund`, `as_of`, or a variable set once
/// from a field and never changed, by assignment or by a method (`let fund = input.fund;`).
/// Only the top level is read: in a function's body `input` is whatever the caller passed.
fn impossible_comparisons(ast: &AST, fields: &[Field]) -> Vec<Finding> {
    use rhai::{ASTNode, Expr, Stmt};
    // Variables that stand for a field: declared once, from it, and never assigned again.
    let mut declared: HashMap<String, (usize, Option<String>)> = HashMap::new();
    let mut assigned: HashSet<String> = HashSet::new();
    walk_top_level(ast, &mut |path: &[ASTNode]| {
        match path.last() {
            Some(ASTNode::Stmt(Stmt::Var(var, ..))) => {
                let entry = declared.entry(var.0.name.to_string()).or_insert((0, None));
                entry.0 += 1;
                entry.1 = input_field(&var.1).map(str::to_string);
            }
            // A loop variable takes many values: never a field's stand-in.
            Some(ASTNode::Stmt(Stmt::For(x, _))) => {
                declared.entry(x.0.name.to_string()).or_insert((0, None)).0 += 2;
            }
            Some(ASTNode::Stmt(Stmt::Assignment(x))) => {
                if let Expr::Variable(v, ..) = &x.1.lhs {
                    assigned.insert(v.1.to_string());
                }
            }
            // A method may change its value in place (`fund.make_upper()`).
            Some(ASTNode::Expr(Expr::Dot(x, ..))) => {
                if let (Expr::Variable(v, ..), Expr::MethodCall(..)) = (&x.lhs, &x.rhs) {
                    assigned.insert(v.1.to_string());
                }
            }
            _ => {}
        }
        true
    });
    let alias = |name: &str| match declared.get(name) {
        Some((1, Some(field))) if !assigned.contains(name) => Some(field.clone()),
        _ => None,
    };
    let mut found = Vec::new();
    walk_top_level(ast, &mut |path: &[ASTNode]| {
        let Some(ASTNode::Expr(Expr::FnCall(call, pos))) = path.last() else { return true };
        let equality = matches!(call.name.as_str(), "==" | "!=");
        if call.op_token.is_none() || !(equality || matches!(call.name.as_str(), "<" | "<=" | ">" | ">=")) || call.args.len() != 2 {
            return true;
        }
        for (side, other) in [(&call.args[0], &call.args[1]), (&call.args[1], &call.args[0])] {
            let field = |name: &str| fields.iter().find(|f| f.name == name).map(|f| (f.kind, &f.options[..]));
            let (kind, options, shown) = match side {
                // The as-of date, unless the script declares a variable of that name.
                Expr::Variable(v, ..) if v.1 == "as_of" && !declared.contains_key("as_of") => {
                    (FieldType::Date, &[][..], "`as_of`".to_string())
                }
                Expr::Variable(v, ..) => match alias(v.1.as_str()).and_then(|f| Some((field(&f)?, f))) {
                    Some(((kind, options), f)) => (kind, options, format!("`{}` (input.{f})", v.1)),
                    None => continue,
                },
                e => match input_field(e).and_then(|f| Some((field(f)?, f))) {
                    Some(((kind, options), f)) => (kind, options, format!("`input.{f}`")),
                    None => continue,
                },
            };
            let literal = match other {
                Expr::StringConstant(s, _) => Literal::Text(s.as_str()),
                Expr::IntegerConstant(..) => Literal::Number,
                Expr::BoolConstant(b, _) => Literal::Bool(*b),
                _ => continue,
            };
            if let Some(message) = impossible(kind, options, &shown, literal, equality) {
                found.push(Finding { message, pos: *pos });
            }
        }
        true
    });
    found
}

/// Input fields the script reads by name that the manifest does not declare:
/// `input.name`, `input["name"]`, `"name" in input` and `input.contains("name")`. Every
/// declared field is in the input a script sees (an absent optional or hidden one as `()`),
/// so only a name declared nowhere fails ("Property not found") or is never there. Left
/// alone: names that are not literals, `input` inside a function (whatever was passed), and
/// a script that declares its own `input`. Not checked when the manifest did not load.
fn unknown_fields(ast: &AST, fields: &[Field]) -> Vec<Finding> {
    use rhai::{ASTNode, Expr, Stmt};
    if fields.is_empty() {
        return Vec::new();
    }
    let mut own_input = false;
    let mut named: Vec<(String, Position)> = Vec::new();
    walk_top_level(ast, &mut |path: &[ASTNode]| {
        match path.last() {
            Some(ASTNode::Stmt(Stmt::Var(var, ..))) if var.0.name == "input" => own_input = true,
            Some(ASTNode::Stmt(Stmt::For(x, _))) if x.0.name == "input" || x.1.as_ref().is_some_and(|c| c.name == "input") => {
                own_input = true
            }
            Some(ASTNode::Expr(e @ (Expr::Dot(..) | Expr::Index(..)))) => named.extend(field_read(e)),
            // `"name" in input` is `contains(input, "name")`.
            Some(ASTNode::Expr(Expr::FnCall(call, _))) | Some(ASTNode::Stmt(Stmt::FnCall(call, _))) => {
                if let (true, [Expr::Variable(v, ..), Expr::StringConstant(s, pos)]) = (call.name == "contains", &call.args[..]) {
                    if v.1 == "input" {
                        named.push((s.to_string(), *pos));
                    }
                }
            }
            _ => {}
        }
        true
    });
    if own_input {
        return Vec::new();
    }
    let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    named
        .into_iter()
        .filter(|(name, _)| !names.contains(&name.as_str()))
        .map(|(name, pos)| {
            let hint = similar_name(&name, names.iter().copied()).map(|s| format!(", did you mean `{s}`?")).unwrap_or_default();
            Finding { message: format!("unknown input field `{name}`: {} declares {}{hint}", crate::ruleset::MANIFEST_FILE, listed(&names)), pos }
        })
        .collect()
}

/// The field `input.name…`, `input["name"]…` or `input.contains("name")` reads, and where
/// its name is written.
fn field_read(e: &rhai::Expr) -> Option<(String, Position)> {
    use rhai::Expr;
    let (Expr::Dot(x, ..) | Expr::Index(x, ..)) = e else { return None };
    let Expr::Variable(v, ..) = &x.lhs else { return None };
    if v.1 != "input" {
        return None;
    }
    // The head of the chain after `input`: `input.a.b` is `input` then (`a` then `b`).
    let mut head = &x.rhs;
    while let Expr::Dot(y, ..) | Expr::Index(y, ..) = head {
        head = &y.lhs;
    }
    match (e, head) {
        (Expr::Dot(..), Expr::Property(p, pos)) => Some((p.2.to_string(), *pos)),
        (Expr::Dot(..), Expr::MethodCall(call, _)) if call.name == "contains" => match &call.args[..] {
            [Expr::StringConstant(s, pos)] => Some((s.to_string(), *pos)),
            _ => None,
        },
        (Expr::Index(..), Expr::StringConstant(s, pos)) => Some((s.to_string(), *pos)),
        _ => None,
    }
}

/// Names for a message: all of them up to a dozen, else the first dozen and how many more.
pub(crate) fn listed(names: &[&str]) -> String {
    const SHOWN: usize = 12;
    match names.len() {
        n if n > SHOWN => format!("{} and {} more", names[..SHOWN].join(", "), n - SHOWN),
        _ => names.join(", "),
    }
}

/// Walk the script's top level, not its functions' bodies (`script::walk` walks both).
pub(crate) fn walk_top_level(ast: &AST, visit: &mut dyn FnMut(&[rhai::ASTNode]) -> bool) {
    let mut path = Vec::new();
    for stmt in ast.statements() {
        if !stmt.walk(&mut path, visit) {
            return;
        }
    }
}

#[derive(Clone, Copy)]
enum Literal<'a> {
    Text(&'a str),
    Number,
    Bool(bool),
}

/// `input.<field>`: the field's name.
fn input_field(e: &rhai::Expr) -> Option<&str> {
    use rhai::Expr;
    let Expr::Dot(x, ..) = e else { return None };
    match (&x.lhs, &x.rhs) {
        (Expr::Variable(v, ..), Expr::Property(p, _)) if v.1 == "input" => Some(p.2.as_str()),
        _ => None,
    }
}

/// What is wrong with comparing a value of `kind` (an enum's with `options`; shown as
/// `shown`) with `literal`, if it can only come out one way.
fn impossible(kind: FieldType, options: &[EnumOption], shown: &str, literal: Literal, equality: bool) -> Option<String> {
    let holds = match kind {
        FieldType::Integer => "a whole number",
        FieldType::Number | FieldType::Money => "a number",
        FieldType::Boolean => "true or false",
        FieldType::String | FieldType::Enum => "text",
        FieldType::Date => "a date",
        FieldType::List => "a list",
        FieldType::Object => "an object",
    };
    let fits = matches!(
        (kind, literal),
        (FieldType::Integer | FieldType::Number | FieldType::Money, Literal::Number)
            | (FieldType::Boolean, Literal::Bool(_))
            | (FieldType::String | FieldType::Enum, Literal::Text(_))
    );
    let given = match literal {
        Literal::Text(s) => format!("the text {s:?}"),
        Literal::Number => "a number".to_string(),
        Literal::Bool(b) => format!("{b}"),
    };
    if !fits {
        // The likeliest slip with a date: comparing it with the text of one.
        let hint = match (kind, literal) {
            (FieldType::Date, Literal::Text(s)) => format!(" (for the date itself, write date({s:?}))"),
            _ => String::new(),
        };
        return Some(format!("{shown} is {holds}, never {given}, so this comparison always comes out the same way{hint}"));
    }
    match (kind, literal) {
        (FieldType::Enum, Literal::Text(s)) if equality && !options.iter().any(|o| o.value == s) => {
            let values: Vec<&str> = options.iter().map(|o| o.value.as_str()).collect();
            Some(format!("{shown} is never {s:?}: its options are {}, so this comparison always comes out the same way", values.join(", ")))
        }
        _ => None,
    }
}
