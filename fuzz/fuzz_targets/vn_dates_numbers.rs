//! Dates, numbers and lunar dates as people type them:
//! `vn::dates::{parse_short, parse_long}`,
//! `vn::numbers::{parse_int, parse_decimal, parse_percent}`,
//! `vn::lunar::parse_lunar`.
//!
//! Each parser gets the whole input and each line of it (lossy UTF-8).
//!
//! Properties:
//! - nothing panics, including the lunar conversions of whatever parses;
//! - dates: when `parse_short` is Ok, `format_short` parses back to the same
//!   date and `format_long` parses back with `parse_long` (and the converse
//!   for `parse_long`); a Gregorian date in the lunar range converts to a
//!   lunar date that converts back to it;
//! - numbers: `format_int` of a parsed integer parses back to it;
//!   `parse_percent` is `parse_decimal` of the text before '%';
//! - lunar: Display of a parsed lunar date parses back to it; when the lunar
//!   date converts to a Gregorian date, that converts back to the same
//!   lunar date.
//!
#![no_main]

use libfuzzer_sys::fuzz_target;
use vn::{dates, lunar, numbers, words};

fn check_date(d: time::Date, input: &str) {
    let short = dates::format_short(d);
    assert_eq!(
        dates::parse_short(&short),
        Ok(d),
        "format_short({d}) = {short:?} does not parse back (input {input:?})"
    );
    let long = dates::format_long(d);
    assert_eq!(
        dates::parse_long(&long),
        Ok(d),
        "format_long({d}) = {long:?} does not parse back (input {input:?})"
    );
    let _ = dates::place_date_header("Trà Vinh", d);
    if let Ok(l) = lunar::solar_to_lunar(d) {
        assert_eq!(lunar::parse_lunar(&l.to_string()), Ok(l));
        let back = lunar::lunar_to_solar(l);
        assert_eq!(back, Ok(d), "solar {d} -> lunar {l} does not convert back");
    }
}

fn check(s: &str) {
    if let Ok(d) = dates::parse_short(s) {
        check_date(d, s);
    }
    if let Ok(d) = dates::parse_long(s) {
        check_date(d, s);
    }

    if let Ok(n) = numbers::parse_int(s) {
        let shown = numbers::format_int(n);
        assert_eq!(
            numbers::parse_int(&shown),
            Ok(n),
            "format_int({n}) = {shown:?} does not parse back (input {s:?})"
        );
        let _ = words::number_in_words(n.unsigned_abs());
        let _ = words::money_in_words(n.unsigned_abs());
    }
    let decimal = numbers::parse_decimal(s);
    if let Ok(x) = decimal {
        assert!(!x.is_nan(), "parse_decimal({s:?}) is NaN");
        if x.is_finite() {
            let _ = numbers::format_decimal(x, 2);
        }
    }
    let percent = numbers::parse_percent(s);
    if let Some(body) = s.trim().strip_suffix('%') {
        assert_eq!(
            percent.as_ref().map(|x| x.to_bits()),
            numbers::parse_decimal(body.trim_end())
                .as_ref()
                .map(|x| x.to_bits()),
            "parse_percent({s:?}) is not parse_decimal of its number"
        );
    } else {
        assert!(percent.is_err(), "parse_percent({s:?}) without '%' is Ok");
    }

    if let Ok(l) = lunar::parse_lunar(s) {
        let shown = l.to_string();
        assert_eq!(
            lunar::parse_lunar(&shown),
            Ok(l),
            "lunar Display {shown:?} does not parse back (input {s:?})"
        );
        let _ = lunar::month_length(l.year, l.month, l.leap);
        let _ = lunar::leap_month(l.year);
        let _ = lunar::tet(l.year);
        let _ = lunar::can_chi_year(l.year);
        let _ = lunar::can_chi_month(l.year, l.month);
        if let Ok(d) = lunar::lunar_to_solar(l) {
            let _ = lunar::can_chi_day(d);
            let back = lunar::solar_to_lunar(d);
            assert_eq!(
                back,
                Ok(l),
                "lunar {l} -> solar {d} does not convert back (input {s:?})"
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    check(&text);
    for line in text.lines().take(32) {
        check(line);
    }
});
