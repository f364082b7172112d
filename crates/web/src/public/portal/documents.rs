//! The portal's published documents (issue 11, point 3):
//! `/site/{slug}/van-ban` lists a site's documents (`?loai=` a category's
//! code, `?trang=`), `/site/{slug}/van-ban/{id}` shows one — the
//! register's number and symbol, summary, dates, signer, its files — with
//! its consultation's period, the comments received and the comment
//! form, and `/site/{slug}/van-ban/{id}/tep/{file}` downloads a file of a
//! visible publication only (404 otherwise).
//!
//! The comment form is a guest's, like the public services' form for a
//! guest: there is no session whose rights a forged post could borrow, so
//! it carries no CSRF token, and the page stays cacheable. Its body is
//! read within [`FORM_LIMIT`]; anything larger is refused with a
//! Vietnamese reason. Every comment empties the public cache, so the
//! count shown is the stored one.

use app::AppError;
use app::portal::publications::PublicDocument;
use askama::Template;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::documents::Document;
use domain::portal::publications::{CommentDraft, DocumentCategory, PAGE_SIZE, Publication};
use domain::portal::{Language, Site};
use serde::Deserialize;

use super::{Chrome, content_changed, site_path};
use crate::AppState;
use crate::ui::{page, respond};

/// The largest comment form read: the body's 5,000 characters, each up
/// to four bytes and percent-encoded, with the other fields.
pub const FORM_LIMIT: usize = 64 * 1024;

#[derive(Debug, Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    loai: String,
    #[serde(default)]
    trang: Option<u32>,
}

#[derive(Debug, Deserialize, Default)]
pub struct ShowQuery {
    /// Set after a comment was received: the thank-you notice.
    #[serde(default, rename = "da-gui")]
    sent: Option<u8>,
}

/// One document in a list.
struct Item {
    url: String,
    symbol: String,
    summary: String,
    issued: String,
    category: &'static str,
}

#[derive(Template)]
#[template(path = "portal_documents.html")]
struct ListPage {
    c: Chrome,
    path: String,
    /// (code, label, chosen).
    categories: Vec<(&'static str, &'static str, bool)>,
    category: String,
    items: Vec<Item>,
    total: u64,
    page: u32,
    pages: u32,
}

impl ListPage {
    fn link(&self, n: u32) -> String {
        let mut query = vec![("trang", n.to_string())];
        if !self.category.is_empty() {
            query.push(("loai", self.category.clone()));
        }
        let query = serde_urlencoded::to_string(query).unwrap_or_default();
        format!("{}?{query}", self.path)
    }
}

