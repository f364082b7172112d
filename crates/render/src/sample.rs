//! Sample documents exercising every element: what `egov render sample`
//! writes, what the tests check, and what the benchmark renders.
//!
//! Invariant: the texts are NFC and fixed; tests compare extracted text with
//! the constants here (`STACKED_MARKS`, `KHMER`).

use time::{Date, Month};

use crate::chart::BarChart;
use crate::model::{
    AgencyHeader, Block, Document, HeadingLevel, Inline, Kind, Orientation, Signature, Signer,
    Table,
};
use crate::slip::ReceiptSlip;

/// A Vietnamese paragraph full of stacked marks (ẫ, ệ, ự, ỡ, ...).
pub const STACKED_MARKS: &str = "Người dẫn chương trình vẫn nhớ những kỷ niệm đẹp đẽ: sự hỗ trợ, \
giúp đỡ tận tình của các cựu chiến binh; việc triển khai thực hiện đã tiến triển rõ rệt; \
không ai lỡ hẹn, không hồ sơ nào bị bỏ sót, mọi kiến nghị đều được ghi nhận và xử lý kịp thời.";

/// A Khmer paragraph (subscript consonants, dependent vowels), long enough to
/// break across lines without spaces between words.
pub const KHMER: &str = "រដ្ឋបាលខេត្តត្រាវិញសូមជូនដំណឹងដល់ប្រជាពលរដ្ឋទាំងអស់ថា\
សេវាសាធារណៈតាមអនឡាញត្រូវបានដាក់ឱ្យដំណើរការហើយ។ \
ប្រជាពលរដ្ឋអាចដាក់ពាក្យស្នើសុំនិងតាមដានលទ្ធផលតាមរយៈគេហទំព័ររបស់ខេត្ត។";

fn agency() -> AgencyHeader {
    AgencyHeader {
        parent: Some("UBND tỉnh Trà Vinh".into()),
        issuer: "Sở Thông tin và Truyền thông".into(),
    }
}

fn date(year: i32, month: Month, day: u8) -> Date {
    // The samples' dates are constants that exist.
    Date::from_calendar_date(year, month, day).unwrap_or(Date::MIN)
}

