//! The portal's article editor (issue 11): a new article on a site, an
//! article's page with its fields, body, pictures and revisions, and the
//! workflow's buttons by state and role. Every change goes through the
//! app's use case; a refusal shows the page again with its Vietnamese
//! reason and changes nothing. What readers see changes at once: the
//! public cache is emptied after each publication or sharing decision.

use app::AppError;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::portal::articles::{Article, ArticleStatus};
use domain::portal::{Language, SiteAction, may};
use serde::Deserialize;
use time::{OffsetDateTime, PrimitiveDateTime};

use super::portal::NAV;
use super::portal_fields::{ArticleForm, Buttons, Fields, draft_of, img_tag, invalid};
use super::{Chrome, error_page, page, respond};
use crate::AppState;
use crate::session::{UiForm, UiUser};
use crate::upload::UiUpload;

/// The editor's fields as posted (categories repeat: `UiForm::all`).
#[derive(Template)]
#[template(path = "portal_editor.html")]
struct EditorPage {
    chrome: Chrome,
    site_id: i64,
    site_name: String,
    /// The saved article, `None` for a new one.
    article: Option<Article>,
    f: Fields,
    /// (value, label, chosen).
    languages: Vec<(&'static str, &'static str, bool)>,
    /// (id, name, checked).
    categories: Vec<(i64, String, bool)>,
    /// The site's articles in the other language: (id, title, chosen).
    translations: Vec<(i64, String, bool)>,
    b: Buttons,
    /// When a published article goes (or went) online, Vietnam time.
    published_at: Option<String>,
    /// The `<img>` of a picture just uploaded, to put in the body.
    image_tag: Option<String>,
    /// The `datetime-local` value of now, the earliest moment to schedule.
    publish_at: String,
    /// (revision, who, when).
    revisions: Vec<(i32, String, String)>,
    error: Option<String>,
}

impl EditorPage {
    fn lang(&self) -> &'static str {
        self.f.draft.language.as_str()
    }

    /// The body as the rich editor shows it: sanitised again, since a
    /// refused draft is shown as posted.
    fn body_view(&self) -> String {
        domain::portal::html::sanitize(&self.f.draft.body_html)
    }

    /// Where an upload comes back to.
    fn back(&self) -> String {
        self.action()
    }

    fn action(&self) -> String {
        match &self.article {
            Some(a) => format!("/app/portal/articles/{}", a.id),
            None => format!("/app/portal/sites/{}/articles/new", self.site_id),
        }
    }
}

