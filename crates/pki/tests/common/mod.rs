//! What the PKI tests share: running OpenSSL, writing a chain for
//! `openssl verify`, names, templates and a two-level hierarchy.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code)]

use std::path::Path;
use std::process::Command;

use der::Encode;
use pki::cert::{Template, self_signed};
use pki::software::SoftwareKey;
use pki::{Authority, AuthorityUrls, CaKey, Digest, KeySpec, Profile, Serial, SubjectName};
use time::{Duration, OffsetDateTime};

pub fn openssl(args: &[&str]) -> (bool, String) {
    let out = Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

pub fn write_pem(dir: &Path, name: &str, label: &str, der: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, pki::pem::encode(label, der).unwrap()).unwrap();
    path.to_str().unwrap().to_owned()
}

/// The root, issuing CA and leaf as PEM files, for `openssl verify`.
pub fn chain_files(
    dir: &Path,
    root: &Authority,
    issuing: &Authority,
    leaf: &x509_cert::Certificate,
) -> [String; 3] {
    [
        write_pem(
            dir,
            "root.pem",
            "CERTIFICATE",
            &root.certificate.to_der().unwrap(),
        ),
        write_pem(
            dir,
            "issuing.pem",
            "CERTIFICATE",
            &issuing.certificate.to_der().unwrap(),
        ),
        write_pem(dir, "leaf.pem", "CERTIFICATE", &leaf.to_der().unwrap()),
    ]
}

pub fn ca_name(cn: &str) -> SubjectName {
    SubjectName {
        common_name: cn.into(),
        organization: Some("Sở Thông tin và Truyền thông Trà Vinh".into()),
        province: Some("Trà Vinh".into()),
        country: "VN".into(),
        ..SubjectName::default()
    }
}

pub fn template(
    serial: Serial,
    subject: &SubjectName,
    key: &spki::SubjectPublicKeyInfoOwned,
    profile: Profile,
) -> Template {
    let now = OffsetDateTime::now_utc();
    Template {
        serial,
        subject: subject.to_name().unwrap(),
        public_key: key.clone(),
        profile,
        not_before: now - Duration::minutes(5),
        not_after: now + Duration::days(i64::from(profile.default_days())),
        email: subject.email.clone(),
        dns_names: Vec::new(),
    }
}

/// A root and an issuing CA of `spec`, in software.
pub fn hierarchy(spec: KeySpec) -> (Authority, Authority) {
    hierarchy_of(
        Box::new(SoftwareKey::generate(spec).unwrap()),
        Box::new(SoftwareKey::generate(spec).unwrap()),
        spec.natural_digest(),
    )
}

/// A self-signed root with `root_key` and an issuing CA under it with
/// `issuing_key`, both signing with `digest`.
pub fn hierarchy_of(
    root_key: Box<dyn CaKey>,
    issuing_key: Box<dyn CaKey>,
    digest: Digest,
) -> (Authority, Authority) {
    let root_cert = self_signed(
        root_key.as_ref(),
        digest,
        &template(
            Serial::random().unwrap(),
            &ca_name("Trà Vinh Public Service Root CA"),
            root_key.public_key(),
            Profile::Root,
        ),
    )
    .unwrap();
    let root = Authority {
        certificate: root_cert,
        key: root_key,
        digest,
        urls: Some(AuthorityUrls::under("http://127.0.0.1:1", "root")),
    };
    let issuing = issuing_under(&root, issuing_key);
    (root, issuing)
}

/// An issuing CA with `key` under `root`.
pub fn issuing_under(root: &Authority, key: Box<dyn CaKey>) -> Authority {
    let certificate = root
        .issue(&template(
            Serial::random().unwrap(),
            &ca_name("Trà Vinh Public Service CA"),
            key.public_key(),
            Profile::IssuingCa,
        ))
        .unwrap();
    Authority {
        certificate,
        key,
        digest: root.digest,
        urls: Some(AuthorityUrls::under("http://127.0.0.1:1", "issuing")),
    }
}

pub fn person() -> SubjectName {
    SubjectName {
        common_name: "Nguyễn Thị Ánh".into(),
        organization: Some("Sở Thông tin và Truyền thông Trà Vinh".into()),
        province: Some("Trà Vinh".into()),
        country: "VN".into(),
        email: Some("anhnt@travinh.gov.vn".into()),
        identity: Some("CCCD:084190000123".into()),
        ..SubjectName::default()
    }
}

/// A personal certificate from `issuing` for `holder`, and whether
/// `openssl verify` accepts the chain up to `root` (with its output).
pub fn leaf_verifies(
    dir: &Path,
    root: &Authority,
    issuing: &Authority,
    holder: &dyn CaKey,
) -> (bool, String) {
    let leaf = issuing
        .issue(&template(
            Serial::random().unwrap(),
            &person(),
            holder.public_key(),
            Profile::Personal,
        ))
        .unwrap();
    let [root_pem, issuing_pem, leaf_pem] = chain_files(dir, root, issuing, &leaf);
    let (ok, text) = openssl(&[
        "verify",
        "-CAfile",
        &root_pem,
        "-untrusted",
        &issuing_pem,
        &leaf_pem,
    ]);
    (ok && text.contains(": OK"), text)
}
