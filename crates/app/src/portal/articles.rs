//! Articles: writing, the editorial workflow, sharing to the main portal,
//! and the staff's reads (an article with its drafts, its revisions, the
//! review queue). Each change is one write transaction with its audit
//! entry; every save keeps a revision and re-indexes the article.

use domain::portal::articles::{
    self as rules, Article, ArticleDraft, ArticleError, ArticleFilter, ArticleId, ArticleStatus,
    Revision, TranslationTarget,
};
use domain::portal::{SiteAction, SiteRole, may};
use domain::search::index_text;
use time::OffsetDateTime;

use super::change;
use crate::audit::record;
use crate::{App, AppError, Ctx};

/// The most articles the review queue lists.
const QUEUE_MAX: u64 = 200;

/// A rule's refusal: a missing role is forbidden, the rest is bad input.
fn refused(err: ArticleError) -> AppError {
    match err {
        ArticleError::NotAllowed => AppError::Forbidden,
        other => AppError::invalid(other),
    }
}

/// The words the search index keeps for an article.
pub(crate) fn words_of(a: &Article) -> String {
    let body = rules::plain_text(&a.body_html);
    index_text(
        [a.title.as_str(), a.summary.as_str(), body.as_str()]
            .into_iter()
            .chain(a.tags.iter().map(String::as_str)),
    )
}

/// Which site's role decides a step: the article's own, or the main
/// portal's (deciding on sharing).
#[derive(Clone, Copy)]
enum RoleOn {
    Own,
    Main,
}

impl App {
    async fn article_record(&self, id: ArticleId) -> Result<Article, AppError> {
        self.store
            .read()
            .await?
            .article(id)
            .await?
            .ok_or(AppError::NotFound("tin bài"))
    }

    /// `draft` checked against its site's categories and the article it
    /// translates; `id` is the article being edited, if any.
    async fn checked_draft(
        &self,
        site: i64,
        draft: ArticleDraft,
        id: Option<ArticleId>,
    ) -> Result<ArticleDraft, AppError> {
        let read = self.store.read().await?;
        let categories: Vec<_> = read.categories(site).await?.iter().map(|c| c.id).collect();
        let is_translated = match id {
            Some(id) => !read.translations_of(id).await?.is_empty(),
            None => false,
        };
        let (target, others) = match draft.translation_of {
            Some(t) => {
                let target = read
                    .article(t)
                    .await?
                    .ok_or(AppError::NotFound("bài gốc"))?;
                let others: Vec<Article> = read
                    .translations_of(t)
                    .await?
                    .into_iter()
                    .filter(|o| Some(o.id) != id)
                    .collect();
                (Some(target), others)
            }
            None => (None, Vec::new()),
        };
        let translation = target.as_ref().map(|target| TranslationTarget {
            target,
            others: &others,
        });
        if translation.is_some_and(|t| Some(t.target.id) == id) {
            return Err(AppError::invalid(ArticleError::TranslationSameLanguage));
        }
        rules::check_draft(draft, site, &categories, translation, is_translated).map_err(refused)
    }

