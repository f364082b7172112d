//! Petitions (đơn): complaints, denunciations, recommendations and
//! reflections; received at a visit, by post or online; classified
//! within the legal time (accepted — thụ lý —, not accepted with the
//! reason, transferred to the competent agency, or filed), assigned by a
//! leader to a handler (a person), answered, closed. A leader may extend
//! the time of a complex case as far as the law allows.
//!
//! Invariant: a petition moves only by [`Petition::take`], which checks
//! the order of the dates, the state and the law's limits, and keeps the
//! due dates (`classify_due`, `due_on`) in step, so the store can count
//! on them.

use serde::{Deserialize, Serialize};
use time::Date;
use vn::workdays::WorkCalendar;

use super::deadlines::Complexity;
use super::parties::{self, Keepers, Party};
use super::visits::{Visit, VisitId};
use super::{ReceptionError, in_order, not_future, required};
use crate::agencies::AgencyId;
use crate::handling::{REMIND_WITHIN, Timeliness};
use crate::people::PersonId;

pub type PetitionId = i64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PetitionKind {
    Complaint,
    Denunciation,
    Recommendation,
    Reflection,
}

named!(PetitionKind {
    Complaint => "complaint", "Khiếu nại";
    Denunciation => "denunciation", "Tố cáo";
    Recommendation => "recommendation", "Kiến nghị";
    Reflection => "reflection", "Phản ánh";
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Visit,
    Post,
    Online,
}

named!(Channel {
    Visit => "visit", "Trực tiếp tại buổi tiếp";
    Post => "post", "Qua bưu chính";
    Online => "online", "Thư điện tử, trực tuyến";
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PetitionStatus {
    Received,
    Accepted,
    NotAccepted,
    Transferred,
    Filed,
    Assigned,
    Answered,
    Closed,
}

named!(PetitionStatus {
    Received => "received", "Chờ phân loại";
    Accepted => "accepted", "Đã thụ lý";
    NotAccepted => "not_accepted", "Không thụ lý";
    Transferred => "transferred", "Đã chuyển cơ quan có thẩm quyền";
    Filed => "filed", "Lưu đơn";
    Assigned => "assigned", "Đang giải quyết";
    Answered => "answered", "Đã trả lời";
    Closed => "closed", "Đã kết thúc";
});

impl PetitionStatus {
    /// Whether the petition was classified out of the agency's hands.
    pub fn ended_at_classification(self) -> bool {
        matches!(self, Self::NotAccepted | Self::Transferred | Self::Filed)
    }
}

/// How a leader classifies a petition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Classification {
    Accept,
    /// With the reason.
    NotAccept(String),
    /// To the competent agency, named.
    Transfer(String),
    /// With a note (anonymous, duplicate of one being handled…).
    File(String),
}

/// A step of a petition's life, on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Classify(Classification),
    Assign(PersonId),
    Extend {
        complexity: Complexity,
        reason: String,
    },
    Answer(String),
    Close,
}

impl Step {
    fn label(&self) -> &'static str {
        match self {
            Self::Classify(_) => "phân loại, xử lý đơn",
            Self::Assign(_) => "giao người giải quyết",
            Self::Extend { .. } => "gia hạn giải quyết",
            Self::Answer(_) => "trả lời kết quả",
            Self::Close => "kết thúc",
        }
    }
}

/// A petition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Petition {
    pub id: PetitionId,
    pub agency_id: AgencyId,
    pub kind: PetitionKind,
    pub received_on: Date,
    pub channel: Channel,
    pub visit_id: Option<VisitId>,
    pub petitioners: Vec<Party>,
    pub content: String,
    pub field: String,
    pub recorded_by: PersonId,
    pub status: PetitionStatus,
    /// The last day to classify it.
    pub classify_due: Date,
    pub classified_on: Option<Date>,
    /// The leader who classified it, then the one who assigned it.
    pub decided_by: Option<PersonId>,
    /// The reason it was not accepted, the agency it went to, or the
    /// filing note.
    pub note: String,
    pub complexity: Complexity,
    pub extensions: u8,
    pub extension_reason: String,
    /// The last day to answer an accepted petition, extensions included.
    pub due_on: Option<Date>,
    pub handler_id: Option<PersonId>,
    pub assigned_on: Option<Date>,
    pub answered_on: Option<Date>,
    pub result: String,
    pub closed_on: Option<Date>,
}

/// A petition as the officer records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PetitionDraft {
    pub agency_id: AgencyId,
    pub kind: PetitionKind,
    pub received_on: Date,
    pub channel: Channel,
    pub visit_id: Option<VisitId>,
    pub petitioners: Vec<Party>,
    pub content: String,
    pub field: String,
}

