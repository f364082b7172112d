//! Citizen reception's figures (issue 10): a month counted by hand,
//! with records just outside it, and the demo's April 2021 as the
//! department's report tells it.

use app::Ctx;
use app::people::NewPerson;
use app::reception::days::{NewDay, NewVisit};
use domain::people::{PersonDraft, Role};
use domain::reception::days::DayOutcome;
use domain::reception::figures::{PetitionFigures, ReceptionFigures, VisitFigures};
use domain::reception::petitions::{Classification, PetitionKind, Step};
use testkit::TestApp;
use time::macros::{date, datetime};

use crate::reception::{draft, go_to, person_id, step, visit_draft};

#[tokio::test]
async fn the_months_figures_are_counted_from_the_records() {
    let (test, _) = TestApp::with_demo().await;
    // A unit of its own, so the demo's records stay out of the count:
    // Phòng CNTT with its head (a leader) and a new inspector.
    let unit = test.agency_id("000.04.11.H59").await;
    test.app
        .create_person(
            &Ctx::system("test"),
            NewPerson {
                draft: PersonDraft {
                    full_name: "Lý Thị Mai".into(),
                    position: "Thanh tra viên".into(),
                    agency_id: unit,
                    email: "mailt.stttt@travinh.gov.vn".into(),
                    phone: None,
                },
                roles: vec![Role::Inspector],
                password: None,
            },
        )
        .await
        .unwrap();
    go_to(&test, date!(2021 - 05 - 10));
    let officer = test.ctx_of("mailt.stttt@travinh.gov.vn").await;
    let head = test.ctx_of("hunglv.stttt@travinh.gov.vn").await;
    let head_id = person_id(&test, "hunglv.stttt@travinh.gov.vn").await;
    let officer_id = person_id(&test, "mailt.stttt@travinh.gov.vn").await;
    // Periodic days: 31/3 held (outside), 7/4 held with one visit of two
    // people, 14/4 cancelled, 5/5 scheduled (outside).
    let mut days = Vec::new();
    for on in [
        date!(2021 - 03 - 31),
        date!(2021 - 04 - 07),
        date!(2021 - 04 - 14),
        date!(2021 - 05 - 05),
    ] {
        let day = test
            .app
            .schedule_reception_day(
                &head,
                NewDay {
                    agency_id: unit,
                    on,
                    leader_id: head_id,
                    place: "Phòng CNTT".into(),
                },
            )
            .await
            .unwrap();
        days.push(day);
    }
    for (i, outcome) in [
        (0, DayOutcome::Held(String::new())),
        (1, DayOutcome::Held("Tiếp 02 công dân".into())),
        (2, DayOutcome::Cancelled("Trùng lịch họp".into())),
    ] {
        test.app
            .record_reception_day(&head, days[i].id, &outcome)
            .await
            .unwrap();
    }
    let visit = |at, visitors, day_id, same_case_as| NewVisit {
        draft: visit_draft(unit, at, visitors),
        day_id,
        same_case_as,
    };
    test.app
        .record_visit(
            &head,
            visit(datetime!(2021-04-07 08:30 +7), 2, Some(days[1].id), None),
        )
        .await
        .unwrap();
    test.app
        .record_visit(
            &head,
            visit(datetime!(2021-03-31 08:30 +7), 1, Some(days[0].id), None),
        )
        .await
        .unwrap();
    // Regular visits in April: cases A (twice) and B; 4 people.
    let a = test
        .app
        .record_visit(
            &officer,
            visit(datetime!(2021-04-01 00:00 +7), 1, None, None),
        )
        .await
        .unwrap();
    let b = test
        .app
        .record_visit(
            &officer,
            visit(datetime!(2021-04-20 10:00 +7), 2, None, None),
        )
        .await
        .unwrap();
    test.app
        .record_visit(
            &officer,
            visit(datetime!(2021-04-30 23:59 +7), 1, None, Some(a.id)),
        )
        .await
        .unwrap();
    // Just outside: 31/3 23:59 and 1/5 00:00, one of them case B again.
    test.app
        .record_visit(
            &officer,
            visit(datetime!(2021-03-31 23:59 +7), 1, None, None),
        )
        .await
        .unwrap();
    test.app
        .record_visit(
            &officer,
            visit(datetime!(2021-05-01 00:00 +7), 3, None, Some(b.id)),
        )
        .await
        .unwrap();
    // Petitions.
    let receive = |kind, on, content: &'static str| {
        let officer = officer.clone();
        let app = test.app.clone();
        async move {
            app.receive_petition(&officer, draft(unit, kind, on, content))
                .await
                .unwrap()
        }
    };
    let assign = Step::Assign(officer_id);
    let answer = || Step::Answer("Đã trả lời công dân".into());
    // Received 10/3, accepted 11/3 (due 1/4), answered 2/4: resolved
    // late in April.
    let r0 = receive(
        PetitionKind::Recommendation,
        date!(2021 - 03 - 10),
        "Kiến nghị 0",
    )
    .await;
    let r0 = step(
        &test,
        &head,
        &r0,
        date!(2021 - 03 - 11),
        Step::Classify(Classification::Accept),
    )
    .await;
    assert_eq!(r0.due_on, Some(date!(2021 - 04 - 01)));
    let r0 = step(&test, &head, &r0, date!(2021 - 03 - 11), assign.clone()).await;
    step(&test, &head, &r0, date!(2021 - 04 - 02), answer()).await;
    // Received 31/3, accepted 1/4, answered 20/4 on time.
    let c0 = receive(
        PetitionKind::Complaint,
        date!(2021 - 03 - 31),
        "Khiếu nại 0",
    )
    .await;
    let c0 = step(
        &test,
        &head,
        &c0,
        date!(2021 - 04 - 01),
        Step::Classify(Classification::Accept),
    )
    .await;
    let c0 = step(&test, &head, &c0, date!(2021 - 04 - 01), assign.clone()).await;
    step(&test, &head, &c0, date!(2021 - 04 - 20), answer()).await;
    // In April: a complaint accepted and pending; a denunciation not
    // accepted; a recommendation accepted and answered 5/5 (pending at
    // the end of April); a reflection answered 28/4 on time; a
    // reflection still to classify.
    let c1 = receive(
        PetitionKind::Complaint,
        date!(2021 - 04 - 06),
        "Khiếu nại 1",
    )
    .await;
    let c1 = step(
        &test,
        &head,
        &c1,
        date!(2021 - 04 - 07),
        Step::Classify(Classification::Accept),
    )
    .await;
    step(&test, &head, &c1, date!(2021 - 04 - 07), assign.clone()).await;
    let d1 = receive(
        PetitionKind::Denunciation,
        date!(2021 - 04 - 08),
        "Tố cáo 1",
    )
    .await;
    step(
        &test,
        &head,
        &d1,
        date!(2021 - 04 - 09),
        Step::Classify(Classification::NotAccept("Tố cáo nặc danh".into())),
    )
    .await;
    let r1 = receive(
        PetitionKind::Recommendation,
        date!(2021 - 04 - 09),
        "Kiến nghị 1",
    )
    .await;
    let r1 = step(
        &test,
        &head,
        &r1,
        date!(2021 - 04 - 12),
        Step::Classify(Classification::Accept),
    )
    .await;
    let r1 = step(&test, &head, &r1, date!(2021 - 04 - 12), assign.clone()).await;
    step(&test, &head, &r1, date!(2021 - 05 - 05), answer()).await;
    let f1 = receive(
        PetitionKind::Reflection,
        date!(2021 - 04 - 12),
        "Phản ánh 1",
    )
    .await;
    let f1 = step(
        &test,
        &head,
        &f1,
        date!(2021 - 04 - 13),
        Step::Classify(Classification::Accept),
    )
    .await;
    let f1 = step(&test, &head, &f1, date!(2021 - 04 - 13), assign.clone()).await;
    step(&test, &head, &f1, date!(2021 - 04 - 28), answer()).await;
    receive(
        PetitionKind::Reflection,
        date!(2021 - 04 - 13),
        "Phản ánh 2",
    )
    .await;
    // After: received 3/5.
    receive(
        PetitionKind::Recommendation,
        date!(2021 - 05 - 03),
        "Kiến nghị 2",
    )
    .await;

    let tree = test.app.subtree(unit).await.unwrap();
    let got = test
        .app
        .reception_figures((date!(2021 - 04 - 01), date!(2021 - 04 - 30)), Some(&tree))
        .await
        .unwrap();
    assert_eq!(
        got,
        ReceptionFigures {
            days_held: 1,
            periodic: VisitFigures {
                visits: 1,
                people: 2,
                cases: 1
            },
            regular: VisitFigures {
                visits: 3,
                people: 4,
                cases: 2
            },
            petitions: PetitionFigures {
                received: 5,
                complaints: 1,
                denunciations: 1,
                recommendations_reflections: 3,
                recommendations: 1,
                reflections: 2,
                accepted: 4,
                resolved: 3,
                on_time: 2,
                late: 1,
                pending_at_end: 3,
            },
        }
    );
    // The figures page's wrapper counts the same for the unit's head.
    let of = test
        .app
        .reception_figures_of(&head, unit, (date!(2021 - 04 - 01), date!(2021 - 04 - 30)))
        .await
        .unwrap();
    assert_eq!(of, got);
}

