//! Use cases of drafting: a specialist writes a draft with its files, the
//! unit head endorses it, the leader approves it, the clerk numbers and
//! issues it, and the agencies it is addressed to inside egov receive it
//! in their incoming registers in the same transaction.
//!
//! Invariant: a step re-reads the draft inside its write transaction and
//! checks the state there (write transactions run one at a time), so two
//! people acting on the same draft at once cannot both move it.

use domain::agencies::{Agency, AgencyId};
use domain::authz::{Actor, Permission};
use domain::documents::{
    Confidentiality, Direction, Document, DocumentFile, FileRole, Series, Urgency, outgoing_symbol,
};
use domain::drafts::{
    Draft, DraftAction, DraftFile, DraftId, DraftRuleError, DraftState, DraftStep, Scope,
};

use domain::files::MediaType;
use store::blobs::BlobRecord;

use crate::audit::{Change, record};
use crate::document_files::{NewFile, StagedFile};
use crate::documents::NewOutgoing;
use crate::exchange::exchange_id_of;
use crate::{App, AppError, Ctx};

/// A draft as its author starts it.
#[derive(Debug, Clone)]
pub struct NewDraft {
    pub agency_id: AgencyId,
    pub drafting_unit_id: Option<AgencyId>,
    pub doc_type: String,
    pub summary: String,
    pub signer: Option<String>,
    pub urgency: Urgency,
    pub confidentiality: Confidentiality,
    pub field: Option<String>,
    pub recipients: Vec<AgencyId>,
    pub other_recipients: Vec<String>,
}

/// A draft with what its page shows: the current version's files and
/// the whole history.
#[derive(Debug, Clone)]
pub struct DraftView {
    pub draft: Draft,
    pub files: Vec<DraftFile>,
    pub steps: Vec<DraftStep>,
}

/// What waits for a person ("việc của tôi").
#[derive(Debug, Clone, Default)]
pub struct Tasks {
    /// Drafts of their units waiting for their endorsement.
    pub to_review: Vec<Draft>,
    /// Drafts of their agencies waiting for approval.
    pub to_approve: Vec<Draft>,
    /// Drafts they approved, waiting for their digital signature.
    pub to_sign: Vec<Draft>,
    /// Approved drafts waiting for a number (the clerk's).
    pub to_issue: Vec<Draft>,
    /// Their own drafts not yet issued (returned ones among them).
    pub mine: Vec<Draft>,
}

pub(crate) fn person(ctx: &Ctx) -> Result<&Actor, AppError> {
    ctx.actor
        .as_ref()
        .ok_or_else(|| AppError::Invalid("Dự thảo phải do một cán bộ đăng nhập thực hiện".into()))
}

/// Attempts at issuing when the number written into the PDF keeps being
/// taken by other issues meanwhile.
const ISSUE_ATTEMPTS: usize = 3;

fn outgoing_of(draft: &Draft) -> NewOutgoing {
    NewOutgoing {
        agency_id: draft.agency_id,
        doc_type: draft.doc_type.clone(),
        summary: draft.summary.clone(),
        drafting_unit_id: draft.drafting_unit_id,
        signer: draft.signer.clone(),
        urgency: draft.urgency,
        confidentiality: draft.confidentiality,
        field: draft.field.clone(),
    }
}

impl App {
    pub(crate) async fn lineage_of(
        &self,
        draft: &Draft,
        scope: Scope,
    ) -> Result<Vec<AgencyId>, AppError> {
        let id = match scope {
            Scope::Issuer => draft.agency_id,
            Scope::Unit => draft.drafting_unit_id.unwrap_or(draft.agency_id),
        };
        self.lineage(id).await
    }

    async fn stored_draft(&self, id: DraftId) -> Result<Draft, AppError> {
        self.store
            .read()
            .await?
            .draft(id)
            .await?
            .ok_or(AppError::NotFound("dự thảo"))
    }

    /// The author sees their draft; others as they see the unit's register.
    async fn may_see_draft(&self, ctx: &Ctx, draft: &Draft) -> Result<(), AppError> {
        if ctx
            .actor
            .as_ref()
            .is_some_and(|a| a.person_id == draft.author_id)
        {
            return Ok(());
        }
        let lineage = self.lineage_of(draft, Scope::Unit).await?;
        ctx.require(Permission::ViewRegisters, &lineage)?;
        if draft.confidentiality != Confidentiality::Normal {
            ctx.require(Permission::ViewConfidential, &lineage)?;
        }
        Ok(())
    }

