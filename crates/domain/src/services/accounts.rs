//! Citizen accounts on the public-service portal (issue 8, item 2: "online
//! … with an account or as a guest confirmed by e-mail"): a citizen's or
//! a business's account (tài khoản công dân, doanh nghiệp), what a
//! registration must carry, the e-mail confirmation that makes it usable,
//! and the portal session it signs in to.
//!
//! Invariant: an account's contact details obey the same rules as a
//! dossier's applicant ([`Applicant::normalised`]), and its password and
//! lockout obey the staff's ([`crate::auth`]): one rule for each, never a
//! second copy. An account stays pending — unable to sign in — until the
//! link e-mailed at registration is opened; only a digest of that link's
//! token is kept, and it expires. The same holds for the link that resets
//! a forgotten password, which works once and for an hour. Once confirmed,
//! the name and e-mail are fixed — the e-mail signs in and was proven, and
//! the name is what the desk's records and the confirmed dossiers carry —
//! while the phone and address may change under the applicant's rules.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use super::{Applicant, ApplicantKind, ServiceRuleError};
use crate::auth::{PasswordPolicyError, check_password_policy};

pub type AccountId = i64;

/// How long the confirmation link of a registration works.
pub const CONFIRMATION_LIFETIME: Duration = Duration::hours(24);

/// How long a password-reset link works: short, because whoever reads the
/// mailbox in that time can take the account.
pub const RESET_LIFETIME: Duration = Duration::hours(1);

/// At most one reset mail per account in this time, so the public form
/// cannot be used to flood someone's inbox.
pub const RESET_MAIL_INTERVAL: Duration = Duration::minutes(5);

/// Whether an account may sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    /// Registered; the e-mail is not yet confirmed.
    Pending,
    /// Confirmed: may sign in and submit without a confirmation e-mail.
    Active,
}

named!(AccountStatus {
    Pending => "pending", "Chờ xác nhận thư điện tử";
    Active => "active", "Đang hoạt động";
});

/// A registration as typed on the portal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub kind: ApplicantKind,
    pub full_name: String,
    pub email: String,
    pub phone: String,
    /// Số căn cước công dân, 12 digits; may be left empty.
    pub citizen_id: String,
    pub address: String,
}

/// A portal account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: AccountId,
    pub kind: ApplicantKind,
    pub full_name: String,
    /// Folded to lower case; unique among accounts.
    pub email: String,
    pub phone: String,
    pub citizen_id: Option<String>,
    pub address: Option<String>,
    pub status: AccountStatus,
    pub created_at: OffsetDateTime,
    pub confirmed_at: Option<OffsetDateTime>,
}

impl Account {
    /// A new, pending account from `registration`, checked: the
    /// applicant's rules for name, e-mail and phone (both required here:
    /// the e-mail signs in, the phone is how the desk calls), a 12-digit
    /// citizen id if one is given, and the staff's password policy.
    pub fn register(
        registration: Registration,
        password: &str,
        now: OffsetDateTime,
    ) -> Result<Self, AccountRuleError> {
        let required = |text: &str, missing: AccountRuleError| {
            if text.trim().is_empty() {
                Err(missing)
            } else {
                Ok(Some(text.to_owned()))
            }
        };
        let applicant = Applicant {
            name: registration.full_name,
            kind: registration.kind,
            email: required(&registration.email, AccountRuleError::NoEmail)?,
            phone: required(&registration.phone, AccountRuleError::NoPhone)?,
            address: Some(registration.address),
        }
        .normalised()?;
        let citizen_id = registration.citizen_id.trim();
        let citizen_id = if citizen_id.is_empty() {
            None
        } else if citizen_id.len() == 12 && citizen_id.bytes().all(|b| b.is_ascii_digit()) {
            Some(citizen_id.to_owned())
        } else {
            return Err(AccountRuleError::BadCitizenId(citizen_id.to_owned()));
        };
        let email = applicant.email.unwrap_or_default();
        check_password_policy(password, &email)?;
        Ok(Self {
            id: 0,
            kind: applicant.kind,
            full_name: applicant.name,
            email,
            phone: applicant.phone.unwrap_or_default(),
            citizen_id,
            address: applicant.address,
            status: AccountStatus::Pending,
            created_at: now,
            confirmed_at: None,
        })
    }

