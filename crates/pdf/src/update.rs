//! Writing an incremental update (ISO 32000-1 §7.5.6): the original bytes
//! unchanged, then the new and changed objects, then a cross-reference
//! section of the same kind as the original's last one (a classic table
//! and trailer, or a cross-reference stream, uncompressed) with `/Prev`
//! pointing at it and `/Root`, `/Info` and `/ID` kept.

use std::collections::BTreeMap;

use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::Error;
use crate::syntax::object_bytes;

/// The first object number no revision of `doc` uses.
pub(crate) fn first_free(doc: &Document) -> u32 {
    let size = doc
        .trailer
        .get(b"Size")
        .and_then(Object::as_i64)
        .ok()
        .and_then(|size| u32::try_from(size).ok())
        .unwrap_or(0);
    size.max(doc.max_id.saturating_add(1))
        .max(doc.reference_table.size)
}

/// The update, and where each object's body starts in the file it ends
/// (offsets from the file's start, not the update's).
#[derive(Debug)]
pub(crate) struct Written {
    pub bytes: Vec<u8>,
    pub bodies: BTreeMap<ObjectId, usize>,
}

/// What an update needs to know of the file it follows: the newest
/// revision `doc` read from it (its trailer, its first free number; whole
/// or only the objects the update changes), where that revision's
/// cross-reference section starts and whether it is a classic table, and
/// the file's length and last byte.
#[derive(Debug)]
pub(crate) struct Base<'a> {
    pub doc: &'a Document,
    pub xref_start: usize,
    pub table: bool,
    pub len: usize,
    pub last: Option<u8>,
}

impl<'a> Base<'a> {
    /// The base that `original`, whose newest revision `doc` was read
    /// from, gives.
    pub fn of(original: &[u8], doc: &'a Document) -> Result<Self, Error> {
        Ok(Self {
            doc,
            xref_start: doc.xref_start,
            table: section_is_table(original.get(doc.xref_start..).unwrap_or_default())?,
            len: original.len(),
            last: original.last().copied(),
        })
    }
}

/// Whether the cross-reference section that `section` starts with is a
/// classic table (else a stream object, `N G obj`).
pub(crate) fn section_is_table(section: &[u8]) -> Result<bool, Error> {
    match section {
        rest if rest.starts_with(b"xref") => Ok(true),
        [first, ..] if first.is_ascii_digit() => Ok(false),
        _ => Err(Error::Malformed(
            "startxref không chỉ tới bảng tham chiếu chéo".into(),
        )),
    }
}

/// Appends `objects` (each already written as PDF syntax) to `original`,
/// whose newest revision `doc` was read from.
pub(crate) fn append(
    original: &[u8],
    doc: &Document,
    objects: &BTreeMap<ObjectId, Vec<u8>>,
) -> Result<Written, Error> {
    let update = update(&Base::of(original, doc)?, objects)?;
    let mut bytes = Vec::with_capacity(original.len() + update.bytes.len());
    bytes.extend_from_slice(original);
    bytes.extend_from_slice(&update.bytes);
    Ok(Written {
        bytes,
        bodies: update.bodies,
    })
}

/// The update writing `objects` (each already written as PDF syntax)
/// after the file `base` describes.
pub(crate) fn update(
    base: &Base<'_>,
    objects: &BTreeMap<ObjectId, Vec<u8>>,
) -> Result<Written, Error> {
    let doc = base.doc;
    let mut out = Update {
        bytes: Vec::with_capacity(16 * 1024),
        start: base.len,
    };
    if !matches!(base.last, Some(b'\n' | b'\r')) {
        out.bytes.push(b'\n');
    }
    let mut offsets = BTreeMap::new();
    let mut bodies = BTreeMap::new();
    for (&(number, generation), body) in objects {
        offsets.insert(number, (out.at(), generation));
        out.put(format!("{number} {generation} obj\n").as_bytes());
        bodies.insert((number, generation), out.at());
        out.put(body);
        out.put(b"\nendobj\n");
    }
    let size = objects
        .keys()
        .map(|(number, _)| number.saturating_add(1))
        .max()
        .unwrap_or(0)
        .max(first_free(doc));
    let mut trailer = Dictionary::new();
    for key in [&b"Root"[..], b"Info", b"ID"] {
        if let Ok(value) = doc.trailer.get(key) {
            trailer.set(key.to_vec(), value.clone());
        }
    }
    trailer.set("Prev", i64::try_from(base.xref_start).unwrap_or(i64::MAX));
    let xref_at = out.at();
    if base.table {
        write_table(&mut out, &offsets, trailer, size)?;
    } else {
        write_stream(&mut out, &mut offsets, trailer, size)?;
    }
    out.put(format!("startxref\n{xref_at}\n%%EOF\n").as_bytes());
    Ok(Written {
        bytes: out.bytes,
        bodies,
    })
}

