//! The Rhai side: a sandboxed engine with every resource limit set, the script library
//! (rules that explain themselves, exact money, calendar dates, dated parameters, list
//! helpers), the per-evaluation recorder those functions write to, and the load-time lint
//! that walks a compiled script for rule ids, parameter names and outcomes.

use crate::decision::{Reason, TraceEntry};
use crate::params::Parameters;
use crate::{date, money, value};
use chrono::NaiveDate;
use rhai::{Array, Dynamic, Engine, EvalAltResult, ImmutableString, Map, Position, AST};
use rust_decimal::Decimal;
use std::cell::RefCell;
use std::rc::Rc;

/// Resource limits for every script. Breaking one stops the evaluation with an error.
pub mod limits {
    /// The seed rule sets use a few thousand; an endless loop stops within milliseconds,
    /// and memory a loop can build before it is stopped stays in the tens of megabytes.
    pub const MAX_OPERATIONS: u64 = 500_000;
    pub const MAX_CALL_LEVELS: usize = 32;
    pub const MAX_EXPR_DEPTH: usize = 64;
    pub const MAX_FN_EXPR_DEPTH: usize = 32;
    pub const MAX_STRING_SIZE: usize = 100_000;
    /// Lists and maps count nested items, so these also bound how deeply a script can nest
    /// values. Rhai copies and drops nested values recursively: natively 10,000 levels
    /// overflowed a 1 MB stack, and in wasm V8's own stack (about 1 MB) gave out near 3,000
    /// nested containers, leaving the engine object unusable. The same limits apply on every
    /// host, so decisions stay identical natively and in wasm.
    pub const MAX_ARRAY_SIZE: usize = 1_000;
    pub const MAX_MAP_SIZE: usize = 1_500;
    pub const MAX_VARIABLES: usize = 500;
    pub const MAX_FUNCTIONS: usize = 200;
}

type Fallible<T> = Result<T, Box<EvalAltResult>>;

fn fail<T>(message: impl Into<String>) -> Fallible<T> {
    Err(Box::new(EvalAltResult::ErrorRuntime(Dynamic::from(message.into()), Position::NONE)))
}

/// What one evaluation records: outcome, values, reasons and (on request) the trace.
pub struct Recorder {
    pub params: Rc<Parameters>,
    pub as_of: NaiveDate,
    pub outcomes: Rc<[String]>,
    pub outcome: Option<String>,
    /// In name order, one per name (`record_value` keeps them so): the order the
    /// decision's JSON object lists them in, so its writers need not sort. Names are the
    /// script's own strings, shared rather than copied per evaluation.
    pub values: Vec<(ImmutableString, Dynamic)>,
    pub reasons: Vec<RuleResult>,
    pub trace: Option<Vec<TraceEntry>>,
    /// A brief decision: reasons are kept without their wording.
    pub brief: bool,
    /// Which of a compiled script's value names (by their place in name order) `values`
    /// holds (`record_value`).
    pub value_ranks: u64,
}

/// A rule's result as the evaluation records it. The id is the script's own string, shared
/// rather than copied per evaluation: a `Reason` is made of it only for a `Decision`.
pub struct RuleResult {
    pub rule: ImmutableString,
    pub passed: bool,
    pub message: Option<String>,
}

impl From<RuleResult> for Reason {
    fn from(r: RuleResult) -> Reason {
        Reason { rule: r.rule.into_owned(), passed: r.passed, message: r.message }
    }
}

thread_local! {
    // One evaluation runs at a time on a thread; the recorder lives only for its duration.
    static RECORDER: RefCell<Option<Recorder>> = const { RefCell::new(None) };
}

/// Run `f` with `rec` installed as the current recorder, and hand the recorder back.
pub fn with_recorder<R>(rec: Recorder, f: impl FnOnce() -> R) -> (R, Recorder) {
    struct Restore(Option<Recorder>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let prev = self.0.take();
            RECORDER.with(|r| *r.borrow_mut() = prev);
        }
    }
    let prev = RECORDER.with(|r| r.borrow_mut().replace(rec));
    let guard = Restore(prev);
    // An evaluation starts: what it holds is counted from here (crate::memory).
    crate::memory::start();
    let out = f();
    let rec = RECORDER.with(|r| r.borrow_mut().take());
    drop(guard);
    // The recorder is always there: nothing else takes it while `f` runs.
    (out, rec.unwrap_or_else(unreachable_recorder))
}

fn unreachable_recorder() -> Recorder {
    Recorder {
        params: Rc::new(Parameters::default()),
        as_of: NaiveDate::MIN,
        outcomes: Rc::from(Vec::new()),
        outcome: None,
        values: Vec::new(),
        reasons: Vec::new(),
        trace: None,
        brief: false,
        value_ranks: 0,
    }
}

/// Whether the current evaluation keeps a trace.
#[cfg(feature = "compiled")]
pub(crate) fn tracing() -> bool {
    RECORDER.with(|r| r.borrow().as_ref().is_some_and(|rec| rec.trace.is_some()))
}

/// Whether the current evaluation is brief (its reasons are not worded).
#[cfg(feature = "compiled")]
pub(crate) fn brief() -> bool {
    RECORDER.with(|r| r.borrow().as_ref().is_some_and(|rec| rec.brief))
}

