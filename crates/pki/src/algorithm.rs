//! Key types and digests the CA signs with, and the algorithm identifiers
//! that name them inside certificates, CRLs, OCSP answers and timestamps.
//!
//! ECDSA keys sign with the digest of their own size (P-256 with SHA-256,
//! P-384 with SHA-384), as RFC 5480 recommends; RSA keys take either.

use std::fmt;
use std::str::FromStr;

use const_oid::db::{rfc5912, rfc5912::ID_EC_PUBLIC_KEY};
use der::asn1::Null;
use der::oid::ObjectIdentifier;
use spki::AlgorithmIdentifierOwned;

use crate::Error;

/// The kind and size of a key pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeySpec {
    Rsa2048,
    Rsa3072,
    Rsa4096,
    EcP256,
    EcP384,
}

impl KeySpec {
    pub const ALL: [Self; 5] = [
        Self::Rsa2048,
        Self::Rsa3072,
        Self::Rsa4096,
        Self::EcP256,
        Self::EcP384,
    ];

    /// The name used in configuration and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::Rsa2048 => "rsa2048",
            Self::Rsa3072 => "rsa3072",
            Self::Rsa4096 => "rsa4096",
            Self::EcP256 => "p256",
            Self::EcP384 => "p384",
        }
    }

    pub fn is_rsa(self) -> bool {
        matches!(self, Self::Rsa2048 | Self::Rsa3072 | Self::Rsa4096)
    }

    /// RSA modulus bits, or the curve's field size.
    pub fn bits(self) -> u32 {
        match self {
            Self::Rsa2048 => 2048,
            Self::Rsa3072 => 3072,
            Self::Rsa4096 => 4096,
            Self::EcP256 => 256,
            Self::EcP384 => 384,
        }
    }

    /// The RSA key of `bits` modulus bits, if it is one the CA accepts.
    pub fn rsa_of_bits(bits: usize) -> Option<Self> {
        match bits {
            2048 => Some(Self::Rsa2048),
            3072 => Some(Self::Rsa3072),
            4096 => Some(Self::Rsa4096),
            _ => None,
        }
    }

    /// The digest this key signs with when the choice is the key's own
    /// (ECDSA), or the default for RSA.
    pub fn natural_digest(self) -> Digest {
        match self {
            Self::EcP384 => Digest::Sha384,
            _ => Digest::Sha256,
        }
    }

    /// The curve's OID, for EC keys.
    pub(crate) fn curve(self) -> Option<ObjectIdentifier> {
        match self {
            Self::EcP256 => Some(rfc5912::SECP_256_R_1),
            Self::EcP384 => Some(rfc5912::SECP_384_R_1),
            _ => None,
        }
    }

    /// The EC key on `curve`, if the CA accepts that curve.
    pub(crate) fn of_curve(curve: ObjectIdentifier) -> Option<Self> {
        [Self::EcP256, Self::EcP384]
            .into_iter()
            .find(|spec| spec.curve() == Some(curve))
    }

    /// The algorithm this key signs with under `digest`, or an error for a
    /// pairing the CA does not use (P-256 with SHA-384, say).
    pub fn signature(self, digest: Digest) -> Result<SignatureAlgorithm, Error> {
        if !self.is_rsa() && digest != self.natural_digest() {
            return Err(Error::Unsupported(format!(
                "khóa {} ký với {}, không với {}",
                self.name(),
                self.natural_digest().name(),
                digest.name()
            )));
        }
        Ok(SignatureAlgorithm { key: self, digest })
    }
}

impl fmt::Display for KeySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for KeySpec {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        Self::ALL
            .into_iter()
            .find(|spec| spec.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                Error::Unsupported(format!(
                    "loại khóa «{s}» không dùng được; chọn một trong: rsa2048, rsa3072, rsa4096, p256, p384"
                ))
            })
    }
}

/// A hash function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Digest {
    Sha256,
    Sha384,
}

impl Digest {
    pub fn name(self) -> &'static str {
        match self {
            Self::Sha256 => "sha256",
            Self::Sha384 => "sha384",
        }
    }

    pub fn oid(self) -> ObjectIdentifier {
        match self {
            Self::Sha256 => rfc5912::ID_SHA_256,
            Self::Sha384 => rfc5912::ID_SHA_384,
        }
    }

    /// The digest an OID names, among those the CA computes.
    pub fn of_oid(oid: ObjectIdentifier) -> Option<Self> {
        [Self::Sha256, Self::Sha384]
            .into_iter()
            .find(|digest| digest.oid() == oid)
    }

    /// The identifier with NULL parameters, as RFC 5754 allows and as
    /// OpenSSL writes it.
    pub fn identifier(self) -> AlgorithmIdentifierOwned {
        AlgorithmIdentifierOwned {
            oid: self.oid(),
            parameters: Some(Null.into()),
        }
    }

    pub fn output_len(self) -> usize {
        match self {
            Self::Sha256 => 32,
            Self::Sha384 => 48,
        }
    }

    pub fn hash(self, data: &[u8]) -> Vec<u8> {
        aws_lc_rs::digest::digest(self.algorithm(), data)
            .as_ref()
            .to_vec()
    }

    /// A hash computed piece by piece, for data too large to hold at once
    /// (a PDF's signed byte ranges).
    pub fn hasher(self) -> Hasher {
        Hasher(aws_lc_rs::digest::Context::new(self.algorithm()))
    }

    fn algorithm(self) -> &'static aws_lc_rs::digest::Algorithm {
        match self {
            Self::Sha256 => &aws_lc_rs::digest::SHA256,
            Self::Sha384 => &aws_lc_rs::digest::SHA384,
        }
    }
}

