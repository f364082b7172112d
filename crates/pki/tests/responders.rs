//! The OCSP responder and the time-stamping authority judged by OpenSSL:
//! `openssl ocsp` reads our answers as good or revoked and verifies their
//! signature and nonce; `openssl ts -verify` accepts our timestamps.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::{chain_files, hierarchy, openssl, person, template, write_pem};
use der::Encode;
use domain::pki::RevocationReason as Reason;
use pki::ocsp::{IssuerHashes, Responder, Status, Window, parse_request, serial_of};
use pki::software::SoftwareKey;
use pki::tsa::{Refusal, Tsa, parse_request as parse_ts_request};
use pki::{Authority, CaKey, KeySpec, Profile, Serial, SubjectName};
use time::{Duration, OffsetDateTime};

fn service(
    issuing: &Authority,
    profile: Profile,
    name: &str,
) -> (x509_cert::Certificate, SoftwareKey) {
    let key = SoftwareKey::generate(KeySpec::EcP256).unwrap();
    let subject = SubjectName {
        common_name: name.into(),
        country: "VN".into(),
        ..SubjectName::default()
    };
    let cert = issuing
        .issue(&template(
            Serial::random().unwrap(),
            &subject,
            key.public_key(),
            profile,
        ))
        .unwrap();
    (cert, key)
}

/// `openssl ocsp` checking an answer against the request it was for: the
/// signature through the chain to the root, and the nonce. Given `-reqin`
/// without `-cert`, OpenSSL uses that request (and its nonce) rather than
/// making a new one.
fn check_response(response: &str, request: &str, root: &str, issuing: &str) -> (bool, String) {
    openssl(&[
        "ocsp",
        "-respin",
        response,
        "-reqin",
        request,
        "-CAfile",
        root,
        "-verify_other",
        issuing,
        "-resp_text",
    ])
}

fn path(dir: &Path, name: &str) -> String {
    dir.join(name).to_str().unwrap().to_owned()
}

#[test]
fn openssl_reads_good_then_revoked_with_a_verified_signature_and_nonce() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for spec in [KeySpec::EcP256, KeySpec::Rsa2048] {
        let (root, issuing) = hierarchy(spec);
        let holder = SoftwareKey::generate(KeySpec::EcP256).unwrap();
        let serial = Serial::random().unwrap();
        let leaf = issuing
            .issue(&template(
                serial.clone(),
                &person(),
                holder.public_key(),
                Profile::Personal,
            ))
            .unwrap();
        let (responder_cert, responder_key) = service(&issuing, Profile::Ocsp, "OCSP Trà Vinh");
        let responder = Responder {
            certificate: responder_cert,
            key: Box::new(responder_key),
            digest: spec.natural_digest(),
        };
        let [root_pem, issuing_pem, leaf_pem] = chain_files(d, &root, &issuing, &leaf);
        let request = path(d, "req.der");
        let (ok, text) = openssl(&[
            "ocsp",
            "-issuer",
            &issuing_pem,
            "-cert",
            &leaf_pem,
            "-reqout",
            &request,
        ]);
        assert!(ok, "{text}");

        let query = parse_request(&std::fs::read(&request).unwrap()).unwrap();
        assert_eq!(query.certs.len(), 1);
        assert_eq!(
            query.nonce.as_ref().map(Vec::len),
            Some(16),
            "openssl sends a 16-byte nonce"
        );
        let hashes = IssuerHashes::of(&issuing.certificate).unwrap();
        assert!(hashes.names(&query.certs[0]));
        assert!(
            !IssuerHashes::of(&root.certificate)
                .unwrap()
                .names(&query.certs[0])
        );
        assert_eq!(serial_of(&query.certs[0]).unwrap(), serial);

        let now = OffsetDateTime::now_utc();
        let window = Window {
            produced_at: now,
            this_update: now,
            next_update: now + Duration::hours(1),
        };
        let revoked = Status::Revoked {
            at: now - Duration::minutes(2),
            reason: Reason::KeyCompromise,
        };
        for (status, expected) in [
            (Status::Good, "Cert Status: good"),
            (revoked, "Cert Status: revoked"),
            (Status::Unknown, "Cert Status: unknown"),
        ] {
            let answer = responder
                .respond(
                    &[(query.certs[0].clone(), status)],
                    query.nonce.as_deref(),
                    window,
                )
                .unwrap();
            let response = path(d, "resp.der");
            std::fs::write(&response, answer).unwrap();
            let (ok, text) = check_response(&response, &request, &root_pem, &issuing_pem);
            assert!(ok, "{spec} {expected}: {text}");
            assert!(text.contains("Response verify OK"), "{text}");
            assert!(text.contains(expected), "{spec} {expected}: {text}");
            assert!(!text.contains("WARNING"), "{text}");
            if status != Status::Good && status != Status::Unknown {
                assert!(text.contains("Revocation Reason: keyCompromise"), "{text}");
            }
        }
        // An answer echoing the wrong nonce is caught by OpenSSL.
        let answer = responder
            .respond(
                &[(query.certs[0].clone(), Status::Good)],
                Some(b"other"),
                window,
            )
            .unwrap();
        let response = path(d, "resp.der");
        std::fs::write(&response, answer).unwrap();
        let (ok, text) = check_response(&response, &request, &root_pem, &issuing_pem);
        assert!(!ok || text.contains("Nonce Verify error"), "{text}");
    }
}

