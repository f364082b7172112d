//! The PDF output checked with poppler, as a reader of the file would:
//! text comes back exactly, fonts are embedded, the page follows Decree 30.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{MM, pdf_file, pdftotext, poppler, words};
use render::sample;
use unicode_normalization::UnicodeNormalization;

/// Whitespace-insensitive: pdftotext breaks lines where the layout did.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn pdftotext_returns_the_vietnamese_text_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let path = pdf_file(&dir, &sample::document());
    let text = pdftotext(&path);
    // The extracted text is already NFC: no decomposed marks sneak in.
    assert_eq!(
        text.nfc().collect::<String>(),
        text,
        "pdftotext output is not NFC"
    );
    let flat = squash(&text);
    // Hyphenation would split words; Vietnamese is not hyphenated.
    for expected in [
        sample::STACKED_MARKS,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Trà Vinh, ngày 05 tháng 5 năm 2021",
        "Số: 15/BC-STTTT",
        "Kính gửi: Ủy ban nhân dân tỉnh Trà Vinh",
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Nguyễn Văn Hùng",
        "Nơi nhận:",
        "- Lưu: VT, VP.",
        "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ THÁNG 4",
        "a) Tiếp nhận và giải quyết hồ sơ",
        "Xuất bản, in và phát hành",
    ] {
        let expected: String = expected.nfc().collect();
        assert!(
            flat.contains(&squash(&expected)),
            "missing {expected:?} in:\n{flat}"
        );
    }
}

/// Khmer has no spaces between words and lines break inside the text, so
/// the check is on the text with all whitespace removed: every character
/// once, in order. This is what `pdf::clusters` is for: Typst and krilla
/// alone double or split clusters such as វិ, ណឹ and ណើ.
fn assert_khmer_comes_back(doc: &render::Document, khmer: &str) {
    let dir = tempfile::tempdir().unwrap();
    let text = pdftotext(&pdf_file(&dir, doc));
    assert_eq!(
        text.nfc().collect::<String>(),
        text,
        "pdftotext output is not NFC"
    );
    let no_ws: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let expected: String = khmer.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(
        no_ws.contains(&expected),
        "Khmer paragraph not found in order:\n{text}"
    );
}

#[test]
fn pdftotext_returns_the_khmer_text_exactly() {
    assert_khmer_comes_back(&sample::document(), sample::KHMER);
}

/// Harder Khmer: split vowels (ើ, ៀ, ឿ, ោ), subscripts before and after the
/// base (្រ, ្យ), stacked subscripts (ស្ត្រី), vowels above and below, the
/// repetition sign, Khmer digits, and words that recur, so that glyphs are
/// shared between clusters.
const HARD_KHMER: &str = "ព្រះរាជាណាចក្រកម្ពុជា ជាតិ សាសនា ព្រះមហាក្សត្រ។ \
ក្រសួងប្រៃសណីយ៍និងទូរគមនាគមន៍ បច្ចេកវិទ្យាព័ត៌មាន សៀវភៅ អ្នកស្រី ខ្ញុំ \
គ្រឿងសង្ហារិម ស្ត្រី កម្មវិធី ឆ្នាំ២០២១ ស្រីៗ ក្មេងៗ ឱ្យ ឥឡូវ ឯកសារ ឧទាហរណ៍ \
ឪពុក ឫស្សី ព្រឹក រៀន ឡើង ក្បៀស កៅអី ថ្ងៃ ព្រៃ លើ ទៅ ប៉ុន្តែ អ៊ីនធឺណិត ម៉ោង ប៊ិច។";

#[test]
fn pdftotext_returns_harder_khmer_exactly() {
    let mut doc = sample::document();
    doc.body = vec![
        render::Block::Khmer(HARD_KHMER.to_owned()),
        render::Block::Khmer(sample::KHMER.to_owned()),
    ];
    assert_khmer_comes_back(&doc, HARD_KHMER);
    assert_khmer_comes_back(&doc, sample::KHMER);
}

