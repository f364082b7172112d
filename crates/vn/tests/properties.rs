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

/// A valid lunar date of 1900–2100: year, month, leap flag when the year has
/// that leap month, and a day within the month's length.
// Test-only helper outside a #[test]: a failure here is a test failure.
#[allow(clippy::unwrap_used)]
fn lunar_date() -> impl Strategy<Value = vn::lunar::LunarDate> {
    (1900..=2100_i32, 1..=12_u8, any::<bool>(), 1..=30_u8).prop_map(|(year, month, leap, day)| {
        let leap = leap && vn::lunar::leap_month(year).unwrap() == Some(month);
        let len = vn::lunar::month_length(year, month, leap).unwrap();
        vn::lunar::LunarDate {
            year,
            month,
            leap,
            day: day.min(len),
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn lunar_solar_lunar_is_identity(l in lunar_date()) {
        let solar = vn::lunar::lunar_to_solar(l).unwrap();
        prop_assert_eq!(vn::lunar::solar_to_lunar(solar).unwrap(), l);
    }

    #[test]
    fn solar_lunar_solar_is_identity(days in 0..73_414_i64) {
        // 1900-01-01 plus up to 201 years.
        let d = time::Date::from_calendar_date(1900, time::Month::January, 1).unwrap()
            + time::Duration::days(days);
        let l = vn::lunar::solar_to_lunar(d).unwrap();
        prop_assert_eq!(vn::lunar::lunar_to_solar(l).unwrap(), d);
    }
}

/// Exhaustive companion of the property: every lunar month of 1900–2100
/// converts there and back, and consecutive months tile the solar calendar.
#[test]
fn every_lunar_month_1900_2100_round_trips() {
    let mut expected_next: Option<time::Date> = None;
    for year in 1900..=2100 {
        let leap = vn::lunar::leap_month(year).unwrap();
        for month in 1..=12 {
            let variants: &[bool] = if leap == Some(month) {
                &[false, true]
            } else {
                &[false]
            };
            for &is_leap in variants {
                let len = vn::lunar::month_length(year, month, is_leap).unwrap();
                assert!(len == 29 || len == 30);
                let first = vn::lunar::LunarDate {
                    year,
                    month,
                    leap: is_leap,
                    day: 1,
                };
                let start = vn::lunar::lunar_to_solar(first).unwrap();
                if let Some(next) = expected_next {
                    assert_eq!(start, next, "{first}");
                }
                assert_eq!(vn::lunar::solar_to_lunar(start).unwrap(), first);
                let last = vn::lunar::LunarDate { day: len, ..first };
                let end = vn::lunar::lunar_to_solar(last).unwrap();
                assert_eq!(vn::lunar::solar_to_lunar(end).unwrap(), last);
                expected_next = Some(end + time::Duration::days(1));
            }
        }
    }
}
