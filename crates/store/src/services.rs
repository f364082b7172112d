//! Public services: the procedures of the catalogue, the dossiers
//! received for them, and each agency's daily sequence of dossier codes.

use domain::agencies::AgencyId;
use domain::services::{Applicant, Dossier, DossierId, Paper, Procedure, ProcedureId};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, QueryResult};
use time::{Date, OffsetDateTime};

mod accounts;
pub mod links;
mod payments;
mod workflow;

pub use accounts::AccountCredentials;
pub use workflow::Inbox;

use crate::counters::Counter;
use crate::error::corrupt;
use crate::{StoreError, Tx};

pub(crate) const PROCEDURE_COLUMNS: [&str; 13] = [
    "id",
    "agency_id",
    "national_code",
    "name",
    "field",
    "level",
    "online_mode",
    "processing_days",
    "fee",
    "effective_from",
    "effective_to",
    "version",
    "details",
];

pub(crate) const DOSSIER_COLUMNS: [&str; 21] = [
    "id",
    "code",
    "agency_id",
    "procedure_id",
    "channel",
    "status",
    "applicant_name",
    "applicant_kind",
    "phone",
    "email",
    "address",
    "received_at",
    "received_by",
    "due_on",
    "returned_at",
    "stopped_on",
    "stage",
    "handler_id",
    "promised_on",
    "result_document_id",
    "stage_due_at",
];

/// A dossier's row, in [`DOSSIER_COLUMNS`] order without the id.
pub(crate) fn dossier_values(d: &Dossier) -> [sea_orm::sea_query::SimpleExpr; 20] {
    let a = &d.applicant;
    [
        d.code.clone().into(),
        d.agency_id.into(),
        d.procedure_id.into(),
        d.channel.as_str().into(),
        d.status.as_str().into(),
        a.name.clone().into(),
        a.kind.as_str().into(),
        a.phone.clone().into(),
        a.email.clone().into(),
        a.address.clone().into(),
        d.received_at.into(),
        d.received_by.into(),
        d.due_on.into(),
        d.returned_at.into(),
        d.stopped_on.into(),
        d.stage.as_str().into(),
        d.handler_id.into(),
        d.promised_on.into(),
        d.result_document_id.into(),
        d.stage_due_at.into(),
    ]
}

/// The counter of `agency`'s dossier codes of `day`.
pub(crate) fn dossier_counter(agency: AgencyId, day: Date) -> Counter {
    Counter {
        table: "dossier_sequences",
        key: vec![("agency_id", agency.into()), ("day", day.into())],
    }
}

pub(crate) fn procedure_of(row: &QueryResult) -> Result<Procedure, StoreError> {
    let text = |column: &str| -> Result<String, StoreError> { Ok(row.try_get("", column)?) };
    let days: i32 = row.try_get("", "processing_days")?;
    let fee: i64 = row.try_get("", "fee")?;
    let version: i32 = row.try_get("", "version")?;
    Ok(Procedure {
        id: row.try_get("", "id")?,
        agency_id: row.try_get("", "agency_id")?,
        national_code: text("national_code")?,
        name: text("name")?,
        field: row.try_get("", "field")?,
        level: text("level")?
            .parse()
            .map_err(corrupt("procedures.level"))?,
        online: text("online_mode")?
            .parse()
            .map_err(corrupt("procedures.online_mode"))?,
        processing_days: u32::try_from(days).map_err(corrupt("procedures.processing_days"))?,
        fee: u64::try_from(fee).map_err(corrupt("procedures.fee"))?,
        effective_from: row.try_get("", "effective_from")?,
        effective_to: row.try_get("", "effective_to")?,
        version: u32::try_from(version).map_err(corrupt("procedures.version"))?,
        details: serde_json::from_str(&text("details")?).map_err(corrupt("procedures.details"))?,
    })
}

