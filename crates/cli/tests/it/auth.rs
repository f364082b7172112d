//! Sign-in, lockout, sessions and the second factor.

use axum::http::StatusCode;
use serde_json::json;
use testkit::TestApp;

const ADMIN: &str = "quantri@travinh.gov.vn";

#[tokio::test]
async fn twelve_wrong_passwords_lock_the_account_until_an_admin_unlocks_it() {
    let (test, admin_password) = TestApp::with_demo().await;
    let admin = test.token(ADMIN, &admin_password).await;
    let agency = test.agency_id("000.00.11.H59").await;
    let (status, person) = test
        .json(
            "POST",
            "/api/v1/people",
            Some(&admin),
            Some(json!({
                "full_name": "Võ Thị Mai", "position": "Chuyên viên", "agency_id": agency,
                "email": "maivt.stttt@travinh.gov.vn", "roles": ["specialist"], "password": "Mai#2021abc"
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{person}");
    let wrong = json!({ "email": "maivt.stttt@travinh.gov.vn", "password": "Wrong#2021x" });
    for attempt in 1..=11 {
        let (status, body) = test
            .json("POST", "/api/v1/auth/token", None, Some(wrong.clone()))
            .await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}: {body}"
        );
        assert_eq!(body["code"], "bad_credentials");
    }
    let (status, body) = test
        .json("POST", "/api/v1/auth/token", None, Some(wrong.clone()))
        .await;
    assert_eq!(status, StatusCode::LOCKED, "the 12th failure locks: {body}");
    assert_eq!(body["code"], "account_locked");

    let right = json!({ "email": "maivt.stttt@travinh.gov.vn", "password": "Mai#2021abc" });
    let (status, _) = test
        .json("POST", "/api/v1/auth/token", None, Some(right.clone()))
        .await;
    assert_eq!(
        status,
        StatusCode::LOCKED,
        "a locked account refuses even the right password"
    );

    let id = person["id"].as_i64().unwrap();
    let (status, _) = test
        .json(
            "POST",
            &format!("/api/v1/people/{id}/unlock"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = test
        .json("POST", "/api/v1/auth/token", None, Some(right))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn a_lock_runs_out_after_the_configured_time() {
    let (test, admin_password) = TestApp::with_demo().await;
    let wrong = json!({ "email": ADMIN, "password": "Wrong#2021x" });
    for _ in 0..12 {
        test.json("POST", "/api/v1/auth/token", None, Some(wrong.clone()))
            .await;
    }
    let right = json!({ "email": ADMIN, "password": admin_password });
    assert_eq!(
        test.json("POST", "/api/v1/auth/token", None, Some(right.clone()))
            .await
            .0,
        StatusCode::LOCKED
    );
    test.clock.advance(time::Duration::minutes(29));
    assert_eq!(
        test.json("POST", "/api/v1/auth/token", None, Some(right.clone()))
            .await
            .0,
        StatusCode::LOCKED
    );
    test.clock.advance(time::Duration::minutes(2));
    assert_eq!(
        test.json("POST", "/api/v1/auth/token", None, Some(right))
            .await
            .0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn tokens_expire_and_can_be_revoked() {
    let (test, admin_password) = TestApp::with_demo().await;
    let token = test.token(ADMIN, &admin_password).await;
    let (status, me) = test
        .json("GET", "/api/v1/auth/me", Some(&token), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["email"], ADMIN);
    assert_eq!(
        test.json("GET", "/api/v1/auth/me", Some("not-a-token"), None)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        test.json("GET", "/api/v1/auth/me", None, None).await.0,
        StatusCode::UNAUTHORIZED
    );

    assert_eq!(
        test.json("DELETE", "/api/v1/auth/token", Some(&token), None)
            .await
            .0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        test.json("GET", "/api/v1/auth/me", Some(&token), None)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );

    let token = test.token(ADMIN, &admin_password).await;
    test.clock.advance(time::Duration::days(31));
    assert_eq!(
        test.json("GET", "/api/v1/auth/me", Some(&token), None)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_second_factor_is_required_once_enabled() {
    let (test, admin_password) = TestApp::with_demo().await;
    let token = test.token(ADMIN, &admin_password).await;
    let signed_in = test.app.signed_in(&token).await.unwrap();
    let ctx = signed_in.ctx(None);
    let (secret, url) = app::App::new_totp(ADMIN).unwrap();
    assert!(url.starts_with("otpauth://totp/"), "{url}");
    let code = test.app.totp_code(&secret, ADMIN).unwrap();
    let wrong = format!(
        "{:06}",
        (code.parse::<u32>().unwrap() + 500_000) % 1_000_000
    );
    assert!(
        test.app.enable_totp(&ctx, &secret, &wrong).await.is_err(),
        "a wrong code does not enable it"
    );
    test.app.enable_totp(&ctx, &secret, &code).await.unwrap();

    let without = json!({ "email": ADMIN, "password": admin_password });
    assert_eq!(
        test.json("POST", "/api/v1/auth/token", None, Some(without))
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    let code = test.app.totp_code(&secret, ADMIN).unwrap();
    let with = json!({ "email": ADMIN, "password": admin_password, "totp": code });
    assert_eq!(
        test.json("POST", "/api/v1/auth/token", None, Some(with))
            .await
            .0,
        StatusCode::OK
    );
}
