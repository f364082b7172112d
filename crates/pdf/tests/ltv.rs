//! PAdES B-T, B-LT and B-LTA made and judged by egov: timestamps over the
//! signature and the document, the DSS written and merged, revocation
//! judged from the DSS, the CMS or a fetcher, with the three-way verdict;
//! what later updates may add after a signature (DSS data, a document
//! timestamp, another signature) and what they may not (content, and what
//! a certification's permissions forbid).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::append_update;
use common::handmade;
use common::services::{Services, offline};
use domain::pki::RevocationReason;
use pdf::{Kind, Level, Problem, SignOptions, Validation, Verdict, sign_at, validate, verify};
use pki::software::SoftwareKey;
use pki::{CaKey, KeySpec};
use time::{Duration, OffsetDateTime};

fn options() -> SignOptions {
    SignOptions {
        reason: Some("Ký ban hành".into()),
        ..SignOptions::new(OffsetDateTime::now_utc())
    }
}

/// Signs `original` at `level` with a fresh personal certificate.
fn signed_at(services: &Services, original: &[u8], level: Level, cn: &str) -> Vec<u8> {
    let key = SoftwareKey::generate(services.root.key.spec()).unwrap();
    let certificate = services.certificate(&key, cn, cn.starts_with("Ủy ban"));
    sign_at(
        original,
        &services.signer(&key, &certificate),
        &options(),
        level,
        Some(services),
        Some(services),
    )
    .unwrap()
}

fn with_fetcher<'a>(trust: &'a [Vec<u8>], services: &'a Services) -> Validation<'a> {
    Validation {
        trust,
        limits: Box::leak(Box::default()),
        fetcher: Some(services),
        revocation: true,
    }
}

#[test]
fn every_level_validates_with_one_and_two_signers() {
    for spec in [KeySpec::EcP256, KeySpec::Rsa2048] {
        let services = offline(spec);
        let trust = [services.root_der()];
        for level in [Level::BT, Level::BLT, Level::BLTA] {
            let once = signed_at(
                &services,
                &handmade("Cong van so 1"),
                level,
                "Nguyễn Thị Ánh",
            );
            let twice = signed_at(&services, &once, level, "Ủy ban nhân dân tỉnh Trà Vinh");
            for bytes in [&once, &twice] {
                let reports = verify(bytes, &trust).unwrap();
                let expected = match (level, bytes == &once) {
                    (Level::BLTA, true) => 2,
                    (Level::BLTA, false) => 4,
                    (_, true) => 1,
                    _ => 2,
                };
                assert_eq!(reports.len(), expected, "{spec} {level:?}");
                for report in &reports {
                    let what = format!("{spec} {level:?} {}", report.field);
                    match level {
                        // B-T carries no revocation data: egov cannot
                        // decide alone, and can with a fetcher.
                        Level::BT => {
                            assert_eq!(report.verdict(), Verdict::Indeterminate, "{what}");
                            assert!(
                                report
                                    .problems
                                    .iter()
                                    .all(|p| matches!(p, Problem::NoRevocationInfo(_))
                                        || matches!(p, Problem::Timestamp(inner) if matches!(**inner, Problem::NoRevocationInfo(_)))),
                                "{what}: {:?}",
                                report.problems
                            );
                        }
                        _ => assert!(report.is_valid(), "{what}: {:?}", report.problems),
                    }
                    let timestamp = report.timestamp.as_ref().expect("a timestamp");
                    assert_eq!(timestamp.authority.as_deref(), Some("TSA Trà Vinh"));
                }
                if level == Level::BLTA {
                    assert_eq!(reports.last().unwrap().kind, Kind::DocumentTimestamp);
                    assert!(reports.last().unwrap().covers_whole_file);
                }
                if level == Level::BT {
                    let reports = validate(bytes, &with_fetcher(&trust, &services)).unwrap();
                    for report in &reports {
                        assert!(report.is_valid(), "{spec}: {:?}", report.problems);
                    }
                }
            }
        }
    }
}

#[test]
fn a_revoked_signer_is_invalid_and_missing_revocation_data_is_indeterminate() {
    let services = offline(KeySpec::EcP256);
    let trust = [services.root_der()];
    let key = SoftwareKey::generate(KeySpec::EcP256).unwrap();
    let certificate = services.certificate(&key, "Trần Văn Bình", false);
    services.revoke(
        &certificate,
        OffsetDateTime::now_utc() - Duration::minutes(5),
        RevocationReason::AffiliationChanged,
    );
    let signer = services.signer(&key, &certificate);
    let original = handmade("Cong van so 2");
    let lt = sign_at(
        &original,
        &signer,
        &options(),
        Level::BLT,
        Some(&services),
        Some(&services),
    )
    .unwrap();
    let reports = verify(&lt, &trust).unwrap();
    assert_eq!(
        reports[0].verdict(),
        Verdict::Invalid,
        "{:?}",
        reports[0].problems
    );
    assert!(
        matches!(&reports[0].problems[..], [Problem::Revoked { name, .. }] if name == "Trần Văn Bình"),
        "{:?}",
        reports[0].problems
    );
    assert!(reports[0].problems[0].to_string().contains("đã bị thu hồi"));

    // B-B without anything: indeterminate, each certificate named.
    let bb = pdf::sign(&original, &signer, &options()).unwrap();
    let reports = verify(&bb, &trust).unwrap();
    assert_eq!(reports[0].verdict(), Verdict::Indeterminate);
    assert_eq!(
        reports[0].problems,
        [
            Problem::NoRevocationInfo("Trần Văn Bình".into()),
            Problem::NoRevocationInfo("Trà Vinh Public Service CA".into())
        ]
    );
    // The fetcher finds the revocation.
    let reports = validate(&bb, &with_fetcher(&trust, &services)).unwrap();
    assert_eq!(
        reports[0].verdict(),
        Verdict::Invalid,
        "{:?}",
        reports[0].problems
    );
}

