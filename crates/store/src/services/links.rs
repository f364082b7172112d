//! The one-time links egov e-mails to applicants: the confirmation of a
//! guest's online dossier, the confirmation of a portal account, and a
//! password reset. Each kind is a table of the token's SHA-256 digest
//! (never the token: the link in the mail is the secret), its owner, its
//! expiry and the moment it was used; one set of queries serves all.

use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Expr, ExprTrait, Query, SimpleExpr};
use time::OffsetDateTime;

use crate::{StoreError, Tx};

/// A kind of one-time link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// A guest's online dossier, confirmed by its applicant.
    DossierConfirmation,
    /// A new portal account's e-mail address.
    AccountConfirmation,
    /// A portal account's forgotten password.
    PasswordReset,
}

impl Link {
    fn table(self) -> &'static str {
        match self {
            Self::DossierConfirmation => "dossier_confirmations",
            Self::AccountConfirmation => "citizen_account_confirmations",
            Self::PasswordReset => "citizen_password_resets",
        }
    }

    fn owner(self) -> &'static str {
        match self {
            Self::DossierConfirmation => "dossier_id",
            Self::AccountConfirmation | Self::PasswordReset => "account_id",
        }
    }

    fn used(self) -> &'static str {
        match self {
            Self::DossierConfirmation => "confirmed_at",
            Self::AccountConfirmation | Self::PasswordReset => "used_at",
        }
    }

    /// The conditions of a link that works at `now`.
    fn live(self, now: OffsetDateTime) -> [SimpleExpr; 2] {
        [
            Expr::col(self.used()).is_null(),
            Expr::col("expires_at").gt(now),
        ]
    }
}

impl Tx {
    /// Records a link of `owner` by its token's digest, made at `now`
    /// and working until `expires_at`.
    pub async fn insert_link(
        &self,
        link: Link,
        owner: i64,
        token_sha256: &str,
        (now, expires_at): (OffsetDateTime, OffsetDateTime),
    ) -> Result<(), StoreError> {
        let mut insert = Query::insert();
        insert.into_table(link.table());
        // A reset keeps when it was asked for: the rate limit reads it.
        if link == Link::PasswordReset {
            insert
                .columns(["token_sha256", link.owner(), "expires_at", "created_at"])
                .values_panic([
                    token_sha256.into(),
                    owner.into(),
                    expires_at.into(),
                    now.into(),
                ]);
        } else {
            insert
                .columns(["token_sha256", link.owner(), "expires_at"])
                .values_panic([token_sha256.into(), owner.into(), expires_at.into()]);
        }
        self.conn().execute(&insert).await?;
        Ok(())
    }

    /// The owner of the link whose token's digest is `token_sha256`, if
    /// it works at `now`; reads only.
    pub async fn live_link(
        &self,
        link: Link,
        token_sha256: &str,
        now: OffsetDateTime,
    ) -> Result<Option<i64>, StoreError> {
        let [unused, unexpired] = link.live(now);
        let row = self
            .conn()
            .query_one(
                &Query::select()
                    .column(link.owner())
                    .from(link.table())
                    .and_where(Expr::col("token_sha256").eq(token_sha256))
                    .and_where(unused)
                    .and_where(unexpired)
                    .take(),
            )
            .await?;
        row.map(|row| Ok(row.try_get("", link.owner())?))
            .transpose()
    }

    /// [`Tx::live_link`], and the link is used at `now`: it works once.
    pub async fn use_link(
        &self,
        link: Link,
        token_sha256: &str,
        now: OffsetDateTime,
    ) -> Result<Option<i64>, StoreError> {
        let owner = self.live_link(link, token_sha256, now).await?;
        if owner.is_some() {
            self.conn()
                .execute(
                    &Query::update()
                        .table(link.table())
                        .value(link.used(), now)
                        .and_where(Expr::col("token_sha256").eq(token_sha256))
                        .take(),
                )
                .await?;
        }
        Ok(owner)
    }

    /// Whether `owner` has a link of this kind that works at `now`.
    pub async fn has_live_link(
        &self,
        link: Link,
        owner: i64,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let [unused, unexpired] = link.live(now);
        Ok(self
            .conn()
            .query_one(
                &Query::select()
                    .column("token_sha256")
                    .from(link.table())
                    .and_where(Expr::col(link.owner()).eq(owner))
                    .and_where(unused)
                    .and_where(unexpired)
                    .limit(1)
                    .take(),
            )
            .await?
            .is_some())
    }

    /// Voids `owner`'s unused links of this kind at `now`: only the
    /// latest mail's link may work.
    pub async fn void_links(
        &self,
        link: Link,
        owner: i64,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::update()
                    .table(link.table())
                    .value(link.used(), now)
                    .and_where(Expr::col(link.owner()).eq(owner))
                    .and_where(Expr::col(link.used()).is_null())
                    .take(),
            )
            .await?;
        Ok(())
    }
}