#[test]
fn every_font_is_embedded() {
    let dir = tempfile::tempdir().unwrap();
    let path = pdf_file(&dir, &sample::document());
    let out = poppler("pdffonts", &[path.to_str().unwrap()]);
    let rows: Vec<&str> = out.lines().skip(2).collect();
    assert!(
        rows.len() >= 3,
        "expected serif regular, bold, Khmer: {out}"
    );
    let mut families = String::new();
    for row in rows {
        // Columns: name type encoding emb sub uni object ID; emb is the
        // fourth from the end.
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(cols[cols.len() - 5], "yes", "font not embedded: {row}");
        families.push_str(cols[0]);
    }
    assert!(
        families.contains("LiberationSerif") || families.contains("Tinos"),
        "{out}"
    );
    assert!(families.contains("KhmerOS"), "{out}");
}

#[test]
fn page_is_a4_with_the_decree_margins_and_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let path = pdf_file(&dir, &sample::long_report(3));
    let (words, width, height) = words(&path);
    assert!(
        (width - 210.0 * MM).abs() < 0.5 && (height - 297.0 * MM).abs() < 0.5,
        "{width}x{height}"
    );
    let pages = words.iter().map(|w| w.page).max().unwrap();
    assert!(pages >= 2, "the long report has several pages");
    for page in 1..=pages {
        let on: Vec<_> = words.iter().filter(|w| w.page == page).collect();
        // The page number (page 2 on) sits in the header, above the margin.
        let body: Vec<_> = on.iter().filter(|w| w.y_min > 15.0 * MM).collect();
        let left = body.iter().map(|w| w.x_min).fold(f64::MAX, f64::min);
        let right = body.iter().map(|w| w.x_max).fold(0.0, f64::max);
        let top = body.iter().map(|w| w.y_min).fold(f64::MAX, f64::min);
        let bottom = body.iter().map(|w| w.y_max).fold(0.0, f64::max);
        assert!(
            (30.0 * MM - 0.5..=35.0 * MM).contains(&left),
            "page {page}: left margin {} mm",
            left / MM
        );
        let right_margin = width - right;
        assert!(
            (15.0 * MM - 0.5..=20.0 * MM).contains(&right_margin),
            "page {page}: right {} mm",
            right_margin / MM
        );
        assert!(
            (20.0 * MM - 1.0..=25.0 * MM + 1.0).contains(&top),
            "page {page}: top {} mm",
            top / MM
        );
        assert!(
            height - bottom >= 20.0 * MM - 0.5,
            "page {page}: bottom {} mm",
            (height - bottom) / MM
        );
        let numbers: Vec<_> = on.iter().filter(|w| w.y_max < 20.0 * MM).collect();
        if page == 1 {
            assert!(numbers.is_empty(), "no page number on page 1: {numbers:?}");
        } else {
            assert_eq!(numbers.len(), 1, "page {page}: {numbers:?}");
            let n = numbers[0];
            assert_eq!(n.text, page.to_string());
            let centre = f64::midpoint(n.x_min, n.x_max);
            let text_centre = (30.0 * MM + width - 15.0 * MM) / 2.0;
            assert!(
                (centre - text_centre).abs() < 2.0,
                "page number centred: {centre} vs {text_centre}"
            );
        }
    }
    // Font sizes from word heights: poppler makes a word box the font
    // descriptor's ascent + descent high, which Typst writes as 0.909 em
    // (Liberation Serif regular) and 0.893 em (bold); 0.90 em ± 0.25 pt
    // tells 12, 13 and 14 pt apart.
    let size = |w: &common::Word| (w.y_max - w.y_min) / 0.90;
    let first = sample::STACKED_MARKS.split_whitespace().next().unwrap();
    let w = words.iter().find(|w| w.text == first).unwrap();
    assert!(
        (13.0 - 0.25..=14.0 + 0.25).contains(&size(w)),
        "body size {} pt",
        size(w)
    );
    // National title 12–13 pt.
    let w = words.iter().find(|w| w.text == "CỘNG").unwrap();
    assert!(
        (12.0 - 0.25..=13.0 + 0.25).contains(&size(w)),
        "title size {} pt",
        size(w)
    );
    // First-line indent 1–1.27 cm: the stacked-marks paragraph starts indented.
    let w = words.iter().find(|w| w.text == first).unwrap();
    let indent = w.x_min - 30.0 * MM;
    assert!(
        (10.0 * MM - 0.5..=12.7 * MM + 0.5).contains(&indent),
        "indent {} mm",
        indent / MM
    );
}

