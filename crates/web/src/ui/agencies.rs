//! The agency tree and one agency's page with its staff.

use app::AppError;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::agencies::{Agency, AgencyDraft, AgencyKind};
use domain::authz::Permission;
use serde::Deserialize;
use time::Date;

use super::{Chrome, page, respond};
use crate::AppState;
use crate::session::{UiForm, UiUser};

/// One line of the tree.
struct TreeRow {
    depth: usize,
    id: i64,
    code: String,
    name: String,
    kind: &'static str,
    period: String,
}

#[derive(Template)]
#[template(path = "agencies.html")]
struct TreePage {
    chrome: Chrome,
    as_of: String,
    as_of_text: String,
    rows: Vec<TreeRow>,
}

#[derive(Debug, Deserialize)]
pub struct AsOf {
    as_of: Option<String>,
}

/// The period of activity as people read it: from the first day to the
/// last day inclusive. (Stored, `effective_to` is the first day the agency
/// no longer exists.)
fn period(agency: &Agency) -> String {
    let from = vn::dates::format_short(agency.effective_from);
    match last_day(agency) {
        Some(last) => format!("{from} – {}", vn::dates::format_short(last)),
        None => format!("từ {from}"),
    }
}

fn last_day(agency: &Agency) -> Option<Date> {
    agency.effective_to.and_then(Date::previous_day)
}

pub async fn tree(
    State(state): State<AppState>,
    user: UiUser,
    Query(query): Query<AsOf>,
) -> Response {
    respond(
        async {
            let as_of = match query.as_of.as_deref().filter(|s| !s.is_empty()) {
                Some(text) => Date::parse(
                    text,
                    time::macros::format_description!("[year]-[month]-[day]"),
                )
                .map_err(|_| {
                    AppError::Invalid(format!("Ngày «{text}» không hợp lệ (định dạng YYYY-MM-DD)"))
                })?,
                None => vn::dates::vietnam_date(state.app.now()),
            };
            let rows = state
                .app
                .agency_tree(as_of)
                .await?
                .into_iter()
                .map(|(depth, a)| TreeRow {
                    depth,
                    id: a.id,
                    code: a.code.to_string(),
                    period: period(&a),
                    kind: a.kind.label(),
                    name: a.name,
                })
                .collect();
            Ok(page(&TreePage {
                chrome: Chrome::new(&user, "Cơ quan, đơn vị", "/app/agencies"),
                as_of: as_of.to_string(),
                as_of_text: vn::dates::format_short(as_of),
                rows,
            }))
        }
        .await,
    )
}

struct PersonRow {
    id: i64,
    full_name: String,
    position: String,
    email: String,
    unit: String,
}

#[derive(Template)]
#[template(path = "agency.html")]
struct AgencyPage {
    chrome: Chrome,
    agency: Agency,
    kind: &'static str,
    period: String,
    parent: Option<Agency>,
    successor: Option<Agency>,
    children: Vec<Agency>,
    /// `None` when the viewer may not see this agency's staff.
    people: Option<Vec<PersonRow>>,
    can_manage: bool,
    can_manage_agencies: bool,
    kinds: Vec<(&'static str, &'static str)>,
    successor_code: String,
    /// The last day of activity, for the form (empty while active).
    last_day: String,
    /// The fields (lĩnh vực) its documents are filed under, one per line.
    fields: String,
    /// Whether it has a seal image for its organisation signatures.
    has_seal: bool,
}

