//! Fees and their payment (issue 8, item 4): a fee taken at the desk, or
//! paid online — egov records a pending payment and sends the applicant
//! to the gateway with signed parameters; the gateway's answer (its
//! server-to-server notification, or the applicant's browser coming back)
//! is checked and confirms the payment once: a second answer for the same
//! payment changes nothing. A paid fee gets the agency's next receipt
//! number of the year.

use domain::authz::Permission;
use domain::services::payments::{
    GatewayResult, Params, Payment, PaymentError, PaymentMethod, PaymentStatus, receipt_number,
    stamp,
};
use domain::services::{Dossier, Level, Procedure};
use serde_json::json;
use time::OffsetDateTime;

use crate::audit::{Change, record};
use crate::{App, AppError, Ctx};

/// A dossier's fee and what was paid of it.
#[derive(Debug, Clone)]
pub struct Fee {
    /// In đồng; 0 when the procedure charges none.
    pub amount: u64,
    pub payments: Vec<Payment>,
    /// It may be paid online now (level 4, a gateway, unpaid, open).
    pub payable_online: bool,
}

impl Fee {
    /// The payment that settled it.
    pub fn paid(&self) -> Option<&Payment> {
        self.payments
            .iter()
            .find(|p| p.status == PaymentStatus::Paid)
    }

    /// Whether something is still owed.
    pub fn due(&self) -> bool {
        self.amount > 0 && self.paid().is_none()
    }
}

/// Why a gateway's answer was not applied: refused for what it says, or
/// egov failed to record it (the gateway then asks again).
#[derive(Debug, thiserror::Error)]
pub enum AnswerError {
    #[error(transparent)]
    Refused(#[from] PaymentError),
    #[error(transparent)]
    Failed(#[from] AppError),
}

impl AnswerError {
    /// The code of egov's answer to the gateway's notification.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Refused(refused) => refused.answer_code(),
            Self::Failed(_) => "99",
        }
    }
}

impl From<AnswerError> for AppError {
    fn from(error: AnswerError) -> Self {
        match error {
            AnswerError::Refused(refused) => AppError::invalid(refused),
            AnswerError::Failed(failed) => failed,
        }
    }
}

impl App {
    /// The fee of `dossier` and its payments.
    pub async fn fee_of(&self, dossier: &Dossier, procedure: &Procedure) -> Result<Fee, AppError> {
        let payments = self
            .store
            .read()
            .await?
            .dossier_payments(dossier.id)
            .await?;
        let mut fee = Fee {
            amount: procedure.fee,
            payments,
            payable_online: false,
        };
        fee.payable_online = fee.due()
            && procedure.level == Level::Complete
            && !dossier.stage.is_final()
            && !self.config.services.payment.gateway_url.is_empty();
        Ok(fee)
    }

    /// Starts an online payment of the fee of dossier `code`, for its
    /// applicant (known by `contact`): the address of the gateway's page,
    /// with the signed request.
    pub async fn pay_online(&self, code: &str, contact: &str) -> Result<String, AppError> {
        let tracking = self.track(code, contact).await?;
        let procedure = self.procedure(tracking.dossier.procedure_id).await?;
        let fee = self.fee_of(&tracking.dossier, &procedure).await?;
        check_payable(&tracking.dossier, &fee)?;
        if !fee.payable_online {
            return Err(AppError::invalid(PaymentError::NotOnline(
                procedure.level.number(),
            )));
        }
        let config = &self.config.services.payment;
        let now = domain::to_stored_precision(self.now());
        let payment = pending(tracking.dossier.id, fee.amount, PaymentMethod::Online, now)?;
        let mut tx = self.store.write().await?;
        let id = tx.insert_payment(&payment, None).await?;
        record_payment(
            &mut tx,
            self,
            &Ctx::system("portal"),
            "payment.start",
            id,
            &payment,
        )
        .await?;
        tx.commit().await?;
        let public = self.config.services.public_url.trim_end_matches('/');
        let request = Params(vec![
            ("merchant".into(), config.merchant.clone()),
            ("reference".into(), payment.reference.clone()),
            ("amount".into(), payment.amount.to_string()),
            (
                "info".into(),
                format!("Nộp phí, lệ phí hồ sơ {}", tracking.dossier.code),
            ),
            (
                "return_url".into(),
                format!("{public}/dich-vu-cong/thanh-toan/ket-qua"),
            ),
            ("created_at".into(), stamp(now)),
        ])
        .signed(config.secret.expose().as_bytes());
        let query = serde_urlencoded::to_string(&request.0)
            .map_err(|e| AppError::Internal(format!("thanh toán: {e}")))?;
        Ok(format!("{}?{query}", config.gateway_url))
    }

    /// Takes a gateway's answer about a payment: checked (signature,
    /// reference, amount) and applied once.
    pub async fn confirm_payment(&self, params: &Params) -> Result<Payment, AnswerError> {
        let secret = self.config.services.payment.secret.expose().as_bytes();
        let result = GatewayResult::read(params, secret)?;
        Ok(self.apply_answer(&result).await??)
    }

