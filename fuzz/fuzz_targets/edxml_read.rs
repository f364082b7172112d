//! edXML packages and status messages from outside (QCVN 102:2016):
//! `edxml::read` and `edxml::read_status` on arbitrary bytes, with small
//! limits so that every limit is reached often.
//!
//! Properties:
//! - reading never panics and always ends with Ok or an `EdxmlError`;
//! - what was read can be written again, and reading that gives the same
//!   package or status (the writer accepts everything the reader accepts,
//!   and reading is a fixed point: text trimmed and in NFC stays so).
#![no_main]

use edxml::{Limits, read, read_status, write, write_status};
use libfuzzer_sys::fuzz_target;

const SMALL: Limits = Limits {
    max_package_bytes: 64 * 1024,
    max_attachments: 4,
    max_attachment_bytes: 64 * 1024,
    max_depth: 16,
    max_text_bytes: 4 * 1024,
    max_elements: 2_000,
};

fuzz_target!(|data: &[u8]| {
    if let Ok(package) = read(data, &SMALL) {
        let bytes = write(&package).expect("a package that was read can be written");
        // Zipping may make the written file larger than the small limits.
        let again = read(&bytes, &Limits::default()).expect("a written package reads back");
        assert_eq!(again, package);
    }
    if let Ok(status) = read_status(data, &SMALL) {
        let bytes = write_status(&status).expect("a status that was read can be written");
        let again = read_status(&bytes, &Limits::default()).expect("a written status reads back");
        assert_eq!(again, status);
    }
});
