//! `textract::extract` on real files made by LibreOffice and Typst, and on
//! hostile ones: each must give its own error, never a panic.
//!
//! Fixtures (tests/data/, sources beside them):
//! - `libreoffice.docx`, `libreoffice.pdf`: `ke-hoach.html` converted by
//!   LibreOffice 7.4 (`soffice --headless --convert-to docx` / `pdf`); the
//!   PDF has TrueType subsets with ToUnicode maps, as Writer exports.
//! - `typst.pdf`: `typst.typ` compiled by Typst 0.15 (krilla): Identity-H
//!   CID fonts with ToUnicode maps, as `render` produces.
//! - `encrypted-*.pdf`: `libreoffice.pdf` encrypted by qpdf 11 with AES-256,
//!   once with a user password ("user": cannot be read) and once with only
//!   an owner password (opens with the empty password, as viewers do).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{Cursor, Write};

use textract::{ExtractError, Kind, Limits, extract, pdf_lines};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

const LIBREOFFICE_DOCX: &[u8] = include_bytes!("data/libreoffice.docx");
const LIBREOFFICE_PDF: &[u8] = include_bytes!("data/libreoffice.pdf");
const TYPST_PDF: &[u8] = include_bytes!("data/typst.pdf");

/// Phrases in every fixture, each written in NFC here; the extracted text
/// must contain them byte for byte.
const PHRASES: &[&str] = &[
    "ỦY BAN NHÂN DÂN TỈNH",
    "Kế hoạch tổ chức bầu cử đại biểu",
    "Quốc hội khóa XV",
    "chuyển đổi số; xây dựng chính quyền điện tử; Đường Nguyễn Đình",
    "Trụ sở: số 59 Đường Nguyễn Đình Chiểu. Điện thoại: 028 3822 1234.",
    "18.182",
    "Nơi nhận: Lưu: VT, VP.",
];

fn text(bytes: &[u8], kind: Kind) -> String {
    extract(bytes, kind, &Limits::default()).unwrap()
}

fn assert_phrases(got: &str) {
    use unicode_normalization::is_nfc;
    assert!(is_nfc(got), "not NFC: {got}");
    for phrase in PHRASES {
        assert!(is_nfc(phrase));
        assert!(got.contains(phrase), "missing {phrase:?} in:\n{got}");
    }
    assert!(!got.contains("  "), "unsquashed spaces in:\n{got}");
    assert!(!got.contains("\n\n"), "empty line in:\n{got}");
}

#[test]
fn libreoffice_docx() {
    let got = text(LIBREOFFICE_DOCX, Kind::Docx);
    assert_phrases(&got);
    // In a DOCX a paragraph is one line, whatever the page width.
    assert!(
        got.contains("Đường Nguyễn Đình Chiểu, phường Đa Kao."),
        "{got}"
    );
    assert!(got.starts_with("ỦY BAN NHÂN DÂN TỈNH\nKế hoạch"), "{got}");
}

#[test]
fn libreoffice_pdf() {
    let got = text(LIBREOFFICE_PDF, Kind::Pdf);
    assert_phrases(&got);
    assert!(
        got.contains("Năm Số hồ sơ trực tuyến\n2024 18.182"),
        "{got}"
    );
}

#[test]
fn typst_pdf() {
    let got = text(TYPST_PDF, Kind::Pdf);
    assert_phrases(&got);
    assert!(
        got.contains("Kế hoạch tổ chức bầu cử đại biểu Quốc hội khóa XV\n"),
        "{got}"
    );
}

#[test]
fn encrypted_pdfs() {
    let locked = include_bytes!("data/encrypted-user-password.pdf");
    assert_eq!(
        extract(locked, Kind::Pdf, &Limits::default()),
        Err(ExtractError::PdfEncrypted)
    );
    let open = include_bytes!("data/encrypted-owner-only.pdf");
    assert_phrases(&text(open, Kind::Pdf));
}

#[test]
fn sniff() {
    assert_eq!(Kind::sniff(LIBREOFFICE_PDF), Some(Kind::Pdf));
    assert_eq!(Kind::sniff(TYPST_PDF), Some(Kind::Pdf));
    assert_eq!(Kind::sniff(LIBREOFFICE_DOCX), Some(Kind::Docx));
    assert_eq!(Kind::sniff(&zip_of(&[("content.xml", b"<x/>")])), None);
    assert_eq!(Kind::sniff(b"PK\x03\x04 not a zip"), None);
    assert_eq!(Kind::sniff(b"hello"), None);
    assert_eq!(Kind::sniff(b""), None);
}