/// A hash being computed; see [`Digest::hasher`].
#[derive(Clone)]
pub struct Hasher(aws_lc_rs::digest::Context);

impl Hasher {
    pub fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }

    pub fn finish(self) -> Vec<u8> {
        self.0.finish().as_ref().to_vec()
    }
}

impl fmt::Debug for Hasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Hasher")
    }
}

impl FromStr for Digest {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        match s.trim().to_ascii_lowercase().replace('-', "").as_str() {
            "sha256" => Ok(Self::Sha256),
            "sha384" => Ok(Self::Sha384),
            _ => Err(Error::Unsupported(format!(
                "hàm băm «{s}» không dùng được; chọn sha256 hoặc sha384"
            ))),
        }
    }
}

/// A key kind with the digest it signs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignatureAlgorithm {
    pub key: KeySpec,
    pub digest: Digest,
}

impl SignatureAlgorithm {
    pub fn oid(self) -> ObjectIdentifier {
        match (self.key.is_rsa(), self.digest) {
            (true, Digest::Sha256) => rfc5912::SHA_256_WITH_RSA_ENCRYPTION,
            (true, Digest::Sha384) => rfc5912::SHA_384_WITH_RSA_ENCRYPTION,
            (false, Digest::Sha256) => rfc5912::ECDSA_WITH_SHA_256,
            (false, Digest::Sha384) => rfc5912::ECDSA_WITH_SHA_384,
        }
    }

    /// RSA identifiers carry NULL parameters (RFC 4055); ECDSA ones carry
    /// none (RFC 5758).
    pub fn identifier(self) -> AlgorithmIdentifierOwned {
        AlgorithmIdentifierOwned {
            oid: self.oid(),
            parameters: self.key.is_rsa().then(|| Null.into()),
        }
    }

    /// The algorithm an identifier names, as far as its digest goes; the key
    /// kind comes from the signer's public key.
    pub fn digest_of(oid: ObjectIdentifier) -> Option<(bool, Digest)> {
        match oid {
            rfc5912::SHA_256_WITH_RSA_ENCRYPTION => Some((true, Digest::Sha256)),
            rfc5912::SHA_384_WITH_RSA_ENCRYPTION => Some((true, Digest::Sha384)),
            rfc5912::ECDSA_WITH_SHA_256 => Some((false, Digest::Sha256)),
            rfc5912::ECDSA_WITH_SHA_384 => Some((false, Digest::Sha384)),
            _ => None,
        }
    }
}

/// The OID of an EC public key, for matching a SubjectPublicKeyInfo.
pub(crate) const EC_PUBLIC_KEY: ObjectIdentifier = ID_EC_PUBLIC_KEY;
/// The OID of an RSA public key.
pub(crate) const RSA_PUBLIC_KEY: ObjectIdentifier = rfc5912::RSA_ENCRYPTION;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_refused() {
        for spec in KeySpec::ALL {
            assert_eq!(spec.name().parse::<KeySpec>().ok(), Some(spec));
        }
        assert!("dsa1024".parse::<KeySpec>().is_err());
        assert_eq!("SHA-384".parse::<Digest>().ok(), Some(Digest::Sha384));
        assert!("md5".parse::<Digest>().is_err());
    }

    #[test]
    fn a_hash_in_pieces_is_the_hash_of_the_whole() {
        for digest in [Digest::Sha256, Digest::Sha384] {
            let mut hasher = digest.hasher();
            hasher.update("ký ".as_bytes());
            hasher.update(b"");
            hasher.update("số".as_bytes());
            assert_eq!(hasher.finish(), digest.hash("ký số".as_bytes()));
        }
    }

    #[test]
    fn ecdsa_keys_sign_only_with_their_own_digest() {
        assert!(KeySpec::EcP256.signature(Digest::Sha384).is_err());
        assert!(KeySpec::EcP384.signature(Digest::Sha384).is_ok());
        assert!(KeySpec::Rsa2048.signature(Digest::Sha384).is_ok());
        assert_eq!(
            KeySpec::Rsa3072
                .signature(Digest::Sha256)
                .map(SignatureAlgorithm::oid)
                .ok(),
            Some(rfc5912::SHA_256_WITH_RSA_ENCRYPTION)
        );
    }
}