    /// The applicant of a dossier submitted from this account: its name
    /// and contacts, not what a form might say.
    pub fn applicant(&self) -> Applicant {
        Applicant {
            name: self.full_name.clone(),
            kind: self.kind,
            phone: Some(self.phone.clone()),
            email: Some(self.email.clone()),
            address: self.address.clone(),
        }
    }

    /// Refused unless confirmed: a pending account cannot sign in.
    pub fn check_active(&self) -> Result<(), AccountRuleError> {
        match self.status {
            AccountStatus::Active => Ok(()),
            AccountStatus::Pending => Err(AccountRuleError::NotConfirmed),
        }
    }

    /// The account with a new phone and address, checked by the
    /// applicant's rules; the phone stays required (the desk calls it).
    /// The name and e-mail are kept as confirmed.
    pub fn with_contacts(&self, phone: &str, address: &str) -> Result<Self, AccountRuleError> {
        if phone.trim().is_empty() {
            return Err(AccountRuleError::NoPhone);
        }
        let applicant = Applicant {
            phone: Some(phone.to_owned()),
            address: Some(address.to_owned()),
            ..self.applicant()
        }
        .normalised()?;
        Ok(Self {
            phone: applicant.phone.unwrap_or_default(),
            address: applicant.address,
            ..self.clone()
        })
    }

    /// Refused unless `password` obeys the staff's policy for this
    /// account's e-mail.
    pub fn check_new_password(&self, password: &str) -> Result<(), AccountRuleError> {
        Ok(check_password_policy(password, &self.email)?)
    }

    /// The account once its e-mail is confirmed at `now`.
    pub fn confirmed(self, now: OffsetDateTime) -> Self {
        Self {
            status: AccountStatus::Active,
            confirmed_at: Some(now),
            ..self
        }
    }
}

/// A signed-in portal session. Only the digest of the token the browser
/// holds is stored; it opens the portal's pages and nothing of the staff's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSession {
    /// Hex SHA-256 of the cookie's token.
    pub token_hash: String,
    pub account_id: AccountId,
    /// The token the portal's forms echo back.
    pub csrf_token: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub source: Option<String>,
}

impl AccountSession {
    pub fn is_live(&self, now: OffsetDateTime) -> bool {
        now < self.expires_at
    }
}

