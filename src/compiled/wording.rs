//! Which reasons a brief decision need not word.
//!
//! A brief decision (`EvalOptions::brief`) keeps each rule's id and whether it passed, not
//! its message. Wording a message (money and dates written out, lists joined, names looked
//! up) is a large part of an evaluation's work, so a brief evaluation skips the arguments of
//! `rule(...)` after `passed` wherever skipping them cannot change what the script goes on
//! to do: they assign no variable from outside themselves, record nothing (no `rule`,
//! `value`, `outcome`, `reject_input` or `throw`, directly or in a script function they
//! call), change no `this` of the caller's, and do not `return`, `break` or `continue`.
//! Anywhere else the message is evaluated as usual and then dropped. What a skipped message
//! could still have done is fail (a script error in the wording itself), and that is the
//! documented difference between a brief decision and a full one.
//!
//! One walk does it: each piece of code's effects are summed bottom-up (`Effects`), and a
//! rule's message arguments are optional when theirs write no slot that was in scope at
//! the call (slots are numbered in scope order, so those are the ones below its `scope`).
//!
//! A message is often built before its rule (`let when = long_date(d); rule("x", ok, when)`).
//! A `let` is skipped too when its value has no effect and only what a brief decision skips
//! reads the variable: seen by counting, last statement first, what the rest of its block
//! mentions, in all and outside skipped wording and lets already skipped (so a `let` read
//! only by such a `let` goes as well).

use super::builtins::Builtin;
use super::ir::{Expr, Slot, Stmt, Wording};
use super::moves::stmt_mentions;
use super::Program;

/// What running some code could do beyond computing its value.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Effects {
    /// Records something (a rule, value, outcome), rejects the input or throws.
    records: bool,
    /// `return`, `break` or `continue`.
    jumps: bool,
    /// The lowest slot it assigns or changes in place (`Slot::MAX`: none).
    lowest: Slot,
}

const NONE: Effects = Effects { records: false, jumps: false, lowest: Slot::MAX };

impl Effects {
    fn and(self, o: Effects) -> Effects {
        Effects { records: self.records || o.records, jumps: self.jumps || o.jumps, lowest: self.lowest.min(o.lowest) }
    }

    fn writes(self, slot: Slot) -> Effects {
        Effects { lowest: self.lowest.min(slot), ..self }
    }
}

/// What calling a script function can do: record, or (`writes_this`) change `this` or an
/// argument (only `this` reaches the caller; arguments are counted too, to keep this simple).
#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct Reach {
    records: bool,
    writes_this: bool,
}

/// Decide every `rule(...)` call's `Wording`.
pub(super) fn mark(program: &mut Program) {
    // Functions may call each other: walk them until what each can do settles. The last
    // walk decides their rules with the settled `reach`.
    let mut reach = vec![Reach::default(); program.functions.len()];
    loop {
        let mut changed = false;
        for (i, f) in program.functions.iter_mut().enumerate() {
            let e = Walk { reach: &reach }.stmts(&mut f.body);
            let r = Reach { records: e.records, writes_this: e.lowest <= f.params as Slot };
            changed |= r != reach[i];
            reach[i] = r;
        }
        if !changed {
            break;
        }
    }
    Walk { reach: &reach }.stmts(&mut program.main.body);
}

struct Walk<'a> {
    reach: &'a [Reach],
}

