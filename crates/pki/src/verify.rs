//! Checking signatures made by others: a CSR's proof of possession, a
//! certificate's signature by its issuer. Also what counts as a strong
//! enough public key.

use aws_lc_rs::signature::{self, UnparsedPublicKey, VerificationAlgorithm};
use der::asn1::{ObjectIdentifier, UintRef};
use der::{Decode, Sequence};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use crate::Error;
use crate::algorithm::{Digest, EC_PUBLIC_KEY, KeySpec, RSA_PUBLIC_KEY, SignatureAlgorithm};

/// PKCS #1 `RSAPublicKey`.
#[derive(Sequence)]
pub(crate) struct RsaPublicKey<'a> {
    pub(crate) modulus: UintRef<'a>,
    pub(crate) public_exponent: UintRef<'a>,
}

/// The kind and size of a public key, if the CA accepts it: RSA of 2048,
/// 3072 or 4096 bits with an odd exponent of at least 65537, or ECDSA on
/// P-256 or P-384. Anything else is a weak or unsupported key.
pub fn key_spec_of(key: &SubjectPublicKeyInfoOwned) -> Result<KeySpec, Error> {
    let bits = key.subject_public_key.raw_bytes();
    match key.algorithm.oid {
        RSA_PUBLIC_KEY => {
            let rsa = RsaPublicKey::from_der(bits)
                .map_err(|e| Error::Malformed(format!("khóa công khai RSA hỏng: {e}")))?;
            let modulus_bits = bit_length(rsa.modulus.as_bytes());
            let exponent = rsa.public_exponent.as_bytes();
            let exponent_ok = exponent.last().is_some_and(|b| b & 1 == 1)
                && (exponent.len() > 3 || (exponent.len() == 3 && exponent >= &[1, 0, 1][..]));
            if !exponent_ok {
                return Err(Error::WeakKey(
                    "số mũ công khai RSA phải lẻ và không nhỏ hơn 65537".into(),
                ));
            }
            KeySpec::rsa_of_bits(modulus_bits).ok_or_else(|| {
                Error::WeakKey(format!(
                    "khóa RSA {modulus_bits} bit không được chấp nhận; cần 2048, 3072 hoặc 4096 bit"
                ))
            })
        }
        EC_PUBLIC_KEY => {
            let curve = key
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
                .ok_or_else(|| Error::Malformed("khóa EC không nêu đường cong".into()))?;
            KeySpec::of_curve(curve).ok_or_else(|| {
                Error::WeakKey(format!(
                    "đường cong {curve} không được chấp nhận; cần P-256 hoặc P-384"
                ))
            })
        }
        other => Err(Error::WeakKey(format!(
            "loại khóa {other} không được chấp nhận; cần RSA hoặc ECDSA"
        ))),
    }
}

fn bit_length(big_endian: &[u8]) -> usize {
    let trimmed: &[u8] = match big_endian.iter().position(|&b| b != 0) {
        Some(start) => &big_endian[start..],
        None => &[],
    };
    match trimmed.first() {
        Some(first) => trimmed.len() * 8 - first.leading_zeros() as usize,
        None => 0,
    }
}

/// Checks that `signature` over `data` was made by `key` with `algorithm`.
pub fn verify_signature(
    key: &SubjectPublicKeyInfoOwned,
    algorithm: &AlgorithmIdentifierOwned,
    data: &[u8],
    signature: &[u8],
) -> Result<(), Error> {
    let spec = key_spec_of(key)?;
    let (is_rsa, digest) = SignatureAlgorithm::digest_of(algorithm.oid).ok_or_else(|| {
        Error::Unsupported(format!(
            "thuật toán ký {} không được chấp nhận",
            algorithm.oid
        ))
    })?;
    if is_rsa != spec.is_rsa() {
        return Err(Error::BadSignature);
    }
    let verifier: &'static dyn VerificationAlgorithm = match (spec, digest) {
        (KeySpec::Rsa2048 | KeySpec::Rsa3072 | KeySpec::Rsa4096, Digest::Sha256) => {
            &signature::RSA_PKCS1_2048_8192_SHA256
        }
        (KeySpec::Rsa2048 | KeySpec::Rsa3072 | KeySpec::Rsa4096, Digest::Sha384) => {
            &signature::RSA_PKCS1_2048_8192_SHA384
        }
        (KeySpec::EcP256, Digest::Sha256) => &signature::ECDSA_P256_SHA256_ASN1,
        (KeySpec::EcP256, Digest::Sha384) => &signature::ECDSA_P256_SHA384_ASN1,
        (KeySpec::EcP384, Digest::Sha256) => &signature::ECDSA_P384_SHA256_ASN1,
        (KeySpec::EcP384, Digest::Sha384) => &signature::ECDSA_P384_SHA384_ASN1,
    };
    UnparsedPublicKey::new(verifier, key.subject_public_key.raw_bytes())
        .verify(data, signature)
        .map_err(|_| Error::BadSignature)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_length_ignores_leading_zeros() {
        assert_eq!(bit_length(&[0, 0x80, 0]), 16);
        assert_eq!(bit_length(&[0x01]), 1);
        assert_eq!(bit_length(&[0, 0]), 0);
    }
}
