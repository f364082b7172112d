//! Mailboxes, their aliases, history and sign-in state.

use std::collections::{HashMap, HashSet};

use domain::agencies::AgencyId;
use domain::auth::LoginState;
use domain::mail::mailboxes::{Mailbox, MailboxId, MailboxStatus};
use domain::mail::requests::RequestId;
use domain::people::PersonId;
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement, SimpleExpr};
use sea_orm::{ConnectionTrait, Order, QueryResult};
use time::OffsetDateTime;

use crate::error::corrupt;
use crate::{StoreError, Tx};

const COLUMNS: [&str; 16] = [
    "id",
    "address",
    "kind",
    "agency_id",
    "person_id",
    "display_name",
    "quota_mib",
    "status",
    "password_hash",
    "revision",
    "synced_revision",
    "request_id",
    "requested_at",
    "activated_at",
    "closed_at",
    "failed_logins",
];

/// One entry of a box's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailboxEvent {
    pub at: OffsetDateTime,
    pub person_id: Option<PersonId>,
    /// A stable name: `requested`, `approved`, `suspended`, `password` …
    pub action: String,
    pub note: String,
}

/// Which boxes a list shows.
#[derive(Debug, Clone, Default)]
pub struct MailboxFilter {
    /// Of these agencies (all when `None`).
    pub agencies: Option<Vec<AgencyId>>,
    pub statuses: Vec<MailboxStatus>,
    pub request: Option<RequestId>,
    pub person: Option<PersonId>,
    /// Part of the address or the holder's name.
    pub text: Option<String>,
}

fn mailbox_of(row: &QueryResult) -> Result<Mailbox, StoreError> {
    let text = |c: &str| -> Result<String, StoreError> { Ok(row.try_get("", c)?) };
    let quota: i32 = row.try_get("", "quota_mib")?;
    Ok(Mailbox {
        id: row.try_get("", "id")?,
        address: text("address")?,
        kind: text("kind")?.parse().map_err(corrupt("mailboxes.kind"))?,
        agency_id: row.try_get("", "agency_id")?,
        person_id: row.try_get("", "person_id")?,
        display_name: text("display_name")?,
        quota_mib: u32::try_from(quota).map_err(corrupt("mailboxes.quota_mib"))?,
        status: text("status")?
            .parse()
            .map_err(corrupt("mailboxes.status"))?,
        aliases: Vec::new(),
        password_hash: row.try_get("", "password_hash")?,
        revision: row.try_get("", "revision")?,
        synced_revision: row.try_get("", "synced_revision")?,
        request_id: row.try_get("", "request_id")?,
        requested_at: row.try_get("", "requested_at")?,
        activated_at: row.try_get("", "activated_at")?,
        closed_at: row.try_get("", "closed_at")?,
    })
}

/// A count the databases take: they count in signed 64 bits, so "all"
/// (`u64::MAX`) becomes the largest they know.
pub(crate) fn countable(n: u64) -> u64 {
    Ord::min(n, u64::try_from(i64::MAX).unwrap_or(u64::MAX))
}

/// The condition that selects a filter's boxes.
fn condition_of(filter: &MailboxFilter) -> SimpleExpr {
    let mut condition = Expr::val(true).eq(true);
    if let Some(agencies) = &filter.agencies {
        condition = condition.and(Expr::col("agency_id").is_in(agencies.iter().copied()));
    }
    if !filter.statuses.is_empty() {
        condition =
            condition.and(Expr::col("status").is_in(filter.statuses.iter().map(|s| s.as_str())));
    }
    if let Some(request) = filter.request {
        condition = condition.and(Expr::col("request_id").eq(request));
    }
    if let Some(person) = filter.person {
        condition = condition.and(Expr::col("person_id").eq(person));
    }
    if let Some(text) = filter.text.as_deref().filter(|t| !t.is_empty()) {
        let pattern = format!("%{}%", text.to_lowercase());
        condition = condition.and(
            Expr::col("address")
                .like(pattern.as_str())
                .or(Expr::col("display_name").like(format!("%{text}%"))),
        );
    }
    condition
}

