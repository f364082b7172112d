//! Fees paid for dossiers (issue 8, item 4): at the desk, or online
//! through a payment gateway, and the gateway's protocol as egov speaks
//! it — parameters signed with HMAC-SHA512 over their canonical text, as
//! Vietnamese gateways do (VNPay's `vnp_SecureHash`), a redirect there
//! and back, and a server-to-server notification that is the one that
//! counts. Confirming the same payment twice changes nothing.

use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha512;
use time::{OffsetDateTime, PrimitiveDateTime};

use super::DossierId;

pub type PaymentId = i64;

/// How a fee was paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    Desk,
    Online,
}

named!(PaymentMethod {
    Desk => "desk", "Nộp tại Bộ phận một cửa";
    Online => "online", "Thanh toán trực tuyến";
});

/// Where a payment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    /// Sent to the gateway, no answer yet.
    Pending,
    Paid,
    /// The gateway said it did not go through (cancelled, refused).
    Failed,
}

named!(PaymentStatus {
    Pending => "pending", "Đang chờ cổng thanh toán";
    Paid => "paid", "Đã nộp";
    Failed => "failed", "Không thành công";
});

/// A fee payment for a dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub id: PaymentId,
    pub dossier_id: DossierId,
    /// In đồng.
    pub amount: u64,
    pub method: PaymentMethod,
    pub status: PaymentStatus,
    /// egov's reference sent to the gateway (unique, random).
    pub reference: String,
    /// The gateway's transaction number, once it answered.
    pub gateway_ref: Option<String>,
    pub created_at: OffsetDateTime,
    pub paid_at: Option<OffsetDateTime>,
    /// The receipt's number, once paid: `{number}/{year}`.
    pub receipt: Option<String>,
}

/// The gateway's answer code for a payment that went through.
pub const SUCCESS: &str = "00";

/// Why a gateway's message is not taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaymentError {
    #[error("Chữ ký của thông báo thanh toán không đúng")]
    BadSignature,
    #[error("Thông báo thanh toán thiếu trường «{0}»")]
    Missing(&'static str),
    #[error("Thông báo thanh toán có trường «{0}» không đúng dạng")]
    Malformed(&'static str),
    #[error("Không có giao dịch thanh toán «{0}»")]
    UnknownReference(String),
    #[error("Số tiền thanh toán {paid} đồng khác số phải nộp {due} đồng")]
    WrongAmount { paid: u64, due: u64 },
    #[error("Hồ sơ không phải nộp phí, lệ phí")]
    NothingToPay,
    #[error("Phí, lệ phí của hồ sơ đã được nộp")]
    AlreadyPaid,
    #[error("Thủ tục mức độ {0} không thanh toán trực tuyến: xin nộp tại Bộ phận một cửa")]
    NotOnline(u8),
    #[error("Hồ sơ đã kết thúc, không nộp phí được")]
    Closed,
}

impl PaymentError {
    /// The code a gateway expects in egov's answer to its notification
    /// when it is refused (VNPAY's codes: 97 a bad signature, 01 an
    /// unknown order, 04 a wrong amount); 99 for the rest.
    pub fn answer_code(&self) -> &'static str {
        match self {
            Self::BadSignature => "97",
            Self::UnknownReference(_) => "01",
            Self::WrongAmount { .. } => "04",
            _ => "99",
        }
    }
}

/// Parameters of a gateway message, in the order given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(pub Vec<(String, String)>);

impl Params {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The text that is signed: every parameter but the signature, sorted
    /// by name, as `name=value` joined by `&`, values form-encoded.
    fn canonical(&self) -> String {
        let mut pairs: Vec<&(String, String)> =
            self.0.iter().filter(|(k, _)| k != "signature").collect();
        pairs.sort();
        let mut text = String::new();
        for (i, (k, v)) in pairs.into_iter().enumerate() {
            if i > 0 {
                text.push('&');
            }
            text.push_str(k);
            text.push('=');
            encode_into(v, &mut text);
        }
        text
    }

    /// These parameters with their signature under `secret` added.
    #[must_use]
    pub fn signed(mut self, secret: &[u8]) -> Self {
        self.0.retain(|(k, _)| k != "signature");
        let signature = mac(secret, &self.canonical());
        self.0.push(("signature".into(), signature));
        self
    }

    /// Whether the signature is `secret`'s over the other parameters
    /// (compared in constant time).
    pub fn verify(&self, secret: &[u8]) -> Result<(), PaymentError> {
        let given = self
            .get("signature")
            .ok_or(PaymentError::Missing("signature"))?;
        let given = hex::decode(given).map_err(|_| PaymentError::BadSignature)?;
        let mut check = <Hmac<Sha512> as KeyInit>::new_from_slice(secret)
            .map_err(|_| PaymentError::BadSignature)?;
        check.update(self.canonical().as_bytes());
        check
            .verify_slice(&given)
            .map_err(|_| PaymentError::BadSignature)
    }
}

