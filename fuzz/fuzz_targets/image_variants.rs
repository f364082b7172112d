//! The portal's uploaded pictures: `render::images::variants` on arbitrary
//! bytes (seeds: small JPEG, JPEG with an EXIF orientation, PNG with
//! transparency, grey PNG, WebP, two-frame GIF, and the PNG header that
//! claims 553,648,144 × 16 pixels).
//!
//! Properties: nothing panics or aborts (in `image`, zune-jpeg, png, gif,
//! image-webp); an error has a message; accepted pictures come back in
//! increasing widths, none wider than asked or than the largest variant,
//! each a JPEG or PNG that decodes to exactly the size it claims, in one
//! format for all, keeping the aspect ratio of the largest.
#![no_main]

use libfuzzer_sys::fuzz_target;
use render::images::{MAX_PIXELS, MAX_SIDE, variants};

fuzz_target!(|data: &[u8]| {
    match variants(data, &[40, 120, 120, 100_000]) {
        Ok(out) => {
            assert!(!out.is_empty() && out.len() <= 3, "{}", out.len());
            let largest = out.last().expect("not empty");
            assert!(largest.width <= MAX_SIDE && largest.height <= MAX_SIDE);
            assert!(u64::from(largest.width) * u64::from(largest.height) <= MAX_PIXELS);
            assert!(out.windows(2).all(|w| w[0].width < w[1].width));
            for variant in &out {
                assert!(variant.width >= 1 && variant.height >= 1);
                assert_eq!(variant.mime, out[0].mime);
                let format = image::guess_format(&variant.bytes).expect("a known format");
                assert_eq!(format.to_mime_type(), variant.mime);
                let picture = image::load_from_memory(&variant.bytes).expect("decodes");
                assert_eq!(
                    (picture.width(), picture.height()),
                    (variant.width, variant.height)
                );
                // Same shape as the largest, within a pixel of rounding.
                let expected = f64::from(largest.height) * f64::from(variant.width)
                    / f64::from(largest.width);
                assert!((f64::from(variant.height) - expected).abs() <= 1.0);
            }
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
