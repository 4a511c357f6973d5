//! Last reads move: a variable read for the last time hands its value over instead of
//! copying it. Rhai copies a value at every read (a list or a map deeply, a decimal onto the
//! heap); copies and the drops that follow were a fifth of an evaluation.
//!
//! A backward liveness pass over each function body finds the reads after which a slot is
//! never read again on any path, and rewrites them from `Local` to `Move`. It is
//! conservative where the tree is hard to reason about: a statement nested inside an
//! expression (`if` or `switch` used as a value) is never changed and counts as reading
//! every slot it mentions; a read is only moved when its slot is mentioned once in the
//! whole statement, so evaluation order within the statement cannot matter; the constants
//! `input` and `as_of`, and a method's `this` (handed back to the caller), never move.

use super::ir::{Call, Expr, Function, ScriptCall, Slot, Stmt, Wording};
/// Which slots are live, by slot number (frames are small). Plain vectors rather than
/// sets: a BTreeSet and BTreeMap of slots cost the runtime WebAssembly module 8 KB gzip.
type Live = Vec<bool>;
/// How often each slot is mentioned, by slot number.
type Counts = Vec<u32>;

/// Rewrite last reads in `f`; `pinned` slots never move.
pub(super) fn apply(f: &mut Function, pinned: &[Slot]) {
    let mut live = vec![false; f.frame];
    for &slot in pinned {
        set(&mut live, slot, true);
    }
    let mut pass = Pass { pinned: live, loops: Vec::new(), mark: true };
    let after = pass.pinned.clone();
    pass.block(&mut f.body, after);
}

fn set(live: &mut Live, slot: Slot, on: bool) {
    let i = slot as usize;
    if i >= live.len() {
        live.resize(i + 1, false);
    }
    live[i] = on;
}

fn is(live: &Live, slot: Slot) -> bool {
    live.get(slot as usize).copied().unwrap_or(false)
}

/// `into` |= `other`.
fn union(into: &mut Live, other: &Live) {
    if other.len() > into.len() {
        into.resize(other.len(), false);
    }
    for (a, b) in into.iter_mut().zip(other) {
        *a |= *b;
    }
}

/// Every slot mentioned in `counts` becomes live.
fn union_counts(into: &mut Live, counts: &Counts) {
    for (slot, n) in counts.iter().enumerate() {
        if *n > 0 {
            set(into, slot as Slot, true);
        }
    }
}

struct Pass {
    pinned: Live,
    /// Enclosing loops, innermost last: what is live after a `break` and a `continue`.
    loops: Vec<(Live, Live)>,
    /// Rewrite reads (only once a loop's liveness has settled).
    mark: bool,
}

impl Pass {
    fn block(&mut self, stmts: &mut [Stmt], mut live: Live) -> Live {
        for s in stmts.iter_mut().rev() {
            live = self.stmt(s, live);
        }
        live
    }

