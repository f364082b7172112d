//! What documents are filed under and linked to: each agency's list of
//! fields (lĩnh vực), the citations found in a document's text, and the
//! edXML status messages its recipients sent back.

use domain::agencies::AgencyId;
use domain::documents::{Citation, DocumentId, ExchangeStatus};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};

use crate::{StoreError, Tx};

impl Tx {
    /// Records citations found in a document's text, in order, after the
    /// `first` it already has.
    pub async fn insert_citations(
        &self,
        id: DocumentId,
        first: usize,
        citations: &[Citation],
    ) -> Result<(), StoreError> {
        for (position, c) in (first..).zip(citations) {
            self.conn()
                .execute(
                    &Query::insert()
                        .into_table("document_citations")
                        .columns(["document_id", "position", "symbol", "doc_type", "cited_on"])
                        .values_panic([
                            id.into(),
                            i32::try_from(position).unwrap_or(i32::MAX).into(),
                            c.symbol.clone().into(),
                            c.doc_type.clone().into(),
                            c.cited_on.into(),
                        ])
                        .take(),
                )
                .await?;
        }
        Ok(())
    }

    /// The citations of a document, in order.
    pub async fn citations_of(&self, id: DocumentId) -> Result<Vec<Citation>, StoreError> {
        let rows = self
            .conn()
            .query_all(
                &Query::select()
                    .columns(["symbol", "doc_type", "cited_on"])
                    .from("document_citations")
                    .and_where(Expr::col("document_id").eq(id))
                    .order_by("position", sea_orm::Order::Asc)
                    .take(),
            )
            .await?;
        rows.into_iter()
            .map(|row| {
                Ok(Citation {
                    symbol: row.try_get("", "symbol")?,
                    doc_type: row.try_get("", "doc_type")?,
                    cited_on: row.try_get("", "cited_on")?,
                })
            })
            .collect()
    }

    /// Records a status message about a document; `false` if the same
    /// message was already recorded.
    pub async fn insert_exchange_status(&self, s: &ExchangeStatus) -> Result<bool, StoreError> {
        let result = self
            .conn()
            .execute(
                &Query::insert()
                    .into_table("exchange_statuses")
                    .columns([
                        "document_id",
                        "from_organ_id",
                        "from_name",
                        "code",
                        "description",
                        "stated_at",
                    ])
                    .values_panic([
                        s.document_id.into(),
                        s.from_organ_id.clone().into(),
                        s.from_name.clone().into(),
                        i32::from(s.code).into(),
                        s.description.clone().into(),
                        s.stated_at.into(),
                    ])
                    .on_conflict(
                        OnConflict::columns(["document_id", "from_organ_id", "code", "stated_at"])
                            .do_nothing()
                            .to_owned(),
                    )
                    .take(),
            )
            .await?;
        Ok(result.rows_affected() > 0)
    }

    /// The status messages about a document, in the order they were stated.
    pub async fn exchange_statuses(
        &self,
        id: DocumentId,
    ) -> Result<Vec<ExchangeStatus>, StoreError> {
        let rows = self
            .conn()
            .query_all(
                &Query::select()
                    .columns([
                        "from_organ_id",
                        "from_name",
                        "code",
                        "description",
                        "stated_at",
                    ])
                    .from("exchange_statuses")
                    .and_where(Expr::col("document_id").eq(id))
                    .order_by("stated_at", sea_orm::Order::Asc)
                    .order_by("id", sea_orm::Order::Asc)
                    .take(),
            )
            .await?;
        rows.into_iter()
            .map(|row| {
                let code: i32 = row.try_get("", "code")?;
                Ok(ExchangeStatus {
                    document_id: id,
                    from_organ_id: row.try_get("", "from_organ_id")?,
                    from_name: row.try_get("", "from_name")?,
                    code: u8::try_from(code)
                        .map_err(crate::error::corrupt("exchange_statuses.code"))?,
                    description: row.try_get("", "description")?,
                    stated_at: row.try_get("", "stated_at")?,
                })
            })
            .collect()
    }

    /// An agency's own list of fields (lĩnh vực), in its order.
    pub async fn document_fields(&self, agency: AgencyId) -> Result<Vec<String>, StoreError> {
        let rows = self
            .conn()
            .query_all(
                &Query::select()
                    .column("name")
                    .from("document_fields")
                    .and_where(Expr::col("agency_id").eq(agency))
                    .order_by("position", sea_orm::Order::Asc)
                    .take(),
            )
            .await?;
        rows.into_iter()
            .map(|row| Ok(row.try_get("", "name")?))
            .collect()
    }

    /// Replaces an agency's list of fields.
    pub async fn set_document_fields(
        &self,
        agency: AgencyId,
        names: &[String],
    ) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::delete()
                    .from_table("document_fields")
                    .and_where(Expr::col("agency_id").eq(agency))
                    .take(),
            )
            .await?;
        for (position, name) in (0_i32..).zip(names) {
            self.conn()
                .execute(
                    &Query::insert()
                        .into_table("document_fields")
                        .columns(["agency_id", "position", "name"])
                        .values_panic([agency.into(), position.into(), name.clone().into()])
                        .take(),
                )
                .await?;
        }
        Ok(())
    }
}