    /// Starts a draft, version 1, by the signed-in person.
    pub async fn create_draft(&self, ctx: &Ctx, new: NewDraft) -> Result<Draft, AppError> {
        let author = person(ctx)?.person_id;
        ctx.require(
            Permission::Draft,
            &self
                .lineage(new.drafting_unit_id.unwrap_or(new.agency_id))
                .await?,
        )?;
        let mut draft = Draft {
            id: 0,
            agency_id: new.agency_id,
            drafting_unit_id: new.drafting_unit_id,
            author_id: author,
            doc_type: new.doc_type,
            summary: new.summary,
            signer: new.signer.filter(|s| !s.trim().is_empty()),
            urgency: new.urgency,
            confidentiality: new.confidentiality,
            field: new.field,
            recipients: new.recipients,
            other_recipients: new
                .other_recipients
                .iter()
                .map(|line| vn::text::squash_spaces(line))
                .filter(|line| !line.is_empty())
                .collect(),
            state: DraftState::Drafting,
            version: 1,
            document_id: None,
            signed: None,
        };
        // The rules an issued document must meet hold for its draft.
        let checked = self.check_outgoing(&outgoing_of(&draft)).await?;
        draft.doc_type = checked.kind.name.to_owned();
        draft.summary = checked.summary;
        draft.field = checked.field;
        draft.recipients.sort_unstable();
        draft.recipients.dedup();
        for id in &draft.recipients {
            if *id == draft.agency_id {
                return Err(AppError::Invalid(
                    "Cơ quan ban hành không tự gửi văn bản cho chính mình".into(),
                ));
            }
            self.agency(*id).await?;
        }
        let mut tx = self.store.write().await?;
        let draft = tx.insert_draft(&draft, self.now()).await?;
        self.record_step(&mut tx, ctx, &draft, DraftAction::Create, "")
            .await?;
        tx.commit().await?;
        Ok(draft)
    }

    /// Appends the step and its audit entry.
    pub(crate) async fn record_step(
        &self,
        tx: &mut store::Tx,
        ctx: &Ctx,
        draft: &Draft,
        action: DraftAction,
        comment: &str,
    ) -> Result<(), AppError> {
        tx.insert_draft_step(&DraftStep {
            draft_id: draft.id,
            action,
            actor_id: ctx.actor.as_ref().map(|a| a.person_id),
            actor_label: ctx.actor_label.clone(),
            comment: comment.to_owned(),
            version: draft.version,
            at: self.now(),
        })
        .await?;
        let change = Change {
            action: match action {
                DraftAction::Create => "draft.create",
                DraftAction::Submit => "draft.submit",
                DraftAction::Endorse => "draft.endorse",
                DraftAction::Approve => "draft.approve",
                DraftAction::Sign => "draft.sign",
                DraftAction::Return => "draft.return",
                DraftAction::Issue => "draft.issue",
            },
            object_type: "draft",
            object_id: draft.id.to_string(),
            before: None,
            after: Some(serde_json::json!({ "draft": draft, "comment": comment })),
        };
        record(tx, self, ctx, change).await
    }

    /// A draft, its current files and its history.
    pub async fn draft(&self, ctx: &Ctx, id: DraftId) -> Result<DraftView, AppError> {
        let draft = self.stored_draft(id).await?;
        self.may_see_draft(ctx, &draft).await?;
        let tx = self.store.read().await?;
        Ok(DraftView {
            files: tx.draft_files(id, draft.version).await?,
            steps: tx.draft_steps(id).await?,
            draft,
        })
    }

    /// One file of a draft's current version, with its bytes.
    pub async fn draft_file(
        &self,
        ctx: &Ctx,
        id: DraftId,
        file: i64,
    ) -> Result<(DraftFile, bytes::Bytes), AppError> {
        let view = self.draft(ctx, id).await?;
        let file = view
            .files
            .into_iter()
            .find(|f| f.id == file)
            .ok_or(AppError::NotFound("tệp"))?;
        let bytes = self.blobs.get(&file.sha256).await?;
        Ok((file, bytes))
    }

