//! Validation evidence for PAdES B-LT: what a signed file needs (each
//! certificate on each signature's and timestamp's path, with its issuer
//! and where its status is published: OCSP from the AIA, CRLs from the
//! CRL distribution points), the [`Evidence`] trait through which the
//! caller supplies it (this crate fetches nothing), and
//! [`add_validation_data`], the incremental update that puts it in the
//! DSS ([`crate::dss`]). The same trait serves validation as the fetcher
//! of evidence a file lacks.

use const_oid::db::rfc5912::ID_AD_OCSP;
use der::{Decode, Encode};
use x509_cert::Certificate;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{AuthorityInfoAccessSyntax, CrlDistributionPoints};

use crate::chain::{self, display_name};
use crate::cms::{self, Expect, Signed};
use crate::dss::{self, Data, Vri, vri_key};
use crate::load::load;
use crate::revocation::no_check;
use crate::verify::{SignatureValue, signature_values, timestamp_token};
use crate::{Error, Limits, ranges, token};

/// Where revocation evidence comes from: the caller's OCSP client, CRL
/// cache or archive. `None` when it has none.
pub trait Evidence {
    /// A DER `OCSPResponse` on `certificate` from `issuer`'s responder
    /// (`urls`, from the certificate's AIA, may be empty).
    fn ocsp(
        &self,
        certificate: &Certificate,
        issuer: &Certificate,
        urls: &[String],
    ) -> Option<Vec<u8>>;
    /// A DER CRL of `issuer` covering `certificate` (`urls` from its CRL
    /// distribution points, may be empty).
    fn crl(
        &self,
        certificate: &Certificate,
        issuer: &Certificate,
        urls: &[String],
    ) -> Option<Vec<u8>>;
}

/// One certificate whose status must be shown.
#[derive(Debug, Clone)]
pub struct Need {
    pub certificate: Certificate,
    pub issuer: Certificate,
    pub ocsp_urls: Vec<String>,
    pub crl_urls: Vec<String>,
}

/// What one signature (or document timestamp) of a file needs.
#[derive(Debug, Clone)]
pub struct Needed {
    pub field: String,
    /// Its VRI key: the uppercase hex SHA-1 of its `/Contents`.
    pub vri_key: String,
    /// Every certificate of the signer's path and of its timestamp's, from
    /// the signer up (anchors included when found).
    pub certificates: Vec<Certificate>,
    /// The certificates on those paths below their anchors, except
    /// delegated OCSP responders (id-pkix-ocsp-nocheck).
    pub revocation: Vec<Need>,
}

/// The OCSP and CRL URLs `certificate` names.
pub(crate) fn urls(certificate: &Certificate) -> (Vec<String>, Vec<String>) {
    let uri = |name: &GeneralName| match name {
        GeneralName::UniformResourceIdentifier(uri) => Some(uri.to_string()),
        _ => None,
    };
    let tbs = &certificate.tbs_certificate;
    let ocsp = match tbs.get::<AuthorityInfoAccessSyntax>() {
        Ok(Some((_, access))) => access
            .0
            .iter()
            .filter(|a| a.access_method == ID_AD_OCSP)
            .filter_map(|a| uri(&a.access_location))
            .collect(),
        _ => Vec::new(),
    };
    let crl = match tbs.get::<CrlDistributionPoints>() {
        Ok(Some((_, points))) => points
            .0
            .iter()
            .filter_map(|p| match &p.distribution_point {
                Some(DistributionPointName::FullName(names)) => Some(names),
                _ => None,
            })
            .flatten()
            .filter_map(uri)
            .collect(),
        _ => Vec::new(),
    };
    (ocsp, crl)
}

