//! Transactions: the only way area functions reach the database.
//!
//! Invariant: a write transaction locks the audit chain's head when it
//! begins (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: the head row's lock), so
//! audit entries get consecutive numbers in commit order, and it writes the
//! new head back just before it commits.

use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, SqliteTransactionMode,
    TransactionOptions, TransactionTrait,
};

use crate::StoreError;

/// An open transaction. Dropping it without [`Tx::commit`] rolls it back.
#[derive(Debug)]
pub struct Tx {
    inner: DatabaseTransaction,
    /// The audit head as of the last entry appended here; `None` in a read
    /// transaction.
    pub(crate) head: Option<Head>,
}

#[derive(Debug, Clone)]
pub(crate) struct Head {
    pub seq: i64,
    pub hash: String,
    pub changed: bool,
}

impl Tx {
    pub(crate) async fn begin_read(db: &DatabaseConnection) -> Result<Self, StoreError> {
        Ok(Self {
            inner: db.begin().await?,
            head: None,
        })
    }

    pub(crate) async fn begin_write(db: &DatabaseConnection) -> Result<Self, StoreError> {
        let inner = db
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..TransactionOptions::default()
            })
            .await?;
        // A no-op update takes the head row's lock on PostgreSQL; on SQLite
        // the immediate transaction already holds the write lock.
        inner
            .execute(
                &Query::update()
                    .table("audit_head")
                    .value("seq", Expr::col("seq"))
                    .and_where(Expr::col("id").eq(1))
                    .take(),
            )
            .await?;
        let (seq, hash) = read_head(&inner).await?;
        let head = Head {
            seq,
            hash,
            changed: false,
        };
        Ok(Self {
            inner,
            head: Some(head),
        })
    }

    pub(crate) fn conn(&self) -> &DatabaseTransaction {
        &self.inner
    }

    /// Makes the transaction's changes durable.
    pub async fn commit(self) -> Result<(), StoreError> {
        if let Some(head) = self.head.as_ref().filter(|h| h.changed) {
            self.inner
                .execute(
                    &Query::update()
                        .table("audit_head")
                        .value("seq", head.seq)
                        .value("hash", head.hash.clone())
                        .and_where(Expr::col("id").eq(1))
                        .take(),
                )
                .await?;
        }
        self.inner.commit().await?;
        Ok(())
    }

    /// Abandons the transaction's changes.
    pub async fn rollback(self) -> Result<(), StoreError> {
        self.inner.rollback().await?;
        Ok(())
    }
}

/// The stored head of the audit chain: last sequence number and hash.
pub(crate) async fn read_head(conn: &impl ConnectionTrait) -> Result<(i64, String), StoreError> {
    let row = conn
        .query_one(
            &Query::select()
                .columns(["seq", "hash"])
                .from("audit_head")
                .and_where(Expr::col("id").eq(1))
                .take(),
        )
        .await?
        .ok_or_else(|| StoreError::Corrupt("audit_head has no row".into()))?;
    Ok((row.try_get("", "seq")?, row.try_get("", "hash")?))
}