    /// Adds a file to the draft's current version, while it is being
    /// written: the first is the document, the rest appendices.
    pub async fn add_draft_file(
        &self,
        ctx: &Ctx,
        id: DraftId,
        new: NewFile,
    ) -> Result<DraftFile, AppError> {
        let draft = self.stored_draft(id).await?;
        let is_author = ctx
            .actor
            .as_ref()
            .is_some_and(|a| a.person_id == draft.author_id);
        if !is_author {
            ctx.require(
                Permission::Draft,
                &self.lineage_of(&draft, Scope::Unit).await?,
            )?;
        }
        let Some(staged) = self.stage_files(vec![new]).await?.pop() else {
            return Err(AppError::Internal("no file staged".into()));
        };
        let mut tx = self.store.write().await?;
        let draft = tx.draft(id).await?.ok_or(AppError::NotFound("dự thảo"))?;
        if draft.state != DraftState::Drafting {
            return Err(AppError::Invalid(
                "Chỉ thêm tệp khi dự thảo đang được soạn thảo".into(),
            ));
        }
        let position =
            u32::try_from(tx.draft_files(id, draft.version).await?.len()).unwrap_or(u32::MAX);
        tx.record_blob(&staged.blob).await?;
        let file = tx
            .insert_draft_file(&DraftFile {
                id: 0,
                draft_id: id,
                version: draft.version,
                position,
                name: staged.file.name,
                description: staged.file.description,
                content_type: staged.file.content_type,
                sha256: staged.file.sha256,
                size: staged.file.size,
            })
            .await?;
        tx.update_draft(&draft, self.now()).await?;
        let change = Change {
            action: "draft.attach",
            object_type: "draft",
            object_id: id.to_string(),
            before: None,
            after: Some(serde_json::json!({ "file": file })),
        };
        record(&mut tx, self, ctx, change).await?;
        tx.commit().await?;
        Ok(file)
    }

    /// Takes a step on a draft: submit, endorse, approve, or return with
    /// a comment (which opens the next version with the same files).
    pub async fn act_on_draft(
        &self,
        ctx: &Ctx,
        id: DraftId,
        action: DraftAction,
        comment: &str,
    ) -> Result<Draft, AppError> {
        if matches!(
            action,
            DraftAction::Create | DraftAction::Sign | DraftAction::Issue
        ) {
            return Err(AppError::Invalid(format!(
                "«{}» không phải một bước duyệt",
                action.label()
            )));
        }
        let comment = vn::text::squash_spaces(&vn::text::nfc(comment));
        let before = self.stored_draft(id).await?;
        let (permission, scope) = action.permission(before.state);
        ctx.require(permission, &self.lineage_of(&before, scope).await?)?;
        action
            .check_author(ctx.actor.as_ref().map(|a| a.person_id == before.author_id))
            .map_err(AppError::invalid)?;
        if action == DraftAction::Return && comment.is_empty() {
            return Err(AppError::invalid(DraftRuleError::ReturnWithoutComment));
        }
        let mut tx = self.store.write().await?;
        let mut draft = tx.draft(id).await?.ok_or(AppError::NotFound("dự thảo"))?;
        if draft.state != before.state {
            // Someone acted first; their step stands.
            return Err(AppError::Conflict(format!(
                "Dự thảo vừa được chuyển sang «{}»; hãy tải lại trang",
                draft.state.label()
            )));
        }
        let next = draft
            .state
            .after(action, draft.drafting_unit_id.is_some())
            .map_err(AppError::invalid)?;
        let files = tx.draft_files(id, draft.version).await?;
        if action == DraftAction::Submit && files.is_empty() {
            return Err(AppError::invalid(DraftRuleError::NoFile));
        }
        if action == DraftAction::Return {
            // What the reviewer saw stays as version N; the author
            // continues from a copy, and a signature on N goes with it.
            draft.version += 1;
            draft.signed = None;
            for file in files {
                tx.insert_draft_file(&DraftFile {
                    version: draft.version,
                    ..file
                })
                .await?;
            }
        }
        draft.state = next;
        tx.update_draft(&draft, self.now()).await?;
        self.record_step(&mut tx, ctx, &draft, action, &comment)
            .await?;
        tx.commit().await?;
        Ok(draft)
    }