#[tokio::test]
async fn the_demo_reproduces_the_seed() {
    let (test, _) = TestApp::with_demo().await;
    let department = test.agency_id("000.00.11.H59").await;
    let tree = test.app.subtree(department).await.unwrap();
    let got = test
        .app
        .reception_figures((date!(2021 - 04 - 01), date!(2021 - 04 - 30)), Some(&tree))
        .await
        .unwrap();
    // "Tổ chức tiếp công dân định kỳ vào ngày 07 tháng 4 năm 2021 …
    // Không có công dân đến …; tiếp thường xuyên: 02 lượt người với 02
    // vụ việc …; đơn tố cáo, khiếu nại, phản ánh, kiến nghị: không có."
    assert_eq!(got.days_held, 1);
    assert_eq!(got.periodic, VisitFigures::default());
    assert_eq!(
        got.regular,
        VisitFigures {
            visits: 2,
            people: 2,
            cases: 2
        }
    );
    assert_eq!(got.petitions.received, 0);
    // Around April: a reflection answered in time in March, a complaint
    // accepted in May and pending at its end.
    let march = test
        .app
        .reception_figures((date!(2021 - 03 - 01), date!(2021 - 03 - 31)), Some(&tree))
        .await
        .unwrap()
        .petitions;
    assert_eq!(
        (
            march.reflections,
            march.accepted,
            march.resolved,
            march.on_time,
            march.pending_at_end
        ),
        (1, 1, 1, 1, 0)
    );
    let may = test
        .app
        .reception_figures((date!(2021 - 05 - 01), date!(2021 - 05 - 31)), Some(&tree))
        .await
        .unwrap()
        .petitions;
    assert_eq!(
        (
            may.complaints,
            may.accepted,
            may.resolved,
            may.pending_at_end
        ),
        (1, 1, 0, 1)
    );
    // Loading it again adds nothing.
    test.app.load_demo(|_, _| {}).await.unwrap();
    let again = test
        .app
        .reception_figures((date!(2021 - 04 - 01), date!(2021 - 04 - 30)), Some(&tree))
        .await
        .unwrap();
    assert_eq!(again, got);
}
