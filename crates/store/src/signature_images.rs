//! The images a visible signature shows, one per holder: a person's
//! handwritten signature (blue, transparent PNG) and an agency's seal
//! (red, transparent PNG), kept as blobs.

use domain::pki::Holder;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use time::OffsetDateTime;

use crate::{StoreError, Tx};

impl Tx {
    /// The blob of `holder`'s image, if one was given.
    pub async fn signature_image(&self, holder: Holder) -> Result<Option<String>, StoreError> {
        let Some(id) = holder.id() else {
            return Ok(None);
        };
        let row = self
            .conn()
            .query_one(
                &Query::select()
                    .column("sha256")
                    .from("signature_images")
                    .and_where(Expr::col("holder_kind").eq(holder.kind()))
                    .and_where(Expr::col("holder_id").eq(id))
                    .take(),
            )
            .await?;
        Ok(row.map(|row| row.try_get("", "sha256")).transpose()?)
    }

    /// Makes the blob `sha256` (recorded already) `holder`'s image.
    pub async fn set_signature_image(
        &self,
        holder: Holder,
        sha256: &str,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let Some(id) = holder.id() else {
            return Err(StoreError::Corrupt(
                "the CA's services have no image".into(),
            ));
        };
        self.conn()
            .execute(
                &Query::insert()
                    .into_table("signature_images")
                    .columns(["holder_kind", "holder_id", "sha256", "updated_at"])
                    .values_panic([holder.kind().into(), id.into(), sha256.into(), at.into()])
                    .on_conflict(
                        OnConflict::columns(["holder_kind", "holder_id"])
                            .update_columns(["sha256", "updated_at"])
                            .to_owned(),
                    )
                    .take(),
            )
            .await?;
        Ok(())
    }
}