impl PetitionDraft {
    /// The petition as received, checked: received not later than
    /// `today`; at a visit exactly when the channel says so, and not
    /// before that visit.
    pub fn petition(
        &self,
        recorded_by: PersonId,
        visit: Option<&Visit>,
        (calendar, today): (&WorkCalendar, Date),
    ) -> Result<Petition, ReceptionError> {
        not_future(self.received_on, today)?;
        match (self.channel, visit) {
            (Channel::Visit, None) => return Err(ReceptionError::Missing("lượt tiếp đã nhận đơn")),
            (Channel::Visit, Some(v)) => {
                if v.agency_id != self.agency_id {
                    return Err(ReceptionError::Rule("Lượt tiếp thuộc cơ quan khác".into()));
                }
                in_order(
                    ("ngày tiếp", vn::dates::vietnam_date(v.at)),
                    ("ngày nhận đơn", self.received_on),
                )?;
            }
            (_, Some(_)) => {
                return Err(ReceptionError::Rule(
                    "Chỉ đơn nhận trực tiếp tại buổi tiếp mới gắn với lượt tiếp".into(),
                ));
            }
            (_, None) => {}
        }
        Ok(Petition {
            id: 0,
            agency_id: self.agency_id,
            kind: self.kind,
            received_on: self.received_on,
            channel: self.channel,
            visit_id: visit.map(|v| v.id),
            petitioners: parties::normalised(&self.petitioners)?,
            content: required(&self.content, "nội dung đơn")?,
            field: required(&self.field, "lĩnh vực")?,
            recorded_by,
            status: PetitionStatus::Received,
            classify_due: calendar
                .add_working_days(self.received_on, self.kind.deadlines().classify),
            classified_on: None,
            decided_by: None,
            note: String::new(),
            complexity: Complexity::Normal,
            extensions: 0,
            extension_reason: String::new(),
            due_on: None,
            handler_id: None,
            assigned_on: None,
            answered_on: None,
            result: String::new(),
            closed_on: None,
        })
    }
}

impl Petition {
    /// Whose personal data it holds, for the visibility rule.
    pub fn keepers(&self) -> Keepers {
        Keepers {
            recorded_by: self.recorded_by,
            handler: self.handler_id,
            decided_by: self.decided_by,
            confidential: self.kind == PetitionKind::Denunciation,
        }
    }

    /// The day it left the agency's hands: answered, or classified as
    /// not accepted, transferred or filed.
    pub fn finished_on(&self) -> Option<Date> {
        if self.status.ended_at_classification() {
            self.classified_on
        } else {
            self.answered_on
        }
    }

    /// Whether it repeats `other`: the same kind and agency, received the
    /// same day, the same content and at least one same petitioner.
    pub fn duplicates(&self, other: &Self) -> bool {
        self.agency_id == other.agency_id
            && self.kind == other.kind
            && self.received_on == other.received_on
            && vn::text::fold(&self.content) == vn::text::fold(&other.content)
            && self
                .petitioners
                .iter()
                .any(|p| other.petitioners.iter().any(|q| p.same_person(q)))
    }

    /// The deadline it is measured against now: the answer's once
    /// accepted, else the classification's.
    pub fn current_due(&self) -> Date {
        self.due_on.unwrap_or(self.classify_due)
    }

    /// How it stands on `today`.
    pub fn timeliness(&self, calendar: &WorkCalendar, today: Date) -> Timeliness {
        let due = self.current_due();
        match self.finished_on() {
            Some(done) if done <= due => Timeliness::OnTime,
            Some(_) => Timeliness::Late,
            None if today > due => Timeliness::Overdue,
            None if due <= calendar.add_working_days(today, REMIND_WITHIN) => Timeliness::DueSoon,
            None => Timeliness::InTime,
        }
    }

