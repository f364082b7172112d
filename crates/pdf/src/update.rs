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

/// The file with the update appended, and where each object's body
/// starts in it.
#[derive(Debug)]
pub(crate) struct Written {
    pub bytes: Vec<u8>,
    pub bodies: BTreeMap<ObjectId, usize>,
}

/// Appends `objects` (each already written as PDF syntax) to `original`,
/// whose newest revision `doc` was read from.
pub(crate) fn append(
    original: &[u8],
    doc: &Document,
    objects: &BTreeMap<ObjectId, Vec<u8>>,
) -> Result<Written, Error> {
    let prev = doc.xref_start;
    let table = match original.get(prev..) {
        Some(rest) if rest.starts_with(b"xref") => true,
        Some([first, ..]) if first.is_ascii_digit() => false,
        _ => {
            return Err(Error::Malformed(
                "startxref không chỉ tới bảng tham chiếu chéo".into(),
            ));
        }
    };
    let mut out = Vec::with_capacity(original.len() + 16 * 1024);
    out.extend_from_slice(original);
    if !matches!(out.last(), Some(b'\n' | b'\r')) {
        out.push(b'\n');
    }
    let mut offsets = BTreeMap::new();
    let mut bodies = BTreeMap::new();
    for (&(number, generation), body) in objects {
        offsets.insert(number, (out.len(), generation));
        out.extend_from_slice(format!("{number} {generation} obj\n").as_bytes());
        bodies.insert((number, generation), out.len());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
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
    trailer.set("Prev", i64::try_from(prev).unwrap_or(i64::MAX));
    let xref_at = out.len();
    if table {
        write_table(&mut out, &offsets, trailer, size)?;
    } else {
        write_stream(&mut out, &mut offsets, trailer, size)?;
    }
    out.extend_from_slice(format!("startxref\n{xref_at}\n%%EOF\n").as_bytes());
    Ok(Written { bytes: out, bodies })
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
    out: &mut Vec<u8>,
    offsets: &BTreeMap<u32, (usize, u16)>,
    mut trailer: Dictionary,
    size: u32,
) -> Result<(), Error> {
    out.extend_from_slice(b"xref\n");
    for (first, entries) in subsections(offsets) {
        out.extend_from_slice(format!("{first} {}\n", entries.len()).as_bytes());
        for (offset, generation) in entries {
            // Each entry is exactly 20 bytes, its end of line two.
            out.extend_from_slice(format!("{offset:010} {generation:05} n\r\n").as_bytes());
        }
    }
    trailer.set("Size", i64::from(size));
    out.extend_from_slice(b"trailer\n");
    out.extend_from_slice(&object_bytes(&Object::Dictionary(trailer))?);
    out.push(b'\n');
    Ok(())
}

fn write_stream(
    out: &mut Vec<u8>,
    offsets: &mut BTreeMap<u32, (usize, u16)>,
    mut trailer: Dictionary,
    size: u32,
) -> Result<(), Error> {
    // The stream lists itself too, as writers do.
    let own = size;
    offsets.insert(own, (out.len(), 0));
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
    out.extend_from_slice(format!("{own} 0 obj\n").as_bytes());
    out.extend_from_slice(&object_bytes(&Object::Dictionary(trailer))?);
    out.extend_from_slice(b"\nstream\n");
    out.extend_from_slice(&data);
    out.extend_from_slice(b"\nendstream\nendobj\n");
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
