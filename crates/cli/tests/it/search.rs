//! Document search: words without diacritics find words with them, filters
//! narrow, and nobody finds what they may not read.

use app::Ctx;
use app::documents::{NewIncoming, NewOutgoing};
use app::people::NewPerson;
use domain::documents::{Confidentiality, Urgency};
use domain::people::{PersonDraft, Role};
use serde_json::Value;
use testkit::TestApp;
use time::macros::date;

const PASSWORD: &str = "TimKiem#2021x";

async fn person(test: &TestApp, agency_id: i64, email: &str, role: Role) -> String {
    let new = NewPerson {
        draft: PersonDraft {
            full_name: "Trần Văn Thử".into(),
            position: "Chuyên viên".into(),
            agency_id,
            email: email.into(),
            phone: None,
        },
        roles: vec![role],
        password: Some(PASSWORD.into()),
    };
    test.app
        .create_person(&Ctx::system("test"), new)
        .await
        .unwrap();
    test.token(email, PASSWORD).await
}

fn outgoing(agency_id: i64, doc_type: &str, summary: &str, secret: bool) -> NewOutgoing {
    NewOutgoing {
        agency_id,
        doc_type: doc_type.into(),
        summary: summary.into(),
        drafting_unit_id: None,
        signer: Some("Nguyễn Ngọc Thành".into()),
        urgency: Urgency::Normal,
        confidentiality: if secret {
            Confidentiality::Confidential
        } else {
            Confidentiality::Normal
        },
        field: Some("Thông tin cơ sở".into()),
    }
}

fn symbols(body: &Value) -> Vec<String> {
    let mut found: Vec<String> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["symbol"].as_str().unwrap().to_owned())
        .collect();
    found.sort();
    found
}

async fn search(test: &TestApp, token: &str, query: &str) -> Value {
    let (status, body) = test
        .json(
            "GET",
            &format!("/api/v1/documents?{query}"),
            Some(token),
            None,
        )
        .await;
    assert_eq!(status, 200, "{query}: {body}");
    body
}

