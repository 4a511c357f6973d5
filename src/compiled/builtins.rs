//! The library functions compiled scripts call, resolved by name and arity at load and
//! by argument types when called. Each runs the same code as the Rhai registration
//! (crate::script) or the Rhai package function it stands for; a type combination not
//! handled here gives up, and Rhai's interpreter takes the evaluation over.

use super::eval::{too_big, Failure};
use crate::script::{self, limits};
use crate::value::int_of;
use crate::{date, money};
use chrono::NaiveDate;
use rhai::{Array, Dynamic, ImmutableString, Map};
use rust_decimal::{Decimal, RoundingStrategy};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Builtin {
    Param,
    /// `param("name")` / `param("name", on)` with the name written in the script: the
    /// parameter's place among the rule set's, found at load.
    ParamAt(usize),
    /// `item in param("name")` or `param("name").contains(item)`, the parameter found at
    /// load: searched where it is kept, not copied for the test.
    ParamContains(usize),
    Value,
    /// `value("name", v)` with every value's name written in the script: the name's place
    /// in name order among them, found at load (see `script::record_value`).
    ValueAt(u32),
    Rule,
    Outcome,
    RejectInput,
    AsOf,
    LongDate,
    Weekday,
    AgeOn,
    AddYears,
    AddMonths,
    AddDays,
    DaysBetween,
    MakeDate,
    AddWorkingDays,
    HolidaysBetween,
    Money,
    Percent,
    MakeDecimal,
    Pence,
    Min,
    Max,
    Round,
    RoundUp,
    RoundDown,
    Floor,
    Intersect,
    ContainsAny,
    Sum,
    JoinWords,
    Join,
    Contains,
    Len,
    IsEmpty,
    Pop,
    Push,
    Replace,
    /// `throw`: Rhai's interpreter words the error.
    GiveUp,
    /// `list.map(closure)` and `list.filter(closure)`: the script function's number.
    MapEach(usize),
    FilterEach(usize),
}

impl Builtin {
    /// The library function `name` taking `arity` arguments (a method's object counts).
    pub(super) fn find(name: &str, arity: usize) -> Option<Builtin> {
        use Builtin::*;
        Some(match (name, arity) {
            ("param", 1 | 2) => Param,
            ("value", 2) => Value,
            ("rule", 3..=5) => Rule,
            ("outcome", 1) => Outcome,
            ("reject_input", 2) => RejectInput,
            ("as_of", 0) => AsOf,
            ("long_date", 1) => LongDate,
            ("weekday", 1) => Weekday,
            ("age_on", 2) => AgeOn,
            ("add_years", 2) => AddYears,
            ("add_months", 2) => AddMonths,
            ("add_days", 2) => AddDays,
            ("days_between", 2) => DaysBetween,
            ("date", 1) => MakeDate,
            ("add_working_days", 3) => AddWorkingDays,
            ("holidays_between", 3) => HolidaysBetween,
            ("money", 1) => Money,
            ("percent", 1) => Percent,
            ("decimal", 1) => MakeDecimal,
            ("pence", 1) => Pence,
            ("min", 2) => Min,
            ("max", 2) => Max,
            ("round", 2) => Round,
            ("round_up", 2) => RoundUp,
            ("round_down", 2) => RoundDown,
            ("floor", 1) => Floor,
            ("intersect", 2) => Intersect,
            ("contains_any", 2) => ContainsAny,
            ("sum", 1 | 2) => Sum,
            ("join_words", 1) => JoinWords,
            ("join", 2) => Join,
            ("contains", 2) => Contains,
            ("len", 1) => Len,
            ("is_empty", 1) => IsEmpty,
            ("pop", 1) => Pop,
            ("push", 2) => Push,
            ("replace", 3) => Replace,
            _ => return None,
        })
    }

    /// Whether it changes its first argument in place.
    pub(super) fn mutates(self) -> bool {
        matches!(self, Builtin::Pop | Builtin::Push | Builtin::Replace)
    }
}

type Out = Result<Dynamic, Failure>;

fn text(d: &Dynamic) -> Result<ImmutableString, Failure> {
    d.as_immutable_string_ref().map(|s| s.clone()).map_err(|_| Failure::GiveUp)
}

/// A text argument's own string, taken rather than copied (through `Display`, which
/// `to_string` would go by) when nothing else holds it.
fn owned_text(d: &mut Dynamic) -> Result<String, Failure> {
    std::mem::take(d).into_immutable_string().map(|s| s.into_owned()).map_err(|_| Failure::GiveUp)
}

/// Both are text (checked in place, without taking a copy of either).
fn both_text(a: &Dynamic, b: &Dynamic) -> Result<(), Failure> {
    if a.is_string() && b.is_string() {
        Ok(())
    } else {
        Err(Failure::GiveUp)
    }
}

fn int(d: &Dynamic) -> Result<i64, Failure> {
    d.as_int().map_err(|_| Failure::GiveUp)
}

fn boolean(d: &Dynamic) -> Result<bool, Failure> {
    d.as_bool().map_err(|_| Failure::GiveUp)
}