    /// What is live before `s`, given what is live after it.
    fn stmt(&mut self, s: &mut Stmt, after: Live) -> Live {
        match s {
            Stmt::Expr(e) => self.expr_stmt(e, after),
            Stmt::Set(slot, e) | Stmt::Let(slot, e, _) => {
                let slot = *slot;
                let mut later = after;
                // Written after the value is computed: its own old value may move into it.
                set(&mut later, slot, false);
                self.expr_stmt(e, later)
            }
            Stmt::OpAssign(slot, _, e) => {
                let mut later = after;
                set(&mut later, *slot, true);
                self.expr_stmt(e, later)
            }
            Stmt::If(cond, then, otherwise) => {
                let mut branches = self.block(then, after.clone());
                let other = self.block(otherwise, after);
                union(&mut branches, &other);
                self.expr_stmt(cond, branches)
            }
            Stmt::Switch(sw) => {
                // Arms are left alone (they are expressions holding statements); the value
                // is read before any of them.
                let mut arms = after;
                for (cond, result) in sw.cases.values().flatten() {
                    if let Some(c) = cond {
                        self.opaque(c, &mut arms);
                    }
                    self.opaque(result, &mut arms);
                }
                if let Some(d) = &sw.default {
                    self.opaque(d, &mut arms);
                }
                self.expr_stmt(&mut sw.value, arms)
            }
            Stmt::While(cond, body) => {
                // The condition runs on every turn: it never moves (its slots are live at
                // the loop's head, which is where the turn starts).
                let head = self.settle(after.clone(), |pass, head| {
                    let mut live = pass.in_loop(&after, head, |pass| pass.block(body, head.clone()));
                    pass.opaque(cond, &mut live);
                    live
                });
                let mut head = head;
                self.opaque(cond, &mut head);
                head
            }
            Stmt::For { var, counter, over, body } => {
                let (var, counter) = (*var, *counter);
                let head = self.settle(after.clone(), |pass, head| {
                    let mut live = pass.in_loop(&after, head, |pass| pass.block(body, head.clone()));
                    // Each turn starts by setting the loop variable and counter.
                    set(&mut live, var, false);
                    if let Some(c) = counter {
                        set(&mut live, c, false);
                    }
                    live
                });
                // The list is computed once, before the first turn.
                self.expr_stmt(over, head)
            }
            Stmt::Break => self.loops.last().map(|l| l.0.clone()).unwrap_or_else(|| self.pinned.clone()),
            Stmt::Continue => self.loops.last().map(|l| l.1.clone()).unwrap_or_else(|| self.pinned.clone()),
            Stmt::Return(e) => {
                let end = self.pinned.clone();
                match e {
                    Some(e) => self.expr_stmt(e, end),
                    None => end,
                }
            }
            Stmt::Block(b) => self.block(b, after),
        }
    }

    /// A loop's live-at-head set: grown from `after` until a turn adds nothing. Reads are
    /// rewritten only on a last turn run once the set has settled.
    fn settle(&mut self, after: Live, mut turn: impl FnMut(&mut Self, &Live) -> Live) -> Live {
        let mark = std::mem::replace(&mut self.mark, false);
        let mut head = after;
        loop {
            let mut next = turn(self, &head);
            union(&mut next, &head);
            if next == head {
                break;
            }
            head = next;
        }
        self.mark = mark;
        if mark {
            turn(self, &head);
        }
        head
    }

    fn in_loop(&mut self, after: &Live, head: &Live, body: impl FnOnce(&mut Self) -> Live) -> Live {
        self.loops.push((after.clone(), head.clone()));
        let live = body(self);
        self.loops.pop();
        live
    }

    /// An expression evaluated once, followed by what leaves `later` live: reads of slots
    /// mentioned once here and dead afterwards become moves.
    fn expr_stmt(&mut self, e: &mut Expr, later: Live) -> Live {
        let mut counts = Counts::new();
        let nested = mentions(e, &mut counts, false);
        if self.mark {
            let last = |slot: &Slot| counts.get(*slot as usize) == Some(&1) && !is(&later, *slot) && !is(&self.pinned, *slot);
            rewrite(e, &last);
        }
        let mut live = later;
        union_counts(&mut live, &counts);
        if nested {
            self.jumps(&mut live);
        }
        live
    }

    /// An expression left as it is: every slot it mentions is live before it.
    fn opaque(&self, e: &Expr, live: &mut Live) {
        let mut counts = Counts::new();
        if mentions(e, &mut counts, false) {
            self.jumps(live);
        }
        union_counts(live, &counts);
    }

    /// A statement inside an expression may `break`, `continue` or `return`: whatever is
    /// live where those lead is live here too.
    fn jumps(&self, live: &mut Live) {
        for (brk, cont) in &self.loops {
            union(live, brk);
            union(live, cont);
        }
    }
}

