//! The report's inspection figures for a period (seed: "Sở tổ chức 01
//! cuộc kiểm tra … đối với 10 cá nhân … chưa phát hiện sai phạm").
//!
//! An inspection belongs to the period its first day falls in: "trong
//! tháng 4, Sở tổ chức 01 cuộc" counts the inspections begun that month,
//! and counting each once lets the months add up to the year. What an
//! inspection found (its subjects, violations, sanctions, fines) is
//! reported with it. Follow-ups count by their own dates: due in the
//! period, done in it. The totals at the period's end count inspections
//! decided by then and not closed by then, and follow-ups of inspections
//! begun by then and not done by then.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Field;
use super::record::Kind;
use super::subjects::SanctionKind;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct InspectionFigures {
    /// Inspections begun in the period.
    pub inspections: u64,
    pub by_kind: BTreeMap<Kind, u64>,
    /// An inspection of several fields counts once in each.
    pub by_field: BTreeMap<Field, u64>,
    /// Their subjects.
    pub businesses: u64,
    pub individuals: u64,
    pub subjects_in_violation: u64,
    pub sanctions: BTreeMap<SanctionKind, u64>,
    pub fines_vnd: i64,
    pub follow_ups_due: u64,
    pub follow_ups_done: u64,
    /// At the period's end.
    pub open_inspections: u64,
    pub open_follow_ups: u64,
}

impl InspectionFigures {
    pub fn subjects(&self) -> u64 {
        self.businesses + self.individuals
    }
}
