//! The portal's pictures (migration 30): the picture and its variants,
//! whose bytes are blobs.

use domain::portal::SiteId;
use domain::portal::images::{ImageId, ImageVariant, PortalImage};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, Order};

use crate::{StoreError, Tx};

impl Tx {
    /// Records `image` and its variants (their blobs already recorded);
    /// `image.id` is ignored.
    pub async fn insert_image(&self, image: &PortalImage) -> Result<ImageId, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::insert()
                    .into_table("portal_images")
                    .columns(["site_id", "alt", "uploaded_by", "uploaded_at"])
                    .values_panic([
                        image.site_id.into(),
                        image.alt.clone().into(),
                        image.uploaded_by.into(),
                        domain::to_stored_precision(image.uploaded_at).into(),
                    ])
                    .returning_col("id")
                    .take(),
            )
            .await?
            .ok_or_else(|| StoreError::Corrupt("no id for the picture".into()))?;
        let id: ImageId = row.try_get("", "id")?;
        for v in &image.variants {
            self.conn()
                .execute(
                    &Query::insert()
                        .into_table("portal_image_variants")
                        .columns(["image_id", "width", "height", "mime", "sha256"])
                        .values_panic([
                            id.into(),
                            i32::try_from(v.width)
                                .map_err(|_| StoreError::Corrupt("width".into()))?
                                .into(),
                            i32::try_from(v.height)
                                .map_err(|_| StoreError::Corrupt("height".into()))?
                                .into(),
                            v.mime.clone().into(),
                            v.sha256.clone().into(),
                        ])
                        .take(),
                )
                .await?;
        }
        Ok(id)
    }

    /// Picture `id` with its variants by width.
    pub async fn image(&self, id: ImageId) -> Result<Option<PortalImage>, StoreError> {
        let query = Query::select()
            .columns(["id", "site_id", "alt", "uploaded_by", "uploaded_at"])
            .from("portal_images")
            .and_where(Expr::col("id").eq(id))
            .take();
        let Some(row) = self.conn().query_one(&query).await? else {
            return Ok(None);
        };
        let rows = self
            .conn()
            .query_all(
                &Query::select()
                    .columns(["width", "height", "mime", "sha256"])
                    .from("portal_image_variants")
                    .and_where(Expr::col("image_id").eq(id))
                    .order_by("width", Order::Asc)
                    .take(),
            )
            .await?;
        let size = |r: &sea_orm::QueryResult, c: &str| -> Result<u32, StoreError> {
            let v: i32 = r.try_get("", c)?;
            u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("portal_image_variants.{c}")))
        };
        let variants = rows
            .iter()
            .map(|r| {
                Ok(ImageVariant {
                    width: size(r, "width")?,
                    height: size(r, "height")?,
                    mime: r.try_get("", "mime")?,
                    sha256: r.try_get("", "sha256")?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        let site_id: SiteId = row.try_get("", "site_id")?;
        Ok(Some(PortalImage {
            id,
            site_id,
            alt: row.try_get("", "alt")?,
            variants,
            uploaded_by: row.try_get("", "uploaded_by")?,
            uploaded_at: row.try_get("", "uploaded_at")?,
        }))
    }
}
