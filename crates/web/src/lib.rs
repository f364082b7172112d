//! HTTP for egov: the JSON API under `/api/v1` with its OpenAPI document,
//! the staff UI under `/app`, the public pages at `/`, health and metrics.
//!
//! Architecture invariant: this is the only crate that knows HTTP, and
//! `error` is the only place that maps errors to statuses. Handlers are
//! thin: they read the request, call one `app` use case, and shape the
//! answer.

mod api;
pub mod client;
mod download;
mod error;
mod fonts;
mod headers;
mod mail_policy;
mod metrics;
mod pki;
mod public;
pub mod public_cache;
mod session;
mod ui;
mod upload;
mod verify;

use std::sync::Arc;

use app::App;
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub use crate::public::portal::content_changed;
pub use crate::public::{PORTAL_CSRF_COOKIE, PORTAL_SESSION_COOKIE};
pub use crate::session::{LOGIN_CSRF_COOKIE, SESSION_COOKIE};
use download::download;

/// Largest request body accepted outside upload routes.
const BODY_LIMIT: usize = 1024 * 1024;

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    pub app: App,
    metrics: Arc<metrics::Metrics>,
    openapi: Arc<String>,
    /// The public pages' cache, emptied after each publish.
    pub public_cache: Arc<public_cache::PublicCache>,
}

/// The whole HTTP surface of egov.
pub fn router(app: App) -> Router {
    router_with_cache(app, Arc::new(public_cache::PublicCache::default()))
}

/// The whole HTTP surface, its public pages cached in `public_cache`
/// (which the caller keeps, to empty it after a publish).
pub fn router_with_cache(app: App, public_cache: Arc<public_cache::PublicCache>) -> Router {
    let (api, openapi) = api::router();
    let openapi = openapi.to_pretty_json().unwrap_or_default();
    let secure = app.config.auth.secure_cookies;
    let state = AppState {
        app,
        metrics: metrics::Metrics::new(),
        openapi: Arc::new(openapi),
        public_cache,
    };
    fonts::load();
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics::render))
        .route("/api/openapi.json", get(openapi_json_route))
        .merge(api)
        .merge(ui::router())
        .merge(public::router(&state))
        .merge(pki::router())
        .merge(mail_policy::router())
        .merge(verify::router())
        .merge(fonts::router())
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        // A bug that panics answers 500 in our error shape instead of
        // dropping the connection, and is logged.
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            error::panic_answer,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::map_response_with_state(
            secure,
            headers::add,
        ))
        .with_state(state)
}

/// Serves the router on `listener` until `shutdown` completes, letting
/// requests in flight finish. Handlers see the client's address.
pub async fn serve(
    app: App,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(app).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// The OpenAPI document, for tools that want it without a server.
pub fn openapi_json() -> String {
    api::router().1.to_pretty_json().unwrap_or_default()
}

async fn healthz(State(state): State<AppState>) -> Response {
    match state.app.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok\n").into_response(),
        Err(err) => {
            tracing::error!(error = %err, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response()
        }
    }
}

async fn openapi_json_route(State(state): State<AppState>) -> Response {
    (
        [(CONTENT_TYPE, "application/json")],
        state.openapi.as_str().to_owned(),
    )
        .into_response()
}

async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        error::ApiError::from(app::AppError::NotFound("địa chỉ này")).into_response()
    } else {
        ui::error_page(&app::AppError::NotFound("trang này"))
    }
}
