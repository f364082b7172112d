//! Document registers: numbers unique and gapless under concurrency,
//! restarting each year; symbols as Decree 30 writes them.

use app::Ctx;
use app::documents::{NewIncoming, NewOutgoing};
use domain::agencies::{AgencyDraft, AgencyKind};
use domain::documents::{Confidentiality, Direction, Urgency};
use testkit::TestApp;
use time::macros::date;

async fn province(test: &TestApp) -> (i64, i64) {
    let ctx = Ctx::system("test");
    let draft = |code: &str, name: &str, short: &str, kind, parent| AgencyDraft {
        code: code.parse().unwrap(),
        name: name.into(),
        short_name: short.into(),
        kind,
        parent_id: parent,
        effective_from: date!(1992 - 05 - 01),
        effective_to: None,
        successor_id: None,
    };
    let ubnd = test
        .app
        .create_agency(
            &ctx,
            draft(
                "000.00.00.H59",
                "Ủy ban nhân dân tỉnh Trà Vinh",
                "UBND",
                AgencyKind::ProvincialCommittee,
                None,
            ),
        )
        .await
        .unwrap();
    let kgvx = test
        .app
        .create_agency(
            &ctx,
            draft(
                "000.09.01.H59",
                "Phòng Khoa giáo - Văn xã",
                "KGVX",
                AgencyKind::Unit,
                Some(ubnd.id),
            ),
        )
        .await
        .unwrap();
    (ubnd.id, kgvx.id)
}

fn outgoing(
    agency: i64,
    doc_type: &str,
    unit: Option<i64>,
    confidentiality: Confidentiality,
) -> NewOutgoing {
    NewOutgoing {
        agency_id: agency,
        doc_type: doc_type.into(),
        summary: "Về việc mừng Chôl Chnam Thmây năm 2021 của đồng bào Khmer".into(),
        drafting_unit_id: unit,
        signer: Some("Lê Văn Hẳn".into()),
        urgency: Urgency::Normal,
        confidentiality,
        field: None,
    }
}

#[tokio::test]
async fn concurrent_clerks_get_gapless_unique_numbers() {
    const TASKS: u32 = 8;
    const EACH: u32 = 500;
    let test = TestApp::new().await;
    let (ubnd, _) = province(&test).await;
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let app = test.app.clone();
            tokio::spawn(async move {
                let ctx = Ctx::system("test");
                let mut numbers = Vec::new();
                for _ in 0..EACH {
                    let document = app
                        .issue_outgoing(
                            &ctx,
                            outgoing(ubnd, "Quyết định", None, Confidentiality::Normal),
                        )
                        .await
                        .unwrap();
                    assert_eq!(document.symbol, format!("{:02}/QĐ-UBND", document.number));
                    numbers.push(document.number);
                }
                numbers
            })
        })
        .collect();
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    all.sort_unstable();
    assert_eq!(
        all,
        (1..=TASKS * EACH).collect::<Vec<_>>(),
        "1..4000, no duplicate, no gap"
    );
    let ctx = Ctx::system("test");
    let page = test
        .app
        .register_page(
            &ctx,
            ubnd,
            Direction::Outgoing,
            (date!(2021 - 01 - 01), date!(2021 - 12 - 31)),
            (0, 10),
        )
        .await
        .unwrap();
    assert_eq!(page.len(), 10);
    assert_eq!(
        test.app.verify_audit(|_| {}).await.unwrap(),
        Ok(i64::from(TASKS * EACH) + 2)
    );
}

