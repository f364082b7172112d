//! The portal's HTML pages: a site's home and category lists, an article,
//! and search across sites. Everything shown comes from `app::portal`'s
//! public use cases, which return visible articles only.

use app::AppError;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, HOST};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use domain::portal::articles::{Article, PAGE_SIZE, Sharing};
use domain::portal::{Category, Language, Site};
use domain::search::Found;
use serde::Deserialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{Chrome, article_path, base_url, category_path, leading_id, site_path};
use crate::AppState;
use crate::ui::{page, respond};

#[derive(Debug, Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    trang: Option<u32>,
}

#[derive(Debug, Deserialize, Default)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    site: String,
    #[serde(default)]
    trang: Option<u32>,
}

/// One article in a list.
struct Item {
    lang: &'static str,
    url: String,
    title: String,
    date: String,
    iso: String,
    summary: String,
}

#[derive(Template)]
#[template(path = "portal_list.html")]
struct ListPage {
    c: Chrome,
    today: String,
    items: Vec<Item>,
    page: u32,
    pages: u32,
    /// The list's own path; pages add `trang` (and the search its words).
    path: String,
    search: bool,
    q: String,
    site_slug: String,
    total: u64,
    /// (slug or link, name): the search's site choices, or the component
    /// sites on the main portal's home.
    sites: Vec<(String, String)>,
    others: Vec<(String, String)>,
}

impl ListPage {
    fn link(&self, n: u32) -> String {
        let mut query = vec![("trang", n.to_string())];
        if self.search {
            query.push(("q", self.q.clone()));
            query.push(("site", self.site_slug.clone()));
        }
        let query = serde_urlencoded::to_string(query).unwrap_or_default();
        format!("{}?{query}", self.path)
    }
}

#[derive(Template)]
#[template(path = "portal_article.html")]
struct ArticlePage {
    c: Chrome,
    url: String,
    locale: &'static str,
    summary: String,
    byline: String,
    published: String,
    published_iso: String,
    body: String,
    categories: Vec<(String, String)>,
    tags: Vec<(String, String)>,
    /// (link, language, text) of the article in the other language.
    translation: Option<(String, &'static str, &'static str)>,
}

/// When readers first could see `a`.
fn moment(a: &Article) -> OffsetDateTime {
    a.publish_at.unwrap_or(a.updated_at)
}

fn iso(moment: OffsetDateTime) -> String {
    moment.format(&Rfc3339).unwrap_or_default()
}

fn item(site: &Site, a: Article) -> Item {
    let at = moment(&a);
    Item {
        lang: a.language.as_str(),
        url: article_path(site, &a),
        date: vn::dates::format_short(vn::dates::vietnam_date(at)),
        iso: iso(at),
        title: a.title,
        summary: a.summary,
    }
}

fn pages_of(found: &Found<Article>) -> u32 {
    u32::try_from(found.total.div_ceil(PAGE_SIZE).max(1)).unwrap_or(u32::MAX)
}

/// `/`: the site whose host the request names, else the main portal; the
/// platform's welcome page while no portal exists.
pub async fn home(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let host = headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .map(|h| h.split(':').next().unwrap_or(h).to_owned());
    let site = match host {
        Some(host) => state.app.site_by_host(&host).await.ok(),
        None => None,
    };
    let site = match site {
        Some(site) => Some(site),
        None => match state.app.sites().await {
            Ok(sites) => sites.into_iter().find(|s| s.main),
            Err(err) => return crate::ui::error_page(&err),
        },
    };
    match site {
        Some(site) => respond(list(&state, site, None, 1).await),
        None => crate::public::welcome(&state),
    }
}

pub async fn site_home(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<PageQuery>,
) -> Response {
    respond(
        async {
            let site = state.app.site_by_slug(&slug).await?;
            list(&state, site, None, query.trang.unwrap_or(1)).await
        }
        .await,
    )
}

pub async fn category(
    State(state): State<AppState>,
    Path((slug, category)): Path<(String, String)>,
    Query(query): Query<PageQuery>,
) -> Response {
    respond(
        async {
            let site = state.app.site_by_slug(&slug).await?;
            list(&state, site, Some(category), query.trang.unwrap_or(1)).await
        }
        .await,
    )
}

/// The category named `slug` on `site`.
pub(super) fn find_category(categories: &[Category], slug: &str) -> Result<Category, AppError> {
    categories
        .iter()
        .find(|c| c.slug == slug)
        .cloned()
        .ok_or(AppError::NotFound("chuyên mục"))
}

