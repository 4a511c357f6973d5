//! Exact money and decimals: JSON numbers are read from their text (never through binary
//! floating point) and written back as exact decimal text.

use rust_decimal::Decimal;

/// Read a decimal from JSON number or numeric-string text. `None` if it is not a plain
/// decimal number or does not fit in 28 significant digits.
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    let t = text.trim();
    if t.is_empty() || t.len() > 40 {
        return None;
    }
    if t.contains(['e', 'E']) {
        return Decimal::from_scientific(t).ok();
    }
    Decimal::from_str_exact(t).ok()
}

/// Why [`parse_decimal`] refused `text`, worded to follow the text as written: too large, too
/// many digits to hold exactly, or not a number at all. Numbers are held exactly (28 or 29
/// significant digits, at most 28 after the point), so `1e400` is a number, only too large.
pub fn number_problem(text: &str) -> String {
    let t = text.trim();
    let (negative, t) = t.strip_prefix('-').map_or((false, t), |rest| (true, rest));
    let (mantissa, exponent) = match t.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix('+').unwrap_or(e))),
        None => (t, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let exponent_ok = exponent.is_none_or(|e| {
        let digits = e.strip_prefix('-').unwrap_or(e);
        !digits.is_empty() && all_digits(digits)
    });
    if whole.len() + fraction.len() == 0 || !all_digits(whole) || !all_digits(fraction) || !exponent_ok {
        return "is not a number".into();
    }
    // The exponent, saturated: past ±10^6 a number is far out of range either way.
    // (Digits added up by hand: `str::parse` for i64 would add 0.8 KB to the WebAssembly module.)
    let exponent: i64 = exponent.map_or(0, |e| {
        let (sign, digits) = e.strip_prefix('-').map_or((1, e), |d| (-1, d));
        sign * digits.bytes().fold(0i64, |n, b| n.saturating_mul(10).saturating_add(i64::from(b - b'0')).min(1_000_000))
    });
    let digits = format!("{whole}{fraction}");
    let significant = digits.trim_start_matches('0');
    // How many digits the number has before its decimal point once the exponent is applied.
    let places_before = significant.len() as i64 - fraction.len() as i64 + exponent;
    let max = Decimal::MAX.to_string();
    let too_large = !significant.is_empty()
        && (places_before > max.len() as i64
            || places_before == max.len() as i64 && format!("{significant:0<29}").as_str()[..max.len()] > *max.as_str());
    if too_large {
        let max = group_thousands(&max);
        return match negative {
            false => format!("is too large: the largest number that can be held exactly is {max}"),
            true => format!("is too large a negative number: the smallest that can be held exactly is -{max}"),
        };
    }
    if fraction.len() as i64 - exponent > 28 {
        return "has too many decimal places: a number is held exactly to at most 28".into();
    }
    if t.len() > 40 {
        return "is too long: a number may be written in at most 40 characters".into();
    }
    "has too many digits: a number is held exactly to at most 28 significant digits".into()
}

/// A number as a person writes it in text (`"1250.50"`, `"£1,250.50"`) as plain decimal
/// text for [`parse_decimal`]: at most one leading `£`, and commas only between thousands,
/// since `"150,00"` read with its comma dropped is 15000, not 150. The error says what is
/// wrong; text that is not a number at all is left to [`parse_decimal`] to refuse.
pub fn plain_number(text: &str) -> Result<std::borrow::Cow<'_, str>, String> {
    let t = text.trim();
    let t = t.strip_prefix('£').map_or(t, str::trim_start);
    // rust_decimal would skip '_' and take a leading '+'; neither is how an amount is written.
    let problem = if t.contains('£') {
        "£ may be written once, at the start"
    } else if t.contains('_') {
        "_ is not part of a number"
    } else if t.starts_with('+') || t.as_bytes().windows(2).any(|w| w[1] == b'+' && !matches!(w[0], b'e' | b'E')) {
        "a number takes no + sign"
    } else if !t.contains(',') {
        return Ok(t.into());
    } else if thousands(t) {
        return Ok(t.replace(',', "").into());
    } else if t.split_once(',').is_some_and(|(_, pence)| (1..=2).contains(&pence.len()) && pence.bytes().all(|b| b.is_ascii_digit())) {
        // "2,50": a decimal comma, as much of Europe writes pounds and pence; "1.250,50" with
        // points between thousands too, written in pounds as 1250.50, not 1.250.50.
        return Err(format!("{text:?}: a comma may only separate thousands; for pence write a point, like {:?}", t.replace('.', "").replace(',', ".")));
    } else {
        "a comma may only separate thousands, like 1,250.50"
    };
    Err(format!("{text:?}: {problem}"))
}

/// Whether the commas in `t` separate thousands: 1 to 3 digits, then groups of exactly
/// three, all before any decimal point.
fn thousands(t: &str) -> bool {
    let whole = t.strip_prefix('-').unwrap_or(t).split('.').next().unwrap_or("");
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or("");
    let digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    (1..=3).contains(&first.len()) && digits(first) && groups.all(|g| g.len() == 3 && digits(g)) && !t.split_once('.').is_some_and(|(_, f)| f.contains(','))
}

