//! `textract::extract` as a PDF on arbitrary bytes (seeds: PDFs made by
//! LibreOffice, Typst and by hand). See `textract_common.rs` for what is
//! checked. Also `textract::pdf_lines`: no panic, an error
//! with a message, or lines that are NFC, non-empty, trimmed, with
//! finite positions and `x0 <= x1`.
#![no_main]

use libfuzzer_sys::fuzz_target;

include!("textract_common.rs");

fuzz_target!(|data: &[u8]| {
    check(data, Kind::Pdf);
    match textract::pdf_lines(data, &limits()) {
        Ok(pages) => {
            for line in pages.into_iter().flatten() {
                assert!(is_nfc(&line.text) && !line.text.is_empty(), "{line:?}");
                assert_eq!(line.text, line.text.trim(), "{line:?}");
                let numbers = [line.x0, line.x1, line.baseline, line.size];
                if numbers.iter().all(|n| n.is_finite()) {
                    assert!(line.x0 <= line.x1, "{line:?}");
                }
            }
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
