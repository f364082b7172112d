//! Documents published on the portal (issue 11, point 3): who may
//! publish what (an incoming or a confidential document is refused and
//! nothing changes), the public list, page and file download (404 once
//! withdrawn), the consultation's comment window, script injection kept
//! off the public and the staff pages, and the demo's April 2021 by the
//! seed's categories.

use std::path::Path;

use app::document_files::NewFile;
use app::documents::{NewIncoming, NewOutgoing};
use app::{AppError, Ctx};
use axum::http::{StatusCode, header};
use domain::documents::{Confidentiality, Document, Urgency};
use domain::portal::Site;
use domain::portal::publications::{CommentDraft, Consultation, DocumentCategory as C};
use testkit::TestApp;
use time::Duration;
use time::macros::date;

use crate::portal_pages::assert_clean;
use crate::ui::{form, get_html, hidden, sign_in_as, text};

const EDITOR: &str = "trangvtt.stttt@travinh.gov.vn";
const REVIEWER: &str = "thanhnn.stttt@travinh.gov.vn";
const DEPARTMENT: &str = "000.00.11.H59";

fn system() -> Ctx {
    Ctx::system("test")
}

struct Portal {
    test: TestApp,
    reviewer: Ctx,
    main: Site,
}

async fn portal() -> Portal {
    let (test, _) = TestApp::with_demo().await;
    Portal {
        reviewer: test.ctx_of(REVIEWER).await,
        main: test.app.site_by_slug("tra-vinh").await.unwrap(),
        test,
    }
}

impl Portal {
    /// An outgoing document of the department with one PDF file.
    async fn outgoing(&self, summary: &str, confidentiality: Confidentiality) -> Document {
        let app = &self.test.app;
        let agency_id = self.test.agency_id(DEPARTMENT).await;
        let d = app
            .issue_outgoing(
                &system(),
                NewOutgoing {
                    agency_id,
                    doc_type: "Kế hoạch".into(),
                    summary: summary.into(),
                    drafting_unit_id: None,
                    signer: Some("Trần Minh Khoa".into()),
                    urgency: Urgency::Normal,
                    confidentiality,
                    field: None,
                },
            )
            .await
            .unwrap();
        app.attach_file(
            &system(),
            d.id,
            NewFile {
                name: "Kế hoạch.pdf".into(),
                description: String::new(),
                content_type: None,
                bytes: app::demo::sample_pdf(&["Ke hoach", summary]).into(),
            },
        )
        .await
        .unwrap();
        d
    }

    async fn get(&self, path: &str) -> axum::response::Response {
        crate::ui::public_get(&self.test, path).await
    }

    async fn html(&self, path: &str) -> String {
        crate::ui::public_html(&self.test, path).await
    }

    async fn post_comment(&self, path: &str, fields: &[(&str, &str)]) -> axum::response::Response {
        let body = serde_urlencoded::to_string(fields).unwrap();
        self.test.send(form(path, "", body)).await
    }
}

