//! Synchronisation with the national public-service portal (issue 8,
//! item 6): every dossier received and every change of one is queued, in
//! the write transaction of the change itself, as the portal's records
//! (`domain::portal_sync`); a job sends the queue in order per dossier,
//! trying again later when the portal refuses or is down.
//!
//! Invariant: a record exists exactly when its change was committed (the
//! same transaction), and a dossier's record is never sent before an
//! earlier one of the same dossier went through. A record may be sent
//! more than once (a server dying between the send and its bookkeeping):
//! each carries its stable key for the portal to de-duplicate on.

use std::future::Future;

use domain::portal_sync::{OutboxEntry, Step, entries_for, entry_key, judge_answer, retry_delay};
use domain::services::Dossier;
use store::Tx;

use crate::{App, AppError, Ctx};

/// Entries looked at per round of a run.
const BATCH: u64 = 100;
/// How long a run holds the entries it is sending before another
/// server's run may take them.
const CLAIM: time::Duration = time::Duration::minutes(2);

/// Sends one outbox entry to the portal: its key (for de-duplication) and
/// JSON body. The answer's status and body, or why there was none.
pub trait PortalSender: Send + Sync {
    fn send(
        &self,
        key: &str,
        body: &str,
    ) -> impl Future<Output = Result<(u16, Vec<u8>), String>> + Send;
}

/// What one run of the delivery job did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SyncRun {
    pub delivered: u64,
    pub failed: u64,
}

impl App {
    /// Queues the portal's records of `dossier` as it now stands, inside
    /// the transaction `tx` that changed it; `note` says what was done.
    /// The first record of a dossier is the new dossier; later ones are
    /// the updated dossier and the step.
    pub(crate) async fn enqueue_portal_sync(
        &self,
        tx: &Tx,
        ctx: &Ctx,
        dossier: &Dossier,
        note: &str,
    ) -> Result<(), AppError> {
        let procedure = tx
            .procedure(dossier.procedure_id)
            .await?
            .ok_or(AppError::NotFound("thủ tục"))?;
        let agency = tx
            .agency(dossier.agency_id)
            .await?
            .ok_or(AppError::NotFound("cơ quan"))?;
        let person = match &ctx.actor {
            Some(actor) => tx.person(actor.person_id).await?,
            None => None,
        };
        let now = domain::to_stored_precision(self.now());
        let step = Step {
            handler: person
                .as_ref()
                .map_or_else(|| ctx.actor_label.clone(), |p| p.full_name.clone()),
            position: person.map(|p| p.position).unwrap_or_default(),
            at: now,
            note: if note.is_empty() {
                dossier.status.label().to_owned()
            } else {
                note.to_owned()
            },
        };
        let mut sequence = tx.next_outbox_sequence(dossier.id).await?;
        let entries = entries_for(dossier, &procedure, &agency, sequence == 1, &step)
            .map_err(|e| AppError::Internal(format!("bản ghi đồng bộ: {e}")))?;
        for (service, payload) in entries {
            tx.insert_outbox_entry(&OutboxEntry {
                id: 0,
                dossier_id: dossier.id,
                sequence,
                key: entry_key(&dossier.code, sequence),
                service,
                payload,
                created_at: now,
                attempts: 0,
                next_attempt_at: now,
                last_error: None,
                delivered_at: None,
            })
            .await?;
            sequence += 1;
        }
        Ok(())
    }

    /// Sends what is due in the outbox through `sender`, each dossier's
    /// entries in order, until nothing is due: an entry the portal takes
    /// is marked delivered (and its dossier's next one becomes due); one
    /// it refuses, or that cannot reach it, keeps its error and waits
    /// ([`domain::portal_sync::retry_delay`]), holding back the entries
    /// after it.
    pub async fn deliver_portal_sync(
        &self,
        sender: &impl PortalSender,
    ) -> Result<SyncRun, AppError> {
        let mut run = SyncRun::default();
        loop {
            let now = domain::to_stored_precision(self.now());
            let tx = self.store.write().await?;
            let due = tx.outbox_due(now, BATCH).await?;
            let ids: Vec<i64> = due.iter().map(|e| e.id).collect();
            tx.claim_outbox_entries(&ids, now + CLAIM).await?;
            tx.commit().await?;
            if due.is_empty() {
                return Ok(run);
            }
            for mut entry in due {
                let answer = sender.send(&entry.key, &entry.payload).await;
                let verdict = answer.and_then(|(status, body)| judge_answer(status, &body));
                let at = domain::to_stored_precision(self.now());
                entry.attempts += 1;
                let result = match verdict {
                    Ok(()) => {
                        run.delivered += 1;
                        Ok(at)
                    }
                    Err(error) => {
                        run.failed += 1;
                        tracing::warn!(key = %entry.key, %error, "portal sync refused");
                        Err((error, at + retry_delay(entry.attempts)))
                    }
                };
                let tx = self.store.write().await?;
                tx.record_outbox_attempt(&entry, result).await?;
                tx.commit().await?;
            }
        }
    }
}
