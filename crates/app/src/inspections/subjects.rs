//! What an inspection records about its subjects: who was inspected, the
//! findings, the sanctions, and the follow-ups until they are done.

use domain::inspections::record::InspectionId;
use domain::inspections::subjects::{Finding, FollowUp, FollowUpId, Sanction, Subject, SubjectId};
use time::Date;

use crate::{App, AppError, Ctx};

impl App {
    /// Adds `subjects` to inspection `id`, each checked against those
    /// before it: all are added or, at the first refused, none.
    pub async fn add_inspection_subjects(
        &self,
        ctx: &Ctx,
        id: InspectionId,
        subjects: Vec<Subject>,
    ) -> Result<Vec<Subject>, AppError> {
        let (tx, mut inspection) = self.begin_inspection_change(ctx, id).await?;
        let first = inspection.subjects.len();
        let many = subjects.len() > 1;
        for (row, subject) in subjects.into_iter().enumerate() {
            let mut subject = inspection.check_subject(subject).map_err(|e| {
                let e = AppError::from(e);
                if many { with_row(e, row) } else { e }
            })?;
            subject.id = tx.insert_inspection_subject(id, &subject).await?;
            inspection.subjects.push(subject);
        }
        let added = inspection.subjects.split_off(first);
        let after = serde_json::to_value(&added).unwrap_or_default();
        self.finish_inspection_change(tx, ctx, ("inspection.subjects.add", id), after)
            .await?;
        Ok(added)
    }

    /// Records the findings on subjects of inspection `id`: all or none.
    pub async fn record_inspection_findings(
        &self,
        ctx: &Ctx,
        id: InspectionId,
        findings: Vec<(SubjectId, Finding)>,
    ) -> Result<(), AppError> {
        let (tx, inspection) = self.begin_inspection_change(ctx, id).await?;
        let mut checked = Vec::with_capacity(findings.len());
        for (subject, finding) in findings {
            checked.push((subject, inspection.check_finding(subject, finding)?));
        }
        for (subject, finding) in &checked {
            tx.set_inspection_finding(*subject, finding).await?;
        }
        let after = serde_json::to_value(&checked).unwrap_or_default();
        self.finish_inspection_change(tx, ctx, ("inspection.findings", id), after)
            .await
    }

    /// Records a sanction imposed on a subject of inspection `id`.
    pub async fn add_inspection_sanction(
        &self,
        ctx: &Ctx,
        id: InspectionId,
        sanction: Sanction,
    ) -> Result<Sanction, AppError> {
        let (tx, inspection) = self.begin_inspection_change(ctx, id).await?;
        let mut sanction = inspection.check_sanction(sanction)?;
        sanction.id = tx.insert_inspection_sanction(id, &sanction).await?;
        let after = serde_json::to_value(&sanction).unwrap_or_default();
        self.finish_inspection_change(tx, ctx, ("inspection.sanction", id), after)
            .await?;
        Ok(sanction)
    }

    /// Records what a subject of inspection `id` must fix, and by when.
    pub async fn add_inspection_follow_up(
        &self,
        ctx: &Ctx,
        id: InspectionId,
        follow_up: FollowUp,
    ) -> Result<FollowUp, AppError> {
        let (tx, inspection) = self.begin_inspection_change(ctx, id).await?;
        let mut follow_up = inspection.check_follow_up(follow_up)?;
        follow_up.id = tx.insert_inspection_follow_up(id, &follow_up).await?;
        let after = serde_json::to_value(&follow_up).unwrap_or_default();
        self.finish_inspection_change(tx, ctx, ("inspection.follow_up", id), after)
            .await?;
        Ok(follow_up)
    }

    /// Marks a follow-up of inspection `id` done on `done_on`.
    pub async fn complete_inspection_follow_up(
        &self,
        ctx: &Ctx,
        id: InspectionId,
        follow_up: FollowUpId,
        done_on: Date,
    ) -> Result<(), AppError> {
        let today = self.today();
        let (tx, inspection) = self.begin_inspection_change(ctx, id).await?;
        let done = inspection.complete_follow_up(follow_up, done_on, today)?;
        tx.complete_inspection_follow_up(follow_up, done_on).await?;
        let after = serde_json::to_value(&done).unwrap_or_default();
        self.finish_inspection_change(tx, ctx, ("inspection.follow_up.done", id), after)
            .await
    }
}

/// `err` naming the row (from 1) of a list it refers to.
fn with_row(err: AppError, row: usize) -> AppError {
    match err {
        AppError::Invalid(m) => AppError::Invalid(format!("Dòng {}: {m}", row + 1)),
        AppError::Conflict(m) => AppError::Conflict(format!("Dòng {}: {m}", row + 1)),
        other => other,
    }
}
