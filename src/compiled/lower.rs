//! Lowering: Rhai's optimized AST to the compiled tree, resolving names at load.

use super::builtins::Builtin;
use super::fields;
use super::ir::{BinOp, Call, Expr, Function, Place, ScriptCall, Slot, Stmt, Switch, Wording};
use super::{moves, wording, NotCompiled, Program};
use crate::params::Parameters;
use rhai::{ASTFlags, ASTNode, Dynamic, ImmutableString, AST};
use std::collections::HashMap;

type R = rhai::Expr;
type S = rhai::Stmt;
type Lowered<T> = Result<T, NotCompiled>;

fn no<T>(what: impl Into<String>) -> Lowered<T> {
    Err(NotCompiled(what.into()))
}

/// Compile `ast`, or say which construct it does not cover. `parameters` are the rule set's
/// parameters: `param("name")` is resolved to its place among them; `fields` are the input
/// fields' names, in the schema's order.
pub fn compile(ast: &AST, parameters: &Parameters, fields: &[&str]) -> Result<Program, NotCompiled> {
    // Script functions (closures included) by name and arity, numbered in AST order.
    let defs: Vec<(String, Vec<ImmutableString>)> =
        ast.iter_fn_def().map(|f| (f.name.to_string(), f.params.iter().cloned().collect())).collect();
    let by_sig: HashMap<(String, usize), usize> =
        defs.iter().enumerate().map(|(i, (name, params))| ((name.clone(), params.len()), i)).collect();
    let values = value_names(ast);
    let mut functions = Vec::with_capacity(defs.len());
    for (name, params) in &defs {
        let body = function_body(ast, name, params.len());
        let mut l = Lower::new(&by_sig, &defs, parameters, values.as_deref(), params, true);
        let body = l.block(&body)?;
        let mut f = Function { params: params.len(), frame: l.max as usize, body, uses_this: l.uses_this };
        // `this` goes back to the caller.
        moves::apply(&mut f, &[params.len() as Slot]);
        functions.push(f);
    }
    let globals = [ImmutableString::from("input"), ImmutableString::from("as_of")];
    let mut l = Lower::new(&by_sig, &defs, parameters, values.as_deref(), &globals, false);
    let main = l.block(ast.statements())?;
    let mut main = Function { params: 2, frame: l.max as usize, body: main, uses_this: false };
    // Before moves: a field's last read can move it like any variable's (an evaluation that
    // gives up validates the input again for the interpreter).
    let input = fields::by_field(&mut main, fields).ok_or_else(|| fields.iter().map(|&f| f.into()).collect());
    // `as_of` is read by as_of() at any point; a script that uses `input` whole is rare
    // enough that it stays put too.
    moves::apply(&mut main, &[0, 1]);
    let mut program = Program { main, functions, input };
    wording::mark(&mut program);
    Ok(program)
}

/// The names the script records values under, each once, when every `value(...)` call names its value with a string literal and there
/// are at most 64 names (the recorder keeps which it has in one 64-bit word); otherwise
/// None, and values are recorded by name.
fn value_names(ast: &AST) -> Option<Vec<ImmutableString>> {
    use rhai::{Expr, Stmt};
    let mut names: Vec<ImmutableString> = Vec::new();
    let mut all_literal = true;
    crate::script::walk(ast, &mut |path: &[ASTNode]| {
        let call = match path.last() {
            Some(ASTNode::Expr(Expr::FnCall(call, _))) | Some(ASTNode::Stmt(Stmt::FnCall(call, _))) => call,
            // A method call named `value` (`"name".value(v)`): not looked for below.
            Some(ASTNode::Expr(Expr::MethodCall(call, _))) => {
                all_literal &= call.name.as_str() != "value";
                return true;
            }
            _ => return true,
        };
        if call.name.as_str() == "value" && call.args.len() == 2 {
            match &call.args[0] {
                Expr::StringConstant(s, _) if !names.contains(s) => names.push(s.clone()),
                Expr::StringConstant(..) => {}
                _ => all_literal = false,
            }
        }
        true
    });
    (all_literal && names.len() <= 64).then_some(names)
}

