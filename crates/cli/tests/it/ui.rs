//! The staff UI: signing in through the form, CSRF, the agency tree page.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use testkit::TestApp;

const ADMIN: &str = "quantri@travinh.gov.vn";

fn cookie_of(response: &axum::response::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

pub(crate) async fn text(response: axum::response::Response) -> String {
    String::from_utf8(
        response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap()
}

pub(crate) fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} field"))
        + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

pub(crate) fn form(path: &str, cookies: &str, body: String) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookies)
        .body(Body::from(body))
        .unwrap()
}

/// Signs in through the form; returns the session cookie.
async fn sign_in(test: &TestApp, password: &str) -> String {
    sign_in_as(test, ADMIN, password).await
}

/// Signs `email` in through the form; returns the session cookie.
pub(crate) async fn sign_in_as(test: &TestApp, email: &str, password: &str) -> String {
    let page = test
        .send(Request::get("/app/login").body(Body::empty()).unwrap())
        .await;
    let csrf_cookie = cookie_of(&page, testkit_cookie::LOGIN).unwrap();
    let csrf = hidden(&text(page).await, "csrf");
    let body = serde_urlencoded::to_string([
        ("csrf", csrf.as_str()),
        ("email", email),
        ("password", password),
        ("next", "/app/agencies"),
    ])
    .unwrap();
    let response = test.send(form("/app/login", &csrf_cookie, body)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[header::LOCATION], "/app/agencies");
    let set = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect::<Vec<_>>();
    assert!(
        set.iter().any(|c| c.starts_with("egov_session=")
            && c.contains("HttpOnly")
            && c.contains("SameSite=Lax")),
        "{set:?}"
    );
    cookie_of(&response, testkit_cookie::SESSION).unwrap()
}

mod testkit_cookie {
    pub const LOGIN: &str = web::LOGIN_CSRF_COOKIE;
    pub const SESSION: &str = web::SESSION_COOKIE;
}

