//! The one error type of the crate, [`EdxmlError`], with a Vietnamese
//! message for every way a package or status message can be refused.
//!
//! Messages name the element (by its QCVN name, since that is what the other
//! agency's technician will look for in the file) and the offending value, so
//! the reason can be shown to a clerk or logged as it is.

use std::fmt;

/// Why a package or status message could not be written or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EdxmlError {
    #[error("Gói edXML quá lớn: {size} byte, giới hạn là {limit} byte")]
    PackageTooLarge { size: usize, limit: usize },

    #[error("Gói edXML không phải XML hợp lệ: {0}")]
    Xml(String),

    #[error("Gói edXML phải mã hóa UTF-8, không phải «{0}»")]
    Encoding(String),

    /// DTDs are refused outright: entity declarations are how XML bombs
    /// (billion laughs, external entities) work, and edXML needs none.
    #[error("Gói edXML không được chứa khai báo DOCTYPE, DTD hay thực thể (ENTITY)")]
    Doctype,

    #[error("Gói edXML dùng thực thể «&{0};» không có trong XML")]
    UnknownEntity(String),

    #[error("Gói edXML chứa ký tự không được phép trong XML: U+{0:04X}")]
    ForbiddenCharacter(u32),

    #[error("Gói edXML lồng quá {limit} cấp phần tử")]
    TooDeep { limit: usize },

    #[error("Gói edXML có quá {limit} phần tử")]
    TooManyElements { limit: usize },

    #[error("Nội dung phần tử «{element}» dài quá {limit} byte")]
    TextTooLong { element: String, limit: usize },

    #[error(
        "Gói edXML không đúng không gian tên QCVN 102:2016: phần tử gốc «{element}» thuộc {found}, cần «{}»",
        crate::NAMESPACE
    )]
    WrongNamespace { element: String, found: Namespace },

    #[error("Gói edXML phải bắt đầu bằng phần tử «{expected}», không phải «{found}»")]
    WrongRoot {
        expected: &'static str,
        found: String,
    },

    /// The path of the missing element, e.g. `MessageHeader/DocumentId`.
    #[error("Gói edXML thiếu phần tử bắt buộc «{0}»")]
    Missing(String),

    #[error("Phần tử «{0}» xuất hiện nhiều lần trong gói edXML")]
    Duplicate(String),

    #[error("Ngày «{value}» ở «{element}» không đúng dạng yyyy/MM/dd")]
    InvalidDate { element: String, value: String },

    #[error("Thời điểm «{value}» ở «{element}» không đúng dạng yyyy/MM/dd HH:mm:ss")]
    InvalidTimestamp { element: String, value: String },

    #[error("Giá trị «{value}» ở «{element}» không hợp lệ (cần {expected})")]
    InvalidValue {
        element: String,
        value: String,
        expected: &'static str,
    },

    #[error(
        "Mã văn bản «{0}» không đúng dạng «mã định danh cơ quan,yyyy/MM/dd,số/ký hiệu» (ví dụ 000.00.00.G22,2015/09/30,7816/VPCP-TTĐT)"
    )]
    InvalidDocumentId(String),

    #[error("Gói edXML có {count} tệp đính kèm, vượt giới hạn {limit} tệp")]
    TooManyAttachments { count: usize, limit: usize },

    #[error("Tệp đính kèm «{name}» vượt quá giới hạn {} MB", megabytes(*.limit))]
    AttachmentTooLarge { name: String, limit: u64 },

    #[error("Nội dung tệp đính kèm «{name}» không phải base64 hợp lệ: {detail}")]
    InvalidBase64 { name: String, detail: String },

    #[error("Tệp đính kèm «{name}» không phải tệp ZIP đọc được: {detail}")]
    InvalidZip { name: String, detail: String },

    #[error("Tệp ZIP của tệp đính kèm «{name}» phải chứa đúng một tệp, nhưng có {count}")]
    ZipEntryCount { name: String, count: usize },

    #[error("Danh mục edXMLManifest ghi tệp «{0}» nhưng gói không có nội dung của tệp đó")]
    AttachmentMissing(String),

    #[error("Tệp đính kèm «{0}» thiếu nội dung (ContentTransferEncoded)")]
    AttachmentWithoutContent(String),

    #[error("Trường «{field}» chứa ký tự U+{code:04X}, không ghi được vào XML")]
    UnwritableCharacter { field: String, code: u32 },

    #[error("Không nén được tệp đính kèm «{name}»: {detail}")]
    ZipWrite { name: String, detail: String },
}

/// The namespace an element was found in, for [`EdxmlError::WrongNamespace`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Namespace {
    /// No namespace at all (no `xmlns`).
    None,
    /// Some other namespace URI.
    Other(String),
    /// A prefix that no `xmlns:` declares.
    UndeclaredPrefix(String),
}

impl fmt::Display for Namespace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Namespace::None => f.write_str("không gian tên rỗng (thiếu xmlns)"),
            Namespace::Other(uri) => write!(f, "«{uri}»"),
            Namespace::UndeclaredPrefix(prefix) => {
                write!(
                    f,
                    "tiền tố «{prefix}» chưa được khai báo (thiếu xmlns:{prefix})"
                )
            }
        }
    }
}

/// A limit in bytes as megabytes for a message, Vietnamese style: `50`,
/// `0,5` (MiB, since that is what "MB" means to the people reading it).
fn megabytes(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes.is_multiple_of(MIB) {
        return (bytes / MIB).to_string();
    }
    // Two decimals are enough to tell limits apart; comma as decimal mark.
    let hundredths = bytes.saturating_mul(100) / MIB;
    let text = format!("{},{:02}", hundredths / 100, hundredths % 100);
    text.trim_end_matches('0').trim_end_matches(',').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn megabytes_are_written_the_vietnamese_way() {
        for (bytes, text) in [
            (50 * 1024 * 1024, "50"),
            (512 * 1024, "0,5"),
            (1024 * 1024 + 256 * 1024, "1,25"),
            (1000, "0"),
        ] {
            assert_eq!(megabytes(bytes), text, "{bytes}");
        }
    }

    #[test]
    fn the_namespace_message_names_both_namespaces() {
        let error = EdxmlError::WrongNamespace {
            element: "edXML".into(),
            found: Namespace::Other("urn:x".into()),
        };
        let message = error.to_string();
        assert!(message.starts_with("Gói edXML không đúng không gian tên QCVN 102:2016: "));
        assert!(message.contains("«urn:x»"));
        assert!(message.contains(crate::NAMESPACE));
    }
}
