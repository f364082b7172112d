//! The staff UI under `/app`: server-rendered pages that work without
//! JavaScript, in Vietnamese.
//!
//! Invariant: pages that show private data take `UiUser`; pages that change
//! anything take `UiForm`, which checks the CSRF token. Errors render as a
//! page with the right status, never as a bare text.

mod account;
mod agencies;
mod catalogue;
mod dashboard;
mod document;
mod documents;
mod drafts;
mod grassroots;
mod handling;
mod images;
mod inspection;
mod inspections;
mod licence;
pub(crate) mod licences;
mod login;
mod mail;
mod mail_requests;
mod people;
mod pki;
mod portal;
mod portal_article;
mod portal_documents;
mod portal_fields;
mod portal_figures;
mod portal_sites;
mod reception;
mod reception_petitions;
mod services;
mod services_figures;
mod training;

use app::AppError;
use askama::Template;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use time::Date;

use domain::authz::Permission;

use crate::AppState;
use crate::session::UiUser;

pub fn router() -> Router<AppState> {
    services_router()
        .merge(mail_router())
        .merge(reception_router())
        .merge(licences_router())
        .merge(staff_router())
        .merge(grassroots_router())
        .merge(training_router())
        .merge(inspections_router())
        .merge(portal::router())
        .merge(portal_sites::router())
        .merge(portal_documents::router())
}

/// Inspections: the list, the year's plan, new ones, each one's page and
/// its actions, the figures.
fn inspections_router() -> Router<AppState> {
    Router::new()
        .route("/app/inspections", get(inspections::list))
        .route(
            "/app/inspections/plan",
            get(inspections::plan).post(inspections::approve_plan),
        )
        .route(
            "/app/inspections/new",
            get(inspections::new_form).post(inspections::create),
        )
        .route("/app/inspections/figures", get(inspections::figures))
        .route("/app/inspections/{id}", get(inspection::show))
        .route("/app/inspections/{id}/actions", post(inspection::act))
}

/// Licences: the list, «Sắp hết hạn», the figures, a new licence, a
/// licence's page and its actions.
fn licences_router() -> Router<AppState> {
    Router::new()
        .route("/app/licences", get(licences::list).post(licences::create))
        .route("/app/licences/due", get(licences::due))
        .route("/app/licences/figures", get(licences::figures))
        .route("/app/licences/new", get(licences::new_form))
        .route("/app/licences/{id}", get(licence::show))
        .route("/app/licences/{id}/revoke", post(licence::revoke))
        .route("/app/licences/{id}/renew", post(licence::renew))
        // The upload extractor bounds the file itself.
        .route(
            "/app/licences/{id}/signed",
            post(licence::upload_signed).layer(DefaultBodyLimit::disable()),
        )
        .route("/app/licences/{id}/signed.pdf", get(licence::signed))
}

/// Official e-mail: mailboxes, requests and the staff list's upload, the
/// figures, and one's own boxes.
fn mail_router() -> Router<AppState> {
    let bulk_limit = DefaultBodyLimit::max(mail_requests::BULK_BODY_LIMIT);
    Router::new()
        .route("/app/mail", get(mail::list))
        .route("/app/mail/mine", get(mail::mine))
        .route("/app/mail/figures", get(mail::figures))
        .route("/app/mail/boxes/{id}", get(mail::show))
        .route("/app/mail/boxes/{id}/actions", post(mail::act))
        .route("/app/mail/boxes/{id}/password", post(mail::set_password))
        .route(
            "/app/mail/boxes/{id}/password/reset",
            post(mail::reset_password),
        )
        .route("/app/mail/requests", get(mail_requests::list))
        .route(
            "/app/mail/requests/new",
            get(mail_requests::new_form).post(mail_requests::submit),
        )
        .route(
            "/app/mail/requests/bulk",
            get(mail_requests::bulk_form)
                .post(mail_requests::bulk_preview)
                .layer(bulk_limit),
        )
        .route(
            "/app/mail/requests/bulk/confirm",
            post(mail_requests::bulk_submit).layer(bulk_limit),
        )
        .route(
            "/app/mail/requests/bulk/mau.csv",
            get(mail_requests::template),
        )
        .route("/app/mail/requests/{id}", get(mail_requests::show))
        .route(
            "/app/mail/requests/{id}/decision",
            post(mail_requests::decide),
        )
}

