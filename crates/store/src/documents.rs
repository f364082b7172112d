//! Queries of the document registers and their number series.

use domain::agencies::AgencyId;
use domain::documents::{Document, DocumentFile, DocumentId, Series};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use time::OffsetDateTime;

use crate::counters::Counter;
use crate::entities::{document, document_file};
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
        exchange_id: row.exchange_id,
    })
}

/// The row of a document as the register keeps it (`id` left to the
/// database).
pub(crate) fn row_of(d: &Document, series: Series, now: OffsetDateTime) -> document::ActiveModel {
    document::ActiveModel {
        agency_id: Set(d.agency_id),
        direction: Set(d.direction.as_str().to_owned()),
        series: Set(series.name()),
        year: Set(d.year),
        number: Set(i64::from(d.number)),
        symbol: Set(d.symbol.clone()),
        doc_type: Set(d.doc_type.clone()),
        summary: Set(d.summary.clone()),
        issued_on: Set(d.issued_on),
        registered_on: Set(d.registered_on),
        issuer: Set(d.issuer.clone()),
        signer: Set(d.signer.clone()),
        urgency: Set(d.urgency.as_str().to_owned()),
        confidentiality: Set(d.confidentiality.as_str().to_owned()),
        field: Set(d.field.clone()),
        exchange_id: Set(d.exchange_id.clone()),
        created_at: Set(domain::to_stored_precision(now)),
        ..Default::default()
    }
}

fn file_to_domain(row: document_file::Model) -> Result<DocumentFile, StoreError> {
    Ok(DocumentFile {
        id: row.id,
        document_id: row.document_id,
        position: u32::try_from(row.position).map_err(corrupt("document_files.position"))?,
        role: row.role.parse().map_err(corrupt("document_files.role"))?,
        name: row.name,
        description: row.description,
        content_type: row.content_type,
        sha256: row.sha256,
        size: u64::try_from(row.size).map_err(corrupt("document_files.size"))?,
        signature: row
            .signature
            .parse()
            .map_err(corrupt("document_files.signature"))?,
        signers: serde_json::from_str(&row.signers).map_err(corrupt("document_files.signers"))?,
    })
}

/// The counter of a number series.
pub(crate) fn series_counter(series: Series) -> Counter {
    Counter {
        table: "number_series",
        key: vec![
            ("agency_id", series.agency_id.into()),
            ("series", series.name().into()),
            ("year", series.year.into()),
        ],
    }
}

impl Tx {
    /// The last number `series` gave (0 before its first), read without
    /// taking one: what the next number will be unless another issue
    /// takes it first, for a number written into a PDF before the write
    /// transaction that takes it (which then checks it got that one).
    pub async fn last_number(&self, series: Series) -> Result<u32, StoreError> {
        self.last_of(&series_counter(series)).await
    }

    /// The next number of `series`, taken inside this write transaction
    /// ([`crate::counters`]: gapless, unique across servers).
    pub async fn next_number(&self, series: Series) -> Result<u32, StoreError> {
        self.next_of(&series_counter(series)).await
    }

    /// Records a registered document; `document.id` is ignored.
    pub async fn insert_document(
        &self,
        document: &Document,
        series: Series,
        now: OffsetDateTime,
    ) -> Result<Document, StoreError> {
        let row = row_of(document, series, now).insert(self.conn()).await?;
        to_domain(row)
    }

    pub async fn document(&self, id: i64) -> Result<Option<Document>, StoreError> {
        document::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .map(to_domain)
            .transpose()
    }

    /// The document of `agency`'s registers that travelled under this
    /// edXML DocumentId, if any.
    pub async fn document_by_exchange_id(
        &self,
        agency: AgencyId,
        exchange_id: &str,
    ) -> Result<Option<Document>, StoreError> {
        document::Entity::find()
            .filter(document::Column::AgencyId.eq(agency))
            .filter(document::Column::ExchangeId.eq(exchange_id))
            .one(self.conn())
            .await?
            .map(to_domain)
            .transpose()
    }

    /// Gives an outgoing document the DocumentId it is sent under.
    pub async fn set_exchange_id(
        &self,
        id: DocumentId,
        exchange_id: &str,
    ) -> Result<(), StoreError> {
        document::Entity::update_many()
            .col_expr(document::Column::ExchangeId, Expr::value(exchange_id))
            .filter(document::Column::Id.eq(id))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Records a file of a document (its blob already recorded); `file.id`
    /// is ignored.
    pub async fn insert_document_file(
        &self,
        file: &DocumentFile,
    ) -> Result<DocumentFile, StoreError> {
        let row = document_file::ActiveModel {
            document_id: Set(file.document_id),
            position: Set(i32::try_from(file.position).map_err(corrupt("document file position"))?),
            role: Set(file.role.as_str().to_owned()),
            name: Set(file.name.clone()),
            description: Set(file.description.clone()),
            content_type: Set(file.content_type.clone()),
            sha256: Set(file.sha256.clone()),
            size: Set(i64::try_from(file.size).map_err(corrupt("document file size"))?),
            signature: Set(file.signature.as_str().to_owned()),
            signers: Set(serde_json::to_string(&file.signers).map_err(corrupt("signers"))?),
            ..Default::default()
        }
        .insert(self.conn())
        .await?;
        file_to_domain(row)
    }

    /// The files of a document, in order.
    pub async fn document_files(
        &self,
        document: DocumentId,
    ) -> Result<Vec<DocumentFile>, StoreError> {
        document_file::Entity::find()
            .filter(document_file::Column::DocumentId.eq(document))
            .order_by_asc(document_file::Column::Position)
            .all(self.conn())
            .await?
            .into_iter()
            .map(file_to_domain)
            .collect()
    }
}