#[test]
fn a_revocation_after_the_timestamp_does_not_invalidate_unless_the_key_was_compromised() {
    let services = offline(KeySpec::EcP256);
    let trust = [services.root_der()];
    let key = SoftwareKey::generate(KeySpec::EcP256).unwrap();
    let certificate = services.certificate(&key, "Lê Thị Cúc", false);
    let signer = services.signer(&key, &certificate);
    let bt = sign_at(
        &handmade("x"),
        &signer,
        &options(),
        Level::BT,
        Some(&services),
        None,
    )
    .unwrap();
    let later = OffsetDateTime::now_utc() + Duration::minutes(5);
    services.revoke(&certificate, later, RevocationReason::Superseded);
    let reports = validate(&bt, &with_fetcher(&trust, &services)).unwrap();
    assert!(reports[0].is_valid(), "{:?}", reports[0].problems);

    let other = SoftwareKey::generate(KeySpec::EcP256).unwrap();
    let compromised = services.certificate(&other, "Lê Thị Cúc", false);
    let bt = sign_at(
        &handmade("x"),
        &services.signer(&other, &compromised),
        &options(),
        Level::BT,
        Some(&services),
        None,
    )
    .unwrap();
    services.revoke(&compromised, later, RevocationReason::KeyCompromise);
    let reports = validate(&bt, &with_fetcher(&trust, &services)).unwrap();
    assert_eq!(
        reports[0].verdict(),
        Verdict::Invalid,
        "{:?}",
        reports[0].problems
    );
}

#[test]
fn a_content_change_after_a_long_term_signature_is_named() {
    let services = offline(KeySpec::EcP256);
    let signed = signed_at(
        &services,
        &handmade("Cong van so 1"),
        Level::BLTA,
        "Nguyễn Thị Ánh",
    );
    let content = "BT /F1 18 Tf 72 720 Td (Cong van so 9) Tj ET";
    let updated = append_update(
        &signed,
        &[(
            4,
            format!(
                "<< /Length {} >>\nstream\n{content}\nendstream",
                content.len()
            ),
        )],
    );
    let reports = verify(&updated, &[services.root_der()]).unwrap();
    assert_eq!(reports.len(), 2);
    for report in &reports {
        assert!(
            matches!(&report.problems[..], [Problem::Modified(what)] if what == &["nội dung trang 1 (đối tượng 4 0)"]),
            "{}: {:?}",
            report.field,
            report.problems
        );
    }
}

#[test]
fn the_dss_is_merged_not_replaced() {
    let services = offline(KeySpec::EcP256);
    let once = signed_at(&services, &handmade("x"), Level::BLT, "Nguyễn Thị Ánh");
    let twice = signed_at(
        &services,
        &once,
        Level::BLT,
        "Ủy ban nhân dân tỉnh Trà Vinh",
    );
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
        &options(),
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

#[test]
fn two_steps_take_a_timestamp_too() {
    let services = offline(KeySpec::Rsa2048);
    let key = SoftwareKey::generate(KeySpec::Rsa2048).unwrap();
    let certificate = services.certificate(&key, "Phạm Văn Dũng", false);
    let signer = services.signer(&key, &certificate);
    let options = SignOptions {
        timestamp: true,
        ..options()
    };
    let prepared = pdf::prepare(
        &handmade("x"),
        &signer.certificate,
        &signer.chain,
        signer.digest,
        &options,
    )
    .unwrap();
    // The key is elsewhere (a token behind the browser); it signs this.
    let signature = key
        .sign(signer.digest, &prepared.signed_attributes().unwrap())
        .unwrap();
    let completed = pdf::complete(prepared, &signature, Some(&services)).unwrap();
    let trust = [services.root_der()];
    let reports = validate(&completed, &with_fetcher(&trust, &services)).unwrap();
    assert!(reports[0].is_valid(), "{:?}", reports[0].problems);
    assert!(reports[0].timestamp.is_some());

    // Without room for the token, completing fails clearly.
    let prepared = pdf::prepare(
        &handmade("x"),
        &signer.certificate,
        &signer.chain,
        signer.digest,
        &SignOptions {
            capacity: Some(2000),
            ..self::options()
        },
    )
    .unwrap();
    let signature = key
        .sign(signer.digest, &prepared.signed_attributes().unwrap())
        .unwrap();
    assert!(matches!(
        pdf::complete(prepared, &signature, Some(&services)),
        Err(pdf::Error::SignatureTooLarge { .. })
    ));
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
    let signed = signed_at(&services, &handmade("x"), Level::BLT, "Nguyễn Thị Ánh");
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
        &options(),
        Level::BT,
        Some(&Elsewhere(&services)),
        None,
    );
    assert!(
        matches!(result, Err(pdf::Error::Timestamp(_))),
        "{result:?}"
    );
}
