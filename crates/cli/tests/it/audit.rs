//! The audit trail, verified by the `egov` binary against the test database.

use std::process::Command;

use testkit::TestApp;

const ADMIN: &str = "quantri@travinh.gov.vn";

fn verify(test: &TestApp) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_egov"))
        .args(["audit", "verify"])
        .env("EGOV_DATABASE_URL", test.database_url())
        .env("EGOV_DATA_DIR", test.data_dir.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("egov runs")
}

#[tokio::test]
async fn tampering_with_one_audit_row_makes_verification_fail() {
    let (test, admin_password) = TestApp::with_demo().await;
    test.token(ADMIN, &admin_password).await;
    let out = verify(&test);
    assert!(
        out.status.success(),
        "intact chain: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let head = test.audit_seq().await;
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("{head} mục")));

    test.app
        .store
        .execute_unchecked("UPDATE audit_entries SET actor_label = 'someone-else' WHERE seq = 5")
        .await
        .unwrap();
    let out = verify(&test);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("số 5"), "names the altered entry: {said}");
}

#[tokio::test]
async fn deleting_audit_rows_is_found_too() {
    let (test, _) = TestApp::with_demo().await;
    let head = test.audit_seq().await;
    test.app
        .store
        .execute_unchecked(&format!("DELETE FROM audit_entries WHERE seq = {head}"))
        .await
        .unwrap();
    let out = verify(&test);
    assert!(
        !out.status.success(),
        "a removed last entry is found through the head"
    );
    test.app
        .store
        .execute_unchecked("DELETE FROM audit_entries WHERE seq = 3")
        .await
        .unwrap();
    let said = String::from_utf8_lossy(&verify(&test).stderr).into_owned();
    assert!(said.contains("số 3"), "{said}");
}
