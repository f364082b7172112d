//! The report's inspection figures for a period (see
//! `domain::inspections::figures` for what counts where).

use domain::agencies::AgencyId;
use domain::inspections::figures::InspectionFigures;
use time::Date;

use crate::{App, AppError, Ctx};

impl App {
    /// For the days `from` to `to` inclusive (Vietnam's calendar days),
    /// of `agencies`' inspections (all when `None`); the totals are at
    /// the end of `to`.
    pub async fn inspection_figures(
        &self,
        (from, to): (Date, Date),
        agencies: Option<&[AgencyId]>,
    ) -> Result<InspectionFigures, AppError> {
        crate::period::checked((from, to))?;
        Ok(self
            .store
            .read()
            .await?
            .inspection_figures((from, to), agencies)
            .await?)
    }

    /// The figures of the inspections `ctx` may see.
    pub async fn inspection_figures_for(
        &self,
        ctx: &Ctx,
        period: (Date, Date),
    ) -> Result<InspectionFigures, AppError> {
        let scope = self.inspection_scope(ctx).await?;
        self.inspection_figures(period, scope.as_deref()).await
    }
}
