//! The forms a dossier's deadlines bring (issue 8, item 3; Circular
//! 01/2018/TT-VPCP): the apology with a new return date (Mẫu số 04),
//! made when a leader apologises for a late dossier and kept as a blob on
//! that step — the applicant downloads it from the tracking page with the
//! dossier's code and their phone or e-mail, the staff from the dossier's
//! page — and the process-control slip (Mẫu số 02), every handover with
//! its stage's due moment and whether it was early, on time or late.
//!
//! The letter is rendered and stored before the step's write transaction
//! opens (Typst takes a while and must not hold the write lock); the
//! apology's rule is checked first on a copy of the dossier, so a refused
//! apology makes no letter, and the transaction checks it again.

use bytes::Bytes;
use domain::services::deadlines::{Handover, handovers, holder};
use domain::services::workflow::{StepContext, StepInput};
use domain::services::{ApplicantKind, Dossier, Step};
use store::blobs::BlobRecord;
use time::OffsetDateTime;

use super::{calendar, render_pdf};
use crate::{App, AppError, Ctx};

/// A moment as the slip writes it: "14 giờ 30 phút, ngày 28/4/2021".
fn slip_moment(at: OffsetDateTime) -> String {
    let local = vn::dates::to_vietnam(at);
    format!(
        "{:02} giờ {:02} phút, ngày {}",
        local.hour(),
        local.minute(),
        vn::dates::format_short(local.date())
    )
}

impl App {
    /// The apology letter `input` (an `Apologise` step by `ctx`'s leader)
    /// makes for `dossier`, rendered and in the blob store, not yet
    /// recorded; refused as the step would be.
    pub(super) async fn apology_blob(
        &self,
        ctx: &Ctx,
        dossier: &Dossier,
        input: &StepInput,
    ) -> Result<BlobRecord, AppError> {
        let now = domain::to_stored_precision(self.now());
        let today = vn::dates::vietnam_date(now);
        let procedure = self.procedure(dossier.procedure_id).await?;
        let calendar = calendar();
        let mut after = dossier.clone();
        after
            .take(
                input,
                &StepContext {
                    now,
                    today,
                    calendar: &calendar,
                    processing_days: procedure.processing_days,
                    budgets: procedure.budgets(),
                    actor: ctx.actor.as_ref().map(|a| a.person_id),
                },
            )
            .map_err(AppError::invalid)?;
        let leader = match ctx.actor.as_ref() {
            Some(actor) => self
                .store
                .read()
                .await?
                .person(actor.person_id)
                .await?
                .map(|p| (p.position, p.full_name)),
            None => None,
        };
        let heading = self.book_heading(dossier.agency_id).await?;
        let applicant = &dossier.applicant;
        let letter = render::slip::ApologyLetter {
            agency: render::AgencyHeader {
                parent: heading.parent,
                issuer: heading.issuer,
            },
            agency_name: self.agency(dossier.agency_id).await?.name,
            number: format!("{}/PXL", dossier.code),
            place: heading.place,
            date: today,
            addressed_as: match applicant.kind {
                ApplicantKind::Citizen => "Ông/Bà".into(),
                ApplicantKind::Business => "Quý cơ quan, tổ chức".into(),
            },
            applicant: applicant.name.clone(),
            address: applicant.address.clone().unwrap_or_default(),
            dossier_code: dossier.code.clone(),
            procedure: procedure.name,
            received: vn::dates::vietnam_date(dossier.received_at),
            due: dossier.due_on,
            reason: input.note.trim().to_owned(),
            promised: after.appointment(),
            leader: leader.unwrap_or_else(|| ("Thủ trưởng cơ quan".into(), String::new())),
        };
        let bytes = render_pdf(letter.to_document(), "phiếu xin lỗi").await?;
        let size = bytes.len() as u64;
        let sha256 = self.blobs.put(bytes.into()).await?;
        Ok(BlobRecord {
            sha256,
            size,
            media_type: domain::files::MediaType::Pdf,
            created_at: now,
        })
    }

    /// The latest apology letter of the dossier `code`, for those who
    /// work on it.
    pub async fn apology_letter(&self, ctx: &Ctx, code: &str) -> Result<Bytes, AppError> {
        let steps = self.dossier_steps(ctx, code).await?;
        self.latest_letter(&steps).await
    }

    /// The latest apology letter of the dossier `code`, for its applicant:
    /// found as the tracking page finds the dossier, by its code and the
    /// applicant's phone or e-mail.
    pub async fn apology_letter_for_applicant(
        &self,
        code: &str,
        contact: &str,
    ) -> Result<Bytes, AppError> {
        let tracking = self.track(code, contact).await?;
        self.latest_letter(&tracking.steps).await
    }

    async fn latest_letter(&self, steps: &[Step]) -> Result<Bytes, AppError> {
        let sha256 = steps
            .iter()
            .rev()
            .find_map(|step| step.letter.clone())
            .ok_or(AppError::NotFound(
                "phiếu xin lỗi và hẹn lại ngày trả kết quả",
            ))?;
        self.blobs.get(&sha256).await
    }

    /// The handovers of the dossier `code` (`domain::services::deadlines`),
    /// for those who work on it, with the dossier.
    pub async fn dossier_handovers(
        &self,
        ctx: &Ctx,
        code: &str,
    ) -> Result<(Dossier, Vec<Handover>), AppError> {
        let dossier = self.dossier_by_code(ctx, code).await?;
        let read = self.store.read().await?;
        let steps = read.dossier_steps(dossier.id).await?;
        let handler = match dossier.handler_id {
            Some(id) => read.person(id).await?.map(|p| p.full_name),
            None => None,
        };
        let lines = handovers(
            &steps,
            &dossier.applicant.name,
            &holder(dossier.stage, handler.as_deref()),
        );
        Ok((dossier, lines))
    }

    /// The process-control slip of the dossier `code` as PDF: each
    /// handover, from whom, to whom, when, the stage's due moment and
    /// whether it was early, on time or late.
    pub async fn control_slip(&self, ctx: &Ctx, code: &str) -> Result<Vec<u8>, AppError> {
        let (dossier, lines) = self.dossier_handovers(ctx, code).await?;
        let procedure = self.procedure(dossier.procedure_id).await?;
        let heading = self.book_heading(dossier.agency_id).await?;
        let rows = lines
            .into_iter()
            .map(|line| render::slip::ControlRow {
                stage: line
                    .stage
                    .map_or("Nộp hồ sơ", |stage| stage.label())
                    .to_owned(),
                from: line.from,
                to: line.to,
                at: slip_moment(line.at),
                due: line.due.map(slip_moment).unwrap_or_default(),
                result: line
                    .timeliness
                    .map(|t| t.label().to_owned())
                    .unwrap_or_default(),
            })
            .collect();
        let slip = render::slip::ControlSlip {
            agency: render::AgencyHeader {
                parent: heading.parent,
                issuer: heading.issuer,
            },
            agency_name: self.agency(dossier.agency_id).await?.name,
            place: heading.place,
            date: vn::dates::vietnam_date(self.now()),
            dossier_code: dossier.code,
            applicant: dossier.applicant.name,
            procedure: procedure.name,
            rows,
            printed_by: self.step_actor(ctx).await?,
        };
        render_pdf(slip.to_document(), "phiếu kiểm soát").await
    }
}
