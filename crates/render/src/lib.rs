//! Official documents in the Decree 30/2020 layout, to PDF (Typst) and DOCX
//! (docx-rs), with Vietnamese and Khmer typography; bar charts as SVG.
//! For signed PDFs: the appearances of visible signatures and the stamps
//! (`pdf::appearance`, `pdf::stamps`, `pdf::placement`, one-page PDFs the
//! `pdf` crate places) and demo seal and signature images (`demo`). The
//! portal's uploaded pictures, checked and resized (`images`).
//!
//! Invariant: one model (`model`), one set of measures (`layout`); each
//! output only translates them. User text never becomes markup: the PDF
//! output passes it to Typst as string literals (`pdf::markup::string`).

pub mod chart;
pub mod demo;
pub mod docx;
pub mod fonts;
pub mod images;
pub mod layout;
pub mod model;
mod numbering;
pub mod pdf;
mod raster;
pub mod register;
pub mod sample;
pub mod slip;

use std::path::PathBuf;

pub use chart::BarChart;
pub use fonts::Fonts;
pub use model::{
    AgencyHeader, Block, Document, HeadingLevel, Inline, Kind, Orientation, Signature, Signer,
    Table,
};
pub use pdf::appearance::Appearance;
pub use pdf::placement::{Placement, placement};
pub use pdf::{Pdf, SignatureArea};

/// What can go wrong when rendering. Messages are Vietnamese: operators read them.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("thiếu phông chữ {family} trong các thư mục {folders}: cài gói Debian {package}")]
    MissingFont {
        family: &'static str,
        package: &'static str,
        folders: String,
    },
    #[error("không đọc được tệp phông chữ {path}: {source}")]
    FontRead {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("lỗi dàn trang PDF: {0}")]
    Typeset(String),
    #[error("lỗi xuất PDF: {0}")]
    PdfExport(String),
    #[error("lỗi tạo tệp DOCX: {0}")]
    Docx(String),
    #[error("lỗi vẽ biểu đồ: {0}")]
    Chart(String),
    #[error("lỗi tạo ảnh: {0}")]
    Image(String),
}
