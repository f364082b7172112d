//! A site's «Văn bản» tab on the portal's staff pages (issue 11, point
//! 3): its publications (withdrawn ones marked), a search among the
//! outgoing documents the person may read — by number and symbol, or by
//! words — each with the form that publishes it under a category with an
//! optional consultation period, the withdraw button, and a publication's
//! page with the comments its consultation collected (escaped like any
//! text). Every refusal shows the tab again with the app's reason; every
//! change empties the public cache.

use app::AppError;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::documents::{Direction, Document, register_symbol};
use domain::portal::publications::{Consultation, DocumentCategory, PAGE_SIZE, Publication};
use domain::search::{DocumentFilter, Terms};
use serde::Deserialize;
use time::Date;

use super::portal::NAV;
use super::{Chrome, error_page, page, respond};
use crate::AppState;
use crate::session::{UiForm, UiUser};

/// Documents a search lists at most.
const FOUND_MAX: u64 = 20;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/portal/sites/{id}/documents", get(tab).post(publish))
        .route("/app/portal/documents/{id}", get(show))
        .route("/app/portal/documents/{id}/withdraw", post(withdraw))
}

/// A publication as a line of the tab.
struct Line {
    id: i64,
    symbol: String,
    summary: String,
    category: &'static str,
    published: String,
    withdrawn: Option<String>,
    consultation: Option<String>,
}

impl Line {
    fn of((p, d): (Publication, Document)) -> Self {
        Self {
            id: p.id,
            symbol: d.symbol,
            summary: d.summary,
            category: p.category.label(),
            published: vn::dates::format_moment(p.published_at),
            withdrawn: p.withdrawn_at.map(vn::dates::format_moment),
            consultation: p.consultation.map(|c| {
                format!(
                    "{} – {}",
                    vn::dates::format_short(c.opens),
                    vn::dates::format_short(c.closes)
                )
            }),
        }
    }
}

#[derive(Template)]
#[template(path = "portal_publications.html")]
struct TabPage {
    chrome: Chrome,
    site_id: i64,
    q: String,
    lines: Vec<Line>,
    total: u64,
    page: u32,
    pages: u32,
    /// (id, symbol, summary, issued) of the documents found.
    found: Vec<(i64, String, String, String)>,
    categories: Vec<(&'static str, &'static str)>,
    error: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
pub struct TabQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    trang: Option<u32>,
}

/// The outgoing documents `ctx` may read answering `q`: a number and
/// symbol exactly when it reads as one, words otherwise.
async fn search(state: &AppState, user: &UiUser, q: &str) -> Result<Vec<Document>, AppError> {
    let q = q.trim();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let mut filter = DocumentFilter {
        direction: Some(Direction::Outgoing),
        ..DocumentFilter::default()
    };
    if q.contains('/') {
        filter.symbol = Some(register_symbol(q));
    } else {
        filter.terms = Terms::parse(q);
    }
    Ok(state
        .app
        .search_documents(&user.ctx(), &filter, (0, FOUND_MAX))
        .await?
        .items)
}

async fn tab_page(
    state: &AppState,
    user: &UiUser,
    site: i64,
    (q, page_no): (String, u32),
    error: Option<String>,
) -> Result<Response, AppError> {
    let ctx = user.ctx();
    let site = state.app.portal_site(site).await?;
    let page_no = page_no.max(1);
    let list = state.app.site_publications(&ctx, site.id, page_no).await?;
    let found = search(state, user, &q).await?;
    Ok(page(&TabPage {
        chrome: Chrome::new(user, format!("Văn bản — {}", site.name), NAV),
        site_id: site.id,
        total: list.total,
        page: page_no,
        pages: u32::try_from(list.total.div_ceil(PAGE_SIZE).max(1)).unwrap_or(u32::MAX),
        lines: list.items.into_iter().map(Line::of).collect(),
        found: found
            .into_iter()
            .map(|d| {
                (
                    d.id,
                    d.symbol,
                    d.summary,
                    vn::dates::format_short(d.issued_on),
                )
            })
            .collect(),
        categories: DocumentCategory::ALL
            .iter()
            .map(|c| (c.as_str(), c.label()))
            .collect(),
        q,
        error,
    }))
}

