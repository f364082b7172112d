//! PAdES B-T, B-LT and B-LTA made and judged by egov: every level with
//! one and two signers, the three-way verdict (a revoked signer, missing
//! revocation data, a fetcher), revocation after the proof of existence,
//! a content change after a long-term signature, and the two-step path
//! with a timestamp.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::append_update;
use common::handmade;
use common::services::{Services, offline, sign_options};
use domain::pki::RevocationReason;
use pdf::{Kind, Level, Problem, SignOptions, Validation, Verdict, sign_at, validate, verify};
use pki::software::SoftwareKey;
use pki::{CaKey, KeySpec};
use time::{Duration, OffsetDateTime};

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
            let once = services.sign_at(&handmade("Cong van so 1"), level, "Nguyễn Thị Ánh");
            let twice = services.sign_at(&once, level, "Ủy ban nhân dân tỉnh Trà Vinh");
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
        &sign_options(),
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
    let bb = pdf::sign(&original, &signer, &sign_options()).unwrap();
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
        &sign_options(),
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
        &sign_options(),
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
    let signed = services.sign_at(&handmade("Cong van so 1"), Level::BLTA, "Nguyễn Thị Ánh");
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
fn two_steps_take_a_timestamp_too() {
    let services = offline(KeySpec::Rsa2048);
    let key = SoftwareKey::generate(KeySpec::Rsa2048).unwrap();
    let certificate = services.certificate(&key, "Phạm Văn Dũng", false);
    let signer = services.signer(&key, &certificate);
    let options = SignOptions {
        timestamp: true,
        ..sign_options()
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
            ..sign_options()
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
