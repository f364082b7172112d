//! The mailbox registry from the requester's side: a single request
//! through its two approvals, a staff list of 1,000 Vietnamese names, a
//! malformed list refused whole, and the mail pages for each role. The
//! demo declares the mail domain (persons' addresses carry the agency's
//! suffix) and makes one of the department's staff its mail operator.

use std::collections::HashSet;

use app::mail::registry::{NewMailRequest, WantedBox};
use app::mail::staff_lists::StaffListFile;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use domain::mail::mailboxes::{MailboxKind, MailboxStatus};
use domain::mail::requests::{Decision, RequestKind, RequestStatus};
use testkit::TestApp;

use crate::ui::{form, get_html, hidden, multipart_files, sign_in_as, text};

use testkit::PASSWORD;
const DOMAIN: &str = "travinh.gov.vn";
const STTTT: &str = "000.00.11.H59";
const CLERK: &str = "nhunglth.stttt@travinh.gov.vn";
const DIRECTOR: &str = "khoatm.stttt@travinh.gov.vn";
const DEPUTY: &str = "thanhnn.stttt@travinh.gov.vn";
const SPECIALIST: &str = "phiepts.stttt@travinh.gov.vn";
const OPERATOR: &str = "hanstn.stttt@travinh.gov.vn";

/// How many boxes and requests there are.
async fn counts(test: &TestApp) -> (usize, usize) {
    let tx = test.app.store.read().await.unwrap();
    let boxes = tx
        .mailboxes(&app::mail::browse::MailboxFilter::default(), u64::MAX)
        .await
        .unwrap()
        .len();
    let requests = tx.mail_requests(None, &[], u64::MAX).await.unwrap().len();
    (boxes, requests)
}

#[tokio::test]
async fn a_single_request_takes_the_head_then_the_department() {
    let (test, _) = TestApp::with_demo().await;
    let stttt = test.agency_id(STTTT).await;
    let clerk = test.ctx_of(CLERK).await;
    let deputy = test.ctx_of(DEPUTY).await;
    let operator = test.ctx_of(OPERATOR).await;
    let specialist = test.ctx_of(SPECIALIST).await;
    let new = || NewMailRequest {
        agency_id: stttt,
        kind: RequestKind::Single,
        note: "Cán bộ mới".into(),
        boxes: vec![WantedBox {
            kind: MailboxKind::Person,
            agency_id: stttt,
            person_id: None,
            full_name: "Huỳnh Thị Ngọc Lan".into(),
        }],
    };
    assert!(matches!(
        test.app.submit_mail_request(&specialist, new()).await,
        Err(app::AppError::Forbidden)
    ));
    let (request, boxes) = test.app.submit_mail_request(&clerk, new()).await.unwrap();
    assert_eq!(boxes[0].address, "lanhtn.stttt@travinh.gov.vn");
    assert_eq!(boxes[0].status, MailboxStatus::Requested);

    // Out of turn: the department cannot approve before the head.
    let refused = test
        .app
        .decide_mail_request(&operator, request.id, Decision::Approve)
        .await;
    assert!(refused.is_err(), "{refused:?}");
    // The head's approval, once; then the department's.
    let head = test
        .app
        .decide_mail_request(&deputy, request.id, Decision::Approve)
        .await
        .unwrap();
    assert_eq!(head.status, RequestStatus::AgencyApproved);
    assert!(
        test.app
            .decide_mail_request(&deputy, request.id, Decision::Approve)
            .await
            .is_err()
    );
    let done = test
        .app
        .decide_mail_request(&operator, request.id, Decision::Approve)
        .await
        .unwrap();
    assert_eq!(done.status, RequestStatus::Approved);
    let (b, history) = test.app.mailbox_page(&clerk, boxes[0].id).await.unwrap();
    assert_eq!(b.status, MailboxStatus::Approved);
    assert_eq!(
        history
            .iter()
            .map(|e| e.action.as_str())
            .collect::<Vec<_>>(),
        ["requested", "approved"]
    );

    // A leader who files a request may not approve it; a refusal needs a
    // reason and closes the boxes.
    let own = test.ctx_of(DIRECTOR).await;
    let (second, boxes) = test.app.submit_mail_request(&own, new()).await.unwrap();
    assert_eq!(
        boxes[0].address, "lanhtn2.stttt@travinh.gov.vn",
        "the address given before is numbered past"
    );
    let err = test
        .app
        .decide_mail_request(&own, second.id, Decision::Approve)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("không tự duyệt"), "{err}");
    let err = test
        .app
        .decide_mail_request(&deputy, second.id, Decision::Reject("  ".into()))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("lý do"), "{err}");
    let rejected = test
        .app
        .decide_mail_request(&deputy, second.id, Decision::Reject("Đã có hộp thư".into()))
        .await
        .unwrap();
    assert_eq!(rejected.status, RequestStatus::Rejected);
    let (closed, _) = test.app.mailbox_page(&clerk, boxes[0].id).await.unwrap();
    assert_eq!(closed.status, MailboxStatus::Closed);

    // A staff list's person is linked to their account when the name is
    // one person's; the holder alone (or an operator) sets the password,
    // under the staff's rules.
    let phiep = test.app.person_by_email(SPECIALIST).await.unwrap();
    let list = "Họ và tên;Đơn vị\nTHẠCH SÔ PHIẾP;CNTT\n";
    let rows = test
        .app
        .plan_staff_list(&clerk, stttt, file(list.as_bytes()))
        .await
        .unwrap();
    assert_eq!(rows[0].planned.wanted.person_id, Some(phiep.id));
    let (_, boxes) = test
        .app
        .submit_staff_list(&clerk, stttt, file(list.as_bytes()), "")
        .await
        .unwrap();
    let id = boxes[0].id;
    assert!(matches!(
        test.app
            .set_mailbox_password(&clerk, id, "HopThu#2021xy")
            .await,
        Err(app::AppError::Forbidden)
    ));
    assert!(
        test.app
            .set_mailbox_password(&specialist, id, "ngan")
            .await
            .is_err()
    );
    test.app
        .set_mailbox_password(&specialist, id, "HopThu#2021xy")
        .await
        .unwrap();
    // The box the demo gave him before egov kept the registry, and this one.
    assert_eq!(test.app.my_mailboxes(&specialist).await.unwrap().len(), 2);
}

