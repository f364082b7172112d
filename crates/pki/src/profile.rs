//! What each certificate profile (`domain::pki::Profile`) means
//! in X.509: key usage and extended key usage.

use const_oid::db::rfc5280::{ID_KP_CLIENT_AUTH, ID_KP_EMAIL_PROTECTION};
use const_oid::db::rfc5912::{ID_KP_OCSP_SIGNING, ID_KP_SERVER_AUTH, ID_KP_TIME_STAMPING};
use der::asn1::ObjectIdentifier;
pub use domain::pki::Profile;
use x509_cert::ext::pkix::KeyUsages;

/// id-kp-documentSigning (RFC 9336), for signing PDFs and documents.
pub const ID_KP_DOCUMENT_SIGNING: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.36");

/// Key usage bits; `rsa` adds key encipherment to a TLS server's.
pub fn key_usage(profile: Profile, rsa: bool) -> flagset::FlagSet<KeyUsages> {
    match profile {
        Profile::Root | Profile::IssuingCa => KeyUsages::KeyCertSign | KeyUsages::CRLSign,
        Profile::Personal | Profile::Organization | Profile::Timestamping => {
            KeyUsages::DigitalSignature | KeyUsages::NonRepudiation
        }
        Profile::TlsServer if rsa => KeyUsages::DigitalSignature | KeyUsages::KeyEncipherment,
        Profile::Ocsp | Profile::TlsServer => KeyUsages::DigitalSignature.into(),
    }
}

/// Extended key usages; RFC 3161 §2.3 wants timestamping alone and
/// critical.
pub fn extended_key_usage(profile: Profile) -> &'static [ObjectIdentifier] {
    match profile {
        Profile::Root | Profile::IssuingCa => &[],
        Profile::Personal | Profile::Organization => &[
            ID_KP_DOCUMENT_SIGNING,
            ID_KP_EMAIL_PROTECTION,
            ID_KP_CLIENT_AUTH,
        ],
        Profile::Ocsp => &[ID_KP_OCSP_SIGNING],
        Profile::TlsServer => &[ID_KP_SERVER_AUTH],
        Profile::Timestamping => &[ID_KP_TIME_STAMPING],
    }
}
