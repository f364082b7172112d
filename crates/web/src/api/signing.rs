//! `/api/v1/signing`: signing a PDF on the signer's own token (USB token
//! or SIM PKI) in two steps, as the VGCA plugin does; and
//! `/api/v1/drafts/{id}/sign`, the leader's signature made on the server
//! with the key the CA holds for them.

use app::signing::{Signed, SigningTarget, ToSign};
use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use super::drafts::DraftDto;
use super::dto::SignatureVerdictName;
use super::exchange::read_body;
use crate::AppState;
use crate::error::{ApiError, ApiJson, ApiPath, ErrorBody, ReadErrors, WriteErrors};
use crate::session::ApiUser;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SigningInput {
    /// Chứng thư số cá nhân của người ký, do CA của hệ thống cấp cho chính người gọi và còn hiệu lực: PEM, hoặc DER mã hóa base64.
    pub certificate: String,
    /// Dự thảo đã phê duyệt chờ người gọi ký (lãnh đạo đã phê duyệt phiên bản này). Có `draft_id` thì không gửi `pdf`.
    pub draft_id: Option<i64>,
    /// Tệp PDF của riêng người gọi, mã hóa base64 (khi không ký dự thảo).
    pub pdf: Option<String>,
    /// Tên tệp PDF khi gửi `pdf`.
    pub name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SigningSessionDto {
    /// Mã phiên ký, dùng ở bước hai.
    pub id: String,
    pub draft_id: Option<i64>,
    /// Dữ liệu cần ký (DER của tập thuộc tính được ký, SET), base64: thiết bị ký dữ liệu này với `digest_algorithm`.
    pub to_sign: String,
    /// Giá trị băm của `to_sign`, base64, cho thiết bị chỉ ký giá trị băm (RSA: ký DigestInfo PKCS #1 v1.5; ECDSA: ký trực tiếp giá trị băm).
    pub digest: String,
    /// `sha256` hoặc `sha384`.
    pub digest_algorithm: String,
    /// Loại khóa của chứng thư: `rsa2048`, `rsa3072`, `rsa4096`, `p256`, `p384`.
    pub key: String,
    /// Hết hạn phiên ký.
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

impl From<ToSign> for SigningSessionDto {
    fn from(t: ToSign) -> Self {
        Self {
            id: t.session.id,
            draft_id: t.session.draft.map(|(id, _)| id),
            to_sign: BASE64.encode(&t.signed_attributes),
            digest: BASE64.encode(&t.hash),
            digest_algorithm: t.digest.name().to_owned(),
            key: t.key.to_owned(),
            expires_at: t.session.expires_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignatureInput {
    /// Chữ ký thô do thiết bị tạo trên `to_sign`, base64 (RSA: PKCS #1 v1.5; ECDSA: DER `SEQUENCE { r, s }`).
    pub signature: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SignedDto {
    pub id: String,
    /// Dự thảo đã được ký (khi phiên ký dành cho dự thảo).
    pub draft: Option<DraftDto>,
    pub name: String,
    pub sha256: String,
    pub size: u64,
    /// Tải tệp PDF đã ký.
    pub download: String,
    /// Kết quả kiểm tra chữ ký của tệp đã ký, theo CA của hệ thống.
    pub signature: SignatureVerdictName,
    pub signers: Vec<String>,
}

impl From<Signed> for SignedDto {
    fn from(s: Signed) -> Self {
        Self {
            download: format!("/api/v1/signing/{}/file", s.session.id),
            id: s.session.id,
            draft: s.draft.map(Into::into),
            name: s.session.name,
            sha256: s.session.signed_sha256.unwrap_or_default(),
            size: s.size,
            signature: SignatureVerdictName(s.verdict.0),
            signers: s.verdict.1,
        }
    }
}

/// The error answers of opening a signing session.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)] // Only described, never built: handlers answer `ApiError`.
pub enum StartErrors {
    /// Nội dung JSON sai cú pháp.
    #[response(status = 400)]
    BadRequest(ErrorBody),
    /// Chưa đăng nhập hoặc mã truy cập hết hạn.
    #[response(status = 401)]
    Unauthenticated(ErrorBody),
    /// Không có quyền ký dự thảo này.
    #[response(status = 403)]
    Forbidden(ErrorBody),
    /// Không tìm thấy dự thảo.
    #[response(status = 404)]
    NotFound(ErrorBody),
    /// Nội dung quá lớn.
    #[response(status = 413)]
    TooLarge(ErrorBody),
    /// Chứng thư không hợp lệ, không phải của người gọi hoặc hết hiệu lực; dự thảo không chờ người gọi ký; tệp không phải PDF.
    #[response(status = 422)]
    Invalid(ErrorBody),
    /// CA chưa được khởi tạo.
    #[response(status = 503)]
    Unavailable(ErrorBody),
}

/// The error answers of completing a signing session.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)] // Only described, never built: handlers answer `ApiError`.
pub enum FinishErrors {
    /// Nội dung JSON sai cú pháp.
    #[response(status = 400)]
    BadRequest(ErrorBody),
    /// Chưa đăng nhập hoặc mã truy cập hết hạn.
    #[response(status = 401)]
    Unauthenticated(ErrorBody),
    /// Không có phiên ký này của người gọi.
    #[response(status = 404)]
    NotFound(ErrorBody),
    /// Phiên ký đã hoàn tất, hoặc dự thảo đã thay đổi.
    #[response(status = 409)]
    Conflict(ErrorBody),
    /// Phiên ký đã hết hạn.
    #[response(status = 410)]
    Gone(ErrorBody),
    /// Nội dung quá lớn.
    #[response(status = 413)]
    TooLarge(ErrorBody),
    /// Thiếu Content-Type: application/json.
    #[response(status = 415)]
    UnsupportedMediaType(ErrorBody),
    /// Chữ ký không đúng base64 hoặc không khớp chứng thư.
    #[response(status = 422)]
    Invalid(ErrorBody),
}

fn base64_field(text: &str, field: &str) -> Result<Vec<u8>, ApiError> {
    BASE64.decode(text.trim()).map_err(|_| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            format!("Trường «{field}» không đúng base64"),
        )
    })
}

/// Bước 1 của ký số bằng thiết bị của người ký: máy chủ chuẩn bị tệp PDF (dự thảo chờ người gọi ký, hoặc tệp PDF của riêng người gọi) và trả về dữ liệu cần ký.
#[utoipa::path(
    post, path = "/api/v1/signing", tag = "signing", security(("bearer" = [])),
    request_body = SigningInput,
    responses((status = 201, body = SigningSessionDto), StartErrors)
)]
pub async fn start_signing(
    State(state): State<AppState>,
    user: ApiUser,
    body: Body,
) -> Result<(StatusCode, ApiJson<SigningSessionDto>), ApiError> {
    // Room for a PDF of the upload limit in base64, and the certificate.
    let max = usize::try_from(state.app.config.files.max_upload_mib)
        .unwrap_or(usize::MAX)
        .saturating_mul(1024 * 1024 / 3 * 4)
        .saturating_add(64 * 1024);
    let bytes = read_body(body, max).await?;
    let input: SigningInput = serde_json::from_slice(&bytes).map_err(|e| {
        if e.is_data() {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                format!("Dữ liệu JSON không hợp lệ: {e}"),
            )
        } else {
            ApiError::bad_request("Nội dung JSON không đúng cú pháp")
        }
    })?;
    let certificate = if input.certificate.contains("-----BEGIN") {
        input.certificate.into_bytes()
    } else {
        base64_field(&input.certificate, "certificate")?
    };
    let target = match (input.draft_id, input.pdf) {
        (Some(id), None) => SigningTarget::Draft(id),
        (None, Some(pdf)) => SigningTarget::Pdf {
            name: input.name.unwrap_or_else(|| "van-ban.pdf".into()),
            bytes: base64_field(&pdf, "pdf")?.into(),
        },
        _ => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                "Gửi đúng một trong hai: «draft_id» (dự thảo) hoặc «pdf» (tệp của riêng bạn)",
            ));
        }
    };
    let to_sign = state
        .app
        .start_signing(&user.ctx(), &certificate, target)
        .await?;
    Ok((StatusCode::CREATED, ApiJson(to_sign.into())))
}

