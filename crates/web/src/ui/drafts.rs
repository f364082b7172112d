//! "Việc của tôi" and the drafting pages: start a draft, add its files,
//! and take the step that is one's own (submit, endorse, approve, return,
//! issue).

use app::AppError;
use app::drafts::NewDraft;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::agencies::AgencyKind;
use domain::documents::{Confidentiality, Urgency};
use domain::drafts::{Draft, DraftAction, DraftFile};
use serde::Deserialize;

use super::handling::{AssignedLine, NoticeLine, assigned_lines, notice_lines};
use super::{Chrome, page, respond};
use crate::AppState;
use crate::session::{UiForm, UiUser};
use crate::upload::UiUpload;

struct Line {
    id: i64,
    summary: String,
    doc_type: String,
    state: &'static str,
}

fn lines(drafts: Vec<Draft>) -> Vec<Line> {
    drafts
        .into_iter()
        .map(|d| Line {
            id: d.id,
            state: d.state.label(),
            summary: d.summary,
            doc_type: d.doc_type,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "tasks.html")]
struct TasksPage {
    chrome: Chrome,
    groups: Vec<(&'static str, Vec<Line>)>,
    assigned: Vec<AssignedLine>,
    notices: Vec<NoticeLine>,
    issuers: Vec<(i64, String)>,
    units: Vec<(i64, String)>,
    recipients: Vec<(i64, String)>,
    doc_types: Vec<&'static str>,
    urgencies: Vec<(&'static str, &'static str)>,
    confidentialities: Vec<(&'static str, &'static str)>,
    /// The fields of the first agency one issues for.
    fields: Vec<String>,
}

pub async fn tasks(State(state): State<AppState>, user: UiUser) -> Response {
    respond(
        async {
            let ctx = user.ctx();
            let tasks = state.app.my_tasks(&ctx).await?;
            let me = user.signed_in.person.id;
            let assigned = assigned_lines(state.app.my_assignments(&ctx).await?, me);
            let notices = notice_lines(state.app.my_notices(&ctx, true).await?);
            let all = state.app.all_agencies().await?;
            let today = vn::dates::vietnam_date(state.app.now());
            let home = user.signed_in.person.agency_id;
            let lineage = state.app.lineage(home).await?;
            let name_of = |id: i64| {
                all.iter()
                    .find(|a| a.id == id)
                    .map(|a| (a.id, a.name.clone()))
            };
            // One issues for the first body above one's unit; one drafts
            // in one's unit.
            let issuers: Vec<(i64, String)> = lineage
                .iter()
                .filter(|id| {
                    all.iter()
                        .any(|a| a.id == **id && a.kind != AgencyKind::Unit)
                })
                .filter_map(|id| name_of(*id))
                .collect();
            let units = lineage
                .iter()
                .filter(|id| {
                    all.iter()
                        .any(|a| a.id == **id && a.kind == AgencyKind::Unit)
                })
                .filter_map(|id| name_of(*id))
                .collect();
            let fields = match issuers.first() {
                Some((id, _)) => state.app.fields_of(*id).await?,
                None => Vec::new(),
            };
            Ok(page(&TasksPage {
                fields,
                chrome: Chrome::new(&user, "Việc của tôi", "/app/tasks"),
                groups: vec![
                    ("Chờ tôi duyệt (lãnh đạo đơn vị)", lines(tasks.to_review)),
                    ("Chờ tôi phê duyệt", lines(tasks.to_approve)),
                    ("Chờ tôi ký số", lines(tasks.to_sign)),
                    ("Chờ cấp số, phát hành", lines(tasks.to_issue)),
                    ("Dự thảo của tôi", lines(tasks.mine)),
                ],
                assigned,
                notices,
                issuers,
                units,
                recipients: all
                    .iter()
                    .filter(|a| a.kind != AgencyKind::Unit && a.is_effective_on(today))
                    .map(|a| (a.id, a.name.clone()))
                    .collect(),
                doc_types: vn::doctypes::ADMINISTRATIVE
                    .iter()
                    .map(|t| t.name)
                    .collect(),
                urgencies: Urgency::ALL
                    .iter()
                    .map(|u| (u.as_str(), u.label()))
                    .collect(),
                confidentialities: Confidentiality::ALL
                    .iter()
                    .map(|c| (c.as_str(), c.label()))
                    .collect(),
            }))
        }
        .await,
    )
}

#[derive(Debug, Deserialize)]
pub struct DraftForm {
    agency_id: i64,
    #[serde(default)]
    drafting_unit_id: String,
    doc_type: String,
    summary: String,
    #[serde(default)]
    signer: String,
    urgency: String,
    confidentiality: String,
    #[serde(default)]
    other_recipients: String,
    #[serde(default)]
    field: String,
}

pub async fn create(State(state): State<AppState>, form: UiForm<DraftForm>) -> Response {
    respond(
        async {
            let recipients = form
                .all("recipients")
                .into_iter()
                .map(|id| {
                    id.parse::<i64>()
                        .map_err(|_| AppError::Invalid("Nơi nhận không hợp lệ".into()))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let f = &form.form;
            let new = NewDraft {
                agency_id: f.agency_id,
                drafting_unit_id: f.drafting_unit_id.trim().parse().ok(),
                doc_type: f.doc_type.clone(),
                summary: f.summary.clone(),
                signer: Some(f.signer.clone()),
                urgency: f.urgency.parse().map_err(AppError::invalid)?,
                confidentiality: f.confidentiality.parse().map_err(AppError::invalid)?,
                field: Some(f.field.clone()),
                recipients,
                other_recipients: f.other_recipients.lines().map(str::to_owned).collect(),
            };
            let draft = state.app.create_draft(&form.user.ctx(), new).await?;
            Ok(Redirect::to(&format!("/app/drafts/{}", draft.id)).into_response())
        }
        .await,
    )
}

struct StepLine {
    at: String,
    actor: String,
    action: &'static str,
    comment: String,
    version: u32,
}

#[derive(Template)]
#[template(path = "draft.html")]
struct DraftPage {
    chrome: Chrome,
    d: Draft,
    state: &'static str,
    unit: String,
    recipients: Vec<String>,
    files: Vec<DraftFile>,
    steps: Vec<StepLine>,
    can_edit: bool,
    actions: Vec<(&'static str, &'static str)>,
    /// Whether the leader may sign now (`Some`), and whether on the
    /// server, with the key the CA holds for them (`Some(true)`).
    sign_on_server: Option<bool>,
    /// The leader's signed file: who signed, when, the verdict on it.
    signed: Option<SignedLine>,
    /// The clerk issues a signed draft: the organisation signs too.
    issues_signed: bool,
}

struct SignedLine {
    at: String,
    verdict: &'static str,
    signers: String,
}

pub async fn show(State(state): State<AppState>, user: UiUser, Path(id): Path<i64>) -> Response {
    respond(
        async {
            let ctx = user.ctx();
            let view = state.app.draft(&ctx, id).await?;
            let mut actions = state.app.draft_actions(&ctx, &view.draft).await?;
            let can_sign = actions.contains(&DraftAction::Sign);
            actions.retain(|a| *a != DraftAction::Sign);
            let sign_on_server = if can_sign {
                Some(state.app.signs_on_server(&ctx).await?)
            } else {
                None
            };
            let signed = match &view.draft.signed {
                Some(s) => {
                    let (_, _, (verdict, signers)) = state.app.draft_signed_file(&ctx, id).await?;
                    Some(SignedLine {
                        at: vn::dates::format_timestamp(s.at),
                        verdict: verdict.label(),
                        signers: signers.join(", "),
                    })
                }
                None => None,
            };
            let all = state.app.all_agencies().await?;
            let name = |id: i64| {
                all.iter()
                    .find(|a| a.id == id)
                    .map_or_else(String::new, |a| a.name.clone())
            };
            let is_author = ctx
                .actor
                .as_ref()
                .is_some_and(|a| a.person_id == view.draft.author_id);
            Ok(page(&DraftPage {
                chrome: Chrome::new(
                    &user,
                    format!("Dự thảo: {}", view.draft.doc_type),
                    "/app/tasks",
                ),
                state: view.draft.state.label(),
                unit: view.draft.drafting_unit_id.map(name).unwrap_or_default(),
                recipients: view.draft.recipients.iter().map(|id| name(*id)).collect(),
                can_edit: is_author && view.draft.state == domain::drafts::DraftState::Drafting,
                issues_signed: signed.is_some() && actions.contains(&DraftAction::Issue),
                sign_on_server,
                signed,
                actions: actions
                    .into_iter()
                    .map(|a| (a.as_str(), a.label()))
                    .collect(),
                steps: view
                    .steps
                    .into_iter()
                    .map(|s| StepLine {
                        at: vn::dates::format_timestamp(s.at),
                        actor: s.actor_label,
                        action: s.action.label(),
                        comment: s.comment,
                        version: s.version,
                    })
                    .collect(),
                files: view.files,
                d: view.draft,
            }))
        }
        .await,
    )
}

pub async fn signed_file(
    State(state): State<AppState>,
    user: UiUser,
    Path(id): Path<i64>,
) -> Response {
    respond(
        async {
            let (draft, bytes, _) = state.app.draft_signed_file(&user.ctx(), id).await?;
            let name = format!("du-thao-{}-da-ky.pdf", draft.id);
            Ok(crate::download(&name, "application/pdf", bytes))
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
            state
                .app
                .add_draft_file(&upload.user.ctx(), id, file)
                .await?;
            Ok(Redirect::to(&format!("/app/drafts/{id}")).into_response())
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
            let (file, bytes) = state.app.draft_file(&user.ctx(), id, file_id).await?;
            Ok(crate::download(&file.name, &file.content_type, bytes))
        }
        .await,
    )
}

#[derive(Debug, Deserialize)]
pub struct StepForm {
    action: String,
    #[serde(default)]
    comment: String,
}

pub async fn step(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: UiForm<StepForm>,
) -> Response {
    respond(
        async {
            let ctx = form.user.ctx();
            let action: DraftAction = form.form.action.parse().map_err(AppError::invalid)?;
            if action == DraftAction::Sign {
                state.app.sign_draft(&ctx, id).await?;
                return Ok(Redirect::to(&format!("/app/drafts/{id}")).into_response());
            }
            if action == DraftAction::Issue {
                let document = state.app.issue_draft(&ctx, id).await?;
                return Ok(Redirect::to(&format!("/app/documents/{}", document.id)).into_response());
            }
            state
                .app
                .act_on_draft(&ctx, id, action, &form.form.comment)
                .await?;
            Ok(Redirect::to(&format!("/app/drafts/{id}")).into_response())
        }
        .await,
    )
}
