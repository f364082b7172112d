//! Dates and times as Vietnamese administrative text writes them.
//!
//! Owns the Decree 30/2020 forms: short "09/3/2021" and long "ngày 07 tháng
//! 4 năm 2021" (a day below 10 and the months 1 and 2 take a leading zero,
//! other months do not), the place-and-date header, weekday names, and
//! Vietnam time (UTC+7, no daylight saving since 1975). Invariant: every
//! `format_*` output parses back with the matching `parse_*`.

use std::fmt;

use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime, UtcOffset, Weekday};

/// Vietnam's offset from UTC: +07:00.
pub const VIETNAM_OFFSET: UtcOffset = time::macros::offset!(+7);

/// Why a date could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateError {
    /// The text is not in the expected shape.
    Malformed,
    /// The shape is right but the date does not exist (31/4, 29/02/2021).
    Invalid,
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Malformed => "malformed date",
            Self::Invalid => "no such date",
        })
    }
}

impl std::error::Error for DateError {}

/// The day as written: a leading zero below 10 ("05", "20").
pub fn day_text(day: u8) -> String {
    format!("{day:02}")
}

/// The month as written: a leading zero for January and February only
/// ("01", "02", "3", "12"), so that "1/2" cannot be altered into "11/12".
pub fn month_text(month: Month) -> String {
    let m = u8::from(month);
    if m <= 2 {
        format!("{m:02}")
    } else {
        m.to_string()
    }
}

/// Short form: 09/3/2021, 15/02/2021, 20/12/2019.
pub fn format_short(date: Date) -> String {
    format!(
        "{}/{}/{}",
        day_text(date.day()),
        month_text(date.month()),
        date.year()
    )
}

/// Long form: "ngày 07 tháng 4 năm 2021".
pub fn format_long(date: Date) -> String {
    format!(
        "ngày {} tháng {} năm {}",
        day_text(date.day()),
        month_text(date.month()),
        date.year()
    )
}

/// Place-and-date header of a document: "Trà Vinh, ngày 05 tháng 5 năm 2021".
pub fn place_date_header(place: &str, date: Date) -> String {
    format!("{}, {}", place.trim(), format_long(date))
}

/// Parses `D/M/YYYY` with or without leading zeros ("09/3/2021",
/// "9/03/2021", "09/04/2020" as found in real documents).
pub fn parse_short(s: &str) -> Result<Date, DateError> {
    let mut parts = s.trim().split('/');
    let (Some(d), Some(m), Some(y), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(DateError::Malformed);
    };
    build(d, m, y)
}

/// Parses the long form "ngày 07 tháng 4 năm 2021" (any case, any spacing,
/// NFC or NFD).
pub fn parse_long(s: &str) -> Result<Date, DateError> {
    let folded = crate::text::fold(s);
    let words: Vec<&str> = folded.split_whitespace().collect();
    match words.as_slice() {
        ["ngay", d, "thang", m, "nam", y] => build(d, m, y),
        _ => Err(DateError::Malformed),
    }
}

fn build(d: &str, m: &str, y: &str) -> Result<Date, DateError> {
    let number = |s: &str, max_len: usize| -> Result<i32, DateError> {
        if s.is_empty() || s.len() > max_len || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DateError::Malformed);
        }
        s.parse().map_err(|_| DateError::Malformed)
    };
    let (d, m, y) = (number(d, 2)?, number(m, 2)?, number(y, 4)?);
    if y < 1000 {
        return Err(DateError::Malformed);
    }
    let month = u8::try_from(m)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or(DateError::Invalid)?;
    let day = u8::try_from(d).map_err(|_| DateError::Invalid)?;
    Date::from_calendar_date(y, month, day).map_err(|_| DateError::Invalid)
}

/// Weekday name as used in schedules: "Thứ Hai" … "Thứ Bảy", "Chủ nhật".
pub fn weekday_name(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Monday => "Thứ Hai",
        Weekday::Tuesday => "Thứ Ba",
        Weekday::Wednesday => "Thứ Tư",
        Weekday::Thursday => "Thứ Năm",
        Weekday::Friday => "Thứ Sáu",
        Weekday::Saturday => "Thứ Bảy",
        Weekday::Sunday => "Chủ nhật",
    }
}

/// The same instant seen in Vietnam time.
pub fn to_vietnam(moment: OffsetDateTime) -> OffsetDateTime {
    moment.to_offset(VIETNAM_OFFSET)
}

/// The calendar date in Vietnam at `moment` (a report dated "today" must
/// use this, not the server's UTC date).
pub fn vietnam_date(moment: OffsetDateTime) -> Date {
    to_vietnam(moment).date()
}

