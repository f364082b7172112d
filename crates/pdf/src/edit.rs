//! What a signature adds to the document's objects: a signature field
//! merged with its widget annotation (`/F 132` = print and locked:
//! invisible with `/Rect [0 0 0 0]`, or visible in the [`Appearance`]'s
//! rectangle with its one-page PDF imported as the normal appearance
//! `/AP /N`, as pyHanko marks its visible ones), listed in the page's `/Annots` and in
//! the catalog's `/AcroForm /Fields` with `/SigFlags 3` (signatures exist,
//! append only). The AcroForm is created if absent; arrays and
//! dictionaries held as indirect objects are changed where they live, so
//! the update rewrites as few objects as it can.

use std::collections::{BTreeMap, HashSet};

use lopdf::{Dictionary, Document, Object, ObjectId, text_string};

use crate::fields::fields;
use crate::xobject::{checked_rect, import, real};
use crate::{Error, Limits};

/// `/SigFlags`: SignaturesExist (1) and AppendOnly (2).
const SIG_FLAGS: i64 = 3;
/// Annotation flags: Print (4) and Locked (128).
const WIDGET_FLAGS: i64 = 132;

/// What a visible signature shows: `form`, a one-page PDF (the signer's
/// image, name and time; an organisation's seal), drawn with its page box
/// scaled to `rect` on the signature's page.
#[derive(Debug, Clone, PartialEq)]
pub struct Appearance {
    /// x0, y0, x1, y1 in PDF points of the page's default coordinates,
    /// from its bottom-left.
    pub rect: [f64; 4],
    pub form: Vec<u8>,
}

/// The objects the update writes besides the signature dictionary, whose
/// number is reserved.
#[derive(Debug)]
pub(crate) struct Added {
    pub objects: BTreeMap<ObjectId, Object>,
    pub signature: ObjectId,
    pub field_name: String,
}

/// Adds a signature field on the page `page_id` named `wanted`, or the
/// first free `SignatureN`, showing `appearance` if any; new objects are
/// numbered from `first_free`.
pub(crate) fn signature_field(
    doc: &Document,
    page_id: ObjectId,
    wanted: Option<&str>,
    appearance: Option<&Appearance>,
    first_free: u32,
    limits: &Limits,
) -> Result<Added, Error> {
    let catalog_id = catalog_id(doc)?;
    let names: HashSet<String> = fields(doc, limits)?.into_iter().map(|f| f.name).collect();
    let field_name = match wanted {
        Some(name) if names.contains(name) => return Err(Error::FieldExists(name.to_owned())),
        Some(name) => name.to_owned(),
        // One of n + 1 names is free when n are taken.
        None => (1..=names.len() + 1)
            .map(|i| format!("Signature{i}"))
            .find(|name| !names.contains(name))
            .unwrap_or_default(),
    };
    let next = |offset: u32| {
        first_free
            .checked_add(offset)
            .map(|n| (n, 0))
            .ok_or(Error::TooManyObjects {
                count: usize::MAX,
                max: limits.max_objects,
            })
    };
    let signature = next(0)?;
    let widget = next(1)?;

    let mut edits = Edits::new(doc);
    let mut field = Dictionary::new();
    field.set("Type", Object::Name(b"Annot".to_vec()));
    field.set("Subtype", Object::Name(b"Widget".to_vec()));
    field.set("FT", Object::Name(b"Sig".to_vec()));
    field.set("T", text_string(&field_name));
    field.set("V", Object::Reference(signature));
    match appearance {
        None => field.set(
            "Rect",
            Object::Array(vec![0.into(), 0.into(), 0.into(), 0.into()]),
        ),
        Some(appearance) => {
            let rect = checked_rect(appearance.rect)?;
            let imported = import(&appearance.form, next(2)?.0, limits)?;
            field.set("Rect", Object::Array(rect.map(real).to_vec()));
            let mut normal = Dictionary::new();
            normal.set("N", Object::Reference(imported.form));
            field.set("AP", normal);
            edits.changed.extend(imported.objects);
        }
    }
    field.set("F", WIDGET_FLAGS);
    field.set("P", Object::Reference(page_id));
    edits.changed.insert(widget, Object::Dictionary(field));

    edits.attach(catalog_id, page_id, widget, true)?;
    Ok(Added {
        objects: edits.changed,
        signature,
        field_name,
    })
}

/// The catalog's object (`/Root` of the trailer).
pub(crate) fn catalog_id(doc: &Document) -> Result<ObjectId, Error> {
    doc.trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|_| Error::Malformed("không có danh mục tài liệu (/Root)".into()))
}

