//! What the incremental updates after a signature changed: the revision
//! the signature covers against the file as a reader shows it. Adding
//! signatures, annotations and validation data (ISO 32000-1 §12.8.2.2's
//! changes that keep a signature valid, and PAdES's DSS) is fine; any
//! other change to an object of the signed revision is named, since a
//! reader would show the changed one (page content, fonts, the page
//! tree).
//!
//! Allowed, object by object: the catalog may gain or change `/AcroForm`,
//! `/DSS` and `/Extensions`; the AcroForm may change `/SigFlags`, `/DR`,
//! `/DA` and append to `/Fields`; a page may append to `/Annots`; an empty
//! signature field may get its value and appearance, and so may an empty
//! text field (the number and date written at issue, [`crate::form`]:
//! form filling, named in [`Additions::filled`]); the document
//! information and XMP metadata may change; the DSS may grow. Old arrays
//! must be a prefix of the new ones, as writers append. A reference the
//! signed revision made to an object it did not have must stay unfilled:
//! filling it later would change what the signed revision shows.
//!
//! What was added to `/Annots` and `/Fields` is also sorted (new
//! signatures, document timestamps, other annotations and fields), for a
//! certification signature's permissions ([`crate::mdp`]).

use std::collections::{HashMap, HashSet};

use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::fields::resolve;

/// How many changes a report names; the rest are counted.
const MAX_NAMED: usize = 12;

/// What later revisions did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Found {
    /// Changes no signature allows, in words.
    pub changed: Vec<String>,
    pub added: Additions,
}

/// What was added to the form and the pages' annotations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Additions {
    /// Signature fields signed (approval signatures).
    pub signatures: usize,
    pub document_timestamps: usize,
    /// Any other annotation or field, in words.
    pub others: Vec<String>,
    /// Text fields of the signed revision filled in since, in words
    /// (the number and date written at issue).
    pub filled: Vec<String>,
}

/// What changed from `signed` (the signed revision) to `current` (the
/// whole file).
pub(crate) fn changes(signed: &Document, current: &Document) -> Found {
    let mut diff = Diff {
        signed,
        current,
        handled: HashSet::new(),
        found: Vec::new(),
        new_items: Vec::new(),
        filled: Vec::new(),
    };
    diff.catalog();
    diff.pages();
    diff.objects();
    diff.dangling();
    let added = diff.additions();
    Found {
        changed: at_most_named(diff.found),
        added: Additions {
            others: at_most_named(added.others),
            filled: at_most_named(diff.filled),
            ..added
        },
    }
}

fn at_most_named(mut found: Vec<String>) -> Vec<String> {
    if found.len() > MAX_NAMED {
        let more = found.len() - MAX_NAMED;
        found.truncate(MAX_NAMED);
        found.push(format!("và {more} thay đổi khác"));
    }
    found
}

struct Diff<'a> {
    signed: &'a Document,
    current: &'a Document,
    /// Objects of the signed revision already judged by a rule of their own.
    handled: HashSet<ObjectId>,
    found: Vec<String>,
    /// Items appended to `/Annots` and `/Fields` arrays.
    new_items: Vec<Object>,
    filled: Vec<String>,
}

