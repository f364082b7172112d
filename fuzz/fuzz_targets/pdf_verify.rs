//! PDFs from outside: `pdf::verify_with` (revocation, timestamps, DSS and
//! all) on arbitrary bytes with small limits, then `pdf::sign` on
//! whatever verifies without error (seeds:
//! small PDFs signed by egov with ECDSA and RSA, one and two signatures,
//! classic and stream cross-references, an AcroForm of the document's
//! own, a signature followed by an update that changes the page, one
//! signed by pyHanko, one at B-LTA — signature timestamp, DSS and document
//! timestamp — under another CA, and an unsigned one).
//!
//! Properties:
//! - nothing panics, inside `pdf` or lopdf under it (libfuzzer-sys's panic
//!   hook aborts first, so a panic `pdf` would turn into
//!   `Error::ReaderPanicked` still counts);
//! - every error and every problem has a message;
//! - no more reports than `max_signatures`; a valid report names its
//!   signer, digest, signing time and byte range, and a report covering
//!   the whole file ends its byte range at the file's end;
//! - a file egov agrees to sign comes back with the original bytes first
//!   and a new signature, under the field name it was given, that covers
//!   the whole file and validates, revocation aside (the CA below is the
//!   seeds', which publishes none); so does a file `pdf::sign_file` (the
//!   lazy reader, signing in pieces) agrees to sign, and when both paths
//!   sign, their files differ only in the signature's hex digits (ECDSA
//!   signatures are random);
//! - the same file drawn on its own first page as a stamp (`pdf::stamp`,
//!   importing it as a form) either is refused with a message or comes
//!   back with the original bytes first and reads again;
//! - a text field added to a file egov signed (`pdf::add_text_fields`),
//!   signed again and filled with the file itself as the text's form
//!   (`pdf::fill_text_fields`), keeps that signature valid.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use pdf::{
    Fill, Limits, SignOptions, Signer, TextField, Validation, add_text_fields, fill_text_fields,
    sign, sign_file, stamp, validate, verify_with,
};
use pki::Digest;
use pki::software::SoftwareKey;

/// The throwaway P-256 root the seeds were signed under (its key was
/// discarded).
const ROOT_PEM: &str = "-----BEGIN CERTIFICATE-----
MIICNzCCAd2gAwIBAgIQKlPM2MdAFZ/9KJRhhWScKjAKBggqhkjOPQQDAjBrMQsw
CQYDVQQGEwJWTjE2MDQGA1UECgwtU+G7nyBUaMO0bmcgdGluIHbDoCBUcnV54buB
biB0aMO0bmcgVHLDoCBWaW5oMSQwIgYDVQQDDBtGdXp6IFJvb3QgQ0EgdGjhu60g
bmdoaeG7h20wHhcNMjUwMTAxMDAwMDAwWhcNNDUwMTAxMDAwMDAwWjBrMQswCQYD
VQQGEwJWTjE2MDQGA1UECgwtU+G7nyBUaMO0bmcgdGluIHbDoCBUcnV54buBbiB0
aMO0bmcgVHLDoCBWaW5oMSQwIgYDVQQDDBtGdXp6IFJvb3QgQ0EgdGjhu60gbmdo
aeG7h20wWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQh5OlB620euu3FvTUbNIQR
Tv8A4KY5uapaoxGTCU+tB55AQBFWrrP0Fw+Ni/z5jfkPZW6NoBM4LIKtbXwkfo/b
o2MwYTAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwIBBjAdBgNVHQ4EFgQU
fgj6DSHR8nbOZyrm3nJhNbuU6ecwHwYDVR0jBBgwFoAUfgj6DSHR8nbOZyrm3nJh
NbuU6ecwCgYIKoZIzj0EAwIDSAAwRQIhALGjHkF0UpvE0U+yjFWTfFhNHs48x/df
8QFkUQ0mEyJDAiAfEWB9aevRj9rQB9i+iNViC2igRb+5kqEF7LgqLKYlWw==
-----END CERTIFICATE-----";

