//! Fees (issue 8, item 4): paid online through the gateway — a signed
//! request out, a signed answer back, taken once however often it comes —
//! or at the desk, each with the agency's next receipt number; answers
//! that are unsigned, altered, for another amount or an unknown payment
//! change nothing.

use app::config::PaymentConfig;
use app::services::OnlineSubmission;
use domain::people::Role;
use domain::services::payments::{Params, PaymentMethod, PaymentStatus};
use testkit::TestApp;

use super::services::{at_the_desk, desk_officer, procedure, staff};
use super::services_online::{applicant, two_files};
use super::signing::invalid;

fn answer(reference: &str, amount: &str, code: &str, secret: &[u8]) -> Params {
    Params(
        [
            ("reference", reference),
            ("amount", amount),
            ("code", code),
            ("transaction", "TT14012345"),
            ("paid_at", "20210405093000"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect(),
    )
    .signed(secret)
}

#[tokio::test]
async fn fees_are_paid_online_once_or_at_the_desk_once_with_a_receipt() {
    let test = TestApp::with_config(|c| c.services.payment = PaymentConfig::test()).await;
    test.app.load_demo(|_, _| {}).await.unwrap();
    let secret = PaymentConfig::test().secret.expose().as_bytes().to_vec();
    let stttt = test.agency_id("000.00.11.H59").await;
    let procedure = procedure(&test, stttt).await;
    let desk = desk_officer(&test, stttt, 0).await;
    let submitted = test
        .app
        .submit_online(OnlineSubmission {
            procedure_id: procedure.id,
            applicant: applicant(),
            files: two_files(),
        })
        .await
        .unwrap();
    let code = submitted.dossier.code.clone();
    test.app.confirm_online(&submitted.token).await.unwrap();

    // The request to the gateway: its page, signed by egov.
    assert!(test.app.pay_online(&code, "0999 999 999").await.is_err());
    let url = test
        .app
        .pay_online(&code, "sa.ren@example.vn")
        .await
        .unwrap();
    let (page, query) = url.split_once('?').unwrap();
    assert_eq!(page, "/cong-thanh-toan-thu");
    let request = Params(serde_urlencoded::from_str(query).unwrap());
    assert_eq!(request.verify(&secret), Ok(()));
    assert_eq!(request.get("amount"), Some("1000000"));
    let reference = request.get("reference").unwrap().to_owned();

    // Answers that are not the gateway's, or not for this payment.
    let audit = test.audit_seq().await;
    // Each refusal answers the gateway with its code and says why.
    for (params, code, says) in [
        (
            answer(&reference, "1000000", "00", b"not the secret"),
            "97",
            "Chữ ký",
        ),
        (answer(&reference, "1000", "00", &secret), "04", "Số tiền"),
        (
            answer("khong-co", "1000000", "00", &secret),
            "01",
            "khong-co",
        ),
    ] {
        let refused = test.app.confirm_payment(&params).await.unwrap_err();
        assert_eq!(refused.code(), code, "{refused}");
        assert!(refused.to_string().contains(says), "{refused}");
    }
    assert_eq!(audit, test.audit_seq().await, "nothing recorded");

    // The notification and the browser both come: one payment, one receipt.
    let paid = test
        .app
        .confirm_payment(&answer(&reference, "1000000", "00", &secret))
        .await
        .unwrap();
    assert_eq!(paid.status, PaymentStatus::Paid);
    assert_eq!(paid.receipt.as_deref(), Some("0000001/2021"));
    assert_eq!(paid.gateway_ref.as_deref(), Some("TT14012345"));
    let audit = test.audit_seq().await;
    let again = test
        .app
        .confirm_payment(&answer(&reference, "1000000", "00", &secret))
        .await
        .unwrap();
    assert_eq!(again, paid);
    assert_eq!(
        audit,
        test.audit_seq().await,
        "the second answer changes nothing"
    );
    invalid(
        &test.app.pay_online(&code, "sa.ren@example.vn").await,
        "đã được nộp",
    );
    invalid(&test.app.pay_at_desk(&desk, &code).await, "đã được nộp");

    // A cancelled payment leaves the fee due; the desk then takes it.
    let at_desk = test
        .app
        .receive_dossier(&desk, at_the_desk(procedure.id, 1))
        .await
        .unwrap();
    let mut with_email = at_the_desk(procedure.id, 2);
    with_email.applicant.email = Some("cty2@example.vn".into());
    let second = test.app.receive_dossier(&desk, with_email).await.unwrap();
    let url = test
        .app
        .pay_online(&second.code, "cty2@example.vn")
        .await
        .unwrap();
    let request = Params(serde_urlencoded::from_str(url.split_once('?').unwrap().1).unwrap());
    let cancelled = test
        .app
        .confirm_payment(&answer(
            request.get("reference").unwrap(),
            "1000000",
            "24",
            &secret,
        ))
        .await
        .unwrap();
    assert_eq!(
        (cancelled.status, cancelled.receipt),
        (PaymentStatus::Failed, None)
    );
    let clerk = staff(&test, stttt, ("vanthu2", "Văn Thư Hai"), Role::Clerk).await;
    assert!(matches!(
        test.app.pay_at_desk(&clerk, &second.code).await,
        Err(app::AppError::Forbidden)
    ));
    let cash = test.app.pay_at_desk(&desk, &second.code).await.unwrap();
    assert_eq!(
        (cash.method, cash.status, cash.receipt.as_deref()),
        (
            PaymentMethod::Desk,
            PaymentStatus::Paid,
            Some("0000002/2021")
        )
    );
    let procedure_fee = test.app.procedure(at_desk.procedure_id).await.unwrap();
    let fee = test.app.fee_of(&at_desk, &procedure_fee).await.unwrap();
    assert!(
        fee.due() && fee.payable_online,
        "the other dossier still owes"
    );
}
