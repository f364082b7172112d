//! Articles, their categories, revisions and daily view counts.

use std::collections::HashMap;

use domain::portal::CategoryId;
use domain::portal::articles::{Article, ArticleId, Revision};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, Order, QueryResult};
use time::Date;

use crate::error::corrupt;
use crate::{StoreError, Tx};

/// Rows written by one statement of a bulk load.
const CHUNK: usize = 200;

pub(super) const ARTICLE_COLUMNS: [&str; 17] = [
    "id",
    "site_id",
    "language",
    "title",
    "summary",
    "body_html",
    "byline",
    "author_id",
    "tags",
    "status",
    "publish_at",
    "translation_of",
    "shared",
    "return_reason",
    "revision",
    "created_at",
    "updated_at",
];

/// The article's columns but `id`, in [`ARTICLE_COLUMNS`]' order. Tags
/// are kept one a line: a tag is squashed text and holds no line break.
fn article_values(a: &Article) -> [SimpleExpr; 16] {
    [
        a.site_id.into(),
        a.language.as_str().into(),
        a.title.clone().into(),
        a.summary.clone().into(),
        a.body_html.clone().into(),
        a.byline.clone().into(),
        a.author_id.into(),
        a.tags.join("\n").into(),
        a.status.as_str().into(),
        a.publish_at.map(domain::to_stored_precision).into(),
        a.translation_of.into(),
        a.shared.as_str().into(),
        a.return_reason.clone().into(),
        a.revision.into(),
        domain::to_stored_precision(a.created_at).into(),
        domain::to_stored_precision(a.updated_at).into(),
    ]
}

/// An article read back, without its categories (see `with_categories`).
pub(super) fn article_of(row: &QueryResult) -> Result<Article, StoreError> {
    let language: String = row.try_get("", "language")?;
    let status: String = row.try_get("", "status")?;
    let shared: String = row.try_get("", "shared")?;
    let tags: String = row.try_get("", "tags")?;
    Ok(Article {
        id: row.try_get("", "id")?,
        site_id: row.try_get("", "site_id")?,
        language: language
            .parse()
            .map_err(corrupt("portal_articles.language"))?,
        title: row.try_get("", "title")?,
        summary: row.try_get("", "summary")?,
        body_html: row.try_get("", "body_html")?,
        byline: row.try_get("", "byline")?,
        author_id: row.try_get("", "author_id")?,
        category_ids: Vec::new(),
        tags: tags.lines().map(str::to_owned).collect(),
        status: status.parse().map_err(corrupt("portal_articles.status"))?,
        publish_at: row.try_get("", "publish_at")?,
        translation_of: row.try_get("", "translation_of")?,
        shared: shared.parse().map_err(corrupt("portal_articles.shared"))?,
        return_reason: row.try_get("", "return_reason")?,
        revision: row.try_get("", "revision")?,
        created_at: row.try_get("", "created_at")?,
        updated_at: row.try_get("", "updated_at")?,
    })
}

/// A revision's columns, in the order written and read.
const REVISION_COLUMNS: [&str; 7] = [
    "article_id",
    "revision",
    "title",
    "summary",
    "body_html",
    "by",
    "at",
];

impl Tx {
    /// Records `articles` (their ids ignored), each with its categories,
    /// its first revision by its author and its indexed `words` (the same
    /// length as `articles`), a few statements per [`CHUNK`]; their ids,
    /// in order.
    pub async fn insert_articles(
        &self,
        articles: &[Article],
        words: &[String],
    ) -> Result<Vec<ArticleId>, StoreError> {
        let mut all = Vec::with_capacity(articles.len());
        for (chunk, chunk_words) in articles.chunks(CHUNK).zip(words.chunks(CHUNK)) {
            let mut insert = Query::insert()
                .into_table("portal_articles")
                .columns(ARTICLE_COLUMNS.into_iter().skip(1))
                .returning_col("id")
                .take();
            for a in chunk {
                insert.values_panic(article_values(a));
            }
            let rows = self.conn().query_all(&insert).await?;
            // Both engines number the rows of one multi-row VALUES in their
            // order; the order RETURNING lists them in is not promised.
            let mut ids = rows
                .iter()
                .map(|r| r.try_get::<i64>("", "id"))
                .collect::<Result<Vec<_>, _>>()?;
            ids.sort_unstable();
            if ids.len() != chunk.len() {
                return Err(StoreError::Corrupt("articles inserted without ids".into()));
            }
            let stored: Vec<Article> = chunk
                .iter()
                .zip(&ids)
                .map(|(a, id)| Article {
                    id: *id,
                    ..a.clone()
                })
                .collect();
            self.insert_article_categories(&stored).await?;
            let revisions: Vec<Revision> =
                stored.iter().map(|a| a.revision_by(a.author_id)).collect();
            self.insert_revisions(&revisions).await?;
            let pairs: Vec<(ArticleId, &str)> = ids
                .iter()
                .copied()
                .zip(chunk_words.iter().map(String::as_str))
                .collect();
            self.set_article_words(&pairs).await?;
            all.extend(ids);
        }
        Ok(all)
    }

    /// Writes an article's row and its categories.
    pub async fn update_article(&self, a: &Article) -> Result<(), StoreError> {
        let values = ARTICLE_COLUMNS
            .into_iter()
            .skip(1)
            .zip(article_values(a))
            .collect::<Vec<_>>();
        self.conn()
            .execute(
                &Query::update()
                    .table("portal_articles")
                    .values(values)
                    .and_where(Expr::col("id").eq(a.id))
                    .take(),
            )
            .await?;
        self.conn()
            .execute(
                &Query::delete()
                    .from_table("portal_article_categories")
                    .and_where(Expr::col("article_id").eq(a.id))
                    .take(),
            )
            .await?;
        self.insert_article_categories(std::slice::from_ref(a))
            .await
    }