/// Requests written by `pki::ocsp::request` (the benchmark's) are read by
/// OpenSSL and by our parser as what they ask, and OpenSSL accepts our
/// answer to them, nonce included; `is_successful` tells answers from
/// refusals.
#[test]
fn our_requests_are_read_by_openssl_and_answered() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (root, issuing) = hierarchy(KeySpec::EcP256);
    let holder = SoftwareKey::generate(KeySpec::EcP256).unwrap();
    let serial = Serial::random().unwrap();
    let leaf = issuing
        .issue(&template(
            serial.clone(),
            &person(),
            holder.public_key(),
            Profile::Personal,
        ))
        .unwrap();
    let (responder_cert, responder_key) = service(&issuing, Profile::Ocsp, "OCSP Trà Vinh");
    let responder = Responder {
        certificate: responder_cert,
        key: Box::new(responder_key),
        digest: pki::Digest::Sha256,
    };
    let [root_pem, issuing_pem, _] = chain_files(d, &root, &issuing, &leaf);
    let id = IssuerHashes::of(&issuing.certificate)
        .unwrap()
        .sha1_cert_id(&serial)
        .unwrap();
    let now = OffsetDateTime::now_utc();
    let window = Window {
        produced_at: now,
        this_update: now,
        next_update: now + Duration::hours(1),
    };
    for nonce in [None, Some(&b"0123456789abcdef"[..])] {
        let der = pki::ocsp::request(std::slice::from_ref(&id), nonce).unwrap();
        let query = parse_request(&der).unwrap();
        assert_eq!(query.certs, std::slice::from_ref(&id));
        assert_eq!(query.nonce.as_deref(), nonce);
        let request = path(d, "req.der");
        std::fs::write(&request, &der).unwrap();
        let (ok, text) = openssl(&["ocsp", "-reqin", &request, "-req_text"]);
        assert!(ok, "{text}");
        assert!(text.contains(&format!("Serial Number: {serial}")), "{text}");
        assert_eq!(text.contains("OCSP Nonce"), nonce.is_some(), "{text}");

        let answer = responder
            .respond(&[(id.clone(), Status::Good)], nonce, window)
            .unwrap();
        assert!(pki::ocsp::is_successful(&answer));
        let response = path(d, "resp.der");
        std::fs::write(&response, answer).unwrap();
        let (ok, text) = check_response(&response, &request, &root_pem, &issuing_pem);
        assert!(ok && text.contains("Response verify OK"), "{text}");
        assert!(!text.contains("WARNING"), "{text}");
    }
    for refusal in [
        pki::ocsp::malformed_request(),
        pki::ocsp::unauthorized(),
        pki::ocsp::try_later(),
        pki::ocsp::internal_error(),
    ] {
        assert!(!pki::ocsp::is_successful(&refusal));
    }
    assert!(!pki::ocsp::is_successful(b""));
    assert!(!pki::ocsp::is_successful(b"\x30\x03\x0a\x01\x00"));
}

