//! `/api/v1/pki/...`: the certificate authority for staff — certificates
//! (list, read, issue from a CSR, revoke), requests and their workflow, the
//! CA's authorities, and the report's figures. The relying parties'
//! endpoints (CRL, OCSP, TSA) are `crate::pki`, outside the API.

use app::pki::{IssueInput, NewRequest};
use axum::extract::State;
use axum::http::StatusCode;
use domain::pki::{AuthorityRecord, CertificateRecord, CertificateRequest, Holder, RequestStep};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

use super::dto::{
    CertificateStatusName, ProfileName, RequestActionName, RequestKindName, RequestStateName,
    RevocationReasonName, TokenKindName, page_of,
};
use crate::AppState;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ReadErrors, WriteErrors};
use crate::session::ApiUser;

#[derive(Debug, Serialize, ToSchema)]
pub struct CertificateDto {
    /// Số hiệu (hệ mười sáu, chữ in hoa).
    pub serial: String,
    /// CA đã cấp: `issuing`, `root`.
    pub authority: String,
    pub profile: ProfileName,
    /// `person`, `agency` hoặc `service`.
    pub holder_kind: String,
    pub holder_id: Option<i64>,
    pub token: TokenKindName,
    pub subject: String,
    #[serde(with = "time::serde::rfc3339")]
    pub not_before: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub not_after: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub issued_at: OffsetDateTime,
    /// Chứng thư được gia hạn hoặc thay thế bởi chứng thư này.
    pub replaces: Option<String>,
    /// Tình trạng lúc trả lời.
    pub status: CertificateStatusName,
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
    pub revocation_reason: Option<RevocationReasonName>,
    /// Chứng thư dạng PEM.
    pub pem: String,
}

