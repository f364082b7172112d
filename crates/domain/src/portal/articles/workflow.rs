//! The editorial workflow's steps on an article (see the parent module's
//! words on editing, scheduling and sharing); each step checks the
//! person's role on the site first, then the article's state.

use time::OffsetDateTime;

use super::{Article, ArticleDraft, ArticleError, ArticleStatus, Revision, Sharing};
use crate::people::PersonId;
use crate::portal::{SiteAction, SiteId, SiteRole, may};

const REASON_MAX: usize = 1000;

fn allowed(role: Option<SiteRole>, action: SiteAction) -> Result<(), ArticleError> {
    if may(role, action) {
        Ok(())
    } else {
        Err(ArticleError::NotAllowed)
    }
}

impl Article {
    /// A new draft by `author`, already checked by [`check_draft`].
    pub fn new(
        site_id: SiteId,
        draft: ArticleDraft,
        author: PersonId,
        role: Option<SiteRole>,
        now: OffsetDateTime,
    ) -> Result<Self, ArticleError> {
        allowed(role, SiteAction::Write)?;
        Ok(Self {
            id: 0,
            site_id,
            language: draft.language,
            title: draft.title,
            summary: draft.summary,
            body_html: draft.body_html,
            byline: draft.byline,
            author_id: author,
            category_ids: draft.category_ids,
            tags: draft.tags,
            status: ArticleStatus::Draft,
            publish_at: None,
            translation_of: draft.translation_of,
            shared: Sharing::NotShared,
            return_reason: None,
            revision: 1,
            created_at: now,
            updated_at: now,
        })
    }

    /// Whether readers see it at `now`.
    pub fn visible(&self, now: OffsetDateTime) -> bool {
        self.status == ArticleStatus::Published && self.publish_at.is_some_and(|at| at <= now)
    }

    fn wrong_state(&self, action: &'static str) -> ArticleError {
        ArticleError::WrongState {
            action,
            status: self.status,
        }
    }

    fn changed(&self, status: ArticleStatus, now: OffsetDateTime) -> Self {
        Self {
            status,
            updated_at: now,
            ..self.clone()
        }
    }

    /// The article with `draft` (checked by [`check_draft`]) as its new
    /// revision; see the module's words on editing a published article.
    pub fn edited(
        &self,
        draft: ArticleDraft,
        role: Option<SiteRole>,
        now: OffsetDateTime,
    ) -> Result<Self, ArticleError> {
        allowed(role, SiteAction::Write)?;
        let status = match self.status {
            ArticleStatus::Published if may(role, SiteAction::Publish) => ArticleStatus::Published,
            ArticleStatus::Published => ArticleStatus::InReview,
            ArticleStatus::Unpublished => ArticleStatus::Draft,
            same => same,
        };
        Ok(Self {
            language: draft.language,
            title: draft.title,
            summary: draft.summary,
            body_html: draft.body_html,
            byline: draft.byline,
            category_ids: draft.category_ids,
            tags: draft.tags,
            translation_of: draft.translation_of,
            revision: self.revision + 1,
            ..self.changed(status, now)
        })
    }

    /// Draft → in review.
    pub fn submitted(
        &self,
        role: Option<SiteRole>,
        now: OffsetDateTime,
    ) -> Result<Self, ArticleError> {
        allowed(role, SiteAction::Submit)?;
        if self.status != ArticleStatus::Draft {
            return Err(self.wrong_state("gửi duyệt"));
        }
        Ok(Self {
            return_reason: None,
            ..self.changed(ArticleStatus::InReview, now)
        })
    }

    /// In review or unpublished → published at `at` (now when `None`; a
    /// later moment schedules it).
    pub fn published(
        &self,
        role: Option<SiteRole>,
        at: Option<OffsetDateTime>,
        now: OffsetDateTime,
    ) -> Result<Self, ArticleError> {
        allowed(role, SiteAction::Publish)?;
        if !matches!(
            self.status,
            ArticleStatus::InReview | ArticleStatus::Unpublished
        ) {
            return Err(self.wrong_state("đăng"));
        }
        let at = at.unwrap_or(now);
        if at < now {
            return Err(ArticleError::PastMoment);
        }
        Ok(Self {
            publish_at: Some(at),
            ..self.changed(ArticleStatus::Published, now)
        })
    }

    /// In review → draft, with the reviewer's `reason`, kept for the writer.
    pub fn returned(
        &self,
        role: Option<SiteRole>,
        reason: &str,
        now: OffsetDateTime,
    ) -> Result<Self, ArticleError> {
        allowed(role, SiteAction::Return)?;
        if self.status != ArticleStatus::InReview {
            return Err(self.wrong_state("trả lại"));
        }
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > REASON_MAX {
            return Err(ArticleError::NoReason);
        }
        Ok(Self {
            return_reason: Some(reason.to_owned()),
            ..self.changed(ArticleStatus::Draft, now)
        })
    }

    /// Published (visible or scheduled) → unpublished.
    pub fn unpublished(
        &self,
        role: Option<SiteRole>,
        now: OffsetDateTime,
    ) -> Result<Self, ArticleError> {
        allowed(role, SiteAction::Unpublish)?;
        if self.status != ArticleStatus::Published {
            return Err(self.wrong_state("gỡ"));
        }
        Ok(self.changed(ArticleStatus::Unpublished, now))
    }

    /// Proposes a published article of a component site (`on_main`: the
    /// article's site is the main portal) to the main portal.
    pub fn sharing_proposed(
        &self,
        role: Option<SiteRole>,
        on_main: bool,
        now: OffsetDateTime,
    ) -> Result<Self, ArticleError> {
        allowed(role, SiteAction::ProposeSharing)?;
        if on_main {
            return Err(ArticleError::SharingFromMain);
        }
        if self.status != ArticleStatus::Published {
            return Err(self.wrong_state("đề nghị đưa lên Cổng tỉnh"));
        }
        if !matches!(self.shared, Sharing::NotShared | Sharing::Rejected) {
            return Err(ArticleError::WrongSharing {
                action: "đề nghị đưa lên Cổng tỉnh",
                sharing: self.shared,
            });
        }
        Ok(Self {
            shared: Sharing::Proposed,
            ..self.changed(self.status, now)
        })
    }

    /// A main-site reviewer's (`main_role`) decision on a proposal.
    pub fn sharing_decided(
        &self,
        main_role: Option<SiteRole>,
        approve: bool,
        now: OffsetDateTime,
    ) -> Result<Self, ArticleError> {
        allowed(main_role, SiteAction::DecideSharing)?;
        if self.shared != Sharing::Proposed {
            return Err(ArticleError::WrongSharing {
                action: "duyệt đưa lên Cổng tỉnh",
                sharing: self.shared,
            });
        }
        Ok(Self {
            shared: if approve {
                Sharing::Approved
            } else {
                Sharing::Rejected
            },
            ..self.changed(self.status, now)
        })
    }

    /// The revision this state of the article is, saved by `by`.
    pub fn revision_by(&self, by: PersonId) -> Revision {
        Revision {
            article_id: self.id,
            revision: self.revision,
            title: self.title.clone(),
            summary: self.summary.clone(),
            body_html: self.body_html.clone(),
            by,
            at: self.updated_at,
        }
    }
}
