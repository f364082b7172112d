//! The register book printout: the ten columns and the rows come back from
//! the PDF, and the DOCX is a zip.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{fonts, pdf_file, pdftotext};
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
        "Nguyễn Văn Hùng",
        "Khẩn",
        "việc thành lập tổ công tác",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    // Narrow cells wrap, and pdftotext reads wrapped cells side by side
    // (and drops a hyphen at a line end), so these are checked word by word.
    for word in ["Ghi", "chú", "Ký", "Đơn", "lượng", "3/QĐ", "STTTT"] {
        assert!(text.contains(word), "missing {word:?} in:\n{text}");
    }
}

#[test]
fn a_register_book_renders_to_docx() {
    let bytes = render::docx::render(&book(), fonts()).unwrap();
    assert!(bytes.starts_with(b"PK"));
}
