//! The citizen's side of public services (issue 8, items 2 and 5): a
//! dossier submitted online with its files, confirmed by the link e-mailed
//! to the applicant — or at once when it comes from a confirmed portal
//! account (`accounts`) — and looked up on the public tracking page by its
//! code and the applicant's phone or e-mail.
//!
//! Invariant: a submission is checked whole — procedure, applicant, every
//! file's name, type and size — and its files are in the blob store before
//! the transaction that records it opens; a refused one stores nothing.

use domain::services::accounts::Account;
use domain::services::online::check_online;
use domain::services::workflow::StepInput;
use domain::services::{
    Action, Applicant, Channel, Dossier, DossierCode, Paper, ProcedureId, ServiceRuleError, Stage,
    Step, due_on,
};
use store::services::links::Link;

use super::{UploadedFile, calendar, notices};
use crate::auth::{random_token, token_digest};
use crate::mail::outbox;
use crate::{App, AppError, Ctx};

/// A dossier submitted through the portal.
#[derive(Debug, Clone)]
pub struct OnlineSubmission {
    pub procedure_id: ProcedureId,
    pub applicant: Applicant,
    pub files: Vec<UploadedFile>,
}

/// A submission recorded, waiting for its e-mail confirmation.
#[derive(Debug, Clone)]
pub struct Submitted {
    pub dossier: Dossier,
    /// The secret of the confirmation link (only its digest is kept).
    pub token: String,
}

/// What the public tracking page shows of a dossier.
#[derive(Debug, Clone)]
pub struct Tracking {
    pub dossier: Dossier,
    pub procedure: String,
    /// Its steps, with the notes meant for the applicant only.
    pub steps: Vec<Step>,
}

/// How long a confirmation link works.
const CONFIRMATION_HOURS: i64 = 24;

/// The name the history gives the applicant.
const APPLICANT: &str = "Người nộp hồ sơ";

impl App {
    /// Records a guest's online submission: checked whole, its files
    /// stored, its code given, and the confirmation e-mailed to the
    /// applicant.
    pub async fn submit_online(&self, submission: OnlineSubmission) -> Result<Submitted, AppError> {
        let (dossier, token) = self
            .record_online(submission, None, &Ctx::system("portal"))
            .await?;
        Ok(Submitted {
            dossier,
            token: token.unwrap_or_default(),
        })
    }

    /// Records an online submission. A guest's waits in stage Confirming
    /// for the e-mailed link (its token is returned); one from `account`,
    /// whose e-mail was confirmed when it registered, is linked to the
    /// account and confirmed in the same transaction — the step a guest's
    /// link takes, so both have the same history, notices, portal records
    /// and audit entries.
    pub(super) async fn record_online(
        &self,
        submission: OnlineSubmission,
        account: Option<&Account>,
        ctx: &Ctx,
    ) -> Result<(Dossier, Option<String>), AppError> {
        let procedure = self.procedure(submission.procedure_id).await?;
        check_online(&procedure).map_err(AppError::invalid)?;
        let applicant = submission
            .applicant
            .normalised()
            .map_err(AppError::invalid)?;
        if applicant.email.is_none() {
            return Err(AppError::invalid(ServiceRuleError::NoEmail));
        }
        let now = domain::to_stored_precision(self.now());
        let today = vn::dates::vietnam_date(now);
        procedure.check_in_force(today).map_err(AppError::invalid)?;
        if submission.files.is_empty() {
            return Err(AppError::invalid(ServiceRuleError::NoFiles));
        }
        let (files, blobs) = self.stage_dossier_files(submission.files, now).await?;
        let mut papers: Vec<Paper> = Vec::new();
        for file in &files {
            match papers.iter_mut().find(|p| p.name == file.paper) {
                Some(paper) => paper.copies += 1,
                None => papers.push(Paper {
                    name: file.paper.clone(),
                    copies: 1,
                }),
            }
        }
        let dossier = Dossier {
            id: 0,
            code: String::new(),
            agency_id: procedure.agency_id,
            procedure_id: procedure.id,
            channel: Channel::Online,
            status: Stage::Confirming.status(),
            stage: Stage::Confirming,
            applicant,
            received_at: now,
            received_by: None,
            due_on: due_on(&calendar(), now, procedure.processing_days),
            promised_on: None,
            stage_due_at: None,
            handler_id: None,
            result_document_id: None,
            returned_at: None,
            stopped_on: None,
            papers,
            files,
        };
        let agency = self.agency(procedure.agency_id).await?;
        let mut tx = self.store.write().await?;
        for blob in &blobs {
            tx.record_blob(blob).await?;
        }
        let dossier = self
            .open_dossier(
                &mut tx,
                ctx,
                (dossier, &agency),
                &procedure,
                (Action::Submit, APPLICANT.into()),
            )
            .await?;
        let (dossier, token) = match account {
            Some(account) => {
                tx.link_dossier_to_account(dossier.id, account.id).await?;
                let dossier = self
                    .step_in(
                        &mut tx,
                        ctx,
                        dossier.id,
                        &confirm(),
                        (APPLICANT.into(), None),
                    )
                    .await?;
                (dossier, None)
            }
            None => {
                let token = random_token()?;
                let expires = now + time::Duration::hours(CONFIRMATION_HOURS);
                let digest = token_digest(&token);
                tx.insert_link(
                    Link::DossierConfirmation,
                    dossier.id,
                    &digest,
                    (now, expires),
                )
                .await?;
                if let Some(mail) = notices::confirmation(self, &dossier, &procedure, &token) {
                    outbox::enqueue(&tx, &mail, now).await?;
                }
                (dossier, Some(token))
            }
        };
        tx.commit().await?;
        self.send_mail_now().await;
        Ok((dossier, token))
    }

