//! write → read gives back every field and every attachment byte.

// Test helpers may unwrap: a failure is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use edxml::{Limits, Package, StatusCode, read, read_status, write, write_status};
use proptest::prelude::*;
use time::{Date, Month, PrimitiveDateTime, Time};

#[test]
fn a_full_package_with_two_attachments_survives_write_and_read() {
    let package = common::package();
    let bytes = write(&package).unwrap();
    let back = read(&bytes, &Limits::default()).unwrap();
    assert_eq!(back.header, package.header);
    assert_eq!(back.traces, package.traces);
    assert_eq!(back.business, package.business);
    assert_eq!(back.attachments.len(), 2);
    for (got, sent) in back.attachments.iter().zip(&package.attachments) {
        assert_eq!(got.content_id, sent.content_id);
        assert_eq!(got.name, sent.name);
        assert_eq!(got.description, sent.description);
        assert_eq!(got.content_type, sent.content_type);
        assert!(got.bytes == sent.bytes, "bytes of {} differ", sent.name);
    }
    assert_eq!(back, package);
}

#[test]
fn the_written_package_has_the_sdk_layout_and_is_deterministic() {
    let package = common::package();
    let bytes = write(&package).unwrap();
    assert_eq!(bytes, write(&package).unwrap());
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<edXML xmlns=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\">\n  <edXML:edXMLEnvelope xmlns:edXML=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\">\n    <edXML:edXMLHeader>\n      <edXML:MessageHeader>\n        <edXML:From>\n"));
    for needle in [
        "<edXML:Bussiness>",
        "<edXML:BussinessDocType>3</edXML:BussinessDocType>",
        "<edXML:Priority>4</edXML:Priority>",
        "<edXML:PromulgationDate>2026/01/05</edXML:PromulgationDate>",
        "<edXML:Timestamp>2026/01/05 08:30:00</edXML:Timestamp>",
        "<edXML:edXMLManifest version=\"1.0\">",
        "<AttachmentEncoded>\n    <Attachment>\n      <ContentId>cid:1</ContentId>",
        "<edXML:ContentTransferEncoded xmlns:edXML=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\">UEsDB",
        "&lt;dự thảo&gt; &amp; \"góp ý\"",
        "Dòng hai&#13;\nDòng ba",
    ] {
        assert!(text.contains(needle), "missing {needle:?}");
    }
}

#[test]
fn text_is_written_in_nfc() {
    let mut package = common::package();
    // "Hòa" with a combining grave accent (NFD).
    package.header.signer.full_name = "Nguyễn Văn Ho\u{300}a".into();
    let back = read(&write(&package).unwrap(), &Limits::default()).unwrap();
    assert_eq!(back.header.signer.full_name, "Nguyễn Văn Hòa");
}

#[test]
fn a_package_without_trace_business_or_attachments_round_trips() {
    let package = Package {
        header: common::header(),
        traces: Vec::new(),
        business: None,
        attachments: Vec::new(),
    };
    let back = read(&write(&package).unwrap(), &Limits::default()).unwrap();
    assert_eq!(back, package);
}

#[test]
fn an_empty_attachment_round_trips() {
    let mut package = common::package();
    package.attachments[1].bytes.clear();
    let back = read(&write(&package).unwrap(), &Limits::default()).unwrap();
    assert_eq!(back.attachments[1].bytes, Vec::<u8>::new());
}

#[test]
fn every_status_code_round_trips() {
    for code in StatusCode::ALL {
        let mut status = common::status();
        status.code = code;
        let bytes = write_status(&status).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.contains(&format!(
            "<edXML:StatusCode>{:02}</edXML:StatusCode>",
            code.code()
        )));
        assert_eq!(read_status(&bytes, &Limits::default()).unwrap(), status);
    }
    let mut status = common::status();
    status.staff_info = None;
    status.description.clear();
    let back = read_status(&write_status(&status).unwrap(), &Limits::default()).unwrap();
    assert_eq!(back, status);
}

#[test]
fn writing_refuses_what_reading_would_refuse() {
    use edxml::EdxmlError;
    let mut package = common::package();
    package.header.to.clear();
    assert_eq!(
        write(&package),
        Err(EdxmlError::Missing("MessageHeader/To".into()))
    );

    let mut package = common::package();
    package.header.document_id = "  ".into();
    assert_eq!(
        write(&package),
        Err(EdxmlError::Missing("MessageHeader/DocumentId".into()))
    );

    let mut package = common::package();
    package.header.subject = "Trích yếu\u{1}".into();
    assert_eq!(
        write(&package),
        Err(EdxmlError::UnwritableCharacter {
            field: "Subject".into(),
            code: 1
        })
    );
}

