//! egov signs and egov validates: one and two signatures, RSA and ECDSA,
//! both kinds of cross-reference, an AcroForm of the document's own; and
//! what validation must catch: bytes changed inside the signed range, a
//! later update that changes a page, an untrusted or mismatched signer.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{append_update, handmade, handmade_with_form, hierarchy, verify_bb, with_xref_stream};
use pdf::{Problem, SignOptions, sign};
use pki::KeySpec;
use pki::software::SoftwareKey;
use time::OffsetDateTime;

fn options() -> SignOptions {
    SignOptions {
        reason: Some("Phê duyệt văn bản".into()),
        ..SignOptions::new(OffsetDateTime::now_utc())
    }
}

#[test]
fn one_and_two_signatures_validate_for_every_key_and_cross_reference_kind() {
    for spec in [KeySpec::Rsa2048, KeySpec::EcP256] {
        let key = SoftwareKey::generate(spec).unwrap();
        let pki = hierarchy(spec, &key);
        for (kind, original) in [
            ("table", handmade("Cong van so 1")),
            ("stream", with_xref_stream("Cong van so 1")),
            ("form", handmade_with_form("Cong van so 1")),
        ] {
            let once = sign(&original, &pki.signer(&key), &options()).unwrap();
            assert!(
                once.starts_with(&original),
                "{spec} {kind}: original rewritten"
            );
            let reports = verify_bb(&once, &[pki.root_der()]).unwrap();
            assert_eq!(reports.len(), 1, "{spec} {kind}");
            assert!(
                reports[0].is_valid(),
                "{spec} {kind}: {:?}",
                reports[0].problems
            );
            assert!(reports[0].covers_whole_file);
            assert_eq!(reports[0].signer.as_deref(), Some("Nguyễn Thị Ánh"));

            let twice = sign(&once, &pki.signer(&key), &options()).unwrap();
            assert!(twice.starts_with(&once));
            let reports = verify_bb(&twice, &[pki.root_der()]).unwrap();
            assert_eq!(reports.len(), 2, "{spec} {kind}");
            for report in &reports {
                assert!(report.is_valid(), "{spec} {kind}: {:?}", report.problems);
            }
            assert_eq!(
                reports.iter().map(|r| r.field.as_str()).collect::<Vec<_>>(),
                ["Signature1", "Signature2"]
            );
            assert!(!reports[0].covers_whole_file && reports[1].covers_whole_file);
        }
    }
}

#[test]
fn changed_bytes_and_changed_pages_are_reported() {
    let key = SoftwareKey::generate(KeySpec::EcP256).unwrap();
    let pki = hierarchy(KeySpec::EcP256, &key);
    let original = handmade("Cong van so 1");
    let signed = sign(&original, &pki.signer(&key), &options()).unwrap();

    // A byte of the page's text, inside the signed range.
    let mut altered = signed.clone();
    let at = altered.windows(7).position(|w| w == b"van so ").unwrap() + 7;
    altered[at] = b'9';
    let reports = verify_bb(&altered, &[pki.root_der()]).unwrap();
    assert_eq!(reports[0].problems, [Problem::DigestMismatch]);
    assert!(reports[0].is_modified());

    // A later update that replaces the page's content stream.
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
    let reports = verify_bb(&updated, &[pki.root_der()]).unwrap();
    assert!(!reports[0].covers_whole_file);
    match reports[0].problems.as_slice() {
        [Problem::Modified(what)] => assert_eq!(what, &["nội dung trang 1 (đối tượng 4 0)"]),
        other => panic!("{other:?}"),
    }
    let message = reports[0].problems[0].to_string();
    assert!(
        message.starts_with("tài liệu đã bị sửa sau khi ký"),
        "{message}"
    );

    // A later update that only adds a signature is not a change.
    let countersigned = sign(&signed, &pki.signer(&key), &options()).unwrap();
    let reports = verify_bb(&countersigned, &[pki.root_der()]).unwrap();
    assert!(
        reports.iter().all(pdf::SignatureReport::is_valid),
        "{reports:?}"
    );
}

