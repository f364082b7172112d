//! Inspections: every rule refuses bad input clearly and changes nothing
//! (dates out of order, the team, duplicate and unknown subjects,
//! sanctions without a violation, closing too early, a closed record).

use app::AppError;
use app::inspections::records::NewInspection;
use domain::inspections::Field;
use domain::inspections::record::{InspectionId, Kind, TeamDecision};
use domain::inspections::subjects::{Finding, SanctionKind, Subject, SubjectKind};
use time::macros::date;

use crate::inspections::{Desk, closing, follow_up, sanction, subject, violation};

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
