//! External signing (ký số từ xa bằng thiết bị của người ký): the server
//! prepares a PDF and keeps it as a signing session while the signer's own
//! token (USB or SIM) signs what the server asked it to sign; the signer
//! sends the signature back and the server completes the PDF.
//!
//! Invariant: a session belongs to one person, lives until its expiry,
//! and completes at most once.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::drafts::DraftId;
use crate::people::PersonId;

/// How long a prepared file waits for its signature: enough to plug in a
/// token and type a PIN, short enough that a lost session does not linger.
pub const SESSION_LIFETIME: Duration = Duration::minutes(15);

/// One prepared signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigningSession {
    /// Random, unguessable (hex).
    pub id: String,
    pub person_id: PersonId,
    /// The draft whose approved PDF is signed, and its version; `None`
    /// for a PDF of the person's own.
    pub draft: Option<(DraftId, u32)>,
    /// The serial of the signer's certificate.
    pub certificate: String,
    /// The file's name, as the signed file will be offered.
    pub name: String,
    /// The prepared file, in the blob store.
    pub prepared_sha256: String,
    /// The rest of the prepared state (byte range, digest, certificates,
    /// field), as the app keeps it.
    pub prepared: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    /// The signed file, once completed (in the blob store).
    pub signed_sha256: Option<String>,
    pub completed_at: Option<OffsetDateTime>,
}

/// Why a signature cannot be taken into a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    #[error("Phiên ký đã hết hạn; hãy bắt đầu lại")]
    Expired,
    #[error("Phiên ký đã hoàn tất trước đó")]
    Completed,
}

impl SigningSession {
    /// Whether a signature may complete the session at `now`.
    pub fn check_open(&self, now: OffsetDateTime) -> Result<(), SessionError> {
        if self.completed_at.is_some() {
            Err(SessionError::Completed)
        } else if now >= self.expires_at {
            Err(SessionError::Expired)
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_takes_one_signature_before_it_expires() {
        let at = OffsetDateTime::UNIX_EPOCH;
        let mut session = SigningSession {
            id: "ab".into(),
            person_id: 1,
            draft: None,
            certificate: "01".into(),
            name: "a.pdf".into(),
            prepared_sha256: String::new(),
            prepared: String::new(),
            created_at: at,
            expires_at: at + SESSION_LIFETIME,
            signed_sha256: None,
            completed_at: None,
        };
        let cases = [
            (at, Ok(())),
            (at + SESSION_LIFETIME - Duration::SECOND, Ok(())),
            (at + SESSION_LIFETIME, Err(SessionError::Expired)),
        ];
        for (now, expected) in cases {
            assert_eq!(session.check_open(now), expected);
        }
        session.completed_at = Some(at);
        assert_eq!(session.check_open(at), Err(SessionError::Completed));
    }
}
