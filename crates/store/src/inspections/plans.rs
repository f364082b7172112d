//! Yearly inspection plans and their items.

use domain::agencies::AgencyId;
use domain::inspections::plan::{Plan, PlanId, PlanItem, PlanItemId};
use sea_orm::sea_query::{Expr, ExprTrait, JoinType, Query};
use sea_orm::{ConnectionTrait, Order};

use super::parsed;
use crate::{StoreError, Tx};

impl Tx {
    /// Records `plan` and its items; the ids given are ignored.
    pub async fn insert_inspection_plan(&self, plan: &Plan) -> Result<PlanId, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::insert()
                    .into_table("inspection_plans")
                    .columns(["agency_id", "year", "reference", "approved_on"])
                    .values_panic([
                        plan.agency_id.into(),
                        plan.year.into(),
                        plan.reference.clone().into(),
                        plan.approved_on.into(),
                    ])
                    .returning_col("id")
                    .take(),
            )
            .await?
            .ok_or_else(|| StoreError::Corrupt("no id for the inspection plan".into()))?;
        let id: PlanId = row.try_get("", "id")?;
        let mut items = Query::insert();
        items
            .into_table("inspection_plan_items")
            .columns(["plan_id", "field", "title", "month"]);
        for item in &plan.items {
            items.values_panic([
                id.into(),
                item.field.as_str().into(),
                item.title.clone().into(),
                i32::from(item.month).into(),
            ]);
        }
        self.conn().execute(&items).await?;
        Ok(id)
    }

    /// The plans of `agencies` (all when `None`), for `year` or every
    /// year, newest first, with their items by month.
    pub async fn inspection_plans(
        &self,
        agencies: Option<&[AgencyId]>,
        year: Option<i32>,
    ) -> Result<Vec<Plan>, StoreError> {
        let mut query = Query::select();
        query
            .columns(["id", "agency_id", "year", "reference", "approved_on"])
            .from("inspection_plans")
            .order_by("year", Order::Desc)
            .order_by("id", Order::Asc);
        if let Some(agencies) = agencies {
            query.and_where(Expr::col("agency_id").is_in(agencies.iter().copied()));
        }
        if let Some(year) = year {
            query.and_where(Expr::col("year").eq(year));
        }
        let mut plans = Vec::new();
        for row in self.conn().query_all(&query).await? {
            plans.push(Plan {
                id: row.try_get("", "id")?,
                agency_id: row.try_get("", "agency_id")?,
                year: row.try_get("", "year")?,
                reference: row.try_get("", "reference")?,
                approved_on: row.try_get("", "approved_on")?,
                items: Vec::new(),
            });
        }
        let ids: Vec<PlanId> = plans.iter().map(|p| p.id).collect();
        let rows = self
            .conn()
            .query_all(
                &Query::select()
                    .columns(["id", "plan_id", "field", "title", "month"])
                    .from("inspection_plan_items")
                    .and_where(Expr::col("plan_id").is_in(ids))
                    .order_by("month", Order::Asc)
                    .order_by("id", Order::Asc)
                    .take(),
            )
            .await?;
        for row in rows {
            let plan_id: PlanId = row.try_get("", "plan_id")?;
            let month: i32 = row.try_get("", "month")?;
            let item = PlanItem {
                id: row.try_get("", "id")?,
                field: parsed(&row, "field")?,
                title: row.try_get("", "title")?,
                month: u8::try_from(month).map_err(crate::error::corrupt("month"))?,
            };
            if let Some(plan) = plans.iter_mut().find(|p| p.id == plan_id) {
                plan.items.push(item);
            }
        }
        Ok(plans)
    }

    /// The agency whose plan holds item `id`.
    pub async fn inspection_plan_item_agency(
        &self,
        id: PlanItemId,
    ) -> Result<Option<AgencyId>, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::select()
                    .column(("p", "agency_id"))
                    .from_as("inspection_plan_items", "i")
                    .join_as(
                        JoinType::InnerJoin,
                        "inspection_plans",
                        "p",
                        Expr::col(("p", "id")).equals(("i", "plan_id")),
                    )
                    .and_where(Expr::col(("i", "id")).eq(id))
                    .take(),
            )
            .await?;
        row.map(|r| r.try_get("", "agency_id"))
            .transpose()
            .map_err(Into::into)
    }
}
