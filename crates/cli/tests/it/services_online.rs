//! Online dossiers and the processing workflow (issue 8): a citizen
//! submits with two files, confirms from the e-mailed link and tracks the
//! dossier; the desk accepts it, a specialist handles it, a leader
//! approves, the desk returns the result — each step by its own person,
//! in turn, recorded and told to the applicant. Submissions that break a
//! rule are refused with a clear message and store nothing.

use app::Ctx;
use app::services::{OnlineSubmission, UploadedFile};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use domain::mail::outbox::{About, MailKind};
use domain::people::Role;
use domain::services::workflow::StepInput;
use domain::services::{
    Action, Applicant, ApplicantKind, Channel, DossierStatus, Level, Procedure, Stage, Timeliness,
};
use testkit::TestApp;
use time::macros::{date, datetime};

use super::services::{desk_officer, procedure, staff, step};
use super::signing::invalid;

const PDF: &[u8] =
    b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00";

pub fn applicant() -> Applicant {
    Applicant {
        name: "Thạch Thị Sa Rên".into(),
        kind: ApplicantKind::Citizen,
        phone: Some("0912 345 678".into()),
        email: Some("sa.ren@example.vn".into()),
        address: Some("Ấp Bến Có, xã Nguyệt Hóa, huyện Châu Thành".into()),
    }
}

pub fn two_files() -> Vec<UploadedFile> {
    vec![
        UploadedFile {
            paper: "Tờ khai đề nghị cấp giấy phép".into(),
            name: "to-khai.pdf".into(),
            bytes: PDF.into(),
        },
        UploadedFile {
            paper: "Bản chụp căn cước công dân".into(),
            name: "CCCD mặt trước.png".into(),
            bytes: PNG.into(),
        },
    ]
}

fn submission(procedure_id: i64) -> OnlineSubmission {
    OnlineSubmission {
        procedure_id,
        applicant: applicant(),
        files: two_files(),
    }
}

fn assign(handler: i64) -> StepInput {
    StepInput {
        action: Action::Assign,
        note: String::new(),
        handler_id: Some(handler),
        promised_on: None,
        result_document_id: None,
    }
}

/// The confirmation link's token, read from the notice e-mailed.
async fn token_of(test: &TestApp, dossier_id: i64) -> String {
    let notices = test
        .app
        .store
        .read()
        .await
        .unwrap()
        .mail_about(&About::Dossier(dossier_id))
        .await
        .unwrap();
    let body = &notices[0].mail.body;
    let start = body.find("xac-nhan?t=").expect("a confirmation link") + "xac-nhan?t=".len();
    body[start..start + 64].to_owned()
}

/// An app whose notices go to a fresh pickup folder (kept as long as the
/// returned directory lives) and whose portal is at its public address.
pub async fn portal_with_pickup() -> (TestApp, tempfile::TempDir) {
    let pickup = tempfile::tempdir().unwrap();
    let folder = pickup.path().to_owned();
    let test = TestApp::with_config(|c| {
        c.services.notice_pickup_dir = Some(folder.clone());
        c.services.public_url = "https://dichvucong.travinh.gov.vn".into();
    })
    .await;
    (test, pickup)
}