fn day(d: &Dynamic) -> Result<NaiveDate, Failure> {
    d.read_lock::<NaiveDate>().map(|d| *d).ok_or(Failure::GiveUp)
}

fn dec(d: &Dynamic) -> Result<Decimal, Failure> {
    d.as_decimal().map_err(|_| Failure::GiveUp)
}

/// A decimal, or an integer as one (for the functions registered for both).
fn number(d: &Dynamic) -> Result<Decimal, Failure> {
    match int_of(d) {
        Some(i) => Ok(Decimal::from(i)),
        None => dec(d),
    }
}

fn with_array<T>(d: &Dynamic, f: impl FnOnce(&Array) -> T) -> Result<T, Failure> {
    d.read_lock::<Array>().map(|a| f(&a)).ok_or(Failure::GiveUp)
}

/// `x.contains(item)` (`item in x`): an item of a list, a key of a map, text within text.
fn contains(x: &Dynamic, item: &Dynamic) -> Out {
    if x.is_array() {
        if let Some(s) = item.read_lock::<ImmutableString>() {
            return with_array(x, |a| script::contains_str(a, &s).into());
        }
        if let Some(i) = int_of(item) {
            return with_array(x, |a| script::contains_int(a, i).into());
        }
        Err(Failure::GiveUp)
    } else if x.is_map() {
        let key = text(item)?;
        Ok(x.read_lock::<Map>().ok_or(Failure::GiveUp)?.contains_key(key.as_str()).into())
    } else if x.is_string() {
        Ok(script::text_contains(&text(x)?, &text(item)?).into())
    } else {
        Err(Failure::GiveUp)
    }
}

fn date_out(d: Option<NaiveDate>) -> Out {
    d.map(Dynamic::from).ok_or(Failure::GiveUp)
}

fn lib<T: Into<Dynamic>>(r: Result<T, Box<rhai::EvalAltResult>>) -> Out {
    r.map(Into::into).map_err(Failure::from)
}

fn checked(d: Dynamic) -> Out {
    if too_big(&d) {
        Err(Failure::GiveUp)
    } else {
        Ok(d)
    }
}

/// `rule(id, passed, ...)` in a brief decision, its wording skipped (see `wording`): the
/// same checks of the two arguments kept.
pub(super) fn unworded_rule(id: &Dynamic, passed: &Dynamic) -> Out {
    lib(script::record_rule(text(id)?, boolean(passed)?, String::new(), None))
}

