//! The demo province's procedure catalogue: the information department's
//! procedures (press, publishing and printing, posts, telecommunications
//! and the Internet, IT, radio, television and electronic information),
//! kept as a catalogue file in the `egov.catalogue/1` form and loaded
//! through the same import as a clerk's; the online ones (levels 3 and 4)
//! recorded as published on the national portal. Names, fields, papers,
//! legal bases and fees follow the published catalogues of provincial
//! departments; the national codes have the national database's form but
//! are illustrative, like the demo's agency codes, and the report issue
//! bulk-fills to the seed's figures.

use bytes::Bytes;
use domain::services::Level;
use time::macros::date;

use crate::catalogue::Format;
use crate::{App, AppError, Ctx};

const CATALOGUE: &str = include_str!("catalogue_stttt.json");
/// The information department, whose catalogue this is.
const AGENCY: &str = "000.00.11.H59";

impl App {
    /// Imports the demo catalogue into the department's empty catalogue
    /// (nothing the second time) and records the online procedures'
    /// national publication once.
    pub(super) async fn load_demo_catalogue(&self, ctx: &Ctx) -> Result<(), AppError> {
        let code = AGENCY
            .parse()
            .map_err(|e: domain::agencies::InvalidAgencyCode| AppError::Internal(e.to_string()))?;
        let agency = self.agency_by_code(&code).await?.id;
        // Only into an empty catalogue: a database an earlier egov loaded
        // keeps the catalogue it got. The file may since have changed a
        // procedure in place (the internal processes were added with the
        // same effective date), which an import rightly refuses as a
        // version that does not start later, and `egov demo` must stay
        // idempotent on such a database.
        if self.catalogue(agency, "").await?.is_empty() {
            self.import_catalogue(
                ctx,
                agency,
                Format::Json,
                Bytes::from_static(CATALOGUE.as_bytes()),
            )
            .await?;
        }
        let published = self.store.read().await?.publications(&[agency]).await?;
        for item in self.catalogue(agency, "").await? {
            let p = &item.procedure;
            let online = matches!(p.level, Level::Online | Level::Complete);
            if online && !published.iter().any(|(r, _, _)| r.procedure_id == p.id) {
                self.record_publication(ctx, p.id, date!(2021 - 01 - 15))
                    .await?;
            }
        }
        Ok(())
    }
}