    /// The petition after `step`, taken on `on` (not after `today`) by
    /// `by`, or why it may not be taken.
    pub fn take(
        &self,
        step: &Step,
        (on, by): (Date, PersonId),
        (calendar, today): (&WorkCalendar, Date),
    ) -> Result<Self, ReceptionError> {
        use PetitionStatus as S;
        not_future(on, today)?;
        let wrong = || ReceptionError::WrongState {
            state: self.status.label(),
            action: step.label(),
        };
        let mut next = self.clone();
        match (self.status, step) {
            (S::Received, Step::Classify(c)) => {
                in_order(("ngày nhận đơn", self.received_on), ("ngày phân loại", on))?;
                let (status, note) = match c {
                    Classification::Accept => (S::Accepted, String::new()),
                    Classification::NotAccept(r) => {
                        (S::NotAccepted, required(r, "lý do không thụ lý")?)
                    }
                    Classification::Transfer(a) => (
                        S::Transferred,
                        required(a, "cơ quan có thẩm quyền được chuyển đơn")?,
                    ),
                    Classification::File(n) => (S::Filed, required(n, "lý do lưu đơn")?),
                };
                next.status = status;
                next.note = note;
                next.classified_on = Some(on);
                next.decided_by = Some(by);
                if status == S::Accepted {
                    next.due_on = Some(self.answer_due(calendar, on, 0));
                }
            }
            (S::Accepted | S::Assigned, Step::Assign(handler)) => {
                in_order(self.since_classified(), ("ngày giao", on))?;
                next.status = S::Assigned;
                next.handler_id = Some(*handler);
                next.assigned_on = Some(on);
                next.decided_by = Some(by);
            }
            (S::Accepted | S::Assigned, Step::Extend { complexity, reason }) => {
                in_order(self.since_classified(), ("ngày gia hạn", on))?;
                let reason = required(reason, "lý do gia hạn")?;
                let allowed = self.kind.deadlines().allowed(*complexity);
                if self.extensions >= allowed {
                    return Err(ReceptionError::Rule(format!(
                        "Luật chỉ cho gia hạn đơn {} loại «{}» {allowed} lần; đã gia hạn {} lần",
                        self.kind.label().to_lowercase(),
                        complexity.label(),
                        self.extensions
                    )));
                }
                if on > self.current_due() {
                    return Err(ReceptionError::Rule(format!(
                        "Đã quá hạn giải quyết ({}): phải gia hạn trước khi hết hạn",
                        vn::dates::format_short(self.current_due())
                    )));
                }
                let accepted = self.classified_on.unwrap_or(self.received_on);
                next.extensions = self.extensions + 1;
                next.complexity = *complexity;
                next.extension_reason = reason;
                next.due_on = Some(self.answer_due(calendar, accepted, next.extensions));
            }
            (S::Assigned, Step::Answer(result)) => {
                in_order(("ngày nhận đơn", self.received_on), ("ngày trả lời", on))?;
                in_order(
                    ("ngày giao", self.assigned_on.unwrap_or(self.received_on)),
                    ("ngày trả lời", on),
                )?;
                next.status = S::Answered;
                next.answered_on = Some(on);
                next.result = required(result, "kết quả giải quyết")?;
            }
            (S::Answered, Step::Close) => {
                in_order(
                    ("ngày trả lời", self.answered_on.unwrap_or(self.received_on)),
                    ("ngày kết thúc", on),
                )?;
                next.status = S::Closed;
                next.closed_on = Some(on);
            }
            _ => return Err(wrong()),
        }
        Ok(next)
    }

    fn since_classified(&self) -> (&'static str, Date) {
        (
            "ngày thụ lý",
            self.classified_on.unwrap_or(self.received_on),
        )
    }

