//! The verdict on a file's PDF signatures, given once, when the file
//! becomes a document's (registered, received by edXML, issued), with
//! egov's CA roots as the trust anchors; the report counts the outgoing
//! documents whose main file carries a valid one.
//!
//! Invariant: a verdict is computed off the async threads (a PDF is
//! parsed whole) and never fails the recording of a file: a PDF egov
//! cannot read is recorded with the verdict its bytes allow.

use domain::documents::SignatureVerdict;
use domain::files::carries_pdf_signature;
use domain::pki::Profile;

use crate::{App, AppError};

/// A file's verdict and its signers' names, in signing order.
pub type Verdict = (SignatureVerdict, Vec<String>);

impl App {
    /// egov's trust anchors: its CA's root certificates, DER (none before
    /// the CA is set up, so that every signature is then untrusted).
    pub(crate) async fn trust_anchors(&self) -> Result<Vec<Vec<u8>>, AppError> {
        Ok(self
            .store
            .read()
            .await?
            .authorities()
            .await?
            .into_iter()
            .filter(|a| a.profile == Profile::Root)
            .map(|a| a.certificate)
            .collect())
    }

    /// The verdict on `bytes` (any file; only PDFs carry signatures).
    pub(crate) async fn signature_verdict(&self, bytes: bytes::Bytes) -> Result<Verdict, AppError> {
        if !bytes.starts_with(b"%PDF-") {
            return Ok((SignatureVerdict::Unsigned, Vec::new()));
        }
        let trust = self.trust_anchors().await?;
        tokio::task::spawn_blocking(move || verdict_of(&bytes, &trust))
            .await
            .map_err(|e| AppError::Internal(format!("kiểm tra chữ ký: {e}")))
    }
}

/// Validates every signature of a PDF: valid only if it has some and all
/// are valid.
fn verdict_of(bytes: &[u8], trust: &[Vec<u8>]) -> Verdict {
    match pdf::verify_with(bytes, trust, &pdf::Limits::default()) {
        Ok(reports) if reports.is_empty() => (SignatureVerdict::Unsigned, Vec::new()),
        Ok(reports) => {
            let verdict = if reports.iter().all(pdf::SignatureReport::is_valid) {
                SignatureVerdict::Valid
            } else {
                SignatureVerdict::Invalid
            };
            let signers = reports
                .into_iter()
                .map(|r| r.signer.unwrap_or_else(|| "(không rõ)".into()))
                .collect();
            (verdict, signers)
        }
        // A PDF egov cannot read: what it carries cannot be trusted.
        Err(err) if carries_pdf_signature(bytes) => {
            tracing::info!(error = %err, "signed PDF not readable");
            (SignatureVerdict::Invalid, Vec::new())
        }
        Err(_) => (SignatureVerdict::Unsigned, Vec::new()),
    }
}