fn mac(secret: &[u8], text: &str) -> String {
    // HMAC takes keys of any length.
    let mut mac =
        <Hmac<Sha512> as KeyInit>::new_from_slice(secret).unwrap_or_else(|_| unreachable!());
    mac.update(text.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// `application/x-www-form-urlencoded` encoding of one value.
fn encode_into(value: &str, out: &mut String) {
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            _ => {
                use fmt::Write as _;
                let _ = write!(out, "%{byte:02X}");
            }
        }
    }
}

/// What a gateway says of a payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayResult {
    pub reference: String,
    pub amount: u64,
    /// [`SUCCESS`] when it went through.
    pub code: String,
    pub gateway_ref: String,
    /// When it was paid, Vietnam time.
    pub paid_at: PrimitiveDateTime,
}

impl GatewayResult {
    /// Reads a signed answer: the signature first, then each field.
    pub fn read(params: &Params, secret: &[u8]) -> Result<Self, PaymentError> {
        params.verify(secret)?;
        let field = |name: &'static str| params.get(name).ok_or(PaymentError::Missing(name));
        let stamp = time::macros::format_description!("[year][month][day][hour][minute][second]");
        Ok(Self {
            reference: field("reference")?.to_owned(),
            amount: field("amount")?
                .parse()
                .map_err(|_| PaymentError::Malformed("amount"))?,
            code: field("code")?.to_owned(),
            gateway_ref: field("transaction")?.to_owned(),
            paid_at: PrimitiveDateTime::parse(field("paid_at")?, stamp)
                .map_err(|_| PaymentError::Malformed("paid_at"))?,
        })
    }

    pub fn succeeded(&self) -> bool {
        self.code == SUCCESS
    }
}

/// A moment as gateways and the national portal write it:
/// `yyyyMMddHHmmss`, Vietnam time.
pub fn stamp(moment: OffsetDateTime) -> String {
    let local = moment.to_offset(vn::dates::VIETNAM_OFFSET);
    format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}",
        local.year(),
        u8::from(local.month()),
        local.day(),
        local.hour(),
        local.minute(),
        local.second()
    )
}

/// A receipt's number: the agency's count of the year.
pub fn receipt_number(sequence: u32, year: i32) -> String {
    format!("{sequence:07}/{year}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Params {
        Params(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn signatures_cover_every_parameter_in_a_canonical_order() {
        let secret = b"bi-mat-cua-dich-vu-cong";
        let a = params(&[
            ("amount", "50000"),
            ("reference", "ab12"),
            ("info", "Lệ phí cấp phép"),
        ])
        .signed(secret);
        let b = params(&[
            ("info", "Lệ phí cấp phép"),
            ("reference", "ab12"),
            ("amount", "50000"),
        ])
        .signed(secret);
        assert_eq!(
            a.get("signature"),
            b.get("signature"),
            "order does not matter"
        );
        assert_eq!(
            a.get("signature").map(str::len),
            Some(128),
            "HMAC-SHA512 in hex"
        );
        assert_eq!(a.verify(secret), Ok(()));
        assert_eq!(a.verify(b"another secret"), Err(PaymentError::BadSignature));
        let mut changed = a.clone();
        changed.0[0].1 = "5000".into();
        assert_eq!(changed.verify(secret), Err(PaymentError::BadSignature));
        let mut unsigned = a.clone();
        unsigned.0.retain(|(k, _)| k != "signature");
        assert_eq!(
            unsigned.verify(secret),
            Err(PaymentError::Missing("signature"))
        );
        assert_eq!(
            params(&[("k", "a b&c=đ")]).canonical(),
            "k=a+b%26c%3D%C4%91"
        );
    }

    #[test]
    fn a_gateway_answer_is_read_only_when_signed_and_whole() {
        let secret = b"s";
        let answer = params(&[
            ("reference", "ab12"),
            ("amount", "50000"),
            ("code", "00"),
            ("transaction", "14012345"),
            ("paid_at", "20210505093000"),
        ])
        .signed(secret);
        let result = GatewayResult::read(&answer, secret).unwrap();
        assert!(result.succeeded());
        assert_eq!(
            (result.amount, result.gateway_ref.as_str()),
            (50_000, "14012345")
        );
        let wrong_time = params(&[
            ("reference", "ab12"),
            ("amount", "50000"),
            ("code", "24"),
            ("transaction", "1"),
            ("paid_at", "2021-05-05"),
        ])
        .signed(secret);
        assert_eq!(
            GatewayResult::read(&wrong_time, secret),
            Err(PaymentError::Malformed("paid_at"))
        );
        let no_amount = params(&[("reference", "x")]).signed(secret);
        assert_eq!(
            GatewayResult::read(&no_amount, secret),
            Err(PaymentError::Missing("amount"))
        );
        assert_eq!(receipt_number(42, 2021), "0000042/2021");
        assert_eq!(
            stamp(time::macros::datetime!(2021-05-05 02:30:09 UTC)),
            "20210505093009"
        );
    }
}
