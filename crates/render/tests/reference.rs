//! Rendering tests: a Khmer paragraph and a Vietnamese paragraph full of
//! stacked marks, rasterised by pdftoppm and compared with reference images
//! that were checked by eye and kept in `tests/reference/`.
//!
//! `EGOV_UPDATE_REFERENCES=1 cargo test -p render --test reference` rewrites
//! them; look at them before committing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use render::{Block, Inline, sample};

/// 72 dpi: one pixel per point, small files, still every mark visible.
const DPI: f64 = 72.0;
/// Channel difference that counts a pixel as different (anti-aliasing noise
/// stays below it).
const PIXEL_THRESHOLD: u8 = 96;
/// Share of pixels allowed to differ.
const TOLERANCE: f64 = 0.005;

fn decode(path: &Path) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    let channels = info.color_type.samples();
    // Grey levels: the first channel of each pixel (the page is black on white).
    let grey = buf.chunks(channels).map(|px| px[0]).collect();
    (info.width, info.height, grey)
}

/// Renders a one-paragraph document and crops the page to the paragraph.
fn render_paragraph(block: Block, first_word: &str, name: &str, height: f64) {
    let mut doc = sample::document();
    doc.body = vec![block];
    let dir = tempfile::tempdir().unwrap();
    let pdf = common::pdf_file(&dir, &doc);
    let (words, _, _) = common::words(&pdf);
    let start = words
        .iter()
        .find(|w| w.text.starts_with(first_word))
        .unwrap_or_else(|| panic!("{first_word} not found"));
    #[allow(clippy::cast_possible_truncation)]
    let px = |pt: f64| ((pt * DPI / 72.0).round() as i64).to_string();
    let x = 30.0 * common::MM;
    let y = start.y_min - 4.0;
    let width = (210.0 - 45.0) * common::MM;
    let out = dir.path().join("crop");
    common::poppler(
        "pdftoppm",
        &[
            "-png",
            "-gray",
            "-singlefile",
            "-f",
            "1",
            "-l",
            "1",
            "-r",
            &DPI.to_string(),
            "-x",
            &px(x),
            "-y",
            &px(y),
            "-W",
            &px(width),
            "-H",
            &px(height),
            pdf.to_str().unwrap(),
            out.to_str().unwrap(),
        ],
    );
    let actual = dir.path().join("crop.png");
    let reference = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/reference")
        .join(name);
    if std::env::var_os("EGOV_UPDATE_REFERENCES").is_some() {
        std::fs::copy(&actual, &reference).unwrap();
    }
    let (w1, h1, a) = decode(&actual);
    let (w2, h2, b) = decode(&reference);
    assert_eq!(
        (w1, h1),
        (w2, h2),
        "size differs from {}",
        reference.display()
    );
    let differing = a
        .iter()
        .zip(&b)
        .filter(|(p, q)| p.abs_diff(**q) > PIXEL_THRESHOLD)
        .count();
    #[allow(clippy::cast_precision_loss)]
    let share = differing as f64 / a.len() as f64;
    if share > TOLERANCE {
        let keep = std::env::temp_dir().join(format!("actual-{name}"));
        std::fs::copy(&actual, &keep).unwrap();
        panic!(
            "{name}: {:.2}% of pixels differ (kept {})",
            share * 100.0,
            keep.display()
        );
    }
    // The crop is not blank: the comparison compares text, not white.
    assert!(
        a.iter().filter(|p| **p < 128).count() > 500,
        "{name} is nearly blank"
    );
}

#[test]
fn khmer_paragraph_matches_its_reference() {
    render_paragraph(
        Block::Khmer(sample::KHMER.into()),
        "រដ្ឋបាល",
        "khmer.png",
        90.0,
    );
}

#[test]
fn stacked_vietnamese_marks_match_their_reference() {
    let first = sample::STACKED_MARKS.split_whitespace().next().unwrap();
    render_paragraph(
        Block::Paragraph(vec![Inline::plain(sample::STACKED_MARKS)]),
        first,
        "stacked-marks.png",
        60.0,
    );
}
