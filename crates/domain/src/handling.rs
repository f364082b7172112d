//! Handling of incoming documents (giao xử lý): a leader assigns an incoming
//! document to a lead handler with co-handlers and a deadline in working
//! days; the handlers write opinions and the lead completes it. Owns the
//! states of an assignment, its deadline, its timeliness on a given day,
//! and the reminders due.
//!
//! Decisions:
//! - The lead (chủ trì) is always a person. Assigning to a unit means
//!   assigning to the person who answers for it (its head or a specialist),
//!   so that "my assignments", reminders and the handling sheet each name
//!   one person; the unit is that person's agency.
//! - One open assignment per document: assigning again withdraws the open
//!   one (kept, with its opinions, as history), because a leader who
//!   changes the handler means the new one to take over.
//! - Opinions may be written by the lead, a co-handler or a leader; only
//!   the lead (or a leader) completes, because the lead (đơn vị chủ trì)
//!   answers for the result and co-handlers (phối hợp) contribute to it.
//!
//! Invariant: an assignment moves only along [`AssignmentState::after`];
//! a done or withdrawn assignment never changes again.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use vn::workdays::WorkCalendar;

use crate::agencies::AgencyId;
use crate::documents::DocumentId;
use crate::people::PersonId;

pub type AssignmentId = i64;

/// Reminders go out this many working days before the deadline, and an
/// assignment this close to its deadline is shown as due soon.
pub const REMIND_WITHIN: u32 = 2;

/// The longest handling time a leader may give, in working days (about
/// four months): a longer one is a typing mistake, not a plan.
pub const MAX_WORKING_DAYS: u32 = 90;

/// Where an assignment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssignmentState {
    /// Given; no handler has written yet.
    Assigned,
    /// A handler has written an opinion.
    InProgress,
    /// Completed by the lead (or a leader).
    Done,
    /// Replaced by a later assignment of the same document.
    Withdrawn,
}

named!(AssignmentState {
    Assigned => "assigned", "Đã giao";
    InProgress => "in_progress", "Đang xử lý";
    Done => "done", "Đã hoàn thành";
    Withdrawn => "withdrawn", "Đã thu hồi, giao lại";
});

/// What someone does to an assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HandlingAction {
    Opinion,
    Complete,
    Withdraw,
}

impl HandlingAction {
    fn label(self) -> &'static str {
        match self {
            Self::Opinion => "Cho ý kiến xử lý",
            Self::Complete => "Hoàn thành",
            Self::Withdraw => "Thu hồi, giao lại",
        }
    }
}

/// How an assignment stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timeliness {
    /// Open, and the deadline is more than [`REMIND_WITHIN`] working days away.
    InTime,
    /// Open, the deadline within [`REMIND_WITHIN`] working days (or today).
    DueSoon,
    /// Open after its deadline.
    Overdue,
    /// Done on or before the deadline.
    OnTime,
    /// Done after the deadline.
    Late,
}

named!(Timeliness {
    InTime => "in_time", "Trong hạn";
    DueSoon => "due_soon", "Sắp đến hạn";
    Overdue => "overdue", "Quá hạn";
    OnTime => "on_time", "Hoàn thành đúng hạn";
    Late => "late", "Hoàn thành trễ hạn";
});

/// Why a handling step cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HandlingRuleError {
    #[error("Chỉ giao xử lý văn bản đến")]
    NotIncoming,
    #[error("Việc giao xử lý đang ở trạng thái «{state}», không thể «{action}»")]
    WrongState {
        state: &'static str,
        action: &'static str,
    },
    #[error("Ý kiến xử lý không được để trống")]
    EmptyOpinion,
    #[error("Thời hạn xử lý phải từ 1 đến {MAX_WORKING_DAYS} ngày làm việc")]
    WorkingDaysOutOfRange,
    #[error("Hạn xử lý không được trước ngày giao")]
    DeadlineBeforeAssignment,
}

impl AssignmentState {
    /// Whether the handlers still work on it.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Assigned | Self::InProgress)
    }

    /// The state after `action`, if `action` may be taken now.
    pub fn after(self, action: HandlingAction) -> Result<Self, HandlingRuleError> {
        use AssignmentState as S;
        use HandlingAction as A;
        let next = match (self, action) {
            (S::Assigned | S::InProgress, A::Opinion) => Some(S::InProgress),
            (S::Assigned | S::InProgress, A::Complete) => Some(S::Done),
            (S::Assigned | S::InProgress, A::Withdraw) => Some(S::Withdrawn),
            _ => None,
        };
        next.ok_or(HandlingRuleError::WrongState {
            state: self.label(),
            action: action.label(),
        })
    }
}

