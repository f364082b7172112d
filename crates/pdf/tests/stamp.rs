//! Drawing a one-page PDF onto a page (`pdf::stamp`): the stamp lands in
//! its rectangle at the right scale, only the stamped page changes (pages
//! sharing contents and resources, inherited or indirect, keep theirs), a
//! stamp after a signature is named as a change by validation, and a
//! hostile "one-page PDF" is refused with a reason, never a panic.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::{
    appearance_pdf, count_in, handmade, hierarchy, is_blue, pdf_of, pixels, run, shared_pages,
    with_xref_stream,
};
use pdf::{Error, Limits, Problem, SignOptions, sign, stamp};
use pki::KeySpec;
use pki::software::SoftwareKey;
use time::OffsetDateTime;

const RECT: [f64; 4] = [400.0, 780.0, 500.0, 820.0];

fn text_of(dir: &Path, pdf: &[u8], page: usize) -> String {
    let file = dir.join("text.pdf");
    std::fs::write(&file, pdf).unwrap();
    let page = page.to_string();
    let (ok, out) = run(
        Path::new("pdftotext"),
        &[
            "-f",
            &page,
            "-l",
            &page,
            "-bbox",
            file.to_str().unwrap(),
            "-",
        ],
    );
    assert!(ok, "pdftotext: {out}");
    out
}

/// The `xMin` and `yMin` (from the top) of `word` in `pdftotext -bbox`.
fn word_at(bbox: &str, word: &str) -> Option<(f64, f64)> {
    let line = bbox
        .lines()
        .find(|l| l.contains(&format!(">{word}</word>")))?;
    let attr = |name: &str| -> f64 {
        let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        line[start..].split('"').next().unwrap().parse().unwrap()
    };
    Some((attr("xMin"), attr("yMin")))
}

#[test]
fn the_stamp_is_drawn_in_its_rectangle_on_every_kind_of_file() {
    let dir = tempfile::tempdir().unwrap();
    for original in [handmade("Cong van so 1"), with_xref_stream("Cong van so 1")] {
        let stamped = stamp(
            &original,
            1,
            RECT,
            &appearance_pdf("So 12"),
            &Limits::default(),
        )
        .unwrap();
        assert!(stamped.starts_with(&original), "the original was rewritten");
        let bbox = text_of(dir.path(), &stamped, 1);
        // Scaled by half: the text at (10, 30) of the form lands at
        // (405, 795); 842 - 795 = 47 from the top, less the ascent.
        let (x, _) = word_at(&bbox, "So").unwrap_or_else(|| panic!("{bbox}"));
        assert!((x - 405.0).abs() < 1.0, "{bbox}");
        assert!(word_at(&bbox, "Cong").is_some(), "{bbox}");
        let page = pixels(dir.path(), &stamped, 1);
        let inside = count_in(&page, RECT, is_blue);
        assert!(inside > 3000, "{inside} blue pixels in the rectangle");
        assert_eq!(count_in(&page, [0.0, 0.0, 595.0, 770.0], is_blue), 0);
    }
}

#[test]
fn only_the_stamped_page_changes() {
    let dir = tempfile::tempdir().unwrap();
    let original = shared_pages();
    let once = stamp(
        &original,
        1,
        RECT,
        &appearance_pdf("So 12"),
        &Limits::default(),
    )
    .unwrap();
    let before = lopdf::Document::load_mem(&original).unwrap();
    let after = lopdf::Document::load_mem(&once).unwrap();
    for id in [2, 4, 7, 8, 9, 10] {
        assert_eq!(
            before.get_object((id, 0)).unwrap(),
            after.get_object((id, 0)).unwrap(),
            "object {id} changed"
        );
    }
    assert!(word_at(&text_of(dir.path(), &once, 1), "So").is_some());
    let second = text_of(dir.path(), &once, 2);
    assert!(
        word_at(&second, "So").is_none() && word_at(&second, "Trang").is_some(),
        "{second}"
    );

    // Page 2 (its own indirect resources, a direct contents array) too,
    // under a second name beside the first.
    let twice = stamp(&once, 2, RECT, &appearance_pdf("So 13"), &Limits::default()).unwrap();
    assert!(word_at(&text_of(dir.path(), &twice, 2), "13").is_some());
    assert!(word_at(&text_of(dir.path(), &twice, 1), "12").is_some());
    assert!(word_at(&text_of(dir.path(), &twice, 1), "13").is_none());
}

#[test]
fn a_stamp_after_a_signature_is_named_as_a_change() {
    let key = SoftwareKey::generate(KeySpec::EcP256).unwrap();
    let pki = hierarchy(KeySpec::EcP256, &key);
    let signed = sign(
        &handmade("Cong van so 1"),
        &pki.signer(&key),
        &SignOptions::new(OffsetDateTime::now_utc()),
    )
    .unwrap();
    let stamped = stamp(
        &signed,
        1,
        RECT,
        &appearance_pdf("So 12"),
        &Limits::default(),
    )
    .unwrap();
    let reports = common::verify_bb(&stamped, &[pki.root_der()]).unwrap();
    assert!(
        matches!(&reports[0].problems[..], [Problem::Modified(what)] if what.iter().any(|w| w.contains("trang 1"))),
        "{:?}",
        reports[0].problems
    );
}

#[test]
fn hostile_forms_are_refused_with_a_reason() {
    let original = handmade("Cong van so 1");
    let limits = Limits::default();
    let refused = |form: &[u8], rect: [f64; 4], limits: &Limits| {
        stamp(&original, 1, rect, form, limits).expect_err("accepted")
    };
    assert!(matches!(
        refused(b"not a pdf", RECT, &limits),
        Error::Malformed(_)
    ));
    let no_pages = pdf_of(&[
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [] /Count 0 >>".to_owned(),
    ]);
    assert!(matches!(
        refused(&no_pages, RECT, &limits),
        Error::Appearance(_)
    ));
    let no_box = pdf_of(&[
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 0 5] >>".to_owned(),
    ]);
    let error = refused(&no_box, RECT, &limits);
    assert!(matches!(error, Error::Appearance(_)), "{error}");
    assert!(error.to_string().contains("không dùng được"), "{error}");
    let looping = pdf_of(&[
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 /Parent 3 0 R >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R >>".to_owned(),
    ]);
    assert!(matches!(
        refused(&looping, RECT, &limits),
        Error::Malformed(_) | Error::Appearance(_)
    ));
    for rect in [
        [0.0, 0.0, 0.0, 10.0],
        [f64::NAN, 0.0, 1.0, 1.0],
        [0.0, 0.0, 1e300, 1.0],
    ] {
        assert!(matches!(
            refused(&appearance_pdf("x"), rect, &limits),
            Error::Appearance(_)
        ));
    }
    let small = Limits {
        max_stream_bytes: 16,
        ..Limits::default()
    };
    assert!(matches!(
        refused(&appearance_pdf("So 12"), RECT, &small),
        Error::StreamTooLarge { max: 16 }
    ));
    // Resources that refer to themselves are copied once.
    let cycle = pdf_of(&[
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] /Resources 4 0 R >>".to_owned(),
        "<< /ExtGState << /G 5 0 R >> >>".to_owned(),
        "<< /Type /ExtGState /Self 4 0 R /Missing 99 0 R >>".to_owned(),
    ]);
    let stamped = stamp(&original, 1, RECT, &cycle, &limits).unwrap();
    assert!(lopdf::Document::load_mem(&stamped).is_ok());
    assert!(matches!(
        stamp(&original, 2, RECT, &cycle, &limits),
        Err(Error::NoSuchPage { page: 2, pages: 1 })
    ));
}