fn invalid(result: Result<impl std::fmt::Debug, AppError>) -> String {
    match result {
        Err(AppError::Invalid(reason)) => reason,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn only_public_outgoing_documents_are_published_and_served() {
    let p = portal().await;
    let app = &p.test.app;
    let agency_id = p.test.agency_id(DEPARTMENT).await;
    let public = p
        .outgoing(
            "Triển khai Chương trình chuyển đổi số năm 2021",
            Confidentiality::Normal,
        )
        .await;
    let secret = p
        .outgoing("Bảo đảm an ninh mạng", Confidentiality::Confidential)
        .await;
    let incoming = app
        .register_incoming(
            &system(),
            NewIncoming {
                agency_id,
                symbol: "437/QĐ-UBND".into(),
                doc_type: "Quyết định".into(),
                summary: "Về việc giao chỉ tiêu".into(),
                issued_on: date!(2021 - 04 - 01),
                issuer: "Ủy ban nhân dân tỉnh Trà Vinh".into(),
                signer: None,
                urgency: Urgency::Normal,
                confidentiality: Confidentiality::Normal,
                field: None,
            },
        )
        .await
        .unwrap();
    // Signing the editor in is audited: before counting.
    let editor = p.test.ctx_of(EDITOR).await;
    let list_before = app
        .public_publications(p.main.id, None, 1)
        .await
        .unwrap()
        .total;
    let seq = p.test.audit_seq().await;
    let refused = invalid(
        app.publish_document(&system(), p.main.id, incoming.id, C::Announcement, None)
            .await,
    );
    assert!(refused.contains("văn bản đi"), "{refused}");
    let refused = invalid(
        app.publish_document(&system(), p.main.id, secret.id, C::Directives, None)
            .await,
    );
    assert!(
        refused.contains("«Mật»") && refused.contains("«Thường»"),
        "{refused}"
    );
    // An editor may not publish; a bad period is refused.
    assert!(matches!(
        app.publish_document(&editor, p.main.id, public.id, C::Directives, None)
            .await,
        Err(AppError::Forbidden)
    ));
    assert!(Consultation::new(date!(2021 - 04 - 10), date!(2021 - 04 - 01)).is_err());
    assert_eq!(p.test.audit_seq().await, seq, "nothing recorded");
    assert_eq!(
        app.public_publications(p.main.id, None, 1)
            .await
            .unwrap()
            .total,
        list_before
    );

    let published = app
        .publish_document(&p.reviewer, p.main.id, public.id, C::Directives, None)
        .await
        .unwrap();
    assert_eq!(p.test.audit_seq().await, seq + 1);
    let again = invalid(
        app.publish_document(&p.reviewer, p.main.id, public.id, C::Directives, None)
            .await,
    );
    assert!(again.contains("đã được đăng"), "{again}");

    // The list, by category, and the page.
    let list = p.html("/site/tra-vinh/van-ban?loai=directives").await;
    assert!(list.contains(&public.symbol) && list.contains("chuyển đổi số"));
    let other = p.html("/site/tra-vinh/van-ban?loai=recruitment").await;
    assert!(!other.contains(&public.symbol));
    assert_eq!(
        p.get("/site/tra-vinh/van-ban?loai=nothing").await.status(),
        StatusCode::NOT_FOUND
    );
    let path = format!("/site/tra-vinh/van-ban/{}", published.id);
    let page = p.html(&path).await;
    for shown in [
        public.symbol.as_str(),
        "Trần Minh Khoa",
        "Kế hoạch.pdf",
        "Văn bản chỉ đạo điều hành",
    ] {
        assert!(page.contains(shown), "{shown}");
    }
    assert!(!page.contains("Gửi góp ý"), "no consultation, no form");

    // The file, as stored; another document's file is not served here.
    let files = app.document_files(&system(), public.id).await.unwrap();
    let file_path = format!("{path}/tep/{}", files[0].id);
    let response = p.get(&file_path).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/pdf");
    let disposition = response.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(text(response).await.starts_with("%PDF"));
    let secret_file = app.document_files(&system(), secret.id).await.unwrap()[0].id;
    for wrong in [
        format!("{path}/tep/{secret_file}"),
        format!("/site/tra-vinh/van-ban/999999/tep/{}", files[0].id),
        format!("/site/tra-vinh/van-ban/x/tep/{}", files[0].id),
        format!("{path}/tep/x"),
        "/site/tra-vinh/van-ban/-1".to_owned(),
    ] {
        assert_eq!(
            p.get(&wrong).await.status(),
            StatusCode::NOT_FOUND,
            "{wrong}"
        );
    }
    // Another site's address does not show it.
    let other_site = app
        .sites()
        .await
        .unwrap()
        .into_iter()
        .find(|s| !s.main)
        .unwrap();
    let elsewhere = format!("/site/{}/van-ban/{}", other_site.slug, published.id);
    assert_eq!(p.get(&elsewhere).await.status(), StatusCode::NOT_FOUND);

    // Withdrawn: gone from the list, the page and the file (the cache
    // emptied by the staff's page; here by hand, as the use case is called
    // directly).
    app.withdraw_publication(&p.reviewer, published.id)
        .await
        .unwrap();
    web::content_changed(&p.test.public_cache);
    assert_eq!(p.get(&path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(p.get(&file_path).await.status(), StatusCode::NOT_FOUND);
    assert!(
        !p.html("/site/tra-vinh/van-ban?loai=directives")
            .await
            .contains(&public.symbol)
    );
    invalid(app.withdraw_publication(&p.reviewer, published.id).await);
    // Once withdrawn it may be published again.
    app.publish_document(&p.reviewer, p.main.id, public.id, C::Directives, None)
        .await
        .unwrap();
}

fn comment(name: &str, body: &str) -> CommentDraft {
    CommentDraft {
        name: name.into(),
        contact: "0294 3862 123".into(),
        organisation: String::new(),
        body: body.into(),
    }
}

#[tokio::test]
async fn comments_only_while_the_consultation_is_open() {
    let p = portal().await;
    let app = &p.test.app;
    let d = p
        .outgoing(
            "Dự thảo Nghị quyết hỗ trợ chuyển đổi số",
            Confidentiality::Normal,
        )
        .await;
    // The clock stands at 5 April 2021; the period is the 6th to the 15th.
    let period = Consultation::new(date!(2021 - 04 - 06), date!(2021 - 04 - 15)).unwrap();
    let publication = app
        .publish_document(
            &p.reviewer,
            p.main.id,
            d.id,
            C::PublicConsultation,
            Some(period),
        )
        .await
        .unwrap();
    let id = publication.id;
    let count = || async {
        app.consultation_comments(&p.reviewer, id)
            .await
            .unwrap()
            .len()
    };
    let early = invalid(app.submit_comment(id, comment("An", "Sớm quá")).await);
    assert!(early.contains("6/4/2021"), "{early}");
    assert_eq!(count().await, 0);

    p.test.clock.advance(Duration::days(1));
    app.submit_comment(id, comment("An", "Đề nghị bổ sung điều 3"))
        .await
        .unwrap();
    // Through the form: a thank-you after the redirect.
    let path = format!("/site/tra-vinh/van-ban/{id}");
    let response = p
        .post_comment(
            &path,
            &[
                ("name", "Bình"),
                ("contact", ""),
                ("organisation", "HTX Thanh Bình"),
                ("body", "Đồng ý với dự thảo"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let to = response.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(to, format!("{path}?da-gui=1"));
    let page = p.html(&to).await;
    assert!(
        page.contains("Cảm ơn") && page.contains("Đã nhận 2 ý kiến"),
        "{page}"
    );
    // A refusal shows the form again with the reason and the text.
    let response = p
        .post_comment(&path, &[("name", " "), ("body", "Ý kiến <b>của tôi</b>")])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(response).await;
    assert!(page.contains("cần ghi họ và tên"), "{page}");
    assert!(
        page.contains("Ý kiến &#60;b&#62;của tôi&#60;/b&#62;"),
        "{page}"
    );
    // Too large a form: refused with a reason, nothing stored.
    let huge = "x".repeat(70 * 1024);
    let response = p
        .post_comment(&path, &[("name", "C"), ("body", &huge)])
        .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(text(response).await.contains("quá lớn"));
    assert_eq!(count().await, 2);

    // The last day counts to its end; the day after does not.
    p.test.clock.advance(Duration::days(9));
    app.submit_comment(id, comment("Chi", "Ngày cuối"))
        .await
        .unwrap();
    p.test.clock.advance(Duration::days(1));
    let late = invalid(app.submit_comment(id, comment("Dũng", "Muộn")).await);
    assert!(late.contains("15/4/2021"), "{late}");
    assert_eq!(count().await, 3);

    // A withdrawn publication takes no comment either.
    let d2 = p
        .outgoing(
            "Dự thảo Quy định quản lý chất thải",
            Confidentiality::Normal,
        )
        .await;
    let today = vn::dates::vietnam_date(app.now());
    let open = Consultation::new(today, today + Duration::days(10)).unwrap();
    let other = app
        .publish_document(
            &p.reviewer,
            p.main.id,
            d2.id,
            C::PublicConsultation,
            Some(open),
        )
        .await
        .unwrap();
    app.withdraw_publication(&p.reviewer, other.id)
        .await
        .unwrap();
    let refused = invalid(app.submit_comment(other.id, comment("Em", "x")).await);
    assert!(refused.contains("gỡ"), "{refused}");
    assert!(
        app.consultation_comments(&p.reviewer, other.id)
            .await
            .unwrap()
            .is_empty()
    );
    // Comments are the site staff's to read.
    let editor = p.test.ctx_of(EDITOR).await;
    assert!(app.consultation_comments(&editor, id).await.is_ok());
}

#[tokio::test]
async fn no_payload_reaches_the_public_or_the_staff_page() {
    let p = portal().await;
    let app = &p.test.app;
    let payloads = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../domain/tests/fixtures/xss_payloads.txt"),
    )
    .unwrap();
    let payloads: Vec<&str> = payloads.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(payloads.len() > 90);
    let d = p
        .outgoing("Dự thảo lấy ý kiến", Confidentiality::Normal)
        .await;
    let today = vn::dates::vietnam_date(app.now());
    let open = Consultation::new(today, today + Duration::days(10)).unwrap();
    let publication = app
        .publish_document(
            &p.reviewer,
            p.main.id,
            d.id,
            C::PublicConsultation,
            Some(open),
        )
        .await
        .unwrap();
    let path = format!("/site/tra-vinh/van-ban/{}", publication.id);
    let marked = |s: &str| s.contains(['<', '>', '"', '\'', '&']);
    for payload in &payloads {
        let name: String = payload.chars().take(100).collect();
        // Through the form, stored as a comment (name and body).
        let response = p
            .post_comment(
                &path,
                &[
                    ("name", &name),
                    ("organisation", payload),
                    ("body", payload),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{payload}");
        // Refused (no name): the page again, with the text escaped.
        let response = p
            .post_comment(&path, &[("name", ""), ("body", payload)])
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = text(response).await;
        assert_clean("refused comment", &page);
        if marked(payload) {
            assert!(!page.contains(payload), "raw on the public page: {payload}");
        }
    }
    assert_clean("public page", &p.html(&path).await);
    p.test.set_password(REVIEWER, testkit::PASSWORD).await;
    let session = sign_in_as(&p.test, REVIEWER, testkit::PASSWORD).await;
    let staff = get_html(
        &p.test,
        &session,
        &format!("/app/portal/documents/{}", publication.id),
    )
    .await;
    assert_eq!(
        app.consultation_comments(&p.reviewer, publication.id)
            .await
            .unwrap()
            .len(),
        payloads.len()
    );
    assert!(staff.contains("Ý kiến góp ý"));
    assert_clean("staff page", &staff);
    for payload in payloads.iter().filter(|s| marked(s)) {
        let name: String = payload.chars().take(100).collect();
        assert!(
            !staff.contains(*payload),
            "raw on the staff page: {payload}"
        );
        assert!(!marked(&name) || !staff.contains(&name), "raw name: {name}");
    }
}

#[tokio::test]
async fn the_demo_publishes_the_seeds_april_documents() {
    let p = portal().await;
    let app = &p.test.app;
    let april = app
        .portal_figures((date!(2021 - 04 - 01), date!(2021 - 04 - 30)), None)
        .await
        .unwrap();
    let seed = [
        (C::LeadersSchedule, 5),
        (C::CitizenReception, 1),
        (C::LegalNormative, 16),
        (C::Announcement, 1),
        (C::Directives, 13),
        (C::Recruitment, 4),
        (C::AdministrativeReform, 4),
        (C::LegalEducation, 1),
        (C::PublicProcurement, 4),
        (C::Elections, 17),
        (C::PublicConsultation, 10),
    ];
    for (category, n) in seed {
        assert_eq!(april.documents.count(category), n, "{category:?}");
    }
    // The seed's kinds add up to 76 of its 77: the 77th is of no named
    // kind, counted in the total only.
    assert_eq!(april.documents.count(C::Other), 1);
    assert_eq!(april.documents.total(), 77);
    assert_eq!(
        april.documents.sentence(),
        "77 văn bản (Gồm: 05 lịch làm việc lãnh đạo, 01 lịch tiếp công dân, \
         16 văn bản quy phạm pháp luật, 01 thông báo, 13 văn bản chỉ đạo điều hành, \
         04 thông tin tuyển dụng, 04 văn bản về cải cách hành chính, \
         01 văn bản tuyên truyền phổ biến pháp luật, 04 văn bản đấu thầu mua sắm công, \
         17 văn bản về Bầu cử đại biểu Quốc hội, HĐND các cấp nhiệm kỳ 2021 – 2026, \
         10 văn bản lấy ý kiến nhân dân)"
    );
    let march = app
        .portal_figures((date!(2021 - 03 - 01), date!(2021 - 03 - 31)), None)
        .await
        .unwrap();
    assert_eq!(march.documents.total(), 0);
    assert_eq!(march.documents.sentence(), "00 văn bản");
    // Each links a registered outgoing document with its file.
    let consultations = app
        .public_publications(p.main.id, Some(C::PublicConsultation), 1)
        .await
        .unwrap();
    assert_eq!(consultations.total, 10);
    let mut comments = 0;
    for (publication, document) in &consultations.items {
        assert_eq!(document.direction, domain::documents::Direction::Outgoing);
        assert!(publication.consultation.is_some());
        let shown = app.public_publication(publication.id).await.unwrap();
        assert_eq!(shown.files.len(), 1);
        comments += shown.comments;
    }
    assert!(comments >= 5);
    let list = p.html("/site/tra-vinh/van-ban").await;
    assert!(list.contains("77 văn bản"), "{list}");
}

#[tokio::test]
async fn the_reviewer_publishes_and_withdraws_on_the_staff_tab() {
    let p = portal().await;
    let d = p
        .outgoing(
            "Tuyên truyền cải cách hành chính năm 2021",
            Confidentiality::Normal,
        )
        .await;
    let secret = p
        .outgoing("Phương án bảo vệ bí mật", Confidentiality::Confidential)
        .await;
    p.test.set_password(REVIEWER, testkit::PASSWORD).await;
    let session = sign_in_as(&p.test, REVIEWER, testkit::PASSWORD).await;
    let tab = format!("/app/portal/sites/{}/documents", p.main.id);
    let q = serde_urlencoded::to_string([("q", &d.symbol)]).unwrap();
    let page = get_html(&p.test, &session, &format!("{tab}?{q}")).await;
    assert!(
        page.contains(&d.summary) && page.contains("Đăng lên trang"),
        "{page}"
    );
    let csrf = hidden(&page, "csrf");
    let post = |fields: Vec<(&'static str, String)>| {
        let body = serde_urlencoded::to_string(fields).unwrap();
        p.test.send(form(&tab, &session, body))
    };
    // A confidential one is refused with the reason, on the tab again.
    let response = post(vec![
        ("csrf", csrf.clone()),
        ("document_id", secret.id.to_string()),
        ("category", "directives".into()),
    ])
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(response).await.contains("«Thường»"));
    // A period ending before it begins is refused too.
    let response = post(vec![
        ("csrf", csrf.clone()),
        ("document_id", d.id.to_string()),
        ("category", "public_consultation".into()),
        ("opens", "2021-04-20".into()),
        ("closes", "2021-04-10".into()),
    ])
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(response).await.contains("phải sau ngày bắt đầu"));
    // Without the token nothing happens.
    let response = post(vec![
        ("document_id", d.id.to_string()),
        ("category", "administrative_reform".into()),
    ])
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        p.test
            .app
            .site_publications(&p.reviewer, p.main.id, 1)
            .await
            .unwrap()
            .total,
        77
    );

    let response = post(vec![
        ("csrf", csrf.clone()),
        ("document_id", d.id.to_string()),
        ("category", "administrative_reform".into()),
        ("opens", "2021-04-05".into()),
        ("closes", "2021-04-30".into()),
    ])
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let listed = p
        .test
        .app
        .public_publications(p.main.id, Some(C::AdministrativeReform), 1)
        .await
        .unwrap();
    let (publication, _) = listed.items.iter().find(|(_, doc)| doc.id == d.id).unwrap();
    assert!(publication.consultation.is_some());
    let public = format!("/site/tra-vinh/van-ban/{}", publication.id);
    assert!(p.html(&public).await.contains("Gửi góp ý"));
    // Dated before most of the demo's April, it is on the tab's last page.
    let last = format!("{tab}?trang=4");
    let tab_page = get_html(&p.test, &session, &last).await;
    assert!(tab_page.contains("Văn bản đã đăng (78)"), "{tab_page}");
    assert!(tab_page.contains(&d.symbol) && tab_page.contains("Gỡ khỏi trang"));

    let withdraw = format!("/app/portal/documents/{}/withdraw", publication.id);
    let body = serde_urlencoded::to_string([("csrf", &csrf)]).unwrap();
    let response = p.test.send(form(&withdraw, &session, body)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    // The staff page emptied the public cache: gone at once.
    assert_eq!(p.get(&public).await.status(), StatusCode::NOT_FOUND);
    assert!(
        get_html(&p.test, &session, &last)
            .await
            .contains("Đã gỡ lúc")
    );
}
