//! Licences on the staff pages (issue 10): the list with its filters
//! (kind, status today, holder or number), «Sắp hết hạn», the report's
//! figures for a period, and the form of a new licence. The record page
//! and its actions are `super::licence`.

use std::collections::HashMap;

use app::AppError;
use app::licensing::records::{NewLicence, Terms};
use app::licensing::views::{LicenceFilter, PAGE};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::agencies::AgencyId;
use domain::authz::Permission;
use domain::licensing::figures::{KindFigures, LicensingFigures};
use domain::licensing::{Holder, Licence, LicenceKind, LicenceStatus};
use domain::services::Channel;
use serde::Deserialize;
use time::Date;

use super::mail::agency_names;
use super::{Chrome, page, respond};
use crate::AppState;
use crate::session::{UiForm, UiUser};

/// The navigation entry of every licence page.
pub const NAV: &str = "/app/licences";

/// A licence as a list's row shows it.
pub struct Line {
    pub id: i64,
    pub number: String,
    pub kind: &'static str,
    pub holder: String,
    pub subject: String,
    pub agency: String,
    pub issued_on: String,
    pub valid_until: String,
    pub status: &'static str,
}

/// `day` as the pages write it; an absent expiry has no term.
pub fn date_text(day: Option<Date>) -> String {
    day.map_or_else(|| "Không thời hạn".into(), vn::dates::format_short)
}

/// A date from a form's `YYYY-MM-DD`; empty is none.
pub fn parse_date(text: &str, what: &str) -> Result<Option<Date>, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    Date::parse(
        text,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map(Some)
    .map_err(|_| AppError::Invalid(format!("{what} không hợp lệ: «{text}»")))
}

fn lines(found: Vec<Licence>, names: &HashMap<AgencyId, String>, today: Date) -> Vec<Line> {
    found
        .into_iter()
        .map(|l| Line {
            id: l.id,
            kind: l.kind.label(),
            status: l.status_on(today).label(),
            agency: names.get(&l.agency_id).cloned().unwrap_or_default(),
            issued_on: vn::dates::format_short(l.issued_on),
            valid_until: date_text(l.valid_until),
            holder: l.holder.name,
            subject: l.subject,
            number: l.number,
        })
        .collect()
}

/// Whether the officer may record licences somewhere.
fn manager(user: &UiUser) -> bool {
    !user
        .signed_in
        .actor
        .roots_of(Permission::ManageLicences)
        .is_empty()
}

#[derive(Template)]
#[template(path = "licences.html")]
struct ListPage {
    chrome: Chrome,
    manager: bool,
    /// «Sắp hết hạn» has no filters.
    due: bool,
    kinds: Vec<(&'static str, &'static str)>,
    kind: String,
    statuses: Vec<(&'static str, &'static str)>,
    status: String,
    q: String,
    lines: Vec<Line>,
    total: u64,
    page: u64,
    pages: u64,
    query: String,
}

#[derive(Debug, Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<u64>,
}

