//! `textract::extract` as a DOCX on arbitrary bytes (seeds: DOCX files made
//! by LibreOffice and small hand-made archives). See `textract_common.rs`
//! for what is checked.
#![no_main]

use libfuzzer_sys::fuzz_target;

include!("textract_common.rs");

fuzz_target!(|data: &[u8]| check(data, Kind::Docx));
