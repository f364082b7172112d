//! Articles (tin bài) and their editorial workflow.
//!
//! An editor writes a draft and submits it; a reviewer publishes it — now,
//! or at a later moment — or returns it with a reason; a reviewer may
//! unpublish a published article and publish it again. Readers see an
//! article only when it is `Published` and its `publish_at` has come
//! ([`Article::visible`]): a scheduled publication is a published article
//! with a future `publish_at`, so no job has to wake up to publish it.
//!
//! Editing: a draft or an article in review is edited in place. Editing a
//! published article keeps it published when a reviewer does it (the
//! reviewer answers for what readers see), and sends it back to review
//! when an editor does, so that nothing an editor writes reaches readers
//! unreviewed. Editing an unpublished article makes it a draft again.
//! Every save is a new revision, kept whole.
//!
//! Sharing: an editor of a component site proposes one of its published
//! articles to the main portal; a reviewer of the main site approves or
//! rejects it. An approved article appears in the main site's lists but
//! stays on its own site.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{CategoryId, Language, SiteId};
use crate::people::PersonId;
use crate::search::Terms;

mod text;
mod workflow;

pub use text::plain_text;

pub type ArticleId = i64;

/// Articles in one page of a list.
pub const PAGE_SIZE: u64 = 20;
const TITLE_MAX: usize = 300;
const SUMMARY_MAX: usize = 1000;
const BYLINE_MAX: usize = 200;
const TAGS_MAX: usize = 20;
const TAG_MAX: usize = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArticleStatus {
    Draft,
    InReview,
    Published,
    Unpublished,
}

named!(ArticleStatus {
    Draft => "draft", "Bản nháp";
    InReview => "in_review", "Chờ duyệt";
    Published => "published", "Đã đăng";
    Unpublished => "unpublished", "Đã gỡ";
});

/// Whether an article of a component site is shared to the main portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sharing {
    NotShared,
    Proposed,
    Approved,
    Rejected,
}

named!(Sharing {
    NotShared => "not_shared", "Không chia sẻ";
    Proposed => "proposed", "Đề nghị đưa lên Cổng tỉnh";
    Approved => "approved", "Đã đưa lên Cổng tỉnh";
    Rejected => "rejected", "Không đưa lên Cổng tỉnh";
});

/// An article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    pub id: ArticleId,
    pub site_id: SiteId,
    pub language: Language,
    pub title: String,
    pub summary: String,
    /// Sanitised HTML (`portal::html::sanitize`), never the editor's raw text.
    pub body_html: String,
    /// The author as printed under the article ("Thanh Hà – Sở TT&TT").
    pub byline: String,
    /// The staff member who created it.
    pub author_id: PersonId,
    pub category_ids: Vec<CategoryId>,
    pub tags: Vec<String>,
    pub status: ArticleStatus,
    /// When readers see it (with `status == Published`).
    pub publish_at: Option<OffsetDateTime>,
    /// The article (in the other language) this one translates.
    pub translation_of: Option<ArticleId>,
    pub shared: Sharing,
    /// Why a reviewer last returned it; cleared when it is submitted again.
    pub return_reason: Option<String>,
    /// 1 for the first save, one more for each later one.
    pub revision: i32,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// What an editor writes: the editable part of an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleDraft {
    pub language: Language,
    pub title: String,
    pub summary: String,
    pub body_html: String,
    pub byline: String,
    pub category_ids: Vec<CategoryId>,
    pub tags: Vec<String>,
    pub translation_of: Option<ArticleId>,
}

/// One saved state of an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    pub article_id: ArticleId,
    pub revision: i32,
    pub title: String,
    pub summary: String,
    pub body_html: String,
    pub by: PersonId,
    pub at: OffsetDateTime,
}

