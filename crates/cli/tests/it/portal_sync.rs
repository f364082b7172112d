//! The national portal's sync (issue 8, item 6): each change of a dossier
//! is queued with the change and reaches a local receiver in order, once
//! it stops refusing; a receiver that is down leaves entries waiting with
//! the error; a refused change queues nothing.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use app::config::{Secret, ServicesConfig};
use app::portal_sync::SyncRun;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use domain::portal_sync::{DossierRecord, Envelope, PortalService, ProgressRecord};
use domain::services::Action;
use serde_json::Value;
use testkit::TestApp;
use time::macros::datetime;
use web::client::PortalClient;

use super::services::{at_the_desk, department_desk, step};
use super::signing::invalid;

/// A stand-in for the portal: refuses the first `refuse` calls with a
/// 500, then takes each body once per `Idempotency-Key`.
#[derive(Default)]
struct Portal {
    refuse: usize,
    calls: usize,
    keys: Vec<String>,
    bodies: Vec<Value>,
    seen: HashSet<String>,
}

type Shared = Arc<Mutex<Portal>>;

async fn receive(
    State(portal): State<Shared>,
    headers: HeaderMap,
    body: String,
) -> (StatusCode, String) {
    let mut portal = portal.lock().unwrap();
    portal.calls += 1;
    if portal.calls <= portal.refuse {
        return (StatusCode::INTERNAL_SERVER_ERROR, "Hệ thống bận".into());
    }
    let key = headers["idempotency-key"].to_str().unwrap().to_owned();
    if portal.seen.insert(key.clone()) {
        portal.keys.push(key);
        portal.bodies.push(serde_json::from_str(&body).unwrap());
    }
    (
        StatusCode::OK,
        r#"{"error_code": "00", "message": "Thành công"}"#.into(),
    )
}

/// Serves a portal on a free loopback port; its client and state.
async fn portal(refuse: usize) -> (PortalClient, Shared) {
    let state: Shared = Arc::new(Mutex::new(Portal {
        refuse,
        ..Portal::default()
    }));
    let router = axum::Router::new()
        .route("/dvcqg", post(receive))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    (client(&format!("http://{address}/dvcqg")), state)
}

fn client(url: &str) -> PortalClient {
    PortalClient::from_config(&ServicesConfig {
        portal_sync_url: Some(url.into()),
        portal_sync_token: Secret::new("phien-dvcqg"),
        ..ServicesConfig::default()
    })
    .unwrap()
}

fn at(test: &TestApp, moment: time::OffsetDateTime) {
    let now = test.app.now();
    test.clock.advance(moment - now);
}

async fn outbox(test: &TestApp, dossier: i64) -> Vec<domain::portal_sync::OutboxEntry> {
    test.app
        .store
        .read()
        .await
        .unwrap()
        .outbox_of_dossier(dossier)
        .await
        .unwrap()
}

/// (pending, delivered) in the whole outbox.
async fn counts(test: &TestApp) -> (u64, u64) {
    let counts = test
        .app
        .store
        .read()
        .await
        .unwrap()
        .outbox_counts()
        .await
        .unwrap();
    (counts.pending, counts.delivered)
}

async fn run(test: &TestApp, client: &PortalClient) -> (u64, u64) {
    let SyncRun { delivered, failed } = test.app.deliver_portal_sync(client).await.unwrap();
    (delivered, failed)
}

