//! The agency tree, as of a date, across the 2025 reorganisation.

use axum::http::StatusCode;
use serde_json::json;
use testkit::TestApp;

const ADMIN: &str = "quantri@travinh.gov.vn";

fn names(tree: &serde_json::Value) -> Vec<String> {
    tree["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["agency"]["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_tree_as_of_april_2021_is_the_2021_province() {
    let (test, admin_password) = TestApp::with_demo().await;
    let token = test.token(ADMIN, &admin_password).await;
    let (status, tree) = test
        .json(
            "GET",
            "/api/v1/agencies?as_of=2021-04-30",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let april = names(&tree);
    assert_eq!(april[0], "Ủy ban nhân dân tỉnh Trà Vinh");
    assert!(april.contains(&"Sở Thông tin và Truyền thông tỉnh Trà Vinh".to_owned()));
    assert!(april.contains(&"Phòng Công nghệ thông tin".to_owned()));
    let districts = tree["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["agency"]["kind"] == "district_committee")
        .count();
    assert_eq!(districts, 9);
    let communes = tree["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["agency"]["kind"] == "commune_committee")
        .count();
    assert_eq!(communes, 106);
    assert!(!april.iter().any(|n| n.contains("Vĩnh Long")));

    let (_, after) = test
        .json(
            "GET",
            "/api/v1/agencies?as_of=2025-03-15",
            Some(&token),
            None,
        )
        .await;
    assert!(
        !names(&after).contains(&"Sở Thông tin và Truyền thông tỉnh Trà Vinh".to_owned()),
        "merged on 1 March 2025"
    );
    let (_, merged) = test
        .json(
            "GET",
            "/api/v1/agencies?as_of=2025-07-01",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(names(&merged)[0], "Ủy ban nhân dân tỉnh Vĩnh Long");

    // History is kept: the old department names its successor.
    let id = test.agency_id("000.00.11.H59").await;
    let (_, stttt) = test
        .json("GET", &format!("/api/v1/agencies/{id}"), Some(&token), None)
        .await;
    assert_eq!(stttt["effective_to"], "2025-03-01");
    assert_eq!(
        stttt["successor_id"].as_i64(),
        Some(test.agency_id("000.00.14.H59").await)
    );
}

#[tokio::test]
async fn agencies_are_validated_and_audited() {
    let (test, admin_password) = TestApp::with_demo().await;
    let token = test.token(ADMIN, &admin_password).await;
    let parent = test.agency_id("000.00.11.H59").await;
    let before = test.audit_seq().await;
    let bad_code = json!({ "code": "000.07.11", "name": "Phòng mới", "short_name": "PM", "kind": "unit",
                           "parent_id": parent, "effective_from": "2021-01-01" });
    let (status, body) = test
        .json("POST", "/api/v1/agencies", Some(&token), Some(bad_code))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["message"].as_str().unwrap().contains("NNN.NN.NN.Xnn"));
    let bad_kind = json!({ "code": "000.07.11.H59", "name": "Phòng mới", "short_name": "PM", "kind": "ministry",
                           "parent_id": parent, "effective_from": "2021-01-01" });
    assert_eq!(
        test.json("POST", "/api/v1/agencies", Some(&token), Some(bad_kind))
            .await
            .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        test.audit_seq().await,
        before,
        "refused input writes nothing"
    );

    let good = json!({ "code": "000.07.11.H59", "name": "Phòng Chuyển đổi số", "short_name": "CĐS", "kind": "unit",
                       "parent_id": parent, "effective_from": "2021-01-01" });
    let (status, created) = test
        .json("POST", "/api/v1/agencies", Some(&token), Some(good))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(test.audit_seq().await, before + 1);
    let entries = test
        .app
        .store
        .read()
        .await
        .unwrap()
        .audit_of("agency", &created["id"].to_string(), 5)
        .await
        .unwrap();
    assert_eq!(entries[0].event.action, "agency.create");
    assert_eq!(entries[0].event.actor_label, ADMIN);
}
