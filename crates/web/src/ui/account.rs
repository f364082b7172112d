//! One's own account: password, the TOTP second factor, and the image of
//! one's handwritten signature (uploaded through [`super::images`]).

use app::{App, AppError};
use askama::Template;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Chrome, error_page, page, respond};
use crate::AppState;
use crate::session::{UiForm, UiUser};

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    chrome: Chrome,
    person: domain::people::Person,
    has_totp: bool,
    has_signature_image: bool,
    totp_secret: String,
    totp_url: String,
    message: Option<String>,
    error: Option<String>,
}

async fn account_page(
    state: &AppState,
    user: &UiUser,
    message: Option<String>,
    error: Option<String>,
) -> Result<Response, AppError> {
    let person = user.signed_in.person.clone();
    let has_totp = state.app.has_totp(&user.ctx(), person.id).await?;
    let (totp_secret, totp_url) = App::new_totp(&person.email)?;
    let has_signature_image = state
        .app
        .signature_image(domain::pki::Holder::Person(person.id))
        .await?
        .is_some();
    Ok(page(&AccountPage {
        chrome: Chrome::new(user, "Tài khoản", "/app/account"),
        person,
        has_totp,
        has_signature_image,
        totp_secret,
        totp_url,
        message,
        error,
    }))
}

pub async fn show(State(state): State<AppState>, user: UiUser) -> Response {
    respond(account_page(&state, &user, None, None).await)
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
    confirm: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    form: UiForm<PasswordForm>,
) -> Response {
    let UiForm { user, form, .. } = form;
    let result = if form.new == form.confirm {
        state
            .app
            .change_own_password(&user.ctx(), &form.current, &form.new)
            .await
    } else {
        Err(AppError::Invalid("Mật khẩu nhập lại không khớp".into()))
    };
    match result {
        // Changing the password ends every session, this one included.
        Ok(()) => {
            let mut response = Redirect::to("/app/login").into_response();
            let secure = state.app.config.auth.secure_cookies;
            if let Ok(value) =
                crate::session::set_cookie(crate::SESSION_COOKIE, "", 0, secure).parse()
            {
                response.headers_mut().append(SET_COOKIE, value);
            }
            response
        }
        Err(err @ AppError::Invalid(_)) => {
            let status = crate::error::status_of(&err);
            let mut response =
                respond(account_page(&state, &user, None, Some(err.to_string())).await);
            *response.status_mut() = status;
            response
        }
        Err(err) => error_page(&err),
    }
}

#[derive(Debug, Deserialize)]
pub struct TotpForm {
    secret: String,
    code: String,
}

pub async fn enable_totp(State(state): State<AppState>, form: UiForm<TotpForm>) -> Response {
    let UiForm { user, form, .. } = form;
    match state
        .app
        .enable_totp(&user.ctx(), &form.secret, &form.code)
        .await
    {
        Ok(()) => respond(
            account_page(&state, &user, Some("Đã bật xác thực hai lớp.".into()), None).await,
        ),
        Err(err @ AppError::Invalid(_)) => {
            let mut response =
                respond(account_page(&state, &user, None, Some(err.to_string())).await);
            *response.status_mut() = crate::error::status_of(&err);
            response
        }
        Err(err) => error_page(&err),
    }
}
