//! Public-service certificates (chứng thư số chuyên dùng) as records: the
//! profiles a CA issues, who holds a certificate and on what token, its
//! status on a day, revocation reasons (RFC 5280), and the requests that
//! lead to issuing, renewing, changing or revoking one.
//!
//! Invariant: a request moves only along [`RequestAction::after`]; the
//! holder's agency head approves (four eyes: never their own request), and
//! only a CA operator completes. The cryptography is the `pki` crate's.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::agencies::AgencyId;
use crate::authz::Permission;
use crate::people::PersonId;

/// A certificate serial in upper-case hex, as OpenSSL prints it.
pub type SerialHex = String;
pub type RequestId = i64;

/// What a certificate is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Profile {
    /// The self-signed root.
    Root,
    /// A CA under the root that issues end-entity certificates.
    IssuingCa,
    /// Chứng thư cá nhân — a person's signing certificate.
    Personal,
    /// Chứng thư tổ chức — an agency's, held by its clerk.
    Organization,
    /// The delegated OCSP responder's.
    Ocsp,
    /// egov's own HTTPS server.
    TlsServer,
    /// The time-stamping authority's.
    Timestamping,
}

named!(Profile {
    Root => "root", "CA gốc";
    IssuingCa => "issuing-ca", "CA cấp dưới";
    Personal => "personal", "Cá nhân";
    Organization => "organization", "Tổ chức";
    Ocsp => "ocsp", "Ký trả lời OCSP";
    TlsServer => "tls-server", "Máy chủ TLS";
    Timestamping => "timestamping", "Cấp dấu thời gian";
});

impl Profile {
    pub fn is_ca(self) -> bool {
        matches!(self, Self::Root | Self::IssuingCa)
    }

    /// Days of validity unless configured otherwise.
    pub fn default_days(self) -> u32 {
        match self {
            Self::Root => 20 * 365,
            Self::IssuingCa => 10 * 365,
            Self::Personal | Self::Organization => 3 * 365,
            Self::Ocsp => 365,
            // Browsers refuse TLS certificates longer than 398 days.
            Self::TlsServer => 397,
            Self::Timestamping => 5 * 365,
        }
    }
}

/// Why a certificate was revoked (RFC 5280 §5.3.1). `removeFromCRL` is
/// left out: it exists only for delta CRLs, which this CA does not publish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RevocationReason {
    #[serde(rename = "unspecified")]
    Unspecified,
    #[serde(rename = "keyCompromise")]
    KeyCompromise,
    #[serde(rename = "CACompromise")]
    CaCompromise,
    #[serde(rename = "affiliationChanged")]
    AffiliationChanged,
    #[serde(rename = "superseded")]
    Superseded,
    #[serde(rename = "cessationOfOperation")]
    CessationOfOperation,
    #[serde(rename = "certificateHold")]
    CertificateHold,
    #[serde(rename = "privilegeWithdrawn")]
    PrivilegeWithdrawn,
    #[serde(rename = "AACompromise")]
    AaCompromise,
}

named!(RevocationReason {
    Unspecified => "unspecified", "Không nêu lý do";
    KeyCompromise => "keyCompromise", "Lộ khóa bí mật";
    CaCompromise => "CACompromise", "Lộ khóa của CA";
    AffiliationChanged => "affiliationChanged", "Thay đổi cơ quan, chức vụ";
    Superseded => "superseded", "Đã được thay thế";
    CessationOfOperation => "cessationOfOperation", "Thôi sử dụng";
    CertificateHold => "certificateHold", "Tạm dừng";
    PrivilegeWithdrawn => "privilegeWithdrawn", "Bị rút quyền";
    AaCompromise => "AACompromise", "Lộ khóa của đơn vị cấp thuộc tính";
});

impl RevocationReason {
    /// RFC 5280's name in any case, with or without dashes or underscores
    /// (`key-compromise`, `KEYCOMPROMISE`), as people type it.
    pub fn parse_loose(text: &str) -> Option<Self> {
        let key = |t: &str| t.replace(['-', '_', ' '], "").to_ascii_lowercase();
        let wanted = key(text);
        Self::ALL
            .iter()
            .copied()
            .find(|r| key(r.as_str()) == wanted)
    }
}

