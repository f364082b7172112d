//! Pages of a document as an update needs them: a page's object by its
//! number, and the attributes a page inherits from the page tree
//! (ISO 32000-1 §7.7.3.4: `/Resources`, `/MediaBox`, `/CropBox`,
//! `/Rotate`), found by walking `/Parent` up a bounded number of levels,
//! since the tree comes from outside and may loop.

use std::collections::HashSet;

use lopdf::{Document, Object, ObjectId};

use crate::fields::resolve;
use crate::load::load;
use crate::xobject::checked_rect;
use crate::{Error, Limits};

/// Page-tree levels walked up before giving up: real trees are a few
/// levels deep (lopdf's reader nests no deeper than 100 either).
const MAX_TREE_DEPTH: usize = 64;

/// The object of page `page` (from 1).
pub(crate) fn page_id(doc: &Document, page: usize) -> Result<ObjectId, Error> {
    let pages = doc.get_pages();
    u32::try_from(page)
        .ok()
        .and_then(|number| pages.get(&number))
        .copied()
        .ok_or(Error::NoSuchPage {
            page,
            pages: pages.len(),
        })
}

/// The value of the inheritable attribute `key` for the page `page`,
/// references followed: the page's own or its nearest ancestor's.
pub(crate) fn inherited<'d>(
    doc: &'d Document,
    page: ObjectId,
    key: &[u8],
) -> Result<Option<&'d Object>, Error> {
    let mut seen = HashSet::new();
    let mut node = page;
    loop {
        if !seen.insert(node) || seen.len() > MAX_TREE_DEPTH {
            return Err(Error::Malformed(
                "cây trang lặp vòng hoặc lồng quá sâu".into(),
            ));
        }
        let dict = doc.get_dictionary(node).map_err(|_| {
            Error::Malformed(format!(
                "nút {} {} của cây trang không phải từ điển",
                node.0, node.1
            ))
        })?;
        if let Ok(value) = dict.get(key) {
            return Ok(resolve(doc, value).filter(|v| !matches!(v, Object::Null)));
        }
        match dict.get(b"Parent").and_then(Object::as_reference) {
            Ok(parent) => node = parent,
            Err(_) => return Ok(None),
        }
    }
}

/// The box of page `page` (from 1) of `bytes` as a reader shows it (its
/// crop box, else its media box): x0, y0, x1, y1 in PDF points.
pub fn page_box(bytes: &[u8], page: usize, limits: &Limits) -> Result<[f64; 4], Error> {
    let doc = load(bytes, limits)?;
    visible_box(&doc, page_id(&doc, page)?)
}

/// What of `page` a reader shows: its crop box, else its media box.
pub(crate) fn visible_box(doc: &Document, page: ObjectId) -> Result<[f64; 4], Error> {
    let found = match inherited(doc, page, b"CropBox")? {
        Some(found) => Some(found),
        None => inherited(doc, page, b"MediaBox")?,
    };
    let numbers: Vec<f64> = match found {
        Some(Object::Array(items)) => items
            .iter()
            .filter_map(|item| item.as_float().ok().map(f64::from))
            .collect(),
        _ => Vec::new(),
    };
    let rect: [f64; 4] = numbers
        .try_into()
        .map_err(|_| Error::Malformed("trang không có khung (/MediaBox) hợp lệ".into()))?;
    checked_rect(rect)
}
