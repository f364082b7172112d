//! Public services and the one-stop shop: the vocabulary of procedures
//! and dossiers (DOMAIN.md §4) — service levels (Decree 43/2011) beside
//! the newer online modes (Decree 42/2022), the channels a dossier comes
//! by, the national portal's status codes, the dossier code
//! `{agency code}-{yymmdd}-{sequence}` — and the deadline rules: a
//! dossier is due a procedure's working days after its receipt date (the
//! agency's calendar, cut-off hour included), a supplement request stops
//! the clock and moves the due date by the working days it was stopped,
//! and a return is early, on time or late against that date.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use vn::workdays::WorkCalendar;

use crate::agencies::AgencyCode;

/// Service level of a procedure (Decree 43/2011/NĐ-CP).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 1: information only.
    Information,
    /// 2: forms to download.
    Forms,
    /// 3: submitted and processed online; fee and result in person.
    Online,
    /// 4: as 3, plus payment online and the result online or by post.
    Complete,
}

named!(Level {
    Information => "information", "Mức độ 1";
    Forms => "forms", "Mức độ 2";
    Online => "online", "Mức độ 3";
    Complete => "complete", "Mức độ 4";
});

impl Level {
    /// The level's number, 1 to 4.
    pub fn number(self) -> u8 {
        match self {
            Self::Information => 1,
            Self::Forms => 2,
            Self::Online => 3,
            Self::Complete => 4,
        }
    }
}

/// How much of a procedure is online (Decree 42/2022/NĐ-CP, which
/// replaced the levels; both are kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnlineMode {
    /// Dịch vụ công trực tuyến toàn trình.
    Full,
    /// Dịch vụ công trực tuyến một phần.
    Partial,
    /// Not an online public service.
    None,
}

named!(OnlineMode {
    Full => "full", "Toàn trình";
    Partial => "partial", "Một phần";
    None => "none", "Không trực tuyến";
});

impl OnlineMode {
    /// The mode a level implies where no decision says otherwise: level 4
    /// is fully online, level 3 partly.
    pub fn of_level(level: Level) -> Self {
        match level {
            Level::Complete => Self::Full,
            Level::Online => Self::Partial,
            Level::Information | Level::Forms => Self::None,
        }
    }
}

/// How a dossier arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// At the one-stop desk.
    Desk,
    /// Through the portal.
    Online,
    /// By the public postal service.
    Post,
}

named!(Channel {
    Desk => "desk", "Trực tiếp";
    Online => "online", "Trực tuyến";
    Post => "post", "Bưu chính công ích";
});

/// A dossier's state as the national portal counts it (TrangThaiHoSo).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DossierStatus {
    New,
    Receiving,
    Unresolved,
    Processing,
    /// Waiting for the applicant (a supplement).
    Waiting,
    Paying,
    Cancelled,
    Denied,
    Releasing,
    Done,
}

named!(DossierStatus {
    New => "new", "Mới";
    Receiving => "receiving", "Đang tiếp nhận";
    Unresolved => "unresolved", "Chưa giải quyết";
    Processing => "processing", "Đang giải quyết";
    Waiting => "waiting", "Chờ bổ sung";
    Paying => "paying", "Chờ thanh toán";
    Cancelled => "cancelled", "Đã hủy";
    Denied => "denied", "Từ chối";
    Releasing => "releasing", "Chờ trả kết quả";
    Done => "done", "Đã trả kết quả";
});

impl DossierStatus {
    /// The national portal's code, 1 to 10.
    pub fn code(self) -> u8 {
        match self {
            Self::New => 1,
            Self::Receiving => 2,
            Self::Unresolved => 3,
            Self::Processing => 4,
            Self::Waiting => 5,
            Self::Paying => 6,
            Self::Cancelled => 7,
            Self::Denied => 8,
            Self::Releasing => 9,
            Self::Done => 10,
        }
    }

    /// The status of national code `code`.
    pub fn from_code(code: u8) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| s.code() == code)
    }
}

/// A dossier's code: the receiving agency, the day of receipt and that
/// agency's sequence number of the day, `000.00.11.H59-210428-0001`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DossierCode {
    pub agency: AgencyCode,
    pub day: Date,
    /// From 1; written with at least four digits.
    pub sequence: u32,
}