/// Bước 2: gửi chữ ký do thiết bị tạo; máy chủ hoàn tất chữ ký trong tệp PDF và lưu tệp đã ký (với dự thảo: tệp đã ký của lãnh đạo).
#[utoipa::path(
    post, path = "/api/v1/signing/{id}", tag = "signing", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã phiên ký")),
    request_body = SignatureInput,
    responses((status = 200, body = SignedDto), FinishErrors)
)]
pub async fn finish_signing(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<SignatureInput>,
) -> Result<ApiJson<SignedDto>, ApiError> {
    let signature = base64_field(&input.signature, "signature")?;
    let signed = state
        .app
        .finish_signing(&user.ctx(), &id, &signature)
        .await?;
    Ok(ApiJson(signed.into()))
}

/// Tải tệp PDF đã ký của một phiên ký đã hoàn tất.
#[utoipa::path(
    get, path = "/api/v1/signing/{id}/file", tag = "signing", security(("bearer" = [])),
    params(("id" = String, Path, description = "Mã phiên ký")),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), ReadErrors)
)]
pub async fn signed_file(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    let (session, bytes) = state.app.signed_file(&user.ctx(), &id).await?;
    Ok(crate::download(&session.name, "application/pdf", bytes))
}

/// Lãnh đạo ký số dự thảo đã phê duyệt ngay trên máy chủ, bằng khóa của chứng thư cá nhân do CA lưu trên HSM.
#[utoipa::path(
    post, path = "/api/v1/drafts/{id}/sign", tag = "drafts", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Mã số dự thảo")),
    responses((status = 200, body = DraftDto), WriteErrors)
)]
pub async fn sign_draft(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<ApiJson<DraftDto>, ApiError> {
    Ok(ApiJson(state.app.sign_draft(&user.ctx(), id).await?.into()))
}
