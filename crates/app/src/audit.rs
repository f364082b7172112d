//! Writing to and verifying the audit trail.
//!
//! Invariant: every use case that changes data calls [`record`] inside the
//! same write transaction as the change.

use domain::audit::{AuditEvent, ChainBreak, ChainVerifier, digest_json};
use store::Tx;

use crate::{App, AppError, Ctx};

/// One change, as the audit trail describes it.
#[derive(Debug)]
pub struct Change<'a> {
    pub action: &'a str,
    pub object_type: &'a str,
    pub object_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// Appends an entry for `change` made by `ctx` to the transaction.
pub async fn record(tx: &mut Tx, app: &App, ctx: &Ctx, change: Change<'_>) -> Result<(), AppError> {
    let event = AuditEvent {
        actor_id: ctx.actor.as_ref().map(|a| a.person_id),
        actor_label: ctx.actor_label.clone(),
        action: change.action.to_owned(),
        object_type: change.object_type.to_owned(),
        object_id: change.object_id,
        source: ctx.source.clone(),
        before_digest: change.before.as_ref().map(digest_json),
        after_digest: change.after.as_ref().map(digest_json),
    };
    tx.append_audit(event, app.now()).await?;
    Ok(())
}

/// How far a verification has come.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub checked: i64,
    pub total: i64,
}

impl App {
    /// Verifies the whole chain in one consistent snapshot. The outer error
    /// is a failure to read; the inner one the first broken entry.
    pub async fn verify_audit(
        &self,
        mut progress: impl FnMut(Progress),
    ) -> Result<Result<i64, ChainBreak>, AppError> {
        const PAGE: u64 = 5_000;
        let tx = self.store.read().await?;
        let (head_seq, head_hash) = tx.audit_head().await?;
        let mut verifier = ChainVerifier::default();
        let mut after = 0;
        loop {
            let page = tx.audit_page(after, PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.seq;
            for entry in &page {
                if let Err(broken) = verifier.feed(entry) {
                    return Ok(Err(broken));
                }
            }
            progress(Progress {
                checked: after,
                total: head_seq,
            });
        }
        tx.rollback().await?;
        Ok(verifier.finish(head_seq, &head_hash))
    }
}
