//! Handling of incoming documents: a leader assigns, handlers write and
//! the lead completes; deadlines in working days; overdue lists, report
//! counts and reminders; the API refuses bad input without a trace; the
//! pages render.

use app::Ctx;
use app::documents::{NewIncoming, NewOutgoing};
use app::handling::NewAssignment;
use axum::http::StatusCode;
use domain::documents::{Confidentiality, Urgency};
use domain::handling::{AssignmentState, Due, Timeliness, TimelinessCounts};
use serde_json::json;
use testkit::TestApp;
use time::macros::date;

use testkit::PASSWORD;
const LEADER: &str = "thanhnn.stttt@travinh.gov.vn";
const CLERK: &str = "nhunglth.stttt@travinh.gov.vn";
const SPECIALIST: &str = "phiepts.stttt@travinh.gov.vn";
const UNIT_HEAD: &str = "hunglv.stttt@travinh.gov.vn";
const INSPECTOR: &str = "binhdv.stttt@travinh.gov.vn";

async fn person_id(test: &TestApp, email: &str) -> i64 {
    let tx = test.app.store.read().await.unwrap();
    tx.person_for_login(email).await.unwrap().unwrap().0.id
}

/// The clerk registers an incoming document of the STTTT.
async fn incoming(test: &TestApp, clerk: &Ctx, symbol: &str) -> i64 {
    let stttt = test.agency_id("000.00.11.H59").await;
    test.app
        .register_incoming(
            clerk,
            NewIncoming {
                agency_id: stttt,
                symbol: symbol.into(),
                doc_type: "Công văn".into(),
                summary: "Về việc triển khai hệ thống quản lý văn bản".into(),
                issued_on: date!(2021 - 04 - 02),
                issuer: "Ủy ban nhân dân tỉnh Trà Vinh".into(),
                signer: None,
                urgency: Urgency::Normal,
                confidentiality: Confidentiality::Normal,
                field: None,
            },
        )
        .await
        .unwrap()
        .id
}

fn forbidden<T: std::fmt::Debug>(result: &Result<T, app::AppError>) {
    assert!(
        matches!(result, Err(app::AppError::Forbidden)),
        "{result:?}"
    );
}

fn invalid<T: std::fmt::Debug>(result: &Result<T, app::AppError>, says: &str) {
    assert!(
        matches!(result, Err(app::AppError::Invalid(m)) if m.contains(says)),
        "{result:?}"
    );
}