const FAMILIES: [&str; 16] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý",
    "Thạch", "Kim", "Sơn",
];
const MIDDLES: [&str; 9] = [
    "Văn",
    "Thị",
    "Ngọc",
    "Minh",
    "Thanh",
    "Hoàng",
    "Quốc",
    "Thị Ngọc",
    "Văn Minh",
];
const GIVENS: [&str; 13] = [
    "Thành",
    "An",
    "Bình",
    "Hùng",
    "Lan",
    "Hoa",
    "Tuấn",
    "Sa Rinh",
    "Dũng",
    "Hạnh",
    "Phước",
    "Sô Phiếp",
    "Út",
];

/// The `i`-th name of the generated staff list: the same every run.
fn name(i: usize) -> String {
    format!(
        "{} {} {}",
        FAMILIES[i % FAMILIES.len()],
        MIDDLES[(i / 3) % MIDDLES.len()],
        GIVENS[(i * 7 + i / 5) % GIVENS.len()]
    )
}

/// The rule, written again: the given name, then the initials of the
/// other words, folded to ASCII.
fn stem(full_name: &str) -> String {
    let words: Vec<String> = full_name
        .split_whitespace()
        .map(vn::text::ascii_alnum)
        .collect();
    let (given, others) = words.split_last().unwrap();
    let initials: String = others.iter().filter_map(|w| w.chars().next()).collect();
    format!("{given}{initials}")
}

fn file(bytes: &[u8]) -> StaffListFile<'_> {
    StaffListFile {
        bytes,
        name: "ds.csv",
    }
}

