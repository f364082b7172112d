//! Drafting to issuing: the author, the unit head, the leader and the
//! clerk each take their step and no other; a return opens a new version;
//! issuing numbers the document and delivers it to the recipients'
//! incoming registers at once.

use app::Ctx;
use app::document_files::NewFile;
use app::drafts::NewDraft;
use domain::documents::{Confidentiality, Direction, Urgency};
use domain::drafts::{DraftAction, DraftState};
use domain::search::DocumentFilter;
use testkit::TestApp;

fn file(name: &str, body: &[u8]) -> NewFile {
    NewFile {
        name: name.into(),
        description: String::new(),
        content_type: None,
        bytes: [b"%PDF-1.7\n".as_slice(), body].concat().into(),
    }
}

fn forbidden<T: std::fmt::Debug>(result: &Result<T, app::AppError>) {
    assert!(
        matches!(result, Err(app::AppError::Forbidden)),
        "{result:?}"
    );
}

#[tokio::test]
async fn a_draft_goes_from_its_author_to_the_recipients_registers() {
    let (test, _) = TestApp::with_demo().await;
    let author = test.ctx_of("phiepts.stttt@travinh.gov.vn").await;
    let unit_head = test.ctx_of("hunglv.stttt@travinh.gov.vn").await;
    let leader = test.ctx_of("thanhnn.stttt@travinh.gov.vn").await;
    let clerk = test.ctx_of("nhunglth.stttt@travinh.gov.vn").await;
    let other_unit_head = test.ctx_of("binhdv.stttt@travinh.gov.vn").await;
    let stttt = test.agency_id("000.00.11.H59").await;
    let cntt = test.agency_id("000.04.11.H59").await;
    let ubnd = test.agency_id("000.00.00.H59").await;
    let snv = test.agency_id("000.00.02.H59").await;

    let draft = test
        .app
        .create_draft(
            &author,
            NewDraft {
                agency_id: stttt,
                drafting_unit_id: Some(cntt),
                doc_type: "Công văn".into(),
                summary: "Về việc  triển khai   chữ ký số trong cơ quan nhà nước".into(),
                signer: Some("Nguyễn Ngọc Thành".into()),
                urgency: Urgency::Urgent,
                confidentiality: Confidentiality::Normal,
                field: Some("Ứng dụng CNTT".into()),
                recipients: vec![ubnd, snv, snv],
                other_recipients: vec!["Lưu: VT, CNTT.".into(), "  ".into()],
            },
        )
        .await
        .unwrap();
    assert_eq!(draft.state, DraftState::Drafting);
    assert_eq!(
        draft.summary,
        "Về việc triển khai chữ ký số trong cơ quan nhà nước"
    );
    assert_eq!(draft.recipients.len(), 2);
    assert_eq!(draft.other_recipients, vec!["Lưu: VT, CNTT."]);

    // Nothing to submit without the document's file.
    let refused = test
        .app
        .act_on_draft(&author, draft.id, DraftAction::Submit, "")
        .await;
    assert!(matches!(refused, Err(app::AppError::Invalid(m)) if m.contains("chưa có tệp")));
    test.app
        .add_draft_file(&author, draft.id, file("Công văn chữ ký số.pdf", b"v1"))
        .await
        .unwrap();
    let d = test
        .app
        .act_on_draft(&author, draft.id, DraftAction::Submit, "Kính trình")
        .await
        .unwrap();
    assert_eq!(d.state, DraftState::Reviewing);
    // The unit head sees it in their tasks; the head of another unit does not.
    assert_eq!(
        test.app.my_tasks(&unit_head).await.unwrap().to_review.len(),
        1
    );
    assert!(
        test.app
            .my_tasks(&other_unit_head)
            .await
            .unwrap()
            .to_review
            .is_empty()
    );
    forbidden(
        &test
            .app
            .act_on_draft(&other_unit_head, draft.id, DraftAction::Endorse, "")
            .await,
    );
    forbidden(
        &test
            .app
            .act_on_draft(&author, draft.id, DraftAction::Endorse, "")
            .await,
    );
    // A return needs a reason, and opens version 2 with the same files.
    let refused = test
        .app
        .act_on_draft(&unit_head, draft.id, DraftAction::Return, " ")
        .await;
    assert!(matches!(refused, Err(app::AppError::Invalid(m)) if m.contains("lý do")));
    let d = test
        .app
        .act_on_draft(
            &unit_head,
            draft.id,
            DraftAction::Return,
            "Bổ sung phụ lục danh sách đơn vị",
        )
        .await
        .unwrap();
    assert_eq!((d.state, d.version), (DraftState::Drafting, 2));
    let view = test.app.draft(&author, draft.id).await.unwrap();
    assert_eq!(view.files.len(), 1);
    assert_eq!(view.files[0].version, 2);
    test.app
        .add_draft_file(&author, draft.id, file("Phụ lục danh sách.pdf", b"v2"))
        .await
        .unwrap();
    for (who, action, state) in [
        (&author, DraftAction::Submit, DraftState::Reviewing),
        (&unit_head, DraftAction::Endorse, DraftState::Approving),
    ] {
        let d = test
            .app
            .act_on_draft(who, draft.id, action, "")
            .await
            .unwrap();
        assert_eq!(d.state, state);
    }
    // The unit head cannot approve for the department; the leader can.
    forbidden(
        &test
            .app
            .act_on_draft(&unit_head, draft.id, DraftAction::Approve, "")
            .await,
    );
    assert_eq!(
        test.app.my_tasks(&leader).await.unwrap().to_approve.len(),
        1
    );
    test.app
        .act_on_draft(&leader, draft.id, DraftAction::Approve, "Đồng ý ban hành")
        .await
        .unwrap();
    // Approving twice is refused: the draft has moved on.
    assert!(
        test.app
            .act_on_draft(&leader, draft.id, DraftAction::Approve, "")
            .await
            .is_err()
    );
    forbidden(&test.app.issue_draft(&leader, draft.id).await);
    assert_eq!(test.app.my_tasks(&clerk).await.unwrap().to_issue.len(), 1);
    let document = test.app.issue_draft(&clerk, draft.id).await.unwrap();
    assert_eq!(document.symbol, "01/STTTT-CNTT");
    assert_eq!(document.signer.as_deref(), Some("Nguyễn Ngọc Thành"));
    assert!(document.exchange_id.is_some());
    let sent_files = test.app.document_files(&clerk, document.id).await.unwrap();
    assert_eq!(sent_files.len(), 2);

    // Each recipient has it in its incoming register, number 1, with the files.
    let system = Ctx::system("test");
    for agency in [ubnd, snv] {
        let found = test
            .app
            .search_documents(
                &system,
                &DocumentFilter {
                    agency_id: Some(agency),
                    direction: Some(Direction::Incoming),
                    ..DocumentFilter::default()
                },
                (0, 10),
            )
            .await
            .unwrap();
        assert_eq!(found.total, 1);
        let received = &found.items[0];
        assert_eq!(
            (received.number, received.symbol.as_str()),
            (1, "01/STTTT-CNTT")
        );
        assert_eq!(received.exchange_id, document.exchange_id);
        assert_eq!(
            received.issuer,
            "Sở Thông tin và Truyền thông tỉnh Trà Vinh"
        );
        let files = test.app.document_files(&system, received.id).await.unwrap();
        assert_eq!(
            files.iter().map(|f| f.sha256.clone()).collect::<Vec<_>>(),
            sent_files
                .iter()
                .map(|f| f.sha256.clone())
                .collect::<Vec<_>>()
        );
    }
    let view = test.app.draft(&author, draft.id).await.unwrap();
    assert_eq!(view.draft.state, DraftState::Issued);
    assert_eq!(view.draft.document_id, Some(document.id));
    let actions: Vec<DraftAction> = view.steps.iter().map(|s| s.action).collect();
    assert_eq!(
        actions,
        vec![
            DraftAction::Create,
            DraftAction::Submit,
            DraftAction::Return,
            DraftAction::Submit,
            DraftAction::Endorse,
            DraftAction::Approve,
            DraftAction::Issue,
        ]
    );
    assert_eq!(view.steps[2].comment, "Bổ sung phụ lục danh sách đơn vị");
    assert!(test.app.my_tasks(&author).await.unwrap().mine.is_empty());
    // Issuing twice is refused.
    assert!(test.app.issue_draft(&clerk, draft.id).await.is_err());
    // A person of another unit does not see the draft.
    forbidden(&test.app.draft(&other_unit_head, draft.id).await);
}