/// What each signature and document timestamp in `bytes` needs, its
/// paths built from the certificates the file carries (CMS and DSS) and
/// `extra` (the signer's chain, the root): a path ends at a self-signed
/// certificate.
pub fn needed(bytes: &[u8], extra: &[Vec<u8>], limits: &Limits) -> Result<Vec<Needed>, Error> {
    let doc = load(bytes, limits)?;
    let mut pool = dss::read(&doc, limits)?
        .certs
        .iter()
        .chain(extra)
        .filter_map(|der| Certificate::from_der(der).ok())
        .collect::<Vec<_>>();
    pool.dedup();
    let anchors: Vec<Certificate> = pool
        .iter()
        .filter(|c| chain::self_signed(c))
        .cloned()
        .collect();
    let mut out = Vec::new();
    for SignatureValue { field, value, .. } in signature_values(&doc, limits)? {
        let Ok(ranges) = ranges::check(bytes, &value, limits) else {
            continue;
        };
        let mut ignored = Vec::new();
        let timestamp = value
            .get(b"SubFilter")
            .is_ok_and(|s| s.as_name().is_ok_and(|n| n == b"ETSI.RFC3161"));
        let expect = if timestamp {
            Expect::Token
        } else {
            Expect::Detached {
                pieces: ranges.signed(bytes),
                pades: false,
            }
        };
        let Some(signed) = cms::check(&ranges.contents, expect, &mut ignored) else {
            continue;
        };
        let mut paths = vec![path_of(&signed, &pool, &anchors)];
        if let Some(stamp) = timestamp_token(&signed)
            .and_then(|der| token::check(&der, &[], &pool, &anchors, &mut ignored))
        {
            paths.push(stamp.path);
        }
        let mut needed = Needed {
            field,
            vri_key: vri_key(&ranges.contents),
            certificates: Vec::new(),
            revocation: Vec::new(),
        };
        for path in paths {
            let certificates = &path.certificates;
            for (i, certificate) in certificates.iter().enumerate() {
                if !needed.certificates.contains(certificate) {
                    needed.certificates.push(certificate.clone());
                }
                let Some(issuer) = certificates.get(i + 1) else {
                    break;
                };
                let listed = needed
                    .revocation
                    .iter()
                    .any(|need| &need.certificate == certificate);
                if listed || no_check(certificate) || certificate == issuer {
                    continue;
                }
                let (ocsp_urls, crl_urls) = urls(certificate);
                needed.revocation.push(Need {
                    certificate: certificate.clone(),
                    issuer: issuer.clone(),
                    ocsp_urls,
                    crl_urls,
                });
            }
        }
        out.push(needed);
    }
    Ok(out)
}

fn path_of(signed: &Signed, pool: &[Certificate], anchors: &[Certificate]) -> chain::Path {
    let mut candidates = signed.certificates.clone();
    candidates.extend_from_slice(pool);
    chain::check(&signed.signer, &candidates, anchors, None, &mut Vec::new())
}

/// `bytes` with an incremental update adding to its DSS, for every
/// signature and document timestamp, the certificates of its paths and
/// an OCSP response (or else a CRL) from `evidence` for each certificate
/// that needs one (B-LT). `extra`: certificates the file does not carry
/// (the root). Evidence missing for any certificate is an error: the
/// result would not be B-LT.
pub fn add_validation_data(
    bytes: &[u8],
    extra: &[Vec<u8>],
    evidence: &dyn Evidence,
    limits: &Limits,
) -> Result<Vec<u8>, Error> {
    let mut entries = Vec::new();
    for needed in needed(bytes, extra, limits)? {
        let mut data = Data {
            certs: needed
                .certificates
                .iter()
                .map(Encode::to_der)
                .collect::<Result<_, _>>()?,
            ..Data::default()
        };
        for need in &needed.revocation {
            if let Some(ocsp) = evidence.ocsp(&need.certificate, &need.issuer, &need.ocsp_urls) {
                data.ocsps.push(ocsp);
            } else if let Some(crl) = evidence.crl(&need.certificate, &need.issuer, &need.crl_urls)
            {
                data.crls.push(crl);
            } else {
                return Err(Error::Evidence(display_name(&need.certificate)));
            }
        }
        entries.push(Vri {
            key: needed.vri_key,
            data,
        });
    }
    dss::write(bytes, &entries, limits)
}
