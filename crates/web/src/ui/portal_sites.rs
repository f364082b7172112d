//! Managing the portal's sites (`ManagePortal`: the agency's leaders and
//! administrators) under `/app/portal/sites`: every site, a new component
//! site, and one site's settings, members (editors and reviewers, named
//! by their e-mail) and categories. Every refusal shows the page again
//! with the app's reason and changes nothing.

use app::{App, AppError};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::authz::Permission;
use domain::portal::{Category, Site, SiteId, SiteRole};
use serde::Deserialize;

use super::grassroots::required_day;
use super::portal::NAV;
use super::{Chrome, page};
use crate::AppState;
use crate::session::{UiForm, UiUser};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/portal/sites", get(sites).post(create))
        .route("/app/portal/sites/{id}", get(show).post(update))
        .route("/app/portal/sites/{id}/members", post(members))
        .route("/app/portal/sites/{id}/categories", post(add_category))
}

#[derive(Template)]
#[template(path = "portal_sites.html")]
struct SitesPage {
    chrome: Chrome,
    error: Option<String>,
    /// (id, name, address, agency, main)
    sites: Vec<(SiteId, String, String, String, bool)>,
    /// Agencies where the officer may open a site: (id, name).
    agencies: Vec<(i64, String)>,
    form: SiteForm,
}

#[derive(Template)]
#[template(path = "portal_site.html")]
struct SitePage {
    chrome: Chrome,
    error: Option<String>,
    site: Site,
    form: SiteForm,
    /// (person id, name, e-mail, role)
    members: Vec<(i64, String, String, &'static str)>,
    roles: Vec<(&'static str, &'static str)>,
    /// (name, slug, parent's name, in the menu)
    categories: Vec<(String, String, String, bool)>,
    parents: Vec<(i64, String)>,
}

#[derive(Debug, Default, Deserialize)]
pub struct SiteForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    host: String,
    #[serde(default)]
    agency: String,
    #[serde(default)]
    opened_on: String,
}

impl SiteForm {
    fn of(site: &Site) -> Self {
        Self {
            name: site.name.clone(),
            slug: site.slug.clone(),
            host: site.host.clone().unwrap_or_default(),
            agency: site.agency_id.to_string(),
            opened_on: site.opened_on.to_string(),
        }
    }

    /// The site the form describes (never the main portal: there is one).
    fn site(&self, id: SiteId) -> Result<Site, AppError> {
        let agency_id = self
            .agency
            .parse()
            .map_err(|_| AppError::Invalid("Hãy chọn cơ quan chủ quản".into()))?;
        let host = self.host.trim();
        Ok(Site {
            id,
            slug: self.slug.trim().to_owned(),
            name: self.name.trim().to_owned(),
            agency_id,
            host: (!host.is_empty()).then(|| host.to_lowercase()),
            main: false,
            opened_on: required_day(&self.opened_on, "ngày bắt đầu hoạt động")?,
        })
    }
}

fn address(site: &Site) -> String {
    site.host
        .clone()
        .unwrap_or_else(|| format!("/site/{}", site.slug))
}

