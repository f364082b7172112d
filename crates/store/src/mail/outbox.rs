//! The mail outbox's rows: a mail queued in the transaction of the event
//! it tells of (once per `dedup_key`), the delivery job's bookkeeping —
//! which mails are due, the claim that keeps two servers from sending one
//! mail together, each attempt's outcome — and the mails about a thing.

use domain::mail::outbox::{About, MailId, NewMail, QueuedMail};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query, SelectStatement, SimpleExpr};
use sea_orm::{ConnectionTrait, Order, QueryResult};
use time::OffsetDateTime;

use crate::error::corrupt;
use crate::{StoreError, Tx};

const COLUMNS: [&str; 12] = [
    "id",
    "kind",
    "recipient",
    "subject",
    "body",
    "about",
    "dedup_key",
    "created_at",
    "attempts",
    "next_attempt_at",
    "last_error",
    "sent_at",
];

fn mail_of(row: &QueryResult) -> Result<QueuedMail, StoreError> {
    let kind: String = row.try_get("", "kind")?;
    let about: Option<String> = row.try_get("", "about")?;
    let attempts: i32 = row.try_get("", "attempts")?;
    Ok(QueuedMail {
        id: row.try_get("", "id")?,
        mail: NewMail {
            kind: kind.parse().map_err(corrupt("mail_outbox.kind"))?,
            recipient: row.try_get("", "recipient")?,
            subject: row.try_get("", "subject")?,
            body: row.try_get("", "body")?,
            about: about
                .map(|a| a.parse())
                .transpose()
                .map_err(corrupt("mail_outbox.about"))?,
            dedup_key: row.try_get("", "dedup_key")?,
        },
        created_at: row.try_get("", "created_at")?,
        attempts: u32::try_from(attempts).map_err(corrupt("mail_outbox.attempts"))?,
        next_attempt_at: row.try_get("", "next_attempt_at")?,
        last_error: row.try_get("", "last_error")?,
        sent_at: row.try_get("", "sent_at")?,
    })
}

fn selected(condition: SimpleExpr) -> SelectStatement {
    Query::select()
        .columns(COLUMNS)
        .from("mail_outbox")
        .and_where(condition)
        .order_by("id", Order::Asc)
        .take()
}

/// The outbox at a glance, for the operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MailCounts {
    /// Not sent yet, whether due or waiting for a retry.
    pub waiting: u64,
    pub sent: u64,
}

impl Tx {
    /// Queues `mail`, to be sent from `now`. `None` when a mail with the
    /// same `dedup_key` was queued before: nothing is added.
    pub async fn insert_mail(
        &self,
        mail: &NewMail,
        now: OffsetDateTime,
    ) -> Result<Option<MailId>, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::insert()
                    .into_table("mail_outbox")
                    .columns(COLUMNS[1..10].iter().copied())
                    .values_panic([
                        mail.kind.as_str().into(),
                        mail.recipient.clone().into(),
                        mail.subject.clone().into(),
                        mail.body.clone().into(),
                        mail.about.as_ref().map(About::to_string).into(),
                        mail.dedup_key.clone().into(),
                        now.into(),
                        0i32.into(),
                        now.into(),
                    ])
                    .on_conflict(OnConflict::column("dedup_key").do_nothing().to_owned())
                    .returning_col("id")
                    .take(),
            )
            .await?;
        row.map(|row| Ok(row.try_get("", "id")?)).transpose()
    }

    /// Up to `limit` unsent mails whose time has come at `now`, oldest
    /// first.
    pub async fn mail_due(
        &self,
        now: OffsetDateTime,
        limit: u64,
    ) -> Result<Vec<QueuedMail>, StoreError> {
        self.conn()
            .query_all(
                &selected(
                    Expr::col("sent_at")
                        .is_null()
                        .and(Expr::col("next_attempt_at").lte(now)),
                )
                .limit(limit)
                .take(),
            )
            .await?
            .iter()
            .map(mail_of)
            .collect()
    }

    /// Moves mails' next try to `until`: a delivery job about to send
    /// them claims them, so another server's job leaves them alone (and
    /// takes them back if this one dies). Write transactions run one at
    /// a time, so a claim is seen by the next job's `mail_due`.
    pub async fn claim_mail(
        &self,
        ids: &[MailId],
        until: OffsetDateTime,
    ) -> Result<(), StoreError> {
        if ids.is_empty() {
            return Ok(());
        }
        self.conn()
            .execute(
                &Query::update()
                    .table("mail_outbox")
                    .value("next_attempt_at", until)
                    .and_where(Expr::col("id").is_in(ids.iter().copied()))
                    .take(),
            )
            .await?;
        Ok(())
    }

    /// Records that mail `id` was sent at `at`.
    pub async fn mark_mail_sent(&self, id: MailId, at: OffsetDateTime) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::update()
                    .table("mail_outbox")
                    .value("sent_at", at)
                    .and_where(Expr::col("id").eq(id))
                    .take(),
            )
            .await?;
        Ok(())
    }

    /// Records a failed send of mail `id`: its count of attempts, the
    /// error and when to try again.
    pub async fn mark_mail_failed(
        &self,
        id: MailId,
        attempts: u32,
        error: &str,
        next: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let attempts = i32::try_from(attempts).map_err(corrupt("mail_outbox.attempts"))?;
        self.conn()
            .execute(
                &Query::update()
                    .table("mail_outbox")
                    .value("attempts", attempts)
                    .value("last_error", error)
                    .value("next_attempt_at", next)
                    .and_where(Expr::col("id").eq(id))
                    .take(),
            )
            .await?;
        Ok(())
    }

    /// The mails about `about`, oldest first.
    pub async fn mail_about(&self, about: &About) -> Result<Vec<QueuedMail>, StoreError> {
        self.conn()
            .query_all(&selected(Expr::col("about").eq(about.to_string())))
            .await?
            .iter()
            .map(mail_of)
            .collect()
    }

    /// How many mails wait and how many went out.
    pub async fn mail_counts(&self) -> Result<MailCounts, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::select()
                    .expr_as(Expr::col("id").count(), "total")
                    .expr_as(Expr::col("sent_at").count(), "sent")
                    .from("mail_outbox")
                    .take(),
            )
            .await?;
        let Some(row) = row else {
            return Ok(MailCounts::default());
        };
        let count = |column: &str| -> Result<u64, StoreError> {
            let n: i64 = row.try_get("", column)?;
            u64::try_from(n).map_err(corrupt("mail_outbox count"))
        };
        let (total, sent) = (count("total")?, count("sent")?);
        Ok(MailCounts {
            waiting: total.saturating_sub(sent),
            sent,
        })
    }
}
