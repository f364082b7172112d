//! The reservation every signature and document timestamp makes: an
//! incremental update adding the signature field ([`crate::edit`]) and a
//! signature dictionary whose `/Contents` is a zero-filled hex string of
//! fixed capacity and whose `/ByteRange` (every byte of the file but that
//! string) is patched in, in fixed-width digits, once the file is
//! written; then, once the CMS or token exists, its hex fills the string.
//! Shared so that signatures ([`crate::sign`]) and document timestamps
//! ([`crate::ltv`]) write the same, already judged, structure.

use std::collections::BTreeMap;

use lopdf::ObjectId;
use pki::Digest;

use crate::edit::Appearance;
use crate::load::load_for_update;
use crate::page::page_id;
use crate::syntax::object_bytes;
use crate::update::{Base, first_free, update};
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
        let mut bytes = self.bytes;
        write_hex(&mut bytes[gap_start..gap_end], der)?;
        Ok(bytes)
    }
}

/// The update that reserves a signature, for a file read in pieces
/// ([`crate::large`]): `bytes` follow the file's first `start` bytes.
#[derive(Debug, Clone)]
pub(crate) struct Tail {
    pub bytes: Vec<u8>,
    pub start: usize,
    /// `[0, a, b, c]` over the whole file, as [`Reserved::byte_range`].
    pub byte_range: [usize; 4],
    pub field_name: String,
}

impl Tail {
    /// The update's signed bytes, around the reserved string: the file's
    /// first `start` bytes and these are what the signature covers.
    pub fn signed(&self) -> [&[u8]; 2] {
        let [_, gap_start, gap_end, _] = self.byte_range;
        [
            &self.bytes[..gap_start - self.start],
            &self.bytes[gap_end - self.start..],
        ]
    }

    /// Puts `der` into the reserved string (the rest stays zeros).
    pub fn fill(&mut self, der: &[u8]) -> Result<(), Error> {
        let [_, gap_start, gap_end, _] = self.byte_range;
        write_hex(
            &mut self.bytes[gap_start - self.start..gap_end - self.start],
            der,
        )
    }
}

/// Writes `der` in hex at the start of the reserved string `gap` (`<`,
/// zeros, `>`), refused if it does not fit.
fn write_hex(gap: &mut [u8], der: &[u8]) -> Result<(), Error> {
    let capacity = (gap.len() - 2) / 2;
    if der.len() > capacity {
        return Err(Error::SignatureTooLarge {
            size: der.len(),
            capacity,
        });
    }
    for (pair, byte) in gap[1..].chunks_exact_mut(2).zip(der) {
        pair.copy_from_slice(format!("{byte:02x}").as_bytes());
    }
    Ok(())
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
    let page = page_id(&doc, room.page)?;
    let tail = reserve_update(&Base::of(original, &doc)?, page, head, room)?;
    drop(doc);
    let mut bytes = Vec::with_capacity(original.len() + tail.bytes.len());
    bytes.extend_from_slice(original);
    bytes.extend_from_slice(&tail.bytes);
    Ok(Reserved {
        bytes,
        byte_range: tail.byte_range,
        field_name: tail.field_name,
    })
}

/// The update [`reserve`] appends, after the file `base` describes, with
/// the field on the page `page`: what both the file held whole and the
/// file read in pieces get.
pub(crate) fn reserve_update(
    base: &Base<'_>,
    page: ObjectId,
    head: &[u8],
    room: Room<'_>,
) -> Result<Tail, Error> {
    let added = edit::signature_field(
        base.doc,
        page,
        room.field_name,
        room.appearance,
        first_free(base.doc),
        room.limits,
    )?;
    let mut bodies = added
        .objects
        .iter()
        .map(|(id, object)| Ok((*id, object_bytes(object)?)))
        .collect::<Result<BTreeMap<_, _>, Error>>()?;
    let body = Body::new(head, room.capacity);
    bodies.insert(added.signature, body.bytes);
    let written = update(base, &bodies)?;

    let start = written
        .bodies
        .get(&added.signature)
        .copied()
        .ok_or_else(|| Error::Malformed("chữ ký không được ghi vào tệp".into()))?;
    let mut bytes = written.bytes;
    let len = base.len + bytes.len();
    let gap_start = start + body.contents_at;
    let gap_end = gap_start + 2 * room.capacity + 2;
    let byte_range = [0, gap_start, gap_end, len - gap_end];
    let mut at = start + body.byte_range_at - base.len;
    for value in &byte_range[1..] {
        let digits = format!("{value:0RANGE_DIGITS$}");
        if digits.len() != RANGE_DIGITS {
            return Err(Error::TooLarge {
                size: len,
                max: MAX_OFFSET,
            });
        }
        bytes[at..at + RANGE_DIGITS].copy_from_slice(digits.as_bytes());
        at += RANGE_DIGITS + 1;
    }
    Ok(Tail {
        bytes,
        start: base.len,
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
