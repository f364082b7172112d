//! Courses and attendance. A course runs from one day to another at a
//! provider (Học viện Chính trị khu vực IV, Trường Chính trị tỉnh); a
//! person of the agency keeping the course, or of a unit below it,
//! attends it once, for days within the course's, and then completes it
//! or withdraws. Completion and withdrawal are final: the record of a
//! finished course is what the report and the person's file rely on.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::agencies::AgencyId;
use crate::people::PersonId;

pub type CourseId = i64;
pub type AttendanceId = i64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CourseKind {
    AdvancedTheory,
    IntermediateTheory,
    PrincipalInspector,
    Professional,
}

named!(CourseKind {
    AdvancedTheory => "advanced_theory", "Cao cấp lý luận chính trị";
    IntermediateTheory => "intermediate_theory", "Trung cấp lý luận chính trị - hành chính";
    PrincipalInspector => "principal_inspector", "Thanh tra viên chính";
    Professional => "professional", "Bồi dưỡng chuyên môn, nghiệp vụ khác";
});

/// A course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Course {
    pub id: CourseId,
    /// The agency that keeps the record; its people and its units' attend.
    pub agency_id: AgencyId,
    pub name: String,
    pub kind: CourseKind,
    pub provider: String,
    pub from: Date,
    /// Its last day.
    pub to: Date,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttendanceStatus {
    Attending,
    Completed,
    Withdrawn,
}

named!(AttendanceStatus {
    Attending => "attending", "Đang học";
    Completed => "completed", "Đã hoàn thành";
    Withdrawn => "withdrawn", "Đã thôi học";
});

/// A person on a course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendance {
    pub id: AttendanceId,
    pub course_id: CourseId,
    pub person_id: PersonId,
    pub from: Date,
    pub to: Date,
    pub status: AttendanceStatus,
    /// The day of completion or withdrawal.
    pub status_on: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CourseError {
    #[error("cần ghi tên khóa học và cơ sở đào tạo")]
    NoName,
    #[error("ngày kết thúc ({}) trước ngày bắt đầu ({})", vn::dates::format_short(*.1), vn::dates::format_short(*.0))]
    DatesOutOfOrder(Date, Date),
    #[error("thời gian học phải trong thời gian của khóa học ({} – {})", vn::dates::format_short(*.0), vn::dates::format_short(*.1))]
    OutsideCourse(Date, Date),
    #[error("người này đã có trong khóa học")]
    AlreadyAttending,
    #[error("người này không thuộc cơ quan quản lý khóa học hoặc đơn vị trực thuộc")]
    NotOfAgency,
    #[error("học viên đã {}: không thay đổi được nữa", .0.label().to_lowercase())]
    Final(AttendanceStatus),
    #[error("ngày {} trước ngày bắt đầu học ({})", vn::dates::format_short(*.0), vn::dates::format_short(*.1))]
    BeforeStart(Date, Date),
    #[error("ngày {} chưa tới", vn::dates::format_short(*.0))]
    Future(Date),
}

impl Course {
    /// Trims its texts, or says why it cannot be recorded.
    pub fn checked(mut self) -> Result<Self, CourseError> {
        self.name = vn::text::squash_spaces(&self.name);
        self.provider = vn::text::squash_spaces(&self.provider);
        if self.name.is_empty() || self.provider.is_empty() {
            return Err(CourseError::NoName);
        }
        if self.to < self.from {
            return Err(CourseError::DatesOutOfOrder(self.from, self.to));
        }
        Ok(self)
    }
}

