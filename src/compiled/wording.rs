//! Which reasons a brief decision need not word.
//!
//! A brief decision (`EvalOptions::brief`) keeps each rule's id and whether it passed, not
//! its message. Wording a message (money and dates written out, lists joined, names looked
//! up) is most of an evaluation's work, so a brief evaluation skips the arguments of
//! `rule(...)` after `passed` wherever skipping them cannot change what the script goes on
//! to do: they assign no variable from outside themselves, record nothing (no `rule`,
//! `value`, `outcome`, `reject_input` or `throw`, directly or in a script function they
//! call), change no `this` of the caller's, and do not `return`, `break` or `continue`.
//! Anywhere else the message is evaluated as usual and then dropped. What a skipped message
//! could still have done is fail (a script error in the wording itself), and that is the
//! documented difference between a brief decision and a full one.

use super::builtins::Builtin;
use super::ir::{Call, Expr, Function, Slot, Stmt, Wording};
use super::Program;

/// What calling a script function could change outside it.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct Reach {
    /// Called with no `this`, or with a `this` the message made: records something.
    plain: bool,
    /// Called as a method on one of the caller's variables: records something or changes it.
    method: bool,
}

/// Decide every `rule(...)` call's `Wording`.
pub(super) fn mark(program: &mut Program) {
    // What each function can change, to a fixed point (functions may call each other).
    let mut reach = vec![Reach::default(); program.functions.len()];
    loop {
        let next: Vec<Reach> = program
            .functions
            .iter()
            .map(|f| {
                let this = f.params as Slot;
                Reach {
                    plain: !Quiet { outer: &|_| false, reach: &reach, in_function: true }.stmts(&f.body),
                    method: !Quiet { outer: &|s| s == this, reach: &reach, in_function: true }.stmts(&f.body),
                }
            })
            .collect();
        if next == reach {
            break;
        }
        reach = next;
    }
    for f in program.functions.iter_mut().chain([&mut program.main]) {
        decide_all(f, &reach);
    }
}

fn decide_all(f: &mut Function, reach: &[Reach]) {
    for s in &mut f.body {
        each_call_in_stmt(s, &mut |call| {
            if let Wording::Scope(scope) = call.wording {
                let quiet = Quiet { outer: &|s| s < scope, reach, in_function: false };
                let optional = call.args[2..].iter().all(|a| quiet.expr(a));
                call.wording = if optional { Wording::Optional } else { Wording::Needed };
            }
        });
    }
}

/// Whether code changes nothing outside it: `outer` says which slots are outside.
struct Quiet<'a> {
    outer: &'a dyn Fn(Slot) -> bool,
    reach: &'a [Reach],
    /// A function's whole body: its `return`, `break` and `continue` stay inside it.
    in_function: bool,
}

