//! Public holidays (Labour Code 2019, Art. 112) and their yearly decisions.
//!
//! Owns the default rule — 1/1; Tết Âm lịch (the last day of the lunar year
//! and the first four of the new one); Giỗ Tổ Hùng Vương 10/3 lunar; 30/4;
//! 1/5; Quốc khánh 2/9 plus one adjacent day — the compensation days owed
//! when a holiday falls on a weekly rest day, and the government's yearly
//! decisions supplied as data ([`YearDecision`]). Invariant: the result is
//! sorted by date with one entry per date, and a date the decision declares
//! a working day is never in it.

use std::collections::BTreeMap;

use time::{Date, Duration, Month, Weekday};

use crate::lunar::{self, LunarDate, LunarError};

/// Which day accompanies 2/9 (the law says "one adjacent day, before or
/// after"; the Prime Minister picks it each year).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdjacentDay {
    /// 1/9.
    Before,
    /// 3/9.
    After,
}

/// The standing rule, pre-filled with the Labour Code defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HolidayRules {
    /// Tết days taken before lunar 1/1 (default 1: the last day of the year).
    pub tet_days_before: u8,
    /// Tết days from lunar 1/1 on (default 4: mùng 1 to mùng 4).
    pub tet_days_from_new_year: u8,
    /// The day added to 2/9 (default 1/9).
    pub national_day_adjacent: AdjacentDay,
    /// Weekly rest days that a holiday may fall on (default Saturday and
    /// Sunday, the civil-service week).
    pub rest_days: Vec<Weekday>,
    /// Whether a holiday on a rest day gives a compensation day.
    pub compensate: bool,
}

impl Default for HolidayRules {
    fn default() -> Self {
        Self {
            tet_days_before: 1,
            tet_days_from_new_year: 4,
            national_day_adjacent: AdjacentDay::Before,
            rest_days: vec![Weekday::Saturday, Weekday::Sunday],
            compensate: true,
        }
    }
}

/// One year's published decision, filled by the caller (e.g. from the
/// database an administrator edits). Every field left empty keeps the rule.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct YearDecision {
    /// Tết days off as decided (weekends included or not); replaces the rule.
    pub tet: Option<Vec<Date>>,
    /// Quốc khánh days off as decided; replaces 2/9 + adjacent day.
    pub national_day: Option<Vec<Date>>,
    /// Compensation days as decided; replaces the computed ones.
    pub compensation: Option<Vec<Date>>,
    /// Further days off, e.g. a working day swapped with a Saturday.
    pub extra_days_off: Vec<(Date, String)>,
    /// Rest days declared working days (the Saturday worked in exchange).
    pub working_days: Vec<Date>,
}

/// Why a holiday is off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HolidayKind {
    /// A holiday of Art. 112 (or its decided days).
    Holiday,
    /// Owed because a holiday fell on a weekly rest day.
    Compensation,
    /// A day off by the year's decision (swap).
    Decided,
}

/// One day off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holiday {
    pub date: Date,
    pub name: String,
    pub kind: HolidayKind,
}

/// Names used in the output.
pub const NEW_YEAR: &str = "Tết Dương lịch";
pub const TET: &str = "Tết Âm lịch";
pub const GIO_TO: &str = "Giỗ Tổ Hùng Vương";
pub const REUNIFICATION: &str = "Ngày Chiến thắng";
pub const LABOUR_DAY: &str = "Ngày Quốc tế Lao động";
pub const NATIONAL_DAY: &str = "Quốc khánh";
pub const COMPENSATION: &str = "Nghỉ bù";

/// The days off of Gregorian year `year` under `rules` and the year's
/// `decision`, sorted by date.
pub fn holidays(
    year: i32,
    rules: &HolidayRules,
    decision: &YearDecision,
) -> Result<Vec<Holiday>, LunarError> {
    let mut days: BTreeMap<Date, Holiday> = BTreeMap::new();
    let solar =
        |m: Month, d: u8| Date::from_calendar_date(year, m, d).map_err(|_| LunarError::Invalid);

    let tet_days: Vec<Date> = if let Some(dates) = &decision.tet {
        dates.clone()
    } else {
        let first = lunar::tet(year)?;
        let before = i64::from(rules.tet_days_before);
        let after = i64::from(rules.tet_days_from_new_year);
        (-before..after)
            .map(|o| first + Duration::days(o))
            .collect()
    };
    let national_days: Vec<Date> = if let Some(dates) = &decision.national_day {
        dates.clone()
    } else {
        let adjacent = match rules.national_day_adjacent {
            AdjacentDay::Before => 1,
            AdjacentDay::After => 3,
        };
        vec![
            solar(Month::September, 2)?,
            solar(Month::September, adjacent)?,
        ]
    };
    let gio_to = LunarDate {
        year,
        month: 3,
        leap: false,
        day: 10,
    };
    let mut fixed: Vec<(Date, &str)> = vec![
        (solar(Month::January, 1)?, NEW_YEAR),
        (lunar::lunar_to_solar(gio_to)?, GIO_TO),
        (solar(Month::April, 30)?, REUNIFICATION),
        (solar(Month::May, 1)?, LABOUR_DAY),
    ];
    fixed.extend(tet_days.into_iter().map(|d| (d, TET)));
    fixed.extend(national_days.into_iter().map(|d| (d, NATIONAL_DAY)));
    for (date, name) in fixed {
        add(&mut days, date, name, HolidayKind::Holiday);
    }
    for (date, name) in &decision.extra_days_off {
        add(&mut days, *date, name, HolidayKind::Decided);
    }

    let compensation = match &decision.compensation {
        Some(dates) => dates.clone(),
        None if rules.compensate => compensation_days(&days, rules, decision),
        None => Vec::new(),
    };
    for date in compensation {
        add(&mut days, date, COMPENSATION, HolidayKind::Compensation);
    }
    Ok(days
        .into_values()
        .filter(|h| !decision.working_days.contains(&h.date))
        .collect())
}