/// The monthly report of April 2021 with every element of the model.
// One literal document reads best in one piece.
#[allow(clippy::too_many_lines)]
pub fn document() -> Document {
    let body = vec![
        Block::Heading {
            level: HeadingLevel::Roman,
            text: "KẾT QUẢ THỰC HIỆN NHIỆM VỤ THÁNG 4".into(),
        },
        Block::Heading {
            level: HeadingLevel::Arabic,
            text: "Về chuyển đổi số và dịch vụ công trực tuyến".into(),
        },
        Block::Paragraph(vec![
            Inline::plain("Trong tháng, Sở đã tham mưu Ủy ban nhân dân tỉnh ban hành "),
            Inline::bold("Kế hoạch số 20/KH-UBND"),
            Inline::plain(" về chuyển đổi số"),
            Inline::Footnote(
                "Kế hoạch số 20/KH-UBND ngày 09/3/2021 của Ủy ban nhân dân tỉnh.".into(),
            ),
            Inline::plain("; tỷ lệ hồ sơ trực tuyến đạt "),
            Inline::italic(vn::numbers::format_percent(79.62)),
            Inline::plain(", tăng so với tháng trước."),
        ]),
        Block::Heading {
            level: HeadingLevel::Letter,
            text: "Tiếp nhận và giải quyết hồ sơ".into(),
        },
        Block::Bullets(vec![
            vec![Inline::plain(format!(
                "Tổng số hồ sơ tiếp nhận: {};",
                vn::numbers::format_int(18_182)
            ))],
            vec![
                Inline::plain("Hồ sơ giải quyết đúng hạn: "),
                Inline::bold("98,5%"),
                Inline::plain("."),
            ],
        ]),
        Block::Table(Table {
            header: vec![
                "TT".into(),
                "Lĩnh vực".into(),
                "Tiếp nhận".into(),
                "Đúng hạn".into(),
            ],
            rows: vec![
                vec![
                    "1".into(),
                    "Xuất bản, in và phát hành".into(),
                    "1.204".into(),
                    "1.198".into(),
                ],
                vec!["2".into(), "Bưu chính".into(), "356".into(), "356".into()],
                vec![
                    "3".into(),
                    "Viễn thông và Internet".into(),
                    "97".into(),
                    "95".into(),
                ],
            ],
            widths: vec![1, 6, 2, 2],
        }),
        Block::Chart(BarChart {
            title: "Hồ sơ trực tuyến theo tháng".into(),
            bars: vec![
                ("Tháng 1".into(), 1_204.0),
                ("Tháng 2".into(), 980.0),
                ("Tháng 3".into(), 1_530.0),
                ("Tháng 4".into(), 1_812.0),
            ],
        }),
        Block::Heading {
            level: HeadingLevel::Letter,
            text: "Công tác tuyên truyền".into(),
        },
        Block::Paragraph(vec![Inline::plain(STACKED_MARKS)]),
        Block::Paragraph(vec![Inline::plain(
            "Đối với đồng bào Khmer, thông báo sau được đăng bằng tiếng Khmer trên Cổng thông tin điện tử tỉnh:",
        )]),
        Block::Khmer(KHMER.into()),
        Block::Heading {
            level: HeadingLevel::Roman,
            text: "PHƯƠNG HƯỚNG THÁNG 5".into(),
        },
        Block::Paragraph(vec![Inline::plain(
            "Tiếp tục nâng cao chất lượng dịch vụ công trực tuyến mức độ 3, 4; bảo đảm an toàn thông tin mạng.",
        )]),
    ];
    Document {
        agency: agency(),
        number: "15/BC-STTTT".into(),
        place: "Trà Vinh".into(),
        date: date(2021, Month::May, 5),
        kind: Kind::Named {
            name: "Báo cáo".into(),
            summary: "Kết quả thực hiện nhiệm vụ tháng 4 và phương hướng tháng 5 năm 2021".into(),
        },
        addressees: vec!["Ủy ban nhân dân tỉnh Trà Vinh".into()],
        body,
        signature: Signature::One(Signer {
            authority: Some("KT. Giám đốc".into()),
            position: "Phó Giám đốc".into(),
            name: "Nguyễn Văn Hùng".into(),
        }),
        recipients: vec![
            "Như trên".into(),
            "Bộ Thông tin và Truyền thông (để b/c)".into(),
            "Giám đốc, các PGĐ Sở".into(),
        ],
        archive_unit: "VP".into(),
        orientation: Orientation::Portrait,
    }
}

/// A long report: the sample's body repeated `sections` times (the
/// benchmark's 20-page report).
pub fn long_report(sections: usize) -> Document {
    let mut doc = document();
    let one = doc.body.clone();
    doc.body = (0..sections).flat_map(|_| one.iter().cloned()).collect();
    doc
}

/// A receipt and appointment slip.
pub fn receipt_slip() -> ReceiptSlip {
    ReceiptSlip {
        agency: AgencyHeader {
            parent: Some("UBND tỉnh Trà Vinh".into()),
            issuer: "Trung tâm Phục vụ hành chính công".into(),
        },
        number: "0412/TNHS".into(),
        place: "Trà Vinh".into(),
        received: date(2021, Month::April, 28),
        dossier_code: "000.00.24.H59-210428-0012".into(),
        applicant: "Thạch Thị Sô Phia".into(),
        address: "Ấp Ô Chích, xã Lưu Nghiệp Anh, huyện Trà Cú".into(),
        procedure: "Cấp giấy phép hoạt động in".into(),
        documents: vec![
            ("Đơn đề nghị cấp giấy phép hoạt động in".into(), 1),
            ("Bản sao giấy chứng nhận đăng ký doanh nghiệp".into(), 1),
        ],
        appointment: date(2021, Month::May, 5),
        receiver: "Lê Thị Mỹ Duyên".into(),
    }
}
