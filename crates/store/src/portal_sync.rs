//! The national portal's outbox: records written in the transaction that
//! changed their dossier, and the delivery job's bookkeeping — which
//! entries are due (the first undelivered one of each dossier, so a later
//! one never overtakes it), attempts, the next try, the last error.

use domain::portal_sync::OutboxEntry;
use domain::services::DossierId;
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, Order, QueryResult};
use time::OffsetDateTime;

use crate::error::corrupt;
use crate::{StoreError, Tx};

const COLUMNS: [&str; 11] = [
    "id",
    "dossier_id",
    "sequence",
    "key",
    "service",
    "payload",
    "created_at",
    "attempts",
    "next_attempt_at",
    "last_error",
    "delivered_at",
];

fn entry_of(row: &QueryResult) -> Result<OutboxEntry, StoreError> {
    let number = |column: &str| -> Result<u32, StoreError> {
        let n: i32 = row.try_get("", column)?;
        u32::try_from(n).map_err(corrupt("portal_outbox"))
    };
    let service: String = row.try_get("", "service")?;
    Ok(OutboxEntry {
        id: row.try_get("", "id")?,
        dossier_id: row.try_get("", "dossier_id")?,
        sequence: number("sequence")?,
        key: row.try_get("", "key")?,
        service: service.parse().map_err(corrupt("portal_outbox.service"))?,
        payload: row.try_get("", "payload")?,
        created_at: row.try_get("", "created_at")?,
        attempts: number("attempts")?,
        next_attempt_at: row.try_get("", "next_attempt_at")?,
        last_error: row.try_get("", "last_error")?,
        delivered_at: row.try_get("", "delivered_at")?,
    })
}

fn selected() -> SelectStatement {
    Query::select()
        .columns(COLUMNS.map(|c| ("o", c)))
        .from_as("portal_outbox", "o")
        .take()
}

/// Counts of the outbox, for the operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutboxCounts {
    pub pending: u64,
    pub delivered: u64,
}

impl Tx {
    /// The number the next entry of `dossier` takes: one more than its
    /// last (this write transaction runs alone, so it is unique).
    pub async fn next_outbox_sequence(&self, dossier: DossierId) -> Result<u32, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::select()
                    .expr_as(Expr::col("sequence").max(), "last")
                    .from("portal_outbox")
                    .and_where(Expr::col("dossier_id").eq(dossier))
                    .take(),
            )
            .await?;
        let last: Option<i32> = match row {
            Some(row) => row.try_get("", "last")?,
            None => None,
        };
        let last = u32::try_from(last.unwrap_or(0)).map_err(corrupt("portal_outbox.sequence"))?;
        Ok(last + 1)
    }

    /// Queues an entry; `e.id` is ignored.
    pub async fn insert_outbox_entry(&self, e: &OutboxEntry) -> Result<(), StoreError> {
        let int = |n: u32| i32::try_from(n).map_err(corrupt("portal_outbox"));
        self.conn()
            .execute(
                &Query::insert()
                    .into_table("portal_outbox")
                    .columns(COLUMNS.into_iter().skip(1))
                    .values_panic([
                        e.dossier_id.into(),
                        int(e.sequence)?.into(),
                        e.key.clone().into(),
                        e.service.as_str().into(),
                        e.payload.clone().into(),
                        e.created_at.into(),
                        int(e.attempts)?.into(),
                        e.next_attempt_at.into(),
                        e.last_error.clone().into(),
                        e.delivered_at.into(),
                    ])
                    .take(),
            )
            .await?;
        Ok(())
    }

    /// Up to `limit` entries to send at `now`: each dossier's first
    /// undelivered entry, if its next try has come, oldest first.
    pub async fn outbox_due(
        &self,
        now: OffsetDateTime,
        limit: u64,
    ) -> Result<Vec<OutboxEntry>, StoreError> {
        let earlier = Query::select()
            .expr(Expr::val(1))
            .from_as("portal_outbox", "e")
            .and_where(Expr::col(("e", "dossier_id")).equals(("o", "dossier_id")))
            .and_where(Expr::col(("e", "delivered_at")).is_null())
            .and_where(Expr::col(("e", "sequence")).lt(Expr::col(("o", "sequence"))))
            .take();
        self.conn()
            .query_all(
                &selected()
                    .and_where(Expr::col(("o", "delivered_at")).is_null())
                    .and_where(Expr::col(("o", "next_attempt_at")).lte(now))
                    .and_where(Expr::exists(earlier).not())
                    .order_by(("o", "id"), Order::Asc)
                    .limit(limit)
                    .take(),
            )
            .await?
            .iter()
            .map(entry_of)
            .collect()
    }

    /// Moves entries' next try to `until`: a job about to send them
    /// claims them, so another server's job leaves them alone meanwhile
    /// (and takes them back if this one dies).
    pub async fn claim_outbox_entries(
        &self,
        ids: &[i64],
        until: OffsetDateTime,
    ) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::update()
                    .table("portal_outbox")
                    .value("next_attempt_at", until)
                    .and_where(Expr::col("id").is_in(ids.iter().copied()))
                    .take(),
            )
            .await?;
        Ok(())
    }

    /// Records a send: delivered at `delivered`, or failed with `error`
    /// and to be tried again at `next`.
    pub async fn record_outbox_attempt(
        &self,
        entry: &OutboxEntry,
        result: Result<OffsetDateTime, (String, OffsetDateTime)>,
    ) -> Result<(), StoreError> {
        let attempts = i32::try_from(entry.attempts).map_err(corrupt("attempts"))?;
        let mut update = Query::update()
            .table("portal_outbox")
            .value("attempts", attempts)
            .and_where(Expr::col("id").eq(entry.id))
            .take();
        match result {
            Ok(delivered) => update.value("delivered_at", delivered),
            Err((error, next)) => update
                .value("last_error", error)
                .value("next_attempt_at", next),
        };
        self.conn().execute(&update).await?;
        Ok(())
    }

    /// A dossier's entries, in order.
    pub async fn outbox_of_dossier(
        &self,
        dossier: DossierId,
    ) -> Result<Vec<OutboxEntry>, StoreError> {
        self.conn()
            .query_all(
                &selected()
                    .and_where(Expr::col(("o", "dossier_id")).eq(dossier))
                    .order_by(("o", "sequence"), Order::Asc)
                    .take(),
            )
            .await?
            .iter()
            .map(entry_of)
            .collect()
    }

    /// How many entries wait and how many went out.
    pub async fn outbox_counts(&self) -> Result<OutboxCounts, StoreError> {
        let count = |pending: bool| {
            let delivered = Expr::col("delivered_at");
            Query::select()
                .expr_as(Expr::col("id").count(), "n")
                .from("portal_outbox")
                .and_where(if pending {
                    delivered.is_null()
                } else {
                    delivered.is_not_null()
                })
                .take()
        };
        let mut counts = [0u64; 2];
        for (slot, pending) in counts.iter_mut().zip([true, false]) {
            if let Some(row) = self.conn().query_one(&count(pending)).await? {
                let n: i64 = row.try_get("", "n")?;
                *slot = u64::try_from(n).map_err(corrupt("count"))?;
            }
        }
        Ok(OutboxCounts {
            pending: counts[0],
            delivered: counts[1],
        })
    }
}
