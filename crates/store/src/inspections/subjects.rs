//! An inspection's subjects with their findings, its sanctions and
//! follow-ups.

use domain::agencies::AgencyId;
use domain::inspections::record::{Inspection, InspectionId};
use domain::inspections::subjects::{
    Finding, FollowUp, FollowUpId, Sanction, SanctionId, Subject, SubjectId,
};
use sea_orm::sea_query::{Expr, ExprTrait, JoinType, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, Order, QueryResult};
use time::Date;

use super::parsed;
use crate::{StoreError, Tx};

/// A follow-up past its deadline, with what the list shows beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueFollowUp {
    pub inspection_id: InspectionId,
    pub inspection_title: String,
    pub subject_name: String,
    pub follow_up: FollowUp,
}

/// The outcome, violation and legal basis columns of `finding`.
fn finding_values(finding: Option<&Finding>) -> [(&'static str, SimpleExpr); 3] {
    let (outcome, what, basis) = match finding {
        None => (None, None, None),
        Some(Finding::Clean) => (Some("clean"), None, None),
        Some(Finding::Violation { what, legal_basis }) => (
            Some("violation"),
            Some(what.clone()),
            Some(legal_basis.clone()),
        ),
    };
    [
        ("outcome", outcome.into()),
        ("violation", what.into()),
        ("legal_basis", basis.into()),
    ]
}

fn finding_of(row: &QueryResult) -> Result<Option<Finding>, StoreError> {
    let outcome: Option<String> = row.try_get("", "outcome")?;
    Ok(match outcome.as_deref() {
        None => None,
        Some("clean") => Some(Finding::Clean),
        Some("violation") => Some(Finding::Violation {
            what: row.try_get("", "violation")?,
            legal_basis: row.try_get("", "legal_basis")?,
        }),
        Some(other) => {
            return Err(StoreError::Corrupt(format!(
                "inspection_subjects.outcome: {other}"
            )));
        }
    })
}

fn follow_up_of(row: &QueryResult) -> Result<FollowUp, StoreError> {
    Ok(FollowUp {
        id: row.try_get("", "id")?,
        subject_id: row.try_get("", "subject_id")?,
        action: row.try_get("", "action")?,
        due_on: row.try_get("", "due_on")?,
        done_on: row.try_get("", "done_on")?,
    })
}

const FOLLOW_UP_COLUMNS: [&str; 5] = ["id", "subject_id", "action", "due_on", "done_on"];

impl Tx {
    /// Records `subject` for inspection `id`; the id given is ignored.
    pub async fn insert_inspection_subject(
        &self,
        id: InspectionId,
        s: &Subject,
    ) -> Result<SubjectId, StoreError> {
        let mut columns = vec![
            "inspection_id",
            "kind",
            "name",
            "id_number",
            "address",
            "field",
        ];
        let mut values: Vec<SimpleExpr> = vec![
            id.into(),
            s.kind.as_str().into(),
            s.name.clone().into(),
            s.id_number.clone().into(),
            s.address.clone().into(),
            s.field.as_str().into(),
        ];
        for (c, v) in finding_values(s.finding.as_ref()) {
            columns.push(c);
            values.push(v);
        }
        let row = self
            .conn()
            .query_one(
                &Query::insert()
                    .into_table("inspection_subjects")
                    .columns(columns)
                    .values_panic(values)
                    .returning_col("id")
                    .take(),
            )
            .await?
            .ok_or_else(|| StoreError::Corrupt("no id for the inspection subject".into()))?;
        Ok(row.try_get("", "id")?)
    }

    /// Writes subject `id`'s finding.
    pub async fn set_inspection_finding(
        &self,
        id: SubjectId,
        finding: &Finding,
    ) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::update()
                    .table("inspection_subjects")
                    .values(finding_values(Some(finding)))
                    .and_where(Expr::col("id").eq(id))
                    .take(),
            )
            .await?;
        Ok(())
    }

    /// Records a sanction of inspection `id`; the id given is ignored.
    pub async fn insert_inspection_sanction(
        &self,
        id: InspectionId,
        s: &Sanction,
    ) -> Result<SanctionId, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::insert()
                    .into_table("inspection_sanctions")
                    .columns([
                        "inspection_id",
                        "subject_id",
                        "kind",
                        "fine_vnd",
                        "measure",
                        "decision_number",
                    ])
                    .values_panic([
                        id.into(),
                        s.subject_id.into(),
                        s.kind.as_str().into(),
                        s.fine_vnd.into(),
                        s.measure.clone().into(),
                        s.decision_number.clone().into(),
                    ])
                    .returning_col("id")
                    .take(),
            )
            .await?
            .ok_or_else(|| StoreError::Corrupt("no id for the sanction".into()))?;
        Ok(row.try_get("", "id")?)
    }

    /// Records a follow-up of inspection `id`; the id given is ignored.
    pub async fn insert_inspection_follow_up(
        &self,
        id: InspectionId,
        f: &FollowUp,
    ) -> Result<FollowUpId, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::insert()
                    .into_table("inspection_follow_ups")
                    .columns(["inspection_id", "subject_id", "action", "due_on", "done_on"])
                    .values_panic([
                        id.into(),
                        f.subject_id.into(),
                        f.action.clone().into(),
                        f.due_on.into(),
                        f.done_on.into(),
                    ])
                    .returning_col("id")
                    .take(),
            )
            .await?
            .ok_or_else(|| StoreError::Corrupt("no id for the follow-up".into()))?;
        Ok(row.try_get("", "id")?)
    }

    /// Marks follow-up `id` done on `done_on`.
    pub async fn complete_inspection_follow_up(
        &self,
        id: FollowUpId,
        done_on: Date,
    ) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::update()
                    .table("inspection_follow_ups")
                    .value("done_on", done_on)
                    .and_where(Expr::col("id").eq(id))
                    .take(),
            )
            .await?;
        Ok(())
    }

    /// Fills `i`'s subjects, sanctions and follow-ups, in the order made.
    pub(super) async fn load_inspection_subjects(
        &self,
        i: &mut Inspection,
    ) -> Result<(), StoreError> {
        let id = i.id;
        let of_inspection = |table: &'static str, columns: &[&'static str]| {
            Query::select()
                .columns(columns.iter().copied())
                .from(table)
                .and_where(Expr::col("inspection_id").eq(id))
                .order_by("id", Order::Asc)
                .take()
        };
        let subject_columns = [
            "id",
            "kind",
            "name",
            "id_number",
            "address",
            "field",
            "outcome",
            "violation",
            "legal_basis",
        ];
        for row in self
            .conn()
            .query_all(&of_inspection("inspection_subjects", &subject_columns))
            .await?
        {
            i.subjects.push(Subject {
                id: row.try_get("", "id")?,
                kind: parsed(&row, "kind")?,
                name: row.try_get("", "name")?,
                id_number: row.try_get("", "id_number")?,
                address: row.try_get("", "address")?,
                field: parsed(&row, "field")?,
                finding: finding_of(&row)?,
            });
        }
        let sanction_columns = [
            "id",
            "subject_id",
            "kind",
            "fine_vnd",
            "measure",
            "decision_number",
        ];
        for row in self
            .conn()
            .query_all(&of_inspection("inspection_sanctions", &sanction_columns))
            .await?
        {
            i.sanctions.push(Sanction {
                id: row.try_get("", "id")?,
                subject_id: row.try_get("", "subject_id")?,
                kind: parsed(&row, "kind")?,
                fine_vnd: row.try_get("", "fine_vnd")?,
                measure: row.try_get("", "measure")?,
                decision_number: row.try_get("", "decision_number")?,
            });
        }
        for row in self
            .conn()
            .query_all(&of_inspection("inspection_follow_ups", &FOLLOW_UP_COLUMNS))
            .await?
        {
            i.follow_ups.push(follow_up_of(&row)?);
        }
        Ok(())
    }

    /// The follow-ups of `agencies`' inspections (all when `None`) not
    /// done and due before `today`, the oldest deadline first.
    pub async fn overdue_inspection_follow_ups(
        &self,
        agencies: Option<&[AgencyId]>,
        today: Date,
    ) -> Result<Vec<OverdueFollowUp>, StoreError> {
        let mut query = Query::select();
        for c in FOLLOW_UP_COLUMNS {
            query.column(("f", c));
        }
        query
            .column(("f", "inspection_id"))
            .expr_as(Expr::col(("i", "title")), "inspection_title")
            .expr_as(Expr::col(("s", "name")), "subject_name")
            .from_as("inspection_follow_ups", "f")
            .join_as(
                JoinType::InnerJoin,
                "inspections",
                "i",
                Expr::col(("i", "id")).equals(("f", "inspection_id")),
            )
            .join_as(
                JoinType::InnerJoin,
                "inspection_subjects",
                "s",
                Expr::col(("s", "id")).equals(("f", "subject_id")),
            )
            .and_where(Expr::col(("f", "done_on")).is_null())
            .and_where(Expr::col(("f", "due_on")).lt(today))
            .order_by(("f", "due_on"), Order::Asc)
            .order_by(("f", "id"), Order::Asc);
        if let Some(agencies) = agencies {
            query.and_where(Expr::col(("i", "agency_id")).is_in(agencies.iter().copied()));
        }
        self.conn()
            .query_all(&query)
            .await?
            .iter()
            .map(|row| {
                Ok(OverdueFollowUp {
                    inspection_id: row.try_get("", "inspection_id")?,
                    inspection_title: row.try_get("", "inspection_title")?,
                    subject_name: row.try_get("", "subject_name")?,
                    follow_up: follow_up_of(row)?,
                })
            })
            .collect()
    }
}
