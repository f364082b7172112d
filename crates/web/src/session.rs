//! Who is calling: session cookies for the staff UI, bearer tokens for the
//! API, the client's address, and CSRF protection of every form.
//!
//! Invariant: the API authenticates by bearer token only and the UI by
//! cookie only. Cookies are HttpOnly and SameSite=Lax, and every UI form
//! that changes something goes through [`UiForm`], which refuses it
//! without the session's CSRF token.

use std::net::SocketAddr;

use app::auth::SignedIn;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use domain::auth::SessionKind;
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::error::ApiError;

pub const SESSION_COOKIE: &str = "egov_session";
/// The double-submit token of the sign-in form, before any session exists.
pub const LOGIN_CSRF_COOKIE: &str = "egov_login_csrf";

/// The value of one cookie of the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// A `Set-Cookie` value for an HttpOnly, SameSite=Lax cookie.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}")
}

/// Compares secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The client's address, when the server knows it.
#[derive(Debug, Clone)]
pub struct Source(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for Source {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip().to_string()),
        ))
    }
}

/// An API caller, authenticated by `Authorization: Bearer <token>`.
#[derive(Debug, Clone)]
pub struct ApiUser {
    pub signed_in: SignedIn,
    pub source: Option<String>,
}

impl ApiUser {
    pub fn ctx(&self) -> app::Ctx {
        self.signed_in.ctx(self.source.clone())
    }
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(|| ApiError::from(app::AppError::Unauthenticated))?;
        let signed_in = state.app.signed_in(token).await?;
        if signed_in.session.kind != SessionKind::Api {
            return Err(app::AppError::Unauthenticated.into());
        }
        let Source(source) = Source::from_request_parts(parts, state)
            .await
            .unwrap_or(Source(None));
        Ok(Self { signed_in, source })
    }
}

/// A staff member using the UI, authenticated by the session cookie.
/// Without one, the request is sent to the sign-in page.
#[derive(Debug, Clone)]
pub struct UiUser {
    pub signed_in: SignedIn,
    pub source: Option<String>,
}

impl UiUser {
    pub fn ctx(&self) -> app::Ctx {
        self.signed_in.ctx(self.source.clone())
    }

    pub fn csrf(&self) -> &str {
        &self.signed_in.session.csrf_token
    }
}

impl FromRequestParts<AppState> for UiUser {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let to_login = || {
            let next = parts.uri.path_and_query().map_or("/app", |p| p.as_str());
            let next: String = form_urlencoded_component(next);
            Redirect::to(&format!("/app/login?next={next}")).into_response()
        };
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(to_login());
        };
        let signed_in = match state.app.signed_in(&token).await {
            Ok(s) if s.session.kind == SessionKind::Browser => s,
            Ok(_) | Err(app::AppError::Unauthenticated) => return Err(to_login()),
            Err(err) => return Err(crate::ui::error_page(&err)),
        };
        let Source(source) = Source::from_request_parts(parts, state)
            .await
            .unwrap_or(Source(None));
        Ok(Self { signed_in, source })
    }
}

/// Percent-encodes a path for a query parameter.
fn form_urlencoded_component(text: &str) -> String {
    serde_urlencoded::to_string([("", text)])
        .map(|s| s[1..].to_owned())
        .unwrap_or_default()
}

#[derive(serde::Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf: String,
}

/// A form posted by a signed-in staff member, with its CSRF token checked.
#[derive(Debug)]
pub struct UiForm<T> {
    pub user: UiUser,
    pub form: T,
    /// Every field in order, for fields that repeat (checkbox groups).
    pub pairs: Vec<(String, String)>,
}

impl<T> UiForm<T> {
    /// Every value of a repeated field.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for UiForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let user = UiUser::from_request_parts(&mut parts, state).await?;
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        let CsrfField { csrf } = serde_urlencoded::from_bytes(&bytes).unwrap_or(CsrfField {
            csrf: String::new(),
        });
        if !same_secret(&csrf, user.csrf()) {
            return Err(csrf_refused());
        }
        let invalid = |e: serde_urlencoded::de::Error| {
            crate::ui::error_page(&app::AppError::Invalid(format!(
                "Biểu mẫu không hợp lệ: {e}"
            )))
        };
        let form = serde_urlencoded::from_bytes(&bytes).map_err(invalid)?;
        let pairs = serde_urlencoded::from_bytes(&bytes).map_err(invalid)?;
        Ok(Self { user, form, pairs })
    }
}

/// The answer to a form without a valid CSRF token.
pub fn csrf_refused() -> Response {
    let mut response = crate::ui::error_page(&app::AppError::Invalid(
        "Biểu mẫu đã hết hạn hoặc không hợp lệ (thiếu mã chống giả mạo). Hãy tải lại trang và thử lại.".into(),
    ));
    *response.status_mut() = StatusCode::FORBIDDEN;
    response
}
