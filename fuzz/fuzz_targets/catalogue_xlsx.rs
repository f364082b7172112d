//! A procedure catalogue workbook from outside (an import):
//! `domain::catalogue::sheet::read` on arbitrary bytes (seeded with
//! workbooks egov wrote), with small limits so that every limit — the
//! inflated size of the zip's parts above all — is reached often.
//!
//! Properties:
//! - reading never panics (in calamine or zip either) and always ends
//!   with Ok or a `CatalogueError` with a message;
//! - what was read writes again and reads back equal.
#![no_main]

use domain::catalogue::{Limits, sheet};
use libfuzzer_sys::fuzz_target;

const SMALL: Limits = Limits {
    max_bytes: 256 * 1024,
    max_inflated: 1 << 20,
    max_procedures: 8,
    max_items: 4,
    max_chars: 200,
};

fuzz_target!(|data: &[u8]| {
    match sheet::read(data, &SMALL) {
        Err(error) => assert!(!error.to_string().is_empty()),
        Ok(catalogue) => {
            let book = sheet::write(&catalogue).expect("a catalogue that was read is written");
            let again = sheet::read(&book, &Limits::default()).expect("the workbook reads back");
            assert_eq!(again, catalogue);
        }
    }
});
