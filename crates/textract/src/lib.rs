//! Plain text out of uploaded PDF and DOCX files, for full-text search.
//!
//! Owns the entry points, [`extract`] and [`pdf_lines`] (where the lines
//! of each page are printed), with the file kinds ([`Kind`]), the
//! resource bounds ([`Limits`]) and the boundary that turns a panic inside a
//! third-party parser into an [`ExtractError`].
//!
//! Invariant of the whole crate: pure. Bytes in, text out; no I/O, no clock,
//! no threads. Attachments are outside input, so every step is bounded: the
//! input size, each decompressed part (zip entry, PDF stream), the pages, the
//! PDF content interpreted in total, the XML depth, the output length. A
//! hostile file gives an error (with a Vietnamese message for the staff who
//! uploaded it), never a panic escaping to the caller.
//!
//! The text is NFC, one line per paragraph (a PDF gives one per printed
//! line), whitespace inside a line squashed to one space (or one tab where
//! the document had a tab), and cut at [`Limits::max_output_chars`].
//! Folding for diacritics-insensitive search is `vn::text::fold`'s job.
//!
//! Map: [`docx`] (WordprocessingML through `zip` and `quick-xml`) · [`pdf`]
//! (files through `lopdf`, content streams through [`content`], glyphs
//! mapped with [`cmap`], lines placed on the page by [`layout`]) ·
//! [`text`] (the bounded, squashing writer and the final NFC) · [`error`].

pub mod error;
pub mod layout;

mod cmap;
mod content;
mod docx;
mod pdf;
mod text;

use std::panic::{AssertUnwindSafe, catch_unwind};

pub use error::ExtractError;
pub use layout::Line;

/// The file formats text is extracted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Pdf,
    Docx,
}

impl Kind {
    /// Guesses the kind from the bytes: `%PDF-` at the start, or a zip
    /// archive with a `word/document.xml` entry. `None` for anything else
    /// (including other zip-based formats such as XLSX or ODT).
    pub fn sniff(bytes: &[u8]) -> Option<Kind> {
        if bytes.starts_with(b"%PDF-") {
            Some(Kind::Pdf)
        } else if bytes.starts_with(b"PK\x03\x04") && docx::has_document(bytes) {
            Some(Kind::Docx)
        } else {
            None
        }
    }

    /// The name shown in messages: "PDF" or "DOCX".
    pub fn name(self) -> &'static str {
        match self {
            Kind::Pdf => "PDF",
            Kind::Docx => "DOCX",
        }
    }
}

/// Bounds on the work done for one file. The defaults suit attachments of
/// official documents: tens of pages, a few megabytes.
///
/// Memory: a DOCX costs about one part (≤ `max_zip_entry_bytes`) at a
/// time; a PDF page's content about its decompressed size (our tokenizer
/// keeps little besides). But lopdf parses every object of the file into
/// memory, and dense syntax (long arrays of small numbers) takes about 60
/// times its size in bytes (measured with lopdf 0.47), whether it sits in
/// the file or in a decompressed object stream. So the worst case is about
/// 60 × `max_input_bytes` (plus 60 × `max_pdf_stream_bytes` per object
/// stream), far above what real files need but not a fixed figure: lower
/// `max_input_bytes` for PDFs if that matters.
///
/// Time: interpreting content runs at tens of MB/s in a release build, so
/// `max_pdf_content_bytes` bounds a file to seconds; call `extract` off the
/// async runtime (`spawn_blocking`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest input accepted, in bytes.
    pub max_input_bytes: usize,
    /// Longest text returned, in characters (Unicode scalar values); the
    /// text is cut there, not refused, because the beginning of a long
    /// document is still worth finding.
    pub max_output_chars: usize,
    /// Largest decompressed size of one DOCX part (`word/document.xml`, a
    /// header, the footnotes), checked while inflating, so a zip bomb stops
    /// here whatever its directory claims.
    pub max_zip_entry_bytes: usize,
    /// Most pages a PDF may have.
    pub max_pages: usize,
    /// Largest decompressed size of one PDF stream (an object stream, a font's
    /// ToUnicode map, a page's content), checked while inflating.
    pub max_pdf_stream_bytes: usize,
    /// Most decompressed page content (and form content) interpreted for
    /// the whole PDF, in bytes: bounds the time a file of many pages that
    /// share one large content stream can take.
    pub max_pdf_content_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 50 * 1024 * 1024,
            max_output_chars: 2_000_000,
            max_zip_entry_bytes: 64 * 1024 * 1024,
            max_pages: 2_000,
            max_pdf_stream_bytes: 8 * 1024 * 1024,
            max_pdf_content_bytes: 64 * 1024 * 1024,
        }
    }
}

/// Extracts the text of a PDF or DOCX file.
///
/// Errors: [`ExtractError::Empty`], [`ExtractError::TooLarge`] before any
/// parsing; then the kind's own errors. A panic inside the PDF or zip
/// reader (third-party code) is caught here and returned as
/// [`ExtractError::ReaderPanicked`], so one bad attachment cannot take a
/// request down; it relies on `panic = "unwind"`, the default and what the
/// egov profiles use.
pub fn extract(bytes: &[u8], kind: Kind, limits: &Limits) -> Result<String, ExtractError> {
    check_size(bytes, limits)?;
    let mut out = text::Writer::new(limits.max_output_chars);
    // The parsers only read `bytes` and write `out`, which is dropped on a
    // panic: nothing half-updated is observed afterwards.
    let run = catch_unwind(AssertUnwindSafe(|| match kind {
        Kind::Pdf => pdf::extract(bytes, limits, &mut out),
        Kind::Docx => docx::extract(bytes, limits, &mut out),
    }));
    match run {
        Ok(Ok(())) => Ok(out.finish()),
        Ok(Err(e)) => Err(e),
        Err(_) => Err(ExtractError::ReaderPanicked { kind }),
    }
}

/// The printed lines of each page of a PDF (page 1 first), with where
/// each is ([`layout::Line`]); the same bounds and errors as [`extract`].
pub fn pdf_lines(bytes: &[u8], limits: &Limits) -> Result<Vec<Vec<Line>>, ExtractError> {
    check_size(bytes, limits)?;
    catch_unwind(AssertUnwindSafe(|| pdf::lines(bytes, limits)))
        .map_err(|_| ExtractError::ReaderPanicked { kind: Kind::Pdf })?
}

/// Refuses an empty file or one over the input bound, before parsing.
fn check_size(bytes: &[u8], limits: &Limits) -> Result<(), ExtractError> {
    if bytes.is_empty() {
        return Err(ExtractError::Empty);
    }
    if bytes.len() > limits.max_input_bytes {
        return Err(ExtractError::TooLarge {
            size: bytes.len(),
            max: limits.max_input_bytes,
        });
    }
    Ok(())
}
