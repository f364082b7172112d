//! Full-text search over documents: what is indexed, how a question is
//! read, and which documents a reader may find.
//!
//! Invariant: the index and the question pass through the same
//! [`words`] rule — Vietnamese folded to plain ASCII (`bầu cử` → `bau cu`,
//! `đ` → `d`), split at everything that is not a letter or digit — so that
//! SQLite's FTS5 and PostgreSQL's `tsvector` both see only plain words and
//! agree on every match.
//!
//! Khmer is written without spaces between words, so a run of Khmer script
//! is cut into words by ICU4X's dictionary word breaker instead, and kept
//! as it is (NFC, marks and all: folding would strip its vowel signs).

use icu_segmenter::WordSegmenter;
use icu_segmenter::options::WordBreakInvariantOptions;
use time::Date;

use crate::agencies::AgencyId;
use crate::documents::{Direction, Urgency};

/// The longest question read, in words: more adds nothing but cost.
pub const MAX_QUERY_WORDS: usize = 16;

/// The folded words of `text`, in order.
pub fn words(text: &str) -> Vec<String> {
    // NFC first so that a Khmer word typed decomposed is the word indexed
    // composed; folding decomposes anyway, so Vietnamese is unchanged.
    let text = vn::text::nfc(text);
    let mut out = Vec::new();
    let mut rest = text.as_str();
    while let Some(first) = rest.chars().next() {
        let khmer = is_khmer(first);
        let end = rest
            .find(|c: char| is_khmer(c) != khmer)
            .unwrap_or(rest.len());
        let (run, tail) = rest.split_at(end);
        if khmer {
            khmer_words(run, &mut out);
        } else {
            folded_words(run, &mut out);
        }
        rest = tail;
    }
    out
}

/// Khmer (U+1780–U+17FF) and Khmer Symbols (U+19E0–U+19FF).
fn is_khmer(c: char) -> bool {
    matches!(c, '\u{1780}'..='\u{17FF}' | '\u{19E0}'..='\u{19FF}')
}

/// Vietnamese (and any other non-Khmer text): folded, split at everything
/// that is not a letter or digit. Other letters fold leaves alone (CJK)
/// are kept: both engines treat them as word characters.
fn folded_words(run: &str, out: &mut Vec<String>) {
    out.extend(
        vn::text::fold(run)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_owned),
    );
}

/// A run of Khmer script cut at ICU's word boundaries (the dictionary
/// model: faster than the LSTM one and as good on Khmer); pieces without
/// a letter or digit (punctuation such as `។`) are dropped.
fn khmer_words(run: &str, out: &mut Vec<String>) {
    let segmenter = WordSegmenter::new_dictionary(WordBreakInvariantOptions::default());
    let mut start = 0;
    for end in segmenter.segment_str(run) {
        let word = &run[start..end];
        if word.chars().any(char::is_alphanumeric) {
            out.push(word.to_owned());
        }
        start = end;
    }
}

/// The text stored in the index for some pieces of a document.
pub fn index_text<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for part in parts {
        for word in words(part) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&word);
        }
    }
    out
}

/// A question: phrases that must all occur. Words typed plainly are
/// one-word phrases; words in double quotes must occur together in order
/// (`"bau cu" 2021`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Terms {
    pub phrases: Vec<Vec<String>>,
}

impl Terms {
    pub fn parse(question: &str) -> Self {
        let mut phrases = Vec::new();
        let mut budget = MAX_QUERY_WORDS;
        for (i, piece) in question.split('"').enumerate() {
            let mut found = words(piece);
            found.truncate(budget);
            budget -= found.len();
            if i % 2 == 1 {
                if !found.is_empty() {
                    phrases.push(found);
                }
            } else {
                phrases.extend(found.into_iter().map(|w| vec![w]));
            }
            if budget == 0 {
                break;
            }
        }
        Self { phrases }
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }
}

/// In which order results come.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Latest registration first (the register's own order, reversed).
    #[default]
    Newest,
    Oldest,
}

named!(Sort { Newest => "newest", "Mới nhất trước"; Oldest => "oldest", "Cũ nhất trước"; });

/// What the reader asks for: the words and the filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentFilter {
    pub terms: Terms,
    pub direction: Option<Direction>,
    /// Exactly this agency's registers (otherwise every visible agency).
    pub agency_id: Option<AgencyId>,
    pub doc_type: Option<String>,
    pub field: Option<String>,
    /// Registered on or after.
    pub from: Option<Date>,
    /// Registered on or before.
    pub to: Option<Date>,
    pub urgency: Option<Urgency>,
    /// Exactly this number and symbol (register form).
    pub symbol: Option<String>,
    /// Documents whose text cites this symbol.
    pub cites: Option<String>,
    pub sort: Sort,
}