#[tokio::test]
async fn a_staff_list_of_a_thousand_names_follows_the_rule() {
    let (test, _) = TestApp::with_demo().await;
    let stttt = test.agency_id(STTTT).await;
    let clerk = test.ctx_of(CLERK).await;
    // Addresses given before the list: the list must avoid them.
    let earlier = "Họ và tên\nNguyễn Văn Thành\nTrần Thị An\nThạch Văn Sa Rinh\n";
    let (_, given) = test
        .app
        .submit_staff_list(&clerk, stttt, file(earlier.as_bytes()), "")
        .await
        .unwrap();
    let given: HashSet<String> = given.into_iter().map(|b| b.address).collect();
    assert!(given.contains("rinhtvs.stttt@travinh.gov.vn"), "{given:?}");

    let rows = (0..1000).map(|i| {
        let unit = if i % 4 == 0 { "VP" } else { "" };
        format!("{};{};Chuyên viên;{unit};0294 38{i:05}\n", i + 1, name(i))
    });
    let csv: String = std::iter::once("STT;Họ và tên;Chức vụ;Đơn vị;Điện thoại\n".to_owned())
        .chain(rows)
        .collect();
    let preview = test
        .app
        .plan_staff_list(&clerk, stttt, file(csv.as_bytes()))
        .await
        .unwrap();
    assert_eq!(preview.len(), 1000);
    assert_eq!(preview[0].entry.row, 2);
    assert!(
        preview.iter().any(
            |r| r.planned.address.as_ref().unwrap().collided_with.as_deref()
                == Some("thanhnv.stttt@travinh.gov.vn")
        ),
        "a collision with an address given before is shown"
    );
    let before = counts(&test).await;
    let (request, boxes) = test
        .app
        .submit_staff_list(&clerk, stttt, file(csv.as_bytes()), "Tuyển dụng 2021")
        .await
        .unwrap();
    assert_eq!(request.kind, RequestKind::Bulk);
    assert_eq!(boxes.len(), 1000);
    assert_eq!(counts(&test).await, (before.0 + 1000, before.1 + 1));
    let mut seen = HashSet::new();
    for (i, b) in boxes.iter().enumerate() {
        let (local, domain) = b.address.split_once('@').unwrap();
        assert_eq!(domain, DOMAIN);
        assert!(
            b.address
                .bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || b".@".contains(&c)),
            "{}",
            b.address
        );
        let (numbered, suffix) = local.split_once('.').unwrap();
        assert_eq!(suffix, "stttt", "a unit's staff carry the agency's suffix");
        let stem = stem(&name(i));
        let number = numbered
            .strip_prefix(&stem)
            .unwrap_or_else(|| panic!("{} for {} does not start with {stem}", b.address, name(i)));
        assert!(
            number.is_empty() || number.parse::<u32>().is_ok_and(|n| n >= 2),
            "{}",
            b.address
        );
        assert!(seen.insert(b.address.clone()), "{} twice", b.address);
        assert!(!given.contains(&b.address), "{} was given", b.address);
        assert_eq!(b.display_name, name(i));
    }
    assert!(seen.len() == 1000 && seen.iter().any(|a| a.starts_with("thanhnv2.")));
}

#[tokio::test]
async fn a_malformed_staff_list_names_every_row_and_creates_nothing() {
    let (test, _) = TestApp::with_demo().await;
    let stttt = test.agency_id(STTTT).await;
    let clerk = test.ctx_of(CLERK).await;
    let before = counts(&test).await;
    let list = "Họ và tên,Chức vụ,Đơn vị,Loại\n\
                Nguyễn Văn An,Chuyên viên,,\n\
                ,Chuyên viên,,\n\
                Lê Thị Hoa,Chuyên viên,Phòng Không Có,\n\
                Nguyễn Văn An,Chuyên viên,,\n\
                Trần Văn Bình,Chuyên viên,,nhân viên\n\
                阮文,Chuyên viên,,\n";
    let err = test
        .app
        .submit_staff_list(&clerk, stttt, file(list.as_bytes()), "")
        .await
        .unwrap_err();
    let message = err.to_string();
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(lines.len(), 5, "{message}");
    for (line, row) in lines.iter().zip([3, 4, 5, 6, 7]) {
        assert!(line.starts_with(&format!("Dòng {row}: ")), "{message}");
    }
    assert!(lines[1].contains("Phòng Không Có"), "{message}");
    assert!(lines[2].contains("trùng với dòng 2"), "{message}");
    assert_eq!(counts(&test).await, before, "nothing is created");
    let not_a_list = test
        .app
        .plan_staff_list(
            &clerk,
            stttt,
            StaffListFile {
                bytes: b"%PDF-1.7\n\xff\xfe",
                name: "ds.pdf",
            },
        )
        .await
        .unwrap_err();
    assert!(not_a_list.to_string().contains("«ds.pdf»"), "{not_a_list}");
}