fn recording<T>(f: impl FnOnce(&mut Recorder) -> Fallible<T>) -> Fallible<T> {
    RECORDER.with(|r| match r.borrow_mut().as_mut() {
        Some(rec) => f(rec),
        None => fail("rule functions can only be used while a rule set is being evaluated"),
    })
}

rhai::def_package! {
    /// The Rhai functions scripts have: `Engine::new()`'s standard package without the blob
    /// (byte array) and bit-field packages, which rules never need (leaving them out takes
    /// about 7 KB gzip, 5 KB brotli, off the WebAssembly module), and with the basic math
    /// package's number functions less its trigonometry and logarithms (`script_math`).
    RulePackage(lib):
        rhai::packages::CorePackage,
        rhai::packages::LogicPackage,
        rhai::packages::BasicArrayPackage,
        rhai::packages::BasicMapPackage,
        rhai::packages::MoreStringPackage
    {
        // Each package above marks `lib` as standard library, as StandardPackage is.
        crate::script_math::register(lib);
    }
}

thread_local! {
    // Built once per thread and shared by every rule set's engine (it never changes).
    static RULE_PACKAGE: rhai::Shared<rhai::Module> = rhai::packages::Package::as_shared_module(&RulePackage::new());
}

/// A sandboxed engine with the script library registered. Built once per rule set.
pub fn new_engine() -> Engine {
    // What `Engine::new()` does, with the package above in place of the standard one.
    let mut e = Engine::new_raw();
    // No string interning: it would hash every reason message a script formats, and once
    // its cache is full, scan the whole cache to evict one (about 3% of batch time).
    e.set_max_strings_interned(0);
    e.register_global_module(RULE_PACKAGE.with(Rc::clone));
    e.set_max_operations(limits::MAX_OPERATIONS)
        .set_max_call_levels(limits::MAX_CALL_LEVELS)
        .set_max_expr_depths(limits::MAX_EXPR_DEPTH, limits::MAX_FN_EXPR_DEPTH)
        .set_max_string_size(limits::MAX_STRING_SIZE)
        .set_max_array_size(limits::MAX_ARRAY_SIZE)
        .set_max_map_size(limits::MAX_MAP_SIZE)
        .set_max_variables(limits::MAX_VARIABLES)
        .set_max_functions(limits::MAX_FUNCTIONS)
        .set_fail_on_invalid_map_property(true)
        .set_strict_variables(true);
    // Rhai counts the steps of a closure that a list function calls (`map`, `filter`, `sort`…)
    // on a copy of the run's count, dropped when it returns, so a loop of list functions
    // never reached the limit (a 999-item `map`/`filter` loop ran 57 s natively). So every
    // step is counted here too. Rhai calls this once per step with its count, which is 1 only
    // at the first step of a run (a closure's copy starts from its caller's count).
    // Every 32 steps, the memory the evaluation holds and the data it has allocated or read
    // are checked too (crate::memory): stopped with `true` and `false`.
    let steps = std::cell::Cell::new(0u64);
    e.on_progress(move |n| {
        let total = if n == 1 { 1 } else { steps.get() + 1 };
        steps.set(total);
        if total > limits::MAX_OPERATIONS {
            return Some(Dynamic::UNIT);
        }
        match total.is_multiple_of(32).then(crate::memory::over).flatten() {
            None => None,
            Some(crate::memory::Limit::Held) => Some(Dynamic::TRUE),
            Some(crate::memory::Limit::Work) => Some(Dynamic::FALSE),
        }
    });
    // No way out of the sandbox: no eval, and no print or debug (a script that prints is
    // refused at load, rather than silently printing nowhere; the trace shows values).
    e.disable_symbol("eval");
    e.disable_symbol("print");
    e.disable_symbol("debug");
    e.on_print(|_| {});
    e.on_debug(|_, _, _| {});
    register_rules(&mut e);
    register_money(&mut e);
    register_dates(&mut e);
    register_lists(&mut e);
    e
}

// The script library's functions, shared by the Rhai registrations below and the compiled
// form of scripts (crate::compiled), so both run the same code.

/// `rule(...)`: record a reason (and, when tracing, what the rule used).
pub(crate) fn record_rule(id: ImmutableString, passed: bool, message: String, used: Option<&Map>) -> Fallible<bool> {
    recording(|rec| {
        if let Some(trace) = rec.trace.as_mut() {
            let used = match used {
                Some(m) => m.iter().map(|(k, v)| Ok((k.to_string(), value::to_json(v)?))).collect::<Result<_, String>>(),
                None => Ok(serde_json::Map::new()),
            };
            let used = match used {
                Ok(u) => u,
                Err(m) => return fail(format!("rule {id:?}: {m}")),
            };
            trace.push(TraceEntry::Rule { rule: id.to_string(), passed, message: message.clone(), used });
        }
        let message = (!rec.brief).then_some(message);
        rec.reasons.push(RuleResult { rule: id, passed, message });
        Ok(passed)
    })
}