#[tokio::test]
async fn words_without_diacritics_find_documents_and_only_visible_ones() {
    let test = TestApp::new().await;
    let ctx = Ctx::system("test");
    let (province, department, other) = {
        let (ubnd, _) = crate::documents::province(&test).await;
        let draft = |code: &str, name: &str, short: &str| domain::agencies::AgencyDraft {
            code: code.parse().unwrap(),
            name: name.into(),
            short_name: short.into(),
            kind: domain::agencies::AgencyKind::Department,
            parent_id: Some(ubnd),
            effective_from: date!(1992 - 05 - 01),
            effective_to: None,
            successor_id: None,
        };
        let stttt = test
            .app
            .create_agency(
                &ctx,
                draft("000.00.11.H59", "Sở Thông tin và Truyền thông", "STTTT"),
            )
            .await
            .unwrap();
        let snv = test
            .app
            .create_agency(&ctx, draft("000.00.02.H59", "Sở Nội vụ", "SNV"))
            .await
            .unwrap();
        (ubnd, stttt.id, snv.id)
    };
    let issue = |agency, kind: &'static str, summary: &'static str, secret| {
        let app = test.app.clone();
        async move {
            app.issue_outgoing(
                &Ctx::system("test"),
                outgoing(agency, kind, summary, secret),
            )
            .await
            .unwrap()
            .symbol
        }
    };
    let election = issue(
        department,
        "Kế hoạch",
        "Kế hoạch tuyên truyền cuộc bầu cử đại biểu Quốc hội khóa XV",
        false,
    )
    .await;
    let egov = issue(
        department,
        "Báo cáo",
        "Báo cáo tình hình xây dựng Chính quyền điện tử tháng 4",
        false,
    )
    .await;
    let secret = issue(
        department,
        "Báo cáo",
        "Báo cáo mật về an toàn thông tin trong bầu cử",
        true,
    )
    .await;
    let elsewhere = issue(
        other,
        "Hướng dẫn",
        "Hướng dẫn công tác bầu cử đại biểu Hội đồng nhân dân",
        false,
    )
    .await;
    let incoming = test
        .app
        .register_incoming(
            &ctx,
            NewIncoming {
                agency_id: department,
                symbol: "26/CT-TTg".into(),
                doc_type: "Chỉ thị".into(),
                summary: "Về tổ chức cuộc bầu cử đại biểu Quốc hội".into(),
                issued_on: date!(2021 - 01 - 05),
                issuer: "Thủ tướng Chính phủ".into(),
                signer: None,
                urgency: Urgency::Flash,
                confidentiality: Confidentiality::Normal,
                field: None,
            },
        )
        .await
        .unwrap()
        .symbol;

    let specialist = person(
        &test,
        department,
        "chuyenvien@travinh.gov.vn",
        Role::Specialist,
    )
    .await;
    let leader = person(&test, department, "lanhdao@travinh.gov.vn", Role::Leader).await;
    let governor = person(&test, province, "chutich@travinh.gov.vn", Role::Leader).await;

    // Diacritics and case do not matter; đ is d.
    let found = search(&test, &specialist, "q=bau%20cu").await;
    assert_eq!(symbols(&found), {
        let mut s = vec![election.clone(), incoming.clone()];
        s.sort();
        s
    });
    assert_eq!(found["total"], 2);
    assert_eq!(
        symbols(&search(&test, &specialist, "q=dien%20tu").await),
        vec![egov.clone()]
    );
    assert_eq!(
        symbols(&search(&test, &specialist, "q=%C4%90I%E1%BB%86N%20T%E1%BB%AC").await),
        vec![egov.clone()],
        "ĐIỆN TỬ in capitals"
    );
    // Number and symbol, signer, issuer are searched too.
    assert_eq!(
        symbols(&search(&test, &specialist, "q=26%2FCT-TTg").await),
        vec![incoming.clone()]
    );
    assert_eq!(
        search(&test, &specialist, "q=ngoc%20thanh").await["total"],
        2,
        "the signer of the two visible outgoing documents"
    );
    // A quoted phrase must occur in order; loose words need not.
    assert_eq!(
        search(&test, &specialist, "q=%22cu%20bau%22").await["total"],
        0
    );
    assert_eq!(search(&test, &specialist, "q=cu%20bau").await["total"], 2);
    // Filters narrow the words.
    assert_eq!(
        symbols(
            &search(
                &test,
                &specialist,
                "q=bau%20cu&direction=incoming&urgency=flash"
            )
            .await
        ),
        vec![incoming.clone()]
    );
    assert_eq!(
        search(
            &test,
            &specialist,
            "q=bau%20cu&doc_type=K%E1%BA%BF%20ho%E1%BA%A1ch"
        )
        .await["total"],
        1
    );
    assert_eq!(
        search(&test, &specialist, "q=bau%20cu&from=2099-01-01").await["total"],
        0
    );

    // The specialist never finds another agency's documents, nor the
    // department's confidential one; the department's leader finds that,
    // and the province's leader finds everything below the province.
    let by_specialist = symbols(&search(&test, &specialist, "").await);
    assert!(!by_specialist.contains(&elsewhere));
    assert!(!by_specialist.contains(&secret));
    let by_leader = symbols(&search(&test, &leader, "q=bau%20cu").await);
    assert!(by_leader.contains(&secret));
    assert!(!by_leader.contains(&elsewhere));
    let by_governor = symbols(&search(&test, &governor, "q=bau%20cu").await);
    assert_eq!(by_governor.len(), 4, "{by_governor:?}");
    // Asking for another agency by id gives nothing, not its documents.
    let asked = search(&test, &specialist, &format!("agency_id={other}")).await;
    assert_eq!(asked["total"], 0);
    // The confidential document itself is refused to the specialist.
    let secret_id = search(&test, &leader, "q=an%20toan%20thong%20tin").await["items"][0]["id"]
        .as_i64()
        .unwrap();
    let (status, _) = test
        .json(
            "GET",
            &format!("/api/v1/documents/{secret_id}"),
            Some(&specialist),
            None,
        )
        .await;
    assert_eq!(status, 403);
    // Paging: one at a time, the total stays.
    let first = search(&test, &governor, "q=bau%20cu&limit=1").await;
    let second = search(&test, &governor, "q=bau%20cu&limit=1&offset=1").await;
    assert_eq!(
        (first["total"].clone(), second["total"].clone()),
        (4.into(), 4.into())
    );
    assert_ne!(symbols(&first), symbols(&second));
    // Nonsense in the question is no error, only no result.
    assert_eq!(
        search(&test, &specialist, "q=%22%22%20AND%20(%20*%20NEAR").await["total"],
        0
    );
}

#[tokio::test]
async fn words_inside_attached_pdf_and_docx_files_are_found() {
    let test = TestApp::new().await;
    let ctx = Ctx::system("test");
    let (ubnd, _) = crate::documents::province(&test).await;
    let mut ids = Vec::new();
    for (summary, name, bytes) in [
        (
            "Văn bản kèm tệp PDF",
            "ke-hoach.pdf",
            include_bytes!("../../../textract/tests/data/libreoffice.pdf").as_slice(),
        ),
        (
            "Văn bản kèm tệp Word",
            "ke-hoach.docx",
            include_bytes!("../../../textract/tests/data/libreoffice.docx").as_slice(),
        ),
    ] {
        let document = test
            .app
            .issue_outgoing(&ctx, outgoing(ubnd, "Thông báo", summary, false))
            .await
            .unwrap();
        test.app
            .attach_file(
                &ctx,
                document.id,
                app::document_files::NewFile {
                    name: name.into(),
                    description: String::new(),
                    content_type: None,
                    bytes: bytes.to_vec().into(),
                },
            )
            .await
            .unwrap();
        ids.push(document.id);
    }
    // Words only the files contain, typed without diacritics.
    assert_eq!(found(&test, "\"nguyen dinh chieu\"").await, ids);
    assert_eq!(found(&test, "bau cu quoc hoi khoa XV").await, ids);
    assert_eq!(found(&test, "\"chinh quyen dien tu\"").await, ids);
    assert!(found(&test, "\"chieu dinh nguyen\"").await.is_empty());
}

