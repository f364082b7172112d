//! The report's mail figures, counted in SQL by agency.

use std::collections::BTreeMap;

use domain::agencies::AgencyId;
use domain::mail::figures::MailFigures;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query, SimpleExpr};
use time::OffsetDateTime;

use crate::{StoreError, Tx};

/// Where a count goes in the figures.
type Setter = fn(&mut MailFigures, u64);

impl Tx {
    /// By agency (of `agencies`, or all): boxes requested and created in
    /// `[from, to)`, and active at `to`.
    pub async fn mail_figures(
        &self,
        (from, to): (OffsetDateTime, OffsetDateTime),
        agencies: Option<&[AgencyId]>,
    ) -> Result<Vec<(AgencyId, MailFigures)>, StoreError> {
        let in_period =
            |column: &'static str| Expr::col(column).gte(from).and(Expr::col(column).lt(to));
        let active = Expr::col("activated_at").lt(to).and(
            Expr::col("closed_at")
                .is_null()
                .or(Expr::col("closed_at").gte(to)),
        );
        let mut out: BTreeMap<AgencyId, MailFigures> = BTreeMap::new();
        let counts: [(SimpleExpr, Setter); 3] = [
            (in_period("requested_at"), |f, n| f.requested = n),
            (in_period("activated_at"), |f, n| f.created = n),
            (active, |f, n| f.active = n),
        ];
        for (condition, set) in counts {
            let mut query = Query::select();
            query
                .column("agency_id")
                .expr_as(Func::count(Expr::col("id")), "n")
                .from("mailboxes")
                .and_where(condition)
                .group_by_col("agency_id");
            if let Some(agencies) = agencies {
                query.and_where(Expr::col("agency_id").is_in(agencies.iter().copied()));
            }
            for row in self.conn().query_all(&query).await? {
                let n: i64 = row.try_get("", "n")?;
                set(
                    out.entry(row.try_get("", "agency_id")?).or_default(),
                    u64::try_from(n).unwrap_or_default(),
                );
            }
        }
        Ok(out.into_iter().collect())
    }
}
