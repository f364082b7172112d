//! `GET /app/portal/figures?from=&to=`: the report's portal figures for a
//! period (this month so far unless asked): articles published by site
//! and language and by category, the component sites and their posts,
//! and the report's sentence. Counts of published articles only, which
//! anyone may read on the portal, so any signed-in officer may see them.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use domain::portal::figures::PortalFigures;
use time::Date;

use super::portal::NAV;
use super::{Chrome, PeriodQuery, page, respond};
use crate::AppState;
use crate::session::UiUser;

#[derive(Template)]
#[template(path = "portal_figures.html")]
struct FiguresPage {
    chrome: Chrome,
    from: Date,
    to: Date,
    figures: PortalFigures,
    /// (site, category, articles) for the category table.
    categories: Vec<(String, String, u64)>,
}

pub async fn figures(
    State(state): State<AppState>,
    user: UiUser,
    Query(query): Query<PeriodQuery>,
) -> Response {
    respond(
        async {
            let (from, to) = query.period(state.app.today());
            let figures = state.app.portal_figures((from, to), None).await?;
            let site_name = |id| {
                figures
                    .by_site
                    .iter()
                    .find(|s| s.site_id == id)
                    .map(|s| s.name.clone())
                    .unwrap_or_default()
            };
            let categories = figures
                .by_category
                .iter()
                .map(|c| (site_name(c.site_id), c.name.clone(), c.articles))
                .collect();
            Ok(page(&FiguresPage {
                chrome: Chrome::new(&user, "Số liệu Cổng thông tin điện tử", NAV),
                from,
                to,
                categories,
                figures,
            }))
        }
        .await,
    )
}
