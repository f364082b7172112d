//! Citizen reception and petitions (issue 10): each kind's life with its
//! deadlines across holidays, counted by hand; overdue and extension
//! rules; who sees the personal data; refusals that change nothing. The
//! figures are in `reception_figures`.

use app::Ctx;
use app::reception::days::{NewDay, NewVisit};
use app::reception::petitions::PetitionQuery;
use domain::handling::Timeliness;
use domain::reception::days::DayOutcome;
use domain::reception::deadlines::Complexity;
use domain::reception::parties::{HIDDEN, Party};
use domain::reception::petitions::{
    Channel, Classification, Petition, PetitionDraft, PetitionKind, PetitionStatus, Step,
};
use domain::reception::visits::{VisitDraft, VisitOutcome};
use testkit::TestApp;
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};

const INSPECTOR: &str = "tienhtm.stttt@travinh.gov.vn";
const CHIEF: &str = "binhdv.stttt@travinh.gov.vn";
const DIRECTOR: &str = "khoatm.stttt@travinh.gov.vn";
const DEPUTY: &str = "thanhnn.stttt@travinh.gov.vn";
const CLERK: &str = "nhunglth.stttt@travinh.gov.vn";
const INSPECTORATE: &str = "000.02.11.H59";

/// Moves the test's clock to 09:00 on `day`, Vietnam time.
pub(crate) fn go_to(test: &TestApp, day: Date) {
    let target = day
        .with_hms(9, 0, 0)
        .unwrap()
        .assume_offset(vn::dates::VIETNAM_OFFSET);
    test.clock.advance(target - test.app.now());
}

pub(crate) fn citizen(name: &str, id: &str) -> Party {
    Party {
        name: name.into(),
        id_number: Some(id.into()),
        address: "Phường 1, thành phố Trà Vinh".into(),
        phone: Some("0912345678".into()),
    }
}

pub(crate) fn draft(agency: i64, kind: PetitionKind, on: Date, content: &str) -> PetitionDraft {
    PetitionDraft {
        agency_id: agency,
        kind,
        received_on: on,
        channel: Channel::Post,
        visit_id: None,
        petitioners: vec![citizen("Nguyễn Văn An", "084090001234")],
        content: content.into(),
        field: "Thông tin điện tử".into(),
    }
}

pub(crate) async fn person_id(test: &TestApp, email: &str) -> i64 {
    test.app.person_by_email(email).await.unwrap().id
}

pub(crate) async fn step(test: &TestApp, ctx: &Ctx, p: &Petition, on: Date, s: Step) -> Petition {
    test.app
        .petition_step(ctx, p.id, on, s)
        .await
        .unwrap()
        .petition
}

