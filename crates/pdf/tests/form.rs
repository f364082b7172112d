//! Text fields filled in after signing (`pdf::form`): what is added is
//! empty and listed, what is filled is named by validation as form
//! filling and keeps the signature, and a field that is missing, filled
//! already or added twice is refused with a reason.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{appearance_pdf, handmade, hierarchy, verify_bb};
use pdf::{
    Error, Fill, Limits, SignOptions, TextField, add_text_fields, fill_text_fields, sign,
    text_fields,
};
use pki::KeySpec;
use pki::software::SoftwareKey;
use time::OffsetDateTime;

fn blank(name: &str) -> TextField {
    TextField {
        name: name.into(),
        page: 1,
        rect: [72.0, 760.0, 272.0, 780.0],
    }
}

fn fill(name: &str, value: &str) -> Fill {
    Fill {
        name: name.into(),
        value: value.into(),
        form: appearance_pdf(value),
    }
}

#[test]
fn fields_are_added_empty_and_filled_once() {
    let limits = Limits::default();
    let original = handmade("Cong van so 1");
    let with_blanks = add_text_fields(
        &original,
        &[blank("SoVanBan"), blank("NgayBanHanh")],
        &limits,
    )
    .unwrap();
    assert!(
        with_blanks.starts_with(&original),
        "the original was rewritten"
    );
    assert_eq!(
        text_fields(&with_blanks, &limits).unwrap(),
        [("SoVanBan".into(), None), ("NgayBanHanh".into(), None)]
    );
    let filled = fill_text_fields(&with_blanks, &[fill("SoVanBan", "So 12")], &limits).unwrap();
    assert_eq!(
        text_fields(&filled, &limits).unwrap(),
        [
            ("SoVanBan".into(), Some("So 12".into())),
            ("NgayBanHanh".into(), None)
        ]
    );
    assert!(matches!(
        fill_text_fields(&filled, &[fill("SoVanBan", "So 13")], &limits),
        Err(Error::FieldFilled(name)) if name == "SoVanBan"
    ));
    assert!(matches!(
        fill_text_fields(&filled, &[fill("KhongCo", "x")], &limits),
        Err(Error::NoSuchField(name)) if name == "KhongCo"
    ));
    assert!(matches!(
        add_text_fields(&filled, &[blank("SoVanBan")], &limits),
        Err(Error::FieldExists(name)) if name == "SoVanBan"
    ));
    assert!(matches!(
        add_text_fields(
            &original,
            &[TextField {
                page: 2,
                ..blank("X")
            }],
            &limits
        ),
        Err(Error::NoSuchPage { page: 2, .. })
    ));
}

/// Filling is not a change to the signed document; a different value in
/// the same update as a page change still is.
#[test]
fn filling_keeps_the_signature_and_a_page_change_does_not() {
    let key = SoftwareKey::generate(KeySpec::EcP256).unwrap();
    let pki = hierarchy(KeySpec::EcP256, &key);
    let limits = Limits::default();
    let with_blank =
        add_text_fields(&handmade("Cong van so 1"), &[blank("SoVanBan")], &limits).unwrap();
    let signed = sign(
        &with_blank,
        &pki.signer(&key),
        &SignOptions::new(OffsetDateTime::now_utc()),
    )
    .unwrap();
    let filled = fill_text_fields(&signed, &[fill("SoVanBan", "So 12")], &limits).unwrap();
    let reports = verify_bb(&filled, &[pki.root_der()]).unwrap();
    assert!(reports[0].is_valid(), "{:?}", reports[0].problems);
    let stamped = pdf::stamp(
        &filled,
        1,
        [400.0, 780.0, 500.0, 820.0],
        &appearance_pdf("So 12"),
        &limits,
    )
    .unwrap();
    let reports = verify_bb(&stamped, &[pki.root_der()]).unwrap();
    assert!(
        !reports[0].is_valid(),
        "a page change after signing kept it valid"
    );
}
