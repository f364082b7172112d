//! Reception days and visits.

use domain::agencies::AgencyId;
use domain::reception::days::{DayId, ReceptionDay};
use domain::reception::visits::{Visit, VisitId};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, Order, QueryResult};
use time::{Date, OffsetDateTime};

use super::named;
use crate::error::corrupt;
use crate::{StoreError, Tx};

const DAY_COLUMNS: [&str; 8] = [
    "id",
    "agency_id",
    "held_on",
    "leader_id",
    "place",
    "status",
    "scheduled_by",
    "note",
];

const VISIT_COLUMNS: [&str; 13] = [
    "id",
    "agency_id",
    "kind",
    "day_id",
    "at",
    "officer_id",
    "recorded_by",
    "visitors",
    "visitor_count",
    "case_id",
    "content",
    "field",
    "outcome",
];

fn day_of(row: &QueryResult) -> Result<ReceptionDay, StoreError> {
    Ok(ReceptionDay {
        id: row.try_get("", "id")?,
        agency_id: row.try_get("", "agency_id")?,
        on: row.try_get("", "held_on")?,
        leader_id: row.try_get("", "leader_id")?,
        place: row.try_get("", "place")?,
        status: named(row, "status")?,
        scheduled_by: row.try_get("", "scheduled_by")?,
        note: row.try_get("", "note")?,
    })
}

fn visit_of(row: &QueryResult) -> Result<Visit, StoreError> {
    Ok(Visit {
        id: row.try_get("", "id")?,
        agency_id: row.try_get("", "agency_id")?,
        kind: named(row, "kind")?,
        day_id: row.try_get("", "day_id")?,
        at: row.try_get("", "at")?,
        officer_id: row.try_get("", "officer_id")?,
        recorded_by: row.try_get("", "recorded_by")?,
        visitors: serde_json::from_str(&row.try_get::<String>("", "visitors")?)
            .map_err(corrupt("visitors"))?,
        case_id: row.try_get("", "case_id")?,
        content: row.try_get("", "content")?,
        field: row.try_get("", "field")?,
        outcome: named(row, "outcome")?,
    })
}

impl Tx {
    /// Records a reception day; `d.id` is ignored.
    pub async fn insert_reception_day(&self, d: &ReceptionDay) -> Result<DayId, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::insert()
                    .into_table("reception_days")
                    .columns(DAY_COLUMNS.into_iter().skip(1))
                    .values_panic([
                        d.agency_id.into(),
                        d.on.into(),
                        d.leader_id.into(),
                        d.place.clone().into(),
                        d.status.as_str().into(),
                        d.scheduled_by.into(),
                        d.note.clone().into(),
                    ])
                    .returning_col("id")
                    .take(),
            )
            .await?
            .ok_or_else(|| StoreError::Corrupt("no id for the reception day".into()))?;
        Ok(row.try_get("", "id")?)
    }

    /// Writes what became of a day.
    pub async fn update_reception_day(&self, d: &ReceptionDay) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::update()
                    .table("reception_days")
                    .values([
                        ("status", d.status.as_str().into()),
                        ("note", d.note.clone().into()),
                    ])
                    .and_where(Expr::col("id").eq(d.id))
                    .take(),
            )
            .await?;
        Ok(())
    }

    pub async fn reception_day(&self, id: DayId) -> Result<Option<ReceptionDay>, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::select()
                    .columns(DAY_COLUMNS)
                    .from("reception_days")
                    .and_where(Expr::col("id").eq(id))
                    .take(),
            )
            .await?;
        row.as_ref().map(day_of).transpose()
    }

    /// The days of `agencies` from `from` to `to` inclusive, by date.
    pub async fn reception_days(
        &self,
        agencies: &[AgencyId],
        (from, to): (Date, Date),
    ) -> Result<Vec<ReceptionDay>, StoreError> {
        let rows = self
            .conn()
            .query_all(
                &Query::select()
                    .columns(DAY_COLUMNS)
                    .from("reception_days")
                    .and_where(Expr::col("agency_id").is_in(agencies.iter().copied()))
                    .and_where(Expr::col("held_on").gte(from))
                    .and_where(Expr::col("held_on").lte(to))
                    .order_by("held_on", Order::Asc)
                    .order_by("id", Order::Asc)
                    .take(),
            )
            .await?;
        rows.iter().map(day_of).collect()
    }

    /// Records a visit; `v.id` is ignored, and a `case_id` of 0 (a new
    /// case) becomes the visit's own id.
    pub async fn insert_visit(&self, v: &Visit) -> Result<VisitId, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::insert()
                    .into_table("reception_visits")
                    .columns(VISIT_COLUMNS.into_iter().skip(1))
                    .values_panic([
                        v.agency_id.into(),
                        v.kind.as_str().into(),
                        v.day_id.into(),
                        v.at.into(),
                        v.officer_id.into(),
                        v.recorded_by.into(),
                        serde_json::to_string(&v.visitors)
                            .map_err(corrupt("visitors"))?
                            .into(),
                        i32::try_from(v.visitors.len()).unwrap_or(i32::MAX).into(),
                        v.case_id.into(),
                        v.content.clone().into(),
                        v.field.clone().into(),
                        v.outcome.as_str().into(),
                    ])
                    .returning_col("id")
                    .take(),
            )
            .await?
            .ok_or_else(|| StoreError::Corrupt("no id for the visit".into()))?;
        let id: VisitId = row.try_get("", "id")?;
        if v.case_id == 0 {
            self.conn()
                .execute(
                    &Query::update()
                        .table("reception_visits")
                        .value("case_id", id)
                        .and_where(Expr::col("id").eq(id))
                        .take(),
                )
                .await?;
        }
        Ok(id)
    }

    pub async fn visit(&self, id: VisitId) -> Result<Option<Visit>, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::select()
                    .columns(VISIT_COLUMNS)
                    .from("reception_visits")
                    .and_where(Expr::col("id").eq(id))
                    .take(),
            )
            .await?;
        row.as_ref().map(visit_of).transpose()
    }

    /// The visits of `agencies` in `[from, to)`, by moment.
    pub async fn visits(
        &self,
        agencies: &[AgencyId],
        (from, to): (OffsetDateTime, OffsetDateTime),
    ) -> Result<Vec<Visit>, StoreError> {
        let rows = self
            .conn()
            .query_all(
                &Query::select()
                    .columns(VISIT_COLUMNS)
                    .from("reception_visits")
                    .and_where(Expr::col("agency_id").is_in(agencies.iter().copied()))
                    .and_where(Expr::col("at").gte(from))
                    .and_where(Expr::col("at").lt(to))
                    .order_by("at", Order::Asc)
                    .order_by("id", Order::Asc)
                    .take(),
            )
            .await?;
        rows.iter().map(visit_of).collect()
    }
}
