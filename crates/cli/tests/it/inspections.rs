//! Inspections (issue 10): the life of an inspection from the yearly plan
//! to its closing and follow-ups, each rule's refusal (which changes
//! nothing), who may record what, and the report's figures against a
//! month counted by hand.

use app::AppError;
use app::Ctx;
use app::inspections::records::NewInspection;
use domain::inspections::Field;
use domain::inspections::figures::InspectionFigures;
use domain::inspections::plan::{Plan, PlanItem};
use domain::inspections::record::{Closing, InspectionId, Kind, Member, Status, TeamDecision};
use domain::inspections::subjects::{
    Finding, FollowUp, Sanction, SanctionKind, Subject, SubjectKind,
};
use testkit::TestApp;
use time::Date;
use time::macros::date;

const INSPECTOR: &str = "tienhtm.stttt@travinh.gov.vn";
const CHIEF: &str = "binhdv.stttt@travinh.gov.vn";
const INSPECTORATE: &str = "000.02.11.H59";

fn person_of(ctx: &Ctx) -> i64 {
    ctx.actor.as_ref().unwrap().person_id
}

fn subject(kind: SubjectKind, name: &str, id_number: Option<&str>, field: Field) -> Subject {
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

fn violation() -> Finding {
    Finding::Violation {
        what: "Không niêm yết nội quy sử dụng dịch vụ".into(),
        legal_basis: "Điều 102 Nghị định 15/2020/NĐ-CP".into(),
    }
}

fn sanction(subject_id: i64, kind: SanctionKind, fine_vnd: Option<i64>) -> Sanction {
    Sanction {
        id: 0,
        subject_id,
        kind,
        fine_vnd,
        measure: "Buộc niêm yết nội quy".into(),
        decision_number: "05/QĐ-XPVPHC".into(),
    }
}

fn follow_up(subject_id: i64, due_on: Date) -> FollowUp {
    FollowUp {
        id: 0,
        subject_id,
        action: "Niêm yết nội quy tại điểm cung cấp dịch vụ".into(),
        due_on,
        done_on: None,
    }
}

fn closing(date: Date) -> Closing {
    Closing {
        number: "12/BC-ĐKT".into(),
        date,
        summary: "Đã kiểm tra các đối tượng theo quyết định".into(),
    }
}

struct Desk {
    test: TestApp,
    inspector: Ctx,
    chief: Ctx,
    agency: i64,
}

impl Desk {
    async fn new() -> Self {
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

    fn team(&self) -> Vec<Member> {
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
    async fn decided(
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

    async fn subjects(&self, id: InspectionId, subjects: Vec<Subject>) -> Vec<i64> {
        self.test
            .app
            .add_inspection_subjects(&self.inspector, id, subjects)
            .await
            .unwrap()
            .iter()
            .map(|s| s.id)
            .collect()
    }

    async fn find(&self, id: InspectionId, findings: Vec<(i64, Finding)>) {
        self.test
            .app
            .record_inspection_findings(&self.inspector, id, findings)
            .await
            .unwrap();
    }

    fn at(&self, day: Date) {
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

/// Asserts that `call` is refused clearly and leaves inspection `id` and
/// the audit trail as they were.
async fn refused<T: std::fmt::Debug>(
    desk: &Desk,
    id: InspectionId,
    call: impl std::future::Future<Output = Result<T, AppError>>,
    what: &str,
) {
    let seq = desk.test.audit_seq().await;
    let before = desk.test.app.inspection(&desk.inspector, id).await.unwrap();
    let result = call.await;
    assert!(
        matches!(result, Err(AppError::Invalid(_) | AppError::Conflict(_))),
        "{what}: {result:?}"
    );
    assert_eq!(desk.test.audit_seq().await, seq, "{what}");
    let after = desk.test.app.inspection(&desk.inspector, id).await.unwrap();
    assert_eq!(after, before, "{what}");
}

#[tokio::test]
async fn every_rule_refuses_clearly_and_changes_nothing() {
    let desk = Desk::new().await;
    let app = &desk.test.app;
    let ctx = &desk.inspector;
    let planned = app
        .create_inspection(
            ctx,
            NewInspection {
                agency_id: desk.agency,
                kind: Kind::Inspection,
                plan_item_id: None,
                fields: vec![Field::Press],
                title: "Thanh tra báo chí".into(),
            },
        )
        .await
        .unwrap();
    let before = app.inspection(ctx, planned.id).await.unwrap();
    let seq = desk.test.audit_seq().await;
    let decision = |date| TeamDecision {
        number: "45/QĐ-STTTT".into(),
        date,
        signer: "Trần Minh Khoa".into(),
    };
    let period = (date!(2021 - 04 - 12), date!(2021 - 04 - 16));
    let mut cases: Vec<(&str, Result<(), AppError>)> = Vec::new();
    let decide = |d, team, p| app.decide_inspection(ctx, planned.id, d, team, p);
    cases.push((
        "decision after the start",
        decide(decision(date!(2021 - 04 - 13)), desk.team(), period)
            .await
            .map(drop),
    ));
    cases.push((
        "end before the start",
        decide(
            decision(date!(2021 - 04 - 09)),
            desk.team(),
            (period.1, period.0),
        )
        .await
        .map(drop),
    ));
    let mut headless = desk.team();
    headless[0].head = false;
    cases.push((
        "no head",
        decide(decision(date!(2021 - 04 - 09)), headless, period)
            .await
            .map(drop),
    ));
    let mut twice = desk.team();
    twice[1].person_id = twice[0].person_id;
    cases.push((
        "a person twice",
        decide(decision(date!(2021 - 04 - 09)), twice, period)
            .await
            .map(drop),
    ));
    cases.push((
        "a plan item of no plan",
        app.create_inspection(
            ctx,
            NewInspection {
                agency_id: desk.agency,
                kind: Kind::Check,
                plan_item_id: Some(999_999),
                fields: vec![Field::Press],
                title: "x".into(),
            },
        )
        .await
        .map(drop),
    ));
    cases.push((
        "a subject before the decision",
        app.add_inspection_subjects(
            ctx,
            planned.id,
            vec![subject(
                SubjectKind::Individual,
                "Lê Văn Bé",
                None,
                Field::Press,
            )],
        )
        .await
        .map(drop),
    ));
    for (what, result) in cases {
        assert!(
            matches!(result, Err(AppError::Invalid(_) | AppError::Conflict(_))),
            "{what}: {result:?}"
        );
    }
    assert_eq!(app.inspection(ctx, planned.id).await.unwrap(), before);
    assert_eq!(desk.test.audit_seq().await, seq);

    let id = desk
        .decided(
            (Kind::Check, vec![Field::Internet]),
            date!(2021 - 04 - 09),
            period,
            true,
        )
        .await;
    let ids = desk
        .subjects(
            id,
            vec![subject(
                SubjectKind::Individual,
                "Nguyễn Văn An",
                Some("084090001234"),
                Field::Internet,
            )],
        )
        .await;
    let twin = subject(
        SubjectKind::Individual,
        "Trần Thị Bé",
        Some("084090001234"),
        Field::Internet,
    );
    refused(
        &desk,
        id,
        app.add_inspection_subjects(ctx, id, vec![twin]),
        "same id number",
    )
    .await;
    let folded = Subject {
        address: "phuong 1,  thanh pho tra vinh".into(),
        ..subject(
            SubjectKind::Individual,
            "NGUYEN VAN AN",
            None,
            Field::Internet,
        )
    };
    refused(
        &desk,
        id,
        app.add_inspection_subjects(ctx, id, vec![folded]),
        "same folded name and address",
    )
    .await;
    let press = subject(SubjectKind::Business, "Báo Trà Vinh", None, Field::Press);
    refused(
        &desk,
        id,
        app.add_inspection_subjects(ctx, id, vec![press]),
        "a field outside",
    )
    .await;
    refused(
        &desk,
        id,
        app.record_inspection_findings(
            ctx,
            id,
            vec![(ids[0], Finding::Clean), (999_999, Finding::Clean)],
        ),
        "unknown subject",
    )
    .await;
    refused(
        &desk,
        id,
        app.add_inspection_sanction(ctx, id, sanction(ids[0], SanctionKind::Warning, None)),
        "a sanction without a violation",
    )
    .await;
    refused(
        &desk,
        id,
        app.close_inspection(ctx, id, closing(date!(2021 - 04 - 20))),
        "a subject without a finding",
    )
    .await;
    desk.find(id, vec![(ids[0], violation())]).await;
    refused(
        &desk,
        id,
        app.add_inspection_sanction(ctx, id, sanction(ids[0], SanctionKind::Fine, Some(0))),
        "a fine of 0",
    )
    .await;
    refused(
        &desk,
        id,
        app.add_inspection_follow_up(ctx, id, follow_up(ids[0], date!(2021 - 04 - 15))),
        "a follow-up due before the end",
    )
    .await;
    refused(
        &desk,
        id,
        app.close_inspection(ctx, id, closing(date!(2021 - 04 - 15))),
        "closing before the end",
    )
    .await;
    app.close_inspection(ctx, id, closing(date!(2021 - 04 - 16)))
        .await
        .unwrap();
    let other = subject(SubjectKind::Individual, "Lê Văn Bé", None, Field::Internet);
    refused(
        &desk,
        id,
        app.add_inspection_subjects(ctx, id, vec![other]),
        "a closed inspection",
    )
    .await;
    refused(
        &desk,
        id,
        app.record_inspection_findings(ctx, id, vec![(ids[0], Finding::Clean)]),
        "a closed inspection's finding",
    )
    .await;
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

#[tokio::test]
async fn the_months_figures_match_a_hand_count() {
    let desk = Desk::new().await;
    let app = &desk.test.app;
    let ctx = &desk.inspector;
    // A: a thanh tra of the press begun in May, closed in May.
    let a = desk
        .decided(
            (Kind::Inspection, vec![Field::Press]),
            date!(2021 - 04 - 28),
            (date!(2021 - 05 - 03), date!(2021 - 05 - 07)),
            true,
        )
        .await;
    let a_ids = desk
        .subjects(
            a,
            vec![
                subject(
                    SubjectKind::Business,
                    "Công ty In Trà Vinh",
                    None,
                    Field::Press,
                ),
                subject(
                    SubjectKind::Business,
                    "Công ty Quảng cáo Sao Mai",
                    None,
                    Field::Press,
                ),
                subject(SubjectKind::Individual, "Thạch Sô Phên", None, Field::Press),
            ],
        )
        .await;
    desk.find(
        a,
        vec![
            (a_ids[0], violation()),
            (a_ids[1], Finding::Clean),
            (a_ids[2], Finding::Clean),
        ],
    )
    .await;
    app.add_inspection_sanction(
        ctx,
        a,
        sanction(a_ids[0], SanctionKind::Fine, Some(7_500_000)),
    )
    .await
    .unwrap();
    app.add_inspection_sanction(ctx, a, sanction(a_ids[0], SanctionKind::Remedy, None))
        .await
        .unwrap();
    let a_follow = app
        .add_inspection_follow_up(ctx, a, follow_up(a_ids[0], date!(2021 - 05 - 20)))
        .await
        .unwrap();
    app.close_inspection(ctx, a, closing(date!(2021 - 05 - 10)))
        .await
        .unwrap();
    // B: a kiểm tra of internet and e-games begun on the month's last day.
    let b = desk
        .decided(
            (Kind::Check, vec![Field::Internet, Field::EGames]),
            date!(2021 - 05 - 25),
            (date!(2021 - 05 - 31), date!(2021 - 06 - 04)),
            true,
        )
        .await;
    let b_ids = desk
        .subjects(
            b,
            vec![
                subject(
                    SubjectKind::Individual,
                    "Kim Thị Sa Rinh",
                    None,
                    Field::Internet,
                ),
                subject(
                    SubjectKind::Individual,
                    "Dương Minh Khánh",
                    None,
                    Field::EGames,
                ),
            ],
        )
        .await;
    desk.find(b, vec![(b_ids[0], violation()), (b_ids[1], Finding::Clean)])
        .await;
    app.add_inspection_sanction(
        ctx,
        b,
        sanction(b_ids[0], SanctionKind::Fine, Some(2_000_000)),
    )
    .await
    .unwrap();
    app.add_inspection_follow_up(ctx, b, follow_up(b_ids[0], date!(2021 - 06 - 15)))
        .await
        .unwrap();
    // C, just outside: begun in April, running into May.
    let c = desk
        .decided(
            (Kind::Check, vec![Field::Internet]),
            date!(2021 - 04 - 20),
            (date!(2021 - 04 - 26), date!(2021 - 05 - 02)),
            true,
        )
        .await;
    let c_ids = desk
        .subjects(
            c,
            vec![subject(
                SubjectKind::Individual,
                "Lê Văn Tám",
                None,
                Field::Internet,
            )],
        )
        .await;
    desk.find(c, vec![(c_ids[0], violation())]).await;
    app.add_inspection_sanction(
        ctx,
        c,
        sanction(c_ids[0], SanctionKind::Fine, Some(1_000_000)),
    )
    .await
    .unwrap();
    let c_follow = app
        .add_inspection_follow_up(ctx, c, follow_up(c_ids[0], date!(2021 - 05 - 05)))
        .await
        .unwrap();
    app.close_inspection(ctx, c, closing(date!(2021 - 05 - 04)))
        .await
        .unwrap();
    // D, just outside: decided in May, begun in June.
    let d = desk
        .decided(
            (Kind::Check, vec![Field::Postal]),
            date!(2021 - 05 - 28),
            (date!(2021 - 06 - 01), date!(2021 - 06 - 03)),
            false,
        )
        .await;
    desk.subjects(
        d,
        vec![subject(
            SubjectKind::Business,
            "Bưu điện tỉnh Trà Vinh",
            None,
            Field::Postal,
        )],
    )
    .await;

    desk.at(date!(2021 - 06 - 10));
    app.complete_inspection_follow_up(ctx, a, a_follow.id, date!(2021 - 05 - 25))
        .await
        .unwrap();
    app.complete_inspection_follow_up(ctx, c, c_follow.id, date!(2021 - 06 - 02))
        .await
        .unwrap();

    let may = app
        .inspection_figures(
            (date!(2021 - 05 - 01), date!(2021 - 05 - 31)),
            Some(&[desk.agency]),
        )
        .await
        .unwrap();
    let expected = InspectionFigures {
        inspections: 2,
        by_kind: [(Kind::Inspection, 1), (Kind::Check, 1)].into(),
        by_field: [(Field::Press, 1), (Field::Internet, 1), (Field::EGames, 1)].into(),
        businesses: 2,
        individuals: 3,
        subjects_in_violation: 2,
        sanctions: [(SanctionKind::Fine, 2), (SanctionKind::Remedy, 1)].into(),
        fines_vnd: 9_500_000,
        // A's (20/5) and C's (5/5); A's done on 25/5.
        follow_ups_due: 2,
        follow_ups_done: 1,
        // B and D (decided, not closed); A and C closed in May.
        open_inspections: 2,
        // B's, and C's done only on 2/6.
        open_follow_ups: 2,
    };
    assert_eq!(may, expected);
    // Another agency's view counts none of them.
    let other = desk.test.agency_id("000.03.11.H59").await;
    let none = app
        .inspection_figures(
            (date!(2021 - 05 - 01), date!(2021 - 05 - 31)),
            Some(&[other]),
        )
        .await
        .unwrap();
    assert_eq!(none, InspectionFigures::default());
    let backwards = app
        .inspection_figures((date!(2021 - 05 - 31), date!(2021 - 05 - 01)), None)
        .await;
    assert!(matches!(backwards, Err(AppError::Invalid(_))));
}

#[tokio::test]
async fn the_demo_reproduces_the_april_report() {
    let (test, _) = TestApp::with_demo().await;
    let april = test
        .app
        .inspection_figures((date!(2021 - 04 - 01), date!(2021 - 04 - 30)), None)
        .await
        .unwrap();
    let expected = InspectionFigures {
        inspections: 1,
        by_kind: [(Kind::Check, 1)].into(),
        by_field: [(Field::Internet, 1), (Field::EGames, 1)].into(),
        individuals: 10,
        ..InspectionFigures::default()
    };
    assert_eq!(april, expected);
    // Loading again adds nothing.
    test.app.load_demo(|_, _| {}).await.unwrap();
    let again = test
        .app
        .inspection_figures((date!(2021 - 04 - 01), date!(2021 - 04 - 30)), None)
        .await
        .unwrap();
    assert_eq!(again, expected);
}

#[tokio::test]
async fn the_pages_show_the_demo_and_take_a_new_inspection() {
    use crate::ui::{form, get_html, hidden, sign_in_as, text};
    let (test, _) = TestApp::with_demo().await;
    // First: setting the password (as `ctx_of` does) ends the sessions.
    let ctx = test.ctx_of(INSPECTOR).await;
    let session = sign_in_as(&test, INSPECTOR, testkit::PASSWORD).await;
    let list = get_html(&test, &session, "/app/inspections?year=2021&field=e_games").await;
    assert!(list.contains("trò chơi điện tử công cộng"), "{list}");
    let plan = get_html(&test, &session, "/app/inspections/plan?year=2021").await;
    assert!(plan.contains("310/QĐ-STTTT"), "{plan}");
    let figures = get_html(
        &test,
        &session,
        "/app/inspections/figures?from=2021-04-01&to=2021-04-30",
    )
    .await;
    assert!(figures.contains("id=\"so-cuoc\">1<"), "{figures}");
    let demo = test
        .app
        .inspection_list(&ctx, app::inspections::records::InspectionFilter::default())
        .await
        .unwrap()[0]
        .id;
    let record = get_html(&test, &session, &format!("/app/inspections/{demo}")).await;
    assert!(
        record.contains("Huỳnh Thị Mỹ Tiên") && record.contains("Đã kết thúc"),
        "{record}"
    );

    let new = get_html(&test, &session, "/app/inspections/new").await;
    let agency = test.agency_id(INSPECTORATE).await.to_string();
    let body = serde_urlencoded::to_string([
        ("csrf", hidden(&new, "csrf").as_str()),
        ("agency", agency.as_str()),
        ("kind", "inspection"),
        ("plan_item", ""),
        ("title", "Thanh tra hoạt động bưu chính"),
        ("field", "postal"),
    ])
    .unwrap();
    let created = test
        .send(form("/app/inspections/new", &session, body))
        .await;
    assert_eq!(created.status(), axum::http::StatusCode::SEE_OTHER);
    let path = created.headers()[axum::http::header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    let page = get_html(&test, &session, &path).await;
    let head = person_of(&ctx).to_string();
    let body = serde_urlencoded::to_string([
        ("csrf", hidden(&page, "csrf").as_str()),
        ("action", "decide"),
        ("number", "50/QĐ-STTTT"),
        ("date", "2021-04-20"),
        ("signer", "Trần Minh Khoa"),
        ("from", "2021-04-19"),
        ("to", "2021-04-23"),
        ("head", head.as_str()),
    ])
    .unwrap();
    let refused = test
        .send(form(&format!("{path}/actions"), &session, body))
        .await;
    assert_eq!(refused.status(), axum::http::StatusCode::OK);
    let html = text(refused).await;
    assert!(html.contains("không được sau ngày bắt đầu"), "{html}");
}
