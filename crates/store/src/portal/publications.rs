//! Documents published on the portal and the comments of their public
//! consultations: a publication is a row naming the registered document
//! (`documents.id`), never a copy of it; the report's count by category.
//!
//! Invariant: a public list reads only publications not withdrawn
//! (`withdrawn_at IS NULL`), written here once ([`visible`]).

use domain::portal::SiteId;
use domain::portal::publications::{
    Comment, CommentId, Consultation, DocumentCategory, Publication, PublicationId,
};
use domain::search::Found;
use sea_orm::sea_query::{Asterisk, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, Order, QueryResult};
use time::{Date, OffsetDateTime};

use crate::error::corrupt;
use crate::{StoreError, Tx};

const PUBLICATION_COLUMNS: [&str; 9] = [
    "id",
    "site_id",
    "document_id",
    "category",
    "published_at",
    "published_by",
    "withdrawn_at",
    "opens",
    "closes",
];

const COMMENT_COLUMNS: [&str; 7] = [
    "id",
    "publication_id",
    "name",
    "contact",
    "organisation",
    "body",
    "received_at",
];

fn col(name: &'static str) -> Expr {
    Expr::col(("portal_publications", name))
}

/// Readers see it: not withdrawn.
fn visible(query: &mut SelectStatement) {
    query.and_where(col("withdrawn_at").is_null());
}

fn count_of(n: i64) -> Result<u64, StoreError> {
    u64::try_from(n).map_err(corrupt("count"))
}

fn publication_of(row: &QueryResult) -> Result<Publication, StoreError> {
    let category: String = row.try_get("", "category")?;
    let opens: Option<Date> = row.try_get("", "opens")?;
    let closes: Option<Date> = row.try_get("", "closes")?;
    Ok(Publication {
        id: row.try_get("", "id")?,
        site_id: row.try_get("", "site_id")?,
        document_id: row.try_get("", "document_id")?,
        category: category
            .parse()
            .map_err(corrupt("portal_publications.category"))?,
        published_at: row.try_get("", "published_at")?,
        published_by: row.try_get("", "published_by")?,
        withdrawn_at: row.try_get("", "withdrawn_at")?,
        consultation: opens
            .zip(closes)
            .map(|(opens, closes)| Consultation { opens, closes }),
    })
}

fn comment_of(row: &QueryResult) -> Result<Comment, StoreError> {
    Ok(Comment {
        id: row.try_get("", "id")?,
        publication_id: row.try_get("", "publication_id")?,
        name: row.try_get("", "name")?,
        contact: row.try_get("", "contact")?,
        organisation: row.try_get("", "organisation")?,
        body: row.try_get("", "body")?,
        received_at: row.try_get("", "received_at")?,
    })
}

fn select_publications() -> SelectStatement {
    Query::select()
        .columns(PUBLICATION_COLUMNS.map(|c| ("portal_publications", c)))
        .from("portal_publications")
        .take()
}

impl Tx {
    /// Records publications (their ids ignored); their ids, in order.
    pub async fn insert_publications(
        &self,
        publications: &[Publication],
    ) -> Result<Vec<PublicationId>, StoreError> {
        let mut ids = Vec::with_capacity(publications.len());
        for p in publications {
            let row = self
                .conn()
                .query_one(
                    &Query::insert()
                        .into_table("portal_publications")
                        .columns(PUBLICATION_COLUMNS.into_iter().skip(1))
                        .values_panic([
                            p.site_id.into(),
                            p.document_id.into(),
                            p.category.as_str().into(),
                            domain::to_stored_precision(p.published_at).into(),
                            p.published_by.into(),
                            p.withdrawn_at.map(domain::to_stored_precision).into(),
                            p.consultation.map(|c| c.opens).into(),
                            p.consultation.map(|c| c.closes).into(),
                        ])
                        .returning_col("id")
                        .take(),
                )
                .await?
                .ok_or_else(|| StoreError::Corrupt("publication inserted without id".into()))?;
            ids.push(row.try_get("", "id")?);
        }
        Ok(ids)
    }

