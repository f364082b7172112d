//! Lists of articles (public lists, search, the review queue) through one
//! filter, the articles' full-text index, and the moment a site's public
//! content last changed.
//!
//! Invariant: a public list sets `visible_at`, and this is where it turns
//! into "published and its moment has come", so no caller can show a
//! draft or a scheduled article early.

use domain::portal::SiteId;
use domain::portal::articles::{Article, ArticleFilter, ArticleId, ArticleStatus, Sharing};
use domain::search::Found;
use sea_orm::sea_query::{
    Asterisk, Condition, Expr, ExprTrait, Func, OnConflict, Query, SelectStatement,
};
use sea_orm::{ConnectionTrait, DbBackend, Order};
use time::OffsetDateTime;

use super::articles::{ARTICLE_COLUMNS, article_of};
use crate::document_search::{fts5_query, tsquery};
use crate::{StoreError, Tx};

fn col(name: &'static str) -> Expr {
    Expr::col(("portal_articles", name))
}

/// Visible at `at`: published and its moment come.
fn visible(at: OffsetDateTime) -> Condition {
    Condition::all()
        .add(col("status").eq(ArticleStatus::Published.as_str()))
        .add(col("publish_at").lte(domain::to_stored_precision(at)))
}

/// Of `site`, or (`with_shared`) shared to it with approval.
fn of_site(site: SiteId, with_shared: bool) -> Condition {
    let mut of = Condition::any().add(col("site_id").eq(site));
    if with_shared {
        of = of.add(col("shared").eq(Sharing::Approved.as_str()));
    }
    of
}

impl Tx {
    /// Replaces the indexed words of articles (see `domain::search`).
    pub async fn set_article_words(&self, words: &[(ArticleId, &str)]) -> Result<(), StoreError> {
        if words.is_empty() {
            return Ok(());
        }
        let conn = self.conn();
        if self.backend() == DbBackend::Postgres {
            let mut insert = Query::insert()
                .into_table("portal_text")
                .columns(["article_id", "words"])
                .on_conflict(
                    OnConflict::column("article_id")
                        .update_column("words")
                        .to_owned(),
                )
                .take();
            for (id, w) in words {
                insert.values_panic([(*id).into(), (*w).into()]);
            }
            conn.execute(&insert).await?;
        } else {
            // An FTS5 table has no conflict clause: delete, then insert.
            conn.execute(
                &Query::delete()
                    .from_table("portal_text")
                    .and_where(Expr::col("rowid").is_in(words.iter().map(|(id, _)| *id)))
                    .take(),
            )
            .await?;
            let mut insert = Query::insert()
                .into_table("portal_text")
                .columns(["rowid", "words"])
                .take();
            for (id, w) in words {
                insert.values_panic([(*id).into(), (*w).into()]);
            }
            conn.execute(&insert).await?;
        }
        Ok(())
    }

    /// The articles whose indexed words answer `filter.terms`: the
    /// dialect-specific part of [`Tx::find_articles`].
    fn articles_matching(&self, filter: &ArticleFilter) -> Expr {
        if self.backend() == DbBackend::Postgres {
            Expr::cust_with_values(
                "\"portal_articles\".\"id\" IN (SELECT article_id FROM portal_text \
                 WHERE tsv @@ to_tsquery('simple', $1))",
                [tsquery(&filter.terms)],
            )
        } else {
            Expr::cust_with_values(
                "\"portal_articles\".\"id\" IN (SELECT rowid FROM portal_text \
                 WHERE portal_text MATCH ?)",
                [fts5_query(&filter.terms)],
            )
        }
    }

    fn articles_filtered(&self, filter: &ArticleFilter) -> SelectStatement {
        let mut query = Query::select().from("portal_articles").take();
        if let Some(site) = filter.site_id {
            query.cond_where(of_site(site, filter.with_shared));
        }
        if let Some(sites) = &filter.sites {
            query.and_where(col("site_id").is_in(sites.iter().copied()));
        }
        if let Some(category) = filter.category_id {
            query.and_where(
                col("id").in_subquery(
                    Query::select()
                        .column("article_id")
                        .from("portal_article_categories")
                        .and_where(Expr::col("category_id").eq(category))
                        .take(),
                ),
            );
        }
        if let Some(language) = filter.language {
            query.and_where(col("language").eq(language.as_str()));
        }
        if let Some(status) = filter.status {
            query.and_where(col("status").eq(status.as_str()));
        }
        if let Some(at) = filter.visible_at {
            query.cond_where(visible(at));
        }
        if !filter.terms.is_empty() {
            query.and_where(self.articles_matching(filter));
        }
        query
    }

    /// One page of the articles `filter` asks for, and how many in all:
    /// public lists newest publication first, others latest change first.
    pub async fn find_articles(
        &self,
        filter: &ArticleFilter,
        offset: u64,
        limit: u64,
    ) -> Result<Found<Article>, StoreError> {
        let count = self
            .articles_filtered(filter)
            .expr_as(Expr::col(Asterisk).count(), "n")
            .take();
        let total: i64 = match self.conn().query_one(&count).await? {
            Some(row) => row.try_get("", "n")?,
            None => 0,
        };
        let order = if filter.visible_at.is_some() {
            "publish_at"
        } else {
            "updated_at"
        };
        let page = self
            .articles_filtered(filter)
            .columns(ARTICLE_COLUMNS.map(|c| ("portal_articles", c)))
            .order_by(("portal_articles", order), Order::Desc)
            .order_by(("portal_articles", "id"), Order::Desc)
            .offset(offset)
            .limit(limit)
            .take();
        let rows = self.conn().query_all(&page).await?;
        let items = rows.iter().map(article_of).collect::<Result<_, _>>()?;
        Ok(Found {
            items: self.with_categories(items).await?,
            total: u64::try_from(total).unwrap_or(0),
        })
    }

    /// The latest moment the public content of `site` (with its shared
    /// articles when `with_shared`) changed by `now`: the latest update or
    /// publication among articles whose publication has come, whatever
    /// their status now — an unpublished article's removal is a change.
    pub async fn site_last_modified(
        &self,
        site: SiteId,
        with_shared: bool,
        now: OffsetDateTime,
    ) -> Result<Option<OffsetDateTime>, StoreError> {
        let query = Query::select()
            .expr_as(Func::max(col("updated_at")), "updated")
            .expr_as(Func::max(col("publish_at")), "published")
            .from("portal_articles")
            .cond_where(of_site(site, with_shared))
            .and_where(col("publish_at").lte(domain::to_stored_precision(now)))
            .take();
        let Some(row) = self.conn().query_one(&query).await? else {
            return Ok(None);
        };
        let updated: Option<OffsetDateTime> = row.try_get("", "updated")?;
        let published: Option<OffsetDateTime> = row.try_get("", "published")?;
        Ok(Ord::max(updated, published))
    }
}
