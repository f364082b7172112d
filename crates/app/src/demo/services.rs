//! The demo catalogue: the information department's procedures, through
//! the same rules as an administrator's, so the portal has something to
//! find and the desk something to receive.
//!
//! Invariant: loading twice adds nothing the second time (a procedure
//! whose national code the agency already lists is left alone).

use domain::agencies::AgencyCode;
use domain::services::{Level, OnlineMode, Procedure};
use serde::Deserialize;

use crate::{App, AppError, Ctx};

const DATA: &str = include_str!("services_2021.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoServices {
    procedure: Vec<DemoProcedure>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoProcedure {
    agency: AgencyCode,
    code: String,
    name: String,
    field: String,
    level: u8,
    days: u32,
    fee: u64,
}

impl App {
    /// Adds the demo procedures the catalogue does not have; returns how
    /// many were added.
    pub async fn load_demo_services(
        &self,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<usize, AppError> {
        let data: DemoServices =
            toml::from_str(DATA).map_err(|e| AppError::Internal(format!("demo services: {e}")))?;
        let ctx = Ctx::system("job:demo");
        let existing = self.store.read().await?.procedures().await?;
        let total = data.procedure.len();
        let mut added = 0;
        for (done, p) in data.procedure.into_iter().enumerate() {
            let agency = self.agency_by_code(&p.agency).await?;
            let known = existing
                .iter()
                .any(|e| e.agency_id == agency.id && e.national_code == p.code);
            if !known {
                let level = Level::ALL
                    .iter()
                    .copied()
                    .find(|l| l.number() == p.level)
                    .ok_or_else(|| {
                        AppError::Internal(format!("demo services: level {}", p.level))
                    })?;
                let procedure = Procedure {
                    id: 0,
                    agency_id: agency.id,
                    national_code: p.code,
                    name: p.name,
                    field: Some(p.field),
                    level,
                    online: OnlineMode::of_level(level),
                    processing_days: p.days,
                    fee: p.fee,
                    effective_from: super::PROVINCE_FOUNDED,
                    effective_to: None,
                };
                self.create_procedure(&ctx, procedure).await?;
                added += 1;
            }
            progress(done + 1, total);
        }
        Ok(added)
    }
}
