//! edXML between agencies: a document sent by one agency arrives in
//! another's incoming register with every field and file intact, once; a
//! package written as the Java SDK writes it is read; hostile packages
//! store nothing.

use app::Ctx;
use app::document_files::NewFile;
use app::documents::NewOutgoing;
use app::exchange::Received;
use domain::documents::{Confidentiality, Direction, Document, FileRole, Urgency};
use domain::search::DocumentFilter;
use testkit::TestApp;
use time::macros::date;

/// Deterministic bytes that do not compress: a small xorshift.
fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed.to_le_bytes()[0]
        })
        .collect()
}

async fn incoming(test: &TestApp, agency: i64) -> Vec<Document> {
    let filter = DocumentFilter {
        agency_id: Some(agency),
        direction: Some(Direction::Incoming),
        ..DocumentFilter::default()
    };
    test.app
        .search_documents(&Ctx::system("test"), &filter, (0, 100))
        .await
        .unwrap()
        .items
}

#[tokio::test]
async fn a_sent_document_arrives_whole_and_only_once() {
    let (test, _) = TestApp::with_demo().await;
    let ctx = Ctx::system("test");
    let stttt = test.agency_id("000.00.11.H59").await;
    let snv = test.agency_id("000.00.02.H59").await;
    let sent = test
        .app
        .issue_outgoing(
            &ctx,
            NewOutgoing {
                agency_id: stttt,
                doc_type: "Kế hoạch".into(),
                summary: "Ứng dụng công nghệ thông tin, phát triển Chính quyền điện tử năm 2021"
                    .into(),
                drafting_unit_id: None,
                signer: Some("Nguyễn Ngọc Thành".into()),
                urgency: Urgency::Urgent,
                confidentiality: Confidentiality::Normal,
                field: Some("Ứng dụng CNTT".into()),
            },
        )
        .await
        .unwrap();
    let mut pdf = b"%PDF-1.7\n".to_vec();
    pdf.extend(noise(300_000, 7));
    let mut docx = b"PK\x03\x04[Content_Types].xml".to_vec();
    docx.extend(noise(20_000, 11));
    for (name, description, bytes) in [
        (
            "KH ứng dụng CNTT 2021.pdf",
            "Kế hoạch (bản ký số)",
            pdf.clone(),
        ),
        (
            "Phụ lục I.docx",
            "Phụ lục I: Danh mục nhiệm vụ",
            docx.clone(),
        ),
    ] {
        test.app
            .attach_file(
                &ctx,
                sent.id,
                NewFile {
                    name: name.into(),
                    description: description.into(),
                    content_type: None,
                    bytes: bytes.into(),
                },
            )
            .await
            .unwrap();
    }
    let snv_code = "000.00.02.H59".parse().unwrap();
    let package = test
        .app
        .export_edxml(&ctx, sent.id, &[snv_code])
        .await
        .unwrap();
    let sent = test.app.document(&ctx, sent.id).await.unwrap();
    let day = sent.issued_on;
    assert_eq!(
        sent.exchange_id,
        Some(format!(
            "000.00.11.H59,{:04}/{:02}/{:02},01/KH-STTTT",
            day.year(),
            u8::from(day.month()),
            day.day()
        ))
    );
    let Received::Registered(received) = test.app.import_edxml(&ctx, snv, &package).await.unwrap()
    else {
        panic!("a new package is registered");
    };
    assert_eq!(received.agency_id, snv);
    assert_eq!(received.direction, Direction::Incoming);
    assert_eq!(received.number, 1);
    assert_eq!(received.symbol, sent.symbol);
    assert_eq!(received.doc_type, sent.doc_type);
    assert_eq!(received.summary, sent.summary);
    assert_eq!(received.issued_on, sent.issued_on);
    assert_eq!(received.signer, sent.signer);
    assert_eq!(received.urgency, sent.urgency);
    assert_eq!(received.exchange_id, sent.exchange_id);
    assert_eq!(
        received.issuer,
        "Sở Thông tin và Truyền thông tỉnh Trà Vinh"
    );
    let sent_files = test.app.document_files(&ctx, sent.id).await.unwrap();
    let got_files = test.app.document_files(&ctx, received.id).await.unwrap();
    assert_eq!(got_files.len(), 2);
    for (a, b) in sent_files.iter().zip(&got_files) {
        assert_eq!(
            (&a.name, &a.description, &a.content_type, a.role, a.size),
            (&b.name, &b.description, &b.content_type, b.role, b.size)
        );
        let (_, bytes) = test
            .app
            .document_file(&ctx, received.id, b.id)
            .await
            .unwrap();
        let original = if b.role == FileRole::Main {
            &pdf
        } else {
            &docx
        };
        assert_eq!(&bytes[..], &original[..], "{} byte for byte", b.name);
    }

    // The same package again: recognised, nothing written.
    let before = test.audit_seq().await;
    let Received::AlreadyReceived(again) =
        test.app.import_edxml(&ctx, snv, &package).await.unwrap()
    else {
        panic!("a known package is not registered twice");
    };
    assert_eq!(again.id, received.id);
    assert_eq!(test.audit_seq().await, before);
    assert_eq!(incoming(&test, snv).await.len(), 1);

    // A package for somebody else is refused.
    let home = test.agency_id("000.00.01.H59").await;
    let refused = test.app.import_edxml(&ctx, home, &package).await;
    assert!(
        matches!(&refused, Err(app::AppError::Invalid(m)) if m.contains("không gửi cho")),
        "{refused:?}"
    );
}

