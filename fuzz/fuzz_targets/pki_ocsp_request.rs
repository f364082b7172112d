//! OCSP requests from outside (RFC 6960, DER as clients POST them):
//! `pki::ocsp::parse_request` on arbitrary bytes, then what the responder
//! does with each `CertID`: `ocsp::serial_of` to look the certificate up,
//! `IssuerHashes::names` to see whether it is our CA's, and encoding it
//! again into the answer (seeds: `openssl ocsp -reqout` requests for one
//! to three certificates of two throwaway CAs, SHA-1 and SHA-256 CertIDs,
//! with and without a nonce, one signed).
//!
//! Properties:
//! - nothing panics;
//! - input longer than `ocsp::MAX_REQUEST_BYTES` is refused;
//! - an accepted request asks about 1 to `MAX_CERTS_PER_REQUEST`
//!   certificates, and its nonce, if any, is 1 to 32 octets (RFC 8954);
//! - a serial `serial_of` returns is 1 to 20 octets without a leading zero,
//!   reads back from its Display, and converts to an X.509 serial;
//! - `names` is true only for a SHA-1 or SHA-256 CertID of the right
//!   length (the CA below is the one the seeds' requests name);
//! - every CertID encodes (the answer echoes it) and decodes back equal.
#![no_main]

use std::sync::LazyLock;

use der::oid::db::rfc5912::{ID_SHA_1, ID_SHA_256};
use der::{Decode, Encode};
use libfuzzer_sys::fuzz_target;
use pki::ocsp::{IssuerHashes, MAX_CERTS_PER_REQUEST, MAX_REQUEST_BYTES, parse_request, serial_of};
use pki::{Certificate, Serial};

/// The throwaway P-256 CA the OCSP seeds were made against (its key was
/// discarded), so that `names` is true for the seeds and their mutants.
const CA_PEM: &str = "-----BEGIN CERTIFICATE-----
MIIB5DCCAYugAwIBAgIUL7dfAcjrfcQ0khuZwONenxwVkz0wCgYIKoZIzj0EAwIw
SDELMAkGA1UEBhMCVk4xFzAVBgNVBAoMDlRo4butIG5naGnhu4dtMSAwHgYDVQQD
DBdDQSB0aOG7rSBuZ2hp4buHbSBQLTI1NjAeFw0yNjExMzAwMjU0NDJaFw0zNjEx
MjcwMjU0NDJaMEgxCzAJBgNVBAYTAlZOMRcwFQYDVQQKDA5UaOG7rSBuZ2hp4buH
bTEgMB4GA1UEAwwXQ0EgdGjhu60gbmdoaeG7h20gUC0yNTYwWTATBgcqhkjOPQIB
BggqhkjOPQMBBwNCAAR2yNz+6nV0tW0VggCrIlsFtb7+d6f+jvJIQVc/xhfockjG
KFJLCgCC6T9ZebwTetu7261hQnrkAJ/1nxRscilYo1MwUTAdBgNVHQ4EFgQUMVza
TdHO0nzLWJZXv6lSrt00GZowHwYDVR0jBBgwFoAUMVzaTdHO0nzLWJZXv6lSrt00
GZowDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiBqPzyM9Hs7RtvF
ftCV7mo7zCy0xi7HOD6herbhD0un1gIgSSl/joJh0P/sKf+wwD+Fxn3ICx/PIoHE
B1uXUb4Vpn4=
-----END CERTIFICATE-----
";

/// Hashed once: `IssuerHashes::of` is what the responder does at start.
static ISSUER: LazyLock<IssuerHashes> = LazyLock::new(|| {
    let der = pki::pem::der_of(CA_PEM.as_bytes(), &["CERTIFICATE"]).expect("CA PEM");
    let ca = Certificate::from_der(&der).expect("CA certificate");
    IssuerHashes::of(&ca).expect("CA hashes")
});

fn check_serial(serial: &Serial) {
    let bytes = serial.as_bytes();
    assert!(
        (1..=20).contains(&bytes.len()),
        "serial of {} octets",
        bytes.len()
    );
    assert_ne!(bytes[0], 0, "serial kept a leading zero");
    let shown = serial.to_string();
    let read: Serial = shown.parse().expect("a serial's Display reads back");
    assert_eq!(&read, serial, "serial {shown} read back differently");
    serial
        .to_x509()
        .expect("a serial converts to an X.509 serial");
}

fuzz_target!(|data: &[u8]| {
    let result = parse_request(data);
    if data.len() > MAX_REQUEST_BYTES {
        assert!(result.is_err(), "{} bytes accepted", data.len());
        return;
    }
    let Ok(query) = result else { return };
    assert!((1..=MAX_CERTS_PER_REQUEST).contains(&query.certs.len()));
    if let Some(nonce) = &query.nonce {
        assert!(
            (1..=32).contains(&nonce.len()),
            "nonce of {} octets",
            nonce.len()
        );
    }
    for id in &query.certs {
        if let Ok(serial) = serial_of(id) {
            check_serial(&serial);
        }
        if ISSUER.names(id) {
            let length = match id.hash_algorithm.oid {
                ID_SHA_1 => 20,
                ID_SHA_256 => 32,
                other => panic!("names() matched a CertID hashed with {other}"),
            };
            assert_eq!(id.issuer_name_hash.as_bytes().len(), length);
            assert_eq!(id.issuer_key_hash.as_bytes().len(), length);
        }
        let der = id.to_der().expect("an accepted CertID encodes");
        let again = Decode::from_der(&der).expect("an encoded CertID decodes");
        assert_eq!(id, &again, "CertID changed through DER");
    }

    // DER refuses the trailing zeros too, so this shows less than the CSR
    // target's padding does: that an accepted request grown past the limit
    // is still refused as malformed (answered `malformedRequest`).
    let mut padded = data.to_vec();
    padded.resize(MAX_REQUEST_BYTES + 1, 0);
    assert!(
        matches!(parse_request(&padded), Err(pki::Error::Malformed(_))),
        "a request padded above MAX_REQUEST_BYTES was not refused as malformed"
    );
});
