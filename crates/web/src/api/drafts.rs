//! `/api/v1/drafts` and `/api/v1/tasks`: drafting, the approval steps, and
//! what waits for the caller.

use app::drafts::{DraftView, NewDraft, Tasks};
use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use domain::documents::{Confidentiality, Urgency};
use domain::drafts::{Draft, DraftFile, DraftStep};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use super::documents::DocumentDto;
use super::dto::{ConfidentialityName, DraftActionName, DraftStateName, UrgencyName};
use super::exchange::{UploadQuery, read_upload};
use crate::AppState;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ReadErrors, WriteErrors};
use crate::session::ApiUser;

#[derive(Debug, Serialize, ToSchema)]
pub struct DraftDto {
    pub id: i64,
    pub agency_id: i64,
    pub drafting_unit_id: Option<i64>,
    pub author_id: i64,
    pub doc_type: String,
    pub summary: String,
    pub signer: Option<String>,
    pub urgency: UrgencyName,
    pub confidentiality: ConfidentialityName,
    pub field: Option<String>,
    /// Cơ quan nhận trong hệ thống (vào sổ văn bản đến khi phát hành).
    pub recipients: Vec<i64>,
    /// Các dòng khác của "Nơi nhận".
    pub other_recipients: Vec<String>,
    pub state: DraftStateName,
    pub version: u32,
    /// Văn bản đã phát hành.
    pub document_id: Option<i64>,
}