#[tokio::test]
async fn a_package_shaped_like_the_java_sdk_sample_is_registered() {
    let (test, _) = TestApp::with_demo().await;
    let ctx = Ctx::system("test");
    let stttt = test.agency_id("000.00.11.H59").await;
    let package = include_bytes!("data/edoc_new.edxml");
    let Received::Registered(d) = test.app.import_edxml(&ctx, stttt, package).await.unwrap() else {
        panic!("registered");
    };
    assert_eq!(d.symbol, "12/KH-UBND");
    assert_eq!(d.doc_type, "Kế hoạch");
    assert_eq!(d.summary, "Kế hoạch chuyển đổi số tỉnh Trà Vinh năm 2026");
    assert_eq!(d.issued_on, date!(2026 - 01 - 05));
    assert_eq!(d.issuer, "Văn phòng Ủy ban nhân dân tỉnh Trà Vinh");
    assert_eq!(d.signer.as_deref(), Some("Nguyễn Văn Hòa"));
    assert_eq!(d.urgency, Urgency::Urgent);
    assert_eq!(
        d.exchange_id.as_deref(),
        Some("000.00.00.H59,2026/01/05,12/KH-UBND")
    );
    let files = test.app.document_files(&ctx, d.id).await.unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].name, "ke-hoach-chuyen-doi-so.txt");
    assert_eq!(files[0].content_type, "text/plain");
    let (_, bytes) = test
        .app
        .document_file(&ctx, d.id, files[0].id)
        .await
        .unwrap();
    assert_eq!(
        std::str::from_utf8(&bytes).unwrap(),
        "Ủy ban nhân dân tỉnh Trà Vinh\nKế hoạch chuyển đổi số năm 2026\n"
    );
    // Found by the words of its attachment's name, in the department's
    // registers (the demo portal publishes committee documents on
    // digital transformation too).
    let found = test
        .app
        .search_documents(
            &ctx,
            &DocumentFilter {
                terms: domain::search::Terms::parse("chuyen doi so"),
                agency_id: Some(stttt),
                ..DocumentFilter::default()
            },
            (0, 10),
        )
        .await
        .unwrap();
    assert_eq!(found.total, 1);
    // The status message back to the sender names the package.
    let status = test
        .app
        .edxml_status(&ctx, d.id, 1, "Đã đến")
        .await
        .unwrap();
    let status = edxml::read_status(&status, &edxml::Limits::DEFAULT).unwrap();
    assert_eq!(
        status.response_for.document_id,
        "000.00.00.H59,2026/01/05,12/KH-UBND"
    );
    assert_eq!(status.from.organ_id, "000.00.11.H59");
}