#[test]
fn malformed_ocsp_requests_are_refused() {
    assert!(parse_request(b"").is_err());
    assert!(parse_request(&[0x30, 0x03, 0x30, 0x01, 0x00]).is_err());
    assert!(parse_request(&vec![0x30; 20_000]).is_err());
    // The fixed answers are well-formed OCSPResponses OpenSSL can read.
    let dir = tempfile::tempdir().unwrap();
    let response = path(dir.path(), "malformed.der");
    std::fs::write(&response, pki::ocsp::malformed_request()).unwrap();
    let (_, text) = openssl(&["ocsp", "-respin", &response, "-resp_text", "-noverify"]);
    assert!(text.contains("malformedrequest"), "{text}");
}

#[test]
fn openssl_verifies_our_timestamps() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (root, issuing) = hierarchy(KeySpec::Rsa3072);
    let (tsa_cert, tsa_key) = service(&issuing, Profile::Timestamping, "TSA Trà Vinh");
    let tsa = Tsa {
        certificate: tsa_cert.clone(),
        key: Box::new(tsa_key),
        digest: pki::Digest::Sha256,
        policy: der::asn1::ObjectIdentifier::new_unwrap("1.3.6.1.4.1.99999.1.1"),
    };
    let data = path(d, "văn bản.txt");
    std::fs::write(&data, "Quyết định số 437/QĐ-UBND ngày 09/3/2021").unwrap();
    let root_pem = write_pem(
        d,
        "root.pem",
        "CERTIFICATE",
        &root.certificate.to_der().unwrap(),
    );
    let chain = path(d, "chain.pem");
    std::fs::write(
        &chain,
        pki::pem::encode("CERTIFICATE", &issuing.certificate.to_der().unwrap()).unwrap()
            + &pki::pem::encode("CERTIFICATE", &tsa_cert.to_der().unwrap()).unwrap(),
    )
    .unwrap();
    for digest_flag in ["-sha256", "-sha384", "-sha512"] {
        let query = path(d, "req.tsq");
        let (ok, text) = openssl(&[
            "ts",
            "-query",
            "-data",
            &data,
            digest_flag,
            "-cert",
            "-out",
            &query,
        ]);
        assert!(ok, "{text}");
        let request = parse_ts_request(&std::fs::read(&query).unwrap()).unwrap();
        let answer = tsa
            .stamp(
                &request,
                &Serial::random().unwrap(),
                OffsetDateTime::now_utc(),
            )
            .unwrap();
        let reply = path(d, "resp.tsr");
        std::fs::write(&reply, answer).unwrap();
        for check in [["-queryfile", query.as_str()], ["-data", data.as_str()]] {
            let (ok, text) = openssl(&[
                "ts",
                "-verify",
                "-in",
                &reply,
                check[0],
                check[1],
                "-CAfile",
                &root_pem,
                "-untrusted",
                &chain,
            ]);
            assert!(
                ok && text.contains("Verification: OK"),
                "{digest_flag} {check:?}: {text}"
            );
        }
        // Other data does not verify against the stamp.
        let other = path(d, "other.txt");
        std::fs::write(&other, "Quyết định số 438/QĐ-UBND").unwrap();
        let (ok, _) = openssl(&[
            "ts",
            "-verify",
            "-in",
            &reply,
            "-data",
            &other,
            "-CAfile",
            &root_pem,
            "-untrusted",
            &chain,
        ]);
        assert!(!ok);
    }
}

#[test]
fn bad_timestamp_requests_get_a_refusal_openssl_reads() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let data = path(d, "data.txt");
    std::fs::write(&data, "x").unwrap();
    let query = path(d, "req.tsq");
    let (ok, text) = openssl(&["ts", "-query", "-data", &data, "-sha1", "-out", &query]);
    assert!(ok, "{text}");
    let (refusal, reason) = parse_ts_request(&std::fs::read(&query).unwrap()).unwrap_err();
    assert_eq!(refusal, Refusal::BadAlgorithm, "{reason}");
    assert_eq!(
        parse_ts_request(b"\x30\x00").unwrap_err().0,
        Refusal::BadDataFormat
    );
    assert_eq!(
        parse_ts_request(&vec![0; 5000]).unwrap_err().0,
        Refusal::BadDataFormat
    );
    let reply = path(d, "resp.tsr");
    std::fs::write(&reply, pki::tsa::refuse(refusal, &reason)).unwrap();
    let (_, text) = openssl(&["ts", "-reply", "-in", &reply, "-text"]);
    assert!(text.contains("Status: Rejected"), "{text}");
    assert!(
        text.contains("Failure info: unrecognized or unsupported algorithm"),
        "{text}"
    );
}