/// Call `f` with its first argument `x` (by reference: changed in place by the three that
/// change things) and the rest in `a`.
pub(super) fn call(f: Builtin, x: &mut Dynamic, a: &mut [Dynamic]) -> Out {
    use Builtin::*;
    match (f, &mut *a) {
        (Param, []) => lib(script::lookup_param(&text(x)?, None)),
        (Param, [on]) => lib(script::lookup_param(&text(x)?, Some(day(on)?))),
        (ParamAt(i), []) => lib(script::lookup_param_at(Some(i), &text(x)?, None)),
        (ParamAt(i), [on]) => lib(script::lookup_param_at(Some(i), &text(x)?, Some(day(on)?))),
        (ParamContains(i), [item]) => script::with_param_at(i, &text(x)?, |list| contains(list, item)).map_err(Failure::from)?,
        (Value | ValueAt(_), [v]) => {
            let rank = if let ValueAt(rank) = f { Some(rank) } else { None };
            lib(script::record_value(rank, text(x)?, std::mem::take(v)))
        }
        (Rule, [passed, message]) => {
            let passed = boolean(passed)?;
            lib(script::record_rule(text(x)?, passed, owned_text(message)?, None))
        }
        (Rule, [passed, message, used]) if used.is_map() => {
            let (passed, message) = (boolean(passed)?, owned_text(message)?);
            let used = used.read_lock::<Map>().ok_or(Failure::GiveUp)?;
            lib(script::record_rule(text(x)?, passed, message, Some(&used)))
        }
        (Rule, [passed, if_passed, if_failed]) => {
            let passed = boolean(passed)?;
            // Both must be text, as Rhai's signature requires; the one for the way it went is kept.
            both_text(if_passed, if_failed)?;
            lib(script::record_rule(text(x)?, passed, owned_text(if passed { if_passed } else { if_failed })?, None))
        }
        (Rule, [passed, if_passed, if_failed, used]) => {
            let passed = boolean(passed)?;
            both_text(if_passed, if_failed)?;
            let message = owned_text(if passed { if_passed } else { if_failed })?;
            let used = used.read_lock::<Map>().ok_or(Failure::GiveUp)?;
            lib(script::record_rule(text(x)?, passed, message, Some(&used)))
        }
        (Outcome, []) => lib(script::record_outcome(&text(x)?)),
        (RejectInput, [message]) => lib(script::reject_input(&text(x)?, &text(message)?)),
        (LongDate, []) => Ok(date::long_form(day(x)?).into()),
        (Weekday, []) => Ok(date::weekday_name(day(x)?).to_string().into()),
        (AgeOn, [on]) => Ok(Dynamic::from_int(date::age_on(day(x)?, day(on)?))),
        (AddYears, [n]) => date_out(date::add_months(day(x)?, int(n)?.saturating_mul(12))),
        (AddMonths, [n]) => date_out(date::add_months(day(x)?, int(n)?)),
        (AddDays, [n]) => date_out(date::add_days(day(x)?, int(n)?)),
        (DaysBetween, [b]) => Ok(Dynamic::from_int((day(b)? - day(x)?).num_days())),
        (MakeDate, []) => date_out(date::parse(&text(x)?).ok()),
        (AddWorkingDays, [n, list]) if list.is_string() => lib(script::add_working_days_named(day(x)?, int(n)?, &text(list)?).map(Dynamic::from)),
        (HolidaysBetween, [until, list]) => {
            lib(script::holidays_between(day(x)?, day(until)?, &text(list)?).map(Dynamic::from_array))
        }
        (Money, []) => Ok(money::format_money(number(x)?).into()),
        (Percent, []) => Ok(money::format_percent(number(x)?).into()),
        (MakeDecimal, []) if x.is_int() => Ok(Dynamic::from_decimal(Decimal::from(int(x)?))),
        (MakeDecimal, []) => money::parse_decimal(&text(x)?).map(Dynamic::from_decimal).ok_or(Failure::GiveUp),
        (Pence, []) if x.is_int() => Ok(Dynamic::from_decimal(Decimal::from(int(x)?))),
        (Pence, []) => Ok(Dynamic::from_decimal(dec(x)?.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))),
        // Integers: Rhai's own min and max; with a decimal either side, the registered ones.
        (Min | Max, [b]) if x.is_int() && b.is_int() => {
            let (x, y) = (int(x)?, int(b)?);
            Ok(Dynamic::from_int(if f == Min { if x <= y { x } else { y } } else if x >= y { x } else { y }))
        }
        (Min, [b]) => Ok(Dynamic::from_decimal(number(x)?.min(number(b)?))),
        (Max, [b]) => Ok(Dynamic::from_decimal(number(x)?.max(number(b)?))),
        (Round | RoundUp | RoundDown, [digits]) => {
            let (x, digits) = (dec(x)?, int(digits)?);
            let Ok(digits) = u32::try_from(digits) else {
                return Err(Failure::GiveUp);
            };
            Ok(Dynamic::from_decimal(match f {
                Round => x.round_dp(digits),
                RoundUp => x.round_dp_with_strategy(digits, RoundingStrategy::AwayFromZero),
                _ => x.round_dp_with_strategy(digits, RoundingStrategy::ToZero),
            }))
        }
        (Floor, []) => Ok(Dynamic::from_decimal(dec(x)?.floor())),
        (Intersect, [b]) => {
            let b = b.read_lock::<Array>().ok_or(Failure::GiveUp)?;
            with_array(x, |a| Dynamic::from_array(script::intersect(a, &b)))
        }
        (ContainsAny, [b]) => {
            let b = b.read_lock::<Array>().ok_or(Failure::GiveUp)?;
            with_array(x, |a| Dynamic::from_bool(script::contains_any(a, &b)))
        }
        (Sum, []) => with_array(x, script::sum).and_then(lib),
        (Sum, [field]) => {
            let field = text(field)?;
            with_array(x, |a| script::sum_field(a, &field)).and_then(lib)
        }
        (JoinWords, []) => checked(with_array(x, |a| script::join_words(a).into())?),
        (Join, [sep]) => {
            let sep = text(sep)?;
            checked(with_array(x, |a| script::join(a, &sep).into())?)
        }
        (Contains, [item]) => contains(x, item),
        (Len | IsEmpty, []) => {
            let len = if let Some(a) = x.read_lock::<Array>() {
                a.len()
            } else if let Some(m) = x.read_lock::<Map>() {
                m.len()
            } else if x.is_string() {
                text(x)?.chars().count()
            } else {
                return Err(Failure::GiveUp);
            };
            Ok(if f == Len { Dynamic::from_int(len as i64) } else { Dynamic::from_bool(len == 0) })
        }
        (Pop, []) => {
            let mut list = x.write_lock::<Array>().ok_or(Failure::GiveUp)?;
            Ok(list.pop().unwrap_or(Dynamic::UNIT))
        }
        (Push, [item]) => {
            {
                let mut list = x.write_lock::<Array>().ok_or(Failure::GiveUp)?;
                list.push(std::mem::take(item));
            }
            if too_big(x) {
                return Err(Failure::GiveUp);
            }
            Ok(Dynamic::UNIT)
        }
        (Replace, [find, with]) => {
            let (find, with) = (text(find)?, text(with)?);
            let s = text(x)?;
            let replaced = s.replace(find.as_str(), with.as_str());
            if replaced.len() > limits::MAX_STRING_SIZE {
                return Err(Failure::GiveUp);
            }
            *x = Dynamic::from(replaced);
            Ok(Dynamic::UNIT)
        }
        _ => Err(Failure::GiveUp),
    }
}
