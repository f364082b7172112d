//! Official e-mail against a real mail server: Dovecot and Postfix from
//! Debian, started on loopback ports by `scripts/mail-server.sh`, read the
//! account directory egov writes. A box made in egov signs in over IMAP
//! with the password set in egov, receives the notice egov sends over
//! SMTP, and is refused once egov suspends it; provisioning that fails
//! half-way resumes to a directory with no drift.

use std::path::{Path, PathBuf};
use std::process::Command;

use app::Ctx;
use app::mail::registry::{BoxAction, NewMailRequest, WantedBox};
use domain::mail::mailboxes::{MailboxKind, MailboxStatus};
use domain::mail::requests::{Decision, RequestKind};
use testkit::TestApp;

use testkit::PASSWORD;
const CLERK: &str = "nhunglth.stttt@travinh.gov.vn";
const LEADER: &str = "thanhnn.stttt@travinh.gov.vn";
const OPERATOR: &str = "hanstn.stttt@travinh.gov.vn";
const POLICY_KEY: &str = "khoa-chinh-sach-dovecot";

/// Dovecot and Postfix for one test, stopped when dropped.
struct MailServer {
    dir: tempfile::TempDir,
    imap: u16,
    smtp: u16,
}

impl MailServer {
    /// Starts the servers; with `policy` (egov's URL and key) Dovecot asks
    /// egov about each sign-in.
    fn start(policy: Option<(&str, &str)>) -> Self {
        let dir = tempfile::tempdir().unwrap();
        // Held together so that the three ports differ.
        let listeners: Vec<std::net::TcpListener> = (0..3)
            .map(|_| std::net::TcpListener::bind("127.0.0.1:0").unwrap())
            .collect();
        let ports: Vec<u16> = listeners
            .iter()
            .map(|l| l.local_addr().unwrap().port())
            .collect();
        drop(listeners);
        let out = Command::new(script())
            .arg("start")
            .arg(dir.path())
            .arg("travinh.gov.vn")
            .args(ports.iter().map(u16::to_string))
            .args(policy.iter().flat_map(|(url, key)| [*url, *key]))
            .env("EGOV_MAIL_FAILURE_DELAY", "0")
            .output()
            .expect("scripts/mail-server.sh runs");
        assert!(
            out.status.success(),
            "the mail server did not start: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        Self {
            dir,
            imap: ports[0],
            smtp: ports[1],
        }
    }

    fn directory(&self) -> PathBuf {
        self.dir.path().join("directory")
    }

    fn reload_command(&self) -> String {
        format!(
            "postfix -c {} reload",
            self.dir.path().join("postfix").display()
        )
    }

    /// Signs in over IMAP as `user` with each of `passwords` in turn
    /// (Python's imaplib, a real client): for each, the subjects in the
    /// inbox, decoded, or the server's refusal.
    async fn logins(&self, user: &str, passwords: &[&str]) -> Vec<Result<Vec<String>, String>> {
        const CLIENT: &str = r"
import email, imaplib, sys
from email.header import decode_header, make_header
for password in sys.argv[3:]:
    client = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]))
    try:
        client.login(sys.argv[2], password)
    except imaplib.IMAP4.error as refusal:
        reason = refusal.args[0]
        print('NO', reason.decode() if isinstance(reason, bytes) else reason)
        continue
    client.select('INBOX')
    subjects = []
    for n in client.search(None, 'ALL')[1][0].split():
        header = client.fetch(n, '(BODY.PEEK[HEADER.FIELDS (SUBJECT)])')[1][0][1]
        subjects.append(str(make_header(decode_header(email.message_from_bytes(header)['Subject']))))
    print('OK', '\t'.join(subjects))
    client.logout()
";
        // Not blocking the test's thread: egov answers Dovecot on it.
        let out = tokio::process::Command::new("python3")
            .args(["-c", CLIENT, &self.imap.to_string(), user])
            .args(passwords)
            .output()
            .await
            .expect("python3 runs");
        assert!(
            out.status.success(),
            "IMAP client failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|line| match line.split_once(' ').unwrap_or((line, "")) {
                ("OK", subjects) => Ok(subjects
                    .split('\t')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()),
                (_, refusal) => Err(refusal.to_owned()),
            })
            .collect()
    }

    async fn inbox(&self, user: &str, password: &str) -> Result<Vec<String>, String> {
        self.logins(user, &[password]).await.remove(0)
    }
}

impl Drop for MailServer {
    fn drop(&mut self) {
        let _ = Command::new(script())
            .arg("stop")
            .arg(self.dir.path())
            .output();
    }
}

/// Waits until Dovecot sees a passwd-file written now: it looks at the
/// file at most once a second.
async fn dovecot_rereads() {
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/mail-server.sh")
}

