//! Courses and attendance. A course is kept by an agency; its leaders
//! (and administrators) record it and its attendees, who must work in
//! that agency or a unit below it; anyone in or above it reads it.

use domain::agencies::AgencyId;
use domain::authz::Permission;
use domain::people::{Person, PersonId};
use domain::staff::courses::{
    Attendance, AttendanceId, AttendanceStatus, Course, CourseError, CourseId,
};
use time::Date;

use crate::audit::{Change, record};
use crate::{App, AppError, Ctx};

/// An attendee with their person, as the course page shows them.
#[derive(Debug, Clone)]
pub struct Attendee {
    pub attendance: Attendance,
    pub person: Person,
}

impl App {
    /// Records `course` for `course.agency_id`.
    pub async fn create_course(&self, ctx: &Ctx, course: Course) -> Result<Course, AppError> {
        ctx.require(
            Permission::ManageTraining,
            &self.lineage(course.agency_id).await?,
        )?;
        let mut course = course.checked().map_err(AppError::invalid)?;
        let mut tx = self.store.write().await?;
        course.id = tx.insert_course(&course).await?;
        record(
            &mut tx,
            self,
            ctx,
            Change {
                action: "staff.course.create",
                object_type: "training_course",
                object_id: course.id.to_string(),
                before: None,
                after: Some(serde_json::to_value(&course).unwrap_or_default()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(course)
    }

    async fn course_record(&self, id: CourseId) -> Result<Course, AppError> {
        self.store
            .read()
            .await?
            .course(id)
            .await?
            .ok_or(AppError::NotFound("khóa học"))
    }

    /// Course `id` with its attendees.
    pub async fn course(
        &self,
        ctx: &Ctx,
        id: CourseId,
    ) -> Result<(Course, Vec<Attendee>), AppError> {
        let course = self.course_record(id).await?;
        ctx.require(
            Permission::ViewRegisters,
            &self.lineage(course.agency_id).await?,
        )?;
        let read = self.store.read().await?;
        let mut attendees = Vec::new();
        for attendance in read.attendances(id).await? {
            let person = read
                .person(attendance.person_id)
                .await?
                .ok_or(AppError::NotFound("cán bộ"))?;
            attendees.push(Attendee { attendance, person });
        }
        Ok((course, attendees))
    }

    /// The courses kept by `agency` and below.
    pub async fn courses(&self, ctx: &Ctx, agency: AgencyId) -> Result<Vec<Course>, AppError> {
        ctx.require(Permission::ViewRegisters, &self.lineage(agency).await?)?;
        let subtree = self.subtree(agency).await?;
        Ok(self.store.read().await?.courses(Some(&subtree)).await?)
    }

    /// Puts `person` on course `id` for the days `from..=to`.
    pub async fn enrol(
        &self,
        ctx: &Ctx,
        id: CourseId,
        person: PersonId,
        (from, to): (Date, Date),
    ) -> Result<Attendance, AppError> {
        let course = self.course_record(id).await?;
        ctx.require(
            Permission::ManageTraining,
            &self.lineage(course.agency_id).await?,
        )?;
        let subtree = self.subtree(course.agency_id).await?;
        let (of_agency, attendees) = {
            let read = self.store.read().await?;
            let person = read
                .person(person)
                .await?
                .ok_or(AppError::NotFound("cán bộ"))?;
            (
                subtree.contains(&person.agency_id),
                read.attendances(id).await?,
            )
        };
        let mut attendance = Attendance {
            id: 0,
            course_id: id,
            person_id: person,
            from,
            to,
            status: AttendanceStatus::Attending,
            status_on: None,
        };
        attendance
            .checked_new(&course, of_agency, &attendees)
            .map_err(AppError::invalid)?;
        let mut tx = self.store.write().await?;
        attendance.id = tx
            .insert_attendance(&attendance)
            .await
            .map_err(|e| match e {
                store::StoreError::Duplicate(_) => AppError::invalid(CourseError::AlreadyAttending),
                other => other.into(),
            })?;
        record(
            &mut tx,
            self,
            ctx,
            Change {
                action: "staff.attendance.enrol",
                object_type: "training_course",
                object_id: id.to_string(),
                before: None,
                after: Some(serde_json::to_value(&attendance).unwrap_or_default()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(attendance)
    }

    /// Ends attendance `id` `on` a day, as `status` (completed or
    /// withdrawn).
    pub async fn end_attendance(
        &self,
        ctx: &Ctx,
        id: AttendanceId,
        status: AttendanceStatus,
        on: Date,
    ) -> Result<Attendance, AppError> {
        if status == AttendanceStatus::Attending {
            return Err(AppError::Invalid(
                "Chỉ ghi nhận hoàn thành hoặc thôi học".into(),
            ));
        }
        let before = self
            .store
            .read()
            .await?
            .attendance(id)
            .await?
            .ok_or(AppError::NotFound("học viên"))?;
        let course = self.course_record(before.course_id).await?;
        ctx.require(
            Permission::ManageTraining,
            &self.lineage(course.agency_id).await?,
        )?;
        let today = vn::dates::vietnam_date(self.now());
        let after = before.ended(status, on, today).map_err(AppError::invalid)?;
        let mut tx = self.store.write().await?;
        tx.update_attendance(&after).await?;
        record(
            &mut tx,
            self,
            ctx,
            Change {
                action: "staff.attendance.end",
                object_type: "training_course",
                object_id: course.id.to_string(),
                before: Some(serde_json::to_value(&before).unwrap_or_default()),
                after: Some(serde_json::to_value(&after).unwrap_or_default()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}