/// Citizen reception: the calendar and visits, petitions, the figures.
fn reception_router() -> Router<AppState> {
    Router::new()
        .route(reception::NAV, get(reception::calendar))
        .route("/app/reception/days", post(reception::schedule))
        .route("/app/reception/days/{id}", post(reception::record_day))
        .route("/app/reception/visits", post(reception::record_visit))
        .route("/app/reception/figures", get(reception::figures))
        .route(
            "/app/reception/petitions",
            get(reception_petitions::list).post(reception_petitions::receive),
        )
        .route(
            "/app/reception/petitions/{id}",
            get(reception_petitions::show),
        )
        .route(
            "/app/reception/petitions/{id}/steps",
            post(reception_petitions::step),
        )
}

/// Public services on the staff side: the procedure catalogue and the
/// one-stop desk.
/// Grassroots information (issue 10): `grassroots`.
fn grassroots_router() -> Router<AppState> {
    Router::new()
        .route(grassroots::NAV, get(grassroots::list))
        .route("/app/grassroots/stations", post(grassroots::create))
        .route("/app/grassroots/stations/{id}", get(grassroots::show))
        .route(
            "/app/grassroots/stations/{id}/logs",
            post(grassroots::record_log),
        )
        .route("/app/grassroots/stations/{id}/end", post(grassroots::end))
        .route(
            "/app/grassroots/stations/{id}/licence",
            post(grassroots::link_licence),
        )
        .route(
            "/app/grassroots/import",
            get(grassroots::import_form)
                .post(grassroots::import)
                .layer(DefaultBodyLimit::max(grassroots::IMPORT_BODY_LIMIT)),
        )
        .route(
            "/app/grassroots/campaigns",
            get(grassroots::campaigns).post(grassroots::create_campaign),
        )
        .route("/app/grassroots/figures", get(grassroots::figures))
}

/// Staff training (issue 10): `training`.
fn training_router() -> Router<AppState> {
    Router::new()
        .route("/app/training", get(training::list))
        .route("/app/training/courses", post(training::create))
        .route("/app/training/courses/{id}", get(training::show))
        .route(
            "/app/training/courses/{id}/attendees",
            post(training::enrol),
        )
        .route("/app/training/attendances/{id}/end", post(training::end))
        .route("/app/training/figures", get(training::figures))
}

fn services_router() -> Router<AppState> {
    Router::new()
        .route("/app/catalogue", get(catalogue::list))
        .route(
            "/app/catalogue/{agency}/export/{format}",
            get(catalogue::export),
        )
        .route(
            "/app/catalogue/{agency}/{action}",
            post(catalogue::upload).layer(DefaultBodyLimit::disable()),
        )
        .route("/app/procedures/{id}", get(catalogue::show))
        .route("/app/procedures/{id}/publication", post(catalogue::publish))
        .route("/app/forms/{sha256}", get(catalogue::form))
        .route("/app/services", get(services::desk))
        .route("/app/services/find", get(services::find))
        .route("/app/services/figures", get(services_figures::show))
        .route(
            "/app/services/dossiers",
            post(services::receive).layer(DefaultBodyLimit::disable()),
        )
        .route("/app/services/dossiers/{code}", get(services::show))
        .route("/app/services/dossiers/{code}/steps", post(services::step))
        .route(
            "/app/services/dossiers/{code}/slip.pdf",
            get(services::slip),
        )
        .route(
            "/app/services/dossiers/{code}/control.pdf",
            get(services::control_slip),
        )
        .route(
            "/app/services/dossiers/{code}/apology.pdf",
            get(services::apology),
        )
        .route("/app/services/dossiers/{code}/payment", post(services::pay))
        .route(
            "/app/services/dossiers/{code}/files/{position}",
            get(services::file),
        )
}

