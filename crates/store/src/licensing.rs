//! Licences (issue 10): their rows, numbering per kind and year, the
//! lists (staff and public) with their status on a day computed in SQL,
//! the licences due for an expiry reminder, and the report's figures.

use domain::agencies::AgencyId;
use domain::documents::SignatureVerdict;
use domain::licensing::figures::{KindFigures, LicensingFigures};
use domain::licensing::{
    Holder, Licence, LicenceId, LicenceKind, LicenceStatus, Revocation, SignedCopy,
};
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query, SelectStatement, SimpleExpr};
use sea_orm::{ConnectionTrait, Order, QueryResult};
use time::Date;

use crate::counters::Counter;
use crate::error::corrupt;
use crate::{StoreError, Tx};

const COLUMNS: [&str; 27] = [
    "id",
    "number",
    "kind",
    "year",
    "agency_id",
    "holder_name",
    "holder_id_number",
    "holder_address",
    "holder_email",
    "subject",
    "assessed_year",
    "issuer",
    "issued_on",
    "valid_until",
    "channel",
    "dossier_code",
    "renews",
    "renewed_on",
    "revoked_on",
    "revoked_reason",
    "revoked_by",
    "signed_sha256",
    "signed_name",
    "signed_verdict",
    "signed_signers",
    "search_text",
    "created_at",
];

/// Where a count goes in a kind's figures.
type Setter = fn(&mut KindFigures, u64);

/// What a list selects.
#[derive(Debug, Clone, Default)]
pub struct LicenceFilter {
    /// Recorded by these agencies; all when `None`.
    pub agencies: Option<Vec<AgencyId>>,
    pub kind: Option<LicenceKind>,
    /// With this status on `on`.
    pub status: Option<LicenceStatus>,
    /// Words of the holder's name or the number, folded.
    pub text: Option<String>,
    /// The day the status is judged on.
    pub on: Option<Date>,
}

/// The counter of `kind`'s numbers in `year`.
fn counter(kind: LicenceKind, year: i32) -> Counter {
    Counter {
        table: "licence_sequences",
        key: vec![("kind", kind.as_str().into()), ("year", year.into())],
    }
}

/// The words a search finds a licence by, its holder's name and number
/// folded, each after a space: a searched word matches a word's start.
fn search_text(licence: &Licence) -> String {
    format!(
        " {}",
        domain::search::index_text([licence.holder.name.as_str(), &licence.number])
    )
}

fn licence_of(row: &QueryResult) -> Result<Licence, StoreError> {
    let text = |c: &str| -> Result<String, StoreError> { Ok(row.try_get("", c)?) };
    let revoked_on: Option<Date> = row.try_get("", "revoked_on")?;
    let signed_sha256: Option<String> = row.try_get("", "signed_sha256")?;
    let signed = match signed_sha256 {
        None => None,
        Some(sha256) => Some(SignedCopy {
            sha256,
            name: text("signed_name")?,
            verdict: text("signed_verdict")?
                .parse::<SignatureVerdict>()
                .map_err(corrupt("licences.signed_verdict"))?,
            signers: text("signed_signers")?.lines().map(str::to_owned).collect(),
        }),
    };
    Ok(Licence {
        id: row.try_get("", "id")?,
        number: text("number")?,
        kind: text("kind")?.parse().map_err(corrupt("licences.kind"))?,
        agency_id: row.try_get("", "agency_id")?,
        holder: Holder {
            name: text("holder_name")?,
            id_number: row.try_get("", "holder_id_number")?,
            address: text("holder_address")?,
            email: row.try_get("", "holder_email")?,
        },
        subject: text("subject")?,
        assessed_year: row.try_get("", "assessed_year")?,
        issuer: row.try_get("", "issuer")?,
        issued_on: row.try_get("", "issued_on")?,
        valid_until: row.try_get("", "valid_until")?,
        channel: text("channel")?
            .parse()
            .map_err(corrupt("licences.channel"))?,
        dossier_code: row.try_get("", "dossier_code")?,
        renews: row.try_get("", "renews")?,
        renewed_on: row.try_get("", "renewed_on")?,
        revocation: match revoked_on {
            None => None,
            Some(on) => Some(Revocation {
                on,
                reason: text("revoked_reason")?,
                by: row.try_get("", "revoked_by")?,
            }),
        },
        signed,
    })
}