/// A decimal as a JSON number with exact text.
pub fn decimal_to_json(d: Decimal) -> serde_json::Value {
    let text = decimal_text(d);
    // Number's own parser keeps the text (arbitrary_precision), without a deserializer's
    // round trip through a map.
    match text.parse::<serde_json::Number>() {
        Ok(n) => serde_json::Value::Number(n),
        Err(_) => serde_json::Value::String(text),
    }
}

/// `d` as its `Display` writes it (`-12.50`, `0.003`, `-0`), from the mantissa's digits:
/// rust_decimal divides its 96-bit mantissa by ten per digit, which showed in profiles of
/// decisions carrying amounts. tests/properties.rs checks the two agree.
pub fn decimal_text(d: Decimal) -> String {
    let mut out = String::with_capacity(32);
    decimal_parts(d, |part| out.extend(part.iter().map(|&b| char::from(b))));
    out
}

/// [`decimal_text`] written onto the end of `out`, with no allocation of its own (decision
/// text writes several amounts per evaluation).
pub fn write_decimal(out: &mut Vec<u8>, d: Decimal) {
    decimal_parts(d, |part| out.extend_from_slice(part));
}

/// `d`'s text in ASCII pieces, handed to `put` in order.
fn decimal_parts(d: Decimal, mut put: impl FnMut(&[u8])) {
    let mut buf = [0u8; 40];
    let digits = digits(d.mantissa().unsigned_abs(), &mut buf);
    let scale = d.scale() as usize;
    if d.is_sign_negative() {
        put(b"-");
    }
    if scale == 0 {
        put(digits);
    } else if digits.len() > scale {
        let (whole, fraction) = digits.split_at(digits.len() - scale);
        put(whole);
        put(b".");
        put(fraction);
    } else {
        put(b"0.");
        for _ in digits.len()..scale {
            put(b"0");
        }
        put(digits);
    }
}

/// `n`'s decimal digits, written into the end of `buf` (a u128 has at most 39). Nineteen
/// at a time in u64 arithmetic: u128 division is a library call.
fn digits(n: u128, buf: &mut [u8; 40]) -> &[u8] {
    const E19: u128 = 10_000_000_000_000_000_000;
    let mut i = buf.len();
    let mut rest = n;
    loop {
        let (mut chunk, more) = match u64::try_from(rest) {
            Ok(x) => (x, 0),
            Err(_) => ((rest % E19) as u64, rest / E19),
        };
        let end = i;
        loop {
            i -= 1;
            buf[i] = b'0' + (chunk % 10) as u8;
            chunk /= 10;
            if chunk == 0 {
                break;
            }
        }
        if more == 0 {
            return &buf[i..];
        }
        // A chunk below the top one has all nineteen digits, leading zeros included.
        while end - i < 19 {
            i -= 1;
            buf[i] = b'0';
        }
        rest = more;
    }
}

/// `£3,500.00`: pounds with thousands separators and pence, rounded half away from zero.
pub fn format_money(d: Decimal) -> String {
    let rounded = d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    // Whole pence from the mantissa (at most 96 bits, scale at most 2 once rounded): digits
    // written directly, as reasons format several amounts per evaluation.
    let pence = rounded.mantissa().unsigned_abs() * 10u128.pow(2 - rounded.scale().min(2));
    let mut buf = [0u8; 40];
    let whole = digits(pence / 100, &mut buf);
    let mut out = String::with_capacity(whole.len() + whole.len() / 3 + 6);
    if rounded.is_sign_negative() && pence != 0 {
        out.push('-');
    }
    out.push('£');
    push_grouped(&mut out, whole);
    out.push('.');
    let p = (pence % 100) as u8;
    out.push(char::from(b'0' + p / 10));
    out.push(char::from(b'0' + p % 10));
    out
}

/// `1234567` → `1,234,567` (`digits`: ASCII digits, as an integer's `to_string` gives).
pub fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    push_grouped(&mut out, digits.as_bytes());
    out
}

fn push_grouped(out: &mut String, digits: &[u8]) {
    for (i, &digit) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(char::from(digit));
    }
}

