//! Finding citations of documents in running text.
//!
//! Owns the pattern `[type] [số] SYMBOL [,] [ngày DATE] [của ISSUER]`, e.g.
//! "Kế hoạch số 20/KH-UBND ngày 09/3/2021 của Ủy ban nhân dân tỉnh".
//! A citation is anchored on a document symbol (one of the four shapes of
//! [`crate::symbols`]); type, date and issuer are taken when present.
//! Invariant: every range is a byte range of the text as given (any
//! normalisation form), on char boundaries, and citations come in text
//! order without overlap.

use std::ops::Range;

use time::Date;
use unicode_normalization::char::is_combining_mark;

use crate::symbols::DocSymbol;
use crate::{dates, doctypes, text};

/// One citation found in text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Citation {
    /// From the type word (or the symbol) to the end of the last part found.
    pub range: Range<usize>,
    /// Canonical type name when the text names it ("Quyết định").
    pub doc_type: Option<&'static str>,
    pub doc_type_range: Option<Range<usize>>,
    pub symbol: DocSymbol,
    pub symbol_range: Range<usize>,
    pub date: Option<Date>,
    pub date_range: Option<Range<usize>>,
    /// Issuer as written after "của", NFC ("Ủy ban nhân dân tỉnh Trà Vinh").
    pub issuer: Option<String>,
    pub issuer_range: Option<Range<usize>>,
}

impl Citation {
    /// The document number.
    pub fn number(&self) -> u32 {
        self.symbol.number
    }
}

/// Words that end an issuer: what follows "của X" in administrative prose
/// ("về việc", "trên địa bàn", "theo", "năm 2022"). Lowercase NFC, not
/// folded: folding would also stop at "Sở" (số) and "Nam" (năm).
const ISSUER_STOP_WORDS: &[&str] = &["về", "trên", "theo", "tại", "trong", "đến", "ngày", "năm"];

/// Longest issuer taken, in words: a guard against a missing stop.
const MAX_ISSUER_WORDS: usize = 16;

/// Finds every citation in `text`.
///
/// ```
/// let t = "Kế hoạch số 20/KH-UBND ngày 09/3/2021 của Ủy ban nhân dân tỉnh về triển khai";
/// let c = &vn::citations::find(t)[0];
/// assert_eq!(c.doc_type, Some("Kế hoạch"));
/// assert_eq!(c.symbol.to_string(), "20/KH-UBND");
/// assert_eq!(c.issuer.as_deref(), Some("Ủy ban nhân dân tỉnh"));
/// assert_eq!(&t[c.range.clone()], "Kế hoạch số 20/KH-UBND ngày 09/3/2021 của Ủy ban nhân dân tỉnh");
/// ```
pub fn find(text: &str) -> Vec<Citation> {
    let mut out: Vec<Citation> = Vec::new();
    let mut prev: Option<char> = None;
    let mut skip_to = 0;
    for (i, c) in text.char_indices() {
        let boundary = !prev.is_some_and(|p| p.is_alphanumeric() || "/-.,".contains(p));
        prev = Some(c);
        if i < skip_to || !c.is_ascii_digit() || !boundary {
            continue;
        }
        let end = symbol_token_end(text, i);
        skip_to = end;
        if let Ok(symbol) = DocSymbol::parse(&text[i..end]) {
            // Nothing before the end of the previous citation belongs to
            // this one, and the scan resumes after all of it: citations
            // never overlap.
            let floor = out.last().map_or(0, |c| c.range.end);
            let citation = complete(text, symbol, i..end, floor);
            skip_to = citation.range.end;
            out.push(citation);
        }
    }
    out
}

/// Whether a document symbol starts at `pos` (an issuer never runs into
/// the next citation's symbol).
fn symbol_starts_at(text: &str, pos: usize) -> bool {
    text[pos..].starts_with(|c: char| c.is_ascii_digit())
        && DocSymbol::parse(&text[pos..symbol_token_end(text, pos)]).is_ok()
}

/// End of the symbol-like token starting at `start`, trailing "-" or "/"
/// excluded.
fn symbol_token_end(text: &str, start: usize) -> usize {
    let mut end = start;
    for (j, c) in text[start..].char_indices() {
        if c.is_alphanumeric() || is_combining_mark(c) || c == '/' || c == '-' {
            end = start + j + c.len_utf8();
        } else {
            break;
        }
    }
    text[start..end].trim_end_matches(['/', '-']).len() + start
}

