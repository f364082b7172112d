//! Citizen accounts on the portal (issue 8, item 2): registering (the
//! confirmation link e-mailed through the notices' pickup folder),
//! confirming, signing in and out — with the staff's password policy and
//! lockout — the account's dossiers, and submitting while signed in, which
//! needs no confirmation e-mail because the account's was confirmed; then
//! what a holder needs beyond sign-up: a forgotten password reset through
//! an e-mailed link, the account page's phone, address and password, and
//! the staff's view of which account a dossier came from.
//!
//! A reset request answers the same whether or not an account has the
//! address, so the form tells nobody who holds an account; a password
//! reset or changed ends the account's other sessions, since whoever held
//! the old password may hold one of them.
//!
//! Invariant: a portal session opens only the portal, and a staff
//! session only the staff UI: they live in different tables and are
//! looked up by different calls. Every change is audited under the label
//! `portal:{e-mail}`; passwords are hashed and checked outside any
//! transaction, and the lockout state re-read inside the one that
//! records the attempt.

use std::collections::BTreeMap;
use store::services::links::Link;

use domain::auth::LoginState;
use domain::services::accounts::{
    Account, AccountId, AccountRuleError, AccountSession, CONFIRMATION_LIFETIME, RESET_LIFETIME,
    RESET_MAIL_INTERVAL, Registration,
};
use domain::services::{Dossier, ProcedureId};
use serde_json::json;
use time::Duration;

use super::UploadedFile;
use super::notices;
use super::online::OnlineSubmission;
use crate::audit::{Change, record};
use crate::auth::{hash_password, password_ok, random_token, token_digest};
use crate::mail::outbox;
use crate::{App, AppError, Ctx};

/// A live portal session and its account.
#[derive(Debug, Clone)]
pub struct AccountSignedIn {
    pub session: AccountSession,
    pub account: Account,
}

/// A portal sign-in: the secret for the cookie (shown once) and the
/// stored session.
#[derive(Debug, Clone)]
pub struct NewAccountSession {
    pub token: String,
    pub session: AccountSession,
}

/// How the audit trail names an account holder.
fn ctx_of(email: &str, source: Option<String>) -> Ctx {
    Ctx {
        actor: None,
        actor_label: format!("portal:{email}"),
        source,
    }
}

/// Hashes a password off the async threads (argon2 takes a while).
async fn hashed(password: &str) -> Result<String, AppError> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
}

fn change(
    action: &'static str,
    account: &Account,
    after: Option<serde_json::Value>,
) -> Change<'static> {
    Change {
        action,
        object_type: "citizen_account",
        object_id: account.id.to_string(),
        before: None,
        after,
    }
}

impl App {
    /// Registers a pending account and e-mails its confirmation link.
    /// A taken e-mail is refused and nothing is stored — unless it is a
    /// pending account whose links all expired, which the new
    /// registration replaces: otherwise an address registered once and
    /// never confirmed could never be used again.
    pub async fn register_account(
        &self,
        registration: Registration,
        password: &str,
        source: Option<String>,
    ) -> Result<Account, AppError> {
        let now = domain::to_stored_precision(self.now());
        let account = Account::register(registration, password, now).map_err(AppError::invalid)?;
        let email_taken =
            || AppError::Conflict(AccountRuleError::EmailTaken(account.email.clone()).to_string());
        let hash = hashed(password).await?;
        let token = random_token()?;
        let mut tx = self.store.write().await?;
        let existing = tx
            .account_by_email(&account.email)
            .await?
            .map(|found| found.account);
        let id = match existing {
            None => match tx.insert_account(&account, &hash).await {
                Ok(id) => id,
                Err(store::StoreError::Duplicate(_)) => return Err(email_taken()),
                Err(other) => return Err(other.into()),
            },
            Some(old) if old.check_active().is_ok() => return Err(email_taken()),
            Some(old)
                if tx
                    .has_live_link(Link::AccountConfirmation, old.id, now)
                    .await? =>
            {
                let waiting = AccountRuleError::AwaitingConfirmation(account.email.clone());
                return Err(AppError::Conflict(waiting.to_string()));
            }
            Some(old) => {
                tx.replace_pending_account(old.id, &account, &hash).await?;
                old.id
            }
        };
        let account = Account { id, ..account };
        let lifetime = (now, now + CONFIRMATION_LIFETIME);
        tx.insert_link(
            Link::AccountConfirmation,
            id,
            &token_digest(&token),
            lifetime,
        )
        .await?;
        let mail = notices::account_confirmation(self, &account, &token);
        outbox::enqueue(&tx, &mail, now).await?;
        let after = json!({
            "kind": account.kind.as_str(),
            "email": account.email,
            "status": account.status.as_str(),
        });
        let ctx = ctx_of(&account.email, source);
        record(
            &mut tx,
            self,
            &ctx,
            change("account.register", &account, Some(after)),
        )
        .await?;
        tx.commit().await?;
        self.send_mail_now().await;
        Ok(account)
    }