impl Attendance {
    /// Checks a new attendance on `course`: `of_agency` says whether the
    /// person works in the course's agency or below, `attendees` are the
    /// course's people already.
    pub fn checked_new(
        &self,
        course: &Course,
        of_agency: bool,
        attendees: &[Self],
    ) -> Result<(), CourseError> {
        if self.to < self.from {
            return Err(CourseError::DatesOutOfOrder(self.from, self.to));
        }
        if self.from < course.from || self.to > course.to {
            return Err(CourseError::OutsideCourse(course.from, course.to));
        }
        if !of_agency {
            return Err(CourseError::NotOfAgency);
        }
        if attendees.iter().any(|a| a.person_id == self.person_id) {
            return Err(CourseError::AlreadyAttending);
        }
        Ok(())
    }

    /// The attendance ended `on` as `status` (completed or withdrawn),
    /// `today` being Vietnam's date.
    pub fn ended(
        &self,
        status: AttendanceStatus,
        on: Date,
        today: Date,
    ) -> Result<Self, CourseError> {
        if self.status != AttendanceStatus::Attending {
            return Err(CourseError::Final(self.status));
        }
        if on < self.from {
            return Err(CourseError::BeforeStart(on, self.from));
        }
        if on > today {
            return Err(CourseError::Future(on));
        }
        Ok(Self {
            status,
            status_on: Some(on),
            ..self.clone()
        })
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn course() -> Course {
        Course {
            id: 1,
            agency_id: 1,
            name: " Cao cấp  lý luận chính trị K71 ".into(),
            kind: CourseKind::AdvancedTheory,
            provider: "Học viện Chính trị khu vực IV".into(),
            from: date!(2020 - 09 - 01),
            to: date!(2022 - 03 - 31),
        }
    }

    fn attendance(person_id: PersonId, from: Date, to: Date) -> Attendance {
        Attendance {
            id: 0,
            course_id: 1,
            person_id,
            from,
            to,
            status: AttendanceStatus::Attending,
            status_on: None,
        }
    }

    #[test]
    fn course_rules() {
        assert_eq!(
            course().checked().unwrap().name,
            "Cao cấp lý luận chính trị K71"
        );
        let mut backwards = course();
        backwards.to = date!(2020 - 08 - 31);
        assert!(matches!(
            backwards.checked(),
            Err(CourseError::DatesOutOfOrder(..))
        ));
    }

    #[test]
    fn attendance_rules() {
        let c = course();
        let a = attendance(5, date!(2020 - 09 - 01), date!(2022 - 03 - 31));
        assert_eq!(a.checked_new(&c, true, &[]), Ok(()));
        assert_eq!(a.checked_new(&c, false, &[]), Err(CourseError::NotOfAgency));
        assert_eq!(
            a.checked_new(&c, true, std::slice::from_ref(&a)),
            Err(CourseError::AlreadyAttending)
        );
        let early = attendance(6, date!(2020 - 08 - 31), date!(2021 - 03 - 31));
        assert!(matches!(
            early.checked_new(&c, true, &[]),
            Err(CourseError::OutsideCourse(..))
        ));
        let backwards = attendance(6, date!(2021 - 03 - 31), date!(2021 - 03 - 01));
        assert!(matches!(
            backwards.checked_new(&c, true, &[]),
            Err(CourseError::DatesOutOfOrder(..))
        ));
    }

    #[test]
    fn completion_is_final() {
        let today = date!(2022 - 04 - 05);
        let a = attendance(5, date!(2020 - 09 - 01), date!(2022 - 03 - 31));
        let done = a
            .ended(AttendanceStatus::Completed, date!(2022 - 03 - 31), today)
            .unwrap();
        assert_eq!(done.status_on, Some(date!(2022 - 03 - 31)));
        assert_eq!(
            done.ended(AttendanceStatus::Withdrawn, today, today),
            Err(CourseError::Final(AttendanceStatus::Completed))
        );
        assert!(matches!(
            a.ended(AttendanceStatus::Withdrawn, date!(2020 - 01 - 01), today),
            Err(CourseError::BeforeStart(..))
        ));
        assert!(matches!(
            a.ended(AttendanceStatus::Completed, date!(2022 - 04 - 06), today),
            Err(CourseError::Future(_))
        ));
    }
}
