//! What readers see: lists, an article, search, and the moment a site's
//! content last changed (for ETag and Last-Modified), each over visible
//! articles only — published, their moment come — and the page views,
//! counted per article and day without recording who read.

use domain::portal::articles::{Article, ArticleFilter, ArticleId, PAGE_SIZE};
use domain::portal::{CategoryId, Language, SiteId};
use domain::search::{Found, Terms};
use time::OffsetDateTime;

use crate::{App, AppError};

/// The rows before page `page` (1 is the first; 0 reads as 1).
fn offset(page: u32) -> u64 {
    u64::from(page.max(1) - 1) * PAGE_SIZE
}

impl App {
    /// One page of a site's articles, newest first; the main portal's list
    /// also holds the articles shared to it with approval.
    pub async fn public_articles(
        &self,
        site: SiteId,
        category: Option<CategoryId>,
        language: Option<Language>,
        page: u32,
    ) -> Result<Found<Article>, AppError> {
        let site = self.site_record(site).await?;
        let filter = ArticleFilter {
            site_id: Some(site.id),
            with_shared: site.main,
            category_id: category,
            language,
            visible_at: Some(self.now()),
            ..ArticleFilter::default()
        };
        let read = self.store.read().await?;
        Ok(read.find_articles(&filter, offset(page), PAGE_SIZE).await?)
    }

    /// Article `id`, if readers may see it now.
    pub async fn public_article(&self, id: ArticleId) -> Result<Article, AppError> {
        self.store
            .read()
            .await?
            .article(id)
            .await?
            .filter(|a| a.visible(self.now()))
            .ok_or(AppError::NotFound("tin bài"))
    }

    /// Visible articles answering `question` (diacritics ignored), of
    /// `site` (with what is shared to it) or of every site.
    pub async fn search_articles(
        &self,
        question: &str,
        site: Option<SiteId>,
        page: u32,
    ) -> Result<Found<Article>, AppError> {
        let terms = Terms::parse(question);
        if terms.is_empty() {
            return Ok(Found {
                items: Vec::new(),
                total: 0,
            });
        }
        let with_shared = match site {
            Some(id) => self.site_record(id).await?.main,
            None => false,
        };
        let filter = ArticleFilter {
            site_id: site,
            with_shared,
            visible_at: Some(self.now()),
            terms,
            ..ArticleFilter::default()
        };
        let read = self.store.read().await?;
        Ok(read.find_articles(&filter, offset(page), PAGE_SIZE).await?)
    }

    /// The latest moment the visible content of `site` changed (an
    /// article published, edited, unpublished, or shared to the main
    /// portal); `None` before its first publication. Changes to the site's
    /// name or categories are not counted.
    pub async fn last_modified(&self, site: SiteId) -> Result<Option<OffsetDateTime>, AppError> {
        let site = self.site_record(site).await?;
        Ok(self
            .store
            .read()
            .await?
            .site_last_modified(site.id, site.main, self.now())
            .await?)
    }
}
