//! Staff training on the staff pages (issue 10): the courses kept by the
//! officer's agency and below with the new course form, a course's page
//! with its attendees (add, complete, withdraw), and the report's
//! training figures over a period.

use app::AppError;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::authz::Permission;
use domain::people::PersonStatus;
use domain::staff::courses::{AttendanceStatus, Course, CourseKind};
use domain::staff::figures::StaffFigures;
use serde::Deserialize;
use time::Date;

use super::grassroots::required_day;
use super::{Chrome, PeriodQuery, error_page, page, respond};
use crate::AppState;
use crate::session::{UiForm, UiUser};

const NAV: &str = "/app/training";

fn may_manage(user: &UiUser) -> bool {
    !user
        .signed_in
        .actor
        .roots_of(Permission::ManageTraining)
        .is_empty()
}

fn days(from: Date, to: Date) -> String {
    format!(
        "{} – {}",
        vn::dates::format_short(from),
        vn::dates::format_short(to)
    )
}

struct CourseLine {
    id: i64,
    name: String,
    kind: &'static str,
    provider: String,
    days: String,
}

impl CourseLine {
    fn of(c: &Course) -> Self {
        Self {
            id: c.id,
            name: c.name.clone(),
            kind: c.kind.label(),
            provider: c.provider.clone(),
            days: days(c.from, c.to),
        }
    }
}

#[derive(Template)]
#[template(path = "training_courses.html")]
struct CoursesPage {
    chrome: Chrome,
    manage: bool,
    lines: Vec<CourseLine>,
    kinds: Vec<(&'static str, &'static str)>,
}

pub async fn list(State(state): State<AppState>, user: UiUser) -> Response {
    respond(
        async {
            let courses = state
                .app
                .courses(&user.ctx(), user.signed_in.person.agency_id)
                .await?;
            Ok(page(&CoursesPage {
                chrome: Chrome::new(&user, "Đào tạo, bồi dưỡng", NAV),
                manage: may_manage(&user),
                lines: courses.iter().map(CourseLine::of).collect(),
                kinds: CourseKind::ALL
                    .iter()
                    .map(|k| (k.as_str(), k.label()))
                    .collect(),
            }))
        }
        .await,
    )
}

#[derive(Debug, Deserialize)]
pub struct CourseForm {
    name: String,
    kind: String,
    provider: String,
    from: String,
    to: String,
}

pub async fn create(State(state): State<AppState>, form: UiForm<CourseForm>) -> Response {
    let UiForm { user, form, .. } = form;
    let result = async {
        let course = Course {
            id: 0,
            agency_id: user.signed_in.person.agency_id,
            name: form.name,
            kind: form
                .kind
                .parse()
                .map_err(|_| AppError::Invalid("Loại khóa học không hợp lệ".into()))?,
            provider: form.provider,
            from: required_day(&form.from, "ngày khai giảng")?,
            to: required_day(&form.to, "ngày kết thúc")?,
        };
        state.app.create_course(&user.ctx(), course).await
    }
    .await;
    match result {
        Ok(c) => Redirect::to(&format!("{NAV}/courses/{}", c.id)).into_response(),
        Err(err) => error_page(&err),
    }
}

struct AttendeeLine {
    id: i64,
    name: String,
    position: String,
    days: String,
    status: String,
    attending: bool,
}

#[derive(Template)]
#[template(path = "training_course.html")]
struct CoursePage {
    chrome: Chrome,
    manage: bool,
    course: CourseLine,
    from: Date,
    to: Date,
    attendees: Vec<AttendeeLine>,
    people: Vec<(i64, String)>,
}

