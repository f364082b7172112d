//! The report's licensing figures (seed: "cấp 17 giấy phép xuất bản tài
//! liệu không kinh doanh (17 hồ sơ trực tuyến)", "cấp 03 Giấy chứng nhận
//! trò chơi điện tử công cộng", "12 trạm BTS"…): per kind, the licences
//! first issued in a period by channel, the renewals issued in it, the
//! revocations in it, and those in force at its end.

use serde::Serialize;

use super::LicenceKind;
use crate::services::Channel;

/// One kind's figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct KindFigures {
    /// First issues (not renewals) by channel.
    pub issued_desk: u64,
    pub issued_online: u64,
    pub issued_post: u64,
    pub renewed: u64,
    pub revoked: u64,
    pub in_force: u64,
}

impl KindFigures {
    /// First issues, all channels.
    pub fn issued(&self) -> u64 {
        self.issued_desk + self.issued_online + self.issued_post
    }

    /// Where first issues through `channel` are counted.
    pub fn issued_through(&mut self, channel: Channel) -> &mut u64 {
        match channel {
            Channel::Desk => &mut self.issued_desk,
            Channel::Online => &mut self.issued_online,
            Channel::Post => &mut self.issued_post,
        }
    }
}

/// Every kind's figures for a period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LicensingFigures {
    pub publication: KindFigures,
    pub game_point: KindFigures,
    pub radio_frequency: KindFigures,
    pub bts: KindFigures,
    pub rural_criteria: KindFigures,
}

impl LicensingFigures {
    pub fn of(&self, kind: LicenceKind) -> &KindFigures {
        match kind {
            LicenceKind::Publication => &self.publication,
            LicenceKind::GamePoint => &self.game_point,
            LicenceKind::RadioFrequency => &self.radio_frequency,
            LicenceKind::Bts => &self.bts,
            LicenceKind::RuralCriteria => &self.rural_criteria,
        }
    }

    pub fn of_mut(&mut self, kind: LicenceKind) -> &mut KindFigures {
        match kind {
            LicenceKind::Publication => &mut self.publication,
            LicenceKind::GamePoint => &mut self.game_point,
            LicenceKind::RadioFrequency => &mut self.radio_frequency,
            LicenceKind::Bts => &mut self.bts,
            LicenceKind::RuralCriteria => &mut self.rural_criteria,
        }
    }
}
