//! Vietnamese personal names: splitting, ordering, official mailbox names.
//!
//! Owns the "họ – đệm – tên" model: the first word is the family name (họ),
//! the last the given name (tên), anything between the middle names (đệm).
//! Invariant: a [`PersonName`] holds NFC, single-spaced words and its given
//! name is never empty.
//!
//! Compound family names ("Tôn Thất", "Âu Dương") are not detected: they are
//! rare, and the caller can build a [`PersonName`] by hand when it knows
//! better. Mailbox names do not change either way (initials are kept).

use std::cmp::Ordering;
use std::fmt;

use crate::collate::{self, CollationKey};
use crate::text;

/// Highest collision number tried before giving up.
const MAX_SUFFIX: u32 = 9999;

/// A full name split into its parts.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PersonName {
    /// Family name (họ), e.g. "Nguyễn"; empty for a one-word name.
    pub family: String,
    /// Middle names (tên đệm), space separated, e.g. "Thị Ngọc"; may be empty.
    pub middle: String,
    /// Given name (tên), e.g. "Thành".
    pub given: String,
}

impl PersonName {
    /// The name written in the usual order, single-spaced.
    pub fn full(&self) -> String {
        [&self.family, &self.middle, &self.given]
            .iter()
            .filter(|p| !p.is_empty())
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.full())
    }
}

/// Why a name could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameError {
    /// The name holds no word.
    Empty,
    /// The name folds to no ASCII letter, so no mailbox can be made from it.
    NoAsciiLetters,
    /// Every numbered variant up to the limit is taken.
    Exhausted,
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Empty => "empty name",
            Self::NoAsciiLetters => "name has no ASCII letter after folding",
            Self::Exhausted => "all numbered mailbox names are taken",
        })
    }
}

impl std::error::Error for NameError {}

/// Splits a full name into family, middle and given names.
///
/// Input may be NFD or carry stray spaces; parts come back NFC.
///
/// ```
/// let n = vn::names::split("Nguyễn Thị Ngọc Bích").unwrap();
/// assert_eq!((n.family.as_str(), n.middle.as_str(), n.given.as_str()),
///            ("Nguyễn", "Thị Ngọc", "Bích"));
/// ```
pub fn split(full_name: &str) -> Result<PersonName, NameError> {
    let clean = text::nfc(full_name);
    let words: Vec<&str> = clean.split_whitespace().collect();
    match words.as_slice() {
        [] => Err(NameError::Empty),
        [given] => Ok(PersonName {
            family: String::new(),
            middle: String::new(),
            given: (*given).to_owned(),
        }),
        [family, middle @ .., given] => Ok(PersonName {
            family: (*family).to_owned(),
            middle: middle.join(" "),
            given: (*given).to_owned(),
        }),
    }
}

/// Sort key for personal lists: given name first, then family and middle
/// names, each in Vietnamese collation (the order of staff and class lists).
pub fn sort_key(name: &PersonName) -> (CollationKey, CollationKey, CollationKey) {
    (
        collate::sort_key(&name.given),
        collate::sort_key(&name.family),
        collate::sort_key(&name.middle),
    )
}

/// Compares two full names by given name, then family, then middle names.
///
/// ```
/// let mut staff = vec!["Trần Văn Bình", "Nguyễn Ngọc Thành", "Lê Thị An", "Nguyễn An"];
/// staff.sort_by(|a, b| vn::names::compare_full_names(a, b));
/// assert_eq!(staff, ["Lê Thị An", "Nguyễn An", "Trần Văn Bình", "Nguyễn Ngọc Thành"]);
/// ```
pub fn compare_full_names(a: &str, b: &str) -> Ordering {
    full_name_key(a).cmp(&full_name_key(b))
}

/// [`sort_key`] straight from a full name (an empty name sorts first).
pub fn full_name_key(full_name: &str) -> (CollationKey, CollationKey, CollationKey) {
    let name = split(full_name).unwrap_or(PersonName {
        family: String::new(),
        middle: String::new(),
        given: String::new(),
    });
    sort_key(&name)
}

/// The mailbox local part without collision handling: folded given name,
/// then the initials of family and middle names, then `.agency` if given.
///
/// ```
/// assert_eq!(vn::names::mailbox_base("Nguyễn Ngọc Thành", Some("stttt")).unwrap(),
///            "thanhnn.stttt");
/// ```
pub fn mailbox_base(full_name: &str, agency: Option<&str>) -> Result<String, NameError> {
    let stem = mailbox_stem(full_name)?;
    Ok(with_agency(&stem, agency))
}

/// The mailbox local part (DOMAIN.md §8), numbered when taken: `thanhnn`,
/// then `thanhnn2`, `thanhnn3`, ... The number goes before the agency suffix
/// (`thanhnn2.stttt`). `is_taken` is asked about the complete local part,
/// e.g. `|s| taken.contains(s)` over a `HashSet<String>`.
///
/// ```
/// use std::collections::HashSet;
/// let taken: HashSet<String> = ["thanhnn.stttt".to_owned()].into();
/// let got = vn::names::mailbox_local_part("Nguyễn Ngọc Thành", Some("stttt"),
///                                         |s| taken.contains(s)).unwrap();
/// assert_eq!(got, "thanhnn2.stttt");
/// ```
pub fn mailbox_local_part(
    full_name: &str,
    agency: Option<&str>,
    is_taken: impl Fn(&str) -> bool,
) -> Result<String, NameError> {
    let stem = mailbox_stem(full_name)?;
    let first = with_agency(&stem, agency);
    if !is_taken(&first) {
        return Ok(first);
    }
    (2..=MAX_SUFFIX)
        .map(|n| with_agency(&format!("{stem}{n}"), agency))
        .find(|candidate| !is_taken(candidate))
        .ok_or(NameError::Exhausted)
}