/// The demo province, its mail directory in `directory`.
async fn province(directory: PathBuf, reload: Option<String>, smtp: Option<u16>) -> TestApp {
    let test = TestApp::with_config(|c| {
        c.mail.directory = Some(directory);
        c.mail.reload_command = reload;
        c.mail.policy_key = app::config::Secret::new(POLICY_KEY);
        c.mail.smtp_url =
            smtp.map(|port| app::config::Secret::new(format!("smtp://127.0.0.1:{port}")));
        c.mail.from = Some("no-reply@travinh.gov.vn".into());
    })
    .await;
    test.app.load_demo(|_, _| {}).await.unwrap();
    test
}

/// Files a request for `names` in the CNTT unit and has both approvals
/// given; returns the boxes' ids.
async fn approved_boxes(test: &TestApp, names: &[String]) -> Vec<i64> {
    let clerk = test.ctx_of(CLERK).await;
    let leader = test.ctx_of(LEADER).await;
    let operator = test.ctx_of(OPERATOR).await;
    let stttt = test.agency_id("000.00.11.H59").await;
    let cntt = test.agency_id("000.04.11.H59").await;
    let (request, boxes) = test
        .app
        .submit_mail_request(
            &clerk,
            NewMailRequest {
                agency_id: stttt,
                kind: if names.len() == 1 {
                    RequestKind::Single
                } else {
                    RequestKind::Bulk
                },
                note: "Cán bộ mới tuyển dụng".into(),
                boxes: names
                    .iter()
                    .map(|name| WantedBox {
                        kind: MailboxKind::Person,
                        agency_id: cntt,
                        person_id: None,
                        full_name: name.clone(),
                    })
                    .collect(),
            },
        )
        .await
        .unwrap();
    for ctx in [&leader, &operator] {
        test.app
            .decide_mail_request(ctx, request.id, Decision::Approve)
            .await
            .unwrap();
    }
    boxes.iter().map(|b| b.id).collect()
}

#[tokio::test]
async fn a_box_made_in_egov_signs_in_receives_egovs_notice_and_is_refused_once_suspended() {
    // egov serves on loopback first: Dovecot asks it about each sign-in.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let policy_url = format!(
        "http://{}/mail/dovecot-policy",
        listener.local_addr().unwrap()
    );
    let server = MailServer::start(Some((&policy_url, POLICY_KEY)));
    let test = province(
        server.directory(),
        Some(server.reload_command()),
        Some(server.smtp),
    )
    .await;
    tokio::spawn(web::serve(
        test.app.clone(),
        listener,
        std::future::pending(),
    ));
    let operator = test.ctx_of(OPERATOR).await;
    let ids = approved_boxes(&test, &["Trần Thị Mỹ Dung".to_owned()]).await;
    let address = "dungttm.stttt@travinh.gov.vn";
    let mailbox = test.app.mailbox_page(&operator, ids[0]).await.unwrap().0;
    assert_eq!(
        (mailbox.address.as_str(), mailbox.status),
        (address, MailboxStatus::Approved)
    );

    // Provisioned without a password, the box exists but nobody enters.
    let done = provision(&test, &operator).await;
    assert_eq!((done.created, done.waiting), (1, 0));
    assert!(server.inbox(address, PASSWORD).await.is_err());
    let holder_password = "Dung.Moi#2021";
    test.app
        .set_mailbox_password(&operator, ids[0], holder_password)
        .await
        .unwrap();
    provision(&test, &operator).await;
    // egov's welcome went out over SMTP when the box was made; Postfix
    // hands it to Dovecot, so it may take a moment to arrive.
    let run = test.app.deliver_mail().await.unwrap();
    assert_eq!(run.failed, 0, "{run:?}");
    let mut inbox = Vec::new();
    for _ in 0..50 {
        inbox = server.inbox(address, holder_password).await.unwrap();
        if !inbox.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(inbox, ["Hộp thư điện tử công vụ đã được tạo"]);

    // Twelve wrong passwords lock the box, even against the right one.
    let mut attempts = vec!["Sai.MatKhau#1"; 12];
    attempts.push(holder_password);
    let results = server.logins(address, &attempts).await;
    assert!(results.iter().take(12).all(Result::is_err), "{results:?}");
    let refusal = results[12].as_ref().unwrap_err();
    assert!(refusal.contains("tạm khóa"), "{refusal}");
    let (_, events) = test.app.mailbox_page(&operator, ids[0]).await.unwrap();
    assert!(events.iter().any(|e| e.action == "locked"), "{events:?}");
    // A new password set in egov lifts the lock.
    let holder_password = "Dung.Moi#2022";
    test.app
        .set_mailbox_password(&operator, ids[0], holder_password)
        .await
        .unwrap();
    provision(&test, &operator).await;
    dovecot_rereads().await;
    assert!(server.inbox(address, holder_password).await.is_ok());

    test.app
        .change_mailbox(&operator, ids[0], BoxAction::Suspend("Nghỉ việc".into()))
        .await
        .unwrap();
    provision(&test, &operator).await;
    dovecot_rereads().await;
    let refusal = server.inbox(address, holder_password).await.unwrap_err();
    assert!(refusal.contains("suspended"), "{refusal}");
    let found = test
        .app
        .reconcile_mailboxes(&operator, false)
        .await
        .unwrap();
    assert_eq!((found.drift.len(), found.waiting), (0, 0), "{found:?}");
}

