//! The subjects an inspection looks at, a business or an individual, and
//! what it finds: no violation, or a violation with its legal basis, the
//! sanctions imposed for it and what the subject must fix by when.

use serde::{Deserialize, Serialize};
use time::Date;

use super::record::{Inspection, Status};
use super::{Field, RuleError, required};

pub type SubjectId = i64;
pub type SanctionId = i64;
pub type FollowUpId = i64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    Business,
    Individual,
}

named!(SubjectKind {
    Business => "business", "Doanh nghiệp, tổ chức";
    Individual => "individual", "Cá nhân";
});

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    pub id: SubjectId,
    pub kind: SubjectKind,
    pub name: String,
    /// The identity card number or the tax code, when known.
    pub id_number: Option<String>,
    pub address: String,
    pub field: Field,
    /// `None` until the team concludes on the subject.
    pub finding: Option<Finding>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Finding {
    /// No violation found.
    Clean,
    Violation {
        what: String,
        legal_basis: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SanctionKind {
    Warning,
    Fine,
    Remedy,
}

named!(SanctionKind {
    Warning => "warning", "Cảnh cáo";
    Fine => "fine", "Phạt tiền";
    Remedy => "remedy", "Biện pháp khắc phục hậu quả";
});

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sanction {
    pub id: SanctionId,
    pub subject_id: SubjectId,
    pub kind: SanctionKind,
    /// The fine in đồng, for a fine only.
    pub fine_vnd: Option<i64>,
    /// What the measure is, for a remedial measure (free text otherwise).
    pub measure: String,
    /// The sanction decision's number.
    pub decision_number: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub id: FollowUpId,
    pub subject_id: SubjectId,
    /// What the subject must fix.
    pub action: String,
    pub due_on: Date,
    pub done_on: Option<Date>,
}

impl FollowUp {
    /// Still open after its deadline, on `today`.
    pub fn overdue(&self, today: Date) -> bool {
        self.done_on.is_none() && self.due_on < today
    }
}

/// What makes two subjects the same: the identity number when both have
/// one, otherwise the name and address, folded (case, accents, spaces).
fn same_subject(a: &Subject, b: &Subject) -> bool {
    let folded = |s: &Subject| {
        (
            vn::text::fold(&s.name),
            vn::text::fold(&vn::text::squash_spaces(&s.address)),
        )
    };
    match (&a.id_number, &b.id_number) {
        (Some(x), Some(y)) if x == y => true,
        _ => folded(a) == folded(b),
    }
}

impl Inspection {
    /// The subject `id` of this inspection.
    pub fn subject(&self, id: SubjectId) -> Result<&Subject, RuleError> {
        self.subjects
            .iter()
            .find(|s| s.id == id)
            .ok_or(RuleError::UnknownSubject)
    }

    /// `subject` cleaned, once it is new to the inspection and in its
    /// fields; subjects are listed from the decision until closing.
    pub fn check_subject(&self, subject: Subject) -> Result<Subject, RuleError> {
        self.expect(&[Status::Decided, Status::InProgress])?;
        let id_number = subject
            .id_number
            .map(|n| vn::text::squash_spaces(&n).replace(' ', ""))
            .filter(|n| !n.is_empty());
        let subject = Subject {
            name: required(&subject.name, "cần ghi tên đối tượng")?,
            address: required(&subject.address, "cần ghi địa chỉ đối tượng")?,
            id_number,
            finding: None,
            ..subject
        };
        if !self.fields.contains(&subject.field) {
            return Err(RuleError::FieldOutside(subject.field));
        }
        if self.subjects.iter().any(|s| same_subject(s, &subject)) {
            return Err(RuleError::DuplicateSubject(subject.name));
        }
        Ok(subject)
    }

    /// `finding` cleaned for subject `id`, while the team works. A subject
    /// already sanctioned or told to fix something keeps its violation.
    pub fn check_finding(&self, id: SubjectId, finding: Finding) -> Result<Finding, RuleError> {
        self.expect(&[Status::InProgress])?;
        self.subject(id)?;
        match finding {
            Finding::Clean => {
                let acted = self.sanctions.iter().any(|s| s.subject_id == id)
                    || self.follow_ups.iter().any(|f| f.subject_id == id);
                if acted {
                    return Err(RuleError::NoViolation);
                }
                Ok(Finding::Clean)
            }
            Finding::Violation { what, legal_basis } => Ok(Finding::Violation {
                what: required(&what, "cần ghi hành vi vi phạm")?,
                legal_basis: required(&legal_basis, "cần ghi căn cứ pháp lý")?,
            }),
        }
    }

    /// Fails unless subject `id` was found in violation.
    fn violator(&self, id: SubjectId) -> Result<(), RuleError> {
        match self.subject(id)?.finding {
            Some(Finding::Violation { .. }) => Ok(()),
            _ => Err(RuleError::NoViolation),
        }
    }

    /// `sanction` cleaned, for a subject in violation.
    pub fn check_sanction(&self, sanction: Sanction) -> Result<Sanction, RuleError> {
        let Sanction {
            id,
            subject_id,
            kind,
            fine_vnd,
            measure,
            decision_number,
        } = sanction;
        self.expect(&[Status::InProgress])?;
        self.violator(subject_id)?;
        let fine_vnd = match kind {
            SanctionKind::Fine => match fine_vnd {
                Some(n) if n > 0 => Some(n),
                _ => return Err(RuleError::FineNotPositive),
            },
            SanctionKind::Warning | SanctionKind::Remedy => None,
        };
        let measure = vn::text::squash_spaces(&vn::text::nfc(&measure));
        if kind == SanctionKind::Remedy && measure.is_empty() {
            return Err(RuleError::Missing("cần ghi biện pháp khắc phục"));
        }
        Ok(Sanction {
            id,
            subject_id,
            kind,
            fine_vnd,
            measure,
            decision_number: required(&decision_number, "cần ghi số quyết định xử phạt")?,
        })
    }

    /// `follow_up` cleaned, for a subject in violation, due no earlier
    /// than the inspection's last day.
    pub fn check_follow_up(&self, follow_up: FollowUp) -> Result<FollowUp, RuleError> {
        let FollowUp {
            id,
            subject_id,
            action,
            due_on,
            ..
        } = follow_up;
        self.expect(&[Status::InProgress])?;
        self.violator(subject_id)?;
        if self.period.is_some_and(|(_, to)| due_on < to) {
            return Err(RuleError::DatesOutOfOrder(
                "hạn khắc phục không được trước ngày kết thúc thanh tra, kiểm tra",
            ));
        }
        Ok(FollowUp {
            id,
            subject_id,
            action: required(&action, "cần ghi nội dung phải khắc phục")?,
            due_on,
            done_on: None,
        })
    }

    /// Marks follow-up `id` done on `done_on` (not later than `today`, not
    /// before the inspection started); allowed after closing too, since
    /// subjects fix things after the report.
    pub fn complete_follow_up(
        &self,
        id: FollowUpId,
        done_on: Date,
        today: Date,
    ) -> Result<FollowUp, RuleError> {
        let follow_up = self
            .follow_ups
            .iter()
            .find(|f| f.id == id)
            .ok_or(RuleError::Missing("không tìm thấy yêu cầu khắc phục này"))?;
        if follow_up.done_on.is_some() {
            return Err(RuleError::AlreadyDone);
        }
        if done_on > today || self.period.is_some_and(|(from, _)| done_on < from) {
            return Err(RuleError::DatesOutOfOrder(
                "ngày hoàn thành phải từ ngày bắt đầu thanh tra, kiểm tra đến hôm nay",
            ));
        }
        Ok(FollowUp {
            done_on: Some(done_on),
            ..follow_up.clone()
        })
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;
    use crate::inspections::record::{Kind, Member, TeamDecision};

    fn person(name: &str, id_number: Option<&str>) -> Subject {
        Subject {
            id: 0,
            kind: SubjectKind::Individual,
            name: name.into(),
            id_number: id_number.map(Into::into),
            address: "Phường 1, TP Trà Vinh".into(),
            field: Field::Internet,
            finding: None,
        }
    }

    fn working() -> Inspection {
        let mut i = Inspection::new(
            (1, Kind::Check, None),
            "Kiểm tra internet",
            vec![Field::Internet],
            datetime!(2021-04-01 08:00 UTC),
        )
        .unwrap();
        i.decide(
            TeamDecision {
                number: "45/QĐ-STTTT".into(),
                date: date!(2021 - 04 - 09),
                signer: "Trần Minh Khoa".into(),
            },
            vec![Member {
                person_id: 7,
                head: true,
            }],
            (date!(2021 - 04 - 12), date!(2021 - 04 - 16)),
        )
        .unwrap();
        i.start().unwrap();
        let mut a = i
            .check_subject(person("Nguyễn Văn A", Some("084")))
            .unwrap();
        a.id = 1;
        i.subjects.push(a);
        i
    }

    #[test]
    fn duplicates_and_other_fields_are_refused() {
        let i = working();
        assert!(matches!(
            i.check_subject(person("Lê B", Some("0 84"))),
            Err(RuleError::DuplicateSubject(_))
        ));
        let mut folded = person("NGUYEN  van a", None);
        folded.address = "phuong 1, tp tra vinh".into();
        assert!(matches!(
            i.check_subject(folded),
            Err(RuleError::DuplicateSubject(_))
        ));
        let mut press = person("Trần C", None);
        press.field = Field::Press;
        assert_eq!(
            i.check_subject(press),
            Err(RuleError::FieldOutside(Field::Press))
        );
        assert!(i.check_subject(person("Trần C", None)).is_ok());
    }

    #[test]
    fn sanctions_and_follow_ups_need_a_violation() {
        let mut i = working();
        let fine = |amount| Sanction {
            id: 0,
            subject_id: 1,
            kind: SanctionKind::Fine,
            fine_vnd: Some(amount),
            measure: String::new(),
            decision_number: "01/QĐ-XPVPHC".into(),
        };
        assert_eq!(
            i.check_finding(9, Finding::Clean),
            Err(RuleError::UnknownSubject)
        );
        assert_eq!(i.check_sanction(fine(1)), Err(RuleError::NoViolation));
        i.subjects[0].finding = Some(
            i.check_finding(
                1,
                Finding::Violation {
                    what: "Hoạt động quá giờ".into(),
                    legal_basis: "Nghị định 15/2020/NĐ-CP".into(),
                },
            )
            .unwrap(),
        );
        assert_eq!(i.check_sanction(fine(0)), Err(RuleError::FineNotPositive));
        i.sanctions.push(i.check_sanction(fine(2_000_000)).unwrap());
        assert_eq!(
            i.check_finding(1, Finding::Clean),
            Err(RuleError::NoViolation)
        );
        let follow_up = |due_on| FollowUp {
            id: 0,
            subject_id: 1,
            action: "Niêm yết giờ mở cửa".into(),
            due_on,
            done_on: None,
        };
        assert!(matches!(
            i.check_follow_up(follow_up(date!(2021 - 04 - 15))),
            Err(RuleError::DatesOutOfOrder(_))
        ));
        let mut f = i.check_follow_up(follow_up(date!(2021 - 04 - 30))).unwrap();
        f.id = 3;
        assert!(f.overdue(date!(2021 - 05 - 01)) && !f.overdue(date!(2021 - 04 - 30)));
        i.follow_ups.push(f);
        assert!(
            i.complete_follow_up(3, date!(2021 - 05 - 03), date!(2021 - 05 - 02))
                .is_err()
        );
        let done = i
            .complete_follow_up(3, date!(2021 - 04 - 28), date!(2021 - 05 - 02))
            .unwrap();
        assert_eq!(done.done_on, Some(date!(2021 - 04 - 28)));
    }
}
