//! Signing, PAdES baseline B-B (ETSI EN 319 142-1 §6.3): an incremental
//! update adds the signature field and a signature dictionary
//! (`/SubFilter /ETSI.CAdES.detached`) whose `/Contents` is reserved as a
//! zero-filled hex string and whose `/ByteRange` (every byte of the file
//! but that string) is patched in once the file is written. The two
//! ranges are hashed piece by piece, and a detached CMS SignedData over
//! them ([`pki::cms`]: content-type, message-digest,
//! signing-certificate-v2, no signing-time — the claimed time is `/M`)
//! fills the reserved string.
//!
//! In two steps so the key can be elsewhere: [`prepare`] writes the file
//! and hashes it, the key signs [`Prepared::signed_attributes`], and
//! [`complete`] checks that signature against the certificate and patches
//! the CMS in. [`sign`] does both with a key at hand.

use std::collections::BTreeMap;

use const_oid::db::rfc5911::ID_DATA;
use der::{Decode, Encode};
use lopdf::{Object, StringFormat, text_string};
use pki::algorithm::SignatureAlgorithm;
use pki::cms::{Content, SignedAttributes};
use pki::verify::{key_spec_of, verify_signature};
use pki::{CaKey, Digest};
use time::OffsetDateTime;
use x509_cert::Certificate;

use crate::load::{load, xref_agrees};
use crate::syntax::{date, object_bytes};
use crate::update::{append, first_free};
use crate::{Error, Limits, edit};

/// Room for the CMS besides its certificates: signed attributes, the
/// signature (RSA-4096's 512 bytes at most) and the structure around them.
const CMS_OVERHEAD: usize = 4096;
/// Each `/ByteRange` number is written in this many digits (zero-padded),
/// so patching it in does not move anything.
const RANGE_DIGITS: usize = 10;
/// The largest offset [`RANGE_DIGITS`] digits can write.
const MAX_OFFSET: usize = 9_999_999_999;

/// Who signs: the key, the digest it signs with, its certificate and the
/// chain above it, all DER. A self-signed root in the chain is left out of
/// the signature, as pyHanko does: a relying party must hold it already as
/// a trust anchor, and a copy in the file proves nothing.
pub struct Signer<'a> {
    pub key: &'a dyn CaKey,
    pub digest: Digest,
    pub certificate: Vec<u8>,
    pub chain: Vec<Vec<u8>>,
}

impl std::fmt::Debug for Signer<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("key", &self.key.spec())
            .field("digest", &self.digest)
            .finish_non_exhaustive()
    }
}

/// How to sign.
#[derive(Debug, Clone)]
pub struct SignOptions {
    /// The claimed signing moment, written as `/M` (the crate reads no
    /// clock).
    pub at: OffsetDateTime,
    /// The page the (invisible) signature field sits on, from 1.
    pub page: usize,
    /// The field's name; the first free `SignatureN` if `None`.
    pub field_name: Option<String>,
    pub reason: Option<String>,
    pub location: Option<String>,
    /// Bytes reserved for the CMS; by default the certificates' size plus
    /// [`CMS_OVERHEAD`].
    pub capacity: Option<usize>,
    pub limits: Limits,
}

impl SignOptions {
    /// Signing at `at` on page 1, with defaults for the rest.
    pub fn new(at: OffsetDateTime) -> Self {
        Self {
            at,
            page: 1,
            field_name: None,
            reason: None,
            location: None,
            capacity: None,
            limits: Limits::default(),
        }
    }
}

/// A file written with its signature reserved, waiting for the signer's
/// signature over [`Prepared::signed_attributes`].
#[derive(Debug, Clone)]
pub struct Prepared {
    bytes: Vec<u8>,
    byte_range: [usize; 4],
    digest: Digest,
    document_digest: Vec<u8>,
    algorithm: SignatureAlgorithm,
    /// The signer's certificate first, then its chain.
    certificates: Vec<Certificate>,
    field_name: String,
}

impl Prepared {
    /// `[0, a, b, c]`: the signed bytes are `0..a` and `b..b+c`.
    pub fn byte_range(&self) -> [usize; 4] {
        self.byte_range
    }

    /// The hash of the signed bytes.
    pub fn document_digest(&self) -> &[u8] {
        &self.document_digest
    }

    pub fn digest(&self) -> Digest {
        self.digest
    }

    /// The name of the signature field added.
    pub fn field_name(&self) -> &str {
        &self.field_name
    }

    /// What the signer's key signs (with [`Prepared::digest`]): the DER
    /// SET of signed attributes. The same every time it is asked for, as
    /// no attribute depends on the moment.
    pub fn signed_attributes(&self) -> Result<Vec<u8>, Error> {
        Ok(self.attributes()?.to_der()?)
    }

