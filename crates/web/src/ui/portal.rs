//! The portal's staff pages (issue 11) under `/app/portal`: one's sites
//! with one's role, the review queue, one's drafts (returned ones with the
//! reviewer's reason), and a site's articles by status. The editor and
//! the workflow's buttons are `portal_article`.

use app::AppError;
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use domain::portal::articles::{Article, ArticleStatus};
use serde::Deserialize;

use super::portal_article as article;
use super::{Chrome, page, respond};
use crate::AppState;
use crate::session::UiUser;

pub const NAV: &str = "/app/portal";

/// The portal's staff routes and the editor's script.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(NAV, get(home))
        .route("/app/portal/figures", get(super::portal_figures::figures))
        .route("/app/portal/sites/{id}/articles", get(list))
        .route(
            "/app/portal/sites/{id}/articles/new",
            get(article::new_form).post(article::create),
        )
        // The upload extractor bounds the file itself.
        .route(
            "/app/portal/sites/{id}/images",
            post(article::upload_image).layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/app/portal/articles/{id}",
            get(article::show).post(article::save),
        )
        .route("/app/portal/articles/{id}/actions", post(article::act))
        .route("/static/portal-editor.js", get(editor_script))
}

/// The body editor's toolbar, written by hand (no third-party script).
async fn editor_script() -> Response {
    (
        [(CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("../../static/portal-editor.js"),
    )
        .into_response()
}

/// An article as a line of a list.
pub(super) struct Line {
    pub id: i64,
    pub title: String,
    pub language: &'static str,
    pub lang: &'static str,
    pub status: &'static str,
    pub site: String,
    pub updated: String,
    pub return_reason: Option<String>,
}

impl Line {
    fn of(a: &Article, site: String) -> Self {
        Self {
            id: a.id,
            title: a.title.clone(),
            language: a.language.label(),
            lang: a.language.as_str(),
            status: a.status.label(),
            site,
            updated: vn::dates::format_moment(a.updated_at),
            return_reason: a.return_reason.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "portal_home.html")]
struct HomePage {
    chrome: Chrome,
    /// (site id, name, role's label).
    sites: Vec<(i64, String, &'static str)>,
    queue: Vec<Line>,
    drafts: Vec<Line>,
    /// Whether the officer manages sites (`ManagePortal`).
    manager: bool,
}

/// `GET /app/portal`
pub async fn home(State(state): State<AppState>, user: UiUser) -> Response {
    respond(
        async {
            let ctx = user.ctx();
            let app = &state.app;
            let mine = app.my_sites(&ctx).await?;
            let name_of = |id: i64| {
                mine.iter()
                    .find(|(s, _)| s.id == id)
                    .map(|(s, _)| s.name.clone())
                    .unwrap_or_default()
            };
            let queue = app.review_queue(&ctx).await?;
            let drafts = app.my_drafts(&ctx).await?;
            Ok(page(&HomePage {
                chrome: Chrome::new(&user, "Cổng thông tin điện tử", NAV),
                queue: queue
                    .iter()
                    .map(|a| Line::of(a, name_of(a.site_id)))
                    .collect(),
                drafts: drafts
                    .iter()
                    .map(|a| Line::of(a, name_of(a.site_id)))
                    .collect(),
                sites: mine
                    .iter()
                    .map(|(s, r)| (s.id, s.name.clone(), r.label()))
                    .collect(),
                manager: app::App::manages_portal(&ctx),
            }))
        }
        .await,
    )
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
}

#[derive(Template)]
#[template(path = "portal_articles.html")]
struct ListPage {
    chrome: Chrome,
    site_id: i64,
    status: String,
    statuses: Vec<(&'static str, &'static str)>,
    articles: Vec<Line>,
}

/// `GET /app/portal/sites/{id}/articles?status=…`
pub async fn list(
    State(state): State<AppState>,
    user: UiUser,
    Path(id): Path<i64>,
    Query(query): Query<ListQuery>,
) -> Response {
    respond(
        async {
            let status = match query.status.as_str() {
                "" => None,
                s => Some(
                    s.parse::<ArticleStatus>()
                        .map_err(|_| AppError::Invalid("Tình trạng không hợp lệ".into()))?,
                ),
            };
            let site = state.app.portal_site(id).await?;
            let articles = state.app.site_articles(&user.ctx(), id, status).await?;
            Ok(page(&ListPage {
                chrome: Chrome::new(&user, format!("Tin bài — {}", site.name), NAV),
                site_id: id,
                status: query.status,
                statuses: ArticleStatus::ALL
                    .iter()
                    .map(|s| (s.as_str(), s.label()))
                    .collect(),
                articles: articles
                    .iter()
                    .map(|a| Line::of(a, site.name.clone()))
                    .collect(),
            }))
        }
        .await,
    )
}
