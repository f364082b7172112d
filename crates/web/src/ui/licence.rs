//! A licence's record page (issue 10): its facts (the holder's id number
//! and e-mail are shown to staff only), the licence it renews or that
//! renews it, its signed copy with the signatures' verdict, and the
//! actions of licence staff — revoke, renew, upload the signed copy.

use app::AppError;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::authz::Permission;
use domain::licensing::Licence;
use domain::services::Channel;
use serde::Deserialize;

use super::licences::{NAV, TermsForm, date_text, parse_date};
use super::{Chrome, error_page, page, respond};
use crate::AppState;
use crate::download::download;
use crate::session::{UiForm, UiUser};
use crate::upload::UiUpload;

#[derive(Template)]
#[template(path = "licence.html")]
struct RecordPage {
    chrome: Chrome,
    l: Licence,
    agency: String,
    status: &'static str,
    issued_on: String,
    valid_until: String,
    /// The licence it renews and the one renewing it: (id, number).
    renews: Option<(i64, String)>,
    renewed_by: Option<(i64, String)>,
    revoked_on: String,
    may_manage: bool,
    renewable: bool,
    channels: Vec<(&'static str, &'static str)>,
    today: String,
    error: Option<String>,
}

async fn record_page(
    state: &AppState,
    user: &UiUser,
    id: i64,
    error: Option<String>,
) -> Result<Response, AppError> {
    let ctx = user.ctx();
    let app = &state.app;
    let l = app.licence(&ctx, id).await?;
    let today = app.today();
    let renews = match l.renews {
        Some(old) => Some((old, app.licence(&ctx, old).await?.number)),
        None => None,
    };
    let renewed_by = app
        .licence_renewal(&ctx, id)
        .await?
        .map(|r| (r.id, r.number));
    let may_manage = user
        .signed_in
        .actor
        .may(Permission::ManageLicences, &app.lineage(l.agency_id).await?);
    Ok(page(&RecordPage {
        chrome: Chrome::new(user, format!("Giấy phép số {}", l.number), NAV),
        agency: app.agency(l.agency_id).await?.name,
        status: l.status_on(today).label(),
        issued_on: vn::dates::format_short(l.issued_on),
        valid_until: date_text(l.valid_until),
        revoked_on: l
            .revocation
            .as_ref()
            .map(|r| vn::dates::format_short(r.on))
            .unwrap_or_default(),
        renewable: l.kind.rules().term_years.is_some()
            && l.revocation.is_none()
            && l.renewed_on.is_none(),
        renews,
        renewed_by,
        may_manage,
        channels: Channel::ALL
            .iter()
            .map(|c| (c.as_str(), c.label()))
            .collect(),
        today: today.to_string(),
        error,
        l,
    }))
}

pub async fn show(State(state): State<AppState>, user: UiUser, Path(id): Path<i64>) -> Response {
    respond(record_page(&state, &user, id, None).await)
}

/// The page again with a rule's refusal on it, or `to` after success.
async fn after(
    state: &AppState,
    user: &UiUser,
    id: i64,
    result: Result<i64, AppError>,
) -> Response {
    match result {
        Ok(to) => Redirect::to(&format!("/app/licences/{to}")).into_response(),
        Err(err @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let mut response = respond(record_page(state, user, id, Some(err.to_string())).await);
            *response.status_mut() = crate::error::status_of(&err);
            response
        }
        Err(err) => error_page(&err),
    }
}

#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    on: String,
    #[serde(default)]
    reason: String,
}

pub async fn revoke(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: UiForm<RevokeForm>,
) -> Response {
    let UiForm { user, form, .. } = form;
    let result = async {
        let on = parse_date(&form.on, "Ngày thu hồi")?
            .ok_or_else(|| AppError::Invalid("Cần ghi ngày thu hồi".into()))?;
        state
            .app
            .revoke_licence(&user.ctx(), id, on, &form.reason)
            .await
            .map(|l| l.id)
    }
    .await;
    after(&state, &user, id, result).await
}

pub async fn renew(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: UiForm<TermsForm>,
) -> Response {
    let UiForm { user, form, .. } = form;
    let result = async {
        let terms = form.terms()?;
        state
            .app
            .renew_licence(&user.ctx(), id, terms)
            .await
            .map(|l| l.id)
    }
    .await;
    after(&state, &user, id, result).await
}

pub async fn upload_signed(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    upload: UiUpload,
) -> Response {
    let file = upload.file();
    let result = state
        .app
        .upload_signed_licence(&upload.user.ctx(), id, &file.name, file.bytes)
        .await
        .map(|l| l.id);
    after(&state, &upload.user, id, result).await
}

pub async fn signed(State(state): State<AppState>, user: UiUser, Path(id): Path<i64>) -> Response {
    respond(
        async {
            state.app.licence(&user.ctx(), id).await?;
            let (copy, bytes) = state.app.signed_licence(id).await?;
            Ok(download(&copy.name, "application/pdf", bytes))
        }
        .await,
    )
}
