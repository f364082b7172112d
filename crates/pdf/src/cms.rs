//! Reading a signature's CMS SignedData (RFC 5652) and checking it over
//! the signed bytes: exactly one signer, detached `id-data` content, the
//! message-digest attribute equal to the hash of the byte ranges, the
//! ESS signing-certificate(-v2) attribute naming the signer's
//! certificate, and the signature over the signed attributes verifying
//! under that certificate's key (aws-lc-rs through [`pki::verify`]).
//!
//! The same checks serve RFC 3161 tokens, whose content is encapsulated
//! (a TSTInfo) rather than detached.
//!
//! PAdES requires signed attributes and the ESS attribute; the older
//! `adbe.pkcs7.detached` signatures many signers still make need neither,
//! and without signed attributes their signature is over the signed
//! bytes themselves.

use ::cms::cert::CertificateChoices;
use ::cms::content_info::ContentInfo;
use ::cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use const_oid::db::rfc5911::{
    ID_AA_SIGNING_CERTIFICATE, ID_AA_SIGNING_CERTIFICATE_V_2, ID_CONTENT_TYPE, ID_DATA,
    ID_MESSAGE_DIGEST, ID_SIGNED_DATA,
};
use const_oid::db::rfc5912::{ID_EC_PUBLIC_KEY, RSA_ENCRYPTION};
use der::asn1::{ObjectIdentifier, OctetString};
use der::{Any, Decode, Encode, Reader, Sequence, SliceReader};
use pki::Digest;
use pki::algorithm::SignatureAlgorithm;
use pki::verify::{key_spec_of, verify_signature};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::ext::pkix::SubjectKeyIdentifier;

use crate::timestamp::ID_CT_TST_INFO;
use crate::verify::Problem;

/// ESSCertIDv2 (RFC 5035); the hash is SHA-256 unless named.
#[derive(Sequence)]
struct EssCertIdV2 {
    #[asn1(optional = "true")]
    hash_algorithm: Option<AlgorithmIdentifierOwned>,
    cert_hash: OctetString,
    #[asn1(optional = "true")]
    issuer_serial: Option<Any>,
}

/// SigningCertificateV2 (RFC 5035).
#[derive(Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
    #[asn1(optional = "true")]
    policies: Option<Any>,
}

