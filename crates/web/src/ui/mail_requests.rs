//! Mailbox requests on the staff pages (issue 9): the list of requests
//! one may see; a request's page with its boxes and planned addresses and
//! the approve and refuse buttons for whoever's turn it is (the agency's
//! head, then the department's operator); the form for one box, whose
//! address is previewed before filing; and the staff list's upload — a
//! preview of every row with its planned address, collisions marked, or
//! every wrong row — then the confirmation that files it.
//!
//! Nothing is created before the confirmation: the preview carries the
//! list itself (base64 in a hidden field of its confirmation form), so
//! the server keeps nothing between the two steps and what is filed is
//! exactly what was shown, planned again against the addresses given by
//! then.

use app::AppError;
use app::mail::registry::{NewMailRequest, PlannedBox, WantedBox};
use app::mail::staff_lists::{PlannedRow, StaffListFile};
use askama::Template;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use domain::agencies::{AgencyId, AgencyKind};
use domain::authz::Permission;
use domain::mail::mailboxes::MailboxKind;
use domain::mail::requests::{Decider, Decision, RequestKind};
use domain::mail::staff_list::{self, MAX_BYTES};
use serde::Deserialize;

use super::mail::{BoxLine, MailRights, NAV, agency_names, box_lines, person_name};
use super::{Chrome, page, respond};
use crate::AppState;
use crate::session::{UiForm, UiUser};
use crate::upload::{Limits, read_ui_form};

/// What the bulk pages' bodies may carry: the list, or the list in
/// base64 (a third more) with the form's fields.
pub const BULK_BODY_LIMIT: usize = MAX_BYTES / 3 * 4 + 64 * 1024;

struct RequestLine {
    id: i64,
    agency: String,
    kind: &'static str,
    status: &'static str,
    requester: String,
    at: String,
}

#[derive(Template)]
#[template(path = "mail_requests.html")]
struct RequestsPage {
    chrome: Chrome,
    rights: MailRights,
    lines: Vec<RequestLine>,
}

pub async fn list(State(state): State<AppState>, user: UiUser) -> Response {
    respond(
        async {
            let requests = state.app.mail_request_list(&user.ctx(), &[]).await?;
            let names = agency_names(&state).await?;
            let mut lines = Vec::with_capacity(requests.len());
            for r in requests {
                lines.push(RequestLine {
                    id: r.id,
                    agency: names.get(&r.agency_id).cloned().unwrap_or_default(),
                    kind: r.kind.label(),
                    status: r.status.label(),
                    requester: person_name(&state, Some(r.requested_by)).await?,
                    at: vn::dates::format_moment(r.submitted_at),
                });
            }
            Ok(page(&RequestsPage {
                chrome: Chrome::new(&user, "Đề nghị cấp hộp thư", NAV),
                rights: MailRights::of(&user),
                lines,
            }))
        }
        .await,
    )
}

#[derive(Template)]
#[template(path = "mail_request.html")]
struct RequestPage {
    chrome: Chrome,
    id: i64,
    agency: String,
    kind: &'static str,
    status: &'static str,
    requester: String,
    submitted: String,
    /// (by whom, when) of the agency head's approval.
    agency_approval: Option<(String, String)>,
    /// (by whom, when) of the last decision.
    decision: Option<(String, String)>,
    reason: String,
    note: String,
    boxes: Vec<BoxLine>,
    /// Who decides now, if it is the viewer.
    turn: Option<&'static str>,
}