    /// The last day to answer, accepted on `accepted`, after `extensions`.
    fn answer_due(&self, calendar: &WorkCalendar, accepted: Date, extensions: u8) -> Date {
        let d = self.kind.deadlines();
        calendar.add_working_days(accepted, d.resolve + d.extension * u32::from(extensions))
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn received(kind: PetitionKind, on: Date) -> Petition {
        PetitionDraft {
            agency_id: 2,
            kind,
            received_on: on,
            channel: Channel::Post,
            visit_id: None,
            petitioners: vec![Party {
                name: "Lê Văn C".into(),
                id_number: Some("084099000111".into()),
                address: "Tiểu Cần".into(),
                phone: None,
            }],
            content: "Trang tin điện tử đăng tin sai".into(),
            field: "Thông tin điện tử".into(),
        }
        .petition(7, None, (&WorkCalendar::default(), date!(2021 - 12 - 31)))
        .unwrap()
    }

    const TODAY: Date = date!(2021 - 12 - 31);

    fn take(p: &Petition, step: &Step, on: Date) -> Result<Petition, ReceptionError> {
        p.take(step, (on, 3), (&WorkCalendar::default(), TODAY))
    }

    #[test]
    fn deadlines_count_working_days_across_holidays() {
        let cal = WorkCalendar::default();
        // Friday 16/4/2021; 21/4 (Giỗ Tổ) is a holiday: 7 working days
        // are 19, 20, 22, 23, 26, 27, 28 April.
        let d = received(PetitionKind::Denunciation, date!(2021 - 04 - 16));
        assert_eq!(d.classify_due, date!(2021 - 04 - 28));
        // Complaint received Monday 26/4: 10 working days skip 30/4,
        // 1/5 (Saturday) and its compensation Monday 3/5: 12/5.
        let c = received(PetitionKind::Complaint, date!(2021 - 04 - 26));
        assert_eq!(c.classify_due, date!(2021 - 05 - 12));
        let accepted = take(
            &c,
            &Step::Classify(Classification::Accept),
            date!(2021 - 05 - 04),
        )
        .unwrap();
        // 30 working days after Tuesday 4/5: 15/6.
        assert_eq!(accepted.due_on, Some(date!(2021 - 06 - 15)));
        assert_eq!(
            accepted.timeliness(&cal, date!(2021 - 06 - 01)),
            Timeliness::InTime
        );
        assert_eq!(
            accepted.timeliness(&cal, date!(2021 - 06 - 14)),
            Timeliness::DueSoon
        );
        assert_eq!(
            accepted.timeliness(&cal, date!(2021 - 06 - 16)),
            Timeliness::Overdue
        );
    }

    #[test]
    fn extensions_stop_where_the_law_does() {
        let d = received(PetitionKind::Denunciation, date!(2021 - 04 - 16));
        let d = take(
            &d,
            &Step::Classify(Classification::Accept),
            date!(2021 - 04 - 19),
        )
        .unwrap();
        let extend = |p: &Petition, complexity, on| {
            take(
                p,
                &Step::Extend {
                    complexity,
                    reason: "Phải xác minh nhiều nơi".into(),
                },
                on,
            )
        };
        assert!(extend(&d, Complexity::Normal, date!(2021 - 05 - 04)).is_err());
        let once = extend(&d, Complexity::Complex, date!(2021 - 05 - 04)).unwrap();
        assert_eq!(once.extensions, 1);
        assert!(once.due_on > d.due_on);
        assert!(matches!(
            extend(&once, Complexity::Complex, date!(2021 - 05 - 05)),
            Err(ReceptionError::Rule(_))
        ));
        let twice = extend(&once, Complexity::VeryComplex, date!(2021 - 05 - 05)).unwrap();
        assert!(extend(&twice, Complexity::VeryComplex, date!(2021 - 05 - 06)).is_err());
        let r = received(PetitionKind::Reflection, date!(2021 - 04 - 16));
        let r = take(
            &r,
            &Step::Classify(Classification::Accept),
            date!(2021 - 04 - 19),
        )
        .unwrap();
        assert!(extend(&r, Complexity::VeryComplex, date!(2021 - 04 - 20)).is_err());
        // Too late: after the due date.
        let late = d.due_on.unwrap().next_day().unwrap();
        assert!(extend(&d, Complexity::Complex, late).is_err());
    }

    #[test]
    fn steps_go_in_order_and_dates_too() {
        let p = received(PetitionKind::Complaint, date!(2021 - 04 - 16));
        assert!(matches!(
            take(&p, &Step::Answer("x".into()), date!(2021 - 04 - 20)),
            Err(ReceptionError::WrongState { .. })
        ));
        assert!(matches!(
            take(
                &p,
                &Step::Classify(Classification::Accept),
                date!(2021 - 04 - 15)
            ),
            Err(ReceptionError::OutOfOrder { .. })
        ));
        assert!(
            take(
                &p,
                &Step::Classify(Classification::Accept),
                date!(2022 - 01 - 01)
            )
            .is_err()
        );
        assert!(
            take(
                &p,
                &Step::Classify(Classification::NotAccept(" ".into())),
                date!(2021 - 04 - 19)
            )
            .is_err()
        );
        let a = take(
            &p,
            &Step::Classify(Classification::Accept),
            date!(2021 - 04 - 19),
        )
        .unwrap();
        let a = take(&a, &Step::Assign(9), date!(2021 - 04 - 19)).unwrap();
        assert_eq!((a.handler_id, a.decided_by), (Some(9), Some(3)));
        assert!(take(&a, &Step::Answer("Đã gỡ tin".into()), date!(2021 - 04 - 18)).is_err());
        let done = take(&a, &Step::Answer("Đã gỡ tin".into()), date!(2021 - 05 - 20)).unwrap();
        assert_eq!(done.finished_on(), Some(date!(2021 - 05 - 20)));
        assert_eq!(
            done.timeliness(&WorkCalendar::default(), TODAY),
            Timeliness::OnTime
        );
        let closed = take(&done, &Step::Close, date!(2021 - 05 - 21)).unwrap();
        assert_eq!(closed.status, PetitionStatus::Closed);
        let t = take(
            &p,
            &Step::Classify(Classification::Transfer("UBND huyện".into())),
            date!(2021 - 05 - 31),
        )
        .unwrap();
        assert_eq!(
            t.timeliness(&WorkCalendar::default(), TODAY),
            Timeliness::Late
        );
    }

    #[test]
    fn duplicates_are_the_same_person_kind_content_and_day() {
        let a = received(PetitionKind::Complaint, date!(2021 - 04 - 16));
        let mut b = a.clone();
        b.content = " trang tin điện tử đăng tin SAI".into();
        b.content = vn::text::squash_spaces(&b.content);
        assert!(a.duplicates(&b));
        let other_day = received(PetitionKind::Complaint, date!(2021 - 04 - 19));
        assert!(!a.duplicates(&other_day));
        let other_kind = received(PetitionKind::Reflection, date!(2021 - 04 - 16));
        assert!(!a.duplicates(&other_kind));
    }
}