#[tokio::test]
async fn an_online_dossier_goes_from_submission_to_its_result() {
    let (test, pickup) = portal_with_pickup().await;
    let folder = pickup.path().to_owned();
    test.app.load_demo(|_, _| {}).await.unwrap();
    let stttt = test.agency_id("000.00.11.H59").await;
    let procedure = procedure(&test, stttt).await;
    let desk = desk_officer(&test, stttt, 0).await;
    let specialist = staff(&test, stttt, ("thuly", "Kim Văn Thụ Lý"), Role::Specialist).await;
    let other = staff(&test, stttt, ("khac", "Lê Văn Khác"), Role::Specialist).await;
    let leader = staff(&test, stttt, ("lanhdao", "Trần Lãnh Đạo"), Role::Leader).await;
    let specialist_id = specialist.actor.as_ref().unwrap().person_id;
    let elsewhere = test.agency_id("000.00.02.H59").await;
    let outsider = staff(
        &test,
        elsewhere,
        ("ngoai", "Ngô Văn Ngoài"),
        Role::Specialist,
    )
    .await;
    let outsider_id = outsider.actor.as_ref().unwrap().person_id;

    // Submitted on Wednesday 28/4/2021 at 16:00.
    test.clock
        .advance(datetime!(2021-04-28 16:00 +7) - test.app.now());
    let submitted = test
        .app
        .submit_online(submission(procedure.id))
        .await
        .unwrap();
    let dossier = &submitted.dossier;
    assert_eq!(dossier.code, "000.00.11.H59-210428-0001");
    assert_eq!(
        (dossier.stage, dossier.status),
        (Stage::Confirming, DossierStatus::New)
    );
    assert_eq!(dossier.files.len(), 2);
    assert_eq!(dossier.papers.len(), 2);
    let (file, bytes) = test
        .app
        .dossier_file(&desk, &dossier.code, 1)
        .await
        .unwrap();
    assert_eq!(
        (file.name.as_str(), &bytes[..]),
        ("CCCD mặt trước.png", PNG)
    );

    // The e-mail with the link went to the pickup folder as a message.
    let token = token_of(&test, dossier.id).await;
    assert_eq!(token, submitted.token);
    let message = std::fs::read_to_string(folder.join("mail-1.eml")).unwrap();
    assert!(message.contains("To: sa.ren@example.vn\r\n"), "{message}");
    assert!(message.contains("Message-ID: <mail-1@dichvucong.travinh.gov.vn>"));
    assert!(message.contains("\r\nSubject: [000.00.11.H59-210428-0001] =?utf-8?b?"));
    assert!(message.contains("\r\nMIME-Version: 1.0\r\n"), "{message}");

    // The tracking page needs the phone or e-mail given with it.
    let tracked = test.app.track(&dossier.code, "0912.345.678").await.unwrap();
    assert_eq!(tracked.dossier.status, DossierStatus::New);
    assert!(test.app.track(&dossier.code, "0999 999 999").await.is_err());
    assert!(test.app.track(&dossier.code, "").await.is_err());

    // The desk cannot accept it before the applicant confirms.
    invalid(
        &step(&test, &desk, &dossier.code, Action::Accept, "").await,
        "không thể «Tiếp nhận hồ sơ trực tuyến»",
    );
    let confirmed = test.app.confirm_online(&token).await.unwrap();
    assert_eq!(confirmed.status, DossierStatus::Receiving);
    invalid(&test.app.confirm_online(&token).await, "hết hạn");

    // Accepted on Thursday 29/4 at 09:00: five working days from the next,
    // past 30/4, 1/5 and the compensation day 3/5: 4/5 to Monday 10/5.
    test.clock
        .advance(datetime!(2021-04-29 09:00 +7) - test.app.now());
    let accepted = step(&test, &desk, &dossier.code, Action::Accept, "")
        .await
        .unwrap();
    assert_eq!(accepted.due_on, date!(2021 - 05 - 10));
    assert_eq!(accepted.status, DossierStatus::Unresolved);

    // Only the desk or a leader gives it out, only to a person inside.
    assert!(matches!(
        test.app
            .take_step(&specialist, &dossier.code, assign(specialist_id))
            .await,
        Err(app::AppError::Forbidden)
    ));
    invalid(
        &test
            .app
            .take_step(&desk, &dossier.code, assign(outsider_id))
            .await,
        "cán bộ của cơ quan",
    );
    let assigned = test
        .app
        .take_step(&desk, &dossier.code, assign(specialist_id))
        .await
        .unwrap();
    assert_eq!(assigned.status, DossierStatus::Processing);

    // The handler proposes; another specialist may not; the desk may not
    // approve; the leader sends it back once (with a reason), then approves.
    assert!(matches!(
        step(&test, &other, &dossier.code, Action::Propose, "").await,
        Err(app::AppError::Forbidden)
    ));
    step(
        &test,
        &specialist,
        &dossier.code,
        Action::Propose,
        "Đủ điều kiện cấp phép",
    )
    .await
    .unwrap();
    assert!(matches!(
        step(&test, &desk, &dossier.code, Action::Approve, "").await,
        Err(app::AppError::Forbidden)
    ));
    invalid(
        &step(&test, &leader, &dossier.code, Action::SendBack, "").await,
        "cần ghi rõ",
    );
    step(
        &test,
        &leader,
        &dossier.code,
        Action::SendBack,
        "Kiểm tra lại địa chỉ",
    )
    .await
    .unwrap();
    step(
        &test,
        &specialist,
        &dossier.code,
        Action::Propose,
        "Đã kiểm tra",
    )
    .await
    .unwrap();
    test.clock
        .advance(datetime!(2021-05-05 10:00 +7) - test.app.now());
    let approved = step(&test, &leader, &dossier.code, Action::Approve, "")
        .await
        .unwrap();
    assert_eq!(approved.status, DossierStatus::Releasing);
    invalid(
        &step(&test, &leader, &dossier.code, Action::Approve, "").await,
        "không thể «Phê duyệt kết quả»",
    );
    // The result: a decision the department issued, its signed file
    // downloaded by the applicant (a level-4 procedure).
    assert!(
        test.app
            .result_file(&dossier.code, "sa.ren@example.vn")
            .await
            .is_err()
    );
    let system = Ctx::system("test");
    let decision = test
        .app
        .issue_outgoing(
            &system,
            app::documents::NewOutgoing {
                agency_id: stttt,
                doc_type: "Quyết định".into(),
                summary: "Về việc cấp giấy phép bưu chính cho Thạch Thị Sa Rên".into(),
                drafting_unit_id: None,
                signer: Some("Nguyễn Ngọc Thành".into()),
                urgency: domain::documents::Urgency::Normal,
                confidentiality: domain::documents::Confidentiality::Normal,
                field: None,
            },
        )
        .await
        .unwrap();
    let result_input = |document| StepInput {
        action: Action::AttachResult,
        note: String::new(),
        handler_id: None,
        promised_on: None,
        result_document_id: document,
    };
    invalid(
        &test
            .app
            .take_step(&desk, &dossier.code, result_input(Some(decision.id)))
            .await,
        "văn bản kết quả",
    );
    test.app
        .attach_file(
            &system,
            decision.id,
            app::document_files::NewFile {
                name: "giay-phep.pdf".into(),
                description: String::new(),
                content_type: None,
                bytes: PDF.into(),
            },
        )
        .await
        .unwrap();
    invalid(
        &test
            .app
            .take_step(&desk, &dossier.code, result_input(None))
            .await,
        "văn bản kết quả",
    );
    test.app
        .take_step(&desk, &dossier.code, result_input(Some(decision.id)))
        .await
        .unwrap();
    let (file, bytes) = test
        .app
        .result_file(&dossier.code, "0912345678")
        .await
        .unwrap();
    assert_eq!((file.name.as_str(), &bytes[..]), ("giay-phep.pdf", PDF));
    let returned = step(&test, &desk, &dossier.code, Action::Return, "")
        .await
        .unwrap();
    assert_eq!(returned.status, DossierStatus::Done);
    let returned_on = vn::dates::vietnam_date(returned.returned_at.unwrap());
    assert_eq!(
        Timeliness::of(returned_on, returned.due_on),
        Timeliness::Early
    );

    // Its history, in order, with who took each step.
    let steps = test.app.dossier_steps(&desk, &dossier.code).await.unwrap();
    let actions: Vec<Action> = steps.iter().map(|s| s.action).collect();
    assert_eq!(
        actions,
        [
            Action::Submit,
            Action::Confirm,
            Action::Accept,
            Action::Assign,
            Action::Propose,
            Action::SendBack,
            Action::Propose,
            Action::Approve,
            Action::AttachResult,
            Action::Return
        ]
    );
    assert_eq!(steps[0].actor_label, "Người nộp hồ sơ");
    assert_eq!(steps[4].actor_label, "Kim Văn Thụ Lý");
    // The applicant sees the steps but not the officers' inside notes.
    let public = test
        .app
        .track(&dossier.code, "SA.REN@example.vn")
        .await
        .unwrap();
    assert_eq!(public.steps.len(), steps.len());
    assert!(public.steps.iter().all(|s| s.note.is_empty()));
    assert_eq!(public.dossier.status, DossierStatus::Done);

    // Told by e-mail: the link, the acceptance with its date, the result.
    let notices = test
        .app
        .store
        .read()
        .await
        .unwrap()
        .mail_about(&About::Dossier(dossier.id))
        .await
        .unwrap();
    let kinds: Vec<MailKind> = notices.iter().map(|n| n.mail.kind).collect();
    assert_eq!(
        kinds,
        [
            MailKind::DossierConfirmation,
            MailKind::DossierReceived,
            MailKind::DossierResult
        ]
    );
    assert!(
        notices[1].mail.body.contains("10/5/2021"),
        "{}",
        notices[1].mail.body
    );
    assert!(notices.iter().all(|n| n.sent_at.is_some()));
    assert!(folder.join("mail-3.eml").exists());
}

