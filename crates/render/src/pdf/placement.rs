//! Where the appearances go on a rendered document, in PDF points from
//! the page's bottom-left (what `pdf::sign` and `pdf::stamp` take as
//! `[x0, y0, x1, y1]`): the signer's in the space the document reserved,
//! the organisation's so that the seal, at real size, covers about a third
//! of the signer's image on its left (Decree 30/2020 App. I §8), and a
//! copy's stamp at the top right, inside the top margin.

use super::SignatureArea;
use super::appearance::{Appearance, CAPTION_MM, IMAGE_LEFT_MM, IMAGE_MM, SEAL_MM};
use crate::layout::{MARGIN_RIGHT_MM, MARGIN_TOP_MM, mm_to_pt};

/// The rectangles of a document's two visible signatures, and where their
/// images land inside them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placement {
    /// The signer's appearance ([`super::appearance::signer`]).
    pub signer: [f64; 4],
    /// The signature image's box inside it.
    pub signature_image: [f64; 4],
    /// The organisation's appearance ([`super::appearance::organisation`]).
    pub organisation: [f64; 4],
    /// The square around the seal inside it.
    pub seal: [f64; 4],
}

/// The placement for the document whose reserved space is `area`.
pub fn placement(area: &SignatureArea) -> Placement {
    let (image_w, image_h) = IMAGE_MM;
    let top = area.y + area.height;
    let image_left = area.x + mm_to_pt(IMAGE_LEFT_MM);
    let signature_image = [
        image_left,
        top - mm_to_pt(image_h),
        image_left + mm_to_pt(image_w),
        top,
    ];
    // The seal's right edge a third into the image, its centre level with
    // the image's.
    let seal_right = image_left + mm_to_pt(image_w) / 3.0;
    let seal_centre_y = top - mm_to_pt(image_h) / 2.0;
    let seal_side = mm_to_pt(SEAL_MM);
    let seal = [
        seal_right - seal_side,
        seal_centre_y - seal_side / 2.0,
        seal_right,
        seal_centre_y + seal_side / 2.0,
    ];
    // The appearance's page holds the seal at its right, the caption on
    // its left.
    let organisation = [seal[0] - mm_to_pt(CAPTION_MM), seal[1], seal[2], seal[3]];
    Placement {
        signer: [area.x, area.y, area.x + area.width, top],
        signature_image,
        organisation,
        seal,
    }
}

/// Where a copy's stamp goes on a page of `page_width` × `page_height`
/// points: right-aligned on the right margin, centred in the top margin.
pub fn top_right(page_width: f64, page_height: f64, stamp: &Appearance) -> [f64; 4] {
    let right = page_width - mm_to_pt(MARGIN_RIGHT_MM);
    let top = page_height - (mm_to_pt(MARGIN_TOP_MM) - stamp.height) / 2.0;
    [right - stamp.width, top - stamp.height, right, top]
}