#[derive(Template)]
#[template(path = "portal_document.html")]
struct DocumentPage {
    c: Chrome,
    list: String,
    action: String,
    category: &'static str,
    symbol: String,
    doc_type: String,
    summary: String,
    issued: String,
    issuer: String,
    signer: String,
    published: String,
    /// (link, name, role, size).
    files: Vec<(String, String, &'static str, String)>,
    /// (opens, closes, open now).
    consultation: Option<(String, String, bool)>,
    comments: u64,
    sent: bool,
    error: Option<String>,
    form: CommentDraft,
}

fn publication_path(site: &Site, p: &Publication) -> String {
    format!("{}/van-ban/{}", site_path(site), p.id)
}

fn size_text(bytes: u64) -> String {
    format!(
        "{} KB",
        vn::numbers::format_int(i64::try_from(bytes.div_ceil(1024)).unwrap_or(i64::MAX))
    )
}

/// The site `slug` and its chrome titled `title`.
async fn chrome(state: &AppState, site: &Site, title: String) -> Result<Chrome, AppError> {
    let categories = state.app.categories(site.id).await?;
    Ok(Chrome::of(site, &categories, title, Language::Vi))
}

fn item(site: &Site, (p, d): (Publication, Document)) -> Item {
    Item {
        url: publication_path(site, &p),
        issued: vn::dates::format_short(d.issued_on),
        category: p.category.label(),
        symbol: d.symbol,
        summary: d.summary,
    }
}

/// `GET /site/{slug}/van-ban?loai=&trang=`
pub async fn list(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<ListQuery>,
) -> Response {
    respond(
        async {
            let site = state.app.site_by_slug(&slug).await?;
            let category = match query.loai.as_str() {
                "" => None,
                code => Some(
                    code.parse::<DocumentCategory>()
                        .map_err(|_| AppError::NotFound("loại văn bản"))?,
                ),
            };
            let page_no = query.trang.unwrap_or(1).max(1);
            let found = state
                .app
                .public_publications(site.id, category, page_no)
                .await?;
            let title = category
                .map_or("Văn bản", DocumentCategory::label)
                .to_owned();
            Ok(page(&ListPage {
                c: chrome(&state, &site, title).await?,
                path: format!("{}/van-ban", site_path(&site)),
                categories: DocumentCategory::ALL
                    .iter()
                    .map(|c| (c.as_str(), c.label(), Some(*c) == category))
                    .collect(),
                category: query.loai,
                total: found.total,
                pages: u32::try_from(found.total.div_ceil(PAGE_SIZE).max(1)).unwrap_or(u32::MAX),
                page: page_no,
                items: found.items.into_iter().map(|x| item(&site, x)).collect(),
            }))
        }
        .await,
    )
}

/// The id in a path: anything else is a page that does not exist.
fn number(text: &str) -> Result<i64, AppError> {
    text.parse()
        .ok()
        .filter(|id: &i64| *id > 0)
        .ok_or(AppError::NotFound("văn bản"))
}

/// The publication `id` of the site `slug`, 404 when it is another site's.
async fn visible(
    state: &AppState,
    slug: &str,
    id: &str,
) -> Result<(Site, PublicDocument), AppError> {
    let id = number(id)?;
    let site = state.app.site_by_slug(slug).await?;
    let shown = state.app.public_publication(id).await?;
    if shown.publication.site_id != site.id {
        return Err(AppError::NotFound("văn bản"));
    }
    Ok((site, shown))
}

async fn document_page(
    state: &AppState,
    site: &Site,
    shown: PublicDocument,
    sent: bool,
    error: Option<String>,
    form: CommentDraft,
) -> Result<Response, AppError> {
    let PublicDocument {
        publication: p,
        document: d,
        files,
        comments,
    } = shown;
    let path = publication_path(site, &p);
    let now = state.app.now();
    Ok(page(&DocumentPage {
        c: chrome(state, site, format!("{} {}", d.doc_type, d.symbol)).await?,
        list: format!("{}/van-ban", site_path(site)),
        files: files
            .iter()
            .map(|f| {
                (
                    format!("{path}/tep/{}", f.id),
                    f.name.clone(),
                    f.role.label(),
                    size_text(f.size),
                )
            })
            .collect(),
        action: path,
        category: p.category.label(),
        published: vn::dates::format_short(vn::dates::vietnam_date(p.published_at)),
        consultation: p.consultation.map(|c| {
            (
                vn::dates::format_short(c.opens),
                vn::dates::format_short(c.closes),
                c.is_open(now),
            )
        }),
        comments,
        sent,
        error,
        form,
        symbol: d.symbol,
        doc_type: d.doc_type,
        summary: d.summary,
        issued: vn::dates::format_short(d.issued_on),
        issuer: d.issuer,
        signer: d.signer.unwrap_or_default(),
    }))
}

/// `GET /site/{slug}/van-ban/{id}`
pub async fn show(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    Query(query): Query<ShowQuery>,
) -> Response {
    respond(
        async {
            let (site, shown) = visible(&state, &slug, &id).await?;
            document_page(
                &state,
                &site,
                shown,
                query.sent.is_some(),
                None,
                CommentDraft::default(),
            )
            .await
        }
        .await,
    )
}

/// `GET /site/{slug}/van-ban/{id}/tep/{file}`: the file as stored, to
/// save, only while the publication is visible on that site.
pub async fn file(
    State(state): State<AppState>,
    Path((slug, id, file)): Path<(String, String, String)>,
) -> Response {
    respond(
        async {
            let (_, shown) = visible(&state, &slug, &id).await?;
            let file = number(&file).map_err(|_| AppError::NotFound("tệp"))?;
            let (file, bytes) = state
                .app
                .public_publication_file(shown.publication.id, file)
                .await?;
            Ok(crate::download(&file.name, &file.content_type, bytes))
        }
        .await,
    )
}

/// The comment form's fields.
#[derive(Debug, Deserialize, Default)]
struct CommentForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    body: String,
}

/// The form's fields, or why they cannot be read and the status to say so.
async fn read_form(body: Body) -> Result<CommentDraft, (String, StatusCode)> {
    let bytes = axum::body::to_bytes(body, FORM_LIMIT).await.map_err(|_| {
        let reason = format!(
            "Nội dung gửi quá lớn: góp ý tối đa {} ký tự (cả biểu mẫu tối đa {} KB)",
            vn::numbers::format_count(domain::portal::publications::BODY_MAX as u64),
            FORM_LIMIT / 1024
        );
        (reason, StatusCode::PAYLOAD_TOO_LARGE)
    })?;
    let form: CommentForm = serde_urlencoded::from_bytes(&bytes).map_err(|_| {
        let reason = "Biểu mẫu không hợp lệ: hãy tải lại trang và gửi lại.".to_owned();
        (reason, StatusCode::BAD_REQUEST)
    })?;
    Ok(CommentDraft {
        name: form.name,
        contact: form.contact,
        organisation: form.organisation,
        body: form.body,
    })
}

/// `POST /site/{slug}/van-ban/{id}`: a comment; on success back to the
/// page with a thank-you, otherwise the page again with the reason and
/// what was written.
pub async fn comment(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    body: Body,
) -> Response {
    respond(
        async {
            let (site, shown) = visible(&state, &slug, &id).await?;
            let (form, reason, status) = match read_form(body).await {
                Err((reason, status)) => (CommentDraft::default(), reason, status),
                Ok(draft) => match state
                    .app
                    .submit_comment(shown.publication.id, draft.clone())
                    .await
                {
                    Ok(_) => {
                        content_changed(&state.public_cache);
                        let path = publication_path(&site, &shown.publication);
                        return Ok(Redirect::to(&format!("{path}?da-gui=1")).into_response());
                    }
                    Err(AppError::Invalid(reason)) => {
                        (draft, reason, StatusCode::UNPROCESSABLE_ENTITY)
                    }
                    Err(err) => return Err(err),
                },
            };
            let mut response =
                document_page(&state, &site, shown, false, Some(reason), form).await?;
            *response.status_mut() = status;
            Ok(response)
        }
        .await,
    )
}