/// `value(name, v)`: a named result; a later value of the same name replaces it. `rank`:
/// in a compiled script whose every value is named by a string literal, the name's place
/// among those names in name order (see `compiled::lower::value_names`), so its place in
/// `values` is the number of names of lower rank already there, with no name compared
/// (every value of such an evaluation comes this way).
pub(crate) fn record_value(rank: Option<u32>, name: ImmutableString, v: Dynamic) -> Fallible<()> {
    recording(|rec| {
        if let Some(trace) = rec.trace.as_mut() {
            match value::to_json(&v) {
                Ok(value) => trace.push(TraceEntry::Value { name: name.as_str().to_owned(), value }),
                Err(m) => return fail(format!("value {name:?}: {m}")),
            }
        }
        // Kept in name order, as the decision's JSON object lists them: where it is (Ok) or
        // goes (Err).
        let found = match rank {
            Some(rank) => {
                let bit = 1u64 << rank;
                let at = (rec.value_ranks & (bit - 1)).count_ones() as usize;
                let had = rec.value_ranks & bit != 0;
                rec.value_ranks |= bit;
                if had {
                    Ok(at)
                } else {
                    Err(at)
                }
            }
            None => {
                let key = name.as_str();
                rec.values.binary_search_by(|(n, _)| n.as_str().cmp(key))
            }
        };
        match found {
            Ok(i) => rec.values[i].1 = v,
            Err(i) => rec.values.insert(i, (name, v)),
        }
        Ok(())
    })
}

/// `outcome(name)`: one of the rule set's declared outcomes.
pub(crate) fn record_outcome(name: &str) -> Fallible<()> {
    recording(|rec| {
        if !rec.outcomes.iter().any(|o| o == name) {
            return fail(format!("outcome {name:?} is not one of this rule set's outcomes ({})", rec.outcomes.join(", ")));
        }
        if let Some(trace) = rec.trace.as_mut() {
            trace.push(TraceEntry::Outcome { outcome: name.to_string() });
        }
        rec.outcome = Some(name.to_string());
        Ok(())
    })
}

/// `param(name)` / `param(name, on)`: the value in force on the date (the as-of date by default).
pub(crate) fn lookup_param(name: &str, on: Option<NaiveDate>) -> Fallible<Dynamic> {
    lookup_param_at(None, name, on)
}

/// `lookup_param`, with the parameter's place when the script was compiled knowing it.
pub(crate) fn lookup_param_at(index: Option<usize>, name: &str, on: Option<NaiveDate>) -> Fallible<Dynamic> {
    with_param(index, name, on, Dynamic::clone)
}

/// `f` of the value in force on the as-of date of the parameter at `index`, named `name`,
/// read where it is kept; traced as a lookup is. (Only the compiled form searches in place.)
#[cfg(feature = "compiled")]
pub(crate) fn with_param_at<T>(index: usize, name: &str, f: impl FnOnce(&Dynamic) -> T) -> Fallible<T> {
    with_param(Some(index), name, None, f)
}

fn with_param<T>(index: Option<usize>, name: &str, on: Option<NaiveDate>, f: impl FnOnce(&Dynamic) -> T) -> Fallible<T> {
    recording(|rec| {
        let on = on.unwrap_or(rec.as_of);
        let found = match index {
            Some(i) => rec.params.lookup_at(i, name, on),
            None => rec.params.lookup(name, on),
        };
        let (v, from) = match found {
            Ok(found) => found,
            Err(m) => return fail(m),
        };
        let out = f(v);
        if let Some(trace) = rec.trace.as_mut() {
            let value = value::to_json(v).unwrap_or(serde_json::Value::Null);
            trace.push(TraceEntry::Parameter { name: name.to_string(), value, from: date::format(from) });
        }
        Ok(out)
    })
}

/// Cross-field checks a schema cannot state ("give an age or a date of birth"): stop the
/// decision and answer `invalid_input` at that path, as schema validation would.
pub(crate) fn reject_input(path: &str, message: &str) -> Fallible<()> {
    if !path.starts_with('/') {
        return fail(format!("reject_input: the path {path:?} must be a field path such as \"/victim_age\""));
    }
    let mut m = Map::new();
    m.insert(REJECT_KEY.into(), Dynamic::from(path.to_string()));
    m.insert("message".into(), Dynamic::from(message.to_string()));
    Err(Box::new(EvalAltResult::ErrorRuntime(Dynamic::from_map(m), Position::NONE)))
}

fn register_rules(e: &mut Engine) {
    e.register_fn("rule", |id: ImmutableString, passed: bool, message: &str| record_rule(id, passed, message.to_string(), None));
    e.register_fn("rule", |id: ImmutableString, passed: bool, message: &str, used: Map| {
        record_rule(id, passed, message.to_string(), Some(&used))
    });
    e.register_fn("rule", |id: ImmutableString, passed: bool, if_passed: &str, if_failed: &str| {
        record_rule(id, passed, if passed { if_passed } else { if_failed }.to_string(), None)
    });
    e.register_fn("rule", |id: ImmutableString, passed: bool, if_passed: &str, if_failed: &str, used: Map| {
        record_rule(id, passed, if passed { if_passed } else { if_failed }.to_string(), Some(&used))
    });
    e.register_fn("value", |name: ImmutableString, v: Dynamic| record_value(None, name, v));
    e.register_fn("outcome", record_outcome);
    e.register_fn("param", |name: &str| lookup_param(name, None));
    e.register_fn("param", |name: &str, on: NaiveDate| lookup_param(name, Some(on)));
    e.register_fn("as_of", || recording(|rec| Ok(rec.as_of)));
    e.register_fn("reject_input", reject_input);
}