/// The update being written, with the file's offset of its first byte.
struct Update {
    bytes: Vec<u8>,
    start: usize,
}

impl Update {
    /// The file's offset of the next byte.
    fn at(&self) -> usize {
        self.start + self.bytes.len()
    }

    fn put(&mut self, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
    }
}

/// Runs of consecutive object numbers: (first, entries).
fn subsections(offsets: &BTreeMap<u32, (usize, u16)>) -> Vec<(u32, Vec<(usize, u16)>)> {
    let mut runs: Vec<(u32, Vec<(usize, u16)>)> = Vec::new();
    for (&number, &entry) in offsets {
        match runs.last_mut() {
            Some((first, entries))
                if u32::try_from(entries.len())
                    .ok()
                    .and_then(|n| first.checked_add(n))
                    == Some(number) =>
            {
                entries.push(entry);
            }
            _ => runs.push((number, vec![entry])),
        }
    }
    runs
}

fn write_table(
    out: &mut Update,
    offsets: &BTreeMap<u32, (usize, u16)>,
    mut trailer: Dictionary,
    size: u32,
) -> Result<(), Error> {
    out.put(b"xref\n");
    for (first, entries) in subsections(offsets) {
        out.put(format!("{first} {}\n", entries.len()).as_bytes());
        for (offset, generation) in entries {
            // Each entry is exactly 20 bytes, its end of line two.
            out.put(format!("{offset:010} {generation:05} n\r\n").as_bytes());
        }
    }
    trailer.set("Size", i64::from(size));
    out.put(b"trailer\n");
    out.put(&object_bytes(&Object::Dictionary(trailer))?);
    out.put(b"\n");
    Ok(())
}

fn write_stream(
    out: &mut Update,
    offsets: &mut BTreeMap<u32, (usize, u16)>,
    mut trailer: Dictionary,
    size: u32,
) -> Result<(), Error> {
    // The stream lists itself too, as writers do.
    let own = size;
    offsets.insert(own, (out.at(), 0));
    let largest = offsets
        .values()
        .map(|(offset, _)| *offset)
        .max()
        .unwrap_or(0);
    let width = (usize::BITS - largest.leading_zeros()).div_ceil(8).max(1) as usize;
    let mut data = Vec::new();
    let mut index = Vec::new();
    for (first, entries) in subsections(offsets) {
        index.push(Object::Integer(i64::from(first)));
        index.push(Object::Integer(i64::try_from(entries.len()).unwrap_or(0)));
        for (offset, generation) in entries {
            data.push(1);
            data.extend_from_slice(&offset.to_be_bytes()[size_of::<usize>() - width..]);
            data.extend_from_slice(&generation.to_be_bytes());
        }
    }
    trailer.set("Type", Object::Name(b"XRef".to_vec()));
    trailer.set("Size", i64::from(own) + 1);
    trailer.set(
        "W",
        Object::Array(vec![
            1.into(),
            i64::try_from(width).unwrap_or(8).into(),
            2.into(),
        ]),
    );
    trailer.set("Index", Object::Array(index));
    trailer.set("Length", i64::try_from(data.len()).unwrap_or(i64::MAX));
    out.put(format!("{own} 0 obj\n").as_bytes());
    out.put(&object_bytes(&Object::Dictionary(trailer))?);
    out.put(b"\nstream\n");
    out.put(&data);
    out.put(b"\nendstream\nendobj\n");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consecutive_numbers_share_a_subsection() {
        let offsets: BTreeMap<u32, (usize, u16)> = [(3, (10, 0)), (4, (20, 1)), (9, (30, 0))]
            .into_iter()
            .collect();
        assert_eq!(
            subsections(&offsets),
            vec![(3, vec![(10, 0), (20, 1)]), (9, vec![(30, 0)])]
        );
    }
}
