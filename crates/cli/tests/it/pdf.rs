//! `egov pdf verify` as a recipient runs it: a document signed with a
//! certificate from egov's CA is valid against egov's root when revocation
//! is left out, and not determined otherwise (B-B carries no revocation
//! information); a changed byte,
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

/// A one-page PDF signed by Nguyễn Ngọc Thành with a P-256 key and a
/// certificate from the test app's CA; and that CA's root.
async fn signed_by_thanh(test: &TestApp) -> (Vec<u8>, Vec<u8>) {
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
    (signed, root)
}

#[tokio::test]
async fn egov_pdf_verify_gives_each_signature_its_verdict() {
    let (test, _) = TestApp::with_demo().await;
    let (signed, root) = signed_by_thanh(&test).await;

    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("root.pem"),
        pki::pem::encode("CERTIFICATE", &root).unwrap(),
    )
    .unwrap();
    std::fs::write(d.join("signed.pdf"), &signed).unwrap();
    // A B-B signature carries no revocation information: not determined
    // unless revocation is left out of the check.
    let (code, out) = verify(d, &d.join("signed.pdf"), &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("CHƯA XÁC ĐỊNH — Nguyễn Ngọc Thành"), "{out}");
    assert!(out.contains("không có thông tin thu hồi"), "{out}");
    let (code, out) = verify(d, &d.join("signed.pdf"), &["--no-revocation-check"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(": HỢP LỆ — Nguyễn Ngọc Thành"), "{out}");
    let (code, out) = verify(
        d,
        &d.join("signed.pdf"),
        &["--json", "--no-revocation-check"],
    );
    assert_eq!(code, 0, "{out}");
    let json: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(json["valid"], true);
    assert_eq!(json["signatures"][0]["verdict"], "valid");
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

/// Runs `egov` with `args`, `stdin` on its standard input, in `dir`.
fn egov(dir: &Path, args: &[&str], stdin: &str, envs: &[(&str, &Path)]) -> (i32, String) {
    use std::io::Write as _;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_egov"))
        .args(args)
        .current_dir(dir)
        .envs(envs.iter().copied())
        .env_remove("EGOV_TEST_DATABASE_URL")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn tool(dir: &Path, program: &str, args: &[&str], envs: &[(&str, &Path)]) {
    let out = std::process::Command::new(program)
        .args(args)
        .current_dir(dir)
        .envs(envs.iter().copied())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A holder with a key made by OpenSSL signs with `egov pdf sign`, from
/// the key file and then from a SoftHSM2 token the key was imported into,
/// against egov's CA served on loopback: a B-B file verifies once its
/// revocation status is fetched, B-LT files verify offline, a visible
/// signature sits where asked; a key that is not the certificate's, a
/// wrong PIN or a broken input leave the output untouched.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn egov_pdf_sign_signs_with_a_key_file_and_with_a_token() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let url = base.clone();
    let test = TestApp::with_config(move |config| config.pki.public_url = url).await;
    test.app.load_demo(|_, _| {}).await.unwrap();
    listener.set_nonblocking(true).unwrap();
    tokio::spawn(web::serve(
        test.app.clone(),
        tokio::net::TcpListener::from_std(listener).unwrap(),
        std::future::pending(),
    ));
    // `egov pdf sign` signs at the real moment: the CA issues a minute
    // before it, and its TSA stamps at it.
    test.clock
        .advance(time::OffsetDateTime::now_utc() - test.app.now() - time::Duration::minutes(1));
    let ctx = app::Ctx::system("test");
    test.app.pki_init(&ctx).await.unwrap();
    let person = test
        .app
        .person_by_email("thanhnn.stttt@travinh.gov.vn")
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let genpkey = [
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-out",
    ];
    tool(d, "openssl", &[&genpkey[..], &["key.pem"]].concat(), &[]);
    let subject = format!("/CN={}/C=VN", person.full_name);
    tool(
        d,
        "openssl",
        &[
            "req", "-new", "-utf8", "-key", "key.pem", "-subj", &subject, "-outform", "DER",
            "-out", "req.der",
        ],
        &[],
    );
    let input = IssueInput {
        holder: Holder::Person(person.id),
        profile: Profile::Personal,
        token: TokenKind::Usb,
        csr: Some(std::fs::read(d.join("req.der")).unwrap()),
        dns_names: Vec::new(),
        replaces: None,
        request: None,
    };
    let certificate = test.app.issue_certificate(&ctx, input).await.unwrap();
    test.clock.advance(time::Duration::minutes(1));
    let issuing = test.app.authority_certificate("issuing").await.unwrap();
    let root = test.app.authority_certificate("root").await.unwrap();
    let mut chain = pki::pem::encode("CERTIFICATE", &certificate.der).unwrap();
    chain.push_str(&pki::pem::encode("CERTIFICATE", &issuing).unwrap());
    std::fs::write(d.join("cert.pem"), &chain).unwrap();
    chain.push_str(&pki::pem::encode("CERTIFICATE", &root).unwrap());
    std::fs::write(d.join("full.pem"), &chain).unwrap();
    std::fs::write(
        d.join("root.pem"),
        pki::pem::encode("CERTIFICATE", &root).unwrap(),
    )
    .unwrap();
    std::fs::write(d.join("in.pdf"), one_page()).unwrap();
    let sign = |extra: &[&str], input: &str, output: &str, stdin: &str, env: &[(&str, &Path)]| {
        let mut args = vec!["pdf", "sign"];
        if !extra.contains(&"--cert") {
            args.extend(["--cert", "cert.pem"]);
        }
        args.extend_from_slice(extra);
        args.extend([input, output]);
        egov(d, &args, stdin, env)
    };
    let key = ["--key", "key.pem"];

    // B-B: its revocation status is not in the file; asked for, it is good.
    let (code, out) = sign(
        &[&key[..], &["--reason", "Phê duyệt"]].concat(),
        "in.pdf",
        "bb.pdf",
        "",
        &[],
    );
    assert_eq!(code, 0, "{out}");
    let (code, out) = verify(d, &d.join("bb.pdf"), &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("CHƯA XÁC ĐỊNH"), "{out}");
    let (code, out) = verify(d, &d.join("bb.pdf"), &["--fetch"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("HỢP LỆ — Nguyễn Ngọc Thành"), "{out}");

    // B-LT: timestamp from egov's TSA, evidence embedded; valid offline.
    let tsa = format!("{base}/pki/tsa");
    let (code, out) = sign(
        &[&key[..], &["--level", "b-lt"]].concat(),
        "in.pdf",
        "file.pdf",
        "",
        &[],
    );
    assert_ne!(code, 0, "{out}");
    assert!(out.contains("--tsa"), "{out}");
    let (code, out) = sign(
        &[&key[..], &["--level", "b-lt", "--tsa", &tsa]].concat(),
        "in.pdf",
        "file.pdf",
        "",
        &[],
    );
    assert_ne!(code, 0, "{out}");
    assert!(
        out.contains("CA gốc"),
        "without the root, the path is not whole: {out}"
    );
    let (code, out) = sign(
        &[
            &key[..],
            &["--level", "b-lt", "--tsa", &tsa, "--cert", "full.pem"],
        ]
        .concat(),
        "in.pdf",
        "file.pdf",
        "",
        &[],
    );
    assert_eq!(code, 0, "{out}");
    let (code, out) = verify(d, &d.join("file.pdf"), &[]);
    assert_eq!(code, 0, "{out}");

    // Visible, on page 1: the signer's image, name and position in the
    // rectangle given, and still valid.
    std::fs::write(d.join("ky.png"), render::demo::signature_png().unwrap()).unwrap();
    let visible = [
        "--visible",
        "1,320,100,200,90",
        "--image",
        "ky.png",
        "--position",
        "Giám đốc",
    ];
    let (code, out) = sign(
        &[&key[..], &visible[..]].concat(),
        "in.pdf",
        "visible.pdf",
        "",
        &[],
    );
    assert_eq!(code, 0, "{out}");
    let (code, out) = verify(d, &d.join("visible.pdf"), &["--fetch"]);
    assert_eq!(code, 0, "{out}");
    let text = String::from_utf8_lossy(&std::fs::read(d.join("visible.pdf")).unwrap()).into_owned();
    let rects: Vec<Vec<f64>> = text
        .match_indices("/Rect")
        .map(|(at, _)| {
            let rest = &text[at + 5..];
            let inside = &rest[rest.find('[').unwrap() + 1..rest.find(']').unwrap()];
            inside
                .split_whitespace()
                .map(|n| n.parse().unwrap())
                .collect()
        })
        .collect();
    assert!(
        rects.contains(&vec![320.0, 100.0, 520.0, 190.0]),
        "{rects:?}"
    );
    assert!(text.contains("/AP"), "the widget has an appearance");
    let (code, out) = sign(
        &[&key[..], &["--visible", "0,1,2", "--image", "ky.png"]].concat(),
        "in.pdf",
        "no.pdf",
        "",
        &[],
    );
    assert_ne!(code, 0, "{out}");
    assert!(out.contains("TRANG,X,Y,RỘNG,CAO"), "{out}");

    // Another key: refused, and the output is not written.
    tool(d, "openssl", &[&genpkey[..], &["other.pem"]].concat(), &[]);
    let (code, out) = sign(&["--key", "other.pem"], "in.pdf", "no.pdf", "", &[]);
    assert_ne!(code, 0, "{out}");
    assert!(out.contains("không ứng với chứng thư"), "{out}");
    assert!(!d.join("no.pdf").exists());

    // The same key on a SoftHSM2 token, found by the certificate's key,
    // adds a second B-LT signature; both stay valid offline.
    let tokens = d.join("tokens");
    std::fs::create_dir(&tokens).unwrap();
    std::fs::write(
        d.join("softhsm2.conf"),
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\n",
            tokens.display()
        ),
    )
    .unwrap();
    let conf = d.join("softhsm2.conf");
    let env = [("SOFTHSM2_CONF", conf.as_path())];
    tool(
        d,
        "softhsm2-util",
        &[
            "--init-token",
            "--free",
            "--label",
            "Token của Thành",
            "--so-pin",
            "87654321",
            "--pin",
            "123456",
        ],
        &env,
    );
    tool(
        d,
        "softhsm2-util",
        &[
            "--import",
            "key.pem",
            "--token",
            "Token của Thành",
            "--label",
            "ky-so",
            "--id",
            "a1b2",
            "--pin",
            "123456",
        ],
        &env,
    );
    let token = [
        "--pkcs11-module",
        "/usr/lib/softhsm/libsofthsm2.so",
        "--pin-stdin",
        "--level",
        "b-lt",
        "--tsa",
        &tsa,
        "--cert",
        "full.pem",
    ];
    let (code, out) = sign(&token, "file.pdf", "file.pdf", "000000\n", &env);
    assert_ne!(code, 0, "{out}");
    assert!(out.contains("PIN"), "{out}");
    let (code, out) = sign(&token, "file.pdf", "file.pdf", "123456\n", &env);
    assert_eq!(code, 0, "{out}");
    let (code, out) = verify(d, &d.join("file.pdf"), &["--json"]);
    assert_eq!(code, 0, "{out}");
    let json: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(json["signatures"].as_array().unwrap().len(), 2, "{out}");

    std::fs::write(d.join("broken.pdf"), b"%PDF-1.7\nnot really").unwrap();
    let (code, out) = sign(&key, "broken.pdf", "file.pdf", "", &[]);
    assert_ne!(code, 0, "{out}");
    assert!(out.contains("không ký được"), "{out}");
    let (code, _) = verify(d, &d.join("file.pdf"), &[]);
    assert_eq!(code, 0, "the earlier signed file is untouched");
}

/// The public page: anyone uploads a PDF and reads each signature's
/// verdict against egov's CA; nothing needs a sign-in.
#[tokio::test]
async fn the_public_verify_page_judges_an_uploaded_pdf() {
    use axum::body::Body;
    use axum::http::{Request, StatusCode};

    let (test, _) = TestApp::with_demo().await;
    let (signed, _) = signed_by_thanh(&test).await;
    let page = test
        .send(Request::get("/verify").body(Body::empty()).unwrap())
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(
        crate::ui::text(page)
            .await
            .contains("enctype=\"multipart/form-data\"")
    );

    let judge = |name: &str, bytes: &[u8]| crate::ui::multipart("/verify", "", &[], (name, bytes));
    let html = crate::ui::text(test.send(judge("Quyết định 12.pdf", &signed)).await).await;
    assert!(html.contains("Kết quả: Quyết định 12.pdf"), "{html}");
    assert!(html.contains("Nguyễn Ngọc Thành"), "{html}");
    assert!(html.contains("Mọi chữ ký (1) đều hợp lệ"), "{html}");

    let mut altered = signed.clone();
    let at = altered.windows(9).position(|w| w == b"/MediaBox").unwrap();
    altered[at + 12] = b'9';
    let html = crate::ui::text(test.send(judge("sửa.pdf", &altered)).await).await;
    assert!(
        html.contains("Có chữ ký không hợp lệ hoặc chưa xác định"),
        "{html}"
    );
    assert!(html.contains("Không hợp lệ</strong>"), "{html}");

    let html = crate::ui::text(test.send(judge("trắng.pdf", &one_page())).await).await;
    assert!(html.contains("Tệp không có chữ ký số nào"), "{html}");
    let html = crate::ui::text(test.send(judge("hỏng.pdf", b"%PDF-1.7\nnot really")).await).await;
    assert!(html.contains("hỏng.pdf: tệp PDF hỏng"), "{html}");
}
