//! Numbers in Vietnamese administrative text: formatting and parsing.
//!
//! Owns the written forms "18.182" (thousands with "."), "2.223,5" (decimals
//! with ","), "79,62%" (percent, at most two decimals, trailing zeros
//! dropped) and "02" (counts below 10 with a leading zero, Decree 30).
//! Invariant: every `format_*` output parses back with the matching
//! `parse_*` to the same value (up to the rounding the format applies).

use std::fmt;
use std::fmt::Write as _;

/// Why a written number could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NumberError {
    /// Nothing to read.
    Empty,
    /// A character that has no place in a number.
    InvalidChar(char),
    /// Thousands groups not of three digits ("1.82", "12.34.567").
    BadGrouping,
    /// More than one decimal comma, or a sign in the wrong place.
    Malformed,
    /// The value does not fit the target type.
    Overflow,
}

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("empty number"),
            Self::InvalidChar(c) => write!(f, "invalid character {c:?} in number"),
            Self::BadGrouping => f.write_str("thousands groups must have three digits"),
            Self::Malformed => f.write_str("malformed number"),
            Self::Overflow => f.write_str("number out of range"),
        }
    }
}

impl std::error::Error for NumberError {}

/// Groups the decimal digits of `n` by thousands with ".": 18182 → "18.182".
pub fn format_int(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    group_into(&digits, &mut out);
    out
}

/// Writes `digits` into `out` with a "." every three digits from the right.
fn group_into(digits: &str, out: &mut String) {
    let len = digits.len();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
}

/// A count as written in administrative text: below 10 with a leading zero
/// ("02 Công văn", "07 chứng thư số"), otherwise grouped ("1.416").
pub fn format_count(n: u64) -> String {
    if n < 10 {
        format!("0{n}")
    } else {
        let mut out = String::new();
        group_into(&n.to_string(), &mut out);
        out
    }
}

/// A decimal with at most `max_decimals` places, rounded half away from
/// zero, trailing zeros dropped: (2223.5, 2) → "2.223,5"; (16.80, 2) → "16,8".
pub fn format_decimal(value: f64, max_decimals: u8) -> String {
    let scale = 10_f64.powi(i32::from(max_decimals));
    let scaled = (value.abs() * scale).round();
    // `scaled` is rounded and non-negative; float-to-int `as` saturates, so
    // huge values clamp instead of wrapping.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let scaled = scaled as u64;
    let unit = 10_u64.pow(u32::from(max_decimals));
    let (int_part, mut frac) = (scaled / unit, scaled % unit);
    let mut out = String::new();
    if value < 0.0 && scaled != 0 {
        out.push('-');
    }
    group_into(&int_part.to_string(), &mut out);
    let mut width = usize::from(max_decimals);
    while width > 0 && frac % 10 == 0 {
        frac /= 10;
        width -= 1;
    }
    if width > 0 {
        out.push(',');
        // Writing into a String cannot fail.
        let _ = write!(out, "{frac:0width$}");
    }
    out
}

/// A percentage value (79.623 meaning 79.623 %) written "79,62%".
pub fn format_percent(percent: f64) -> String {
    format_decimal(percent, 2) + "%"
}

/// `part` as a percentage of `whole`, computed in integers so the rounding
/// is exact: (14 477, 18 182) → "79,62%". `None` when `whole` is zero.
pub fn percent_of(part: u64, whole: u64) -> Option<String> {
    if whole == 0 {
        return None;
    }
    // Hundredths of a percent, rounded half up.
    let (p, w) = (u128::from(part), u128::from(whole));
    let hundredths = (p * 20_000 + w) / (2 * w);
    let int_part = u64::try_from(hundredths / 100).ok()?;
    let frac = hundredths % 100;
    let mut out = String::new();
    group_into(&int_part.to_string(), &mut out);
    match (frac / 10, frac % 10) {
        (0, 0) => {}
        // Writing into a String cannot fail.
        (t, 0) => {
            let _ = write!(out, ",{t}");
        }
        _ => {
            let _ = write!(out, ",{frac:02}");
        }
    }
    out.push('%');
    Some(out)
}

/// Parses an integer written "18.182", "02", "-1.234" or "1234".
///
/// Dots must group digits by three; a comma is rejected (use
/// [`parse_decimal`]).
pub fn parse_int(s: &str) -> Result<i64, NumberError> {
    let (negative, body) = split_sign(s.trim())?;
    if body.contains(',') {
        return Err(NumberError::Malformed);
    }
    let digits = ungroup(body)?;
    let magnitude: i128 = digits.parse().map_err(|_| NumberError::Overflow)?;
    let value = if negative { -magnitude } else { magnitude };
    i64::try_from(value).map_err(|_| NumberError::Overflow)
}

