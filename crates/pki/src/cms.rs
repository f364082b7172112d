//! CMS SignedData (RFC 5652) as egov signs it: one signer identified by
//! issuer and serial, the signed attributes content-type, message-digest
//! and ESS signing-certificate-v2 (RFC 5035), and nothing else — no
//! signing-time, which PAdES forbids (the PDF's `/M` or a timestamp says
//! when) and RFC 3161 tokens do not need (the TSTInfo says when).
//!
//! Shared by timestamps ([`crate::tsa`], content encapsulated) and PDF
//! signatures (the `pdf` crate, detached). Signing is split in two, so a
//! signature made elsewhere (a holder's own token) can complete the
//! structure: [`SignedAttributes::to_der`] is what the key signs, and
//! [`assemble`] puts the signature in.

use ::cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use ::cms::content_info::{CmsVersion, ContentInfo};
use ::cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use const_oid::db::rfc5911::{
    ID_AA_SIGNING_CERTIFICATE_V_2, ID_CONTENT_TYPE, ID_DATA, ID_MESSAGE_DIGEST, ID_SIGNED_DATA,
};
use der::asn1::{Any, ObjectIdentifier, OctetString, SetOfVec};
use der::{Encode, Sequence};
use x509_cert::Certificate;
use x509_cert::attr::Attribute;

use crate::Error;
use crate::algorithm::{Digest, SignatureAlgorithm};
use crate::key::CaKey;

/// ESSCertIDv2 with the default hash (SHA-256), so without `hashAlgorithm`.
#[derive(Sequence)]
struct EssCertIdV2 {
    cert_hash: OctetString,
}

/// SigningCertificateV2 (RFC 5035).
#[derive(Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
}

/// The attributes a signer signs: what the content is, its digest, and
/// which certificate signs it.
#[derive(Debug, Clone)]
pub struct SignedAttributes {
    set: SetOfVec<Attribute>,
    digest: Digest,
}

impl SignedAttributes {
    /// Attributes for content of type `content_type` whose `digest` hash is
    /// `content_digest`, signed by `signer`.
    pub fn new(
        content_type: ObjectIdentifier,
        digest: Digest,
        content_digest: &[u8],
        signer: &Certificate,
    ) -> Result<Self, Error> {
        if content_digest.len() != digest.output_len() {
            return Err(Error::Malformed(
                "độ dài giá trị băm không khớp hàm băm".into(),
            ));
        }
        let cert_hash = Digest::Sha256.hash(&signer.to_der()?);
        let set = SetOfVec::try_from(vec![
            attribute(ID_CONTENT_TYPE, Any::encode_from(&content_type)?)?,
            attribute(
                ID_MESSAGE_DIGEST,
                Any::encode_from(&OctetString::new(content_digest)?)?,
            )?,
            attribute(
                ID_AA_SIGNING_CERTIFICATE_V_2,
                Any::encode_from(&SigningCertificateV2 {
                    certs: vec![EssCertIdV2 {
                        cert_hash: OctetString::new(cert_hash)?,
                    }],
                })?,
            )?,
        ])?;
        Ok(Self { set, digest })
    }

    /// What the key signs: the attributes as a DER SET (RFC 5652 §5.4),
    /// not as the `[0] IMPLICIT` field they are written in.
    pub fn to_der(&self) -> Result<Vec<u8>, Error> {
        Ok(self.set.to_der()?)
    }

    pub fn digest(&self) -> Digest {
        self.digest
    }
}

fn attribute(oid: ObjectIdentifier, value: Any) -> Result<Attribute, Error> {
    Ok(Attribute {
        oid,
        values: SetOfVec::try_from(vec![value])?,
    })
}

/// What goes into SignedData besides the signer's own signature.
#[derive(Debug, Clone)]
pub struct Content<'a> {
    /// `id-data` for a detached document signature, `id-ct-TSTInfo` for a
    /// timestamp token.
    pub content_type: ObjectIdentifier,
    /// The content itself when encapsulated, `None` when detached.
    pub encapsulated: Option<&'a [u8]>,
    /// Certificates carried for the relying party: the signer's first, then
    /// its chain (may be empty).
    pub certificates: &'a [Certificate],
}