/// Licences with `status` on `day`, as `Licence::status_on` judges it.
pub(crate) fn status_is(status: LicenceStatus, day: Date) -> SimpleExpr {
    let revoked = Expr::col("revoked_on").lte(day);
    let renewed = Expr::col("renewed_on").lte(day);
    let expired = Expr::col("valid_until").lt(day);
    // A NULL date compares to NULL, which NOT leaves NULL: each
    // negation says "absent or later" explicitly.
    let not = |column: &'static str, cond: SimpleExpr| Expr::col(column).is_null().or(cond.not());
    match status {
        LicenceStatus::Revoked => revoked,
        LicenceStatus::Superseded => not("revoked_on", revoked).and(renewed),
        LicenceStatus::Expired => not("revoked_on", revoked)
            .and(not("renewed_on", renewed))
            .and(expired),
        LicenceStatus::InForce => not("revoked_on", revoked)
            .and(not("renewed_on", renewed))
            .and(not("valid_until", expired)),
    }
}

fn condition_of(filter: &LicenceFilter) -> SimpleExpr {
    let mut condition = Expr::val(true).eq(true);
    if let Some(agencies) = &filter.agencies {
        condition = condition.and(Expr::col("agency_id").is_in(agencies.iter().copied()));
    }
    if let Some(kind) = filter.kind {
        condition = condition.and(Expr::col("kind").eq(kind.as_str()));
    }
    if let (Some(status), Some(on)) = (filter.status, filter.on) {
        condition = condition.and(status_is(status, on));
    }
    // Folded words are letters and digits only: nothing LIKE reads.
    for word in domain::search::words(filter.text.as_deref().unwrap_or_default()) {
        condition = condition.and(Expr::col("search_text").like(format!("% {word}%")));
    }
    condition
}

fn countable(n: u64) -> u64 {
    Ord::min(n, u64::try_from(i64::MAX).unwrap_or(u64::MAX))
}

impl Tx {
    /// The next number of `kind` in `year`, taken in this write
    /// transaction.
    pub async fn next_licence_number(
        &self,
        kind: LicenceKind,
        year: i32,
    ) -> Result<u32, StoreError> {
        self.next_of(&counter(kind, year)).await
    }

    /// Moves `kind`'s counter of `year` up to `last` (a number recorded by
    /// hand), so that the next number follows it.
    pub async fn raise_licence_number(
        &self,
        kind: LicenceKind,
        year: i32,
        last: u32,
    ) -> Result<(), StoreError> {
        self.raise_to(&counter(kind, year), last).await
    }