fn dossier_of(row: &QueryResult) -> Result<Dossier, StoreError> {
    let text = |column: &str| -> Result<String, StoreError> { Ok(row.try_get("", column)?) };
    Ok(Dossier {
        id: row.try_get("", "id")?,
        code: text("code")?,
        agency_id: row.try_get("", "agency_id")?,
        procedure_id: row.try_get("", "procedure_id")?,
        channel: text("channel")?
            .parse()
            .map_err(corrupt("dossiers.channel"))?,
        status: text("status")?
            .parse()
            .map_err(corrupt("dossiers.status"))?,
        stage: text("stage")?.parse().map_err(corrupt("dossiers.stage"))?,
        applicant: Applicant {
            name: text("applicant_name")?,
            kind: text("applicant_kind")?
                .parse()
                .map_err(corrupt("dossiers.applicant_kind"))?,
            phone: row.try_get("", "phone")?,
            email: row.try_get("", "email")?,
            address: row.try_get("", "address")?,
        },
        received_at: row.try_get("", "received_at")?,
        received_by: row.try_get("", "received_by")?,
        due_on: row.try_get("", "due_on")?,
        returned_at: row.try_get("", "returned_at")?,
        stopped_on: row.try_get("", "stopped_on")?,
        handler_id: row.try_get("", "handler_id")?,
        result_document_id: row.try_get("", "result_document_id")?,
        promised_on: row.try_get("", "promised_on")?,
        stage_due_at: row.try_get("", "stage_due_at")?,
        papers: Vec::new(),
        files: Vec::new(),
    })
}

impl Tx {
    /// Records a procedure (a version of it), with its forms' blobs
    /// pinned; `p.id` is ignored.
    pub async fn insert_procedure(
        &self,
        p: &Procedure,
        now: OffsetDateTime,
    ) -> Result<ProcedureId, StoreError> {
        let days = i32::try_from(p.processing_days).map_err(corrupt("processing days"))?;
        let fee = i64::try_from(p.fee).map_err(corrupt("fee"))?;
        let version = i32::try_from(p.version).map_err(corrupt("version"))?;
        let details = serde_json::to_string(&p.details).map_err(corrupt("details"))?;
        let row = self
            .conn()
            .query_one(
                &Query::insert()
                    .into_table("procedures")
                    .columns(PROCEDURE_COLUMNS.into_iter().skip(1).chain(["created_at"]))
                    .values_panic([
                        p.agency_id.into(),
                        p.national_code.clone().into(),
                        p.name.clone().into(),
                        p.field.clone().into(),
                        p.level.as_str().into(),
                        p.online.as_str().into(),
                        days.into(),
                        fee.into(),
                        p.effective_from.into(),
                        p.effective_to.into(),
                        version.into(),
                        details.into(),
                        now.into(),
                    ])
                    .returning_col("id")
                    .take(),
            )
            .await?
            .ok_or_else(|| StoreError::Corrupt("no id for the procedure".into()))?;
        let id: ProcedureId = row.try_get("", "id")?;
        let forms: std::collections::BTreeSet<&str> = p
            .details
            .papers
            .iter()
            .filter_map(|paper| paper.form.as_ref().map(|f| f.sha256.as_str()))
            .collect();
        for sha256 in forms {
            self.conn()
                .execute(
                    &Query::insert()
                        .into_table("procedure_forms")
                        .columns(["procedure_id", "sha256"])
                        .values_panic([id.into(), sha256.into()])
                        .take(),
                )
                .await?;
        }
        Ok(id)
    }

    pub async fn procedure(&self, id: ProcedureId) -> Result<Option<Procedure>, StoreError> {
        self.conn()
            .query_one(
                &Query::select()
                    .columns(PROCEDURE_COLUMNS)
                    .from("procedures")
                    .and_where(Expr::col("id").eq(id))
                    .take(),
            )
            .await?
            .as_ref()
            .map(procedure_of)
            .transpose()
    }

    /// Every procedure of the catalogue, by national code.
    pub async fn procedures(&self) -> Result<Vec<Procedure>, StoreError> {
        self.conn()
            .query_all(
                &Query::select()
                    .columns(PROCEDURE_COLUMNS)
                    .from("procedures")
                    .order_by("national_code", sea_orm::Order::Asc)
                    .order_by("id", sea_orm::Order::Asc)
                    .take(),
            )
            .await?
            .iter()
            .map(procedure_of)
            .collect()
    }

    /// The next sequence number of `agency`'s dossiers received on `day`,
    /// taken inside this write transaction ([`crate::counters`]: the day's
    /// codes stay gapless and unique across desks and servers).
    pub async fn next_dossier_sequence(
        &self,
        agency: AgencyId,
        day: Date,
    ) -> Result<u32, StoreError> {
        self.next_of(&dossier_counter(agency, day)).await
    }

