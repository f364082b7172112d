//! The portal editor's fields (`portal_article`): the form as posted and
//! the draft it makes, what the fields show, the `<img>` of an uploaded
//! picture, and which workflow buttons a page offers.

use app::AppError;
use domain::portal::articles::{Article, ArticleDraft, ArticleStatus, Sharing};
use domain::portal::images::PortalImage;
use domain::portal::{Language, SiteAction, SiteRole, may};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct ArticleForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    byline: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    tags: String,
    #[serde(default)]
    translation_of: String,
    #[serde(default)]
    body_html: String,
}

pub(super) fn invalid(message: &str) -> AppError {
    AppError::Invalid(message.to_owned())
}

/// The draft a form describes; `categories` are the checked boxes.
pub(super) fn draft_of(form: &ArticleForm, categories: &[&str]) -> Result<ArticleDraft, AppError> {
    Ok(ArticleDraft {
        language: form
            .language
            .parse::<Language>()
            .map_err(|_| invalid("Ngôn ngữ không hợp lệ"))?,
        title: form.title.clone(),
        summary: form.summary.clone(),
        body_html: form.body_html.clone(),
        byline: form.byline.clone(),
        category_ids: categories
            .iter()
            .map(|c| c.parse().map_err(|_| invalid("Chuyên mục không hợp lệ")))
            .collect::<Result<_, _>>()?,
        tags: form
            .tags
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect(),
        translation_of: match form.translation_of.trim() {
            "" => None,
            t => Some(t.parse().map_err(|_| invalid("Bài gốc không hợp lệ"))?),
        },
    })
}

/// What the editor shows in its fields: the saved article's or the draft
/// just refused.
pub(super) struct Fields {
    pub draft: ArticleDraft,
    pub tags: String,
}

impl Fields {
    pub(super) fn of(draft: ArticleDraft) -> Self {
        Self {
            tags: draft.tags.join(", "),
            draft,
        }
    }

    pub(super) fn blank() -> Self {
        Self::of(ArticleDraft {
            language: Language::Vi,
            title: String::new(),
            summary: String::new(),
            body_html: String::new(),
            byline: String::new(),
            category_ids: Vec::new(),
            tags: Vec::new(),
            translation_of: None,
        })
    }

    pub(super) fn of_article(a: &Article) -> Self {
        Self::of(ArticleDraft {
            language: a.language,
            title: a.title.clone(),
            summary: a.summary.clone(),
            body_html: a.body_html.clone(),
            byline: a.byline.clone(),
            category_ids: a.category_ids.clone(),
            tags: a.tags.clone(),
            translation_of: a.translation_of,
        })
    }
}

/// The workflow's buttons the page offers.
#[derive(Default)]
#[allow(clippy::struct_excessive_bools)] // one flag per button
pub(super) struct Buttons {
    pub save: bool,
    pub submit: bool,
    pub publish: bool,
    pub return_: bool,
    pub unpublish: bool,
    pub propose: bool,
    pub decide: bool,
}

impl Buttons {
    pub(super) fn of(
        a: &Article,
        role: Option<SiteRole>,
        main_role: Option<SiteRole>,
        main: bool,
    ) -> Self {
        Self {
            save: may(role, SiteAction::Write),
            submit: a.status == ArticleStatus::Draft && may(role, SiteAction::Submit),
            publish: matches!(
                a.status,
                ArticleStatus::InReview | ArticleStatus::Unpublished
            ) && may(role, SiteAction::Publish),
            return_: a.status == ArticleStatus::InReview && may(role, SiteAction::Return),
            unpublish: a.status == ArticleStatus::Published && may(role, SiteAction::Unpublish),
            propose: !main
                && a.status == ArticleStatus::Published
                && matches!(a.shared, Sharing::NotShared | Sharing::Rejected)
                && may(role, SiteAction::ProposeSharing),
            decide: a.shared == Sharing::Proposed && may(main_role, SiteAction::DecideSharing),
        }
    }
}

/// The `<img>` an article shows `image` with, its size given so the page
/// does not jump while it loads.
pub(super) fn img_tag(image: &PortalImage) -> String {
    let Some(v) = image.body_variant() else {
        return String::new();
    };
    let alt = image
        .alt
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "<img src=\"{}\" alt=\"{alt}\" width=\"{}\" height=\"{}\">",
        image.src(v.width),
        v.width,
        v.height
    )
}
