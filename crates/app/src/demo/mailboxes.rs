//! The demo province's official e-mail: the domain `travinh.gov.vn` with
//! the agency suffix in persons' addresses, and a box for each demo
//! person whose e-mail is on it — boxes from before egov kept the
//! registry, so they come in active, without a request, and wait for the
//! first provisioning to reach a mail server.

use domain::mail::mailboxes::{MIN_QUOTA_MIB, Mailbox, MailboxKind, MailboxStatus};
use store::mail::mailboxes::MailboxEvent;
use time::macros::{date, datetime};

use crate::{App, AppError, Ctx};

const DOMAIN: &str = "travinh.gov.vn";
/// When the province's boxes were first made, for the demo.
const OPENED: time::OffsetDateTime = datetime!(2015-01-05 01:00 UTC);

impl App {
    pub(super) async fn load_demo_mailboxes(&self, ctx: &Ctx) -> Result<(), AppError> {
        if self.store.read().await?.mail_domains().await?.is_empty() {
            self.add_mail_domain(ctx, DOMAIN, true, date!(2010 - 01 - 01))
                .await?;
        }
        let people = {
            let read = self.store.read().await?;
            let agencies: Vec<_> = self.all_agencies().await?.iter().map(|a| a.id).collect();
            read.people_in(&agencies).await?
        };
        let mut tx = self.store.write().await?;
        let mut imported = Vec::new();
        for person in people {
            if !person.email.ends_with(&format!("@{DOMAIN}"))
                || tx.mailbox_by_address(&person.email).await?.is_some()
            {
                continue;
            }
            let mailbox = Mailbox {
                id: 0,
                address: person.email.clone(),
                kind: MailboxKind::Person,
                agency_id: person.agency_id,
                person_id: Some(person.id),
                display_name: person.full_name.clone(),
                quota_mib: MIN_QUOTA_MIB,
                status: MailboxStatus::Active,
                aliases: Vec::new(),
                password_hash: None,
                revision: 1,
                synced_revision: 0,
                request_id: None,
                requested_at: OPENED,
                activated_at: Some(OPENED),
                closed_at: None,
            };
            let id = tx.insert_mailbox(&mailbox).await?;
            tx.insert_mailbox_event(
                id,
                &MailboxEvent {
                    at: OPENED,
                    person_id: None,
                    action: "imported".into(),
                    note: "Hộp thư có từ trước khi dùng egov".into(),
                },
            )
            .await?;
            imported.push(mailbox.address);
        }
        if !imported.is_empty() {
            crate::audit::record(
                &mut tx,
                self,
                ctx,
                crate::audit::Change {
                    action: "mail.mailbox.import",
                    object_type: "mailbox",
                    object_id: String::new(),
                    before: None,
                    after: Some(serde_json::json!({ "addresses": imported })),
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
