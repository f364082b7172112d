//! The public-service dashboard on the staff pages (issue 8, item 8):
//! for an agency and everything below it, over a period (this month by
//! default), the catalogue's procedures by service level and those
//! published nationally, the dossiers received by level and channel with
//! the online share, those resolved early, on time and late, and those
//! pending — the figures the monthly report prints, from the same queries.

use app::services_figures::{LevelFigures, ServicesFigures};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use time::Date;

use super::{Chrome, page, respond};
use crate::AppState;
use crate::session::UiUser;

#[derive(Debug, Deserialize)]
pub struct FiguresQuery {
    #[serde(default)]
    agency: Option<i64>,
    #[serde(default)]
    from: Option<Date>,
    #[serde(default)]
    to: Option<Date>,
}

/// One row of the dossiers-by-level table, numbers as the report writes
/// them.
struct LevelRow {
    label: String,
    desk: String,
    online: String,
    post: String,
    total: String,
    online_percent: String,
}

impl LevelRow {
    fn of(label: String, f: &LevelFigures) -> Self {
        Self {
            label,
            desk: count(f.desk),
            online: count(f.online),
            post: count(f.post),
            total: count(f.total()),
            online_percent: f.online_percent.clone().unwrap_or_else(|| "—".into()),
        }
    }
}

#[derive(Template)]
#[template(path = "services_figures.html")]
struct FiguresPage {
    chrome: Chrome,
    agencies: Vec<(i64, String)>,
    agency: i64,
    from: Date,
    to: Date,
    /// Procedures in force on the last day: level 1–4, all, online (3 and
    /// 4) with its share, and published nationally.
    by_level: [String; 4],
    procedures: String,
    online_procedures: String,
    online_share: String,
    published: String,
    rows: Vec<LevelRow>,
    received: LevelRow,
    early: String,
    on_time: String,
    late: String,
    resolved: String,
    in_time_share: String,
    pending: String,
    overdue: String,
}

fn count(n: u64) -> String {
    vn::numbers::format_int(i64::try_from(n).unwrap_or(i64::MAX))
}

fn share(part: u64, whole: u64) -> String {
    vn::numbers::percent_of(part, whole).unwrap_or_else(|| "—".into())
}

pub async fn show(
    State(state): State<AppState>,
    user: UiUser,
    Query(query): Query<FiguresQuery>,
) -> Response {
    respond(
        async {
            let app = &state.app;
            let ctx = user.ctx();
            let today = vn::dates::vietnam_date(app.now());
            let to = query.to.unwrap_or(today);
            let from = query.from.unwrap_or(to.replace_day(1).unwrap_or(to));
            let agency = query.agency.unwrap_or(user.signed_in.person.agency_id);
            let figures = app.services_figures(&ctx, agency, (from, to)).await?;
            let catalogue = app.catalogue_figures(&ctx, agency, to).await?;
            let all = app.all_agencies().await?;
            let mut agencies: Vec<(i64, String)> = Vec::new();
            for root in user
                .signed_in
                .actor
                .roots_of(domain::authz::Permission::ViewRegisters)
            {
                for id in app.subtree(root).await? {
                    if let Some(a) = all.iter().find(|a| a.id == id)
                        && !agencies.iter().any(|(seen, _)| *seen == id)
                    {
                        agencies.push((id, a.name.clone()));
                    }
                }
            }
            let levels = &catalogue.levels;
            let online = levels.online();
            Ok(page(&FiguresPage {
                chrome: Chrome::new(&user, "Thống kê dịch vụ công", "/app/services"),
                agencies,
                agency,
                from,
                to,
                by_level: levels.by_level.map(count),
                procedures: count(levels.total),
                online_procedures: count(online),
                online_share: share(online, levels.total),
                published: count(catalogue.published),
                received: LevelRow::of("Tổng cộng".into(), &overall(&figures)),
                rows: figures
                    .by_level
                    .iter()
                    .map(|(level, f)| LevelRow::of(level.label().to_owned(), f))
                    .collect(),
                early: count(figures.early),
                on_time: count(figures.on_time),
                late: count(figures.late),
                resolved: count(figures.resolved()),
                in_time_share: share(figures.early + figures.on_time, figures.resolved()),
                pending: count(figures.pending),
                overdue: count(figures.overdue),
            }))
        }
        .await,
    )
}

/// Every level together, for the table's last row.
fn overall(figures: &ServicesFigures) -> LevelFigures {
    LevelFigures {
        desk: figures.desk,
        online: figures.online,
        post: figures.post,
        online_percent: vn::numbers::percent_of(figures.online, figures.received()),
    }
}
