//! `textract::extract` as a PDF on arbitrary bytes (seeds: PDFs made by
//! LibreOffice, Typst and by hand). See `textract_common.rs` for what is
//! checked.
#![no_main]

use libfuzzer_sys::fuzz_target;

include!("textract_common.rs");

fuzz_target!(|data: &[u8]| check(data, Kind::Pdf));
