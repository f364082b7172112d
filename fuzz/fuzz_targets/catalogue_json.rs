//! A procedure catalogue in the JSON form from outside (an import):
//! `domain::catalogue::read_json` on arbitrary bytes, with small limits so
//! that every limit is reached often.
//!
//! Properties:
//! - reading never panics and always ends with Ok or a `CatalogueError`
//!   with a message;
//! - what was read writes again and reads back equal (export → import is
//!   exact), in the JSON form and in the workbook.
#![no_main]

use domain::catalogue::{Limits, read_json, sheet, write_json};
use libfuzzer_sys::fuzz_target;

const SMALL: Limits = Limits {
    max_bytes: 64 * 1024,
    max_inflated: 1 << 20,
    max_procedures: 8,
    max_items: 4,
    max_chars: 200,
};

fuzz_target!(|data: &[u8]| {
    match read_json(data, &SMALL) {
        Err(error) => assert!(!error.to_string().is_empty()),
        Ok(catalogue) => {
            let json = write_json(&catalogue);
            let again = read_json(&json, &Limits::default()).expect("written JSON reads back");
            assert_eq!(again, catalogue);
            let book = sheet::write(&catalogue).expect("a catalogue that was read is written");
            let again = sheet::read(&book, &Limits::default()).expect("the workbook reads back");
            assert_eq!(again.entries, catalogue.entries);
        }
    }
});
