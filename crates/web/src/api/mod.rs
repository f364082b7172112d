//! The JSON API under `/api/v1`, with its OpenAPI 3.1 description served
//! at `/api/openapi.json`, generated from the handlers themselves.
//!
//! Invariant: every handler takes `ApiUser` (bearer token) except the
//! token endpoint, answers errors as `ErrorBody`, and converts `domain`
//! types into the DTOs of `dto` rather than exposing them directly.

mod agencies;
mod auth;
mod documents;
mod drafts;
mod dto;
mod exchange;
mod handling;
mod mail;
mod people;
mod pki;
mod services;
mod signing;

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "egov API",
        description = "API của nền tảng chính quyền điện tử egov: cơ quan, cán bộ, xác thực.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later")
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Xác thực"),
        (name = "agencies", description = "Cơ quan, đơn vị"),
        (name = "people", description = "Cán bộ, công chức"),
        (name = "documents", description = "Văn bản đi, văn bản đến"),
        (name = "drafts", description = "Dự thảo, trình duyệt, ký số, phát hành; việc của tôi"),
        (name = "signing", description = "Ký số bằng thiết bị của người ký (USB token, SIM PKI): máy chủ chuẩn bị, thiết bị ký, máy chủ hoàn tất"),
        (name = "handling", description = "Giao xử lý văn bản đến, ý kiến xử lý, hạn xử lý, nhắc hạn"),
        (name = "pki", description = "Chứng thư số chuyên dùng: cấp, gia hạn, thu hồi, yêu cầu và phê duyệt, số liệu"),
        (name = "services", description = "Dịch vụ công: thủ tục, tiếp nhận và xử lý hồ sơ một cửa, số liệu"),
        (name = "mail", description = "Thư điện tử công vụ: hộp thư, số liệu")
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The API routes and their OpenAPI description.
pub fn router() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(auth::issue_token))
        .routes(routes!(auth::me))
        .routes(routes!(auth::revoke_token))
        .routes(routes!(agencies::list_agencies, agencies::create_agency))
        .routes(routes!(agencies::get_agency, agencies::update_agency))
        .routes(routes!(agencies::agency_people))
        .routes(routes!(agencies::get_fields, agencies::put_fields))
        .routes(routes!(people::create_person))
        .routes(routes!(people::get_person, people::update_person))
        .routes(routes!(people::unlock_person))
        .routes(routes!(people::grant_role, people::revoke_role))
        .routes(routes!(documents::issue_outgoing))
        .routes(routes!(documents::register_incoming))
        .routes(routes!(documents::get_document))
        .routes(routes!(documents::search))
        .routes(routes!(documents::register))
        .routes(routes!(exchange::list_files, exchange::upload_file))
        .routes(routes!(exchange::download_file))
        .routes(routes!(exchange::export_edxml))
        .routes(routes!(exchange::import_edxml))
        .routes(routes!(exchange::status_edxml))
        .routes(routes!(exchange::receive_status))
        .routes(routes!(drafts::create_draft))
        .routes(routes!(drafts::get_draft))
        .routes(routes!(drafts::add_draft_file))
        .routes(routes!(drafts::download_draft_file))
        .routes(routes!(drafts::act_on_draft))
        .routes(routes!(drafts::issue_draft))
        .routes(routes!(signing::sign_draft))
        .routes(routes!(signing::start_signing))
        .routes(routes!(signing::finish_signing))
        .routes(routes!(signing::signed_file))
        .routes(routes!(drafts::tasks))
        .routes(routes!(handling::assign, handling::document_assignments))
        .routes(routes!(handling::add_opinion))
        .routes(routes!(handling::complete))
        .routes(routes!(handling::assignments))
        .routes(routes!(handling::notices))
        .routes(routes!(handling::read_notice))
        .routes(routes!(pki::list_certificates, pki::issue_certificate))
        .routes(routes!(pki::get_certificate))
        .routes(routes!(pki::revoke_certificate))
        .routes(routes!(pki::submit_request, pki::list_requests))
        .routes(routes!(pki::get_request))
        .routes(routes!(pki::act_on_request))
        .routes(routes!(pki::list_authorities))
        .routes(routes!(pki::figures))
        .routes(routes!(services::list_procedures))
        .routes(routes!(services::receive_dossier))
        .routes(routes!(services::get_dossier))
        .routes(routes!(services::take_step))
        .routes(routes!(services::figures))
        .routes(routes!(mail::list_mailboxes))
        .routes(routes!(mail::get_mailbox))
        .routes(routes!(mail::figures))
        .split_for_parts()
}
