//! Files posted in forms (multipart/form-data): one file from a staff
//! page, with the same CSRF check as every other form, and the files of a
//! citizen's online dossier, within a limit per file and in all.
//!
//! Invariant: the CSRF field must come before the file, so a forged
//! request is refused before its file is read; the file is read up to the
//! configured limit and no further.

use axum::extract::multipart::Field;
use axum::extract::{FromRequest, FromRequestParts, Multipart, Request};
use axum::response::{IntoResponse, Response};
use bytes::{Bytes, BytesMut};

use crate::AppState;
use crate::session::{UiUser, csrf_refused, same_secret};

/// One uploaded file and the text fields posted with it.
#[derive(Debug)]
pub struct UiUpload {
    pub user: UiUser,
    pub file_name: String,
    pub bytes: Bytes,
    /// The other fields, in order.
    pub fields: Vec<(String, String)>,
}

impl UiUpload {
    /// The uploaded file, described by the form's `description` field.
    pub fn file(&self) -> app::document_files::NewFile {
        app::document_files::NewFile {
            name: self.file_name.clone(),
            description: self.field("description").trim().to_owned(),
            content_type: None,
            bytes: self.bytes.clone(),
        }
    }

    pub fn field(&self, name: &str) -> &str {
        field_of(&self.fields, name)
    }
}

fn field_of<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

fn invalid(message: impl Into<String>) -> Response {
    crate::ui::error_page(&app::AppError::Invalid(message.into()))
}

impl FromRequest<AppState> for UiUpload {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let max = max_upload(state);
        let limits = Limits {
            file: max,
            total: max.saturating_add(64 * 1024),
        };
        let (user, form) = read_ui_form(req, state, limits).await?;
        let Some(file) = form.files.into_iter().next() else {
            return Err(invalid("Chưa chọn tệp").into_response());
        };
        Ok(Self {
            user,
            file_name: file.file_name,
            bytes: file.bytes,
            fields: form.fields,
        })
    }
}

/// The signed-in officer and the multipart form they posted within
/// `limits`, its CSRF field checked.
pub async fn read_ui_form(
    req: Request,
    state: &AppState,
    limits: Limits,
) -> Result<(UiUser, FormParts), Response> {
    let (mut parts, body) = req.into_parts();
    let user = UiUser::from_request_parts(&mut parts, state).await?;
    let form = FormParts::read(
        Request::from_parts(parts, body),
        state,
        limits,
        Some(user.csrf()),
    )
    .await?;
    Ok((user, form))
}

/// How much a posted form may carry.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Bytes of one file.
    pub file: usize,
    /// Bytes of all the files together.
    pub total: usize,
}

/// A file posted in a form.
#[derive(Debug)]
pub struct PostedFile {
    /// The form field it came in.
    pub field: String,
    /// The client's file name, as sent (checked by whoever keeps it).
    pub file_name: String,
    pub bytes: Bytes,
}

/// The parts of a posted multipart form: its text fields in order and its
/// files (a file input left empty is skipped).
#[derive(Debug, Default)]
pub struct FormParts {
    pub fields: Vec<(String, String)>,
    pub files: Vec<PostedFile>,
}

impl FormParts {
    /// Reads the form within `limits`. With `csrf`, the form's `csrf`
    /// field must match it and come before any file.
    pub async fn read(
        req: Request,
        state: &AppState,
        limits: Limits,
        csrf: Option<&str>,
    ) -> Result<Self, Response> {
        let mut multipart = Multipart::from_request(req, state)
            .await
            .map_err(|_| invalid("Biểu mẫu tải tệp không hợp lệ"))?;
        let mut csrf_ok = csrf.is_none();
        let mut form = Self::default();
        let mut total = 0usize;
        while let Some(mut part) = multipart
            .next_field()
            .await
            .map_err(|_| invalid("Biểu mẫu tải tệp bị ngắt giữa chừng"))?
        {
            let name = part.name().unwrap_or_default().to_owned();
            if let Some(file_name) = part.file_name().map(str::to_owned) {
                if !csrf_ok {
                    return Err(csrf_refused());
                }
                let bytes = file_bytes(&mut part, limits.file).await?;
                if file_name.is_empty() && bytes.is_empty() {
                    continue;
                }
                total += bytes.len();
                if total > limits.total {
                    return Err(invalid(format!(
                        "Các tệp quá lớn: tổng cộng tối đa {} MB",
                        limits.total / (1024 * 1024)
                    )));
                }
                form.files.push(PostedFile {
                    field: name,
                    file_name,
                    bytes,
                });
                continue;
            }
            let value = part
                .text()
                .await
                .map_err(|_| invalid("Biểu mẫu tải tệp không hợp lệ"))?;
            match csrf {
                Some(secret) if name == "csrf" => {
                    csrf_ok = same_secret(&value, secret);
                    if !csrf_ok {
                        return Err(csrf_refused());
                    }
                }
                _ => form.fields.push((name, value)),
            }
        }
        if !csrf_ok {
            return Err(csrf_refused());
        }
        Ok(form)
    }

    /// The value of field `name`, or "".
    pub fn field(&self, name: &str) -> &str {
        field_of(&self.fields, name)
    }
}

/// The upload limit from the configuration, in bytes.
pub fn max_upload(state: &AppState) -> usize {
    usize::try_from(state.app.config.files.max_upload_mib)
        .unwrap_or(usize::MAX)
        .saturating_mul(1024 * 1024)
}

/// A file part's bytes, read up to `max` and no further.
pub async fn file_bytes(part: &mut Field<'_>, max: usize) -> Result<Bytes, Response> {
    let mut bytes = BytesMut::new();
    while let Some(chunk) = part
        .chunk()
        .await
        .map_err(|_| invalid("Tệp tải lên bị ngắt giữa chừng"))?
    {
        if bytes.len() + chunk.len() > max {
            let name = part.file_name().unwrap_or_default();
            return Err(invalid(format!(
                "Tệp «{name}» quá lớn: tối đa {} MB",
                max / (1024 * 1024)
            )));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes.freeze())
}
