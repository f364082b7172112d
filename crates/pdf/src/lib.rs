//! Digital signatures on PDF documents: PAdES baseline B-B signing
//! (ETSI EN 319 142-1) and validation of every signature a PDF carries.
//!
//! Owns the two entry points, [`sign`] (with its two halves [`prepare`]
//! and [`complete`], for a signature made elsewhere) and [`verify`], and
//! the resource bounds ([`Limits`]) every PDF read here is held to.
//!
//! Invariant of the whole crate: bytes in, bytes out. No I/O, no clock (the
//! signing moment is a parameter), no database, HTTP or async. A signature
//! is an incremental update appended to the original bytes, never a
//! rewrite, so earlier signatures stay valid. PDFs to validate come from
//! outside: their size, objects, streams, fields and signatures are
//! bounded, and a panic inside the PDF parser becomes an [`Error`].
//!
//! Map: [`load`] (lopdf with limits) · [`fields`] (signature fields of the
//! AcroForm) · [`edit`] (the field, widget and AcroForm a signature adds) ·
//! [`update`] (writing an incremental update and its cross-reference) ·
//! [`syntax`] (dates and bytes of PDF syntax) · [`sign`] · [`verify`], with
//! [`ranges`] (the signed bytes), [`cms`] (the CMS signature), [`chain`]
//! (the certificate path) and [`changes`] (what later updates altered).

pub mod error;
pub mod sign;
pub mod verify;

mod chain;
mod changes;
mod cms;
mod edit;
mod fields;
mod load;
mod ranges;
mod syntax;
mod update;

pub use error::Error;
pub use sign::{Prepared, PreparedParts, SignOptions, Signer, complete, prepare, sign};
pub use verify::{Problem, SignatureReport, verify, verify_with};

/// Bounds on the PDFs this crate reads, signing or validating. A PDF is
/// parsed whole into memory (lopdf keeps every object, tens of times the
/// file's size for dense syntax), so `max_input_bytes` is what bounds
/// memory; the others bound work and nesting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    pub max_input_bytes: usize,
    /// Each stream once decompressed (object and cross-reference streams).
    pub max_stream_bytes: usize,
    /// Indirect objects in the file, over all its revisions.
    pub max_objects: usize,
    /// Signatures validated in one file.
    pub max_signatures: usize,
    /// Fields visited in the AcroForm tree, and how deep it may nest.
    pub max_fields: usize,
    pub max_field_depth: usize,
    /// The bytes of one signature (`/Contents` decoded).
    pub max_signature_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_input_bytes: 64 * 1024 * 1024,
            max_stream_bytes: 16 * 1024 * 1024,
            max_objects: 1_000_000,
            max_signatures: 64,
            max_fields: 10_000,
            max_field_depth: 32,
            max_signature_bytes: 512 * 1024,
        }
    }
}
