//! Agencies (cơ quan, đơn vị): the tree of the province's bodies and their units.
//!
//! Invariant: an agency is never deleted or renamed in place when the state
//! reorganises; it gets an `effective_to` date and a successor, so that a
//! question asked "as of" a past date sees the tree of that date.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use time::Date;

/// Database identity of an agency.
pub type AgencyId = i64;

/// An agency code in the format of Decision 20/2020/QĐ-TTg, `NNN.NN.NN.Xnn`.
///
/// The last group names the level-1 body (`H59` is Trà Vinh province, `G22`
/// the Government Office); the groups before it number the levels below,
/// read from right to left. `000.00.00.H59` is the province itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AgencyCode(String);

/// Why a text is not an agency code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Mã định danh cơ quan «{0}» không đúng dạng NNN.NN.NN.Xnn (ví dụ 000.00.00.H59)")]
pub struct InvalidAgencyCode(pub String);

impl AgencyCode {
    /// The code as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The level of the body in the national scheme: 1 for `000.00.00.H59`,
    /// 2 for `000.00.12.H59`, 3 for `000.05.12.H59`, 4 for `001.05.12.H59`.
    pub fn level(&self) -> u8 {
        let groups: Vec<&str> = self.0.split('.').collect();
        // Groups 0..3 are numeric; count the non-zero ones from the right.
        let mut level = 1;
        for group in groups[..3].iter().rev() {
            if group.chars().all(|c| c == '0') {
                break;
            }
            level += 1;
        }
        level
    }
}

impl FromStr for AgencyCode {
    type Err = InvalidAgencyCode;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let groups: Vec<&str> = text.split('.').collect();
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        let valid = groups.len() == 4
            && digits(groups[0], 3)
            && digits(groups[1], 2)
            && digits(groups[2], 2)
            && groups[3].len() == 3
            && groups[3].as_bytes()[0].is_ascii_uppercase()
            && digits(&groups[3][1..], 2);
        if valid {
            Ok(Self(text.to_owned()))
        } else {
            Err(InvalidAgencyCode(text.to_owned()))
        }
    }
}

impl TryFrom<String> for AgencyCode {
    type Error = InvalidAgencyCode;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<AgencyCode> for String {
    fn from(code: AgencyCode) -> Self {
        code.0
    }
}

impl fmt::Display for AgencyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What kind of body an agency is. The kind decides how it is named and
/// which modules apply to it (e.g. only departments have a one-stop desk).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencyKind {
    /// UBND tỉnh — the provincial people's committee.
    ProvincialCommittee,
    /// Sở, ban, ngành — a provincial department or equivalent body.
    Department,
    /// Phòng, trung tâm, văn phòng, thanh tra — a unit inside an agency.
    Unit,
    /// UBND huyện, thị xã, thành phố — a district-level people's committee.
    DistrictCommittee,
    /// UBND xã, phường, thị trấn — a commune-level people's committee.
    CommuneCommittee,
    /// Any other body (party, mass organisations, companies in the registry).
    Other,
}

impl AgencyKind {
    /// Every kind, in display order.
    pub const ALL: [Self; 6] = [
        Self::ProvincialCommittee,
        Self::Department,
        Self::Unit,
        Self::DistrictCommittee,
        Self::CommuneCommittee,
        Self::Other,
    ];

    /// The stable name used in storage and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ProvincialCommittee => "provincial_committee",
            Self::Department => "department",
            Self::Unit => "unit",
            Self::DistrictCommittee => "district_committee",
            Self::CommuneCommittee => "commune_committee",
            Self::Other => "other",
        }
    }

    /// The Vietnamese label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Self::ProvincialCommittee => "UBND tỉnh",
            Self::Department => "Sở, ban, ngành",
            Self::Unit => "Phòng, đơn vị trực thuộc",
            Self::DistrictCommittee => "UBND cấp huyện",
            Self::CommuneCommittee => "UBND cấp xã",
            Self::Other => "Cơ quan khác",
        }
    }
}

/// A stored kind name that egov does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Loại cơ quan không hợp lệ: «{0}»")]
pub struct UnknownAgencyKind(pub String);

