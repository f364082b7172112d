//! ToUnicode CMaps (ISO 32000-1 §9.10.3): owns mapping a font's character
//! codes to text. This is what makes a Typst/krilla PDF (Identity-H CID
//! fonts, codes are glyph ids) or a LibreOffice PDF (subset fonts with
//! their own byte codes) give back "Nguyễn" rather than glyph numbers.
//!
//! Written here rather than taken from lopdf because lopdf's parsed map is
//! not public, and lopdf prefers a font's `/Encoding` over its
//! `/ToUnicode`, while the standard (§9.10.2) and real files want the
//! reverse. Only `bfchar` and `bfrange` matter for text; everything else in
//! the PostScript-like syntax is skipped. Ranges are kept as ranges (a
//! hostile `<0000> <FFFFFFFF>` costs one entry) and looked up by binary
//! search, so the cost per glyph stays logarithmic.

use std::collections::HashMap;

/// The longest destination kept for one code, in UTF-16 units: a ligature
/// maps to a few letters, never to a paragraph.
const MAX_DST_UNITS: usize = 64;

#[derive(Debug, Default)]
pub(crate) struct ToUnicode {
    single: HashMap<u32, String>,
    /// `(first, last, destination)`, sorted by `first`.
    ranges: Vec<(u32, u32, RangeDst)>,
}

#[derive(Debug)]
enum RangeDst {
    /// The first code's text; each next code adds one to its last unit.
    Start(Vec<u16>),
    /// One text per code.
    List(Vec<String>),
}

impl ToUnicode {
    pub(crate) fn parse(data: &[u8]) -> ToUnicode {
        let mut map = ToUnicode::default();
        let mut lexer = Lexer { data, pos: 0 };
        let mut operands: Vec<Token> = Vec::new();
        while let Some(token) = lexer.next() {
            match token {
                Token::Keyword(b"endbfchar") => {
                    for pair in operands.chunks_exact(2) {
                        if let (Token::Hex(src), Token::Hex(dst)) = (&pair[0], &pair[1])
                            && let Some(code) = code(src)
                        {
                            map.single.insert(code, utf16_string(&units(dst)));
                        }
                    }
                    operands.clear();
                }
                Token::Keyword(b"endbfrange") => {
                    for triple in operands.chunks_exact(3) {
                        map.add_range(&triple[0], &triple[1], &triple[2]);
                    }
                    operands.clear();
                }
                Token::Keyword(_) => operands.clear(),
                other => operands.push(other),
            }
        }
        map.ranges.sort_by_key(|r| r.0);
        map
    }

    fn add_range(&mut self, lo: &Token, hi: &Token, dst: &Token) {
        let (Token::Hex(lo), Token::Hex(hi)) = (lo, hi) else {
            return;
        };
        let (Some(lo), Some(hi)) = (code(lo), code(hi)) else {
            return;
        };
        if hi < lo {
            return;
        }
        let dst = match dst {
            Token::Hex(d) => RangeDst::Start(units(d)),
            Token::Array(items) => {
                RangeDst::List(items.iter().map(|d| utf16_string(&units(d))).collect())
            }
            _ => return,
        };
        self.ranges.push((lo, hi, dst));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.single.is_empty() && self.ranges.is_empty()
    }

    /// Appends the text of `code` to `out`; false if the map does not know
    /// the code.
    pub(crate) fn write(&self, code: u32, out: &mut String) -> bool {
        if let Some(s) = self.single.get(&code) {
            out.push_str(s);
            return true;
        }
        // The last range starting at or before the code.
        let i = self.ranges.partition_point(|r| r.0 <= code);
        let Some((lo, hi, dst)) = i.checked_sub(1).and_then(|i| self.ranges.get(i)) else {
            return false;
        };
        if code > *hi {
            return false;
        }
        let offset = code - lo;
        match dst {
            RangeDst::Start(start) => {
                let mut units = start.clone();
                let Some(last) = units.last_mut() else {
                    return false;
                };
                // Only the last unit varies (§9.10.3); a range that would
                // carry out of it is malformed, and those codes stay unknown.
                let Some(v) = u16::try_from(offset).ok().and_then(|o| last.checked_add(o)) else {
                    return false;
                };
                *last = v;
                out.push_str(&utf16_string(&units));
                true
            }
            RangeDst::List(list) => match usize::try_from(offset).ok().and_then(|o| list.get(o)) {
                Some(s) => {
                    out.push_str(s);
                    true
                }
                None => false,
            },
        }
    }
}

/// A source code: 1 to 4 bytes, big-endian.
fn code(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || bytes.len() > 4 {
        return None;
    }
    Some(bytes.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)))
}

fn units(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks_exact(2)
        .take(MAX_DST_UNITS)
        .map(|p| u16::from_be_bytes([p[0], p[1]]))
        .collect()
}

