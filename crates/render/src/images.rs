//! Pictures editors upload for the portal (JPEG, PNG, WebP, GIF's first
//! frame), turned into resized variants for the pages' `srcset`.
//!
//! Invariants:
//! - a decompression bomb never reaches the decoder: the input is at most
//!   [`MAX_INPUT_BYTES`], and the dimensions the header claims are checked
//!   (at most [`MAX_SIDE`] a side, [`MAX_PIXELS`] in all) before any pixel
//!   is decoded (by the decoder that then decodes, so the two cannot
//!   disagree); its allocation limit stays on for what a header omits;
//! - every variant is re-encoded from pixels, so nothing of the upload but
//!   its picture survives: no EXIF (place, camera, owner), no comments, no
//!   colour profile; the EXIF orientation is applied first so that the
//!   picture stands as the camera showed it;
//! - nothing is upscaled: a width beyond the original gives the original
//!   size, and equal sizes come out once.
//!
//! Output: JPEG (quality [`JPEG_QUALITY`]) for opaque pictures, PNG for
//! those with transparency. The `image` crate encodes WebP only losslessly,
//! which is larger than JPEG for photos, so WebP is not an output.

use std::borrow::Cow;
use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};

/// Largest upload accepted, in bytes (15 MB).
pub const MAX_INPUT_BYTES: usize = 15 * 1024 * 1024;
/// Largest side, in pixels.
pub const MAX_SIDE: u32 = 12_000;
/// Largest picture, in pixels (40 megapixels).
pub const MAX_PIXELS: u64 = 40_000_000;
/// JPEG quality of the variants: visually clean photos at about a tenth of
/// their size uncompressed.
pub const JPEG_QUALITY: u8 = 82;

/// One resized copy of an upload, ready to store and serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    /// `image/jpeg` or `image/png`.
    pub mime: &'static str,
    pub bytes: Vec<u8>,
}

/// Why an upload is refused. Messages are Vietnamese: editors read them.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("tệp ảnh quá lớn ({} byte): tối đa 15 MB", vn::numbers::format_int(i64::try_from(*bytes).unwrap_or(i64::MAX)))]
    TooLarge { bytes: usize },
    #[error("tệp không phải là ảnh JPEG, PNG, WebP hoặc GIF")]
    Unsupported,
    #[error(
        "ảnh có kích thước {} × {} điểm ảnh, quá lớn: tối đa 12.000 điểm ảnh mỗi chiều và 40 triệu điểm ảnh",
        vn::numbers::format_int((*width).into()),
        vn::numbers::format_int((*height).into())
    )]
    TooManyPixels { width: u32, height: u32 },
    /// The decoder needed more memory than allowed though the header's
    /// size passed: a header that lies.
    #[error("ảnh cần quá nhiều bộ nhớ để giải mã")]
    OverLimits,
    #[error("ảnh không có điểm ảnh nào")]
    Empty,
    /// The decoder's own words (English) stay in `detail`, for the logs.
    #[error("tệp ảnh bị hỏng hoặc không đầy đủ")]
    Corrupt { detail: String },
    #[error("không tạo được ảnh thu nhỏ: {0}")]
    Encode(String),
}

/// The upload's picture at each of `widths` (pixels; a width of 0 counts
/// as 1), in increasing width, each keeping the aspect ratio.
pub fn variants(bytes: &[u8], widths: &[u32]) -> Result<Vec<Variant>, ImageError> {
    let picture = decode(bytes)?;
    let (width, height) = (picture.width(), picture.height());
    let mut sizes: Vec<u32> = widths.iter().map(|w| (*w).clamp(1, width)).collect();
    sizes.sort_unstable();
    sizes.dedup();
    // Transparency decides the format: JPEG has none, and a picture whose
    // alpha channel is fully opaque loses nothing as JPEG.
    let transparent = picture.color().has_alpha() && !is_opaque(&picture);
    sizes
        .into_iter()
        .map(|w| {
            let h = scaled_height(width, height, w);
            let resized = if w == width {
                Cow::Borrowed(&picture)
            } else {
                Cow::Owned(resize(&picture, w, h))
            };
            let (mime, bytes) = if transparent {
                ("image/png", png(&resized)?)
            } else {
                ("image/jpeg", jpeg(&resized)?)
            };
            Ok(Variant {
                width: w,
                height: h,
                mime,
                bytes,
            })
        })
        .collect()
}

/// The upload's pixels, oriented, after the checks of the module header.
fn decode(bytes: &[u8]) -> Result<DynamicImage, ImageError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(ImageError::TooLarge { bytes: bytes.len() });
    }
    let format = image::guess_format(bytes).map_err(|_| ImageError::Unsupported)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP | ImageFormat::Gif
    ) {
        return Err(ImageError::Unsupported);
    }
    // Creating the decoder reads the header only; the pixels come later.
    // The reader's default limits (512 MiB of allocations) stay on as the
    // backstop for what a header does not tell.
    let mut decoder = ImageReader::with_format(Cursor::new(bytes), format)
        .into_decoder()
        .map_err(refusal)?;
    let (width, height) = decoder.dimensions();
    check_dimensions(width, height)?;
    // The JPEG decoder fills what is missing with grey rather than fail:
    // a cut upload would be published half grey.
    if format == ImageFormat::Jpeg && !jpeg_is_complete(bytes) {
        return Err(ImageError::Corrupt {
            detail: "JPEG without its end-of-image marker".into(),
        });
    }
    // A broken EXIF block is no reason to refuse a picture: upright it stays.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut picture = DynamicImage::from_decoder(decoder).map_err(refusal)?;
    picture.apply_orientation(orientation);
    Ok(picture)
}