fn set_flags(form: &mut Dictionary, signature: bool) {
    if signature {
        let old = form.get(b"SigFlags").and_then(Object::as_i64).unwrap_or(0);
        form.set("SigFlags", old | SIG_FLAGS);
    }
}

/// Objects changed so far, over the document as loaded.
pub(crate) struct Edits<'d> {
    doc: &'d Document,
    pub changed: BTreeMap<ObjectId, Object>,
}

impl<'d> Edits<'d> {
    pub(crate) fn new(doc: &'d Document) -> Self {
        Edits {
            doc,
            changed: BTreeMap::new(),
        }
    }

    /// Lists the field-and-widget `widget` in the `/Annots` of page
    /// `page_id` and in the AcroForm's `/Fields` (creating the AcroForm if
    /// absent), with the signature flags set when it is a `signature`.
    pub(crate) fn attach(
        &mut self,
        catalog_id: ObjectId,
        page_id: ObjectId,
        widget: ObjectId,
        signature: bool,
    ) -> Result<(), Error> {
        let mut page_dict = self.dict(page_id)?;
        if self.append(&mut page_dict, b"Annots", Object::Reference(widget))? {
            self.changed.insert(page_id, Object::Dictionary(page_dict));
        }
        let mut catalog = self.dict(catalog_id)?;
        match catalog.get(b"AcroForm") {
            Ok(Object::Reference(form_id)) => {
                let form_id = *form_id;
                let mut form = self.dict(form_id)?;
                self.append(&mut form, b"Fields", Object::Reference(widget))?;
                set_flags(&mut form, signature);
                self.changed.insert(form_id, Object::Dictionary(form));
            }
            Ok(Object::Dictionary(form)) => {
                let mut form = form.clone();
                self.append(&mut form, b"Fields", Object::Reference(widget))?;
                set_flags(&mut form, signature);
                catalog.set("AcroForm", form);
                self.changed.insert(catalog_id, Object::Dictionary(catalog));
            }
            Err(_) | Ok(Object::Null) => {
                let mut form = Dictionary::new();
                form.set("Fields", Object::Array(vec![Object::Reference(widget)]));
                set_flags(&mut form, signature);
                catalog.set("AcroForm", form);
                self.changed.insert(catalog_id, Object::Dictionary(catalog));
            }
            Ok(_) => {
                return Err(Error::Malformed(
                    "/AcroForm của danh mục không phải từ điển".into(),
                ));
            }
        }
        Ok(())
    }

    fn object(&self, id: ObjectId) -> Result<Object, Error> {
        match self.changed.get(&id) {
            Some(object) => Ok(object.clone()),
            None => self.doc.get_object(id).cloned().map_err(|e| {
                Error::Malformed(format!("không đọc được đối tượng {} {}: {e}", id.0, id.1))
            }),
        }
    }

    pub(crate) fn dict(&self, id: ObjectId) -> Result<Dictionary, Error> {
        match self.object(id)? {
            Object::Dictionary(dict) => Ok(dict),
            _ => Err(Error::Malformed(format!(
                "đối tượng {} {} phải là từ điển",
                id.0, id.1
            ))),
        }
    }

    /// Appends `item` to the array under `key` in `dict`: in place when the
    /// array is direct or absent (returns true: `dict` changed), in its own
    /// object when indirect (returns false).
    fn append(&mut self, dict: &mut Dictionary, key: &[u8], item: Object) -> Result<bool, Error> {
        match dict.get(key) {
            Ok(Object::Reference(id)) => {
                let id = *id;
                match self.object(id)? {
                    Object::Array(mut array) => {
                        array.push(item);
                        self.changed.insert(id, Object::Array(array));
                        Ok(false)
                    }
                    Object::Null => {
                        dict.set(key.to_vec(), Object::Array(vec![item]));
                        Ok(true)
                    }
                    _ => Err(not_an_array(key)),
                }
            }
            Ok(Object::Array(array)) => {
                let mut array = array.clone();
                array.push(item);
                dict.set(key.to_vec(), Object::Array(array));
                Ok(true)
            }
            Ok(Object::Null) | Err(_) => {
                dict.set(key.to_vec(), Object::Array(vec![item]));
                Ok(true)
            }
            Ok(_) => Err(not_an_array(key)),
        }
    }
}

fn not_an_array(key: &[u8]) -> Error {
    Error::Malformed(format!("/{} phải là mảng", String::from_utf8_lossy(key)))
}
