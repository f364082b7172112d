//! The time-stamping authority (RFC 3161): reading `TimeStampReq`s with
//! limits and answering with a `TimeStampResp` whose token is CMS
//! SignedData over a `TSTInfo`, signed by the TSA's certificate (profile
//! `timestamping`) with the ESS signing-certificate-v2 attribute that
//! RFC 5816 asks for.

use ::cms::content_info::ContentInfo;
use cmpv2::status::{PkiStatus, PkiStatusInfo};
use der::asn1::{BitString, GeneralizedTime, Int, ObjectIdentifier, Utf8StringRef};
use der::{Decode, Encode, Sequence};
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_tsp::{MessageImprint, TimeStampReq, TimeStampResp, TspVersion, TstInfo};

use crate::Error;
use crate::algorithm::Digest;
use crate::cert::{Serial, date_time};
use crate::cms::Content;
use crate::key::CaKey;

/// id-ct-TSTInfo (RFC 3161 §2.4.2).
const ID_CT_TST_INFO: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");
/// SHA-512 is accepted in requests though the CA itself signs with
/// SHA-256 or SHA-384.
const ID_SHA_512: ObjectIdentifier = const_oid::db::rfc5912::ID_SHA_512;
/// Larger than any honest request (a SHA-512 imprint with a nonce and a
/// policy is under 200 bytes).
pub const MAX_REQUEST_BYTES: usize = 4 * 1024;

/// Why a request is refused, as RFC 3161's `PKIFailureInfo` says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    BadAlgorithm,
    BadRequest,
    BadDataFormat,
    UnacceptedPolicy,
}

/// Reads a DER `TimeStampReq` and checks that its imprint is a SHA-256,
/// SHA-384 or SHA-512 hash of the right length.
pub fn parse_request(der: &[u8]) -> Result<TimeStampReq, (Refusal, String)> {
    if der.len() > MAX_REQUEST_BYTES {
        return Err((
            Refusal::BadDataFormat,
            format!("yêu cầu dấu thời gian quá {MAX_REQUEST_BYTES} byte"),
        ));
    }
    let request = TimeStampReq::from_der(der).map_err(|e| {
        (
            Refusal::BadDataFormat,
            format!("yêu cầu dấu thời gian không đọc được: {e}"),
        )
    })?;
    let imprint = &request.message_imprint;
    let expected = match imprint.hash_algorithm.oid {
        oid if oid == Digest::Sha256.oid() => 32,
        oid if oid == Digest::Sha384.oid() => 48,
        ID_SHA_512 => 64,
        oid => {
            return Err((
                Refusal::BadAlgorithm,
                format!("hàm băm {oid} không được chấp nhận"),
            ));
        }
    };
    if imprint.hashed_message.as_bytes().len() != expected {
        return Err((
            Refusal::BadDataFormat,
            "độ dài giá trị băm không khớp hàm băm".into(),
        ));
    }
    if request.extensions.is_some() {
        return Err((
            Refusal::BadRequest,
            "yêu cầu có phần mở rộng không được hỗ trợ".into(),
        ));
    }
    Ok(request)
}

/// The time-stamping authority: its certificate and key, and the policy
/// under which it stamps.
pub struct Tsa {
    pub certificate: Certificate,
    pub key: Box<dyn CaKey>,
    pub digest: Digest,
    pub policy: ObjectIdentifier,
}

impl std::fmt::Debug for Tsa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tsa")
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl Tsa {
    /// A granted `TimeStampResp` for `request`, stamped `at`, numbered
    /// `serial` (unique per TSA).
    pub fn stamp(
        &self,
        request: &TimeStampReq,
        serial: &Serial,
        at: OffsetDateTime,
    ) -> Result<Vec<u8>, Error> {
        if request.req_policy.is_some_and(|p| p != self.policy) {
            return Ok(refuse(
                Refusal::UnacceptedPolicy,
                "chính sách dấu thời gian không được hỗ trợ",
            ));
        }
        let info = TstInfo {
            version: TspVersion::V1,
            policy: self.policy,
            message_imprint: MessageImprint {
                hash_algorithm: request.message_imprint.hash_algorithm.clone(),
                hashed_message: request.message_imprint.hashed_message.clone(),
            },
            serial_number: Int::new(serial.as_bytes())?,
            gen_time: GeneralizedTime::from_date_time(date_time(at)?),
            accuracy: None,
            ordering: false,
            nonce: request.nonce.clone(),
            tsa: None,
            extensions: None,
        };
        let content = info.to_der()?;
        let token = self.sign(&content, request.cert_req)?;
        let response = TimeStampResp {
            status: PkiStatusInfo {
                status: PkiStatus::Accepted,
                status_string: None,
                fail_info: None,
            },
            time_stamp_token: Some(token),
        };
        Ok(response.to_der()?)
    }

    /// CMS SignedData over `content` (a DER TSTInfo), as a `ContentInfo`.
    fn sign(&self, content: &[u8], with_certificate: bool) -> Result<ContentInfo, Error> {
        let certificates = if with_certificate {
            std::slice::from_ref(&self.certificate)
        } else {
            &[]
        };
        crate::cms::sign(
            self.key.as_ref(),
            self.digest,
            &self.certificate,
            &self.digest.hash(content),
            &Content {
                content_type: ID_CT_TST_INFO,
                encapsulated: Some(content),
                certificates,
            },
        )
    }
}

/// A `TimeStampResp` refusing the request, saying why.
pub fn refuse(refusal: Refusal, reason: &str) -> Vec<u8> {
    // PKIFailureInfo bit numbers (RFC 3161 §2.4.2).
    let bit: usize = match refusal {
        Refusal::BadAlgorithm => 0,
        Refusal::BadRequest => 2,
        Refusal::BadDataFormat => 5,
        Refusal::UnacceptedPolicy => 15,
    };
    // A named BIT STRING in DER ends at its last set bit.
    let mut bytes = vec![0u8; bit / 8 + 1];
    bytes[bit / 8] = 0x80 >> (bit % 8);
    let unused = u8::try_from(7 - bit % 8).unwrap_or(0);
    let response = Refused {
        status: RefusalInfo {
            status: PkiStatus::Rejection as u8,
            status_string: Utf8StringRef::new(reason).ok().map(|text| vec![text]),
            fail_info: BitString::new(unused, bytes).ok(),
        },
    };
    response.to_der().unwrap_or_default()
}

/// `TimeStampResp` without a token. Written by hand because cmpv2 0.2
/// declares the PKIFailureInfo flags with bit numbers as masks (badAlg = 0
/// is the empty set), so its encoding of a failure is wrong.
#[derive(Sequence)]
struct Refused<'a> {
    status: RefusalInfo<'a>,
}

#[derive(Sequence)]
struct RefusalInfo<'a> {
    status: u8,
    #[asn1(optional = "true")]
    status_string: Option<Vec<Utf8StringRef<'a>>>,
    #[asn1(optional = "true")]
    fail_info: Option<BitString>,
}