fn choices<T: Copy>(
    all: &[T],
    name: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(&'static str, &'static str)> {
    all.iter().map(|v| (name(*v), label(*v))).collect()
}

pub async fn list(
    State(state): State<AppState>,
    user: UiUser,
    Query(query): Query<ListQuery>,
) -> Response {
    respond(
        async {
            let today = state.app.today();
            let kind: Option<LicenceKind> = query.kind.parse().ok();
            let status: Option<LicenceStatus> = query.status.parse().ok();
            let page_no = query.page.unwrap_or(1).max(1);
            let filter = LicenceFilter {
                kind,
                status,
                text: Some(query.q.trim().to_owned()).filter(|q| !q.is_empty()),
                ..LicenceFilter::default()
            };
            let (found, total) = state
                .app
                .licences(
                    &user.ctx(),
                    filter,
                    ((page_no - 1).saturating_mul(PAGE), PAGE),
                )
                .await?;
            let names = agency_names(&state).await?;
            Ok(page(&ListPage {
                chrome: Chrome::new(&user, "Giấy phép", NAV),
                manager: manager(&user),
                due: false,
                kinds: choices(LicenceKind::ALL, LicenceKind::as_str, LicenceKind::label),
                kind: kind.map(LicenceKind::as_str).unwrap_or_default().to_owned(),
                statuses: choices(
                    LicenceStatus::ALL,
                    LicenceStatus::as_str,
                    LicenceStatus::label,
                ),
                status: status
                    .map(LicenceStatus::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                query: serde_urlencoded::to_string([
                    ("kind", query.kind.as_str()),
                    ("status", query.status.as_str()),
                    ("q", query.q.trim()),
                ])
                .unwrap_or_default(),
                q: query.q.trim().to_owned(),
                lines: lines(found, &names, today),
                total,
                page: page_no,
                pages: total.div_ceil(PAGE).max(1),
            }))
        }
        .await,
    )
}

/// «Sắp hết hạn»: licences in force inside their kind's reminder window.
pub async fn due(State(state): State<AppState>, user: UiUser) -> Response {
    respond(
        async {
            let found = state.app.licences_due(&user.ctx()).await?;
            let names = agency_names(&state).await?;
            let total = found.len() as u64;
            Ok(page(&ListPage {
                chrome: Chrome::new(&user, "Giấy phép sắp hết hạn", NAV),
                manager: manager(&user),
                due: true,
                kinds: Vec::new(),
                kind: String::new(),
                statuses: Vec::new(),
                status: String::new(),
                q: String::new(),
                lines: lines(found, &names, state.app.today()),
                total,
                page: 1,
                pages: 1,
                query: String::new(),
            }))
        }
        .await,
    )
}

#[derive(Debug, Deserialize)]
pub struct FiguresQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

#[derive(Template)]
#[template(path = "licences_figures.html")]
struct FiguresPage {
    chrome: Chrome,
    from: Date,
    to: Date,
    /// (kind, its figures)
    rows: Vec<(&'static str, KindFigures)>,
}

/// Each kind's figures for a period, this month unless asked, over the
/// licences the officer may see.
pub async fn figures(
    State(state): State<AppState>,
    user: UiUser,
    Query(query): Query<FiguresQuery>,
) -> Response {
    respond(
        async {
            let today = state.app.today();
            let to = parse_date(&query.to, "Ngày cuối kỳ")?.unwrap_or(today);
            let from = parse_date(&query.from, "Ngày đầu kỳ")?
                .unwrap_or_else(|| to.replace_day(1).unwrap_or(to));
            let figures: LicensingFigures = state
                .app
                .licensing_figures_for(&user.ctx(), (from, to))
                .await?;
            Ok(page(&FiguresPage {
                chrome: Chrome::new(&user, "Số liệu cấp giấy phép", NAV),
                from,
                to,
                rows: LicenceKind::ALL
                    .iter()
                    .map(|k| (k.label(), *figures.of(*k)))
                    .collect(),
            }))
        }
        .await,
    )
}

#[derive(Template)]
#[template(path = "licence_new.html")]
struct NewPage {
    chrome: Chrome,
    kinds: Vec<(&'static str, &'static str)>,
    channels: Vec<(&'static str, &'static str)>,
    /// (id, name) of the agencies where the officer records licences.
    agencies: Vec<(i64, String)>,
    error: Option<String>,
}

async fn new_page(
    state: &AppState,
    user: &UiUser,
    error: Option<String>,
) -> Result<Response, AppError> {
    let names = agency_names(state).await?;
    let agencies: Vec<(i64, String)> = user
        .signed_in
        .actor
        .roots_of(Permission::ManageLicences)
        .into_iter()
        .map(|id| (id, names.get(&id).cloned().unwrap_or_default()))
        .collect();
    if agencies.is_empty() {
        return Err(AppError::Forbidden);
    }
    Ok(page(&NewPage {
        chrome: Chrome::new(user, "Ghi giấy phép mới", NAV),
        kinds: choices(LicenceKind::ALL, LicenceKind::as_str, LicenceKind::label),
        channels: choices(Channel::ALL, Channel::as_str, Channel::label),
        agencies,
        error,
    }))
}

pub async fn new_form(State(state): State<AppState>, user: UiUser) -> Response {
    respond(new_page(&state, &user, None).await)
}

/// The fields a first issue and a renewal share.
#[derive(Debug, Deserialize, Default)]
pub struct TermsForm {
    #[serde(default)]
    number: String,
    #[serde(default)]
    issued_on: String,
    #[serde(default)]
    valid_until: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    dossier_code: String,
}

impl TermsForm {
    pub fn terms(&self) -> Result<Terms, AppError> {
        Ok(Terms {
            number: Some(self.number.clone()),
            issued_on: parse_date(&self.issued_on, "Ngày cấp")?
                .ok_or_else(|| AppError::Invalid("Cần ghi ngày cấp".into()))?,
            valid_until: parse_date(&self.valid_until, "Ngày hết hạn")?,
            channel: self
                .channel
                .parse()
                .map_err(|_| AppError::Invalid("Cần chọn hình thức nộp hồ sơ".into()))?,
            dossier_code: Some(self.dossier_code.clone()),
        })
    }
}

#[derive(Debug, Deserialize)]
pub struct NewForm {
    kind: String,
    agency_id: i64,
    #[serde(flatten)]
    terms: TermsForm,
    holder_name: String,
    #[serde(default)]
    holder_id_number: String,
    holder_address: String,
    #[serde(default)]
    holder_email: String,
    subject: String,
    #[serde(default)]
    assessed_year: String,
    #[serde(default)]
    issuer: String,
}

impl NewForm {
    fn licence(self) -> Result<NewLicence, AppError> {
        let kind: LicenceKind = self
            .kind
            .parse()
            .map_err(|_| AppError::Invalid("Cần chọn loại giấy phép".into()))?;
        let assessed_year =
            match self.assessed_year.trim() {
                "" => None,
                year => Some(year.parse().map_err(|_| {
                    AppError::Invalid(format!("Năm đánh giá không hợp lệ: «{year}»"))
                })?),
            };
        Ok(NewLicence {
            kind,
            agency_id: self.agency_id,
            terms: self.terms.terms()?,
            holder: Holder {
                name: self.holder_name,
                id_number: Some(self.holder_id_number),
                address: self.holder_address,
                email: Some(self.holder_email),
            },
            subject: self.subject,
            assessed_year,
            issuer: Some(self.issuer),
        })
    }
}

pub async fn create(State(state): State<AppState>, form: UiForm<NewForm>) -> Response {
    let UiForm { user, form, .. } = form;
    let result = match form.licence() {
        Ok(new) => state.app.issue_licence(&user.ctx(), new).await,
        Err(err) => Err(err),
    };
    match result {
        Ok(licence) => Redirect::to(&format!("/app/licences/{}", licence.id)).into_response(),
        Err(err @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let mut response = respond(new_page(&state, &user, Some(err.to_string())).await);
            *response.status_mut() = crate::error::status_of(&err);
            response
        }
        Err(err) => super::error_page(&err),
    }
}
