//! The procedure catalogue's queries: an agency's procedures with every
//! version, the latest version of a national code, closing a version a
//! later one replaces, and the national portal's publication records.
//! Rows are mapped by `services::procedure_of`, the one mapping.

use domain::agencies::AgencyId;
use domain::people::PersonId;
use domain::services::{Procedure, ProcedureId};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, Order};
use time::{Date, OffsetDateTime};

use crate::services::{PROCEDURE_COLUMNS, procedure_of};
use crate::{StoreError, Tx};

/// When a procedure version was published on the National Public
/// Service Portal, and who recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    pub procedure_id: ProcedureId,
    pub published_on: Date,
    pub recorded_by: Option<PersonId>,
    pub recorded_at: OffsetDateTime,
}

fn procedures() -> SelectStatement {
    Query::select()
        .columns(PROCEDURE_COLUMNS)
        .from("procedures")
        .take()
}

impl Tx {
    async fn procedures_where(&self, query: SelectStatement) -> Result<Vec<Procedure>, StoreError> {
        self.conn()
            .query_all(&query)
            .await?
            .iter()
            .map(procedure_of)
            .collect()
    }

    /// Every version of the procedures of `agencies`, by national code and
    /// version.
    pub async fn catalogue_versions(
        &self,
        agencies: &[AgencyId],
    ) -> Result<Vec<Procedure>, StoreError> {
        self.procedures_where(
            procedures()
                .and_where(Expr::col("agency_id").is_in(agencies.iter().copied()))
                .order_by("agency_id", Order::Asc)
                .order_by("national_code", Order::Asc)
                .order_by("version", Order::Asc)
                .take(),
        )
        .await
    }

    /// Every version of `code` in `agency`, oldest first.
    pub async fn procedure_versions(
        &self,
        agency: AgencyId,
        code: &str,
    ) -> Result<Vec<Procedure>, StoreError> {
        self.procedures_where(
            procedures()
                .and_where(Expr::col("agency_id").eq(agency))
                .and_where(Expr::col("national_code").eq(code))
                .order_by("version", Order::Asc)
                .order_by("id", Order::Asc)
                .take(),
        )
        .await
    }

    /// Sets the last day in force of a version a later one replaces (the
    /// only change a stored version ever gets).
    pub async fn close_procedure(
        &self,
        id: ProcedureId,
        effective_to: Date,
    ) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::update()
                    .table("procedures")
                    .value("effective_to", effective_to)
                    .and_where(Expr::col("id").eq(id))
                    .take(),
            )
            .await?;
        Ok(())
    }

    pub async fn insert_publication(&self, p: &Publication) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::insert()
                    .into_table("procedure_publications")
                    .columns(["procedure_id", "published_on", "recorded_by", "recorded_at"])
                    .values_panic([
                        p.procedure_id.into(),
                        p.published_on.into(),
                        p.recorded_by.into(),
                        p.recorded_at.into(),
                    ])
                    .take(),
            )
            .await?;
        Ok(())
    }

    /// The publication records of the versions of `agencies`.
    pub async fn publications(
        &self,
        agencies: &[AgencyId],
    ) -> Result<Vec<(Publication, AgencyId, String)>, StoreError> {
        let rows = self
            .conn()
            .query_all(
                &Query::select()
                    .columns([
                        ("procedure_publications", "procedure_id"),
                        ("procedure_publications", "published_on"),
                        ("procedure_publications", "recorded_by"),
                        ("procedure_publications", "recorded_at"),
                        ("procedures", "agency_id"),
                        ("procedures", "national_code"),
                    ])
                    .from("procedure_publications")
                    .inner_join(
                        "procedures",
                        Expr::col(("procedures", "id"))
                            .equals(("procedure_publications", "procedure_id")),
                    )
                    .and_where(
                        Expr::col(("procedures", "agency_id")).is_in(agencies.iter().copied()),
                    )
                    .order_by(("procedure_publications", "procedure_id"), Order::Asc)
                    .take(),
            )
            .await?;
        rows.iter()
            .map(|row| {
                Ok((
                    Publication {
                        procedure_id: row.try_get("", "procedure_id")?,
                        published_on: row.try_get("", "published_on")?,
                        recorded_by: row.try_get("", "recorded_by")?,
                        recorded_at: row.try_get("", "recorded_at")?,
                    },
                    row.try_get("", "agency_id")?,
                    row.try_get("", "national_code")?,
                ))
            })
            .collect()
    }
}
