//! Paying a dossier's fee online (issue 8, item 4), as the applicant's
//! browser and the gateway see it: the start (a redirect to the gateway
//! with the signed request), the way back (`ket-qua`), the gateway's
//! server-to-server notification (`ipn`, the one that counts; answered in
//! JSON with the gateway's codes), the printable receipt, and egov's own
//! test gateway at `/cong-thanh-toan-thu` when configured — which checks
//! the merchant's signature, notifies egov over HTTP and sends the
//! browser back, as a real one does, but moves no money.

use app::AppError;
use askama::Template;
use axum::extract::{Query, RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::services::payments::{Params, Payment, SUCCESS, stamp};
use serde::Deserialize;

use crate::AppState;
use crate::ui::{page, respond};

/// The form that starts a payment: the dossier and the applicant's
/// contact, as on the tracking page.
#[derive(Debug, Deserialize)]
pub struct PayForm {
    ma: String,
    lien_he: String,
}

pub async fn start(
    State(state): State<AppState>,
    axum::Form(form): axum::Form<PayForm>,
) -> Response {
    respond(
        state
            .app
            .pay_online(&form.ma, &form.lien_he)
            .await
            .map(|url| Redirect::to(&url).into_response()),
    )
}

fn params_of(query: Option<String>) -> Params {
    Params(serde_urlencoded::from_str(&query.unwrap_or_default()).unwrap_or_default())
}

#[derive(Template)]
#[template(path = "services_paid.html")]
struct PaidPage {
    paid: bool,
    amount: String,
    receipt: String,
}

/// The applicant's browser back from the gateway.
pub async fn back(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    respond(
        state
            .app
            .confirm_payment(&params_of(query))
            .await
            .map(|p| page(&paid_page(&p)))
            .map_err(AppError::from),
    )
}

fn paid_page(payment: &Payment) -> PaidPage {
    PaidPage {
        paid: payment.receipt.is_some(),
        amount: money(payment.amount),
        receipt: payment.receipt.clone().unwrap_or_default(),
    }
}

/// An amount of đồng as pages write it: "1.000.000 đồng".
pub fn money(amount: u64) -> String {
    format!(
        "{} đồng",
        vn::numbers::format_int(i64::try_from(amount).unwrap_or(i64::MAX))
    )
}

/// The gateway's notification: a form of signed parameters; the answer
/// is `{"code": "00", "message": ...}` or the code of what was wrong.
pub async fn notification(State(state): State<AppState>, body: String) -> Response {
    let params = Params(serde_urlencoded::from_str(&body).unwrap_or_default());
    let (code, message) = match state.app.confirm_payment(&params).await {
        Ok(_) => (SUCCESS, "Đã ghi nhận".to_owned()),
        Err(refused) => (refused.code(), refused.to_string()),
    };
    axum::Json(serde_json::json!({ "code": code, "message": message })).into_response()
}

#[derive(Template)]
#[template(path = "services_receipt.html")]
struct ReceiptPage {
    agency: String,
    receipt: String,
    paid_at: String,
    method: &'static str,
    code: String,
    applicant: String,
    procedure: String,
    amount: String,
    amount_words: String,
}

#[derive(Debug, Deserialize)]
pub struct ReceiptQuery {
    ma: String,
    lien_he: String,
}

/// The receipt (biên lai thu phí, lệ phí) of a paid fee, to print.
pub async fn receipt(State(state): State<AppState>, Query(q): Query<ReceiptQuery>) -> Response {
    respond(
        async {
            let app = &state.app;
            let tracking = app.track(&q.ma, &q.lien_he).await?;
            let procedure = app.procedure(tracking.dossier.procedure_id).await?;
            let fee = app.fee_of(&tracking.dossier, &procedure).await?;
            let paid = fee.paid().ok_or(AppError::NotFound("biên lai"))?;
            let agency = app.agency(tracking.dossier.agency_id).await?;
            Ok(page(&ReceiptPage {
                agency: agency.name.to_uppercase(),
                receipt: paid.receipt.clone().unwrap_or_default(),
                paid_at: paid
                    .paid_at
                    .map(vn::dates::format_moment)
                    .unwrap_or_default(),
                method: paid.method.label(),
                code: tracking.dossier.code.clone(),
                applicant: tracking.dossier.applicant.name.clone(),
                procedure: tracking.procedure,
                amount: money(paid.amount),
                amount_words: vn::words::money_in_words(paid.amount),
            }))
        }
        .await,
    )
}

#[derive(Template)]
#[template(path = "services_gateway.html")]
struct GatewayPage {
    merchant: String,
    amount: String,
    info: String,
    /// The request's parameters, carried to the payment.
    fields: Vec<(String, String)>,
}

/// The test gateway's payment page, for a request signed by the
/// merchant.
pub async fn gateway_page(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let config = &state.app.config.services.payment;
    if !config.test_gateway {
        return crate::ui::error_page(&AppError::NotFound("trang"));
    }
    let params = params_of(query);
    if let Err(error) = params.verify(config.secret.expose().as_bytes()) {
        return crate::ui::error_page(&AppError::invalid(error));
    }
    let amount: u64 = params
        .get("amount")
        .and_then(|a| a.parse().ok())
        .unwrap_or(0);
    page(&GatewayPage {
        merchant: params.get("merchant").unwrap_or_default().to_owned(),
        amount: money(amount),
        info: params.get("info").unwrap_or_default().to_owned(),
        fields: params.0,
    })
}

/// The test gateway takes the payment (or its cancellation): it signs
/// its answer, notifies egov server to server, and sends the browser
/// back to the merchant.
pub async fn gateway_pay(State(state): State<AppState>, body: String) -> Response {
    let config = state.app.config.services.payment.clone();
    if !config.test_gateway {
        return crate::ui::error_page(&AppError::NotFound("trang"));
    }
    let mut params = Params(serde_urlencoded::from_str(&body).unwrap_or_default());
    let choice = params.get("choice").unwrap_or_default().to_owned();
    params.0.retain(|(k, _)| k != "choice");
    let secret = config.secret.expose().as_bytes();
    if let Err(error) = params.verify(secret) {
        return crate::ui::error_page(&AppError::invalid(error));
    }
    let now = state.app.now();
    let answer = Params(vec![
        (
            "reference".into(),
            params.get("reference").unwrap_or_default().to_owned(),
        ),
        (
            "amount".into(),
            params.get("amount").unwrap_or_default().to_owned(),
        ),
        (
            "code".into(),
            if choice == "pay" {
                SUCCESS.into()
            } else {
                "24".into()
            },
        ),
        ("transaction".into(), format!("TT{}", now.unix_timestamp())),
        ("paid_at".into(), stamp(now)),
    ])
    .signed(secret);
    let encoded = serde_urlencoded::to_string(&answer.0).unwrap_or_default();
    let ipn = format!(
        "{}/dich-vu-cong/thanh-toan/ipn",
        state.app.config.services.public_url.trim_end_matches('/')
    );
    if let Err(error) = notify(&ipn, encoded.clone()).await {
        // The browser's way back confirms too; the gateway would retry.
        tracing::warn!(%error, "test gateway: notification not delivered");
    }
    let back = params.get("return_url").unwrap_or("/");
    Redirect::to(&format!("{back}?{encoded}")).into_response()
}

/// Posts the notification as the gateway's server would.
async fn notify(url: &str, body: String) -> Result<u16, String> {
    crate::client::exchange(crate::client::Request {
        url,
        body: Some(("application/x-www-form-urlencoded", body.into_bytes())),
        headers: Vec::new(),
        timeout: std::time::Duration::from_secs(10),
        max_answer: 64 * 1024,
    })
    .await
    .map(|answer| answer.status)
}

/// Whether the start form is offered: for the tracking page.
#[derive(Debug, Clone)]
pub struct FeeLine {
    pub amount: String,
    pub status: String,
    pub payable: bool,
    pub receipt: Option<String>,
}

impl FeeLine {
    pub fn of(fee: &app::services::payments::Fee) -> Option<Self> {
        (fee.amount > 0).then(|| Self {
            amount: money(fee.amount),
            status: match fee.paid() {
                Some(p) => format!("Đã nộp ({})", p.method.label().to_lowercase()),
                None => "Chưa nộp".into(),
            },
            payable: fee.payable_online,
            receipt: fee.paid().and_then(|p| p.receipt.clone()),
        })
    }
}
