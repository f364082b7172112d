//! Certificate revocation lists: version 2, numbered, with the authority
//! key identifier and each entry's reason (RFC 5280 §5.3.1).

use der::Encode;
use der::asn1::{BitString, Uint};
use domain::pki::RevocationReason;
use time::OffsetDateTime;
use x509_cert::certificate::Version;
use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
use x509_cert::ext::pkix::CrlNumber;
use x509_cert::ext::pkix::crl::CrlReason;

use crate::Error;
use crate::cert::{Authority, Serial, authority_key_id, extension, x509_time};

/// The CRL entry's reason code for `reason`.
pub fn reason_code(reason: RevocationReason) -> CrlReason {
    match reason {
        RevocationReason::Unspecified => CrlReason::Unspecified,
        RevocationReason::KeyCompromise => CrlReason::KeyCompromise,
        RevocationReason::CaCompromise => CrlReason::CaCompromise,
        RevocationReason::AffiliationChanged => CrlReason::AffiliationChanged,
        RevocationReason::Superseded => CrlReason::Superseded,
        RevocationReason::CessationOfOperation => CrlReason::CessationOfOperation,
        RevocationReason::CertificateHold => CrlReason::CertificateHold,
        RevocationReason::PrivilegeWithdrawn => CrlReason::PrivilegeWithdrawn,
        RevocationReason::AaCompromise => CrlReason::AaCompromise,
    }
}

/// One revoked certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revoked {
    pub serial: Serial,
    pub at: OffsetDateTime,
    pub reason: RevocationReason,
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
            let extensions = (entry.reason != RevocationReason::Unspecified)
                .then(|| extension(&reason_code(entry.reason), false).map(|e| vec![e]))
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