    /// Writes a new draft on site `site` by the signed-in editor.
    pub async fn create_article(
        &self,
        ctx: &Ctx,
        site: i64,
        draft: ArticleDraft,
    ) -> Result<Article, AppError> {
        let author = ctx
            .actor
            .as_ref()
            .map(|a| a.person_id)
            .ok_or(AppError::Unauthenticated)?;
        self.site_record(site).await?;
        let role = self.site_role(ctx, site).await?;
        if !may(role, SiteAction::Write) {
            return Err(AppError::Forbidden);
        }
        let draft = self.checked_draft(site, draft, None).await?;
        let mut article = Article::new(site, draft, author, role, self.now()).map_err(refused)?;
        let mut tx = self.store.write().await?;
        let ids = tx
            .insert_articles(std::slice::from_ref(&article), &[words_of(&article)])
            .await?;
        article.id = ids.first().copied().ok_or(AppError::NotFound("tin bài"))?;
        record(
            &mut tx,
            self,
            ctx,
            change(
                "portal.article.create",
                "portal_article",
                article.id,
                None,
                Some(&article),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(article)
    }

    /// Saves `draft` as article `id`'s next revision.
    pub async fn update_article(
        &self,
        ctx: &Ctx,
        id: ArticleId,
        draft: ArticleDraft,
    ) -> Result<Article, AppError> {
        let by = ctx
            .actor
            .as_ref()
            .map(|a| a.person_id)
            .ok_or(AppError::Unauthenticated)?;
        let before = self.article_record(id).await?;
        let role = self.site_role(ctx, before.site_id).await?;
        if !may(role, SiteAction::Write) {
            return Err(AppError::Forbidden);
        }
        let draft = self.checked_draft(before.site_id, draft, Some(id)).await?;
        let after = before.edited(draft, role, self.now()).map_err(refused)?;
        let mut tx = self.store.write().await?;
        tx.update_article(&after).await?;
        tx.insert_revisions(&[after.revision_by(by)]).await?;
        tx.set_article_words(&[(id, &words_of(&after))]).await?;
        record(
            &mut tx,
            self,
            ctx,
            change(
                "portal.article.update",
                "portal_article",
                id,
                Some(&before),
                Some(&after),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Applies one workflow step to article `id`, decided by `step` with
    /// the person's role (on the article's site or the main portal's).
    async fn step(
        &self,
        ctx: &Ctx,
        id: ArticleId,
        action: &'static str,
        on: RoleOn,
        step: impl FnOnce(&Article, Option<SiteRole>, OffsetDateTime) -> Result<Article, ArticleError>,
    ) -> Result<Article, AppError> {
        let before = self.article_record(id).await?;
        let site = match on {
            RoleOn::Own => before.site_id,
            RoleOn::Main => {
                self.store
                    .read()
                    .await?
                    .main_site()
                    .await?
                    .ok_or(AppError::NotFound("Cổng thông tin chính"))?
                    .id
            }
        };
        let role = self.site_role(ctx, site).await?;
        let after = step(&before, role, self.now()).map_err(refused)?;
        let mut tx = self.store.write().await?;
        tx.update_article(&after).await?;
        record(
            &mut tx,
            self,
            ctx,
            change(action, "portal_article", id, Some(&before), Some(&after)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Draft → in review.
    pub async fn submit_article(&self, ctx: &Ctx, id: ArticleId) -> Result<Article, AppError> {
        self.step(
            ctx,
            id,
            "portal.article.submit",
            RoleOn::Own,
            Article::submitted,
        )
        .await
    }

    /// Publishes article `id` now, or schedules it `at` a later moment.
    pub async fn publish_article(
        &self,
        ctx: &Ctx,
        id: ArticleId,
        at: Option<OffsetDateTime>,
    ) -> Result<Article, AppError> {
        self.step(
            ctx,
            id,
            "portal.article.publish",
            RoleOn::Own,
            |a, role, now| a.published(role, at, now),
        )
        .await
    }

    /// Sends article `id` back to its writer with `reason`.
    pub async fn return_article(
        &self,
        ctx: &Ctx,
        id: ArticleId,
        reason: &str,
    ) -> Result<Article, AppError> {
        self.step(
            ctx,
            id,
            "portal.article.return",
            RoleOn::Own,
            |a, role, now| a.returned(role, reason, now),
        )
        .await
    }

    /// Takes a published article off the site.
    pub async fn unpublish_article(&self, ctx: &Ctx, id: ArticleId) -> Result<Article, AppError> {
        self.step(
            ctx,
            id,
            "portal.article.unpublish",
            RoleOn::Own,
            Article::unpublished,
        )
        .await
    }

    /// Proposes a component site's published article to the main portal.
    pub async fn propose_sharing(&self, ctx: &Ctx, id: ArticleId) -> Result<Article, AppError> {
        let site = self
            .site_record(self.article_record(id).await?.site_id)
            .await?;
        self.step(
            ctx,
            id,
            "portal.article.propose",
            RoleOn::Own,
            |a, role, now| a.sharing_proposed(role, site.main, now),
        )
        .await
    }

    /// A main-portal reviewer approves or rejects a proposal.
    pub async fn decide_sharing(
        &self,
        ctx: &Ctx,
        id: ArticleId,
        approve: bool,
    ) -> Result<Article, AppError> {
        self.step(
            ctx,
            id,
            "portal.article.share",
            RoleOn::Main,
            |a, role, now| a.sharing_decided(role, approve, now),
        )
        .await
    }

    /// Article `id` as staff see it: visible ones to anyone, the others
    /// (drafts, in review, scheduled, unpublished) to the site's members.
    pub async fn article(&self, ctx: &Ctx, id: ArticleId) -> Result<Article, AppError> {
        let article = self.article_record(id).await?;
        if article.visible(self.now())
            || may(
                self.site_role(ctx, article.site_id).await?,
                SiteAction::SeeUnpublished,
            )
        {
            Ok(article)
        } else {
            Err(AppError::NotFound("tin bài"))
        }
    }

    /// Article `id`'s revisions, the latest first, for its site's members.
    pub async fn article_revisions(
        &self,
        ctx: &Ctx,
        id: ArticleId,
    ) -> Result<Vec<Revision>, AppError> {
        let article = self.article_record(id).await?;
        if !may(
            self.site_role(ctx, article.site_id).await?,
            SiteAction::SeeUnpublished,
        ) {
            return Err(AppError::Forbidden);
        }
        Ok(self.store.read().await?.revisions(id).await?)
    }

    /// The articles waiting for review on the sites the person reviews,
    /// latest change first.
    pub async fn review_queue(&self, ctx: &Ctx) -> Result<Vec<Article>, AppError> {
        let sites: Vec<i64> = self
            .my_sites(ctx)
            .await?
            .into_iter()
            .filter(|(_, role)| *role == SiteRole::Reviewer)
            .map(|(site, _)| site.id)
            .collect();
        if sites.is_empty() {
            return Ok(Vec::new());
        }
        let filter = ArticleFilter {
            sites: Some(sites),
            status: Some(ArticleStatus::InReview),
            ..ArticleFilter::default()
        };
        let found = self
            .store
            .read()
            .await?
            .find_articles(&filter, 0, QUEUE_MAX)
            .await?;
        Ok(found.items)
    }
}
