//! The provincial portal (issue 11): sites, their categories and members
//! here; articles and their workflow in `articles`; what readers see in
//! `public`; page views in `views`; documents published from the register
//! and their consultations in `publications`; the report's figures in
//! `figures`.
//!
//! Creating sites and categories and choosing members needs
//! `ManagePortal` over the site's agency; what a member may do to
//! articles is `domain::portal::may`, by their role on the site.

pub mod articles;
pub mod figures;
pub mod images;
pub mod public;
pub mod publications;
pub mod staff;
pub mod views;

use domain::authz::Permission;
use domain::people::PersonId;
use domain::portal::{Category, PortalError, Site, SiteId, SiteRole};
use serde::Serialize;

use crate::audit::{Change, record};
use crate::{App, AppError, Ctx};

/// The audit entry of a change to a portal record.
fn change<T: Serialize>(
    action: &'static str,
    object_type: &'static str,
    object_id: i64,
    before: Option<&T>,
    after: Option<&T>,
) -> Change<'static> {
    let json = |v: &T| serde_json::to_value(v).unwrap_or_default();
    Change {
        action,
        object_type,
        object_id: object_id.to_string(),
        before: before.map(json),
        after: after.map(json),
    }
}

impl App {
    pub(crate) async fn site_record(&self, id: SiteId) -> Result<Site, AppError> {
        self.store
            .read()
            .await?
            .site(id)
            .await?
            .ok_or(AppError::NotFound("trang thông tin"))
    }

    /// `ctx`'s role on `site`: the system acts as a reviewer everywhere.
    pub(crate) async fn site_role(
        &self,
        ctx: &Ctx,
        site: SiteId,
    ) -> Result<Option<SiteRole>, AppError> {
        let Some(actor) = &ctx.actor else {
            return Ok(Some(SiteRole::Reviewer));
        };
        let roles = self
            .store
            .read()
            .await?
            .member_roles(actor.person_id)
            .await?;
        Ok(roles.into_iter().find(|(s, _)| *s == site).map(|(_, r)| r))
    }

    async fn require_manage(&self, ctx: &Ctx, site: &Site) -> Result<(), AppError> {
        ctx.require(
            Permission::ManagePortal,
            &self.lineage(site.agency_id).await?,
        )
    }

