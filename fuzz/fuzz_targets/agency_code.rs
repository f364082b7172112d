//! Agency codes (Decision 20/2020/QĐ-TTg, `NNN.NN.NN.Xnn`):
//! `"...".parse::<domain::agencies::AgencyCode>()` and `.level()`.
//!
//! Properties:
//! - parsing never panics, and accepts exactly the trimmed texts of the shape
//!   `DDD.DD.DD.UDD` (D an ASCII digit, U an ASCII uppercase letter);
//! - when Ok: `level()` is in 1..=4 and matches the rule "1 + the number of
//!   non-zero groups read from the right, stopping at the first zero group";
//!   Display == as_str == the trimmed input, and Display parses back equal.
#![no_main]

use domain::agencies::AgencyCode;
use libfuzzer_sys::fuzz_target;

/// Independent reading of the format.
fn reference_valid(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 13 {
        return false;
    }
    b.iter().enumerate().all(|(i, &c)| match i {
        3 | 6 | 9 => c == b'.',
        10 => c.is_ascii_uppercase(),
        _ => c.is_ascii_digit(),
    })
}

fn reference_level(text: &str) -> u8 {
    let groups = [&text[0..3], &text[4..6], &text[7..9]];
    let mut level = 1;
    for g in groups.iter().rev() {
        if g.bytes().all(|c| c == b'0') {
            break;
        }
        level += 1;
    }
    level
}

fn check(input: &str) {
    let trimmed = input.trim();
    match input.parse::<AgencyCode>() {
        Ok(code) => {
            assert!(
                reference_valid(trimmed),
                "accepted a malformed agency code {input:?}"
            );
            let level = code.level();
            assert!((1..=4).contains(&level), "level {level} of {code}");
            assert_eq!(level, reference_level(trimmed), "level of {code}");
            let shown = code.to_string();
            assert_eq!(shown, code.as_str());
            assert_eq!(shown, trimmed);
            let again: AgencyCode = shown
                .parse()
                .unwrap_or_else(|e| panic!("Display of {code:?} does not parse back: {e}"));
            assert_eq!(again, code);
            assert_eq!(again.level(), level);
            assert_eq!(String::from(again.clone()), shown);
            assert_eq!(AgencyCode::try_from(shown), Ok(again));
        }
        Err(e) => {
            assert!(
                !reference_valid(trimmed),
                "rejected a well-formed agency code {input:?}"
            );
            assert_eq!(e.0, trimmed);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    match std::str::from_utf8(data) {
        Ok(s) => check(s),
        Err(_) => check(&String::from_utf8_lossy(data)),
    }
});