#[test]
fn output_is_cut_at_the_bound() {
    let limits = Limits {
        max_output_chars: 10,
        ..Limits::default()
    };
    assert_eq!(
        extract(TYPST_PDF, Kind::Pdf, &limits).unwrap(),
        "ỦY BAN NHÂ"
    );
    assert_eq!(
        extract(LIBREOFFICE_DOCX, Kind::Docx, &limits).unwrap(),
        "ỦY BAN NHÂ"
    );
}

// ---- limits and hostile input ----

#[test]
fn empty_and_over_limit_input() {
    assert_eq!(
        extract(b"", Kind::Pdf, &Limits::default()),
        Err(ExtractError::Empty)
    );
    let limits = Limits {
        max_input_bytes: 1000,
        ..Limits::default()
    };
    assert_eq!(
        extract(LIBREOFFICE_PDF, Kind::Pdf, &limits),
        Err(ExtractError::TooLarge {
            size: LIBREOFFICE_PDF.len(),
            max: 1000
        })
    );
    assert!(matches!(
        extract(LIBREOFFICE_DOCX, Kind::Docx, &limits),
        Err(ExtractError::TooLarge { .. })
    ));
}

#[test]
fn truncated_pdfs() {
    // Cut anywhere, a PDF gives an error or the text that survived (lopdf
    // rebuilds a lost cross-reference table), never a panic.
    for len in (0..LIBREOFFICE_PDF.len())
        .step_by(997)
        .chain([LIBREOFFICE_PDF.len() - 10])
    {
        let _ = extract(&LIBREOFFICE_PDF[..len], Kind::Pdf, &Limits::default());
        let _ = extract(
            &TYPST_PDF[..len.min(TYPST_PDF.len())],
            Kind::Pdf,
            &Limits::default(),
        );
    }
    // Only the header and a little of the first object: no pages.
    let got = extract(&TYPST_PDF[..200], Kind::Pdf, &Limits::default());
    assert!(matches!(got, Err(ExtractError::PdfMalformed(_))), "{got:?}");
}

#[test]
fn random_bytes_after_a_pdf_header() {
    // A fixed pseudo-random sequence (xorshift), so the test is repeatable.
    let mut x: u32 = 0x2545_f491;
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.extend((0..20_000).map(|_| {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        x.to_le_bytes()[0]
    }));
    let got = extract(&bytes, Kind::Pdf, &Limits::default());
    assert!(matches!(got, Err(ExtractError::PdfMalformed(_))), "{got:?}");
}

#[test]
fn a_pdf_needs_its_header() {
    let got = extract(b"hello world", Kind::Pdf, &Limits::default());
    assert!(
        matches!(got, Err(ExtractError::PdfMalformed(ref m)) if m.contains("%PDF-")),
        "{got:?}"
    );
    assert!(
        got.unwrap_err()
            .to_string()
            .starts_with("Tệp PDF bị hỏng hoặc không đọc được: ")
    );
}

#[test]
fn pdf_limits() {
    let pages = Limits {
        max_pages: 0,
        ..Limits::default()
    };
    assert_eq!(
        extract(TYPST_PDF, Kind::Pdf, &pages),
        Err(ExtractError::PdfTooManyPages { pages: 1, max: 0 })
    );
    // Every fixture has compressed streams longer than 64 bytes.
    let stream = Limits {
        max_pdf_stream_bytes: 64,
        ..Limits::default()
    };
    for pdf in [TYPST_PDF, LIBREOFFICE_PDF] {
        assert_eq!(
            extract(pdf, Kind::Pdf, &stream),
            Err(ExtractError::PdfStreamTooLarge { max: 64 })
        );
    }
    let content = Limits {
        max_pdf_content_bytes: 100,
        ..Limits::default()
    };
    assert_eq!(
        extract(TYPST_PDF, Kind::Pdf, &content),
        Err(ExtractError::PdfContentTooLarge { max: 100 })
    );
}