#[tokio::test]
async fn online_submissions_that_break_a_rule_are_refused_and_store_nothing() {
    let (test, _) = TestApp::with_demo().await;
    let stttt = test.agency_id("000.00.11.H59").await;
    let procedure = procedure(&test, stttt).await;
    let audit = test.audit_seq().await;
    let files_before = walk(test.data_dir.path());
    let refused = async |change: &dyn Fn(&mut OnlineSubmission), message: &str| {
        let mut bad = submission(procedure.id);
        change(&mut bad);
        invalid(&test.app.submit_online(bad).await, message);
    };
    let big = [PDF, &vec![b' '; 10 * 1024 * 1024]].concat();
    refused(&|s| s.files[0].bytes = big.clone().into(), "quá lớn").await;
    refused(
        &|s| s.files[1].bytes = b"MZ\x90\x00\x03 a program".as_slice().into(),
        "không được chấp nhận",
    )
    .await;
    refused(&|s| s.files[1].bytes = bytes::Bytes::new(), "rỗng").await;
    for trick in [
        "../../etc/passwd",
        "..\\boot.ini",
        "/tmp/x.pdf",
        ".htaccess",
        "a\u{202E}fdp.exe",
    ] {
        refused(&|s| s.files[0].name = trick.into(), "Tên tệp").await;
    }
    refused(&|s| s.files.clear(), "ít nhất một tệp").await;
    refused(&|s| s.files = vec![two_files().remove(0); 21], "tối đa 20").await;
    refused(&|s| s.files[0].paper = " ".into(), "thành phần").await;
    refused(&|s| s.applicant.name = String::new(), "tên người nộp").await;
    refused(&|s| s.applicant.email = None, "thư điện tử để xác nhận").await;
    refused(
        &|s| s.applicant.email = Some("khong-phai-thu".into()),
        "không đúng dạng",
    )
    .await;
    refused(
        &|s| s.applicant.email = Some("a@b.vn\r\nBcc: x@y.vn".into()),
        "không đúng dạng",
    )
    .await;
    refused(&|s| s.applicant.phone = Some("12".into()), "Số điện thoại").await;
    // A level-2 procedure takes no online dossier.
    let forms_only = test
        .app
        .create_procedure(
            &Ctx::system("test"),
            Procedure {
                national_code: "1.000495".into(),
                level: Level::Forms,
                ..procedure.clone()
            },
        )
        .await
        .unwrap();
    let audit = audit + 1;
    let mut offline = submission(forms_only.id);
    offline.files = two_files();
    invalid(
        &test.app.submit_online(offline).await,
        "chưa cung cấp dịch vụ công trực tuyến",
    );

    assert_eq!(audit, test.audit_seq().await, "nothing recorded");
    let kept = |path: &std::path::PathBuf| !path.to_string_lossy().contains("egov.db");
    let files_after: Vec<_> = walk(test.data_dir.path())
        .into_iter()
        .filter(kept)
        .collect();
    let files_before: Vec<_> = files_before.into_iter().filter(kept).collect();
    assert_eq!(files_after, files_before, "no file kept");
    // The next good one is number 1 of the day.
    let good = test
        .app
        .submit_online(submission(procedure.id))
        .await
        .unwrap();
    assert!(
        good.dossier.code.ends_with("-0001"),
        "{}",
        good.dossier.code
    );
}

