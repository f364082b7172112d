//! The Vietnamese lunisolar calendar (âm lịch).
//!
//! Owns solar ↔ lunar conversion by Hồ Ngọc Đức's method: day numbers are
//! Julian day numbers; new moons come from Meeus' series (Astronomical
//! Algorithms, ch. 49, reduced); the sun's longitude is cut into 30° major
//! terms; month 11 is the month holding the winter solstice; in a year with
//! 13 months the leap month is the first without a major term. Every
//! instant is taken at UTC+7 — the time zone changes real dates (Tết 1985 is
//! 21/01 at UTC+7 but 20/02 at UTC+8).
//!
//! Invariant: for lunar years 1900–2100, `solar_to_lunar(lunar_to_solar(d))
//! == d` for every valid lunar date `d`.

use std::f64::consts::PI;
use std::fmt;

use time::Date;

/// Hours east of UTC used for all computations: Vietnam.
const VIETNAM_HOURS: f64 = 7.0;

/// Supported years (lunar years for lunar dates, Gregorian years for solar
/// dates), with one year of margin so the ends of 1900 and 2100 convert.
pub const MIN_YEAR: i32 = 1899;
pub const MAX_YEAR: i32 = 2101;

/// Julian day of the new moon 0 used as origin of the lunation count k
/// (1900-01-01, the epoch of the series).
const EPOCH_JD: f64 = 2_415_021.076_998_695;
/// Mean synodic month in days.
const SYNODIC_MONTH: f64 = 29.530_588_853;

/// A date of the lunar calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LunarDate {
    pub year: i32,
    /// 1..=12.
    pub month: u8,
    /// True for the leap (nhuận) repetition of `month`.
    pub leap: bool,
    /// 1..=30.
    pub day: u8,
}

/// Why a conversion failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LunarError {
    /// The year is outside [`MIN_YEAR`]..=[`MAX_YEAR`].
    OutOfRange,
    /// No such lunar date (day 30 of a short month, a leap month that the
    /// year does not have, month 13, ...).
    Invalid,
    /// The text is not "D/M/YYYY" optionally followed by "(nhuận)".
    Malformed,
}

impl fmt::Display for LunarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::OutOfRange => "year outside the supported 1899-2101 range",
            Self::Invalid => "no such lunar date",
            Self::Malformed => "lunar date must read D/M/YYYY, optionally with (nhuận)",
        })
    }
}

impl std::error::Error for LunarError {}

// ---- Astronomy -----------------------------------------------------------

/// Truncation toward minus infinity to an integer day number.
#[allow(clippy::cast_possible_truncation)]
fn floor(x: f64) -> i64 {
    // Day numbers here are near 2.4e6: far inside i64.
    x.floor() as i64
}

#[allow(clippy::cast_precision_loss)]
fn as_f64(x: i64) -> f64 {
    // Day numbers and lunation counts are far below 2^52: exact.
    x as f64
}

/// Julian day (with fraction, UT) of the `k`-th new moon after the epoch.
// The short names are those of the published series (Meeus, Hồ Ngọc Đức).
#[allow(clippy::many_single_char_names)]
fn new_moon(k: i64) -> f64 {
    let k = as_f64(k);
    let t = k / 1236.85; // Julian centuries from 1900.
    let (t2, t3) = (t * t, t * t * t);
    let dr = PI / 180.0;
    let mut jd1 = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
    jd1 += 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * dr).sin();
    // Mean anomalies of sun (m) and moon (mpr), moon's argument of latitude (f).
    let m = 359.224_2 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3;
    let mpr = 306.025_3 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3;
    let f = 21.296_4 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3;
    let s = |x: f64| (x * dr).sin();
    let c1 = (0.173_4 - 0.000_393 * t) * s(m) + 0.002_1 * s(2.0 * m) - 0.406_8 * s(mpr)
        + 0.016_1 * s(2.0 * mpr)
        - 0.000_4 * s(3.0 * mpr)
        + 0.010_4 * s(2.0 * f)
        - 0.005_1 * s(m + mpr)
        - 0.007_4 * s(m - mpr)
        + 0.000_4 * s(2.0 * f + m)
        - 0.000_4 * s(2.0 * f - m)
        - 0.000_6 * s(2.0 * f + mpr)
        + 0.001_0 * s(2.0 * f - mpr)
        + 0.000_5 * s(2.0 * mpr + m);
    // ΔT (TT − UT) in days, two polynomial fits split at 1900 − 11 centuries.
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    jd1 + c1 - delta_t
}