fn certificate_dto(c: CertificateRecord, now: OffsetDateTime) -> CertificateDto {
    CertificateDto {
        status: CertificateStatusName(c.status_at(now)),
        pem: pki::pem::encode("CERTIFICATE", &c.der).unwrap_or_default(),
        serial: c.serial,
        authority: c.authority,
        profile: ProfileName(c.profile),
        holder_kind: c.holder.kind().into(),
        holder_id: c.holder.id(),
        token: TokenKindName(c.token),
        subject: c.subject,
        not_before: c.not_before,
        not_after: c.not_after,
        issued_at: c.issued_at,
        replaces: c.replaces,
        revoked_at: c.revocation.map(|r| r.at),
        revocation_reason: c.revocation.map(|r| RevocationReasonName(r.reason)),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RequestStepDto {
    pub action: RequestActionName,
    pub by: Option<i64>,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub note: String,
}

impl From<RequestStep> for RequestStepDto {
    fn from(s: RequestStep) -> Self {
        Self {
            action: RequestActionName(s.action),
            by: s.by,
            at: s.at,
            note: s.note,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RequestDto {
    pub id: i64,
    pub kind: RequestKindName,
    pub state: RequestStateName,
    pub holder_kind: String,
    pub holder_id: Option<i64>,
    /// Cơ quan mà thủ trưởng duyệt yêu cầu.
    pub agency_id: i64,
    pub profile: ProfileName,
    pub token: TokenKindName,
    pub certificate: Option<String>,
    pub reason: Option<RevocationReasonName>,
    pub note: String,
    pub requested_by: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub requested_at: OffsetDateTime,
    /// Chứng thư đã cấp khi thực hiện.
    pub issued: Option<String>,
}

impl From<CertificateRequest> for RequestDto {
    fn from(r: CertificateRequest) -> Self {
        Self {
            id: r.id,
            kind: RequestKindName(r.kind),
            state: RequestStateName(r.state),
            holder_kind: r.holder.kind().into(),
            holder_id: r.holder.id(),
            agency_id: r.agency_id,
            profile: ProfileName(r.profile),
            token: TokenKindName(r.token),
            certificate: r.certificate,
            reason: r.reason.map(RevocationReasonName),
            note: r.note,
            requested_by: r.requested_by,
            requested_at: r.requested_at,
            issued: r.issued,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RequestDetailDto {
    pub request: RequestDto,
    /// Các bước đã làm, cũ nhất trước.
    pub steps: Vec<RequestStepDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuthorityDto {
    /// `root`, `issuing`, `ocsp`, `tsa`.
    pub name: String,
    pub profile: ProfileName,
    pub parent: Option<String>,
    pub subject: String,
    /// Nơi tải chứng thư (DER).
    pub certificate_url: String,
    /// Số của CRL gần nhất (0: chưa có).
    pub crl_number: i64,
}

impl From<AuthorityRecord> for AuthorityDto {
    fn from(a: AuthorityRecord) -> Self {
        use der::Decode;
        let subject = pki::Certificate::from_der(&a.certificate)
            .map(|c| c.tbs_certificate.subject.to_string())
            .unwrap_or_default();
        Self {
            certificate_url: format!("/pki/ca/{}.crt", a.name),
            name: a.name,
            profile: ProfileName(a.profile),
            parent: a.parent,
            subject,
            crl_number: a.crl_number,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FiguresDto {
    /// Chứng thư cấp cho cá nhân, tổ chức trong kỳ (mới và gia hạn).
    pub issued: u64,
    pub renewed: u64,
    pub revoked: u64,
    /// Còn hiệu lực cuối kỳ.
    pub valid: u64,
    pub valid_organizations: u64,
    pub valid_persons: u64,
    pub valid_usb: u64,
    pub valid_sim: u64,
    pub valid_other: u64,
    /// Còn hiệu lực cuối kỳ và hết hạn trong 30 ngày sau đó.
    pub expiring_soon: u64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueBody {
    /// `person`, `agency` (mẫu personal, organization) hoặc `service` (tls-server).
    pub holder_kind: String,
    pub holder_id: Option<i64>,
    pub profile: ProfileName,
    pub token: TokenKindName,
    /// Yêu cầu chứng thư PKCS #10 dạng PEM, tạo trên thiết bị của người được cấp.
    pub csr: String,
    /// Tên miền (mẫu tls-server).
    #[serde(default)]
    pub dns_names: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevokeBody {
    pub reason: RevocationReasonName,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestBody {
    pub kind: RequestKindName,
    /// `person` (cho chính mình) hoặc `agency` (văn thư, cho cơ quan).
    pub holder_kind: String,
    pub holder_id: i64,
    pub token: TokenKindName,
    /// Chứng thư cần gia hạn, thay đổi hoặc thu hồi.
    pub certificate: Option<String>,
    /// Lý do (khi thu hồi).
    pub reason: Option<RevocationReasonName>,
    /// CSR dạng PEM (khi cấp mới, gia hạn, thay đổi).
    pub csr: Option<String>,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionBody {
    pub action: RequestActionName,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Bỏ qua bao nhiêu chứng thư đầu (phân trang).
    #[serde(default)]
    #[param(minimum = 0)]
    pub offset: i64,
    /// Số chứng thư mỗi trang, từ 1 đến 500 (mặc định 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// Ngày đầu kỳ.
    pub from: Date,
    /// Ngày cuối kỳ (tính cả ngày này).
    pub to: Date,
}

/// A serial in the path, read before anything else: a malformed one is a
/// bad request, not a rule broken.
fn serial_in_path(serial: &str) -> Result<String, ApiError> {
    serial
        .parse::<pki::Serial>()
        .map(|s| s.to_string())
        .map_err(|e| ApiError::bad_request(e.to_string()))
}

fn holder(kind: &str, id: Option<i64>) -> Result<Holder, ApiError> {
    Holder::from_parts(kind, id).ok_or_else(|| {
        app::AppError::Invalid("Người được cấp không hợp lệ: cần person hoặc agency với mã số, hoặc service không mã số".into()).into()
    })
}

/// Các chứng thư tôi được xem (quản lý CA: tất cả), mới nhất trước.
#[utoipa::path(
    get, path = "/api/v1/pki/certificates", tag = "pki", security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = Vec<CertificateDto>), ReadErrors)
)]
pub async fn list_certificates(
    State(state): State<AppState>,
    user: ApiUser,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> Result<ApiJson<Vec<CertificateDto>>, ApiError> {
    let (offset, limit) = page_of(query.offset, query.limit)?;
    let found = state
        .app
        .certificates_for(&user.ctx(), offset, limit)
        .await?;
    let now = state.app.now();
    Ok(ApiJson(
        found.into_iter().map(|c| certificate_dto(c, now)).collect(),
    ))
}

/// Quản lý CA cấp chứng thư từ CSR.
#[utoipa::path(
    post, path = "/api/v1/pki/certificates", tag = "pki", security(("bearer" = [])),
    request_body = IssueBody,
    responses((status = 201, body = CertificateDto), WriteErrors)
)]
pub async fn issue_certificate(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<IssueBody>,
) -> Result<(StatusCode, ApiJson<CertificateDto>), ApiError> {
    let input = IssueInput {
        holder: holder(&body.holder_kind, body.holder_id)?,
        profile: body.profile.0,
        token: body.token.0,
        csr: Some(body.csr.into_bytes()),
        dns_names: body.dns_names,
        replaces: None,
        request: None,
    };
    let record = state.app.issue_certificate(&user.ctx(), input).await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(certificate_dto(record, state.app.now())),
    ))
}

/// Một chứng thư theo số hiệu.
#[utoipa::path(
    get, path = "/api/v1/pki/certificates/{serial}", tag = "pki", security(("bearer" = [])),
    params(("serial" = String, Path, description = "Số hiệu (hệ mười sáu)")),
    responses((status = 200, body = CertificateDto), ReadErrors)
)]
pub async fn get_certificate(
    State(state): State<AppState>,
    _user: ApiUser,
    ApiPath(serial): ApiPath<String>,
) -> Result<ApiJson<CertificateDto>, ApiError> {
    let record = state.app.certificate(&serial_in_path(&serial)?).await?;
    Ok(ApiJson(certificate_dto(record, state.app.now())))
}

/// Quản lý CA thu hồi chứng thư; CRL và trả lời OCSP được ký lại ngay.
#[utoipa::path(
    post, path = "/api/v1/pki/certificates/{serial}/revoke", tag = "pki", security(("bearer" = [])),
    params(("serial" = String, Path, description = "Số hiệu (hệ mười sáu)")),
    request_body = RevokeBody,
    responses((status = 200, body = CertificateDto), WriteErrors)
)]
pub async fn revoke_certificate(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(serial): ApiPath<String>,
    ApiJson(body): ApiJson<RevokeBody>,
) -> Result<ApiJson<CertificateDto>, ApiError> {
    let serial = serial_in_path(&serial)?;
    let record = state
        .app
        .revoke_certificate(&user.ctx(), &serial, body.reason.0)
        .await?;
    Ok(ApiJson(certificate_dto(record, state.app.now())))
}

/// Lập yêu cầu cấp mới, gia hạn, thay đổi hoặc thu hồi chứng thư.
#[utoipa::path(
    post, path = "/api/v1/pki/requests", tag = "pki", security(("bearer" = [])),
    request_body = RequestBody,
    responses((status = 201, body = RequestDto), WriteErrors)
)]
pub async fn submit_request(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<RequestBody>,
) -> Result<(StatusCode, ApiJson<RequestDto>), ApiError> {
    let new = NewRequest {
        kind: body.kind.0,
        holder: holder(&body.holder_kind, Some(body.holder_id))?,
        token: body.token.0,
        certificate: body.certificate,
        reason: body.reason.map(|r| r.0),
        csr: body.csr.map(String::into_bytes),
        note: body.note,
    };
    let request = state
        .app
        .submit_certificate_request(&user.ctx(), new)
        .await?;
    Ok((StatusCode::CREATED, ApiJson(request.into())))
}

/// Yêu cầu chờ tôi (duyệt, thực hiện) và yêu cầu của tôi, mới nhất trước.
#[utoipa::path(
    get, path = "/api/v1/pki/requests", tag = "pki", security(("bearer" = [])),
    responses((status = 200, body = Vec<RequestDto>), ReadErrors)
)]
pub async fn list_requests(
    State(state): State<AppState>,
    user: ApiUser,
) -> Result<ApiJson<Vec<RequestDto>>, ApiError> {
    let found = state.app.certificate_requests_for(&user.ctx()).await?;
    Ok(ApiJson(found.into_iter().map(Into::into).collect()))
}

/// Một yêu cầu với các bước đã làm.
#[utoipa::path(
    get, path = "/api/v1/pki/requests/{id}", tag = "pki", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã số yêu cầu")),
    responses((status = 200, body = RequestDetailDto), ReadErrors)
)]
pub async fn get_request(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<RequestDetailDto>, ApiError> {
    let ctx = user.ctx();
    let request = state.app.certificate_request(&ctx, id).await?;
    let steps = state.app.certificate_request_steps(&ctx, id).await?;
    Ok(ApiJson(RequestDetailDto {
        request: request.into(),
        steps: steps.into_iter().map(Into::into).collect(),
    }))
}

/// Duyệt, từ chối, hủy hoặc thực hiện (cấp, thu hồi) một yêu cầu.
#[utoipa::path(
    post, path = "/api/v1/pki/requests/{id}/actions", tag = "pki", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã số yêu cầu")),
    request_body = ActionBody,
    responses((status = 200, body = RequestDto), WriteErrors)
)]
pub async fn act_on_request(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ActionBody>,
) -> Result<ApiJson<RequestDto>, ApiError> {
    let request = state
        .app
        .act_on_certificate_request(&user.ctx(), id, body.action.0, &body.note)
        .await?;
    Ok(ApiJson(request.into()))
}

