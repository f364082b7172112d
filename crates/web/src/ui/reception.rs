//! Citizen reception on the staff pages (issue 10): the reception
//! calendar of an agency and its units for a period — the periodic days
//! with the leaders' schedule, held and cancel forms — the visits with
//! the form that records one, and the figures of the period. The people
//! received are shown or «(đã ẩn)» as `app::reception` decided.

use app::AppError;
use app::reception::days::{NewDay, NewVisit};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::agencies::AgencyId;
use domain::authz::Permission;
use domain::reception::days::DayOutcome;
use domain::reception::figures::ReceptionFigures;
use domain::reception::parties::Party;
use domain::reception::visits::{VisitDraft, VisitOutcome};
use serde::Deserialize;
use time::{Date, Time};

use super::mail::person_name;
use super::{Chrome, page, respond};
use crate::AppState;
use crate::session::{UiForm, UiUser};

pub const NAV: &str = "/app/reception";

/// The agency and period a page shows: this month of one's own agency
/// by default.
#[derive(Debug, Deserialize)]
pub struct PeriodQuery {
    #[serde(default)]
    agency: Option<i64>,
    #[serde(default)]
    from: Option<Date>,
    #[serde(default)]
    to: Option<Date>,
}

impl PeriodQuery {
    fn resolve(&self, state: &AppState, user: &UiUser) -> (AgencyId, Date, Date) {
        let today = state.app.today();
        let to = self.to.unwrap_or(today);
        let from = self.from.unwrap_or(to.replace_day(1).unwrap_or(to));
        (
            self.agency.unwrap_or(user.signed_in.person.agency_id),
            from,
            to,
        )
    }
}

/// The agencies one may list, with their names: those at and below the
/// roots of one's roles.
pub async fn places(state: &AppState, user: &UiUser) -> Result<Vec<(i64, String)>, AppError> {
    let all = state.app.all_agencies().await?;
    let mut out: Vec<(i64, String)> = Vec::new();
    for root in user.signed_in.actor.roots_of(Permission::ViewRegisters) {
        for id in state.app.subtree(root).await? {
            if let Some(a) = all.iter().find(|a| a.id == id)
                && !out.iter().any(|(seen, _)| *seen == id)
            {
                out.push((id, a.name.clone()));
            }
        }
    }
    Ok(out)
}

