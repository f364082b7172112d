//! Vietnamese text: `vn::text::{fold, nfc}`, `vn::legacy::{latin1,
//! from_tcvn3, from_vni}`, `vn::collate::compare`.
//!
//! The input is read as text (lossy UTF-8) and, for the legacy decoders, as
//! Latin-1 bytes. For collation the first byte picks where the rest splits
//! into `a`, `b` (and `c` for transitivity).
//!
//! Properties:
//! - nothing panics;
//! - `fold` is idempotent, its output has no combining mark and no `đ`/`Đ`,
//!   every char of it is its own lowercase, and it is the same for NFC and
//!   NFD input. (Not asserted: "no uppercase letter" as the module doc says:
//!   uppercase letters without a lowercase form, e.g. U+03D2 'ϒ' or U+1D400
//!   '𝐀', pass through `fold` unchanged.)
//! - `nfc` is idempotent and `is_nfc(nfc(s))`;
//! - `latin1` gives one char per byte; TCVN3 maps one char to one char,
//!   leaves ASCII unchanged, and gives NFC for Latin-1 input; VNI output is
//!   NFC and ASCII-only text passes through unchanged;
//! - `compare` is reflexive, antisymmetric, transitive, and `Equal` exactly
//!   when the NFC forms are equal (the module invariant).
#![no_main]

use std::cmp::Ordering;

use libfuzzer_sys::fuzz_target;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use vn::{collate, legacy, text};

fn check_text(s: &str) {
    let folded = text::fold(s);
    assert_eq!(text::fold(&folded), folded, "fold not idempotent on {s:?}");
    assert!(
        !folded
            .chars()
            .any(|c| is_combining_mark(c) || c == 'đ' || c == 'Đ'),
        "fold({s:?}) = {folded:?} keeps a mark or đ"
    );
    assert!(
        folded.chars().all(|c| c.to_lowercase().eq([c])),
        "fold({s:?}) = {folded:?} is not lowercase"
    );
    let nfd: String = s.nfd().collect();
    let n = text::nfc(s);
    assert!(text::is_nfc(&n), "nfc({s:?}) is not NFC");
    assert_eq!(text::nfc(&n), n, "nfc not idempotent on {s:?}");
    assert_eq!(text::fold(&n), folded, "fold differs for NFC of {s:?}");
    assert_eq!(text::fold(&nfd), folded, "fold differs for NFD of {s:?}");

    // The legacy decoders also take any str (the text may not be Latin-1).
    let t = legacy::from_tcvn3(s);
    assert_eq!(t.chars().count(), s.chars().count());
    for (a, b) in s.chars().zip(t.chars()) {
        if a.is_ascii() {
            assert_eq!(a, b, "TCVN3 changed ASCII {a:?}");
        }
    }
    let v = legacy::from_vni(s);
    assert!(text::is_nfc(&v), "from_vni({s:?}) is not NFC");
    if s.is_ascii() {
        assert_eq!(v, s);
    }
}

fn check_legacy_bytes(data: &[u8]) {
    let l = legacy::latin1(data);
    assert_eq!(l.chars().count(), data.len());
    assert!(
        l.chars()
            .zip(data)
            .all(|(c, &b)| u32::from(c) == u32::from(b))
    );
    let t = legacy::from_tcvn3(&l);
    assert_eq!(t.chars().count(), data.len());
    assert!(
        text::is_nfc(&t),
        "from_tcvn3 of Latin-1 {data:02x?} is not NFC"
    );
    let v = legacy::from_vni(&l);
    assert!(
        text::is_nfc(&v),
        "from_vni of Latin-1 {data:02x?} is not NFC"
    );
    // Decoded legacy text is ordinary text from then on.
    let _ = text::fold(&t);
    let _ = text::fold(&v);
}

fn check_collation(a: &str, b: &str, c: &str) {
    let ab = collate::compare(a, b);
    let ba = collate::compare(b, a);
    assert_eq!(ab, ba.reverse(), "compare not antisymmetric: {a:?} {b:?}");
    assert_eq!(collate::compare(a, a), Ordering::Equal);
    assert_eq!(
        ab == Ordering::Equal,
        text::nfc(a) == text::nfc(b),
        "compare Equal iff NFC equal fails: {a:?} {b:?}"
    );
    assert_eq!(collate::compare(a, &text::nfc(a)), Ordering::Equal);
    let nfd_a: String = a.nfd().collect();
    assert_eq!(
        collate::compare(&nfd_a, b),
        ab,
        "NFD changes order: {a:?} {b:?}"
    );
    let bc = collate::compare(b, c);
    let ac = collate::compare(a, c);
    if ab != Ordering::Greater && bc != Ordering::Greater {
        assert_ne!(ac, Ordering::Greater, "not transitive: {a:?} {b:?} {c:?}");
    }
    if ab != Ordering::Less && bc != Ordering::Less {
        assert_ne!(ac, Ordering::Less, "not transitive: {a:?} {b:?} {c:?}");
    }
    // sort() orders like compare.
    let mut v = vec![a, b, c];
    collate::sort(&mut v);
    assert!(
        v.windows(2)
            .all(|w| collate::compare(w[0], w[1]) != Ordering::Greater)
    );
}

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    check_text(&s);
    check_legacy_bytes(data);

    if let Some((&selector, rest)) = data.split_first() {
        let rest = String::from_utf8_lossy(rest);
        // Split the rest into three parts at char boundaries.
        let chars: Vec<char> = rest.chars().collect();
        let n = chars.len();
        let i = n * usize::from(selector & 0x0F) / 15;
        let j = i + (n - i) * usize::from(selector >> 4) / 15;
        let a: String = chars[..i].iter().collect();
        let b: String = chars[i..j].iter().collect();
        let c: String = chars[j..].iter().collect();
        check_collation(&a, &b, &c);
    }
});
