//! What the PKI tests share: OpenSSL as the judge, PEM files, a software
//! CA hierarchy, and the holder they issue to.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code)]

use std::path::Path;
use std::process::Command;

use der::Encode;
use pki::cert::{Template, self_signed};
use pki::software::SoftwareKey;
use pki::{Authority, AuthorityUrls, CaKey, KeySpec, Profile, Serial, SubjectName};
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
    let digest = spec.natural_digest();
    let root_key = SoftwareKey::generate(spec).unwrap();
    let root_cert = self_signed(
        &root_key,
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
        key: Box::new(root_key),
        digest,
        urls: Some(AuthorityUrls::under("http://127.0.0.1:1", "root")),
    };
    let issuing_key = SoftwareKey::generate(spec).unwrap();
    let issuing_cert = root
        .issue(&template(
            Serial::random().unwrap(),
            &ca_name("Trà Vinh Public Service CA"),
            issuing_key.public_key(),
            Profile::IssuingCa,
        ))
        .unwrap();
    let issuing = Authority {
        certificate: issuing_cert,
        key: Box::new(issuing_key),
        digest,
        urls: Some(AuthorityUrls::under("http://127.0.0.1:1", "issuing")),
    };
    (root, issuing)
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
