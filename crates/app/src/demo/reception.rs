//! The demo's citizen reception for April 2021, as the department's
//! report tells it: the periodic reception day of 07/04/2021, held by
//! the director with no citizen coming, and two regular visits received
//! by the inspector, two cases about information on Facebook; no
//! petition in April. Around it, to make the pages alive: a reflection
//! received in March and answered in time, and a complaint received in
//! May, accepted and waiting for its handler's answer. They are records
//! from before egov kept the area, so they are written as they stand (a
//! held day, visits and steps in the past, each step checked by the
//! domain on its own day) in one transaction with one audit entry, and
//! only when the day is missing.

use domain::agencies::AgencyId;
use domain::people::PersonId;
use domain::reception::days::{DayStatus, ReceptionDay};
use domain::reception::parties::Party;
use domain::reception::petitions::{
    Channel, Classification, Petition, PetitionDraft, PetitionKind, Step,
};
use domain::reception::visits::{Visit, VisitKind, VisitOutcome};
use time::Date;
use time::macros::{date, datetime};

use crate::audit::{Change, record};
use crate::{App, AppError, Ctx};

const DAY: time::Date = date!(2021 - 04 - 07);

impl App {
    pub(super) async fn load_demo_reception(&self, ctx: &Ctx) -> Result<(), AppError> {
        let department = self.agency_by_code(&code("000.00.11.H59")?).await?.id;
        let inspectorate = self.agency_by_code(&code("000.02.11.H59")?).await?.id;
        let director = self
            .person_by_email("khoatm.stttt@travinh.gov.vn")
            .await?
            .id;
        let deputy = self
            .person_by_email("thanhnn.stttt@travinh.gov.vn")
            .await?
            .id;
        let inspector = self
            .person_by_email("tienhtm.stttt@travinh.gov.vn")
            .await?
            .id;
        if !self
            .store
            .read()
            .await?
            .reception_days(&[department], (DAY, DAY))
            .await?
            .is_empty()
        {
            return Ok(());
        }
        let day = ReceptionDay {
            id: 0,
            agency_id: department,
            on: DAY,
            leader_id: director,
            place: "Trụ sở Sở Thông tin và Truyền thông".into(),
            status: DayStatus::Held,
            scheduled_by: Some(director),
            note: "Không có công dân đến".into(),
        };
        let visits = seed_visits(inspectorate, inspector);
        let petitions = petitions_around(department, (director, deputy, inspector))?;
        let mut tx = self.store.write().await?;
        let day_id = tx.insert_reception_day(&day).await?;
        for v in &visits {
            tx.insert_visit(v).await?;
        }
        for p in &petitions {
            tx.insert_petition(p).await?;
        }
        record(
            &mut tx,
            self,
            ctx,
            Change {
                action: "reception.demo.load",
                object_type: "reception_day",
                object_id: day_id.to_string(),
                before: None,
                after: Some(serde_json::json!({
                    "day": day,
                    "visits": visits.len(),
                    "petitions": petitions.len(),
                })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The seed's two regular visits, received by `inspector`.
fn seed_visits(inspectorate: AgencyId, inspector: PersonId) -> [Visit; 2] {
    let visit = |at, name: &str, address: &str, content: &str| Visit {
        id: 0,
        agency_id: inspectorate,
        kind: VisitKind::Regular,
        day_id: None,
        at,
        officer_id: inspector,
        recorded_by: inspector,
        visitors: vec![Party {
            name: name.into(),
            id_number: None,
            address: address.into(),
            phone: None,
        }],
        case_id: 0,
        content: content.into(),
        field: "Thông tin điện tử, mạng xã hội".into(),
        outcome: VisitOutcome::Guided,
    };
    [
        visit(
            datetime!(2021-04-13 02:30 UTC),
            "Thạch Thị Sa Ly",
            "Xã Long Đức, thành phố Trà Vinh",
            "Phản ánh tài khoản facebook đăng thông tin sai sự thật về gia đình",
        ),
        visit(
            datetime!(2021-04-22 07:00 UTC),
            "Nguyễn Văn Hậu",
            "Thị trấn Càng Long, huyện Càng Long",
            "Phản ánh trang facebook giả mạo cơ sở kinh doanh của mình",
        ),
    ]
}

/// The petitions around April: recorded by the deputy director, decided
/// by the director, handled by the inspector.
fn petitions_around(
    department: AgencyId,
    (director, deputy, inspector): (PersonId, PersonId, PersonId),
) -> Result<[Petition; 2], AppError> {
    Ok([
        demo_petition(
            &PetitionDraft {
                agency_id: department,
                kind: PetitionKind::Reflection,
                received_on: date!(2021 - 03 - 15),
                channel: Channel::Post,
                visit_id: None,
                petitioners: vec![person("Trần Văn Phúc", "Phường 7, thành phố Trà Vinh")],
                content: "Phản ánh đài truyền thanh ấp phát âm lượng lớn vào giờ nghỉ trưa"
                    .into(),
                field: "Thông tin cơ sở".into(),
            },
            (director, deputy),
            &[
                (date!(2021 - 03 - 17), Step::Classify(Classification::Accept)),
                (date!(2021 - 03 - 17), Step::Assign(inspector)),
                (
                    date!(2021 - 03 - 31),
                    Step::Answer(
                        "Đã đề nghị UBND phường điều chỉnh giờ phát thanh; công dân đồng ý"
                            .into(),
                    ),
                ),
                (date!(2021 - 04 - 01), Step::Close),
            ],
        )?,
        demo_petition(
            &PetitionDraft {
                agency_id: department,
                kind: PetitionKind::Complaint,
                received_on: date!(2021 - 05 - 10),
                channel: Channel::Online,
                visit_id: None,
                petitioners: vec![person("Kim Thị Sóc Ra", "Xã Đa Lộc, huyện Châu Thành")],
                content: "Khiếu nại quyết định xử phạt vi phạm hành chính về cung cấp dịch vụ trò chơi điện tử công cộng"
                    .into(),
                field: "Trò chơi điện tử".into(),
            },
            (director, deputy),
            &[
                (date!(2021 - 05 - 12), Step::Classify(Classification::Accept)),
                (date!(2021 - 05 - 12), Step::Assign(inspector)),
            ],
        )?,
    ])
}

fn person(name: &str, address: &str) -> Party {
    Party {
        name: name.into(),
        id_number: None,
        address: address.into(),
        phone: None,
    }
}

/// A petition received by `recorder` and taken through `steps` by
/// `leader`, each on its own day: the domain checks them as it would
/// have then.
fn demo_petition(
    draft: &PetitionDraft,
    (leader, recorder): (PersonId, PersonId),
    steps: &[(Date, Step)],
) -> Result<Petition, AppError> {
    let calendar = crate::handling::calendar();
    let mut petition = draft
        .petition(recorder, None, (&calendar, draft.received_on))
        .map_err(AppError::invalid)?;
    for (on, step) in steps {
        let by = match step {
            Step::Answer(_) => petition.handler_id.unwrap_or(leader),
            _ => leader,
        };
        petition = petition
            .take(step, (*on, by), (&calendar, *on))
            .map_err(AppError::invalid)?;
    }
    Ok(petition)
}

fn code(text: &str) -> Result<domain::agencies::AgencyCode, AppError> {
    text.parse()
        .map_err(|e| AppError::Internal(format!("demo agency code {text}: {e}")))
}
