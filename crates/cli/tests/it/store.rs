//! Storage behaviour that users rely on without seeing it: migrations,
//! idempotent demo loading, concurrent writers, files.

use std::process::{Command, Stdio};

use bytes::Bytes;
use domain::files::{MediaType, UploadPolicy};
use testkit::TestApp;

#[tokio::test]
async fn migrations_and_the_demo_load_are_idempotent() {
    let (test, password) = TestApp::with_demo().await;
    assert_eq!(
        test.app.store.migrate().await.unwrap(),
        0,
        "nothing left to migrate"
    );
    let counts = test.app.counts().await.unwrap();
    let again = test.app.load_demo(|_, _| {}).await.unwrap();
    assert_eq!((again.agencies_created, again.people_created), (0, 0));
    assert_eq!(
        again.admin_password, password,
        "the printed password still works"
    );
    assert_eq!(test.app.counts().await.unwrap(), counts);
    assert_eq!(counts, (142, 12));
}

#[tokio::test]
async fn concurrent_writers_keep_the_audit_chain_whole() {
    let test = TestApp::new().await;
    let ctx = app::Ctx::system("test");
    let root = test
        .app
        .create_agency(
            &ctx,
            domain::agencies::AgencyDraft {
                code: "000.00.00.H59".parse().unwrap(),
                name: "Ủy ban nhân dân tỉnh Trà Vinh".into(),
                short_name: "UBND".into(),
                kind: domain::agencies::AgencyKind::ProvincialCommittee,
                parent_id: None,
                effective_from: time::macros::date!(1992 - 05 - 01),
                effective_to: None,
                successor_id: None,
            },
        )
        .await
        .unwrap();
    let writers: Vec<_> = (0..24)
        .map(|i| {
            let app = test.app.clone();
            let ctx = ctx.clone();
            tokio::spawn(async move {
                let draft = domain::people::PersonDraft {
                    full_name: format!("Nguyễn Văn Số{i}"),
                    position: "Chuyên viên".into(),
                    agency_id: root.id,
                    email: format!("so{i}@travinh.gov.vn"),
                    phone: None,
                };
                app.create_person(
                    &ctx,
                    app::people::NewPerson {
                        draft,
                        roles: vec![],
                        password: None,
                    },
                )
                .await
            })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap().unwrap();
    }
    assert_eq!(test.audit_seq().await, 25);
    assert_eq!(test.app.verify_audit(|_| {}).await.unwrap(), Ok(25));
}

#[tokio::test]
async fn files_are_stored_by_content_and_bad_ones_refused() {
    let test = TestApp::new().await;
    let ctx = app::Ctx::system("test");
    let policy = UploadPolicy {
        max_bytes: 1024,
        allowed: &[MediaType::Pdf],
    };
    let pdf = Bytes::from_static(b"%PDF-1.7\n% Bao cao thang 4\n");
    let first = test.app.save_file(&ctx, pdf.clone(), policy).await.unwrap();
    let second = test.app.save_file(&ctx, pdf.clone(), policy).await.unwrap();
    assert_eq!(first.sha256, second.sha256, "same content, same blob");
    assert_eq!(first.media_type, MediaType::Pdf);
    let (record, bytes) = test.app.load_file(&first.sha256).await.unwrap();
    assert_eq!((record.size, bytes), (pdf.len() as u64, pdf));

    let audit = test.audit_seq().await;
    let exe = Bytes::from_static(b"MZ\x90\x00\x03\x00\x00\x00");
    assert!(matches!(
        test.app.save_file(&ctx, exe, policy).await,
        Err(app::AppError::Invalid(_))
    ));
    let big = Bytes::from(vec![b'%'; 2048]);
    assert!(matches!(
        test.app.save_file(&ctx, big, policy).await,
        Err(app::AppError::Invalid(_))
    ));
    assert_eq!(
        test.audit_seq().await,
        audit,
        "refused files leave no trace"
    );
    assert!(matches!(
        test.app.load_file("../../etc/passwd").await,
        Err(app::AppError::NotFound(_))
    ));
}

#[tokio::test]
async fn the_operator_creates_a_user_with_the_password_from_stdin() {
    let (test, _) = TestApp::with_demo().await;
    let run = |password: &str, email: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_egov"))
            .args([
                "admin",
                "create-user",
                "--agency",
                "000.00.11.H59",
                "--name",
                "Sơn Thị Sà Ra",
                "--email",
                email,
                "--role",
                "clerk",
            ])
            .env("EGOV_DATABASE_URL", test.database_url())
            .env("EGOV_DATA_DIR", test.data_dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), password.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    let weak = run("123456\n", "sara.stttt@travinh.gov.vn");
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("ít nhất 9 ký tự"));
    let ok = run("SaRa#2021vt\n", "sara.stttt@travinh.gov.vn");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    test.token("sara.stttt@travinh.gov.vn", "SaRa#2021vt").await;
}