    async fn insert_article_categories(&self, articles: &[Article]) -> Result<(), StoreError> {
        let mut insert = Query::insert()
            .into_table("portal_article_categories")
            .columns(["article_id", "category_id"])
            .take();
        let mut any = false;
        for a in articles {
            for c in &a.category_ids {
                insert.values_panic([a.id.into(), (*c).into()]);
                any = true;
            }
        }
        if any {
            self.conn().execute(&insert).await?;
        }
        Ok(())
    }

    /// `articles` with their categories filled in.
    pub(super) async fn with_categories(
        &self,
        mut articles: Vec<Article>,
    ) -> Result<Vec<Article>, StoreError> {
        if articles.is_empty() {
            return Ok(articles);
        }
        let rows = self
            .conn()
            .query_all(
                &Query::select()
                    .columns(["article_id", "category_id"])
                    .from("portal_article_categories")
                    .and_where(Expr::col("article_id").is_in(articles.iter().map(|a| a.id)))
                    .order_by("category_id", Order::Asc)
                    .take(),
            )
            .await?;
        let mut of: HashMap<ArticleId, Vec<CategoryId>> = HashMap::new();
        for row in rows {
            of.entry(row.try_get("", "article_id")?)
                .or_default()
                .push(row.try_get("", "category_id")?);
        }
        for a in &mut articles {
            a.category_ids = of.remove(&a.id).unwrap_or_default();
        }
        Ok(articles)
    }

    pub async fn article(&self, id: ArticleId) -> Result<Option<Article>, StoreError> {
        Ok(self
            .articles_where(Expr::col("id").eq(id))
            .await?
            .into_iter()
            .next())
    }

    /// The articles that translate `id`.
    pub async fn translations_of(&self, id: ArticleId) -> Result<Vec<Article>, StoreError> {
        self.articles_where(Expr::col("translation_of").eq(id))
            .await
    }

    async fn articles_where(&self, condition: SimpleExpr) -> Result<Vec<Article>, StoreError> {
        let rows = self
            .conn()
            .query_all(
                &Query::select()
                    .columns(ARTICLE_COLUMNS)
                    .from("portal_articles")
                    .and_where(condition)
                    .order_by("id", Order::Asc)
                    .take(),
            )
            .await?;
        let articles = rows.iter().map(article_of).collect::<Result<_, _>>()?;
        self.with_categories(articles).await
    }

    /// Keeps saved states of articles.
    pub async fn insert_revisions(&self, revisions: &[Revision]) -> Result<(), StoreError> {
        if revisions.is_empty() {
            return Ok(());
        }
        let mut insert = Query::insert()
            .into_table("portal_revisions")
            .columns(REVISION_COLUMNS)
            .take();
        for r in revisions {
            insert.values_panic([
                r.article_id.into(),
                r.revision.into(),
                r.title.clone().into(),
                r.summary.clone().into(),
                r.body_html.clone().into(),
                r.by.into(),
                domain::to_stored_precision(r.at).into(),
            ]);
        }
        self.conn().execute(&insert).await?;
        Ok(())
    }

    /// An article's revisions, the latest first.
    pub async fn revisions(&self, id: ArticleId) -> Result<Vec<Revision>, StoreError> {
        let rows = self
            .conn()
            .query_all(
                &Query::select()
                    .columns(REVISION_COLUMNS)
                    .from("portal_revisions")
                    .and_where(Expr::col("article_id").eq(id))
                    .order_by("revision", Order::Desc)
                    .take(),
            )
            .await?;
        rows.iter()
            .map(|row| {
                Ok(Revision {
                    article_id: row.try_get("", "article_id")?,
                    revision: row.try_get("", "revision")?,
                    title: row.try_get("", "title")?,
                    summary: row.try_get("", "summary")?,
                    body_html: row.try_get("", "body_html")?,
                    by: row.try_get("", "by")?,
                    at: row.try_get("", "at")?,
                })
            })
            .collect()
    }

    /// `n` more views of `article` on `day` (an upsert: the first views of
    /// a day make its row).
    pub async fn count_views(
        &self,
        article: ArticleId,
        day: Date,
        n: u64,
    ) -> Result<(), StoreError> {
        // A flush never holds 2^63 readings; saturate rather than fail.
        let n = i64::try_from(n).unwrap_or(i64::MAX);
        self.conn()
            .execute(
                &Query::insert()
                    .into_table("portal_views")
                    .columns(["article_id", "day", "views"])
                    .values_panic([article.into(), day.into(), n.into()])
                    .on_conflict(
                        OnConflict::columns(["article_id", "day"])
                            .value("views", Expr::col(("portal_views", "views")).add(n))
                            .to_owned(),
                    )
                    .take(),
            )
            .await?;
        Ok(())
    }

    /// The views of `article` on each day it was read, by day.
    pub async fn views(&self, article: ArticleId) -> Result<Vec<(Date, u64)>, StoreError> {
        let rows = self
            .conn()
            .query_all(
                &Query::select()
                    .columns(["day", "views"])
                    .from("portal_views")
                    .and_where(Expr::col("article_id").eq(article))
                    .order_by("day", Order::Asc)
                    .take(),
            )
            .await?;
        rows.iter()
            .map(|row| {
                let n: i64 = row.try_get("", "views")?;
                Ok((
                    row.try_get("", "day")?,
                    u64::try_from(n).map_err(corrupt("portal_views.views"))?,
                ))
            })
            .collect()
    }
}