fn check_dimensions(width: u32, height: u32) -> Result<(), ImageError> {
    if width == 0 || height == 0 {
        return Err(ImageError::Empty);
    }
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(ImageError::TooManyPixels { width, height });
    }
    Ok(())
}

/// Whether the JPEG's markers lead from its start to its end-of-image
/// marker: segments are skipped by their length (so an EXIF thumbnail's own
/// end marker does not count), scans up to the next marker. Bytes after the
/// end (a phone's motion-photo trailer) are allowed.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let mut at = 2;
    loop {
        if bytes.get(at) != Some(&0xFF) {
            return false;
        }
        while bytes.get(at) == Some(&0xFF) {
            at += 1;
        }
        let Some(&marker) = bytes.get(at) else {
            return false;
        };
        at += 1;
        match marker {
            0xD9 => return true,
            0x01 | 0xD0..=0xD7 => continue,
            _ => {}
        }
        let Some(length) = bytes.get(at..at + 2) else {
            return false;
        };
        at += usize::from(u16::from_be_bytes([length[0], length[1]]));
        if marker == 0xDA {
            // Entropy-coded data: 0xFF is followed by 0x00 (a stuffed
            // byte) or a restart marker until the next real marker.
            loop {
                match bytes.get(at..at + 2) {
                    None => return false,
                    Some([0xFF, next]) if *next != 0x00 && !(0xD0..=0xD7).contains(next) => break,
                    Some(_) => at += 1,
                }
            }
        }
    }
}

/// The decoder's errors in the module's words.
fn refusal(error: image::ImageError) -> ImageError {
    match error {
        image::ImageError::Limits(_) => ImageError::OverLimits,
        image::ImageError::Unsupported(_) => ImageError::Unsupported,
        other => ImageError::Corrupt {
            detail: other.to_string(),
        },
    }
}

/// Lanczos3 to `width` × `height`. Beyond a halving, an area average
/// (fast, each source pixel read once) first brings the picture to twice
/// the size: Lanczos3 over a whole photo costs seconds, and the result is
/// the same to the eye.
fn resize(picture: &DynamicImage, width: u32, height: u32) -> DynamicImage {
    if picture.width() / 2 > width && picture.height() / 2 > height {
        picture.thumbnail_exact(width * 2, height * 2).resize_exact(
            width,
            height,
            FilterType::Lanczos3,
        )
    } else {
        picture.resize_exact(width, height, FilterType::Lanczos3)
    }
}

/// `height` scaled like `width` to `new_width`, rounded, at least 1.
fn scaled_height(width: u32, height: u32, new_width: u32) -> u32 {
    let scaled =
        (u64::from(height) * u64::from(new_width) + u64::from(width) / 2) / u64::from(width);
    u32::try_from(scaled.max(1)).unwrap_or(height)
}

fn is_opaque(picture: &DynamicImage) -> bool {
    match picture {
        DynamicImage::ImageLumaA8(p) => p.pixels().all(|p| p.0[1] == u8::MAX),
        DynamicImage::ImageLumaA16(p) => p.pixels().all(|p| p.0[1] == u16::MAX),
        DynamicImage::ImageRgba8(p) => p.pixels().all(|p| p.0[3] == u8::MAX),
        DynamicImage::ImageRgba16(p) => p.pixels().all(|p| p.0[3] == u16::MAX),
        DynamicImage::ImageRgba32F(p) => p.pixels().all(|p| p.0[3] >= 1.0),
        _ => !picture.color().has_alpha(),
    }
}

fn jpeg(picture: &DynamicImage) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    // JPEG takes 8-bit grey or RGB; anything else becomes RGB.
    let picture = match picture {
        DynamicImage::ImageLuma8(_) | DynamicImage::ImageRgb8(_) => Cow::Borrowed(picture),
        other => Cow::Owned(DynamicImage::ImageRgb8(other.to_rgb8())),
    };
    picture
        .write_with_encoder(JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY))
        .map_err(|e| ImageError::Encode(e.to_string()))?;
    Ok(out)
}

fn png(picture: &DynamicImage) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    let picture = match picture {
        DynamicImage::ImageRgba8(_) => Cow::Borrowed(picture),
        other => Cow::Owned(DynamicImage::ImageRgba8(other.to_rgba8())),
    };
    picture
        .write_with_encoder(PngEncoder::new(&mut out))
        .map_err(|e| ImageError::Encode(e.to_string()))?;
    Ok(out)
}
