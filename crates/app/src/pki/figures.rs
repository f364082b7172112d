//! The certificate figures of the monthly report (seed I.4: "02 revoked,
//! 07 new, 2.223 in all — 468 organisations, 1.755 persons, USB or SIM").

use domain::pki::CertificateFigures;
use time::{Date, Duration};

use crate::{App, AppError, Ctx};

impl App {
    /// Holders' certificates issued, renewed and revoked between two days
    /// (inclusive, Vietnam time), and those valid at the end of the last
    /// day by holder and token, with those expiring within 30 days of it.
    /// Aggregate counts, published in the report: any member of staff may
    /// read them.
    pub async fn certificate_figures(
        &self,
        _ctx: &Ctx,
        period: (Date, Date),
    ) -> Result<CertificateFigures, AppError> {
        let (from, to) = crate::period::moments(period)?;
        let tx = self.store.read().await?;
        Ok(tx
            .certificate_figures(from, to, to + Duration::days(30))
            .await?)
    }
}
