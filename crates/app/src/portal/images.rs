//! Pictures for a site's articles: an editor of the site uploads one with
//! its alternative text; its variants (`domain::portal::images::WIDTHS`,
//! re-encoded by `render::images`, so nothing of the upload but its
//! pixels is kept) go to the blob store and the picture is recorded. A
//! refused upload records nothing.

use bytes::Bytes;
use domain::files::MediaType;
use domain::portal::images::{self, ImageId, ImageVariant, PortalImage, WIDTHS};
use domain::portal::{SiteAction, SiteId, may};
use store::blobs::BlobRecord;

use super::change;
use crate::audit::record;
use crate::{App, AppError, Ctx};

impl App {
    /// Stores `bytes` (JPEG, PNG, WebP or GIF) as a picture of `site`
    /// described by `alt`, for the site's editors and reviewers.
    pub async fn upload_portal_image(
        &self,
        ctx: &Ctx,
        site: SiteId,
        bytes: Bytes,
        alt: &str,
    ) -> Result<PortalImage, AppError> {
        let by = ctx
            .actor
            .as_ref()
            .map(|a| a.person_id)
            .ok_or(AppError::Unauthenticated)?;
        self.site_record(site).await?;
        if !may(self.site_role(ctx, site).await?, SiteAction::Write) {
            return Err(AppError::Forbidden);
        }
        let alt = images::checked_alt(alt).map_err(AppError::invalid)?;
        // Decoding and resizing take a core for a while: off the runtime.
        let made = tokio::task::spawn_blocking(move || render::images::variants(&bytes, &WIDTHS))
            .await
            .map_err(|e| AppError::Internal(format!("ảnh: {e}")))?
            .map_err(AppError::invalid)?;
        let now = self.now();
        let mut variants = Vec::with_capacity(made.len());
        let mut records = Vec::with_capacity(made.len());
        for v in made {
            let length = v.bytes.len() as u64;
            let sha256 = self.blobs.put(Bytes::from(v.bytes)).await?;
            records.push(BlobRecord {
                sha256: sha256.clone(),
                size: length,
                media_type: if v.mime == "image/png" {
                    MediaType::Png
                } else {
                    MediaType::Jpeg
                },
                created_at: now,
            });
            variants.push(ImageVariant {
                width: v.width,
                height: v.height,
                mime: v.mime.to_owned(),
                sha256,
            });
        }
        let mut image = PortalImage {
            id: 0,
            site_id: site,
            alt,
            variants,
            uploaded_by: by,
            uploaded_at: now,
        };
        let mut tx = self.store.write().await?;
        for r in &records {
            tx.record_blob(r).await?;
        }
        image.id = tx.insert_image(&image).await?;
        record(
            &mut tx,
            self,
            ctx,
            change(
                "portal.image.upload",
                "portal_image",
                image.id,
                None,
                Some(&image),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(image)
    }

    /// Picture `id` (pictures are public once uploaded: they are served
    /// to anyone who has the address, as the articles using them are).
    pub async fn portal_image(&self, id: ImageId) -> Result<PortalImage, AppError> {
        self.store
            .read()
            .await?
            .image(id)
            .await?
            .ok_or(AppError::NotFound("ảnh"))
    }

    /// The bytes and MIME type of picture `id` at `width`.
    pub async fn portal_image_bytes(
        &self,
        id: ImageId,
        width: u32,
    ) -> Result<(Bytes, String), AppError> {
        let image = self.portal_image(id).await?;
        let variant = image
            .variants
            .into_iter()
            .find(|v| v.width == width)
            .ok_or(AppError::NotFound("ảnh"))?;
        Ok((self.blobs.get(&variant.sha256).await?, variant.mime))
    }
}