/// `n` different Vietnamese names, many sharing a mailbox stem.
fn staff_names(n: usize) -> Vec<String> {
    const FAMILY: [&str; 12] = [
        "Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Thạch", "Kim", "Sơn", "Ngô",
        "Dương",
    ];
    const MIDDLE: [&str; 8] = [
        "Văn",
        "Thị",
        "Ngọc",
        "Minh",
        "Thanh",
        "Hoàng",
        "Thị Ngọc",
        "Quốc",
    ];
    const GIVEN: [&str; 11] = [
        "Thành", "An", "Bình", "Hùng", "Lan", "Hoa", "Tuấn", "Sa Rinh", "Đức", "Ánh", "Khánh",
    ];
    (0..n)
        .map(|i| {
            let family = FAMILY[i % FAMILY.len()];
            let middle = MIDDLE[(i / FAMILY.len()) % MIDDLE.len()];
            let given = GIVEN[(i / (FAMILY.len() * MIDDLE.len())) % GIVEN.len()];
            format!("{family} {middle} {given}")
        })
        .collect()
}

/// Applies every pending change to the mail server.
async fn provision(test: &TestApp, operator: &Ctx) -> app::mail::directory::Provisioned {
    test.app
        .provision_mailboxes(operator, None, |_, _| {})
        .await
        .unwrap()
}

/// A reload command that fails on its second run, as a mail server that
/// goes down in the middle of a provisioning would.
fn failing_reload(dir: &Path) -> String {
    let path = dir.join("reload.sh");
    std::fs::write(
        &path,
        format!(
            "#!/bin/sh\necho x >> {count}\n[ \"$(wc -l < {count})\" -ne 2 ]\n",
            count = dir.join("reloads").display()
        ),
    )
    .unwrap();
    Command::new("chmod").arg("+x").arg(&path).status().unwrap();
    path.display().to_string()
}

#[tokio::test]
async fn provisioning_stopped_half_way_resumes_to_no_drift() {
    let scratch = tempfile::tempdir().unwrap();
    let directory = scratch.path().join("directory");
    let test = province(
        directory.clone(),
        Some(failing_reload(scratch.path())),
        None,
    )
    .await;
    let operator = test.ctx_of(OPERATOR).await;
    let names = staff_names(1000);
    let ids = approved_boxes(&test, &names).await;
    assert_eq!(ids.len(), 1000);

    // The first batch lands; the second is written, then the server fails.
    let error = test
        .app
        .provision_mailboxes(&operator, None, |_, _| {})
        .await
        .unwrap_err();
    assert!(error.to_string().contains("thất bại"), "{error}");
    let found = test
        .app
        .reconcile_mailboxes(&operator, false)
        .await
        .unwrap();
    assert!(found.drift.is_empty(), "{:?}", found.drift);
    assert!(
        found.waiting > 0 && found.waiting < 1000,
        "{}",
        found.waiting
    );

    let done = provision(&test, &operator).await;
    assert_eq!(done.waiting, 0);
    let found = test
        .app
        .reconcile_mailboxes(&operator, false)
        .await
        .unwrap();
    assert_eq!((found.drift.len(), found.waiting), (0, 0), "{found:?}");
    let passwd = std::fs::read_to_string(directory.join("passwd")).unwrap();
    let accounts: std::collections::HashSet<&str> = passwd
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split(':').next().unwrap())
        .collect();
    let active = test
        .app
        .store
        .read()
        .await
        .unwrap()
        .directory_mailboxes()
        .await
        .unwrap();
    assert_eq!(accounts.len(), active.len());
    assert!(active.len() > 1000);
    assert!(
        active
            .iter()
            .all(|m| accounts.contains(m.address.as_str()) && m.status == MailboxStatus::Active)
    );

    // Drift made by hand on the server is found, and repaired.
    std::fs::write(
        directory.join("passwd"),
        passwd.replacen("storage=2048M", "storage=4096M", 1),
    )
    .unwrap();
    let found = test
        .app
        .reconcile_mailboxes(&operator, false)
        .await
        .unwrap();
    assert_eq!(found.drift.len(), 1, "{:?}", found.drift);
    assert!(found.drift[0].to_string().contains("dung lượng"));
    let repaired = test.app.reconcile_mailboxes(&operator, true).await.unwrap();
    assert!(repaired.repaired);
    let found = test
        .app
        .reconcile_mailboxes(&operator, false)
        .await
        .unwrap();
    assert!(found.drift.is_empty(), "{:?}", found.drift);
}
