//! Deadlines inside a dossier's processing (issue 8, item 3; Circular
//! 01/2018/TT-VPCP, the process-control slip, Mẫu số 02): a procedure's
//! working days split into time budgets for reception, handling, approval
//! and release; the moment a stage is due, counted in office hours on the
//! agency's calendar from the moment the stage began; whether a stage was
//! handed on early, on time or late by its own due moment (independent of
//! the dossier's overall due date); and the handovers the slip lists.
//!
//! Budgets are in working hours because the desk's and the release's
//! share is half a day: a dossier received at 09:00 is due to leave the
//! desk at 14:30, not at the end of some day.

use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime, Time, UtcOffset};
use vn::workdays::{Shift, WorkCalendar};

use super::workflow::{Action, Stage, Step};
use super::{Dossier, Timeliness};

/// Office hours of a working day, morning and afternoon (four hours
/// each; a Saturday-morning desk works the first). The afternoon ends at
/// 17:00, the hour the national portal gives a due date.
pub const OFFICE_HOURS: [(Time, Time); 2] = [
    (time::macros::time!(07:30), time::macros::time!(11:30)),
    (time::macros::time!(13:00), time::macros::time!(17:00)),
];

/// Working hours in a full working day.
pub const HOURS_PER_DAY: u32 = 8;

/// The working hours each stage of the processing may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Budgets {
    /// At the desk, from receipt to handing it to a handler.
    pub reception: u32,
    /// With the handler, to a proposal.
    pub handling: u32,
    /// With the leader, to the approval.
    pub approval: u32,
    /// At the desk again, from the approval to the return.
    pub release: u32,
}

impl Budgets {
    /// The stages with a budget, in the order a dossier passes them.
    pub const STAGES: [Stage; 4] = [
        Stage::Reception,
        Stage::Handling,
        Stage::Approval,
        Stage::Release,
    ];

    /// A budgeted stage's name in a published internal process (the
    /// stages' own labels are the dossier's status, "Đang thụ lý").
    pub fn stage_name(stage: Stage) -> &'static str {
        match stage {
            Stage::Reception => "Tiếp nhận",
            Stage::Handling => "Thụ lý",
            Stage::Approval => "Phê duyệt",
            Stage::Release => "Trả kết quả",
            _ => "",
        }
    }

    /// The split of `days` working days when the catalogue gives none:
    /// half a day at the desk, a day with the leader, half a day to
    /// release, the rest with the handler. A procedure of fewer than three
    /// days cannot give those, so its hours are shared in the same
    /// proportions as a four-day one (⅛, ½, ¼, ⅛).
    pub fn default_for(days: u32) -> Self {
        let total = days.saturating_mul(HOURS_PER_DAY);
        let half_day = HOURS_PER_DAY / 2;
        if total >= 3 * HOURS_PER_DAY {
            Self {
                reception: half_day,
                handling: total - 2 * HOURS_PER_DAY,
                approval: HOURS_PER_DAY,
                release: half_day,
            }
        } else {
            Self {
                reception: total / 8,
                handling: total / 2,
                approval: total / 4,
                release: total / 8,
            }
        }
    }

    /// All the hours: the procedure's days (saturating: budgets read
    /// from outside are summed before `Procedure::check` refuses them).
    pub fn total(&self) -> u32 {
        self.reception
            .saturating_add(self.handling)
            .saturating_add(self.approval)
            .saturating_add(self.release)
    }

    /// The hours of `stage`, if the stage has a budget (those before
    /// receipt and the final ones have none).
    pub fn of(&self, stage: Stage) -> Option<u32> {
        match stage {
            Stage::Reception => Some(self.reception),
            Stage::Handling => Some(self.handling),
            Stage::Approval => Some(self.approval),
            Stage::Release => Some(self.release),
            _ => None,
        }
    }
}

/// The office periods worked on a day of `shift`.
fn periods(shift: Shift) -> &'static [(Time, Time)] {
    match shift {
        Shift::Off => &[],
        Shift::Morning => &OFFICE_HOURS[..1],
        Shift::Full => &OFFICE_HOURS,
    }
}

