//! The public pages at `/`: the province's news portal (`portal`, with
//! its cache) and the public-service portal (`services`), the licence
//! registry and the account pages.

mod accounts;
mod images;
mod licences;
mod payments;
pub mod portal;

pub use accounts::{PORTAL_CSRF_COOKIE, PORTAL_SESSION_COOKIE};
pub use payments::money;
mod services;

use askama::Template;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::response::Response;
use axum::routing::{get, post};

use crate::AppState;
use crate::ui::page;

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    today: String,
}

pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .merge(portal::router(state))
        .route("/giay-phep", get(licences::registry))
        .route("/giay-phep/{id}/ban-ky-so.pdf", get(licences::signed))
        .route("/dich-vu-cong", get(services::search))
        .route("/dich-vu-cong/thu-tuc/{id}", get(services::procedure))
        // The form reader bounds each file and the whole itself.
        .route(
            "/dich-vu-cong/thu-tuc/{id}/nop",
            post(services::submit).layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/dich-vu-cong/xac-nhan",
            get(services::confirm_page).post(services::confirm),
        )
        .route(
            "/dich-vu-cong/dang-ky",
            get(accounts::register_page).post(accounts::register),
        )
        .route(
            "/dich-vu-cong/xac-nhan-tai-khoan",
            get(accounts::confirm_page).post(accounts::confirm),
        )
        .route(
            "/dich-vu-cong/dang-nhap",
            get(accounts::login_form).post(accounts::login),
        )
        .route("/dich-vu-cong/dang-xuat", post(accounts::logout))
        .route("/dich-vu-cong/ho-so-cua-toi", get(accounts::my_dossiers))
        .route(
            "/dich-vu-cong/quen-mat-khau",
            get(accounts::forgot_page).post(accounts::forgot),
        )
        .route(
            "/dich-vu-cong/dat-lai-mat-khau",
            get(accounts::reset_page).post(accounts::reset),
        )
        .route(
            "/dich-vu-cong/tai-khoan",
            get(accounts::account_page).post(accounts::update_contacts),
        )
        .route(
            "/dich-vu-cong/tai-khoan/mat-khau",
            post(accounts::change_password),
        )
        .route("/dich-vu-cong/tra-cuu", get(services::track))
        .route("/dich-vu-cong/ket-qua", get(services::result))
        .route("/dich-vu-cong/phieu-xin-loi", get(services::apology))
        .route("/dich-vu-cong/thanh-toan", post(payments::start))
        .route("/dich-vu-cong/thanh-toan/ket-qua", get(payments::back))
        .route("/dich-vu-cong/thanh-toan/ipn", post(payments::notification))
        .route("/dich-vu-cong/bien-lai", get(payments::receipt))
        .route(
            "/cong-thanh-toan-thu",
            get(payments::gateway_page).post(payments::gateway_pay),
        )
        .route("/anh/{id}/{width}", get(images::variant))
}

/// The platform's welcome page, while no portal site exists.
fn welcome(state: &AppState) -> Response {
    let today = vn::dates::vietnam_date(state.app.now());
    page(&Home {
        today: vn::dates::place_date_header("Trà Vinh", today),
    })
}