#[tokio::test]
async fn hostile_packages_store_nothing() {
    let (test, _) = TestApp::with_demo().await;
    let ctx = Ctx::system("test");
    let stttt = test.agency_id("000.00.11.H59").await;
    let sample = String::from_utf8(include_bytes!("data/edoc_new.edxml").to_vec()).unwrap();
    let bomb = r#"<?xml version="1.0"?>
<!DOCTYPE edXML [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&c;</edXML>"#;
    let cases = [
        ("XML bomb", bomb.to_owned()),
        (
            "wrong namespace",
            sample.replace("http://www.mic.gov.vn/TBT/QCVN_102_2016", "urn:other"),
        ),
        (
            "no DocumentId",
            sample.replace(
                "<edXML:DocumentId>000.00.00.H59,2026/01/05,12/KH-UBND</edXML:DocumentId>\n        <edXML:Code>",
                "<edXML:Code>",
            ),
        ),
        ("truncated", sample[..sample.len() / 2].to_owned()),
        ("unknown type", sample.replace("<edXML:TypeName>Kế hoạch", "<edXML:TypeName>Thư tay")),
    ];
    let before = test.audit_seq().await;
    for (what, package) in cases {
        let result = test.app.import_edxml(&ctx, stttt, package.as_bytes()).await;
        match result {
            Err(app::AppError::Invalid(message)) => assert!(!message.is_empty(), "{what}"),
            other => panic!("{what}: {other:?}"),
        }
    }
    assert_eq!(test.audit_seq().await, before);
    assert!(incoming(&test, stttt).await.is_empty());
}

async fn raw(
    test: &TestApp,
    method: &str,
    path: &str,
    token: &str,
    (content_type, body): (&str, Vec<u8>),
) -> (axum::http::StatusCode, axum::http::HeaderMap, Vec<u8>) {
    use http_body_util::BodyExt as _;
    let request = axum::http::Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", content_type)
        .body(axum::body::Body::from(body))
        .unwrap();
    let response = test.send(request).await;
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes().to_vec();
    (parts.status, parts.headers, bytes)
}

#[tokio::test]
async fn the_clerk_attaches_sends_and_receives_over_the_api() {
    let (test, _) = TestApp::with_demo().await;
    let email = "nhunglth.stttt@travinh.gov.vn";
    test.set_password(email, "VanThu#2021x").await;
    let token = test.token(email, "VanThu#2021x").await;
    let stttt = test.agency_id("000.00.11.H59").await;
    let (status, issued) = test
        .json(
            "POST",
            "/api/v1/documents/outgoing",
            Some(&token),
            Some(serde_json::json!({
                "agency_id": stttt,
                "doc_type": "Thông báo",
                "summary": "Thông báo lịch tiếp công dân tháng 5/2021",
            })),
        )
        .await;
    assert_eq!(status, 201, "{issued}");
    let id = issued["id"].as_i64().unwrap();
    let pdf = [b"%PDF-1.7\n".as_slice(), &noise(5000, 3)].concat();
    let (status, _, body) = raw(
        &test,
        "POST",
        &format!("/api/v1/documents/{id}/files?name=Th%C3%B4ng%20b%C3%A1o.pdf"),
        &token,
        ("application/pdf", pdf.clone()),
    )
    .await;
    assert_eq!(status, 201, "{}", String::from_utf8_lossy(&body));
    let file: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(file["name"], "Thông báo.pdf");
    assert_eq!(file["role"], "main");
    let (status, headers, bytes) = raw(
        &test,
        "GET",
        &format!("/api/v1/documents/{id}/files/{}", file["id"]),
        &token,
        ("", Vec::new()),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(bytes, pdf);
    assert_eq!(headers["content-type"], "application/pdf");
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("filename*=UTF-8''Th%C3%B4ng%20b%C3%A1o.pdf")
    );
    // An executable is not a document file.
    let (status, _, _) = raw(
        &test,
        "POST",
        &format!("/api/v1/documents/{id}/files?name=a.exe"),
        &token,
        ("application/octet-stream", b"MZ\x90\x00\x03".to_vec()),
    )
    .await;
    assert_eq!(status, 422);

    // Sending: the package carries the file.
    let (status, package) = {
        let (status, _, bytes) = raw(
            &test,
            "POST",
            &format!("/api/v1/documents/{id}/edxml"),
            &token,
            ("application/json", br#"{"to":["000.00.00.H59"]}"#.to_vec()),
        )
        .await;
        (status, bytes)
    };
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&package));
    let read = edxml::read(&package, &edxml::Limits::DEFAULT).unwrap();
    assert_eq!(read.attachments[0].bytes, pdf);

    // Receiving the SDK-shaped package: 201, then 200 with the same document.
    let sample = include_bytes!("data/edoc_new.edxml").to_vec();
    let path = format!("/api/v1/agencies/{stttt}/edxml");
    let (status, _, first) = raw(
        &test,
        "POST",
        &path,
        &token,
        ("application/xml", sample.clone()),
    )
    .await;
    assert_eq!(status, 201, "{}", String::from_utf8_lossy(&first));
    let (status, _, second) = raw(&test, "POST", &path, &token, ("application/xml", sample)).await;
    assert_eq!(status, 200);
    let (first, second): (serde_json::Value, serde_json::Value) = (
        serde_json::from_slice(&first).unwrap(),
        serde_json::from_slice(&second).unwrap(),
    );
    assert_eq!(first["id"], second["id"]);
    assert_eq!(first["symbol"], "12/KH-UBND");
    // Garbage is a clear 422, not a crash.
    let (status, _, body) = raw(
        &test,
        "POST",
        &path,
        &token,
        ("application/xml", b"<edXML".to_vec()),
    )
    .await;
    assert_eq!(status, 422);
    let error: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert!(!error["message"].as_str().unwrap().is_empty());
}