#[tokio::test]
async fn the_admin_signs_in_and_sees_the_agency_tree() {
    let (test, password) = TestApp::with_demo().await;
    let session = sign_in(&test, &password).await;
    let response = test
        .send(
            Request::get("/app/agencies?as_of=2021-04-30")
                .header(header::COOKIE, &session)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = text(response).await;
    assert!(html.contains("Ủy ban nhân dân tỉnh Trà Vinh"));
    assert!(html.contains("Sở Thông tin và Truyền thông tỉnh Trà Vinh"));
    assert!(html.contains("Ủy ban nhân dân xã Long Hiệp"));
    assert!(
        html.contains("140 cơ quan, đơn vị"),
        "April 2021 has 140 bodies"
    );

    let anonymous = test
        .send(Request::get("/app/agencies").body(Body::empty()).unwrap())
        .await;
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    assert!(
        anonymous.headers()[header::LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/app/login?next=")
    );
}

#[tokio::test]
async fn forms_without_the_csrf_token_are_refused_and_change_nothing() {
    let (test, password) = TestApp::with_demo().await;
    // Sign-in form without its token, or with a token not matching the cookie.
    let body =
        serde_urlencoded::to_string([("email", ADMIN), ("password", password.as_str())]).unwrap();
    assert_eq!(
        test.send(form("/app/login", "", body)).await.status(),
        StatusCode::FORBIDDEN
    );
    let body = serde_urlencoded::to_string([
        ("csrf", "abc"),
        ("email", ADMIN),
        ("password", password.as_str()),
    ])
    .unwrap();
    assert_eq!(
        test.send(form("/app/login", "egov_login_csrf=def", body))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );

    let session = sign_in(&test, &password).await;
    let people = test.app.counts().await.unwrap().1;
    let audit = test.audit_seq().await;
    let agency = test.agency_id("000.00.11.H59").await.to_string();
    let fields = [
        ("agency_id", agency.as_str()),
        ("full_name", "Kim Văn Giả"),
        ("position", "Chuyên viên"),
        ("email", "gia@travinh.gov.vn"),
        ("role", "admin"),
    ];
    let without = serde_urlencoded::to_string(fields).unwrap();
    assert_eq!(
        test.send(form("/app/people/new", &session, without))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let mut forged = fields.to_vec();
    forged.push(("csrf", "0000"));
    let forged = serde_urlencoded::to_string(forged).unwrap();
    assert_eq!(
        test.send(form("/app/people/new", &session, forged))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(test.app.counts().await.unwrap().1, people);
    assert_eq!(test.audit_seq().await, audit);

    // With the token from the page, the same form works.
    let page = test
        .send(
            Request::get(format!("/app/people/new?agency_id={agency}"))
                .header(header::COOKIE, &session)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let csrf = hidden(&text(page).await, "csrf");
    let mut good = fields.to_vec();
    good.push(("csrf", csrf.as_str()));
    let response = test
        .send(form(
            "/app/people/new",
            &session,
            serde_urlencoded::to_string(good).unwrap(),
        ))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(test.app.counts().await.unwrap().1, people + 1);
}

/// The CSRF token of the signed-in page at `path`.
async fn page_csrf(test: &TestApp, session: &str, path: &str) -> String {
    let page = test
        .send(
            Request::get(path)
                .header(header::COOKIE, session)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(page.status(), StatusCode::OK, "{path}");
    hidden(&text(page).await, "csrf")
}

#[tokio::test]
async fn admins_add_units_and_stop_accounts_from_the_ui() {
    let (test, password) = TestApp::with_demo().await;
    let session = sign_in(&test, &password).await;
    let department = test.agency_id("000.00.11.H59").await;
    let csrf = page_csrf(&test, &session, &format!("/app/agencies/{department}")).await;
    let body = serde_urlencoded::to_string([
        ("csrf", csrf.as_str()),
        ("code", "000.07.11.H59"),
        ("name", "Phòng Chuyển đổi số"),
        ("short_name", "CĐS"),
        ("kind", "unit"),
        ("effective_from", "2021-01-01"),
    ])
    .unwrap();
    let response = test
        .send(form(
            &format!("/app/agencies/{department}/children"),
            &session,
            body,
        ))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let unit = test.agency_id("000.07.11.H59").await;
    assert_eq!(
        test.app.agency(unit).await.unwrap().parent_id,
        Some(department)
    );

    let admin = test.token(ADMIN, &password).await;
    let (_, person) = test
        .json(
            "POST",
            "/api/v1/people",
            Some(&admin),
            Some(serde_json::json!({ "full_name": "Trần Văn Nghỉ", "position": "Chuyên viên", "agency_id": unit,
                                     "email": "nghitv@travinh.gov.vn", "password": "Nghi#20210405" })),
        )
        .await;
    let id = person["id"].as_i64().unwrap();
    let token = test.token("nghitv@travinh.gov.vn", "Nghi#20210405").await;
    let csrf = page_csrf(&test, &session, &format!("/app/people/{id}")).await;
    let body =
        serde_urlencoded::to_string([("csrf", csrf.as_str()), ("status", "inactive")]).unwrap();
    let response = test
        .send(form(&format!("/app/people/{id}/status"), &session, body))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        test.json("GET", "/api/v1/auth/me", Some(&token), None)
            .await
            .0,
        StatusCode::UNAUTHORIZED,
        "a person who left is signed out"
    );
    let (status, _) = test
        .json("POST", "/api/v1/auth/token", None, Some(serde_json::json!({ "email": "nghitv@travinh.gov.vn", "password": "Nghi#20210405" })))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "and cannot sign in again");
}

#[tokio::test]
async fn the_clerk_issues_a_document_from_the_register_page() {
    let (test, _) = TestApp::with_demo().await;
    let clerk_email = "nhunglth.stttt@travinh.gov.vn";
    test.set_password(clerk_email, "SoVanBan#21").await;
    let session = sign_in_as(&test, clerk_email, "SoVanBan#21").await;
    let csrf = page_csrf(&test, &session, "/app/documents").await;
    let stttt = test.agency_id("000.00.11.H59").await.to_string();
    let unit = test.agency_id("000.04.11.H59").await.to_string();
    let body = serde_urlencoded::to_string([
        ("csrf", csrf.as_str()),
        ("agency_id", stttt.as_str()),
        ("doc_type", "Công văn"),
        (
            "summary",
            "Về việc tăng cường phòng, chống tai nạn thương tích cho trẻ em",
        ),
        ("drafting_unit_id", unit.as_str()),
        ("signer", "Nguyễn Ngọc Thành"),
        ("urgency", "urgent"),
        ("confidentiality", "normal"),
    ])
    .unwrap();
    let response = test
        .send(form("/app/documents/outgoing", &session, body))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = test
        .send(
            Request::get("/app/documents?direction=outgoing")
                .header(header::COOKIE, &session)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let html = text(page).await;
    assert!(
        html.contains("01/STTTT-CNTT"),
        "the register shows the new symbol"
    );
    assert!(
        html.contains("Công văn: Về việc tăng cường phòng, chống tai nạn thương tích cho trẻ em")
    );
    assert!(html.contains("Khẩn"));

    // The register book as CSV: BOM, the ten columns, the row.
    let csv = test
        .send(
            Request::get("/app/documents/register.csv?direction=outgoing")
                .header(header::COOKIE, &session)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert_eq!(
        csv.headers()[header::CONTENT_TYPE],
        "text/csv; charset=utf-8"
    );
    let csv = text(csv).await;
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "\u{feff}\"Số, ký hiệu văn bản\",Ngày tháng văn bản,Tên loại và trích yếu nội dung văn bản,Người ký,Nơi nhận văn bản,\"Đơn vị, người nhận bản lưu\",Số lượng bản,Ngày chuyển,Ký nhận,Ghi chú"
    );
    let row = lines.next().unwrap();
    assert!(row.starts_with("01/STTTT-CNTT,"), "{row}");
    assert!(row.ends_with(",Nguyễn Ngọc Thành,,,,,,Khẩn"), "{row}");
    // The same book printed: PDF and DOCX, the symbol in the PDF's text.
    let mut pdf = Vec::new();
    for (path, content_type, magic) in [
        ("register.pdf", "application/pdf", &b"%PDF-"[..]),
        (
            "register.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            &b"PK"[..],
        ),
    ] {
        let response = test
            .send(
                Request::get(format!("/app/documents/{path}?direction=outgoing"))
                    .header(header::COOKIE, &session)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.headers()[header::CONTENT_TYPE], content_type);
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        assert!(bytes.starts_with(magic), "{path}");
        if path == "register.pdf" {
            pdf = bytes.to_vec();
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("so.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8", file.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (Debian package poppler-utils)");
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(printed.contains("SỔ ĐĂNG KÝ VĂN BẢN ĐI"), "{printed}");
    // The symbol wraps in its narrow cell ("01/", "STTTT-", "CNTT") and
    // pdftotext may drop the hyphen at a line end: compare without either.
    let joined: String = printed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    assert!(joined.contains("01/STTTTCNTT"), "{printed}");
    // Filters by type and urgency, kept by the CSV link.
    let html = get_html(
        &test,
        &session,
        "/app/documents?direction=outgoing&urgency=urgent&doc_type=C%C3%B4ng%20v%C4%83n",
    )
    .await;
    assert!(html.contains("1 văn bản"), "{html}");
    assert!(
        html.contains("urgency=urgent"),
        "the CSV link keeps the filters"
    );
    assert!(html.contains("/app/documents/register.pdf?agency_id="));
    assert!(html.contains("/app/documents/register.docx?agency_id="));
    let html = get_html(
        &test,
        &session,
        "/app/documents?direction=outgoing&urgency=flash",
    )
    .await;
    assert!(
        html.contains("Không có văn bản nào khớp điều kiện tìm"),
        "{html}"
    );
    let html = get_html(
        &test,
        &session,
        "/app/documents?direction=outgoing&doc_type=Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh",
    )
    .await;
    assert!(!html.contains("01/STTTT-CNTT"));
    // The register finds it without diacritics and links to its page.
    let html = get_html(
        &test,
        &session,
        "/app/documents?direction=outgoing&q=tai%20nan",
    )
    .await;
    assert!(html.contains("1 văn bản"), "{html}");
    let marker = "<td><a href=\"/app/documents/";
    let start = html.find(marker).unwrap() + marker.len();
    let id: i64 = html[start..].split('"').next().unwrap().parse().unwrap();
    let html = get_html(
        &test,
        &session,
        "/app/documents?direction=outgoing&q=bau%20cu",
    )
    .await;
    assert!(html.contains("Không có văn bản nào khớp"));

    // The clerk attaches a 2 MiB scan on the document's page.
    let path = format!("/app/documents/{id}");
    let csrf = page_csrf(&test, &session, &path).await;
    let mut scan = b"%PDF-1.4\n".to_vec();
    scan.resize(2 * 1024 * 1024, b'x');
    let upload = |csrf: &str| {
        multipart(
            &format!("/app/documents/{id}/files"),
            &session,
            &[("csrf", csrf), ("description", "Bản quét có chữ ký")],
            ("Công văn 01.pdf", &scan),
        )
    };
    let forged = test.send(upload("not-the-token")).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert!(
        !get_html(&test, &session, &path)
            .await
            .contains("Công văn 01.pdf")
    );
    let response = test.send(upload(&csrf)).await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "{}",
        text(response).await
    );
    let html = get_html(&test, &session, &path).await;
    assert!(html.contains("Công văn 01.pdf"));
    assert!(html.contains("Bản quét có chữ ký"));
    assert!(html.contains("Đính kèm tệp"), "the history shows the step");
    let marker = format!("/app/documents/{id}/files/");
    let start = html.find(&marker).unwrap() + marker.len();
    let file_id = html[start..].split('"').next().unwrap();
    let download = test
        .send(
            Request::get(format!("{marker}{file_id}"))
                .header(header::COOKIE, &session)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.headers()[header::CONTENT_TYPE], "application/pdf");
    let bytes = download.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(bytes.len(), scan.len());
}

/// Posts `fields` (pairs may repeat) as a form to `path` with `session`.
pub(crate) async fn post_fields(
    test: &TestApp,
    session: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> axum::response::Response {
    let body = serde_urlencoded::to_string(fields).unwrap();
    test.send(form(path, session, body)).await
}

/// A public page at `path`, asked without a session.
pub(crate) async fn public_get(test: &TestApp, path: &str) -> axum::response::Response {
    test.send(Request::get(path).body(Body::empty()).unwrap())
        .await
}

/// The public page at `path`, which must answer 200.
pub(crate) async fn public_html(test: &TestApp, path: &str) -> String {
    let response = public_get(test, path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    text(response).await
}

pub(crate) async fn get_html(test: &TestApp, session: &str, path: &str) -> String {
    let page = test
        .send(
            Request::get(path)
                .header(header::COOKIE, session)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(page.status(), StatusCode::OK, "{path}");
    text(page).await
}

/// Posts a multipart form with one file, as a browser does.
pub(crate) fn multipart(
    path: &str,
    session: &str,
    fields: &[(&str, &str)],
    file: (&str, &[u8]),
) -> Request<Body> {
    multipart_files(path, session, fields, &[("file", file.0, file.1)])
}

/// Posts a multipart form with `files` (field, file name, bytes), as a
/// browser does; `session` is the cookie header, or "" for none.
pub(crate) fn multipart_files(
    path: &str,
    session: &str,
    fields: &[(&str, &str)],
    files: &[(&str, &str, &[u8])],
) -> Request<Body> {
    let boundary = "egov-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (field, name, bytes) in files {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend(*bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").as_bytes());
    let mut request = Request::post(path).header(
        header::CONTENT_TYPE,
        format!("multipart/form-data; boundary={boundary}"),
    );
    if !session.is_empty() {
        request = request.header(header::COOKIE, session);
    }
    request.body(Body::from(body)).unwrap()
}

#[tokio::test]
async fn a_draft_is_written_approved_and_issued_from_the_pages() {
    let (test, _) = TestApp::with_demo().await;
    let mut sessions = Vec::new();
    for email in [
        "phiepts.stttt@travinh.gov.vn",
        "hunglv.stttt@travinh.gov.vn",
        "thanhnn.stttt@travinh.gov.vn",
        "nhunglth.stttt@travinh.gov.vn",
    ] {
        test.set_password(email, "Trang#Du2021").await;
        sessions.push(sign_in_as(&test, email, "Trang#Du2021").await);
    }
    let [author, unit_head, leader, clerk] =
        [&sessions[0], &sessions[1], &sessions[2], &sessions[3]];
    let html = get_html(&test, author, "/app/tasks").await;
    assert!(html.contains("Soạn dự thảo mới"));
    let csrf = hidden(&html, "csrf");
    let stttt = test.agency_id("000.00.11.H59").await.to_string();
    let cntt = test.agency_id("000.04.11.H59").await.to_string();
    let ubnd = test.agency_id("000.00.00.H59").await.to_string();
    let body = serde_urlencoded::to_string([
        ("csrf", csrf.as_str()),
        ("agency_id", stttt.as_str()),
        ("drafting_unit_id", cntt.as_str()),
        ("doc_type", "Kế hoạch"),
        ("summary", "Kế hoạch chuyển đổi số năm 2021"),
        ("signer", "Nguyễn Ngọc Thành"),
        ("urgency", "normal"),
        ("confidentiality", "normal"),
        ("recipients", ubnd.as_str()),
        ("other_recipients", "Lưu: VT, CNTT."),
    ])
    .unwrap();
    let response = test.send(form("/app/drafts", author, body)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    let html = get_html(&test, author, &location).await;
    assert!(html.contains("Đang soạn thảo"));
    assert!(
        html.contains("Ủy ban nhân dân tỉnh Trà Vinh"),
        "the recipient is listed"
    );
    let csrf = hidden(&html, "csrf");
    let response = test
        .send(multipart(
            &format!("{location}/files"),
            author,
            &[("csrf", &csrf), ("description", "Dự thảo")],
            ("Kế hoạch CĐS.pdf", b"%PDF-1.7\nke hoach"),
        ))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    for (session, action, shows) in [
        (author, "submit", "Chờ lãnh đạo đơn vị duyệt"),
        (unit_head, "endorse", "Chờ lãnh đạo cơ quan phê duyệt"),
        (leader, "approve", "Đã phê duyệt, chờ phát hành"),
    ] {
        let html = get_html(&test, session, &location).await;
        assert!(
            html.contains(&format!("value=\"{action}\"")),
            "{action} button for its holder"
        );
        let csrf = hidden(&html, "csrf");
        let body = serde_urlencoded::to_string([
            ("csrf", csrf.as_str()),
            ("action", action),
            ("comment", ""),
        ])
        .unwrap();
        let response = test
            .send(form(&format!("{location}/steps"), session, body))
            .await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "{action}: {}",
            text(response).await
        );
        assert!(get_html(&test, author, &location).await.contains(shows));
    }
    // The author sees no button for the clerk's step; the clerk does.
    assert!(
        !get_html(&test, author, &location)
            .await
            .contains("value=\"issue\"")
    );
    let html = get_html(&test, clerk, "/app/tasks").await;
    assert!(html.contains("Kế hoạch chuyển đổi số năm 2021"));
    let html = get_html(&test, clerk, &location).await;
    let csrf = hidden(&html, "csrf");
    let body = serde_urlencoded::to_string([
        ("csrf", csrf.as_str()),
        ("action", "issue"),
        ("comment", ""),
    ])
    .unwrap();
    let response = test
        .send(form(&format!("{location}/steps"), clerk, body))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let document = response.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    let html = get_html(&test, clerk, &document).await;
    assert!(html.contains("01/KH-STTTT"), "{html}");
    assert!(html.contains("Kế hoạch CĐS.pdf"));
    assert!(html.contains("Không có chữ ký số"), "the verdict is shown");
}

#[tokio::test]
async fn the_leader_signs_from_the_draft_page_and_the_clerk_issues_it_signed_twice() {
    let (test, _) = TestApp::with_demo().await;
    let ctx = app::Ctx::system("test");
    test.app.pki_init(&ctx).await.unwrap();
    let id = super::signing::approved_draft(&test, super::pdf::one_page()).await;
    let location = format!("/app/drafts/{id}");
    let leader = super::signing::LEADER;
    // Without a key the CA holds, the page explains the two-step API.
    let session = sign_in_as(&test, leader, testkit::PASSWORD).await;
    let html = get_html(&test, &session, &location).await;
    assert!(html.contains("POST /api/v1/signing"), "{html}");
    assert!(!html.contains("value=\"sign\""));

    test.app.load_demo_certificates(|_, _| {}).await.unwrap();
    let html = get_html(&test, &session, &location).await;
    assert!(html.contains("value=\"sign\""), "{html}");
    let csrf = hidden(&html, "csrf");
    let body = serde_urlencoded::to_string([("csrf", csrf.as_str()), ("action", "sign")]).unwrap();
    let response = test
        .send(form(&format!("{location}/steps"), &session, body))
        .await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "{}",
        text(response).await
    );
    let html = get_html(&test, &session, &location).await;
    assert!(
        html.contains("Chữ ký số hợp lệ</strong> (Nguyễn Ngọc Thành)"),
        "{html}"
    );

    test.set_password(super::signing::CLERK, "KySo#2021xx")
        .await;
    let clerk = sign_in_as(&test, super::signing::CLERK, "KySo#2021xx").await;
    let html = get_html(&test, &clerk, &location).await;
    assert!(html.contains("thêm chữ ký số của cơ quan"), "{html}");
    let csrf = hidden(&html, "csrf");
    let body = serde_urlencoded::to_string([("csrf", csrf.as_str()), ("action", "issue")]).unwrap();
    let response = test
        .send(form(&format!("{location}/steps"), &clerk, body))
        .await;
    let document = redirected(&response);
    let html = get_html(&test, &clerk, &document).await;
    assert!(
        html.contains("Chữ ký số hợp lệ: Nguyễn Ngọc Thành, Sở Thông tin và Truyền thông"),
        "{html}"
    );
}

#[tokio::test]
async fn an_administrator_sets_the_fields_on_the_agency_page() {
    let (test, password) = TestApp::with_demo().await;
    let session = sign_in(&test, &password).await;
    let stttt = test.agency_id("000.00.11.H59").await;
    let path = format!("/app/agencies/{stttt}");
    let csrf = page_csrf(&test, &session, &path).await;
    let body = serde_urlencoded::to_string([
        ("csrf", csrf.as_str()),
        ("fields", "Bưu chính\r\n  Viễn thông \r\n\r\nbưu chính"),
    ])
    .unwrap();
    let response = test
        .send(form(&format!("{path}/fields"), &session, body))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        test.app.fields_of(stttt).await.unwrap(),
        ["Bưu chính", "Viễn thông"]
    );
    let html = get_html(&test, &session, &path).await;
    assert!(html.contains("Bưu chính\nViễn thông</textarea>"), "{html}");
    // The unit's register form offers its department's list.
    let cntt = test.agency_id("000.04.11.H59").await;
    let html = get_html(&test, &session, &format!("/app/agencies/{cntt}")).await;
    assert!(html.contains("Bưu chính\nViễn thông</textarea>"));
}

/// The location a form answered with, after checking it redirected.
pub(crate) fn redirected(response: &axum::response::Response) -> String {
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    response.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_certificate_is_requested_approved_issued_and_revoked_from_the_pages() {
    let (test, _) = TestApp::with_demo().await;
    test.app.pki_init(&app::Ctx::system("test")).await.unwrap();
    let mut sessions = Vec::new();
    for email in [
        "phiepts.stttt@travinh.gov.vn",
        "thanhnn.stttt@travinh.gov.vn",
        "hanstn.stttt@travinh.gov.vn",
    ] {
        test.set_password(email, "ChungThu#2021x").await;
        sessions.push(sign_in_as(&test, email, "ChungThu#2021x").await);
    }
    let [specialist, leader, operator] = [&sessions[0], &sessions[1], &sessions[2]];
    let html = get_html(&test, specialist, "/app/pki").await;
    assert!(html.contains("Đề nghị cấp mới"), "{html}");
    assert!(
        !html.contains("Cấp chứng thư từ CSR"),
        "only operators issue"
    );
    let me = format!(
        "person:{}",
        test.app
            .person_by_email("phiepts.stttt@travinh.gov.vn")
            .await
            .unwrap()
            .id
    );
    assert!(html.contains(&format!("value=\"{me}\"")), "{html}");
    let csrf = hidden(&html, "csrf");
    let subject = pki::SubjectName {
        common_name: "Thạch Sô Phiếp".into(),
        country: "VN".into(),
        ..pki::SubjectName::default()
    };
    let key = pki::software::SoftwareKey::generate(pki::KeySpec::EcP256).unwrap();
    let csr = pki::csr::build(&key, pki::Digest::Sha256, &subject).unwrap();
    let response = test
        .send(multipart(
            "/app/pki/requests",
            specialist,
            &[
                ("csrf", &csrf),
                ("kind", "new"),
                ("holder", &me),
                ("token", "usb"),
                ("certificate", ""),
                ("note", "Cấp lần đầu"),
            ],
            ("phiep.csr", &csr),
        ))
        .await;
    let location = redirected(&response);
    assert!(
        get_html(&test, specialist, &location)
            .await
            .contains("Chờ thủ trưởng duyệt")
    );
    for (session, action, shows) in [
        (leader, "approve", "Đã duyệt, chờ cấp"),
        (operator, "complete", "Đã thực hiện"),
    ] {
        let html = get_html(&test, session, &location).await;
        assert!(
            html.contains(&format!("value=\"{action}\"")),
            "{action}: {html}"
        );
        let body = serde_urlencoded::to_string([
            ("csrf", hidden(&html, "csrf").as_str()),
            ("action", action),
            ("note", ""),
        ])
        .unwrap();
        redirected(
            &test
                .send(form(&format!("{location}/actions"), session, body))
                .await,
        );
        assert!(
            get_html(&test, session, &location).await.contains(shows),
            "{shows}"
        );
    }
    let html = get_html(&test, specialist, &location).await;
    let start = html.find("/app/pki/certificates/").unwrap();
    let certificate = html[start..].split('"').next().unwrap().to_owned();
    let page = get_html(&test, specialist, &certificate).await;
    assert!(
        page.contains("Còn hiệu lực") && page.contains("BEGIN CERTIFICATE"),
        "{page}"
    );
    assert!(
        !page.contains("Xác nhận thu hồi"),
        "only operators revoke here"
    );
    let html = get_html(&test, operator, &certificate).await;
    let csrf = hidden(&html, "csrf");
    let unconfirmed =
        serde_urlencoded::to_string([("csrf", csrf.as_str()), ("reason", "keyCompromise")])
            .unwrap();
    let response = test
        .send(form(
            &format!("{certificate}/revoke"),
            operator,
            unconfirmed,
        ))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        get_html(&test, operator, &certificate)
            .await
            .contains("Còn hiệu lực")
    );
    let confirmed = serde_urlencoded::to_string([
        ("csrf", csrf.as_str()),
        ("reason", "keyCompromise"),
        ("confirm", "yes"),
    ])
    .unwrap();
    redirected(
        &test
            .send(form(&format!("{certificate}/revoke"), operator, confirmed))
            .await,
    );
    let page = get_html(&test, specialist, &certificate).await;
    assert!(
        page.contains("Đã thu hồi") && page.contains("Lộ khóa bí mật"),
        "{page}"
    );
    let pem = test
        .send(
            Request::get(format!("{certificate}/pem"))
                .header(header::COOKIE, specialist.as_str())
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(pem.status(), StatusCode::OK);
    assert!(text(pem).await.starts_with("-----BEGIN CERTIFICATE-----"));
}
