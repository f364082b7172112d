//! A file posted from a staff page (multipart/form-data), with the same
//! CSRF check as every other form.
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
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

fn invalid(message: impl Into<String>) -> Response {
    crate::ui::error_page(&app::AppError::Invalid(message.into()))
}

impl FromRequest<AppState> for UiUpload {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let user = UiUser::from_request_parts(&mut parts, state).await?;
        let max = max_upload(state);
        let mut multipart = Multipart::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|_| invalid("Biểu mẫu tải tệp không hợp lệ"))?;
        let mut csrf_ok = false;
        let mut fields = Vec::new();
        let mut file = None;
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
                file = Some((file_name, file_bytes(&mut part, max).await?));
                continue;
            }
            let value = part
                .text()
                .await
                .map_err(|_| invalid("Biểu mẫu tải tệp không hợp lệ"))?;
            if name == "csrf" {
                csrf_ok = same_secret(&value, user.csrf());
                if !csrf_ok {
                    return Err(csrf_refused());
                }
            } else {
                fields.push((name, value));
            }
        }
        if !csrf_ok {
            return Err(csrf_refused());
        }
        let Some((file_name, bytes)) = file else {
            return Err(invalid("Chưa chọn tệp").into_response());
        };
        Ok(Self {
            user,
            file_name,
            bytes,
            fields,
        })
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
            return Err(invalid(format!(
                "Tệp quá lớn: tối đa {} MB",
                max / (1024 * 1024)
            )));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes.freeze())
}
