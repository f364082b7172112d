//! The official e-mail's figures for the report, counted by hand on a
//! small month, and what a person's leaving or moving does to their box.

use app::Ctx;
use app::mail::registry::{BoxAction, NewMailRequest, WantedBox};
use domain::mail::figures::MailFigures;
use domain::mail::mailboxes::{MailboxKind, MailboxStatus};
use domain::mail::requests::{Decision, RequestKind};
use domain::people::{PersonDraft, PersonStatus};
use testkit::TestApp;
use time::macros::date;

/// The demo province with a mail directory in its data folder.
async fn province() -> (TestApp, tempfile::TempDir) {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().to_owned();
    let test = TestApp::with_config(|c| c.mail.directory = Some(path)).await;
    test.app.load_demo(|_, _| {}).await.unwrap();
    (test, directory)
}

/// Files `names` for the CNTT unit; approved (both steps) or refused.
async fn request(test: &TestApp, names: &[&str], approve: bool) -> Vec<i64> {
    let clerk = test.ctx_of("nhunglth.stttt@travinh.gov.vn").await;
    let leader = test.ctx_of("thanhnn.stttt@travinh.gov.vn").await;
    let operator = test.ctx_of("hanstn.stttt@travinh.gov.vn").await;
    let cntt = test.agency_id("000.04.11.H59").await;
    let (request, boxes) = test
        .app
        .submit_mail_request(
            &clerk,
            NewMailRequest {
                agency_id: test.agency_id("000.00.11.H59").await,
                kind: RequestKind::Bulk,
                note: String::new(),
                boxes: names
                    .iter()
                    .map(|n| WantedBox {
                        kind: MailboxKind::Person,
                        agency_id: cntt,
                        person_id: None,
                        full_name: (*n).to_owned(),
                    })
                    .collect(),
            },
        )
        .await
        .unwrap();
    test.app
        .decide_mail_request(&leader, request.id, Decision::Approve)
        .await
        .unwrap();
    let last = if approve {
        Decision::Approve
    } else {
        Decision::Reject("Đã có hộp thư ở cơ quan cũ".into())
    };
    test.app
        .decide_mail_request(&operator, request.id, last)
        .await
        .unwrap();
    boxes.iter().map(|b| b.id).collect()
}

#[tokio::test]
async fn the_months_figures_count_requests_creations_and_open_boxes() {
    let (test, _directory) = province().await;
    let operator = test.ctx_of("hanstn.stttt@travinh.gov.vn").await;
    let cntt = test.agency_id("000.04.11.H59").await;
    let made = request(
        &test,
        &["Lê Văn Tám", "Kim Thị Sa Rinh", "Dương Minh Khánh"],
        true,
    )
    .await;
    request(&test, &["Hồ Thị Ánh", "Võ Quốc Đức"], false).await;
    test.app
        .provision_mailboxes(&operator, None, |_, _| {})
        .await
        .unwrap();
    test.app
        .change_mailbox(&operator, made[2], BoxAction::Close("Trùng hộp thư".into()))
        .await
        .unwrap();
    // A suspended box still exists and keeps its mail.
    test.app
        .change_mailbox(
            &operator,
            made[1],
            BoxAction::Suspend("Nghỉ phép dài hạn".into()),
        )
        .await
        .unwrap();

    let april = test
        .app
        .mail_figures(
            (date!(2021 - 04 - 01), date!(2021 - 04 - 30)),
            Some(&[cntt]),
        )
        .await
        .unwrap();
    // CNTT's three demo staff had boxes from before: 3 + 3 made − 1 closed.
    let want = MailFigures {
        requested: 5,
        created: 3,
        active: 5,
    };
    assert_eq!(april, [(cntt, want)]);
    let march = test
        .app
        .mail_figures(
            (date!(2021 - 03 - 01), date!(2021 - 03 - 31)),
            Some(&[cntt]),
        )
        .await
        .unwrap();
    assert_eq!(
        march,
        [(
            cntt,
            MailFigures {
                requested: 0,
                created: 0,
                active: 3
            }
        )]
    );
    let province = test
        .app
        .mail_figures((date!(2021 - 04 - 01), date!(2021 - 04 - 30)), None)
        .await
        .unwrap();
    let total = MailFigures::total(&province);
    assert_eq!((total.requested, total.created), (5, 3));
    let demo_boxes = test
        .app
        .store
        .read()
        .await
        .unwrap()
        .mailboxes(&store::mail::mailboxes::MailboxFilter::default(), u64::MAX)
        .await
        .unwrap()
        .iter()
        .filter(|m| m.request_id.is_none())
        .count() as u64;
    assert_eq!(total.active, demo_boxes + 2);
}

#[tokio::test]
async fn a_person_who_leaves_or_moves_agency_loses_their_box_but_not_between_units() {
    let (test, _directory) = province().await;
    let admin = Ctx::system("test");
    let address = "hunglv.stttt@travinh.gov.vn";
    let person = test.app.person_by_email(address).await.unwrap();
    let status = |test: &TestApp| {
        let app = test.app.clone();
        async move {
            app.store
                .read()
                .await
                .unwrap()
                .mailbox_by_address(address)
                .await
                .unwrap()
                .unwrap()
                .status
        }
    };
    let draft = |agency_id| PersonDraft {
        full_name: person.full_name.clone(),
        position: person.position.clone(),
        agency_id,
        email: person.email.clone(),
        phone: person.phone.clone(),
    };
    // From the CNTT unit to the Office of the same department: kept.
    let office = test.agency_id("000.01.11.H59").await;
    test.app
        .update_person(&admin, person.id, draft(office))
        .await
        .unwrap();
    assert_eq!(status(&test).await, MailboxStatus::Active);
    // To another department: suspended.
    let other = test.agency_id("000.00.12.H59").await;
    test.app
        .update_person(&admin, person.id, draft(other))
        .await
        .unwrap();
    assert_eq!(status(&test).await, MailboxStatus::Suspended);

    let address = "phiepts.stttt@travinh.gov.vn";
    let person = test.app.person_by_email(address).await.unwrap();
    test.app
        .set_person_status(&admin, person.id, PersonStatus::Inactive)
        .await
        .unwrap();
    let read = test.app.store.read().await.unwrap();
    let mailbox = read.mailbox_by_address(address).await.unwrap().unwrap();
    assert_eq!(mailbox.status, MailboxStatus::Suspended);
    let events = read.mailbox_events(mailbox.id).await.unwrap();
    assert_eq!(events.last().unwrap().note, "Cán bộ thôi làm việc");
    assert!(mailbox.is_pending(), "the server must learn of it");
}