/// Các CA của tỉnh: CA gốc, CA cấp dưới, OCSP, TSA.
#[utoipa::path(
    get, path = "/api/v1/pki/authorities", tag = "pki", security(("bearer" = [])),
    responses((status = 200, body = Vec<AuthorityDto>), ReadErrors)
)]
pub async fn list_authorities(
    State(state): State<AppState>,
    _user: ApiUser,
) -> Result<ApiJson<Vec<AuthorityDto>>, ApiError> {
    Ok(ApiJson(
        state
            .app
            .authorities()
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Số liệu chứng thư số cho báo cáo: cấp, gia hạn, thu hồi trong kỳ; còn hiệu lực cuối kỳ theo loại.
#[utoipa::path(
    get, path = "/api/v1/pki/figures", tag = "pki", security(("bearer" = [])),
    params(PeriodQuery),
    responses((status = 200, body = FiguresDto), ReadErrors)
)]
pub async fn figures(
    State(state): State<AppState>,
    user: ApiUser,
    ApiQuery(query): ApiQuery<PeriodQuery>,
) -> Result<ApiJson<FiguresDto>, ApiError> {
    if query.to < query.from {
        return Err(ApiError::bad_request(
            "Ngày cuối kỳ (to) phải từ ngày đầu kỳ (from) trở đi",
        ));
    }
    let f = state
        .app
        .certificate_figures(&user.ctx(), (query.from, query.to))
        .await?;
    Ok(ApiJson(FiguresDto {
        issued: f.issued,
        renewed: f.renewed,
        revoked: f.revoked,
        valid: f.valid,
        valid_organizations: f.valid_organizations,
        valid_persons: f.valid_persons,
        valid_usb: f.valid_usb,
        valid_sim: f.valid_sim,
        valid_other: f.valid_other,
        expiring_soon: f.expiring_soon,
    }))
}
