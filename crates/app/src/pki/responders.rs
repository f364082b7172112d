//! The OCSP responder and the time-stamping authority as services: what
//! `/pki/ocsp` and `/pki/tsa` answer.
//!
//! An OCSP request for one certificate, without a nonce, named with SHA-1
//! is answered from the pre-signed answers (one read); anything else is
//! looked up and signed on the spot, echoing the nonce.

use pki::Serial;
use pki::ocsp::{Query, Status};

use super::ISSUING;
use super::issue::status_of;
use crate::{App, AppError};

impl App {
    /// The DER `OCSPResponse` for a DER `OCSPRequest`. Malformed requests
    /// get `malformedRequest`, requests about another CA `unauthorized`, a
    /// CA not set up `tryLater`, as RFC 6960 §2.3 says.
    pub async fn ocsp(&self, request: &[u8]) -> Vec<u8> {
        let Ok(query) = pki::ocsp::parse_request(request) else {
            return pki::ocsp::malformed_request();
        };
        match self.answer_ocsp(&query).await {
            Ok(Some(answer)) => answer,
            Ok(None) => pki::ocsp::unauthorized(),
            Err(AppError::Unavailable(_)) => pki::ocsp::try_later(),
            Err(error) => {
                tracing::error!(%error, "OCSP answer failed");
                pki::ocsp::internal_error()
            }
        }
    }

    async fn answer_ocsp(&self, query: &Query) -> Result<Option<Vec<u8>>, AppError> {
        let ca = self.ca().await?;
        if !query.certs.iter().all(|id| ca.issuing_hashes.names(id)) {
            return Ok(None);
        }
        let now = self.now();
        let tx = self.store.read().await?;
        if let ([id], None) = (query.certs.as_slice(), &query.nonce) {
            let serial = pki::ocsp::serial_of(id)?;
            if pki::ocsp::is_sha1(id)
                && let Some(answer) = tx.ocsp_answer(&serial.to_string(), now).await?
            {
                return Ok(Some(answer));
            }
        }
        let mut answers = Vec::with_capacity(query.certs.len());
        for id in &query.certs {
            let status = match pki::ocsp::serial_of(id).map(|s: Serial| s.to_string()) {
                Ok(serial) => match tx.certificate(&serial).await? {
                    Some(record) if record.authority == ISSUING => status_of(&record),
                    _ => Status::Unknown,
                },
                Err(_) => Status::Unknown,
            };
            answers.push((id.clone(), status));
        }
        drop(tx);
        let window = self.ocsp_window(domain::to_stored_precision(now));
        Ok(Some(ca.responder.respond(
            &answers,
            query.nonce.as_deref(),
            window,
        )?))
    }

    /// The DER `TimeStampResp` for a DER `TimeStampReq`: a token, or a
    /// refusal saying why.
    pub async fn timestamp(&self, request: &[u8]) -> Result<Vec<u8>, AppError> {
        let request = match pki::tsa::parse_request(request) {
            Ok(request) => request,
            Err((refusal, reason)) => return Ok(pki::tsa::refuse(refusal, &reason)),
        };
        let ca = self.ca().await?;
        Ok(ca.tsa.stamp(&request, &Serial::random()?, self.now())?)
    }
}
