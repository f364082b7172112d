//! The Decree 30 page and type measures, shared by the PDF and DOCX outputs.
//!
//! Invariant: every value lies inside the decree's range (App. I, DOMAIN.md
//! §2); the tests of both outputs check their files against these ranges, not
//! against these constants, so a change here that leaves the range fails.

use crate::model::Orientation;

/// A4's sides in millimetres.
pub const A4_SHORT_MM: f64 = 210.0;
pub const A4_LONG_MM: f64 = 297.0;
/// Margins: top/bottom 20–25, left 30–35, right 15–20.
pub const MARGIN_TOP_MM: f64 = 20.0;
pub const MARGIN_BOTTOM_MM: f64 = 20.0;
pub const MARGIN_LEFT_MM: f64 = 30.0;
pub const MARGIN_RIGHT_MM: f64 = 15.0;
/// Body text 13–14 pt, justified.
pub const BODY_PT: f64 = 14.0;
/// National title 12–13 pt bold capitals; the motto 13–14 pt bold.
pub const TITLE_PT: f64 = 12.0;
pub const MOTTO_PT: f64 = 13.0;
/// Agency names, number, place and date: 12–13 pt.
pub const HEADER_PT: f64 = 13.0;
/// "Nơi nhận:" 12 pt bold italic, its lines 11 pt.
pub const RECIPIENTS_TITLE_PT: f64 = 12.0;
pub const RECIPIENTS_PT: f64 = 11.0;
/// Table cells and footnotes.
pub const SMALL_PT: f64 = 12.0;
/// First-line indent 1–1.27 cm.
pub const INDENT_CM: f64 = 1.27;
/// At least 6 pt between paragraphs.
pub const PARAGRAPH_SPACING_PT: f64 = 6.0;
/// Height of the space reserved between the position and the name for the
/// signature image and the seal (a seal is up to about 36 mm across).
pub const SIGNATURE_HEIGHT_MM: f64 = 32.0;
pub const SIGNATURE_WIDTH_MM: f64 = 70.0;

/// The serif family asked for first, then the Khmer family.
pub const SERIF_FAMILIES: [&str; 2] = ["Liberation Serif", "Tinos"];
pub const KHMER_FAMILY: &str = "Khmer OS";

/// The page's width and height in millimetres. The margins stay on the
/// same sides whichever way the page is turned.
pub fn page_mm(orientation: Orientation) -> (f64, f64) {
    match orientation {
        Orientation::Portrait => (A4_SHORT_MM, A4_LONG_MM),
        Orientation::Landscape => (A4_LONG_MM, A4_SHORT_MM),
    }
}

/// The width between the left and right margins, in millimetres.
pub fn text_width_mm(orientation: Orientation) -> f64 {
    page_mm(orientation).0 - MARGIN_LEFT_MM - MARGIN_RIGHT_MM
}

/// Millimetres to PDF points.
pub fn mm_to_pt(mm: f64) -> f64 {
    mm * 72.0 / 25.4
}

/// Millimetres to twentieths of a point (DOCX "twips").
pub fn mm_to_twips(mm: f64) -> i32 {
    // The values above are a few hundred mm at most: no overflow, and
    // rounding to the nearest twip is what Word itself stores.
    #[allow(clippy::cast_possible_truncation)]
    let t = (mm_to_pt(mm) * 20.0).round() as i32;
    t
}
