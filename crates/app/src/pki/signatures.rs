//! Signed PDFs judged against egov's own CA: the trust anchors a relying
//! party inside the province uses (the root), and the verdict on every
//! signature a PDF carries, for the public verification page and for the
//! documents that arrive signed.
//!
//! Invariant: a bad file is an `Invalid` error with the `pdf` crate's
//! Vietnamese reason, and verification runs off the async threads.

use bytes::Bytes;

use crate::{App, AppError};

impl App {
    /// The certificates a signature must chain to: egov's root, once the
    /// CA is set up; none before.
    pub async fn trust_anchors(&self) -> Result<Vec<Vec<u8>>, AppError> {
        match self.authority_certificate(super::ROOT).await {
            Ok(root) => Ok(vec![root]),
            Err(AppError::NotFound(_)) => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    /// The verdict on each signature in `file`, against [`App::trust_anchors`].
    pub async fn verify_pdf(&self, file: Bytes) -> Result<Vec<pdf::SignatureReport>, AppError> {
        let anchors = self.trust_anchors().await?;
        tokio::task::spawn_blocking(move || pdf::verify(&file, &anchors))
            .await
            .map_err(|e| AppError::Internal(format!("kiểm tra chữ ký bị dừng: {e}")))?
            .map_err(|e| AppError::Invalid(format!("Không kiểm tra được tệp PDF: {e}")))
    }
}
