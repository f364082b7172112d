//! The application error: what a use case tells its caller went wrong.
//!
//! Invariant: every variant has a stable machine code (for the API) and a
//! Vietnamese message (for people). Internal details are logged, not shown.

use store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Not signed in, or the session ended.
    #[error("Bạn cần đăng nhập")]
    Unauthenticated,
    /// Wrong e-mail, password or code; deliberately vague.
    #[error("Thư điện tử, mật khẩu hoặc mã xác thực không đúng")]
    BadCredentials,
    #[error(
        "Tài khoản đang bị khóa do đăng nhập sai nhiều lần; hãy thử lại sau hoặc liên hệ quản trị"
    )]
    Locked,
    #[error("Bạn không có quyền thực hiện thao tác này")]
    Forbidden,
    #[error("Không tìm thấy {0}")]
    NotFound(&'static str),
    /// Input that breaks a rule; the message says which.
    #[error("{0}")]
    Invalid(String),
    /// The change conflicts with stored data (e.g. a taken e-mail).
    #[error("{0}")]
    Conflict(String),
    /// Something that had a time limit and passed it (a signing session).
    #[error("{0}")]
    Expired(String),
    /// A service that is not set up or not reachable now (the CA before
    /// `egov pki init`, a key store without its passphrase).
    #[error("{0}")]
    Unavailable(String),
    #[error("Lỗi hệ thống: {0}")]
    Internal(String),
}

impl AppError {
    /// The stable code of the error, as the API returns it.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated => "unauthenticated",
            Self::BadCredentials => "bad_credentials",
            Self::Locked => "account_locked",
            Self::Forbidden => "forbidden",
            Self::NotFound(_) => "not_found",
            Self::Invalid(_) => "invalid",
            Self::Conflict(_) => "conflict",
            Self::Expired(_) => "expired",
            Self::Unavailable(_) => "unavailable",
            Self::Internal(_) => "internal",
        }
    }

    /// Wraps any rule error as invalid input.
    pub fn invalid(err: impl std::fmt::Display) -> Self {
        Self::Invalid(err.to_string())
    }
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => Self::NotFound("bản ghi"),
            StoreError::Duplicate(_) => {
                Self::Conflict("Dữ liệu đã tồn tại (trùng mã hoặc địa chỉ thư điện tử)".into())
            }
            StoreError::MissingReference(_) => {
                Self::Invalid("Dữ liệu tham chiếu không tồn tại".into())
            }
            other => {
                tracing::error!(error = %other, "storage failure");
                Self::Internal("không truy cập được cơ sở dữ liệu".into())
            }
        }
    }
}
