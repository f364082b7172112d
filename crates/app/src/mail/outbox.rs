//! The mail outbox's use cases. A mail is queued with [`enqueue`] inside
//! the write transaction of the event it tells of — so none is lost and
//! none is sent for something that did not happen — and sent afterwards
//! by [`App::deliver_mail`]: right after the event, by the server every
//! minute, or by `egov mail deliver`. A mail the server refuses, or that
//! cannot reach it, keeps its error and waits
//! ([`domain::mail::outbox::retry_delay`]); none is ever dropped. A mail
//! may go twice only if a server dies between the send and its
//! bookkeeping; its Message-ID is then the same.
//!
//! The letters of staff mail live here too: an assignment, a deadline
//! reminder, a certificate about to expire, a new official mailbox.

use domain::documents::Document;
use domain::handling::Assignment;
use domain::mail::outbox::{About, MailId, MailKind, NewMail, error_text, letter, retry_delay};
use domain::people::Person;
use domain::pki::CertificateRecord;
use store::Tx;
use time::OffsetDateTime;

use crate::mail::transport::{self, MailTransport};
use crate::{App, AppError};

/// Mails claimed and sent per round: small, so that a claim is short.
const BATCH: u64 = 10;
/// How long a round holds the mails it sends before another server's
/// round may take them: longer than a batch of SMTP timeouts.
const CLAIM: time::Duration = time::Duration::minutes(6);

/// What one delivery did, and what is left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MailRun {
    pub sent: u64,
    pub failed: u64,
    /// Mails not sent after the run: failed ones waiting for their next
    /// try, and all of them when no transport is configured.
    pub waiting: u64,
}

/// Queues `mail` in `tx`, the transaction of the event it tells of, to be
/// sent from `now`. `None` when nothing was queued: a mail with the same
/// `dedup_key` was queued before, or the recipient is no mail address (a
/// person recorded without one), which is logged.
pub async fn enqueue(
    tx: &Tx,
    mail: &NewMail,
    now: OffsetDateTime,
) -> Result<Option<MailId>, AppError> {
    if mail.recipient.parse::<lettre::Address>().is_err() {
        tracing::warn!(kind = mail.kind.as_str(), recipient = %mail.recipient, "mail not queued: no valid address");
        return Ok(None);
    }
    Ok(tx
        .insert_mail(mail, domain::to_stored_precision(now))
        .await?)
}

impl App {
    /// Sends every mail that is due through the configured transport,
    /// in small claimed batches until none is due; with no transport,
    /// sends nothing. Says how many went, failed and still wait.
    pub async fn deliver_mail(&self) -> Result<MailRun, AppError> {
        let (sent, failed) = match &self.mail {
            Some(transport) => self.send_due(transport.as_ref()).await?,
            None => (0, 0),
        };
        let waiting = self.store.read().await?.mail_counts().await?.waiting;
        Ok(MailRun {
            sent,
            failed,
            waiting,
        })
    }

    /// Sends what an event just queued, if a transport is configured: at
    /// once into a pickup folder, in a background task to a mail server
    /// (the event's request does not wait for it). A failure is logged:
    /// the event has happened and its mail waits.
    pub(crate) async fn send_mail_now(&self) {
        let Some(transport) = self.mail.clone() else {
            return;
        };
        let remote = transport.is_remote();
        let app = self.clone();
        let send = async move {
            if let Err(error) = app.send_due(transport.as_ref()).await {
                tracing::warn!(%error, "mail not delivered");
            }
        };
        if remote {
            tokio::spawn(send);
        } else {
            send.await;
        }
    }

    async fn send_due(&self, transport: &dyn MailTransport) -> Result<(u64, u64), AppError> {
        let from = transport::sender(&self.config)?;
        let host = transport::host_of(&self.config.services.public_url);
        let (mut sent, mut failed) = (0, 0);
        loop {
            // Claimed in a write transaction: they run one at a time, so
            // another server's round sees the claim and skips these.
            let now = domain::to_stored_precision(self.now());
            let tx = self.store.write().await?;
            let due = tx.mail_due(now, BATCH).await?;
            let ids: Vec<MailId> = due.iter().map(|m| m.id).collect();
            tx.claim_mail(&ids, now + CLAIM).await?;
            tx.commit().await?;
            if due.is_empty() {
                return Ok((sent, failed));
            }
            for mail in due {
                let result = match transport::message(&mail, &from, &host) {
                    Ok(message) => transport.send(&message).await,
                    Err(error) => Err(error),
                };
                let at = domain::to_stored_precision(self.now());
                let tx = self.store.write().await?;
                match result {
                    Ok(()) => {
                        tx.mark_mail_sent(mail.id, at).await?;
                        sent += 1;
                    }
                    Err(error) => {
                        let attempts = mail.attempts + 1;
                        tracing::warn!(id = mail.id, attempts, %error, "mail not sent");
                        tx.mark_mail_failed(
                            mail.id,
                            attempts,
                            &error_text(&error),
                            at + retry_delay(attempts),
                        )
                        .await?;
                        failed += 1;
                    }
                }
                tx.commit().await?;
            }
        }
    }
}

