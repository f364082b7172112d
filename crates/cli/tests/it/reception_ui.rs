//! Citizen reception's staff pages: the calendar with the demo's visits,
//! a visit and a petition recorded through the forms, a petition's page
//! and its classification, the figures — each person seeing the people
//! or «(đã ẩn)» as the rule says.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use testkit::{PASSWORD, TestApp};

use crate::ui::{form, hidden, sign_in_as, text};

const INSPECTOR: &str = "tienhtm.stttt@travinh.gov.vn";

async fn get(test: &TestApp, session: &str, path: &str) -> (StatusCode, String) {
    let response = test
        .send(
            Request::get(path)
                .header(header::COOKIE, session)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    (response.status(), text(response).await)
}

async fn session(test: &TestApp, email: &str) -> String {
    test.set_password(email, PASSWORD).await;
    sign_in_as(test, email, PASSWORD).await
}

#[tokio::test]
async fn visits_and_petitions_are_recorded_and_shown_from_the_pages() {
    let (test, _) = TestApp::with_demo().await;
    let inspectorate = test.agency_id("000.02.11.H59").await;
    // The use cases' context first: signing in again ends earlier sessions.
    let inspector_ctx = test.ctx_of(INSPECTOR).await;
    let inspector = session(&test, INSPECTOR).await;
    let clerk = session(&test, "nhunglth.stttt@travinh.gov.vn").await;
    let chief = session(&test, "binhdv.stttt@travinh.gov.vn").await;
    let april = format!("/app/reception?agency={inspectorate}&from=2021-04-01&to=2021-04-30");
    let (status, page) = get(&test, &inspector, &april).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Thạch Thị Sa Ly"),
        "the recorder sees the people"
    );
    let csrf = hidden(&page, "csrf");
    let (_, page) = get(&test, &clerk, &april).await;
    assert!(!page.contains("Thạch Thị Sa Ly") && page.contains("(đã ẩn)"));

    // A visit through the form, then a denunciation received at it.
    let body = serde_urlencoded::to_string([
        ("csrf", csrf.as_str()),
        ("agency", &inspectorate.to_string()),
        ("on", "2021-04-05"),
        ("at", "07:45"),
        ("names", "Lâm Thị Bé\nLâm Văn Tư"),
        ("address", "Xã Hiệp Thạnh, thị xã Duyên Hải"),
        ("content", "Tố cáo cán bộ xã nhận tiền"),
        ("field", "Thông tin điện tử"),
        ("outcome", "petition_received"),
    ])
    .unwrap();
    let response = test
        .send(form("/app/reception/visits", &inspector, body))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, page) = get(
        &test,
        &inspector,
        &format!("/app/reception?agency={inspectorate}"),
    )
    .await;
    assert!(page.contains("Lâm Thị Bé, Xã Hiệp Thạnh") && page.contains("; Lâm Văn Tư"));
    let visit = test
        .app
        .visits(
            &inspector_ctx,
            inspectorate,
            (
                time::macros::date!(2021 - 04 - 05),
                time::macros::date!(2021 - 04 - 05),
            ),
        )
        .await
        .unwrap()[0]
        .id;
    let body = serde_urlencoded::to_string([
        ("csrf", csrf.as_str()),
        ("agency", &inspectorate.to_string()),
        ("kind", "denunciation"),
        ("received_on", "2021-04-05"),
        ("channel", "visit"),
        ("visit", &visit.to_string()),
        ("names", "Lâm Thị Bé"),
        ("address", "Xã Hiệp Thạnh, thị xã Duyên Hải"),
        ("id_number", "084190000321"),
        ("content", "Tố cáo cán bộ xã nhận tiền"),
        ("field", "Thông tin điện tử"),
    ])
    .unwrap();
    let response = test
        .send(form("/app/reception/petitions", &inspector, body))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    // The recorder no longer sees the denouncer; the chief inspector does.
    let (status, page) = get(&test, &inspector, &location).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("084190000321") && page.contains("(đã ẩn)"));
    let (_, page) = get(&test, &chief, &location).await;
    assert!(page.contains("084190000321") && page.contains("Phân loại, xử lý đơn"));
    assert!(page.contains("14/4/2021"), "7 working days to classify");
    let body = serde_urlencoded::to_string([
        ("csrf", hidden(&page, "csrf").as_str()),
        ("step", "classify"),
        ("classification", "accept"),
        ("on", "2021-04-05"),
    ])
    .unwrap();
    let response = test
        .send(form(&format!("{location}/steps"), &chief, body))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, page) = get(&test, &chief, &location).await;
    assert!(page.contains("Đã thụ lý") && page.contains("Giao người giải quyết"));
    // A refused step shows its reason.
    let body = serde_urlencoded::to_string([
        ("csrf", hidden(&page, "csrf").as_str()),
        ("step", "extend"),
        ("complexity", "complex"),
        ("text", ""),
        ("on", "2021-04-05"),
    ])
    .unwrap();
    let response = test
        .send(form(&format!("{location}/steps"), &chief, body))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(response).await.contains("lý do gia hạn"));

    let (_, page) = get(
        &test,
        &clerk,
        &format!("/app/reception/petitions?agency={inspectorate}&kind=denunciation"),
    )
    .await;
    assert!(page.contains("Tố cáo cán bộ xã nhận tiền") && !page.contains("Lâm Thị Bé"));
    let (status, page) = get(
        &test,
        &chief,
        "/app/reception/figures?from=2021-04-01&to=2021-04-30",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Buổi tiếp định kỳ đã tổ chức"));
}
