//! `/api/v1/services`: public services for other systems and the desk's
//! own tools — the procedures in force, dossiers received at the desk,
//! a dossier with its history, the workflow's steps, and the report's
//! figures for an agency and a period.

use app::services::NewDossier;
use app::services_figures::LevelFigures;
use axum::extract::State;
use axum::http::StatusCode;
use domain::services::workflow::{Step, StepInput};
use domain::services::{Applicant, Dossier, DossierCode, Paper, Procedure};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

use super::dto::{ActionName, ApplicantKindName, ChannelName, StageName};
use crate::AppState;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ReadErrors, WriteErrors};
use crate::session::ApiUser;

/// A dossier code in the path, read before anything else: a malformed one
/// is a bad request, not a rule broken.
fn code_in_path(code: &str) -> Result<String, ApiError> {
    code.parse::<DossierCode>()
        .map(|c| c.to_string())
        .map_err(|e| ApiError::bad_request(e.to_string()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProcedureDto {
    pub id: i64,
    pub agency_id: i64,
    /// Mã thủ tục trên Cơ sở dữ liệu quốc gia, ví dụ `1.000894`.
    pub national_code: String,
    pub name: String,
    /// Lĩnh vực.
    pub field: Option<String>,
    /// Mức độ dịch vụ công, 1 đến 4.
    pub level: u8,
    /// Thời hạn giải quyết, ngày làm việc.
    pub processing_days: u32,
    /// Phí, lệ phí, đồng.
    pub fee: u64,
    pub effective_from: Date,
    pub effective_to: Option<Date>,
    pub version: u32,
}

impl From<Procedure> for ProcedureDto {
    fn from(p: Procedure) -> Self {
        Self {
            id: p.id,
            agency_id: p.agency_id,
            national_code: p.national_code,
            name: p.name,
            field: p.field,
            level: p.level.number(),
            processing_days: p.processing_days,
            fee: p.fee,
            effective_from: p.effective_from,
            effective_to: p.effective_to,
            version: p.version,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicantDto {
    /// Họ và tên, hoặc tên tổ chức.
    pub name: String,
    pub kind: ApplicantKindName,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaperDto {
    /// Tên giấy tờ (thành phần hồ sơ).
    pub name: String,
    /// Số bản.
    pub copies: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DossierDto {
    pub id: i64,
    /// Mã hồ sơ `{mã cơ quan}-{yymmdd}-{số thứ tự}`.
    pub code: String,
    pub agency_id: i64,
    pub procedure_id: i64,
    pub channel: ChannelName,
    pub stage: StageName,
    /// Trạng thái theo Cổng Dịch vụ công quốc gia, 1 đến 10.
    pub status: u8,
    pub applicant: ApplicantDto,
    #[serde(with = "time::serde::rfc3339")]
    pub received_at: OffsetDateTime,
    /// Ngày hẹn trả theo thời hạn giải quyết.
    pub due_on: Date,
    /// Ngày hẹn lại sau thư xin lỗi, nếu có.
    pub promised_on: Option<Date>,
    pub handler_id: Option<i64>,
    pub result_document_id: Option<i64>,
    pub papers: Vec<PaperDto>,
    /// Số tệp đính kèm.
    pub files: usize,
}

impl From<Dossier> for DossierDto {
    fn from(d: Dossier) -> Self {
        Self {
            id: d.id,
            code: d.code,
            agency_id: d.agency_id,
            procedure_id: d.procedure_id,
            channel: ChannelName(d.channel),
            stage: StageName(d.stage),
            status: d.status.code(),
            applicant: ApplicantDto {
                name: d.applicant.name,
                kind: ApplicantKindName(d.applicant.kind),
                phone: d.applicant.phone,
                email: d.applicant.email,
                address: d.applicant.address,
            },
            received_at: d.received_at,
            due_on: d.due_on,
            promised_on: d.promised_on,
            handler_id: d.handler_id,
            result_document_id: d.result_document_id,
            papers: d
                .papers
                .into_iter()
                .map(|p| PaperDto {
                    name: p.name,
                    copies: p.copies,
                })
                .collect(),
            files: d.files.len(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StepDto {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub action: ActionName,
    pub actor_id: Option<i64>,
    pub actor_label: String,
    /// Bước đưa hồ sơ tới giai đoạn này.
    pub stage: StageName,
    pub note: String,
}

impl From<Step> for StepDto {
    fn from(s: Step) -> Self {
        Self {
            at: s.at,
            action: ActionName(s.action),
            actor_id: s.actor_id,
            actor_label: s.actor_label,
            stage: StageName(s.stage),
            note: s.note,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DossierDetailDto {
    pub dossier: DossierDto,
    /// Quá trình xử lý, cũ nhất trước.
    pub steps: Vec<StepDto>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProcedureQuery {
    /// Từ khóa trong mã hoặc tên thủ tục (không phân biệt dấu, hoa thường).
    #[serde(default)]
    pub q: String,
    /// Chỉ thủ tục của cơ quan này.
    pub agency_id: Option<i64>,
    /// Chỉ thủ tục thuộc lĩnh vực này.
    pub field: Option<String>,
}

/// Các thủ tục đang có hiệu lực, theo tên.
#[utoipa::path(
    get, path = "/api/v1/services/procedures", tag = "services", security(("bearer" = [])),
    params(ProcedureQuery),
    responses((status = 200, body = Vec<ProcedureDto>), ReadErrors)
)]
pub async fn list_procedures(
    State(state): State<AppState>,
    _user: ApiUser,
    ApiQuery(query): ApiQuery<ProcedureQuery>,
) -> Result<ApiJson<Vec<ProcedureDto>>, ApiError> {
    let found = state
        .app
        .find_procedures(&query.q, query.agency_id, query.field.as_deref())
        .await?;
    Ok(ApiJson(found.into_iter().map(Into::into).collect()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DossierInput {
    pub procedure_id: i64,
    /// `desk` (trực tiếp) hoặc `post` (bưu chính công ích); hồ sơ trực tuyến nộp qua Cổng.
    pub channel: ChannelName,
    pub applicant: ApplicantDto,
    /// Giấy tờ đã nhận.
    pub papers: Vec<PaperDto>,
}

/// Bộ phận một cửa tiếp nhận hồ sơ (trực tiếp hoặc qua bưu chính): cấp mã và ngày hẹn trả.
#[utoipa::path(
    post, path = "/api/v1/services/dossiers", tag = "services", security(("bearer" = [])),
    request_body = DossierInput,
    responses((status = 201, body = DossierDto), WriteErrors)
)]
pub async fn receive_dossier(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(input): ApiJson<DossierInput>,
) -> Result<(StatusCode, ApiJson<DossierDto>), ApiError> {
    let a = input.applicant;
    let new = NewDossier {
        procedure_id: input.procedure_id,
        channel: input.channel.0,
        applicant: Applicant {
            name: a.name,
            kind: a.kind.0,
            phone: a.phone,
            email: a.email,
            address: a.address,
        },
        papers: input
            .papers
            .into_iter()
            .map(|p| Paper {
                name: p.name,
                copies: p.copies,
            })
            .collect(),
        files: Vec::new(),
    };
    let dossier = state.app.receive_dossier(&user.ctx(), new).await?;
    Ok((StatusCode::CREATED, ApiJson(dossier.into())))
}

/// Một hồ sơ và quá trình xử lý (cho bộ phận một cửa, lãnh đạo và người thụ lý của cơ quan).
#[utoipa::path(
    get, path = "/api/v1/services/dossiers/{code}", tag = "services", security(("bearer" = [])),
    params(("code" = String, Path, description = "Mã hồ sơ, ví dụ 000.00.11.H59-210428-0001")),
    responses((status = 200, body = DossierDetailDto), ReadErrors)
)]
pub async fn get_dossier(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(code): ApiPath<String>,
) -> Result<ApiJson<DossierDetailDto>, ApiError> {
    let code = code_in_path(&code)?;
    let ctx = user.ctx();
    let dossier = state.app.dossier_by_code(&ctx, &code).await?;
    let steps = state.app.dossier_steps(&ctx, &code).await?;
    Ok(ApiJson(DossierDetailDto {
        dossier: dossier.into(),
        steps: steps.into_iter().map(Into::into).collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepBody {
    pub action: ActionName,
    /// Lý do hoặc ghi chú (bắt buộc khi từ chối, yêu cầu bổ sung, xin lỗi…).
    #[serde(default)]
    pub note: String,
    /// Với `assign`: người thụ lý.
    pub handler_id: Option<i64>,
    /// Với `apologise`: ngày hẹn lại.
    pub promised_on: Option<Date>,
    /// Với `attach_result`: văn bản kết quả đã phát hành.
    pub result_document_id: Option<i64>,
}

/// Thực hiện một bước xử lý hồ sơ (tiếp nhận, chuyển thụ lý, trình, duyệt, trả kết quả…).
#[utoipa::path(
    post, path = "/api/v1/services/dossiers/{code}/steps", tag = "services", security(("bearer" = [])),
    params(("code" = String, Path, description = "Mã hồ sơ")),
    request_body = StepBody,
    responses((status = 200, body = DossierDto), WriteErrors)
)]
pub async fn take_step(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(code): ApiPath<String>,
    ApiJson(body): ApiJson<StepBody>,
) -> Result<ApiJson<DossierDto>, ApiError> {
    let input = StepInput {
        action: body.action.0,
        note: body.note,
        handler_id: body.handler_id,
        promised_on: body.promised_on,
        result_document_id: body.result_document_id,
    };
    let code = code_in_path(&code)?;
    let dossier = state.app.take_step(&user.ctx(), &code, input).await?;
    Ok(ApiJson(dossier.into()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LevelFiguresDto {
    /// Mức độ, 1 đến 4.
    pub level: u8,
    pub desk: u64,
    pub online: u64,
    pub post: u64,
    /// Tỷ lệ trực tuyến như báo cáo ghi, ví dụ "16,8%".
    pub online_percent: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServicesFiguresDto {
    /// Hồ sơ tiếp nhận trong kỳ theo mức độ.
    pub by_level: Vec<LevelFiguresDto>,
    pub desk: u64,
    pub online: u64,
    pub post: u64,
    /// Trả kết quả trong kỳ: trước hạn, đúng hạn, trễ hạn.
    pub early: u64,
    pub on_time: u64,
    pub late: u64,
    /// Đang giải quyết cuối kỳ, và trong đó quá hạn.
    pub pending: u64,
    pub overdue: u64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FiguresQuery {
    /// Cơ quan (tính cả các đơn vị trực thuộc).
    pub agency_id: i64,
    /// Ngày đầu kỳ.
    pub from: Date,
    /// Ngày cuối kỳ (tính cả ngày này).
    pub to: Date,
}

/// Số liệu dịch vụ công cho báo cáo: tiếp nhận theo mức độ và hình thức, kết quả giải quyết, tồn.
#[utoipa::path(
    get, path = "/api/v1/services/figures", tag = "services", security(("bearer" = [])),
    params(FiguresQuery),
    responses((status = 200, body = ServicesFiguresDto), ReadErrors)
)]
pub async fn figures(
    State(state): State<AppState>,
    user: ApiUser,
    ApiQuery(query): ApiQuery<FiguresQuery>,
) -> Result<ApiJson<ServicesFiguresDto>, ApiError> {
    if query.to < query.from {
        return Err(ApiError::bad_request(
            "Ngày cuối kỳ (to) phải từ ngày đầu kỳ (from) trở đi",
        ));
    }
    let period = (query.from, query.to);
    let f = state
        .app
        .services_figures(&user.ctx(), query.agency_id, period)
        .await?;
    let level = |(level, l): (&domain::services::Level, &LevelFigures)| LevelFiguresDto {
        level: level.number(),
        desk: l.desk,
        online: l.online,
        post: l.post,
        online_percent: l.online_percent.clone(),
    };
    Ok(ApiJson(ServicesFiguresDto {
        by_level: f.by_level.iter().map(level).collect(),
        desk: f.desk,
        online: f.online,
        post: f.post,
        early: f.early,
        on_time: f.on_time,
        late: f.late,
        pending: f.pending,
        overdue: f.overdue,
    }))
}
