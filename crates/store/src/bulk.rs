//! Writes for `egov bench documents` and `egov bench services` only: the
//! bulk loads of a register of a million documents and of a million
//! dossiers, the bare insert the benchmark compares egov's registrations
//! with, and the bare count it compares the figures with. Nothing in the
//! application calls these.
//!
//! Invariant: the bulk loads keep the counters consistent (each number
//! series' and each agency's day's last number is the highest loaded), so
//! registrations and intakes that follow stay gapless.

use domain::agencies::AgencyId;
use domain::documents::{Document, Series};
use domain::services::Dossier;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ActiveModelTrait, ConnectionTrait};
use time::{Date, OffsetDateTime};

use crate::documents::{row_of, series_counter};
use crate::services::{DOSSIER_COLUMNS, dossier_counter, dossier_values};
use crate::{Store, StoreError, Tx};

impl Store {
    /// One bare INSERT of a document row, committed on its own: no audit
    /// entry, no number taken, no index words. The database's own rate
    /// for the row egov writes when it registers a document.
    pub async fn bench_bare_insert(
        &self,
        d: &Document,
        series: Series,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        row_of(d, series, now).insert(&self.db).await?;
        Ok(())
    }
}

impl Tx {
    /// Loads numbered documents with their index words in this
    /// transaction, without audit entries (they are a benchmark's
    /// fixture, not anybody's act).
    pub async fn bulk_load_documents(
        &self,
        rows: &[(Document, Series, String)],
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        for (d, series, words) in rows {
            let inserted = row_of(d, *series, now).insert(self.conn()).await?;
            self.set_document_words(inserted.id, words).await?;
        }
        Ok(())
    }

    /// Raises a series' last number to `last` (never lowers it).
    pub async fn raise_series(&self, series: Series, last: u32) -> Result<(), StoreError> {
        self.raise_to(&series_counter(series), last).await
    }

    /// Loads dossiers (without papers) in this transaction, a thousand
    /// rows a statement, without audit entries or portal records (they
    /// are a benchmark's fixture, not anybody's act).
    pub async fn bulk_load_dossiers(&self, dossiers: &[Dossier]) -> Result<(), StoreError> {
        for chunk in dossiers.chunks(1_000) {
            let mut insert = Query::insert()
                .into_table("dossiers")
                .columns(DOSSIER_COLUMNS.into_iter().skip(1))
                .take();
            for d in chunk {
                insert.values_panic(dossier_values(d));
            }
            self.conn().execute(&insert).await?;
        }
        Ok(())
    }

    /// Raises `agency`'s dossier sequence of `day` to `last`.
    pub async fn raise_dossier_sequence(
        &self,
        agency: AgencyId,
        day: Date,
        last: u32,
    ) -> Result<(), StoreError> {
        self.raise_to(&dossier_counter(agency, day), last).await
    }

    /// A bare count of every dossier: the database's own speed at
    /// reading the table, which the figures query is compared with.
    pub async fn bench_count_dossiers(&self) -> Result<u64, StoreError> {
        self.count(
            Query::select()
                .expr(Expr::col("id").count())
                .from("dossiers")
                .take(),
        )
        .await
    }
}
