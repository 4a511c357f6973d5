//! Evaluating a compiled script: one value stack, a frame per call, no name lookups.
//! Operators follow Rhai's built-in ones for the types rule scripts use; anything else
//! gives up (see the module above).

use super::builtins::{self, Builtin};
use super::ir::{BinOp, Call, Expr, Function, Place, ScriptCall, Stmt, Switch, Wording};
use super::{Program, Ran};
use crate::script::{self, limits};
use crate::date;
use crate::value::{bool_of, decimal_of, int_of};
use chrono::NaiveDate;
use rhai::{Array, Dynamic, EvalAltResult, ImmutableString, Map};
use rust_decimal::Decimal;
use std::fmt::Write;

/// Why evaluation stopped early.
pub(super) enum Failure {
    /// Let Rhai's interpreter evaluate instead.
    GiveUp,
    /// `reject_input(...)`.
    Rejected(Box<EvalAltResult>),
}

impl From<Box<EvalAltResult>> for Failure {
    fn from(e: Box<EvalAltResult>) -> Self {
        if script::rejected_input(&e).is_some() {
            Failure::Rejected(e)
        } else {
            Failure::GiveUp
        }
    }
}

/// Control flow out of a statement.
enum Flow {
    Failed(Failure),
    Break,
    Continue,
    Return(Dynamic),
}

impl From<Failure> for Flow {
    fn from(f: Failure) -> Self {
        Flow::Failed(f)
    }
}

type Value = Result<Dynamic, Flow>;

/// A call's argument values: on the Rust stack for the few arguments calls take, rather
/// than a heap allocation per call.
type Args = smallvec::SmallVec<[Dynamic; 4]>;

/// Drop a value, skipping the call to its destructor for the kinds that own nothing
/// (`()`, booleans, integers): most statement results and overwritten slots are those, and
/// the calls were a tenth of an evaluation's instructions.
fn discard(v: Dynamic) {
    if v.is_unit() || v.is_bool() || v.is_int() {
        std::mem::forget(v);
    }
}

fn give_up<T>() -> Result<T, Flow> {
    Err(Flow::Failed(Failure::GiveUp))
}

/// Half of Rhai's operation limit, counted about as Rhai counts (a statement, an
/// expression, a loop turn, a call): a script near the limit gives up, and Rhai decides
/// whether it breaks it.
const MAX_STEPS: u64 = limits::MAX_OPERATIONS / 2;
/// Below Rhai's call-depth limit, for the same reason.
const MAX_DEPTH: usize = limits::MAX_CALL_LEVELS - 4;

struct Vm<'p> {
    program: &'p Program,
    stack: Vec<Dynamic>,
    base: usize,
    steps: u64,
    depth: usize,
    /// The recorder keeps a trace (rules' `used` maps are built only then).
    tracing: bool,
    /// The decision is brief: rules' optional wording is skipped (see `wording`).
    brief: bool,
}

pub(super) fn run(program: &Program, input: Vec<Dynamic>, as_of: Dynamic) -> Ran {
    let mut vm = Vm { program, stack: Vec::with_capacity(64), base: 0, steps: 0, depth: 0, tracing: script::tracing(), brief: script::brief() };
    // `input`: each field in a slot of its own, or the map a script that uses it whole reads.
    let (map, fields) = match &program.input {
        Ok(first) => (Dynamic::UNIT, Some((*first as usize, input))),
        Err(names) => {
            // Inserted one by one: collecting into a map sorts, and the sort's code costs
            // the WebAssembly module 3 KB.
            let mut map = Map::new();
            for (name, v) in names.iter().zip(input) {
                map.insert(name.clone(), v);
            }
            (Dynamic::from_map(map), None)
        }
    };
    vm.stack.push(map);
    vm.stack.push(as_of);
    vm.frame(program.main.frame);
    if let Some((first, values)) = fields {
        for (slot, v) in vm.stack[first..].iter_mut().zip(values) {
            *slot = v;
        }
    }
    let result = vm.block(&program.main.body);
    vm.stack.drain(..).for_each(discard);
    let failure = match result {
        Ok(_) | Err(Flow::Return(_)) => return Ran::Finished,
        Err(Flow::Failed(f)) => f,
        // `break` or `continue` outside a loop: Rhai reports it.
        Err(Flow::Break | Flow::Continue) => Failure::GiveUp,
    };
    match failure {
        Failure::Rejected(e) => Ran::Rejected(e),
        Failure::GiveUp => Ran::GaveUp,
    }
}

