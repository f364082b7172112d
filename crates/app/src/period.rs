//! A report's period: the days `from` to `to`, both included, on
//! Vietnam's calendar. Every figures use case takes one; this is where it
//! is checked and turned into the moments that bound it, so that all
//! areas refuse a reversed period with the same words and count a day
//! from midnight in Vietnam, not in UTC.

use time::{Date, OffsetDateTime};

use crate::AppError;

/// `(from, to)` as given, or the refusal of a period that ends before it
/// begins.
pub fn checked((from, to): (Date, Date)) -> Result<(Date, Date), AppError> {
    if to < from {
        return Err(AppError::Invalid(
            "Ngày cuối kỳ không được trước ngày đầu kỳ".into(),
        ));
    }
    Ok((from, to))
}

/// The moments `[from's midnight, the midnight after to)`, Vietnam time.
pub fn moments(period: (Date, Date)) -> Result<(OffsetDateTime, OffsetDateTime), AppError> {
    let (from, to) = checked(period)?;
    let after = to
        .next_day()
        .ok_or_else(|| AppError::Invalid("Ngày cuối kỳ không hợp lệ".into()))?;
    Ok((
        vn::dates::vietnam_day_start(from),
        vn::dates::vietnam_day_start(after),
    ))
}
