//! Registering commune radio stations, ending their service, and
//! launching campaigns. The register is kept by an agency (the
//! department, or a unit of it); its specialists and leaders manage it,
//! and anyone in or above it reads it.

use domain::agencies::{Agency, AgencyId};
use domain::authz::Permission;
use domain::grassroots::campaigns::Campaign;
use domain::grassroots::stations::{FrequencyLicence, Station, StationError, StationId};
use domain::licensing::{Licence, LicenceId, LicenceStatus};
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
    /// A wireless station's linked frequency licence, as it stands today.
    pub licence: Option<StationLicence>,
}

/// A station's frequency licence as it stands today: the licence it was
/// linked to and, when that one has been renewed, the latest renewal.
#[derive(Debug, Clone)]
pub struct StationLicence {
    pub linked: Licence,
    /// The last licence of the chain of renewals from `linked`.
    pub current: Licence,
    pub status: LicenceStatus,
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
        if let Some(FrequencyLicence::Record(id)) = station.frequency.as_ref().map(|f| &f.licence) {
            let licence = self.frequency_licence(*id).await?;
            station = station
                .licensed(&licence, self.today())
                .map_err(AppError::invalid)?;
        }
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
        self.change_station(ctx, id, "grassroots.station.end", |s| s.ended(last_day))
            .await
    }

    /// Links station `id` to frequency licence `licence_id`: a station
    /// registered with a number written by hand, or one whose licence was
    /// replaced by a new one (a renewal needs no new link).
    pub async fn link_station_licence(
        &self,
        ctx: &Ctx,
        id: StationId,
        licence_id: LicenceId,
    ) -> Result<Station, AppError> {
        let licence = self.frequency_licence(licence_id).await?;
        let today = self.today();
        self.change_station(ctx, id, "grassroots.station.licence", |s| {
            s.licensed(&licence, today)
        })
        .await
    }

    /// Changes station `id` by `change` under `ManageGrassroots`, in one
    /// transaction with its audit entry (`action`).
    async fn change_station(
        &self,
        ctx: &Ctx,
        id: StationId,
        action: &'static str,
        change: impl FnOnce(&Station) -> Result<Station, StationError>,
    ) -> Result<Station, AppError> {
        let before = self.station_record(id).await?;
        ctx.require(
            Permission::ManageGrassroots,
            &self.lineage(before.agency_id).await?,
        )?;
        let after = change(&before).map_err(AppError::invalid)?;
        let mut tx = self.store.write().await?;
        tx.update_station(&after).await?;
        record(
            &mut tx,
            self,
            ctx,
            Change {
                action,
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

    /// Licence `id`, which a station is to be linked to. The licensing
    /// register is public (`/giay-phep`), so any licence may be named by
    /// whoever manages a station register.
    async fn frequency_licence(&self, id: LicenceId) -> Result<Licence, AppError> {
        self.store
            .read()
            .await?
            .licence(id)
            .await?
            .ok_or(AppError::NotFound("giấy phép tần số"))
    }

    /// What `station`'s linked licence stands at today.
    async fn station_licence(&self, station: &Station) -> Result<Option<StationLicence>, AppError> {
        let Some(FrequencyLicence::Record(id)) = station.frequency.as_ref().map(|f| &f.licence)
        else {
            return Ok(None);
        };
        let read = self.store.read().await?;
        let linked = read
            .licence(*id)
            .await?
            .ok_or(AppError::NotFound("giấy phép tần số"))?;
        let mut current = linked.clone();
        while let Some(renewal) = read.renewal_of(current.id).await? {
            current = renewal;
        }
        Ok(Some(StationLicence {
            status: current.status_on(self.today()),
            linked,
            current,
        }))
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
            licence: self.station_licence(&station).await?,
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
        let mut entries = Vec::with_capacity(stations.len());
        for station in stations {
            let commune = all
                .iter()
                .find(|a| a.id == station.commune_id)
                .cloned()
                .ok_or(AppError::NotFound("xã"))?;
            entries.push(StationEntry {
                code: station.code(commune.code.as_str()),
                licence: self.station_licence(&station).await?,
                station,
                commune,
            });
        }
        Ok(entries)
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
