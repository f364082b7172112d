//! Mailboxes: who a box belongs to (a person, an agency or one of its
//! units), its quota and aliases, and its life — requested, approved,
//! active once the mail server has it, suspended (a person left or moved;
//! mail still arrives, nobody can sign in), closed (gone from the server,
//! its address never given again, so old correspondents cannot reach a
//! stranger).
//!
//! Every change the mail server must learn bumps `revision`; the server
//! holds `synced_revision`. Provisioning applies the box's
//! [`Mailbox::entry`] and records the revision it applied, so it can stop
//! anywhere and start again.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::directory::{DirectoryEntry, Login};
use crate::agencies::AgencyId;
use crate::people::PersonId;

pub type MailboxId = i64;

/// The smallest quota the rule allows (DOMAIN.md §8: boxes ≥ 2 GB).
pub const MIN_QUOTA_MIB: u32 = 2048;
/// The largest quota egov accepts, so a typing slip cannot promise a
/// terabyte.
pub const MAX_QUOTA_MIB: u32 = 102_400;

/// Whose box it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailboxKind {
    Person,
    Agency,
    Unit,
}

named!(MailboxKind {
    Person => "person", "Cá nhân";
    Agency => "agency", "Cơ quan";
    Unit => "unit", "Đơn vị trực thuộc";
});

/// Where a box is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailboxStatus {
    /// Asked for; its request is being approved.
    Requested,
    /// Approved; waiting for provisioning.
    Approved,
    /// On the mail server.
    Active,
    /// On the server, but nobody may sign in.
    Suspended,
    /// Gone (or refused before it was made).
    Closed,
}

named!(MailboxStatus {
    Requested => "requested", "Đang đề nghị";
    Approved => "approved", "Đã duyệt, chờ tạo";
    Active => "active", "Đang hoạt động";
    Suspended => "suspended", "Tạm khóa";
    Closed => "closed", "Đã đóng";
});

/// An official mailbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mailbox {
    pub id: MailboxId,
    /// `local@domain`, lowercase.
    pub address: String,
    pub kind: MailboxKind,
    /// The agency (or unit) the box belongs to, or its holder works in.
    pub agency_id: AgencyId,
    /// The holder, for a person's box that egov knows as staff.
    pub person_id: Option<PersonId>,
    /// The name shown for the box: the person's or the agency's.
    pub display_name: String,
    pub quota_mib: u32,
    pub status: MailboxStatus,
    /// Further addresses delivered into this box.
    pub aliases: Vec<String>,
    /// The password as the mail server checks it (`{ARGON2ID}$argon2id$…`);
    /// none until the holder or an administrator sets one.
    #[serde(skip_serializing)]
    pub password_hash: Option<String>,
    pub revision: i64,
    pub synced_revision: i64,
    pub request_id: Option<super::requests::RequestId>,
    pub requested_at: OffsetDateTime,
    pub activated_at: Option<OffsetDateTime>,
    pub closed_at: Option<OffsetDateTime>,
}

/// A change to a mailbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Approve,
    /// The request was refused: the box closes before it was made.
    Refuse,
    /// The server has the box.
    Activate,
    Suspend,
    Reinstate,
    Close,
    SetPassword(String),
    SetQuota(u32),
    AddAlias(String),
    RemoveAlias(String),
}

/// Why a change is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailboxError {
    #[error("hộp thư đang ở trạng thái «{}», không thể {what}", .status.label())]
    Status {
        status: MailboxStatus,
        what: &'static str,
    },
    #[error("dung lượng phải từ {MIN_QUOTA_MIB} MB đến {MAX_QUOTA_MIB} MB")]
    Quota,
    #[error("bí danh «{0}» đã có")]
    AliasExists(String),
    #[error("hộp thư không có bí danh «{0}»")]
    NoSuchAlias(String),
}

impl Mailbox {
    /// Whether the server has (or should have) changes it has not applied.
    pub fn is_pending(&self) -> bool {
        self.revision > self.synced_revision
    }

