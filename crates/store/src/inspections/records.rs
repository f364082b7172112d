//! Inspections: their headline row, fields and team.

use std::collections::HashMap;

use domain::agencies::AgencyId;
use domain::inspections::Field;
use domain::inspections::record::{
    Closing, Inspection, InspectionId, Member, Status, TeamDecision,
};
use sea_orm::sea_query::{Expr, ExprTrait, NullOrdering, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, Order, QueryResult};
use time::{Date, Month};

use super::parsed;
use crate::{StoreError, Tx};

const COLUMNS: [&str; 15] = [
    "id",
    "agency_id",
    "kind",
    "plan_item_id",
    "title",
    "status",
    "decision_number",
    "decision_date",
    "decision_signer",
    "starts_on",
    "ends_on",
    "closing_number",
    "closing_date",
    "closing_summary",
    "created_at",
];

/// Which inspections a list shows.
#[derive(Debug, Clone, Default)]
pub struct InspectionFilter {
    /// All agencies when `None`.
    pub agencies: Option<Vec<AgencyId>>,
    /// Those begun in the year, or created in it while not yet decided.
    pub year: Option<i32>,
    pub status: Option<Status>,
    pub field: Option<Field>,
}

fn headline_of(row: &QueryResult) -> Result<Inspection, StoreError> {
    let opt = |c: &str| -> Result<Option<String>, StoreError> { Ok(row.try_get("", c)?) };
    let day = |c: &str| -> Result<Option<Date>, StoreError> { Ok(row.try_get("", c)?) };
    let decision = match (
        opt("decision_number")?,
        day("decision_date")?,
        opt("decision_signer")?,
    ) {
        (Some(number), Some(date), Some(signer)) => Some(TeamDecision {
            number,
            date,
            signer,
        }),
        _ => None,
    };
    let closing = match (
        opt("closing_number")?,
        day("closing_date")?,
        opt("closing_summary")?,
    ) {
        (Some(number), Some(date), Some(summary)) => Some(Closing {
            number,
            date,
            summary,
        }),
        _ => None,
    };
    Ok(Inspection {
        id: row.try_get("", "id")?,
        agency_id: row.try_get("", "agency_id")?,
        kind: parsed(row, "kind")?,
        plan_item_id: row.try_get("", "plan_item_id")?,
        fields: Vec::new(),
        title: row.try_get("", "title")?,
        status: parsed(row, "status")?,
        decision,
        team: Vec::new(),
        period: day("starts_on")?.zip(day("ends_on")?),
        closing,
        created_at: row.try_get("", "created_at")?,
        subjects: Vec::new(),
        sanctions: Vec::new(),
        follow_ups: Vec::new(),
    })
}

