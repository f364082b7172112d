//! Inspections (issue 10): the life of an inspection from the yearly plan
//! to its closing and follow-ups, and who may record what; the helpers
//! the other inspection tests share. The rules' refusals are in
//! `inspections_rules`, the figures, demo and pages in
//! `inspections_figures`.

use app::AppError;
use app::Ctx;
use app::inspections::records::NewInspection;
use domain::inspections::Field;
use domain::inspections::plan::{Plan, PlanItem};
use domain::inspections::record::{Closing, InspectionId, Kind, Member, Status, TeamDecision};
use domain::inspections::subjects::{
    Finding, FollowUp, Sanction, SanctionKind, Subject, SubjectKind,
};
use testkit::TestApp;
use time::Date;
use time::macros::date;
pub(crate) const INSPECTOR: &str = "tienhtm.stttt@travinh.gov.vn";
pub(crate) const CHIEF: &str = "binhdv.stttt@travinh.gov.vn";
pub(crate) const INSPECTORATE: &str = "000.02.11.H59";

pub(crate) fn person_of(ctx: &Ctx) -> i64 {
    ctx.actor.as_ref().unwrap().person_id
}

pub(crate) fn subject(
    kind: SubjectKind,
    name: &str,
    id_number: Option<&str>,
    field: Field,
) -> Subject {
    Subject {
        id: 0,
        kind,
        name: name.into(),
        id_number: id_number.map(Into::into),
        address: "Phường 1, thành phố Trà Vinh".into(),
        field,
        finding: None,
    }
}

pub(crate) fn violation() -> Finding {
    Finding::Violation {
        what: "Không niêm yết nội quy sử dụng dịch vụ".into(),
        legal_basis: "Điều 102 Nghị định 15/2020/NĐ-CP".into(),
    }
}

pub(crate) fn sanction(subject_id: i64, kind: SanctionKind, fine_vnd: Option<i64>) -> Sanction {
    Sanction {
        id: 0,
        subject_id,
        kind,
        fine_vnd,
        measure: "Buộc niêm yết nội quy".into(),
        decision_number: "05/QĐ-XPVPHC".into(),
    }
}

pub(crate) fn follow_up(subject_id: i64, due_on: Date) -> FollowUp {
    FollowUp {
        id: 0,
        subject_id,
        action: "Niêm yết nội quy tại điểm cung cấp dịch vụ".into(),
        due_on,
        done_on: None,
    }
}

pub(crate) fn closing(date: Date) -> Closing {
    Closing {
        number: "12/BC-ĐKT".into(),
        date,
        summary: "Đã kiểm tra các đối tượng theo quyết định".into(),
    }
}

/// The inspectorate of the demo province, with its inspector and chief.
pub(crate) struct Desk {
    pub(crate) test: TestApp,
    pub(crate) inspector: Ctx,
    pub(crate) chief: Ctx,
    pub(crate) agency: i64,
}

impl Desk {
    pub(crate) async fn new() -> Self {
        let (test, _) = TestApp::with_demo().await;
        let inspector = test.ctx_of(INSPECTOR).await;
        let chief = test.ctx_of(CHIEF).await;
        let agency = test.agency_id(INSPECTORATE).await;
        Self {
            test,
            inspector,
            chief,
            agency,
        }
    }

    pub(crate) fn team(&self) -> Vec<Member> {
        vec![
            Member {
                person_id: person_of(&self.inspector),
                head: true,
            },
            Member {
                person_id: person_of(&self.chief),
                head: false,
            },
        ]
    }

    /// A new unplanned inspection of `fields`, decided on `decided` for
    /// `period` and, when `started`, in progress.
    pub(crate) async fn decided(
        &self,
        (kind, fields): (Kind, Vec<Field>),
        decided: Date,
        period: (Date, Date),
        started: bool,
    ) -> InspectionId {
        let app = &self.test.app;
        let i = app
            .create_inspection(
                &self.inspector,
                NewInspection {
                    agency_id: self.agency,
                    kind,
                    plan_item_id: None,
                    fields,
                    title: "Kiểm tra đột xuất".into(),
                },
            )
            .await
            .unwrap();
        app.decide_inspection(
            &self.inspector,
            i.id,
            TeamDecision {
                number: "45/QĐ-STTTT".into(),
                date: decided,
                signer: "Trần Minh Khoa".into(),
            },
            self.team(),
            period,
        )
        .await
        .unwrap();
        if started {
            app.start_inspection(&self.inspector, i.id).await.unwrap();
        }
        i.id
    }

    pub(crate) async fn subjects(&self, id: InspectionId, subjects: Vec<Subject>) -> Vec<i64> {
        self.test
            .app
            .add_inspection_subjects(&self.inspector, id, subjects)
            .await
            .unwrap()
            .iter()
            .map(|s| s.id)
            .collect()
    }

    pub(crate) async fn find(&self, id: InspectionId, findings: Vec<(i64, Finding)>) {
        self.test
            .app
            .record_inspection_findings(&self.inspector, id, findings)
            .await
            .unwrap();
    }

    pub(crate) fn at(&self, day: Date) {
        let now = self.test.app.now();
        self.test.clock.advance(
            day.with_hms(9, 0, 0)
                .unwrap()
                .assume_offset(vn::dates::VIETNAM_OFFSET)
                - now,
        );
    }
}

