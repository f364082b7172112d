//! The demo's citizen reception for April 2021, as the department's
//! report tells it: the periodic reception day of 07/04/2021, held by
//! the director with no citizen coming, and two regular visits received
//! by the inspector, two cases about information on Facebook; no
//! petition. They are records from before egov kept the area, so they
//! are written as they stand (a held day, visits in the past) in one
//! transaction with one audit entry, and only when the day is missing.

use domain::reception::days::{DayStatus, ReceptionDay};
use domain::reception::parties::Party;
use domain::reception::visits::{Visit, VisitKind, VisitOutcome};
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
        let visits = [
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
        ];
        let mut tx = self.store.write().await?;
        let day_id = tx.insert_reception_day(&day).await?;
        for v in &visits {
            tx.insert_visit(v).await?;
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
                after: Some(serde_json::json!({ "day": day, "visits": visits.len() })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

fn code(text: &str) -> Result<domain::agencies::AgencyCode, AppError> {
    text.parse()
        .map_err(|e| AppError::Internal(format!("demo agency code {text}: {e}")))
}
