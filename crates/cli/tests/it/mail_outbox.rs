//! The mail outbox (issue 9, item 4): a mail is written with the event it
//! tells of and delivered through the transport (here the test kit's
//! `Capture`); a server that is down loses nothing and the mail goes
//! exactly once when it is back; two deliveries at once never send a mail
//! twice; assignments, deadline reminders and certificate expiry mail the
//! people concerned, the reminders once; an SMTP server takes the same
//! messages; the migration brings the old queues' rows along.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use app::config::Secret;
use app::documents::NewIncoming;
use app::handling::NewAssignment;
use base64::Engine;
use domain::documents::{Confidentiality, Urgency};
use domain::handling::Due;
use domain::mail::outbox::{About, MailKind, QueuedMail};
use testkit::TestApp;
use time::macros::date;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

const LEADER: &str = "thanhnn.stttt@travinh.gov.vn";
const CLERK: &str = "nhunglth.stttt@travinh.gov.vn";
const SPECIALIST: &str = "phiepts.stttt@travinh.gov.vn";
const UNIT_HEAD: &str = "hunglv.stttt@travinh.gov.vn";

async fn person_id(test: &TestApp, email: &str) -> i64 {
    let tx = test.app.store.read().await.unwrap();
    tx.person_for_login(email).await.unwrap().unwrap().0.id
}

/// The leader assigns a new incoming document to the specialist, with
/// the unit head as co-handler, due in `days` working days.
async fn assigned(test: &TestApp, symbol: &str, days: u32) -> i64 {
    let clerk = test.ctx_of(CLERK).await;
    let leader = test.ctx_of(LEADER).await;
    let stttt = test.agency_id("000.00.11.H59").await;
    let document = test
        .app
        .register_incoming(
            &clerk,
            NewIncoming {
                agency_id: stttt,
                symbol: symbol.into(),
                doc_type: "Công văn".into(),
                summary: "Về việc triển khai thư điện tử công vụ".into(),
                issued_on: date!(2021 - 04 - 02),
                issuer: "Ủy ban nhân dân tỉnh Trà Vinh".into(),
                signer: None,
                urgency: Urgency::Normal,
                confidentiality: Confidentiality::Normal,
                field: None,
            },
        )
        .await
        .unwrap()
        .id;
    let new = NewAssignment {
        lead_id: person_id(test, SPECIALIST).await,
        co_handlers: vec![person_id(test, UNIT_HEAD).await],
        instruction: "Tham mưu triển khai".into(),
        due: Due::WorkingDays(days),
    };
    test.app.assign(&leader, document, new).await.unwrap().id
}

async fn mail_about(test: &TestApp, about: &About) -> Vec<QueuedMail> {
    let read = test.app.store.read().await.unwrap();
    read.mail_about(about).await.unwrap()
}

/// The text inside a message (base64 after the headers).
fn letter_in(bytes: &[u8]) -> String {
    let message = String::from_utf8(bytes.to_vec()).unwrap();
    let encoded: String = message
        .split("\r\n\r\n")
        .nth(1)
        .unwrap()
        .split("\r\n")
        .collect();
    let letter = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .unwrap();
    String::from_utf8(letter).unwrap()
}

#[tokio::test]
async fn an_assignment_mails_its_handlers_with_it() {
    let (test, _) = TestApp::with_demo().await;
    let id = assigned(&test, "21/UBND-KGVX", 5).await;

    // Written with the assignment, sent right after it.
    let mails = mail_about(&test, &About::Assignment(id)).await;
    let recipients: Vec<&str> = mails.iter().map(|m| m.mail.recipient.as_str()).collect();
    assert_eq!(recipients, [SPECIALIST, UNIT_HEAD]);
    assert!(mails.iter().all(|m| m.mail.kind == MailKind::Assignment));
    assert!(mails.iter().all(|m| m.sent_at.is_some() && m.attempts == 0));
    let lead = &mails[0].mail;
    assert_eq!(lead.subject, "Giao chủ trì xử lý văn bản 21/UBND-KGVX");
    assert!(lead.body.starts_with("Kính gửi Ông/Bà "), "{}", lead.body);
    for expected in [
        "Số, ký hiệu: 21/UBND-KGVX",
        "Trích yếu: Về việc triển khai thư điện tử công vụ",
        "Hạn xử lý: 12/4/2021",
        "Ý kiến chỉ đạo: Tham mưu triển khai",
        "Thư này được gửi tự động",
    ] {
        assert!(lead.body.contains(expected), "{expected}: {}", lead.body);
    }
    assert!(mails[1].mail.subject.starts_with("Giao phối hợp xử lý"));

    // The messages themselves: one per mail, named by its outbox id.
    let sent = test.mail.sent();
    assert_eq!(sent.len(), 2);
    let message = String::from_utf8(sent[0].bytes.clone()).unwrap();
    assert!(
        message.contains(&format!("\r\nTo: {SPECIALIST}\r\n")),
        "{message}"
    );
    assert!(message.contains(&format!("Message-ID: <mail-{}@127.0.0.1>", mails[0].id)));
    assert!(message.contains("Content-Transfer-Encoding: base64"));
    // Text lines end in CRLF on the wire.
    assert_eq!(letter_in(&sent[0].bytes), lead.body.replace('\n', "\r\n"));
}