/// Files under `path`.
fn walk(path: &std::path::Path) -> Vec<std::path::PathBuf> {
    if path.is_dir() {
        std::fs::read_dir(path)
            .unwrap()
            .flatten()
            .flat_map(|e| walk(&e.path()))
            .collect()
    } else {
        vec![path.to_owned()]
    }
}

/// Posts the portal's online form with `files` (field, name, bytes).
fn portal_form(
    procedure_id: i64,
    fields: &[(&str, &str)],
    files: &[(&str, &str, &[u8])],
) -> Request<Body> {
    super::ui::multipart_files(
        &format!("/dich-vu-cong/thu-tuc/{procedure_id}/nop"),
        "",
        fields,
        files,
    )
}

#[tokio::test]
async fn the_portal_form_refuses_bad_uploads_with_a_message_and_keeps_what_was_typed() {
    let (test, _) = TestApp::with_demo().await;
    let stttt = test.agency_id("000.00.11.H59").await;
    let procedure = procedure(&test, stttt).await;
    let fields = [
        ("loai", "citizen"),
        ("ho_ten", "Thạch Thị Sa Rên"),
        ("email", "sa.ren@example.vn"),
        ("dien_thoai", "0912345678"),
        ("giay_to_0", "Tờ khai"),
        ("giay_to_1", "Căn cước"),
    ];
    let audit = test.audit_seq().await;
    for (files, message) in [
        (vec![("tep_0", "../../../etc/passwd", PDF)], "Tên tệp"),
        (
            vec![("tep_0", "virus.exe", b"MZ\x90\x00 program".as_slice())],
            "không được chấp nhận",
        ),
        (vec![], "ít nhất một tệp"),
    ] {
        let response = test.send(portal_form(procedure.id, &fields, &files)).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{message}"
        );
        let html = super::ui::text(response).await;
        assert!(html.contains(message), "{message}: {html}");
        assert!(
            html.contains("value=\"Thạch Thị Sa Rên\""),
            "the name is kept"
        );
    }
    let big = [PDF, &vec![b' '; 10 * 1024 * 1024]].concat();
    let response = test
        .send(portal_form(
            procedure.id,
            &fields,
            &[("tep_0", "lon.pdf", &big)],
        ))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(super::ui::text(response).await.contains("quá lớn"));
    assert_eq!(audit, test.audit_seq().await, "nothing recorded");

    // Two good files: the code is shown; the tracking page finds it.
    let response = test
        .send(portal_form(
            procedure.id,
            &fields,
            &[("tep_0", "to-khai.pdf", PDF), ("tep_1", "cccd.png", PNG)],
        ))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = super::ui::text(response).await;
    assert!(html.contains("000.00.11.H59-210405-0001"), "{html}");
    let page = test
        .send(
            Request::get("/dich-vu-cong/tra-cuu?ma=000.00.11.H59-210405-0001&lien_he=0912345678")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = super::ui::text(page).await;
    assert!(
        html.contains("Chờ xác nhận thư điện tử") || html.contains("Mới"),
        "{html}"
    );
    let stored = test
        .app
        .track("000.00.11.H59-210405-0001", "0912345678")
        .await
        .unwrap();
    assert_eq!(stored.dossier.files[1].paper, "Căn cước");
}