/// People as a line: name, id number, address, phone.
pub fn people_line(parties: &[Party]) -> String {
    parties
        .iter()
        .map(|p| {
            let mut parts = vec![p.name.clone()];
            parts.extend(p.id_number.iter().map(|n| format!("CMND/CCCD {n}")));
            parts.push(p.address.clone());
            parts.extend(p.phone.iter().map(|n| format!("ĐT {n}")));
            parts.join(", ")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

struct DayLine {
    id: i64,
    on: String,
    leader: String,
    place: String,
    status: &'static str,
    open: bool,
    note: String,
}

struct VisitLine {
    id: i64,
    at: String,
    kind: &'static str,
    officer: String,
    people: usize,
    visitors: String,
    case_id: i64,
    content: String,
    outcome: &'static str,
}

#[derive(Template)]
#[template(path = "reception.html")]
struct CalendarPage {
    chrome: Chrome,
    agencies: Vec<(i64, String)>,
    agency: i64,
    from: Date,
    to: Date,
    days: Vec<DayLine>,
    visits: Vec<VisitLine>,
    schedules: bool,
    receives: bool,
    outcomes: Vec<(&'static str, &'static str)>,
    error: Option<String>,
}

pub async fn calendar(
    State(state): State<AppState>,
    user: UiUser,
    Query(query): Query<PeriodQuery>,
) -> Response {
    respond(calendar_page(&state, &user, &query, None).await)
}

async fn calendar_page(
    state: &AppState,
    user: &UiUser,
    query: &PeriodQuery,
    error: Option<String>,
) -> Result<Response, AppError> {
    let app = &state.app;
    let ctx = user.ctx();
    let (agency, from, to) = query.resolve(state, user);
    let lineage = app.lineage(agency).await?;
    let mut days = Vec::new();
    for d in app.reception_days(&ctx, agency, (from, to)).await? {
        days.push(DayLine {
            id: d.id,
            on: vn::dates::format_short(d.on),
            leader: person_name(state, Some(d.leader_id)).await?,
            place: d.place,
            status: d.status.label(),
            open: d.status == domain::reception::days::DayStatus::Scheduled,
            note: d.note,
        });
    }
    let mut visits = Vec::new();
    for v in app.visits(&ctx, agency, (from, to)).await? {
        visits.push(VisitLine {
            id: v.id,
            at: vn::dates::format_moment(v.at),
            kind: v.kind.label(),
            officer: person_name(state, Some(v.officer_id)).await?,
            people: v.visitors.len(),
            visitors: people_line(&v.visitors),
            case_id: v.case_id,
            content: v.content,
            outcome: v.outcome.label(),
        });
    }
    let actor = &user.signed_in.actor;
    Ok(page(&CalendarPage {
        chrome: Chrome::new(user, "Tiếp công dân", NAV),
        agencies: places(state, user).await?,
        agency,
        from,
        to,
        days,
        visits,
        schedules: actor.may(Permission::AssignPetitions, &lineage),
        receives: actor.may(Permission::ReceiveCitizens, &lineage)
            || actor.may(Permission::AssignPetitions, &lineage),
        outcomes: VisitOutcome::ALL
            .iter()
            .map(|o| (o.as_str(), o.label()))
            .collect(),
        error,
    }))
}

#[derive(Debug, Deserialize)]
pub struct DayForm {
    agency: i64,
    on: Date,
    place: String,
}

/// A leader schedules a day, received by themself.
pub async fn schedule(State(state): State<AppState>, form: UiForm<DayForm>) -> Response {
    let f = &form.form;
    let new = NewDay {
        agency_id: f.agency,
        on: f.on,
        leader_id: form.user.signed_in.person.id,
        place: f.place.clone(),
    };
    let result = state
        .app
        .schedule_reception_day(&form.user.ctx(), new)
        .await;
    back(&state, &form.user, f.agency, result.map(|_| ())).await
}

#[derive(Debug, Deserialize)]
pub struct OutcomeForm {
    outcome: String,
    #[serde(default)]
    note: String,
}

pub async fn record_day(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: UiForm<OutcomeForm>,
) -> Response {
    let f = &form.form;
    let outcome = match f.outcome.as_str() {
        "held" => DayOutcome::Held(f.note.clone()),
        _ => DayOutcome::Cancelled(f.note.clone()),
    };
    let ctx = form.user.ctx();
    let result = state.app.record_reception_day(&ctx, id, &outcome).await;
    let agency = match &result {
        Ok(day) => day.agency_id,
        Err(_) => form.user.signed_in.person.agency_id,
    };
    back(&state, &form.user, agency, result.map(|_| ())).await
}

#[derive(Debug, Deserialize)]
pub struct VisitForm {
    agency: i64,
    on: Date,
    at: String,
    #[serde(default)]
    day: String,
    #[serde(default)]
    same_case_as: String,
    #[serde(default)]
    names: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    phone: String,
    content: String,
    field: String,
    outcome: String,
}

/// An optional number typed in a form: empty is none.
pub fn optional_id(text: &str, what: &str) -> Result<Option<i64>, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse()
        .map(Some)
        .map_err(|_| AppError::Invalid(format!("{what} phải là một số: «{text}»")))
}

/// The people of a form: one per line of `names`, sharing the address
/// (a family comes together); the id number and phone are the first
/// person's.
pub fn parties_of(names: &str, address: &str, id_number: &str, phone: &str) -> Vec<Party> {
    let optional = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    names
        .lines()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .enumerate()
        .map(|(i, name)| Party {
            name: name.to_owned(),
            id_number: if i == 0 { optional(id_number) } else { None },
            address: address.to_owned(),
            phone: if i == 0 { optional(phone) } else { None },
        })
        .collect()
}

pub async fn record_visit(State(state): State<AppState>, form: UiForm<VisitForm>) -> Response {
    let result = async {
        let f = &form.form;
        let time = Time::parse(
            f.at.trim(),
            time::macros::format_description!("[hour]:[minute]"),
        )
        .map_err(|_| AppError::Invalid(format!("Giờ tiếp không hợp lệ: «{}»", f.at)))?;
        let new = NewVisit {
            draft: VisitDraft {
                agency_id: f.agency,
                at: f
                    .on
                    .with_time(time)
                    .assume_offset(vn::dates::VIETNAM_OFFSET),
                officer_id: form.user.signed_in.person.id,
                visitors: parties_of(&f.names, &f.address, &f.id_number, &f.phone),
                content: f.content.clone(),
                field: f.field.clone(),
                outcome: f
                    .outcome
                    .parse()
                    .map_err(|_| AppError::Invalid("Kết quả tiếp không hợp lệ".into()))?,
            },
            day_id: optional_id(&f.day, "Số buổi tiếp định kỳ")?,
            same_case_as: optional_id(&f.same_case_as, "Số lượt tiếp trước")?,
        };
        state
            .app
            .record_visit(&form.user.ctx(), new)
            .await
            .map(|_| ())
    }
    .await;
    back(&state, &form.user, form.form.agency, result).await
}

/// Back to the calendar, or the calendar with the error above it.
async fn back(
    state: &AppState,
    user: &UiUser,
    agency: i64,
    result: Result<(), AppError>,
) -> Response {
    match result {
        Ok(()) => Redirect::to(&format!("{NAV}?agency={agency}")).into_response(),
        Err(err @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let query = PeriodQuery {
                agency: Some(agency),
                from: None,
                to: None,
            };
            let mut response =
                respond(calendar_page(state, user, &query, Some(err.to_string())).await);
            *response.status_mut() = crate::error::status_of(&err);
            response
        }
        Err(err) => super::error_page(&err),
    }
}

#[derive(Template)]
#[template(path = "reception_figures.html")]
struct FiguresPage {
    chrome: Chrome,
    agencies: Vec<(i64, String)>,
    agency: i64,
    from: Date,
    to: Date,
    f: ReceptionFigures,
}

pub async fn figures(
    State(state): State<AppState>,
    user: UiUser,
    Query(query): Query<PeriodQuery>,
) -> Response {
    respond(
        async {
            let (agency, from, to) = query.resolve(&state, &user);
            let f = state
                .app
                .reception_figures_of(&user.ctx(), agency, (from, to))
                .await?;
            Ok(page(&FiguresPage {
                chrome: Chrome::new(&user, "Số liệu tiếp công dân, xử lý đơn", NAV),
                agencies: places(&state, &user).await?,
                agency,
                from,
                to,
                f,
            }))
        }
        .await,
    )
}