impl Tx {
    /// Whether `address` is given, as a box or an alias, in any state.
    pub async fn mail_address_taken(&self, address: &str) -> Result<bool, StoreError> {
        for (table, column) in [("mailboxes", "address"), ("mail_aliases", "address")] {
            let row = self
                .conn()
                .query_one(
                    &Query::select()
                        .column(column)
                        .from(table)
                        .and_where(Expr::col(column).eq(address))
                        .take(),
                )
                .await?;
            if row.is_some() {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Every address given in `domain`, boxes and aliases: a list of a
    /// thousand names is planned against it in memory.
    pub async fn mail_addresses_in(&self, domain: &str) -> Result<HashSet<String>, StoreError> {
        let pattern = format!("%@{domain}");
        let mut out = HashSet::new();
        for table in ["mailboxes", "mail_aliases"] {
            let rows = self
                .conn()
                .query_all(
                    &Query::select()
                        .column("address")
                        .from(table)
                        .and_where(Expr::col("address").like(pattern.as_str()))
                        .take(),
                )
                .await?;
            for row in rows {
                out.insert(row.try_get("", "address")?);
            }
        }
        Ok(out)
    }

    /// Records a box and its aliases; `m.id` is ignored. A taken address
    /// is [`StoreError::Duplicate`].
    pub async fn insert_mailbox(&self, m: &Mailbox) -> Result<MailboxId, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::insert()
                    .into_table("mailboxes")
                    .columns(COLUMNS.into_iter().skip(1).take(14))
                    .values_panic([
                        m.address.clone().into(),
                        m.kind.as_str().into(),
                        m.agency_id.into(),
                        m.person_id.into(),
                        m.display_name.clone().into(),
                        i64::from(m.quota_mib).into(),
                        m.status.as_str().into(),
                        m.password_hash.clone().into(),
                        m.revision.into(),
                        m.synced_revision.into(),
                        m.request_id.into(),
                        m.requested_at.into(),
                        m.activated_at.into(),
                        m.closed_at.into(),
                    ])
                    .returning_col("id")
                    .take(),
            )
            .await?
            .ok_or_else(|| StoreError::Corrupt("no id for the mailbox".into()))?;
        let id = row.try_get("", "id")?;
        self.replace_aliases(id, &m.aliases).await?;
        Ok(id)
    }

    /// Writes what a change may alter: status, quota, password, revision,
    /// moments and aliases.
    pub async fn update_mailbox(&self, m: &Mailbox) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::update()
                    .table("mailboxes")
                    .values([
                        ("display_name", m.display_name.clone().into()),
                        ("quota_mib", i64::from(m.quota_mib).into()),
                        ("status", m.status.as_str().into()),
                        ("password_hash", m.password_hash.clone().into()),
                        ("revision", m.revision.into()),
                        ("activated_at", m.activated_at.into()),
                        ("closed_at", m.closed_at.into()),
                    ])
                    .and_where(Expr::col("id").eq(m.id))
                    .take(),
            )
            .await?;
        self.replace_aliases(m.id, &m.aliases).await
    }

    async fn replace_aliases(&self, id: MailboxId, aliases: &[String]) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::delete()
                    .from_table("mail_aliases")
                    .and_where(Expr::col("mailbox_id").eq(id))
                    .take(),
            )
            .await?;
        for alias in aliases {
            self.conn()
                .execute(
                    &Query::insert()
                        .into_table("mail_aliases")
                        .columns(["address", "mailbox_id"])
                        .values_panic([alias.clone().into(), id.into()])
                        .take(),
                )
                .await?;
        }
        Ok(())
    }

    /// Records that the server holds `revision` of box `id`, and that the
    /// box is active from `activated_at` if it just became so.
    pub async fn mark_mailbox_synced(&self, m: &Mailbox, revision: i64) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::update()
                    .table("mailboxes")
                    .values([
                        ("synced_revision", revision.into()),
                        ("status", m.status.as_str().into()),
                        ("activated_at", m.activated_at.into()),
                    ])
                    .and_where(Expr::col("id").eq(m.id))
                    .take(),
            )
            .await?;
        Ok(())
    }

    pub async fn mailbox(&self, id: MailboxId) -> Result<Option<Mailbox>, StoreError> {
        Ok(self
            .mailboxes_where(Expr::col("id").eq(id), None)
            .await?
            .pop())
    }

    pub async fn mailbox_by_address(&self, address: &str) -> Result<Option<Mailbox>, StoreError> {
        Ok(self
            .mailboxes_where(Expr::col("address").eq(address), None)
            .await?
            .pop())
    }

    /// Boxes the filter selects, oldest first, at most `limit`.
    pub async fn mailboxes(
        &self,
        filter: &MailboxFilter,
        limit: u64,
    ) -> Result<Vec<Mailbox>, StoreError> {
        self.mailboxes_where(condition_of(filter), Some((0, limit)))
            .await
    }

    /// A page of the boxes the filter selects, in the order of
    /// [`Tx::mailboxes`], after `offset` of them, and how many there are.
    pub async fn mailboxes_page(
        &self,
        filter: &MailboxFilter,
        (offset, limit): (u64, u64),
    ) -> Result<(Vec<Mailbox>, u64), StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::select()
                    .expr_as(sea_orm::sea_query::Func::count(Expr::col("id")), "n")
                    .from("mailboxes")
                    .and_where(condition_of(filter))
                    .take(),
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        let total: i64 = row.try_get("", "n")?;
        let boxes = self
            .mailboxes_where(condition_of(filter), Some((offset, limit)))
            .await?;
        Ok((boxes, u64::try_from(total).unwrap_or_default()))
    }

    /// Boxes whose changes the server has not applied, oldest first.
    pub async fn pending_mailboxes(&self, limit: u64) -> Result<Vec<Mailbox>, StoreError> {
        self.mailboxes_where(
            Expr::col("revision").gt(Expr::col("synced_revision")),
            Some((0, limit)),
        )
        .await
    }

    /// Every box the server should hold: approved, active or suspended.
    pub async fn directory_mailboxes(&self) -> Result<Vec<Mailbox>, StoreError> {
        self.mailboxes_where(
            Expr::col("status").is_in([
                MailboxStatus::Approved.as_str(),
                MailboxStatus::Active.as_str(),
                MailboxStatus::Suspended.as_str(),
            ]),
            None,
        )
        .await
    }

    async fn mailboxes_where(
        &self,
        condition: SimpleExpr,
        page: Option<(u64, u64)>,
    ) -> Result<Vec<Mailbox>, StoreError> {
        let mut query: SelectStatement = Query::select()
            .columns(COLUMNS)
            .from("mailboxes")
            .and_where(condition)
            .order_by("id", Order::Asc)
            .take();
        if let Some((offset, limit)) = page {
            query.offset(countable(offset)).limit(countable(limit));
        }
        let rows = self.conn().query_all(&query).await?;
        let mut boxes = rows.iter().map(mailbox_of).collect::<Result<Vec<_>, _>>()?;
        let ids: Vec<MailboxId> = boxes.iter().map(|m| m.id).collect();
        let mut aliases: HashMap<MailboxId, Vec<String>> = HashMap::new();
        // In slices, as PostgreSQL takes at most 65,535 parameters.
        for chunk in ids.chunks(10_000) {
            let rows = self
                .conn()
                .query_all(
                    &Query::select()
                        .columns(["address", "mailbox_id"])
                        .from("mail_aliases")
                        .and_where(Expr::col("mailbox_id").is_in(chunk.iter().copied()))
                        .order_by("address", Order::Asc)
                        .take(),
                )
                .await?;
            for row in rows {
                aliases
                    .entry(row.try_get("", "mailbox_id")?)
                    .or_default()
                    .push(row.try_get("", "address")?);
            }
        }
        for m in &mut boxes {
            m.aliases = aliases.remove(&m.id).unwrap_or_default();
        }
        Ok(boxes)
    }

    /// Adds to box `id`'s history.
    pub async fn insert_mailbox_event(
        &self,
        id: MailboxId,
        event: &MailboxEvent,
    ) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::insert()
                    .into_table("mailbox_events")
                    .columns(["mailbox_id", "at", "person_id", "action", "note"])
                    .values_panic([
                        id.into(),
                        event.at.into(),
                        event.person_id.into(),
                        event.action.clone().into(),
                        event.note.clone().into(),
                    ])
                    .take(),
            )
            .await?;
        Ok(())
    }

    /// Box `id`'s history, oldest first.
    pub async fn mailbox_events(&self, id: MailboxId) -> Result<Vec<MailboxEvent>, StoreError> {
        let rows = self
            .conn()
            .query_all(
                &Query::select()
                    .columns(["at", "person_id", "action", "note"])
                    .from("mailbox_events")
                    .and_where(Expr::col("mailbox_id").eq(id))
                    .order_by("at", Order::Asc)
                    .order_by("id", Order::Asc)
                    .take(),
            )
            .await?;
        rows.iter()
            .map(|row| {
                Ok(MailboxEvent {
                    at: row.try_get("", "at")?,
                    person_id: row.try_get("", "person_id")?,
                    action: row.try_get("", "action")?,
                    note: row.try_get("", "note")?,
                })
            })
            .collect()
    }

    /// Box `id`'s sign-in state at the mail server.
    pub async fn mailbox_login(&self, id: MailboxId) -> Result<LoginState, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::select()
                    .columns(["failed_logins", "locked_until"])
                    .from("mailboxes")
                    .and_where(Expr::col("id").eq(id))
                    .take(),
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        let failed: i32 = row.try_get("", "failed_logins")?;
        Ok(LoginState {
            failed_in_a_row: u32::try_from(failed).map_err(corrupt("mailboxes.failed_logins"))?,
            locked_until: row.try_get("", "locked_until")?,
        })
    }

    pub async fn set_mailbox_login(
        &self,
        id: MailboxId,
        login: LoginState,
    ) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::update()
                    .table("mailboxes")
                    .values([
                        ("failed_logins", i64::from(login.failed_in_a_row).into()),
                        ("locked_until", login.locked_until.into()),
                    ])
                    .and_where(Expr::col("id").eq(id))
                    .take(),
            )
            .await?;
        Ok(())
    }
}

impl Tx {
    /// How many boxes have changes the server has not applied.
    pub async fn pending_mailbox_count(&self) -> Result<usize, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::select()
                    .expr_as(sea_orm::sea_query::Func::count(Expr::col("id")), "n")
                    .from("mailboxes")
                    .and_where(Expr::col("revision").gt(Expr::col("synced_revision")))
                    .take(),
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        let n: i64 = row.try_get("", "n")?;
        Ok(usize::try_from(n).unwrap_or_default())
    }
}