    /// Whether `number` is already a licence of `kind` issued in `year`.
    pub async fn licence_number_taken(
        &self,
        kind: LicenceKind,
        year: i32,
        number: &str,
    ) -> Result<bool, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::select()
                    .column("id")
                    .from("licences")
                    .and_where(Expr::col("kind").eq(kind.as_str()))
                    .and_where(Expr::col("year").eq(year))
                    .and_where(Expr::col("number").eq(number))
                    .take(),
            )
            .await?;
        Ok(row.is_some())
    }

    /// Records a licence; `l.id` is ignored.
    pub async fn insert_licence(
        &self,
        l: &Licence,
        created: (time::OffsetDateTime, Option<i64>),
    ) -> Result<LicenceId, StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::insert()
                    .into_table("licences")
                    .columns(COLUMNS.into_iter().skip(1).chain(["created_by"]))
                    .values_panic([
                        l.number.clone().into(),
                        l.kind.as_str().into(),
                        l.issued_on.year().into(),
                        l.agency_id.into(),
                        l.holder.name.clone().into(),
                        l.holder.id_number.clone().into(),
                        l.holder.address.clone().into(),
                        l.holder.email.clone().into(),
                        l.subject.clone().into(),
                        l.assessed_year.into(),
                        l.issuer.clone().into(),
                        l.issued_on.into(),
                        l.valid_until.into(),
                        l.channel.as_str().into(),
                        l.dossier_code.clone().into(),
                        l.renews.into(),
                        l.renewed_on.into(),
                        l.revocation.as_ref().map(|r| r.on).into(),
                        l.revocation.as_ref().map(|r| r.reason.clone()).into(),
                        l.revocation.as_ref().and_then(|r| r.by).into(),
                        l.signed.as_ref().map(|s| s.sha256.clone()).into(),
                        l.signed.as_ref().map(|s| s.name.clone()).into(),
                        l.signed.as_ref().map(|s| s.verdict.as_str()).into(),
                        l.signed.as_ref().map(|s| s.signers.join("\n")).into(),
                        search_text(l).into(),
                        created.0.into(),
                        created.1.into(),
                    ])
                    .returning_col("id")
                    .take(),
            )
            .await?
            .ok_or_else(|| StoreError::Corrupt("no id for the licence".into()))?;
        Ok(row.try_get("", "id")?)
    }

    /// Writes what may change on a licence: its renewal, its revocation
    /// and its signed copy.
    pub async fn update_licence(&self, l: &Licence) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::update()
                    .table("licences")
                    .values([
                        ("renewed_on", l.renewed_on.into()),
                        ("revoked_on", l.revocation.as_ref().map(|r| r.on).into()),
                        (
                            "revoked_reason",
                            l.revocation.as_ref().map(|r| r.reason.clone()).into(),
                        ),
                        (
                            "revoked_by",
                            l.revocation.as_ref().and_then(|r| r.by).into(),
                        ),
                        (
                            "signed_sha256",
                            l.signed.as_ref().map(|s| s.sha256.clone()).into(),
                        ),
                        (
                            "signed_name",
                            l.signed.as_ref().map(|s| s.name.clone()).into(),
                        ),
                        (
                            "signed_verdict",
                            l.signed.as_ref().map(|s| s.verdict.as_str()).into(),
                        ),
                        (
                            "signed_signers",
                            l.signed.as_ref().map(|s| s.signers.join("\n")).into(),
                        ),
                    ])
                    .and_where(Expr::col("id").eq(l.id))
                    .take(),
            )
            .await?;
        Ok(())
    }

    pub async fn licence(&self, id: LicenceId) -> Result<Option<Licence>, StoreError> {
        let row = self
            .conn()
            .query_one(&select().and_where(Expr::col("id").eq(id)).take())
            .await?;
        row.as_ref().map(licence_of).transpose()
    }

    /// The renewal of licence `id`, if any.
    pub async fn renewal_of(&self, id: LicenceId) -> Result<Option<Licence>, StoreError> {
        let row = self
            .conn()
            .query_one(&select().and_where(Expr::col("renews").eq(id)).take())
            .await?;
        row.as_ref().map(licence_of).transpose()
    }

    /// A page of the licences `filter` selects, newest issue first, and
    /// how many there are.
    pub async fn licences_page(
        &self,
        filter: &LicenceFilter,
        (offset, limit): (u64, u64),
    ) -> Result<(Vec<Licence>, u64), StoreError> {
        let row = self
            .conn()
            .query_one(
                &Query::select()
                    .expr_as(Func::count(Expr::col("id")), "n")
                    .from("licences")
                    .and_where(condition_of(filter))
                    .take(),
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        let total: i64 = row.try_get("", "n")?;
        let rows = self
            .conn()
            .query_all(
                &select()
                    .and_where(condition_of(filter))
                    .order_by("issued_on", Order::Desc)
                    .order_by("id", Order::Desc)
                    .offset(countable(offset))
                    .limit(countable(limit))
                    .take(),
            )
            .await?;
        let licences = rows.iter().map(licence_of).collect::<Result<_, _>>()?;
        Ok((licences, u64::try_from(total).unwrap_or_default()))
    }

    /// Licences of `kind` (of `agencies`, or all) in force on `today`
    /// whose expiry falls within `days` from it, soonest first.
    pub async fn licences_expiring(
        &self,
        kind: LicenceKind,
        (today, days): (Date, u16),
        agencies: Option<&[AgencyId]>,
    ) -> Result<Vec<Licence>, StoreError> {
        let last = today
            .checked_add(time::Duration::days(i64::from(days)))
            .unwrap_or(today);
        let mut query = select()
            .and_where(Expr::col("kind").eq(kind.as_str()))
            .and_where(status_is(LicenceStatus::InForce, today))
            .and_where(Expr::col("valid_until").lte(last))
            .order_by("valid_until", Order::Asc)
            .order_by("id", Order::Asc)
            .take();
        if let Some(agencies) = agencies {
            query.and_where(Expr::col("agency_id").is_in(agencies.iter().copied()));
        }
        let rows = self.conn().query_all(&query).await?;
        rows.iter().map(licence_of).collect()
    }

    /// The report's figures for the days `from..=to`, of `agencies` (all
    /// when `None`): first issues by channel, renewals and revocations
    /// in the period, and licences in force on `to`.
    pub async fn licensing_figures(
        &self,
        (from, to): (Date, Date),
        agencies: Option<&[AgencyId]>,
    ) -> Result<LicensingFigures, StoreError> {
        let within =
            |column: &'static str| Expr::col(column).gte(from).and(Expr::col(column).lte(to));
        let mut figures = LicensingFigures::default();
        let grouped = |condition: SimpleExpr, by_channel: bool| {
            let mut query = Query::select();
            query
                .column("kind")
                .expr_as(Func::count(Expr::col("id")), "n")
                .from("licences")
                .and_where(condition)
                .group_by_col("kind");
            if by_channel {
                query.column("channel").group_by_col("channel");
            }
            if let Some(agencies) = agencies {
                query.and_where(Expr::col("agency_id").is_in(agencies.iter().copied()));
            }
            query
        };
        let first = within("issued_on").and(Expr::col("renews").is_null());
        for row in self.conn().query_all(&grouped(first, true)).await? {
            let (kind, n) = kind_count(&row)?;
            let channel: String = row.try_get("", "channel")?;
            let channel = channel.parse().map_err(corrupt("licences.channel"))?;
            *figures.of_mut(kind).issued_through(channel) = n;
        }
        let counts: [(SimpleExpr, Setter); 3] = [
            (
                within("issued_on").and(Expr::col("renews").is_not_null()),
                |f, n| f.renewed = n,
            ),
            (within("revoked_on"), |f, n| f.revoked = n),
            (
                Expr::col("issued_on")
                    .lte(to)
                    .and(status_is(LicenceStatus::InForce, to)),
                |f, n| f.in_force = n,
            ),
        ];
        for (condition, set) in counts {
            for row in self.conn().query_all(&grouped(condition, false)).await? {
                let (kind, n) = kind_count(&row)?;
                set(figures.of_mut(kind), n);
            }
        }
        Ok(figures)
    }
}

fn kind_count(row: &QueryResult) -> Result<(LicenceKind, u64), StoreError> {
    let kind: String = row.try_get("", "kind")?;
    let n: i64 = row.try_get("", "n")?;
    Ok((
        kind.parse().map_err(corrupt("licences.kind"))?,
        u64::try_from(n).unwrap_or_default(),
    ))
}

fn select() -> SelectStatement {
    Query::select().columns(COLUMNS).from("licences").take()
}
