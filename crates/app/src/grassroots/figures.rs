//! The report's grassroots figures for a period: stations in service at
//! its end, stations producing their own programmes, their average
//! minutes a day, each campaign's reach.

use domain::agencies::AgencyId;
use domain::grassroots::figures::GrassrootsFigures;
use time::Date;

use crate::{App, AppError};

impl App {
    /// For the days `from` to `to` inclusive, over the stations and
    /// campaigns kept by `agencies` (all when `None`).
    pub async fn grassroots_figures(
        &self,
        (from, to): (Date, Date),
        agencies: Option<&[AgencyId]>,
    ) -> Result<GrassrootsFigures, AppError> {
        crate::period::checked((from, to))?;
        Ok(self
            .store
            .read()
            .await?
            .grassroots_figures((from, to), agencies)
            .await?)
    }
}