#[tokio::test]
async fn the_api_carries_a_draft_through_its_steps() {
    use http_body_util::BodyExt as _;
    let (test, _) = TestApp::with_demo().await;
    let password = "DuThao#2021x";
    let mut tokens = Vec::new();
    // The director drafts a report himself; his deputy approves it.
    for email in [
        "khoatm.stttt@travinh.gov.vn",
        "thanhnn.stttt@travinh.gov.vn",
        "nhunglth.stttt@travinh.gov.vn",
    ] {
        test.set_password(email, password).await;
        tokens.push(test.token(email, password).await);
    }
    let [author, leader, clerk] = [&tokens[0], &tokens[1], &tokens[2]];
    let stttt = test.agency_id("000.00.11.H59").await;
    let ubnd = test.agency_id("000.00.00.H59").await;
    let (status, draft) = test
        .json(
            "POST",
            "/api/v1/drafts",
            Some(author),
            Some(serde_json::json!({
                "agency_id": stttt,
                "doc_type": "Báo cáo",
                "summary": "Báo cáo tình hình ứng dụng CNTT quý I năm 2021",
                "recipients": [ubnd],
                "other_recipients": ["Lưu: VT, CNTT."],
            })),
        )
        .await;
    assert_eq!(status, 201, "{draft}");
    assert_eq!(draft["state"], "drafting");
    let id = draft["id"].as_i64().unwrap();
    let request = axum::http::Request::post(format!("/api/v1/drafts/{id}/files?name=bao-cao.pdf"))
        .header("authorization", format!("Bearer {author}"))
        .header("content-type", "application/pdf")
        .body(axum::body::Body::from(b"%PDF-1.7\nquy I".to_vec()))
        .unwrap();
    let response = test.send(request).await;
    assert_eq!(response.status(), 201);
    let act = |token: &str, action: &str| {
        let token = token.to_owned();
        let body = serde_json::json!({ "action": action });
        let test = &test;
        async move {
            test.json(
                "POST",
                &format!("/api/v1/drafts/{id}/actions"),
                Some(&token),
                Some(body),
            )
            .await
        }
    };
    let (status, body) = act(author, "submit").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["state"], "approving",
        "no drafting unit: straight to the leader"
    );
    let (status, body) = act(author, "approve").await;
    assert_eq!(
        status, 422,
        "the author does not approve his own draft: {body}"
    );
    let (status, _) = act(clerk, "approve").await;
    assert_eq!(status, 403);
    let (status, body) = act(leader, "dance").await;
    assert_eq!(status, 422, "{body}");
    let (status, tasks) = test.json("GET", "/api/v1/tasks", Some(leader), None).await;
    assert_eq!(status, 200);
    assert_eq!(tasks["to_approve"][0]["id"], id);
    let (status, body) = act(leader, "approve").await;
    assert_eq!(
        (status.as_u16(), body["state"].as_str()),
        (200, Some("approved"))
    );
    let (status, document) = test
        .json(
            "POST",
            &format!("/api/v1/drafts/{id}/issue"),
            Some(clerk),
            None,
        )
        .await;
    assert_eq!(status, 201, "{document}");
    assert_eq!(document["symbol"], "01/BC-STTTT");
    let (status, detail) = test
        .json("GET", &format!("/api/v1/drafts/{id}"), Some(author), None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(detail["draft"]["state"], "issued");
    assert_eq!(detail["steps"].as_array().unwrap().len(), 4);
    let file_id = detail["files"][0]["id"].as_i64().unwrap();
    let request = axum::http::Request::get(format!("/api/v1/drafts/{id}/files/{file_id}"))
        .header("authorization", format!("Bearer {author}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let response = test.send(request).await;
    assert_eq!(response.status(), 200);
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(&bytes[..], b"%PDF-1.7\nquy I");
}