/// The top-level statements of one function's body. Rhai does not expose a function's
/// body directly; walking an AST that holds only that function visits them first, at depth 1.
fn function_body(ast: &AST, name: &str, arity: usize) -> Vec<S> {
    let alone = crate::script::function_alone(ast, name, arity);
    let mut body = Vec::new();
    crate::script::walk(&alone, &mut |path: &[ASTNode]| {
        if let [ASTNode::Stmt(s)] = path {
            body.push((*s).clone());
        }
        true
    });
    body
}

struct Lower<'a> {
    by_sig: &'a HashMap<(String, usize), usize>,
    defs: &'a [(String, Vec<ImmutableString>)],
    parameters: &'a Parameters,
    /// `value_names`: when known, each `value("name", v)` is lowered to the name's place.
    values: Option<&'a [ImmutableString]>,
    /// Variables in scope, innermost last: (name, slot, constant).
    names: Vec<(ImmutableString, Slot, bool)>,
    next: Slot,
    max: Slot,
    /// `this`'s slot, in a function.
    this: Option<Slot>,
    uses_this: bool,
}

impl<'a> Lower<'a> {
    fn new(
        by_sig: &'a HashMap<(String, usize), usize>,
        defs: &'a [(String, Vec<ImmutableString>)],
        parameters: &'a Parameters,
        values: Option<&'a [ImmutableString]>,
        params: &[ImmutableString],
        in_function: bool,
    ) -> Self {
        // The top level's two "parameters" are the constants `input` and `as_of`.
        let names = params.iter().enumerate().map(|(i, p)| (p.clone(), i as Slot, !in_function)).collect();
        let n = params.len() as Slot;
        Lower { by_sig, defs, parameters, values, names, next: n + 1, max: n + 1, this: in_function.then_some(n), uses_this: false }
    }

    fn declare(&mut self, name: &str, constant: bool) -> Slot {
        let slot = self.next;
        self.next += 1;
        self.max = self.max.max(self.next);
        self.names.push((name.into(), slot, constant));
        slot
    }

    fn lookup(&self, name: &str) -> Lowered<(Slot, bool)> {
        match self.names.iter().rev().find(|(n, ..)| n.as_str() == name) {
            Some((_, slot, constant)) => Ok((*slot, *constant)),
            None => no(format!("variable {name} out of reach")),
        }
    }

    /// A block: its variables go out of scope (and their slots are free) at its end.
    fn block(&mut self, stmts: &[S]) -> Lowered<Vec<Stmt>> {
        let (names, next) = (self.names.len(), self.next);
        let mut out = Vec::with_capacity(stmts.len());
        for s in stmts {
            if let Some(s) = self.stmt(s)? {
                out.push(s);
            }
        }
        self.names.truncate(names);
        self.next = next;
        Ok(out)
    }

    fn stmt(&mut self, s: &S) -> Lowered<Option<Stmt>> {
        Ok(Some(match s {
            S::Noop(..) => return Ok(None),
            S::Var(x, flags, _) => {
                let value = self.expr(&x.1)?;
                let slot = self.declare(x.0.name.as_str(), flags.contains(ASTFlags::CONSTANT));
                Stmt::Let(slot, value, false)
            }
            S::Assignment(x) => {
                let (op, target) = &**x;
                let (slot, constant) = match (&target.lhs, self.this) {
                    (R::Variable(v, ..), _) => self.lookup(v.1.as_str())?,
                    (R::ThisPtr(_), Some(slot)) => {
                        self.uses_this = true;
                        (slot, false)
                    }
                    _ => return no(format!("assignment to a property or item ({})", target.lhs.position())),
                };
                if constant {
                    return no("assignment to a constant");
                }
                let value = self.expr(&target.rhs)?;
                match op.get_op_assignment_info() {
                    None => Stmt::Set(slot, value),
                    Some((.., op_syntax)) => Stmt::OpAssign(slot, binop(op_syntax)?, value),
                }
            }
            S::FnCall(call, _) => Stmt::Expr(self.call(call, None)?),
            S::Expr(e) => Stmt::Expr(self.expr(e)?),
            S::Block(b) => Stmt::Block(self.block(b.statements())?),
            S::If(x, _) => Stmt::If(self.expr(&x.expr)?, self.block(x.body.statements())?, self.block(x.branch.statements())?),
            S::Switch(x, _) => Stmt::Switch(Box::new(self.switch(&x.0, &x.1)?)),
            S::While(x, _) => {
                let cond = match &x.expr {
                    R::Unit(..) => Expr::Const(Dynamic::TRUE),
                    e => self.expr(e)?,
                };
                Stmt::While(cond, self.block(x.body.statements())?)
            }
            S::For(x, _) => {
                let (var, counter, flow) = &**x;
                let over = self.expr(&flow.expr)?;
                let (names, next) = (self.names.len(), self.next);
                let var = self.declare(var.name.as_str(), false);
                let counter = counter.as_ref().map(|c| self.declare(c.name.as_str(), false));
                let body = self.block(flow.body.statements())?;
                self.names.truncate(names);
                self.next = next;
                Stmt::For { var, counter, over, body }
            }
            S::BreakLoop(None, flags, _) => {
                if flags.contains(ASTFlags::BREAK) {
                    Stmt::Break
                } else {
                    Stmt::Continue
                }
            }
            // `throw`: whatever it throws, Rhai's interpreter words the error.
            S::Return(value, flags, _) if flags.contains(ASTFlags::BREAK) => {
                let args = value.iter().map(|e| self.expr(e)).collect::<Lowered<_>>()?;
                Stmt::Expr(Expr::Call(Box::new(Call { f: Builtin::GiveUp, receiver: None, args, first_last: false, wording: Wording::Needed })))
            }
            S::Return(value, ..) => Stmt::Return(value.as_ref().map(|e| self.expr(e)).transpose()?),
            other => return no(format!("a statement at {}", other.position())),
        }))
    }

