//! The public-service figures of the monthly report (issue 8, item 7),
//! counted from dossiers on known dates: received in April 2021 by
//! channel and level, resolved early / on time / late, pending at the
//! end of the month and overdue; Vietnam days, not UTC ones.

use app::Ctx;
use domain::services::{Channel, Dossier, DossierStatus, Level, OnlineMode, Procedure};
use testkit::TestApp;
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};

use super::services::{at_the_desk, desk_officer, procedure};
use super::signing::invalid;

/// One dossier as the figures see it.
struct Case {
    received: OffsetDateTime,
    channel: Channel,
    level: Level,
    due: Date,
    returned: Option<OffsetDateTime>,
    status: DossierStatus,
    stopped: Option<Date>,
}

const fn case(
    received: OffsetDateTime,
    channel: Channel,
    level: Level,
    due: Date,
    returned: Option<OffsetDateTime>,
    status: DossierStatus,
) -> Case {
    Case {
        received,
        channel,
        level,
        due,
        returned,
        status,
        stopped: None,
    }
}

use Channel::{Desk, Online, Post};
use DossierStatus::{Denied, Done, Unresolved, Waiting};
use Level::{Complete as L4, Online as L3};

/// The department's dossiers (what each counts as in April is noted).
fn department() -> Vec<Case> {
    vec![
        // March, returned in April on its due date: on time.
        case(
            datetime!(2021-03-30 10:00 +7),
            Desk,
            L3,
            date!(2021 - 04 - 06),
            Some(datetime!(2021-04-06 15:00 +7)),
            Done,
        ),
        // March in Vietnam (16:30 UTC on 31/3): returned early in April.
        case(
            datetime!(2021-03-31 23:30 +7),
            Online,
            L3,
            date!(2021 - 04 - 07),
            Some(datetime!(2021-04-05 10:00 +7)),
            Done,
        ),
        // April in Vietnam though 31/3 in UTC: received, returned early.
        case(
            datetime!(2021-04-01 00:30 +7),
            Desk,
            L3,
            date!(2021 - 04 - 08),
            Some(datetime!(2021-04-02 09:00 +7)),
            Done,
        ),
        case(
            datetime!(2021-04-01 09:00 +7),
            Desk,
            L3,
            date!(2021 - 04 - 08),
            Some(datetime!(2021-04-07 16:00 +7)),
            Done,
        ),
        // Returned a day late.
        case(
            datetime!(2021-04-01 10:00 +7),
            Online,
            L3,
            date!(2021 - 04 - 08),
            Some(datetime!(2021-04-09 08:00 +7)),
            Done,
        ),
        // Pending and overdue.
        case(
            datetime!(2021-04-05 08:00 +7),
            Desk,
            L3,
            date!(2021 - 04 - 12),
            None,
            Unresolved,
        ),
        case(
            datetime!(2021-04-20 08:00 +7),
            Online,
            L4,
            date!(2021 - 04 - 27),
            None,
            Unresolved,
        ),
        // Returned in May: pending at the end of April, and overdue.
        case(
            datetime!(2021-04-10 08:00 +7),
            Online,
            L4,
            date!(2021 - 04 - 17),
            Some(datetime!(2021-05-03 08:00 +7)),
            Done,
        ),
        // Pending, due in May.
        case(
            datetime!(2021-04-26 08:00 +7),
            Online,
            L4,
            date!(2021 - 05 - 04),
            None,
            Unresolved,
        ),
        case(
            datetime!(2021-04-28 16:00 +7),
            Post,
            L4,
            date!(2021 - 05 - 10),
            None,
            Unresolved,
        ),
        case(
            datetime!(2021-04-30 23:30 +7),
            Online,
            L4,
            date!(2021 - 05 - 10),
            None,
            Unresolved,
        ),
        // Waiting for a supplement since 20/4: its clock is stopped.
        Case {
            stopped: Some(date!(2021 - 04 - 20)),
            ..case(
                datetime!(2021-04-15 08:00 +7),
                Desk,
                L4,
                date!(2021 - 04 - 22),
                None,
                Waiting,
            )
        },
        // Refused: received, never pending.
        case(
            datetime!(2021-04-16 08:00 +7),
            Desk,
            L4,
            date!(2021 - 04 - 23),
            None,
            Denied,
        ),
        // May.
        case(
            datetime!(2021-05-01 00:10 +7),
            Online,
            L4,
            date!(2021 - 05 - 11),
            None,
            Unresolved,
        ),
    ]
}