/// The seeds' ECDSA signer, under that root, and its throwaway key (made
/// for these tests only).
const SIGNER_PEM: &str = "-----BEGIN CERTIFICATE-----
MIICVTCCAfygAwIBAgIQOAwdurg7wbCqOIj+FRyZZTAKBggqhkjOPQQDAjBrMQsw
CQYDVQQGEwJWTjE2MDQGA1UECgwtU+G7nyBUaMO0bmcgdGluIHbDoCBUcnV54buB
biB0aMO0bmcgVHLDoCBWaW5oMSQwIgYDVQQDDBtGdXp6IFJvb3QgQ0EgdGjhu60g
bmdoaeG7h20wHhcNMjUwMTAxMDAwMDAwWhcNNDUwMTAxMDAwMDAwWjBiMQswCQYD
VQQGEwJWTjE2MDQGA1UECgwtU+G7nyBUaMO0bmcgdGluIHbDoCBUcnV54buBbiB0
aMO0bmcgVHLDoCBWaW5oMRswGQYDVQQDDBJOZ8aw4budaSBrw70gdGjhu60wWTAT
BgcqhkjOPQIBBggqhkjOPQMBBwNCAAROqnq7BjlamDZMo41Jjd1oOA+lYthXHLnn
JfnB+HAQy38UbiP5kaSfO1GrlwK+h69hOy1HgUB4564qbKHDbdvzo4GKMIGHMAwG
A1UdEwEB/wQCMAAwDgYDVR0PAQH/BAQDAgbAMB0GA1UdDgQWBBToqR81BE2T5un6
2kbkakQyAGTxozAnBgNVHSUEIDAeBggrBgEFBQcDJAYIKwYBBQUHAwQGCCsGAQUF
BwMCMB8GA1UdIwQYMBaAFH4I+g0h0fJ2zmcq5t5yYTW7lOnnMAoGCCqGSM49BAMC
A0cAMEQCICwyDOdTlfy7GlWYetmGojwSs/it9Nu/CWEzth+ycIhVAiB8mfhrzHwo
Kr4Imy+hzo+gMJvPiq7BeY/nR4w3TUeJGQ==
-----END CERTIFICATE-----";
const KEY_PEM: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg3+OfWuOFAtBo/P/D
bDA6Dm4HSEvbrsfs/UiyVNnetMShRANCAAROqnq7BjlamDZMo41Jjd1oOA+lYthX
HLnnJfnB+HAQy38UbiP5kaSfO1GrlwK+h69hOy1HgUB4564qbKHDbdvz
-----END PRIVATE KEY-----";

struct Fixture {
    root: Vec<u8>,
    certificate: Vec<u8>,
    key: SoftwareKey,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let der = |pem: &str, label: &str| pki::pem::der_of(pem.as_bytes(), &[label]).expect("PEM");
    Fixture {
        root: der(ROOT_PEM, "CERTIFICATE"),
        certificate: der(SIGNER_PEM, "CERTIFICATE"),
        key: SoftwareKey::from_pkcs8(&der(KEY_PEM, "PRIVATE KEY")).expect("key"),
    }
});

fn limits() -> Limits {
    // Small bounds keep each execution fast and memory flat; they are
    // also the paths most worth fuzzing.
    Limits {
        max_input_bytes: 1 << 20,
        max_stream_bytes: 1 << 20,
        max_objects: 10_000,
        max_signatures: 8,
        max_fields: 256,
        max_field_depth: 8,
        max_signature_bytes: 16 * 1024,
        max_validation_data: 64 * 1024,
    }
}

