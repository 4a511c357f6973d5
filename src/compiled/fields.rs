//! `input.<field>` as a variable of its own. A script sees its input as a Rhai map, and
//! building that map (a key and a tree insert per field) and finding keys in it at every
//! `input.x` cost a tenth of an evaluation of the larger rule sets. A script that reads
//! `input` only through its fields (`input.fund`, `input.priorities.len()`) gets a slot per
//! field instead, filled from the validated values in the schema's order, and no map is
//! built. A script that uses `input` whole (passes it on, indexes it, reads a property the
//! schema does not have) keeps the map, unchanged.

use super::ir::{Expr, Function, Place, Slot, Stmt};

/// `input`'s slot at the top level.
const INPUT: Slot = 0;

/// Give each of `fields` a slot after `main`'s own and read `input.<field>` from it. Returns
/// the first field's slot, or None, changing nothing, when the script uses `input` whole.
pub(super) fn by_field(main: &mut Function, fields: &[&str]) -> Option<Slot> {
    let first = main.frame as Slot;
    let mut check = Pass { fields, first, rewrite: false, whole: false };
    check.block(&mut main.body);
    if check.whole {
        return None;
    }
    Pass { fields, first, rewrite: true, whole: false }.block(&mut main.body);
    main.frame += fields.len();
    Some(first)
}

/// One walk over the tree: checking (every mention of `input` is a field's) or rewriting.
struct Pass<'a> {
    fields: &'a [&'a str],
    first: Slot,
    rewrite: bool,
    /// `input` is used other than through a field.
    whole: bool,
}

impl Pass<'_> {
    fn block(&mut self, stmts: &mut [Stmt]) {
        for s in stmts {
            self.stmt(s);
        }
    }

    fn slot(&mut self, slot: Slot) {
        self.whole |= slot == INPUT;
    }

    fn stmt(&mut self, s: &mut Stmt) {
        match s {
            Stmt::Expr(e) => self.expr(e),
            Stmt::Set(slot, e) | Stmt::Let(slot, e, _) | Stmt::OpAssign(slot, _, e) => {
                self.slot(*slot);
                self.expr(e);
            }
            Stmt::If(cond, then, otherwise) => {
                self.expr(cond);
                self.block(then);
                self.block(otherwise);
            }
            Stmt::Switch(sw) => {
                self.expr(&mut sw.value);
                for (cond, result) in sw.cases.values_mut().flatten() {
                    if let Some(c) = cond {
                        self.expr(c);
                    }
                    self.expr(result);
                }
                if let Some(d) = &mut sw.default {
                    self.expr(d);
                }
            }
            Stmt::For { var, counter, over, body } => {
                self.slot(*var);
                if let Some(c) = counter {
                    self.slot(*c);
                }
                self.expr(over);
                self.block(body);
            }
            Stmt::While(cond, body) => {
                self.expr(cond);
                self.block(body);
            }
            Stmt::Break | Stmt::Continue | Stmt::Return(None) => {}
            Stmt::Return(Some(e)) => self.expr(e),
            Stmt::Block(b) => self.block(b),
        }
    }

    fn expr(&mut self, e: &mut Expr) {
        match e {
            Expr::Const(_) => {}
            Expr::Local(slot) | Expr::Move(slot) => self.slot(*slot),
            Expr::Path(place) => {
                self.place(place);
                // `input.fund` is now the field's variable itself.
                if place.path.is_empty() {
                    *e = Expr::Local(place.root);
                }
            }
            Expr::Index(x) | Expr::Binary(_, x) => {
                self.expr(&mut x.0);
                self.expr(&mut x.1);
            }
            Expr::Not(x) | Expr::Neg(x) => self.expr(x),
            Expr::And(list) | Expr::Or(list) | Expr::Coalesce(list) | Expr::Interpolated(list) | Expr::Array(list) => {
                list.iter_mut().for_each(|x| self.expr(x));
            }
            Expr::Map(entries) | Expr::Used(entries) => entries.iter_mut().for_each(|(_, x)| self.expr(x)),
            Expr::Block(stmts) => self.block(stmts),
            Expr::Call(call) => {
                if let Some(place) = &mut call.receiver {
                    self.place(place);
                }
                call.args.iter_mut().for_each(|x| self.expr(x));
            }
            Expr::Script(call) => {
                if let Some(slot) = call.this {
                    self.slot(slot);
                }
                call.args.iter_mut().for_each(|x| self.expr(x));
            }
        }
    }

    /// A place below `input` must start at a field; rewritten, it starts at the field's slot.
    fn place(&mut self, place: &mut Place) {
        if place.root != INPUT {
            return;
        }
        match place.path.first().and_then(|name| self.fields.iter().position(|f| *f == name.as_str())) {
            None => self.whole = true,
            Some(i) if self.rewrite => {
                place.root = self.first + i as Slot;
                place.path.remove(0);
            }
            Some(_) => {}
        }
    }
}
