//! The files of a dossier (issue 8, item 2): the papers scanned at the
//! desk or uploaded by the applicant, checked whole and put in the blob
//! store before the transaction that records the dossier opens, and read
//! back by those who may see the dossier.

use domain::services::online::{DOSSIER_FILES, MAX_FILES, check_file_name};
use domain::services::{DossierFile, ServiceRuleError};
use store::blobs::BlobRecord;

use crate::{App, AppError, Ctx};

/// A file as it came: scanned at the desk or uploaded by the applicant.
#[derive(Debug, Clone)]
pub struct UploadedFile {
    /// The paper it is a copy of (thành phần hồ sơ).
    pub paper: String,
    /// The client's file name.
    pub name: String,
    pub bytes: bytes::Bytes,
}

impl App {
    /// Checks every file (name, size, type) and stores the bytes; nothing
    /// is recorded yet.
    pub(super) async fn stage_dossier_files(
        &self,
        uploaded: Vec<UploadedFile>,
        now: time::OffsetDateTime,
    ) -> Result<(Vec<DossierFile>, Vec<BlobRecord>), AppError> {
        if uploaded.len() > MAX_FILES {
            return Err(AppError::invalid(ServiceRuleError::TooManyFiles(MAX_FILES)));
        }
        let mut checked = Vec::with_capacity(uploaded.len());
        for file in uploaded {
            let name = check_file_name(&file.name).map_err(AppError::invalid)?;
            let paper = file.paper.trim().to_owned();
            if paper.is_empty() {
                return Err(AppError::invalid(ServiceRuleError::BadPaper));
            }
            let media_type = DOSSIER_FILES.check(&file.bytes).map_err(|e| {
                AppError::invalid(ServiceRuleError::BadFile {
                    name: name.clone(),
                    reason: e.to_string(),
                })
            })?;
            checked.push((paper, name, media_type, file.bytes));
        }
        let mut files = Vec::with_capacity(checked.len());
        let mut blobs = Vec::with_capacity(checked.len());
        for (position, (paper, name, media_type, bytes)) in checked.into_iter().enumerate() {
            let size = bytes.len() as u64;
            let sha256 = self.blobs.put(bytes).await?;
            blobs.push(BlobRecord {
                sha256: sha256.clone(),
                size,
                media_type,
                created_at: now,
            });
            files.push(DossierFile {
                position: u32::try_from(position).unwrap_or(u32::MAX),
                paper,
                name,
                media_type,
                size,
                sha256,
            });
        }
        Ok((files, blobs))
    }

    /// A file of a dossier, for those who may see the dossier.
    pub async fn dossier_file(
        &self,
        ctx: &Ctx,
        code: &str,
        position: u32,
    ) -> Result<(DossierFile, bytes::Bytes), AppError> {
        let dossier = self.dossier_by_code(ctx, code).await?;
        let file = dossier
            .files
            .into_iter()
            .find(|f| f.position == position)
            .ok_or(AppError::NotFound("tệp"))?;
        let bytes = self.blobs.get(&file.sha256).await?;
        Ok((file, bytes))
    }
}