/// A PDF written by hand: Helvetica (no ToUnicode: WinAnsi through lopdf),
/// words placed by `Td`, a word gap as a `TJ` adjustment, kerning that is
/// no gap, and text inside a form XObject.
#[test]
fn handwritten_pdf_words_lines_and_forms() {
    let page = b"BT /F1 12 Tf 72 700 Td (Hello) Tj ( world) Tj 0 -14 Td [(Wor) 80 (ld) -600 (two)] TJ ET\n\
        q 1 0 0 1 0 -100 cm /X1 Do Q\n\
        BT /F1 12 Tf 72 500 Td (caf\\351) Tj ET";
    let form = b"BT /F1 12 Tf 72 650 Td (in a form) Tj ET";
    let pdf = pdf_of(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
          /Resources << /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >> >>"
            .to_vec(),
        stream(b"", page),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec(),
        stream(
            b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>",
            form,
        ),
    ]);
    let got = extract(&pdf, Kind::Pdf, &Limits::default()).unwrap();
    assert_eq!(got, "Hello world\nWorld two\nin a form\ncafé");
    // The same lines, placed: each starts where its first string does,
    // the form's moved down by the `cm` that draws it.
    let pages = pdf_lines(&pdf, &Limits::default()).unwrap();
    assert_eq!(pages.len(), 1);
    let placed: Vec<(&str, f32, f32, f32)> = pages[0]
        .iter()
        .map(|l| (l.text.as_str(), l.x0, l.baseline, l.size))
        .collect();
    assert_eq!(
        placed,
        [
            ("Hello world", 72.0, 700.0, 12.0),
            ("World two", 72.0, 686.0, 12.0),
            ("in a form", 72.0, 550.0, 12.0),
            ("café", 72.0, 500.0, 12.0),
        ]
    );
}

/// Lines of real files carry their extent: a line is as wide as its
/// glyphs advance, and later lines sit lower on the page.
#[test]
fn pdf_lines_of_real_files() {
    for pdf in [LIBREOFFICE_PDF, TYPST_PDF] {
        let lines = &pdf_lines(pdf, &Limits::default()).unwrap()[0];
        let find = |phrase: &str| {
            lines
                .iter()
                .find(|l| l.text.contains(phrase))
                .unwrap_or_else(|| panic!("no line with {phrase:?} in {lines:#?}"))
        };
        let header = find("ỦY BAN NHÂN DÂN TỈNH");
        let title = find("Kế hoạch tổ chức bầu cử đại biểu");
        assert!(header.x1 - header.x0 > 100.0, "{header:?}");
        assert!(header.baseline > title.baseline, "{header:?} {title:?}");
        assert!((8.0..20.0).contains(&header.size), "{header:?}");
        assert!(header.x0 > 0.0 && header.x1 < 595.0, "{header:?}");
    }
}

#[test]
fn text_after_an_inline_image_is_kept() {
    // Binary image data with a filter, bytes that look like operators in it.
    let page = b"q BI /W 4 /H 1 /BPC 8 /CS /G /F /Fl ID \x78\x9c(Tj) ] >> EI\nQ\n\
        BT /F1 12 Tf 72 700 Td (after the image) Tj ET";
    let pdf = pdf_of(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
          /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_vec(),
        stream(b"", page),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ]);
    assert_eq!(
        extract(&pdf, Kind::Pdf, &Limits::default()).unwrap(),
        "after the image"
    );
}

#[test]
fn pdf_forms_drawing_themselves_terminate() {
    // Form 5 draws itself: depth-bounded and once per page.
    let pdf = pdf_of(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
          /Resources << /Font << /F1 6 0 R >> /XObject << /X 5 0 R >> >> >>"
            .to_vec(),
        stream(b"", b"/X Do /X Do"),
        stream(
            b"/Subtype /Form /Resources << /Font << /F1 6 0 R >> /XObject << /X 5 0 R >> >>",
            b"BT /F1 12 Tf (loop) Tj ET /X Do /X Do",
        ),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ]);
    assert_eq!(
        extract(&pdf, Kind::Pdf, &Limits::default()).unwrap(),
        "loop"
    );
}

#[test]
fn docx_zip_bomb_with_an_honest_directory() {
    let limits = Limits {
        max_zip_entry_bytes: 1 << 20,
        ..Limits::default()
    };
    let bomb = zip_of(&[("word/document.xml", &vec![b' '; 4 << 20])]);
    assert!(bomb.len() < 64 * 1024, "{}", bomb.len());
    assert_eq!(
        extract(&bomb, Kind::Docx, &limits),
        Err(ExtractError::DocxPartTooLarge {
            part: "word/document.xml".into(),
            max: 1 << 20
        })
    );
    let message = extract(&bomb, Kind::Docx, &limits).unwrap_err().to_string();
    assert!(
        message.starts_with("Tệp DOCX vượt quá giới hạn giải nén"),
        "{message}"
    );
}

