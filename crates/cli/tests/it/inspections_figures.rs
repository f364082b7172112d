//! Inspections: the report's figures against a month counted by hand
//! (with records just outside it), the demo reproducing the April 2021
//! report, and the staff pages.

use app::AppError;
use domain::inspections::Field;
use domain::inspections::figures::InspectionFigures;
use domain::inspections::record::Kind;
use domain::inspections::subjects::{Finding, SanctionKind, SubjectKind};
use testkit::TestApp;
use time::macros::date;

use crate::inspections::{
    Desk, INSPECTOR, INSPECTORATE, closing, follow_up, person_of, sanction, subject, violation,
};

#[tokio::test]
async fn the_months_figures_match_a_hand_count() {
    let desk = Desk::new().await;
    let app = &desk.test.app;
    let ctx = &desk.inspector;
    // A: a thanh tra of the press begun in May, closed in May.
    let a = desk
        .decided(
            (Kind::Inspection, vec![Field::Press]),
            date!(2021 - 04 - 28),
            (date!(2021 - 05 - 03), date!(2021 - 05 - 07)),
            true,
        )
        .await;
    let a_ids = desk
        .subjects(
            a,
            vec![
                subject(
                    SubjectKind::Business,
                    "Công ty In Trà Vinh",
                    None,
                    Field::Press,
                ),
                subject(
                    SubjectKind::Business,
                    "Công ty Quảng cáo Sao Mai",
                    None,
                    Field::Press,
                ),
                subject(SubjectKind::Individual, "Thạch Sô Phên", None, Field::Press),
            ],
        )
        .await;
    desk.find(
        a,
        vec![
            (a_ids[0], violation()),
            (a_ids[1], Finding::Clean),
            (a_ids[2], Finding::Clean),
        ],
    )
    .await;
    app.add_inspection_sanction(
        ctx,
        a,
        sanction(a_ids[0], SanctionKind::Fine, Some(7_500_000)),
    )
    .await
    .unwrap();
    app.add_inspection_sanction(ctx, a, sanction(a_ids[0], SanctionKind::Remedy, None))
        .await
        .unwrap();
    let a_follow = app
        .add_inspection_follow_up(ctx, a, follow_up(a_ids[0], date!(2021 - 05 - 20)))
        .await
        .unwrap();
    app.close_inspection(ctx, a, closing(date!(2021 - 05 - 10)))
        .await
        .unwrap();
    // B: a kiểm tra of internet and e-games begun on the month's last day.
    let b = desk
        .decided(
            (Kind::Check, vec![Field::Internet, Field::EGames]),
            date!(2021 - 05 - 25),
            (date!(2021 - 05 - 31), date!(2021 - 06 - 04)),
            true,
        )
        .await;
    let b_ids = desk
        .subjects(
            b,
            vec![
                subject(
                    SubjectKind::Individual,
                    "Kim Thị Sa Rinh",
                    None,
                    Field::Internet,
                ),
                subject(
                    SubjectKind::Individual,
                    "Dương Minh Khánh",
                    None,
                    Field::EGames,
                ),
            ],
        )
        .await;
    desk.find(b, vec![(b_ids[0], violation()), (b_ids[1], Finding::Clean)])
        .await;
    app.add_inspection_sanction(
        ctx,
        b,
        sanction(b_ids[0], SanctionKind::Fine, Some(2_000_000)),
    )
    .await
    .unwrap();
    app.add_inspection_follow_up(ctx, b, follow_up(b_ids[0], date!(2021 - 06 - 15)))
        .await
        .unwrap();
    // C, just outside: begun in April, running into May.
    let c = desk
        .decided(
            (Kind::Check, vec![Field::Internet]),
            date!(2021 - 04 - 20),
            (date!(2021 - 04 - 26), date!(2021 - 05 - 02)),
            true,
        )
        .await;
    let c_ids = desk
        .subjects(
            c,
            vec![subject(
                SubjectKind::Individual,
                "Lê Văn Tám",
                None,
                Field::Internet,
            )],
        )
        .await;
    desk.find(c, vec![(c_ids[0], violation())]).await;
    app.add_inspection_sanction(
        ctx,
        c,
        sanction(c_ids[0], SanctionKind::Fine, Some(1_000_000)),
    )
    .await
    .unwrap();
    let c_follow = app
        .add_inspection_follow_up(ctx, c, follow_up(c_ids[0], date!(2021 - 05 - 05)))
        .await
        .unwrap();
    app.close_inspection(ctx, c, closing(date!(2021 - 05 - 04)))
        .await
        .unwrap();
    // D, just outside: decided in May, begun in June.
    let d = desk
        .decided(
            (Kind::Check, vec![Field::Postal]),
            date!(2021 - 05 - 28),
            (date!(2021 - 06 - 01), date!(2021 - 06 - 03)),
            false,
        )
        .await;
    desk.subjects(
        d,
        vec![subject(
            SubjectKind::Business,
            "Bưu điện tỉnh Trà Vinh",
            None,
            Field::Postal,
        )],
    )
    .await;

    desk.at(date!(2021 - 06 - 10));
    app.complete_inspection_follow_up(ctx, a, a_follow.id, date!(2021 - 05 - 25))
        .await
        .unwrap();
    app.complete_inspection_follow_up(ctx, c, c_follow.id, date!(2021 - 06 - 02))
        .await
        .unwrap();

    let may = app
        .inspection_figures(
            (date!(2021 - 05 - 01), date!(2021 - 05 - 31)),
            Some(&[desk.agency]),
        )
        .await
        .unwrap();
    let expected = InspectionFigures {
        inspections: 2,
        by_kind: [(Kind::Inspection, 1), (Kind::Check, 1)].into(),
        by_field: [(Field::Press, 1), (Field::Internet, 1), (Field::EGames, 1)].into(),
        businesses: 2,
        individuals: 3,
        subjects_in_violation: 2,
        sanctions: [(SanctionKind::Fine, 2), (SanctionKind::Remedy, 1)].into(),
        fines_vnd: 9_500_000,
        // A's (20/5) and C's (5/5); A's done on 25/5.
        follow_ups_due: 2,
        follow_ups_done: 1,
        // B and D (decided, not closed); A and C closed in May.
        open_inspections: 2,
        // B's, and C's done only on 2/6.
        open_follow_ups: 2,
    };
    assert_eq!(may, expected);
    // Another agency's view counts none of them.
    let other = desk.test.agency_id("000.03.11.H59").await;
    let none = app
        .inspection_figures(
            (date!(2021 - 05 - 01), date!(2021 - 05 - 31)),
            Some(&[other]),
        )
        .await
        .unwrap();
    assert_eq!(none, InspectionFigures::default());
    let backwards = app
        .inspection_figures((date!(2021 - 05 - 31), date!(2021 - 05 - 01)), None)
        .await;
    assert!(matches!(backwards, Err(AppError::Invalid(_))));
}

