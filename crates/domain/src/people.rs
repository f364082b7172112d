//! People (cán bộ, công chức) and their roles in agencies.
//!
//! Invariant: a role is always held in one agency; what a person may see
//! and do follows from those grants alone (see `authz`). Citizens and
//! businesses are not people here: they are accounts of the services area.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::agencies::AgencyId;

/// Database identity of a person.
pub type PersonId = i64;

/// Whether a person's account may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonStatus {
    /// Đang công tác.
    Active,
    /// Đã nghỉ, chuyển công tác: kept for history, cannot sign in.
    Inactive,
}

impl PersonStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Inactive => "inactive",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Active => "Đang công tác",
            Self::Inactive => "Ngừng hoạt động",
        }
    }
}

/// A stored name that egov does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Giá trị không hợp lệ: «{0}»")]
pub struct UnknownName(pub String);

impl FromStr for PersonStatus {
    type Err = UnknownName;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "active" => Ok(Self::Active),
            "inactive" => Ok(Self::Inactive),
            other => Err(UnknownName(other.to_owned())),
        }
    }
}

/// A role held in an agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Quản trị hệ thống của cơ quan.
    Admin,
    /// Văn thư — registers documents and issues numbers.
    Clerk,
    /// Chuyên viên — drafts and handles.
    Specialist,
    /// Lãnh đạo — approves and signs.
    Leader,
    /// Cán bộ một cửa — receives dossiers at the desk.
    DeskOfficer,
    /// Cán bộ quản lý chứng thư số — CA registration officer.
    CaOperator,
    /// Biên tập viên cổng thông tin — portal editor.
    Editor,
    /// Kiểm tra, giám sát — reads the audit trail.
    Auditor,
    /// Quản trị thư điện tử công vụ — runs the official mail service.
    MailOperator,
    /// Thanh tra viên — inspections, citizen reception and petitions.
    Inspector,
}

impl Role {
    pub const ALL: [Self; 10] = [
        Self::Admin,
        Self::Clerk,
        Self::Specialist,
        Self::Leader,
        Self::DeskOfficer,
        Self::CaOperator,
        Self::Editor,
        Self::Auditor,
        Self::MailOperator,
        Self::Inspector,
    ];

    /// The stable name used in storage, the API and the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Clerk => "clerk",
            Self::Specialist => "specialist",
            Self::Leader => "leader",
            Self::DeskOfficer => "desk_officer",
            Self::CaOperator => "ca_operator",
            Self::Editor => "editor",
            Self::Auditor => "auditor",
            Self::MailOperator => "mail_operator",
            Self::Inspector => "inspector",
        }
    }

    /// The Vietnamese label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Admin => "Quản trị",
            Self::Clerk => "Văn thư",
            Self::Specialist => "Chuyên viên",
            Self::Leader => "Lãnh đạo",
            Self::DeskOfficer => "Cán bộ một cửa",
            Self::CaOperator => "Quản lý chứng thư số",
            Self::Editor => "Biên tập viên",
            Self::Auditor => "Kiểm tra, giám sát",
            Self::MailOperator => "Quản trị thư điện tử",
            Self::Inspector => "Thanh tra viên",
        }
    }
}

impl FromStr for Role {
    type Err = UnknownName;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|role| role.as_str() == text)
            .ok_or_else(|| UnknownName(text.to_owned()))
    }
}

/// A role held by a person in an agency (and, through the tree, below it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RoleGrant {
    pub agency_id: AgencyId,
    pub role: Role,
}

/// A person as stored, without credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: PersonId,
    pub full_name: String,
    /// Chức vụ, e.g. "Phó Giám đốc", "Chuyên viên".
    pub position: String,
    /// The agency or unit the person works in.
    pub agency_id: AgencyId,
    pub email: String,
    pub phone: Option<String>,
    pub status: PersonStatus,
    pub grants: Vec<RoleGrant>,
}

/// The fields of a person to create or change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonDraft {
    pub full_name: String,
    pub position: String,
    pub agency_id: AgencyId,
    pub email: String,
    pub phone: Option<String>,
}

/// A rule about people that a draft breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PersonRuleError {
    #[error("Họ và tên phải có ít nhất hai từ")]
    BadName,
    #[error("Địa chỉ thư điện tử «{0}» không hợp lệ")]
    BadEmail(String),
    #[error("Số điện thoại «{0}» không hợp lệ")]
    BadPhone(String),
}

impl PersonDraft {
    /// Normalises the draft (trimmed, e-mail lowercased) and checks it.
    pub fn normalised(mut self) -> Result<Self, PersonRuleError> {
        self.full_name = self
            .full_name
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        self.position = self.position.trim().to_owned();
        self.email = self.email.trim().to_lowercase();
        self.phone = self
            .phone
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty());
        if self.full_name.split(' ').count() < 2 {
            return Err(PersonRuleError::BadName);
        }
        if !is_plausible_email(&self.email) {
            return Err(PersonRuleError::BadEmail(self.email));
        }
        if let Some(phone) = &self.phone {
            let digits = phone.chars().filter(char::is_ascii_digit).count();
            let allowed = phone
                .chars()
                .all(|c| c.is_ascii_digit() || " +.-()".contains(c));
            if !allowed || !(8..=15).contains(&digits) {
                return Err(PersonRuleError::BadPhone(phone.clone()));
            }
        }
        Ok(self)
    }
}

/// A deliberately simple check: one `@`, a non-empty local part, and a
/// dotted domain of letters, digits and hyphens. Delivery is the real test.
pub(crate) fn is_plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._+-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    local_ok && domain_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(name: &str, email: &str, phone: Option<&str>) -> PersonDraft {
        PersonDraft {
            full_name: name.into(),
            position: " Chuyên viên ".into(),
            agency_id: 1,
            email: email.into(),
            phone: phone.map(Into::into),
        }
    }

    #[test]
    fn person_drafts() {
        let ok = draft(
            "  Nguyễn   Ngọc Thành ",
            "ThanhNN.STTTT@travinh.gov.vn",
            Some("0294 3 123 456"),
        )
        .normalised()
        .unwrap();
        assert_eq!(ok.full_name, "Nguyễn Ngọc Thành");
        assert_eq!(ok.email, "thanhnn.stttt@travinh.gov.vn");
        assert_eq!(ok.position, "Chuyên viên");
        assert_eq!(
            draft("Thành", "a@b.vn", None).normalised(),
            Err(PersonRuleError::BadName)
        );
        for bad in ["a", "a@b", "@b.vn", "a b@c.vn", "a@b..vn"] {
            assert!(
                matches!(
                    draft("Lê Văn A", bad, None).normalised(),
                    Err(PersonRuleError::BadEmail(_))
                ),
                "{bad}"
            );
        }
        assert!(matches!(
            draft("Lê Văn A", "a@b.vn", Some("12ab")).normalised(),
            Err(PersonRuleError::BadPhone(_))
        ));
    }

    #[test]
    fn role_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("root".parse::<Role>().is_err());
    }
}
