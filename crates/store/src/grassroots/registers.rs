//! The registers of commune radio stations and of campaigns.

use domain::agencies::AgencyId;
use domain::grassroots::campaigns::{Campaign, CampaignId};
use domain::grassroots::stations::{Frequency, FrequencyLicence, Station, StationId};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement, SimpleExpr};
use sea_orm::{ConnectionTrait, Order, QueryResult};

use crate::error::corrupt;
use crate::{StoreError, Tx};

const STATION_COLUMNS: [&str; 13] = [
    "id",
    "agency_id",
    "commune_id",
    "name",
    "kind",
    "frequency_mhz",
    "licence_id",
    "licence_number",
    "licence_expiry",
    "power_w",
    "loudspeaker_clusters",
    "starts_on",
    "ends_on",
];

const CAMPAIGN_COLUMNS: [&str; 6] = ["id", "agency_id", "title", "topic", "starts_on", "ends_on"];

fn station_of(row: &QueryResult) -> Result<Station, StoreError> {
    let kind: String = row.try_get("", "kind")?;
    let mhz: Option<f64> = row.try_get("", "frequency_mhz")?;
    let licence_id: Option<i64> = row.try_get("", "licence_id")?;
    let number: Option<String> = row.try_get("", "licence_number")?;
    let whole = |c: &str| -> Result<u32, StoreError> {
        let n: i64 = row.try_get("", c)?;
        u32::try_from(n).map_err(corrupt("radio_stations"))
    };
    Ok(Station {
        id: row.try_get("", "id")?,
        agency_id: row.try_get("", "agency_id")?,
        commune_id: row.try_get("", "commune_id")?,
        name: row.try_get("", "name")?,
        kind: kind.parse().map_err(corrupt("radio_stations.kind"))?,
        frequency: mhz
            .map(|mhz| -> Result<Frequency, StoreError> {
                let licence = match licence_id {
                    Some(id) => FrequencyLicence::Record(id),
                    None => FrequencyLicence::Written {
                        number: number.clone().unwrap_or_default(),
                        expiry: row.try_get("", "licence_expiry")?,
                    },
                };
                Ok(Frequency { mhz, licence })
            })
            .transpose()?,
        power_w: whole("power_w")?,
        loudspeaker_clusters: whole("loudspeaker_clusters")?,
        in_service_from: row.try_get("", "starts_on")?,
        in_service_to: row.try_get("", "ends_on")?,
    })
}

fn station_values(s: &Station) -> Vec<SimpleExpr> {
    let f = s.frequency.as_ref();
    let (id, number, expiry) = match f.map(|f| &f.licence) {
        Some(FrequencyLicence::Record(id)) => (Some(*id), None, None),
        Some(FrequencyLicence::Written { number, expiry }) => (None, Some(number.clone()), *expiry),
        None => (None, None, None),
    };
    vec![
        s.agency_id.into(),
        s.commune_id.into(),
        s.name.clone().into(),
        s.kind.as_str().into(),
        f.map(|f| f.mhz).into(),
        id.into(),
        number.into(),
        expiry.into(),
        i64::from(s.power_w).into(),
        i64::from(s.loudspeaker_clusters).into(),
        s.in_service_from.into(),
        s.in_service_to.into(),
    ]
}

fn campaign_of(row: &QueryResult) -> Result<Campaign, StoreError> {
    Ok(Campaign {
        id: row.try_get("", "id")?,
        agency_id: row.try_get("", "agency_id")?,
        title: row.try_get("", "title")?,
        topic: row.try_get("", "topic")?,
        from: row.try_get("", "starts_on")?,
        to: row.try_get("", "ends_on")?,
    })
}

/// `query` narrowed to the rows of `agencies`, when given.
fn of_agencies(mut query: SelectStatement, agencies: Option<&[AgencyId]>) -> SelectStatement {
    if let Some(agencies) = agencies {
        query.and_where(Expr::col("agency_id").is_in(agencies.iter().copied()));
    }
    query
}

impl Tx {
    /// Records a station; `s.id` is ignored.
    pub async fn insert_station(&self, s: &Station) -> Result<StationId, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::insert()
                    .into_table("radio_stations")
                    .columns(STATION_COLUMNS.into_iter().skip(1))
                    .values_panic(station_values(s))
                    .returning_col("id")
                    .take(),
            )
            .await?
            .ok_or_else(|| StoreError::Corrupt("no id for the station".into()))?;
        Ok(row.try_get("", "id")?)
    }

    /// Records many stations in one statement a thousand (the demo's).
    pub async fn insert_stations(&self, stations: &[Station]) -> Result<(), StoreError> {
        for chunk in stations.chunks(1_000) {
            let mut insert = Query::insert()
                .into_table("radio_stations")
                .columns(STATION_COLUMNS.into_iter().skip(1))
                .take();
            for s in chunk {
                insert.values_panic(station_values(s));
            }
            self.conn().execute(&insert).await?;
        }
        Ok(())
    }

    /// Writes what may change of a registered station: its last day in
    /// service and its frequency licence.
    pub async fn update_station(&self, s: &Station) -> Result<(), StoreError> {
        let values = station_values(s);
        let mut update = Query::update()
            .table("radio_stations")
            .and_where(Expr::col("id").eq(s.id))
            .take();
        for (column, value) in STATION_COLUMNS.into_iter().skip(1).zip(values) {
            if matches!(
                column,
                "ends_on" | "licence_id" | "licence_number" | "licence_expiry"
            ) {
                update.value(column, value);
            }
        }
        self.conn().execute(&update).await?;
        Ok(())
    }

    pub async fn station(&self, id: StationId) -> Result<Option<Station>, StoreError> {
        let query = Query::select()
            .columns(STATION_COLUMNS)
            .from("radio_stations")
            .and_where(Expr::col("id").eq(id))
            .take();
        let row = self.conn().query_one(&query).await?;
        row.as_ref().map(station_of).transpose()
    }

    /// The stations kept by `agencies` (all when `None`), in the order
    /// they were registered.
    pub async fn stations(
        &self,
        agencies: Option<&[AgencyId]>,
    ) -> Result<Vec<Station>, StoreError> {
        let query = Query::select()
            .columns(STATION_COLUMNS)
            .from("radio_stations")
            .order_by("id", Order::Asc)
            .take();
        let rows = self.conn().query_all(&of_agencies(query, agencies)).await?;
        rows.iter().map(station_of).collect()
    }

    /// Records a campaign; `c.id` is ignored.
    pub async fn insert_campaign(&self, c: &Campaign) -> Result<CampaignId, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::insert()
                    .into_table("radio_campaigns")
                    .columns(CAMPAIGN_COLUMNS.into_iter().skip(1))
                    .values_panic([
                        c.agency_id.into(),
                        c.title.clone().into(),
                        c.topic.clone().into(),
                        c.from.into(),
                        c.to.into(),
                    ])
                    .returning_col("id")
                    .take(),
            )
            .await?
            .ok_or_else(|| StoreError::Corrupt("no id for the campaign".into()))?;
        Ok(row.try_get("", "id")?)
    }

    /// Every campaign of `agencies` (all when `None`), latest first.
    pub async fn campaigns(
        &self,
        agencies: Option<&[AgencyId]>,
    ) -> Result<Vec<Campaign>, StoreError> {
        let query = Query::select()
            .columns(CAMPAIGN_COLUMNS)
            .from("radio_campaigns")
            .order_by("starts_on", Order::Desc)
            .order_by("id", Order::Desc)
            .take();
        let rows = self.conn().query_all(&of_agencies(query, agencies)).await?;
        rows.iter().map(campaign_of).collect()
    }
}