#[tokio::test]
async fn a_mail_server_that_is_down_loses_nothing() {
    let (test, _) = TestApp::with_demo().await;
    test.mail
        .fail_with(Some("421 4.3.2 máy chủ tạm ngừng / service not available"));
    let id = assigned(&test, "22/UBND-KGVX", 5).await;

    // The assignment stands; its mails wait with the error and a next try.
    let mails = mail_about(&test, &About::Assignment(id)).await;
    assert_eq!(mails.len(), 2);
    for mail in &mails {
        assert_eq!(mail.attempts, 1);
        assert_eq!(mail.sent_at, None);
        assert!(
            mail.last_error
                .as_deref()
                .unwrap()
                .contains("service not available")
        );
        assert_eq!(
            mail.next_attempt_at,
            domain::to_stored_precision(test.app.now()) + time::Duration::minutes(1)
        );
    }
    // Not due yet: even a server that is back gets nothing before then.
    test.mail.fail_with(None);
    let run = test.app.deliver_mail().await.unwrap();
    assert_eq!((run.sent, run.failed, run.waiting), (0, 0, 2));

    // Down again at the first retry: the wait grows to five minutes.
    test.clock.advance(time::Duration::minutes(1));
    test.mail.fail_with(Some("connection refused"));
    let run = test.app.deliver_mail().await.unwrap();
    assert_eq!((run.sent, run.failed, run.waiting), (0, 2, 2));
    let mails = mail_about(&test, &About::Assignment(id)).await;
    assert!(mails.iter().all(|m| m.attempts == 2
        && m.next_attempt_at
            == domain::to_stored_precision(test.app.now()) + time::Duration::minutes(5)));

    // Back, and the time has come: each mail goes exactly once.
    test.mail.fail_with(None);
    test.clock.advance(time::Duration::minutes(5));
    let run = test.app.deliver_mail().await.unwrap();
    assert_eq!((run.sent, run.failed, run.waiting), (2, 0, 0));
    let run = test.app.deliver_mail().await.unwrap();
    assert_eq!((run.sent, run.failed, run.waiting), (0, 0, 0));
    let sent: Vec<i64> = test.mail.sent().iter().map(|m| m.mail.id).collect();
    let ids: Vec<i64> = mails.iter().map(|m| m.id).collect();
    assert_eq!(sent, ids);
    let mails = mail_about(&test, &About::Assignment(id)).await;
    assert!(mails.iter().all(|m| m.sent_at.is_some()));
}

#[tokio::test]
async fn two_deliveries_at_once_send_each_mail_once() {
    let (test, _) = TestApp::with_demo().await;
    test.mail.fail_with(Some("down"));
    for n in 0..6 {
        assigned(&test, &format!("{}/UBND-KGVX", 30 + n), 5).await;
    }
    test.mail.fail_with(None);
    test.clock.advance(time::Duration::minutes(1));
    let (a, b) = tokio::join!(test.app.deliver_mail(), test.app.deliver_mail());
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.sent + b.sent, 12);
    assert_eq!(a.failed + b.failed, 0);
    let mut sent: Vec<i64> = test.mail.sent().iter().map(|m| m.mail.id).collect();
    assert_eq!(sent.len(), 12);
    sent.sort_unstable();
    sent.dedup();
    assert_eq!(sent.len(), 12, "no mail sent twice");
}

