//! Citizen accounts on the portal (issue 8, item 2): a citizen registers,
//! confirms from the e-mailed link, signs in and submits a dossier that
//! goes straight to the desk, linked to the account and listed among its
//! dossiers; wrong passwords lock the account as they lock the staff's;
//! pending accounts, used and expired links and taken e-mails are refused
//! and store nothing; staff and portal sessions never open each other's
//! pages. Beyond sign-up: a forgotten password reset from the mailed link
//! (once, within the hour, one mail per five minutes, the same answer for
//! any address), the account page's contacts and password under the
//! session's token, and the staff's dossier page naming the account.

use app::AppError;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use base64::Engine;
use domain::mail::outbox::About;
use domain::services::accounts::Registration;
use domain::services::{Action, ApplicantKind, Stage};
use testkit::TestApp;
use time::Duration;

use super::services::{PASSWORD as STAFF_PASSWORD, at_the_desk, desk_officer, procedure};
use super::ui::{form, hidden, sign_in_as, text};

const PASSWORD: &str = "Mật-khẩu-2021";
const EMAIL: &str = "sa.ren@example.vn";
const PDF: &[u8] =
    b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

fn registration(email: &str) -> Registration {
    Registration {
        kind: ApplicantKind::Citizen,
        full_name: "Thạch Thị Sa Rên".into(),
        email: email.into(),
        phone: "0912 345 678".into(),
        citizen_id: "084123456789".into(),
        address: "Ấp Bến Có, xã Nguyệt Hóa".into(),
    }
}

/// The cookie `name=value` a response sets, and the whole header.
fn set_cookie(response: &axum::response::Response, name: &str) -> Option<(String, String)> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| {
            (
                v.split(';').next().unwrap_or_default().to_owned(),
                v.to_owned(),
            )
        })
}

/// Opens a portal form page; returns its double-submit cookie and token.
async fn form_token(test: &TestApp, path: &str) -> (String, String) {
    let page = test.send(get(path, "")).await;
    assert_eq!(page.status(), StatusCode::OK, "{path}");
    let (cookie, _) = set_cookie(&page, web::PORTAL_CSRF_COOKIE).unwrap();
    (cookie, hidden(&text(page).await, "csrf"))
}

fn get(path: &str, cookies: &str) -> Request<Body> {
    Request::get(path)
        .header(header::COOKIE, cookies)
        .body(Body::empty())
        .unwrap()
}

/// The token of the confirmation link in the latest mail to `account`.
async fn token_in_mail(test: &TestApp, account: i64) -> String {
    let mail = test
        .app
        .store
        .read()
        .await
        .unwrap()
        .mail_about(&About::Account(account))
        .await
        .unwrap();
    link_token(&mail.last().unwrap().mail.body)
}

fn link_token(body: &str) -> String {
    token_after(body, "xac-nhan-tai-khoan?t=")
}

/// The 64 hex digits of the token following `marker` in a letter.
fn token_after(body: &str, marker: &str) -> String {
    let start = body.find(marker).expect("a link") + marker.len();
    body[start..start + 64].to_owned()
}

/// The letter inside a message of the pickup folder (base64 text).
fn letter_in(message: &str) -> String {
    let encoded: String = message
        .split("\r\n\r\n")
        .nth(1)
        .unwrap()
        .split("\r\n")
        .collect();
    let letter = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .unwrap();
    String::from_utf8(letter).unwrap()
}

