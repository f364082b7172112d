//! The CA's records: its authorities (with their latest CRL), the
//! certificates it issued and revoked, pre-signed OCSP answers, and
//! certificate requests with their steps; and the report's figures.

use domain::pki::{
    AuthorityRecord, CertificateFigures, CertificateRecord, CertificateRequest, Holder, Profile,
    RequestAction, RequestId, RequestState, RequestStep, Revocation, RevocationReason, TokenKind,
};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, QueryResult};
use time::OffsetDateTime;

use crate::error::corrupt;
use crate::{StoreError, Tx};

const AUTHORITY_COLUMNS: [&str; 10] = [
    "name",
    "profile",
    "parent",
    "key_ref",
    "digest",
    "certificate",
    "crl_number",
    "crl",
    "crl_next_update",
    "created_at",
];

const CERTIFICATE_COLUMNS: [&str; 16] = [
    "serial",
    "authority",
    "profile",
    "holder_kind",
    "holder_id",
    "token",
    "subject",
    "not_before",
    "not_after",
    "issued_at",
    "replaces",
    "revoked_at",
    "revocation_reason",
    "der",
    "agency_id",
    "key_ref",
];

const REQUEST_COLUMNS: [&str; 15] = [
    "id",
    "kind",
    "state",
    "holder_kind",
    "holder_id",
    "agency_id",
    "profile",
    "token",
    "certificate",
    "reason",
    "csr",
    "note",
    "requested_by",
    "requested_at",
    "issued",
];

fn parsed<T: std::str::FromStr>(row: &QueryResult, column: &str) -> Result<T, StoreError>
where
    T::Err: std::fmt::Display,
{
    let text: String = row.try_get("", column)?;
    text.parse().map_err(corrupt(column))
}

fn parsed_null<T: std::str::FromStr>(
    row: &QueryResult,
    column: &str,
) -> Result<Option<T>, StoreError>
where
    T::Err: std::fmt::Display,
{
    let text: Option<String> = row.try_get("", column)?;
    text.map(|t| t.parse().map_err(corrupt(column))).transpose()
}

fn holder_of(row: &QueryResult) -> Result<Holder, StoreError> {
    let kind: String = row.try_get("", "holder_kind")?;
    let id: Option<i64> = row.try_get("", "holder_id")?;
    Holder::from_parts(&kind, id)
        .ok_or_else(|| StoreError::Corrupt(format!("holder {kind} {id:?}")))
}

fn authority_of(row: &QueryResult) -> Result<AuthorityRecord, StoreError> {
    Ok(AuthorityRecord {
        name: row.try_get("", "name")?,
        profile: parsed(row, "profile")?,
        parent: row.try_get("", "parent")?,
        key_ref: row.try_get("", "key_ref")?,
        digest: row.try_get("", "digest")?,
        certificate: row.try_get("", "certificate")?,
        crl_number: row.try_get("", "crl_number")?,
        crl: row.try_get("", "crl")?,
        crl_next_update: row.try_get("", "crl_next_update")?,
        created_at: row.try_get("", "created_at")?,
    })
}

fn certificate_of(row: &QueryResult) -> Result<CertificateRecord, StoreError> {
    let revoked_at: Option<OffsetDateTime> = row.try_get("", "revoked_at")?;
    let reason: Option<RevocationReason> = parsed_null(row, "revocation_reason")?;
    Ok(CertificateRecord {
        serial: row.try_get("", "serial")?,
        authority: row.try_get("", "authority")?,
        profile: parsed(row, "profile")?,
        holder: holder_of(row)?,
        token: parsed(row, "token")?,
        subject: row.try_get("", "subject")?,
        not_before: row.try_get("", "not_before")?,
        not_after: row.try_get("", "not_after")?,
        issued_at: row.try_get("", "issued_at")?,
        replaces: row.try_get("", "replaces")?,
        revocation: revoked_at.map(|at| Revocation {
            at,
            reason: reason.unwrap_or(RevocationReason::Unspecified),
        }),
        key_ref: row.try_get("", "key_ref")?,
        der: row.try_get("", "der")?,
    })
}

