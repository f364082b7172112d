//! Signing on the signer's own token (the VGCA plugin's way): the server
//! prepares the PDF and keeps it as a session, the signer's tool signs the
//! signed attributes (or their hash) with the token and sends the raw
//! signature back, and the server completes the CMS and the PDF.
//!
//! Invariant: a session is opened only with the signer's own certificate
//! of egov's CA, valid now; it completes once, before it expires, with a
//! signature that verifies under that certificate; the prepared state is
//! kept whole (file in the blob store, the rest in the row) and checked
//! again when rebuilt.

use bytes::Bytes;
use domain::drafts::{Draft, DraftId};
use domain::pki::{CertificateRecord, CertificateStatus, Holder};
use domain::signing::{SESSION_LIFETIME, SessionError, SigningSession};
use pki::Digest;
use serde::{Deserialize, Serialize};

use crate::audit::{Change, record};
use crate::signatures::Verdict;
use crate::{App, AppError, Ctx};

/// What a session signs.
#[derive(Debug, Clone)]
pub enum SigningTarget {
    /// The main PDF of a draft waiting for the caller's signature.
    Draft(DraftId),
    /// A PDF of the caller's own.
    Pdf { name: String, bytes: Bytes },
}

/// What the signer's token must sign.
#[derive(Debug, Clone)]
pub struct ToSign {
    pub session: SigningSession,
    /// The DER SET of signed attributes: what the token signs.
    pub signed_attributes: Vec<u8>,
    /// For tokens that sign a hash: the digest and its algorithm.
    pub digest: Digest,
    pub hash: Vec<u8>,
    /// The key type of the certificate (`rsa2048`, `p256`...).
    pub key: &'static str,
}

/// A completed session.
#[derive(Debug, Clone)]
pub struct Signed {
    pub session: SigningSession,
    /// The draft now signed, when the session was for one.
    pub draft: Option<Draft>,
    pub size: u64,
    pub verdict: Verdict,
}

/// The prepared state kept in the session's row, besides the file.
#[derive(Debug, Serialize, Deserialize)]
struct KeptParts {
    byte_range: [usize; 4],
    digest: String,
    /// Hex DER, the signer's first.
    certificates: Vec<String>,
    field_name: String,
}

impl App {
    /// The caller's certificate for an external signature: issued by
    /// egov's CA (the very certificate on record), to them, for a person,
    /// and valid now.
    async fn own_certificate(
        &self,
        person: i64,
        der: &[u8],
    ) -> Result<CertificateRecord, AppError> {
        let der = pki::pem::der_of(der, &["CERTIFICATE"]).map_err(|_| {
            AppError::Invalid("Không đọc được chứng thư số (cần DER hoặc PEM)".into())
        })?;
        let certificate = <pki::Certificate as der::Decode>::from_der(&der).map_err(|_| {
            AppError::Invalid("Không đọc được chứng thư số (cần DER hoặc PEM)".into())
        })?;
        let serial = pki::Serial::of(&certificate.tbs_certificate.serial_number)?;
        let record = self
            .store
            .read()
            .await?
            .certificate(&serial.to_string())
            .await?
            .filter(|r| r.der == der)
            .ok_or_else(|| AppError::Invalid("Chứng thư số không do CA của hệ thống cấp".into()))?;
        if record.holder != Holder::Person(person) {
            return Err(AppError::Invalid(
                "Chứng thư số không được cấp cho bạn".into(),
            ));
        }
        if record.profile != domain::pki::Profile::Personal {
            return Err(AppError::Invalid(
                "Chỉ ký văn bản bằng chứng thư số cá nhân".into(),
            ));
        }
        match record.status_at(self.now()) {
            CertificateStatus::Valid => Ok(record),
            status => Err(AppError::Invalid(format!(
                "Chứng thư số không dùng được để ký: {}",
                status.label().to_lowercase()
            ))),
        }
    }

