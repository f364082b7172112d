//! Personal names as people type them: `vn::names::split`, the sort key and
//! the official mailbox name (DOMAIN.md §8).
//!
//! Properties:
//! - nothing panics;
//! - when `split` is Ok, the parts rejoin (`full()`) to the input's words in
//!   NFC, and the given name is non-empty;
//! - a mailbox local part is non-empty ASCII of `a-z`, digits and `.`, with
//!   no leading, trailing or doubled dot; with an agency it ends in
//!   `.<agency>`; with every candidate taken but the numbered ones, it
//!   takes the next number.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vn::names;

fn check_local_part(local: &str, input: &str) {
    assert!(!local.is_empty(), "empty mailbox for {input:?}");
    assert!(
        local.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.'),
        "mailbox {local:?} has other characters (input {input:?})"
    );
    assert!(
        !local.starts_with('.') && !local.ends_with('.') && !local.contains(".."),
        "mailbox {local:?} has a stray dot (input {input:?})"
    );
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (name, agency) = text.split_once('|').map_or((text, None), |(n, a)| (n, Some(a)));
    if let Ok(parts) = names::split(name) {
        let words: Vec<String> = vn::text::nfc(name).split_whitespace().map(str::to_owned).collect();
        assert_eq!(parts.full(), words.join(" "), "parts do not rejoin for {name:?}");
        assert!(!parts.given.is_empty());
        let _ = names::full_name_key(name);
    }
    let _ = names::compare_full_names(name, agency.unwrap_or_default());
    if let Ok(base) = names::mailbox_base(name, agency) {
        check_local_part(&base, text);
        let first = names::mailbox_local_part(name, agency, |_| false);
        assert_eq!(first.as_ref(), Ok(&base), "a free base is taken as is");
        let taken = base.clone();
        if let Ok(next) = names::mailbox_local_part(name, agency, |c| c == taken) {
            check_local_part(&next, text);
            assert_ne!(next, base, "a taken base is not reused");
        }
    }
});
