//! The one-stop desk (issue 8, first slice): dossier codes are unique and
//! each agency's day gapless with many desks receiving at once, due dates
//! follow the working-day calendar, and a refused intake stores nothing.

use std::collections::BTreeSet;

use app::Ctx;
use app::people::NewPerson;
use app::services::NewDossier;
use domain::catalogue::Details;
use domain::people::{PersonDraft, Role};
use domain::services::workflow::StepInput;
use domain::services::{
    Action, Applicant, ApplicantKind, Channel, Dossier, DossierCode, DossierStatus, Level,
    OnlineMode, Paper, Procedure,
};
use testkit::TestApp;

use super::signing::invalid;
use time::macros::{date, datetime};

pub(super) const PASSWORD: &str = "MotCua#2021x";
const DESKS: usize = 8;
const EACH: usize = 300;

pub async fn desk_officer(test: &TestApp, agency_id: i64, n: usize) -> Ctx {
    let name = format!("Cán Bộ Một Cửa {n}");
    staff(
        test,
        agency_id,
        (&format!("motcua{n}"), &name),
        Role::DeskOfficer,
    )
    .await
}

/// A new officer of `agency_id` with `role`, signed in, by login and
/// full name.
pub async fn staff(test: &TestApp, agency_id: i64, (login, name): (&str, &str), role: Role) -> Ctx {
    let email = format!("{login}.stttt@travinh.gov.vn");
    let new = NewPerson {
        draft: PersonDraft {
            full_name: name.into(),
            position: role.label().into(),
            agency_id,
            email: email.clone(),
            phone: None,
        },
        roles: vec![role],
        password: Some(PASSWORD.into()),
    };
    test.app
        .create_person(&Ctx::system("test"), new)
        .await
        .unwrap();
    let token = test.token(&email, PASSWORD).await;
    test.app.signed_in(&token).await.unwrap().ctx(None)
}

/// A five-working-day procedure of `agency_id`, in force since 2020.
pub async fn procedure(test: &TestApp, agency_id: i64) -> Procedure {
    test.app
        .create_procedure(
            &Ctx::system("test"),
            Procedure {
                id: 0,
                agency_id,
                national_code: " 1.000494 ".into(),
                name: "Cấp giấy phép bưu chính".into(),
                field: Some("Bưu chính".into()),
                level: Level::Complete,
                online: OnlineMode::Full,
                processing_days: 5,
                fee: 1_000_000,
                effective_from: date!(2020 - 01 - 01),
                effective_to: None,
                version: 1,
                details: Details::default(),
            },
        )
        .await
        .unwrap()
}

/// The department (STTTT), its five-day procedure and a desk officer.
pub(super) async fn department_desk(test: &TestApp) -> (Procedure, Ctx) {
    let stttt = test.agency_id("000.00.11.H59").await;
    let procedure = procedure(test, stttt).await;
    (procedure, desk_officer(test, stttt, 0).await)
}

pub fn at_the_desk(procedure_id: i64, n: usize) -> NewDossier {
    NewDossier {
        procedure_id,
        channel: Channel::Desk,
        applicant: Applicant {
            name: format!("Công ty TNHH Thử Nghiệm {n}"),
            kind: ApplicantKind::Business,
            phone: Some("0294 3862 000".into()),
            email: None,
            address: Some("Phường 1, thành phố Trà Vinh".into()),
        },
        papers: vec![
            Paper {
                name: " Đơn đề nghị cấp giấy phép bưu chính ".into(),
                copies: 1,
            },
            Paper {
                name: "Bản sao Giấy chứng nhận đăng ký doanh nghiệp".into(),
                copies: 2,
            },
        ],
        files: Vec::new(),
    }
}