/// A site's home (no category) or a category's list, page `page`.
async fn list(
    state: &AppState,
    site: Site,
    category: Option<String>,
    page_no: u32,
) -> Result<Response, AppError> {
    let page_no = page_no.max(1);
    let categories = state.app.categories(site.id).await?;
    let category = match category {
        Some(slug) => Some(find_category(&categories, &slug)?),
        None => None,
    };
    let found = state
        .app
        .public_articles(site.id, category.as_ref().map(|c| c.id), None, page_no)
        .await?;
    let (title, path) = match &category {
        Some(c) => (c.name.clone(), category_path(&site, c)),
        None => (site.name.clone(), site_path(&site)),
    };
    let others = if site.main && category.is_none() {
        state
            .app
            .sites()
            .await?
            .into_iter()
            .filter(|s| !s.main)
            .map(|s| (site_path(&s), s.name))
            .collect()
    } else {
        Vec::new()
    };
    let mut c = Chrome::of(&site, &categories, title, Language::Vi);
    if category.is_some() {
        // The category's own feed, not the site's.
        c.feed = format!("{path}/atom.xml");
    }
    let today = vn::dates::place_date_header("Trà Vinh", vn::dates::vietnam_date(state.app.now()));
    Ok(page(&ListPage {
        c,
        today,
        page: page_no,
        pages: pages_of(&found),
        total: found.total,
        items: found.items.into_iter().map(|a| item(&site, a)).collect(),
        path,
        search: false,
        q: String::new(),
        site_slug: String::new(),
        sites: Vec::new(),
        others,
    }))
}

pub async fn article(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
) -> Response {
    respond(
        async {
            let site = state.app.site_by_slug(&slug).await?;
            let id = leading_id(&id).ok_or(AppError::NotFound("tin bài"))?;
            let a = state.app.public_article(id).await?;
            // An article is read on its own site, or on the main portal
            // once shared there.
            let shared_here = site.main && a.shared == Sharing::Approved;
            if a.site_id != site.id && !shared_here {
                return Err(AppError::NotFound("tin bài"));
            }
            let categories = state.app.categories(site.id).await?;
            let own_categories = if a.site_id == site.id {
                categories.clone()
            } else {
                state.app.categories(a.site_id).await?
            };
            let translation = match a.translation_of {
                Some(original) => state.app.public_article(original).await.ok(),
                None => None,
            }
            .filter(|t| t.site_id == a.site_id)
            .map(|t| {
                let text = match t.language {
                    Language::Vi => "Đọc bản tiếng Việt",
                    Language::Km => "អានជាភាសាខ្មែរ (bản tiếng Khmer)",
                };
                (article_path(&site, &t), t.language.as_str(), text)
            });
            let at = moment(&a);
            Ok(page(&ArticlePage {
                url: format!("{}{}", base_url(&state), article_path(&site, &a)),
                locale: match a.language {
                    Language::Vi => "vi_VN",
                    Language::Km => "km_KH",
                },
                c: Chrome::of(&site, &categories, a.title.clone(), a.language),
                published: vn::dates::format_long(vn::dates::vietnam_date(at)),
                published_iso: iso(at),
                categories: own_categories
                    .iter()
                    .filter(|c| a.category_ids.contains(&c.id) && c.site_id == site.id)
                    .map(|c| (category_path(&site, c), c.name.clone()))
                    .collect(),
                tags: a
                    .tags
                    .iter()
                    .map(|t| {
                        let q = serde_urlencoded::to_string([("q", t)]).unwrap_or_default();
                        (format!("/tim-kiem?{q}"), t.clone())
                    })
                    .collect(),
                translation,
                summary: a.summary,
                byline: a.byline,
                body: a.body_html,
            }))
        }
        .await,
    )
}

/// `/tim-kiem?q=&site=&trang=`: visible articles of every site, or of one.
///
/// Answers are not kept in egov's page cache (the handler sets its own
/// `Cache-Control`, which the cache passes through): queries are a long
/// tail, and storing them would let anyone evict the article pages
/// readers share by sending random words. Browsers may still keep an
/// answer for the same minute as any page.
pub async fn search(State(state): State<AppState>, Query(query): Query<SearchQuery>) -> Response {
    let mut response = respond(
        async {
            let sites = state.app.sites().await?;
            let main = sites.iter().find(|s| s.main).cloned();
            let chosen = match query.site.trim() {
                "" => None,
                slug => Some(state.app.site_by_slug(slug).await?),
            };
            let Some(chrome_site) = chosen.clone().or(main) else {
                return Err(AppError::NotFound("trang thông tin"));
            };
            let page_no = query.trang.unwrap_or(1).max(1);
            let q = query.q.trim().to_owned();
            let found = state
                .app
                .search_articles(&q, chosen.as_ref().map(|s| s.id), page_no)
                .await?;
            let categories = state.app.categories(chrome_site.id).await?;
            let items = found
                .items
                .iter()
                .cloned()
                .map(|a| {
                    let own = sites
                        .iter()
                        .find(|s| s.id == a.site_id)
                        .unwrap_or(&chrome_site);
                    item(own, a)
                })
                .collect();
            Ok(page(&ListPage {
                c: Chrome::of(
                    &chrome_site,
                    &categories,
                    "Tìm kiếm tin bài".into(),
                    Language::Vi,
                ),
                today: String::new(),
                page: page_no,
                pages: pages_of(&found),
                total: found.total,
                items,
                path: "/tim-kiem".into(),
                search: true,
                q,
                site_slug: chosen.map(|s| s.slug).unwrap_or_default(),
                sites: sites.into_iter().map(|s| (s.slug, s.name)).collect(),
                others: Vec::new(),
            }))
        }
        .await,
    );
    response.headers_mut().insert(
        CACHE_CONTROL,
        HeaderValue::from_static(crate::public_cache::CACHE_CONTROL_VALUE),
    );
    response
}
