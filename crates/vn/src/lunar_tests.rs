//! Tables for the lunar calendar, checked against published dates.

use time::macros::date;
use time::{Date, Month};

use super::*;

fn ymd(y: i32, m: u8, d: u8) -> Date {
    Date::from_calendar_date(y, Month::try_from(m).unwrap(), d).unwrap()
}

/// Tết Nguyên Đán 2000–2040, as published in Vietnamese calendars (the
/// Chinese Spring Festival lists, e.g. the 1996–2019 tables of the Chinese
/// zodiac article, give the same days except where the new moon falls
/// between 23:00 and 24:00 UTC+8: 2007 (Vietnam 17/02, China 18/02) and 2030
/// (Vietnam 02/02, China 03/02), as Hồ Ngọc Đức's tables note). 2024–2027
/// also appear in DOMAIN.md §5.
///
/// Independent check (2026-11-29): every date of this table, and of the Giỗ
/// Tổ table below for 2007–2040 (the years it covers), equals the "Lunar New
/// Year" and "Hung Kings' Commemoration Day" of the Vietnam calendar in
/// python-holidays 0.109 (PyPI `holidays`), an implementation independent
/// of this one (it reads its lunisolar dates from tables, not from an
/// astronomical computation).
const TET: [(i32, u8, u8); 41] = [
    (2000, 2, 5),
    (2001, 1, 24),
    (2002, 2, 12),
    (2003, 2, 1),
    (2004, 1, 22),
    (2005, 2, 9),
    (2006, 1, 29),
    (2007, 2, 17),
    (2008, 2, 7),
    (2009, 1, 26),
    (2010, 2, 14),
    (2011, 2, 3),
    (2012, 1, 23),
    (2013, 2, 10),
    (2014, 1, 31),
    (2015, 2, 19),
    (2016, 2, 8),
    (2017, 1, 28),
    (2018, 2, 16),
    (2019, 2, 5),
    (2020, 1, 25),
    (2021, 2, 12),
    (2022, 2, 1),
    (2023, 1, 22),
    (2024, 2, 10),
    (2025, 1, 29),
    (2026, 2, 17),
    (2027, 2, 6),
    (2028, 1, 26),
    (2029, 2, 13),
    (2030, 2, 2),
    (2031, 1, 23),
    (2032, 2, 11),
    (2033, 1, 31),
    (2034, 2, 19),
    (2035, 2, 8),
    (2036, 1, 28),
    (2037, 2, 15),
    (2038, 2, 4),
    (2039, 1, 24),
    (2040, 2, 12),
];

#[test]
fn tet_2000_to_2040() {
    for (y, m, d) in TET {
        assert_eq!(tet(y).unwrap(), ymd(y, m, d), "Tết {y}");
        let l = solar_to_lunar(ymd(y, m, d)).unwrap();
        assert_eq!(
            l,
            LunarDate {
                year: y,
                month: 1,
                leap: false,
                day: 1
            }
        );
    }
}

#[test]
fn tet_1985_depends_on_the_time_zone() {
    let first = LunarDate {
        year: 1985,
        month: 1,
        leap: false,
        day: 1,
    };
    assert_eq!(lunar_to_solar(first).unwrap(), date!(1985 - 01 - 21));
    assert_eq!(
        lunar_to_solar_at(first, 8.0).unwrap(),
        date!(1985 - 02 - 20)
    );
    // And 2007 is the recent year where Vietnam and China differ.
    assert_eq!(
        lunar_to_solar_at(
            LunarDate {
                year: 2007,
                ..first
            },
            8.0
        )
        .unwrap(),
        date!(2007 - 02 - 18)
    );
    assert_eq!(
        lunar_to_solar_at(
            LunarDate {
                year: 2030,
                ..first
            },
            8.0
        )
        .unwrap(),
        date!(2030 - 02 - 03)
    );
}

#[test]
fn leap_months() {
    let cases = [
        (2001, Some(4)),
        (2004, Some(2)),
        (2006, Some(7)),
        (2009, Some(5)),
        (2012, Some(4)),
        (2014, Some(9)),
        (2017, Some(6)),
        (2020, Some(4)),
        (2021, None),
        (2022, None),
        (2023, Some(2)),
        (2024, None),
        (2025, Some(6)),
        (2028, Some(5)),
        (2031, Some(3)),
        (2033, Some(11)),
    ];
    for (year, want) in cases {
        assert_eq!(leap_month(year).unwrap(), want, "{year}");
    }
    // The leap month 6 of 2025 starts 25/7/2025 and runs 29 days.
    let leap6 = LunarDate {
        year: 2025,
        month: 6,
        leap: true,
        day: 1,
    };
    assert_eq!(lunar_to_solar(leap6).unwrap(), date!(2025 - 07 - 25));
    assert_eq!(solar_to_lunar(date!(2025 - 07 - 25)).unwrap(), leap6);
    assert_eq!(leap6.to_string(), "1/6/2025 (nhuận)");
    // A leap month the year does not have.
    let bad = LunarDate {
        year: 2024,
        month: 3,
        leap: true,
        day: 1,
    };
    assert_eq!(lunar_to_solar(bad), Err(LunarError::Invalid));
}

