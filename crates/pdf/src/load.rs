//! Reading a PDF into memory with lopdf, under [`Limits`]: the input size,
//! each decompressed stream, the object count; encrypted files refused, a
//! file whose cross-reference data had to be rebuilt refused (what it
//! shows is then lopdf's guess, not what the file says), and a panic in
//! the parser turned into [`Error::ReaderPanicked`] (which relies on
//! `panic = "unwind"`, the default and egov's profiles). Before signing,
//! [`load_for_update`] also asks that every offset the cross-reference gives
//! holds the object it names: lopdf files an object under the number it
//! finds there, so a wrong table reads fine alone but not once an update
//! builds on it (found by fuzzing).

use std::panic::{AssertUnwindSafe, catch_unwind};

use lopdf::xref::{XrefEntry, XrefRecovery};
use lopdf::{DecompressError, Document, LoadOptions};

use crate::{Error, Limits};

/// Where a PDF header may start (ISO 32000-1 §7.5.2; readers allow junk
/// before it).
pub(crate) const HEADER_WINDOW: usize = 1024;

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
        return Err(xref_broken());
    }
    if doc.objects.len() > limits.max_objects {
        return Err(Error::TooManyObjects {
            count: doc.objects.len(),
            max: limits.max_objects,
        });
    }
    Ok(doc)
}

/// The document `bytes` hold, to build an update on: as [`load`], and
/// refused unless its cross-reference is exact ([`xref_agrees`]).
pub(crate) fn load_for_update(bytes: &[u8], limits: &Limits) -> Result<Document, Error> {
    let doc = load(bytes, limits)?;
    if doc.xref_recovery.is_some() || !xref_agrees(bytes, &doc) {
        return Err(xref_disagrees());
    }
    Ok(doc)
}

/// The refusal of a file whose cross-reference cannot be read as
/// written.
pub(crate) fn xref_broken() -> Error {
    Error::Malformed("bảng tham chiếu chéo (xref) hỏng, không đọc được như tệp ghi".into())
}

/// The refusal of a file whose cross-reference does not locate its
/// objects.
pub(crate) fn xref_disagrees() -> Error {
    Error::Malformed(
        "bảng tham chiếu chéo không khớp các đối tượng; hãy lưu lại tệp bằng một trình đọc PDF rồi ký".into(),
    )
}

/// Whether each in-use entry of the cross-reference points at `N G obj`
/// for its own number `N` and generation `G`.
fn xref_agrees(bytes: &[u8], doc: &Document) -> bool {
    doc.reference_table
        .entries
        .iter()
        .all(|(number, entry)| match entry {
            XrefEntry::Normal { offset, generation } => bytes
                .get(usize::try_from(*offset).unwrap_or(usize::MAX)..)
                .is_some_and(|at| object_header(at) == Some((*number, *generation))),
            _ => true,
        })
}

/// The number and generation of the `N G obj` that `bytes` start with.
pub(crate) fn object_header(bytes: &[u8]) -> Option<(u32, u16)> {
    let mut words = bytes
        .split(u8::is_ascii_whitespace)
        .filter(|w| !w.is_empty());
    let number = std::str::from_utf8(words.next()?).ok()?.parse().ok()?;
    let generation = std::str::from_utf8(words.next()?).ok()?.parse().ok()?;
    words
        .next()?
        .starts_with(b"obj")
        .then_some((number, generation))
}

pub(crate) fn load_error(e: &lopdf::Error, limits: &Limits) -> Error {
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
    fn object_headers_are_read_with_any_spacing() {
        assert_eq!(object_header(b"12 0 obj\n<<>>"), Some((12, 0)));
        assert_eq!(object_header(b"12\r\n3 obj<<>>"), Some((12, 3)));
        assert_eq!(object_header(b"12 0 R"), None);
        assert_eq!(object_header(b"<< >>"), None);
    }

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