#[tokio::test]
async fn each_kind_lives_to_its_answer_within_its_working_days() {
    let (test, _) = TestApp::with_demo().await;
    go_to(&test, date!(2021 - 06 - 30));
    let inspector = test.ctx_of(INSPECTOR).await;
    let chief = test.ctx_of(CHIEF).await;
    let handler = person_id(&test, INSPECTOR).await;
    let agency = test.agency_id(INSPECTORATE).await;
    // Received Friday 16/4/2021; 21/4 (Giỗ Tổ), 30/4, 1/5 (a Saturday)
    // and its compensation Monday 3/5 are days off. Accepted Thursday
    // 29/4; answered as below.
    let cases = [
        // Complaint: 10 working days → 5/5; 30 from 29/4 → 14/6.
        (
            PetitionKind::Complaint,
            date!(2021 - 05 - 05),
            date!(2021 - 06 - 14),
            date!(2021 - 06 - 14),
            Timeliness::OnTime,
        ),
        // Denunciation: 7 → 28/4; 30 → 14/6; answered a day late.
        (
            PetitionKind::Denunciation,
            date!(2021 - 04 - 28),
            date!(2021 - 06 - 14),
            date!(2021 - 06 - 15),
            Timeliness::Late,
        ),
        // Recommendation, reflection: 10 → 5/5; 15 from 29/4 → 24/5.
        (
            PetitionKind::Recommendation,
            date!(2021 - 05 - 05),
            date!(2021 - 05 - 24),
            date!(2021 - 05 - 24),
            Timeliness::OnTime,
        ),
        (
            PetitionKind::Reflection,
            date!(2021 - 05 - 05),
            date!(2021 - 05 - 24),
            date!(2021 - 05 - 25),
            Timeliness::Late,
        ),
    ];
    for (kind, classify_due, due, answered, standing) in cases {
        let p = test
            .app
            .receive_petition(
                &inspector,
                draft(
                    agency,
                    kind,
                    date!(2021 - 04 - 16),
                    "Trang tin đăng sai sự thật",
                ),
            )
            .await
            .unwrap();
        assert_eq!(
            (p.status, p.classify_due),
            (PetitionStatus::Received, classify_due),
            "{kind:?}"
        );
        let p = step(
            &test,
            &chief,
            &p,
            date!(2021 - 04 - 29),
            Step::Classify(Classification::Accept),
        )
        .await;
        assert_eq!(p.due_on, Some(due), "{kind:?}");
        let p = step(
            &test,
            &chief,
            &p,
            date!(2021 - 04 - 29),
            Step::Assign(handler),
        )
        .await;
        assert_eq!(p.status, PetitionStatus::Assigned);
        // The handler answers her own petition; a leader closes it.
        let view = test
            .app
            .petition_step(
                &inspector,
                p.id,
                answered,
                Step::Answer("Đã yêu cầu gỡ bỏ tin sai".into()),
            )
            .await
            .unwrap();
        assert_eq!(
            (view.petition.status, view.timeliness),
            (PetitionStatus::Answered, standing),
            "{kind:?}"
        );
        let p = step(&test, &chief, &view.petition, answered, Step::Close).await;
        assert_eq!(
            (p.status, p.closed_on),
            (PetitionStatus::Closed, Some(answered))
        );
    }
    // Classified out of the agency's hands: transferred, naming where.
    let p = test
        .app
        .receive_petition(
            &inspector,
            draft(
                agency,
                PetitionKind::Complaint,
                date!(2021 - 04 - 16),
                "Tranh chấp đất đai",
            ),
        )
        .await
        .unwrap();
    let p = step(
        &test,
        &chief,
        &p,
        date!(2021 - 04 - 19),
        Step::Classify(Classification::Transfer("UBND thành phố Trà Vinh".into())),
    )
    .await;
    assert_eq!(
        (p.status, p.note.as_str()),
        (PetitionStatus::Transferred, "UBND thành phố Trà Vinh")
    );
    let view = test.app.petition(&chief, p.id).await.unwrap();
    assert_eq!(view.timeliness, Timeliness::OnTime);
}

#[tokio::test]
async fn overdue_petitions_are_listed_and_extensions_stop_where_the_law_does() {
    let (test, _) = TestApp::with_demo().await;
    go_to(&test, date!(2021 - 04 - 29));
    let inspector = test.ctx_of(INSPECTOR).await;
    let chief = test.ctx_of(CHIEF).await;
    let agency = test.agency_id(INSPECTORATE).await;
    let p = test
        .app
        .receive_petition(
            &inspector,
            draft(
                agency,
                PetitionKind::Denunciation,
                date!(2021 - 04 - 16),
                "Cán bộ nhận tiền",
            ),
        )
        .await
        .unwrap();
    let p = step(
        &test,
        &chief,
        &p,
        date!(2021 - 04 - 29),
        Step::Classify(Classification::Accept),
    )
    .await;
    assert_eq!(p.due_on, Some(date!(2021 - 06 - 14)));
    go_to(&test, date!(2021 - 06 - 10));
    assert_eq!(
        test.app.petition(&chief, p.id).await.unwrap().timeliness,
        Timeliness::DueSoon
    );
    // Only a leader extends; the inspector who receives may not.
    let extend = |complexity| Step::Extend {
        complexity,
        reason: "Phải xác minh tại nhiều địa điểm".into(),
    };
    assert!(matches!(
        test.app
            .petition_step(
                &inspector,
                p.id,
                date!(2021 - 06 - 10),
                extend(Complexity::Complex)
            )
            .await,
        Err(app::AppError::Forbidden)
    ));
    // A normal case has no extension.
    assert!(matches!(
        test.app
            .petition_step(
                &chief,
                p.id,
                date!(2021 - 06 - 10),
                extend(Complexity::Normal)
            )
            .await,
        Err(app::AppError::Invalid(_))
    ));
    // Complex: once, 30 working days → 26/7.
    let p = step(
        &test,
        &chief,
        &p,
        date!(2021 - 06 - 10),
        extend(Complexity::Complex),
    )
    .await;
    assert_eq!((p.extensions, p.due_on), (1, Some(date!(2021 - 07 - 26))));
    let seq = test.audit_seq().await;
    assert!(matches!(
        test.app
            .petition_step(
                &chief,
                p.id,
                date!(2021 - 06 - 10),
                extend(Complexity::Complex)
            )
            .await,
        Err(app::AppError::Invalid(_))
    ));
    assert_eq!(test.audit_seq().await, seq);
    // Particularly complex: a second time → 8/9 (1–2/9 are holidays).
    let p = step(
        &test,
        &chief,
        &p,
        date!(2021 - 06 - 10),
        extend(Complexity::VeryComplex),
    )
    .await;
    assert_eq!((p.extensions, p.due_on), (2, Some(date!(2021 - 09 - 08))));
    assert!(
        test.app
            .petition_step(
                &chief,
                p.id,
                date!(2021 - 06 - 10),
                extend(Complexity::VeryComplex)
            )
            .await
            .is_err()
    );
    assert_eq!(
        test.app
            .petition(&chief, p.id)
            .await
            .unwrap()
            .petition
            .extensions,
        2
    );
    // Overdue from 9/9: the filter finds it then, not before.
    let overdue = PetitionQuery {
        overdue: true,
        ..PetitionQuery::default()
    };
    assert!(
        test.app
            .petitions(&chief, agency, &overdue)
            .await
            .unwrap()
            .is_empty()
    );
    go_to(&test, date!(2021 - 09 - 09));
    let found = test.app.petitions(&chief, agency, &overdue).await.unwrap();
    assert_eq!(
        found.iter().map(|v| v.petition.id).collect::<Vec<_>>(),
        vec![p.id]
    );
    assert_eq!(found[0].timeliness, Timeliness::Overdue);
    // Past the due date no extension is possible any more.
    assert!(
        test.app
            .petition_step(
                &chief,
                p.id,
                date!(2021 - 09 - 09),
                extend(Complexity::VeryComplex)
            )
            .await
            .is_err()
    );
}

