//! The bytes a signature covers (ISO 32000-1 §12.8.1): `/ByteRange` must
//! be `[0 a b c]` with the gap `a..b` exactly a hex string holding the
//! signature's own `/Contents`, and `b + c` the end of a revision (a
//! `%%EOF` marker), the whole file when the signature is the last thing
//! written. Anything else could leave bytes unsigned that a reader shows.

use lopdf::{Dictionary, Object};

use crate::Limits;
use crate::syntax::hex_decode;
use crate::verify::Problem;

/// A signature's signed bytes, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ranges {
    /// `[0, a, b, c]`.
    pub range: [usize; 4],
    /// The signature's bytes, from the gap.
    pub contents: Vec<u8>,
}

impl Ranges {
    /// Where the revision this signature signs ends.
    pub fn revision_end(&self) -> usize {
        self.range[2] + self.range[3]
    }

    /// The two signed pieces of `bytes`.
    pub fn signed<'a>(&self, bytes: &'a [u8]) -> [&'a [u8]; 2] {
        let [_, a, b, _] = self.range;
        [&bytes[..a], &bytes[b..self.revision_end()]]
    }
}

/// Checks the `/ByteRange` of `signature` against the file `bytes`.
pub(crate) fn check(
    bytes: &[u8],
    signature: &Dictionary,
    limits: &Limits,
) -> Result<Ranges, Problem> {
    let bad = |why: &str| Problem::ByteRange(why.to_owned());
    let Ok(Object::Array(items)) = signature.get(b"ByteRange") else {
        return Err(bad("không có /ByteRange"));
    };
    let numbers: Vec<usize> = items
        .iter()
        .filter_map(|item| item.as_i64().ok().and_then(|n| usize::try_from(n).ok()))
        .collect();
    let [start, a, b, c] = numbers[..] else {
        return Err(bad("phải có đúng bốn số không âm"));
    };
    if start != 0 {
        return Err(bad("không bắt đầu từ đầu tệp"));
    }
    let end = b.checked_add(c).filter(|end| *end <= bytes.len());
    let Some(end) = end else {
        return Err(bad("vượt quá cuối tệp"));
    };
    if a.checked_add(2).is_none_or(|min| min > b) || bytes[a] != b'<' || bytes[b - 1] != b'>' {
        return Err(bad("khoảng trừ ra không phải một chuỗi hex"));
    }
    if (b - a - 2) / 2 > limits.max_signature_bytes {
        return Err(Problem::Cms(format!(
            "chữ ký dài quá {} byte",
            limits.max_signature_bytes
        )));
    }
    let Some(contents) = hex_decode(&bytes[a + 1..b - 1]) else {
        return Err(bad("khoảng trừ ra không phải một chuỗi hex"));
    };
    match signature.get(b"Contents") {
        Ok(Object::String(own, _)) if *own == contents => {}
        _ => return Err(bad("khoảng trừ ra không phải /Contents của chữ ký này")),
    }
    if end < bytes.len() && !bytes[..end].trim_ascii_end().ends_with(b"%%EOF") {
        return Err(bad("không kết thúc ở cuối một phiên bản của tệp (%%EOF)"));
    }
    Ok(Ranges {
        range: [0, a, b, c],
        contents,
    })
}

#[cfg(test)]
mod tests {
    use lopdf::StringFormat;

    use super::*;

    fn signature(range: [i64; 4], contents: &[u8]) -> Dictionary {
        let mut dict = Dictionary::new();
        dict.set(
            "ByteRange",
            Object::Array(range.iter().map(|n| Object::Integer(*n)).collect()),
        );
        dict.set(
            "Contents",
            Object::String(contents.to_vec(), StringFormat::Hexadecimal),
        );
        dict
    }

    #[test]
    fn only_a_range_around_its_own_contents_to_a_revision_end_passes() {
        let file = b"%PDF-1.7 head<0a0b>tail\n%%EOF\nlater";
        let limits = Limits::default();
        let ok = check(file, &signature([0, 13, 19, 11], &[10, 11]), &limits).unwrap();
        assert_eq!(ok.revision_end(), 30);
        assert_eq!(ok.signed(file), [&file[..13], &file[19..30]]);
        let cases: [([i64; 4], &[u8]); 7] = [
            ([1, 12, 19, 11], &[10, 11]),
            ([0, 13, 19, 100], &[10, 11]),
            ([0, 12, 19, 11], &[10, 11]),
            ([0, 13, 19, 11], &[10, 12]),
            ([0, 13, 19, 5], &[10, 11]),
            ([0, 13, 19, -1], &[10, 11]),
            ([0, 19, 13, 11], &[10, 11]),
        ];
        for (range, contents) in cases {
            assert!(
                check(file, &signature(range, contents), &limits).is_err(),
                "{range:?}"
            );
        }
    }
}