    /// Opens a signing session: prepares the PDF with the caller's
    /// certificate and returns what their token must sign.
    pub async fn start_signing(
        &self,
        ctx: &Ctx,
        certificate: &[u8],
        target: SigningTarget,
    ) -> Result<ToSign, AppError> {
        let person = crate::drafts::person(ctx)?.person_id;
        let own = self.own_certificate(person, certificate).await?;
        let (draft, name, bytes, signer) = match target {
            SigningTarget::Draft(id) => {
                let to_sign = self.draft_to_sign(ctx, id).await?;
                let draft = (to_sign.draft.id, to_sign.draft.version);
                (
                    Some(draft),
                    to_sign.name,
                    to_sign.bytes,
                    to_sign.draft.signer,
                )
            }
            SigningTarget::Pdf { name, bytes } => {
                if !bytes.starts_with(b"%PDF-") {
                    return Err(AppError::Invalid("Chỉ ký số được tệp PDF".into()));
                }
                (None, domain::files::display_name(&name), bytes, None)
            }
        };
        let mark = self
            .mark_of(Holder::Person(person), &bytes, signer.as_deref())
            .await?;
        let chain = self.signing_chain().await?;
        let now = domain::to_stored_precision(self.now());
        let spki = <pki::Certificate as der::Decode>::from_der(&own.der)
            .map_err(|e| AppError::Internal(format!("chứng thư lưu trữ: {e}")))?
            .tbs_certificate
            .subject_public_key_info;
        let spec = pki::verify::key_spec_of(&spki)?;
        let digest = crate::pki::digest_of(&self.config.pki, spec)?;
        let der = own.der.clone();
        let reason = if draft.is_some() {
            "Lãnh đạo ký duyệt"
        } else {
            "Ký số"
        };
        let mut options = pdf::SignOptions::new(now);
        options.reason = Some(reason.to_owned());
        if let Some(mark) = mark {
            mark.show_in(&mut options);
        }
        // Room for egov's timestamp, added when the signature comes back.
        options.timestamp = true;
        let (attributes, parts) = tokio::task::spawn_blocking(move || {
            let prepared = pdf::prepare(&bytes, &der, &chain, digest, &options)?;
            Ok::<_, pdf::Error>((prepared.signed_attributes()?, prepared.into_parts()?))
        })
        .await
        .map_err(|e| AppError::Internal(format!("chuẩn bị ký: {e}")))??;
        let kept = KeptParts {
            byte_range: parts.byte_range,
            digest: digest.name().to_owned(),
            certificates: parts.certificates.iter().map(hex::encode).collect(),
            field_name: parts.field_name,
        };
        let mut tx = self.store.write().await?;
        let (prepared_sha256, _) = self.keep_pdf(&tx, parts.bytes.into()).await?;
        let mut id = [0u8; 16];
        getrandom::fill(&mut id).map_err(|e| AppError::Internal(format!("ngẫu nhiên: {e}")))?;
        let session = SigningSession {
            id: hex::encode(id),
            person_id: person,
            draft,
            certificate: own.serial,
            name,
            prepared_sha256,
            prepared: serde_json::to_string(&kept)
                .map_err(|e| AppError::Internal(format!("phiên ký: {e}")))?,
            created_at: now,
            expires_at: now + SESSION_LIFETIME,
            signed_sha256: None,
            completed_at: None,
        };
        tx.insert_signing_session(&session).await?;
        let change = Change {
            action: "signing.start",
            object_type: "signing_session",
            object_id: session.id.clone(),
            before: None,
            after: Some(serde_json::json!(session)),
        };
        record(&mut tx, self, ctx, change).await?;
        tx.commit().await?;
        let mut hasher = digest.hasher();
        hasher.update(&attributes);
        Ok(ToSign {
            session,
            hash: hasher.finish(),
            signed_attributes: attributes,
            digest,
            key: spec.name(),
        })
    }

    /// The caller's own session; another person's is not found.
    async fn own_session(&self, ctx: &Ctx, id: &str) -> Result<SigningSession, AppError> {
        let person = crate::drafts::person(ctx)?.person_id;
        self.store
            .read()
            .await?
            .signing_session(id)
            .await?
            .filter(|s| s.person_id == person)
            .ok_or(AppError::NotFound("phiên ký"))
    }

