//! What a visible signature shows (Decree 30/2020 App. I §7–8), and the
//! stamps written onto finished PDFs, each as a small one-page PDF made
//! with Typst (Vietnamese shaped, the font embedded as a subset) for the
//! `pdf` crate to place: the signer's appearance (the blue signature
//! image, name, position and signing time) and the organisation's (the
//! red seal at real size, the organisation's name and time); the stamps
//! are in [`super::stamps`], where they go in [`super::placement`].
//!
//! Invariant: as for documents, user text reaches Typst only as string
//! literals and images as virtual files of a closed world; times are shown
//! in Vietnam time (UTC+7) whatever offset they come with; the page is
//! transparent, so only the images and text cover what lies below.

use std::fmt::Write as _;

use time::{OffsetDateTime, UtcOffset};
use typst::diag::Warned;
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

use super::markup::string;
use super::{clusters, describe, world};
use crate::Error;
use crate::fonts::Fonts;
use crate::layout::{KHMER_FAMILY, SIGNATURE_HEIGHT_MM, SIGNATURE_WIDTH_MM};

/// The signer's image box inside the signer's appearance: its left edge,
/// width and height in millimetres, at the top.
pub const IMAGE_LEFT_MM: f64 = 13.0;
pub const IMAGE_MM: (f64, f64) = (44.0, 20.0);
/// A seal's diameter at real size (seals are about 35–40 mm across).
pub const SEAL_MM: f64 = 36.0;
/// The organisation's appearance: the seal on the right, the caption
/// (the organisation's name and the time) on its left, right-aligned at
/// the bottom, clear of the signer's image and text which the seal covers
/// on the other side.
pub const CAPTION_MM: f64 = 30.0;
pub const ORGANISATION_MM: (f64, f64) = (CAPTION_MM + SEAL_MM, SEAL_MM);

/// A one-page PDF to place, and its page's size in points.
#[derive(Debug, Clone, PartialEq)]
pub struct Appearance {
    pub pdf: Vec<u8>,
    pub width: f64,
    pub height: f64,
}

/// The signer's appearance, [`SIGNATURE_WIDTH_MM`] × [`SIGNATURE_HEIGHT_MM`]
/// (the space the document reserves): `signature_png` (blue, transparent)
/// in the image box, then the name in bold, the position and the time,
/// under the part of the image the seal leaves clear.
pub fn signer(
    fonts: &Fonts,
    signature_png: &[u8],
    name: &str,
    position: &str,
    at: OffsetDateTime,
) -> Result<Appearance, Error> {
    let (image_w, image_h) = IMAGE_MM;
    let mut source = page(fonts, SIGNATURE_WIDTH_MM, SIGNATURE_HEIGHT_MM, 7.5);
    let _ = writeln!(
        source,
        "#place(top + left, dx: {IMAGE_LEFT_MM}mm, image(\"signature.png\", width: {image_w}mm, height: {image_h}mm, fit: \"contain\"))"
    );
    lines(
        &mut source,
        &[
            (name, true),
            (position, false),
            (&format!("Ký lúc: {}", vietnam_time(at)), false),
        ],
        Caption::UnderImage,
    );
    one_page(
        fonts,
        source,
        vec![("signature.png".into(), signature_png.to_vec())],
    )
}

/// The organisation's appearance, [`ORGANISATION_MM`]: `seal_png` (red,
/// transparent, round) [`SEAL_MM`] across on the right, the
/// organisation's name and the time on its left.
pub fn organisation(
    fonts: &Fonts,
    seal_png: &[u8],
    organisation: &str,
    at: OffsetDateTime,
) -> Result<Appearance, Error> {
    let (width, height) = ORGANISATION_MM;
    let mut source = page(fonts, width, height, 6.5);
    let _ = writeln!(
        source,
        "#place(top + right, image(\"seal.png\", width: {SEAL_MM}mm, height: {SEAL_MM}mm, fit: \"contain\"))"
    );
    lines(
        &mut source,
        &[(organisation, false), (&vietnam_time(at), false)],
        Caption::LeftOfSeal,
    );
    one_page(fonts, source, vec![("seal.png".into(), seal_png.to_vec())])
}

