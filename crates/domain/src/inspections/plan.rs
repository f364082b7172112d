//! The yearly plan of inspections (kế hoạch thanh tra, kiểm tra năm):
//! approved by a document, it lists what the inspectorate means to
//! inspect and in which month; an inspection may carry out one item.

use serde::{Deserialize, Serialize};
use time::Date;

use super::{Field, RuleError, required};
use crate::agencies::AgencyId;

pub type PlanId = i64;
pub type PlanItemId = i64;

/// The earliest and latest years a plan may be for.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub id: PlanId,
    pub agency_id: AgencyId,
    pub year: i32,
    /// The approving document's reference ("Quyết định số 12/QĐ-STTTT").
    pub reference: String,
    pub approved_on: Date,
    pub items: Vec<PlanItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanItem {
    pub id: PlanItemId,
    pub field: Field,
    pub title: String,
    /// 1 to 12.
    pub month: u8,
}

impl Plan {
    /// `self` cleaned, or the first rule it breaks. A plan is approved
    /// before or during its year, never after it ends.
    pub fn checked(mut self) -> Result<Self, RuleError> {
        if !YEARS.contains(&self.year) {
            return Err(RuleError::BadYear);
        }
        self.reference = required(&self.reference, "cần ghi số, ký hiệu văn bản phê duyệt")?;
        if self.approved_on.year() > self.year {
            return Err(RuleError::DatesOutOfOrder(
                "kế hoạch phải được phê duyệt trước khi hết năm kế hoạch",
            ));
        }
        if self.items.is_empty() {
            return Err(RuleError::Missing("kế hoạch chưa có cuộc nào"));
        }
        for item in &mut self.items {
            item.title = required(&item.title, "cần ghi tên cuộc thanh tra, kiểm tra")?;
            if !(1..=12).contains(&item.month) {
                return Err(RuleError::BadMonth);
            }
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn plan() -> Plan {
        Plan {
            id: 0,
            agency_id: 1,
            year: 2021,
            reference: " 01/QĐ-STTTT ".into(),
            approved_on: date!(2020 - 12 - 20),
            items: vec![PlanItem {
                id: 0,
                field: Field::Internet,
                title: "Kiểm tra  đại lý internet".into(),
                month: 4,
            }],
        }
    }

    #[test]
    fn a_plan_is_cleaned_and_checked() {
        let p = plan().checked().unwrap();
        assert_eq!(p.reference, "01/QĐ-STTTT");
        assert_eq!(p.items[0].title, "Kiểm tra đại lý internet");
        let mut late = plan();
        late.approved_on = date!(2022 - 01 - 02);
        assert!(matches!(late.checked(), Err(RuleError::DatesOutOfOrder(_))));
        let mut month = plan();
        month.items[0].month = 13;
        assert_eq!(month.checked(), Err(RuleError::BadMonth));
        let mut empty = plan();
        empty.items.clear();
        assert!(empty.checked().is_err());
    }
}