/// Issue 8's acceptance: 8 desks × 300 intakes at once give 2,400 unique
/// codes numbered 1 to 2,400 for the day; a dossier received on
/// Wednesday 28/4/2021 at 16:00 is due on 10/5, past the cut-off, 30/4,
/// 1/5 and the compensation day 3/5.
#[tokio::test]
async fn many_desks_at_once_give_unique_gapless_codes() {
    let (test, _) = TestApp::with_demo().await;
    let stttt = test.agency_id("000.00.11.H59").await;
    let procedure = procedure(&test, stttt).await;
    assert_eq!(procedure.national_code, "1.000494");
    test.clock
        .advance(datetime!(2021-04-28 16:00 +7) - testkit::START);
    let mut desks = Vec::new();
    for n in 0..DESKS {
        desks.push(desk_officer(&test, stttt, n).await);
    }
    let runs: Vec<_> = desks
        .iter()
        .enumerate()
        .map(|(desk, ctx)| {
            let (app, ctx) = (test.app.clone(), ctx.clone());
            tokio::spawn(async move {
                let mut codes = Vec::with_capacity(EACH);
                for n in 0..EACH {
                    let dossier = app
                        .receive_dossier(&ctx, at_the_desk(procedure.id, desk * EACH + n))
                        .await
                        .unwrap();
                    codes.push(dossier.code);
                }
                codes
            })
        })
        .collect();
    let mut codes: Vec<String> = Vec::with_capacity(DESKS * EACH);
    for run in runs {
        codes.extend(run.await.unwrap());
    }
    let app = &test.app;
    let unique: BTreeSet<&String> = codes.iter().collect();
    assert_eq!(unique.len(), DESKS * EACH, "codes repeat");
    let mut sequences: Vec<u32> = codes
        .iter()
        .map(|code| {
            let code: DossierCode = code.parse().unwrap();
            assert_eq!(code.agency.to_string(), "000.00.11.H59");
            assert_eq!(code.day, date!(2021 - 04 - 28));
            code.sequence
        })
        .collect();
    sequences.sort_unstable();
    let expected: Vec<u32> = (1..=u32::try_from(DESKS * EACH).unwrap()).collect();
    assert_eq!(sequences, expected, "the day's sequence has gaps");

    let first = app
        .dossier_by_code(&desks[0], "000.00.11.H59-210428-0001")
        .await
        .unwrap();
    assert_eq!(first.due_on, date!(2021 - 05 - 10));
    assert_eq!(first.status, DossierStatus::Unresolved);
    assert!(
        desks
            .iter()
            .any(|d| d.actor.as_ref().map(|a| a.person_id) == first.received_by),
        "received by one of the desks"
    );
    let stored = test
        .app
        .store
        .read()
        .await
        .unwrap()
        .dossiers_received(
            stttt,
            (
                datetime!(2021-04-28 00:00 +7),
                datetime!(2021-04-29 00:00 +7),
            ),
        )
        .await
        .unwrap();
    assert_eq!(stored.len(), DESKS * EACH);
}

#[tokio::test]
async fn a_refused_intake_stores_nothing() {
    let (test, _) = TestApp::with_demo().await;
    let stttt = test.agency_id("000.00.11.H59").await;
    let procedure = procedure(&test, stttt).await;
    let desk = desk_officer(&test, stttt, 0).await;
    let clerk = desk_officer_less(&test).await;
    let audit = test.audit_seq().await;
    let mut nameless = at_the_desk(procedure.id, 0);
    nameless.applicant.name = "  ".into();
    invalid(
        &test.app.receive_dossier(&desk, nameless).await,
        "tên người nộp",
    );
    let mut unreachable = at_the_desk(procedure.id, 0);
    unreachable.applicant.phone = None;
    invalid(
        &test.app.receive_dossier(&desk, unreachable).await,
        "số điện thoại hoặc thư điện tử",
    );
    let mut empty = at_the_desk(procedure.id, 0);
    empty.papers.clear();
    invalid(&test.app.receive_dossier(&desk, empty).await, "thành phần");
    let mut uncounted = at_the_desk(procedure.id, 0);
    uncounted.papers[1].copies = 0;
    invalid(
        &test.app.receive_dossier(&desk, uncounted).await,
        "ít nhất một bản",
    );
    let mut online = at_the_desk(procedure.id, 0);
    online.channel = Channel::Online;
    invalid(
        &test.app.receive_dossier(&desk, online).await,
        "Cổng dịch vụ công",
    );
    // Someone without the desk role, and a wrong procedure code.
    assert!(matches!(
        test.app
            .receive_dossier(&clerk, at_the_desk(procedure.id, 0))
            .await,
        Err(app::AppError::Forbidden)
    ));
    invalid(
        &test
            .app
            .create_procedure(
                &Ctx::system("test"),
                Procedure {
                    national_code: "1.0004".into(),
                    ..procedure.clone()
                },
            )
            .await,
        "mã quốc gia",
    );
    assert_eq!(audit, test.audit_seq().await, "nothing recorded");
    invalid(
        &test
            .app
            .dossier_by_code(&desk, "000.00.11.H59-210405")
            .await,
        "Mã hồ sơ",
    );
    // The first accepted one is still number 1 of the day.
    let dossier = test
        .app
        .receive_dossier(&desk, at_the_desk(procedure.id, 0))
        .await
        .unwrap();
    assert_eq!(dossier.code, "000.00.11.H59-210405-0001");

    // Its slip: the code, the papers handed in and the due date (5
    // working days after Monday 5/4/2021 at 08:00: Monday 12/4).
    let slip = test.app.receipt_slip(&desk, &dossier.code).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("slip.pdf");
    std::fs::write(&file, &slip).unwrap();
    let text = super::signing::pdf_text(&file);
    for phrase in [
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "Mã hồ sơ: 000.00.11.H59-210405-0001",
        "Công ty TNHH Thử Nghiệm 0",
        "Đơn đề nghị cấp giấy phép bưu chính",
        "Bản sao Giấy chứng nhận đăng ký doanh nghiệp",
        "Cấp giấy phép bưu chính",
        "ngày 12 tháng 4 năm 2021",
        "Cán Bộ Một Cửa 0",
    ] {
        assert!(text.contains(phrase), "no {phrase:?} in:\n{text}");
    }
    assert!(matches!(
        test.app.receipt_slip(&clerk, &dossier.code).await,
        Err(app::AppError::Forbidden)
    ));
}

