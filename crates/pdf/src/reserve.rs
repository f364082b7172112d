//! The reservation every signature and document timestamp makes: an
//! incremental update adding the signature field ([`crate::edit`]) and a
//! signature dictionary whose `/Contents` is a zero-filled hex string of
//! fixed capacity and whose `/ByteRange` (every byte of the file but that
//! string) is patched in, in fixed-width digits, once the file is
//! written; then, once the CMS or token exists, its hex fills the string.
//! Shared so that signatures ([`crate::sign`]) and document timestamps
//! ([`crate::ltv`]) write the same, already judged, structure.

use std::collections::BTreeMap;

use pki::Digest;

use crate::edit::Appearance;
use crate::load::load_for_update;
use crate::syntax::object_bytes;
use crate::update::{append, first_free};
use crate::{Error, Limits, edit};

/// Each `/ByteRange` number is written in this many digits (zero-padded),
/// so patching it in does not move anything.
const RANGE_DIGITS: usize = 10;
/// The largest offset [`RANGE_DIGITS`] digits can write.
const MAX_OFFSET: usize = 9_999_999_999;

/// A file written with room for a signature.
#[derive(Debug, Clone)]
pub(crate) struct Reserved {
    pub bytes: Vec<u8>,
    /// `[0, a, b, c]`: the signed bytes are `0..a` and `b..b+c`.
    pub byte_range: [usize; 4],
    pub field_name: String,
}

impl Reserved {
    /// The `digest` hash of the signed bytes.
    pub fn hash(&self, digest: Digest) -> Vec<u8> {
        let [_, a, b, _] = self.byte_range;
        let mut hasher = digest.hasher();
        hasher.update(&self.bytes[..a]);
        hasher.update(&self.bytes[b..]);
        hasher.finish()
    }

    /// The file with `der` in the reserved string (the rest stays zeros).
    pub fn fill(self, der: &[u8]) -> Result<Vec<u8>, Error> {
        let [_, gap_start, gap_end, _] = self.byte_range;
        let capacity = (gap_end - gap_start - 2) / 2;
        if der.len() > capacity {
            return Err(Error::SignatureTooLarge {
                size: der.len(),
                capacity,
            });
        }
        let mut bytes = self.bytes;
        let hex = &mut bytes[gap_start + 1..gap_start + 1 + 2 * der.len()];
        for (pair, byte) in hex.chunks_exact_mut(2).zip(der) {
            pair.copy_from_slice(format!("{byte:02x}").as_bytes());
        }
        Ok(bytes)
    }
}

/// Where a signature field goes and how much room its value gets.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Room<'a> {
    /// The page of the field, from 1.
    pub page: usize,
    pub field_name: Option<&'a str>,
    /// What the field shows on the page; invisible if `None`.
    pub appearance: Option<&'a Appearance>,
    /// Bytes for the DER in `/Contents`.
    pub capacity: usize,
    pub limits: &'a Limits,
}

/// Writes `original` with a new signature field whose value is the
/// dictionary `head` (its entries before `/ByteRange`, e.g.
/// `/Type/Sig/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached/M(…)`)
/// and the reserved `/ByteRange` and `/Contents`.
pub(crate) fn reserve(original: &[u8], head: &[u8], room: Room<'_>) -> Result<Reserved, Error> {
    let doc = load_for_update(original, room.limits)?;
    let added = edit::signature_field(
        &doc,
        room.page,
        room.field_name,
        room.appearance,
        first_free(&doc),
        room.limits,
    )?;
    let mut bodies = added
        .objects
        .iter()
        .map(|(id, object)| Ok((*id, object_bytes(object)?)))
        .collect::<Result<BTreeMap<_, _>, Error>>()?;
    let body = Body::new(head, room.capacity);
    bodies.insert(added.signature, body.bytes);
    let written = append(original, &doc, &bodies)?;
    drop(doc);

    let start = written
        .bodies
        .get(&added.signature)
        .copied()
        .ok_or_else(|| Error::Malformed("chữ ký không được ghi vào tệp".into()))?;
    let mut bytes = written.bytes;
    let gap_start = start + body.contents_at;
    let gap_end = gap_start + 2 * room.capacity + 2;
    let byte_range = [0, gap_start, gap_end, bytes.len() - gap_end];
    let mut at = start + body.byte_range_at;
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
    Ok(Reserved {
        bytes,
        byte_range,
        field_name: added.field_name,
    })
}

/// The signature dictionary as written, with where its placeholders are.
struct Body {
    bytes: Vec<u8>,
    /// The first digit of the second `/ByteRange` number.
    byte_range_at: usize,
    /// The `<` opening `/Contents`.
    contents_at: usize,
}

impl Body {
    fn new(head: &[u8], capacity: usize) -> Self {
        let mut bytes = b"<<".to_vec();
        bytes.extend_from_slice(head);
        bytes.extend_from_slice(b"/ByteRange[0 ");
        let byte_range_at = bytes.len();
        let placeholder = "0".repeat(RANGE_DIGITS);
        bytes.extend_from_slice(format!("{placeholder} {placeholder} {placeholder}]").as_bytes());
        bytes.extend_from_slice(b"/Contents");
        let contents_at = bytes.len();
        bytes.push(b'<');
        bytes.resize(bytes.len() + 2 * capacity, b'0');
        bytes.extend_from_slice(b">>>");
        Self {
            bytes,
            byte_range_at,
            contents_at,
        }
    }
}
