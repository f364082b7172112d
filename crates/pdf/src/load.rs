//! Reading a PDF into memory with lopdf, under [`Limits`]: the input size,
//! each decompressed stream, the object count; encrypted files refused, a
//! file whose cross-reference data had to be rebuilt refused (what it
//! shows is then lopdf's guess, not what the file says), and a panic in
//! the parser turned into [`Error::ReaderPanicked`] (which relies on
//! `panic = "unwind"`, the default and egov's profiles).

use std::panic::{AssertUnwindSafe, catch_unwind};

use lopdf::xref::XrefRecovery;
use lopdf::{DecompressError, Document, LoadOptions};

use crate::{Error, Limits};

/// Where a PDF header may start (ISO 32000-1 §7.5.2; readers allow junk
/// before it).
const HEADER_WINDOW: usize = 1024;

/// The document `bytes` hold, newest revision of every object.
pub(crate) fn load(bytes: &[u8], limits: &Limits) -> Result<Document, Error> {
    if bytes.len() > limits.max_input_bytes {
        return Err(Error::TooLarge {
            size: bytes.len(),
            max: limits.max_input_bytes,
        });
    }
    let head = &bytes[..bytes.len().min(HEADER_WINDOW)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(Error::Malformed("không có phần đầu %PDF-".into()));
    }
    let options = LoadOptions {
        max_decompressed_size: Some(limits.max_stream_bytes),
        ..LoadOptions::default()
    };
    let loaded = catch_unwind(AssertUnwindSafe(|| {
        Document::load_mem_with_options(bytes, options)
    }))
    .map_err(|_| Error::ReaderPanicked)?;
    let doc = loaded.map_err(|e| load_error(&e, limits))?;
    if doc.is_encrypted() || doc.was_encrypted() {
        return Err(Error::Encrypted);
    }
    if matches!(doc.xref_recovery, Some(XrefRecovery::Reconstructed)) {
        return Err(Error::Malformed(
            "bảng tham chiếu chéo (xref) hỏng, không đọc được như tệp ghi".into(),
        ));
    }
    if doc.objects.len() > limits.max_objects {
        return Err(Error::TooManyObjects {
            count: doc.objects.len(),
            max: limits.max_objects,
        });
    }
    Ok(doc)
}

fn load_error(e: &lopdf::Error, limits: &Limits) -> Error {
    match e {
        lopdf::Error::Decompress(DecompressError::MemoryLimitExceeded { .. }) => {
            Error::StreamTooLarge {
                max: limits.max_stream_bytes,
            }
        }
        lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword => Error::Encrypted,
        e => Error::Malformed(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_not_a_pdf_is_refused_with_a_reason() {
        let limits = Limits::default();
        assert!(matches!(load(b"", &limits), Err(Error::Malformed(_))));
        assert!(matches!(
            load(b"%PDF-1.7\ngarbage", &limits),
            Err(Error::Malformed(_))
        ));
        let small = Limits {
            max_input_bytes: 4,
            ..Limits::default()
        };
        assert!(matches!(
            load(b"%PDF-1.7", &small),
            Err(Error::TooLarge { size: 8, max: 4 })
        ));
    }
}
