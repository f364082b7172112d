//! Signing documents with certificates from egov's CA: the leader's
//! personal signature on an approved draft, made on the server when the
//! leader's key is held on the CA's token (`key_ref`) or on the leader's
//! own token through a signing session ([`sessions`]), and the
//! organisation's signature the clerk adds when issuing.
//!
//! Invariant: a signature is made only with a certificate of egov's CA
//! that is valid now and belongs to the signer (the person, or the
//! issuing agency); a draft takes one signature per approved version, on
//! its PDF, by the leader who approved that version, and a refused step
//! changes nothing.

mod blanks;
mod marks;
mod sessions;

use bytes::Bytes;
use domain::drafts::{Draft, DraftAction, DraftId, DraftSignature, DraftState};
use domain::files::MediaType;
use domain::pki::{CertificateRecord, CertificateStatus, Holder, Profile};
use pki::KeyRef;
use store::blobs::BlobRecord;

use crate::signatures::Verdict;
use crate::{App, AppError, Ctx};

/// The level documents are signed at on the server: B-LT, so that the
/// signatures (with egov's timestamp and the CA's answers embedded) still
/// validate offline when the CA's responders are long gone.
const DOCUMENT_LEVEL: pdf::Level = pdf::Level::BLT;

pub use marks::MAX_IMAGE_BYTES;
pub use sessions::{Signed, SigningTarget, ToSign};

use marks::Mark;

/// Why a PDF could not be signed, for the person signing.
impl From<pdf::Error> for AppError {
    fn from(error: pdf::Error) -> Self {
        Self::Invalid(format!("Không ký được tệp PDF: {error}"))
    }
}

/// What signing a draft starts from: the draft, its main file's name and
/// bytes.
pub(crate) struct ToBeSigned {
    pub draft: Draft,
    pub name: String,
    pub bytes: Bytes,
}

impl App {
    /// The newest certificate of `holder` for signing documents, valid
    /// now, whose key the CA holds on its token; the message says what is
    /// missing.
    pub(crate) async fn certificate_on_token(
        &self,
        holder: Holder,
    ) -> Result<CertificateRecord, AppError> {
        let now = self.now();
        let found = self
            .store
            .read()
            .await?
            .certificates(&store::pki::CertificateFilter {
                holder: Some(holder),
                limit: 100,
                ..Default::default()
            })
            .await?
            .into_iter()
            .find(|c| {
                matches!(c.profile, Profile::Personal | Profile::Organization)
                    && c.key_ref.is_some()
                    && c.status_at(now) == CertificateStatus::Valid
            });
        found.ok_or_else(|| match holder {
            Holder::Agency(_) => AppError::Invalid(
                "Cơ quan ban hành chưa có chứng thư số tổ chức còn hiệu lực có khóa lưu trên HSM của hệ thống, nên văn thư không ký số phát hành được; hãy đề nghị CA cấp chứng thư tổ chức".into(),
            ),
            _ => AppError::Invalid(
                "Bạn chưa có chứng thư số cá nhân còn hiệu lực có khóa lưu trên HSM của hệ thống; hãy ký bằng thiết bị ký số của mình (USB token, SIM PKI) qua API ký số".into(),
            ),
        })
    }

    /// The certificate chain above a holder's certificate: the issuing CA
    /// (the root is the relying party's own trust anchor).
    pub(crate) async fn signing_chain(&self) -> Result<Vec<Vec<u8>>, AppError> {
        let issuing = self
            .store
            .read()
            .await?
            .authority(crate::pki::ISSUING)
            .await?
            .ok_or_else(|| AppError::Unavailable("CA chưa được khởi tạo".into()))?;
        Ok(vec![issuing.certificate])
    }

