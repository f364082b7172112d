//! `/api/v1/auth`: API tokens, and who the caller is.

use app::auth::Login;
use axum::extract::State;
use axum::http::StatusCode;
use domain::auth::SessionKind;

use super::dto::{PersonDto, TokenRequest, TokenResponse};
use crate::AppState;
use crate::error::{ApiError, ApiJson, ErrorBody};
use crate::session::{ApiUser, Source};

/// Đăng nhập và nhận mã truy cập API.
#[utoipa::path(
    post, path = "/api/v1/auth/token", tag = "auth",
    request_body = TokenRequest,
    responses(
        (status = 200, description = "Mã truy cập", body = TokenResponse),
        (status = 400, description = "Yêu cầu sai cú pháp", body = ErrorBody),
        (status = 401, description = "Sai thông tin đăng nhập", body = ErrorBody),
        (status = 415, description = "Thiếu Content-Type JSON", body = ErrorBody),
        (status = 422, description = "Dữ liệu không hợp lệ", body = ErrorBody),
        (status = 423, description = "Tài khoản bị khóa", body = ErrorBody)
    )
)]
pub async fn issue_token(
    State(state): State<AppState>,
    Source(source): Source,
    ApiJson(body): ApiJson<TokenRequest>,
) -> Result<ApiJson<TokenResponse>, ApiError> {
    let new = state
        .app
        .login(Login {
            email: &body.email,
            password: &body.password,
            totp_code: body.totp.as_deref(),
            kind: SessionKind::Api,
            source,
        })
        .await?;
    Ok(ApiJson(TokenResponse {
        token: new.token,
        expires_at: new.session.expires_at,
    }))
}

/// Thông tin của người đang đăng nhập.
#[utoipa::path(
    get, path = "/api/v1/auth/me", tag = "auth", security(("bearer" = [])),
    responses(
        (status = 200, body = PersonDto),
        (status = 401, body = ErrorBody)
    )
)]
pub async fn me(user: ApiUser) -> ApiJson<PersonDto> {
    ApiJson(user.signed_in.person.into())
}

/// Thu hồi mã truy cập đang dùng.
#[utoipa::path(
    delete, path = "/api/v1/auth/token", tag = "auth", security(("bearer" = [])),
    responses(
        (status = 204, description = "Đã thu hồi"),
        (status = 401, body = ErrorBody)
    )
)]
pub async fn revoke_token(
    State(state): State<AppState>,
    user: ApiUser,
) -> Result<StatusCode, ApiError> {
    state
        .app
        .logout(&user.signed_in, user.source.clone())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
