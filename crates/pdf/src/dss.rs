//! The Document Security Store (ETSI EN 319 142-1 §5.4, ISO 32000-2
//! §12.8.4.3): the catalog's `/DSS` with `/Certs`, `/OCSPs` and `/CRLs`
//! (arrays of streams holding DER) and `/VRI`, per signature (keyed by the
//! uppercase hex SHA-1 of its `/Contents`), what validates it. Read under
//! [`Limits::max_validation_data`]; written in an incremental update that
//! merges with the DSS already there: existing streams are kept and
//! reused when the same DER is added again, existing VRI entries kept
//! unchanged and new ones added.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use crate::fields::resolve;
use crate::load::load_for_update;
use crate::syntax::object_bytes;
use crate::update::{append, first_free};
use crate::{Error, Limits};

/// The three kinds of data, as the DSS and a VRI entry name them.
const KINDS: [(&[u8], &[u8]); 3] = [(b"Certs", b"Cert"), (b"OCSPs", b"OCSP"), (b"CRLs", b"CRL")];

/// Validation data: DER certificates, OCSP responses and CRLs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Data {
    pub certs: Vec<Vec<u8>>,
    pub ocsps: Vec<Vec<u8>>,
    pub crls: Vec<Vec<u8>>,
}

impl Data {
    fn kind_mut(&mut self, index: usize) -> &mut Vec<Vec<u8>> {
        match index {
            0 => &mut self.certs,
            1 => &mut self.ocsps,
            _ => &mut self.crls,
        }
    }

    fn kind(&self, index: usize) -> &[Vec<u8>] {
        match index {
            0 => &self.certs,
            1 => &self.ocsps,
            _ => &self.crls,
        }
    }
}

/// What the VRI should say of one signature.
#[derive(Debug, Clone)]
pub(crate) struct Vri {
    /// The uppercase hex SHA-1 of the signature's `/Contents`.
    pub key: String,
    pub data: Data,
}

/// The uppercase hex SHA-1 of `contents`, a VRI key.
pub(crate) fn vri_key(contents: &[u8]) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY, contents);
    digest.as_ref().iter().fold(String::new(), |mut key, b| {
        // Writing to a String cannot fail.
        let _ = write!(key, "{b:02X}");
        key
    })
}

/// The DSS dictionary of `doc`, if any.
fn dss(doc: &Document) -> Option<&Dictionary> {
    let catalog = doc.catalog().ok()?;
    resolve(doc, catalog.get(b"DSS").ok()?)?.as_dict().ok()
}

/// The array under `key` in `dict`, resolved.
fn array<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> &'a [Object] {
    match dict.get(key).ok().and_then(|value| resolve(doc, value)) {
        Some(Object::Array(items)) => items,
        _ => &[],
    }
}

/// Decoded stream contents, counted against one budget.
struct Budget {
    left: usize,
    max: usize,
}

impl Budget {
    fn take(&mut self, doc: &Document, item: &Object) -> Result<Option<Vec<u8>>, Error> {
        let Some(Object::Stream(stream)) = resolve(doc, item) else {
            return Ok(None);
        };
        let too_large = Error::ValidationDataTooLarge { max: self.max };
        let content = match stream.get_plain_content_with_limit(self.left) {
            Ok(content) => content,
            Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                ..
            })) => return Err(too_large),
            // A stream that does not decode proves nothing; it is skipped.
            Err(_) => return Ok(None),
        };
        // An unfiltered stream comes back whole, whatever the limit.
        self.left = self.left.checked_sub(content.len()).ok_or(too_large)?;
        Ok(Some(content))
    }
}

/// Everything the DSS of `doc` holds.
pub(crate) fn read(doc: &Document, limits: &Limits) -> Result<Data, Error> {
    let mut data = Data::default();
    let Some(dss) = dss(doc) else {
        return Ok(data);
    };
    let mut budget = Budget {
        left: limits.max_validation_data,
        max: limits.max_validation_data,
    };
    for (index, (key, _)) in KINDS.iter().enumerate() {
        for item in array(doc, dss, key) {
            if let Some(content) = budget.take(doc, item)? {
                data.kind_mut(index).push(content);
            }
        }
    }
    Ok(data)
}