/// Records a day off; the first reason given for a date wins.
fn add(days: &mut BTreeMap<Date, Holiday>, date: Date, name: &str, kind: HolidayKind) {
    days.entry(date).or_insert_with(|| Holiday {
        date,
        name: name.to_owned(),
        kind,
    });
}

/// For every holiday on a rest day, the next day after its block of days
/// off that is neither a rest day, a holiday nor already a compensation day
/// (Labour Code 2019, Art. 111(3)).
fn compensation_days(
    days: &BTreeMap<Date, Holiday>,
    rules: &HolidayRules,
    decision: &YearDecision,
) -> Vec<Date> {
    let is_rest =
        |d: Date| rules.rest_days.contains(&d.weekday()) && !decision.working_days.contains(&d);
    let mut owed: Vec<Date> = Vec::new();
    for h in days
        .values()
        .filter(|h| h.kind == HolidayKind::Holiday && is_rest(h.date))
    {
        let mut d = h.date;
        while is_rest(d) || days.contains_key(&d) || owed.contains(&d) {
            d += Duration::days(1);
        }
        owed.push(d);
    }
    owed
}

/// The default calendar of a year (rules of the Labour Code, no decision)
/// as (date, name) pairs, for listings such as `egov calendar holidays`.
pub fn default_holidays(year: i32) -> Result<Vec<(Date, String)>, LunarError> {
    Ok(
        holidays(year, &HolidayRules::default(), &YearDecision::default())?
            .into_iter()
            .map(|h| (h.date, h.name))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn dates(year: i32, rules: &HolidayRules, decision: &YearDecision) -> Vec<(Date, HolidayKind)> {
        holidays(year, rules, decision)
            .unwrap()
            .into_iter()
            .map(|h| (h.date, h.kind))
            .collect()
    }

    #[test]
    fn default_2021() {
        use HolidayKind::{Compensation, Holiday};
        let got = dates(2021, &HolidayRules::default(), &YearDecision::default());
        let want = vec![
            (date!(2021 - 01 - 01), Holiday),
            // Tết Tân Sửu: 30 Tết (11/2) and mùng 1–4 (12–15/2).
            (date!(2021 - 02 - 11), Holiday),
            (date!(2021 - 02 - 12), Holiday),
            (date!(2021 - 02 - 13), Holiday),
            (date!(2021 - 02 - 14), Holiday),
            (date!(2021 - 02 - 15), Holiday),
            // 13/2 Saturday and 14/2 Sunday are owed after the block.
            (date!(2021 - 02 - 16), Compensation),
            (date!(2021 - 02 - 17), Compensation),
            (date!(2021 - 04 - 21), Holiday),
            (date!(2021 - 04 - 30), Holiday),
            (date!(2021 - 05 - 01), Holiday),
            // 1/5 Saturday: next working day Monday 3/5.
            (date!(2021 - 05 - 03), Compensation),
            (date!(2021 - 09 - 01), Holiday),
            (date!(2021 - 09 - 02), Holiday),
        ];
        assert_eq!(got, want);
        assert_eq!(
            holidays(2021, &HolidayRules::default(), &YearDecision::default()).unwrap()[0].name,
            NEW_YEAR
        );
    }

    #[test]
    fn adjacent_day_is_data() {
        let rules = HolidayRules {
            national_day_adjacent: AdjacentDay::After,
            ..HolidayRules::default()
        };
        let got = dates(2024, &rules, &YearDecision::default());
        assert!(got.contains(&(date!(2024 - 09 - 03), HolidayKind::Holiday)));
        assert!(!got.iter().any(|(d, _)| *d == date!(2024 - 09 - 01)));
    }

    #[test]
    fn year_decision_overrides() {
        // 2024 as decided: Tết 8–14/2, 2/9 with 3/9, 30/4–1/5 extended by
        // swapping Thursday 2/5... modelled as a day off and a worked Saturday.
        let decision = YearDecision {
            tet: Some(
                (8..=14)
                    .map(|d| Date::from_calendar_date(2024, Month::February, d).unwrap())
                    .collect(),
            ),
            national_day: Some(vec![date!(2024 - 09 - 02), date!(2024 - 09 - 03)]),
            compensation: Some(vec![]),
            extra_days_off: vec![(date!(2024 - 05 - 02), "Nghỉ hoán đổi".to_owned())],
            working_days: vec![date!(2024 - 05 - 04)],
        };
        let got = holidays(2024, &HolidayRules::default(), &decision).unwrap();
        let days: Vec<Date> = got.iter().map(|h| h.date).collect();
        assert!(days.contains(&date!(2024 - 02 - 08)) && days.contains(&date!(2024 - 02 - 14)));
        assert!(!days.contains(&date!(2024 - 02 - 15)));
        assert!(days.contains(&date!(2024 - 05 - 02)));
        assert!(!days.contains(&date!(2024 - 09 - 01)));
        assert_eq!(
            got.iter()
                .filter(|h| h.kind == HolidayKind::Compensation)
                .count(),
            0
        );
    }

    #[test]
    fn default_listing() {
        let list = default_holidays(2026).unwrap();
        assert!(list.contains(&(date!(2026 - 02 - 17), TET.to_owned())));
        assert!(list.contains(&(date!(2026 - 04 - 26), GIO_TO.to_owned())));
        // Giỗ Tổ 2026 is a Sunday: Monday 27/4 is owed.
        assert!(list.contains(&(date!(2026 - 04 - 27), COMPENSATION.to_owned())));
    }
}
