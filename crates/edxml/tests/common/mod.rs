//! Builders shared by the integration tests: a full package, a status, and
//! deterministic pseudo-random bytes (no extra dependency for them).

// Test helpers may unwrap: a failure is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![allow(dead_code)]

use edxml::{
    Attachment, Business, BusinessDocType, DocumentType, MessageHeader, Organization, OtherInfo,
    Package, Priority, ReplacementInfo, ResponseFor, SignerInfo, StaffInfo, Status, StatusCode,
    TraceHeader,
};
use time::macros::{date, datetime};

/// xorshift64*: reproducible bytes that do not compress.
pub fn random_bytes(len: usize, mut seed: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        seed ^= seed >> 12;
        seed ^= seed << 25;
        seed ^= seed >> 27;
        out.extend_from_slice(&seed.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes());
    }
    out.truncate(len);
    out
}

pub fn organization(organ_id: &str, name: &str) -> Organization {
    Organization {
        organ_id: organ_id.into(),
        organization_in_charge: Some("Ủy ban nhân dân tỉnh Trà Vinh".into()),
        organ_name: name.into(),
        organ_add: Some("Số 1 Lê Lợi, Phường 1, thành phố Trà Vinh".into()),
        email: Some("vanthu@travinh.gov.vn".into()),
        telephone: Some("0294 3862 211".into()),
        fax: Some("0294 3862 212".into()),
        website: Some("https://travinh.gov.vn".into()),
    }
}

pub fn header() -> MessageHeader {
    MessageHeader {
        from: organization("000.00.00.H59", "Văn phòng UBND tỉnh Trà Vinh"),
        to: vec![
            organization("000.01.01.H59", "Sở Khoa học và Công nghệ"),
            Organization {
                organ_id: "000.02.01.H59".into(),
                organ_name: "Sở Nội vụ".into(),
                ..Organization::default()
            },
        ],
        document_id: "000.00.00.H59,2026/01/05,12/KH-UBND".into(),
        code_number: "12".into(),
        code_notation: "KH-UBND".into(),
        place: "Trà Vinh".into(),
        promulgation_date: date!(2026 - 01 - 05),
        document_type: DocumentType {
            type_code: 2,
            type_detail: 0,
            type_name: "Kế hoạch".into(),
        },
        subject: "Kế hoạch chuyển đổi số năm 2026 <dự thảo> & \"góp ý\"".into(),
        content: Some("Dòng một\nDòng hai\r\nDòng ba\tcó tab".into()),
        signer: SignerInfo {
            competence: Some("KT. CHỦ TỊCH".into()),
            position: Some("PHÓ CHỦ TỊCH".into()),
            full_name: "Nguyễn Văn Hòa".into(),
        },
        due_date: Some(date!(2026 - 01 - 30)),
        other: OtherInfo {
            priority: Priority::ImmediateTimed,
            sphere_of_promulgation: "Liên thông văn bản quốc gia".into(),
            typer_notation: "TVT".into(),
            promulgation_amount: 15,
            page_amount: 8,
            direction: true,
            appendixes: vec!["Phụ lục I".into(), "Phụ lục II: kinh phí".into()],
        },
        steering_type: Some(2),
        to_places: vec!["Các sở, ban, ngành".into(), "Lưu: VT, KGVX.".into()],
        response_for: vec![ResponseFor {
            organ_id: "000.00.00.G22".into(),
            code: "7816/VPCP-TTĐT".into(),
            promulgation_date: date!(2015 - 09 - 30),
            document_id: "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT".into(),
        }],
    }
}

pub fn package() -> Package {
    Package {
        header: header(),
        traces: vec![
            TraceHeader {
                organ_id: Some("000.00.00.H59".into()),
                timestamp: datetime!(2026-01-05 08:30:00),
            },
            TraceHeader {
                organ_id: None,
                timestamp: datetime!(2026-01-05 08:31:12),
            },
        ],
        business: Some(Business {
            document_id: Some("000.00.00.H59,2026/01/05,12/KH-UBND".into()),
            doc_type: BusinessDocType::Replace,
            reason: "Thay thế văn bản gửi nhầm".into(),
            paper: true,
            staff_info: Some(staff()),
            replacements: vec![ReplacementInfo {
                document_id: "000.00.00.H59,2026/01/04,11/KH-UBND".into(),
                organ_ids: vec!["000.01.01.H59".into(), "000.02.01.H59".into()],
            }],
        }),
        attachments: vec![
            Attachment {
                content_id: "cid:1".into(),
                name: "Kế hoạch 12.pdf".into(),
                description: "Bản ký số".into(),
                content_type: "application/pdf".into(),
                bytes: random_bytes(300 * 1024, 0x5EED),
            },
            Attachment {
                content_id: "cid:2".into(),
                name: "phu-luc.txt".into(),
                description: "Phụ lục".into(),
                content_type: "text/plain".into(),
                bytes: "Phụ lục I – danh mục nhiệm vụ\n".repeat(100).into_bytes(),
            },
        ],
    }
}

pub fn staff() -> StaffInfo {
    StaffInfo {
        department: Some("Văn thư".into()),
        staff: Some("Trần Thị Ngọc Hân".into()),
        mobile: Some("0912345678".into()),
        email: Some("han@travinh.gov.vn".into()),
    }
}

pub fn status() -> Status {
    Status {
        response_for: ResponseFor {
            organ_id: "000.00.00.H59".into(),
            code: "12/KH-UBND".into(),
            promulgation_date: date!(2026 - 01 - 05),
            document_id: "000.00.00.H59,2026/01/05,12/KH-UBND".into(),
        },
        from: organization("000.01.01.H59", "Sở Khoa học và Công nghệ"),
        code: StatusCode::RevokeOrUpdateRefused,
        description: "Văn bản đã được xử lý, không thu hồi được".into(),
        timestamp: datetime!(2026-01-06 14:05:09),
        staff_info: Some(staff()),
    }
}