pub async fn show(State(state): State<AppState>, user: UiUser, Path(id): Path<i64>) -> Response {
    respond(
        async {
            let (r, boxes, turn) = state.app.mail_request_page(&user.ctx(), id).await?;
            let names = agency_names(&state).await?;
            let moment = |at: Option<time::OffsetDateTime>| {
                at.map(vn::dates::format_moment).unwrap_or_default()
            };
            let agency_approval = match r.agency_approved_at {
                Some(at) => Some((
                    person_name(&state, r.agency_approved_by).await?,
                    moment(Some(at)),
                )),
                None => None,
            };
            let decision = match r.decided_at {
                Some(at) => Some((person_name(&state, r.decided_by).await?, moment(Some(at)))),
                None => None,
            };
            Ok(page(&RequestPage {
                chrome: Chrome::new(&user, format!("Đề nghị cấp hộp thư số {id}"), NAV),
                id,
                agency: names.get(&r.agency_id).cloned().unwrap_or_default(),
                kind: r.kind.label(),
                status: r.status.label(),
                requester: person_name(&state, Some(r.requested_by)).await?,
                submitted: vn::dates::format_moment(r.submitted_at),
                agency_approval,
                decision,
                reason: r.reason.unwrap_or_default(),
                note: r.note,
                boxes: box_lines(boxes, &names),
                turn: turn.map(|t| match t {
                    Decider::AgencyHead => "Thủ trưởng cơ quan duyệt",
                    Decider::Department => "Sở duyệt và cấp hộp thư",
                }),
            }))
        }
        .await,
    )
}

#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    decision: String,
    #[serde(default)]
    reason: String,
}

pub async fn decide(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: UiForm<DecisionForm>,
) -> Response {
    respond(
        async {
            let decision = match form.form.decision.as_str() {
                "approve" => Decision::Approve,
                "reject" => Decision::Reject(form.form.reason.clone()),
                _ => return Err(AppError::Invalid("Quyết định không hợp lệ".into())),
            };
            state
                .app
                .decide_mail_request(&form.user.ctx(), id, decision)
                .await?;
            Ok(Redirect::to(&format!("/app/mail/requests/{id}")).into_response())
        }
        .await,
    )
}

/// The agencies and units an officer may ask boxes for, each with the
/// agency that files the request (the root of their grant): (place,
/// requesting agency, label).
async fn request_places(
    state: &AppState,
    user: &UiUser,
) -> Result<Vec<(AgencyId, AgencyId, String)>, AppError> {
    let roots = user.signed_in.actor.roots_of(Permission::RequestMailboxes);
    if roots.is_empty() {
        return Err(AppError::Forbidden);
    }
    let all = state.app.all_agencies().await?;
    let mut out: Vec<(AgencyId, AgencyId, String)> = Vec::new();
    for root in roots {
        for id in state.app.subtree(root).await? {
            if let Some(a) = all.iter().find(|a| a.id == id)
                && !out.iter().any(|(seen, _, _)| *seen == id)
            {
                out.push((id, root, a.name.clone()));
            }
        }
    }
    Ok(out)
}

