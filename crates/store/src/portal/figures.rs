//! The report's portal figures, counted by the database: articles
//! published in a period by site and language and by category, and the
//! component sites existing at its end.

use std::collections::HashMap;

use domain::portal::articles::ArticleStatus;
use domain::portal::figures::{CategoryCount, DocumentFigures, PortalFigures, SiteCount};
use domain::portal::{CategoryId, SiteId};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Asterisk, Expr, ExprTrait, Query, SelectStatement};
use time::{Date, OffsetDateTime};

use crate::error::corrupt;
use crate::{StoreError, Tx};

fn count_of(n: i64) -> Result<u64, StoreError> {
    u64::try_from(n).map_err(corrupt("count"))
}

fn col(name: &'static str) -> Expr {
    Expr::col(("portal_articles", name))
}

/// Limits `query` to the articles published in `[start, end)` on `sites`
/// (all when `None`).
fn published_in(
    query: &mut SelectStatement,
    (start, end): (OffsetDateTime, OffsetDateTime),
    sites: Option<&[SiteId]>,
) {
    query
        .and_where(col("status").eq(ArticleStatus::Published.as_str()))
        .and_where(col("publish_at").gte(domain::to_stored_precision(start)))
        .and_where(col("publish_at").lt(domain::to_stored_precision(end)));
    if let Some(sites) = sites {
        query.and_where(col("site_id").is_in(sites.iter().copied()));
    }
}

impl Tx {
    /// The figures of the articles published in `[start, end)` and of the
    /// sites opened by `last_day`, over `sites` (all when `None`).
    pub async fn portal_figures(
        &self,
        moments: (OffsetDateTime, OffsetDateTime),
        last_day: Date,
        sites: Option<&[SiteId]>,
    ) -> Result<PortalFigures, StoreError> {
        let by_site = self.articles_by_site(moments, sites).await?;
        let mut by_category = Vec::new();
        let per_category = self.articles_by_category(moments, sites).await?;
        for count in &by_site {
            for c in self.categories(count.site_id).await? {
                if let Some(n) = per_category.get(&c.id) {
                    by_category.push(CategoryCount {
                        category_id: c.id,
                        site_id: c.site_id,
                        name: c.name,
                        articles: *n,
                    });
                }
            }
        }
        let mut query = Query::select()
            .expr_as(Expr::col(Asterisk).count(), "n")
            .from("portal_sites")
            .and_where(Expr::col("main").eq(false))
            .and_where(Expr::col("opened_on").lte(last_day))
            .take();
        if let Some(sites) = sites {
            query.and_where(Expr::col("id").is_in(sites.iter().copied()));
        }
        let component_sites = match self.conn().query_one(&query).await? {
            Some(row) => count_of(row.try_get("", "n")?)?,
            None => 0,
        };
        let component_posts = by_site
            .iter()
            .filter(|s| !s.main)
            .map(SiteCount::total)
            .sum();
        let documents = DocumentFigures::of(self.publications_by_category(moments, sites).await?);
        Ok(PortalFigures {
            by_site,
            by_category,
            component_sites,
            component_posts,
            documents,
        })
    }

    /// Sites with articles published in the period, by language: the main
    /// portal first, then by name, as `sites` lists them.
    async fn articles_by_site(
        &self,
        moments: (OffsetDateTime, OffsetDateTime),
        sites: Option<&[SiteId]>,
    ) -> Result<Vec<SiteCount>, StoreError> {
        let all_sites = self.sites().await?;
        let mut query = Query::select()
            .column(("portal_articles", "site_id"))
            .column(("portal_articles", "language"))
            .expr_as(Expr::col(Asterisk).count(), "n")
            .from("portal_articles")
            .group_by_col(("portal_articles", "site_id"))
            .group_by_col(("portal_articles", "language"))
            .take();
        published_in(&mut query, moments, sites);
        let mut by_site: Vec<SiteCount> = Vec::new();
        for row in self.conn().query_all(&query).await? {
            let site_id: SiteId = row.try_get("", "site_id")?;
            let language: String = row.try_get("", "language")?;
            let n = count_of(row.try_get("", "n")?)?;
            let language = language
                .parse()
                .map_err(corrupt("portal_articles.language"))?;
            if let Some(count) = by_site.iter_mut().find(|s| s.site_id == site_id) {
                count.add(language, n);
                continue;
            }
            let site = all_sites
                .iter()
                .find(|s| s.id == site_id)
                .ok_or_else(|| StoreError::Corrupt("an article of no site".into()))?;
            let mut count = SiteCount {
                site_id,
                name: site.name.clone(),
                main: site.main,
                vietnamese: 0,
                khmer: 0,
            };
            count.add(language, n);
            by_site.push(count);
        }
        by_site.sort_by_key(|c| all_sites.iter().position(|s| s.id == c.site_id));
        Ok(by_site)
    }

    /// The articles published in the period in each category.
    async fn articles_by_category(
        &self,
        moments: (OffsetDateTime, OffsetDateTime),
        sites: Option<&[SiteId]>,
    ) -> Result<HashMap<CategoryId, u64>, StoreError> {
        let mut query = Query::select()
            .column(("portal_article_categories", "category_id"))
            .expr_as(Expr::col(Asterisk).count(), "n")
            .from("portal_article_categories")
            .inner_join(
                "portal_articles",
                col("id").equals(("portal_article_categories", "article_id")),
            )
            .group_by_col(("portal_article_categories", "category_id"))
            .take();
        published_in(&mut query, moments, sites);
        let mut per_category = HashMap::new();
        for row in self.conn().query_all(&query).await? {
            per_category.insert(
                row.try_get("", "category_id")?,
                count_of(row.try_get("", "n")?)?,
            );
        }
        Ok(per_category)
    }
}
