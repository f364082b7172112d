//! The images visible signatures show: one's own handwritten signature
//! (the account page) and an agency's seal (the agency's page), uploaded
//! as PNG and shown back.

use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Redirect, Response};
use domain::pki::Holder;

use super::respond;
use crate::AppState;
use crate::session::UiUser;
use crate::upload::UiUpload;

fn png(image: Option<bytes::Bytes>) -> Result<Response, app::AppError> {
    let image = image.ok_or(app::AppError::NotFound("ảnh"))?;
    Ok((
        [
            (CONTENT_TYPE, "image/png"),
            (CACHE_CONTROL, "private, no-cache"),
        ],
        image,
    )
        .into_response())
}

/// `GET /app/account/signature.png`
pub async fn own_signature(State(state): State<AppState>, user: UiUser) -> Response {
    let holder = Holder::Person(user.signed_in.person.id);
    respond(async { png(state.app.signature_image(holder).await?) }.await)
}

/// `POST /app/account/signature`
pub async fn set_own_signature(State(state): State<AppState>, upload: UiUpload) -> Response {
    let holder = Holder::Person(upload.user.signed_in.person.id);
    respond(
        async {
            state
                .app
                .set_signature_image(&upload.user.ctx(), holder, upload.bytes.clone())
                .await?;
            Ok(Redirect::to("/app/account").into_response())
        }
        .await,
    )
}

/// `GET /app/agencies/{id}/seal.png`
pub async fn seal(State(state): State<AppState>, _user: UiUser, Path(id): Path<i64>) -> Response {
    respond(async { png(state.app.signature_image(Holder::Agency(id)).await?) }.await)
}

/// `POST /app/agencies/{id}/seal`
pub async fn set_seal(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    upload: UiUpload,
) -> Response {
    respond(
        async {
            state
                .app
                .set_signature_image(&upload.user.ctx(), Holder::Agency(id), upload.bytes.clone())
                .await?;
            Ok(Redirect::to(&format!("/app/agencies/{id}")).into_response())
        }
        .await,
    )
}
