//! The portal's records: sites, their categories and members here;
//! articles, revisions and views in `articles`; lists and the full-text
//! index in `search`; the report's counts in `figures`; documents
//! published from the register and their comments in `publications`.

mod articles;
mod figures;
mod images;
mod publications;
mod search;

use domain::people::PersonId;
use domain::portal::{Category, CategoryId, Site, SiteId, SiteRole};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ConnectionTrait, Order, QueryResult};

use crate::error::corrupt;
use crate::{StoreError, Tx};

const SITE_COLUMNS: [&str; 7] = [
    "id",
    "slug",
    "name",
    "agency_id",
    "host",
    "main",
    "opened_on",
];

const CATEGORY_COLUMNS: [&str; 7] = [
    "id",
    "site_id",
    "slug",
    "name",
    "parent_id",
    "position",
    "in_menu",
];

fn site_of(row: &QueryResult) -> Result<Site, StoreError> {
    Ok(Site {
        id: row.try_get("", "id")?,
        slug: row.try_get("", "slug")?,
        name: row.try_get("", "name")?,
        agency_id: row.try_get("", "agency_id")?,
        host: row.try_get("", "host")?,
        main: row.try_get("", "main")?,
        opened_on: row.try_get("", "opened_on")?,
    })
}

fn category_of(row: &QueryResult) -> Result<Category, StoreError> {
    Ok(Category {
        id: row.try_get("", "id")?,
        site_id: row.try_get("", "site_id")?,
        slug: row.try_get("", "slug")?,
        name: row.try_get("", "name")?,
        parent_id: row.try_get("", "parent_id")?,
        position: row.try_get("", "position")?,
        in_menu: row.try_get("", "in_menu")?,
    })
}

