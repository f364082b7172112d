//! Vietnamese collation.
//!
//! Owns the ordering of Vietnamese text: letters in the alphabet order
//! a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (foreign
//! f j w z in their Latin places), tones only after letters (ngang, huyền,
//! hỏi, ngã, sắc, nặng, the dictionary order), case last, and finally code
//! points so the order is total. Invariant: `compare(a, b) == Equal` exactly
//! when `nfc(a) == nfc(b)`, so it is usable with `sort_by` and in ordered maps.

use std::cmp::Ordering;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Alphabet order; the index is the primary weight of the letter.
const ALPHABET: [char; 33] = [
    'a', 'ă', 'â', 'b', 'c', 'd', 'đ', 'e', 'ê', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
    'ô', 'ơ', 'p', 'q', 'r', 's', 't', 'u', 'ư', 'v', 'w', 'x', 'y', 'z',
];

// Weight bands keep separators < digits < Vietnamese letters < other scripts.
const SPACE: u32 = 1;
const PUNCT: u32 = 2;
const DIGIT_BASE: u32 = 0x100;
const LETTER_BASE: u32 = 0x200;
const OTHER_BASE: u32 = 0x1000;

/// A sort key: compare keys instead of strings when sorting many items
/// (`v.sort_by_cached_key(|s| vn::collate::sort_key(s))`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CollationKey {
    /// Letters (with ă â đ ê ô ơ ư as letters of their own).
    primary: Vec<u32>,
    /// Tone of each syllable (run of letters): 0 none, 1 huyền, 2 hỏi,
    /// 3 ngã, 4 sắc, 5 nặng. Per syllable, not per letter, so the old and new
    /// tone placements ("hòa", "hoà") tie here.
    secondary: Vec<u32>,
    /// 0 lowercase, 1 uppercase.
    tertiary: Vec<u8>,
    /// NFC code points: last resort so distinct strings never tie.
    identical: String,
}

/// One letter being assembled from an NFD sequence.
struct Element {
    base: char,
    upper: bool,
    tone: u32,
}

impl Element {
    fn new(c: char) -> Self {
        let upper = c.is_uppercase();
        let base = c.to_lowercase().next().unwrap_or(c);
        Self {
            base,
            upper,
            tone: 0,
        }
    }

    /// Applies a combining mark: a vowel modifier changes the letter, a tone
    /// mark sets the tone; other marks rank after all tones.
    fn apply(&mut self, mark: char) {
        let modified = match (self.base, mark) {
            ('a', '\u{0306}') => Some('ă'),
            ('a', '\u{0302}') => Some('â'),
            ('e', '\u{0302}') => Some('ê'),
            ('o', '\u{0302}') => Some('ô'),
            ('o', '\u{031B}') => Some('ơ'),
            ('u', '\u{031B}') => Some('ư'),
            _ => None,
        };
        if let Some(letter) = modified {
            self.base = letter;
            return;
        }
        self.tone = match mark {
            '\u{0300}' => 1,
            '\u{0309}' => 2,
            '\u{0303}' => 3,
            '\u{0301}' => 4,
            '\u{0323}' => 5,
            other => 6 + u32::from(other),
        };
    }

    fn primary(&self) -> u32 {
        let c = self.base;
        if let Some(rank) = ALPHABET.iter().position(|&l| l == c) {
            // The alphabet has 33 entries: the cast cannot truncate.
            #[allow(clippy::cast_possible_truncation)]
            return LETTER_BASE + rank as u32;
        }
        if let Some(d) = c.to_digit(10) {
            return DIGIT_BASE + d;
        }
        if c.is_whitespace() {
            return SPACE;
        }
        if c.is_alphanumeric() {
            return OTHER_BASE + u32::from(c);
        }
        PUNCT
    }
}

/// Builds the collation key of `s` (any normalisation form).
pub fn sort_key(s: &str) -> CollationKey {
    let mut elements: Vec<Element> = Vec::with_capacity(s.len());
    for c in s.nfd() {
        match elements.last_mut() {
            Some(last) if is_combining_mark(c) => last.apply(c),
            _ => elements.push(Element::new(c)),
        }
    }
    let primary: Vec<u32> = elements.iter().map(Element::primary).collect();
    let mut secondary = Vec::new();
    let mut syllable: Option<u32> = None;
    for (e, &p) in elements.iter().zip(&primary) {
        if p >= LETTER_BASE {
            let tone = syllable.unwrap_or(0).max(e.tone);
            syllable = Some(tone);
        } else if let Some(tone) = syllable.take() {
            secondary.push(tone);
        }
    }
    secondary.extend(syllable);
    CollationKey {
        primary,
        secondary,
        tertiary: elements.iter().map(|e| u8::from(e.upper)).collect(),
        identical: s.nfc().collect(),
    }
}

/// Compares two strings in Vietnamese order; use with `sort_by`.
///
/// ```
/// let mut v = vec!["đá", "da", "Dạ", "dà", "ăn", "an"];
/// v.sort_by(|a, b| vn::collate::compare(a, b));
/// assert_eq!(v, ["an", "ăn", "da", "dà", "Dạ", "đá"]);
/// ```
pub fn compare(a: &str, b: &str) -> Ordering {
    sort_key(a).cmp(&sort_key(b))
}

/// Sorts strings in place in Vietnamese order, computing each key once.
pub fn sort<S: AsRef<str>>(items: &mut [S]) {
    items.sort_by_cached_key(|s| sort_key(s.as_ref()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alphabet_order_of_single_letters() {
        let letters = "a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y";
        let want: Vec<&str> = letters.split(' ').collect();
        let mut got = want.clone();
        got.reverse();
        sort(&mut got);
        assert_eq!(got, want);
    }

    #[test]
    fn words_table() {
        let want = [
            "an", "anh", "ăn", "ân", "ba", "bà", "bả", "bã", "bá", "bạ", "bác", "ban", "bàn",
            "bán", "bao", "con", "cô", "cơm", "da", "đa", "em", "êm", "hoa", "hòa", "ông", "ơn",
            "út", "ưu",
        ];
        let mut got = want.to_vec();
        got.reverse();
        sort(&mut got);
        assert_eq!(got, want);
    }

    #[test]
    fn tones_only_after_letters() {
        // "bá" vs "bac": letters decide (prefix), not the tone.
        assert_eq!(compare("bá", "bac"), Ordering::Less);
        // Same letters: the tone decides; case only after tones.
        assert_eq!(compare("Ba", "bà"), Ordering::Less);
        assert_eq!(compare("ba", "Ba"), Ordering::Less);
    }

    #[test]
    fn old_and_new_tone_placement_tie_before_code_points() {
        let (a, b) = (sort_key("hòa bình"), sort_key("hoà bình"));
        assert_eq!(
            (&a.primary, &a.secondary, &a.tertiary),
            (&b.primary, &b.secondary, &b.tertiary)
        );
        assert_ne!(a, b);
    }

    #[test]
    fn normalisation_forms_compare_equal() {
        assert_eq!(compare("Thành", "Tha\u{0300}nh"), Ordering::Equal);
        assert_eq!(sort_key("Nguyễn"), sort_key("Nguye\u{0302}\u{0303}n"));
    }

    #[test]
    fn digits_and_spaces_before_letters() {
        assert_eq!(compare("Phường 5", "Phường a"), Ordering::Less);
        assert_eq!(compare("An Bình", "Anh"), Ordering::Less);
    }
}