/// Marks the error `reject_input` throws, so [`rejected_input`] can tell it from others.
const REJECT_KEY: &str = "eligo_reject_input";

/// The field path and message of a `reject_input(path, message)` call that stopped a script.
pub fn rejected_input(e: &EvalAltResult) -> Option<(String, String)> {
    let EvalAltResult::ErrorRuntime(v, _) = e.unwrap_inner() else {
        return None;
    };
    let m = v.read_lock::<Map>()?;
    let path = m.get(REJECT_KEY)?.clone().into_string().ok()?;
    let message = m.get("message")?.clone().into_string().ok()?;
    Some((path, message))
}

// Functions of one signature are registered as one `fn` pointer type: rhai compiles its
// calling glue once per function type, and each closure is a type of its own.
type DecimalText = fn(Decimal) -> String;
type IntText = fn(i64) -> String;
type IntDecimal = fn(i64) -> Decimal;
type Decimals = fn(Decimal, Decimal) -> Decimal;

fn register_money(e: &mut Engine) {
    let money: (DecimalText, IntText) = (money::format_money, |x| money::format_money(Decimal::from(x)));
    let percent: (DecimalText, IntText) = (money::format_percent, |x| money::format_percent(Decimal::from(x)));
    for (name, (of_decimal, of_int)) in [("money", money), ("percent", percent)] {
        e.register_fn(name, of_decimal);
        e.register_fn(name, of_int);
    }
    e.register_fn("decimal", Decimal::from as IntDecimal);
    e.register_fn("decimal", |s: &str| match money::parse_decimal(s) {
        Some(d) => Ok(d),
        None => fail(format!("{s:?} is not a number")),
    });
    e.register_fn("pence", |x: Decimal| x.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero));
    e.register_fn("pence", Decimal::from as IntDecimal);
    // min and max of decimals, an integer on either side taken as a decimal.
    for (name, pick) in [("min", Decimal::min as Decimals), ("max", Decimal::max as Decimals)] {
        e.register_fn(name, pick);
        e.register_fn(name, move |a: Decimal, b: i64| pick(a, Decimal::from(b)));
        e.register_fn(name, move |a: i64, b: Decimal| pick(Decimal::from(a), b));
    }
    e.register_fn("group_thousands", |x: i64| {
        let s = x.unsigned_abs().to_string();
        format!("{}{}", if x < 0 { "-" } else { "" }, money::group_thousands(&s))
    });
}

fn register_dates(e: &mut Engine) {
    e.register_type_with_name::<NaiveDate>("Date");
    e.register_fn("date", |s: &str| date::parse(s).or_else(fail));
    e.register_get("year", |d: &mut NaiveDate| i64::from(chrono::Datelike::year(d)));
    e.register_get("month", |d: &mut NaiveDate| i64::from(chrono::Datelike::month(d)));
    e.register_get("day", |d: &mut NaiveDate| i64::from(chrono::Datelike::day(d)));
    type DateText = fn(&mut NaiveDate) -> String;
    for name in ["to_string", "to_debug"] {
        e.register_fn(name, (|d| date::format(*d)) as DateText);
    }
    e.register_fn("long_date", |d: NaiveDate| date::long_form(d));
    e.register_fn("weekday", |d: NaiveDate| date::weekday_name(d).to_string());
    type Compare = fn(NaiveDate, NaiveDate) -> bool;
    let comparisons: [(&str, Compare); 6] =
        [("==", |a, b| a == b), ("!=", |a, b| a != b), ("<", |a, b| a < b), ("<=", |a, b| a <= b), (">", |a, b| a > b), (">=", |a, b| a >= b)];
    for (name, compare) in comparisons {
        e.register_fn(name, compare);
    }
    type Shift = fn(NaiveDate, i64) -> Fallible<NaiveDate>;
    fn in_range(d: Option<NaiveDate>) -> Fallible<NaiveDate> {
        d.map_or_else(|| fail("date out of range"), Ok)
    }
    let shifts: [(&str, Shift); 5] = [
        ("add_days", |d, n| in_range(date::add_days(d, n))),
        ("+", |d, n| in_range(date::add_days(d, n))),
        ("-", |d, n| in_range(date::add_days(d, n.saturating_neg()))),
        ("add_months", |d, n| in_range(date::add_months(d, n))),
        ("add_years", |d, n| in_range(date::add_months(d, n.saturating_mul(12)))),
    ];
    for (name, shift) in shifts {
        e.register_fn(name, shift);
    }
    type Between = fn(NaiveDate, NaiveDate) -> i64;
    e.register_fn("-", (|a, b| (a - b).num_days()) as Between);
    e.register_fn("days_between", (|a, b| (b - a).num_days()) as Between);
    e.register_fn("age_on", date::age_on);
    e.register_fn("is_working_day", |d: NaiveDate, holidays: Array| date::is_working_day(d, &dates(&holidays)));
    // The same, naming a date-list parameter instead of passing the list: the list stays
    // native, which matters when it holds years of bank holidays.
    e.register_fn("is_working_day", |d: NaiveDate, holidays: &str| {
        with_dates(holidays, |list| Ok(date::is_working_day(d, list)))
    });
    e.register_fn("add_working_days", add_working_days_named);
    e.register_fn("holidays_between", holidays_between);
    e.register_fn("add_working_days", |d: NaiveDate, n: i64, holidays: Array| {
        if !(0..=3660).contains(&n) {
            return fail("add_working_days takes between 0 and 3660 days");
        }
        date::add_working_days(d, n, &dates(&holidays)).map_or_else(|| fail("date out of range"), Ok)
    });
}

