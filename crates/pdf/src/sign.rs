//! Signing, PAdES baseline B-B and B-T (ETSI EN 319 142-1 §6.3): an
//! incremental update adds the signature field and a signature dictionary
//! (`/SubFilter /ETSI.CAdES.detached`) with room for the signature
//! ([`crate::reserve`]). The two ranges are hashed piece by piece, and a
//! detached CMS SignedData over them ([`pki::cms`]: content-type,
//! message-digest, signing-certificate-v2, no signing-time — the claimed
//! time is `/M`) fills the reserved string; for B-T the CMS first gets a
//! signature-time-stamp over its signature value
//! ([`crate::timestamp`]).
//!
//! In two steps so the key can be elsewhere: [`prepare`] writes the file
//! and hashes it, the key signs [`Prepared::signed_attributes`], and
//! [`complete`] checks that signature against the certificate, adds the
//! signature timestamp if given a [`Timestamper`] (the token is fetched
//! only then, over the signature value) and patches the CMS in. [`sign`]
//! and [`sign_timestamped`] do both with a key at hand.

use const_oid::db::rfc5911::ID_DATA;
use der::{Decode, Encode};
use lopdf::{Object, StringFormat, text_string};
use pki::algorithm::SignatureAlgorithm;
use pki::cms::{Content, SignedAttributes};
use pki::verify::{key_spec_of, verify_signature};
use pki::{CaKey, Digest};
use time::OffsetDateTime;
use x509_cert::Certificate;

use crate::chain;
use crate::edit::Appearance;
use crate::reserve::{Reserved, Room, reserve};
use crate::syntax::{date, object_bytes};
use crate::timestamp::{TOKEN_ROOM, Timestamper, add_signature_timestamp};
use crate::{Error, Limits};

/// Room for the CMS besides its certificates: signed attributes, the
/// signature (RSA-4096's 512 bytes at most) and the structure around them.
const CMS_OVERHEAD: usize = 4096;

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
    /// The page the signature field sits on, from 1.
    pub page: usize,
    /// What the signature shows on that page; invisible if `None`.
    pub appearance: Option<Appearance>,
    /// The field's name; the first free `SignatureN` if `None`.
    pub field_name: Option<String>,
    pub reason: Option<String>,
    pub location: Option<String>,
    /// Bytes reserved for the CMS; by default the certificates' size plus
    /// [`CMS_OVERHEAD`], and [`TOKEN_ROOM`] more if `timestamp`.
    pub capacity: Option<usize>,
    /// Whether a signature timestamp will be added (B-T): reserves room
    /// for its token.
    pub timestamp: bool,
    pub limits: Limits,
}

impl SignOptions {
    /// Signing at `at` on page 1, with defaults for the rest.
    pub fn new(at: OffsetDateTime) -> Self {
        Self {
            at,
            page: 1,
            appearance: None,
            field_name: None,
            reason: None,
            location: None,
            capacity: None,
            timestamp: false,
            limits: Limits::default(),
        }
    }
}

/// A file written with its signature reserved, waiting for the signer's
/// signature over [`Prepared::signed_attributes`].
#[derive(Debug, Clone)]
pub struct Prepared {
    reserved: Reserved,
    claim: Claim,
}

impl Prepared {
    /// `[0, a, b, c]`: the signed bytes are `0..a` and `b..b+c`.
    pub fn byte_range(&self) -> [usize; 4] {
        self.reserved.byte_range
    }

    /// The hash of the signed bytes.
    pub fn document_digest(&self) -> &[u8] {
        &self.claim.document_digest
    }

    pub fn digest(&self) -> Digest {
        self.claim.digest
    }

    /// The name of the signature field added.
    pub fn field_name(&self) -> &str {
        &self.reserved.field_name
    }

    /// What the signer's key signs (with [`Prepared::digest`]): the DER
    /// SET of signed attributes. The same every time it is asked for, as
    /// no attribute depends on the moment.
    pub fn signed_attributes(&self) -> Result<Vec<u8>, Error> {
        self.claim.signed_attributes()
    }
}

/// What a signature claims, the signed bytes hashed: all the CMS is made
/// of but the signer's signature.
#[derive(Debug, Clone)]
pub(crate) struct Claim {
    digest: Digest,
    document_digest: Vec<u8>,
    algorithm: SignatureAlgorithm,
    /// The signer's certificate first, then its chain.
    certificates: Vec<Certificate>,
}

impl Claim {
    /// The DER SET of signed attributes, what the signer's key signs.
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

    /// The signature of `signer`, whose key must be the certificate's.
    pub fn sign(&self, signer: &Signer<'_>) -> Result<Vec<u8>, Error> {
        let certificate = &self.certificates[0];
        if signer.key.public_key() != &certificate.tbs_certificate.subject_public_key_info {
            return Err(Error::Certificate(
                "khóa ký không phải khóa của chứng thư".into(),
            ));
        }
        Ok(signer.key.sign(signer.digest, &self.signed_attributes()?)?)
    }