/// Giỗ Tổ Hùng Vương (10/3 lunar) 2000–2040. 2010–2026 are the days of the
/// yearly public-holiday announcements (2024–2026 also in DOMAIN.md §5);
/// the other years are the 10th day of the 3rd month of the published
/// Chinese calendar, except 2009, 2037 and 2038 where month 3 begins with a
/// new moon between 23:00 and 24:00 UTC+8, so Vietnam is one day earlier
/// (2009 fell on Saturday 4/4, compensated Monday 6/4/2009).
const GIO_TO: [(i32, u8, u8); 41] = [
    (2000, 4, 14),
    (2001, 4, 3),
    (2002, 4, 22),
    (2003, 4, 11),
    (2004, 4, 28),
    (2005, 4, 18),
    (2006, 4, 7),
    (2007, 4, 26),
    (2008, 4, 15),
    (2009, 4, 4),
    (2010, 4, 23),
    (2011, 4, 12),
    (2012, 3, 31),
    (2013, 4, 19),
    (2014, 4, 9),
    (2015, 4, 28),
    (2016, 4, 16),
    (2017, 4, 6),
    (2018, 4, 25),
    (2019, 4, 14),
    (2020, 4, 2),
    (2021, 4, 21),
    (2022, 4, 10),
    (2023, 4, 29),
    (2024, 4, 18),
    (2025, 4, 7),
    (2026, 4, 26),
    (2027, 4, 16),
    (2028, 4, 4),
    (2029, 4, 23),
    (2030, 4, 12),
    (2031, 4, 1),
    (2032, 4, 19),
    (2033, 4, 9),
    (2034, 4, 28),
    (2035, 4, 17),
    (2036, 4, 6),
    (2037, 4, 24),
    (2038, 4, 13),
    (2039, 4, 3),
    (2040, 4, 20),
];

#[test]
fn gio_to_hung_vuong_2000_to_2040() {
    for (year, m, d) in GIO_TO {
        let gio_to = LunarDate {
            year,
            month: 3,
            leap: false,
            day: 10,
        };
        assert_eq!(
            lunar_to_solar(gio_to).unwrap(),
            ymd(year, m, d),
            "Giỗ Tổ {year}"
        );
        assert_eq!(solar_to_lunar(ymd(year, m, d)).unwrap(), gio_to);
    }
    let at_utc8 = |year| {
        lunar_to_solar_at(
            LunarDate {
                year,
                month: 3,
                leap: false,
                day: 10,
            },
            8.0,
        )
    };
    assert_eq!(at_utc8(2009).unwrap(), date!(2009 - 04 - 05));
    assert_eq!(at_utc8(2037).unwrap(), date!(2037 - 04 - 25));
}

#[test]
fn month_lengths_and_invalid_days() {
    for year in [2021, 2023, 2025] {
        let total: u32 = (1..=12)
            .map(|m| u32::from(month_length(year, m, false).unwrap()))
            .sum::<u32>()
            + leap_month(year)
                .unwrap()
                .map_or(0, |m| u32::from(month_length(year, m, true).unwrap()));
        let days = (tet(year + 1).unwrap() - tet(year).unwrap()).whole_days();
        assert_eq!(i64::from(total), days, "{year}");
    }
    let bad = LunarDate {
        year: 2021,
        month: 1,
        leap: false,
        day: 31,
    };
    assert_eq!(lunar_to_solar(bad), Err(LunarError::Invalid));
    assert_eq!(
        lunar_to_solar(LunarDate { month: 13, ..bad }),
        Err(LunarError::Invalid)
    );
    assert_eq!(
        solar_to_lunar(date!(1800 - 01 - 01)),
        Err(LunarError::OutOfRange)
    );
}

#[test]
fn can_chi_names() {
    for (year, want) in [
        (2021, "Tân Sửu"),
        (1985, "Ất Sửu"),
        (2000, "Canh Thìn"),
        (2024, "Giáp Thìn"),
        (2025, "Ất Tỵ"),
        (2026, "Bính Ngọ"),
        (1900, "Canh Tý"),
        (1945, "Ất Dậu"),
        (1975, "Ất Mão"),
    ] {
        assert_eq!(can_chi_year(year), want);
    }
    assert_eq!(can_chi_month(2021, 1), "Canh Dần");
    assert_eq!(can_chi_day(date!(2021 - 02 - 12)), "Tân Mão");
}

#[test]
fn text_forms() {
    let d = LunarDate {
        year: 2021,
        month: 3,
        leap: false,
        day: 10,
    };
    assert_eq!(d.to_string(), "10/3/2021");
    assert_eq!(parse_lunar("10/3/2021"), Ok(d));
    assert_eq!(
        parse_lunar(" 1/6/2025 (nhuận) "),
        Ok(LunarDate {
            year: 2025,
            month: 6,
            leap: true,
            day: 1
        })
    );
    assert_eq!(parse_lunar("1/6/2025 NHUẬN").map(|d| d.leap), Ok(true));
    assert_eq!(parse_lunar("1/6"), Err(LunarError::Malformed));
    assert_eq!(parse_lunar("1/6/2025 x"), Err(LunarError::Malformed));
}
