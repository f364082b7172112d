//! The blanks an issuing clerk fills in on a document the leader signed:
//! the number line ("Số:      /QĐ-STTTT") and the date line ("Trà Vinh,
//! ngày   tháng   năm 2026") the drafter left empty on page 1, because
//! the number is allocated only at issue (Decree 30/2020 art. 15).
//!
//! Before the leader signs, [`blanks`] finds them (the page's printed
//! lines, from `textract`) and puts an empty text field over each
//! (`pdf::form`); at issue, [`fills`] gives what goes in them, the number
//! and symbol and the issue date, in the document's serif at the line's
//! size (the date in italic, as Decree 30 lays it out). Filling a field
//! the signed revision already had is form filling, which keeps the
//! leader's signature valid; writing on the page would break it.
//!
//! A file without such lines (a layout of its own, a scan) gets one field
//! at the top right of page 1 instead, for "number/symbol date", where
//! Decree 30 App. I §8 puts the number on electronic copies.

use time::Date;

use crate::AppError;

/// The field over the number line (or the top-right one).
pub(crate) const NUMBER_FIELD: &str = "SoVanBan";
/// The field over the date line.
pub(crate) const DATE_FIELD: &str = "NgayBanHanh";

/// The top-right field when there is no number line: as wide as a long
/// number, symbol and date at 10 pt, in the top margin (20 mm).
const TOP_RIGHT_WIDTH: f64 = 260.0;
const TOP_RIGHT_HEIGHT: f64 = 14.0;
const MARGIN_RIGHT: f64 = 15.0 * 72.0 / 25.4;
const MARGIN_TOP: f64 = 20.0 * 72.0 / 25.4;
/// Size of the top-right text: Decree 30 App. I §8's 10 pt.
const TOP_RIGHT_PT: f64 = 10.0;

/// A blank line found on page 1.
#[derive(Debug, Clone, PartialEq)]
struct Blank {
    /// The text before the blank ("Số:", "Trà Vinh,"): kept in the filled
    /// line.
    before: String,
    rect: [f64; 4],
    size: f64,
}

/// What page 1 of a file has to fill in.
#[derive(Debug, Default)]
struct Found {
    number: Option<Blank>,
    date: Option<Blank>,
    /// Page 1's box: x0, y0, x1, y1.
    page: [f64; 4],
}

/// The empty fields to add to `pdf` before the leader signs it.
pub(crate) fn blanks(pdf: &[u8]) -> Result<Vec<pdf::TextField>, AppError> {
    let found = find(pdf)?;
    let field = |name: &str, rect| pdf::TextField {
        name: name.to_owned(),
        page: 1,
        rect,
    };
    let Some(number) = &found.number else {
        // Right-aligned on the right margin, centred in the top one.
        let right = found.page[2] - MARGIN_RIGHT;
        let top = found.page[3] - (MARGIN_TOP - TOP_RIGHT_HEIGHT) / 2.0;
        return Ok(vec![field(
            NUMBER_FIELD,
            [right - TOP_RIGHT_WIDTH, top - TOP_RIGHT_HEIGHT, right, top],
        )]);
    };
    let mut fields = vec![field(NUMBER_FIELD, number.rect)];
    if let Some(date) = &found.date {
        fields.push(field(DATE_FIELD, date.rect));
    }
    Ok(fields)
}

/// What goes into the empty fields of `signed` (a PDF with the fields
/// [`blanks`] added): `symbol` ("12/QĐ-STTTT") and `day`.
pub(crate) fn fills(
    signed: &[u8],
    empty: &[String],
    symbol: &str,
    day: Date,
) -> Result<Vec<pdf::Fill>, AppError> {
    let fonts = crate::printout::fonts()?;
    let found = find(signed)?;
    let mut fills = Vec::new();
    let mut fill = |name: &str, value: String, size: f64, italic: bool| -> Result<(), AppError> {
        let form = render::pdf::stamps::text_stamp(fonts, &[value.as_str()], size, italic)
            .map_err(|e| AppError::Internal(format!("dấu số văn bản: {e}")))?;
        fills.push(pdf::Fill {
            name: name.to_owned(),
            value,
            form: form.pdf,
        });
        Ok(())
    };
    for name in empty {
        match (name.as_str(), &found.number, &found.date) {
            (NUMBER_FIELD, Some(number), _) => fill(
                NUMBER_FIELD,
                format!("{} {symbol}", number.before),
                number.size,
                false,
            )?,
            (NUMBER_FIELD, None, _) => fill(
                NUMBER_FIELD,
                format!("{symbol} {}", vn::dates::format_short(day)),
                TOP_RIGHT_PT,
                false,
            )?,
            (DATE_FIELD, _, Some(date)) => fill(
                DATE_FIELD,
                format!("{} {}", date.before, vn::dates::format_long(day))
                    .trim()
                    .to_owned(),
                date.size,
                true,
            )?,
            _ => {}
        }
    }
    Ok(fills)
}

