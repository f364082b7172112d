//! Signed PDFs and egov's own CA: the trust anchors a relying party inside
//! the province uses (the root), the evidence egov publishes itself (OCSP
//! answers of the issuing CA, both CAs' CRLs) and its TSA, so that a PDF
//! signed with an egov certificate is judged, and signed at the long-term
//! levels, without any HTTP round trip to egov's own endpoints.
//!
//! Invariant: the `pdf` crate is synchronous and does no I/O, so what it
//! will ask for is gathered first (async, from the records) and handed to
//! it in memory; the CPU work then runs off the async threads. A bad file
//! is an `Invalid` error with the crate's Vietnamese reason.

use std::collections::HashMap;
use std::sync::Arc;

use bytes::Bytes;
use der::Encode as _;
use pki::{Certificate, Digest, Serial};
use time::OffsetDateTime;

use super::{Ca, ISSUING, ROOT};
use crate::{App, AppError};

/// Revocation evidence from egov's records, by issuer and serial (OCSP)
/// and by issuer (CRLs).
#[derive(Default)]
pub(crate) struct OwnEvidence {
    ocsp: HashMap<(Vec<u8>, Vec<u8>), Vec<u8>>,
    crls: HashMap<Vec<u8>, Vec<u8>>,
}

fn name_der(certificate: &Certificate) -> Vec<u8> {
    certificate
        .tbs_certificate
        .subject
        .to_der()
        .unwrap_or_default()
}

fn issuer_der(certificate: &Certificate) -> Vec<u8> {
    certificate
        .tbs_certificate
        .issuer
        .to_der()
        .unwrap_or_default()
}

impl pdf::Evidence for OwnEvidence {
    fn ocsp(
        &self,
        certificate: &Certificate,
        issuer: &Certificate,
        _: &[String],
    ) -> Option<Vec<u8>> {
        let serial = certificate
            .tbs_certificate
            .serial_number
            .as_bytes()
            .to_vec();
        self.ocsp.get(&(name_der(issuer), serial)).cloned()
    }

    fn crl(&self, _: &Certificate, issuer: &Certificate, _: &[String]) -> Option<Vec<u8>> {
        self.crls.get(&name_der(issuer)).cloned()
    }
}

/// egov's TSA, asked directly, at a moment read before the sync work.
pub(crate) struct OwnTsa {
    ca: Arc<Ca>,
    at: OffsetDateTime,
}

impl pdf::Timestamper for OwnTsa {
    fn timestamp(&self, digest: Digest, imprint: &[u8]) -> Result<Vec<u8>, pdf::Error> {
        let request = pdf::timestamp::request(digest, imprint, None)?;
        let request = pki::tsa::parse_request(&request)
            .map_err(|(_, reason)| pdf::Error::Timestamp(reason))?;
        let serial = Serial::random().map_err(|e| pdf::Error::Timestamp(e.to_string()))?;
        let response = self
            .ca
            .tsa
            .stamp(&request, &serial, self.at)
            .map_err(|e| pdf::Error::Timestamp(e.to_string()))?;
        pdf::timestamp::token_of_response(&response)
    }
}

/// A `pdf` error as the app reports it: the file's fault unless it is a
/// missing service.
pub(crate) fn pdf_error(error: pdf::Error) -> AppError {
    match error {
        pdf::Error::Missing(_) | pdf::Error::Timestamp(_) => {
            AppError::Unavailable(error.to_string())
        }
        other => AppError::Invalid(other.to_string()),
    }
}

fn stopped(error: &tokio::task::JoinError) -> AppError {
    AppError::Internal(format!("xử lý chữ ký bị dừng: {error}"))
}

impl App {
    /// The certificates a signature must chain to: egov's CA roots, DER
    /// (none before the CA is set up, so every signature is then
    /// untrusted).
    pub async fn trust_anchors(&self) -> Result<Vec<Vec<u8>>, AppError> {
        Ok(self
            .store
            .read()
            .await?
            .authorities()
            .await?
            .into_iter()
            .filter(|a| a.profile == domain::pki::Profile::Root)
            .map(|a| a.certificate)
            .collect())
    }

    /// The status egov publishes for each of `certificates` it issued:
    /// the issuing CA's OCSP answer (pre-signed where there is one) and
    /// CRL for what it issued, the root's CRL for the CAs below the root.
    /// Certificates of other CAs are left out; nothing at all before the
    /// CA is set up.
    pub(crate) async fn own_evidence(
        &self,
        certificates: &[Certificate],
    ) -> Result<OwnEvidence, AppError> {
        let ca = match self.ca().await {
            Ok(ca) => ca,
            Err(AppError::Unavailable(_)) => return Ok(OwnEvidence::default()),
            Err(e) => return Err(e),
        };
        let (root, issuing) = (
            name_der(&ca.root.certificate),
            name_der(&ca.issuing.certificate),
        );
        let mut evidence = OwnEvidence::default();
        for certificate in certificates {
            let issuer = issuer_der(certificate);
            let (authority, name) = if issuer == issuing {
                (ISSUING, issuing.clone())
            } else if issuer == root {
                (ROOT, root.clone())
            } else {
                continue;
            };
            if authority == ISSUING {
                let serial = Serial::of(&certificate.tbs_certificate.serial_number)?;
                let id = ca.issuing_hashes.sha1_cert_id(&serial)?;
                let answer = self.ocsp(&pki::ocsp::request(&[id], None)?).await;
                if pki::ocsp::is_successful(&answer) {
                    let key = (
                        name.clone(),
                        certificate
                            .tbs_certificate
                            .serial_number
                            .as_bytes()
                            .to_vec(),
                    );
                    evidence.ocsp.insert(key, answer);
                }
            }
            if let std::collections::hash_map::Entry::Vacant(entry) = evidence.crls.entry(name) {
                entry.insert(self.crl(authority).await?);
            }
        }
        Ok(evidence)
    }