fn request_of(row: &QueryResult) -> Result<CertificateRequest, StoreError> {
    Ok(CertificateRequest {
        id: row.try_get("", "id")?,
        kind: parsed(row, "kind")?,
        state: parsed(row, "state")?,
        holder: holder_of(row)?,
        agency_id: row.try_get("", "agency_id")?,
        profile: parsed(row, "profile")?,
        token: parsed(row, "token")?,
        certificate: row.try_get("", "certificate")?,
        reason: parsed_null(row, "reason")?,
        csr: row.try_get("", "csr")?,
        note: row.try_get("", "note")?,
        requested_by: row.try_get("", "requested_by")?,
        requested_at: row.try_get("", "requested_at")?,
        issued: row.try_get("", "issued")?,
    })
}

/// Which certificates a list shows.
#[derive(Debug, Clone, Default)]
pub struct CertificateFilter {
    pub holder: Option<Holder>,
    /// Issued to a holder in one of these agencies.
    pub agencies: Option<Vec<i64>>,
    /// Only holders' certificates (not the CA's own).
    pub holders_only: bool,
    pub limit: u64,
    pub offset: u64,
}

impl Tx {
    pub async fn insert_authority(&self, a: &AuthorityRecord) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::insert()
                    .into_table("pki_authorities")
                    .columns(AUTHORITY_COLUMNS)
                    .values_panic([
                        a.name.clone().into(),
                        a.profile.as_str().into(),
                        a.parent.clone().into(),
                        a.key_ref.clone().into(),
                        a.digest.clone().into(),
                        a.certificate.clone().into(),
                        a.crl_number.into(),
                        a.crl.clone().into(),
                        a.crl_next_update.into(),
                        a.created_at.into(),
                    ])
                    .take(),
            )
            .await?;
        Ok(())
    }

    /// Every authority, the root first.
    pub async fn authorities(&self) -> Result<Vec<AuthorityRecord>, StoreError> {
        let rows = self
            .conn()
            .query_all(
                &Query::select()
                    .columns(AUTHORITY_COLUMNS)
                    .from("pki_authorities")
                    .order_by("created_at", sea_orm::Order::Asc)
                    .order_by("name", sea_orm::Order::Asc)
                    .take(),
            )
            .await?;
        rows.iter().map(authority_of).collect()
    }

    pub async fn authority(&self, name: &str) -> Result<Option<AuthorityRecord>, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::select()
                    .columns(AUTHORITY_COLUMNS)
                    .from("pki_authorities")
                    .and_where(Expr::col("name").eq(name))
                    .take(),
            )
            .await?;
        row.as_ref().map(authority_of).transpose()
    }

    /// Keeps a newly signed CRL as the authority's current one.
    pub async fn set_crl(
        &self,
        authority: &str,
        number: i64,
        crl: &[u8],
        next_update: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let done = self
            .conn()
            .execute(
                &Query::update()
                    .table("pki_authorities")
                    .value("crl_number", number)
                    .value("crl", crl.to_vec())
                    .value("crl_next_update", next_update)
                    .and_where(Expr::col("name").eq(authority))
                    .take(),
            )
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    pub async fn insert_certificate(
        &self,
        c: &CertificateRecord,
        agency: Option<i64>,
        request: Option<RequestId>,
    ) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::insert()
                    .into_table("pki_certificates")
                    .columns(CERTIFICATE_COLUMNS.into_iter().chain(["request_id"]))
                    .values_panic([
                        c.serial.clone().into(),
                        c.authority.clone().into(),
                        c.profile.as_str().into(),
                        c.holder.kind().into(),
                        c.holder.id().into(),
                        c.token.as_str().into(),
                        c.subject.clone().into(),
                        c.not_before.into(),
                        c.not_after.into(),
                        c.issued_at.into(),
                        c.replaces.clone().into(),
                        c.revocation.map(|r| r.at).into(),
                        c.revocation.map(|r| r.reason.as_str()).into(),
                        c.der.clone().into(),
                        agency.into(),
                        c.key_ref.clone().into(),
                        request.into(),
                    ])
                    .take(),
            )
            .await?;
        Ok(())
    }

    pub async fn certificate(&self, serial: &str) -> Result<Option<CertificateRecord>, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::select()
                    .columns(CERTIFICATE_COLUMNS)
                    .from("pki_certificates")
                    .and_where(Expr::col("serial").eq(serial))
                    .take(),
            )
            .await?;
        row.as_ref().map(certificate_of).transpose()
    }

    /// Certificates, newest first.
    pub async fn certificates(
        &self,
        filter: &CertificateFilter,
    ) -> Result<Vec<CertificateRecord>, StoreError> {
        let mut query = Query::select()
            .columns(CERTIFICATE_COLUMNS)
            .from("pki_certificates")
            .order_by("issued_at", sea_orm::Order::Desc)
            .order_by("serial", sea_orm::Order::Asc)
            .limit(filter.limit)
            .offset(filter.offset)
            .take();
        if let Some(holder) = filter.holder {
            query.and_where(Expr::col("holder_kind").eq(holder.kind()));
            if let Some(id) = holder.id() {
                query.and_where(Expr::col("holder_id").eq(id));
            }
        }
        if let Some(agencies) = &filter.agencies {
            query.and_where(Expr::col("agency_id").is_in(agencies.clone()));
        }
        if filter.holders_only {
            query.and_where(Expr::col("holder_kind").ne("service"));
        }
        let rows = self.conn().query_all(&query).await?;
        rows.iter().map(certificate_of).collect()
    }

    /// Marks a certificate revoked; `false` if it was already.
    pub async fn revoke_certificate(
        &self,
        serial: &str,
        revocation: Revocation,
    ) -> Result<bool, StoreError> {
        let done = self
            .conn()
            .execute(
                &Query::update()
                    .table("pki_certificates")
                    .value("revoked_at", revocation.at)
                    .value("revocation_reason", revocation.reason.as_str())
                    .and_where(Expr::col("serial").eq(serial))
                    .and_where(Expr::col("revoked_at").is_null())
                    .take(),
            )
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// The revoked certificates of an authority, for its CRL. Expired ones
    /// stay listed: RFC 5280 lets a CA drop them, but an archive checking
    /// an old signature wants to find them.
    pub async fn revoked_by(&self, authority: &str) -> Result<Vec<CertificateRecord>, StoreError> {
        let rows = self
            .conn()
            .query_all(
                &Query::select()
                    .columns(CERTIFICATE_COLUMNS)
                    .from("pki_certificates")
                    .and_where(Expr::col("authority").eq(authority))
                    .and_where(Expr::col("revoked_at").is_not_null())
                    .order_by("revoked_at", sea_orm::Order::Asc)
                    .order_by("serial", sea_orm::Order::Asc)
                    .take(),
            )
            .await?;
        rows.iter().map(certificate_of).collect()
    }

    /// Holders' certificates valid at `at` that end before `until`.
    pub async fn expiring(
        &self,
        at: OffsetDateTime,
        until: OffsetDateTime,
    ) -> Result<Vec<CertificateRecord>, StoreError> {
        let rows = self
            .conn()
            .query_all(
                &Query::select()
                    .columns(CERTIFICATE_COLUMNS)
                    .from("pki_certificates")
                    .and_where(Expr::col("holder_kind").ne("service"))
                    .and_where(Expr::col("revoked_at").is_null())
                    .and_where(Expr::col("not_after").gt(at))
                    .and_where(Expr::col("not_after").lte(until))
                    .order_by("not_after", sea_orm::Order::Asc)
                    .take(),
            )
            .await?;
        rows.iter().map(certificate_of).collect()
    }

    /// Stores (or replaces) the pre-signed OCSP answer for a serial.
    pub async fn put_ocsp_answer(
        &self,
        serial: &str,
        der: &[u8],
        next_update: OffsetDateTime,
    ) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::delete()
                    .from_table("pki_ocsp_answers")
                    .and_where(Expr::col("serial").eq(serial))
                    .take(),
            )
            .await?;
        self.conn()
            .execute(
                &Query::insert()
                    .into_table("pki_ocsp_answers")
                    .columns(["serial", "der", "next_update"])
                    .values_panic([serial.into(), der.to_vec().into(), next_update.into()])
                    .take(),
            )
            .await?;
        Ok(())
    }

    /// The pre-signed answer for a serial, if still fresh at `at`.
    pub async fn ocsp_answer(
        &self,
        serial: &str,
        at: OffsetDateTime,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::select()
                    .column("der")
                    .from("pki_ocsp_answers")
                    .and_where(Expr::col("serial").eq(serial))
                    .and_where(Expr::col("next_update").gt(at))
                    .take(),
            )
            .await?;
        Ok(row.map(|r| r.try_get("", "der")).transpose()?)
    }

    /// Serials whose pre-signed answer lapses before `before` (or has none),
    /// among certificates not yet expired at `at`: what the refresh job signs.
    pub async fn stale_ocsp_answers(
        &self,
        at: OffsetDateTime,
        before: OffsetDateTime,
        limit: u64,
    ) -> Result<Vec<String>, StoreError> {
        let fresh = Query::select()
            .column("serial")
            .from("pki_ocsp_answers")
            .and_where(Expr::col("next_update").gte(before))
            .take();
        let rows = self
            .conn()
            .query_all(
                &Query::select()
                    .column("serial")
                    .from("pki_certificates")
                    .and_where(Expr::col("not_after").gt(at))
                    .and_where(Expr::col("serial").not_in_subquery(fresh))
                    .order_by("serial", sea_orm::Order::Asc)
                    .limit(limit)
                    .take(),
            )
            .await?;
        rows.into_iter()
            .map(|r| Ok(r.try_get("", "serial")?))
            .collect()
    }

    /// Records a renewal reminder; `false` if that person was already
    /// reminded of that certificate.
    pub async fn insert_certificate_reminder(
        &self,
        serial: &str,
        person: i64,
        text: &str,
        at: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let done = self
            .conn()
            .execute(
                &Query::insert()
                    .into_table("pki_reminders")
                    .columns(["serial", "person_id", "text", "created_at"])
                    .values_panic([serial.into(), person.into(), text.into(), at.into()])
                    .on_conflict(
                        sea_orm::sea_query::OnConflict::columns(["serial", "person_id"])
                            .do_nothing()
                            .to_owned(),
                    )
                    .take(),
            )
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// A person's renewal reminders for certificates still valid at `at`,
    /// soonest expiry first: (serial, text).
    pub async fn certificate_reminders(
        &self,
        person: i64,
        at: OffsetDateTime,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let rows = self
            .conn()
            .query_all(
                &Query::select()
                    .column(("pki_reminders", "serial"))
                    .column(("pki_reminders", "text"))
                    .from("pki_reminders")
                    .inner_join(
                        "pki_certificates",
                        Expr::col(("pki_certificates", "serial"))
                            .equals(("pki_reminders", "serial")),
                    )
                    .and_where(Expr::col(("pki_reminders", "person_id")).eq(person))
                    .and_where(Expr::col(("pki_certificates", "not_after")).gt(at))
                    .and_where(Expr::col(("pki_certificates", "revoked_at")).is_null())
                    .order_by(("pki_certificates", "not_after"), sea_orm::Order::Asc)
                    .take(),
            )
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("", "serial")?, r.try_get("", "text")?)))
            .collect()
    }

    pub async fn insert_certificate_request(
        &self,
        r: &CertificateRequest,
    ) -> Result<RequestId, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::insert()
                    .into_table("pki_requests")
                    .columns(REQUEST_COLUMNS.into_iter().skip(1))
                    .values_panic([
                        r.kind.as_str().into(),
                        r.state.as_str().into(),
                        r.holder.kind().into(),
                        r.holder.id().into(),
                        r.agency_id.into(),
                        r.profile.as_str().into(),
                        r.token.as_str().into(),
                        r.certificate.clone().into(),
                        r.reason.map(RevocationReason::as_str).into(),
                        r.csr.clone().into(),
                        r.note.clone().into(),
                        r.requested_by.into(),
                        r.requested_at.into(),
                        r.issued.clone().into(),
                    ])
                    .returning_col("id")
                    .take(),
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(row.try_get("", "id")?)
    }

    pub async fn certificate_request(
        &self,
        id: RequestId,
    ) -> Result<Option<CertificateRequest>, StoreError> {
        let row = self
            .conn()
            .query_one(&requests_query().and_where(Expr::col("id").eq(id)).take())
            .await?;
        row.as_ref().map(request_of).transpose()
    }

    /// Requests of these agencies (all when `None`) in these states (all
    /// when empty), newest first.
    pub async fn certificate_requests(
        &self,
        agencies: Option<&[i64]>,
        states: &[RequestState],
        limit: u64,
    ) -> Result<Vec<CertificateRequest>, StoreError> {
        let mut query = requests_query();
        if let Some(agencies) = agencies {
            query.and_where(Expr::col("agency_id").is_in(agencies.to_vec()));
        }
        if !states.is_empty() {
            query.and_where(Expr::col("state").is_in(states.iter().map(|s| s.as_str())));
        }
        let rows = self
            .conn()
            .query_all(
                &query
                    .order_by("id", sea_orm::Order::Desc)
                    .limit(limit)
                    .take(),
            )
            .await?;
        rows.iter().map(request_of).collect()
    }

    /// Moves a request on and records the step.
    pub async fn set_request_state(
        &self,
        id: RequestId,
        state: RequestState,
        issued: Option<&str>,
        step: &RequestStep,
    ) -> Result<(), StoreError> {
        let mut update = Query::update()
            .table("pki_requests")
            .value("state", state.as_str())
            .and_where(Expr::col("id").eq(id))
            .take();
        if let Some(serial) = issued {
            update.value("issued", serial);
        }
        self.conn().execute(&update).await?;
        self.conn()
            .execute(
                &Query::insert()
                    .into_table("pki_request_steps")
                    .columns(["request_id", "action", "by_person", "at", "note"])
                    .values_panic([
                        id.into(),
                        step.action.as_str().into(),
                        step.by.into(),
                        step.at.into(),
                        step.note.clone().into(),
                    ])
                    .take(),
            )
            .await?;
        Ok(())
    }

    pub async fn request_steps(&self, id: RequestId) -> Result<Vec<RequestStep>, StoreError> {
        let rows = self
            .conn()
            .query_all(
                &Query::select()
                    .columns(["action", "by_person", "at", "note"])
                    .from("pki_request_steps")
                    .and_where(Expr::col("request_id").eq(id))
                    .order_by("id", sea_orm::Order::Asc)
                    .take(),
            )
            .await?;
        rows.iter()
            .map(|row| {
                Ok(RequestStep {
                    action: parsed::<RequestAction>(row, "action")?,
                    by: row.try_get("", "by_person")?,
                    at: row.try_get("", "at")?,
                    note: row.try_get("", "note")?,
                })
            })
            .collect()
    }

    /// The report's certificate figures for `[from, to)`: holders'
    /// certificates issued, renewed and revoked in it, and those valid at
    /// `to` by holder and token, and expiring within `soon` of it.
    pub async fn certificate_figures(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
        soon: OffsetDateTime,
    ) -> Result<CertificateFigures, StoreError> {
        let holders = || {
            Query::select()
                .expr(Expr::col("serial").count())
                .from("pki_certificates")
                .and_where(Expr::col("holder_kind").ne("service"))
                .take()
        };
        let valid = || {
            holders()
                .and_where(Expr::col("not_before").lte(to))
                .and_where(Expr::col("not_after").gt(to))
                .and_where(
                    Expr::col("revoked_at")
                        .is_null()
                        .or(Expr::col("revoked_at").gt(to)),
                )
                .take()
        };
        let mut issued = holders()
            .and_where(Expr::col("issued_at").gte(from))
            .and_where(Expr::col("issued_at").lt(to))
            .take();
        let usb = TokenKind::Usb.as_str();
        let sim = TokenKind::Sim.as_str();
        Ok(CertificateFigures {
            issued: self.count(issued.clone()).await?,
            renewed: self
                .count(issued.and_where(Expr::col("replaces").is_not_null()).take())
                .await?,
            revoked: self
                .count(
                    holders()
                        .and_where(Expr::col("revoked_at").gte(from))
                        .and_where(Expr::col("revoked_at").lt(to))
                        .take(),
                )
                .await?,
            valid: self.count(valid()).await?,
            valid_organizations: self
                .count(
                    valid()
                        .and_where(Expr::col("profile").eq(Profile::Organization.as_str()))
                        .take(),
                )
                .await?,
            valid_persons: self
                .count(
                    valid()
                        .and_where(Expr::col("profile").eq(Profile::Personal.as_str()))
                        .take(),
                )
                .await?,
            valid_usb: self
                .count(valid().and_where(Expr::col("token").eq(usb)).take())
                .await?,
            valid_sim: self
                .count(valid().and_where(Expr::col("token").eq(sim)).take())
                .await?,
            valid_other: self
                .count(
                    valid()
                        .and_where(Expr::col("token").is_not_in([usb, sim]))
                        .take(),
                )
                .await?,
            expiring_soon: self
                .count(valid().and_where(Expr::col("not_after").lte(soon)).take())
                .await?,
        })
    }

    /// The single count a query selects.
    pub(crate) async fn count(&self, query: SelectStatement) -> Result<u64, StoreError> {
        let row = self
            .conn()
            .query_one(&query)
            .await?
            .ok_or(StoreError::NotFound)?;
        let n: i64 = row.try_get_by_index(0)?;
        u64::try_from(n).map_err(corrupt("count"))
    }
}

fn requests_query() -> SelectStatement {
    Query::select()
        .columns(REQUEST_COLUMNS)
        .from("pki_requests")
        .take()
}
