//! The portal's citizen accounts: the account with its password hash and
//! lockout state, its sessions (apart from the staff's), when it last
//! asked for a password reset (the links themselves are `links::Link`s)
//! and the dossiers submitted from it.

use domain::auth::LoginState;
use domain::services::accounts::{Account, AccountId, AccountSession};
use domain::services::{Dossier, DossierId};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, Order, QueryResult};
use time::OffsetDateTime;

use super::{DOSSIER_COLUMNS, dossier_of};
use crate::error::corrupt;
use crate::{StoreError, Tx};

const COLUMNS: [&str; 11] = [
    "id",
    "kind",
    "full_name",
    "email",
    "phone",
    "citizen_id",
    "address",
    "status",
    "created_at",
    "confirmed_at",
    "password_hash",
];

/// What a sign-in checks: the account, its password hash and its
/// lockout state.
#[derive(Debug, Clone)]
pub struct AccountCredentials {
    pub account: Account,
    pub password_hash: String,
    pub login: LoginState,
}

fn account_of(row: &QueryResult) -> Result<Account, StoreError> {
    let text = |column: &str| -> Result<String, StoreError> { Ok(row.try_get("", column)?) };
    Ok(Account {
        id: row.try_get("", "id")?,
        kind: text("kind")?
            .parse()
            .map_err(corrupt("citizen_accounts.kind"))?,
        full_name: text("full_name")?,
        email: text("email")?,
        phone: text("phone")?,
        citizen_id: row.try_get("", "citizen_id")?,
        address: row.try_get("", "address")?,
        status: text("status")?
            .parse()
            .map_err(corrupt("citizen_accounts.status"))?,
        created_at: row.try_get("", "created_at")?,
        confirmed_at: row.try_get("", "confirmed_at")?,
    })
}

fn login_of(row: &QueryResult) -> Result<LoginState, StoreError> {
    let failed: i32 = row.try_get("", "failed_logins")?;
    Ok(LoginState {
        failed_in_a_row: u32::try_from(failed)
            .map_err(corrupt("citizen_accounts.failed_logins"))?,
        locked_until: row.try_get("", "locked_until")?,
    })
}