/// UTF-16 to text; unpaired surrogates are dropped.
fn utf16_string(units: &[u16]) -> String {
    char::decode_utf16(units.iter().copied())
        .filter_map(Result::ok)
        .collect()
}

#[derive(Debug)]
enum Token<'a> {
    Hex(Vec<u8>),
    Array(Vec<Vec<u8>>),
    Keyword(&'a [u8]),
    /// Numbers, names, literal strings, dictionaries: operands that never
    /// matter for text but keep pairs and triples aligned.
    Other,
}

struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Lexer<'a> {
    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    fn skip_space_and_comments(&mut self) {
        while let Some(b) = self.peek() {
            if b == b'%' {
                while let Some(b) = self.peek() {
                    if b == b'\n' || b == b'\r' {
                        break;
                    }
                    self.pos += 1;
                }
            } else if b.is_ascii_whitespace() || b == 0 {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn hex(&mut self) -> Vec<u8> {
        // After '<'. Whitespace inside is allowed; an odd digit count means a
        // trailing 0 (ISO 32000-1 §7.3.4.3).
        let mut bytes = Vec::new();
        let mut high: Option<u8> = None;
        while let Some(b) = self.peek() {
            self.pos += 1;
            if b == b'>' {
                break;
            }
            let v = match b {
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => continue,
            };
            match high.take() {
                Some(h) => bytes.push((h << 4) | v),
                None => high = Some(v),
            }
        }
        if let Some(h) = high {
            bytes.push(h << 4);
        }
        bytes
    }

    fn next(&mut self) -> Option<Token<'a>> {
        self.skip_space_and_comments();
        let b = self.peek()?;
        match b {
            b'<' if self.data.get(self.pos + 1) == Some(&b'<') => {
                self.pos += 2;
                Some(Token::Other)
            }
            b'<' => {
                self.pos += 1;
                Some(Token::Hex(self.hex()))
            }
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_space_and_comments();
                    match self.peek() {
                        None => break,
                        Some(b']') => {
                            self.pos += 1;
                            break;
                        }
                        Some(b'<') => {
                            self.pos += 1;
                            items.push(self.hex());
                        }
                        // Not a hex string: the array is not a bfrange
                        // destination; skip the byte.
                        Some(_) => self.pos += 1,
                    }
                }
                Some(Token::Array(items))
            }
            b'(' => {
                // Literal strings do not occur in bfchar/bfrange of real
                // files; skip to the balancing parenthesis.
                let mut depth = 0usize;
                while let Some(c) = self.peek() {
                    self.pos += 1;
                    match c {
                        b'\\' => self.pos += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                Some(Token::Other)
            }
            b'>' | b']' | b')' | b'{' | b'}' => {
                self.pos += 1;
                Some(Token::Other)
            }
            _ => {
                let start = self.pos;
                while let Some(c) = self.peek() {
                    if c.is_ascii_whitespace() || b"<>[](){}/%".contains(&c) && self.pos > start {
                        break;
                    }
                    self.pos += 1;
                }
                let word = self.data.get(start..self.pos).unwrap_or_default();
                if word.first().is_some_and(u8::is_ascii_alphabetic) {
                    Some(Token::Keyword(word))
                } else {
                    Some(Token::Other)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(map: &ToUnicode, codes: &[u32]) -> String {
        let mut s = String::new();
        for c in codes {
            if !map.write(*c, &mut s) {
                s.push('?');
            }
        }
        s
    }

    #[test]
    fn bfchar_and_bfrange_as_typst_and_libreoffice_write_them() {
        let map = ToUnicode::parse(
            br"/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
3 beginbfchar
<0001> <0110>
<0002> <01B0>
<0003> <1EDD006E0067>
endbfchar
2 beginbfrange
<0010> <0012> <0061>
<0020> <0021> [<1EC7> <0020>]
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end",
        );
        assert_eq!(text(&map, &[1, 2, 3]), "Đường");
        assert_eq!(text(&map, &[0x10, 0x11, 0x12, 0x13]), "abc?");
        assert_eq!(text(&map, &[0x20, 0x21, 0x22]), "ệ ?");
    }

    #[test]
    fn hostile_maps_stay_cheap_and_never_panic() {
        let map = ToUnicode::parse(b"beginbfrange <00000000> <FFFFFFFF> <FFFF> endbfrange");
        let mut s = String::new();
        assert!(map.write(0, &mut s));
        assert!(!map.write(5, &mut s), "carry out of the last unit");
        for junk in [
            &b"beginbfchar <01> endbfchar"[..],
            b"beginbfrange <02> <01> <41> endbfrange",
            b"beginbfchar <0102030405> <41> endbfchar",
            b"<<<<[[[(((\\",
            b"beginbfrange <00> <05> [<41> endbfrange",
            b"",
        ] {
            let map = ToUnicode::parse(junk);
            let mut s = String::new();
            for c in 0..8 {
                map.write(c, &mut s);
            }
        }
    }
}