/// Creates a procedure of `level` for `agency` and writes `cases` as its
/// dossiers, numbered from `first`.
async fn load(test: &TestApp, agency: i64, cases: &[Case]) {
    let base = procedure(test, agency).await;
    let mut procedures = Vec::new();
    for level in [L3, L4] {
        let p = test
            .app
            .create_procedure(
                &Ctx::system("test"),
                Procedure {
                    level,
                    online: OnlineMode::of_level(level),
                    ..base.clone()
                },
            )
            .await
            .unwrap();
        procedures.push((level, p.id));
    }
    let tx = test.app.store.write().await.unwrap();
    for (n, c) in cases.iter().enumerate() {
        let (_, procedure_id) = procedures.iter().find(|(l, _)| *l == c.level).unwrap();
        let dossier = Dossier {
            id: 0,
            code: format!("{agency}-{n}"),
            agency_id: agency,
            procedure_id: *procedure_id,
            channel: c.channel,
            status: c.status,
            stage: domain::services::Stage::Reception,
            applicant: at_the_desk(*procedure_id, n).applicant,
            // As every use case stores moments: in UTC.
            received_at: domain::to_stored_precision(c.received),
            received_by: None,
            due_on: c.due,
            returned_at: c.returned.map(domain::to_stored_precision),
            stopped_on: c.stopped,
            papers: at_the_desk(*procedure_id, n).papers,
            files: Vec::new(),
            handler_id: None,
            promised_on: None,
            stage_due_at: None,
            result_document_id: None,
        };
        tx.insert_dossier(&dossier).await.unwrap();
    }
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn received_resolved_and_pending_are_counted_from_the_dossiers() {
    let (test, _) = TestApp::with_demo().await;
    let ctx = Ctx::system("test");
    let stttt = test.agency_id("000.00.11.H59").await;
    let justice = test.agency_id("000.00.12.H59").await;
    let province = test.agency_id("000.00.00.H59").await;
    load(&test, stttt, &department()).await;
    // Another department's online level-4 dossier, pending and overdue.
    let other = [case(
        datetime!(2021-04-12 08:00 +7),
        Online,
        L4,
        date!(2021 - 04 - 19),
        None,
        Unresolved,
    )];
    load(&test, justice, &other).await;
    let april = (date!(2021 - 04 - 01), date!(2021 - 04 - 30));

    let figures = test.app.services_figures(&ctx, stttt, april).await.unwrap();
    let level3 = &figures.by_level[&L3];
    assert_eq!((level3.desk, level3.online, level3.post), (3, 1, 0));
    assert_eq!(level3.online_percent.as_deref(), Some("25%"));
    let level4 = &figures.by_level[&L4];
    assert_eq!((level4.desk, level4.online, level4.post), (2, 4, 1));
    assert_eq!(level4.online_percent.as_deref(), Some("57,14%"));
    assert_eq!(figures.by_level.len(), 2);
    assert_eq!((figures.desk, figures.online, figures.post), (5, 5, 1));
    assert_eq!(figures.received(), 11);
    assert_eq!((figures.early, figures.on_time, figures.late), (3, 1, 1));
    assert_eq!(figures.resolved(), 5);
    assert_eq!((figures.pending, figures.overdue), (7, 3));

    // The province counts both departments.
    let whole = test
        .app
        .services_figures(&ctx, province, april)
        .await
        .unwrap();
    let level4 = &whole.by_level[&L4];
    assert_eq!((level4.desk, level4.online, level4.post), (2, 5, 1));
    assert_eq!(level4.online_percent.as_deref(), Some("62,5%"));
    assert_eq!((whole.received(), whole.online), (12, 6));
    assert_eq!((whole.pending, whole.overdue), (8, 4));
    assert_eq!(whole.resolved(), 5);

    // One day: 1 April (Vietnam time).
    let first = (date!(2021 - 04 - 01), date!(2021 - 04 - 01));
    let day = test.app.services_figures(&ctx, stttt, first).await.unwrap();
    assert_eq!((day.desk, day.online, day.post), (2, 1, 0));
    assert_eq!(day.resolved(), 0);
    // Received by then, not returned by then: the three of 1/4 and the
    // two of March, all returned later and none due yet.
    assert_eq!((day.pending, day.overdue), (5, 0));

    invalid(
        &test
            .app
            .services_figures(&ctx, stttt, (date!(2021 - 04 - 30), date!(2021 - 04 - 01)))
            .await,
        "trước ngày đầu kỳ",
    );
    // A desk officer of the department sees its figures, not the province's.
    let desk = desk_officer(&test, stttt, 0).await;
    assert_eq!(
        test.app
            .services_figures(&desk, stttt, april)
            .await
            .unwrap(),
        figures
    );
    assert!(matches!(
        test.app.services_figures(&desk, province, april).await,
        Err(app::AppError::Forbidden)
    ));

    // The dashboard shows the same figures, and refuses the province.
    let email = "utpt.stttt@travinh.gov.vn";
    test.set_password(email, "MotCua#2021").await;
    let session = super::ui::sign_in_as(&test, email, "MotCua#2021").await;
    let html = super::ui::get_html(
        &test,
        &session,
        "/app/services/figures?from=2021-04-01&to=2021-04-30",
    )
    .await;
    let table = &html[html.find("<tbody>").unwrap()..];
    let cells = |label: &str| {
        let row = &table[table.find(label).unwrap()..];
        let row = &row[..row.find("</tr>").unwrap()];
        row.split("<td>")
            .skip(1)
            .map(|c| c.split('<').next().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(cells("Mức độ 3"), ["3", "1", "0", "4", "25%"]);
    assert_eq!(cells("Mức độ 4"), ["2", "4", "1", "7", "57,14%"]);
    assert_eq!(cells("Tổng cộng"), ["5", "5", "1", "11", "45,45%"]);
    assert!(html.contains("<dt>Trễ hạn</dt><dd>1</dd>"), "{html}");
    assert!(html.contains("<dd>7 (quá hạn: 3)</dd>"), "{html}");
    let response = test
        .send(
            axum::http::Request::get(format!(
                "/app/services/figures?agency={province}&from=2021-04-01&to=2021-04-30"
            ))
            .header(axum::http::header::COOKIE, &session)
            .body(axum::body::Body::empty())
            .unwrap(),
        )
        .await;
    assert_eq!(response.status(), axum::http::StatusCode::FORBIDDEN);
}

/// The demo desk's dossiers go through the same use cases, on the days of
/// April 2021 they name, and the figures count them; a second load adds
/// nothing.
#[tokio::test]
async fn the_demo_desk_walks_its_dossiers_through_april_2021() {
    let (test, _) = TestApp::with_demo().await;
    let ctx = Ctx::system("test");
    let stttt = test.agency_id("000.00.11.H59").await;
    assert_eq!(test.app.load_demo_dossiers(|_, _| {}).await.unwrap(), 8);
    assert_eq!(test.app.load_demo_dossiers(|_, _| {}).await.unwrap(), 0);
    let april = (date!(2021 - 04 - 01), date!(2021 - 04 - 30));
    let f = test.app.services_figures(&ctx, stttt, april).await.unwrap();
    assert_eq!((f.desk, f.online, f.post), (5, 2, 1));
    // Returned: the postal confirmation early, the press conference on
    // its day, the postal licence late (after its apology); one refused.
    assert_eq!((f.early, f.on_time, f.late), (1, 1, 1));
    // Open at the end of April: to check, received, in handling, ready to
    // return — the one ready past its due date.
    assert_eq!((f.pending, f.overdue), (4, 1));
}

/// The database counts returns early / on time / late as
/// `Timeliness::of` classifies them, the Vietnam day of the return
/// (UTC+7) against the due date: a second either side of midnight in
/// Vietnam (16:59:59 and 17:00 UTC) on the eve of, and on, the due date.
#[tokio::test]
async fn returns_are_classed_on_the_vietnam_day_as_timeliness_does() {
    use domain::services::Timeliness;
    let (test, _) = TestApp::with_demo().await;
    let ctx = Ctx::system("test");
    let stttt = test.agency_id("000.00.11.H59").await;
    let mut cases = Vec::new();
    for due in [date!(2021 - 04 - 08), date!(2021 - 04 - 20)] {
        let eve = due.previous_day().unwrap();
        for day in [eve, due] {
            for (hour, minute, second) in [(0, 0, 0), (16, 59, 59), (17, 0, 0), (23, 59, 59)] {
                let returned = day.with_hms(hour, minute, second).unwrap().assume_utc();
                cases.push(case(
                    datetime!(2021-04-01 08:00 +7),
                    Desk,
                    L3,
                    due,
                    Some(returned),
                    Done,
                ));
            }
        }
    }
    load(&test, stttt, &cases).await;
    let (mut early, mut on_time, mut late) = (0, 0, 0);
    // What UTC days would give, to show the cases tell the two apart.
    let mut by_utc_day = (0, 0, 0);
    for c in &cases {
        let returned = c.returned.unwrap();
        *match Timeliness::of(vn::dates::vietnam_date(returned), c.due) {
            Timeliness::Early => &mut early,
            Timeliness::OnTime => &mut on_time,
            Timeliness::Late => &mut late,
        } += 1;
        *match Timeliness::of(returned.date(), c.due) {
            Timeliness::Early => &mut by_utc_day.0,
            Timeliness::OnTime => &mut by_utc_day.1,
            Timeliness::Late => &mut by_utc_day.2,
        } += 1;
    }
    assert!(early > 0 && on_time > 0 && late > 0);
    assert_ne!((early, on_time, late), by_utc_day);

    let april = (date!(2021 - 04 - 01), date!(2021 - 04 - 30));
    let f = test.app.services_figures(&ctx, stttt, april).await.unwrap();
    assert_eq!((f.early, f.on_time, f.late), (early, on_time, late));
}

/// A period's bounds are Vietnam days: a dossier received at 00:30 on
/// 1 April in Vietnam (17:30 UTC on 31 March) is April's, one at 23:30
/// on 31 March is March's, on both engines (SQLite compares the stored
/// UTC text with the bound).
#[tokio::test]
async fn a_period_begins_at_midnight_in_vietnam_not_in_utc() {
    let (test, _) = TestApp::with_demo().await;
    let ctx = Ctx::system("test");
    let stttt = test.agency_id("000.00.11.H59").await;
    let due = date!(2021 - 04 - 08);
    let cases = [
        case(
            datetime!(2021-03-31 23:30 +7),
            Desk,
            L3,
            due,
            None,
            Unresolved,
        ),
        case(
            datetime!(2021-04-01 00:30 +7),
            Online,
            L3,
            due,
            None,
            Unresolved,
        ),
        case(
            datetime!(2021-04-30 23:59 +7),
            Post,
            L3,
            due,
            None,
            Unresolved,
        ),
    ];
    load(&test, stttt, &cases).await;
    let figures = |first, last| test.app.services_figures(&ctx, stttt, (first, last));
    let april = figures(date!(2021 - 04 - 01), date!(2021 - 04 - 30))
        .await
        .unwrap();
    assert_eq!((april.desk, april.online, april.post), (0, 1, 1));
    let march = figures(date!(2021 - 03 - 31), date!(2021 - 03 - 31))
        .await
        .unwrap();
    assert_eq!((march.desk, march.online, march.post), (1, 0, 0));
}