#[tokio::test]
async fn personal_data_is_seen_only_by_those_the_rule_names() {
    let (test, _) = TestApp::with_demo().await;
    go_to(&test, date!(2021 - 04 - 20));
    let inspector = test.ctx_of(INSPECTOR).await;
    let chief = test.ctx_of(CHIEF).await;
    let director = test.ctx_of(DIRECTOR).await;
    let deputy = test.ctx_of(DEPUTY).await;
    let clerk = test.ctx_of(CLERK).await;
    let agency = test.agency_id(INSPECTORATE).await;
    let sees = |view: &app::reception::petitions::PetitionView| {
        let name = &view.petition.petitioners[0].name;
        assert_eq!(view.sees_parties, name != HIDDEN);
        view.sees_parties
    };
    // A complaint: the recorder and the leaders see; the clerk, who may
    // list the department's records, does not.
    let complaint = test
        .app
        .receive_petition(
            &inspector,
            draft(
                agency,
                PetitionKind::Complaint,
                date!(2021 - 04 - 19),
                "Khiếu nại quyết định xử phạt",
            ),
        )
        .await
        .unwrap();
    for (ctx, expected) in [
        (&inspector, true),
        (&chief, true),
        (&deputy, true),
        (&clerk, false),
    ] {
        assert_eq!(
            sees(&test.app.petition(ctx, complaint.id).await.unwrap()),
            expected
        );
    }
    let clerk_list = test
        .app
        .petitions(&clerk, agency, &PetitionQuery::default())
        .await
        .unwrap();
    assert_eq!(
        clerk_list[0].petition.petitioners[0].id_number.as_deref(),
        Some(HIDDEN)
    );
    assert_eq!(
        clerk_list[0].petition.petitioners[0].phone.as_deref(),
        Some(HIDDEN)
    );
    // A denunciation: hidden from the recorder at once.
    let denunciation = test
        .app
        .receive_petition(
            &inspector,
            draft(
                agency,
                PetitionKind::Denunciation,
                date!(2021 - 04 - 19),
                "Tố cáo cán bộ sách nhiễu",
            ),
        )
        .await
        .unwrap();
    assert!(!sees(
        &test
            .app
            .petition(&inspector, denunciation.id)
            .await
            .unwrap()
    ));
    assert!(sees(
        &test.app.petition(&deputy, denunciation.id).await.unwrap()
    ));
    // The director decides and gives it to the chief inspector: from
    // then on only those two see the denouncer.
    let chief_id = person_id(&test, CHIEF).await;
    step(
        &test,
        &director,
        &denunciation,
        date!(2021 - 04 - 20),
        Step::Classify(Classification::Accept),
    )
    .await;
    step(
        &test,
        &director,
        &denunciation,
        date!(2021 - 04 - 20),
        Step::Assign(chief_id),
    )
    .await;
    for (ctx, expected) in [
        (&director, true),
        (&chief, true),
        (&deputy, false),
        (&inspector, false),
        (&clerk, false),
    ] {
        assert_eq!(
            sees(&test.app.petition(ctx, denunciation.id).await.unwrap()),
            expected
        );
    }
    // A step hands back the view of the one who took it.
    let stepped = test
        .app
        .petition_step(
            &director,
            denunciation.id,
            date!(2021 - 04 - 20),
            Step::Extend {
                complexity: Complexity::Complex,
                reason: "Nhiều nội dung".into(),
            },
        )
        .await
        .unwrap();
    assert!(stepped.sees_parties);
    // Visits: the officer who recorded them and the leaders see.
    let visit = test
        .app
        .record_visit(
            &inspector,
            NewVisit {
                draft: visit_draft(agency, datetime!(2021-04-20 09:00 +7), 1),
                day_id: None,
                same_case_as: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        test.app.visit(&inspector, visit.id).await.unwrap().visitors[0].name,
        "Công dân 1"
    );
    assert_eq!(
        test.app.visit(&deputy, visit.id).await.unwrap().visitors[0].name,
        "Công dân 1"
    );
    assert_eq!(
        test.app.visit(&clerk, visit.id).await.unwrap().visitors[0].name,
        HIDDEN
    );
}

pub(crate) fn visit_draft(agency: i64, at: OffsetDateTime, visitors: usize) -> VisitDraft {
    VisitDraft {
        agency_id: agency,
        at,
        officer_id: 0,
        visitors: (1..=visitors)
            .map(|i| Party {
                name: format!("Công dân {i}"),
                id_number: None,
                address: "Càng Long, Trà Vinh".into(),
                phone: None,
            })
            .collect(),
        content: "Phản ánh thông tin trên mạng xã hội (facebook)".into(),
        field: "Thông tin điện tử".into(),
        outcome: VisitOutcome::Guided,
    }
}

#[tokio::test]
async fn bad_input_is_refused_and_changes_nothing() {
    let (test, _) = TestApp::with_demo().await;
    go_to(&test, date!(2021 - 04 - 20));
    let inspector = test.ctx_of(INSPECTOR).await;
    let chief = test.ctx_of(CHIEF).await;
    let agency = test.agency_id(INSPECTORATE).await;
    let p = test
        .app
        .receive_petition(
            &inspector,
            draft(
                agency,
                PetitionKind::Complaint,
                date!(2021 - 04 - 19),
                "Khiếu nại việc thu hồi giấy phép",
            ),
        )
        .await
        .unwrap();
    let p = step(
        &test,
        &chief,
        &p,
        date!(2021 - 04 - 19),
        Step::Classify(Classification::Accept),
    )
    .await;
    let p = step(
        &test,
        &chief,
        &p,
        date!(2021 - 04 - 19),
        Step::Assign(person_id(&test, INSPECTOR).await),
    )
    .await;
    let seq = test.audit_seq().await;
    let refusals = [
        // Answered before it was received.
        test.app
            .petition_step(
                &chief,
                p.id,
                date!(2021 - 04 - 18),
                Step::Answer("Giữ nguyên quyết định".into()),
            )
            .await
            .err(),
        // Answered on a day still to come.
        test.app
            .petition_step(
                &chief,
                p.id,
                date!(2021 - 04 - 21),
                Step::Answer("Giữ nguyên quyết định".into()),
            )
            .await
            .err(),
        // The same petitioner, kind and content on the same day.
        test.app
            .receive_petition(
                &inspector,
                draft(
                    agency,
                    PetitionKind::Complaint,
                    date!(2021 - 04 - 19),
                    "khiếu nại  việc thu hồi giấy phép",
                ),
            )
            .await
            .err(),
        // Received at a visit that does not exist.
        test.app
            .receive_petition(
                &inspector,
                PetitionDraft {
                    channel: Channel::Visit,
                    visit_id: Some(999_999),
                    ..draft(
                        agency,
                        PetitionKind::Reflection,
                        date!(2021 - 04 - 19),
                        "Phản ánh",
                    )
                },
            )
            .await
            .err(),
        // A visit on a reception day that does not exist.
        test.app
            .record_visit(
                &inspector,
                NewVisit {
                    draft: visit_draft(agency, datetime!(2021-04-19 09:00 +7), 1),
                    day_id: Some(999_999),
                    same_case_as: None,
                },
            )
            .await
            .err(),
        // A case linked to an unknown visit.
        test.app
            .record_visit(
                &inspector,
                NewVisit {
                    draft: visit_draft(agency, datetime!(2021-04-19 09:00 +7), 1),
                    day_id: None,
                    same_case_as: Some(999_999),
                },
            )
            .await
            .err(),
        // A visit with nobody.
        test.app
            .record_visit(
                &inspector,
                NewVisit {
                    draft: visit_draft(agency, datetime!(2021-04-19 09:00 +7), 0),
                    day_id: None,
                    same_case_as: None,
                },
            )
            .await
            .err(),
        // An extension a complaint's law does not give (twice).
        {
            step(
                &test,
                &chief,
                &p,
                date!(2021 - 04 - 20),
                Step::Extend {
                    complexity: Complexity::Complex,
                    reason: "Phức tạp".into(),
                },
            )
            .await;
            let seq = test.audit_seq().await;
            let err = test
                .app
                .petition_step(
                    &chief,
                    p.id,
                    date!(2021 - 04 - 20),
                    Step::Extend {
                        complexity: Complexity::VeryComplex,
                        reason: "Rất phức tạp".into(),
                    },
                )
                .await
                .err();
            assert_eq!(test.audit_seq().await, seq);
            err
        },
    ];
    for (i, err) in refusals.iter().enumerate() {
        let err = err
            .as_ref()
            .unwrap_or_else(|| panic!("refusal {i} was accepted"));
        assert!(
            matches!(err, app::AppError::Invalid(_) | app::AppError::Conflict(_)),
            "refusal {i}: {err:?}"
        );
        assert!(!err.to_string().is_empty());
    }
    // Only the extension that was allowed was recorded.
    assert_eq!(test.audit_seq().await, seq + 1);
    let stored = test.app.petition(&chief, p.id).await.unwrap().petition;
    assert_eq!(
        (stored.status, stored.answered_on, stored.extensions),
        (PetitionStatus::Assigned, None, 1)
    );
    // A periodic visit on a cancelled day; a second day on the same date.
    let director = test.ctx_of(DIRECTOR).await;
    let department = test.agency_id("000.00.11.H59").await;
    let leader = person_id(&test, DIRECTOR).await;
    let day = test
        .app
        .schedule_reception_day(
            &director,
            NewDay {
                agency_id: department,
                on: date!(2021 - 04 - 14),
                leader_id: leader,
                place: "Trụ sở Sở".into(),
            },
        )
        .await
        .unwrap();
    assert!(matches!(
        test.app
            .schedule_reception_day(
                &director,
                NewDay {
                    agency_id: department,
                    on: date!(2021 - 04 - 14),
                    leader_id: leader,
                    place: "Phòng họp".into()
                }
            )
            .await,
        Err(app::AppError::Conflict(_))
    ));
    // Only leaders receive on periodic days.
    assert!(
        test.app
            .schedule_reception_day(
                &director,
                NewDay {
                    agency_id: department,
                    on: date!(2021 - 04 - 21),
                    leader_id: person_id(&test, INSPECTOR).await,
                    place: "Trụ sở Sở".into()
                }
            )
            .await
            .is_err()
    );
    test.app
        .record_reception_day(
            &director,
            day.id,
            &DayOutcome::Cancelled("Lãnh đạo đi công tác".into()),
        )
        .await
        .unwrap();
    assert!(matches!(
        test.app
            .record_visit(
                &director,
                NewVisit {
                    draft: visit_draft(department, datetime!(2021-04-14 09:00 +7), 1),
                    day_id: Some(day.id),
                    same_case_as: None
                }
            )
            .await,
        Err(app::AppError::Invalid(_))
    ));
    // The figures of a period whose end is before its start.
    assert!(
        test.app
            .reception_figures((date!(2021 - 04 - 30), date!(2021 - 04 - 01)), None)
            .await
            .is_err()
    );
}
