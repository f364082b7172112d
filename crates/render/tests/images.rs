//! The portal's picture variants (`render::images`) on pictures made here:
//! sizes an editor gets back, what is refused before decoding, and that
//! nothing of the upload's metadata survives.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Cursor;
use std::time::Instant;

use image::codecs::gif::GifEncoder;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::webp::WebPEncoder;
use image::{DynamicImage, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use render::images::{ImageError, Variant, variants};

/// A photo-like gradient, `width` × `height`.
fn gradient(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let r = u8::try_from(x * 255 / width).unwrap();
        let g = u8::try_from(y * 255 / height).unwrap();
        Rgb([r, g, r ^ g])
    })
}

fn encode(picture: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    picture.write_to(&mut out, format).unwrap();
    out.into_inner()
}

fn jpeg(picture: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(picture.clone())
        .write_with_encoder(JpegEncoder::new_with_quality(&mut out, 90))
        .unwrap();
    out
}

/// What a browser would show of a variant, checking the size it claims.
fn decoded(variant: &Variant) -> DynamicImage {
    let format = image::guess_format(&variant.bytes).unwrap();
    assert_eq!(format.to_mime_type(), variant.mime);
    let picture = image::load_from_memory(&variant.bytes).unwrap();
    assert_eq!(
        (picture.width(), picture.height()),
        (variant.width, variant.height)
    );
    picture
}

#[test]
fn a_photo_comes_back_at_each_width_keeping_its_shape_never_upscaled() {
    let photo = jpeg(&gradient(3000, 2000));
    let started = Instant::now();
    let out = variants(&photo, &[1600, 320, 800, 800, 4000, 5000]).unwrap();
    eprintln!("3000 × 2000 JPEG to 4 variants: {:?}", started.elapsed());
    let sizes: Vec<(u32, u32)> = out.iter().map(|v| (v.width, v.height)).collect();
    // Widths beyond the original give one variant at the original size.
    assert_eq!(sizes, [(320, 213), (800, 533), (1600, 1067), (3000, 2000)]);
    for variant in &out {
        assert_eq!(variant.mime, "image/jpeg");
        let picture = decoded(variant);
        // The picture is the gradient, not garbage: red grows to the right.
        let row = picture.height() / 2;
        let left = picture.to_rgb8().get_pixel(2, row).0[0];
        let right = picture.to_rgb8().get_pixel(picture.width() - 3, row).0[0];
        assert!(left < 20 && right > 235, "{left} {right}");
    }
    // Smaller variants are smaller files.
    assert!(out.windows(2).all(|w| w[0].bytes.len() < w[1].bytes.len()));
}

#[test]
fn transparency_is_kept_as_png_and_opaque_pictures_become_jpeg() {
    let logo = RgbaImage::from_fn(400, 100, |x, _| {
        if x < 200 {
            Rgba([200, 16, 46, 255])
        } else {
            Rgba([0, 0, 0, 0])
        }
    });
    let png = encode(&DynamicImage::ImageRgba8(logo), ImageFormat::Png);
    let out = variants(&png, &[200]).unwrap();
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].mime, "image/png");
    let picture = decoded(&out[0]).to_rgba8();
    assert_eq!((picture.width(), picture.height()), (200, 50));
    assert_eq!(picture.get_pixel(10, 25).0, [200, 16, 46, 255]);
    assert_eq!(picture.get_pixel(190, 25).0[3], 0);

    // An alpha channel that hides nothing is no reason for a PNG.
    let opaque = RgbaImage::from_fn(64, 64, |x, y| {
        Rgba([
            u8::try_from(x * 4).unwrap(),
            u8::try_from(y * 4).unwrap(),
            9,
            255,
        ])
    });
    let png = encode(&DynamicImage::ImageRgba8(opaque), ImageFormat::Png);
    let out = variants(&png, &[32]).unwrap();
    assert_eq!(out[0].mime, "image/jpeg");
    decoded(&out[0]);
}