impl Quiet<'_> {
    fn stmts(&self, stmts: &[Stmt]) -> bool {
        stmts.iter().all(|s| self.stmt(s))
    }

    fn stmt(&self, s: &Stmt) -> bool {
        match s {
            Stmt::Expr(e) => self.expr(e),
            Stmt::Set(slot, e) | Stmt::OpAssign(slot, _, e) => !(self.outer)(*slot) && self.expr(e),
            Stmt::If(c, a, b) => self.expr(c) && self.stmts(a) && self.stmts(b),
            Stmt::Switch(sw) => {
                self.expr(&sw.value)
                    && sw.cases.values().flatten().all(|(c, r)| c.as_ref().is_none_or(|c| self.expr(c)) && self.expr(r))
                    && sw.default.as_ref().is_none_or(|d| self.expr(d))
            }
            Stmt::For { over, body, .. } => self.expr(over) && self.stmts(body),
            Stmt::While(c, body) => self.expr(c) && self.stmts(body),
            Stmt::Break | Stmt::Continue => self.in_function,
            Stmt::Return(e) => self.in_function && e.as_ref().is_none_or(|e| self.expr(e)),
            Stmt::Block(b) => self.stmts(b),
        }
    }

    fn expr(&self, e: &Expr) -> bool {
        let all = |list: &[Expr]| list.iter().all(|x| self.expr(x));
        match e {
            Expr::Const(_) | Expr::Local(_) | Expr::Move(_) | Expr::Path(_) => true,
            Expr::Index(x) | Expr::Binary(_, x) => self.expr(&x.0) && self.expr(&x.1),
            Expr::Not(x) | Expr::Neg(x) => self.expr(x),
            Expr::And(l) | Expr::Or(l) | Expr::Coalesce(l) | Expr::Interpolated(l) | Expr::Array(l) => all(l),
            Expr::Map(entries) | Expr::Used(entries) => entries.iter().all(|(_, x)| self.expr(x)),
            Expr::Block(b) => self.stmts(b),
            Expr::Call(call) => {
                let records = match call.f {
                    Builtin::Value | Builtin::Rule | Builtin::Outcome | Builtin::RejectInput | Builtin::GiveUp => true,
                    Builtin::MapEach(f) | Builtin::FilterEach(f) => self.reach.get(f).is_none_or(|r| r.plain),
                    _ => false,
                };
                let changes = call.f.mutates() && call.receiver.as_ref().is_some_and(|p| (self.outer)(p.root));
                !records && !changes && all(&call.args)
            }
            Expr::Script(call) => {
                let method = call.this.is_some_and(|s| (self.outer)(s));
                let reach = self.reach.get(call.f).is_none_or(|r| if method { r.method } else { r.plain });
                !reach && all(&call.args)
            }
        }
    }
}

/// Visit every library call in `s`, inner ones first.
fn each_call_in_stmt(s: &mut Stmt, f: &mut dyn FnMut(&mut Call)) {
    match s {
        Stmt::Expr(e) | Stmt::Set(_, e) | Stmt::OpAssign(_, _, e) => each_call(e, f),
        Stmt::If(c, a, b) => {
            each_call(c, f);
            a.iter_mut().chain(b.iter_mut()).for_each(|s| each_call_in_stmt(s, f));
        }
        Stmt::Switch(sw) => {
            each_call(&mut sw.value, f);
            for (c, r) in sw.cases.values_mut().flatten() {
                if let Some(c) = c {
                    each_call(c, f);
                }
                each_call(r, f);
            }
            if let Some(d) = &mut sw.default {
                each_call(d, f);
            }
        }
        Stmt::For { over: c, body, .. } | Stmt::While(c, body) => {
            each_call(c, f);
            body.iter_mut().for_each(|s| each_call_in_stmt(s, f));
        }
        Stmt::Return(Some(e)) => each_call(e, f),
        Stmt::Break | Stmt::Continue | Stmt::Return(None) => {}
        Stmt::Block(b) => b.iter_mut().for_each(|s| each_call_in_stmt(s, f)),
    }
}

fn each_call(e: &mut Expr, f: &mut dyn FnMut(&mut Call)) {
    match e {
        Expr::Const(_) | Expr::Local(_) | Expr::Move(_) | Expr::Path(_) => {}
        Expr::Index(x) | Expr::Binary(_, x) => {
            each_call(&mut x.0, f);
            each_call(&mut x.1, f);
        }
        Expr::Not(x) | Expr::Neg(x) => each_call(x, f),
        Expr::And(l) | Expr::Or(l) | Expr::Coalesce(l) | Expr::Interpolated(l) | Expr::Array(l) => l.iter_mut().for_each(|x| each_call(x, f)),
        Expr::Map(entries) | Expr::Used(entries) => entries.iter_mut().for_each(|(_, x)| each_call(x, f)),
        Expr::Block(b) => b.iter_mut().for_each(|s| each_call_in_stmt(s, f)),
        Expr::Call(call) => {
            call.args.iter_mut().for_each(|x| each_call(x, f));
            f(call);
        }
        Expr::Script(call) => call.args.iter_mut().for_each(|x| each_call(x, f)),
    }
}
