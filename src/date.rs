//! Calendar dates: strict parsing, ages on a date, working days after a date given a
//! holiday list. Pure functions over `chrono::NaiveDate`; no clock anywhere.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

/// Parse `YYYY-MM-DD` strictly: four-digit year, real calendar date.
pub fn parse(text: &str) -> Result<NaiveDate, String> {
    let b = text.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return Err(format!("must be a date in the form YYYY-MM-DD, not {text:?}"));
    }
    // Parsed by hand: the shape is checked above, and chrono's format-string parser was
    // a fifth of the time spent validating a typical input.
    let num = |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |n, c| n * 10 + u32::from(c - b'0'));
    let (y, m, d) = (num(0..4), num(5..7), num(8..10));
    i32::try_from(y)
        .ok()
        .and_then(|y| NaiveDate::from_ymd_opt(y, m, d))
        .ok_or_else(|| format!("{text} is not a real calendar date"))
}

/// `YYYY-MM-DD`. Written by hand: chrono's format strings are parsed on every call, and
/// dates are formatted on every decision.
pub fn format(d: NaiveDate) -> String {
    let (y, m, day) = (d.year(), d.month(), d.day());
    if (0..=9999).contains(&y) {
        let y = y as u32;
        let digits = [y / 1000, y / 100 % 10, y / 10 % 10, y % 10, 10, m / 10, m % 10, 10, day / 10, day % 10];
        // Bytes first, then one string of the right size (not a char at a time).
        let text: Vec<u8> = digits.iter().map(|&n| if n == 10 { b'-' } else { b'0' + n as u8 }).collect();
        String::from_utf8(text).unwrap_or_default()
    } else {
        // As chrono's `%Y` writes such years (`+10000`, `-0001`), without its format-string
        // machinery (about 3 KB of the wasm module).
        format!("{y:+05}-{m:02}-{day:02}")
    }
}

const MONTHS: [&str; 12] = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December",
];

/// Whole years completed on `on` by someone born on `dob`. A birthday on `on` counts;
/// someone born on 29 February has their birthday on 1 March in common years (UK practice).
pub fn age_on(dob: NaiveDate, on: NaiveDate) -> i64 {
    let mut years = i64::from(on.year()) - i64::from(dob.year());
    if (on.month(), on.day()) < (dob.month(), dob.day()) {
        years -= 1;
    }
    years
}

pub fn add_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    if n >= 0 {
        d.checked_add_days(Days::new(n as u64))
    } else {
        d.checked_sub_days(Days::new(n.unsigned_abs()))
    }
}

/// Add calendar months, clamping to the month's last day (31 Jan + 1 month = 28/29 Feb).
pub fn add_months(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    let m = u32::try_from(n.unsigned_abs()).ok()?;
    if n >= 0 {
        d.checked_add_months(Months::new(m))
    } else {
        d.checked_sub_months(Months::new(m))
    }
}

pub fn is_working_day(d: NaiveDate, holidays: &[NaiveDate]) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !holidays.contains(&d)
}

/// The date `n` working days after `d` (the day itself is day 0): weekends and the given
/// holidays are skipped. A report on a Friday with n = 2 gives the Tuesday.
pub fn add_working_days(d: NaiveDate, n: i64, holidays: &[NaiveDate]) -> Option<NaiveDate> {
    // Sorted once, searched per day: scanning a long holiday list for each of thousands of
    // days made one call (one script step) cost seconds. Parameter lists come sorted.
    let sorted: std::borrow::Cow<[NaiveDate]> = if holidays.is_sorted() {
        holidays.into()
    } else {
        let mut copy = holidays.to_vec();
        copy.sort_unstable();
        copy.into()
    };
    let is_working = |day: NaiveDate| {
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && sorted.binary_search(&day).is_err()
    };
    let mut day = d;
    let mut left = n.max(0);
    // Bounded: at most n working days plus the weekends and holidays between them.
    let mut guard = 0u32;
    while left > 0 {
        day = day.succ_opt()?;
        guard += 1;
        if guard > 100_000 {
            return None;
        }
        if is_working(day) {
            left -= 1;
        }
    }
    Some(day)
}

