//! Stamps written onto finished PDFs, as one-page PDFs for `pdf::stamp`:
//! the "number/symbol + time" of a copy or an attachment (Decree 30/2020
//! App. I §8: ISO 8601 in Vietnam time, 10 pt, top right of the page) and
//! the plain text the clerk's issue step writes into an approved document
//! (the number "Số: 12/QĐ-STTTT", the date line) in the document's font
//! and size.
//!
//! Invariant: each page is exactly as large as its text (no margins,
//! line boxes from ascender to descender), so the rectangle it is placed
//! in is the text's own.

use std::fmt::Write as _;

use time::OffsetDateTime;

use super::appearance::{Appearance, one_page, page, vietnam};
use super::markup::string;
use crate::Error;
use crate::fonts::Fonts;
pub use crate::layout::HEADER_PT;

/// A copy's stamp size: 10 pt.
pub const COPY_STAMP_PT: f64 = 10.0;

/// `12/QĐ-STTTT 2021-04-05T09:30:00+07:00` in 10 pt: the copy's (or
/// attachment's) number and symbol and the moment it was made.
pub fn copy_stamp(fonts: &Fonts, number: &str, at: OffsetDateTime) -> Result<Appearance, Error> {
    let text = format!("{number} {}", iso_vietnam(at));
    text_stamp(fonts, &[text.as_str()], COPY_STAMP_PT, false)
}

/// `lines` of plain text, left-aligned, in the document's font at `size`
/// points (the header's 13 pt: [`HEADER_PT`]), upright or `italic` (the
/// date line), e.g. `Số: 12/QĐ-STTTT`.
pub fn text_stamp(
    fonts: &Fonts,
    lines: &[&str],
    size: f64,
    italic: bool,
) -> Result<Appearance, Error> {
    let mut source = page(fonts, 0.0, 0.0, size);
    if italic {
        source.push_str("#set text(style: \"italic\")\n");
    }
    stack(source, fonts, lines)
}

/// `at` in ISO 8601 with Vietnam's offset: `2021-04-05T09:30:00+07:00`.
pub fn iso_vietnam(at: OffsetDateTime) -> String {
    let at = at.to_offset(vietnam());
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+07:00",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

fn stack(mut source: String, fonts: &Fonts, lines: &[&str]) -> Result<Appearance, Error> {
    let items: Vec<String> = lines.iter().map(|line| string(line)).collect();
    let _ = writeln!(source, "#stack(spacing: 2pt, {})", items.join(", "));
    one_page(fonts, source, Vec::new())
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn times_are_written_in_vietnam_time() {
        let utc = datetime!(2021-04-05 02:30:00 UTC);
        assert_eq!(iso_vietnam(utc), "2021-04-05T09:30:00+07:00");
        assert_eq!(
            super::super::appearance::vietnam_time(utc),
            "05/04/2021 09:30:00 +07:00"
        );
    }
}
