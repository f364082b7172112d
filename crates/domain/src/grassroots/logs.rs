//! A station's daily broadcast log: the minutes it produced itself, the
//! minutes it relayed from each source, the topics it covered and the
//! campaigns it carried. One log a station a day, for a day that has
//! passed and that the station was in service.

use serde::{Deserialize, Serialize};
use time::Date;

use super::campaigns::{Campaign, CampaignId};
use super::stations::{Station, StationId};

pub type LogId = i64;

/// Minutes in a day: no source may exceed it, nor all of them together.
pub const DAY_MINUTES: u32 = 1_440;
/// Most topics a log may list, and the longest one.
pub const MAX_TOPICS: usize = 20;
const MAX_TOPIC_CHARS: usize = 200;

/// Minutes relayed from each source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relayed {
    /// The national radio, Đài Tiếng nói Việt Nam.
    pub vov: u32,
    /// The provincial radio and television station.
    pub provincial: u32,
    /// The district's station.
    pub district: u32,
}

impl Relayed {
    pub fn total(self) -> u32 {
        self.vov
            .saturating_add(self.provincial)
            .saturating_add(self.district)
    }
}

/// One station's day on air.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BroadcastLog {
    pub id: LogId,
    pub station_id: StationId,
    pub day: Date,
    pub self_minutes: u32,
    pub relayed: Relayed,
    pub topics: Vec<String>,
    pub campaign_ids: Vec<CampaignId>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LogError {
    #[error("số phút phải từ 0 đến {DAY_MINUTES}")]
    MinutesOutOfRange,
    #[error("tổng số phút tự sản xuất và tiếp sóng ({0}) vượt quá {DAY_MINUTES} phút một ngày")]
    MoreThanADay(u32),
    #[error("ngày {} chưa tới", vn::dates::format_short(*.0))]
    Future(Date),
    #[error("ngày {} đài «{}» không hoạt động", vn::dates::format_short(*.0), .1)]
    OutOfService(Date, String),
    #[error("đài «{}» đã có nhật ký ngày {}", .1, vn::dates::format_short(*.0))]
    Duplicate(Date, String),
    #[error("đợt tuyên truyền «{}» không diễn ra ngày {}", .1, vn::dates::format_short(*.0))]
    CampaignNotRunning(Date, String),
    #[error("không có đợt tuyên truyền số {0}")]
    UnknownCampaign(CampaignId),
    #[error("quá {MAX_TOPICS} chủ đề hoặc chủ đề dài quá {MAX_TOPIC_CHARS} ký tự")]
    TooManyTopics,
}

impl BroadcastLog {
    /// The log with its topics trimmed and its campaigns listed once, or
    /// why it cannot be recorded: `station` is its station, `logged` the
    /// days that station already has a log for, `campaigns` every
    /// campaign, `today` Vietnam's date.
    pub fn checked(
        mut self,
        station: &Station,
        logged: &dyn Fn(Date) -> bool,
        campaigns: &[Campaign],
        today: Date,
    ) -> Result<Self, LogError> {
        let r = self.relayed;
        if [self.self_minutes, r.vov, r.provincial, r.district]
            .iter()
            .any(|m| *m > DAY_MINUTES)
        {
            return Err(LogError::MinutesOutOfRange);
        }
        let total = self.self_minutes + r.total();
        if total > DAY_MINUTES {
            return Err(LogError::MoreThanADay(total));
        }
        if self.day > today {
            return Err(LogError::Future(self.day));
        }
        if !station.in_service_on(self.day) {
            return Err(LogError::OutOfService(self.day, station.name.clone()));
        }
        if logged(self.day) {
            return Err(LogError::Duplicate(self.day, station.name.clone()));
        }
        self.topics = self
            .topics
            .iter()
            .map(|t| vn::text::squash_spaces(t))
            .filter(|t| !t.is_empty())
            .collect();
        if self.topics.len() > MAX_TOPICS
            || self
                .topics
                .iter()
                .any(|t| t.chars().count() > MAX_TOPIC_CHARS)
        {
            return Err(LogError::TooManyTopics);
        }
        self.campaign_ids.sort_unstable();
        self.campaign_ids.dedup();
        for id in &self.campaign_ids {
            let campaign = campaigns
                .iter()
                .find(|c| c.id == *id)
                .ok_or(LogError::UnknownCampaign(*id))?;
            if !campaign.runs_on(self.day) {
                return Err(LogError::CampaignNotRunning(
                    self.day,
                    campaign.title.clone(),
                ));
            }
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::grassroots::stations::StationKind;

    fn station() -> Station {
        Station {
            id: 3,
            agency_id: 1,
            commune_id: 7,
            name: "Đài xã Long Đức".into(),
            kind: StationKind::Wired,
            frequency: None,
            power_w: 500,
            loudspeaker_clusters: 10,
            in_service_from: date!(2021 - 01 - 01),
            in_service_to: Some(date!(2021 - 04 - 30)),
        }
    }

    fn campaign() -> Campaign {
        Campaign {
            id: 9,
            agency_id: 1,
            title: "Phòng, chống dịch Covid-19".into(),
            topic: "Y tế".into(),
            from: date!(2021 - 04 - 01),
            to: date!(2021 - 04 - 15),
        }
    }

    fn log(day: Date, own: u32, vov: u32) -> BroadcastLog {
        BroadcastLog {
            id: 0,
            station_id: 3,
            day,
            self_minutes: own,
            relayed: Relayed {
                vov,
                provincial: 0,
                district: 0,
            },
            topics: vec![" Pháp luật ".into(), String::new()],
            campaign_ids: vec![9, 9],
        }
    }

    fn check(l: BroadcastLog) -> Result<BroadcastLog, LogError> {
        let today = date!(2021 - 05 - 05);
        l.checked(
            &station(),
            &|d| d == date!(2021 - 04 - 02),
            &[campaign()],
            today,
        )
    }

    #[test]
    fn a_good_log_is_tidied() {
        let l = check(log(date!(2021 - 04 - 01), 30, 1_410)).unwrap();
        assert_eq!(l.topics, ["Pháp luật"]);
        assert_eq!(l.campaign_ids, [9]);
    }

    #[test]
    fn every_rule_refuses() {
        assert_eq!(
            check(log(date!(2021 - 04 - 01), 1_441, 0)),
            Err(LogError::MinutesOutOfRange)
        );
        assert_eq!(
            check(log(date!(2021 - 04 - 01), 31, 1_410)),
            Err(LogError::MoreThanADay(1_441))
        );
        assert!(matches!(
            check(log(date!(2020 - 12 - 31), 1, 0)),
            Err(LogError::OutOfService(..))
        ));
        assert!(matches!(
            check(log(date!(2021 - 05 - 01), 1, 0)),
            Err(LogError::OutOfService(..))
        ));
        assert!(matches!(
            check(log(date!(2021 - 04 - 02), 1, 0)),
            Err(LogError::Duplicate(..))
        ));
        assert!(matches!(
            check(log(date!(2021 - 04 - 16), 1, 0)),
            Err(LogError::CampaignNotRunning(..))
        ));
        let mut unknown = log(date!(2021 - 04 - 03), 1, 0);
        unknown.campaign_ids = vec![8];
        assert_eq!(check(unknown), Err(LogError::UnknownCampaign(8)));
        let mut later = station();
        later.in_service_to = None;
        let future = log(date!(2021 - 05 - 06), 1, 0).checked(
            &later,
            &|_| false,
            &[],
            date!(2021 - 05 - 05),
        );
        assert!(matches!(future, Err(LogError::Future(_))));
    }
}
