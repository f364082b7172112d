//! The certificate authority through egov, judged by OpenSSL over real
//! HTTP: chains verify, `openssl ocsp -url` says good then revoked with a
//! verified answer, the CRL lists the revoked serial with its reason,
//! `openssl ts -verify` accepts timestamps; bad CSRs issue nothing; the
//! request workflow needs the head's approval and the operator's hand; the
//! figures count what was done.

use std::path::Path;

use app::pki::{IssueInput, NewRequest};
use app::{AppError, Ctx};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use domain::pki::{
    Holder, Profile, RequestAction, RequestKind, RequestState, RevocationReason, TokenKind,
};
use http_body_util::BodyExt;
use testkit::TestApp;

const OPERATOR: &str = "hanstn.stttt@travinh.gov.vn";
const SPECIALIST: &str = "phiepts.stttt@travinh.gov.vn";
const LEADER: &str = "thanhnn.stttt@travinh.gov.vn";
const CLERK: &str = "nhunglth.stttt@travinh.gov.vn";

/// The demo province with its clock at the real now (OpenSSL checks
/// validity against the real clock) and the CA set up.
async fn province_with_ca() -> (TestApp, Ctx) {
    let (test, _) = TestApp::with_demo().await;
    test.clock
        .advance(time::OffsetDateTime::now_utc() - testkit::START);
    let operator = test.ctx_of(OPERATOR).await;
    let made = test.app.pki_init(&operator).await.unwrap();
    let names: Vec<&str> = made.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["root", "issuing", "ocsp", "tsa"]);
    (test, operator)
}

