//! Visits (lượt tiếp công dân): one or more people received together,
//! periodically on a reception day by its leader or regularly
//! (thường xuyên) by an officer who receives citizens. Each visit is
//! about a case (vụ việc): a new one, or the case of an earlier visit —
//! the report counts people (lượt người) and distinct cases.
//!
//! Invariant: a visit's `case_id` is the first visit of its case (its own
//! id when new), so distinct cases are one `COUNT(DISTINCT …)` away.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::days::{DayId, ReceptionDay};
use super::parties::{self, Party};
use super::{ReceptionError, required};
use crate::agencies::AgencyId;
use crate::people::PersonId;

pub type VisitId = i64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitKind {
    Periodic,
    Regular,
}

named!(VisitKind {
    Periodic => "periodic", "Tiếp định kỳ";
    Regular => "regular", "Tiếp thường xuyên";
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitOutcome {
    Guided,
    PetitionReceived,
    AnsweredOnSpot,
}

named!(VisitOutcome {
    Guided => "guided", "Hướng dẫn, giải thích";
    PetitionReceived => "petition_received", "Tiếp nhận đơn";
    AnsweredOnSpot => "answered_on_spot", "Trả lời trực tiếp";
});

/// A visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    pub id: VisitId,
    pub agency_id: AgencyId,
    pub kind: VisitKind,
    /// The reception day of a periodic visit.
    pub day_id: Option<DayId>,
    pub at: OffsetDateTime,
    /// Who received them: the day's leader, or the officer.
    pub officer_id: PersonId,
    pub recorded_by: PersonId,
    pub visitors: Vec<Party>,
    /// The first visit of the case; `0` before a new visit is stored.
    pub case_id: VisitId,
    pub content: String,
    /// Lĩnh vực, e.g. "Thông tin trên mạng xã hội".
    pub field: String,
    pub outcome: VisitOutcome,
}

/// A visit as it is recorded, before the store gives it an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitDraft {
    pub agency_id: AgencyId,
    pub at: OffsetDateTime,
    pub officer_id: PersonId,
    pub visitors: Vec<Party>,
    pub content: String,
    pub field: String,
    pub outcome: VisitOutcome,
}

impl VisitDraft {
    /// The visit, checked: periodic on `day` (which must receive, in the
    /// same agency, on the visit's Vietnam date, received by its leader),
    /// regular without; the same case as `earlier` when given (which must
    /// be of the same agency and not later).
    pub fn visit(
        &self,
        recorded_by: PersonId,
        day: Option<&ReceptionDay>,
        earlier: Option<&Visit>,
    ) -> Result<Visit, ReceptionError> {
        let on = vn::dates::vietnam_date(self.at);
        let (kind, officer_id) = match day {
            Some(day) => {
                if !day.receives() || day.agency_id != self.agency_id {
                    return Err(ReceptionError::Rule(
                        "Buổi tiếp định kỳ này đã hủy hoặc thuộc cơ quan khác".into(),
                    ));
                }
                if day.on != on {
                    return Err(ReceptionError::Rule(format!(
                        "Lượt tiếp định kỳ phải vào đúng ngày tiếp {}",
                        vn::dates::format_short(day.on)
                    )));
                }
                (VisitKind::Periodic, day.leader_id)
            }
            None => (VisitKind::Regular, self.officer_id),
        };
        let case_id = match earlier {
            Some(e) if e.agency_id != self.agency_id => {
                return Err(ReceptionError::Rule(
                    "Vụ việc được nối thuộc cơ quan khác".into(),
                ));
            }
            Some(e) => {
                super::in_order(
                    ("lượt tiếp trước của vụ việc", vn::dates::vietnam_date(e.at)),
                    ("lượt tiếp này", on),
                )?;
                e.case_id
            }
            None => 0,
        };
        Ok(Visit {
            id: 0,
            agency_id: self.agency_id,
            kind,
            day_id: day.map(|d| d.id),
            at: crate::to_stored_precision(self.at),
            officer_id,
            recorded_by,
            visitors: parties::normalised(&self.visitors)?,
            case_id,
            content: required(&self.content, "nội dung vụ việc")?,
            field: required(&self.field, "lĩnh vực")?,
            outcome: self.outcome,
        })
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::super::days::DayStatus;
    use super::*;

    fn draft(at: OffsetDateTime) -> VisitDraft {
        VisitDraft {
            agency_id: 2,
            at,
            officer_id: 9,
            visitors: vec![Party {
                name: "Trần Thị B".into(),
                id_number: None,
                address: "Càng Long".into(),
                phone: None,
            }],
            content: "Thông tin sai sự thật trên Facebook".into(),
            field: "Thông tin điện tử".into(),
            outcome: VisitOutcome::Guided,
        }
    }

    #[test]
    fn periodic_visits_need_their_day_and_cases_chain() {
        let day = ReceptionDay {
            id: 1,
            agency_id: 2,
            on: date!(2021 - 04 - 07),
            leader_id: 3,
            place: "Sở".into(),
            status: DayStatus::Held,
            scheduled_by: Some(3),
            note: String::new(),
        };
        let on_day = draft(datetime!(2021-04-07 09:00 +7));
        let v = on_day.visit(9, Some(&day), None).unwrap();
        assert_eq!(
            (v.kind, v.officer_id, v.day_id),
            (VisitKind::Periodic, 3, Some(1))
        );
        assert!(
            draft(datetime!(2021-04-08 09:00 +7))
                .visit(9, Some(&day), None)
                .is_err()
        );
        let cancelled = ReceptionDay {
            status: DayStatus::Cancelled,
            ..day
        };
        assert!(on_day.visit(9, Some(&cancelled), None).is_err());
        let first = Visit {
            id: 5,
            case_id: 5,
            ..draft(datetime!(2021-04-12 09:00 +7))
                .visit(9, None, None)
                .unwrap()
        };
        let again = draft(datetime!(2021-04-20 09:00 +7))
            .visit(9, None, Some(&first))
            .unwrap();
        assert_eq!((again.kind, again.case_id), (VisitKind::Regular, 5));
        assert!(matches!(
            draft(datetime!(2021-04-10 09:00 +7)).visit(9, None, Some(&first)),
            Err(ReceptionError::OutOfOrder { .. })
        ));
    }
}
