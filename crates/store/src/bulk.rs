//! Writes for `egov bench documents` only: the bulk load of a register
//! of a million documents, and the bare insert the benchmark compares
//! egov's registrations with. Nothing in the application calls these.
//!
//! Invariant: the bulk load keeps the number series consistent (each
//! series' last number is the highest loaded), so registrations that
//! follow stay gapless.

use domain::documents::{Document, Series};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ActiveModelTrait, ConnectionTrait};
use time::OffsetDateTime;

use crate::documents::row_of;
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
        self.conn()
            .execute(
                &Query::insert()
                    .into_table("number_series")
                    .columns(["agency_id", "series", "year", "last_number"])
                    .values_panic([
                        series.agency_id.into(),
                        series.name().into(),
                        series.year.into(),
                        i64::from(last).into(),
                    ])
                    .on_conflict(
                        OnConflict::columns(["agency_id", "series", "year"])
                            .value("last_number", Expr::value(i64::from(last)))
                            .action_and_where(
                                Expr::col(("number_series", "last_number")).lt(i64::from(last)),
                            )
                            .to_owned(),
                    )
                    .take(),
            )
            .await?;
        Ok(())
    }
}
