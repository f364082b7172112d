//! Full-text search over documents: what is indexed, how a question is
//! read, and which documents a reader may find.
//!
//! Invariant: the index and the question pass through the same
//! [`words`] rule — Vietnamese folded to plain ASCII (`bầu cử` → `bau cu`,
//! `đ` → `d`), split at everything that is not a letter or digit — so that
//! SQLite's FTS5 and PostgreSQL's `tsvector` both see only plain words and
//! agree on every match.

use time::Date;

use crate::agencies::AgencyId;
use crate::documents::{Direction, Urgency};

/// The longest question read, in words: more adds nothing but cost.
pub const MAX_QUERY_WORDS: usize = 16;

/// The folded words of `text`, in order.
pub fn words(text: &str) -> Vec<String> {
    vn::text::fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        // Non-ASCII letters that fold leaves alone (Khmer, CJK) are kept:
        // both engines treat them as word characters.
        .map(str::to_owned)
        .collect()
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
}
