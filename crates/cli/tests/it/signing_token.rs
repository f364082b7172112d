//! A signing tool as staff run it: the leader's key is on a PKCS #11
//! token (SoftHSM2, through egov's own PKCS #11 provider), egov's CA
//! issues the certificate from the token's CSR, and the tool signs the
//! approved draft and a PDF of the leader's own through the two-step API
//! over real HTTP. pdfsig, trusting egov's root, and egov's verification
//! accept the results; expired, foreign, repeated and bad requests are
//! refused as documented.

use std::path::{Path, PathBuf};
use std::process::Command;

use app::pki::IssueInput;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use bytes::Bytes;
use domain::pki::{Holder, Profile, TokenKind};
use http_body_util::{BodyExt, Full};
use hyper::StatusCode;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use pki::{CaKey, KeyProvider, KeySpec, Pkcs11Keys};
use serde_json::{Value, json};
use testkit::TestApp;

use super::signing::{CLERK, LEADER, approved_draft, certificates_of, token_of};

const MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";
const TOKEN: &str = "leader-usb";
const PIN: &str = "246810";
/// Names, in the child process, the directory holding its token.
const CHILD: &str = "EGOV_IT_SOFTHSM_DIR";
const NAME: &str = "signing_token::a_signing_tool_with_a_softhsm_token_signs_through_the_api";

/// SoftHSM finds its tokens through `SOFTHSM2_CONF`, which edition 2024
/// sets only in `unsafe` code: the test makes a token in a folder of its
/// own and runs itself again in a child process whose environment names
/// it, as the pki and pdf tests do.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signing_tool_with_a_softhsm_token_signs_through_the_api() {
    if let Some(dir) = std::env::var_os(CHILD) {
        with_the_token(&PathBuf::from(dir)).await;
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let conf = softhsm_token(dir.path(), TOKEN, PIN);
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", NAME, "--nocapture"])
        .env("SOFTHSM2_CONF", &conf)
        .env(CHILD, dir.path())
        .output()
        .unwrap();
    let output = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && output.contains("1 passed"),
        "with the token:\n{output}"
    );
}

/// A SoftHSM2 token labelled `label` with the user PIN `pin`, in a
/// folder of its own under `dir`; returns the `SOFTHSM2_CONF` that names
/// it.
pub fn softhsm_token(dir: &Path, label: &str, pin: &str) -> PathBuf {
    let tokens = dir.join("tokens");
    std::fs::create_dir_all(&tokens).unwrap();
    let conf = dir.join("softhsm2.conf");
    let setting = format!(
        "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
        tokens.display()
    );
    std::fs::write(&conf, setting).unwrap();
    let out = Command::new("softhsm2-util")
        .args([
            "--init-token",
            "--free",
            "--label",
            label,
            "--so-pin",
            "13579135",
        ])
        .args(["--pin", pin])
        .env("SOFTHSM2_CONF", &conf)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run softhsm2-util ({e}): install SoftHSM with scripts/setup.sh --test")
        });
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    conf
}

/// An HTTP client of the running app.
struct Http {
    base: String,
    client: Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>,
}

impl Http {
    async fn call(
        &self,
        method: &str,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> (StatusCode, Bytes) {
        let request = hyper::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(
                body.map(|b| b.to_string()).unwrap_or_default(),
            )))
            .unwrap();
        let response = self.client.request(request).await.unwrap();
        let status = response.status();
        (
            status,
            response.into_body().collect().await.unwrap().to_bytes(),
        )
    }

    async fn json(
        &self,
        method: &str,
        path: &str,
        token: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        let (status, bytes) = self.call(method, path, token, Some(body)).await;
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }
}

