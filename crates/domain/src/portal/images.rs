//! Pictures uploaded for a site's articles: each kept as resized variants
//! (the widths [`WIDTHS`]), served at `/anh/{id}/{width}`, with the
//! alternative text readers who cannot see it hear instead.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::SiteId;
use crate::people::PersonId;

pub type ImageId = i64;

/// The widths kept of each upload (narrower originals keep their own).
pub const WIDTHS: [u32; 3] = [480, 960, 1600];
const ALT_MAX: usize = 300;

/// One stored size of a picture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageVariant {
    pub width: u32,
    pub height: u32,
    pub mime: String,
    /// The blob holding its bytes.
    pub sha256: String,
}

/// A picture of a site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalImage {
    pub id: ImageId,
    pub site_id: SiteId,
    pub alt: String,
    /// By increasing width.
    pub variants: Vec<ImageVariant>,
    pub uploaded_by: PersonId,
    pub uploaded_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageRuleError {
    #[error("cần ghi lời mô tả ảnh cho người không xem được ảnh (tối đa 300 ký tự)")]
    BadAlt,
}

/// The alternative text, trimmed: required, at most [`ALT_MAX`] characters.
pub fn checked_alt(alt: &str) -> Result<String, ImageRuleError> {
    let alt = super::html::sanitize_text(alt);
    let alt = alt.trim().to_owned();
    if alt.is_empty() || alt.chars().count() > ALT_MAX {
        return Err(ImageRuleError::BadAlt);
    }
    Ok(alt)
}

impl PortalImage {
    /// The variant an article shows by default: the widest up to 960
    /// pixels (the body's column), else the narrowest.
    pub fn body_variant(&self) -> Option<&ImageVariant> {
        self.variants
            .iter()
            .rev()
            .find(|v| v.width <= 960)
            .or_else(|| self.variants.first())
    }

    /// Where a variant is served.
    pub fn src(&self, width: u32) -> String {
        format!("/anh/{}/{width}", self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portal::html::sanitize;

    #[test]
    fn the_sanitiser_keeps_a_picture_of_this_site() {
        let tag = r#"<img src="/anh/7/960" alt="Múa Khmer" width="960" height="576">"#;
        assert_eq!(sanitize(tag), tag);
        // A scheme-relative address would load from another host.
        assert!(!sanitize(r#"<img src="//evil.example/x.jpg">"#).contains("evil"));
    }

    #[test]
    fn alt_text_is_required_and_bounded() {
        assert_eq!(checked_alt("  Múa  Khmer "), Ok("Múa Khmer".to_owned()));
        assert_eq!(checked_alt("  "), Err(ImageRuleError::BadAlt));
        assert_eq!(checked_alt(&"a".repeat(301)), Err(ImageRuleError::BadAlt));
    }

    #[test]
    fn the_body_shows_the_widest_variant_up_to_960() {
        let variant = |width| ImageVariant {
            width,
            height: width / 2,
            mime: "image/jpeg".into(),
            sha256: String::new(),
        };
        let mut image = PortalImage {
            id: 7,
            site_id: 1,
            alt: "x".into(),
            variants: vec![variant(480), variant(960), variant(1600)],
            uploaded_by: 1,
            uploaded_at: time::OffsetDateTime::UNIX_EPOCH,
        };
        assert_eq!(image.body_variant().map(|v| v.width), Some(960));
        image.variants = vec![variant(1200)];
        assert_eq!(image.body_variant().map(|v| v.width), Some(1200));
        assert_eq!(image.src(480), "/anh/7/480");
    }
}
