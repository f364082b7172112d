//! The staff's lists of a site's articles: one site's articles by status
//! (for its members), and one's own drafts — among them those a reviewer
//! returned with a reason.

use domain::portal::articles::{Article, ArticleFilter, ArticleId, ArticleStatus, Revision};
use domain::portal::{SiteAction, SiteId, may};

use crate::{App, AppError, Ctx};

/// The most articles a staff list shows; older ones are found by status.
const LIST_MAX: u64 = 200;

impl App {
    /// Site `id` (sites are public: readers see their names).
    pub async fn portal_site(&self, id: SiteId) -> Result<domain::portal::Site, AppError> {
        self.site_record(id).await
    }

    /// Site `site`'s articles, any status unless `status` is given, latest
    /// change first, for the site's members.
    pub async fn site_articles(
        &self,
        ctx: &Ctx,
        site: SiteId,
        status: Option<ArticleStatus>,
    ) -> Result<Vec<Article>, AppError> {
        self.site_record(site).await?;
        if !may(self.site_role(ctx, site).await?, SiteAction::SeeUnpublished) {
            return Err(AppError::Forbidden);
        }
        let filter = ArticleFilter {
            site_id: Some(site),
            status,
            ..ArticleFilter::default()
        };
        let read = self.store.read().await?;
        Ok(read.find_articles(&filter, 0, LIST_MAX).await?.items)
    }

    /// The signed-in person's drafts on the sites they belong to, returned
    /// ones (with the reviewer's reason) among them.
    pub async fn my_drafts(&self, ctx: &Ctx) -> Result<Vec<Article>, AppError> {
        let Some(actor) = &ctx.actor else {
            return Ok(Vec::new());
        };
        let sites: Vec<SiteId> = self
            .my_sites(ctx)
            .await?
            .into_iter()
            .map(|(s, _)| s.id)
            .collect();
        if sites.is_empty() {
            return Ok(Vec::new());
        }
        let filter = ArticleFilter {
            sites: Some(sites),
            status: Some(ArticleStatus::Draft),
            ..ArticleFilter::default()
        };
        let read = self.store.read().await?;
        let found = read.find_articles(&filter, 0, LIST_MAX).await?;
        Ok(found
            .items
            .into_iter()
            .filter(|a| a.author_id == actor.person_id)
            .collect())
    }

    /// Article `id`'s revisions, the latest first, each with its writer's
    /// name, for the site's members.
    pub async fn article_history(
        &self,
        ctx: &Ctx,
        id: ArticleId,
    ) -> Result<Vec<(Revision, String)>, AppError> {
        let revisions = self.article_revisions(ctx, id).await?;
        let read = self.store.read().await?;
        let mut out = Vec::with_capacity(revisions.len());
        for r in revisions {
            let name = read
                .person(r.by)
                .await?
                .map(|p| p.full_name)
                .unwrap_or_default();
            out.push((r, name));
        }
        Ok(out)
    }
}