/// The token's signature over what the server asked to be signed.
fn token_signs(key: &dyn CaKey, session: &Value) -> String {
    let to_sign = BASE64.decode(session["to_sign"].as_str().unwrap()).unwrap();
    let digest = session["digest_algorithm"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    BASE64.encode(key.sign(digest, &to_sign).unwrap())
}

async fn with_the_token(dir: &Path) {
    // The CA names this server in its certificates, so that pdfsig asks
    // egov's OCSP responder about them.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let test = TestApp::with_config(|config| config.pki.public_url.clone_from(&base)).await;
    test.app.load_demo(|_, _| {}).await.unwrap();
    tokio::spawn(axum::serve(listener, test.router.clone()).into_future());
    // pdfsig checks validity against the real clock.
    test.clock
        .advance(time::OffsetDateTime::now_utc() - testkit::START);
    let system = app::Ctx::system("test");
    test.app.pki_init(&system).await.unwrap();
    // The agency's certificate, for the clerk's signature at issue.
    test.app.load_demo_certificates(|_, _| {}).await.unwrap();

    // The leader's key is made on the token; only the CSR leaves it.
    let keys = Pkcs11Keys::new(Path::new(MODULE), TOKEN, PIN).unwrap();
    let (_, key) = keys.generate("Nguyễn Ngọc Thành", KeySpec::EcP256).unwrap();
    let leader = test.app.person_by_email(LEADER).await.unwrap();
    let subject = pki::SubjectName {
        common_name: leader.full_name.clone(),
        country: "VN".into(),
        ..Default::default()
    };
    let csr = pki::csr::build(key.as_ref(), pki::Digest::Sha256, &subject).unwrap();
    let input = IssueInput {
        holder: Holder::Person(leader.id),
        profile: Profile::Personal,
        token: TokenKind::Usb,
        csr: Some(csr),
        dns_names: Vec::new(),
        replaces: None,
        request: None,
    };
    let record = test.app.issue_certificate(&system, input).await.unwrap();
    let certificate = pki::pem::encode("CERTIFICATE", &record.der).unwrap();

    let http = Http {
        base,
        client: Client::builder(TokioExecutor::new()).build_http(),
    };
    // (Signing in again sets the password, which ends earlier sessions.)
    let draft = approved_draft(&test, super::pdf::one_page()).await;
    let token = token_of(&test, LEADER).await;
    let clerk_token = token_of(&test, CLERK).await;

    // Step 1 for the approved draft.
    let (status, session) = http
        .json(
            "POST",
            "/api/v1/signing",
            &token,
            json!({ "certificate": certificate, "draft_id": draft }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{session}");
    assert_eq!(session["digest_algorithm"], "sha256");
    assert_eq!(session["key"], "p256");
    let id = session["id"].as_str().unwrap().to_owned();
    let finish = format!("/api/v1/signing/{id}");

    // A signature that is not the token's over these bytes is refused,
    // and the session stays open.
    let wrong = BASE64.encode(key.sign(pki::Digest::Sha256, b"something else").unwrap());
    let (status, body) = http
        .json("POST", &finish, &token, json!({ "signature": wrong }))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = http
        .json("POST", &finish, &token, json!({ "signature": "%%%" }))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // Someone else's session is not theirs to complete.
    let signature = token_signs(key.as_ref(), &session);
    let (status, body) = http
        .json(
            "POST",
            &finish,
            &clerk_token,
            json!({ "signature": signature }),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");

    // Step 2: the token's signature completes the leader's signed file.
    let (status, signed) = http
        .json("POST", &finish, &token, json!({ "signature": signature }))
        .await;
    assert_eq!(status, StatusCode::OK, "{signed}");
    assert_eq!(signed["signature"], "valid");
    assert_eq!(signed["signers"], json!(["Nguyễn Ngọc Thành"]));
    assert_eq!(signed["draft"]["id"], draft);
    let (status, body) = http
        .json("POST", &finish, &token, json!({ "signature": signature }))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "once: {body}");

    // The clerk issues it with the organisation's signature; pdfsig
    // accepts both.
    let (status, document) = http
        .json(
            "POST",
            &format!("/api/v1/drafts/{draft}/issue"),
            &clerk_token,
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{document}");
    let (status, files) = http
        .json(
            "GET",
            &format!("/api/v1/documents/{}/files", document["id"]),
            &clerk_token,
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(files[0]["signature"], "valid", "{files}");
    let path = format!(
        "/api/v1/documents/{}/files/{}",
        document["id"], files[0]["id"]
    );
    let (_, issued) = http.call("GET", &path, &clerk_token, None).await;
    let root = test.app.authority_certificate("root").await.unwrap();
    let report = pdfsig(dir, &root, "issued.pdf", &issued);
    assert_eq!(report.matches("Signature is Valid.").count(), 2, "{report}");
    assert_eq!(
        report.matches("Certificate is Trusted.").count(),
        2,
        "{report}"
    );

    // A PDF of the leader's own, signed and downloaded.
    let pdf = BASE64.encode(super::pdf::one_page());
    let body =
        json!({ "certificate": BASE64.encode(&record.der), "pdf": pdf, "name": "to-trinh.pdf" });
    let (status, session) = http.json("POST", "/api/v1/signing", &token, body).await;
    assert_eq!(status, StatusCode::CREATED, "{session}");
    let signature = token_signs(key.as_ref(), &session);
    let finish = format!("/api/v1/signing/{}", session["id"].as_str().unwrap());
    let (status, signed) = http
        .json("POST", &finish, &token, json!({ "signature": signature }))
        .await;
    assert_eq!(status, StatusCode::OK, "{signed}");
    let (status, own) = http
        .call("GET", signed["download"].as_str().unwrap(), &token, None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let report = pdfsig(dir, &root, "own.pdf", &own);
    assert!(
        report.contains("Signature is Valid.") && report.contains("Certificate is Trusted."),
        "{report}"
    );
    // B-LT: egov's timestamp and the CA's answers are in the file, so it
    // is valid from what it carries alone.
    let reports = pdf::verify(&own, std::slice::from_ref(&root)).unwrap();
    assert!(reports[0].is_valid(), "{:?}", reports[0].problems);
    assert!(reports[0].timestamp.is_some(), "timestamped by egov's TSA");

    // Someone else's certificate, or none of egov's, opens nothing.
    let clerk = test.app.person_by_email(CLERK).await.unwrap();
    let clerk_certificate = certificates_of(&test, Holder::Person(clerk.id))
        .await
        .remove(0);
    let foreign = json!({ "certificate": BASE64.encode(&clerk_certificate.der), "pdf": pdf });
    let (status, body) = http.json("POST", "/api/v1/signing", &token, foreign).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("không được cấp cho bạn"),
        "{body}"
    );
    let (status, body) = http
        .json(
            "POST",
            "/api/v1/signing",
            &token,
            json!({ "certificate": BASE64.encode(&root), "pdf": pdf }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    // A session waits fifteen minutes, no more.
    let body = json!({ "certificate": certificate, "pdf": pdf });
    let (_, session) = http.json("POST", "/api/v1/signing", &token, body).await;
    test.clock.advance(time::Duration::minutes(16));
    let signature = token_signs(key.as_ref(), &session);
    let finish = format!("/api/v1/signing/{}", session["id"].as_str().unwrap());
    let (status, body) = http
        .json("POST", &finish, &token, json!({ "signature": signature }))
        .await;
    assert_eq!(status, StatusCode::GONE, "{body}");
}

/// pdfsig's report on `bytes`, trusting `root` through an NSS database
/// (the S/MIME trust flag: pdfsig checks signers for e-mail signing).
fn pdfsig(dir: &Path, root: &[u8], name: &str, bytes: &[u8]) -> String {
    let db = dir.join("nss");
    if !db.exists() {
        std::fs::create_dir(&db).unwrap();
        let root_pem = dir.join("root.pem");
        std::fs::write(&root_pem, pki::pem::encode("CERTIFICATE", root).unwrap()).unwrap();
        let db = format!("sql:{}", db.display());
        for args in [
            vec!["-N", "--empty-password", "-d", &db],
            vec![
                "-A",
                "-n",
                "egov",
                "-t",
                "C,C,",
                "-i",
                root_pem.to_str().unwrap(),
                "-d",
                &db,
            ],
        ] {
            let out = Command::new("certutil").args(&args).output().unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    let file = dir.join(name);
    std::fs::write(&file, bytes).unwrap();
    let out = Command::new("pdfsig")
        .args([
            "-nssdir",
            &format!("sql:{}", db.display()),
            file.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}
