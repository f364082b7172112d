//! Property tests: folding is idempotent and insensitive to normalisation
//! form; collation agrees with NFC equality.

use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

/// Vietnamese-looking text: letters with every mark, plus arbitrary chars.
fn vietnamese_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(
                "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ ÀẢÃÁẠỲỶỸÝỴ0123456789/-.,"
                    .chars()
                    .collect::<Vec<_>>()
            ),
            1 => any::<char>(),
        ],
        0..40,
    )
    .prop_map(|v| v.into_iter().collect())
}

proptest! {
    #[test]
    fn fold_is_idempotent(s in vietnamese_text()) {
        let once = vn::text::fold(&s);
        prop_assert_eq!(vn::text::fold(&once), once);
    }

    #[test]
    fn fold_is_idempotent_on_any_string(s in any::<String>()) {
        let once = vn::text::fold(&s);
        prop_assert_eq!(vn::text::fold(&once), once);
    }

    #[test]
    fn fold_ignores_normalisation_form(s in vietnamese_text()) {
        let nfd: String = s.nfd().collect();
        prop_assert_eq!(vn::text::fold(&s), vn::text::fold(&nfd));
    }

    #[test]
    fn collation_equal_iff_nfc_equal(a in vietnamese_text(), b in vietnamese_text()) {
        let nfd: String = a.nfd().collect();
        prop_assert_eq!(vn::collate::compare(&a, &nfd), std::cmp::Ordering::Equal);
        let same = vn::text::nfc(&a) == vn::text::nfc(&b);
        prop_assert_eq!(vn::collate::compare(&a, &b).is_eq(), same);
    }
}
