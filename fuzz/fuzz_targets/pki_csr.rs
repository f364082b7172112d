//! PKCS #10 certificate requests from outside (made on the holder's token,
//! pasted or uploaded): `pki::csr::check` on arbitrary bytes, PEM or DER,
//! then `CheckedCsr::require_subject` as issuing does with the holder on
//! record (seeds: RSA-2048, P-256 and P-384 requests made by openssl with
//! Vietnamese UTF-8 subjects).
//!
//! Properties:
//! - nothing panics;
//! - input longer than `csr::MAX_CSR_BYTES` is refused, even an accepted
//!   PEM request padded with the trailing whitespace PEM otherwise allows;
//! - an accepted request's `der` decodes as a `CertReq` with nothing after
//!   it, and checks again to the same subject, key, key spec and DER;
//! - `require_subject` accepts a holder made of the request's own CN, UID,
//!   e-mail and organisation (also written in NFD), refuses every holder
//!   when the request has no readable CN, and accepts the fixed holder
//!   "Nguyễn Thị Ánh" exactly when the CN is NFC-equal to it and the
//!   request names no UID, e-mail or organisation.
#![no_main]

use der::Decode;
use der::oid::db::rfc3280::EMAIL_ADDRESS;
use der::oid::db::rfc4519::{CN, O, UID};
use libfuzzer_sys::fuzz_target;
use pki::SubjectName;
use pki::csr::{CheckedCsr, MAX_CSR_BYTES, check};
use pki::name::attribute;
use unicode_normalization::UnicodeNormalization;
use x509_cert::request::CertReq;

const FIXED_HOLDER_CN: &str = "Nguyễn Thị Ánh";

fn nfc_trimmed(s: &str) -> String {
    s.trim().nfc().collect()
}

fn check_der(csr: &CheckedCsr) {
    // `from_der` refuses trailing bytes, so this also says `der` is exactly
    // one request (PEM decoded, nothing appended).
    let request = CertReq::from_der(&csr.der).expect("an accepted CSR's DER decodes");
    assert_eq!(request.info.subject, csr.subject);
    assert_eq!(request.info.public_key, csr.public_key);
    let again = check(&csr.der).expect("an accepted CSR's DER is accepted again");
    assert_eq!(again.der, csr.der);
    assert_eq!(again.subject, csr.subject);
    assert_eq!(again.public_key, csr.public_key);
    assert_eq!(again.spec, csr.spec);
}

fn check_subject(csr: &CheckedCsr) {
    let cn = attribute(&csr.subject, CN);
    let uid = attribute(&csr.subject, UID);
    let email = attribute(&csr.subject, EMAIL_ADDRESS);
    let organization = attribute(&csr.subject, O);

    let own = |nfd: bool| SubjectName {
        common_name: cn
            .as_deref()
            .map(|s| if nfd { s.nfd().collect() } else { s.to_owned() })
            .unwrap_or_default(),
        identity: uid.clone(),
        email: email.clone(),
        organization: organization.clone(),
        country: "VN".into(),
        ..SubjectName::default()
    };
    for nfd in [false, true] {
        let result = csr.require_subject(&own(nfd));
        if cn.is_some() {
            // The record compares trimmed NFC text, so the request's own
            // fields always match, however the record spells them.
            assert!(
                result.is_ok(),
                "own subject refused (nfd {nfd}): {result:?}"
            );
        } else {
            assert!(result.is_err(), "a CSR without a CN passed require_subject");
        }
    }

    let fixed = SubjectName {
        common_name: FIXED_HOLDER_CN.into(),
        country: "VN".into(),
        ..SubjectName::default()
    };
    let expected = cn.as_deref().map(nfc_trimmed) == Some(nfc_trimmed(FIXED_HOLDER_CN))
        && uid.is_none()
        && email.is_none()
        && organization.is_none();
    let result = csr.require_subject(&fixed);
    assert_eq!(
        result.is_ok(),
        expected,
        "fixed holder: {result:?}, CN {cn:?}"
    );
}

fuzz_target!(|data: &[u8]| {
    let result = check(data);
    if data.len() > MAX_CSR_BYTES {
        assert!(result.is_err(), "{} bytes accepted", data.len());
        return;
    }
    let Ok(csr) = result else { return };
    check_der(&csr);
    check_subject(&csr);

    // PEM's trailing whitespace is trimmed before decoding, so without the
    // size check this padded copy of an accepted PEM request would pass.
    let mut padded = data.to_vec();
    padded.resize(MAX_CSR_BYTES + 1, b'\n');
    assert!(
        matches!(check(&padded), Err(pki::Error::Malformed(_))),
        "a request padded above MAX_CSR_BYTES was not refused as malformed"
    );
});
