//! The API's contract: health, OpenAPI, errors as JSON, bad input changes
//! nothing.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::json;
use testkit::TestApp;

const ADMIN: &str = "quantri@travinh.gov.vn";

#[tokio::test]
async fn health_openapi_and_metrics_answer() {
    let test = TestApp::new().await;
    let response = test
        .send(Request::get("/healthz").body(Body::empty()).unwrap())
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert!(
        response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'self'")
    );

    let (status, spec) = test.json("GET", "/api/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(spec["openapi"], "3.1.0");
    for path in [
        "/api/v1/auth/token",
        "/api/v1/agencies",
        "/api/v1/agencies/{id}/people",
        "/api/v1/people/{id}/unlock",
    ] {
        assert!(spec["paths"][path].is_object(), "{path} is described");
    }
    assert_eq!(spec["components"]["schemas"]["Role"]["enum"][0], "admin");

    let response = test
        .send(Request::get("/metrics").body(Body::empty()).unwrap())
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = String::from_utf8(
        response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap();
    assert!(
        text.contains(
            "egov_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"
        ),
        "{text}"
    );
    assert!(text.contains("egov_agencies 0"));
}

#[tokio::test]
async fn malformed_bodies_get_a_json_error_and_write_nothing() {
    let (test, admin_password) = TestApp::with_demo().await;
    let token = test.token(ADMIN, &admin_password).await;
    let people_before = test.app.counts().await.unwrap().1;
    let audit_before = test.audit_seq().await;

    let raw = |body: &'static str, content_type: &'static str| {
        Request::post("/api/v1/people")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap()
    };
    for (request, expected) in [
        (
            raw("{\"full_name\": \"Lê Văn", "application/json"),
            StatusCode::BAD_REQUEST,
        ),
        (
            raw("{\"full_name\": 5}", "application/json"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            raw("full_name=x", "application/x-www-form-urlencoded"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            raw(
                "{\"full_name\":\"Lê Văn A\",\"position\":\"CV\",\"agency_id\":1,\"email\":\"a@b.vn\",\"extra\":1}",
                "application/json",
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let response = test.send(request).await;
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body: serde_json::Value = serde_json::from_slice(&bytes).expect("errors are JSON");
        assert_eq!(status, expected, "{body}");
        assert!(
            body["code"].is_string() && body["message"].is_string(),
            "{body}"
        );
    }
    // Well-formed but breaking a rule: still nothing written.
    let (status, body) = test
        .json("POST", "/api/v1/people", Some(&token), Some(json!({ "full_name": "Lê", "position": "CV", "agency_id": 1, "email": "le@travinh.gov.vn" })))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["message"], "Họ và tên phải có ít nhất hai từ");
    let (status, _) = test
        .json("GET", "/api/v1/people/abc", Some(&token), None)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, body) = test
        .json("GET", "/api/v1/nothing-here", Some(&token), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], "not_found");

    assert_eq!(test.app.counts().await.unwrap().1, people_before);
    assert_eq!(
        test.audit_seq().await,
        audit_before,
        "bad input left no trace but the sign-in"
    );
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let (test, admin_password) = TestApp::with_demo().await;
    let token = test.token(ADMIN, &admin_password).await;
    let huge = format!("{{\"full_name\": \"{}\"}}", "a".repeat(2 * 1024 * 1024));
    let request = Request::post("/api/v1/people")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(huge))
        .unwrap();
    assert_eq!(
        test.send(request).await.status(),
        StatusCode::PAYLOAD_TOO_LARGE
    );
}