/// Adds type, date and issuer around a symbol found at `symbol_range`,
/// looking back no further than `floor`.
fn complete(text: &str, symbol: DocSymbol, symbol_range: Range<usize>, floor: usize) -> Citation {
    let mut start = symbol_range.start;
    // Backwards: optional "số", then a type name of up to four words.
    let mut anchor = symbol_range.start;
    if let Some(w) =
        word_before(text, anchor, floor).filter(|w| text::fold(&text[w.clone()]) == "so")
    {
        anchor = w.start;
        start = w.start;
    }
    let doc_type_range = type_before(text, anchor, floor);
    let doc_type = doc_type_range
        .as_ref()
        .and_then(|r| doctypes::by_name(&text[r.clone()]))
        .map(|d| d.name);
    if let Some(r) = &doc_type_range {
        start = r.start;
    }

    // Forwards: optional ", ngày DATE", then optional "của ISSUER".
    let mut end = symbol_range.end;
    let (date, date_range) = match date_after(text, end) {
        Some((date, range)) => {
            end = range.end;
            (Some(date), Some(range))
        }
        None => (None, None),
    };
    let issuer_range = issuer_after(text, end);
    if let Some(r) = &issuer_range {
        end = r.end;
    }
    Citation {
        range: start..end,
        doc_type,
        doc_type_range,
        symbol,
        symbol_range,
        date,
        date_range,
        issuer: issuer_range.as_ref().map(|r| text::nfc(&text[r.clone()])),
        issuer_range,
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Spaces within a line (a citation never spans a line break).
fn is_inline_space(c: char) -> bool {
    c.is_whitespace() && c != '\n' && c != '\r'
}

/// The word ending right before `pos`, across inline spaces only, wholly
/// at or after `floor`.
fn word_before(text: &str, pos: usize, floor: usize) -> Option<Range<usize>> {
    let head = text[..pos].trim_end_matches(is_inline_space);
    let word_start = head
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word_char(c))
        .last()
        .map(|(j, _)| j)?;
    (word_start >= floor).then_some(word_start..head.len())
}

/// The word starting at `pos` after inline spaces, with `extra` chars
/// allowed inside it.
fn word_after(text: &str, pos: usize, extra: &[char]) -> Option<Range<usize>> {
    let rest = &text[pos..];
    let start = pos + (rest.len() - rest.trim_start_matches(is_inline_space).len());
    let len: usize = text[start..]
        .chars()
        .take_while(|&c| is_word_char(c) || extra.contains(&c))
        .map(char::len_utf8)
        .sum();
    (len > 0).then(|| start..start + len)
}

/// The longest type name (up to four words) ending at `pos`, starting at
/// or after `floor`.
fn type_before(text: &str, pos: usize, floor: usize) -> Option<Range<usize>> {
    let mut words = Vec::new();
    let mut at = pos;
    while words.len() < 4 {
        let Some(w) = word_before(text, at, floor) else {
            break;
        };
        at = w.start;
        words.push(w);
    }
    let end = words.first()?.end;
    (1..=words.len()).rev().find_map(|k| {
        let start = words[k - 1].start;
        doctypes::by_name(&text[start..end]).map(|_| start..end)
    })
}

/// Whether a type name starts at `pos` (used to stop an issuer before
/// "và Quy định số ...").
fn type_starts_at(text: &str, pos: usize) -> bool {
    let mut end = pos;
    for _ in 0..4 {
        let Some(w) = word_after(text, end, &[]) else {
            return false;
        };
        end = w.end;
        if doctypes::by_name(&text[pos..end]).is_some() {
            return true;
        }
    }
    false
}

/// ", ngày 09/3/2021" or " ngày 07 tháng 4 năm 2021" right after `pos`;
/// returns the date and the range of its digits.
fn date_after(text: &str, pos: usize) -> Option<(Date, Range<usize>)> {
    let rest = text[pos..].trim_start_matches(is_inline_space);
    let mut at = pos + (text[pos..].len() - rest.len());
    if rest.starts_with(',') {
        at += 1;
    }
    let ngay = word_after(text, at, &[])?;
    if text::fold(&text[ngay.clone()]) != "ngay" {
        return None;
    }
    let short = word_after(text, ngay.end, &['/'])?;
    if let Ok(date) = dates::parse_short(&text[short.clone()]) {
        return Some((date, short));
    }
    // Long form: five more words after "ngày".
    let mut end = ngay.end;
    for _ in 0..5 {
        end = word_after(text, end, &[])?.end;
    }
    let date = dates::parse_long(&text[ngay.start..end]).ok()?;
    Some((date, short.start..end))
}

/// "của ISSUER" right after `pos`; returns the issuer's range.
fn issuer_after(text: &str, pos: usize) -> Option<Range<usize>> {
    let cua = word_after(text, pos, &[])?;
    if text::fold(&text[cua.clone()]) != "cua" {
        return None;
    }
    let mut words: Vec<Range<usize>> = Vec::new();
    let mut at = cua.end;
    while words.len() < MAX_ISSUER_WORDS {
        let Some(w) = word_after(text, at, &['-', '&']) else {
            break;
        };
        // Only spaces may separate issuer words: punctuation ends it.
        if !text[at..w.start].chars().all(is_inline_space) {
            break;
        }
        let word = text::nfc(&text[w.clone()]).to_lowercase();
        if ISSUER_STOP_WORDS.contains(&word.as_str())
            || type_starts_at(text, w.start)
            || symbol_starts_at(text, w.start)
        {
            break;
        }
        at = w.end;
        words.push(w);
    }
    // "của Bộ Chính trị và Quy định số ...": the "và" joins citations.
    while words
        .last()
        .is_some_and(|w| text::fold(&text[w.clone()]) == "va")
    {
        words.pop();
    }
    Some(words.first()?.start..words.last()?.end)
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    /// Inputs found by fuzzing: citations must not overlap.
    #[test]
    fn citations_never_overlap() {
        for t in [
            "Công văn số 906/UBND-KGVX của Tỉnh ủy 68-CV/TU",
            "0/TB-Thông báo 1/TB-A",
            "0/A-B-số 1-C/D",
            "0/H-U của 6-Q/T",
        ] {
            let cs = find(t);
            for pair in cs.windows(2) {
                assert!(pair[0].range.end <= pair[1].range.start, "{t}: {cs:?}");
            }
        }
        let cs = find("Công văn số 906/UBND-KGVX của Tỉnh ủy 68-CV/TU");
        assert_eq!(cs.len(), 2);
        assert_eq!(cs[0].issuer.as_deref(), Some("Tỉnh ủy"));
        assert_eq!(cs[1].symbol.to_string(), "68-CV/TU");
    }

    #[test]
    fn single_citation_parts() {
        let t = "theo Quyết định số 437/QĐ-UBND ngày 04/3/2021 của Ủy ban nhân dân tỉnh Trà Vinh về việc";
        let cs = find(t);
        assert_eq!(cs.len(), 1);
        let c = &cs[0];
        assert_eq!(c.doc_type, Some("Quyết định"));
        assert_eq!(&t[c.doc_type_range.clone().unwrap()], "Quyết định");
        assert_eq!(c.number(), 437);
        assert_eq!(&t[c.symbol_range.clone()], "437/QĐ-UBND");
        assert_eq!(c.date, Some(date!(2021 - 03 - 04)));
        assert_eq!(&t[c.date_range.clone().unwrap()], "04/3/2021");
        assert_eq!(c.issuer.as_deref(), Some("Ủy ban nhân dân tỉnh Trà Vinh"));
        assert_eq!(
            &t[c.range.clone()],
            "Quyết định số 437/QĐ-UBND ngày 04/3/2021 của Ủy ban nhân dân tỉnh Trà Vinh"
        );
    }

    #[test]
    fn comma_before_date_and_long_form() {
        let t = "Quy định số 4495-QĐ/TU, ngày 10/4/2019 của Tỉnh ủy về “Trách nhiệm”";
        let c = &find(t)[0];
        assert_eq!(
            (c.date, c.issuer.as_deref()),
            (Some(date!(2019 - 04 - 10)), Some("Tỉnh ủy"))
        );
        let t =
            "Thông báo số 05/TB-STTTT ngày 07 tháng 4 năm 2021 của Sở Thông tin và Truyền thông.";
        let c = &find(t)[0];
        assert_eq!(c.date, Some(date!(2021 - 04 - 07)));
        assert_eq!(&t[c.date_range.clone().unwrap()], "07 tháng 4 năm 2021");
        assert_eq!(c.issuer.as_deref(), Some("Sở Thông tin và Truyền thông"));
    }

    #[test]
    fn bare_symbol_and_no_false_positives() {
        let t = "trong tháng 4/2021, quý I/2021, 27 phút/ngày, giai đoạn 2021-2025, số 4495, 4842; xem 906/UBND-KGVX.";
        let cs = find(t);
        assert_eq!(cs.len(), 1);
        assert_eq!((cs[0].doc_type, cs[0].issuer.as_deref()), (None, None));
        assert_eq!(&t[cs[0].range.clone()], "906/UBND-KGVX");
    }

    #[test]
    fn nfd_text_keeps_byte_ranges() {
        let t = "Quye\u{0302}\u{0301}t \u{111}i\u{0323}nh so\u{0302}\u{0301} 411/Q\u{110}-TTg nga\u{300}y 24/3/2020";
        let c = &find(t)[0];
        assert_eq!(c.doc_type, Some("Quyết định"));
        assert_eq!(c.range, 0..t.len());
        assert_eq!(c.symbol.to_string(), "411/QĐ-TTg");
    }
}