pub(crate) fn add_working_days_named(d: NaiveDate, n: i64, holidays: &str) -> Fallible<NaiveDate> {
    if !(0..=3660).contains(&n) {
        return fail("add_working_days takes between 0 and 3660 days");
    }
    with_dates(holidays, |list| date::add_working_days(d, n, list).map_or_else(|| fail("date out of range"), Ok))
}

/// Dates of a date-list parameter after `after` and up to `until`: the holidays a
/// working-day count skipped, for the reason given to the public.
pub(crate) fn holidays_between(after: NaiveDate, until: NaiveDate, holidays: &str) -> Fallible<Array> {
    // The list is sorted (at load): the window is found by binary search, not a scan of
    // every year's holidays.
    with_dates(holidays, |list| {
        let start = list.partition_point(|h| *h <= after);
        let end = list.partition_point(|h| *h <= until).max(start);
        Ok(list[start..end].iter().map(|h| Dynamic::from(*h)).collect())
    })
}

/// Run `f` over the date-list parameter `name` in force on the as-of date, tracing the lookup.
fn with_dates<T>(name: &str, f: impl FnOnce(&[NaiveDate]) -> Fallible<T>) -> Fallible<T> {
    recording(|rec| {
        let (list, from) = match rec.params.lookup_dates(name, rec.as_of) {
            Ok(found) => found,
            Err(m) => return fail(m),
        };
        if let Some(trace) = rec.trace.as_mut() {
            let value = serde_json::Value::Array(list.iter().map(|d| date::format(*d).into()).collect());
            trace.push(TraceEntry::Parameter { name: name.to_string(), value, from: date::format(from) });
        }
        f(list)
    })
}

fn dates(list: &Array) -> Vec<NaiveDate> {
    list.iter().filter_map(|d| d.clone().try_cast::<NaiveDate>()).collect()
}

fn add(total: Dynamic, x: &Dynamic) -> Fallible<Dynamic> {
    let as_dec = |d: &Dynamic| d.as_int().map(Decimal::from).ok().or_else(|| d.clone().try_cast::<Decimal>());
    match (total.as_int(), x.as_int()) {
        (Ok(a), Ok(b)) => match a.checked_add(b) {
            Some(s) => Ok(Dynamic::from_int(s)),
            None => fail("sum is too large"),
        },
        _ => match (as_dec(&total), as_dec(x)) {
            (Some(a), Some(b)) => a.checked_add(b).map(Dynamic::from_decimal).map_or_else(|| fail("sum is too large"), Ok),
            _ => fail(format!("sum needs numbers, not {}", crate::script_errors::type_name(x.type_name()))),
        },
    }
}

pub(crate) fn sum(list: &Array) -> Fallible<Dynamic> {
    list.iter().try_fold(Dynamic::from_int(0), add)
}

pub(crate) fn sum_field(list: &Array, field: &str) -> Fallible<Dynamic> {
    list.iter().try_fold(Dynamic::from_int(0), |t, item| {
        let v = item.read_lock::<Map>().and_then(|m| m.get(field).cloned());
        match v {
            Some(v) => add(t, &v),
            None => fail(format!("sum: an item has no field {field:?}")),
        }
    })
}

/// Items of `a` that are also in `b`, in `a`'s order: matched priorities and the like.
/// Through a set of `b`'s keys: comparing every pair took seconds per call on lists at
/// the sandbox's size limit, and one call counts as one step against the limit.
pub(crate) fn intersect(a: &Array, b: &Array) -> Array {
    let found = in_list(b);
    a.iter().filter(|x| found(x)).cloned().collect()
}

pub(crate) fn contains_any(a: &Array, b: &Array) -> bool {
    let found = in_list(b);
    a.iter().any(found)
}

/// `"x" in list`: a direct string comparison. Rhai's general `contains` calls `==`
/// through the engine for every item, which dominated rule sets that test membership
/// of dated lists.
pub(crate) fn contains_str(list: &Array, item: &str) -> bool {
    charge_items(list);
    list.iter().any(|x| x.read_lock::<rhai::ImmutableString>().is_some_and(|s| s.as_str() == item))
}

pub(crate) fn contains_int(list: &Array, item: i64) -> bool {
    charge_items(list);
    list.iter().any(|x| x.as_int() == Ok(item))
}