fn find(pdf: &[u8]) -> Result<Found, AppError> {
    let limits = textract::Limits::default();
    let pages = textract::pdf_lines(pdf, &limits)
        .map_err(|e| AppError::Invalid(format!("Không đọc được chữ trong tệp PDF: {e}")))?;
    let lines = pages.into_iter().next().unwrap_or_default();
    let page = pdf::page_box(pdf, 1, &pdf::Limits::default())?;
    // The header is in the top half of the page.
    let middle = f64::midpoint(page[1], page[3]);
    let top: Vec<&textract::Line> = lines
        .iter()
        .filter(|line| f64::from(line.baseline) > middle)
        .collect();
    Ok(Found {
        number: top.iter().find_map(|line| number_blank(line)),
        date: top.iter().find_map(|line| date_blank(line)),
        page,
    })
}

/// "Số:      /QĐ-STTTT", "Số: ……/KH-UBND": the number not written yet.
fn number_blank(line: &textract::Line) -> Option<Blank> {
    let rest = line
        .text
        .strip_prefix("Số")?
        .trim_start()
        .strip_prefix(':')?;
    let blank = rest.trim_start().starts_with(['/', '.', '…', '_']);
    blank.then(|| placed(line, "Số:"))
}

/// "Trà Vinh, ngày   tháng   năm 2026": the day not written yet.
fn date_blank(line: &textract::Line) -> Option<Blank> {
    let at = line.text.find("ngày")?;
    let rest = line.text[at + "ngày".len()..].trim_start();
    let blank = rest.starts_with("tháng") || rest.starts_with(['.', '…', '_']);
    (blank && rest.contains("năm")).then(|| placed(line, line.text[..at].trim_end()))
}

/// The blank's rectangle: the whole line, from a little below its
/// baseline (descenders) to a little above its ascenders, so the filled
/// text's white ground hides what the drafter wrote there.
fn placed(line: &textract::Line, before: &str) -> Blank {
    let size = f64::from(line.size);
    let baseline = f64::from(line.baseline);
    Blank {
        before: before.to_owned(),
        rect: [
            f64::from(line.x0) - 2.0,
            baseline - 0.3 * size,
            f64::from(line.x1) + 2.0,
            baseline + size,
        ],
        size,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> textract::Line {
        textract::Line {
            text: text.into(),
            x0: 100.0,
            x1: 200.0,
            baseline: 700.0,
            size: 13.0,
        }
    }

    #[test]
    fn blanks_are_told_from_written_lines() {
        let number = number_blank(&line("Số: /QĐ-STTTT")).unwrap();
        assert_eq!(number.before, "Số:");
        let expected = [98.0, 696.1, 202.0, 713.0];
        assert!(
            number
                .rect
                .iter()
                .zip(expected)
                .all(|(got, want)| (got - want).abs() < 1e-9),
            "{:?}",
            number.rect
        );
        assert!(number_blank(&line("Số : ……/KH-UBND")).is_some());
        assert!(number_blank(&line("Số: 12/QĐ-STTTT")).is_none());
        assert!(number_blank(&line("Số điện thoại: 0294")).is_none());

        let date = date_blank(&line("Trà Vinh, ngày tháng năm 2026")).unwrap();
        assert_eq!(date.before, "Trà Vinh,");
        assert!(date_blank(&line("Trà Vinh, ngày …… tháng …… năm 2026")).is_some());
        assert!(date_blank(&line("Trà Vinh, ngày 05 tháng 5 năm 2026")).is_none());
        assert!(date_blank(&line("căn cứ ngày làm việc")).is_none());
    }
}
