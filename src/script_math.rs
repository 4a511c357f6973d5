//! The number functions scripts have: Rhai's basic math package without its trigonometry,
//! roots, exponentials and logarithms (`sin`, `cos`, `tan`, `sqrt`, `exp`, `ln`, `log`,
//! `PI`, `E`). Eligibility rules count, compare and round money; those functions pulled
//! rust_decimal's series arithmetic into the WebAssembly module: without them it is 2.6 KB
//! gzip smaller. What is kept is Rhai's, function for function, with Rhai's error messages.

use rhai::{EvalAltResult, FuncRegistration, Module, Position, INT};
use rust_decimal::prelude::{FromStr, RoundingStrategy, ToPrimitive};
use rust_decimal::Decimal;

type Fallible<T> = Result<T, Box<EvalAltResult>>;
/// A whole-number part of a decimal (`floor`, `int`, ...).
type Part = fn(Decimal) -> Decimal;

fn arithmetic_error(message: String) -> Box<EvalAltResult> {
    EvalAltResult::ErrorArithmetic(message, Position::NONE).into()
}

fn parse_int(text: &str, radix: INT) -> Fallible<INT> {
    if !(2..=36).contains(&radix) {
        return Err(arithmetic_error(format!("Invalid radix: '{radix}'")));
    }
    INT::from_str_radix(text.trim(), radix as u32)
        .map_err(|e| arithmetic_error(format!("Error parsing integer number '{text}': {e}")))
}

fn parse_decimal(text: &str) -> Fallible<Decimal> {
    Decimal::from_str(text)
        .or_else(|_| Decimal::from_scientific(text))
        .map_err(|e| arithmetic_error(format!("Error parsing decimal number '{text}': {e}")))
}

/// Round to `digits` places the way `strategy` says; negative `digits` is an error, and
/// more places than a u32 holds leave the number as it is (as Rhai does).
fn round_to(x: Decimal, digits: INT, strategy: RoundingStrategy) -> Fallible<Decimal> {
    if digits < 0 {
        return Err(arithmetic_error(format!("Invalid number of digits for rounding: {digits}")));
    }
    Ok(u32::try_from(digits).map_or(x, |d| x.round_dp_with_strategy(d, strategy)))
}

/// Register the functions into `lib` (the rule package).
pub(crate) fn register(lib: &mut Module) {
    FuncRegistration::new("parse_int").set_into_module(lib, |s: &str| parse_int(s, 10));
    FuncRegistration::new("parse_int").set_into_module(lib, parse_int);
    FuncRegistration::new("to_int").set_into_module(lib, |x: INT| x);
    FuncRegistration::new("to_int").set_into_module(lib, |c: char| c as INT);
    FuncRegistration::new("to_int").set_into_module(lib, |x: Decimal| {
        x.to_i64().ok_or_else(|| arithmetic_error(format!("Integer overflow: to_int({x})")))
    });
    FuncRegistration::new("parse_float").set_into_module(lib, parse_decimal);
    FuncRegistration::new("parse_decimal").set_into_module(lib, parse_decimal);
    FuncRegistration::new("to_decimal").set_into_module(lib, |x: Decimal| x);
    FuncRegistration::new("to_decimal").set_into_module(lib, |x: INT| Decimal::from(x));

    // Whole-number parts, each as a function and as a property (`x.floor`).
    let parts: [(&str, Part); 5] = [
        ("floor", |x| x.floor()),
        ("ceiling", |x| x.ceil()),
        ("round", |x| x.round()),
        ("int", |x| x.trunc()),
        ("fraction", |x| x.fract()),
    ];
    for (name, f) in parts {
        FuncRegistration::new(name).set_into_module(lib, f);
        FuncRegistration::new_getter(name).set_into_module(lib, f);
    }

    let rounding: [(&str, RoundingStrategy); 5] = [
        ("round", RoundingStrategy::MidpointNearestEven),
        ("round_up", RoundingStrategy::AwayFromZero),
        ("round_down", RoundingStrategy::ToZero),
        ("round_half_up", RoundingStrategy::MidpointAwayFromZero),
        ("round_half_down", RoundingStrategy::MidpointTowardZero),
    ];
    for (name, strategy) in rounding {
        FuncRegistration::new(name).set_into_module(lib, move |x: Decimal, digits: INT| round_to(x, digits, strategy));
    }
}