    /// The clerk issues an approved draft: number and symbol, the outgoing
    /// register, and an incoming entry in each recipient agency in egov,
    /// all in one transaction. A draft the leader signed is issued with
    /// its number and date filled into the PDF and the organisation's
    /// signature added, and that PDF becomes the document's main file;
    /// refused if the agency cannot sign.
    pub async fn issue_draft(&self, ctx: &Ctx, id: DraftId) -> Result<Document, AppError> {
        // The number written into a signed PDF is read before the write
        // transaction takes it (signing is too slow to hold the write
        // lock); if another issue took it meanwhile, write the next one.
        for _ in 0..ISSUE_ATTEMPTS {
            if let Some(document) = self.try_issue(ctx, id).await? {
                return Ok(document);
            }
        }
        Err(AppError::Conflict(
            "Các số văn bản kế tiếp vừa được cấp cho văn bản khác; hãy phát hành lại".into(),
        ))
    }

    /// One attempt at [`App::issue_draft`]: `None` when the number the
    /// PDF was given was taken before the transaction (nothing written).
    async fn try_issue(&self, ctx: &Ctx, id: DraftId) -> Result<Option<Document>, AppError> {
        let before = self.stored_draft(id).await?;
        let (permission, scope) = DraftAction::Issue.permission(before.state);
        ctx.require(permission, &self.lineage_of(&before, scope).await?)?;
        let outgoing = outgoing_of(&before);
        let checked = self.check_outgoing(&outgoing).await?;
        let mut recipients: Vec<Agency> = Vec::with_capacity(before.recipients.len());
        for agency in &before.recipients {
            recipients.push(self.agency(*agency).await?);
        }
        let day = vn::dates::vietnam_date(self.now());
        let (main, expected) = match &before.signed {
            Some(signed) => {
                let series = Series::of(
                    checked.issuer.id,
                    Direction::Outgoing,
                    outgoing.confidentiality,
                    day,
                );
                let number = self.store.read().await?.last_number(series).await? + 1;
                let symbol =
                    outgoing_symbol(number, checked.kind, &checked.issuer, checked.unit.as_ref())
                        .map_err(AppError::invalid)?;
                let pdf = self
                    .organisation_signed(&before, signed, symbol.to_string(), day)
                    .await?;
                (Some(pdf), Some(number))
            }
            None => (None, None),
        };
        // Files are read (and their text extracted) before the write
        // transaction, which must stay short: it holds the write lock.
        let files = self.issued_files(&before, main).await?;
        let issuer = checked.issuer.clone();
        let mut tx = self.store.write().await?;
        let mut draft = tx.draft(id).await?.ok_or(AppError::NotFound("dự thảo"))?;
        if (draft.state, draft.version, &draft.signed)
            != (before.state, before.version, &before.signed)
        {
            return Err(AppError::Conflict(
                "Dự thảo vừa thay đổi; hãy tải lại trang".into(),
            ));
        }
        let next = draft
            .state
            .after(DraftAction::Issue, draft.drafting_unit_id.is_some())
            .map_err(AppError::invalid)?;
        let mut document = self
            .record_outgoing(&mut tx, ctx, (outgoing, checked), day, files.clone())
            .await?;
        if expected.is_some_and(|number| number != document.number) {
            return Ok(None);
        }
        let exchange_id = exchange_id_of(&issuer, &document)?;
        tx.set_exchange_id(document.id, &exchange_id).await?;
        document.exchange_id = Some(exchange_id);
        self.deliver_within(&mut tx, ctx, &document, &recipients, &files)
            .await?;
        draft.state = next;
        draft.document_id = Some(document.id);
        tx.update_draft(&draft, self.now()).await?;
        self.record_step(&mut tx, ctx, &draft, DraftAction::Issue, "")
            .await?;
        tx.commit().await?;
        Ok(Some(document))
    }

    /// Registers the issued `document` as incoming in each of `recipients`
    /// (agencies in egov), under their own next arrival numbers.
    async fn deliver_within(
        &self,
        tx: &mut store::Tx,
        ctx: &Ctx,
        document: &Document,
        recipients: &[Agency],
        files: &[StagedFile],
    ) -> Result<(), AppError> {
        for recipient in recipients {
            let series = Series::of(
                recipient.id,
                Direction::Incoming,
                document.confidentiality,
                document.registered_on,
            );
            let received = Document {
                id: 0,
                agency_id: recipient.id,
                direction: Direction::Incoming,
                number: tx.next_number(series).await?,
                year: series.year,
                // Lĩnh vực is each agency's own taxonomy.
                field: None,
                ..document.clone()
            };
            self.record_document(
                tx,
                ctx,
                &received,
                series,
                "document.receive",
                files.to_vec(),
            )
            .await?;
        }
        Ok(())
    }