#[tokio::test]
async fn a_leader_assigns_and_the_lead_completes_on_time() {
    let (test, _) = TestApp::with_demo().await;
    let leader = test.ctx_of(LEADER).await;
    let clerk = test.ctx_of(CLERK).await;
    let specialist = test.ctx_of(SPECIALIST).await;
    let unit_head = test.ctx_of(UNIT_HEAD).await;
    let inspector = test.ctx_of(INSPECTOR).await;
    let phiep = person_id(&test, SPECIALIST).await;
    let hung = person_id(&test, UNIT_HEAD).await;
    let document = incoming(&test, &clerk, "15/UBND-KGVX").await;
    let new = |due| NewAssignment {
        lead_id: phiep,
        co_handlers: vec![hung, phiep, hung],
        instruction: "Giao Phòng CNTT  tham mưu, báo cáo kết quả".into(),
        due,
    };

    // The specialist works in a unit: the department's register is not theirs.
    forbidden(&test.app.document(&specialist, document).await);
    // Only a leader of the department assigns: not the specialist, the
    // clerk, nor the head of a unit below it.
    for ctx in [&specialist, &clerk, &unit_head] {
        forbidden(
            &test
                .app
                .assign(ctx, document, new(Due::WorkingDays(5)))
                .await,
        );
    }
    // Bad input changes nothing.
    let seq = test.audit_seq().await;
    invalid(
        &test
            .app
            .assign(&leader, document, new(Due::WorkingDays(0)))
            .await,
        "ngày làm việc",
    );
    invalid(
        &test
            .app
            .assign(&leader, document, new(Due::On(date!(2021 - 04 - 02))))
            .await,
        "trước ngày giao",
    );
    let outsider = person_id(&test, "quantri@travinh.gov.vn").await;
    invalid(
        &test
            .app
            .assign(
                &leader,
                document,
                NewAssignment {
                    lead_id: outsider,
                    ..new(Due::WorkingDays(5))
                },
            )
            .await,
        "không thuộc cơ quan",
    );
    let stttt = test.agency_id("000.00.11.H59").await;
    let outgoing = test
        .app
        .issue_outgoing(
            &clerk,
            NewOutgoing {
                agency_id: stttt,
                doc_type: "Kế hoạch".into(),
                summary: "Kế hoạch chuyển đổi số".into(),
                drafting_unit_id: None,
                signer: None,
                urgency: Urgency::Normal,
                confidentiality: Confidentiality::Normal,
                field: None,
            },
        )
        .await
        .unwrap();
    let seq = seq + 1;
    invalid(
        &test
            .app
            .assign(&leader, outgoing.id, new(Due::WorkingDays(5)))
            .await,
        "văn bản đến",
    );
    assert_eq!(test.audit_seq().await, seq);

    // Monday 5/4/2021 + 5 working days: Monday 12/4.
    let a = test
        .app
        .assign(&leader, document, new(Due::WorkingDays(5)))
        .await
        .unwrap();
    assert_eq!(a.assigned_on, date!(2021 - 04 - 05));
    assert_eq!(a.deadline, date!(2021 - 04 - 12));
    assert_eq!(a.co_handlers, vec![hung], "the lead is not a co-handler");
    assert_eq!(a.instruction, "Giao Phòng CNTT tham mưu, báo cáo kết quả");
    assert_eq!(a.state, AssignmentState::Assigned);
    assert_eq!(test.audit_seq().await, seq + 1);

    // Now the handlers see the document, and it is in their lists.
    test.app.document(&specialist, document).await.unwrap();
    for ctx in [&specialist, &unit_head] {
        let mine = test.app.my_assignments(ctx).await.unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].document.id, document);
        assert_eq!(mine[0].timeliness, Some(Timeliness::InTime));
    }
    assert!(test.app.my_assignments(&leader).await.unwrap().is_empty());

    // The co-handler writes; someone outside cannot; nobody writes nothing.
    let b = test
        .app
        .add_opinion(&unit_head, a.id, "Phòng đã rà soát, thống nhất nội dung")
        .await
        .unwrap();
    assert_eq!(b.state, AssignmentState::InProgress);
    forbidden(&test.app.add_opinion(&inspector, a.id, "Ý kiến").await);
    invalid(
        &test.app.add_opinion(&specialist, a.id, "  ").await,
        "trống",
    );
    // The co-handler does not complete: the lead does, on Thursday.
    forbidden(&test.app.complete_assignment(&unit_head, a.id, "").await);
    test.clock.advance(time::Duration::days(3));
    let done = test
        .app
        .complete_assignment(&specialist, a.id, "Đã tham mưu công văn trả lời")
        .await
        .unwrap();
    assert_eq!(done.state, AssignmentState::Done);
    assert_eq!(done.completed_on, Some(date!(2021 - 04 - 08)));
    invalid(
        &test.app.complete_assignment(&specialist, a.id, "").await,
        "Đã hoàn thành",
    );
    assert!(
        test.app
            .my_assignments(&specialist)
            .await
            .unwrap()
            .is_empty()
    );

    let views = test.app.assignments_of(&leader, document).await.unwrap();
    assert_eq!(views.len(), 1);
    assert_eq!(views[0].timeliness, Some(Timeliness::OnTime));
    assert_eq!(views[0].lead.full_name, "Thạch Sô Phiếp");
    assert_eq!(views[0].co_handlers[0].full_name, "Lâm Văn Hùng");
    let texts: Vec<&str> = views[0].opinions.iter().map(|o| o.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Phòng đã rà soát, thống nhất nội dung",
            "Đã tham mưu công văn trả lời"
        ]
    );
    let counts = test
        .app
        .timeliness_counts(
            &leader,
            &[stttt],
            (date!(2021 - 04 - 01), date!(2021 - 04 - 30)),
            date!(2021 - 04 - 30),
        )
        .await
        .unwrap();
    assert_eq!(
        counts,
        TimelinessCounts {
            on_time: 1,
            ..TimelinessCounts::default()
        }
    );
    // The report reads the department's registers: not the unit's specialist's.
    forbidden(
        &test
            .app
            .timeliness_counts(
                &specialist,
                &[stttt],
                (date!(2021 - 04 - 01), date!(2021 - 04 - 30)),
                date!(2021 - 04 - 30),
            )
            .await,
    );
}

