//! Working days: per-agency working weeks and deadline arithmetic.
//!
//! Owns "N working days after a moment": a working week per agency
//! (Monday–Friday by default, Saturday morning for some desks: half days),
//! the days off of [`crate::holidays`] and the year's decisions, and an
//! optional cut-off hour (a dossier received after 15:00 counts from the
//! next working day). Time is measured in half days so a Saturday morning
//! counts as half a working day. Invariant: `add_working_days(d, 0)` is `d`,
//! and `working_half_days_between(d, add_working_days(d, n)) == 2n` on a
//! week of whole days.

use std::collections::{BTreeMap, BTreeSet};

use time::{Date, Duration, OffsetDateTime, Time, Weekday};

use crate::holidays::{self, HolidayRules, YearDecision};

/// How much of a weekday an office works.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shift {
    Off,
    /// Morning only: half a working day.
    Morning,
    Full,
}

impl Shift {
    fn half_days(self) -> i64 {
        match self {
            Self::Off => 0,
            Self::Morning => 1,
            Self::Full => 2,
        }
    }
}

/// The shift of each weekday, Monday first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct WorkingWeek(pub [Shift; 7]);

impl WorkingWeek {
    /// Monday to Friday, the civil-service week.
    pub const MONDAY_TO_FRIDAY: Self = Self([
        Shift::Full,
        Shift::Full,
        Shift::Full,
        Shift::Full,
        Shift::Full,
        Shift::Off,
        Shift::Off,
    ]);

    /// Monday to Friday plus Saturday morning (one-stop desks).
    pub const WITH_SATURDAY_MORNING: Self = Self([
        Shift::Full,
        Shift::Full,
        Shift::Full,
        Shift::Full,
        Shift::Full,
        Shift::Morning,
        Shift::Off,
    ]);

    /// The shift of `weekday`.
    pub fn shift(&self, weekday: Weekday) -> Shift {
        self.0[usize::from(weekday.number_days_from_monday())]
    }
}

impl Default for WorkingWeek {
    fn default() -> Self {
        Self::MONDAY_TO_FRIDAY
    }
}

/// An agency's working calendar: its week, the holiday rule and the yearly
/// decisions known so far (by Gregorian year).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    pub week: WorkingWeek,
    pub rules: HolidayRules,
    pub decisions: BTreeMap<i32, YearDecision>,
    /// Receipts at or after this local time count from the next working
    /// day (e.g. 15:00); `None` disables the rule.
    pub cutoff: Option<Time>,
}

/// Days off and declared working days of one year.
struct YearDays {
    off: BTreeSet<Date>,
    working: BTreeSet<Date>,
}

impl WorkCalendar {
    /// A calendar with the default rule and no decision.
    pub fn new(week: WorkingWeek) -> Self {
        Self {
            week,
            ..Self::default()
        }
    }

    fn year_days(&self, year: i32) -> YearDays {
        let empty = YearDecision::default();
        let decision = self.decisions.get(&year).unwrap_or(&empty);
        // Outside the lunar range only solar holidays could be known; treat
        // the year as having no holiday rather than failing a deadline.
        let off = holidays::holidays(year, &self.rules, decision)
            .map(|hs| hs.into_iter().map(|h| h.date).collect())
            .unwrap_or_default();
        YearDays {
            off,
            working: decision.working_days.iter().copied().collect(),
        }
    }

    /// The shift worked on `date`: a holiday is off, a declared working day
    /// (swapped Saturday) is a full day, otherwise the weekly shift.
    pub fn shift(&self, date: Date) -> Shift {
        self.shift_in(&self.year_days(date.year()), date)
    }

    fn shift_in(&self, year: &YearDays, date: Date) -> Shift {
        if year.working.contains(&date) {
            Shift::Full
        } else if year.off.contains(&date) {
            Shift::Off
        } else {
            self.week.shift(date.weekday())
        }
    }

    /// Whether any work is done on `date`.
    pub fn is_working_day(&self, date: Date) -> bool {
        self.shift(date) != Shift::Off
    }

