//! Mail domains and mailbox requests.

use domain::agencies::AgencyId;
use domain::mail::addresses::{MailDomain, MailDomainId};
use domain::mail::requests::{MailboxRequest, RequestId, RequestStatus};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, Order, QueryResult};

use crate::error::corrupt;
use crate::{StoreError, Tx};

const COLUMNS: [&str; 12] = [
    "id",
    "agency_id",
    "kind",
    "requested_by",
    "submitted_at",
    "status",
    "agency_approved_by",
    "agency_approved_at",
    "decided_by",
    "decided_at",
    "reason",
    "note",
];

fn request_of(row: &QueryResult) -> Result<MailboxRequest, StoreError> {
    let text = |c: &str| -> Result<String, StoreError> { Ok(row.try_get("", c)?) };
    Ok(MailboxRequest {
        id: row.try_get("", "id")?,
        agency_id: row.try_get("", "agency_id")?,
        kind: text("kind")?
            .parse()
            .map_err(corrupt("mail_requests.kind"))?,
        requested_by: row.try_get("", "requested_by")?,
        submitted_at: row.try_get("", "submitted_at")?,
        status: text("status")?
            .parse()
            .map_err(corrupt("mail_requests.status"))?,
        agency_approved_by: row.try_get("", "agency_approved_by")?,
        agency_approved_at: row.try_get("", "agency_approved_at")?,
        decided_by: row.try_get("", "decided_by")?,
        decided_at: row.try_get("", "decided_at")?,
        reason: row.try_get("", "reason")?,
        note: text("note")?,
    })
}

impl Tx {
    /// The province's mail domains, oldest first.
    pub async fn mail_domains(&self) -> Result<Vec<MailDomain>, StoreError> {
        let rows = self
            .conn()
            .query_all(
                &Query::select()
                    .columns([
                        "id",
                        "name",
                        "agency_suffix",
                        "effective_from",
                        "effective_to",
                    ])
                    .from("mail_domains")
                    .order_by("effective_from", Order::Asc)
                    .take(),
            )
            .await?;
        rows.iter()
            .map(|row| {
                Ok(MailDomain {
                    id: row.try_get("", "id")?,
                    name: row.try_get("", "name")?,
                    agency_suffix: row.try_get("", "agency_suffix")?,
                    effective_from: row.try_get("", "effective_from")?,
                    effective_to: row.try_get("", "effective_to")?,
                })
            })
            .collect()
    }

    /// Records a mail domain; `d.id` is ignored.
    pub async fn insert_mail_domain(&self, d: &MailDomain) -> Result<MailDomainId, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::insert()
                    .into_table("mail_domains")
                    .columns(["name", "agency_suffix", "effective_from", "effective_to"])
                    .values_panic([
                        d.name.clone().into(),
                        d.agency_suffix.into(),
                        d.effective_from.into(),
                        d.effective_to.into(),
                    ])
                    .returning_col("id")
                    .take(),
            )
            .await?
            .ok_or_else(|| StoreError::Corrupt("no id for the mail domain".into()))?;
        Ok(row.try_get("", "id")?)
    }

    /// Closes domain `id` on `to` (its successor starts that day).
    pub async fn end_mail_domain(
        &self,
        id: MailDomainId,
        to: time::Date,
    ) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::update()
                    .table("mail_domains")
                    .value("effective_to", to)
                    .and_where(Expr::col("id").eq(id))
                    .take(),
            )
            .await?;
        Ok(())
    }

    /// Records a request; `r.id` is ignored.
    pub async fn insert_mail_request(&self, r: &MailboxRequest) -> Result<RequestId, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::insert()
                    .into_table("mail_requests")
                    .columns(COLUMNS.into_iter().skip(1))
                    .values_panic([
                        r.agency_id.into(),
                        r.kind.as_str().into(),
                        r.requested_by.into(),
                        r.submitted_at.into(),
                        r.status.as_str().into(),
                        r.agency_approved_by.into(),
                        r.agency_approved_at.into(),
                        r.decided_by.into(),
                        r.decided_at.into(),
                        r.reason.clone().into(),
                        r.note.clone().into(),
                    ])
                    .returning_col("id")
                    .take(),
            )
            .await?
            .ok_or_else(|| StoreError::Corrupt("no id for the mail request".into()))?;
        Ok(row.try_get("", "id")?)
    }

    /// Writes a request's decisions.
    pub async fn update_mail_request(&self, r: &MailboxRequest) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::update()
                    .table("mail_requests")
                    .values([
                        ("status", r.status.as_str().into()),
                        ("agency_approved_by", r.agency_approved_by.into()),
                        ("agency_approved_at", r.agency_approved_at.into()),
                        ("decided_by", r.decided_by.into()),
                        ("decided_at", r.decided_at.into()),
                        ("reason", r.reason.clone().into()),
                    ])
                    .and_where(Expr::col("id").eq(r.id))
                    .take(),
            )
            .await?;
        Ok(())
    }

    pub async fn mail_request(&self, id: RequestId) -> Result<Option<MailboxRequest>, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::select()
                    .columns(COLUMNS)
                    .from("mail_requests")
                    .and_where(Expr::col("id").eq(id))
                    .take(),
            )
            .await?;
        row.as_ref().map(request_of).transpose()
    }

    /// Requests of `agencies` (all when `None`) in `statuses` (all when
    /// empty), newest first.
    pub async fn mail_requests(
        &self,
        agencies: Option<&[AgencyId]>,
        statuses: &[RequestStatus],
        limit: u64,
    ) -> Result<Vec<MailboxRequest>, StoreError> {
        let mut query = Query::select();
        query
            .columns(COLUMNS)
            .from("mail_requests")
            .order_by("id", Order::Desc)
            .limit(super::mailboxes::countable(limit));
        if let Some(agencies) = agencies {
            query.and_where(Expr::col("agency_id").is_in(agencies.iter().copied()));
        }
        if !statuses.is_empty() {
            query.and_where(Expr::col("status").is_in(statuses.iter().map(|s| s.as_str())));
        }
        let rows = self.conn().query_all(&query).await?;
        rows.iter().map(request_of).collect()
    }
}