/// Given name folded, followed by the initials of the other words.
fn mailbox_stem(full_name: &str) -> Result<String, NameError> {
    let name = split(full_name)?;
    let given = text::ascii_alnum(&name.given);
    if given.is_empty() {
        return Err(NameError::NoAsciiLetters);
    }
    let initials: String = name
        .family
        .split_whitespace()
        .chain(name.middle.split_whitespace())
        .filter_map(|w| text::ascii_alnum(w).chars().next())
        .collect();
    Ok(given + &initials)
}

/// Appends the agency, folding each dot-separated part ("vp.stttt").
fn with_agency(stem: &str, agency: Option<&str>) -> String {
    let suffix: Vec<String> = agency
        .unwrap_or("")
        .split('.')
        .map(text::ascii_alnum)
        .filter(|p| !p.is_empty())
        .collect();
    if suffix.is_empty() {
        stem.to_owned()
    } else {
        format!("{stem}.{}", suffix.join("."))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn split_table() {
        let cases = [
            ("Nguyễn Ngọc Thành", ("Nguyễn", "Ngọc", "Thành")),
            ("Nguyễn Văn Chuẩn", ("Nguyễn", "Văn", "Chuẩn")),
            ("Nguyễn Quỳnh Thiện", ("Nguyễn", "Quỳnh", "Thiện")),
            ("Lê An", ("Lê", "", "An")),
            ("Tôn Nữ Thị Hà", ("Tôn", "Nữ Thị", "Hà")),
            ("  Thạch   Thị Sa\u{a0}Rinh ", ("Thạch", "Thị Sa", "Rinh")),
            ("Mai", ("", "", "Mai")),
            ("Tra\u{0302}\u{0300}n Văn Ba", ("Trần", "Văn", "Ba")),
        ];
        for (input, (f, m, g)) in cases {
            let n = split(input).unwrap();
            assert_eq!(
                (n.family.as_str(), n.middle.as_str(), n.given.as_str()),
                (f, m, g),
                "{input:?}"
            );
        }
        assert_eq!(split("  "), Err(NameError::Empty));
        assert_eq!(
            split("Thạch Thị Sa Rinh").unwrap().to_string(),
            "Thạch Thị Sa Rinh"
        );
    }

    #[test]
    fn sorted_by_given_then_rest() {
        let mut v = vec![
            "Nguyễn Văn Chuẩn",
            "Nguyễn Ngọc Thành",
            "Lê Thanh",
            "Trần Thị Ánh",
            "Đỗ Văn An",
            "Bùi An",
            "Nguyễn Quỳnh Thiện",
            "Nguyễn Thị Ân",
        ];
        v.sort_by(|a, b| compare_full_names(a, b));
        assert_eq!(
            v,
            [
                "Bùi An",
                "Đỗ Văn An",
                "Trần Thị Ánh",
                "Nguyễn Thị Ân",
                "Nguyễn Văn Chuẩn",
                "Lê Thanh",
                "Nguyễn Ngọc Thành",
                "Nguyễn Quỳnh Thiện",
            ]
        );
    }

    #[test]
    fn mailbox_table() {
        let cases = [
            ("Nguyễn Ngọc Thành", None, "thanhnn"),
            ("Nguyễn Ngọc Thành", Some("stttt"), "thanhnn.stttt"),
            ("Nguyễn Văn Chuẩn", Some("STTTT"), "chuannv.stttt"),
            ("Đặng Thị Ngọc Ánh", None, "anhdtn"),
            ("Lê An", Some("vp.stttt"), "anl.vp.stttt"),
            ("Mai", None, "mai"),
            ("Nguye\u{0302}\u{0303}n Đức Đạt", None, "datnd"),
        ];
        for (name, agency, want) in cases {
            assert_eq!(
                mailbox_base(name, agency).unwrap(),
                want,
                "{name:?} {agency:?}"
            );
            assert_eq!(mailbox_local_part(name, agency, |_| false).unwrap(), want);
        }
    }

    #[test]
    fn mailbox_collisions() {
        let taken: HashSet<String> = ["thanhnn", "thanhnn2", "thanhnn.stttt"]
            .map(str::to_owned)
            .into();
        let pick =
            |agency| mailbox_local_part("Nguyễn Ngọc Thành", agency, |s| taken.contains(s));
        assert_eq!(pick(None).unwrap(), "thanhnn3");
        assert_eq!(pick(Some("stttt")).unwrap(), "thanhnn2.stttt");
        // Two different people with the same initials collide too.
        assert_eq!(
            mailbox_local_part("Ngô Nam Thành", None, |s| taken.contains(s)).unwrap(),
            "thanhnn3"
        );
        assert_eq!(
            mailbox_local_part("Nguyễn Ngọc Thành", None, |_| true),
            Err(NameError::Exhausted)
        );
    }

    #[test]
    fn mailbox_errors() {
        assert_eq!(mailbox_base("", None), Err(NameError::Empty));
        assert_eq!(
            mailbox_base("Nguyễn 阮", None),
            Err(NameError::NoAsciiLetters)
        );
    }
}