/// The editor of `article` (or a new one on `site`), showing `fields`.
async fn editor(
    state: &AppState,
    user: &UiUser,
    site: i64,
    article: Option<Article>,
    fields: Option<Fields>,
    image: Option<i64>,
    error: Option<String>,
) -> Result<Response, AppError> {
    let ctx = user.ctx();
    let app = &state.app;
    let site = app.portal_site(site).await?;
    let mine = app.my_sites(&ctx).await?;
    let role_on = |id: i64| mine.iter().find(|(s, _)| s.id == id).map(|(_, r)| *r);
    let role = role_on(site.id);
    if !may(role, SiteAction::SeeUnpublished) {
        return Err(AppError::Forbidden);
    }
    let main_role = mine.iter().find(|(s, _)| s.main).map(|(_, r)| *r);
    let f = fields.unwrap_or_else(|| {
        article
            .as_ref()
            .map_or_else(Fields::blank, Fields::of_article)
    });
    let others = app.site_articles(&ctx, site.id, None).await?;
    let (b, revisions) = match &article {
        Some(a) => (
            Buttons::of(a, role, main_role, site.main),
            app.article_history(&ctx, a.id)
                .await?
                .into_iter()
                .map(|(r, who)| (r.revision, who, vn::dates::format_moment(r.at)))
                .collect(),
        ),
        None => (
            Buttons {
                save: may(role, SiteAction::Write),
                ..Buttons::default()
            },
            Vec::new(),
        ),
    };
    let own = article.as_ref().map(|a| a.id);
    let image_tag = match image {
        Some(id) => Some(img_tag(&app.portal_image(id).await?)),
        None => None,
    };
    Ok(page(&EditorPage {
        chrome: Chrome::new(
            user,
            article
                .as_ref()
                .map_or_else(|| "Viết bài mới".to_owned(), |a| a.title.clone()),
            NAV,
        ),
        site_id: site.id,
        site_name: site.name,
        languages: Language::ALL
            .iter()
            .map(|l| (l.as_str(), l.label(), *l == f.draft.language))
            .collect(),
        categories: app
            .categories(site.id)
            .await?
            .into_iter()
            .map(|c| (c.id, c.name, f.draft.category_ids.contains(&c.id)))
            .collect(),
        translations: others
            .into_iter()
            .filter(|o| o.language != f.draft.language && Some(o.id) != own)
            .map(|o| (o.id, o.title, Some(o.id) == f.draft.translation_of))
            .collect(),
        publish_at: vn::dates::to_vietnam(app.now())
            .format(time::macros::format_description!(
                "[year]-[month]-[day]T[hour]:[minute]"
            ))
            .unwrap_or_default(),
        published_at: article
            .as_ref()
            .filter(|a| a.status == ArticleStatus::Published)
            .and_then(|a| a.publish_at)
            .map(vn::dates::format_moment),
        image_tag,
        article,
        f,
        b,
        revisions,
        error,
    }))
}

#[derive(Debug, Default, Deserialize)]
pub struct EditorQuery {
    /// A picture just uploaded.
    #[serde(default)]
    image: Option<i64>,
}

/// Whether a refusal is shown on the page itself (the rest are error pages).
fn shown_on_page(err: &AppError) -> bool {
    matches!(
        err,
        AppError::Invalid(_) | AppError::Conflict(_) | AppError::Forbidden | AppError::NotFound(_)
    )
}

/// `GET /app/portal/sites/{id}/articles/new`
pub async fn new_form(
    State(state): State<AppState>,
    user: UiUser,
    Path(site): Path<i64>,
    Query(q): Query<EditorQuery>,
) -> Response {
    respond(editor(&state, &user, site, None, None, q.image, None).await)
}

/// `GET /app/portal/articles/{id}`
pub async fn show(
    State(state): State<AppState>,
    user: UiUser,
    Path(id): Path<i64>,
    Query(q): Query<EditorQuery>,
) -> Response {
    respond(
        async {
            let a = state.app.article(&user.ctx(), id).await?;
            editor(&state, &user, a.site_id, Some(a), None, q.image, None).await
        }
        .await,
    )
}

/// The editor again with `err` and the refused fields, or the error page.
async fn refused(
    state: &AppState,
    user: &UiUser,
    site: i64,
    article: Option<Article>,
    fields: Option<Fields>,
    err: &AppError,
) -> Response {
    if !shown_on_page(err) {
        return error_page(err);
    }
    let mut response = respond(
        editor(
            state,
            user,
            site,
            article,
            fields,
            None,
            Some(err.to_string()),
        )
        .await,
    );
    *response.status_mut() = crate::error::status_of(err);
    response
}

/// `POST /app/portal/sites/{id}/articles/new`
pub async fn create(
    State(state): State<AppState>,
    Path(site): Path<i64>,
    form: UiForm<ArticleForm>,
) -> Response {
    let draft = draft_of(&form.form, &form.all("category"));
    let result = match &draft {
        Ok(d) => {
            state
                .app
                .create_article(&form.user.ctx(), site, d.clone())
                .await
        }
        Err(e) => Err(AppError::Invalid(e.to_string())),
    };
    match result {
        Ok(a) => Redirect::to(&format!("/app/portal/articles/{}", a.id)).into_response(),
        Err(err) => {
            let fields = draft.ok().map(Fields::of);
            refused(&state, &form.user, site, None, fields, &err).await
        }
    }
}