/// Which documents a reader may find: those of `agencies`, and among them
/// the confidential ones (Mật and above) only of `confidential`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Visibility {
    pub agencies: Vec<AgencyId>,
    pub confidential: Vec<AgencyId>,
}

/// One page of results and how many there are in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found<T> {
    pub items: Vec<T>,
    pub total: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_folds_to_the_same_words() {
        assert_eq!(
            index_text(["Kế hoạch tổ chức bầu cử", "Sở Thông tin và Truyền thông"]),
            "ke hoach to chuc bau cu so thong tin va truyen thong"
        );
        assert_eq!(index_text(["437/QĐ-UBND"]), "437 qd ubnd");
        assert_eq!(index_text(["  ,;  "]), "");
    }

    #[test]
    fn questions_are_words_and_quoted_phrases() {
        let terms = Terms::parse("\"bầu cử\" điện tử");
        assert_eq!(
            terms.phrases,
            vec![
                vec!["bau".to_owned(), "cu".to_owned()],
                vec!["dien".to_owned()],
                vec!["tu".to_owned()],
            ]
        );
        assert!(Terms::parse(" - \"\" ").is_empty());
        // An unclosed quote still reads the words after it as a phrase.
        assert_eq!(Terms::parse("\"dien tu").phrases.len(), 1);
        let long = "a ".repeat(100);
        assert!(Terms::parse(&long).phrases.len() <= MAX_QUERY_WORDS);
    }

    /// A Khmer sentence from the province's news, written without spaces.
    const KHMER: &str = "ខេត្តត្រាវិញបានរៀបចំពិធីបុណ្យចូលឆ្នាំថ្មី";

    #[test]
    fn khmer_is_cut_into_words() {
        let found = words(KHMER);
        assert!(found.len() >= 6, "{found:?}");
        // Nothing lost or added: the words are the sentence, in order.
        assert_eq!(found.concat(), KHMER);
        // "province", "has", "organised", "new": words the dictionary knows.
        for expected in ["ខេត្ត", "បាន", "រៀបចំ", "ថ្មី"] {
            assert!(
                found.iter().any(|w| w == expected),
                "{expected} in {found:?}"
            );
        }
        // Khmer punctuation (។) is no word.
        assert_eq!(words("ថ្មី។"), ["ថ្មី"]);
    }

    #[test]
    fn a_khmer_word_asked_alone_finds_the_sentence() {
        let indexed = index_text([KHMER]);
        let indexed: Vec<&str> = indexed.split(' ').collect();
        let found_in_index = |question: &str| {
            let terms = Terms::parse(question);
            !terms.is_empty()
                && terms.phrases.iter().all(|phrase| {
                    indexed
                        .windows(phrase.len())
                        .any(|w| w.iter().zip(phrase).all(|(a, b)| a == b))
                })
        };
        for word in words(KHMER) {
            assert!(found_in_index(&word), "{word} in {indexed:?}");
        }
        // The province's name, however the dictionary cuts it, and a
        // quoted phrase of two words.
        assert!(found_in_index("ត្រាវិញ"));
        assert!(found_in_index("\"បានរៀបចំ\""));
        // Words the sentence does not hold ("Phnom Penh") are not found.
        assert!(!found_in_index("ភ្នំពេញ"));
    }

    #[test]
    fn vietnamese_and_khmer_mixed() {
        let found = words("Lễ hội Ok Om Bok (បុណ្យអុំទូក) ở Trà Vinh, ថ្ងៃ២០២១។");
        assert_eq!(
            found,
            [
                "le",
                "hoi",
                "ok",
                "om",
                "bok",
                "បុណ្យអុំទូក",
                "o",
                "tra",
                "vinh",
                "ថ្ងៃ",
                "២០២១"
            ]
        );
        // Vietnamese next to Khmer folds as it does alone.
        assert_eq!(words("Trà Vinhខេត្ត"), ["tra", "vinh", "ខេត្ត"]);
    }

    #[test]
    fn khmer_is_normalised_first() {
        // Khmer's only reorderable marks: ROBAT-like U+17DD (class 230)
        // typed before COENG U+17D2 (class 9); NFC puts COENG first.
        let typed = "\u{1780}\u{17DD}\u{17D2}\u{1780}";
        let nfc = "\u{1780}\u{17D2}\u{17DD}\u{1780}";
        assert_eq!(words(typed), words(nfc));
        assert_eq!(words(typed).concat(), nfc);
    }
}
