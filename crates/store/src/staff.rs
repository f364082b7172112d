//! Training courses, their attendees, and the report's training figures
//! counted from them.

use domain::agencies::AgencyId;
use domain::staff::courses::{Attendance, AttendanceId, Course, CourseId};
use domain::staff::figures::{ByKind, StaffFigures};
use sea_orm::sea_query::{Asterisk, Expr, ExprTrait, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, Order, QueryResult};
use time::Date;

use crate::error::corrupt;
use crate::{StoreError, Tx};

const COURSE_COLUMNS: [&str; 7] = [
    "id",
    "agency_id",
    "name",
    "kind",
    "provider",
    "starts_on",
    "ends_on",
];

const ATTENDANCE_COLUMNS: [&str; 7] = [
    "id",
    "course_id",
    "person_id",
    "starts_on",
    "ends_on",
    "status",
    "status_on",
];

fn course_of(row: &QueryResult) -> Result<Course, StoreError> {
    let kind: String = row.try_get("", "kind")?;
    Ok(Course {
        id: row.try_get("", "id")?,
        agency_id: row.try_get("", "agency_id")?,
        name: row.try_get("", "name")?,
        kind: kind.parse().map_err(corrupt("training_courses.kind"))?,
        provider: row.try_get("", "provider")?,
        from: row.try_get("", "starts_on")?,
        to: row.try_get("", "ends_on")?,
    })
}

fn attendance_of(row: &QueryResult) -> Result<Attendance, StoreError> {
    let status: String = row.try_get("", "status")?;
    Ok(Attendance {
        id: row.try_get("", "id")?,
        course_id: row.try_get("", "course_id")?,
        person_id: row.try_get("", "person_id")?,
        from: row.try_get("", "starts_on")?,
        to: row.try_get("", "ends_on")?,
        status: status
            .parse()
            .map_err(corrupt("course_attendances.status"))?,
        status_on: row.try_get("", "status_on")?,
    })
}

impl Tx {
    /// Records a course; `c.id` is ignored.
    pub async fn insert_course(&self, c: &Course) -> Result<CourseId, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::insert()
                    .into_table("training_courses")
                    .columns(COURSE_COLUMNS.into_iter().skip(1))
                    .values_panic([
                        c.agency_id.into(),
                        c.name.clone().into(),
                        c.kind.as_str().into(),
                        c.provider.clone().into(),
                        c.from.into(),
                        c.to.into(),
                    ])
                    .returning_col("id")
                    .take(),
            )
            .await?
            .ok_or_else(|| StoreError::Corrupt("no id for the course".into()))?;
        Ok(row.try_get("", "id")?)
    }

    pub async fn course(&self, id: CourseId) -> Result<Option<Course>, StoreError> {
        let query = Query::select()
            .columns(COURSE_COLUMNS)
            .from("training_courses")
            .and_where(Expr::col("id").eq(id))
            .take();
        let row = self.conn().query_one(&query).await?;
        row.as_ref().map(course_of).transpose()
    }

    /// The courses of `agencies` (all when `None`), latest first.
    pub async fn courses(&self, agencies: Option<&[AgencyId]>) -> Result<Vec<Course>, StoreError> {
        let mut query = Query::select()
            .columns(COURSE_COLUMNS)
            .from("training_courses")
            .order_by("starts_on", Order::Desc)
            .order_by("id", Order::Desc)
            .take();
        if let Some(agencies) = agencies {
            query.and_where(Expr::col("agency_id").is_in(agencies.iter().copied()));
        }
        let rows = self.conn().query_all(&query).await?;
        rows.iter().map(course_of).collect()
    }

    /// Records an attendance; `a.id` is ignored.
    pub async fn insert_attendance(&self, a: &Attendance) -> Result<AttendanceId, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::insert()
                    .into_table("course_attendances")
                    .columns(ATTENDANCE_COLUMNS.into_iter().skip(1))
                    .values_panic([
                        a.course_id.into(),
                        a.person_id.into(),
                        a.from.into(),
                        a.to.into(),
                        a.status.as_str().into(),
                        a.status_on.into(),
                    ])
                    .returning_col("id")
                    .take(),
            )
            .await?
            .ok_or_else(|| StoreError::Corrupt("no id for the attendance".into()))?;
        Ok(row.try_get("", "id")?)
    }

    /// Writes how an attendance ended.
    pub async fn update_attendance(&self, a: &Attendance) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::update()
                    .table("course_attendances")
                    .values([
                        ("status", a.status.as_str().into()),
                        ("status_on", a.status_on.into()),
                    ])
                    .and_where(Expr::col("id").eq(a.id))
                    .take(),
            )
            .await?;
        Ok(())
    }

    pub async fn attendance(&self, id: AttendanceId) -> Result<Option<Attendance>, StoreError> {
        let query = Query::select()
            .columns(ATTENDANCE_COLUMNS)
            .from("course_attendances")
            .and_where(Expr::col("id").eq(id))
            .take();
        let row = self.conn().query_one(&query).await?;
        row.as_ref().map(attendance_of).transpose()
    }

    /// A course's attendees, in the order they were added.
    pub async fn attendances(&self, course: CourseId) -> Result<Vec<Attendance>, StoreError> {
        let query = Query::select()
            .columns(ATTENDANCE_COLUMNS)
            .from("course_attendances")
            .and_where(Expr::col("course_id").eq(course))
            .order_by("id", Order::Asc)
            .take();
        let rows = self.conn().query_all(&query).await?;
        rows.iter().map(attendance_of).collect()
    }

    /// The figures of the days `from..=to` for the courses of `agencies`
    /// (all when `None`).
    pub async fn staff_figures(
        &self,
        (from, to): (Date, Date),
        agencies: Option<&[AgencyId]>,
    ) -> Result<StaffFigures, StoreError> {
        let column = |c: &'static str| Expr::col(("course_attendances", c));
        let attending = column("starts_on")
            .lte(to)
            .and(column("status_on").is_null().or(column("status_on").gt(to)));
        let started = column("starts_on").between(from, to);
        let completed = column("status")
            .eq(domain::staff::courses::AttendanceStatus::Completed.as_str())
            .and(column("status_on").between(from, to));
        let mut figures = StaffFigures::default();
        let counts: [(SimpleExpr, &mut ByKind); 3] = [
            (attending, &mut figures.attending),
            (started, &mut figures.started),
            (completed, &mut figures.completed),
        ];
        for (condition, into) in counts {
            let mut query = Query::select()
                .column(("training_courses", "kind"))
                .expr_as(Expr::col(Asterisk).count(), "n")
                .from("course_attendances")
                .inner_join(
                    "training_courses",
                    Expr::col(("training_courses", "id"))
                        .equals(("course_attendances", "course_id")),
                )
                .and_where(condition)
                .group_by_col(("training_courses", "kind"))
                .take();
            if let Some(agencies) = agencies {
                query.and_where(
                    Expr::col(("training_courses", "agency_id")).is_in(agencies.iter().copied()),
                );
            }
            for row in self.conn().query_all(&query).await? {
                let kind: String = row.try_get("", "kind")?;
                let n: i64 = row.try_get("", "n")?;
                into.set(
                    kind.parse().map_err(corrupt("training_courses.kind"))?,
                    u64::try_from(n).map_err(corrupt("count"))?,
                );
            }
        }
        Ok(figures)
    }
}
