//! The public pages at `/`: the province's portal home. Citizens' pages and
//! the news portal arrive with their areas.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use crate::AppState;
use crate::ui::page;

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    today: String,
}

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

async fn home(State(state): State<AppState>) -> Response {
    let today = vn::dates::vietnam_date(state.app.now());
    page(&Home {
        today: vn::dates::place_date_header("Trà Vinh", today),
    })
}