    /// The verdict on each signature in `file`, against
    /// [`App::trust_anchors`], with revocation judged from what the file
    /// carries and, for egov's own certificates, from egov's records.
    pub async fn verify_pdf(&self, file: Bytes) -> Result<Vec<pdf::SignatureReport>, AppError> {
        let anchors = self.trust_anchors().await?;
        let limits = pdf::Limits::default();
        let (file, anchors, needs) = {
            let limits = limits.clone();
            // The anchors complete the paths, so the CAs below them are
            // listed too.
            tokio::task::spawn_blocking(move || {
                pdf::needed(&file, &anchors, &limits).map(|needs| (file, anchors, needs))
            })
            .await
            .map_err(|e| stopped(&e))?
            .map_err(pdf_error)?
        };
        let certificates: Vec<Certificate> = needs
            .into_iter()
            .flat_map(|n| n.revocation)
            .map(|need| need.certificate)
            .collect();
        let evidence = self.own_evidence(&certificates).await?;
        tokio::task::spawn_blocking(move || {
            pdf::validate(
                &file,
                &pdf::Validation {
                    trust: &anchors,
                    limits: &limits,
                    fetcher: Some(&evidence),
                    revocation: true,
                },
            )
        })
        .await
        .map_err(|e| stopped(&e))?
        .map_err(pdf_error)
    }

    /// What signing at `level` needs from egov's CA: its TSA (from B-T)
    /// and the evidence for the certificates the signed file will carry
    /// (from B-LT): `signer`'s path, the TSA's, and the earlier
    /// signatures' in `original`.
    pub(crate) async fn signing_services(
        &self,
        original: &Bytes,
        signer: &[Certificate],
        level: pdf::Level,
    ) -> Result<(Option<OwnTsa>, Option<OwnEvidence>), AppError> {
        if level == pdf::Level::BB {
            return Ok((None, None));
        }
        let ca = self.ca().await?;
        let tsa = OwnTsa {
            ca: Arc::clone(&ca),
            at: self.now(),
        };
        if level == pdf::Level::BT {
            return Ok((Some(tsa), None));
        }
        let anchors = self.trust_anchors().await?;
        let earlier = {
            let original = original.clone();
            tokio::task::spawn_blocking(move || {
                pdf::needed(&original, &anchors, &pdf::Limits::default())
            })
            .await
            .map_err(|e| stopped(&e))?
            .map_err(pdf_error)?
        };
        let mut certificates: Vec<Certificate> = earlier
            .into_iter()
            .flat_map(|n| n.revocation)
            .map(|need| need.certificate)
            .collect();
        certificates.extend(signer.iter().cloned());
        certificates.push(ca.issuing.certificate.clone());
        certificates.push(ca.tsa.certificate.clone());
        let evidence = self.own_evidence(&certificates).await?;
        Ok((Some(tsa), Some(evidence)))
    }

    /// Signs `original` at `level` with `key` (whose certificate is
    /// `certificate`, DER, `chain` above it), timestamps and long-term
    /// evidence from egov's own CA.
    pub async fn sign_pdf(
        &self,
        original: Bytes,
        key: Box<dyn pki::CaKey>,
        certificate: Vec<u8>,
        chain: Vec<Vec<u8>>,
        options: pdf::SignOptions,
        level: pdf::Level,
    ) -> Result<Vec<u8>, AppError> {
        let parsed = [&certificate]
            .into_iter()
            .chain(&chain)
            .map(|der| {
                <Certificate as der::Decode>::from_der(der)
                    .map_err(|e| AppError::Invalid(format!("chứng thư ký không đọc được: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let (tsa, evidence) = self.signing_services(&original, &parsed, level).await?;
        // The root completes the path whose evidence B-LT embeds; the
        // signature itself leaves a self-signed root out.
        let mut chain = chain;
        for root in self.trust_anchors().await? {
            if !chain.contains(&root) {
                chain.push(root);
            }
        }
        tokio::task::spawn_blocking(move || {
            let signer = pdf::Signer {
                key: key.as_ref(),
                digest: key.spec().natural_digest(),
                certificate,
                chain,
            };
            pdf::sign_at(
                &original,
                &signer,
                &options,
                level,
                tsa.as_ref().map(|t| t as &dyn pdf::Timestamper),
                evidence.as_ref().map(|e| e as &dyn pdf::Evidence),
            )
        })
        .await
        .map_err(|e| stopped(&e))?
        .map_err(pdf_error)
    }
}
