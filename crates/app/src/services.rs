//! Public services (issue 8, first slice): an agency's catalogue of
//! procedures and the dossiers its one-stop desk receives. A dossier gets
//! its code `{agency code}-{yymmdd}-{sequence}` and its due date (the
//! procedure's working days on the agency's calendar, after the 15:00
//! cut-off) inside the intake's write transaction, so codes are unique
//! and each agency's day gapless however many desks receive at once.

use domain::authz::Permission;
use domain::services::{
    Applicant, Channel, Dossier, DossierCode, DossierStatus, Paper, Procedure, ProcedureId,
    ServiceRuleError, check_papers, due_after_stop, due_on,
};
use serde_json::json;
use vn::workdays::WorkCalendar;

use crate::audit::{Change, record};
use crate::{App, AppError, Ctx};

/// A dossier received at the desk or by post.
#[derive(Debug, Clone)]
pub struct NewDossier {
    pub procedure_id: ProcedureId,
    pub channel: Channel,
    pub applicant: Applicant,
    pub papers: Vec<Paper>,
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
        let agency = self.agency(procedure.agency_id).await?;
        let received_at = domain::to_stored_precision(self.now());
        let day = vn::dates::vietnam_date(received_at);
        if !procedure.in_force(day) {
            return Err(AppError::invalid(ServiceRuleError::NotInForce {
                name: procedure.name,
                day: vn::dates::format_short(day),
            }));
        }
        let mut tx = self.store.write().await?;
        let code = DossierCode {
            agency: agency.code.clone(),
            day,
            sequence: tx.next_dossier_sequence(agency.id, day).await?,
        };
        let mut dossier = Dossier {
            id: 0,
            code: code.to_string(),
            agency_id: agency.id,
            procedure_id: procedure.id,
            channel: new.channel,
            status: DossierStatus::Unresolved,
            applicant,
            received_at,
            received_by: ctx.actor.as_ref().map(|a| a.person_id),
            due_on: due_on(&calendar(), received_at, procedure.processing_days),
            returned_at: None,
            stopped_on: None,
            papers,
        };
        dossier.id = tx.insert_dossier(&dossier).await?;
        self.enqueue_portal_sync(&tx, ctx, &dossier, "Tiếp nhận hồ sơ")
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
                "due_on": dossier.due_on.to_string(),
            })),
        };
        record(&mut tx, self, ctx, change).await?;
        tx.commit().await?;
        Ok(dossier)
    }

    /// A dossier by its code, for those who may receive its agency's.
    pub async fn dossier_by_code(&self, ctx: &Ctx, code: &str) -> Result<Dossier, AppError> {
        let code: DossierCode = code.parse().map_err(AppError::invalid)?;
        let dossier = self
            .store
            .read()
            .await?
            .dossier_by_code(&code.to_string())
            .await?
            .ok_or(AppError::NotFound("hồ sơ"))?;
        ctx.require(
            Permission::ReceiveDossiers,
            &self.lineage(dossier.agency_id).await?,
        )?;
        Ok(dossier)
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
        tokio::task::spawn_blocking(move || {
            render::pdf::render(&slip.to_document(), crate::printout::fonts()?)
                .map(|pdf| pdf.bytes)
                .map_err(|e| AppError::Internal(format!("giấy tiếp nhận: {e}")))
        })
        .await
        .map_err(|e| AppError::Internal(format!("giấy tiếp nhận: {e}")))?
    }

    /// Asks the applicant for a supplement (yêu cầu bổ sung): the dossier
    /// waits and its clock stops today.
    pub async fn request_supplement(
        &self,
        ctx: &Ctx,
        code: &str,
        what: &str,
    ) -> Result<Dossier, AppError> {
        let what = what.trim();
        if what.is_empty() {
            return Err(AppError::invalid(ServiceRuleError::NoSupplementReason));
        }
        let today = vn::dates::vietnam_date(self.now());
        self.change_dossier(ctx, code, "dossier.supplement_requested", what, |dossier| {
            if !matches!(
                dossier.status,
                DossierStatus::Unresolved | DossierStatus::Processing
            ) {
                return Err(ServiceRuleError::CannotStop(dossier.status.label()));
            }
            dossier.status = DossierStatus::Waiting;
            dossier.stopped_on = Some(today);
            Ok(())
        })
        .await
    }

    /// The supplement came: the clock runs again and the due date moves by
    /// the working days it was stopped.
    pub async fn supplement_received(&self, ctx: &Ctx, code: &str) -> Result<Dossier, AppError> {
        let today = vn::dates::vietnam_date(self.now());
        self.change_dossier(ctx, code, "dossier.supplement_received", "", |dossier| {
            let (DossierStatus::Waiting, Some(stopped)) = (dossier.status, dossier.stopped_on)
            else {
                return Err(ServiceRuleError::NotWaiting);
            };
            dossier.due_on = due_after_stop(&calendar(), dossier.due_on, stopped, today);
            dossier.status = DossierStatus::Unresolved;
            dossier.stopped_on = None;
            Ok(())
        })
        .await
    }

    /// Applies `change` to the dossier `code` in a write transaction, with
    /// its audit entry; refused (nothing written) when the rule says so.
    async fn change_dossier(
        &self,
        ctx: &Ctx,
        code: &str,
        action: &str,
        note: &str,
        change: impl FnOnce(&mut Dossier) -> Result<(), ServiceRuleError>,
    ) -> Result<Dossier, AppError> {
        let read = self.dossier_by_code(ctx, code).await?;
        let mut tx = self.store.write().await?;
        let mut dossier = tx
            .dossier_by_code(&read.code)
            .await?
            .ok_or(AppError::NotFound("hồ sơ"))?;
        let before = json!({
            "status": dossier.status.as_str(),
            "due_on": dossier.due_on.to_string(),
        });
        change(&mut dossier).map_err(AppError::invalid)?;
        tx.update_dossier_state(&dossier).await?;
        self.enqueue_portal_sync(&tx, ctx, &dossier, note).await?;
        let entry = Change {
            action,
            object_type: "dossier",
            object_id: dossier.id.to_string(),
            before: Some(before),
            after: Some(json!({
                "status": dossier.status.as_str(),
                "due_on": dossier.due_on.to_string(),
                "note": note,
            })),
        };
        record(&mut tx, self, ctx, entry).await?;
        tx.commit().await?;
        Ok(dossier)
    }
}
