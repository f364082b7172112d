//! The report's grassroots figures for a period (seed: "82 trạm truyền
//! thanh xã tự sản xuất chương trình … khoảng 27 phút/ngày"): stations
//! in service at the period's end by kind, stations that produced
//! programmes of their own, the average of their own minutes a day, and
//! each campaign's reach.

use serde::Serialize;

use super::campaigns::CampaignId;

/// A campaign's reach in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CampaignShare {
    pub campaign_id: CampaignId,
    pub title: String,
    /// Stations that carried it at least once in the period (which only
    /// holds its days: a log may carry a campaign only while it runs).
    pub carried_by: u64,
    /// Stations in service at the period's end.
    pub in_service: u64,
}

impl CampaignShare {
    /// `carried_by` per hundred stations in service, rounded half up to a
    /// whole percent; 0 with no station in service.
    pub fn percent(&self) -> u64 {
        rounded(self.carried_by * 100, self.in_service)
    }
}

/// The figures of a period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GrassrootsFigures {
    pub wired_in_service: u64,
    pub wireless_in_service: u64,
    /// Stations with at least one log of their own minutes (> 0).
    pub self_producing: u64,
    pub self_minutes: u64,
    /// Logs in the period: one a station a day.
    pub station_days: u64,
    pub campaigns: Vec<CampaignShare>,
}

impl GrassrootsFigures {
    pub fn in_service(&self) -> u64 {
        self.wired_in_service + self.wireless_in_service
    }

    /// Own minutes per logged station-day, rounded half up to a whole
    /// minute (the report writes "khoảng 27 phút/ngày"); 0 without logs.
    pub fn average_self_minutes(&self) -> u64 {
        rounded(self.self_minutes, self.station_days)
    }
}

/// `n / d` rounded half up; 0 when `d` is 0.
fn rounded(n: u64, d: u64) -> u64 {
    if d == 0 { 0 } else { (2 * n + d) / (2 * d) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_half_up() {
        let f = GrassrootsFigures {
            self_minutes: 55,
            station_days: 2,
            ..GrassrootsFigures::default()
        };
        assert_eq!(f.average_self_minutes(), 28);
        assert_eq!(GrassrootsFigures::default().average_self_minutes(), 0);
        let share = CampaignShare {
            campaign_id: 1,
            title: String::new(),
            carried_by: 2,
            in_service: 3,
        };
        assert_eq!(share.percent(), 67);
    }
}
