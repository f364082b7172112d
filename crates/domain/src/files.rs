//! Files people hand to egov: what they really are and whether to take them,
//! and the guards for reading a workbook from outside (its ZIP inflated
//! under a bound, its cells as text).
//!
//! Invariant: a file's type is decided from its bytes, never from the name
//! or the type the client claims, and a client's file name is only ever
//! shown back, never used as a path.

use serde::{Deserialize, Serialize};

/// The kinds of file egov accepts somewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaType {
    Pdf,
    /// Office Open XML (DOCX, XLSX): a ZIP with `[Content_Types].xml`.
    OfficeOpenXml,
    Zip,
    Png,
    Jpeg,
    Xml,
    /// UTF-8 text with no control characters but tab and line breaks.
    Text,
}

impl MediaType {
    /// The MIME type sent back with the file.
    pub fn mime(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::OfficeOpenXml => "application/vnd.openxmlformats-officedocument",
            Self::Zip => "application/zip",
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Xml => "application/xml",
            Self::Text => "text/plain; charset=utf-8",
        }
    }

    /// The stable name used in storage.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::OfficeOpenXml => "ooxml",
            Self::Zip => "zip",
            Self::Png => "png",
            Self::Jpeg => "jpeg",
            Self::Xml => "xml",
            Self::Text => "text",
        }
    }

    /// Reads a stored name back.
    pub fn from_name(name: &str) -> Option<Self> {
        [
            Self::Pdf,
            Self::OfficeOpenXml,
            Self::Zip,
            Self::Png,
            Self::Jpeg,
            Self::Xml,
            Self::Text,
        ]
        .into_iter()
        .find(|t| t.as_str() == name)
    }
}

/// Decides what a file is from its first bytes (the whole file for text).
pub fn sniff(bytes: &[u8]) -> Option<MediaType> {
    if bytes.starts_with(b"%PDF-") {
        return Some(MediaType::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        // An OOXML package names its content-types part among the first
        // entries; scanning the head is enough to tell it from a plain ZIP.
        let head = &bytes[..bytes.len().min(64 * 1024)];
        let is_ooxml = head.windows(19).any(|w| w == b"[Content_Types].xml");
        return Some(if is_ooxml {
            MediaType::OfficeOpenXml
        } else {
            MediaType::Zip
        });
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(MediaType::Png);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(MediaType::Jpeg);
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return None;
    }
    if text.trim_start().starts_with("<?xml") {
        Some(MediaType::Xml)
    } else {
        Some(MediaType::Text)
    }
}

/// Whether a file is a PDF carrying a digital signature (a signature
/// dictionary with its `/ByteRange`). This says the document was signed,
/// not that the signature is valid: verifying it is the signature area's.
pub fn carries_pdf_signature(bytes: &[u8]) -> bool {
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    bytes.starts_with(b"%PDF-") && has(b"/ByteRange") && (has(b"/Type /Sig") || has(b"/Type/Sig"))
}

/// What one kind of upload accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadPolicy {
    pub max_bytes: u64,
    pub allowed: &'static [MediaType],
}

/// Why an upload is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UploadError {
    #[error("Tệp rỗng")]
    Empty,
    #[error("Tệp quá lớn: {size} byte, tối đa {max} byte")]
    TooLarge { size: u64, max: u64 },
    #[error("Loại tệp không được chấp nhận")]
    TypeNotAllowed,
}

impl UploadPolicy {
    /// Checks a whole file against the policy and returns its type.
    pub fn check(&self, bytes: &[u8]) -> Result<MediaType, UploadError> {
        let size = bytes.len() as u64;
        if size == 0 {
            return Err(UploadError::Empty);
        }
        if size > self.max_bytes {
            return Err(UploadError::TooLarge {
                size,
                max: self.max_bytes,
            });
        }
        sniff(bytes)
            .filter(|t| self.allowed.contains(t))
            .ok_or(UploadError::TypeNotAllowed)
    }
}

/// Invisible formatting characters: bidirectional overrides and isolates
/// (which can make "a\u{202E}fdp.exe" display as "aexe.pdf"), zero-width
/// characters and the byte-order mark.
pub(crate) fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}')
}

/// A client's file name made safe to show and to offer back in a download:
/// the last path component, no control or invisible formatting characters,
/// at most 200 characters.
pub fn display_name(client_name: &str) -> String {
    let last = client_name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| {
            !c.is_control()
                && !is_invisible_format(*c)
                && !matches!(c, '"' | '<' | '>' | '|' | ':' | '*' | '?')
        })
        .take(200)
        .collect();
    // No leading dot (a hidden file) even behind spaces: ". ..x" too.
    let cleaned = cleaned
        .trim_start_matches(|c: char| c == '.' || c.is_whitespace())
        .trim_end()
        .to_owned();
    if cleaned.is_empty() {
        "tep-dinh-kem".to_owned()
    } else {
        cleaned
    }
}

