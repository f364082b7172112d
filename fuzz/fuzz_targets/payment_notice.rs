//! What a payment gateway (or anyone posing as one) sends to
//! `/dich-vu-cong/thanh-toan/ipn` and through the applicant's browser:
//! form parameters read by `services::payments::GatewayResult::read`
//! after the HMAC-SHA512 signature check.
//!
//! The input is split into `name=value` pairs at `&` (no decoding: the
//! web layer decodes before the domain sees anything).
//!
//! Properties:
//! - nothing panics;
//! - a message is only read when its signature is the secret's: the
//!   input as given is read only if `verify` accepts it;
//! - the same parameters signed with the secret are read, or refused for
//!   a named field; a read answer's fields are the parameters' own, and
//!   `amount` and `paid_at` write back as given when canonical;
//! - any change to a signed message's values is refused.
#![no_main]

use domain::services::payments::{GatewayResult, Params, stamp};
use libfuzzer_sys::fuzz_target;

const SECRET: &[u8] = b"fuzz-secret-of-the-merchant";

fn params_of(text: &str) -> Params {
    Params(
        text.split('&')
            .filter(|p| !p.is_empty())
            .map(|pair| match pair.split_once('=') {
                Some((k, v)) => (k.to_owned(), v.to_owned()),
                None => (pair.to_owned(), String::new()),
            })
            .collect(),
    )
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let given = params_of(&text);
    if GatewayResult::read(&given, SECRET).is_ok() {
        assert!(given.verify(SECRET).is_ok());
    }
    let signed = given.clone().signed(SECRET);
    assert!(signed.verify(SECRET).is_ok(), "egov verifies what it signs");
    match GatewayResult::read(&signed, SECRET) {
        Ok(read) => {
            assert_eq!(signed.get("reference"), Some(read.reference.as_str()));
            assert_eq!(signed.get("code"), Some(read.code.as_str()));
            assert_eq!(signed.get("transaction"), Some(read.gateway_ref.as_str()));
            let amount = signed.get("amount").unwrap_or_default();
            if !amount.starts_with(['0', '+']) {
                assert_eq!(read.amount.to_string(), amount);
            }
            let paid_at = read.paid_at.assume_offset(vn::dates::VIETNAM_OFFSET);
            assert_eq!(stamp(paid_at), signed.get("paid_at").unwrap_or_default());
            // Tampering with the amount is refused.
            let mut tampered = signed.clone();
            for (k, v) in &mut tampered.0 {
                if k == "amount" {
                    v.push('0');
                }
            }
            assert!(GatewayResult::read(&tampered, SECRET).is_err());
        }
        Err(refused) => assert!(!refused.to_string().is_empty()),
    }
});
