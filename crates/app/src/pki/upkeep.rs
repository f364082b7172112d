//! The CA's hourly upkeep: renewal reminders (in the app and by e-mail)
//! to holders whose certificate is about to expire, CRLs re-signed before they lapse, and OCSP answers
//! re-signed before theirs do.

use domain::people::{PersonStatus, Role};
use domain::pki::{CertificateRecord, Holder};
use time::Duration;

use super::{ISSUING, ROOT};
use crate::audit::{Change, record};
use crate::mail::outbox;
use crate::{App, AppError, Ctx};

/// Pre-signed answers re-signed per run: the job runs hourly, and an
/// answer lives `ocsp_hours`, so a large CA is refreshed over a few runs.
const OCSP_BATCH: u64 = 5_000;

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Upkeep {
    pub reminders: usize,
    pub crls: usize,
    pub ocsp_answers: usize,
}

impl App {
    /// Runs the upkeep once. A CA not set up yet has nothing to keep.
    pub async fn pki_upkeep(&self) -> Result<Upkeep, AppError> {
        if self.authorities().await?.is_empty() {
            return Ok(Upkeep::default());
        }
        let mut done = Upkeep {
            reminders: self.send_certificate_reminders().await?,
            ..Upkeep::default()
        };
        let now = self.now();
        let margin = Duration::hours(i64::from(self.config.pki.crl_hours)) / 4;
        for name in [ROOT, ISSUING] {
            let authority = self.store.read().await?.authority(name).await?;
            if authority
                .and_then(|a| a.crl_next_update)
                .is_none_or(|next| next - margin <= now)
            {
                self.refresh_crl(name).await?;
                done.crls += 1;
            }
        }
        let ca = self.ca().await?;
        let soon = now + Duration::hours(i64::from(self.config.pki.ocsp_hours)) / 4;
        let mut tx = self.store.write().await?;
        for serial in tx.stale_ocsp_answers(now, soon, OCSP_BATCH).await? {
            if let Some(record) = tx.certificate(&serial).await? {
                self.presign_ocsp(&mut tx, &ca, &record, domain::to_stored_precision(now))
                    .await?;
                done.ocsp_answers += 1;
            }
        }
        tx.commit().await?;
        Ok(done)
    }

    /// One in-app reminder per certificate and person, to the holder (for
    /// an agency's certificate, its clerks), when it enters the reminder
    /// period, and the same by e-mail (its dedup key also once per
    /// certificate and person).
    async fn send_certificate_reminders(&self) -> Result<usize, AppError> {
        let ctx = Ctx::system("job:pki");
        let now = domain::to_stored_precision(self.now());
        let until = now + Duration::days(i64::from(self.config.pki.reminder_days));
        let mut tx = self.store.write().await?;
        let mut made = 0;
        for certificate in tx.expiring(now, until).await? {
            for person in self.reminded(&tx, &certificate).await? {
                let text = reminder_text(&certificate);
                if tx
                    .insert_certificate_reminder(&certificate.serial, person, &text, now)
                    .await?
                {
                    let change = Change {
                        action: "pki.remind",
                        object_type: "certificate",
                        object_id: certificate.serial.clone(),
                        before: None,
                        after: Some(serde_json::json!({ "person": person, "text": text })),
                    };
                    record(&mut tx, self, &ctx, change).await?;
                    if let Some(person) = tx.person(person).await? {
                        let mail = outbox::certificate_expiry(&person, &certificate, &text);
                        outbox::enqueue(&tx, &mail, now).await?;
                    }
                    made += 1;
                }
            }
        }
        tx.commit().await?;
        self.send_mail_now().await;
        Ok(made)
    }

    async fn reminded(
        &self,
        tx: &store::Tx,
        certificate: &CertificateRecord,
    ) -> Result<Vec<i64>, AppError> {
        Ok(match certificate.holder {
            Holder::Person(id) => vec![id],
            Holder::Agency(agency) => tx
                .people_in(&[agency])
                .await?
                .into_iter()
                .filter(|p| {
                    p.status == PersonStatus::Active
                        && p.grants
                            .iter()
                            .any(|g| g.role == Role::Clerk && g.agency_id == agency)
                })
                .map(|p| p.id)
                .collect(),
            Holder::Service => Vec::new(),
        })
    }

    /// The signed-in person's renewal reminders: (serial, text).
    pub async fn my_certificate_reminders(
        &self,
        ctx: &Ctx,
    ) -> Result<Vec<(String, String)>, AppError> {
        let Some(actor) = &ctx.actor else {
            return Ok(Vec::new());
        };
        Ok(self
            .store
            .read()
            .await?
            .certificate_reminders(actor.person_id, self.now())
            .await?)
    }
}

fn reminder_text(certificate: &CertificateRecord) -> String {
    format!(
        "Chứng thư số {} của {} hết hạn ngày {}: hãy đề nghị gia hạn.",
        certificate.serial,
        certificate.subject,
        vn::dates::format_short(vn::dates::vietnam_date(certificate.not_after))
    )
}