#[test]
fn webp_and_the_first_frame_of_a_gif_are_accepted() {
    let mut webp = Vec::new();
    DynamicImage::ImageRgb8(gradient(300, 150))
        .write_with_encoder(WebPEncoder::new_lossless(&mut webp))
        .unwrap();
    let out = variants(&webp, &[100]).unwrap();
    assert_eq!((out[0].width, out[0].height), (100, 50));
    decoded(&out[0]);

    let red = RgbaImage::from_pixel(90, 60, Rgba([255, 0, 0, 255]));
    let blue = RgbaImage::from_pixel(90, 60, Rgba([0, 0, 255, 255]));
    let mut gif = Vec::new();
    {
        let mut encoder = GifEncoder::new(&mut gif);
        for frame in [red, blue] {
            encoder.encode_frame(image::Frame::new(frame)).unwrap();
        }
    }
    let out = variants(&gif, &[45]).unwrap();
    let picture = decoded(&out[0]).to_rgb8();
    assert_eq!((picture.width(), picture.height()), (45, 30));
    let [r, g, b] = picture.get_pixel(20, 15).0;
    assert!(
        r > 240 && g < 15 && b < 15,
        "first frame is red: {r} {g} {b}"
    );
}

/// The CRC of PNG chunks, so that the headers below are well formed.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A well-formed PNG start claiming `width` × `height` RGB pixels, and a
/// little compressed data that could never fill them.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = b"IHDR".to_vec();
    chunk.extend_from_slice(&width.to_be_bytes());
    chunk.extend_from_slice(&height.to_be_bytes());
    chunk.extend_from_slice(&[8, 2, 0, 0, 0]);
    png.extend_from_slice(&13u32.to_be_bytes());
    png.extend_from_slice(&chunk);
    png.extend_from_slice(&crc32(&chunk).to_be_bytes());
    let idat = b"IDAT\x78\x9c\x63\x00\x00\x00\x01\x00\x01";
    png.extend_from_slice(&9u32.to_be_bytes());
    png.extend_from_slice(idat);
    png.extend_from_slice(&crc32(idat).to_be_bytes());
    png
}