pub fn weekday_name(d: NaiveDate) -> &'static str {
    match d.weekday() {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// `26 September 2022`: how reasons show dates to the public.
pub fn long_form(d: NaiveDate) -> String {
    let month = MONTHS.get(d.month0() as usize).copied().unwrap_or("");
    // Pushed piece by piece: reasons show several dates per evaluation, and format! cost
    // more than the rest of this.
    let (day, year) = (d.day(), d.year());
    let mut out = String::with_capacity(month.len() + 12);
    if day >= 10 {
        out.push(char::from(b'0' + (day / 10) as u8));
    }
    out.push(char::from(b'0' + (day % 10) as u8));
    out.push(' ');
    out.push_str(month);
    out.push(' ');
    out.push_str(&year.to_string());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse(s).unwrap()
    }

    #[test]
    fn strict_parsing() {
        assert!(parse("2023-02-29").unwrap_err().contains("not a real calendar date"));
        assert!(parse("2024-02-29").is_ok());
        assert!(parse("2024-2-9").is_err());
        assert!(parse("24-02-2024").is_err());
        assert!(parse("+2024-02-29").is_err());
    }

    /// Every year chrono can hold formats as chrono's own `%Y-%m-%d` would.
    #[test]
    fn formats_as_chrono_does() {
        for y in [-262_000, -10_000, -1, 0, 1, 999, 2024, 9999, 10_000, 262_000] {
            for (m, day) in [(1, 1), (2, 28), (12, 31)] {
                let date = NaiveDate::from_ymd_opt(y, m, day).unwrap();
                assert_eq!(format(date), date.format("%Y-%m-%d").to_string(), "{y}-{m}-{day}");
            }
        }
    }

    #[test]
    fn ages() {
        assert_eq!(age_on(d("2002-06-01"), d("2020-06-01")), 18);
        assert_eq!(age_on(d("2002-06-01"), d("2020-05-31")), 17);
        assert_eq!(age_on(d("2004-02-29"), d("2022-02-28")), 17);
        assert_eq!(age_on(d("2004-02-29"), d("2022-03-01")), 18);
        assert_eq!(age_on(d("2004-02-29"), d("2024-02-29")), 20);
    }

    #[test]
    fn working_days() {
        let none: &[NaiveDate] = &[];
        // Monday + 2 = Wednesday; Friday + 2 = Tuesday
        assert_eq!(add_working_days(d("2022-09-26"), 2, none), Some(d("2022-09-28")));
        assert_eq!(add_working_days(d("2022-09-30"), 2, none), Some(d("2022-10-04")));
        // Thursday before Good Friday 2023 (7 Apr) and Easter Monday (10 Apr)
        let hols = [d("2023-04-07"), d("2023-04-10")];
        assert_eq!(add_working_days(d("2023-04-06"), 2, &hols), Some(d("2023-04-12")));
        assert_eq!(add_months(d("2024-01-31"), 1), Some(d("2024-02-29")));
        assert_eq!(weekday_name(d("2022-09-30")), "Friday");
        assert_eq!(long_form(d("2022-09-06")), "6 September 2022");
        assert_eq!(long_form(d("2022-12-31")), "31 December 2022");
        let far = NaiveDate::from_ymd_opt(-44, 3, 15).unwrap();
        assert_eq!(long_form(far), "15 March -44");
        // Holidays in any order: the same working day as sorted.
        let (a, b) = (d("2023-04-07"), d("2023-04-10"));
        assert_eq!(add_working_days(d("2023-04-06"), 2, &[b, a, b]), Some(d("2023-04-12")));
        assert_eq!(add_working_days(d("2023-04-06"), 2, &[a, b]), Some(d("2023-04-12")));
    }
}
