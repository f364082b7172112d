//! The CA judged by OpenSSL: chains verify, CRLs list what was revoked with
//! the reason, CSRs made by OpenSSL are accepted and forged ones refused.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::{chain_files, hierarchy, leaf_verifies, openssl, person, template, write_pem};
use der::{Decode, Encode};
use domain::pki::RevocationReason as Reason;
use pki::crl::Revoked;
use pki::csr;
use pki::software::SoftwareKey;
use pki::{CaKey, Digest, KeySpec, Profile, Serial};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

/// A key and CSR made by OpenSSL, as a token's middleware would.
fn openssl_csr(dir: &Path, key_args: &[&str], subject: &str) -> Vec<u8> {
    let key = dir.join("holder.key");
    let csr = dir.join("holder.csr");
    let mut args = vec![
        "req",
        "-new",
        "-nodes",
        "-utf8",
        "-subj",
        subject,
        "-keyout",
        key.to_str().unwrap(),
        "-out",
        csr.to_str().unwrap(),
    ];
    args.extend_from_slice(key_args);
    let (ok, text) = openssl(&args);
    assert!(ok, "{text}");
    std::fs::read(csr).unwrap()
}

#[test]
fn openssl_verifies_chains_for_every_key_type() {
    let dir = tempfile::tempdir().unwrap();
    for spec in KeySpec::ALL {
        let (root, issuing) = hierarchy(spec);
        let holder = SoftwareKey::generate(KeySpec::EcP256).unwrap();
        let leaf = issuing
            .issue(&template(
                Serial::random().unwrap(),
                &person(),
                holder.public_key(),
                Profile::Personal,
            ))
            .unwrap();
        let [root_pem, issuing_pem, leaf_pem] = chain_files(dir.path(), &root, &issuing, &leaf);
        let (ok, text) = openssl(&[
            "verify",
            "-CAfile",
            &root_pem,
            "-untrusted",
            &issuing_pem,
            &leaf_pem,
        ]);
        assert!(ok && text.contains(": OK"), "{spec}: {text}");
        let (_, text) = openssl(&[
            "x509", "-in", &leaf_pem, "-noout", "-text", "-nameopt", "utf8",
        ]);
        assert!(
            text.contains("CN=Nguyễn Thị Ánh, UID=CCCD:084190000123"),
            "{text}"
        );
        assert!(
            text.contains("Digital Signature, Non Repudiation"),
            "{text}"
        );
        assert!(
            text.contains("URI:http://127.0.0.1:1/pki/crl/issuing.crl"),
            "{text}"
        );
        assert!(
            text.contains("OCSP - URI:http://127.0.0.1:1/pki/ocsp"),
            "{text}"
        );
        assert!(text.contains("email:anhnt@travinh.gov.vn"), "{text}");
        // A certificate signed by another CA does not verify against this root.
        let (_, other) = hierarchy(KeySpec::EcP256);
        let (ok, _) = leaf_verifies(dir.path(), &root, &other, &holder);
        assert!(!ok, "{spec}: a stranger's certificate verified");
    }
}

#[test]
fn openssl_reads_the_crl_with_serials_and_reasons_and_rejects_the_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let (root, issuing) = hierarchy(KeySpec::Rsa2048);
    let holder = SoftwareKey::generate(KeySpec::Rsa2048).unwrap();
    let serial = Serial::random().unwrap();
    let leaf = issuing
        .issue(&template(
            serial.clone(),
            &person(),
            holder.public_key(),
            Profile::Personal,
        ))
        .unwrap();
    let now = OffsetDateTime::now_utc();
    let revoked = [Revoked {
        serial: serial.clone(),
        at: now - Duration::minutes(1),
        reason: Reason::KeyCompromise,
    }];
    let crl = pki::crl::build(
        &issuing,
        7,
        now - Duration::minutes(1),
        now + Duration::days(1),
        &revoked,
    )
    .unwrap();
    let crl_der = crl.to_der().unwrap();
    let crl_path = dir.path().join("issuing.crl");
    std::fs::write(&crl_path, &crl_der).unwrap();
    let (ok, text) = openssl(&[
        "crl",
        "-inform",
        "DER",
        "-in",
        crl_path.to_str().unwrap(),
        "-noout",
        "-text",
    ]);
    assert!(ok, "{text}");
    assert!(text.contains(&format!("Serial Number: {serial}")), "{text}");
    assert!(text.contains("Key Compromise"), "{text}");
    assert!(
        text.contains("X509v3 CRL Number: \n                7"),
        "{text}"
    );

    // With the CRL, OpenSSL refuses the revoked certificate.
    let [root_pem, issuing_pem, leaf_pem] = chain_files(dir.path(), &root, &issuing, &leaf);
    let crl_pem = write_pem(dir.path(), "crl.pem", "X509 CRL", &crl_der);
    let (ok, text) = openssl(&[
        "verify",
        "-crl_check",
        "-CAfile",
        &root_pem,
        "-untrusted",
        &issuing_pem,
        "-CRLfile",
        &crl_pem,
        &leaf_pem,
    ]);
    assert!(!ok && text.contains("certificate revoked"), "{text}");
    let empty = pki::crl::build(
        &issuing,
        8,
        now - Duration::minutes(1),
        now + Duration::days(1),
        &[],
    )
    .unwrap();
    let empty_pem = write_pem(
        dir.path(),
        "empty.pem",
        "X509 CRL",
        &empty.to_der().unwrap(),
    );
    let (ok, text) = openssl(&[
        "verify",
        "-crl_check",
        "-CAfile",
        &root_pem,
        "-untrusted",
        &issuing_pem,
        "-CRLfile",
        &empty_pem,
        &leaf_pem,
    ]);
    assert!(ok, "{text}");
}

