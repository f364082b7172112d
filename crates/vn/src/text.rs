//! Text normalisation and folding.
//!
//! Owns the two canonical forms every other module compares through:
//! [`nfc`] (what we store and display) and [`fold`] (what we search and
//! compare loosely). Invariant: `fold` is idempotent and its output holds no
//! combining mark, no `đ`/`Đ` and no uppercase letter.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Returns `s` in Unicode Normalization Form C.
///
/// Vietnamese arrives precomposed (NFC), decomposed (NFD, common from macOS
/// and some PDF extractors) or mixed; storing NFC makes byte equality mean
/// visual equality.
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// Returns `true` when `s` is already in NFC (cheap check, no allocation).
pub fn is_nfc(s: &str) -> bool {
    unicode_normalization::is_nfc(s)
}

/// Folds `s` for search and loose comparison: lowercase (where Unicode
/// defines a lowercase: a few letters such as U+03D2 have none and stay),
/// strip every combining mark (tones and the breve/circumflex/horn), and
/// map `đ`/`Đ` to `d`.
///
/// `đ` needs its own rule because it is a separate letter (U+0111), not `d`
/// plus a combining mark, so decomposition alone leaves it intact.
///
/// ```
/// assert_eq!(vn::text::fold("Nguyễn Ngọc Thành"), "nguyen ngoc thanh");
/// assert_eq!(vn::text::fold("ĐẮK LẮK"), "dak lak");
/// ```
pub fn fold(s: &str) -> String {
    // Lowercase first: a few lowercase mappings (e.g. U+0130) produce
    // combining marks, which the decomposition pass then removes.
    let lower = s.to_lowercase();
    let mut out = String::with_capacity(lower.len());
    for c in lower.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'đ' | 'Đ' => out.push('d'),
            other => {
                // A base character may still lowercase differently after its
                // marks are gone (rare titlecase forms); lowercasing again
                // keeps `fold` idempotent.
                for l in other.to_lowercase() {
                    if !is_combining_mark(l) {
                        out.push(l);
                    }
                }
            }
        }
    }
    out
}

/// Folds `s` to plain ASCII letters and digits only (everything else is
/// dropped): the form used for mailbox names and identifiers.
///
/// ```
/// assert_eq!(vn::text::ascii_alnum("Đặng Thị Ánh-Tuyết"), "dangthianhtuyet");
/// ```
pub fn ascii_alnum(s: &str) -> String {
    fold(s)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// Collapses runs of Unicode whitespace to one ASCII space and trims the ends.
///
/// Input pasted from Word or PDF carries non-breaking and double spaces that
/// would otherwise make equal names compare unequal.
pub fn squash_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_of_nfd_and_mixed_input() {
        // "Thành" decomposed: a + grave as separate code points.
        let nfd = "Tha\u{0300}nh";
        assert_eq!(nfc(nfd), "Thành");
        assert!(!is_nfc(nfd));
        assert!(is_nfc("Thành"));
        // "ệ" as e + circumflex + dot below, and as ê + dot below.
        assert_eq!(nfc("Nguye\u{0302}\u{0323}t"), "Nguyệt");
        assert_eq!(nfc("Nguyê\u{0323}t"), "Nguyệt");
        // Marks in non-canonical order are reordered by normalisation.
        assert_eq!(nfc("Nguye\u{0323}\u{0302}t"), "Nguyệt");
    }

    #[test]
    fn fold_table() {
        let cases = [
            ("Nguyễn Ngọc Thành", "nguyen ngoc thanh"),
            ("ĐẠI HỘI ĐẢNG", "dai hoi dang"),
            ("Đoàn Thị Ngọc Bích", "doan thi ngoc bich"),
            ("Trà Vinh", "tra vinh"),
            ("Tha\u{0300}nh", "thanh"),
            ("ưu tiên Ơn", "uu tien on"),
            ("Chôl Chnam Thmây", "chol chnam thmay"),
            ("437/QĐ-UBND", "437/qd-ubnd"),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(fold(input), want, "fold({input:?})");
        }
    }

    #[test]
    fn fold_same_for_nfc_and_nfd() {
        let s = "Hồ Chí Minh, Quảng Ngãi, Đắk Nông";
        let d: String = s.nfd().collect();
        assert_eq!(fold(s), fold(&d));
    }

    #[test]
    fn ascii_and_spaces() {
        assert_eq!(ascii_alnum("Sở TT&TT"), "sotttt");
        assert_eq!(
            squash_spaces("  Nguyễn\u{a0} Văn\t\tChuẩn "),
            "Nguyễn Văn Chuẩn"
        );
    }
}
