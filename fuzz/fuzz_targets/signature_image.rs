//! Uploaded signature and seal images: `render::pdf::appearance::picture`,
//! which is how egov checks an uploaded PNG (by drawing it with Typst, as
//! signing will), on arbitrary bytes after the PNG signature (seeds: the
//! demo signature and seal, a 1×1 PNG).
//!
//! Properties: nothing panics (in Typst, its image decoders or krilla);
//! an error has a message; an accepted image comes back as a one-page
//! PDF of the box asked for (44 × 20 mm), which the `pdf` crate can
//! import as a form.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use render::Fonts;
use render::pdf::appearance::picture;

static FONTS: LazyLock<Fonts> = LazyLock::new(|| Fonts::system().expect("fonts"));

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
const MM: f64 = 72.0 / 25.4;

fuzz_target!(|data: &[u8]| {
    // The upload check refuses anything not starting with the signature.
    let mut png = PNG.to_vec();
    png.extend_from_slice(data.strip_prefix(PNG).unwrap_or(data));
    match picture(&FONTS, &png, 44.0, 20.0) {
        Ok(appearance) => {
            assert!((appearance.width - 44.0 * MM).abs() < 0.5, "{}", appearance.width);
            assert!((appearance.height - 20.0 * MM).abs() < 0.5, "{}", appearance.height);
            let page = pdf::page_box(&appearance.pdf, 1, &pdf::Limits::default())
                .expect("egov reads the page it drew");
            assert!(page[2] > page[0] && page[3] > page[1]);
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