/// Day number (local, at `tz` hours) of the `k`-th new moon.
fn new_moon_day(k: i64, tz: f64) -> i64 {
    floor(new_moon(k) + 0.5 + tz / 24.0)
}

/// Apparent longitude of the sun, radians in [0, 2π), at Julian day `jd`.
fn sun_longitude(jd: f64) -> f64 {
    let t = (jd - 2_451_545.0) / 36_525.0; // Julian centuries from J2000.
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let dl = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (dr * m).sin()
        + (0.019_993 - 0.000_101 * t) * (dr * 2.0 * m).sin()
        + 0.000_290 * (dr * 3.0 * m).sin();
    let l = (l0 + dl) * dr;
    l.rem_euclid(2.0 * PI)
}

/// Major-term sector (0..=11, 30° each) of the sun at the start of local
/// day `day`; sector 9 begins at the winter solstice (270°).
fn sun_sector(day: i64, tz: f64) -> i64 {
    floor(sun_longitude(as_f64(day) - 0.5 - tz / 24.0) / PI * 6.0)
}

/// Lunation index of the new moon nearest before or at day number `day`.
fn lunation_of(day: i64) -> i64 {
    floor((as_f64(day) - EPOCH_JD) / SYNODIC_MONTH)
}

/// Day number of the start of lunar month 11 of the year ending in
/// Gregorian year `year` (the month holding the winter solstice).
fn month_11_start(year: i32, tz: f64) -> i64 {
    let k = floor((as_f64(jd(year, 12, 31)) - 2_415_021.0) / SYNODIC_MONTH);
    let nm = new_moon_day(k, tz);
    // A new moon in sector 9+ is after the solstice: month 11 began one earlier.
    if sun_sector(nm, tz) >= 9 {
        new_moon_day(k - 1, tz)
    } else {
        nm
    }
}

/// In a 13-month year starting at month 11 `a11`, the offset (in months
/// from `a11`) of the leap month: the first month without a major term.
fn leap_month_offset(a11: i64, tz: f64) -> i64 {
    let k = floor((as_f64(a11) - EPOCH_JD) / SYNODIC_MONTH + 0.5);
    let mut i = 1;
    let mut arc = sun_sector(new_moon_day(k + i, tz), tz);
    loop {
        let last = arc;
        i += 1;
        arc = sun_sector(new_moon_day(k + i, tz), tz);
        // Same sector at two successive month starts: no term in between.
        if arc == last || i >= 14 {
            return i - 1;
        }
    }
}

/// Julian day number of a Gregorian date (noon).
fn jd(year: i32, month: u8, day: u8) -> i64 {
    let month = time::Month::try_from(month).unwrap_or(time::Month::January);
    Date::from_calendar_date(year, month, day).map_or(0, |d| i64::from(d.to_julian_day()))
}

fn date_of(day_number: i64) -> Result<Date, LunarError> {
    i32::try_from(day_number)
        .ok()
        .and_then(|n| Date::from_julian_day(n).ok())
        .ok_or(LunarError::OutOfRange)
}

// ---- Conversions ---------------------------------------------------------

/// Converts a Gregorian date to the lunar calendar (Vietnam time).
///
/// ```
/// use time::macros::date;
/// let l = vn::lunar::solar_to_lunar(date!(2021 - 02 - 12)).unwrap();
/// assert_eq!(l.to_string(), "1/1/2021");
/// ```
pub fn solar_to_lunar(date: Date) -> Result<LunarDate, LunarError> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&date.year()) {
        return Err(LunarError::OutOfRange);
    }
    // Both sides of a conversion lie in the range, so that every answer
    // converts back (found by fuzzing at the range's ends).
    Some(solar_to_lunar_at(date, VIETNAM_HOURS))
        .filter(|lunar| (MIN_YEAR..=MAX_YEAR).contains(&lunar.year))
        .ok_or(LunarError::OutOfRange)
}

