//! The signer's certificate path to a trust anchor (a simplified RFC 5280
//! §6 walk): each certificate's signature by its issuer, each valid at the
//! signing moment, each issuer a CA (basic constraints, path length, key
//! usage keyCertSign), the signer's key usage allowing signatures. The
//! issuers come from the anchors, the certificates the CMS carries and the
//! DSS; the path found is what revocation is checked on
//! ([`crate::revocation`]).

use const_oid::db::rfc4519::CN;
use der::Encode;
use der::asn1::ObjectIdentifier;
use pki::cert::offset_time;
use pki::verify::verify_signature;
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages};

use crate::verify::Problem;

/// Longer paths than any real hierarchy (root, policy CA, issuing CA).
const MAX_PATH: u32 = 8;

/// The name to show for `certificate`: its CN, else the whole subject.
pub(crate) fn display_name(certificate: &Certificate) -> String {
    let subject = &certificate.tbs_certificate.subject;
    pki::name::attribute(subject, CN).unwrap_or_else(|| subject.to_string())
}

/// The certificates walked from the signer up: the signer first, the
/// anchor last if one was reached.
#[derive(Debug, Clone)]
pub(crate) struct Path {
    pub certificates: Vec<Certificate>,
    pub anchored: bool,
}

/// Checks the path from `signer` up to one of `anchors`, with `pool` for
/// the CAs between, at `at` (validity is not checked without a moment).
pub(crate) fn check(
    signer: &Certificate,
    pool: &[Certificate],
    anchors: &[Certificate],
    at: Option<OffsetDateTime>,
    problems: &mut Vec<Problem>,
) -> Path {
    if let Ok(Some((_, usage))) = signer.tbs_certificate.get::<KeyUsage>()
        && !usage.0.contains(KeyUsages::DigitalSignature)
        && !usage.0.contains(KeyUsages::NonRepudiation)
    {
        problems.push(Problem::KeyUsage(display_name(signer)));
    }
    let mut path = Path {
        certificates: vec![signer.clone()],
        anchored: false,
    };
    let mut current = signer;
    // Each step up meets one more CA below the issuer being checked, for
    // its path length.
    for below in 0..MAX_PATH {
        valid_at(current, at, problems);
        if anchors.contains(current) {
            path.anchored = true;
            return path;
        }
        let mut named = false;
        let issuer = anchors.iter().chain(pool).find(|candidate| {
            let by_name = candidate.tbs_certificate.subject == current.tbs_certificate.issuer;
            named |= by_name;
            by_name && signed_by(current, candidate)
        });
        let Some(issuer) = issuer else {
            problems.push(Problem::Untrusted(if named {
                format!(
                    "chữ ký của CA trên chứng thư «{}» không đúng",
                    display_name(current)
                )
            } else {
                format!(
                    "không tìm thấy CA đã cấp chứng thư «{}» trong các CA tin cậy",
                    display_name(current)
                )
            }));
            return path;
        };
        if issuer == current {
            problems.push(Problem::Untrusted(format!(
                "chứng thư gốc «{}» không nằm trong các CA tin cậy",
                display_name(current)
            )));
            return path;
        }
        is_ca(issuer, below, problems);
        path.certificates.push(issuer.clone());
        if anchors.contains(issuer) {
            valid_at(issuer, at, problems);
            path.anchored = true;
            return path;
        }
        current = issuer;
    }
    problems.push(Problem::Untrusted("đường dẫn chứng thư quá dài".into()));
    path
}

pub(crate) fn signed_by(child: &Certificate, issuer: &Certificate) -> bool {
    let Ok(tbs) = child.tbs_certificate.to_der() else {
        return false;
    };
    verify_signature(
        &issuer.tbs_certificate.subject_public_key_info,
        &child.signature_algorithm,
        &tbs,
        child.signature.raw_bytes(),
    )
    .is_ok()
}

fn valid_at(certificate: &Certificate, at: Option<OffsetDateTime>, problems: &mut Vec<Problem>) {
    let Some(at) = at else { return };
    let validity = &certificate.tbs_certificate.validity;
    if at < offset_time(&validity.not_before) || at > offset_time(&validity.not_after) {
        problems.push(Problem::NotValidAt(display_name(certificate)));
    }
}

/// Whether `issuer` may issue a certificate with `below` CAs under it.
fn is_ca(issuer: &Certificate, below: u32, problems: &mut Vec<Problem>) {
    let tbs = &issuer.tbs_certificate;
    let ca = match tbs.get::<BasicConstraints>() {
        Ok(Some((_, constraints))) => {
            constraints.ca
                && constraints
                    .path_len_constraint
                    .is_none_or(|max| below <= u32::from(max))
        }
        _ => false,
    };
    let signs_certificates = match tbs.get::<KeyUsage>() {
        Ok(Some((_, usage))) => usage.0.contains(KeyUsages::KeyCertSign),
        Ok(None) => true,
        Err(_) => false,
    };
    if !ca || !signs_certificates {
        problems.push(Problem::NotCa(display_name(issuer)));
    }
}

/// Whether `certificate`'s extended key usage names `purpose`.
pub(crate) fn allows(certificate: &Certificate, purpose: ObjectIdentifier) -> bool {
    matches!(
        certificate.tbs_certificate.get::<ExtendedKeyUsage>(),
        Ok(Some((_, usage))) if usage.0.contains(&purpose)
    )
}

/// Whether `certificate` is a root: issued by itself, under its own key.
pub(crate) fn self_signed(certificate: &Certificate) -> bool {
    certificate.tbs_certificate.subject == certificate.tbs_certificate.issuer
        && signed_by(certificate, certificate)
}
