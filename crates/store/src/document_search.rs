//! The documents' full-text index, the one query behind search and the
//! register pages (filters, visibility, paging), and the counts behind the
//! report's document figures.
//!
//! Invariant: every list of documents a reader sees is built here, with the
//! reader's [`Visibility`] applied in SQL, so no caller can forget it.

use domain::agencies::AgencyId;
use domain::documents::{
    Confidentiality, Direction, Document, DocumentCounts, DocumentId, SignatureVerdict,
};
use domain::search::{DocumentFilter, Found, Sort, Terms, Visibility};
use sea_orm::sea_query::{Condition, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};

use time::Date;

use crate::documents::to_domain;
use crate::entities::document;
use crate::{StoreError, Tx};

/// The question in FTS5's syntax: each phrase quoted, all required.
pub(crate) fn fts5_query(terms: &Terms) -> String {
    terms
        .phrases
        .iter()
        .map(|p| format!("\"{}\"", p.join(" ")))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The question in `to_tsquery`'s syntax: phrases by `<->`, all by `&`.
pub(crate) fn tsquery(terms: &Terms) -> String {
    terms
        .phrases
        .iter()
        .map(|p| format!("({})", p.join(" <-> ")))
        .collect::<Vec<_>>()
        .join(" & ")
}

impl Tx {
    pub(crate) fn backend(&self) -> DbBackend {
        self.conn().get_database_backend()
    }

    /// Replaces the indexed words of a document (see `domain::search`).
    pub async fn set_document_words(&self, id: DocumentId, words: &str) -> Result<(), StoreError> {
        let conn = self.conn();
        if self.backend() == DbBackend::Postgres {
            conn.execute(
                &Query::insert()
                    .into_table("document_text")
                    .columns(["document_id", "words"])
                    .values_panic([id.into(), words.into()])
                    .on_conflict(
                        OnConflict::column("document_id")
                            .update_column("words")
                            .to_owned(),
                    )
                    .take(),
            )
            .await?;
        } else {
            // An FTS5 table has no conflict clause: delete, then insert.
            conn.execute(
                &Query::delete()
                    .from_table("document_text")
                    .and_where(Expr::col("rowid").eq(id))
                    .take(),
            )
            .await?;
            conn.execute(
                &Query::insert()
                    .into_table("document_text")
                    .columns(["rowid", "words"])
                    .values_panic([id.into(), words.into()])
                    .take(),
            )
            .await?;
        }
        Ok(())
    }

    /// How many documents of `agencies` entered a register between two
    /// days (inclusive), and how many outgoing ones carry valid
    /// signatures on their main file.
    pub async fn document_counts(
        &self,
        agencies: &[AgencyId],
        (from, to): (Date, Date),
    ) -> Result<DocumentCounts, StoreError> {
        use document::Column as C;
        let base = |direction: Direction| {
            document::Entity::find()
                .filter(C::AgencyId.is_in(agencies.iter().copied()))
                .filter(C::Direction.eq(direction.as_str()))
                .filter(C::RegisteredOn.gte(from))
                .filter(C::RegisteredOn.lte(to))
        };
        let signed_main_files = Query::select()
            .column("document_id")
            .from("document_files")
            .and_where(Expr::col("position").eq(0))
            .and_where(Expr::col("signature").eq(SignatureVerdict::Valid.as_str()))
            .take();
        Ok(DocumentCounts {
            outgoing: base(Direction::Outgoing).count(self.conn()).await?,
            signed: base(Direction::Outgoing)
                .filter(C::Id.in_subquery(signed_main_files))
                .count(self.conn())
                .await?,
            incoming: base(Direction::Incoming).count(self.conn()).await?,
        })
    }

    /// The indexed words of a document (empty if none).
    pub async fn document_words(&self, id: DocumentId) -> Result<String, StoreError> {
        let key = if self.backend() == DbBackend::Postgres {
            "document_id"
        } else {
            "rowid"
        };
        let row = self
            .conn()
            .query_one(
                &Query::select()
                    .column("words")
                    .from("document_text")
                    .and_where(Expr::col(key).eq(id))
                    .take(),
            )
            .await?;
        Ok(match row {
            Some(row) => row.try_get("", "words")?,
            None => String::new(),
        })
    }

    fn filtered(&self, filter: &DocumentFilter, visible: &Visibility) -> Select<document::Entity> {
        use document::Column as C;
        let mut query = document::Entity::find()
            .filter(C::AgencyId.is_in(visible.agencies.iter().copied()))
            .filter(
                Condition::any()
                    .add(C::Confidentiality.eq(Confidentiality::Normal.as_str()))
                    .add(C::AgencyId.is_in(visible.confidential.iter().copied())),
            );
        if let Some(agency) = filter.agency_id {
            query = query.filter(C::AgencyId.eq(agency));
        }
        if let Some(direction) = filter.direction {
            query = query.filter(C::Direction.eq(direction.as_str()));
        }
        if let Some(kind) = &filter.doc_type {
            query = query.filter(C::DocType.eq(kind.as_str()));
        }
        if let Some(field) = &filter.field {
            query = query.filter(C::Field.eq(field.as_str()));
        }
        if let Some(from) = filter.from {
            query = query.filter(C::RegisteredOn.gte(from));
        }
        if let Some(to) = filter.to {
            query = query.filter(C::RegisteredOn.lte(to));
        }
        if let Some(symbol) = &filter.symbol {
            query = query.filter(C::Symbol.eq(symbol.as_str()));
        }
        if let Some(cited) = &filter.cites {
            query = query.filter(
                C::Id.in_subquery(
                    Query::select()
                        .column("document_id")
                        .from("document_citations")
                        .and_where(Expr::col("symbol").eq(cited.as_str()))
                        .take(),
                ),
            );
        }
        if let Some(urgency) = filter.urgency {
            query = query.filter(C::Urgency.eq(urgency.as_str()));
        }
        if !filter.terms.is_empty() {
            let matching = if self.backend() == DbBackend::Postgres {
                Expr::cust_with_values(
                    "\"documents\".\"id\" IN (SELECT document_id FROM document_text \
                     WHERE tsv @@ to_tsquery('simple', $1))",
                    [tsquery(&filter.terms)],
                )
            } else {
                Expr::cust_with_values(
                    "\"documents\".\"id\" IN (SELECT rowid FROM document_text \
                     WHERE document_text MATCH ?)",
                    [fts5_query(&filter.terms)],
                )
            };
            query = query.filter(matching);
        }
        match filter.sort {
            Sort::Newest => query.order_by_desc(C::RegisteredOn).order_by_desc(C::Id),
            Sort::Oldest => query.order_by_asc(C::RegisteredOn).order_by_asc(C::Id),
        }
    }

    /// The documents matching `filter` that the reader may see: one page,
    /// and how many in all.
    pub async fn find_documents(
        &self,
        filter: &DocumentFilter,
        visible: &Visibility,
        offset: u64,
        limit: u64,
    ) -> Result<Found<Document>, StoreError> {
        let total = self.filtered(filter, visible).count(self.conn()).await?;
        let items = self
            .filtered(filter, visible)
            .offset(offset)
            .limit(limit)
            .all(self.conn())
            .await?
            .into_iter()
            .map(to_domain)
            .collect::<Result<_, _>>()?;
        Ok(Found { items, total })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_query_languages_say_the_same() {
        let terms = Terms::parse("\"bầu cử\" 2021");
        assert_eq!(fts5_query(&terms), "\"bau cu\" AND \"2021\"");
        assert_eq!(tsquery(&terms), "(bau <-> cu) & (2021)");
    }
}