#[tokio::test]
async fn an_inspection_goes_from_the_plan_to_its_follow_ups() {
    let desk = Desk::new().await;
    let app = &desk.test.app;
    let plan = Plan {
        id: 0,
        agency_id: desk.agency,
        year: 2022,
        reference: "Quyết định số 310/QĐ-STTTT".into(),
        approved_on: date!(2021 - 12 - 28),
        items: vec![
            PlanItem {
                id: 0,
                field: Field::Internet,
                title: "Kiểm tra đại lý internet, điểm trò chơi điện tử công cộng".into(),
                month: 4,
            },
            PlanItem {
                id: 0,
                field: Field::Press,
                title: "Thanh tra hoạt động báo chí".into(),
                month: 9,
            },
        ],
    };
    let plan = app
        .approve_inspection_plan(&desk.chief, plan)
        .await
        .unwrap();
    assert_eq!(plan.items.len(), 2);
    let again = app.approve_inspection_plan(&desk.chief, plan.clone()).await;
    assert!(matches!(again, Err(AppError::Conflict(_))), "{again:?}");
    // The demo's plan holds 2021.
    let demo_year = Plan {
        year: 2021,
        approved_on: date!(2020 - 12 - 01),
        ..plan.clone()
    };
    let again = app.approve_inspection_plan(&desk.chief, demo_year).await;
    assert!(matches!(again, Err(AppError::Conflict(_))), "{again:?}");
    let i = app
        .create_inspection(
            &desk.inspector,
            NewInspection {
                agency_id: desk.agency,
                kind: Kind::Check,
                plan_item_id: Some(plan.items[0].id),
                fields: vec![Field::Internet, Field::EGames],
                title: "Kiểm tra việc cung cấp, sử dụng dịch vụ internet".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(i.status, Status::Planned);
    app.decide_inspection(
        &desk.inspector,
        i.id,
        TeamDecision {
            number: "45/QĐ-STTTT".into(),
            date: date!(2022 - 04 - 08),
            signer: "Trần Minh Khoa".into(),
        },
        desk.team(),
        (date!(2022 - 04 - 11), date!(2022 - 04 - 15)),
    )
    .await
    .unwrap();
    app.start_inspection(&desk.inspector, i.id).await.unwrap();
    let ids = desk
        .subjects(
            i.id,
            vec![
                subject(
                    SubjectKind::Individual,
                    "Nguyễn Văn An",
                    Some("084090001234"),
                    Field::Internet,
                ),
                subject(
                    SubjectKind::Business,
                    "Công ty TNHH Ánh Dương",
                    Some("2100123456"),
                    Field::EGames,
                ),
            ],
        )
        .await;
    desk.find(i.id, vec![(ids[0], Finding::Clean), (ids[1], violation())])
        .await;
    app.add_inspection_sanction(
        &desk.inspector,
        i.id,
        sanction(ids[1], SanctionKind::Fine, Some(5_000_000)),
    )
    .await
    .unwrap();
    let f = app
        .add_inspection_follow_up(
            &desk.inspector,
            i.id,
            follow_up(ids[1], date!(2022 - 04 - 29)),
        )
        .await
        .unwrap();
    app.close_inspection(&desk.chief, i.id, closing(date!(2022 - 04 - 19)))
        .await
        .unwrap();
    let closed = app.inspection(&desk.inspector, i.id).await.unwrap();
    assert_eq!(closed.status, Status::Closed);
    assert_eq!(closed.head(), Some(person_of(&desk.inspector)));
    assert_eq!((closed.subjects.len(), closed.sanctions.len()), (2, 1));
    assert_eq!(closed.plan_item_id, Some(plan.items[0].id));
    let listed = app
        .inspection_list(
            &desk.inspector,
            app::inspections::records::InspectionFilter {
                year: Some(2022),
                field: Some(Field::EGames),
                status: Some(Status::Closed),
                agencies: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(listed.iter().filter(|x| x.id == i.id).count(), 1);

    desk.at(date!(2022 - 05 - 03));
    let overdue = app
        .overdue_inspection_follow_ups(&desk.inspector)
        .await
        .unwrap();
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0].follow_up.id, f.id);
    app.complete_inspection_follow_up(&desk.inspector, i.id, f.id, date!(2022 - 05 - 02))
        .await
        .unwrap();
    assert!(
        app.overdue_inspection_follow_ups(&desk.inspector)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn only_the_inspectorate_records_findings() {
    let desk = Desk::new().await;
    let app = &desk.test.app;
    let id = desk
        .decided(
            (Kind::Check, vec![Field::Internet]),
            date!(2021 - 04 - 09),
            (date!(2021 - 04 - 12), date!(2021 - 04 - 16)),
            true,
        )
        .await;
    let ids = desk
        .subjects(
            id,
            vec![subject(
                SubjectKind::Individual,
                "Nguyễn Văn An",
                None,
                Field::Internet,
            )],
        )
        .await;
    let specialist = desk.test.ctx_of("sockv.stttt@travinh.gov.vn").await;
    let seq = desk.test.audit_seq().await;
    let findings = app
        .record_inspection_findings(&specialist, id, vec![(ids[0], Finding::Clean)])
        .await;
    assert!(matches!(findings, Err(AppError::Forbidden)), "{findings:?}");
    let created = app
        .create_inspection(
            &specialist,
            NewInspection {
                agency_id: desk.agency,
                kind: Kind::Check,
                plan_item_id: None,
                fields: vec![Field::Postal],
                title: "Kiểm tra bưu chính".into(),
            },
        )
        .await;
    assert!(matches!(created, Err(AppError::Forbidden)), "{created:?}");
    assert_eq!(desk.test.audit_seq().await, seq);
    // A leader above the inspectorate may.
    let director = desk.test.ctx_of("khoatm.stttt@travinh.gov.vn").await;
    app.record_inspection_findings(&director, id, vec![(ids[0], Finding::Clean)])
        .await
        .unwrap();
}