    /// Signs `bytes` with the key the CA holds for `certificate`, at the
    /// app's clock, at `level` (timestamps and long-term evidence from
    /// egov's own CA), showing `mark` if any, off the async threads.
    pub(crate) async fn sign_on_server(
        &self,
        certificate: &CertificateRecord,
        bytes: Bytes,
        reason: &str,
        level: pdf::Level,
        mark: Option<Mark>,
    ) -> Result<Bytes, AppError> {
        let key_ref = certificate
            .key_ref
            .as_deref()
            .ok_or_else(|| AppError::Internal("certificate without key".into()))?;
        let key_ref = KeyRef::parse(key_ref)?;
        let provider = self.key_provider()?;
        let key = tokio::task::spawn_blocking(move || provider.open(&key_ref))
            .await
            .map_err(|e| AppError::Internal(format!("ký số: {e}")))??;
        let chain = self.signing_chain().await?;
        let mut options = pdf::SignOptions::new(domain::to_stored_precision(self.now()));
        options.reason = Some(reason.to_owned());
        if let Some(mark) = mark {
            mark.show_in(&mut options);
        }
        let signed = self
            .sign_pdf(bytes, key, certificate.der.clone(), chain, options, level)
            .await?;
        Ok(signed.into())
    }

    /// The approved draft `person` is about to sign, with its main file,
    /// which must be a PDF; refused unless they approved its version and it
    /// is not signed yet.
    pub(crate) async fn draft_to_sign(
        &self,
        ctx: &Ctx,
        id: DraftId,
    ) -> Result<ToBeSigned, AppError> {
        let person = crate::drafts::person(ctx)?.person_id;
        let view = self.draft(ctx, id).await?;
        let draft = view.draft;
        let (permission, scope) = DraftAction::Sign.permission(draft.state);
        ctx.require(permission, &self.lineage_of(&draft, scope).await?)?;
        DraftAction::Sign
            .check_author(Some(person == draft.author_id))
            .and_then(|()| draft.check_signer(person, &view.steps))
            .map_err(AppError::invalid)?;
        let main = view
            .files
            .into_iter()
            .find(|f| f.position == 0)
            .ok_or_else(|| AppError::invalid(domain::drafts::DraftRuleError::NoFile))?;
        let bytes = self.blobs.get(&main.sha256).await?;
        if !bytes.starts_with(b"%PDF-") {
            return Err(AppError::invalid(domain::drafts::DraftRuleError::NotPdf));
        }
        Ok(ToBeSigned {
            draft,
            name: main.name,
            bytes: with_blanks(bytes).await?,
        })
    }

    /// The leader signs an approved draft on the server, with the key the
    /// CA holds for their personal certificate.
    pub async fn sign_draft(&self, ctx: &Ctx, id: DraftId) -> Result<Draft, AppError> {
        let person = crate::drafts::person(ctx)?.person_id;
        let to_sign = self.draft_to_sign(ctx, id).await?;
        let certificate = self.certificate_on_token(Holder::Person(person)).await?;
        let mark = self
            .mark_of(
                Holder::Person(person),
                &to_sign.bytes,
                to_sign.draft.signer.as_deref(),
            )
            .await?;
        let signed = self
            .sign_on_server(
                &certificate,
                to_sign.bytes,
                "Lãnh đạo ký duyệt",
                DOCUMENT_LEVEL,
                mark,
            )
            .await?;
        let mut tx = self.store.write().await?;
        let draft = self
            .keep_draft_signature(&mut tx, ctx, &to_sign.draft, signed)
            .await?;
        tx.commit().await?;
        Ok(draft)
    }

    /// Keeps `signed` as the draft's signed file and records the step,
    /// inside `tx`; refused if the draft changed since it was read.
    pub(crate) async fn keep_draft_signature(
        &self,
        tx: &mut store::Tx,
        ctx: &Ctx,
        read: &Draft,
        signed: Bytes,
    ) -> Result<Draft, AppError> {
        let person = crate::drafts::person(ctx)?.person_id;
        let mut draft = tx
            .draft(read.id)
            .await?
            .ok_or(AppError::NotFound("dự thảo"))?;
        if draft.state != DraftState::Approved
            || draft.version != read.version
            || draft.signed.is_some()
        {
            return Err(AppError::Conflict(
                "Dự thảo vừa thay đổi (đã ký, trả lại hoặc phát hành); hãy tải lại trang".into(),
            ));
        }
        let (sha256, size) = self.keep_pdf(tx, signed).await?;
        draft.signed = Some(DraftSignature {
            sha256,
            size,
            signer_id: person,
            at: domain::to_stored_precision(self.now()),
        });
        tx.update_draft(&draft, self.now()).await?;
        self.record_step(tx, ctx, &draft, DraftAction::Sign, "")
            .await?;
        Ok(draft)
    }

