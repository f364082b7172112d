//! Sign-in rules: the password policy and the lockout after failed attempts.
//!
//! Invariant: these rules decide; the app hashes and stores. A locked
//! account refuses even the right password until it is unlocked.

use time::{Duration, OffsetDateTime};

/// The shortest password accepted (the province's rule: at least 9).
pub const MIN_PASSWORD_CHARS: usize = 9;

/// Why a new password is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordPolicyError {
    #[error("Mật khẩu phải có ít nhất 9 ký tự")]
    TooShort,
    #[error(
        "Mật khẩu phải có ít nhất ba trong bốn loại ký tự: chữ hoa, chữ thường, chữ số, ký tự đặc biệt"
    )]
    TooFewClasses,
    #[error("Mật khẩu không được chứa địa chỉ thư điện tử hoặc tên đăng nhập")]
    ContainsIdentity,
}

/// Checks a new password: at least 9 characters of at least three of the
/// four classes (upper, lower, digit, other), not containing the user's
/// mailbox name.
pub fn check_password_policy(password: &str, email: &str) -> Result<(), PasswordPolicyError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(PasswordPolicyError::TooShort);
    }
    let classes = [
        password.chars().any(char::is_uppercase),
        password.chars().any(char::is_lowercase),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ];
    if classes.iter().filter(|&&has| has).count() < 3 {
        return Err(PasswordPolicyError::TooFewClasses);
    }
    let local = email.split('@').next().unwrap_or_default().to_lowercase();
    if local.len() >= 4 && password.to_lowercase().contains(&local) {
        return Err(PasswordPolicyError::ContainsIdentity);
    }
    Ok(())
}

/// When failed sign-ins lock an account, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    /// Failed attempts in a row that lock the account (the rule: 12).
    pub max_failures: u32,
    /// How long a lock lasts unless an administrator lifts it sooner.
    pub lock_for: Duration,
}

impl Default for LockoutPolicy {
    fn default() -> Self {
        Self {
            max_failures: 12,
            lock_for: Duration::minutes(30),
        }
    }
}

/// The sign-in state of an account, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LoginState {
    pub failed_in_a_row: u32,
    pub locked_until: Option<OffsetDateTime>,
}

impl LoginState {
    /// Whether the account is locked at `now`.
    pub fn is_locked(&self, now: OffsetDateTime) -> bool {
        self.locked_until.is_some_and(|until| now < until)
    }

    /// The state after a failed attempt at `now`.
    pub fn after_failure(self, now: OffsetDateTime, policy: LockoutPolicy) -> Self {
        // A lock that has run out starts a fresh count.
        let failed = if self.locked_until.is_some_and(|until| now >= until) {
            1
        } else {
            self.failed_in_a_row + 1
        };
        let locked_until = if failed >= policy.max_failures {
            Some(now + policy.lock_for)
        } else {
            None
        };
        Self {
            failed_in_a_row: failed,
            locked_until,
        }
    }

    /// The state after a successful sign-in.
    pub fn after_success() -> Self {
        Self::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn password_policy() {
        assert_eq!(
            check_password_policy("Abc12345", "x@y.vn"),
            Err(PasswordPolicyError::TooShort)
        );
        assert_eq!(
            check_password_policy("abcdefghij", "x@y.vn"),
            Err(PasswordPolicyError::TooFewClasses)
        );
        assert_eq!(
            check_password_policy("abcdefgh1", "x@y.vn"),
            Err(PasswordPolicyError::TooFewClasses)
        );
        assert_eq!(check_password_policy("Abcdefgh1", "x@y.vn"), Ok(()));
        assert_eq!(check_password_policy("abcdefg1!", "x@y.vn"), Ok(()));
        assert_eq!(check_password_policy("Mậtkhẩu2021", "x@y.vn"), Ok(()));
        assert_eq!(
            check_password_policy("Thanhnn.2021", "thanhnn@travinh.gov.vn"),
            Err(PasswordPolicyError::ContainsIdentity)
        );
    }

    #[test]
    fn twelve_failures_lock() {
        let policy = LockoutPolicy::default();
        let now = datetime!(2021-04-05 08:00 +7);
        let mut state = LoginState::default();
        for attempt in 1..=11 {
            state = state.after_failure(now, policy);
            assert!(!state.is_locked(now), "attempt {attempt}");
        }
        state = state.after_failure(now, policy);
        assert!(state.is_locked(now));
        assert!(state.is_locked(now + Duration::minutes(29)));
        assert!(!state.is_locked(now + Duration::minutes(30)));
        // After the lock runs out, one more failure does not lock again at once.
        let later = state.after_failure(now + Duration::minutes(31), policy);
        assert_eq!(later.failed_in_a_row, 1);
        assert!(!later.is_locked(now + Duration::minutes(31)));
    }
}

/// How a session was opened, which decides how it is presented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SessionKind {
    /// A browser sign-in: an HttpOnly cookie plus a CSRF token for forms.
    Browser,
    /// An API token sent as `Authorization: Bearer`.
    Api,
}

impl SessionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Browser => "browser",
            Self::Api => "api",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "browser" => Some(Self::Browser),
            "api" => Some(Self::Api),
            _ => None,
        }
    }
}

/// A server-side session. Only the SHA-256 of the secret token is stored,
/// so that a copy of the database does not let anyone sign in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Hex SHA-256 of the token the client holds.
    pub token_hash: String,
    pub person_id: crate::people::PersonId,
    pub kind: SessionKind,
    /// The token forms must echo back (not secret from the page itself).
    pub csrf_token: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub source: Option<String>,
}

impl Session {
    pub fn is_live(&self, now: OffsetDateTime) -> bool {
        now < self.expires_at
    }
}

/// What the store keeps to check a sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Credentials {
    /// PHC string of the argon2id hash; `None` until a password is set.
    pub password_hash: Option<String>,
    pub login: LoginState,
    /// Base32 TOTP secret when the second factor is on.
    pub totp_secret: Option<String>,
}
