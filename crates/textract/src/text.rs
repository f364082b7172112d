//! The text being built: owns whitespace squashing, the output bound and the
//! final NFC. Both readers write through [`Writer`], so the shape of the
//! output (one line per paragraph, single separators, no control
//! characters) is decided in one place.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Characters kept past the bound before NFC: composing can only shorten
/// the text, and the few that NFC expands are rare, so a small margin lets
/// the cut happen on the normalised text.
const NFC_MARGIN: usize = 64;

/// Separator waiting for the next visible character: written only between
/// two words of one line, so no line starts or ends with one.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pending {
    None,
    Space,
    Tab,
}

pub(crate) struct Writer {
    out: String,
    chars: usize,
    cap: usize,
    max_chars: usize,
    line_empty: bool,
    pending: Pending,
}

impl Writer {
    pub(crate) fn new(max_chars: usize) -> Self {
        Writer {
            out: String::new(),
            chars: 0,
            cap: max_chars.saturating_add(NFC_MARGIN),
            max_chars,
            line_empty: true,
            pending: Pending::None,
        }
    }

    /// True once the bound is reached: the readers stop early, which is
    /// also what keeps a document of endless text from costing endless time.
    pub(crate) fn is_full(&self) -> bool {
        self.chars >= self.cap
    }

    pub(crate) fn push_str(&mut self, s: &str) {
        for c in s.chars() {
            self.push(c);
        }
    }

    pub(crate) fn push(&mut self, c: char) {
        match c {
            '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{0b}' | '\u{0c}' => self.newline(),
            '\t' => self.tab(),
            // Invisible: soft hyphen, zero-width space and joiners, BOM, and
            // the replacement character a reader writes for an unmapped glyph.
            '\u{ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{fffd}' => {}
            c if c.is_whitespace() => self.space(),
            c if c.is_control() => {}
            c => {
                if self.is_full() {
                    return;
                }
                if !self.line_empty {
                    match self.pending {
                        Pending::None => {}
                        Pending::Space => self.put(' '),
                        Pending::Tab => self.put('\t'),
                    }
                }
                self.pending = Pending::None;
                self.line_empty = false;
                self.put(c);
            }
        }
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.chars += 1;
    }

    /// A word boundary (unless one is already pending or the line is empty).
    pub(crate) fn space(&mut self) {
        if self.pending == Pending::None {
            self.pending = Pending::Space;
        }
    }

    /// A tab: wins over a space in the same run of whitespace.
    pub(crate) fn tab(&mut self) {
        self.pending = Pending::Tab;
    }

    /// Ends the line; empty lines are not written.
    pub(crate) fn newline(&mut self) {
        if !self.line_empty && !self.is_full() {
            self.put('\n');
        }
        self.line_empty = true;
        self.pending = Pending::None;
    }

    /// The text: NFC, cut to the bound without separating a letter from
    /// its combining marks, without a trailing newline.
    pub(crate) fn finish(self) -> String {
        let nfc: String = self.out.nfc().collect();
        let mut end = nfc.len();
        if let Some((cut, _)) = nfc.char_indices().nth(self.max_chars) {
            // Back off over marks so "ệ" is not cut to "e" plus nothing
            // (only matters where NFC left a mark uncomposed).
            let mut at = cut;
            while let Some(c) = nfc[..at].chars().next_back() {
                if nfc[at..].chars().next().is_some_and(is_combining_mark) {
                    at -= c.len_utf8();
                } else {
                    break;
                }
            }
            end = at;
        }
        let mut text = nfc;
        text.truncate(end);
        let kept = text.trim_end_matches(['\n', ' ', '\t']).len();
        text.truncate(kept);
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(max: usize, f: impl FnOnce(&mut Writer)) -> String {
        let mut w = Writer::new(max);
        f(&mut w);
        w.finish()
    }

    #[test]
    fn squashes_whitespace_and_drops_empty_lines() {
        let got = run(100, |w| {
            w.push_str("  Kế   hoạch \u{a0} số\n\n\n  1  \r\n");
            w.push_str("a\t \tb  c");
        });
        assert_eq!(got, "Kế hoạch số\n1\na\tb c");
    }

    #[test]
    fn drops_controls_and_invisible_characters() {
        let got = run(100, |w| {
            w.push_str("chuyển\u{ad} đổi\u{0}\u{fffd} số\u{200b}");
        });
        assert_eq!(got, "chuyển đổi số");
    }

    #[test]
    fn output_is_nfc() {
        // "Nguyễn" with decomposed marks (e + circumflex + tilde).
        let got = run(100, |w| w.push_str("Nguye\u{302}\u{303}n"));
        assert_eq!(got, "Nguyễn");
    }

    #[test]
    fn cuts_at_the_bound_on_a_char_boundary() {
        let got = run(5, |w| w.push_str("Điện tử"));
        assert_eq!(got, "Điện");
        assert_eq!(run(3, |w| w.push_str("Đườ")), "Đườ");
        assert_eq!(run(0, |w| w.push_str("abc")), "");
    }

    #[test]
    fn the_cut_keeps_marks_with_their_letter() {
        // U+1E9B has no composition with the dot below: NFC leaves a mark.
        let got = run(2, |w| w.push_str("a\u{1e9b}\u{323}b"));
        assert_eq!(got, "a");
    }
}
