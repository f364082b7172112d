//! Digital signatures on PDF documents: PAdES baseline signing at levels
//! B-B, B-T, B-LT and B-LTA (ETSI EN 319 142-1) and validation of every
//! signature and document timestamp a PDF carries (ETSI EN 319 102-1,
//! simplified), with timestamps and revocation.
//!
//! Owns the entry points, [`sign`] (with its two halves [`prepare`] and
//! [`complete`], for a signature made elsewhere; visible when given an
//! [`Appearance`]), [`sign_at`] for a whole level, [`add_validation_data`]
//! and [`timestamp_document`] for B-LT and B-LTA, [`validate`] (and
//! [`verify`]), [`stamp`] (a one-page PDF drawn on a page), [`form`]'s
//! text fields (filled in after signing: a document's number and date), and the
//! resource bounds ([`Limits`]) every PDF read here is held to. Timestamps
//! and revocation evidence come from the caller, through [`Timestamper`]
//! and [`Evidence`].
//!
//! Invariant of the whole crate: bytes in, bytes out, or for a file too
//! large to hold ([`sign_file`], B-B and B-T) the caller's reader and
//! writer. No I/O of its own, no clock (the
//! signing moment is a parameter), no database, HTTP or async. A signature
//! is an incremental update appended to the original bytes, never a
//! rewrite, so earlier signatures stay valid. PDFs to validate come from
//! outside: their size, objects, streams, fields and signatures are
//! bounded, and a panic inside the PDF parser becomes an [`Error`].
//!
//! Map: [`load`] (lopdf with limits) · [`lazy`] (only the objects an
//! update needs, from a file read in pieces) · [`large`] ([`sign_file`]) · [`fields`] (signature fields of the
//! AcroForm) · [`edit`] (the field, widget and AcroForm a signature adds) ·
//! [`xobject`] (a one-page PDF imported as a form) · [`page`] (pages and
//! what they inherit) · [`reserve`] (the signature dictionary with room
//! for its value) ·
//! [`update`] (writing an incremental update and its cross-reference) ·
//! [`syntax`] (dates and bytes of PDF syntax) · [`sign`] · [`timestamp`]
//! (tokens for B-T) · [`evidence`] and [`dss`] (B-LT) · [`ltv`] (B-LTA and
//! the levels) · [`verify`] with [`report`], [`ranges`] (the signed bytes),
//! [`cms`] (the CMS signature), [`token`] (timestamp tokens), [`chain`]
//! (the certificate path), [`revocation`], [`changes`] (what later updates
//! altered) and [`mdp`] (certification signatures).

pub mod error;
pub mod evidence;
pub mod form;
pub mod ltv;
pub mod report;
pub mod sign;
pub mod stamp;
pub mod timestamp;
pub mod verify;

mod chain;
mod changes;
mod cms;
mod dss;
mod edit;
mod fields;
mod large;
mod lazy;
mod load;
mod mdp;
mod page;
mod ranges;
mod reserve;
mod revocation;
mod syntax;
mod token;
mod update;
mod xobject;

pub use edit::Appearance;
pub use error::Error;
pub use evidence::{Evidence, Need, Needed, add_validation_data, needed};
pub use form::{Fill, TextField, add_text_fields, fill_text_fields, text_fields};
pub use large::sign_file;
pub use ltv::{Level, sign_at, timestamp_document};
pub use page::page_box;
pub use report::{Kind, Problem, SignatureReport, TimestampReport, Verdict};
pub use sign::{
    Prepared, PreparedParts, SignOptions, Signer, complete, prepare, sign, sign_timestamped,
};
pub use stamp::stamp;
pub use timestamp::{TOKEN_ROOM, Timestamper};
pub use verify::{Validation, validate, verify, verify_with};

/// Bounds on the PDFs this crate reads, signing or validating. A PDF is
/// parsed whole into memory (lopdf keeps every object, tens of times the
/// file's size for dense syntax), so `max_input_bytes` is what bounds
/// memory; the others bound work and nesting. [`sign_file`] holds only the
/// objects it reads, so `max_input_bytes` does not apply to it.
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
    /// Validation data read from the DSS (certificates, OCSP responses,
    /// CRLs), decoded, in all.
    pub max_validation_data: usize,
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
            max_validation_data: 32 * 1024 * 1024,
        }
    }
}