    fn attributes(&self) -> Result<SignedAttributes, Error> {
        let signer = self
            .certificates
            .first()
            .ok_or_else(|| Error::Certificate("thiếu chứng thư ký".into()))?;
        Ok(SignedAttributes::new(
            ID_DATA,
            self.digest,
            &self.document_digest,
            signer,
        )?)
    }
}

/// Signs `original` in one step with the signer's key at hand.
pub fn sign(original: &[u8], signer: &Signer<'_>, options: &SignOptions) -> Result<Vec<u8>, Error> {
    let prepared = prepare(
        original,
        &signer.certificate,
        &signer.chain,
        signer.digest,
        options,
    )?;
    let certificate = &prepared.certificates[0];
    if signer.key.public_key() != &certificate.tbs_certificate.subject_public_key_info {
        return Err(Error::Certificate(
            "khóa ký không phải khóa của chứng thư".into(),
        ));
    }
    let signature = signer
        .key
        .sign(signer.digest, &prepared.signed_attributes()?)?;
    complete(prepared, &signature)
}

/// Writes `original` with a signature field and a reserved signature by
/// the holder of `certificate` (DER, `chain` above it), and hashes it with
/// `digest`.
pub fn prepare(
    original: &[u8],
    certificate: &[u8],
    chain: &[Vec<u8>],
    digest: Digest,
    options: &SignOptions,
) -> Result<Prepared, Error> {
    let read = |der: &[u8]| {
        Certificate::from_der(der).map_err(|e| Error::Certificate(format!("không đọc được: {e}")))
    };
    let mut certificates = vec![read(certificate)?];
    for der in chain {
        let ca = read(der)?;
        if !self_signed(&ca) {
            certificates.push(ca);
        }
    }
    let algorithm =
        key_spec_of(&certificates[0].tbs_certificate.subject_public_key_info)?.signature(digest)?;
    let capacity = options.capacity.unwrap_or_else(|| {
        CMS_OVERHEAD + certificate.len() + chain.iter().map(Vec::len).sum::<usize>()
    });

    let doc = load(original, &options.limits)?;
    if doc.xref_recovery.is_some() || !xref_agrees(original, &doc) {
        return Err(Error::Malformed(
            "bảng tham chiếu chéo không khớp các đối tượng; hãy lưu lại tệp bằng một trình đọc PDF rồi ký".into(),
        ));
    }
    let added = edit::signature_field(
        &doc,
        options.page,
        options.field_name.as_deref(),
        first_free(&doc),
        &options.limits,
    )?;
    let mut bodies = added
        .objects
        .iter()
        .map(|(id, object)| Ok((*id, object_bytes(object)?)))
        .collect::<Result<BTreeMap<_, _>, Error>>()?;
    let SignatureBody {
        bytes: body,
        byte_range_at,
        contents_at,
    } = SignatureBody::new(options, capacity)?;
    bodies.insert(added.signature, body);
    let written = append(original, &doc, &bodies)?;
    drop(doc);

    let start = written
        .bodies
        .get(&added.signature)
        .copied()
        .ok_or_else(|| Error::Malformed("chữ ký không được ghi vào tệp".into()))?;
    let mut bytes = written.bytes;
    let gap_start = start + contents_at;
    let gap_end = gap_start + 2 * capacity + 2;
    let byte_range = [0, gap_start, gap_end, bytes.len() - gap_end];
    let mut at = start + byte_range_at;
    for value in &byte_range[1..] {
        let digits = format!("{value:0RANGE_DIGITS$}");
        if digits.len() != RANGE_DIGITS {
            return Err(Error::TooLarge {
                size: bytes.len(),
                max: MAX_OFFSET,
            });
        }
        bytes[at..at + RANGE_DIGITS].copy_from_slice(digits.as_bytes());
        at += RANGE_DIGITS + 1;
    }
    let mut hasher = digest.hasher();
    hasher.update(&bytes[..gap_start]);
    hasher.update(&bytes[gap_end..]);
    Ok(Prepared {
        bytes,
        byte_range,
        digest,
        document_digest: hasher.finish(),
        algorithm,
        certificates,
        field_name: added.field_name,
    })
}

/// Puts `signature` (the signer's, over [`Prepared::signed_attributes`])
/// into the CMS and the CMS into the file; a signature that does not
/// verify under the signer's certificate is refused.
pub fn complete(prepared: Prepared, signature: &[u8]) -> Result<Vec<u8>, Error> {
    let attributes = prepared.attributes()?;
    let signer = &prepared.certificates[0];
    verify_signature(
        &signer.tbs_certificate.subject_public_key_info,
        &prepared.algorithm.identifier(),
        &attributes.to_der()?,
        signature,
    )?;
    let info = pki::cms::assemble(
        attributes,
        signer,
        prepared.algorithm,
        signature,
        &Content {
            content_type: ID_DATA,
            encapsulated: None,
            certificates: &prepared.certificates,
        },
    )?;
    let der = info.to_der()?;
    let [_, gap_start, gap_end, _] = prepared.byte_range;
    let capacity = (gap_end - gap_start - 2) / 2;
    if der.len() > capacity {
        return Err(Error::SignatureTooLarge {
            size: der.len(),
            capacity,
        });
    }
    let mut bytes = prepared.bytes;
    let hex = &mut bytes[gap_start + 1..gap_start + 1 + 2 * der.len()];
    for (pair, byte) in hex.chunks_exact_mut(2).zip(&der) {
        pair.copy_from_slice(format!("{byte:02x}").as_bytes());
    }
    Ok(bytes)
}

