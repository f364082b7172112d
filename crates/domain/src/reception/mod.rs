//! Citizen reception and petitions (tiếp công dân, xử lý đơn; issue 10):
//! the periodic reception days a leader holds, the visits officers
//! record, the petitions received and their life up to the answer, their
//! legal deadlines in working days, who may see the petitioners' personal
//! data, and the report's figures.

pub mod days;
pub mod deadlines;
pub mod figures;
pub mod parties;
pub mod petitions;
pub mod visits;

/// Why a reception record cannot be made or changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReceptionError {
    #[error("Cần ghi {0}")]
    Missing(&'static str),
    #[error("{0} không hợp lệ: «{1}»")]
    Malformed(&'static str, String),
    #[error("{later} ({later_on}) không được trước {earlier} ({earlier_on})")]
    OutOfOrder {
        later: &'static str,
        later_on: String,
        earlier: &'static str,
        earlier_on: String,
    },
    #[error("Ngày {0} chưa đến: không ghi trước sự việc")]
    InFuture(String),
    #[error("Đang ở trạng thái «{state}», không thể «{action}»")]
    WrongState {
        state: &'static str,
        action: &'static str,
    },
    #[error("{0}")]
    Rule(String),
}

/// A date as people read it, for the messages.
fn shown(date: time::Date) -> String {
    vn::dates::format_short(date)
}

/// Fails unless `later` is on or after `earlier`.
pub fn in_order(
    (earlier, earlier_on): (&'static str, time::Date),
    (later, later_on): (&'static str, time::Date),
) -> Result<(), ReceptionError> {
    if later_on < earlier_on {
        return Err(ReceptionError::OutOfOrder {
            later,
            later_on: shown(later_on),
            earlier,
            earlier_on: shown(earlier_on),
        });
    }
    Ok(())
}

/// Fails when `day` is after `today`: records say what happened.
pub fn not_future(day: time::Date, today: time::Date) -> Result<(), ReceptionError> {
    if day > today {
        return Err(ReceptionError::InFuture(shown(day)));
    }
    Ok(())
}

/// Tidies a free text and fails when it is empty.
pub fn required(text: &str, what: &'static str) -> Result<String, ReceptionError> {
    let text = vn::text::squash_spaces(&vn::text::nfc(text));
    if text.is_empty() {
        Err(ReceptionError::Missing(what))
    } else {
        Ok(text)
    }
}