/// The moment `hours` office hours after `from`, on `calendar` (its
/// holidays, swapped days and Saturday mornings), in UTC as moments are
/// stored. Time outside office hours does not count: from a Friday at
/// 16:00, two hours end on Monday at 08:30.
pub fn add_office_hours(
    calendar: &WorkCalendar,
    from: OffsetDateTime,
    hours: u32,
) -> OffsetDateTime {
    let local = vn::dates::to_vietnam(from);
    let mut left = Duration::hours(i64::from(hours));
    let (mut day, mut at) = (local.date(), local.time());
    // Ten years without a working day means a calendar with none at all.
    for _ in 0..3660 {
        for &(start, end) in periods(calendar.shift(day)) {
            let begin = at.max(start);
            if begin >= end {
                continue;
            }
            if end - begin >= left {
                return day
                    .with_time(begin + left)
                    .assume_offset(vn::dates::VIETNAM_OFFSET)
                    .to_offset(UtcOffset::UTC);
            }
            left -= end - begin;
        }
        let Some(next) = day.next_day() else { break };
        (day, at) = (next, Time::MIDNIGHT);
    }
    from
}

/// When `stage`, entered at `from`, is due under `budgets` (the
/// procedure's, `Procedure::budgets`); `None` for a stage with no budget.
pub fn stage_due(
    calendar: &WorkCalendar,
    from: OffsetDateTime,
    budgets: &Budgets,
    stage: Stage,
) -> Option<OffsetDateTime> {
    budgets
        .of(stage)
        .map(|hours| add_office_hours(calendar, from, hours))
}

/// The end of office hours on `day`: when a date given as a deadline
/// (an extension's, an apology's) runs out.
pub fn end_of_day(day: Date) -> OffsetDateTime {
    day.with_time(OFFICE_HOURS[1].1)
        .assume_offset(vn::dates::VIETNAM_OFFSET)
        .to_offset(UtcOffset::UTC)
}

/// How a stage handed on at `done` compares with its due moment `due`:
/// late after it, early when handed on a day before the due day, on time
/// otherwise.
pub fn stage_timeliness(done: OffsetDateTime, due: OffsetDateTime) -> Timeliness {
    if done > due {
        Timeliness::Late
    } else if vn::dates::vietnam_date(done) < vn::dates::vietnam_date(due) {
        Timeliness::Early
    } else {
        Timeliness::OnTime
    }
}

impl Dossier {
    /// Whether its current stage is past its own due moment at `now`,
    /// with the clock running (not waiting for a supplement).
    pub fn stage_overdue_at(&self, now: OffsetDateTime) -> bool {
        self.stopped_on.is_none() && self.stage_due_at.is_some_and(|due| now > due)
    }
}

/// One line of the process-control slip: who handed the dossier to whom,
/// when, and how that compares with the due moment of the stage handed on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handover {
    pub at: OffsetDateTime,
    pub from: String,
    pub to: String,
    /// The stage handed on (`None` for the receipt from the applicant).
    pub stage: Option<Stage>,
    /// That stage's due moment, if it had one.
    pub due: Option<OffsetDateTime>,
    pub timeliness: Option<Timeliness>,
}

/// Who holds a dossier at `stage` when nobody has taken it on yet: its
/// handler by name, else the part of the agency whose turn it is.
pub fn holder(stage: Stage, handler: Option<&str>) -> String {
    match stage {
        Stage::Handling => handler.unwrap_or("Chuyên viên thụ lý").to_owned(),
        Stage::Approval => "Lãnh đạo cơ quan".to_owned(),
        Stage::Checking | Stage::Reception | Stage::Release => {
            "Bộ phận Tiếp nhận và Trả kết quả".to_owned()
        }
        Stage::Confirming | Stage::Returned | Stage::Refused | Stage::Withdrawn => String::new(),
    }
}

/// Whether `step`, after `previous`, handed the dossier on: it entered
/// another stage of a received dossier, or gave it to another handler.
fn hands_on(previous: Option<&Step>, step: &Step) -> bool {
    let moved = previous.is_none_or(|p| p.stage != step.stage) || step.action == Action::Assign;
    moved && step.stage.is_received()
}