fn staff_router() -> Router<AppState> {
    Router::new()
        .route("/app/login", get(login::show).post(login::submit))
        .route("/app/logout", post(login::logout))
        .route("/app", get(dashboard::show))
        .route("/app/agencies", get(agencies::tree))
        .route(
            "/app/agencies/{id}",
            get(agencies::show).post(agencies::update),
        )
        .route("/app/agencies/{id}/children", post(agencies::create_child))
        .route("/app/agencies/{id}/fields", post(agencies::set_fields))
        .route(
            "/app/people/new",
            get(people::new_form).post(people::create),
        )
        .route("/app/people/{id}", get(people::show).post(people::update))
        .route("/app/people/{id}/status", post(people::set_status))
        .route("/app/people/{id}/password", post(people::reset_password))
        .route("/app/people/{id}/unlock", post(people::unlock))
        .route("/app/people/{id}/roles", post(people::change_role))
        .route("/app/pki", get(pki::show))
        .route("/app/pki/requests", post(pki::submit))
        .route("/app/pki/requests/revocation", post(pki::submit_revocation))
        .route("/app/pki/requests/{id}", get(pki::request))
        .route("/app/pki/requests/{id}/actions", post(pki::act))
        .route("/app/pki/certificates", post(pki::issue))
        .route("/app/pki/certificates/{serial}", get(pki::certificate))
        .route(
            "/app/pki/certificates/{serial}/pem",
            get(pki::certificate_pem),
        )
        .route("/app/pki/certificates/{serial}/revoke", post(pki::revoke))
        .route("/app/documents", get(documents::register))
        .route("/app/documents/register.csv", get(documents::register_csv))
        .route("/app/documents/register.pdf", get(documents::register_pdf))
        .route(
            "/app/documents/register.docx",
            get(documents::register_docx),
        )
        .route("/app/documents/outgoing", post(documents::issue))
        .route("/app/documents/incoming", post(documents::receive))
        .route("/app/documents/{id}", get(document::show))
        // The upload extractor reads the file up to the configured limit
        // itself; the 1 MiB default for forms would refuse a scanned PDF.
        .route(
            "/app/documents/{id}/files",
            post(document::attach).layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/app/documents/{id}/files/{file_id}",
            get(document::download),
        )
        .route("/app/documents/{id}/send", post(document::send))
        .route("/app/documents/{id}/assignments", post(handling::assign))
        .route("/app/documents/{id}/handling-sheet", get(handling::sheet))
        .route("/app/assignments/{id}/opinions", post(handling::opinion))
        .route("/app/assignments/{id}/complete", post(handling::complete))
        .route("/app/tasks", get(drafts::tasks))
        .route("/app/drafts", post(drafts::create))
        .route("/app/drafts/{id}", get(drafts::show))
        .route(
            "/app/drafts/{id}/files",
            post(drafts::attach).layer(DefaultBodyLimit::disable()),
        )
        .route("/app/drafts/{id}/files/{file_id}", get(drafts::download))
        .route("/app/drafts/{id}/steps", post(drafts::step))
        .route("/app/drafts/{id}/signed", get(drafts::signed_file))
        .route("/app/account", get(account::show))
        .route("/app/account/password", post(account::change_password))
        .route("/app/account/totp", post(account::enable_totp))
        .route("/app/account/signature.png", get(images::own_signature))
        .route(
            "/app/account/signature",
            post(images::set_own_signature).layer(DefaultBodyLimit::disable()),
        )
        .route("/app/agencies/{id}/seal.png", get(images::seal))
        .route(
            "/app/agencies/{id}/seal",
            post(images::set_seal).layer(DefaultBodyLimit::disable()),
        )
        .route("/static/egov.css", get(stylesheet))
        .route("/static/print.css", get(print_stylesheet))
        .route("/favicon.ico", get(icon))
}

