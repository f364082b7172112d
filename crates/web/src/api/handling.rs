//! `/api/v1/documents/{id}/assignments`, `/api/v1/assignments` and
//! `/api/v1/notices`: assigning incoming documents for handling, opinions,
//! completion, one's own and the overdue assignments, reminders.

use app::handling::{AssignmentLine, AssignmentView, NewAssignment};
use axum::extract::State;
use axum::http::StatusCode;
use domain::handling::{Assignment, Due, Notice, Opinion};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

use super::documents::DocumentDto;
use super::dto::{AssignmentStateName, TimelinessName};
use crate::AppState;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ReadErrors, WriteErrors};
use crate::session::ApiUser;

/// The handling time when the leader gives neither a number nor a date.
pub const DEFAULT_WORKING_DAYS: u32 = 7;

#[derive(Debug, Serialize, ToSchema)]
pub struct AssignmentDto {
    pub id: i64,
    pub document_id: i64,
    pub agency_id: i64,
    /// Người chủ trì xử lý.
    pub lead_id: i64,
    /// Người phối hợp.
    pub co_handlers: Vec<i64>,
    pub assigned_by: Option<i64>,
    pub assigned_by_label: String,
    /// Ý kiến chỉ đạo.
    pub instruction: String,
    pub assigned_on: Date,
    /// Hạn xử lý (hoàn thành trong ngày này là đúng hạn).
    pub deadline: Date,
    pub state: AssignmentStateName,
    pub completed_on: Option<Date>,
}