pub async fn show(State(state): State<AppState>, user: UiUser, Path(id): Path<i64>) -> Response {
    respond(
        async {
            let (course, attendees) = state.app.course(&user.ctx(), id).await?;
            let subtree = state.app.subtree(course.agency_id).await?;
            let mut people: Vec<(i64, String)> = state
                .app
                .store
                .read()
                .await?
                .people_in(&subtree)
                .await?
                .into_iter()
                .filter(|p| p.status == PersonStatus::Active)
                .filter(|p| !attendees.iter().any(|a| a.person.id == p.id))
                .map(|p| (p.id, format!("{} — {}", p.full_name, p.position)))
                .collect();
            people.sort_by(|a, b| vn::collate::compare(&a.1, &b.1));
            let attendees = attendees
                .into_iter()
                .map(|a| AttendeeLine {
                    id: a.attendance.id,
                    name: a.person.full_name,
                    position: a.person.position,
                    days: days(a.attendance.from, a.attendance.to),
                    status: match a.attendance.status_on {
                        Some(on) => format!(
                            "{} ngày {}",
                            a.attendance.status.label(),
                            vn::dates::format_short(on)
                        ),
                        None => a.attendance.status.label().to_owned(),
                    },
                    attending: a.attendance.status == AttendanceStatus::Attending,
                })
                .collect();
            Ok(page(&CoursePage {
                chrome: Chrome::new(&user, course.name.clone(), NAV),
                manage: may_manage(&user),
                from: course.from,
                to: course.to,
                course: CourseLine::of(&course),
                attendees,
                people,
            }))
        }
        .await,
    )
}

#[derive(Debug, Deserialize)]
pub struct EnrolForm {
    person: i64,
    from: String,
    to: String,
}

pub async fn enrol(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: UiForm<EnrolForm>,
) -> Response {
    let UiForm { user, form, .. } = form;
    let result = async {
        let period = (
            required_day(&form.from, "ngày bắt đầu học")?,
            required_day(&form.to, "ngày kết thúc học")?,
        );
        state.app.enrol(&user.ctx(), id, form.person, period).await
    }
    .await;
    match result {
        Ok(_) => Redirect::to(&format!("{NAV}/courses/{id}")).into_response(),
        Err(err) => error_page(&err),
    }
}

#[derive(Debug, Deserialize)]
pub struct EndForm {
    status: String,
    on: String,
}

pub async fn end(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: UiForm<EndForm>,
) -> Response {
    let UiForm { user, form, .. } = form;
    let result = async {
        let status: AttendanceStatus = form
            .status
            .parse()
            .map_err(|_| AppError::Invalid("Trạng thái không hợp lệ".into()))?;
        let on = required_day(&form.on, "ngày hoàn thành hoặc thôi học")?;
        state.app.end_attendance(&user.ctx(), id, status, on).await
    }
    .await;
    match result {
        Ok(a) => Redirect::to(&format!("{NAV}/courses/{}", a.course_id)).into_response(),
        Err(err) => error_page(&err),
    }
}

#[derive(Template)]
#[template(path = "training_figures.html")]
struct FiguresPage {
    chrome: Chrome,
    from: Date,
    to: Date,
    /// Each kind's label with its attending, started, completed.
    rows: Vec<(&'static str, u64, u64, u64)>,
    figures: StaffFigures,
}

pub async fn figures(
    State(state): State<AppState>,
    user: UiUser,
    Query(query): Query<PeriodQuery>,
) -> Response {
    respond(
        async {
            let home = user.signed_in.person.agency_id;
            user.ctx()
                .require(Permission::ViewRegisters, &state.app.lineage(home).await?)?;
            let (from, to) = query.period(vn::dates::vietnam_date(state.app.now()));
            let agencies = state.app.subtree(home).await?;
            let figures = state.app.staff_figures((from, to), Some(&agencies)).await?;
            Ok(page(&FiguresPage {
                chrome: Chrome::new(&user, "Số liệu đào tạo, bồi dưỡng", NAV),
                from,
                to,
                rows: CourseKind::ALL
                    .iter()
                    .map(|k| {
                        (
                            k.label(),
                            figures.attending.get(*k),
                            figures.started.get(*k),
                            figures.completed.get(*k),
                        )
                    })
                    .collect(),
                figures,
            }))
        }
        .await,
    )
}
