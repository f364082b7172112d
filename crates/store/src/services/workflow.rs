//! What a dossier gathers as it is worked on: the files uploaded or
//! scanned with it, the steps it took (its e-mail confirmation is a
//! `links::Link`), and the lists of dossiers waiting at each desk.

use domain::agencies::AgencyId;
use domain::people::PersonId;
use domain::services::{Dossier, DossierFile, DossierId, Stage, Step};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, Order};

use super::{DOSSIER_COLUMNS, dossier_of};
use crate::error::corrupt;
use crate::{StoreError, Tx};

/// Which dossiers a list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inbox {
    /// Of these agencies, at these stages (the desk's and the leader's).
    Stages(Vec<AgencyId>, Vec<Stage>),
    /// Given to this person and still in handling.
    Handler(PersonId),
}

impl Tx {
    pub(super) async fn insert_dossier_files(
        &self,
        dossier: DossierId,
        files: &[DossierFile],
    ) -> Result<(), StoreError> {
        for file in files {
            let position = i32::try_from(file.position).map_err(corrupt("file position"))?;
            let size = i64::try_from(file.size).map_err(corrupt("file size"))?;
            self.conn()
                .execute(
                    &Query::insert()
                        .into_table("dossier_files")
                        .columns([
                            "dossier_id",
                            "position",
                            "paper",
                            "name",
                            "media_type",
                            "size",
                            "sha256",
                        ])
                        .values_panic([
                            dossier.into(),
                            position.into(),
                            file.paper.clone().into(),
                            file.name.clone().into(),
                            file.media_type.as_str().into(),
                            size.into(),
                            file.sha256.clone().into(),
                        ])
                        .take(),
                )
                .await?;
        }
        Ok(())
    }

    pub async fn dossier_files(&self, dossier: DossierId) -> Result<Vec<DossierFile>, StoreError> {
        let rows = self
            .conn()
            .query_all(
                &Query::select()
                    .columns(["position", "paper", "name", "media_type", "size", "sha256"])
                    .from("dossier_files")
                    .and_where(Expr::col("dossier_id").eq(dossier))
                    .order_by("position", Order::Asc)
                    .take(),
            )
            .await?;
        rows.iter()
            .map(|row| {
                let position: i32 = row.try_get("", "position")?;
                let size: i64 = row.try_get("", "size")?;
                let media_type: String = row.try_get("", "media_type")?;
                Ok(DossierFile {
                    position: u32::try_from(position).map_err(corrupt("dossier_files.position"))?,
                    paper: row.try_get("", "paper")?,
                    name: row.try_get("", "name")?,
                    media_type: domain::files::MediaType::from_name(&media_type)
                        .ok_or_else(|| StoreError::Corrupt("dossier_files.media_type".into()))?,
                    size: u64::try_from(size).map_err(corrupt("dossier_files.size"))?,
                    sha256: row.try_get("", "sha256")?,
                })
            })
            .collect()
    }

    pub async fn insert_step(&self, dossier: DossierId, step: &Step) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::insert()
                    .into_table("dossier_steps")
                    .columns([
                        "dossier_id",
                        "at",
                        "action",
                        "actor_id",
                        "actor_label",
                        "stage",
                        "note",
                        "due_at",
                        "letter_sha256",
                    ])
                    .values_panic([
                        dossier.into(),
                        step.at.into(),
                        step.action.as_str().into(),
                        step.actor_id.into(),
                        step.actor_label.clone().into(),
                        step.stage.as_str().into(),
                        step.note.clone().into(),
                        step.due_at.into(),
                        step.letter.clone().into(),
                    ])
                    .take(),
            )
            .await?;
        Ok(())
    }

    /// A dossier's steps, first first.
    pub async fn dossier_steps(&self, dossier: DossierId) -> Result<Vec<Step>, StoreError> {
        let rows = self
            .conn()
            .query_all(
                &Query::select()
                    .columns([
                        "at",
                        "action",
                        "actor_id",
                        "actor_label",
                        "stage",
                        "note",
                        "due_at",
                        "letter_sha256",
                    ])
                    .from("dossier_steps")
                    .and_where(Expr::col("dossier_id").eq(dossier))
                    .order_by("id", Order::Asc)
                    .take(),
            )
            .await?;
        rows.iter()
            .map(|row| {
                let text =
                    |column: &str| -> Result<String, StoreError> { Ok(row.try_get("", column)?) };
                Ok(Step {
                    at: row.try_get("", "at")?,
                    action: text("action")?
                        .parse()
                        .map_err(corrupt("dossier_steps.action"))?,
                    actor_id: row.try_get("", "actor_id")?,
                    actor_label: text("actor_label")?,
                    stage: text("stage")?
                        .parse()
                        .map_err(corrupt("dossier_steps.stage"))?,
                    note: text("note")?,
                    due_at: row.try_get("", "due_at")?,
                    letter: row.try_get("", "letter_sha256")?,
                })
            })
            .collect()
    }

    /// The dossiers of `inbox`, oldest due first (without papers and files).
    pub async fn dossier_inbox(
        &self,
        inbox: &Inbox,
        limit: u64,
    ) -> Result<Vec<Dossier>, StoreError> {
        let mut query = Query::select();
        query.columns(DOSSIER_COLUMNS).from("dossiers");
        match inbox {
            Inbox::Stages(agencies, stages) => {
                query
                    .and_where(Expr::col("agency_id").is_in(agencies.iter().copied()))
                    .and_where(Expr::col("stage").is_in(stages.iter().map(|s| s.as_str())));
            }
            Inbox::Handler(person) => {
                query
                    .and_where(Expr::col("handler_id").eq(*person))
                    .and_where(Expr::col("stage").eq(Stage::Handling.as_str()));
            }
        }
        query
            .order_by("due_on", Order::Asc)
            .order_by("id", Order::Asc)
            .limit(limit);
        self.conn()
            .query_all(&query)
            .await?
            .iter()
            .map(dossier_of)
            .collect()
    }

    /// A dossier by its id, with papers and files.
    pub async fn dossier(&self, id: DossierId) -> Result<Option<Dossier>, StoreError> {
        let code: Option<String> = self
            .conn()
            .query_one(
                &Query::select()
                    .column("code")
                    .from("dossiers")
                    .and_where(Expr::col("id").eq(id))
                    .take(),
            )
            .await?
            .map(|row| row.try_get("", "code"))
            .transpose()?;
        match code {
            Some(code) => self.dossier_by_code(&code).await,
            None => Ok(None),
        }
    }
}