    /// Whether the signed-in person has a personal certificate whose key
    /// the CA holds, so that the server can sign for them.
    pub async fn signs_on_server(&self, ctx: &Ctx) -> Result<bool, AppError> {
        let person = crate::drafts::person(ctx)?.person_id;
        Ok(self
            .certificate_on_token(Holder::Person(person))
            .await
            .is_ok())
    }

    /// A draft's signed PDF (the leader's) with the verdict on it, for
    /// those who may see the draft.
    pub async fn draft_signed_file(
        &self,
        ctx: &Ctx,
        id: DraftId,
    ) -> Result<(Draft, Bytes, Verdict), AppError> {
        let draft = self.draft(ctx, id).await?.draft;
        let Some(signed) = &draft.signed else {
            return Err(AppError::NotFound("tệp đã ký của dự thảo"));
        };
        let bytes = self.blobs.get(&signed.sha256).await?;
        let verdict = self.signature_verdict(bytes.clone()).await?;
        Ok((draft, bytes, verdict))
    }

    /// Puts a PDF made here in the blob store and records it in `tx`;
    /// returns its digest and size.
    pub(crate) async fn keep_pdf(
        &self,
        tx: &store::Tx,
        bytes: Bytes,
    ) -> Result<(String, u64), AppError> {
        let size = bytes.len() as u64;
        let sha256 = self.blobs.put(bytes).await?;
        tx.record_blob(&BlobRecord {
            sha256: sha256.clone(),
            size,
            media_type: MediaType::Pdf,
            created_at: self.now(),
        })
        .await?;
        Ok((sha256, size))
    }

    /// The leader's signed PDF of an issuing draft with its number and
    /// date filled in (`symbol`, `day`) and the organisation's signature
    /// added by the issuing agency's certificate, whose key the CA holds;
    /// refused (nothing issued) when the agency has none valid.
    pub(crate) async fn organisation_signed(
        &self,
        draft: &Draft,
        signed: &DraftSignature,
        symbol: String,
        day: time::Date,
    ) -> Result<Bytes, AppError> {
        let certificate = self
            .certificate_on_token(Holder::Agency(draft.agency_id))
            .await?;
        let bytes = self.blobs.get(&signed.sha256).await?;
        let numbered = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, AppError> {
            let limits = pdf::Limits::default();
            let empty: Vec<String> = pdf::text_fields(&bytes, &limits)?
                .into_iter()
                .filter_map(|(name, value)| value.is_none().then_some(name))
                .collect();
            let fills = blanks::fills(&bytes, &empty, &symbol, day)?;
            Ok(pdf::fill_text_fields(&bytes, &fills, &limits)?)
        })
        .await
        .map_err(|e| AppError::Internal(format!("điền số văn bản: {e}")))??;
        let numbered = Bytes::from(numbered);
        let seal = self
            .mark_of(
                Holder::Agency(draft.agency_id),
                &numbered,
                draft.signer.as_deref(),
            )
            .await?;
        self.sign_on_server(
            &certificate,
            numbered,
            "Phát hành văn bản",
            DOCUMENT_LEVEL,
            seal,
        )
        .await
    }
}

/// `pdf` with empty fields over the blanks the issuing clerk fills in
/// ([`blanks`]), unless it has such a field already.
async fn with_blanks(pdf: Bytes) -> Result<Bytes, AppError> {
    tokio::task::spawn_blocking(move || -> Result<Bytes, AppError> {
        let limits = pdf::Limits::default();
        if pdf::text_fields(&pdf, &limits)?
            .iter()
            .any(|(name, _)| name == blanks::NUMBER_FIELD)
        {
            return Ok(pdf);
        }
        let fields = blanks::blanks(&pdf)?;
        Ok(pdf::add_text_fields(&pdf, &fields, &limits)?.into())
    })
    .await
    .map_err(|e| AppError::Internal(format!("chuẩn bị ký: {e}")))?
}
