//! Sign-in, sessions, API tokens, passwords and the TOTP second factor.
//!
//! Invariant: only SHA-256 digests of session tokens are stored; passwords
//! only as argon2id hashes. Password checks run outside any transaction, so
//! a slow hash never holds the write lock; the lockout state is re-read and
//! updated inside the write transaction that records the attempt.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use domain::auth::{LockoutPolicy, LoginState, Session, SessionKind, check_password_policy};
use domain::authz::{Actor, Permission};
use domain::people::{Person, PersonId, PersonStatus};
use sha2::{Digest, Sha256};
use time::Duration;

use crate::audit::{Change, record};
use crate::{App, AppError, Ctx};

/// A fresh random token, hex-encoded (32 bytes: 256 bits).
pub fn random_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| AppError::Internal(format!("không lấy được số ngẫu nhiên: {e}")))?;
    Ok(hex::encode(bytes))
}

/// The digest under which a token's session is stored.
pub fn token_digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Hashes a password with argon2id and a random salt, as a PHC string.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| AppError::Internal(format!("không băm được mật khẩu: {e}")))
}

fn password_matches(password: &str, phc: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), phc)
        .is_ok()
}

/// A hash of no one's password, verified when the e-mail is unknown so that
/// the answer takes as long as for a known one.
static DECOY_HASH: std::sync::LazyLock<Option<String>> =
    std::sync::LazyLock::new(|| hash_password("decoy-password-for-timing").ok());

/// Whether `password` matches the PHC string `hash`, checked off the async
/// threads. Without a hash (an unknown e-mail, no password set) a decoy is
/// checked, so the answer takes as long as for a known account, and the
/// answer is no.
pub(crate) async fn password_ok(password: &str, hash: Option<String>) -> Result<bool, AppError> {
    let known = hash.is_some();
    let hash = hash.or_else(|| DECOY_HASH.clone());
    let password = password.to_owned();
    let matches =
        tokio::task::spawn_blocking(move || hash.is_some_and(|h| password_matches(&password, &h)))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(known && matches)
}

/// What a sign-in gives back: the secret token (shown to the client once)
/// and the stored session.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub session: Session,
}

/// A sign-in attempt.
#[derive(Debug, Clone)]
pub struct Login<'a> {
    pub email: &'a str,
    pub password: &'a str,
    /// The six-digit code, required when the second factor is on.
    pub totp_code: Option<&'a str>,
    pub kind: SessionKind,
    pub source: Option<String>,
}

/// A live session and whom it belongs to.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub session: Session,
    pub person: Person,
    pub actor: Actor,
    /// Whether the person writes or reviews on a portal site (their
    /// navigation shows the portal).
    pub portal_member: bool,
}

impl SignedIn {
    /// The context in which this person's requests run.
    pub fn ctx(&self, source: Option<String>) -> Ctx {
        Ctx {
            actor: Some(self.actor.clone()),
            actor_label: self.person.email.clone(),
            source,
        }
    }
}

impl App {
    pub(crate) fn lockout_policy(&self) -> LockoutPolicy {
        LockoutPolicy {
            max_failures: self.config.auth.max_failures,
            lock_for: Duration::minutes(i64::from(self.config.auth.lock_minutes)),
        }
    }