impl Tx {
    /// Records a site; `s.id` is ignored.
    pub async fn insert_site(&self, s: &Site) -> Result<SiteId, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::insert()
                    .into_table("portal_sites")
                    .columns(SITE_COLUMNS.into_iter().skip(1))
                    .values_panic([
                        s.slug.clone().into(),
                        s.name.clone().into(),
                        s.agency_id.into(),
                        s.host.clone().into(),
                        s.main.into(),
                        s.opened_on.into(),
                    ])
                    .returning_col("id")
                    .take(),
            )
            .await?
            .ok_or_else(|| StoreError::Corrupt("no id for the site".into()))?;
        Ok(row.try_get("", "id")?)
    }

    /// Writes a site's slug, name, host and agency.
    pub async fn update_site(&self, s: &Site) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::update()
                    .table("portal_sites")
                    .values([
                        ("slug", s.slug.clone().into()),
                        ("name", s.name.clone().into()),
                        ("agency_id", s.agency_id.into()),
                        ("host", s.host.clone().into()),
                    ])
                    .and_where(Expr::col("id").eq(s.id))
                    .take(),
            )
            .await?;
        Ok(())
    }

    /// The one site whose `column` is `value`.
    async fn site_where(
        &self,
        column: &'static str,
        value: sea_orm::Value,
    ) -> Result<Option<Site>, StoreError> {
        let query = Query::select()
            .columns(SITE_COLUMNS)
            .from("portal_sites")
            .and_where(Expr::col(column).eq(value))
            .take();
        let row = self.conn().query_one(&query).await?;
        row.as_ref().map(site_of).transpose()
    }

    pub async fn site(&self, id: SiteId) -> Result<Option<Site>, StoreError> {
        self.site_where("id", id.into()).await
    }

    pub async fn site_by_slug(&self, slug: &str) -> Result<Option<Site>, StoreError> {
        self.site_where("slug", slug.into()).await
    }

    pub async fn site_by_host(&self, host: &str) -> Result<Option<Site>, StoreError> {
        self.site_where("host", host.into()).await
    }

    /// The main portal, if there is one.
    pub async fn main_site(&self) -> Result<Option<Site>, StoreError> {
        self.site_where("main", true.into()).await
    }

    /// Every site: the main portal first, then by name.
    pub async fn sites(&self) -> Result<Vec<Site>, StoreError> {
        let query = Query::select()
            .columns(SITE_COLUMNS)
            .from("portal_sites")
            .order_by("main", Order::Desc)
            .order_by("name", Order::Asc)
            .order_by("id", Order::Asc)
            .take();
        let rows = self.conn().query_all(&query).await?;
        rows.iter().map(site_of).collect()
    }

    /// Records a category; `c.id` is ignored.
    pub async fn insert_category(&self, c: &Category) -> Result<CategoryId, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::insert()
                    .into_table("portal_categories")
                    .columns(CATEGORY_COLUMNS.into_iter().skip(1))
                    .values_panic([
                        c.site_id.into(),
                        c.slug.clone().into(),
                        c.name.clone().into(),
                        c.parent_id.into(),
                        c.position.into(),
                        c.in_menu.into(),
                    ])
                    .returning_col("id")
                    .take(),
            )
            .await?
            .ok_or_else(|| StoreError::Corrupt("no id for the category".into()))?;
        Ok(row.try_get("", "id")?)
    }

    pub async fn category(&self, id: CategoryId) -> Result<Option<Category>, StoreError> {
        let query = Query::select()
            .columns(CATEGORY_COLUMNS)
            .from("portal_categories")
            .and_where(Expr::col("id").eq(id))
            .take();
        let row = self.conn().query_one(&query).await?;
        row.as_ref().map(category_of).transpose()
    }

    /// A site's categories, by position.
    pub async fn categories(&self, site: SiteId) -> Result<Vec<Category>, StoreError> {
        let query = Query::select()
            .columns(CATEGORY_COLUMNS)
            .from("portal_categories")
            .and_where(Expr::col("site_id").eq(site))
            .order_by("position", Order::Asc)
            .order_by("id", Order::Asc)
            .take();
        let rows = self.conn().query_all(&query).await?;
        rows.iter().map(category_of).collect()
    }

    /// Gives `person` `role` on `site` (replacing a role held before).
    pub async fn set_member(
        &self,
        site: SiteId,
        person: PersonId,
        role: SiteRole,
    ) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::insert()
                    .into_table("portal_members")
                    .columns(["site_id", "person_id", "role"])
                    .values_panic([site.into(), person.into(), role.as_str().into()])
                    .on_conflict(
                        OnConflict::columns(["site_id", "person_id"])
                            .update_column("role")
                            .to_owned(),
                    )
                    .take(),
            )
            .await?;
        Ok(())
    }

    /// Removes `person` from `site`; whether they were a member.
    pub async fn remove_member(&self, site: SiteId, person: PersonId) -> Result<bool, StoreError> {
        let done = self
            .conn()
            .execute(
                &Query::delete()
                    .from_table("portal_members")
                    .and_where(Expr::col("site_id").eq(site))
                    .and_where(Expr::col("person_id").eq(person))
                    .take(),
            )
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// The sites where `person` has a role, with it.
    pub async fn member_roles(
        &self,
        person: PersonId,
    ) -> Result<Vec<(SiteId, SiteRole)>, StoreError> {
        self.member_rows("person_id", person, "site_id").await
    }

    /// The members of a site with their roles, by person.
    pub async fn members(&self, site: SiteId) -> Result<Vec<(PersonId, SiteRole)>, StoreError> {
        self.member_rows("site_id", site, "person_id").await
    }

    /// `(key, role)` of the memberships whose `column` is `id`, by key.
    async fn member_rows(
        &self,
        column: &'static str,
        id: i64,
        key: &'static str,
    ) -> Result<Vec<(i64, SiteRole)>, StoreError> {
        let rows = self
            .conn()
            .query_all(
                &Query::select()
                    .columns([key, "role"])
                    .from("portal_members")
                    .and_where(Expr::col(column).eq(id))
                    .order_by(key, Order::Asc)
                    .take(),
            )
            .await?;
        rows.iter()
            .map(|row| {
                let role: String = row.try_get("", "role")?;
                Ok((
                    row.try_get("", key)?,
                    role.parse().map_err(corrupt("portal_members.role"))?,
                ))
            })
            .collect()
    }
}