#[test]
fn pdf_is_pdf_a_2b_and_reports_the_signature_area() {
    let sample = sample::document();
    let pdf = render::pdf::render(&sample, common::fonts()).unwrap();
    let raw = String::from_utf8_lossy(&pdf.bytes);
    assert!(
        raw.contains("<pdfaid:part>2</pdfaid:part>") || raw.contains("pdfaid:part=\"2\""),
        "no PDF/A-2 id"
    );
    assert!(
        raw.contains("<pdfaid:conformance>B</pdfaid:conformance>")
            || raw.contains("pdfaid:conformance=\"B\"")
    );
    // The signature area lies between the position line and the name.
    let dir = tempfile::tempdir().unwrap();
    let path = common::write_temp(&dir, "doc.pdf", &pdf.bytes);
    let (words, _, height) = words(&path);
    let area = pdf.signature;
    let on = |text: &str| {
        words
            .iter()
            .rfind(|w| w.text == text && w.page == area.page)
            .unwrap()
            .clone()
    };
    let position = on("PHÓ");
    let name = on("Hùng");
    let (area_top, area_bottom) = (height - (area.y + area.height), height - area.y);
    assert!(
        area_top >= position.y_max - 1.0,
        "area starts below the position: {area:?} {position:?}"
    );
    assert!(
        area_bottom <= name.y_min + 1.0,
        "area ends above the name: {area:?} {name:?}"
    );
    // Horizontally it is centred on the signer's column (the right half).
    let first = on("Nguyễn");
    let centre = area.x + area.width / 2.0;
    assert!(
        (centre - f64::midpoint(first.x_min, name.x_max)).abs() < 2.0,
        "{area:?} {first:?} {name:?}"
    );
}

#[test]
fn user_text_cannot_become_markup() {
    let mut doc = sample::document();
    let evil = "#read(\"/etc/passwd\") *đậm* _nghiêng_ $x$ ] [ \\ \" <nhãn> @ref // chú";
    doc.body = vec![render::Block::Paragraph(vec![render::Inline::plain(evil)])];
    let dir = tempfile::tempdir().unwrap();
    let path = pdf_file(&dir, &doc);
    let text = squash(&pdftotext(&path));
    assert!(text.contains(&squash(evil)), "{text}");
}

#[test]
fn receipt_slip_renders_with_two_signers() {
    let doc = sample::receipt_slip().to_document();
    let dir = tempfile::tempdir().unwrap();
    let path = pdf_file(&dir, &doc);
    let text = squash(&pdftotext(&path));
    for expected in [
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "ngày 05 tháng 5 năm 2021",
        "Thạch Thị Sô Phia",
    ] {
        assert!(text.contains(expected), "missing {expected}: {text}");
    }
}

#[test]
fn a_missing_font_folder_names_the_debian_package() {
    let err = render::Fonts::load(&["/nonexistent".into()])
        .unwrap_err()
        .to_string();
    assert!(err.contains("fonts-liberation2"), "{err}");
    let err = render::Fonts::load(&["/usr/share/fonts/truetype/liberation2".into()])
        .unwrap_err()
        .to_string();
    assert!(err.contains("fonts-khmeros"), "{err}");
}

#[test]
fn cong_van_has_its_summary_under_the_number() {
    let mut doc = sample::document();
    doc.number = "906/STTTT-BCVT".into();
    doc.kind = render::Kind::CongVan {
        summary: "triển khai dịch vụ bưu chính công ích".into(),
    };
    let dir = tempfile::tempdir().unwrap();
    let path = pdf_file(&dir, &doc);
    let (words, _, _) = words(&path);
    let number = words.iter().find(|w| w.text == "906/STTTT-BCVT").unwrap();
    let vv = words.iter().find(|w| w.text == "V/v").unwrap();
    assert!(
        vv.y_min > number.y_max - 0.5,
        "V/v under the number: {number:?} {vv:?}"
    );
    assert!(vv.x_max < 105.0 * MM, "V/v in the left column: {vv:?}");
    assert!(
        !squash(&pdftotext(&path)).contains("BÁO CÁO"),
        "no type name for a công văn"
    );
}
