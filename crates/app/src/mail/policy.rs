//! Sign-in lockout at the mail server (DOMAIN.md §8: locked after 12
//! failed logins). Dovecot asks egov, as its authentication policy
//! server, before each sign-in whether the box may try, and reports
//! after it whether it succeeded; egov keeps the count on the box with
//! the staff's lockout state machine (`domain::auth::LoginState`), so a
//! box locks across every IMAP and SMTP server of the province.

use domain::auth::{LockoutPolicy, LoginState};
use store::mail::mailboxes::MailboxEvent;
use time::Duration;

use crate::{App, AppError};

/// What Dovecot asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyCommand {
    /// May this sign-in go ahead?
    Allow,
    /// This sign-in succeeded or failed; `refused` when egov's own
    /// answer refused it, which does not count again.
    Report { success: bool, refused: bool },
}

/// egov's answer: Dovecot refuses a negative status with `message` as the
/// reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyVerdict {
    pub status: i32,
    pub message: String,
}

impl PolicyVerdict {
    fn allow() -> Self {
        Self {
            status: 0,
            message: String::new(),
        }
    }
}

impl App {
    /// Whether `key` is the configured policy key (compared by digest, so
    /// the time taken says nothing of how much of it matched).
    pub fn mail_policy_key_ok(&self, key: &str) -> bool {
        use sha2::{Digest, Sha256};
        let want = self.config.mail.policy_key.expose();
        !want.is_empty() && Sha256::digest(want.as_bytes()) == Sha256::digest(key.as_bytes())
    }

    /// Answers Dovecot's question about a sign-in as `login`. A login
    /// that is no box of the registry is left to Dovecot (it refuses it).
    pub async fn mail_login_policy(
        &self,
        login: &str,
        command: PolicyCommand,
    ) -> Result<PolicyVerdict, AppError> {
        let address = login.trim().to_ascii_lowercase();
        let now = domain::to_stored_precision(self.now());
        if command == PolicyCommand::Allow {
            let read = self.store.read().await?;
            let locked = match read.mailbox_by_address(&address).await? {
                Some(mailbox) => read.mailbox_login(mailbox.id).await?.is_locked(now),
                None => false,
            };
            return Ok(if locked {
                PolicyVerdict {
                    status: -1,
                    message: "Hộp thư tạm khóa do đăng nhập sai nhiều lần".into(),
                }
            } else {
                PolicyVerdict::allow()
            });
        }
        let tx = self.store.write().await?;
        let Some(mailbox) = tx.mailbox_by_address(&address).await? else {
            return Ok(PolicyVerdict::allow());
        };
        let state = tx.mailbox_login(mailbox.id).await?;
        match command {
            PolicyCommand::Allow | PolicyCommand::Report { refused: true, .. } => {}
            PolicyCommand::Report { success: true, .. } => {
                if state != LoginState::default() {
                    tx.set_mailbox_login(mailbox.id, LoginState::after_success())
                        .await?;
                }
            }
            PolicyCommand::Report { success: false, .. } => {
                let policy = LockoutPolicy {
                    max_failures: self.config.auth.max_failures,
                    lock_for: Duration::minutes(i64::from(self.config.auth.lock_minutes)),
                };
                let next = state.after_failure(now, policy);
                tx.set_mailbox_login(mailbox.id, next).await?;
                if next.is_locked(now) && !state.is_locked(now) {
                    tx.insert_mailbox_event(
                        mailbox.id,
                        &MailboxEvent {
                            at: now,
                            person_id: None,
                            action: "locked".into(),
                            note: format!("{} lần đăng nhập sai liên tiếp", next.failed_in_a_row),
                        },
                    )
                    .await?;
                }
            }
        }
        tx.commit().await?;
        Ok(PolicyVerdict::allow())
    }
}