#[tokio::test]
async fn reassignment_reminders_overdue_and_the_report() {
    let (test, _) = TestApp::with_demo().await;
    let leader = test.ctx_of(LEADER).await;
    let clerk = test.ctx_of(CLERK).await;
    let specialist = test.ctx_of(SPECIALIST).await;
    let unit_head = test.ctx_of(UNIT_HEAD).await;
    let phiep = person_id(&test, SPECIALIST).await;
    let hung = person_id(&test, UNIT_HEAD).await;
    let stttt = test.agency_id("000.00.11.H59").await;
    // Monday 26/4/2021: 30/4 (Friday) and 3/5 (owed for 1/5) are off.
    test.clock.advance(time::Duration::days(21));
    let first = incoming(&test, &clerk, "20/UBND-KGVX").await;
    let second = incoming(&test, &clerk, "21/UBND-KGVX").await;
    let to = |lead_id, days| NewAssignment {
        lead_id,
        co_handlers: Vec::new(),
        instruction: String::new(),
        due: Due::WorkingDays(days),
    };
    let replaced = test.app.assign(&leader, first, to(hung, 5)).await.unwrap();
    assert_eq!(replaced.deadline, date!(2021 - 05 - 05));
    // Re-assigning withdraws the open assignment: one open at a time.
    let a = test.app.assign(&leader, first, to(phiep, 5)).await.unwrap();
    let views = test.app.assignments_of(&leader, first).await.unwrap();
    let states: Vec<_> = views.iter().map(|v| v.assignment.state).collect();
    assert_eq!(
        states,
        [AssignmentState::Withdrawn, AssignmentState::Assigned]
    );
    assert!(
        test.app
            .my_assignments(&unit_head)
            .await
            .unwrap()
            .is_empty()
    );
    // Nobody writes on the withdrawn one any more.
    invalid(
        &test
            .app
            .add_opinion(&unit_head, replaced.id, "Ý kiến")
            .await,
        "thu hồi",
    );
    // The second document is due later: Monday 10/5.
    let b = test
        .app
        .assign(&leader, second, to(phiep, 8))
        .await
        .unwrap();
    assert_eq!(b.deadline, date!(2021 - 05 - 10));

    // Monday 26/4: nothing is due within two working days.
    assert_eq!(test.app.send_reminders(test.app.today()).await.unwrap(), 0);
    // Thursday 29/4: the first is due on 5/5, two working days later.
    test.clock.advance(time::Duration::days(3));
    let today = test.app.today();
    assert_eq!(today, date!(2021 - 04 - 29));
    assert_eq!(test.app.send_reminders(today).await.unwrap(), 1);
    let seq = test.audit_seq().await;
    assert_eq!(
        test.app.send_reminders(today).await.unwrap(),
        0,
        "idempotent"
    );
    assert_eq!(test.audit_seq().await, seq);
    let notices = test.app.my_notices(&specialist, true).await.unwrap();
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].assignment_id, a.id);
    assert!(
        notices[0].text.contains("sắp đến hạn"),
        "{}",
        notices[0].text
    );
    assert!(
        test.app
            .overdue_assignments(&leader)
            .await
            .unwrap()
            .is_empty()
    );

    // Thursday 6/5: the first is overdue, the second due soon.
    test.clock.advance(time::Duration::days(7));
    let today = test.app.today();
    assert_eq!(test.app.send_reminders(today).await.unwrap(), 2);
    assert_eq!(test.app.send_reminders(today).await.unwrap(), 0);
    let notices = test.app.my_notices(&specialist, false).await.unwrap();
    assert_eq!(notices.len(), 3);
    assert!(notices.iter().any(|n| n.text.contains("quá hạn")));
    let overdue = test.app.overdue_assignments(&leader).await.unwrap();
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0].assignment.id, a.id);
    assert_eq!(overdue[0].timeliness, Some(Timeliness::Overdue));
    forbidden(&test.app.overdue_assignments(&specialist).await);
    let mine = test.app.my_assignments(&specialist).await.unwrap();
    let standing: Vec<_> = mine.iter().map(|l| l.timeliness).collect();
    assert_eq!(
        standing,
        [Some(Timeliness::Overdue), Some(Timeliness::DueSoon)]
    );

    // Read notices leave the unread list; another's notice is not found.
    test.app
        .mark_notice_read(&specialist, notices[0].id)
        .await
        .unwrap();
    assert_eq!(
        test.app.my_notices(&specialist, true).await.unwrap().len(),
        2
    );
    assert!(matches!(
        test.app.mark_notice_read(&leader, notices[1].id).await,
        Err(app::AppError::NotFound(_))
    ));

    // Done late: the first on 6/5, after its deadline of 5/5.
    test.app
        .complete_assignment(&specialist, a.id, "")
        .await
        .unwrap();
    let may = (date!(2021 - 05 - 01), date!(2021 - 05 - 31));
    let counts = test
        .app
        .timeliness_counts(&leader, &[stttt], may, today)
        .await
        .unwrap();
    assert_eq!(
        counts,
        TimelinessCounts {
            late: 1,
            pending: 1,
            ..TimelinessCounts::default()
        }
    );
    // Seen from 11/5, the second is overdue.
    let counts = test
        .app
        .timeliness_counts(&leader, &[stttt], may, date!(2021 - 05 - 11))
        .await
        .unwrap();
    assert_eq!((counts.late, counts.overdue, counts.pending), (1, 1, 0));
}