fn solar_to_lunar_at(date: Date, tz: f64) -> LunarDate {
    let day_number = i64::from(date.to_julian_day());
    // The mean lunation k can be off by one from the true new moon (the
    // published algorithm only tries k + 1 and k, which fails in e.g. 2054):
    // take the latest true new moon on or before the day.
    let k = lunation_of(day_number);
    let month_start = (k - 1..=k + 1)
        .rev()
        .map(|i| new_moon_day(i, tz))
        .find(|&d| d <= day_number)
        .unwrap_or_else(|| new_moon_day(k - 1, tz));
    let yy = date.year();
    let mut a11 = month_11_start(yy, tz);
    let mut b11 = a11;
    let mut lunar_year;
    if a11 >= month_start {
        lunar_year = yy;
        a11 = month_11_start(yy - 1, tz);
    } else {
        lunar_year = yy + 1;
        b11 = month_11_start(yy + 1, tz);
    }
    let day = day_number - month_start + 1;
    let diff = (month_start - a11).div_euclid(29);
    let mut leap = false;
    let mut month = diff + 11;
    if b11 - a11 > 365 {
        let leap_diff = leap_month_offset(a11, tz);
        if diff >= leap_diff {
            month = diff + 10;
            leap = diff == leap_diff;
        }
    }
    if month > 12 {
        month -= 12;
    }
    if month >= 11 && diff < 4 {
        lunar_year -= 1;
    }
    LunarDate {
        year: lunar_year,
        // month is 1..=12 and day 1..=30 by construction.
        month: u8::try_from(month).unwrap_or(1),
        leap,
        day: u8::try_from(day).unwrap_or(1),
    }
}

/// Day number of the first day of a lunar month, or `Invalid` when the year
/// has no such (leap) month.
fn month_start(year: i32, month: u8, leap: bool, tz: f64) -> Result<i64, LunarError> {
    if !(1..=12).contains(&month) {
        return Err(LunarError::Invalid);
    }
    let (a11, b11) = if month < 11 {
        (month_11_start(year - 1, tz), month_11_start(year, tz))
    } else {
        (month_11_start(year, tz), month_11_start(year + 1, tz))
    };
    let k = floor(0.5 + (as_f64(a11) - EPOCH_JD) / SYNODIC_MONTH);
    let mut off = (i64::from(month) - 11).rem_euclid(12);
    if b11 - a11 > 365 {
        let leap_off = leap_month_offset(a11, tz);
        // Offset o holds the repeat of month o − 2 (mod 12; 0 means 12).
        let leap_month = match (leap_off - 2).rem_euclid(12) {
            0 => 12,
            m => m,
        };
        if leap && i64::from(month) != leap_month {
            return Err(LunarError::Invalid);
        }
        if leap || off >= leap_off {
            off += 1;
        }
    } else if leap {
        return Err(LunarError::Invalid);
    }
    Ok(new_moon_day(k + off, tz))
}

/// Converts a lunar date to the Gregorian calendar (Vietnam time).
///
/// ```
/// use time::macros::date;
/// use vn::lunar::{lunar_to_solar, LunarDate};
/// let gio_to = LunarDate { year: 2024, month: 3, leap: false, day: 10 };
/// assert_eq!(lunar_to_solar(gio_to).unwrap(), date!(2024 - 04 - 18));
/// ```
pub fn lunar_to_solar(date: LunarDate) -> Result<Date, LunarError> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&date.year) {
        return Err(LunarError::OutOfRange);
    }
    let solar = lunar_to_solar_at(date, VIETNAM_HOURS)?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&solar.year()) {
        return Err(LunarError::OutOfRange);
    }
    Ok(solar)
}

fn lunar_to_solar_at(date: LunarDate, tz: f64) -> Result<Date, LunarError> {
    let start = month_start(date.year, date.month, date.leap, tz)?;
    let length = month_length_from(start, tz);
    if date.day == 0 || i64::from(date.day) > length {
        return Err(LunarError::Invalid);
    }
    date_of(start + i64::from(date.day) - 1)
}

/// Days in the lunar month starting on day number `start`: 29 or 30.
fn month_length_from(start: i64, tz: f64) -> i64 {
    let k = floor((as_f64(start) - EPOCH_JD) / SYNODIC_MONTH + 0.5);
    // The new moon after `start`: try the next lunations until one is later.
    (k..k + 3)
        .map(|i| new_moon_day(i, tz))
        .find(|&d| d > start)
        .map_or(30, |next| next - start)
}