/// Inflates every part of a ZIP (an XLSX workbook) once through a
/// counting reader, so that outside input cannot inflate past
/// `max_inflated` bytes in all, whatever its directory declares; run
/// before a reader such as calamine sees the bytes.
pub fn check_zip_inflation(bytes: &[u8], max_inflated: u64) -> Result<(), String> {
    use std::io::Read;
    let not = |e: &dyn std::fmt::Display| e.to_string();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| not(&e))?;
    let mut left = max_inflated;
    for index in 0..zip.len() {
        let part = zip.by_index(index).map_err(|e| not(&e))?;
        let read =
            std::io::copy(&mut part.take(left + 1), &mut std::io::sink()).map_err(|e| not(&e))?;
        left = left
            .checked_sub(read)
            .ok_or_else(|| not(&"nội dung giải nén quá lớn"))?;
    }
    Ok(())
}

/// A workbook cell as text: numbers written out (a fraction with a comma,
/// so it is never read as a whole number), a date cell as ISO.
pub fn cell_text(cell: Option<&calamine::Data>) -> String {
    use calamine::Data;
    match cell {
        None | Some(Data::Empty | Data::Error(_)) => String::new(),
        Some(Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s)) => s.clone(),
        Some(Data::Int(n)) => n.to_string(),
        Some(Data::Bool(b)) => b.to_string(),
        Some(Data::Float(f)) => f.to_string().replace('.', ","),
        Some(Data::DateTime(moment)) => excel_day(moment.as_f64()),
    }
}

/// An Excel serial day (1900 system) as `YYYY-MM-DD`.
fn excel_day(serial: f64) -> String {
    let epoch = time::macros::date!(1899 - 12 - 30);
    let days = serial.floor();
    if !(0.0..=2_958_465.0).contains(&days) {
        return serial.to_string();
    }
    // In range, so exact as an integer.
    #[allow(clippy::cast_possible_truncation)]
    let days = time::Duration::days(days as i64);
    epoch
        .checked_add(days)
        .map_or_else(|| serial.to_string(), |d| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_pdfs_are_told_apart() {
        let signed =
            b"%PDF-1.7\n1 0 obj <</Type /Sig /ByteRange [0 10 20 30] /Contents <00>>> endobj";
        assert!(carries_pdf_signature(signed));
        assert!(!carries_pdf_signature(b"%PDF-1.7\nno signature"));
        assert!(!carries_pdf_signature(
            b"/Type /Sig /ByteRange, but not a PDF"
        ));
    }

    #[test]
    fn sniffing() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(MediaType::Pdf));
        assert_eq!(
            sniff(b"PK\x03\x04....[Content_Types].xml...."),
            Some(MediaType::OfficeOpenXml)
        );
        assert_eq!(
            sniff(b"PK\x03\x04....word/document.xml"),
            Some(MediaType::Zip)
        );
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some(MediaType::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(MediaType::Jpeg));
        assert_eq!(
            sniff("<?xml version=\"1.0\"?><edXML/>".as_bytes()),
            Some(MediaType::Xml)
        );
        assert_eq!(sniff("Báo cáo tháng 4\n".as_bytes()), Some(MediaType::Text));
        assert_eq!(sniff(b"MZ\x90\x00\x03"), None);
        assert_eq!(sniff(&[0xC3, 0x28]), None);
    }

    #[test]
    fn upload_policy() {
        let policy = UploadPolicy {
            max_bytes: 10,
            allowed: &[MediaType::Pdf],
        };
        assert_eq!(policy.check(b""), Err(UploadError::Empty));
        assert_eq!(policy.check(b"%PDF-1.7"), Ok(MediaType::Pdf));
        assert_eq!(
            policy.check(b"%PDF-1.7 too long"),
            Err(UploadError::TooLarge { size: 17, max: 10 })
        );
        assert_eq!(policy.check(b"hello"), Err(UploadError::TypeNotAllowed));
    }

    #[test]
    fn client_names_never_become_paths() {
        assert_eq!(display_name("../../etc/passwd"), "passwd");
        assert_eq!(
            display_name("C:\\Users\\a\\Tờ trình số 5.pdf"),
            "Tờ trình số 5.pdf"
        );
        assert_eq!(display_name("..hidden"), "hidden");
        assert_eq!(display_name("/"), "tep-dinh-kem");
        assert_eq!(display_name("a\u{0}b\nc.pdf"), "abc.pdf");
        assert_eq!(
            display_name("a\u{202E}fdp.exe"),
            "afdp.exe",
            "no right-to-left override"
        );
        assert_eq!(display_name("a\u{200B}b.pdf"), "ab.pdf");
        assert_eq!(display_name(". a.pdf"), "a.pdf");
        assert_eq!(display_name(". ..hidden"), "hidden");
    }
}
