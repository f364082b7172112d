//! Staff training: the course and attendance rules refuse bad input and
//! change nothing, completion is final, and the report's figures match a
//! month counted by hand (with records just outside it) and the demo's
//! April 2021.

use app::{AppError, Ctx};
use domain::staff::courses::{AttendanceStatus, Course, CourseKind};
use testkit::TestApp;
use time::macros::date;
use time::{Date, Duration};

const INSPECTORATE: &str = "000.02.11.H59";
const CHIEF: &str = "binhdv.stttt@travinh.gov.vn";
const INSPECTOR: &str = "tienhtm.stttt@travinh.gov.vn";

async fn person(test: &TestApp, email: &str) -> i64 {
    let read = test.app.store.read().await.unwrap();
    read.person_for_login(email).await.unwrap().unwrap().0.id
}

async fn course(
    test: &TestApp,
    ctx: &Ctx,
    kind: CourseKind,
    (from, to): (Date, Date),
) -> Result<Course, AppError> {
    let course = Course {
        id: 0,
        agency_id: test.agency_id(INSPECTORATE).await,
        name: format!("Lớp {}", kind.label()),
        kind,
        provider: "Trường Chính trị tỉnh Trà Vinh".into(),
        from,
        to,
    };
    test.app.create_course(ctx, course).await
}

fn refused<T: std::fmt::Debug>(result: Result<T, AppError>) -> String {
    match result {
        Err(AppError::Invalid(message)) => message,
        other => panic!("not refused as invalid: {other:?}"),
    }
}

#[tokio::test]
async fn rules_refuse_and_completion_is_final() {
    let (test, _) = TestApp::with_demo().await;
    let chief = test.ctx_of(CHIEF).await;
    let inspector = test.ctx_of(INSPECTOR).await;
    let year = (date!(2021 - 03 - 01), date!(2021 - 12 - 31));
    let seq = test.audit_seq().await;
    refused(
        course(
            &test,
            &chief,
            CourseKind::PrincipalInspector,
            (date!(2021 - 03 - 01), date!(2021 - 02 - 28)),
        )
        .await,
    );
    assert!(matches!(
        course(&test, &inspector, CourseKind::PrincipalInspector, year).await,
        Err(AppError::Forbidden)
    ));
    assert_eq!(test.audit_seq().await, seq);
    let c = course(&test, &chief, CourseKind::PrincipalInspector, year)
        .await
        .unwrap();
    let tien = person(&test, INSPECTOR).await;
    let outsider = person(&test, "sockv.stttt@travinh.gov.vn").await;
    let seq = test.audit_seq().await;
    let message = refused(test.app.enrol(&chief, c.id, outsider, year).await);
    assert!(message.contains("không thuộc"), "{message}");
    refused(
        test.app
            .enrol(&chief, c.id, tien, (date!(2021 - 02 - 01), year.1))
            .await,
    );
    refused(
        test.app
            .enrol(
                &chief,
                c.id,
                tien,
                (date!(2021 - 05 - 01), date!(2021 - 04 - 30)),
            )
            .await,
    );
    assert!(matches!(
        test.app.enrol(&inspector, c.id, tien, year).await,
        Err(AppError::Forbidden)
    ));
    assert_eq!(test.audit_seq().await, seq);
    let a = test.app.enrol(&chief, c.id, tien, year).await.unwrap();
    refused(test.app.enrol(&chief, c.id, tien, year).await);
    // The clock is at 5 April 2021.
    refused(
        test.app
            .end_attendance(
                &chief,
                a.id,
                AttendanceStatus::Completed,
                date!(2021 - 04 - 06),
            )
            .await,
    );
    refused(
        test.app
            .end_attendance(
                &chief,
                a.id,
                AttendanceStatus::Completed,
                date!(2021 - 02 - 28),
            )
            .await,
    );
    let done = test
        .app
        .end_attendance(
            &chief,
            a.id,
            AttendanceStatus::Completed,
            date!(2021 - 04 - 05),
        )
        .await
        .unwrap();
    assert_eq!(done.status, AttendanceStatus::Completed);
    let seq = test.audit_seq().await;
    let message = refused(
        test.app
            .end_attendance(
                &chief,
                a.id,
                AttendanceStatus::Withdrawn,
                date!(2021 - 04 - 05),
            )
            .await,
    );
    assert!(message.contains("không thay đổi"), "{message}");
    assert_eq!(test.audit_seq().await, seq);
    let (_, attendees) = test.app.course(&chief, c.id).await.unwrap();
    assert_eq!(attendees.len(), 1);
    assert_eq!(
        attendees[0].attendance.status_on,
        Some(date!(2021 - 04 - 05))
    );
}