    fn switch(&mut self, value: &R, cases: &rhai::SwitchCasesCollection) -> Lowered<Switch> {
        if !cases.ranges.is_empty() {
            return no("switch with ranges");
        }
        let value = self.expr(value)?;
        let mut out = HashMap::new();
        for (&hash, case) in cases.cases.iter() {
            let mut arms = Vec::new();
            for &i in &case.blocks {
                let arm = &cases.expressions[i];
                let cond = match &arm.lhs {
                    R::BoolConstant(true, _) => None,
                    c => Some(self.expr(c)?),
                };
                arms.push((cond, self.expr(&arm.rhs)?));
            }
            out.insert(hash, arms);
        }
        let default = cases.def_case.map(|i| self.expr(&cases.expressions[i].rhs)).transpose()?;
        Ok(Switch { value, cases: out, default })
    }

    fn expr(&mut self, e: &R) -> Lowered<Expr> {
        Ok(match e {
            R::DynamicConstant(d, _) => {
                if d.is_fnptr() {
                    return no("a function pointer outside map or filter");
                }
                Expr::Const((**d).clone())
            }
            R::BoolConstant(b, _) => Expr::Const(Dynamic::from_bool(*b)),
            R::IntegerConstant(i, _) => Expr::Const(Dynamic::from_int(*i)),
            R::StringConstant(s, _) => Expr::Const(Dynamic::from(s.clone())),
            R::CharConstant(c, _) => Expr::Const(Dynamic::from_char(*c)),
            R::Unit(_) => Expr::Const(Dynamic::UNIT),
            R::InterpolatedString(parts, _) => Expr::Interpolated(parts.iter().map(|p| self.expr(p)).collect::<Lowered<_>>()?),
            R::Array(items, _) => Expr::Array(items.iter().map(|p| self.expr(p)).collect::<Lowered<_>>()?),
            R::Map(x, _) => {
                Expr::Map(x.0.iter().map(|(k, v)| Ok((k.name.as_str().into(), self.expr(v)?))).collect::<Lowered<_>>()?)
            }
            R::Variable(v, ..) => Expr::Local(self.lookup(v.1.as_str())?.0),
            R::ThisPtr(_) => match self.this {
                Some(slot) => {
                    self.uses_this = true;
                    Expr::Local(slot)
                }
                None => return no("`this` outside a function"),
            },
            R::Stmt(b) => Expr::Block(self.block(b.statements())?),
            R::FnCall(call, _) => self.call(call, None)?,
            R::Dot(x, flags, _) => {
                if flags.contains(ASTFlags::NEGATED) {
                    return no("?.");
                }
                self.dot(&x.lhs, &x.rhs)?
            }
            R::Index(x, flags, _) => {
                if flags.contains(ASTFlags::NEGATED) {
                    return no("?[");
                }
                if matches!(x.rhs, R::Dot(..) | R::Index(..)) {
                    return no("an index chain");
                }
                Expr::Index(Box::new((self.expr(&x.lhs)?, self.expr(&x.rhs)?)))
            }
            R::And(list, _) => Expr::And(list.iter().map(|p| self.expr(p)).collect::<Lowered<_>>()?),
            R::Or(list, _) => Expr::Or(list.iter().map(|p| self.expr(p)).collect::<Lowered<_>>()?),
            R::Coalesce(list, _) => Expr::Coalesce(list.iter().map(|p| self.expr(p)).collect::<Lowered<_>>()?),
            other => return no(format!("an expression at {}", other.position())),
        })
    }