#[tokio::test]
async fn numbering_restarts_on_the_first_of_january_and_keeps_series_apart() {
    let test = TestApp::new().await;
    let (ubnd, kgvx) = province(&test).await;
    let ctx = Ctx::system("test");
    let issue = |doc_type: &'static str, unit, confidentiality| {
        let app = test.app.clone();
        let ctx = ctx.clone();
        async move {
            app.issue_outgoing(&ctx, outgoing(ubnd, doc_type, unit, confidentiality))
                .await
                .unwrap()
        }
    };
    assert_eq!(
        issue("Kế hoạch", None, Confidentiality::Normal)
            .await
            .symbol,
        "01/KH-UBND"
    );
    assert_eq!(
        issue("Công văn", Some(kgvx), Confidentiality::Normal)
            .await
            .symbol,
        "02/UBND-KGVX"
    );
    // Secret documents have their own series.
    assert_eq!(
        issue("Quyết định", None, Confidentiality::Secret)
            .await
            .number,
        1
    );
    assert_eq!(
        issue("Quyết định", None, Confidentiality::Normal)
            .await
            .symbol,
        "03/QĐ-UBND"
    );
    // A công văn without its drafting unit cannot get a symbol, and takes no number.
    let refused = test
        .app
        .issue_outgoing(
            &ctx,
            outgoing(ubnd, "Công văn", None, Confidentiality::Normal),
        )
        .await;
    assert!(matches!(refused, Err(app::AppError::Invalid(_))));
    assert_eq!(
        issue("Tờ trình", None, Confidentiality::Normal)
            .await
            .symbol,
        "04/TTr-UBND"
    );

    test.clock.advance(time::Duration::days(365));
    let next_year = issue("Quyết định", None, Confidentiality::Normal).await;
    assert_eq!(
        (next_year.year, next_year.number),
        (2022, 1),
        "a new year starts from 01"
    );

    // Incoming documents are numbered in their own series.
    let received = test
        .app
        .register_incoming(
            &ctx,
            NewIncoming {
                agency_id: ubnd,
                symbol: "26/CT-TTg".into(),
                doc_type: "Chỉ thị".into(),
                summary: "Về đẩy mạnh hội nhập kinh tế quốc tế".into(),
                issued_on: date!(2018 - 09 - 04),
                issuer: "Thủ tướng Chính phủ".into(),
                signer: None,
                urgency: Urgency::Urgent,
                confidentiality: Confidentiality::Normal,
                field: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (received.number, received.direction),
        (1, Direction::Incoming)
    );
}

#[tokio::test]
async fn only_the_agencys_clerk_gives_numbers() {
    let (test, password) = TestApp::with_demo().await;
    let stttt = test.agency_id("000.00.11.H59").await;
    let admin = test
        .app
        .signed_in(&test.token("quantri@travinh.gov.vn", &password).await)
        .await
        .unwrap();
    let clerk_email = "nhunglth.stttt@travinh.gov.vn";
    let clerk = test
        .app
        .store
        .read()
        .await
        .unwrap()
        .person_for_login(clerk_email)
        .await
        .unwrap()
        .unwrap()
        .0;
    test.app
        .set_password(&Ctx::system("test"), clerk.id, "VanThu#2021")
        .await
        .unwrap();
    let clerk = test
        .app
        .signed_in(&test.token(clerk_email, "VanThu#2021").await)
        .await
        .unwrap();
    // The department's clerk numbers the department's documents, not another's.
    let issued = test
        .app
        .issue_outgoing(
            &clerk.ctx(None),
            outgoing(stttt, "Thông báo", None, Confidentiality::Normal),
        )
        .await
        .unwrap();
    assert_eq!(issued.symbol, "01/TB-STTTT");
    let home_affairs = test.agency_id("000.00.02.H59").await;
    let refused = test
        .app
        .issue_outgoing(
            &clerk.ctx(None),
            outgoing(home_affairs, "Thông báo", None, Confidentiality::Normal),
        )
        .await;
    assert!(matches!(refused, Err(app::AppError::Forbidden)));
    let refused = test
        .app
        .issue_outgoing(
            &admin.ctx(None),
            outgoing(stttt, "Thông báo", None, Confidentiality::Normal),
        )
        .await;
    assert!(
        matches!(refused, Err(app::AppError::Forbidden)),
        "administrators do not number documents"
    );
}