    /// The applicant opened the confirmation link: the dossier goes to the
    /// desk to be checked.
    pub async fn confirm_online(&self, token: &str) -> Result<Dossier, AppError> {
        let bad = || AppError::invalid(ServiceRuleError::BadConfirmation);
        let now = domain::to_stored_precision(self.now());
        let id = {
            let tx = self.store.write().await?;
            let id = tx
                .use_link(Link::DossierConfirmation, &token_digest(token.trim()), now)
                .await?;
            tx.commit().await?;
            id.ok_or_else(bad)?
        };
        self.apply_step(
            &Ctx::system("portal"),
            id,
            &confirm(),
            (APPLICANT.into(), None),
        )
        .await
    }

    /// A dossier for the public tracking page: found by its code and the
    /// applicant's phone or e-mail, so that a code alone reveals nothing.
    pub async fn track(&self, code: &str, contact: &str) -> Result<Tracking, AppError> {
        let not_found = || AppError::NotFound("hồ sơ với mã và số điện thoại hoặc thư điện tử này");
        let code: DossierCode = code.parse().map_err(AppError::invalid)?;
        let read = self.store.read().await?;
        let dossier = read
            .dossier_by_code(&code.to_string())
            .await?
            .ok_or_else(not_found)?;
        if !contact_matches(&dossier.applicant, contact) {
            return Err(not_found());
        }
        let procedure = read
            .procedure(dossier.procedure_id)
            .await?
            .ok_or(AppError::NotFound("thủ tục"))?;
        let steps = read
            .dossier_steps(dossier.id)
            .await?
            .into_iter()
            .map(|step| Step {
                note: if step.action.note_is_public() {
                    step.note
                } else {
                    String::new()
                },
                actor_id: None,
                ..step
            })
            .collect();
        Ok(Tracking {
            dossier,
            procedure: procedure.name,
            steps,
        })
    }

    /// The file of a dossier's result — the issued document's main file,
    /// signed — for its applicant, once the result is ready, when the
    /// procedure returns results online (level 4).
    pub async fn result_file(
        &self,
        code: &str,
        contact: &str,
    ) -> Result<(domain::documents::DocumentFile, bytes::Bytes), AppError> {
        let tracking = self.track(code, contact).await?;
        let dossier = &tracking.dossier;
        let procedure = self.procedure(dossier.procedure_id).await?;
        let ready = matches!(dossier.stage, Stage::Release | Stage::Returned);
        let document = dossier
            .result_document_id
            .filter(|_| ready && procedure.level == domain::services::Level::Complete)
            .ok_or(AppError::NotFound("kết quả trực tuyến của hồ sơ"))?;
        let file = self
            .store
            .read()
            .await?
            .document_files(document)
            .await?
            .into_iter()
            .next()
            .ok_or(AppError::NotFound("tệp kết quả"))?;
        let bytes = self.blobs.get(&file.sha256).await?;
        Ok((file, bytes))
    }
}

/// The applicant's confirmation of an online dossier.
fn confirm() -> StepInput {
    StepInput {
        action: Action::Confirm,
        note: String::new(),
        handler_id: None,
        promised_on: None,
        result_document_id: None,
    }
}

/// Whether `contact` is the applicant's phone (digits compared) or e-mail
/// (case ignored).
fn contact_matches(applicant: &Applicant, contact: &str) -> bool {
    let contact = contact.trim();
    if contact.is_empty() {
        return false;
    }
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let phone = applicant
        .phone
        .as_deref()
        .is_some_and(|p| digits(p).len() >= 9 && digits(p) == digits(contact));
    let email = applicant
        .email
        .as_deref()
        .is_some_and(|e| e.eq_ignore_ascii_case(contact));
    phone || email
}
