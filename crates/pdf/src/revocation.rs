//! Revocation of the certificates on a path (ETSI EN 319 102-1 §5.2.6,
//! simplified): for each certificate below the trust anchor, an OCSP
//! response (RFC 6960) signed by its issuer or by a responder the issuer
//! delegated to (extended key usage OCSPSigning), or a CRL (RFC 5280)
//! signed by its issuer. The evidence comes from the DSS, from the CMS
//! (its RevocationInfoChoices and Adobe's adbe-revocationInfoArchival
//! signed attribute, as Acrobat embeds it) or from the caller's fetcher;
//! this crate fetches nothing.
//!
//! The verdict: revoked before the proof-of-existence time, or with a
//! reason that says the key itself was compromised (then no earlier time
//! can be trusted), makes the signature invalid; no evidence at all leaves
//! it indeterminate. A delegated responder's own certificate carries
//! id-pkix-ocsp-nocheck and is not checked further; freshness of the
//! evidence (thisUpdate against the time) is not judged.

use const_oid::db::rfc5912::ID_KP_OCSP_SIGNING;
use der::asn1::{Any, ObjectIdentifier};
use der::{Decode, Encode, Sequence};
use pki::cert::offset_time;
use pki::ocsp::IssuerHashes;
use pki::verify::verify_signature;
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::crl::CertificateList;
use x509_cert::ext::pkix::crl::CrlReason;
use x509_cert::time::Time;
use x509_ocsp::{BasicOcspResponse, CertStatus, OcspResponse, OcspResponseStatus};

use crate::chain::{Path, allows, display_name, signed_by};
use crate::cms::Signed;
use crate::evidence::{Evidence, urls};
use crate::verify::Problem;

/// id-pkix-ocsp-basic (RFC 6960 §4.2.1).
const ID_PKIX_OCSP_BASIC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.1");
/// id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1).
const ID_PKIX_OCSP_NOCHECK: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.5");
/// Adobe's adbe-revocationInfoArchival signed attribute.
const ID_ADBE_REVOCATION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113583.1.1.8");

/// RevocationInfoArchival (Adobe, PDF Reference 1.7 §8.7).
#[derive(Sequence)]
struct RevocationInfoArchival {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    crl: Option<Vec<Any>>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    ocsp: Option<Vec<Any>>,
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", optional = "true")]
    other: Option<Any>,
}

/// Revocation evidence at hand, parsed; what does not parse is left out
/// (it proves nothing either way).
#[derive(Debug, Clone, Default)]
pub(crate) struct Sources {
    ocsp: Vec<BasicOcspResponse>,
    crls: Vec<CertificateList>,
}

impl Sources {
    /// A DER `OCSPResponse`.
    pub fn add_ocsp(&mut self, der: &[u8]) {
        if let Some(basic) = basic_response(der) {
            self.ocsp.push(basic);
        }
    }

    /// A DER CRL.
    pub fn add_crl(&mut self, der: &[u8]) {
        if let Ok(crl) = CertificateList::from_der(der) {
            self.crls.push(crl);
        }
    }

    /// What a signature's CMS carries.
    pub fn add_cms(&mut self, signed: &Signed) {
        for choice in signed.data.crls.iter().flat_map(|set| set.0.iter()) {
            if let ::cms::revocation::RevocationInfoChoice::Crl(crl) = choice {
                self.crls.push(crl.clone());
            }
        }
        let archived = signed
            .info
            .signed_attrs
            .iter()
            .flat_map(|set| set.iter())
            .filter(|a| a.oid == ID_ADBE_REVOCATION)
            .flat_map(|a| a.values.iter())
            .filter_map(|v| v.decode_as::<RevocationInfoArchival>().ok());
        for archive in archived {
            for crl in archive.crl.iter().flatten() {
                if let Ok(der) = crl.to_der() {
                    self.add_crl(&der);
                }
            }
            for response in archive.ocsp.iter().flatten() {
                if let Ok(der) = response.to_der() {
                    self.add_ocsp(&der);
                }
            }
        }
    }

