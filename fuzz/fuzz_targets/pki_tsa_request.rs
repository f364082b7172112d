//! RFC 3161 time-stamp requests from outside (DER as clients POST them):
//! `pki::tsa::parse_request` on arbitrary bytes (seeds: `openssl ts
//! -query` requests with SHA-1, SHA-256, SHA-384 and SHA-512 imprints, with
//! and without a nonce, `-cert` and a policy).
//!
//! Properties:
//! - nothing panics;
//! - input longer than `tsa::MAX_REQUEST_BYTES` is refused as
//!   `BadDataFormat`;
//! - an accepted request has a SHA-256, SHA-384 or SHA-512 imprint of that
//!   hash's length and no extensions, as `parse_request` promises `stamp`;
//! - an accepted request encodes (`stamp` copies its imprint and nonce into
//!   the TSTInfo) and the encoding is accepted again, equal.
#![no_main]

use der::Encode;
use der::oid::db::rfc5912::{ID_SHA_256, ID_SHA_384, ID_SHA_512};
use libfuzzer_sys::fuzz_target;
use pki::tsa::{MAX_REQUEST_BYTES, Refusal, parse_request};

fuzz_target!(|data: &[u8]| {
    let result = parse_request(data);
    if data.len() > MAX_REQUEST_BYTES {
        assert!(
            matches!(result, Err((Refusal::BadDataFormat, _))),
            "{} bytes not refused as bad data format",
            data.len()
        );
        return;
    }
    let Ok(request) = result else { return };
    let imprint = &request.message_imprint;
    let length = match imprint.hash_algorithm.oid {
        ID_SHA_256 => 32,
        ID_SHA_384 => 48,
        ID_SHA_512 => 64,
        other => panic!("accepted an imprint hashed with {other}"),
    };
    assert_eq!(imprint.hashed_message.as_bytes().len(), length);
    assert!(
        request.extensions.is_none(),
        "accepted a request with extensions"
    );

    let der = request.to_der().expect("an accepted request encodes");
    let again = parse_request(&der).expect("an accepted request, encoded again, is accepted");
    assert_eq!(again, request, "request changed through DER");

    // DER refuses the trailing zeros too; the point is the refusal's kind,
    // which the TSA sends back as its PKIFailureInfo bit.
    let mut padded = data.to_vec();
    padded.resize(MAX_REQUEST_BYTES + 1, 0);
    assert!(
        matches!(parse_request(&padded), Err((Refusal::BadDataFormat, _))),
        "a request padded above MAX_REQUEST_BYTES was not refused as bad data format"
    );
});