impl From<Draft> for DraftDto {
    fn from(d: Draft) -> Self {
        Self {
            id: d.id,
            agency_id: d.agency_id,
            drafting_unit_id: d.drafting_unit_id,
            author_id: d.author_id,
            doc_type: d.doc_type,
            summary: d.summary,
            signer: d.signer,
            urgency: UrgencyName(d.urgency),
            confidentiality: ConfidentialityName(d.confidentiality),
            field: d.field,
            recipients: d.recipients,
            other_recipients: d.other_recipients,
            state: DraftStateName(d.state),
            version: d.version,
            document_id: d.document_id,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DraftFileDto {
    pub id: i64,
    pub version: u32,
    pub position: u32,
    pub name: String,
    pub description: String,
    pub content_type: String,
    pub sha256: String,
    pub size: u64,
}

impl From<DraftFile> for DraftFileDto {
    fn from(f: DraftFile) -> Self {
        Self {
            id: f.id,
            version: f.version,
            position: f.position,
            name: f.name,
            description: f.description,
            content_type: f.content_type,
            sha256: f.sha256,
            size: f.size,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DraftStepDto {
    pub action: DraftActionName,
    pub actor_id: Option<i64>,
    pub actor_label: String,
    pub comment: String,
    pub version: u32,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

impl From<DraftStep> for DraftStepDto {
    fn from(s: DraftStep) -> Self {
        Self {
            action: DraftActionName(s.action),
            actor_id: s.actor_id,
            actor_label: s.actor_label,
            comment: s.comment,
            version: s.version,
            at: s.at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DraftDetailDto {
    pub draft: DraftDto,
    /// Các tệp của phiên bản hiện tại.
    pub files: Vec<DraftFileDto>,
    /// Lịch sử xử lý, cũ nhất trước.
    pub steps: Vec<DraftStepDto>,
}

impl From<DraftView> for DraftDetailDto {
    fn from(v: DraftView) -> Self {
        Self {
            draft: v.draft.into(),
            files: v.files.into_iter().map(Into::into).collect(),
            steps: v.steps.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftInput {
    /// Cơ quan ban hành.
    pub agency_id: i64,
    /// Đơn vị soạn thảo (lãnh đạo đơn vị duyệt trước khi trình lãnh đạo cơ quan).
    pub drafting_unit_id: Option<i64>,
    #[schema(example = "Công văn")]
    pub doc_type: String,
    pub summary: String,
    pub signer: Option<String>,
    pub urgency: Option<UrgencyName>,
    pub confidentiality: Option<ConfidentialityName>,
    pub field: Option<String>,
    #[serde(default)]
    pub recipients: Vec<i64>,
    #[serde(default)]
    pub other_recipients: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionInput {
    /// `submit` (trình), `endorse` (lãnh đạo đơn vị đồng ý), `approve` (phê duyệt), `return` (trả lại, cần ý kiến).
    pub action: DraftActionName,
    #[serde(default)]
    pub comment: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TasksDto {
    pub to_review: Vec<DraftDto>,
    pub to_approve: Vec<DraftDto>,
    /// Dự thảo tôi đã phê duyệt, chờ tôi ký số.
    pub to_sign: Vec<DraftDto>,
    pub to_issue: Vec<DraftDto>,
    pub mine: Vec<DraftDto>,
}

impl From<Tasks> for TasksDto {
    fn from(t: Tasks) -> Self {
        let dtos = |list: Vec<Draft>| list.into_iter().map(Into::into).collect();
        Self {
            to_review: dtos(t.to_review),
            to_approve: dtos(t.to_approve),
            to_sign: dtos(t.to_sign),
            to_issue: dtos(t.to_issue),
            mine: dtos(t.mine),
        }
    }
}

/// Tạo dự thảo văn bản đi.
#[utoipa::path(
    post, path = "/api/v1/drafts", tag = "drafts", security(("bearer" = [])),
    request_body = DraftInput,
    responses((status = 201, body = DraftDto), WriteErrors)
)]
pub async fn create_draft(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(input): ApiJson<DraftInput>,
) -> Result<(StatusCode, ApiJson<DraftDto>), ApiError> {
    let new = NewDraft {
        agency_id: input.agency_id,
        drafting_unit_id: input.drafting_unit_id,
        doc_type: input.doc_type,
        summary: input.summary,
        signer: input.signer,
        urgency: input.urgency.map_or(Urgency::Normal, |u| u.0),
        confidentiality: input
            .confidentiality
            .map_or(Confidentiality::Normal, |c| c.0),
        field: input.field,
        recipients: input.recipients,
        other_recipients: input.other_recipients,
    };
    let draft = state.app.create_draft(&user.ctx(), new).await?;
    Ok((StatusCode::CREATED, ApiJson(draft.into())))
}

/// Một dự thảo, các tệp của phiên bản hiện tại và lịch sử.
#[utoipa::path(
    get, path = "/api/v1/drafts/{id}", tag = "drafts", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã số dự thảo")),
    responses((status = 200, body = DraftDetailDto), ReadErrors)
)]
pub async fn get_draft(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<DraftDetailDto>, ApiError> {
    Ok(ApiJson(state.app.draft(&user.ctx(), id).await?.into()))
}

/// Thêm tệp vào phiên bản hiện tại của dự thảo; thân yêu cầu là nội dung tệp.
#[utoipa::path(
    post, path = "/api/v1/drafts/{id}/files", tag = "drafts", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã số dự thảo"), UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = DraftFileDto), WriteErrors)
)]
pub async fn add_draft_file(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<UploadQuery>,
    body: Body,
) -> Result<(StatusCode, ApiJson<DraftFileDto>), ApiError> {
    let file = query.file(read_upload(&state, body).await?);
    let file = state.app.add_draft_file(&user.ctx(), id, file).await?;
    Ok((StatusCode::CREATED, ApiJson(file.into())))
}

/// Tải một tệp của dự thảo.
#[utoipa::path(
    get, path = "/api/v1/drafts/{id}/files/{file_id}", tag = "drafts", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã số dự thảo"), ("file_id" = i64, Path, description = "Mã số tệp")),
    responses((status = 200, description = "Nội dung tệp, với kiểu (Content-Type) đã ghi nhận khi tải lên: PDF, DOCX...", content_type = "*/*", body = Vec<u8>), ReadErrors)
)]
pub async fn download_draft_file(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath((id, file_id)): ApiPath<(i64, i64)>,
) -> Result<Response, ApiError> {
    let (file, bytes) = state.app.draft_file(&user.ctx(), id, file_id).await?;
    Ok(crate::download(&file.name, &file.content_type, bytes))
}

/// Một bước duyệt: trình, đồng ý, phê duyệt hoặc trả lại (kèm ý kiến).
#[utoipa::path(
    post, path = "/api/v1/drafts/{id}/actions", tag = "drafts", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã số dự thảo")),
    request_body = ActionInput,
    responses((status = 200, body = DraftDto), WriteErrors)
)]
pub async fn act_on_draft(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ActionInput>,
) -> Result<ApiJson<DraftDto>, ApiError> {
    let draft = state
        .app
        .act_on_draft(&user.ctx(), id, input.action.0, &input.comment)
        .await?;
    Ok(ApiJson(draft.into()))
}

/// Văn thư cấp số, phát hành dự thảo đã phê duyệt và chuyển đến các nơi nhận trong hệ thống.
#[utoipa::path(
    post, path = "/api/v1/drafts/{id}/issue", tag = "drafts", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã số dự thảo")),
    responses((status = 201, body = DocumentDto), WriteErrors)
)]
pub async fn issue_draft(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<(StatusCode, ApiJson<DocumentDto>), ApiError> {
    let document = state.app.issue_draft(&user.ctx(), id).await?;
    Ok((StatusCode::CREATED, ApiJson(document.into())))
}

/// Việc của tôi: dự thảo chờ duyệt, chờ phê duyệt, chờ ký số, chờ phát hành, và dự thảo của tôi.
#[utoipa::path(
    get, path = "/api/v1/tasks", tag = "drafts", security(("bearer" = [])),
    responses((status = 200, body = TasksDto), ReadErrors)
)]
pub async fn tasks(
    State(state): State<AppState>,
    user: ApiUser,
) -> Result<ApiJson<TasksDto>, ApiError> {
    Ok(ApiJson(state.app.my_tasks(&user.ctx()).await?.into()))
}