#[derive(Template)]
#[template(path = "mail_request_new.html")]
struct NewPage {
    chrome: Chrome,
    places: Vec<(AgencyId, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    form: NewForm,
    /// The planned address and its collision note, if previewed.
    address: String,
    collision: String,
    /// Why no address can be given, or the request not filed.
    error: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    place: Option<AgencyId>,
    #[serde(default)]
    full_name: String,
    /// The staff e-mail of the person, when egov knows them.
    #[serde(default)]
    person_email: String,
    #[serde(default)]
    note: String,
    /// `preview` or `submit`.
    #[serde(default)]
    intent: String,
}

async fn new_page(
    state: &AppState,
    user: &UiUser,
    form: NewForm,
    preview: Option<Result<(String, String), String>>,
) -> Result<Response, AppError> {
    let places = request_places(state, user).await?;
    let ((address, collision), error) = match preview {
        Some(Ok(planned)) => (planned, String::new()),
        Some(Err(error)) => (Default::default(), error),
        None => Default::default(),
    };
    Ok(page(&NewPage {
        chrome: Chrome::new(user, "Đề nghị cấp một hộp thư", NAV),
        places: places.into_iter().map(|(id, _, name)| (id, name)).collect(),
        kinds: MailboxKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
        form,
        address,
        collision,
        error,
    }))
}

pub async fn new_form(State(state): State<AppState>, user: UiUser) -> Response {
    respond(new_page(&state, &user, NewForm::default(), None).await)
}

/// The one-box request the form describes.
async fn single_request(
    state: &AppState,
    user: &UiUser,
    form: &NewForm,
) -> Result<NewMailRequest, AppError> {
    let places = request_places(state, user).await?;
    let (place, agency_id) = places
        .iter()
        .find(|(id, _, _)| Some(*id) == form.place)
        .map(|(id, root, _)| (*id, *root))
        .ok_or(AppError::Forbidden)?;
    let kind: MailboxKind = form.kind.parse().map_err(AppError::invalid)?;
    let person = match form.person_email.trim() {
        "" => None,
        email => Some(state.app.person_by_email(email).await?),
    };
    let full_name = match (&person, form.full_name.trim()) {
        (Some(p), "") => p.full_name.clone(),
        (_, name) => name.to_owned(),
    };
    Ok(NewMailRequest {
        agency_id,
        kind: RequestKind::Single,
        note: form.note.clone(),
        boxes: vec![WantedBox {
            kind,
            agency_id: place,
            person_id: person.map(|p| p.id),
            full_name,
        }],
    })
}

/// The planned address and its collision note, or why none.
fn planned_text(planned: &PlannedBox) -> Result<(String, String), String> {
    planned
        .address
        .as_ref()
        .map(|p| {
            (
                p.address.clone(),
                p.collided_with
                    .as_ref()
                    .map(|first| format!("trùng với {first} → đánh số"))
                    .unwrap_or_default(),
            )
        })
        .map_err(Clone::clone)
}

/// Previews or files a one-box request; a refusal shows on the form.
pub async fn submit(State(state): State<AppState>, form: UiForm<NewForm>) -> Response {
    let UiForm { user, form, .. } = form;
    let result = async {
        let request = single_request(&state, &user, &form).await?;
        if form.intent == "submit" {
            let (request, _) = state.app.submit_mail_request(&user.ctx(), request).await?;
            return Ok(Redirect::to(&format!("/app/mail/requests/{}", request.id)).into_response());
        }
        let planned = state.app.plan_mail_request(&user.ctx(), &request).await?;
        let preview = planned
            .first()
            .map_or_else(|| Err("Không có hộp thư nào".to_owned()), planned_text);
        new_page(&state, &user, form.clone(), Some(preview)).await
    }
    .await;
    match result {
        Err(err @ AppError::Invalid(_)) => {
            let mut response =
                respond(new_page(&state, &user, form, Some(Err(err.to_string()))).await);
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            response
        }
        other => respond(other),
    }
}

/// A row of the staff list's preview.
struct PreviewRow {
    row: usize,
    name: String,
    position: String,
    place: String,
    kind: &'static str,
    address: String,
    /// «trùng với … → đánh số …», when a number was added.
    collision: String,
    /// The person has an egov account, which the box is linked to.
    linked: bool,
}

#[derive(Template)]
#[template(path = "mail_bulk.html")]
struct BulkPage {
    chrome: Chrome,
    places: Vec<(AgencyId, String)>,
    agency: Option<AgencyId>,
    note: String,
    file_name: String,
    rows: Vec<PreviewRow>,
    /// The list's problems, one a line.
    errors: Vec<String>,
    /// The list in base64, for the confirmation.
    content: String,
    collisions: usize,
}

/// The agencies that may file a staff list: those an officer may ask
/// boxes for that are not units (a unit's staff are on its agency's list).
async fn bulk_places(state: &AppState, user: &UiUser) -> Result<Vec<(AgencyId, String)>, AppError> {
    let all = state.app.all_agencies().await?;
    Ok(request_places(state, user)
        .await?
        .into_iter()
        .filter(|(id, _, _)| {
            all.iter()
                .any(|a| a.id == *id && a.kind != AgencyKind::Unit)
        })
        .map(|(id, _, name)| (id, name))
        .collect())
}

pub async fn bulk_form(State(state): State<AppState>, user: UiUser) -> Response {
    respond(
        async {
            Ok(page(&BulkPage {
                chrome: Chrome::new(&user, "Đề nghị cấp hộp thư theo danh sách", NAV),
                places: bulk_places(&state, &user).await?,
                agency: None,
                note: String::new(),
                file_name: String::new(),
                rows: Vec::new(),
                errors: Vec::new(),
                content: String::new(),
                collisions: 0,
            }))
        }
        .await,
    )
}

fn preview_rows(
    rows: Vec<PlannedRow>,
    names: &std::collections::HashMap<AgencyId, String>,
) -> Vec<PreviewRow> {
    rows.into_iter()
        .map(|r| {
            let (address, collision) = planned_text(&r.planned).unwrap_or_default();
            PreviewRow {
                row: r.entry.row,
                name: r.planned.display_name,
                position: r.entry.position,
                place: names.get(&r.entry.agency_id).cloned().unwrap_or_default(),
                kind: r.entry.kind.label(),
                address,
                collision,
                linked: r.planned.wanted.person_id.is_some(),
            }
        })
        .collect()
}

/// The uploaded staff list, previewed: every row with its planned
/// address, or every wrong row; nothing is created.
pub async fn bulk_preview(State(state): State<AppState>, request: Request) -> Response {
    let limits = Limits {
        file: MAX_BYTES,
        total: MAX_BYTES,
    };
    let (user, form) = match read_ui_form(request, &state, limits).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    respond(
        async {
            let places = bulk_places(&state, &user).await?;
            let agency = form.field("agency").trim().parse::<AgencyId>().ok();
            let Some(agency_id) = agency.filter(|a| places.iter().any(|(id, _)| id == a)) else {
                return Err(AppError::Invalid("Hãy chọn cơ quan đề nghị".into()));
            };
            let Some(file) = form.files.first() else {
                return Err(AppError::Invalid("Chưa chọn tệp danh sách".into()));
            };
            let list = StaffListFile {
                bytes: &file.bytes,
                name: &file.file_name,
            };
            let planned = state
                .app
                .plan_staff_list(&user.ctx(), agency_id, list)
                .await;
            let names = agency_names(&state).await?;
            let (rows, errors, status) = match planned {
                Ok(rows) => (preview_rows(rows, &names), Vec::new(), StatusCode::OK),
                Err(AppError::Invalid(message)) => (
                    Vec::new(),
                    message.lines().map(str::to_owned).collect(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                ),
                Err(other) => return Err(other),
            };
            let mut response = page(&BulkPage {
                chrome: Chrome::new(&user, "Đề nghị cấp hộp thư theo danh sách", NAV),
                places,
                agency: Some(agency_id),
                note: form.field("note").to_owned(),
                file_name: file.file_name.clone(),
                collisions: rows.iter().filter(|r| !r.collision.is_empty()).count(),
                content: if errors.is_empty() {
                    STANDARD.encode(&file.bytes)
                } else {
                    String::new()
                },
                rows,
                errors,
            });
            *response.status_mut() = status;
            Ok(response)
        }
        .await,
    )
}

/// Files the staff list the preview showed.
pub async fn bulk_submit(State(state): State<AppState>, request: Request) -> Response {
    let limits = Limits { file: 0, total: 0 };
    let (user, form) = match read_ui_form(request, &state, limits).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    respond(
        async {
            let agency_id: AgencyId = form
                .field("agency")
                .trim()
                .parse()
                .map_err(|_| AppError::Invalid("Hãy chọn cơ quan đề nghị".into()))?;
            let bytes = STANDARD.decode(form.field("content").trim()).map_err(|_| {
                AppError::Invalid("Danh sách gửi lại không hợp lệ; hãy tải tệp lên lại".into())
            })?;
            let list = StaffListFile {
                bytes: &bytes,
                name: form.field("file_name"),
            };
            let (request, _) = state
                .app
                .submit_staff_list(&user.ctx(), agency_id, list, form.field("note"))
                .await?;
            Ok(Redirect::to(&format!("/app/mail/requests/{}", request.id)).into_response())
        }
        .await,
    )
}

/// The staff list's template (CSV, UTF-8 with a byte-order mark).
pub async fn template(_user: UiUser) -> Response {
    crate::download(
        "mau-danh-sach-hop-thu.csv",
        "text/csv; charset=utf-8",
        staff_list::template_csv().into(),
    )
}