/// Takes a step on `code` as `ctx`.
pub async fn step(
    test: &TestApp,
    ctx: &Ctx,
    code: &str,
    action: Action,
    note: &str,
) -> Result<Dossier, app::AppError> {
    let input = StepInput {
        action,
        note: note.into(),
        handler_id: None,
        promised_on: None,
        result_document_id: None,
    };
    test.app.take_step(ctx, code, input).await
}

/// The demo's clerk: no desk role.
async fn desk_officer_less(test: &TestApp) -> Ctx {
    let email = "nhunglth.stttt@travinh.gov.vn";
    test.set_password(email, PASSWORD).await;
    let token = test.token(email, PASSWORD).await;
    test.app.signed_in(&token).await.unwrap().ctx(None)
}

/// A supplement stops the clock: received Wednesday 28/4/2021 at 16:00
/// (due Monday 10/5), asked for more on Tuesday 4/5, brought on Thursday
/// 6/5: two working days stopped, due Wednesday 12/5.
#[tokio::test]
async fn a_supplement_moves_the_due_date_by_the_days_the_clock_stopped() {
    let (test, _) = TestApp::with_demo().await;
    let stttt = test.agency_id("000.00.11.H59").await;
    let procedure = procedure(&test, stttt).await;
    let desk = desk_officer(&test, stttt, 0).await;
    let at = |moment: time::OffsetDateTime| {
        let now = test.app.now();
        test.clock.advance(moment - now);
    };
    at(datetime!(2021-04-28 16:00 +7));
    let dossier = test
        .app
        .receive_dossier(&desk, at_the_desk(procedure.id, 0))
        .await
        .unwrap();
    assert_eq!(dossier.due_on, date!(2021 - 05 - 10));
    invalid(
        &step(&test, &desk, &dossier.code, Action::SupplementReceived, "").await,
        "không thể «Nhận hồ sơ bổ sung»",
    );
    at(datetime!(2021-05-04 09:00 +7));
    invalid(
        &step(&test, &desk, &dossier.code, Action::RequestSupplement, " ").await,
        "cần ghi rõ",
    );
    let waiting = step(
        &test,
        &desk,
        &dossier.code,
        Action::RequestSupplement,
        "Bản sao Điều lệ doanh nghiệp",
    )
    .await
    .unwrap();
    assert_eq!(
        (waiting.status, waiting.stopped_on),
        (DossierStatus::Waiting, Some(date!(2021 - 05 - 04)))
    );
    invalid(
        &step(
            &test,
            &desk,
            &dossier.code,
            Action::RequestSupplement,
            "Lần nữa",
        )
        .await,
        "Chờ bổ sung",
    );
    at(datetime!(2021-05-06 14:00 +7));
    let back = step(&test, &desk, &dossier.code, Action::SupplementReceived, "")
        .await
        .unwrap();
    assert_eq!(back.status, DossierStatus::Unresolved);
    assert_eq!(back.due_on, date!(2021 - 05 - 12));
    assert_eq!(back.stopped_on, None);
    // The desk's half day (from 16:00 on 28/4: 10:30 on 29/4) moved by
    // the same two working days.
    assert_eq!(back.stage_due_at, Some(datetime!(2021-05-05 10:30 +7)));
    let stored = test
        .app
        .dossier_by_code(&desk, &dossier.code)
        .await
        .unwrap();
    assert_eq!((stored.due_on, stored.status), (back.due_on, back.status));
}

