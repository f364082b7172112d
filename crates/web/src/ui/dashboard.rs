//! The staff home page: who is signed in and what egov holds.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::{Chrome, page, respond};
use crate::AppState;
use crate::session::UiUser;

#[derive(Template)]
#[template(path = "dashboard.html")]
struct Dashboard {
    chrome: Chrome,
    agency_name: String,
    roles: Vec<String>,
    agencies: u64,
    people: u64,
    today: String,
}

pub async fn show(State(state): State<AppState>, user: UiUser) -> Response {
    respond(
        async {
            let (agencies, people) = state.app.counts().await?;
            let agency = state.app.agency(user.signed_in.person.agency_id).await?;
            let all = state.app.all_agencies().await?;
            let roles = user
                .signed_in
                .person
                .grants
                .iter()
                .map(|g| {
                    let at = all
                        .iter()
                        .find(|a| a.id == g.agency_id)
                        .map_or("?", |a| a.name.as_str());
                    format!("{} — {at}", g.role.label())
                })
                .collect();
            let today = vn::dates::vietnam_date(state.app.now());
            Ok(page(&Dashboard {
                chrome: Chrome::new(&user, "Tổng quan", "/app"),
                agency_name: agency.name,
                roles,
                agencies,
                people,
                today: format!(
                    "{}, {}",
                    vn::dates::weekday_name(today.weekday()),
                    vn::dates::format_long(today)
                ),
            }))
        }
        .await,
    )
}
