//! Drawing a one-page PDF on a page of another, in an incremental update
//! (the number and date an issuing clerk writes into an approved
//! document, the "number/symbol + time" stamp on a copy): the form is
//! imported ([`crate::xobject`]) and the page gets a content stream that
//! draws it, `q … cm /Name Do Q`, scaled into the given rectangle.
//!
//! The page's existing content is wrapped in `q` … `Q` first, so a
//! content stream that leaves the graphics state changed cannot move or
//! scale the stamp. Only the page's own dictionary changes: its
//! `/Contents` becomes a new array (an indirect array, or streams shared
//! with other pages, stay as they are) and its `/Resources` a new direct
//! dictionary holding what it had (inherited from the page tree or held
//! in an object of its own, which other pages may share) plus the form.
//! A stamp after a signature therefore changes a page of the signed
//! revision, and validation names it, as it must: it changes what the
//! signed document shows.

use std::collections::BTreeMap;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use crate::fields::resolve;
use crate::load::load_for_update;
use crate::page::{inherited, page_id};
use crate::syntax::object_bytes;
use crate::update::{append, first_free};
use crate::xobject::{Imported, checked_rect, import};
use crate::{Error, Limits};

/// `original` with page 1 of `form_pdf` drawn on page `page` (from 1),
/// its box scaled to `rect` (x0, y0, x1, y1 in PDF points of the page's
/// default coordinates, from its bottom-left).
pub fn stamp(
    original: &[u8],
    page: usize,
    rect: [f64; 4],
    form_pdf: &[u8],
    limits: &Limits,
) -> Result<Vec<u8>, Error> {
    let rect = checked_rect(rect)?;
    let doc = load_for_update(original, limits)?;
    let page_id = page_id(&doc, page)?;
    let first = first_free(&doc);
    let Imported {
        mut objects,
        form,
        bbox,
    } = import(form_pdf, first, limits)?;
    let next = objects
        .keys()
        .map(|(number, _)| *number)
        .max()
        .unwrap_or(first)
        .checked_add(1)
        .ok_or(Error::TooManyObjects {
            count: usize::MAX,
            max: limits.max_objects,
        })?;
    let (save, draw) = ((next, 0), (next + 1, 0));

    let mut page_dict = doc
        .get_dictionary(page_id)
        .map_err(|_| Error::Malformed(format!("trang {page} không phải từ điển")))?
        .clone();
    let mut resources = resources(&doc, page_id)?;
    let name = add_xobject(&doc, &mut resources, form)?;
    page_dict.set("Resources", resources);
    let mut contents = vec![Object::Reference(save)];
    contents.extend(contents_of(&doc, &page_dict)?);
    contents.push(Object::Reference(draw));
    page_dict.set("Contents", Object::Array(contents));

    objects.insert(save, stream(b"q\n".to_vec()));
    objects.insert(draw, stream(drawing(&name, bbox, rect).into_bytes()));
    objects.insert(page_id, Object::Dictionary(page_dict));
    let bodies = objects
        .iter()
        .map(|(id, object)| Ok((*id, object_bytes(object)?)))
        .collect::<Result<BTreeMap<_, _>, Error>>()?;
    Ok(append(original, &doc, &bodies)?.bytes)
}

/// The operators that draw form `/name`, whose box is `from`, into `to`:
/// after the wrapped page content's `Q`, in a state of their own.
fn drawing(name: &[u8], from: [f64; 4], to: [f64; 4]) -> String {
    let sx = (to[2] - to[0]) / (from[2] - from[0]);
    let sy = (to[3] - to[1]) / (from[3] - from[1]);
    let (tx, ty) = (to[0] - from[0] * sx, to[1] - from[1] * sy);
    format!(
        "Q\nq {sx:.6} 0 0 {sy:.6} {tx:.4} {ty:.4} cm /{} Do Q\n",
        String::from_utf8_lossy(name)
    )
}

fn stream(content: Vec<u8>) -> Object {
    Object::Stream(Stream::new(Dictionary::new(), content))
}

/// A copy of the page's resources, its own or inherited.
fn resources(doc: &Document, page: ObjectId) -> Result<Dictionary, Error> {
    match inherited(doc, page, b"Resources")? {
        Some(Object::Dictionary(dict)) => Ok(dict.clone()),
        None => Ok(Dictionary::new()),
        Some(_) => Err(Error::Malformed(
            "/Resources của trang không phải từ điển".into(),
        )),
    }
}

/// Adds `form` to the `/XObject` of `resources` under a name not in use
/// there, and gives the name.
fn add_xobject(
    doc: &Document,
    resources: &mut Dictionary,
    form: ObjectId,
) -> Result<Vec<u8>, Error> {
    let mut xobjects = match resources.get(b"XObject").ok().and_then(|v| resolve(doc, v)) {
        Some(Object::Dictionary(dict)) => dict.clone(),
        None | Some(Object::Null) => Dictionary::new(),
        Some(_) => {
            return Err(Error::Malformed(
                "/XObject của trang không phải từ điển".into(),
            ));
        }
    };
    // One of n + 1 names is free when n are taken.
    let name = (1..=xobjects.len() + 1)
        .map(|i| format!("EgovStamp{i}").into_bytes())
        .find(|name| !xobjects.has(name))
        .unwrap_or_default();
    xobjects.set(name.clone(), Object::Reference(form));
    resources.set("XObject", xobjects);
    Ok(name)
}

/// The page's content streams as an array's items (a single stream, an
/// array, or an indirect array), for a new array.
fn contents_of(doc: &Document, page: &Dictionary) -> Result<Vec<Object>, Error> {
    match page.get(b"Contents") {
        Ok(Object::Reference(id)) => match doc.get_object(*id) {
            Ok(Object::Array(items)) => Ok(items.clone()),
            _ => Ok(vec![Object::Reference(*id)]),
        },
        Ok(Object::Array(items)) => Ok(items.clone()),
        Ok(Object::Null) | Err(_) => Ok(Vec::new()),
        Ok(_) => Err(Error::Malformed(
            "/Contents của trang phải là luồng hoặc mảng".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_box_is_scaled_into_the_rectangle() {
        let ops = drawing(
            b"EgovStamp1",
            [0.0, 0.0, 100.0, 20.0],
            [400.0, 800.0, 450.0, 810.0],
        );
        assert_eq!(
            ops,
            "Q\nq 0.500000 0 0 0.500000 400.0000 800.0000 cm /EgovStamp1 Do Q\n"
        );
        let shifted = drawing(b"X", [10.0, 10.0, 20.0, 20.0], [0.0, 0.0, 10.0, 10.0]);
        assert!(shifted.contains("1.000000 0 0 1.000000 -10.0000 -10.0000 cm"));
    }
}
