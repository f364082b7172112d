//! Gapless counters: the last number given under a key (an agency's
//! document series of a year, an agency's dossiers of a day), in a table
//! of the key's columns and `last_number`. A number is taken inside a
//! write transaction: if it rolls back, the number was never used, so the
//! sequence stays gapless; the write transaction runs alone (it holds the
//! audit head), which makes the increment unique across desks and servers.

use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{
    Expr, ExprTrait, InsertStatement, OnConflict, Query, SelectStatement, UpdateStatement, Value,
};

use crate::error::corrupt;
use crate::{StoreError, Tx};

/// A counter's row: its table and the key columns with their values.
pub(crate) struct Counter {
    pub table: &'static str,
    pub key: Vec<(&'static str, Value)>,
}

/// The number in a counter's row (0 when there is none yet).
fn number(row: Option<sea_orm::QueryResult>) -> Result<u32, StoreError> {
    let Some(row) = row else {
        return Ok(0);
    };
    let last: i64 = row.try_get("", "last_number")?;
    u32::try_from(last).map_err(corrupt("last_number"))
}

impl Counter {
    fn select(&self) -> SelectStatement {
        let mut query = Query::select()
            .column("last_number")
            .from(self.table)
            .take();
        for (column, value) in &self.key {
            query.and_where(Expr::col(*column).eq(value.clone()));
        }
        query
    }

    /// The counter's row with `last` as its number; `on_conflict` says
    /// what happens when the row exists.
    fn insert(&self, last: u32, on_conflict: OnConflict) -> InsertStatement {
        let columns = self.key.iter().map(|(column, _)| *column);
        let mut values: Vec<Value> = self.key.iter().map(|(_, v)| v.clone()).collect();
        values.push(i64::from(last).into());
        Query::insert()
            .into_table(self.table)
            .columns(columns.chain(["last_number"]))
            .values_panic(values.into_iter().map(Into::into))
            .on_conflict(on_conflict)
            .take()
    }

    fn key_columns(&self) -> impl Iterator<Item = &'static str> {
        self.key.iter().map(|(column, _)| *column)
    }

    fn increment(&self) -> UpdateStatement {
        let mut query = Query::update()
            .table(self.table)
            .value("last_number", Expr::col("last_number").add(1))
            .returning_col("last_number")
            .take();
        for (column, value) in &self.key {
            query.and_where(Expr::col(*column).eq(value.clone()));
        }
        query
    }
}

impl Tx {
    /// The last number `counter` gave (0 before its first), read without
    /// taking one.
    pub(crate) async fn last_of(&self, counter: &Counter) -> Result<u32, StoreError> {
        let row = self.conn().query_one(&counter.select()).await?;
        number(row)
    }

    /// The next number of `counter`, taken inside this write transaction.
    pub(crate) async fn next_of(&self, counter: &Counter) -> Result<u32, StoreError> {
        if self.head.is_none() {
            return Err(StoreError::Corrupt(format!(
                "{} taken outside a write transaction",
                counter.table
            )));
        }
        let keep = OnConflict::columns(counter.key_columns())
            .do_nothing()
            .to_owned();
        self.conn().execute(&counter.insert(0, keep)).await?;
        let row = self.conn().query_one(&counter.increment()).await?;
        if row.is_none() {
            return Err(StoreError::Corrupt(format!(
                "{} row vanished",
                counter.table
            )));
        }
        number(row)
    }

    /// Raises `counter`'s last number to `last` (never lowers it): after
    /// rows numbered elsewhere were loaded, so later numbers follow them.
    pub(crate) async fn raise_to(&self, counter: &Counter, last: u32) -> Result<(), StoreError> {
        let raise = OnConflict::columns(counter.key_columns())
            .value("last_number", Expr::value(i64::from(last)))
            .action_and_where(Expr::col((counter.table, "last_number")).lt(i64::from(last)))
            .to_owned();
        self.conn().execute(&counter.insert(last, raise)).await?;
        Ok(())
    }
}