/// The names of the messages in the pickup folder, sorted.
fn picked_up(folder: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Posts the sign-in form; returns the answer.
async fn sign_in(test: &TestApp, email: &str, password: &str) -> axum::response::Response {
    let (cookie, csrf) = form_token(test, "/dich-vu-cong/dang-nhap").await;
    let body = serde_urlencoded::to_string([
        ("csrf", csrf.as_str()),
        ("email", email),
        ("mat_khau", password),
        ("next", "/dich-vu-cong/ho-so-cua-toi"),
    ])
    .unwrap();
    test.send(form("/dich-vu-cong/dang-nhap", &cookie, body))
        .await
}

/// Posts the online form of `procedure_id` with one PDF and `fields`.
fn submission(procedure_id: i64, cookie: &str, fields: &[(&str, &str)]) -> Request<Body> {
    super::ui::multipart_files(
        &format!("/dich-vu-cong/thu-tuc/{procedure_id}/nop"),
        cookie,
        fields,
        &[("tep_0", "to-khai.pdf", PDF)],
    )
}

#[tokio::test]
async fn a_citizen_registers_confirms_signs_in_and_submits_straight_to_the_desk() {
    let (test, pickup) = super::services_online::portal_with_pickup().await;
    let folder = pickup.path().to_owned();
    test.app.load_demo(|_, _| {}).await.unwrap();
    let stttt = test.agency_id("000.00.11.H59").await;
    let procedure = procedure(&test, stttt).await;

    // Registering: the confirmation goes to the pickup folder.
    let (cookie, csrf) = form_token(&test, "/dich-vu-cong/dang-ky").await;
    let fields = [
        ("csrf", csrf.as_str()),
        ("loai", "citizen"),
        ("ho_ten", "Thạch Thị Sa Rên"),
        ("email", "Sa.Ren@Example.VN"),
        ("dien_thoai", "0912 345 678"),
        ("cccd", "084123456789"),
        ("dia_chi", "Ấp Bến Có"),
        ("mat_khau", PASSWORD),
        ("nhap_lai", PASSWORD),
    ];
    let body = serde_urlencoded::to_string(fields).unwrap();
    let response = test
        .send(form("/dich-vu-cong/dang-ky", &cookie, body))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(text(response).await.contains("Đã đăng ký tài khoản"));
    let message = std::fs::read_to_string(folder.join("mail-1.eml")).unwrap();
    assert!(message.contains(&format!("To: {EMAIL}\r\n")), "{message}");
    let letter = letter_in(&message);
    assert!(
        letter.contains("https://dichvucong.travinh.gov.vn/dich-vu-cong/xac-nhan-tai-khoan?t=")
    );
    let token = link_token(&letter);

    // Not yet confirmed: the right password does not sign in.
    let refused = sign_in(&test, EMAIL, PASSWORD).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(refused).await.contains("chưa được xác nhận"));

    // The link opens a page whose button confirms, once.
    let page = test
        .send(get(
            &format!("/dich-vu-cong/xac-nhan-tai-khoan?t={token}"),
            "",
        ))
        .await;
    assert_eq!(hidden(&text(page).await, "t"), token);
    let confirm = || form("/dich-vu-cong/xac-nhan-tai-khoan", "", format!("t={token}"));
    let confirmed = test.send(confirm()).await;
    assert_eq!(confirmed.status(), StatusCode::OK);
    assert!(text(confirmed).await.contains("đã được kích hoạt"));
    let again = test.send(confirm()).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(again).await.contains("đã dùng hoặc đã hết hạn"));

    // Signing in sets the portal's own cookie.
    let response = sign_in(&test, EMAIL, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()[header::LOCATION],
        "/dich-vu-cong/ho-so-cua-toi"
    );
    let (session, whole) = set_cookie(&response, web::PORTAL_SESSION_COOKIE).unwrap();
    for flag in ["HttpOnly", "SameSite=Lax", "Secure"] {
        assert!(whole.contains(flag), "{whole}");
    }

    // The form is prefilled and locked; the guest's notice is gone.
    let html = text(
        test.send(get(
            &format!("/dich-vu-cong/thu-tuc/{}", procedure.id),
            &session,
        ))
        .await,
    )
    .await;
    assert!(html.contains("value=\"Thạch Thị Sa Rên\" required autocomplete=\"name\" readonly"));
    assert!(!html.contains("Đăng nhập để nộp không cần xác nhận thư"));
    let csrf = hidden(&html, "csrf");
    let guest = text(
        test.send(get(&format!("/dich-vu-cong/thu-tuc/{}", procedure.id), ""))
            .await,
    )
    .await;
    assert!(guest.contains("Đăng nhập để nộp không cần xác nhận thư"));

    // Without the session's token the form is refused and stores nothing.
    let audit = test.audit_seq().await;
    let forged = test
        .send(submission(
            procedure.id,
            &session,
            &[("giay_to_0", "Tờ khai")],
        ))
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(test.audit_seq().await, audit, "nothing recorded");

    // With it: the account's name, not the form's, and straight to Checking.
    let response = test
        .send(submission(
            procedure.id,
            &session,
            &[
                ("csrf", &csrf),
                ("ho_ten", "Người Khác"),
                ("email", "khac@example.vn"),
                ("giay_to_0", "Tờ khai"),
            ],
        ))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = text(response).await;
    assert!(html.contains("chuyển đến Bộ phận tiếp nhận"), "{html}");
    let code = html
        .split("id=\"ma-ho-so\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    let read = test.app.store.read().await.unwrap();
    let dossier = read.dossier_by_code(&code).await.unwrap().unwrap();
    assert_eq!(dossier.stage, Stage::Checking);
    assert_eq!(dossier.applicant.name, "Thạch Thị Sa Rên");
    assert_eq!(dossier.applicant.email.as_deref(), Some(EMAIL));
    assert_eq!(dossier.files.len(), 1);
    let account = read.account_by_email(EMAIL).await.unwrap().unwrap().account;
    assert_eq!(
        read.dossier_account(dossier.id).await.unwrap(),
        Some(account.id)
    );
    let steps: Vec<Action> = read
        .dossier_steps(dossier.id)
        .await
        .unwrap()
        .iter()
        .map(|s| s.action)
        .collect();
    assert_eq!(steps, [Action::Submit, Action::Confirm]);
    // No confirmation link was e-mailed for it.
    assert!(
        read.mail_about(&About::Dossier(dossier.id))
            .await
            .unwrap()
            .is_empty()
    );
    // The portal's records: the new dossier, then its confirmation.
    assert_eq!(read.outbox_of_dossier(dossier.id).await.unwrap().len(), 3);
    drop(read);

    // Listed among the account's dossiers, with a link to tracking.
    let mine = test
        .send(get("/dich-vu-cong/ho-so-cua-toi", &session))
        .await;
    assert_eq!(mine.status(), StatusCode::OK);
    let html = text(mine).await;
    assert!(
        html.contains(&code) && html.contains(&procedure.name),
        "{html}"
    );
    assert!(html.contains("Chờ kiểm tra, tiếp nhận"));
    assert!(html.contains(&format!(
        "/dich-vu-cong/tra-cuu?ma={code}&#38;lien_he=sa.ren%40example.vn"
    )));

    // Signing out ends the session.
    let csrf = hidden(&html, "csrf");
    let out = test
        .send(form(
            "/dich-vu-cong/dang-xuat",
            &session,
            format!("csrf={csrf}"),
        ))
        .await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let after = test
        .send(get("/dich-vu-cong/ho-so-cua-toi", &session))
        .await;
    assert_eq!(after.status(), StatusCode::SEE_OTHER);
    assert!(
        after.headers()[header::LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/dich-vu-cong/dang-nhap")
    );
}

/// Registers and confirms an account through the app; returns its id.
async fn active_account(test: &TestApp, email: &str) -> i64 {
    let account = test
        .app
        .register_account(registration(email), PASSWORD, None)
        .await
        .unwrap();
    let token = token_in_mail(test, account.id).await;
    test.app.confirm_account(&token, None).await.unwrap();
    account.id
}

#[tokio::test]
async fn wrong_passwords_lock_an_account_as_they_lock_the_staff() {
    let test = TestApp::new().await;
    active_account(&test, EMAIL).await;
    let limit = test.app.config.auth.max_failures;
    for attempt in 1..limit {
        assert!(
            matches!(
                test.app.account_login(EMAIL, "Sai-mật-khẩu-1", None).await,
                Err(AppError::BadCredentials)
            ),
            "attempt {attempt}"
        );
    }
    assert!(matches!(
        test.app.account_login(EMAIL, "Sai-mật-khẩu-1", None).await,
        Err(AppError::Locked)
    ));
    // Locked: even the right password is refused, on the form too.
    assert!(matches!(
        test.app.account_login(EMAIL, PASSWORD, None).await,
        Err(AppError::Locked)
    ));
    let page = sign_in(&test, EMAIL, PASSWORD).await;
    assert_eq!(page.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(page).await.contains("bị khóa"));
    // The lock runs out.
    let minutes = i64::from(test.app.config.auth.lock_minutes);
    test.clock.advance(Duration::minutes(minutes + 1));
    let new = test.app.account_login(EMAIL, PASSWORD, None).await.unwrap();
    assert!(test.app.account_signed_in(&new.token).await.is_ok());
}

#[tokio::test]
async fn confirmation_links_work_once_and_expire() {
    let test = TestApp::new().await;
    // Expired after 24 hours: refused, and the account stays pending.
    let late = test
        .app
        .register_account(registration("muon@example.vn"), PASSWORD, None)
        .await
        .unwrap();
    let token = token_in_mail(&test, late.id).await;
    test.clock.advance(Duration::hours(24));
    let audit = test.audit_seq().await;
    assert!(matches!(
        test.app.confirm_account(&token, None).await,
        Err(AppError::Invalid(m)) if m.contains("hết hạn")
    ));
    assert_eq!(test.audit_seq().await, audit);
    assert!(matches!(
        test.app.account_login("muon@example.vn", PASSWORD, None).await,
        Err(AppError::Invalid(m)) if m.contains("chưa được xác nhận")
    ));

    // Registering the address again replaces the pending account: the new
    // link and password work, the old link still does not.
    let again = test
        .app
        .register_account(registration("muon@example.vn"), "Mật-khẩu-mới-2", None)
        .await
        .unwrap();
    assert_eq!(again.id, late.id);
    assert!(test.app.confirm_account(&token, None).await.is_err());
    let fresh = token_in_mail(&test, late.id).await;
    test.app.confirm_account(&fresh, None).await.unwrap();
    assert!(matches!(
        test.app
            .account_login("muon@example.vn", PASSWORD, None)
            .await,
        Err(AppError::BadCredentials)
    ));
    assert!(
        test.app
            .account_login("muon@example.vn", "Mật-khẩu-mới-2", None)
            .await
            .is_ok()
    );

    // In time: works once; a made-up token never.
    let id = active_account(&test, EMAIL).await;
    let token = token_in_mail(&test, id).await;
    assert!(test.app.confirm_account(&token, None).await.is_err());
    assert!(
        test.app
            .confirm_account(&"0".repeat(64), None)
            .await
            .is_err()
    );
    assert!(test.app.account_login(EMAIL, PASSWORD, None).await.is_ok());
}

#[tokio::test]
async fn a_taken_email_or_a_broken_rule_is_refused_and_stores_nothing() {
    let test = TestApp::new().await;
    let first = test
        .app
        .register_account(registration(EMAIL), PASSWORD, None)
        .await
        .unwrap();
    let audit = test.audit_seq().await;
    // Pending with a live link: the holder is sent to their mail.
    let waiting = test
        .app
        .register_account(registration(EMAIL), PASSWORD, None)
        .await;
    assert!(
        matches!(&waiting, Err(AppError::Conflict(m)) if m.contains("đang chờ xác nhận")),
        "{waiting:?}"
    );
    assert_eq!(test.audit_seq().await, audit, "nothing recorded");
    let token = token_in_mail(&test, first.id).await;
    test.app.confirm_account(&token, None).await.unwrap();
    let audit = test.audit_seq().await;
    let again = test
        .app
        .register_account(registration(" SA.REN@example.vn "), "Khác-mật-khẩu-9", None)
        .await;
    assert!(
        matches!(&again, Err(AppError::Conflict(m)) if m.contains("đã được dùng cho một tài khoản khác")),
        "{again:?}"
    );
    for (wrong, password, message) in [
        (
            Registration {
                citizen_id: "12345".into(),
                ..registration("khac@example.vn")
            },
            PASSWORD,
            "12 chữ số",
        ),
        (registration("khac@example.vn"), "ngan", "ít nhất 9 ký tự"),
        (
            Registration {
                phone: String::new(),
                ..registration("khac@example.vn")
            },
            PASSWORD,
            "số điện thoại",
        ),
    ] {
        assert!(
            matches!(
                test.app.register_account(wrong, password, None).await,
                Err(AppError::Invalid(m)) if m.contains(message)
            ),
            "{message}"
        );
    }
    assert_eq!(test.audit_seq().await, audit, "nothing recorded");
    let read = test.app.store.read().await.unwrap();
    assert_eq!(
        read.mail_about(&About::Account(first.id))
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(
        read.account_by_email("khac@example.vn")
            .await
            .unwrap()
            .is_none()
    );
    drop(read);

    // On the form: the message, and what was typed kept.
    let (cookie, csrf) = form_token(&test, "/dich-vu-cong/dang-ky").await;
    let body = serde_urlencoded::to_string([
        ("csrf", csrf.as_str()),
        ("ho_ten", "Thạch Thị Sa Rên"),
        ("email", EMAIL),
        ("dien_thoai", "0912345678"),
        ("mat_khau", PASSWORD),
        ("nhap_lai", PASSWORD),
    ])
    .unwrap();
    let response = test
        .send(form("/dich-vu-cong/dang-ky", &cookie, body))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(response).await;
    assert!(
        html.contains("đã được dùng cho một tài khoản khác"),
        "{html}"
    );
    assert!(html.contains("value=\"Thạch Thị Sa Rên\""));
    // Without the form's token nothing is even tried.
    let body = format!("email={EMAIL}");
    let forged = test.send(form("/dich-vu-cong/dang-ky", "", body)).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(test.audit_seq().await, audit, "nothing recorded");
}

#[tokio::test]
async fn staff_and_portal_sessions_never_open_each_others_pages() {
    let (test, password) = TestApp::with_demo().await;
    let staff = sign_in_as(&test, "quantri@travinh.gov.vn", &password).await;
    let staff_token = staff.split_once('=').unwrap().1.to_owned();
    active_account(&test, EMAIL).await;
    let citizen = test.app.account_login(EMAIL, PASSWORD, None).await.unwrap();

    let to_portal_login = |response: &axum::response::Response| {
        response.status() == StatusCode::SEE_OTHER
            && response.headers()[header::LOCATION]
                .to_str()
                .unwrap()
                .starts_with("/dich-vu-cong/dang-nhap")
    };
    let to_staff_login = |response: &axum::response::Response| {
        response.status() == StatusCode::SEE_OTHER
            && response.headers()[header::LOCATION]
                .to_str()
                .unwrap()
                .starts_with("/app/login")
    };
    let portal = web::PORTAL_SESSION_COOKIE;
    let mine = "/dich-vu-cong/ho-so-cua-toi";
    // The staff cookie, as it is and under the portal's name.
    assert!(to_portal_login(&test.send(get(mine, &staff)).await));
    let renamed = format!("{portal}={staff_token}");
    assert!(to_portal_login(&test.send(get(mine, &renamed)).await));
    // The citizen's cookie, as it is and under the staff's name.
    let own = format!("{portal}={}", citizen.token);
    assert_eq!(test.send(get(mine, &own)).await.status(), StatusCode::OK);
    assert!(to_staff_login(&test.send(get("/app", &own)).await));
    let renamed = format!("{}={}", web::SESSION_COOKIE, citizen.token);
    assert!(to_staff_login(&test.send(get("/app", &renamed)).await));
    assert!(test.app.signed_in(&citizen.token).await.is_err());
    assert!(test.app.account_signed_in(&staff_token).await.is_err());
}

/// Posts the forgotten-password form for `email`; returns the page.
async fn ask_reset(test: &TestApp, email: &str) -> String {
    let (cookie, csrf) = form_token(test, "/dich-vu-cong/quen-mat-khau").await;
    let body = serde_urlencoded::to_string([("csrf", csrf.as_str()), ("email", email)]).unwrap();
    let response = test
        .send(form("/dich-vu-cong/quen-mat-khau", &cookie, body))
        .await;
    assert_eq!(response.status(), StatusCode::OK, "{email}");
    text(response).await.replace(email.trim(), "…")
}

/// Posts the reset form of `token`.
async fn reset(
    test: &TestApp,
    token: &str,
    password: &str,
    again: &str,
) -> axum::response::Response {
    let body =
        serde_urlencoded::to_string([("t", token), ("mat_khau", password), ("nhap_lai", again)])
            .unwrap();
    test.send(form("/dich-vu-cong/dat-lai-mat-khau", "", body))
        .await
}

/// The reset token in the pickup folder's message `name`.
fn reset_token_in(folder: &std::path::Path, name: &str) -> String {
    let message = std::fs::read_to_string(folder.join(name)).unwrap();
    assert!(message.contains(&format!("To: {EMAIL}\r\n")), "{message}");
    let letter = letter_in(&message);
    assert!(
        letter.contains("https://dichvucong.travinh.gov.vn/dich-vu-cong/dat-lai-mat-khau?t="),
        "{letter}"
    );
    token_after(&letter, "dat-lai-mat-khau?t=")
}

#[tokio::test]
async fn a_forgotten_password_is_reset_once_from_the_mailed_link() {
    let (test, pickup) = super::services_online::portal_with_pickup().await;
    let folder = pickup.path().to_owned();
    let id = active_account(&test, EMAIL).await;
    assert_eq!(picked_up(&folder), ["mail-1.eml"]);
    // Two sessions, then a lockout: the reset ends the one, lifts the other.
    let first = test.app.account_login(EMAIL, PASSWORD, None).await.unwrap();
    let second = test.app.account_login(EMAIL, PASSWORD, None).await.unwrap();
    for _ in 0..test.app.config.auth.max_failures {
        let _ = test.app.account_login(EMAIL, "Sai-mật-khẩu-1", None).await;
    }
    assert!(matches!(
        test.app.account_login(EMAIL, PASSWORD, None).await,
        Err(AppError::Locked)
    ));

    // The sign-in page offers the form; the form mails a link.
    let login = text(test.send(get("/dich-vu-cong/dang-nhap", "")).await).await;
    assert!(login.contains("href=\"/dich-vu-cong/quen-mat-khau\""));
    let answer = ask_reset(&test, " Sa.Ren@Example.VN ").await;
    assert!(
        answer.contains("Đã nhận yêu cầu đặt lại mật khẩu"),
        "{answer}"
    );
    assert_eq!(picked_up(&folder), ["mail-1.eml", "mail-2.eml"]);
    let token = reset_token_in(&folder, "mail-2.eml");

    // Within five minutes, another request sends nothing, and says so in
    // the same words; an unknown or a pending address, the same again.
    let audit = test.audit_seq().await;
    test.clock.advance(Duration::minutes(4));
    assert_eq!(ask_reset(&test, EMAIL).await, answer);
    assert_eq!(ask_reset(&test, "ai.do@example.vn").await, answer);
    test.app
        .register_account(registration("cho@example.vn"), PASSWORD, None)
        .await
        .unwrap();
    let audit_pending = test.audit_seq().await;
    assert_eq!(ask_reset(&test, "cho@example.vn").await, answer);
    assert_eq!(test.audit_seq().await, audit_pending);
    assert_eq!(audit_pending, audit + 1, "only the registration recorded");
    assert_eq!(
        picked_up(&folder),
        ["mail-1.eml", "mail-2.eml", "mail-3.eml"],
        "only the pending registration's confirmation"
    );
    let read = test.app.store.read().await.unwrap();
    assert_eq!(read.mail_about(&About::Account(id)).await.unwrap().len(), 2);
    drop(read);

    // The link's page; a refused password leaves the link working.
    let page = test
        .send(get(
            &format!("/dich-vu-cong/dat-lai-mat-khau?t={token}"),
            "",
        ))
        .await;
    let status = page.status();
    let html = text(page).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert_eq!(hidden(&html, "t"), token);
    assert!(html.contains(EMAIL));
    let audit = test.audit_seq().await;
    for (password, again, message) in [
        ("ngắn1A", "ngắn1A", "ít nhất 9 ký tự"),
        ("Mật-khẩu-mới-7", "Mật-khẩu-mới-8", "không khớp"),
        ("sa.ren-2021!", "sa.ren-2021!", "không được chứa"),
    ] {
        let refused = reset(&test, &token, password, again).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = text(refused).await;
        assert!(html.contains(message), "{message}: {html}");
        assert_eq!(hidden(&html, "t"), token);
    }
    assert_eq!(test.audit_seq().await, audit, "nothing recorded");
    assert!(test.app.account_signed_in(&first.token).await.is_ok());

    // A new password: sessions ended, the lock lifted, the old one refused.
    let done = reset(&test, &token, "Mật-khẩu-mới-7", "Mật-khẩu-mới-7").await;
    assert_eq!(done.status(), StatusCode::OK);
    let (cleared, _) = set_cookie(&done, web::PORTAL_SESSION_COOKIE).unwrap();
    assert_eq!(cleared, format!("{}=", web::PORTAL_SESSION_COOKIE));
    assert!(text(done).await.contains("Đã đặt lại mật khẩu"));
    assert_eq!(test.audit_seq().await, audit + 1);
    for old in [&first, &second] {
        assert!(matches!(
            test.app.account_signed_in(&old.token).await,
            Err(AppError::Unauthenticated)
        ));
    }
    assert!(matches!(
        test.app.account_login(EMAIL, PASSWORD, None).await,
        Err(AppError::BadCredentials)
    ));
    let signed_in = sign_in(&test, EMAIL, "Mật-khẩu-mới-7").await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);

    // Used: the page and the form refuse it, and nothing changes.
    let audit = test.audit_seq().await;
    let used = test
        .send(get(
            &format!("/dich-vu-cong/dat-lai-mat-khau?t={token}"),
            "",
        ))
        .await;
    assert_eq!(used.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(used).await.contains("đã dùng hoặc đã hết hạn"));
    let again = reset(&test, &token, "Mật-khẩu-khác-9", "Mật-khẩu-khác-9").await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(again).await.contains("đã dùng hoặc đã hết hạn"));
    assert_eq!(test.audit_seq().await, audit);
    assert!(
        test.app
            .account_login(EMAIL, "Mật-khẩu-mới-7", None)
            .await
            .is_ok()
    );

    // A later link voids the earlier one; an hour later it expires too.
    test.clock.advance(Duration::minutes(5));
    ask_reset(&test, EMAIL).await;
    let earlier = reset_token_in(&folder, "mail-4.eml");
    test.clock.advance(Duration::minutes(5));
    ask_reset(&test, EMAIL).await;
    let later = reset_token_in(&folder, "mail-5.eml");
    assert!(matches!(
        test.app.password_reset_account(&earlier).await,
        Err(AppError::Invalid(m)) if m.contains("đã dùng hoặc đã hết hạn")
    ));
    assert_eq!(
        test.app.password_reset_account(&later).await.unwrap().id,
        id
    );
    test.clock.advance(Duration::hours(1));
    let audit = test.audit_seq().await;
    let late = reset(&test, &later, "Mật-khẩu-khác-9", "Mật-khẩu-khác-9").await;
    assert_eq!(late.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(test.audit_seq().await, audit);
    assert!(
        test.app
            .account_login(EMAIL, "Mật-khẩu-mới-7", None)
            .await
            .is_ok()
    );
}

/// The stored account of [`EMAIL`].
async fn stored(test: &TestApp) -> store::services::AccountCredentials {
    test.app
        .store
        .read()
        .await
        .unwrap()
        .account_by_email(EMAIL)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn the_account_page_changes_contacts_and_password_under_the_sessions_token() {
    let test = TestApp::new().await;
    active_account(&test, EMAIL).await;
    let page = "/dich-vu-cong/tai-khoan";
    let out = test.send(get(page, "")).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        out.headers()[header::LOCATION],
        "/dich-vu-cong/dang-nhap?next=%2Fdich-vu-cong%2Ftai-khoan"
    );
    let response = sign_in(&test, EMAIL, PASSWORD).await;
    let (session, _) = set_cookie(&response, web::PORTAL_SESSION_COOKIE).unwrap();
    let other = test.app.account_login(EMAIL, PASSWORD, None).await.unwrap();
    let mine = text(test.send(get(MY_DOSSIERS_PATH, &session)).await).await;
    assert!(mine.contains("href=\"/dich-vu-cong/tai-khoan\""));
    let html = text(test.send(get(page, &session)).await).await;
    assert!(html.contains("Thạch Thị Sa Rên") && html.contains(EMAIL));
    assert!(html.contains("không đổi được sau khi tài khoản được xác nhận"));
    let csrf = hidden(&html, "csrf");

    // Contacts: the session's token needed, a bad phone refused.
    let audit = test.audit_seq().await;
    let contacts = |csrf: &str, phone: &str| {
        let body = serde_urlencoded::to_string([
            ("csrf", csrf),
            ("dien_thoai", phone),
            ("dia_chi", " Khóm 3, phường 1 "),
        ])
        .unwrap();
        form(page, &session, body)
    };
    let forged = test.send(contacts("", "0294 3855 123")).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    for phone in ["0912 abc 678", "09123", " "] {
        let refused = test.send(contacts(&csrf, phone)).await;
        assert_eq!(
            refused.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{phone}"
        );
        let html = text(refused).await;
        assert!(
            html.contains("số điện thoại") || html.contains("Số điện thoại"),
            "{html}"
        );
    }
    assert_eq!(test.audit_seq().await, audit, "nothing recorded");
    let account = stored(&test).await.account;
    assert_eq!(account.phone, "0912 345 678");
    assert_eq!(account.address.as_deref(), Some("Ấp Bến Có, xã Nguyệt Hóa"));
    let saved = test.send(contacts(&csrf, "0294 3855 123")).await;
    assert_eq!(saved.status(), StatusCode::OK);
    let html = text(saved).await;
    assert!(html.contains("Đã lưu số điện thoại và địa chỉ"), "{html}");
    assert!(html.contains("value=\"0294 3855 123\""));
    assert_eq!(test.audit_seq().await, audit + 1);
    let account = stored(&test).await.account;
    assert_eq!(account.phone, "0294 3855 123");
    assert_eq!(account.address.as_deref(), Some("Khóm 3, phường 1"));
    assert_eq!(account.full_name, "Thạch Thị Sa Rên");

    // Password: the token, the current password, the policy.
    let audit = test.audit_seq().await;
    let change = |csrf: &str, current: &str, new: &str, again: &str| {
        let body = serde_urlencoded::to_string([
            ("csrf", csrf),
            ("hien_tai", current),
            ("mat_khau", new),
            ("nhap_lai", again),
        ])
        .unwrap();
        form("/dich-vu-cong/tai-khoan/mat-khau", &session, body)
    };
    let new = "Mật-khẩu-mới-7";
    let forged = test.send(change("", PASSWORD, new, new)).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(test.audit_seq().await, audit);
    for (current, password, again, message) in [
        (PASSWORD, "ngắn1A", "ngắn1A", "ít nhất 9 ký tự"),
        (PASSWORD, new, "Mật-khẩu-mới-8", "không khớp"),
    ] {
        let refused = test.send(change(&csrf, current, password, again)).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(text(refused).await.contains(message), "{message}");
    }
    assert_eq!(test.audit_seq().await, audit, "nothing recorded");
    // A wrong current password counts towards the lockout, audited.
    let wrong = test.send(change(&csrf, "Sai-mật-khẩu-1", new, new)).await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(wrong).await.contains("Mật khẩu hiện tại không đúng"));
    assert_eq!(stored(&test).await.login.failed_in_a_row, 1);
    assert_eq!(test.audit_seq().await, audit + 1);
    let done = test.send(change(&csrf, PASSWORD, new, new)).await;
    assert_eq!(done.status(), StatusCode::OK);
    assert!(text(done).await.contains("Đã đổi mật khẩu"));
    assert_eq!(test.audit_seq().await, audit + 2);
    assert_eq!(stored(&test).await.login.failed_in_a_row, 0);
    // This session stays; the other ended; the new password signs in.
    assert_eq!(
        test.send(get(page, &session)).await.status(),
        StatusCode::OK
    );
    assert!(matches!(
        test.app.account_signed_in(&other.token).await,
        Err(AppError::Unauthenticated)
    ));
    assert!(matches!(
        test.app.account_login(EMAIL, PASSWORD, None).await,
        Err(AppError::BadCredentials)
    ));
    assert!(test.app.account_login(EMAIL, new, None).await.is_ok());
}

