//! The OCSP responder's cryptography (RFC 6960): reading requests with
//! limits, recognising which CA a `CertID` names, and signing answers
//! with the delegated responder certificate; and, for clients of the
//! responder, writing requests and reading an answer's status.
//!
//! Looking up the status is the caller's; so is caching. An answer without
//! a nonce depends only on the certificate's status, so the caller can sign
//! it once and serve it until the status changes or it nears `nextUpdate`;
//! one with a nonce must be signed afresh.

use der::asn1::{BitString, OctetString};
use der::{Decode, Encode};
use domain::pki::RevocationReason;
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::ext::Extension;
pub use x509_ocsp::CertId;
use x509_ocsp::ext::Nonce;
use x509_ocsp::{
    BasicOcspResponse, CertStatus, OcspGeneralizedTime, OcspRequest, OcspResponse,
    OcspResponseStatus, Request, ResponderId, ResponseData, RevokedInfo, SingleResponse,
    TbsRequest, Version,
};

use crate::Error;
use crate::algorithm::Digest;
use crate::cert::{Serial, date_time, key_id};
use crate::crl::reason_code;
use crate::key::CaKey;

/// Larger than any honest request: one with a few dozen CertIDs and a
/// signature with its chain fits in 16 KiB.
pub const MAX_REQUEST_BYTES: usize = 16 * 1024;
/// CertIDs answered in one request; more is refused as malformed.
pub const MAX_CERTS_PER_REQUEST: usize = 32;
/// RFC 8954: nonces are 1 to 32 octets.
const MAX_NONCE_LEN: usize = 32;

/// What a client asked: which certificates, and the nonce to echo.
#[derive(Debug, Clone)]
pub struct Query {
    pub certs: Vec<CertId>,
    pub nonce: Option<Vec<u8>>,
}

/// Reads a DER `OCSPRequest`. A signature on the request, if any, is
/// ignored: anyone may ask about any certificate.
pub fn parse_request(der: &[u8]) -> Result<Query, Error> {
    if der.len() > MAX_REQUEST_BYTES {
        return Err(Error::Malformed(format!(
            "yêu cầu OCSP quá {MAX_REQUEST_BYTES} byte"
        )));
    }
    let request = OcspRequest::from_der(der)
        .map_err(|e| Error::Malformed(format!("yêu cầu OCSP không đọc được: {e}")))?;
    let certs: Vec<CertId> = request
        .tbs_request
        .request_list
        .into_iter()
        .map(|r| r.req_cert)
        .collect();
    if certs.is_empty() || certs.len() > MAX_CERTS_PER_REQUEST {
        return Err(Error::Malformed(format!(
            "yêu cầu OCSP hỏi {} chứng thư; cần từ 1 đến {MAX_CERTS_PER_REQUEST}",
            certs.len()
        )));
    }
    let nonce = match request
        .tbs_request
        .request_extensions
        .as_ref()
        .and_then(|e| {
            e.iter()
                .find(|x| x.extn_id == const_oid::db::rfc6960::ID_PKIX_OCSP_NONCE)
        }) {
        None => None,
        Some(extension) => Some(nonce_bytes(extension)?),
    };
    Ok(Query { certs, nonce })
}

/// An unsigned DER `OCSPRequest` for `certs`, with `nonce` if given, as
/// OpenSSL's `ocsp -reqout` writes one: for clients of the responder (the
/// benchmark's load generator, tests).
pub fn request(certs: &[CertId], nonce: Option<&[u8]>) -> Result<Vec<u8>, Error> {
    let request_extensions = nonce
        .map(|n| nonce_extension(n).map(|e| vec![e]))
        .transpose()?;
    let request = OcspRequest {
        tbs_request: TbsRequest {
            version: Version::V1,
            requestor_name: None,
            request_list: certs
                .iter()
                .map(|id| Request {
                    req_cert: id.clone(),
                    single_request_extensions: None,
                })
                .collect(),
            request_extensions,
        },
        optional_signature: None,
    };
    Ok(request.to_der()?)
}

/// The nonce extension, its value an OCTET STRING inside the extension's
/// (RFC 6960 §4.4.1), in requests and answers alike.
fn nonce_extension(nonce: &[u8]) -> Result<Extension, Error> {
    Ok(Extension {
        extn_id: const_oid::db::rfc6960::ID_PKIX_OCSP_NONCE,
        critical: false,
        extn_value: OctetString::new(OctetString::new(nonce)?.to_der()?)?,
    })
}

