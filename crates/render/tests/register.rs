//! The register book printout: the ten columns and the rows come back from
//! the PDF, and both outputs lie on landscape A4 within the decree's margins.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{MM, docx_part, fonts, pdf_file, pdftotext, twips_to_mm, xml_attr, xml_value};
use render::AgencyHeader;
use time::macros::date;

const COLUMNS: [&str; 10] = [
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
];

fn book() -> render::Document {
    let row = |n: u32, summary: &str| {
        [
            format!("{n}/QĐ-STTTT"),
            "05/5/2021".to_owned(),
            format!("Quyết định: {summary}"),
            "Nguyễn Văn Hùng".to_owned(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            "Khẩn".to_owned(),
        ]
    };
    render::register::book(
        AgencyHeader {
            parent: Some("UBND TỈNH TRÀ VINH".to_owned()),
            issuer: "SỞ THÔNG TIN VÀ TRUYỀN THÔNG".to_owned(),
        },
        "SỔ ĐĂNG KÝ VĂN BẢN ĐI",
        2021,
        "Trà Vinh",
        date!(2021 - 12 - 31),
        COLUMNS,
        vec![
            row(1, "Về việc ban hành quy chế"),
            row(2, "Về việc thành lập tổ công tác"),
            row(3, "Về việc phê duyệt kế hoạch chuyển đổi số"),
        ],
    )
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_register_book_renders_its_columns_and_rows_to_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let text = squash(&pdftotext(&pdf_file(&dir, &book())));
    for expected in [
        "SỔ ĐĂNG KÝ VĂN BẢN ĐI",
        "Năm 2021",
        "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
        "Người ký",
        "Tên loại và trích yếu nội dung văn bản",
        "1/QĐ-STTTT",
        "Khẩn",
        "việc thành lập",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    // Narrow cells wrap, and pdftotext reads wrapped cells side by side
    // (and drops a hyphen at a line end), so these are checked word by word.
    for word in ["Ghi", "chú", "Ký", "Đơn", "lượng", "Nguyễn", "Hùng", "3/QĐ"] {
        assert!(text.contains(word), "missing {word:?} in:\n{text}");
    }
}

#[test]
fn a_register_book_is_printed_on_landscape_a4_in_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let (words, width, height) = common::words(&pdf_file(&dir, &book()));
    assert!(
        (width - 842.0).abs() < 0.5 && (height - 595.0).abs() < 0.5,
        "page box {width}x{height} pt"
    );
    // The decree's margins stay on their sides: left 30–35 mm, right
    // 15–20 mm, top and bottom 20–25 mm (no page number on page 1).
    for w in &words {
        assert!(w.x_min >= 30.0 * MM - 0.5, "left of the margin: {w:?}");
        assert!(
            w.x_max <= width - 15.0 * MM + 0.5,
            "right of the margin: {w:?}"
        );
        assert!(w.y_min >= 20.0 * MM - 1.0, "above the margin: {w:?}");
        assert!(
            w.y_max <= height - 20.0 * MM + 0.5,
            "below the margin: {w:?}"
        );
    }
}

#[test]
fn a_register_book_is_printed_on_landscape_a4_in_docx() {
    let bytes = render::docx::render(&book(), fonts()).unwrap();
    assert!(bytes.starts_with(b"PK"));
    let doc = docx_part(&bytes, "word/document.xml");
    // Word's landscape page: the orientation, and the sides swapped.
    assert_eq!(xml_attr(&doc, "w:pgSz", "w:orient"), "landscape");
    let side = |attr| twips_to_mm(xml_value(&doc, "w:pgSz", attr));
    assert!(
        (side("w:w") - 297.0).abs() < 0.5,
        "width {} mm",
        side("w:w")
    );
    assert!(
        (side("w:h") - 210.0).abs() < 0.5,
        "height {} mm",
        side("w:h")
    );
    let within = |attr, lo: f64, hi: f64| {
        let v = twips_to_mm(xml_value(&doc, "w:pgMar", attr));
        assert!((lo - 0.05..=hi + 0.05).contains(&v), "{attr} = {v} mm");
    };
    within("w:top", 20.0, 25.0);
    within("w:bottom", 20.0, 25.0);
    within("w:left", 30.0, 35.0);
    within("w:right", 15.0, 20.0);
    // The ten-column table takes the landscape text width, not the upright one.
    let grid: i64 = doc
        .split("<w:tblGrid>")
        .skip(1)
        .map(|grid| {
            grid[..grid.find("</w:tblGrid>").unwrap()]
                .split("w:w=\"")
                .skip(1)
                .map(|w| w[..w.find('"').unwrap()].parse::<i64>().unwrap())
                .collect::<Vec<_>>()
        })
        .find(|columns| columns.len() == 10)
        .expect("a table of ten columns")
        .iter()
        .sum();
    assert!(
        (twips_to_mm(grid) - (297.0 - 30.0 - 15.0)).abs() < 1.0,
        "table {} mm wide",
        twips_to_mm(grid)
    );
}
