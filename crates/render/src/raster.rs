//! SVG to PNG with resvg (which Typst already builds): the charts of the
//! DOCX output on white, the demo seal and signature on transparency.
//! Text in an SVG is set in the fonts `Fonts` loaded, so it never depends
//! on what the machine has installed elsewhere.

use std::sync::Arc;

use resvg::{tiny_skia, usvg};

/// A rasterised image: PNG bytes and its size in pixels.
pub(crate) struct Png {
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// `svg` drawn at `scale` pixels per SVG unit, over `background` (or
/// transparent). The error is a message for the caller's own variant.
pub(crate) fn png(
    svg: &str,
    fontdb: Arc<usvg::fontdb::Database>,
    scale: f32,
    background: Option<tiny_skia::Color>,
) -> Result<Png, String> {
    let options = usvg::Options {
        fontdb,
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or("kích thước ảnh")?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("kích thước ảnh")?;
    if let Some(color) = background {
        pixmap.fill(color);
    }
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    Ok(Png {
        bytes: pixmap.encode_png().map_err(|e| e.to_string())?,
        width: size.width(),
        height: size.height(),
    })
}
