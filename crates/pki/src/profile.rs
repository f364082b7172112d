//! Certificate profiles: what each kind of certificate may be used for
//! (key usage, extended key usage, CA or not) and how long it lasts.

use std::fmt;
use std::str::FromStr;

use const_oid::db::rfc5280::{ID_KP_CLIENT_AUTH, ID_KP_EMAIL_PROTECTION};
use const_oid::db::rfc5912::{ID_KP_OCSP_SIGNING, ID_KP_SERVER_AUTH, ID_KP_TIME_STAMPING};
use der::asn1::ObjectIdentifier;
use x509_cert::ext::pkix::KeyUsages;

use crate::Error;

/// id-kp-documentSigning (RFC 9336), for signing PDFs and documents.
pub const ID_KP_DOCUMENT_SIGNING: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.36");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Profile {
    /// The self-signed root.
    Root,
    /// A CA under the root that issues end-entity certificates.
    IssuingCa,
    /// Chứng thư cá nhân — a person's signing certificate.
    Personal,
    /// Chứng thư tổ chức — an agency's signing certificate, held by its clerk.
    Organization,
    /// The delegated OCSP responder's certificate.
    OcspSigning,
    /// egov's own HTTPS server.
    TlsServer,
    /// The time-stamping authority.
    Timestamping,
}

impl Profile {
    pub const ALL: [Self; 7] = [
        Self::Root,
        Self::IssuingCa,
        Self::Personal,
        Self::Organization,
        Self::OcspSigning,
        Self::TlsServer,
        Self::Timestamping,
    ];

    /// The name in the database and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::Root => "root",
            Self::IssuingCa => "issuing-ca",
            Self::Personal => "personal",
            Self::Organization => "organization",
            Self::OcspSigning => "ocsp",
            Self::TlsServer => "tls-server",
            Self::Timestamping => "timestamping",
        }
    }

    /// The name people read.
    pub fn label(self) -> &'static str {
        match self {
            Self::Root => "CA gốc",
            Self::IssuingCa => "CA cấp dưới",
            Self::Personal => "Cá nhân",
            Self::Organization => "Tổ chức",
            Self::OcspSigning => "Ký trả lời OCSP",
            Self::TlsServer => "Máy chủ TLS",
            Self::Timestamping => "Cấp dấu thời gian",
        }
    }

    pub fn is_ca(self) -> bool {
        matches!(self, Self::Root | Self::IssuingCa)
    }

    /// Whether a holder (a person or an agency) may ask for it; the others
    /// are the CA's own.
    pub fn is_for_holders(self) -> bool {
        matches!(self, Self::Personal | Self::Organization)
    }

    /// Days of validity when nothing else is said.
    pub fn default_days(self) -> u32 {
        match self {
            Self::Root => 20 * 365,
            Self::IssuingCa => 10 * 365,
            Self::Personal | Self::Organization => 3 * 365,
            Self::OcspSigning => 365,
            // Browsers refuse TLS certificates longer than 398 days.
            Self::TlsServer => 397,
            Self::Timestamping => 5 * 365,
        }
    }

    /// Key usage bits; `rsa` adds key encipherment to a TLS server's.
    pub fn key_usage(self, rsa: bool) -> flagset::FlagSet<KeyUsages> {
        match self {
            Self::Root | Self::IssuingCa => KeyUsages::KeyCertSign | KeyUsages::CRLSign,
            Self::Personal | Self::Organization => {
                KeyUsages::DigitalSignature | KeyUsages::NonRepudiation
            }
            Self::TlsServer if rsa => KeyUsages::DigitalSignature | KeyUsages::KeyEncipherment,
            Self::OcspSigning | Self::TlsServer => KeyUsages::DigitalSignature.into(),
            Self::Timestamping => KeyUsages::DigitalSignature | KeyUsages::NonRepudiation,
        }
    }

    /// Extended key usages; RFC 3161 §2.3 wants timestamping alone and
    /// critical.
    pub fn extended_key_usage(self) -> &'static [ObjectIdentifier] {
        match self {
            Self::Root | Self::IssuingCa => &[],
            Self::Personal | Self::Organization => &[
                ID_KP_DOCUMENT_SIGNING,
                ID_KP_EMAIL_PROTECTION,
                ID_KP_CLIENT_AUTH,
            ],
            Self::OcspSigning => &[ID_KP_OCSP_SIGNING],
            Self::TlsServer => &[ID_KP_SERVER_AUTH],
            Self::Timestamping => &[ID_KP_TIME_STAMPING],
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Profile {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(s) || (s == "organisation" && *p == Self::Organization))
            .ok_or_else(|| {
                Error::Unsupported(format!(
                    "mẫu chứng thư «{s}» không có; chọn personal, organization, ocsp, tls-server hoặc timestamping"
                ))
            })
    }
}
