//! Mailbox requests: an agency asks for one box or for its staff list's
//! boxes; its head approves (never their own request), then the
//! department that runs the mail service approves, and provisioning makes
//! the boxes. A refusal at either step closes the boxes asked for.
//!
//! The addresses are planned when the request is made, against every
//! address already given (closed ones too) and those planned earlier in
//! the same list, so a preview shows exactly what approval will create.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::addresses::{AddressError, agency_local_part, person_local_part};
use crate::agencies::AgencyId;
use crate::people::PersonId;

pub type RequestId = i64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    Single,
    Bulk,
}

named!(RequestKind {
    Single => "single", "Đề nghị một hộp thư";
    Bulk => "bulk", "Đề nghị theo danh sách";
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Submitted,
    AgencyApproved,
    Approved,
    Rejected,
}

named!(RequestStatus {
    Submitted => "submitted", "Chờ thủ trưởng cơ quan duyệt";
    AgencyApproved => "agency_approved", "Chờ Sở duyệt";
    Approved => "approved", "Đã duyệt";
    Rejected => "rejected", "Bị từ chối";
});

/// A request for mailboxes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxRequest {
    pub id: RequestId,
    pub agency_id: AgencyId,
    pub kind: RequestKind,
    pub requested_by: PersonId,
    pub submitted_at: OffsetDateTime,
    pub status: RequestStatus,
    pub agency_approved_by: Option<PersonId>,
    pub agency_approved_at: Option<OffsetDateTime>,
    pub decided_by: Option<PersonId>,
    pub decided_at: Option<OffsetDateTime>,
    /// Why it was refused.
    pub reason: Option<String>,
    /// What the requester wrote (e.g. "cán bộ mới tuyển dụng").
    pub note: String,
}

/// Who decides at a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decider {
    /// The head (a leader) of the requesting agency.
    AgencyHead,
    /// The department's mail operator.
    Department,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject(String),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    #[error("đề nghị đang ở bước «{}»: không phải lượt duyệt này", .0.label())]
    OutOfTurn(RequestStatus),
    #[error("người đề nghị không tự duyệt đề nghị của mình")]
    OwnRequest,
    #[error("cần ghi lý do từ chối")]
    NoReason,
}

impl MailboxRequest {
    /// The status after `decider`'s `decision`, or why it may not be
    /// taken.
    pub fn decide(
        &self,
        decision: &Decision,
        decider: Decider,
        by: PersonId,
    ) -> Result<RequestStatus, RequestError> {
        let turn = matches!(
            (self.status, decider),
            (RequestStatus::Submitted, Decider::AgencyHead)
                | (RequestStatus::AgencyApproved, Decider::Department)
        );
        if !turn {
            return Err(RequestError::OutOfTurn(self.status));
        }
        if decider == Decider::AgencyHead && by == self.requested_by {
            return Err(RequestError::OwnRequest);
        }
        Ok(match decision {
            Decision::Reject(reason) if reason.trim().is_empty() => {
                return Err(RequestError::NoReason);
            }
            Decision::Reject(_) => RequestStatus::Rejected,
            Decision::Approve if decider == Decider::AgencyHead => RequestStatus::AgencyApproved,
            Decision::Approve => RequestStatus::Approved,
        })
    }
}

/// What a box is named after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Naming {
    /// A person, with their agency's suffix when the domain's rule asks.
    Person {
        full_name: String,
        suffix: Option<String>,
    },
    /// An agency or unit: its abbreviation and its parents', nearest
    /// first (`["VP", "STTTT"]` → `vp.stttt`).
    Agency { chain: Vec<String> },
}

/// An address planned for a box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub address: String,
    /// The address the rule gave first, when it was taken and a number
    /// was added: the preview shows it as a collision.
    pub collided_with: Option<String>,
}

