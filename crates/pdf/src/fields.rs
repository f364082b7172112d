//! The interactive form's fields (ISO 32000-1 §12.7): walking the field
//! tree from the catalog's `/AcroForm /Fields` to find the signature fields
//! and the names in use. The tree comes from outside, so the walk is
//! iterative, visits each object once (cycles end) and stops at
//! [`Limits::max_fields`] nodes and [`Limits::max_field_depth`] levels.

use std::collections::HashSet;

use lopdf::{Dictionary, Document, Object, ObjectId, decode_text_string};

use crate::{Error, Limits};

/// A field of the form.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    /// The fully qualified name (parents' partial names joined by `.`).
    pub name: String,
    /// The object that holds its dictionary, when indirect.
    pub id: Option<ObjectId>,
    /// Whether its type (`/FT`, own or inherited) is `/Sig`.
    pub is_signature: bool,
    /// Whether it is `/Tx`, a text field.
    pub is_text: bool,
    /// Its value (`/V`), for a signature field the signature dictionary,
    /// with the object that holds it when indirect.
    pub value: Option<(Option<ObjectId>, Dictionary)>,
}

/// `object` with references followed; `None` for a missing object (which
/// PDF reads as null).
pub(crate) fn resolve<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Object> {
    doc.dereference(object).ok().map(|(_, object)| object)
}

/// The catalog's `/AcroForm`, if any.
pub(crate) fn acroform(doc: &Document) -> Option<&Dictionary> {
    let catalog = doc.catalog().ok()?;
    resolve(doc, catalog.get(b"AcroForm").ok()?)?.as_dict().ok()
}

/// Every field reachable from `/AcroForm /Fields`, parents before kids.
pub(crate) fn fields(doc: &Document, limits: &Limits) -> Result<Vec<Field>, Error> {
    let Some(form) = acroform(doc) else {
        return Ok(Vec::new());
    };
    let Some(Object::Array(roots)) = form.get(b"Fields").ok().and_then(|f| resolve(doc, f)) else {
        return Ok(Vec::new());
    };
    let too_many = || Error::TooManyFields {
        max_fields: limits.max_fields,
        max_depth: limits.max_field_depth,
    };
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let mut visited = 0usize;
    // (node, parent's qualified name, inherited /FT, depth); reversed so
    // fields come out in document order.
    let mut stack: Vec<(&Object, String, Option<Vec<u8>>, usize)> = roots
        .iter()
        .rev()
        .map(|node| (node, String::new(), None, 0))
        .collect();
    while let Some((node, parent, inherited, depth)) = stack.pop() {
        visited += 1;
        if visited > limits.max_fields || depth > limits.max_field_depth {
            return Err(too_many());
        }
        if let Object::Reference(id) = node
            && !seen.insert(*id)
        {
            continue;
        }
        let Some(Object::Dictionary(dict)) = resolve(doc, node) else {
            continue;
        };
        let kind = match dict.get(b"FT") {
            Ok(Object::Name(kind)) => Some(kind.clone()),
            _ => inherited,
        };
        let partial = dict.get(b"T").ok().and_then(|t| decode_text_string(t).ok());
        let name = match (&partial, parent.is_empty()) {
            (Some(partial), true) => partial.clone(),
            (Some(partial), false) => format!("{parent}.{partial}"),
            (None, _) => parent.clone(),
        };
        // A node without /T is a widget of its parent, not a field.
        if partial.is_some() {
            let value = dict.get(b"V").ok().and_then(|v| {
                let (id, value) = doc.dereference(v).ok()?;
                Some((id, value.as_dict().ok()?.clone()))
            });
            out.push(Field {
                name: name.clone(),
                id: match node {
                    Object::Reference(id) => Some(*id),
                    _ => None,
                },
                is_signature: kind.as_deref() == Some(b"Sig"),
                is_text: kind.as_deref() == Some(b"Tx"),
                value,
            });
        }
        if let Some(Object::Array(kids)) = dict.get(b"Kids").ok().and_then(|k| resolve(doc, k)) {
            for kid in kids.iter().rev() {
                stack.push((kid, name.clone(), kind.clone(), depth + 1));
            }
        }
    }
    Ok(out)
}
