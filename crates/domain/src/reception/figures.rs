//! The report's reception figures for a period (seed: "Tổ chức tiếp công
//! dân định kỳ …; Số lượt tiếp công dân thường xuyên: 02 lượt người với
//! 02 vụ việc …; Tiếp nhận đơn tố cáo: Không có …"): periodic days held
//! and the people received at them, regular visits' people and distinct
//! cases, petitions received by kind, accepted, resolved on time or late,
//! and those pending at the period's end.

use serde::Serialize;

/// Visits of one kind in a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct VisitFigures {
    /// Lượt tiếp (visits).
    pub visits: u64,
    /// Lượt người (the people received, each visit's visitors counted).
    pub people: u64,
    /// Vụ việc (distinct cases of the period's visits).
    pub cases: u64,
}

/// Petitions in a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PetitionFigures {
    pub received: u64,
    pub complaints: u64,
    pub denunciations: u64,
    /// Recommendations and reflections together, as the report groups
    /// them ("đơn phản ánh, kiến nghị").
    pub recommendations_reflections: u64,
    pub recommendations: u64,
    pub reflections: u64,
    /// Accepted for handling (thụ lý) in the period.
    pub accepted: u64,
    /// Answered in the period, and of those on time and late.
    pub resolved: u64,
    pub on_time: u64,
    pub late: u64,
    /// Received by the period's end and not finished by then.
    pub pending_at_end: u64,
}

/// The whole area's figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ReceptionFigures {
    /// Periodic reception days held in the period.
    pub days_held: u64,
    pub periodic: VisitFigures,
    pub regular: VisitFigures,
    pub petitions: PetitionFigures,
}
