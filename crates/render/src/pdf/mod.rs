//! PDF output through Typst used as a library: shaping (HarfBuzz port),
//! Khmer line breaking, layout, and PDF/A-2b export with embedded fonts.
//!
//! Invariant: every render is closed (`world`), deterministic for the same
//! document and fonts (no clock, fixed identifier), and reports where the
//! official's signature space is, in PDF points from the page's bottom-left.
//! Text extraction gets each glyph cluster's text once (`clusters`, applied
//! to the laid-out pages just before export).
//!
//! Besides documents: the appearances of visible signatures
//! (`appearance`), the stamps on finished PDFs (`stamps`) and where they
//! go (`placement`), each a one-page PDF for the `pdf` crate to place.

pub mod appearance;
mod clusters;
mod markup;
pub mod placement;
pub mod stamps;
mod world;

use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::{Datetime, Label, Smart};
use typst::introspection::Introspector as _;
use typst::utils::PicoStr;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::Error;
use crate::fonts::Fonts;
use crate::layout::{SIGNATURE_HEIGHT_MM, SIGNATURE_WIDTH_MM, mm_to_pt};
use crate::model::Document;

/// A rendered PDF.
#[derive(Debug, Clone)]
pub struct Pdf {
    pub bytes: Vec<u8>,
    pub pages: usize,
    /// Where the signature image and the seal go (the official signer's).
    pub signature: SignatureArea,
}

/// A rectangle on one page, in PDF points with the origin at the page's
/// bottom-left corner (the PDF convention, what a signer stamps into).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SignatureArea {
    /// 1-based page number.
    pub page: usize,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// Renders a document to PDF/A-2b.
pub fn render(doc: &Document, fonts: &Fonts) -> Result<Pdf, Error> {
    let (source, files) = markup::source(doc, fonts.serif);
    let world = world::DocWorld::new(fonts, source, files)?;
    let Warned { output, .. } = typst::compile::<PagedDocument>(&world);
    let document = output.map_err(|diags| Error::Typeset(describe(&diags)))?;
    let signature = signature_area(&document)?;
    let options = PdfOptions {
        // A fixed identifier keeps the bytes the same for the same document.
        ident: Smart::Custom(doc.number.clone()),
        // PDF/A needs a creation date; the document's own date (Vietnam
        // time, UTC+7) keeps the output independent of the clock.
        timestamp: Datetime::from_ymd(doc.date.year(), u8::from(doc.date.month()), doc.date.day())
            .and_then(|d| Timestamp::new_local(d, 7 * 60)),
        standards: PdfStandards::new(&[PdfStandard::A_2b])
            .map_err(|e| Error::PdfExport(format!("{e:?}")))?,
        ..PdfOptions::default()
    };
    // The same pages with only the glyphs' text ranges changed.
    let fixed = clusters::one_text_per_cluster(&document);
    let bytes = typst_pdf::pdf(fixed.as_ref().unwrap_or(&document), &options)
        .map_err(|diags| Error::PdfExport(describe(&diags)))?;
    Ok(Pdf {
        bytes,
        pages: document.pages().len(),
        signature,
    })
}

fn signature_area(document: &PagedDocument) -> Result<SignatureArea, Error> {
    let missing = || Error::Typeset("không tìm thấy vị trí chữ ký".to_owned());
    let label = Label::new(PicoStr::intern(markup::SIGNATURE_LABEL)).ok_or_else(missing)?;
    let introspector = document.introspector();
    let mark = introspector.query_label(label).map_err(|_| missing())?;
    let location = mark.location().ok_or_else(missing)?;
    let position = introspector.position(location).ok_or_else(missing)?;
    // The page's own height: it depends on which way the page is turned.
    let page_height = document
        .pages()
        .get(position.page.get() - 1)
        .ok_or_else(missing)?
        .frame
        .height()
        .to_pt();
    let height = mm_to_pt(SIGNATURE_HEIGHT_MM);
    Ok(SignatureArea {
        page: position.page.get(),
        x: position.point.x.to_pt(),
        // Typst measures from the top; PDF from the bottom.
        y: page_height - position.point.y.to_pt() - height,
        width: mm_to_pt(SIGNATURE_WIDTH_MM),
        height,
    })
}

fn describe(diags: &[SourceDiagnostic]) -> String {
    diags
        .iter()
        .map(|d| d.message.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}
