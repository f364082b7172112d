//! Deadlines inside a dossier's processing (issue 8, item 3): each stage
//! gets its share of the procedure's working days, counted in office
//! hours across the April holidays; a stage handed on late shows late
//! while the dossier is on time overall; a leader extends the due date
//! with a reason before it passes, and the report still judges the return
//! by the original date; a late dossier's apology makes the letter (Mẫu
//! số 04) the applicant downloads with their code and phone; the
//! process-control slip (Mẫu số 02) lists every handover.

use app::Ctx;
use app::catalogue::Format;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use bytes::Bytes;
use domain::people::Role;
use domain::services::workflow::StepInput;
use domain::services::{Action, Dossier, Procedure, Stage, Timeliness};
use http_body_util::BodyExt;
use testkit::TestApp;
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};

use super::services::{PASSWORD, at_the_desk, desk_officer, procedure, staff, step};
use super::signing::invalid;
use super::ui::{sign_in_as, text};

/// The department's five-day procedure and its desk officer, specialist
/// and leader.
struct Office {
    test: TestApp,
    procedure: Procedure,
    desk: Ctx,
    specialist: Ctx,
    leader: Ctx,
}

async fn office() -> Office {
    let (test, _) = TestApp::with_demo().await;
    let stttt = test.agency_id("000.00.11.H59").await;
    let procedure = procedure(&test, stttt).await;
    let desk = desk_officer(&test, stttt, 0).await;
    let specialist = staff(&test, stttt, ("thuly", "Kim Thụ Lý"), Role::Specialist).await;
    let leader = staff(&test, stttt, ("lanhdao", "Trần Lãnh Đạo"), Role::Leader).await;
    Office {
        test,
        procedure,
        desk,
        specialist,
        leader,
    }
}

impl Office {
    fn at(&self, moment: OffsetDateTime) {
        let now = self.test.app.now();
        self.test.clock.advance(moment - now);
    }

    async fn receive(&self) -> Dossier {
        self.test
            .app
            .receive_dossier(&self.desk, at_the_desk(self.procedure.id, 0))
            .await
            .unwrap()
    }

    async fn assign(&self, code: &str) -> Dossier {
        let handler = self.specialist.actor.as_ref().unwrap().person_id;
        let input = StepInput {
            handler_id: Some(handler),
            ..input(Action::Assign, "", None)
        };
        self.test
            .app
            .take_step(&self.desk, code, input)
            .await
            .unwrap()
    }

    async fn dated(
        &self,
        ctx: &Ctx,
        code: &str,
        (action, note, day): (Action, &str, Option<Date>),
    ) -> Result<Dossier, app::AppError> {
        self.test
            .app
            .take_step(ctx, code, input(action, note, day))
            .await
    }

    async fn get(&self, path: &str, cookie: Option<&str>) -> axum::response::Response {
        let mut request = Request::get(path);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.test.send(request.body(Body::empty()).unwrap()).await
    }
}

fn input(action: Action, note: &str, promised_on: Option<Date>) -> StepInput {
    StepInput {
        action,
        note: note.into(),
        handler_id: None,
        promised_on,
        result_document_id: None,
    }
}

