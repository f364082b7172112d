//! The signed licence: staff upload the PDF signed outside egov; its
//! signatures are judged as a document file's are
//! (`App::signature_verdict`), its bytes go to the blob store, and staff
//! and the public registry may download it. Uploading again replaces it.

use domain::authz::Permission;
use domain::files::{MediaType, UploadPolicy, display_name};
use domain::licensing::{Licence, LicenceId, SignedCopy};
use store::blobs::BlobRecord;

use crate::audit::{Change, record};
use crate::{App, AppError, Ctx};

impl App {
    /// Stores `bytes`, named `name`, as licence `id`'s signed copy.
    pub async fn upload_signed_licence(
        &self,
        ctx: &Ctx,
        id: LicenceId,
        name: &str,
        bytes: bytes::Bytes,
    ) -> Result<Licence, AppError> {
        let found = self.licence(ctx, id).await?;
        ctx.require(
            Permission::ManageLicences,
            &self.lineage(found.agency_id).await?,
        )?;
        let policy = UploadPolicy {
            max_bytes: u64::from(self.config.files.max_upload_mib) * 1024 * 1024,
            allowed: &[MediaType::Pdf],
        };
        let media_type = policy
            .check(&bytes)
            .map_err(|e| AppError::Invalid(format!("Bản giấy phép đã ký (PDF): {e}")))?;
        let name = display_name(name);
        if name.is_empty() {
            return Err(AppError::Invalid("Tệp phải có tên".into()));
        }
        let size = bytes.len() as u64;
        let (verdict, signers) = self.signature_verdict(bytes.clone()).await?;
        let sha256 = self.blobs.put(bytes).await?;
        let blob = BlobRecord {
            sha256: sha256.clone(),
            size,
            media_type,
            created_at: self.now(),
        };
        let mut tx = self.store.write().await?;
        let mut licence = tx
            .licence(id)
            .await?
            .ok_or(AppError::NotFound("giấy phép"))?;
        let before = licence.signed.clone();
        licence.signed = Some(SignedCopy {
            sha256,
            name,
            verdict,
            signers,
        });
        tx.record_blob(&blob).await?;
        tx.update_licence(&licence).await?;
        let change = Change {
            action: "licence.signed_copy",
            object_type: "licence",
            object_id: id.to_string(),
            before: Some(serde_json::to_value(&before).unwrap_or_default()),
            after: Some(serde_json::to_value(&licence.signed).unwrap_or_default()),
        };
        record(&mut tx, self, ctx, change).await?;
        tx.commit().await?;
        Ok(licence)
    }

    /// Licence `id`'s signed copy with its bytes, for anyone: the public
    /// registry offers it as the staff pages do.
    pub async fn signed_licence(
        &self,
        id: LicenceId,
    ) -> Result<(SignedCopy, bytes::Bytes), AppError> {
        let signed = self
            .store
            .read()
            .await?
            .licence(id)
            .await?
            .and_then(|l| l.signed)
            .ok_or(AppError::NotFound("bản giấy phép đã ký"))?;
        let bytes = self.blobs.get(&signed.sha256).await?;
        Ok((signed, bytes))
    }
}