/// The deadline a leader gives: a number of working days or a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    WorkingDays(u32),
    On(Date),
}

impl Due {
    /// The deadline of an assignment made on `assigned_on`: `n` working
    /// days after it on `calendar` (the assignment day itself not counted),
    /// or the date given, which may not be before the assignment.
    pub fn deadline(
        self,
        calendar: &WorkCalendar,
        assigned_on: Date,
    ) -> Result<Date, HandlingRuleError> {
        match self {
            Self::WorkingDays(n) if (1..=MAX_WORKING_DAYS).contains(&n) => {
                Ok(calendar.add_working_days(assigned_on, n))
            }
            Self::WorkingDays(_) => Err(HandlingRuleError::WorkingDaysOutOfRange),
            Self::On(date) if date < assigned_on => {
                Err(HandlingRuleError::DeadlineBeforeAssignment)
            }
            Self::On(date) => Ok(date),
        }
    }
}

/// An assignment of an incoming document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub id: AssignmentId,
    pub document_id: DocumentId,
    /// The agency whose register holds the document (kept here so that
    /// overdue lists and reports select by agency without a join).
    pub agency_id: AgencyId,
    /// The person in charge (chủ trì).
    pub lead_id: PersonId,
    /// The people who cooperate (phối hợp), without the lead.
    pub co_handlers: Vec<PersonId>,
    /// The leader who assigned it; `None` when the system did.
    pub assigned_by: Option<PersonId>,
    /// How the audit trail names who assigned it.
    pub assigned_by_label: String,
    /// The leader's instruction (ý kiến chỉ đạo), on the handling sheet.
    pub instruction: String,
    pub assigned_on: Date,
    /// The last day on which completing is on time.
    pub deadline: Date,
    pub state: AssignmentState,
    pub completed_on: Option<Date>,
}

impl Assignment {
    /// Whether `person` handles it, as lead or co-handler.
    pub fn is_handler(&self, person: PersonId) -> bool {
        self.lead_id == person || self.co_handlers.contains(&person)
    }

    /// How it stands on `today`; `None` once withdrawn (it no longer
    /// counts for anyone).
    pub fn timeliness(&self, calendar: &WorkCalendar, today: Date) -> Option<Timeliness> {
        match (self.state, self.completed_on) {
            (AssignmentState::Withdrawn, _) => None,
            (AssignmentState::Done, Some(done)) if done <= self.deadline => {
                Some(Timeliness::OnTime)
            }
            (AssignmentState::Done, _) => Some(Timeliness::Late),
            _ if today > self.deadline => Some(Timeliness::Overdue),
            _ if self.deadline <= calendar.add_working_days(today, REMIND_WITHIN) => {
                Some(Timeliness::DueSoon)
            }
            _ => Some(Timeliness::InTime),
        }
    }

    /// Whether the lead is to be reminded on `today`: open and due soon or
    /// overdue.
    pub fn needs_reminder(&self, calendar: &WorkCalendar, today: Date) -> bool {
        self.state.is_open()
            && matches!(
                self.timeliness(calendar, today),
                Some(Timeliness::DueSoon | Timeliness::Overdue)
            )
    }

    /// The last day that still calls for a reminder on or before it: an
    /// open assignment whose deadline is on or before this day is due
    /// soon or overdue on `today` (what the store selects by).
    pub fn reminder_horizon(calendar: &WorkCalendar, today: Date) -> Date {
        calendar.add_working_days(today, REMIND_WITHIN)
    }
}

/// Checks and tidies an opinion's text.
pub fn opinion_text(text: &str) -> Result<String, HandlingRuleError> {
    let text = vn::text::squash_spaces(&vn::text::nfc(text));
    if text.is_empty() {
        Err(HandlingRuleError::EmptyOpinion)
    } else {
        Ok(text)
    }
}

/// An opinion written on an assignment (ý kiến xử lý).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opinion {
    pub assignment_id: AssignmentId,
    pub author_id: Option<PersonId>,
    pub author_label: String,
    pub text: String,
    pub at: OffsetDateTime,
}

pub type NoticeId = i64;

/// An in-app reminder to a lead handler (the e-mail beside it is in the
/// mail outbox).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub id: NoticeId,
    pub person_id: PersonId,
    pub assignment_id: AssignmentId,
    /// The day it reminds about: at most one notice per assignment and day.
    pub day: Date,
    pub text: String,
    pub created_at: OffsetDateTime,
    pub read_at: Option<OffsetDateTime>,
}

