//! File downloads: the headers that make a browser save a stored file
//! under its own (Vietnamese) name and never render it in our origin.

use std::fmt::Write as _;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

/// RFC 5987 `attr-char`s pass; every other byte of the UTF-8 name is
/// percent-encoded, so "Phụ lục I.pdf" survives every browser.
fn rfc5987(name: &str) -> String {
    let mut out = String::with_capacity(name.len() * 3);
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// A response that downloads `bytes` as `name`. The ASCII fallback name
/// is the folded one ("phu luc i.pdf") for the rare client without
/// `filename*`.
pub fn download(name: &str, content_type: &str, bytes: Bytes) -> Response {
    let fallback: String = vn::text::fold(name)
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!(
        "attachment; filename=\"{fallback}\"; filename*=UTF-8''{}",
        rfc5987(name)
    );
    let content_type = HeaderValue::from_str(content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, content_type);
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_names_are_encoded_both_ways() {
        let response = download("Phụ lục \"I\".pdf", "application/pdf", Bytes::new());
        let value = response.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .to_owned();
        assert_eq!(
            value,
            "attachment; filename=\"phu luc _i_.pdf\"; filename*=UTF-8''Ph%E1%BB%A5%20l%E1%BB%A5c%20%22I%22.pdf"
        );
        let bad = download("x", "bad\ntype", Bytes::new());
        assert_eq!(
            bad.headers()[header::CONTENT_TYPE],
            "application/octet-stream"
        );
    }
}