/// SignedData with `signature` (made over `attributes.to_der()` by the
/// key of `signer` with `algorithm`), wrapped in its `ContentInfo`.
pub fn assemble(
    attributes: SignedAttributes,
    signer: &Certificate,
    algorithm: SignatureAlgorithm,
    signature: &[u8],
    content: &Content<'_>,
) -> Result<ContentInfo, Error> {
    let digest = attributes.digest;
    if algorithm.digest != digest {
        return Err(Error::Unsupported(
            "hàm băm của chữ ký khác hàm băm của thuộc tính ký".into(),
        ));
    }
    let tbs = &signer.tbs_certificate;
    let signer_info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: tbs.issuer.clone(),
            serial_number: tbs.serial_number.clone(),
        }),
        digest_alg: digest.identifier(),
        signed_attrs: Some(attributes.set),
        signature_algorithm: algorithm.identifier(),
        signature: OctetString::new(signature)?,
        unsigned_attrs: None,
    };
    let certificates = (!content.certificates.is_empty())
        .then(|| {
            CertificateSet::try_from(
                content
                    .certificates
                    .iter()
                    .cloned()
                    .map(CertificateChoices::Certificate)
                    .collect::<Vec<_>>(),
            )
        })
        .transpose()?;
    let econtent = content
        .encapsulated
        .map(|bytes| Any::encode_from(&OctetString::new(bytes)?))
        .transpose()?;
    let signed_data = SignedData {
        // Version 1 for id-data with an issuer-and-serial signer, 3 for any
        // other content type (RFC 5652 §5.1).
        version: if content.content_type == ID_DATA {
            CmsVersion::V1
        } else {
            CmsVersion::V3
        },
        digest_algorithms: SetOfVec::try_from(vec![digest.identifier()])?,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: content.content_type,
            econtent,
        },
        certificates,
        crls: None,
        signer_infos: SignerInfos::try_from(vec![signer_info])?,
    };
    Ok(ContentInfo {
        content_type: ID_SIGNED_DATA,
        content: Any::encode_from(&signed_data)?,
    })
}

/// Signs in one step with `key`: the attributes over `content_digest`,
/// the key's signature over them, and the whole `ContentInfo`.
pub fn sign(
    key: &dyn CaKey,
    digest: Digest,
    signer: &Certificate,
    content_digest: &[u8],
    content: &Content<'_>,
) -> Result<ContentInfo, Error> {
    if key.public_key() != &signer.tbs_certificate.subject_public_key_info {
        return Err(Error::Unsupported(
            "khóa ký không phải khóa của chứng thư ký".into(),
        ));
    }
    let algorithm = key.spec().signature(digest)?;
    let attributes = SignedAttributes::new(content.content_type, digest, content_digest, signer)?;
    let signature = key.sign(digest, &attributes.to_der()?)?;
    assemble(attributes, signer, algorithm, &signature, content)
}

#[cfg(test)]
mod tests {
    use ::cms::signed_data::SignedData;

    use super::*;
    use crate::software::SoftwareKey;
    use crate::verify::verify_signature;
    use crate::{KeySpec, Profile, Serial, SubjectName, cert};

    fn self_signed(key: &SoftwareKey) -> Certificate {
        let now = time::OffsetDateTime::now_utc();
        let template = cert::Template {
            serial: Serial::random().unwrap(),
            subject: SubjectName {
                common_name: "Thử CMS".into(),
                country: "VN".into(),
                ..SubjectName::default()
            }
            .to_name()
            .unwrap(),
            public_key: key.public_key().clone(),
            profile: Profile::Root,
            not_before: now,
            not_after: now + time::Duration::days(1),
            email: None,
            dns_names: Vec::new(),
        };
        cert::self_signed(key, Digest::Sha256, &template).unwrap()
    }

    #[test]
    fn detached_signed_data_has_the_three_attributes_and_verifies() {
        let key = SoftwareKey::generate(KeySpec::EcP256).unwrap();
        let certificate = self_signed(&key);
        let content_digest = Digest::Sha256.hash(b"document");
        let info = sign(
            &key,
            Digest::Sha256,
            &certificate,
            &content_digest,
            &Content {
                content_type: ID_DATA,
                encapsulated: None,
                certificates: std::slice::from_ref(&certificate),
            },
        )
        .unwrap();
        let data: SignedData = info.content.decode_as().unwrap();
        assert_eq!(data.version, CmsVersion::V1);
        assert!(data.encap_content_info.econtent.is_none());
        let signer = data.signer_infos.0.get(0).unwrap();
        let attributes = signer.signed_attrs.as_ref().unwrap();
        let oids: Vec<_> = attributes.iter().map(|a| a.oid).collect();
        assert_eq!(oids.len(), 3);
        for oid in [
            ID_CONTENT_TYPE,
            ID_MESSAGE_DIGEST,
            ID_AA_SIGNING_CERTIFICATE_V_2,
        ] {
            assert!(oids.contains(&oid), "{oid}");
        }
        verify_signature(
            key.public_key(),
            &signer.signature_algorithm,
            &attributes.to_der().unwrap(),
            signer.signature.as_bytes(),
        )
        .unwrap();
    }

    #[test]
    fn a_key_that_is_not_the_certificates_is_refused() {
        let key = SoftwareKey::generate(KeySpec::EcP256).unwrap();
        let other = SoftwareKey::generate(KeySpec::EcP256).unwrap();
        let certificate = self_signed(&key);
        let result = sign(
            &other,
            Digest::Sha256,
            &certificate,
            &Digest::Sha256.hash(b"x"),
            &Content {
                content_type: ID_DATA,
                encapsulated: None,
                certificates: &[],
            },
        );
        assert!(result.is_err());
    }
}
