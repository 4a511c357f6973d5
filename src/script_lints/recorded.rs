//! Checks of what a script records: a rule id recorded at two places one evaluation can
//! reach (two reasons under one id, and coverage counting them as one rule), a rule whose
//! message is empty or `()` (the README promises a plain-English reason for every rule),
//! and an outcome written in a branch (`outcome(if ok { "eligible" } else { "inelgible" })`)
//! that is not declared. A literal `outcome("…")` is checked where every build loads
//! (`ruleset.rs`); these are for authors, so only where rule files are read.

use super::{walk_top_level, Finding};
use crate::manifest::Manifest;
use crate::script::{function_alone, walk};
use rhai::{ASTNode, Expr, Position, Stmt, StmtBlock, AST};

/// A `rule("id", …)` call: its id, where, and the branches it lies in.
struct Site {
    id: String,
    pos: Position,
    branches: Vec<Branch>,
}

/// One arm of an `if` or `switch` a call lies in.
#[derive(PartialEq)]
struct Branch {
    /// The `if` or `switch` (its address: the same node is the same statement).
    node: usize,
    arm: usize,
    /// The arm ends by leaving (`return`, `throw`, `break`, `continue`): nothing after
    /// the `if` or `switch` runs once it has.
    leaves: bool,
}

/// Rule ids recorded at two places one evaluation surely reaches together: reported at the
/// second, naming the first's line. Two places are apart when they lie in different arms of
/// one `if` or `switch`, or when the first lies in an arm that ends by leaving; and a repeat
/// is reported only when one place lies in every arm the other does (`rule("a")` and, later,
/// `if c { rule("a") }`): in two separate `if`s (`if fund == "space"` … `if fund ==
/// "people_power"` …) the conditions may exclude each other, which is not known here. The top level
/// and each function body are looked at on their own: whether, and how often, a function
/// runs is not known here (a rule in a loop or a function called twice is one place).
pub fn repeated_rules(ast: &AST) -> Vec<Finding> {
    let mut found = Vec::new();
    let mut sites = Vec::new();
    walk_top_level(ast, &mut |path| {
        sites.extend(rule_site(path));
        true
    });
    report_repeats(&sites, &mut found);
    for f in ast.iter_fn_def() {
        let mut sites = Vec::new();
        walk(&function_alone(ast, f.name.as_str(), f.params.len()), &mut |path| {
            sites.extend(rule_site(path));
            true
        });
        report_repeats(&sites, &mut found);
    }
    found
}

fn report_repeats(sites: &[Site], found: &mut Vec<Finding>) {
    for (i, second) in sites.iter().enumerate() {
        let Some(first) = sites[..i].iter().find(|first| first.id == second.id && first.pos != second.pos && together(first, second)) else { continue };
        found.push(Finding {
            message: format!(
                "rule id {:?} is already used at line {}: an evaluation that reaches both would give two reasons under one id (and coverage would count them as one rule); give this rule its own id",
                second.id,
                first.pos.line().unwrap_or(0)
            ),
            pos: second.pos,
        });
    }
}

/// Whether an evaluation that reaches one of `first` and `second` surely reaches both, as
/// far as their branches tell (see `repeated_rules`).
fn together(first: &Site, second: &Site) -> bool {
    let within = |a: &Site, b: &Site| a.branches.iter().all(|x| b.branches.contains(x));
    !apart(first, second) && (within(first, second) || within(second, first))
}

/// Whether no evaluation reaches both `first` and `second` (see `repeated_rules`).
fn apart(first: &Site, second: &Site) -> bool {
    let other_arm = first.branches.iter().any(|a| second.branches.iter().any(|b| a.node == b.node && a.arm != b.arm));
    other_arm || first.branches.iter().any(|a| a.leaves && !second.branches.contains(a))
}

/// The rule call `path` ends at, when its id is a literal.
fn rule_site(path: &[ASTNode]) -> Option<Site> {
    let (Some(ASTNode::Expr(Expr::FnCall(call, pos))) | Some(ASTNode::Stmt(Stmt::FnCall(call, pos)))) = path.last() else { return None };
    let (true, Some(Expr::StringConstant(id, _))) = (call.name == "rule", call.args.first()) else { return None };
    let branches = path.windows(2).filter_map(|pair| branch(&pair[0], &pair[1])).collect();
    Some(Site { id: id.to_string(), pos: *pos, branches })
}

/// The arm of `parent` (an `if` or `switch`) that `child` is in; None for its condition,
/// or when `parent` is something else.
fn branch(parent: &ASTNode, child: &ASTNode) -> Option<Branch> {
    let node = match parent {
        ASTNode::Stmt(s) => std::ptr::from_ref::<Stmt>(s) as usize,
        _ => return None,
    };
    match (parent, child) {
        (ASTNode::Stmt(Stmt::If(flow, _)), ASTNode::Stmt(s)) => {
            let arms = [&flow.body, &flow.branch];
            let arm = arms.iter().position(|block| block.iter().any(|b| std::ptr::eq(b, *s)))?;
            Some(Branch { node, arm, leaves: ends_by_leaving(arms[arm].statements()) })
        }
        (ASTNode::Stmt(Stmt::Switch(x, _)), ASTNode::Expr(e)) => {
            let arm = x.1.expressions.iter().position(|case| std::ptr::eq(&case.rhs, *e))?;
            let leaves = match e {
                Expr::Stmt(block) => ends_by_leaving(block.statements()),
                _ => false,
            };
            Some(Branch { node, arm, leaves })
        }
        _ => None,
    }
}

