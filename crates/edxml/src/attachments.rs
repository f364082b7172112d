//! An attachment's bytes to and from `ContentTransferEncoded`: zipped (one
//! entry, named as the attachment), then base64.
//!
//! Reading is where a hostile package would hurt, so every step is bounded:
//! base64 must be valid (whitespace such as MIME line breaks is allowed);
//! the zip must hold exactly one file; the size the zip declares is checked
//! before inflating, and inflating stops one byte past the limit whatever
//! the zip declared.
//!
//! One tolerance: content that is not a zip at all (no `PK` signature) is
//! taken as the file itself, because some exchanges send PDFs base64'd
//! without zipping (seen in real packages with `ContentType`
//! `application/pdf`). It is bounded by the same limit.

use std::io::{Cursor, Read, Write};

use base64::Engine;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::{EdxmlError, Limits};

/// Standard alphabet; padding optional on input, always written.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Zips `bytes` as one entry called `name` and base64-encodes the zip.
pub(crate) fn encode(name: &str, bytes: &[u8]) -> Result<String, EdxmlError> {
    let failed = |detail: String| EdxmlError::ZipWrite {
        name: name.to_string(),
        detail,
    };
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    // No timestamp feature: entries get the zip epoch, so the same package
    // always gives the same bytes.
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .large_file(bytes.len() >= 0xFFFF_FFFF);
    zip.start_file(name, options)
        .map_err(|e| failed(e.to_string()))?;
    zip.write_all(bytes).map_err(|e| failed(e.to_string()))?;
    let zipped = zip.finish().map_err(|e| failed(e.to_string()))?;
    Ok(BASE64.encode(zipped.into_inner()))
}

/// Decodes `ContentTransferEncoded` back to the file's bytes.
pub(crate) fn decode(name: &str, encoded: &str, limits: &Limits) -> Result<Vec<u8>, EdxmlError> {
    let compact: Vec<u8> = encoded
        .bytes()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let data = BASE64
        .decode(&compact)
        .map_err(|e| EdxmlError::InvalidBase64 {
            name: name.to_string(),
            detail: e.to_string(),
        })?;
    drop(compact);
    let too_large = || EdxmlError::AttachmentTooLarge {
        name: name.to_string(),
        limit: limits.max_attachment_bytes,
    };
    if !data.starts_with(b"PK") {
        if data.len() as u64 > limits.max_attachment_bytes {
            return Err(too_large());
        }
        return Ok(data);
    }
    let invalid = |detail: String| EdxmlError::InvalidZip {
        name: name.to_string(),
        detail,
    };
    let mut archive =
        ZipArchive::new(Cursor::new(data.as_slice())).map_err(|e| invalid(e.to_string()))?;
    if archive.len() != 1 {
        return Err(EdxmlError::ZipEntryCount {
            name: name.to_string(),
            count: archive.len(),
        });
    }
    let mut file = archive.by_index(0).map_err(|e| invalid(e.to_string()))?;
    if file.is_dir() {
        return Err(invalid("mục duy nhất trong ZIP là thư mục".into()));
    }
    if file.size() > limits.max_attachment_bytes {
        return Err(too_large());
    }
    // The declared size is at most the limit here, so it is safe as a
    // capacity hint; the real size is checked as it is read.
    let capacity = usize::try_from(file.size()).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    (&mut file)
        .take(limits.max_attachment_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| invalid(e.to_string()))?;
    if bytes.len() as u64 > limits.max_attachment_bytes {
        return Err(too_large());
    }
    Ok(bytes)
}
