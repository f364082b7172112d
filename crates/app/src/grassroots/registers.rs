//! Registering commune radio stations, ending their service, and
//! launching campaigns. The register is kept by an agency (the
//! department, or a unit of it); its specialists and leaders manage it,
//! and anyone in or above it reads it.

use domain::agencies::{Agency, AgencyId};
use domain::authz::Permission;
use domain::grassroots::campaigns::Campaign;
use domain::grassroots::stations::{Station, StationId};
use time::Date;

use crate::audit::{Change, record};
use crate::{App, AppError, Ctx};

/// A station with its commune, as lists show it.
#[derive(Debug, Clone)]
pub struct StationEntry {
    pub station: Station,
    pub commune: Agency,
    /// The code imports name it by.
    pub code: String,
}

impl App {
    /// Registers `station` in the register of `station.agency_id`.
    pub async fn register_station(&self, ctx: &Ctx, station: Station) -> Result<Station, AppError> {
        ctx.require(
            Permission::ManageGrassroots,
            &self.lineage(station.agency_id).await?,
        )?;
        let commune = self.agency(station.commune_id).await?;
        let others = self.store.read().await?.stations(None).await?;
        let mut station = station
            .checked(&commune, &others)
            .map_err(AppError::invalid)?;
        let mut tx = self.store.write().await?;
        station.id = tx.insert_station(&station).await?;
        record(
            &mut tx,
            self,
            ctx,
            Change {
                action: "grassroots.station.register",
                object_type: "radio_station",
                object_id: station.id.to_string(),
                before: None,
                after: Some(serde_json::to_value(&station).unwrap_or_default()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(station)
    }

    /// Ends station `id`'s service after `last_day`.
    pub async fn end_station(
        &self,
        ctx: &Ctx,
        id: StationId,
        last_day: Date,
    ) -> Result<Station, AppError> {
        let before = self.station_record(id).await?;
        ctx.require(
            Permission::ManageGrassroots,
            &self.lineage(before.agency_id).await?,
        )?;
        let after = before.ended(last_day).map_err(AppError::invalid)?;
        let mut tx = self.store.write().await?;
        tx.end_station(&after).await?;
        record(
            &mut tx,
            self,
            ctx,
            Change {
                action: "grassroots.station.end",
                object_type: "radio_station",
                object_id: id.to_string(),
                before: Some(serde_json::to_value(&before).unwrap_or_default()),
                after: Some(serde_json::to_value(&after).unwrap_or_default()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    pub(crate) async fn station_record(&self, id: StationId) -> Result<Station, AppError> {
        self.store
            .read()
            .await?
            .station(id)
            .await?
            .ok_or(AppError::NotFound("đài truyền thanh"))
    }

    /// Station `id` with its commune, for anyone who may read its register.
    pub async fn station(&self, ctx: &Ctx, id: StationId) -> Result<StationEntry, AppError> {
        let station = self.station_record(id).await?;
        ctx.require(
            Permission::ViewRegisters,
            &self.lineage(station.agency_id).await?,
        )?;
        let commune = self.agency(station.commune_id).await?;
        Ok(StationEntry {
            code: station.code(commune.code.as_str()),
            station,
            commune,
        })
    }

    /// The stations kept by `agency` and the agencies below it.
    pub async fn stations(
        &self,
        ctx: &Ctx,
        agency: AgencyId,
    ) -> Result<Vec<StationEntry>, AppError> {
        ctx.require(Permission::ViewRegisters, &self.lineage(agency).await?)?;
        let subtree = self.subtree(agency).await?;
        let all = self.all_agencies().await?;
        let stations = self.store.read().await?.stations(Some(&subtree)).await?;
        stations
            .into_iter()
            .map(|station| {
                let commune = all
                    .iter()
                    .find(|a| a.id == station.commune_id)
                    .cloned()
                    .ok_or(AppError::NotFound("xã"))?;
                Ok(StationEntry {
                    code: station.code(commune.code.as_str()),
                    station,
                    commune,
                })
            })
            .collect()
    }

    /// Launches `campaign` in the register of `campaign.agency_id`.
    pub async fn create_campaign(
        &self,
        ctx: &Ctx,
        campaign: Campaign,
    ) -> Result<Campaign, AppError> {
        ctx.require(
            Permission::ManageGrassroots,
            &self.lineage(campaign.agency_id).await?,
        )?;
        let mut campaign = campaign.checked().map_err(AppError::invalid)?;
        let mut tx = self.store.write().await?;
        campaign.id = tx.insert_campaign(&campaign).await?;
        record(
            &mut tx,
            self,
            ctx,
            Change {
                action: "grassroots.campaign.create",
                object_type: "radio_campaign",
                object_id: campaign.id.to_string(),
                before: None,
                after: Some(serde_json::to_value(&campaign).unwrap_or_default()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(campaign)
    }

    /// Every campaign the stations of `agency` may carry: those launched
    /// in its lineage (the department's reach the communes) or below it.
    pub async fn campaigns(&self, ctx: &Ctx, agency: AgencyId) -> Result<Vec<Campaign>, AppError> {
        let lineage = self.lineage(agency).await?;
        ctx.require(Permission::ViewRegisters, &lineage)?;
        let mut agencies = self.subtree(agency).await?;
        agencies.extend(lineage);
        Ok(self.store.read().await?.campaigns(Some(&agencies)).await?)
    }
}