/// Whether `der` is an `OCSPResponse` whose status is `successful`. Only
/// the outer layer is read (the signed answer stays opaque), so a load
/// generator can check every answer without measuring its own parsing.
pub fn is_successful(der: &[u8]) -> bool {
    OcspResponse::from_der(der).is_ok_and(|r| {
        r.response_status == OcspResponseStatus::Successful && r.response_bytes.is_some()
    })
}

/// The nonce's octets. RFC 6960 says the value is an OCTET STRING inside
/// the extension's; some old clients put the raw octets there, which we
/// take as they are.
fn nonce_bytes(extension: &Extension) -> Result<Vec<u8>, Error> {
    let raw = extension.extn_value.as_bytes();
    let bytes = Nonce::from_der(raw).map_or_else(|_| raw.to_vec(), |n| n.0.as_bytes().to_vec());
    if bytes.is_empty() || bytes.len() > MAX_NONCE_LEN {
        return Err(Error::Malformed(format!(
            "nonce OCSP phải dài 1–{MAX_NONCE_LEN} byte"
        )));
    }
    Ok(bytes)
}

/// A certificate's status as the responder reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Good,
    Revoked {
        at: OffsetDateTime,
        reason: RevocationReason,
    },
    /// Not issued by this CA, as far as the records know.
    Unknown,
}

/// The hashes by which a `CertID` names its issuing CA, for the hash
/// functions clients use (OpenSSL: SHA-1 by default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerHashes {
    sha1: (Vec<u8>, Vec<u8>),
    sha256: (Vec<u8>, Vec<u8>),
}

impl IssuerHashes {
    pub fn of(ca: &Certificate) -> Result<Self, Error> {
        let name = ca.tbs_certificate.subject.to_der()?;
        let key = ca
            .tbs_certificate
            .subject_public_key_info
            .subject_public_key
            .raw_bytes();
        let sha1 = |data: &[u8]| {
            aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY, data)
                .as_ref()
                .to_vec()
        };
        Ok(Self {
            sha1: (sha1(&name), sha1(key)),
            sha256: (Digest::Sha256.hash(&name), Digest::Sha256.hash(key)),
        })
    }

    /// The `CertID` of `serial` under this CA with SHA-1 hashes (with NULL
    /// parameters, as OpenSSL writes them): what most clients send.
    pub fn sha1_cert_id(&self, serial: &Serial) -> Result<CertId, Error> {
        Ok(CertId {
            hash_algorithm: spki::AlgorithmIdentifierOwned {
                oid: const_oid::db::rfc5912::ID_SHA_1,
                parameters: Some(der::asn1::Null.into()),
            },
            issuer_name_hash: OctetString::new(self.sha1.0.clone())?,
            issuer_key_hash: OctetString::new(self.sha1.1.clone())?,
            serial_number: serial.to_x509()?,
        })
    }

    /// Whether `id` names this CA.
    pub fn names(&self, id: &CertId) -> bool {
        let pair = match id.hash_algorithm.oid {
            const_oid::db::rfc5912::ID_SHA_1 => &self.sha1,
            const_oid::db::rfc5912::ID_SHA_256 => &self.sha256,
            _ => return false,
        };
        id.issuer_name_hash.as_bytes() == pair.0 && id.issuer_key_hash.as_bytes() == pair.1
    }
}

/// Whether a `CertID` names its issuer with SHA-1 hashes.
pub fn is_sha1(id: &CertId) -> bool {
    id.hash_algorithm.oid == const_oid::db::rfc5912::ID_SHA_1
}

/// The serial a `CertID` asks about; a negative one, or one longer than 20
/// octets, is refused as malformed (no certificate of ours has it).
pub fn serial_of(id: &CertId) -> Result<Serial, Error> {
    Serial::of(&id.serial_number)
}

/// The delegated responder: its certificate (profile `ocsp`, issued by the
/// CA it answers for) and key.
pub struct Responder {
    pub certificate: Certificate,
    pub key: Box<dyn CaKey>,
    pub digest: Digest,
}

impl std::fmt::Debug for Responder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Responder")
            .field("digest", &self.digest)
            .finish_non_exhaustive()
    }
}