#[test]
fn untrusted_and_mismatched_signers_are_named() {
    let key = SoftwareKey::generate(KeySpec::Rsa2048).unwrap();
    let pki = hierarchy(KeySpec::Rsa2048, &key);
    let signed = sign(&handmade("x"), &pki.signer(&key), &options()).unwrap();

    let stranger = hierarchy(KeySpec::Rsa2048, &key);
    let reports = verify_bb(&signed, &[stranger.root_der()]).unwrap();
    assert!(
        matches!(reports[0].problems.as_slice(), [Problem::Untrusted(_)]),
        "{:?}",
        reports[0].problems
    );
    let reports = verify_bb(&signed, &[]).unwrap();
    assert!(!reports[0].is_valid());

    let other = SoftwareKey::generate(KeySpec::Rsa2048).unwrap();
    assert!(matches!(
        sign(&handmade("x"), &pki.signer(&other), &options()),
        Err(pdf::Error::Certificate(_))
    ));
}

#[test]
fn a_pdf_without_signatures_has_no_reports_and_garbage_is_an_error() {
    assert!(verify_bb(&handmade("x"), &[]).unwrap().is_empty());
    for garbage in [&b""[..], b"%PDF-1.7\n", b"hello", b"%PDF-1.7\n1 0 obj\n<<"] {
        let error = verify_bb(garbage, &[]).unwrap_err();
        assert!(!error.to_string().is_empty());
    }
}

/// A one-page PDF whose AcroForm holds `fields` (object bodies numbered
/// from 5).
fn with_fields(fields: &[&str]) -> Vec<u8> {
    let refs: Vec<String> = (0..fields.len())
        .map(|i| format!("{} 0 R", i + 5))
        .collect();
    let mut objects = vec![
        format!(
            "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [{}] >> >>",
            refs.join(" ")
        ),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".to_owned(),
        "<< /Length 0 >>\nstream\n\nendstream".to_owned(),
    ];
    objects.extend(fields.iter().map(|f| (*f).to_owned()));
    common::pdf_of(&objects)
}

#[test]
fn hostile_field_trees_end() {
    // A field that is its own kid, and signature values that are no
    // signatures: no report claims validity, nothing loops.
    let cyclic = with_fields(&[
        "<< /FT /Sig /T (a) /Kids [5 0 R 6 0 R] >>",
        "<< /T (b) /V << /Type /Sig /SubFilter /ETSI.CAdES.detached /ByteRange [0 1 2 3] /Contents <00> >> >>",
    ]);
    let reports = verify_bb(&cyclic, &[]).unwrap();
    assert_eq!(reports.len(), 1);
    assert!(
        matches!(
            reports[0].problems.as_slice(),
            [Problem::NoSigningTime, Problem::ByteRange(_)]
        ),
        "{:?}",
        reports[0].problems
    );
    assert_eq!(reports[0].field, "a.b");

    // A chain of kids deeper than the limit.
    let depth = pdf::Limits::default().max_field_depth + 2;
    let chain: Vec<String> = (0..depth)
        .map(|i| format!("<< /T (f{i}) /Kids [{} 0 R] >>", i + 6))
        .chain(std::iter::once("<< /T (last) >>".to_owned()))
        .collect();
    let refs: Vec<&str> = chain.iter().map(String::as_str).collect();
    assert!(matches!(
        verify_bb(&with_fields(&refs), &[]),
        Err(pdf::Error::TooManyFields { .. })
    ));

    // Signing such a file refuses it the same way, and signs the cyclic one.
    let key = SoftwareKey::generate(KeySpec::EcP256).unwrap();
    let pki = hierarchy(KeySpec::EcP256, &key);
    assert!(sign(&with_fields(&refs), &pki.signer(&key), &options()).is_err());
    let signed = sign(&cyclic, &pki.signer(&key), &options()).unwrap();
    let reports = verify_bb(&signed, &[pki.root_der()]).unwrap();
    // Reports come in signing order; one whose range is unreadable, last.
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0].field, "Signature1");
    assert!(reports[0].is_valid(), "{:?}", reports[0].problems);
    assert!(!reports[1].is_valid());
}

