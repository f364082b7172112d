//! Where CA keys live: the [`CaKey`] a certificate, CRL, OCSP answer or
//! timestamp is signed with, the [`KeyProvider`] that makes and opens keys,
//! and the [`KeyRef`] the database keeps to find a key again.
//!
//! Invariant: a private key never leaves its provider. Software keys are
//! kept sealed under a passphrase ([`crate::software`]); token keys stay on
//! the token ([`crate::pkcs11`]) and only their identifiers are stored.

use std::fmt;

use spki::SubjectPublicKeyInfoOwned;

use crate::Error;
use crate::algorithm::{Digest, KeySpec};

/// A private key that can sign, wherever it lives.
pub trait CaKey: Send + Sync {
    fn spec(&self) -> KeySpec;

    /// The public half, as certificates carry it.
    fn public_key(&self) -> &SubjectPublicKeyInfoOwned;

    /// Hashes `data` with `digest` and signs it, giving the signature in
    /// the form X.509 carries it: PKCS #1 v1.5 for RSA, a DER
    /// `ECDSA-Sig-Value` for ECDSA.
    fn sign(&self, digest: Digest, data: &[u8]) -> Result<Vec<u8>, Error>;
}

/// Makes keys and opens them again from their references.
pub trait KeyProvider: Send + Sync {
    /// A new key of `spec`, labelled `label` where the provider shows
    /// labels (a token's object list).
    fn generate(&self, label: &str, spec: KeySpec) -> Result<(KeyRef, Box<dyn CaKey>), Error>;

    /// The key `key` refers to, or an error if this provider does not hold
    /// it (another provider's reference, a wrong passphrase, a missing token).
    fn open(&self, key: &KeyRef) -> Result<Box<dyn CaKey>, Error>;
}

/// How the database finds a key again: for a software key its sealed
/// bytes, for a token key the token's label and the key's `CKA_ID`. Written
/// as text: `software:<hex>`, or a PKCS #11 URI (RFC 7512)
/// `pkcs11:token=<label>;id=<%xx…>`.
#[derive(Clone, PartialEq, Eq)]
pub enum KeyRef {
    Software { sealed: Vec<u8> },
    Pkcs11 { token: String, id: Vec<u8> },
}

impl KeyRef {
    /// Which provider holds the key: `software` or `pkcs11`.
    pub fn provider(&self) -> &'static str {
        match self {
            Self::Software { .. } => "software",
            Self::Pkcs11 { .. } => "pkcs11",
        }
    }

    pub fn parse(text: &str) -> Result<Self, Error> {
        let bad = || Error::Malformed(format!("tham chiếu khóa không hợp lệ: «{}»", short(text)));
        if let Some(hex) = text.strip_prefix("software:") {
            return from_hex(hex)
                .map(|sealed| Self::Software { sealed })
                .ok_or_else(bad);
        }
        let rest = text.strip_prefix("pkcs11:").ok_or_else(bad)?;
        let (mut token, mut id) = (None, None);
        for attribute in rest.split(';') {
            let (name, value) = attribute.split_once('=').ok_or_else(bad)?;
            let value = percent_decode(value).ok_or_else(bad)?;
            match name {
                "token" => token = Some(String::from_utf8(value).map_err(|_| bad())?),
                "id" => id = Some(value),
                _ => return Err(bad()),
            }
        }
        match (token, id) {
            (Some(token), Some(id)) if !id.is_empty() => Ok(Self::Pkcs11 { token, id }),
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for KeyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Software { sealed } => {
                f.write_str("software:")?;
                sealed.iter().try_for_each(|b| write!(f, "{b:02x}"))
            }
            Self::Pkcs11 { token, id } => {
                f.write_str("pkcs11:token=")?;
                for b in token.bytes() {
                    if b.is_ascii_alphanumeric() || b"-._~ ".contains(&b) {
                        write!(f, "{}", char::from(b))?;
                    } else {
                        write!(f, "%{b:02X}")?;
                    }
                }
                f.write_str(";id=")?;
                id.iter().try_for_each(|b| write!(f, "%{b:02X}"))
            }
        }
    }
}

impl fmt::Debug for KeyRef {
    /// Sealed bytes are not secret, but they are long and tell nothing.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Software { sealed } => write!(f, "KeyRef::Software({} bytes)", sealed.len()),
            Self::Pkcs11 { .. } => write!(f, "KeyRef({self})"),
        }
    }
}

fn short(text: &str) -> String {
    text.chars().take(40).collect()
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    let mut bytes = text.bytes();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let pair = [bytes.next()?, bytes.next()?];
            out.push(u8::from_str_radix(std::str::from_utf8(&pair).ok()?, 16).ok()?);
        } else {
            out.push(b);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_round_trip_through_text() {
        let keys = [
            KeyRef::Software {
                sealed: vec![0, 1, 0xfe, 0xff],
            },
            KeyRef::Pkcs11 {
                token: "egov CA; Trà Vinh".into(),
                id: vec![0x0a, 0xff],
            },
        ];
        for key in keys {
            let text = key.to_string();
            assert_eq!(KeyRef::parse(&text).ok(), Some(key), "{text}");
        }
        assert_eq!(
            KeyRef::Pkcs11 {
                token: "ca".into(),
                id: vec![1]
            }
            .to_string(),
            "pkcs11:token=ca;id=%01"
        );
    }

    #[test]
    fn malformed_references_are_refused() {
        for text in [
            "",
            "software:abc",
            "software:zz",
            "pkcs11:token=ca",
            "pkcs11:token=ca;id=",
            "pkcs11:token=ca;id=%0",
            "pkcs11:slot=1;id=%01",
            "file:/etc/key",
        ] {
            assert!(KeyRef::parse(text).is_err(), "{text}");
        }
    }
}