    /// The variable (or property path below one) `e` names, if it names one.
    fn place(&mut self, e: &R) -> Lowered<Option<(Place, bool)>> {
        Ok(match e {
            R::Variable(v, ..) => {
                let (root, constant) = self.lookup(v.1.as_str())?;
                Some((Place { root, path: Vec::new() }, constant))
            }
            R::ThisPtr(_) => {
                self.uses_this = true;
                self.this.map(|root| (Place { root, path: Vec::new() }, false))
            }
            _ => None,
        })
    }

    /// `a.b.c.m(x)`: properties read in place, then at most a method call at the end.
    fn dot(&mut self, root: &R, rest: &R) -> Lowered<Expr> {
        let mut steps = Vec::new();
        let mut at = rest;
        loop {
            match at {
                R::Dot(x, flags, _) if !flags.contains(ASTFlags::NEGATED) => {
                    steps.push(&x.lhs);
                    at = &x.rhs;
                }
                step => {
                    steps.push(step);
                    break;
                }
            }
        }
        // Rhai evaluates every method argument in a chain before any object in it; with one
        // method call that is "arguments, then the object", which calls keep to (below).
        if steps.iter().filter(|s| matches!(s, R::MethodCall(..))).count() > 1 {
            return no("a chain of method calls");
        }
        // Either a place (while the chain is properties of a variable) or a value.
        let mut place = self.place(root)?;
        let mut value = if place.is_none() { Some(self.expr(root)?) } else { None };
        for step in steps {
            match step {
                R::Property(p, _) => {
                    let name = p.2.clone();
                    match (&mut place, value.take()) {
                        (Some((pl, _)), _) => pl.path.push(name),
                        (None, Some(v)) => value = Some(Expr::Index(Box::new((v, Expr::Const(Dynamic::from(name)))))),
                        (None, None) => unreachable!("a dot chain has a place or a value"),
                    }
                }
                R::MethodCall(call, _) => {
                    let receiver = match (place.take(), value.take()) {
                        (Some(pl), _) => Receiver::Place(pl),
                        (None, Some(v)) => Receiver::Value(v),
                        (None, None) => unreachable!("a dot chain has a place or a value"),
                    };
                    value = Some(self.call(call, Some(receiver))?);
                }
                other => return no(format!("a property step at {}", other.position())),
            }
        }
        Ok(match (place, value) {
            (Some((pl, _)), _) if pl.path.is_empty() => Expr::Local(pl.root),
            (Some((pl, _)), _) => Expr::Path(Box::new(pl)),
            (None, Some(v)) => v,
            (None, None) => unreachable!("a dot chain has a place or a value"),
        })
    }