#[tokio::test]
async fn deadline_reminders_mail_the_lead_once_per_stage() {
    let (test, _) = TestApp::with_demo().await;
    // Monday 5/4, five working days: due Monday 12/4.
    let id = assigned(&test, "23/UBND-KGVX", 5).await;
    let reminders = || async {
        mail_about(&test, &About::Assignment(id))
            .await
            .into_iter()
            .filter(|m| m.mail.kind == MailKind::DeadlineReminder)
            .collect::<Vec<_>>()
    };
    assert!(reminders().await.is_empty());

    // Thursday 8/4: due soon. However often the job runs, one mail.
    test.clock.advance(time::Duration::days(3));
    assert_eq!(test.app.send_reminders(test.app.today()).await.unwrap(), 1);
    assert_eq!(test.app.send_reminders(test.app.today()).await.unwrap(), 0);
    // Friday 9/4: a new in-app notice, but the lead was already mailed.
    test.clock.advance(time::Duration::days(1));
    assert_eq!(test.app.send_reminders(test.app.today()).await.unwrap(), 1);
    let mails = reminders().await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].mail.recipient, SPECIALIST);
    assert!(
        mails[0].mail.body.contains("sắp đến hạn xử lý"),
        "{}",
        mails[0].mail.body
    );
    assert!(mails[0].sent_at.is_some());

    // Tuesday 13/4: overdue, which is told once more.
    test.clock.advance(time::Duration::days(4));
    assert_eq!(test.app.send_reminders(test.app.today()).await.unwrap(), 1);
    test.clock.advance(time::Duration::days(1));
    assert_eq!(test.app.send_reminders(test.app.today()).await.unwrap(), 1);
    let mails = reminders().await;
    assert_eq!(mails.len(), 2);
    assert!(
        mails[1].mail.body.contains("quá hạn"),
        "{}",
        mails[1].mail.body
    );
    let to_lead = test
        .mail
        .sent()
        .iter()
        .filter(|m| m.mail.mail.kind == MailKind::DeadlineReminder)
        .count();
    assert_eq!(to_lead, 2);
}

#[tokio::test]
async fn a_certificate_about_to_expire_is_mailed_once() {
    let (test, _) = TestApp::with_demo().await;
    test.app.load_demo_certificates(|_, _| {}).await.unwrap();
    // The first demo certificate to expire, twenty days before (inside
    // the thirty days of reminders).
    let first = {
        let read = test.app.store.read().await.unwrap();
        let now = test.app.now();
        let mut all = read
            .expiring(now, now + time::Duration::days(365 * 20))
            .await
            .unwrap();
        all.sort_by_key(|c| c.not_after);
        all.remove(0)
    };
    test.clock
        .advance(first.not_after - time::Duration::days(20) - test.app.now());
    let done = test.app.pki_upkeep().await.unwrap();
    assert!(done.reminders >= 1, "{done:?}");
    let mails = mail_about(&test, &About::Certificate(first.serial.clone())).await;
    assert!(!mails.is_empty());
    assert!(
        mails
            .iter()
            .all(|m| m.mail.kind == MailKind::CertificateExpiry)
    );
    assert!(mails[0].mail.body.contains(&first.serial));
    assert!(mails[0].sent_at.is_some());

    // Run again (the server does, every hour): nothing more.
    test.clock.advance(time::Duration::hours(1));
    assert_eq!(test.app.pki_upkeep().await.unwrap().reminders, 0);
    assert_eq!(
        mail_about(&test, &About::Certificate(first.serial.clone()))
            .await
            .len(),
        mails.len()
    );
}

