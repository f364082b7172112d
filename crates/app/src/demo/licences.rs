//! The demo province's licences of April 2021, as the department's
//! monthly report counts them: 17 non-commercial publication licences
//! (all filed online), 3 game-point certificates, 12 new VNPT Trà Vinh
//! BTS stations confirmed, the frequency licences of six communes' radio
//! confirmed, Long Vĩnh's rural criteria for 2020 confirmed — and Phường
//! 5's frequency licence of 2011, due for renewal. Written in one
//! transaction (a use case each would be forty transactions) and only
//! once: a database that has the first publication licence of 2021 has
//! them all.

use domain::agencies::AgencyId;
use domain::licensing::{Holder, Licence, LicenceKind};
use domain::services::Channel;
use time::Date;
use time::macros::date;

use crate::audit::{Change, record};
use crate::{App, AppError, Ctx};

/// Publication licences: (holder, the publication, day of April).
const PUBLICATIONS: [(&str, &str, u8); 17] = [
    (
        "Hội Nông dân tỉnh Trà Vinh",
        "Bản tin Nông dân Trà Vinh số 1/2021",
        1,
    ),
    (
        "Hội Liên hiệp Phụ nữ tỉnh Trà Vinh",
        "Bản tin Phụ nữ Trà Vinh quý II/2021",
        1,
    ),
    (
        "Sở Y tế tỉnh Trà Vinh",
        "Tờ gấp phòng, chống dịch COVID-19",
        1,
    ),
    (
        "Sở Tư pháp tỉnh Trà Vinh",
        "Tài liệu phổ biến pháp luật về bầu cử",
        1,
    ),
    (
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Trà Vinh",
        "Bản tin Mặt trận số 2/2021",
        2,
    ),
    (
        "Ban Dân tộc tỉnh Trà Vinh",
        "Tài liệu song ngữ Việt - Khmer về chính sách dân tộc",
        2,
    ),
    (
        "Trường Đại học Trà Vinh",
        "Kỷ yếu hội thảo khoa học năm 2021",
        2,
    ),
    (
        "Sở Nông nghiệp và Phát triển nông thôn",
        "Sổ tay kỹ thuật canh tác lúa chịu mặn",
        2,
    ),
    (
        "Tỉnh đoàn Trà Vinh",
        "Bản tin Tuổi trẻ Trà Vinh số 4/2021",
        3,
    ),
    (
        "Liên đoàn Lao động tỉnh Trà Vinh",
        "Bản tin Công đoàn số 2/2021",
        3,
    ),
    (
        "Sở Tài nguyên và Môi trường",
        "Tờ rơi bảo vệ môi trường vùng ven biển",
        3,
    ),
    (
        "Bảo hiểm xã hội tỉnh Trà Vinh",
        "Tài liệu tuyên truyền bảo hiểm xã hội tự nguyện",
        4,
    ),
    (
        "Hội Cựu chiến binh tỉnh Trà Vinh",
        "Bản tin Cựu chiến binh số 1/2021",
        4,
    ),
    (
        "Sở Giáo dục và Đào tạo",
        "Tài liệu hướng dẫn tuyển sinh lớp 10 năm 2021",
        4,
    ),
    (
        "Ủy ban bầu cử tỉnh Trà Vinh",
        "Tài liệu hỏi - đáp về bầu cử đại biểu Quốc hội và HĐND",
        5,
    ),
    (
        "Sở Văn hóa, Thể thao và Du lịch",
        "Cẩm nang du lịch Trà Vinh 2021",
        5,
    ),
    (
        "Hội Chữ thập đỏ tỉnh Trà Vinh",
        "Bản tin Chữ thập đỏ số 1/2021",
        5,
    ),
];

/// Game points: (owner, address, day of April).
const GAME_POINTS: [(&str, &str, u8); 3] = [
    (
        "Hộ kinh doanh Nguyễn Văn Lực",
        "Số 45 Phạm Ngũ Lão, Phường 1, TP Trà Vinh",
        1,
    ),
    (
        "Hộ kinh doanh Thạch Thị Sa Ri",
        "Ấp Chợ, xã Tập Sơn, huyện Trà Cú",
        2,
    ),
    (
        "Hộ kinh doanh Lê Hoàng Phúc",
        "Khóm 3, thị trấn Càng Long",
        5,
    ),
];

/// The communes whose radio's frequency licence was confirmed:
/// (commune, district, day of April).
const RADIO: [(&str, &str, u8); 6] = [
    ("Hàm Tân", "Trà Cú", 1),
    ("Ngọc Biên", "Trà Cú", 1),
    ("An Quảng Hữu", "Trà Cú", 2),
    ("Phước Hưng", "Trà Cú", 2),
    ("Tập Sơn", "Trà Cú", 5),
    ("Long Hiệp", "Trà Cú", 5),
];

const BTS_STATIONS: u8 = 12;
const FREQUENCY_AUTHORITY: &str = "Cục Tần số vô tuyến điện";

fn april(day: u8) -> Date {
    Date::from_calendar_date(2021, time::Month::April, day).unwrap_or(date!(2021 - 04 - 01))
}