    /// Marks publication `id` withdrawn at `at`; false when it was already.
    pub async fn withdraw_publication(
        &self,
        id: PublicationId,
        at: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let done = self
            .conn()
            .execute(
                &Query::update()
                    .table("portal_publications")
                    .value("withdrawn_at", domain::to_stored_precision(at))
                    .and_where(Expr::col("id").eq(id))
                    .and_where(Expr::col("withdrawn_at").is_null())
                    .take(),
            )
            .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn publication(&self, id: PublicationId) -> Result<Option<Publication>, StoreError> {
        let query = select_publications().and_where(col("id").eq(id)).take();
        self.conn()
            .query_one(&query)
            .await?
            .as_ref()
            .map(publication_of)
            .transpose()
    }

    /// The publication of `document` on `site` that readers see, if any.
    pub async fn visible_publication_of(
        &self,
        site: SiteId,
        document: i64,
    ) -> Result<Option<Publication>, StoreError> {
        let mut query = select_publications()
            .and_where(col("site_id").eq(site))
            .and_where(col("document_id").eq(document))
            .take();
        visible(&mut query);
        self.conn()
            .query_one(&query)
            .await?
            .as_ref()
            .map(publication_of)
            .transpose()
    }

    /// One page of a site's publications, newest first, and how many in
    /// all: in `category` when given, the withdrawn ones only when
    /// `with_withdrawn` (the staff's list).
    pub async fn site_publications(
        &self,
        site: SiteId,
        category: Option<DocumentCategory>,
        with_withdrawn: bool,
        (offset, limit): (u64, u64),
    ) -> Result<Found<Publication>, StoreError> {
        let mut filtered = Query::select()
            .from("portal_publications")
            .and_where(col("site_id").eq(site))
            .take();
        if let Some(category) = category {
            filtered.and_where(col("category").eq(category.as_str()));
        }
        if !with_withdrawn {
            visible(&mut filtered);
        }
        let count = filtered
            .clone()
            .expr_as(Expr::col(Asterisk).count(), "n")
            .take();
        let total = match self.conn().query_one(&count).await? {
            Some(row) => count_of(row.try_get("", "n")?)?,
            None => 0,
        };
        let page = filtered
            .columns(PUBLICATION_COLUMNS.map(|c| ("portal_publications", c)))
            .order_by(("portal_publications", "published_at"), Order::Desc)
            .order_by(("portal_publications", "id"), Order::Desc)
            .offset(offset)
            .limit(limit)
            .take();
        let rows = self.conn().query_all(&page).await?;
        Ok(Found {
            items: rows.iter().map(publication_of).collect::<Result<_, _>>()?,
            total,
        })
    }

    /// Records a comment (its id ignored).
    pub async fn insert_comment(&self, c: &Comment) -> Result<CommentId, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::insert()
                    .into_table("portal_consultation_comments")
                    .columns(COMMENT_COLUMNS.into_iter().skip(1))
                    .values_panic([
                        c.publication_id.into(),
                        c.name.clone().into(),
                        c.contact.clone().into(),
                        c.organisation.clone().into(),
                        c.body.clone().into(),
                        domain::to_stored_precision(c.received_at).into(),
                    ])
                    .returning_col("id")
                    .take(),
            )
            .await?
            .ok_or_else(|| StoreError::Corrupt("comment inserted without id".into()))?;
        Ok(row.try_get("", "id")?)
    }

    /// A publication's comments, in the order received.
    pub async fn comments(&self, publication: PublicationId) -> Result<Vec<Comment>, StoreError> {
        let query = Query::select()
            .columns(COMMENT_COLUMNS)
            .from("portal_consultation_comments")
            .and_where(Expr::col("publication_id").eq(publication))
            .order_by("received_at", Order::Asc)
            .order_by("id", Order::Asc)
            .take();
        let rows = self.conn().query_all(&query).await?;
        rows.iter().map(comment_of).collect()
    }

    /// How many comments a publication has received.
    pub async fn comment_count(&self, publication: PublicationId) -> Result<u64, StoreError> {
        let query = Query::select()
            .expr_as(Expr::col(Asterisk).count(), "n")
            .from("portal_consultation_comments")
            .and_where(Expr::col("publication_id").eq(publication))
            .take();
        match self.conn().query_one(&query).await? {
            Some(row) => count_of(row.try_get("", "n")?),
            None => Ok(0),
        }
    }

    /// The documents published in `[start, end)` on `sites` (all when
    /// `None`) by category: those not withdrawn before `end` (one taken
    /// down within the period was not published in it after all).
    pub async fn publications_by_category(
        &self,
        (start, end): (OffsetDateTime, OffsetDateTime),
        sites: Option<&[SiteId]>,
    ) -> Result<Vec<(DocumentCategory, u64)>, StoreError> {
        let end = domain::to_stored_precision(end);
        let mut query = Query::select()
            .column(("portal_publications", "category"))
            .expr_as(Expr::col(Asterisk).count(), "n")
            .from("portal_publications")
            .and_where(col("published_at").gte(domain::to_stored_precision(start)))
            .and_where(col("published_at").lt(end))
            .cond_where(
                sea_orm::sea_query::Condition::any()
                    .add(col("withdrawn_at").is_null())
                    .add(col("withdrawn_at").gte(end)),
            )
            .group_by_col(("portal_publications", "category"))
            .take();
        if let Some(sites) = sites {
            query.and_where(col("site_id").is_in(sites.iter().copied()));
        }
        let mut out = Vec::new();
        for row in self.conn().query_all(&query).await? {
            let category: String = row.try_get("", "category")?;
            out.push((
                category
                    .parse()
                    .map_err(corrupt("portal_publications.category"))?,
                count_of(row.try_get("", "n")?)?,
            ));
        }
        Ok(out)
    }
}