/// Parses a decimal written "2.223,5", "79,62", "16,8" or "18.182".
pub fn parse_decimal(s: &str) -> Result<f64, NumberError> {
    let (negative, body) = split_sign(s.trim())?;
    let (int_part, frac_part) = match body.split_once(',') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let mut plain = ungroup(int_part)?;
    if let Some(frac) = frac_part {
        if frac.is_empty() || !frac.chars().all(|c| c.is_ascii_digit()) {
            return Err(frac
                .chars()
                .find(|c| !c.is_ascii_digit())
                .map_or(NumberError::Malformed, NumberError::InvalidChar));
        }
        plain.push('.');
        plain.push_str(frac);
    }
    let value: f64 = plain.parse().map_err(|_| NumberError::Malformed)?;
    // A figure too large for f64 parses as infinity: refuse it like an
    // integer that overflows (found by fuzzing).
    if !value.is_finite() {
        return Err(NumberError::Overflow);
    }
    Ok(if negative { -value } else { value })
}

/// Parses a percentage "79,62%" or "79,62 %" into 79.62.
pub fn parse_percent(s: &str) -> Result<f64, NumberError> {
    let body = s.trim();
    let body = body.strip_suffix('%').ok_or(NumberError::Malformed)?;
    parse_decimal(body.trim_end())
}

fn split_sign(s: &str) -> Result<(bool, &str), NumberError> {
    if s.is_empty() {
        return Err(NumberError::Empty);
    }
    Ok(match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    })
}

/// Checks the thousands grouping of an unsigned integer part and returns its
/// digits without dots.
fn ungroup(s: &str) -> Result<String, NumberError> {
    if s.is_empty() {
        return Err(NumberError::Malformed);
    }
    if let Some(c) = s.chars().find(|c| !c.is_ascii_digit() && *c != '.') {
        return Err(NumberError::InvalidChar(c));
    }
    let groups: Vec<&str> = s.split('.').collect();
    if groups.len() > 1 {
        let first_ok = (1..=3).contains(&groups[0].len());
        if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
            return Err(NumberError::BadGrouping);
        }
    }
    Ok(groups.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_figures() {
        // Figures of the April 2021 report.
        for (n, want) in [
            (6990, "6.990"),
            (18_182, "18.182"),
            (14_477, "14.477"),
            (2223, "2.223"),
            (468, "468"),
            (7646, "7.646"),
            (1_000_000, "1.000.000"),
            (-1234, "-1.234"),
            (0, "0"),
        ] {
            assert_eq!(format_int(n), want);
            assert_eq!(parse_int(want), Ok(n));
        }
    }

    #[test]
    fn seed_percentages() {
        for (part, whole, want) in [
            (14_477, 18_182, "79,62%"),
            (244, 1452, "16,8%"),
            (1298, 1837, "70,66%"),
            (854, 1858, "45,96%"),
            (676, 1858, "36,38%"),
            (1, 1, "100%"),
            (0, 7, "0%"),
            (1, 3, "33,33%"),
            (2, 3, "66,67%"),
        ] {
            assert_eq!(
                percent_of(part, whole).as_deref(),
                Some(want),
                "{part}/{whole}"
            );
        }
        assert_eq!(percent_of(1, 0), None);
        assert_eq!(format_percent(79.623), "79,62%");
        assert_eq!(format_percent(16.8), "16,8%");
        assert_eq!(format_percent(100.0), "100%");
        assert_eq!(parse_percent("79,62%"), Ok(79.62));
        assert_eq!(parse_percent("16,8 %"), Ok(16.8));
    }

    #[test]
    fn counts_take_leading_zero() {
        for (n, want) in [
            (2, "02"),
            (7, "07"),
            (1, "01"),
            (0, "00"),
            (10, "10"),
            (1416, "1.416"),
        ] {
            assert_eq!(format_count(n), want);
            assert_eq!(parse_int(want), Ok(i64::try_from(n).unwrap()));
        }
    }

    #[test]
    fn decimals() {
        assert_eq!(format_decimal(2223.5, 2), "2.223,5");
        assert_eq!(format_decimal(2223.0, 2), "2.223");
        assert_eq!(format_decimal(0.005, 2), "0,01");
        assert_eq!(format_decimal(-0.001, 2), "0");
        assert_eq!(format_decimal(-12.345, 1), "-12,3");
        assert_eq!(parse_decimal("2.223,5"), Ok(2223.5));
        assert_eq!(parse_decimal("-0,25"), Ok(-0.25));
    }

    #[test]
    fn parse_errors() {
        assert_eq!(parse_int(""), Err(NumberError::Empty));
        assert_eq!(parse_int("1.82"), Err(NumberError::BadGrouping));
        assert_eq!(parse_int("1234.567"), Err(NumberError::BadGrouping));
        assert_eq!(parse_int("12a"), Err(NumberError::InvalidChar('a')));
        assert_eq!(parse_int("79,62"), Err(NumberError::Malformed));
        assert_eq!(
            parse_int("99.999.999.999.999.999.999"),
            Err(NumberError::Overflow)
        );
        assert_eq!(parse_decimal("1,2,3"), Err(NumberError::InvalidChar(',')));
        assert_eq!(parse_percent("79,62"), Err(NumberError::Malformed));
    }
}
