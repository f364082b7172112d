//! The report's licensing figures for a period (seed: publication
//! licences, game-point certificates, BTS confirmations…): per kind,
//! first issues by channel, renewals, revocations, and those in force at
//! the period's end.

use domain::agencies::AgencyId;
use domain::licensing::figures::LicensingFigures;
use time::Date;

use crate::{App, AppError, Ctx};

impl App {
    /// For the days `from` to `to` inclusive (Vietnam's calendar days:
    /// licences carry dates), of `agencies` (all when `None`).
    pub async fn licensing_figures(
        &self,
        (from, to): (Date, Date),
        agencies: Option<&[AgencyId]>,
    ) -> Result<LicensingFigures, AppError> {
        crate::period::checked((from, to))?;
        Ok(self
            .store
            .read()
            .await?
            .licensing_figures((from, to), agencies)
            .await?)
    }

    /// The figures of the licences `ctx` may see, for the staff page.
    pub async fn licensing_figures_for(
        &self,
        ctx: &Ctx,
        period: (Date, Date),
    ) -> Result<LicensingFigures, AppError> {
        let scope = self.licence_scope(ctx).await?;
        self.licensing_figures(period, scope.as_deref()).await
    }
}
