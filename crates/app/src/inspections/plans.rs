//! The yearly plan: approved once per agency and year, then read by the
//! plan page and by new inspections that carry out one of its items.

use domain::agencies::AgencyId;
use domain::authz::Permission;
use domain::inspections::plan::Plan;

use crate::audit::{Change, record};
use crate::{App, AppError, Ctx};

impl App {
    /// Records `plan` (its ids are ignored) for its agency and year.
    pub async fn approve_inspection_plan(&self, ctx: &Ctx, plan: Plan) -> Result<Plan, AppError> {
        ctx.require(
            Permission::ManageInspections,
            &self.lineage(plan.agency_id).await?,
        )?;
        let mut plan = plan.checked()?;
        let mut tx = self.store.write().await?;
        if !tx
            .inspection_plans(Some(&[plan.agency_id]), Some(plan.year))
            .await?
            .is_empty()
        {
            return Err(AppError::Conflict(format!(
                "Cơ quan đã có kế hoạch thanh tra, kiểm tra năm {}",
                plan.year
            )));
        }
        plan.id = tx.insert_inspection_plan(&plan).await?;
        record(
            &mut tx,
            self,
            ctx,
            Change {
                action: "inspection.plan.approve",
                object_type: "inspection_plan",
                object_id: plan.id.to_string(),
                before: None,
                after: Some(serde_json::to_value(&plan).unwrap_or_default()),
            },
        )
        .await?;
        tx.commit().await?;
        // Read back for the items' ids.
        let mut stored = self
            .store
            .read()
            .await?
            .inspection_plans(Some(&[plan.agency_id]), Some(plan.year))
            .await?;
        stored.pop().ok_or(AppError::NotFound("kế hoạch"))
    }

    /// The plans `ctx` may see for `year` (every year when `None`) of
    /// `agency` (all visible when `None`).
    pub async fn inspection_plans(
        &self,
        ctx: &Ctx,
        agency: Option<AgencyId>,
        year: Option<i32>,
    ) -> Result<Vec<Plan>, AppError> {
        let agencies = match agency {
            Some(a) => {
                ctx.require(Permission::ViewRegisters, &self.lineage(a).await?)?;
                Some(vec![a])
            }
            None => self.inspection_scope(ctx).await?,
        };
        Ok(self
            .store
            .read()
            .await?
            .inspection_plans(agencies.as_deref(), year)
            .await?)
    }
}
