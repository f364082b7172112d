//! Validating an RFC 3161 token (a signature's signature-time-stamp or a
//! document timestamp): its CMS ([`crate::cms`], encapsulated TSTInfo),
//! its imprint against what it should stamp, the TSA's certificate
//! (extended key usage timeStamping, RFC 3161 §2.3) and its path to the
//! trust anchors at the token's own time, genTime.

use const_oid::db::rfc5912::ID_KP_TIME_STAMPING;
use der::Decode;
use pki::Digest;
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::time::Time;
use x509_tsp::TstInfo;

use crate::chain::{self, Path, allows, display_name};
use crate::cms::{self, Expect, Signed};
use crate::verify::Problem;

/// A token read far enough to name its TSA and time.
#[derive(Debug, Clone)]
pub(crate) struct Stamp {
    pub time: OffsetDateTime,
    pub signed: Signed,
    pub path: Path,
}

impl Stamp {
    pub fn authority(&self) -> String {
        display_name(&self.signed.signer)
    }
}

/// Checks `token` (DER, maybe zero-padded) as a timestamp over the
/// concatenation of `stamped`, with `pool` for the CAs between the TSA
/// and `anchors`. Problems go to `problems`.
pub(crate) fn check(
    token: &[u8],
    stamped: &[&[u8]],
    pool: &[Certificate],
    anchors: &[Certificate],
    problems: &mut Vec<Problem>,
) -> Option<Stamp> {
    let signed = cms::check(token, Expect::Token, problems)?;
    let info = match TstInfo::from_der(signed.content.as_deref().unwrap_or_default()) {
        Ok(info) => info,
        Err(e) => {
            problems.push(Problem::Cms(format!("TSTInfo hỏng: {e}")));
            return None;
        }
    };
    let imprint = &info.message_imprint;
    match Digest::of_oid(imprint.hash_algorithm.oid) {
        Some(digest) => {
            let mut hasher = digest.hasher();
            for piece in stamped {
                hasher.update(piece);
            }
            if hasher.finish() != imprint.hashed_message.as_bytes() {
                problems.push(Problem::ImprintMismatch);
            }
        }
        None => problems.push(Problem::Unsupported(format!(
            "hàm băm {} của dấu thời gian",
            imprint.hash_algorithm.oid
        ))),
    }
    if !allows(&signed.signer, ID_KP_TIME_STAMPING) {
        problems.push(Problem::NotTimestamping(display_name(&signed.signer)));
    }
    let time = pki::cert::offset_time(&Time::GeneralTime(info.gen_time));
    let mut candidates = signed.certificates.clone();
    candidates.extend_from_slice(pool);
    let path = chain::check(&signed.signer, &candidates, anchors, Some(time), problems);
    Some(Stamp { time, signed, path })
}
