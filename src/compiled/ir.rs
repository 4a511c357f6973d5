//! The compiled form: statements and expressions with names resolved at load.

use super::builtins::Builtin;
use rhai::{Dynamic, Identifier, ImmutableString};

pub(super) type Slot = u32;

pub(super) struct Function {
    /// Parameters occupy the first slots; `this` the slot after them.
    pub(super) params: usize,
    /// Slots in all: parameters, `this`, locals.
    pub(super) frame: usize,
    pub(super) body: Vec<Stmt>,
    /// Reads `this`: called other than as a method, it must give up (Rhai raises an error).
    pub(super) uses_this: bool,
}

pub(super) enum Stmt {
    Expr(Expr),
    /// The assignment of a whole variable.
    Set(Slot, Expr),
    /// `let`. The flag (decided by `wording`): only skipped wording reads the variable, so a
    /// brief decision skips it too.
    Let(Slot, Expr, bool),
    OpAssign(Slot, BinOp, Expr),
    If(Expr, Vec<Stmt>, Vec<Stmt>),
    Switch(Box<Switch>),
    For { var: Slot, counter: Option<Slot>, over: Expr, body: Vec<Stmt> },
    While(Expr, Vec<Stmt>),
    Break,
    Continue,
    Return(Option<Expr>),
    Block(Vec<Stmt>),
}

pub(super) struct Switch {
    pub(super) value: Expr,
    /// Each case's (condition, result) arms in order, by the hash of its value, as Rhai
    /// keeps them (the values themselves are not kept).
    pub(super) cases: std::collections::HashMap<u64, Vec<(Option<Expr>, Expr)>>,
    pub(super) default: Option<Expr>,
}

pub(super) enum Expr {
    Const(Dynamic),
    Local(Slot),
    /// The last read of a variable: its value moves out (see `moves`).
    Move(Slot),
    /// A property read through variables, without copying what holds it: `input.fund`.
    Path(Box<Place>),
    Index(Box<(Expr, Expr)>),
    Binary(BinOp, Box<(Expr, Expr)>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Coalesce(Vec<Expr>),
    Interpolated(Vec<Expr>),
    Array(Vec<Expr>),
    Map(Vec<(Identifier, Expr)>),
    /// A rule's `used` map of plain reads (constants, variables, properties): only a trace
    /// shows it, so without one it is not built, only its size checked as Rhai would.
    Used(Vec<(Identifier, Expr)>),
    Block(Vec<Stmt>),
    Call(Box<Call>),
    Script(Box<ScriptCall>),
}

/// A variable, or a property path below one, read or changed in place.
pub(super) struct Place {
    pub(super) root: Slot,
    pub(super) path: Vec<ImmutableString>,
}

/// A library function. With `receiver`, the first argument is that place, by reference
/// (a method call on a variable: `list.push(x)`, `input.priorities.len()`).
pub(super) struct Call {
    pub(super) f: Builtin,
    pub(super) receiver: Option<Place>,
    pub(super) args: Vec<Expr>,
    /// The first argument is a method's object (not a variable): evaluated after the
    /// others, as Rhai evaluates a method call's arguments before its object.
    pub(super) first_last: bool,
    /// For `rule(...)`: whether a brief decision needs its wording (see `wording`).
    pub(super) wording: Wording,
}

/// Whether a `rule(...)` call's arguments after `passed` (its message, and what it used)
/// must be evaluated when the decision is brief.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Wording {
    Needed,
    /// A rule with a message. `scope`: the slots below it were in scope at the call.
    /// `optional` (decided by `wording`): its message changes nothing the script could see
    /// afterwards, so a brief decision skips it.
    Rule { scope: Slot, optional: bool },
}

/// A script function; with `this`, called as a method on that variable.
pub(super) struct ScriptCall {
    pub(super) f: usize,
    pub(super) this: Option<Slot>,
    pub(super) args: Vec<Expr>,
    /// The first argument is a variable: read after the others, as Rhai reads it.
    pub(super) first_last: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}