#[test]
fn decompression_bombs_are_refused_from_their_header() {
    let started = Instant::now();
    let err = variants(&png_claiming(100_000, 100_000), &[800]).unwrap_err();
    assert!(
        matches!(
            err,
            ImageError::TooManyPixels {
                width: 100_000,
                height: 100_000
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("100.000 × 100.000"), "{err}");
    // Refused from 60 bytes of header: decoding 30 GB would take minutes
    // (or abort the process).
    assert!(started.elapsed().as_millis() < 500);

    // Within each side but beyond 40 megapixels; one side too long.
    for (width, height) in [(8000, 6000), (12_001, 10)] {
        let err = variants(&png_claiming(width, height), &[800]).unwrap_err();
        assert!(matches!(err, ImageError::TooManyPixels { .. }), "{err:?}");
    }
    // A GIF's screen of 65,535 × 65,535.
    let gif = b"GIF89a\xff\xff\xff\xff\x00\x00\x00,\x00\x00\x00\x00\xff\xff\xff\xff\x00\x02\x02D\x01\x00;";
    let err = variants(gif, &[800]).unwrap_err();
    assert!(matches!(err, ImageError::TooManyPixels { .. }), "{err:?}");

    // More than 15 MB is refused before looking inside.
    let mut big = jpeg(&gradient(16, 16));
    big.resize(15 * 1024 * 1024 + 1, 0);
    let err = variants(&big, &[800]).unwrap_err();
    assert!(matches!(err, ImageError::TooLarge { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "tệp ảnh quá lớn (15.728.641 byte): tối đa 15 MB"
    );
}

#[test]
fn truncated_files_and_other_files_are_refused_in_vietnamese() {
    let png = encode(
        &DynamicImage::ImageRgb8(gradient(200, 200)),
        ImageFormat::Png,
    );
    let err = variants(&png[..png.len() / 2], &[100]).unwrap_err();
    assert!(matches!(err, ImageError::Corrupt { .. }), "{err:?}");
    assert_eq!(err.to_string(), "tệp ảnh bị hỏng hoặc không đầy đủ");
    let photo = jpeg(&gradient(200, 200));
    for cut in [photo.len() / 2, 300, 40] {
        let err = variants(&photo[..cut], &[100]).unwrap_err();
        assert!(matches!(err, ImageError::Corrupt { .. }), "{cut}: {err:?}");
    }
    // What follows the end marker (a phone's motion photo) is no harm.
    let mut motion = photo.clone();
    motion.extend_from_slice(b"\x00\x00\x00\x18ftypmp42 video follows");
    assert_eq!(variants(&motion, &[100]).unwrap()[0].width, 100);

    for other in [
        b"Kinh gui Uy ban nhan dan tinh\n".to_vec(),
        b"%PDF-1.7\n".to_vec(),
        // A format the decoder knows but uploads may not use.
        b"BM\x3a\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00".to_vec(),
        Vec::new(),
    ] {
        let err = variants(&other, &[100]).unwrap_err();
        assert!(matches!(err, ImageError::Unsupported), "{err:?}");
        assert!(err.to_string().contains("JPEG, PNG, WebP hoặc GIF"));
    }
}

/// An APP1 segment with EXIF: orientation 6 (the camera was turned a
/// quarter clockwise), and where the photo was taken.
const EXIF_SECRET: &[u8] = b"GPS 9.9347N 106.3456E";

fn with_exif(jpeg: &[u8]) -> Vec<u8> {
    let mut tiff = b"MM\x00\x2a\x00\x00\x00\x08".to_vec();
    // One IFD entry: Orientation (0x0112), SHORT, 1 value, 6.
    tiff.extend_from_slice(b"\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00");
    tiff.extend_from_slice(b"\x00\x00\x00\x00");
    tiff.extend_from_slice(EXIF_SECRET);
    let mut payload = b"Exif\x00\x00".to_vec();
    payload.extend_from_slice(&tiff);
    let length = u16::try_from(payload.len() + 2).unwrap();
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(b"\xff\xe1");
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(&payload);
    out.extend_from_slice(&jpeg[2..]);
    out
}

#[test]
fn the_exif_orientation_is_applied_and_no_metadata_survives() {
    let photo = with_exif(&jpeg(&gradient(300, 200)));
    assert!(photo.windows(EXIF_SECRET.len()).any(|w| w == EXIF_SECRET));
    let out = variants(&photo, &[100, 2000]).unwrap();
    // Turned upright: 300 × 200 shot sideways stands 200 × 300.
    let sizes: Vec<(u32, u32)> = out.iter().map(|v| (v.width, v.height)).collect();
    assert_eq!(sizes, [(100, 150), (200, 300)]);
    for variant in &out {
        decoded(variant);
        let bytes = &variant.bytes;
        assert!(!bytes.windows(EXIF_SECRET.len()).any(|w| w == EXIF_SECRET));
        assert!(
            !bytes.windows(4).any(|w| w == b"Exif"),
            "an EXIF block remains"
        );
    }
    // The top-left of the upright picture was the bottom-left of the
    // sensor: green (y) high, red (x) low.
    let upright = decoded(&out[1]).to_rgb8();
    let [r, g, _] = upright.get_pixel(2, 2).0;
    assert!(r < 20 && g > 230, "{r} {g}");
}

/// A stand-in for the fuzzer (`fuzz/fuzz_targets/image_variants.rs`) that
/// runs with the tests: small pictures of each format with bytes changed,
/// cut or repeated never panic, and what is accepted decodes as claimed.
#[test]
fn damaged_pictures_never_panic() {
    let small = gradient(48, 32);
    let mut webp = Vec::new();
    DynamicImage::ImageRgb8(small.clone())
        .write_with_encoder(WebPEncoder::new_lossless(&mut webp))
        .unwrap();
    let mut gif = Vec::new();
    GifEncoder::new(&mut gif)
        .encode_frame(image::Frame::new(
            DynamicImage::ImageRgb8(small.clone()).to_rgba8(),
        ))
        .unwrap();
    let originals = [
        jpeg(&small),
        with_exif(&jpeg(&small)),
        encode(&DynamicImage::ImageRgb8(small), ImageFormat::Png),
        webp,
        gif,
    ];
    // xorshift: the same mutations on every run.
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        usize::try_from(state % bound as u64).unwrap()
    };
    for original in &originals {
        for _ in 0..150 {
            let mut bytes = original.clone();
            match next(3) {
                0 => {
                    for _ in 0..=next(4) {
                        let at = next(bytes.len());
                        bytes[at] = u8::try_from(next(256)).unwrap();
                    }
                }
                1 => bytes.truncate(next(bytes.len())),
                _ => {
                    let at = next(bytes.len());
                    let copy = bytes[at..].to_vec();
                    bytes.splice(at..at, copy);
                }
            }
            match variants(&bytes, &[16, 64]) {
                Ok(out) => out.iter().for_each(|v| drop(decoded(v))),
                Err(e) => assert!(!e.to_string().is_empty()),
            }
        }
    }
}