#[tokio::test]
async fn a_late_dossier_gets_an_apology_with_a_new_date_and_still_counts_late() {
    let (test, _) = TestApp::with_demo().await;
    let stttt = test.agency_id("000.00.11.H59").await;
    let procedure = procedure(&test, stttt).await;
    let desk = desk_officer(&test, stttt, 0).await;
    let leader = staff(&test, stttt, ("lanhdao", "Trần Lãnh Đạo"), Role::Leader).await;
    let dossier = test
        .app
        .receive_dossier(&desk, super::services::at_the_desk(procedure.id, 0))
        .await
        .unwrap();
    // Received Monday 5/4/2021 08:00: due Monday 12/4.
    assert_eq!(dossier.due_on, date!(2021 - 04 - 12));
    let apology = |promised_on| StepInput {
        action: Action::Apologise,
        note: "Chờ ý kiến của Bộ Thông tin và Truyền thông".into(),
        handler_id: None,
        promised_on,
        result_document_id: None,
    };
    invalid(
        &test
            .app
            .take_step(&leader, &dossier.code, apology(Some(date!(2021 - 04 - 20))))
            .await,
        "chưa quá hạn",
    );
    test.clock
        .advance(datetime!(2021-04-13 09:00 +7) - test.app.now());
    invalid(
        &test
            .app
            .take_step(&leader, &dossier.code, apology(Some(date!(2021 - 04 - 13))))
            .await,
        "sau hôm nay",
    );
    assert!(matches!(
        test.app
            .take_step(&desk, &dossier.code, apology(Some(date!(2021 - 04 - 16))))
            .await,
        Err(app::AppError::Forbidden)
    ));
    let sorry = test
        .app
        .take_step(&leader, &dossier.code, apology(Some(date!(2021 - 04 - 16))))
        .await
        .unwrap();
    assert_eq!(
        (sorry.due_on, sorry.promised_on),
        (date!(2021 - 04 - 12), Some(date!(2021 - 04 - 16)))
    );
    assert_eq!(sorry.appointment(), date!(2021 - 04 - 16));
    let steps = test.app.dossier_steps(&desk, &dossier.code).await.unwrap();
    assert_eq!(steps.last().unwrap().action, Action::Apologise);
    assert!(steps.last().unwrap().note.contains("Bộ Thông tin"));
}