async fn status_of(test: &TestApp, session: &str, path: &str) -> StatusCode {
    test.send(
        Request::get(path)
            .header(header::COOKIE, session)
            .body(Body::empty())
            .unwrap(),
    )
    .await
    .status()
}

#[tokio::test]
async fn the_pages_answer_each_role_and_the_list_is_previewed_then_filed() {
    let (test, _) = TestApp::with_demo().await;
    let mut sessions = Vec::new();
    for email in [CLERK, DEPUTY, OPERATOR, SPECIALIST] {
        test.set_password(email, PASSWORD).await;
        sessions.push(sign_in_as(&test, email, PASSWORD).await);
    }
    let [clerk, deputy, operator, specialist] =
        [&sessions[0], &sessions[1], &sessions[2], &sessions[3]];

    // A specialist has their own boxes, the unit's list and figures, not
    // the request forms.
    let home = get_html(&test, specialist, "/app").await;
    assert!(home.contains("href=\"/app/mail/mine\""), "{home}");
    for path in [
        "/app/mail/mine",
        "/app/mail",
        "/app/mail/requests",
        "/app/mail/figures",
    ] {
        assert_eq!(
            status_of(&test, specialist, path).await,
            StatusCode::OK,
            "{path}"
        );
    }
    for path in ["/app/mail/requests/new", "/app/mail/requests/bulk"] {
        assert_eq!(
            status_of(&test, specialist, path).await,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let clerk_home = get_html(&test, clerk, "/app").await;
    assert!(clerk_home.contains(">Thư điện tử<"), "{clerk_home}");
    let template = test
        .send(
            Request::get("/app/mail/requests/bulk/mau.csv")
                .header(header::COOKIE, clerk.as_str())
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(template.status(), StatusCode::OK);
    assert!(
        text(template)
            .await
            .contains("Họ và tên,Chức vụ,Đơn vị,Loại")
    );

    // The clerk uploads a list: the preview shows a collision and
    // creates nothing; a wrong list shows its rows.
    let html = get_html(&test, clerk, "/app/mail/requests/bulk").await;
    let csrf = hidden(&html, "csrf");
    let stttt = test.agency_id(STTTT).await.to_string();
    let list = "Họ và tên;Chức vụ\nNguyễn Văn An;Chuyên viên\nNgô Văn An;Chuyên viên\n";
    let before = counts(&test).await;
    let preview = test
        .send(multipart_files(
            "/app/mail/requests/bulk",
            clerk,
            &[("csrf", &csrf), ("agency", &stttt), ("note", "Tuyển dụng")],
            &[("list", "ds.csv", list.as_bytes())],
        ))
        .await;
    assert_eq!(preview.status(), StatusCode::OK);
    let preview = text(preview).await;
    assert!(preview.contains("annv.stttt@travinh.gov.vn"), "{preview}");
    assert!(
        preview.contains("trùng với annv.stttt@travinh.gov.vn → đánh số"),
        "{preview}"
    );
    assert!(preview.contains("annv2.stttt@travinh.gov.vn"), "{preview}");
    assert_eq!(counts(&test).await, before, "the preview creates nothing");
    let wrong = test
        .send(multipart_files(
            "/app/mail/requests/bulk",
            clerk,
            &[("csrf", &csrf), ("agency", &stttt)],
            &[("list", "ds.csv", "Họ và tên,Loại\n,\nAn,khác\n".as_bytes())],
        ))
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let wrong = text(wrong).await;
    assert!(
        wrong.contains("Dòng 3: loại «khác» không hợp lệ"),
        "{wrong}"
    );

    // Confirmed, it files the request that the head then approves.
    let filed = test
        .send(multipart_files(
            "/app/mail/requests/bulk/confirm",
            clerk,
            &[
                ("csrf", &csrf),
                ("agency", &stttt),
                ("note", &hidden(&preview, "note")),
                ("file_name", &hidden(&preview, "file_name")),
                ("content", &hidden(&preview, "content")),
            ],
            &[],
        ))
        .await;
    assert_eq!(filed.status(), StatusCode::SEE_OTHER);
    let request_page = filed.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(counts(&test).await, (before.0 + 2, before.1 + 1));
    let page = get_html(&test, clerk, &request_page).await;
    assert!(page.contains("annv2.stttt@travinh.gov.vn"), "{page}");
    assert!(!page.contains("name=\"decision\""), "not the clerk's turn");
    let page = get_html(&test, deputy, &request_page).await;
    assert!(page.contains("name=\"decision\""), "the head's turn");
    let body = serde_urlencoded::to_string([
        ("csrf", hidden(&page, "csrf").as_str()),
        ("decision", "approve"),
    ])
    .unwrap();
    let decided = test
        .send(form(&format!("{request_page}/decision"), deputy, body))
        .await;
    assert_eq!(decided.status(), StatusCode::SEE_OTHER);
    let page = get_html(&test, operator, &request_page).await;
    assert!(page.contains("Chờ Sở duyệt"), "{page}");
    assert!(page.contains("name=\"decision\""), "the department's turn");

    // The operator's box page has the actions; the specialist of another
    // unit may see it, not act on it.
    let id = {
        let tx = test.app.store.read().await.unwrap();
        tx.mailbox_by_address("annv.stttt@travinh.gov.vn")
            .await
            .unwrap()
            .unwrap()
            .id
    };
    let box_page = get_html(&test, operator, &format!("/app/mail/boxes/{id}")).await;
    assert!(box_page.contains("Cấp lại mật khẩu"), "{box_page}");
    assert_eq!(
        status_of(&test, specialist, &format!("/app/mail/boxes/{id}")).await,
        StatusCode::FORBIDDEN,
        "a box of another unit's agency"
    );
    let mine = get_html(&test, specialist, "/app/mail/mine").await;
    let reset = test
        .send(form(
            &format!("/app/mail/boxes/{id}/password/reset"),
            specialist,
            serde_urlencoded::to_string([("csrf", hidden(&mine, "csrf").as_str())]).unwrap(),
        ))
        .await;
    assert_eq!(reset.status(), StatusCode::FORBIDDEN);
    let reset = test
        .send(form(
            &format!("/app/mail/boxes/{id}/password/reset"),
            operator,
            serde_urlencoded::to_string([("csrf", hidden(&box_page, "csrf").as_str())]).unwrap(),
        ))
        .await;
    assert_eq!(reset.status(), StatusCode::OK);
    assert!(text(reset).await.contains("id=\"mat-khau-moi\""));
    let figures = get_html(&test, operator, "/app/mail/figures").await;
    assert!(figures.contains("Tổng cộng"), "{figures}");
    let list = get_html(&test, operator, "/app/mail?q=annv").await;
    assert!(list.contains("2 hộp thư"), "{list}");
}

#[tokio::test]
async fn a_box_belongs_to_the_requesting_agency_or_its_units_not_above() {
    let (test, _) = TestApp::with_demo().await;
    let clerk = test.ctx_of(CLERK).await;
    let stttt = test.agency_id(STTTT).await;
    let before = counts(&test).await;
    for (agency, kind) in [
        ("000.00.00.H59", MailboxKind::Agency),
        ("000.00.12.H59", MailboxKind::Agency),
    ] {
        let refused = test
            .app
            .submit_mail_request(
                &clerk,
                NewMailRequest {
                    agency_id: stttt,
                    kind: RequestKind::Single,
                    note: String::new(),
                    boxes: vec![WantedBox {
                        kind,
                        agency_id: test.agency_id(agency).await,
                        person_id: None,
                        full_name: String::new(),
                    }],
                },
            )
            .await
            .unwrap_err();
        assert!(
            refused.to_string().contains("không thuộc cơ quan đề nghị"),
            "{agency}: {refused}"
        );
    }
    assert_eq!(counts(&test).await, before, "nothing is created");
}