// ---- property: write → read is the identity for generated headers ----

/// Text as the reader gives it back: NFC, no surrounding whitespace, no
/// characters XML forbids. Vietnamese letters, XML's special characters and
/// line breaks inside are all fair game.
fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđĐƯƠ &<>\"'/,.:;()\\-\n\t]{0,40}"
        .prop_map(|s| {
            use unicode_normalization::UnicodeNormalization;
            s.nfc().collect::<String>().trim().to_string()
        })
}

fn required_text() -> impl Strategy<Value = String> {
    text().prop_map(|s| if s.is_empty() { "x".to_string() } else { s })
}

fn optional_text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(required_text())
}

fn date() -> impl Strategy<Value = Date> {
    (1900i32..=2100, 1u8..=12, 1u8..=28).prop_filter_map("a calendar date", |(y, m, d)| {
        Month::try_from(m)
            .ok()
            .and_then(|m| Date::from_calendar_date(y, m, d).ok())
    })
}

fn organization() -> impl Strategy<Value = edxml::Organization> {
    (
        required_text(),
        optional_text(),
        required_text(),
        optional_text(),
        optional_text(),
        optional_text(),
        optional_text(),
        optional_text(),
    )
        .prop_map(
            |(id, charge, name, add, email, tel, fax, web)| edxml::Organization {
                organ_id: id,
                organization_in_charge: charge,
                organ_name: name,
                organ_add: add,
                email,
                telephone: tel,
                fax,
                website: web,
            },
        )
}

fn response_for() -> impl Strategy<Value = edxml::ResponseFor> {
    (required_text(), required_text(), date(), required_text()).prop_map(
        |(organ_id, code, promulgation_date, document_id)| edxml::ResponseFor {
            organ_id,
            code,
            promulgation_date,
            document_id,
        },
    )
}

prop_compose! {
    fn header()(
        from in organization(),
        to in proptest::collection::vec(organization(), 1..4),
        ids in (required_text(), required_text(), required_text(), text()),
        dates in (date(), proptest::option::of(date())),
        kind in (0u32..200, 0u32..10, text()),
        subject in required_text(),
        content in optional_text(),
        signer in (optional_text(), optional_text(), text()),
        priority in proptest::sample::select(edxml::Priority::ALL.to_vec()),
        other in (text(), text(), any::<u32>(), any::<u32>(), any::<bool>(),
                  proptest::collection::vec(text(), 0..3)),
        steering_type in proptest::option::of(any::<u8>()),
        to_places in proptest::collection::vec(text(), 0..3),
        response_for in proptest::collection::vec(response_for(), 0..2),
    ) -> edxml::MessageHeader {
        edxml::MessageHeader {
            from,
            to,
            document_id: ids.0,
            code_number: ids.1,
            code_notation: ids.2,
            place: ids.3,
            promulgation_date: dates.0,
            document_type: edxml::DocumentType { type_code: kind.0, type_detail: kind.1, type_name: kind.2 },
            subject,
            content,
            signer: edxml::SignerInfo { competence: signer.0, position: signer.1, full_name: signer.2 },
            due_date: dates.1,
            other: edxml::OtherInfo {
                priority,
                sphere_of_promulgation: other.0,
                typer_notation: other.1,
                promulgation_amount: other.2,
                page_amount: other.3,
                direction: other.4,
                appendixes: other.5,
            },
            steering_type,
            to_places,
            response_for,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn write_then_read_is_the_identity_for_headers(
        header in header(),
        stamp in (date(), 0u8..24, 0u8..60, 0u8..60),
    ) {
        let package = Package {
            header,
            traces: vec![edxml::TraceHeader {
                organ_id: Some("000.00.00.H59".into()),
                timestamp: PrimitiveDateTime::new(
                    stamp.0,
                    Time::from_hms(stamp.1, stamp.2, stamp.3).unwrap(),
                ),
            }],
            business: None,
            attachments: Vec::new(),
        };
        let bytes = write(&package).unwrap();
        prop_assert_eq!(read(&bytes, &Limits::default()).unwrap(), package);
    }
}
