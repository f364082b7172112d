//! Public services (issue 8, first slice): an agency's catalogue of
//! procedures and the dossiers its one-stop desk receives. A dossier gets
//! its code `{agency code}-{yymmdd}-{sequence}` and its due date (the
//! procedure's working days on the agency's calendar, after the 15:00
//! cut-off) inside the intake's write transaction, so codes are unique
//! and each agency's day gapless however many desks receive at once.

mod accounts;
mod deadlines;
mod files;
mod notices;
mod online;
pub mod payments;

use domain::agencies::Agency;
use domain::authz::Permission;
use domain::services::workflow::{StepContext, StepInput};
use domain::services::{
    Action, Applicant, Channel, Dossier, DossierCode, DossierId, Paper, Procedure, ProcedureId,
    ServiceRuleError, Stage, Step, Taker, check_papers, check_scans, due_on,
};

pub use accounts::{AccountSignedIn, NewAccountSession};
pub use files::UploadedFile;
pub use online::{OnlineSubmission, Submitted, Tracking};
use serde_json::json;
use store::services::Inbox;
use vn::workdays::WorkCalendar;

use crate::audit::{Change, record};
use crate::mail::outbox;
use crate::{App, AppError, Ctx};

/// A dossier received at the desk or by post.
#[derive(Debug, Clone)]
pub struct NewDossier {
    pub procedure_id: ProcedureId,
    pub channel: Channel,
    pub applicant: Applicant,
    pub papers: Vec<Paper>,
    /// The papers scanned at the desk (none when the desk keeps paper
    /// only); each names the paper it is a copy of.
    pub files: Vec<UploadedFile>,
}

/// The calendar dossier deadlines are counted on: Monday to Friday, the
/// Labour Code's holidays, receipts from 15:00 counting from the next
/// working day.
pub fn calendar() -> WorkCalendar {
    WorkCalendar {
        cutoff: Some(time::macros::time!(15:00)),
        ..crate::handling::calendar()
    }
}

impl App {
    /// Adds a procedure to its agency's catalogue.
    pub async fn create_procedure(
        &self,
        ctx: &Ctx,
        procedure: Procedure,
    ) -> Result<Procedure, AppError> {
        ctx.require(
            Permission::ManageProcedures,
            &self.lineage(procedure.agency_id).await?,
        )?;
        let procedure = Procedure {
            national_code: procedure.national_code.trim().to_owned(),
            name: procedure.name.trim().to_owned(),
            ..procedure
        };
        procedure.check().map_err(AppError::invalid)?;
        let mut tx = self.store.write().await?;
        let id = tx.insert_procedure(&procedure, self.now()).await?;
        let procedure = Procedure { id, ..procedure };
        let change = Change {
            action: "procedure.create",
            object_type: "procedure",
            object_id: id.to_string(),
            before: None,
            after: Some(json!(procedure)),
        };
        record(&mut tx, self, ctx, change).await?;
        tx.commit().await?;
        Ok(procedure)
    }

    pub async fn procedure(&self, id: ProcedureId) -> Result<Procedure, AppError> {
        self.store
            .read()
            .await?
            .procedure(id)
            .await?
            .ok_or(AppError::NotFound("thủ tục"))
    }

    /// The procedures in force today whose name or code contains every
    /// word of `query`, diacritics and case ignored (a citizen types
    /// "cap giay phep"), of `agency` when given, in `field` when given.
    pub async fn find_procedures(
        &self,
        query: &str,
        agency: Option<domain::agencies::AgencyId>,
        field: Option<&str>,
    ) -> Result<Vec<Procedure>, AppError> {
        let today = vn::dates::vietnam_date(self.now());
        let words: Vec<String> = vn::text::fold(query)
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        let mut found: Vec<Procedure> = self
            .store
            .read()
            .await?
            .procedures()
            .await?
            .into_iter()
            .filter(|p| p.in_force(today))
            .filter(|p| agency.is_none_or(|a| p.agency_id == a))
            .filter(|p| field.is_none_or(|f| p.field.as_deref() == Some(f)))
            .filter(|p| {
                let text = vn::text::fold(&format!("{} {}", p.national_code, p.name));
                words.iter().all(|w| text.contains(w.as_str()))
            })
            .collect();
        found.sort_by(|a, b| vn::collate::compare(&a.name, &b.name));
        Ok(found)
    }

