//! The public-service figures of the monthly report, as queries over the
//! dossiers: received in a period by channel and by the procedure's
//! level, the returns of a period counted early / on time / late against
//! their due dates, and what was still pending when a period ended.

use domain::agencies::AgencyId;
use domain::services::{Channel, DossierStatus, Level, Timeliness};
use sea_orm::sea_query::{Asterisk, Expr, ExprTrait, JoinType, Query};
use sea_orm::{ConnectionTrait, DbBackend};
use time::{Date, OffsetDateTime};

use crate::error::corrupt;
use crate::{StoreError, Tx};

/// Dossiers received, for one channel and level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReceivedCount {
    pub channel: Channel,
    pub level: Level,
    pub count: u64,
}

/// Dossiers pending at a moment, and those of them past their due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PendingCount {
    pub pending: u64,
    pub overdue: u64,
}

/// The Vietnam calendar day (UTC+7, no daylight saving) of a dossier's
/// `returned_at`, comparable with its `due_on` on either engine. SQLite
/// keeps moments as RFC 3339 text in UTC and dates as `YYYY-MM-DD`, which
/// `date(…, '+7 hours')` reads and writes; PostgreSQL's `timestamptz` is
/// turned into UTC wall time first, so the session's time zone plays no
/// part.
fn vietnam_day_of_return(backend: DbBackend) -> Expr {
    match backend {
        DbBackend::Postgres => {
            Expr::cust(r#"CAST(("returned_at" AT TIME ZONE 'UTC') + INTERVAL '7 hours' AS date)"#)
        }
        _ => Expr::cust(r#"date("returned_at", '+7 hours')"#),
    }
}

fn count_of(row: &sea_orm::QueryResult) -> Result<u64, StoreError> {
    let n: i64 = row.try_get("", "n")?;
    u64::try_from(n).map_err(corrupt("count"))
}

impl Tx {
    /// `agencies`' dossiers received in `[from, to)`, counted by channel
    /// and by their procedure's level (pairs with none are left out).
    pub async fn dossiers_received_by_channel_and_level(
        &self,
        agencies: &[AgencyId],
        (from, to): (OffsetDateTime, OffsetDateTime),
    ) -> Result<Vec<ReceivedCount>, StoreError> {
        let rows = self
            .conn()
            .query_all(
                &Query::select()
                    .column(("d", "channel"))
                    .column(("p", "level"))
                    .expr_as(Expr::col(Asterisk).count(), "n")
                    .from_as("dossiers", "d")
                    .join_as(
                        JoinType::InnerJoin,
                        "procedures",
                        "p",
                        Expr::col(("p", "id")).equals(("d", "procedure_id")),
                    )
                    .and_where(Expr::col(("d", "agency_id")).is_in(agencies.iter().copied()))
                    .and_where(Expr::col(("d", "received_at")).gte(from))
                    .and_where(Expr::col(("d", "received_at")).lt(to))
                    .group_by_col(("d", "channel"))
                    .group_by_col(("p", "level"))
                    .take(),
            )
            .await?;
        rows.iter()
            .map(|row| {
                let channel: String = row.try_get("", "channel")?;
                let level: String = row.try_get("", "level")?;
                Ok(ReceivedCount {
                    channel: channel.parse().map_err(corrupt("dossiers.channel"))?,
                    level: level.parse().map_err(corrupt("procedures.level"))?,
                    count: count_of(row)?,
                })
            })
            .collect()
    }

    /// `agencies`' dossiers returned in `[from, to)`, counted by how the
    /// Vietnam day of their return compares with their due date — the
    /// classification of `domain::services::Timeliness::of`, made in the
    /// database so that a year's returns are not read one by one
    /// (timelinesses with none are left out).
    pub async fn dossiers_returned_by_timeliness(
        &self,
        agencies: &[AgencyId],
        (from, to): (OffsetDateTime, OffsetDateTime),
    ) -> Result<Vec<(Timeliness, u64)>, StoreError> {
        let day = || vietnam_day_of_return(self.conn().get_database_backend());
        let timeliness = Expr::case(day().lt(Expr::col("due_on")), Timeliness::Early.as_str())
            .case(day().eq(Expr::col("due_on")), Timeliness::OnTime.as_str())
            .finally(Timeliness::Late.as_str());
        let rows = self
            .conn()
            .query_all(
                &Query::select()
                    .expr_as(timeliness, "timeliness")
                    .expr_as(Expr::col(Asterisk).count(), "n")
                    .from("dossiers")
                    .and_where(Expr::col("agency_id").is_in(agencies.iter().copied()))
                    .and_where(Expr::col("returned_at").gte(from))
                    .and_where(Expr::col("returned_at").lt(to))
                    // By the alias: PostgreSQL would not see the CASE,
                    // whose labels are bound parameters, as the same
                    // expression twice.
                    .group_by_col("timeliness")
                    .take(),
            )
            .await?;
        rows.iter()
            .map(|row| {
                let timeliness: String = row.try_get("", "timeliness")?;
                Ok((
                    timeliness.parse().map_err(corrupt("timeliness"))?,
                    count_of(row)?,
                ))
            })
            .collect()
    }

    /// `agencies`' dossiers received before `end` and not returned by then
    /// (refused and cancelled ones left out: when that happened is not
    /// recorded), and of them those due on or before `last_day` whose
    /// clock was not stopped for a supplement by then.
    pub async fn dossiers_pending_at(
        &self,
        agencies: &[AgencyId],
        end: OffsetDateTime,
        last_day: Date,
    ) -> Result<PendingCount, StoreError> {
        // Not returned by `end` is two ranges of `dossiers_returned_idx`,
        // counted apart and added: as one condition (NULL or later) the
        // planner reads the index on `received_at` instead and looks up
        // every dossier received before `end` in the table.
        let mut total = PendingCount::default();
        for not_returned in [
            Expr::col("returned_at").is_null(),
            Expr::col("returned_at").gte(end),
        ] {
            let part = self
                .dossiers_pending_part(agencies, (end, last_day), not_returned)
                .await?;
            total.pending += part.pending;
            total.overdue += part.overdue;
        }
        Ok(total)
    }

    /// `dossiers_pending_at` for the dossiers `not_returned` selects.
    async fn dossiers_pending_part(
        &self,
        agencies: &[AgencyId],
        (end, last_day): (OffsetDateTime, Date),
        not_returned: Expr,
    ) -> Result<PendingCount, StoreError> {
        let overdue = Expr::col("due_on").lte(last_day).and(
            Expr::col("stopped_on")
                .is_null()
                .or(Expr::col("stopped_on").gt(last_day)),
        );
        // `count(*)`, not of `id`, which the index lacks on PostgreSQL.
        let query = Query::select()
            .expr_as(Expr::col(Asterisk).count(), "n")
            .expr_as(Expr::case(overdue, 1).finally(0).sum(), "overdue")
            .from("dossiers")
            .and_where(Expr::col("agency_id").is_in(agencies.iter().copied()))
            .and_where(not_returned)
            .and_where(Expr::col("received_at").lt(end))
            .and_where(Expr::col("status").is_not_in([
                DossierStatus::Cancelled.as_str(),
                DossierStatus::Denied.as_str(),
            ]))
            .take();
        let Some(row) = self.conn().query_one(&query).await? else {
            return Ok(PendingCount::default());
        };
        // SUM over no row is NULL.
        let overdue: Option<i64> = row.try_get("", "overdue")?;
        Ok(PendingCount {
            pending: count_of(&row)?,
            overdue: u64::try_from(overdue.unwrap_or(0)).map_err(corrupt("count"))?,
        })
    }
}
