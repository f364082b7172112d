//! Daily broadcast logs and the campaigns each carried.

use std::collections::{HashMap, HashSet};

use domain::grassroots::logs::{BroadcastLog, Relayed};
use domain::grassroots::stations::StationId;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, Order, QueryResult};
use time::Date;

use crate::error::corrupt;
use crate::{StoreError, Tx};

const COLUMNS: [&str; 8] = [
    "id",
    "station_id",
    "day",
    "self_minutes",
    "vov_minutes",
    "provincial_minutes",
    "district_minutes",
    "topics",
];

/// Rows a statement: 8 values each stays far under either engine's limit
/// of bound parameters.
const CHUNK: usize = 500;

fn log_of(row: &QueryResult) -> Result<BroadcastLog, StoreError> {
    let minutes = |c: &str| -> Result<u32, StoreError> {
        let n: i32 = row.try_get("", c)?;
        u32::try_from(n).map_err(corrupt("broadcast_logs"))
    };
    let topics: String = row.try_get("", "topics")?;
    Ok(BroadcastLog {
        id: row.try_get("", "id")?,
        station_id: row.try_get("", "station_id")?,
        day: row.try_get("", "day")?,
        self_minutes: minutes("self_minutes")?,
        relayed: Relayed {
            vov: minutes("vov_minutes")?,
            provincial: minutes("provincial_minutes")?,
            district: minutes("district_minutes")?,
        },
        topics: topics.lines().map(str::to_owned).collect(),
        campaign_ids: Vec::new(),
    })
}

impl Tx {
    /// Records checked logs with their campaigns, a few hundred rows a
    /// statement: the form's one log, an import's month, the demo's.
    pub async fn insert_logs(&self, logs: &[BroadcastLog]) -> Result<(), StoreError> {
        for chunk in logs.chunks(CHUNK) {
            let mut insert = Query::insert()
                .into_table("broadcast_logs")
                .columns(COLUMNS.into_iter().skip(1))
                .take();
            for l in chunk {
                insert.values_panic([
                    l.station_id.into(),
                    l.day.into(),
                    i64::from(l.self_minutes).into(),
                    i64::from(l.relayed.vov).into(),
                    i64::from(l.relayed.provincial).into(),
                    i64::from(l.relayed.district).into(),
                    l.topics.join("\n").into(),
                ]);
            }
            self.conn().execute(&insert).await?;
            let carrying: Vec<&BroadcastLog> = chunk
                .iter()
                .filter(|l| !l.campaign_ids.is_empty())
                .collect();
            if carrying.is_empty() {
                continue;
            }
            let ids = self.log_ids(&carrying).await?;
            let mut links = Query::insert()
                .into_table("broadcast_log_campaigns")
                .columns(["log_id", "campaign_id"])
                .take();
            for l in carrying {
                let id = ids
                    .get(&(l.station_id, l.day))
                    .ok_or_else(|| StoreError::Corrupt("a log just written is missing".into()))?;
                for campaign in &l.campaign_ids {
                    links.values_panic([(*id).into(), (*campaign).into()]);
                }
            }
            self.conn().execute(&links).await?;
        }
        Ok(())
    }

    /// The ids of `logs`, by station and day.
    async fn log_ids(
        &self,
        logs: &[&BroadcastLog],
    ) -> Result<HashMap<(StationId, Date), i64>, StoreError> {
        let stations: HashSet<StationId> = logs.iter().map(|l| l.station_id).collect();
        let days: HashSet<Date> = logs.iter().map(|l| l.day).collect();
        let rows = self
            .conn()
            .query_all(
                &Query::select()
                    .columns(["id", "station_id", "day"])
                    .from("broadcast_logs")
                    .and_where(Expr::col("station_id").is_in(stations))
                    .and_where(Expr::col("day").is_in(days))
                    .take(),
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    (r.try_get("", "station_id")?, r.try_get("", "day")?),
                    r.try_get("", "id")?,
                ))
            })
            .collect()
    }

    /// The station-days between `from` and `to` (inclusive) with a log.
    pub async fn logged_days(
        &self,
        (from, to): (Date, Date),
    ) -> Result<HashSet<(StationId, Date)>, StoreError> {
        let rows = self
            .conn()
            .query_all(
                &Query::select()
                    .columns(["station_id", "day"])
                    .from("broadcast_logs")
                    .and_where(Expr::col("day").between(from, to))
                    .take(),
            )
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("", "station_id")?, r.try_get("", "day")?)))
            .collect()
    }

    /// `station`'s logs between `from` and `to` (inclusive), by day, each
    /// with its campaigns.
    pub async fn station_logs(
        &self,
        station: StationId,
        (from, to): (Date, Date),
    ) -> Result<Vec<BroadcastLog>, StoreError> {
        let rows = self
            .conn()
            .query_all(
                &Query::select()
                    .columns(COLUMNS)
                    .from("broadcast_logs")
                    .and_where(Expr::col("station_id").eq(station))
                    .and_where(Expr::col("day").between(from, to))
                    .order_by("day", Order::Asc)
                    .take(),
            )
            .await?;
        let mut logs = rows.iter().map(log_of).collect::<Result<Vec<_>, _>>()?;
        if logs.is_empty() {
            return Ok(logs);
        }
        let links = self
            .conn()
            .query_all(
                &Query::select()
                    .columns(["log_id", "campaign_id"])
                    .from("broadcast_log_campaigns")
                    .and_where(Expr::col("log_id").is_in(logs.iter().map(|l| l.id)))
                    .order_by("campaign_id", Order::Asc)
                    .take(),
            )
            .await?;
        let mut carried: HashMap<i64, Vec<i64>> = HashMap::new();
        for r in &links {
            carried
                .entry(r.try_get("", "log_id")?)
                .or_default()
                .push(r.try_get("", "campaign_id")?);
        }
        for l in &mut logs {
            l.campaign_ids = carried.remove(&l.id).unwrap_or_default();
        }
        Ok(logs)
    }
}
