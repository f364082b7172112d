//! Inspections on the staff pages (issue 10): the list with its filters
//! (year, status, field) and the follow-ups past their deadline, the
//! year's plan with the form approving it, the form of a new inspection,
//! and the report's figures for a period. An inspection's own page is
//! `super::inspection`.

use std::collections::HashMap;

use app::AppError;
use app::inspections::records::{InspectionFilter, NewInspection};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::agencies::AgencyId;
use domain::authz::Permission;
use domain::inspections::Field;
use domain::inspections::figures::InspectionFigures;
use domain::inspections::plan::{Plan, PlanItem};
use domain::inspections::record::{Kind, Status};
use serde::Deserialize;
use time::Date;

use super::mail::agency_names;
use super::{Chrome, PeriodQuery, page, respond};
use crate::AppState;
use crate::session::{UiForm, UiUser};

/// The navigation entry of every inspection page.
pub const NAV: &str = "/app/inspections";

/// A date of a form (`YYYY-MM-DD`), or a clear refusal naming `label`.
pub fn form_date(text: &str, label: &str) -> Result<Date, AppError> {
    let text = text.trim();
    Date::parse(
        text,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| {
        AppError::Invalid(format!(
            "{label} «{text}» không hợp lệ (định dạng YYYY-MM-DD)"
        ))
    })
}

/// A date as the pages show it.
pub fn shown(date: Date) -> String {
    vn::dates::format_short(date)
}