    /// The box after `change`, or why not. Changes the server must learn
    /// bump the revision; the caller stamps the moments.
    pub fn apply(&self, change: &Change) -> Result<Self, MailboxError> {
        use MailboxStatus as S;
        let refuse = |what| {
            Err(MailboxError::Status {
                status: self.status,
                what,
            })
        };
        let mut next = self.clone();
        match change {
            Change::Approve => match self.status {
                S::Requested => next.status = S::Approved,
                _ => return refuse("duyệt"),
            },
            Change::Refuse => match self.status {
                S::Requested => next.status = S::Closed,
                _ => return refuse("từ chối"),
            },
            Change::Activate => match self.status {
                S::Approved => next.status = S::Active,
                _ => return refuse("kích hoạt"),
            },
            Change::Suspend => match self.status {
                S::Active => next.status = S::Suspended,
                _ => return refuse("tạm khóa"),
            },
            Change::Reinstate => match self.status {
                S::Suspended => next.status = S::Active,
                _ => return refuse("mở khóa"),
            },
            Change::Close => match self.status {
                S::Closed => return refuse("đóng"),
                _ => next.status = S::Closed,
            },
            Change::SetPassword(hash) => match self.status {
                S::Closed => return refuse("đặt mật khẩu"),
                _ => next.password_hash = Some(hash.clone()),
            },
            Change::SetQuota(mib) => {
                if self.status == S::Closed {
                    return refuse("đổi dung lượng");
                }
                if !(MIN_QUOTA_MIB..=MAX_QUOTA_MIB).contains(mib) {
                    return Err(MailboxError::Quota);
                }
                next.quota_mib = *mib;
            }
            Change::AddAlias(alias) => {
                if self.status == S::Closed {
                    return refuse("thêm bí danh");
                }
                if self.aliases.contains(alias) {
                    return Err(MailboxError::AliasExists(alias.clone()));
                }
                next.aliases.push(alias.clone());
                next.aliases.sort();
            }
            Change::RemoveAlias(alias) => {
                if !self.aliases.contains(alias) {
                    return Err(MailboxError::NoSuchAlias(alias.clone()));
                }
                next.aliases.retain(|a| a != alias);
            }
        }
        // Approving, activating and refusing a box the server never had
        // change nothing there but what `entry` says.
        if next.entry() != self.entry() {
            next.revision = self.revision + 1;
        }
        Ok(next)
    }

    /// What the mail server should hold for this box: nothing while it is
    /// only asked for or once it is closed; else the account, able to sign
    /// in only when active with a password.
    pub fn entry(&self) -> Option<DirectoryEntry> {
        let login = match (self.status, &self.password_hash) {
            (MailboxStatus::Requested | MailboxStatus::Closed, _) => return None,
            (MailboxStatus::Suspended, _) => Login::Suspended,
            (_, None) => Login::NoPassword,
            (MailboxStatus::Approved | MailboxStatus::Active, Some(_)) => Login::Enabled,
        };
        Some(DirectoryEntry {
            address: self.address.clone(),
            password_hash: self.password_hash.clone(),
            quota_mib: self.quota_mib,
            login,
            aliases: self.aliases.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    fn requested() -> Mailbox {
        Mailbox {
            id: 1,
            address: "thanhnn.stttt@travinh.gov.vn".into(),
            kind: MailboxKind::Person,
            agency_id: 2,
            person_id: Some(7),
            display_name: "Nguyễn Ngọc Thành".into(),
            quota_mib: MIN_QUOTA_MIB,
            status: MailboxStatus::Requested,
            aliases: vec![],
            password_hash: None,
            revision: 0,
            synced_revision: 0,
            request_id: Some(1),
            requested_at: datetime!(2021-04-05 08:00 UTC),
            activated_at: None,
            closed_at: None,
        }
    }

    #[test]
    fn a_box_lives_from_request_to_close() {
        let b = requested();
        assert!(b.entry().is_none());
        let b = b.apply(&Change::Approve).unwrap();
        assert_eq!(b.revision, 1, "the server must now make it");
        assert_eq!(b.entry().unwrap().login, Login::NoPassword);
        let b = b.apply(&Change::Activate).unwrap();
        assert_eq!(b.revision, 1, "activation is what the server already has");
        let b = b.apply(&Change::SetPassword("{ARGON2ID}x".into())).unwrap();
        assert_eq!(b.entry().unwrap().login, Login::Enabled);
        let b = b.apply(&Change::Suspend).unwrap();
        assert_eq!(b.entry().unwrap().login, Login::Suspended);
        assert!(b.apply(&Change::Suspend).is_err());
        let b = b.apply(&Change::Reinstate).unwrap();
        let b = b.apply(&Change::Close).unwrap();
        assert!(b.entry().is_none());
        assert_eq!(b.revision, 5);
        assert!(b.apply(&Change::SetPassword("y".into())).is_err());
        assert!(b.apply(&Change::Close).is_err());
    }

    #[test]
    fn refusal_quota_and_aliases() {
        let b = requested();
        let refused = b.apply(&Change::Refuse).unwrap();
        assert_eq!(
            (refused.status, refused.revision),
            (MailboxStatus::Closed, 0)
        );
        assert!(b.apply(&Change::Activate).is_err(), "not before approval");
        assert_eq!(b.apply(&Change::SetQuota(1024)), Err(MailboxError::Quota));
        let b = b.apply(&Change::SetQuota(4096)).unwrap();
        assert_eq!(b.quota_mib, 4096);
        let b = b
            .apply(&Change::AddAlias("vanthu.stttt@travinh.gov.vn".into()))
            .unwrap();
        assert!(
            b.apply(&Change::AddAlias("vanthu.stttt@travinh.gov.vn".into()))
                .is_err()
        );
        assert!(
            b.apply(&Change::RemoveAlias("x@travinh.gov.vn".into()))
                .is_err()
        );
    }
}