#[tokio::test]
async fn the_operator_delivers_the_outbox_from_the_command_line() {
    let (test, _) = TestApp::with_demo().await;
    test.mail.fail_with(Some("down"));
    let id = assigned(&test, "24/UBND-KGVX", 5).await;
    let pickup = tempfile::tempdir().unwrap();
    let deliver = |pickup: Option<&std::path::Path>| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_egov"));
        command
            .args(["mail", "deliver"])
            .env("EGOV_DATABASE_URL", test.database_url())
            .env("EGOV_DATA_DIR", test.data_dir.path());
        if let Some(dir) = pickup {
            command.env("EGOV_NOTICE_PICKUP_DIR", dir);
        }
        command.output().expect("egov runs")
    };
    // Nowhere to send: said, and nothing changes.
    let nowhere = deliver(None);
    assert!(!nowhere.status.success());
    assert!(String::from_utf8_lossy(&nowhere.stderr).contains("EGOV_SMTP_URL"));
    // The binary runs on the real clock, long after the failed attempt.
    let done = deliver(Some(pickup.path()));
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&done.stdout).trim(),
        "Đã gửi 2 thư, 0 thư gửi không thành công (sẽ gửi lại); còn 0 thư chờ gửi."
    );
    let mut names: Vec<String> = std::fs::read_dir(pickup.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let expected: Vec<String> = mail_about(&test, &About::Assignment(id))
        .await
        .iter()
        .map(|m| format!("mail-{}.eml", m.id))
        .collect();
    assert_eq!(names, expected);
}

#[tokio::test]
async fn the_migration_moves_the_old_notices_and_mail_into_the_outbox() {
    let bare = testkit::BareStore::new().await;
    let store = &bare.store;
    store.migrate_to(20).await.unwrap();
    // As migration 20 left them: a dossier with a notice delivered and
    // one waiting, an account with its confirmation delivered and a
    // reset waiting.
    let at = "'2021-04-05T01:00:00Z'";
    let later = "'2021-04-05T02:00:00Z'";
    for sql in [
        "INSERT INTO agencies (code, name, short_name, kind, effective_from) \
         VALUES ('000.00.11.H59', 'Sở Thông tin và Truyền thông', 'STTTT', 'department', '1992-05-01')"
            .to_owned(),
        format!(
            "INSERT INTO procedures (agency_id, national_code, name, level, online_mode, \
             processing_days, fee, effective_from, created_at) \
             VALUES (1, '1.001', 'Cấp giấy phép', 'level3', 'partial', 5, 0, '2021-01-01', {at})"
        ),
        format!(
            "INSERT INTO dossiers (code, agency_id, procedure_id, channel, status, applicant_name, \
             applicant_kind, received_at, due_on) \
             VALUES ('000.00.11.H59-210405-0001', 1, 1, 'online', '2', 'Thạch Thị Sa Ren', \
             'citizen', {at}, '2021-04-12')"
        ),
        format!(
            "INSERT INTO citizen_accounts (kind, full_name, email, phone, status, password_hash, created_at) \
             VALUES ('citizen', 'Thạch Thị Sa Ren', 'sa.ren@example.vn', '0912345678', 'active', 'x', {at})"
        ),
        format!(
            "INSERT INTO applicant_notices (dossier_id, kind, recipient, subject, body, created_at, delivered_at) \
             VALUES (1, 'submit', 'sa.ren@example.vn', 'Xác nhận', 'Thư 1', {at}, {later}), \
                    (1, 'accept', 'sa.ren@example.vn', 'Tiếp nhận', 'Thư 2', {later}, NULL)"
        ),
        format!(
            "INSERT INTO citizen_mail (account_id, recipient, subject, body, created_at, delivered_at) \
             VALUES (1, 'sa.ren@example.vn', 'Xác nhận đăng ký tài khoản Cổng dịch vụ công', 'Thư 3', {at}, {later}), \
                    (1, 'sa.ren@example.vn', 'Đặt lại mật khẩu tài khoản Cổng dịch vụ công', 'Thư 4', {later}, NULL)"
        ),
    ] {
        store.execute_unchecked(&sql).await.unwrap();
    }
    assert_eq!(store.migrate_to(21).await.unwrap(), 1);

    let read = store.read().await.unwrap();
    let summary = |mails: Vec<QueuedMail>| -> Vec<(MailKind, String, bool)> {
        mails
            .into_iter()
            .inspect(|m| {
                assert_eq!((m.attempts, m.next_attempt_at), (0, m.created_at));
            })
            .map(|m| (m.mail.kind, m.mail.body, m.sent_at.is_some()))
            .collect()
    };
    assert_eq!(
        summary(read.mail_about(&About::Dossier(1)).await.unwrap()),
        [
            (MailKind::DossierConfirmation, "Thư 1".to_owned(), true),
            (MailKind::DossierReceived, "Thư 2".to_owned(), false),
        ]
    );
    assert_eq!(
        summary(read.mail_about(&About::Account(1)).await.unwrap()),
        [
            (MailKind::AccountConfirmation, "Thư 3".to_owned(), true),
            (MailKind::PasswordReset, "Thư 4".to_owned(), false),
        ]
    );
    // The two waiting ones are due to be sent; the old tables are gone.
    let due = read
        .mail_due(time::macros::datetime!(2021-04-06 00:00 UTC), 10)
        .await
        .unwrap();
    let bodies: Vec<&str> = due.iter().map(|m| m.mail.body.as_str()).collect();
    assert_eq!(bodies, ["Thư 2", "Thư 4"]);
    drop(read);
    for table in ["applicant_notices", "citizen_mail"] {
        assert!(
            store
                .execute_unchecked(&format!("DELETE FROM {table}"))
                .await
                .is_err()
        );
    }
}

