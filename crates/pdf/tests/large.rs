//! Signing in pieces ([`pdf::sign_file`]) against signing in memory
//! ([`pdf::sign`]): the same bytes for the same input and options (RSA
//! PKCS #1 v1.5 signatures are deterministic), on every kind of file the
//! in-memory tests use, and the same refusals.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Cursor;

use common::{
    appearance_pdf, append_update, handmade, handmade_with_form, hierarchy, shared_pages,
    verify_bb, with_xref_stream,
};
use pdf::{Appearance, Error, SignOptions, sign, sign_file};
use pki::KeySpec;
use pki::software::SoftwareKey;
use time::OffsetDateTime;

fn streamed(
    original: &[u8],
    signer: &pdf::Signer<'_>,
    options: &SignOptions,
) -> Result<Vec<u8>, Error> {
    let mut output = Vec::new();
    let written = sign_file(
        &mut Cursor::new(original),
        &mut output,
        signer,
        options,
        None,
    )?;
    assert_eq!(written, output.len() as u64);
    Ok(output)
}

#[test]
fn signing_in_pieces_writes_what_signing_in_memory_writes() {
    let key = SoftwareKey::generate(KeySpec::Rsa2048).unwrap();
    let pki = hierarchy(KeySpec::Rsa2048, &key);
    let signer = pki.signer(&key);
    let options = SignOptions {
        reason: Some("Phê duyệt văn bản".into()),
        location: Some("Trà Vinh".into()),
        ..SignOptions::new(OffsetDateTime::now_utc())
    };
    let signed_once = sign(&handmade("Da ky"), &signer, &options).unwrap();
    let stream_signed = sign(&with_xref_stream("Da ky"), &signer, &options).unwrap();
    let edited = append_update(
        &handmade("Cong van"),
        &[(
            3,
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Annots [] >>"
                .into(),
        )],
    );
    let page_two = SignOptions {
        page: 2,
        appearance: Some(Appearance {
            rect: [50.0, 50.0, 250.0, 130.0],
            form: appearance_pdf("Ky so"),
        }),
        ..options.clone()
    };
    for (kind, original, options) in [
        ("table", handmade("Cong van so 1"), &options),
        (
            "xref and object streams",
            with_xref_stream("Cong van so 1"),
            &options,
        ),
        (
            "indirect AcroForm",
            handmade_with_form("Cong van so 1"),
            &options,
        ),
        ("signed once", signed_once, &options),
        ("signed once, streams", stream_signed, &options),
        ("edited", edited, &options),
        ("page 2, visible", shared_pages(), &page_two),
        // Found by fuzzing: startxref names an early cross-reference
        // stream, and later revisions' objects follow it in the file.
        (
            "stale startxref",
            include_bytes!("data/stale-startxref.pdf").to_vec(),
            &options,
        ),
    ] {
        let whole = sign(&original, &signer, options).unwrap();
        let pieces = streamed(&original, &signer, options).unwrap();
        assert!(whole == pieces, "{kind}: the two paths differ");
        let reports = verify_bb(&pieces, &[pki.root_der()]).unwrap();
        assert!(reports.iter().all(pdf::SignatureReport::is_valid), "{kind}");
    }
}

#[test]
fn what_signing_in_memory_refuses_is_refused_in_pieces() {
    let key = SoftwareKey::generate(KeySpec::EcP256).unwrap();
    let pki = hierarchy(KeySpec::EcP256, &key);
    let signer = pki.signer(&key);
    let options = SignOptions::new(OffsetDateTime::now_utc());
    let original = handmade("Cong van so 1");

    // Every offset moved by one byte: the table no longer locates its objects.
    let text = String::from_utf8_lossy(&original).into_owned();
    let xref = text.rfind("\nxref\n").unwrap() + 1;
    let mut shifted = original[..xref].to_vec();
    shifted.extend(
        text[xref..]
            .lines()
            .map(|line| match line.split(' ').collect::<Vec<_>>()[..] {
                [offset, generation, "n"] if offset.len() == 10 => {
                    let moved: usize = offset.parse::<usize>().unwrap() + 1;
                    format!("{moved:010} {generation} n\r\n")
                }
                _ => format!("{line}\n"),
            })
            .collect::<String>()
            .into_bytes(),
    );
    for bytes in [
        shifted,
        b"%PDF-1.7\ngarbage".to_vec(),
        b"no header".to_vec(),
    ] {
        let Err(whole) = sign(&bytes, &signer, &options) else {
            panic!("signed in memory");
        };
        let Err(pieces) = streamed(&bytes, &signer, &options) else {
            panic!("signed in pieces");
        };
        assert!(matches!(whole, Error::Malformed(_)), "{whole}");
        assert!(matches!(pieces, Error::Malformed(_)), "{pieces}");
    }

    let beyond = SignOptions {
        page: 3,
        ..options.clone()
    };
    assert!(matches!(
        streamed(&original, &signer, &beyond),
        Err(Error::NoSuchPage { page: 3, pages: 1 })
    ));
    let named = SignOptions {
        field_name: Some("Signature1".into()),
        ..options.clone()
    };
    let once = streamed(&original, &signer, &named).unwrap();
    assert!(matches!(
        streamed(&once, &signer, &named),
        Err(Error::FieldExists(name)) if name == "Signature1"
    ));
}

#[test]
fn a_signature_timestamp_is_added_in_pieces_too() {
    let services = common::services::offline(KeySpec::EcP256);
    let key = SoftwareKey::generate(KeySpec::EcP256).unwrap();
    let certificate = services.certificate(&key, "Nguyễn Thị Ánh", false);
    let options = SignOptions {
        timestamp: true,
        ..common::services::sign_options()
    };
    let mut signed = Vec::new();
    sign_file(
        &mut Cursor::new(with_xref_stream("Cong van so 1")),
        &mut signed,
        &services.signer(&key, &certificate),
        &options,
        Some(&services),
    )
    .unwrap();
    let trust = [services.root_der()];
    let reports = pdf::validate(
        &signed,
        &pdf::Validation {
            trust: &trust,
            limits: &pdf::Limits::default(),
            fetcher: Some(&services),
            revocation: true,
        },
    )
    .unwrap();
    assert_eq!(reports.len(), 1);
    assert!(reports[0].is_valid(), "{:?}", reports[0].problems);
    let timestamp = reports[0].timestamp.as_ref().expect("a timestamp");
    assert_eq!(timestamp.authority.as_deref(), Some("TSA Trà Vinh"));
}