/// Days (29 or 30) in a lunar month.
pub fn month_length(year: i32, month: u8, leap: bool) -> Result<u8, LunarError> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(LunarError::OutOfRange);
    }
    let start = month_start(year, month, leap, VIETNAM_HOURS)?;
    u8::try_from(month_length_from(start, VIETNAM_HOURS)).map_err(|_| LunarError::Invalid)
}

/// The leap month of a lunar year, if it has one (2023 → 2, 2025 → 6).
pub fn leap_month(year: i32) -> Result<Option<u8>, LunarError> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(LunarError::OutOfRange);
    }
    let tz = VIETNAM_HOURS;
    // The leap month of lunar year Y lies between month 11 of Y−1 and month
    // 11 of Y, or (for a leap 11 or 12) between 11 of Y and 11 of Y+1.
    for (a, b) in [(year - 1, year), (year, year + 1)] {
        let (a11, b11) = (month_11_start(a, tz), month_11_start(b, tz));
        if b11 - a11 > 365 {
            let leap = (leap_month_offset(a11, tz) - 2).rem_euclid(12);
            let leap = u8::try_from(if leap == 0 { 12 } else { leap }).unwrap_or(0);
            let belongs = if a == year - 1 { leap < 11 } else { leap >= 11 };
            if belongs {
                return Ok(Some(leap));
            }
        }
    }
    Ok(None)
}

/// The first day of lunar year `year` (Tết Nguyên Đán).
pub fn tet(year: i32) -> Result<Date, LunarError> {
    lunar_to_solar(LunarDate {
        year,
        month: 1,
        leap: false,
        day: 1,
    })
}

// ---- Names and text ------------------------------------------------------

const CAN: [&str; 10] = [
    "Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý",
];
const CHI: [&str; 12] = [
    "Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi",
];

fn can_chi(can: i64, chi: i64) -> String {
    // rem_euclid keeps both indices in range.
    let can = CAN[usize::try_from(can.rem_euclid(10)).unwrap_or(0)];
    let chi = CHI[usize::try_from(chi.rem_euclid(12)).unwrap_or(0)];
    format!("{can} {chi}")
}

/// Can-chi name of a lunar year: 2021 → "Tân Sửu", 1985 → "Ất Sửu".
pub fn can_chi_year(year: i32) -> String {
    let y = i64::from(year);
    can_chi(y + 6, y + 8)
}

/// Can-chi name of a lunar month (month 1 of 2021 → "Canh Dần"); a leap
/// month shares the name of the month it repeats.
pub fn can_chi_month(year: i32, month: u8) -> String {
    let (y, m) = (i64::from(year), i64::from(month));
    can_chi(y * 12 + m + 3, m + 1)
}

/// Can-chi name of a day, from its Julian day number (12/02/2021, Tết
/// Tân Sửu → "Tân Mão").
pub fn can_chi_day(date: Date) -> String {
    let jd = i64::from(date.to_julian_day());
    can_chi(jd + 9, jd + 1)
}

impl fmt::Display for LunarDate {
    /// "D/M/YYYY", with " (nhuận)" after a leap month: "15/6/2025 (nhuận)".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.day, self.month, self.year)?;
        if self.leap {
            f.write_str(" (nhuận)")?;
        }
        Ok(())
    }
}

/// Parses "D/M/YYYY", optionally followed by "(nhuận)" or "nhuận" (any
/// case or normalisation form). Validity is checked by conversion, not here.
pub fn parse_lunar(s: &str) -> Result<LunarDate, LunarError> {
    let folded = crate::text::fold(s);
    let folded = folded.trim();
    let (date_part, leap) = match folded.split_once(char::is_whitespace) {
        Some((d, rest)) => match rest.trim() {
            "(nhuan)" | "nhuan" => (d, true),
            _ => return Err(LunarError::Malformed),
        },
        None => (folded, false),
    };
    let parts: Vec<&str> = date_part.split('/').collect();
    let [d, m, y] = parts.as_slice() else {
        return Err(LunarError::Malformed);
    };
    let day: u8 = d.parse().map_err(|_| LunarError::Malformed)?;
    let month: u8 = m.parse().map_err(|_| LunarError::Malformed)?;
    let year: i32 = y.parse().map_err(|_| LunarError::Malformed)?;
    Ok(LunarDate {
        year,
        month,
        leap,
        day,
    })
}

#[cfg(test)]
#[path = "lunar_tests.rs"]
mod tests;
