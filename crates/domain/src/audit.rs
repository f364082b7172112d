//! The audit trail (nhật ký): who changed what, when and from where.
//!
//! Invariant: entries are append-only and hash-chained. Each entry's hash
//! covers its own fields and the previous entry's hash, so altering,
//! removing or reordering any stored entry breaks verification at that
//! entry. The chain's head (last sequence and hash) is kept apart, so that
//! removing the newest entries is detected too.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::people::PersonId;
use crate::to_stored_precision;

/// The `prev_hash` of the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened, before it is chained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// The person who acted; `None` for the system or a job.
    pub actor_id: Option<PersonId>,
    /// How the actor is named in the trail: an e-mail, `cli`, `job:demo`.
    pub actor_label: String,
    /// A stable verb, e.g. `agency.create`, `person.unlock`, `auth.login_failed`.
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    /// Where the request came from (IP address), if over the network.
    pub source: Option<String>,
    /// SHA-256 of the object's canonical JSON before and after the change.
    pub before_digest: Option<String>,
    pub after_digest: Option<String>,
}

/// A chained entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: i64,
    /// In whole seconds: the precision egov stores every moment in.
    pub at: OffsetDateTime,
    pub event: AuditEvent,
    pub prev_hash: String,
    pub hash: String,
}

/// SHA-256 of a value's canonical JSON (object keys sorted), as hex.
pub fn digest_json(value: &serde_json::Value) -> String {
    // serde_json without `preserve_order` keeps object keys sorted, which
    // makes this serialisation canonical.
    hex::encode(Sha256::digest(value.to_string().as_bytes()))
}

/// The hash of an entry with these contents following `prev_hash`.
pub fn entry_hash(seq: i64, at: OffsetDateTime, event: &AuditEvent, prev_hash: &str) -> String {
    let mut hasher = Sha256::new();
    let mut field = |bytes: &[u8]| {
        // Length-prefixed, so that no two field lists share an encoding.
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    field(b"egov-audit-v1");
    field(&seq.to_le_bytes());
    field(&to_stored_precision(at).unix_timestamp_nanos().to_le_bytes());
    field(
        event
            .actor_id
            .map(|id| id.to_string())
            .unwrap_or_default()
            .as_bytes(),
    );
    field(event.actor_label.as_bytes());
    field(event.action.as_bytes());
    field(event.object_type.as_bytes());
    field(event.object_id.as_bytes());
    field(event.source.as_deref().unwrap_or_default().as_bytes());
    field(
        event
            .before_digest
            .as_deref()
            .unwrap_or_default()
            .as_bytes(),
    );
    field(event.after_digest.as_deref().unwrap_or_default().as_bytes());
    field(prev_hash.as_bytes());
    hex::encode(hasher.finalize())
}

/// Chains an event after the entry `(prev_seq, prev_hash)`.
pub fn chain(event: AuditEvent, at: OffsetDateTime, prev_seq: i64, prev_hash: &str) -> AuditEntry {
    let seq = prev_seq + 1;
    let at = to_stored_precision(at);
    let hash = entry_hash(seq, at, &event, prev_hash);
    AuditEntry {
        seq,
        at,
        event,
        prev_hash: prev_hash.to_owned(),
        hash,
    }
}

/// The first place where a stored chain is broken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    #[error("mục nhật ký số {expected} bị thiếu (gặp số {found})")]
    Missing { expected: i64, found: i64 },
    #[error("mục nhật ký số {seq} đã bị sửa (mã băm không khớp)")]
    Altered { seq: i64 },
    #[error("mục nhật ký số {seq} không nối với mục trước (mã băm trước không khớp)")]
    Unlinked { seq: i64 },
    #[error(
        "nhật ký dừng ở mục số {last} nhưng đầu chuỗi ghi mục số {head}: các mục cuối đã bị xóa hoặc sửa"
    )]
    Truncated { last: i64, head: i64 },
}

/// Verifies entries fed in sequence order, one page at a time.
#[derive(Debug, Clone)]
pub struct ChainVerifier {
    last_seq: i64,
    last_hash: String,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self {
            last_seq: 0,
            last_hash: GENESIS_HASH.to_owned(),
        }
    }
}