pub(crate) fn egov(test: &TestApp, data: &std::path::Path, args: &[&str]) -> (bool, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_egov"))
        .args(args)
        .env("EGOV_DATABASE_URL", test.database_url())
        .env("EGOV_DATA_DIR", data)
        .env("EGOV_LOG", "warn")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[tokio::test]
async fn the_operator_sends_and_receives_packages_as_files() {
    let (test, _) = TestApp::with_demo().await;
    let ctx = Ctx::system("test");
    let stttt = test.agency_id("000.00.11.H59").await;
    let sent = test
        .app
        .issue_outgoing(
            &ctx,
            NewOutgoing {
                agency_id: stttt,
                doc_type: "Báo cáo".into(),
                summary: "Báo cáo kết quả công tác tháng 4 năm 2021".into(),
                drafting_unit_id: None,
                signer: Some("Nguyễn Ngọc Thành".into()),
                urgency: Urgency::Normal,
                confidentiality: Confidentiality::Normal,
                field: None,
            },
        )
        .await
        .unwrap();
    // The blobs live in the test app's data folder: the binary must share it.
    let data = test.app.config.data_dir.clone();
    let file = data.join("bao-cao.edxml");
    let id = sent.id.to_string();
    let path = file.to_str().unwrap();
    let (ok, out) = egov(
        &test,
        &data,
        &[
            "edxml",
            "export",
            "--document",
            &id,
            "--to",
            "000.00.00.H59",
            "-o",
            path,
        ],
    );
    assert!(ok, "{out}");
    let (ok, out) = egov(
        &test,
        &data,
        &["edxml", "import", path, "--agency", "000.00.00.H59"],
    );
    assert!(ok, "{out}");
    assert!(out.contains("Đã vào sổ văn bản đến số 1"), "{out}");
    let (ok, out) = egov(
        &test,
        &data,
        &["edxml", "import", path, "--agency", "000.00.00.H59"],
    );
    assert!(ok, "{out}");
    assert!(out.contains("đã được nhận trước đó"), "{out}");
    let (ok, out) = egov(
        &test,
        &data,
        &[
            "edxml",
            "import",
            "/nonexistent",
            "--agency",
            "000.00.00.H59",
        ],
    );
    assert!(!ok);
    assert!(out.contains("không đọc được"), "{out}");
    let ubnd = test.agency_id("000.00.00.H59").await;
    assert_eq!(incoming(&test, ubnd).await.len(), 1);
}

#[tokio::test]
async fn the_recipients_status_comes_back_to_the_sent_document() {
    let (test, _) = TestApp::with_demo().await;
    let ctx = Ctx::system("test");
    let stttt = test.agency_id("000.00.11.H59").await;
    let snv = test.agency_id("000.00.02.H59").await;
    let sent = test
        .app
        .issue_outgoing(
            &ctx,
            NewOutgoing {
                agency_id: stttt,
                doc_type: "Thông báo".into(),
                summary: "Thông báo kết quả kiểm tra an toàn thông tin".into(),
                drafting_unit_id: None,
                signer: None,
                urgency: Urgency::Normal,
                confidentiality: Confidentiality::Normal,
                field: None,
            },
        )
        .await
        .unwrap();
    let package = test
        .app
        .export_edxml(&ctx, sent.id, &["000.00.02.H59".parse().unwrap()])
        .await
        .unwrap();
    let Received::Registered(copy) = test.app.import_edxml(&ctx, snv, &package).await.unwrap()
    else {
        panic!("registered");
    };
    let answer = test
        .app
        .edxml_status(&ctx, copy.id, 3, "Văn thư đã vào sổ")
        .await
        .unwrap();
    // Back at the sender: recorded once, shown with its meaning.
    let (document, new) = test
        .app
        .receive_edxml_status(&ctx, stttt, &answer)
        .await
        .unwrap();
    assert_eq!((document.id, new), (sent.id, true));
    let before = test.audit_seq().await;
    let (_, again) = test
        .app
        .receive_edxml_status(&ctx, stttt, &answer)
        .await
        .unwrap();
    assert!(!again, "the same message twice is one status");
    assert_eq!(test.audit_seq().await, before);
    let statuses = test.app.document_statuses(&ctx, sent.id).await.unwrap();
    assert_eq!(statuses.len(), 1);
    assert_eq!(statuses[0].1, "Đã tiếp nhận");
    assert_eq!(statuses[0].0.from_name, "Sở Nội vụ tỉnh Trà Vinh");
    assert_eq!(statuses[0].0.description, "Văn thư đã vào sổ");
    // A status about nothing this agency sent is refused; so is garbage.
    let home = test.agency_id("000.00.01.H59").await;
    assert!(matches!(
        test.app.receive_edxml_status(&ctx, home, &answer).await,
        Err(app::AppError::NotFound(_))
    ));
    assert!(matches!(
        test.app
            .receive_edxml_status(&ctx, stttt, b"<edXML/>")
            .await,
        Err(app::AppError::Invalid(_))
    ));
}
