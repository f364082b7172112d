//! The portal's pictures at `/anh/{id}/{width}`: a stored variant's bytes
//! with its MIME type. A variant never changes once stored (a new upload
//! is a new picture), so browsers and proxies keep it for a year.

use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::ui::error_page;

/// `GET /anh/{id}/{width}`: 404 for an unknown picture or width.
pub async fn variant(
    State(state): State<AppState>,
    Path((id, width)): Path<(i64, u32)>,
) -> Response {
    match state.app.portal_image_bytes(id, width).await {
        Ok((bytes, mime)) => (
            [
                (CONTENT_TYPE, mime),
                (
                    CACHE_CONTROL,
                    "public, max-age=31536000, immutable".to_owned(),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(err) => error_page(&err),
    }
}