/// What the CMS is expected to sign.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Expect<'a> {
    /// A PDF signature over the two byte ranges, by PAdES's rules if
    /// `pades`.
    Detached { pieces: [&'a [u8]; 2], pades: bool },
    /// An RFC 3161 token: an encapsulated TSTInfo.
    Token,
}

/// What a signature's CMS says, once checked.
#[derive(Debug, Clone)]
pub(crate) struct Signed {
    pub signer: Certificate,
    /// Every certificate the CMS carries (the signer's among them).
    pub certificates: Vec<Certificate>,
    pub digest: Digest,
    pub data: SignedData,
    /// The one signer's.
    pub info: SignerInfo,
    /// The encapsulated content (a token's TSTInfo), if any.
    pub content: Option<Vec<u8>>,
}

/// Checks `contents` (a DER ContentInfo, maybe zero-padded) as `expect`
/// says. Problems go to `problems`; the signer is returned when the CMS
/// could be read far enough to name one.
pub(crate) fn check(
    contents: &[u8],
    expect: Expect<'_>,
    problems: &mut Vec<Problem>,
) -> Option<Signed> {
    let data = match signed_data(contents) {
        Ok(data) => data,
        Err(why) => {
            problems.push(Problem::Cms(why));
            return None;
        }
    };
    let [signer_info] = data.signer_infos.0.as_slice() else {
        problems.push(Problem::Cms(format!(
            "cần đúng một người ký, có {}",
            data.signer_infos.0.len()
        )));
        return None;
    };
    let certificates: Vec<Certificate> = data
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|choice| match choice {
            CertificateChoices::Certificate(certificate) => Some(certificate.clone()),
            CertificateChoices::Other(_) => None,
        })
        .collect();
    let Some(signer) = certificates
        .iter()
        .find(|c| identifies(&signer_info.sid, c))
        .cloned()
    else {
        problems.push(Problem::SignerCertificateMissing);
        return None;
    };
    let Some(digest) = Digest::of_oid(signer_info.digest_alg.oid) else {
        problems.push(Problem::Unsupported(format!(
            "hàm băm {}",
            signer_info.digest_alg.oid
        )));
        return None;
    };
    let encapsulated = &data.encap_content_info;
    let token_content = match expect {
        Expect::Detached { .. } => {
            if encapsulated.econtent.is_some() || encapsulated.econtent_type != ID_DATA {
                problems.push(Problem::Cms(
                    "chữ ký PDF phải tách rời, với nội dung id-data".into(),
                ));
            }
            None
        }
        Expect::Token => {
            let octets = encapsulated
                .econtent
                .as_ref()
                .and_then(|any| any.decode_as::<OctetString>().ok())
                .filter(|_| encapsulated.econtent_type == ID_CT_TST_INFO);
            let Some(octets) = octets else {
                problems.push(Problem::Cms("dấu thời gian không chứa TSTInfo".into()));
                return None;
            };
            Some(octets.into_bytes())
        }
    };
    // The signed bytes stay in pieces: a PDF can be large.
    let (parts, content_type, strict) = match (expect, &token_content) {
        (Expect::Detached { pieces, pades }, _) => (pieces.to_vec(), ID_DATA, pades),
        (Expect::Token, content) => (
            vec![content.as_deref().unwrap_or_default()],
            ID_CT_TST_INFO,
            true,
        ),
    };
    if signer_info.signed_attrs.is_some() {
        let mut hasher = digest.hasher();
        for part in &parts {
            hasher.update(part);
        }
        let expected = Expected {
            content_type,
            digest: hasher.finish(),
            strict,
        };
        check_attributes(signer_info, &expected, &signer, problems);
    } else if strict {
        problems.push(Problem::MissingAttribute("signed attributes"));
    }
    check_signature(signer_info, &signer, digest, &parts, problems);
    let info = signer_info.clone();
    Some(Signed {
        signer,
        certificates,
        digest,
        content: token_content,
        data,
        info,
    })
}

/// What the signed attributes must say.
struct Expected {
    content_type: ObjectIdentifier,
    digest: Vec<u8>,
    /// Whether an ESS signing-certificate attribute is required (PAdES and
    /// RFC 3161 tokens).
    strict: bool,
}

/// The SignedData in `contents`, which may be followed by the zeros that
/// filled the space reserved for it.
fn signed_data(contents: &[u8]) -> Result<SignedData, String> {
    let header = SliceReader::new(contents)
        .and_then(|reader| reader.peek_header())
        .map_err(|e| e.to_string())?;
    let length = (header.encoded_len().map_err(|e| e.to_string())? + header.length)
        .map_err(|e| e.to_string())?;
    let length = usize::try_from(length).map_err(|e| e.to_string())?;
    let (der, padding) = contents.split_at_checked(length).ok_or("DER bị cắt cụt")?;
    if padding.iter().any(|b| *b != 0) {
        return Err("có dữ liệu lạ sau cấu trúc CMS".into());
    }
    let info = ContentInfo::from_der(der).map_err(|e| e.to_string())?;
    if info.content_type != ID_SIGNED_DATA {
        return Err(format!("không phải SignedData mà là {}", info.content_type));
    }
    info.content.decode_as().map_err(|e| e.to_string())
}

fn identifies(sid: &SignerIdentifier, certificate: &Certificate) -> bool {
    let tbs = &certificate.tbs_certificate;
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(id) => {
            id.issuer == tbs.issuer && id.serial_number == tbs.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(id) => {
            matches!(tbs.get::<SubjectKeyIdentifier>(), Ok(Some((_, own))) if own == *id)
        }
    }
}

