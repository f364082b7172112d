//! Demo images for visible signatures, drawn here so no third-party art
//! is needed: an organisation's red round seal (its name around the ring,
//! a star in the middle) and a blue signature flourish, as SVG rasterised
//! to PNG on transparency. For the demo and the tests; a real agency
//! uploads scans of its own seal and its officials' signatures.
//!
//! Invariant: deterministic: the same name and fonts give the same bytes.

use std::fmt::Write as _;
use std::sync::Arc;

use resvg::usvg::fontdb::Database;

use crate::Error;
use crate::chart::escape;
use crate::fonts::Fonts;
use crate::raster;

/// The seal's red and the signature's blue, as drawn.
pub const SEAL_RED: (u8, u8, u8) = (210, 20, 30);
pub const INK_BLUE: (u8, u8, u8) = (20, 50, 190);

/// Pixels per side of the seal image: 36 mm at about 420 dpi.
const SEAL_PX: f32 = 600.0;

/// The round seal of `agency`, its name in capitals around the ring.
pub fn seal_png(fonts: &Fonts, agency: &str) -> Result<Vec<u8>, Error> {
    let (r, g, b) = SEAL_RED;
    let name = escape(&agency.to_uppercase());
    // The name runs clockwise along the top of a circle of radius 228
    // around the centre (300, 300), starting at the left.
    let mut svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600" viewBox="0 0 600 600">
<defs><path id="ring" d="M 72 300 A 228 228 0 1 1 528 300 A 228 228 0 1 1 72 300"/></defs>
<g fill="none" stroke="rgb({r},{g},{b})">
<circle cx="300" cy="300" r="290" stroke-width="14"/>
<circle cx="300" cy="300" r="190" stroke-width="6"/>
</g>
<text fill="rgb({r},{g},{b})" font-family="{serif}" font-weight="bold" font-size="44" letter-spacing="2">
<textPath href="#ring" startOffset="25%" text-anchor="middle">{name}</textPath></text>
<polygon fill="rgb({r},{g},{b})" points=""##,
        serif = fonts.serif(),
    );
    // A five-pointed star of outer radius 110, point up.
    for i in 0..10 {
        let radius = if i % 2 == 0 { 110.0 } else { 44.0 };
        let angle = std::f64::consts::PI * (f64::from(i) / 5.0 - 0.5);
        let _ = write!(
            svg,
            "{:.1},{:.1} ",
            300.0 + radius * angle.cos(),
            300.0 + radius * angle.sin()
        );
    }
    svg.push_str("\"/></svg>");
    draw(fonts.svg_db.clone(), &svg, SEAL_PX / 600.0)
}

/// A signature flourish in blue ink, 880 × 400 pixels (the proportions of
/// the signer's image box, [`crate::pdf::appearance::IMAGE_MM`]).
pub fn signature_png() -> Result<Vec<u8>, Error> {
    let (r, g, b) = INK_BLUE;
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="440" height="200" viewBox="0 0 440 200">
<g fill="none" stroke="rgb({r},{g},{b})" stroke-width="8" stroke-linecap="round" stroke-linejoin="round">
<path d="M 30 140 C 60 30, 110 20, 100 110 S 80 180, 140 120 C 170 90, 190 60, 210 100 C 225 130, 240 150, 265 95 C 280 60, 300 50, 310 90 C 320 130, 340 140, 370 80 C 385 50, 400 40, 415 60"/>
<path d="M 40 165 C 150 150, 290 150, 410 130"/>
</g></svg>"#
    );
    // No text: no fonts needed.
    draw(Arc::default(), &svg, 2.0)
}

fn draw(fontdb: Arc<Database>, svg: &str, scale: f32) -> Result<Vec<u8>, Error> {
    raster::png(svg, fontdb, scale, None)
        .map(|png| png.bytes)
        .map_err(Error::Image)
}