    /// Applies a well-signed answer in one transaction; the inner error is
    /// what the answer was refused for (nothing is written then).
    async fn apply_answer(
        &self,
        result: &GatewayResult,
    ) -> Result<Result<Payment, PaymentError>, AppError> {
        let mut tx = self.store.write().await?;
        let Some(mut payment) = tx.payment_by_reference(&result.reference).await? else {
            return Ok(Err(PaymentError::UnknownReference(
                result.reference.clone(),
            )));
        };
        if result.amount != payment.amount {
            return Ok(Err(PaymentError::WrongAmount {
                paid: result.amount,
                due: payment.amount,
            }));
        }
        if payment.status != PaymentStatus::Pending {
            // Answered before (the notification and the browser both
            // come): nothing changes.
            return Ok(Ok(payment));
        }
        payment.gateway_ref = Some(result.gateway_ref.clone());
        if result.succeeded() {
            let paid_at = result.paid_at.assume_offset(vn::dates::VIETNAM_OFFSET);
            self.settle(&tx, &mut payment, paid_at).await?;
        } else {
            payment.status = PaymentStatus::Failed;
        }
        tx.update_payment(&payment).await?;
        let action = if payment.status == PaymentStatus::Paid {
            "payment.paid"
        } else {
            "payment.failed"
        };
        record_payment(
            &mut tx,
            self,
            &Ctx::system("payment-gateway"),
            action,
            payment.id,
            &payment,
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(payment))
    }

    /// The desk takes the fee of dossier `code` in cash or by card.
    pub async fn pay_at_desk(&self, ctx: &Ctx, code: &str) -> Result<Payment, AppError> {
        let dossier = self.dossier_by_code(ctx, code).await?;
        ctx.require(
            Permission::ReceiveDossiers,
            &self.lineage(dossier.agency_id).await?,
        )?;
        let procedure = self.procedure(dossier.procedure_id).await?;
        let fee = self.fee_of(&dossier, &procedure).await?;
        check_payable(&dossier, &fee)?;
        let now = domain::to_stored_precision(self.now());
        let mut payment = pending(dossier.id, fee.amount, PaymentMethod::Desk, now)?;
        let mut tx = self.store.write().await?;
        // Checked again inside the transaction: two desks, one fee.
        if tx
            .dossier_payments(dossier.id)
            .await?
            .iter()
            .any(|p| p.status == PaymentStatus::Paid)
        {
            return Err(AppError::invalid(PaymentError::AlreadyPaid));
        }
        self.settle(&tx, &mut payment, now).await?;
        payment.id = tx
            .insert_payment(&payment, ctx.actor.as_ref().map(|a| a.person_id))
            .await?;
        record_payment(&mut tx, self, ctx, "payment.paid", payment.id, &payment).await?;
        tx.commit().await?;
        Ok(payment)
    }

    /// Marks `payment` paid at `paid_at` with the next receipt number of
    /// its dossier's agency.
    async fn settle(
        &self,
        tx: &store::Tx,
        payment: &mut Payment,
        paid_at: OffsetDateTime,
    ) -> Result<(), AppError> {
        let dossier = tx
            .dossier(payment.dossier_id)
            .await?
            .ok_or(AppError::NotFound("hồ sơ"))?;
        let year = vn::dates::vietnam_date(paid_at).year();
        let number = tx.next_receipt_number(dossier.agency_id, year).await?;
        payment.status = PaymentStatus::Paid;
        payment.paid_at = Some(domain::to_stored_precision(paid_at));
        payment.receipt = Some(receipt_number(number, year));
        Ok(())
    }
}

/// A new payment of `amount` for a dossier, not yet paid, under a fresh
/// random reference.
fn pending(
    dossier_id: domain::services::DossierId,
    amount: u64,
    method: PaymentMethod,
    now: OffsetDateTime,
) -> Result<Payment, AppError> {
    Ok(Payment {
        id: 0,
        dossier_id,
        amount,
        method,
        status: PaymentStatus::Pending,
        reference: crate::auth::random_token()?[..32].to_owned(),
        gateway_ref: None,
        created_at: now,
        paid_at: None,
        receipt: None,
    })
}

fn check_payable(dossier: &Dossier, fee: &Fee) -> Result<(), AppError> {
    if fee.amount == 0 {
        return Err(AppError::invalid(PaymentError::NothingToPay));
    }
    if fee.paid().is_some() {
        return Err(AppError::invalid(PaymentError::AlreadyPaid));
    }
    if dossier.stage.is_final() {
        return Err(AppError::invalid(PaymentError::Closed));
    }
    Ok(())
}

async fn record_payment(
    tx: &mut store::Tx,
    app: &App,
    ctx: &Ctx,
    action: &'static str,
    id: i64,
    payment: &Payment,
) -> Result<(), AppError> {
    let change = Change {
        action,
        object_type: "payment",
        object_id: id.to_string(),
        before: None,
        after: Some(json!({
            "dossier_id": payment.dossier_id,
            "amount": payment.amount,
            "method": payment.method.as_str(),
            "status": payment.status.as_str(),
            "reference": payment.reference,
            "gateway_ref": payment.gateway_ref,
            "receipt": payment.receipt,
        })),
    };
    record(tx, app, ctx, change).await
}
