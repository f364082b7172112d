//! `POST /mail/dovecot-policy`: egov as Dovecot's authentication policy
//! server (`auth_policy_server_url`), which keeps the mail lockout (see
//! `app::mail::policy`). Dovecot posts JSON with `?command=allow` before
//! a sign-in and `?command=report` after it, and reads `{"status", "msg"}`
//! back; a negative status refuses the sign-in.
//!
//! Invariant: only a caller with the configured key (`X-API-Key`) is
//! answered; without a key configured the endpoint does not exist.

use app::mail::policy::PolicyCommand;
use axum::Json;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use serde::Deserialize;

use crate::AppState;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new().route("/mail/dovecot-policy", post(policy))
}

#[derive(Debug, Deserialize)]
struct Command {
    command: String,
}

/// The attributes egov reads of what Dovecot sends; the rest is ignored.
#[derive(Debug, Deserialize)]
struct Attempt {
    login: String,
    #[serde(default)]
    success: Option<bool>,
    #[serde(default)]
    policy_reject: bool,
}

async fn policy(
    State(state): State<AppState>,
    Query(query): Query<Command>,
    headers: HeaderMap,
    Json(attempt): Json<Attempt>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let key = headers
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !state.app.mail_policy_key_ok(key.trim()) {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "Không tìm thấy",
        ));
    }
    let command = match (query.command.as_str(), attempt.success) {
        ("allow", _) => PolicyCommand::Allow,
        ("report", Some(success)) => PolicyCommand::Report {
            success,
            refused: attempt.policy_reject,
        },
        _ => {
            return Err(ApiError::bad_request("Lệnh chính sách không hợp lệ"));
        }
    };
    let verdict = state.app.mail_login_policy(&attempt.login, command).await?;
    Ok(Json(
        serde_json::json!({ "status": verdict.status, "msg": verdict.message }),
    ))
}
