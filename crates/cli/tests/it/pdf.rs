//! `egov pdf verify` as a recipient runs it: a document signed with a
//! certificate from egov's CA is valid against egov's root; a changed byte,
//! another root, no signature or a broken file each give a clear verdict
//! and a non-zero exit.

use std::path::Path;

use app::pki::IssueInput;
use domain::pki::{Holder, Profile, TokenKind};
use pki::software::SoftwareKey;
use pki::{CaKey, Digest, KeySpec};
use testkit::TestApp;

/// A one-page PDF 1.7 written by hand, classic cross-reference table.
pub fn one_page() -> Vec<u8> {
    app::demo::sample_pdf(&["Cong van so 1"])
}

fn verify(dir: &Path, file: &Path, extra: &[&str]) -> (i32, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_egov"))
        .args([
            "pdf",
            "verify",
            &file.display().to_string(),
            "--trust",
            &dir.join("root.pem").display().to_string(),
        ])
        .args(extra)
        .env_remove("EGOV_TEST_DATABASE_URL")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[tokio::test]
async fn egov_pdf_verify_gives_each_signature_its_verdict() {
    let (test, _) = TestApp::with_demo().await;
    let ctx = app::Ctx::system("test");
    test.app.pki_init(&ctx).await.unwrap();
    let person = test
        .app
        .person_by_email("thanhnn.stttt@travinh.gov.vn")
        .await
        .unwrap();
    let key = SoftwareKey::generate(KeySpec::EcP256).unwrap();
    let subject = pki::SubjectName {
        common_name: person.full_name.clone(),
        country: "VN".into(),
        ..Default::default()
    };
    let csr = pki::csr::build(&key, Digest::Sha256, &subject).unwrap();
    let input = IssueInput {
        holder: Holder::Person(person.id),
        profile: Profile::Personal,
        token: TokenKind::Usb,
        csr: Some(csr),
        dns_names: Vec::new(),
        replaces: None,
        request: None,
    };
    let certificate = test.app.issue_certificate(&ctx, input).await.unwrap();
    let root = test.app.authority_certificate("root").await.unwrap();
    let issuing = test.app.authority_certificate("issuing").await.unwrap();
    let signer = pdf::Signer {
        key: &key,
        digest: key.spec().natural_digest(),
        certificate: certificate.der.clone(),
        chain: vec![issuing],
    };
    // Signed a minute after issuing, on the CA's (fixed test) clock.
    let at = test.app.now() + time::Duration::minutes(1);
    let signed = pdf::sign(&one_page(), &signer, &pdf::SignOptions::new(at)).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("root.pem"),
        pki::pem::encode("CERTIFICATE", &root).unwrap(),
    )
    .unwrap();
    std::fs::write(d.join("signed.pdf"), &signed).unwrap();
    let (code, out) = verify(d, &d.join("signed.pdf"), &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("HỢP LỆ — Nguyễn Ngọc Thành"), "{out}");
    let (code, out) = verify(d, &d.join("signed.pdf"), &["--json"]);
    assert_eq!(code, 0, "{out}");
    let json: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(json["valid"], true);
    assert_eq!(json["signatures"][0]["signer"], "Nguyễn Ngọc Thành");

    // One byte of the page changed inside the signed range.
    let mut altered = signed.clone();
    let at = altered.windows(9).position(|w| w == b"/MediaBox").unwrap();
    altered[at + 12] = b'9';
    std::fs::write(d.join("altered.pdf"), &altered).unwrap();
    let (code, out) = verify(d, &d.join("altered.pdf"), &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("KHÔNG HỢP LỆ"), "{out}");

    // Another province's root: signed, but not by anyone trusted here.
    let stranger = SoftwareKey::generate(KeySpec::EcP256).unwrap();
    let now = test.app.now();
    let template = pki::Template {
        serial: pki::Serial::random().unwrap(),
        subject: pki::SubjectName {
            common_name: "Another Root CA".into(),
            country: "VN".into(),
            ..Default::default()
        }
        .to_name()
        .unwrap(),
        public_key: stranger.public_key().clone(),
        profile: Profile::Root,
        not_before: now - time::Duration::days(1),
        not_after: now + time::Duration::days(365),
        email: None,
        dns_names: Vec::new(),
    };
    let other = pki::cert::self_signed(&stranger, Digest::Sha256, &template).unwrap();
    std::fs::write(
        d.join("root.pem"),
        pki::pem::encode("CERTIFICATE", &der::Encode::to_der(&other).unwrap()).unwrap(),
    )
    .unwrap();
    let (code, out) = verify(d, &d.join("signed.pdf"), &[]);
    assert_eq!(code, 1, "{out}");

    std::fs::write(d.join("unsigned.pdf"), one_page()).unwrap();
    let (code, out) = verify(d, &d.join("unsigned.pdf"), &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("không có chữ ký số"), "{out}");
    std::fs::write(d.join("broken.pdf"), b"%PDF-1.7\nnot really").unwrap();
    let (code, out) = verify(d, &d.join("broken.pdf"), &[]);
    assert_ne!(code, 0, "{out}");
    assert!(out.contains("không kiểm tra được"), "{out}");
}
