//! Checking a PKCS #10 certificate request made on the holder's token: it
//! parses, its signature proves possession of the key, the key is strong
//! enough, and the subject it asks for is the holder on record.
//!
//! The certificate's subject always comes from the record, never from the
//! CSR; a CSR naming someone else is refused rather than silently renamed,
//! because it means the token was prepared for another person.

use const_oid::db::rfc3280::EMAIL_ADDRESS as ID_EMAIL_ADDRESS;
use const_oid::db::rfc4519;
use der::asn1::{BitString, SetOfVec};
use der::{Decode, Encode};
use spki::SubjectPublicKeyInfoOwned;
use unicode_normalization::UnicodeNormalization;
use x509_cert::name::Name;
use x509_cert::request::{CertReq, CertReqInfo, Version};

use crate::Error;
use crate::algorithm::{Digest, KeySpec};
use crate::key::CaKey;
use crate::name::{SubjectName, attribute};
use crate::verify::{key_spec_of, verify_signature};

/// Larger than any honest CSR (an RSA-4096 one is under 2 KiB).
pub const MAX_CSR_BYTES: usize = 64 * 1024;

/// A request whose signature and key have been checked.
#[derive(Debug, Clone)]
pub struct CheckedCsr {
    pub subject: Name,
    pub public_key: SubjectPublicKeyInfoOwned,
    pub spec: KeySpec,
    /// The request as DER, for the record.
    pub der: Vec<u8>,
}

/// Parses and checks a CSR given as PEM or DER.
pub fn check(input: &[u8]) -> Result<CheckedCsr, Error> {
    if input.len() > MAX_CSR_BYTES {
        return Err(Error::Malformed(format!(
            "yêu cầu chứng thư dài {} byte, quá {MAX_CSR_BYTES} byte",
            input.len()
        )));
    }
    let der = crate::pem::der_of(input, &["CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"])?;
    let request = CertReq::from_der(&der).map_err(|e| {
        Error::Malformed(format!("yêu cầu chứng thư (PKCS #10) không đọc được: {e}"))
    })?;
    let public_key = request.info.public_key.clone();
    let spec = key_spec_of(&public_key)?;
    let signed = request.info.to_der()?;
    let signature = request
        .signature
        .as_bytes()
        .ok_or_else(|| Error::Malformed("chữ ký của yêu cầu không trọn byte".into()))?;
    verify_signature(&public_key, &request.algorithm, &signed, signature)?;
    Ok(CheckedCsr {
        subject: request.info.subject,
        public_key,
        spec,
        der,
    })
}

impl CheckedCsr {
    /// Fails unless the CSR's common name is the holder's, and its e-mail,
    /// identity number and organisation, where it gives them, are too.
    pub fn require_subject(&self, holder: &SubjectName) -> Result<(), Error> {
        let fields = [
            (rfc4519::CN, Some(&holder.common_name), "tên"),
            (rfc4519::UID, holder.identity.as_ref(), "số định danh"),
            (ID_EMAIL_ADDRESS, holder.email.as_ref(), "thư điện tử"),
            (rfc4519::O, holder.organization.as_ref(), "cơ quan"),
        ];
        for (oid, expected, label) in fields {
            let given = attribute(&self.subject, oid);
            let mandatory = oid == rfc4519::CN;
            match (given, expected) {
                (None, _) if !mandatory => {}
                (Some(given), Some(expected)) if same(&given, expected) => {}
                (given, expected) => {
                    return Err(Error::Subject(format!(
                        "yêu cầu ghi {label} «{}», hồ sơ ghi «{}»: yêu cầu không phải của người được cấp",
                        given.unwrap_or_default(),
                        expected.map_or("", String::as_str)
                    )));
                }
            }
        }
        Ok(())
    }
}

/// A CSR for `subject` signed by `key`, as a token's middleware makes
/// one: for the demo province's holders, and for keys generated on the
/// CA's own token for a holder.
pub fn build(key: &dyn CaKey, digest: Digest, subject: &SubjectName) -> Result<Vec<u8>, Error> {
    let info = CertReqInfo {
        version: Version::V1,
        subject: subject.to_name()?,
        public_key: key.public_key().clone(),
        attributes: SetOfVec::new(),
    };
    let signature = key.sign(digest, &info.to_der()?)?;
    let request = CertReq {
        info,
        algorithm: key.spec().signature(digest)?.identifier(),
        signature: BitString::from_bytes(&signature)?,
    };
    Ok(request.to_der()?)
}

fn same(a: &str, b: &str) -> bool {
    a.trim().nfc().eq(b.trim().nfc())
}
