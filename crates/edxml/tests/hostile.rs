//! Hostile and broken input: each case fails with its own error, quickly
//! and within the limits.

// Test helpers may unwrap: a failure is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fmt::Write as _;
use std::io::{Cursor, Write};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use edxml::{EdxmlError, Limits, Namespace, read, read_status, write};
use zip::write::SimpleFileOptions;

const PACKAGE: &str = include_str!("data/ke-hoach-12.edxml");
const STATUS: &str = include_str!("data/status-05.edxml");

fn read_text(text: &str) -> Result<edxml::Package, EdxmlError> {
    read(text.as_bytes(), &Limits::default())
}

/// The sample with its attachment content replaced by `encoded`.
fn with_content(encoded: &str) -> String {
    let start = PACKAGE.find("QCVN_102_2016\">UEsDB").unwrap() + "QCVN_102_2016\">".len();
    let end = PACKAGE.find("</edXML:ContentTransferEncoded>").unwrap();
    format!("{}{}{}", &PACKAGE[..start], encoded, &PACKAGE[end..])
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        zip.start_file(*name, SimpleFileOptions::default()).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn billion_laughs_is_refused_at_the_doctype() {
    let mut dtd = String::from("<!DOCTYPE edXML [\n<!ENTITY lol \"lol\">\n");
    for level in 1..10 {
        let previous = if level == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", level - 1)
        };
        let body = format!("&{previous};").repeat(10);
        writeln!(dtd, "<!ENTITY lol{level} \"{body}\">").unwrap();
    }
    dtd.push_str("]>\n");
    let bomb = format!(
        "<?xml version=\"1.0\"?>\n{dtd}<edXML xmlns=\"{}\">&lol9;</edXML>",
        edxml::NAMESPACE
    );
    assert_eq!(read_text(&bomb).unwrap_err(), EdxmlError::Doctype);
    assert_eq!(
        read_status(bomb.as_bytes(), &Limits::default()).unwrap_err(),
        EdxmlError::Doctype
    );
    // An external entity, the other DTD attack.
    let xxe = format!(
        "<!DOCTYPE edXML [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><edXML xmlns=\"{}\">&x;</edXML>",
        edxml::NAMESPACE
    );
    assert_eq!(read_text(&xxe).unwrap_err(), EdxmlError::Doctype);
}

#[test]
fn an_undeclared_entity_is_refused() {
    let text = PACKAGE.replace("Kế hoạch chuyển đổi số tỉnh", "&nbsp;Kế hoạch");
    assert_eq!(
        read_text(&text).unwrap_err(),
        EdxmlError::UnknownEntity("nbsp".into())
    );
}

#[test]
fn a_wrong_or_missing_namespace_is_refused_with_the_namespace_named() {
    let wrong = PACKAGE.replace(edxml::NAMESPACE, "http://www.mic.gov.vn/TBT/QCVN_102_2015");
    let error = read_text(&wrong).unwrap_err();
    assert_eq!(
        error,
        EdxmlError::WrongNamespace {
            element: "edXML".into(),
            found: Namespace::Other("http://www.mic.gov.vn/TBT/QCVN_102_2015".into()),
        }
    );
    assert!(
        error
            .to_string()
            .starts_with("Gói edXML không đúng không gian tên QCVN 102:2016: ")
    );

    let undeclared = "<edXML:edXML><edXML:edXMLEnvelope/></edXML:edXML>";
    let error = read_text(undeclared).unwrap_err();
    assert_eq!(
        error,
        EdxmlError::WrongNamespace {
            element: "edXML".into(),
            found: Namespace::UndeclaredPrefix("edXML".into()),
        }
    );
    assert!(error.to_string().contains("thiếu xmlns:edXML"), "{error}");

    let missing = "<edXML><edXMLEnvelope/></edXML>";
    assert_eq!(
        read_text(missing).unwrap_err(),
        EdxmlError::WrongNamespace {
            element: "edXML".into(),
            found: Namespace::None
        }
    );
}