/// An image alone, `png` fitted (centred, proportions kept) in a box of
/// `width` × `height` mm: the signer's image between their position and
/// name, or the seal at real size, on a document laid out elsewhere
/// (Decree 30/2020 App. I §7–8; the rest of what a signature says is in
/// its properties). Refused with Typst's reason if `png` is no image it
/// can draw, which is what an uploaded image is checked with.
pub fn picture(fonts: &Fonts, png: &[u8], width: f64, height: f64) -> Result<Appearance, Error> {
    let mut source = page(fonts, width, height, 7.5);
    let _ = writeln!(
        source,
        "#place(center + horizon, image(\"picture.png\", width: {width}mm, height: {height}mm, fit: \"contain\"))"
    );
    one_page(fonts, source, vec![("picture.png".into(), png.to_vec())])
}

/// `at` in Vietnam time as people read it: `05/04/2021 09:30:00 +07:00`.
pub fn vietnam_time(at: OffsetDateTime) -> String {
    let at = at.to_offset(vietnam());
    format!(
        "{:02}/{:02}/{:04} {:02}:{:02}:{:02} +07:00",
        at.day(),
        u8::from(at.month()),
        at.year(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

pub(super) fn vietnam() -> UtcOffset {
    // +07:00 is a valid offset.
    UtcOffset::from_hms(7, 0, 0).unwrap_or(UtcOffset::UTC)
}

/// The Typst source's start: a transparent page of `width` × `height` mm
/// (or `auto`: as large as its content) with no margins, text in the
/// document's serif at `size` points.
pub(super) fn page(fonts: &Fonts, width: f64, height: f64, size: f64) -> String {
    let length = |mm: f64| {
        if mm > 0.0 {
            format!("{mm}mm")
        } else {
            "auto".to_owned()
        }
    };
    format!(
        "#set page(width: {}, height: {}, margin: 0pt, fill: none)\n\
         #set text(font: ({}, {}), size: {size}pt, lang: \"vi\", top-edge: \"ascender\", bottom-edge: \"descender\")\n\
         #set par(justify: false, leading: 0.2em, spacing: 0pt)\n",
        length(width),
        length(height),
        string(fonts.serif()),
        string(KHMER_FAMILY),
    )
}

/// Where an appearance's lines of text go.
#[derive(Clone, Copy)]
enum Caption {
    /// Centred at the bottom right, right of the third of the image the
    /// organisation's seal will cover, so the seal leaves the text legible.
    UnderImage,
    /// Right-aligned at the bottom left, beside the seal.
    LeftOfSeal,
}

/// Lines of text at the bottom of the page, each `(text, bold)`.
fn lines(source: &mut String, texts: &[(&str, bool)], caption: Caption) {
    let items: Vec<String> = texts
        .iter()
        .map(|(text, bold)| {
            let weight = if *bold { "bold" } else { "regular" };
            format!("text(weight: \"{weight}\", {})", string(text))
        })
        .collect();
    let (corner, width, align) = match caption {
        Caption::UnderImage => (
            "bottom + right",
            format!(
                "{}mm",
                SIGNATURE_WIDTH_MM - IMAGE_LEFT_MM - IMAGE_MM.0 / 3.0
            ),
            "center",
        ),
        Caption::LeftOfSeal => ("bottom + left", format!("{}mm", CAPTION_MM - 2.0), "right"),
    };
    let _ = writeln!(
        source,
        "#place({corner}, block(width: {width}, align({align}, stack(spacing: 1.5pt, {}))))",
        items.join(", ")
    );
}

/// Compiles `source` (with the virtual `files`) to a one-page PDF.
pub(super) fn one_page(
    fonts: &Fonts,
    source: String,
    files: Vec<(String, Vec<u8>)>,
) -> Result<Appearance, Error> {
    let world = world::DocWorld::new(fonts, source, files)?;
    let Warned { output, .. } = typst::compile::<PagedDocument>(&world);
    let document = output.map_err(|diags| Error::Typeset(describe(&diags)))?;
    let [first] = document.pages() else {
        return Err(Error::Typeset("hình hiển thị phải vừa một trang".into()));
    };
    let size = first.frame.size();
    let fixed = clusters::one_text_per_cluster(&document);
    let pdf = typst_pdf::pdf(fixed.as_ref().unwrap_or(&document), &PdfOptions::default())
        .map_err(|diags| Error::PdfExport(describe(&diags)))?;
    Ok(Appearance {
        pdf,
        width: size.x.to_pt(),
        height: size.y.to_pt(),
    })
}
