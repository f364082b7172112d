//! The demo's commune radio: 82 stations that produce programmes of
//! their own (seed: "82 trạm truyền thanh xã tự sản xuất chương trình"),
//! one in each of the first 82 communes — wireless where the commune
//! holds one of the demo's radio frequency licences (linked to it), wired
//! elsewhere — kept by the department's press and publication unit (Phòng TT-BC-XB,
//! whose specialist looks after them); the two campaigns of April 2021;
//! and April's logs, averaging 27 own minutes a day.
//!
//! The 2,460 logs go in as two bulk inserts with one audit entry each, not
//! one audited use case a log, so that every test loading the demo stays
//! fast. Loading again changes nothing: the stations are there.

use domain::agencies::{Agency, AgencyId, AgencyKind};
use domain::grassroots::campaigns::{Campaign, CampaignId};
use domain::grassroots::logs::{BroadcastLog, Relayed};
use domain::grassroots::stations::{Frequency, FrequencyLicence, Station, StationId, StationKind};
use domain::licensing::{Licence, LicenceKind};
use store::licensing::LicenceFilter;
use time::macros::date;
use time::{Date, Month};

use crate::audit::{Change, record};
use crate::{App, AppError, Ctx};

const KEEPER: &str = "000.05.11.H59";
const STATIONS: usize = 82;

/// Own minutes of station `i` on day `d` of April: 20 to 34, 27 on average.
fn own_minutes(i: usize, d: u8) -> u32 {
    20 + u32::try_from((i + usize::from(d)) % 15).unwrap_or(0)
}

impl App {
    pub(super) async fn load_demo_grassroots(&self, ctx: &Ctx) -> Result<(), AppError> {
        let read = self.store.read().await?;
        if !read.stations(None).await?.is_empty() {
            return Ok(());
        }
        let keeper = read
            .agency_by_code(&KEEPER.parse().map_err(|_| AppError::NotFound("cơ quan"))?)
            .await?
            .ok_or(AppError::NotFound("cơ quan"))?
            .id;
        drop(read);
        let covid = self
            .create_campaign(
                ctx,
                Campaign {
                    id: 0,
                    agency_id: keeper,
                    title: "Tuyên truyền phòng, chống dịch Covid-19".into(),
                    topic: "Y tế".into(),
                    from: date!(2021 - 01 - 28),
                    to: date!(2021 - 12 - 31),
                },
            )
            .await?;
        let election = self
            .create_campaign(
                ctx,
                Campaign {
                    id: 0,
                    agency_id: keeper,
                    title: "Bầu cử đại biểu Quốc hội khóa XV và đại biểu HĐND các cấp nhiệm kỳ 2021-2026".into(),
                    topic: "Bầu cử".into(),
                    from: date!(2021 - 03 - 01),
                    to: date!(2021 - 05 - 23),
                },
            )
            .await?;
        let mut communes: Vec<_> = self
            .all_agencies()
            .await?
            .into_iter()
            .filter(|a| a.kind == AgencyKind::CommuneCommittee)
            .collect();
        // By code, so that the communes left without a station are known
        // (those numbered 11 and above in their district; tests use them).
        communes.sort_by(|a, b| a.code.as_str().cmp(b.code.as_str()));
        communes.truncate(STATIONS);
        let (licences, _) = self
            .store
            .read()
            .await?
            .licences_page(
                &LicenceFilter {
                    kind: Some(LicenceKind::RadioFrequency),
                    ..LicenceFilter::default()
                },
                (0, 1_000),
            )
            .await?;
        let stations = stations(&communes, &licences, keeper);
        let mut tx = self.store.write().await?;
        tx.insert_stations(&stations).await?;
        let ids: Vec<_> = tx.stations(None).await?.iter().map(|s| s.id).collect();
        let logs = april_logs(&ids, (covid.id, election.id))?;
        tx.insert_logs(&logs).await?;
        record(
            &mut tx,
            self,
            ctx,
            Change {
                action: "grassroots.demo.load",
                object_type: "agency",
                object_id: keeper.to_string(),
                before: None,
                after: Some(serde_json::json!({ "stations": ids.len(), "logs": logs.len() })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// A station in each of `communes`, kept by `keeper`: wireless, on the
/// licence, where the commune's people's committee holds one of
/// `licences`.
fn stations(communes: &[Agency], licences: &[Licence], keeper: AgencyId) -> Vec<Station> {
    communes
        .iter()
        .enumerate()
        .map(|(i, commune)| {
            let licence = licences
                .iter()
                .find(|l| l.holder.name.to_lowercase() == commune.name.to_lowercase());
            let wireless = licence.is_some();
            Station {
                id: 0,
                agency_id: keeper,
                commune_id: commune.id,
                name: format!(
                    "Đài truyền thanh {}",
                    commune.name.trim_start_matches("Ủy ban nhân dân ")
                ),
                kind: if wireless {
                    StationKind::Wireless
                } else {
                    StationKind::Wired
                },
                frequency: licence.map(|l| Frequency {
                    mhz: 54.0 + f64::from(u32::try_from(i % 28).unwrap_or(0)) / 2.0,
                    licence: FrequencyLicence::Record(l.id),
                }),
                power_w: if wireless { 50 } else { 450 },
                loudspeaker_clusters: 8 + u32::try_from(i % 12).unwrap_or(0),
                in_service_from: date!(2016 - 01 - 01),
                in_service_to: None,
            }
        })
        .collect()
}

/// April's logs of stations `ids`, carrying the two campaigns.
fn april_logs(
    ids: &[StationId],
    (covid, election): (CampaignId, CampaignId),
) -> Result<Vec<BroadcastLog>, AppError> {
    let mut logs = Vec::with_capacity(ids.len() * 30);
    for d in 1..=30 {
        let day = Date::from_calendar_date(2021, Month::April, d)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        for (i, station_id) in ids.iter().enumerate() {
            // Every station carries the Covid campaign daily, and the
            // election's every other day.
            let mut campaign_ids = vec![covid];
            if (i + usize::from(d)) % 2 == 0 {
                campaign_ids.push(election);
            }
            logs.push(BroadcastLog {
                id: 0,
                station_id: *station_id,
                day,
                self_minutes: own_minutes(i, d),
                relayed: Relayed {
                    vov: 60,
                    provincial: 30,
                    district: 30,
                },
                topics: vec![
                    "Chính sách, pháp luật".into(),
                    "Phòng, chống dịch Covid-19".into(),
                ],
                campaign_ids,
            });
        }
    }
    Ok(logs)
}
