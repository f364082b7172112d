//! PDF content streams (ISO 32000-1 §7.8.2): owns splitting a page's
//! content into operators and their operands, in bounded memory.
//!
//! Ours rather than lopdf's: lopdf parses each operation's operands into
//! its `Object` tree, about 60 times the bytes for a long run of numbers, and
//! gives up at an inline image with a filter, losing the rest of the page.
//! Here the operand stack keeps only the last few operands (no operator
//! takes more than six), an array keeps only the strings and numbers a
//! `TJ` needs (capped), dictionaries and other operands are skipped
//! without being kept, and an inline image's data is skipped to its `EI`.
//! No recursion anywhere, so no nesting depth can overflow the stack.

/// Operands kept: no operator that matters for text takes more than six;
/// older ones are dropped.
const MAX_OPERANDS: usize = 16;
/// Items kept in one array: a line's `TJ` has tens to hundreds.
const MAX_ARRAY_ITEMS: usize = 1 << 16;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Operand {
    Number(f32),
    Name(Vec<u8>),
    String(Vec<u8>),
    /// The strings and numbers of an array (nested arrays are skipped).
    Array(Vec<Item>),
    /// Dictionaries, booleans, anything text does not need.
    Other,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Item {
    Number(f32),
    String(Vec<u8>),
}

impl Operand {
    pub(crate) fn number(&self) -> Option<f32> {
        match self {
            Operand::Number(n) => Some(*n),
            _ => None,
        }
    }

    pub(crate) fn name(&self) -> Option<&[u8]> {
        match self {
            Operand::Name(n) => Some(n),
            _ => None,
        }
    }

    pub(crate) fn string(&self) -> Option<&[u8]> {
        match self {
            Operand::String(s) => Some(s),
            _ => None,
        }
    }
}

enum Token<'a> {
    Number(f32),
    Name(Vec<u8>),
    String(Vec<u8>),
    ArrayStart,
    ArrayEnd,
    DictStart,
    DictEnd,
    Keyword(&'a [u8]),
    Other,
}

pub(crate) struct Operations<'a> {
    data: &'a [u8],
    pos: usize,
}

fn is_space(b: u8) -> bool {
    matches!(b, 0 | b'\t' | b'\n' | 0x0c | b'\r' | b' ')
}

fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn is_regular(b: u8) -> bool {
    !is_space(b) && !is_delimiter(b)
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

impl<'a> Operations<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Operations { data, pos: 0 }
    }

    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    /// The next operator, with its operands (at most the last
    /// [`MAX_OPERANDS`]) in `operands`; `None` at the end.
    pub(crate) fn next_op(&mut self, operands: &mut Vec<Operand>) -> Option<&'a [u8]> {
        operands.clear();
        let mut array: Option<Vec<Item>> = None;
        // Arrays nested in the array being built, and dictionaries: skipped.
        let mut nested = 0usize;
        let mut dicts = 0usize;
        loop {
            let token = self.token()?;
            if dicts > 0 {
                match token {
                    Token::DictStart => dicts += 1,
                    Token::DictEnd => {
                        dicts -= 1;
                        if dicts == 0 && array.is_none() {
                            push(operands, Operand::Other);
                        }
                    }
                    _ => {}
                }
                continue;
            }
            if let Some(items) = array.as_mut() {
                match token {
                    Token::ArrayStart => nested += 1,
                    Token::ArrayEnd if nested > 0 => nested -= 1,
                    Token::ArrayEnd => {
                        let items = std::mem::take(items);
                        array = None;
                        push(operands, Operand::Array(items));
                    }
                    Token::DictStart => dicts = 1,
                    Token::Number(n) if nested == 0 && items.len() < MAX_ARRAY_ITEMS => {
                        items.push(Item::Number(n));
                    }
                    Token::String(s) if nested == 0 && items.len() < MAX_ARRAY_ITEMS => {
                        items.push(Item::String(s));
                    }
                    _ => {}
                }
                continue;
            }
            match token {
                Token::Number(n) => push(operands, Operand::Number(n)),
                Token::Name(n) => push(operands, Operand::Name(n)),
                Token::String(s) => push(operands, Operand::String(s)),
                Token::ArrayStart => array = Some(Vec::new()),
                Token::DictStart => dicts = 1,
                Token::ArrayEnd
                | Token::DictEnd
                | Token::Other
                | Token::Keyword(b"true" | b"false" | b"null") => push(operands, Operand::Other),
                Token::Keyword(b"BI") => {
                    self.skip_inline_image();
                    operands.clear();
                }
                Token::Keyword(k) => return Some(k),
            }
        }
    }

    /// After `BI`: the image's dictionary up to `ID`, one white-space byte,
    /// then data up to `EI` standing alone (white space before it, white
    /// space or the end after it). The data is binary: it is not tokenised.
    fn skip_inline_image(&mut self) {
        loop {
            match self.token() {
                None => return,
                Some(Token::Keyword(b"ID")) => break,
                Some(_) => {}
            }
        }
        let data = self.data;
        let start = self.pos;
        let mut i = start;
        while let Some(w) = data.get(i..i + 3) {
            if is_space(w[0])
                && w[1] == b'E'
                && w[2] == b'I'
                && data.get(i + 3).is_none_or(|b| is_space(*b))
            {
                self.pos = i + 3;
                return;
            }
            i += 1;
        }
        self.pos = data.len();
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
            } else if is_space(b) {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn token(&mut self) -> Option<Token<'a>> {
        self.skip_space_and_comments();
        let b = self.peek()?;
        Some(match b {
            b'(' => {
                self.pos += 1;
                Token::String(self.literal())
            }
            b'<' if self.data.get(self.pos + 1) == Some(&b'<') => {
                self.pos += 2;
                Token::DictStart
            }
            b'>' if self.data.get(self.pos + 1) == Some(&b'>') => {
                self.pos += 2;
                Token::DictEnd
            }
            b'<' => {
                self.pos += 1;
                Token::String(self.hex())
            }
            b'[' => {
                self.pos += 1;
                Token::ArrayStart
            }
            b']' => {
                self.pos += 1;
                Token::ArrayEnd
            }
            b'/' => {
                self.pos += 1;
                Token::Name(self.name())
            }
            b')' | b'>' | b'{' | b'}' => {
                self.pos += 1;
                Token::Other
            }
            _ => {
                let start = self.pos;
                while self.peek().is_some_and(is_regular) {
                    self.pos += 1;
                }
                let word = self.data.get(start..self.pos).unwrap_or_default();
                match word.first() {
                    Some(b'0'..=b'9' | b'+' | b'-' | b'.') => std::str::from_utf8(word)
                        .ok()
                        .and_then(|s| s.parse::<f32>().ok())
                        .map_or(Token::Other, Token::Number),
                    _ => Token::Keyword(word),
                }
            }
        })
    }

    /// After `(`: up to the balancing `)`, escapes decoded (§7.3.4.2).
    fn literal(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut depth = 0usize;
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'(' => {
                    depth += 1;
                    out.push(b);
                }
                b')' if depth == 0 => break,
                b')' => {
                    depth -= 1;
                    out.push(b);
                }
                b'\\' => {
                    let Some(e) = self.peek() else { break };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(0x08),
                        b'f' => out.push(0x0c),
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        v = v * 8 + u32::from(d - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            // Three octal digits can exceed a byte; the
                            // high bit is ignored (§7.3.4.2).
                            out.push(v.to_le_bytes()[0]);
                        }
                        // A line break after the backslash continues the line.
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        other => out.push(other),
                    }
                }
                _ => out.push(b),
            }
        }
        out
    }

    /// After `<`: hex digits up to `>`, white space ignored, an odd last
    /// digit followed by 0.
    fn hex(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut high: Option<u8> = None;
        while let Some(b) = self.peek() {
            self.pos += 1;
            if b == b'>' {
                break;
            }
            let Some(v) = hex_value(b) else { continue };
            match high.take() {
                Some(h) => out.push((h << 4) | v),
                None => high = Some(v),
            }
        }
        if let Some(h) = high {
            out.push(h << 4);
        }
        out
    }

    /// After `/`: regular characters, `#xx` decoded.
    fn name(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        while let Some(b) = self.peek().filter(|b| is_regular(*b)) {
            self.pos += 1;
            if b == b'#'
                && let (Some(h), Some(l)) = (
                    self.peek().and_then(hex_value),
                    self.data.get(self.pos + 1).copied().and_then(hex_value),
                )
            {
                out.push((h << 4) | l);
                self.pos += 2;
            } else {
                out.push(b);
            }
        }
        out
    }
}