    /// The holder opened the e-mailed link: the account becomes active.
    /// A wrong, used or expired token changes nothing.
    pub async fn confirm_account(
        &self,
        token: &str,
        source: Option<String>,
    ) -> Result<Account, AppError> {
        let now = domain::to_stored_precision(self.now());
        let mut tx = self.store.write().await?;
        let id = tx
            .use_link(Link::AccountConfirmation, &token_digest(token.trim()), now)
            .await?
            .ok_or_else(|| AppError::invalid(AccountRuleError::BadConfirmation))?;
        let account = tx
            .account(id)
            .await?
            .ok_or(AppError::NotFound("tài khoản"))?
            .confirmed(now);
        tx.update_account_status(&account).await?;
        let after = json!({ "status": account.status.as_str() });
        let ctx = ctx_of(&account.email, source);
        record(
            &mut tx,
            self,
            &ctx,
            change("account.confirm", &account, Some(after)),
        )
        .await?;
        tx.commit().await?;
        Ok(account)
    }

    /// Signs an account holder in to the portal. Wrong passwords count
    /// towards the staff's lockout; a right password on a pending account
    /// says it must be confirmed first and counts nothing.
    pub async fn account_login(
        &self,
        email: &str,
        password: &str,
        source: Option<String>,
    ) -> Result<NewAccountSession, AppError> {
        let email = email.trim().to_lowercase();
        let found = self.store.read().await?.account_by_email(&email).await?;
        let Some(found) = found else {
            password_ok(password, None).await?;
            return Err(AppError::BadCredentials);
        };
        if found.login.is_locked(self.now()) {
            return Err(AppError::Locked);
        }
        let matches = password_ok(password, Some(found.password_hash)).await?;
        let account = found.account;
        let ctx = ctx_of(&account.email, source.clone());
        let mut tx = self.store.write().await?;
        // Read again under the write lock: other attempts may have run.
        let state = tx
            .account_by_email(&email)
            .await?
            .ok_or(AppError::BadCredentials)?
            .login;
        let now = self.now();
        if state.is_locked(now) {
            return Err(AppError::Locked);
        }
        if !matches {
            let next = state.after_failure(now, self.lockout_policy());
            tx.set_account_login_state(account.id, next).await?;
            let locked = next.is_locked(now);
            let action = if locked {
                "account.locked"
            } else {
                "account.login_failed"
            };
            let after = json!({ "failed_in_a_row": next.failed_in_a_row });
            record(&mut tx, self, &ctx, change(action, &account, Some(after))).await?;
            tx.commit().await?;
            return Err(if locked {
                AppError::Locked
            } else {
                AppError::BadCredentials
            });
        }
        account.check_active().map_err(AppError::invalid)?;
        if state != LoginState::after_success() {
            tx.set_account_login_state(account.id, LoginState::after_success())
                .await?;
        }
        let token = random_token()?;
        let session = AccountSession {
            token_hash: token_digest(&token),
            account_id: account.id,
            csrf_token: random_token()?,
            created_at: domain::to_stored_precision(now),
            expires_at: domain::to_stored_precision(
                now + Duration::hours(i64::from(self.config.auth.session_hours)),
            ),
            source,
        };
        tx.insert_account_session(&session).await?;
        record(&mut tx, self, &ctx, change("account.login", &account, None)).await?;
        tx.commit().await?;
        Ok(NewAccountSession { token, session })
    }

    /// The live portal session a cookie's token opens, with its account.
    pub async fn account_signed_in(&self, token: &str) -> Result<AccountSignedIn, AppError> {
        let read = self.store.read().await?;
        let session = read
            .account_session(&token_digest(token))
            .await?
            .filter(|s| s.is_live(self.now()))
            .ok_or(AppError::Unauthenticated)?;
        let account = read
            .account(session.account_id)
            .await?
            .filter(|a| a.check_active().is_ok())
            .ok_or(AppError::Unauthenticated)?;
        Ok(AccountSignedIn { session, account })
    }