#[tokio::test]
async fn figures_match_a_month_counted_by_hand() {
    let (test, _) = TestApp::with_demo().await;
    test.clock.advance(Duration::days(61));
    let chief = test.ctx_of(CHIEF).await;
    let tien = person(&test, INSPECTOR).await;
    let binh = person(&test, CHIEF).await;
    let principal = course(
        &test,
        &chief,
        CourseKind::PrincipalInspector,
        (date!(2021 - 03 - 01), date!(2021 - 12 - 31)),
    )
    .await
    .unwrap();
    let advanced = course(
        &test,
        &chief,
        CourseKind::AdvancedTheory,
        (date!(2021 - 01 - 01), date!(2022 - 12 - 31)),
    )
    .await
    .unwrap();
    let professional = course(
        &test,
        &chief,
        CourseKind::Professional,
        (date!(2021 - 04 - 01), date!(2021 - 06 - 30)),
    )
    .await
    .unwrap();
    let intermediate = course(
        &test,
        &chief,
        CourseKind::IntermediateTheory,
        (date!(2021 - 01 - 01), date!(2021 - 04 - 30)),
    )
    .await
    .unwrap();
    let end = |c: &Course| c.to;
    let enrol = async |c: &Course, who: i64, from: Date| {
        test.app
            .enrol(&chief, c.id, who, (from, end(c)))
            .await
            .unwrap()
    };
    let finish = async |id: i64, status: AttendanceStatus, on: Date| {
        test.app
            .end_attendance(&chief, id, status, on)
            .await
            .unwrap();
    };
    // Started before May, completed in it: not attending at its end.
    let first = enrol(&principal, tien, date!(2021 - 03 - 01)).await;
    finish(first.id, AttendanceStatus::Completed, date!(2021 - 05 - 20)).await;
    // Started on May's last day: attending at its end.
    enrol(&advanced, binh, date!(2021 - 05 - 31)).await;
    // Withdrew the day after May: attending at its end.
    let withdrawn = enrol(&professional, tien, date!(2021 - 04 - 01)).await;
    finish(
        withdrawn.id,
        AttendanceStatus::Withdrawn,
        date!(2021 - 06 - 01),
    )
    .await;
    // Starts the day after May.
    enrol(&professional, binh, date!(2021 - 06 - 01)).await;
    // Completed the day before May.
    let earlier = enrol(&intermediate, tien, date!(2021 - 01 - 01)).await;
    finish(
        earlier.id,
        AttendanceStatus::Completed,
        date!(2021 - 04 - 30),
    )
    .await;

    let inspectorate = test.agency_id(INSPECTORATE).await;
    let figures = test
        .app
        .staff_figures(
            (date!(2021 - 05 - 01), date!(2021 - 05 - 31)),
            Some(&[inspectorate]),
        )
        .await
        .unwrap();
    let by_kind = |k: &domain::staff::figures::ByKind| {
        CourseKind::ALL
            .iter()
            .map(|kind| k.get(*kind))
            .collect::<Vec<_>>()
    };
    // Advanced, intermediate, principal inspector, professional.
    assert_eq!(by_kind(&figures.attending), [1, 0, 0, 1]);
    assert_eq!(by_kind(&figures.started), [1, 0, 0, 0]);
    assert_eq!(by_kind(&figures.completed), [0, 0, 1, 0]);
}

#[tokio::test]
async fn the_demo_has_the_reports_april() {
    let (test, _) = TestApp::with_demo().await;
    let f = test
        .app
        .staff_figures((date!(2021 - 04 - 01), date!(2021 - 04 - 30)), None)
        .await
        .unwrap();
    assert_eq!(f.attending.advanced_theory, 3);
    assert_eq!(f.attending.intermediate_theory, 2);
    assert_eq!(f.attending.principal_inspector, 1);
    assert_eq!(f.attending.total(), 6);
    test.app.load_demo(|_, _| {}).await.unwrap();
    let khoa = test.ctx_of("khoatm.stttt@travinh.gov.vn").await;
    let department = test.agency_id("000.00.11.H59").await;
    assert_eq!(test.app.courses(&khoa, department).await.unwrap().len(), 3);
}

#[tokio::test]
async fn the_pages_show_courses_and_figures() {
    use crate::ui::{get_html, sign_in_as};

    let (test, _) = TestApp::with_demo().await;
    let email = "khoatm.stttt@travinh.gov.vn";
    let system = Ctx::system("test");
    let department = test.agency_id("000.00.11.H59").await;
    let advanced = test.app.courses(&system, department).await.unwrap();
    let advanced = advanced
        .iter()
        .find(|c| c.kind == CourseKind::AdvancedTheory)
        .unwrap();
    test.set_password(email, testkit::PASSWORD).await;
    let session = sign_in_as(&test, email, testkit::PASSWORD).await;
    let list = get_html(&test, &session, "/app/training").await;
    assert_eq!(list.matches("/app/training/courses/").count(), 3);
    let page = get_html(
        &test,
        &session,
        &format!("/app/training/courses/{}", advanced.id),
    )
    .await;
    assert!(
        page.contains("Lâm Văn Hùng") && page.contains("Hoàn thành"),
        "{page}"
    );
    let figures = get_html(
        &test,
        &session,
        "/app/training/figures?from=2021-04-01&to=2021-04-30",
    )
    .await;
    assert!(
        figures.contains("<th scope=\"row\">Tổng cộng</th><td>6</td>"),
        "{figures}"
    );
}
