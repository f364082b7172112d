//! Handling on the staff pages: the assignments block of a document's page
//! (assign, write an opinion, complete), "Văn bản được giao xử lý" and the
//! notices on "Việc của tôi", and the printable handling sheet (phiếu xử
//! lý văn bản đến).

use app::AppError;
use app::handling::{AssignmentLine, AssignmentView, NewAssignment};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::handling::{Due, Notice, Timeliness};
use serde::Deserialize;

use super::{page, respond};
use crate::AppState;
use crate::session::{UiForm, UiUser};

/// The handling time offered in the assign form, in working days.
pub const DEFAULT_WORKING_DAYS: u32 = 7;

/// The CSS class that marks an assignment's standing.
fn mark(timeliness: Option<Timeliness>) -> &'static str {
    match timeliness {
        Some(Timeliness::Overdue | Timeliness::Late) => "overdue",
        Some(Timeliness::DueSoon) => "due-soon",
        _ => "",
    }
}

pub struct OpinionLine {
    pub at: String,
    pub who: String,
    pub text: String,
}

/// One assignment as the document page and the sheet show it.
pub struct AssignmentBlock {
    pub id: i64,
    pub lead: String,
    pub lead_position: String,
    pub co_handlers: Vec<String>,
    pub assigned_by: String,
    pub instruction: String,
    pub assigned_on: String,
    pub deadline: String,
    pub state: &'static str,
    pub standing: &'static str,
    pub mark: &'static str,
    pub opinions: Vec<OpinionLine>,
    pub open: bool,
    /// The viewer may write an opinion (a handler; a leader).
    pub can_write: bool,
    /// The viewer may complete it (the lead; a leader).
    pub can_complete: bool,
}

impl AssignmentBlock {
    /// The block of `view` for the person `viewer` (`is_leader`: leads the
    /// document's agency).
    pub fn of(view: &AssignmentView, viewer: Option<i64>, is_leader: bool) -> Self {
        let a = &view.assignment;
        let is_handler = viewer.is_some_and(|p| a.is_handler(p));
        let is_lead = viewer == Some(a.lead_id);
        let open = a.state.is_open();
        Self {
            id: a.id,
            lead: view.lead.full_name.clone(),
            lead_position: view.lead.position.clone(),
            co_handlers: view
                .co_handlers
                .iter()
                .map(|p| p.full_name.clone())
                .collect(),
            assigned_by: a.assigned_by_label.clone(),
            instruction: a.instruction.clone(),
            assigned_on: vn::dates::format_short(a.assigned_on),
            deadline: vn::dates::format_short(a.deadline),
            state: a.state.label(),
            standing: view.timeliness.map_or("", Timeliness::label),
            mark: mark(view.timeliness),
            opinions: view
                .opinions
                .iter()
                .map(|o| OpinionLine {
                    at: vn::dates::format_timestamp(o.at),
                    who: o.author_label.clone(),
                    text: o.text.clone(),
                })
                .collect(),
            open,
            can_write: open && (is_handler || is_leader),
            can_complete: open && (is_lead || is_leader),
        }
    }
}

/// One line of "Văn bản được giao xử lý".
pub struct AssignedLine {
    pub document_id: i64,
    pub symbol: String,
    pub summary: String,
    pub deadline: String,
    pub standing: &'static str,
    pub mark: &'static str,
    pub lead: bool,
}

pub fn assigned_lines(lines: Vec<AssignmentLine>, me: i64) -> Vec<AssignedLine> {
    lines
        .into_iter()
        .map(|l| AssignedLine {
            document_id: l.document.id,
            symbol: l.document.symbol,
            summary: l.document.summary,
            deadline: vn::dates::format_short(l.assignment.deadline),
            standing: l.timeliness.map_or("", Timeliness::label),
            mark: mark(l.timeliness),
            lead: l.assignment.lead_id == me,
        })
        .collect()
}

pub struct NoticeLine {
    pub day: String,
    pub text: String,
}

