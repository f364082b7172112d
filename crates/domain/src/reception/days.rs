//! Periodic reception days (lịch tiếp công dân định kỳ): a leader who
//! answers for the agency receives citizens on a day and at a place the
//! leaders set; the day is then recorded as held or cancelled.
//!
//! Invariant: a day moves only from scheduled to held or cancelled, and
//! is held only once its date has come.

use serde::{Deserialize, Serialize};
use time::Date;

use super::{ReceptionError, required};
use crate::agencies::AgencyId;
use crate::people::PersonId;

pub type DayId = i64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayStatus {
    Scheduled,
    Held,
    Cancelled,
}

named!(DayStatus {
    Scheduled => "scheduled", "Đã lên lịch";
    Held => "held", "Đã tổ chức";
    Cancelled => "cancelled", "Đã hủy";
});

/// A periodic reception day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceptionDay {
    pub id: DayId,
    pub agency_id: AgencyId,
    pub on: Date,
    /// The leader who receives.
    pub leader_id: PersonId,
    pub place: String,
    pub status: DayStatus,
    pub scheduled_by: Option<PersonId>,
    /// Why it was cancelled, or what the leader noted when it was held.
    pub note: String,
}

/// What became of a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayOutcome {
    Held(String),
    Cancelled(String),
}

impl ReceptionDay {
    /// The day after `outcome`, recorded on `today`.
    pub fn record(&self, outcome: &DayOutcome, today: Date) -> Result<Self, ReceptionError> {
        if self.status != DayStatus::Scheduled {
            return Err(ReceptionError::WrongState {
                state: self.status.label(),
                action: "ghi kết quả buổi tiếp",
            });
        }
        let (status, note) = match outcome {
            DayOutcome::Held(note) => {
                super::not_future(self.on, today)?;
                (
                    DayStatus::Held,
                    vn::text::squash_spaces(&vn::text::nfc(note)),
                )
            }
            DayOutcome::Cancelled(reason) => (
                DayStatus::Cancelled,
                required(reason, "lý do hủy buổi tiếp")?,
            ),
        };
        Ok(Self {
            status,
            note,
            ..self.clone()
        })
    }

    /// Whether a periodic visit may be recorded on it.
    pub fn receives(&self) -> bool {
        self.status != DayStatus::Cancelled
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn day() -> ReceptionDay {
        ReceptionDay {
            id: 1,
            agency_id: 2,
            on: date!(2021 - 04 - 07),
            leader_id: 3,
            place: "Trụ sở Sở".into(),
            status: DayStatus::Scheduled,
            scheduled_by: Some(3),
            note: String::new(),
        }
    }

    #[test]
    fn a_day_is_held_once_it_has_come_or_cancelled_with_a_reason() {
        let d = day();
        assert!(matches!(
            d.record(&DayOutcome::Held(String::new()), date!(2021 - 04 - 06)),
            Err(ReceptionError::InFuture(_))
        ));
        let held = d
            .record(
                &DayOutcome::Held("Không có công dân đến".into()),
                date!(2021 - 04 - 07),
            )
            .unwrap();
        assert_eq!(held.status, DayStatus::Held);
        assert!(matches!(
            held.record(&DayOutcome::Cancelled("x".into()), date!(2021 - 04 - 08)),
            Err(ReceptionError::WrongState { .. })
        ));
        assert!(
            d.record(&DayOutcome::Cancelled(" ".into()), date!(2021 - 04 - 01))
                .is_err()
        );
        let cancelled = d
            .record(
                &DayOutcome::Cancelled("Lãnh đạo đi công tác".into()),
                date!(2021 - 04 - 01),
            )
            .unwrap();
        assert!(!cancelled.receives());
    }
}
