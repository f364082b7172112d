//! Queries of the document registers and their number series.

use domain::documents::{Document, Series};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait};
use time::OffsetDateTime;

use crate::entities::document;
use crate::error::corrupt;
use crate::{StoreError, Tx};

pub(crate) fn to_domain(row: document::Model) -> Result<Document, StoreError> {
    Ok(Document {
        id: row.id,
        agency_id: row.agency_id,
        direction: row
            .direction
            .parse()
            .map_err(corrupt("documents.direction"))?,
        number: u32::try_from(row.number).map_err(corrupt("documents.number"))?,
        year: row.year,
        symbol: row.symbol,
        doc_type: row.doc_type,
        summary: row.summary,
        issued_on: row.issued_on,
        registered_on: row.registered_on,
        issuer: row.issuer,
        signer: row.signer,
        urgency: row.urgency.parse().map_err(corrupt("documents.urgency"))?,
        confidentiality: row
            .confidentiality
            .parse()
            .map_err(corrupt("documents.confidentiality"))?,
        field: row.field,
    })
}

impl Tx {
    /// The next number of `series`, taken inside this write transaction: if
    /// the transaction rolls back, the number was never used, so numbers
    /// stay gapless. The write transaction already runs alone (it holds the
    /// audit head), which makes the increment safe across servers too.
    pub async fn next_number(&self, series: Series) -> Result<u32, StoreError> {
        if self.head.is_none() {
            return Err(StoreError::Corrupt(
                "number taken outside a write transaction".into(),
            ));
        }
        let name = series.name();
        self.conn()
            .execute(
                &Query::insert()
                    .into_table("number_series")
                    .columns(["agency_id", "series", "year", "last_number"])
                    .values_panic([
                        series.agency_id.into(),
                        name.clone().into(),
                        series.year.into(),
                        0i64.into(),
                    ])
                    .on_conflict(
                        OnConflict::columns(["agency_id", "series", "year"])
                            .do_nothing()
                            .to_owned(),
                    )
                    .take(),
            )
            .await?;
        let row = self
            .conn()
            .query_one(
                &Query::update()
                    .table("number_series")
                    .value("last_number", Expr::col("last_number").add(1))
                    .and_where(Expr::col("agency_id").eq(series.agency_id))
                    .and_where(Expr::col("series").eq(name))
                    .and_where(Expr::col("year").eq(series.year))
                    .returning_col("last_number")
                    .take(),
            )
            .await?
            .ok_or_else(|| StoreError::Corrupt("number series vanished".into()))?;
        let last: i64 = row.try_get("", "last_number")?;
        u32::try_from(last).map_err(corrupt("number_series.last_number"))
    }

    /// Records a registered document; `document.id` is ignored.
    pub async fn insert_document(
        &self,
        document: &Document,
        series: Series,
        now: OffsetDateTime,
    ) -> Result<Document, StoreError> {
        let row = document::ActiveModel {
            agency_id: Set(document.agency_id),
            direction: Set(document.direction.as_str().to_owned()),
            series: Set(series.name()),
            year: Set(document.year),
            number: Set(i64::from(document.number)),
            symbol: Set(document.symbol.clone()),
            doc_type: Set(document.doc_type.clone()),
            summary: Set(document.summary.clone()),
            issued_on: Set(document.issued_on),
            registered_on: Set(document.registered_on),
            issuer: Set(document.issuer.clone()),
            signer: Set(document.signer.clone()),
            urgency: Set(document.urgency.as_str().to_owned()),
            confidentiality: Set(document.confidentiality.as_str().to_owned()),
            field: Set(document.field.clone()),
            created_at: Set(domain::to_stored_precision(now)),
            ..Default::default()
        }
        .insert(self.conn())
        .await?;
        to_domain(row)
    }

    pub async fn document(&self, id: i64) -> Result<Option<Document>, StoreError> {
        document::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .map(to_domain)
            .transpose()
    }
}
