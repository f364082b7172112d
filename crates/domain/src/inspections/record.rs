//! One inspection's record and life: planned (or unplanned, đột xuất)
//! → decided (the decision forms the team and sets the period) → in
//! progress → closed by its report. A closed inspection does not change,
//! except that its follow-ups are marked done when the subjects fix what
//! they were told to.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::subjects::{FollowUp, Sanction, Subject};
use super::{Field, RuleError, plan::PlanItemId, required};
use crate::agencies::AgencyId;
use crate::people::PersonId;

pub type InspectionId = i64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Inspection,
    Check,
}

named!(Kind {
    Inspection => "inspection", "Thanh tra";
    Check => "check", "Kiểm tra";
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Planned,
    Decided,
    InProgress,
    Closed,
}

named!(Status {
    Planned => "planned", "Dự kiến";
    Decided => "decided", "Đã có quyết định";
    InProgress => "in_progress", "Đang tiến hành";
    Closed => "closed", "Đã kết thúc";
});

/// The decision forming the team (quyết định thành lập đoàn).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamDecision {
    pub number: String,
    pub date: Date,
    pub signer: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub person_id: PersonId,
    /// The head of the team (trưởng đoàn).
    pub head: bool,
}

/// The closing report (báo cáo / kết luận).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closing {
    pub number: String,
    pub date: Date,
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inspection {
    pub id: InspectionId,
    pub agency_id: AgencyId,
    pub kind: Kind,
    /// The plan item carried out; `None`: unplanned (đột xuất).
    pub plan_item_id: Option<PlanItemId>,
    pub fields: Vec<Field>,
    pub title: String,
    pub status: Status,
    pub decision: Option<TeamDecision>,
    pub team: Vec<Member>,
    /// The days inspected, from and to inclusive.
    pub period: Option<(Date, Date)>,
    pub closing: Option<Closing>,
    pub created_at: OffsetDateTime,
    pub subjects: Vec<Subject>,
    pub sanctions: Vec<Sanction>,
    pub follow_ups: Vec<FollowUp>,
}

impl Inspection {
    /// A new inspection, planned, with its title cleaned and its fields
    /// sorted once each.
    pub fn new(
        (agency_id, kind, plan_item_id): (AgencyId, Kind, Option<PlanItemId>),
        title: &str,
        mut fields: Vec<Field>,
        created_at: OffsetDateTime,
    ) -> Result<Self, RuleError> {
        let title = required(title, "cần ghi tên cuộc thanh tra, kiểm tra")?;
        fields.sort_unstable();
        fields.dedup();
        if fields.is_empty() {
            return Err(RuleError::Missing("cần chọn ít nhất một lĩnh vực"));
        }
        Ok(Self {
            id: 0,
            agency_id,
            kind,
            plan_item_id,
            fields,
            title,
            status: Status::Planned,
            decision: None,
            team: Vec::new(),
            period: None,
            closing: None,
            created_at,
            subjects: Vec::new(),
            sanctions: Vec::new(),
            follow_ups: Vec::new(),
        })
    }

    /// Fails unless the inspection is in `status`; a closed one says so.
    pub fn expect(&self, statuses: &[Status]) -> Result<(), RuleError> {
        match self.status {
            Status::Closed => Err(RuleError::Closed),
            s if statuses.contains(&s) => Ok(()),
            s => Err(RuleError::OutOfTurn(s)),
        }
    }

    /// Records the decision forming `team` for the days `from` to `to`.
    pub fn decide(
        &mut self,
        decision: TeamDecision,
        team: Vec<Member>,
        (from, to): (Date, Date),
    ) -> Result<(), RuleError> {
        self.expect(&[Status::Planned])?;
        let TeamDecision {
            number,
            date,
            signer,
        } = decision;
        let decision = TeamDecision {
            number: required(&number, "cần ghi số quyết định thành lập đoàn")?,
            signer: required(&signer, "cần ghi người ký quyết định")?,
            date,
        };
        if decision.date > from {
            return Err(RuleError::DatesOutOfOrder(
                "ngày quyết định không được sau ngày bắt đầu",
            ));
        }
        if to < from {
            return Err(RuleError::DatesOutOfOrder(
                "ngày kết thúc không được trước ngày bắt đầu",
            ));
        }
        if team.iter().filter(|m| m.head).count() != 1 {
            return Err(RuleError::NoSingleHead);
        }
        let mut people: Vec<PersonId> = team.iter().map(|m| m.person_id).collect();
        people.sort_unstable();
        if people.windows(2).any(|w| w[0] == w[1]) {
            return Err(RuleError::MemberTwice);
        }
        self.decision = Some(decision);
        self.team = team;
        self.period = Some((from, to));
        self.status = Status::Decided;
        Ok(())
    }

    /// The team starts work.
    pub fn start(&mut self) -> Result<(), RuleError> {
        self.expect(&[Status::Decided])?;
        self.status = Status::InProgress;
        Ok(())
    }