/// `POST /app/portal/articles/{id}`: saves the next revision.
pub async fn save(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: UiForm<ArticleForm>,
) -> Response {
    let ctx = form.user.ctx();
    let before = match state.app.article(&ctx, id).await {
        Ok(a) => a,
        Err(err) => return error_page(&err),
    };
    let draft = draft_of(&form.form, &form.all("category"));
    let result = match &draft {
        Ok(d) => state.app.update_article(&ctx, id, d.clone()).await,
        Err(e) => Err(AppError::Invalid(e.to_string())),
    };
    match result {
        Ok(_) => {
            // A published article's new revision is what readers get next.
            crate::content_changed(&state.public_cache);
            Redirect::to(&format!("/app/portal/articles/{id}")).into_response()
        }
        Err(err) => {
            let fields = draft.ok().map(Fields::of);
            refused(
                &state,
                &form.user,
                before.site_id,
                Some(before),
                fields,
                &err,
            )
            .await
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct ActionForm {
    action: String,
    #[serde(default)]
    at: String,
    #[serde(default)]
    reason: String,
}

/// A `datetime-local` value, read as Vietnam time.
fn moment_of(text: &str) -> Result<OffsetDateTime, AppError> {
    PrimitiveDateTime::parse(
        text.trim(),
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]"),
    )
    .map(|local| local.assume_offset(vn::dates::VIETNAM_OFFSET))
    .map_err(|_| invalid("Thời điểm đăng không hợp lệ"))
}

/// `POST /app/portal/articles/{id}/actions`: one workflow step.
pub async fn act(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: UiForm<ActionForm>,
) -> Response {
    let UiForm { user, form, .. } = form;
    let ctx = user.ctx();
    let app = &state.app;
    let result = match form.action.as_str() {
        "submit" => app.submit_article(&ctx, id).await,
        "publish" => app.publish_article(&ctx, id, None).await,
        "publish_at" => match moment_of(&form.at) {
            Ok(at) => app.publish_article(&ctx, id, Some(at)).await,
            Err(e) => Err(e),
        },
        "return" => app.return_article(&ctx, id, &form.reason).await,
        "unpublish" => app.unpublish_article(&ctx, id).await,
        "propose" => app.propose_sharing(&ctx, id).await,
        "approve" => app.decide_sharing(&ctx, id, true).await,
        "reject" => app.decide_sharing(&ctx, id, false).await,
        _ => Err(invalid("Thao tác không hợp lệ")),
    };
    match result {
        Ok(_) => {
            // Publication and sharing change what readers see; a step
            // that does not (submit, return, propose) costs a refill only.
            crate::content_changed(&state.public_cache);
            Redirect::to(&format!("/app/portal/articles/{id}")).into_response()
        }
        Err(err) => match app.article(&ctx, id).await {
            Ok(a) => refused(&state, &user, a.site_id, Some(a), None, &err).await,
            Err(_) => error_page(&err),
        },
    }
}

/// `POST /app/portal/sites/{id}/images`: a picture for the site's
/// articles, with its alternative text.
pub async fn upload_image(
    State(state): State<AppState>,
    Path(site): Path<i64>,
    upload: UiUpload,
) -> Response {
    let back = upload.field("back").to_owned();
    let result = state
        .app
        .upload_portal_image(
            &upload.user.ctx(),
            site,
            upload.bytes.clone(),
            upload.field("alt"),
        )
        .await;
    // Back to the editor it came from, a path under /app/portal only.
    let back = if back.starts_with("/app/portal/") && !back.contains("//") {
        back
    } else {
        format!("/app/portal/sites/{site}/articles/new")
    };
    match result {
        Ok(image) => Redirect::to(&format!("{back}?image={}", image.id)).into_response(),
        Err(err) => error_page(&err),
    }
}
