//! An editor's article body (any bytes read as UTF-8) through the portal's
//! sanitiser `domain::portal::html::sanitize`, and the same bytes as a
//! title through `sanitize_text`.
//!
//! Properties:
//! - nothing panics;
//! - the body's output has no script, frame, plug-in, SVG, MathML or style
//!   element, no `on…=` event handler or `style` inside a tag, and no `<`
//!   that does not open a tag;
//! - sanitising the output again changes nothing (idempotent), and the
//!   output is NFC;
//! - the title's output has no control character and no double space.
#![no_main]

use domain::portal::html::{sanitize, sanitize_text};
use libfuzzer_sys::fuzz_target;
use unicode_normalization::is_nfc;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let output = sanitize(&input);
    let lower = output.to_lowercase();
    for tag in ["<script", "<iframe", "<object", "<embed", "<svg", "<math", "<style", "<meta", "<link", "<base", "<form"] {
        assert!(!lower.contains(tag), "{tag} in {output:?}");
    }
    // Neither text nor attribute values hold a raw `<`, so every `<`
    // opens a tag: look at each.
    for tag in lower.split('<').skip(1) {
        assert!(tag.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/'), "{output:?}");
        let inside = tag.split('>').next().unwrap_or_default();
        let mut quoted = false;
        let mut outside_quotes = String::new();
        for c in inside.chars() {
            if c == '"' {
                quoted = !quoted;
            } else if !quoted {
                outside_quotes.push(c);
            }
        }
        for attribute in outside_quotes.split_whitespace().skip(1) {
            assert!(!attribute.starts_with("on"), "{attribute} in {output:?}");
            assert!(!attribute.starts_with("style"), "{attribute} in {output:?}");
        }
    }
    assert_eq!(sanitize(&output), output, "not idempotent for {input:?}");
    assert!(is_nfc(&output));

    let title = sanitize_text(&input);
    assert!(!title.chars().any(char::is_control), "{title:?}");
    assert!(!title.contains("  ") && title.trim() == title, "{title:?}");
    assert_eq!(sanitize_text(&title), title);
});
