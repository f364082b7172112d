//! Inspections (issue 10): the inspectorate's yearly plan, each thanh tra
//! or kiểm tra from its decision to its closing report, the subjects it
//! inspected with their findings, sanctions and follow-ups, and the
//! report's figures counted from them.

pub mod figures;
pub mod plan;
pub mod record;
pub mod subjects;

use serde::{Deserialize, Serialize};

/// The fields of the department's State management an inspection covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Internet,
    EGames,
    Press,
    Publishing,
    Postal,
    Telecom,
    It,
    RadioFrequency,
}

named!(Field {
    Internet => "internet", "Internet";
    EGames => "e_games", "Trò chơi điện tử công cộng";
    Press => "press", "Báo chí";
    Publishing => "publishing", "Xuất bản, in, phát hành";
    Postal => "postal", "Bưu chính";
    Telecom => "telecom", "Viễn thông";
    It => "it", "Công nghệ thông tin";
    RadioFrequency => "radio_frequency", "Tần số vô tuyến điện";
});

/// Why a change to the inspections' records is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("{0}")]
    Missing(&'static str),
    #[error("{0}")]
    DatesOutOfOrder(&'static str),
    #[error("đoàn phải có đúng một trưởng đoàn")]
    NoSingleHead,
    #[error("một người chỉ có mặt một lần trong đoàn")]
    MemberTwice,
    #[error("đối tượng «{0}» đã có trong cuộc thanh tra, kiểm tra này")]
    DuplicateSubject(String),
    #[error("đối tượng không thuộc cuộc thanh tra, kiểm tra này")]
    UnknownSubject,
    #[error("lĩnh vực «{}» không thuộc cuộc thanh tra, kiểm tra này", .0.label())]
    FieldOutside(Field),
    #[error("chỉ xử lý (hoặc yêu cầu khắc phục) khi đối tượng có vi phạm")]
    NoViolation,
    #[error("số tiền phạt phải lớn hơn 0 đồng")]
    FineNotPositive,
    #[error("còn đối tượng chưa có kết luận: {0}")]
    SubjectWithoutFinding(String),
    #[error("cuộc thanh tra, kiểm tra đã kết thúc: không sửa được nữa")]
    Closed,
    #[error("cuộc thanh tra, kiểm tra đang ở trạng thái «{}»: không làm được việc này", .0.label())]
    OutOfTurn(record::Status),
    #[error("tháng dự kiến phải từ 1 đến 12")]
    BadMonth,
    #[error("năm kế hoạch không hợp lệ")]
    BadYear,
    #[error("yêu cầu khắc phục đã được ghi nhận hoàn thành")]
    AlreadyDone,
}

/// `text` in NFC with spaces squashed, or `missing` when nothing is left.
pub(crate) fn required(text: &str, missing: &'static str) -> Result<String, RuleError> {
    let clean = vn::text::squash_spaces(&vn::text::nfc(text));
    if clean.is_empty() {
        Err(RuleError::Missing(missing))
    } else {
        Ok(clean)
    }
}