impl Diff<'_> {
    fn catalog(&mut self) {
        for key in [&b"Root"[..], b"Info"] {
            if let Ok(id) = self.signed.trailer.get(key).and_then(Object::as_reference) {
                self.handled.insert(id);
            }
        }
        let (Ok(old), Ok(new)) = (self.signed.catalog(), self.current.catalog()) else {
            self.found
                .push("danh mục tài liệu (Catalog) không đọc được".into());
            return;
        };
        if !same_except(old, new, &[b"AcroForm", b"DSS", b"Extensions", b"Metadata"]) {
            self.found.push("danh mục tài liệu (Catalog)".into());
        }
        self.metadata(old, new);
        self.dss(old);
        let old_form = self.entry(self.signed, old, b"AcroForm");
        let new_form = resolve(self.current, new.get(b"AcroForm").unwrap_or(&Object::Null))
            .and_then(|form| form.as_dict().ok());
        match (old_form, new_form) {
            (None, _) => {}
            (Some(_), None) => self.found.push("biểu mẫu (AcroForm) bị xóa".into()),
            (Some(old), Some(new)) => {
                let fixed = same_except(old, new, &[b"Fields", b"SigFlags", b"DR", b"DA"]);
                if !fixed || !self.appended(old, new, b"Fields") {
                    self.found.push("biểu mẫu (AcroForm)".into());
                }
            }
        }
    }

    /// The XMP stream may be rewritten in place.
    fn metadata(&mut self, old: &Dictionary, new: &Dictionary) {
        if let (Ok(Object::Reference(old)), Ok(Object::Reference(new))) =
            (old.get(b"Metadata"), new.get(b"Metadata"))
            && old == new
        {
            self.handled.insert(*old);
        }
    }

    /// The DSS and its arrays and dictionaries grow with validation data.
    fn dss(&mut self, catalog: &Dictionary) {
        if let Ok(Object::Reference(id)) = catalog.get(b"DSS") {
            self.handled.insert(*id);
        }
        if let Some(dss) = self.entry(self.signed, catalog, b"DSS") {
            for (_, value) in dss {
                if let Object::Reference(id) = value {
                    self.handled.insert(*id);
                }
            }
        }
    }

    /// The dictionary under `key` in `dict` of `doc`, marked handled when
    /// it is an object of its own.
    fn entry<'d>(
        &mut self,
        doc: &'d Document,
        dict: &'d Dictionary,
        key: &[u8],
    ) -> Option<&'d Dictionary> {
        let value = dict.get(key).ok()?;
        if let Object::Reference(id) = value {
            self.handled.insert(*id);
        }
        resolve(doc, value)?.as_dict().ok()
    }

    /// Whether the array under `key` in `new` starts with the one in
    /// `old` (both resolved; an indirect old array is handled here).
    fn appended(&mut self, old: &Dictionary, new: &Dictionary, key: &[u8]) -> bool {
        let Ok(old_value) = old.get(key) else {
            return true;
        };
        if let Object::Reference(id) = old_value {
            self.handled.insert(*id);
        }
        let old_items = match resolve(self.signed, old_value) {
            Some(Object::Array(items)) => items.as_slice(),
            None | Some(Object::Null) => &[],
            Some(_) => return same(old_value, new.get(key).unwrap_or(&Object::Null)),
        };
        let new_items = match new.get(key).ok().and_then(|v| resolve(self.current, v)) {
            Some(Object::Array(items)) => items.as_slice(),
            _ => &[],
        };
        let kept = new_items.starts_with(old_items);
        if kept {
            self.new_items
                .extend_from_slice(&new_items[old_items.len()..]);
        }
        kept
    }

    /// What the appended items are, each counted once.
    fn additions(&self) -> Additions {
        let mut added = Additions::default();
        let mut seen = HashSet::new();
        for item in &self.new_items {
            if let Object::Reference(id) = item
                && !seen.insert(*id)
            {
                continue;
            }
            let Some(Object::Dictionary(dict)) = resolve(self.current, item) else {
                continue;
            };
            let value = dict
                .get(b"V")
                .ok()
                .and_then(|v| resolve(self.current, v))
                .and_then(|v| v.as_dict().ok());
            let is_signature = matches!(dict.get(b"FT"), Ok(Object::Name(kind)) if kind == b"Sig");
            match value {
                Some(value) if is_signature && value.has_type(b"DocTimeStamp") => {
                    added.document_timestamps += 1;
                }
                Some(_) if is_signature => added.signatures += 1,
                _ => {
                    let kind = match dict.get(b"Subtype") {
                        Ok(Object::Name(kind)) => String::from_utf8_lossy(kind).into_owned(),
                        _ => "trường biểu mẫu".into(),
                    };
                    added.others.push(format!("thêm {kind}"));
                }
            }
        }
        added
    }

    fn pages(&mut self) {
        let old_pages = self.signed.get_pages();
        let new_pages = self.current.get_pages();
        if old_pages != new_pages {
            self.found.push("số trang hoặc thứ tự trang".into());
        }
        for (number, id) in old_pages {
            self.handled.insert(id);
            let old = self.signed.get_dictionary(id);
            let new = self.current.get_dictionary(id);
            let kept = match (old, new) {
                (Ok(old), Ok(new)) => {
                    same_except(old, new, &[b"Annots"]) && self.appended(old, new, b"Annots")
                }
                _ => false,
            };
            if !kept {
                self.found.push(format!("trang {number}"));
            }
        }
    }

    fn objects(&mut self) {
        let contents: HashMap<ObjectId, u32> = self
            .signed
            .get_pages()
            .into_iter()
            .flat_map(|(number, page)| {
                self.signed
                    .get_page_contents(page)
                    .into_iter()
                    .map(move |id| (id, number))
            })
            .collect();
        for (id, old) in &self.signed.objects {
            if self.handled.contains(id) || is_container(old) {
                continue;
            }
            let what = match contents.get(id) {
                Some(page) => format!("nội dung trang {page} (đối tượng {} {})", id.0, id.1),
                None => format!("đối tượng {} {}", id.0, id.1),
            };
            match self.current.objects.get(id) {
                None => self.found.push(format!("{what} bị xóa")),
                Some(new) if same(old, new) || signature_filled(old, new) => {}
                Some(new) => match text_filled(old, new) {
                    Some(filled) => self.filled.push(filled),
                    None => self.found.push(what),
                },
            }
        }
    }

    /// References the signed revision made to objects it did not have.
    fn dangling(&mut self) {
        let mut stack: Vec<&Object> = self.signed.objects.values().collect();
        let mut reported = HashSet::new();
        while let Some(object) = stack.pop() {
            match object {
                Object::Reference(id)
                    if !self.signed.objects.contains_key(id)
                        && self.current.objects.contains_key(id)
                        && reported.insert(*id) =>
                {
                    self.found.push(format!(
                        "đối tượng {} {} (được nhắc tới nhưng chưa có khi ký)",
                        id.0, id.1
                    ));
                }
                Object::Array(items) => stack.extend(items),
                Object::Dictionary(dict) => stack.extend(dict.iter().map(|(_, v)| v)),
                Object::Stream(stream) => stack.extend(stream.dict.iter().map(|(_, v)| v)),
                _ => {}
            }
        }
    }
}