    /// Signs a person in and opens a session of the kind asked for.
    pub async fn login(&self, attempt: Login<'_>) -> Result<NewSession, AppError> {
        let email = attempt.email.trim().to_lowercase();
        let found = self.store.read().await?.person_for_login(&email).await?;
        let Some((person, creds)) = found else {
            password_ok(attempt.password, None).await?;
            return Err(AppError::BadCredentials);
        };
        let ctx = Ctx {
            actor: None,
            actor_label: email.clone(),
            source: attempt.source.clone(),
        };
        if creds.login.is_locked(self.now()) {
            return Err(AppError::Locked);
        }
        let password_ok = password_ok(attempt.password, creds.password_hash.clone()).await?;
        let totp_ok = match &creds.totp_secret {
            None => true,
            Some(secret) => attempt
                .totp_code
                .is_some_and(|code| self.totp_matches(secret, &person.email, code)),
        };
        let active = person.status == PersonStatus::Active;

        let mut tx = self.store.write().await?;
        // Read again under the write lock: other attempts may have run.
        let state = tx.credentials(person.id).await?.login;
        let now = self.now();
        if state.is_locked(now) {
            return Err(AppError::Locked);
        }
        if !(password_ok && totp_ok && active) {
            let next = state.after_failure(now, self.lockout_policy());
            tx.set_login_state(person.id, next).await?;
            let action = if next.is_locked(now) {
                "auth.locked"
            } else {
                "auth.login_failed"
            };
            let after = serde_json::json!({ "failed_in_a_row": next.failed_in_a_row });
            let change = Change {
                action,
                object_type: "person",
                object_id: person.id.to_string(),
                before: None,
                after: Some(after),
            };
            record(&mut tx, self, &ctx, change).await?;
            // Sessions already open stay open: a lock stops guessing, and
            // must not let a stranger sign the real owner out.
            tx.commit().await?;
            return Err(if next.is_locked(now) {
                AppError::Locked
            } else {
                AppError::BadCredentials
            });
        }
        if state != LoginState::after_success() {
            tx.set_login_state(person.id, LoginState::after_success())
                .await?;
        }
        let token = random_token()?;
        let lifetime = match attempt.kind {
            SessionKind::Browser => Duration::hours(i64::from(self.config.auth.session_hours)),
            SessionKind::Api => Duration::days(i64::from(self.config.auth.api_token_days)),
        };
        let session = Session {
            token_hash: token_digest(&token),
            person_id: person.id,
            kind: attempt.kind,
            csrf_token: random_token()?,
            created_at: domain::to_stored_precision(now),
            expires_at: domain::to_stored_precision(now + lifetime),
            source: attempt.source,
        };
        tx.insert_session(&session).await?;
        let action = match attempt.kind {
            SessionKind::Browser => "auth.login",
            SessionKind::Api => "auth.token_issued",
        };
        let change = Change {
            action,
            object_type: "person",
            object_id: person.id.to_string(),
            before: None,
            after: None,
        };
        record(&mut tx, self, &ctx, change).await?;
        tx.commit().await?;
        Ok(NewSession { token, session })
    }

    /// The live session a token opens, with its person.
    pub async fn signed_in(&self, token: &str) -> Result<SignedIn, AppError> {
        let tx = self.store.read().await?;
        let session = tx
            .session(&token_digest(token))
            .await?
            .ok_or(AppError::Unauthenticated)?;
        if !session.is_live(self.now()) {
            return Err(AppError::Unauthenticated);
        }
        let person = tx
            .person(session.person_id)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        if person.status != PersonStatus::Active {
            return Err(AppError::Unauthenticated);
        }
        let actor = Actor {
            person_id: person.id,
            agency_id: person.agency_id,
            grants: person.grants.clone(),
        };
        let portal_member = !tx.member_roles(person.id).await?.is_empty();
        Ok(SignedIn {
            session,
            person,
            actor,
            portal_member,
        })
    }