impl Tx {
    /// Records a new account; `a.id` is ignored. A taken e-mail is
    /// [`StoreError::Duplicate`] (the unique key), whoever got there first.
    pub async fn insert_account(
        &self,
        a: &Account,
        password_hash: &str,
    ) -> Result<AccountId, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::insert()
                    .into_table("citizen_accounts")
                    .columns(COLUMNS.into_iter().skip(1))
                    .values_panic([
                        a.kind.as_str().into(),
                        a.full_name.clone().into(),
                        a.email.clone().into(),
                        a.phone.clone().into(),
                        a.citizen_id.clone().into(),
                        a.address.clone().into(),
                        a.status.as_str().into(),
                        a.created_at.into(),
                        a.confirmed_at.into(),
                        password_hash.into(),
                    ])
                    .returning_col("id")
                    .take(),
            )
            .await?
            .ok_or_else(|| StoreError::Corrupt("no id for the account".into()))?;
        Ok(row.try_get("", "id")?)
    }

    async fn account_where(
        &self,
        condition: SimpleExpr,
    ) -> Result<Option<AccountCredentials>, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::select()
                    .columns(COLUMNS)
                    .columns(["failed_logins", "locked_until"])
                    .from("citizen_accounts")
                    .and_where(condition)
                    .take(),
            )
            .await?;
        row.map(|row| {
            Ok(AccountCredentials {
                account: account_of(&row)?,
                password_hash: row.try_get("", "password_hash")?,
                login: login_of(&row)?,
            })
        })
        .transpose()
    }

    /// Writes a new registration over pending account `id` whose links
    /// all expired: its holder's details, password and a fresh lockout
    /// count; the e-mail stays.
    pub async fn replace_pending_account(
        &self,
        id: AccountId,
        a: &Account,
        password_hash: &str,
    ) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::update()
                    .table("citizen_accounts")
                    .value("kind", a.kind.as_str())
                    .value("full_name", a.full_name.clone())
                    .value("phone", a.phone.clone())
                    .value("citizen_id", a.citizen_id.clone())
                    .value("address", a.address.clone())
                    .value("password_hash", password_hash)
                    .value("created_at", a.created_at)
                    .value("failed_logins", 0)
                    .value("locked_until", None::<OffsetDateTime>)
                    .and_where(Expr::col("id").eq(id))
                    .and_where(Expr::col("status").eq(a.status.as_str()))
                    .take(),
            )
            .await?;
        Ok(())
    }

    /// The account of an e-mail (as stored: folded to lower case).
    pub async fn account_by_email(
        &self,
        email: &str,
    ) -> Result<Option<AccountCredentials>, StoreError> {
        self.account_where(Expr::col("email").eq(email)).await
    }

    pub async fn account(&self, id: AccountId) -> Result<Option<Account>, StoreError> {
        Ok(self
            .account_where(Expr::col("id").eq(id))
            .await?
            .map(|found| found.account))
    }

    pub async fn set_account_login_state(
        &self,
        id: AccountId,
        state: LoginState,
    ) -> Result<(), StoreError> {
        let failed = i32::try_from(state.failed_in_a_row).unwrap_or(i32::MAX);
        self.conn()
            .execute(
                &Query::update()
                    .table("citizen_accounts")
                    .value("failed_logins", failed)
                    .value(
                        "locked_until",
                        state.locked_until.map(domain::to_stored_precision),
                    )
                    .and_where(Expr::col("id").eq(id))
                    .take(),
            )
            .await?;
        Ok(())
    }

    /// Writes an account's status and confirmation moment back.
    pub async fn update_account_status(&self, a: &Account) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::update()
                    .table("citizen_accounts")
                    .value("status", a.status.as_str())
                    .value("confirmed_at", a.confirmed_at)
                    .and_where(Expr::col("id").eq(a.id))
                    .take(),
            )
            .await?;
        Ok(())
    }

    /// Writes an account's phone and address back; the name and e-mail
    /// are fixed once confirmed.
    pub async fn update_account_contacts(&self, a: &Account) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::update()
                    .table("citizen_accounts")
                    .value("phone", a.phone.clone())
                    .value("address", a.address.clone())
                    .and_where(Expr::col("id").eq(a.id))
                    .take(),
            )
            .await?;
        Ok(())
    }

    pub async fn set_account_password(
        &self,
        id: AccountId,
        password_hash: &str,
    ) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::update()
                    .table("citizen_accounts")
                    .value("password_hash", password_hash)
                    .and_where(Expr::col("id").eq(id))
                    .take(),
            )
            .await?;
        Ok(())
    }

    /// When the latest reset link of `account` was asked for, if ever.
    pub async fn last_password_reset_at(
        &self,
        account: AccountId,
    ) -> Result<Option<OffsetDateTime>, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::select()
                    .column("created_at")
                    .from("citizen_password_resets")
                    .and_where(Expr::col("account_id").eq(account))
                    .order_by("created_at", Order::Desc)
                    .limit(1)
                    .take(),
            )
            .await?;
        row.map(|row| Ok(row.try_get("", "created_at")?))
            .transpose()
    }

    /// Ends the portal sessions of `account`, all but `keep` if given;
    /// returns how many ended.
    pub async fn delete_account_sessions(
        &self,
        account: AccountId,
        keep: Option<&str>,
    ) -> Result<u64, StoreError> {
        let mut query = Query::delete();
        query
            .from_table("citizen_sessions")
            .and_where(Expr::col("account_id").eq(account));
        if let Some(keep) = keep {
            query.and_where(Expr::col("id").ne(keep));
        }
        Ok(self.conn().execute(&query).await?.rows_affected())
    }

    pub async fn insert_account_session(&self, s: &AccountSession) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::insert()
                    .into_table("citizen_sessions")
                    .columns([
                        "id",
                        "account_id",
                        "csrf_token",
                        "created_at",
                        "expires_at",
                        "source",
                    ])
                    .values_panic([
                        s.token_hash.clone().into(),
                        s.account_id.into(),
                        s.csrf_token.clone().into(),
                        domain::to_stored_precision(s.created_at).into(),
                        domain::to_stored_precision(s.expires_at).into(),
                        s.source.clone().into(),
                    ])
                    .take(),
            )
            .await?;
        Ok(())
    }

    pub async fn account_session(
        &self,
        token_hash: &str,
    ) -> Result<Option<AccountSession>, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::select()
                    .columns([
                        "id",
                        "account_id",
                        "csrf_token",
                        "created_at",
                        "expires_at",
                        "source",
                    ])
                    .from("citizen_sessions")
                    .and_where(Expr::col("id").eq(token_hash))
                    .take(),
            )
            .await?;
        row.map(|row| {
            Ok(AccountSession {
                token_hash: row.try_get("", "id")?,
                account_id: row.try_get("", "account_id")?,
                csrf_token: row.try_get("", "csrf_token")?,
                created_at: row.try_get("", "created_at")?,
                expires_at: row.try_get("", "expires_at")?,
                source: row.try_get("", "source")?,
            })
        })
        .transpose()
    }

    pub async fn delete_account_session(&self, token_hash: &str) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::delete()
                    .from_table("citizen_sessions")
                    .and_where(Expr::col("id").eq(token_hash))
                    .take(),
            )
            .await?;
        Ok(())
    }

    /// Removes portal sessions that ended before `now`.
    pub async fn delete_expired_account_sessions(
        &self,
        now: OffsetDateTime,
    ) -> Result<u64, StoreError> {
        let result = self
            .conn()
            .execute(
                &Query::delete()
                    .from_table("citizen_sessions")
                    .and_where(Expr::col("expires_at").lt(domain::to_stored_precision(now)))
                    .take(),
            )
            .await?;
        Ok(result.rows_affected())
    }

    /// Records that dossier `dossier` was submitted from `account`.
    pub async fn link_dossier_to_account(
        &self,
        dossier: DossierId,
        account: AccountId,
    ) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::update()
                    .table("dossiers")
                    .value("account_id", account)
                    .and_where(Expr::col("id").eq(dossier))
                    .take(),
            )
            .await?;
        Ok(())
    }

    /// The dossiers submitted from `account`, newest first (without
    /// papers and files).
    pub async fn account_dossiers(&self, account: AccountId) -> Result<Vec<Dossier>, StoreError> {
        self.conn()
            .query_all(
                &Query::select()
                    .columns(DOSSIER_COLUMNS)
                    .from("dossiers")
                    .and_where(Expr::col("account_id").eq(account))
                    .order_by("received_at", Order::Desc)
                    .order_by("id", Order::Desc)
                    .take(),
            )
            .await?
            .iter()
            .map(dossier_of)
            .collect()
    }

    /// The account a dossier was submitted from, if any.
    pub async fn dossier_account(
        &self,
        dossier: DossierId,
    ) -> Result<Option<AccountId>, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::select()
                    .column("account_id")
                    .from("dossiers")
                    .and_where(Expr::col("id").eq(dossier))
                    .take(),
            )
            .await?;
        Ok(match row {
            Some(row) => row.try_get("", "account_id")?,
            None => None,
        })
    }
}