#[test]
fn docx_zip_bomb_that_lies_about_its_size() {
    let limits = Limits {
        max_zip_entry_bytes: 1 << 20,
        ..Limits::default()
    };
    let mut bomb = zip_of(&[("word/document.xml", &vec![b' '; 4 << 20])]);
    // Declare 100 bytes in both the local header and the central directory.
    for (sig, offset) in [(b"PK\x03\x04", 22), (b"PK\x01\x02", 24)] {
        let at = bomb.windows(4).position(|w| w == sig).unwrap() + offset;
        bomb[at..at + 4].copy_from_slice(&100u32.to_le_bytes());
    }
    let got = extract(&bomb, Kind::Docx, &limits);
    // Either the inflating reader stops at the cap, or the zip reader stops
    // at the declared size and the cut XML is malformed: never 4 MiB read.
    assert!(
        matches!(
            got,
            Err(ExtractError::DocxPartTooLarge { .. } | ExtractError::DocxMalformed(_))
        ),
        "{got:?}"
    );
}

#[test]
fn docx_entity_bomb_is_refused() {
    let xml = br#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>"#;
    let docx = zip_of(&[("word/document.xml", xml)]);
    assert_eq!(
        extract(&docx, Kind::Docx, &Limits::default()),
        Err(ExtractError::DocxDoctype {
            part: "word/document.xml".into()
        })
    );
}

#[test]
fn docx_without_a_document() {
    let odt = zip_of(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", b"<x/>"),
    ]);
    assert_eq!(
        extract(&odt, Kind::Docx, &Limits::default()),
        Err(ExtractError::DocxNoDocument)
    );
}

#[test]
fn docx_that_is_no_zip_or_broken_xml() {
    for bytes in [
        &b"hello"[..],
        b"PK\x03\x04\x14\x00",
        &LIBREOFFICE_DOCX[..LIBREOFFICE_DOCX.len() / 2],
    ] {
        let got = extract(bytes, Kind::Docx, &Limits::default());
        assert!(
            matches!(got, Err(ExtractError::DocxMalformed(_))),
            "{got:?}"
        );
    }
    let broken = zip_of(&[(
        "word/document.xml",
        b"<w:document><w:t>a</w:x></w:document>",
    )]);
    let got = extract(&broken, Kind::Docx, &Limits::default());
    assert!(
        matches!(got, Err(ExtractError::DocxMalformed(ref m)) if m.starts_with("word/document.xml")),
        "{got:?}"
    );
    let latin1 = zip_of(&[("word/document.xml", b"<w:t>caf\xe9</w:t>")]);
    let got = extract(&latin1, Kind::Docx, &Limits::default());
    assert!(
        matches!(got, Err(ExtractError::DocxMalformed(_))),
        "{got:?}"
    );
}

#[test]
fn docx_footnotes_headers_and_footers_are_searched() {
    let body = |text: &str| {
        format!(r#"<w:body xmlns:w="w"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body>"#)
            .into_bytes()
    };
    let docx = zip_of(&[
        ("word/document.xml", &body("Thân")),
        ("word/footnotes.xml", &body("Chú thích")),
        ("word/header1.xml", &body("Đầu trang")),
        ("word/footer1.xml", &body("Chân trang")),
        ("word/media/header9.xml", &body("không đọc")),
    ]);
    assert_eq!(
        extract(&docx, Kind::Docx, &Limits::default()).unwrap(),
        "Thân\nChú thích\nChân trang\nĐầu trang"
    );
}

// ---- helpers ----

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, data) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn stream(dict: &[u8], content: &[u8]) -> Vec<u8> {
    let mut s = format!(
        "<< {} /Length {} >>\nstream\n",
        String::from_utf8_lossy(dict),
        content.len()
    )
    .into_bytes();
    s.extend_from_slice(content);
    s.extend_from_slice(b"\nendstream");
    s
}

/// A PDF of the objects numbered from 1 (the first is the catalog), with a
/// correct cross-reference table.
fn pdf_of(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend_from_slice(body);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}