#[test]
fn a_missing_document_id_is_named() {
    let line = "        <edXML:DocumentId>000.00.00.H59,2026/01/05,12/KH-UBND</edXML:DocumentId>\n";
    let text = PACKAGE.replacen(line, "", 1);
    assert_ne!(text, PACKAGE);
    assert_eq!(
        read_text(&text).unwrap_err(),
        EdxmlError::Missing("MessageHeader/DocumentId".into())
    );
    let error = read_text(&text).unwrap_err().to_string();
    assert_eq!(
        error,
        "Gói edXML thiếu phần tử bắt buộc «MessageHeader/DocumentId»"
    );
}

#[test]
fn other_missing_required_elements_are_named() {
    for (cut, path) in [
        (
            "<edXML:Subject>Kế hoạch chuyển đổi số tỉnh Trà Vinh năm 2026</edXML:Subject>",
            "MessageHeader/Subject",
        ),
        ("<edXML:CodeNumber>12</edXML:CodeNumber>", "Code/CodeNumber"),
        (
            "<edXML:PromulgationDate>2026/01/05</edXML:PromulgationDate>",
            "PromulgationInfo/PromulgationDate",
        ),
        (
            "<edXML:OrganId>000.00.00.H59</edXML:OrganId>\n          <edXML:OrganizationInCharge>Ủy",
            "From/OrganId",
        ),
    ] {
        let replacement = if cut.ends_with("Ủy") {
            "<edXML:OrganizationInCharge>Ủy"
        } else {
            ""
        };
        let text = PACKAGE.replacen(cut, replacement, 1);
        assert_ne!(text, PACKAGE, "{cut}");
        assert_eq!(
            read_text(&text).unwrap_err(),
            EdxmlError::Missing(path.into()),
            "{cut}"
        );
    }
    // No To at all.
    let mut text = PACKAGE.to_string();
    while let (Some(start), Some(end)) = (text.find("<edXML:To>"), text.find("</edXML:To>")) {
        text.replace_range(start..end + "</edXML:To>".len(), "");
    }
    assert_eq!(
        read_text(&text).unwrap_err(),
        EdxmlError::Missing("MessageHeader/To".into())
    );
    // An empty From.
    let status = STATUS.replace("<qcvn:StatusCode>05</qcvn:StatusCode>", "");
    assert_eq!(
        read_status(status.as_bytes(), &Limits::default()).unwrap_err(),
        EdxmlError::Missing("Status/StatusCode".into())
    );
}

#[test]
fn dates_and_codes_that_do_not_parse_are_refused() {
    let text = PACKAGE.replace(
        "<edXML:PromulgationDate>2026/01/05</edXML:PromulgationDate>",
        "<edXML:PromulgationDate>2026/02/30</edXML:PromulgationDate>",
    );
    assert_eq!(
        read_text(&text).unwrap_err(),
        EdxmlError::InvalidDate {
            element: "PromulgationInfo/PromulgationDate".into(),
            value: "2026/02/30".into()
        }
    );
    let text = PACKAGE.replace("2026/01/05 08:30:00", "05/01/2026 08:30");
    assert!(matches!(
        read_text(&text).unwrap_err(),
        EdxmlError::InvalidTimestamp { .. }
    ));
    let text = PACKAGE.replace(
        "<edXML:Priority>1</edXML:Priority>",
        "<edXML:Priority>7</edXML:Priority>",
    );
    assert!(matches!(
        read_text(&text).unwrap_err(),
        EdxmlError::InvalidValue { element, value, .. } if element == "OtherInfo/Priority" && value == "7"
    ));
    let status = STATUS.replace(">05</qcvn:StatusCode>", ">07</qcvn:StatusCode>");
    assert!(matches!(
        read_status(status.as_bytes(), &Limits::default()).unwrap_err(),
        EdxmlError::InvalidValue { value, .. } if value == "07"
    ));
}

#[test]
fn a_zip_with_two_entries_is_refused() {
    let zip = zip_of(&[("a.txt", b"mot"), ("b.txt", b"hai")]);
    let text = with_content(&STANDARD.encode(zip));
    assert_eq!(
        read_text(&text).unwrap_err(),
        EdxmlError::ZipEntryCount {
            name: "ke-hoach-chuyen-doi-so.txt".into(),
            count: 2
        }
    );
    let empty = with_content(&STANDARD.encode(zip_of(&[])));
    assert!(matches!(
        read_text(&empty).unwrap_err(),
        EdxmlError::ZipEntryCount { count: 0, .. }
    ));
}