/// Count each slot `e` mentions (read, moved, changed in place or assigned, at any depth).
/// True if `e` holds statements. With `brief`, only what a brief decision evaluates: not
/// skipped wording, nor a `let` it skips (`wording` asks).
pub(super) fn mentions(e: &Expr, counts: &mut Counts, brief: bool) -> bool {
    match e {
        Expr::Const(_) => false,
        Expr::Local(slot) | Expr::Move(slot) => {
            add(*slot, counts);
            false
        }
        Expr::Path(place) => {
            add(place.root, counts);
            false
        }
        Expr::Index(x) | Expr::Binary(_, x) => mentions(&x.0, counts, brief) | mentions(&x.1, counts, brief),
        Expr::Not(x) | Expr::Neg(x) => mentions(x, counts, brief),
        Expr::And(list) | Expr::Or(list) | Expr::Coalesce(list) | Expr::Interpolated(list) | Expr::Array(list) => {
            list.iter().fold(false, |nested, x| mentions(x, counts, brief) | nested)
        }
        Expr::Map(entries) | Expr::Used(entries) => entries.iter().fold(false, |nested, (_, x)| mentions(x, counts, brief) | nested),
        Expr::Call(call) => {
            let Call { receiver, args, wording, .. } = &**call;
            if let Some(place) = receiver {
                add(place.root, counts);
            }
            let args = if brief && matches!(wording, Wording::Rule { optional: true, .. }) { &args[..2] } else { args };
            args.iter().fold(false, |nested, x| mentions(x, counts, brief) | nested)
        }
        Expr::Script(call) => {
            let ScriptCall { this, args, .. } = &**call;
            if let Some(slot) = this {
                add(*slot, counts);
            }
            args.iter().fold(false, |nested, x| mentions(x, counts, brief) | nested)
        }
        Expr::Block(stmts) => {
            for s in stmts {
                stmt_mentions(s, counts, brief);
            }
            true
        }
    }
}

pub(super) fn stmt_mentions(s: &Stmt, counts: &mut Counts, brief: bool) {
    let all = |stmts: &[Stmt], counts: &mut Counts| stmts.iter().for_each(|s| stmt_mentions(s, counts, brief));
    match s {
        Stmt::Expr(e) => {
            mentions(e, counts, brief);
        }
        // What a brief decision skips mentions nothing in one.
        Stmt::Let(_, _, true) if brief => {}
        Stmt::Set(slot, e) | Stmt::Let(slot, e, _) | Stmt::OpAssign(slot, _, e) => {
            add(*slot, counts);
            mentions(e, counts, brief);
        }
        Stmt::If(c, a, b) => {
            mentions(c, counts, brief);
            all(a, counts);
            all(b, counts);
        }
        Stmt::Switch(sw) => {
            mentions(&sw.value, counts, brief);
            for (c, r) in sw.cases.values().flatten() {
                if let Some(c) = c {
                    mentions(c, counts, brief);
                }
                mentions(r, counts, brief);
            }
            if let Some(d) = &sw.default {
                mentions(d, counts, brief);
            }
        }
        Stmt::While(c, body) => {
            mentions(c, counts, brief);
            all(body, counts);
        }
        Stmt::For { var, counter, over, body } => {
            add(*var, counts);
            if let Some(c) = counter {
                add(*c, counts);
            }
            mentions(over, counts, brief);
            all(body, counts);
        }
        Stmt::Return(Some(e)) => {
            mentions(e, counts, brief);
        }
        Stmt::Break | Stmt::Continue | Stmt::Return(None) => {}
        Stmt::Block(b) => all(b, counts),
    }
}

fn add(slot: Slot, counts: &mut Counts) {
    let i = slot as usize;
    if i >= counts.len() {
        counts.resize(i + 1, 0);
    }
    counts[i] += 1;
}

/// Turn `Local(slot)` reads for which `last` holds into moves, outside nested statements.
fn rewrite(e: &mut Expr, last: &impl Fn(&Slot) -> bool) {
    match e {
        Expr::Local(slot) if last(slot) => *e = Expr::Move(*slot),
        Expr::Const(_) | Expr::Local(_) | Expr::Move(_) | Expr::Path(_) | Expr::Block(_) => {}
        Expr::Index(x) | Expr::Binary(_, x) => {
            rewrite(&mut x.0, last);
            rewrite(&mut x.1, last);
        }
        Expr::Not(x) | Expr::Neg(x) => rewrite(x, last),
        Expr::And(list) | Expr::Or(list) | Expr::Coalesce(list) | Expr::Interpolated(list) | Expr::Array(list) => {
            list.iter_mut().for_each(|x| rewrite(x, last))
        }
        // A `used` map not built (no trace) leaves its moves undone: harmless, as the
        // variables are not read again.
        Expr::Map(entries) | Expr::Used(entries) => entries.iter_mut().for_each(|(_, x)| rewrite(x, last)),
        Expr::Call(call) => call.args.iter_mut().for_each(|x| rewrite(x, last)),
        Expr::Script(call) => call.args.iter_mut().for_each(|x| rewrite(x, last)),
    }
}
