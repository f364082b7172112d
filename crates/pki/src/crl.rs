//! Revocation reasons (RFC 5280 §5.3.1) and certificate revocation lists:
//! version 2, numbered, with the authority key identifier and each entry's
//! reason.

use std::fmt;
use std::str::FromStr;

use der::Encode;
use der::asn1::{BitString, Uint};
use time::OffsetDateTime;
use x509_cert::certificate::Version;
use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
use x509_cert::ext::pkix::CrlNumber;
use x509_cert::ext::pkix::crl::CrlReason;

use crate::Error;
use crate::cert::{Authority, Serial, authority_key_id, extension, x509_time};

/// Why a certificate was revoked. `removeFromCRL` is left out: it only
/// exists for delta CRLs, which this CA does not publish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    Unspecified,
    KeyCompromise,
    CaCompromise,
    AffiliationChanged,
    Superseded,
    CessationOfOperation,
    CertificateHold,
    PrivilegeWithdrawn,
    AaCompromise,
}

impl Reason {
    pub const ALL: [Self; 9] = [
        Self::Unspecified,
        Self::KeyCompromise,
        Self::CaCompromise,
        Self::AffiliationChanged,
        Self::Superseded,
        Self::CessationOfOperation,
        Self::CertificateHold,
        Self::PrivilegeWithdrawn,
        Self::AaCompromise,
    ];

    /// RFC 5280's name, as OpenSSL's `-crl_reason` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Unspecified => "unspecified",
            Self::KeyCompromise => "keyCompromise",
            Self::CaCompromise => "CACompromise",
            Self::AffiliationChanged => "affiliationChanged",
            Self::Superseded => "superseded",
            Self::CessationOfOperation => "cessationOfOperation",
            Self::CertificateHold => "certificateHold",
            Self::PrivilegeWithdrawn => "privilegeWithdrawn",
            Self::AaCompromise => "AACompromise",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Unspecified => "Không nêu lý do",
            Self::KeyCompromise => "Lộ khóa bí mật",
            Self::CaCompromise => "Lộ khóa của CA",
            Self::AffiliationChanged => "Thay đổi cơ quan, chức vụ",
            Self::Superseded => "Đã được thay thế",
            Self::CessationOfOperation => "Thôi sử dụng",
            Self::CertificateHold => "Tạm dừng",
            Self::PrivilegeWithdrawn => "Bị thu hồi quyền",
            Self::AaCompromise => "Lộ khóa của đơn vị cấp thuộc tính",
        }
    }

    pub fn code(self) -> CrlReason {
        match self {
            Self::Unspecified => CrlReason::Unspecified,
            Self::KeyCompromise => CrlReason::KeyCompromise,
            Self::CaCompromise => CrlReason::CaCompromise,
            Self::AffiliationChanged => CrlReason::AffiliationChanged,
            Self::Superseded => CrlReason::Superseded,
            Self::CessationOfOperation => CrlReason::CessationOfOperation,
            Self::CertificateHold => CrlReason::CertificateHold,
            Self::PrivilegeWithdrawn => CrlReason::PrivilegeWithdrawn,
            Self::AaCompromise => CrlReason::AaCompromise,
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Reason {
    type Err = Error;

    /// RFC 5280's names in any case, with or without dashes or underscores.
    fn from_str(s: &str) -> Result<Self, Error> {
        let key = |t: &str| t.replace(['-', '_', ' '], "").to_ascii_lowercase();
        let wanted = key(s);
        Self::ALL
            .into_iter()
            .find(|r| key(r.name()) == wanted)
            .ok_or_else(|| {
                Error::Unsupported(format!(
                    "lý do thu hồi «{s}» không có; chọn: {}",
                    Self::ALL.map(Self::name).join(", ")
                ))
            })
    }
}

/// One revoked certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revoked {
    pub serial: Serial,
    pub at: OffsetDateTime,
    pub reason: Reason,
}

/// The CRL numbered `number` of `authority`, listing `revoked`.
pub fn build(
    authority: &Authority,
    number: u64,
    this_update: OffsetDateTime,
    next_update: OffsetDateTime,
    revoked: &[Revoked],
) -> Result<CertificateList, Error> {
    let signature = authority
        .key
        .spec()
        .signature(authority.digest)?
        .identifier();
    let entries = revoked
        .iter()
        .map(|entry| {
            // RFC 5280 §5.3.1: leave the reason out rather than say unspecified.
            let extensions = (entry.reason != Reason::Unspecified)
                .then(|| extension(&entry.reason.code(), false).map(|e| vec![e]))
                .transpose()?;
            Ok(RevokedCert {
                serial_number: entry.serial.to_x509()?,
                revocation_date: x509_time(entry.at)?,
                crl_entry_extensions: extensions,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let issuer = &authority.certificate.tbs_certificate;
    let tbs = TbsCertList {
        version: Version::V2,
        signature: signature.clone(),
        issuer: issuer.subject.clone(),
        this_update: x509_time(this_update)?,
        next_update: Some(x509_time(next_update)?),
        revoked_certificates: (!entries.is_empty()).then_some(entries),
        crl_extensions: Some(vec![
            extension(&authority_key_id(&issuer.subject_public_key_info)?, false)?,
            extension(&CrlNumber(Uint::new(&number.to_be_bytes())?), false)?,
        ]),
    };
    let bytes = authority.key.sign(authority.digest, &tbs.to_der()?)?;
    Ok(CertificateList {
        tbs_cert_list: tbs,
        signature_algorithm: signature,
        signature: BitString::from_bytes(&bytes)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_read_as_openssl_writes_them() {
        for reason in Reason::ALL {
            assert_eq!(reason.name().parse::<Reason>().ok(), Some(reason));
        }
        assert_eq!(
            "key-compromise".parse::<Reason>().ok(),
            Some(Reason::KeyCompromise)
        );
        assert!("removeFromCRL".parse::<Reason>().is_err());
    }
}