/// When an answer was made and how long it holds.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub produced_at: OffsetDateTime,
    pub this_update: OffsetDateTime,
    pub next_update: OffsetDateTime,
}

impl Responder {
    /// A signed, successful `OCSPResponse` for `answers`, echoing `nonce`.
    pub fn respond(
        &self,
        answers: &[(CertId, Status)],
        nonce: Option<&[u8]>,
        window: Window,
    ) -> Result<Vec<u8>, Error> {
        let at = |t: OffsetDateTime| date_time(t).map(OcspGeneralizedTime::from);
        let responses = answers
            .iter()
            .map(|(id, status)| {
                let cert_status = match *status {
                    Status::Good => CertStatus::good(),
                    Status::Unknown => CertStatus::unknown(),
                    Status::Revoked { at: when, reason } => CertStatus::revoked(RevokedInfo {
                        revocation_time: at(when)?,
                        revocation_reason: (reason != RevocationReason::Unspecified)
                            .then(|| reason_code(reason)),
                    }),
                };
                Ok(SingleResponse {
                    cert_id: id.clone(),
                    cert_status,
                    this_update: at(window.this_update)?,
                    next_update: Some(at(window.next_update)?),
                    single_extensions: None,
                })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        let extensions = nonce
            .map(|n| nonce_extension(n).map(|e| vec![e]))
            .transpose()?;
        let data = ResponseData {
            version: Version::V1,
            responder_id: ResponderId::ByKey(OctetString::new(key_id(
                &self.certificate.tbs_certificate.subject_public_key_info,
            ))?),
            produced_at: at(window.produced_at)?,
            responses,
            response_extensions: extensions,
        };
        let signature = self.key.sign(self.digest, &data.to_der()?)?;
        let basic = BasicOcspResponse {
            tbs_response_data: data,
            signature_algorithm: self.key.spec().signature(self.digest)?.identifier(),
            signature: BitString::from_bytes(&signature)?,
            certs: Some(vec![self.certificate.clone()]),
        };
        Ok(OcspResponse::successful(basic)?.to_der()?)
    }
}

/// The unsigned answers RFC 6960 §2.3 allows for requests we cannot serve.
pub fn malformed_request() -> Vec<u8> {
    OcspResponse::malformed_request()
        .to_der()
        .unwrap_or_default()
}

/// For a CA this responder does not answer for.
pub fn unauthorized() -> Vec<u8> {
    OcspResponse::unauthorized().to_der().unwrap_or_default()
}

/// While the CA is not set up.
pub fn try_later() -> Vec<u8> {
    OcspResponse::try_later().to_der().unwrap_or_default()
}

pub fn internal_error() -> Vec<u8> {
    OcspResponse::internal_error().to_der().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the pki_ocsp_request fuzz target: the request parses, but
    /// its CertID's serial is negative (`openssl ocsp -req_text` shows
    /// -7F00…01); it used to be read as the positive 80FFFFFA…FF.
    #[test]
    fn a_negative_serial_is_not_read_as_another_certificate() {
        let mut request = vec![
            0x30, 0x55, 0x30, 0x53, 0x30, 0x51, 0x30, 0x4f, 0x30, 0x4d, 0x30, 0x09, 0x06, 0x05,
            0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x40, 0x00, 0x04, 0x14, 0x00, 0xce, 0x4f, 0xc2, 0x4d,
            0xf8, 0x0a, 0x01, 0x2c, 0x8c, 0x94, 0x2e, 0x7e, 0xe9, 0x63, 0x13, 0xf7, 0x0d, 0x0a,
            0x53, 0x04, 0x14, 0x31, 0x5c, 0xda, 0x4d, 0xd1, 0xce, 0xd2, 0x7c, 0xcb, 0x58, 0x96,
            0x57, 0xbf, 0xa9, 0x52, 0xae, 0xdd, 0x34, 0x19, 0x9a, 0x02, 0x14, 0x80, 0xff, 0xff,
            0xfa,
        ];
        request.resize(87, 0xff);
        let query = parse_request(&request).unwrap();
        assert_eq!(query.certs.len(), 1);
        assert!(matches!(
            serial_of(&query.certs[0]),
            Err(Error::Malformed(_))
        ));
    }
}