/// Why a text is not a dossier code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "Mã hồ sơ «{0}» không đúng dạng <mã cơ quan>-<yymmdd>-<số thứ tự> (ví dụ 000.00.11.H59-210428-0001)"
)]
pub struct InvalidDossierCode(pub String);

impl fmt::Display for DossierCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{:02}{:02}{:02}-{:04}",
            self.agency,
            self.day.year().rem_euclid(100),
            u8::from(self.day.month()),
            self.day.day(),
            self.sequence
        )
    }
}

impl FromStr for DossierCode {
    type Err = InvalidDossierCode;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let bad = || InvalidDossierCode(text.to_owned());
        let mut parts = text.rsplitn(3, '-');
        let (Some(sequence), Some(day), Some(agency)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(sequence) || sequence.len() < 4 || day.len() != 6 || !digits(day) {
            return Err(bad());
        }
        let number = |range: std::ops::Range<usize>| day[range].parse::<u8>().map_err(|_| bad());
        let month = time::Month::try_from(number(2..4)?).map_err(|_| bad())?;
        let day = Date::from_calendar_date(2000 + i32::from(number(0..2)?), month, number(4..6)?)
            .map_err(|_| bad())?;
        let sequence: u32 = sequence.parse().map_err(|_| bad())?;
        if sequence == 0 {
            return Err(bad());
        }
        Ok(Self {
            agency: agency.parse().map_err(|_| bad())?,
            day,
            sequence,
        })
    }
}

/// When a dossier received at `received_at` with `days` working days of
/// processing is due, on `calendar` (the receiving agency's).
pub fn due_on(calendar: &WorkCalendar, received_at: OffsetDateTime, days: u32) -> Date {
    calendar.due_date(received_at, days)
}

/// The due date `due` moved by a stop of the clock from `stopped` (the
/// day a supplement was asked for) to `resumed` (the day it came): by the
/// working days after `stopped` up to and including `resumed`, rounded up
/// to whole days.
pub fn due_after_stop(calendar: &WorkCalendar, due: Date, stopped: Date, resumed: Date) -> Date {
    let half_days = calendar.working_half_days_between(stopped, resumed).max(0);
    let days = u32::try_from((half_days + 1) / 2).unwrap_or(u32::MAX);
    calendar.add_working_days(due, days)
}

/// How a return compares with the due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timeliness {
    Early,
    OnTime,
    Late,
}

named!(Timeliness {
    Early => "early", "Trước hạn";
    OnTime => "on_time", "Đúng hạn";
    Late => "late", "Quá hạn";
});