    /// Ends a session.
    pub async fn logout(
        &self,
        signed_in: &SignedIn,
        source: Option<String>,
    ) -> Result<(), AppError> {
        let mut tx = self.store.write().await?;
        tx.delete_session(&signed_in.session.token_hash).await?;
        let change = Change {
            action: "auth.logout",
            object_type: "person",
            object_id: signed_in.person.id.to_string(),
            before: None,
            after: None,
        };
        record(&mut tx, self, &signed_in.ctx(source), change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a person's password: their own, or anyone's for an administrator
    /// of their agency. Ends the person's other sessions.
    pub async fn set_password(
        &self,
        ctx: &Ctx,
        person_id: PersonId,
        password: &str,
    ) -> Result<(), AppError> {
        let person = self.person_for_change(ctx, person_id).await?;
        check_password_policy(password, &person.email).map_err(AppError::invalid)?;
        let password = password.to_owned();
        let hash = tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))??;
        let mut tx = self.store.write().await?;
        tx.set_password_hash(person_id, &hash).await?;
        tx.delete_sessions_of(person_id).await?;
        let change = Change {
            action: "person.set_password",
            object_type: "person",
            object_id: person_id.to_string(),
            before: None,
            after: None,
        };
        record(&mut tx, self, ctx, change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes one's own password, proving the current one first.
    pub async fn change_own_password(
        &self,
        ctx: &Ctx,
        current: &str,
        new: &str,
    ) -> Result<(), AppError> {
        let actor = ctx.actor.as_ref().ok_or(AppError::Forbidden)?;
        let creds = self
            .store
            .read()
            .await?
            .credentials(actor.person_id)
            .await?;
        let current = current.to_owned();
        let ok = match creds.password_hash {
            Some(hash) => tokio::task::spawn_blocking(move || password_matches(&current, &hash))
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?,
            None => false,
        };
        if !ok {
            return Err(AppError::Invalid("Mật khẩu hiện tại không đúng".into()));
        }
        self.set_password(ctx, actor.person_id, new).await
    }

    /// The sign-in state of a person the actor may see.
    pub async fn login_state(
        &self,
        ctx: &Ctx,
        person_id: PersonId,
    ) -> Result<LoginState, AppError> {
        self.person(ctx, person_id).await?;
        Ok(self.store.read().await?.credentials(person_id).await?.login)
    }

    /// Whether the second factor is on for a person the actor may see.
    pub async fn has_totp(&self, ctx: &Ctx, person_id: PersonId) -> Result<bool, AppError> {
        self.person(ctx, person_id).await?;
        Ok(self
            .store
            .read()
            .await?
            .credentials(person_id)
            .await?
            .totp_secret
            .is_some())
    }

    /// Lifts a lockout (an administrator of the person's agency).
    pub async fn unlock(&self, ctx: &Ctx, person_id: PersonId) -> Result<(), AppError> {
        let person = self.person(ctx, person_id).await?;
        let lineage = self.lineage(person.agency_id).await?;
        ctx.require(Permission::ManagePeople, &lineage)?;
        let mut tx = self.store.write().await?;
        tx.set_login_state(person_id, LoginState::after_success())
            .await?;
        let change = Change {
            action: "person.unlock",
            object_type: "person",
            object_id: person_id.to_string(),
            before: None,
            after: None,
        };
        record(&mut tx, self, ctx, change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The person a change is about, if the actor may change them: oneself,
    /// or a person under the actor's administration.
    async fn person_for_change(&self, ctx: &Ctx, person_id: PersonId) -> Result<Person, AppError> {
        let person = self.person(ctx, person_id).await?;
        if ctx.actor.as_ref().is_some_and(|a| a.person_id == person_id) {
            return Ok(person);
        }
        let lineage = self.lineage(person.agency_id).await?;
        ctx.require(Permission::ManagePeople, &lineage)?;
        Ok(person)
    }

    fn totp_for(secret: &str, email: &str) -> Result<totp_rs::Totp, AppError> {
        let secret = totp_rs::Secret::try_from_base32(secret).map_err(AppError::invalid)?;
        totp_rs::Builder::new()
            .with_secret(secret)
            .with_account_name(email)
            .with_issuer(Some("egov"))
            .build()
            .map_err(AppError::invalid)
    }

    fn totp_matches(&self, secret: &str, email: &str, code: &str) -> bool {
        let now = u64::try_from(self.now().unix_timestamp()).unwrap_or(0);
        Self::totp_for(secret, email).is_ok_and(|totp| totp.check(code.trim(), now).is_some())
    }

    /// A new TOTP secret (base32) and its `otpauth://` address for an
    /// authenticator app. Nothing is stored until [`App::enable_totp`].
    pub fn new_totp(email: &str) -> Result<(String, String), AppError> {
        let secret = totp_rs::Secret::generate().to_base32();
        let url = Self::totp_for(&secret, email)?
            .to_url()
            .map_err(AppError::invalid)?;
        Ok((secret, url))
    }

    /// Turns the second factor on for oneself, once a code from the
    /// authenticator proves the secret was taken down.
    pub async fn enable_totp(&self, ctx: &Ctx, secret: &str, code: &str) -> Result<(), AppError> {
        let actor = ctx.actor.as_ref().ok_or(AppError::Forbidden)?;
        let person = self.person(ctx, actor.person_id).await?;
        if !self.totp_matches(secret, &person.email, code) {
            return Err(AppError::Invalid("Mã xác thực không đúng".into()));
        }
        let mut tx = self.store.write().await?;
        tx.set_totp_secret(person.id, Some(secret)).await?;
        let change = Change {
            action: "person.totp_enabled",
            object_type: "person",
            object_id: person.id.to_string(),
            before: None,
            after: None,
        };
        record(&mut tx, self, ctx, change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The current code for a secret; for tests and the demo.
    pub fn totp_code(&self, secret: &str, email: &str) -> Result<String, AppError> {
        let now = u64::try_from(self.now().unix_timestamp()).unwrap_or(0);
        Ok(Self::totp_for(secret, email)?.generate(now).to_string())
    }
}
