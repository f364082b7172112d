//! A person's page, creating people, unlocking, and roles.

use app::AppError;
use app::people::NewPerson;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::agencies::Agency;
use domain::authz::Permission;
use domain::people::{PersonDraft, Role, RoleGrant};
use serde::Deserialize;

use super::{Chrome, error_page, page, respond};
use crate::AppState;
use crate::session::{UiForm, UiUser};

struct RoleOption {
    value: &'static str,
    label: &'static str,
    checked: bool,
}

fn role_options(checked: &[Role]) -> Vec<RoleOption> {
    Role::ALL
        .iter()
        .map(|r| RoleOption {
            value: r.as_str(),
            label: r.label(),
            checked: checked.contains(r),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "person_new.html")]
struct NewPersonPage {
    chrome: Chrome,
    agency: Agency,
    roles: Vec<RoleOption>,
    full_name: String,
    position: String,
    email: String,
    phone: String,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct AgencyQuery {
    agency_id: i64,
}

pub async fn new_form(
    State(state): State<AppState>,
    user: UiUser,
    Query(query): Query<AgencyQuery>,
) -> Response {
    respond(
        async {
            let agency = state.app.agency(query.agency_id).await?;
            user.ctx().require(
                Permission::ManagePeople,
                &state.app.lineage(agency.id).await?,
            )?;
            Ok(page(&NewPersonPage {
                chrome: Chrome::new(&user, "Thêm cán bộ", "/app/agencies"),
                agency,
                roles: role_options(&[Role::Specialist]),
                full_name: String::new(),
                position: String::new(),
                email: String::new(),
                phone: String::new(),
                error: None,
            }))
        }
        .await,
    )
}

#[derive(Debug, Deserialize)]
pub struct PersonForm {
    agency_id: i64,
    full_name: String,
    position: String,
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    password: String,
}

pub async fn create(State(state): State<AppState>, form: UiForm<PersonForm>) -> Response {
    // The role checkboxes arrive as repeated `role` fields.
    let roles: Vec<Role> = form
        .all("role")
        .iter()
        .filter_map(|r| r.parse().ok())
        .collect();
    let UiForm { user, form, .. } = form;
    let new = NewPerson {
        draft: PersonDraft {
            full_name: form.full_name.clone(),
            position: form.position.clone(),
            agency_id: form.agency_id,
            email: form.email.clone(),
            phone: Some(form.phone.clone()),
        },
        roles: roles.clone(),
        password: Some(form.password.clone()).filter(|p| !p.is_empty()),
    };
    match state.app.create_person(&user.ctx(), new).await {
        Ok(person) => Redirect::to(&format!("/app/people/{}", person.id)).into_response(),
        Err(err @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let status = crate::error::status_of(&err);
            let agency = match state.app.agency(form.agency_id).await {
                Ok(agency) => agency,
                Err(err) => return error_page(&err),
            };
            let mut response = page(&NewPersonPage {
                chrome: Chrome::new(&user, "Thêm cán bộ", "/app/agencies"),
                agency,
                roles: role_options(&roles),
                full_name: form.full_name,
                position: form.position,
                email: form.email,
                phone: form.phone,
                error: Some(err.to_string()),
            });
            *response.status_mut() = status;
            response
        }
        Err(err) => error_page(&err),
    }
}

struct GrantRow {
    role: &'static str,
    role_value: &'static str,
    agency_id: i64,
    agency: String,
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    chrome: Chrome,
    person: domain::people::Person,
    agency: Agency,
    grants: Vec<GrantRow>,
    locked: bool,
    failed: u32,
    can_manage: bool,
    roles: Vec<RoleOption>,
}

pub async fn show(State(state): State<AppState>, user: UiUser, Path(id): Path<i64>) -> Response {
    respond(
        async {
            let ctx = user.ctx();
            let person = state.app.person(&ctx, id).await?;
            let agency = state.app.agency(person.agency_id).await?;
            let all = state.app.all_agencies().await?;
            let can_manage = ctx
                .require(
                    Permission::ManagePeople,
                    &state.app.lineage(person.agency_id).await?,
                )
                .is_ok();
            let login = state.app.login_state(&ctx, id).await?;
            let grants = person
                .grants
                .iter()
                .map(|g| GrantRow {
                    role: g.role.label(),
                    role_value: g.role.as_str(),
                    agency_id: g.agency_id,
                    agency: all
                        .iter()
                        .find(|a| a.id == g.agency_id)
                        .map(|a| a.name.clone())
                        .unwrap_or_default(),
                })
                .collect();
            Ok(page(&PersonPage {
                chrome: Chrome::new(&user, person.full_name.clone(), "/app/agencies"),
                locked: login.is_locked(state.app.now()),
                failed: login.failed_in_a_row,
                grants,
                can_manage,
                roles: role_options(&[Role::Specialist]),
                agency,
                person,
            }))
        }
        .await,
    )
}

#[derive(Debug, Deserialize)]
pub struct Empty {}

pub async fn unlock(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: UiForm<Empty>,
) -> Response {
    match state.app.unlock(&form.user.ctx(), id).await {
        Ok(()) => Redirect::to(&format!("/app/people/{id}")).into_response(),
        Err(err) => error_page(&err),
    }
}

#[derive(Debug, Deserialize)]
pub struct RoleForm {
    role: String,
    agency_id: i64,
    /// `grant` or `revoke`.
    action: String,
}

pub async fn change_role(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: UiForm<RoleForm>,
) -> Response {
    let UiForm { user, form, .. } = form;
    let Ok(role) = form.role.parse::<Role>() else {
        return error_page(&AppError::Invalid(format!(
            "Vai trò «{}» không hợp lệ",
            form.role
        )));
    };
    let grant = RoleGrant {
        agency_id: form.agency_id,
        role,
    };
    match state
        .app
        .change_role(&user.ctx(), id, grant, form.action == "grant")
        .await
    {
        Ok(()) => Redirect::to(&format!("/app/people/{id}")).into_response(),
        Err(err) => error_page(&err),
    }
}

#[derive(Debug, Deserialize)]
pub struct EditForm {
    full_name: String,
    position: String,
    email: String,
    #[serde(default)]
    phone: String,
}

/// Changes a person's details (an administrator of their agency).
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: UiForm<EditForm>,
) -> Response {
    let UiForm { user, form, .. } = form;
    respond(
        async {
            let current = state.app.person(&user.ctx(), id).await?;
            let draft = PersonDraft {
                full_name: form.full_name,
                position: form.position,
                agency_id: current.agency_id,
                email: form.email,
                phone: Some(form.phone),
            };
            state.app.update_person(&user.ctx(), id, draft).await?;
            Ok(Redirect::to(&format!("/app/people/{id}")).into_response())
        }
        .await,
    )
}

#[derive(Debug, Deserialize)]
pub struct StatusForm {
    status: String,
}

/// Marks a person as having left (their sessions end) or back at work.
pub async fn set_status(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: UiForm<StatusForm>,
) -> Response {
    let UiForm { user, form, .. } = form;
    respond(
        async {
            let status = form.status.parse().map_err(AppError::invalid)?;
            state.app.set_person_status(&user.ctx(), id, status).await?;
            Ok(Redirect::to(&format!("/app/people/{id}")).into_response())
        }
        .await,
    )
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    password: String,
}

/// Sets a new password for a person (an administrator of their agency).
pub async fn reset_password(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: UiForm<PasswordForm>,
) -> Response {
    let UiForm { user, form, .. } = form;
    respond(
        async {
            state
                .app
                .set_password(&user.ctx(), id, &form.password)
                .await?;
            Ok(Redirect::to(&format!("/app/people/{id}")).into_response())
        }
        .await,
    )
}
