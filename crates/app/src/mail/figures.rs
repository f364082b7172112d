//! The report's mail figures for a period: boxes requested and created
//! in it and active at its end, by agency (seed I.4).

use domain::agencies::AgencyId;
use domain::mail::figures::MailFigures;
use time::Date;

use crate::{App, AppError};

impl App {
    /// By agency, for the days `from` to `to` inclusive (Vietnam's
    /// calendar days), all agencies when `agencies` is `None`.
    pub async fn mail_figures(
        &self,
        (from, to): (Date, Date),
        agencies: Option<&[AgencyId]>,
    ) -> Result<Vec<(AgencyId, MailFigures)>, AppError> {
        let moments = crate::period::moments((from, to))?;
        Ok(self
            .store
            .read()
            .await?
            .mail_figures(moments, agencies)
            .await?)
    }
}