async fn stylesheet() -> Response {
    (
        [(CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../../static/egov.css"),
    )
        .into_response()
}

async fn print_stylesheet() -> Response {
    (
        [(CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../../static/print.css"),
    )
        .into_response()
}

/// The site icon: a gold star on the brand red, drawn by hand as SVG
/// (browsers take SVG icons at any address).
async fn icon() -> Response {
    (
        [(CONTENT_TYPE, "image/svg+xml")],
        include_str!("../../static/icon.svg"),
    )
        .into_response()
}

/// One entry of the module navigation.
#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub active: bool,
}

/// What every staff page shows around its content.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub title: String,
    pub user_name: String,
    pub user_position: String,
    pub csrf: String,
    pub nav: Vec<NavItem>,
}

/// The modules in the navigation, in order. Each area adds its entry here.
const MODULES: [(&str, &str); 15] = [
    ("/app", "Tổng quan"),
    ("/app/tasks", "Việc của tôi"),
    ("/app/documents", "Văn bản"),
    ("/app/services", "Một cửa"),
    ("/app/catalogue", "Thủ tục hành chính"),
    ("/app/pki", "Chứng thư số"),
    (mail::NAV, "Thư điện tử"),
    (licences::NAV, "Giấy phép"),
    (inspections::NAV, "Thanh tra, kiểm tra"),
    (reception::NAV, "Tiếp công dân"),
    ("/app/grassroots", "Thông tin cơ sở"),
    ("/app/training", "Đào tạo, bồi dưỡng"),
    (portal::NAV, "Cổng thông tin"),
    ("/app/agencies", "Cơ quan, đơn vị"),
    ("/app/account", "Tài khoản"),
];

/// The permissions that open the mail area; without one, its entry is
/// one's own boxes.
const MAIL_STAFF: [Permission; 3] = [
    Permission::OperateMail,
    Permission::RequestMailboxes,
    Permission::ApproveMailboxRequests,
];

impl Chrome {
    pub fn new(user: &UiUser, title: impl Into<String>, active: &str) -> Self {
        let actor = &user.signed_in.actor;
        let mail_staff = MAIL_STAFF.iter().any(|p| !actor.roots_of(*p).is_empty());
        // The portal's entry is for its members and those who manage it.
        let portal =
            user.signed_in.portal_member || !actor.roots_of(Permission::ManagePortal).is_empty();
        Self {
            title: title.into(),
            user_name: user.signed_in.person.full_name.clone(),
            user_position: user.signed_in.person.position.clone(),
            csrf: user.csrf().to_owned(),
            nav: MODULES
                .iter()
                .filter(|&&(href, _)| href != portal::NAV || portal)
                .map(|&(href, label)| {
                    let (shown, label) = if href == mail::NAV && !mail_staff {
                        ("/app/mail/mine", "Hộp thư của tôi")
                    } else {
                        (href, label)
                    };
                    NavItem {
                        href: shown,
                        label,
                        active: href == active,
                    }
                })
                .collect(),
        }
    }
}

/// A figures page's period, `?from=…&to=…` (ISO days, both included):
/// this month so far unless asked.
#[derive(Debug, Deserialize)]
pub struct PeriodQuery {
    #[serde(default)]
    pub from: Option<Date>,
    #[serde(default)]
    pub to: Option<Date>,
}

impl PeriodQuery {
    /// The period asked for; this month so far by default.
    pub fn period(&self, today: Date) -> (Date, Date) {
        let to = self.to.unwrap_or(today);
        (self.from.unwrap_or(to.replace_day(1).unwrap_or(to)), to)
    }
}

/// Renders a page.
pub fn page(template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(err) => {
            tracing::error!(error = %err, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Lỗi hiển thị trang").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    status: u16,
    message: String,
}

/// An error as a page, with the status the API would give it.
pub fn error_page(err: &AppError) -> Response {
    let status = crate::error::status_of(err);
    let mut response = page(&ErrorPage {
        status: status.as_u16(),
        message: err.to_string(),
    });
    *response.status_mut() = status;
    response
}

/// Renders `Ok` pages and `Err` error pages.
pub fn respond(result: Result<Response, AppError>) -> Response {
    result.unwrap_or_else(|err| error_page(&err))
}