/// `0.3` → `30%`, `0.3333` → `33.33%`: a share as a percentage, trailing zeros dropped.
pub fn format_percent(share: Decimal) -> String {
    let pct = (share * Decimal::ONE_HUNDRED).round_dp(2).normalize();
    format!("{pct}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exactly() {
        assert_eq!(parse_decimal("3000.01").unwrap().to_string(), "3000.01");
        assert_eq!(parse_decimal("0.1").unwrap() + parse_decimal("0.2").unwrap(), parse_decimal("0.3").unwrap());
        assert_eq!(parse_decimal("1e3").unwrap(), Decimal::from(1000));
        assert!(parse_decimal("abc").is_none());
        assert!(parse_decimal("1e400").is_none());
        assert!(parse_decimal("99999999999999999999999999999999").is_none());
    }

    #[test]
    fn a_refused_number_is_called_too_large_only_when_it_is() {
        let large = "is too large: the largest number that can be held exactly is 79,228,162,514,264,337,593,543,950,335";
        for text in ["123456789012345678901234567890", "1e400", "1E+29", "79228162514264337593543950336", "8e28", "0.1e30", " 1e1000000000000 "] {
            assert!(parse_decimal(text).is_none(), "{text}");
            assert_eq!(number_problem(text), large, "{text}");
        }
        assert!(number_problem("-1e400").starts_with("is too large a negative number: the smallest that can be held exactly is -79,228,"));
        for (text, problem) in [
            ("1e-400", "has too many decimal places"),
            ("0.00000000000000000000000000001", "has too many decimal places"),
            ("12345678901234567890.123456789012", "has too many digits"),
            ("1.00000000000000000000000000000", "has too many decimal places"),
            ("00000000000000000000000000000000000000001", "is too long"),
            ("lots", "is not a number"),
            ("1e", "is not a number"),
            ("1.2.3", "is not a number"),
            ("-", "is not a number"),
            ("0x10", "is not a number"),
        ] {
            assert!(parse_decimal(text).is_none(), "{text}");
            assert!(number_problem(text).starts_with(problem), "{text}: {}", number_problem(text));
        }
        // Just inside the range: taken, so never worded.
        assert!(parse_decimal("79228162514264337593543950335").is_some());
        assert!(parse_decimal("7.9228162514264337593543950335e28").is_some());
    }

    #[test]
    fn number_text_takes_commas_only_between_thousands() {
        for (text, plain) in [("1250.50", "1250.50"), ("£1,250.50", "1250.50"), (" -1,000 ", "-1000"), ("999,999,999.5", "999999999.5"), ("1e+3", "1e+3"), ("0.5", "0.5"), ("£ 1,250", "1250")] {
            assert_eq!(plain_number(text).as_deref(), Ok(plain), "{text}");
        }
        for text in ["150,00", "2,50", "1,2,3", ",,,1", "1,", "1,0000", "1000,000", "1.000,5", "££5", "5£", "1_000", "+5", "1+5"] {
            assert!(plain_number(text).is_err(), "{text}");
        }
    }

    #[test]
    fn decimal_text_at_the_edges_is_rust_decimals_own() {
        // from_parts drops a zero's sign; set_sign_negative and arithmetic can keep it.
        let zero = |negative, scale| {
            let mut z = Decimal::new(0, scale);
            z.set_sign_negative(negative);
            z
        };
        assert!(zero(true, 2).is_sign_negative());
        assert_eq!(decimal_text(Decimal::NEGATIVE_ONE * Decimal::new(0, 1)), (Decimal::NEGATIVE_ONE * Decimal::new(0, 1)).to_string());
        for d in [zero(true, 0), zero(true, 2), zero(false, 3), Decimal::new(3, 3), Decimal::new(-1250, 2), Decimal::new(1, 28), Decimal::MAX, Decimal::MIN] {
            assert_eq!(decimal_text(d), d.to_string());
        }
        // Mantissas past u64 are written nineteen digits at a time: the lower chunk keeps
        // its leading zeros.
        for m in [10_000_000_000_000_000_005i128, 18_446_744_073_709_551_616, 99_999_999_999_999_999_999_999_999, 10i128.pow(28)] {
            let d = Decimal::from_i128_with_scale(m, 2);
            assert_eq!(decimal_text(d), d.to_string());
            assert_eq!(format_money(d).replace([',', '£'], ""), d.round_dp(2).to_string());
        }
    }

    #[test]
    fn decimals_keep_their_text_in_json() {
        for (d, text) in [(Decimal::new(350000, 2), "3500.00"), (Decimal::new(-5, 1), "-0.5"), (Decimal::ZERO, "0"), (Decimal::MAX, "79228162514264337593543950335")] {
            assert_eq!(serde_json::to_string(&decimal_to_json(d)).unwrap(), text);
        }
    }

    #[test]
    fn formats_money() {
        assert_eq!(format_money(Decimal::new(350000, 2)), "£3,500.00");
        assert_eq!(format_money(Decimal::new(1234567891, 1)), "£123,456,789.10");
        assert_eq!(format_money(Decimal::new(5, 3)), "£0.01");
        assert_eq!(format_money(Decimal::new(-250, 2)), "-£2.50");
        assert_eq!(format_money(Decimal::ZERO), "£0.00");
        assert_eq!(format_money(Decimal::new(-4, 3)), "£0.00");
        assert_eq!(format_money(Decimal::new(5, 1)), "£0.50");
        assert_eq!(format_money(Decimal::new(-999995, 3)), "-£1,000.00");
        assert_eq!(format_money(Decimal::MAX), "£79,228,162,514,264,337,593,543,950,335.00");
        assert_eq!(format_money(Decimal::MIN), "-£79,228,162,514,264,337,593,543,950,335.00");
        assert_eq!(format_percent(Decimal::new(3, 1)), "30%");
        assert_eq!(format_percent(Decimal::new(3333, 4)), "33.33%");
    }
}
