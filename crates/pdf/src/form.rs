//! Text fields written into a document after it is signed: the number and
//! date the issuing clerk gives a document the leader has already signed
//! (Decree 30/2020 art. 15: the number is allocated at issue).
//!
//! Why fields: any change to a page's content after a signature breaks
//! it, but filling in a form field the signed revision already had is a
//! change every validator lets an approval signature keep (ISO 32000-1
//! §12.8.2.2; pyHanko's "form filling" level; egov's [`crate::changes`]).
//! So [`add_text_fields`] puts empty, read-only text fields over the
//! blanks before the leader signs, and [`fill_text_fields`] fills them at
//! issue: the value (`/V`) and an appearance that covers the blank in
//! white and draws the text (a one-page PDF, like a signature's
//! appearance) centred in it, scaled down only if it is wider.

use std::collections::{BTreeMap, HashMap, HashSet};

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, decode_text_string, text_string};

use crate::edit::{Edits, catalog_id};
use crate::fields::fields;
use crate::load::load_for_update;
use crate::page::page_id;
use crate::syntax::object_bytes;
use crate::update::{append, first_free};
use crate::xobject::{checked_rect, import, real};
use crate::{Error, Limits};

/// Field flags: ReadOnly (1): people do not type into it; egov fills it.
const READ_ONLY: i64 = 1;
/// Annotation flags: Print (4).
const PRINT: i64 = 4;

/// An empty text field to add: its name, page (from 1) and rectangle
/// (x0, y0, x1, y1 in PDF points of the page's default coordinates).
#[derive(Debug, Clone, PartialEq)]
pub struct TextField {
    pub name: String,
    pub page: usize,
    pub rect: [f64; 4],
}

/// What to write into the text field `name`: its `value`, and `form`, a
/// one-page PDF showing it (the document's font and size).
#[derive(Debug, Clone, PartialEq)]
pub struct Fill {
    pub name: String,
    pub value: String,
    pub form: Vec<u8>,
}

/// `original` with `new` empty text fields, in an incremental update.
pub fn add_text_fields(
    original: &[u8],
    new: &[TextField],
    limits: &Limits,
) -> Result<Vec<u8>, Error> {
    let doc = load_for_update(original, limits)?;
    let mut names: HashSet<String> = fields(&doc, limits)?.into_iter().map(|f| f.name).collect();
    let catalog = catalog_id(&doc)?;
    let mut numbers = Numbers::from(first_free(&doc), limits);
    let mut edits = Edits::new(&doc);
    for field in new {
        if !names.insert(field.name.clone()) {
            return Err(Error::FieldExists(field.name.clone()));
        }
        let rect = checked_rect(field.rect)?;
        let page = page_id(&doc, field.page)?;
        let (widget, blank) = (numbers.next()?, numbers.next()?);
        edits.changed.insert(
            blank,
            appearance(size_of(rect), Dictionary::new(), Vec::new()),
        );
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"Annot".to_vec()));
        dict.set("Subtype", Object::Name(b"Widget".to_vec()));
        dict.set("FT", Object::Name(b"Tx".to_vec()));
        dict.set("T", text_string(&field.name));
        dict.set("Ff", READ_ONLY);
        dict.set("F", PRINT);
        dict.set("Rect", Object::Array(rect.map(real).to_vec()));
        dict.set("P", Object::Reference(page));
        dict.set("DA", Object::string_literal("/Helv 0 Tf 0 g"));
        dict.set(
            "AP",
            Dictionary::from_iter([("N", Object::Reference(blank))]),
        );
        edits.changed.insert(widget, Object::Dictionary(dict));
        edits.attach(catalog, page, widget, false)?;
    }
    write(original, &doc, &edits.changed)
}

/// The text fields of `bytes`, each with its value if it has one.
pub fn text_fields(bytes: &[u8], limits: &Limits) -> Result<Vec<(String, Option<String>)>, Error> {
    let doc = crate::load::load(bytes, limits)?;
    Ok(fields(&doc, limits)?
        .into_iter()
        .filter(|f| f.is_text)
        .map(|f| {
            let value =
                f.id.and_then(|id| doc.get_dictionary(id).ok())
                    .and_then(|dict| dict.get(b"V").ok())
                    .and_then(|v| decode_text_string(v).ok());
            (f.name, value)
        })
        .collect())
}