    /// Ends a portal session.
    pub async fn account_logout(
        &self,
        signed_in: &AccountSignedIn,
        source: Option<String>,
    ) -> Result<(), AppError> {
        let mut tx = self.store.write().await?;
        tx.delete_account_session(&signed_in.session.token_hash)
            .await?;
        let ctx = ctx_of(&signed_in.account.email, source);
        record(
            &mut tx,
            self,
            &ctx,
            change("account.logout", &signed_in.account, None),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The dossiers submitted from the signed-in account, newest first,
    /// each with its procedure's name.
    pub async fn account_dossiers(
        &self,
        signed_in: &AccountSignedIn,
    ) -> Result<Vec<(Dossier, String)>, AppError> {
        let read = self.store.read().await?;
        let dossiers = read.account_dossiers(signed_in.account.id).await?;
        let mut names: BTreeMap<ProcedureId, String> = BTreeMap::new();
        let mut lines = Vec::with_capacity(dossiers.len());
        for dossier in dossiers {
            if !names.contains_key(&dossier.procedure_id) {
                let procedure = read
                    .procedure(dossier.procedure_id)
                    .await?
                    .ok_or(AppError::NotFound("thủ tục"))?;
                names.insert(procedure.id, procedure.name);
            }
            let name = names
                .get(&dossier.procedure_id)
                .cloned()
                .unwrap_or_default();
            lines.push((dossier, name));
        }
        Ok(lines)
    }

    /// Submits a dossier from the signed-in account: the applicant is the
    /// account's holder, and the dossier goes straight to the desk to be
    /// checked.
    pub async fn submit_signed_in(
        &self,
        signed_in: &AccountSignedIn,
        procedure_id: ProcedureId,
        files: Vec<UploadedFile>,
        source: Option<String>,
    ) -> Result<Dossier, AppError> {
        let account = &signed_in.account;
        let submission = OnlineSubmission {
            procedure_id,
            applicant: account.applicant(),
            files,
        };
        let ctx = ctx_of(&account.email, source);
        let (dossier, _) = self.record_online(submission, Some(account), &ctx).await?;
        Ok(dossier)
    }

    /// Someone asked to reset the password of `email`. If an active
    /// account has it and no reset mail went to it in the last
    /// [`RESET_MAIL_INTERVAL`], a one-hour link is mailed (earlier links
    /// voided) and the request audited; otherwise nothing happens. Either
    /// way the answer is the same `Ok`, so the form reveals no account.
    pub async fn request_password_reset(
        &self,
        email: &str,
        source: Option<String>,
    ) -> Result<(), AppError> {
        let email = email.trim().to_lowercase();
        let now = domain::to_stored_precision(self.now());
        let token = random_token()?;
        let mut tx = self.store.write().await?;
        let Some(found) = tx.account_by_email(&email).await? else {
            return Ok(());
        };
        let account = found.account;
        if account.check_active().is_err() {
            // A pending account has its confirmation link to open first.
            return Ok(());
        }
        if let Some(last) = tx.last_password_reset_at(account.id).await?
            && now < last + RESET_MAIL_INTERVAL
        {
            return Ok(());
        }
        // Only the latest mail's link works.
        tx.void_links(Link::PasswordReset, account.id, now).await?;
        let lifetime = (now, now + RESET_LIFETIME);
        tx.insert_link(
            Link::PasswordReset,
            account.id,
            &token_digest(&token),
            lifetime,
        )
        .await?;
        let mail = notices::password_reset(self, &account, &token);
        outbox::enqueue(&tx, &mail, now).await?;
        let ctx = ctx_of(&account.email, source);
        record(
            &mut tx,
            self,
            &ctx,
            change("account.reset_requested", &account, None),
        )
        .await?;
        tx.commit().await?;
        self.send_mail_now().await;
        Ok(())
    }

    /// The account whose live reset link `token` is; refused if the link
    /// is wrong, used or expired. Reads only: the page asks before the
    /// form is shown.
    pub async fn password_reset_account(&self, token: &str) -> Result<Account, AppError> {
        let read = self.store.read().await?;
        let id = read
            .live_link(
                Link::PasswordReset,
                &token_digest(token.trim()),
                domain::to_stored_precision(self.now()),
            )
            .await?
            .ok_or_else(|| AppError::invalid(AccountRuleError::BadReset))?;
        read.account(id)
            .await?
            .filter(|a| a.check_active().is_ok())
            .ok_or_else(|| AppError::invalid(AccountRuleError::BadReset))
    }

    /// Sets a new password from a reset link: under the password policy,
    /// the link used up (a refused password leaves it working), every
    /// portal session of the account ended, a lockout cleared — the
    /// holder proved the mailbox — and audited.
    pub async fn reset_password(
        &self,
        token: &str,
        password: &str,
        again: &str,
        source: Option<String>,
    ) -> Result<Account, AppError> {
        let account = self.password_reset_account(token).await?;
        check_new_password(&account, password, again)?;
        let hash = hashed(password).await?;
        let now = domain::to_stored_precision(self.now());
        let digest = token_digest(token.trim());
        let mut tx = self.store.write().await?;
        // Again under the write lock: the link may have been used since.
        if tx.live_link(Link::PasswordReset, &digest, now).await? != Some(account.id) {
            return Err(AppError::invalid(AccountRuleError::BadReset));
        }
        tx.void_links(Link::PasswordReset, account.id, now).await?;
        tx.set_account_password(account.id, &hash).await?;
        tx.set_account_login_state(account.id, LoginState::after_success())
            .await?;
        let ended = tx.delete_account_sessions(account.id, None).await?;
        let ctx = ctx_of(&account.email, source);
        let after = json!({ "sessions_ended": ended });
        record(
            &mut tx,
            self,
            &ctx,
            change("account.password_reset", &account, Some(after)),
        )
        .await?;
        tx.commit().await?;
        Ok(account)
    }

    /// Changes the signed-in holder's phone and address (the name and
    /// e-mail stay as confirmed); a broken rule changes nothing.
    pub async fn update_account_contacts(
        &self,
        signed_in: &AccountSignedIn,
        phone: &str,
        address: &str,
        source: Option<String>,
    ) -> Result<Account, AppError> {
        let before = &signed_in.account;
        let account = before
            .with_contacts(phone, address)
            .map_err(AppError::invalid)?;
        if (&account.phone, &account.address) == (&before.phone, &before.address) {
            return Ok(account);
        }
        let mut tx = self.store.write().await?;
        tx.update_account_contacts(&account).await?;
        let contacts = |a: &Account| json!({ "phone": a.phone, "address": a.address });
        let ctx = ctx_of(&account.email, source);
        record(
            &mut tx,
            self,
            &ctx,
            Change {
                before: Some(contacts(before)),
                ..change("account.contacts", &account, Some(contacts(&account)))
            },
        )
        .await?;
        tx.commit().await?;
        Ok(account)
    }

    /// Changes the signed-in holder's password: the current one must be
    /// given — a wrong one counts towards the lockout, as at sign-in, so
    /// a session left open cannot be used to guess it — the new one obeys
    /// the policy, and every other session of the account ends, as do
    /// its unused reset links.
    pub async fn change_account_password(
        &self,
        signed_in: &AccountSignedIn,
        (current, password, again): (&str, &str, &str),
        source: Option<String>,
    ) -> Result<(), AppError> {
        let account = &signed_in.account;
        let found = self
            .store
            .read()
            .await?
            .account_by_email(&account.email)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        if found.login.is_locked(self.now()) {
            return Err(AppError::Locked);
        }
        let ctx = ctx_of(&account.email, source);
        if !password_ok(current, Some(found.password_hash)).await? {
            return Err(self.count_wrong_password(account.id, &ctx).await?);
        }
        check_new_password(account, password, again)?;
        let hash = hashed(password).await?;
        let now = domain::to_stored_precision(self.now());
        let mut tx = self.store.write().await?;
        tx.set_account_password(account.id, &hash).await?;
        tx.set_account_login_state(account.id, LoginState::after_success())
            .await?;
        let ended = tx
            .delete_account_sessions(account.id, Some(&signed_in.session.token_hash))
            .await?;
        tx.void_links(Link::PasswordReset, account.id, now).await?;
        let after = json!({ "sessions_ended": ended });
        record(
            &mut tx,
            self,
            &ctx,
            change("account.password_change", account, Some(after)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Counts a wrong current password on the account page towards the
    /// lockout and audits it; returns the error to show.
    async fn count_wrong_password(&self, id: AccountId, ctx: &Ctx) -> Result<AppError, AppError> {
        let mut tx = self.store.write().await?;
        let account = tx.account(id).await?.ok_or(AppError::Unauthenticated)?;
        let state = tx
            .account_by_email(&account.email)
            .await?
            .ok_or(AppError::Unauthenticated)?
            .login;
        let now = self.now();
        let next = state.after_failure(now, self.lockout_policy());
        tx.set_account_login_state(id, next).await?;
        let locked = next.is_locked(now);
        let action = if locked {
            "account.locked"
        } else {
            "account.password_change_failed"
        };
        let after = json!({ "failed_in_a_row": next.failed_in_a_row });
        record(&mut tx, self, ctx, change(action, &account, Some(after))).await?;
        tx.commit().await?;
        Ok(if locked {
            AppError::Locked
        } else {
            AppError::invalid(AccountRuleError::WrongPassword)
        })
    }

    /// The account a dossier was submitted from, if any, for the staff
    /// who may see the dossier.
    pub async fn dossier_account_holder(
        &self,
        ctx: &Ctx,
        code: &str,
    ) -> Result<Option<Account>, AppError> {
        let dossier = self.dossier_by_code(ctx, code).await?;
        let read = self.store.read().await?;
        let Some(id) = read.dossier_account(dossier.id).await? else {
            return Ok(None);
        };
        Ok(read.account(id).await?)
    }
}

/// A new password as typed twice, checked by the policy for `account`.
fn check_new_password(account: &Account, password: &str, again: &str) -> Result<(), AppError> {
    if password != again {
        return Err(AppError::invalid(AccountRuleError::PasswordsDiffer));
    }
    account
        .check_new_password(password)
        .map_err(AppError::invalid)
}