fn push(operands: &mut Vec<Operand>, op: Operand) {
    if operands.len() >= MAX_OPERANDS {
        operands.remove(0);
    }
    operands.push(op);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(data: &[u8]) -> Vec<(String, Vec<Operand>)> {
        let mut it = Operations::new(data);
        let mut operands = Vec::new();
        let mut out = Vec::new();
        while let Some(op) = it.next_op(&mut operands) {
            out.push((String::from_utf8_lossy(op).into_owned(), operands.clone()));
        }
        out
    }

    #[test]
    fn text_operators() {
        let got = ops(b"BT /F1 12 Tf 1 0 0 1 72.5 -.5 Tm (a\\(b\\)\\101\\\nc) Tj [<0041> -250 (x)] TJ ET % done");
        assert_eq!(got[0], ("BT".into(), vec![]));
        assert_eq!(
            got[1],
            (
                "Tf".into(),
                vec![Operand::Name(b"F1".to_vec()), Operand::Number(12.0)]
            )
        );
        assert_eq!(got[2].1.len(), 6);
        assert_eq!(got[2].1[5], Operand::Number(-0.5));
        assert_eq!(
            got[3],
            ("Tj".into(), vec![Operand::String(b"a(b)Ac".to_vec())])
        );
        assert_eq!(
            got[4],
            (
                "TJ".into(),
                vec![Operand::Array(vec![
                    Item::String(vec![0, 0x41]),
                    Item::Number(-250.0),
                    Item::String(b"x".to_vec())
                ])]
            )
        );
        assert_eq!(got[5].0, "ET");
        assert_eq!(got.len(), 6);
    }

    #[test]
    fn inline_images_and_dictionaries_are_skipped() {
        let got = ops(
            b"/P <</MCID 0 /S (x>>)>> BDC BI /W 2 /H 2 /F /Fl ID \x00EI\xffEI\nEI (after) Tj EMC",
        );
        let names: Vec<&str> = got.iter().map(|(op, _)| op.as_str()).collect();
        assert_eq!(names, ["BDC", "Tj", "EMC"]);
        assert_eq!(got[0].1, vec![Operand::Name(b"P".to_vec()), Operand::Other]);
        assert_eq!(got[1].1, vec![Operand::String(b"after".to_vec())]);
    }

    #[test]
    fn hostile_streams_stay_bounded() {
        let numbers = b"1 ".repeat(100_000);
        let got = ops(&[&numbers[..], b"Tj"].concat());
        assert_eq!(got[0].1.len(), MAX_OPERANDS);
        let array = [&b"["[..], &b"1 ".repeat(MAX_ARRAY_ITEMS + 10), b"] TJ"].concat();
        match &ops(&array)[0].1[0] {
            Operand::Array(items) => assert_eq!(items.len(), MAX_ARRAY_ITEMS),
            other => panic!("{other:?}"),
        }
        let deep = [b"[".repeat(100_000), b"]".repeat(100_000), b"TJ".to_vec()].concat();
        assert_eq!(ops(&deep).len(), 1);
        for junk in [
            &b"(((("[..],
            b"<<<<",
            b"[[[",
            b"BI",
            b"BI ID",
            b"\\",
            b"/#",
            b"/#4",
            b"(\\",
            b"<a",
        ] {
            let _ = ops(junk);
        }
    }
}