/// The one value of the signed attribute `oid`, if present once.
fn attribute(info: &SignerInfo, oid: ObjectIdentifier) -> Option<&Any> {
    let mut found = info
        .signed_attrs
        .iter()
        .flat_map(|set| set.iter())
        .filter(|a| a.oid == oid);
    let attribute = found.next()?;
    if found.next().is_some() || attribute.values.len() != 1 {
        return None;
    }
    attribute.values.get(0)
}

fn check_attributes(
    info: &SignerInfo,
    expected: &Expected,
    signer: &Certificate,
    problems: &mut Vec<Problem>,
) {
    match attribute(info, ID_CONTENT_TYPE).map(Any::decode_as::<ObjectIdentifier>) {
        Some(Ok(oid)) if oid == expected.content_type => {}
        Some(_) => problems.push(Problem::Cms(format!(
            "content-type phải là {}",
            expected.content_type
        ))),
        None => problems.push(Problem::MissingAttribute("content-type")),
    }
    match attribute(info, ID_MESSAGE_DIGEST).map(Any::decode_as::<OctetString>) {
        Some(Ok(digest)) if digest.as_bytes() == expected.digest => {}
        Some(_) => problems.push(Problem::DigestMismatch),
        None => problems.push(Problem::MissingAttribute("message-digest")),
    }
    if let Some(value) = attribute(info, ID_AA_SIGNING_CERTIFICATE_V_2) {
        if !names_signer(value, signer) {
            problems.push(Problem::SigningCertificateMismatch);
        }
    } else if expected.strict && attribute(info, ID_AA_SIGNING_CERTIFICATE).is_none() {
        // signing-certificate (v1, SHA-1) also satisfies PAdES; its hash
        // is not checked here, the signature still binds the certificate.
        problems.push(Problem::MissingAttribute("signing-certificate-v2"));
    }
}

/// Whether the first ESSCertIDv2 is the hash of `signer` (RFC 5035 §5.4:
/// the first names the signer's certificate).
fn names_signer(value: &Any, signer: &Certificate) -> bool {
    let Ok(attribute) = value.decode_as::<SigningCertificateV2>() else {
        return false;
    };
    let Some(first) = attribute.certs.first() else {
        return false;
    };
    let digest = match &first.hash_algorithm {
        None => Some(Digest::Sha256),
        Some(algorithm) => Digest::of_oid(algorithm.oid),
    };
    match (digest, signer.to_der()) {
        (Some(digest), Ok(der)) => digest.hash(&der) == first.cert_hash.as_bytes(),
        _ => false,
    }
}

fn check_signature(
    info: &SignerInfo,
    signer: &Certificate,
    digest: Digest,
    parts: &[&[u8]],
    problems: &mut Vec<Problem>,
) {
    let key = &signer.tbs_certificate.subject_public_key_info;
    // Some signers name the key's algorithm (rsaEncryption) rather than
    // the signature's; the digest is then the SignerInfo's.
    let algorithm = match info.signature_algorithm.oid {
        RSA_ENCRYPTION | ID_EC_PUBLIC_KEY => match key_spec_of(key) {
            Ok(spec) => SignatureAlgorithm { key: spec, digest }.identifier(),
            Err(e) => {
                problems.push(Problem::Unsupported(e.to_string()));
                return;
            }
        },
        _ => info.signature_algorithm.clone(),
    };
    let message = match &info.signed_attrs {
        Some(attributes) => match attributes.to_der() {
            Ok(der) => der,
            Err(e) => {
                problems.push(Problem::Cms(e.to_string()));
                return;
            }
        },
        None => parts.concat(),
    };
    match verify_signature(key, &algorithm, &message, info.signature.as_bytes()) {
        Ok(()) => {}
        Err(pki::Error::BadSignature) => problems.push(Problem::BadSignature),
        Err(e) => problems.push(Problem::Unsupported(e.to_string())),
    }
}
