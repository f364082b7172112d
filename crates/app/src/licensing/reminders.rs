//! Expiry reminders: a licence in force whose expiry enters its kind's
//! window gets one e-mail to its holder, once per licence and expiry
//! date however often the job runs — the outbox's unique dedup key
//! `licence_expiry:{id}:{valid_until}` keeps it single. A renewed or
//! revoked licence is no longer in force and gets none. The serve loop
//! runs it hourly with the other reminders.

use domain::licensing::Licence;
use domain::mail::outbox::{About, MailKind, NewMail, letter};

use crate::audit::{Change, record};
use crate::mail::outbox;
use crate::{App, AppError, Ctx};

impl App {
    /// Queues the reminders due today; says how many were queued.
    pub async fn send_licence_reminders(&self) -> Result<usize, AppError> {
        let ctx = Ctx::system("job:licensing");
        let today = self.today();
        let due: Vec<Licence> = self
            .expiring(None)
            .await?
            .into_iter()
            .filter(|l| l.holder.email.is_some() && l.due_for_renewal(today))
            .collect();
        if due.is_empty() {
            return Ok(0);
        }
        let now = domain::to_stored_precision(self.now());
        let mut tx = self.store.write().await?;
        let mut made = 0;
        for licence in &due {
            let Some(mail) = reminder(licence) else {
                continue;
            };
            if outbox::enqueue(&tx, &mail, now).await?.is_some() {
                let change = Change {
                    action: "licence.remind",
                    object_type: "licence",
                    object_id: licence.id.to_string(),
                    before: None,
                    after: Some(serde_json::json!({
                        "recipient": mail.recipient,
                        "valid_until": licence.valid_until,
                    })),
                };
                record(&mut tx, self, &ctx, change).await?;
                made += 1;
            }
        }
        tx.commit().await?;
        if made > 0 {
            self.send_mail_now().await;
        }
        Ok(made)
    }
}

/// The mail reminding `licence`'s holder to renew it, if it has an
/// e-mail and an expiry.
fn reminder(licence: &Licence) -> Option<NewMail> {
    let recipient = licence.holder.email.clone()?;
    let until = licence.valid_until?;
    let kind = MailKind::LicenceExpiry;
    let expiry = vn::dates::format_short(until);
    let text = format!(
        "{label} số {number} cấp ngày {issued} ({subject}) hết hạn ngày {expiry}.\n\nĐể tiếp tục hoạt động, xin làm thủ tục gia hạn trước ngày hết hạn tại Bộ phận tiếp nhận và trả kết quả hoặc trên Cổng dịch vụ công của tỉnh.",
        label = licence.kind.label(),
        number = licence.number,
        issued = vn::dates::format_short(licence.issued_on),
        subject = licence.subject,
    );
    Some(NewMail {
        kind,
        recipient,
        subject: format!("Giấy phép số {} sắp hết hạn ({expiry})", licence.number),
        body: letter(&licence.holder.name, &text, kind.sender()),
        about: Some(About::Licence(licence.id)),
        dedup_key: Some(format!("{}:{}:{until}", kind.as_str(), licence.id)),
    })
}