impl Vm<'_> {
    fn step(&mut self) -> Result<(), Flow> {
        self.steps += 1;
        // Memory as the interpreter checks it (crate::memory), which then decides.
        if self.steps > MAX_STEPS || (self.steps.is_multiple_of(32) && crate::memory::over().is_some()) {
            return give_up();
        }
        Ok(())
    }

    fn slot(&mut self, slot: u32) -> &mut Dynamic {
        let i = self.base + slot as usize;
        &mut self.stack[i]
    }

    /// Store `v` in `slot`; what was there (often the `()` a take left) is discarded.
    fn put(&mut self, slot: u32, v: Dynamic) {
        discard(std::mem::replace(self.slot(slot), v));
    }

    /// Grow the stack to `len` slots, the new ones `()`.
    fn frame(&mut self, len: usize) {
        let more = len.saturating_sub(self.stack.len());
        self.stack.extend(std::iter::repeat_with(|| Dynamic::UNIT).take(more));
    }

    /// A block's value is its last statement's.
    fn block(&mut self, stmts: &[Stmt]) -> Value {
        let Some((last, before)) = stmts.split_last() else {
            return Ok(Dynamic::UNIT);
        };
        for s in before {
            discard(self.stmt(s)?);
        }
        self.stmt(last)
    }

    fn stmt(&mut self, s: &Stmt) -> Value {
        self.step()?;
        match s {
            Stmt::Expr(e) => self.expr(e),
            Stmt::Let(slot, _, true) if self.brief => {
                self.put(*slot, Dynamic::UNIT);
                Ok(Dynamic::UNIT)
            }
            Stmt::Set(slot, e) | Stmt::Let(slot, e, _) => {
                let v = self.expr(e)?;
                self.put(*slot, v);
                Ok(Dynamic::UNIT)
            }
            Stmt::OpAssign(slot, op, e) => {
                let y = self.expr(e)?;
                // Taken, not copied: on failure the evaluation gives up, slot and all.
                let x = std::mem::take(self.slot(*slot));
                self.put(*slot, op_assign(x, *op, y)?);
                Ok(Dynamic::UNIT)
            }
            Stmt::If(cond, then, otherwise) => {
                if self.condition(cond)? {
                    self.block(then)
                } else {
                    self.block(otherwise)
                }
            }
            Stmt::Switch(sw) => self.switch(sw),
            Stmt::While(cond, body) => {
                while self.condition(cond)? {
                    self.step()?;
                    match self.block(body) {
                        Ok(_) | Err(Flow::Continue) => {}
                        Err(Flow::Break) => break,
                        Err(other) => return Err(other),
                    }
                }
                Ok(Dynamic::UNIT)
            }
            Stmt::For { var, counter, over, body } => {
                // The list is a copy (or a temporary): its items move into the loop variable.
                let Ok(items) = self.expr(over)?.into_array() else {
                    return give_up();
                };
                for (i, item) in items.into_iter().enumerate() {
                    self.step()?;
                    self.put(*var, item);
                    if let Some(c) = counter {
                        self.put(*c, Dynamic::from_int(i as i64));
                    }
                    match self.block(body) {
                        Ok(_) | Err(Flow::Continue) => {}
                        Err(Flow::Break) => break,
                        Err(other) => return Err(other),
                    }
                }
                Ok(Dynamic::UNIT)
            }
            Stmt::Break => Err(Flow::Break),
            Stmt::Continue => Err(Flow::Continue),
            Stmt::Return(e) => {
                let v = match e {
                    Some(e) => self.expr(e)?,
                    None => Dynamic::UNIT,
                };
                Err(Flow::Return(v))
            }
            Stmt::Block(b) => self.block(b),
        }
    }

    /// An `if`/`while` condition: a bool, as Rhai requires.
    fn condition(&mut self, e: &Expr) -> Result<bool, Flow> {
        let v = self.expr(e)?;
        v.as_bool().or_else(|_| give_up())
    }

    fn switch(&mut self, sw: &Switch) -> Value {
        let value = self.expr(&sw.value)?;
        let Some(hash) = switch_hash(&value) else {
            return give_up();
        };
        if let Some(arms) = sw.cases.get(&hash) {
            for (cond, result) in arms {
                let pass = match cond {
                    None => true,
                    Some(c) => self.condition(c)?,
                };
                if pass {
                    return self.expr(result);
                }
            }
        }
        match &sw.default {
            Some(e) => self.expr(e),
            None => Ok(Dynamic::UNIT),
        }
    }

    fn expr(&mut self, e: &Expr) -> Value {
        self.step()?;
        match e {
            Expr::Const(v) => Ok(v.clone()),
            Expr::Local(slot) => Ok(self.slot(*slot).clone()),
            Expr::Move(slot) => Ok(std::mem::take(self.slot(*slot))),
            Expr::Path(place) => self.with_place(place, |_, v| Ok(v.clone())),
            Expr::Index(x) => {
                // The index before the object, as Rhai evaluates them.
                let key = self.expr(&x.1)?;
                // A variable's list or map is read where it is: only the item is copied
                // (`labels[id]` would otherwise copy the whole table for one entry).
                let item = match &x.0 {
                    Expr::Local(slot) => {
                        self.step()?;
                        index(self.slot(*slot), &key)
                    }
                    Expr::Path(place) => {
                        self.step()?;
                        self.with_place(place, |_, v| Ok(index(v, &key)))?
                    }
                    base => {
                        let base = self.expr(base)?;
                        index(&base, &key)
                    }
                };
                item.map_or_else(give_up, Ok)
            }
            Expr::Binary(op, x) => match &**x {
                // A constant operand is read where it is, and a variable beside it too:
                // nothing runs between the two reads (`consent == "given"`).
                (Expr::Local(slot), Expr::Const(c)) => {
                    self.step()?;
                    self.step()?;
                    binary(*op, self.slot(*slot), c).map_err(Flow::from)
                }
                // Two variables: both read where they are (a decimal copied is a heap box).
                (Expr::Local(a), Expr::Local(b)) => {
                    self.step()?;
                    self.step()?;
                    let at = |slot: &u32| self.base + *slot as usize;
                    binary(*op, &self.stack[at(a)], &self.stack[at(b)]).map_err(Flow::from)
                }
                (a, Expr::Const(c)) => {
                    let a = self.expr(a)?;
                    self.step()?;
                    binary(*op, &a, c).map_err(Flow::from)
                }
                (Expr::Const(c), b) => {
                    self.step()?;
                    let b = self.expr(b)?;
                    binary(*op, c, &b).map_err(Flow::from)
                }
                (a, b) => {
                    let a = self.expr(a)?;
                    let b = self.expr(b)?;
                    binary(*op, &a, &b).map_err(Flow::from)
                }
            },
            Expr::Not(x) => match self.expr(x)?.as_bool() {
                Ok(b) => Ok(Dynamic::from_bool(!b)),
                Err(_) => give_up(),
            },
            Expr::Neg(x) => {
                let v = self.expr(x)?;
                if let Some(i) = int_of(&v) {
                    i.checked_neg().map(Dynamic::from_int).map_or_else(give_up, Ok)
                } else if let Some(d) = decimal_of(&v) {
                    Ok(Dynamic::from_decimal(-d))
                } else {
                    give_up()
                }
            }
            Expr::And(list) => {
                for e in list {
                    if !self.condition(e)? {
                        return Ok(Dynamic::FALSE);
                    }
                }
                Ok(Dynamic::TRUE)
            }
            Expr::Or(list) => {
                for e in list {
                    if self.condition(e)? {
                        return Ok(Dynamic::TRUE);
                    }
                }
                Ok(Dynamic::FALSE)
            }
            Expr::Coalesce(list) => {
                let mut v = Dynamic::UNIT;
                for e in list {
                    v = self.expr(e)?;
                    if !v.is_unit() {
                        break;
                    }
                }
                Ok(v)
            }
            Expr::Interpolated(parts) => {
                // Room for the literal text and a short value in each gap, so that building
                // a reason's message rarely grows the string. Worked out here, not kept from
                // load: a second field makes every Expr 8 bytes larger, which cost more
                // (0.8% more instructions for community-grant) than this loop.
                let room: usize = parts
                    .iter()
                    .map(|p| match p {
                        Expr::Const(v) => v.as_immutable_string_ref().map_or(16, |t| t.len()),
                        _ => 16,
                    })
                    .sum();
                let mut s = String::with_capacity(room);
                for p in parts {
                    // Literal text and variables are written from where they are, not copied
                    // out first (read at their turn, as a copy would be).
                    let shown = match p {
                        Expr::Const(v) => self.step().map(|_| display(&mut s, v))?,
                        Expr::Local(slot) => {
                            self.step()?;
                            let i = self.base + *slot as usize;
                            display(&mut s, &self.stack[i])
                        }
                        _ => {
                            let v = self.expr(p)?;
                            display(&mut s, &v)
                        }
                    };
                    if !shown || s.len() > limits::MAX_STRING_SIZE {
                        return give_up();
                    }
                }
                Ok(s.into())
            }
            Expr::Array(items) => {
                let mut list = Array::with_capacity(items.len());
                for e in items {
                    list.push(self.expr(e)?);
                }
                sized(Dynamic::from_array(list))
            }
            Expr::Map(entries) => self.map(entries),
            Expr::Used(entries) if !self.tracing => {
                // Rhai would build the map, and fail if it broke a size limit; so the values'
                // sizes are added up in place, and only that is checked.
                let mut sizes = (0, entries.len(), 0);
                for (_, e) in entries {
                    match e {
                        Expr::Const(v) => count(v, &mut sizes),
                        Expr::Local(slot) | Expr::Move(slot) => count(self.slot(*slot), &mut sizes),
                        Expr::Path(place) => self.with_place(place, |_, v| {
                            count(v, &mut sizes);
                            Ok(())
                        })?,
                        _ => return give_up(),
                    }
                }
                if over_half(sizes) {
                    return give_up();
                }
                Ok(Dynamic::from_map(Map::new()))
            }
            Expr::Used(entries) => self.map(entries),
            Expr::Block(b) => self.block(b),
            Expr::Call(call) => self.call(call),
            Expr::Script(call) => self.script(call),
        }
    }

    fn map(&mut self, entries: &[(rhai::Identifier, Expr)]) -> Value {
        let mut map = Map::new();
        for (k, e) in entries {
            let v = self.expr(e)?;
            map.insert(k.clone(), v);
        }
        sized(Dynamic::from_map(map))
    }

    /// Run `f` on the value at `place`, in place. The variable is taken out of its slot
    /// while `f` runs (so `f` may call script functions, which grow the stack) and put back.
    fn with_place<T>(&mut self, place: &Place, f: impl FnOnce(&mut Self, &mut Dynamic) -> Result<T, Flow>) -> Result<T, Flow> {
        let mut root = std::mem::take(self.slot(place.root));
        let result = at_path(&mut root, &place.path, |v| f(self, v)).unwrap_or_else(give_up);
        self.put(place.root, root);
        result
    }

    /// A call's argument values, the first evaluated last when Rhai does so.
    fn arguments(&mut self, exprs: &[Expr], first_last: bool) -> Result<Args, Flow> {
        let mut args = Args::new();
        for a in &exprs[usize::from(first_last)..] {
            args.push(self.expr(a)?);
        }
        if first_last {
            args.insert(0, self.expr(&exprs[0])?);
        }
        Ok(args)
    }

    fn call(&mut self, call: &Call) -> Value {
        if self.brief && matches!(call.wording, Wording::Rule { optional: true, .. }) {
            // `rule(id, passed, ...)` with only what a brief decision keeps.
            let id = self.expr(&call.args[0])?;
            let passed = self.expr(&call.args[1])?;
            return builtins::unworded_rule(&id, &passed).map_err(Flow::from);
        }
        let mut args = self.arguments(&call.args, call.first_last)?;
        let f = call.f;
        match &call.receiver {
            Some(place) => self.with_place(place, |vm, x| vm.library(f, x, &mut args)),
            None => match args.split_first_mut() {
                Some((x, rest)) => self.library(f, x, rest),
                None => match f {
                    Builtin::AsOf => Ok(self.stack[1].clone()),
                    _ => give_up(),
                },
            },
        }
    }

    fn library(&mut self, f: Builtin, x: &mut Dynamic, rest: &mut [Dynamic]) -> Value {
        match f {
            Builtin::GiveUp => give_up(),
            Builtin::MapEach(func) | Builtin::FilterEach(func) => {
                // `x` is the caller's value, out of the stack: read in place while calling.
                let Some(items) = x.read_lock::<Array>() else {
                    return give_up();
                };
                let mut out = Array::with_capacity(items.len());
                for item in items.iter() {
                    let v = self.invoke(func, None, smallvec::smallvec![item.clone()])?;
                    match f {
                        Builtin::MapEach(_) => out.push(v),
                        // Rhai's filter keeps an item only for `true`; any other result drops it.
                        _ => {
                            if v.as_bool().unwrap_or(false) {
                                out.push(item.clone());
                            }
                        }
                    }
                }
                drop(items);
                sized(Dynamic::from_array(out))
            }
            _ => builtins::call(f, x, rest).map_err(Flow::from),
        }
    }

    fn script(&mut self, call: &ScriptCall) -> Value {
        let args = self.arguments(&call.args, call.first_last)?;
        match call.this {
            None => self.invoke(call.f, None, args),
            Some(slot) => {
                // `this` is the caller's variable: moved in for the call and back out after,
                // so what the function changes stays changed, as Rhai binds it by reference.
                let this = std::mem::take(self.slot(slot));
                let mut this = Some(this);
                let result = self.invoke(call.f, Some(&mut this), args);
                if let Some(v) = this {
                    self.put(slot, v);
                }
                result
            }
        }
    }

    /// Call script function `f` with `args` (and `this`, taken and handed back).
    fn invoke(&mut self, f: usize, this: Option<&mut Option<Dynamic>>, args: Args) -> Value {
        let Some(func): Option<&Function> = self.program.functions.get(f) else {
            return give_up();
        };
        if args.len() != func.params || (func.uses_this && this.is_none()) || self.depth >= MAX_DEPTH {
            return give_up();
        }
        self.step()?;
        let saved = self.base;
        let base = self.stack.len();
        self.stack.extend(args);
        let this_slot = base + func.params;
        self.frame(base + func.frame);
        let mut this = this;
        if let Some(t) = this.as_deref_mut() {
            self.stack[this_slot] = t.take().unwrap_or(Dynamic::UNIT);
        }
        self.base = base;
        self.depth += 1;
        let result = self.block(&func.body);
        self.depth -= 1;
        self.base = saved;
        if let Some(t) = this {
            *t = Some(std::mem::take(&mut self.stack[this_slot]));
        }
        self.stack.drain(base..).for_each(discard);
        match result {
            Ok(v) | Err(Flow::Return(v)) => Ok(v),
            Err(Flow::Break | Flow::Continue) => give_up(),
            Err(other) => Err(other),
        }
    }
}

