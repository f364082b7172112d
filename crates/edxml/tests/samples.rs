//! Hand-written files with the structure of the Java SDK's sample
//! (`edoc_new.edxml`) and of the SDKs' status messages, read field by field.

// Test helpers may unwrap: a failure is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use edxml::{BusinessDocType, DocumentId, Limits, Priority, StatusCode, read, read_status};
use time::macros::{date, datetime};

const PACKAGE: &[u8] = include_bytes!("data/ke-hoach-12.edxml");
const ATTACHMENT: &[u8] = include_bytes!("data/ke-hoach-chuyen-doi-so.txt");
const STATUS: &[u8] = include_bytes!("data/status-05.edxml");

#[test]
fn the_sdk_shaped_sample_gives_the_parties_field_by_field() {
    let package = read(PACKAGE, &Limits::default()).unwrap();
    let header = &package.header;

    let from = &header.from;
    assert_eq!(from.organ_id, "000.00.00.H59");
    assert_eq!(
        from.organization_in_charge.as_deref(),
        Some("Ủy ban nhân dân tỉnh Trà Vinh")
    );
    assert_eq!(from.organ_name, "Văn phòng Ủy ban nhân dân tỉnh Trà Vinh");
    assert_eq!(
        from.organ_add.as_deref(),
        Some("Số 1 Lê Lợi, Phường 1, thành phố Trà Vinh")
    );
    assert_eq!(from.email.as_deref(), Some("vpubnd@travinh.gov.vn"));
    assert_eq!(from.telephone.as_deref(), Some("0294 3862 211"));
    assert_eq!(from.fax.as_deref(), Some("0294 3862 212"));
    assert_eq!(from.website.as_deref(), Some("travinh.gov.vn"));

    assert_eq!(header.to.len(), 2);
    let to = &header.to[0];
    assert_eq!(to.organ_id, "000.01.01.H59");
    // Leading space in the file, trimmed.
    assert_eq!(
        to.organization_in_charge.as_deref(),
        Some("Ủy ban nhân dân tỉnh Trà Vinh")
    );
    assert_eq!(to.organ_name, "Sở Khoa học và Công nghệ tỉnh Trà Vinh");
    assert_eq!(to.telephone.as_deref(), Some("(0294) 3 855 123"));
    assert_eq!(to.fax, None, "an empty element is absent");
    assert_eq!(header.to[1].organ_id, "000.02.01.H59");
    assert_eq!(header.to[1].organ_name, "Sở Nội vụ tỉnh Trà Vinh");
    assert_eq!(header.to[1].email, None);
}