/// The columns an inspection's life changes, with their values.
fn changing(i: &Inspection) -> [(&'static str, SimpleExpr); 9] {
    let decision = i.decision.as_ref();
    let closing = i.closing.as_ref();
    [
        ("status", i.status.as_str().into()),
        ("decision_number", decision.map(|d| d.number.clone()).into()),
        ("decision_date", decision.map(|d| d.date).into()),
        ("decision_signer", decision.map(|d| d.signer.clone()).into()),
        ("starts_on", i.period.map(|p| p.0).into()),
        ("ends_on", i.period.map(|p| p.1).into()),
        ("closing_number", closing.map(|c| c.number.clone()).into()),
        ("closing_date", closing.map(|c| c.date).into()),
        ("closing_summary", closing.map(|c| c.summary.clone()).into()),
    ]
}

impl Tx {
    /// Records a new inspection with its fields; the id given is ignored.
    pub async fn insert_inspection(&self, i: &Inspection) -> Result<InspectionId, StoreError> {
        let mut columns = vec!["agency_id", "kind", "plan_item_id", "title", "created_at"];
        let mut values: Vec<SimpleExpr> = vec![
            i.agency_id.into(),
            i.kind.as_str().into(),
            i.plan_item_id.into(),
            i.title.clone().into(),
            i.created_at.into(),
        ];
        for (c, v) in changing(i) {
            columns.push(c);
            values.push(v);
        }
        let row = self
            .conn()
            .query_one(
                &Query::insert()
                    .into_table("inspections")
                    .columns(columns)
                    .values_panic(values)
                    .returning_col("id")
                    .take(),
            )
            .await?
            .ok_or_else(|| StoreError::Corrupt("no id for the inspection".into()))?;
        let id: InspectionId = row.try_get("", "id")?;
        let mut fields = Query::insert();
        fields
            .into_table("inspection_fields")
            .columns(["inspection_id", "field"]);
        for f in &i.fields {
            fields.values_panic([id.into(), f.as_str().into()]);
        }
        self.conn().execute(&fields).await?;
        Ok(id)
    }

    /// Writes what an inspection's life changes: status, decision,
    /// period, closing, and its team.
    pub async fn update_inspection(&self, i: &Inspection) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::update()
                    .table("inspections")
                    .values(changing(i))
                    .and_where(Expr::col("id").eq(i.id))
                    .take(),
            )
            .await?;
        self.conn()
            .execute(
                &Query::delete()
                    .from_table("inspection_team")
                    .and_where(Expr::col("inspection_id").eq(i.id))
                    .take(),
            )
            .await?;
        if !i.team.is_empty() {
            let mut team = Query::insert();
            team.into_table("inspection_team")
                .columns(["inspection_id", "person_id", "head"]);
            for m in &i.team {
                team.values_panic([i.id.into(), m.person_id.into(), m.head.into()]);
            }
            self.conn().execute(&team).await?;
        }
        Ok(())
    }

    /// Inspection `id` whole: fields, team (head first), subjects,
    /// sanctions and follow-ups.
    pub async fn inspection(&self, id: InspectionId) -> Result<Option<Inspection>, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::select()
                    .columns(COLUMNS)
                    .from("inspections")
                    .and_where(Expr::col("id").eq(id))
                    .take(),
            )
            .await?;
        let Some(row) = row else { return Ok(None) };
        let mut i = headline_of(&row)?;
        i.fields = self
            .inspection_fields_of(&[id])
            .await?
            .remove(&id)
            .unwrap_or_default();
        let rows = self
            .conn()
            .query_all(
                &Query::select()
                    .columns(["person_id", "head"])
                    .from("inspection_team")
                    .and_where(Expr::col("inspection_id").eq(id))
                    .order_by("head", Order::Desc)
                    .order_by("person_id", Order::Asc)
                    .take(),
            )
            .await?;
        for row in rows {
            i.team.push(Member {
                person_id: row.try_get("", "person_id")?,
                head: row.try_get("", "head")?,
            });
        }
        self.load_inspection_subjects(&mut i).await?;
        Ok(Some(i))
    }

    /// The fields of inspections `ids`, sorted, by inspection.
    async fn inspection_fields_of(
        &self,
        ids: &[InspectionId],
    ) -> Result<HashMap<InspectionId, Vec<Field>>, StoreError> {
        let rows = self
            .conn()
            .query_all(
                &Query::select()
                    .columns(["inspection_id", "field"])
                    .from("inspection_fields")
                    .and_where(Expr::col("inspection_id").is_in(ids.iter().copied()))
                    .take(),
            )
            .await?;
        let mut out: HashMap<InspectionId, Vec<Field>> = HashMap::new();
        for row in &rows {
            out.entry(row.try_get("", "inspection_id")?)
                .or_default()
                .push(parsed(row, "field")?);
        }
        for fields in out.values_mut() {
            fields.sort_unstable();
        }
        Ok(out)
    }

    /// The inspections `filter` selects, those not yet decided first,
    /// then the latest begun, at most `limit`: headline and fields only
    /// (no team, subjects, actions).
    pub async fn inspections(
        &self,
        filter: &InspectionFilter,
        limit: u64,
    ) -> Result<Vec<Inspection>, StoreError> {
        let mut query = Query::select();
        query
            .columns(COLUMNS)
            .from("inspections")
            // Not yet decided (no start) first, on both engines.
            .order_by_with_nulls("starts_on", Order::Desc, NullOrdering::First)
            .order_by("id", Order::Desc)
            .limit(crate::mail::mailboxes::countable(limit));
        if let Some(agencies) = &filter.agencies {
            query.and_where(Expr::col("agency_id").is_in(agencies.iter().copied()));
        }
        if let Some(status) = filter.status {
            query.and_where(Expr::col("status").eq(status.as_str()));
        }
        if let Some(field) = filter.field {
            query.and_where(
                Expr::col("id").in_subquery(
                    Query::select()
                        .column("inspection_id")
                        .from("inspection_fields")
                        .and_where(Expr::col("field").eq(field.as_str()))
                        .take(),
                ),
            );
        }
        if let Some(year) = filter.year {
            let first = Date::from_calendar_date(year, Month::January, 1)
                .map_err(crate::error::corrupt("year"))?;
            let last = Date::from_calendar_date(year, Month::December, 31)
                .map_err(crate::error::corrupt("year"))?;
            let begun = Expr::col("starts_on")
                .gte(first)
                .and(Expr::col("starts_on").lte(last));
            // Not yet decided: by the Vietnam day it was created on.
            let vietnam =
                time::UtcOffset::from_hms(7, 0, 0).map_err(crate::error::corrupt("offset"))?;
            let start_of = |d: Date| d.midnight().assume_offset(vietnam);
            let created = Expr::col("starts_on").is_null().and(
                Expr::col("created_at")
                    .gte(start_of(first))
                    .and(Expr::col("created_at").lt(start_of(last.next_day().unwrap_or(last)))),
            );
            query.and_where(begun.or(created));
        }
        let rows = self.conn().query_all(&query).await?;
        let mut out = rows
            .iter()
            .map(headline_of)
            .collect::<Result<Vec<_>, _>>()?;
        let ids: Vec<InspectionId> = out.iter().map(|i| i.id).collect();
        let mut fields = self.inspection_fields_of(&ids).await?;
        for i in &mut out {
            i.fields = fields.remove(&i.id).unwrap_or_default();
        }
        Ok(out)
    }
}