    /// Closes with `closing`: every subject has its finding, and the
    /// report comes on or after the last day inspected.
    pub fn close(&mut self, closing: Closing) -> Result<(), RuleError> {
        self.expect(&[Status::InProgress])?;
        let Closing {
            number,
            date,
            summary,
        } = closing;
        let closing = Closing {
            number: required(&number, "cần ghi số báo cáo kết thúc")?,
            summary: required(&summary, "cần ghi tóm tắt kết quả")?,
            date,
        };
        if self.period.is_some_and(|(_, to)| closing.date < to) {
            return Err(RuleError::DatesOutOfOrder(
                "ngày báo cáo kết thúc không được trước ngày kết thúc thanh tra, kiểm tra",
            ));
        }
        if let Some(s) = self.subjects.iter().find(|s| s.finding.is_none()) {
            return Err(RuleError::SubjectWithoutFinding(s.name.clone()));
        }
        self.closing = Some(closing);
        self.status = Status::Closed;
        Ok(())
    }

    /// The head of the team, once formed.
    pub fn head(&self) -> Option<PersonId> {
        self.team.iter().find(|m| m.head).map(|m| m.person_id)
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;
    use crate::inspections::subjects::{Finding, SubjectKind};

    fn inspection() -> Inspection {
        Inspection::new(
            (1, Kind::Check, None),
            " Kiểm tra internet ",
            vec![Field::EGames, Field::Internet, Field::Internet],
            datetime!(2021-04-01 08:00 UTC),
        )
        .unwrap()
    }

    fn decision(date: Date) -> TeamDecision {
        TeamDecision {
            number: "45/QĐ-STTTT".into(),
            date,
            signer: "Trần Minh Khoa".into(),
        }
    }

    fn team() -> Vec<Member> {
        vec![
            Member {
                person_id: 7,
                head: true,
            },
            Member {
                person_id: 8,
                head: false,
            },
        ]
    }

    #[test]
    fn a_new_inspection_is_cleaned() {
        let i = inspection();
        assert_eq!(i.title, "Kiểm tra internet");
        assert_eq!(i.fields, vec![Field::Internet, Field::EGames]);
        assert!(Inspection::new((1, Kind::Check, None), "x", vec![], i.created_at).is_err());
    }

    #[test]
    fn the_decision_checks_dates_and_team() {
        let period = (date!(2021 - 04 - 12), date!(2021 - 04 - 16));
        let mut i = inspection();
        assert!(matches!(
            i.decide(decision(date!(2021 - 04 - 13)), team(), period),
            Err(RuleError::DatesOutOfOrder(_))
        ));
        assert!(matches!(
            i.decide(
                decision(date!(2021 - 04 - 09)),
                team(),
                (period.1, period.0)
            ),
            Err(RuleError::DatesOutOfOrder(_))
        ));
        let mut headless = team();
        headless[0].head = false;
        assert_eq!(
            i.decide(decision(date!(2021 - 04 - 09)), headless, period),
            Err(RuleError::NoSingleHead)
        );
        let mut twice = team();
        twice[1].person_id = 7;
        assert_eq!(
            i.decide(decision(date!(2021 - 04 - 09)), twice, period),
            Err(RuleError::MemberTwice)
        );
        assert_eq!(i.status, Status::Planned);
        i.decide(decision(date!(2021 - 04 - 09)), team(), period)
            .unwrap();
        assert_eq!((i.status, i.head()), (Status::Decided, Some(7)));
    }

    #[test]
    fn closing_needs_every_finding_and_a_late_enough_report() {
        let mut i = inspection();
        i.decide(
            decision(date!(2021 - 04 - 09)),
            team(),
            (date!(2021 - 04 - 12), date!(2021 - 04 - 16)),
        )
        .unwrap();
        let closing = |date| Closing {
            number: "50/BC-ĐKT".into(),
            date,
            summary: "Không phát hiện vi phạm".into(),
        };
        assert_eq!(
            i.close(closing(date!(2021 - 04 - 20))),
            Err(RuleError::OutOfTurn(Status::Decided))
        );
        i.start().unwrap();
        i.subjects.push(Subject {
            id: 1,
            kind: SubjectKind::Individual,
            name: "Nguyễn Văn A".into(),
            id_number: None,
            address: "Càng Long".into(),
            field: Field::Internet,
            finding: None,
        });
        assert!(matches!(
            i.close(closing(date!(2021 - 04 - 15))),
            Err(RuleError::DatesOutOfOrder(_))
        ));
        assert!(matches!(
            i.close(closing(date!(2021 - 04 - 20))),
            Err(RuleError::SubjectWithoutFinding(_))
        ));
        i.subjects[0].finding = Some(Finding::Clean);
        i.close(closing(date!(2021 - 04 - 20))).unwrap();
        assert_eq!(i.start(), Err(RuleError::Closed));
    }
}