    /// Iterates (date, half days worked) from `from` in direction `step`.
    fn walk(&self, from: Date, step: i64) -> impl Iterator<Item = (Date, i64)> + '_ {
        let mut cache: Option<(i32, YearDays)> = None;
        (1_i64..).map_while(move |i| {
            let date = from.checked_add(Duration::days(i * step))?;
            if cache.as_ref().is_none_or(|(y, _)| *y != date.year()) {
                cache = Some((date.year(), self.year_days(date.year())));
            }
            let shift = cache
                .as_ref()
                .map_or(Shift::Off, |(_, days)| self.shift_in(days, date));
            Some((date, shift.half_days()))
        })
    }

    /// The date on which the `n`-th working day after `date` ends; half days
    /// count as half. `n = 0` gives `date`.
    pub fn add_working_days(&self, date: Date, n: u32) -> Date {
        let target = 2 * i64::from(n);
        if target == 0 || self.week.0.iter().all(|s| *s == Shift::Off) {
            return date;
        }
        let mut done = 0;
        for (d, half_days) in self.walk(date, 1) {
            done += half_days;
            if done >= target {
                return d;
            }
        }
        date
    }

    /// The day a receipt at `moment` is deemed received: its Vietnam date,
    /// or the next working day when that date is not a working day or the
    /// receipt came at or after the cut-off.
    pub fn receipt_date(&self, moment: OffsetDateTime) -> Date {
        let local = crate::dates::to_vietnam(moment);
        let date = local.date();
        let late = self.cutoff.is_some_and(|c| local.time() >= c);
        if late || !self.is_working_day(date) {
            self.add_working_days(date, 1).max(date)
        } else {
            date
        }
    }

    /// The due date of `n` working days for a receipt at `moment`:
    /// [`Self::receipt_date`], then `n` working days after it.
    pub fn due_date(&self, moment: OffsetDateTime, n: u32) -> Date {
        self.add_working_days(self.receipt_date(moment), n)
    }

    /// Half days worked after `from` up to and including `to`; negative when
    /// `to` is before `from`.
    pub fn working_half_days_between(&self, from: Date, to: Date) -> i64 {
        if to >= from {
            self.walk(from, 1)
                .take_while(|(d, _)| *d <= to)
                .map(|(_, h)| h)
                .sum()
        } else {
            -self.working_half_days_between(to, from)
        }
    }

    /// Working days after `from` up to and including `to` (a Saturday
    /// morning counts 0.5).
    pub fn working_days_between(&self, from: Date, to: Date) -> f64 {
        // Half-day counts stay far below 2^52: the conversion is exact.
        #[allow(clippy::cast_precision_loss)]
        let half_days = self.working_half_days_between(from, to) as f64;
        half_days / 2.0
    }

    /// Half days worked between two moments: `from` taken as its receipt
    /// date, `to` as its Vietnam date.
    pub fn working_half_days_between_moments(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> i64 {
        self.working_half_days_between(self.receipt_date(from), crate::dates::vietnam_date(to))
    }
}