#[test]
fn the_sdk_shaped_sample_gives_the_document_its_trace_and_its_attachment() {
    let package = read(PACKAGE, &Limits::default()).unwrap();
    let header = &package.header;

    assert_eq!(header.document_id, "000.00.00.H59,2026/01/05,12/KH-UBND");
    let id = DocumentId::parse(&header.document_id).unwrap();
    assert_eq!(
        (id.organ_id.as_str(), id.date),
        ("000.00.00.H59", date!(2026 - 01 - 05))
    );
    assert_eq!(header.code_number, "12");
    assert_eq!(header.code_notation, "KH-UBND");
    assert_eq!(header.place, "Trà Vinh");
    assert_eq!(header.promulgation_date, date!(2026 - 01 - 05));
    assert_eq!(header.document_type.type_code, 2);
    assert_eq!(header.document_type.type_detail, 0);
    assert_eq!(header.document_type.type_name, "Kế hoạch");
    assert_eq!(
        header.subject,
        "Kế hoạch chuyển đổi số tỉnh Trà Vinh năm 2026"
    );
    assert_eq!(
        header.content.as_deref(),
        Some("Triển khai chuyển đổi số & cải cách hành chính; mục tiêu <100% hồ sơ trực tuyến>")
    );
    assert_eq!(header.signer.competence.as_deref(), Some("KT. CHỦ TỊCH"));
    assert_eq!(header.signer.position.as_deref(), Some("PHÓ CHỦ TỊCH"));
    assert_eq!(header.signer.full_name, "Nguyễn Văn Hòa");
    assert_eq!(header.due_date, Some(date!(2026 - 01 - 30)));

    let other = &header.other;
    assert_eq!(other.priority, Priority::Urgent);
    assert_eq!(other.sphere_of_promulgation, "Liên thông văn bản quốc gia");
    assert_eq!(other.typer_notation, "TVT");
    assert_eq!(other.promulgation_amount, 15);
    assert_eq!(other.page_amount, 8);
    assert!(other.direction);
    assert_eq!(
        other.appendixes,
        [
            "Phụ lục I: Danh mục nhiệm vụ chuyển đổi số",
            "Phụ lục II: Kinh phí thực hiện"
        ]
    );
    assert_eq!(header.steering_type, Some(1));
    assert_eq!(
        header.to_places,
        [
            "Các sở, ban, ngành tỉnh",
            "UBND các xã, phường",
            "Lưu: VT, KGVX."
        ]
    );
    assert!(header.response_for.is_empty());

    // Bussiness sits between the two TraceHeaders: order does not matter.
    assert_eq!(package.traces.len(), 2);
    assert_eq!(package.traces[0].organ_id.as_deref(), Some("000.00.00.H59"));
    assert_eq!(package.traces[0].timestamp, datetime!(2026-01-05 08:30:00));
    assert_eq!(package.traces[1].organ_id, None);
    assert_eq!(package.traces[1].timestamp, datetime!(2026-01-05 08:31:12));

    let business = package.business.as_ref().unwrap();
    assert_eq!(
        business.document_id.as_deref(),
        Some("000.00.00.H59,2026/01/05,12/KH-UBND")
    );
    assert_eq!(business.doc_type, BusinessDocType::New);
    assert_eq!(business.reason, "Văn bản điện tử mới");
    assert!(!business.paper);
    let staff = business.staff_info.as_ref().unwrap();
    assert_eq!(
        staff.department.as_deref(),
        Some("Văn thư Văn phòng UBND tỉnh")
    );
    assert_eq!(staff.staff.as_deref(), Some("Trần Thị Ngọc Hân"));
    assert_eq!(staff.email.as_deref(), Some("vanthu@travinh.gov.vn"));
    assert_eq!(staff.mobile.as_deref(), Some("0912345678"));
    assert!(business.replacements.is_empty());

    assert_eq!(package.attachments.len(), 1);
    let attachment = &package.attachments[0];
    assert_eq!(attachment.content_id, "cid:1");
    assert_eq!(attachment.name, "ke-hoach-chuyen-doi-so.txt");
    assert_eq!(attachment.description, "Kế hoạch (bản điện tử)");
    assert_eq!(attachment.content_type, "text/plain");
    assert_eq!(attachment.bytes, ATTACHMENT);
}

#[test]
fn the_sample_reads_the_same_after_a_write() {
    let package = read(PACKAGE, &Limits::default()).unwrap();
    let again = read(&edxml::write(&package).unwrap(), &Limits::default()).unwrap();
    assert_eq!(again, package);
}

#[test]
fn the_status_sample_is_read_whatever_its_prefix() {
    // The file uses the prefix `qcvn`, not `edXML`.
    let status = read_status(STATUS, &Limits::default()).unwrap();
    assert_eq!(status.response_for.organ_id, "000.00.00.H59");
    assert_eq!(status.response_for.code, "12/KH-UBND");
    assert_eq!(status.response_for.promulgation_date, date!(2026 - 01 - 05));
    assert_eq!(
        status.response_for.document_id,
        "000.00.00.H59,2026/01/05,12/KH-UBND"
    );
    assert_eq!(status.from.organ_id, "000.01.01.H59");
    assert_eq!(
        status.from.organ_name,
        "Sở Khoa học và Công nghệ tỉnh Trà Vinh"
    );
    assert_eq!(status.from.organization_in_charge, None);
    assert_eq!(status.from.email.as_deref(), Some("skhcn@travinh.gov.vn"));
    assert_eq!(status.code, StatusCode::Processing);
    assert_eq!(
        status.description,
        "Đã phân công Phòng Quản lý công nghệ xử lý"
    );
    assert_eq!(status.timestamp, datetime!(2026-01-06 14:05:09));
    let staff = status.staff_info.unwrap();
    assert_eq!(staff.department.as_deref(), Some("Văn phòng Sở"));
    assert_eq!(staff.staff.as_deref(), Some("Lê Thị Thu Trang"));
    assert_eq!(staff.mobile.as_deref(), Some("0987654321"));
    assert_eq!(staff.email.as_deref(), Some("trangltt@travinh.gov.vn"));
}

#[test]
fn a_status_is_not_a_package_and_a_package_is_not_a_status() {
    assert_eq!(
        read(STATUS, &Limits::default()).unwrap_err(),
        edxml::EdxmlError::Missing("edXMLHeader/MessageHeader".into())
    );
    assert_eq!(
        read_status(PACKAGE, &Limits::default()).unwrap_err(),
        edxml::EdxmlError::Missing("edXMLHeader/Status".into())
    );
}
