//! The document model: what an administrative document or slip says, with no
//! layout in it.
//!
//! Invariant: text here is plain Unicode exactly as people wrote it (no markup,
//! no escaping); each output (`pdf`, `docx`) escapes or wraps it itself, and
//! both take numbering, dates and layout from the same place (`layout`,
//! `Heading` numbering in `numbering`), so the two outputs say the same thing.

use time::Date;

use crate::chart::BarChart;

/// An administrative document in the Decree 30 layout (App. I).
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub agency: AgencyHeader,
    /// Number and symbol, e.g. `15/BC-STTTT` or `906/STTTT-BCVT`.
    pub number: String,
    pub place: String,
    pub date: Date,
    pub kind: Kind,
    /// "Kính gửi:" addressees (công văn and upward reports); may be empty.
    pub addressees: Vec<String>,
    pub body: Vec<Block>,
    pub signature: Signature,
    /// "Nơi nhận:" lines, without the final archive line.
    pub recipients: Vec<String>,
    /// The unit in "- Lưu: VT, <unit>." closing the recipients block.
    pub archive_unit: String,
    /// Upright A4, or turned for a document that is one wide table.
    pub orientation: Orientation,
}

/// Which way the A4 page is turned. The decree prints on A4 upright and
/// allows the page's width for a document made of tables (App. I), such as
/// the register book.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Orientation {
    #[default]
    Portrait,
    Landscape,
}

/// The agency header, top left: the parent agency (optional) over the
/// issuing agency, which is bold and underlined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencyHeader {
    pub parent: Option<String>,
    pub issuer: String,
}

/// Document type and summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A named type ("BÁO CÁO", "QUYẾT ĐỊNH", ...): the type name centred in
    /// bold capitals with the summary under it.
    Named { name: String, summary: String },
    /// A công văn: no type name; "V/v <summary>" under the number.
    CongVan { summary: String },
}

/// A block of the body.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading at one of the decree's levels; its number ("I.", "1.",
    /// "a)") is derived from its position, not written by the author.
    Heading {
        level: HeadingLevel,
        text: String,
    },
    Paragraph(Vec<Inline>),
    /// A paragraph whose text is Khmer (language tag `km`): same layout,
    /// Khmer font and Khmer line breaking.
    Khmer(String),
    Bullets(Vec<Vec<Inline>>),
    Table(Table),
    Chart(BarChart),
}

/// The decree's heading levels: I. / 1. / a).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HeadingLevel {
    Roman,
    Arabic,
    Letter,
}

/// A run of text inside a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text {
        text: String,
        bold: bool,
        italic: bool,
    },
    /// A footnote attached at this point; its text goes to the page foot.
    Footnote(String),
}

impl Inline {
    pub fn plain(text: impl Into<String>) -> Self {
        Self::Text {
            text: text.into(),
            bold: false,
            italic: false,
        }
    }
    pub fn bold(text: impl Into<String>) -> Self {
        Self::Text {
            text: text.into(),
            bold: true,
            italic: false,
        }
    }
    pub fn italic(text: impl Into<String>) -> Self {
        Self::Text {
            text: text.into(),
            bold: false,
            italic: true,
        }
    }
}

/// A simple table: one header row, then data rows, all cells plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Relative column widths, one per header cell.
    pub widths: Vec<u16>,
}

/// Who signs: one signer on the right, or two side by side (slips: the
/// applicant on the left, the official on the right).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signature {
    One(Signer),
    Two { left: Signer, right: Signer },
}

/// The signer block: authority line ("KT. GIÁM ĐỐC"), position ("PHÓ GIÁM
/// ĐỐC"), the reserved space for signature and seal, then the name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    pub authority: Option<String>,
    pub position: String,
    pub name: String,
}