    /// Creates `site`: a slug and host no other site has, and one main
    /// portal at most.
    pub async fn create_site(&self, ctx: &Ctx, site: Site) -> Result<Site, AppError> {
        self.require_manage(ctx, &site).await?;
        let mut site = site.checked().map_err(AppError::invalid)?;
        let mut tx = self.store.write().await?;
        if site.main && tx.main_site().await?.is_some() {
            return Err(AppError::invalid(PortalError::SecondMain));
        }
        check_unique(&tx, &site).await?;
        site.id = tx.insert_site(&site).await?;
        record(
            &mut tx,
            self,
            ctx,
            change(
                "portal.site.create",
                "portal_site",
                site.id,
                None,
                Some(&site),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(site)
    }

    /// Changes site `id`'s slug, name, host or agency (whether it is the
    /// main portal stays as it was).
    pub async fn update_site(&self, ctx: &Ctx, id: SiteId, site: Site) -> Result<Site, AppError> {
        let before = self.site_record(id).await?;
        self.require_manage(ctx, &before).await?;
        self.require_manage(ctx, &site).await?;
        let after = Site {
            id,
            main: before.main,
            ..site.checked().map_err(AppError::invalid)?
        };
        let mut tx = self.store.write().await?;
        check_unique(&tx, &after).await?;
        tx.update_site(&after).await?;
        record(
            &mut tx,
            self,
            ctx,
            change(
                "portal.site.update",
                "portal_site",
                id,
                Some(&before),
                Some(&after),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Gives `person` `role` on site `id` (replacing their role there).
    pub async fn add_site_member(
        &self,
        ctx: &Ctx,
        id: SiteId,
        person: PersonId,
        role: SiteRole,
    ) -> Result<(), AppError> {
        let site = self.site_record(id).await?;
        self.require_manage(ctx, &site).await?;
        let mut tx = self.store.write().await?;
        if tx.person(person).await?.is_none() {
            return Err(AppError::NotFound("cán bộ"));
        }
        tx.set_member(id, person, role).await?;
        let after = serde_json::json!({ "person_id": person, "role": role });
        record(
            &mut tx,
            self,
            ctx,
            change("portal.member.add", "portal_site", id, None, Some(&after)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Takes `person` off site `id`.
    pub async fn remove_site_member(
        &self,
        ctx: &Ctx,
        id: SiteId,
        person: PersonId,
    ) -> Result<(), AppError> {
        let site = self.site_record(id).await?;
        self.require_manage(ctx, &site).await?;
        let mut tx = self.store.write().await?;
        if !tx.remove_member(id, person).await? {
            return Err(AppError::NotFound("thành viên của trang"));
        }
        let before = serde_json::json!({ "person_id": person });
        record(
            &mut tx,
            self,
            ctx,
            change(
                "portal.member.remove",
                "portal_site",
                id,
                Some(&before),
                None,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Creates `category` on its site, its slug unique there.
    pub async fn create_category(
        &self,
        ctx: &Ctx,
        category: Category,
    ) -> Result<Category, AppError> {
        let site = self.site_record(category.site_id).await?;
        self.require_manage(ctx, &site).await?;
        let mut tx = self.store.write().await?;
        let parent = match category.parent_id {
            Some(p) => Some(
                tx.category(p)
                    .await?
                    .ok_or(AppError::NotFound("chuyên mục cha"))?,
            ),
            None => None,
        };
        let mut category = category
            .checked(parent.as_ref())
            .map_err(AppError::invalid)?;
        let taken = tx.categories(site.id).await?;
        if taken.iter().any(|c| c.slug == category.slug) {
            return Err(AppError::invalid(PortalError::SlugTaken(category.slug)));
        }
        category.id = tx.insert_category(&category).await?;
        record(
            &mut tx,
            self,
            ctx,
            change(
                "portal.category.create",
                "portal_category",
                category.id,
                None,
                Some(&category),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(category)
    }

    pub async fn site_by_slug(&self, slug: &str) -> Result<Site, AppError> {
        self.store
            .read()
            .await?
            .site_by_slug(slug)
            .await?
            .ok_or(AppError::NotFound("trang thông tin"))
    }

    /// The site served at `host` (compared lowercased).
    pub async fn site_by_host(&self, host: &str) -> Result<Site, AppError> {
        self.store
            .read()
            .await?
            .site_by_host(&host.to_ascii_lowercase())
            .await?
            .ok_or(AppError::NotFound("trang thông tin"))
    }

    /// Every site, the main portal first, then by name.
    pub async fn sites(&self) -> Result<Vec<Site>, AppError> {
        Ok(self.store.read().await?.sites().await?)
    }

    /// A site's categories by position (its menu: `domain::portal::menu`).
    pub async fn categories(&self, site: SiteId) -> Result<Vec<Category>, AppError> {
        Ok(self.store.read().await?.categories(site).await?)
    }

    /// Site `id` with its members (by name) and their roles, for those
    /// who manage it.
    pub async fn site_members(
        &self,
        ctx: &Ctx,
        id: SiteId,
    ) -> Result<Vec<(domain::people::Person, SiteRole)>, AppError> {
        let site = self.site_record(id).await?;
        self.require_manage(ctx, &site).await?;
        let read = self.store.read().await?;
        let mut out = Vec::new();
        for (person, role) in read.members(id).await? {
            let person = read
                .person(person)
                .await?
                .ok_or(AppError::NotFound("người dùng"))?;
            out.push((person, role));
        }
        out.sort_by(|a, b| vn::names::compare_full_names(&a.0.full_name, &b.0.full_name));
        Ok(out)
    }

    /// Whether `ctx` may manage some site: create sites, choose members.
    pub fn manages_portal(ctx: &Ctx) -> bool {
        ctx.actor
            .as_ref()
            .is_some_and(|a| !a.roots_of(Permission::ManagePortal).is_empty())
    }

    /// The sites where the signed-in person writes or reviews, with the role.
    pub async fn my_sites(&self, ctx: &Ctx) -> Result<Vec<(Site, SiteRole)>, AppError> {
        let Some(actor) = &ctx.actor else {
            return Ok(Vec::new());
        };
        let read = self.store.read().await?;
        let mut out = Vec::new();
        for (site, role) in read.member_roles(actor.person_id).await? {
            let site = read
                .site(site)
                .await?
                .ok_or(AppError::NotFound("trang thông tin"))?;
            out.push((site, role));
        }
        Ok(out)
    }
}

/// Refuses a slug or host that another site has.
async fn check_unique(tx: &store::Tx, site: &Site) -> Result<(), AppError> {
    if tx
        .site_by_slug(&site.slug)
        .await?
        .is_some_and(|s| s.id != site.id)
    {
        return Err(AppError::invalid(PortalError::SlugTaken(site.slug.clone())));
    }
    if let Some(host) = &site.host
        && tx
            .site_by_host(host)
            .await?
            .is_some_and(|s| s.id != site.id)
    {
        return Err(AppError::invalid(PortalError::HostTaken(host.clone())));
    }
    Ok(())
}
