//! The CA's public endpoints under `/pki`, for relying parties (OpenSSL,
//! PDF readers, browsers): CA certificates, CRLs, the OCSP responder
//! (RFC 6960, POST and GET) and the time-stamping authority (RFC 3161).
//!
//! Invariant: no sign-in, no cookies; every answer is public data or a
//! signed protocol message. An OCSP request always gets an OCSP response,
//! even an error one, because that is what OCSP clients read.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;

use crate::AppState;
use crate::error::ApiError;

/// OCSP and TSA requests are small; refuse anything larger before
/// reading it (the parsers refuse above this too).
const REQUEST_LIMIT: usize = 16 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/pki/ca/{file}", get(ca_certificate))
        .route("/pki/crl/{file}", get(crl))
        .route("/pki/ocsp", post(ocsp_post))
        .route("/pki/ocsp/{*request}", get(ocsp_get))
        .route("/pki/tsa", post(timestamp))
        .layer(DefaultBodyLimit::max(REQUEST_LIMIT))
}

fn der(content_type: &'static str, body: Vec<u8>, max_age: Option<u32>) -> Response {
    let mut response =
        (StatusCode::OK, [(header::CONTENT_TYPE, content_type)], body).into_response();
    let cache = max_age.map_or_else(|| "no-store".to_owned(), |s| format!("public, max-age={s}"));
    if let Ok(value) = HeaderValue::from_str(&cache) {
        response.headers_mut().insert(header::CACHE_CONTROL, value);
    }
    response
}

/// `root.crt` → `root`, if the name is one an authority could have.
fn authority_name<'a>(file: &'a str, extension: &str) -> Result<&'a str, ApiError> {
    file.strip_suffix(extension)
        .filter(|name| domain::pki::is_authority_name(name))
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "not_found", "Không tìm thấy CA"))
}

async fn ca_certificate(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, ApiError> {
    let name = authority_name(&file, ".crt")?;
    let body = state.app.authority_certificate(name).await?;
    Ok(der("application/pkix-cert", body, Some(86_400)))
}

async fn crl(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, ApiError> {
    let name = authority_name(&file, ".crl")?;
    let body = state.app.crl(name).await?;
    // A CRL changes at every revocation: caches may keep it a few minutes.
    Ok(der("application/pkix-crl", body, Some(300)))
}

async fn ocsp_post(State(state): State<AppState>, body: Bytes) -> Response {
    der(
        "application/ocsp-response",
        state.app.ocsp(&body).await,
        None,
    )
}

/// RFC 6960 Appendix A.1: the DER request, base64'd and URL-encoded, in
/// the path. Answers may be cached (RFC 5019 §6) for a short while.
async fn ocsp_get(State(state): State<AppState>, Path(request): Path<String>) -> Response {
    let request = request.replace(' ', "+");
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(request.trim_end_matches('/'))
        .unwrap_or_default();
    der(
        "application/ocsp-response",
        state.app.ocsp(&decoded).await,
        Some(60),
    )
}

async fn timestamp(State(state): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let answer = state.app.timestamp(&body).await?;
    Ok(der("application/timestamp-reply", answer, None))
}