/// `bytes` with each of `fills` written into its empty text field, in an
/// incremental update; refused if a field is missing or already filled.
pub fn fill_text_fields(bytes: &[u8], fills: &[Fill], limits: &Limits) -> Result<Vec<u8>, Error> {
    let doc = load_for_update(bytes, limits)?;
    let by_name: HashMap<String, ObjectId> = fields(&doc, limits)?
        .into_iter()
        .filter(|f| f.is_text)
        .filter_map(|f| Some((f.name, f.id?)))
        .collect();
    let mut numbers = Numbers::from(first_free(&doc), limits);
    let mut objects = BTreeMap::new();
    for fill in fills {
        let missing = || Error::NoSuchField(fill.name.clone());
        let id = *by_name.get(&fill.name).ok_or_else(missing)?;
        let mut dict = doc.get_dictionary(id).map_err(|_| missing())?.clone();
        if dict.has(b"V") {
            return Err(Error::FieldFilled(fill.name.clone()));
        }
        let rect = widget_rect(&dict)?;
        let imported = import(&fill.form, numbers.next()?.0, limits)?;
        numbers.skip_past(imported.objects.keys())?;
        let wrapper = numbers.next()?;
        let (width, height) = size_of(rect);
        let resources = Dictionary::from_iter([(
            "XObject",
            Object::Dictionary(Dictionary::from_iter([(
                "Text",
                Object::Reference(imported.form),
            )])),
        )]);
        let content = format!(
            "1 g 0 0 {width:.4} {height:.4} re f\n{}",
            centred(imported.bbox, width, height)
        );
        objects.extend(imported.objects);
        objects.insert(
            wrapper,
            appearance((width, height), resources, content.into_bytes()),
        );
        dict.set("V", text_string(&fill.value));
        dict.set(
            "AP",
            Dictionary::from_iter([("N", Object::Reference(wrapper))]),
        );
        objects.insert(id, Object::Dictionary(dict));
    }
    write(bytes, &doc, &objects)
}

/// Draws form `/Text`, whose box is `bbox`, centred in a `width` ×
/// `height` box, at its own size or smaller to fit.
fn centred(bbox: [f64; 4], width: f64, height: f64) -> String {
    let (w, h) = (bbox[2] - bbox[0], bbox[3] - bbox[1]);
    let scale = (width / w).min(height / h).min(1.0);
    let tx = (width - w * scale) / 2.0 - bbox[0] * scale;
    let ty = (height - h * scale) / 2.0 - bbox[1] * scale;
    format!("q {scale:.6} 0 0 {scale:.6} {tx:.4} {ty:.4} cm /Text Do Q\n")
}

/// A widget's `/Rect`, corners ordered.
fn widget_rect(dict: &Dictionary) -> Result<[f64; 4], Error> {
    let bad = || Error::Malformed("trường văn bản không có /Rect hợp lệ".into());
    let items = dict
        .get(b"Rect")
        .and_then(Object::as_array)
        .map_err(|_| bad())?;
    let numbers: Vec<f64> = items
        .iter()
        .map(|item| item.as_float().map(f64::from).map_err(|_| bad()))
        .collect::<Result<_, _>>()?;
    let [x0, y0, x1, y1] = numbers[..] else {
        return Err(bad());
    };
    checked_rect([x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1)])
}

fn size_of(rect: [f64; 4]) -> (f64, f64) {
    (rect[2] - rect[0], rect[3] - rect[1])
}

/// A widget's appearance: a form of the widget's size.
fn appearance((width, height): (f64, f64), resources: Dictionary, content: Vec<u8>) -> Object {
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"XObject".to_vec()));
    dict.set("Subtype", Object::Name(b"Form".to_vec()));
    dict.set(
        "BBox",
        Object::Array(vec![real(0.0), real(0.0), real(width), real(height)]),
    );
    dict.set("Resources", resources);
    Object::Stream(Stream::new(dict, content))
}

fn write(
    original: &[u8],
    doc: &Document,
    objects: &BTreeMap<ObjectId, Object>,
) -> Result<Vec<u8>, Error> {
    let bodies = objects
        .iter()
        .map(|(id, object)| Ok((*id, object_bytes(object)?)))
        .collect::<Result<BTreeMap<_, _>, Error>>()?;
    Ok(append(original, doc, &bodies)?.bytes)
}

/// New object numbers, from the first free one.
struct Numbers {
    next: u32,
    max_objects: usize,
}

impl Numbers {
    fn from(first: u32, limits: &Limits) -> Self {
        Numbers {
            next: first,
            max_objects: limits.max_objects,
        }
    }

    fn next(&mut self) -> Result<ObjectId, Error> {
        let id = (self.next, 0);
        self.next = self.next.checked_add(1).ok_or(Error::TooManyObjects {
            count: usize::MAX,
            max: self.max_objects,
        })?;
        Ok(id)
    }

    /// Past every number in `used` (objects an import numbered).
    fn skip_past<'a>(&mut self, used: impl Iterator<Item = &'a ObjectId>) -> Result<(), Error> {
        if let Some(last) = used.map(|(number, _)| *number).max()
            && last >= self.next
        {
            self.next = last;
            self.next()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_centred_and_only_shrunk() {
        // A 60 × 15 text in a 100 × 20 box: at its size, in the middle.
        assert_eq!(
            centred([0.0, 0.0, 60.0, 15.0], 100.0, 20.0),
            "q 1.000000 0 0 1.000000 20.0000 2.5000 cm /Text Do Q\n"
        );
        // Twice as wide as the box: half size, flush left and right.
        assert_eq!(
            centred([0.0, 0.0, 200.0, 10.0], 100.0, 20.0),
            "q 0.500000 0 0 0.500000 0.0000 7.5000 cm /Text Do Q\n"
        );
    }
}
