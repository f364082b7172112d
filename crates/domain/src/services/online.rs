//! Dossiers submitted online (issue 8, item 2): which procedures take
//! them, the files an applicant may upload with one, and the rules a
//! client's file name must keep.
//!
//! Invariant: an online submission is refused whole — a wrong file, a bad
//! name, a missing field — before anything is stored; a file name is
//! refused, not repaired, when it carries a path, so the applicant learns
//! that what they sent is not what would have been kept.

use serde::{Deserialize, Serialize};

use super::{Level, Procedure, ServiceRuleError};
use crate::files::{MediaType, UploadPolicy, is_invisible_format};

/// What an applicant may upload with a dossier: scans and office files,
/// 10 MB each.
pub const DOSSIER_FILES: UploadPolicy = UploadPolicy {
    max_bytes: 10 * 1024 * 1024,
    allowed: &[
        MediaType::Pdf,
        MediaType::Png,
        MediaType::Jpeg,
        MediaType::OfficeOpenXml,
    ],
};

/// At most this many files in one dossier.
pub const MAX_FILES: usize = 20;

/// A file's name, at most this many characters.
pub const MAX_NAME_CHARS: usize = 200;

/// A file of a dossier: the paper it stands for and its stored bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierFile {
    pub position: u32,
    /// The paper (thành phần hồ sơ) it is a copy of.
    pub paper: String,
    /// The name the applicant gave it.
    pub name: String,
    pub media_type: MediaType,
    pub size: u64,
    /// SHA-256 of its bytes, hex: the blob store's key.
    pub sha256: String,
}

/// The procedure takes online submissions (level 3 or 4).
pub fn check_online(procedure: &Procedure) -> Result<(), ServiceRuleError> {
    if procedure.level >= Level::Online {
        Ok(())
    } else {
        Err(ServiceRuleError::NotOnline(procedure.name.clone()))
    }
}

/// A client's file name, trimmed, if it is a plain name: no directory
/// part, no `..`, no control or invisible formatting characters, no
/// leading dot, at most [`MAX_NAME_CHARS`] characters.
pub fn check_file_name(name: &str) -> Result<String, ServiceRuleError> {
    let trimmed = name.trim();
    let bad = || ServiceRuleError::BadFileName(name.chars().take(MAX_NAME_CHARS).collect());
    if trimmed.is_empty()
        || trimmed.chars().count() > MAX_NAME_CHARS
        || trimmed.starts_with('.')
        || trimmed.contains(['/', '\\', ':'])
        || trimmed.contains("..")
        || trimmed
            .chars()
            .any(|c| c.is_control() || is_invisible_format(c))
    {
        return Err(bad());
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_with_paths_or_tricks_are_refused() {
        for good in [
            "Đơn đề nghị.pdf",
            " CMND mặt trước.jpg ",
            "giay-phep_2021.docx",
        ] {
            assert_eq!(check_file_name(good).unwrap(), good.trim());
        }
        for bad in [
            "",
            "   ",
            "../../etc/passwd",
            "..\\windows\\win.ini",
            "/etc/passwd",
            "C:\\boot.ini",
            "thư..pdf",
            ".htaccess",
            "a\u{202E}fdp.exe",
            "tệp\u{0000}.pdf",
            "dòng\nmới.pdf",
            &"x".repeat(201),
        ] {
            let error = check_file_name(bad).unwrap_err();
            assert!(error.to_string().contains("Tên tệp"), "{bad:?}");
        }
    }

    #[test]
    fn only_pdf_images_and_office_files_up_to_ten_megabytes() {
        assert_eq!(DOSSIER_FILES.check(b"%PDF-1.7\n"), Ok(MediaType::Pdf));
        assert!(DOSSIER_FILES.check(b"MZ\x90\x00 an executable").is_err());
        assert!(DOSSIER_FILES.check(b"plain text").is_err());
        let big = [b"%PDF-".as_slice(), &vec![b' '; 10 * 1024 * 1024]].concat();
        assert!(DOSSIER_FILES.check(&big).is_err());
    }
}
