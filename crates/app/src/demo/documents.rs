//! The demo registers: the information department's documents of April
//! 2021, dated as they were (not today), through the same numbering and
//! recording as the clerk's.
//!
//! Invariant: loading twice adds nothing the second time (a register that
//! already has documents in a year is left alone).

use std::collections::HashMap;

use domain::agencies::AgencyCode;
use domain::documents::{Confidentiality, Direction, Urgency};
use domain::search::DocumentFilter;
use serde::Deserialize;
use time::Date;

use crate::documents::{NewIncoming, NewOutgoing};
use crate::{App, AppError, Ctx};

const DATA: &str = include_str!("documents_2021.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoDocuments {
    fields: Vec<DemoFields>,
    incoming: Vec<DemoIncoming>,
    outgoing: Vec<DemoOutgoing>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoFields {
    agency: AgencyCode,
    names: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoIncoming {
    register: AgencyCode,
    arrived: Date,
    symbol: String,
    doc_type: String,
    issued_on: Date,
    issuer: String,
    signer: Option<String>,
    summary: String,
    urgency: Option<Urgency>,
    field: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoOutgoing {
    register: AgencyCode,
    issued_on: Date,
    doc_type: String,
    drafting_unit: Option<AgencyCode>,
    summary: String,
    signer: Option<String>,
    urgency: Option<Urgency>,
    field: Option<String>,
}

impl App {
    /// Whether a register (agency, direction, year) had documents before
    /// this load; asked once per register.
    async fn already_loaded(
        &self,
        loaded: &mut HashMap<(i64, Direction, i32), bool>,
        key: (i64, Direction, i32),
    ) -> Result<bool, AppError> {
        if let Some(known) = loaded.get(&key) {
            return Ok(*known);
        }
        let (agency, direction, year) = key;
        let filter = DocumentFilter {
            agency_id: Some(agency),
            direction: Some(direction),
            from: Date::from_ordinal_date(year, 1).ok(),
            to: Date::from_calendar_date(year, time::Month::December, 31).ok(),
            ..DocumentFilter::default()
        };
        let found = self
            .search_documents(&Ctx::system("job:demo"), &filter, (0, 1))
            .await?;
        loaded.insert(key, found.total > 0);
        Ok(found.total > 0)
    }

    /// Loads the demo documents; returns how many were added.
    pub async fn load_demo_documents(
        &self,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<usize, AppError> {
        let data: DemoDocuments =
            toml::from_str(DATA).map_err(|e| AppError::Internal(format!("demo documents: {e}")))?;
        let ctx = Ctx::system("job:demo");
        let total = data.incoming.len() + data.outgoing.len();
        let mut done = 0;
        let mut added = 0;
        for list in data.fields {
            let agency = self.agency_by_code(&list.agency).await?.id;
            // An agency that has its list keeps it.
            if self
                .store
                .read()
                .await?
                .document_fields(agency)
                .await?
                .is_empty()
            {
                self.set_fields(&ctx, agency, list.names).await?;
            }
        }
        let mut incoming = data.incoming;
        incoming.sort_by_key(|d| d.arrived);
        let mut outgoing = data.outgoing;
        outgoing.sort_by_key(|d| d.issued_on);
        // Whether each register was already loaded, decided before the
        // first document goes into it.
        let mut loaded: HashMap<(i64, Direction, i32), bool> = HashMap::new();
        for d in incoming {
            let agency = self.agency_by_code(&d.register).await?.id;
            let key = (agency, Direction::Incoming, d.arrived.year());
            if !self.already_loaded(&mut loaded, key).await? {
                let new = NewIncoming {
                    agency_id: agency,
                    symbol: d.symbol,
                    doc_type: d.doc_type,
                    summary: d.summary,
                    issued_on: d.issued_on,
                    issuer: d.issuer,
                    signer: d.signer,
                    urgency: d.urgency.unwrap_or(Urgency::Normal),
                    confidentiality: Confidentiality::Normal,
                    field: d.field,
                };
                let mut tx = self.store.write().await?;
                self.record_incoming(&mut tx, &ctx, new, d.arrived).await?;
                tx.commit().await?;
                added += 1;
            }
            done += 1;
            progress(done, total);
        }
        for d in outgoing {
            let agency = self.agency_by_code(&d.register).await?.id;
            let key = (agency, Direction::Outgoing, d.issued_on.year());
            if !self.already_loaded(&mut loaded, key).await? {
                let unit = match &d.drafting_unit {
                    Some(code) => Some(self.agency_by_code(code).await?.id),
                    None => None,
                };
                let new = NewOutgoing {
                    agency_id: agency,
                    doc_type: d.doc_type,
                    summary: d.summary,
                    drafting_unit_id: unit,
                    signer: d.signer,
                    urgency: d.urgency.unwrap_or(Urgency::Normal),
                    confidentiality: Confidentiality::Normal,
                    field: d.field,
                };
                let checked = self.check_outgoing(&new).await?;
                let mut tx = self.store.write().await?;
                self.record_outgoing(&mut tx, &ctx, (new, checked), d.issued_on, Vec::new())
                    .await?;
                tx.commit().await?;
                added += 1;
            }
            done += 1;
            progress(done, total);
        }
        Ok(added)
    }
}