    /// What the evidence that `issuer` vouches for says of `certificate`.
    fn statuses<'a>(
        &'a self,
        certificate: &'a Certificate,
        issuer: &'a Certificate,
        hashes: &'a IssuerHashes,
    ) -> impl Iterator<Item = Status> + 'a {
        let from_ocsp = self
            .ocsp
            .iter()
            .filter(|response| responder_ok(response, issuer))
            .flat_map(|response| &response.tbs_response_data.responses)
            .filter(|single| {
                hashes.names(&single.cert_id)
                    && single.cert_id.serial_number == certificate.tbs_certificate.serial_number
            })
            .map(|single| match &single.cert_status {
                CertStatus::Good(_) => Status::Good,
                CertStatus::Revoked(info) => Status::Revoked {
                    at: offset_time(&Time::GeneralTime(info.revocation_time.0)),
                    reason: info.revocation_reason,
                },
                CertStatus::Unknown(_) => Status::Unknown,
            });
        let from_crls = self
            .crls
            .iter()
            .filter(|crl| crl_ok(crl, issuer))
            .map(|crl| crl_status(crl, certificate));
        from_ocsp.chain(from_crls)
    }
}

/// The status of `certificate` by all of `sources`: a revocation found
/// anywhere wins over a good status elsewhere, which wins over a
/// responder's "unknown".
fn status(sources: &[&Sources], certificate: &Certificate, issuer: &Certificate) -> Option<Status> {
    let hashes = IssuerHashes::of(issuer).ok()?;
    sources
        .iter()
        .flat_map(|s| s.statuses(certificate, issuer, &hashes))
        .max_by_key(Status::rank)
}

/// What the evidence says of one certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Good,
    Unknown,
    Revoked {
        at: OffsetDateTime,
        reason: Option<CrlReason>,
    },
}

impl Status {
    /// Which status is believed when sources differ: the highest.
    fn rank(&self) -> u8 {
        match self {
            Self::Unknown => 0,
            Self::Good => 1,
            Self::Revoked { .. } => 2,
        }
    }
}

/// The basic response inside a successful `OCSPResponse`.
fn basic_response(der: &[u8]) -> Option<BasicOcspResponse> {
    let response = OcspResponse::from_der(der).ok()?;
    let bytes = response.response_bytes?;
    (response.response_status == OcspResponseStatus::Successful
        && bytes.response_type == ID_PKIX_OCSP_BASIC)
        .then(|| BasicOcspResponse::from_der(bytes.response.as_bytes()).ok())?
}

/// Whether `response` is signed by `issuer` or by a responder it
/// delegated to.
fn responder_ok(response: &BasicOcspResponse, issuer: &Certificate) -> bool {
    let Ok(tbs) = response.tbs_response_data.to_der() else {
        return false;
    };
    let signed_with = |certificate: &Certificate| {
        verify_signature(
            &certificate.tbs_certificate.subject_public_key_info,
            &response.signature_algorithm,
            &tbs,
            response.signature.raw_bytes(),
        )
        .is_ok()
    };
    signed_with(issuer)
        || response.certs.iter().flatten().any(|responder| {
            allows(responder, ID_KP_OCSP_SIGNING)
                && signed_by(responder, issuer)
                && signed_with(responder)
        })
}

fn crl_ok(crl: &CertificateList, issuer: &Certificate) -> bool {
    crl.tbs_cert_list.issuer == issuer.tbs_certificate.subject
        && crl.tbs_cert_list.to_der().is_ok_and(|tbs| {
            verify_signature(
                &issuer.tbs_certificate.subject_public_key_info,
                &crl.signature_algorithm,
                &tbs,
                crl.signature.raw_bytes(),
            )
            .is_ok()
        })
}

