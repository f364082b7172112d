//! Dates `yyyy/MM/dd` and timestamps `yyyy/MM/dd HH:mm:ss`, as QCVN 102
//! writes them.
//!
//! Written always zero-padded. Read a little more leniently, because real
//! senders differ: one- or two-digit months, days and hours, and a
//! timestamp given as a bare date (midnight), as one public SDK writes
//! `TraceHeader/Timestamp`.

use time::{Date, Month, PrimitiveDateTime, Time};

pub(crate) fn format_date(date: Date) -> String {
    format!(
        "{:04}/{:02}/{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

pub(crate) fn format_timestamp(moment: PrimitiveDateTime) -> String {
    format!(
        "{} {:02}:{:02}:{:02}",
        format_date(moment.date()),
        moment.hour(),
        moment.minute(),
        moment.second()
    )
}

/// Digits only, 1 to `max` of them.
fn number(text: &str, max: usize) -> Option<u32> {
    if text.is_empty() || text.len() > max || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

pub(crate) fn parse_date(text: &str) -> Option<Date> {
    let mut parts = text.trim().split('/');
    let (Some(year), Some(month), Some(day), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    if year.len() != 4 {
        return None;
    }
    let year = i32::try_from(number(year, 4)?).ok()?;
    let month = Month::try_from(u8::try_from(number(month, 2)?).ok()?).ok()?;
    let day = u8::try_from(number(day, 2)?).ok()?;
    Date::from_calendar_date(year, month, day).ok()
}

pub(crate) fn parse_timestamp(text: &str) -> Option<PrimitiveDateTime> {
    let text = text.trim();
    let (date, time) = match text.split_once(' ') {
        Some((date, time)) => (date, Some(time.trim_start())),
        None => (text, None),
    };
    let date = parse_date(date)?;
    let Some(time) = time else {
        return Some(PrimitiveDateTime::new(date, Time::MIDNIGHT));
    };
    let mut parts = time.split(':');
    let (Some(hour), Some(minute), Some(second), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let time = Time::from_hms(
        u8::try_from(number(hour, 2)?).ok()?,
        u8::try_from(number(minute, 2)?).ok()?,
        u8::try_from(number(second, 2)?).ok()?,
    )
    .ok()?;
    Some(PrimitiveDateTime::new(date, time))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn dates_are_read_and_written() {
        for (text, expected) in [
            ("2015/09/30", Some(date!(2015 - 09 - 30))),
            ("2019/1/6", Some(date!(2019 - 01 - 06))),
            (" 2024/02/29 ", Some(date!(2024 - 02 - 29))),
            ("2014/02/30", None),
            ("2015-09-30", None),
            ("30/09/2015", None),
            ("15/09/30", None),
            ("2015/09/30/1", None),
            ("2015/+9/30", None),
            ("2015/009/30", None),
            ("", None),
        ] {
            assert_eq!(parse_date(text), expected, "{text:?}");
        }
        assert_eq!(format_date(date!(2015 - 09 - 03)), "2015/09/03");
    }

    #[test]
    fn timestamps_are_read_and_written() {
        for (text, expected) in [
            ("2018/09/28 00:00:00", Some(datetime!(2018-09-28 0:00))),
            ("2025/10/13 10:25:18", Some(datetime!(2025-10-13 10:25:18))),
            ("2025/10/13 9:5:1", Some(datetime!(2025-10-13 9:05:01))),
            ("2025/10/13", Some(datetime!(2025-10-13 0:00))),
            ("2025/10/13 24:00:00", None),
            ("2025/10/13 10:25", None),
            ("2025/10/13T10:25:18", None),
        ] {
            assert_eq!(parse_timestamp(text), expected, "{text:?}");
        }
        assert_eq!(
            format_timestamp(datetime!(2025-10-13 9:05:01)),
            "2025/10/13 09:05:01"
        );
    }
}