impl FromStr for AgencyKind {
    type Err = UnknownAgencyKind;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text)
            .ok_or_else(|| UnknownAgencyKind(text.to_owned()))
    }
}

/// An agency as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    pub id: AgencyId,
    pub code: AgencyCode,
    /// Full name, e.g. "Sở Thông tin và Truyền thông tỉnh Trà Vinh".
    pub name: String,
    /// The abbreviation used in document symbols, e.g. "STTTT", "UBND".
    pub short_name: String,
    pub kind: AgencyKind,
    pub parent_id: Option<AgencyId>,
    /// First day on which the agency exists.
    pub effective_from: Date,
    /// First day on which it no longer exists; `None` while it does.
    pub effective_to: Option<Date>,
    /// The agency that took over its work, if any.
    pub successor_id: Option<AgencyId>,
}

impl Agency {
    /// Whether the agency exists on `day`.
    pub fn is_effective_on(&self, day: Date) -> bool {
        self.effective_from <= day && self.effective_to.is_none_or(|to| day < to)
    }
}

/// The fields of an agency to create or to change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyDraft {
    pub code: AgencyCode,
    pub name: String,
    pub short_name: String,
    pub kind: AgencyKind,
    pub parent_id: Option<AgencyId>,
    pub effective_from: Date,
    pub effective_to: Option<Date>,
    pub successor_id: Option<AgencyId>,
}

/// A rule of the agency tree that a draft breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AgencyRuleError {
    #[error("Tên cơ quan không được để trống")]
    EmptyName,
    #[error("Tên viết tắt phải từ 1 đến 20 ký tự, không có khoảng trắng")]
    BadShortName,
    #[error("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực")]
    EndsBeforeStart,
    #[error("Cơ quan cấp trên không tồn tại vào ngày bắt đầu hiệu lực")]
    ParentNotEffective,
    #[error("Cơ quan không thể trực thuộc chính nó hoặc cơ quan cấp dưới của nó")]
    Cycle,
}

impl AgencyDraft {
    /// Checks the rules that need nothing but the draft and its parent.
    /// `descendants_of_self` holds the ids below the agency being changed
    /// (empty for a new one), so that a move cannot create a cycle.
    pub fn check(
        &self,
        self_id: Option<AgencyId>,
        parent: Option<&Agency>,
        descendants_of_self: &[AgencyId],
    ) -> Result<(), AgencyRuleError> {
        if self.name.trim().is_empty() {
            return Err(AgencyRuleError::EmptyName);
        }
        let short = self.short_name.trim();
        if short.is_empty() || short.chars().count() > 20 || short.contains(char::is_whitespace) {
            return Err(AgencyRuleError::BadShortName);
        }
        if self
            .effective_to
            .is_some_and(|to| to <= self.effective_from)
        {
            return Err(AgencyRuleError::EndsBeforeStart);
        }
        if let Some(parent) = parent {
            if Some(parent.id) == self_id || descendants_of_self.contains(&parent.id) {
                return Err(AgencyRuleError::Cycle);
            }
            if !parent.is_effective_on(self.effective_from) {
                return Err(AgencyRuleError::ParentNotEffective);
            }
        }
        Ok(())
    }
}

/// The agencies effective on one day, arranged as a tree for display:
/// each entry is (depth, agency), parents before children, siblings in the
/// order given by `order`.
pub fn tree_on(
    agencies: &[Agency],
    day: Date,
    order: impl Fn(&Agency, &Agency) -> std::cmp::Ordering,
) -> Vec<(usize, &Agency)> {
    let effective: Vec<&Agency> = agencies.iter().filter(|a| a.is_effective_on(day)).collect();
    let ids: std::collections::HashSet<AgencyId> = effective.iter().map(|a| a.id).collect();
    let mut out = Vec::with_capacity(effective.len());
    // Roots are agencies whose parent is absent or not effective that day.
    let mut roots: Vec<&Agency> = effective
        .iter()
        .copied()
        .filter(|a| a.parent_id.is_none_or(|p| !ids.contains(&p)))
        .collect();
    roots.sort_by(|a, b| order(a, b));
    let mut stack: Vec<(usize, &Agency)> = roots.into_iter().rev().map(|a| (0, a)).collect();
    while let Some((depth, agency)) = stack.pop() {
        out.push((depth, agency));
        let mut children: Vec<&Agency> = effective
            .iter()
            .copied()
            .filter(|c| c.parent_id == Some(agency.id))
            .collect();
        children.sort_by(|a, b| order(a, b));
        stack.extend(children.into_iter().rev().map(|c| (depth + 1, c)));
    }
    out
}