#[tokio::test]
async fn the_demo_reproduces_the_april_report() {
    let (test, _) = TestApp::with_demo().await;
    let april = test
        .app
        .inspection_figures((date!(2021 - 04 - 01), date!(2021 - 04 - 30)), None)
        .await
        .unwrap();
    let expected = InspectionFigures {
        inspections: 1,
        by_kind: [(Kind::Check, 1)].into(),
        by_field: [(Field::Internet, 1), (Field::EGames, 1)].into(),
        individuals: 10,
        ..InspectionFigures::default()
    };
    assert_eq!(april, expected);
    // Loading again adds nothing.
    test.app.load_demo(|_, _| {}).await.unwrap();
    let again = test
        .app
        .inspection_figures((date!(2021 - 04 - 01), date!(2021 - 04 - 30)), None)
        .await
        .unwrap();
    assert_eq!(again, expected);
}

#[tokio::test]
async fn the_pages_show_the_demo_and_take_a_new_inspection() {
    use crate::ui::{form, get_html, hidden, sign_in_as, text};
    let (test, _) = TestApp::with_demo().await;
    // First: setting the password (as `ctx_of` does) ends the sessions.
    let ctx = test.ctx_of(INSPECTOR).await;
    let session = sign_in_as(&test, INSPECTOR, testkit::PASSWORD).await;
    let list = get_html(&test, &session, "/app/inspections?year=2021&field=e_games").await;
    assert!(list.contains("trò chơi điện tử công cộng"), "{list}");
    let plan = get_html(&test, &session, "/app/inspections/plan?year=2021").await;
    assert!(plan.contains("310/QĐ-STTTT"), "{plan}");
    let figures = get_html(
        &test,
        &session,
        "/app/inspections/figures?from=2021-04-01&to=2021-04-30",
    )
    .await;
    assert!(figures.contains("id=\"so-cuoc\">1<"), "{figures}");
    let demo = test
        .app
        .inspection_list(&ctx, app::inspections::records::InspectionFilter::default())
        .await
        .unwrap()[0]
        .id;
    let record = get_html(&test, &session, &format!("/app/inspections/{demo}")).await;
    assert!(
        record.contains("Huỳnh Thị Mỹ Tiên") && record.contains("Đã kết thúc"),
        "{record}"
    );

    let new = get_html(&test, &session, "/app/inspections/new").await;
    let agency = test.agency_id(INSPECTORATE).await.to_string();
    let body = serde_urlencoded::to_string([
        ("csrf", hidden(&new, "csrf").as_str()),
        ("agency", agency.as_str()),
        ("kind", "inspection"),
        ("plan_item", ""),
        ("title", "Thanh tra hoạt động bưu chính"),
        ("field", "postal"),
    ])
    .unwrap();
    let created = test
        .send(form("/app/inspections/new", &session, body))
        .await;
    assert_eq!(created.status(), axum::http::StatusCode::SEE_OTHER);
    let path = created.headers()[axum::http::header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    let page = get_html(&test, &session, &path).await;
    let head = person_of(&ctx).to_string();
    let body = serde_urlencoded::to_string([
        ("csrf", hidden(&page, "csrf").as_str()),
        ("action", "decide"),
        ("number", "50/QĐ-STTTT"),
        ("date", "2021-04-20"),
        ("signer", "Trần Minh Khoa"),
        ("from", "2021-04-19"),
        ("to", "2021-04-23"),
        ("head", head.as_str()),
    ])
    .unwrap();
    let refused = test
        .send(form(&format!("{path}/actions"), &session, body))
        .await;
    assert_eq!(refused.status(), axum::http::StatusCode::OK);
    let html = text(refused).await;
    assert!(html.contains("không được sau ngày bắt đầu"), "{html}");
}