#[tokio::test]
async fn citations_link_to_the_documents_they_name() {
    let test = TestApp::new().await;
    let ctx = Ctx::system("test");
    let (ubnd, _) = crate::documents::province(&test).await;
    let plan = test
        .app
        .issue_outgoing(
            &ctx,
            outgoing(ubnd, "Kế hoạch", "Kế hoạch ứng dụng CNTT năm 2021", false),
        )
        .await
        .unwrap();
    let day = vn::dates::format_short(plan.issued_on);
    let citing = test
        .app
        .issue_outgoing(
            &ctx,
            outgoing(
                ubnd,
                "Công văn",
                &format!("Triển khai Kế hoạch số 1/KH-UBND ngày {day} và Chỉ thị 26/CT-TTg"),
                false,
            ),
        )
        .await;
    // A công văn needs its drafting unit: the rule still holds.
    assert!(citing.is_err());
    let citing = test
        .app
        .issue_outgoing(
            &ctx,
            outgoing(
                ubnd,
                "Thông báo",
                &format!("Triển khai Kế hoạch số 1/KH-UBND ngày {day} và Chỉ thị 26/CT-TTg"),
                false,
            ),
        )
        .await
        .unwrap();
    let cited = test.app.document_citations(&ctx, citing.id).await.unwrap();
    assert_eq!(cited.len(), 2);
    assert_eq!(cited[0].0.symbol, "01/KH-UBND");
    assert_eq!(
        cited[0].1.iter().map(|d| d.id).collect::<Vec<_>>(),
        vec![plan.id]
    );
    assert_eq!(cited[1].0.symbol, "26/CT-TTg");
    assert!(cited[1].1.is_empty(), "not in any register here");
    let back = test.app.citing_documents(&ctx, plan.id).await.unwrap();
    assert_eq!(
        back.iter().map(|d| d.id).collect::<Vec<_>>(),
        vec![citing.id]
    );
}

/// Khmer is written without spaces: one word of a sentence finds it, on
/// both engines, because index and question are cut by the same rule.
#[tokio::test]
async fn khmer_words_find_documents_written_without_spaces() {
    let test = TestApp::new().await;
    let ctx = Ctx::system("test");
    let (ubnd, _) = crate::documents::province(&test).await;
    let mut ids = Vec::new();
    for summary in [
        // "Tra Vinh province organised the New Year ceremony."
        "ខេត្តត្រាវិញបានរៀបចំពិធីបុណ្យចូលឆ្នាំថ្មី",
        // The Ok Om Bok boat-race festival, in a Vietnamese summary.
        "Kế hoạch tổ chức lễ hội បុណ្យអុំទូក năm 2021",
        // "The new school."
        "សាលារៀនថ្មី",
    ] {
        let document = test
            .app
            .issue_outgoing(&ctx, outgoing(ubnd, "Thông báo", summary, false))
            .await
            .unwrap();
        ids.push(document.id);
    }
    let (ceremony, festival, school) = (ids[0], ids[1], ids[2]);
    assert_eq!(found(&test, "ខេត្ត").await, [ceremony]);
    assert_eq!(found(&test, "ត្រាវិញ").await, [ceremony]);
    assert_eq!(found(&test, "\"បានរៀបចំ\"").await, [ceremony]);
    assert_eq!(found(&test, "ថ្មី").await, [ceremony, school]);
    assert_eq!(found(&test, "បុណ្យអុំទូក").await, [festival]);
    assert_eq!(found(&test, "le hoi បុណ្យអុំទូក 2021").await, [festival]);
    // "Phnom Penh" is in none of them.
    assert!(found(&test, "ភ្នំពេញ").await.is_empty());
}

/// The ids of the documents the system finds for `question`, in order.
async fn found(test: &TestApp, question: &str) -> Vec<i64> {
    let filter = domain::search::DocumentFilter {
        terms: domain::search::Terms::parse(question),
        ..Default::default()
    };
    let mut found: Vec<i64> = test
        .app
        .search_documents(&Ctx::system("test"), &filter, (0, 10))
        .await
        .unwrap()
        .items
        .iter()
        .map(|d| d.id)
        .collect();
    found.sort_unstable();
    found
}