/// Refused unless the officer manages some site (the app checks the
/// site's own agency on every use case).
fn require_manager(user: &UiUser) -> Result<(), AppError> {
    if App::manages_portal(&user.ctx()) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Renders `Ok(page)`, or `err`'s page with its status.
fn answer(result: Result<Response, AppError>) -> Response {
    result.unwrap_or_else(|err| super::error_page(&err))
}

async fn sites_page(
    state: &AppState,
    user: &UiUser,
    form: SiteForm,
    error: Option<&AppError>,
) -> Result<Response, AppError> {
    require_manager(user)?;
    let app = &state.app;
    let all = app.all_agencies().await?;
    let name_of = |id| {
        all.iter()
            .find(|a| a.id == id)
            .map(|a| a.name.clone())
            .unwrap_or_default()
    };
    let mine = app
        .agencies_where(&user.signed_in.actor, Permission::ManagePortal)
        .await?;
    let today = app.today();
    let agencies = all
        .iter()
        .filter(|a| mine.contains(&a.id) && a.effective_to.is_none_or(|end| end > today))
        .map(|a| (a.id, a.name.clone()))
        .collect();
    let sites = app
        .sites()
        .await?
        .iter()
        .map(|s| {
            (
                s.id,
                s.name.clone(),
                address(s),
                name_of(s.agency_id),
                s.main,
            )
        })
        .collect();
    Ok(refusal(
        page(&SitesPage {
            chrome: Chrome::new(user, "Quản lý các trang thông tin", NAV),
            error: error.map(ToString::to_string),
            sites,
            agencies,
            form,
        }),
        error,
    ))
}

/// The page with `error`'s status, when there is one.
fn refusal(mut response: Response, error: Option<&AppError>) -> Response {
    if let Some(err) = error {
        *response.status_mut() = crate::error::status_of(err);
    }
    response
}

/// `GET /app/portal/sites`
async fn sites(State(state): State<AppState>, user: UiUser) -> Response {
    let form = SiteForm {
        opened_on: state.app.today().to_string(),
        ..SiteForm::default()
    };
    answer(sites_page(&state, &user, form, None).await)
}

/// `POST /app/portal/sites`: a new component site.
async fn create(State(state): State<AppState>, form: UiForm<SiteForm>) -> Response {
    let UiForm { user, form, .. } = form;
    let result = match form.site(0) {
        Ok(site) => state.app.create_site(&user.ctx(), site).await,
        Err(err) => Err(err),
    };
    match result {
        Ok(site) => Redirect::to(&format!("/app/portal/sites/{}", site.id)).into_response(),
        Err(err) => answer(sites_page(&state, &user, form, Some(&err)).await),
    }
}

async fn site_page(
    state: &AppState,
    user: &UiUser,
    id: SiteId,
    form: Option<SiteForm>,
    error: Option<&AppError>,
) -> Result<Response, AppError> {
    let app = &state.app;
    let site = app.portal_site(id).await?;
    let members = app.site_members(&user.ctx(), id).await?;
    let categories = app.categories(id).await?;
    let parent_name = |c: &Category| {
        c.parent_id
            .and_then(|p| categories.iter().find(|x| x.id == p))
            .map(|p| p.name.clone())
            .unwrap_or_default()
    };
    Ok(refusal(
        page(&SitePage {
            chrome: Chrome::new(user, format!("Quản lý trang — {}", site.name), NAV),
            error: error.map(ToString::to_string),
            form: form.unwrap_or_else(|| SiteForm::of(&site)),
            members: members
                .iter()
                .map(|(p, r)| (p.id, p.full_name.clone(), p.email.clone(), r.label()))
                .collect(),
            roles: SiteRole::ALL
                .iter()
                .map(|r| (r.as_str(), r.label()))
                .collect(),
            categories: categories
                .iter()
                .map(|c| (c.name.clone(), c.slug.clone(), parent_name(c), c.in_menu))
                .collect(),
            parents: categories
                .iter()
                .filter(|c| c.parent_id.is_none())
                .map(|c| (c.id, c.name.clone()))
                .collect(),
            site,
        }),
        error,
    ))
}

/// `GET /app/portal/sites/{id}`
async fn show(State(state): State<AppState>, user: UiUser, Path(id): Path<SiteId>) -> Response {
    answer(site_page(&state, &user, id, None, None).await)
}

/// `POST /app/portal/sites/{id}`: the site's name, address, agency, day.
async fn update(
    State(state): State<AppState>,
    Path(id): Path<SiteId>,
    form: UiForm<SiteForm>,
) -> Response {
    let UiForm { user, form, .. } = form;
    let result = match form.site(id) {
        Ok(site) => state.app.update_site(&user.ctx(), id, site).await,
        Err(err) => Err(err),
    };
    match result {
        Ok(_) => {
            crate::content_changed(&state.public_cache);
            Redirect::to(&format!("/app/portal/sites/{id}")).into_response()
        }
        Err(err) => answer(site_page(&state, &user, id, Some(form), Some(&err)).await),
    }
}

#[derive(Debug, Deserialize)]
pub struct MemberForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    /// Set by a member's «Bỏ» button.
    #[serde(default)]
    remove: Option<i64>,
}

/// `POST /app/portal/sites/{id}/members`: adds (or changes the role of)
/// the officer with that e-mail, or removes one.
async fn members(
    State(state): State<AppState>,
    Path(id): Path<SiteId>,
    form: UiForm<MemberForm>,
) -> Response {
    let UiForm { user, form, .. } = form;
    let ctx = user.ctx();
    let app = &state.app;
    let result = async {
        if let Some(person) = form.remove {
            return app.remove_site_member(&ctx, id, person).await;
        }
        let role: SiteRole = form
            .role
            .parse()
            .map_err(|_| AppError::Invalid("Hãy chọn vai trò".into()))?;
        let person = app.person_by_email(form.email.trim()).await.map_err(|_| {
            AppError::Invalid(format!(
                "Không có cán bộ nào có thư điện tử «{}»",
                form.email.trim()
            ))
        })?;
        app.add_site_member(&ctx, id, person.id, role).await
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&format!("/app/portal/sites/{id}#thanh-vien")).into_response(),
        Err(err) => answer(site_page(&state, &user, id, None, Some(&err)).await),
    }
}

#[derive(Debug, Deserialize)]
pub struct CategoryForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    parent: String,
    #[serde(default)]
    in_menu: Option<String>,
}

/// `POST /app/portal/sites/{id}/categories`: a new category, last in its
/// menu.
async fn add_category(
    State(state): State<AppState>,
    Path(id): Path<SiteId>,
    form: UiForm<CategoryForm>,
) -> Response {
    let UiForm { user, form, .. } = form;
    let app = &state.app;
    let result = async {
        let existing = app.categories(id).await?;
        let position = existing.iter().map(|c| c.position).max().unwrap_or(0) + 1;
        let parent_id = match form.parent.trim() {
            "" => None,
            p => Some(
                p.parse()
                    .map_err(|_| AppError::Invalid("Chuyên mục cha không hợp lệ".into()))?,
            ),
        };
        app.create_category(
            &user.ctx(),
            Category {
                id: 0,
                site_id: id,
                slug: form.slug.trim().to_owned(),
                name: form.name.trim().to_owned(),
                parent_id,
                position,
                in_menu: form.in_menu.is_some(),
            },
        )
        .await
    }
    .await;
    match result {
        Ok(_) => {
            crate::content_changed(&state.public_cache);
            Redirect::to(&format!("/app/portal/sites/{id}#chuyen-muc")).into_response()
        }
        Err(err) => answer(site_page(&state, &user, id, None, Some(&err)).await),
    }
}