/// The ids of `root` and every agency below it (at any date).
pub fn subtree_ids(agencies: &[Agency], root: AgencyId) -> Vec<AgencyId> {
    let mut out = vec![root];
    let mut i = 0;
    while i < out.len() {
        let current = out[i];
        out.extend(
            agencies
                .iter()
                .filter(|a| a.parent_id == Some(current))
                .map(|a| a.id),
        );
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn agency_codes() {
        for (text, level) in [
            ("000.00.00.H59", 1),
            ("000.00.00.G22", 1),
            ("000.00.31.H59", 2),
            ("000.01.31.H59", 3),
            ("012.01.31.H59", 4),
        ] {
            let code: AgencyCode = text.parse().unwrap();
            assert_eq!(code.level(), level, "{text}");
        }
        for bad in [
            "",
            "000.00.00",
            "00.00.00.H59",
            "000.00.00.h59",
            "000.0a.00.H59",
            "000.00.00.H5",
            "000.00.00.HH9",
            "000.00.00.H59.1",
        ] {
            assert!(bad.parse::<AgencyCode>().is_err(), "{bad}");
        }
    }

    fn agency(id: AgencyId, parent: Option<AgencyId>, from: Date, to: Option<Date>) -> Agency {
        Agency {
            id,
            code: "000.00.00.H59".parse().unwrap(),
            name: format!("A{id}"),
            short_name: format!("A{id}"),
            kind: AgencyKind::Unit,
            parent_id: parent,
            effective_from: from,
            effective_to: to,
            successor_id: None,
        }
    }

    #[test]
    fn tree_as_of_a_day() {
        let all = vec![
            agency(1, None, date!(2000 - 01 - 01), Some(date!(2025 - 07 - 01))),
            agency(
                2,
                Some(1),
                date!(2000 - 01 - 01),
                Some(date!(2025 - 03 - 01)),
            ),
            agency(3, Some(2), date!(2000 - 01 - 01), None),
            agency(4, None, date!(2025 - 07 - 01), None),
        ];
        let ids = |day| {
            tree_on(&all, day, |a, b| a.id.cmp(&b.id))
                .iter()
                .map(|(d, a)| (*d, a.id))
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(date!(2021 - 04 - 30)), vec![(0, 1), (1, 2), (2, 3)]);
        // After the merger unit 3 survives with no effective parent: it shows as a root.
        assert_eq!(ids(date!(2025 - 08 - 01)), vec![(0, 3), (0, 4)]);
        assert_eq!(subtree_ids(&all, 1), vec![1, 2, 3]);
    }

    #[test]
    fn draft_rules() {
        let parent = agency(1, None, date!(2000 - 01 - 01), Some(date!(2025 - 07 - 01)));
        let mut draft = AgencyDraft {
            code: "000.00.31.H59".parse().unwrap(),
            name: "Sở Thông tin và Truyền thông".into(),
            short_name: "STTTT".into(),
            kind: AgencyKind::Department,
            parent_id: Some(1),
            effective_from: date!(2008 - 01 - 01),
            effective_to: None,
            successor_id: None,
        };
        assert_eq!(draft.check(None, Some(&parent), &[]), Ok(()));
        draft.effective_from = date!(2026 - 01 - 01);
        assert_eq!(
            draft.check(None, Some(&parent), &[]),
            Err(AgencyRuleError::ParentNotEffective)
        );
        draft.effective_from = date!(2008 - 01 - 01);
        assert_eq!(
            draft.check(Some(5), Some(&parent), &[1]),
            Err(AgencyRuleError::Cycle)
        );
        draft.short_name = "S T".into();
        assert_eq!(
            draft.check(None, Some(&parent), &[]),
            Err(AgencyRuleError::BadShortName)
        );
    }
}
