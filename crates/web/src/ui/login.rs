//! Signing in and out of the staff UI.

use app::AppError;
use app::auth::Login;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Redirect, Response};
use domain::auth::SessionKind;
use serde::Deserialize;

use super::{error_page, page};
use crate::AppState;
use crate::session::{
    LOGIN_CSRF_COOKIE, SESSION_COOKIE, Source, UiForm, cookie, csrf_refused, same_secret,
    set_cookie,
};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    csrf: String,
    email: String,
    next: String,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// Only local paths: never send a person on to another site after sign-in.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with("/app") && !path.starts_with("//") => path.to_owned(),
        _ => "/app".to_owned(),
    }
}

fn login_page(state: &AppState, email: String, next: String, error: Option<String>) -> Response {
    let csrf = match app::auth::random_token() {
        Ok(token) => token,
        Err(err) => return error_page(&err),
    };
    let cookie = set_cookie(
        LOGIN_CSRF_COOKIE,
        &csrf,
        3600,
        state.app.config.auth.secure_cookies,
    );
    let mut response = page(&LoginPage {
        csrf,
        email,
        next,
        error,
    });
    if let Ok(value) = cookie.parse() {
        response.headers_mut().append(SET_COOKIE, value);
    }
    response
}

pub async fn show(State(state): State<AppState>, Query(query): Query<NextQuery>) -> Response {
    login_page(
        &state,
        String::new(),
        safe_next(query.next.as_deref()),
        None,
    )
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    email: String,
    password: String,
    #[serde(default)]
    totp: String,
    next: Option<String>,
}

pub async fn submit(
    State(state): State<AppState>,
    Source(source): Source,
    headers: HeaderMap,
    axum::Form(form): axum::Form<LoginForm>,
) -> Response {
    // Before a session exists, the form's token must match the cookie set
    // with the form (double submit): a third-party site can set neither.
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !same_secret(&form.csrf, &expected) {
        return csrf_refused();
    }
    let next = safe_next(form.next.as_deref());
    let totp = Some(form.totp.trim()).filter(|t| !t.is_empty());
    let attempt = Login {
        email: &form.email,
        password: &form.password,
        totp_code: totp,
        kind: SessionKind::Browser,
        source,
    };
    match state.app.login(attempt).await {
        Ok(new) => {
            let max_age = (new.session.expires_at - new.session.created_at).whole_seconds();
            let secure = state.app.config.auth.secure_cookies;
            let mut response = Redirect::to(&next).into_response();
            for value in [
                set_cookie(SESSION_COOKIE, &new.token, max_age, secure),
                set_cookie(LOGIN_CSRF_COOKIE, "", 0, secure),
            ] {
                if let Ok(value) = value.parse() {
                    response.headers_mut().append(SET_COOKIE, value);
                }
            }
            response
        }
        // The form is shown again with the message; HTTP authentication
        // statuses (401 needs a WWW-Authenticate scheme) do not fit a form.
        Err(err @ (AppError::BadCredentials | AppError::Locked)) => {
            login_page(&state, form.email, next, Some(err.to_string()))
        }
        Err(err) => error_page(&err),
    }
}

#[derive(Debug, Deserialize)]
pub struct Empty {}

pub async fn logout(State(state): State<AppState>, form: UiForm<Empty>) -> Response {
    let secure = state.app.config.auth.secure_cookies;
    if let Err(err) = state
        .app
        .logout(&form.user.signed_in, form.user.source.clone())
        .await
    {
        return error_page(&err);
    }
    let mut response = Redirect::to("/app/login").into_response();
    if let Ok(value) = set_cookie(SESSION_COOKIE, "", 0, secure).parse() {
        response.headers_mut().append(SET_COOKIE, value);
    }
    response
}