#[tokio::test]
async fn the_api_assigns_and_refuses_bad_input_without_a_trace() {
    let (test, _) = TestApp::with_demo().await;
    let clerk = test.ctx_of(CLERK).await;
    test.ctx_of(LEADER).await;
    test.ctx_of(SPECIALIST).await;
    let document = incoming(&test, &clerk, "30/UBND-KGVX").await;
    let phiep = person_id(&test, SPECIALIST).await;
    let hung = person_id(&test, UNIT_HEAD).await;
    let leader = test.token(LEADER, PASSWORD).await;
    let specialist = test.token(SPECIALIST, PASSWORD).await;
    let path = format!("/api/v1/documents/{document}/assignments");

    let seq = test.audit_seq().await;
    for (token, body, status) in [
        (
            &leader,
            json!({ "lead_id": phiep, "working_days": 0 }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            &leader,
            json!({ "lead_id": phiep, "working_days": 5, "deadline": "2021-04-30" }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            &leader,
            json!({ "lead_id": phiep, "deadline": "2021-04-01" }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            &leader,
            json!({ "lead_id": phiep, "days": 5 }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            &leader,
            json!({ "lead_id": 999_999 }),
            StatusCode::NOT_FOUND,
        ),
        (
            &leader,
            json!({ "lead_id": phiep, "working_days": -1 }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            &specialist,
            json!({ "lead_id": phiep }),
            StatusCode::FORBIDDEN,
        ),
    ] {
        let (got, answer) = test
            .json("POST", &path, Some(token), Some(body.clone()))
            .await;
        assert!(got.is_client_error(), "{body}: {got} {answer}");
        assert_eq!(got, status, "{body}: {answer}");
    }
    let (got, _) = test
        .json(
            "POST",
            "/api/v1/documents/999999/assignments",
            Some(&leader),
            Some(json!({ "lead_id": phiep })),
        )
        .await;
    assert_eq!(got, StatusCode::NOT_FOUND);
    assert_eq!(test.audit_seq().await, seq, "nothing recorded");
    let (_, list) = test.json("GET", &path, Some(&leader), None).await;
    assert_eq!(list, json!([]));

    // Without a number or a date: 7 working days from Monday 5/4/2021.
    let (got, a) = test
        .json("POST", &path, Some(&leader), Some(json!({ "lead_id": phiep, "co_handlers": [hung], "instruction": "Tham mưu trả lời" })))
        .await;
    assert_eq!(got, StatusCode::CREATED, "{a}");
    assert_eq!(a["deadline"], "2021-04-14");
    assert_eq!(a["state"], "assigned");
    let id = a["id"].as_i64().unwrap();

    let (got, _) = test
        .json(
            "POST",
            &format!("/api/v1/assignments/{id}/opinions"),
            Some(&specialist),
            Some(json!({ "text": " " })),
        )
        .await;
    assert_eq!(got, StatusCode::UNPROCESSABLE_ENTITY);
    let (got, a) = test
        .json(
            "POST",
            &format!("/api/v1/assignments/{id}/opinions"),
            Some(&specialist),
            Some(json!({ "text": "Đã dự thảo văn bản trả lời" })),
        )
        .await;
    assert_eq!(
        (got, a["state"].as_str()),
        (StatusCode::CREATED, Some("in_progress"))
    );
    let (got, mine) = test
        .json("GET", "/api/v1/assignments", Some(&specialist), None)
        .await;
    assert_eq!(got, StatusCode::OK);
    assert_eq!(mine[0]["document"]["symbol"], "30/UBND-KGVX");
    assert_eq!(mine[0]["timeliness"], "in_time");
    let (got, _) = test
        .json(
            "GET",
            "/api/v1/assignments?overdue=true",
            Some(&specialist),
            None,
        )
        .await;
    assert_eq!(got, StatusCode::FORBIDDEN);
    let (got, overdue) = test
        .json(
            "GET",
            "/api/v1/assignments?overdue=true",
            Some(&leader),
            None,
        )
        .await;
    assert_eq!((got, overdue), (StatusCode::OK, json!([])));
    let (got, _) = test
        .json(
            "GET",
            "/api/v1/assignments?overdue=maybe",
            Some(&leader),
            None,
        )
        .await;
    assert_eq!(got, StatusCode::BAD_REQUEST);

    // Past the deadline (Thursday 15/4), the reminder job of the binary
    // runs on the real date: the assignment is overdue there too. Once a day.
    test.clock.advance(time::Duration::days(10));
    let (_, overdue) = test
        .json(
            "GET",
            "/api/v1/assignments?overdue=true",
            Some(&leader),
            None,
        )
        .await;
    assert_eq!(overdue[0]["assignment"]["id"], id);
    assert_eq!(overdue[0]["timeliness"], "overdue");
    let remind = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_egov"))
            .arg("remind")
            .env("EGOV_DATABASE_URL", test.database_url())
            .env("EGOV_DATA_DIR", test.data_dir.path())
            .output()
            .expect("egov runs")
    };
    let first = remind();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&first.stdout)
            .lines()
            .next()
            .unwrap_or_default(),
        "Đã tạo 1 thông báo nhắc hạn xử lý."
    );
    let second = remind();
    assert_eq!(
        String::from_utf8_lossy(&second.stdout)
            .lines()
            .next()
            .unwrap_or_default(),
        "Đã tạo 0 thông báo nhắc hạn xử lý."
    );
    let (_, notices) = test
        .json(
            "GET",
            "/api/v1/notices?unread=true",
            Some(&specialist),
            None,
        )
        .await;
    assert_eq!(notices.as_array().unwrap().len(), 1);
    let notice = notices[0]["id"].as_i64().unwrap();
    let (got, _) = test
        .json(
            "POST",
            &format!("/api/v1/notices/{notice}/read"),
            Some(&leader),
            None,
        )
        .await;
    assert_eq!(got, StatusCode::NOT_FOUND, "not the leader's notice");
    let (got, _) = test
        .json(
            "POST",
            &format!("/api/v1/notices/{notice}/read"),
            Some(&specialist),
            None,
        )
        .await;
    assert_eq!(got, StatusCode::NO_CONTENT);

    // The co-handler may not complete; the lead does, late.
    let hung_token = {
        test.set_password(UNIT_HEAD, PASSWORD).await;
        test.token(UNIT_HEAD, PASSWORD).await
    };
    let complete = format!("/api/v1/assignments/{id}/complete");
    let (got, _) = test
        .json("POST", &complete, Some(&hung_token), Some(json!({})))
        .await;
    assert_eq!(got, StatusCode::FORBIDDEN);
    let (got, a) = test
        .json(
            "POST",
            &complete,
            Some(&specialist),
            Some(json!({ "note": "Đã trả lời" })),
        )
        .await;
    assert_eq!((got, a["state"].as_str()), (StatusCode::OK, Some("done")));
    let (got, _) = test
        .json("POST", &complete, Some(&specialist), Some(json!({})))
        .await;
    assert_eq!(got, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, list) = test.json("GET", &path, Some(&leader), None).await;
    assert_eq!(list[0]["timeliness"], "late");
    assert_eq!(list[0]["opinions"].as_array().unwrap().len(), 2);
    assert_eq!(list[0]["co_handler_names"], json!(["Lâm Văn Hùng"]));
}

#[tokio::test]
async fn the_pages_assign_and_print_the_handling_sheet() {
    use crate::ui::{form, get_html, hidden, sign_in_as};
    let (test, _) = TestApp::with_demo().await;
    let clerk = test.ctx_of(CLERK).await;
    let document = incoming(&test, &clerk, "40/UBND-KGVX").await;
    let phiep = person_id(&test, SPECIALIST).await.to_string();
    let hung = person_id(&test, UNIT_HEAD).await.to_string();
    test.set_password(LEADER, PASSWORD).await;
    test.set_password(SPECIALIST, PASSWORD).await;
    let leader = sign_in_as(&test, LEADER, PASSWORD).await;
    let specialist = sign_in_as(&test, SPECIALIST, PASSWORD).await;
    let page = format!("/app/documents/{document}");

    let html = get_html(&test, &leader, &page).await;
    assert!(html.contains("Giao xử lý"), "the leader gets the form");
    assert!(
        html.contains("Thạch Sô Phiếp"),
        "the unit's specialist is offered"
    );
    assert!(html.contains("value=\"7\""));
    let csrf = hidden(&html, "csrf");
    let body = serde_urlencoded::to_string([
        ("csrf", csrf.as_str()),
        ("lead_id", phiep.as_str()),
        ("co_handlers", hung.as_str()),
        ("instruction", "Phòng CNTT tham mưu trả lời trước hạn"),
        ("working_days", "5"),
        ("deadline", ""),
    ])
    .unwrap();
    let response = test
        .send(form(&format!("{page}/assignments"), &leader, body))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    // A number that is not one is refused with a page, not a crash.
    let body = serde_urlencoded::to_string([
        ("csrf", csrf.as_str()),
        ("lead_id", phiep.as_str()),
        ("working_days", "năm"),
    ])
    .unwrap();
    let response = test
        .send(form(&format!("{page}/assignments"), &leader, body))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let html = get_html(&test, &specialist, "/app/tasks").await;
    assert!(html.contains("Văn bản được giao xử lý"));
    assert!(html.contains("40/UBND-KGVX"));
    assert!(html.contains("12/4/2021"), "the deadline is shown");
    let html = get_html(&test, &specialist, &page).await;
    assert!(html.contains("Gửi ý kiến"));
    assert!(html.contains("Hoàn thành xử lý"));
    assert!(
        !html.contains("id=\"lead_id\""),
        "no assign form for the specialist"
    );
    let csrf = hidden(&html, "csrf");
    let id = test.app.assignments_of(&clerk, document).await.unwrap()[0]
        .assignment
        .id;
    let body = serde_urlencoded::to_string([
        ("csrf", csrf.as_str()),
        ("text", "Đã dự thảo công văn trả lời"),
    ])
    .unwrap();
    let response = test
        .send(form(
            &format!("/app/assignments/{id}/opinions"),
            &specialist,
            body,
        ))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    // Overdue on Tuesday 13/4: marked on the tasks page, reminded (a new
    // sign-in: the browser session ended meanwhile).
    test.clock.advance(time::Duration::days(8));
    test.app.send_reminders(test.app.today()).await.unwrap();
    let specialist = sign_in_as(&test, SPECIALIST, PASSWORD).await;
    let html = get_html(&test, &specialist, "/app/tasks").await;
    assert!(html.contains("class=\"overdue\""));
    assert!(html.contains("Thông báo nhắc hạn"));
    assert!(html.contains("đã quá hạn xử lý"));

    let sheet = get_html(&test, &specialist, &format!("{page}/handling-sheet")).await;
    for part in [
        "PHIẾU XỬ LÝ VĂN BẢN ĐẾN",
        "SỞ THÔNG TIN VÀ TRUYỀN THÔNG TỈNH TRÀ VINH",
        "ỦY BAN NHÂN DÂN TỈNH TRÀ VINH",
        "40/UBND-KGVX",
        "Phòng CNTT tham mưu trả lời trước hạn",
        "Thạch Sô Phiếp",
        "Lâm Văn Hùng",
        "12/4/2021",
        "Đã dự thảo công văn trả lời",
        "NGƯỜI XỬ LÝ",
        "/static/print.css",
    ] {
        assert!(sheet.contains(part), "the sheet has {part}");
    }
}