fuzz_target!(|data: &[u8]| {
    let fixture = &*FIXTURE;
    let limits = limits();
    let trust = [fixture.root.clone()];
    let reports = match verify_with(data, &trust, &limits) {
        Ok(reports) => reports,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    assert!(reports.len() <= limits.max_signatures);
    for report in &reports {
        for problem in &report.problems {
            assert!(!problem.to_string().is_empty());
        }
        if report.is_valid() {
            assert!(report.signer.is_some() && report.digest.is_some());
            assert!(report.signed_at.is_some() && report.byte_range.is_some());
        }
        if report.covers_whole_file {
            let [_, _, b, c] = report.byte_range.expect("a covering report has a range");
            assert_eq!(b + c, data.len());
        }
    }

    // What egov wrote is read with room for what it added: a stamp copies
    // the form's objects and writes its content decompressed.
    let roomier = Limits {
        max_input_bytes: 4 << 20,
        max_objects: 3 * limits.max_objects,
        ..limits.clone()
    };
    match stamp(data, 1, [10.0, 10.0, 110.0, 60.0], data, &limits) {
        Ok(stamped) => {
            assert!(stamped.starts_with(data));
            verify_with(&stamped, &trust, &roomier).expect("egov reads what it stamped");
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }

    let signer = Signer {
        key: &fixture.key,
        digest: Digest::Sha256,
        certificate: fixture.certificate.clone(),
        chain: Vec::new(),
    };
    let options = SignOptions {
        field_name: Some("Fuzz".into()),
        capacity: Some(2048),
        limits: limits.clone(),
        ..SignOptions::new(time::macros::datetime!(2026-11-30 10:00 +07:00))
    };
    let whole = sign(data, &signer, &options);
    let mut pieces = Vec::new();
    let streamed = sign_file(
        &mut std::io::Cursor::new(data),
        &mut pieces,
        &signer,
        &options,
        None,
    );
    match (&whole, &streamed) {
        (Ok(whole), Ok(_)) => {
            assert_eq!(whole.len(), pieces.len());
            for (a, b) in whole.iter().zip(&pieces) {
                assert!(a == b || (a.is_ascii_hexdigit() && b.is_ascii_hexdigit()));
            }
        }
        (_, Err(e)) => assert!(!e.to_string().is_empty()),
        (Err(_), Ok(_)) => {}
    }
    if streamed.is_ok() {
        check_signed(data, &pieces, &trust, &roomier);
    }
    let Ok(signed) = whole else {
        return;
    };
    check_signed(data, &signed, &trust, &roomier);

    // A blank added before a second signature, filled after it.
    let blank = TextField {
        name: "SoVanBan".into(),
        page: 1,
        rect: [10.0, 10.0, 110.0, 30.0],
    };
    let Ok(with_blank) = add_text_fields(&signed, &[blank], &roomier) else {
        return;
    };
    let second = SignOptions {
        field_name: Some("Fuzz2".into()),
        limits: roomier.clone(),
        ..options
    };
    let signed = sign(&with_blank, &signer, &second).expect("egov signs what it wrote");
    let fill = Fill {
        name: "SoVanBan".into(),
        value: "Số: 01/QĐ-STTTT".into(),
        form: data.to_vec(),
    };
    let Ok(filled) = fill_text_fields(&signed, &[fill], &roomier) else {
        return;
    };
    assert!(filled.starts_with(&signed));
    let biggest = Limits {
        max_input_bytes: 16 << 20,
        max_objects: 9 * limits.max_objects,
        ..limits.clone()
    };
    let after = validate(
        &filled,
        &Validation {
            trust: &trust,
            limits: &biggest,
            fetcher: None,
            revocation: false,
        },
    )
    .expect("egov reads what it filled");
    let second: Vec<_> = after.iter().filter(|r| r.field == "Fuzz2").collect();
    assert!(second[0].is_valid(), "{:?}", second[0].problems);
});

/// `signed` starts with `data` and carries one signature named `Fuzz`,
/// covering the whole file and valid, revocation aside.
fn check_signed(data: &[u8], signed: &[u8], trust: &[Vec<u8>], limits: &Limits) {
    assert!(signed.starts_with(data));
    let after = validate(
        signed,
        &Validation {
            trust,
            limits,
            fetcher: None,
            revocation: false,
        },
    )
    .expect("egov reads what it signed");
    let ours: Vec<_> = after.iter().filter(|r| r.field == "Fuzz").collect();
    assert_eq!(ours.len(), 1, "{after:?}");
    assert!(ours[0].covers_whole_file, "{:?}", ours[0]);
    assert!(ours[0].is_valid(), "{:?}", ours[0].problems);
}
