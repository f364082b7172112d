//! The provincial portal's public pages (issue 11): each site's home, its
//! categories, articles, its published documents with their consultations,
//! search across sites, Atom feeds, the sitemap and robots.txt. Pages are
//! in `pages` and `documents`, machine documents in `feeds`; this
//! module owns the router, the chrome every page shares, and the two
//! layers in front of it.
//!
//! Caching: the whole router sits behind `public_cache` (pages kept
//! `TTL`, strong ETag, 304s). A scheduled article becomes visible when its
//! moment comes, not by a write, so nothing invalidates the cache then: a
//! cached page may miss it for at most `TTL`. A publish through the web
//! layer calls [`content_changed`], which empties the cache at once.
//!
//! View counting sits in front of the cache ([`count_views`]), so that an
//! article answered from the cache, or with a 304, is counted too. Only
//! the article and the day are stored: nothing about the reader.

mod documents;
mod feeds;
mod pages;

use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::Response;
use axum::routing::get;
use domain::portal::articles::{Article, ArticleId};
use domain::portal::{Category, Language, Site, menu};

use crate::AppState;
use crate::public_cache::{self, Policy, PublicCache};

/// How long a rendered page is served from the cache: also the longest a
/// scheduled article, once its moment has come, may be missing from a
/// cached list.
pub const TTL: Duration = Duration::from_mins(1);

/// The portal's routes with their cache and view counter.
pub fn router(state: &AppState) -> Router<AppState> {
    let policy = Policy {
        cache: state.public_cache.clone(),
        ttl: TTL,
    };
    Router::new()
        .route("/", get(pages::home))
        .route("/site/{slug}", get(pages::site_home))
        .route("/site/{slug}/chuyen-muc/{category}", get(pages::category))
        .route("/site/{slug}/bai-viet/{id}", get(pages::article))
        .route("/site/{slug}/van-ban", get(documents::list))
        .route(
            "/site/{slug}/van-ban/{id}",
            get(documents::show).post(documents::comment),
        )
        .route("/site/{slug}/van-ban/{id}/tep/{file}", get(documents::file))
        .route("/site/{slug}/atom.xml", get(feeds::site_feed))
        .route(
            "/site/{slug}/chuyen-muc/{category}/atom.xml",
            get(feeds::category_feed),
        )
        .route("/tim-kiem", get(pages::search))
        .route("/sitemap.xml", get(feeds::sitemap))
        .route("/robots.txt", get(feeds::robots))
        .layer(from_fn_with_state(policy, public_cache::middleware))
        .layer(from_fn_with_state(state.clone(), count_views))
}

/// What the public sees changed (an article published, unpublished,
/// edited or shared): the staff pages call this with
/// `state.public_cache` after such a use case, so that the next reader
/// gets fresh pages.
pub fn content_changed(cache: &PublicCache) {
    cache.invalidate_all();
}

/// Counts a reading of the article a GET of `/site/{slug}/bai-viet/{id}`
/// answered (200, or 304 from the cache); nothing about the reader.
async fn count_views(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let id = (request.method() == Method::GET)
        .then(|| article_id_of_path(request.uri().path()))
        .flatten();
    let response = next.run(request).await;
    if let Some(id) = id
        && matches!(response.status(), StatusCode::OK | StatusCode::NOT_MODIFIED)
    {
        let today = vn::dates::vietnam_date(state.app.now());
        state.app.count_article_view(id, today);
    }
    response
}

/// The id in `/site/{slug}/bai-viet/{id}[-words]`.
fn article_id_of_path(path: &str) -> Option<ArticleId> {
    let mut parts = path.strip_prefix("/site/")?.split('/');
    let (_slug, kind, id) = (parts.next()?, parts.next()?, parts.next()?);
    (kind == "bai-viet" && parts.next().is_none())
        .then(|| leading_id(id))
        .flatten()
}

/// The number before an optional `-words` slug.
pub(crate) fn leading_id(text: &str) -> Option<ArticleId> {
    let digits = text.split('-').next()?;
    digits.parse().ok().filter(|id: &ArticleId| *id > 0)
}

/// What every portal page shows around its content.
pub struct Chrome {
    pub lang: &'static str,
    pub title: String,
    pub site_name: String,
    pub home: String,
    /// (link, name) of the categories in the site's menu.
    pub menu: Vec<(String, String)>,
    /// The site's Atom feed, or empty.
    pub feed: String,
}

impl Chrome {
    pub fn of(site: &Site, categories: &[Category], title: String, lang: Language) -> Self {
        Self {
            lang: lang.as_str(),
            title,
            site_name: site.name.clone(),
            home: site_path(site),
            menu: menu(categories)
                .into_iter()
                .map(|c| (category_path(site, c), c.name.clone()))
                .collect(),
            feed: format!("{}/atom.xml", site_path(site)),
        }
    }
}

pub fn site_path(site: &Site) -> String {
    format!("/site/{}", site.slug)
}

pub fn category_path(site: &Site, category: &Category) -> String {
    format!("/site/{}/chuyen-muc/{}", site.slug, category.slug)
}

/// An article's page on `site` (its own, or the main portal it is shared to).
pub fn article_path(site: &Site, article: &Article) -> String {
    format!("/site/{}/bai-viet/{}", site.slug, article.id)
}

/// The portal's address as readers reach it, without a trailing slash:
/// the public services' address, which the same process serves.
pub fn base_url(state: &AppState) -> String {
    state
        .app
        .config
        .services
        .public_url
        .trim_end_matches('/')
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_paths_give_their_id() {
        assert_eq!(article_id_of_path("/site/tra-vinh/bai-viet/12"), Some(12));
        assert_eq!(
            article_id_of_path("/site/tra-vinh/bai-viet/12-bau-cu"),
            Some(12)
        );
        assert_eq!(article_id_of_path("/site/tra-vinh/bai-viet/x"), None);
        assert_eq!(article_id_of_path("/site/tra-vinh/atom.xml"), None);
        assert_eq!(article_id_of_path("/site/a/bai-viet/3/more"), None);
        assert_eq!(leading_id("0"), None);
    }
}
