//! Signing sessions: a PDF prepared for a signature made on the signer's
//! own token, waiting for it.

use domain::signing::SigningSession;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, QueryResult};
use time::OffsetDateTime;

use crate::error::corrupt;
use crate::{StoreError, Tx};

const COLUMNS: [&str; 12] = [
    "id",
    "person_id",
    "draft_id",
    "draft_version",
    "certificate",
    "name",
    "prepared_sha256",
    "prepared",
    "created_at",
    "expires_at",
    "signed_sha256",
    "completed_at",
];

fn session_of(row: &QueryResult) -> Result<SigningSession, StoreError> {
    let draft_id: Option<i64> = row.try_get("", "draft_id")?;
    let version: Option<i32> = row.try_get("", "draft_version")?;
    let draft = match (draft_id, version) {
        (Some(id), Some(version)) => Some((
            id,
            u32::try_from(version).map_err(corrupt("signing_sessions.draft_version"))?,
        )),
        _ => None,
    };
    Ok(SigningSession {
        id: row.try_get("", "id")?,
        person_id: row.try_get("", "person_id")?,
        draft,
        certificate: row.try_get("", "certificate")?,
        name: row.try_get("", "name")?,
        prepared_sha256: row.try_get("", "prepared_sha256")?,
        prepared: row.try_get("", "prepared")?,
        created_at: row.try_get("", "created_at")?,
        expires_at: row.try_get("", "expires_at")?,
        signed_sha256: row.try_get("", "signed_sha256")?,
        completed_at: row.try_get("", "completed_at")?,
    })
}

impl Tx {
    pub async fn insert_signing_session(&self, s: &SigningSession) -> Result<(), StoreError> {
        let version = s
            .draft
            .map(|(_, v)| i32::try_from(v))
            .transpose()
            .map_err(corrupt("draft version"))?;
        self.conn()
            .execute(
                &Query::insert()
                    .into_table("signing_sessions")
                    .columns(COLUMNS)
                    .values_panic([
                        s.id.clone().into(),
                        s.person_id.into(),
                        s.draft.map(|(id, _)| id).into(),
                        version.into(),
                        s.certificate.clone().into(),
                        s.name.clone().into(),
                        s.prepared_sha256.clone().into(),
                        s.prepared.clone().into(),
                        s.created_at.into(),
                        s.expires_at.into(),
                        s.signed_sha256.clone().into(),
                        s.completed_at.into(),
                    ])
                    .take(),
            )
            .await?;
        Ok(())
    }

    pub async fn signing_session(&self, id: &str) -> Result<Option<SigningSession>, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::select()
                    .columns(COLUMNS)
                    .from("signing_sessions")
                    .and_where(Expr::col("id").eq(id))
                    .take(),
            )
            .await?;
        row.as_ref().map(session_of).transpose()
    }

    /// Marks a session completed with its signed file; `false` if it was
    /// completed already.
    pub async fn complete_signing_session(
        &self,
        id: &str,
        signed_sha256: &str,
        at: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let done = self
            .conn()
            .execute(
                &Query::update()
                    .table("signing_sessions")
                    .value("signed_sha256", signed_sha256)
                    .value("completed_at", at)
                    .and_where(Expr::col("id").eq(id))
                    .and_where(Expr::col("completed_at").is_null())
                    .take(),
            )
            .await?;
        Ok(done.rows_affected() > 0)
    }
}
