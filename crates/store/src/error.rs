//! The storage error type.

use sea_orm::{DbErr, SqlErr};

/// What can go wrong in storage.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("địa chỉ cơ sở dữ liệu phải bắt đầu bằng sqlite:// hoặc postgres://")]
    UnsupportedUrl,
    #[error("không tìm thấy bản ghi")]
    NotFound,
    /// A unique key is taken; the message names the constraint.
    #[error("dữ liệu đã tồn tại: {0}")]
    Duplicate(String),
    /// A reference points nowhere.
    #[error("dữ liệu tham chiếu không tồn tại: {0}")]
    MissingReference(String),
    /// A stored value that egov cannot read back: a bug or a hand edit.
    #[error("dữ liệu lưu trữ không hợp lệ: {0}")]
    Corrupt(String),
    #[error("lỗi cơ sở dữ liệu: {0}")]
    Database(DbErr),
}

impl From<DbErr> for StoreError {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(what)) => Self::Duplicate(what),
            Some(SqlErr::ForeignKeyConstraintViolation(what)) => Self::MissingReference(what),
            _ => Self::Database(err),
        }
    }
}

/// Turns a stored text that fails to parse into a `Corrupt` error.
pub(crate) fn corrupt<E: std::fmt::Display>(what: &str) -> impl Fn(E) -> StoreError + '_ {
    move |err| StoreError::Corrupt(format!("{what}: {err}"))
}