/// Received, asked for a supplement, supplement received: five entries
/// (the new dossier; then each change as the updated dossier and its
/// step). The portal refuses twice: the first entry waits 30 s, then
/// 60 s, and holds the others back; then all go, in order, once.
#[tokio::test]
async fn each_change_reaches_the_portal_in_order_once_after_refusals() {
    let (test, _) = TestApp::with_demo().await;
    let (procedure, desk) = department_desk(&test).await;
    at(&test, datetime!(2021-04-28 16:00 +7));
    let dossier = test
        .app
        .receive_dossier(&desk, at_the_desk(procedure.id, 0))
        .await
        .unwrap();
    at(&test, datetime!(2021-05-04 09:00 +7));
    let what = "Bản sao Điều lệ doanh nghiệp";
    step(&test, &desk, &dossier.code, Action::RequestSupplement, what)
        .await
        .unwrap();
    // Refused changes and intakes queue nothing.
    let mut nameless = at_the_desk(procedure.id, 1);
    nameless.applicant.name = " ".into();
    invalid(
        &test.app.receive_dossier(&desk, nameless).await,
        "tên người nộp",
    );
    invalid(
        &step(
            &test,
            &desk,
            &dossier.code,
            Action::RequestSupplement,
            "Lần nữa",
        )
        .await,
        "Chờ bổ sung",
    );
    assert_eq!(outbox(&test, dossier.id).await.len(), 3);
    at(&test, datetime!(2021-05-06 14:00 +7));
    step(&test, &desk, &dossier.code, Action::SupplementReceived, "")
        .await
        .unwrap();
    invalid(
        &step(&test, &desk, &dossier.code, Action::SupplementReceived, "").await,
        "không thể «Nhận hồ sơ bổ sung»",
    );
    let queued = outbox(&test, dossier.id).await;
    assert_eq!(queued.len(), 5);
    assert_eq!(counts(&test).await, (5, 0), "one dossier only");

    let (client, state) = portal(2).await;
    assert_eq!(
        run(&test, &client).await,
        (0, 1),
        "the first entry is refused"
    );
    let first = &outbox(&test, dossier.id).await[0];
    assert_eq!(first.attempts, 1);
    assert!(
        first.last_error.as_deref().unwrap().contains("500"),
        "{first:?}"
    );
    assert_eq!(first.next_attempt_at, datetime!(2021-05-06 14:00:30 +7));
    assert_eq!(run(&test, &client).await, (0, 0), "not due yet");
    test.clock.advance(time::Duration::seconds(30));
    assert_eq!(run(&test, &client).await, (0, 1), "refused again");
    assert_eq!(
        outbox(&test, dossier.id).await[0].next_attempt_at,
        datetime!(2021-05-06 14:01:30 +7),
        "then a minute"
    );
    test.clock.advance(time::Duration::seconds(60));
    assert_eq!(run(&test, &client).await, (5, 0));
    assert_eq!(run(&test, &client).await, (0, 0), "nothing is sent twice");

    let sent = outbox(&test, dossier.id).await;
    assert!(sent.iter().all(|e| e.delivered_at.is_some()));
    assert_eq!(
        sent.iter().map(|e| e.attempts).collect::<Vec<_>>(),
        [3, 1, 1, 1, 1]
    );
    assert!(sent[0].last_error.is_some(), "the last error is kept");
    let portal = state.lock().unwrap();
    assert_eq!(portal.calls, 7, "two refusals and five entries");
    let keys: Vec<String> = (1..=5).map(|n| format!("{}/{n}", dossier.code)).collect();
    assert_eq!(portal.keys, keys, "in order, each once");
    assert_eq!(sent.iter().map(|e| e.key.clone()).collect::<Vec<_>>(), keys);
    let services: Vec<&str> = portal
        .bodies
        .iter()
        .map(|b| b["service"].as_str().unwrap())
        .collect();
    assert_eq!(
        services,
        [
            "DongBoHoSoMC",
            "DongBoHoSoMC",
            "CapNhatTienDoHoSoMC",
            "DongBoHoSoMC",
            "CapNhatTienDoHoSoMC"
        ]
    );
    assert!(portal.bodies.iter().all(|b| b["session"] == "phien-dvcqg"));
    assert!(
        portal
            .bodies
            .iter()
            .all(|b| b["madonvi"] == "000.00.11.H59")
    );
    let whole: Vec<Envelope<DossierRecord>> = [0, 1, 3]
        .iter()
        .map(|&i| serde_json::from_value(portal.bodies[i].clone()).unwrap())
        .collect();
    assert_eq!(
        whole
            .iter()
            .map(|e| (e.updating.as_deref().unwrap(), e.data[0].status.as_str()))
            .collect::<Vec<_>>(),
        [("False", "3"), ("True", "5"), ("True", "3")],
        "received, waiting for the supplement, back to unresolved"
    );
    let received = &whole[0].data[0];
    assert_eq!(received.code, dossier.code);
    assert_eq!(received.procedure_code, "1.000494");
    assert_eq!(received.procedure_name, "Cấp giấy phép bưu chính");
    assert_eq!(received.applicant, "Công ty TNHH Thử Nghiệm 0");
    assert_eq!(received.applicant_kind, "2");
    assert_eq!(received.received_at, "20210428160000");
    assert_eq!(received.due_at, "20210510170000");
    assert_eq!(received.delivery, "0");
    assert_eq!(
        received.agency,
        "Sở Thông tin và Truyền thông tỉnh Trà Vinh"
    );
    assert_eq!(received.papers.len(), 2);
    assert_eq!(received.fees[0].amount, "1000000");
    assert_eq!(
        whole[2].data[0].due_at, "20210512170000",
        "moved by the stop"
    );
    let steps: Vec<Envelope<ProgressRecord>> = [2, 4]
        .iter()
        .map(|&i| serde_json::from_value(portal.bodies[i].clone()).unwrap())
        .collect();
    assert!(steps.iter().all(|s| s.service == PortalService::Progress));
    let (asked, back) = (&steps[0].data[0], &steps[1].data[0]);
    assert_eq!(
        (
            asked.status.as_str(),
            asked.at.as_str(),
            asked.note.as_str()
        ),
        (
            "5",
            "20210504090000",
            format!("Yêu cầu bổ sung: {what}").as_str()
        )
    );
    assert_eq!(asked.handler, "Cán Bộ Một Cửa 0");
    assert_eq!(
        (back.status.as_str(), back.at.as_str(), back.note.as_str()),
        ("3", "20210506140000", "Nhận hồ sơ bổ sung")
    );
}