fn crl_status(crl: &CertificateList, certificate: &Certificate) -> Status {
    let entry = crl
        .tbs_cert_list
        .revoked_certificates
        .iter()
        .flatten()
        .find(|entry| entry.serial_number == certificate.tbs_certificate.serial_number);
    match entry {
        None => Status::Good,
        Some(entry) => Status::Revoked {
            at: offset_time(&entry.revocation_date),
            reason: entry
                .crl_entry_extensions
                .iter()
                .flatten()
                .find(|e| e.extn_id == const_oid::db::rfc5280::ID_CE_CRL_REASONS)
                .and_then(|e| CrlReason::from_der(e.extn_value.as_bytes()).ok()),
        },
    }
}

/// Checks every certificate of `path` below its anchor with `sources`,
/// then `fetcher`, judged at the proof-of-existence time `poe`.
pub(crate) fn check(
    path: &Path,
    sources: &[&Sources],
    fetcher: Option<&dyn Evidence>,
    poe: Option<OffsetDateTime>,
    problems: &mut Vec<Problem>,
) {
    let certificates = &path.certificates;
    // The anchor, last of an anchored path, is trusted as it is.
    let below = certificates.len() - usize::from(path.anchored);
    for (certificate, issuer) in certificates[..below].iter().zip(&certificates[1..]) {
        if no_check(certificate) {
            continue;
        }
        let status =
            status(sources, certificate, issuer).or_else(|| fetch(fetcher?, certificate, issuer));
        let name = display_name(certificate);
        match status {
            Some(Status::Good) => {}
            Some(Status::Unknown) => problems.push(Problem::RevocationUnknown(name)),
            Some(Status::Revoked { at, reason }) => {
                if always_invalidates(reason) || poe.is_none_or(|poe| at <= poe) {
                    problems.push(Problem::Revoked {
                        name,
                        at,
                        reason: reason_text(reason),
                    });
                }
            }
            None => problems.push(Problem::NoRevocationInfo(name)),
        }
    }
}

/// Asks the caller's fetcher: OCSP first, then the CRL.
fn fetch(
    fetcher: &dyn Evidence,
    certificate: &Certificate,
    issuer: &Certificate,
) -> Option<Status> {
    let (ocsp_urls, crl_urls) = urls(certificate);
    let mut asked = Sources::default();
    if let Some(der) = fetcher.ocsp(certificate, issuer, &ocsp_urls) {
        asked.add_ocsp(&der);
    }
    status(&[&asked], certificate, issuer).or_else(|| {
        asked.add_crl(&fetcher.crl(certificate, issuer, &crl_urls)?);
        status(&[&asked], certificate, issuer)
    })
}

pub(crate) fn no_check(certificate: &Certificate) -> bool {
    certificate
        .tbs_certificate
        .extensions
        .iter()
        .flatten()
        .any(|e| e.extn_id == ID_PKIX_OCSP_NOCHECK)
}

/// A compromised key could have signed at any earlier time.
fn always_invalidates(reason: Option<CrlReason>) -> bool {
    matches!(
        reason,
        Some(CrlReason::KeyCompromise | CrlReason::CaCompromise | CrlReason::AaCompromise)
    )
}

fn reason_text(reason: Option<CrlReason>) -> String {
    match reason {
        None | Some(CrlReason::Unspecified) => "không nêu",
        Some(CrlReason::KeyCompromise) => "lộ khóa",
        Some(CrlReason::CaCompromise) => "CA bị lộ khóa",
        Some(CrlReason::AffiliationChanged) => "thay đổi đơn vị",
        Some(CrlReason::Superseded) => "đã được thay thế",
        Some(CrlReason::CessationOfOperation) => "ngừng hoạt động",
        Some(CrlReason::CertificateHold) => "tạm dừng",
        Some(CrlReason::RemoveFromCRL) => "gỡ khỏi CRL",
        Some(CrlReason::PrivilegeWithdrawn) => "rút quyền",
        Some(CrlReason::AaCompromise) => "AA bị lộ khóa",
    }
    .to_owned()
}