/// Where the holder's private key lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    Usb,
    Sim,
    Hsm,
    Software,
}

named!(TokenKind {
    Usb => "usb", "USB token";
    Sim => "sim", "SIM PKI";
    Hsm => "hsm", "HSM";
    Software => "software", "Phần mềm";
});

/// Who a certificate belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum Holder {
    Person(PersonId),
    /// The agency itself (its organisation certificate).
    Agency(AgencyId),
    /// The CA's own services: its CAs, OCSP responder, TSA, TLS server.
    Service,
}

impl Holder {
    pub fn kind(self) -> &'static str {
        match self {
            Self::Person(_) => "person",
            Self::Agency(_) => "agency",
            Self::Service => "service",
        }
    }

    /// The holder of `kind` and `id` as stored.
    pub fn from_parts(kind: &str, id: Option<i64>) -> Option<Self> {
        match (kind, id) {
            ("person", Some(id)) => Some(Self::Person(id)),
            ("agency", Some(id)) => Some(Self::Agency(id)),
            ("service", None) => Some(Self::Service),
            _ => None,
        }
    }

    pub fn id(self) -> Option<i64> {
        match self {
            Self::Person(id) | Self::Agency(id) => Some(id),
            Self::Service => None,
        }
    }
}

/// A revocation as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revocation {
    pub at: OffsetDateTime,
    pub reason: RevocationReason,
}

/// An issued certificate as the CA keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateRecord {
    pub serial: SerialHex,
    /// The name of the CA that issued it (`issuing`, `root`).
    pub authority: String,
    pub profile: Profile,
    pub holder: Holder,
    pub token: TokenKind,
    /// The subject's common name, for lists.
    pub subject: String,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
    pub issued_at: OffsetDateTime,
    /// The certificate this one renews or replaces.
    pub replaces: Option<SerialHex>,
    pub revocation: Option<Revocation>,
    /// Where the holder's private key is when the CA made it on its own
    /// HSM (a PKCS #11 URI); `None` when the holder's token made it.
    pub key_ref: Option<String>,
    #[serde(skip)]
    pub der: Vec<u8>,
}

/// One of the CA's own signers — the root, an issuing CA, the OCSP
/// responder, the TSA — with where its key is and its latest CRL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorityRecord {
    /// Short and URL-safe: `root`, `issuing`, `ocsp`, `tsa`.
    pub name: String,
    pub profile: Profile,
    /// The authority that issued its certificate; `None` for the root.
    pub parent: Option<String>,
    /// Where the private key is, as `pki::KeyRef` writes it (a sealed key or
    /// a PKCS #11 URI; never a key in the clear).
    pub key_ref: String,
    /// The digest it signs with (`sha256`, `sha384`).
    pub digest: String,
    /// Its certificate, DER.
    pub certificate: Vec<u8>,
    /// The number of the last CRL it signed.
    pub crl_number: i64,
    pub crl: Option<Vec<u8>>,
    pub crl_next_update: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
}

/// Whether `name` can name an authority in a URL (`/pki/crl/<name>.crl`).
pub fn is_authority_name(name: &str) -> bool {
    (1..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
}

/// A certificate's status at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateStatus {
    NotYetValid,
    Valid,
    Expired,
    Revoked,
}

named!(CertificateStatus {
    NotYetValid => "not_yet_valid", "Chưa có hiệu lực";
    Valid => "valid", "Còn hiệu lực";
    Expired => "expired", "Hết hạn";
    Revoked => "revoked", "Đã thu hồi";
});

impl CertificateRecord {
    pub fn status_at(&self, at: OffsetDateTime) -> CertificateStatus {
        match self.revocation {
            Some(r) if r.at <= at => CertificateStatus::Revoked,
            _ if at < self.not_before => CertificateStatus::NotYetValid,
            _ if at >= self.not_after => CertificateStatus::Expired,
            _ => CertificateStatus::Valid,
        }
    }
}