/// The desk's form with the scans of the papers received: a scan with a
/// path for a name, of a type not taken, or of a paper not received is
/// refused with the reason and nothing is recorded; good scans are kept
/// with the paper of their row and served to the desk.
#[tokio::test]
async fn the_desk_receives_papers_with_their_scans_from_its_form() {
    let (test, _) = TestApp::with_demo().await;
    let stttt = test.agency_id("000.00.11.H59").await;
    let procedure = procedure(&test, stttt).await;
    let email = "utpt.stttt@travinh.gov.vn";
    test.set_password(email, "MotCua#2021").await;
    let session = super::ui::sign_in_as(&test, email, "MotCua#2021").await;
    let html = super::ui::get_html(&test, &session, "/app/services").await;
    assert!(html.contains("enctype=\"multipart/form-data\""));
    let csrf = super::ui::hidden(&html, "csrf");
    let id = procedure.id.to_string();
    let fields = [
        ("csrf", csrf.as_str()),
        ("procedure_id", id.as_str()),
        ("channel", "desk"),
        ("loai", "citizen"),
        ("ho_ten", "Kim Thị Sóc Phi"),
        ("dien_thoai", "0912 345 678"),
        ("giay_to_0", "Tờ khai"),
        ("so_ban_0", "1"),
        ("giay_to_1", "Căn cước"),
        ("so_ban_1", "2"),
    ];
    let post = |files: &[(&str, &str, &[u8])]| {
        super::ui::multipart_files("/app/services/dossiers", &session, &fields, files)
    };
    let audit = test.audit_seq().await;
    for (files, says) in [
        (vec![("tep_0", "..\\..\\boot.ini", PDF)], "Tên tệp"),
        (
            vec![("tep_1", "mau.exe", b"MZ\x90\x00 program".as_slice())],
            "không được chấp nhận",
        ),
        (vec![("tep_3", "thua.pdf", PDF)], "không gắn với giấy tờ"),
    ] {
        let response = test.send(post(&files)).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{says}"
        );
        let html = super::ui::text(response).await;
        assert!(html.contains(says), "{says}: {html}");
    }
    let forged = super::ui::multipart_files(
        "/app/services/dossiers",
        &session,
        &fields[1..],
        &[("tep_0", "to-khai.pdf", PDF)],
    );
    assert_eq!(test.send(forged).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(audit, test.audit_seq().await, "nothing recorded");

    let response = test
        .send(post(&[
            ("tep_0", "to-khai.pdf", PDF),
            ("tep_1", "cccd-truoc.png", PNG),
            ("tep_1", "cccd-sau.png", PNG),
        ]))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let code = location.rsplit('/').next().unwrap();
    let desk = desk_officer(&test, stttt, 0).await;
    let dossier = test.app.dossier_by_code(&desk, code).await.unwrap();
    assert_eq!(dossier.channel, Channel::Desk);
    let scans: Vec<(&str, &str)> = dossier
        .files
        .iter()
        .map(|f| (f.paper.as_str(), f.name.as_str()))
        .collect();
    assert_eq!(
        scans,
        [
            ("Tờ khai", "to-khai.pdf"),
            ("Căn cước", "cccd-truoc.png"),
            ("Căn cước", "cccd-sau.png")
        ]
    );
    let (file, bytes) = test.app.dossier_file(&desk, code, 0).await.unwrap();
    assert_eq!(
        (file.media_type, &bytes[..]),
        (domain::files::MediaType::Pdf, PDF)
    );
    let page = super::ui::get_html(&test, &session, &location).await;
    assert!(page.contains("cccd-sau.png"), "{page}");
}
