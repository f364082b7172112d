//! The demo province's inspections, as the April 2021 report tells them
//! (seed: "Sở tổ chức 01 cuộc kiểm tra … internet và trò chơi điện tử
//! công cộng đối với 10 cá nhân … chưa phát hiện sai phạm"): the
//! inspectorate's 2021 plan, the decision forming the team of Chánh Thanh
//! tra Đặng Văn Bình (head) and inspector Huỳnh Thị Mỹ Tiên, and the
//! closed kiểm tra of ten individuals without a violation. The numbers of
//! the documents and the people inspected are fictional.
//!
//! Loaded once: skipped when the inspectorate already has its 2021 plan.

use domain::inspections::Field;
use domain::inspections::plan::{Plan, PlanItem};
use domain::inspections::record::{Closing, Kind, Member, TeamDecision};
use domain::inspections::subjects::{Finding, Subject, SubjectKind};
use time::macros::date;

use crate::inspections::records::NewInspection;
use crate::{App, AppError, Ctx};

const INSPECTORATE: &str = "000.02.11.H59";
const HEAD: &str = "binhdv.stttt@travinh.gov.vn";
const MEMBER: &str = "tienhtm.stttt@travinh.gov.vn";

/// The ten individuals inspected: name, address, field.
const INSPECTED: [(&str, &str, Field); 10] = [
    (
        "Nguyễn Văn Hùng",
        "Phường 1, thành phố Trà Vinh",
        Field::Internet,
    ),
    (
        "Thạch Thị Sa Rát",
        "Phường 4, thành phố Trà Vinh",
        Field::EGames,
    ),
    (
        "Lê Minh Tâm",
        "Phường 7, thành phố Trà Vinh",
        Field::Internet,
    ),
    (
        "Trần Quốc Bảo",
        "Thị trấn Càng Long, huyện Càng Long",
        Field::EGames,
    ),
    (
        "Kim Thị Sóc Kha",
        "Thị trấn Tiểu Cần, huyện Tiểu Cần",
        Field::Internet,
    ),
    (
        "Phạm Văn Lợi",
        "Thị trấn Cầu Kè, huyện Cầu Kè",
        Field::EGames,
    ),
    (
        "Huỳnh Thanh Phong",
        "Thị trấn Châu Thành, huyện Châu Thành",
        Field::Internet,
    ),
    (
        "Võ Thị Mai",
        "Thị trấn Cầu Ngang, huyện Cầu Ngang",
        Field::EGames,
    ),
    (
        "Sơn Văn Thạch",
        "Thị trấn Trà Cú, huyện Trà Cú",
        Field::Internet,
    ),
    ("Đỗ Hoàng Nam", "Phường 1, thị xã Duyên Hải", Field::EGames),
];

impl App {
    pub(super) async fn load_demo_inspections(&self, ctx: &Ctx) -> Result<(), AppError> {
        let agency_id = self
            .agency_by_code(&INSPECTORATE.parse().map_err(AppError::invalid)?)
            .await?
            .id;
        if !self
            .store
            .read()
            .await?
            .inspection_plans(Some(&[agency_id]), Some(2021))
            .await?
            .is_empty()
        {
            return Ok(());
        }
        let plan = self.approve_inspection_plan(ctx, plan(agency_id)).await?;
        let team = {
            let read = self.store.read().await?;
            let mut team = Vec::new();
            for (email, head) in [(HEAD, true), (MEMBER, false)] {
                let (person, _) = read
                    .person_for_login(email)
                    .await?
                    .ok_or(AppError::NotFound("cán bộ thanh tra"))?;
                team.push(Member {
                    person_id: person.id,
                    head,
                });
            }
            team
        };
        let inspection = self
            .create_inspection(
                ctx,
                NewInspection {
                    agency_id,
                    kind: Kind::Check,
                    plan_item_id: plan.items.first().map(|i| i.id),
                    fields: vec![Field::Internet, Field::EGames],
                    title: "Kiểm tra việc chấp hành các quy định của pháp luật về cung cấp, \
                            sử dụng dịch vụ internet và trò chơi điện tử công cộng"
                        .into(),
                },
            )
            .await?;
        let id = inspection.id;
        self.decide_inspection(
            ctx,
            id,
            TeamDecision {
                number: "85/QĐ-STTTT".into(),
                date: date!(2021 - 04 - 01),
                signer: "Trần Minh Khoa".into(),
            },
            team,
            (date!(2021 - 04 - 01), date!(2021 - 04 - 02)),
        )
        .await?;
        self.start_inspection(ctx, id).await?;
        let subjects = INSPECTED
            .iter()
            .map(|&(name, address, field)| Subject {
                id: 0,
                kind: SubjectKind::Individual,
                name: name.into(),
                id_number: None,
                address: address.into(),
                field,
                finding: None,
            })
            .collect();
        let added = self.add_inspection_subjects(ctx, id, subjects).await?;
        let findings = added.iter().map(|s| (s.id, Finding::Clean)).collect();
        self.record_inspection_findings(ctx, id, findings).await?;
        self.close_inspection(
            ctx,
            id,
            Closing {
                number: "09/BC-ĐKT".into(),
                date: date!(2021 - 04 - 05),
                summary: "Đã kiểm tra 10 cá nhân kinh doanh dịch vụ internet, trò chơi điện tử \
                          công cộng; chưa phát hiện sai phạm."
                    .into(),
            },
        )
        .await
    }
}

/// The inspectorate's 2021 plan.
fn plan(agency_id: domain::agencies::AgencyId) -> Plan {
    let item = |field, title: &str, month| PlanItem {
        id: 0,
        field,
        title: title.into(),
        month,
    };
    Plan {
        id: 0,
        agency_id,
        year: 2021,
        reference: "Quyết định số 310/QĐ-STTTT".into(),
        approved_on: date!(2020 - 12 - 25),
        items: vec![
            item(
                Field::Internet,
                "Kiểm tra việc cung cấp, sử dụng dịch vụ internet và trò chơi điện tử công cộng",
                4,
            ),
            item(Field::Postal, "Thanh tra hoạt động bưu chính", 6),
            item(Field::Press, "Kiểm tra hoạt động báo chí, xuất bản", 9),
        ],
    }
}