/// The mail telling `person` that they were given `document` to handle,
/// as its lead or as a co-handler.
pub fn assignment(
    person: &Person,
    document: &Document,
    assignment: &Assignment,
    lead: bool,
) -> NewMail {
    let kind = MailKind::Assignment;
    let role = if lead {
        "chủ trì xử lý"
    } else {
        "phối hợp xử lý"
    };
    let instruction = if assignment.instruction.is_empty() {
        String::new()
    } else {
        format!("\nÝ kiến chỉ đạo: {}", assignment.instruction)
    };
    let text = format!(
        "Ông/Bà được giao {role} văn bản đến:\n\nSố, ký hiệu: {symbol}\nSố đến: {number}\nTrích yếu: {summary}\nHạn xử lý: {deadline}{instruction}\n\nXin đăng nhập hệ thống để xem văn bản và cập nhật kết quả xử lý.",
        symbol = document.symbol,
        number = document.number,
        summary = document.summary,
        deadline = vn::dates::format_short(assignment.deadline),
    );
    NewMail {
        kind,
        recipient: person.email.clone(),
        subject: format!("Giao {role} văn bản {}", document.symbol),
        body: letter(&person.full_name, &text, kind.sender()),
        about: Some(About::Assignment(assignment.id)),
        dedup_key: None,
    }
}

/// The mail reminding the lead `person` of `assignment`'s deadline, with
/// the reminder's own text; `stage` names the reminder (due soon,
/// overdue), and at most one mail of each goes per assignment.
pub fn deadline_reminder(
    person: &Person,
    assignment: &Assignment,
    (stage, reminder): (&str, &str),
) -> NewMail {
    let kind = MailKind::DeadlineReminder;
    let text = format!(
        "{reminder}.\n\nXin đăng nhập hệ thống để xử lý văn bản hoặc báo cáo lãnh đạo nếu cần gia hạn."
    );
    NewMail {
        kind,
        recipient: person.email.clone(),
        subject: format!("Nhắc hạn xử lý: {reminder}"),
        body: letter(&person.full_name, &text, kind.sender()),
        about: Some(About::Assignment(assignment.id)),
        dedup_key: Some(format!("{}:{}:{stage}", kind.as_str(), assignment.id)),
    }
}

/// The mail telling `person` that `certificate` (theirs, or their
/// agency's) is about to expire, with the reminder's text; once per
/// certificate and person.
pub fn certificate_expiry(
    person: &Person,
    certificate: &CertificateRecord,
    reminder: &str,
) -> NewMail {
    let kind = MailKind::CertificateExpiry;
    let text = format!(
        "{reminder}\n\nSố hiệu chứng thư: {serial}\nChủ thể: {subject}\nHết hạn: {expiry}\n\nXin lập đề nghị gia hạn trên hệ thống trước ngày hết hạn để việc ký số không bị gián đoạn.",
        serial = certificate.serial,
        subject = certificate.subject,
        expiry = vn::dates::format_short(vn::dates::vietnam_date(certificate.not_after)),
    );
    NewMail {
        kind,
        recipient: person.email.clone(),
        subject: format!("Chứng thư số {} sắp hết hạn", certificate.serial),
        body: letter(&person.full_name, &text, kind.sender()),
        about: Some(About::Certificate(certificate.serial.clone())),
        dedup_key: Some(format!(
            "{}:{}:{}",
            kind.as_str(),
            certificate.serial,
            person.id
        )),
    }
}

/// The mail welcoming `full_name` to their new official mailbox
/// `address` of `agency`; it is sent to the new mailbox itself. The
/// caller sets `about` to the mailbox.
pub fn mailbox_created(full_name: &str, address: &str, agency: &str) -> NewMail {
    let kind = MailKind::MailboxCreated;
    let text = format!(
        "Hộp thư điện tử công vụ của Ông/Bà tại {agency} đã được tạo:\n\nĐịa chỉ: {address}\n\nÔng/Bà đặt hoặc đổi mật khẩu hộp thư tại mục «Hộp thư của tôi» trên hệ thống egov (mật khẩu từ 9 ký tự, có ít nhất ba loại: chữ hoa, chữ thường, chữ số, ký hiệu; hộp thư tạm khóa sau 12 lần đăng nhập sai). Hộp thư dùng cho công việc của cơ quan, không dùng cho việc riêng."
    );
    NewMail {
        kind,
        recipient: address.to_owned(),
        subject: "Hộp thư điện tử công vụ đã được tạo".to_owned(),
        body: letter(full_name, &text, kind.sender()),
        about: None,
        dedup_key: None,
    }
}
