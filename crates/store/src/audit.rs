//! Queries of the audit trail: appending chained entries and reading them
//! back in order for verification and display.

use domain::audit::{AuditEntry, AuditEvent, chain};

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use time::OffsetDateTime;

use crate::entities::audit_entry;
use crate::{StoreError, Tx};

fn to_domain(row: audit_entry::Model) -> AuditEntry {
    AuditEntry {
        seq: row.seq,
        at: row.at,
        event: AuditEvent {
            actor_id: row.actor_id,
            actor_label: row.actor_label,
            action: row.action,
            object_type: row.object_type,
            object_id: row.object_id,
            source: row.source,
            before_digest: row.before_digest,
            after_digest: row.after_digest,
        },
        prev_hash: row.prev_hash,
        hash: row.hash,
    }
}

impl Tx {
    /// Appends an event to the chain. Only a write transaction may.
    pub async fn append_audit(
        &mut self,
        event: AuditEvent,
        at: OffsetDateTime,
    ) -> Result<AuditEntry, StoreError> {
        let head = self.head.as_mut().ok_or_else(|| {
            StoreError::Corrupt("audit entry written outside a write transaction".into())
        })?;
        let entry = chain(event, at, head.seq, &head.hash);
        head.seq = entry.seq;
        head.hash.clone_from(&entry.hash);
        head.changed = true;
        let e = &entry.event;
        audit_entry::ActiveModel {
            seq: Set(entry.seq),
            at: Set(entry.at),
            actor_id: Set(e.actor_id),
            actor_label: Set(e.actor_label.clone()),
            action: Set(e.action.clone()),
            object_type: Set(e.object_type.clone()),
            object_id: Set(e.object_id.clone()),
            source: Set(e.source.clone()),
            before_digest: Set(e.before_digest.clone()),
            after_digest: Set(e.after_digest.clone()),
            prev_hash: Set(entry.prev_hash.clone()),
            hash: Set(entry.hash.clone()),
        }
        .insert(self.conn())
        .await?;
        Ok(entry)
    }

    /// The stored head of the chain: last sequence number and hash.
    pub async fn audit_head(&self) -> Result<(i64, String), StoreError> {
        crate::tx::read_head(self.conn()).await
    }

    /// Up to `limit` entries after `after_seq`, in order.
    pub async fn audit_page(
        &self,
        after_seq: i64,
        limit: u64,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        Ok(audit_entry::Entity::find()
            .filter(audit_entry::Column::Seq.gt(after_seq))
            .order_by_asc(audit_entry::Column::Seq)
            .limit(limit)
            .all(self.conn())
            .await?
            .into_iter()
            .map(to_domain)
            .collect())
    }

    /// The newest entries about one object, newest first.
    pub async fn audit_of(
        &self,
        object_type: &str,
        object_id: &str,
        limit: u64,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        Ok(audit_entry::Entity::find()
            .filter(audit_entry::Column::ObjectType.eq(object_type))
            .filter(audit_entry::Column::ObjectId.eq(object_id))
            .order_by_desc(audit_entry::Column::Seq)
            .limit(limit)
            .all(self.conn())
            .await?
            .into_iter()
            .map(to_domain)
            .collect())
    }
}