/// The reminder's text for an assignment on `today`.
pub fn reminder_text(
    assignment: &Assignment,
    document_symbol: &str,
    calendar: &WorkCalendar,
    today: Date,
) -> String {
    let deadline = vn::dates::format_short(assignment.deadline);
    match assignment.timeliness(calendar, today) {
        Some(Timeliness::Overdue) => {
            let late = calendar.working_days_between(assignment.deadline, today);
            format!(
                "Văn bản {document_symbol} đã quá hạn xử lý (hạn {deadline}, trễ {} ngày làm việc)",
                vn::numbers::format_decimal(late, 1)
            )
        }
        _ => format!("Văn bản {document_symbol} sắp đến hạn xử lý: hạn {deadline}"),
    }
}

/// Assignments of a period by how they stood, for the monthly report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelinessCounts {
    /// Done on or before the deadline.
    pub on_time: u64,
    /// Done after the deadline.
    pub late: u64,
    /// Not done, past the deadline.
    pub overdue: u64,
    /// Not done, deadline not yet passed.
    pub pending: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;
    use vn::holidays::YearDecision;

    fn assignment(deadline: Date, state: AssignmentState, done: Option<Date>) -> Assignment {
        Assignment {
            id: 1,
            document_id: 1,
            agency_id: 1,
            lead_id: 7,
            co_handlers: vec![8],
            assigned_by: Some(2),
            assigned_by_label: "khoatm".into(),
            instruction: String::new(),
            assigned_on: date!(2021 - 04 - 05),
            deadline,
            state,
            completed_on: done,
        }
    }

    /// The 2021 calendar as decided: Tết Tân Sửu off from 10 to 16 February
    /// (no compensation days, the weekend is inside the break).
    fn decided_2021() -> WorkCalendar {
        let mut calendar = WorkCalendar::default();
        let tet = (10..=16)
            .map(|d| Date::from_calendar_date(2021, time::Month::February, d).unwrap())
            .collect();
        calendar.decisions.insert(
            2021,
            YearDecision {
                tet: Some(tet),
                compensation: Some(Vec::new()),
                ..YearDecision::default()
            },
        );
        calendar
    }

    #[test]
    fn deadlines_in_working_days() {
        let default = WorkCalendar::default();
        let decided = decided_2021();
        let cases = [
            // Monday 5/4/2021 + 5: the next Monday.
            (&default, date!(2021 - 04 - 05), 5, date!(2021 - 04 - 12)),
            // Friday + 1: the weekend is skipped.
            (&default, date!(2021 - 04 - 09), 1, date!(2021 - 04 - 12)),
            // Giỗ Tổ (10/3 lunar) is Wednesday 21/4/2021.
            (&default, date!(2021 - 04 - 20), 1, date!(2021 - 04 - 22)),
            // 30/4 (Friday) and 1/5 (Saturday, owed on Monday 3/5).
            (&default, date!(2021 - 04 - 28), 3, date!(2021 - 05 - 05)),
            (&default, date!(2021 - 04 - 26), 5, date!(2021 - 05 - 05)),
            (&default, date!(2021 - 04 - 29), 1, date!(2021 - 05 - 04)),
            // Tết as decided: Tuesday 9/2 + 1 is Wednesday 17/2.
            (&decided, date!(2021 - 02 - 09), 1, date!(2021 - 02 - 17)),
            (&decided, date!(2021 - 02 - 08), 3, date!(2021 - 02 - 18)),
            // Tết by the default rule (11–15/2, owed 16 and 17/2).
            (&default, date!(2021 - 02 - 09), 1, date!(2021 - 02 - 10)),
            (&default, date!(2021 - 02 - 09), 2, date!(2021 - 02 - 18)),
        ];
        for (calendar, from, n, want) in cases {
            assert_eq!(
                Due::WorkingDays(n).deadline(calendar, from),
                Ok(want),
                "{from} + {n}"
            );
        }
    }

    #[test]
    fn deadlines_given_or_refused() {
        let calendar = WorkCalendar::default();
        let day = date!(2021 - 04 - 05);
        let cases = [
            (Due::On(day), Ok(day)),
            (Due::On(date!(2021 - 04 - 30)), Ok(date!(2021 - 04 - 30))),
            (
                Due::On(date!(2021 - 04 - 04)),
                Err(HandlingRuleError::DeadlineBeforeAssignment),
            ),
            (
                Due::WorkingDays(0),
                Err(HandlingRuleError::WorkingDaysOutOfRange),
            ),
            (
                Due::WorkingDays(MAX_WORKING_DAYS + 1),
                Err(HandlingRuleError::WorkingDaysOutOfRange),
            ),
        ];
        for (due, want) in cases {
            assert_eq!(due.deadline(&calendar, day), want, "{due:?}");
        }
    }

    #[test]
    fn timeliness_on_a_day() {
        use AssignmentState as S;
        use Timeliness as T;
        let calendar = WorkCalendar::default();
        // Deadline Wednesday 5/5/2021, after the 30/4–3/5 break.
        let deadline = date!(2021 - 05 - 05);
        let cases = [
            (S::Assigned, None, date!(2021 - 04 - 26), Some(T::InTime)),
            // Thursday 29/4 + 2 working days is Wednesday 5/5: due soon.
            (S::Assigned, None, date!(2021 - 04 - 29), Some(T::DueSoon)),
            (S::InProgress, None, date!(2021 - 04 - 28), Some(T::InTime)),
            (S::InProgress, None, deadline, Some(T::DueSoon)),
            (S::InProgress, None, date!(2021 - 05 - 06), Some(T::Overdue)),
            (
                S::Done,
                Some(deadline),
                date!(2021 - 06 - 01),
                Some(T::OnTime),
            ),
            (
                S::Done,
                Some(date!(2021 - 04 - 27)),
                date!(2021 - 04 - 27),
                Some(T::OnTime),
            ),
            (
                S::Done,
                Some(date!(2021 - 05 - 06)),
                date!(2021 - 05 - 06),
                Some(T::Late),
            ),
            (S::Withdrawn, None, date!(2021 - 05 - 10), None),
        ];
        for (state, done, today, want) in cases {
            let a = assignment(deadline, state, done);
            assert_eq!(a.timeliness(&calendar, today), want, "{state:?} {today}");
            assert_eq!(
                a.needs_reminder(&calendar, today),
                matches!(want, Some(T::DueSoon | T::Overdue)),
                "{state:?} {today}"
            );
        }
    }

    #[test]
    fn states_move_forward_only() {
        use AssignmentState as S;
        use HandlingAction as A;
        let cases = [
            (S::Assigned, A::Opinion, Ok(S::InProgress)),
            (S::InProgress, A::Opinion, Ok(S::InProgress)),
            (S::Assigned, A::Complete, Ok(S::Done)),
            (S::InProgress, A::Complete, Ok(S::Done)),
            (S::InProgress, A::Withdraw, Ok(S::Withdrawn)),
        ];
        for (state, action, want) in cases {
            assert_eq!(state.after(action), want);
        }
        for state in [S::Done, S::Withdrawn] {
            for action in [A::Opinion, A::Complete, A::Withdraw] {
                assert!(state.after(action).is_err(), "{state:?} {action:?}");
            }
        }
        assert_eq!(
            S::Done.after(A::Complete).unwrap_err().to_string(),
            "Việc giao xử lý đang ở trạng thái «Đã hoàn thành», không thể «Hoàn thành»"
        );
    }

    #[test]
    fn reminders_say_what_is_late() {
        let calendar = WorkCalendar::default();
        let a = assignment(date!(2021 - 04 - 12), AssignmentState::Assigned, None);
        assert_eq!(
            reminder_text(&a, "15/UBND-VX", &calendar, date!(2021 - 04 - 08)),
            "Văn bản 15/UBND-VX sắp đến hạn xử lý: hạn 12/4/2021"
        );
        assert_eq!(
            reminder_text(&a, "15/UBND-VX", &calendar, date!(2021 - 04 - 14)),
            "Văn bản 15/UBND-VX đã quá hạn xử lý (hạn 12/4/2021, trễ 2 ngày làm việc)"
        );
        assert_eq!(
            Assignment::reminder_horizon(&calendar, date!(2021 - 04 - 29)),
            date!(2021 - 05 - 05)
        );
    }

    #[test]
    fn opinions_are_tidied() {
        assert_eq!(
            opinion_text("  Đã  phối hợp\n với Sở Nội vụ "),
            Ok("Đã phối hợp với Sở Nội vụ".into())
        );
        assert_eq!(opinion_text(" \n "), Err(HandlingRuleError::EmptyOpinion));
        for name in ["assigned", "in_progress", "done", "withdrawn"] {
            assert_eq!(name.parse::<AssignmentState>().unwrap().as_str(), name);
        }
    }
}
