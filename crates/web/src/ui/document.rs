//! One document's page: its register entry, files, history, what the
//! clerk does with it (attach a file, send it by edXML), and its handling
//! (the assignments block of `ui::handling`).

use app::AppError;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::agencies::AgencyCode;
use domain::authz::Permission;
use domain::documents::{
    Citation, Confidentiality, Direction, Document, DocumentFile, ExchangeStatus,
};
use serde::Deserialize;

use super::handling::{AssignmentBlock, DEFAULT_WORKING_DAYS};
use super::{Chrome, page, respond};
use crate::AppState;
use crate::session::{UiForm, UiUser};
use crate::upload::UiUpload;

struct Step {
    at: String,
    actor: String,
    action: &'static str,
}

/// The audit trail's verbs about documents, as a clerk says them.
fn action_label(action: &str) -> &'static str {
    match action {
        "document.issue" => "Cấp số, ban hành",
        "document.receive" => "Vào sổ văn bản đến",
        "document.attach" => "Đính kèm tệp",
        "document.send" => "Gửi qua trục liên thông (edXML)",
        "document.status" => "Nhận trạng thái từ nơi nhận",
        "assignment.assign" => "Giao xử lý",
        _ => "Thao tác khác",
    }
}

/// Each citation as written ("Kế hoạch số 20/KH-UBND ngày 09/3/2021"),
/// with links to the registered documents it names.
fn citation_lines(citations: Vec<(Citation, Vec<Document>)>) -> Vec<(String, Vec<(i64, String)>)> {
    citations
        .into_iter()
        .map(|(c, found)| {
            let day = c.cited_on.map(vn::dates::format_short);
            let written = match (c.doc_type, day) {
                (Some(kind), Some(day)) => format!("{kind} số {} ngày {day}", c.symbol),
                (Some(kind), None) => format!("{kind} số {}", c.symbol),
                (None, Some(day)) => format!("{} ngày {day}", c.symbol),
                (None, None) => c.symbol,
            };
            let links = found.into_iter().map(|d| (d.id, register_of(&d))).collect();
            (written, links)
        })
        .collect()
}

