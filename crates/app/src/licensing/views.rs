//! What staff and the public see of licences. Staff see the licences of
//! the agencies where they hold any role and those below them; the
//! public registry shows every licence without the holder's id number,
//! e-mail or address (`domain::licensing::PublicLicence`).

use domain::agencies::AgencyId;
use domain::authz::Permission;
use domain::licensing::{Licence, LicenceId, LicenceKind, PublicLicence};
pub use store::licensing::LicenceFilter;

use crate::{App, AppError, Ctx};

/// Licences a page shows at most.
pub const PAGE: u64 = 50;

impl App {
    /// The agencies whose licences `ctx` may see: `None` for all (the
    /// system), else the subtrees of the agencies where they hold a role.
    pub(super) async fn licence_scope(&self, ctx: &Ctx) -> Result<Option<Vec<AgencyId>>, AppError> {
        let Some(actor) = &ctx.actor else {
            return Ok(None);
        };
        let mut scope = Vec::new();
        for root in actor.roots_of(Permission::ViewRegisters) {
            scope.extend(self.subtree(root).await?);
        }
        if scope.is_empty() {
            return Err(AppError::Forbidden);
        }
        scope.sort_unstable();
        scope.dedup();
        Ok(Some(scope))
    }

    /// Licence `id`, if `ctx` may see it.
    pub async fn licence(&self, ctx: &Ctx, id: LicenceId) -> Result<Licence, AppError> {
        let licence = self
            .store
            .read()
            .await?
            .licence(id)
            .await?
            .ok_or(AppError::NotFound("giấy phép"))?;
        ctx.require(
            Permission::ViewRegisters,
            &self.lineage(licence.agency_id).await?,
        )?;
        Ok(licence)
    }

    /// The licence renewing `id`, if any (the record page links it).
    pub async fn licence_renewal(
        &self,
        ctx: &Ctx,
        id: LicenceId,
    ) -> Result<Option<Licence>, AppError> {
        self.licence(ctx, id).await?;
        Ok(self.store.read().await?.renewal_of(id).await?)
    }

    /// A page of the licences `filter` selects among those `ctx` may
    /// see, with statuses judged today unless the filter says when, and
    /// how many there are.
    pub async fn licences(
        &self,
        ctx: &Ctx,
        mut filter: LicenceFilter,
        page: (u64, u64),
    ) -> Result<(Vec<Licence>, u64), AppError> {
        if let Some(scope) = self.licence_scope(ctx).await? {
            filter.agencies = Some(match filter.agencies {
                Some(wanted) => wanted.into_iter().filter(|a| scope.contains(a)).collect(),
                None => scope,
            });
        }
        filter.on = filter.on.or_else(|| Some(self.today()));
        Ok(self
            .store
            .read()
            .await?
            .licences_page(&filter, page)
            .await?)
    }

    /// «Sắp hết hạn»: the licences `ctx` may see that are in force and
    /// inside their kind's reminder window today, soonest first.
    pub async fn licences_due(&self, ctx: &Ctx) -> Result<Vec<Licence>, AppError> {
        let scope = self.licence_scope(ctx).await?;
        self.expiring(scope.as_deref()).await
    }

    /// Every kind's licences inside its reminder window today.
    pub(super) async fn expiring(
        &self,
        agencies: Option<&[AgencyId]>,
    ) -> Result<Vec<Licence>, AppError> {
        let today = self.today();
        let read = self.store.read().await?;
        let mut due = Vec::new();
        for kind in LicenceKind::ALL {
            let rules = kind.rules();
            if rules.term_years.is_some() {
                due.extend(
                    read.licences_expiring(*kind, (today, rules.reminder_days), agencies)
                        .await?,
                );
            }
        }
        due.sort_by_key(|l| (l.valid_until, l.id));
        Ok(due)
    }

    /// The public registry: a page of licences whose holder or number
    /// holds `text`, of `kind`, newest first, and how many there are.
    pub async fn public_licences(
        &self,
        text: Option<String>,
        kind: Option<LicenceKind>,
        page: (u64, u64),
    ) -> Result<(Vec<PublicLicence>, u64), AppError> {
        let today = self.today();
        let filter = LicenceFilter {
            text,
            kind,
            ..LicenceFilter::default()
        };
        let (found, total) = self
            .store
            .read()
            .await?
            .licences_page(&filter, page)
            .await?;
        Ok((found.iter().map(|l| l.public(today)).collect(), total))
    }
}
