//! Campaigns the stations are asked to carry (Covid-19 prevention, an
//! election): a title, a topic and the days it runs, both ends included.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::agencies::AgencyId;

pub type CampaignId = i64;

/// A campaign to broadcast.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Campaign {
    pub id: CampaignId,
    /// The agency that keeps the register and launched it.
    pub agency_id: AgencyId,
    pub title: String,
    pub topic: String,
    pub from: Date,
    /// Its last day.
    pub to: Date,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CampaignError {
    #[error("cần ghi tên đợt tuyên truyền")]
    NoTitle,
    #[error("ngày kết thúc ({}) trước ngày bắt đầu ({})", vn::dates::format_short(*.1), vn::dates::format_short(*.0))]
    DatesOutOfOrder(Date, Date),
}

impl Campaign {
    /// Trims its texts, or says why it cannot be recorded.
    pub fn checked(mut self) -> Result<Self, CampaignError> {
        self.title = vn::text::squash_spaces(&self.title);
        self.topic = vn::text::squash_spaces(&self.topic);
        if self.title.is_empty() {
            return Err(CampaignError::NoTitle);
        }
        if self.to < self.from {
            return Err(CampaignError::DatesOutOfOrder(self.from, self.to));
        }
        Ok(self)
    }

    /// Whether it runs on `day`.
    pub fn runs_on(&self, day: Date) -> bool {
        self.from <= day && day <= self.to
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn campaign(from: Date, to: Date) -> Campaign {
        Campaign {
            id: 0,
            agency_id: 1,
            title: "  Bầu cử  đại biểu Quốc hội ".into(),
            topic: String::new(),
            from,
            to,
        }
    }

    #[test]
    fn dates_in_order_and_a_title() {
        let c = campaign(date!(2021 - 03 - 01), date!(2021 - 05 - 23))
            .checked()
            .unwrap();
        assert_eq!(c.title, "Bầu cử đại biểu Quốc hội");
        assert!(c.runs_on(date!(2021 - 05 - 23)));
        assert!(!c.runs_on(date!(2021 - 05 - 24)));
        assert!(matches!(
            campaign(date!(2021 - 05 - 02), date!(2021 - 05 - 01)).checked(),
            Err(CampaignError::DatesOutOfOrder(..))
        ));
        let mut untitled = campaign(date!(2021 - 05 - 01), date!(2021 - 05 - 01));
        untitled.title = " ".into();
        assert_eq!(untitled.checked(), Err(CampaignError::NoTitle));
    }
}
