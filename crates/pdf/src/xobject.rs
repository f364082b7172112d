//! A one-page PDF as a Form XObject of another file (ISO 32000-1 §8.10):
//! the appearance of a visible signature, or a stamp drawn on a page.
//! Page 1's content becomes the form's stream, its visible box the
//! `/BBox`, and every object its resources reach (fonts, images, graphics
//! states) is copied under new numbers of the target file, so the import
//! only adds objects and changes none.
//!
//! The one-page PDF is outside input like any other: it is read under
//! [`Limits`] (its size, each stream, its object count, which also bounds
//! what is copied) and its content is decompressed within the stream
//! limit; what cannot serve as a form is refused with a reason.

use std::collections::{BTreeMap, HashMap};

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use crate::load::load;
use crate::page::{inherited, page_id, visible_box};
use crate::{Error, Limits};

/// The objects of an imported form, numbered from the first free number
/// given.
#[derive(Debug)]
pub(crate) struct Imported {
    pub objects: BTreeMap<ObjectId, Object>,
    /// The Form XObject itself.
    pub form: ObjectId,
    /// Its `/BBox`, corners ordered.
    pub bbox: [f64; 4],
}

/// Page 1 of `form_pdf` as a Form XObject numbered from `first_free`,
/// with the objects it needs.
pub(crate) fn import(form_pdf: &[u8], first_free: u32, limits: &Limits) -> Result<Imported, Error> {
    let doc = load(form_pdf, limits)?;
    let page = page_id(&doc, 1).map_err(|_| unusable("tệp không có trang nào"))?;
    let bbox =
        visible_box(&doc, page).map_err(|_| unusable("trang không có khung (/MediaBox) hợp lệ"))?;
    let content = doc
        .get_page_content_with_limit(page, limits.max_stream_bytes)
        .map_err(|_| Error::StreamTooLarge {
            max: limits.max_stream_bytes,
        })?;
    let resources = match inherited(&doc, page, b"Resources")? {
        Some(Object::Dictionary(resources)) => resources.clone(),
        None => Dictionary::new(),
        Some(_) => return Err(unusable("/Resources của trang không phải từ điển")),
    };
    let mut copier = Copier {
        doc: &doc,
        numbers: HashMap::new(),
        pending: Vec::new(),
        next: first_free,
        objects: BTreeMap::new(),
    };
    let form = copier.number()?;
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"XObject".to_vec()));
    dict.set("Subtype", Object::Name(b"Form".to_vec()));
    dict.set("BBox", Object::Array(bbox.map(real).to_vec()));
    dict.set("Resources", copier.renumber(Object::Dictionary(resources))?);
    // A page drawn as a transparency group (images with soft masks) stays
    // one when drawn as a form.
    if let Ok(group) = doc.get_dictionary(page).and_then(|p| p.get(b"Group")) {
        dict.set("Group", copier.renumber(group.clone())?);
    }
    copier.copy_pending()?;
    copier
        .objects
        .insert(form, Object::Stream(Stream::new(dict, content)));
    Ok(Imported {
        objects: copier.objects,
        form,
        bbox,
    })
}

/// `rect` (x0, y0, x1, y1 in points) with its corners ordered; refused
/// when not finite or empty.
pub(crate) fn checked_rect(rect: [f64; 4]) -> Result<[f64; 4], Error> {
    let [a, b, c, d] = rect;
    let ordered = [a.min(c), b.min(d), a.max(c), b.max(d)];
    if ordered.iter().all(|v| v.is_finite() && v.abs() < 1e6)
        && ordered[2] > ordered[0]
        && ordered[3] > ordered[1]
    {
        Ok(ordered)
    } else {
        Err(unusable("khung đặt hình rỗng hoặc không hợp lệ"))
    }
}

/// A PDF real for a coordinate.
#[allow(clippy::cast_possible_truncation)]
pub(crate) fn real(value: f64) -> Object {
    // lopdf holds reals as f32: ample for points on a page.
    Object::Real(value as f32)
}

pub(crate) fn unusable(why: &str) -> Error {
    Error::Appearance(why.to_owned())
}

/// Copies objects of `doc` under new numbers, each once.
struct Copier<'d> {
    doc: &'d Document,
    /// Old number → new.
    numbers: HashMap<ObjectId, ObjectId>,
    /// Old objects numbered (old, new) but not yet copied.
    pending: Vec<(ObjectId, ObjectId)>,
    next: u32,
    objects: BTreeMap<ObjectId, Object>,
}

impl Copier<'_> {
    fn number(&mut self) -> Result<ObjectId, Error> {
        let id = (self.next, 0);
        self.next = self.next.checked_add(1).ok_or(Error::TooManyObjects {
            count: usize::MAX,
            max: u32::MAX as usize,
        })?;
        Ok(id)
    }

    /// `object` with each reference replaced by its new number (the
    /// object referred to queued for copying). Direct objects nest no
    /// deeper than lopdf's reader allows, so the recursion is bounded.
    fn renumber(&mut self, object: Object) -> Result<Object, Error> {
        Ok(match object {
            Object::Reference(old) => Object::Reference(match self.numbers.get(&old) {
                Some(new) => *new,
                None => {
                    let new = self.number()?;
                    self.numbers.insert(old, new);
                    self.pending.push((old, new));
                    new
                }
            }),
            Object::Array(items) => Object::Array(
                items
                    .into_iter()
                    .map(|item| self.renumber(item))
                    .collect::<Result<_, _>>()?,
            ),
            Object::Dictionary(dict) => Object::Dictionary(self.renumber_dict(dict)?),
            Object::Stream(mut stream) => {
                stream.dict = self.renumber_dict(stream.dict)?;
                // The bytes as read; their length may have been indirect.
                let length = i64::try_from(stream.content.len()).unwrap_or(i64::MAX);
                stream.dict.set("Length", length);
                Object::Stream(stream)
            }
            other => other,
        })
    }

    fn renumber_dict(&mut self, dict: Dictionary) -> Result<Dictionary, Error> {
        let mut out = Dictionary::new();
        for (key, value) in dict {
            out.set(key, self.renumber(value)?);
        }
        Ok(out)
    }

    /// Copies every queued object and whatever it refers to; a reference
    /// to a missing object is copied as null, which is how PDF reads it.
    fn copy_pending(&mut self) -> Result<(), Error> {
        while let Some((old, new)) = self.pending.pop() {
            let object = self.doc.get_object(old).cloned().unwrap_or(Object::Null);
            let copy = self.renumber(object)?;
            self.objects.insert(new, copy);
        }
        Ok(())
    }
}
