//! Numbers and amounts of money in Vietnamese words, for fee receipts.
//!
//! Owns the reading rules: "mười" for 10–19, "mươi" from 20; "mốt" for a
//! final 1 after 20+, "lăm" for a final 5 after any ten; "linh" for an empty
//! tens place; "không trăm" for an empty hundreds place inside a number;
//! scales nghìn, triệu, tỷ, nesting above tỷ ("một nghìn năm trăm tỷ"). Invariant: the
//! output is NFC, lowercase except the first letter of [`money_in_words`].

const DIGITS: [&str; 10] = [
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
];

/// Reads `n` in words, lowercase: 125 000 → "một trăm hai mươi lăm nghìn".
pub fn number_in_words(n: u64) -> String {
    if n == 0 {
        return DIGITS[0].to_owned();
    }
    let mut words = Vec::new();
    read_into(n, false, &mut words);
    words.join(" ")
}

/// Reads `n > 0`; `inside` is true when higher digits were already read, so
/// an empty hundreds place must be said ("không trăm").
fn read_into(n: u64, inside: bool, words: &mut Vec<&'static str>) {
    const BILLION: u64 = 1_000_000_000;
    // Above a billion the reading nests: 1 500 tỷ is "một nghìn năm trăm tỷ".
    let (billions, rest) = (n / BILLION, n % BILLION);
    let mut started = inside;
    if billions > 0 {
        read_into(billions, inside, words);
        words.push("tỷ");
        started = true;
    }
    for (group, scale) in [
        (rest / 1_000_000, "triệu"),
        (rest / 1000 % 1000, "nghìn"),
        (rest % 1000, ""),
    ] {
        if group == 0 {
            continue;
        }
        read_group(group, started, words);
        if !scale.is_empty() {
            words.push(scale);
        }
        started = true;
    }
}

/// Reads one group of three digits (0 < group < 1000).
fn read_group(group: u64, full: bool, words: &mut Vec<&'static str>) {
    let (h, t, u) = (group / 100, group / 10 % 10, group % 10);
    let digit = |d: u64| DIGITS[usize::try_from(d).unwrap_or(0)];
    if h > 0 || full {
        words.push(digit(h));
        words.push("trăm");
    }
    match t {
        0 if u > 0 && (h > 0 || full) => words.push("linh"),
        0 => {}
        1 => words.push("mười"),
        _ => {
            words.push(digit(t));
            words.push("mươi");
        }
    }
    match u {
        0 => {}
        1 if t >= 2 => words.push("mốt"),
        5 if t >= 1 => words.push("lăm"),
        _ => words.push(digit(u)),
    }
}

/// An amount of money in words for receipts, capitalised, with "đồng":
/// 125 000 → "Một trăm hai mươi lăm nghìn đồng".
pub fn money_in_words(amount: u64) -> String {
    let words = number_in_words(amount);
    let mut chars = words.chars();
    let mut out: String = chars
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    out.push_str(chars.as_str());
    out.push_str(" đồng");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_table() {
        let cases = [
            (0, "không"),
            (1, "một"),
            (5, "năm"),
            (10, "mười"),
            (11, "mười một"),
            (14, "mười bốn"),
            (15, "mười lăm"),
            (20, "hai mươi"),
            (21, "hai mươi mốt"),
            (24, "hai mươi bốn"),
            (25, "hai mươi lăm"),
            (45, "bốn mươi lăm"),
            (100, "một trăm"),
            (105, "một trăm linh năm"),
            (110, "một trăm mười"),
            (115, "một trăm mười lăm"),
            (1001, "một nghìn không trăm linh một"),
            (1010, "một nghìn không trăm mười"),
            (50_000, "năm mươi nghìn"),
            (125_000, "một trăm hai mươi lăm nghìn"),
            (1_000_000, "một triệu"),
            (1_005_000, "một triệu không trăm linh năm nghìn"),
            (1_000_005, "một triệu không trăm linh năm"),
            (
                12_345_678,
                "mười hai triệu ba trăm bốn mươi lăm nghìn sáu trăm bảy mươi tám",
            ),
            (2_000_000_000, "hai tỷ"),
            (1_000_000_000_000, "một nghìn tỷ"),
            (1_500_000_000_000, "một nghìn năm trăm tỷ"),
        ];
        for (n, want) in cases {
            assert_eq!(number_in_words(n), want, "{n}");
        }
        // The largest value still reads without panicking.
        assert_eq!(
            number_in_words(u64::MAX),
            "mười tám tỷ bốn trăm bốn mươi sáu triệu bảy trăm bốn mươi bốn nghìn không trăm bảy mươi ba tỷ bảy trăm linh chín triệu năm trăm năm mươi mốt nghìn sáu trăm mười lăm"
        );
    }

    #[test]
    fn money_table() {
        assert_eq!(money_in_words(125_000), "Một trăm hai mươi lăm nghìn đồng");
        assert_eq!(money_in_words(0), "Không đồng");
        assert_eq!(money_in_words(50_000), "Năm mươi nghìn đồng");
        assert_eq!(money_in_words(1_200_000), "Một triệu hai trăm nghìn đồng");
    }
}
