//! Petitions.

use domain::agencies::AgencyId;
use domain::reception::petitions::{Petition, PetitionId, PetitionKind, PetitionStatus};
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, Order, QueryResult, Value};
use time::Date;

use super::named;
use crate::error::corrupt;
use crate::mail::mailboxes::countable;
use crate::{StoreError, Tx};

const COLUMNS: [&str; 25] = [
    "id",
    "agency_id",
    "kind",
    "received_on",
    "channel",
    "visit_id",
    "petitioners",
    "content",
    "field",
    "recorded_by",
    "status",
    "classify_due",
    "classified_on",
    "decided_by",
    "note",
    "complexity",
    "extensions",
    "extension_reason",
    "due_on",
    "handler_id",
    "assigned_on",
    "answered_on",
    "result",
    "closed_on",
    // Kept from the others by `Petition::finished_on`, for the figures.
    "finished_on",
];

/// Which petitions a list shows.
#[derive(Debug, Clone, Default)]
pub struct PetitionFilter {
    pub agencies: Vec<AgencyId>,
    pub kind: Option<PetitionKind>,
    pub statuses: Vec<PetitionStatus>,
    /// Unfinished with their current deadline before this day (overdue
    /// on it).
    pub overdue_on: Option<Date>,
}

fn petition_of(row: &QueryResult) -> Result<Petition, StoreError> {
    let extensions: i32 = row.try_get("", "extensions")?;
    Ok(Petition {
        id: row.try_get("", "id")?,
        agency_id: row.try_get("", "agency_id")?,
        kind: named(row, "kind")?,
        received_on: row.try_get("", "received_on")?,
        channel: named(row, "channel")?,
        visit_id: row.try_get("", "visit_id")?,
        petitioners: serde_json::from_str(&row.try_get::<String>("", "petitioners")?)
            .map_err(corrupt("petitioners"))?,
        content: row.try_get("", "content")?,
        field: row.try_get("", "field")?,
        recorded_by: row.try_get("", "recorded_by")?,
        status: named(row, "status")?,
        classify_due: row.try_get("", "classify_due")?,
        classified_on: row.try_get("", "classified_on")?,
        decided_by: row.try_get("", "decided_by")?,
        note: row.try_get("", "note")?,
        complexity: named(row, "complexity")?,
        extensions: u8::try_from(extensions).unwrap_or(u8::MAX),
        extension_reason: row.try_get("", "extension_reason")?,
        due_on: row.try_get("", "due_on")?,
        handler_id: row.try_get("", "handler_id")?,
        assigned_on: row.try_get("", "assigned_on")?,
        answered_on: row.try_get("", "answered_on")?,
        result: row.try_get("", "result")?,
        closed_on: row.try_get("", "closed_on")?,
    })
}

/// The stored values of `p`, in `COLUMNS`' order after `id`.
fn values_of(p: &Petition) -> Result<Vec<(&'static str, SimpleExpr)>, StoreError> {
    let values: [Value; 24] = [
        p.agency_id.into(),
        p.kind.as_str().into(),
        p.received_on.into(),
        p.channel.as_str().into(),
        p.visit_id.into(),
        serde_json::to_string(&p.petitioners)
            .map_err(corrupt("petitioners"))?
            .into(),
        p.content.clone().into(),
        p.field.clone().into(),
        p.recorded_by.into(),
        p.status.as_str().into(),
        p.classify_due.into(),
        p.classified_on.into(),
        p.decided_by.into(),
        p.note.clone().into(),
        p.complexity.as_str().into(),
        i32::from(p.extensions).into(),
        p.extension_reason.clone().into(),
        p.due_on.into(),
        p.handler_id.into(),
        p.assigned_on.into(),
        p.answered_on.into(),
        p.result.clone().into(),
        p.closed_on.into(),
        p.finished_on().into(),
    ];
    Ok(COLUMNS[1..]
        .iter()
        .copied()
        .zip(values.into_iter().map(SimpleExpr::from))
        .collect())
}

impl Tx {
    /// Records a petition; `p.id` is ignored.
    pub async fn insert_petition(&self, p: &Petition) -> Result<PetitionId, StoreError> {
        let (columns, values): (Vec<_>, Vec<_>) = values_of(p)?.into_iter().unzip();
        let row = self
            .conn()
            .query_one(
                &Query::insert()
                    .into_table("petitions")
                    .columns(columns)
                    .values_panic(values)
                    .returning_col("id")
                    .take(),
            )
            .await?
            .ok_or_else(|| StoreError::Corrupt("no id for the petition".into()))?;
        Ok(row.try_get("", "id")?)
    }

    /// Writes a petition's steps (everything but its id).
    pub async fn update_petition(&self, p: &Petition) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::update()
                    .table("petitions")
                    .values(values_of(p)?)
                    .and_where(Expr::col("id").eq(p.id))
                    .take(),
            )
            .await?;
        Ok(())
    }

    pub async fn petition(&self, id: PetitionId) -> Result<Option<Petition>, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::select()
                    .columns(COLUMNS)
                    .from("petitions")
                    .and_where(Expr::col("id").eq(id))
                    .take(),
            )
            .await?;
        row.as_ref().map(petition_of).transpose()
    }

    /// The petitions of `agency` of `kind` received on `on`: those a new
    /// one could repeat.
    pub async fn petitions_received_on(
        &self,
        agency: AgencyId,
        kind: PetitionKind,
        on: Date,
    ) -> Result<Vec<Petition>, StoreError> {
        let filter = PetitionFilter {
            agencies: vec![agency],
            kind: Some(kind),
            ..PetitionFilter::default()
        };
        let mut query = select(&filter, u64::MAX);
        query.and_where(Expr::col("received_on").eq(on));
        let rows = self.conn().query_all(&query).await?;
        rows.iter().map(petition_of).collect()
    }

    /// The petitions `filter` selects, newest first, at most `limit`.
    pub async fn petitions(
        &self,
        filter: &PetitionFilter,
        limit: u64,
    ) -> Result<Vec<Petition>, StoreError> {
        let rows = self.conn().query_all(&select(filter, limit)).await?;
        rows.iter().map(petition_of).collect()
    }
}

fn select(filter: &PetitionFilter, limit: u64) -> sea_orm::sea_query::SelectStatement {
    let mut query = Query::select();
    query
        .columns(COLUMNS)
        .from("petitions")
        .and_where(Expr::col("agency_id").is_in(filter.agencies.iter().copied()))
        .order_by("received_on", Order::Desc)
        .order_by("id", Order::Desc)
        .limit(countable(limit));
    if let Some(kind) = filter.kind {
        query.and_where(Expr::col("kind").eq(kind.as_str()));
    }
    if !filter.statuses.is_empty() {
        query.and_where(Expr::col("status").is_in(filter.statuses.iter().map(|s| s.as_str())));
    }
    if let Some(day) = filter.overdue_on {
        // The current deadline: the answer's once accepted, else the
        // classification's (`Petition::current_due`).
        let due = Func::coalesce([Expr::col("due_on"), Expr::col("classify_due")]);
        query
            .and_where(Expr::col("finished_on").is_null())
            .and_where(due.lt(day));
    }
    query
}
