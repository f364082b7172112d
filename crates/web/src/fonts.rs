//! The web fonts at `/static/fonts/{name}`: Khmer OS for the pages in Khmer
//! (browsers seldom have a Khmer font), from the same Debian package and
//! folders the documents' PDFs embed it from (`render::fonts`).
//!
//! Invariants: only the files of [`WEB_FONTS`] are served, read once at
//! start-up and matched by exact name, so a request never reaches the file
//! system (no traversal); they are immutable for a year (a new font gets a
//! new name) and carry an ETag.

use std::sync::LazyLock;

use axum::Router;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::public_cache::{etag_matches, strong_etag};

/// The files served, by name.
pub const WEB_FONTS: [&str; 1] = ["KhmerOS.ttf"];

struct WebFont {
    name: &'static str,
    bytes: Bytes,
    etag: HeaderValue,
}

static LOADED: LazyLock<Vec<WebFont>> =
    LazyLock::new(|| WEB_FONTS.iter().filter_map(|name| read(name)).collect());

fn read(name: &'static str) -> Option<WebFont> {
    let Some(path) = render::fonts::system_file(name) else {
        tracing::warn!(
            font = name,
            "web font missing: install the Debian package fonts-khmeros"
        );
        return None;
    };
    match std::fs::read(&path) {
        Ok(bytes) => Some(WebFont {
            name,
            etag: HeaderValue::from_str(&strong_etag(&bytes)).ok()?,
            bytes: Bytes::from(bytes),
        }),
        Err(error) => {
            tracing::warn!(path = %path.display(), %error, "web font unreadable");
            None
        }
    }
}

/// Reads the fonts now rather than on the first request.
pub fn load() {
    LazyLock::force(&LOADED);
}

pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route("/static/fonts/{name}", get(font))
}

async fn font(Path(name): Path<String>, headers: HeaderMap) -> Response {
    let Some(font) = LOADED.iter().find(|font| font.name == name) else {
        return crate::ui::error_page(&app::AppError::NotFound("phông chữ này"));
    };
    let cached = [
        (
            CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ),
        (ETAG, font.etag.clone()),
    ];
    let current = headers
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .zip(font.etag.to_str().ok())
        .is_some_and(|(tags, etag)| etag_matches(tags, etag));
    if current {
        return (StatusCode::NOT_MODIFIED, cached).into_response();
    }
    (
        [(CONTENT_TYPE, HeaderValue::from_static("font/ttf"))],
        cached,
        font.bytes.clone(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;

    use super::*;

    async fn get(uri: &str, etag: Option<&str>) -> Response {
        let mut request = Request::get(uri);
        if let Some(etag) = etag {
            request = request.header(IF_NONE_MATCH, etag);
        }
        router::<()>()
            .oneshot(request.body(Body::empty()).unwrap())
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn the_khmer_font_is_served_from_debians_file() {
        let file = std::fs::read("/usr/share/fonts/truetype/khmeros/KhmerOS.ttf").unwrap();
        let response = get("/static/fonts/KhmerOS.ttf", None).await;
        assert_eq!(response.status(), StatusCode::OK);
        let headers = response.headers().clone();
        assert_eq!(headers[CONTENT_TYPE], "font/ttf");
        assert_eq!(
            headers[CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        assert_eq!(headers[ETAG], strong_etag(&file).as_str());
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        assert_eq!(body, file);

        let etag = headers[ETAG].to_str().unwrap();
        let again = get("/static/fonts/KhmerOS.ttf", Some(etag)).await;
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        let body = axum::body::to_bytes(again.into_body(), usize::MAX)
            .await
            .unwrap();
        assert!(body.is_empty());
    }

    #[tokio::test]
    async fn nothing_else_is_served() {
        for uri in [
            // On disk, in the same folder, but not on the list.
            "/static/fonts/KhmerOSsys.ttf",
            "/static/fonts/khmeros.ttf",
            "/static/fonts/..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd",
            "/static/fonts/..%2Fkhmeros%2FKhmerOS.ttf",
            "/static/fonts/%2Fusr%2Fshare%2Ffonts%2Ftruetype%2Fkhmeros%2FKhmerOS.ttf",
            "/static/fonts/../../../etc/passwd",
            "/static/fonts/",
        ] {
            let response = get(uri, None).await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{uri}");
        }
        assert!(render::fonts::system_file("../khmeros/KhmerOS.ttf").is_none());
        assert!(render::fonts::system_file("/etc/passwd").is_none());
        assert!(render::fonts::system_file("passwd").is_none());
    }
}