impl ChainVerifier {
    /// Checks the next entry.
    pub fn feed(&mut self, entry: &AuditEntry) -> Result<(), ChainBreak> {
        let expected = self.last_seq + 1;
        if entry.seq != expected {
            return Err(ChainBreak::Missing {
                expected,
                found: entry.seq,
            });
        }
        if entry.prev_hash != self.last_hash {
            return Err(ChainBreak::Unlinked { seq: entry.seq });
        }
        if entry_hash(entry.seq, entry.at, &entry.event, &entry.prev_hash) != entry.hash {
            return Err(ChainBreak::Altered { seq: entry.seq });
        }
        self.last_seq = entry.seq;
        self.last_hash.clone_from(&entry.hash);
        Ok(())
    }

    /// Checks that the chain ends where the stored head says; returns the
    /// number of entries verified.
    pub fn finish(self, head_seq: i64, head_hash: &str) -> Result<i64, ChainBreak> {
        if self.last_seq != head_seq || self.last_hash != head_hash {
            return Err(ChainBreak::Truncated {
                last: self.last_seq,
                head: head_seq,
            });
        }
        Ok(self.last_seq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn event(action: &str) -> AuditEvent {
        AuditEvent {
            actor_id: Some(7),
            actor_label: "thanhnn@travinh.gov.vn".into(),
            action: action.into(),
            object_type: "agency".into(),
            object_id: "12".into(),
            source: Some("127.0.0.1".into()),
            before_digest: None,
            after_digest: Some(digest_json(&serde_json::json!({"b": 1, "a": "Sở"}))),
        }
    }

    fn sample_chain() -> Vec<AuditEntry> {
        let at = datetime!(2021-04-05 08:00:00.123456789 +7);
        let mut out: Vec<AuditEntry> = Vec::new();
        for action in ["agency.create", "person.create", "person.unlock"] {
            let (seq, hash) = out
                .last()
                .map_or((0, GENESIS_HASH.to_owned()), |e| (e.seq, e.hash.clone()));
            out.push(chain(event(action), at, seq, &hash));
        }
        out
    }

    fn verify(entries: &[AuditEntry], head: (i64, &str)) -> Result<i64, ChainBreak> {
        let mut verifier = ChainVerifier::default();
        for entry in entries {
            verifier.feed(entry)?;
        }
        verifier.finish(head.0, head.1)
    }

    #[test]
    fn intact_chain_verifies() {
        let entries = sample_chain();
        assert_eq!(entries[0].at.nanosecond(), 0);
        assert_eq!(entries[0].at.offset(), time::UtcOffset::UTC);
        let head = entries.last().unwrap();
        assert_eq!(verify(&entries, (head.seq, &head.hash)), Ok(3));
        assert_eq!(verify(&[], (0, GENESIS_HASH)), Ok(0));
    }

    #[test]
    fn every_kind_of_tampering_is_found() {
        let entries = sample_chain();
        let head = (3, entries[2].hash.clone());

        let mut altered = entries.clone();
        altered[1].event.action = "person.delete".into();
        assert_eq!(
            verify(&altered, (head.0, &head.1)),
            Err(ChainBreak::Altered { seq: 2 })
        );

        let mut rehashed = altered.clone();
        rehashed[1].hash = entry_hash(
            2,
            rehashed[1].at,
            &rehashed[1].event,
            &rehashed[1].prev_hash,
        );
        assert_eq!(
            verify(&rehashed, (head.0, &head.1)),
            Err(ChainBreak::Unlinked { seq: 3 })
        );

        let mut removed = entries.clone();
        removed.remove(1);
        assert_eq!(
            verify(&removed, (head.0, &head.1)),
            Err(ChainBreak::Missing {
                expected: 2,
                found: 3
            })
        );

        assert_eq!(
            verify(&entries[..2], (head.0, &head.1)),
            Err(ChainBreak::Truncated { last: 2, head: 3 })
        );
    }

    #[test]
    fn json_digest_ignores_key_order() {
        let a: serde_json::Value = serde_json::from_str(r#"{"a":1,"b":[1,2]}"#).unwrap();
        let b: serde_json::Value = serde_json::from_str(r#"{"b":[1,2],"a":1}"#).unwrap();
        assert_eq!(digest_json(&a), digest_json(&b));
    }
}