#[test]
fn a_zip_bomb_stops_at_the_limit() {
    let limits = Limits {
        max_attachment_bytes: 1024 * 1024,
        ..Limits::default()
    };
    let zeros = vec![0u8; 8 * 1024 * 1024];
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file(
        "bom.bin",
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated),
    )
    .unwrap();
    zip.write_all(&zeros).unwrap();
    let bomb = zip.finish().unwrap().into_inner();
    assert!(bomb.len() < 64 * 1024, "the bomb is small: {}", bomb.len());
    let text = with_content(&STANDARD.encode(&bomb));
    let error = read(text.as_bytes(), &limits).unwrap_err();
    assert_eq!(
        error,
        EdxmlError::AttachmentTooLarge {
            name: "ke-hoach-chuyen-doi-so.txt".into(),
            limit: 1024 * 1024
        }
    );
    assert_eq!(
        error.to_string(),
        "Tệp đính kèm «ke-hoach-chuyen-doi-so.txt» vượt quá giới hạn 1 MB"
    );

    // The same bomb lying about its size (declared 100 bytes in both
    // headers): still refused, never inflated past the limit.
    let mut lying = bomb.clone();
    let declared = (8u32 * 1024 * 1024).to_le_bytes();
    let mut patched = 0;
    for i in 0..lying.len().saturating_sub(4) {
        if lying[i..i + 4] == declared {
            lying[i..i + 4].copy_from_slice(&100u32.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(patched, 2, "local and central headers");
    let text = with_content(&STANDARD.encode(&lying));
    assert!(matches!(
        read(text.as_bytes(), &limits).unwrap_err(),
        EdxmlError::AttachmentTooLarge { .. } | EdxmlError::InvalidZip { .. }
    ));
}

#[test]
fn bad_base64_is_refused() {
    let text = with_content("UEsDBBQ!!!không phải base64");
    assert!(matches!(
        read_text(&text).unwrap_err(),
        EdxmlError::InvalidBase64 { name, .. } if name == "ke-hoach-chuyen-doi-so.txt"
    ));
    // Line breaks inside base64, as MIME encoders write it, are fine.
    let zip = STANDARD.encode(zip_of(&[("x.txt", b"noi dung")]));
    let wrapped: Vec<&str> = zip
        .as_bytes()
        .chunks(20)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    let package = read_text(&with_content(&wrapped.join("\r\n"))).unwrap();
    assert_eq!(package.attachments[0].bytes, b"noi dung");
}

#[test]
fn content_that_is_not_a_zip_is_taken_as_the_file_but_still_bounded() {
    let text = with_content(&STANDARD.encode(b"%PDF-1.7 raw"));
    assert_eq!(
        read_text(&text).unwrap().attachments[0].bytes,
        b"%PDF-1.7 raw"
    );
    let limits = Limits {
        max_attachment_bytes: 4,
        ..Limits::default()
    };
    assert!(matches!(
        read(text.as_bytes(), &limits).unwrap_err(),
        EdxmlError::AttachmentTooLarge { limit: 4, .. }
    ));
}

#[test]
fn too_many_attachments_are_refused_before_decoding() {
    let mut package = common::package();
    let third = package.attachments[1].clone();
    package.attachments.push(edxml::Attachment {
        content_id: "cid:3".into(),
        ..third
    });
    let bytes = write(&package).unwrap();
    let limits = Limits {
        max_attachments: 2,
        ..Limits::default()
    };
    assert_eq!(
        read(&bytes, &limits).unwrap_err(),
        EdxmlError::TooManyAttachments { count: 3, limit: 2 }
    );
}

#[test]
fn a_manifest_entry_without_content_is_refused() {
    let start = PACKAGE.find("  <AttachmentEncoded>").unwrap();
    let end = PACKAGE.find("</AttachmentEncoded>\n").unwrap() + "</AttachmentEncoded>\n".len();
    let text = format!("{}{}", &PACKAGE[..start], &PACKAGE[end..]);
    assert_eq!(
        read_text(&text).unwrap_err(),
        EdxmlError::AttachmentMissing("ke-hoach-chuyen-doi-so.txt".into())
    );
}

#[test]
fn a_depth_bomb_is_refused() {
    let depth = 100_000;
    let bomb = format!(
        "<edXML xmlns=\"{}\">{}{}</edXML>",
        edxml::NAMESPACE,
        "<a>".repeat(depth),
        "</a>".repeat(depth)
    );
    assert_eq!(
        read_text(&bomb).unwrap_err(),
        EdxmlError::TooDeep { limit: 32 }
    );
}

#[test]
fn too_many_elements_and_too_long_texts_are_refused() {
    let limits = Limits {
        max_elements: 50,
        ..Limits::default()
    };
    assert_eq!(
        read(PACKAGE.as_bytes(), &limits).unwrap_err(),
        EdxmlError::TooManyElements { limit: 50 }
    );
    let limits = Limits {
        max_text_bytes: 40,
        ..Limits::default()
    };
    assert!(matches!(
        read(PACKAGE.as_bytes(), &limits).unwrap_err(),
        EdxmlError::TextTooLong { limit: 40, .. }
    ));
    let limits = Limits {
        max_package_bytes: 1000,
        ..Limits::default()
    };
    assert_eq!(
        read(PACKAGE.as_bytes(), &limits).unwrap_err(),
        EdxmlError::PackageTooLarge {
            size: PACKAGE.len(),
            limit: 1000
        }
    );
}

#[test]
fn a_truncated_file_is_refused_wherever_it_is_cut() {
    for cut in [10, 100, PACKAGE.len() / 2, PACKAGE.len() - 10] {
        let mut end = cut;
        while !PACKAGE.is_char_boundary(end) {
            end -= 1;
        }
        let error = read_text(&PACKAGE[..end]).unwrap_err();
        assert!(
            matches!(error, EdxmlError::Xml(_)),
            "cut at {cut}: {error:?}"
        );
    }
    let error = read_text(&PACKAGE[..PACKAGE.len() / 2])
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("Gói edXML không phải XML hợp lệ: "),
        "{error}"
    );
}

#[test]
fn encodings_other_than_utf8_are_refused() {
    let latin1 = PACKAGE.replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"");
    assert_eq!(
        read_text(&latin1).unwrap_err(),
        EdxmlError::Encoding("ISO-8859-1".into())
    );
    let mut broken = PACKAGE.as_bytes().to_vec();
    broken.insert(400, 0xFF);
    assert!(matches!(
        read(&broken, &Limits::default()).unwrap_err(),
        EdxmlError::Encoding(_)
    ));
    let with_bom = [b"\xEF\xBB\xBF".as_slice(), PACKAGE.as_bytes()].concat();
    assert!(read(&with_bom, &Limits::default()).is_ok());
}

#[test]
fn forbidden_characters_and_wrong_roots_are_refused() {
    let text = PACKAGE.replace("Trà Vinh</edXML:Place>", "Trà Vinh&#1;</edXML:Place>");
    assert!(matches!(
        read_text(&text).unwrap_err(),
        EdxmlError::ForbiddenCharacter(1)
    ));
    let text = format!("<Goi xmlns=\"{}\"/>", edxml::NAMESPACE);
    assert_eq!(
        read_text(&text).unwrap_err(),
        EdxmlError::WrongRoot {
            expected: "edXML",
            found: "Goi".into()
        }
    );
    let text = PACKAGE.replace(
        "<edXML:Subject>",
        "<edXML:Subject>a</edXML:Subject><edXML:Subject>",
    );
    assert_eq!(
        read_text(&text).unwrap_err(),
        EdxmlError::Duplicate("MessageHeader/Subject".into())
    );
}

#[test]
fn an_undeclared_prefix_below_the_root_is_refused() {
    let text = PACKAGE.replace("<edXML:Subject>", "<x:Note>a</x:Note><edXML:Subject>");
    assert!(matches!(read_text(&text).unwrap_err(), EdxmlError::Xml(m) if m.contains("«Note»")));
}
