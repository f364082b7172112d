//! [`Limits`]: how much a package read from outside may cost.
//!
//! edXML arrives from other agencies' systems and from the national
//! document exchange; a malformed or hostile package must fail fast with a
//! clear error instead of exhausting memory (zip bombs, deep nesting,
//! millions of elements) or time.

/// Bounds applied by [`crate::read`] and [`crate::read_status`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Size of the whole XML document, checked before parsing.
    pub max_package_bytes: usize,
    /// Number of attachments (`Attachment` elements and manifest entries).
    pub max_attachments: usize,
    /// Size of one attachment after base64 decoding and unzipping. Both the
    /// size the zip declares and the bytes actually inflated are checked,
    /// and inflating stops at the limit.
    pub max_attachment_bytes: u64,
    /// Nesting depth of elements (edXML itself needs about 8).
    pub max_depth: usize,
    /// Text of one element other than an attachment's encoded content.
    pub max_text_bytes: usize,
    /// Number of elements in the document; bounds the memory of the parsed
    /// tree independently of how short each element is.
    pub max_elements: usize,
}

impl Limits {
    /// Attachments go up to 50 MiB each: a scanned decision of a few
    /// hundred pages fits; a package up to 64 MiB in all.
    pub const DEFAULT: Limits = Limits {
        max_package_bytes: 64 * 1024 * 1024,
        max_attachments: 50,
        max_attachment_bytes: 50 * 1024 * 1024,
        max_depth: 32,
        max_text_bytes: 1024 * 1024,
        max_elements: 100_000,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}