    fn call(&mut self, call: &rhai::FnCallExpr, receiver: Option<Receiver>) -> Lowered<Expr> {
        if call.capture_parent_scope {
            return no("f!()");
        }
        let name = call.name.as_str();
        let args = &call.args[..];
        // Operators, as Rhai's fast-operator path runs them.
        if call.op_token.is_some() && receiver.is_none() && name != "contains" {
            return Ok(match (name, args) {
                ("!", [a]) => Expr::Not(Box::new(self.expr(a)?)),
                ("-", [a]) => Expr::Neg(Box::new(self.expr(a)?)),
                (op, [a, b]) => Expr::Binary(binop(op)?, Box::new((self.expr(a)?, self.expr(b)?))),
                _ => return no(format!("operator {name}")),
            });
        }
        if receiver.is_none() && is_operator(name) {
            return no(format!("operator {name} called as a function"));
        }
        // A script function: as a method, `this` is the receiver (a variable, changed in place).
        if let Some(&f) = self.by_sig.get(&(name.to_string(), args.len())) {
            let this = match receiver {
                None => None,
                Some(Receiver::Place((pl, false))) if pl.path.is_empty() => Some(pl.root),
                Some(_) => return no(format!("{name} called as a method on something other than a variable")),
            };
            let first_last = this.is_none() && matches!(args.first(), Some(R::Variable(..)));
            let args = args.iter().map(|a| self.expr(a)).collect::<Lowered<_>>()?;
            return Ok(Expr::Script(Box::new(ScriptCall { f, this, args, first_last })));
        }
        let arity = args.len() + usize::from(receiver.is_some());
        if self.by_sig.contains_key(&(name.to_string(), arity)) {
            return no(format!("script function {name} called as a method with its object as first argument"));
        }
        // map and filter take a closure: resolved here to the script function it names.
        let closure_arg = matches!(name, "map" | "filter") && arity == 2;
        let f = if closure_arg {
            let Some(R::DynamicConstant(d, _)) = args.last() else {
                return no(format!("{name} without a closure"));
            };
            let Some(fp) = d.read_lock::<rhai::FnPtr>() else {
                return no(format!("{name} without a closure"));
            };
            let Some(i) = self.defs.iter().position(|(n, p)| n.as_str() == fp.fn_name() && p.len() == 1) else {
                return no(format!("{name} with a closure not taking one parameter"));
            };
            if name == "map" {
                Builtin::MapEach(i)
            } else {
                Builtin::FilterEach(i)
            }
        } else {
            match Builtin::find(name, arity) {
                Some(f) => f,
                None => return no(format!("function {name} with {arity} arguments")),
            }
        };
        let lowered_args = if closure_arg { &args[..args.len() - 1] } else { args };
        let mut out = Vec::with_capacity(arity);
        let first_last = matches!(receiver, Some(Receiver::Value(_)));
        let receiver = match receiver {
            Some(Receiver::Place((pl, constant))) => {
                if f.mutates() && constant {
                    return no(format!("{name} changes a constant"));
                }
                Some(pl)
            }
            Some(Receiver::Value(v)) => {
                out.push(v);
                None
            }
            None => {
                // A plain call whose first argument is a variable: Rhai evaluates the other
                // arguments first and then reads the variable in place, and so does this
                // (`intersect(q, [q.pop()])` sees `q` popped). `this` only when nothing else
                // can change it.
                let by_place = match lowered_args.first() {
                    Some(R::Variable(..)) => true,
                    Some(R::ThisPtr(..)) => lowered_args[1..].iter().all(|a| self.changes_nothing(a)),
                    _ => false,
                };
                match lowered_args.first() {
                    Some(first) if !f.mutates() && by_place => {
                        match self.place(first)? {
                            Some((pl, _)) => {
                                for a in &lowered_args[1..] {
                                    out.push(self.expr(a)?);
                                }
                                return Ok(Expr::Call(Box::new(Call { f, receiver: Some(pl), args: out, first_last: false, wording: Wording::Needed })));
                            }
                            None => None,
                        }
                    }
                    _ => None,
                }
            }
        };
        for a in lowered_args {
            out.push(self.expr(a)?);
        }
        // `param("name")`: found among the rule set's parameters now, not at every call.
        let f = match (f, out.first()) {
            (Builtin::Param, Some(Expr::Const(name))) => {
                match name.as_immutable_string_ref().ok().and_then(|n| self.parameters.index_of(&n)) {
                    Some(i) => Builtin::ParamAt(i),
                    None => f,
                }
            }
            // `value("name", v)`: the name's place among the script's value names. Every
            // call was seen at load (`value_names`), so one that is not is outside what is
            // covered, rather than recorded by name among values recorded by place.
            (Builtin::Value, Some(Expr::Const(name))) if receiver.is_none() && !first_last => match self.values {
                // Its place in name order (the order decisions list values in): how many
                // names come before it.
                Some(names) => match name.as_immutable_string_ref() {
                    Ok(n) if names.contains(&n) => Builtin::ValueAt(names.iter().filter(|m| m.as_str() < n.as_str()).count() as u32),
                    _ => return no(format!("value {name} not seen at load")),
                },
                None => f,
            },
            (Builtin::Value, _) if self.values.is_some() => return no("value named other than by a string literal".to_string()),
            _ => f,
        };
        if f == Builtin::Rule && matches!(arity, 4 | 5) {
            if let Some(Expr::Map(entries)) = out.last_mut() {
                if entries.iter().all(|(_, v)| matches!(v, Expr::Const(_) | Expr::Local(_) | Expr::Path(_))) {
                    let entries = std::mem::take(entries);
                    *out.last_mut().expect("the map is there") = Expr::Used(entries);
                }
            }
        }
        if f.mutates() && receiver.is_none() {
            // Changing a temporary value: nothing to see, but keep to what is covered.
            return no(format!("{name} on a temporary value"));
        }
        // `item in param("list")`, `param("list").contains(item)`: the list is searched where
        // it is kept. Only for an item that is read, not computed, so that the lookup (and
        // its trace entry) coming after the item cannot be seen.
        if let (Builtin::Contains, None, [Expr::Call(p), item]) = (f, &receiver, &mut out[..]) {
            let plain = matches!(item, Expr::Const(_) | Expr::Local(_) | Expr::Path(_));
            if let (Builtin::ParamAt(i), None, [Expr::Const(_)], true) = (p.f, &p.receiver, &p.args[..], plain) {
                let name = std::mem::take(&mut p.args);
                let item = std::mem::replace(item, Expr::Const(Dynamic::UNIT));
                let args = name.into_iter().chain([item]).collect();
                return Ok(Expr::Call(Box::new(Call { f: Builtin::ParamContains(i), receiver: None, args, first_last: false, wording: Wording::Needed })));
            }
        }
        // A rule called as a function, with its message: which slots were in scope, for
        // `wording` to tell the message's own variables from the script's.
        let wording = match (f, &receiver, first_last, out.len()) {
            (Builtin::Rule, None, false, 3..) => Wording::Rule { scope: self.next, optional: false },
            _ => Wording::Needed,
        };
        Ok(Expr::Call(Box::new(Call { f, receiver, args: out, first_last, wording })))
    }
}