impl Timeliness {
    /// A result returned on `returned` against `due`.
    pub fn of(returned: Date, due: Date) -> Self {
        match returned.cmp(&due) {
            std::cmp::Ordering::Less => Self::Early,
            std::cmp::Ordering::Equal => Self::OnTime,
            std::cmp::Ordering::Greater => Self::Late,
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime, time};
    use vn::workdays::WorkingWeek;

    use super::*;

    fn code(text: &str) -> Result<DossierCode, InvalidDossierCode> {
        text.parse()
    }

    #[test]
    fn dossier_codes_read_and_write_back() {
        let parsed = code("000.00.11.H59-210428-0001").unwrap();
        assert_eq!(parsed.agency.to_string(), "000.00.11.H59");
        assert_eq!(parsed.day, date!(2021 - 04 - 28));
        assert_eq!(parsed.sequence, 1);
        assert_eq!(parsed.to_string(), "000.00.11.H59-210428-0001");
        let busy = DossierCode {
            sequence: 12_345,
            ..parsed
        };
        assert_eq!(busy.to_string(), "000.00.11.H59-210428-12345");
        assert_eq!(code(&busy.to_string()).unwrap(), busy);
        for wrong in [
            "",
            "000.00.11.H59-210428",
            "000.00.11.H59-210428-001",
            "000.00.11.H59-210431-0001",
            "000.00.11.H59-211328-0001",
            "000.00.11.H59-210428-0000",
            "000.00.11.H59-21O428-0001",
            "H15.50.05.13-261008-0975",
        ] {
            let error = code(wrong).unwrap_err();
            assert!(error.to_string().contains("Mã hồ sơ"), "{wrong}");
        }
    }

    #[test]
    fn national_status_codes_are_one_to_ten() {
        let codes: Vec<u8> = DossierStatus::ALL.iter().map(|s| s.code()).collect();
        assert_eq!(codes, (1..=10).collect::<Vec<_>>());
        for status in DossierStatus::ALL {
            assert_eq!(DossierStatus::from_code(status.code()), Some(*status));
        }
        assert_eq!(DossierStatus::from_code(0), None);
        assert_eq!(DossierStatus::from_code(11), None);
    }

    #[test]
    fn levels_and_modes() {
        assert_eq!(
            Level::ALL.iter().map(|l| l.number()).collect::<Vec<_>>(),
            [1, 2, 3, 4]
        );
        assert_eq!(OnlineMode::of_level(Level::Complete), OnlineMode::Full);
        assert_eq!(OnlineMode::of_level(Level::Online), OnlineMode::Partial);
        assert_eq!(OnlineMode::of_level(Level::Forms), OnlineMode::None);
        assert_eq!(
            "post".parse::<Channel>().unwrap().label(),
            "Bưu chính công ích"
        );
    }

    /// Issue 8's case: 5 working days for a dossier received on Wednesday
    /// 28/4/2021 at 16:00, after the 15:00 cut-off: it counts from
    /// Thursday 29/4; 30/4, 1/5 (Saturday), 2/5 and 3/5 (compensation for
    /// 1/5) are not worked, so the days are 4/5, 5/5, 6/5, 7/5 and 10/5.
    #[test]
    fn due_dates_skip_the_april_holidays_and_the_compensation_day() {
        let mut calendar = WorkCalendar::new(WorkingWeek::MONDAY_TO_FRIDAY);
        calendar.cutoff = Some(time!(15:00));
        let received = datetime!(2021-04-28 16:00 +7);
        assert_eq!(due_on(&calendar, received, 5), date!(2021 - 05 - 10));
        let before_cutoff = datetime!(2021-04-28 14:00 +7);
        assert_eq!(due_on(&calendar, before_cutoff, 5), date!(2021 - 05 - 07));
    }

    #[test]
    fn a_supplement_moves_the_due_date_by_the_days_the_clock_stopped() {
        let calendar = WorkCalendar::new(WorkingWeek::MONDAY_TO_FRIDAY);
        let due = date!(2021 - 05 - 10);
        // Asked on Tuesday 4/5, brought on Thursday 6/5: two working days.
        assert_eq!(
            due_after_stop(&calendar, due, date!(2021 - 05 - 04), date!(2021 - 05 - 06)),
            date!(2021 - 05 - 12)
        );
        // Asked and brought the same day: no change.
        assert_eq!(
            due_after_stop(&calendar, due, date!(2021 - 05 - 04), date!(2021 - 05 - 04)),
            due
        );
        // Asked on Friday 7/5, brought on Monday 10/5: one working day.
        assert_eq!(
            due_after_stop(&calendar, due, date!(2021 - 05 - 07), date!(2021 - 05 - 10)),
            date!(2021 - 05 - 11)
        );
        // On a week with Saturday mornings, a Saturday-only stop is half a
        // day, rounded up to one.
        let desk = WorkCalendar::new(WorkingWeek::WITH_SATURDAY_MORNING);
        assert_eq!(
            due_after_stop(&desk, due, date!(2021 - 05 - 07), date!(2021 - 05 - 08)),
            date!(2021 - 05 - 11)
        );
    }

    #[test]
    fn returns_are_early_on_time_or_late() {
        let due = date!(2021 - 05 - 10);
        assert_eq!(
            Timeliness::of(date!(2021 - 05 - 07), due),
            Timeliness::Early
        );
        assert_eq!(Timeliness::of(due, due), Timeliness::OnTime);
        assert_eq!(Timeliness::of(date!(2021 - 05 - 11), due), Timeliness::Late);
    }
}