pub fn notice_lines(notices: Vec<Notice>) -> Vec<NoticeLine> {
    notices
        .into_iter()
        .map(|n| NoticeLine {
            day: vn::dates::format_short(n.day),
            text: n.text,
        })
        .collect()
}

#[derive(Debug, Deserialize)]
pub struct AssignForm {
    lead_id: i64,
    #[serde(default)]
    instruction: String,
    #[serde(default)]
    working_days: String,
    #[serde(default)]
    deadline: String,
}

pub async fn assign(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: UiForm<AssignForm>,
) -> Response {
    respond(
        async {
            let f = &form.form;
            let co_handlers = form
                .all("co_handlers")
                .into_iter()
                .map(|id| {
                    id.parse::<i64>()
                        .map_err(|_| AppError::Invalid("Người phối hợp không hợp lệ".into()))
                })
                .collect::<Result<Vec<_>, _>>()?;
            // A date, when given, wins over the number of days.
            let due = if f.deadline.trim().is_empty() {
                let days = f.working_days.trim();
                let days = if days.is_empty() {
                    DEFAULT_WORKING_DAYS
                } else {
                    days.parse().map_err(|_| {
                        AppError::Invalid("Số ngày làm việc phải là một số nguyên dương".into())
                    })?
                };
                Due::WorkingDays(days)
            } else {
                let format = time::macros::format_description!("[year]-[month]-[day]");
                Due::On(
                    time::Date::parse(f.deadline.trim(), format)
                        .map_err(|_| AppError::Invalid("Hạn xử lý không hợp lệ".into()))?,
                )
            };
            let new = NewAssignment {
                lead_id: f.lead_id,
                co_handlers,
                instruction: f.instruction.clone(),
                due,
            };
            state.app.assign(&form.user.ctx(), id, new).await?;
            Ok(Redirect::to(&format!("/app/documents/{id}")).into_response())
        }
        .await,
    )
}

#[derive(Debug, Deserialize)]
pub struct TextForm {
    #[serde(default)]
    text: String,
}

pub async fn opinion(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: UiForm<TextForm>,
) -> Response {
    respond(
        async {
            let a = state
                .app
                .add_opinion(&form.user.ctx(), id, &form.form.text)
                .await?;
            Ok(Redirect::to(&format!("/app/documents/{}", a.document_id)).into_response())
        }
        .await,
    )
}

pub async fn complete(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: UiForm<TextForm>,
) -> Response {
    respond(
        async {
            let a = state
                .app
                .complete_assignment(&form.user.ctx(), id, &form.form.text)
                .await?;
            Ok(Redirect::to(&format!("/app/documents/{}", a.document_id)).into_response())
        }
        .await,
    )
}

#[derive(Template)]
#[template(path = "handling_sheet.html")]
struct SheetPage {
    parent: String,
    agency: String,
    place_date: String,
    number: u32,
    registered_on: String,
    symbol: String,
    issued_on: String,
    issuer: String,
    summary: String,
    current: Option<AssignmentBlock>,
}

/// The handling sheet, a page of its own made for printing.
pub async fn sheet(State(state): State<AppState>, user: UiUser, Path(id): Path<i64>) -> Response {
    respond(
        async {
            let ctx = user.ctx();
            let sheet = state.app.handling_sheet(&ctx, id).await?;
            let d = sheet.document;
            Ok(page(&SheetPage {
                parent: sheet
                    .parent
                    .map(|p| p.name.to_uppercase())
                    .unwrap_or_default(),
                agency: sheet.agency.name.to_uppercase(),
                place_date: vn::dates::format_long(sheet.today),
                number: d.number,
                registered_on: vn::dates::format_short(d.registered_on),
                symbol: d.symbol,
                issued_on: vn::dates::format_short(d.issued_on),
                issuer: d.issuer,
                summary: d.summary,
                current: sheet.current.map(|v| AssignmentBlock::of(&v, None, false)),
            }))
        }
        .await,
    )
}