/// What each recipient answered: the day, who, and what it means.
fn status_lines(statuses: Vec<(ExchangeStatus, &'static str)>) -> Vec<(String, String, String)> {
    statuses
        .into_iter()
        .map(|(s, label)| {
            let said = if s.description.is_empty() {
                label.to_owned()
            } else {
                format!("{label}: {}", s.description)
            };
            (
                vn::dates::format_short(s.stated_at.date()),
                s.from_name,
                said,
            )
        })
        .collect()
}

/// Which register a linked document is in: "Văn bản đến số 12/2021".
fn register_of(d: &Document) -> String {
    format!("{} số {}/{}", d.direction.label(), d.number, d.year)
}

#[derive(Template)]
#[template(path = "document.html")]
struct DocumentPage {
    chrome: Chrome,
    d: Document,
    direction: &'static str,
    urgency: &'static str,
    confidentiality: &'static str,
    issued_on: String,
    registered_on: String,
    files: Vec<(DocumentFile, String)>,
    history: Vec<Step>,
    /// What it cites: the citation as written, and the registered
    /// documents it names (id, agency register it is in).
    citations: Vec<(String, Vec<(i64, String)>)>,
    cited_by: Vec<(i64, String)>,
    /// What recipients answered by edXML: when, who, what.
    statuses: Vec<(String, String, String)>,
    can_register: bool,
    can_send: bool,
    recipients: Vec<(String, String)>,
    assignments: Vec<AssignmentBlock>,
    can_assign: bool,
    handlers: Vec<(i64, String)>,
    default_days: u32,
}

pub async fn show(State(state): State<AppState>, user: UiUser, Path(id): Path<i64>) -> Response {
    respond(
        async {
            let ctx = user.ctx();
            let d = state.app.document(&ctx, id).await?;
            let files = state.app.document_files(&ctx, id).await?;
            let history = state.app.document_history(&ctx, id).await?;
            let citations = state.app.document_citations(&ctx, id).await?;
            let cited_by = state.app.citing_documents(&ctx, id).await?;
            let statuses = status_lines(state.app.document_statuses(&ctx, id).await?);
            let lineage = state.app.lineage(d.agency_id).await?;
            let can_register = ctx.require(Permission::RegisterDocuments, &lineage).is_ok();
            let is_leader = ctx.require(Permission::AssignHandling, &lineage).is_ok();
            let viewer = ctx.actor.as_ref().map(|a| a.person_id);
            let assignments = state
                .app
                .assignments_of(&ctx, id)
                .await?
                .into_iter()
                .map(|v| AssignmentBlock::of(&v, viewer, is_leader))
                .collect();
            let can_assign = is_leader && d.direction == Direction::Incoming;
            let handlers = if can_assign {
                state
                    .app
                    .possible_handlers(&ctx, d.agency_id)
                    .await?
                    .into_iter()
                    .map(|p| (p.id, format!("{} ({})", p.full_name, p.position)))
                    .collect()
            } else {
                Vec::new()
            };
            let today = vn::dates::vietnam_date(state.app.now());
            let recipients = state
                .app
                .all_agencies()
                .await?
                .into_iter()
                .filter(|a| a.id != d.agency_id && a.is_effective_on(today))
                .map(|a| (a.code.to_string(), a.name))
                .collect();
            Ok(page(&DocumentPage {
                chrome: Chrome::new(&user, d.symbol.clone(), "/app/documents"),
                direction: d.direction.label(),
                urgency: d.urgency.label(),
                confidentiality: d.confidentiality.label(),
                issued_on: vn::dates::format_short(d.issued_on),
                registered_on: vn::dates::format_short(d.registered_on),
                files: files
                    .into_iter()
                    .map(|f| {
                        let size = vn::numbers::format_count(f.size.div_ceil(1024));
                        (f, size)
                    })
                    .collect(),
                history: history
                    .into_iter()
                    .map(|e| Step {
                        at: vn::dates::format_timestamp(e.at),
                        actor: e.event.actor_label,
                        action: action_label(&e.event.action),
                    })
                    .collect(),
                citations: citation_lines(citations),
                statuses,
                cited_by: cited_by
                    .into_iter()
                    .map(|d| (d.id, format!("{} — {}", d.symbol, d.summary)))
                    .collect(),
                can_send: can_register
                    && d.direction == Direction::Outgoing
                    && d.confidentiality == Confidentiality::Normal,
                can_register,
                recipients,
                assignments,
                can_assign,
                handlers,
                default_days: DEFAULT_WORKING_DAYS,
                d,
            }))
        }
        .await,
    )
}

pub async fn download(
    State(state): State<AppState>,
    user: UiUser,
    Path((id, file_id)): Path<(i64, i64)>,
) -> Response {
    respond(
        async {
            let (file, bytes) = state.app.document_file(&user.ctx(), id, file_id).await?;
            Ok(crate::download(&file.name, &file.content_type, bytes))
        }
        .await,
    )
}

pub async fn attach(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    upload: UiUpload,
) -> Response {
    respond(
        async {
            let file = upload.file();
            state.app.attach_file(&upload.user.ctx(), id, file).await?;
            Ok(Redirect::to(&format!("/app/documents/{id}")).into_response())
        }
        .await,
    )
}

#[derive(Debug, Deserialize)]
pub struct SendForm {}

pub async fn send(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: UiForm<SendForm>,
) -> Response {
    respond(
        async {
            let to = form
                .all("to")
                .into_iter()
                .map(str::parse::<AgencyCode>)
                .collect::<Result<Vec<_>, _>>()
                .map_err(AppError::invalid)?;
            let bytes = state.app.export_edxml(&form.user.ctx(), id, &to).await?;
            Ok(crate::download(
                &format!("van-ban-{id}.edxml"),
                "application/xml",
                bytes.into(),
            ))
        }
        .await,
    )
}
