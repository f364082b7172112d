//! Uploaded files: `domain::files::sniff`, `UploadPolicy::check` and
//! `display_name` on arbitrary bytes / client file names.
//!
//! Properties:
//! - nothing panics;
//! - `sniff` decides from the bytes exactly as documented (magic numbers,
//!   text = UTF-8 without control characters but tab and line breaks);
//! - `check` agrees with `sniff` for every policy: `Empty` for no bytes,
//!   `TooLarge` above `max_bytes`, otherwise `Ok(t)` exactly when
//!   `sniff == Some(t)` and `t` is allowed, else `TypeNotAllowed`;
//! - `display_name` is never a path: no '/', '\\', no control characters,
//!   never starts with '.', at most 200 chars, never empty.
#![no_main]

use domain::files::{MediaType, UploadError, UploadPolicy, display_name, sniff};
use libfuzzer_sys::fuzz_target;

static ALL: [MediaType; 7] = [
    MediaType::Pdf,
    MediaType::OfficeOpenXml,
    MediaType::Zip,
    MediaType::Png,
    MediaType::Jpeg,
    MediaType::Xml,
    MediaType::Text,
];

fn check_sniff(data: &[u8]) -> Option<MediaType> {
    let sniffed = sniff(data);
    if let Some(t) = sniffed {
        assert_eq!(MediaType::from_name(t.as_str()), Some(t));
        assert!(!t.mime().is_empty());
    }
    let expected = if data.starts_with(b"%PDF-") {
        Some(MediaType::Pdf)
    } else if data.starts_with(b"PK\x03\x04") {
        let head = &data[..data.len().min(64 * 1024)];
        if head.windows(19).any(|w| w == b"[Content_Types].xml") {
            Some(MediaType::OfficeOpenXml)
        } else {
            Some(MediaType::Zip)
        }
    } else if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(MediaType::Png)
    } else if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(MediaType::Jpeg)
    } else {
        match std::str::from_utf8(data) {
            Err(_) => None,
            Ok(text) => {
                let text = text.strip_prefix('\u{feff}').unwrap_or(text);
                if text
                    .chars()
                    .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
                {
                    None
                } else if text.trim_start().starts_with("<?xml") {
                    Some(MediaType::Xml)
                } else {
                    Some(MediaType::Text)
                }
            }
        }
    };
    assert_eq!(
        sniffed, expected,
        "sniff disagrees with its documented rules"
    );
    sniffed
}

fn check_policy(data: &[u8], sniffed: Option<MediaType>, policy: UploadPolicy) {
    let got = policy.check(data);
    let size = data.len() as u64;
    let want = if size == 0 {
        Err(UploadError::Empty)
    } else if size > policy.max_bytes {
        Err(UploadError::TooLarge {
            size,
            max: policy.max_bytes,
        })
    } else {
        match sniffed {
            Some(t) if policy.allowed.contains(&t) => Ok(t),
            _ => Err(UploadError::TypeNotAllowed),
        }
    };
    assert_eq!(got, want, "check disagrees with sniff for {policy:?}");
    if let Ok(t) = got {
        assert_eq!(Some(t), sniffed);
        assert!(policy.allowed.contains(&t));
    }
}

fn check_display_name(name: &str) {
    let shown = display_name(name);
    assert!(!shown.is_empty(), "empty display name for {name:?}");
    assert!(
        shown.chars().count() <= 200,
        "display name longer than 200 chars for {name:?}"
    );
    assert!(!shown.contains(['/', '\\']), "path separator in {shown:?}");
    assert!(
        !shown.chars().any(char::is_control),
        "control char in {shown:?}"
    );
    assert!(!shown.starts_with('.'), "leading dot in {shown:?}");
    assert!(
        !shown.contains(['"', '<', '>', '|', ':', '*', '?']),
        "reserved char in {shown:?}"
    );
    // The cleaned name is never a path: `..` cannot survive as a component.
    assert_ne!(shown, "..");
}

fuzz_target!(|data: &[u8]| {
    let sniffed = check_sniff(data);

    let len = data.len() as u64;
    // No type, every type, each type alone, and the two halves of the list.
    let mut policies: Vec<&'static [MediaType]> = vec![&ALL[..0], &ALL[..], &ALL[..3], &ALL[3..]];
    policies.extend((0..ALL.len()).map(|i| &ALL[i..=i]));
    for allowed in policies {
        for max_bytes in [u64::MAX, len, len.saturating_sub(1)] {
            check_policy(data, sniffed, UploadPolicy { max_bytes, allowed });
        }
    }
    check_policy(
        data,
        sniffed,
        UploadPolicy {
            max_bytes: 0,
            allowed: &ALL,
        },
    );

    // Client file names: any UTF-8, exact when valid, lossy otherwise.
    match std::str::from_utf8(data) {
        Ok(name) => check_display_name(name),
        Err(_) => check_display_name(&String::from_utf8_lossy(data)),
    }
});