    /// The CMS (DER) with `signature` (the signer's, over
    /// [`Claim::signed_attributes`]), refused if it does not verify under
    /// the signer's certificate; with a signature timestamp from
    /// `timestamper` if given.
    pub fn cms(
        &self,
        signature: &[u8],
        timestamper: Option<&dyn Timestamper>,
    ) -> Result<Vec<u8>, Error> {
        let attributes = self.attributes()?;
        let signer = &self.certificates[0];
        verify_signature(
            &signer.tbs_certificate.subject_public_key_info,
            &self.algorithm.identifier(),
            &attributes.to_der()?,
            signature,
        )?;
        let info = pki::cms::assemble(
            attributes,
            signer,
            self.algorithm,
            signature,
            &Content {
                content_type: ID_DATA,
                encapsulated: None,
                certificates: &self.certificates,
            },
        )?;
        let info = match timestamper {
            Some(timestamper) => add_signature_timestamp(&info, timestamper)?,
            None => info,
        };
        Ok(info.to_der()?)
    }
}

/// What signing needs before the file is written: the certificates (the
/// signer's first, a self-signed root left out), the algorithm, the
/// signature dictionary's head and the room for the CMS.
pub(crate) struct Plan {
    digest: Digest,
    algorithm: SignatureAlgorithm,
    certificates: Vec<Certificate>,
    pub head: Vec<u8>,
    capacity: usize,
}

impl Plan {
    /// The plan for the holder of `certificate` (DER, `chain` above it)
    /// signing with `digest`.
    pub fn new(
        certificate: &[u8],
        chain: &[Vec<u8>],
        digest: Digest,
        options: &SignOptions,
    ) -> Result<Self, Error> {
        let read = |der: &[u8]| {
            Certificate::from_der(der)
                .map_err(|e| Error::Certificate(format!("không đọc được: {e}")))
        };
        let mut certificates = vec![read(certificate)?];
        for der in chain {
            let ca = read(der)?;
            if !chain::self_signed(&ca) {
                certificates.push(ca);
            }
        }
        let algorithm = key_spec_of(&certificates[0].tbs_certificate.subject_public_key_info)?
            .signature(digest)?;
        let capacity = options.capacity.unwrap_or_else(|| {
            let room = if options.timestamp { TOKEN_ROOM } else { 0 };
            CMS_OVERHEAD + room + certificate.len() + chain.iter().map(Vec::len).sum::<usize>()
        });
        Ok(Self {
            digest,
            algorithm,
            certificates,
            head: head(options)?,
            capacity,
        })
    }

    /// Where the field goes and how much room the CMS gets.
    pub fn room<'a>(&self, options: &'a SignOptions) -> Room<'a> {
        Room {
            page: options.page,
            field_name: options.field_name.as_deref(),
            appearance: options.appearance.as_ref(),
            capacity: self.capacity,
            limits: &options.limits,
        }
    }

    /// A hasher for the signed bytes.
    pub fn hasher(&self) -> pki::algorithm::Hasher {
        self.digest.hasher()
    }

    /// The claim over signed bytes whose hash is `document_digest`.
    pub fn claim(self, document_digest: Vec<u8>) -> Claim {
        Claim {
            digest: self.digest,
            document_digest,
            algorithm: self.algorithm,
            certificates: self.certificates,
        }
    }
}

/// Signs `original` in one step with the signer's key at hand (B-B).
pub fn sign(original: &[u8], signer: &Signer<'_>, options: &SignOptions) -> Result<Vec<u8>, Error> {
    sign_timestamped(original, signer, options, None)
}

/// [`sign`], with a signature timestamp from `timestamper` if given (B-T;
/// set [`SignOptions::timestamp`] so there is room for it).
pub fn sign_timestamped(
    original: &[u8],
    signer: &Signer<'_>,
    options: &SignOptions,
    timestamper: Option<&dyn Timestamper>,
) -> Result<Vec<u8>, Error> {
    let prepared = prepare(
        original,
        &signer.certificate,
        &signer.chain,
        signer.digest,
        options,
    )?;
    let signature = prepared.claim.sign(signer)?;
    complete(prepared, &signature, timestamper)
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
    let plan = Plan::new(certificate, chain, digest, options)?;
    let reserved = reserve(original, &plan.head, plan.room(options))?;
    Ok(Prepared {
        claim: plan.claim(reserved.hash(digest)),
        reserved,
    })
}

/// Puts `signature` (the signer's, over [`Prepared::signed_attributes`])
/// into the CMS and the CMS into the file; a signature that does not
/// verify under the signer's certificate is refused. With a
/// `timestamper`, the CMS gets a signature timestamp first (B-T).
pub fn complete(
    prepared: Prepared,
    signature: &[u8],
    timestamper: Option<&dyn Timestamper>,
) -> Result<Vec<u8>, Error> {
    let cms = prepared.claim.cms(signature, timestamper)?;
    prepared.reserved.fill(&cms)
}

/// The signature dictionary's entries before its `/ByteRange`.
fn head(options: &SignOptions) -> Result<Vec<u8>, Error> {
    let mut bytes = b"/Type/Sig/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached/M".to_vec();
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
    Ok(bytes)
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
                .claim
                .certificates
                .iter()
                .map(Encode::to_der)
                .collect::<Result<_, _>>()?,
            bytes: self.reserved.bytes,
            byte_range: self.reserved.byte_range,
            digest: self.claim.digest,
            field_name: self.reserved.field_name,
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
        let reserved = Reserved {
            bytes: parts.bytes,
            byte_range: parts.byte_range,
            field_name: parts.field_name,
        };
        Ok(Self {
            claim: Claim {
                digest: parts.digest,
                document_digest: reserved.hash(parts.digest),
                algorithm,
                certificates,
            },
            reserved,
        })
    }
}