/// Run `f` on the value below `v` at a property path: maps only, every key present.
fn at_path<T>(v: &mut Dynamic, path: &[rhai::ImmutableString], f: impl FnOnce(&mut Dynamic) -> T) -> Option<T> {
    match path.split_first() {
        None => Some(f(v)),
        Some((name, rest)) => {
            let mut map = v.write_lock::<Map>()?;
            at_path(map.get_mut(name.as_str())?, rest, f)
        }
    }
}

fn index(base: &Dynamic, key: &Dynamic) -> Option<Dynamic> {
    if let Some(list) = base.read_lock::<Array>() {
        let i = key.as_int().ok()?;
        // Negative indices count from the end, as in Rhai.
        let i = if i < 0 { list.len().checked_sub(i.unsigned_abs() as usize)? } else { i as usize };
        return list.get(i).cloned();
    }
    if let Some(map) = base.read_lock::<Map>() {
        let key = key.as_immutable_string_ref().ok()?;
        return map.get(key.as_str()).cloned();
    }
    None
}

/// The hash Rhai files a `switch` case under (its `calc_switch_value_hash`: the value's
/// own Hash through ahash's default hasher, Rhai's when no hashing seed is set), for
/// the simple values cases are written with; others give up.
fn switch_hash(v: &Dynamic) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    if !(v.is_unit() || v.is_bool() || v.is_string() || v.is_char() || v.is_int() || v.is_decimal()) {
        return None;
    }
    let mut h = ahash::AHasher::default();
    v.hash(&mut h);
    Some(h.finish())
}