/// The handovers of a dossier whose history is `steps` (first first):
/// the papers from `applicant` to the desk officer who received them,
/// then each stage handed on by the one who took the step to the one who
/// took the next handover (or to `holder`, who holds it now), the result
/// to the applicant. Each stage's due moment is the one recorded by the
/// step before it, so a supplement's move of it counts.
pub fn handovers(steps: &[Step], applicant: &str, holder: &str) -> Vec<Handover> {
    let handing: Vec<usize> = (0..steps.len())
        .filter(|&i| hands_on(i.checked_sub(1).map(|p| &steps[p]), &steps[i]))
        .collect();
    handing
        .iter()
        .enumerate()
        .map(|(n, &i)| {
            let step = &steps[i];
            let previous = i.checked_sub(1).map(|p| &steps[p]);
            let receipt = matches!(step.action, Action::Receive | Action::Accept);
            let next_taker = handing
                .get(n + 1)
                .map_or(holder, |&j| steps[j].actor_label.as_str());
            let (from, to) = if receipt {
                (applicant, step.actor_label.as_str())
            } else if step.stage.is_final() {
                (step.actor_label.as_str(), applicant)
            } else {
                (step.actor_label.as_str(), next_taker)
            };
            let due = if receipt {
                None
            } else {
                previous.and_then(|p| p.due_at)
            };
            Handover {
                at: step.at,
                from: from.to_owned(),
                to: to.to_owned(),
                stage: previous.filter(|_| !receipt).map(|p| p.stage),
                due,
                timeliness: due.map(|due| stage_timeliness(step.at, due)),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};
    use vn::workdays::WorkingWeek;

    use super::*;

    #[test]
    fn budgets_split_the_procedures_days() {
        let five = Budgets::default_for(5);
        assert_eq!(
            (five.reception, five.handling, five.approval, five.release),
            (4, 24, 8, 4)
        );
        for days in 1..=30 {
            assert_eq!(Budgets::default_for(days).total(), days * HOURS_PER_DAY);
        }
        let one = Budgets::default_for(1);
        assert_eq!(
            (one.reception, one.handling, one.approval, one.release),
            (1, 4, 2, 1)
        );
        assert_eq!(Budgets::default_for(3).handling, 8);
        assert_eq!(five.of(Stage::Checking), None);
        assert_eq!(five.of(Stage::Approval), Some(8));
    }

    #[test]
    fn a_stage_is_due_by_the_budgets_given() {
        let calendar = WorkCalendar::new(WorkingWeek::MONDAY_TO_FRIDAY);
        let from = datetime!(2021-04-28 09:00 +7);
        let own = Budgets {
            reception: 1,
            handling: 30,
            approval: 8,
            release: 1,
        };
        // One hour at the desk, not the default half day (14:30).
        assert_eq!(
            stage_due(&calendar, from, &own, Stage::Reception),
            Some(datetime!(2021-04-28 10:00 +7))
        );
        assert_eq!(
            stage_due(&calendar, from, &Budgets::default_for(5), Stage::Reception),
            Some(datetime!(2021-04-28 14:30 +7))
        );
        assert_eq!(stage_due(&calendar, from, &own, Stage::Returned), None);
        assert_eq!(
            Budgets::STAGES.map(Budgets::stage_name),
            ["Tiếp nhận", "Thụ lý", "Phê duyệt", "Trả kết quả"]
        );
    }

    #[test]
    fn office_hours_skip_nights_weekends_and_holidays() {
        let calendar = WorkCalendar::new(WorkingWeek::MONDAY_TO_FRIDAY);
        let cases = [
            // Wednesday 28/4/2021 09:00 + 4 h: 2½ h in the morning, 1½ after lunch.
            (
                datetime!(2021-04-28 09:00 +7),
                4,
                datetime!(2021-04-28 14:30 +7),
            ),
            // From lunch time, the afternoon counts from 13:00.
            (
                datetime!(2021-04-28 12:00 +7),
                4,
                datetime!(2021-04-28 17:00 +7),
            ),
            // Thursday 29/4 16:00 + 2 h: 30/4, 1/5, 2/5 and 3/5 are off.
            (
                datetime!(2021-04-29 16:00 +7),
                2,
                datetime!(2021-05-04 08:30 +7),
            ),
            // Received in the evening: from the next morning.
            (
                datetime!(2021-04-27 19:00 +7),
                8,
                datetime!(2021-04-28 17:00 +7),
            ),
            (
                datetime!(2021-04-28 09:00 +7),
                0,
                datetime!(2021-04-28 09:00 +7),
            ),
        ];
        for (from, hours, due) in cases {
            assert_eq!(
                add_office_hours(&calendar, from, hours),
                due,
                "{from} + {hours}"
            );
            assert_eq!(
                add_office_hours(&calendar, from, hours).offset(),
                UtcOffset::UTC
            );
        }
        // A Saturday-morning desk works Saturday 8/5 from 07:30 to 11:30.
        let desk = WorkCalendar::new(WorkingWeek::WITH_SATURDAY_MORNING);
        assert_eq!(
            add_office_hours(&desk, datetime!(2021-05-07 16:00 +7), 2),
            datetime!(2021-05-08 08:30 +7)
        );
        assert_eq!(
            end_of_day(date!(2021 - 05 - 10)),
            datetime!(2021-05-10 17:00 +7)
        );
    }

    #[test]
    fn a_stage_is_early_on_time_or_late_by_its_own_moment() {
        let due = datetime!(2021-04-28 14:30 +7);
        assert_eq!(
            stage_timeliness(datetime!(2021-04-27 16:00 +7), due),
            Timeliness::Early
        );
        assert_eq!(
            stage_timeliness(datetime!(2021-04-28 14:30 +7), due),
            Timeliness::OnTime
        );
        assert_eq!(
            stage_timeliness(datetime!(2021-04-28 14:31 +7), due),
            Timeliness::Late
        );
    }

    fn step(
        at: OffsetDateTime,
        action: Action,
        who: &str,
        stage: Stage,
        due: Option<OffsetDateTime>,
    ) -> Step {
        Step {
            at,
            action,
            actor_id: None,
            actor_label: who.into(),
            stage,
            note: String::new(),
            due_at: due,
            letter: None,
        }
    }

    #[test]
    fn the_handovers_name_giver_taker_and_timeliness() {
        let due = |h| Some(datetime!(2021-04-28 00:00 +7) + Duration::hours(h));
        let steps = [
            step(
                datetime!(2021-04-28 09:00 +7),
                Action::Receive,
                "Bàn",
                Stage::Reception,
                due(14),
            ),
            step(
                datetime!(2021-04-28 15:00 +7),
                Action::Assign,
                "Bàn",
                Stage::Handling,
                due(40),
            ),
            step(
                datetime!(2021-04-28 16:00 +7),
                Action::RequestSupplement,
                "Thụ",
                Stage::Handling,
                due(40),
            ),
            step(
                datetime!(2021-04-29 09:00 +7),
                Action::SupplementReceived,
                "Bàn",
                Stage::Handling,
                due(64),
            ),
            step(
                datetime!(2021-04-29 10:00 +7),
                Action::Propose,
                "Thụ",
                Stage::Approval,
                due(80),
            ),
        ];
        let lines = handovers(&steps, "Chủ", "Lãnh đạo cơ quan");
        assert_eq!(lines.len(), 3);
        assert_eq!(
            (lines[0].from.as_str(), lines[0].to.as_str()),
            ("Chủ", "Bàn")
        );
        assert_eq!((lines[0].due, lines[0].timeliness), (None, None));
        // The desk's half day ran out at 14:00: handed on at 15:00, late.
        assert_eq!(
            (lines[1].from.as_str(), lines[1].to.as_str()),
            ("Bàn", "Thụ")
        );
        assert_eq!(lines[1].stage, Some(Stage::Reception));
        assert_eq!(lines[1].timeliness, Some(Timeliness::Late));
        // The handling's due moment was moved by the supplement.
        assert_eq!(lines[2].due, due(64));
        assert_eq!(lines[2].timeliness, Some(Timeliness::Early));
        assert_eq!(lines[2].to, "Lãnh đạo cơ quan");
        assert_eq!(holder(Stage::Handling, Some("Thụ")), "Thụ");
    }
}
