//! The rules of `changes` on small documents built in memory: what
//! later revisions may add after a signature, and what they may not.

use lopdf::{Dictionary, Stream, dictionary};

use super::*;

/// A one-page document: catalog 1 (with `catalog` entries added),
/// pages 2, page 3 (with `annots`), content 4 (`text`), AcroForm
/// fields `fields`, and `more` objects.
fn document(
    catalog: &[(&str, Object)],
    annots: &[u32],
    text: &str,
    more: Vec<(u32, Object)>,
) -> Document {
    let refs = |numbers: &[u32]| {
        Object::Array(numbers.iter().map(|n| Object::Reference((*n, 0))).collect())
    };
    let mut root = dictionary! {
        "Type" => "Catalog",
        "Pages" => Object::Reference((2, 0)),
        "AcroForm" => dictionary! { "Fields" => refs(annots), "SigFlags" => 3 },
    };
    for (key, value) in catalog {
        root.set(*key, value.clone());
    }
    let mut doc = Document::with_version("1.7");
    let objects = [
        (1, Object::Dictionary(root)),
        (
            2,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => refs(&[3]), "Count" => 1,
            }),
        ),
        (
            3,
            Object::Dictionary(dictionary! {
                "Type" => "Page", "Parent" => Object::Reference((2, 0)),
                "Contents" => Object::Reference((4, 0)), "Annots" => refs(annots),
            }),
        ),
        (
            4,
            Object::Stream(Stream::new(Dictionary::new(), text.as_bytes().to_vec())),
        ),
    ];
    for (number, object) in objects.into_iter().chain(more) {
        doc.objects.insert((number, 0), object);
    }
    doc.trailer.set("Root", Object::Reference((1, 0)));
    doc
}

/// A signature field with its value, `kind` `Sig` or `DocTimeStamp`.
fn signed_field(number: u32, kind: &str) -> Vec<(u32, Object)> {
    vec![
        (
            number,
            Object::Dictionary(dictionary! {
                "Type" => "Annot", "Subtype" => "Widget", "FT" => "Sig",
                "T" => Object::string_literal(format!("F{number}")),
                "V" => Object::Reference((number + 1, 0)), "P" => Object::Reference((3, 0)),
            }),
        ),
        (
            number + 1,
            Object::Dictionary(dictionary! { "Type" => kind }),
        ),
    ]
}

#[test]
fn validation_data_signatures_and_timestamps_are_not_changes() {
    let signed = document(&[], &[10], "BT ET", signed_field(10, "Sig"));
    let mut more = signed_field(10, "Sig");
    more.extend(signed_field(12, "Sig"));
    more.extend(signed_field(14, "DocTimeStamp"));
    more.push((16, Object::Dictionary(dictionary! { "Certs" => vec![] })));
    let current = document(
        &[("DSS", Object::Reference((16, 0)))],
        &[10, 12, 14],
        "BT ET",
        more,
    );
    let found = changes(&signed, &current);
    assert!(found.changed.is_empty(), "{found:?}");
    assert_eq!(found.added.signatures, 1);
    assert_eq!(found.added.document_timestamps, 1);
    assert!(found.added.others.is_empty());
}

#[test]
fn content_is_named_and_other_annotations_are_sorted_out() {
    let signed = document(&[], &[10], "BT ET", signed_field(10, "Sig"));
    let mut more = signed_field(10, "Sig");
    more.push((
        12,
        Object::Dictionary(dictionary! { "Type" => "Annot", "Subtype" => "Text" }),
    ));
    let current = document(&[], &[10, 12], "BT (changed) Tj ET", more);
    let found = changes(&signed, &current);
    assert_eq!(found.changed, ["nội dung trang 1 (đối tượng 4 0)"]);
    assert_eq!(found.added.others, ["thêm Text"]);

    // An annotation in place of the signature's widget is a change.
    let current = document(&[], &[12], "BT ET", signed_field(12, "Sig"));
    let found = changes(&signed, &current);
    assert!(!found.changed.is_empty(), "{found:?}");
}