/// Append `v` as `${v}` shows it; false for a value whose text this does not produce.
fn display(s: &mut String, v: &Dynamic) -> bool {
    if let Some(t) = v.read_lock::<ImmutableString>() {
        s.push_str(&t);
    } else if let Some(i) = int_of(v) {
        let _ = write!(s, "{i}");
    } else if let Some(d) = decimal_of(v) {
        s.push_str(&crate::money::decimal_text(d));
    } else if let Some(b) = bool_of(v) {
        s.push_str(if b { "true" } else { "false" });
    } else if let Some(d) = v.read_lock::<NaiveDate>() {
        s.push_str(&date::format(*d));
    } else {
        return false;
    }
    true
}

fn sized(v: Dynamic) -> Value {
    if too_big(&v) {
        give_up()
    } else {
        Ok(v)
    }
}

/// Whether a value breaks (or comes near) the sandbox's size limits as Rhai counts them:
/// items of nested lists, entries of nested maps, and all the text inside.
pub(super) fn too_big(v: &Dynamic) -> bool {
    let mut sizes = (0, 0, 0);
    count(v, &mut sizes);
    over_half(sizes)
}

/// Add `v`'s list items, map entries and text, nested ones included, to `sizes`.
fn count(v: &Dynamic, sizes: &mut (usize, usize, usize)) {
    if let Some(list) = v.read_lock::<Array>() {
        sizes.0 += list.len();
        for item in list.iter() {
            count(item, sizes);
        }
    } else if let Some(map) = v.read_lock::<Map>() {
        sizes.1 += map.len();
        for item in map.values() {
            count(item, sizes);
        }
    } else if let Ok(s) = v.as_immutable_string_ref() {
        sizes.2 += s.len();
    }
}