/// A mail server on loopback speaking just enough SMTP, which keeps what
/// each DATA carried; while `down`, it greets with 421 as a server that
/// is shutting down does.
async fn smtp_server(down: Arc<AtomicBool>) -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let kept = received.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let (kept, down) = (kept.clone(), down.clone());
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                if down.load(Ordering::SeqCst) {
                    let _ = write
                        .write_all(b"421 4.3.2 Service not available\r\n")
                        .await;
                    return;
                }
                let _ = write.write_all(b"220 mail.travinh.gov.vn ESMTP\r\n").await;
                let mut lines = BufReader::new(read).lines();
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    let reply = if let Some(message) = data.as_mut() {
                        if line != "." {
                            message.push_str(&line);
                            message.push_str("\r\n");
                            continue;
                        }
                        kept.lock().unwrap().push(data.take().unwrap_or_default());
                        "250 2.0.0 Ok: queued"
                    } else {
                        match line
                            .get(..4)
                            .unwrap_or_default()
                            .to_ascii_uppercase()
                            .as_str()
                        {
                            "EHLO" | "HELO" => "250 mail.travinh.gov.vn",
                            "DATA" => {
                                data = Some(String::new());
                                "354 End data with <CR><LF>.<CR><LF>"
                            }
                            "QUIT" => "221 2.0.0 Bye",
                            _ => "250 2.1.0 Ok",
                        }
                    };
                    let _ = write.write_all(format!("{reply}\r\n").as_bytes()).await;
                }
            });
        }
    });
    (port, received)
}

#[tokio::test]
async fn an_smtp_server_takes_the_mail_once_it_is_back() {
    let down = Arc::new(AtomicBool::new(true));
    let (port, received) = smtp_server(down.clone()).await;
    let test = TestApp::with_config(|c| {
        c.mail.smtp_url = Some(Secret::new(format!("smtp://127.0.0.1:{port}")));
        c.mail.from = Some("vanthu@travinh.gov.vn".into());
    })
    .await;
    test.app.load_demo(|_, _| {}).await.unwrap();
    let id = assigned(&test, "25/UBND-KGVX", 5).await;

    // The server refuses: the assignment's own delivery (in the
    // background, not holding the leader's request) records why.
    let mut mails = Vec::new();
    for _ in 0..200 {
        mails = mail_about(&test, &About::Assignment(id)).await;
        if mails.iter().all(|m| m.attempts == 1) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert!(
        mails.iter().all(|m| m.attempts == 1 && m.sent_at.is_none()),
        "{mails:?}"
    );
    assert!(
        mails[0].last_error.as_deref().unwrap().contains("SMTP"),
        "{mails:?}"
    );
    assert!(received.lock().unwrap().is_empty());

    // Back: at the next try, each message goes once, as built.
    down.store(false, Ordering::SeqCst);
    test.clock.advance(time::Duration::minutes(1));
    let run = test.app.deliver_mail().await.unwrap();
    assert_eq!((run.sent, run.failed, run.waiting), (2, 0, 0));
    let received = received.lock().unwrap().clone();
    assert_eq!(received.len(), 2);
    assert!(
        received[0].contains(&format!("\r\nTo: {SPECIALIST}\r\n")),
        "{}",
        received[0]
    );
    assert!(received[0].contains("vanthu@travinh.gov.vn"));
    assert!(received[0].contains(&format!("Message-ID: <mail-{}@127.0.0.1>", mails[0].id)));
    assert!(letter_in(received[0].as_bytes()).contains("Số, ký hiệu: 25/UBND-KGVX"));
}