/// OpenSSL, off the async threads (the server answers on them).
async fn openssl(args: Vec<String>) -> (bool, String) {
    tokio::task::spawn_blocking(move || {
        let out = std::process::Command::new("openssl")
            .args(&args)
            .output()
            .expect("openssl runs");
        (
            out.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )
    })
    .await
    .unwrap()
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

/// A key and CSR made by OpenSSL for `subject`, as a token would.
async fn csr(dir: &Path, name: &str, key: &str, subject: &str) -> Vec<u8> {
    let csr = dir.join(format!("{name}.csr"));
    let keyout = dir.join(format!("{name}.key"));
    let mut list = args(&[
        "req", "-new", "-nodes", "-utf8", "-subj", subject, "-keyout",
    ]);
    list.push(keyout.display().to_string());
    list.extend(args(&["-out", &csr.display().to_string(), "-newkey", key]));
    if key == "ec" {
        list.extend(args(&["-pkeyopt", "ec_paramgen_curve:P-256"]));
    }
    let (ok, text) = openssl(list).await;
    assert!(ok, "{text}");
    std::fs::read(csr).unwrap()
}

async fn get(test: &TestApp, path: &str) -> (StatusCode, Vec<u8>) {
    let response = test
        .send(Request::get(path).body(Body::empty()).unwrap())
        .await;
    let status = response.status();
    (
        status,
        response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
}

async fn post(
    test: &TestApp,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (StatusCode, Vec<u8>) {
    let request = Request::post(path)
        .header("content-type", content_type)
        .body(Body::from(body))
        .unwrap();
    let response = test.send(request).await;
    let status = response.status();
    (
        status,
        response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
}

fn pem_file(dir: &Path, name: &str, der: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, pki::pem::encode("CERTIFICATE", der).unwrap()).unwrap();
    path.display().to_string()
}

async fn person_id(test: &TestApp, email: &str) -> i64 {
    test.app.person_by_email(email).await.unwrap().id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openssl_judges_certificates_crl_ocsp_and_timestamps_over_http() {
    let (test, operator) = province_with_ca().await;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(axum::serve(listener, test.router.clone()).into_future());

    let holder = Holder::Person(person_id(&test, SPECIALIST).await);
    let request = csr(d, "holder", "ec", "/C=VN/CN=Thạch Sô Phiếp").await;
    let input = IssueInput {
        holder,
        profile: Profile::Personal,
        token: TokenKind::Usb,
        csr: Some(request),
        dns_names: Vec::new(),
        replaces: None,
        request: None,
    };
    let record = test.app.issue_certificate(&operator, input).await.unwrap();
    assert_eq!(record.subject, "Thạch Sô Phiếp");
    assert_eq!(
        record.serial.len(),
        32,
        "128-bit serials: {}",
        record.serial
    );

    let (status, root) = get(&test, "/pki/ca/root.crt").await;
    assert_eq!(status, StatusCode::OK);
    let (_, issuing) = get(&test, "/pki/ca/issuing.crt").await;
    let root = pem_file(d, "root.pem", &root);
    let issuing = pem_file(d, "issuing.pem", &issuing);
    let leaf = pem_file(d, "leaf.pem", &record.der);
    let (ok, text) = openssl(args(&[
        "verify",
        "-CAfile",
        &root,
        "-untrusted",
        &issuing,
        &leaf,
    ]))
    .await;
    assert!(ok && text.contains(": OK"), "{text}");
    let (_, text) = openssl(args(&[
        "x509", "-in", &leaf, "-noout", "-subject", "-nameopt", "utf8",
    ]))
    .await;
    assert!(text.contains("CN=Thạch Sô Phiếp"), "{text}");
    assert!(
        text.contains("emailAddress=phiepts.stttt@travinh.gov.vn"),
        "{text}"
    );

    let url = format!("http://{address}/pki/ocsp");
    let ocsp = |extra: &[&str]| {
        let mut list = args(&[
            "ocsp", "-issuer", &issuing, "-cert", &leaf, "-url", &url, "-CAfile", &root,
        ]);
        list.extend(args(extra));
        openssl(list)
    };
    for extra in [&[][..], &["-no_nonce"][..]] {
        let (ok, text) = ocsp(extra).await;
        assert!(
            ok && text.contains("Response verify OK"),
            "{extra:?}: {text}"
        );
        assert!(text.contains("leaf.pem: good"), "{extra:?}: {text}");
    }

    let revoked = test
        .app
        .revoke_certificate(
            &operator,
            &record.serial.to_lowercase(),
            RevocationReason::KeyCompromise,
        )
        .await
        .unwrap();
    assert!(revoked.revocation.is_some());
    for extra in [&[][..], &["-no_nonce"][..]] {
        let (ok, text) = ocsp(extra).await;
        assert!(
            ok && text.contains("Response verify OK"),
            "{extra:?}: {text}"
        );
        assert!(text.contains("leaf.pem: revoked"), "{extra:?}: {text}");
        assert!(text.contains("Reason: keyCompromise"), "{extra:?}: {text}");
    }
    // Revoking twice is refused and changes nothing.
    let again = test
        .app
        .revoke_certificate(&operator, &record.serial, RevocationReason::Superseded)
        .await;
    assert!(matches!(again, Err(AppError::Conflict(_))), "{again:?}");

    let (status, crl) = get(&test, "/pki/crl/issuing.crl").await;
    assert_eq!(status, StatusCode::OK);
    let crl_path = d.join("issuing.crl");
    std::fs::write(&crl_path, &crl).unwrap();
    let (ok, text) = openssl(args(&[
        "crl",
        "-inform",
        "DER",
        "-in",
        &crl_path.display().to_string(),
        "-noout",
        "-text",
    ]))
    .await;
    assert!(ok, "{text}");
    assert!(
        text.contains(&format!("Serial Number: {}", record.serial)),
        "{text}"
    );
    assert!(text.contains("Key Compromise"), "{text}");

    // Timestamps, through the HTTP endpoint.
    let data = d.join("văn bản.txt");
    std::fs::write(&data, "Kế hoạch số 20/KH-UBND ngày 09/3/2021").unwrap();
    let query = d.join("q.tsq");
    let (ok, text) = openssl(args(&[
        "ts",
        "-query",
        "-data",
        &data.display().to_string(),
        "-sha256",
        "-cert",
        "-out",
        &query.display().to_string(),
    ]))
    .await;
    assert!(ok, "{text}");
    let (status, reply) = post(
        &test,
        "/pki/tsa",
        "application/timestamp-query",
        std::fs::read(&query).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let reply_path = d.join("r.tsr");
    std::fs::write(&reply_path, reply).unwrap();
    let (_, tsa) = get(&test, "/pki/ca/tsa.crt").await;
    let chain = d.join("chain.pem");
    std::fs::write(
        &chain,
        std::fs::read_to_string(&issuing).unwrap()
            + &pki::pem::encode("CERTIFICATE", &tsa).unwrap(),
    )
    .unwrap();
    let (ok, text) = openssl(args(&[
        "ts",
        "-verify",
        "-in",
        &reply_path.display().to_string(),
        "-queryfile",
        &query.display().to_string(),
        "-CAfile",
        &root,
        "-untrusted",
        &chain.display().to_string(),
    ]))
    .await;
    assert!(ok && text.contains("Verification: OK"), "{text}");
}

#[tokio::test]
async fn bad_csrs_get_a_clear_error_and_issue_nothing() {
    let (test, operator) = province_with_ca().await;
    let dir = tempfile::tempdir().unwrap();
    let holder = Holder::Person(person_id(&test, SPECIALIST).await);
    let issue = |csr: Vec<u8>| IssueInput {
        holder,
        profile: Profile::Personal,
        token: TokenKind::Usb,
        csr: Some(csr),
        dns_names: Vec::new(),
        replaces: None,
        request: None,
    };
    let good = csr(dir.path(), "good", "rsa:2048", "/C=VN/CN=Thạch Sô Phiếp").await;
    let mut tampered = pki::pem::der_of(&good, &["CERTIFICATE REQUEST"]).unwrap();
    let last = tampered.len() - 1;
    tampered[last] ^= 1;
    let cases = [
        (tampered, "chữ ký"),
        (
            csr(dir.path(), "weak", "rsa:1024", "/C=VN/CN=Thạch Sô Phiếp").await,
            "1024",
        ),
        (
            csr(dir.path(), "forged", "ec", "/C=VN/CN=Nguyễn Ngọc Thành").await,
            "Nguyễn Ngọc Thành",
        ),
        (
            b"-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"
                .to_vec(),
            "PKCS #10",
        ),
    ];
    let audit_before = test.audit_seq().await;
    for (csr, says) in cases {
        let result = test.app.issue_certificate(&operator, issue(csr)).await;
        assert!(
            matches!(&result, Err(AppError::Invalid(m)) if m.contains(says)),
            "{says}: {result:?}"
        );
    }
    assert_eq!(test.audit_seq().await, audit_before, "nothing was written");
    let issued = test
        .app
        .store
        .read()
        .await
        .unwrap()
        .certificates(&store::pki::CertificateFilter {
            holders_only: true,
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(issued.is_empty(), "{issued:?}");
    // Only a CA operator issues.
    let specialist = test.ctx_of(SPECIALIST).await;
    let result = test.app.issue_certificate(&specialist, issue(good)).await;
    assert!(matches!(result, Err(AppError::Forbidden)), "{result:?}");
}

#[tokio::test]
async fn requests_need_the_heads_approval_and_the_operators_hand() {
    let (test, operator) = province_with_ca().await;
    let dir = tempfile::tempdir().unwrap();
    let specialist = test.ctx_of(SPECIALIST).await;
    let leader = test.ctx_of(LEADER).await;
    let me = Holder::Person(person_id(&test, SPECIALIST).await);
    let new = |kind, certificate: Option<String>, csr: Option<Vec<u8>>| NewRequest {
        kind,
        holder: me,
        token: TokenKind::Sim,
        certificate,
        reason: (kind == RequestKind::Revocation).then_some(RevocationReason::CessationOfOperation),
        csr,
        note: "Cấp cho chuyên viên  ".into(),
    };
    // A bad CSR is refused at once, before anyone approves anything.
    let forged = csr(dir.path(), "forged", "ec", "/C=VN/CN=Lê Thị Hồng Nhung").await;
    let refused = test
        .app
        .submit_certificate_request(&specialist, new(RequestKind::New, None, Some(forged)))
        .await;
    assert!(matches!(refused, Err(AppError::Invalid(_))), "{refused:?}");

    let request = csr(dir.path(), "mine", "ec", "/C=VN/CN=Thạch Sô Phiếp").await;
    let submitted = test
        .app
        .submit_certificate_request(&specialist, new(RequestKind::New, None, Some(request)))
        .await
        .unwrap();
    assert_eq!(submitted.state, RequestState::Submitted);
    assert_eq!(submitted.note, "Cấp cho chuyên viên");
    let act = |ctx: Ctx, action| {
        let app = test.app.clone();
        async move {
            app.act_on_certificate_request(&ctx, submitted.id, action, "")
                .await
        }
    };
    // Nobody completes before approval; the requester cannot approve.
    assert!(matches!(
        act(operator.clone(), RequestAction::Complete).await,
        Err(AppError::Forbidden | AppError::Invalid(_))
    ));
    assert!(matches!(
        act(specialist.clone(), RequestAction::Approve).await,
        Err(AppError::Forbidden | AppError::Invalid(_))
    ));
    let approved = act(leader.clone(), RequestAction::Approve).await.unwrap();
    assert_eq!(approved.state, RequestState::Approved);
    // The head cannot issue; the operator can.
    assert!(matches!(
        act(leader.clone(), RequestAction::Complete).await,
        Err(AppError::Forbidden)
    ));
    let done = act(operator.clone(), RequestAction::Complete)
        .await
        .unwrap();
    assert_eq!(done.state, RequestState::Done);
    let serial = done.issued.clone().unwrap();
    let certificate = test.app.certificate(&serial).await.unwrap();
    assert_eq!(
        (certificate.holder, certificate.token),
        (me, TokenKind::Sim)
    );
    let steps = test
        .app
        .certificate_request_steps(&specialist, submitted.id)
        .await
        .unwrap();
    assert_eq!(
        steps.iter().map(|s| s.action).collect::<Vec<_>>(),
        [RequestAction::Approve, RequestAction::Complete]
    );

    // Renewal, then revocation of the renewed one.
    let again = csr(dir.path(), "renewal", "ec", "/C=VN/CN=Thạch Sô Phiếp").await;
    let renewal = test
        .app
        .submit_certificate_request(
            &specialist,
            new(RequestKind::Renewal, Some(serial.clone()), Some(again)),
        )
        .await
        .unwrap();
    test.app
        .act_on_certificate_request(&leader, renewal.id, RequestAction::Approve, "")
        .await
        .unwrap();
    let renewed = test
        .app
        .act_on_certificate_request(&operator, renewal.id, RequestAction::Complete, "")
        .await
        .unwrap();
    let renewed_serial = renewed.issued.unwrap();
    assert_eq!(
        test.app
            .certificate(&renewed_serial)
            .await
            .unwrap()
            .replaces
            .as_deref(),
        Some(serial.as_str())
    );
    let revocation = test
        .app
        .submit_certificate_request(
            &specialist,
            new(RequestKind::Revocation, Some(renewed_serial.clone()), None),
        )
        .await
        .unwrap();
    test.app
        .act_on_certificate_request(&leader, revocation.id, RequestAction::Approve, "")
        .await
        .unwrap();
    test.app
        .act_on_certificate_request(&operator, revocation.id, RequestAction::Complete, "")
        .await
        .unwrap();
    let gone = test.app.certificate(&renewed_serial).await.unwrap();
    assert_eq!(
        gone.revocation.map(|r| r.reason),
        Some(RevocationReason::CessationOfOperation)
    );

    // Someone else's request is not the clerk's to see.
    let clerk = test.ctx_of(CLERK).await;
    assert!(matches!(
        test.app.certificate_request(&clerk, submitted.id).await,
        Err(AppError::Forbidden)
    ));

    let today = vn::dates::vietnam_date(test.app.now());
    let figures = test
        .app
        .certificate_figures(&operator, (today, today))
        .await
        .unwrap();
    assert_eq!(
        (figures.issued, figures.renewed, figures.revoked),
        (2, 1, 1)
    );
    assert_eq!(
        (figures.valid, figures.valid_persons, figures.valid_sim),
        (1, 1, 1)
    );
}

#[tokio::test]
async fn the_demo_issues_certificates_to_staff_and_agencies_once() {
    let (test, _) = TestApp::with_demo().await;
    let issued = test.app.load_demo_certificates(|_, _| {}).await.unwrap();
    assert!(issued > 20, "{issued}");
    assert_eq!(
        test.app.load_demo_certificates(|_, _| {}).await.unwrap(),
        0,
        "loading twice issues nothing"
    );
    let today = vn::dates::vietnam_date(test.app.now());
    let figures = test
        .app
        .certificate_figures(&Ctx::system("test"), (today, today))
        .await
        .unwrap();
    assert_eq!(figures.issued, issued as u64);
    assert_eq!(
        figures.valid,
        figures.valid_persons + figures.valid_organizations
    );
    assert_eq!(
        figures.valid,
        figures.valid_usb + figures.valid_sim + figures.valid_other
    );
    assert!(
        figures.valid_persons >= 8 && figures.valid_organizations >= 10,
        "{figures:?}"
    );
    assert!(figures.valid_sim >= 2, "{figures:?}");
}

#[tokio::test]
async fn the_endpoints_answer_before_and_after_setup_as_relying_parties_expect() {
    let (test, _) = TestApp::with_demo().await;
    let (status, body) = get(&test, "/pki/ca/root.crt").await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "{}",
        String::from_utf8_lossy(&body)
    );
    let (status, body) = get(&test, "/pki/crl/issuing.crl").await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "{}",
        String::from_utf8_lossy(&body)
    );
    // OCSP always answers in OCSP: tryLater before setup, malformedRequest
    // for garbage.
    let (status, body) = post(
        &test,
        "/pki/ocsp",
        "application/ocsp-request",
        vec![0x30, 0x00],
    )
    .await;
    assert_eq!(
        (status, body),
        (StatusCode::OK, vec![0x30, 0x03, 0x0a, 0x01, 0x01])
    );
    let operator = test.ctx_of(OPERATOR).await;
    test.app.pki_init(&operator).await.unwrap();
    assert!(matches!(
        test.app.pki_init(&operator).await,
        Err(AppError::Conflict(_))
    ));
    let (status, body) = get(&test, "/pki/ocsp/MAMKAQE%3D").await;
    assert_eq!(
        (status, body),
        (StatusCode::OK, vec![0x30, 0x03, 0x0a, 0x01, 0x01])
    );
    let (status, _) = get(&test, "/pki/ca/..%2Fetc.crt").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = post(
        &test,
        "/pki/tsa",
        "application/timestamp-query",
        b"not a request".to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body[..2], [0x30, body[1]], "a TimeStampResp refusing it");
    let (status, _) = post(
        &test,
        "/pki/ocsp",
        "application/ocsp-request",
        vec![0; 20_000],
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

/// `egov` run as the operator runs it, with `env` added.
fn egov(test: &TestApp, data: &Path, env: &[(&str, &str)], args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_egov"))
        .args(args)
        .env("EGOV_DATABASE_URL", test.database_url())
        .env("EGOV_DATA_DIR", data)
        .env("EGOV_LOG", "warn")
        .envs(env.iter().copied())
        .env_remove("EGOV_TEST_DATABASE_URL")
        .output()
        .expect("egov runs");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// The operator's commands with the CA keys on a PKCS #11 token (SoftHSM2,
/// set up by the test): init, issue from an OpenSSL CSR, revoke, the CRL —
/// all judged by OpenSSL.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operators_commands_run_the_ca_on_a_softhsm_token() {
    let (test, _) = TestApp::with_demo().await;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let conf = super::signing_token::softhsm_token(d, "egov-ca", "87654321")
        .display()
        .to_string();
    let config = d.join("egov.toml");
    std::fs::write(
        &config,
        "[pki]\nkeys = \"pkcs11\"\nkey_type = \"rsa2048\"\n[pki.pkcs11]\nmodule = \"/usr/lib/softhsm/libsofthsm2.so\"\ntoken = \"egov-ca\"\n",
    )
    .unwrap();
    let config = config.display().to_string();
    let env = [
        ("SOFTHSM2_CONF", conf.as_str()),
        ("EGOV_CONFIG", config.as_str()),
        ("EGOV_PKI_PIN", "87654321"),
    ];
    let data = d.join("data");
    let run = |args: &[&str]| egov(&test, &data, &env, args);

    let (ok, out) = run(&["pki", "init"]);
    assert!(ok && out.contains("Đã tạo root"), "{out}");
    let (ok, out) = run(&["pki", "init"]);
    assert!(!ok && out.contains("CA đã được khởi tạo"), "{out}");
    let path = |name: &str| d.join(name).display().to_string();
    for ca in ["root", "issuing"] {
        let (ok, out) = run(&["pki", "cert", "--ca", ca, "-o", &path(&format!("{ca}.pem"))]);
        assert!(ok, "{out}");
    }
    let request = csr(d, "server", "rsa:2048", "/CN=egov.travinh.gov.vn").await;
    std::fs::write(d.join("server.csr"), request).unwrap();
    let (ok, out) = run(&[
        "pki",
        "issue",
        "--csr",
        &path("server.csr"),
        "--profile",
        "tls-server",
        "--token",
        "software",
        "--dns",
        "egov.travinh.gov.vn",
        "-o",
        &path("server.pem"),
    ]);
    assert!(ok && out.contains("Đã cấp chứng thư"), "{out}");
    let (ok, text) = openssl(args(&[
        "verify",
        "-CAfile",
        &path("root.pem"),
        "-untrusted",
        &path("issuing.pem"),
        "-purpose",
        "sslserver",
        &path("server.pem"),
    ]))
    .await;
    assert!(ok && text.contains(": OK"), "{text}");
    // A personal certificate needs its holder.
    let (ok, out) = run(&[
        "pki",
        "issue",
        "--csr",
        &path("server.csr"),
        "--profile",
        "personal",
        "-o",
        &path("x.pem"),
    ]);
    assert!(!ok && out.contains("--person"), "{out}");

    // A holder who signs remotely: the key is made on the CA's token.
    let (ok, out) = run(&[
        "pki",
        "issue",
        "--profile",
        "personal",
        "--person",
        SPECIALIST,
        "--token",
        "hsm",
        "-o",
        &path("remote.pem"),
    ]);
    assert!(ok && out.contains("pkcs11:token=egov-ca;id="), "{out}");
    let (ok, text) = openssl(args(&[
        "verify",
        "-CAfile",
        &path("root.pem"),
        "-untrusted",
        &path("issuing.pem"),
        &path("remote.pem"),
    ]))
    .await;
    assert!(ok && text.contains(": OK"), "{text}");
    let (ok, out) = run(&[
        "pki",
        "issue",
        "--profile",
        "personal",
        "--person",
        SPECIALIST,
        "--token",
        "usb",
        "-o",
        &path("y.pem"),
    ]);
    assert!(!ok && out.contains("--csr"), "{out}");

    let (_, serial) = openssl(args(&[
        "x509",
        "-in",
        &path("server.pem"),
        "-noout",
        "-serial",
    ]))
    .await;
    let serial = serial.trim().trim_start_matches("serial=").to_owned();
    let (ok, out) = run(&[
        "pki",
        "revoke",
        "--serial",
        &serial,
        "--reason",
        "superseded",
    ]);
    assert!(ok && out.contains("Đã thu hồi"), "{out}");
    let (ok, out) = run(&[
        "pki",
        "revoke",
        "--serial",
        &serial,
        "--reason",
        "no-such-reason",
    ]);
    assert!(
        !ok && out.contains("keyCompromise"),
        "the valid reasons are listed: {out}"
    );
    let (ok, out) = run(&["pki", "crl", "--ca", "issuing", "-o", &path("issuing.crl")]);
    assert!(ok, "{out}");
    let (ok, text) = openssl(args(&[
        "crl",
        "-inform",
        "DER",
        "-in",
        &path("issuing.crl"),
        "-noout",
        "-text",
    ]))
    .await;
    assert!(
        ok && text.contains(&format!("Serial Number: {serial}")) && text.contains("Superseded"),
        "{text}"
    );
    // The CA's keys are on the token: the database holds only their URIs.
    for authority in test.app.authorities().await.unwrap() {
        assert!(
            authority.key_ref.starts_with("pkcs11:token=egov-ca;id="),
            "{}",
            authority.key_ref
        );
    }
}
