//! The report's training figures for a period (seed: "hiện có 03 đ/c
//! đang học lớp Cao cấp lý luận chính trị; 02 đ/c … Trung cấp …; 01 đ/c
//! … Thanh tra viên chính"): people attending at the period's end, and
//! attendances started and completed in it, each by course kind.
//!
//! A person attends on a day from their first day until the day they
//! completed or withdrew (that day excluded); a course's planned end does
//! not end it — the record does.

use serde::Serialize;

use super::courses::CourseKind;

/// One count for each kind of course.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ByKind {
    pub advanced_theory: u64,
    pub intermediate_theory: u64,
    pub principal_inspector: u64,
    pub professional: u64,
}

impl ByKind {
    pub fn get(&self, kind: CourseKind) -> u64 {
        match kind {
            CourseKind::AdvancedTheory => self.advanced_theory,
            CourseKind::IntermediateTheory => self.intermediate_theory,
            CourseKind::PrincipalInspector => self.principal_inspector,
            CourseKind::Professional => self.professional,
        }
    }

    pub fn set(&mut self, kind: CourseKind, n: u64) {
        *match kind {
            CourseKind::AdvancedTheory => &mut self.advanced_theory,
            CourseKind::IntermediateTheory => &mut self.intermediate_theory,
            CourseKind::PrincipalInspector => &mut self.principal_inspector,
            CourseKind::Professional => &mut self.professional,
        } = n;
    }

    pub fn total(&self) -> u64 {
        CourseKind::ALL.iter().map(|k| self.get(*k)).sum()
    }
}

/// The figures of a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StaffFigures {
    /// People attending at the period's end.
    pub attending: ByKind,
    pub started: ByKind,
    pub completed: ByKind,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_kind_round_trip() {
        let mut f = ByKind::default();
        for (n, kind) in (1..).zip(CourseKind::ALL) {
            f.set(*kind, n);
        }
        assert_eq!(f.get(CourseKind::PrincipalInspector), 3);
        assert_eq!(f.total(), 10);
    }
}