/// The report's certificate figures (seed I.4): what happened in a period
/// and what stood at its end.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateFigures {
    /// Holder certificates issued in the period (new and renewed).
    pub issued: u64,
    /// Of those, renewals or replacements of an earlier certificate.
    pub renewed: u64,
    pub revoked: u64,
    /// Holder certificates valid at the period's end.
    pub valid: u64,
    pub valid_organizations: u64,
    pub valid_persons: u64,
    pub valid_usb: u64,
    pub valid_sim: u64,
    /// On an HSM or in software.
    pub valid_other: u64,
    /// Valid at the end and expiring within 30 days of it.
    pub expiring_soon: u64,
}

/// What a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    New,
    Renewal,
    Change,
    Revocation,
}

named!(RequestKind {
    New => "new", "Cấp mới";
    Renewal => "renewal", "Gia hạn";
    Change => "change", "Thay đổi thông tin";
    Revocation => "revocation", "Thu hồi";
});

impl RequestKind {
    /// Renewal, change and revocation are about an existing certificate.
    pub fn needs_certificate(self) -> bool {
        !matches!(self, Self::New)
    }

    /// Whether completing it issues a certificate.
    pub fn issues(self) -> bool {
        !matches!(self, Self::Revocation)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestState {
    Submitted,
    Approved,
    Rejected,
    Cancelled,
    Done,
}

named!(RequestState {
    Submitted => "submitted", "Chờ thủ trưởng duyệt";
    Approved => "approved", "Đã duyệt, chờ cấp";
    Rejected => "rejected", "Bị từ chối";
    Cancelled => "cancelled", "Đã hủy";
    Done => "done", "Đã thực hiện";
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestAction {
    Approve,
    Reject,
    Cancel,
    Complete,
}

named!(RequestAction {
    Approve => "approve", "Duyệt";
    Reject => "reject", "Từ chối";
    Cancel => "cancel", "Hủy yêu cầu";
    Complete => "complete", "Thực hiện (cấp hoặc thu hồi)";
});

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestRuleError {
    #[error("Yêu cầu đang ở trạng thái «{state}», không thể «{action}»")]
    WrongState {
        state: &'static str,
        action: &'static str,
    },
    #[error("Không được tự duyệt yêu cầu của chính mình")]
    OwnRequest,
    #[error("Chỉ người lập yêu cầu mới hủy được yêu cầu")]
    NotTheRequester,
}

impl RequestAction {
    /// The state after this action on a request in `state`.
    pub fn after(self, state: RequestState) -> Result<RequestState, RequestRuleError> {
        use RequestState::{Approved, Cancelled, Done, Rejected, Submitted};
        match (self, state) {
            (Self::Approve, Submitted) => Ok(Approved),
            (Self::Reject, Submitted | Approved) => Ok(Rejected),
            (Self::Cancel, Submitted) => Ok(Cancelled),
            (Self::Complete, Approved) => Ok(Done),
            _ => Err(RequestRuleError::WrongState {
                state: state.label(),
                action: self.label(),
            }),
        }
    }

    /// What the actor must be allowed to do, and whether on the holder's
    /// agency (`true`) or on the CA's (`false`), to take this action on a
    /// request in `state`.
    pub fn permission(self, state: RequestState) -> (Permission, bool) {
        match (self, state) {
            (Self::Approve | Self::Reject, RequestState::Submitted) => {
                (Permission::ApproveCertificateRequests, true)
            }
            (Self::Cancel, _) => (Permission::RequestCertificates, true),
            _ => (Permission::OperateCa, false),
        }
    }

    /// Four eyes: nobody approves their own request; only its author
    /// cancels it. `by_requester` is whether the actor made the request.
    pub fn check_requester(self, by_requester: bool) -> Result<(), RequestRuleError> {
        match (self, by_requester) {
            (Self::Approve, true) => Err(RequestRuleError::OwnRequest),
            (Self::Cancel, false) => Err(RequestRuleError::NotTheRequester),
            _ => Ok(()),
        }
    }
}

/// A certificate request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateRequest {
    pub id: RequestId,
    pub kind: RequestKind,
    pub state: RequestState,
    pub holder: Holder,
    /// The agency whose head approves: the person's agency, or the agency.
    pub agency_id: AgencyId,
    pub profile: Profile,
    pub token: TokenKind,
    /// For renewal, change and revocation.
    pub certificate: Option<SerialHex>,
    pub reason: Option<RevocationReason>,
    /// The PKCS #10 request made on the token; `None` asks the operator to
    /// generate the key on the CA's PKCS #11 token (token kind HSM).
    #[serde(skip)]
    pub csr: Option<Vec<u8>>,
    pub note: String,
    pub requested_by: PersonId,
    pub requested_at: OffsetDateTime,
    /// The certificate issued when it was done.
    pub issued: Option<SerialHex>,
}

/// One step in a request's life, kept forever.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestStep {
    pub action: RequestAction,
    pub by: Option<PersonId>,
    pub at: OffsetDateTime,
    pub note: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn requests_move_only_along_the_workflow() {
        use RequestAction::{Approve, Cancel, Complete, Reject};
        use RequestState::{Approved, Cancelled, Done, Rejected, Submitted};
        let cases = [
            (Approve, Submitted, Some(Approved)),
            (Reject, Submitted, Some(Rejected)),
            (Reject, Approved, Some(Rejected)),
            (Cancel, Submitted, Some(Cancelled)),
            (Complete, Approved, Some(Done)),
            (Complete, Submitted, None),
            (Approve, Approved, None),
            (Cancel, Approved, None),
            (Approve, Done, None),
            (Reject, Done, None),
            (Complete, Rejected, None),
        ];
        for (action, state, expected) in cases {
            assert_eq!(
                action.after(state).ok(),
                expected,
                "{action:?} on {state:?}"
            );
        }
    }

    #[test]
    fn nobody_approves_their_own_request_and_only_the_requester_cancels() {
        assert_eq!(
            RequestAction::Approve.check_requester(true),
            Err(RequestRuleError::OwnRequest)
        );
        assert!(RequestAction::Approve.check_requester(false).is_ok());
        assert_eq!(
            RequestAction::Cancel.check_requester(false),
            Err(RequestRuleError::NotTheRequester)
        );
        assert!(RequestAction::Complete.check_requester(true).is_ok());
        assert_eq!(
            RequestAction::Reject.permission(RequestState::Approved),
            (Permission::OperateCa, false)
        );
    }

    #[test]
    fn status_follows_validity_and_revocation() {
        let record = CertificateRecord {
            serial: "0A".into(),
            authority: "issuing".into(),
            profile: Profile::Personal,
            holder: Holder::Person(1),
            token: TokenKind::Usb,
            subject: "Nguyễn Thị Ánh".into(),
            not_before: datetime!(2021-04-01 0:00 UTC),
            not_after: datetime!(2024-04-01 0:00 UTC),
            issued_at: datetime!(2021-04-01 0:00 UTC),
            replaces: None,
            revocation: Some(Revocation {
                at: datetime!(2022-01-01 0:00 UTC),
                reason: RevocationReason::KeyCompromise,
            }),
            key_ref: None,
            der: Vec::new(),
        };
        let cases = [
            (
                datetime!(2021-03-31 23:59 UTC),
                CertificateStatus::NotYetValid,
            ),
            (datetime!(2021-12-31 0:00 UTC), CertificateStatus::Valid),
            (datetime!(2022-01-01 0:00 UTC), CertificateStatus::Revoked),
        ];
        for (at, status) in cases {
            assert_eq!(record.status_at(at), status, "{at}");
        }
        let unrevoked = CertificateRecord {
            revocation: None,
            ..record
        };
        assert_eq!(
            unrevoked.status_at(datetime!(2024-04-01 0:00 UTC)),
            CertificateStatus::Expired
        );
    }

    #[test]
    fn reasons_read_loosely_as_people_type_them() {
        assert_eq!(
            RevocationReason::parse_loose("key-compromise"),
            Some(RevocationReason::KeyCompromise)
        );
        assert_eq!(
            RevocationReason::parse_loose("CACOMPROMISE"),
            Some(RevocationReason::CaCompromise)
        );
        assert_eq!(RevocationReason::parse_loose("removeFromCRL"), None);
        assert_eq!(
            "keyCompromise".parse::<RevocationReason>().ok(),
            Some(RevocationReason::KeyCompromise)
        );
    }
}