/// Equal as PDF objects: streams by dictionary and bytes, not by where
/// they sat in the file.
fn same(old: &Object, new: &Object) -> bool {
    match (old, new) {
        (Object::Stream(old), Object::Stream(new)) => {
            old.dict == new.dict && old.content == new.content
        }
        _ => old == new,
    }
}

/// Equal but for `keys`.
fn same_except(old: &Dictionary, new: &Dictionary, keys: &[&[u8]]) -> bool {
    let mut names: HashSet<&[u8]> = old.iter().map(|(k, _)| k.as_slice()).collect();
    names.extend(new.iter().map(|(k, _)| k.as_slice()));
    names
        .into_iter()
        .filter(|name| !keys.contains(name))
        .all(|name| match (old.get(name), new.get(name)) {
            (Ok(old), Ok(new)) => same(old, new),
            (Err(_), Err(_)) => true,
            _ => false,
        })
}

/// An empty signature field that got its value (and appearance).
fn signature_filled(old: &Object, new: &Object) -> bool {
    let (Object::Dictionary(old), Object::Dictionary(new)) = (old, new) else {
        return false;
    };
    matches!(old.get(b"FT"), Ok(Object::Name(kind)) if kind == b"Sig")
        && !old.has(b"V")
        && same_except(old, new, &[b"V", b"AP"])
}

/// An empty text field that got its value and appearance: "điền trường
/// «name»: value".
fn text_filled(old: &Object, new: &Object) -> Option<String> {
    let (Object::Dictionary(old), Object::Dictionary(new)) = (old, new) else {
        return None;
    };
    let is_text = matches!(old.get(b"FT"), Ok(Object::Name(kind)) if kind == b"Tx");
    if !is_text || old.has(b"V") || !same_except(old, new, &[b"V", b"AP"]) {
        return None;
    }
    let text = |dict: &Dictionary, key: &[u8]| {
        dict.get(key)
            .ok()
            .and_then(|v| lopdf::decode_text_string(v).ok())
            .unwrap_or_default()
    };
    Some(format!(
        "điền trường «{}»: {}",
        text(old, b"T"),
        text(new, b"V")
    ))
}

/// Object and cross-reference streams hold other objects, which are
/// compared one by one.
fn is_container(object: &Object) -> bool {
    matches!(object, Object::Stream(stream) if stream.dict.has_type(b"ObjStm") || stream.dict.has_type(b"XRef"))
}

#[cfg(test)]
mod tests;