/// The instant a Vietnam day begins (00:00 at UTC+7), written in UTC:
/// the bound of a period of days over stored moments, which are UTC —
/// SQLite compares them as text, so a bound with another offset would
/// compare wrongly between 17:00 and 24:00 UTC.
pub fn vietnam_day_start(day: Date) -> OffsetDateTime {
    day.midnight()
        .assume_offset(VIETNAM_OFFSET)
        .to_offset(UtcOffset::UTC)
}

/// ISO 8601 timestamp in Vietnam time, as stamped on signed copies
/// (Decree 30 App. I): "2021-05-05T08:30:00+07:00".
pub fn format_timestamp(moment: OffsetDateTime) -> String {
    // RFC 3339 cannot fail for years 0..=9999 with a whole-minute offset.
    to_vietnam(moment).format(&Rfc3339).unwrap_or_default()
}

/// A moment as a person reads it on a page, in Vietnam time: "08:30
/// 05/5/2021".
pub fn format_moment(moment: OffsetDateTime) -> String {
    let local = to_vietnam(moment);
    format!(
        "{:02}:{:02} {}",
        local.hour(),
        local.minute(),
        format_short(local.date())
    )
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    #[test]
    fn a_vietnam_day_starts_at_17_utc_the_day_before_written_in_utc() {
        let start = vietnam_day_start(date!(2021 - 04 - 01));
        assert_eq!(start, datetime!(2021-03-31 17:00 UTC));
        assert_eq!(start.offset(), UtcOffset::UTC);
    }

    #[test]
    fn moments_read_in_vietnam_time() {
        assert_eq!(
            format_moment(datetime!(2021-05-05 01:30 UTC)),
            "08:30 05/5/2021"
        );
        assert_eq!(
            format_moment(datetime!(2021-04-30 17:05 UTC)),
            "00:05 01/5/2021"
        );
    }

    #[test]
    fn short_forms_from_the_seed() {
        let cases = [
            (date!(2021 - 03 - 09), "09/3/2021"),
            (date!(2021 - 02 - 15), "15/02/2021"),
            (date!(2019 - 12 - 20), "20/12/2019"),
            (date!(2019 - 09 - 23), "23/9/2019"),
            (date!(2020 - 04 - 09), "09/4/2020"),
            (date!(2021 - 01 - 01), "01/01/2021"),
            (date!(2016 - 05 - 09), "09/5/2016"),
        ];
        for (d, want) in cases {
            assert_eq!(format_short(d), want);
            assert_eq!(parse_short(want), Ok(d));
        }
        // Lenient on input: the seed writes "09/04/2020".
        assert_eq!(parse_short("09/04/2020"), Ok(date!(2020 - 04 - 09)));
        assert_eq!(parse_short("9/3/2021"), Ok(date!(2021 - 03 - 09)));
    }

    #[test]
    fn long_forms_and_header() {
        assert_eq!(
            format_long(date!(2021 - 04 - 07)),
            "ngày 07 tháng 4 năm 2021"
        );
        assert_eq!(
            format_long(date!(2021 - 02 - 15)),
            "ngày 15 tháng 02 năm 2021"
        );
        assert_eq!(
            place_date_header("Trà Vinh", date!(2021 - 05 - 05)),
            "Trà Vinh, ngày 05 tháng 5 năm 2021"
        );
        assert_eq!(
            parse_long("ngày 07 tháng 4 năm 2021"),
            Ok(date!(2021 - 04 - 07))
        );
        assert_eq!(
            parse_long("Ngày  05 tháng 01 năm 2021"),
            Ok(date!(2021 - 01 - 05))
        );
    }

    #[test]
    fn parse_errors() {
        assert_eq!(parse_short("31/4/2021"), Err(DateError::Invalid));
        assert_eq!(parse_short("29/02/2021"), Err(DateError::Invalid));
        assert_eq!(parse_short("1/13/2021"), Err(DateError::Invalid));
        assert_eq!(parse_short("09-3-2021"), Err(DateError::Malformed));
        assert_eq!(parse_short("09/3/21"), Err(DateError::Malformed));
        assert_eq!(parse_short("09/3/2021/1"), Err(DateError::Malformed));
        assert_eq!(parse_long("ngày 07 tháng 4"), Err(DateError::Malformed));
    }

    #[test]
    fn weekdays() {
        assert_eq!(weekday_name(date!(2021 - 05 - 01).weekday()), "Thứ Bảy");
        assert_eq!(weekday_name(date!(2021 - 05 - 02).weekday()), "Chủ nhật");
        assert_eq!(weekday_name(date!(2021 - 05 - 03).weekday()), "Thứ Hai");
    }

    #[test]
    fn vietnam_time() {
        // 20:00 UTC on 30/4 is already 1/5 in Vietnam.
        let utc = datetime!(2021-04-30 20:00 UTC);
        assert_eq!(vietnam_date(utc), date!(2021 - 05 - 01));
        assert_eq!(format_timestamp(utc), "2021-05-01T03:00:00+07:00");
    }
}
