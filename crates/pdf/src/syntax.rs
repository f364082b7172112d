//! Bytes of PDF syntax this crate writes or reads by hand: objects
//! serialised (lopdf's writer), dates (ISO 32000-1 §7.9.4) and hex
//! strings.

use lopdf::{Object, Writer};
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use crate::Error;

/// `object` as PDF syntax.
pub(crate) fn object_bytes(object: &Object) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    Writer::write_object(&mut out, object)
        .map_err(|e| Error::Malformed(format!("không ghi được đối tượng PDF: {e}")))?;
    Ok(out)
}

/// A PDF date string's text, `D:YYYYMMDDHHmmSS+07'00'`, keeping the
/// moment's own offset (a Vietnamese signer's clock says +07'00').
pub(crate) fn date(at: OffsetDateTime) -> String {
    let offset = at.offset();
    let (hours, minutes, _) = offset.as_hms();
    let sign = if offset.is_negative() { '-' } else { '+' };
    format!(
        "D:{:04}{:02}{:02}{:02}{:02}{:02}{sign}{:02}'{:02}'",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        hours.unsigned_abs(),
        minutes.unsigned_abs(),
    )
}

/// The moment a PDF date names. Fields after the year may be left out
/// (they default to the start of the period) and so may the offset (then
/// UTC, as readers take it). `None` for anything else.
pub(crate) fn parse_date(text: &[u8]) -> Option<OffsetDateTime> {
    let text = text.strip_prefix(b"D:").unwrap_or(text);
    let digits = text.iter().take_while(|b| b.is_ascii_digit()).count();
    if !(4..=14).contains(&digits) || !digits.is_multiple_of(2) {
        return None;
    }
    let field = |at: usize, default: u16| -> Option<u16> {
        if at + 2 > digits {
            return Some(default);
        }
        std::str::from_utf8(text.get(at..at + 2)?)
            .ok()?
            .parse()
            .ok()
    };
    let year: i32 = std::str::from_utf8(text.get(..4)?).ok()?.parse().ok()?;
    let month = Month::try_from(u8::try_from(field(4, 1)?).ok()?).ok()?;
    let day = u8::try_from(field(6, 1)?).ok()?;
    let time = Time::from_hms(
        u8::try_from(field(8, 0)?).ok()?,
        u8::try_from(field(10, 0)?).ok()?,
        u8::try_from(field(12, 0)?).ok()?,
    )
    .ok()?;
    let local = PrimitiveDateTime::new(Date::from_calendar_date(year, month, day).ok()?, time);
    let offset = parse_offset(&text[digits..])?;
    Some(local.assume_offset(offset))
}

/// `Z`, `+HH'mm'`, `-HH'mm`, `+HH` or nothing.
fn parse_offset(text: &[u8]) -> Option<UtcOffset> {
    let (sign, rest) = match text.split_first() {
        None | Some((b'Z', _)) => return Some(UtcOffset::UTC),
        Some((b'+', rest)) => (1i8, rest),
        Some((b'-', rest)) => (-1i8, rest),
        Some(_) => return None,
    };
    let two = |bytes: Option<&[u8]>| -> Option<i8> {
        let bytes = bytes?;
        if !bytes.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(bytes).ok()?.parse().ok()
    };
    let hours = two(rest.get(..2))?;
    let minutes = match rest.get(2..) {
        None | Some([] | [b'\'']) => 0,
        Some([b'\'', tail @ ..]) => two(tail.get(..2))?,
        Some(_) => return None,
    };
    UtcOffset::from_hms(sign * hours, sign * minutes, 0).ok()
}

/// Hex digits (either case) to bytes; `None` for an odd count or a
/// non-hex byte.
pub(crate) fn hex_decode(hex: &[u8]) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    hex.chunks_exact(2)
        .map(|pair| {
            let high = char::from(pair[0]).to_digit(16)?;
            let low = char::from(pair[1]).to_digit(16)?;
            u8::try_from(high * 16 + low).ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn dates_are_written_with_their_offset_and_read_back() {
        let at = datetime!(2021-04-30 14:05:09 +07:00);
        assert_eq!(date(at), "D:20210430140509+07'00'");
        assert_eq!(parse_date(date(at).as_bytes()), Some(at));
        let west = datetime!(2021-01-02 03:04:05 -03:30);
        assert_eq!(date(west), "D:20210102030405-03'30'");
        assert_eq!(parse_date(date(west).as_bytes()), Some(west));
    }

    #[test]
    fn partial_and_zoned_dates_are_read_as_readers_do() {
        let cases: [(&[u8], Option<OffsetDateTime>); 8] = [
            (b"D:2021", Some(datetime!(2021-01-01 0:00 UTC))),
            (b"D:20210430", Some(datetime!(2021-04-30 0:00 UTC))),
            (
                b"D:20210430140509Z",
                Some(datetime!(2021-04-30 14:05:09 UTC)),
            ),
            (
                b"20210430140509+07",
                Some(datetime!(2021-04-30 14:05:09 +07:00)),
            ),
            (
                b"D:20210430140509+07'00",
                Some(datetime!(2021-04-30 14:05:09 +07:00)),
            ),
            (b"D:20211330", None),
            (b"D:202104301", None),
            (b"D:20210430140509+7", None),
        ];
        for (text, expected) in cases {
            assert_eq!(
                parse_date(text),
                expected,
                "{}",
                String::from_utf8_lossy(text)
            );
        }
    }

    #[test]
    fn hex_is_decoded_strictly() {
        assert_eq!(hex_decode(b"00fF10"), Some(vec![0, 255, 16]));
        assert_eq!(hex_decode(b"0"), None);
        assert_eq!(hex_decode(b"0g"), None);
        assert_eq!(hex_decode(b""), Some(vec![]));
    }
}