fn self_signed(certificate: &Certificate) -> bool {
    let tbs = &certificate.tbs_certificate;
    tbs.subject == tbs.issuer
        && tbs.to_der().is_ok_and(|der| {
            verify_signature(
                &tbs.subject_public_key_info,
                &certificate.signature_algorithm,
                &der,
                certificate.signature.raw_bytes(),
            )
            .is_ok()
        })
}

/// The signature dictionary as written, with where its placeholders are.
struct SignatureBody {
    bytes: Vec<u8>,
    /// The first digit of the second `/ByteRange` number.
    byte_range_at: usize,
    /// The `<` opening `/Contents`.
    contents_at: usize,
}

impl SignatureBody {
    fn new(options: &SignOptions, capacity: usize) -> Result<Self, Error> {
        let mut bytes =
            b"<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached/M".to_vec();
        bytes.extend(object_bytes(&Object::String(
            date(options.at).into_bytes(),
            StringFormat::Literal,
        ))?);
        for (key, text) in [
            (&b"/Reason"[..], &options.reason),
            (b"/Location", &options.location),
        ] {
            if let Some(text) = text {
                bytes.extend_from_slice(key);
                bytes.extend(object_bytes(&text_string(text))?);
            }
        }
        bytes.extend_from_slice(b"/ByteRange[0 ");
        let byte_range_at = bytes.len();
        let placeholder = "0".repeat(RANGE_DIGITS);
        bytes.extend_from_slice(format!("{placeholder} {placeholder} {placeholder}]").as_bytes());
        bytes.extend_from_slice(b"/Contents");
        let contents_at = bytes.len();
        bytes.push(b'<');
        bytes.resize(bytes.len() + 2 * capacity, b'0');
        bytes.extend_from_slice(b">>>");
        Ok(Self {
            bytes,
            byte_range_at,
            contents_at,
        })
    }
}

/// A [`Prepared`] taken apart, so that a server can keep it (the file in
/// its blob store, the rest in a row) while the signer's token signs, and
/// rebuild it for [`complete`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedParts {
    /// The file with its signature reserved.
    pub bytes: Vec<u8>,
    pub byte_range: [usize; 4],
    pub digest: Digest,
    /// The signer's certificate first, then its chain, DER.
    pub certificates: Vec<Vec<u8>>,
    pub field_name: String,
}

impl Prepared {
    /// Takes the prepared file apart for keeping.
    pub fn into_parts(self) -> Result<PreparedParts, Error> {
        Ok(PreparedParts {
            certificates: self
                .certificates
                .iter()
                .map(Encode::to_der)
                .collect::<Result<_, _>>()?,
            bytes: self.bytes,
            byte_range: self.byte_range,
            digest: self.digest,
            field_name: self.field_name,
        })
    }

    /// Rebuilds a prepared file from its parts. The parts are checked as
    /// far as they can be: the byte range must be the file's with a
    /// reserved `/Contents` gap, and the hash is computed again, so kept
    /// parts that were altered do not yield a signature over other bytes.
    pub fn from_parts(parts: PreparedParts) -> Result<Self, Error> {
        let [start, gap_start, gap_end, tail] = parts.byte_range;
        let gap = parts.bytes.get(gap_start..gap_end);
        if start != 0
            || gap_end.checked_add(tail) != Some(parts.bytes.len())
            || !gap.is_some_and(|g| g.len() > 2 && g[0] == b'<' && g[g.len() - 1] == b'>')
        {
            return Err(Error::Malformed(
                "phạm vi ký không khớp tệp đã chuẩn bị".into(),
            ));
        }
        let certificates = parts
            .certificates
            .iter()
            .map(|der| Certificate::from_der(der))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Error::Certificate(format!("không đọc được: {e}")))?;
        let signer = certificates
            .first()
            .ok_or_else(|| Error::Certificate("thiếu chứng thư ký".into()))?;
        let algorithm = key_spec_of(&signer.tbs_certificate.subject_public_key_info)?
            .signature(parts.digest)?;
        let mut hasher = parts.digest.hasher();
        hasher.update(&parts.bytes[..gap_start]);
        hasher.update(&parts.bytes[gap_end..]);
        Ok(Self {
            document_digest: hasher.finish(),
            bytes: parts.bytes,
            byte_range: parts.byte_range,
            digest: parts.digest,
            algorithm,
            certificates,
            field_name: parts.field_name,
        })
    }
}