/// Which articles a list asks for. Public lists always set `visible_at`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleFilter {
    /// Articles of this site; with `with_shared`, also those approved for
    /// sharing from other sites (the main portal's lists).
    pub site_id: Option<SiteId>,
    pub with_shared: bool,
    /// Articles of any of these sites (the review queue).
    pub sites: Option<Vec<SiteId>>,
    pub category_id: Option<CategoryId>,
    pub language: Option<Language>,
    pub status: Option<ArticleStatus>,
    /// Only articles readers see at this moment.
    pub visible_at: Option<OffsetDateTime>,
    pub terms: Terms,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArticleError {
    #[error("tiêu đề phải có từ 1 đến 300 ký tự")]
    BadTitle,
    #[error("tóm tắt không được quá 1.000 ký tự")]
    LongSummary,
    #[error("tên tác giả không được quá 200 ký tự")]
    LongByline,
    #[error("nội dung bài viết trống")]
    EmptyBody,
    #[error("tối đa 20 từ khóa, mỗi từ khóa không quá 60 ký tự")]
    BadTags,
    #[error("chuyên mục không thuộc trang này")]
    CategoryOfOtherSite,
    #[error("bài được dịch phải thuộc cùng trang")]
    TranslationOfOtherSite,
    #[error("bản dịch phải bằng ngôn ngữ khác với bài gốc")]
    TranslationSameLanguage,
    #[error("bài gốc là một bản dịch: hãy dịch từ bài gốc của nó")]
    TranslationOfTranslation,
    #[error("bài này đã có bản dịch nên không thể là bản dịch của bài khác")]
    TranslatedIsTranslation,
    #[error("bài gốc đã có bản dịch {}", .0.label())]
    TranslationExists(Language),
    #[error("không thể {action} bài ở trạng thái «{}»", .status.label())]
    WrongState {
        action: &'static str,
        status: ArticleStatus,
    },
    #[error("cần ghi lý do trả lại (tối đa 1.000 ký tự)")]
    NoReason,
    #[error("thời điểm đăng đã qua")]
    PastMoment,
    #[error("chỉ bài của trang thành phần mới đưa lên Cổng tỉnh")]
    SharingFromMain,
    #[error("không thể {action} khi bài ở tình trạng «{}»", .sharing.label())]
    WrongSharing {
        action: &'static str,
        sharing: Sharing,
    },
    /// The person's role on the site does not allow it (a 403, not a 400).
    #[error("bạn không có vai trò phù hợp trên trang này")]
    NotAllowed,
}

/// The other article in a translation pair, as `check_draft` sees it.
#[derive(Debug, Clone, Copy)]
pub struct TranslationTarget<'a> {
    pub target: &'a Article,
    /// Articles already translating `target` (this one excluded).
    pub others: &'a [Article],
}

/// Trims and checks a draft for site `site_id`: `site_categories` are the
/// site's categories, `translation` the article it translates (when it
/// names one), `is_translated` whether some article translates this one.
/// The body is sanitised here, so nothing unsanitised is ever stored.
pub fn check_draft(
    mut draft: ArticleDraft,
    site_id: SiteId,
    site_categories: &[CategoryId],
    translation: Option<TranslationTarget<'_>>,
    is_translated: bool,
) -> Result<ArticleDraft, ArticleError> {
    draft.title = vn::text::squash_spaces(&draft.title);
    if draft.title.is_empty() || draft.title.chars().count() > TITLE_MAX {
        return Err(ArticleError::BadTitle);
    }
    draft.summary = draft.summary.trim().to_owned();
    if draft.summary.chars().count() > SUMMARY_MAX {
        return Err(ArticleError::LongSummary);
    }
    draft.byline = vn::text::squash_spaces(&draft.byline);
    if draft.byline.chars().count() > BYLINE_MAX {
        return Err(ArticleError::LongByline);
    }
    draft.body_html = super::html::sanitize(&draft.body_html);
    if plain_text(&draft.body_html).is_empty() {
        return Err(ArticleError::EmptyBody);
    }
    draft.tags = checked_tags(&draft.tags)?;
    draft.category_ids.sort_unstable();
    draft.category_ids.dedup();
    if draft
        .category_ids
        .iter()
        .any(|c| !site_categories.contains(c))
    {
        return Err(ArticleError::CategoryOfOtherSite);
    }
    if let Some(TranslationTarget { target, others }) = translation {
        if target.site_id != site_id {
            return Err(ArticleError::TranslationOfOtherSite);
        }
        if target.language == draft.language {
            return Err(ArticleError::TranslationSameLanguage);
        }
        if target.translation_of.is_some() {
            return Err(ArticleError::TranslationOfTranslation);
        }
        if is_translated {
            return Err(ArticleError::TranslatedIsTranslation);
        }
        if others.iter().any(|o| o.language == draft.language) {
            return Err(ArticleError::TranslationExists(draft.language));
        }
    }
    Ok(draft)
}

/// Tags trimmed, without empty ones and without repeats (compared folded:
/// «Bầu cử» and «bầu cử» are one tag, the first spelling kept).
fn checked_tags(tags: &[String]) -> Result<Vec<String>, ArticleError> {
    let mut out: Vec<String> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for tag in tags {
        let tag = vn::text::squash_spaces(tag);
        if tag.is_empty() {
            continue;
        }
        if tag.chars().count() > TAG_MAX {
            return Err(ArticleError::BadTags);
        }
        let folded = vn::text::fold(&tag);
        if !seen.contains(&folded) {
            seen.push(folded);
            out.push(tag);
        }
    }
    if out.len() > TAGS_MAX {
        return Err(ArticleError::BadTags);
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