/// The services API: a procedure found without accents, a dossier
/// received at the desk (a bad one refused with nothing stored), given to
/// a handler and proposed, its history, and the figures counting it.
#[tokio::test]
async fn the_api_receives_and_moves_a_dossier_and_counts_it() {
    let (test, _) = TestApp::with_demo().await;
    let mut tokens = Vec::new();
    for email in ["utpt.stttt@travinh.gov.vn", "phiepts.stttt@travinh.gov.vn"] {
        test.set_password(email, PASSWORD).await;
        tokens.push(test.token(email, PASSWORD).await);
    }
    let (desk, handler) = (tokens[0].as_str(), tokens[1].as_str());
    let stttt = test.agency_id("000.00.11.H59").await;
    let (status, found) = test
        .json(
            "GET",
            &format!("/api/v1/services/procedures?q=xac%20nhan%20thong%20bao%20hoat%20dong%20buu%20chinh&agency_id={stttt}"),
            Some(desk),
            None,
        )
        .await;
    assert_eq!(status, 200, "{found}");
    // Sorted by name: the replacement after a loss, then the first grant.
    let names: Vec<&str> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Cấp lại văn bản xác nhận thông báo hoạt động bưu chính khi bị mất hoặc hư hỏng",
            "Cấp văn bản xác nhận thông báo hoạt động bưu chính"
        ]
    );
    assert_eq!(
        (found[1]["level"].as_u64(), found[1]["fee"].as_u64()),
        (Some(4), Some(1_000_000))
    );
    let procedure_id = found[1]["id"].as_i64().unwrap();

    let input = |papers: serde_json::Value| {
        serde_json::json!({
            "procedure_id": procedure_id,
            "channel": "desk",
            "applicant": {
                "name": "Công ty TNHH Bưu chính Cửu Long",
                "kind": "business",
                "phone": "0294 3862 111"
            },
            "papers": papers,
        })
    };
    let audit = test.audit_seq().await;
    let (status, body) = test
        .json(
            "POST",
            "/api/v1/services/dossiers",
            Some(desk),
            Some(input(serde_json::json!([]))),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = test
        .json(
            "POST",
            "/api/v1/services/dossiers",
            Some(desk),
            Some(input(
                serde_json::json!([{ "name": "Tờ khai", "copies": 1, "pages": 3 }]),
            )),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("pages"),
        "{body}"
    );
    assert_eq!(audit, test.audit_seq().await, "nothing recorded");

    let (status, dossier) = test
        .json(
            "POST",
            "/api/v1/services/dossiers",
            Some(desk),
            Some(input(
                serde_json::json!([{ "name": "Tờ khai", "copies": 1 }]),
            )),
        )
        .await;
    assert_eq!(status, 201, "{dossier}");
    let code = dossier["code"].as_str().unwrap().to_owned();
    assert!(code.starts_with("000.00.11.H59-"), "{code}");
    assert_eq!(
        (dossier["stage"].as_str(), dossier["status"].as_u64()),
        (Some("reception"), Some(3))
    );

    let handler_id = test
        .app
        .store
        .read()
        .await
        .unwrap()
        .person_for_login("phiepts.stttt@travinh.gov.vn")
        .await
        .unwrap()
        .unwrap()
        .0
        .id;
    let steps = format!("/api/v1/services/dossiers/{code}/steps");
    let (status, body) = test
        .json(
            "POST",
            &steps,
            Some(handler),
            Some(serde_json::json!({ "action": "assign", "handler_id": handler_id })),
        )
        .await;
    assert_eq!(status, 403, "only the desk gives it out: {body}");
    let (status, body) = test
        .json(
            "POST",
            &steps,
            Some(desk),
            Some(serde_json::json!({ "action": "assign", "handler_id": handler_id })),
        )
        .await;
    assert_eq!(
        (status, body["stage"].as_str()),
        (axum::http::StatusCode::OK, Some("handling")),
        "{body}"
    );
    let (status, body) = test
        .json(
            "POST",
            &steps,
            Some(handler),
            Some(serde_json::json!({ "action": "propose", "note": "Đủ điều kiện" })),
        )
        .await;
    assert_eq!(
        (status, body["stage"].as_str()),
        (axum::http::StatusCode::OK, Some("approval")),
        "{body}"
    );

    let (status, detail) = test
        .json(
            "GET",
            &format!("/api/v1/services/dossiers/{code}"),
            Some(desk),
            None,
        )
        .await;
    assert_eq!(status, 200, "{detail}");
    let actions: Vec<&str> = detail["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["receive", "assign", "propose"]);

    let today = vn::dates::vietnam_date(test.app.now());
    let (status, figures) = test
        .json(
            "GET",
            &format!("/api/v1/services/figures?agency_id={stttt}&from={today}&to={today}"),
            Some(desk),
            None,
        )
        .await;
    assert_eq!(status, 200, "{figures}");
    assert_eq!(
        (figures["desk"].as_u64(), figures["online"].as_u64()),
        (Some(1), Some(0))
    );
    assert_eq!(figures["by_level"][0]["level"], 4);
    assert_eq!(figures["pending"], 1);
}