/// With the portal down, every dossier's first entry is tried (one
/// dossier's trouble does not hold another's back), and all stay pending
/// with the error.
#[tokio::test]
async fn a_portal_that_is_down_leaves_entries_pending_with_the_error() {
    let (test, _) = TestApp::with_demo().await;
    let (procedure, desk) = department_desk(&test).await;
    let mut dossiers = Vec::new();
    for n in 0..2 {
        dossiers.push(
            test.app
                .receive_dossier(&desk, at_the_desk(procedure.id, n))
                .await
                .unwrap(),
        );
    }
    step(
        &test,
        &desk,
        &dossiers[0].code,
        Action::RequestSupplement,
        "Bản chính để đối chiếu",
    )
    .await
    .unwrap();
    // A port nobody listens on.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = closed.local_addr().unwrap();
    drop(closed);
    let client = client(&format!("http://{address}/dvcqg"));
    let now = test.app.now();
    assert_eq!(run(&test, &client).await, (0, 2));
    for (dossier, queued) in dossiers.iter().zip([3, 1]) {
        let entries = outbox(&test, dossier.id).await;
        assert_eq!(entries.len(), queued);
        let first = &entries[0];
        assert_eq!(first.attempts, 1);
        assert_eq!(first.delivered_at, None);
        assert!(
            first
                .last_error
                .as_deref()
                .unwrap()
                .contains("không kết nối được"),
            "{first:?}"
        );
        assert_eq!(first.next_attempt_at, now + time::Duration::seconds(30));
        assert!(entries[1..].iter().all(|e| e.attempts == 0), "held back");
    }
    assert_eq!(counts(&test).await, (4, 0));
}