/// A rule about accounts that an input breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountRuleError {
    #[error("Tài khoản cần địa chỉ thư điện tử: dùng để đăng nhập và nhận thông báo")]
    NoEmail,
    #[error("Tài khoản cần số điện thoại để cơ quan liên hệ khi cần")]
    NoPhone,
    #[error("Số căn cước công dân «{0}» phải gồm đúng 12 chữ số")]
    BadCitizenId(String),
    #[error(
        "Địa chỉ thư điện tử «{0}» đã được dùng cho một tài khoản khác. Nếu đó là tài khoản của Ông/Bà, xin đăng nhập"
    )]
    EmailTaken(String),
    #[error(
        "Địa chỉ thư điện tử «{0}» vừa được đăng ký và đang chờ xác nhận: xin mở đường dẫn trong thư đã gửi (có hiệu lực 24 giờ)"
    )]
    AwaitingConfirmation(String),
    #[error("Tài khoản chưa được xác nhận: xin mở đường dẫn trong thư đã gửi khi đăng ký")]
    NotConfirmed,
    #[error("Đường dẫn xác nhận tài khoản không đúng, đã dùng hoặc đã hết hạn")]
    BadConfirmation,
    #[error(
        "Đường dẫn đặt lại mật khẩu không đúng, đã dùng hoặc đã hết hạn (có hiệu lực 1 giờ). Xin yêu cầu một đường dẫn mới"
    )]
    BadReset,
    #[error("Mật khẩu hiện tại không đúng")]
    WrongPassword,
    #[error("Mật khẩu nhập lại không khớp")]
    PasswordsDiffer,
    #[error(transparent)]
    Contact(#[from] ServiceRuleError),
    #[error(transparent)]
    Password(#[from] PasswordPolicyError),
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    fn registration() -> Registration {
        Registration {
            kind: ApplicantKind::Citizen,
            full_name: " Thạch Thị Sa Rên ".into(),
            email: " Sa.Ren@Example.VN ".into(),
            phone: "0912 345 678".into(),
            citizen_id: "084123456789".into(),
            address: String::new(),
        }
    }

    const NOW: OffsetDateTime = datetime!(2021-04-28 09:00 +7);

    #[test]
    fn a_registration_is_cleaned_and_pending() {
        let account = Account::register(registration(), "Mật-khẩu-2021", NOW).unwrap();
        assert_eq!(account.full_name, "Thạch Thị Sa Rên");
        assert_eq!(account.email, "sa.ren@example.vn");
        assert_eq!(account.citizen_id.as_deref(), Some("084123456789"));
        assert_eq!(account.address, None);
        assert_eq!(account.status, AccountStatus::Pending);
        assert_eq!(account.check_active(), Err(AccountRuleError::NotConfirmed));
        let active = account.confirmed(NOW);
        assert_eq!(active.check_active(), Ok(()));
        assert_eq!(
            active.applicant().email.as_deref(),
            Some("sa.ren@example.vn")
        );
        let no_id = Registration {
            citizen_id: " ".into(),
            ..registration()
        };
        assert_eq!(
            Account::register(no_id, "Mật-khẩu-2021", NOW)
                .unwrap()
                .citizen_id,
            None
        );
    }

    #[test]
    fn contacts_change_under_the_applicants_rules() {
        let account = Account::register(registration(), "Mật-khẩu-2021", NOW)
            .unwrap()
            .confirmed(NOW);
        let moved = account
            .with_contacts(" 0294 3855 123 ", " Khóm 3, phường 1 ")
            .unwrap();
        assert_eq!(moved.phone, "0294 3855 123");
        assert_eq!(moved.address.as_deref(), Some("Khóm 3, phường 1"));
        assert_eq!(
            (&moved.full_name, &moved.email),
            (&account.full_name, &account.email)
        );
        assert_eq!(
            account.with_contacts("0912345678", " ").unwrap().address,
            None
        );
        let cases = [
            ("", AccountRuleError::NoPhone),
            (
                "09123",
                AccountRuleError::Contact(ServiceRuleError::BadPhone("09123".into())),
            ),
            (
                "0912 abc 678",
                AccountRuleError::Contact(ServiceRuleError::BadPhone("0912 abc 678".into())),
            ),
        ];
        for (phone, error) in cases {
            assert_eq!(
                account.with_contacts(phone, ""),
                Err(error.clone()),
                "{phone}"
            );
        }
        assert_eq!(account.check_new_password("Mật-khẩu-mới-9"), Ok(()));
        assert_eq!(
            account.check_new_password("sa.ren@example.vn-2"),
            Err(AccountRuleError::Password(
                PasswordPolicyError::ContainsIdentity
            ))
        );
    }

    #[test]
    fn a_registration_breaking_a_rule_is_refused() {
        let cases: Vec<(Registration, &str, AccountRuleError)> = vec![
            (
                Registration {
                    email: String::new(),
                    ..registration()
                },
                "Mật-khẩu-2021",
                AccountRuleError::NoEmail,
            ),
            (
                Registration {
                    phone: " ".into(),
                    ..registration()
                },
                "Mật-khẩu-2021",
                AccountRuleError::NoPhone,
            ),
            (
                Registration {
                    citizen_id: "08412345678".into(),
                    ..registration()
                },
                "Mật-khẩu-2021",
                AccountRuleError::BadCitizenId("08412345678".into()),
            ),
            (
                Registration {
                    citizen_id: "08412345678X".into(),
                    ..registration()
                },
                "Mật-khẩu-2021",
                AccountRuleError::BadCitizenId("08412345678X".into()),
            ),
            (
                Registration {
                    full_name: " ".into(),
                    ..registration()
                },
                "Mật-khẩu-2021",
                AccountRuleError::Contact(ServiceRuleError::NoApplicant),
            ),
            (
                Registration {
                    email: "sa.ren@localhost".into(),
                    ..registration()
                },
                "Mật-khẩu-2021",
                AccountRuleError::Contact(ServiceRuleError::BadEmail("sa.ren@localhost".into())),
            ),
            (
                registration(),
                "ngắn1A",
                AccountRuleError::Password(PasswordPolicyError::TooShort),
            ),
            (
                registration(),
                "Sa.Ren.2021!",
                AccountRuleError::Password(PasswordPolicyError::ContainsIdentity),
            ),
        ];
        for (registration, password, error) in cases {
            assert_eq!(
                Account::register(registration, password, NOW),
                Err(error.clone()),
                "{error}"
            );
        }
    }
}