/// Plans the addresses of `names` in `domain`, in order: each avoids the
/// addresses `is_taken` says are given and those planned before it.
pub fn plan_addresses(
    names: &[Naming],
    domain: &str,
    is_taken: impl Fn(&str) -> bool,
) -> Vec<Result<Planned, AddressError>> {
    let mut planned: HashSet<String> = HashSet::new();
    names
        .iter()
        .map(|naming| {
            let full = |local: &str| format!("{local}@{domain}");
            let used = |local: &str| {
                let address = full(local);
                planned.contains(&address) || is_taken(&address)
            };
            let result = match naming {
                Naming::Person { full_name, suffix } => {
                    let first = person_local_part(full_name, suffix.as_deref(), |_| false)?;
                    let local = person_local_part(full_name, suffix.as_deref(), used)?;
                    Planned {
                        address: full(&local),
                        collided_with: (local != first).then(|| full(&first)),
                    }
                }
                Naming::Agency { chain } => {
                    let chain: Vec<&str> = chain.iter().map(String::as_str).collect();
                    let local = agency_local_part(&chain)?;
                    if used(&local) {
                        return Err(AddressError::Taken(full(&local)));
                    }
                    Planned {
                        address: full(&local),
                        collided_with: None,
                    }
                }
            };
            planned.insert(result.address.clone());
            Ok(result)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    fn request() -> MailboxRequest {
        MailboxRequest {
            id: 1,
            agency_id: 2,
            kind: RequestKind::Bulk,
            requested_by: 10,
            submitted_at: datetime!(2021-04-05 08:00 UTC),
            status: RequestStatus::Submitted,
            agency_approved_by: None,
            agency_approved_at: None,
            decided_by: None,
            decided_at: None,
            reason: None,
            note: String::new(),
        }
    }

    #[test]
    fn two_approvals_in_turn() {
        let r = request();
        assert_eq!(
            r.decide(&Decision::Approve, Decider::Department, 20),
            Err(RequestError::OutOfTurn(RequestStatus::Submitted))
        );
        assert_eq!(
            r.decide(&Decision::Approve, Decider::AgencyHead, 10),
            Err(RequestError::OwnRequest)
        );
        assert_eq!(
            r.decide(&Decision::Reject(" ".into()), Decider::AgencyHead, 11),
            Err(RequestError::NoReason)
        );
        let status = r
            .decide(&Decision::Approve, Decider::AgencyHead, 11)
            .unwrap();
        assert_eq!(status, RequestStatus::AgencyApproved);
        let r = MailboxRequest { status, ..r };
        assert_eq!(
            r.decide(&Decision::Approve, Decider::Department, 20),
            Ok(RequestStatus::Approved)
        );
        assert_eq!(
            r.decide(&Decision::Reject("trùng".into()), Decider::Department, 20),
            Ok(RequestStatus::Rejected)
        );
    }

    #[test]
    fn addresses_avoid_the_given_and_each_other() {
        let person = |name: &str| Naming::Person {
            full_name: name.into(),
            suffix: Some("stttt".into()),
        };
        let names = [
            person("Nguyễn Ngọc Thành"),
            person("Ngô Nam Thành"),
            person("Nguyễn Thị Lan"),
            Naming::Agency {
                chain: vec!["VP".into(), "STTTT".into()],
            },
            Naming::Agency {
                chain: vec!["STTTT".into()],
            },
            person("阮"),
        ];
        let got = plan_addresses(&names, "travinh.gov.vn", |a| {
            a == "thanhnn.stttt@travinh.gov.vn" || a == "stttt@travinh.gov.vn"
        });
        assert_eq!(
            got[0],
            Ok(Planned {
                address: "thanhnn2.stttt@travinh.gov.vn".into(),
                collided_with: Some("thanhnn.stttt@travinh.gov.vn".into())
            })
        );
        assert_eq!(
            got[1].as_ref().unwrap().address,
            "thanhnn3.stttt@travinh.gov.vn"
        );
        assert_eq!(
            got[2].as_ref().unwrap(),
            &Planned {
                address: "lannt.stttt@travinh.gov.vn".into(),
                collided_with: None
            }
        );
        assert_eq!(got[3].as_ref().unwrap().address, "vp.stttt@travinh.gov.vn");
        assert_eq!(
            got[4],
            Err(AddressError::Taken("stttt@travinh.gov.vn".into()))
        );
        assert!(got[5].is_err());
    }
}
