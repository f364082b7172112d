//! The one place where errors become HTTP statuses.
//!
//! Invariant: the API always answers errors as `{"code","message"}` with a
//! stable code and a Vietnamese message; internal details go to the log.

use app::AppError;
use axum::Json;
use axum::extract::rejection::{FormRejection, JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `invalid`, `forbidden`.
    pub code: String,
    /// What went wrong, in Vietnamese.
    pub message: String,
}

/// An error answered as JSON.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    /// A request malformed before any rule applies (a path or query that
    /// cannot be read): 400.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }
}

/// The HTTP status of an application error.
pub fn status_of(err: &AppError) -> StatusCode {
    match err {
        AppError::Unauthenticated | AppError::BadCredentials => StatusCode::UNAUTHORIZED,
        AppError::Locked => StatusCode::LOCKED,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::Expired(_) => StatusCode::GONE,
        AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<AppError> for ApiError {
    fn from(err: AppError) -> Self {
        Self {
            status: status_of(&err),
            code: err.code(),
            message: err.to_string(),
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        let (status, message) = match &rejection {
            JsonRejection::MissingJsonContentType(_) => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Yêu cầu phải có Content-Type: application/json".to_owned(),
            ),
            JsonRejection::JsonSyntaxError(_) => (
                StatusCode::BAD_REQUEST,
                "Nội dung JSON không đúng cú pháp".to_owned(),
            ),
            JsonRejection::JsonDataError(e) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("Dữ liệu JSON không hợp lệ: {}", e.body_text()),
            ),
            other => (other.status(), "Không đọc được nội dung yêu cầu".to_owned()),
        };
        Self::new(status, "bad_request", message)
    }
}

/// Rejections of the request's parts that mean "bad request", each named
/// in Vietnamese by what was wrong.
macro_rules! bad_request_from {
    ($rejection:ty, $what:literal) => {
        impl From<$rejection> for ApiError {
            fn from(rejection: $rejection) -> Self {
                Self::new(
                    StatusCode::BAD_REQUEST,
                    "bad_request",
                    format!(concat!($what, " không hợp lệ: {}"), rejection.body_text()),
                )
            }
        }
    };
}

bad_request_from!(QueryRejection, "Tham số");
bad_request_from!(PathRejection, "Đường dẫn");
bad_request_from!(FormRejection, "Biểu mẫu");

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            tracing::error!(code = self.code, message = %self.message, "request failed");
        }
        let unauthorized = self.status == StatusCode::UNAUTHORIZED;
        let body = ErrorBody {
            code: self.code.to_owned(),
            message: self.message,
        };
        let mut response = (self.status, Json(body)).into_response();
        if unauthorized {
            // RFC 9110: a 401 names the scheme that would be accepted.
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer realm=\"egov\""),
            );
        }
        response
    }
}

/// A JSON body whose rejections answer in our error shape.
#[derive(Debug, axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

impl<T: Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        Json(self.0).into_response()
    }
}

/// Query parameters whose rejections answer in our error shape.
#[derive(Debug, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// Path parameters whose rejections answer in our error shape.
#[derive(Debug, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// The error answers of an API read, for the OpenAPI description.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)] // Only described, never built: handlers answer `ApiError`.
pub enum ReadErrors {
    /// Tham số hoặc đường dẫn không hợp lệ.
    #[response(status = 400)]
    BadRequest(ErrorBody),
    /// Chưa đăng nhập hoặc mã truy cập hết hạn.
    #[response(status = 401)]
    Unauthenticated(ErrorBody),
    /// Không có quyền.
    #[response(status = 403)]
    Forbidden(ErrorBody),
    /// Không tìm thấy.
    #[response(status = 404)]
    NotFound(ErrorBody),
}

/// The error answers of an API change, for the OpenAPI description.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)] // Only described, never built: handlers answer `ApiError`.
pub enum WriteErrors {
    /// Nội dung sai cú pháp.
    #[response(status = 400)]
    BadRequest(ErrorBody),
    /// Chưa đăng nhập hoặc mã truy cập hết hạn.
    #[response(status = 401)]
    Unauthenticated(ErrorBody),
    /// Không có quyền.
    #[response(status = 403)]
    Forbidden(ErrorBody),
    /// Không tìm thấy.
    #[response(status = 404)]
    NotFound(ErrorBody),
    /// Trùng dữ liệu đã có.
    #[response(status = 409)]
    Conflict(ErrorBody),
    /// Thiếu Content-Type: application/json.
    #[response(status = 415)]
    UnsupportedMediaType(ErrorBody),
    /// Dữ liệu vi phạm quy tắc nghiệp vụ.
    #[response(status = 422)]
    Invalid(ErrorBody),
    /// Dịch vụ chưa sẵn sàng (ví dụ CA chưa được khởi tạo).
    #[response(status = 503)]
    Unavailable(ErrorBody),
}

/// The answer to a request whose handler panicked.
#[allow(clippy::needless_pass_by_value)] // The layer hands the payload over.
pub fn panic_answer(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "Lỗi hệ thống: yêu cầu không xử lý được",
    )
    .into_response()
}