impl From<Assignment> for AssignmentDto {
    fn from(a: Assignment) -> Self {
        Self {
            id: a.id,
            document_id: a.document_id,
            agency_id: a.agency_id,
            lead_id: a.lead_id,
            co_handlers: a.co_handlers,
            assigned_by: a.assigned_by,
            assigned_by_label: a.assigned_by_label,
            instruction: a.instruction,
            assigned_on: a.assigned_on,
            deadline: a.deadline,
            state: AssignmentStateName(a.state),
            completed_on: a.completed_on,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OpinionDto {
    pub author_id: Option<i64>,
    pub author_label: String,
    pub text: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

impl From<Opinion> for OpinionDto {
    fn from(o: Opinion) -> Self {
        Self {
            author_id: o.author_id,
            author_label: o.author_label,
            text: o.text,
            at: o.at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssignmentDetailDto {
    pub assignment: AssignmentDto,
    pub lead_name: String,
    pub co_handler_names: Vec<String>,
    /// Ý kiến xử lý, cũ nhất trước.
    pub opinions: Vec<OpinionDto>,
    /// Tình trạng hôm nay; không có khi đã thu hồi.
    pub timeliness: Option<TimelinessName>,
}

impl From<AssignmentView> for AssignmentDetailDto {
    fn from(v: AssignmentView) -> Self {
        Self {
            lead_name: v.lead.full_name,
            co_handler_names: v.co_handlers.into_iter().map(|p| p.full_name).collect(),
            opinions: v.opinions.into_iter().map(Into::into).collect(),
            timeliness: v.timeliness.map(TimelinessName),
            assignment: v.assignment.into(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssignmentLineDto {
    pub assignment: AssignmentDto,
    pub document: DocumentDto,
    pub timeliness: Option<TimelinessName>,
}

impl From<AssignmentLine> for AssignmentLineDto {
    fn from(l: AssignmentLine) -> Self {
        Self {
            assignment: l.assignment.into(),
            document: l.document.into(),
            timeliness: l.timeliness.map(TimelinessName),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeDto {
    pub id: i64,
    pub assignment_id: i64,
    pub day: Date,
    pub text: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub read_at: Option<OffsetDateTime>,
}

impl From<Notice> for NoticeDto {
    fn from(n: Notice) -> Self {
        Self {
            id: n.id,
            assignment_id: n.assignment_id,
            day: n.day,
            text: n.text,
            created_at: n.created_at,
            read_at: n.read_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignmentInput {
    /// Người chủ trì: một cán bộ của cơ quan có văn bản hoặc đơn vị trực thuộc.
    pub lead_id: i64,
    /// Người phối hợp.
    #[serde(default)]
    pub co_handlers: Vec<i64>,
    /// Ý kiến chỉ đạo của lãnh đạo.
    #[serde(default)]
    pub instruction: String,
    /// Thời hạn xử lý tính bằng ngày làm việc kể từ hôm nay (mặc định 7).
    pub working_days: Option<u32>,
    /// Hoặc hạn xử lý là một ngày cụ thể (không dùng cùng `working_days`).
    pub deadline: Option<Date>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpinionInput {
    pub text: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteInput {
    /// Kết quả xử lý (tùy chọn), lưu như một ý kiến.
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AssignmentsQuery {
    /// `true`: các việc quá hạn ở cơ quan mình lãnh đạo, thay vì việc của mình.
    #[serde(default)]
    pub overdue: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NoticesQuery {
    /// `true`: chỉ các thông báo chưa đọc.
    #[serde(default)]
    pub unread: bool,
}

/// Lãnh đạo giao xử lý văn bản đến; việc đang mở của văn bản (nếu có) được thu hồi và thay thế.
#[utoipa::path(
    post, path = "/api/v1/documents/{id}/assignments", tag = "handling", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã số văn bản")),
    request_body = AssignmentInput,
    responses((status = 201, body = AssignmentDto), WriteErrors)
)]
pub async fn assign(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<AssignmentInput>,
) -> Result<(StatusCode, ApiJson<AssignmentDto>), ApiError> {
    let due = match (input.working_days, input.deadline) {
        (Some(_), Some(_)) => {
            return Err(app::AppError::Invalid(
                "Chỉ ghi số ngày làm việc hoặc hạn xử lý, không ghi cả hai".into(),
            )
            .into());
        }
        (Some(days), None) => Due::WorkingDays(days),
        (None, Some(date)) => Due::On(date),
        (None, None) => Due::WorkingDays(DEFAULT_WORKING_DAYS),
    };
    let new = NewAssignment {
        lead_id: input.lead_id,
        co_handlers: input.co_handlers,
        instruction: input.instruction,
        due,
    };
    let assignment = state.app.assign(&user.ctx(), id, new).await?;
    Ok((StatusCode::CREATED, ApiJson(assignment.into())))
}

/// Các lần giao xử lý của một văn bản (kể cả đã thu hồi), với ý kiến xử lý.
#[utoipa::path(
    get, path = "/api/v1/documents/{id}/assignments", tag = "handling", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã số văn bản")),
    responses((status = 200, body = Vec<AssignmentDetailDto>), ReadErrors)
)]
pub async fn document_assignments(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<Vec<AssignmentDetailDto>>, ApiError> {
    let views = state.app.assignments_of(&user.ctx(), id).await?;
    Ok(ApiJson(views.into_iter().map(Into::into).collect()))
}

/// Người xử lý (hoặc lãnh đạo) cho ý kiến xử lý.
#[utoipa::path(
    post, path = "/api/v1/assignments/{id}/opinions", tag = "handling", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã số việc giao xử lý")),
    request_body = OpinionInput,
    responses((status = 201, body = AssignmentDto), WriteErrors)
)]
pub async fn add_opinion(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<OpinionInput>,
) -> Result<(StatusCode, ApiJson<AssignmentDto>), ApiError> {
    let assignment = state.app.add_opinion(&user.ctx(), id, &input.text).await?;
    Ok((StatusCode::CREATED, ApiJson(assignment.into())))
}

/// Người chủ trì (hoặc lãnh đạo) báo hoàn thành xử lý.
#[utoipa::path(
    post, path = "/api/v1/assignments/{id}/complete", tag = "handling", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã số việc giao xử lý")),
    request_body = CompleteInput,
    responses((status = 200, body = AssignmentDto), WriteErrors)
)]
pub async fn complete(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<CompleteInput>,
) -> Result<ApiJson<AssignmentDto>, ApiError> {
    let assignment = state
        .app
        .complete_assignment(&user.ctx(), id, &input.note)
        .await?;
    Ok(ApiJson(assignment.into()))
}

/// Văn bản được giao cho tôi xử lý (chủ trì hoặc phối hợp), hạn gần nhất trước; hoặc với `overdue=true`, các việc quá hạn ở cơ quan tôi lãnh đạo.
#[utoipa::path(
    get, path = "/api/v1/assignments", tag = "handling", security(("bearer" = [])),
    params(AssignmentsQuery),
    responses((status = 200, body = Vec<AssignmentLineDto>), ReadErrors)
)]
pub async fn assignments(
    State(state): State<AppState>,
    user: ApiUser,
    ApiQuery(query): ApiQuery<AssignmentsQuery>,
) -> Result<ApiJson<Vec<AssignmentLineDto>>, ApiError> {
    let ctx = user.ctx();
    let lines = if query.overdue {
        state.app.overdue_assignments(&ctx).await?
    } else {
        state.app.my_assignments(&ctx).await?
    };
    Ok(ApiJson(lines.into_iter().map(Into::into).collect()))
}

/// Thông báo nhắc hạn xử lý của tôi, mới nhất trước.
#[utoipa::path(
    get, path = "/api/v1/notices", tag = "handling", security(("bearer" = [])),
    params(NoticesQuery),
    responses((status = 200, body = Vec<NoticeDto>), ReadErrors)
)]
pub async fn notices(
    State(state): State<AppState>,
    user: ApiUser,
    ApiQuery(query): ApiQuery<NoticesQuery>,
) -> Result<ApiJson<Vec<NoticeDto>>, ApiError> {
    let notices = state.app.my_notices(&user.ctx(), query.unread).await?;
    Ok(ApiJson(notices.into_iter().map(Into::into).collect()))
}

/// Đánh dấu đã đọc một thông báo.
#[utoipa::path(
    post, path = "/api/v1/notices/{id}/read", tag = "handling", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã số thông báo")),
    responses((status = 204), WriteErrors)
)]
pub async fn read_notice(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    state.app.mark_notice_read(&user.ctx(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
