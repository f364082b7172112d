//! Files of documents and edXML packages over the API: uploads and
//! packages arrive as raw bodies (not JSON), read up to their own limits.

use app::document_files::NewFile;
use app::exchange::Received;
use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use domain::agencies::AgencyCode;
use domain::documents::DocumentFile;
use http_body_util::BodyExt as _;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::documents::DocumentDto;
use super::dto::SignatureVerdictName;
use crate::AppState;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, ReadErrors, WriteErrors};
use crate::session::ApiUser;

/// The largest edXML package read: its attachments travel base64'd
/// inside it, so it is larger than the files it carries.
const MAX_PACKAGE_BYTES: usize = 64 * 1024 * 1024;
/// A status message is a header and a few lines.
const MAX_STATUS_BYTES: usize = 1024 * 1024;

/// Reads a raw body of at most `max` bytes; a larger one is refused
/// without reading the rest.
pub(super) async fn read_body(body: Body, max: usize) -> Result<Bytes, ApiError> {
    http_body_util::Limited::new(body, max)
        .collect()
        .await
        .map(http_body_util::Collected::to_bytes)
        .map_err(|_| {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!(
                    "Nội dung gửi lên quá lớn (tối đa {} MB)",
                    max / (1024 * 1024)
                ),
            )
        })
}

/// Reads an uploaded file's body, up to the configured upload limit.
pub async fn read_upload(state: &AppState, body: Body) -> Result<Bytes, ApiError> {
    let max = usize::try_from(state.app.config.files.max_upload_mib)
        .unwrap_or(usize::MAX)
        .saturating_mul(1024 * 1024);
    read_body(body, max).await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FileDto {
    pub id: i64,
    pub document_id: i64,
    /// Thứ tự, từ 0; tệp đầu tiên là văn bản, các tệp sau là phụ lục.
    pub position: u32,
    /// `main` (tệp văn bản) hoặc `appendix` (phụ lục).
    pub role: String,
    pub name: String,
    pub description: String,
    pub content_type: String,
    pub sha256: String,
    pub size: u64,
    /// Kết quả kiểm tra chữ ký số khi tệp được ghi nhận, theo CA của hệ thống.
    pub signature: SignatureVerdictName,
    /// Người ký (tên trong chứng thư), theo thứ tự ký.
    pub signers: Vec<String>,
}

impl From<DocumentFile> for FileDto {
    fn from(f: DocumentFile) -> Self {
        Self {
            id: f.id,
            document_id: f.document_id,
            position: f.position,
            role: f.role.as_str().to_owned(),
            name: f.name,
            description: f.description,
            content_type: f.content_type,
            sha256: f.sha256,
            size: f.size,
            signature: SignatureVerdictName(f.signature),
            signers: f.signers,
        }
    }
}

impl UploadQuery {
    /// The file sent as the body, named by the query.
    pub fn file(self, bytes: Bytes) -> NewFile {
        NewFile {
            name: self.name,
            description: self.description,
            content_type: None,
            bytes,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// Tên tệp: "KH-chuyen-doi-so.pdf".
    pub name: String,
    #[serde(default)]
    pub description: String,
}

/// Các tệp của một văn bản.
#[utoipa::path(
    get, path = "/api/v1/documents/{id}/files", tag = "documents", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã số văn bản")),
    responses((status = 200, body = Vec<FileDto>), ReadErrors)
)]
pub async fn list_files(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<Vec<FileDto>>, ApiError> {
    let files = state.app.document_files(&user.ctx(), id).await?;
    Ok(ApiJson(files.into_iter().map(Into::into).collect()))
}

/// Đính kèm một tệp (PDF, DOCX...) vào văn bản đã vào sổ; thân yêu cầu là nội dung tệp.
#[utoipa::path(
    post, path = "/api/v1/documents/{id}/files", tag = "documents", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã số văn bản"), UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = FileDto), WriteErrors)
)]
pub async fn upload_file(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<UploadQuery>,
    body: Body,
) -> Result<(StatusCode, ApiJson<FileDto>), ApiError> {
    let file = query.file(read_upload(&state, body).await?);
    let file = state.app.attach_file(&user.ctx(), id, file).await?;
    Ok((StatusCode::CREATED, ApiJson(file.into())))
}

