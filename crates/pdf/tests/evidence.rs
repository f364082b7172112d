//! PAdES B-LT's validation data: the DSS written, merged and read within
//! `Limits`, the evidence a signed file needs, and a TSA answering for
//! other data refused.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::handmade;
use common::services::{Services, offline, sign_options};
use pdf::{Level, sign_at, verify};
use pki::KeySpec;
use pki::software::SoftwareKey;

#[test]
fn the_dss_is_merged_not_replaced() {
    let services = offline(KeySpec::EcP256);
    let once = services.sign_at(&handmade("x"), Level::BLT, "Nguyễn Thị Ánh");
    let twice = services.sign_at(&once, Level::BLT, "Ủy ban nhân dân tỉnh Trà Vinh");
    let again = pdf::add_validation_data(
        &twice,
        &services.chain(),
        &services,
        &pdf::Limits::default(),
    )
    .unwrap();
    for (bytes, signatures) in [(&once, 1), (&twice, 2), (&again, 2)] {
        let doc = lopdf::Document::load_mem(bytes).unwrap();
        let catalog = doc.catalog().unwrap();
        let dss = doc
            .get_dictionary(catalog.get(b"DSS").unwrap().as_reference().unwrap())
            .unwrap();
        let vri = dss.get(b"VRI").unwrap().as_dict().unwrap();
        assert_eq!(vri.len(), signatures);
        let certs = dss.get(b"Certs").unwrap().as_array().unwrap();
        // Signers, issuing CA, root, TSA: each stored once.
        assert_eq!(certs.len(), signatures + 3, "{signatures}");
        let keys: Vec<_> = vri
            .iter()
            .map(|(k, _)| String::from_utf8(k.clone()).unwrap())
            .collect();
        for key in keys {
            assert_eq!(key.len(), 40);
            assert!(
                key.chars()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
            );
        }
    }
    // The first signature's VRI entry survives the second's update.
    let first = pdf::needed(&once, &[], &pdf::Limits::default()).unwrap();
    let doc = lopdf::Document::load_mem(&again).unwrap();
    let dss = doc
        .get_dictionary(
            doc.catalog()
                .unwrap()
                .get(b"DSS")
                .unwrap()
                .as_reference()
                .unwrap(),
        )
        .unwrap();
    assert!(
        dss.get(b"VRI")
            .unwrap()
            .as_dict()
            .unwrap()
            .has(first[0].vri_key.as_bytes())
    );
    for report in verify(&again, &[services.root_der()]).unwrap() {
        assert!(report.is_valid(), "{:?}", report.problems);
    }
}

#[test]
fn needed_lists_each_certificate_with_its_issuer_and_urls() {
    let services = offline(KeySpec::EcP256);
    let key = SoftwareKey::generate(KeySpec::EcP256).unwrap();
    let certificate = services.certificate(&key, "Nguyễn Thị Ánh", false);
    let bt = sign_at(
        &handmade("x"),
        &services.signer(&key, &certificate),
        &sign_options(),
        Level::BT,
        Some(&services),
        None,
    )
    .unwrap();
    let needed = pdf::needed(&bt, &services.chain(), &pdf::Limits::default()).unwrap();
    assert_eq!(needed.len(), 1);
    let names: Vec<_> = needed[0]
        .revocation
        .iter()
        .map(|need| {
            pki::name::attribute(
                &need.certificate.tbs_certificate.subject,
                const_oid::db::rfc4519::CN,
            )
            .unwrap()
        })
        .collect();
    assert_eq!(
        names,
        [
            "Nguyễn Thị Ánh",
            "Trà Vinh Public Service CA",
            "TSA Trà Vinh"
        ]
    );
    let signer = &needed[0].revocation[0];
    assert_eq!(signer.issuer, services.issuing.certificate);
    assert_eq!(signer.ocsp_urls, ["http://127.0.0.1:1/pki/ocsp"]);
    assert_eq!(signer.crl_urls, ["http://127.0.0.1:1/pki/crl/issuing.crl"]);
    assert_eq!(needed[0].certificates.len(), 4);
}

/// A TSA that stamps another document than the one asked for.
struct Elsewhere<'a>(&'a Services);

impl pdf::Timestamper for Elsewhere<'_> {
    fn timestamp(&self, digest: pki::Digest, _: &[u8]) -> Result<Vec<u8>, pdf::Error> {
        pdf::Timestamper::timestamp(self.0, digest, &digest.hash(b"another document"))
    }
}

#[test]
fn validation_data_is_bounded_and_a_timestamp_of_other_data_is_refused() {
    let services = offline(KeySpec::EcP256);
    let signed = services.sign_at(&handmade("x"), Level::BLT, "Nguyễn Thị Ánh");
    let trust = [services.root_der()];
    let small = pdf::Limits {
        max_validation_data: 1000,
        ..pdf::Limits::default()
    };
    let error = pdf::verify_with(&signed, &trust, &small).unwrap_err();
    assert!(matches!(
        error,
        pdf::Error::ValidationDataTooLarge { max: 1000 }
    ));
    assert!(error.to_string().contains("quá 1000 byte"), "{error}");

    // A timestamp over other data: the token is good, the imprint is not.
    let key = SoftwareKey::generate(KeySpec::EcP256).unwrap();
    let certificate = services.certificate(&key, "Nguyễn Thị Ánh", false);
    let result = sign_at(
        &handmade("x"),
        &services.signer(&key, &certificate),
        &sign_options(),
        Level::BT,
        Some(&Elsewhere(&services)),
        None,
    );
    assert!(
        matches!(result, Err(pdf::Error::Timestamp(_))),
        "{result:?}"
    );
}
