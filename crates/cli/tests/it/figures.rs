//! The document figures of the monthly report, computed from records.

use app::Ctx;
use app::document_files::NewFile;
use app::documents::{NewIncoming, NewOutgoing};
use domain::documents::{Confidentiality, Urgency};
use testkit::TestApp;
use time::macros::date;

/// Looks signed, but egov cannot read it: an invalid signature.
const BROKEN_SIGNED_PDF: &[u8] =
    b"%PDF-1.7\n1 0 obj <</Type /Sig /ByteRange [0 10 20 30] /Contents <00>>> endobj\n";

/// The signature each outgoing document's file carries.
#[derive(Clone, Copy)]
enum Signature {
    Valid,
    Broken,
    None,
}

/// A one-page PDF signed with the key the demo CA holds (sealed with the
/// test passphrase) for `certificate`.
fn sign_with(test: &TestApp, key_ref: &str, certificate: &[u8], issuing: Vec<u8>) -> Vec<u8> {
    let keys = pki::software::SoftwareKeys::new("egov test CA passphrase").unwrap();
    let key = pki::KeyProvider::open(&keys, &pki::KeyRef::parse(key_ref).unwrap()).unwrap();
    let signer = pdf::Signer {
        key: key.as_ref(),
        digest: pki::Digest::Sha256,
        certificate: certificate.to_vec(),
        chain: vec![issuing],
    };
    let options = pdf::SignOptions::new(test.app.now());
    pdf::sign(&super::pdf::one_page(), &signer, &options).unwrap()
}

#[tokio::test]
async fn users_issued_signed_and_received_are_counted_from_the_registers() {
    let (test, _) = TestApp::with_demo().await;
    let ctx = Ctx::system("test");
    let stttt = test.agency_id("000.00.11.H59").await;
    let province = test.agency_id("000.00.00.H59").await;
    let outgoing = [
        (
            "Quyết định",
            "Quyết định thành lập Đoàn kiểm tra dịch vụ internet",
            "Viễn thông",
            Signature::Valid,
        ),
        (
            "Kế hoạch",
            "Kế hoạch triển khai Kế hoạch số 20/KH-UBND ngày 09/3/2021 của UBND tỉnh",
            "Ứng dụng CNTT",
            Signature::Valid,
        ),
        (
            "Thông báo",
            "Thông báo lịch tiếp công dân",
            "Ứng dụng CNTT",
            Signature::Broken,
        ),
        (
            "Báo cáo",
            "Báo cáo công tác tháng 4",
            "Tham mưu, chỉ đạo điều hành",
            Signature::None,
        ),
    ];
    test.app.pki_init(&ctx).await.unwrap();
    test.app.load_demo_certificates(|_, _| {}).await.unwrap();
    let agency = domain::pki::Holder::Agency(stttt);
    let agency_certificate = super::signing::certificates_of(&test, agency)
        .await
        .remove(0);
    for (kind, summary, field, signature) in outgoing {
        let document = test
            .app
            .issue_outgoing(
                &ctx,
                NewOutgoing {
                    agency_id: stttt,
                    doc_type: kind.into(),
                    summary: summary.into(),
                    drafting_unit_id: None,
                    signer: None,
                    urgency: Urgency::Normal,
                    confidentiality: Confidentiality::Normal,
                    field: Some(field.into()),
                },
            )
            .await
            .unwrap();
        let bytes = match signature {
            Signature::Valid => {
                let key = agency_certificate.key_ref.as_deref().unwrap();
                let issuing = test.app.authority_certificate("issuing").await.unwrap();
                sign_with(&test, key, &agency_certificate.der, issuing)
            }
            Signature::Broken => BROKEN_SIGNED_PDF.to_vec(),
            Signature::None => super::pdf::one_page(),
        };
        test.app
            .attach_file(
                &ctx,
                document.id,
                NewFile {
                    name: "van-ban.pdf".into(),
                    description: String::new(),
                    content_type: None,
                    bytes: bytes.into(),
                },
            )
            .await
            .unwrap();
    }
    for symbol in ["26/CT-TTg", "437/QĐ-UBND"] {
        test.app
            .register_incoming(
                &ctx,
                NewIncoming {
                    agency_id: stttt,
                    symbol: symbol.into(),
                    doc_type: "Công văn".into(),
                    summary: "Về việc phối hợp".into(),
                    issued_on: date!(2021 - 03 - 01),
                    issuer: "UBND tỉnh".into(),
                    signer: None,
                    urgency: Urgency::Normal,
                    confidentiality: Confidentiality::Normal,
                    field: None,
                },
            )
            .await
            .unwrap();
    }
    let today = vn::dates::vietnam_date(test.app.now());
    let april = (today.replace_day(1).unwrap(), today);
    let figures = test.app.document_figures(&ctx, stttt, april).await.unwrap();
    assert_eq!(
        (
            figures.counts.outgoing,
            figures.counts.signed,
            figures.counts.incoming
        ),
        (4, 2, 2)
    );
    assert_eq!(figures.signed_percent.as_deref(), Some("50%"));
    assert_eq!(figures.users, 11, "the department's demo staff");
    let whole = test
        .app
        .document_figures(&ctx, province, april)
        .await
        .unwrap();
    // Besides the department's, only the provincial committee's documents
    // that the demo portal publishes, unsigned, from 1 April.
    let committee_outgoing = test
        .app
        .search_documents(
            &ctx,
            &domain::search::DocumentFilter {
                agency_id: Some(province),
                direction: Some(domain::documents::Direction::Outgoing),
                from: Some(april.0),
                to: Some(april.1),
                ..domain::search::DocumentFilter::default()
            },
            (0, 1),
        )
        .await
        .unwrap()
        .total;
    assert!(committee_outgoing > 0);
    assert_eq!(
        (
            whole.counts.outgoing,
            whole.counts.signed,
            whole.counts.incoming
        ),
        (
            figures.counts.outgoing + committee_outgoing,
            figures.counts.signed,
            figures.counts.incoming
        ),
        "nothing else in the province"
    );
    assert_eq!(whole.users, 12, "and the province's administrator");
    let before = test
        .app
        .document_figures(&ctx, stttt, (date!(2021 - 01 - 01), date!(2021 - 01 - 31)))
        .await
        .unwrap();
    assert_eq!(before.counts.outgoing, 0);
    assert_eq!(before.signed_percent, None);

    let groups = test.app.issued_by_field(&ctx, stttt, april).await.unwrap();
    let shape: Vec<(&str, usize)> = groups
        .iter()
        .map(|g| (g.field.as_str(), g.documents.len()))
        .collect();
    assert_eq!(
        shape,
        vec![
            ("Viễn thông", 1),
            ("Ứng dụng CNTT", 2),
            ("Tham mưu, chỉ đạo điều hành", 1)
        ]
    );
    let (plan, citations) = &groups[1].documents[0];
    assert_eq!(plan.doc_type, "Kế hoạch");
    assert_eq!(citations[0].symbol, "20/KH-UBND");
    assert_eq!(citations[0].cited_on, Some(date!(2021 - 03 - 09)));

    // A specialist of a unit may not read the department's figures.
    let email = "phiepts.stttt@travinh.gov.vn";
    test.set_password(email, "SoLieu#2021x").await;
    let token = test.token(email, "SoLieu#2021x").await;
    let specialist = test.app.signed_in(&token).await.unwrap().ctx(None);
    assert!(matches!(
        test.app.document_figures(&specialist, stttt, april).await,
        Err(app::AppError::Forbidden)
    ));
}