    /// Records a dossier; `d.id` is ignored.
    pub async fn insert_dossier(&self, d: &Dossier) -> Result<DossierId, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::insert()
                    .into_table("dossiers")
                    .columns(DOSSIER_COLUMNS.into_iter().skip(1))
                    .values_panic(dossier_values(d))
                    .returning_col("id")
                    .take(),
            )
            .await?
            .ok_or_else(|| StoreError::Corrupt("no id for the dossier".into()))?;
        let id: DossierId = row.try_get("", "id")?;
        for (position, paper) in d.papers.iter().enumerate() {
            let position = i32::try_from(position).map_err(corrupt("paper position"))?;
            let copies = i32::try_from(paper.copies).map_err(corrupt("paper copies"))?;
            self.conn()
                .execute(
                    &Query::insert()
                        .into_table("dossier_papers")
                        .columns(["dossier_id", "position", "name", "copies"])
                        .values_panic([
                            id.into(),
                            position.into(),
                            paper.name.clone().into(),
                            copies.into(),
                        ])
                        .take(),
                )
                .await?;
        }
        self.insert_dossier_files(id, &d.files).await?;
        Ok(id)
    }

    /// Writes a dossier's state back: its stage and status, handler, due
    /// and promised dates, its stage's due moment, stop and return.
    pub async fn update_dossier_state(&self, d: &Dossier) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::update()
                    .table("dossiers")
                    .value("status", d.status.as_str())
                    .value("stage", d.stage.as_str())
                    .value("handler_id", d.handler_id)
                    .value("promised_on", d.promised_on)
                    .value("result_document_id", d.result_document_id)
                    .value("due_on", d.due_on)
                    .value("stopped_on", d.stopped_on)
                    .value("returned_at", d.returned_at)
                    .value("stage_due_at", d.stage_due_at)
                    .and_where(Expr::col("id").eq(d.id))
                    .take(),
            )
            .await?;
        Ok(())
    }

    /// `dossier` with its papers read.
    async fn with_papers(&self, mut dossier: Dossier) -> Result<Dossier, StoreError> {
        let rows = self
            .conn()
            .query_all(
                &Query::select()
                    .columns(["name", "copies"])
                    .from("dossier_papers")
                    .and_where(Expr::col("dossier_id").eq(dossier.id))
                    .order_by("position", sea_orm::Order::Asc)
                    .take(),
            )
            .await?;
        dossier.papers = rows
            .iter()
            .map(|row| {
                let copies: i32 = row.try_get("", "copies")?;
                Ok(Paper {
                    name: row.try_get("", "name")?,
                    copies: u32::try_from(copies).map_err(corrupt("dossier_papers.copies"))?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(dossier)
    }

    /// A dossier by its code, with its papers and files.
    pub async fn dossier_by_code(&self, code: &str) -> Result<Option<Dossier>, StoreError> {
        let found = self
            .conn()
            .query_one(
                &Query::select()
                    .columns(DOSSIER_COLUMNS)
                    .from("dossiers")
                    .and_where(Expr::col("code").eq(code))
                    .take(),
            )
            .await?
            .as_ref()
            .map(dossier_of)
            .transpose()?;
        match found {
            Some(dossier) => {
                let mut dossier = self.with_papers(dossier).await?;
                dossier.files = self.dossier_files(dossier.id).await?;
                Ok(Some(dossier))
            }
            None => Ok(None),
        }
    }

    /// Whether `agency` has received any dossier.
    pub async fn has_dossiers(&self, agency: AgencyId) -> Result<bool, StoreError> {
        Ok(self
            .conn()
            .query_one(
                &Query::select()
                    .column("id")
                    .from("dossiers")
                    .and_where(Expr::col("agency_id").eq(agency))
                    .limit(1)
                    .take(),
            )
            .await?
            .is_some())
    }

    /// `agency`'s dossiers received in `[from, to)`, in the order received
    /// (without their papers).
    pub async fn dossiers_received(
        &self,
        agency: AgencyId,
        (from, to): (OffsetDateTime, OffsetDateTime),
    ) -> Result<Vec<Dossier>, StoreError> {
        self.conn()
            .query_all(
                &Query::select()
                    .columns(DOSSIER_COLUMNS)
                    .from("dossiers")
                    .and_where(Expr::col("agency_id").eq(agency))
                    .and_where(Expr::col("received_at").gte(from))
                    .and_where(Expr::col("received_at").lt(to))
                    .order_by("id", sea_orm::Order::Asc)
                    .take(),
            )
            .await?
            .iter()
            .map(dossier_of)
            .collect()
    }
}
