//! The report's grassroots figures, counted in SQL over the stations
//! kept by the agencies asked for.

use std::collections::HashMap;

use domain::agencies::AgencyId;
use domain::grassroots::figures::{CampaignShare, GrassrootsFigures};
use domain::grassroots::stations::StationKind;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Asterisk, Expr, ExprTrait, Func, Query, SelectStatement};
use time::Date;

use crate::error::corrupt;
use crate::{StoreError, Tx};

fn count(n: Option<i64>) -> Result<u64, StoreError> {
    u64::try_from(n.unwrap_or(0)).map_err(corrupt("count"))
}

/// `query`, over `broadcast_logs` joined to their stations, narrowed to
/// the days `from..=to` and to the stations of `agencies`, when given.
fn logs_in(
    mut query: SelectStatement,
    (from, to): (Date, Date),
    agencies: Option<&[AgencyId]>,
) -> SelectStatement {
    query
        .from("broadcast_logs")
        .inner_join(
            "radio_stations",
            Expr::col(("radio_stations", "id")).equals(("broadcast_logs", "station_id")),
        )
        .and_where(Expr::col(("broadcast_logs", "day")).between(from, to));
    if let Some(agencies) = agencies {
        query.and_where(Expr::col(("radio_stations", "agency_id")).is_in(agencies.iter().copied()));
    }
    query
}

impl Tx {
    /// The figures of the days `from..=to` for the stations and
    /// campaigns of `agencies` (all when `None`).
    pub async fn grassroots_figures(
        &self,
        (from, to): (Date, Date),
        agencies: Option<&[AgencyId]>,
    ) -> Result<GrassrootsFigures, StoreError> {
        let mut figures = GrassrootsFigures::default();
        let mut in_service = Query::select()
            .column("kind")
            .expr_as(Expr::col(Asterisk).count(), "n")
            .from("radio_stations")
            .and_where(Expr::col("starts_on").lte(to))
            .and_where(
                Expr::col("ends_on")
                    .is_null()
                    .or(Expr::col("ends_on").gte(to)),
            )
            .group_by_col("kind")
            .take();
        if let Some(agencies) = agencies {
            in_service.and_where(Expr::col("agency_id").is_in(agencies.iter().copied()));
        }
        for row in self.conn().query_all(&in_service).await? {
            let kind: String = row.try_get("", "kind")?;
            let n = count(row.try_get("", "n")?)?;
            match kind.parse().map_err(corrupt("radio_stations.kind"))? {
                StationKind::Wired => figures.wired_in_service = n,
                StationKind::Wireless => figures.wireless_in_service = n,
            }
        }
        let producing = Expr::case(
            Expr::col(("broadcast_logs", "self_minutes")).gt(0),
            Expr::col(("broadcast_logs", "station_id")),
        );
        let totals = logs_in(
            Query::select()
                .expr_as(Func::count_distinct(producing), "producing")
                .expr_as(
                    Expr::col(("broadcast_logs", "self_minutes")).sum(),
                    "minutes",
                )
                .expr_as(Expr::col(Asterisk).count(), "days")
                .take(),
            (from, to),
            agencies,
        );
        if let Some(row) = self.conn().query_one(&totals).await? {
            figures.self_producing = count(row.try_get("", "producing")?)?;
            // SUM over no row is NULL.
            figures.self_minutes = count(row.try_get("", "minutes")?)?;
            figures.station_days = count(row.try_get("", "days")?)?;
        }
        figures.campaigns = self
            .campaign_shares((from, to), agencies, figures.in_service())
            .await?;
        Ok(figures)
    }

    /// The reach of each campaign running in `from..=to`, earliest first.
    async fn campaign_shares(
        &self,
        (from, to): (Date, Date),
        agencies: Option<&[AgencyId]>,
        in_service: u64,
    ) -> Result<Vec<CampaignShare>, StoreError> {
        let carried = logs_in(
            Query::select()
                .column(("broadcast_log_campaigns", "campaign_id"))
                .expr_as(
                    Func::count_distinct(Expr::col(("broadcast_logs", "station_id"))),
                    "n",
                )
                .inner_join(
                    "broadcast_log_campaigns",
                    Expr::col(("broadcast_log_campaigns", "log_id"))
                        .equals(("broadcast_logs", "id")),
                )
                .group_by_col(("broadcast_log_campaigns", "campaign_id"))
                .take(),
            (from, to),
            agencies,
        );
        let mut by_campaign: HashMap<i64, u64> = HashMap::new();
        for row in self.conn().query_all(&carried).await? {
            by_campaign.insert(
                row.try_get("", "campaign_id")?,
                count(row.try_get("", "n")?)?,
            );
        }
        let mut campaigns = self.campaigns(agencies).await?;
        campaigns.retain(|c| c.from <= to && c.to >= from);
        campaigns.reverse();
        Ok(campaigns
            .into_iter()
            .map(|c| CampaignShare {
                carried_by: by_campaign.get(&c.id).copied().unwrap_or(0),
                campaign_id: c.id,
                title: c.title,
                in_service,
            })
            .collect())
    }
}