/// A search reads every item of a list for one step: its work (crate::memory) is the
/// list's items, at the size of a value on a 64-bit host wherever it runs.
fn charge_items(list: &Array) {
    crate::memory::charge(list.len() * 16);
}

/// `text.contains(part)` and `part in text`. Searching text is work in proportion to its
/// length (crate::memory): Rhai's own `index_of` and `contains` read a whole string in one
/// step, and a loop of `index_of` on 99,000 characters ran 8 s before the step limit.
pub(crate) fn text_contains(text: &str, part: &str) -> bool {
    crate::memory::charge(text.len());
    text.contains(part)
}

/// `text.index_of(part)`: where `part` first starts, in characters, or -1 (as Rhai's own,
/// which this replaces to count the search as work).
fn text_index_of(text: &str, part: &str) -> i64 {
    crate::memory::charge(text.len());
    match text.is_empty() {
        true => -1,
        false => text.find(part).map_or(-1, |i| text[..i].chars().count() as i64),
    }
}

/// "a, b and c": lists in plain English.
pub(crate) fn join_words(list: &Array) -> String {
    let words: Vec<String> = list.iter().map(item_text).collect();
    match words.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

pub(crate) fn join(list: &Array, sep: &str) -> String {
    list.iter().map(item_text).collect::<Vec<_>>().join(sep)
}

fn register_lists(e: &mut Engine) {
    e.register_fn("sum", |list: Array| sum(&list));
    e.register_fn("sum", |list: Array, field: &str| sum_field(&list, field));
    e.register_fn("intersect", |a: Array, b: Array| intersect(&a, &b));
    e.register_fn("contains", |list: &mut Array, item: rhai::ImmutableString| contains_str(list, &item));
    e.register_fn("contains", |list: &mut Array, item: i64| contains_int(list, item));
    e.register_fn("contains_any", |a: Array, b: Array| contains_any(&a, &b));
    e.register_fn("join_words", |list: Array| join_words(&list));
    e.register_fn("join", |list: Array, sep: &str| join(&list, sep));
    e.register_fn("contains", text_contains);
    e.register_fn("contains", |text: &str, c: char| text_contains(text, c.encode_utf8(&mut [0; 4])));
    e.register_fn("index_of", text_index_of);
    e.register_fn("index_of", |text: &str, c: char| text_index_of(text, c.encode_utf8(&mut [0; 4])));
}

/// A list item as text, as `${item}` in a message shows it: dates as `YYYY-MM-DD` (rhai's
/// own formatting of a date would print its Rust type name).
pub(crate) fn item_text(item: &Dynamic) -> String {
    match item.read_lock::<NaiveDate>() {
        Some(d) => date::format(*d),
        None => item.to_string(),
    }
}

/// What list items are compared by in `intersect` and `contains_any`: strings and
/// integers by value; other items never match.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum SetKey {
    Str(rhai::ImmutableString),
    Int(i64),
}

fn set_key(d: &Dynamic) -> Option<SetKey> {
    match d.read_lock::<rhai::ImmutableString>() {
        Some(s) => Some(SetKey::Str(s.clone())),
        None => d.as_int().ok().map(SetKey::Int),
    }
}

/// Up to this many items a list is scanned for each item looked up, rather than its keys
/// sorted first: the lists rules compare (priorities, categories) are this short, and the
/// sorted keys cost an allocation and more work than the scan saves.
const SCAN_UP_TO: usize = 16;

/// Whether an item is in `list`, compared by `SetKey`.
fn in_list(list: &Array) -> impl Fn(&Dynamic) -> bool + '_ {
    let sorted = (list.len() > SCAN_UP_TO).then(|| {
        let mut keys: Vec<SetKey> = list.iter().filter_map(set_key).collect();
        keys.sort_unstable();
        keys
    });
    move |x| match (set_key(x), &sorted) {
        (None, _) => false,
        (Some(k), Some(keys)) => keys.binary_search(&k).is_ok(),
        (Some(SetKey::Str(s)), None) => contains_str(list, &s),
        (Some(SetKey::Int(i)), None) => contains_int(list, i),
    }
}