fn ends_by_leaving(block: &[Stmt]) -> bool {
    matches!(block.last(), Some(Stmt::Return(..) | Stmt::BreakLoop(..)))
}

/// What an argument can come to, when written out: text, or `()` (written, or an `if`
/// without `else` whose condition is false).
enum Leaf<'a> {
    Text(&'a str, Position),
    Unit(Position),
    NoElse(Position),
}

/// The literal values `e` can come to: itself, or the last value of each arm of an `if` or
/// `switch` it is. Anything else (a variable, a call, an interpolated string) adds nothing.
fn leaves<'a>(e: &'a Expr, out: &mut Vec<Leaf<'a>>) {
    match e {
        Expr::StringConstant(s, pos) => out.push(Leaf::Text(s.as_str(), *pos)),
        Expr::Unit(pos) => out.push(Leaf::Unit(*pos)),
        Expr::Stmt(block) => block_leaves(block, out),
        _ => {}
    }
}

fn block_leaves<'a>(block: &'a StmtBlock, out: &mut Vec<Leaf<'a>>) {
    match block.statements().last() {
        Some(Stmt::Expr(e)) => leaves(e, out),
        Some(Stmt::Block(inner)) => block_leaves(inner, out),
        Some(Stmt::If(flow, pos)) => {
            block_leaves(&flow.body, out);
            match flow.branch.is_empty() {
                true => out.push(Leaf::NoElse(*pos)),
                false => block_leaves(&flow.branch, out),
            }
        }
        // A `switch` with no default case gives `()` when no case matches, but its cases
        // may cover every value, which is not known here: only the cases are looked at.
        Some(Stmt::Switch(x, _)) => x.1.expressions.iter().for_each(|case| leaves(&case.rhs, out)),
        _ => {}
    }
}

/// `rule(…)` given an empty message or `()` for one, and `outcome(…)` given an outcome
/// that is not declared or `()`, written in an `if` or `switch` (a plain literal outcome is
/// checked where every build loads). Function bodies too: whatever they are called with,
/// these literals are what they record.
pub fn arguments_given_nothing(ast: &AST, manifest: Option<&Manifest>) -> Vec<Finding> {
    let mut found = Vec::new();
    walk(ast, &mut |path| {
        let (Some(ASTNode::Expr(Expr::FnCall(call, _))) | Some(ASTNode::Stmt(Stmt::FnCall(call, _)))) = path.last() else { return true };
        match (call.name.as_str(), &call.args[..]) {
            // rule(id, passed, message[, used]) or rule(id, passed, if_passed, if_failed[, used]):
            // the third argument and the fourth (unless a map of values used) are messages.
            ("rule", [_, _, messages @ ..]) => {
                let mut out = Vec::new();
                messages.iter().take(2).for_each(|m| leaves(m, &mut out));
                found.extend(out.into_iter().filter_map(empty_message));
            }
            ("outcome", [e]) if !matches!(e, Expr::StringConstant(..)) => {
                let mut out = Vec::new();
                leaves(e, &mut out);
                found.extend(out.into_iter().filter_map(|leaf| undeclared_outcome(leaf, manifest)));
            }
            _ => {}
        }
        true
    });
    found
}

fn empty_message(leaf: Leaf) -> Option<Finding> {
    let (message, pos) = match leaf {
        Leaf::Text(s, pos) if s.trim().is_empty() => {
            (format!("a rule's message must say why it passed or failed: {s:?} would give this rule an empty reason"), pos)
        }
        Leaf::Text(..) => return None,
        Leaf::Unit(pos) => ("a rule's message must be text saying why it passed or failed, not (): this call would fail whenever it ran".to_string(), pos),
        Leaf::NoElse(pos) => (
            "this `if` has no `else`: when its condition is false the rule's message is (), not text, and the call would fail; give it an `else` with a message".to_string(),
            pos,
        ),
    };
    Some(Finding { message, pos })
}

fn undeclared_outcome(leaf: Leaf, manifest: Option<&Manifest>) -> Option<Finding> {
    match leaf {
        Leaf::Text(name, pos) => {
            let declared: Vec<&str> = manifest?.outcomes.iter().map(|o| o.id.as_str()).collect();
            if declared.contains(&name) {
                return None;
            }
            Some(Finding { message: crate::ruleset::unknown_outcome(name, &declared), pos })
        }
        Leaf::Unit(pos) => Some(Finding { message: "outcome(…) needs one of the declared outcomes, not (): this call would fail whenever it ran".into(), pos }),
        Leaf::NoElse(pos) => Some(Finding {
            message: "this `if` has no `else`: when its condition is false outcome(…) is given (), not an outcome, and the call would fail; give it an `else`".into(),
            pos,
        }),
    }
}