#[tokio::test]
async fn documents_are_filed_under_their_agencys_fields() {
    let (test, password) = TestApp::with_demo().await;
    let admin = test.token("quantri@travinh.gov.vn", &password).await;
    let stttt = test.agency_id("000.00.11.H59").await;
    let cntt = test.agency_id("000.04.11.H59").await;
    let path = format!("/api/v1/agencies/{stttt}/fields");
    let (status, body) = test
        .json(
            "PUT",
            &path,
            Some(&admin),
            Some(serde_json::json!({ "fields": ["Bưu chính", " Viễn   thông ", "buu chinh", ""] })),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["fields"],
        serde_json::json!(["Bưu chính", "Viễn thông"])
    );
    // A unit files under its department's list.
    let (_, unit) = test
        .json(
            "GET",
            &format!("/api/v1/agencies/{cntt}/fields"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(unit["fields"], body["fields"]);
    let ctx = Ctx::system("test");
    let new = |field: &str| NewOutgoing {
        agency_id: stttt,
        doc_type: "Thông báo".into(),
        summary: "Thông báo về mạng bưu chính công cộng".into(),
        drafting_unit_id: None,
        signer: None,
        urgency: Urgency::Normal,
        confidentiality: Confidentiality::Normal,
        field: Some(field.into()),
    };
    // Matched without diacritics, stored as the list spells it.
    let d = test
        .app
        .issue_outgoing(&ctx, new("VIEN THONG"))
        .await
        .unwrap();
    assert_eq!(d.field.as_deref(), Some("Viễn thông"));
    let refused = test.app.issue_outgoing(&ctx, new("Thời tiết")).await;
    assert!(
        matches!(&refused, Err(app::AppError::Invalid(m)) if m.contains("không có trong danh mục")),
        "{refused:?}"
    );
    // Only administrators set the list.
    let email = "phiepts.stttt@travinh.gov.vn";
    test.set_password(email, "LinhVuc#2021x").await;
    let specialist = test.token(email, "LinhVuc#2021x").await;
    let (status, _) = test
        .json(
            "PUT",
            &path,
            Some(&specialist),
            Some(serde_json::json!({ "fields": [] })),
        )
        .await;
    assert_eq!(status, 403);
}