/// Tải một tệp của văn bản.
#[utoipa::path(
    get, path = "/api/v1/documents/{id}/files/{file_id}", tag = "documents", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã số văn bản"), ("file_id" = i64, Path, description = "Mã số tệp")),
    responses((status = 200, description = "Nội dung tệp, với kiểu (Content-Type) đã ghi nhận khi tải lên: PDF, DOCX, ảnh...", content_type = "*/*", body = Vec<u8>), ReadErrors)
)]
pub async fn download_file(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath((id, file_id)): ApiPath<(i64, i64)>,
) -> Result<Response, ApiError> {
    let (file, bytes) = state.app.document_file(&user.ctx(), id, file_id).await?;
    Ok(crate::download(&file.name, &file.content_type, bytes))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendInput {
    /// Mã định danh các nơi nhận, ví dụ `["000.00.02.H59"]`.
    pub to: Vec<String>,
}

/// Gửi văn bản đi: tạo gói edXML (QCVN 102:2016) cho các nơi nhận.
#[utoipa::path(
    post, path = "/api/v1/documents/{id}/edxml", tag = "documents", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã số văn bản")),
    request_body = SendInput,
    responses((status = 200, content_type = "application/xml", body = String), WriteErrors)
)]
pub async fn export_edxml(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<SendInput>,
) -> Result<Response, ApiError> {
    let to = input
        .to
        .iter()
        .map(|code| code.parse::<AgencyCode>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(app::AppError::invalid)?;
    let bytes = state.app.export_edxml(&user.ctx(), id, &to).await?;
    Ok(crate::download(
        &format!("van-ban-{id}.edxml"),
        "application/xml",
        bytes.into(),
    ))
}

/// Nhận gói edXML vào sổ văn bản đến; gói đã nhận (cùng DocumentId) trả 200 và không vào sổ lại.
#[utoipa::path(
    post, path = "/api/v1/agencies/{id}/edxml", tag = "documents", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã số cơ quan nhận")),
    request_body(content = String, content_type = "application/xml"),
    responses(
        (status = 201, description = "Đã vào sổ", body = DocumentDto),
        (status = 200, description = "Đã nhận trước đó", body = DocumentDto),
        WriteErrors
    )
)]
pub async fn import_edxml(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
    body: Body,
) -> Result<Response, ApiError> {
    let bytes = read_body(body, MAX_PACKAGE_BYTES).await?;
    Ok(
        match state.app.import_edxml(&user.ctx(), id, &bytes).await? {
            Received::Registered(d) => {
                (StatusCode::CREATED, ApiJson(DocumentDto::from(d))).into_response()
            }
            Received::AlreadyReceived(d) => {
                (StatusCode::OK, ApiJson(DocumentDto::from(d))).into_response()
            }
        },
    )
}

/// Nhận thông điệp trạng thái edXML nơi nhận gửi lại về một văn bản đi đã gửi; thông điệp đã nhận trả 200.
#[utoipa::path(
    post, path = "/api/v1/agencies/{id}/edxml-status", tag = "documents", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã số cơ quan đã gửi văn bản")),
    request_body(content = String, content_type = "application/xml"),
    responses(
        (status = 201, description = "Đã ghi nhận", body = DocumentDto),
        (status = 200, description = "Đã ghi nhận trước đó", body = DocumentDto),
        WriteErrors
    )
)]
pub async fn receive_status(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
    body: Body,
) -> Result<Response, ApiError> {
    let bytes = read_body(body, MAX_STATUS_BYTES).await?;
    let (document, new) = state
        .app
        .receive_edxml_status(&user.ctx(), id, &bytes)
        .await?;
    let status = if new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, ApiJson(DocumentDto::from(document))).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusInput {
    /// Mã trạng thái: 1 đã đến, 2 từ chối, 3 đã tiếp nhận, 4 chờ phân công,
    /// 5 đang xử lý, 6 hoàn thành, 13 đã thu hồi, 15 đồng ý thu hồi/cập nhật, 16 từ chối thu hồi/cập nhật.
    pub code: u8,
    #[serde(default)]
    pub description: String,
}

/// Thông điệp trạng thái edXML gửi lại nơi gửi về một văn bản đến đã nhận qua trục.
#[utoipa::path(
    post, path = "/api/v1/documents/{id}/edxml-status", tag = "documents", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã số văn bản đến")),
    request_body = StatusInput,
    responses((status = 200, content_type = "application/xml", body = String), WriteErrors)
)]
pub async fn status_edxml(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<StatusInput>,
) -> Result<Response, ApiError> {
    let bytes = state
        .app
        .edxml_status(&user.ctx(), id, input.code, &input.description)
        .await?;
    Ok(crate::download(
        &format!("trang-thai-{id}.edxml"),
        "application/xml",
        bytes.into(),
    ))
}
