//! People and the agency scope of what a person may see and do.

use axum::http::StatusCode;
use serde_json::json;
use testkit::TestApp;

const ADMIN: &str = "quantri@travinh.gov.vn";

/// Creates a person through the API as the demo admin; returns their token.
async fn person(
    test: &TestApp,
    admin: &str,
    agency_code: &str,
    email: &str,
    roles: &[&str],
) -> (i64, String) {
    let agency = test.agency_id(agency_code).await;
    let (status, body) = test
        .json(
            "POST",
            "/api/v1/people",
            Some(admin),
            Some(json!({ "full_name": "Nguyễn Văn Thử", "position": "Chuyên viên", "agency_id": agency,
                          "email": email, "roles": roles, "password": "Thu#20210405" })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    (
        body["id"].as_i64().unwrap(),
        test.token(email, "Thu#20210405").await,
    )
}

#[tokio::test]
async fn a_person_of_one_agency_cannot_read_another_agencys_staff() {
    let (test, admin_password) = TestApp::with_demo().await;
    let admin = test.token(ADMIN, &admin_password).await;
    let (_, stttt) = person(
        &test,
        &admin,
        "000.04.11.H59",
        "thu.cntt@travinh.gov.vn",
        &["specialist"],
    )
    .await;
    let (other_id, _) = person(
        &test,
        &admin,
        "000.00.02.H59",
        "thu.snv@travinh.gov.vn",
        &["specialist"],
    )
    .await;
    let own_unit = test.agency_id("000.04.11.H59").await;
    let home_affairs = test.agency_id("000.00.02.H59").await;

    let (status, people) = test
        .json(
            "GET",
            &format!("/api/v1/agencies/{own_unit}/people"),
            Some(&stttt),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        people
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["email"] == "thu.cntt@travinh.gov.vn")
    );

    let (status, body) = test
        .json(
            "GET",
            &format!("/api/v1/agencies/{home_affairs}/people"),
            Some(&stttt),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["code"], "forbidden");
    let (status, _) = test
        .json(
            "GET",
            &format!("/api/v1/people/{other_id}"),
            Some(&stttt),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A unit's specialist does not see the whole department either.
    let department = test.agency_id("000.00.11.H59").await;
    let (status, _) = test
        .json(
            "GET",
            &format!("/api/v1/agencies/{department}/people"),
            Some(&stttt),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The agency tree itself is not private.
    assert_eq!(
        test.json("GET", "/api/v1/agencies", Some(&stttt), None)
            .await
            .0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_agency_admin_manages_only_below_their_agency() {
    let (test, admin_password) = TestApp::with_demo().await;
    let admin = test.token(ADMIN, &admin_password).await;
    let (_, dept_admin) = person(
        &test,
        &admin,
        "000.00.11.H59",
        "qt.stttt@travinh.gov.vn",
        &["admin"],
    )
    .await;
    let unit = test.agency_id("000.04.11.H59").await;
    let other = test.agency_id("000.00.02.H59").await;
    let new = |agency: i64, email: &str| json!({ "full_name": "Lâm Văn Mới", "position": "Chuyên viên", "agency_id": agency, "email": email, "roles": ["clerk"] });
    let (status, body) = test
        .json(
            "POST",
            "/api/v1/people",
            Some(&dept_admin),
            Some(new(unit, "moi1@travinh.gov.vn")),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["roles"][0]["role"], "clerk");
    let (status, _) = test
        .json(
            "POST",
            "/api/v1/people",
            Some(&dept_admin),
            Some(new(other, "moi2@travinh.gov.vn")),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = test
        .json(
            "POST",
            "/api/v1/people",
            Some(&dept_admin),
            Some(new(unit, "moi1@travinh.gov.vn")),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "a taken e-mail: {body}");
}

#[tokio::test]
async fn staff_lists_sort_the_vietnamese_way() {
    let (test, admin_password) = TestApp::with_demo().await;
    let admin = test.token(ADMIN, &admin_password).await;
    let department = test.agency_id("000.00.11.H59").await;
    let (status, people) = test
        .json(
            "GET",
            &format!("/api/v1/agencies/{department}/people?subunits=true"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<&str> = people
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["full_name"].as_str().unwrap())
        .collect();
    // By given name: Bình, Hân, Hùng, Khoa, Nhung, Phiếp, Sóc, Thành, Tiên,
    // Trang, Út.
    assert_eq!(
        names,
        [
            "Đặng Văn Bình",
            "Sơn Thị Ngọc Hân",
            "Lâm Văn Hùng",
            "Trần Minh Khoa",
            "Lê Thị Hồng Nhung",
            "Thạch Sô Phiếp",
            "Kim Văn Sóc",
            "Nguyễn Ngọc Thành",
            "Huỳnh Thị Mỹ Tiên",
            "Võ Thị Thu Trang",
            "Phạm Thị Út"
        ]
    );
}