/// A licence with the fields every demo row shares, valid for its kind's
/// longest term.
fn licence(
    (kind, agency_id): (LicenceKind, AgencyId),
    holder: (&str, &str),
    subject: String,
    issued_on: Date,
) -> Licence {
    Licence {
        id: 0,
        number: String::new(),
        kind,
        agency_id,
        holder: Holder {
            name: holder.0.to_owned(),
            id_number: None,
            address: holder.1.to_owned(),
            email: None,
        },
        subject,
        assessed_year: None,
        issuer: None,
        issued_on,
        valid_until: kind.longest_until(issued_on),
        channel: Channel::Desk,
        dossier_code: None,
        renews: None,
        renewed_on: None,
        revocation: None,
        signed: None,
    }
}

/// The press unit's rows: publications (filed online) and Long Vĩnh.
fn press_rows(press: AgencyId) -> Vec<Licence> {
    let mut rows: Vec<Licence> = PUBLICATIONS
        .iter()
        .map(|(holder, title, day)| Licence {
            channel: Channel::Online,
            ..licence(
                (LicenceKind::Publication, press),
                (holder, "Thành phố Trà Vinh"),
                (*title).to_owned(),
                april(*day),
            )
        })
        .collect();
    rows.push(Licence {
        assessed_year: Some(2020),
        ..licence(
            (LicenceKind::RuralCriteria, press),
            (
                "Ủy ban nhân dân xã Long Vĩnh",
                "Xã Long Vĩnh, huyện Duyên Hải",
            ),
            "Mức độ đạt tiêu chí nông thôn mới nâng cao về thông tin và truyền thông năm 2020"
                .to_owned(),
            april(5),
        )
    });
    rows
}

/// The posts and telecoms unit's rows: game points, BTS stations, the
/// communes' radio frequency licences (numbered by the authority).
fn telecom_rows(bcvt: AgencyId) -> Vec<Licence> {
    let radio =
        |number: String, (holder, address): (&str, &str), station: &str, on: Date| Licence {
            number,
            issuer: Some(FREQUENCY_AUTHORITY.to_owned()),
            ..licence(
                (LicenceKind::RadioFrequency, bcvt),
                (holder, address),
                format!("Đài truyền thanh không dây {station}"),
                on,
            )
        };
    let mut rows: Vec<Licence> = GAME_POINTS
        .iter()
        .map(|(owner, address, day)| {
            licence(
                (LicenceKind::GamePoint, bcvt),
                (owner, address),
                format!("Điểm cung cấp dịch vụ trò chơi điện tử công cộng tại {address}"),
                april(*day),
            )
        })
        .collect();
    rows.extend((1..=BTS_STATIONS).map(|n| {
        licence(
            (LicenceKind::Bts, bcvt),
            (
                "Viễn thông Trà Vinh (VNPT Trà Vinh)",
                "Số 70 Nguyễn Thị Minh Khai, Phường 2, TP Trà Vinh",
            ),
            format!("Trạm BTS xây dựng mới TVH{:03}", 100 + u16::from(n)),
            april(1 + n % 5),
        )
    }));
    rows.extend(
        RADIO
            .iter()
            .enumerate()
            .map(|(n, (commune, district, day))| {
                radio(
                    format!("{}/GP-CTS", 21_040 + n),
                    (
                        &format!("Ủy ban nhân dân xã {commune}"),
                        &format!("Xã {commune}, huyện {district}"),
                    ),
                    &format!("xã {commune}"),
                    april(*day),
                )
            }),
    );
    // Phường 5's radio: licensed in 2011 for ten years, so due for
    // renewal in April 2021 (the department guided its renewal).
    let mut phuong5 = radio(
        "1125/GP-CTS".to_owned(),
        ("Ủy ban nhân dân Phường 5", "Phường 5, thành phố Trà Vinh"),
        "Phường 5",
        date!(2011 - 05 - 20),
    );
    phuong5.holder.email = Some("phuong5.tptv@travinh.gov.vn".to_owned());
    rows.push(phuong5);
    rows
}

impl App {
    pub(super) async fn load_demo_licences(&self, ctx: &Ctx) -> Result<(), AppError> {
        let mut rows = press_rows(self.demo_agency("000.05.11.H59").await?);
        rows.extend(telecom_rows(self.demo_agency("000.03.11.H59").await?));
        let now = domain::to_stored_precision(self.now());
        let mut tx = self.store.write().await?;
        let first = LicenceKind::Publication.number(1);
        if tx
            .licence_number_taken(LicenceKind::Publication, 2021, &first)
            .await?
        {
            return Ok(());
        }
        for mut row in rows {
            if row.number.is_empty() {
                let year = row.issued_on.year();
                row.number = row
                    .kind
                    .number(tx.next_licence_number(row.kind, year).await?);
            }
            tx.insert_licence(&row, (now, None)).await?;
        }
        let change = Change {
            action: "licence.demo",
            object_type: "licence",
            object_id: "demo".into(),
            before: None,
            after: Some(serde_json::json!({ "month": "2021-04" })),
        };
        record(&mut tx, self, ctx, change).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn demo_agency(&self, code: &str) -> Result<AgencyId, AppError> {
        let code = code
            .parse()
            .map_err(|_| AppError::Internal(format!("demo agency code {code}")))?;
        Ok(self.agency_by_code(&code).await?.id)
    }
}
