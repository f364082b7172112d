//! Petitions on the staff pages (issue 10): the list of an agency and
//! its units filtered by kind, status and overdue, the form that
//! receives one, and a petition's page with its deadlines, standing and
//! the steps the reader may take (classify, assign, extend, answer,
//! close). The petitioners are shown or «(đã ẩn)» as `app::reception`
//! decided.

use app::AppError;
use app::reception::petitions::{PetitionQuery, PetitionView};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::reception::deadlines::Complexity;
use domain::reception::petitions::{
    Channel, Classification, PetitionDraft, PetitionKind, PetitionStatus, Step,
};
use serde::Deserialize;
use time::Date;

use super::mail::person_name;
use super::reception::{NAV, optional_id, parties_of, people_line, places};
use super::{Chrome, page, respond};
use crate::AppState;
use crate::session::{UiForm, UiUser};

type Choices = Vec<(&'static str, &'static str)>;

fn choices<T: Copy>(
    all: &[T],
    name: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Choices {
    all.iter().map(|v| (name(*v), label(*v))).collect()
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    agency: Option<i64>,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    overdue: Option<String>,
}

struct Line {
    id: i64,
    kind: &'static str,
    received: String,
    petitioners: String,
    content: String,
    status: &'static str,
    due: String,
    standing: &'static str,
    overdue: bool,
}

#[derive(Template)]
#[template(path = "reception_petitions.html")]
struct ListPage {
    chrome: Chrome,
    agencies: Vec<(i64, String)>,
    agency: i64,
    kind: String,
    status: String,
    overdue: bool,
    kinds: Choices,
    statuses: Choices,
    channels: Choices,
    lines: Vec<Line>,
    today: Date,
}

/// A kind or status chosen in a filter; empty is any.
fn chosen<T: std::str::FromStr>(text: &str) -> Result<Option<T>, AppError> {
    if text.is_empty() {
        return Ok(None);
    }
    text.parse()
        .map(Some)
        .map_err(|_| AppError::Invalid(format!("Giá trị lọc không hợp lệ: «{text}»")))
}

pub async fn list(
    State(state): State<AppState>,
    user: UiUser,
    Query(query): Query<ListQuery>,
) -> Response {
    respond(
        async {
            let agency = query.agency.unwrap_or(user.signed_in.person.agency_id);
            let filter = PetitionQuery {
                kind: chosen(&query.kind)?,
                status: chosen(&query.status)?,
                overdue: query.overdue.is_some(),
            };
            let views = state.app.petitions(&user.ctx(), agency, &filter).await?;
            Ok(page(&ListPage {
                chrome: Chrome::new(&user, "Đơn khiếu nại, tố cáo, kiến nghị, phản ánh", NAV),
                agencies: places(&state, &user).await?,
                agency,
                kind: query.kind.clone(),
                status: query.status.clone(),
                overdue: filter.overdue,
                kinds: choices(PetitionKind::ALL, PetitionKind::as_str, PetitionKind::label),
                statuses: choices(
                    PetitionStatus::ALL,
                    PetitionStatus::as_str,
                    PetitionStatus::label,
                ),
                channels: choices(Channel::ALL, Channel::as_str, Channel::label),
                lines: views.iter().map(line_of).collect(),
                today: state.app.today(),
            }))
        }
        .await,
    )
}

fn line_of(view: &PetitionView) -> Line {
    let p = &view.petition;
    Line {
        id: p.id,
        kind: p.kind.label(),
        received: vn::dates::format_short(p.received_on),
        petitioners: people_line(&p.petitioners),
        content: p.content.clone(),
        status: p.status.label(),
        due: vn::dates::format_short(p.current_due()),
        standing: view.timeliness.label(),
        overdue: view.timeliness == domain::handling::Timeliness::Overdue,
    }
}

#[derive(Debug, Deserialize)]
pub struct ReceiveForm {
    agency: i64,
    kind: String,
    received_on: Date,
    channel: String,
    #[serde(default)]
    visit: String,
    names: String,
    address: String,
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    phone: String,
    content: String,
    field: String,
}

pub async fn receive(State(state): State<AppState>, form: UiForm<ReceiveForm>) -> Response {
    respond(
        async {
            let f = &form.form;
            let draft = PetitionDraft {
                agency_id: f.agency,
                kind: f
                    .kind
                    .parse()
                    .map_err(|_| AppError::Invalid("Loại đơn không hợp lệ".into()))?,
                received_on: f.received_on,
                channel: f
                    .channel
                    .parse()
                    .map_err(|_| AppError::Invalid("Nguồn đơn không hợp lệ".into()))?,
                visit_id: optional_id(&f.visit, "Số lượt tiếp")?,
                petitioners: parties_of(&f.names, &f.address, &f.id_number, &f.phone),
                content: f.content.clone(),
                field: f.field.clone(),
            };
            let p = state.app.receive_petition(&form.user.ctx(), draft).await?;
            Ok(Redirect::to(&format!("{NAV}/petitions/{}", p.id)).into_response())
        }
        .await,
    )
}

#[derive(Template)]
#[template(path = "reception_petition.html")]
struct PetitionPage {
    chrome: Chrome,
    id: i64,
    kind: &'static str,
    channel: &'static str,
    visit: Option<i64>,
    received: String,
    petitioners: Vec<domain::reception::parties::Party>,
    sees: bool,
    content: String,
    field: String,
    recorder: String,
    status: &'static str,
    classify_due: String,
    classified: String,
    note: String,
    complexity: &'static str,
    extensions: u8,
    extension_reason: String,
    due: String,
    handler: String,
    decided_by: String,
    answered: String,
    result: String,
    closed: String,
    standing: &'static str,
    overdue: bool,
    steps: Vec<&'static str>,
    complexities: Choices,
    handlers: Vec<(i64, String)>,
    today: Date,
}

pub async fn show(State(state): State<AppState>, user: UiUser, Path(id): Path<i64>) -> Response {
    respond(
        async {
            let view = state.app.petition(&user.ctx(), id).await?;
            petition_page(&state, &user, view).await
        }
        .await,
    )
}

async fn petition_page(
    state: &AppState,
    user: &UiUser,
    view: PetitionView,
) -> Result<Response, AppError> {
    let p = &view.petition;
    let date = |d: Option<Date>| d.map(vn::dates::format_short).unwrap_or_default();
    let steps = steps_open(&view);
    let handlers = if steps.contains(&"assign") {
        state
            .app
            .people_of(&user.ctx(), p.agency_id, true)
            .await?
            .into_iter()
            .map(|person| {
                (
                    person.id,
                    format!("{} — {}", person.full_name, person.position),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(page(&PetitionPage {
        chrome: Chrome::new(user, format!("Đơn số {}", p.id), NAV),
        id: p.id,
        kind: p.kind.label(),
        channel: p.channel.label(),
        visit: p.visit_id,
        received: vn::dates::format_short(p.received_on),
        petitioners: p.petitioners.clone(),
        sees: view.sees_parties,
        content: p.content.clone(),
        field: p.field.clone(),
        recorder: person_name(state, Some(p.recorded_by)).await?,
        status: p.status.label(),
        classify_due: vn::dates::format_short(p.classify_due),
        classified: date(p.classified_on),
        note: p.note.clone(),
        complexity: p.complexity.label(),
        extensions: p.extensions,
        extension_reason: p.extension_reason.clone(),
        due: date(p.due_on),
        handler: person_name(state, p.handler_id).await?,
        decided_by: person_name(state, p.decided_by).await?,
        answered: date(p.answered_on),
        result: p.result.clone(),
        closed: date(p.closed_on),
        standing: view.timeliness.label(),
        overdue: view.timeliness == domain::handling::Timeliness::Overdue,
        steps,
        complexities: choices(&Complexity::ALL[1..], Complexity::as_str, Complexity::label),
        handlers,
        today: state.app.today(),
    }))
}

/// The forms the reader's page offers, by the petition's state.
fn steps_open(view: &PetitionView) -> Vec<&'static str> {
    use PetitionStatus as S;
    let status = view.petition.status;
    let mut out = Vec::new();
    if view.decides {
        match status {
            S::Received => out.push("classify"),
            S::Accepted | S::Assigned => out.extend(["assign", "extend"]),
            S::Answered => out.push("close"),
            _ => {}
        }
    }
    if view.answers && status == S::Assigned {
        out.push("answer");
    }
    out
}

#[derive(Debug, Deserialize)]
pub struct StepForm {
    step: String,
    on: Date,
    #[serde(default)]
    classification: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    handler: String,
    #[serde(default)]
    complexity: String,
}

pub async fn step(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: UiForm<StepForm>,
) -> Response {
    respond(
        async {
            let f = &form.form;
            let text = f.text.clone();
            let step = match f.step.as_str() {
                "classify" => Step::Classify(match f.classification.as_str() {
                    "accept" => Classification::Accept,
                    "not_accept" => Classification::NotAccept(text),
                    "transfer" => Classification::Transfer(text),
                    _ => Classification::File(text),
                }),
                "assign" => Step::Assign(
                    optional_id(&f.handler, "Người giải quyết")?
                        .ok_or_else(|| AppError::Invalid("Cần chọn người giải quyết".into()))?,
                ),
                "extend" => Step::Extend {
                    complexity: f
                        .complexity
                        .parse()
                        .map_err(|_| AppError::Invalid("Mức độ phức tạp không hợp lệ".into()))?,
                    reason: text,
                },
                "answer" => Step::Answer(text),
                "close" => Step::Close,
                _ => return Err(AppError::Invalid("Bước xử lý không hợp lệ".into())),
            };
            state
                .app
                .petition_step(&form.user.ctx(), id, f.on, step)
                .await?;
            Ok(Redirect::to(&format!("{NAV}/petitions/{id}")).into_response())
        }
        .await,
    )
}
