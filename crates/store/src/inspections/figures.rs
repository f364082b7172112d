//! The report's inspection figures, counted in SQL: what the rules of
//! `domain::inspections::figures` say, one query per figure.

use domain::agencies::AgencyId;
use domain::inspections::figures::InspectionFigures;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{
    Alias, Asterisk, Expr, ExprTrait, Func, JoinType, Query, SelectStatement, SimpleExpr,
};
use time::Date;

use crate::error::corrupt;
use crate::{StoreError, Tx};

/// What a count reads: a table joined to its inspection (`None`: the
/// inspections themselves), aliased `x`, the inspection `i`.
type Source = Option<&'static str>;

fn select(source: Source, agencies: Option<&[AgencyId]>) -> SelectStatement {
    let mut query = Query::select();
    match source {
        None => query.from_as("inspections", "i"),
        Some(table) => query.from_as(table, "x").join_as(
            JoinType::InnerJoin,
            "inspections",
            "i",
            Expr::col(("i", "id")).equals(("x", "inspection_id")),
        ),
    };
    if let Some(agencies) = agencies {
        query.and_where(Expr::col(("i", "agency_id")).is_in(agencies.iter().copied()));
    }
    query
}

fn between(column: (&'static str, &'static str), (from, to): (Date, Date)) -> SimpleExpr {
    Expr::col(column).gte(from).and(Expr::col(column).lte(to))
}

/// Not yet done (or closed) at the end of `day`: `column` empty or later.
fn still_open(column: (&'static str, &'static str), day: Date) -> SimpleExpr {
    Expr::col(column).is_null().or(Expr::col(column).gt(day))
}

impl Tx {
    /// Rows of `source` meeting `condition`, counted by `key` (one row
    /// keyed "" when `None`).
    async fn inspection_counts(
        &self,
        (source, key): (Source, Option<(&'static str, &'static str)>),
        condition: SimpleExpr,
        agencies: Option<&[AgencyId]>,
    ) -> Result<Vec<(String, u64)>, StoreError> {
        let mut query = select(source, agencies);
        query
            .expr_as(Expr::col(Asterisk).count(), "n")
            .and_where(condition);
        if let Some(key) = key {
            query.expr_as(Expr::col(key), "k").group_by_col(key);
        }
        let mut out = Vec::new();
        for row in self.conn().query_all(&query).await? {
            let n: i64 = row.try_get("", "n")?;
            let k: String = match key {
                Some(_) => row.try_get("", "k")?,
                None => String::new(),
            };
            out.push((k, u64::try_from(n).map_err(corrupt("count"))?));
        }
        Ok(out)
    }

    /// The one count of `source` meeting `condition`.
    async fn inspection_count(
        &self,
        source: Source,
        condition: SimpleExpr,
        agencies: Option<&[AgencyId]>,
    ) -> Result<u64, StoreError> {
        let counts = self
            .inspection_counts((source, None), condition, agencies)
            .await?;
        Ok(counts.first().map_or(0, |(_, n)| *n))
    }

    /// The figures of `agencies`' inspections (all when `None`) for the
    /// days `from` to `to` inclusive.
    pub async fn inspection_figures(
        &self,
        period: (Date, Date),
        agencies: Option<&[AgencyId]>,
    ) -> Result<InspectionFigures, StoreError> {
        let begun = || between(("i", "starts_on"), period);
        let mut f = InspectionFigures::default();
        for (kind, n) in self
            .inspection_counts((None, Some(("i", "kind"))), begun(), agencies)
            .await?
        {
            f.inspections += n;
            f.by_kind
                .insert(kind.parse().map_err(corrupt("inspections.kind"))?, n);
        }
        for (field, n) in self
            .inspection_counts(
                (Some("inspection_fields"), Some(("x", "field"))),
                begun(),
                agencies,
            )
            .await?
        {
            f.by_field.insert(
                field.parse().map_err(corrupt("inspection_fields.field"))?,
                n,
            );
        }
        for (kind, n) in self
            .inspection_counts(
                (Some("inspection_subjects"), Some(("x", "kind"))),
                begun(),
                agencies,
            )
            .await?
        {
            match kind.as_str() {
                "business" => f.businesses = n,
                _ => f.individuals = n,
            }
        }
        f.subjects_in_violation = self
            .inspection_count(
                Some("inspection_subjects"),
                begun().and(Expr::col(("x", "outcome")).eq("violation")),
                agencies,
            )
            .await?;
        for (kind, n) in self
            .inspection_counts(
                (Some("inspection_sanctions"), Some(("x", "kind"))),
                begun(),
                agencies,
            )
            .await?
        {
            f.sanctions.insert(
                kind.parse().map_err(corrupt("inspection_sanctions.kind"))?,
                n,
            );
        }
        f.fines_vnd = self.inspection_fines(begun(), agencies).await?;
        let follow_ups = Some("inspection_follow_ups");
        f.follow_ups_due = self
            .inspection_count(follow_ups, between(("x", "due_on"), period), agencies)
            .await?;
        f.follow_ups_done = self
            .inspection_count(follow_ups, between(("x", "done_on"), period), agencies)
            .await?;
        let end = period.1;
        f.open_inspections = self
            .inspection_count(
                None,
                Expr::col(("i", "decision_date"))
                    .lte(end)
                    .and(still_open(("i", "closing_date"), end)),
                agencies,
            )
            .await?;
        f.open_follow_ups = self
            .inspection_count(
                follow_ups,
                Expr::col(("i", "starts_on"))
                    .lte(end)
                    .and(still_open(("x", "done_on"), end)),
                agencies,
            )
            .await?;
        Ok(f)
    }

    /// The fines of the inspections meeting `condition`, in đồng.
    async fn inspection_fines(
        &self,
        condition: SimpleExpr,
        agencies: Option<&[AgencyId]>,
    ) -> Result<i64, StoreError> {
        let mut query = select(Some("inspection_sanctions"), agencies);
        // PostgreSQL sums BIGINT as NUMERIC: cast back to read an i64.
        let sum = Func::cast_as(
            Func::coalesce([
                SimpleExpr::from(Func::sum(Expr::col(("x", "fine_vnd")))),
                SimpleExpr::from(Expr::val(0)),
            ]),
            Alias::new("BIGINT"),
        );
        query.expr_as(sum, "total").and_where(condition);
        let row = self.conn().query_one(&query).await?;
        Ok(row
            .map(|r| r.try_get("", "total"))
            .transpose()?
            .unwrap_or(0))
    }
}
