//! The DOCX output: decree measures read back from the XML, and LibreOffice
//! opening it and converting it to PDF (CI installs it: setup.sh --test).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Read as _;
use std::process::Command;

use common::{docx_part, twips_to_mm, xml_attr, xml_value};
use render::sample;

#[test]
fn docx_has_the_decree_page_fonts_and_styles() {
    let bytes = render::docx::render(&sample::document(), common::fonts()).unwrap();
    let doc = docx_part(&bytes, "word/document.xml");
    assert!((twips_to_mm(xml_value(&doc, "w:pgSz", "w:w")) - 210.0).abs() < 0.5);
    assert!((twips_to_mm(xml_value(&doc, "w:pgSz", "w:h")) - 297.0).abs() < 0.5);
    assert_eq!(xml_attr(&doc, "w:pgSz", "w:orient"), "portrait");
    // Twips are whole numbers: allow the 0.02 mm of rounding.
    let within = |a, lo: f64, hi: f64| {
        let v = twips_to_mm(xml_value(&doc, "w:pgMar", a));
        assert!((lo - 0.05..=hi + 0.05).contains(&v), "{a} = {v} mm");
    };
    within("w:top", 20.0, 25.0);
    within("w:bottom", 20.0, 25.0);
    within("w:left", 30.0, 35.0);
    within("w:right", 15.0, 20.0);
    // Different first page: page numbers from page 2.
    assert!(doc.contains("<w:titlePg"), "title page");
    assert!(doc.contains("w:type=\"first\""), "first-page header");
    let headers: String = (1..=4)
        .filter_map(|i| {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
            let mut s = String::new();
            zip.by_name(&format!("word/header{i}.xml"))
                .ok()?
                .read_to_string(&mut s)
                .ok()?;
            Some(s)
        })
        .collect();
    assert!(headers.contains("PAGE"), "a header has the PAGE field");
    // Styles: body 13–14 pt justified, indent 1–1.27 cm, ≥ 6 pt after.
    let styles = docx_part(&bytes, "word/styles.xml");
    let body = &styles[styles.find("w:styleId=\"BodyText\"").unwrap()..];
    let body = &body[..body.find("</w:style>").unwrap()];
    let size = xml_value(body, "w:sz", "w:val");
    assert!((26..=28).contains(&size), "body {size} half-points");
    assert!(body.contains("<w:jc w:val=\"both\""), "justified: {body}");
    let indent = twips_to_mm(xml_value(body, "w:ind", "w:firstLine"));
    assert!((10.0..=12.7).contains(&indent), "indent {indent} mm");
    assert!(xml_value(body, "w:spacing", "w:after") >= 120, "6 pt after");
    for heading in ["Heading1", "Heading2", "Heading3", "ListBullet"] {
        assert!(
            styles.contains(&format!("w:styleId=\"{heading}\"")),
            "{heading}"
        );
    }
    assert!(
        styles.contains("w:ascii=\"Times New Roman\""),
        "Times New Roman"
    );
    // Content: the texts, the table, the chart image, the footnote.
    for text in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "KT. GIÁM ĐỐC",
        "- Lưu: VT, VP.",
        sample::KHMER,
    ] {
        assert!(doc.contains(text), "missing {text}");
    }
    assert!(doc.contains("<w:tbl>"));
    // Dash bullets: the list paragraphs use our bullet numbering, not
    // docx-rs's default decimal one (id 1).
    assert!(
        doc.contains("<w:numId w:val=\"2\""),
        "bullet list numbering"
    );
    let numbering = docx_part(&bytes, "word/numbering.xml");
    let ours = &numbering[numbering.find("w:abstractNumId=\"2\"").unwrap()..];
    assert!(
        ours[..ours.find("</w:abstractNum>").unwrap()].contains("w:val=\"bullet\""),
        "{numbering}"
    );
    assert!(doc.contains("<w:drawing>"), "chart image");
    assert!(docx_part(&bytes, "word/footnotes.xml").contains("20/KH-UBND"));
}

#[test]
fn libreoffice_converts_the_docx_to_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = render::docx::render(&sample::document(), common::fonts()).unwrap();
    let path = common::write_temp(&dir, "mau.docx", &bytes);
    let profile = format!(
        "-env:UserInstallation=file://{}/lo-profile",
        dir.path().display()
    );
    let out = Command::new("soffice")
        .args([&profile, "--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("cannot run soffice ({e}): install libreoffice-writer-nogui (scripts/setup.sh --test)"));
    assert!(
        out.status.success(),
        "soffice failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf = dir.path().join("mau.pdf");
    assert!(
        pdf.exists(),
        "no PDF: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let text = common::pdftotext(&pdf);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        "{flat}"
    );
    assert!(
        flat.contains("Kính gửi: Ủy ban nhân dân tỉnh Trà Vinh"),
        "{flat}"
    );
}