    /// Completes a session with the signature the caller's token made
    /// over the signed attributes; a signature that does not verify under
    /// the session's certificate is refused and the session stays open.
    pub async fn finish_signing(
        &self,
        ctx: &Ctx,
        id: &str,
        signature: &[u8],
    ) -> Result<Signed, AppError> {
        let session = self.own_session(ctx, id).await?;
        session.check_open(self.now()).map_err(closed)?;
        let kept: KeptParts = serde_json::from_str(&session.prepared)
            .map_err(|e| AppError::Internal(format!("phiên ký: {e}")))?;
        let certificates = kept
            .certificates
            .iter()
            .map(hex::decode)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| AppError::Internal(format!("phiên ký: {e}")))?;
        let parts = pdf::PreparedParts {
            bytes: self.blobs.get(&session.prepared_sha256).await?.to_vec(),
            byte_range: kept.byte_range,
            digest: kept.digest.parse()?,
            certificates,
            field_name: kept.field_name,
        };
        // B-LT, as the server signs: egov's timestamp on the signature,
        // then the CA's answers for every certificate in the file.
        let holder = parts
            .certificates
            .iter()
            .map(|der| <pki::Certificate as der::Decode>::from_der(der))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| AppError::Internal(format!("phiên ký: {e}")))?;
        let (tsa, evidence) = self
            .signing_services(&Bytes::from(parts.bytes.clone()), &holder, pdf::Level::BLT)
            .await?;
        let (tsa, evidence) = tsa.zip(evidence).ok_or_else(|| {
            AppError::Internal("CA không cung cấp dấu thời gian và thông tin thu hồi".into())
        })?;
        let mut extra = parts.certificates[1..].to_vec();
        extra.extend(self.trust_anchors().await?);
        let signature = signature.to_vec();
        let signed: Bytes = tokio::task::spawn_blocking(move || {
            let completed =
                pdf::complete(pdf::Prepared::from_parts(parts)?, &signature, Some(&tsa)).map_err(
                    |e| match e {
                        pdf::Error::Timestamp(_) => crate::pki::pdf_error(e),
                        other => AppError::Invalid(format!("Chữ ký không hợp lệ: {other}")),
                    },
                )?;
            pdf::add_validation_data(&completed, &extra, &evidence, &pdf::Limits::default())
                .map_err(crate::pki::pdf_error)
        })
        .await
        .map_err(|e| AppError::Internal(format!("hoàn tất chữ ký: {e}")))??
        .into();
        let verdict = self.signature_verdict(signed.clone()).await?;
        let size = signed.len() as u64;
        let mut tx = self.store.write().await?;
        let (draft, signed_sha256) = match session.draft {
            Some((draft_id, version)) => {
                let read = tx
                    .draft(draft_id)
                    .await?
                    .filter(|d| d.version == version)
                    .ok_or_else(|| {
                        AppError::Conflict(
                            "Dự thảo đã được trả lại để chỉnh sửa sau khi bắt đầu ký".into(),
                        )
                    })?;
                let draft = self
                    .keep_draft_signature(&mut tx, ctx, &read, signed)
                    .await?;
                let sha256 = draft.signed.as_ref().map(|s| s.sha256.clone());
                (Some(draft), sha256.unwrap_or_default())
            }
            None => (None, self.keep_pdf(&tx, signed).await?.0),
        };
        let at = domain::to_stored_precision(self.now());
        if !tx.complete_signing_session(id, &signed_sha256, at).await? {
            return Err(closed(SessionError::Completed));
        }
        let session = SigningSession {
            signed_sha256: Some(signed_sha256),
            completed_at: Some(at),
            ..session
        };
        let change = Change {
            action: "signing.complete",
            object_type: "signing_session",
            object_id: session.id.clone(),
            before: None,
            after: Some(serde_json::json!({ "session": session, "signature": verdict.0 })),
        };
        record(&mut tx, self, ctx, change).await?;
        tx.commit().await?;
        Ok(Signed {
            session,
            draft,
            size,
            verdict,
        })
    }

    /// The signed PDF of a completed session of the caller's.
    pub async fn signed_file(
        &self,
        ctx: &Ctx,
        id: &str,
    ) -> Result<(SigningSession, Bytes), AppError> {
        let session = self.own_session(ctx, id).await?;
        let Some(sha256) = &session.signed_sha256 else {
            return Err(AppError::NotFound("tệp đã ký (phiên ký chưa hoàn tất)"));
        };
        let bytes = self.blobs.get(sha256).await?;
        Ok((session, bytes))
    }
}

/// A session that takes no more signatures.
fn closed(error: SessionError) -> AppError {
    match error {
        SessionError::Expired => AppError::Expired(error.to_string()),
        SessionError::Completed => AppError::Conflict(error.to_string()),
    }
}
