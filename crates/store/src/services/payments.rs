//! Fee payments of dossiers and each agency's yearly receipt numbers.

use domain::agencies::AgencyId;
use domain::services::DossierId;
use domain::services::payments::{Payment, PaymentId};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, Order, QueryResult};

use crate::counters::Counter;
use crate::error::corrupt;
use crate::{StoreError, Tx};

const COLUMNS: [&str; 11] = [
    "id",
    "dossier_id",
    "amount",
    "method",
    "status",
    "reference",
    "gateway_ref",
    "created_at",
    "paid_at",
    "receipt",
    "recorded_by",
];

fn payment_of(row: &QueryResult) -> Result<Payment, StoreError> {
    let amount: i64 = row.try_get("", "amount")?;
    let method: String = row.try_get("", "method")?;
    let status: String = row.try_get("", "status")?;
    Ok(Payment {
        id: row.try_get("", "id")?,
        dossier_id: row.try_get("", "dossier_id")?,
        amount: u64::try_from(amount).map_err(corrupt("dossier_payments.amount"))?,
        method: method.parse().map_err(corrupt("dossier_payments.method"))?,
        status: status.parse().map_err(corrupt("dossier_payments.status"))?,
        reference: row.try_get("", "reference")?,
        gateway_ref: row.try_get("", "gateway_ref")?,
        created_at: row.try_get("", "created_at")?,
        paid_at: row.try_get("", "paid_at")?,
        receipt: row.try_get("", "receipt")?,
    })
}

impl Tx {
    /// Records a payment; `p.id` is ignored. `recorded_by`: the officer
    /// who took it at the desk.
    pub async fn insert_payment(
        &self,
        p: &Payment,
        recorded_by: Option<domain::people::PersonId>,
    ) -> Result<PaymentId, StoreError> {
        let amount = i64::try_from(p.amount).map_err(corrupt("amount"))?;
        let row = self
            .conn()
            .query_one(
                &Query::insert()
                    .into_table("dossier_payments")
                    .columns(COLUMNS.into_iter().skip(1))
                    .values_panic([
                        p.dossier_id.into(),
                        amount.into(),
                        p.method.as_str().into(),
                        p.status.as_str().into(),
                        p.reference.clone().into(),
                        p.gateway_ref.clone().into(),
                        p.created_at.into(),
                        p.paid_at.into(),
                        p.receipt.clone().into(),
                        recorded_by.into(),
                    ])
                    .returning_col("id")
                    .take(),
            )
            .await?
            .ok_or_else(|| StoreError::Corrupt("no id for the payment".into()))?;
        Ok(row.try_get("", "id")?)
    }

    /// Writes back what the gateway's answer changed.
    pub async fn update_payment(&self, p: &Payment) -> Result<(), StoreError> {
        self.conn()
            .execute(
                &Query::update()
                    .table("dossier_payments")
                    .value("status", p.status.as_str())
                    .value("gateway_ref", p.gateway_ref.clone())
                    .value("paid_at", p.paid_at)
                    .value("receipt", p.receipt.clone())
                    .and_where(Expr::col("id").eq(p.id))
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn payments_where(&self, condition: SimpleExpr) -> Result<Vec<Payment>, StoreError> {
        self.conn()
            .query_all(
                &Query::select()
                    .columns(COLUMNS)
                    .from("dossier_payments")
                    .and_where(condition)
                    .order_by("id", Order::Asc)
                    .take(),
            )
            .await?
            .iter()
            .map(payment_of)
            .collect()
    }

    pub async fn payment_by_reference(
        &self,
        reference: &str,
    ) -> Result<Option<Payment>, StoreError> {
        Ok(self
            .payments_where(Expr::col("reference").eq(reference))
            .await?
            .pop())
    }

    /// A dossier's payments, first first.
    pub async fn dossier_payments(&self, dossier: DossierId) -> Result<Vec<Payment>, StoreError> {
        self.payments_where(Expr::col("dossier_id").eq(dossier))
            .await
    }

    /// The next receipt number of `agency` in `year`, taken in this write
    /// transaction.
    pub async fn next_receipt_number(
        &self,
        agency: AgencyId,
        year: i32,
    ) -> Result<u32, StoreError> {
        self.next_of(&Counter {
            table: "receipt_sequences",
            key: vec![("agency_id", agency.into()), ("year", year.into())],
        })
        .await
    }
}
