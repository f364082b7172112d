//! The report's reception figures for a period (seed II: periodic and
//! regular reception, petitions received by kind), by the same code the
//! monthly report calls.

use domain::agencies::AgencyId;
use domain::reception::figures::ReceptionFigures;
use time::Date;

use crate::{App, AppError, Ctx};

impl App {
    /// The figures of `agency` and those below it, for a reader who may
    /// see its registers (the figures page).
    pub async fn reception_figures_of(
        &self,
        ctx: &Ctx,
        agency: AgencyId,
        period: (Date, Date),
    ) -> Result<ReceptionFigures, AppError> {
        ctx.require(
            domain::authz::Permission::ViewRegisters,
            &self.lineage(agency).await?,
        )?;
        let tree = self.subtree(agency).await?;
        self.reception_figures(period, Some(&tree)).await
    }

    /// The figures of `agencies` (all when `None`) for the days `from`
    /// to `to` inclusive (Vietnam's calendar days).
    pub async fn reception_figures(
        &self,
        (from, to): (Date, Date),
        agencies: Option<&[AgencyId]>,
    ) -> Result<ReceptionFigures, AppError> {
        let moments = crate::period::moments((from, to))?;
        Ok(self
            .store
            .read()
            .await?
            .reception_figures((from, to), moments, agencies)
            .await?)
    }
}