fn over_half(sizes: (usize, usize, usize)) -> bool {
    sizes.0 > limits::MAX_ARRAY_SIZE / 2 || sizes.1 > limits::MAX_MAP_SIZE / 2 || sizes.2 > limits::MAX_STRING_SIZE / 2
}

enum Num {
    Int(i64),
    Dec(Decimal),
}

fn num(v: &Dynamic) -> Option<Num> {
    match int_of(v) {
        Some(i) => Some(Num::Int(i)),
        None => decimal_of(v).map(Num::Dec),
    }
}

/// Rhai's built-in operators for integers, decimals, strings, bools and `()`; the
/// registered ones for dates; Rhai's rule for comparing different types (never equal,
/// never ordered). Anything else gives up.
fn binary(op: BinOp, a: &Dynamic, b: &Dynamic) -> Result<Dynamic, Failure> {
    use BinOp::*;
    let cmp = |o: std::cmp::Ordering| -> Dynamic {
        Dynamic::from_bool(match op {
            Eq => o.is_eq(),
            Ne => o.is_ne(),
            Lt => o.is_lt(),
            Le => o.is_le(),
            Gt => o.is_gt(),
            Ge => o.is_ge(),
            _ => unreachable!("only comparisons order"),
        })
    };
    let comparison = matches!(op, Eq | Ne | Lt | Le | Gt | Ge);
    if let (Some(x), Some(y)) = (num(a), num(b)) {
        return match (x, y) {
            (Num::Int(x), Num::Int(y)) => {
                if comparison {
                    return Ok(cmp(x.cmp(&y)));
                }
                let r = match op {
                    Add => x.checked_add(y),
                    Sub => x.checked_sub(y),
                    Mul => x.checked_mul(y),
                    Div => x.checked_div(y),
                    Rem => x.checked_rem(y),
                    _ => None,
                };
                r.map(Dynamic::from_int).ok_or(Failure::GiveUp)
            }
            (x, y) => {
                let to_dec = |n| match n {
                    Num::Int(i) => Decimal::from(i),
                    Num::Dec(d) => d,
                };
                let (x, y) = (to_dec(x), to_dec(y));
                if comparison {
                    return Ok(cmp(x.cmp(&y)));
                }
                decimal_arithmetic(op, x, y).map(Dynamic::from_decimal).ok_or(Failure::GiveUp)
            }
        };
    }
    if let (Some(x), Some(y)) = (a.read_lock::<ImmutableString>(), b.read_lock::<ImmutableString>()) {
        if comparison {
            return Ok(cmp(x.as_str().cmp(y.as_str())));
        }
        if op == Add {
            if x.len() + y.len() > limits::MAX_STRING_SIZE / 2 {
                return Err(Failure::GiveUp);
            }
            let mut s = String::with_capacity(x.len() + y.len());
            s.push_str(&x);
            s.push_str(&y);
            return Ok(s.into());
        }
        return Err(Failure::GiveUp);
    }
    if let (Some(x), Some(y)) = (bool_of(a), bool_of(b)) {
        return if comparison { Ok(cmp(x.cmp(&y))) } else { Err(Failure::GiveUp) };
    }
    if a.is_unit() && b.is_unit() {
        return if comparison { Ok(Dynamic::from_bool(op == Eq)) } else { Err(Failure::GiveUp) };
    }
    // `()` beside a string: `+` gives the string.
    if op == Add && (a.is_unit() && b.is_string() || a.is_string() && b.is_unit()) {
        return Ok(if a.is_unit() { b.clone() } else { a.clone() });
    }
    if let Some(x) = a.read_lock::<NaiveDate>() {
        if let Some(y) = b.read_lock::<NaiveDate>() {
            return if comparison {
                Ok(cmp(x.cmp(&y)))
            } else if op == Sub {
                Ok(Dynamic::from_int((*x - *y).num_days()))
            } else {
                Err(Failure::GiveUp)
            };
        }
        if let Some(n) = int_of(b) {
            let shifted = match op {
                Add => date::add_days(*x, n),
                Sub => date::add_days(*x, n.saturating_neg()),
                _ => None,
            };
            return shifted.map(Dynamic::from).ok_or(Failure::GiveUp);
        }
    }
    // Different types that are not both numbers: never equal, never ordered (Rhai's rule).
    if comparison && kind(a).is_some() && kind(b).is_some() && kind(a) != kind(b) {
        return Ok(Dynamic::from_bool(op == Ne));
    }
    Err(Failure::GiveUp)
}