/// `original` with an incremental update adding `entries` to its DSS.
pub(crate) fn write(original: &[u8], entries: &[Vri], limits: &Limits) -> Result<Vec<u8>, Error> {
    let doc = load_for_update(original, limits)?;
    let catalog_id = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|_| Error::Malformed("không có danh mục tài liệu (/Root)".into()))?;
    let mut catalog = doc
        .get_dictionary(catalog_id)
        .map_err(|e| Error::Malformed(format!("danh mục tài liệu: {e}")))?
        .clone();
    let mut store = dss(&doc).cloned().unwrap_or_else(|| {
        let mut new = Dictionary::new();
        new.set("Type", Object::Name(b"DSS".to_vec()));
        new
    });
    let mut objects = BTreeMap::new();
    let mut next = first_free(&doc);
    let mut budget = Budget {
        left: limits.max_validation_data,
        max: limits.max_validation_data,
    };
    // Per kind, each entry's references, in the order of `entries`.
    let mut references: Vec<Vec<Vec<Object>>> = Vec::new();
    for (index, (key, _)) in KINDS.iter().enumerate() {
        let mut items = array(&doc, &store, key).to_vec();
        let mut known: HashMap<Vec<u8>, Object> = HashMap::new();
        for item in &items {
            if let Some(content) = budget.take(&doc, item)? {
                known.insert(content, item.clone());
            }
        }
        let mut per_entry = Vec::new();
        for entry in entries {
            let mut refs = Vec::new();
            for der in entry.data.kind(index) {
                let reference = match known.get(der) {
                    Some(reference) => reference.clone(),
                    None => {
                        let id = (next, 0);
                        next = next.checked_add(1).ok_or(Error::TooManyObjects {
                            count: usize::MAX,
                            max: limits.max_objects,
                        })?;
                        objects.insert(
                            id,
                            Object::Stream(Stream::new(Dictionary::new(), der.clone())),
                        );
                        items.push(Object::Reference(id));
                        known.insert(der.clone(), Object::Reference(id));
                        Object::Reference(id)
                    }
                };
                if !refs.contains(&reference) {
                    refs.push(reference);
                }
            }
            per_entry.push(refs);
        }
        store.set(key.to_vec(), Object::Array(items));
        references.push(per_entry);
    }
    store.set("VRI", vri(&doc, &store, entries, &references));
    match catalog.get(b"DSS") {
        Ok(Object::Reference(id)) => {
            objects.insert(*id, Object::Dictionary(store));
        }
        _ => {
            let id = (next, 0);
            objects.insert(id, Object::Dictionary(store));
            catalog.set("DSS", Object::Reference(id));
            objects.insert(catalog_id, Object::Dictionary(catalog));
        }
    }
    let bodies = objects
        .iter()
        .map(|(id, object)| Ok((*id, object_bytes(object)?)))
        .collect::<Result<BTreeMap<ObjectId, _>, Error>>()?;
    Ok(append(original, &doc, &bodies)?.bytes)
}

/// The VRI dictionary: the old one with an entry for each signature it
/// lacks (`references[kind][entry]`). Existing entries are left as they
/// are: they record what was known when they were written, and validators
/// (pyHanko) take a changed one for tampering; newer data is in the DSS
/// arrays.
fn vri(
    doc: &Document,
    store: &Dictionary,
    entries: &[Vri],
    references: &[Vec<Vec<Object>>],
) -> Object {
    let mut vri = store
        .get(b"VRI")
        .ok()
        .and_then(|v| resolve(doc, v))
        .and_then(|v| v.as_dict().ok())
        .cloned()
        .unwrap_or_default();
    for (number, entry) in entries.iter().enumerate() {
        if vri.has(entry.key.as_bytes()) {
            continue;
        }
        let mut own = Dictionary::new();
        for (index, (_, key)) in KINDS.iter().enumerate() {
            let items = &references[index][number];
            if !items.is_empty() {
                own.set(key.to_vec(), Object::Array(items.clone()));
            }
        }
        vri.set(entry.key.as_bytes().to_vec(), Object::Dictionary(own));
    }
    Object::Dictionary(vri)
}
