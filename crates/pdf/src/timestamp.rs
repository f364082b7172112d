//! RFC 3161 timestamps as a signer needs them: the [`Timestamper`] the
//! caller provides (this crate does no I/O, so the request to a TSA is
//! the caller's), the request and response helpers for a caller that
//! talks to a TSA over HTTP, and the signature-time-stamp (PAdES B-T), an
//! unsigned attribute of the SignerInfo, over its signature value.

use ::cms::content_info::ContentInfo;
use ::cms::signed_data::SignedData;
use cmpv2::status::PkiStatus;
use const_oid::db::rfc5911::ID_SIGNED_DATA;
use der::asn1::{Any, ObjectIdentifier, OctetString, SetOfVec};
use der::{Decode, Encode};
use pki::Digest;
use x509_cert::attr::Attribute;
use x509_tsp::{MessageImprint, TimeStampReq, TimeStampResp, TspVersion, TstInfo};

use crate::Error;

/// id-aa-signatureTimeStampToken (RFC 3161 appendix A).
pub(crate) const ID_AA_SIGNATURE_TIME_STAMP_TOKEN: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.14");
/// id-ct-TSTInfo (RFC 3161 §2.4.2).
pub(crate) const ID_CT_TST_INFO: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");
/// Room reserved for a token: a TSA's CMS with its certificate and chain
/// (an RSA-4096 chain of three is under 6 KiB).
pub const TOKEN_ROOM: usize = 8 * 1024;

/// Gets RFC 3161 tokens from a time-stamping authority.
pub trait Timestamper {
    /// A DER `TimeStampToken` (a CMS `ContentInfo`) whose imprint is
    /// `imprint`, the `digest` hash of the data stamped; with
    /// [`request`] and [`token_of_response`] for the HTTP exchange.
    fn timestamp(&self, digest: Digest, imprint: &[u8]) -> Result<Vec<u8>, Error>;
}

/// A DER `TimeStampReq` for `imprint`, asking for the TSA's certificate
/// in the token, with `nonce` if given.
pub fn request(digest: Digest, imprint: &[u8], nonce: Option<&[u8]>) -> Result<Vec<u8>, Error> {
    let request = TimeStampReq {
        version: TspVersion::V1,
        message_imprint: MessageImprint {
            hash_algorithm: digest.identifier(),
            hashed_message: OctetString::new(imprint)?,
        },
        req_policy: None,
        nonce: nonce.map(der::asn1::Int::new).transpose()?,
        cert_req: true,
        extensions: None,
    };
    Ok(request.to_der()?)
}

/// The token of a DER `TimeStampResp`, if the TSA granted it.
pub fn token_of_response(response: &[u8]) -> Result<Vec<u8>, Error> {
    let response = TimeStampResp::from_der(response)
        .map_err(|e| Error::Timestamp(format!("trả lời của TSA không đọc được: {e}")))?;
    match (response.status.status, response.time_stamp_token) {
        (PkiStatus::Accepted | PkiStatus::GrantedWithMods, Some(token)) => Ok(token.to_der()?),
        (status, _) => Err(Error::Timestamp(format!(
            "TSA từ chối cấp dấu thời gian (trạng thái {})",
            status as u8
        ))),
    }
}

/// The TSTInfo a token carries, read without checking its signature (the
/// signer checks that the token is for its imprint; validation checks
/// the rest).
pub(crate) fn tst_info(token: &ContentInfo) -> Result<TstInfo, Error> {
    let bad = |why: String| Error::Timestamp(format!("dấu thời gian hỏng: {why}"));
    if token.content_type != ID_SIGNED_DATA {
        return Err(bad("không phải SignedData".into()));
    }
    let data: SignedData = token.content.decode_as().map_err(|e| bad(e.to_string()))?;
    let content = &data.encap_content_info;
    if content.econtent_type != ID_CT_TST_INFO {
        return Err(bad("nội dung không phải TSTInfo".into()));
    }
    let econtent = content
        .econtent
        .as_ref()
        .ok_or_else(|| bad("thiếu TSTInfo".into()))?;
    let octets: OctetString = econtent.decode_as().map_err(|e| bad(e.to_string()))?;
    TstInfo::from_der(octets.as_bytes()).map_err(|e| bad(e.to_string()))
}

/// Gets a token over `data` from `timestamper`, checking that it is for
/// that data: a TSA answering for something else must not go unnoticed.
pub(crate) fn stamp(
    timestamper: &dyn Timestamper,
    digest: Digest,
    data: &[&[u8]],
) -> Result<ContentInfo, Error> {
    let mut hasher = digest.hasher();
    for piece in data {
        hasher.update(piece);
    }
    let imprint = hasher.finish();
    let der = timestamper.timestamp(digest, &imprint)?;
    let token = ContentInfo::from_der(&der)
        .map_err(|e| Error::Timestamp(format!("dấu thời gian không đọc được: {e}")))?;
    let info = tst_info(&token)?;
    if info.message_imprint.hashed_message.as_bytes() != imprint
        || info.message_imprint.hash_algorithm.oid != digest.oid()
    {
        return Err(Error::Timestamp(
            "TSA trả dấu thời gian cho dữ liệu khác".into(),
        ));
    }
    Ok(token)
}

/// `info` (a signature's CMS) with a signature-time-stamp over its one
/// signer's signature value, hashed with the signer's digest.
pub(crate) fn add_signature_timestamp(
    info: &ContentInfo,
    timestamper: &dyn Timestamper,
) -> Result<ContentInfo, Error> {
    let mut data: SignedData = info.content.decode_as()?;
    let mut signers = data.signer_infos.0.into_vec();
    let signer = signers
        .first_mut()
        .ok_or_else(|| Error::Malformed("CMS không có người ký".into()))?;
    let digest = Digest::of_oid(signer.digest_alg.oid)
        .ok_or_else(|| Error::Malformed("hàm băm của chữ ký không được hỗ trợ".into()))?;
    let token = stamp(timestamper, digest, &[signer.signature.as_bytes()])?;
    let attribute = Attribute {
        oid: ID_AA_SIGNATURE_TIME_STAMP_TOKEN,
        values: SetOfVec::try_from(vec![Any::encode_from(&token)?])?,
    };
    let mut unsigned = signer.unsigned_attrs.take().unwrap_or_default();
    unsigned.insert(attribute)?;
    signer.unsigned_attrs = Some(unsigned);
    data.signer_infos = ::cms::signed_data::SignerInfos(SetOfVec::try_from(signers)?);
    Ok(ContentInfo {
        content_type: ID_SIGNED_DATA,
        content: Any::encode_from(&data)?,
    })
}