#[test]
fn too_many_signatures_is_an_error() {
    let key = SoftwareKey::generate(KeySpec::EcP256).unwrap();
    let pki = hierarchy(KeySpec::EcP256, &key);
    let mut bytes = handmade("x");
    for _ in 0..3 {
        bytes = sign(&bytes, &pki.signer(&key), &options()).unwrap();
    }
    let limits = pdf::Limits {
        max_signatures: 2,
        ..pdf::Limits::default()
    };
    assert!(matches!(
        pdf::verify_with(&bytes, &[pki.root_der()], &limits),
        Err(pdf::Error::TooManySignatures { count: 3, max: 2 })
    ));
    let reports = verify_bb(&bytes, &[pki.root_der()]).unwrap();
    assert!(reports.iter().all(pdf::SignatureReport::is_valid));
}

#[test]
fn sha384_signatures_validate() {
    for spec in [KeySpec::Rsa2048, KeySpec::EcP384] {
        let key = SoftwareKey::generate(spec).unwrap();
        let pki = hierarchy(spec, &key);
        let sha384 = pdf::Signer {
            digest: pki::Digest::Sha384,
            ..pki.signer(&key)
        };
        let signed = sign(&handmade("x"), &sha384, &options()).unwrap();
        let reports = verify_bb(&signed, &[pki.root_der()]).unwrap();
        assert!(reports[0].is_valid(), "{spec}: {:?}", reports[0].problems);
        assert_eq!(reports[0].digest, Some(pki::Digest::Sha384));
    }
}

/// Found by fuzzing: a table numbered from 1 instead of 0 reads fine
/// alone (lopdf files each object under the number written at its
/// offset) but not once an update builds on it, so egov refuses to sign
/// it rather than write a file it cannot read back.
#[test]
fn a_cross_reference_that_disagrees_with_the_objects_is_not_signed() {
    let good = handmade("x");
    let at = good.windows(9).position(|w| w == b"xref\n0 7\n").unwrap();
    let mut shifted = good.clone();
    shifted[at + 5] = b'1';
    let key = SoftwareKey::generate(KeySpec::EcP256).unwrap();
    let pki = hierarchy(KeySpec::EcP256, &key);
    assert!(matches!(
        sign(&shifted, &pki.signer(&key), &options()),
        Err(pdf::Error::Malformed(_))
    ));
    assert!(verify_bb(&shifted, &[]).unwrap().is_empty());
    assert!(sign(&good, &pki.signer(&key), &options()).is_ok());
}

#[test]
fn a_prepared_file_kept_in_parts_completes_and_altered_parts_do_not() {
    let key = SoftwareKey::generate(KeySpec::EcP256).unwrap();
    let pki = hierarchy(KeySpec::EcP256, &key);
    let signer = pki.signer(&key);
    let prepare = || {
        pdf::prepare(
            &handmade("Cong van so 1"),
            &signer.certificate,
            &signer.chain,
            signer.digest,
            &options(),
        )
        .unwrap()
    };
    let prepared = prepare();
    let to_sign = prepared.signed_attributes().unwrap();
    let parts = prepared.into_parts().unwrap();
    let kept = pdf::Prepared::from_parts(parts.clone()).unwrap();
    assert_eq!(kept.signed_attributes().unwrap(), to_sign);
    let signature = pki::CaKey::sign(&key, signer.digest, &to_sign).unwrap();
    let completed = pdf::complete(kept, &signature, None).unwrap();
    let reports = verify_bb(&completed, &[pki.root_der()]).unwrap();
    assert!(reports[0].is_valid(), "{:?}", reports[0].problems);

    // A byte changed in the kept file: the hash differs, so the signature
    // made over the original attributes no longer completes it.
    let mut altered = parts.clone();
    altered.bytes[20] ^= 1;
    let kept = pdf::Prepared::from_parts(altered).unwrap();
    assert!(pdf::complete(kept, &signature, None).is_err());
    let mut altered = parts;
    altered.byte_range[3] += 1;
    assert!(pdf::Prepared::from_parts(altered).is_err());
}