/// What the load-time lint finds in a compiled script.
#[derive(Debug, Default)]
pub struct ScriptFacts {
    /// Rule ids in order of first appearance, with their position.
    pub rules: Vec<(String, Position)>,
    pub params: Vec<(String, Position)>,
    pub outcomes: Vec<(String, Position)>,
    /// Calls whose name argument is not a string literal, so cannot be checked at load.
    pub non_literal: Vec<(&'static str, Position)>,
    /// `input` or `as_of` read inside a function or closure that does not take it as a
    /// parameter: (variable, function name, where). Rhai functions see only their
    /// parameters, so these would fail only when the function runs.
    pub unseen_globals: Vec<(&'static str, String, Position)>,
}

/// `ast.walk(visit)`, every caller's visitor as the one `dyn` type: Rhai's walk is generic
/// over its visitor, and each closure type compiled a copy of it (1.7 KB of wasm each).
pub(crate) fn walk(ast: &AST, visit: &mut dyn FnMut(&[rhai::ASTNode]) -> bool) {
    ast.walk(visit);
}

/// Walk the script (function bodies included) for calls to `rule`, `param` and `outcome`.
pub fn facts(ast: &AST) -> ScriptFacts {
    use rhai::{ASTNode, Expr, Stmt};
    let mut facts = ScriptFacts::default();
    walk(ast, &mut |path: &[ASTNode]| {
        let call = match path.last() {
            Some(ASTNode::Expr(Expr::FnCall(call, pos))) | Some(ASTNode::Stmt(Stmt::FnCall(call, pos))) => Some((call, pos)),
            _ => None,
        };
        if let Some((call, pos)) = call {
            // Date-list parameters named by string in working-day helpers.
            if matches!(call.name.as_str(), "add_working_days" | "is_working_day" | "holidays_between") {
                if let Some(Expr::StringConstant(s, _)) = call.args.last() {
                    if !facts.params.iter().any(|(n, _)| n == s.as_str()) {
                        facts.params.push((s.to_string(), *pos));
                    }
                }
            }
            let kind: Option<&'static str> = match call.name.as_str() {
                "rule" => Some("rule"),
                "param" => Some("param"),
                "outcome" => Some("outcome"),
                _ => None,
            };
            if let Some(kind) = kind {
                let list = match kind {
                    "rule" => &mut facts.rules,
                    "param" => &mut facts.params,
                    _ => &mut facts.outcomes,
                };
                match call.args.first() {
                    Some(Expr::StringConstant(s, _)) => {
                        if !list.iter().any(|(n, _)| n == s.as_str()) {
                            list.push((s.to_string(), *pos));
                        }
                    }
                    _ => facts.non_literal.push((kind, *pos)),
                }
            }
        }
        true
    });
    unseen_globals(ast, &mut facts);
    facts
}

/// An AST holding just one of `ast`'s functions and no statements: walking it visits that
/// function's body alone (Rhai does not hand out a body otherwise). It shares the
/// functions: `ast.clone()` would copy the top level for every function, which was an
/// eighth of a rule set's load; `clone_functions_only_filtered` adds a module merge to
/// the WebAssembly build (and in rhai 1.27 keeps every function).
pub(crate) fn function_alone(ast: &AST, name: &str, arity: usize) -> AST {
    let mut alone = AST::new([], ast.shared_lib().clone());
    alone.retain_functions(|_, _, n, a| n == name && a == arity);
    alone
}

/// Find `input` and `as_of` read in function bodies that cannot see them. The compiler
/// lets them through (they are declared in the scope the script compiles with), but a
/// function's body sees only its parameters, so the read fails when the function runs.
/// Closures are functions too (`anon$…`), walked on their own.
fn unseen_globals(ast: &AST, facts: &mut ScriptFacts) {
    use rhai::{ASTNode, Expr, Stmt};
    for f in ast.iter_fn_def() {
        let alone = function_alone(ast, f.name.as_str(), f.params.len());
        let mut own: Vec<String> = f.params.iter().map(|p| p.to_string()).collect();
        let mut reads = Vec::new();
        walk(&alone, &mut |path: &[ASTNode]| {
            match path.last() {
                Some(ASTNode::Stmt(Stmt::Var(var, ..))) => own.push(var.0.name.to_string()),
                Some(ASTNode::Expr(Expr::Variable(v, _, pos))) => match v.1.as_str() {
                    "input" => reads.push(("input", *pos)),
                    "as_of" => reads.push(("as_of", *pos)),
                    _ => {}
                },
                _ => {}
            }
            true
        });
        let mut reported: Vec<&str> = Vec::new();
        for (var, pos) in reads {
            if !own.iter().any(|o| o == var) && !reported.contains(&var) {
                reported.push(var);
                facts.unseen_globals.push((var, f.name.to_string(), pos));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::ruleset::{Files, RuleSet};
    use crate::{ErrorCode, EvalOptions};

    const MANIFEST: &str = "id = \"r\"\ntitle = \"t\"\nversion = \"1\"\nowner = \"o\"\ndescription = \"d\"\n\
        [as_of]\nfield = \"on\"\n[[outcomes]]\nid = \"done\"\nlabel = \"Done\"\n\
        [[input]]\nname = \"on\"\ntype = \"date\"\n[[input]]\nname = \"age\"\ntype = \"integer\"\nrequired = false\n";

    fn load(script: &str) -> RuleSet {
        let mut files = Files::new();
        files.insert("ruleset.toml".into(), MANIFEST.into());
        files.insert("rules.rhai".into(), script.into());
        RuleSet::from_files("r", files).unwrap()
    }

    fn load_err(script: &str) -> crate::Error {
        let mut files = Files::new();
        files.insert("ruleset.toml".into(), MANIFEST.into());
        files.insert("rules.rhai".into(), script.into());
        RuleSet::from_files("r", files).unwrap_err()
    }

    /// `input` and `as_of` read inside a function or closure that does not take them fail
    /// at load, at the read, rather than only when the function runs.
    #[test]
    fn functions_that_read_input_without_taking_it_are_refused_at_load() {
        let e = load_err("fn grown() { input.age >= 18 }\nrule(\"adult\", grown(), \"ok\");\noutcome(\"done\");\n");
        assert_eq!(e.code, ErrorCode::RulesetError);
        let at = e.location.clone().unwrap();
        assert_eq!((at.file.as_str(), at.line, at.column), ("rules.rhai", 1, 14));
        assert!(e.message.contains("function grown cannot see `input`"), "{}", e.message);

        let e = load_err("let f = |d| d > as_of;\nrule(\"later\", f.call(as_of), \"ok\");\noutcome(\"done\");\n");
        let at = e.location.clone().unwrap();
        assert_eq!((at.line, at.column), (1, 17));
        assert!(e.message.contains("a closure cannot see `as_of`"), "{}", e.message);

        // Taking it as a parameter, or declaring its own, is fine.
        let rs = load("fn grown(input) { input.age >= 18 }\nfn shadow() { let as_of = 1; as_of }\n\
            rule(\"adult\", grown(input) && shadow() == 1, \"ok\");\noutcome(\"done\");\n");
        let d = rs.evaluate(&serde_json::json!({"on": "2020-01-01", "age": 30}), &EvalOptions::default()).unwrap();
        assert!(d.reasons[0].passed);
    }

    /// `intersect` and `contains_any` scan a short list and search a long one's sorted keys:
    /// both ways give what the plain definition gives (strings and integers by value, in the
    /// first list's order, its repeats kept; other items never match), on either side of
    /// the length where they switch.
    #[test]
    fn list_matching_is_the_same_for_short_and_long_lists() {
        use super::{contains_any, intersect, SCAN_UP_TO};
        use rhai::{Array, Dynamic};
        let item = |k: u64| match k % 5 {
            0 | 1 => Dynamic::from(format!("s{}", k % 7)),
            2 | 3 => Dynamic::from_int((k % 6) as i64),
            _ => Dynamic::from_bool(true),
        };
        let same = |x: &Dynamic, y: &Dynamic| match (x.clone().into_string(), y.clone().into_string()) {
            (Ok(a), Ok(b)) => a == b,
            (Err(_), Err(_)) => x.is_int() && y.is_int() && x.as_int() == y.as_int(),
            _ => false,
        };
        let mut seed = 7u64;
        let mut next = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            seed >> 33
        };
        for len in (0..=SCAN_UP_TO + 8).chain([100, 400]) {
            for _ in 0..20 {
                let a: Array = (0..next() % 12).map(|_| item(next())).collect();
                let b: Array = (0..len).map(|_| item(next())).collect();
                let want: Vec<String> = a.iter().filter(|x| b.iter().any(|y| same(x, y))).map(|x| format!("{x:?}")).collect();
                let got: Vec<String> = intersect(&a, &b).iter().map(|x| format!("{x:?}")).collect();
                assert_eq!(got, want, "intersect with a second list of {len}");
                assert_eq!(contains_any(&a, &b), !want.is_empty(), "contains_any with a second list of {len}");
            }
        }
    }

    /// Dates in joined lists read as they do in `${…}`, not as a Rust type name.
    #[test]
    fn joined_lists_show_dates_as_dates() {
        let rs = load("let days = [as_of, add_days(as_of, 1)];\n\
            rule(\"r\", true, `${join_words(days)} | ${join(days, \"/\")} | ${join_words([1, \"b\"])}`);\noutcome(\"done\");\n");
        let d = rs.evaluate(&serde_json::json!({"on": "2020-02-28"}), &EvalOptions::default()).unwrap();
        assert_eq!(d.reasons[0].message.as_deref(), Some("2020-02-28 and 2020-02-29 | 2020-02-28/2020-02-29 | 1 and b"));
    }

    #[test]
    fn reject_input_answers_invalid_input_at_the_path() {
        let rs = load(
            "fn need(x) { if x == () { reject_input(\"/age\", \"give an age\"); } x }\n\
             let a = need(input.age);\nrule(\"r\", a > 1, \"ok\");\noutcome(\"done\");",
        );
        let e = rs.evaluate(&serde_json::json!({"on": "2020-01-01"}), &EvalOptions::default()).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
        assert_eq!(e.issues.len(), 1);
        assert_eq!((e.issues[0].path.as_str(), e.issues[0].message.as_str()), ("/age", "give an age"));
        // Given the field, the same script decides.
        let d = rs.evaluate(&serde_json::json!({"on": "2020-01-01", "age": 4}), &EvalOptions::default()).unwrap();
        assert_eq!(d.outcome, "done");
    }

    #[test]
    fn reject_input_needs_a_field_path_and_other_throws_stay_evaluation_errors() {
        let rs = load("rule(\"r\", true, \"ok\");\nreject_input(\"age\", \"x\");\noutcome(\"done\");");
        let e = rs.evaluate(&serde_json::json!({"on": "2020-01-01"}), &EvalOptions::default()).unwrap_err();
        assert_eq!(e.code, ErrorCode::EvaluationError);
        assert!(e.message.contains("must be a field path"), "{}", e.message);
        let rs = load("rule(\"r\", true, \"ok\");\nthrow #{ path: \"/age\", message: \"x\" };\noutcome(\"done\");");
        let e = rs.evaluate(&serde_json::json!({"on": "2020-01-01"}), &EvalOptions::default()).unwrap_err();
        assert_eq!(e.code, ErrorCode::EvaluationError);
    }
}