    /// Receives a dossier at the procedure's agency's desk (or by post):
    /// its code and due date are given in the same transaction.
    pub async fn receive_dossier(&self, ctx: &Ctx, new: NewDossier) -> Result<Dossier, AppError> {
        let procedure = self.procedure(new.procedure_id).await?;
        ctx.require(
            Permission::ReceiveDossiers,
            &self.lineage(procedure.agency_id).await?,
        )?;
        if new.channel == Channel::Online {
            return Err(AppError::invalid(ServiceRuleError::OnlineAtTheDesk));
        }
        let applicant = new.applicant.normalised().map_err(AppError::invalid)?;
        let papers = check_papers(new.papers).map_err(AppError::invalid)?;
        check_scans(
            &papers,
            new.files
                .iter()
                .map(|f| (f.paper.as_str(), f.name.as_str())),
        )
        .map_err(AppError::invalid)?;
        let agency = self.agency(procedure.agency_id).await?;
        let received_at = domain::to_stored_precision(self.now());
        let day = vn::dates::vietnam_date(received_at);
        procedure.check_in_force(day).map_err(AppError::invalid)?;
        let actor_label = self.step_actor(ctx).await?;
        let (files, blobs) = self.stage_dossier_files(new.files, received_at).await?;
        let dossier = Dossier {
            id: 0,
            code: String::new(),
            agency_id: agency.id,
            procedure_id: procedure.id,
            channel: new.channel,
            status: Stage::Reception.status(),
            stage: Stage::Reception,
            applicant,
            received_at,
            received_by: ctx.actor.as_ref().map(|a| a.person_id),
            due_on: due_on(&calendar(), received_at, procedure.processing_days),
            promised_on: None,
            stage_due_at: domain::services::deadlines::stage_due(
                &calendar(),
                received_at,
                &procedure.budgets(),
                Stage::Reception,
            ),
            handler_id: None,
            result_document_id: None,
            returned_at: None,
            stopped_on: None,
            papers,
            files,
        };
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
                (Action::Receive, actor_label),
            )
            .await?;
        tx.commit().await?;
        self.send_mail_now().await;
        Ok(dossier)
    }

    /// Records a new dossier in `tx`: its code (the next of the day of
    /// `agency`, the dossier's), the first step, the notice to the
    /// applicant and the audit entry. The caller commits. Nothing here
    /// reads outside `tx`: a second connection taken while the write
    /// transaction holds one could wait for ever when many desks write.
    async fn open_dossier(
        &self,
        tx: &mut store::Tx,
        ctx: &Ctx,
        (mut dossier, agency): (Dossier, &Agency),
        procedure: &Procedure,
        (action, actor_label): (Action, String),
    ) -> Result<Dossier, AppError> {
        let day = vn::dates::vietnam_date(dossier.received_at);
        dossier.code = DossierCode {
            agency: agency.code.clone(),
            day,
            sequence: tx.next_dossier_sequence(dossier.agency_id, day).await?,
        }
        .to_string();
        dossier.id = tx.insert_dossier(&dossier).await?;
        let step = Step {
            at: dossier.received_at,
            action,
            actor_id: dossier.received_by,
            actor_label,
            stage: dossier.stage,
            note: String::new(),
            due_at: dossier.stage_due_at,
            letter: None,
        };
        tx.insert_step(dossier.id, &step).await?;
        if let Some(mail) = notices::of_step(self, &dossier, procedure, &step) {
            outbox::enqueue(tx, &mail, dossier.received_at).await?;
        }
        self.enqueue_portal_sync(tx, ctx, &dossier, action.label())
            .await?;
        let change = Change {
            action: "dossier.receive",
            object_type: "dossier",
            object_id: dossier.id.to_string(),
            before: None,
            after: Some(json!({
                "code": dossier.code,
                "procedure_id": dossier.procedure_id,
                "channel": dossier.channel.as_str(),
                "stage": dossier.stage.as_str(),
                "due_on": dossier.due_on.to_string(),
                "files": dossier.files.len(),
            })),
        };
        record(tx, self, ctx, change).await?;
        Ok(dossier)
    }

    /// A dossier by its code, for those who work on it: its agency's desk
    /// and leaders, and its handler.
    pub async fn dossier_by_code(&self, ctx: &Ctx, code: &str) -> Result<Dossier, AppError> {
        let dossier = self.stored_dossier(code).await?;
        if self.takers(ctx, &dossier).await?.is_empty() {
            return Err(AppError::Forbidden);
        }
        Ok(dossier)
    }

    /// The dossier whose code `code` is, as written or with spaces around,
    /// whoever asks.
    pub(crate) async fn stored_dossier(&self, code: &str) -> Result<Dossier, AppError> {
        let code: DossierCode = code.parse().map_err(AppError::invalid)?;
        self.store
            .read()
            .await?
            .dossier_by_code(&code.to_string())
            .await?
            .ok_or(AppError::NotFound("hồ sơ"))
    }

    /// The dossiers waiting for `ctx`'s actor, by list: the desk's (to
    /// check, to give out, to return, waiting for a supplement), the
    /// leader's (to approve) and the handler's own.
    pub async fn dossier_inboxes(
        &self,
        ctx: &Ctx,
    ) -> Result<Vec<(&'static str, Vec<Dossier>)>, AppError> {
        let Some(actor) = ctx.actor.as_ref() else {
            return Ok(Vec::new());
        };
        let mut lists = Vec::new();
        let scope = async |permission| {
            let mut agencies = Vec::new();
            for root in actor.roots_of(permission) {
                agencies.extend(self.subtree(root).await?);
            }
            Ok::<_, AppError>(agencies)
        };
        let desk = scope(Permission::ReceiveDossiers).await?;
        let leader = scope(Permission::ApproveDossiers).await?;
        let read = self.store.read().await?;
        let wanted: [(&'static str, &Vec<i64>, Vec<Stage>); 4] = [
            ("Chờ kiểm tra, tiếp nhận", &desk, vec![Stage::Checking]),
            (
                "Đã tiếp nhận, chờ chuyển thụ lý",
                &desk,
                vec![Stage::Reception],
            ),
            ("Chờ lãnh đạo phê duyệt", &leader, vec![Stage::Approval]),
            ("Có kết quả, chờ trả", &desk, vec![Stage::Release]),
        ];
        for (title, agencies, stages) in wanted {
            if !agencies.is_empty() {
                let inbox = Inbox::Stages(agencies.clone(), stages);
                lists.push((title, read.dossier_inbox(&inbox, 200).await?));
            }
        }
        let mine = read
            .dossier_inbox(&Inbox::Handler(actor.person_id), 200)
            .await?;
        lists.push(("Được giao thụ lý", mine));
        Ok(lists)
    }

    /// The receipt and appointment slip of a dossier (Giấy tiếp nhận hồ
    /// sơ và hẹn trả kết quả), as PDF: the applicant, the procedure, the
    /// papers handed in, the due date and the officer who received it.
    pub async fn receipt_slip(&self, ctx: &Ctx, code: &str) -> Result<Vec<u8>, AppError> {
        let dossier = self.dossier_by_code(ctx, code).await?;
        let procedure = self.procedure(dossier.procedure_id).await?;
        let heading = self.book_heading(dossier.agency_id).await?;
        let receiver = match dossier.received_by {
            Some(id) => self
                .store
                .read()
                .await?
                .person(id)
                .await?
                .map(|p| p.full_name),
            None => None,
        };
        let slip = render::slip::ReceiptSlip {
            agency: render::AgencyHeader {
                parent: heading.parent,
                issuer: heading.issuer,
            },
            number: dossier.code.clone(),
            place: heading.place,
            received: vn::dates::vietnam_date(dossier.received_at),
            dossier_code: dossier.code,
            applicant: dossier.applicant.name,
            address: dossier.applicant.address.unwrap_or_default(),
            procedure: procedure.name,
            documents: dossier
                .papers
                .into_iter()
                .map(|paper| (paper.name, paper.copies))
                .collect(),
            appointment: dossier.due_on,
            receiver: receiver.unwrap_or_default(),
        };
        render_pdf(slip.to_document(), "giấy tiếp nhận").await
    }

    /// Takes a step of the workflow on the dossier `code` for an officer:
    /// the step must be the officer's to take (desk, leader, or the
    /// dossier's handler) and in turn; it is recorded with the audit entry
    /// and, where the applicant is told, a notice, in one transaction.
    pub async fn take_step(
        &self,
        ctx: &Ctx,
        code: &str,
        input: StepInput,
    ) -> Result<Dossier, AppError> {
        let read = self.stored_dossier(code).await?;
        let takers = self.takers(ctx, &read).await?;
        if !input.action.takers().iter().any(|t| takers.contains(t)) {
            return Err(AppError::Forbidden);
        }
        if input.action == Action::Assign {
            self.check_handler(&read, input.handler_id).await?;
        }
        if input.action == Action::AttachResult {
            self.check_result(&read, input.result_document_id).await?;
        }
        let actor_label = self.step_actor(ctx).await?;
        let letter = if input.action == Action::Apologise {
            Some(self.apology_blob(ctx, &read, &input).await?)
        } else {
            None
        };
        self.apply_step(ctx, read.id, &input, (actor_label, letter))
            .await
    }

    /// Who `ctx`'s actor is to `dossier`: its desk, a leader of its
    /// agency, its handler (the system is all three).
    pub async fn takers(&self, ctx: &Ctx, dossier: &Dossier) -> Result<Vec<Taker>, AppError> {
        let lineage = self.lineage(dossier.agency_id).await?;
        let mut takers = Vec::new();
        if ctx.require(Permission::ReceiveDossiers, &lineage).is_ok() {
            takers.push(Taker::Desk);
        }
        if ctx.require(Permission::ApproveDossiers, &lineage).is_ok() {
            takers.push(Taker::Leader);
        }
        let me = ctx.actor.as_ref().map(|a| a.person_id);
        if ctx.actor.is_none() || (me.is_some() && me == dossier.handler_id) {
            takers.push(Taker::Handler);
        }
        Ok(takers)
    }

    /// A handler works in the dossier's agency or one of its units.
    async fn check_handler(
        &self,
        dossier: &Dossier,
        handler: Option<domain::people::PersonId>,
    ) -> Result<(), AppError> {
        let outside = || AppError::invalid(ServiceRuleError::HandlerOutside);
        let handler = handler.ok_or_else(outside)?;
        let person = self
            .store
            .read()
            .await?
            .person(handler)
            .await?
            .ok_or_else(outside)?;
        let active = person.status == domain::people::PersonStatus::Active;
        if !active
            || !self
                .lineage(person.agency_id)
                .await?
                .contains(&dossier.agency_id)
        {
            return Err(outside());
        }
        Ok(())
    }

    /// A result is an outgoing document of the dossier's agency, issued
    /// with a file.
    async fn check_result(
        &self,
        dossier: &Dossier,
        document: Option<domain::documents::DocumentId>,
    ) -> Result<(), AppError> {
        let wrong = || AppError::invalid(ServiceRuleError::NoResultDocument);
        let id = document.ok_or_else(wrong)?;
        let read = self.store.read().await?;
        let document = read.document(id).await?.ok_or_else(wrong)?;
        let issued = document.direction == domain::documents::Direction::Outgoing
            && document.agency_id == dossier.agency_id;
        if !issued || read.document_files(id).await?.is_empty() {
            return Err(wrong());
        }
        Ok(())
    }

    /// Who a step's history names: the officer's full name, or the
    /// system's label.
    async fn step_actor(&self, ctx: &Ctx) -> Result<String, AppError> {
        let Some(actor) = ctx.actor.as_ref() else {
            return Ok(ctx.actor_label.clone());
        };
        Ok(self
            .store
            .read()
            .await?
            .person(actor.person_id)
            .await?
            .map(|p| p.full_name)
            .unwrap_or_default())
    }

    /// Applies `input` to dossier `id` in a write transaction: the rule,
    /// the state, the step (with the letter made for it, already in the
    /// blob store), the notice and the audit entry; refused (nothing
    /// written) when the rule says so.
    pub(crate) async fn apply_step(
        &self,
        ctx: &Ctx,
        id: DossierId,
        input: &StepInput,
        (actor_label, letter): (String, Option<store::blobs::BlobRecord>),
    ) -> Result<Dossier, AppError> {
        let mut tx = self.store.write().await?;
        let dossier = self
            .step_in(&mut tx, ctx, id, input, (actor_label, letter))
            .await?;
        tx.commit().await?;
        self.send_mail_now().await;
        Ok(dossier)
    }

    /// [`App::apply_step`] inside `tx`, which the caller commits: an
    /// account's online submission confirms its dossier in the
    /// transaction that records it.
    pub(crate) async fn step_in(
        &self,
        tx: &mut store::Tx,
        ctx: &Ctx,
        id: DossierId,
        input: &StepInput,
        (actor_label, letter): (String, Option<store::blobs::BlobRecord>),
    ) -> Result<Dossier, AppError> {
        let now = domain::to_stored_precision(self.now());
        let mut dossier = tx.dossier(id).await?.ok_or(AppError::NotFound("hồ sơ"))?;
        let procedure = tx
            .procedure(dossier.procedure_id)
            .await?
            .ok_or(AppError::NotFound("thủ tục"))?;
        let before = json!({
            "stage": dossier.stage.as_str(),
            "status": dossier.status.as_str(),
            "due_on": dossier.due_on.to_string(),
        });
        let calendar = calendar();
        let step_context = StepContext {
            now,
            today: vn::dates::vietnam_date(now),
            calendar: &calendar,
            processing_days: procedure.processing_days,
            budgets: procedure.budgets(),
            actor: ctx.actor.as_ref().map(|a| a.person_id),
        };
        dossier
            .take(input, &step_context)
            .map_err(AppError::invalid)?;
        tx.update_dossier_state(&dossier).await?;
        if let Some(blob) = &letter {
            tx.record_blob(blob).await?;
        }
        let step = Step {
            at: now,
            action: input.action,
            actor_id: step_context.actor,
            actor_label,
            stage: dossier.stage,
            note: input.note.trim().to_owned(),
            due_at: dossier.stage_due_at,
            letter: letter.map(|blob| blob.sha256),
        };
        tx.insert_step(dossier.id, &step).await?;
        if let Some(mail) = notices::of_step(self, &dossier, &procedure, &step) {
            outbox::enqueue(tx, &mail, now).await?;
        }
        let content = if step.note.is_empty() {
            input.action.label().to_owned()
        } else {
            format!("{}: {}", input.action.label(), step.note)
        };
        self.enqueue_portal_sync(tx, ctx, &dossier, &content)
            .await?;
        let entry = Change {
            action: "dossier.step",
            object_type: "dossier",
            object_id: dossier.id.to_string(),
            before: Some(before),
            after: Some(json!({
                "step": input.action.as_str(),
                "stage": dossier.stage.as_str(),
                "status": dossier.status.as_str(),
                "due_on": dossier.due_on.to_string(),
                "promised_on": dossier.promised_on.map(|d| d.to_string()),
                "stage_due_at": dossier.stage_due_at.map(|at| at.to_string()),
                "handler_id": dossier.handler_id,
                "note": step.note,
                "letter": step.letter,
            })),
        };
        record(tx, self, ctx, entry).await?;
        Ok(dossier)
    }

    /// A dossier's steps, for those who may see it.
    pub async fn dossier_steps(&self, ctx: &Ctx, code: &str) -> Result<Vec<Step>, AppError> {
        let dossier = self.dossier_by_code(ctx, code).await?;
        Ok(self.store.read().await?.dossier_steps(dossier.id).await?)
    }
}

/// Renders `document` to PDF off the async threads (Typst is CPU-bound);
/// `what` names it in an error.
pub(crate) async fn render_pdf(
    document: render::Document,
    what: &'static str,
) -> Result<Vec<u8>, AppError> {
    tokio::task::spawn_blocking(move || {
        render::pdf::render(&document, crate::printout::fonts()?)
            .map(|pdf| pdf.bytes)
            .map_err(|e| AppError::Internal(format!("{what}: {e}")))
    })
    .await
    .map_err(|e| AppError::Internal(format!("{what}: {e}")))?
}
