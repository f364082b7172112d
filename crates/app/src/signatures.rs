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

use crate::{App, AppError};

/// A file's verdict and its signers' names, in signing order.
pub type Verdict = (SignatureVerdict, Vec<String>);

impl App {
    /// The verdict on `bytes` (any file; only PDFs carry signatures),
    /// judged as the public verification page judges it
    /// ([`App::verify_pdf`]).
    pub(crate) async fn signature_verdict(&self, bytes: bytes::Bytes) -> Result<Verdict, AppError> {
        if !bytes.starts_with(b"%PDF-") {
            return Ok((SignatureVerdict::Unsigned, Vec::new()));
        }
        let signed = carries_pdf_signature(&bytes);
        match self.verify_pdf(bytes).await {
            Ok(reports) => Ok(verdict_of(reports)),
            // A PDF egov cannot read: what it carries cannot be trusted.
            Err(AppError::Invalid(reason)) => {
                tracing::info!(%reason, "PDF not readable for its signatures");
                let verdict = if signed {
                    SignatureVerdict::Invalid
                } else {
                    SignatureVerdict::Unsigned
                };
                Ok((verdict, Vec::new()))
            }
            Err(e) => Err(e),
        }
    }
}

/// Valid only if the file has signatures and all are valid.
fn verdict_of(reports: Vec<pdf::SignatureReport>) -> Verdict {
    if reports.is_empty() {
        return (SignatureVerdict::Unsigned, Vec::new());
    }
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
