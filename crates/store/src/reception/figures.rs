//! The report's reception figures, counted in SQL.

use domain::agencies::AgencyId;
use domain::reception::figures::{ReceptionFigures, VisitFigures};
use domain::reception::petitions::PetitionKind;
use domain::reception::visits::VisitKind;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query, SimpleExpr};
use time::{Date, OffsetDateTime};

use crate::{StoreError, Tx};

fn count_of(n: i64) -> u64 {
    u64::try_from(n).unwrap_or_default()
}

impl Tx {
    /// Rows of `table` (of `agencies`, or all) meeting `condition`.
    async fn count_where(
        &self,
        table: &'static str,
        condition: SimpleExpr,
        agencies: Option<&[AgencyId]>,
    ) -> Result<u64, StoreError> {
        let mut query = Query::select();
        query
            .expr_as(Func::count(Expr::col("id")), "n")
            .from(table)
            .and_where(condition);
        if let Some(agencies) = agencies {
            query.and_where(Expr::col("agency_id").is_in(agencies.iter().copied()));
        }
        let row = self.conn().query_one(&query).await?;
        Ok(count_of(row.map_or(Ok(0), |r| r.try_get("", "n"))?))
    }

    /// The figures of `agencies` (all when `None`) for the days `from`
    /// to `to` inclusive; `moments` are the same days as `[start, end)`
    /// in UTC, for the visits' moments.
    pub async fn reception_figures(
        &self,
        (from, to): (Date, Date),
        moments: (OffsetDateTime, OffsetDateTime),
        agencies: Option<&[AgencyId]>,
    ) -> Result<ReceptionFigures, StoreError> {
        let within = |c: &'static str| Expr::col(c).gte(from).and(Expr::col(c).lte(to));
        let mut f = ReceptionFigures {
            days_held: self
                .count_where(
                    "reception_days",
                    within("held_on").and(Expr::col("status").eq("held")),
                    agencies,
                )
                .await?,
            ..ReceptionFigures::default()
        };
        for kind in VisitKind::ALL {
            let figures = self.visit_figures(*kind, moments, agencies).await?;
            match kind {
                VisitKind::Periodic => f.periodic = figures,
                VisitKind::Regular => f.regular = figures,
            }
        }
        let p = &mut f.petitions;
        for kind in PetitionKind::ALL {
            let n = self
                .count_where(
                    "petitions",
                    within("received_on").and(Expr::col("kind").eq(kind.as_str())),
                    agencies,
                )
                .await?;
            p.received += n;
            match kind {
                PetitionKind::Complaint => p.complaints = n,
                PetitionKind::Denunciation => p.denunciations = n,
                PetitionKind::Recommendation => p.recommendations = n,
                PetitionKind::Reflection => p.reflections = n,
            }
        }
        p.recommendations_reflections = p.recommendations + p.reflections;
        // Only an accepted petition has an answer's deadline.
        let counts: [(SimpleExpr, &mut u64); 5] = [
            (
                within("classified_on").and(Expr::col("due_on").is_not_null()),
                &mut p.accepted,
            ),
            (within("answered_on"), &mut p.resolved),
            (
                within("answered_on").and(Expr::col("answered_on").lte(Expr::col("due_on"))),
                &mut p.on_time,
            ),
            (
                within("answered_on").and(Expr::col("answered_on").gt(Expr::col("due_on"))),
                &mut p.late,
            ),
            (
                Expr::col("received_on").lte(to).and(
                    Expr::col("finished_on")
                        .is_null()
                        .or(Expr::col("finished_on").gt(to)),
                ),
                &mut p.pending_at_end,
            ),
        ];
        for (condition, into) in counts {
            *into = self.count_where("petitions", condition, agencies).await?;
        }
        Ok(f)
    }

    /// Visits of `kind` in `[start, end)`: visits, people, distinct cases.
    async fn visit_figures(
        &self,
        kind: VisitKind,
        (start, end): (OffsetDateTime, OffsetDateTime),
        agencies: Option<&[AgencyId]>,
    ) -> Result<VisitFigures, StoreError> {
        let mut query = Query::select();
        query
            .expr_as(Func::count(Expr::col("id")), "visits")
            .expr_as(
                Func::coalesce([
                    Expr::from(Func::sum(Expr::col("visitor_count"))),
                    Expr::val(0),
                ]),
                "people",
            )
            .expr_as(Func::count_distinct(Expr::col("case_id")), "cases")
            .from("reception_visits")
            .and_where(Expr::col("kind").eq(kind.as_str()))
            .and_where(Expr::col("at").gte(start))
            .and_where(Expr::col("at").lt(end));
        if let Some(agencies) = agencies {
            query.and_where(Expr::col("agency_id").is_in(agencies.iter().copied()));
        }
        let Some(row) = self.conn().query_one(&query).await? else {
            return Ok(VisitFigures::default());
        };
        Ok(VisitFigures {
            visits: count_of(row.try_get("", "visits")?),
            people: count_of(row.try_get("", "people")?),
            cases: count_of(row.try_get("", "cases")?),
        })
    }
}
