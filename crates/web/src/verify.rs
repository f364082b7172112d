//! The public page where anyone (a citizen, a business, another agency)
//! uploads a signed PDF and reads the verdict on each of its signatures,
//! judged against egov's own CA: `/verify`.
//!
//! Invariant: nothing is stored and nothing changes, so the form needs no
//! sign-in and no CSRF token; the file is read up to the upload limit and
//! dropped once judged.

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::response::Response;
use axum::routing::get;

use crate::AppState;
use crate::ui::page;
use crate::upload::{file_bytes, max_upload};

/// One signature as the page shows it.
struct SignatureRow {
    field: String,
    signer: String,
    signed_at: String,
    valid: bool,
    /// "Hợp lệ", "Không hợp lệ" or "Chưa xác định", and its CSS class.
    verdict: &'static str,
    class: &'static str,
    modified: bool,
    problems: Vec<String>,
}

#[derive(Template)]
#[template(path = "verify.html")]
struct VerifyPage {
    max_mib: u32,
    /// The uploaded file's name, once one was judged.
    file_name: Option<String>,
    error: Option<String>,
    verdicts: Vec<SignatureRow>,
}

impl VerifyPage {
    fn all_valid(&self) -> bool {
        !self.verdicts.is_empty() && self.verdicts.iter().all(|v| v.valid)
    }
}

pub fn router() -> Router<AppState> {
    // The form's reader holds the file to the upload limit itself.
    Router::new().route(
        "/verify",
        get(form).post(judge).layer(DefaultBodyLimit::disable()),
    )
}

fn empty(state: &AppState) -> VerifyPage {
    VerifyPage {
        max_mib: state.app.config.files.max_upload_mib,
        file_name: None,
        error: None,
        verdicts: Vec::new(),
    }
}

async fn form(State(state): State<AppState>) -> Response {
    page(&empty(&state))
}

async fn judge(State(state): State<AppState>, multipart: Multipart) -> Response {
    let mut view = empty(&state);
    match read_file(&state, multipart).await {
        Ok(Some((name, bytes))) => {
            view.file_name = Some(name);
            match state.app.verify_pdf(bytes).await {
                Ok(reports) => view.verdicts = reports.iter().map(verdict).collect(),
                Err(e) => view.error = Some(e.to_string()),
            }
        }
        Ok(None) => view.error = Some("Chưa chọn tệp PDF".into()),
        Err(message) => view.error = Some(message),
    }
    page(&view)
}

/// The first file in the form, with its name.
async fn read_file(
    state: &AppState,
    mut multipart: Multipart,
) -> Result<Option<(String, bytes::Bytes)>, String> {
    let broken = |_| "Biểu mẫu tải tệp bị ngắt giữa chừng".to_owned();
    while let Some(mut part) = multipart.next_field().await.map_err(broken)? {
        if let Some(name) = part.file_name().map(str::to_owned) {
            if name.is_empty() {
                return Ok(None);
            }
            let bytes = file_bytes(&mut part, max_upload(state))
                .await
                .map_err(|_| {
                    format!(
                        "Tệp quá lớn hoặc bị ngắt: tối đa {} MB",
                        max_upload(state) >> 20
                    )
                })?;
            return Ok(Some((name, bytes)));
        }
    }
    Ok(None)
}

fn verdict(report: &pdf::SignatureReport) -> SignatureRow {
    SignatureRow {
        field: report.field.clone(),
        signer: report
            .signer
            .clone()
            .unwrap_or_else(|| "(không rõ người ký)".into()),
        signed_at: report
            .signed_at
            .map_or_else(|| "không rõ thời điểm".into(), vn::dates::format_timestamp),
        valid: report.is_valid(),
        verdict: match report.verdict() {
            pdf::Verdict::Valid => "Hợp lệ",
            pdf::Verdict::Invalid => "Không hợp lệ",
            pdf::Verdict::Indeterminate => "Chưa xác định",
        },
        class: if report.is_valid() { "ok" } else { "error" },
        modified: !report.covers_whole_file,
        problems: report.problems.iter().map(ToString::to_string).collect(),
    }
}