/// `n` working days after `date` on the default calendar (Monday–Friday,
/// Labour Code holidays, no yearly decision): the `egov calendar
/// add-working-days` command.
///
/// ```
/// use time::macros::date;
/// assert_eq!(vn::workdays::add_working_days(date!(2021 - 04 - 28), 3), date!(2021 - 05 - 05));
/// ```
pub fn add_working_days(date: Date, n: u32) -> Date {
    WorkCalendar::default().add_working_days(date, n)
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime, time};

    use super::*;

    #[test]
    fn acceptance_case_around_30_4_and_1_5() {
        // 30/4 Friday and 3/5 (compensation for 1/5 on Saturday) are skipped.
        assert_eq!(
            add_working_days(date!(2021 - 04 - 28), 3),
            date!(2021 - 05 - 05)
        );
        let cal = WorkCalendar::default();
        assert_eq!(
            cal.working_half_days_between(date!(2021 - 04 - 28), date!(2021 - 05 - 05)),
            6
        );
        assert!(!cal.is_working_day(date!(2021 - 05 - 03)));
    }

    #[test]
    fn table_of_deadlines() {
        let cal = WorkCalendar::default();
        let cases = [
            (date!(2021 - 04 - 28), 0, date!(2021 - 04 - 28)),
            (date!(2021 - 04 - 28), 1, date!(2021 - 04 - 29)),
            (date!(2021 - 04 - 29), 1, date!(2021 - 05 - 04)),
            (date!(2021 - 05 - 07), 1, date!(2021 - 05 - 10)),
            // Across Tết Tân Sửu (default rule: 11–15/2 + 16, 17/2 owed).
            (date!(2021 - 02 - 10), 1, date!(2021 - 02 - 18)),
            // Across the new year: 1/1/2022 is a Saturday, owed on Monday 3/1.
            (date!(2021 - 12 - 31), 1, date!(2022 - 01 - 04)),
        ];
        for (from, n, want) in cases {
            assert_eq!(cal.add_working_days(from, n), want, "{from} + {n}");
        }
    }

    #[test]
    fn saturday_morning_counts_half() {
        let cal = WorkCalendar::new(WorkingWeek::WITH_SATURDAY_MORNING);
        // Friday 7/5/2021 + 1: Saturday morning (½) then Monday (1).
        assert_eq!(
            cal.add_working_days(date!(2021 - 05 - 07), 1),
            date!(2021 - 05 - 10)
        );
        assert_eq!(
            cal.working_half_days_between(date!(2021 - 05 - 07), date!(2021 - 05 - 10)),
            3
        );
        assert_eq!(cal.shift(date!(2021 - 05 - 08)), Shift::Morning);
        // A holiday Saturday is off even for the Saturday desk.
        assert_eq!(cal.shift(date!(2021 - 05 - 01)), Shift::Off);
    }

    #[test]
    fn cutoff_and_receipt_dates() {
        let cal = WorkCalendar {
            cutoff: Some(time!(15:00)),
            ..WorkCalendar::default()
        };
        // Wednesday 28/4/2021 at 14:59 and at 15:00, Vietnam time.
        let early = datetime!(2021-04-28 14:59 +7);
        let late = datetime!(2021-04-28 15:00 +7);
        assert_eq!(cal.receipt_date(early), date!(2021 - 04 - 28));
        assert_eq!(cal.receipt_date(late), date!(2021 - 04 - 29));
        assert_eq!(cal.due_date(early, 3), date!(2021 - 05 - 05));
        assert_eq!(cal.due_date(late, 3), date!(2021 - 05 - 06));
        // 07:30 UTC is 14:30 in Vietnam: before the cut-off.
        assert_eq!(
            cal.receipt_date(datetime!(2021-04-28 07:30 UTC)),
            date!(2021 - 04 - 28)
        );
        // Received on Sunday online: deemed received on Monday.
        assert_eq!(
            cal.receipt_date(datetime!(2021-05-09 10:00 +7)),
            date!(2021 - 05 - 10)
        );
        let between = cal.working_half_days_between_moments(late, datetime!(2021-05-06 09:00 +7));
        assert_eq!(between, 6);
    }

    #[test]
    fn swapped_saturday_is_worked() {
        let mut cal = WorkCalendar::default();
        cal.decisions.insert(
            2024,
            YearDecision {
                extra_days_off: vec![(date!(2024 - 05 - 02), "Nghỉ hoán đổi".to_owned())],
                working_days: vec![date!(2024 - 05 - 04)],
                ..YearDecision::default()
            },
        );
        assert!(!cal.is_working_day(date!(2024 - 05 - 02)));
        assert!(cal.is_working_day(date!(2024 - 05 - 04)));
        // Monday 29/4 + 1 → Thursday 2/5 off (swap), 30/4, 1/5 holidays:
        // Friday 3/5 is the first working day.
        assert_eq!(
            cal.add_working_days(date!(2024 - 04 - 29), 1),
            date!(2024 - 05 - 03)
        );
        assert_eq!(
            cal.add_working_days(date!(2024 - 04 - 29), 2),
            date!(2024 - 05 - 04)
        );
        assert_eq!(
            cal.working_half_days_between(date!(2024 - 05 - 04), date!(2024 - 04 - 29)),
            -4
        );
    }
}
