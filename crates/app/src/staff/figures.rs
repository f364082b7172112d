//! The report's training figures for a period: people attending at its
//! end, attendances started and completed in it, by course kind.

use domain::agencies::AgencyId;
use domain::staff::figures::StaffFigures;
use time::Date;

use crate::{App, AppError};

impl App {
    /// For the days `from` to `to` inclusive, over the courses kept by
    /// `agencies` (all when `None`).
    pub async fn staff_figures(
        &self,
        (from, to): (Date, Date),
        agencies: Option<&[AgencyId]>,
    ) -> Result<StaffFigures, AppError> {
        crate::period::checked((from, to))?;
        Ok(self
            .store
            .read()
            .await?
            .staff_figures((from, to), agencies)
            .await?)
    }
}
