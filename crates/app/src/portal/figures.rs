//! The report's portal figures for a period (see
//! `domain::portal::figures`).

use domain::portal::SiteId;
use domain::portal::figures::PortalFigures;
use time::Date;

use crate::{App, AppError};

impl App {
    /// For the days `from` to `to` inclusive, over `sites` (all when
    /// `None`): articles published in the period, component sites opened
    /// by its last day.
    pub async fn portal_figures(
        &self,
        (from, to): (Date, Date),
        sites: Option<&[SiteId]>,
    ) -> Result<PortalFigures, AppError> {
        let moments = crate::period::moments(crate::period::checked((from, to))?)?;
        Ok(self
            .store
            .read()
            .await?
            .portal_figures(moments, to, sites)
            .await?)
    }
}
