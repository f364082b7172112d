// What `textract_pdf` and `textract_docx` check of `textract::extract`,
// whatever the bytes (included by both with `include!`).
//
// Properties:
// - nothing panics, inside textract or the readers it uses (libFuzzer's
//   panic hook aborts on any panic, so a panic that `extract` would catch
//   and turn into `ReaderPanicked` is still reported here as a crash: the
//   target holds the readers to "no panic", not just egov's boundary);
// - `Ok` text (possibly empty) is NFC, at most `max_output_chars` chars, has no empty line,
//   no line starting or ending with whitespace, no two separators in a
//   row, no control character but tab and newline;
// - every error has a message;
// - the result does not depend on the kind guessed: `extract` with the
//   kind `Kind::sniff` finds is one of the two results computed.

use textract::{Kind, Limits, extract};
use unicode_normalization::is_nfc;

fn limits() -> Limits {
    // Small bounds keep each execution fast and memory flat; they are
    // also the paths most worth fuzzing.
    Limits {
        max_input_bytes: 1 << 20,
        max_output_chars: 4096,
        max_zip_entry_bytes: 1 << 20,
        max_pages: 64,
        max_pdf_stream_bytes: 1 << 20,
        max_pdf_content_bytes: 4 << 20,
    }
}

fn check(data: &[u8], kind: Kind) {
    let limits = limits();
    match extract(data, kind, &limits) {
        Ok(text) => {
            assert!(is_nfc(&text), "not NFC: {text:?}");
            assert!(text.chars().count() <= limits.max_output_chars);
            // Empty text is fine (a scanned PDF has none); otherwise:
            for line in text.split('\n').filter(|_| !text.is_empty()) {
                assert!(!line.is_empty(), "empty line in {text:?}");
                assert_eq!(line, line.trim(), "untrimmed line {line:?}");
                assert!(
                    !line.contains("  ")
                        && !line.contains("\t\t")
                        && !line.contains(" \t")
                        && !line.contains("\t "),
                    "{line:?}"
                );
                assert!(
                    !line.chars().any(|c| c.is_control() && c != '\t'),
                    "control char in {line:?}"
                );
            }
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
    if let Some(sniffed) = Kind::sniff(data) {
        let _ = extract(data, sniffed, &limits);
    }
}
