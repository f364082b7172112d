//! Inspections' use cases (issue 10): the yearly plan, each inspection's
//! life from its decision to its closing, its subjects, findings,
//! sanctions and follow-ups, and the report's figures.
//!
//! Anyone with a role in or above the inspecting agency sees its records;
//! changing them takes `ManageInspections` there (inspectors, leaders).

pub mod figures;
pub mod plans;
pub mod records;
pub mod subjects;

use domain::agencies::AgencyId;
use domain::authz::Permission;
use domain::inspections::RuleError;
use domain::inspections::record::{Inspection, InspectionId};
use store::Tx;

use crate::audit::{Change, record};
use crate::{App, AppError, Ctx};

impl From<RuleError> for AppError {
    fn from(err: RuleError) -> Self {
        let message = {
            let text = err.to_string();
            let mut chars = text.chars();
            chars.next().map_or(text.clone(), |c| {
                c.to_uppercase().collect::<String>() + chars.as_str()
            })
        };
        match err {
            RuleError::Closed
            | RuleError::OutOfTurn(_)
            | RuleError::DuplicateSubject(_)
            | RuleError::AlreadyDone => Self::Conflict(message),
            _ => Self::Invalid(message),
        }
    }
}

impl App {
    /// The agencies whose inspections `ctx` may see: `None` for all (the
    /// system), else the subtrees of the agencies where they hold a role.
    async fn inspection_scope(&self, ctx: &Ctx) -> Result<Option<Vec<AgencyId>>, AppError> {
        let Some(actor) = &ctx.actor else {
            return Ok(None);
        };
        let mut scope = Vec::new();
        for root in actor.roots_of(Permission::ViewRegisters) {
            scope.extend(self.subtree(root).await?);
        }
        scope.sort_unstable();
        scope.dedup();
        Ok(Some(scope))
    }

    /// Inspection `id` whole, if `ctx` may see it.
    pub async fn inspection(&self, ctx: &Ctx, id: InspectionId) -> Result<Inspection, AppError> {
        let inspection = self
            .store
            .read()
            .await?
            .inspection(id)
            .await?
            .ok_or(AppError::NotFound("cuộc thanh tra, kiểm tra"))?;
        ctx.require(
            Permission::ViewRegisters,
            &self.lineage(inspection.agency_id).await?,
        )?;
        Ok(inspection)
    }

    /// Opens the write transaction of a change to inspection `id` by
    /// `ctx`, who must manage inspections of its agency, and loads it in
    /// the transaction.
    async fn begin_inspection_change(
        &self,
        ctx: &Ctx,
        id: InspectionId,
    ) -> Result<(Tx, Inspection), AppError> {
        let agency_id = self.inspection(ctx, id).await?.agency_id;
        ctx.require(
            Permission::ManageInspections,
            &self.lineage(agency_id).await?,
        )?;
        let tx = self.store.write().await?;
        let inspection = tx
            .inspection(id)
            .await?
            .ok_or(AppError::NotFound("cuộc thanh tra, kiểm tra"))?;
        Ok((tx, inspection))
    }

    /// Records `action` on inspection `id` with what changed, and commits.
    async fn finish_inspection_change(
        &self,
        mut tx: Tx,
        ctx: &Ctx,
        (action, id): (&'static str, InspectionId),
        after: serde_json::Value,
    ) -> Result<(), AppError> {
        record(
            &mut tx,
            self,
            ctx,
            Change {
                action,
                object_type: "inspection",
                object_id: id.to_string(),
                before: None,
                after: Some(after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