const MY_DOSSIERS_PATH: &str = "/dich-vu-cong/ho-so-cua-toi";

#[tokio::test]
async fn the_staffs_dossier_page_names_the_account_it_came_from() {
    let (test, _) = TestApp::with_demo().await;
    let stttt = test.agency_id("000.00.11.H59").await;
    let procedure = procedure(&test, stttt).await;
    let desk = desk_officer(&test, stttt, 7).await;
    let staff = sign_in_as(&test, "motcua7.stttt@travinh.gov.vn", STAFF_PASSWORD).await;
    active_account(&test, EMAIL).await;
    let new = test.app.account_login(EMAIL, PASSWORD, None).await.unwrap();
    let signed_in = test.app.account_signed_in(&new.token).await.unwrap();
    let file = app::services::UploadedFile {
        paper: "Tờ khai".into(),
        name: "to-khai.pdf".into(),
        bytes: bytes::Bytes::from_static(PDF),
    };
    let online = test
        .app
        .submit_signed_in(&signed_in, procedure.id, vec![file], None)
        .await
        .unwrap();
    let page = |code: String| {
        let staff = staff.clone();
        let test = &test;
        async move {
            let response = test
                .send(get(&format!("/app/services/dossiers/{code}"), &staff))
                .await;
            assert_eq!(response.status(), StatusCode::OK);
            text(response).await
        }
    };
    let html = page(online.code.clone()).await;
    assert!(
        html.contains("<dt>Nộp qua tài khoản</dt><dd id=\"tai-khoan\">Thạch Thị Sa Rên (sa.ren@example.vn)</dd>"),
        "{html}"
    );
    // A dossier from the desk came from no account.
    let at_desk = test
        .app
        .receive_dossier(&desk, at_the_desk(procedure.id, 1))
        .await
        .unwrap();
    assert!(!page(at_desk.code).await.contains("Nộp qua tài khoản"));
}