#[test]
fn csrs_from_openssl_are_checked_for_signature_strength_and_subject() {
    let dir = tempfile::tempdir().unwrap();
    let subject =
        "/C=VN/O=Sở Thông tin và Truyền thông Trà Vinh/CN=Nguyễn Thị Ánh/UID=CCCD:084190000123";
    for key_args in [
        &["-newkey", "rsa:2048"][..],
        &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384"][..],
    ] {
        let csr = openssl_csr(dir.path(), key_args, subject);
        let checked = csr::check(&csr).unwrap();
        checked.require_subject(&person()).unwrap();
    }
    // Someone else's name: refused, saying whose.
    let csr = openssl_csr(
        dir.path(),
        &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
        "/C=VN/CN=Trần Văn Bình",
    );
    let error = csr::check(&csr)
        .unwrap()
        .require_subject(&person())
        .unwrap_err();
    assert!(error.to_string().contains("Trần Văn Bình"), "{error}");
    // A weak key.
    let csr = openssl_csr(dir.path(), &["-newkey", "rsa:1024"], subject);
    assert!(matches!(csr::check(&csr), Err(pki::Error::WeakKey(_))));
    // A curve the CA does not take.
    let csr = openssl_csr(
        dir.path(),
        &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:secp256k1"],
        subject,
    );
    assert!(matches!(csr::check(&csr), Err(pki::Error::WeakKey(_))));
    // A signature that does not match: flip a byte of the signature.
    let good = openssl_csr(dir.path(), &["-newkey", "rsa:2048"], subject);
    let mut der = pki::pem::der_of(&good, &["CERTIFICATE REQUEST"]).unwrap();
    let last = der.len() - 1;
    der[last] ^= 0x01;
    assert!(matches!(csr::check(&der), Err(pki::Error::BadSignature)));
    // Our own CSRs, as the demo and token generation make them, pass too
    // and OpenSSL reads them.
    let key = SoftwareKey::generate(KeySpec::Rsa2048).unwrap();
    let built = csr::build(&key, Digest::Sha256, &person()).unwrap();
    csr::check(&built)
        .unwrap()
        .require_subject(&person())
        .unwrap();
    let path = dir.path().join("built.csr");
    std::fs::write(&path, &built).unwrap();
    let (ok, text) = openssl(&[
        "req",
        "-inform",
        "DER",
        "-in",
        path.to_str().unwrap(),
        "-verify",
        "-noout",
    ]);
    assert!(ok && text.contains("verify OK"), "{text}");
    // Garbage, and too much of it.
    assert!(matches!(
        csr::check(b"not a csr"),
        Err(pki::Error::Malformed(_))
    ));
    assert!(matches!(
        csr::check(&vec![0x30; 70_000]),
        Err(pki::Error::Malformed(_))
    ));
}

#[test]
fn validity_and_subject_follow_the_template() {
    let (_, issuing) = hierarchy(KeySpec::EcP256);
    let holder = SoftwareKey::generate(KeySpec::EcP256).unwrap();
    let mut wanted = template(
        Serial::random().unwrap(),
        &person(),
        holder.public_key(),
        Profile::Organization,
    );
    wanted.not_before = datetime!(2049-12-31 17:00 UTC);
    wanted.not_after = datetime!(2051-01-01 00:00 UTC);
    let cert = issuing.issue(&wanted).unwrap();
    let round = x509_cert::Certificate::from_der(&cert.to_der().unwrap()).unwrap();
    assert_eq!(
        pki::cert::offset_time(&round.tbs_certificate.validity.not_after),
        wanted.not_after
    );
    assert_eq!(
        Serial::of(&round.tbs_certificate.serial_number).unwrap(),
        wanted.serial
    );
    wanted.not_after = wanted.not_before;
    assert!(issuing.issue(&wanted).is_err());
    let _ = Digest::Sha256;
}
