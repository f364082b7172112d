//! Why a file gave no text. Owns [`ExtractError`] and its messages, which
//! are shown to the staff member who uploaded the file, hence Vietnamese.
//! The technical detail from a parser (English) stays after the colon for
//! the log.

use crate::Kind;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    #[error("Tệp rỗng: không có nội dung để đọc.")]
    Empty,

    #[error("Tệp quá lớn để đọc nội dung: {size} byte, giới hạn {max} byte.")]
    TooLarge { size: usize, max: usize },

    /// The PDF could not be parsed: bad header, broken structure, no pages.
    #[error("Tệp PDF bị hỏng hoặc không đọc được: {0}")]
    PdfMalformed(String),

    /// The PDF is encrypted with a password we do not have.
    #[error("Tệp PDF được mã hóa (có mật khẩu), không đọc được nội dung.")]
    PdfEncrypted,

    #[error("Tệp PDF có {pages} trang, vượt quá giới hạn {max} trang.")]
    PdfTooManyPages { pages: usize, max: usize },

    /// One stream inflates past [`crate::Limits::max_pdf_stream_bytes`].
    #[error("Tệp PDF vượt quá giới hạn giải nén ({max} byte cho một luồng dữ liệu).")]
    PdfStreamTooLarge { max: usize },

    /// The pages' content adds up past [`crate::Limits::max_pdf_content_bytes`].
    #[error("Tệp PDF có nội dung trang quá lớn (hơn {max} byte sau giải nén).")]
    PdfContentTooLarge { max: usize },

    /// Not a zip archive, a damaged one, an encrypted entry, bad XML.
    #[error("Tệp DOCX bị hỏng hoặc không đọc được: {0}")]
    DocxMalformed(String),

    /// A zip archive, but not a Word document.
    #[error("Tệp DOCX không có phần nội dung word/document.xml (không phải văn bản Word).")]
    DocxNoDocument,

    /// A part inflates past [`crate::Limits::max_zip_entry_bytes`] (zip bomb).
    #[error("Tệp DOCX vượt quá giới hạn giải nén: phần {part} lớn hơn {max} byte.")]
    DocxPartTooLarge { part: String, max: usize },

    /// A part declares a DTD. WordprocessingML never has one; it is how
    /// entity-expansion bombs ("billion laughs") are built.
    #[error("Tệp DOCX bị từ chối: phần {part} có khai báo DOCTYPE (có thể là bom XML).")]
    DocxDoctype { part: String },

    #[error("Tệp DOCX bị từ chối: phần {part} lồng thẻ XML sâu quá {max} mức.")]
    DocxTooDeep { part: String, max: usize },

    /// A third-party reader panicked on this file; the panic was contained.
    #[error("Tệp {} bị hỏng hoặc không đọc được: bộ đọc gặp lỗi nội bộ.", kind.name())]
    ReaderPanicked { kind: Kind },
}