/// The agencies where the officer manages inspections, for the forms.
async fn managed(state: &AppState, user: &UiUser) -> Result<Vec<(AgencyId, String)>, AppError> {
    let names = agency_names(state).await?;
    let mut out = Vec::new();
    for root in user.signed_in.actor.roots_of(Permission::ManageInspections) {
        for id in state.app.subtree(root).await? {
            if let Some(name) = names.get(&id) {
                out.push((id, name.clone()));
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

struct Line {
    id: i64,
    title: String,
    kind: &'static str,
    agency: String,
    fields: String,
    period: String,
    status: &'static str,
}

struct OverdueLine {
    inspection_id: i64,
    inspection: String,
    subject: String,
    action: String,
    due: String,
}

#[derive(Template)]
#[template(path = "inspections.html")]
struct ListPage {
    chrome: Chrome,
    manager: bool,
    lines: Vec<Line>,
    overdue: Vec<OverdueLine>,
    year: String,
    status: String,
    field: String,
    statuses: Vec<(&'static str, &'static str)>,
    fields: Vec<(&'static str, &'static str)>,
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    year: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    field: String,
}

fn fields_text(fields: &[Field]) -> String {
    fields
        .iter()
        .map(|f| f.label())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `text` parsed (a stored name, a number), or a refusal naming `label`.
pub fn parsed<T: std::str::FromStr>(text: &str, label: &str) -> Result<T, AppError> {
    let text = text.trim();
    text.parse()
        .map_err(|_| AppError::Invalid(format!("{label} «{text}» không hợp lệ")))
}

/// Like [`parsed`], `None` when nothing was chosen.
fn chosen<T: std::str::FromStr>(text: &str, label: &str) -> Result<Option<T>, AppError> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        parsed(text, label).map(Some)
    }
}

pub async fn list(
    State(state): State<AppState>,
    user: UiUser,
    Query(query): Query<ListQuery>,
) -> Response {
    respond(
        async {
            let filter = InspectionFilter {
                agencies: None,
                year: chosen(query.year.trim(), "Năm")?,
                status: chosen(&query.status, "Trạng thái")?,
                field: chosen(&query.field, "Lĩnh vực")?,
            };
            let ctx = user.ctx();
            let found = state.app.inspection_list(&ctx, filter).await?;
            let names = agency_names(&state).await?;
            let lines = found
                .into_iter()
                .map(|i| Line {
                    id: i.id,
                    kind: i.kind.label(),
                    agency: names.get(&i.agency_id).cloned().unwrap_or_default(),
                    fields: fields_text(&i.fields),
                    period: i
                        .period
                        .map(|(f, t)| format!("{} – {}", shown(f), shown(t)))
                        .unwrap_or_default(),
                    status: i.status.label(),
                    title: i.title,
                })
                .collect();
            let overdue = state
                .app
                .overdue_inspection_follow_ups(&ctx)
                .await?
                .into_iter()
                .map(|o| OverdueLine {
                    inspection_id: o.inspection_id,
                    inspection: o.inspection_title,
                    subject: o.subject_name,
                    due: shown(o.follow_up.due_on),
                    action: o.follow_up.action,
                })
                .collect();
            Ok(page(&ListPage {
                chrome: Chrome::new(&user, "Thanh tra, kiểm tra", NAV),
                manager: !managed(&state, &user).await?.is_empty(),
                lines,
                overdue,
                year: query.year,
                status: query.status,
                field: query.field,
                statuses: Status::ALL
                    .iter()
                    .map(|s| (s.as_str(), s.label()))
                    .collect(),
                fields: Field::ALL.iter().map(|f| (f.as_str(), f.label())).collect(),
            }))
        }
        .await,
    )
}

#[derive(Template)]
#[template(path = "inspection_new.html")]
struct NewPage {
    chrome: Chrome,
    agencies: Vec<(AgencyId, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    fields: Vec<(&'static str, &'static str)>,
    /// Items of the plans of the agencies managed: id, text.
    items: Vec<(i64, String)>,
    form: NewForm,
    error: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct NewForm {
    #[serde(default)]
    agency: Option<AgencyId>,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    plan_item: String,
    #[serde(default)]
    title: String,
}

async fn new_page(
    state: &AppState,
    user: &UiUser,
    form: NewForm,
    error: String,
) -> Result<Response, AppError> {
    let agencies = managed(state, user).await?;
    let mut items = Vec::new();
    for (agency, name) in &agencies {
        for plan in state
            .app
            .inspection_plans(&user.ctx(), Some(*agency), None)
            .await?
        {
            for item in plan.items {
                items.push((
                    item.id,
                    format!(
                        "{name} · năm {} · tháng {}: {}",
                        plan.year, item.month, item.title
                    ),
                ));
            }
        }
    }
    Ok(page(&NewPage {
        chrome: Chrome::new(user, "Cuộc thanh tra, kiểm tra mới", NAV),
        agencies,
        kinds: Kind::ALL.iter().map(|k| (k.as_str(), k.label())).collect(),
        fields: Field::ALL.iter().map(|f| (f.as_str(), f.label())).collect(),
        items,
        form,
        error,
    }))
}

pub async fn new_form(State(state): State<AppState>, user: UiUser) -> Response {
    respond(new_page(&state, &user, NewForm::default(), String::new()).await)
}

/// What `form` (with its ticked `fields`) asks for.
fn new_inspection(form: &NewForm, fields: &[&str]) -> Result<NewInspection, AppError> {
    Ok(NewInspection {
        agency_id: form
            .agency
            .ok_or_else(|| AppError::Invalid("Cần chọn cơ quan, đơn vị".into()))?,
        kind: parsed(&form.kind, "Hình thức")?,
        plan_item_id: chosen(&form.plan_item, "Mục kế hoạch")?,
        fields: fields
            .iter()
            .map(|f| parsed(f, "Lĩnh vực"))
            .collect::<Result<_, _>>()?,
        title: form.title.clone(),
    })
}

pub async fn create(State(state): State<AppState>, form: UiForm<NewForm>) -> Response {
    let new = new_inspection(&form.form, &form.all("field"));
    let UiForm { user, form, .. } = form;
    let result = match new {
        Ok(new) => state.app.create_inspection(&user.ctx(), new).await,
        Err(err) => Err(err),
    };
    match result {
        Ok(i) => Redirect::to(&format!("{NAV}/{}", i.id)).into_response(),
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => {
            respond(new_page(&state, &user, form, m).await)
        }
        Err(err) => respond(Err(err)),
    }
}

#[derive(Template)]
#[template(path = "inspection_plan.html")]
struct PlanPage {
    chrome: Chrome,
    year: i32,
    /// Agency, day approved, plan.
    plans: Vec<(String, String, Plan)>,
    agencies: Vec<(AgencyId, String)>,
    error: String,
    form: PlanForm,
}

#[derive(Debug, Default, Deserialize)]
pub struct PlanQuery {
    #[serde(default)]
    year: Option<i32>,
}

#[derive(Debug, Default, Deserialize)]
pub struct PlanForm {
    #[serde(default)]
    agency: Option<AgencyId>,
    #[serde(default)]
    year: Option<i32>,
    #[serde(default)]
    reference: String,
    #[serde(default)]
    approved_on: String,
    /// One item a line: month; field; title.
    #[serde(default)]
    items: String,
}

async fn plan_page(
    state: &AppState,
    user: &UiUser,
    year: i32,
    (form, error): (PlanForm, String),
) -> Result<Response, AppError> {
    let names = agency_names(state).await?;
    let plans = state
        .app
        .inspection_plans(&user.ctx(), None, Some(year))
        .await?
        .into_iter()
        .map(|p| {
            (
                names.get(&p.agency_id).cloned().unwrap_or_default(),
                shown(p.approved_on),
                p,
            )
        })
        .collect();
    Ok(page(&PlanPage {
        chrome: Chrome::new(
            user,
            format!("Kế hoạch thanh tra, kiểm tra năm {year}"),
            NAV,
        ),
        year,
        plans,
        agencies: managed(state, user).await?,
        error,
        form,
    }))
}

pub async fn plan(
    State(state): State<AppState>,
    user: UiUser,
    Query(query): Query<PlanQuery>,
) -> Response {
    let year = query.year.unwrap_or(state.app.today().year());
    respond(plan_page(&state, &user, year, (PlanForm::default(), String::new())).await)
}

/// The items typed one a line as «tháng; lĩnh vực; tên cuộc».
fn plan_items(text: &str) -> Result<Vec<PlanItem>, AppError> {
    let by_label: HashMap<String, Field> = Field::ALL
        .iter()
        .flat_map(|f| [(vn::text::fold(f.label()), *f), (f.as_str().to_owned(), *f)])
        .collect();
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(n, line)| {
            let bad = || {
                AppError::Invalid(format!(
                    "Dòng {}: cần ghi «tháng; lĩnh vực; tên cuộc» (ví dụ «4; Internet; Kiểm tra đại lý internet»)",
                    n + 1
                ))
            };
            let mut parts = line.splitn(3, ';').map(str::trim);
            let month = parts.next().and_then(|m| m.parse().ok()).ok_or_else(bad)?;
            let field = parts
                .next()
                .and_then(|f| by_label.get(&vn::text::fold(f)).copied())
                .ok_or_else(bad)?;
            let title = parts.next().ok_or_else(bad)?.to_owned();
            Ok(PlanItem {
                id: 0,
                field,
                title,
                month,
            })
        })
        .collect()
}

/// The plan `form` describes, for `year`.
fn plan_of(form: &PlanForm, year: i32) -> Result<Plan, AppError> {
    Ok(Plan {
        id: 0,
        agency_id: form
            .agency
            .ok_or_else(|| AppError::Invalid("Cần chọn cơ quan, đơn vị".into()))?,
        year,
        reference: form.reference.clone(),
        approved_on: form_date(&form.approved_on, "Ngày phê duyệt")?,
        items: plan_items(&form.items)?,
    })
}

pub async fn approve_plan(State(state): State<AppState>, form: UiForm<PlanForm>) -> Response {
    let UiForm { user, form, .. } = form;
    let year = form.year.unwrap_or(state.app.today().year());
    let result = match plan_of(&form, year) {
        Ok(plan) => state.app.approve_inspection_plan(&user.ctx(), plan).await,
        Err(err) => Err(err),
    };
    match result {
        Ok(_) => Redirect::to(&format!("{NAV}/plan?year={year}")).into_response(),
        Err(AppError::Invalid(m) | AppError::Conflict(m)) => {
            respond(plan_page(&state, &user, year, (form, m)).await)
        }
        Err(err) => respond(Err(err)),
    }
}

#[derive(Template)]
#[template(path = "inspection_figures.html")]
struct FiguresPage {
    chrome: Chrome,
    from: Date,
    to: Date,
    f: InspectionFigures,
    by_kind: Vec<(&'static str, u64)>,
    by_field: Vec<(&'static str, u64)>,
    sanctions: Vec<(&'static str, u64)>,
    fines: String,
}

pub async fn figures(
    State(state): State<AppState>,
    user: UiUser,
    Query(query): Query<PeriodQuery>,
) -> Response {
    respond(
        async {
            let (from, to) = query.period(state.app.today());
            let f = state
                .app
                .inspection_figures_for(&user.ctx(), (from, to))
                .await?;
            Ok(page(&FiguresPage {
                chrome: Chrome::new(&user, "Số liệu thanh tra, kiểm tra", NAV),
                from,
                to,
                by_kind: f.by_kind.iter().map(|(k, n)| (k.label(), *n)).collect(),
                by_field: f.by_field.iter().map(|(k, n)| (k.label(), *n)).collect(),
                sanctions: f.sanctions.iter().map(|(k, n)| (k.label(), *n)).collect(),
                fines: vn::numbers::format_count(u64::try_from(f.fines_vnd).unwrap_or_default()),
                f,
            }))
        }
        .await,
    )
}