/// The types the comparison rule above is sure of, told apart.
fn kind(v: &Dynamic) -> Option<u8> {
    Some(if v.is_unit() {
        0
    } else if v.is_bool() {
        1
    } else if v.is_int() || v.is_decimal() {
        2
    } else if v.is_string() {
        3
    } else if v.is_array() {
        4
    } else if v.is_map() {
        5
    } else if v.is::<NaiveDate>() {
        6
    } else {
        return None;
    })
}

/// Decimal arithmetic as Rhai's checked built-ins do it (`None`: overflow or division by
/// zero, which Rhai reports).
fn decimal_arithmetic(op: BinOp, x: Decimal, y: Decimal) -> Option<Decimal> {
    match op {
        BinOp::Add => x.checked_add(y),
        BinOp::Sub => x.checked_sub(y),
        BinOp::Mul => x.checked_mul(y),
        BinOp::Div if !y.is_zero() => x.checked_div(y),
        BinOp::Rem if !y.is_zero() => x.checked_rem(y),
        _ => None,
    }
}

/// `x op= y`: Rhai pushes onto a list (or appends a list); otherwise `x = x op y`.
fn op_assign(mut x: Dynamic, op: BinOp, y: Dynamic) -> Result<Dynamic, Failure> {
    if op == BinOp::Add && x.is_array() {
        {
            let mut list = x.write_lock::<Array>().ok_or(Failure::GiveUp)?;
            if y.is_array() {
                list.extend(y.into_array().map_err(|_| Failure::GiveUp)?);
            } else {
                list.push(y);
            }
        }
        return if too_big(&x) { Err(Failure::GiveUp) } else { Ok(x) };
    }
    if x.is_string() && !y.is_string() {
        return Err(Failure::GiveUp);
    }
    binary(op, &x, &y)
}
