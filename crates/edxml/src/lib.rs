//! edXML, the format in which Vietnamese agencies exchange documents
//! (QCVN 102:2016/BTTTT): packages ([`Package`]: header, trace, business
//! purpose, attachments) and status messages ([`Status`]).
//!
//! Invariant of the whole crate: pure. Bytes in, bytes out: no files, no
//! network, no clock. Other layers map egov's documents to and from these
//! types.
//!
//! Reading is for input from outside and may be hostile: [`read`] and
//! [`read_status`] take [`Limits`] and refuse DTDs and entities (XML
//! bombs), deep nesting, oversized text, invalid base64, zips that are not
//! exactly one file, and zip bombs, each with its own [`EdxmlError`]
//! variant and a Vietnamese message.
//!
//! Map: [`model`] (the types) · [`DocumentId`] · [`write`]/[`read`]
//! (packages) · [`write_status`]/[`read_status`] · [`Limits`] ·
//! [`EdxmlError`]. Internals: `tree` (XML in), `xmlw` (XML out), `fields`
//! (shared blocks), `attachments` (zip + base64), `dates`.

mod attachments;
mod dates;
mod document_id;
mod error;
mod fields;
mod limits;
pub mod model;
mod package;
mod status;
mod tree;
mod xmlw;

pub use document_id::DocumentId;
pub use error::{EdxmlError, Namespace};
pub use limits::Limits;
pub use model::{
    Attachment, Business, BusinessDocType, DocumentType, MessageHeader, Organization, OtherInfo,
    Package, Priority, ReplacementInfo, ResponseFor, SignerInfo, StaffInfo, Status, StatusCode,
    TraceHeader,
};
pub use package::{read, write};
pub use status::{read_status, write_status};

/// The namespace of QCVN 102:2016; elements are matched on it, whatever
/// their prefix.
pub const NAMESPACE: &str = "http://www.mic.gov.vn/TBT/QCVN_102_2016";