enum Receiver {
    Place((Place, bool)),
    Value(Expr),
}

fn is_operator(name: &str) -> bool {
    matches!(name, "+" | "-" | "*" | "/" | "%" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "!" | "**" | "&" | "|" | "^" | "<<" | ">>")
}

fn binop(op: &str) -> Lowered<BinOp> {
    Ok(match op {
        "+" => BinOp::Add,
        "-" => BinOp::Sub,
        "*" => BinOp::Mul,
        "/" => BinOp::Div,
        "%" => BinOp::Rem,
        "==" => BinOp::Eq,
        "!=" => BinOp::Ne,
        "<" => BinOp::Lt,
        "<=" => BinOp::Le,
        ">" => BinOp::Gt,
        ">=" => BinOp::Ge,
        other => return no(format!("operator {other}")),
    })
}

impl Lower<'_> {
    /// Whether evaluating `e` cannot change a variable of this scope: no statements (an
    /// assignment), no method calls (one may change its object in place), and calls only to
    /// script functions (which see nothing of the caller's) or library functions that
    /// change nothing.
    fn changes_nothing(&self, e: &R) -> bool {
        match e {
            R::Stmt(..) | R::MethodCall(..) => false,
            R::InterpolatedString(v, _) | R::Array(v, _) => v.iter().all(|x| self.changes_nothing(x)),
            R::Map(x, _) => x.0.iter().all(|(_, v)| self.changes_nothing(v)),
            R::And(v, _) | R::Or(v, _) | R::Coalesce(v, _) => v.iter().all(|x| self.changes_nothing(x)),
            R::FnCall(c, _) => {
                let name = c.name.as_str();
                let known = c.op_token.is_some()
                    || self.by_sig.contains_key(&(name.to_string(), c.args.len()))
                    || Builtin::find(name, c.args.len()).is_some_and(|f| !f.mutates());
                known && c.args.iter().all(|x| self.changes_nothing(x))
            }
            R::Dot(x, ..) | R::Index(x, ..) => self.changes_nothing(&x.lhs) && self.changes_nothing(&x.rhs),
            _ => true,
        }
    }
}
