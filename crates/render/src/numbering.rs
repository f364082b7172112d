//! Heading numbers in the decree's levels: I., II. / 1., 2. / a), b), ...
//!
//! Invariant: a heading's number depends only on the headings before it; a
//! higher level restarts the levels under it. Letters follow the Vietnamese
//! alphabet as legal texts use it (a, b, c, d, đ, e, g, h, i, k, ...).

use crate::model::HeadingLevel;

const LETTERS: [&str; 23] = [
    "a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t",
    "u", "v", "x", "y",
];

/// Counts headings as the body is walked.
#[derive(Debug, Default)]
pub struct Numberer {
    counts: [usize; 3],
}

impl Numberer {
    /// The number of the next heading at `level`, e.g. "II." or "a)".
    pub fn next(&mut self, level: HeadingLevel) -> String {
        let i = level as usize;
        self.counts[i] += 1;
        for deeper in &mut self.counts[i + 1..] {
            *deeper = 0;
        }
        let n = self.counts[i];
        match level {
            HeadingLevel::Roman => format!("{}.", roman(n)),
            HeadingLevel::Arabic => format!("{n}."),
            HeadingLevel::Letter => format!("{})", letter(n)),
        }
    }
}

/// Roman numerals (1 ≤ n < 4000; documents never get near the end).
pub fn roman(mut n: usize) -> String {
    const TABLE: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

/// The n-th letter (1-based); past "y" it doubles ("aa"), which no real
/// document reaches but which keeps numbers distinct.
fn letter(n: usize) -> String {
    let k = LETTERS.len();
    let base = LETTERS[(n - 1) % k];
    base.repeat((n - 1) / k + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_restart_under_a_higher_level() {
        let mut n = Numberer::default();
        let seq = [
            (HeadingLevel::Roman, "I."),
            (HeadingLevel::Arabic, "1."),
            (HeadingLevel::Letter, "a)"),
            (HeadingLevel::Letter, "b)"),
            (HeadingLevel::Letter, "c)"),
            (HeadingLevel::Letter, "d)"),
            (HeadingLevel::Letter, "đ)"),
            (HeadingLevel::Letter, "e)"),
            (HeadingLevel::Letter, "g)"),
            (HeadingLevel::Arabic, "2."),
            (HeadingLevel::Letter, "a)"),
            (HeadingLevel::Roman, "II."),
            (HeadingLevel::Arabic, "1."),
        ];
        for (level, want) in seq {
            assert_eq!(n.next(level), want);
        }
    }

    #[test]
    fn roman_numerals() {
        for (n, want) in [
            (1, "I"),
            (4, "IV"),
            (9, "IX"),
            (14, "XIV"),
            (40, "XL"),
            (1994, "MCMXCIV"),
        ] {
            assert_eq!(roman(n), want);
        }
    }
}