    /// The steps the actor may take on `draft` now (for the buttons on
    /// its page; each step checks again when taken).
    pub async fn draft_actions(
        &self,
        ctx: &Ctx,
        draft: &Draft,
    ) -> Result<Vec<DraftAction>, AppError> {
        let by_author = ctx.actor.as_ref().map(|a| a.person_id == draft.author_id);
        // Only the leader who approved this version signs it, once.
        let may_sign = match &ctx.actor {
            Some(actor) if draft.state == DraftState::Approved => {
                let steps = self.store.read().await?.draft_steps(draft.id).await?;
                draft.check_signer(actor.person_id, &steps).is_ok()
            }
            _ => false,
        };
        let mut actions = Vec::new();
        for action in DraftAction::ALL.iter().copied() {
            let fits = action != DraftAction::Create
                && (action != DraftAction::Sign || may_sign)
                && draft
                    .state
                    .after(action, draft.drafting_unit_id.is_some())
                    .is_ok()
                && action.check_author(by_author).is_ok();
            let (permission, scope) = action.permission(draft.state);
            if fits
                && ctx
                    .require(permission, &self.lineage_of(draft, scope).await?)
                    .is_ok()
            {
                actions.push(action);
            }
        }
        Ok(actions)
    }

    /// The current version's files of a draft, ready to be recorded as
    /// the document's; `main`, the signed PDF, takes the first one's place.
    async fn issued_files(
        &self,
        draft: &Draft,
        mut main: Option<bytes::Bytes>,
    ) -> Result<Vec<StagedFile>, AppError> {
        let tx = self.store.read().await?;
        let mut files = Vec::new();
        for mut f in tx.draft_files(draft.id, draft.version).await? {
            let (bytes, blob) = match main.take_if(|_| f.position == 0) {
                Some(bytes) => {
                    f.size = bytes.len() as u64;
                    f.sha256 = self.blobs.put(bytes.clone()).await?;
                    MediaType::Pdf.mime().clone_into(&mut f.content_type);
                    let blob = BlobRecord {
                        sha256: f.sha256.clone(),
                        size: f.size,
                        media_type: MediaType::Pdf,
                        created_at: self.now(),
                    };
                    (bytes, blob)
                }
                None => {
                    let blob = tx.blob(&f.sha256).await?.ok_or_else(|| {
                        AppError::Internal(format!("blob {} not recorded", f.sha256))
                    })?;
                    (self.blobs.get(&f.sha256).await?, blob)
                }
            };
            let (signature, signers) = self.signature_verdict(bytes.clone()).await?;
            let text = self.file_text(bytes).await;
            files.push(StagedFile::new(
                DocumentFile {
                    id: 0,
                    document_id: 0,
                    position: f.position,
                    role: FileRole::at(f.position),
                    name: f.name,
                    description: f.description,
                    content_type: f.content_type,
                    sha256: f.sha256,
                    size: f.size,
                    signature,
                    signers,
                },
                blob,
                &text,
            ));
        }
        Ok(files)
    }

    /// What waits for the signed-in person.
    pub async fn my_tasks(&self, ctx: &Ctx) -> Result<Tasks, AppError> {
        let actor = person(ctx)?;
        let approving = self
            .agencies_where(actor, Permission::ApproveDrafts)
            .await?;
        let tx = self.store.read().await?;
        let mut to_sign = Vec::new();
        for draft in tx
            .drafts_waiting(DraftState::Approved, &approving, false)
            .await?
        {
            let steps = tx.draft_steps(draft.id).await?;
            if draft.check_signer(actor.person_id, &steps).is_ok() {
                to_sign.push(draft);
            }
        }
        Ok(Tasks {
            to_review: tx
                .drafts_waiting(
                    DraftState::Reviewing,
                    &self.agencies_where(actor, Permission::ReviewDrafts).await?,
                    true,
                )
                .await?,
            to_approve: tx
                .drafts_waiting(DraftState::Approving, &approving, false)
                .await?,
            to_sign,
            to_issue: tx
                .drafts_waiting(
                    DraftState::Approved,
                    &self
                        .agencies_where(actor, Permission::RegisterDocuments)
                        .await?,
                    false,
                )
                .await?,
            mine: tx.drafts_of(actor.person_id).await?,
        })
    }
}
