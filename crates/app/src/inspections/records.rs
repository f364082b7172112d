//! An inspection's life: created (from a plan item or unplanned), given
//! its decision and team, started, closed; and the lists that show them.

use domain::agencies::AgencyId;
use domain::authz::Permission;
use domain::inspections::Field;
use domain::inspections::plan::PlanItemId;
use domain::inspections::record::{Closing, Inspection, InspectionId, Kind, Member, TeamDecision};
pub use store::inspections::records::InspectionFilter;
pub use store::inspections::subjects::OverdueFollowUp;
use time::Date;

use crate::audit::{Change, record};
use crate::{App, AppError, Ctx};

/// Inspections a list shows at most.
pub const MAX_INSPECTIONS: u64 = 500;

/// What a new inspection needs.
#[derive(Debug, Clone)]
pub struct NewInspection {
    pub agency_id: AgencyId,
    pub kind: Kind,
    /// The plan item it carries out; `None`: unplanned (đột xuất).
    pub plan_item_id: Option<PlanItemId>,
    pub fields: Vec<Field>,
    pub title: String,
}

impl App {
    /// Records a new inspection, planned.
    pub async fn create_inspection(
        &self,
        ctx: &Ctx,
        new: NewInspection,
    ) -> Result<Inspection, AppError> {
        ctx.require(
            Permission::ManageInspections,
            &self.lineage(new.agency_id).await?,
        )?;
        let mut inspection = Inspection::new(
            (new.agency_id, new.kind, new.plan_item_id),
            &new.title,
            new.fields,
            domain::to_stored_precision(self.now()),
        )?;
        let mut tx = self.store.write().await?;
        if let Some(item) = new.plan_item_id {
            let owner = tx.inspection_plan_item_agency(item).await?;
            if owner != Some(new.agency_id) {
                return Err(AppError::Invalid(
                    "Mục kế hoạch không có trong kế hoạch của cơ quan này".into(),
                ));
            }
        }
        inspection.id = tx.insert_inspection(&inspection).await?;
        record(
            &mut tx,
            self,
            ctx,
            Change {
                action: "inspection.create",
                object_type: "inspection",
                object_id: inspection.id.to_string(),
                before: None,
                after: Some(serde_json::to_value(&inspection).unwrap_or_default()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(inspection)
    }

    /// Records the decision forming `team` for the days `period`; every
    /// member must be a person egov knows.
    pub async fn decide_inspection(
        &self,
        ctx: &Ctx,
        id: InspectionId,
        decision: TeamDecision,
        team: Vec<Member>,
        period: (Date, Date),
    ) -> Result<Inspection, AppError> {
        let (tx, mut inspection) = self.begin_inspection_change(ctx, id).await?;
        inspection.decide(decision, team, period)?;
        for member in &inspection.team {
            if tx.person(member.person_id).await?.is_none() {
                return Err(AppError::Invalid(format!(
                    "Không có cán bộ mã {} trong hệ thống",
                    member.person_id
                )));
            }
        }
        tx.update_inspection(&inspection).await?;
        let after = serde_json::json!({
            "decision": inspection.decision,
            "team": inspection.team,
            "period": inspection.period,
        });
        self.finish_inspection_change(tx, ctx, ("inspection.decide", id), after)
            .await?;
        Ok(inspection)
    }

    /// The team starts work.
    pub async fn start_inspection(&self, ctx: &Ctx, id: InspectionId) -> Result<(), AppError> {
        let (tx, mut inspection) = self.begin_inspection_change(ctx, id).await?;
        inspection.start()?;
        tx.update_inspection(&inspection).await?;
        let after = serde_json::json!({ "status": inspection.status });
        self.finish_inspection_change(tx, ctx, ("inspection.start", id), after)
            .await
    }

    /// Closes inspection `id` with its report.
    pub async fn close_inspection(
        &self,
        ctx: &Ctx,
        id: InspectionId,
        closing: Closing,
    ) -> Result<(), AppError> {
        let (tx, mut inspection) = self.begin_inspection_change(ctx, id).await?;
        inspection.close(closing)?;
        tx.update_inspection(&inspection).await?;
        let after = serde_json::to_value(&inspection.closing).unwrap_or_default();
        self.finish_inspection_change(tx, ctx, ("inspection.close", id), after)
            .await
    }

    /// The inspections `filter` selects among those `ctx` may see (a
    /// filter's agencies outside that are left out), latest first.
    pub async fn inspection_list(
        &self,
        ctx: &Ctx,
        mut filter: InspectionFilter,
    ) -> Result<Vec<Inspection>, AppError> {
        if let Some(scope) = self.inspection_scope(ctx).await? {
            filter.agencies = Some(match filter.agencies {
                Some(wanted) => wanted.into_iter().filter(|a| scope.contains(a)).collect(),
                None => scope,
            });
        }
        Ok(self
            .store
            .read()
            .await?
            .inspections(&filter, MAX_INSPECTIONS)
            .await?)
    }

    /// The follow-ups past their deadline today among the inspections
    /// `ctx` may see.
    pub async fn overdue_inspection_follow_ups(
        &self,
        ctx: &Ctx,
    ) -> Result<Vec<OverdueFollowUp>, AppError> {
        let scope = self.inspection_scope(ctx).await?;
        Ok(self
            .store
            .read()
            .await?
            .overdue_inspection_follow_ups(scope.as_deref(), self.today())
            .await?)
    }
}
