//! Certification signatures (ISO 32000-1 §12.8.2.2, DocMDP): the one
//! signature the catalog's `/Perms /DocMDP` names, with the changes its
//! transform's `/P` allows after it: 1 none, 2 filling in forms and
//! signing, 3 also annotations. PAdES (ETSI EN 319 142-1 §5.4) adds that
//! DSS data and document timestamps are allowed whatever `P` says, as
//! they only keep signatures verifiable.

use lopdf::{Document, Object, ObjectId};

use crate::changes::Additions;
use crate::fields::resolve;

/// The certification signature's dictionary and its `P` (2 when absent
/// or out of range, as ISO 32000-1 says).
pub(crate) fn certification(doc: &Document) -> Option<(ObjectId, u8)> {
    let catalog = doc.catalog().ok()?;
    let perms = resolve(doc, catalog.get(b"Perms").ok()?)?.as_dict().ok()?;
    let Ok(Object::Reference(id)) = perms.get(b"DocMDP") else {
        return None;
    };
    let signature = doc.get_dictionary(*id).ok()?;
    let references = match signature
        .get(b"Reference")
        .ok()
        .and_then(|r| resolve(doc, r))
    {
        Some(Object::Array(items)) => items.as_slice(),
        _ => &[],
    };
    let permissions = references
        .iter()
        .filter_map(|r| resolve(doc, r)?.as_dict().ok())
        .find(|r| matches!(r.get(b"TransformMethod"), Ok(Object::Name(m)) if m == b"DocMDP"))
        .and_then(|r| {
            resolve(doc, r.get(b"TransformParams").ok()?)?
                .as_dict()
                .ok()
        })
        .and_then(|params| params.get(b"P").ok()?.as_i64().ok())
        .and_then(|p| u8::try_from(p).ok())
        .filter(|p| (1..=3).contains(p))
        .unwrap_or(2);
    Some((*id, permissions))
}

/// What of `added` a certification with `permissions` forbids, in words.
pub(crate) fn forbidden(permissions: u8, added: &Additions) -> Vec<String> {
    let mut found = Vec::new();
    if permissions == 1 {
        if added.signatures > 0 {
            found.push(format!("thêm {} chữ ký", added.signatures));
        }
        found.extend(added.filled.iter().cloned());
    }
    if permissions < 3 {
        found.extend(added.others.iter().cloned());
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_permission_level_forbids_what_iso_32000_says() {
        let added = Additions {
            signatures: 1,
            document_timestamps: 2,
            others: vec!["thêm Text".into()],
            filled: vec!["điền trường «So»: 1".into()],
        };
        assert_eq!(
            forbidden(1, &added),
            ["thêm 1 chữ ký", "điền trường «So»: 1", "thêm Text"]
        );
        assert_eq!(forbidden(2, &added), ["thêm Text"]);
        assert!(forbidden(3, &added).is_empty());
        let maintenance = Additions {
            document_timestamps: 1,
            ..Additions::default()
        };
        assert!(forbidden(1, &maintenance).is_empty());
    }
}