impl Walk<'_> {
    fn stmts(&self, stmts: &mut [Stmt]) -> Effects {
        let effects = stmts.iter_mut().fold(NONE, |e, s| e.and(self.stmt(s)));
        // Lets only skipped wording reads; `self.stmt` marked those whose value is quiet. A
        // variable nothing reads is not wording: it is evaluated (and fails) as in full.
        let (mut brief, mut all) = (Vec::new(), Vec::new());
        for s in stmts.iter_mut().rev() {
            if let Stmt::Let(slot, _, skip) = s {
                let read = |counts: &Vec<u32>| counts.get(*slot as usize).is_some_and(|&n| n > 0);
                *skip &= !read(&brief) && read(&all);
            }
            stmt_mentions(s, &mut brief, true);
            stmt_mentions(s, &mut all, false);
        }
        effects
    }

    fn stmt(&self, s: &mut Stmt) -> Effects {
        match s {
            Stmt::Expr(e) => self.expr(e),
            Stmt::Let(slot, e, skip) => {
                // Its value's own lets take slots from this one up.
                let v = self.expr(e);
                *skip = !v.records && !v.jumps && v.lowest >= *slot;
                v.writes(*slot)
            }
            Stmt::Set(slot, e) | Stmt::OpAssign(slot, _, e) => self.expr(e).writes(*slot),
            Stmt::If(c, a, b) => self.expr(c).and(self.stmts(a)).and(self.stmts(b)),
            Stmt::Switch(sw) => {
                let mut e = self.expr(&mut sw.value);
                for (c, r) in sw.cases.values_mut().flatten() {
                    e = e.and(self.expr(r));
                    if let Some(c) = c {
                        e = e.and(self.expr(c));
                    }
                }
                match &mut sw.default {
                    Some(d) => e.and(self.expr(d)),
                    None => e,
                }
            }
            Stmt::For { var, counter, over, body } => {
                let e = self.expr(over).and(self.stmts(body)).writes(*var);
                counter.map_or(e, |c| e.writes(c))
            }
            Stmt::While(c, body) => self.expr(c).and(self.stmts(body)),
            Stmt::Break | Stmt::Continue | Stmt::Return(None) => Effects { jumps: true, ..NONE },
            Stmt::Return(Some(e)) => Effects { jumps: true, ..self.expr(e) },
            Stmt::Block(b) => self.stmts(b),
        }
    }

    fn exprs(&self, list: &mut [Expr]) -> Effects {
        list.iter_mut().fold(NONE, |e, x| e.and(self.expr(x)))
    }

    fn expr(&self, e: &mut Expr) -> Effects {
        match e {
            Expr::Const(_) | Expr::Local(_) | Expr::Move(_) | Expr::Path(_) => NONE,
            Expr::Index(x) | Expr::Binary(_, x) => self.expr(&mut x.0).and(self.expr(&mut x.1)),
            Expr::Not(x) | Expr::Neg(x) => self.expr(x),
            Expr::And(l) | Expr::Or(l) | Expr::Coalesce(l) | Expr::Interpolated(l) | Expr::Array(l) => self.exprs(l),
            Expr::Map(entries) | Expr::Used(entries) => entries.iter_mut().fold(NONE, |e, (_, x)| e.and(self.expr(x))),
            Expr::Block(b) => self.stmts(b),
            Expr::Call(call) => {
                let n = call.args.len().min(2);
                let (kept, wording) = call.args.split_at_mut(n);
                let kept = self.exprs(kept);
                let wording_effects = self.exprs(wording);
                if let Wording::Rule { scope, optional } = &mut call.wording {
                    let w = wording_effects;
                    *optional = !w.records && !w.jumps && w.lowest >= *scope;
                }
                let records = match call.f {
                    Builtin::Value | Builtin::ValueAt(_) | Builtin::Rule | Builtin::Outcome | Builtin::RejectInput | Builtin::GiveUp => true,
                    Builtin::MapEach(f) | Builtin::FilterEach(f) => self.reach.get(f).is_none_or(|r| r.records),
                    _ => false,
                };
                let mut e = kept.and(wording_effects);
                e.records |= records;
                match &call.receiver {
                    Some(place) if call.f.mutates() => e.writes(place.root),
                    _ => e,
                }
            }
            Expr::Script(call) => {
                let e = self.exprs(&mut call.args);
                let r = self.reach.get(call.f).copied().unwrap_or(Reach { records: true, writes_this: true });
                let e = Effects { records: e.records || r.records, ..e };
                match call.this {
                    Some(slot) if r.writes_this => e.writes(slot),
                    _ => e,
                }
            }
        }
    }
}