/// The text pdftotext reads from `pdf`, without whitespace or hyphens
/// (table cells wrap, and pdftotext may drop a hyphen at a line's end).
fn pdf_text(pdf: &[u8]) -> String {
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("phieu.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8", file.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (Debian package poppler-utils)");
    assert!(out.status.success(), "pdftotext refused the file");
    String::from_utf8(out.stdout)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect()
}

fn squeezed(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect()
}

/// A five-day procedure whose catalogue gives its internal process (quy
/// trình nội bộ): an hour at the desk, 30 with the handler, 8 with the
/// leader, 1 to release. Received on Thursday 29/4/2021 at 09:00, the
/// desk's stage is due at 10:00 (the default half day would be 14:30),
/// and the handler's 30 hours from 09:30 end on Thursday 6/5 at 17:00
/// (the default 24 at 09:30); the dossier's own due date is the same.
/// The procedure's page shows its stages, another's the default split.
#[tokio::test]
async fn a_procedure_with_its_own_internal_process_times_its_stages_by_it() {
    let mut o = office().await;
    let stttt = o.procedure.agency_id;
    let file = serde_json::json!({
        "schema": domain::catalogue::SCHEMA,
        "procedures": [{
            "national_code": "1.009998",
            "name": "Cấp giấy phép bưu chính (quy trình riêng)",
            "level": 4,
            "online": "full",
            "processing_days": 5,
            "effective_from": "2020-01-01",
            "budgets": { "reception": 1, "handling": 30, "approval": 8, "release": 1 },
        }],
    });
    let summary = o
        .test
        .app
        .import_catalogue(
            &Ctx::system("test"),
            stttt,
            Format::Json,
            Bytes::from(serde_json::to_vec(&file).unwrap()),
        )
        .await
        .unwrap();
    assert_eq!(summary.created, ["1.009998"]);
    let own = o.test.app.catalogue(stttt, "1.009998").await.unwrap()[0]
        .procedure
        .clone();
    assert_eq!(own.budgets().handling, 30);
    let default = std::mem::replace(&mut o.procedure, own.clone());

    o.at(datetime!(2021-04-29 09:00 +7));
    let dossier = o.receive().await;
    assert_eq!(dossier.due_on, date!(2021 - 05 - 10));
    assert_eq!(dossier.stage_due_at, Some(datetime!(2021-04-29 10:00 +7)));
    // At the same moment, the default procedure's dossier gets half a day.
    o.procedure = default.clone();
    let other = o.receive().await;
    assert_eq!(other.due_on, dossier.due_on);
    assert_eq!(other.stage_due_at, Some(datetime!(2021-04-29 14:30 +7)));

    o.at(datetime!(2021-04-29 09:30 +7));
    let handling = o.assign(&dossier.code).await;
    assert_eq!(handling.stage_due_at, Some(datetime!(2021-05-06 17:00 +7)));
    let other = o.assign(&other.code).await;
    assert_eq!(other.stage_due_at, Some(datetime!(2021-05-06 09:30 +7)));

    let session = sign_in_as(&o.test, "motcua0.stttt@travinh.gov.vn", PASSWORD).await;
    let page = text(
        o.get(&format!("/app/procedures/{}", own.id), Some(&session))
            .await,
    )
    .await;
    assert!(page.contains("Quy trình nội bộ"), "{page}");
    assert!(page.contains("<td>30 giờ</td>"), "{page}");
    assert!(!page.contains("(mặc định)"), "{page}");
    let page = text(
        o.get(&format!("/app/procedures/{}", default.id), Some(&session))
            .await,
    )
    .await;
    assert!(page.contains("<td>24 giờ (mặc định)</td>"), "{page}");
}

/// Received on Thursday 29/4/2021 at 09:00 (due Monday 10/5): the desk's
/// half day runs out at 14:30; given out at 16:00, late, the handler's
/// three days skip 30/4, 1/5, the Sunday and the compensation day 3/5 and
/// end on Thursday 6/5 at 16:00. The dossier itself is returned early.
#[tokio::test]
async fn each_stage_has_its_own_deadline_and_the_control_slip_lists_every_handover() {
    let o = office().await;
    o.at(datetime!(2021-04-29 09:00 +7));
    let dossier = o.receive().await;
    let code = dossier.code.clone();
    assert_eq!(dossier.due_on, date!(2021 - 05 - 10));
    assert_eq!(dossier.stage_due_at, Some(datetime!(2021-04-29 14:30 +7)));

    // At 15:00 the desk's list marks the dossier's stage overdue, not the
    // dossier.
    o.at(datetime!(2021-04-29 15:00 +7));
    let session = sign_in_as(&o.test, "motcua0.stttt@travinh.gov.vn", PASSWORD).await;
    let desk_page = text(o.get("/app/services", Some(&session)).await).await;
    assert!(desk_page.contains("bước quá hạn"), "{desk_page}");
    assert!(!desk_page.contains("(quá hạn)"), "{desk_page}");

    o.at(datetime!(2021-04-29 16:00 +7));
    let handling = o.assign(&code).await;
    assert_eq!(handling.stage_due_at, Some(datetime!(2021-05-06 16:00 +7)));
    assert!(!handling.overdue_on(date!(2021 - 04 - 29)));
    let page = text(
        o.get(&format!("/app/services/dossiers/{code}"), Some(&session))
            .await,
    )
    .await;
    assert!(page.contains("Hạn của bước hiện tại"), "{page}");
    assert!(page.contains("16:00 06/5/2021"), "{page}");
    assert!(page.contains("Quá hạn"), "{page}");

    o.at(datetime!(2021-05-05 10:00 +7));
    let approval = step(&o.test, &o.specialist, &code, Action::Propose, "")
        .await
        .unwrap();
    assert_eq!(approval.stage_due_at, Some(datetime!(2021-05-06 10:00 +7)));
    o.at(datetime!(2021-05-05 11:00 +7));
    let release = step(&o.test, &o.leader, &code, Action::Approve, "")
        .await
        .unwrap();
    assert_eq!(release.stage_due_at, Some(datetime!(2021-05-05 16:30 +7)));
    o.at(datetime!(2021-05-05 16:00 +7));
    let returned = step(&o.test, &o.desk, &code, Action::Return, "")
        .await
        .unwrap();
    assert_eq!(
        (returned.stage, returned.stage_due_at),
        (Stage::Returned, None)
    );
    assert_eq!(
        Timeliness::of(date!(2021 - 05 - 05), returned.due_on),
        Timeliness::Early
    );

    let (_, handovers) = o.test.app.dossier_handovers(&o.desk, &code).await.unwrap();
    let seen: Vec<_> = handovers
        .iter()
        .map(|h| (h.from.as_str(), h.to.as_str(), h.stage, h.timeliness))
        .collect();
    let (applicant, desk) = ("Công ty TNHH Thử Nghiệm 0", "Cán Bộ Một Cửa 0");
    assert_eq!(
        seen,
        [
            (applicant, desk, None, None),
            (
                desk,
                "Kim Thụ Lý",
                Some(Stage::Reception),
                Some(Timeliness::Late)
            ),
            (
                "Kim Thụ Lý",
                "Trần Lãnh Đạo",
                Some(Stage::Handling),
                Some(Timeliness::Early)
            ),
            (
                "Trần Lãnh Đạo",
                desk,
                Some(Stage::Approval),
                Some(Timeliness::Early)
            ),
            (
                desk,
                applicant,
                Some(Stage::Release),
                Some(Timeliness::OnTime)
            ),
        ]
    );

    // Days went by: the morning's session has lapsed.
    let session = sign_in_as(&o.test, "motcua0.stttt@travinh.gov.vn", PASSWORD).await;
    let slip = o
        .get(
            &format!("/app/services/dossiers/{code}/control.pdf"),
            Some(&session),
        )
        .await;
    assert_eq!(slip.status(), StatusCode::OK);
    assert_eq!(slip.headers()[header::CONTENT_TYPE], "application/pdf");
    let bytes = slip.into_body().collect().await.unwrap().to_bytes();
    let printed = pdf_text(&bytes);
    for wanted in [
        "PHIẾUKIỂMSOÁTQUÁTRÌNHGIẢIQUYẾTHỒSƠ",
        &squeezed(&code),
        "KimThụLý",
        "TrầnLãnhĐạo",
        "CánBộMộtCửa0",
        "16giờ00phút,ngày29/4/2021",
        "Quáhạn",
        "Trướchạn",
        "Đúnghạn",
    ] {
        assert!(printed.contains(wanted), "{wanted} not in {printed}");
    }
    // Someone outside the dossier's agency gets nothing.
    let clerk = staff(
        &o.test,
        o.test.agency_id("000.00.02.H59").await,
        ("ngoai", "Ngô Văn Ngoài"),
        Role::DeskOfficer,
    )
    .await;
    assert!(matches!(
        o.test.app.control_slip(&clerk, &code).await,
        Err(app::AppError::Forbidden)
    ));
}

/// Received Monday 5/4/2021 (due Monday 12/4): only a leader extends,
/// with a reason, to a later day, and only until the due date passes.
/// Returned on 14/4, inside the extension, the report still counts the
/// dossier late against 12/4.
#[tokio::test]
async fn a_leader_extends_before_the_due_date_and_the_report_keeps_the_original() {
    let o = office().await;
    o.at(datetime!(2021-04-05 08:00 +7));
    let dossier = o.receive().await;
    let code = dossier.code.clone();
    assert_eq!(dossier.due_on, date!(2021 - 04 - 12));
    o.at(datetime!(2021-04-09 10:00 +7));
    let extend = |note, day| (Action::Extend, note, Some(day));
    assert!(matches!(
        o.dated(
            &o.desk,
            &code,
            extend("Chờ xác minh", date!(2021 - 04 - 15))
        )
        .await,
        Err(app::AppError::Forbidden)
    ));
    invalid(
        &o.dated(&o.leader, &code, extend(" ", date!(2021 - 04 - 15)))
            .await,
        "cần ghi rõ lý do",
    );
    invalid(
        &o.dated(
            &o.leader,
            &code,
            extend("Chờ xác minh", date!(2021 - 04 - 12)),
        )
        .await,
        "sau ngày hẹn trả hiện tại (12/4/2021)",
    );
    invalid(
        &o.dated(&o.leader, &code, (Action::Extend, "Chờ xác minh", None))
            .await,
        "Ngày gia hạn",
    );
    let extended = o
        .dated(
            &o.leader,
            &code,
            extend(
                "Chờ kết quả xác minh của Công an tỉnh",
                date!(2021 - 04 - 15),
            ),
        )
        .await
        .unwrap();
    assert_eq!(
        (extended.due_on, extended.promised_on, extended.stage),
        (
            date!(2021 - 04 - 12),
            Some(date!(2021 - 04 - 15)),
            Stage::Reception
        )
    );
    assert_eq!(extended.appointment(), date!(2021 - 04 - 15));
    // A second extension goes further, never back.
    invalid(
        &o.dated(&o.leader, &code, extend("Lùi lại", date!(2021 - 04 - 14)))
            .await,
        "(15/4/2021)",
    );
    // The applicant sees the reason and the new date.
    let tracking = o.test.app.track(&code, "0294 3862 000").await.unwrap();
    let last = tracking.steps.last().unwrap();
    assert_eq!(last.action, Action::Extend);
    assert!(last.note.contains("Công an tỉnh"));

    // Past 12/4 it is late: no more extension, an apology instead.
    o.at(datetime!(2021-04-13 09:00 +7));
    invalid(
        &o.dated(&o.leader, &code, extend("Chờ tiếp", date!(2021 - 04 - 20)))
            .await,
        "không gia hạn được nữa",
    );
    o.assign(&code).await;
    step(&o.test, &o.specialist, &code, Action::Propose, "")
        .await
        .unwrap();
    step(&o.test, &o.leader, &code, Action::Approve, "")
        .await
        .unwrap();
    o.at(datetime!(2021-04-14 10:00 +7));
    step(&o.test, &o.desk, &code, Action::Return, "")
        .await
        .unwrap();
    let stttt = o.test.agency_id("000.00.11.H59").await;
    let figures = o
        .test
        .app
        .services_figures(
            &Ctx::system("test"),
            stttt,
            (date!(2021 - 04 - 01), date!(2021 - 04 - 30)),
        )
        .await
        .unwrap();
    assert_eq!((figures.early, figures.on_time, figures.late), (0, 0, 1));
}

/// A late dossier's apology makes the letter: a PDF with the dossier's
/// code, the original and the new date and the leader's name, on the
/// step, for the staff and for the applicant with the right phone only.
#[tokio::test]
async fn the_apology_makes_a_letter_the_applicant_downloads_with_code_and_phone() {
    let o = office().await;
    o.at(datetime!(2021-04-05 08:00 +7));
    let dossier = o.receive().await;
    let code = dossier.code.clone();
    let public = |contact: &str| {
        let query =
            serde_urlencoded::to_string([("ma", code.as_str()), ("lien_he", contact)]).unwrap();
        format!("/dich-vu-cong/phieu-xin-loi?{query}")
    };
    let phone = "0294 3862 000";
    assert_eq!(
        o.get(&public(phone), None).await.status(),
        StatusCode::NOT_FOUND
    );

    o.at(datetime!(2021-04-13 09:00 +7));
    let reason = "Chờ ý kiến của Bộ Thông tin và Truyền thông";
    // A refused apology (a date already past) makes no letter.
    invalid(
        &o.dated(
            &o.leader,
            &code,
            (Action::Apologise, reason, Some(date!(2021 - 04 - 13))),
        )
        .await,
        "sau hôm nay",
    );
    assert_eq!(
        o.get(&public(phone), None).await.status(),
        StatusCode::NOT_FOUND
    );
    o.dated(
        &o.leader,
        &code,
        (Action::Apologise, reason, Some(date!(2021 - 04 - 16))),
    )
    .await
    .unwrap();
    let steps = o.test.app.dossier_steps(&o.desk, &code).await.unwrap();
    let last = steps.last().unwrap();
    assert_eq!(last.action, Action::Apologise);
    let sha256 = last.letter.clone().expect("the step keeps its letter");

    let letter = o.test.app.apology_letter(&o.desk, &code).await.unwrap();
    let printed = pdf_text(&letter);
    for wanted in [
        "PHIẾUXINLỖIVÀHẸNLẠINGÀYTRẢKẾTQUẢ",
        &squeezed(&code),
        "ngày16tháng4năm2021",
        "ngày12tháng4năm2021",
        "TrầnLãnhĐạo",
        "BộThôngtinvàTruyềnthông",
        "xinlỗiQuýcơquan,tổchứcvàsẽtrảkếtquả",
        "ngày13tháng4năm2021",
    ] {
        assert!(
            printed.contains(&squeezed(wanted)),
            "{wanted} not in {printed}"
        );
    }

    let downloaded = o.get(&public(" 0294.3862.000 "), None).await;
    assert_eq!(downloaded.status(), StatusCode::OK);
    assert_eq!(
        downloaded.headers()[header::CONTENT_TYPE],
        "application/pdf"
    );
    let bytes = downloaded.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(&bytes[..], &letter[..]);
    assert_eq!(
        o.get(&public("0912 345 678"), None).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        o.get(&public(""), None).await.status(),
        StatusCode::NOT_FOUND
    );
    let tracking = text(
        o.get(
            &format!(
                "/dich-vu-cong/tra-cuu?{}",
                serde_urlencoded::to_string([("ma", code.as_str()), ("lien_he", phone)]).unwrap()
            ),
            None,
        )
        .await,
    )
    .await;
    assert!(
        tracking.contains("/dich-vu-cong/phieu-xin-loi?"),
        "{tracking}"
    );

    let session = sign_in_as(&o.test, "lanhdao.stttt@travinh.gov.vn", PASSWORD).await;
    let staff_copy = o
        .get(
            &format!("/app/services/dossiers/{code}/apology.pdf"),
            Some(&session),
        )
        .await;
    assert_eq!(staff_copy.status(), StatusCode::OK);
    let bytes = staff_copy.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(
        &bytes[..],
        &o.test.app.blobs.get(&sha256).await.unwrap()[..]
    );
}