pub async fn show(State(state): State<AppState>, user: UiUser, Path(id): Path<i64>) -> Response {
    respond(
        async {
            let agency = state.app.agency(id).await?;
            let all = state.app.all_agencies().await?;
            let find = |id: Option<i64>| id.and_then(|id| all.iter().find(|a| a.id == id).cloned());
            let lineage = state.app.lineage(id).await?;
            let ctx = user.ctx();
            let people = match state.app.people_of(&ctx, id, true).await {
                Ok(people) => Some(
                    people
                        .into_iter()
                        .map(|p| PersonRow {
                            unit: find(Some(p.agency_id)).map(|a| a.name).unwrap_or_default(),
                            id: p.id,
                            full_name: p.full_name,
                            position: p.position,
                            email: p.email,
                        })
                        .collect(),
                ),
                Err(AppError::Forbidden) => None,
                Err(err) => return Err(err),
            };
            let mut children: Vec<Agency> = all
                .iter()
                .filter(|a| a.parent_id == Some(id))
                .cloned()
                .collect();
            children.sort_by(|a, b| a.code.cmp(&b.code));
            Ok(page(&AgencyPage {
                chrome: Chrome::new(&user, agency.name.clone(), "/app/agencies"),
                kind: agency.kind.label(),
                period: period(&agency),
                parent: find(agency.parent_id),
                successor: find(agency.successor_id),
                children,
                people,
                can_manage: ctx.require(Permission::ManagePeople, &lineage).is_ok(),
                can_manage_agencies: ctx.require(Permission::ManageAgencies, &lineage).is_ok(),
                kinds: AgencyKind::ALL
                    .iter()
                    .map(|k| (k.as_str(), k.label()))
                    .collect(),
                successor_code: find(agency.successor_id)
                    .map(|a| a.code.to_string())
                    .unwrap_or_default(),
                last_day: last_day(&agency).map(|d| d.to_string()).unwrap_or_default(),
                fields: state.app.fields_of(id).await?.join("\n"),
                has_seal: state
                    .app
                    .signature_image(domain::pki::Holder::Agency(id))
                    .await?
                    .is_some(),
                agency,
            }))
        }
        .await,
    )
}

/// The date fields of the agency forms: empty means none.
fn optional_date(text: &str, label: &str) -> Result<Option<Date>, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    Date::parse(
        text,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map(Some)
    .map_err(|_| {
        AppError::Invalid(format!(
            "{label} «{text}» không hợp lệ (định dạng YYYY-MM-DD)"
        ))
    })
}

#[derive(Debug, Deserialize)]
pub struct ChildForm {
    code: String,
    name: String,
    short_name: String,
    kind: String,
    effective_from: String,
}

/// Adds a unit under an agency.
pub async fn create_child(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: UiForm<ChildForm>,
) -> Response {
    let UiForm { user, form, .. } = form;
    respond(
        async {
            let draft = AgencyDraft {
                code: form.code.parse().map_err(AppError::invalid)?,
                name: form.name,
                short_name: form.short_name,
                kind: form.kind.parse().map_err(AppError::invalid)?,
                parent_id: Some(id),
                effective_from: optional_date(&form.effective_from, "Ngày hiệu lực")?
                    .unwrap_or_else(|| vn::dates::vietnam_date(state.app.now())),
                effective_to: None,
                successor_id: None,
            };
            let created = state.app.create_agency(&user.ctx(), draft).await?;
            Ok(Redirect::to(&format!("/app/agencies/{}", created.id)).into_response())
        }
        .await,
    )
}

#[derive(Debug, Deserialize)]
pub struct AgencyForm {
    name: String,
    short_name: String,
    /// The last day of activity, empty while the agency is active.
    #[serde(default)]
    last_day: String,
    /// The successor's agency code, empty for none.
    #[serde(default)]
    successor: String,
}

/// Renames an agency, or ends it and names its successor.
#[derive(Debug, Deserialize)]
pub struct FieldsForm {
    #[serde(default)]
    fields: String,
}

/// An administrator sets the agency's fields, one per line.
pub async fn set_fields(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: UiForm<FieldsForm>,
) -> Response {
    respond(
        async {
            let names = form.form.fields.lines().map(str::to_owned).collect();
            state.app.set_fields(&form.user.ctx(), id, names).await?;
            Ok(Redirect::to(&format!("/app/agencies/{id}")).into_response())
        }
        .await,
    )
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: UiForm<AgencyForm>,
) -> Response {
    let UiForm { user, form, .. } = form;
    respond(
        async {
            let current = state.app.agency(id).await?;
            let successor_id = match form.successor.trim() {
                "" => None,
                code => Some(
                    state
                        .app
                        .agency_by_code(&code.parse().map_err(AppError::invalid)?)
                        .await?
                        .id,
                ),
            };
            let draft = AgencyDraft {
                code: current.code,
                name: form.name,
                short_name: form.short_name,
                kind: current.kind,
                parent_id: current.parent_id,
                effective_from: current.effective_from,
                effective_to: optional_date(&form.last_day, "Ngày cuối cùng hoạt động")?
                    .map(|last| last.next_day().unwrap_or(last)),
                successor_id,
            };
            state.app.update_agency(&user.ctx(), id, draft).await?;
            Ok(Redirect::to(&format!("/app/agencies/{id}")).into_response())
        }
        .await,
    )
}
