//! The demo's staff in training in April 2021 (seed: "hiện tại có 03 đ/c
//! đang học lớp Cao cấp lý luận chính trị; 02 đ/c học lớp Trung cấp Lý
//! luận chính trị - Hành chính; 01 đ/c học lớp Thanh tra viên chính"):
//! three courses kept by the department and six of its people on them.
//! Loading again changes nothing: the courses are there.

use domain::staff::courses::{Course, CourseKind};
use time::Date;
use time::macros::date;

use crate::{App, AppError, Ctx};

const DEPARTMENT: &str = "000.00.11.H59";

/// A course of the demo and its attendees.
struct DemoCourse {
    name: &'static str,
    kind: CourseKind,
    provider: &'static str,
    days: (Date, Date),
    /// The attendees' e-mails.
    people: &'static [&'static str],
}

const COURSES: [DemoCourse; 3] = [
    DemoCourse {
        name: "Cao cấp lý luận chính trị hệ không tập trung khóa 2020-2022",
        kind: CourseKind::AdvancedTheory,
        provider: "Học viện Chính trị khu vực IV",
        days: (date!(2020 - 09 - 07), date!(2022 - 06 - 30)),
        people: &[
            "thanhnn.stttt@travinh.gov.vn",
            "hunglv.stttt@travinh.gov.vn",
            "binhdv.stttt@travinh.gov.vn",
        ],
    },
    DemoCourse {
        name: "Trung cấp lý luận chính trị - hành chính khóa 2020-2021",
        kind: CourseKind::IntermediateTheory,
        provider: "Trường Chính trị tỉnh Trà Vinh",
        days: (date!(2020 - 10 - 05), date!(2021 - 09 - 30)),
        people: &[
            "sockv.stttt@travinh.gov.vn",
            "trangvtt.stttt@travinh.gov.vn",
        ],
    },
    DemoCourse {
        name: "Bồi dưỡng nghiệp vụ Thanh tra viên chính năm 2021",
        kind: CourseKind::PrincipalInspector,
        provider: "Trường Cán bộ Thanh tra",
        days: (date!(2021 - 03 - 15), date!(2021 - 05 - 15)),
        people: &["tienhtm.stttt@travinh.gov.vn"],
    },
];

impl App {
    pub(super) async fn load_demo_staff(&self, ctx: &Ctx) -> Result<(), AppError> {
        let read = self.store.read().await?;
        if !read.courses(None).await?.is_empty() {
            return Ok(());
        }
        let department = read
            .agency_by_code(
                &DEPARTMENT
                    .parse()
                    .map_err(|_| AppError::NotFound("cơ quan"))?,
            )
            .await?
            .ok_or(AppError::NotFound("cơ quan"))?
            .id;
        let mut people = Vec::new();
        for course in &COURSES {
            for email in course.people {
                let (person, _) = read
                    .person_for_login(email)
                    .await?
                    .ok_or(AppError::NotFound("cán bộ"))?;
                people.push(person.id);
            }
        }
        drop(read);
        let mut people = people.into_iter();
        for c in &COURSES {
            let (from, to) = c.days;
            let course = self
                .create_course(
                    ctx,
                    Course {
                        id: 0,
                        agency_id: department,
                        name: c.name.into(),
                        kind: c.kind,
                        provider: c.provider.into(),
                        from,
                        to,
                    },
                )
                .await?;
            for person in people.by_ref().take(c.people.len()) {
                self.enrol(ctx, course.id, person, (from, to)).await?;
            }
        }
        Ok(())
    }
}