/// `GET /app/portal/sites/{id}/documents?q=`
pub async fn tab(
    State(state): State<AppState>,
    user: UiUser,
    Path(id): Path<i64>,
    Query(query): Query<TabQuery>,
) -> Response {
    let page_no = query.trang.unwrap_or(1);
    respond(tab_page(&state, &user, id, (query.q, page_no), None).await)
}

#[derive(Debug, Deserialize)]
pub struct PublishForm {
    document_id: i64,
    category: String,
    #[serde(default)]
    opens: String,
    #[serde(default)]
    closes: String,
    #[serde(default)]
    q: String,
}

fn invalid(message: &str) -> AppError {
    AppError::Invalid(message.into())
}

/// A `date` input's value.
fn date_of(text: &str) -> Result<Date, AppError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text.trim(), &format).map_err(|_| invalid("Ngày không hợp lệ"))
}

/// The consultation the form asks for: none when both days are empty.
fn consultation_of(form: &PublishForm) -> Result<Option<Consultation>, AppError> {
    match (form.opens.trim(), form.closes.trim()) {
        ("", "") => Ok(None),
        ("", _) | (_, "") => Err(invalid(
            "Cần ghi cả ngày bắt đầu và ngày kết thúc lấy ý kiến",
        )),
        (opens, closes) => Consultation::new(date_of(opens)?, date_of(closes)?)
            .map(Some)
            .map_err(AppError::invalid),
    }
}

/// `POST /app/portal/sites/{id}/documents`: publishes a document.
pub async fn publish(
    State(state): State<AppState>,
    Path(site): Path<i64>,
    form: UiForm<PublishForm>,
) -> Response {
    let UiForm { user, form, .. } = form;
    let result = async {
        let category = form
            .category
            .parse::<DocumentCategory>()
            .map_err(|_| invalid("Loại văn bản không hợp lệ"))?;
        let consultation = consultation_of(&form)?;
        state
            .app
            .publish_document(&user.ctx(), site, form.document_id, category, consultation)
            .await
    }
    .await;
    match result {
        Ok(_) => {
            crate::content_changed(&state.public_cache);
            Redirect::to(&format!("/app/portal/sites/{site}/documents")).into_response()
        }
        Err(err @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let mut response =
                respond(tab_page(&state, &user, site, (form.q, 1), Some(err.to_string())).await);
            *response.status_mut() = crate::error::status_of(&err);
            response
        }
        Err(err) => error_page(&err),
    }
}

#[derive(Debug, Deserialize)]
pub struct WithdrawForm {}

/// `POST /app/portal/documents/{id}/withdraw`
pub async fn withdraw(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: UiForm<WithdrawForm>,
) -> Response {
    let ctx = form.user.ctx();
    match state.app.withdraw_publication(&ctx, id).await {
        Ok(p) => {
            crate::content_changed(&state.public_cache);
            Redirect::to(&format!("/app/portal/sites/{}/documents", p.site_id)).into_response()
        }
        Err(err) => error_page(&err),
    }
}

#[derive(Template)]
#[template(path = "portal_publication.html")]
struct PublicationPage {
    chrome: Chrome,
    site_id: i64,
    line: Line,
    /// (name, contact, organisation, received, body).
    comments: Vec<(String, String, String, String, String)>,
}

/// `GET /app/portal/documents/{id}`: a publication and its comments.
pub async fn show(State(state): State<AppState>, user: UiUser, Path(id): Path<i64>) -> Response {
    respond(
        async {
            let ctx = user.ctx();
            let (publication, document) = state.app.staff_publication(&ctx, id).await?;
            let comments = state.app.consultation_comments(&ctx, id).await?;
            Ok(page(&PublicationPage {
                chrome: Chrome::new(&user, format!("Văn bản {}", document.symbol), NAV),
                site_id: publication.site_id,
                line: Line::of((publication, document)),
                comments: comments
                    .into_iter()
                    .map(|c| {
                        (
                            c.name,
                            c.contact.unwrap_or_default(),
                            c.organisation.unwrap_or_default(),
                            vn::dates::format_moment(c.received_at),
                            c.body,
                        )
                    })
                    .collect(),
            }))
        }
        .await,
    )
}
