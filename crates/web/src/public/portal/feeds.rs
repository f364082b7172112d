//! What the portal publishes for machines: a site's or a category's Atom
//! feed, the sitemap of every site, and robots.txt pointing at it. The
//! documents themselves are written by `domain::portal::feed`.

use app::AppError;
use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use domain::portal::articles::Article;
use domain::portal::feed::{self, Feed, FeedEntry, SitemapUrl};
use domain::portal::{Category, Site};

use super::pages::find_category;
use super::{article_path, base_url, category_path, site_path};
use crate::AppState;
use crate::ui::respond;

/// Stops walking a site's pages for the sitemap here (20 articles a page):
/// far beyond what one sitemap file may list.
const MAX_PAGES: u32 = 2_500;

fn answer(content_type: &'static str, body: String) -> Response {
    ([(CONTENT_TYPE, content_type)], body).into_response()
}

pub async fn site_feed(State(state): State<AppState>, Path(slug): Path<String>) -> Response {
    respond(feed_of(&state, &slug, None).await)
}

pub async fn category_feed(
    State(state): State<AppState>,
    Path((slug, category)): Path<(String, String)>,
) -> Response {
    respond(feed_of(&state, &slug, Some(&category)).await)
}

/// The Atom feed of the first page of a site's (or category's) articles.
async fn feed_of(
    state: &AppState,
    slug: &str,
    category: Option<&str>,
) -> Result<Response, AppError> {
    let site = state.app.site_by_slug(slug).await?;
    let categories = state.app.categories(site.id).await?;
    let category = category
        .map(|c| find_category(&categories, c))
        .transpose()?;
    let found = state
        .app
        .public_articles(site.id, category.as_ref().map(|c| c.id), None, 1)
        .await?;
    let base = base_url(state);
    let (title, page) = match &category {
        Some(c) => (
            format!("{} – {}", site.name, c.name),
            category_path(&site, c),
        ),
        None => (site.name.clone(), site_path(&site)),
    };
    let updated = state
        .app
        .last_modified(site.id)
        .await?
        .unwrap_or_else(|| state.app.now());
    let document = feed::atom(&Feed {
        id: format!("{base}{page}/atom.xml"),
        title,
        subtitle: None,
        self_url: format!("{base}{page}/atom.xml"),
        site_url: format!("{base}{page}"),
        updated,
        language: "vi".into(),
        entries: found
            .items
            .iter()
            .map(|a| entry(&base, &site, &categories, a))
            .collect(),
    });
    Ok(answer("application/atom+xml; charset=utf-8", document))
}

fn entry(base: &str, site: &Site, categories: &[Category], a: &Article) -> FeedEntry {
    let url = format!("{base}{}", article_path(site, a));
    FeedEntry {
        id: url.clone(),
        title: a.title.clone(),
        url,
        published: a.publish_at.unwrap_or(a.created_at),
        updated: a.updated_at.max(a.publish_at.unwrap_or(a.updated_at)),
        summary: a.summary.clone(),
        author: a.byline.clone(),
        categories: categories
            .iter()
            .filter(|c| a.category_ids.contains(&c.id))
            .map(|c| c.name.clone())
            .collect(),
        language: a.language.as_str().to_owned(),
    }
}

/// Every site's home and categories and every visible article, each on
/// its own site.
pub async fn sitemap(State(state): State<AppState>) -> Response {
    respond(
        async {
            let base = base_url(&state);
            let mut urls = Vec::new();
            for site in state.app.sites().await? {
                let lastmod = state.app.last_modified(site.id).await?;
                let home = format!("{base}{}", site_path(&site));
                urls.push(SitemapUrl { loc: home, lastmod });
                for c in state.app.categories(site.id).await? {
                    let loc = format!("{base}{}", category_path(&site, &c));
                    urls.push(SitemapUrl { loc, lastmod });
                }
                for page in 1..=MAX_PAGES {
                    let found = state.app.public_articles(site.id, None, None, page).await?;
                    if found.items.is_empty() {
                        break;
                    }
                    urls.extend(
                        found
                            .items
                            .iter()
                            .filter(|a| a.site_id == site.id)
                            .map(|a| SitemapUrl {
                                loc: format!("{base}{}", article_path(&site, a)),
                                lastmod: Some(
                                    a.updated_at.max(a.publish_at.unwrap_or(a.updated_at)),
                                ),
                            }),
                    );
                }
            }
            let document = feed::sitemap(&urls).map_err(AppError::invalid)?;
            Ok(answer("application/xml; charset=utf-8", document))
        }
        .await,
    )
}

pub async fn robots(State(state): State<AppState>) -> Response {
    let base = base_url(&state);
    answer(
        "text/plain; charset=utf-8",
        format!("User-agent: *\nDisallow: /app/\nDisallow: /api/\nSitemap: {base}/sitemap.xml\n"),
    )
}
