//! Why a PDF could not be signed or read at all. Problems with one
//! signature of a readable file are not errors but
//! [`crate::verify::Problem`]s in its report.

/// What can go wrong; messages are Vietnamese, for the person who signs or
/// uploads the file.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("tệp PDF quá lớn: {size} byte, tối đa {max} byte")]
    TooLarge { size: usize, max: usize },
    #[error("tệp PDF hỏng: {0}")]
    Malformed(String),
    #[error("tệp PDF được mã hóa; hãy gỡ mật khẩu trước khi ký hoặc kiểm tra")]
    Encrypted,
    #[error("tệp PDF có quá nhiều đối tượng: {count}, tối đa {max}")]
    TooManyObjects { count: usize, max: usize },
    #[error("một luồng dữ liệu trong PDF giải nén ra quá {max} byte")]
    StreamTooLarge { max: usize },
    #[error(
        "biểu mẫu của PDF quá lớn hoặc lồng quá sâu (tối đa {max_fields} trường, {max_depth} cấp)"
    )]
    TooManyFields { max_fields: usize, max_depth: usize },
    #[error("tệp PDF có quá nhiều chữ ký: {count}, tối đa {max}")]
    TooManySignatures { count: usize, max: usize },
    #[error("bộ đọc PDF không đọc được tệp này (lỗi nội bộ của bộ đọc)")]
    ReaderPanicked,
    #[error("tài liệu không có trang {page} (có {pages} trang)")]
    NoSuchPage { page: usize, pages: usize },
    #[error("tài liệu đã có trường tên «{0}»")]
    FieldExists(String),
    #[error("tài liệu không có trường văn bản «{0}» để điền")]
    NoSuchField(String),
    #[error("trường «{0}» của tài liệu đã được điền")]
    FieldFilled(String),
    #[error("chữ ký ({size} byte) không vừa chỗ dành sẵn ({capacity} byte)")]
    SignatureTooLarge { size: usize, capacity: usize },
    #[error("hình hiển thị (chữ ký, con dấu, dấu số) không dùng được: {0}")]
    Appearance(String),
    #[error("chứng thư ký không dùng được: {0}")]
    Certificate(String),
    #[error("dấu thời gian: {0}")]
    Timestamp(String),
    #[error("không có thông tin thu hồi (OCSP hoặc CRL) cho chứng thư «{0}»")]
    Evidence(String),
    #[error("thiếu {0} để ký ở mức này")]
    Missing(&'static str),
    #[error("dữ liệu kiểm tra (DSS) của PDF quá {max} byte")]
    ValidationDataTooLarge { max: usize },
    #[error("không đọc hoặc ghi được tệp: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Pki(#[from] pki::Error),
}

impl From<der::Error> for Error {
    fn from(error: der::Error) -> Self {
        Self::Pki(error.into())
    }
}
