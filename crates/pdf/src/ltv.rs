//! The long-term levels of PAdES baseline (ETSI EN 319 142-1 §6.2): the
//! document timestamp of B-LTA (`/Type /DocTimeStamp`, `/SubFilter
//! /ETSI.RFC3161`, a token over the byte range in its own incremental
//! update), and [`sign_at`], which makes a signature of any level in one
//! call: B-B, B-T (signature timestamp), B-LT (then the DSS with the
//! evidence for every signature in the file), B-LTA (then a document
//! timestamp).

use pki::Digest;

use crate::evidence::{Evidence, add_validation_data};
use crate::reserve::{Room, reserve};
use crate::sign::{SignOptions, Signer, sign_timestamped};
use crate::timestamp::{TOKEN_ROOM, Timestamper, stamp};
use crate::{Error, Limits};

/// A PAdES baseline level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    BB,
    BT,
    BLT,
    BLTA,
}

/// `original` with a document timestamp from `timestamper`, its imprint
/// hashed with `digest`, in a new invisible field on page 1.
pub fn timestamp_document(
    original: &[u8],
    timestamper: &dyn Timestamper,
    digest: Digest,
    limits: &Limits,
) -> Result<Vec<u8>, Error> {
    let reserved = reserve(
        original,
        b"/Type/DocTimeStamp/Filter/Adobe.PPKLite/SubFilter/ETSI.RFC3161",
        Room {
            page: 1,
            field_name: None,
            appearance: None,
            capacity: TOKEN_ROOM,
            limits,
        },
    )?;
    let [_, a, b, _] = reserved.byte_range;
    let token = stamp(
        timestamper,
        digest,
        &[&reserved.bytes[..a], &reserved.bytes[b..]],
    )?;
    reserved.fill(&der::Encode::to_der(&token)?)
}

/// Signs `original` at `level`: the `timestamper` is needed from B-T, the
/// `evidence` from B-LT (for every signature of the file, so earlier
/// signatures' data is kept up to date too).
pub fn sign_at(
    original: &[u8],
    signer: &Signer<'_>,
    options: &SignOptions,
    level: Level,
    timestamper: Option<&dyn Timestamper>,
    evidence: Option<&dyn Evidence>,
) -> Result<Vec<u8>, Error> {
    let timestamper = if level >= Level::BT {
        Some(timestamper.ok_or(Error::Missing("dịch vụ cấp dấu thời gian (TSA)"))?)
    } else {
        None
    };
    let options = SignOptions {
        timestamp: options.timestamp || timestamper.is_some(),
        ..options.clone()
    };
    let with_signature = sign_timestamped(original, signer, &options, timestamper)?;
    if level < Level::BLT {
        return Ok(with_signature);
    }
    let evidence = evidence.ok_or(Error::Missing("nguồn thông tin thu hồi (OCSP, CRL)"))?;
    let extended = add_validation_data(&with_signature, &signer.chain, evidence, &options.limits)?;
    match timestamper {
        Some(timestamper) if level == Level::BLTA => {
            timestamp_document(&extended, timestamper, signer.digest, &options.limits)
        }
        _ => Ok(extended),
    }
}
