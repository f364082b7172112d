//! Document registers: numbers unique and gapless under concurrency,
//! restarting each year; symbols as Decree 30 writes them.

use app::Ctx;
use app::documents::{NewIncoming, NewOutgoing};
use domain::agencies::{AgencyDraft, AgencyKind};
use domain::documents::{Confidentiality, Direction, Urgency};
use testkit::TestApp;
use time::macros::date;

pub(crate) async fn province(test: &TestApp) -> (i64, i64) {
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
    assert_eq!(page.items.len(), 10);
    assert_eq!(page.total, u64::from(TASKS * EACH));
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
    test.set_password(clerk_email, "VanThu#2021").await;
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

/// A running `egov serve` of this test, killed when dropped.
struct Server {
    child: std::process::Child,
    address: std::net::SocketAddr,
    _data: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn serve(test: &TestApp) -> Server {
    let address = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let data = tempfile::tempdir().unwrap();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_egov"))
        .args(["serve", "--listen", &address.to_string()])
        .env("EGOV_DATABASE_URL", test.database_url())
        .env("EGOV_DATA_DIR", data.path())
        .env("EGOV_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let server = Server {
        child,
        address,
        _data: data,
    };
    for _ in 0..200 {
        if http(address, "GET", "/healthz", None, "")
            .await
            .map(|(s, _)| s)
            == Some(200)
        {
            return server;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("egov serve did not answer on {address}");
}

/// One HTTP/1.1 request on a fresh connection; (status, body).
async fn http(
    address: std::net::SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> Option<(u16, String)> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(address).await.ok()?;
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.ok()?;
    let answer = String::from_utf8(answer).ok()?;
    let status = answer.split(' ').nth(1)?.parse().ok()?;
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Some((status, body))
}

#[tokio::test]
async fn two_server_processes_on_one_database_share_one_series() {
    const PER_SERVER_TASKS: usize = 3;
    const EACH: usize = 40;
    let test = TestApp::new().await;
    let (ubnd, _) = province(&test).await;
    let ctx = Ctx::system("test");
    let draft = domain::people::PersonDraft {
        full_name: "Lê Thị Văn Thư".into(),
        position: "Văn thư".into(),
        agency_id: ubnd,
        email: "vanthu@travinh.gov.vn".into(),
        phone: None,
    };
    let new = app::people::NewPerson {
        draft,
        roles: vec![domain::people::Role::Clerk],
        password: Some("CapSo#2021x".into()),
    };
    test.app.create_person(&ctx, new).await.unwrap();
    let servers = [serve(&test).await, serve(&test).await];
    let login = r#"{"email":"vanthu@travinh.gov.vn","password":"CapSo#2021x"}"#;
    let mut workers = Vec::new();
    for server in &servers {
        let (status, body) = http(server.address, "POST", "/api/v1/auth/token", None, login)
            .await
            .unwrap();
        assert_eq!(status, 200, "{body}");
        let token: String = serde_json::from_str::<serde_json::Value>(&body).unwrap()["token"]
            .as_str()
            .unwrap()
            .to_owned();
        for _ in 0..PER_SERVER_TASKS {
            let (address, token) = (server.address, token.clone());
            workers.push(tokio::spawn(async move {
                let body = format!(r#"{{"agency_id":{ubnd},"doc_type":"Quyết định","summary":"Về việc thử nghiệm cấp số"}}"#);
                let mut numbers = Vec::new();
                for _ in 0..EACH {
                    let (status, answer) = http(address, "POST", "/api/v1/documents/outgoing", Some(&token), &body).await.unwrap();
                    assert_eq!(status, 201, "{answer}");
                    let document: serde_json::Value = serde_json::from_str(&answer).unwrap();
                    numbers.push(document["number"].as_u64().unwrap());
                }
                numbers
            }));
        }
    }
    let mut all = Vec::new();
    for worker in workers {
        all.extend(worker.await.unwrap());
    }
    all.sort_unstable();
    let expected = 2 * PER_SERVER_TASKS * EACH;
    assert_eq!(
        all,
        (1..=expected as u64).collect::<Vec<_>>(),
        "two processes, one gapless series"
    );
}

#[tokio::test]
async fn the_demo_registers_hold_april_2021_with_the_reports_citations() {
    let (test, _) = TestApp::with_demo().await;
    // The demo signs its documents with the demo certificates.
    test.app.load_demo_certificates(|_, _| {}).await.unwrap();
    let added = test.app.load_demo_documents(|_, _| {}).await.unwrap();
    assert_eq!(added, 23);
    assert_eq!(
        test.app.load_demo_documents(|_, _| {}).await.unwrap(),
        0,
        "loading twice adds nothing"
    );
    let ctx = Ctx::system("test");
    let stttt = test.agency_id("000.00.11.H59").await;
    let april = (date!(2021 - 04 - 01), date!(2021 - 04 - 30));
    let figures = test.app.document_figures(&ctx, stttt, april).await.unwrap();
    assert_eq!((figures.counts.outgoing, figures.counts.incoming), (19, 1));
    // The signed count comes from the verdicts on really signed PDFs.
    assert_eq!(figures.counts.signed, 15);
    assert_eq!(figures.signed_percent.as_deref(), Some("78,95%"));
    let book = test
        .app
        .register_page(&ctx, stttt, Direction::Outgoing, april, (0, 100))
        .await
        .unwrap();
    let mut symbols: Vec<&str> = book.items.iter().map(|d| d.symbol.as_str()).collect();
    symbols.reverse();
    assert_eq!(symbols[0], "01/QĐ-STTTT");
    assert_eq!(
        symbols[6], "07/STTTT-BCVT",
        "one series for every type; a công văn carries its drafting unit"
    );
    assert_eq!(*symbols.last().unwrap(), "19/BC-STTTT");
    // The plan implementing 20/KH-UBND links to the copy in the register.
    let plan = book
        .items
        .iter()
        .find(|d| d.summary.starts_with("Thực hiện Kế hoạch số 20/KH-UBND"))
        .unwrap();
    let cited = test.app.document_citations(&ctx, plan.id).await.unwrap();
    assert_eq!(cited[0].0.symbol, "20/KH-UBND");
    assert_eq!(cited[0].1.len(), 1);
    assert_eq!(cited[0].1[0].direction, Direction::Incoming);
}
